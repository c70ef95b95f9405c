/* What the series, the area comparison and the board view share as handlers: the
 * start of a cached read in one snapshot, the breakdown= parameter, and the JSON of a
 * metric, a point and a target (the judgements beside them are api/judge.c's). The
 * numbers come from domain/ (series, measure) over what store/db_figures reads, so
 * every route gives the same figure. */
#ifndef FIGURES_H
#define FIGURES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/geo.h"
#include "domain/measure.h"
#include "domain/metric.h"
#include "domain/series.h"
#include "http/request.h"

struct db_conn;
struct cache_key;

/* Checks out the database and opens the read snapshot (db_figures_begin), raising the
 * request's version to the snapshot's. NULL after filling rp when that fails. */
struct db_conn *figures_begin(struct request *rq, struct reply *rp, uint64_t *version);
/* The start of every cached read: fills *key from the request; a cache hit answers
 * here, otherwise figures_begin. NULL when rp is already answered (hit or failure). */
struct db_conn *figures_cached_begin(struct request *rq, struct reply *rp, struct cache_key *key,
                                     uint64_t *version);
/* Ends the snapshot. */
void figures_end(struct db_conn *db);

/* One metric by code; false after a 404 (or 503/500) in rp. */
bool figures_metric(struct db_conn *db, struct reply *rp, const char *code, struct metric *m);
/* The geography; false after a 503/500 in rp. */
bool figures_geo(struct db_conn *db, struct reply *rp, struct geo *g);
/* The figures of codes into an obs_set for m; false after a 503/500 in rp. */
bool figures_obs_set(struct db_conn *db, struct reply *rp, const struct metric *m,
                     const char *const *codes, int ncodes, const struct geo *g, const bool *areas,
                     const char *bkey, int month, struct obs_set *set);
/* "breakdown=" for a series: total, or one cell as pairs; fills key (canonical) and
 * *obj (the map, the caller's to release). false after a 400 or 503 in rp. */
bool figures_breakdown_param(struct request *rq, struct reply *rp, const struct metric *m,
                             char *key, size_t size, json_t **obj);
/* Whether an open read must hide small counts in this breakdown cell. */
bool figures_hide_small(struct request *rq, const char *bkey);
/* On such a read of a count, marks hidden the cells of set (metric m, breakdown bkey)
 * that complementary suppression hides over each figure's whole table, as
 * /v1/observations does, so no read shows what another hides; false after a 503/500 in
 * rp. Call before figures_end. */
bool figures_hide_cells(struct request *rq, struct db_conn *db, struct reply *rp,
                        const struct geo *g, const struct metric *m, const char *bkey,
                        struct obs_set *set);
int figures_current_month(void);

/* JSON builders; each answers NULL when memory runs out. */
/* A number as JSON: whole values as integers; null when not finite. */
json_t *figures_number(double v);
json_t *figures_metric_json(const struct metric *m);
json_t *figures_point_json(const struct geo *g, const struct metric *m, const struct point *p,
                           bool with_parts);
/* {id, value, baseline, basis, start, end, amber_within, milestones} */
json_t *figures_target_json(const struct measure_target *t, const struct metric *m);
/* {period, actual, expected, percent_of_target, percent_of_expected, rag} or null */
json_t *figures_measure_json(const struct measure *ev, const struct metric *m);
json_t *figures_trajectory_json(const struct measure_target *t, const struct metric *m);

#endif
