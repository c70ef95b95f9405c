/* Partners (the organisations that submit figures) and their grants: which metrics,
 * directly or through a programme, a partner may write for which areas. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "http/problem.h"
#include "api/render.h"
#include "api/admin_util.h"
#include "api/api.h"
#include "api/api_util.h"

static json_t *grant_areas(json_t *body, json_t *errors);
static json_t *distinct_areas(json_t *areas);
static bool check_grant_names(struct reply *rp, struct db_conn *db, const char *programme,
                              const char *metric, json_t *areas, json_t *errors);

static const char *const partner_columns[] = {"code",       "name",   "synthetic",
                                              "created_at", "grants", NULL};

void api_list_partners(struct request *rq, struct reply *rp) {
    /* Grants come grouped as they are made: one entry per programme or metric, with
     * its areas. */
    static const struct db_stmt s = {
        "admin_partners_list",
        "SELECT p.code, p.name, p.synthetic, to_json(p.created_at) #>> '{}', "
        "coalesce((SELECT json_agg(g.item ORDER BY g.programme NULLS LAST, g.metric) FROM "
        "(SELECT programme, metric, json_strip_nulls(json_build_object('programme', programme, "
        "'metric', metric, 'areas', json_agg(area ORDER BY area))) AS item "
        "FROM partner_grants WHERE partner = p.code GROUP BY programme, metric) g), '[]') "
        "FROM partners p ORDER BY p.code",
        0};
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    PGresult *r = db_exec(db, &s, NULL);
    if (!api_result_ok(rp, db, r, "partners"))
        return;
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *grants = json_loads(PQgetvalue(r, i, 4), 0, NULL);
        json_array_append_new(items, json_pack("{s:o, s:o, s:b, s:o, s:o}", "code",
                                               render_text(r, i, 0), "name", render_text(r, i, 1),
                                               "synthetic", PQgetvalue(r, i, 2)[0] == 't',
                                               "created_at", render_text(r, i, 3), "grants",
                                               grants ? grants : json_array()));
    }
    PQclear(r);
    render_collection(rq, rp, items, partner_columns, NULL);
}

void api_post_partner(struct request *rq, struct reply *rp) {
    static const struct db_stmt insert = {
        "admin_partner_insert",
        "INSERT INTO partners (code, name, synthetic) VALUES ($1, $2, $3) "
        "ON CONFLICT (code) DO NOTHING RETURNING to_json(created_at) #>> '{}'",
        3};
    static const char *const fields[] = {"code", "name", "synthetic", NULL};
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    admin_only_members(body, "", fields, errors);
    const char *code = admin_string(body, "", "code", true, errors);
    if (code && !admin_partner_code_ok(code))
        admin_error(errors, "/code", "bad_format",
                    "code \"%s\" must be 2 to 64 characters of a-z, 0-9 and '-', starting with "
                    "a letter or digit",
                    code);
    const char *name = admin_text(body, "", "name", true, 200, errors);
    bool synthetic = admin_bool(body, "", "synthetic", false, errors);
    if (json_array_size(errors)) {
        admin_reply_invalid(rp, errors, "partner");
        errors = NULL;
        goto done;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db || !admin_begin(db, rp))
        goto done;
    const char *params[] = {code, name, synthetic ? "true" : "false"};
    PGresult *r = db_exec(db, &insert, params);
    if (!admin_write_ok(rp, db, r, "partner"))
        goto done;
    if (PQntuples(r) == 0) {
        PQclear(r);
        admin_rollback(db);
        problem_reply(rp, 409, "partner %s exists already; GET /v1/admin/partners lists them",
                      code);
        goto done;
    }
    json_t *made = json_pack("{s:s, s:s, s:b, s:o}", "code", code, "name", name, "synthetic",
                             synthetic, "created_at", render_text(r, 0, 0));
    PQclear(r);
    if (admin_commit(db, rp))
        reply_json(rp, 201, made);
    else
        json_decref(made);
done:
    json_decref(errors);
    json_decref(body);
}

/* The areas of a grant as given, a malformed entry (reported here) left as null so
 * that indexes still match the body; NULL when the list itself is missing or bad. */
static json_t *grant_areas(json_t *body, json_t *errors) {
    json_t *list = admin_array(body, "", "areas", true, errors);
    if (!list)
        return NULL;
    if (json_array_size(list) == 0) {
        admin_error(errors, "/areas", "empty", "areas must name at least one area");
        return NULL;
    }
    json_t *areas = json_array(), *v;
    size_t i;
    json_array_foreach(list, i, v) {
        if (json_is_string(v) && admin_area_code_ok(json_string_value(v))) {
            json_array_append(areas, v);
            continue;
        }
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/areas/%zu", i);
        admin_error(errors, pointer, "bad_format",
                    "areas[%zu] must be an ONS area code like E08000025", i);
        json_array_append_new(areas, json_null());
    }
    return areas;
}

/* The well-formed areas, each once, in the order given. */
static json_t *distinct_areas(json_t *areas) {
    json_t *out = json_array(), *v;
    size_t i;
    json_array_foreach(areas, i, v) {
        bool seen = json_is_null(v);
        for (size_t k = 0; k < json_array_size(out) && !seen; k++)
            seen = json_equal(json_array_get(out, k), v);
        if (!seen)
            json_array_append(out, v);
    }
    return out;
}

