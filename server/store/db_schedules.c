/* Return schedules (which partner owes which figure, due when) and responsibility (who
 * may change a figure), with the completeness and reminders read from them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/strbuf.h"
#include "store/db_steward.h"
#include "store/db_steward_rows.h"

static enum steward_result rollback_with(struct db_conn *db, enum steward_result res);
static void text_array(struct strbuf *b, const char *const *items, int n);

#define SCHEDULE_JSON                                                                              \
    "json_build_object('id', s.id, 'partner', s.partner, 'metric', s.metric, 'area', s.area, "     \
    "'due_day', s.due_day, 'frequency', m.frequency, 'created_at', " STEWARD_UTC(                  \
        "s.created_at") ")"

/* The newest responsible partner of a (metric, area), as submissions judge it
 * (db_ingest_checks.c): schedule, then responsibility, then the first creator. */
#define RESPONSIBLE(metric, area)                                                                  \
    "(SELECT partner FROM (SELECT rs.partner, 1 AS pri FROM return_schedules rs WHERE "            \
    "rs.metric = " metric " AND rs.area = " area " UNION ALL SELECT fr.partner, 2 FROM "           \
    "figure_responsibility fr WHERE fr.metric = " metric " AND fr.area = " area " UNION ALL "      \
    "(SELECT h.partner, 3 FROM observation_history h WHERE h.metric = " metric                     \
    " AND h.area = " area                                                                          \
    " AND h.action = 'create' AND h.partner IS NOT NULL ORDER BY h.id LIMIT 1)) x ORDER BY "       \
    "pri LIMIT 1)"

static enum steward_result rollback_with(struct db_conn *db, enum steward_result res) {
    steward_exec(db, "ROLLBACK");
    return res;
}

