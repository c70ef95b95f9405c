/* Targets: a value a metric should reach for an area over a window of periods, with an
 * optional baseline and milestones the trajectory passes through. Periods are of the
 * metric's own frequency and kept as start dates. */
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

struct target_input {
    const char *metric, *area, *basis, *source, *note;
    const char *start_text, *end_text;
    struct period start, end;
    char value[64], baseline[64], amber[64];
    json_t *milestones; /* [{"period": text, "start": struct period as date, "value"}] */
};

static json_t *target_json(PGresult *r, int i);
static json_t *period_text(const char *date, enum period_freq freq);
static void read_target(json_t *body, struct target_input *in, json_t *errors);
static json_t *read_milestones(json_t *body, json_t *errors);
static void check_against_metric(struct target_input *in, const char *frequency, const char *kind,
                                 json_t *errors);
static void read_period(json_t *body, const char *base, const char *name, const char **text,
                        struct period *out, json_t *errors);

static const char *const target_columns[] = {
    "id",       "metric",       "area",       "start",  "end",  "value",      "basis",
    "baseline", "amber_within", "milestones", "source", "note", "created_at", NULL};

#define TARGET_SELECT                                                                              \
    "SELECT t.id, t.metric, t.area, t.start_period, t.end_period, t.value, t.basis, "              \
    "t.baseline, t.amber_within, t.source, t.note, to_json(t.created_at) #>> '{}', "               \
    "m.frequency, coalesce((SELECT json_agg(json_build_object('start', k.period_start, "           \
    "'value', k.value::text) ORDER BY k.period_start) FROM target_milestones k "                   \
    "WHERE k.target_id = t.id), '[]') FROM targets t JOIN metrics m ON m.code = t.metric "

static json_t *period_text(const char *date, enum period_freq freq) {
    struct period p;
    char text[16];
    if (!period_from_date(date, freq, &p))
        return json_null();
    period_format(&p, text, sizeof text);
    return json_string(text);
}

static json_t *target_json(PGresult *r, int i) {
    enum period_freq freq = PERIOD_MONTHLY;
    period_freq_parse(PQgetvalue(r, i, 12), &freq);
    json_t *stored = json_loads(PQgetvalue(r, i, 13), 0, NULL), *k;
    json_t *milestones = json_array();
    size_t n;
    json_array_foreach(stored, n, k) json_array_append_new(
        milestones,
        json_pack("{s:o, s:o}", "period",
                  period_text(json_string_value(json_object_get(k, "start")), freq), "value",
                  render_numeric(json_string_value(json_object_get(k, "value")))));
    json_decref(stored);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     render_number(r, i, 0), "metric", render_text(r, i, 1), "area",
                     render_text(r, i, 2), "start", period_text(PQgetvalue(r, i, 3), freq), "end",
                     period_text(PQgetvalue(r, i, 4), freq), "value", render_number(r, i, 5),
                     "basis", render_text(r, i, 6), "baseline", render_number(r, i, 7),
                     "amber_within", render_number(r, i, 8), "milestones", milestones, "source",
                     render_text(r, i, 9), "note", render_text(r, i, 10), "created_at",
                     render_text(r, i, 11));
}

void api_list_targets(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {"admin_targets_list",
                                     TARGET_SELECT
                                     "WHERE ($1::text IS NULL OR t.metric = $1) "
                                     "AND ($2::text IS NULL OR t.area = $2) "
                                     "ORDER BY t.metric, t.area, t.start_period, t.end_period",
                                     2};
    if (!api_check_filters(rq, rp, FILTER_METRIC | FILTER_AREA))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    const char *params[] = {req_query(rq, "metric"), req_query(rq, "area")};
    PGresult *r = db_exec(db, &s, params);
    if (!api_result_ok(rp, db, r, "targets"))
        return;
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(items, target_json(r, i));
    PQclear(r);
    render_collection(rq, rp, items, target_columns, NULL);
}

