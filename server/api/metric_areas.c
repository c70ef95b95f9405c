/* GET /v1/metrics/{code}/areas?period=: every area's figure for one period, for a
 * league table or a map. An area with no figure of its own shows the total derived
 * from its members (the same rule as the series); an area with neither is left out.
 * Without period= the latest period with any figure is used. JSON or CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_util.h"
#include "api/figures.h"
#include "api/render.h"
#include "config.h"
#include "http/cache.h"
#include "http/problem.h"
#include "store/db_figures.h"
#include "usage.h"

/* A downloaded comparison stands alone: each row names the metric, period and breakdown,
 * and says whether a total is whole (complete) and whether a small count is hidden. */
static const char *const area_columns[] = {"metric", "period", "breakdown",  "area",     "name",
                                           "type",   "value",  "derived",    "complete", "status",
                                           "lower",  "upper",  "suppressed", NULL};

static int type_rank(const char *type);
static json_t *area_items(struct request *rq, const struct geo *g, const struct metric *m,
                          const struct obs_set *set, const char *bkey, int month);

/* Larger areas first, as a league table reads: country, region, combined authority, county,
 * unitary, districts. */
static int type_rank(const char *type) {
    static const char *const order[] = {"country", "region",  "combined_authority",
                                        "county",  "unitary", "metropolitan_district",
                                        NULL};
    for (int i = 0; order[i]; i++)
        if (strcmp(order[i], type) == 0)
            return i;
    return 9;
}

static int area_cmp(const void *a, const void *b, void *cls) {
    const struct geo *g = cls;
    int x = *(const int *)a, y = *(const int *)b;
    int r = type_rank(g->type[x]) - type_rank(g->type[y]);
    if (r)
        return r;
    r = strcmp(g->name[x], g->name[y]);
    return r ? r : x - y;
}

/* Every area's figure for the month, larger areas first; NULL when memory runs out. */
static json_t *area_items(struct request *rq, const struct geo *g, const struct metric *m,
                          const struct obs_set *set, const char *bkey, int month) {
    int *order = malloc(sizeof *order * (size_t)(g->n ? g->n : 1));
    json_t *items = json_array();
    if (!order || !items)
        goto failed;
    for (int i = 0; i < g->n; i++)
        order[i] = i;
    qsort_r(order, (size_t)g->n, sizeof *order, area_cmp, (void *)g);
    struct series_opts o = {
        .hide_small = figures_hide_small(rq, bkey),
        .small_max = g_config.small_count_max,
    };
    for (int i = 0; i < g->n; i++) {
        int a = order[i];
        struct series s;
        if (!series_build(&s, g, m, set, a, &o))
            goto failed;
        for (int k = 0; k < s.n; k++) {
            if (s.pts[k].month != month)
                continue;
            json_t *p = figures_point_json(g, m, &s.pts[k], !rq->csv);
            json_object_del(p, "period");
            json_t *item = json_pack("{s:s, s:s, s:s}", "area", g->code[a], "name", g->name[a],
                                     "type", g->type[a]);
            bool ok = p && item && json_object_update(item, p) == 0;
            json_decref(p);
            if (!ok || !api_push_take(items, item)) {
                if (!ok)
                    json_decref(item);
                series_free(&s);
                goto failed;
            }
        }
        series_free(&s);
    }
    free(order);
    return items;
failed:
    free(order);
    json_decref(items);
    return NULL;
}

void api_get_metric_areas(struct request *rq, struct reply *rp) {
    struct period asked;
    bool has_period;
    if (!api_period_param(rq, rp, "period", &asked, &has_period))
        return;
    const char *name[] = {req_param(rq, 0), has_period ? req_query(rq, "period") : "latest",
                          req_query(rq, "breakdown"), "areas"};
    render_csv_name(rq, rp, name, 4);
    struct cache_key key;
    uint64_t version = 0;
    struct db_conn *db = figures_cached_begin(rq, rp, &key, &version);
    if (!db)
        return;
    struct metric m;
    struct geo g = {0};
    struct obs_set set = {0};
    json_t *breakdown = NULL, *items = NULL;
    char bkey[512];
    if (!figures_metric(db, rp, req_param(rq, 0), &m))
        goto done;
    if (has_period && asked.freq != m.freq) {
        char text[16];
        period_format(&asked, text, sizeof text);
        problem_reply(rp, 400, "period=%s does not fit %s, which is %s: use a %s period", text,
                      m.code, m.frequency,
                      m.freq == PERIOD_MONTHLY     ? "monthly (2019-02)"
                      : m.freq == PERIOD_QUARTERLY ? "quarterly (2019-Q1)"
                                                   : "annual (2019 or FY2019-20)");
        goto done;
    }
    if (!figures_breakdown_param(rq, rp, &m, bkey, sizeof bkey, &breakdown) ||
        !figures_geo(db, rp, &g))
        goto done;
    int month = has_period ? period_month_index(&asked) : -1;
    if (!has_period && !db_figures_latest_month(db, &m, bkey, &month)) {
        api_db_failed(rp, db, "observations");
        goto done;
    }
    if (month >= 0) {
        const char *codes[] = {m.code, m.numerator, m.denominator};
        if (!figures_obs_set(db, rp, &m, codes, m.is_rate && m.numerator[0] ? 3 : 1, &g, NULL, bkey,
                             month, &set) ||
            !figures_hide_cells(rq, db, rp, &g, &m, bkey, &set))
            goto done;
        items = area_items(rq, &g, &m, &set, bkey, month);
    } else {
        items = json_array();
    }
    figures_end(db);
    char period[16] = "";
    if (month >= 0)
        metric_period_text(&m, month, period, sizeof period);
    json_t *extra =
        json_pack("{s:s, s:o, s:o}", "metric", m.code, "period",
                  month >= 0 ? json_string(period) : json_null(), "breakdown", breakdown);
    if (rq->csv) {
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) {
            json_object_set_new(item, "metric", json_string(m.code));
            json_object_set_new(item, "period", month >= 0 ? json_string(period) : json_null());
            json_object_set(item, "breakdown", breakdown);
        }
    }
    breakdown = NULL;
    render_collection_with(rq, rp, items, area_columns, extra);
    items = NULL;
    if (rp->status != 200)
        goto done;
    usage_count(m.code);
    cache_keep(rp, &key, version, m.code);
done:
    json_decref(breakdown);
    json_decref(items);
    obs_set_free(&set);
    geo_free(&g);
}
