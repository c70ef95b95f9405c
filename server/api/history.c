/* GET /v1/observations/history: every change to one cell, oldest first, from the
 * append-only observation_history table. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "http/auth.h"

#include "store/db.h"
#include "domain/breakdown.h"
#include "domain/period.h"
#include "http/problem.h"
#include "api/render.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/disclosure.h"
#include "api/filters.h"

static bool small(PGresult *r, int i, int col) {
    if (PQgetisnull(r, i, col))
        return false;
    double v = strtod(PQgetvalue(r, i, col), NULL);
    return v >= 1 && v <= g_config.small_count_max;
}

/* The cell's tables as they stand, one per period in the history. */
static bool history_disclosure(struct db_conn *db, PGresult *r, const char *metric,
                               const char *area, struct disclosure *out) {
    int n = PQntuples(r);
    struct db_figure *figs = calloc((size_t)n + 1, sizeof *figs);
    if (!figs)
        return false;
    for (int i = 0; i < n; i++)
        figs[i] = (struct db_figure){metric, area, PQgetvalue(r, i, 10)};
    bool ok = disclosure_build(db, figs, n, g_config.small_count_max, out);
    free(figs);
    return ok;
}

void api_get_history(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {
        "history_cell",
        "SELECT h.action, h.old_value, h.new_value, h.old_status, h.new_status, h.partner, "
        "h.submission_id, to_char(h.changed_at AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), h.reason, h.lock_override, h.period_start, "
        "m.frequency, m.unit "
        "FROM observation_history h JOIN metrics m ON m.code = h.metric "
        "WHERE h.metric = $1 AND h.area = $2 AND ($3::date IS NULL OR h.period_start = $3) "
        "AND h.breakdown_key = $4 ORDER BY h.period_start, h.id",
        4};
    static const char *const columns[] = {
        "period",  "action",        "old_value",  "new_value", "old_status",    "new_status",
        "partner", "submission_id", "changed_at", "reason",    "lock_override", "suppressed",
        NULL};
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
    const char *params[] = {metric, area, has_period ? start : NULL, key};
    /* An unknown metric or area is a 404, not an empty history that reads as "no
     * changes". */
    static const struct db_stmt known = {"history_cell_known",
                                         "SELECT EXISTS (SELECT 1 FROM metrics WHERE code = $1), "
                                         "EXISTS (SELECT 1 FROM areas WHERE code = $2)",
                                         2};
    PGresult *k = db_exec(db, &known, params);
    if (!api_result_ok(rp, db, k, "history"))
        return;
    bool metric_known = PQgetvalue(k, 0, 0)[0] == 't', area_known = PQgetvalue(k, 0, 1)[0] == 't';
    PQclear(k);
    if (!metric_known || !area_known) {
        problem_reply(rp, 404, "no %s %s; GET %s lists them", metric_known ? "area" : "metric",
                      metric_known ? area : metric, metric_known ? "/v1/areas" : "/v1/metrics");
        return;
    }
    PGresult *r = db_exec(db, &s, params);
    if (!api_result_ok(rp, db, r, "history"))
        return;
    /* The read rules of every open read: small counts hidden, and a cell hidden now to
     * protect another (complementary suppression) hidden in its past too; who made each
     * change is for keys that may read everything, or the partner that made it. */
    bool open = !(rq->who.scopes & (SCOPE_READ | SCOPE_ADMIN));
    bool hide = open && key[0] && PQntuples(r) > 0 && strcmp(PQgetvalue(r, 0, 12), "count") == 0 &&
                g_config.small_count_max > 0;
    struct disclosure now = {0};
    if (hide && !history_disclosure(db, r, metric, area, &now)) {
        PQclear(r);
        api_db_failed(rp, db, "history");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        struct period at;
        enum period_freq f = PERIOD_MONTHLY;
        char period[16] = "";
        period_freq_parse(PQgetvalue(r, i, 11), &f);
        if (period_from_date(PQgetvalue(r, i, 10), f, &at))
            period_format(&at, period, sizeof period);
        json_array_append_new(
            items, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "period",
                             period, "action", render_text(r, i, 0), "old_value",
                             render_number(r, i, 1), "new_value", render_number(r, i, 2),
                             "old_status", render_text(r, i, 3), "new_status", render_text(r, i, 4),
                             "partner", render_text(r, i, 5), "submission_id", render_text(r, i, 6),
                             "changed_at", render_text(r, i, 7), "reason", render_text(r, i, 8),
                             "lock_override", PQgetvalue(r, i, 9)[0] == 't'));
        json_t *item = json_array_get(items, json_array_size(items) - 1);
        if (hide && item &&
            (disclosure_hidden(&now, metric, area, PQgetvalue(r, i, 10), key) || small(r, i, 1) ||
             small(r, i, 2))) {
            json_object_set_new(item, "old_value", json_null());
            json_object_set_new(item, "new_value", json_null());
            json_object_set_new(item, "suppressed", json_true());
        }
        if (open && item && strcmp(PQgetvalue(r, i, 5), rq->who.partner) != 0) {
            json_object_set_new(item, "partner", json_null());
            json_object_set_new(item, "submission_id", json_null());
            json_object_set_new(item, "reason", json_null());
        }
    }
    disclosure_free(&now);
    PQclear(r);
    json_t *extra = json_pack("{s:s, s:s}", "metric", metric, "area", area);
    render_collection(rq, rp, items, columns, extra);
}
