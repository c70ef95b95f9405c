/* Partners (the organisations that submit figures) and their grants: which metrics,
 * directly or through a programme, a partner may write for which areas. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_partners.h"
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
    struct db_conn *db = req_db(rq, rp);
    json_t *items = NULL;
    bool ok = db && db_partners_list(db, &items);
    api_reply_items(rq, rp, db, ok, items, partner_columns, "partners");
}

void api_post_partner(struct request *rq, struct reply *rp) {
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
    if (!admin_valid(rp, NULL, errors, "partner"))
        goto done;
    struct db_conn *db = admin_start(rq, rp);
    if (!db)
        goto done;
    struct db_error e;
    json_t *created_at;
    if (!db_partner_insert(db, code, name, synthetic, &created_at, &e)) {
        admin_write_failed(rp, db, &e, "partner");
        goto done;
    }
    if (!created_at) {
        admin_rollback(db);
        problem_reply(rp, 409, "partner %s exists already; GET /v1/admin/partners lists them",
                      code);
        goto done;
    }
    json_t *made = json_pack("{s:s, s:s, s:b, s:o}", "code", code, "name", name, "synthetic",
                             synthetic, "created_at", created_at);
    admin_reply_made(db, rp, 201, made);
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
    struct db_grant_names known;
    struct db_error e;
    if (!db_grant_names(db, programme, metric, areas, &known, &e)) {
        admin_write_failed(rp, db, &e, "grant");
        return false;
    }
    if (!known.programme_known)
        admin_error(errors, "/programme", "unknown_programme",
                    "no programme %s; GET /v1/programmes lists them", programme);
    if (!known.metric_known)
        admin_error(errors, "/metric", "unknown_metric", "no metric %s; GET /v1/metrics lists them",
                    metric);
    json_t *v;
    size_t i;
    json_array_foreach(known.unknown_areas, i, v) {
        size_t k = (size_t)json_integer_value(v);
        if (json_is_null(json_array_get(areas, k)))
            continue;
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/areas/%zu", k);
        admin_error(errors, pointer, "unknown_area", "no area %s; GET /v1/areas lists them",
                    json_string_value(json_array_get(areas, k)));
    }
    json_decref(known.unknown_areas);
    return true;
}

void api_post_grants(struct request *rq, struct reply *rp) {
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
    struct db_conn *db = admin_start(rq, rp);
    if (!db)
        goto done;
    struct db_error e;
    bool found;
    if (!db_partner_hold(db, code, &found, &e)) {
        admin_write_failed(rp, db, &e, "grant");
        goto done;
    }
    if (!found) {
        admin_rollback(db);
        problem_reply(rp, 404, "no partner %s; POST /v1/admin/partners makes one", code);
        goto done;
    }
    if (!check_grant_names(rp, db, programme, metric, areas, errors))
        goto done;
    if (!admin_valid(rp, db, errors, "grant"))
        goto done;
    json_t *granted = distinct_areas(areas);
    json_decref(areas);
    areas = granted;
    bool added;
    if (!db_grant_insert(db, code, programme, metric, areas, &added, &e)) {
        admin_write_failed(rp, db, &e, "grant");
        goto done;
    }
    /* 201 when anything new was granted; 200 when every grant was there already. */
    admin_reply_made(db, rp, added ? 201 : 200,
                     json_pack("{s:s, s:s, s:O}", "partner", code,
                               programme ? "programme" : "metric", programme ? programme : metric,
                               "areas", areas));
done:
    json_decref(areas);
    json_decref(errors);
    json_decref(body);
}
