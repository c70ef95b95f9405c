/* SQL for the catalogue an admin writes (see db_catalogue_write.h). */
#include "store/db_catalogue_write.h"

#include <stdio.h>
#include <stdlib.h>

#include "store/db_json.h"

bool db_metric_names(struct db_conn *db, const char *programme, const char *numerator,
                     const char *denominator, json_t *dimensions, struct db_metric_names *out,
                     struct db_error *e) {
    static const struct db_stmt s = {
        "admin_metric_names",
        "SELECT EXISTS (SELECT 1 FROM programmes WHERE code = $1),"
        "       ($2::text IS NULL OR EXISTS (SELECT 1 FROM metrics WHERE code = $2)),"
        "       ($3::text IS NULL OR EXISTS (SELECT 1 FROM metrics WHERE code = $3)),"
        "       coalesce((SELECT json_agg(t.n - 1 ORDER BY t.n)"
        "                 FROM json_array_elements_text($4::json) WITH ORDINALITY AS t(code, n)"
        "                 WHERE NOT EXISTS (SELECT 1 FROM dimensions d WHERE d.code = t.code)),"
        "                '[]')",
        4};
    char *dims = db_json_dump(dimensions, e);
    if (!dims)
        return false;
    const char *params[] = {programme, numerator, denominator, dims};
    PGresult *r = db_exec(db, &s, params);
    free(dims);
    if (!db_check(db, r, "metric", e))
        return false;
    out->programme_known = PQgetvalue(r, 0, 0)[0] == 't';
    out->numerator_known = PQgetvalue(r, 0, 1)[0] == 't';
    out->denominator_known = PQgetvalue(r, 0, 2)[0] == 't';
    out->unknown_dimensions = db_json_parse(r, 0, 3, json_array());
    PQclear(r);
    return true;
}

bool db_metric_current(struct db_conn *db, const char *code, json_t *dimensions,
                       struct db_metric_current *out, struct db_error *e) {
    static const struct db_stmt s = {
        "admin_metric_current",
        "SELECT m.unit, m.frequency, m.kind,"
        "       EXISTS (SELECT 1 FROM observations o WHERE o.metric = m.code)"
        "       OR EXISTS (SELECT 1 FROM targets t WHERE t.metric = m.code)"
        "       OR EXISTS (SELECT 1 FROM period_locks l WHERE l.metric = m.code),"
        "       coalesce((SELECT string_agg(DISTINCT k, ', ')"
        "                 FROM observations o, jsonb_object_keys(o.breakdown) k"
        "                 WHERE o.metric = m.code"
        "                   AND o.breakdown <> '{}'"
        "                   AND k NOT IN (SELECT json_array_elements_text($2::json))), '')"
        " FROM metrics m"
        " WHERE m.code = $1"
        " FOR UPDATE",
        2};
    char *dims = db_json_dump(dimensions, e);
    if (!dims)
        return false;
    const char *params[] = {code, dims};
    PGresult *r = db_exec(db, &s, params);
    free(dims);
    if (!db_check(db, r, "metric", e))
        return false;
    *out = (struct db_metric_current){.exists = PQntuples(r) == 1};
    if (out->exists) {
        snprintf(out->unit, sizeof out->unit, "%s", PQgetvalue(r, 0, 0));
        snprintf(out->frequency, sizeof out->frequency, "%s", PQgetvalue(r, 0, 1));
        snprintf(out->kind, sizeof out->kind, "%s", PQgetvalue(r, 0, 2));
        out->in_use = PQgetvalue(r, 0, 3)[0] == 't';
        snprintf(out->dropped_figures, sizeof out->dropped_figures, "%s", PQgetvalue(r, 0, 4));
    }
    PQclear(r);
    return true;
}

bool db_metric_put(struct db_conn *db, const struct db_metric_row *m, bool *created,
                   struct db_error *e) {
    static const struct db_stmt upsert = {
        "admin_metric_upsert",
        "INSERT INTO metrics (code, programme, name, description, unit, frequency, kind,"
        "                     polarity, decimals, source, active, headline, sort_order,"
        "                     numerator_metric, denominator_metric, has_confidence)"
        " VALUES ($1, $2, $3, coalesce($4, ''), $5, $6, $7, $8, $9::int, coalesce($10, ''),"
        "         $11::boolean, $12::boolean, $13::int, $14, $15, $16::boolean)"
        " ON CONFLICT (code) DO UPDATE"
        " SET programme = EXCLUDED.programme, name = EXCLUDED.name,"
        "     description = EXCLUDED.description, unit = EXCLUDED.unit,"
        "     frequency = EXCLUDED.frequency, kind = EXCLUDED.kind,"
        "     polarity = EXCLUDED.polarity, decimals = EXCLUDED.decimals,"
        "     source = EXCLUDED.source, active = EXCLUDED.active,"
        "     headline = EXCLUDED.headline, sort_order = EXCLUDED.sort_order,"
        "     numerator_metric = EXCLUDED.numerator_metric,"
        "     denominator_metric = EXCLUDED.denominator_metric,"
        "     has_confidence = EXCLUDED.has_confidence"
        " RETURNING xmax = 0",
        16};
    static const struct db_stmt set_dims = {
        "admin_metric_dimensions",
        "WITH wanted AS (SELECT json_array_elements_text($2::json) AS d),"
        "     gone AS (DELETE FROM metric_dimensions"
        "              WHERE metric = $1"
        "                AND dimension NOT IN (SELECT d FROM wanted))"
        " INSERT INTO metric_dimensions (metric, dimension)"
        " SELECT $1, d FROM wanted"
        " ON CONFLICT DO NOTHING",
        2};
    const char *params[] = {m->code,       m->programme, m->name,        m->description,
                            m->unit,       m->frequency, m->kind,        m->polarity,
                            m->decimals,   m->source,    m->active,      m->headline,
                            m->sort_order, m->numerator, m->denominator, m->confidence};
    PGresult *r = db_exec(db, &upsert, params);
    if (!db_check(db, r, "metric", e))
        return false;
    *created = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    char *dims = db_json_dump(m->dimensions, e);
    if (!dims)
        return false;
    const char *dp[] = {m->code, dims};
    r = db_exec(db, &set_dims, dp);
    free(dims);
    if (!db_check(db, r, "metric", e))
        return false;
    PQclear(r);
    return true;
}

