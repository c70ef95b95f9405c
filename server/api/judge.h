/* The judgements a series and a tile carry beside their figures: statistical process
 * control over the whole figures (domain/spc), the trend label read from its signals,
 * comparisons with the parent area and England (domain/compare), and a partial total
 * later than the latest whole figure, shown apart. No SQL: the caller hands in what the
 * store read (the series, the geography, the breaks, the target). */
#ifndef JUDGE_H
#define JUDGE_H

#include <jansson.h>
#include <stdbool.h>

#include "api/figures.h"
#include "domain/spc.h"

struct judge_spc {
    struct spc_result r;
    struct spc_point *points; /* r.npoints of them (owned) */
    int step;                 /* months in a period of the metric */
};

/* SPC over the whole, visible figures of s among [lo, hi), from the latest of the
 * breaks (month indexes, any order) at or before the last of them; the target t (may be
 * NULL) for assurance. false only when out of memory. */
bool judge_spc(const struct metric *m, const struct series *s, int lo, int hi, const int *breaks,
               int nbreaks, const struct measure_target *t, struct judge_spc *out);
void judge_spc_free(struct judge_spc *j);
/* The series' "spc" object, or null with fewer than SPC_MIN_POINTS points. */
json_t *judge_spc_json(const struct metric *m, const struct judge_spc *j);
/* A tile's {variation, assurance, basis, points}, or null. */
json_t *judge_spc_summary_json(const struct judge_spc *j);
/* {label, direction, rule, points} from the latest point's signal, or null. */
json_t *judge_trend_json(const struct metric *m, const struct judge_spc *j);

/* The target SPC judges against: of the targets (ordered by end), the first whose end
 * is at or after the latest whole figure of s among [lo, hi); -1 when none. */
int judge_pick_target(const struct measure_target *targets, int ntargets, const struct series *s,
                      int lo, int hi);

/* The latest whole, visible figure of s among [lo, hi): its index, or -1. */
int judge_latest_whole(const struct series *s, int lo, int hi);

/* [{area, name, period, value, verdict}] for the parent (when it has one) and England
 * (unless the area is England or England is the parent), each when it has a whole figure
 * for the period of the area's figure at index at (-1: none, an empty list). */
json_t *judge_comparison_json(const struct geo *g, const struct metric *m,
                              const struct obs_set *set, int area, const struct series_opts *o,
                              const struct series *s, int at);
/* {period, value, members, missing} for a partial total later than the latest whole
 * figure among [lo, hi), else null. */
json_t *judge_partial_latest_json(const struct geo *g, const struct metric *m,
                                  const struct series *s, int lo, int hi);

#endif
