/* Board snapshots and the record as it stood. A snapshot is a name for a moment; the
 * figures at that moment are rebuilt from history (observations_as_of in migration 050),
 * so nothing is copied and two snapshots compare by reading history between them. */
#include <stdio.h>
#include <string.h>

#include "store/db_steward.h"
#include "store/db_steward_rows.h"

/* A period start and its metric's frequency as the period's text (2019-02, 2019-Q1,
 * 2019, FY2019-20), as domain/period.c writes it. */
#define PERIOD_TEXT(d, f)                                                                          \
    "CASE " f " WHEN 'monthly' THEN to_char(" d ", 'YYYY-MM') WHEN 'quarterly' THEN "              \
    "to_char(" d ", 'YYYY') || '-Q' || extract(quarter FROM " d ")::int ELSE CASE WHEN "           \
    "extract(month FROM " d ") = 4 THEN 'FY' || to_char(" d ", 'YYYY') || '-' || "                 \
    "to_char(" d " + interval '1 year', 'YY') ELSE to_char(" d ", 'YYYY') END END"

#define SNAPSHOT_JSON                                                                              \
    "json_build_object('name', s.name, 'as_of', " STEWARD_UTC(                                     \
        "s.as_of") ", 'note', s.note, "                                                            \
                   "'created_at', " STEWARD_UTC("s.created_at") ")"

enum steward_result db_snapshots_add(struct db_conn *db, const char *name, const char *as_of,
                                     const char *note, const char *key_id, json_t **out,
                                     char detail[STEWARD_DETAIL]) {
    /* Under the data-version row lock no write is half-way: every write committed
     * before the moment is in, and any later one is stamped after it. */
    static const struct db_stmt lock = {"snapshot_lock",
                                        "SELECT version FROM data_version FOR UPDATE", 0};
    static const struct db_stmt insert = {
        "snapshot_insert",
        "WITH t AS (SELECT clock_timestamp() AS now), s AS (INSERT INTO board_snapshots (name, "
        "as_of, note, created_by, created_at) SELECT $1, coalesce($2::timestamptz, t.now), "
        "coalesce($3, ''), $4::uuid, t.now FROM t RETURNING *) SELECT " SNAPSHOT_JSON " FROM s",
        4};
    *out = NULL;
    detail[0] = '\0';
    if (!steward_exec(db, "BEGIN"))
        return db_lost(db) ? STEWARD_LOST : STEWARD_FAILED;
    PGresult *r = db_exec(db, &lock, NULL);
    if (!db_ok(r)) {
        enum steward_result res = steward_classify(db, r, "snapshot lock");
        steward_exec(db, "ROLLBACK");
        return res;
    }
    PQclear(r);
    const char *params[] = {name, as_of, note, key_id};
    r = db_exec(db, &insert, params);
    if (!db_ok(r)) {
        enum steward_result res = steward_classify(db, r, "snapshot");
        steward_exec(db, "ROLLBACK");
        if (res == STEWARD_CONFLICT)
            snprintf(detail, STEWARD_DETAIL, "a snapshot named %s exists already", name);
        else if (res == STEWARD_INVALID)
            snprintf(detail, STEWARD_DETAIL,
                     "as_of %s is in the future: a snapshot names a moment that has passed",
                     as_of ? as_of : "");
        return res;
    }
    *out = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    PQclear(r);
    if (!*out || !steward_exec(db, "COMMIT")) {
        json_decref(*out);
        *out = NULL;
        steward_exec(db, "ROLLBACK");
        return db_lost(db) ? STEWARD_LOST : STEWARD_FAILED;
    }
    return STEWARD_OK;
}

bool db_snapshots_list(struct db_conn *db, json_t **items) {
    static const struct db_stmt s = {"snapshot_list",
                                     "SELECT coalesce(json_agg(" SNAPSHOT_JSON
                                     " ORDER BY s.as_of, s.name), '[]') FROM "
                                     "board_snapshots s",
                                     0};
    return steward_json(db, &s, NULL, "snapshots", items);
}

