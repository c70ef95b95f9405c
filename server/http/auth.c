/* API keys. A key is "wbk_<lookup>_<secret>": the lookup (public, 8 random bytes as hex)
 * finds the row, the SHA-256 of the whole key is compared in constant time. Keys are
 * 32 random bytes of secret, so a fast hash is right here (nothing to brute-force). */
#include "http/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "store/db_keys.h"

#define KEY_PREFIX "wbk_"

static void base64url(const unsigned char *in, size_t n, char *out);

static void base64url(const unsigned char *in, size_t n, char *out) {
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0;
    unsigned v = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        v = (v << 8) | in[i];
        bits += 8;
        while (bits >= 6) {
            out[o++] = a[(v >> (bits - 6)) & 63];
            bits -= 6;
        }
    }
    if (bits > 0)
        out[o++] = a[(v << (6 - bits)) & 63];
    out[o] = '\0';
}

bool auth_key_hash(const char *key, unsigned char hash[32]) {
    unsigned int len = 32;
    /* EVP_Digest allocates its context, so it can fail: never compare an unset hash. */
    return EVP_Digest(key, strlen(key), hash, &len, EVP_sha256(), NULL) == 1 && len == 32;
}

bool auth_key_new(char *key, size_t key_size, char lookup[17], unsigned char hash[32]) {
    unsigned char id[8], secret[32];
    char secret_text[48];
    if (RAND_bytes(id, sizeof id) != 1 || RAND_bytes(secret, sizeof secret) != 1)
        return false;
    for (int i = 0; i < 8; i++)
        snprintf(lookup + 2 * i, 3, "%02x", id[i]);
    base64url(secret, sizeof secret, secret_text);
    OPENSSL_cleanse(secret, sizeof secret);
    int n = snprintf(key, key_size, KEY_PREFIX "%s_%s", lookup, secret_text);
    OPENSSL_cleanse(secret_text, sizeof secret_text);
    if (n < 0 || (size_t)n >= key_size)
        return false;
    return auth_key_hash(key, hash);
}

enum auth_made auth_key_create(struct db_conn *db, const char *name, const char *scopes,
                               const char *partner, char *key, size_t key_size, json_t **id,
                               json_t **created_at, struct db_error *e) {
    char lookup[17];
    unsigned char hash[32];
    if (!auth_key_new(key, key_size, lookup, hash))
        return AUTH_NO_RANDOMNESS;
    return db_key_insert(db, lookup, hash, name, scopes, partner, id, created_at, e)
               ? AUTH_MADE
               : AUTH_NOT_STORED;
}

bool auth_key_split(const char *key, char lookup[17]) {
    size_t plen = strlen(KEY_PREFIX);
    if (strncmp(key, KEY_PREFIX, plen) != 0 || strlen(key) != plen + 16 + 1 + 43)
        return false;
    for (int i = 0; i < 16; i++) {
        char c = key[plen + i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    if (key[plen + 16] != '_')
        return false;
    memcpy(lookup, key + plen, 16);
    lookup[16] = '\0';
    return true;
}

unsigned auth_scopes_parse(const char *list) {
    unsigned bits = 0;
    const char *p = list;
    while (p && *p) {
        size_t n = strcspn(p, ",");
        if (n == 4 && strncmp(p, "read", 4) == 0)
            bits |= SCOPE_READ;
        else if (n == 6 && strncmp(p, "submit", 6) == 0)
            bits |= SCOPE_SUBMIT;
        else if (n == 5 && strncmp(p, "admin", 5) == 0)
            bits |= SCOPE_ADMIN;
        else
            return 0;
        p += n;
        if (*p == ',')
            p++;
    }
    return bits;
}

int auth_verify(struct db_conn *db, const char *bearer, struct identity *who) {
    char lookup[17];
    memset(who, 0, sizeof *who);
    if (!auth_key_split(bearer, lookup))
        return 0;
    struct db_key_row row;
    int found = db_key_find(db, lookup, &row);
    if (found < 0)
        return -1;
    unsigned char got[32];
    if (!auth_key_hash(bearer, got))
        return -2;
    if (!found || !row.hash_ok || CRYPTO_memcmp(row.hash, got, 32) != 0 || row.revoked)
        return 0;
    who->authenticated = true;
    who->scopes = auth_scopes_parse(row.scopes);
    snprintf(who->key_id, sizeof who->key_id, "%s", row.id);
    snprintf(who->partner, sizeof who->partner, "%s", row.partner);
    db_key_touch(db, who->key_id);
    return 1;
}
