/* The trend label of a series: over its last TREND_POINTS figures, whether it is
 * increasing, decreasing or showing no change, and whether that is getting better or
 * worse given the metric's polarity. Pure. */
#ifndef TREND_H
#define TREND_H

#include <stdbool.h>

#define TREND_POINTS 5       /* figures looked at, and the fewest that give a label */
#define TREND_TOLERANCE 0.01 /* a fitted change under 1% of the mean level is no change */

enum trend_label { TREND_NONE, TREND_INCREASING, TREND_DECREASING, TREND_NO_CHANGE };

/* x: the figures' positions in time (period numbers, so a gap counts), ascending;
 * y: their values. Looks at the last TREND_POINTS of the n given; TREND_NONE when n is
 * smaller. The rule: fit a least-squares line through those points; the change it
 * predicts from the first to the last of them, compared with the mean of their
 * values, is an increase or a decrease when it is at least TREND_TOLERANCE of that
 * mean's size (any change at all when the mean is 0), otherwise no change. */
enum trend_label trend_of(const double *x, const double *y, int n);
const char *trend_label_name(enum trend_label t);
/* "getting_better" / "getting_worse" / "no_change" for the metric's polarity. */
const char *trend_direction(enum trend_label t, bool lower_is_better);

#endif
