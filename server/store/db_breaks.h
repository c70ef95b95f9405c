/* Breaks in a metric's series (series_breaks): the periods from which statistical process
 * control starts again. All their SQL. */
#ifndef DB_BREAKS_H
#define DB_BREAKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/period.h"

struct db_conn;

#define DB_BREAKS_MAX 256 /* breaks read per metric: far above any real series */

struct db_error;

/* Adds a break at period_start ("YYYY-MM-DD") inside the caller's write transaction; id
 * and created_at get its id and time (RFC 3339) as text. key_id is the admin key that
 * made it (may be NULL). false with *e filled when refused: SQLSTATE 23505 for a break
 * the metric has at that period already, 23503 for no such metric. */
bool db_breaks_insert(struct db_conn *db, const char *metric, const char *period_start,
                      const char *reason, const char *key_id, char *id, size_t id_size,
                      char *created_at, size_t created_size, struct db_error *e);
/* Whether the metric exists (*known) and its frequency. false when the read failed. */
bool db_breaks_metric_frequency(struct db_conn *db, const char *metric, bool *known,
                                enum period_freq *freq);
/* The metric's breaks, oldest first, as {id, period_start, reason, created_at, created_by}
 * objects (period_start as "YYYY-MM-DD": the caller writes it as a period of the
 * metric's frequency). false when the read failed (logged). */
bool db_breaks_list(struct db_conn *db, const char *metric, json_t **out);
/* The month indexes (year * 12 + month - 1) of the metric's breaks, ascending, at most
 * DB_BREAKS_MAX of them. false when the read failed (logged). */
bool db_breaks_months(struct db_conn *db, const char *metric, int *months, int *n);

struct db_break_month {
    char metric[72];
    int month;
};
/* Every metric's breaks (at most cap), by metric then period: for the board view, which
 * judges many metrics in one snapshot. false when the read failed (logged). */
bool db_breaks_all(struct db_conn *db, struct db_break_month *out, int cap, int *n);

#endif
