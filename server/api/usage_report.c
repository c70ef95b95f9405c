/* GET /v1/admin/usage?from=&to=&metric=: reads per metric per day, and totals per
 * metric over the range, so the board can see which metrics are used. Reads are
 * counted in memory on the read path (usage.c) and flushed here first, so the answer
 * includes the reads up to this moment. from/to take a day (2019-02-14) or a period
 * (2019-02, 2019-Q1, 2019, FY2019-20), both inclusive. JSON or CSV; admin only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "domain/period.h"
#include "http/problem.h"
#include "api/render.h"
#include "usage.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"

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
    static const struct db_stmt days = {
        "usage_days",
        "SELECT metric, day::text, reads FROM metric_reads "
        "WHERE ($1::date IS NULL OR day >= $1::date) AND ($2::date IS NULL OR day < $2::date) "
        "AND ($3::text IS NULL OR metric = $3) ORDER BY day, metric",
        3};
    static const struct db_stmt totals = {
        "usage_totals",
        "SELECT metric, sum(reads)::bigint FROM metric_reads "
        "WHERE ($1::date IS NULL OR day >= $1::date) AND ($2::date IS NULL OR day < $2::date) "
        "AND ($3::text IS NULL OR metric = $3) GROUP BY metric ORDER BY 2 DESC, metric",
        3};
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
    const char *params[] = {has_from ? from : NULL, has_to ? to : NULL, req_query(rq, "metric")};
    PGresult *r = db_exec(db, &days, params);
    if (!api_result_ok(rp, db, r, "usage"))
        return;
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(items,
                              json_pack("{s:o, s:o, s:o}", "metric", render_text(r, i, 0), "day",
                                        render_text(r, i, 1), "reads", render_number(r, i, 2)));
    PQclear(r);
    json_t *sums = json_array();
    if (!rq->csv) {
        r = db_exec(db, &totals, params);
        if (!api_result_ok(rp, db, r, "usage")) {
            json_decref(items);
            json_decref(sums);
            return;
        }
        for (int i = 0; i < PQntuples(r); i++)
            json_array_append_new(sums, json_pack("{s:o, s:o}", "metric", render_text(r, i, 0),
                                                  "reads", render_number(r, i, 1)));
        PQclear(r);
    }
    render_collection(rq, rp, items, columns, json_pack("{s:o}", "totals", sums));
    rp->no_etag = true;
}
