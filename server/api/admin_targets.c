/* Targets: a value a metric should reach for an area over a window of periods, with an
 * optional baseline and milestones the trajectory passes through. Periods are of the
 * metric's own frequency and kept as start dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_targets.h"
#include "domain/period.h"
#include "http/problem.h"
#include "api/render.h"
#include "api/admin_util.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"

struct target_input {
    const char *metric, *area, *basis, *source, *note;
    const char *start_text, *end_text;
    struct period start, end;
    char value[64], baseline[64], amber[64];
    json_t *milestones; /* [{"period": text, "start": struct period as date, "value"}] */
};

static void read_target(json_t *body, struct target_input *in, json_t *errors);
static json_t *read_milestones(json_t *body, json_t *errors);
static void check_against_metric(struct target_input *in, const char *frequency, const char *kind,
                                 json_t *errors);

static const char *const target_columns[] = {
    "id",       "metric",       "area",       "start",  "end",  "value",      "basis",
    "baseline", "amber_within", "milestones", "source", "note", "created_at", NULL};

void api_list_targets(struct request *rq, struct reply *rp) {
    if (!api_check_filters(rq, rp, FILTER_METRIC | FILTER_AREA))
        return;
    struct db_conn *db = req_db(rq, rp);
    json_t *items = NULL;
    bool ok = db && db_targets_list(db, req_query(rq, "metric"), req_query(rq, "area"), &items);
    api_reply_items(rq, rp, db, ok, items, target_columns, "targets");
}

/* Milestones as [{"period": "2019-06", "start": "2019-06-01", "value": "250", "freq": n}];
 * NULL with errors added when any is malformed. */
static json_t *read_milestones(json_t *body, json_t *errors) {
    static const char *const fields[] = {"period", "value", NULL};
    json_t *list = admin_array(body, "", "milestones", false, errors), *m;
    if (!list)
        return json_array();
    json_t *out = json_array();
    size_t i;
    size_t before = json_array_size(errors);
    json_array_foreach(list, i, m) {
        char base[40];
        snprintf(base, sizeof base, "/milestones/%zu", i);
        if (!json_is_object(m)) {
            admin_error(errors, base, "wrong_type", "milestones[%zu] must be {period, value}", i);
            continue;
        }
        admin_only_members(m, base, fields, errors);
        const char *text;
        struct period p;
        char value[64], start[16];
        text = admin_period(m, base, "period", &p, errors);
        bool has_value = admin_number(m, base, "value", true, NULL, value, sizeof value, errors);
        if (!text || !has_value)
            continue;
        period_start_date(&p, start, sizeof start);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:i, s:i}", "period", text, "start",
                                             start, "value", value, "freq", (int)p.freq, "index",
                                             period_month_index(&p)));
    }
    if (json_array_size(errors) != before) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static void read_target(json_t *body, struct target_input *in, json_t *errors) {
    static const char *const fields[] = {"metric",     "area",   "start",    "end",
                                         "value",      "basis",  "baseline", "amber_within",
                                         "milestones", "source", "note",     NULL};
    static const char *const bases[] = {"cumulative", "level", NULL};
    admin_only_members(body, "", fields, errors);
    in->metric = admin_string(body, "", "metric", true, errors);
    if (in->metric && !admin_metric_code_ok(in->metric))
        admin_error(errors, "/metric", "bad_format",
                    "metric \"%s\" is not a metric code like mhfa.people_trained", in->metric);
    in->area = admin_string(body, "", "area", true, errors);
    if (in->area && !admin_area_code_ok(in->area))
        admin_error(errors, "/area", "bad_format", "area \"%s\" is not an ONS code like E08000025",
                    in->area);
    in->start_text = admin_period(body, "", "start", &in->start, errors);
    in->end_text = admin_period(body, "", "end", &in->end, errors);
    admin_number(body, "", "value", true, NULL, in->value, sizeof in->value, errors);
    in->basis = admin_enum(body, "", "basis", true, bases, errors);
    admin_number(body, "", "baseline", false, "0", in->baseline, sizeof in->baseline, errors);
    if (admin_number(body, "", "amber_within", false, "0.1", in->amber, sizeof in->amber, errors)) {
        double a = json_number_value(json_object_get(body, "amber_within"));
        if (!(a >= 0 && a < 1))
            admin_error(errors, "/amber_within", "out_of_range",
                        "amber_within is a fraction of the trajectory (0.1 is 10%%): at least "
                        "0 and below 1");
    }
    in->milestones = read_milestones(body, errors);
    in->source = admin_string(body, "", "source", false, errors);
    in->note = admin_string(body, "", "note", false, errors);
    if (in->source && strlen(in->source) > 2000)
        admin_error(errors, "/source", "too_long", "source is longer than 2000 bytes");
    if (in->note && strlen(in->note) > 2000)
        admin_error(errors, "/note", "too_long", "note is longer than 2000 bytes");
}

