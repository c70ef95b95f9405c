/* Column to JSON conversions shared by the store modules. */
#include "store/db_json.h"

#include "domain/numeric.h"

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
