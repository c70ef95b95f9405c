/* Shared handler helpers. */
#include "api/api_util.h"

#include "domain/period.h"
#include "http/problem.h"
#include "store/db.h"

void api_db_failed(struct reply *rp, struct db_conn *db, const char *what) {
    if (!db || db_lost(db))
        problem_unavailable(rp);
    else if (db_timed_out(db))
        problem_db_busy(rp);
    else if (db_short_of_memory(db))
        api_no_memory(rp);
    else
        problem_reply(rp, 500, "the server could not read the %s; the error is logged", what);
}

void api_no_memory(struct reply *rp) {
    problem_reply(rp, 503, "the server is short of memory; try again");
    reply_header(rp, "Retry-After", "5");
}

bool api_push_take(json_t *array, json_t *item) {
    return item && json_array_append_new(array, item) == 0;
}

bool api_set_take(json_t *obj, const char *key, json_t *value) {
    return value && json_object_set_new(obj, key, value) == 0;
}

void api_reply_json_take(struct reply *rp, int status, json_t *j) {
    if (j)
        reply_json(rp, status, j);
    else
        api_no_memory(rp);
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
