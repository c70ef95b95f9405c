/* A series measured against a target: which of a metric's targets applies, and the
 * latest whole figure in its window set against its trajectory (percent of target,
 * percent of expected, RAG). Pure; the arithmetic of one target is target.c's. */
#ifndef MEASURE_H
#define MEASURE_H

#include <stdbool.h>

#include "metric.h"
#include "series.h"
#include "target.h"

/* A target as the store reads it. */
struct measure_target {
    long long id;
    char metric[72];
    char basis[16]; /* "level" or "cumulative" */
    struct target t;
};

struct measure {
    bool has; /* a figure inside the window to measure */
    int month;
    double actual, expected;
    bool has_pt, has_pe;
    double percent_of_target, percent_of_expected;
    enum target_rag rag;
};

/* Measures the series against the target at its latest whole figure inside the window
 * (a total with members missing would understate progress): a level target compares
 * that figure; a cumulative target on a flow the flow's sum over the window up to it,
 * taken only as far as every period of the window has a whole figure. */
void measure_target(const struct measure_target *t, const struct metric *m, const struct series *s,
                    struct measure *ev);
/* Of the metric's targets among ts (ordered by metric, end, start), the one that
 * applies at the reference month: one whose window holds it (the soonest to end),
 * else the next to start, else the last to have ended; -1 when it has none. */
int measure_pick(const struct measure_target *ts, int n, const char *metric, int reference);

#endif
