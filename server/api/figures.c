/* The read model. Queries fetch plain rows (areas, memberships, figures, targets) in
 * one read-only snapshot; everything else, from derived totals to RAG, is computed
 * here by the pure domain code, so one rule gives every route its numbers. */
#include "api/figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/cache.h"
#include "store/db.h"
#include "domain/breakdown.h"
#include "domain/calendar.h"
#include "domain/strbuf.h"
#include "http/problem.h"
#include "api/api_util.h"

#define MAX_QUERY_METRICS 256 /* a board of 64 headline metrics, each with two parts */

struct lookup_ctx {
    const struct obs_set *s;
    const struct metric *m;
    const struct series_opts *o;
    int col;
};

static int month_of_date(const char *date);
static bool array_literal(struct strbuf *b, const char *const *items, int n);
static int column_of(const struct obs_set *s, int month);
static bool lookup_value(void *ctx, int area, struct derive_cell *out);
static bool lookup_parts(void *ctx, int area, struct derive_cell *out);
static void cumulate(const struct metric *m, struct series *s);
static double round_expected(const struct metric *m, double v);

/* ---- snapshot ---- */

struct db_conn *figures_begin(struct request *rq, struct reply *rp, uint64_t *version) {
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return NULL;
    PGresult *r = db_exec_sql(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!api_result_ok(rp, db, r, "figures"))
        return NULL;
    PQclear(r);
    uint64_t v = 0;
    if (!db_read_version(db, &v)) {
        api_db_failed(rp, db, "data version");
        return NULL;
    }
    /* The answer reflects this snapshot: tag it so, even if a write landed since the
     * request's ETag was checked. */
    *version = v;
    if (v > rq->version)
        rq->version = v;
    return db;
}

struct db_conn *figures_cached_begin(struct request *rq, struct reply *rp, struct cache_key *key,
                                     uint64_t *version) {
    cache_key_make(rq, key);
    if (cache_serve(rq, rp, key))
        return NULL;
    return figures_begin(rq, rp, version);
}

void figures_end(struct db_conn *db) {
    PQclear(db_exec_sql(db, "COMMIT"));
}

/* ---- helpers ---- */

static int month_of_date(const char *date) {
    struct period p;
    if (!period_from_date(date, PERIOD_MONTHLY, &p))
        return -1;
    return period_month_index(&p);
}

