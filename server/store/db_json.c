/* Column to JSON conversions shared by the store modules. */
#include "store/db_json.h"

#include "domain/numeric.h"
#include "log.h"

json_t *db_json_text(PGresult *r, int row, int col) {
    if (PQgetisnull(r, row, col))
        return json_null();
    json_t *s = json_string(PQgetvalue(r, row, col));
    return s ? s : json_null();
}

json_t *db_json_number(PGresult *r, int row, int col) {
    return PQgetisnull(r, row, col) ? json_null() : numeric_json(PQgetvalue(r, row, col));
}

json_t *db_json_parse(PGresult *r, int row, int col, json_t *dflt) {
    json_t *j = PQgetisnull(r, row, col) ? NULL : json_loads(PQgetvalue(r, row, col), 0, NULL);
    if (!j)
        return dflt;
    json_decref(dflt);
    return j;
}

char *db_json_dump(json_t *j, struct db_error *e) {
    char *text = json_dumps(j, JSON_COMPACT);
    if (!text)
        *e = (struct db_error){.sqlstate = "53200"};
    return text;
}

bool db_json_rows(struct db_conn *db, const struct db_stmt *s, const char *const *params,
                  const char *what, json_t *(*row)(PGresult *r, int i), json_t **items) {
    PGresult *r = db_exec(db, s, params);
    if (!db_check(db, r, what, NULL))
        return false;
    *items = json_array();
    for (int i = 0; *items && i < PQntuples(r); i++)
        json_array_append_new(*items, row(r, i));
    PQclear(r);
    if (!*items)
        log_error("db_json_rows", "out of memory listing %s", what);
    return *items != NULL;
}
