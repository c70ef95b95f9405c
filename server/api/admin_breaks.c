/* POST /v1/admin/metrics/{code}/breaks: an admin marks a break in a metric's series (a
 * definition changed, a service was recommissioned), from which statistical process
 * control starts again. The break names a period of the metric's own frequency and why;
 * GET /v1/metrics/{code} lists them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/admin_util.h"
#include "api/api.h"
#include "api/api_util.h"
#include "domain/period.h"
#include "http/problem.h"
#include "store/db.h"
#include "store/db_breaks.h"

#define BREAK_REASON_MAX 2000

void api_post_break(struct request *rq, struct reply *rp) {
    static const char *const fields[] = {"period", "reason", NULL};
    const char *code = req_param(rq, 0);
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    admin_only_members(body, "", fields, errors);
    const char *period_text = admin_string(body, "", "period", true, errors);
    const char *reason = admin_text(body, "", "reason", true, BREAK_REASON_MAX, errors);
    struct period period;
    if (period_text && !period_parse(period_text, &period)) {
        admin_error(errors, "/period", "bad_period",
                    "period \"%s\" is not a period: use a month 2019-01, a quarter 2019-Q1, a "
                    "year 2019 or a financial year FY2019-20",
                    period_text);
        period_text = NULL;
    }
    if (reason && strspn(reason, " \t\r\n") == strlen(reason))
        admin_error(errors, "/reason", "blank", "say why the series breaks here, in words");
    if (json_array_size(errors)) {
        admin_reply_invalid(rp, errors, "break");
        errors = NULL;
        goto done;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        goto done;
    /* The metric's frequency decides which periods it has. */
    enum period_freq freq;
    bool known;
    if (!db_breaks_metric_frequency(db, code, &known, &freq)) {
        api_db_failed(rp, db, "metric");
        goto done;
    }
    if (!known) {
        problem_reply(rp, 404, "no metric %s; GET /v1/metrics lists them", code);
        goto done;
    }
    if (period.freq != freq) {
        const char *like = period_freq_example(freq);
        admin_error(errors, "/period", "bad_period",
                    "%s is %s: a break names one of its periods, like %s", code,
                    period_freq_name(freq), like);
        admin_reply_invalid(rp, errors, "break");
        errors = NULL;
        goto done;
    }
    char start[16], text[16], id[32], made[64];
    period_start_date(&period, start, sizeof start);
    period_format(&period, text, sizeof text);
    if (!admin_begin(db, rp))
        goto done;
    struct db_error e;
    if (!db_breaks_insert(db, code, start, reason, rq->who.key_id[0] ? rq->who.key_id : NULL, id,
                          sizeof id, made, sizeof made, &e)) {
        if (strcmp(e.sqlstate, "23505") == 0) {
            admin_rollback(db);
            problem_reply(rp, 409, "%s has a break at %s already; GET /v1/metrics/%s lists them",
                          code, text, code);
        } else if (strcmp(e.sqlstate, "23503") == 0) {
            admin_rollback(db);
            problem_reply(rp, 404, "no metric %s; GET /v1/metrics lists them", code);
        } else {
            admin_write_failed(rp, db, &e, "break");
        }
        goto done;
    }
    json_t *j =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)strtoll(id, NULL, 10),
                  "metric", code, "period", text, "reason", reason, "created_at", made,
                  "created_by", rq->who.key_id[0] ? json_string(rq->who.key_id) : json_null());
    if (admin_commit(db, rp))
        reply_json(rp, 201, j);
    else
        json_decref(j);
done:
    json_decref(errors);
    json_decref(body);
}
