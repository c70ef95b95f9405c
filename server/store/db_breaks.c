/* series_breaks: insert one (classifying a duplicate and an unknown metric from the
 * constraint that refused it), list a metric's, and read their months for SPC. */
#include "store/db_breaks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

bool db_breaks_insert(struct db_conn *db, const char *metric, const char *period_start,
                      const char *reason, const char *key_id, char *id, size_t id_size,
                      char *created_at, size_t created_size, struct db_error *e) {
    static const struct db_stmt s = {
        "breaks_insert",
        "INSERT INTO series_breaks (metric, period_start, reason, created_by) "
        "VALUES ($1, $2::date, $3, $4::uuid) RETURNING id, to_json(created_at) #>> '{}'",
        4};
    const char *params[] = {metric, period_start, reason, key_id};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "series break", e))
        return false;
    snprintf(id, id_size, "%s", PQgetvalue(r, 0, 0));
    snprintf(created_at, created_size, "%s", PQgetvalue(r, 0, 1));
    PQclear(r);
    return true;
}

bool db_breaks_metric_frequency(struct db_conn *db, const char *metric, bool *known,
                                enum period_freq *freq) {
    static const struct db_stmt s = {"breaks_metric",
                                     "SELECT frequency FROM metrics WHERE code = $1", 1};
    const char *params[] = {metric};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "metric", NULL))
        return false;
    *known = PQntuples(r) == 1;
    if (*known && !period_freq_parse(PQgetvalue(r, 0, 0), freq))
        *freq = PERIOD_MONTHLY;
    PQclear(r);
    return true;
}

bool db_breaks_list(struct db_conn *db, const char *metric, json_t **out) {
    static const struct db_stmt s = {
        "breaks_list",
        "SELECT id, period_start::text, reason, to_json(created_at) #>> '{}', "
        "coalesce(created_by::text, '') FROM series_breaks WHERE metric = $1 "
        "ORDER BY period_start, id",
        1};
    const char *params[] = {metric};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "series breaks", NULL))
        return false;
    json_t *list = json_array();
    for (int i = 0; list && i < PQntuples(r); i++) {
        const char *by = PQgetvalue(r, i, 4);
        json_t *j = json_pack(
            "{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)strtoll(PQgetvalue(r, i, 0), NULL, 10),
            "period_start", PQgetvalue(r, i, 1), "reason", PQgetvalue(r, i, 2), "created_at",
            PQgetvalue(r, i, 3), "created_by", *by ? json_string(by) : json_null());
        if (!j || json_array_append_new(list, j) != 0) {
            json_decref(list);
            list = NULL;
        }
    }
    PQclear(r);
    *out = list;
    return list != NULL;
}

bool db_breaks_months(struct db_conn *db, const char *metric, int *months, int *n) {
    static const struct db_stmt s = {
        "breaks_months",
        "SELECT (extract(year FROM period_start) * 12 + extract(month FROM period_start) - 1)"
        "::int FROM series_breaks WHERE metric = $1 ORDER BY period_start LIMIT 256",
        1};
    const char *params[] = {metric};
    PGresult *r = db_exec(db, &s, params);
    *n = 0;
    if (!db_check(db, r, "series breaks", NULL))
        return false;
    for (int i = 0; i < PQntuples(r) && i < DB_BREAKS_MAX; i++)
        months[(*n)++] = atoi(PQgetvalue(r, i, 0));
    PQclear(r);
    return true;
}

bool db_breaks_all(struct db_conn *db, struct db_break_month *out, int cap, int *n) {
    static const struct db_stmt s = {
        "breaks_all",
        "SELECT metric, (extract(year FROM period_start) * 12 + extract(month FROM period_start)"
        " - 1)::int FROM series_breaks ORDER BY metric, period_start",
        0};
    PGresult *r = db_exec(db, &s, NULL);
    *n = 0;
    if (!db_check(db, r, "series breaks", NULL))
        return false;
    for (int i = 0; i < PQntuples(r) && *n < cap; i++) {
        snprintf(out[*n].metric, sizeof out[*n].metric, "%s", PQgetvalue(r, i, 0));
        out[*n].month = atoi(PQgetvalue(r, i, 1));
        (*n)++;
    }
    PQclear(r);
    return true;
}
