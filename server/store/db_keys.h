/* API keys as stored: the public lookup, the SHA-256 of the whole key (never the key),
 * name, scopes, partner, and when each was made, last used and revoked. */
#ifndef STORE_DB_KEYS_H
#define STORE_DB_KEYS_H

#include <jansson.h>
#include <stdbool.h>

#include "store/db.h"

/* Keys (of one partner, or all when partner is NULL) as {id, name, scopes, partner,
 * created_at, revoked_at, last_used_at}, oldest first; *items is the caller's. */
bool db_keys_list(struct db_conn *db, const char *partner, json_t **items);
/* Stores a new key's lookup and hash; *id and *created_at are the caller's. A partner
 * that does not exist, or a submit key without one, is refused by the schema (e). */
bool db_key_insert(struct db_conn *db, const char *lookup, const unsigned char hash[32],
                   const char *name, const char *scopes, const char *partner, json_t **id,
                   json_t **created_at, struct db_error *e);
/* Revokes a key, keeping the first revocation time; *found false when no such id. */
bool db_key_revoke(struct db_conn *db, const char *id, bool *found, struct db_error *e);

struct db_key_row {
    char id[40];
    unsigned char hash[32];
    bool hash_ok; /* the stored hash parsed as 32 bytes */
    char scopes[64];
    char partner[72];
    bool revoked;
};
/* The key with this lookup: 1 found (*out filled), 0 none, -1 the database failed. */
int db_key_find(struct db_conn *db, const char *lookup, struct db_key_row *out);
/* Marks the key used now, at most once a minute (a busy key would otherwise turn every
 * read into a write). Best effort: a failure is logged and otherwise ignored. */
void db_key_touch(struct db_conn *db, const char *id);

#endif
