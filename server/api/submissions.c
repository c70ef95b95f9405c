/* POST /v1/submissions and the receipts. A batch is all or nothing: every row is
 * checked first (domain/ingest.c) and turned into COPY text; if any row is refused,
 * nothing is written and the answer lists every refused row with a stable code. */
#include <openssl/evp.h>
#include <stdarg.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "store/db.h"
#include "store/db_ingest.h"
#include "store/db_receipts.h"
#include "domain/copytext.h"
#include "domain/csvread.h"
#include "domain/ingest_csv.h"
#include "domain/ingest_json.h"
#include "domain/mediatype.h"
#include "domain/keyset.h"
#include "domain/utf8.h"
#include "log.h"
#include "http/problem.h"
#include "api/render.h"
#include "stats.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"

#define MAX_LISTED_ERRORS 1000

/* Everything one POST carries through its checks. */
struct batch {
    struct ingest_snapshot snap;
    struct keyset *seen;
    struct strbuf copy; /* COPY text of the accepted rows */
    json_t *errors;     /* listed row errors (at most MAX_LISTED_ERRORS) */
    long nerrors;       /* all row errors, listed or not */
    long bad_rows;
    long rows;
    long n_not_granted, n_locked; /* errors of each access kind */
    bool is_admin;
};

static bool uuid_v4(char out[37]);
static size_t store_refused(struct db_conn *db, struct ingest_meta *meta, struct request *rq,
                            int status, const struct ingest_counts *counts, json_t *errors);
static void say_kept(struct reply *rp, size_t sent, size_t kept);
static void sha256_hex(const char *data, size_t len, char out[65]);
static int today_month_index(void);
static void add_row(struct batch *b, long ref, const char *pointer_prefix,
                    const struct ingest_raw *raw);
static void add_error(struct batch *b, long ref, const char *pointer_prefix, const char *field,
                      const char *code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add_read_errors(struct batch *b, long ref, const char *pointer_prefix,
                            const struct ingest_errors *errs);
static bool parse_json(struct request *rq, struct reply *rp, struct batch *b, const char **reason,
                       bool *override);
static const char **known_dims(const struct ingest_catalogue *cat, int *ndims);
static bool parse_csv(struct request *rq, struct reply *rp, struct batch *b);
static json_t *counts_json(const struct ingest_counts *c);
static void pointer_append_token(struct strbuf *out, const char *token);

static bool uuid_v4(char out[37]) {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1)
        return false;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    return true;
}