int db_snapshots_as_of(struct db_conn *db, const char *name, char out[40]) {
    static const struct db_stmt s = {
        "snapshot_as_of", "SELECT " STEWARD_UTC("as_of") " FROM board_snapshots WHERE name = $1",
        1};
    const char *params[] = {name};
    PGresult *r = db_exec(db, &s, params);
    if (!db_ok(r)) {
        db_log_failure("snapshot", r);
        PQclear(r);
        return -1;
    }
    int found = PQntuples(r) == 1;
    if (found)
        snprintf(out, 40, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return found;
}

/* The cells history touched between the two moments. Every history row records what it
 * replaced beside what it left, so a cell's first change in between says how it stood at
 * `since` (its old_* columns; nothing before a create) and its last change how it stands
 * at `until`: no look-up outside the range, which the changed_at index reads. A cell back
 * where it was is no change. */
bool db_snapshots_changes(struct db_conn *db, const char *since, const char *until,
                          json_t **items) {
    static const struct db_stmt s = {
        "snapshot_changes",
        "WITH ch AS MATERIALIZED ("
        "    SELECT metric, area, breakdown_key, period_start, breakdown, action, old_value,"
        "           new_value, old_status, new_status, old_note, new_note, partner, reason,"
        "           changed_at, id"
        "    FROM observation_history"
        "    WHERE changed_at > $1::timestamptz AND changed_at <= $2::timestamptz),"
        " firsts AS ("
        "    SELECT DISTINCT ON (metric, area, breakdown_key, period_start) *"
        "    FROM ch"
        "    ORDER BY metric, area, breakdown_key, period_start, changed_at, id),"
        " lasts AS ("
        "    SELECT DISTINCT ON (metric, area, breakdown_key, period_start) *"
        "    FROM ch"
        "    ORDER BY metric, area, breakdown_key, period_start, changed_at DESC, id DESC),"
        " who AS ("
        "    SELECT metric, area, breakdown_key, period_start,"
        "           array_agg(DISTINCT partner) FILTER (WHERE partner IS NOT NULL) AS partners,"
        "           array_agg(DISTINCT reason) FILTER (WHERE coalesce(reason, '') <> '') AS reasons"
        "    FROM ch"
        "    GROUP BY 1, 2, 3, 4),"
        " e AS ("
        "    SELECT f.metric, f.area, f.breakdown_key, f.period_start,"
        "           coalesce(l.breakdown, f.breakdown, '{}'::jsonb) AS breakdown,"
        "           f.action <> 'create' AS was, l.action <> 'delete' AS now_there,"
        "           f.old_value AS b_value, f.old_status AS b_status, f.old_note AS b_note,"
        "           l.new_value AS a_value, l.new_status AS a_status, l.new_note AS a_note,"
        "           l.changed_at AS last, w.partners, w.reasons"
        "    FROM firsts f"
        "    JOIN lasts l USING (metric, area, breakdown_key, period_start)"
        "    JOIN who w USING (metric, area, breakdown_key, period_start))"
        " SELECT coalesce(json_agg(json_build_object("
        "    'change', CASE WHEN NOT e.was THEN 'added' WHEN NOT e.now_there THEN 'withdrawn'"
        "                   ELSE 'revised' END,"
        "    'metric', e.metric, 'area', e.area,"
        "    'period', " PERIOD_TEXT(
            "e.period_start",
            "m.frequency") ","
                           "    'breakdown', e.breakdown,"
                           "    'old_value', CASE WHEN e.was THEN e.b_value END,"
                           "    'new_value', CASE WHEN e.now_there THEN e.a_value END,"
                           "    'old_status', CASE WHEN e.was THEN e.b_status END,"
                           "    'new_status', CASE WHEN e.now_there THEN e.a_status END,"
                           "    'old_note', CASE WHEN e.was THEN e.b_note END,"
                           "    'new_note', CASE WHEN e.now_there THEN e.a_note END,"
                           "    'partners', coalesce(to_json(e.partners), '[]'::json),"
                           "    'reasons', coalesce(to_json(e.reasons), '[]'::json),"
                           "    'changed_at', " STEWARD_UTC(
                               "e.last") ")"
                                         "  ORDER BY e.metric, e.area, e.period_start, "
                                         "e.breakdown_key), '[]')"
                                         " FROM e"
                                         " JOIN metrics m ON m.code = e.metric"
                                         " WHERE (e.was OR e.now_there)"
                                         "   AND NOT (e.was AND e.now_there AND e.b_value = "
                                         "e.a_value"
                                         "            AND e.b_status = e.a_status AND e.b_note IS "
                                         "NOT DISTINCT FROM e.a_note)",
        2};
    const char *params[] = {since, until};
    return steward_json(db, &s, params, "snapshot changes", items);
}

bool db_read_as_of(struct db_conn *db, const char *as_of) {
    static const struct db_stmt s = {"read_as_of", "SELECT set_config('wellbeing.as_of', $1, true)",
                                     1};
    const char *params[] = {as_of};
    PGresult *r = db_exec(db, &s, params);
    bool ok = db_ok(r);
    if (!ok)
        db_log_failure("read as of", r);
    PQclear(r);
    return ok;
}
