/* GET /v1/observations: figures filtered by metric, area, period range, breakdown and
 * change time. JSON comes in pages with a cursor; CSV streams every matching row from
 * a single-row-mode query, so an export of any size runs in constant memory. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "store/db.h"
#include "domain/breakdown.h"
#include "domain/csv.h"
#include "domain/period.h"
#include "domain/rfc3339.h"
#include "http/problem.h"
#include "api/render.h"
#include "usage.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/disclosure.h"
#include "api/filters.h"

#define PAGE_DEFAULT 1000
#define PAGE_MAX 10000
#define STREAM_CHUNK 65536
#define STREAM_BATCH 256

/* Filters: metric, area, from (start), to (end, exclusive), breakdown key, breakdown
 * dimensions, updatedAfter, cursor (metric, area, period_start, breakdown_key), limit,
 * and last (the N latest periods of what the other filters select). */
#define OBS_WHERE                                                                                  \
    "($1::text IS NULL OR o.metric = $1) AND ($2::text IS NULL OR o.area = $2) "                   \
    "AND ($3::date IS NULL OR o.period_start >= $3) "                                              \
    "AND ($4::date IS NULL OR o.period_start < $4) "                                               \
    "AND ($5::text IS NULL OR o.breakdown_key = $5) "                                              \
    "AND ($6::text IS NULL OR regexp_replace(o.breakdown_key, '=[^;]*', '', 'g') = $6) "           \
    "AND ($7::timestamptz IS NULL OR o.updated_at > $7) "

static const struct db_stmt obs_page = {
    "observations_page",
    "SELECT o.metric, o.area, o.period_start, m.frequency, o.breakdown_key, o.breakdown::text, "
    "o.value, o.lower_ci, o.upper_ci, o.status, o.note, "
    /* RFC 3339 in UTC, as partners pass it back in updatedAfter=; PostgreSQL's own text
     * form ("2019-02-01 10:00:00+00") is not one a client's date parser can rely on. */
    "to_char(o.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), m.unit "
    "FROM observations o JOIN metrics m ON m.code = o.metric WHERE " OBS_WHERE
    "AND ($8::text IS NULL OR (o.metric, o.area, o.period_start, o.breakdown_key) > "
    "($8, $9, $10::date, $11)) "
    "AND ($13::int IS NULL OR o.period_start >= (SELECT min(p) FROM (SELECT DISTINCT "
    "o.period_start AS p FROM observations o WHERE " OBS_WHERE
    "ORDER BY 1 DESC LIMIT $13) latest)) "
    "ORDER BY o.metric, o.area, o.period_start, o.breakdown_key LIMIT $12",
    13};

static const char *const obs_columns[] = {"metric",     "area",  "period",     "breakdown",
                                          "value",      "lower", "upper",      "status",
                                          "suppressed", "note",  "updated_at", NULL};

struct obs_query {
    const char *params[13];
    char from[32], to[32], key[512], dims[512];
    char cursor[4][256];
    char limit[16], last[16];
    char after[RFC3339_FORMAT_SIZE];
    int page;
    bool hide_small; /* open read: hide breakdown counts 1..small_count_max */
};

struct obs_stream {
    struct db_conn *db;
    struct strbuf buf;
    PGresult *first; /* read before the headers went, so a failure could still be a 503 */
    /* Open reads: rows are rendered a batch at a time, once the batch's figures' whole
     * tables have been judged through a second connection (the first is streaming). */
    struct db_conn *side;
    PGresult *batch[STREAM_BATCH];
    int nbatch;
    unsigned long long *bytes; /* the request's count of body bytes sent */
    size_t sent;
    bool finished;
    bool failed;
    bool hide_small;
};

static bool parse_query(struct request *rq, struct reply *rp, struct obs_query *q);
static json_t *row_json(PGresult *r, int i, const struct disclosure *hide);
static bool rows_disclosure(struct db_conn *db, PGresult *const *res, const int *at, int n,
                            struct disclosure *out);
static bool page_disclosure(struct db_conn *db, PGresult *r, int from, int to,
                            struct disclosure *out);
static void render_batch(struct obs_stream *s);
static void cursor_encode(PGresult *r, int i, char *out, size_t size);
static bool cursor_decode(const char *text, struct obs_query *q);
static void stream_csv(struct request *rq, struct reply *rp, struct obs_query *q);
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max);
static void stream_free(void *cls);

