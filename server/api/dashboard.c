/* GET /v1/dashboard?area=: the board view in one answer. Per programme, per headline
 * metric: the latest whole figure and the whole one before it, the change, the total to
 * date, the target that applies with percent of target and RAG, how fresh the figure is,
 * the SPC summary (variation, assurance), the trend read from it and the comparison with
 * the parent area and England. A partial total later than the latest whole figure is
 * shown apart (partial_latest, with its missing members), never as the headline.
 * Five queries in one snapshot on a miss; none on a hit (the response cache). */
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
#include "api/judge.h"
#include "store/db_breaks.h"

#define DEFAULT_AREA "E47000007"
#define MAX_HEADLINE 64
#define MAX_BREAKS 1024
#define ENGLAND "E92000001"

/* What every tile shares: the geography, the figures and targets read, the breaks. */
struct board {
    const struct geo *g;
    PGresult *obs, *targets;
    const struct db_break_month *breaks;
    int nbreaks;
    int area, now;
};

static int pick_target(PGresult *targets, const struct metric *m, int reference);
static json_t *metric_tile(const struct board *b, const struct metric *m);

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

/* The latest whole figure leads the tile (its own, or derived with nothing missing); a
 * later partial total is shown apart, with who is missing. */
static json_t *metric_tile(const struct board *b, const struct metric *m) {
    const struct geo *g = b->g;
    struct obs_set set;
    struct series s;
    struct series_opts o = {0};
    json_t *tile =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s}", "metric", m->code, "name", m->name,
                  "programme", m->programme, "unit", m->unit, "kind", m->kind, "polarity",
                  m->polarity, "decimals", m->decimals, "frequency", m->frequency);
    if (!obs_set_build(&set, g, m, b->obs))
        return tile;
    if (!series_build(&s, g, m, &set, b->area, &o)) {
        obs_set_free(&set);
        return tile;
    }
    int at = judge_latest_whole(&s, 0, s.n);
    int before = at > 0 ? judge_latest_whole(&s, 0, at) : -1;
    const struct point *latest = at >= 0 ? &s.pts[at] : NULL;
    const struct point *previous = before >= 0 ? &s.pts[before] : NULL;
    json_object_set_new(tile, "latest", latest ? point_json(g, m, latest, true) : json_null());
    json_object_set_new(tile, "previous",
                        previous ? point_json(g, m, previous, true) : json_null());
    json_object_set_new(tile, "partial_latest", judge_partial_latest_json(g, m, &s, 0, s.n));
    json_object_set_new(tile, "change",
                        latest && previous
                            ? figures_number(figures_round(m, latest->per - previous->per))
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
    } else if (latest && !m->is_rate) {
        total = figures_number(latest->per);
    }
    json_object_set_new(tile, "total_to_date", total);

    int reference = latest ? latest->month : b->now;
    int row = pick_target(b->targets, m, reference);
    json_t *target = json_null();
    struct target_row t;
    if (row >= 0) {
        struct target_eval ev;
        target_from_row(b->targets, row, m, &t);
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

    /* Freshness counts from the last figure received, whole or partial. */
    json_t *fresh = json_null();
    if (s.n) {
        const struct point *last = &s.pts[s.n - 1];
        char period[16];
        figures_period_text(m, last->month, period, sizeof period);
        int since = (b->now - last->month) / period_months(m->freq);
        fresh =
            json_pack("{s:s, s:i}", "last_period", period, "periods_since", since > 0 ? since : 0);
    }
    json_object_set_new(tile, "freshness", fresh);

    int breaks[DB_BREAKS_MAX], nbreaks = 0;
    for (int i = 0; i < b->nbreaks && nbreaks < DB_BREAKS_MAX; i++)
        if (strcmp(b->breaks[i].metric, m->code) == 0)
            breaks[nbreaks++] = b->breaks[i].month;
    /* The tile's target, when it is still to be met, is the one SPC judges against. */
    bool judged_target = row >= 0 && latest && t.t.end >= latest->month;
    struct judge_spc spc;
    if (judge_spc(m, &s, 0, s.n, breaks, nbreaks, judged_target ? &t : NULL, &spc)) {
        json_object_set_new(tile, "trend", judge_trend_json(m, &spc));
        json_object_set_new(tile, "spc", judge_spc_summary_json(&spc));
        judge_spc_free(&spc);
    } else {
        json_object_set_new(tile, "trend", json_null());
        json_object_set_new(tile, "spc", json_null());
    }
    json_object_set_new(tile, "comparison", judge_comparison_json(g, m, &set, b->area, &o, &s, at));
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
    /* The comparators' figures too: the parent's (made from its own members if need be)
     * and England's own. */
    struct derive_geo dg = geo_derive(&g);
    int parent = derive_parent(&dg, now, area), england = geo_find(&g, ENGLAND);
    if (parent >= 0)
        geo_mark_tree(&g, parent, tree);
    if (england >= 0)
        tree[england] = true;
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
    struct db_break_month *breaks = calloc(MAX_BREAKS, sizeof *breaks);
    int nbreaks = 0;
    if (!breaks) {
        problem_reply(rp, 500, "out of memory");
        goto done;
    }
    if (!db_breaks_all(db, breaks, MAX_BREAKS, &nbreaks)) {
        free(breaks);
        api_db_failed(rp, db, "series breaks");
        goto done;
    }
    figures_end(db);
    struct board board = {&g, obs, targets, breaks, nbreaks, area, now};

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
        json_array_append_new(json_object_get(current, "metrics"), metric_tile(&board, &m));
        strbuf_printf(&used, "%s%s", i ? "," : "", m.code);
        usage_count(m.code);
    }
    reply_json(rp, 200,
               json_pack("{s:{s:s, s:s, s:s}, s:o}", "area", "code", g.code[area], "name",
                         g.name[area], "type", g.type[area], "programmes", programmes));
    cache_keep(rp, &key, version, used.data);
    free(breaks);
done:
    strbuf_free(&used);
    free(tree);
    PQclear(metrics);
    PQclear(obs);
    PQclear(targets);
    geo_free(&g);
}
