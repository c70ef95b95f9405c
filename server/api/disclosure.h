/* Disclosure control for open reads: which cells of the figures about to be shown must
 * be hidden. The small counts (1 to WELLBEING_SMALL_COUNT) of breakdown cells, and then,
 * by complementary suppression over each figure's whole table (domain/suppress), enough
 * further cells that none of those can be worked out by subtraction, whatever filter the
 * reader used. Totals are shown whatever their size unless hiding one is the only way
 * to protect a cell. */
#ifndef API_DISCLOSURE_H
#define API_DISCLOSURE_H

#include <jansson.h>
#include <stdbool.h>

#include "store/db.h"
#include "store/db_cells.h"

struct disclosure {
    char **hidden; /* "metric\x1farea\x1fperiod_start\x1fkey", sorted */
    int n;
};

/* Judges the tables of the figures given, as they stood at as_of (db_cells_read; NULL:
 * the transaction's moment, else now); false when they could not be read (the caller
 * answers api_db_failed). */
bool disclosure_build(struct db_conn *db, const struct db_figure *figures, int n, int small_max,
                      const char *as_of, struct disclosure *out);
bool disclosure_hidden(const struct disclosure *d, const char *metric, const char *area,
                       const char *period_start, const char *key);
void disclosure_free(struct disclosure *d);
/* The same for rows as answered ({"metric", "area", "period": "2019-01", "breakdown":
 * {...}, "value", ...}, a JSON array): the cells to hide get value, lower and upper null
 * and suppressed: true. False when the tables could not be read. */
bool disclosure_apply_items(struct db_conn *db, json_t *items, int small_max, const char *as_of);
/* The same for changes ({"metric", "area", "period", "breakdown", "old_value",
 * "new_value", ...}): a count cell's values are nulled, with suppressed: true, when
 * either is a small count or the cell is hidden now. False when the tables could not
 * be read. */
bool disclosure_apply_changes(struct db_conn *db, json_t *items, int small_max);

#endif
