/* Rules across figures, checked over a batch together with the figures already stored
 * for the same areas and periods (DHIS2's validation rules): a numerator above its
 * denominator, breakdown cells of one dimension adding up to more than their total, and
 * admin rules "left op right" between two metrics. Pure: figures come in as an array. */
#ifndef CROSSCHECK_H
#define CROSSCHECK_H

#include <stdbool.h>
#include <stddef.h>

/* One figure: from the batch (row >= 0, the row that sent it) or stored (row -1). The
 * caller leaves out stored figures that the batch replaces or withdraws, and the
 * batch's withdrawals. Strings are borrowed. */
struct crosscheck_figure {
    const char *metric;
    const char *area;
    int month;        /* period_month_index of the period's start */
    const char *bkey; /* canonical breakdown key, "" for the total */
    double value;
    long row;
};

/* A rate's two counts: the numerator may never exceed the denominator. */
struct crosscheck_ratio {
    const char *numerator, *denominator;
};

enum crosscheck_op { CROSSCHECK_LE, CROSSCHECK_EQ, CROSSCHECK_GE };

struct crosscheck_rule {
    const char *name;
    const char *left, *right; /* metric codes */
    enum crosscheck_op op;
    bool error; /* false: a warning */
};

/* One broken rule, reported against the batch row it involves (the left or numerator
 * or total figure when that came in the batch, else the first batch figure involved).
 * code: exceeds_denominator, breakdown_exceeds_total or rule_violated; rule: the admin
 * rule's name, else NULL. */
struct crosscheck_finding {
    long row;
    const char *code;
    const char *rule;
    bool error;
    char message[300];
};

typedef void (*crosscheck_emit)(void *ctx, const struct crosscheck_finding *f);

/* Sorts figs in place and calls emit for every broken rule that involves at least one
 * batch figure (what is stored already is not the batch's fault). Returns the number
 * of findings that are errors. */
long crosscheck_run(struct crosscheck_figure *figs, size_t n, const struct crosscheck_ratio *ratios,
                    int nratios, const struct crosscheck_rule *rules, int nrules,
                    crosscheck_emit emit, void *ctx);
/* "<=", "==", ">=" to an op; false for anything else. */
bool crosscheck_op_parse(const char *text, enum crosscheck_op *out);
const char *crosscheck_op_text(enum crosscheck_op op);

#endif
