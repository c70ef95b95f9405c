/* SQL for API keys (see db_keys.h). */
#include "store/db_keys.h"

#include <stdio.h>
#include <string.h>

#include "store/db_json.h"

static json_t *key_json(PGresult *r, int i);

static json_t *key_json(PGresult *r, int i) {
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", db_json_text(r, i, 0), "name",
                     db_json_text(r, i, 1), "scopes", db_json_parse(r, i, 2, json_array()),
                     "partner", db_json_text(r, i, 3), "created_at", db_json_text(r, i, 4),
                     "revoked_at", db_json_text(r, i, 5), "last_used_at", db_json_text(r, i, 6));
}

bool db_keys_list(struct db_conn *db, const char *partner, json_t **items) {
    static const struct db_stmt s = {"admin_keys_list",
                                     "SELECT id, name, to_json(scopes)::text, partner,"
                                     "       to_json(created_at) #>> '{}',"
                                     "       to_json(revoked_at) #>> '{}',"
                                     "       to_json(last_used_at) #>> '{}'"
                                     " FROM api_keys"
                                     " WHERE ($1::text IS NULL OR partner = $1)"
                                     " ORDER BY created_at, id",
                                     1};
    const char *params[] = {partner};
    return db_json_rows(db, &s, params, "keys", key_json, items);
}

bool db_key_insert(struct db_conn *db, const char *lookup, const unsigned char hash[32],
                   const char *name, const char *scopes, const char *partner, json_t **id,
                   json_t **created_at, struct db_error *e) {
    static const struct db_stmt s = {
        "key_insert",
        "INSERT INTO api_keys (lookup, secret_hash, name, scopes, partner)"
        " VALUES ($1, decode($2, 'hex'), $3, string_to_array($4, ','), $5)"
        " RETURNING id, to_json(created_at) #>> '{}'",
        5};
    char hash_hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hash_hex + 2 * i, 3, "%02x", hash[i]);
    const char *params[] = {lookup, hash_hex, name, scopes, partner};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "key", e))
        return false;
    *id = db_json_text(r, 0, 0);
    *created_at = db_json_text(r, 0, 1);
    PQclear(r);
    return true;
}

bool db_key_revoke(struct db_conn *db, const char *id, bool *found, struct db_error *e) {
    static const struct db_stmt s = {"admin_key_revoke",
                                     "UPDATE api_keys"
                                     " SET revoked_at = coalesce(revoked_at, now())"
                                     " WHERE id = $1::uuid"
                                     " RETURNING id",
                                     1};
    const char *params[] = {id};
    return db_exec_found(db, &s, params, "key", found, e);
}

int db_key_find(struct db_conn *db, const char *lookup, struct db_key_row *out) {
    static const struct db_stmt s = {"auth_find_key",
                                     "SELECT id, secret_hash, array_to_string(scopes, ','),"
                                     "       coalesce(partner, ''), revoked_at IS NOT NULL"
                                     " FROM api_keys"
                                     " WHERE lookup = $1",
                                     1};
    const char *params[] = {lookup};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "key lookup", NULL))
        return -1;
    int found = PQntuples(r) == 1;
    if (found) {
        memset(out, 0, sizeof *out);
        /* bytea comes back as \x followed by hex */
        const char *hex = PQgetvalue(r, 0, 1);
        out->hash_ok = strlen(hex) == 66;
        for (int i = 0; out->hash_ok && i < 32; i++) {
            unsigned b;
            out->hash_ok = sscanf(hex + 2 + 2 * i, "%2x", &b) == 1;
            out->hash[i] = (unsigned char)b;
        }
        snprintf(out->id, sizeof out->id, "%s", PQgetvalue(r, 0, 0));
        snprintf(out->scopes, sizeof out->scopes, "%s", PQgetvalue(r, 0, 2));
        snprintf(out->partner, sizeof out->partner, "%s", PQgetvalue(r, 0, 3));
        out->revoked = PQgetvalue(r, 0, 4)[0] == 't';
    }
    PQclear(r);
    return found;
}

void db_key_touch(struct db_conn *db, const char *id) {
    static const struct db_stmt s = {"auth_touch_key",
                                     "UPDATE api_keys"
                                     " SET last_used_at = now()"
                                     " WHERE id = $1"
                                     "   AND (last_used_at IS NULL"
                                     "        OR last_used_at < now() - interval '1 minute')",
                                     1};
    const char *params[] = {id};
    PGresult *r = db_exec(db, &s, params);
    if (db_check(db, r, "key use", NULL))
        PQclear(r);
}
