/* GET /v1/observations: figures filtered by metric, area, period range, breakdown and
 * change time. JSON comes in pages with a cursor; CSV streams every matching row from
 * a single-row-mode query, so an export of any size runs in constant memory. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_util.h"
#include "api/disclosure.h"
#include "api/filters.h"
#include "api/render.h"
#include "api/steward.h"
#include "config.h"
#include "domain/breakdown.h"
#include "domain/csv.h"
#include "domain/period.h"
#include "domain/rfc3339.h"
#include "http/problem.h"
#include "store/db.h"
#include "store/db_observations.h"
#include "usage.h"

#define PAGE_DEFAULT 1000
#define PAGE_MAX 10000
#define STREAM_CHUNK 65536
#define STREAM_BATCH 256

static const char *const obs_columns[] = {
    "metric", "area",       "period", "breakdown",  "value",     "lower", "upper",
    "status", "suppressed", "note",   "updated_at", "withdrawn", NULL};

struct obs_query {
    struct db_obs_query q;
    char from[32], to[32], key[512], dims[512];
    char moment[40]; /* asOf= or snapshot=, RFC 3339 UTC */
    struct db_obs_key cursor;
    char after[RFC3339_FORMAT_SIZE];
};

struct obs_stream {
    struct db_conn *db;
    struct strbuf buf;
    size_t sent;
    bool finished;
    bool failed;
    int hide_max;
    char as_of[40]; /* the moment asked about (asOf=, snapshot=), "" for now */
    /* Open reads: rows are rendered a batch at a time, once the batch's figures' whole
     * tables have been judged through a second connection (the first is streaming). */
    struct db_conn *side;
    json_t *batch[STREAM_BATCH];
    int nbatch;
    unsigned long long *bytes; /* the request's count of body bytes sent */
};

static bool parse_query(struct request *rq, struct reply *rp, struct obs_query *q);
static void cursor_encode(const struct db_obs_key *k, char *out, size_t size);
static bool cursor_decode(const char *text, struct db_obs_key *k);
static void stream_csv(struct request *rq, struct reply *rp, struct obs_query *q);
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max);
static void stream_free(void *cls);
static void render_batch(struct obs_stream *s);

static bool parse_query(struct request *rq, struct reply *rp, struct obs_query *q) {
    struct period from, to;
    bool has_from, has_to;
    memset(q, 0, sizeof *q);
    if (!api_period_param(rq, rp, "from", &from, &has_from) ||
        !api_period_param(rq, rp, "to", &to, &has_to))
        return false;
    q->q.metric = req_query(rq, "metric");
    q->q.area = req_query(rq, "area");
    if (has_from) {
        period_start_date(&from, q->from, sizeof q->from);
        q->q.from = q->from;
    }
    if (has_to) {
        int end = period_end_index(&to);
        snprintf(q->to, sizeof q->to, "%04d-%02d-01", end / 12, end % 12 + 1);
        q->q.to = q->to;
    }
    const char *bd = req_query(rq, "breakdown");
    if (!bd || !*bd || strcmp(bd, "total") == 0) {
        q->q.bkey = ""; /* the total only */
    } else if (strcmp(bd, "all") != 0) {
        struct breakdown b;
        bool dims_only;
        if (!breakdown_parse_filter(bd, &b, &dims_only)) {
            problem_reply(rp, 400,
                          "breakdown=%s: use total, all, a dimension (sex), or pairs "
                          "(sex=female;age_band=16-24)",
                          bd);
            return false;
        }
        if (dims_only) {
            breakdown_dims(&b, q->dims, sizeof q->dims);
            q->q.dims = q->dims;
        } else {
            breakdown_key(&b, q->key, sizeof q->key);
            q->q.bkey = q->key;
        }
    }
    const char *after = req_query(rq, "updatedAfter");
    if (after) {
        /* Read here, not by PostgreSQL, whose parser takes "yesterday" and "epoch". */
        struct timespec t;
        if (!rfc3339_parse(after, &t) || rfc3339_format_utc(&t, q->after, sizeof q->after) < 0) {
            problem_reply(rp, 400,
                          "updatedAfter=%.60s is not an RFC 3339 timestamp: use "
                          "2019-02-01T00:00:00Z, or an offset such as +01:00 (%%2B01:00 in a "
                          "URL)",
                          after);
            return false;
        }
        q->q.updated_after = q->after;
    }
    const char *cursor = req_query(rq, "cursor");
    if (cursor) {
        if (!cursor_decode(cursor, &q->cursor)) {
            problem_reply(rp, 400,
                          "cursor is not one this server gave out; start again without it");
            return false;
        }
        q->q.after = &q->cursor;
    }
    const char *limit = req_query(rq, "limit");
    q->q.limit = PAGE_DEFAULT;
    if (limit) {
        char *end;
        long n = strtol(limit, &end, 10);
        if (*end || n < 1 || n > PAGE_MAX) {
            problem_reply(rp, 400, "limit=%s: use a whole number from 1 to %d", limit, PAGE_MAX);
            return false;
        }
        q->q.limit = (int)n;
    }
    const char *last = req_query(rq, "last");
    if (last) {
        char *end;
        long n = strtol(last, &end, 10);
        if (*end || n < 1 || n > 1000) {
            problem_reply(rp, 400, "last=%s: use a whole number of periods from 1 to 1000", last);
            return false;
        }
        q->q.last = (int)n;
    }
    /* An open read hides breakdown counts from 1 to small_count_max. */
    bool open_read = !(rq->who.scopes & (SCOPE_READ | SCOPE_ADMIN));
    q->q.hide_max = open_read && g_config.small_count_max > 0 ? g_config.small_count_max : 0;
    return true;
}

