/* The reads behind the series, the area comparison and the board view: one read-only
 * snapshot, the geography, metrics, their figures and their targets, each handed back
 * as plain C structs for the read maths in domain/ (geo, series, measure). The caller
 * owns what it is given and frees it (geo_free, or free() for arrays) whatever the
 * answer; on false it is empty. Every function answers false after logging (a failed
 * query, db_lost tells whether the link went; or memory, db_note_no_memory). */
#ifndef DB_FIGURES_H
#define DB_FIGURES_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/geo.h"
#include "domain/measure.h"
#include "domain/metric.h"
#include "domain/series.h"

struct db_conn;

/* Most metric codes one query takes: a board of 64 headline metrics with two parts each. */
#define DB_FIGURES_MAX_METRICS 256

/* Opens a read-only REPEATABLE READ transaction, so every query of one answer sees the
 * same data, and reads its data version. */
bool db_figures_begin(struct db_conn *db, uint64_t *version);
/* Ends it (the commit of a read-only transaction). */
void db_figures_end(struct db_conn *db);

/* Every area (by code) and membership. */
bool db_figures_geo(struct db_conn *db, struct geo *g);
/* One metric; *found false when there is none with the code. */
bool db_figures_metric(struct db_conn *db, const char *code, struct metric *m, bool *found);

struct db_figures_headline {
    struct metric m;
    char programme_name[208];
};
/* The active headline metrics in board order (programme, then metric), at most max;
 * *out is the caller's to free(). */
bool db_figures_headlines(struct db_conn *db, int max, struct db_figures_headline **out, int *n);

/* Figures of the metrics (codes, up to DB_FIGURES_MAX_METRICS) with breakdown key bkey;
 * areas: only the marked ones (NULL: all); month: only that period (-1: all). Each
 * row's metric points at the matching string of metrics; area is its index in g (-1
 * when g lacks it). *rows is the caller's to free(). */
bool db_figures_observations(struct db_conn *db, const char *const *metrics, int nmetrics,
                             const struct geo *g, const bool *areas, const char *bkey, int month,
                             struct obs_row **rows, int *nrows);
/* The latest period with a figure of the metric or its parts; -1 when none. */
bool db_figures_latest_month(struct db_conn *db, const struct metric *m, const char *bkey,
                             int *month);
/* Targets of the metrics for one area, with milestones, ordered by metric, end, start.
 * *out is the caller's to free(). */
bool db_figures_targets(struct db_conn *db, const char *const *metrics, int nmetrics,
                        const char *area, struct measure_target **out, int *n);

#endif
