/* The catalogue an admin keeps: metrics and areas, each made or replaced whole by a
 * PUT of its code. A metric that already holds figures, targets or locks keeps its unit,
 * frequency and kind, and keeps every dimension its figures use, so no stored figure
 * is left meaning something else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_catalogue_write.h"
#include "http/problem.h"
#include "api/render.h"
#include "api/admin_util.h"
#include "api/api.h"
#include "domain/geo.h"
#include "api/api_util.h"

struct metric_input {
    const char *code, *programme, *name, *description, *unit, *frequency, *kind, *polarity;
    const char *source, *numerator, *denominator;
    long long decimals, sort_order;
    bool active, headline, confidence;
    json_t *dimensions; /* distinct dimension codes */
};

static void check_body_code(json_t *body, const char *path_code, json_t *errors);
static void read_metric(json_t *body, struct metric_input *in, json_t *errors);
static json_t *read_dimensions(json_t *body, json_t *errors);
static bool check_metric_names(struct reply *rp, struct db_conn *db, struct metric_input *in,
                               json_t *errors);
static bool check_metric_change(struct reply *rp, struct db_conn *db, struct metric_input *in,
                                bool *refused);
static json_t *metric_answer(const struct metric_input *in);
static json_t *read_parents(json_t *body, const char *code, json_t *errors);

static const char *const units[] = {"count", "percent", "gbp", "rate_per_1000", NULL};
static const char *const frequencies[] = {"monthly", "quarterly", "annual", NULL};
static const char *const kinds[] = {"flow", "stock", "rate", NULL};
static const char *const polarities[] = {"higher_is_better", "lower_is_better", NULL};
static const char *const roles[] = {"constituent", "non_constituent", "observer", "contains", NULL};

/* A PUT names its thing in the path; a code in the body may only repeat it. */
static void check_body_code(json_t *body, const char *path_code, json_t *errors) {
    const char *body_code = admin_string(body, "", "code", false, errors);
    if (body_code && strcmp(body_code, path_code) != 0)
        admin_error(errors, "/code", "mismatch",
                    "code \"%s\" in the body differs from %s in the path; leave it out or make "
                    "them the same",
                    body_code, path_code);
}

/* ---- metrics ---- */

static json_t *read_dimensions(json_t *body, json_t *errors) {
    json_t *list = admin_array(body, "", "dimensions", false, errors), *v;
    json_t *out = json_array();
    size_t i;
    json_array_foreach(list, i, v) {
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/dimensions/%zu", i);
        if (!json_is_string(v) || !admin_dimension_code_ok(json_string_value(v))) {
            admin_error(errors, pointer, "bad_format",
                        "dimensions[%zu] must be a dimension code like sex or age_band", i);
            continue;
        }
        bool seen = false;
        for (size_t k = 0; k < json_array_size(out) && !seen; k++)
            seen = json_equal(json_array_get(out, k), v);
        if (seen)
            admin_error(errors, pointer, "duplicate", "dimension %s is listed twice",
                        json_string_value(v));
        else
            json_array_append(out, v);
    }
    return out;
}

