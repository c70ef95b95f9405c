/* GET /v1/dashboard?area=: the board view in one answer. Per programme, per headline
 * metric: the latest figure and the one before it, the change, the total to date, the
 * target that applies with percent of target and RAG, and how fresh the figure is.
 * The latest figure may be a partial total (complete: false, with its missing members);
 * the change, the total to date, the target's measure and the trend use whole figures
 * only.
 * Four queries in one snapshot on a miss; none on a hit (the response cache). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/cache.h"
#include "store/db.h"
#include "domain/strbuf.h"
#include "http/problem.h"
#include "usage.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/figures.h"

#define DEFAULT_AREA "E47000007"
#define MAX_HEADLINE 64

static int pick_target(PGresult *targets, const struct metric *m, int reference);
static json_t *metric_tile(const struct geo *g, const struct metric *m, PGresult *obs,
                           PGresult *targets, int area, int now);

/* The target that applies at the reference month (the latest figure's, else today's):
 * one whose window holds it (the soonest to end), else the next to start, else the
 * last to have ended. Rows come ordered by metric, end, start. */
static int pick_target(PGresult *targets, const struct metric *m, int reference) {
    int holding = -1, next = -1, ended = -1, next_start = 0;
    for (int i = 0; i < PQntuples(targets); i++) {
        if (strcmp(PQgetvalue(targets, i, 1), m->code) != 0)
            continue;
        struct target_row t;
        target_from_row(targets, i, m, &t);
        if (t.t.start <= reference && reference <= t.t.end) {
            if (holding < 0)
                holding = i;
        } else if (t.t.start > reference) {
            if (next < 0 || t.t.start < next_start) {
                next = i;
                next_start = t.t.start;
            }
        } else {
            ended = i;
        }
    }
    return holding >= 0 ? holding : next >= 0 ? next : ended;
}

static json_t *metric_tile(const struct geo *g, const struct metric *m, PGresult *obs,
                           PGresult *targets, int area, int now) {
    struct obs_set set;
    struct series s;
    struct series_opts o = {0};
    json_t *tile =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s}", "metric", m->code, "name", m->name,
                  "programme", m->programme, "unit", m->unit, "kind", m->kind, "polarity",
                  m->polarity, "decimals", m->decimals, "frequency", m->frequency);
    if (!obs_set_build(&set, g, m, obs))
        return tile;
    if (!series_build(&s, g, m, &set, area, &o)) {
        obs_set_free(&set);
        return tile;
    }
    const struct point *latest = s.n ? &s.pts[s.n - 1] : NULL;
    const struct point *previous = s.n > 1 ? &s.pts[s.n - 2] : NULL;
    json_object_set_new(tile, "latest", latest ? point_json(g, m, latest, true) : json_null());
    json_object_set_new(tile, "previous",
                        previous ? point_json(g, m, previous, true) : json_null());
    /* A change or a total made from a partial figure would pass a partial sum as whole:
     * both are null unless every figure in them is whole (latest and previous still
     * show, each saying whether it is complete). */
    bool both_whole = latest && previous && latest->whole && previous->whole;
    json_object_set_new(tile, "change",
                        both_whole ? figures_number(figures_round(m, latest->per - previous->per))
                                   : json_null());
    json_t *total = json_null();
    if (latest && m->is_flow) {
        double sum = 0;
        bool whole = true;
        for (int i = 0; i < s.n; i++) {
            sum += s.pts[i].per;
            whole = whole && s.pts[i].whole &&
                    (i == 0 || s.pts[i].month - s.pts[i - 1].month <= period_months(m->freq));
        }
        if (whole)
            total = figures_number(figures_round(m, sum));
    } else if (latest && !m->is_rate && latest->whole) {
        total = figures_number(latest->per);
    }
    json_object_set_new(tile, "total_to_date", total);

    int reference = latest ? latest->month : now;
    int row = pick_target(targets, m, reference);
    json_t *target = json_null();
    if (row >= 0) {
        struct target_row t;
        struct target_eval ev;
        target_from_row(targets, row, m, &t);
        target_evaluate(&t, m, &s, &ev);
        target = target_head_json(&t, m);
        json_t *e = target_eval_json(&ev, m);
        const char *fields[] = {
            "period", "actual", "expected", "percent_of_target", "percent_of_expected", "rag"};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            json_t *v = json_is_object(e) ? json_object_get(e, fields[i]) : NULL;
            json_object_set(target, fields[i], v ? v : json_null());
        }
        json_decref(e);
    }
    json_object_set_new(tile, "target", target);

    json_t *fresh = json_null();
    if (latest) {
        char period[16];
        figures_period_text(m, latest->month, period, sizeof period);
        int since = (now - latest->month) / period_months(m->freq);
        fresh =
            json_pack("{s:s, s:i}", "last_period", period, "periods_since", since > 0 ? since : 0);
    }
    json_object_set_new(tile, "freshness", fresh);
    json_object_set_new(tile, "trend", trend_json(m, &s, 0, s.n));
    series_free(&s);
    obs_set_free(&set);
    return tile;
}

