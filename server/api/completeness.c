/* GET /v1/completeness?period=: for every return schedule (which partner owes which
 * metric for which area), whether the figure for the period is in and whether it is late.
 * Schedules only: a grant says what a partner may send, not what it owes.
 *
 * The period's form picks the metrics: a month (2019-02) the monthly ones, a quarter
 * (2019-Q1) the quarterly ones, a year (2019 or FY2019-20) the annual ones. A figure is
 * due on its schedule's due day (the 15th unless set) of the month after the period ends;
 * each item carries its due_date, and the top-level due_date is the 15th's. Received: the
 * cell holds a total that the scheduled partner wrote (a return is credited to the
 * partner that sent it, not to whoever else may write the cell); received_at is that
 * partner's first write of it. Late: it arrived after the due date, or it has not
 * arrived and the due date has passed (dates in UK time). Without period= the last month
 * is used. JSON or CSV; admin only, and never cached, since lateness moves with the
 * clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"
#include "api/render.h"
#include "domain/period.h"
#include "http/problem.h"
#include "store/db_oversight.h"

/* Each row names its period and due date too, so a downloaded file stands alone. */
static const char *const columns[] = {"period",   "due_date", "partner",     "metric", "area",
                                      "received", "late",     "received_at", NULL};

void api_get_completeness(struct request *rq, struct reply *rp) {
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
    char start[16], period[16], due_month[16], due[32];
    period_start_date(&p, start, sizeof start);
    period_format(&p, period, sizeof period);
    int end = period_end_index(&p);
    snprintf(due_month, sizeof due_month, "%04d-%02d", end / 12, end % 12 + 1);
    snprintf(due, sizeof due, "%s-15", due_month);
    if (!api_check_filters(rq, rp, FILTER_PARTNER))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    struct db_completeness q = {start, period_freq_name(p.freq), due_month,
                                req_query(rq, "partner")};
    json_t *items;
    int received, late;
    if (!db_oversight_completeness(db, &q, &items, &received, &late)) {
        api_db_failed(rp, db, "completeness");
        return;
    }
    int n = (int)json_array_size(items);
    if (rq->csv && items) { /* each row names its period, so the file stands alone */
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) {
            json_object_set_new(item, "period", json_string(period));
            if (!json_object_get(item, "due_date")) /* a schedule's own due day wins */
                json_object_set_new(item, "due_date", json_string(due));
        }
    }
    const char *name[] = {"completeness", period};
    render_csv_name(rq, rp, name, 2);
    json_t *extra = json_pack("{s:s, s:s, s:{s:i, s:i, s:i}}", "period", period, "due_date", due,
                              "summary", "expected", n, "received", received, "late", late);
    render_collection_with(rq, rp, items, columns, extra);
    rp->no_etag = true;
}