static void read_metric(json_t *body, struct metric_input *in, json_t *errors) {
    static const char *const fields[] = {
        "code",       "programme", "name",        "description",
        "unit",       "frequency", "kind",        "polarity",
        "decimals",   "source",    "active",      "headline",
        "sort_order", "numerator", "denominator", "confidence_limits",
        "dimensions", NULL};
    admin_only_members(body, "", fields, errors);
    check_body_code(body, in->code, errors);
    in->programme = admin_string(body, "", "programme", true, errors);
    if (in->programme) {
        size_t n = strlen(in->programme);
        if (!admin_programme_code_ok(in->programme))
            admin_error(errors, "/programme", "bad_format",
                        "programme \"%s\" is not a programme code like mhfa", in->programme);
        else if (admin_metric_code_ok(in->code) &&
                 (strncmp(in->code, in->programme, n) != 0 || in->code[n] != '.'))
            admin_error(errors, "/programme", "mismatch",
                        "a metric's code starts with its programme: %s is not in programme %s",
                        in->code, in->programme);
    }
    in->name = admin_text(body, "", "name", true, 200, errors);
    in->description = admin_string(body, "", "description", false, errors);
    if (in->description && strlen(in->description) > 4000)
        admin_error(errors, "/description", "too_long", "description is longer than 4000 bytes");
    in->unit = admin_enum(body, "", "unit", true, units, errors);
    in->frequency = admin_enum(body, "", "frequency", true, frequencies, errors);
    in->kind = admin_enum(body, "", "kind", true, kinds, errors);
    in->polarity = admin_enum(body, "", "polarity", false, polarities, errors);
    if (!in->polarity)
        in->polarity = "higher_is_better";
    in->decimals = admin_int(body, "", "decimals", 0, 0, 6, errors);
    in->source = admin_string(body, "", "source", false, errors);
    if (in->source && strlen(in->source) > 2000)
        admin_error(errors, "/source", "too_long", "source is longer than 2000 bytes");
    in->active = admin_bool(body, "", "active", true, errors);
    in->headline = admin_bool(body, "", "headline", false, errors);
    in->sort_order = admin_int(body, "", "sort_order", 0, -1000000, 1000000, errors);
    in->numerator = admin_string(body, "", "numerator", false, errors);
    in->denominator = admin_string(body, "", "denominator", false, errors);
    in->confidence = admin_bool(body, "", "confidence_limits", false, errors);
    in->dimensions = read_dimensions(body, errors);
    if (in->unit && in->kind) {
        if (strcmp(in->unit, "percent") == 0 && strcmp(in->kind, "rate") != 0)
            admin_error(errors, "/kind", "not_allowed", "a percent metric is a rate, not a %s",
                        in->kind);
        if (strcmp(in->unit, "count") == 0 && strcmp(in->kind, "rate") == 0)
            admin_error(errors, "/kind", "not_allowed",
                        "a count is a flow or a stock, never a rate");
    }
    const char *ratio[] = {in->numerator, in->denominator};
    const char *names[] = {"numerator", "denominator"};
    for (int i = 0; i < 2; i++) {
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/%s", names[i]);
        if (ratio[i] && !admin_metric_code_ok(ratio[i]))
            admin_error(errors, pointer, "bad_format", "%s \"%s\" is not a metric code", names[i],
                        ratio[i]);
        else if (ratio[i] && strcmp(ratio[i], in->code) == 0)
            admin_error(errors, pointer, "not_allowed", "a metric cannot be its own %s", names[i]);
    }
    if (!in->numerator != !in->denominator)
        admin_error(errors, in->numerator ? "/denominator" : "/numerator", "required",
                    "a ratio names both its numerator and its denominator, or neither");
    if (in->numerator && in->kind && strcmp(in->kind, "rate") != 0)
        admin_error(errors, "/numerator", "not_allowed",
                    "only a rate is the ratio of two metrics; %s is a %s", in->code, in->kind);
}

/* Unknown programme, ratio metrics or dimensions become errors; false after filling rp
 * when the database could not answer. */
static bool check_metric_names(struct reply *rp, struct db_conn *db, struct metric_input *in,
                               json_t *errors) {
    struct db_metric_names known;
    struct db_error e;
    if (!db_metric_names(db, in->programme, in->numerator, in->denominator, in->dimensions, &known,
                         &e)) {
        admin_write_failed(rp, db, &e, "metric");
        return false;
    }
    if (!known.programme_known)
        admin_error(errors, "/programme", "unknown_programme",
                    "no programme %s; GET /v1/programmes lists them", in->programme);
    if (!known.numerator_known)
        admin_error(errors, "/numerator", "unknown_metric",
                    "no metric %s; GET /v1/metrics lists them", in->numerator);
    if (!known.denominator_known)
        admin_error(errors, "/denominator", "unknown_metric",
                    "no metric %s; GET /v1/metrics lists them", in->denominator);
    json_t *v;
    size_t i;
    json_array_foreach(known.unknown_dimensions, i, v) {
        size_t k = (size_t)json_integer_value(v);
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/dimensions/%zu", k);
        admin_error(errors, pointer, "unknown_dimension",
                    "no dimension %s; GET /v1/dimensions lists them",
                    json_string_value(json_array_get(in->dimensions, k)));
    }
    json_decref(known.unknown_dimensions);
    return true;
}

/* A replacement may not change what stored figures mean; sets *refused (rp filled
 * with a 409) when it would. False after filling rp when the database failed. */
static bool check_metric_change(struct reply *rp, struct db_conn *db, struct metric_input *in,
                                bool *refused) {
    struct db_metric_current now;
    struct db_error e;
    *refused = false;
    if (!db_metric_current(db, in->code, in->dimensions, &now, &e)) {
        admin_write_failed(rp, db, &e, "metric");
        return false;
    }
    if (now.exists && now.in_use) {
        const char *have[] = {now.unit, now.frequency, now.kind};
        const char *want[] = {in->unit, in->frequency, in->kind};
        const char *what[] = {"unit", "frequency", "kind"};
        for (int i = 0; i < 3 && !*refused; i++)
            if (strcmp(have[i], want[i]) != 0) {
                problem_reply(rp, 409,
                              "%s holds figures, targets or locks, so its %s stays %s (not %s); "
                              "make a new metric for the new measure",
                              in->code, what[i], have[i], want[i]);
                *refused = true;
            }
    }
    if (now.exists && !*refused && now.dropped_figures[0]) {
        problem_reply(rp, 409, "%s has figures broken down by %s; keep those dimensions", in->code,
                      now.dropped_figures);
        *refused = true;
    }
    if (*refused)
        admin_rollback(db);
    return true;
}

