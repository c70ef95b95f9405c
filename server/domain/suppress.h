/* Complementary suppression for the breakdown cells of one figure (one metric, area and
 * period): once the small counts are hidden, further cells are hidden so that no hidden
 * cell can be worked out by subtracting visible cells from their margin, nor narrowed
 * to a small sum.
 *
 * The cells form a table: each cell names a category per dimension, or SUPPRESS_ALL for
 * a margin (the total has SUPPRESS_ALL everywhere). Every margin and the cells one
 * dimension below it ("sex=female" and "sex=male" under the total; "age_band=16-24;
 * sex=female" and the other age bands under "sex=female") are a relation: the margin is
 * the sum of the cells. A cell that was not reported is an unknown the caller passes in
 * (unknown, hidden), or leaves out, which counts it as zero and errs towards hiding more;
 * a margin that was not reported is added as an unknown that still ties its cells to the
 * margins above. In each relation, among the margin and its cells:
 * - none hidden, or at least two;
 * - when the margin is visible, the hidden cells' sum (the margin less the visible
 *   cells, which anyone can work out) is more than the small-count threshold, so it
 *   does not itself tell a small count, while a visible cell is left to hide.
 * A relation whose only hidden cells are unknowns with nothing reported under them has
 * nothing to protect, unless the margin less the visible cells is a small count.
 * A relation short of these hides its smallest visible cell (the first on a tie), or,
 * to stop a lone hidden cell being derived, the margin when no cell is left; and every
 * relation is judged again until none changes.
 * Then the relations are taken together, as an attacker with linear algebra would: while
 * some hidden cell still follows from the visible ones, the smallest visible cell
 * related to it is hidden too, and the relations judged again. A cell hidden on entry
 * is never shown. */
#ifndef SUPPRESS_H
#define SUPPRESS_H

#include <stdbool.h>

#define SUPPRESS_MAX_DIMS 8
#define SUPPRESS_ALL (-1)
/* Most cells, reported and unreported margins together, judged exactly; a table past it
 * is hidden whole. */
#define SUPPRESS_MAX_WORK 4096

struct suppress_cell {
    int cat[SUPPRESS_MAX_DIMS]; /* category index per dimension, or SUPPRESS_ALL */
    double value;
    bool hidden;     /* in: a small count (primary); out: hidden either way */
    bool complement; /* out: hidden only to protect another cell */
    /* in: a cell nobody reported (a category missing from a breakdown): unknown to the
     * reader, so an unknown in its relations, but no secret to protect; pass it hidden */
    bool unknown;
};

/* Marks the small counts (1..threshold) hidden: the primary suppression. A caller that
 * publishes totals whatever their size marks its primaries itself. */
void suppress_primary(struct suppress_cell *cells, int n, double threshold);
/* Adds the complements in place; returns how many were hidden. ndims <=
 * SUPPRESS_MAX_DIMS; cells must be distinct (no two with the same categories). */
int suppress_complement(struct suppress_cell *cells, int n, int ndims, double threshold);

#endif
