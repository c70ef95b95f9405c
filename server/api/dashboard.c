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

#include "api/api.h"
#include "api/api_util.h"
#include "api/figures.h"
#include "api/judge.h"
#include "domain/strbuf.h"
#include "http/cache.h"
#include "http/problem.h"
#include "store/db_breaks.h"
#include "store/db_figures.h"
#include "usage.h"

#define DEFAULT_AREA "E47000007"
#define MAX_HEADLINE 64
#define MAX_BREAKS 1024
#define ENGLAND "E92000001"

struct board {
    const struct geo *g;
    const struct obs_row *rows;
    int nrows;
    const struct measure_target *targets;
    int ntargets;
    const struct db_break_month *breaks;
    int nbreaks;
    int area, now;
};

static json_t *metric_tile(const struct board *b, const struct metric *m);
static json_t *tile_target(const struct board *b, const struct metric *m, const struct series *s,
                           int reference);
static bool tile_judge(const struct board *b, const struct metric *m, const struct series *s,
                       int reference, int latest, json_t *tile);
static json_t *tile_freshness(const struct metric *m, const struct series *s, int now);
static json_t *optional_number(bool has, double v);
static json_t *board_json(const struct board *b, const struct db_figures_headline *heads,
                          int nheads, struct strbuf *used);

static json_t *optional_number(bool has, double v) {
    return has ? figures_number(v) : json_null();
}

/* The target that applies at the reference month, with its measure's fields beside
 * its own; null when the metric has none here. */
static json_t *tile_target(const struct board *b, const struct metric *m, const struct series *s,
                           int reference) {
    int row = measure_pick(b->targets, b->ntargets, m->code, reference);
    if (row < 0)
        return json_null();
    struct measure ev;
    measure_target(&b->targets[row], m, s, &ev);
    json_t *target = figures_target_json(&b->targets[row], m);
    json_t *e = figures_measure_json(&ev, m);
    bool ok = target && e;
    const char *fields[] = {
        "period", "actual", "expected", "percent_of_target", "percent_of_expected", "rag"};
    for (size_t i = 0; ok && i < sizeof fields / sizeof fields[0]; i++) {
        json_t *v = json_is_object(e) ? json_object_get(e, fields[i]) : NULL;
        ok = json_object_set(target, fields[i], v ? v : json_null()) == 0;
    }
    json_decref(e);
    if (!ok) {
        json_decref(target);
        return NULL;
    }
    return target;
}

/* SPC over the tile's whole figures (from the metric's latest break), against the
 * tile's target while it is still to be met, and the trend read from it. */
static bool tile_judge(const struct board *b, const struct metric *m, const struct series *s,
                       int reference, int latest, json_t *tile) {
    int breaks[DB_BREAKS_MAX], nbreaks = 0;
    for (int i = 0; i < b->nbreaks && nbreaks < DB_BREAKS_MAX; i++)
        if (strcmp(b->breaks[i].metric, m->code) == 0)
            breaks[nbreaks++] = b->breaks[i].month;
    int row = measure_pick(b->targets, b->ntargets, m->code, reference);
    const struct measure_target *t =
        row >= 0 && latest >= 0 && b->targets[row].t.end >= s->pts[latest].month ? &b->targets[row]
                                                                                 : NULL;
    struct judge_spc spc;
    if (!judge_spc(m, s, 0, s->n, breaks, nbreaks, t, &spc))
        return false;
    bool ok = api_set_take(tile, "trend", judge_trend_json(m, &spc)) &&
              api_set_take(tile, "spc", judge_spc_summary_json(&spc));
    judge_spc_free(&spc);
    return ok;
}

/* Freshness counts from the last figure received, whole or partial. */
static json_t *tile_freshness(const struct metric *m, const struct series *s, int now) {
    if (!s->n)
        return json_null();
    char period[16];
    int month = s->pts[s->n - 1].month;
    metric_period_text(m, month, period, sizeof period);
    int since = (now - month) / period_months(m->freq);
    return json_pack("{s:s, s:i}", "last_period", period, "periods_since", since > 0 ? since : 0);
}

