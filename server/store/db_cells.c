/* One statement for all the figures of a page: their keys go as parallel arrays. */
#include "store/db_cells.h"

#include <stdlib.h>
#include <string.h>

#include "domain/strbuf.h"

static void put_element(struct strbuf *b, const char *text);

/* An element of a text[] literal, quoted with " and \ escaped. */
static void put_element(struct strbuf *b, const char *text) {
    strbuf_append(b, b->len > 1 ? ",\"" : "\"", b->len > 1 ? 2 : 1);
    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\')
            strbuf_append(b, "\\", 1);
        strbuf_append(b, p, 1);
    }
    strbuf_append(b, "\"", 1);
}

bool db_cells_read(struct db_conn *db, const struct db_figure *figures, int n, const char *as_of,
                   struct db_cells *out) {
    static const struct db_stmt cells = {
        "disclosure_cells",
        /* One look-up per figure: the LATERAL's OFFSET 0 keeps the planner from pulling
         * it up into a semi-join, which for an as-of read rebuilt the whole history
         * (DISTINCT ON over every cell) before matching the page's few figures: 14 s
         * against 4 ms on 1,000,000 history rows, and past the statement limit. */
        "SELECT o.metric, o.area, o.period_start::text, o.breakdown_key, o.value::float8\n"
        "  FROM (SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::date[]))\n"
        "       AS k (metric, area, period_start)\n"
        "  JOIN metrics m ON m.code = k.metric AND m.unit = 'count'\n"
        " CROSS JOIN LATERAL (\n"
        "       SELECT x.metric, x.area, x.period_start, x.breakdown_key, x.value\n"
        "         FROM observations_at(coalesce($4::timestamptz,\n"
        "              nullif(current_setting('wellbeing.as_of', true), '')::timestamptz)) x\n"
        "        WHERE x.metric = k.metric\n"
        "          AND x.area = k.area\n"
        "          AND x.period_start = k.period_start\n"
        "       OFFSET 0) o\n"
        " ORDER BY o.metric, o.area, o.period_start, o.breakdown_key",
        4};
    memset(out, 0, sizeof *out);
    if (n <= 0)
        return true;
    struct strbuf m, a, p;
    strbuf_init(&m);
    strbuf_init(&a);
    strbuf_init(&p);
    strbuf_append(&m, "{", 1);
    strbuf_append(&a, "{", 1);
    strbuf_append(&p, "{", 1);
    for (int i = 0; i < n; i++) {
        put_element(&m, figures[i].metric);
        put_element(&a, figures[i].area);
        put_element(&p, figures[i].period_start);
    }
    strbuf_append(&m, "}", 1);
    strbuf_append(&a, "}", 1);
    strbuf_append(&p, "}", 1);
    bool ok = m.data && a.data && p.data;
    PGresult *r = NULL;
    if (ok) {
        const char *params[] = {m.data, a.data, p.data, as_of};
        r = db_exec(db, &cells, params);
        ok = db_ok(r);
        if (!ok)
            db_log_failure("disclosure cells", r);
    }
    strbuf_free(&m);
    strbuf_free(&a);
    strbuf_free(&p);
    if (!ok) {
        PQclear(r);
        return false;
    }
    int rows = PQntuples(r);
    size_t bytes = 0;
    for (int i = 0; i < rows; i++)
        for (int c = 0; c < 4; c++)
            bytes += (size_t)PQgetlength(r, i, c) + 1;
    out->cells = calloc((size_t)rows + 1, sizeof *out->cells);
    out->arena = malloc(bytes + 1);
    if (!out->cells || !out->arena) {
        db_cells_free(out);
        PQclear(r);
        return false;
    }
    char *w = out->arena;
    for (int i = 0; i < rows; i++) {
        const char **dst[] = {&out->cells[i].metric, &out->cells[i].area,
                              &out->cells[i].period_start, &out->cells[i].key};
        for (int c = 0; c < 4; c++) {
            size_t len = (size_t)PQgetlength(r, i, c);
            memcpy(w, PQgetvalue(r, i, c), len + 1);
            *dst[c] = w;
            w += len + 1;
        }
        out->cells[i].value = strtod(PQgetvalue(r, i, 4), NULL);
    }
    out->n = rows;
    PQclear(r);
    return true;
}

void db_cells_free(struct db_cells *c) {
    free(c->cells);
    free(c->arena);
    memset(c, 0, sizeof *c);
}

bool db_cells_categories(struct db_conn *db, struct db_categories *out) {
    static const struct db_stmt all = {"disclosure_categories",
                                       "SELECT dimension, code "
                                       "FROM dimension_categories "
                                       "ORDER BY dimension COLLATE \"C\", code COLLATE \"C\"",
                                       0};
    memset(out, 0, sizeof *out);
    PGresult *r = db_exec(db, &all, NULL);
    if (!db_check(db, r, "disclosure categories", NULL))
        return false;
    int rows = PQntuples(r);
    size_t bytes = 0;
    for (int i = 0; i < rows; i++)
        bytes += (size_t)PQgetlength(r, i, 0) + (size_t)PQgetlength(r, i, 1) + 2;
    out->dim = calloc((size_t)rows + 1, sizeof *out->dim);
    out->code = calloc((size_t)rows + 1, sizeof *out->code);
    out->arena = malloc(bytes + 1);
    if (!out->dim || !out->code || !out->arena) {
        db_categories_free(out);
        PQclear(r);
        return false;
    }
    char *w = out->arena;
    for (int i = 0; i < rows; i++) {
        const char **dst[] = {&out->dim[i], &out->code[i]};
        for (int c = 0; c < 2; c++) {
            size_t len = (size_t)PQgetlength(r, i, c);
            memcpy(w, PQgetvalue(r, i, c), len + 1);
            *dst[c] = w;
            w += len + 1;
        }
    }
    out->n = rows;
    PQclear(r);
    return true;
}

void db_categories_free(struct db_categories *c) {
    free(c->dim);
    free(c->code);
    free(c->arena);
    memset(c, 0, sizeof *c);
}

bool db_cells_metric_is_count(struct db_conn *db, const char *metric, bool *is_count) {
    static const struct db_stmt s = {"disclosure_metric_unit",
                                     "SELECT unit = 'count' "
                                     "FROM metrics "
                                     "WHERE code = $1",
                                     1};
    const char *params[] = {metric};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "disclosure unit", NULL))
        return false;
    *is_count = PQntuples(r) > 0 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return true;
}
