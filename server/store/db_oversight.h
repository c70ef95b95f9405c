/* What the board and the operators watch: completeness of partners' returns, reads per
 * metric, and whether the database answers. Lists come as JSON arrays the caller owns
 * (json_decref); every function answers false after logging (a failed query, db_lost
 * tells whether the link went; or memory, db_note_no_memory). */
#ifndef DB_OVERSIGHT_H
#define DB_OVERSIGHT_H

#include <jansson.h>
#include <stdbool.h>

struct db_conn;

struct db_completeness {
    const char *start;     /* the period's first day, "2019-02-01" */
    const char *frequency; /* the metrics it picks: monthly, quarterly, annual */
    const char *due_month; /* the month after the period, "2019-03": schedules' due days */
    const char *partner;   /* one partner, or NULL for all */
};
/* {partner, metric, area, due_date, received, late, received_at} per scheduled figure
 * (return_schedules), with counts. */
bool db_oversight_completeness(struct db_conn *db, const struct db_completeness *q, json_t **items,
                               int *received, int *late);

/* Days and metric as bounds: from inclusive, to exclusive, each NULL for open. */
/* {metric, day, reads} by day then metric. */
bool db_oversight_usage_days(struct db_conn *db, const char *from, const char *to,
                             const char *metric, json_t **items);
/* {metric, reads} summed over the range, most read first. */
bool db_oversight_usage_totals(struct db_conn *db, const char *from, const char *to,
                               const char *metric, json_t **items);
/* Adds counts ([{metric, day, reads}] as JSON text) to the stored ones; counts of a
 * metric the catalogue lacks are dropped. */
bool db_oversight_add_reads(struct db_conn *db, const char *counts);

/* One trivial query: true when the database answers. */
bool db_oversight_ping(struct db_conn *db);

#endif
