/* The catalogue an admin keeps: metrics and areas, each made or replaced whole by a
 * PUT of its code. A metric that already holds figures, targets or locks keeps its unit,
 * frequency and kind, and keeps every dimension its figures use, so no stored figure
 * is left meaning something else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "http/problem.h"
#include "api/render.h"
#include "api/admin_util.h"
#include "api/api.h"
#include "api/api_util.h"

struct metric_input {
    const char *code, *programme, *name, *description, *unit, *frequency, *kind, *polarity;
    const char *source, *numerator, *denominator;
    long long decimals, sort_order;
    bool active, headline, confidence;
    json_t *dimensions; /* distinct dimension codes */
};

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
static const char *const area_types[] = {
    "region",  "combined_authority",    "county",
    "unitary", "metropolitan_district", "non_metropolitan_district",
    NULL};
static const char *const roles[] = {"constituent", "non_constituent", "observer", "contains", NULL};

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
    const char *body_code = admin_string(body, "", "code", false, errors);
    if (body_code && strcmp(body_code, in->code) != 0)
        admin_error(errors, "/code", "mismatch",
                    "code \"%s\" in the body differs from %s in the path; leave it out or make "
                    "them the same",
                    body_code, in->code);
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
    static const struct db_stmt s = {
        "admin_metric_names",
        "SELECT EXISTS (SELECT 1 FROM programmes WHERE code = $1), "
        "($2::text IS NULL OR EXISTS (SELECT 1 FROM metrics WHERE code = $2)), "
        "($3::text IS NULL OR EXISTS (SELECT 1 FROM metrics WHERE code = $3)), "
        "coalesce((SELECT json_agg(t.n - 1 ORDER BY t.n) FROM json_array_elements_text($4::json) "
        "WITH ORDINALITY AS t(code, n) WHERE NOT EXISTS (SELECT 1 FROM dimensions d "
        "WHERE d.code = t.code)), '[]')",
        4};
    char *dims = json_dumps(in->dimensions, JSON_COMPACT);
    const char *params[] = {in->programme, in->numerator, in->denominator, dims};
    PGresult *r = db_exec(db, &s, params);
    free(dims);
    if (!admin_write_ok(rp, db, r, "metric"))
        return false;
    if (PQgetvalue(r, 0, 0)[0] != 't')
        admin_error(errors, "/programme", "unknown_programme",
                    "no programme %s; GET /v1/programmes lists them", in->programme);
    if (PQgetvalue(r, 0, 1)[0] != 't')
        admin_error(errors, "/numerator", "unknown_metric",
                    "no metric %s; GET /v1/metrics lists them", in->numerator);
    if (PQgetvalue(r, 0, 2)[0] != 't')
        admin_error(errors, "/denominator", "unknown_metric",
                    "no metric %s; GET /v1/metrics lists them", in->denominator);
    json_t *unknown = json_loads(PQgetvalue(r, 0, 3), 0, NULL), *v;
    size_t i;
    json_array_foreach(unknown, i, v) {
        size_t k = (size_t)json_integer_value(v);
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/dimensions/%zu", k);
        admin_error(errors, pointer, "unknown_dimension",
                    "no dimension %s; GET /v1/dimensions lists them",
                    json_string_value(json_array_get(in->dimensions, k)));
    }
    json_decref(unknown);
    PQclear(r);
    return true;
}

/* A replacement may not change what stored figures mean; sets *refused (rp filled
 * with a 409) when it would. False after filling rp when the database failed. */
