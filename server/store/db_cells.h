/* The breakdown tables behind figures a reader is about to see: for each figure (metric,
 * area, period start), every cell stored for it, the total included, of count metrics
 * only, so that complementary suppression can judge the whole table whatever the
 * reader's filter showed. */
#ifndef DB_CELLS_H
#define DB_CELLS_H

#include <stdbool.h>

#include "store/db.h"

struct db_figure {
    const char *metric, *area, *period_start; /* "YYYY-MM-DD" */
};

struct db_cell {
    const char *metric, *area, *period_start, *key; /* into the arena */
    double value;
};

struct db_cells {
    struct db_cell *cells; /* sorted by metric, area, period_start, key */
    int n;
    char *arena;
};

/* Reads the tables of the figures given (any order, repeats allowed), as they stood at
 * as_of (RFC 3339; NULL: the moment db_read_as_of set for this transaction, else now),
 * so a read of the past is judged on the past's tables. False when the statement failed
 * (logged) or memory ran out. */
bool db_cells_read(struct db_conn *db, const struct db_figure *figures, int n, const char *as_of,
                   struct db_cells *out);
void db_cells_free(struct db_cells *c);

/* Every category of every dimension, sorted by dimension then code: a category a table
 * lacks is one its reader cannot see, not a zero. */
struct db_categories {
    const char **dim, **code; /* into the arena */
    int n;
    char *arena;
};
bool db_cells_categories(struct db_conn *db, struct db_categories *out);
void db_categories_free(struct db_categories *c);
/* Whether the metric's unit is a count (the only unit whose cells are hidden). */
bool db_cells_metric_is_count(struct db_conn *db, const char *metric, bool *is_count);

#endif