/* A PostgreSQL text[] literal with every element quoted. */
static bool array_literal(struct strbuf *b, const char *const *items, int n) {
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

json_t *figures_number(double v) {
    if (!isfinite(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

double figures_round(const struct metric *m, double v) {
    return target_round(v, m->is_count ? 0 : m->decimals + 2);
}

/* Trajectories and expected values: to the metric's decimals, at least one place. */
static double round_expected(const struct metric *m, double v) {
    return target_round(v, m->decimals > 1 ? m->decimals : 1);
}

void figures_period_text(const struct metric *m, int month, char *buf, size_t size) {
    struct period p = {month / 12, month % 12 + 1, m->freq};
    period_format(&p, buf, size);
}

int figures_current_month(void) {
    return calendar_month_index((int64_t)time(NULL));
}

bool figures_breakdown_param(struct request *rq, struct reply *rp, const struct metric *m,
                             char *key, size_t size, json_t **obj) {
    const char *text = req_query(rq, "breakdown");
    key[0] = '\0';
    *obj = json_object();
    if (!text || !*text || strcmp(text, "total") == 0)
        return true;
    struct breakdown b = {0};
    bool dims_only = false;
    if (!breakdown_parse_filter(text, &b, &dims_only) || dims_only) {
        problem_reply(rp, 400,
                      "breakdown=%s: this answer is for one cell: use total (the default) or "
                      "pairs such as sex=female;age_band=16-24",
                      text);
        return false;
    }
    for (int i = 0; i < b.n; i++) {
        if (!metric_declares(m, b.dim[i])) {
            problem_reply(rp, 400, "breakdown=%s: %s is not broken down by %s (it declares: %s)",
                          text, m->code, b.dim[i], m->dims[0] ? m->dims : "no dimensions");
            return false;
        }
        json_object_set_new(*obj, b.dim[i], json_string(b.cat[i]));
    }
    if (breakdown_key(&b, key, size) < 0) {
        problem_reply(rp, 400, "breakdown=%s is too long", text);
        return false;
    }
    return true;
}

/* ---- geography ---- */

bool geo_load(struct db_conn *db, struct reply *rp, struct geo *g) {
    static const struct db_stmt areas = {
        "figures_areas", "SELECT code, name, type FROM areas ORDER BY code COLLATE \"C\"", 0};
    static const struct db_stmt edges = {
        "figures_memberships",
        "SELECT child, parent, role, valid_from::text, coalesce(valid_to::text, '') "
        "FROM area_memberships",
        0};
    memset(g, 0, sizeof *g);
    PGresult *r = db_exec(db, &areas, NULL);
    if (!api_result_ok(rp, db, r, "areas"))
        return false;
    g->res = r;
    g->n = PQntuples(r);
    size_t n = (size_t)(g->n ? g->n : 1);
    g->code = calloc(n, sizeof *g->code);
    g->name = calloc(n, sizeof *g->name);
    g->type = calloc(n, sizeof *g->type);
    g->kind = calloc(n, sizeof *g->kind);
    if (!g->code || !g->name || !g->type || !g->kind) {
        geo_free(g);
        problem_reply(rp, 500, "out of memory");
        return false;
    }
    for (int i = 0; i < g->n; i++) {
        g->code[i] = PQgetvalue(r, i, 0);
        g->name[i] = PQgetvalue(r, i, 1);
        g->type[i] = PQgetvalue(r, i, 2);
        g->kind[i] = strcmp(g->type[i], "region") == 0               ? DERIVE_AREA_REGION
                     : strcmp(g->type[i], "combined_authority") == 0 ? DERIVE_AREA_COMBINED
                                                                     : DERIVE_AREA_OTHER;
    }
    PGresult *e = db_exec(db, &edges, NULL);
    if (!api_result_ok(rp, db, e, "area memberships")) {
        geo_free(g);
        return false;
    }
    int ne = PQntuples(e);
    g->edges = calloc((size_t)(ne ? ne : 1), sizeof *g->edges);
    if (!g->edges) {
        PQclear(e);
        geo_free(g);
        problem_reply(rp, 500, "out of memory");
        return false;
    }
    for (int i = 0; i < ne; i++) {
        int child = geo_find(g, PQgetvalue(e, i, 0)), parent = geo_find(g, PQgetvalue(e, i, 1));
        if (child < 0 || parent < 0)
            continue;
        const char *role = PQgetvalue(e, i, 2);
        g->edges[g->nedges++] = (struct derive_edge){
            .child = child,
            .parent = parent,
            .role = strcmp(role, "contains") == 0      ? DERIVE_CONTAINS
                    : strcmp(role, "constituent") == 0 ? DERIVE_CONSTITUENT
                                                       : DERIVE_OTHER,
            .from = derive_month_from_date(PQgetvalue(e, i, 3), false),
            .to = derive_month_from_date(PQgetvalue(e, i, 4), true),
        };
    }
    PQclear(e);
    return true;
}

void geo_free(struct geo *g) {
    PQclear(g->res);
    free(g->code);
    free(g->name);
    free(g->type);
    free(g->kind);
    free(g->edges);
    memset(g, 0, sizeof *g);
}

int geo_find(const struct geo *g, const char *code) {
    int lo = 0, hi = g->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(g->code[mid], code);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

struct derive_geo geo_derive(const struct geo *g) {
    return (struct derive_geo){g->n, g->kind, g->edges, g->nedges};
}

void geo_mark_tree(const struct geo *g, int area, bool *marked) {
    marked[area] = true;
    for (bool grew = true; grew;) {
        grew = false;
        for (int k = 0; k < g->nedges; k++) {
            const struct derive_edge *e = &g->edges[k];
            if (e->role != DERIVE_OTHER && marked[e->parent] && !marked[e->child])
                marked[e->child] = grew = true;
        }
    }
}

/* ---- metrics ---- */

void metric_from_row(PGresult *r, int row, int col, struct metric *m) {
    memset(m, 0, sizeof *m);
    snprintf(m->code, sizeof m->code, "%s", PQgetvalue(r, row, col + 0));
    snprintf(m->programme, sizeof m->programme, "%s", PQgetvalue(r, row, col + 1));
    snprintf(m->name, sizeof m->name, "%s", PQgetvalue(r, row, col + 2));
    snprintf(m->unit, sizeof m->unit, "%s", PQgetvalue(r, row, col + 3));
    snprintf(m->kind, sizeof m->kind, "%s", PQgetvalue(r, row, col + 4));
    snprintf(m->frequency, sizeof m->frequency, "%s", PQgetvalue(r, row, col + 5));
    snprintf(m->polarity, sizeof m->polarity, "%s", PQgetvalue(r, row, col + 6));
    m->decimals = atoi(PQgetvalue(r, row, col + 7));
    snprintf(m->numerator, sizeof m->numerator, "%s", PQgetvalue(r, row, col + 8));
    snprintf(m->denominator, sizeof m->denominator, "%s", PQgetvalue(r, row, col + 9));
    m->sort_order = atoi(PQgetvalue(r, row, col + 10));
    snprintf(m->dims, sizeof m->dims, "%s", PQgetvalue(r, row, col + 11));
    m->freq = PERIOD_MONTHLY;
    period_freq_parse(m->frequency, &m->freq);
    m->is_rate = strcmp(m->kind, "rate") == 0;
    m->is_flow = strcmp(m->kind, "flow") == 0;
    m->is_count = strcmp(m->unit, "count") == 0;
    m->lower_is_better = strcmp(m->polarity, "lower_is_better") == 0;
    m->scale = strcmp(m->unit, "percent") == 0         ? 100
               : strcmp(m->unit, "rate_per_1000") == 0 ? 1000
                                                       : 1;
}

bool metric_load(struct db_conn *db, struct reply *rp, const char *code, struct metric *m) {
    static const struct db_stmt s = {
        "figures_metric", "SELECT " METRIC_COLUMNS "FROM metrics m WHERE m.code = $1", 1};
    const char *params[] = {code};
    PGresult *r = db_exec(db, &s, params);
    if (!api_result_ok(rp, db, r, "metric"))
        return false;
    bool found = PQntuples(r) == 1;
    if (found)
        metric_from_row(r, 0, 0, m);
    else
        problem_reply(rp, 404, "no metric %s; GET /v1/metrics lists them", code);
    PQclear(r);
    return found;
}

json_t *metric_json(const struct metric *m) {
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "code", m->code, "programme",
                     m->programme, "name", m->name, "unit", m->unit, "kind", m->kind, "frequency",
                     m->frequency, "polarity", m->polarity, "decimals", m->decimals);
}

bool metric_declares(const struct metric *m, const char *dimension) {
    size_t n = strlen(dimension);
    for (const char *p = m->dims; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, dimension, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

/* ---- figures ---- */

PGresult *obs_query(struct db_conn *db, const char *const *metrics, int nmetrics,
                    const struct geo *g, const bool *areas, const char *bkey, int month) {
    static const struct db_stmt s = {
        "figures_observations",
        "SELECT o.metric, o.area, o.period_start::text, o.value::text, o.lower_ci::text, "
        "o.upper_ci::text, o.status FROM observations o "
        "WHERE o.metric = ANY($1::text[]) AND o.breakdown_key = $2 "
        "AND ($3::text[] IS NULL OR o.area = ANY($3::text[])) "
        "AND ($4::date IS NULL OR o.period_start = $4::date) "
        "ORDER BY o.metric, o.period_start",
        4};
    struct strbuf m, a;
    strbuf_init(&m);
    strbuf_init(&a);
    array_literal(&m, metrics, nmetrics > MAX_QUERY_METRICS ? MAX_QUERY_METRICS : nmetrics);
    if (areas) {
        const char **codes = calloc((size_t)(g->n ? g->n : 1), sizeof *codes);
        int n = 0;
        for (int i = 0; codes && i < g->n; i++)
            if (areas[i])
                codes[n++] = g->code[i];
        array_literal(&a, codes, n);
        free(codes);
    }
    char date[32];
    snprintf(date, sizeof date, "%04d-%02d-01", month / 12, month % 12 + 1);
    const char *params[] = {m.data, bkey, areas ? a.data : NULL, month >= 0 ? date : NULL};
    PGresult *r = db_exec(db, &s, params);
    strbuf_free(&m);
    strbuf_free(&a);
    return r;
}

static int column_of(const struct obs_set *s, int month) {
    int lo = 0, hi = s->nmonths - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (s->months[mid] == month)
            return mid;
        if (s->months[mid] < month)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static int int_cmp(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

bool obs_set_build(struct obs_set *s, const struct geo *g, const struct metric *m, PGresult *r) {
    memset(s, 0, sizeof *s);
    s->nareas = g->n;
    const char *codes[3] = {m->code, m->is_rate && m->numerator[0] ? m->numerator : NULL,
                            m->is_rate && m->denominator[0] ? m->denominator : NULL};
    int rows = PQntuples(r);
    s->months = malloc(sizeof *s->months * (size_t)(rows ? rows : 1));
    if (!s->months)
        return false;
    for (int i = 0; i < rows; i++) {
        const char *metric = PQgetvalue(r, i, 0);
        for (int k = 0; k < 3; k++)
            if (codes[k] && strcmp(codes[k], metric) == 0) {
                s->months[s->nmonths++] = month_of_date(PQgetvalue(r, i, 2));
                break;
            }
    }
    qsort(s->months, (size_t)s->nmonths, sizeof *s->months, int_cmp);
    int distinct = 0;
    for (int i = 0; i < s->nmonths; i++)
        if (!distinct || s->months[distinct - 1] != s->months[i])
            s->months[distinct++] = s->months[i];
    s->nmonths = distinct;
    size_t cells = (size_t)(s->nareas ? s->nareas : 1) * (size_t)(s->nmonths ? s->nmonths : 1);
    for (int k = 0; k < 3; k++) {
        if (k > 0 && !codes[k])
            continue;
        s->cells[k] = calloc(cells, sizeof *s->cells[k]);
        if (!s->cells[k]) {
            obs_set_free(s);
            return false;
        }
    }
    for (int i = 0; i < rows; i++) {
        const char *metric = PQgetvalue(r, i, 0);
        for (int k = 0; k < 3; k++) {
            if (!codes[k] || strcmp(codes[k], metric) != 0)
                continue;
            int area = geo_find(g, PQgetvalue(r, i, 1));
            int col = column_of(s, month_of_date(PQgetvalue(r, i, 2)));
            if (area < 0 || col < 0)
                break;
            struct obs_cell *c = &s->cells[k][(size_t)area * (size_t)s->nmonths + (size_t)col];
            c->has = true;
            c->value = strtod(PQgetvalue(r, i, 3), NULL);
            c->has_lower = !PQgetisnull(r, i, 4);
            c->lower = c->has_lower ? strtod(PQgetvalue(r, i, 4), NULL) : 0;
            c->has_upper = !PQgetisnull(r, i, 5);
            c->upper = c->has_upper ? strtod(PQgetvalue(r, i, 5), NULL) : 0;
            c->final = strcmp(PQgetvalue(r, i, 6), "final") == 0;
            break;
        }
    }
    return true;
}

void obs_set_free(struct obs_set *s) {
    free(s->months);
    for (int k = 0; k < 3; k++)
        free(s->cells[k]);
    memset(s, 0, sizeof *s);
}

/* ---- series ---- */

static bool lookup_value(void *ctx, int area, struct derive_cell *out) {
    struct lookup_ctx *c = ctx;
    const struct obs_cell *cell =
        &c->s->cells[0][(size_t)area * (size_t)c->s->nmonths + (size_t)c->col];
    *out = (struct derive_cell){.has = cell->has, .a = cell->value, .final = cell->final};
    /* A small count in a breakdown cell is hidden, and so is any total made from it:
     * the total less the visible members would give it away. */
    out->hidden = cell->has && c->o->hide_small && c->m->is_count && cell->value >= 1 &&
                  cell->value <= c->o->small_max;
    return true;
}

static bool lookup_parts(void *ctx, int area, struct derive_cell *out) {
    struct lookup_ctx *c = ctx;
    size_t at = (size_t)area * (size_t)c->s->nmonths + (size_t)c->col;
    const struct obs_cell *num = &c->s->cells[1][at], *den = &c->s->cells[2][at];
    *out = (struct derive_cell){.has = num->has && den->has,
                                .a = num->value,
                                .b = den->value,
                                .final = num->final && den->final};
    return true;
}

bool series_build(struct series *out, const struct geo *g, const struct metric *m,
                  const struct obs_set *s, int area, const struct series_opts *o) {
    memset(out, 0, sizeof *out);
    size_t per_point = (size_t)(g->n ? g->n : 1) * 2;
    out->pts = calloc((size_t)(s->nmonths ? s->nmonths : 1), sizeof *out->pts);
    out->arena = malloc(sizeof *out->arena * per_point * (size_t)(s->nmonths ? s->nmonths : 1));
    if (!out->pts || !out->arena) {
        series_free(out);
        return false;
    }
    struct derive_geo dg = geo_derive(g);
    for (int col = 0; col < s->nmonths; col++) {
        struct lookup_ctx ctx = {s, m, o, col};
        int *members = out->arena + per_point * (size_t)col;
        struct derive_result res = {.members = members, .missing = members + g->n};
        const struct obs_cell *own = &s->cells[0][(size_t)area * (size_t)s->nmonths + (size_t)col];
        bool has_value;
        double value;
        if (m->is_rate) {
            /* A rate is never added up: its own figure, or the ratio of its parts. */
            if (own->has) {
                derive_resolve(&dg, s->months[col], area, lookup_value, &ctx, &res);
                has_value = res.has;
                value = res.a;
            } else if (s->cells[1] && s->cells[2]) {
                derive_resolve(&dg, s->months[col], area, lookup_parts, &ctx, &res);
                has_value = res.has && res.b != 0;
                value = has_value ? figures_round(m, res.a / res.b * m->scale) : 0;
                if (has_value && !res.derived) {
                    /* Made from the area's own numerator and denominator: still a
                     * computed figure, not one anybody reported. */
                    res.derived = true;
                    res.members[0] = area;
                    res.nmembers = 1;
                }
            } else {
                continue;
            }
        } else {
            derive_resolve(&dg, s->months[col], area, lookup_value, &ctx, &res);
            has_value = res.has;
            value = res.derived ? figures_round(m, res.a) : res.a;
        }
        if (!has_value)
            continue;
        struct point *p = &out->pts[out->n++];
        p->month = s->months[col];
        p->value = p->per = value;
        p->derived = res.derived;
        p->complete = p->whole = res.complete;
        p->final = res.final;
        p->suppressed =
            o->hide_small && m->is_count && (res.hidden || (value >= 1 && value <= o->small_max));
        if (!res.derived) {
            p->has_lower = own->has_lower;
            p->lower = own->lower;
            p->has_upper = own->has_upper;
            p->upper = own->upper;
        }
        qsort(res.members, (size_t)res.nmembers, sizeof *res.members, int_cmp);
        qsort(res.missing, (size_t)res.nmissing, sizeof *res.missing, int_cmp);
        p->members = res.members;
        p->nmembers = res.nmembers;
        p->missing = res.missing;
        p->nmissing = res.nmissing;
    }
    if (o->cumulative && m->is_flow)
        cumulate(m, out);
    return true;
}

/* Running sums of a flow. A sum over a gap, or over an incomplete figure, is itself
 * incomplete; once a hidden figure is in the sum, every later sum is hidden too (two
 * neighbouring sums would give it away). */
static void cumulate(const struct metric *m, struct series *s) {
    double running = 0;
    bool complete = true, hidden = false;
    int step = period_months(m->freq);
    for (int i = 0; i < s->n; i++) {
        struct point *p = &s->pts[i];
        running += p->per;
        complete = complete && p->complete && (i == 0 || p->month - s->pts[i - 1].month <= step);
        hidden = hidden || p->suppressed;
        p->value = figures_round(m, running);
        p->complete = complete;
        p->suppressed = hidden;
        p->has_lower = p->has_upper = false;
    }
}

void series_free(struct series *s) {
    free(s->pts);
    free(s->arena);
    memset(s, 0, sizeof *s);
}

json_t *point_json(const struct geo *g, const struct metric *m, const struct point *p,
                   bool with_parts) {
    char period[16];
    figures_period_text(m, p->month, period, sizeof period);
    json_t *j =
        json_pack("{s:s, s:o, s:b, s:b, s:s, s:o, s:o}", "period", period, "value",
                  p->suppressed ? json_null() : figures_number(p->value), "derived", p->derived,
                  "complete", p->complete, "status", p->final ? "final" : "provisional", "lower",
                  p->has_lower && !p->suppressed ? figures_number(p->lower) : json_null(), "upper",
                  p->has_upper && !p->suppressed ? figures_number(p->upper) : json_null());
    if (p->derived && with_parts) {
        json_t *members = json_array(), *missing = json_array();
        for (int i = 0; i < p->nmembers; i++)
            json_array_append_new(members, json_string(g->code[p->members[i]]));
        for (int i = 0; i < p->nmissing; i++)
            json_array_append_new(missing, json_string(g->code[p->missing[i]]));
        json_object_set_new(j, "members", members);
        json_object_set_new(j, "missing", missing);
    }
    if (p->suppressed)
        json_object_set_new(j, "suppressed", json_true());
    return j;
}

json_t *trend_json(const struct metric *m, const struct series *s, int lo, int hi) {
    int cap = hi - lo > 0 ? hi - lo : 1, n = 0;
    double *x = malloc(sizeof *x * (size_t)cap), *y = malloc(sizeof *y * (size_t)cap);
    json_t *j = json_null();
    if (x && y) {
        for (int i = lo; i < hi; i++) {
            /* A partial total next to whole ones would read as a fall. */
            if (s->pts[i].suppressed || !s->pts[i].whole)
                continue;
            /* Positions in periods, so a missing month stretches the line. */
            x[n] = (double)s->pts[i].month / period_months(m->freq);
            y[n] = s->pts[i].per;
            n++;
        }
        enum trend_label t = trend_of(x, y, n);
        if (t != TREND_NONE) {
            json_decref(j);
            j = json_pack("{s:s, s:s, s:i}", "label", trend_label_name(t), "direction",
                          trend_direction(t, m->lower_is_better), "points", TREND_POINTS);
        }
    }
    free(x);
    free(y);
    return j;
}

/* ---- targets ---- */

PGresult *targets_query(struct db_conn *db, const char *const *metrics, int nmetrics,
                        const char *area) {
    static const struct db_stmt s = {
        "figures_targets",
        "SELECT t.id, t.metric, t.start_period::text, t.end_period::text, t.value::text, "
        "t.baseline::text, t.basis, t.amber_within::text, "
        "coalesce((SELECT json_agg(json_build_object('period', ms.period_start, 'value', "
        "ms.value) ORDER BY ms.period_start) FROM target_milestones ms "
        "WHERE ms.target_id = t.id), '[]') "
        "FROM targets t WHERE t.metric = ANY($1::text[]) AND t.area = $2 "
        "ORDER BY t.metric, t.end_period, t.start_period, t.id",
        2};
    struct strbuf m;
    strbuf_init(&m);
    array_literal(&m, metrics, nmetrics > MAX_QUERY_METRICS ? MAX_QUERY_METRICS : nmetrics);
    const char *params[] = {m.data, area};
    PGresult *r = db_exec(db, &s, params);
    strbuf_free(&m);
    return r;
}

void target_from_row(PGresult *r, int row, const struct metric *m, struct target_row *t) {
    memset(t, 0, sizeof *t);
    t->id = strtoll(PQgetvalue(r, row, 0), NULL, 10);
    t->t.start = month_of_date(PQgetvalue(r, row, 2));
    t->t.end = month_of_date(PQgetvalue(r, row, 3));
    t->t.value = strtod(PQgetvalue(r, row, 4), NULL);
    t->t.baseline = strtod(PQgetvalue(r, row, 5), NULL);
    snprintf(t->basis, sizeof t->basis, "%s", PQgetvalue(r, row, 6));
    t->t.amber_within = strtod(PQgetvalue(r, row, 7), NULL);
    t->t.lower_is_better = m->lower_is_better;
    json_t *ms = json_loads(PQgetvalue(r, row, 8), 0, NULL), *item;
    size_t i;
    json_array_foreach(ms, i, item) {
        if (t->t.nmilestones == TARGET_MAX_MILESTONES)
            break;
        const char *date = json_string_value(json_object_get(item, "period"));
        t->t.milestones[t->t.nmilestones++] = (struct target_milestone){
            month_of_date(date), json_number_value(json_object_get(item, "value"))};
    }
    json_decref(ms);
    target_normalise(&t->t);
}

void target_evaluate(const struct target_row *t, const struct metric *m, const struct series *s,
                     struct target_eval *ev) {
    memset(ev, 0, sizeof *ev);
    bool summed = strcmp(t->basis, "cumulative") == 0 && m->is_flow;
    int at = -1, step = period_months(m->freq);
    for (int i = 0; i < s->n; i++) {
        const struct point *p = &s->pts[i];
        if (p->month < t->t.start || p->month > t->t.end)
            continue;
        bool usable = p->whole && !p->suppressed;
        if (summed) {
            /* The sum stops before the first partial figure or missing period. */
            if (!usable || (at >= 0 && p->month - s->pts[at].month > step))
                break;
            at = i;
        } else if (usable) {
            at = i;
        }
    }
    if (at < 0)
        return;
    ev->has = true;
    ev->month = s->pts[at].month;
    if (summed) {
        /* The flow summed over the window so far. */
        double sum = 0;
        for (int i = 0; i <= at; i++)
            if (s->pts[i].month >= t->t.start)
                sum += s->pts[i].per;
        ev->actual = figures_round(m, sum);
    } else {
        /* A level, a stock (already a running total) or a rate: the figure itself. */
        ev->actual = s->pts[at].per;
    }
    ev->expected = target_expected_at(&t->t, ev->month);
    ev->has_pt = target_percent(ev->actual, t->t.value, &ev->percent_of_target);
    ev->has_pe = target_percent(ev->actual, ev->expected, &ev->percent_of_expected);
    ev->rag = target_rag(&t->t, ev->actual, ev->expected);
}

json_t *target_head_json(const struct target_row *t, const struct metric *m) {
    char start[16], end[16];
    figures_period_text(m, t->t.start, start, sizeof start);
    figures_period_text(m, t->t.end, end, sizeof end);
    json_t *milestones = json_array();
    for (int i = 0; i < t->t.nmilestones; i++) {
        char p[16];
        figures_period_text(m, t->t.milestones[i].month, p, sizeof p);
        json_array_append_new(milestones, json_pack("{s:s, s:o}", "period", p, "value",
                                                    figures_number(t->t.milestones[i].value)));
    }
    return json_pack("{s:I, s:o, s:o, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)t->id, "value",
                     figures_number(t->t.value), "baseline", figures_number(t->t.baseline), "basis",
                     t->basis, "start", start, "end", end, "amber_within",
                     figures_number(t->t.amber_within), "milestones", milestones);
}

json_t *target_eval_json(const struct target_eval *ev, const struct metric *m) {
    if (!ev->has)
        return json_null();
    char period[16];
    figures_period_text(m, ev->month, period, sizeof period);
    return json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:s}", "period", period, "actual", figures_number(ev->actual),
        "expected", figures_number(round_expected(m, ev->expected)), "percent_of_target",
        ev->has_pt ? figures_number(target_round(ev->percent_of_target, 1)) : json_null(),
        "percent_of_expected",
        ev->has_pe ? figures_number(target_round(ev->percent_of_expected, 1)) : json_null(), "rag",
        target_rag_name(ev->rag));
}

json_t *target_trajectory_json(const struct target_row *t, const struct metric *m) {
    json_t *points = json_array();
    int step = period_months(m->freq);
    /* Bounded: a window of 100 years of months at most. */
    for (int month = t->t.start, n = 0; month <= t->t.end && n < 1200; month += step, n++) {
        char period[16];
        figures_period_text(m, month, period, sizeof period);
        json_array_append_new(
            points, json_pack("{s:s, s:o}", "period", period, "value",
                              figures_number(round_expected(m, target_expected_at(&t->t, month)))));
    }
    return points;
}
