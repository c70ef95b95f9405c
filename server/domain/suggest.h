/* Nearest known codes for a code that is not in the catalogue ("did you mean"), by edit
 * distance over the codes passed in: pure, so the catalogue is whatever the caller holds. */
#ifndef SUGGEST_H
#define SUGGEST_H

#include <stddef.h>

#define SUGGEST_MAX 3

/* The optimal-string-alignment distance (insertions, deletions, substitutions and swaps
 * of two neighbours, each 1) between a and b, letters compared without case; any value
 * above limit is returned as limit + 1, which lets the work stop early. */
int suggest_distance(const char *a, const char *b, int limit);
/* The codes nearest to word among n codes laid out stride bytes apart from first (an
 * array of structs or of fixed-size strings): those at the least distance found, at
 * most max (up to SUGGEST_MAX) of them, in catalogue order; none beyond a distance that
 * grows with the word's length (2 up to 11 characters, 3 from 12). Returns how many were
 * written to out, which points into the codes. */
int suggest_nearest(const char *word, const char *first, int n, size_t stride, int max,
                    const char **out);

#endif
