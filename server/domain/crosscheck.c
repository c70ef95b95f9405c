/* Cross-figure checks. Figures are sorted by (area, month, metric, breakdown key), so
 * every figure a rule compares lies in one (area, month) group and is found there by
 * bisection: a 100,000-row batch costs a sort and a few searches per figure. */
#include "crosscheck.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_figure(const void *a, const void *b);
static const struct crosscheck_figure *find(const struct crosscheck_figure *lo,
                                            const struct crosscheck_figure *hi, const char *metric,
                                            const char *bkey);
static bool holds(double left, enum crosscheck_op op, double right);
static void period_text(int month, char *out, size_t size);
static void check_ratios(const struct crosscheck_figure *g, const struct crosscheck_figure *end,
                         const struct crosscheck_ratio *ratios, int nratios, crosscheck_emit emit,
                         void *ctx, long *errors);
static void check_breakdowns(const struct crosscheck_figure *g, const struct crosscheck_figure *end,
                             crosscheck_emit emit, void *ctx, long *errors);
static void check_rules(const struct crosscheck_figure *g, const struct crosscheck_figure *end,
                        const struct crosscheck_rule *rules, int nrules, crosscheck_emit emit,
                        void *ctx, long *errors);

static int cmp_figure(const void *a, const void *b) {
    const struct crosscheck_figure *x = a, *y = b;
    int d = strcmp(x->area, y->area);
    if (d)
        return d;
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    d = strcmp(x->metric, y->metric);
    return d ? d : strcmp(x->bkey, y->bkey);
}

