/* Return schedules and responsibility. An admin says which partner owes which figure
 * and when (POST /v1/admin/partners/{code}/returns {metric, areas, due_day}, listed and
 * deleted there), and hands a figure to another partner (POST /v1/admin/responsibility).
 * A partner asks what it owes (GET /v1/returns/due), as JSON or as a CSV template to fill
 * in. Completeness is read from schedules only (completeness.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/admin_util.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"
#include "api/render.h"
#include "api/steward.h"
#include "domain/csv.h"
#include "domain/due.h"
#include "domain/rfc3339.h"
#include "domain/strbuf.h"
#include "http/problem.h"

#define DUE_PAST_DEFAULT 3
#define DUE_COMING_DEFAULT 1

static bool small_int_param(struct request *rq, struct reply *rp, const char *name, int dflt,
                            int max, int *out);
static void array_put(struct strbuf *b, const char *s, bool first);
static void template_csv(struct request *rq, struct reply *rp, json_t *items, const char *partner,
                         const char *today);
static bool today_param(struct request *rq, struct reply *rp, struct tm *tm);

void api_post_schedules(struct request *rq, struct reply *rp) {
    static const char *const fields[] = {"metric", "areas", "due_day", NULL};
    const char *partner = req_param(rq, 0);
    if (!admin_partner_code_ok(partner)) {
        problem_reply(rp, 404, "no partner %.64s; GET /v1/admin/partners lists them", partner);
        return;
    }
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    admin_only_members(body, "", fields, errors);
    const char *metric = admin_string(body, "", "metric", true, errors);
    json_t *areas = admin_array(body, "", "areas", true, errors);
    long long due_day = admin_int(body, "", "due_day", 15, 1, 28, errors);
    if (metric && !admin_metric_code_ok(metric))
        admin_error(errors, "/metric", "bad_code", "metric \"%.72s\" is not a metric code", metric);
    size_t n = json_array_size(areas);
    if (areas && n == 0)
        admin_error(errors, "/areas", "required", "areas lists the areas the partner owes");
    const char **codes = calloc(n + 1, sizeof *codes);
    for (size_t i = 0; codes && i < n; i++) {
        json_t *a = json_array_get(areas, i);
        char ptr[32];
        snprintf(ptr, sizeof ptr, "/areas/%zu", i);
        if (!json_is_string(a) || !admin_area_code_ok(json_string_value(a)))
            admin_error(errors, ptr, "bad_code", "an area is an ONS code such as E08000025");
        else
            codes[i] = json_string_value(a);
    }
    if (json_array_size(errors) || !codes) {
        admin_reply_invalid(rp, errors, "schedule");
        free(codes);
        json_decref(body);
        return;
    }
    json_decref(errors);
    struct db_conn *db = req_db(rq, rp);
    if (db) {
        struct schedule_request req = {partner, metric, codes, (int)n, (int)due_day};
        json_t *made = NULL;
        char detail[STEWARD_DETAIL];
        enum steward_result res = db_schedules_add(db, &req, &made, detail);
        if (res == STEWARD_OK) {
            reply_json(rp, 201, made);
            rp->no_etag = true;
        } else {
            /* Only the partner in the path is "not found"; an unknown metric or area in
             * the body is the body's fault. */
            bool path = res == STEWARD_NOT_FOUND && strncmp(detail, "no partner", 10) == 0;
            steward_reply(rp, res == STEWARD_NOT_FOUND && !path ? STEWARD_INVALID : res, detail,
                          "schedule");
        }
    }
    free(codes);
    json_decref(body);
}

