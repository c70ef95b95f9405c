/* XmR charts by the definitions of "Making Data Count" (NHS England) and NHSRplotthedots:
 * written from those definitions, not from their code. Each point gets at most one rule,
 * the first that holds of: outside a limit, part of a 7-point trend, a close point of a
 * 2-in-3, part of a 7-point shift. */
#include "spc.h"

#include <math.h>
#include <stddef.h>

static int build_points(const struct spc_input *in, struct spc_point *points);
static void set_limits(const struct spc_point *p, int n, struct spc_result *r);
static void classify(struct spc_point *p, int n, const struct spc_result *r, enum polarity pol);
static void mark_trends(struct spc_point *p, int n);
static enum spc_type type_of(enum spc_rule rule, enum polarity pol);
static enum spc_assurance assurance_of(double target, const struct spc_result *r,
                                       enum polarity pol);
static void change_target(const struct spc_input *in, struct spc_result *r);

/* The points the chart plots: the figures from the latest break on, or for running
 * totals the change between two figures one period apart, dated at the later one. A
 * change across the break is left out: it measures the break, not the process. */
static int build_points(const struct spc_input *in, struct spc_point *points) {
    int n = 0;
    int prev = -1;
    for (int i = 0; i < in->n; i++) {
        if (in->has_break && in->month[i] < in->break_month)
            continue;
        if (in->basis == SPC_BASIS_VALUE) {
            points[n++] = (struct spc_point){.month = in->month[i], .value = in->value[i]};
        } else {
            if (prev >= 0 && in->month[i] - in->month[prev] == in->step)
                points[n++] = (struct spc_point){.month = in->month[i],
                                                 .value = in->value[i] - in->value[prev]};
            prev = i;
        }
    }
    return n;
}

/* Mean of the points; average of the moving ranges, taken again without those of
 * SPC_SCREEN times the first average or more; the limits SPC_LIMIT averages away. */
static void set_limits(const struct spc_point *p, int n, struct spc_result *r) {
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += p[i].value;
    r->mean = sum / n;
    double mr_sum = 0;
    for (int i = 1; i < n; i++)
        mr_sum += fabs(p[i].value - p[i - 1].value);
    double amr = mr_sum / (n - 1);
    /* A flat series has every moving range 0, each "3.267 times the average or more":
     * screening would leave nothing to average, so there is nothing to screen. */
    if (amr > 0) {
        double kept = 0;
        int nkept = 0;
        for (int i = 1; i < n; i++) {
            double mr = fabs(p[i].value - p[i - 1].value);
            if (mr < SPC_SCREEN * amr) {
                kept += mr;
                nkept++;
            }
        }
        if (nkept > 0)
            amr = kept / nkept;
    }
    r->average_moving_range = amr;
    r->lower_limit = r->mean - SPC_LIMIT * amr;
    r->upper_limit = r->mean + SPC_LIMIT * amr;
}

/* p[i].trend: +1 when point i belongs to a run of SPC_RUN points each higher than the one
 * before, -1 for each lower, 0 for neither. A point that ends a rising run and starts a
 * falling one (or the reverse) takes the later run, as NHSRplotthedots does. */
static void mark_trends(struct spc_point *p, int n) {
    for (int i = 0; i < n; i++)
        p[i].trend = 0;
    for (int s = 0; s + SPC_RUN <= n; s++) {
        int dir = 0;
        bool run = true;
        for (int k = s + 1; k < s + SPC_RUN && run; k++) {
            int d = p[k].value > p[k - 1].value ? 1 : p[k].value < p[k - 1].value ? -1 : 0;
            if (d == 0 || (dir != 0 && d != dir))
                run = false;
            dir = d;
        }
        if (!run)
            continue;
        for (int k = s; k < s + SPC_RUN; k++)
            p[k].trend = (signed char)dir;
    }
}

