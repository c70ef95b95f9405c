/* POST /v1/submissions and the receipts. A batch is all or nothing: every row is
 * checked first (submission_batch.c) and turned into COPY text; if any row is refused,
 * nothing is written and the answer lists every refused row with a stable code. */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"
#include "api/render.h"
#include "api/submission_batch.h"
#include "http/problem.h"
#include "stats.h"
#include "store/db.h"
#include "store/db_ingest.h"
#include "store/db_receipts.h"
#include "config.h"
#include "domain/mediatype.h"

static bool uuid_v4(char out[37]);
static void sha256_hex(const char *data, size_t len, char out[65]);
static int today_month_index(void);

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

/* The query and headers of a POST, checked before any row is read. */
struct post_args {
    bool is_json, dry_run, override;
    const char *idem, *reason;
};

static bool read_post_args(struct request *rq, struct reply *rp, struct post_args *a);
static int answer_replay(struct reply *rp, struct db_conn *db, const char *partner,
                         const char *idem, const char *sha);
static void answer_rejected(struct reply *rp, struct db_conn *db, struct ingest_meta *meta,
                            int status, const struct ingest_counts *counts, json_t *errors,
                            long rows, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
static void apply_batch(struct reply *rp, struct db_conn *db, struct batch *b,
                        struct ingest_meta *meta);
static size_t store_refused(struct db_conn *db, struct ingest_meta *meta, int status,
                            const struct ingest_counts *counts, json_t *errors);

static bool read_post_args(struct request *rq, struct reply *rp, struct post_args *a) {
    const char *ctype = req_header(rq, "Content-Type");
    struct mediatype mt;
    bool typed = mediatype_parse(ctype, &mt);
    a->is_json = typed && mediatype_is(&mt, "application/json");
    bool is_csv = typed && mediatype_is(&mt, "text/csv");
    if (!a->is_json && !is_csv) {
        problem_reply(rp, 415, "send Content-Type: application/json or text/csv (got %.80s)",
                      ctype ? ctype : "none");
        return false;
    }
    /* Both are read as UTF-8 (JSON always is, RFC 8259); another charset would be
     * misread, not converted. */
    if (mt.has_charset && strcmp(mt.charset, "utf-8") != 0) {
        problem_reply(rp, 415, "send the body as UTF-8 (charset=utf-8), not charset=%s",
                      mt.charset);
        return false;
    }
    const char *dry = req_query(rq, "dryRun");
    const char *override = req_query(rq, "overrideLock");
    if ((dry && strcmp(dry, "true") && strcmp(dry, "false")) ||
        (override && strcmp(override, "true") && strcmp(override, "false"))) {
        problem_reply(rp, 400, "dryRun and overrideLock take true or false");
        return false;
    }
    a->dry_run = dry && strcmp(dry, "true") == 0;
    a->override = override && strcmp(override, "true") == 0;
    a->idem = req_header(rq, "Idempotency-Key");
    if (a->idem && (strlen(a->idem) == 0 || strlen(a->idem) > 200)) {
        problem_reply(rp, 400, "Idempotency-Key must be 1 to 200 characters");
        return false;
    }
    a->reason = req_query(rq, "reason");
    return true;
}

/* An earlier submission under this Idempotency-Key: answered as its replay (200 with
 * its receipt) or, for another body, 409. 1 answered, 0 none, -1 failed (rp filled). */
static int answer_replay(struct reply *rp, struct db_conn *db, const char *partner,
                         const char *idem, const char *sha) {
    json_t *prior = NULL;
    bool same = false;
    int found = db_receipt_find_idempotent(db, partner, idem, sha, &prior, &same);
    if (found < 0) {
        api_db_failed(rp, db, "submission");
    } else if (found && !same) {
        json_decref(prior);
        problem_reply(rp, 409,
                      "Idempotency-Key %s was used for a different body; use a new key for a new "
                      "submission",
                      idem);
    } else if (found) {
        reply_json(rp, 200, prior);
        reply_header(rp, "Idempotent-Replayed", "true");
    }
    return found;
}

/* A batch that wrote nothing: its receipt stored (without the Idempotency-Key, so it
 * may be corrected and sent again) and the problem answered with every listed error
 * (errors taken). */
static void answer_rejected(struct reply *rp, struct db_conn *db, struct ingest_meta *meta,
                            int status, const struct ingest_counts *counts, json_t *errors,
                            long rows, const char *fmt, ...) {
    meta->idempotency_key = NULL;
    size_t sent = meta->payload ? strlen(meta->payload) : 0;
    size_t kept = store_refused(db, meta, status, counts, errors);
    stats_ingest_rows("rejected", (unsigned long long)rows);
    char detail[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    problem_reply_errors(rp, status, errors, "%s", detail);
    json_object_set_new(rp->json, "id", json_string(meta->id));
    json_object_set_new(rp->json, "outcome", json_string("rejected"));
    json_object_set_new(rp->json, "counts", db_ingest_counts_json(counts));
    json_object_set_new(
        rp->json, "body",
        json_pack("{s:I, s:I}", "bytes", (json_int_t)sent, "kept", (json_int_t)kept));
}

/* A refused submission's receipt keeps its errors but only the first
 * WELLBEING_REFUSED_EXCERPT bytes of its body, cut at a character boundary (the body is
 * UTF-8 by now), and notes the size sent. Returns the bytes kept. */
static size_t store_refused(struct db_conn *db, struct ingest_meta *meta, int status,
                            const struct ingest_counts *counts, json_t *errors) {
    const char *body = meta->payload ? meta->payload : "";
    size_t len = strlen(body), keep = len;
    if (keep > g_config.refused_excerpt) {
        keep = g_config.refused_excerpt;
        while (keep > 0 && ((unsigned char)body[keep] & 0xC0) == 0x80)
            keep--;
    }
    char *excerpt = keep < len ? strndup(body, keep) : NULL;
    if (excerpt)
        meta->payload = excerpt;
    if (db_receipt_store(db, meta, "rejected", status, counts, errors, NULL) && excerpt)
        db_receipt_note_body(db, meta->id, len);
    meta->payload = body;
    free(excerpt);
    return keep;
}

/* Writes an accepted batch (or measures it, for a dry run) and answers. */
static void apply_batch(struct reply *rp, struct db_conn *db, struct batch *b,
                        struct ingest_meta *meta) {
    struct ingest_counts counts = {0};
    json_t *warnings = NULL, *errors = NULL;
    uint64_t version = 0;
    enum ingest_outcome out =
        db_ingest_apply(db, meta, &b->copy, &counts, &warnings, &errors, &version);
    if (out == INGEST_DUPLICATE_KEY) {
        /* Another request with this key won the race: answer as its replay. */
        if (answer_replay(rp, db, meta->partner, meta->idempotency_key, meta->body_sha256_hex) == 0)
            problem_reply(rp, 409, "Idempotency-Key %s is in use; retry", meta->idempotency_key);
    } else if (out == INGEST_DB_FAILED) {
        api_db_failed(rp, db, "submission");
    } else if (out == INGEST_NEEDS_REASON) {
        struct ingest_counts refused = {.rejected = (long)json_array_size(errors),
                                        .skipped = meta->skipped};
        answer_rejected(rp, db, meta, 422, &refused, errors, b->rows,
                        "%ld row(s) would change a final figure without a reason; nothing was "
                        "written",
                        refused.rejected);
        errors = NULL;
    } else if (out == INGEST_REFUSED || out == INGEST_NOT_RESPONSIBLE) {
        /* Checks against the stored figures (responsibility, kept limits, rules across
         * figures): every such row listed, with a pointer for a JSON body. */
        for (size_t k = 0; strcmp(meta->format, "json") == 0 && k < json_array_size(errors); k++) {
            json_t *e = json_array_get(errors, k);
            const char *field = json_string_value(json_object_get(e, "field"));
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/observations/%lld/%s",
                     (long long)json_integer_value(json_object_get(e, "row")), field ? field : "");
            json_object_set_new(e, "pointer", json_string(ptr));
        }
        struct ingest_counts refused = {.rejected = counts.rejected};
        answer_rejected(rp, db, meta, out == INGEST_NOT_RESPONSIBLE ? 409 : 422, &refused, errors,
                        b->rows,
                        "%ld row(s) were refused by checks against the stored figures (see "
                        "errors); nothing was written",
                        refused.rejected);
        errors = NULL;
    } else {
        if (meta->dry_run)
            db_receipt_store(db, meta, "dry_run", 200, &counts, NULL, warnings);
        stats_ingest_rows(meta->dry_run ? "dry_run" : "applied", (unsigned long long)b->rows);
        json_t *answer = json_pack("{s:s, s:s, s:o, s:[], s:O}", "id", meta->id, "status",
                                   meta->dry_run ? "dry_run" : "applied", "counts",
                                   db_ingest_counts_json(&counts), "errors", "warnings", warnings);
        reply_json(rp, meta->dry_run ? 200 : 201, answer);
        if (!meta->dry_run) {
            char location[80];
            snprintf(location, sizeof location, "%s/%s", "/v1/submissions", meta->id);
            reply_header(rp, "Location", location);
        }
    }
    json_decref(warnings);
    json_decref(errors);
}

void api_post_submission(struct request *rq, struct reply *rp) {
    struct post_args args;
    if (!read_post_args(rq, rp, &args))
        return;
    bool is_admin = rq->who.scopes & SCOPE_ADMIN;
    const char *partner = rq->who.partner[0] ? rq->who.partner : NULL;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    char sha[65];
    sha256_hex(rq->body.data, rq->body.len, sha);
    if (args.idem && answer_replay(rp, db, partner, args.idem, sha) != 0)
        return;

    struct batch b = {.errors = json_array(), .is_admin = is_admin};
    strbuf_init(&b.copy);
    char *reason_body = NULL;
    char id[37];
    if (!b.errors) {
        api_no_memory(rp);
        goto done;
    }
    if (!uuid_v4(id)) {
        problem_reply(rp, 500, "no randomness for a submission id");
        goto done;
    }
    if (!db_ingest_snapshot(db, partner, &b.snap)) {
        api_db_failed(rp, db, "catalogue");
        goto done;
    }
    b.snap.cat.check_grants = !is_admin;
    b.snap.cat.override_locks = args.override && is_admin;
    b.snap.cat.today_month_index = today_month_index();
    b.seen = keyset_new(1024);
    if (!b.seen) {
        api_no_memory(rp);
        goto done;
    }
    if (!(args.is_json ? batch_read_json(rq, rp, &b, &reason_body, &args.override)
                       : batch_read_csv(rq, rp, &b)))
        goto done;
    const char *reason = reason_body ? reason_body : args.reason;
    if (args.override && (!is_admin || !reason)) {
        problem_reply(rp, is_admin ? 422 : 403,
                      is_admin ? "overriding a lock needs a reason (\"reason\" or ?reason=)"
                               : "only an admin key can override a period lock");
        goto done;
    }
    if (b.rows == 0) {
        problem_reply(rp, 422, "the submission has no rows");
        goto done;
    }
    struct ingest_meta meta = {.id = id,
                               .partner = partner,
                               .key_id = rq->who.key_id,
                               .format = args.is_json ? "json" : "csv",
                               /* a dry run reserves nothing */
                               .idempotency_key = args.dry_run ? NULL : args.idem,
                               .body_sha256_hex = sha,
                               .payload = rq->body.data ? rq->body.data : "",
                               .rows = b.rows,
                               .skipped = b.blank_rows,
                               .dry_run = args.dry_run,
                               .lock_override = args.override,
                               .is_admin = is_admin,
                               .reason = reason};
    if (b.nerrors) {
        int status = b.n_not_granted == b.nerrors ? 403 : b.n_locked == b.nerrors ? 409 : 422;
        struct ingest_counts counts = {.rejected = b.bad_rows, .skipped = b.blank_rows};
        json_t *errs = b.errors;
        b.errors = NULL;
        answer_rejected(rp, db, &meta, status, &counts, errs, b.rows,
                        "%ld of %ld rows were refused (%ld problems); nothing was written. Fix "
                        "the rows listed and send the whole batch again.",
                        b.bad_rows, b.rows, b.nerrors);
        if (b.nerrors > MAX_LISTED_ERRORS)
            json_object_set_new(rp->json, "errors_not_listed",
                                json_integer(b.nerrors - MAX_LISTED_ERRORS));
        goto done;
    }
    apply_batch(rp, db, &b, &meta);
done:
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
    int found = db_receipt_get(db, id, is_admin ? NULL : rq->who.partner, &receipt);
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
    json_t *items = NULL;
    bool ok = db && db_receipts_list(db, partner, limit, &items);
    api_reply_items(rq, rp, db, ok, items, columns, "submissions");
}