void api_list_schedules(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {"id",      "partner",   "metric",     "area",
                                          "due_day", "frequency", "created_at", NULL};
    const char *partner = req_param(rq, 0);
    if (!admin_partner_code_ok(partner)) {
        problem_reply(rp, 404, "no partner %.64s; GET /v1/admin/partners lists them", partner);
        return;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    json_t *items = NULL;
    if (!db_schedules_list(db, partner, &items)) {
        api_db_failed(rp, db, "schedules");
        return;
    }
    if (json_is_null(items)) {
        json_decref(items);
        problem_reply(rp, 404, "no partner %s; GET /v1/admin/partners lists them", partner);
        return;
    }
    const char *name[] = {"return-schedules", partner};
    render_csv_name(rq, rp, name, 2);
    render_collection(rq, rp, items, columns, NULL);
    rp->no_etag = true;
}

void api_delete_schedule(struct request *rq, struct reply *rp) {
    const char *partner = req_param(rq, 0), *id = req_param(rq, 1);
    if (!admin_id_ok(id)) {
        problem_reply(rp, 404, "no schedule %.40s: a schedule id is a whole number", id);
        return;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    int n = db_schedules_delete(db, partner, id);
    if (n < 0)
        api_db_failed(rp, db, "schedule");
    else if (n == 0)
        problem_reply(rp, 404, "partner %s has no schedule %s; GET %s/%s/returns lists them",
                      partner, id, "/v1/admin/partners", partner);
    else {
        rp->status = 204;
        rp->no_etag = true;
    }
}

void api_post_handover(struct request *rq, struct reply *rp) {
    static const char *const fields[] = {"metric", "area", "partner", "reason", NULL};
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    admin_only_members(body, "", fields, errors);
    const char *metric = admin_string(body, "", "metric", true, errors);
    const char *area = admin_string(body, "", "area", true, errors);
    const char *to = admin_string(body, "", "partner", true, errors);
    const char *reason = admin_text(body, "", "reason", true, 2000, errors);
    if (json_array_size(errors)) {
        admin_reply_invalid(rp, errors, "hand-over");
        json_decref(body);
        return;
    }
    json_decref(errors);
    struct db_conn *db = req_db(rq, rp);
    if (db) {
        json_t *made = NULL;
        char detail[STEWARD_DETAIL];
        enum steward_result res = db_responsibility_hand_over(
            db, metric, area, to, rq->who.key_id[0] ? rq->who.key_id : NULL, reason, &made, detail);
        if (res == STEWARD_OK) {
            reply_json(rp, 201, made);
            rp->no_etag = true;
        } else {
            steward_reply(rp, res == STEWARD_NOT_FOUND ? STEWARD_INVALID : res, detail,
                          "hand-over");
        }
    }
    json_decref(body);
}

void api_list_responsibility(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {"metric", "area", "partner", "basis", NULL};
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    json_t *items = NULL;
    if (!api_check_filters(rq, rp, FILTER_METRIC | FILTER_AREA))
        return;
    if (!db_responsibility_list(db, req_query(rq, "metric"), req_query(rq, "area"), &items)) {
        api_db_failed(rp, db, "responsibility");
        return;
    }
    const char *name[] = {"responsibility", req_query(rq, "metric"), req_query(rq, "area")};
    render_csv_name(rq, rp, name, 3);
    render_collection(rq, rp, items, columns, NULL);
    rp->no_etag = true;
}

static bool small_int_param(struct request *rq, struct reply *rp, const char *name, int dflt,
                            int max, int *out) {
    const char *v = req_query(rq, name);
    *out = dflt;
    if (!v)
        return true;
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < 0 || n > max) {
        problem_reply(rp, 400, "%s=%.20s: use a whole number from 0 to %d", name, v, max);
        return false;
    }
    *out = (int)n;
    return true;
}

/* The day to reckon from: today (UTC), or ?today=YYYY-MM-DD, so that a reminder can be
 * worked out ahead and an answer shown in the README holds on any day. */
static bool today_param(struct request *rq, struct reply *rp, struct tm *tm) {
    const char *v = req_query(rq, "today");
    struct timespec t = {.tv_sec = time(NULL), .tv_nsec = 0};
    if (v) {
        char full[32];
        if (strlen(v) != 10 || snprintf(full, sizeof full, "%sT00:00:00Z", v) >= (int)sizeof full ||
            !rfc3339_parse(full, &t)) {
            problem_reply(rp, 400, "today=%.20s is not a date: use YYYY-MM-DD, like 2026-12-01", v);
            return false;
        }
    }
    gmtime_r(&t.tv_sec, tm);
    return true;
}

static void array_put(struct strbuf *b, const char *s, bool first) {
    strbuf_puts(b, first ? "\"" : ",\"");
    strbuf_puts(b, s); /* codes and dates: no quote or backslash can occur */
    strbuf_putc(b, '"');
}

/* The submission CSV a partner fills in: a row for every figure it owes and has not
 * sent, metric, area and period filled, value, status and note to write. */
static void template_csv(struct request *rq, struct reply *rp, json_t *items, const char *partner,
                         const char *today) {
    struct strbuf b;
    strbuf_init(&b);
    strbuf_puts(&b, "metric,area,period,value,status,note\r\n");
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        if (!json_is_true(json_object_get(it, "open")) ||
            json_is_true(json_object_get(it, "received")))
            continue;
        csv_put_field(&b, json_string_value(json_object_get(it, "metric")), true);
        csv_put_field(&b, json_string_value(json_object_get(it, "area")), false);
        csv_put_field(&b, json_string_value(json_object_get(it, "period")), false);
        strbuf_puts(&b, ",,,\r\n");
    }
    size_t len = 0;
    char *text = strbuf_take(&b, &len);
    reply_body(rp, 200, "text/csv; charset=utf-8", text, len);
    const char *name[] = {"returns-due", partner, today};
    render_csv_name(rq, rp, name, 3);
    rp->no_etag = true;
}

