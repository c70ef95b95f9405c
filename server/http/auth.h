/* API keys: making them, hashing them, checking a request's key and its scopes. */
#ifndef AUTH_H
#define AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum scope { SCOPE_READ = 1, SCOPE_SUBMIT = 2, SCOPE_ADMIN = 4 };

struct identity {
    bool authenticated;
    unsigned scopes;
    char key_id[40];  /* the key's uuid, safe to log */
    char partner[72]; /* empty when the key has no partner */
};

struct db_conn;
struct db_error;

/* A new key: "wbk_" + 16 hex lookup + "_" + 43 base64url secret characters (32 random
 * bytes). Fills lookup (17 bytes) and the SHA-256 of the whole key (32 bytes). */
bool auth_key_new(char *key, size_t key_size, char lookup[17], unsigned char hash[32]);
/* Makes a new key and stores its lookup and SHA-256 (never the key) through db, inside
 * the caller's transaction when one is open. scopes is a list like "read,submit";
 * partner may be NULL. Writes the key, to be shown once, into key (at least 65 bytes)
 * and hands back the row's id and created_at (the caller's). AUTH_NOT_STORED with *e
 * filled when the store refused it. */
enum auth_made { AUTH_MADE, AUTH_NO_RANDOMNESS, AUTH_NOT_STORED };
enum auth_made auth_key_create(struct db_conn *db, const char *name, const char *scopes,
                               const char *partner, char *key, size_t key_size, json_t **id,
                               json_t **created_at, struct db_error *e);
/* Splits a presented key; false when it is not of our shape. */
bool auth_key_split(const char *key, char lookup[17]);
/* False when the digest could not be made (out of memory). */
bool auth_key_hash(const char *key, unsigned char hash[32]);
/* Scope names "read,submit,admin" or a JSON-ish list to bits; 0 if any name is unknown. */
unsigned auth_scopes_parse(const char *csv);
/* Looks the key up and fills *who. Returns 1 for a good key, 0 for a bad or revoked
 * one, -1 when the database could not answer, -2 when out of memory. */
int auth_verify(struct db_conn *db, const char *bearer, struct identity *who);

#endif
