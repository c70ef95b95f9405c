/* API keys. A key is "wbk_<lookup>_<secret>": the lookup (public, 8 random bytes as hex)
 * finds the row, the SHA-256 of the whole key is compared in constant time. Keys are
 * 32 random bytes of secret, so a fast hash is right here (nothing to brute-force). */
#include "http/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "store/db.h"

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

void auth_key_hash(const char *key, unsigned char hash[32]) {
    unsigned int len = 32;
    EVP_Digest(key, strlen(key), hash, &len, EVP_sha256(), NULL);
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
    auth_key_hash(key, hash);
    return true;
}

PGresult *auth_key_create(PGconn *pg, const char *name, const char *scopes, const char *partner,
                          char *key, size_t key_size) {
    char lookup[17], hash_hex[65];
    unsigned char hash[32];
    if (!auth_key_new(key, key_size, lookup, hash))
        return NULL;
    for (int i = 0; i < 32; i++)
        snprintf(hash_hex + 2 * i, 3, "%02x", hash[i]);
    const char *params[] = {lookup, hash_hex, name, scopes, partner};
    return PQexecParams(pg,
                        "INSERT INTO api_keys (lookup, secret_hash, name, scopes, partner) "
                        "VALUES ($1, decode($2, 'hex'), $3, string_to_array($4, ','), $5) "
                        "RETURNING id, to_json(created_at) #>> '{}'",
                        5, NULL, params, NULL, NULL, 0);
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
    static const struct db_stmt find = {
        "auth_find_key",
        "SELECT id, secret_hash, array_to_string(scopes, ','), coalesce(partner, ''), "
        "revoked_at IS NOT NULL FROM api_keys WHERE lookup = $1",
        1};
    /* last_used_at is written at most once a minute per key: a busy key would
     * otherwise turn every read into a write. */
    static const struct db_stmt touch = {
        "auth_touch_key",
        "UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND "
        "(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
        1};
    char lookup[17];
    memset(who, 0, sizeof *who);
    if (!auth_key_split(bearer, lookup))
        return 0;
    const char *params[] = {lookup};
    PGresult *r = db_exec(db, &find, params);
    if (!db_ok(r)) {
        PQclear(r);
        return -1;
    }
    unsigned char want[32], got[32];
    auth_key_hash(bearer, got);
    int result = 0;
    if (PQntuples(r) == 1) {
        /* bytea comes back as \x followed by hex */
        const char *hex = PQgetvalue(r, 0, 1);
        bool parsed = strlen(hex) == 66;
        for (int i = 0; parsed && i < 32; i++) {
            unsigned b;
            parsed = sscanf(hex + 2 + 2 * i, "%2x", &b) == 1;
            want[i] = (unsigned char)b;
        }
        bool revoked = PQgetvalue(r, 0, 4)[0] == 't';
        if (parsed && CRYPTO_memcmp(want, got, 32) == 0 && !revoked) {
            result = 1;
            who->authenticated = true;
            who->scopes = auth_scopes_parse(PQgetvalue(r, 0, 2));
            snprintf(who->key_id, sizeof who->key_id, "%s", PQgetvalue(r, 0, 0));
            snprintf(who->partner, sizeof who->partner, "%s", PQgetvalue(r, 0, 3));
        }
    }
    PQclear(r);
    if (result == 1) {
        const char *tp[] = {who->key_id};
        PQclear(db_exec(db, &touch, tp));
    }
    return result;
}
