/* One round trip for all of a request's filter codes: the codes go as parallel arrays,
 * and the answer is the position of the first one that is not in its table. */
#include "store/db_codes.h"

#include <stdlib.h>
#include <string.h>

#include "domain/strbuf.h"

static void append_array(struct strbuf *b, const char *text);

/* A text[] literal element, quoted with " and \ escaped. */
static void append_array(struct strbuf *b, const char *text) {
    strbuf_append(b, b->len > 1 ? ",\"" : "\"", b->len > 1 ? 2 : 1);
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '"' || *p == '\\')
            strbuf_append(b, "\\", 1);
        strbuf_append(b, p, 1);
    }
    strbuf_append(b, "\"", 1);
}

bool db_codes_find(struct db_conn *db, const struct db_code *codes, int n, int *unknown) {
    static const struct db_stmt find = {
        "codes_find",
        "SELECT coalesce(min(i), 0) "
        "FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS c(kind, code, dim, i) "
        "WHERE NOT CASE kind "
        "WHEN 'metric' THEN EXISTS (SELECT 1 FROM metrics WHERE code = c.code) "
        "WHEN 'area' THEN EXISTS (SELECT 1 FROM areas WHERE code = c.code) "
        "WHEN 'programme' THEN EXISTS (SELECT 1 FROM programmes WHERE code = c.code) "
        "WHEN 'partner' THEN EXISTS (SELECT 1 FROM partners WHERE code = c.code) "
        "WHEN 'dimension' THEN EXISTS (SELECT 1 FROM dimensions WHERE code = c.code) "
        "ELSE EXISTS (SELECT 1 FROM dimension_categories "
        "WHERE dimension = c.dim AND code = c.code) END",
        3};
    static const char *const kinds[] = {"metric",  "area",      "programme",
                                        "partner", "dimension", "category"};
    *unknown = -1;
    if (n <= 0)
        return true;
    struct strbuf k, c, d;
    strbuf_init(&k);
    strbuf_init(&c);
    strbuf_init(&d);
    strbuf_append(&k, "{", 1);
    strbuf_append(&c, "{", 1);
    strbuf_append(&d, "{", 1);
    for (int i = 0; i < n && i < 16; i++) {
        append_array(&k, kinds[codes[i].kind]);
        append_array(&c, codes[i].code);
        append_array(&d, codes[i].dimension);
    }
    strbuf_append(&k, "}", 1);
    strbuf_append(&c, "}", 1);
    strbuf_append(&d, "}", 1);
    bool ok = k.data && c.data && d.data;
    if (ok) {
        const char *params[] = {k.data, c.data, d.data};
        PGresult *r = db_exec(db, &find, params);
        ok = db_ok(r);
        if (ok)
            *unknown = atoi(PQgetvalue(r, 0, 0)) - 1;
        else
            db_log_failure("filter codes", r);
        PQclear(r);
    }
    strbuf_free(&k);
    strbuf_free(&c);
    strbuf_free(&d);
    return ok;
}
