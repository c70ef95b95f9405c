/* Shared handler helpers. */
#include "api/api_util.h"

#include "store/db.h"
#include "domain/period.h"
#include "http/problem.h"

void api_db_failed(struct reply *rp, struct db_conn *db, const char *what) {
    if (!db || db_lost(db))
        problem_unavailable(rp);
    else
        problem_reply(rp, 500, "the server could not read the %s; the error is logged", what);
}

bool api_result_ok(struct reply *rp, struct db_conn *db, PGresult *r, const char *what) {
    if (db_ok(r))
        return true;
    db_log_failure(what, r);
    PQclear(r);
    api_db_failed(rp, db, what);
    return false;
}

bool api_period_param(struct request *rq, struct reply *rp, const char *name, struct period *out,
                      bool *present) {
    const char *text = req_query(rq, name);
    *present = text != NULL;
    if (!text)
        return true;
    if (period_parse(text, out))
        return true;
    problem_reply(rp, 400,
                  "%s=%s is not a period: use a month 2019-01, a quarter 2019-Q1, a year 2019 "
                  "or a financial year FY2019-20",
                  name, text);
    return false;
}
