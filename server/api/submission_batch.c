/* Reading a submission's rows (see submission_batch.h): the JSON and CSV readers of
 * domain/ turn each row into an ingest_raw, domain/ingest.c checks it against the
 * catalogue snapshot, and an accepted row becomes one line of COPY text. */
#include "api/submission_batch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "domain/copytext.h"
#include "domain/csvread.h"
#include "domain/ingest_csv.h"
#include "domain/ingest_json.h"
#include "domain/utf8.h"
#include "api/api_util.h"
#include "http/problem.h"

static void add_row(struct batch *b, long ref, const char *pointer_prefix,
                    const struct ingest_raw *raw);
static void add_error(struct batch *b, long ref, const char *pointer_prefix, const char *field,
                      const char *code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add_suggestions(struct batch *b, const struct ingest_error *e);
static void add_read_errors(struct batch *b, long ref, const char *pointer_prefix,
                            const struct ingest_errors *errs);

static const char **known_dims(const struct ingest_catalogue *cat, int *ndims);
static void pointer_append_token(struct strbuf *out, const char *token);

static void add_error(struct batch *b, long ref, const char *pointer_prefix, const char *field,
                      const char *code, const char *fmt, ...) {
    b->nerrors++;
    if (strcmp(code, "not_granted") == 0)
        b->n_not_granted++;
    else if (strcmp(code, "locked") == 0)
        b->n_locked++;
    if (json_array_size(b->errors) >= MAX_LISTED_ERRORS)
        return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *e = problem_error(field, code, "%s", msg);
    json_object_set_new(e, "row", json_integer(ref));
    if (pointer_prefix) {
        struct strbuf ptr;
        strbuf_init(&ptr);
        strbuf_printf(&ptr, "%s/%ld", pointer_prefix, ref);
        if (field)
            pointer_append_token(&ptr, field);
        json_t *jp = ptr.data ? json_string(ptr.data) : NULL;
        if (jp)
            json_object_set_new(e, "pointer", jp);
        strbuf_free(&ptr);
    }
    json_array_append_new(b->errors, e);
}

/* What to send instead, on the error just listed: the nearest known codes, or the period
 * a spreadsheet's month meant. */
static void add_suggestions(struct batch *b, const struct ingest_error *e) {
    size_t n = json_array_size(b->errors);
    if (!e->nsuggestions || !n || n > MAX_LISTED_ERRORS)
        return;
    json_t *list = json_array();
    for (int i = 0; i < e->nsuggestions; i++)
        json_array_append_new(list, json_string(e->suggestions[i]));
    json_object_set_new(json_array_get(b->errors, n - 1), "suggestions", list);
}

/* One reference token of a JSON Pointer (RFC 6901): a member name such as an unknown
 * field "a/b" must read "/a~1b", or the pointer names another place. */
static void pointer_append_token(struct strbuf *out, const char *token) {
    strbuf_putc(out, '/');
    for (const char *p = token; *p; p++) {
        if (*p == '~')
            strbuf_puts(out, "~0");
        else if (*p == '/')
            strbuf_puts(out, "~1");
        else
            strbuf_putc(out, *p);
    }
}

/* Checks one row; an accepted row becomes one line of COPY text. */
static void add_row(struct batch *b, long ref, const char *pointer_prefix,
                    const struct ingest_raw *raw) {
    struct ingest_checked ck;
    b->rows++;
    /* Nearest codes are worth the scan only while errors are still listed. */
    b->snap.cat.suggest = json_array_size(b->errors) < MAX_LISTED_ERRORS;
    bool ok = ingest_check_row(&b->snap.cat, raw, &ck);
    char key[sizeof ck.breakdown_key + 200];
    if (ok) {
        int n = snprintf(key, sizeof key, "%s|%s|%d|%s", ck.metric->code, raw->area,
                         period_month_index(&ck.period), ck.breakdown_key);
        long first = keyset_add(b->seen, key, (size_t)n, ref);
        if (first >= 0) {
            ok = false;
            ck.nerrors = 0;
            add_error(b, ref, pointer_prefix, NULL, "duplicate_row",
                      "row %ld sends the same cell (metric, area, period, breakdown) as row %ld; "
                      "send each cell once",
                      ref, first);
        } else if (first == -2) {
            ok = false;
            add_error(b, ref, pointer_prefix, NULL, "server_busy", "out of memory checking rows");
        }
    }
    for (int i = 0; i < ck.nerrors; i++) {
        size_t listed = json_array_size(b->errors);
        add_error(b, ref, pointer_prefix, ck.errors[i].field, ck.errors[i].code, "%s",
                  ck.errors[i].message);
        if (json_array_size(b->errors) > listed)
            add_suggestions(b, &ck.errors[i]);
    }
    if (!ok) {
        b->bad_rows++;
        return;
    }
    if (b->bad_rows)
        return; /* the batch is refused already: no need to build its COPY text */
    char idx[24], start[16];
    snprintf(idx, sizeof idx, "%ld", ref);
    period_start_date(&ck.period, start, sizeof start);
    /* The breakdown as JSON text. Dimensions and categories were matched against the
     * catalogue, whose codes are plain [a-z0-9_+-], so no escaping is needed. */
    char bd_text[sizeof ck.breakdown_key + 64];
    size_t used = 0;
    bd_text[used++] = '{';
    for (int i = 0; i < raw->breakdown.n; i++) {
        int w = snprintf(bd_text + used, sizeof bd_text - used, "%s\"%s\":\"%s\"", i ? "," : "",
                         raw->breakdown.dim[i], raw->breakdown.cat[i]);
        if (w > 0 && (size_t)w < sizeof bd_text - used)
            used += (size_t)w;
    }
    snprintf(bd_text + used, sizeof bd_text - used, "}");
    struct strbuf *c = &b->copy;
    copy_put_field(c, idx, true);
    copy_put_field(c, ck.metric->code, false);
    copy_put_field(c, raw->area, false);
    copy_put_field(c, start, false);
    copy_put_field(c, ck.breakdown_key, false);
    copy_put_field(c, bd_text, false);
    copy_put_field(c, raw->del ? NULL : ck.value, false);
    copy_put_field(c, ck.lower[0] ? ck.lower : NULL, false);
    copy_put_field(c, ck.upper[0] ? ck.upper : NULL, false);
    copy_put_field(c, ck.status ? ck.status : "provisional", false);
    copy_put_field(c, raw->note, false); /* "" is an empty note; NULL none */
    copy_put_field(c, raw->del ? "t" : "f", false);
    /* What the row leaves out keeps the stored value (db_ingest.c's STAGE_CURRENT). */
    copy_put_field(c, ck.lower_change == INGEST_KEEP ? "t" : "f", false);
    copy_put_field(c, ck.upper_change == INGEST_KEEP ? "t" : "f", false);
    copy_put_field(c, ck.status_change == INGEST_KEEP ? "t" : "f", false);
    copy_put_field(c, ck.note_change == INGEST_KEEP ? "t" : "f", false);
    copy_end_row(c);
}

/* Every error of a row that could not be read, listed against the row. */
static void add_read_errors(struct batch *b, long ref, const char *pointer_prefix,
                            const struct ingest_errors *errs) {
    b->rows++;
    b->bad_rows++;
    for (int i = 0; i < errs->n; i++)
        add_error(b, ref, pointer_prefix, errs->items[i].field, errs->items[i].code, "%s",
                  errs->items[i].message);
    if (errs->lost)
        add_error(b, ref, pointer_prefix, NULL, "server_busy", "out of memory checking rows");
}

bool batch_read_json(struct request *rq, struct reply *rp, struct batch *b, char **reason,
                     bool *override) {
    json_error_t err;
    json_t *doc =
        json_loadb(rq->body.data ? rq->body.data : "", rq->body.len, JSON_REJECT_DUPLICATES, &err);
    if (!doc) {
        problem_reply(rp, 400, "the body is not valid JSON: %s at line %d, column %d", err.text,
                      err.line, err.column);
        return false;
    }
    struct ingest_errors errs = {0};
    struct ingest_json_envelope env;
    if (!ingest_json_read_envelope(doc, &env, &errs)) {
        json_t *list = json_array();
        for (int k = 0; k < errs.n; k++) {
            json_t *e = problem_error(NULL, errs.items[k].code, "%s", errs.items[k].message);
            struct strbuf ptr;
            strbuf_init(&ptr);
            if (errs.items[k].field)
                pointer_append_token(&ptr, errs.items[k].field);
            json_object_set_new(e, "pointer", json_string(ptr.data ? ptr.data : ""));
            strbuf_free(&ptr);
            json_array_append_new(list, e);
        }
        /* The messages may quote a key of doc: answer before letting doc go. */
        if (errs.n == 1)
            problem_reply_errors(rp, 422, list, "%s", errs.items[0].message);
        else
            problem_reply_errors(rp, 422, list, "the submission has %d faults at its top level",
                                 errs.n);
        ingest_errors_free(&errs);
        json_decref(doc);
        return false;
    }
    json_t *obs = env.observations;
    size_t nobs = json_array_size(obs); /* read before doc (which owns obs) is freed */
    if ((long)nobs > g_config.max_rows) {
        ingest_errors_free(&errs);
        json_decref(doc);
        problem_reply(rp, 413, "the batch has %zu rows; the limit is %ld: split it", nobs,
                      g_config.max_rows);
        return false;
    }
    if (env.reason)
        *reason = strdup(env.reason);
    if (env.override_lock) /* ?overrideLock=true counts as much as the body's field */
        *override = true;
    /* Known before any row is checked: an admin override lets rows into locked months. */
    b->snap.cat.override_locks = *override && b->is_admin;
    struct ingest_json_row in;
    size_t i;
    json_t *row;
    json_array_foreach(obs, i, row) {
        ingest_errors_clear(&errs);
        if (ingest_json_read_row(row, &in, &errs))
            add_row(b, (long)i, "/observations", &in.raw);
        else
            add_read_errors(b, (long)i, "/observations", &errs);
    }
    ingest_errors_free(&errs);
    json_decref(doc);
    return true;
}

/* The dimension codes of the catalogue, once each (its categories are sorted by
 * dimension). The names are borrowed from the snapshot; NULL when memory ran out. */
static const char **known_dims(const struct ingest_catalogue *cat, int *ndims) {
    const char **dims = malloc(((size_t)cat->ncategories + 1) * sizeof *dims);
    *ndims = 0;
    for (int k = 0; dims && k < cat->ncategories; k++)
        if (*ndims == 0 || strcmp(dims[*ndims - 1], cat->categories[k].dim) != 0)
            dims[(*ndims)++] = cat->categories[k].dim;
    return dims;
}

bool batch_read_csv(struct request *rq, struct reply *rp, struct batch *b) {
    const char *data = rq->body.data ? rq->body.data : "";
    /* PostgreSQL refuses text that is not UTF-8, so the whole batch would fail as a
     * server error; named here, the partner can find the byte and re-save the file. */
    struct utf8_fault bad;
    if (!utf8_valid(data, rq->body.len, &bad)) {
        problem_reply(rp, 400,
                      "the CSV is not UTF-8 text: byte 0x%02X at line %ld, column %ld does not "
                      "begin a character; save the file as UTF-8 (CSV UTF-8 in Excel)",
                      bad.byte, bad.line, bad.column);
        return false;
    }
    struct csv_reader r;
    csv_reader_init(&r, data, rq->body.len);
    enum csv_status st = csv_read_record(&r);
    if (st != CSV_RECORD) {
        if (st == CSV_ERROR)
            problem_reply(rp, 400, "the CSV is malformed at line %ld, column %ld: %s", r.error_line,
                          r.error_column, r.error);
        else
            problem_reply(rp, 422,
                          "the CSV is empty: send a header row metric,area,period,value "
                          "and one row per figure");
        csv_reader_free(&r);
        return false;
    }
    bool ok = false;
    struct ingest_errors errs = {0};
    struct ingest_csv_columns cols;
    int ndims;
    const char **dims = known_dims(&b->snap.cat, &ndims);
    if (!dims) {
        api_no_memory(rp);
        goto done;
    }
    if (!ingest_csv_read_header(&cols, r.fields, r.nfields, dims, ndims, &errs)) {
        if (errs.lost) {
            api_no_memory(rp);
            goto done;
        }
        json_t *header_errors = json_array();
        for (int i = 0; i < errs.n; i++)
            json_array_append_new(header_errors,
                                  json_pack("{s:i, s:s, s:s, s:s}", "row", 1, "field",
                                            errs.items[i].field, "code", errs.items[i].code,
                                            "message", errs.items[i].message));
        if (errs.n == 1 && strstr(errs.items[0].code, "_separated")) /* say it at once */
            problem_reply_errors(rp, 422, header_errors,
                                 "the CSV header is not right: %s; nothing was written",
                                 errs.items[0].message);
        else
            problem_reply_errors(rp, 422, header_errors,
                                 "the CSV header is not right: see errors; nothing was written");
        goto done;
    }
    while ((st = csv_read_record(&r)) == CSV_RECORD) {
        long line = r.record_line;
        if (b->rows >= g_config.max_rows) {
            problem_reply(rp, 413, "the CSV has more than %ld rows; split it", g_config.max_rows);
            goto done;
        }
        if (ingest_csv_blank_row(r.fields, r.nfields)) {
            b->blank_rows++; /* rows deleted in a spreadsheet leave their commas */
            continue;
        }
        struct ingest_raw raw;
        ingest_errors_clear(&errs);
        if (ingest_csv_read_row(&cols, r.fields, r.quoted, r.nfields, line, &raw, &errs))
            add_row(b, line, NULL, &raw);
        else
            add_read_errors(b, line, NULL, &errs);
    }
    if (st == CSV_ERROR) {
        problem_reply(rp, 400, "the CSV is malformed at line %ld, column %ld: %s", r.error_line,
                      r.error_column, r.error);
        goto done;
    }
    ok = true;
done:
    ingest_errors_free(&errs);
    free(dims);
    csv_reader_free(&r);
    return ok;
}
