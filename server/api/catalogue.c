/* The catalogue: programmes, metrics, areas and breakdown dimensions. Small tables,
 * read whole; each collection answers JSON or CSV. */
#include <string.h>

#include "store/db.h"
#include "http/problem.h"
#include "api/render.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"

static json_t *metric_json(PGresult *r, int i);
static json_t *area_json(PGresult *r, int i);

static const char *const metric_columns[] = {"code",       "programme", "name",        "unit",
                                             "frequency",  "kind",      "polarity",    "decimals",
                                             "dimensions", "numerator", "denominator", "headline",
                                             "active",     "source",    "description", NULL};

#define METRIC_SELECT                                                                              \
    "SELECT m.code, m.programme, m.name, m.description, m.unit, m.frequency, m.kind, "             \
    "m.polarity, m.decimals, m.source, m.active, m.headline, m.numerator_metric, "                 \
    "m.denominator_metric, m.has_confidence, "                                                     \
    "coalesce((SELECT string_agg(d.dimension, ',' ORDER BY d.dimension) "                          \
    "FROM metric_dimensions d WHERE d.metric = m.code), '') FROM metrics m "

void api_list_programmes(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {
        "programmes_list",
        "SELECT p.code, p.name, p.description, "
        "(SELECT count(*) FROM metrics m WHERE m.programme = p.code AND m.active) "
        "FROM programmes p ORDER BY p.sort_order, p.code",
        0};
    static const char *const columns[] = {"code", "name", "metrics", "description", NULL};
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    PGresult *r = db_exec(db, &s, NULL);
    if (!api_result_ok(rp, db, r, "programmes"))
        return;
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(items,
                              json_pack("{s:o, s:o, s:o, s:o}", "code", render_text(r, i, 0),
                                        "name", render_text(r, i, 1), "description",
                                        render_text(r, i, 2), "metrics", render_number(r, i, 3)));
    PQclear(r);
    render_collection(rq, rp, items, columns, NULL);
}

static json_t *metric_json(PGresult *r, int i) {
    json_t *dims = json_array();
    const char *d = PQgetvalue(r, i, 15);
    while (*d) {
        size_t n = strcspn(d, ",");
        json_array_append_new(dims, json_stringn(d, n));
        d += n + (d[n] == ',');
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, "
                     "s:b, s:o}",
                     "code", render_text(r, i, 0), "programme", render_text(r, i, 1), "name",
                     render_text(r, i, 2), "description", render_text(r, i, 3), "unit",
                     render_text(r, i, 4), "frequency", render_text(r, i, 5), "kind",
                     render_text(r, i, 6), "polarity", render_text(r, i, 7), "decimals",
                     render_number(r, i, 8), "source", render_text(r, i, 9), "active",
                     PQgetvalue(r, i, 10)[0] == 't', "headline", PQgetvalue(r, i, 11)[0] == 't',
                     "numerator", render_text(r, i, 12), "denominator", render_text(r, i, 13),
                     "confidence_limits", PQgetvalue(r, i, 14)[0] == 't', "dimensions", dims);
}

void api_list_metrics(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {"metrics_list",
                                     METRIC_SELECT "WHERE ($1::text IS NULL OR m.programme = $1) "
                                                   "AND ($2::boolean IS NULL OR m.active = $2) "
                                                   "ORDER BY m.programme, m.sort_order, m.code",
                                     2};
    const char *programme = req_query(rq, "programme");
    const char *active = req_query(rq, "active");
    if (active && strcmp(active, "true") != 0 && strcmp(active, "false") != 0) {
        problem_reply(rp, 400, "active=%s: use active=true or active=false", active);
        return;
    }
    if (!api_check_filters(rq, rp, FILTER_PROGRAMME))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    const char *params[] = {programme, active};
    PGresult *r = db_exec(db, &s, params);
    if (!api_result_ok(rp, db, r, "metrics"))
        return;
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(items, metric_json(r, i));
    PQclear(r);
    render_collection(rq, rp, items, metric_columns, NULL);
}

void api_get_metric(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {"metric_get", METRIC_SELECT "WHERE m.code = $1", 1};
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    const char *params[] = {req_param(rq, 0)};
    PGresult *r = db_exec(db, &s, params);
    if (!api_result_ok(rp, db, r, "metric"))
        return;
    if (PQntuples(r) == 0)
        problem_reply(rp, 404, "no metric %s; GET /v1/metrics lists them", req_param(rq, 0));
    else
        reply_json(rp, 200, metric_json(r, 0));
    PQclear(r);
}

