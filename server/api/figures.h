/* The read model behind the series, the area comparison and the board view: the
 * geography, a metric, its figures as a table by area and period, one area's series
 * (own figures, or totals derived from members), targets measured against a series,
 * and the JSON for each. The handlers differ only in what they ask and how they
 * answer; the numbers come from here, so every route gives the same figure. */
#ifndef FIGURES_H
#define FIGURES_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/derive.h"
#include "domain/period.h"
#include "domain/target.h"
#include "domain/trend.h"
#include "http/request.h"

struct db_conn;

/* ---- a consistent snapshot ---- */

/* Checks out the database, opens a read-only REPEATABLE READ transaction (so every
 * query of one answer sees the same data) and reads its data version into *version.
 * NULL after filling rp when that fails. */
struct db_conn *figures_begin(struct request *rq, struct reply *rp, uint64_t *version);
struct cache_key;
/* The start of every cached read: fills *key from the request; a cache hit answers
 * here, otherwise figures_begin. NULL when rp is already answered (hit or failure). */
struct db_conn *figures_cached_begin(struct request *rq, struct reply *rp, struct cache_key *key,
                                     uint64_t *version);
/* Ends the snapshot (commit of a read-only transaction). */
void figures_end(struct db_conn *db);

/* ---- geography ---- */

struct geo {
    PGresult *res; /* areas: code, name, type (owned; the strings point into it) */
    int n;
    const char **code, **name, **type;
    enum derive_kind *kind;
    struct derive_edge *edges;
    int nedges;
};

bool geo_load(struct db_conn *db, struct reply *rp, struct geo *g);
void geo_free(struct geo *g);
int geo_find(const struct geo *g, const char *code);
struct derive_geo geo_derive(const struct geo *g);
/* Marks area and everything its totals may be made from (members, their parts). */
void geo_mark_tree(const struct geo *g, int area, bool *marked);

/* ---- metrics ---- */

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

/* Columns of METRIC_COLUMNS, from metrics m. */
#define METRIC_COLUMNS                                                                             \
    "m.code, m.programme, m.name, m.unit, m.kind, m.frequency, m.polarity, m.decimals, "           \
    "coalesce(m.numerator_metric, ''), coalesce(m.denominator_metric, ''), m.sort_order, "         \
    "coalesce((SELECT string_agg(d.dimension, ',' ORDER BY d.dimension) "                          \
    "FROM metric_dimensions d WHERE d.metric = m.code), '') "
void metric_from_row(PGresult *r, int row, int col, struct metric *m);
/* Loads one metric; false after a 404 (or 503/500) in rp. */
bool metric_load(struct db_conn *db, struct reply *rp, const char *code, struct metric *m);
json_t *metric_json(const struct metric *m);
bool metric_declares(const struct metric *m, const char *dimension);

/* ---- figures by area and period ---- */

struct obs_cell {
    bool has, final, has_lower, has_upper;
    double value, lower, upper;
};

/* One metric's figures (k = 0), and for a rate its numerator's (1) and denominator's
 * (2), as dense tables [area][period column]. */
struct obs_set {
    int nareas, nmonths;
    int *months; /* ascending month indexes of the columns */
    struct obs_cell *cells[3];
};

/* Figures of the given metrics (codes, up to 256) with breakdown key bkey; areas: only
 * these (NULL: all); month: only that period start (-1: all). Columns: metric, area,
 * period_start, value, lower, upper, status. */
PGresult *obs_query(struct db_conn *db, const char *const *metrics, int nmetrics,
                    const struct geo *g, const bool *areas, const char *bkey, int month);
/* Builds the set for metric m from the rows of obs_query. */
bool obs_set_build(struct obs_set *s, const struct geo *g, const struct metric *m, PGresult *r);
void obs_set_free(struct obs_set *s);

/* ---- one area's series ---- */

struct point {
    int month;
    double value; /* as shown: the figure, or its running sum when cumulative */
    double per;   /* the period's own figure (trend and targets use this) */
    bool derived, complete, final, suppressed;
    bool whole; /* per is a whole figure: own, or derived with no member missing */
    bool has_lower, has_upper;
    double lower, upper;
    int nmembers, nmissing;
    int *members, *missing; /* area indexes, into the series' arena */
};

struct series {
    int n;
    struct point *pts;
    int *arena;
};

struct series_opts {
    bool cumulative; /* a flow's running sum since its first figure */
    bool hide_small; /* an open read of a breakdown cell: hide counts 1..small_max */
    int small_max;
};

/* Every period with a figure for the area (own or derived), ascending. */
bool series_build(struct series *out, const struct geo *g, const struct metric *m,
                  const struct obs_set *s, int area, const struct series_opts *o);
void series_free(struct series *s);
json_t *point_json(const struct geo *g, const struct metric *m, const struct point *p,
                   bool with_parts);
/* The trend over the whole, visible figures among the points [lo, hi); json null below
 * five. */
json_t *trend_json(const struct metric *m, const struct series *s, int lo, int hi);

/* ---- targets ---- */

struct target_row {
    long long id;
    char basis[16];
    struct target t;
};

/* Targets of the given metrics for one area, with milestones. Columns: id, metric,
 * start, end, value, baseline, basis, amber_within, milestones (json). */
PGresult *targets_query(struct db_conn *db, const char *const *metrics, int nmetrics,
                        const char *area);
void target_from_row(PGresult *r, int row, const struct metric *m, struct target_row *t);

struct target_eval {
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
void target_evaluate(const struct target_row *t, const struct metric *m, const struct series *s,
                     struct target_eval *ev);
/* {id, value, baseline, basis, start, end, amber_within, milestones} */
json_t *target_head_json(const struct target_row *t, const struct metric *m);
/* {period, actual, expected, percent_of_target, percent_of_expected, rag} or null */
json_t *target_eval_json(const struct target_eval *ev, const struct metric *m);
json_t *target_trajectory_json(const struct target_row *t, const struct metric *m);

/* ---- helpers ---- */

/* A number as JSON: whole values as integers. */
json_t *figures_number(double v);
/* A derived or computed value rounded for display: counts whole, others to the
 * metric's decimals plus two. */
double figures_round(const struct metric *m, double v);
void figures_period_text(const struct metric *m, int month, char *buf, size_t size);
int figures_current_month(void);
/* "breakdown=" for a series: total, or one cell as pairs; fills key (canonical) and
 * obj (the map, owned by the caller). false after a 400 in rp. */
bool figures_breakdown_param(struct request *rq, struct reply *rp, const struct metric *m,
                             char *key, size_t size, json_t **obj);

#endif
