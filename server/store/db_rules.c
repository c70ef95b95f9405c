/* Admin rules across figures ("left op right" between two metrics, for the same area,
 * period and breakdown). Checked by submissions through db_ingest_checks.c. */
#include <stdio.h>
#include <string.h>

#include "store/db_steward.h"
#include "store/db_steward_rows.h"

#define RULE_JSON                                                                                  \
    "json_build_object('name', r.name, 'left', r.left_metric, 'op', r.op, 'right', "               \
    "r.right_metric, 'severity', r.severity, 'description', r.description, "                       \
    "'created_at', " STEWARD_UTC("r.created_at") ")"

enum steward_result db_rules_add(struct db_conn *db, const struct rule_request *req, json_t **out,
                                 char detail[STEWARD_DETAIL]) {
    static const struct db_stmt known = {
        "rule_metrics_known",
        "SELECT EXISTS (SELECT 1 FROM metrics WHERE code = $1), EXISTS (SELECT 1 FROM metrics "
        "WHERE code = $2)",
        2};
    static const struct db_stmt insert = {
        "rule_insert",
        "WITH r AS (INSERT INTO validation_rules (name, left_metric, op, right_metric, severity, "
        "description) VALUES ($1, $2, $3, $4, $5, coalesce($6, '')) RETURNING *) SELECT " RULE_JSON
        " FROM r",
        6};
    *out = NULL;
    detail[0] = '\0';
    const char *kp[] = {req->left, req->right};
    PGresult *r = db_exec(db, &known, kp);
    if (!db_ok(r))
        return steward_classify(db, r, "rule");
    bool left = PQgetvalue(r, 0, 0)[0] == 't', right = PQgetvalue(r, 0, 1)[0] == 't';
    PQclear(r);
    if (!left || !right) {
        snprintf(detail, STEWARD_DETAIL, "%s: no metric %s; GET /v1/metrics lists them",
                 !left ? "left" : "right", !left ? req->left : req->right);
        return STEWARD_NOT_FOUND;
    }
    const char *params[] = {req->name,  req->left,     req->op,
                            req->right, req->severity, req->description};
    r = db_exec(db, &insert, params);
    if (!db_ok(r)) {
        enum steward_result res = steward_classify(db, r, "rule");
        if (res == STEWARD_CONFLICT)
            snprintf(detail, STEWARD_DETAIL, "a rule named %s exists already", req->name);
        return res;
    }
    *out = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    PQclear(r);
    return *out ? STEWARD_OK : STEWARD_FAILED;
}

bool db_rules_list(struct db_conn *db, json_t **items) {
    static const struct db_stmt s = {"rule_list",
                                     "SELECT coalesce(json_agg(" RULE_JSON
                                     " ORDER BY r.name), '[]') FROM validation_rules r",
                                     0};
    return steward_json(db, &s, NULL, "rules", items);
}

int db_rules_delete(struct db_conn *db, const char *name) {
    static const struct db_stmt s = {"rule_delete",
                                     "DELETE FROM validation_rules WHERE name = $1 RETURNING 1", 1};
    const char *params[] = {name};
    PGresult *r = db_exec(db, &s, params);
    if (!db_ok(r)) {
        db_log_failure("rule delete", r);
        PQclear(r);
        return -1;
    }
    int n = PQntuples(r);
    PQclear(r);
    return n > 0;
}