static void classify(struct spc_point *p, int n, const struct spc_result *r, enum polarity pol) {
    double close_by = 2.0 / 3.0 * SPC_LIMIT * r->average_moving_range;
    for (int i = 0; i < n; i++) {
        double v = p[i].value;
        p[i].side = v > r->mean ? 1 : v < r->mean ? -1 : 0;
        p[i].outside = v > r->upper_limit || v < r->lower_limit;
        p[i].close = !p[i].outside && (v > r->mean + close_by || v < r->mean - close_by);
        p[i].two_of_three = p[i].shift = false;
    }
    mark_trends(p, n);
    /* 2 in 3: any 3 consecutive points all on one side with at least 2 of them close;
     * the close ones are marked. */
    for (int s = 0; s + 3 <= n; s++) {
        if (p[s].side == 0 || p[s + 1].side != p[s].side || p[s + 2].side != p[s].side)
            continue;
        if (p[s].close + p[s + 1].close + p[s + 2].close < 2)
            continue;
        for (int k = s; k < s + 3; k++)
            if (p[k].close)
                p[k].two_of_three = true;
    }
    /* Shift: SPC_RUN consecutive points on one side of the mean. */
    for (int s = 0; s + SPC_RUN <= n; s++) {
        bool run = p[s].side != 0;
        for (int k = s + 1; k < s + SPC_RUN && run; k++)
            run = p[k].side == p[s].side;
        if (run)
            for (int k = s; k < s + SPC_RUN; k++)
                p[k].shift = true;
    }
    for (int i = 0; i < n; i++) {
        enum spc_rule rule = SPC_RULE_NONE;
        if (p[i].outside)
            rule = p[i].side > 0 ? SPC_ABOVE_UPPER_LIMIT : SPC_BELOW_LOWER_LIMIT;
        else if (p[i].trend != 0)
            rule = p[i].trend > 0 ? SPC_TREND_INCREASING : SPC_TREND_DECREASING;
        else if (p[i].two_of_three)
            rule = p[i].side > 0 ? SPC_TWO_OF_THREE_HIGH : SPC_TWO_OF_THREE_LOW;
        else if (p[i].shift)
            rule = p[i].side > 0 ? SPC_SHIFT_ABOVE_MEAN : SPC_SHIFT_BELOW_MEAN;
        p[i].rule = rule;
        p[i].type = type_of(rule, pol);
    }
}

static enum spc_type type_of(enum spc_rule rule, enum polarity pol) {
    int dir = spc_rule_direction(rule);
    if (dir == 0)
        return SPC_COMMON_CAUSE;
    int good = polarity_good_direction(pol);
    if (good == 0)
        return dir > 0 ? SPC_NEUTRAL_HIGH : SPC_NEUTRAL_LOW;
    return dir == good ? SPC_IMPROVEMENT : SPC_CONCERN;
}

/* The target beyond a limit: every point the process gives is on one side of it. Past
 * the upper limit the process always falls short of it (fail when higher is better); past
 * the lower limit it always exceeds it. On a limit or between them, inconsistent. */
static enum spc_assurance assurance_of(double target, const struct spc_result *r,
                                       enum polarity pol) {
    int good = polarity_good_direction(pol);
    if (good == 0)
        return SPC_ASSURANCE_NONE;
    if (target > r->upper_limit)
        return good > 0 ? SPC_CONSISTENT_FAIL : SPC_CONSISTENT_PASS;
    if (target < r->lower_limit)
        return good > 0 ? SPC_CONSISTENT_PASS : SPC_CONSISTENT_FAIL;
    return SPC_INCONSISTENT;
}

/* For running totals the target is a total by its end: the change still needed in each
 * period left, against which the process's changes are judged, and the period in which
 * the mean change would reach it. */