static void read_period(json_t *body, const char *base, const char *name, const char **text,
                        struct period *out, json_t *errors) {
    *text = admin_string(body, base, name, true, errors);
    if (*text && !period_parse(*text, out)) {
        char pointer[64];
        snprintf(pointer, sizeof pointer, "%s/%s", base, name);
        admin_error(errors, pointer, "bad_period",
                    "%s \"%s\" is not a period: use a month 2019-01, a quarter 2019-Q1, a year "
                    "2019 or a financial year FY2019-20",
                    name, *text);
        *text = NULL;
    }
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
        read_period(m, base, "period", &text, &p, errors);
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
    read_period(body, "", "start", &in->start_text, &in->start, errors);
    read_period(body, "", "end", &in->end_text, &in->end, errors);
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
    static const struct db_stmt names = {"admin_target_names",
                                         "SELECT (SELECT frequency FROM metrics WHERE code = $1), "
                                         "(SELECT kind FROM metrics WHERE code = $1), "
                                         "EXISTS (SELECT 1 FROM areas WHERE code = $2)",
                                         2};
    static const struct db_stmt insert = {
        "admin_target_insert",
        "INSERT INTO targets (metric, area, start_period, end_period, value, basis, baseline, "
        "amber_within, source, note) VALUES ($1, $2, $3::date, $4::date, $5::numeric, $6, "
        "$7::numeric, $8::numeric, coalesce($9, ''), coalesce($10, '')) "
        "ON CONFLICT (metric, area, start_period, end_period) DO NOTHING RETURNING id",
        10};
    static const struct db_stmt existing = {
        "admin_target_existing",
        "SELECT id FROM targets WHERE metric = $1 AND area = $2 AND start_period = $3::date "
        "AND end_period = $4::date",
        4};
    static const struct db_stmt add_milestones = {
        "admin_target_milestones",
        "INSERT INTO target_milestones (target_id, period_start, value) "
        "SELECT $1::bigint, (k->>'start')::date, (k->>'value')::numeric "
        "FROM json_array_elements($2::json) k",
        2};
    static const struct db_stmt one = {"admin_target_get", TARGET_SELECT "WHERE t.id = $1", 1};
    struct target_input in = {0};
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    read_target(body, &in, errors);
    if (json_array_size(errors)) {
        admin_reply_invalid(rp, errors, "target");
        errors = NULL;
        goto done;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db || !admin_begin(db, rp))
        goto done;
    const char *np[] = {in.metric, in.area};
    PGresult *r = db_exec(db, &names, np);
    if (!admin_write_ok(rp, db, r, "target"))
        goto done;
    if (PQgetisnull(r, 0, 0))
        admin_error(errors, "/metric", "unknown_metric", "no metric %s; GET /v1/metrics lists them",
                    in.metric);
    else
        check_against_metric(&in, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), errors);
    if (PQgetvalue(r, 0, 2)[0] != 't')
        admin_error(errors, "/area", "unknown_area", "no area %s; GET /v1/areas lists them",
                    in.area);
    PQclear(r);
    if (json_array_size(errors)) {
        admin_rollback(db);
        admin_reply_invalid(rp, errors, "target");
        errors = NULL;
        goto done;
    }
    char start[16], end[16];
    period_start_date(&in.start, start, sizeof start);
    period_start_date(&in.end, end, sizeof end);
    const char *ip[] = {in.metric, in.area,     start,    end,       in.value,
                        in.basis,  in.baseline, in.amber, in.source, in.note};
    r = db_exec(db, &insert, ip);
    if (!admin_write_ok(rp, db, r, "target"))
        goto done;
    if (PQntuples(r) == 0) {
        PQclear(r);
        r = db_exec(db, &existing, ip);
        if (!admin_write_ok(rp, db, r, "target"))
            goto done;
        problem_reply(rp, 409,
                      "a target for %s in %s from %s to %s exists already (target %s); targets "
                      "are not replaced by a POST",
                      in.metric, in.area, in.start_text, in.end_text,
                      PQntuples(r) ? PQgetvalue(r, 0, 0) : "?");
        PQclear(r);
        admin_rollback(db);
        goto done;
    }
    char id[32];
    snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    if (json_array_size(in.milestones)) {
        char *text = json_dumps(in.milestones, JSON_COMPACT);
        const char *mp[] = {id, text};
        r = db_exec(db, &add_milestones, mp);
        free(text);
        if (!admin_write_ok(rp, db, r, "target"))
            goto done;
        PQclear(r);
    }
    const char *op[] = {id};
    r = db_exec(db, &one, op);
    if (!admin_write_ok(rp, db, r, "target"))
        goto done;
    json_t *j = target_json(r, 0);
    PQclear(r);
    if (admin_commit(db, rp))
        reply_json(rp, 201, j);
    else
        json_decref(j);
done:
    json_decref(in.milestones);
    json_decref(errors);
    json_decref(body);
}
