/* SQL for partners and grants (see db_partners.h). */
#include "store/db_partners.h"

#include <stdlib.h>
#include <string.h>

#include "store/db_json.h"

static json_t *partner_json(PGresult *r, int i);

static json_t *partner_json(PGresult *r, int i) {
    return json_pack("{s:o, s:o, s:b, s:o, s:o}", "code", db_json_text(r, i, 0), "name",
                     db_json_text(r, i, 1), "synthetic", PQgetvalue(r, i, 2)[0] == 't',
                     "created_at", db_json_text(r, i, 3), "grants",
                     db_json_parse(r, i, 4, json_array()));
}

bool db_partners_list(struct db_conn *db, json_t **items) {
    static const struct db_stmt s = {
        "admin_partners_list",
        "SELECT p.code, p.name, p.synthetic, to_json(p.created_at) #>> '{}', "
        "       coalesce((SELECT json_agg(g.item ORDER BY g.programme NULLS LAST, g.metric)"
        "                 FROM (SELECT programme, metric,"
        "                              json_strip_nulls(json_build_object("
        "                                  'programme', programme, 'metric', metric,"
        "                                  'areas', json_agg(area ORDER BY area))) AS item"
        "                       FROM partner_grants"
        "                       WHERE partner = p.code"
        "                       GROUP BY programme, metric) g), '[]')"
        " FROM partners p"
        " ORDER BY p.code",
        0};
    return db_json_rows(db, &s, NULL, "partners", partner_json, items);
}

bool db_partner_insert(struct db_conn *db, const char *code, const char *name, bool synthetic,
                       json_t **created_at, struct db_error *e) {
    static const struct db_stmt s = {"admin_partner_insert",
                                     "INSERT INTO partners (code, name, synthetic)"
                                     " VALUES ($1, $2, $3)"
                                     " ON CONFLICT (code) DO NOTHING"
                                     " RETURNING to_json(created_at) #>> '{}'",
                                     3};
    const char *params[] = {code, name, synthetic ? "true" : "false"};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "partner", e))
        return false;
    *created_at = PQntuples(r) ? db_json_text(r, 0, 0) : NULL;
    PQclear(r);
    return true;
}

bool db_partner_hold(struct db_conn *db, const char *code, bool *found, struct db_error *e) {
    static const struct db_stmt s = {"admin_partner_hold",
                                     "SELECT 1"
                                     " FROM partners"
                                     " WHERE code = $1"
                                     " FOR SHARE",
                                     1};
    const char *params[] = {code};
    return db_exec_found(db, &s, params, "partner", found, e);
}

bool db_grant_names(struct db_conn *db, const char *programme, const char *metric, json_t *areas,
                    struct db_grant_names *out, struct db_error *e) {
    static const struct db_stmt s = {
        "admin_grant_known",
        "SELECT ($1::text IS NULL OR EXISTS (SELECT 1 FROM programmes WHERE code = $1)),"
        "       ($2::text IS NULL OR EXISTS (SELECT 1 FROM metrics WHERE code = $2)),"
        "       coalesce((SELECT json_agg(t.n - 1 ORDER BY t.n)"
        "                 FROM json_array_elements_text($3::json) WITH ORDINALITY AS t(code, n)"
        "                 WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = t.code)), '[]')",
        3};
    char *area_text = areas ? db_json_dump(areas, e) : strdup("[]");
    if (!area_text) {
        *e = (struct db_error){.sqlstate = "53200"};
        return false;
    }
    const char *params[] = {programme, metric, area_text};
    PGresult *r = db_exec(db, &s, params);
    free(area_text);
    if (!db_check(db, r, "grant", e))
        return false;
    out->programme_known = PQgetvalue(r, 0, 0)[0] == 't';
    out->metric_known = PQgetvalue(r, 0, 1)[0] == 't';
    out->unknown_areas = db_json_parse(r, 0, 2, json_array());
    PQclear(r);
    return true;
}

bool db_grant_insert(struct db_conn *db, const char *partner, const char *programme,
                     const char *metric, json_t *areas, bool *added, struct db_error *e) {
    /* The unique index makes a repeated grant a no-op, so a grant is idempotent. */
    static const struct db_stmt s = {"admin_grant_insert",
                                     "INSERT INTO partner_grants (partner, programme, metric, area)"
                                     " SELECT $1, $2, $3, a"
                                     " FROM json_array_elements_text($4::json) a"
                                     " ON CONFLICT DO NOTHING",
                                     4};
    char *area_text = db_json_dump(areas, e);
    if (!area_text)
        return false;
    const char *params[] = {partner, programme, metric, area_text};
    PGresult *r = db_exec(db, &s, params);
    free(area_text);
    if (!db_check(db, r, "grant", e))
        return false;
    *added = strcmp(PQcmdTuples(r), "0") != 0;
    PQclear(r);
    return true;
}
