/* GET /v1/admin/usage?from=&to=&metric=: reads per metric per day, and totals per
 * metric over the range, so the board can see which metrics are used. Reads are
 * counted in memory on the read path (usage.c) and flushed here first, so the answer
 * includes the reads up to this moment. from/to take a day (2019-02-14) or a period
 * (2019-02, 2019-Q1, 2019, FY2019-20), both inclusive. JSON or CSV; admin only. */
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
#include "usage.h"

static const char *const columns[] = {"metric", "day", "reads", NULL};

static bool day_bound(struct request *rq, struct reply *rp, const char *name, bool upper, char *out,
                      size_t size, bool *present);

/* A day or a period as the first day in range (from) or the first day after it (to). */
static bool day_bound(struct request *rq, struct reply *rp, const char *name, bool upper, char *out,
                      size_t size, bool *present) {
    const char *text = req_query(rq, name);
    *present = text != NULL;
    if (!text)
        return true;
    struct period p;
    if (period_parse(text, &p)) {
        int m = upper ? period_end_index(&p) : period_month_index(&p);
        snprintf(out, size, "%04d-%02d-01", m / 12, m % 12 + 1);
        return true;
    }
    struct tm tm = {0};
    char *end = strptime(text, "%Y-%m-%d", &tm);
    if (end && !*end && strlen(text) == 10) {
        int y = tm.tm_year, mo = tm.tm_mon, d = tm.tm_mday;
        time_t t = timegm(&tm);
        struct tm back;
        gmtime_r(&t, &back);
        /* timegm folds 2019-02-30 into March: a day that moved was not a day. */
        if (back.tm_year == y && back.tm_mon == mo && back.tm_mday == d) {
            if (upper)
                t += 24 * 3600;
            gmtime_r(&t, &back);
            strftime(out, size, "%Y-%m-%d", &back);
            return true;
        }
    }
    problem_reply(rp, 400,
                  "%s=%s is not a day (2019-02-14) or a period (2019-02, 2019-Q1, 2019, "
                  "FY2019-20)",
                  name, text);
    return false;
}

void api_get_usage(struct request *rq, struct reply *rp) {
    char from[32], to[32];
    bool has_from, has_to;
    if (!day_bound(rq, rp, "from", false, from, sizeof from, &has_from) ||
        !day_bound(rq, rp, "to", true, to, sizeof to, &has_to))
        return;
    if (!api_check_filters(rq, rp, FILTER_METRIC))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    usage_flush(db);
    const char *lo = has_from ? from : NULL, *hi = has_to ? to : NULL;
    const char *metric = req_query(rq, "metric");
    json_t *items, *sums = NULL;
    if (!db_oversight_usage_days(db, lo, hi, metric, &items)) {
        api_db_failed(rp, db, "usage");
        return;
    }
    /* The totals are the JSON answer's; a CSV is the days alone. */
    if (rq->csv)
        sums = json_array();
    else if (!db_oversight_usage_totals(db, lo, hi, metric, &sums)) {
        json_decref(items);
        api_db_failed(rp, db, "usage");
        return;
    }
    json_t *extra = json_pack("{s:o}", "totals", sums);
    render_collection_with(rq, rp, items, columns, extra);
    rp->no_etag = true;
}