static bool parse_query(struct request *rq, struct reply *rp, struct obs_query *q) {
    struct period from, to;
    bool has_from, has_to;
    memset(q, 0, sizeof *q);
    if (!api_period_param(rq, rp, "from", &from, &has_from) ||
        !api_period_param(rq, rp, "to", &to, &has_to))
        return false;
    q->params[0] = req_query(rq, "metric");
    q->params[1] = req_query(rq, "area");
    if (has_from) {
        period_start_date(&from, q->from, sizeof q->from);
        q->params[2] = q->from;
    }
    if (has_to) {
        int end = period_end_index(&to);
        snprintf(q->to, sizeof q->to, "%04d-%02d-01", end / 12, end % 12 + 1);
        q->params[3] = q->to;
    }
    const char *bd = req_query(rq, "breakdown");
    if (!bd || !*bd || strcmp(bd, "total") == 0) {
        q->params[4] = ""; /* the total only */
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
            q->params[5] = q->dims;
        } else {
            breakdown_key(&b, q->key, sizeof q->key);
            q->params[4] = q->key;
        }
    }
    const char *after = req_query(rq, "updatedAfter");
    if (after) {
        /* Read here, not by PostgreSQL, whose parser takes "yesterday" and "epoch". */
        struct timespec t;
        if (!rfc3339_parse(after, &t) || rfc3339_format(&t, q->after, sizeof q->after) < 0) {
            problem_reply(rp, 400,
                          "updatedAfter=%.60s is not an RFC 3339 timestamp: use "
                          "2019-02-01T00:00:00Z, or an offset such as +01:00 (%%2B01:00 in a "
                          "URL)",
                          after);
            return false;
        }
        q->params[6] = q->after;
    }
    const char *cursor = req_query(rq, "cursor");
    if (cursor && !cursor_decode(cursor, q)) {
        problem_reply(rp, 400, "cursor is not one this server gave out; start again without it");
        return false;
    }
    const char *limit = req_query(rq, "limit");
    q->page = PAGE_DEFAULT;
    if (limit) {
        char *end;
        long n = strtol(limit, &end, 10);
        if (*end || n < 1 || n > PAGE_MAX) {
            problem_reply(rp, 400, "limit=%s: use a whole number from 1 to %d", limit, PAGE_MAX);
            return false;
        }
        q->page = (int)n;
    }
    snprintf(q->limit, sizeof q->limit, "%d", q->page + 1);
    q->params[11] = q->limit;
    const char *last = req_query(rq, "last");
    if (last) {
        char *end;
        long n = strtol(last, &end, 10);
        if (*end || n < 1 || n > 1000) {
            problem_reply(rp, 400, "last=%s: use a whole number of periods from 1 to 1000", last);
            return false;
        }
        snprintf(q->last, sizeof q->last, "%ld", n);
        q->params[12] = q->last;
    }
    q->hide_small = !(rq->who.scopes & (SCOPE_READ | SCOPE_ADMIN)) && g_config.small_count_max > 0;
    return true;
}

/* Columns: 0 metric, 1 area, 2 period_start, 3 frequency, 4 breakdown_key, 5 breakdown,
 * 6 value, 7 lower, 8 upper, 9 status, 10 note, 11 updated_at, 12 unit. */
/* The cells to hide among n rows of an open read (row k is row at[k] of res[k]),
 * judged on their figures' whole tables. */
static bool rows_disclosure(struct db_conn *db, PGresult *const *res, const int *at, int n,
                            struct disclosure *out) {
    struct db_figure *figs = calloc((size_t)n + 1, sizeof *figs);
    if (!figs)
        return false;
    int nf = 0;
    for (int k = 0; k < n; k++) {
        PGresult *r = res[k];
        int i = at[k];
        if (strcmp(PQgetvalue(r, i, 12), "count") != 0)
            continue;
        if (nf && strcmp(figs[nf - 1].metric, PQgetvalue(r, i, 0)) == 0 &&
            strcmp(figs[nf - 1].area, PQgetvalue(r, i, 1)) == 0 &&
            strcmp(figs[nf - 1].period_start, PQgetvalue(r, i, 2)) == 0)
            continue; /* rows come ordered, so a figure's cells are neighbours */
        figs[nf++] =
            (struct db_figure){PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2)};
    }
    bool ok = disclosure_build(db, figs, nf, g_config.small_count_max, out);
    free(figs);
    return ok;
}