/* Adds an error for an unknown programme, metric or (well-formed) area; false after
 * filling rp when the database could not answer. */
static bool check_grant_names(struct reply *rp, struct db_conn *db, const char *programme,
                              const char *metric, json_t *areas, json_t *errors) {
    static const struct db_stmt known = {
        "admin_grant_known",
        "SELECT ($1::text IS NULL OR EXISTS (SELECT 1 FROM programmes WHERE code = $1)), "
        "($2::text IS NULL OR EXISTS (SELECT 1 FROM metrics WHERE code = $2)), "
        "coalesce((SELECT json_agg(t.n - 1 ORDER BY t.n) FROM json_array_elements_text($3::json) "
        "WITH ORDINALITY AS t(code, n) WHERE NOT EXISTS (SELECT 1 FROM areas a "
        "WHERE a.code = t.code)), '[]')",
        3};
    char *area_text = areas ? json_dumps(areas, JSON_COMPACT) : strdup("[]");
    const char *params[] = {programme, metric, area_text};
    PGresult *r = db_exec(db, &known, params);
    free(area_text);
    if (!admin_write_ok(rp, db, r, "grant"))
        return false;
    if (PQgetvalue(r, 0, 0)[0] != 't')
        admin_error(errors, "/programme", "unknown_programme",
                    "no programme %s; GET /v1/programmes lists them", programme);
    if (PQgetvalue(r, 0, 1)[0] != 't')
        admin_error(errors, "/metric", "unknown_metric", "no metric %s; GET /v1/metrics lists them",
                    metric);
    json_t *unknown = json_loads(PQgetvalue(r, 0, 2), 0, NULL), *v;
    size_t i;
    json_array_foreach(unknown, i, v) {
        size_t k = (size_t)json_integer_value(v);
        if (json_is_null(json_array_get(areas, k)))
            continue;
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/areas/%zu", k);
        admin_error(errors, pointer, "unknown_area", "no area %s; GET /v1/areas lists them",
                    json_string_value(json_array_get(areas, k)));
    }
    json_decref(unknown);
    PQclear(r);
    return true;
}

void api_post_grants(struct request *rq, struct reply *rp) {
    static const struct db_stmt partner = {"admin_grant_partner",
                                           "SELECT 1 FROM partners WHERE code = $1 FOR SHARE", 1};
    /* The unique index makes a repeated grant a no-op, so a grant is idempotent. */
    static const struct db_stmt insert = {
        "admin_grant_insert",
        "INSERT INTO partner_grants (partner, programme, metric, area) "
        "SELECT $1, $2, $3, a FROM json_array_elements_text($4::json) a ON CONFLICT DO NOTHING",
        4};
    static const char *const fields[] = {"programme", "metric", "areas", NULL};
    const char *code = req_param(rq, 0);
    json_t *areas = NULL, *errors = NULL;
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    errors = json_array();
    admin_only_members(body, "", fields, errors);
    size_t before = json_array_size(errors);
    const char *programme = admin_string(body, "", "programme", false, errors);
    const char *metric = admin_string(body, "", "metric", false, errors);
    if (!programme == !metric && json_array_size(errors) == before)
        admin_error(errors, "", "programme_or_metric",
                    "name either a programme or a metric (one of them, not both)");
    areas = grant_areas(body, errors);
    struct db_conn *db = req_db(rq, rp);
    if (!db || !admin_begin(db, rp))
        goto done;
    const char *pp[] = {code};
    PGresult *r = db_exec(db, &partner, pp);
    if (!admin_write_ok(rp, db, r, "grant"))
        goto done;
    bool found = PQntuples(r) == 1;
    PQclear(r);
    if (!found) {
        admin_rollback(db);
        problem_reply(rp, 404, "no partner %s; POST /v1/admin/partners makes one", code);
        goto done;
    }
    if (!check_grant_names(rp, db, programme, metric, areas, errors))
        goto done;
    if (json_array_size(errors)) {
        admin_rollback(db);
        admin_reply_invalid(rp, errors, "grant");
        errors = NULL;
        goto done;
    }
    json_t *granted = distinct_areas(areas);
    json_decref(areas);
    areas = granted;
    char *area_text = json_dumps(areas, JSON_COMPACT);
    const char *ip[] = {code, programme, metric, area_text};
    r = db_exec(db, &insert, ip);
    free(area_text);
    if (!admin_write_ok(rp, db, r, "grant"))
        goto done;
    bool added = strcmp(PQcmdTuples(r), "0") != 0;
    PQclear(r);
    if (!admin_commit(db, rp))
        goto done;
    json_t *j = json_pack("{s:s, s:s, s:O}", "partner", code, programme ? "programme" : "metric",
                          programme ? programme : metric, "areas", areas);
    /* 201 when anything new was granted; 200 when every grant was there already. */
    reply_json(rp, added ? 201 : 200, j);
done:
    json_decref(areas);
    json_decref(errors);
    json_decref(body);
}
