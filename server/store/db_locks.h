/* Period locks as stored: a programme's month or a metric's period, kept as the start
 * date of its period and read back as the period given. */
#ifndef STORE_DB_LOCKS_H
#define STORE_DB_LOCKS_H

#include <jansson.h>
#include <stdbool.h>

#include "store/db.h"

/* Locks as {id, programme | metric, period, created_at, created_by}, newest period
 * first; programme and metric filter when not NULL. *items is the caller's. */
bool db_locks_list(struct db_conn *db, const char *programme, const char *metric, json_t **items);
/* The frequency of the metric, or "" for a known programme; *known false when the
 * one named does not exist. */
bool db_lock_frequency(struct db_conn *db, const char *programme, const char *metric, bool *known,
                       char frequency[16], struct db_error *e);
/* Inserts a lock (start: the period's start date); id is the new lock's, or "" when that
 * lock exists already, its id then in existing. */
bool db_lock_insert(struct db_conn *db, const char *programme, const char *metric,
                    const char *start, const char *key_id, char id[32], char existing[32],
                    struct db_error *e);
/* One lock as db_locks_list shows it; *out is the caller's. */
bool db_lock_get(struct db_conn *db, const char *id, json_t **out, struct db_error *e);
bool db_lock_delete(struct db_conn *db, const char *id, bool *found, struct db_error *e);

#endif