static void sha256_hex(const char *data, size_t len, char out[65]) {
    unsigned char d[32];
    unsigned int n = 32;
    EVP_Digest(data ? data : "", len, d, &n, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int today_month_index(void) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

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
    for (int i = 0; i < ck.nerrors; i++)
        add_error(b, ref, pointer_prefix, ck.errors[i].field, ck.errors[i].code, "%s",
                  ck.errors[i].message);
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
    copy_put_field(c, ck.final ? "final" : "provisional", false);
    copy_put_field(c, raw->note && *raw->note ? raw->note : NULL, false);
    copy_put_field(c, raw->del ? "t" : "f", false);
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

static bool parse_json(struct request *rq, struct reply *rp, struct batch *b, const char **reason,
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

static bool parse_csv(struct request *rq, struct reply *rp, struct batch *b) {
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
        problem_reply(rp, 503, "the server is short of memory; try again");
        reply_header(rp, "Retry-After", "5");
        goto done;
    }
    if (!ingest_csv_read_header(&cols, r.fields, r.nfields, dims, ndims, &errs)) {
        if (errs.lost) {
            problem_reply(rp, 503, "the server is short of memory; try again");
            reply_header(rp, "Retry-After", "5");
            goto done;
        }
        json_t *header_errors = json_array();
        for (int i = 0; i < errs.n; i++)
            json_array_append_new(header_errors,
                                  json_pack("{s:i, s:s, s:s, s:s}", "row", 1, "field",
                                            errs.items[i].field, "code", errs.items[i].code,
                                            "message", errs.items[i].message));
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
        struct ingest_raw raw;
        ingest_errors_clear(&errs);
        if (ingest_csv_read_row(&cols, r.fields, r.nfields, line, &raw, &errs))
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

static json_t *counts_json(const struct ingest_counts *c) {
    return json_pack("{s:I, s:I, s:I, s:I, s:I}", "created", (json_int_t)c->created, "updated",
                     (json_int_t)c->updated, "unchanged", (json_int_t)c->unchanged, "deleted",
                     (json_int_t)c->deleted, "rejected", (json_int_t)c->rejected);
}

/* A refused submission's receipt keeps its errors but only the first
 * WELLBEING_REFUSED_EXCERPT bytes of its body, cut at a character boundary (the body is
 * UTF-8 by now), and notes the size sent. */
static size_t store_refused(struct db_conn *db, struct ingest_meta *meta, struct request *rq,
                            int status, const struct ingest_counts *counts, json_t *errors) {
    size_t len = rq->body.len, keep = len;
    if (keep > g_config.refused_excerpt) {
        keep = g_config.refused_excerpt;
        while (keep > 0 && ((unsigned char)rq->body.data[keep] & 0xC0) == 0x80)
            keep--;
    }
    char *excerpt = keep < len ? strndup(rq->body.data, keep) : NULL;
    const char *whole = meta->payload;
    if (excerpt)
        meta->payload = excerpt;
    if (db_ingest_store_receipt(db, meta, "rejected", status, counts, errors, NULL) && excerpt)
        db_receipt_note_body(db, meta->id, len);
    meta->payload = whole;
    free(excerpt);
    return keep;
}

static void say_kept(struct reply *rp, size_t sent, size_t kept) {
    if (rp->json)
        json_object_set_new(
            rp->json, "body",
            json_pack("{s:I, s:I}", "bytes", (json_int_t)sent, "kept", (json_int_t)kept));
}

void api_post_submission(struct request *rq, struct reply *rp) {
    const char *ctype = req_header(rq, "Content-Type");
    struct mediatype mt;
    bool typed = mediatype_parse(ctype, &mt);
    bool is_json = typed && mediatype_is(&mt, "application/json");
    bool is_csv = typed && mediatype_is(&mt, "text/csv");
    if (!is_json && !is_csv) {
        problem_reply(rp, 415, "send Content-Type: application/json or text/csv (got %.80s)",
                      ctype ? ctype : "none");
        return;
    }
    /* Both are read as UTF-8 (JSON always is, RFC 8259); another charset would be
     * misread, not converted. */
    if (mt.has_charset && strcmp(mt.charset, "utf-8") != 0) {
        problem_reply(rp, 415, "send the body as UTF-8 (charset=utf-8), not charset=%s",
                      mt.charset);
        return;
    }
    const char *dry = req_query(rq, "dryRun");
    const char *override_q = req_query(rq, "overrideLock");
    if ((dry && strcmp(dry, "true") && strcmp(dry, "false")) ||
        (override_q && strcmp(override_q, "true") && strcmp(override_q, "false"))) {
        problem_reply(rp, 400, "dryRun and overrideLock take true or false");
        return;
    }
    const char *idem = req_header(rq, "Idempotency-Key");
    if (idem && (strlen(idem) == 0 || strlen(idem) > 200)) {
        problem_reply(rp, 400, "Idempotency-Key must be 1 to 200 characters");
        return;
    }
    bool is_admin = rq->who.scopes & SCOPE_ADMIN;
    const char *partner = rq->who.partner[0] ? rq->who.partner : NULL;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;

    char sha[65];
    sha256_hex(rq->body.data, rq->body.len, sha);
    if (idem) {
        json_t *prior = NULL;
        bool same = false;
        int found = db_ingest_find_idempotent(db, partner, idem, sha, &prior, &same);
        if (found < 0) {
            api_db_failed(rp, db, "submission");
            return;
        }
        if (found && !same) {
            json_decref(prior);
            problem_reply(rp, 409,
                          "Idempotency-Key %s was used for a different body; use a new "
                          "key for a new submission",
                          idem);
            return;
        }
        if (found) {
            reply_json(rp, 200, prior);
            reply_header(rp, "Idempotent-Replayed", "true");
            return;
        }
    }

    struct batch b = {0};
    b.errors = json_array();
    strbuf_init(&b.copy);
    const char *reason_q = req_query(rq, "reason");
    char *reason_body = NULL;
    bool override = override_q && strcmp(override_q, "true") == 0;
    char id[37];
    struct ingest_counts counts = {0};
    json_t *warnings = NULL, *errors = NULL;
    if (!uuid_v4(id)) {
        problem_reply(rp, 500, "no randomness for a submission id");
        goto done;
    }
    if (!db_ingest_snapshot(db, partner, &b.snap)) {
        api_db_failed(rp, db, "catalogue");
        goto done;
    }
    b.is_admin = is_admin;
    b.snap.cat.check_grants = !is_admin;
    b.snap.cat.override_locks = override && is_admin;
    b.snap.cat.today_month_index = today_month_index();
    b.seen = keyset_new(1024);
    bool parsed = is_json ? parse_json(rq, rp, &b, (const char **)&reason_body, &override)
                          : parse_csv(rq, rp, &b);
    if (!parsed)
        goto done;
    const char *reason = reason_body ? reason_body : reason_q;
    if (override && (!is_admin || !reason)) {
        problem_reply(rp, is_admin ? 422 : 403,
                      is_admin ? "overriding a lock needs a reason (\"reason\" or ?reason=)"
                               : "only an admin key can override a period lock");
        goto done;
    }
    struct ingest_meta meta = {.id = id,
                               .partner = partner,
                               .key_id = rq->who.key_id,
                               .format = is_json ? "json" : "csv",
                               .idempotency_key = idem,
                               .body_sha256_hex = sha,
                               .payload = rq->body.data ? rq->body.data : "",
                               .rows = b.rows,
                               .dry_run = dry && strcmp(dry, "true") == 0,
                               .lock_override = override,
                               .reason = reason};
    if (b.rows == 0) {
        problem_reply(rp, 422, "the submission has no rows");
        goto done;
    }
    if (b.nerrors) {
        int status = b.n_not_granted == b.nerrors ? 403 : b.n_locked == b.nerrors ? 409 : 422;
        meta.idempotency_key = NULL; /* a refused batch may be corrected and sent again */
        counts.rejected = b.bad_rows;
        size_t kept = store_refused(db, &meta, rq, status, &counts, b.errors);
        stats_ingest_rows("rejected", (unsigned long long)b.rows);
        json_t *errs = b.errors;
        b.errors = NULL;
        problem_reply_errors(rp, status, errs,
                             "%ld of %ld rows were refused (%ld problems); nothing was written. "
                             "Fix the rows listed and send the whole batch again.",
                             b.bad_rows, b.rows, b.nerrors);
        json_object_set_new(rp->json, "id", json_string(id));
        json_object_set_new(rp->json, "outcome", json_string("rejected"));
        json_object_set_new(rp->json, "counts", counts_json(&counts));
        say_kept(rp, rq->body.len, kept);
        if (b.nerrors > MAX_LISTED_ERRORS)
            json_object_set_new(rp->json, "errors_not_listed",
                                json_integer(b.nerrors - MAX_LISTED_ERRORS));
        goto done;
    }
    if (meta.dry_run)
        meta.idempotency_key = NULL; /* a dry run reserves nothing */
    uint64_t version = 0;
    enum ingest_outcome out =
        db_ingest_apply(db, &meta, &b.copy, &counts, &warnings, &errors, &version);
    if (out == INGEST_DUPLICATE_KEY) {
        /* Another request with this key won the race: answer as its replay. */
        json_t *prior = NULL;
        bool same = false;
        if (db_ingest_find_idempotent(db, partner, idem, sha, &prior, &same) == 1) {
            if (same) {
                reply_json(rp, 200, prior);
                reply_header(rp, "Idempotent-Replayed", "true");
            } else {
                json_decref(prior);
                problem_reply(rp, 409, "Idempotency-Key %s was used for a different body", idem);
            }
        } else {
            problem_reply(rp, 409, "Idempotency-Key %s is in use; retry", idem);
        }
        goto done;
    }
    if (out == INGEST_DB_FAILED) {
        api_db_failed(rp, db, "submission");
        goto done;
    }
    if (out == INGEST_NEEDS_REASON) {
        meta.idempotency_key = NULL;
        struct ingest_counts refused = {.rejected = (long)json_array_size(errors)};
        size_t kept = store_refused(db, &meta, rq, 422, &refused, errors);
        stats_ingest_rows("rejected", (unsigned long long)b.rows);
        problem_reply_errors(rp, 422, errors,
                             "%ld row(s) would change a final figure without a reason; nothing "
                             "was written",
                             refused.rejected);
        errors = NULL;
        json_object_set_new(rp->json, "id", json_string(id));
        json_object_set_new(rp->json, "outcome", json_string("rejected"));
        json_object_set_new(rp->json, "counts", counts_json(&refused));
        say_kept(rp, rq->body.len, kept);
        goto done;
    }
    if (meta.dry_run) {
        db_ingest_store_receipt(db, &meta, "dry_run", 200, &counts, NULL, warnings);
        stats_ingest_rows("dry_run", (unsigned long long)b.rows);
    } else {
        stats_ingest_rows("applied", (unsigned long long)b.rows);
    }
    json_t *answer = json_pack("{s:s, s:s, s:o, s:[], s:O}", "id", id, "status",
                               meta.dry_run ? "dry_run" : "applied", "counts", counts_json(&counts),
                               "errors", "warnings", warnings);
    reply_json(rp, meta.dry_run ? 200 : 201, answer);
    if (!meta.dry_run) {
        char location[80];
        snprintf(location, sizeof location, "%s/%s", "/v1/submissions", id);
        reply_header(rp, "Location", location);
    }
done:
    json_decref(warnings);
    json_decref(errors);
    json_decref(b.errors);
    keyset_free(b.seen);
    strbuf_free(&b.copy);
    db_ingest_snapshot_free(&b.snap);
    free(reason_body);
}

/* A uuid as text, so a malformed id is a 404 rather than a database error. */
static bool looks_like_uuid(const char *s) {
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        char c = s[i];
        if (dash ? c != '-'
                 : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

void api_get_submission(struct request *rq, struct reply *rp) {
    const char *id = req_param(rq, 0);
    bool is_admin = rq->who.scopes & SCOPE_ADMIN;
    if (!looks_like_uuid(id)) {
        problem_reply(rp, 404, "no submission %s", id);
        return;
    }
    if (!is_admin && !rq->who.partner[0]) {
        problem_reply(rp, 403, "this key belongs to no partner, so it has no submissions");
        return;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    json_t *receipt = NULL;
    int found = db_ingest_receipt(db, id, is_admin ? NULL : rq->who.partner, &receipt);
    if (found < 0)
        api_db_failed(rp, db, "submission");
    else if (!found)
        problem_reply(rp, 404, "no submission %s for this key", id);
    else
        reply_json(rp, 200, receipt);
}

void api_list_submissions(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {"id",        "partner", "received_at",
                                          "format",    "status",  "http_status",
                                          "row_count", "counts",  NULL};
    bool is_admin = rq->who.scopes & SCOPE_ADMIN;
    const char *partner = req_query(rq, "partner");
    if (!is_admin) {
        if (!rq->who.partner[0]) {
            problem_reply(rp, 403, "this key belongs to no partner, so it has no submissions");
            return;
        }
        if (partner && strcmp(partner, rq->who.partner) != 0) {
            problem_reply(rp, 403, "a partner key sees only its own partner's submissions");
            return;
        }
        partner = rq->who.partner;
    }
    int limit = 100;
    const char *l = req_query(rq, "limit");
    if (l) {
        char *end;
        long n = strtol(l, &end, 10);
        if (*end || n < 1 || n > 1000) {
            problem_reply(rp, 400, "limit=%s: use a whole number from 1 to 1000", l);
            return;
        }
        limit = (int)n;
    }
    if (!api_check_filters(rq, rp, FILTER_PARTNER))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    json_t *items = NULL;
    if (!db_ingest_list(db, partner, limit, &items)) {
        api_db_failed(rp, db, "submissions");
        return;
    }
    render_collection(rq, rp, items, columns, NULL);
}
