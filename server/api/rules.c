/* Admin rules across figures: POST /v1/admin/rules {name, left, op, right, severity},
 * GET /v1/admin/rules, DELETE /v1/admin/rules/{name}. A submission is checked against
 * every rule, with its own rows and the figures already stored (store/db_ingest_checks.c). */
#include <stdio.h>
#include <string.h>

#include "api/admin_util.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/render.h"
#include "api/steward.h"
#include "http/problem.h"

static bool rule_name_ok(const char *s);

static bool rule_name_ok(const char *s) {
    size_t n = strlen(s);
    if (n < 2 || n > 64 || s[0] < 'a' || s[0] > 'z')
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
              s[i] == '-'))
            return false;
    return true;
}

void api_post_rule(struct request *rq, struct reply *rp) {
    static const char *const fields[] = {"name",     "left",        "op", "right",
                                         "severity", "description", NULL};
    static const char *const ops[] = {"<=", "==", ">=", NULL};
    static const char *const severities[] = {"error", "warning", NULL};
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    admin_only_members(body, "", fields, errors);
    struct rule_request req = {
        .name = admin_string(body, "", "name", true, errors),
        .left = admin_string(body, "", "left", true, errors),
        .op = admin_enum(body, "", "op", true, ops, errors),
        .right = admin_string(body, "", "right", true, errors),
        .severity = admin_enum(body, "", "severity", true, severities, errors),
        .description = admin_text(body, "", "description", false, 500, errors),
    };
    if (req.name && !rule_name_ok(req.name))
        admin_error(errors, "/name", "bad_name",
                    "name \"%.64s\": 2 to 64 of a-z, 0-9, '_', '-', starting with a letter",
                    req.name);
    if (req.left && !admin_metric_code_ok(req.left))
        admin_error(errors, "/left", "bad_code", "left \"%.72s\" is not a metric code", req.left);
    if (req.right && !admin_metric_code_ok(req.right))
        admin_error(errors, "/right", "bad_code", "right \"%.72s\" is not a metric code",
                    req.right);
    if (req.left && req.right && strcmp(req.left, req.right) == 0)
        admin_error(errors, "/right", "same_metric",
                    "a rule compares two different metrics (left and right are both %.72s)",
                    req.left);
    if (json_array_size(errors)) {
        admin_reply_invalid(rp, errors, "rule");
        json_decref(body);
        return;
    }
    json_decref(errors);
    struct db_conn *db = req_db(rq, rp);
    json_t *made = NULL;
    char detail[STEWARD_DETAIL];
    enum steward_result res = db ? db_rules_add(db, &req, &made, detail) : STEWARD_OK;
    if (db && res == STEWARD_OK) {
        reply_json(rp, 201, made);
        rp->no_etag = true;
    } else if (db) {
        steward_reply(rp, res == STEWARD_NOT_FOUND ? STEWARD_INVALID : res, detail, "rule");
    }
    json_decref(body);
}

void api_list_rules(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {"name",     "left",        "op",         "right",
                                          "severity", "description", "created_at", NULL};
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    json_t *items = NULL;
    if (!db_rules_list(db, &items)) {
        api_db_failed(rp, db, "rules");
        return;
    }
    const char *name = "rules";
    render_csv_name(rq, rp, &name, 1);
    render_collection(rq, rp, items, columns, NULL);
}

void api_delete_rule(struct request *rq, struct reply *rp) {
    const char *name = req_param(rq, 0);
    struct db_conn *db = rule_name_ok(name) ? req_db(rq, rp) : NULL;
    if (!rule_name_ok(name)) {
        problem_reply(rp, 404, "no rule %.64s; GET /v1/admin/rules lists them", name);
        return;
    }
    if (!db)
        return;
    int n = db_rules_delete(db, name);
    if (n < 0)
        api_db_failed(rp, db, "rule");
    else if (n == 0)
        problem_reply(rp, 404, "no rule %s; GET /v1/admin/rules lists them", name);
    else {
        rp->status = 204;
        rp->no_etag = true;
    }
}
