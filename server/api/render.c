/* Rendering of results. CSV cells are escaped by domain/csv.c, so a partner's note
 * with commas, quotes or newlines stays one cell. */
#include "api/render.h"

#include <stdlib.h>
#include <string.h>

#include "domain/csv.h"

json_t *render_numeric(const char *text) {
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

json_t *render_text(PGresult *r, int row, int col) {
    if (PQgetisnull(r, row, col))
        return json_null();
    json_t *s = json_string(PQgetvalue(r, row, col));
    return s ? s : json_null();
}

json_t *render_number(PGresult *r, int row, int col) {
    return PQgetisnull(r, row, col) ? json_null() : render_numeric(PQgetvalue(r, row, col));
}

void render_cell(json_t *v, struct strbuf *out) {
    const char *key;
    json_t *item;
    size_t i;
    switch (json_typeof(v)) {
    case JSON_STRING:
        strbuf_append(out, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        strbuf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        strbuf_printf(out, "%.15g", json_real_value(v));
        break;
    case JSON_TRUE:
        strbuf_puts(out, "true");
        break;
    case JSON_FALSE:
        strbuf_puts(out, "false");
        break;
    case JSON_OBJECT: {
        bool first = true;
        json_object_foreach(v, key, item) {
            if (!first)
                strbuf_putc(out, ';');
            first = false;
            strbuf_printf(out, "%s=", key);
            render_cell(item, out);
        }
        break;
    }
    case JSON_ARRAY:
        json_array_foreach(v, i, item) {
            if (i)
                strbuf_putc(out, ';');
            render_cell(item, out);
        }
        break;
    default:
        break;
    }
}

void render_csv_header(struct strbuf *out, const char *const *columns) {
    for (int c = 0; columns[c]; c++)
        csv_put_field(out, columns[c], c == 0);
    csv_end_record(out);
}

void render_csv_row(struct strbuf *out, json_t *obj, const char *const *columns) {
    struct strbuf cell;
    strbuf_init(&cell);
    for (int c = 0; columns[c]; c++) {
        strbuf_reset(&cell);
        json_t *v = json_object_get(obj, columns[c]);
        if (v)
            render_cell(v, &cell);
        csv_put_field(out, cell.data ? cell.data : "", c == 0);
    }
    strbuf_free(&cell);
    csv_end_record(out);
}

void render_collection(struct request *rq, struct reply *rp, json_t *items,
                       const char *const *columns, json_t *extra) {
    if (rq->csv) {
        struct strbuf out;
        strbuf_init(&out);
        render_csv_header(&out, columns);
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) render_csv_row(&out, item, columns);
        json_decref(items);
        json_decref(extra);
        size_t len;
        char *body = strbuf_take(&out, &len);
        reply_body(rp, 200, "text/csv; charset=utf-8", body, len);
        return;
    }
    json_t *j = extra ? extra : json_object();
    json_object_set_new(j, "items", items);
    reply_json(rp, 200, j);
}