static bool check_metric_change(struct reply *rp, struct db_conn *db, struct metric_input *in,
                                bool *refused) {
    static const struct db_stmt s = {
        "admin_metric_current",
        "SELECT m.unit, m.frequency, m.kind, "
        "EXISTS (SELECT 1 FROM observations o WHERE o.metric = m.code) "
        "OR EXISTS (SELECT 1 FROM targets t WHERE t.metric = m.code) "
        "OR EXISTS (SELECT 1 FROM period_locks l WHERE l.metric = m.code), "
        "coalesce((SELECT string_agg(DISTINCT k, ', ') FROM observations o, "
        "jsonb_object_keys(o.breakdown) k WHERE o.metric = m.code AND o.breakdown <> '{}' "
        "AND k NOT IN (SELECT json_array_elements_text($2::json))), '') "
        "FROM metrics m WHERE m.code = $1 FOR UPDATE",
        2};
    *refused = false;
    char *dims = json_dumps(in->dimensions, JSON_COMPACT);
    const char *params[] = {in->code, dims};
    PGresult *r = db_exec(db, &s, params);
    free(dims);
    if (!admin_write_ok(rp, db, r, "metric"))
        return false;
    if (PQntuples(r) == 1) {
        const char *now[] = {PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2)};
        const char *want[] = {in->unit, in->frequency, in->kind};
        const char *what[] = {"unit", "frequency", "kind"};
        bool in_use = PQgetvalue(r, 0, 3)[0] == 't';
        for (int i = 0; i < 3 && !*refused; i++)
            if (in_use && strcmp(now[i], want[i]) != 0) {
                problem_reply(rp, 409,
                              "%s holds figures, targets or locks, so its %s stays %s (not %s); "
                              "make a new metric for the new measure",
                              in->code, what[i], now[i], want[i]);
                *refused = true;
            }
        if (!*refused && PQgetvalue(r, 0, 4)[0]) {
            problem_reply(rp, 409, "%s has figures broken down by %s; keep those dimensions",
                          in->code, PQgetvalue(r, 0, 4));
            *refused = true;
        }
    }
    PQclear(r);
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
    static const struct db_stmt upsert = {
        "admin_metric_upsert",
        "INSERT INTO metrics (code, programme, name, description, unit, frequency, kind, "
        "polarity, decimals, source, active, headline, sort_order, numerator_metric, "
        "denominator_metric, has_confidence) VALUES ($1, $2, $3, coalesce($4, ''), $5, $6, $7, "
        "$8, $9::int, coalesce($10, ''), $11::boolean, $12::boolean, $13::int, $14, $15, "
        "$16::boolean) ON CONFLICT (code) DO UPDATE SET programme = EXCLUDED.programme, "
        "name = EXCLUDED.name, description = EXCLUDED.description, unit = EXCLUDED.unit, "
        "frequency = EXCLUDED.frequency, kind = EXCLUDED.kind, polarity = EXCLUDED.polarity, "
        "decimals = EXCLUDED.decimals, source = EXCLUDED.source, active = EXCLUDED.active, "
        "headline = EXCLUDED.headline, sort_order = EXCLUDED.sort_order, "
        "numerator_metric = EXCLUDED.numerator_metric, "
        "denominator_metric = EXCLUDED.denominator_metric, "
        "has_confidence = EXCLUDED.has_confidence RETURNING xmax = 0",
        16};
    static const struct db_stmt set_dims = {
        "admin_metric_dimensions",
        "WITH wanted AS (SELECT json_array_elements_text($2::json) AS d), "
        "gone AS (DELETE FROM metric_dimensions WHERE metric = $1 "
        "AND dimension NOT IN (SELECT d FROM wanted)) "
        "INSERT INTO metric_dimensions (metric, dimension) SELECT $1, d FROM wanted "
        "ON CONFLICT DO NOTHING",
        2};
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
    if (json_array_size(errors)) {
        admin_reply_invalid(rp, errors, "metric");
        errors = NULL;
        goto done;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db || !admin_begin(db, rp) || !check_metric_names(rp, db, &in, errors))
        goto done;
    if (json_array_size(errors)) {
        admin_rollback(db);
        admin_reply_invalid(rp, errors, "metric");
        errors = NULL;
        goto done;
    }
    bool refused;
    if (!check_metric_change(rp, db, &in, &refused) || refused)
        goto done;
    char decimals[24], sort_order[24];
    snprintf(decimals, sizeof decimals, "%lld", in.decimals);
    snprintf(sort_order, sizeof sort_order, "%lld", in.sort_order);
    const char *params[] = {in.code,
                            in.programme,
                            in.name,
                            in.description,
                            in.unit,
                            in.frequency,
                            in.kind,
                            in.polarity,
                            decimals,
                            in.source,
                            in.active ? "true" : "false",
                            in.headline ? "true" : "false",
                            sort_order,
                            in.numerator,
                            in.denominator,
                            in.confidence ? "true" : "false"};
    PGresult *r = db_exec(db, &upsert, params);
    if (!admin_write_ok(rp, db, r, "metric"))
        goto done;
    bool created = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    char *dims = json_dumps(in.dimensions, JSON_COMPACT);
    const char *dp[] = {in.code, dims};
    r = db_exec(db, &set_dims, dp);
    free(dims);
    if (!admin_write_ok(rp, db, r, "metric"))
        goto done;
    PQclear(r);
    if (admin_commit(db, rp))
        reply_json(rp, created ? 201 : 200, metric_answer(&in));
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

