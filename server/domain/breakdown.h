/* Breakdowns: a map dimension -> category. The canonical key sorts the dimensions
 * ("age_band=16-24;sex=female"; "" is the total) so one cell has one key. */
#ifndef BREAKDOWN_H
#define BREAKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#define BREAKDOWN_MAX_DIMS 8

struct breakdown {
    int n;
    char dim[BREAKDOWN_MAX_DIMS][40];
    char cat[BREAKDOWN_MAX_DIMS][48];
};

/* Adds one pair; false when the map is full, a name is too long or empty, or the
 * dimension is there already. */
bool breakdown_add(struct breakdown *b, const char *dim, const char *cat);
/* Writes the canonical key (dimensions sorted); returns its length, or -1 if it did
 * not fit. */
int breakdown_key(const struct breakdown *b, char *out, size_t size);
/* Writes the dimensions alone, sorted, joined by ';' ("age_band;sex"). */
int breakdown_dims(const struct breakdown *b, char *out, size_t size);
/* Parses a query filter: "sex=female", "sex:female;age_band=16-24" (pairs) or
 * "sex", "sex,age_band" (dimensions only: every category). Sets *dims_only. */
bool breakdown_parse_filter(const char *text, struct breakdown *b, bool *dims_only);

#endif
