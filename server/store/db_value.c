/* Column values for the read modules. */
#include "store/db_value.h"

#include <stdlib.h>
#include <string.h>

#include "domain/period.h"
#include "store/db.h"

PGresult *db_value_query(struct db_conn *db, const struct db_stmt *s, const char *const *params,
                         const char *what) {
    PGresult *r = db_exec(db, s, params);
    if (db_ok(r))
        return r;
    db_log_failure(what, r);
    PQclear(r);
    return NULL;
}

json_t *db_value_list(struct db_conn *db, PGresult *r, db_value_row_fn row) {
    json_t *list = json_array();
    for (int i = 0; list && i < PQntuples(r); i++) {
        json_t *item = row(r, i);
        if (!item || json_array_append_new(list, item) != 0) {
            json_decref(list);
            list = NULL;
        }
    }
    if (!list)
        db_note_no_memory(db);
    return list;
}

bool db_value_array(struct strbuf *b, const char *const *items, int n) {
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

json_t *db_value_numeric(const char *text) {
    if (!text || !*text)
        return json_null();
    char buf[64];
    size_t n = strlen(text);
    if (n >= sizeof buf)
        return json_real(strtod(text, NULL));
    memcpy(buf, text, n + 1);
    if (strchr(buf, '.') && !strpbrk(buf, "eE")) {
        while (n && buf[n - 1] == '0')
            buf[--n] = '\0';
        if (n && buf[n - 1] == '.')
            buf[--n] = '\0';
    }
    if (!strpbrk(buf, ".eE") && n < 18)
        return json_integer(strtoll(buf, NULL, 10));
    return json_real(strtod(buf, NULL));
}

json_t *db_value_text(PGresult *r, int row, int col) {
    if (PQgetisnull(r, row, col))
        return json_null();
    return json_string(PQgetvalue(r, row, col));
}

json_t *db_value_number(PGresult *r, int row, int col) {
    return PQgetisnull(r, row, col) ? json_null() : db_value_numeric(PQgetvalue(r, row, col));
}

bool db_value_bool(PGresult *r, int row, int col) {
    return PQgetvalue(r, row, col)[0] == 't';
}

json_t *db_value_json(PGresult *r, int row, int col) {
    return json_loads(PQgetvalue(r, row, col), 0, NULL);
}

int db_value_month(const char *date) {
    struct period p;
    if (!date || !period_from_date(date, PERIOD_MONTHLY, &p))
        return -1;
    return period_month_index(&p);
}
