/* Trend labels by a least-squares slope with a tolerance, the same test whatever the
 * metric's scale: a running total in the thousands and a percentage both need a
 * fitted change of 1% of their level before it counts. */
#include "trend.h"

#include <math.h>

enum trend_label trend_of(const double *x, const double *y, int n) {
    if (n < TREND_POINTS)
        return TREND_NONE;
    const double *px = x + (n - TREND_POINTS), *py = y + (n - TREND_POINTS);
    double mx = 0, my = 0;
    for (int i = 0; i < TREND_POINTS; i++) {
        mx += px[i];
        my += py[i];
    }
    mx /= TREND_POINTS;
    my /= TREND_POINTS;
    double sxy = 0, sxx = 0;
    for (int i = 0; i < TREND_POINTS; i++) {
        sxy += (px[i] - mx) * (py[i] - my);
        sxx += (px[i] - mx) * (px[i] - mx);
    }
    if (sxx == 0)
        return TREND_NO_CHANGE;
    double change = sxy / sxx * (px[TREND_POINTS - 1] - px[0]);
    double threshold = TREND_TOLERANCE * fabs(my);
    /* Sums of squares carry rounding noise: a flat series must not read as rising. */
    double noise = 1e-9 * (fabs(my) + 1);
    if (change >= threshold && change > noise)
        return TREND_INCREASING;
    if (-change >= threshold && -change > noise)
        return TREND_DECREASING;
    return TREND_NO_CHANGE;
}

const char *trend_label_name(enum trend_label t) {
    switch (t) {
    case TREND_INCREASING:
        return "increasing";
    case TREND_DECREASING:
        return "decreasing";
    case TREND_NO_CHANGE:
        return "no_change";
    case TREND_NONE:
        break;
    }
    return "none";
}

const char *trend_direction(enum trend_label t, bool lower_is_better) {
    if (t == TREND_INCREASING)
        return lower_is_better ? "getting_worse" : "getting_better";
    if (t == TREND_DECREASING)
        return lower_is_better ? "getting_better" : "getting_worse";
    return "no_change";
}
