/* Rendering of results. CSV cells are escaped by domain/csv.c, so a partner's note
 * with commas, quotes or newlines stays one cell. */
#include "api/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_util.h"
#include "domain/csv.h"

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
        if (json_is_string(v)) /* "" stays "", told apart from null's empty cell */
            csv_put_text(out, cell.data ? cell.data : "", c == 0);
        else
            csv_put_field(out, cell.data ? cell.data : "", c == 0);
    }
    strbuf_free(&cell);
    csv_end_record(out);
}

void render_csv_name(struct request *rq, struct reply *rp, const char *const *parts, int nparts) {
    if (!rq->csv || reply_has_header(rp, "Content-Disposition"))
        return;
    char name[160];
    size_t n = 0;
    for (int i = 0; i < nparts; i++) {
        const char *s = parts[i];
        if (!s || !*s)
            continue;
        if (n && n + 1 < sizeof name - 5)
            name[n++] = '_';
        for (; *s && n < sizeof name - 5; s++) {
            char c = *s;
            bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
            name[n++] = plain ? c : '-';
        }
    }
    if (!n)
        memcpy(name, "export", (n = 6));
    memcpy(name + n, ".csv", 5);
    char value[sizeof name + 40];
    snprintf(value, sizeof value, "attachment; filename=\"%s\"", name);
    reply_header(rp, "Content-Disposition", value);
}

void render_collection(struct request *rq, struct reply *rp, json_t *items,
                       const char *const *columns, json_t *extra) {
    if (!items) {
        json_decref(extra);
        api_no_memory(rp);
        return;
    }
    if (rq->csv) {
        /* A list named after its path: /v1/admin/keys is admin-keys.csv. */
        const char *path = rq->path ? rq->path : "";
        if (strncmp(path, "/v1/", 4) == 0)
            path += 4;
        render_csv_name(rq, rp, &path, 1);
        struct strbuf out;
        strbuf_init(&out);
        render_csv_header(&out, columns);
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) render_csv_row(&out, item, columns);
        json_decref(items);
        json_decref(extra);
        if (out.failed) {
            strbuf_free(&out);
            api_no_memory(rp);
            return;
        }
        size_t len;
        char *body = strbuf_take(&out, &len);
        if (!body) {
            api_no_memory(rp);
            return;
        }
        reply_body(rp, 200, "text/csv; charset=utf-8", body, len);
        return;
    }
    json_t *j = extra ? extra : json_object();
    if (!api_set_take(j, "items", items)) {
        json_decref(j);
        api_no_memory(rp);
        return;
    }
    reply_json(rp, 200, j);
}

void render_collection_with(struct request *rq, struct reply *rp, json_t *items,
                            const char *const *columns, json_t *extra) {
    if (!extra) {
        json_decref(items);
        api_no_memory(rp);
        return;
    }
    render_collection(rq, rp, items, columns, extra);
}

void api_reply_items(struct request *rq, struct reply *rp, struct db_conn *db, bool ok,
                     json_t *items, const char *const *columns, const char *what) {
    if (!db)
        return; /* req_db answered already */
    if (!ok)
        api_db_failed(rp, db, what);
    else
        render_collection(rq, rp, items, columns, NULL);
}