static bool page_disclosure(struct db_conn *db, PGresult *r, int from, int to,
                            struct disclosure *out) {
    PGresult **res = calloc((size_t)(to - from) + 1, sizeof *res);
    int *at = calloc((size_t)(to - from) + 1, sizeof *at);
    bool ok = res && at;
    for (int i = from; ok && i < to; i++) {
        res[i - from] = r;
        at[i - from] = i;
    }
    ok = ok && rows_disclosure(db, res, at, to - from, out);
    free(res);
    free(at);
    return ok;
}

static json_t *row_json(PGresult *r, int i, const struct disclosure *hide) {
    struct period p;
    enum period_freq f = PERIOD_MONTHLY;
    char period[16] = "";
    period_freq_parse(PQgetvalue(r, i, 3), &f);
    if (period_from_date(PQgetvalue(r, i, 2), f, &p))
        period_format(&p, period, sizeof period);
    json_t *bd = json_loads(PQgetvalue(r, i, 5), 0, NULL);
    json_t *j = json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "metric",
                          render_text(r, i, 0), "area", render_text(r, i, 1), "period", period,
                          "breakdown", bd ? bd : json_object(), "value", render_number(r, i, 6),
                          "lower", render_number(r, i, 7), "upper", render_number(r, i, 8),
                          "status", render_text(r, i, 9), "note", render_text(r, i, 10),
                          "updated_at", render_text(r, i, 11));
    /* Disclosure control: a small count in a breakdown cell could identify a person, and
     * so could a cell that would give it away by subtraction. */
    if (hide && disclosure_hidden(hide, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
                                  PQgetvalue(r, i, 2), PQgetvalue(r, i, 4))) {
        json_object_set_new(j, "value", json_null());
        json_object_set_new(j, "lower", json_null());
        json_object_set_new(j, "upper", json_null());
        json_object_set_new(j, "suppressed", json_true());
    }
    return j;
}

/* A cursor is the key of the last row sent, base64url over unit-separated fields. */
static void cursor_encode(PGresult *r, int i, char *out, size_t size) {
    char raw[1200];
    int n = snprintf(raw, sizeof raw, "%s\x1f%s\x1f%s\x1f%s", PQgetvalue(r, i, 0),
                     PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 4));
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

static bool cursor_decode(const char *text, struct obs_query *q) {
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
    for (int f = 0; f < 4; f++) {
        char *sep = f < 3 ? strchr(field, '\x1f') : NULL;
        if (f < 3 && !sep)
            return false;
        if (sep)
            *sep = '\0';
        if (strlen(field) >= sizeof q->cursor[f])
            return false;
        strcpy(q->cursor[f], field);
        q->params[7 + f] = q->cursor[f];
        field = sep ? sep + 1 : field + strlen(field);
    }
    struct period p;
    return period_from_date(q->cursor[2], PERIOD_MONTHLY, &p);
}

void api_list_observations(struct request *rq, struct reply *rp) {
    struct obs_query q;
    if (!parse_query(rq, rp, &q) ||
        !api_check_filters(rq, rp, FILTER_METRIC | FILTER_AREA | FILTER_BREAKDOWN))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    usage_count(q.params[0]);
    if (rq->csv) {
        stream_csv(rq, rp, &q);
        return;
    }
    PGresult *r = db_exec(db, &obs_page, q.params);
    if (!api_result_ok(rp, db, r, "observations"))
        return;
    int rows = PQntuples(r);
    int shown = rows > q.page ? q.page : rows;
    struct disclosure hide = {0};
    if (q.hide_small && !page_disclosure(db, r, 0, shown, &hide)) {
        PQclear(r);
        api_db_failed(rp, db, "observations");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < shown; i++)
        json_array_append_new(items, row_json(r, i, q.hide_small ? &hide : NULL));
    disclosure_free(&hide);
    json_t *extra = json_object();
    if (rows > q.page) {
        char cursor[1800];
        cursor_encode(r, shown - 1, cursor, sizeof cursor);
        json_object_set_new(extra, "next_cursor", json_string(cursor));
    } else {
        json_object_set_new(extra, "next_cursor", json_null());
    }
    PQclear(r);
    render_collection(rq, rp, items, obs_columns, extra);
}