static void change_target(const struct spc_input *in, struct spc_result *r) {
    double latest = in->basis == SPC_BASIS_CHANGE ? in->value[in->n - 1] : in->total_so_far;
    int latest_month = in->month[in->n - 1];
    double remaining = in->target_value - latest;
    int periods_left = (in->target_end - latest_month) / in->step;
    if (periods_left > 0) {
        r->has_required = true;
        r->required_per_period = remaining / periods_left;
        r->assurance = assurance_of(r->required_per_period, r, in->polarity);
    }
    int good = polarity_good_direction(in->polarity);
    if (remaining == 0 || (good != 0 && remaining * good < 0)) {
        /* Reached already: the latest figure is on or past the target. */
        r->has_projected = true;
        r->projected_month = latest_month;
        return;
    }
    if (r->mean == 0 || (remaining > 0) != (r->mean > 0))
        return; /* the mean change never gets there */
    double periods = ceil(remaining / r->mean - 1e-9);
    if (periods > SPC_PROJECT_MAX)
        return;
    r->has_projected = true;
    r->projected_month = latest_month + (int)periods * in->step;
}

void spc_judge(const struct spc_input *in, struct spc_point *points, struct spc_result *r) {
    *r = (struct spc_result){
        .basis = in->basis, .variation = SPC_COMMON_CAUSE, .assurance = SPC_ASSURANCE_NONE};
    r->npoints = in->n > 0 ? build_points(in, points) : 0;
    if (r->npoints < SPC_MIN_POINTS)
        return;
    r->judged = true;
    set_limits(points, r->npoints, r);
    classify(points, r->npoints, r, in->polarity);
    r->variation = points[r->npoints - 1].type;
    if (!in->has_target)
        return;
    if (in->basis == SPC_BASIS_VALUE && !in->target_is_total)
        r->assurance = assurance_of(in->target_value, r, in->polarity);
    else
        change_target(in, r);
}

const char *spc_basis_name(enum spc_basis b) {
    return b == SPC_BASIS_CHANGE ? "change" : "value";
}

const char *spc_rule_name(enum spc_rule r) {
    switch (r) {
    case SPC_ABOVE_UPPER_LIMIT:
        return "above_upper_limit";
    case SPC_BELOW_LOWER_LIMIT:
        return "below_lower_limit";
    case SPC_TREND_INCREASING:
        return "trend_increasing";
    case SPC_TREND_DECREASING:
        return "trend_decreasing";
    case SPC_TWO_OF_THREE_HIGH:
        return "two_of_three_high";
    case SPC_TWO_OF_THREE_LOW:
        return "two_of_three_low";
    case SPC_SHIFT_ABOVE_MEAN:
        return "shift_above_mean";
    case SPC_SHIFT_BELOW_MEAN:
        return "shift_below_mean";
    case SPC_RULE_NONE:
        break;
    }
    return "none";
}

const char *spc_type_name(enum spc_type t) {
    switch (t) {
    case SPC_IMPROVEMENT:
        return "special_cause_improvement";
    case SPC_CONCERN:
        return "special_cause_concern";
    case SPC_NEUTRAL_HIGH:
        return "special_cause_neutral_high";
    case SPC_NEUTRAL_LOW:
        return "special_cause_neutral_low";
    case SPC_COMMON_CAUSE:
        break;
    }
    return "common_cause";
}

const char *spc_assurance_name(enum spc_assurance a) {
    switch (a) {
    case SPC_CONSISTENT_PASS:
        return "consistent_pass";
    case SPC_CONSISTENT_FAIL:
        return "consistent_fail";
    case SPC_INCONSISTENT:
        return "inconsistent";
    case SPC_ASSURANCE_NONE:
        break;
    }
    return NULL;
}

int spc_rule_direction(enum spc_rule r) {
    switch (r) {
    case SPC_ABOVE_UPPER_LIMIT:
    case SPC_TREND_INCREASING:
    case SPC_TWO_OF_THREE_HIGH:
    case SPC_SHIFT_ABOVE_MEAN:
        return 1;
    case SPC_BELOW_LOWER_LIMIT:
    case SPC_TREND_DECREASING:
    case SPC_TWO_OF_THREE_LOW:
    case SPC_SHIFT_BELOW_MEAN:
        return -1;
    case SPC_RULE_NONE:
        break;
    }
    return 0;
}
