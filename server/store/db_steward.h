/* The store of issue 10's records: return schedules and responsibility (db_schedules.c),
 * admin rules across figures (db_rules.c), board snapshots and the record as it stood
 * (db_snapshots.c). Reads and writes hand back JSON, never a PGresult. */
#ifndef DB_STEWARD_H
#define DB_STEWARD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct db_conn;

/* How a write ended; detail (when given) holds a sentence a client may read. */
enum steward_result {
    STEWARD_OK,
    STEWARD_NOT_FOUND, /* a named partner, metric, area, rule or snapshot does not exist */
    STEWARD_CONFLICT,  /* it exists already, or belongs to someone else */
    STEWARD_INVALID,   /* the schema refused it (a grant missing, a check) */
    STEWARD_LOST,      /* the database went away */
    STEWARD_FAILED,    /* anything else, logged */
};

#define STEWARD_DETAIL 300

/* ---- return schedules and responsibility ---- */

struct schedule_request {
    const char *partner, *metric;
    const char *const *areas;
    int nareas;
    int due_day;
};
/* Adds one schedule row per area in one transaction; *out: the rows made. */
enum steward_result db_schedules_add(struct db_conn *db, const struct schedule_request *req,
                                     json_t **out, char detail[STEWARD_DETAIL]);
/* partner NULL: every partner's. *items is JSON null when there is no such partner. */
bool db_schedules_list(struct db_conn *db, const char *partner, json_t **items);
/* 1 deleted, 0 no such schedule of that partner, -1 failed. */
int db_schedules_delete(struct db_conn *db, const char *partner, const char *id);
/* Hands (metric, area) to partner `to`: its schedule moves, or its responsibility row is
 * set; the hand-over is kept with the reason. *out: {metric, area, from, to, basis}. */
enum steward_result db_responsibility_hand_over(struct db_conn *db, const char *metric,
                                                const char *area, const char *to,
                                                const char *key_id, const char *reason,
                                                json_t **out, char detail[STEWARD_DETAIL]);
/* Who answers for each (metric, area) with a figure or a schedule, filtered by metric and
 * area when given: [{metric, area, partner, basis}]. */
bool db_responsibility_list(struct db_conn *db, const char *metric, const char *area,
                            json_t **items);

/* A partner's schedules with their metric's frequency: [{id, metric, area, due_day,
 * frequency}]; JSON null when there is no such partner. */
bool db_schedules_of(struct db_conn *db, const char *partner, json_t **items);
/* For each (metric, area, period start) of the arrays (PostgreSQL text[] literals), when
 * the partner's own figure arrived: [{metric, area, period_start, received_at}] for those
 * received (a total in the cell, written by this partner). */
bool db_returns_received(struct db_conn *db, const char *partner, const char *metrics,
                         const char *areas, const char *starts, json_t **items);
/* ---- admin rules ---- */

struct rule_request {
    const char *name, *left, *op, *right, *severity, *description;
};
enum steward_result db_rules_add(struct db_conn *db, const struct rule_request *req, json_t **out,
                                 char detail[STEWARD_DETAIL]);
bool db_rules_list(struct db_conn *db, json_t **items);
/* 1 deleted, 0 none of that name, -1 failed. */
int db_rules_delete(struct db_conn *db, const char *name);

/* ---- snapshots and the record as it stood ---- */

/* as_of: RFC 3339 UTC text, or NULL for now (taken under the data-version lock, so every
 * write committed before is in and none after). */
enum steward_result db_snapshots_add(struct db_conn *db, const char *name, const char *as_of,
                                     const char *note, const char *key_id, json_t **out,
                                     char detail[STEWARD_DETAIL]);
bool db_snapshots_list(struct db_conn *db, json_t **items);
/* The moment a snapshot names, as RFC 3339 UTC text: 1 found, 0 none, -1 failed. */
int db_snapshots_as_of(struct db_conn *db, const char *name, char out[40]);
/* Every figure added, revised or withdrawn between two moments (RFC 3339 UTC), with its
 * value and status before and after, who changed it and why: [{change, metric, area,
 * frequency, period_start, breakdown, old_value, new_value, old_status, new_status,
 * old_note, new_note, partners, reasons, changed_at}]. */
bool db_snapshots_changes(struct db_conn *db, const char *since, const char *until, json_t **items);
/* Inside an open read transaction: every read through observations_at() sees the
 * figures as they stood at as_of (RFC 3339 UTC) until it ends. */
bool db_read_as_of(struct db_conn *db, const char *as_of);

#endif