/* ---- CSV streaming ---- */

static void stream_csv(struct request *rq, struct reply *rp, struct obs_query *q) {
    q->params[11] = NULL; /* no page limit: every row */
    q->params[7] = q->params[8] = q->params[9] = q->params[10] = NULL;
    struct obs_stream *s = calloc(1, sizeof *s);
    if (!s) {
        problem_reply(rp, 500, "out of memory");
        return;
    }
    s->db = rq->db;
    s->hide_small = q->hide_small;
    strbuf_init(&s->buf);
    if (!db_send(s->db, &obs_page, q->params)) {
        free(s);
        api_db_failed(rp, rq->db, "observations");
        return;
    }
    /* The status goes with the headers: wait for the query's first answer (its first
     * row, or its error) before deciding it, rather than send 200 and cut the body. */
    s->first = PQgetResult(db_pg(s->db));
    ExecStatusType st = s->first ? PQresultStatus(s->first) : PGRES_FATAL_ERROR;
    if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK) {
        if (s->first)
            db_log_failure("observations export", s->first);
        PQclear(s->first);
        PGresult *rest;
        while ((rest = PQgetResult(db_pg(s->db))) != NULL)
            PQclear(rest);
        strbuf_free(&s->buf);
        free(s);
        api_db_failed(rp, rq->db, "observations");
        return;
    }
    if (s->hide_small && !(s->side = db_acquire())) {
        PQclear(s->first);
        PGresult *rest;
        while ((rest = PQgetResult(db_pg(s->db))) != NULL)
            PQclear(rest);
        strbuf_free(&s->buf);
        free(s);
        problem_unavailable(rp);
        return;
    }
    s->bytes = &rq->bytes;
    render_csv_header(&s->buf, obs_columns);
    rq->db = NULL; /* the stream owns the connection until the last row is sent */
    rp->response = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_CHUNK, stream_read, s,
                                                     stream_free);
    rp->status = 200;
    rp->content_type = "text/csv; charset=utf-8";
    reply_header(rp, "Content-Disposition", "attachment; filename=\"observations.csv\"");
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
    while (s->buf.len - s->sent < max && !s->finished && !s->failed) {
        PGresult *r = s->first ? s->first : PQgetResult(db_pg(s->db));
        s->first = NULL;
        if (!r) {
            s->finished = true;
            break;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            s->batch[s->nbatch++] = r;
            if (s->nbatch == STREAM_BATCH || !s->hide_small)
                render_batch(s);
            continue;
        } else if (st != PGRES_TUPLES_OK) {
            db_log_failure("observations export", r);
            s->failed = true;
        }
        PQclear(r);
    }
    render_batch(s);
    size_t left = s->buf.len - s->sent;
    if (left == 0) {
        /* Headers are gone already: a failure can only cut the body short. */
        return s->failed ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
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
 * cannot be read is cut from the export (the body ends with an error, as after any
 * failure mid-stream) rather than shown unjudged. */
static void render_batch(struct obs_stream *s) {
    if (s->nbatch == 0)
        return;
    struct disclosure hide = {0};
    int at[STREAM_BATCH] = {0};
    bool judged = !s->hide_small || rows_disclosure(s->side, s->batch, at, s->nbatch, &hide);
    if (!judged)
        s->failed = true;
    for (int k = 0; k < s->nbatch; k++) {
        if (judged) {
            json_t *row = row_json(s->batch[k], 0, s->hide_small ? &hide : NULL);
            render_csv_row(&s->buf, row, obs_columns);
            json_decref(row);
        }
        PQclear(s->batch[k]);
    }
    s->nbatch = 0;
    disclosure_free(&hide);
}

static void stream_free(void *cls) {
    struct obs_stream *s = cls;
    PQclear(s->first);
    for (int k = 0; k < s->nbatch; k++)
        PQclear(s->batch[k]);
    db_release(s->side);
    if (!s->finished) {
        /* The client went away mid-export: stop the query rather than drain it. */
        PGcancel *c = PQgetCancel(db_pg(s->db));
        char err[256];
        if (c) {
            PQcancel(c, err, sizeof err);
            PQfreeCancel(c);
        }
        PGresult *r;
        while ((r = PQgetResult(db_pg(s->db))) != NULL)
            PQclear(r);
    }
    db_release(s->db);
    strbuf_free(&s->buf);
    free(s);
}
