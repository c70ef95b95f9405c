/* Targets against figures. Only whole, visible figures are measured: a partial total
 * or a hidden count would give a wrong or a revealing percentage. */
#include "measure.h"

#include <string.h>

void measure_target(const struct measure_target *t, const struct metric *m, const struct series *s,
                    struct measure *ev) {
    memset(ev, 0, sizeof *ev);
    bool summed = strcmp(t->basis, "cumulative") == 0 && m->is_flow;
    int at = -1, step = period_months(m->freq);
    for (int i = 0; i < s->n; i++) {
        const struct point *p = &s->pts[i];
        if (p->month < t->t.start || p->month > t->t.end)
            continue;
        bool usable = p->whole && !p->suppressed;
        if (summed) {
            /* The sum stops before the first partial figure or missing period. */
            if (!usable || (at >= 0 && p->month - s->pts[at].month > step))
                break;
            at = i;
        } else if (usable) {
            at = i;
        }
    }
    if (at < 0)
        return;
    ev->has = true;
    ev->month = s->pts[at].month;
    if (summed) {
        /* The flow summed over the window so far. */
        double sum = 0;
        for (int i = 0; i <= at; i++)
            if (s->pts[i].month >= t->t.start)
                sum += s->pts[i].per;
        ev->actual = metric_round(m, sum);
    } else {
        /* A level, a stock (already a running total) or a rate: the figure itself. */
        ev->actual = s->pts[at].per;
    }
    ev->expected = target_expected_at(&t->t, ev->month);
    ev->has_pt = target_percent(ev->actual, t->t.value, &ev->percent_of_target);
    ev->has_pe = target_percent(ev->actual, ev->expected, &ev->percent_of_expected);
    /* Which way is better is the metric's, whatever the stored target says. */
    struct target judged = t->t;
    judged.lower_is_better = m->lower_is_better;
    ev->rag = target_rag(&judged, ev->actual, ev->expected);
}

int measure_pick(const struct measure_target *ts, int n, const char *metric, int reference) {
    int holding = -1, next = -1, ended = -1, next_start = 0;
    for (int i = 0; i < n; i++) {
        const struct target *t = &ts[i].t;
        if (strcmp(ts[i].metric, metric) != 0)
            continue;
        if (t->start <= reference && reference <= t->end) {
            if (holding < 0)
                holding = i;
        } else if (t->start > reference) {
            if (next < 0 || t->start < next_start) {
                next = i;
                next_start = t->start;
            }
        } else {
            ended = i;
        }
    }
    return holding >= 0 ? holding : next >= 0 ? next : ended;
}