/* A cursor is the key of the last row sent, base64url over unit-separated fields. */
static void cursor_encode(const struct db_obs_key *k, char *out, size_t size) {
    char raw[1200];
    int n = snprintf(raw, sizeof raw, "%s\x1f%s\x1f%s\x1f%s", k->metric, k->area, k->period_start,
                     k->bkey);
    if (n < 0 || (size_t)n >= sizeof raw || size < 4 * ((size_t)n + 2) / 3 + 4) {
        out[0] = '\0';
        return;
    }
    int len = EVP_EncodeBlock((unsigned char *)out, (unsigned char *)raw, n);
    for (int k = 0; k < len; k++)
        out[k] = out[k] == '+' ? '-' : out[k] == '/' ? '_' : out[k];
    while (len > 0 && out[len - 1] == '=')
        out[--len] = '\0';
}

static bool cursor_decode(const char *text, struct db_obs_key *k) {
    char b64[1700];
    size_t n = strlen(text);
    if (n == 0 || n + 4 > sizeof b64)
        return false;
    for (size_t k = 0; k < n; k++)
        b64[k] = text[k] == '-' ? '+' : text[k] == '_' ? '/' : text[k];
    while (n % 4)
        b64[n++] = '=';
    b64[n] = '\0';
    unsigned char raw[1300];
    int len = EVP_DecodeBlock(raw, (unsigned char *)b64, (int)n);
    if (len < 0)
        return false;
    while (len > 0 && raw[len - 1] == '\0') /* padding decodes to zero bytes */
        len--;
    raw[len] = '\0';
    char *field = (char *)raw;
    char *const fields[4] = {k->metric, k->area, k->period_start, k->bkey};
    for (int f = 0; f < 4; f++) {
        char *sep = f < 3 ? strchr(field, '\x1f') : NULL;
        if (f < 3 && !sep)
            return false;
        if (sep)
            *sep = '\0';
        if (strlen(field) >= sizeof k->metric)
            return false;
        strcpy(fields[f], field);
        field = sep ? sep + 1 : field + strlen(field);
    }
    struct period p;
    return period_from_date(k->period_start, PERIOD_MONTHLY, &p);
}

void api_list_observations(struct request *rq, struct reply *rp) {
    struct obs_query q;
    if (!parse_query(rq, rp, &q) ||
        !api_check_filters(rq, rp, FILTER_METRIC | FILTER_AREA | FILTER_BREAKDOWN))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    bool has_moment = false;
    if (!steward_read_moment(rq, rp, db, q.moment, &has_moment))
        return;
    if (has_moment) {
        q.q.as_of = q.moment;
        /* SDMX: a change after the moment asked about cannot be in the record as it stood. */
        struct timespec after, at;
        if (q.q.updated_after && rfc3339_parse(q.q.updated_after, &after) &&
            rfc3339_parse(q.moment, &at) &&
            (after.tv_sec > at.tv_sec ||
             (after.tv_sec == at.tv_sec && after.tv_nsec > at.tv_nsec))) {
            problem_reply(rp, 400, "updatedAfter=%s is later than the moment asked about (%s)",
                          q.q.updated_after, q.moment);
            return;
        }
    }
    usage_count(q.q.metric);
    if (rq->csv) {
        stream_csv(rq, rp, &q);
        return;
    }
    json_t *items;
    bool more, bad_time;
    struct db_obs_key last;
    if (!db_observations_page(db, &q.q, &items, &more, &last, &bad_time)) {
        if (bad_time)
            problem_reply(rp, 400,
                          "updatedAfter=%s is not a timestamp: use ISO 8601, "
                          "2019-02-01T00:00:00Z",
                          q.q.updated_after ? q.q.updated_after : "");
        else
            api_db_failed(rp, db, "observations");
        return;
    }
    /* Complementary suppression: the cells that would give a hidden one away go too. */
    if (q.q.hide_max && !disclosure_apply_items(db, items, q.q.hide_max, q.q.as_of)) {
        json_decref(items);
        api_db_failed(rp, db, "observations");
        return;
    }
    char cursor[1800];
    if (more)
        cursor_encode(&last, cursor, sizeof cursor);
    json_t *extra = json_pack("{s:o}", "next_cursor", more ? json_string(cursor) : json_null());
    render_collection_with(rq, rp, items, obs_columns, extra);
}

