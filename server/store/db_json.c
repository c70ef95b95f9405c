/* Column to JSON conversions shared by the store modules. */
#include "store/db_json.h"

#include "domain/numeric.h"
#include "domain/period.h"

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

bool db_json_bool(PGresult *r, int row, int col) {
    return PQgetvalue(r, row, col)[0] == 't';
}

json_t *db_json_list(struct db_conn *c, PGresult *r, db_json_row_fn row) {
    json_t *list = json_array();
    for (int i = 0; list && i < PQntuples(r); i++) {
        json_t *item = row(r, i);
        if (!item || json_array_append_new(list, item) != 0) {
            json_decref(list);
            list = NULL;
        }
    }
    if (!list)
        db_note_no_memory(c);
    return list;
}

bool db_json_rows(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                  const char *what, db_json_row_fn row, json_t **items) {
    *items = NULL;
    PGresult *r = db_exec(c, s, params);
    if (!db_check(c, r, what, NULL))
        return false;
    *items = db_json_list(c, r, row);
    PQclear(r);
    return *items != NULL;
}

int db_json_month(const char *date) {
    struct period p;
    if (!date || !period_from_date(date, PERIOD_MONTHLY, &p))
        return -1;
    return period_month_index(&p);
}

bool db_json_array(struct strbuf *b, const char *const *items, int n) {
    strbuf_putc(b, '{');
    for (int i = 0; i < n; i++) {
        if (i)
            strbuf_putc(b, ',');
        strbuf_putc(b, '"');
        for (const char *p = items[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                strbuf_putc(b, '\\');
            strbuf_putc(b, *p);
        }
        strbuf_putc(b, '"');
    }
    strbuf_putc(b, '}');
    return !b->failed;
}