bool db_area_unknown_parents(struct db_conn *db, json_t *parents, json_t **unknown,
                             struct db_error *e) {
    static const struct db_stmt s = {
        "admin_area_parents_known",
        "SELECT coalesce(json_agg(t.n - 1 ORDER BY t.n), '[]')"
        " FROM json_array_elements($1::json) WITH ORDINALITY AS t(p, n)"
        " WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = t.p->>'code')",
        1};
    char *text = db_json_dump(parents, e);
    if (!text)
        return false;
    const char *params[] = {text};
    PGresult *r = db_exec(db, &s, params);
    free(text);
    if (!db_check(db, r, "area", e))
        return false;
    *unknown = db_json_parse(r, 0, 0, json_array());
    PQclear(r);
    return true;
}

bool db_area_put(struct db_conn *db, const char *code, const char *name, const char *type,
                 json_t *parents, bool *created, bool *loops, struct db_error *e) {
    static const struct db_stmt upsert = {"admin_area_upsert",
                                          "INSERT INTO areas (code, name, type)"
                                          " VALUES ($1, $2, $3)"
                                          " ON CONFLICT (code) DO UPDATE"
                                          " SET name = EXCLUDED.name, type = EXCLUDED.type"
                                          " RETURNING xmax = 0",
                                          3};
    /* Two statements: an INSERT beside a DELETE in one statement would not see the
     * rows it replaces gone, and a kept membership would collide with itself. */
    static const struct db_stmt clear_parents = {"admin_area_memberships_clear",
                                                 "DELETE FROM area_memberships"
                                                 " WHERE child = $1",
                                                 1};
    static const struct db_stmt set_parents = {
        "admin_area_memberships",
        "INSERT INTO area_memberships (child, parent, role, valid_from, valid_to)"
        " SELECT $1, p->>'code', p->>'role', (p->>'from')::date, (p->>'to')::date"
        " FROM json_array_elements($2::json) p",
        2};
    /* Whether the area is now among its own ancestors. UNION (not ALL) ends the walk
     * even if a cycle had got in some other way. */
    static const struct db_stmt cycle = {
        "admin_area_cycle",
        "WITH RECURSIVE up(code) AS ("
        "    SELECT parent FROM area_memberships WHERE child = $1"
        "    UNION"
        "    SELECT m.parent FROM area_memberships m JOIN up ON m.child = up.code)"
        " SELECT EXISTS (SELECT 1 FROM up WHERE code = $1)",
        1};
    char *parent_text = db_json_dump(parents, e);
    if (!parent_text)
        return false;
    const char *up[] = {code, name, type};
    const char *cp[] = {code};
    const char *sp[] = {code, parent_text};
    PGresult *r = db_exec(db, &upsert, up);
    bool ok = db_check(db, r, "area", e);
    if (ok) {
        *created = PQgetvalue(r, 0, 0)[0] == 't';
        PQclear(r);
        r = db_exec(db, &clear_parents, cp);
        ok = db_check(db, r, "area", e);
    }
    if (ok) {
        PQclear(r);
        r = db_exec(db, &set_parents, sp);
        ok = db_check(db, r, "area", e);
    }
    free(parent_text);
    if (ok) {
        PQclear(r);
        r = db_exec(db, &cycle, cp);
        ok = db_check(db, r, "area", e);
    }
    if (ok) {
        *loops = PQgetvalue(r, 0, 0)[0] == 't';
        PQclear(r);
    }
    return ok;
}

bool db_area_get(struct db_conn *db, const char *code, json_t **out, struct db_error *e) {
    static const struct db_stmt s = {
        "admin_area_get",
        "SELECT a.code, a.name, a.type,"
        "       coalesce((SELECT json_agg(json_build_object('code', m.parent, 'name', p.name,"
        "                                                   'role', m.role,"
        "                                                   'from', m.valid_from,"
        "                                                   'to', m.valid_to)"
        "                                 ORDER BY m.parent, m.valid_from)"
        "                 FROM area_memberships m"
        "                 JOIN areas p ON p.code = m.parent"
        "                 WHERE m.child = a.code), '[]')"
        " FROM areas a"
        " WHERE a.code = $1",
        1};
    const char *params[] = {code};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "area", e))
        return false;
    *out = PQntuples(r) ? json_pack("{s:o, s:o, s:o, s:o}", "code", db_json_text(r, 0, 0), "name",
                                    db_json_text(r, 0, 1), "type", db_json_text(r, 0, 2), "parents",
                                    db_json_parse(r, 0, 3, json_array()))
                        : NULL;
    PQclear(r);
    return true;
}