void api_put_area(struct request *rq, struct reply *rp) {
    static const struct db_stmt unknown_parents = {
        "admin_area_parents_known",
        "SELECT coalesce(json_agg(t.n - 1 ORDER BY t.n), '[]') FROM json_array_elements($1::json) "
        "WITH ORDINALITY AS t(p, n) WHERE NOT EXISTS (SELECT 1 FROM areas a "
        "WHERE a.code = t.p->>'code')",
        1};
    static const struct db_stmt upsert = {
        "admin_area_upsert",
        "INSERT INTO areas (code, name, type) VALUES ($1, $2, $3) ON CONFLICT (code) DO UPDATE "
        "SET name = EXCLUDED.name, type = EXCLUDED.type RETURNING xmax = 0",
        3};
    /* Two statements: an INSERT beside a DELETE in one statement would not see the
     * rows it replaces gone, and a kept membership would collide with itself. */
    static const struct db_stmt clear_parents = {
        "admin_area_memberships_clear", "DELETE FROM area_memberships WHERE child = $1", 1};
    static const struct db_stmt set_parents = {
        "admin_area_memberships",
        "INSERT INTO area_memberships (child, parent, role, valid_from, valid_to) "
        "SELECT $1, p->>'code', p->>'role', (p->>'from')::date, (p->>'to')::date "
        "FROM json_array_elements($2::json) p",
        2};
    /* Whether the area is now among its own ancestors. UNION (not ALL) ends the walk
     * even if a cycle had got in some other way. */
    static const struct db_stmt cycle = {
        "admin_area_cycle",
        "WITH RECURSIVE up(code) AS (SELECT parent FROM area_memberships WHERE child = $1 "
        "UNION SELECT m.parent FROM area_memberships m JOIN up ON m.child = up.code) "
        "SELECT EXISTS (SELECT 1 FROM up WHERE code = $1)",
        1};
    static const struct db_stmt one = {
        "admin_area_get",
        "SELECT a.code, a.name, a.type, coalesce((SELECT json_agg(json_build_object('code', "
        "m.parent, 'name', p.name, 'role', m.role, 'from', m.valid_from, 'to', m.valid_to) "
        "ORDER BY m.parent, m.valid_from) FROM area_memberships m JOIN areas p "
        "ON p.code = m.parent WHERE m.child = a.code), '[]') FROM areas a WHERE a.code = $1",
        1};
    static const char *const fields[] = {"code", "name", "type", "parents", NULL};
    const char *code = req_param(rq, 0);
    json_t *parents = NULL, *errors = NULL;
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    errors = json_array();
    if (!admin_area_code_ok(code))
        admin_error(errors, "code", "bad_format",
                    "the area code %s in the path is not an ONS code like E08000025", code);
    admin_only_members(body, "", fields, errors);
    const char *body_code = admin_string(body, "", "code", false, errors);
    if (body_code && strcmp(body_code, code) != 0)
        admin_error(errors, "/code", "mismatch",
                    "code \"%s\" in the body differs from %s in the path; leave it out or make "
                    "them the same",
                    body_code, code);
    const char *name = admin_text(body, "", "name", true, 200, errors);
    const char *type = admin_enum(body, "", "type", true, area_types, errors);
    parents = read_parents(body, code, errors);
    if (json_array_size(errors)) {
        admin_reply_invalid(rp, errors, "area");
        errors = NULL;
        goto done;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db || !admin_begin(db, rp))
        goto done;
    char *parent_text = json_dumps(parents, JSON_COMPACT);
    const char *pp[] = {parent_text};
    PGresult *r = db_exec(db, &unknown_parents, pp);
    if (!admin_write_ok(rp, db, r, "area")) {
        free(parent_text);
        goto done;
    }
    json_t *unknown = json_loads(PQgetvalue(r, 0, 0), 0, NULL), *v;
    PQclear(r);
    size_t i;
    json_array_foreach(unknown, i, v) {
        size_t k = (size_t)json_integer_value(v);
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/parents/%zu/code", k);
        admin_error(errors, pointer, "unknown_area", "no area %s; PUT it first",
                    json_string_value(json_object_get(json_array_get(parents, k), "code")));
    }
    json_decref(unknown);
    if (json_array_size(errors)) {
        free(parent_text);
        admin_rollback(db);
        admin_reply_invalid(rp, errors, "area");
        errors = NULL;
        goto done;
    }
    const char *up[] = {code, name, type};
    r = db_exec(db, &upsert, up);
    if (!admin_write_ok(rp, db, r, "area")) {
        free(parent_text);
        goto done;
    }
    bool created = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    const char *cp[] = {code};
    r = db_exec(db, &clear_parents, cp);
    if (!admin_write_ok(rp, db, r, "area")) {
        free(parent_text);
        goto done;
    }
    PQclear(r);
    const char *sp[] = {code, parent_text};
    r = db_exec(db, &set_parents, sp);
    free(parent_text);
    if (!admin_write_ok(rp, db, r, "area"))
        goto done;
    PQclear(r);
    r = db_exec(db, &cycle, cp);
    if (!admin_write_ok(rp, db, r, "area"))
        goto done;
    bool loops = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (loops) {
        admin_rollback(db);
        admin_error(errors, "/parents", "cycle",
                    "these parents would make %s a member of itself (through its parents' "
                    "parents)",
                    code);
        admin_reply_invalid(rp, errors, "area");
        errors = NULL;
        goto done;
    }
    r = db_exec(db, &one, cp);
    if (!admin_write_ok(rp, db, r, "area"))
        goto done;
    json_t *ps = json_loads(PQgetvalue(r, 0, 3), 0, NULL);
    json_t *j = json_pack("{s:o, s:o, s:o, s:o}", "code", render_text(r, 0, 0), "name",
                          render_text(r, 0, 1), "type", render_text(r, 0, 2), "parents",
                          ps ? ps : json_array());
    PQclear(r);
    if (admin_commit(db, rp))
        reply_json(rp, created ? 201 : 200, j);
    else
        json_decref(j);
done:
    json_decref(parents);
    json_decref(errors);
    json_decref(body);
}