/* One headline metric's tile; NULL when memory runs out. */
static json_t *metric_tile(const struct board *b, const struct metric *m) {
    struct obs_set set;
    struct series s;
    struct series_opts o = {0};
    if (!obs_set_build(&set, b->g, m, b->rows, b->nrows))
        return NULL;
    if (!series_build(&s, b->g, m, &set, b->area, &o)) {
        obs_set_free(&set);
        return NULL;
    }
    /* The latest whole figure leads (its own, or derived with nothing missing); a later
     * partial total is shown apart, with who is missing. */
    int at = judge_latest_whole(&s, 0, s.n);
    int before = at > 0 ? judge_latest_whole(&s, 0, at) : -1;
    const struct point *latest = at >= 0 ? &s.pts[at] : NULL;
    const struct point *previous = before >= 0 ? &s.pts[before] : NULL;
    /* Change and total from whole figures only: the series up to the latest whole one. */
    struct series head = s;
    head.n = at + 1;
    double change = 0, total = 0;
    bool has_change = latest && previous;
    if (has_change)
        change = metric_round(m, latest->per - previous->per);
    bool has_total = latest && series_total_to_date(m, m->is_flow ? &s : &head, &total);
    int reference = latest ? latest->month : b->now;
    json_t *tile = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "metric", m->code, "name", m->name, "programme", m->programme, "unit", m->unit, "kind",
        m->kind, "polarity", m->polarity, "decimals", m->decimals, "frequency", m->frequency,
        "latest", latest ? figures_point_json(b->g, m, latest, true) : json_null(), "previous",
        previous ? figures_point_json(b->g, m, previous, true) : json_null(), "partial_latest",
        judge_partial_latest_json(b->g, m, &s, 0, s.n), "change",
        optional_number(has_change, change), "total_to_date", optional_number(has_total, total),
        "target", tile_target(b, m, &s, reference), "freshness", tile_freshness(m, &s, b->now),
        "comparison", judge_comparison_json(b->g, m, &set, b->area, &o, &s, at));
    if (tile && !tile_judge(b, m, &s, reference, at, tile)) {
        json_decref(tile);
        tile = NULL;
    }
    series_free(&s);
    obs_set_free(&set);
    return tile;
}

/* Programmes in board order, each with its headline tiles; used gathers the codes. */
static json_t *board_json(const struct board *b, const struct db_figures_headline *heads,
                          int nheads, struct strbuf *used) {
    json_t *programmes = json_array(), *current = NULL;
    const char *current_code = "";
    for (int i = 0; programmes && i < nheads; i++) {
        const struct metric *m = &heads[i].m;
        if (!current || strcmp(m->programme, current_code) != 0) {
            current = json_pack("{s:s, s:s, s:[]}", "code", m->programme, "name",
                                heads[i].programme_name, "metrics");
            current_code = m->programme;
            if (!api_push_take(programmes, current))
                goto failed;
        }
        if (!api_push_take(json_object_get(current, "metrics"), metric_tile(b, m)))
            goto failed;
        strbuf_printf(used, "%s%s", i ? "," : "", m->code);
    }
    return programmes;
failed:
    json_decref(programmes);
    return NULL;
}

void api_get_dashboard(struct request *rq, struct reply *rp) {
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
    struct db_figures_headline *heads = NULL;
    struct obs_row *rows = NULL;
    struct measure_target *targets = NULL;
    struct db_break_month *breaks = NULL;
    int nheads = 0, nrows = 0, ntargets = 0, nbreaks = 0;
    bool *tree = NULL;
    struct strbuf used;
    strbuf_init(&used);
    if (!figures_geo(db, rp, &g))
        goto done;
    int area = geo_find(&g, code);
    if (area < 0) {
        problem_reply(rp, 404, "no area %s; GET /v1/areas lists them by ONS code", code);
        goto done;
    }
    if (!db_figures_headlines(db, MAX_HEADLINE, &heads, &nheads)) {
        api_db_failed(rp, db, "headline metrics");
        goto done;
    }
    const char *codes[MAX_HEADLINE * 3];
    int ncodes = 0;
    for (int i = 0; i < nheads; i++)
        codes[ncodes++] = heads[i].m.code;
    for (int i = 0; i < nheads; i++) {
        if (heads[i].m.numerator[0])
            codes[ncodes++] = heads[i].m.numerator;
        if (heads[i].m.denominator[0])
            codes[ncodes++] = heads[i].m.denominator;
    }
    tree = calloc((size_t)(g.n ? g.n : 1), sizeof *tree);
    if (!tree) {
        api_no_memory(rp);
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
    if (!db_figures_observations(db, codes, ncodes, &g, tree, "", -1, &rows, &nrows)) {
        api_db_failed(rp, db, "observations");
        goto done;
    }
    if (!db_figures_targets(db, codes, nheads, g.code[area], &targets, &ntargets)) {
        api_db_failed(rp, db, "targets");
        goto done;
    }
    breaks = calloc(MAX_BREAKS, sizeof *breaks);
    if (!breaks) {
        api_no_memory(rp);
        goto done;
    }
    if (!db_breaks_all(db, breaks, MAX_BREAKS, &nbreaks)) {
        api_db_failed(rp, db, "series breaks");
        goto done;
    }
    figures_end(db);
    struct board b = {&g, rows, nrows, targets, ntargets, breaks, nbreaks, area, now};
    api_reply_json_take(rp, 200,
                        json_pack("{s:{s:s, s:s, s:s}, s:o}", "area", "code", g.code[area], "name",
                                  g.name[area], "type", g.type[area], "programmes",
                                  board_json(&b, heads, nheads, &used)));
    if (rp->status != 200 || used.failed) {
        if (used.failed)
            api_no_memory(rp);
        goto done;
    }
    for (int i = 0; i < nheads; i++)
        usage_count(heads[i].m.code);
    cache_keep(rp, &key, version, used.data);
done:
    strbuf_free(&used);
    free(tree);
    free(heads);
    free(rows);
    free(targets);
    free(breaks);
    geo_free(&g);
}
