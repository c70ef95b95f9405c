/* GET /v1/metrics/{code}/series: one metric for one area over time, each figure its
 * own or a total derived from members, with the targets' trajectories and how the
 * latest figure stands against them, statistical process control over the whole
 * figures shown (from the metric's latest break) with the trend label read from it,
 * the comparison with the parent area and England, and the parent area beside it.
 * Answers are kept in the response cache until the data version moves.
 *
 * The parent is the most specific area that 'contains' this one (a district's county,
 * a county's region); a combined authority, which contains nothing, is compared with
 * the region holding most of its constituents. Only the parent's whole figures are
 * shown (its own, or derived with no member missing). cumulative=true turns a flow
 * into running sums since its first figure (from= only trims what is shown); SPC always
 * reads the periods' own figures. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_util.h"
#include "api/figures.h"
#include "api/judge.h"
#include "api/render.h"
#include "config.h"
#include "http/cache.h"
#include "http/problem.h"
#include "store/db_breaks.h"
#include "store/db_figures.h"
#include "usage.h"

#define DEFAULT_AREA "E47000007"

/* A downloaded series stands alone: each row names its metric, area and breakdown, and
 * whether its values are running sums. */
static const char *const point_columns[] = {
    "metric", "area",  "breakdown", "cumulative", "period",  "value",      "derived", "complete",
    "status", "lower", "upper",     "members",    "missing", "suppressed", NULL};

struct series_query {
    const char *code, *area;
    int lo, hi; /* months shown: lo <= month < hi */
    int last;   /* the N latest of them (0: all) */
    bool cumulative;
};

static bool parse_query(struct request *rq, struct reply *rp, struct series_query *q);
static void window(const struct series *s, const struct series_query *q, int *from, int *to);
static json_t *targets_json(const struct measure_target *ts, int nts, const struct metric *m,
                            const struct series *s, int upto);
static json_t *points_json(const struct geo *g, const struct metric *m, const struct series *s,
                           int from, int to);
static json_t *parent_json(const struct geo *g, const struct metric *m, const struct obs_set *set,
                           int area, const struct series_opts *o, int from_month, int hi);

static bool parse_query(struct request *rq, struct reply *rp, struct series_query *q) {
    struct period from, to;
    bool has_from, has_to;
    memset(q, 0, sizeof *q);
    q->code = req_param(rq, 0);
    q->area = req_query(rq, "area");
    if (!q->area || !*q->area)
        q->area = DEFAULT_AREA;
    if (!api_period_param(rq, rp, "from", &from, &has_from) ||
        !api_period_param(rq, rp, "to", &to, &has_to))
        return false;
    q->lo = has_from ? period_month_index(&from) : INT_MIN;
    q->hi = has_to ? period_end_index(&to) : INT_MAX;
    const char *cum = req_query(rq, "cumulative");
    if (cum && strcmp(cum, "true") != 0 && strcmp(cum, "false") != 0) {
        problem_reply(rp, 400, "cumulative=%s: use cumulative=true or cumulative=false", cum);
        return false;
    }
    q->cumulative = cum && strcmp(cum, "true") == 0;
    const char *last = req_query(rq, "last");
    if (last) {
        char *end;
        long n = strtol(last, &end, 10);
        if (!*last || *end || n < 1 || n > 1000) {
            problem_reply(rp, 400, "last=%s: use a whole number of periods from 1 to 1000", last);
            return false;
        }
        q->last = (int)n;
    }
    return true;
}

/* The points shown: inside [lo, hi), and of those the last N when asked. */
static void window(const struct series *s, const struct series_query *q, int *from, int *to) {
    int a = 0, b = s->n;
    while (a < s->n && s->pts[a].month < q->lo)
        a++;
    while (b > a && s->pts[b - 1].month >= q->hi)
        b--;
    if (q->last && b - a > q->last)
        a = b - q->last;
    *from = a;
    *to = b;
}

/* Each target with its trajectory and the latest figure (up to the window's end)
 * measured against it. */
