/* A metric as the read maths needs it: its codes and words as the catalogue has them,
 * and what follows from them (a rate or a flow, a count, which way is better, the
 * scale of a rate made from its parts), plus the rounding every derived figure gets.
 * Pure. */
#ifndef METRIC_H
#define METRIC_H

#include <stdbool.h>
#include <stddef.h>

#include "period.h"

struct metric {
    char code[72], name[208], programme[40], unit[16], kind[8], frequency[12], polarity[20];
    char numerator[72], denominator[72]; /* "" when none */
    char dims[256];                      /* declared dimensions, comma-separated */
    int decimals;
    int sort_order;
    enum period_freq freq;
    bool is_rate, is_flow, is_count, lower_is_better;
    double scale; /* a rate from its parts: 100 for percent, 1000 per 1000 */
};

/* Fills the fields that follow from the text ones (freq, is_rate, ..., scale). */
void metric_classify(struct metric *m);
bool metric_declares(const struct metric *m, const char *dimension);
/* A derived or computed value rounded for display: counts whole, others to the
 * metric's decimals plus two. */
double metric_round(const struct metric *m, double v);
/* Trajectories and expected values: to the metric's decimals, at least one place. */
double metric_round_expected(const struct metric *m, double v);
/* The period starting at month, in the metric's frequency ("2019-02", "2019-Q1"). */
void metric_period_text(const struct metric *m, int month, char *buf, size_t size);

#endif