#define AREA_SELECT                                                                                \
    "SELECT a.code, a.name, a.type, "                                                              \
    "coalesce((SELECT json_agg(json_build_object('code', m.parent, 'name', p.name, 'role', "       \
    "m.role, 'from', m.valid_from, 'to', m.valid_to) ORDER BY m.parent) "                          \
    "FROM area_memberships m JOIN areas p ON p.code = m.parent WHERE m.child = a.code), "          \
    "'[]'), "                                                                                      \
    "coalesce((SELECT json_agg(json_build_object('code', m.child, 'name', c.name, 'role', "        \
    "m.role, 'from', m.valid_from, 'to', m.valid_to) ORDER BY m.child) "                           \
    "FROM area_memberships m JOIN areas c ON c.code = m.child WHERE m.parent = a.code), "          \
    "'[]') FROM areas a "

static json_t *area_json(PGresult *r, int i) {
    json_t *parents = json_loads(PQgetvalue(r, i, 3), 0, NULL);
    json_t *children = json_loads(PQgetvalue(r, i, 4), 0, NULL);
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "code", render_text(r, i, 0), "name",
                     render_text(r, i, 1), "type", render_text(r, i, 2), "parents",
                     parents ? parents : json_array(), "members",
                     children ? children : json_array());
}

void api_list_areas(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {
        "areas_list",
        AREA_SELECT "WHERE ($1::text IS NULL OR a.type = $1) AND ($2::text IS NULL OR EXISTS "
                    "(SELECT 1 FROM area_memberships m WHERE m.child = a.code AND m.parent = $2 "
                    "AND (m.valid_to IS NULL OR m.valid_to > current_date))) "
                    "ORDER BY a.type, a.name",
        2};
    static const char *const columns[] = {"code", "name", "type", "parents", NULL};
    static const char *const types[] = {
        "region",  "combined_authority",    "county",
        "unitary", "metropolitan_district", "non_metropolitan_district",
        NULL};
    const char *type = req_query(rq, "type");
    if (type) {
        bool known = false;
        for (int i = 0; types[i]; i++)
            known |= strcmp(type, types[i]) == 0;
        if (!known) {
            problem_reply(rp, 400,
                          "type=%s is not an area type: use region, combined_authority, county, "
                          "unitary, metropolitan_district or non_metropolitan_district",
                          type);
            return;
        }
    }
    if (!api_check_filters(rq, rp, FILTER_PARENT))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    const char *params[] = {type, req_query(rq, "parent")};
    PGresult *r = db_exec(db, &s, params);
    if (!api_result_ok(rp, db, r, "areas"))
        return;
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *a = area_json(r, i);
        if (rq->csv) {
            /* In CSV a parent list reads better as codes with their roles. */
            json_t *flat = json_array(), *p;
            size_t k;
            json_array_foreach(json_object_get(a, "parents"), k, p) json_array_append_new(
                flat, json_sprintf("%s:%s", json_string_value(json_object_get(p, "code")),
                                   json_string_value(json_object_get(p, "role"))));
            json_object_set_new(a, "parents", flat);
        }
        json_array_append_new(items, a);
    }
    PQclear(r);
    render_collection(rq, rp, items, columns, NULL);
}

void api_get_area(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {"area_get", AREA_SELECT "WHERE a.code = $1", 1};
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    const char *params[] = {req_param(rq, 0)};
    PGresult *r = db_exec(db, &s, params);
    if (!api_result_ok(rp, db, r, "area"))
        return;
    if (PQntuples(r) == 0)
        problem_reply(rp, 404, "no area %s; GET /v1/areas lists them by ONS code",
                      req_param(rq, 0));
    else
        reply_json(rp, 200, area_json(r, 0));
    PQclear(r);
}

void api_list_dimensions(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {
        "dimensions_list",
        "SELECT d.code, d.name, d.description, coalesce((SELECT json_agg(json_build_object("
        "'code', c.code, 'name', c.name) ORDER BY c.sort_order, c.code) "
        "FROM dimension_categories c WHERE c.dimension = d.code), '[]') "
        "FROM dimensions d ORDER BY d.code",
        0};
    static const char *const columns[] = {"code", "name", "categories", "description", NULL};
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    PGresult *r = db_exec(db, &s, NULL);
    if (!api_result_ok(rp, db, r, "dimensions"))
        return;
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *cats = json_loads(PQgetvalue(r, i, 3), 0, NULL);
        if (rq->csv) {
            json_t *codes = json_array(), *c;
            size_t k;
            json_array_foreach(cats, k, c) json_array_append(codes, json_object_get(c, "code"));
            json_decref(cats);
            cats = codes;
        }
        json_array_append_new(items, json_pack("{s:o, s:o, s:o, s:o}", "code", render_text(r, i, 0),
                                               "name", render_text(r, i, 1), "description",
                                               render_text(r, i, 2), "categories",
                                               cats ? cats : json_array()));
    }
    PQclear(r);
    render_collection(rq, rp, items, columns, NULL);
}
