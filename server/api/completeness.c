/* GET /v1/completeness?period=: for every partner, each metric and area it is granted
 * (a programme grant covers the programme's active metrics), whether the figure for
 * the period is in and whether it is late.
 *
 * The period's form picks the metrics: a month (2019-02) the monthly ones, a quarter
 * (2019-Q1) the quarterly ones, a year (2019 or FY2019-20) the annual ones. A figure is
 * due by the 15th of the month after the period ends. Received: the cell holds a total
 * (any breakdown-free figure, whoever wrote it: the board needs the figure, not the
 * sender); received_at is when that figure first arrived. Late: it arrived after the
 * due date, or it has not arrived and the due date has passed (dates in UK time).
 * Without period= the last month is used. JSON or CSV; admin only, and never cached,
 * since lateness moves with the clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "domain/period.h"
#include "http/problem.h"
#include "api/render.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"

static const char *const columns[] = {"partner", "metric",      "area", "received",
                                      "late",    "received_at", NULL};

void api_get_completeness(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {
        "completeness_items",
        "WITH due AS (SELECT DISTINCT pg.partner, m.code AS metric, pg.area "
        "  FROM partner_grants pg JOIN metrics m "
        "    ON m.code = pg.metric OR m.programme = pg.programme "
        "  WHERE m.active AND m.frequency = $2 AND ($4::text IS NULL OR pg.partner = $4)) "
        "SELECT d.partner, d.metric, d.area, o.created_at IS NOT NULL, "
        "CASE WHEN o.created_at IS NULL THEN (now() AT TIME ZONE 'Europe/London')::date > $3::date "
        "     ELSE (o.created_at AT TIME ZONE 'Europe/London')::date > $3::date END, "
        "to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
        "FROM due d LEFT JOIN observations o ON o.metric = d.metric AND o.area = d.area "
        "  AND o.period_start = $1::date AND o.breakdown_key = '' "
        "ORDER BY d.partner, d.metric, d.area",
        4};
    struct period p;
    bool has_period;
    if (!api_period_param(rq, rp, "period", &p, &has_period))
        return;
    if (!has_period) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        int last = (tm.tm_year + 1900) * 12 + tm.tm_mon - 1;
        p = (struct period){last / 12, last % 12 + 1, PERIOD_MONTHLY};
    }
    char start[16], period[16], due[32];
    period_start_date(&p, start, sizeof start);
    period_format(&p, period, sizeof period);
    int end = period_end_index(&p);
    snprintf(due, sizeof due, "%04d-%02d-15", end / 12, end % 12 + 1);
    if (!api_check_filters(rq, rp, FILTER_PARTNER))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    const char *params[] = {start, period_freq_name(p.freq), due, req_query(rq, "partner")};
    PGresult *r = db_exec(db, &s, params);
    if (!api_result_ok(rp, db, r, "completeness"))
        return;
    json_t *items = json_array();
    int received = 0, late = 0, n = PQntuples(r);
    for (int i = 0; i < n; i++) {
        bool got = PQgetvalue(r, i, 3)[0] == 't', overdue = PQgetvalue(r, i, 4)[0] == 't';
        received += got;
        late += overdue;
        json_array_append_new(items,
                              json_pack("{s:o, s:o, s:o, s:b, s:b, s:o}", "partner",
                                        render_text(r, i, 0), "metric", render_text(r, i, 1),
                                        "area", render_text(r, i, 2), "received", got, "late",
                                        overdue, "received_at", render_text(r, i, 5)));
    }
    PQclear(r);
    render_collection(rq, rp, items, columns,
                      json_pack("{s:s, s:s, s:{s:i, s:i, s:i}}", "period", period, "due_date", due,
                                "summary", "expected", n, "received", received, "late", late));
    rp->no_etag = true;
}
