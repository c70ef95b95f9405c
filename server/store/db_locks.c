/* SQL for period locks (see db_locks.h). */
#include "store/db_locks.h"

#include <stdio.h>

#include "domain/period.h"
#include "store/db_json.h"

#define LOCK_SELECT                                                                                \
    "SELECT l.id, l.programme, l.metric, l.period_start, coalesce(m.frequency, 'monthly'),"        \
    "       to_json(l.created_at) #>> '{}', l.created_by"                                          \
    " FROM period_locks l"                                                                         \
    " LEFT JOIN metrics m ON m.code = l.metric"

static json_t *lock_json(PGresult *r, int i);

/* Columns as LOCK_SELECT has them; only the one of programme and metric that is set. */
static json_t *lock_json(PGresult *r, int i) {
    struct period p;
    enum period_freq freq = PERIOD_MONTHLY;
    char text[16] = "";
    period_freq_parse(PQgetvalue(r, i, 4), &freq);
    if (period_from_date(PQgetvalue(r, i, 3), freq, &p))
        period_format(&p, text, sizeof text);
    json_t *j = json_pack("{s:o, s:s, s:o, s:o}", "id", db_json_number(r, i, 0), "period", text,
                          "created_at", db_json_text(r, i, 5), "created_by", db_json_text(r, i, 6));
    if (!PQgetisnull(r, i, 1))
        json_object_set_new(j, "programme", db_json_text(r, i, 1));
    else
        json_object_set_new(j, "metric", db_json_text(r, i, 2));
    return j;
}

bool db_locks_list(struct db_conn *db, const char *programme, const char *metric, json_t **items) {
    static const struct db_stmt s = {"admin_locks_list",
                                     LOCK_SELECT " WHERE ($1::text IS NULL OR l.programme = $1)"
                                                 "   AND ($2::text IS NULL OR l.metric = $2)"
                                                 " ORDER BY l.period_start DESC, l.id",
                                     2};
    const char *params[] = {programme, metric};
    return db_json_rows(db, &s, params, "locks", lock_json, items);
}

bool db_lock_frequency(struct db_conn *db, const char *programme, const char *metric, bool *known,
                       char frequency[16], struct db_error *e) {
    static const struct db_stmt s = {"admin_lock_target",
                                     "SELECT frequency FROM metrics WHERE code = $2"
                                     " UNION ALL"
                                     " SELECT '' FROM programmes WHERE code = $1",
                                     2};
    const char *params[] = {programme, metric};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "lock", e))
        return false;
    *known = PQntuples(r) > 0;
    snprintf(frequency, 16, "%s", *known ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    return true;
}

bool db_lock_insert(struct db_conn *db, const char *programme, const char *metric,
                    const char *start, const char *key_id, char id[32], char existing[32],
                    struct db_error *e) {
    static const struct db_stmt insert = {
        "admin_lock_insert",
        "INSERT INTO period_locks (programme, metric, period_start, created_by)"
        " VALUES ($1, $2, $3::date, $4::uuid)"
        " ON CONFLICT DO NOTHING"
        " RETURNING id",
        4};
    static const struct db_stmt find = {"admin_lock_existing",
                                        "SELECT id"
                                        " FROM period_locks"
                                        " WHERE coalesce(programme, '') = coalesce($1, '')"
                                        "   AND coalesce(metric, '') = coalesce($2, '')"
                                        "   AND period_start = $3::date",
                                        3};
    const char *params[] = {programme, metric, start, key_id};
    PGresult *r = db_exec(db, &insert, params);
    if (!db_check(db, r, "lock", e))
        return false;
    id[0] = existing[0] = '\0';
    if (PQntuples(r)) {
        snprintf(id, 32, "%s", PQgetvalue(r, 0, 0));
        PQclear(r);
        return true;
    }
    PQclear(r);
    r = db_exec(db, &find, params);
    if (!db_check(db, r, "lock", e))
        return false;
    snprintf(existing, 32, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "?");
    PQclear(r);
    return true;
}

bool db_lock_get(struct db_conn *db, const char *id, json_t **out, struct db_error *e) {
    static const struct db_stmt s = {"admin_lock_get", LOCK_SELECT " WHERE l.id = $1", 1};
    const char *params[] = {id};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "lock", e))
        return false;
    *out = PQntuples(r) ? lock_json(r, 0) : NULL;
    PQclear(r);
    return true;
}

bool db_lock_delete(struct db_conn *db, const char *id, bool *found, struct db_error *e) {
    static const struct db_stmt s = {"admin_lock_delete",
                                     "DELETE FROM period_locks"
                                     " WHERE id = $1::bigint"
                                     " RETURNING id",
                                     1};
    const char *params[] = {id};
    return db_exec_found(db, &s, params, "lock", found, e);
}
