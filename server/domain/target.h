/* Targets: the trajectory a figure should follow from a baseline at the start period to
 * the target value at the end period (straight, or piecewise through milestones), the
 * percentages of target and of trajectory, and the red/amber/green rating. Pure. */
#ifndef TARGET_H
#define TARGET_H

#include <stdbool.h>

#define TARGET_MAX_MILESTONES 64

enum target_rag { TARGET_GREEN, TARGET_AMBER, TARGET_RED };

struct target_milestone {
    int month; /* period_month_index of the milestone's period */
    double value;
};

struct target {
    int start, end;      /* month indexes of the first and the last period of the window */
    double baseline;     /* the trajectory's value at start */
    double value;        /* the target, reached at end */
    double amber_within; /* amber down to this fraction below the trajectory (0.10) */
    bool lower_is_better;
    int nmilestones; /* sorted by month, strictly inside (start, end); others ignored */
    struct target_milestone milestones[TARGET_MAX_MILESTONES];
};

/* The trajectory's value at a month: the baseline up to start, the target from end on,
 * linear in months between the knots (start, baseline), milestones..., (end, value). */
double target_expected_at(const struct target *t, int month);
/* Green when the actual is on or beyond the trajectory (above it, or below it for
 * lower_is_better); amber when short of it by no more than amber_within of the
 * trajectory's size; red further off. */
enum target_rag target_rag(const struct target *t, double actual, double expected);
const char *target_rag_name(enum target_rag rag);
/* 100 * part / whole; false when whole is 0 (no percentage to give). */
bool target_percent(double part, double whole, double *out);
/* Rounds half away from zero to the given number of decimals (0..9). */
double target_round(double v, int decimals);
/* Sorts milestones by month and drops those outside (start, end) or repeated. */
void target_normalise(struct target *t);

#endif
