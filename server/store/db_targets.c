/* SQL for targets (see db_targets.h). */
#include "store/db_targets.h"

#include <stdio.h>
#include <stdlib.h>

#include "domain/numeric.h"
#include "domain/period.h"
#include "store/db_json.h"

#define TARGET_SELECT                                                                              \
    "SELECT t.id, t.metric, t.area, t.start_period, t.end_period, t.value, t.basis,"               \
    "       t.baseline, t.amber_within, t.source, t.note, to_json(t.created_at) #>> '{}',"         \
    "       m.frequency,"                                                                          \
    "       coalesce((SELECT json_agg(json_build_object('start', k.period_start,"                  \
    "                                                   'value', k.value::text)"                   \
    "                                 ORDER BY k.period_start)"                                    \
    "                 FROM target_milestones k"                                                    \
    "                 WHERE k.target_id = t.id), '[]')"                                            \
    " FROM targets t"                                                                              \
    " JOIN metrics m ON m.code = t.metric"

static json_t *target_json(PGresult *r, int i);
static json_t *period_text(const char *date, enum period_freq freq);

static json_t *period_text(const char *date, enum period_freq freq) {
    struct period p;
    char text[16];
    if (!date || !period_from_date(date, freq, &p))
        return json_null();
    period_format(&p, text, sizeof text);
    return json_string(text);
}

static json_t *target_json(PGresult *r, int i) {
    enum period_freq freq = PERIOD_MONTHLY;
    period_freq_parse(PQgetvalue(r, i, 12), &freq);
    json_t *stored = db_json_parse(r, i, 13, json_array()), *k;
    json_t *milestones = json_array();
    size_t n;
    json_array_foreach(stored, n, k) json_array_append_new(
        milestones,
        json_pack("{s:o, s:o}", "period",
                  period_text(json_string_value(json_object_get(k, "start")), freq), "value",
                  numeric_json(json_string_value(json_object_get(k, "value")))));
    json_decref(stored);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     db_json_number(r, i, 0), "metric", db_json_text(r, i, 1), "area",
                     db_json_text(r, i, 2), "start", period_text(PQgetvalue(r, i, 3), freq), "end",
                     period_text(PQgetvalue(r, i, 4), freq), "value", db_json_number(r, i, 5),
                     "basis", db_json_text(r, i, 6), "baseline", db_json_number(r, i, 7),
                     "amber_within", db_json_number(r, i, 8), "milestones", milestones, "source",
                     db_json_text(r, i, 9), "note", db_json_text(r, i, 10), "created_at",
                     db_json_text(r, i, 11));
}

bool db_targets_list(struct db_conn *db, const char *metric, const char *area, json_t **items) {
    static const struct db_stmt s = {"admin_targets_list",
                                     TARGET_SELECT
                                     " WHERE ($1::text IS NULL OR t.metric = $1)"
                                     "   AND ($2::text IS NULL OR t.area = $2)"
                                     " ORDER BY t.metric, t.area, t.start_period, t.end_period",
                                     2};
    const char *params[] = {metric, area};
    return db_json_rows(db, &s, params, "targets", target_json, items);
}

bool db_target_names(struct db_conn *db, const char *metric, const char *area,
                     struct db_target_names *out, struct db_error *e) {
    static const struct db_stmt s = {"admin_target_names",
                                     "SELECT (SELECT frequency FROM metrics WHERE code = $1),"
                                     "       (SELECT kind FROM metrics WHERE code = $1),"
                                     "       EXISTS (SELECT 1 FROM areas WHERE code = $2)",
                                     2};
    const char *params[] = {metric, area};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "target", e))
        return false;
    out->metric_known = !PQgetisnull(r, 0, 0);
    snprintf(out->frequency, sizeof out->frequency, "%s", PQgetvalue(r, 0, 0));
    snprintf(out->kind, sizeof out->kind, "%s", PQgetvalue(r, 0, 1));
    out->area_known = PQgetvalue(r, 0, 2)[0] == 't';
    PQclear(r);
    return true;
}

bool db_target_insert(struct db_conn *db, const struct db_target_new *t, char id[32],
                      char existing[32], struct db_error *e) {
    static const struct db_stmt insert = {
        "admin_target_insert",
        "INSERT INTO targets (metric, area, start_period, end_period, value, basis, baseline,"
        "                     amber_within, source, note)"
        " VALUES ($1, $2, $3::date, $4::date, $5::numeric, $6, $7::numeric, $8::numeric,"
        "         coalesce($9, ''), coalesce($10, ''))"
        " ON CONFLICT (metric, area, start_period, end_period) DO NOTHING"
        " RETURNING id",
        10};
    static const struct db_stmt find = {"admin_target_existing",
                                        "SELECT id"
                                        " FROM targets"
                                        " WHERE metric = $1"
                                        "   AND area = $2"
                                        "   AND start_period = $3::date"
                                        "   AND end_period = $4::date",
                                        4};
    static const struct db_stmt add_milestones = {
        "admin_target_milestones",
        "INSERT INTO target_milestones (target_id, period_start, value)"
        " SELECT $1::bigint, (k->>'start')::date, (k->>'value')::numeric"
        " FROM json_array_elements($2::json) k",
        2};
    const char *params[] = {t->metric, t->area,     t->start, t->end,    t->value,
                            t->basis,  t->baseline, t->amber, t->source, t->note};
    PGresult *r = db_exec(db, &insert, params);
    if (!db_check(db, r, "target", e))
        return false;
    id[0] = existing[0] = '\0';
    if (PQntuples(r) == 0) {
        PQclear(r);
        r = db_exec(db, &find, params);
        if (!db_check(db, r, "target", e))
            return false;
        snprintf(existing, 32, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "?");
        PQclear(r);
        return true;
    }
    snprintf(id, 32, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    if (!json_array_size(t->milestones))
        return true;
    char *text = db_json_dump(t->milestones, e);
    if (!text)
        return false;
    const char *mp[] = {id, text};
    r = db_exec(db, &add_milestones, mp);
    free(text);
    if (!db_check(db, r, "target", e))
        return false;
    PQclear(r);
    return true;
}

bool db_target_get(struct db_conn *db, const char *id, json_t **out, struct db_error *e) {
    static const struct db_stmt s = {"admin_target_get", TARGET_SELECT " WHERE t.id = $1", 1};
    const char *params[] = {id};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "target", e))
        return false;
    *out = PQntuples(r) ? target_json(r, 0) : NULL;
    PQclear(r);
    return true;
}
