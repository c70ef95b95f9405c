/* Period locks: once a period is reported to the board an admin locks it, for a whole
 * programme or one metric, and writes into it are refused. A lock is kept as the start
 * date of its period: a metric lock names a period of the metric's own frequency, a
 * programme lock names a month, so the date always reads back as the period given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_locks.h"
#include "domain/period.h"
#include "http/problem.h"
#include "api/render.h"
#include "api/admin_util.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"

static const char *const lock_columns[] = {"id",         "programme",  "metric", "period",
                                           "created_at", "created_by", NULL};

void api_list_locks(struct request *rq, struct reply *rp) {
    if (!api_check_filters(rq, rp, FILTER_METRIC | FILTER_PROGRAMME))
        return;
    struct db_conn *db = req_db(rq, rp);
    json_t *items = NULL;
    bool ok = db && db_locks_list(db, req_query(rq, "programme"), req_query(rq, "metric"), &items);
    api_reply_items(rq, rp, db, ok, items, lock_columns, "locks");
}

void api_post_lock(struct request *rq, struct reply *rp) {
    static const char *const fields[] = {"programme", "metric", "period", NULL};
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    admin_only_members(body, "", fields, errors);
    size_t before = json_array_size(errors);
    const char *programme = admin_string(body, "", "programme", false, errors);
    const char *metric = admin_string(body, "", "metric", false, errors);
    if (!programme == !metric && json_array_size(errors) == before)
        admin_error(errors, "", "programme_or_metric",
                    "name either a programme or a metric (one of them, not both)");
    struct period period;
    admin_period(body, "", "period", &period, errors);
    if (!admin_valid(rp, NULL, errors, "lock"))
        goto done;
    struct db_conn *db = admin_start(rq, rp);
    if (!db)
        goto done;
    struct db_error e;
    bool known;
    char frequency[16];
    if (!db_lock_frequency(db, programme, metric, &known, frequency, &e)) {
        admin_write_failed(rp, db, &e, "lock");
        goto done;
    }
    enum period_freq freq = PERIOD_MONTHLY;
    if (!known)
        admin_error(errors, programme ? "/programme" : "/metric",
                    programme ? "unknown_programme" : "unknown_metric",
                    "no %s %s; GET %s lists them", programme ? "programme" : "metric",
                    programme ? programme : metric, programme ? "/v1/programmes" : "/v1/metrics");
    else if (metric)
        period_freq_parse(frequency, &freq);
    if (!json_array_size(errors) && period.freq != freq) {
        const char *like = period_freq_example(freq);
        if (metric)
            admin_error(errors, "/period", "bad_period",
                        "%s is %s: lock one of its periods, like %s", metric,
                        period_freq_name(freq), like);
        else
            admin_error(errors, "/period", "bad_period",
                        "a programme lock names a month, like %s; lock a quarterly or annual "
                        "period per metric",
                        like);
    }
    if (!admin_valid(rp, db, errors, "lock"))
        goto done;
    char start[16];
    period_start_date(&period, start, sizeof start);
    char id[32], existing[32];
    if (!db_lock_insert(db, programme, metric, start, rq->who.key_id, id, existing, &e)) {
        admin_write_failed(rp, db, &e, "lock");
        goto done;
    }
    if (!id[0]) {
        char text[16];
        period_format(&period, text, sizeof text);
        admin_rollback(db);
        problem_reply(rp, 409, "%s %s is locked for %s already (lock %s)",
                      programme ? "programme" : "metric", programme ? programme : metric, text,
                      existing);
        goto done;
    }
    json_t *made;
    if (!db_lock_get(db, id, &made, &e)) {
        admin_write_failed(rp, db, &e, "lock");
        goto done;
    }
    admin_reply_made(db, rp, 201, made);
done:
    json_decref(errors);
    json_decref(body);
}

void api_delete_lock(struct request *rq, struct reply *rp) {
    static const struct admin_removal how = {.noun = "lock",
                                             .id_form = "a lock id is a whole number",
                                             .list_path = "/v1/admin/locks",
                                             .id_ok = admin_id_ok,
                                             .remove = db_lock_delete};
    admin_remove_by_id(rq, rp, &how);
}
