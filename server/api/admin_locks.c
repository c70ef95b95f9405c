/* Period locks: once a period is reported to the board an admin locks it, for a whole
 * programme or one metric, and writes into it are refused. A lock is kept as the start
 * date of its period: a metric lock names a period of the metric's own frequency, a
 * programme lock names a month, so the date always reads back as the period given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "domain/period.h"
#include "http/problem.h"
#include "api/render.h"
#include "api/admin_util.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"

static json_t *lock_json(PGresult *r, int i);

static const char *const lock_columns[] = {"id",         "programme",  "metric", "period",
                                           "created_at", "created_by", NULL};

#define LOCK_SELECT                                                                                \
    "SELECT l.id, l.programme, l.metric, l.period_start, coalesce(m.frequency, 'monthly'), "       \
    "to_json(l.created_at) #>> '{}', l.created_by FROM period_locks l "                            \
    "LEFT JOIN metrics m ON m.code = l.metric "

/* Columns as LOCK_SELECT has them; only the one of programme and metric that is set. */
static json_t *lock_json(PGresult *r, int i) {
    struct period p;
    enum period_freq freq = PERIOD_MONTHLY;
    char text[16] = "";
    period_freq_parse(PQgetvalue(r, i, 4), &freq);
    if (period_from_date(PQgetvalue(r, i, 3), freq, &p))
        period_format(&p, text, sizeof text);
    json_t *j = json_pack("{s:o, s:s, s:o, s:o}", "id", render_number(r, i, 0), "period", text,
                          "created_at", render_text(r, i, 5), "created_by", render_text(r, i, 6));
    if (!PQgetisnull(r, i, 1))
        json_object_set_new(j, "programme", render_text(r, i, 1));
    else
        json_object_set_new(j, "metric", render_text(r, i, 2));
    return j;
}

void api_list_locks(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {
        "admin_locks_list",
        LOCK_SELECT "WHERE ($1::text IS NULL OR l.programme = $1) "
                    "AND ($2::text IS NULL OR l.metric = $2) ORDER BY l.period_start DESC, l.id",
        2};
    if (!api_check_filters(rq, rp, FILTER_METRIC | FILTER_PROGRAMME))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    const char *params[] = {req_query(rq, "programme"), req_query(rq, "metric")};
    PGresult *r = db_exec(db, &s, params);
    if (!api_result_ok(rp, db, r, "locks"))
        return;
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(items, lock_json(r, i));
    PQclear(r);
    render_collection(rq, rp, items, lock_columns, NULL);
}

void api_post_lock(struct request *rq, struct reply *rp) {
    /* The frequency of the metric (or '' for a known programme); no row when neither. */
    static const struct db_stmt target = {"admin_lock_target",
                                          "SELECT frequency FROM metrics WHERE code = $2 "
                                          "UNION ALL SELECT '' FROM programmes WHERE code = $1",
                                          2};
    static const struct db_stmt insert = {
        "admin_lock_insert",
        "INSERT INTO period_locks (programme, metric, period_start, created_by) "
        "VALUES ($1, $2, $3::date, $4::uuid) ON CONFLICT DO NOTHING RETURNING id",
        4};
    static const struct db_stmt existing = {
        "admin_lock_existing",
        "SELECT id FROM period_locks WHERE coalesce(programme, '') = coalesce($1, '') "
        "AND coalesce(metric, '') = coalesce($2, '') AND period_start = $3::date",
        3};
    static const struct db_stmt one = {"admin_lock_get", LOCK_SELECT "WHERE l.id = $1", 1};
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
    const char *period_text = admin_string(body, "", "period", true, errors);
    struct period period;
    if (period_text && !period_parse(period_text, &period)) {
        admin_error(errors, "/period", "bad_period",
                    "period \"%s\" is not a period: use a month 2019-01, a quarter 2019-Q1, a "
                    "year 2019 or a financial year FY2019-20",
                    period_text);
        period_text = NULL;
    }
    if (json_array_size(errors)) {
        admin_reply_invalid(rp, errors, "lock");
        errors = NULL;
        goto done;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db || !admin_begin(db, rp))
        goto done;
    const char *tp[] = {programme, metric};
    PGresult *r = db_exec(db, &target, tp);
    if (!admin_write_ok(rp, db, r, "lock"))
        goto done;
    enum period_freq freq = PERIOD_MONTHLY;
    if (PQntuples(r) == 0)
        admin_error(errors, programme ? "/programme" : "/metric",
                    programme ? "unknown_programme" : "unknown_metric",
                    "no %s %s; GET %s lists them", programme ? "programme" : "metric",
                    programme ? programme : metric, programme ? "/v1/programmes" : "/v1/metrics");
    else if (metric)
        period_freq_parse(PQgetvalue(r, 0, 0), &freq);
    PQclear(r);
    if (!json_array_size(errors) && period.freq != freq) {
        const char *like = freq == PERIOD_MONTHLY     ? "2019-02"
                           : freq == PERIOD_QUARTERLY ? "2019-Q1"
                                                      : "2019 or FY2019-20";
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
    if (json_array_size(errors)) {
        admin_rollback(db);
        admin_reply_invalid(rp, errors, "lock");
        errors = NULL;
        goto done;
    }
    char start[16];
    period_start_date(&period, start, sizeof start);
    const char *ip[] = {programme, metric, start, rq->who.key_id};
    r = db_exec(db, &insert, ip);
    if (!admin_write_ok(rp, db, r, "lock"))
        goto done;
    if (PQntuples(r) == 0) {
        PQclear(r);
        r = db_exec(db, &existing, ip);
        if (!admin_write_ok(rp, db, r, "lock"))
            goto done;
        char text[16];
        period_format(&period, text, sizeof text);
        problem_reply(rp, 409, "%s %s is locked for %s already (lock %s)",
                      programme ? "programme" : "metric", programme ? programme : metric, text,
                      PQntuples(r) ? PQgetvalue(r, 0, 0) : "?");
        PQclear(r);
        admin_rollback(db);
        goto done;
    }
    const char *op[] = {PQgetvalue(r, 0, 0)};
    PGresult *made = db_exec(db, &one, op);
    PQclear(r);
    if (!admin_write_ok(rp, db, made, "lock"))
        goto done;
    json_t *j = lock_json(made, 0);
    PQclear(made);
    if (admin_commit(db, rp))
        reply_json(rp, 201, j);
    else
        json_decref(j);
done:
    json_decref(errors);
    json_decref(body);
}

void api_delete_lock(struct request *rq, struct reply *rp) {
    static const struct db_stmt del = {
        "admin_lock_delete", "DELETE FROM period_locks WHERE id = $1::bigint RETURNING id", 1};
    const char *id = req_param(rq, 0);
    if (!admin_id_ok(id)) {
        problem_reply(rp, 404,
                      "no lock %s: a lock id is a whole number; GET /v1/admin/locks "
                      "lists them",
                      id);
        return;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db || !admin_begin(db, rp))
        return;
    const char *params[] = {id};
    PGresult *r = db_exec(db, &del, params);
    if (!admin_write_ok(rp, db, r, "lock"))
        return;
    bool found = PQntuples(r) == 1;
    PQclear(r);
    if (!found) {
        admin_rollback(db);
        problem_reply(rp, 404, "no lock %s; GET /v1/admin/locks lists them", id);
        return;
    }
    if (admin_commit(db, rp)) {
        rp->status = 204;
        rp->no_etag = true;
    }
}
