/* Statistical process control of a series: the XmR ("plot the dots") chart of NHS
 * England's "Making Data Count", as its R implementation NHSRplotthedots defines it.
 * Limits from the average moving range, the four special-cause rules in their order of
 * precedence, the variation of the latest point and the assurance against a target.
 * Pure: the caller hands in the whole figures of a series and reads back the judgement. */
#ifndef SPC_H
#define SPC_H

#include <stdbool.h>

#include "polarity.h"

#define SPC_MIN_POINTS 12    /* fewer points give no judgement */
#define SPC_LIMIT 2.66       /* process limits at mean +- SPC_LIMIT x average moving range */
#define SPC_SCREEN 3.267     /* moving ranges this many times the average or more are left out */
#define SPC_RUN 7            /* points in a trend or a shift */
#define SPC_PROJECT_MAX 1200 /* projected_period beyond this many periods is not given */

enum spc_basis {
    SPC_BASIS_VALUE, /* the figures themselves */
    SPC_BASIS_CHANGE /* running totals: the change from the period before */
};

enum spc_rule {
    SPC_RULE_NONE,
    SPC_ABOVE_UPPER_LIMIT,
    SPC_BELOW_LOWER_LIMIT,
    SPC_TREND_INCREASING,
    SPC_TREND_DECREASING,
    SPC_TWO_OF_THREE_HIGH,
    SPC_TWO_OF_THREE_LOW,
    SPC_SHIFT_ABOVE_MEAN,
    SPC_SHIFT_BELOW_MEAN
};

enum spc_type { SPC_COMMON_CAUSE, SPC_IMPROVEMENT, SPC_CONCERN, SPC_NEUTRAL_HIGH, SPC_NEUTRAL_LOW };

enum spc_assurance {
    SPC_ASSURANCE_NONE, /* no target, a neutral metric, or no period left to reach it */
    SPC_CONSISTENT_PASS,
    SPC_CONSISTENT_FAIL,
    SPC_INCONSISTENT
};

struct spc_input {
    const int *month;    /* month indexes (period_month_index) of the whole figures, ascending */
    const double *value; /* the whole figures */
    int n;
    int step; /* months in one period of the metric: 1, 3 or 12 */
    enum spc_basis basis;
    enum polarity polarity;
    bool has_break; /* only figures from break_month on are used */
    int break_month;
    bool has_target; /* a target: its value, reached by the month index target_end */
    double target_value;
    int target_end;
    /* A value basis whose target is a total to reach (a flow's cumulative target): judged,
     * as a change basis always is, by the change per period still needed, from
     * total_so_far. For a change basis the total so far is the latest figure. */
    bool target_is_total;
    double total_so_far;
};

struct spc_point {
    int month;    /* the figure's period; for a change, the later of the two */
    double value; /* the figure, or the change */
    enum spc_rule rule;
    enum spc_type type;
    /* Working state of spc_judge (no allocation, whatever the length): the side of the
     * mean (0 on it), the trend run it belongs to (+1, -1, 0), and the tests it meets. */
    signed char side, trend;
    bool outside, close, two_of_three, shift;
};

struct spc_result {
    bool judged; /* at least SPC_MIN_POINTS points; nothing else is set when false */
    enum spc_basis basis;
    int npoints;
    double mean, average_moving_range, lower_limit, upper_limit;
    enum spc_type variation; /* the type of the latest point */
    enum spc_assurance assurance;
    bool has_required; /* a total to reach, with periods left before the target's end */
    double required_per_period;
    bool has_projected; /* a total to reach, and the mean change reaches it */
    int projected_month;
};

/* Judges the series. points must hold in->n entries; the first result->npoints are the
 * points the chart plots, each with its rule and type. A change point exists only where
 * two whole figures are one period apart. Always sets result->npoints and the points'
 * values; result->judged only with SPC_MIN_POINTS points or more. */
void spc_judge(const struct spc_input *in, struct spc_point *points, struct spc_result *result);

const char *spc_basis_name(enum spc_basis b);
const char *spc_rule_name(enum spc_rule r);
const char *spc_type_name(enum spc_type t);
/* NULL for SPC_ASSURANCE_NONE. */
const char *spc_assurance_name(enum spc_assurance a);
/* +1 for a rule that signals high values or a rise, -1 for low or a fall, 0 for none. */
int spc_rule_direction(enum spc_rule r);

#endif
