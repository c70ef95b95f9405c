/* Comparison with a benchmark as OHID Fingertips makes it: an area's value, with its 95%
 * confidence interval, against the comparator's value (its parent area, or England).
 * Pure. */
#ifndef COMPARE_H
#define COMPARE_H

#include <stdbool.h>

#include "polarity.h"

enum compare_verdict {
    COMPARE_NOT_COMPARED, /* the area's figure has no interval */
    COMPARE_BETTER,
    COMPARE_WORSE,
    COMPARE_SIMILAR,
    COMPARE_HIGHER, /* a neutral metric: no good side, only a side */
    COMPARE_LOWER
};

/* Better (worse) when the whole interval [lower, upper] lies on the good (bad) side of
 * the comparator's value; similar when it contains the value, its ends included. A
 * neutral metric says higher or lower in place of better or worse. */
enum compare_verdict compare_verdict_of(bool has_interval, double lower, double upper,
                                        double comparator, enum polarity polarity);
const char *compare_verdict_name(enum compare_verdict v);

#endif
