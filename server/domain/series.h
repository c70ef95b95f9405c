/* One metric's figures as a table by area and period, and one area's series read from
 * it: each period's own figure or a total derived from members (whole or partial),
 * a rate from its parts, running sums of a flow, small counts hidden, and the trend,
 * the change and the total to date over whole figures only. Pure: the store hands in
 * plain rows; the handlers turn the answers into JSON. */
#ifndef SERIES_H
#define SERIES_H

#include <stdbool.h>

#include "geo.h"
#include "metric.h"
#include "trend.h"

/* One figure as read: metric points at the caller's code (one of those asked for),
 * area indexes the geo, month is the period's start month. */
struct obs_row {
    const char *metric;
    int area, month;
    double value, lower, upper;
    bool has_lower, has_upper, final, estimated;
};

struct obs_cell {
    bool has, final, estimated, has_lower, has_upper;
    /* hidden from this reader besides the small counts: a cell complementary suppression
     * hides to protect another of its table (the caller marks them after building) */
    bool hidden;
    double value, lower, upper;
};

/* One metric's figures (k = 0), and for a rate its numerator's (1) and denominator's
 * (2), as dense tables [area][period column]. */
struct obs_set {
    int nareas, nmonths;
    int *months; /* ascending month indexes of the columns */
    struct obs_cell *cells[3];
};

/* Builds the set for metric m from rows (of m and its parts; others are skipped).
 * false when memory runs out (s is then empty). */
bool obs_set_build(struct obs_set *s, const struct geo *g, const struct metric *m,
                   const struct obs_row *rows, int nrows);
void obs_set_free(struct obs_set *s);

struct point {
    int month;
    double value; /* as shown: the figure, or its running sum when cumulative */
    double per;   /* the period's own figure (trend and targets use this) */
    bool derived, complete, final, suppressed;
    bool estimated; /* an own figure marked estimated (a derived total never is) */
    bool whole;     /* per is a whole figure: own, or derived with no member missing */
    bool has_lower, has_upper;
    double lower, upper;
    const char *ci_method; /* "given" (sent with the figure), "wilson" (from its counts), NULL */
    int nmembers, nmissing;
    int *members, *missing; /* area indexes, ascending, into the series' arena */
};

struct series {
    int n;
    struct point *pts;
    int *arena;
};

struct series_opts {
    bool cumulative; /* a flow's running sum since its first figure */
    bool hide_small; /* an open read of a breakdown cell: hide counts 1..small_max */
    int small_max;
};

/* Every period with a figure for the area (own or derived), ascending. false when
 * memory runs out (out is then empty). */
bool series_build(struct series *out, const struct geo *g, const struct metric *m,
                  const struct obs_set *s, int area, const struct series_opts *o);
void series_free(struct series *s);
/* The trend over the whole, visible figures among the points [lo, hi); TREND_NONE
 * below TREND_POINTS of them (or when memory runs out). */
enum trend_label series_trend(const struct metric *m, const struct series *s, int lo, int hi);
/* The change from the one-before-last point to the last, rounded; false unless both
 * are whole figures (a change from a partial sum would pass it as whole). */
bool series_change(const struct metric *m, const struct series *s, double *out);
/* The total to date: a flow's sum over every point, only when every one is whole and
 * no period is missing; a stock's latest whole figure; a rate has none. */
bool series_total_to_date(const struct metric *m, const struct series *s, double *out);

#endif