static json_t *metric_answer(const struct metric_input *in) {
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:b, s:b, s:I, s:o, "
                     "s:o, s:b, s:O}",
                     "code", in->code, "programme", in->programme, "name", in->name, "description",
                     in->description ? in->description : "", "unit", in->unit, "frequency",
                     in->frequency, "kind", in->kind, "polarity", in->polarity, "decimals",
                     (json_int_t)in->decimals, "source", in->source ? in->source : "", "active",
                     in->active, "headline", in->headline, "sort_order", (json_int_t)in->sort_order,
                     "numerator", in->numerator ? json_string(in->numerator) : json_null(),
                     "denominator", in->denominator ? json_string(in->denominator) : json_null(),
                     "confidence_limits", in->confidence, "dimensions", in->dimensions);
}

void api_put_metric(struct request *rq, struct reply *rp) {
    struct metric_input in = {.code = req_param(rq, 0)};
    json_t *errors = NULL;
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    errors = json_array();
    if (!admin_metric_code_ok(in.code))
        admin_error(errors, "code", "bad_format",
                    "the metric code %s in the path is not like mhfa.people_trained (a programme, "
                    "a dot, then 2 to 63 of a-z, 0-9 and _)",
                    in.code);
    read_metric(body, &in, errors);
    if (!admin_valid(rp, NULL, errors, "metric"))
        goto done;
    struct db_conn *db = req_db(rq, rp);
    if (!db || !admin_begin(db, rp) || !check_metric_names(rp, db, &in, errors))
        goto done;
    if (!admin_valid(rp, db, errors, "metric"))
        goto done;
    bool refused;
    if (!check_metric_change(rp, db, &in, &refused) || refused)
        goto done;
    char decimals[24], sort_order[24];
    snprintf(decimals, sizeof decimals, "%lld", in.decimals);
    snprintf(sort_order, sizeof sort_order, "%lld", in.sort_order);
    struct db_metric_row row = {.code = in.code,
                                .programme = in.programme,
                                .name = in.name,
                                .description = in.description,
                                .unit = in.unit,
                                .frequency = in.frequency,
                                .kind = in.kind,
                                .polarity = in.polarity,
                                .decimals = decimals,
                                .source = in.source,
                                .active = in.active ? "true" : "false",
                                .headline = in.headline ? "true" : "false",
                                .sort_order = sort_order,
                                .numerator = in.numerator,
                                .denominator = in.denominator,
                                .confidence = in.confidence ? "true" : "false",
                                .dimensions = in.dimensions};
    bool created;
    struct db_error e;
    if (!db_metric_put(db, &row, &created, &e)) {
        admin_write_failed(rp, db, &e, "metric");
        goto done;
    }
    admin_reply_made(db, rp, created ? 201 : 200, metric_answer(&in));
done:
    json_decref(in.dimensions);
    json_decref(errors);
    json_decref(body);
}

/* ---- areas ---- */

/* Parents as [{"code", "role", "from", "to"}] with from defaulted, checked for shape,
 * order of dates and repeats; NULL when any is malformed. */