static json_t *targets_json(const struct measure_target *ts, int nts, const struct metric *m,
                            const struct series *s, int upto) {
    json_t *list = json_array();
    struct series head = *s;
    head.n = upto;
    for (int i = 0; list && i < nts; i++) {
        struct measure ev;
        measure_target(&ts[i], m, &head, &ev);
        json_t *j = figures_target_json(&ts[i], m);
        if (!api_set_take(j, "trajectory", figures_trajectory_json(&ts[i], m)) ||
            !api_set_take(j, "latest", figures_measure_json(&ev, m)) || !api_push_take(list, j)) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

/* The points [from, to) with their members; NULL when memory runs out. */
static json_t *points_json(const struct geo *g, const struct metric *m, const struct series *s,
                           int from, int to) {
    json_t *points = json_array();
    for (int i = from; points && i < to; i++)
        if (!api_push_take(points, figures_point_json(g, m, &s->pts[i], true))) {
            json_decref(points);
            return NULL;
        }
    return points;
}

static json_t *parent_json(const struct geo *g, const struct metric *m, const struct obs_set *set,
                           int area, const struct series_opts *o, int from_month, int hi) {
    struct derive_geo dg = geo_derive(g);
    int parent = derive_parent(&dg, figures_current_month(), area);
    if (parent < 0)
        return json_null();
    struct series ps;
    if (!series_build(&ps, g, m, set, parent, o))
        return NULL;
    json_t *points = json_array();
    for (int i = 0; points && i < ps.n; i++) {
        /* A comparison needs the parent's whole figure: a total over some of its
         * members is not one (it would often just repeat the area's own sum). */
        if (ps.pts[i].month < from_month || ps.pts[i].month >= hi || !ps.pts[i].complete)
            continue;
        json_t *p = figures_point_json(g, m, &ps.pts[i], false);
        /* Beside the series a parent point needs its figure and how it was made. */
        json_object_del(p, "lower");
        json_object_del(p, "upper");
        json_object_del(p, "status");
        json_object_del(p, "ci_method");
        if (!api_push_take(points, p)) {
            json_decref(points);
            points = NULL;
        }
    }
    series_free(&ps);
    if (!points)
        return NULL;
    if (json_array_size(points) == 0) {
        json_decref(points);
        return json_null();
    }
    return json_pack("{s:s, s:s, s:s, s:o}", "code", g->code[parent], "name", g->name[parent],
                     "type", g->type[parent], "points", points);
}

void api_get_series(struct request *rq, struct reply *rp) {
    struct series_query q;
    if (!parse_query(rq, rp, &q))
        return;
    const char *name[] = {q.code, q.area, req_query(rq, "breakdown"),
                          q.cumulative ? "cumulative" : NULL, "series"};
    render_csv_name(rq, rp, name, 5);
    struct cache_key key;
    uint64_t version = 0;
    struct db_conn *db = figures_cached_begin(rq, rp, &key, &version);
    if (!db)
        return;
    struct metric m;
    struct geo g = {0};
    struct obs_set set = {0};
    struct series s = {0};
    struct measure_target *targets = NULL;
    int ntargets = 0;
    json_t *breakdown = NULL;
    char bkey[512];
    if (!figures_metric(db, rp, q.code, &m) || !figures_geo(db, rp, &g))
        goto done;
    int area = geo_find(&g, q.area);
    if (area < 0) {
        problem_reply(rp, 404, "no area %s; GET /v1/areas lists them by ONS code", q.area);
        goto done;
    }
    if (!figures_breakdown_param(rq, rp, &m, bkey, sizeof bkey, &breakdown))
        goto done;
    const char *codes[] = {m.code, m.numerator, m.denominator};
    int ncodes = m.is_rate && m.numerator[0] ? 3 : 1;
    if (!figures_obs_set(db, rp, &m, codes, ncodes, &g, NULL, bkey, -1, &set) ||
        !figures_hide_cells(rq, db, rp, &g, &m, bkey, &set))
        goto done;
    /* Targets are set for totals; a breakdown cell has none. */
    if (!bkey[0] && !db_figures_targets(db, codes, 1, g.code[area], &targets, &ntargets)) {
        api_db_failed(rp, db, "targets");
        goto done;
    }
    int breaks[DB_BREAKS_MAX], nbreaks = 0;
    if (!bkey[0] && !db_breaks_months(db, m.code, breaks, &nbreaks)) {
        api_db_failed(rp, db, "series breaks");
        goto done;
    }
    figures_end(db);
    struct series_opts o = {
        .cumulative = q.cumulative,
        .hide_small = figures_hide_small(rq, bkey),
        .small_max = g_config.small_count_max,
    };
    if (!series_build(&s, &g, &m, &set, area, &o)) {
        api_no_memory(rp);
        goto done;
    }
    int from, to;
    window(&s, &q, &from, &to);
    if (rq->csv) {
        /* The points alone, as a table: what a chart's "download" gives. */
        json_t *items = points_json(&g, &m, &s, from, to);
        size_t i;
        json_t *p;
        json_array_foreach(items, i, p) { /* each row names what it is a figure of */
            json_object_set_new(p, "metric", json_string(m.code));
            json_object_set_new(p, "area", json_string(g.code[area]));
            json_object_set(p, "breakdown", breakdown);
            json_object_set_new(p, "cumulative", json_boolean(q.cumulative && m.is_flow));
        }
        render_collection(rq, rp, items, point_columns, NULL);
    } else {
        int parent_from = from < to ? s.pts[from].month : q.lo;
        /* SPC over the whole figures shown, against the first target still to end. */
        struct judge_spc spc;
        int t = judge_pick_target(targets, ntargets, &s, from, to);
        if (!judge_spc(&m, &s, from, to, breaks, nbreaks, t >= 0 ? &targets[t] : NULL, &spc)) {
            api_no_memory(rp);
            goto done;
        }
        /* Targets are measured as of the window's end. */
        api_reply_json_take(
            rp, 200,
            json_pack(
                "{s:o, s:{s:s, s:s, s:s}, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "metric",
                figures_metric_json(&m), "area", "code", g.code[area], "name", g.name[area], "type",
                g.type[area], "cumulative", q.cumulative && m.is_flow, "breakdown", breakdown,
                "points", points_json(&g, &m, &s, from, to), "targets",
                targets_json(targets, ntargets, &m, &s, to), "trend", judge_trend_json(&m, &spc),
                "spc", judge_spc_json(&m, &spc), "comparison",
                judge_comparison_json(&g, &m, &set, area, &o, &s, judge_latest_whole(&s, from, to)),
                "parent", parent_json(&g, &m, &set, area, &o, parent_from, q.hi)));
        breakdown = NULL;
        judge_spc_free(&spc);
    }
    if (rp->status != 200)
        goto done;
    usage_count(m.code);
    cache_keep(rp, &key, version, m.code);
done:
    json_decref(breakdown);
    series_free(&s);
    obs_set_free(&set);
    free(targets);
    geo_free(&g);
}
