/* Targets as stored: a value a metric should reach for an area over a window of
 * periods (kept as start dates), with optional milestones. */
#ifndef STORE_DB_TARGETS_H
#define STORE_DB_TARGETS_H

#include <jansson.h>
#include <stdbool.h>

#include "store/db.h"

/* Targets as {id, metric, area, start, end, value, basis, baseline, amber_within,
 * milestones: [{period, value}], source, note, created_at}, periods written in the
 * metric's frequency; metric and area filter when not NULL. */
bool db_targets_list(struct db_conn *db, const char *metric, const char *area, json_t **items);

/* What the catalogue says of a target's metric and area. */
struct db_target_names {
    bool metric_known, area_known;
    char frequency[16], kind[16]; /* the metric's, when known */
};
bool db_target_names(struct db_conn *db, const char *metric, const char *area,
                     struct db_target_names *out, struct db_error *e);

struct db_target_new {
    const char *metric, *area, *start, *end; /* start and end as dates */
    const char *value, *basis, *baseline, *amber, *source, *note;
    json_t *milestones; /* [{"start": date, "value": numeric text}] */
};
/* Inserts a target with its milestones; id is the new target's, or "" when one for the
 * same metric, area and window exists, its id then in existing. */
bool db_target_insert(struct db_conn *db, const struct db_target_new *t, char id[32],
                      char existing[32], struct db_error *e);
/* One target as db_targets_list shows it; *out is the caller's. */
bool db_target_get(struct db_conn *db, const char *id, json_t **out, struct db_error *e);

#endif