static json_t *read_parents(json_t *body, const char *code, json_t *errors) {
    static const char *const fields[] = {"code", "role", "from", "to", NULL};
    json_t *list = admin_array(body, "", "parents", false, errors), *p;
    json_t *out = json_array();
    size_t i, before = json_array_size(errors);
    json_array_foreach(list, i, p) {
        char base[40], pointer[64];
        snprintf(base, sizeof base, "/parents/%zu", i);
        if (!json_is_object(p)) {
            admin_error(errors, base, "wrong_type", "parents[%zu] must be {code, role, from, to}",
                        i);
            continue;
        }
        admin_only_members(p, base, fields, errors);
        const char *parent = admin_string(p, base, "code", true, errors);
        snprintf(pointer, sizeof pointer, "%s/code", base);
        if (parent && !admin_area_code_ok(parent)) {
            admin_error(errors, pointer, "bad_format",
                        "parents[%zu].code \"%s\" is not an ONS code like E47000007", i, parent);
            parent = NULL;
        } else if (parent && strcmp(parent, code) == 0) {
            admin_error(errors, pointer, "not_allowed", "an area cannot be its own parent");
            parent = NULL;
        }
        const char *role = admin_enum(p, base, "role", true, roles, errors);
        const char *from = admin_string(p, base, "from", false, errors);
        const char *to = admin_string(p, base, "to", false, errors);
        snprintf(pointer, sizeof pointer, "%s/from", base);
        if (from && !admin_date_ok(from)) {
            admin_error(errors, pointer, "bad_date", "from \"%s\" is not a date like 2017-05-08",
                        from);
            continue;
        }
        snprintf(pointer, sizeof pointer, "%s/to", base);
        if (to && !admin_date_ok(to)) {
            admin_error(errors, pointer, "bad_date", "to \"%s\" is not a date like 2017-05-08", to);
            continue;
        }
        if (!from)
            from = "1974-04-01"; /* the schema's default: local government's 1974 start */
        if (to && strcmp(to, from) <= 0) {
            admin_error(errors, pointer, "out_of_range", "to %s must come after from %s", to, from);
            continue;
        }
        if (!parent || !role)
            continue;
        json_t *m, *item = json_pack("{s:s, s:s, s:s, s:o}", "code", parent, "role", role, "from",
                                     from, "to", to ? json_string(to) : json_null());
        size_t k;
        bool repeat = false;
        json_array_foreach(out, k, m) repeat |=
            strcmp(json_string_value(json_object_get(m, "code")), parent) == 0 &&
            strcmp(json_string_value(json_object_get(m, "from")), from) == 0;
        if (repeat) {
            admin_error(errors, base, "duplicate", "%s from %s is listed twice", parent, from);
            json_decref(item);
            continue;
        }
        json_array_append_new(out, item);
    }
    if (json_array_size(errors) != before) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The body of a PUT: name, type and parents, each checked, errors added. */
struct area_input {
    const char *code, *name, *type;
    json_t *parents; /* as read_parents makes them; NULL when malformed */
};

static void read_area(json_t *body, struct area_input *in, json_t *errors) {
    static const char *const fields[] = {"code", "name", "type", "parents", NULL};
    if (!admin_area_code_ok(in->code))
        admin_error(errors, "code", "bad_format",
                    "the area code %s in the path is not an ONS code like E08000025", in->code);
    admin_only_members(body, "", fields, errors);
    check_body_code(body, in->code, errors);
    in->name = admin_text(body, "", "name", true, 200, errors);
    in->type = admin_enum(body, "", "type", true, geo_area_types, errors);
    in->parents = read_parents(body, in->code, errors);
}

/* Each parent must exist already; false after filling rp when the database failed. */
static bool check_area_parents(struct reply *rp, struct db_conn *db, struct area_input *in,
                               json_t *errors) {
    json_t *unknown, *v;
    struct db_error e;
    if (!db_area_unknown_parents(db, in->parents, &unknown, &e)) {
        admin_write_failed(rp, db, &e, "area");
        return false;
    }
    size_t i;
    json_array_foreach(unknown, i, v) {
        size_t k = (size_t)json_integer_value(v);
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/parents/%zu/code", k);
        admin_error(errors, pointer, "unknown_area", "no area %s; PUT it first",
                    json_string_value(json_object_get(json_array_get(in->parents, k), "code")));
    }
    json_decref(unknown);
    return true;
}

/* Writes the area and its memberships, refusing a cycle; answers 201 or 200 with the
 * area as stored, or fills rp with the problem. */
static void apply_area(struct reply *rp, struct db_conn *db, struct area_input *in,
                       json_t *errors) {
    bool created, loops;
    struct db_error e;
    if (!db_area_put(db, in->code, in->name, in->type, in->parents, &created, &loops, &e)) {
        admin_write_failed(rp, db, &e, "area");
        return;
    }
    if (loops) {
        admin_error(errors, "/parents", "cycle",
                    "these parents would make %s a member of itself (through its parents' "
                    "parents)",
                    in->code);
        admin_valid(rp, db, errors, "area");
        return;
    }
    json_t *stored;
    if (!db_area_get(db, in->code, &stored, &e)) {
        admin_write_failed(rp, db, &e, "area");
        return;
    }
    admin_reply_made(db, rp, created ? 201 : 200, stored);
}

void api_put_area(struct request *rq, struct reply *rp) {
    struct area_input in = {.code = req_param(rq, 0)};
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    read_area(body, &in, errors);
    if (!admin_valid(rp, NULL, errors, "area"))
        goto done;
    struct db_conn *db = req_db(rq, rp);
    if (!db || !admin_begin(db, rp) || !check_area_parents(rp, db, &in, errors))
        goto done;
    if (!admin_valid(rp, db, errors, "area"))
        goto done;
    apply_area(rp, db, &in, errors);
done:
    json_decref(in.parents);
    json_decref(errors);
    json_decref(body);
}
