/* Oversight queries. Completeness and lateness are judged in the database, in UK
 * dates, so the answer does not depend on the server's time zone. */
#include "store/db_oversight.h"

#include "store/db.h"
#include "store/db_json.h"

/* Completeness from return schedules only (a grant says what a partner may send, a
 * schedule what it owes): each schedule of a metric of the period's frequency is due on
 * its own day of the month after the period ends. Received: the cell holds a total, and
 * history shows the scheduled partner wrote it (a return is credited to the partner that
 * sent it); received_at is that partner's first write. */
static const struct db_stmt st_completeness = {
    "completeness_items",
    "WITH due AS (\n"
    "  SELECT rs.partner, rs.metric, rs.area,\n"
    "         ($3 || '-01')::date + rs.due_day - 1 AS due_date\n"
    "    FROM return_schedules rs\n"
    "    JOIN metrics m ON m.code = rs.metric\n"
    "   WHERE m.active\n"
    "     AND m.frequency = $2\n"
    "     AND ($4::text IS NULL OR rs.partner = $4)),\n"
    "got AS (\n"
    "  SELECT d.*,\n"
    "         (SELECT min(h.changed_at)\n"
    "            FROM observation_history h\n"
    "           WHERE h.metric = d.metric AND h.area = d.area AND h.breakdown_key = ''\n"
    "             AND h.period_start = $1::date AND h.partner = d.partner\n"
    "             AND h.action <> 'delete') AS at,\n"
    "         EXISTS (SELECT 1\n"
    "                   FROM observations o\n"
    "                  WHERE o.metric = d.metric AND o.area = d.area\n"
    "                    AND o.breakdown_key = '' AND o.period_start = $1::date) AS present\n"
    "    FROM due d)\n"
    "SELECT g.partner,\n"
    "       g.metric,\n"
    "       g.area,\n"
    "       g.present AND g.at IS NOT NULL,\n"
    "       CASE WHEN g.present AND g.at IS NOT NULL\n"
    "            THEN (g.at AT TIME ZONE 'Europe/London')::date > g.due_date\n"
    "            ELSE (now() AT TIME ZONE 'Europe/London')::date > g.due_date END,\n"
    "       CASE WHEN g.present AND g.at IS NOT NULL\n"
    "            THEN to_char(g.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') END,\n"
    "       to_char(g.due_date, 'YYYY-MM-DD')\n"
    "  FROM got g\n"
    " ORDER BY g.partner, g.metric, g.area",
    4};
static const struct db_stmt st_usage_days = {"usage_days",
                                             "SELECT metric,\n"
                                             "       day::text,\n"
                                             "       reads\n"
                                             "  FROM metric_reads\n"
                                             " WHERE ($1::date IS NULL OR day >= $1::date)\n"
                                             "   AND ($2::date IS NULL OR day < $2::date)\n"
                                             "   AND ($3::text IS NULL OR metric = $3)\n"
                                             " ORDER BY day, metric",
                                             3};
static const struct db_stmt st_usage_totals = {"usage_totals",
                                               "SELECT metric,\n"
                                               "       sum(reads)::bigint\n"
                                               "  FROM metric_reads\n"
                                               " WHERE ($1::date IS NULL OR day >= $1::date)\n"
                                               "   AND ($2::date IS NULL OR day < $2::date)\n"
                                               "   AND ($3::text IS NULL OR metric = $3)\n"
                                               " GROUP BY metric\n"
                                               " ORDER BY 2 DESC, metric",
                                               3};
static const struct db_stmt st_add_reads = {
    "usage_add",
    "INSERT INTO metric_reads (metric, day, reads)\n"
    "SELECT u.metric, u.day::date, u.reads\n"
    "  FROM json_to_recordset($1::json) AS u(metric text, day text, reads bigint)\n"
    "  JOIN metrics m ON m.code = u.metric\n"
    "    ON CONFLICT (metric, day) DO UPDATE SET reads = metric_reads.reads + excluded.reads",
    1};
static const struct db_stmt st_ping = {"readyz_ping", "SELECT 1", 0};

static json_t *completeness_json(PGresult *r, int i);
static json_t *usage_day_json(PGresult *r, int i);
static json_t *usage_total_json(PGresult *r, int i);

static json_t *completeness_json(PGresult *r, int i) {
    return json_pack("{s:o, s:o, s:o, s:o, s:b, s:b, s:o}", "partner", db_json_text(r, i, 0),
                     "metric", db_json_text(r, i, 1), "area", db_json_text(r, i, 2), "due_date",
                     db_json_text(r, i, 6), "received", db_json_bool(r, i, 3), "late",
                     db_json_bool(r, i, 4), "received_at", db_json_text(r, i, 5));
}

bool db_oversight_completeness(struct db_conn *db, const struct db_completeness *q, json_t **items,
                               int *received, int *late) {
    *items = NULL;
    *received = *late = 0;
    const char *params[] = {q->start, q->frequency, q->due_month, q->partner};
    PGresult *r = db_exec(db, &st_completeness, params);
    if (!db_check(db, r, "completeness", NULL))
        return false;
    for (int i = 0; i < PQntuples(r); i++) {
        *received += db_json_bool(r, i, 3);
        *late += db_json_bool(r, i, 4);
    }
    *items = db_json_list(db, r, completeness_json);
    PQclear(r);
    return *items != NULL;
}

static json_t *usage_day_json(PGresult *r, int i) {
    return json_pack("{s:o, s:o, s:o}", "metric", db_json_text(r, i, 0), "day",
                     db_json_text(r, i, 1), "reads", db_json_number(r, i, 2));
}

static json_t *usage_total_json(PGresult *r, int i) {
    return json_pack("{s:o, s:o}", "metric", db_json_text(r, i, 0), "reads",
                     db_json_number(r, i, 1));
}

bool db_oversight_usage_days(struct db_conn *db, const char *from, const char *to,
                             const char *metric, json_t **items) {
    const char *params[] = {from, to, metric};
    return db_json_rows(db, &st_usage_days, params, "usage", usage_day_json, items);
}

bool db_oversight_usage_totals(struct db_conn *db, const char *from, const char *to,
                               const char *metric, json_t **items) {
    const char *params[] = {from, to, metric};
    return db_json_rows(db, &st_usage_totals, params, "usage", usage_total_json, items);
}

bool db_oversight_add_reads(struct db_conn *db, const char *counts) {
    const char *params[] = {counts};
    PGresult *r = db_exec(db, &st_add_reads, params);
    if (!db_check(db, r, "usage flush", NULL))
        return false;
    PQclear(r);
    return true;
}

bool db_oversight_ping(struct db_conn *db) {
    PGresult *r = db_exec(db, &st_ping, NULL);
    bool ok = db_ok(r);
    PQclear(r);
    return ok;
}
