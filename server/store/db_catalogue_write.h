/* The catalogue as an admin writes it: metrics with their dimensions, areas with
 * their memberships. Each PUT replaces the whole thing in the caller's transaction. */
#ifndef STORE_DB_CATALOGUE_WRITE_H
#define STORE_DB_CATALOGUE_WRITE_H

#include <jansson.h>
#include <stdbool.h>

#include "store/db.h"

/* What the catalogue says of the names a metric refers to. */
struct db_metric_names {
    bool programme_known, numerator_known, denominator_known; /* true when not given */
    json_t *unknown_dimensions; /* indexes into the dimensions given; the caller's */
};
bool db_metric_names(struct db_conn *db, const char *programme, const char *numerator,
                     const char *denominator, json_t *dimensions, struct db_metric_names *out,
                     struct db_error *e);

/* The metric as stored, held (FOR UPDATE) until the transaction ends. */
struct db_metric_current {
    bool exists;
    char unit[16], frequency[16], kind[16];
    bool in_use;               /* it holds figures, targets or locks */
    char dropped_figures[256]; /* dimensions its figures use that are not in the new list */
};
bool db_metric_current(struct db_conn *db, const char *code, json_t *dimensions,
                       struct db_metric_current *out, struct db_error *e);

struct db_metric_row {
    const char *code, *programme, *name, *description, *unit, *frequency, *kind, *polarity;
    const char *decimals, *source, *active, *headline, *sort_order; /* as text */
    const char *numerator, *denominator, *confidence;
    json_t *dimensions; /* dimension codes */
};
/* Inserts or replaces the metric and its dimensions; *created when it is new. */
bool db_metric_put(struct db_conn *db, const struct db_metric_row *m, bool *created,
                   struct db_error *e);

/* The indexes of parents ([{code, ...}]) naming an area that does not exist. */
bool db_area_unknown_parents(struct db_conn *db, json_t *parents, json_t **unknown,
                             struct db_error *e);
/* Inserts or replaces the area and its memberships; *created when it is new, *loops
 * when the memberships would make it its own ancestor (the caller rolls back). */
bool db_area_put(struct db_conn *db, const char *code, const char *name, const char *type,
                 json_t *parents, bool *created, bool *loops, struct db_error *e);
/* The area as {code, name, type, parents: [{code, name, role, from, to}]}. */
bool db_area_get(struct db_conn *db, const char *code, json_t **out, struct db_error *e);

#endif