/* A PostgreSQL text[] literal, every element quoted. */
static void text_array(struct strbuf *b, const char *const *items, int n) {
    strbuf_putc(b, '{');
    for (int i = 0; i < n; i++) {
        strbuf_puts(b, i ? ",\"" : "\"");
        for (const char *p = items[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                strbuf_putc(b, '\\');
            strbuf_putc(b, *p);
        }
        strbuf_putc(b, '"');
    }
    strbuf_putc(b, '}');
}

enum steward_result db_schedules_add(struct db_conn *db, const struct schedule_request *req,
                                     json_t **out, char detail[STEWARD_DETAIL]) {
    /* What is unknown or not allowed, first found: 1 partner, 2 metric, 3 an area, 4 an
     * area the partner has no grant for, 5 an area scheduled for another partner. */
    static const struct db_stmt check = {
        "schedule_check",
        "SELECT 1, $1 WHERE NOT EXISTS (SELECT 1 FROM partners WHERE code = $1) "
        "UNION ALL SELECT 2, $2 WHERE NOT EXISTS (SELECT 1 FROM metrics WHERE code = $2) "
        "UNION ALL (SELECT 3, a FROM unnest($3::text[]) a WHERE NOT EXISTS (SELECT 1 FROM areas "
        "WHERE code = a) ORDER BY a LIMIT 1) "
        "UNION ALL (SELECT 4, a FROM unnest($3::text[]) a WHERE NOT EXISTS (SELECT 1 FROM "
        "partner_grants g JOIN metrics m ON m.code = $2 WHERE g.partner = $1 AND g.area = a AND "
        "(g.metric = m.code OR g.programme = m.programme)) ORDER BY a LIMIT 1) "
        "UNION ALL (SELECT 5, rs.area || ' ' || rs.partner FROM return_schedules rs WHERE "
        "rs.metric = $2 AND rs.area = ANY ($3::text[]) AND rs.partner <> $1 ORDER BY rs.area "
        "LIMIT 1) ORDER BY 1 LIMIT 1",
        3};
    static const struct db_stmt insert = {
        "schedule_insert",
        "WITH s AS (INSERT INTO return_schedules (partner, metric, area, due_day) SELECT $1, $2, "
        "a, $4::int FROM unnest($3::text[]) a ON CONFLICT (metric, area) DO UPDATE SET due_day = "
        "excluded.due_day RETURNING *) SELECT json_build_object('partner', $1::text, 'metric', "
        "$2::text, 'due_day', $4::int, 'items', coalesce(json_agg(" SCHEDULE_JSON
        " ORDER BY s.area), '[]')) FROM s JOIN metrics m ON m.code = s.metric",
        4};
    *out = NULL;
    detail[0] = '\0';
    struct strbuf areas;
    strbuf_init(&areas);
    text_array(&areas, req->areas, req->nareas);
    char due[8];
    snprintf(due, sizeof due, "%d", req->due_day);
    const char *params[] = {req->partner, req->metric, areas.data, due};
    enum steward_result res = STEWARD_OK;
    if (!areas.data || !steward_exec(db, "BEGIN")) {
        strbuf_free(&areas);
        return db_lost(db) ? STEWARD_LOST : STEWARD_FAILED;
    }
    PGresult *r = db_exec(db, &check, params);
    if (!db_ok(r)) {
        res = rollback_with(db, steward_classify(db, r, "schedule"));
        goto done;
    }
    if (PQntuples(r) == 1) {
        int what = atoi(PQgetvalue(r, 0, 0));
        const char *v = PQgetvalue(r, 0, 1);
        if (what == 1)
            snprintf(detail, STEWARD_DETAIL, "no partner %s; GET /v1/admin/partners lists them", v);
        else if (what == 2)
            snprintf(detail, STEWARD_DETAIL, "no metric %s; GET /v1/metrics lists them", v);
        else if (what == 3)
            snprintf(detail, STEWARD_DETAIL, "no area %s; GET /v1/areas lists them", v);
        else if (what == 4)
            snprintf(detail, STEWARD_DETAIL,
                     "partner %s has no grant for %s in %s: grant it first (a schedule says "
                     "what a partner owes, a grant what it may send)",
                     req->partner, req->metric, v);
        else
            snprintf(detail, STEWARD_DETAIL,
                     "%s in %.9s is scheduled for partner %s already: delete that schedule or "
                     "hand the figure over",
                     req->metric, v, v + strcspn(v, " ") + (v[strcspn(v, " ")] ? 1 : 0));
        res = what <= 3 ? STEWARD_NOT_FOUND : what == 4 ? STEWARD_INVALID : STEWARD_CONFLICT;
        PQclear(r);
        rollback_with(db, res);
        goto done;
    }
    PQclear(r);
    r = db_exec(db, &insert, params);
    if (!db_ok(r)) {
        res = rollback_with(db, steward_classify(db, r, "schedule"));
        goto done;
    }
    *out = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    PQclear(r);
    if (!*out || !steward_exec(db, "COMMIT")) {
        json_decref(*out);
        *out = NULL;
        res = rollback_with(db, db_lost(db) ? STEWARD_LOST : STEWARD_FAILED);
    }
done:
    strbuf_free(&areas);
    return res;
}

bool db_schedules_list(struct db_conn *db, const char *partner, json_t **items) {
    static const struct db_stmt s = {
        "schedule_list",
        "SELECT CASE WHEN $1::text IS NULL OR EXISTS (SELECT 1 FROM partners WHERE code = $1) "
        "THEN coalesce(json_agg(" SCHEDULE_JSON " ORDER BY s.partner, s.metric, s.area), '[]') "
        "ELSE 'null' END FROM return_schedules s JOIN metrics m ON m.code = s.metric WHERE "
        "$1::text IS NULL OR s.partner = $1",
        1};
    const char *params[] = {partner};
    return steward_json(db, &s, params, "schedules", items);
}

bool db_schedules_of(struct db_conn *db, const char *partner, json_t **items) {
    return db_schedules_list(db, partner, items);
}

int db_schedules_delete(struct db_conn *db, const char *partner, const char *id) {
    static const struct db_stmt s = {
        "schedule_delete",
        "DELETE FROM return_schedules WHERE id = $2::bigint AND partner = $1 RETURNING 1", 2};
    const char *params[] = {partner, id};
    PGresult *r = db_exec(db, &s, params);
    if (!db_ok(r)) {
        db_log_failure("schedule delete", r);
        PQclear(r);
        return -1;
    }
    int n = PQntuples(r);
    PQclear(r);
    return n > 0;
}

enum steward_result db_responsibility_hand_over(struct db_conn *db, const char *metric,
                                                const char *area, const char *to,
                                                const char *key_id, const char *reason,
                                                json_t **out, char detail[STEWARD_DETAIL]) {
    static const struct db_stmt check = {
        "handover_check",
        "SELECT EXISTS (SELECT 1 FROM partners WHERE code = $3), EXISTS (SELECT 1 FROM metrics "
        "WHERE code = $1), EXISTS (SELECT 1 FROM areas WHERE code = $2), " RESPONSIBLE(
            "$1", "$2") ", EXISTS (SELECT 1 FROM return_schedules WHERE metric = $1 AND area = $2)",
        3};
    static const struct db_stmt move_schedule = {
        "handover_schedule",
        "UPDATE return_schedules SET partner = $3 WHERE metric = $1 AND area = $2", 3};
    static const struct db_stmt set_owner = {
        "handover_owner",
        "INSERT INTO figure_responsibility (metric, area, partner, basis, since) VALUES ($1, $2, "
        "$3, 'handed_over', now()) ON CONFLICT (metric, area) DO UPDATE SET partner = "
        "excluded.partner, basis = 'handed_over', since = now()",
        3};
    static const struct db_stmt log = {
        "handover_log",
        "WITH h AS (INSERT INTO responsibility_handovers (metric, area, from_partner, to_partner, "
        "api_key, reason) VALUES ($1, $2, $4, $3, $5::uuid, $6) RETURNING *) SELECT "
        "json_build_object('metric', h.metric, 'area', h.area, 'from', h.from_partner, 'to', "
        "h.to_partner, 'basis', CASE WHEN $7::bool THEN 'schedule' ELSE 'handed_over' END, "
        "'reason', h.reason, 'handed_at', " STEWARD_UTC("h.handed_at") ") FROM h",
        7};
    *out = NULL;
    detail[0] = '\0';
    if (!steward_exec(db, "BEGIN"))
        return db_lost(db) ? STEWARD_LOST : STEWARD_FAILED;
    const char *cp[] = {metric, area, to};
    PGresult *r = db_exec(db, &check, cp);
    if (!db_ok(r))
        return rollback_with(db, steward_classify(db, r, "hand-over"));
    bool partner_ok = PQgetvalue(r, 0, 0)[0] == 't', metric_ok = PQgetvalue(r, 0, 1)[0] == 't',
         area_ok = PQgetvalue(r, 0, 2)[0] == 't', scheduled = PQgetvalue(r, 0, 4)[0] == 't';
    char from[80] = "";
    bool has_from = !PQgetisnull(r, 0, 3);
    if (has_from)
        snprintf(from, sizeof from, "%s", PQgetvalue(r, 0, 3));
    PQclear(r);
    if (!partner_ok || !metric_ok || !area_ok) {
        snprintf(detail, STEWARD_DETAIL, "no %s %s",
                 !partner_ok  ? "partner"
                 : !metric_ok ? "metric"
                              : "area",
                 !partner_ok  ? to
                 : !metric_ok ? metric
                              : area);
        return rollback_with(db, STEWARD_NOT_FOUND);
    }
    if (has_from && strcmp(from, to) == 0) {
        snprintf(detail, STEWARD_DETAIL, "partner %s is responsible for %s in %s already", to,
                 metric, area);
        return rollback_with(db, STEWARD_CONFLICT);
    }
    r = db_exec(db, scheduled ? &move_schedule : &set_owner, cp);
    if (!db_ok(r)) {
        enum steward_result res = steward_classify(db, r, "hand-over");
        if (res == STEWARD_INVALID)
            snprintf(detail, STEWARD_DETAIL,
                     "partner %s has no grant for %s in %s: grant it first, then hand over", to,
                     metric, area);
        return rollback_with(db, res);
    }
    PQclear(r);
    const char *lp[] = {
        metric, area, to, has_from ? from : NULL, key_id, reason, scheduled ? "true" : "false"};
    r = db_exec(db, &log, lp);
    if (!db_ok(r))
        return rollback_with(db, steward_classify(db, r, "hand-over"));
    *out = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    PQclear(r);
    if (!*out || !steward_exec(db, "COMMIT")) {
        json_decref(*out);
        *out = NULL;
        return rollback_with(db, db_lost(db) ? STEWARD_LOST : STEWARD_FAILED);
    }
    return STEWARD_OK;
}

bool db_responsibility_list(struct db_conn *db, const char *metric, const char *area,
                            json_t **items) {
    static const struct db_stmt s = {
        "responsibility_list",
        "WITH pairs AS (SELECT metric, area FROM return_schedules UNION SELECT metric, area FROM "
        "figure_responsibility UNION SELECT DISTINCT metric, area FROM observations) "
        "SELECT coalesce(json_agg(json_build_object('metric', p.metric, 'area', p.area, "
        "'partner', x.partner, 'basis', x.basis) ORDER BY p.metric, p.area), '[]') FROM pairs p "
        "JOIN LATERAL (SELECT partner, basis FROM (SELECT rs.partner, 'schedule' AS basis, 1 AS "
        "pri FROM return_schedules rs WHERE rs.metric = p.metric AND rs.area = p.area UNION ALL "
        "SELECT fr.partner, fr.basis, 2 FROM figure_responsibility fr WHERE fr.metric = p.metric "
        "AND fr.area = p.area UNION ALL (SELECT h.partner, 'first_write', 3 FROM "
        "observation_history h WHERE h.metric = p.metric AND h.area = p.area AND h.action = "
        "'create' AND h.partner IS NOT NULL ORDER BY h.id LIMIT 1)) y ORDER BY pri LIMIT 1) x ON "
        "true WHERE ($1::text IS NULL OR p.metric = $1) AND ($2::text IS NULL OR p.area = $2)",
        2};
    const char *params[] = {metric, area};
    return steward_json(db, &s, params, "responsibility", items);
}

/* Received: the cell holds a total, and history shows this partner wrote it; received_at
 * is its first such write. */
bool db_returns_received(struct db_conn *db, const char *partner, const char *metrics,
                         const char *areas, const char *starts, json_t **items) {
    static const struct db_stmt s = {
        "returns_received",
        "SELECT coalesce(json_agg(json_build_object('metric', c.metric, 'area', c.area, "
        "'period_start', c.start, 'received_at', " STEWARD_UTC(
            "c.at") ")), '[]') FROM (SELECT "
                    "q.metric, q.area, q.start, (SELECT min(h.changed_at) FROM observation_history "
                    "h WHERE "
                    "h.metric = q.metric AND h.area = q.area AND h.breakdown_key = '' AND "
                    "h.period_start = "
                    "q.start::date AND h.partner = $1 AND h.action <> 'delete') AS at FROM "
                    "unnest($2::text[], "
                    "$3::text[], $4::text[]) AS q (metric, area, start) WHERE EXISTS (SELECT 1 "
                    "FROM "
                    "observations o WHERE o.metric = q.metric AND o.area = q.area AND "
                    "o.breakdown_key = '' "
                    "AND o.period_start = q.start::date)) c WHERE c.at IS NOT NULL",
        4};
    const char *params[] = {partner, metrics, areas, starts};
    return steward_json(db, &s, params, "returns received", items);
}
