/* Target arithmetic. Months are period_month_index values, so a monthly, quarterly or
 * annual trajectory is the same straight line sampled at its own periods. */
#include "target.h"

#include <math.h>
#include <stdlib.h>

static int milestone_cmp(const void *a, const void *b);
static double lerp(int m0, double v0, int m1, double v1, int month);

static int milestone_cmp(const void *a, const void *b) {
    const struct target_milestone *x = a, *y = b;
    return (x->month > y->month) - (x->month < y->month);
}

void target_normalise(struct target *t) {
    if (t->nmilestones < 0)
        t->nmilestones = 0;
    if (t->nmilestones > TARGET_MAX_MILESTONES)
        t->nmilestones = TARGET_MAX_MILESTONES;
    qsort(t->milestones, (size_t)t->nmilestones, sizeof t->milestones[0], milestone_cmp);
    int kept = 0;
    for (int i = 0; i < t->nmilestones; i++) {
        const struct target_milestone *m = &t->milestones[i];
        if (m->month <= t->start || m->month >= t->end)
            continue;
        if (kept && t->milestones[kept - 1].month == m->month)
            continue;
        t->milestones[kept++] = *m;
    }
    t->nmilestones = kept;
}

static double lerp(int m0, double v0, int m1, double v1, int month) {
    if (m1 == m0)
        return v1;
    return v0 + (v1 - v0) * (double)(month - m0) / (double)(m1 - m0);
}

double target_expected_at(const struct target *t, int month) {
    if (month >= t->end)
        return t->value;
    if (month <= t->start)
        return t->baseline;
    int m0 = t->start;
    double v0 = t->baseline;
    for (int i = 0; i < t->nmilestones; i++) {
        const struct target_milestone *k = &t->milestones[i];
        if (month <= k->month)
            return lerp(m0, v0, k->month, k->value, month);
        m0 = k->month;
        v0 = k->value;
    }
    return lerp(m0, v0, t->end, t->value, month);
}

enum target_rag target_rag(const struct target *t, double actual, double expected) {
    /* The amber band is a fraction of the trajectory's size, so it works for a target
     * that falls (lower_is_better) or one that sits below zero. */
    double band = t->amber_within * fabs(expected);
    double shortfall = t->lower_is_better ? actual - expected : expected - actual;
    if (shortfall <= 0)
        return TARGET_GREEN;
    if (shortfall <= band)
        return TARGET_AMBER;
    return TARGET_RED;
}

const char *target_rag_name(enum target_rag rag) {
    return rag == TARGET_GREEN ? "green" : rag == TARGET_AMBER ? "amber" : "red";
}

bool target_percent(double part, double whole, double *out) {
    if (whole == 0 || !isfinite(part) || !isfinite(whole))
        return false;
    *out = 100.0 * part / whole;
    return true;
}

double target_round(double v, int decimals) {
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    double scale = pow(10.0, decimals);
    /* Scaled values are nudged by a relative epsilon so that 4201.65 (stored as
     * 4201.6499999...) rounds the way a person reading the decimal would expect. */
    double scaled = v * scale;
    double r = round(scaled + (scaled >= 0 ? 1 : -1) * fabs(scaled) * 1e-12);
    return r / scale;
}