void api_get_returns_due(struct request *rq, struct reply *rp) {
    bool is_admin = rq->who.scopes & SCOPE_ADMIN;
    const char *partner = rq->who.partner[0] ? rq->who.partner : NULL;
    const char *asked = req_query(rq, "partner");
    if (asked && !is_admin && (!partner || strcmp(asked, partner) != 0)) {
        problem_reply(rp, 403, "a partner key sees only what its own partner owes");
        return;
    }
    if (asked)
        partner = asked;
    if (!partner) {
        problem_reply(rp, is_admin ? 400 : 403,
                      is_admin ? "name the partner: ?partner=CODE"
                               : "this key belongs to no partner, so it owes no returns");
        return;
    }
    int past, coming;
    if (!small_int_param(rq, rp, "past", DUE_PAST_DEFAULT, 24, &past) ||
        !small_int_param(rq, rp, "coming", DUE_COMING_DEFAULT, 12, &coming))
        return;
    struct tm tm;
    if (!today_param(rq, rp, &tm))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    json_t *schedules = NULL;
    if (!db_schedules_of(db, partner, &schedules)) {
        api_db_failed(rp, db, "schedules");
        return;
    }
    if (json_is_null(schedules)) { /* an admin's ?partner= that names nobody */
        json_decref(schedules);
        problem_reply(rp, 404, "no partner %.64s; GET /v1/admin/partners lists them", partner);
        return;
    }
    json_t *items = json_array();
    struct strbuf m, a, s;
    strbuf_init(&m);
    strbuf_init(&a);
    strbuf_init(&s);
    strbuf_putc(&m, '{');
    strbuf_putc(&a, '{');
    strbuf_putc(&s, '{');
    size_t i;
    json_t *sc;
    int nopen = 0;
    json_array_foreach(schedules, i, sc) {
        enum period_freq f = PERIOD_MONTHLY;
        period_freq_parse(json_string_value(json_object_get(sc, "frequency")), &f);
        struct due_item due[DUE_MAX_ITEMS];
        int n = due_periods(f, (int)json_integer_value(json_object_get(sc, "due_day")),
                            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, past, coming, due,
                            DUE_MAX_ITEMS);
        for (int k = 0; k < n; k++) {
            char period[16], start[16], date[40];
            period_format(&due[k].period, period, sizeof period);
            period_start_date(&due[k].period, start, sizeof start);
            snprintf(date, sizeof date, "%04d-%02d-%02d", due[k].due_year, due[k].due_month,
                     due[k].due_day);
            json_array_append_new(
                items, json_pack("{s:O, s:O, s:s, s:s, s:s, s:b, s:b, s:b, s:n, s:b}", "metric",
                                 json_object_get(sc, "metric"), "area", json_object_get(sc, "area"),
                                 "period", period, "period_start", start, "due_date", date, "open",
                                 due[k].open, "past_due", due[k].past_due, "received", 0,
                                 "received_at", "late", due[k].past_due));
            if (due[k].open) {
                array_put(&m, json_string_value(json_object_get(sc, "metric")), nopen == 0);
                array_put(&a, json_string_value(json_object_get(sc, "area")), nopen == 0);
                array_put(&s, start, nopen == 0);
                nopen++;
            }
        }
    }
    strbuf_putc(&m, '}');
    strbuf_putc(&a, '}');
    strbuf_putc(&s, '}');
    json_t *got = NULL;
    bool ok = m.data && a.data && s.data &&
              db_returns_received(db, partner, m.data, a.data, s.data, &got);
    strbuf_free(&m);
    strbuf_free(&a);
    strbuf_free(&s);
    json_decref(schedules);
    if (!ok) {
        json_decref(items);
        api_db_failed(rp, db, "returns received");
        return;
    }
    /* Mark what arrived: late when it came after its due date (dates in UTC here). */
    size_t g;
    json_t *r;
    json_array_foreach(got, g, r) {
        json_array_foreach(items, i, sc) {
            if (!json_equal(json_object_get(sc, "metric"), json_object_get(r, "metric")) ||
                !json_equal(json_object_get(sc, "area"), json_object_get(r, "area")) ||
                !json_equal(json_object_get(sc, "period_start"),
                            json_object_get(r, "period_start")))
                continue;
            const char *at = json_string_value(json_object_get(r, "received_at"));
            const char *date = json_string_value(json_object_get(sc, "due_date"));
            json_object_set_new(sc, "received", json_true());
            json_object_set(sc, "received_at", json_object_get(r, "received_at"));
            json_object_set_new(sc, "late", json_boolean(at && date && strncmp(at, date, 10) > 0));
        }
    }
    json_decref(got);
    json_array_foreach(items, i, sc) json_object_del(sc, "period_start");
    char today[40];
    snprintf(today, sizeof today, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    if (rq->csv) {
        template_csv(rq, rp, items, partner, today);
        json_decref(items);
        return;
    }
    reply_json(rp, 200,
               json_pack("{s:s, s:s, s:o}", "partner", partner, "today", today, "items", items));
    rp->no_etag = true;
}