/* The figure of metric and bkey within one (area, month) group [lo, hi). */
static const struct crosscheck_figure *find(const struct crosscheck_figure *lo,
                                            const struct crosscheck_figure *hi, const char *metric,
                                            const char *bkey) {
    while (lo < hi) {
        const struct crosscheck_figure *mid = lo + (hi - lo) / 2;
        int d = strcmp(mid->metric, metric);
        if (!d)
            d = strcmp(mid->bkey, bkey);
        if (!d)
            return mid;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Figures arrive as decimal text turned into doubles: a relative tolerance keeps 0.1 +
 * 0.2 equal to 0.3 without letting a real difference through. */
static bool holds(double left, enum crosscheck_op op, double right) {
    double tol = 1e-9 * fmax(1.0, fmax(fabs(left), fabs(right)));
    switch (op) {
    case CROSSCHECK_LE:
        return left <= right + tol;
    case CROSSCHECK_GE:
        return left + tol >= right;
    default:
        return fabs(left - right) <= tol;
    }
}

static void period_text(int month, char *out, size_t size) {
    snprintf(out, size, "%04d-%02d", month / 12, month % 12 + 1);
}

bool crosscheck_op_parse(const char *text, enum crosscheck_op *out) {
    if (!text)
        return false;
    if (strcmp(text, "<=") == 0)
        *out = CROSSCHECK_LE;
    else if (strcmp(text, "==") == 0)
        *out = CROSSCHECK_EQ;
    else if (strcmp(text, ">=") == 0)
        *out = CROSSCHECK_GE;
    else
        return false;
    return true;
}

const char *crosscheck_op_text(enum crosscheck_op op) {
    return op == CROSSCHECK_LE ? "<=" : op == CROSSCHECK_GE ? ">=" : "==";
}

static void check_ratios(const struct crosscheck_figure *g, const struct crosscheck_figure *end,
                         const struct crosscheck_ratio *ratios, int nratios, crosscheck_emit emit,
                         void *ctx, long *errors) {
    for (int r = 0; r < nratios; r++) {
        for (const struct crosscheck_figure *num = g; num < end; num++) {
            if (strcmp(num->metric, ratios[r].numerator) != 0)
                continue;
            const struct crosscheck_figure *den = find(g, end, ratios[r].denominator, num->bkey);
            if (!den || (num->row < 0 && den->row < 0) ||
                holds(num->value, CROSSCHECK_LE, den->value))
                continue;
            struct crosscheck_finding f = {.row = num->row >= 0 ? num->row : den->row,
                                           .code = "exceeds_denominator",
                                           .error = true};
            char period[16];
            period_text(num->month, period, sizeof period);
            snprintf(f.message, sizeof f.message,
                     "%s %.15g is above its denominator %s %.15g for %s %s%s%s (%s); a "
                     "numerator cannot exceed its denominator",
                     num->metric, num->value, den->metric, den->value, num->area, period,
                     num->bkey[0] ? " " : "", num->bkey,
                     den->row >= 0 ? "in this batch" : "stored");
            emit(ctx, &f);
            (*errors)++;
        }
    }
}

/* A breakdown cell of one dimension has the key "dim=cat" (no ';'). For each dimension
 * (at its first cell) the cells are summed and compared with the metric's total; cells
 * of two dimensions at once ("age_band=16-24;sex=female") are another table and left
 * alone. A metric has a handful of cells per period, so the double loop stays small. */
static void check_breakdowns(const struct crosscheck_figure *g, const struct crosscheck_figure *end,
                             crosscheck_emit emit, void *ctx, long *errors) {
    for (const struct crosscheck_figure *m = g; m < end;) {
        const struct crosscheck_figure *next = m;
        while (next < end && strcmp(next->metric, m->metric) == 0)
            next++;
        const struct crosscheck_figure *total = m->bkey[0] == '\0' ? m : NULL;
        for (const struct crosscheck_figure *c = m; total && c < next; c++) {
            size_t dl = strcspn(c->bkey, "=");
            if (!c->bkey[0] || c->bkey[dl] != '=' || strchr(c->bkey, ';'))
                continue;
            bool first = true;
            for (const struct crosscheck_figure *e = m; first && e < c; e++)
                first = !(strncmp(e->bkey, c->bkey, dl + 1) == 0 && !strchr(e->bkey, ';'));
            if (!first)
                continue;
            double sum = 0;
            long batch_row = -1;
            for (const struct crosscheck_figure *e = c; e < next; e++) {
                if (strncmp(e->bkey, c->bkey, dl + 1) != 0 || strchr(e->bkey, ';'))
                    continue;
                sum += e->value;
                if (batch_row < 0 && e->row >= 0)
                    batch_row = e->row;
            }
            if ((batch_row < 0 && total->row < 0) || holds(sum, CROSSCHECK_LE, total->value))
                continue;
            struct crosscheck_finding f = {.row = total->row >= 0 ? total->row : batch_row,
                                           .code = "breakdown_exceeds_total",
                                           .error = true};
            char period[16];
            period_text(total->month, period, sizeof period);
            snprintf(f.message, sizeof f.message,
                     "the %.*s cells of %s for %s %s add up to %.15g, more than the total "
                     "%.15g; the cells of one dimension cannot exceed their total",
                     (int)dl, c->bkey, total->metric, total->area, period, sum, total->value);
            emit(ctx, &f);
            (*errors)++;
        }
        m = next;
    }
}

static void check_rules(const struct crosscheck_figure *g, const struct crosscheck_figure *end,
                        const struct crosscheck_rule *rules, int nrules, crosscheck_emit emit,
                        void *ctx, long *errors) {
    for (int r = 0; r < nrules; r++) {
        const struct crosscheck_rule *rule = &rules[r];
        for (const struct crosscheck_figure *l = g; l < end; l++) {
            if (strcmp(l->metric, rule->left) != 0)
                continue;
            const struct crosscheck_figure *rt = find(g, end, rule->right, l->bkey);
            if (!rt || (l->row < 0 && rt->row < 0) || holds(l->value, rule->op, rt->value))
                continue;
            struct crosscheck_finding f = {.row = l->row >= 0 ? l->row : rt->row,
                                           .code = "rule_violated",
                                           .rule = rule->name,
                                           .error = rule->error};
            char period[16];
            period_text(l->month, period, sizeof period);
            snprintf(f.message, sizeof f.message,
                     "rule %s (%s %s %s) does not hold for %s %s%s%s: %.15g against %.15g (%s)",
                     rule->name, rule->left, crosscheck_op_text(rule->op), rule->right, l->area,
                     period, l->bkey[0] ? " " : "", l->bkey, l->value, rt->value,
                     l->row >= 0 && rt->row >= 0 ? "both in this batch"
                     : l->row >= 0               ? "the right one stored"
                                                 : "the left one stored");
            emit(ctx, &f);
            *errors += rule->error;
        }
    }
}

long crosscheck_run(struct crosscheck_figure *figs, size_t n, const struct crosscheck_ratio *ratios,
                    int nratios, const struct crosscheck_rule *rules, int nrules,
                    crosscheck_emit emit, void *ctx) {
    long errors = 0;
    if (n == 0)
        return 0;
    qsort(figs, n, sizeof *figs, cmp_figure);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        bool any_batch = false;
        while (j < n && figs[j].month == figs[i].month && strcmp(figs[j].area, figs[i].area) == 0)
            any_batch |= figs[j++].row >= 0;
        if (any_batch) {
            check_ratios(figs + i, figs + j, ratios, nratios, emit, ctx, &errors);
            check_breakdowns(figs + i, figs + j, emit, ctx, &errors);
            check_rules(figs + i, figs + j, rules, nrules, emit, ctx, &errors);
        }
        i = j;
    }
    return errors;
}