/* Checks that need the metric: periods of its frequency in order, milestones inside
 * the window, and a cumulative basis only for a flow (a sum of levels means nothing). */
static void check_against_metric(struct target_input *in, const char *frequency, const char *kind,
                                 json_t *errors) {
    enum period_freq freq = PERIOD_MONTHLY;
    period_freq_parse(frequency, &freq);
    bool periods_ok = true;
    if (in->start.freq != freq) {
        admin_error(errors, "/start", "bad_period", "%s is %s: start \"%s\" is not a %s period",
                    in->metric, frequency, in->start_text, frequency);
        periods_ok = false;
    }
    if (in->end.freq != freq) {
        admin_error(errors, "/end", "bad_period", "%s is %s: end \"%s\" is not a %s period",
                    in->metric, frequency, in->end_text, frequency);
        periods_ok = false;
    }
    int from = period_month_index(&in->start), to = period_month_index(&in->end);
    if (periods_ok && to < from) {
        admin_error(errors, "/end", "out_of_range", "end %s comes before start %s", in->end_text,
                    in->start_text);
        periods_ok = false;
    }
    if (in->basis && strcmp(in->basis, "cumulative") == 0 && strcmp(kind, "flow") != 0)
        admin_error(errors, "/basis", "not_allowed",
                    "a cumulative target sums a flow over the window; %s is a %s: use basis "
                    "level",
                    in->metric, kind);
    json_t *m;
    size_t i;
    json_array_foreach(in->milestones, i, m) {
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/milestones/%zu/period", i);
        const char *text = json_string_value(json_object_get(m, "period"));
        int at = (int)json_integer_value(json_object_get(m, "index"));
        if (json_integer_value(json_object_get(m, "freq")) != (json_int_t)freq) {
            admin_error(errors, pointer, "bad_period",
                        "%s is %s: milestone \"%s\" is not a %s "
                        "period",
                        in->metric, frequency, text, frequency);
            continue;
        }
        if (periods_ok && (at < from || at > to))
            admin_error(errors, pointer, "out_of_range", "milestone %s is outside %s..%s", text,
                        in->start_text, in->end_text);
        for (size_t k = 0; k < i; k++)
            if (json_integer_value(json_object_get(json_array_get(in->milestones, k), "index")) ==
                at) {
                admin_error(errors, pointer, "duplicate", "milestone %s is given twice", text);
                break;
            }
    }
}

void api_post_target(struct request *rq, struct reply *rp) {
    struct target_input in = {0};
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    read_target(body, &in, errors);
    if (!admin_valid(rp, NULL, errors, "target"))
        goto done;
    struct db_conn *db = admin_start(rq, rp);
    if (!db)
        goto done;
    struct db_error e;
    struct db_target_names names;
    if (!db_target_names(db, in.metric, in.area, &names, &e)) {
        admin_write_failed(rp, db, &e, "target");
        goto done;
    }
    if (!names.metric_known)
        admin_error(errors, "/metric", "unknown_metric", "no metric %s; GET /v1/metrics lists them",
                    in.metric);
    else
        check_against_metric(&in, names.frequency, names.kind, errors);
    if (!names.area_known)
        admin_error(errors, "/area", "unknown_area", "no area %s; GET /v1/areas lists them",
                    in.area);
    if (!admin_valid(rp, db, errors, "target"))
        goto done;
    char start[16], end[16], id[32], existing[32];
    period_start_date(&in.start, start, sizeof start);
    period_start_date(&in.end, end, sizeof end);
    struct db_target_new t = {.metric = in.metric,
                              .area = in.area,
                              .start = start,
                              .end = end,
                              .value = in.value,
                              .basis = in.basis,
                              .baseline = in.baseline,
                              .amber = in.amber,
                              .source = in.source,
                              .note = in.note,
                              .milestones = in.milestones};
    if (!db_target_insert(db, &t, id, existing, &e)) {
        admin_write_failed(rp, db, &e, "target");
        goto done;
    }
    if (!id[0]) {
        admin_rollback(db);
        problem_reply(rp, 409,
                      "a target for %s in %s from %s to %s exists already (target %s); targets "
                      "are not replaced by a POST",
                      in.metric, in.area, in.start_text, in.end_text, existing);
        goto done;
    }
    json_t *made;
    if (!db_target_get(db, id, &made, &e)) {
        admin_write_failed(rp, db, &e, "target");
        goto done;
    }
    admin_reply_made(db, rp, 201, made);
done:
    json_decref(in.milestones);
    json_decref(errors);
    json_decref(body);
}
