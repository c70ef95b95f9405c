/* GET /v1/observations/history: every change to one cell, oldest first, from the
 * append-only observation_history table. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_util.h"
#include "api/render.h"
#include "domain/breakdown.h"
#include "domain/period.h"
#include "http/problem.h"
#include "store/db_cells.h"
#include "store/db_observations.h"
#include "api/disclosure.h"
#include "api/filters.h"
#include "config.h"
#include "http/auth.h"

static bool small(json_t *v) {
    return json_is_number(v) && json_number_value(v) >= 1 &&
           json_number_value(v) <= g_config.small_count_max;
}

/* The read rules of every open read: a count cell's values hidden when small, and when
 * the cell is hidden now to protect another (complementary suppression), in its past
 * too; who made each change is for keys that may read everything, or the partner that
 * made it. */
static bool hide_for_open_read(struct request *rq, struct db_conn *db, const char *metric,
                               const char *area, const char *key, json_t *items) {
    size_t n = json_array_size(items), i;
    json_t *item;
    json_array_foreach(items, i, item) {
        const char *by = json_string_value(json_object_get(item, "partner"));
        if (!by || strcmp(by, rq->who.partner) != 0) {
            json_object_set_new(item, "partner", json_null());
            json_object_set_new(item, "submission_id", json_null());
            json_object_set_new(item, "reason", json_null());
        }
    }
    bool is_count = false;
    if (!key[0] || g_config.small_count_max <= 0 || n == 0)
        return true;
    if (!db_cells_metric_is_count(db, metric, &is_count))
        return false;
    if (!is_count)
        return true;
    struct db_figure *figs = calloc(n, sizeof *figs);
    char(*starts)[16] = calloc(n, sizeof *starts);
    bool ok = figs && starts;
    for (i = 0; ok && i < n; i++) {
        struct period p;
        const char *text = json_string_value(json_object_get(json_array_get(items, i), "period"));
        if (text && period_parse(text, &p))
            period_start_date(&p, starts[i], sizeof starts[i]);
        figs[i] = (struct db_figure){metric, area, starts[i]};
    }
    struct disclosure now = {0};
    ok = ok && disclosure_build(db, figs, (int)n, g_config.small_count_max, NULL, &now);
    json_array_foreach(items, i, item) {
        if (!ok)
            break;
        if (disclosure_hidden(&now, metric, area, starts[i], key) ||
            small(json_object_get(item, "old_value")) ||
            small(json_object_get(item, "new_value"))) {
            json_object_set_new(item, "old_value", json_null());
            json_object_set_new(item, "new_value", json_null());
            json_object_set_new(item, "suppressed", json_true());
        }
    }
    disclosure_free(&now);
    free(figs);
    free(starts);
    return ok;
}

void api_get_history(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {
        "metric",        "area",       "breakdown",  "period",        "action",     "old_value",
        "new_value",     "old_status", "new_status", "old_note",      "new_note",   "partner",
        "submission_id", "changed_at", "reason",     "lock_override", "suppressed", NULL};
    const char *metric = req_query(rq, "metric"), *area = req_query(rq, "area");
    if (!metric || !area) {
        problem_reply(rp, 400, "history needs metric= and area= (and period= for one period)");
        return;
    }
    struct period p;
    bool has_period;
    if (!api_period_param(rq, rp, "period", &p, &has_period))
        return;
    char start[16] = "", key[512] = "";
    if (has_period)
        period_start_date(&p, start, sizeof start);
    const char *bd = req_query(rq, "breakdown");
    if (bd && *bd && strcmp(bd, "total") != 0) {
        struct breakdown b;
        bool dims_only;
        if (!breakdown_parse_filter(bd, &b, &dims_only) || dims_only) {
            problem_reply(rp, 400, "breakdown=%s: name one cell, e.g. sex=female", bd);
            return;
        }
        breakdown_key(&b, key, sizeof key);
    }
    if (!api_check_filters(rq, rp, FILTER_METRIC | FILTER_AREA | FILTER_BREAKDOWN))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    /* An unknown metric or area is a 404, not an empty history that reads as "no
     * changes". */
    bool metric_known, area_known;
    if (!db_observations_known(db, metric, area, &metric_known, &area_known)) {
        api_db_failed(rp, db, "history");
        return;
    }
    if (!metric_known || !area_known) {
        problem_reply(rp, 404, "no %s %s; GET %s lists them", metric_known ? "area" : "metric",
                      metric_known ? area : metric, metric_known ? "/v1/areas" : "/v1/metrics");
        return;
    }
    json_t *items;
    if (!db_observations_history(db, metric, area, has_period ? start : NULL, key, &items)) {
        api_db_failed(rp, db, "history");
        return;
    }
    if (!(rq->who.scopes & (SCOPE_READ | SCOPE_ADMIN)) &&
        !hide_for_open_read(rq, db, metric, area, key, items)) {
        json_decref(items);
        api_db_failed(rp, db, "history");
        return;
    }
    if (rq->csv) { /* each row names its cell, so the file stands alone */
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) {
            json_object_set_new(item, "metric", json_string(metric));
            json_object_set_new(item, "area", json_string(area));
            json_object_set_new(item, "breakdown", key[0] ? json_string(key) : json_null());
        }
    }
    const char *name[] = {"history", metric, area, req_query(rq, "period"), key};
    render_csv_name(rq, rp, name, 5);
    json_t *extra = json_pack("{s:s, s:s}", "metric", metric, "area", area);
    render_collection_with(rq, rp, items, columns, extra);
}
