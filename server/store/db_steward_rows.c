/* Shared by the stewardship stores: JSON documents from PostgreSQL and failed writes. */
#include "store/db_steward_rows.h"

#include <stdio.h>
#include <string.h>

bool steward_json(struct db_conn *db, const struct db_stmt *s, const char *const *params,
                  const char *what, json_t **out) {
    *out = NULL;
    PGresult *r = db_exec(db, s, params);
    if (!db_ok(r) || PQntuples(r) != 1) {
        db_log_failure(what, r);
        PQclear(r);
        return false;
    }
    json_error_t err;
    *out = json_loads(PQgetvalue(r, 0, 0), JSON_DECODE_ANY, &err);
    PQclear(r);
    if (!*out)
        fprintf(stderr, "%s: the database's JSON did not parse: %s\n", what, err.text);
    return *out != NULL;
}

enum steward_result steward_classify(struct db_conn *db, PGresult *r, const char *what) {
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    char st[6] = "";
    snprintf(st, sizeof st, "%s", state ? state : "");
    db_log_failure(what, r);
    PQclear(r);
    if (db_lost(db))
        return STEWARD_LOST;
    if (strcmp(st, "23505") == 0)
        return STEWARD_CONFLICT;
    if (strcmp(st, "23503") == 0)
        return STEWARD_NOT_FOUND;
    if (strncmp(st, "23", 2) == 0 || strncmp(st, "22", 2) == 0)
        return STEWARD_INVALID;
    return STEWARD_FAILED;
}

bool steward_exec(struct db_conn *db, const char *sql) {
    PGresult *r = db_exec_sql(db, sql);
    bool ok = db_ok(r);
    if (!ok)
        db_log_failure(sql, r);
    PQclear(r);
    return ok;
}
