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

#include "api/api.h"
#include "api/api_util.h"
#include "api/figures.h"
#include "domain/strbuf.h"
#include "http/cache.h"
#include "http/problem.h"
#include "store/db_figures.h"
#include "usage.h"

#define DEFAULT_AREA "E47000007"
#define MAX_HEADLINE 64

struct board {
    const struct geo *g;
    const struct obs_row *rows;
    int nrows;
    const struct measure_target *targets;
    int ntargets;
    int area, now;
};

static json_t *metric_tile(const struct board *b, const struct metric *m);
static json_t *tile_target(const struct board *b, const struct metric *m, const struct series *s,
                           int reference);
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
    const struct point *latest = s.n ? &s.pts[s.n - 1] : NULL;
    const struct point *previous = s.n > 1 ? &s.pts[s.n - 2] : NULL;
    /* A change or a total made from a partial figure would pass a partial sum as whole:
     * both are null unless every figure in them is whole (latest and previous still
     * show, each saying whether it is complete). */
    double change = 0, total = 0;
    bool has_change = series_change(m, &s, &change);
    bool has_total = series_total_to_date(m, &s, &total);
    json_t *tile = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "metric",
        m->code, "name", m->name, "programme", m->programme, "unit", m->unit, "kind", m->kind,
        "polarity", m->polarity, "decimals", m->decimals, "frequency", m->frequency, "latest",
        latest ? figures_point_json(b->g, m, latest, true) : json_null(), "previous",
        previous ? figures_point_json(b->g, m, previous, true) : json_null(), "change",
        optional_number(has_change, change), "total_to_date", optional_number(has_total, total),
        "target", tile_target(b, m, &s, latest ? latest->month : b->now), "freshness",
        tile_freshness(m, &s, b->now), "trend", figures_trend_json(m, &s, 0, s.n));
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
    int nheads = 0, nrows = 0, ntargets = 0;
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
    if (!db_figures_observations(db, codes, ncodes, &g, tree, "", -1, &rows, &nrows)) {
        api_db_failed(rp, db, "observations");
        goto done;
    }
    if (!db_figures_targets(db, codes, nheads, g.code[area], &targets, &ntargets)) {
        api_db_failed(rp, db, "targets");
        goto done;
    }
    figures_end(db);
    struct board b = {&g, rows, nrows, targets, ntargets, area, now};
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
    geo_free(&g);
}
