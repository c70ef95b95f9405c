/* GET /v1/observations/history: every change to one cell, oldest first, from the
 * append-only observation_history table. */
#include <string.h>

#include "api/api.h"
#include "api/api_util.h"
#include "api/render.h"
#include "domain/breakdown.h"
#include "domain/period.h"
#include "http/problem.h"
#include "store/db_observations.h"

void api_get_history(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {
        "metric",        "area",       "breakdown",  "period",        "action",   "old_value",
        "new_value",     "old_status", "new_status", "old_note",      "new_note", "partner",
        "submission_id", "changed_at", "reason",     "lock_override", NULL};
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