/* ---- CSV streaming ---- */

static void stream_csv(struct request *rq, struct reply *rp, struct obs_query *q) {
    struct obs_stream *s = calloc(1, sizeof *s);
    if (!s) {
        api_no_memory(rp);
        return;
    }
    s->db = rq->db;
    s->hide_max = q->q.hide_max;
    if (q->q.as_of)
        snprintf(s->as_of, sizeof s->as_of, "%s", q->q.as_of);
    strbuf_init(&s->buf);
    if (!db_observations_stream(s->db, &q->q)) {
        free(s);
        api_db_failed(rp, rq->db, "observations");
        return;
    }
    /* The status goes with the headers: wait for the query's first answer (its first
     * row, or its error) before deciding it, rather than send 200 and cut the body. */
    json_t *first = NULL;
    int got = db_observations_next(s->db, s->hide_max, &first);
    if (got < 0 || (s->hide_max && !(s->side = db_acquire()))) {
        json_decref(first);
        if (got > 0)
            db_observations_cancel(s->db);
        strbuf_free(&s->buf);
        free(s);
        if (got < 0)
            api_db_failed(rp, rq->db, "observations");
        else
            problem_unavailable(rp);
        return;
    }
    if (got > 0)
        s->batch[s->nbatch++] = first;
    else
        s->finished = true;
    s->bytes = &rq->bytes;
    render_csv_header(&s->buf, obs_columns);
    rq->db = NULL; /* the stream owns the connection until the last row is sent */
    /* The daemon makes the response; when it cannot, stream_free releases s all the
     * same and the answer is the out-of-memory 503. */
    reply_stream(rp, 200, "text/csv; charset=utf-8", STREAM_CHUNK, stream_read, s, stream_free);
    const char *from = req_query(rq, "from"), *to = req_query(rq, "to");
    if (from && to && strcmp(from, to) == 0)
        to = NULL; /* one period: named once */
    const char *name[] = {"observations",
                          req_query(rq, "metric"),
                          req_query(rq, "area"),
                          req_query(rq, "breakdown"),
                          from,
                          to};
    render_csv_name(rq, rp, name, 6);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)pos;
    struct obs_stream *s = cls;
    /* Keep only what is still unsent before reading more rows: without this the buffer
     * would hold the whole export, a chunk's worth at a time. */
    if (s->sent) {
        memmove(s->buf.data, s->buf.data + s->sent, s->buf.len - s->sent);
        s->buf.len -= s->sent;
        s->buf.data[s->buf.len] = '\0';
        s->sent = 0;
    }
    while (s->buf.len - s->sent < max && !s->failed) {
        if (!s->finished && (s->nbatch < STREAM_BATCH)) {
            json_t *row;
            int got = db_observations_next(s->db, s->hide_max, &row);
            if (got > 0) {
                s->batch[s->nbatch++] = row;
                if (s->nbatch < STREAM_BATCH && s->hide_max)
                    continue;
            } else {
                s->finished = true;
                s->failed = got < 0;
            }
        }
        if (s->nbatch == 0)
            break;
        render_batch(s);
        if (s->buf.failed) {
            /* Out of memory mid-body: the headers are gone, so cut the body short. */
            db_observations_cancel(s->db);
            s->finished = s->failed = true;
        }
    }
    size_t left = s->buf.len - s->sent;
    if (left == 0 || (s->failed && s->buf.failed)) {
        /* Headers are gone already: a failure can only cut the body short. */
        return s->failed ? REPLY_STREAM_ERROR : REPLY_STREAM_END;
    }
    size_t n = left < max ? left : max;
    memcpy(buf, s->buf.data + s->sent, n);
    s->sent += n;
    /* libmicrohttpd reports the request complete before it frees the response, and reads
     * nothing after: the request is still there to count into. */
    *s->bytes += n;
    return (ssize_t)n;
}

/* Renders the batched rows, hiding what the disclosure rules hide; a batch whose tables
 * cannot be read ends the export (the body is cut, as after any failure mid-stream)
 * rather than being shown unjudged. */
static void render_batch(struct obs_stream *s) {
    json_t *rows = json_array();
    for (int k = 0; k < s->nbatch; k++)
        json_array_append_new(rows, s->batch[k]);
    s->nbatch = 0;
    if (s->hide_max && (!rows || !disclosure_apply_items(s->side, rows, s->hide_max,
                                                         s->as_of[0] ? s->as_of : NULL))) {
        s->failed = true;
        json_decref(rows);
        return;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) render_csv_row(&s->buf, row, obs_columns);
    json_decref(rows);
}

static void stream_free(void *cls) {
    struct obs_stream *s = cls;
    for (int k = 0; k < s->nbatch; k++)
        json_decref(s->batch[k]);
    db_release(s->side);
    /* The client went away mid-export: stop the query rather than drain it. */
    if (!s->finished)
        db_observations_cancel(s->db);
    db_release(s->db);
    strbuf_free(&s->buf);
    free(s);
}
