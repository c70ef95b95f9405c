/* GET /v1/metrics/{code}/areas?period=: every area's figure for one period, for a
 * league table or a map. An area with no figure of its own shows the total derived
 * from its members (the same rule as the series); an area with neither is left out.
 * Without period= the latest period with any figure is used. JSON or CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/cache.h"
#include "config.h"
#include "store/db.h"
#include "http/problem.h"
#include "api/render.h"
#include "usage.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/figures.h"

static const char *const area_columns[] = {"area",   "name",  "type",  "value", "derived",
                                           "status", "lower", "upper", NULL};

static int type_rank(const char *type);
static int latest_month(struct db_conn *db, struct reply *rp, const struct metric *m,
                        const char *bkey, bool *ok);

/* Larger areas first, as a league table reads: region, combined authority, county,
 * unitary, districts. */
static int type_rank(const char *type) {
    static const char *const order[] = {"region",  "combined_authority",    "county",
                                        "unitary", "metropolitan_district", NULL};
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

/* The latest period with a figure of the metric (or its parts); -1 when none. */
static int latest_month(struct db_conn *db, struct reply *rp, const struct metric *m,
                        const char *bkey, bool *ok) {
    static const struct db_stmt s = {
        "metric_areas_latest",
        "SELECT to_char(max(period_start), 'YYYY-MM') FROM observations "
        "WHERE metric IN ($1, $2, $3) AND breakdown_key = $4",
        4};
    const char *params[] = {m->code, m->numerator, m->denominator, bkey};
    PGresult *r = db_exec(db, &s, params);
    *ok = api_result_ok(rp, db, r, "observations");
    if (!*ok)
        return -1;
    int month = -1;
    if (!PQgetisnull(r, 0, 0)) {
        const char *t = PQgetvalue(r, 0, 0);
        month = atoi(t) * 12 + atoi(t + 5) - 1;
    }
    PQclear(r);
    return month;
}

void api_get_metric_areas(struct request *rq, struct reply *rp) {
    struct period asked;
    bool has_period;
    if (!api_period_param(rq, rp, "period", &asked, &has_period))
        return;
    struct cache_key key;
    uint64_t version = 0;
    struct db_conn *db = figures_cached_begin(rq, rp, &key, &version);
    if (!db)
        return;
    struct metric m;
    struct geo g = {0};
    struct obs_set set = {0};
    PGresult *obs = NULL;
    json_t *breakdown = NULL;
    int *order = NULL;
    char bkey[512];
    if (!metric_load(db, rp, req_param(rq, 0), &m))
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
        !geo_load(db, rp, &g))
        goto done;
    int month = has_period ? period_month_index(&asked) : -1;
    if (!has_period) {
        bool ok;
        month = latest_month(db, rp, &m, bkey, &ok);
        if (!ok)
            goto done;
    }
    json_t *items = json_array();
    if (month >= 0) {
        const char *codes[] = {m.code, m.numerator, m.denominator};
        obs = obs_query(db, codes, m.is_rate && m.numerator[0] ? 3 : 1, &g, NULL, bkey, month);
        if (!api_result_ok(rp, db, obs, "observations")) {
            obs = NULL;
            json_decref(items);
            goto done;
        }
        order = malloc(sizeof *order * (size_t)(g.n ? g.n : 1));
        if (!order || !obs_set_build(&set, &g, &m, obs)) {
            json_decref(items);
            problem_reply(rp, 500, "out of memory");
            goto done;
        }
        for (int i = 0; i < g.n; i++)
            order[i] = i;
        qsort_r(order, (size_t)g.n, sizeof *order, area_cmp, &g);
        struct series_opts o = {
            .hide_small = bkey[0] && !(rq->who.scopes & (SCOPE_READ | SCOPE_ADMIN)) &&
                          g_config.small_count_max > 0,
            .small_max = g_config.small_count_max,
        };
        for (int i = 0; i < g.n; i++) {
            int a = order[i];
            struct series s;
            if (!series_build(&s, &g, &m, &set, a, &o))
                continue;
            for (int k = 0; k < s.n; k++) {
                if (s.pts[k].month != month)
                    continue;
                json_t *p = point_json(&g, &m, &s.pts[k], !rq->csv);
                json_object_del(p, "period");
                json_t *item = json_pack("{s:s, s:s, s:s}", "area", g.code[a], "name", g.name[a],
                                         "type", g.type[a]);
                json_object_update(item, p);
                json_decref(p);
                json_array_append_new(items, item);
            }
            series_free(&s);
        }
    }
    figures_end(db);
    char period[16] = "";
    if (month >= 0)
        figures_period_text(&m, month, period, sizeof period);
    json_t *extra =
        json_pack("{s:s, s:o, s:o}", "metric", m.code, "period",
                  month >= 0 ? json_string(period) : json_null(), "breakdown", breakdown);
    breakdown = NULL;
    render_collection(rq, rp, items, area_columns, extra);
    usage_count(m.code);
    cache_keep(rp, &key, version, m.code);
done:
    json_decref(breakdown);
    free(order);
    obs_set_free(&set);
    PQclear(obs);
    geo_free(&g);
}