void api_get_dashboard(struct request *rq, struct reply *rp) {
    static const struct db_stmt headline = {
        "dashboard_headline",
        "SELECT " METRIC_COLUMNS ", p.code, p.name FROM metrics m "
        "JOIN programmes p ON p.code = m.programme WHERE m.headline AND m.active "
        "ORDER BY p.sort_order, p.code, m.sort_order, m.code",
        0};
    const char *code = req_query(rq, "area");
    if (!code || !*code)
        code = DEFAULT_AREA;
    /* periods_since counts to today: the cache key and the ETag carry the month. */
    int now = figures_current_month();
    struct cache_key key;
    uint64_t version = 0;
    struct db_conn *db = figures_cached_begin(rq, rp, &key, &version);
    if (!db)
        return;
    struct geo g = {0};
    PGresult *metrics = NULL, *obs = NULL, *targets = NULL;
    bool *tree = NULL;
    struct strbuf used;
    strbuf_init(&used);
    if (!geo_load(db, rp, &g))
        goto done;
    int area = geo_find(&g, code);
    if (area < 0) {
        problem_reply(rp, 404, "no area %s; GET /v1/areas lists them by ONS code", code);
        goto done;
    }
    metrics = db_exec(db, &headline, NULL);
    if (!api_result_ok(rp, db, metrics, "headline metrics")) {
        metrics = NULL;
        goto done;
    }
    int nm = PQntuples(metrics) < MAX_HEADLINE ? PQntuples(metrics) : MAX_HEADLINE;
    const char *codes[MAX_HEADLINE * 3];
    int ncodes = 0, nheads = 0;
    for (int i = 0; i < nm; i++)
        codes[nheads++] = PQgetvalue(metrics, i, 0);
    ncodes = nheads;
    for (int i = 0; i < nm; i++)
        for (int c = 8; c <= 9; c++)
            if (PQgetvalue(metrics, i, c)[0])
                codes[ncodes++] = PQgetvalue(metrics, i, c);
    tree = calloc((size_t)(g.n ? g.n : 1), sizeof *tree);
    if (!tree) {
        problem_reply(rp, 500, "out of memory");
        goto done;
    }
    geo_mark_tree(&g, area, tree);
    obs = obs_query(db, codes, ncodes, &g, tree, "", -1);
    if (!api_result_ok(rp, db, obs, "observations")) {
        obs = NULL;
        goto done;
    }
    targets = targets_query(db, codes, nheads, g.code[area]);
    if (!api_result_ok(rp, db, targets, "targets")) {
        targets = NULL;
        goto done;
    }
    figures_end(db);

    json_t *programmes = json_array(), *current = NULL;
    const char *current_code = "";
    for (int i = 0; i < nm; i++) {
        struct metric m;
        metric_from_row(metrics, i, 0, &m);
        const char *pcode = PQgetvalue(metrics, i, 12);
        if (!current || strcmp(pcode, current_code) != 0) {
            current = json_pack("{s:s, s:s, s:[]}", "code", pcode, "name",
                                PQgetvalue(metrics, i, 13), "metrics");
            json_array_append_new(programmes, current);
            current_code = pcode;
        }
        json_array_append_new(json_object_get(current, "metrics"),
                              metric_tile(&g, &m, obs, targets, area, now));
        strbuf_printf(&used, "%s%s", i ? "," : "", m.code);
        usage_count(m.code);
    }
    reply_json(rp, 200,
               json_pack("{s:{s:s, s:s, s:s}, s:o}", "area", "code", g.code[area], "name",
                         g.name[area], "type", g.type[area], "programmes", programmes));
    cache_keep(rp, &key, version, used.data);
done:
    strbuf_free(&used);
    free(tree);
    PQclear(metrics);
    PQclear(obs);
    PQclear(targets);
    geo_free(&g);
}
