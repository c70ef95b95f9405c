/* Reads of the figures as partners sent them: a filtered page with a key to go on
 * from, the same rows streamed one at a time for an export of any size, and the
 * change history of one cell. Rows come as JSON objects ready to answer with (period
 * in its frequency's form, breakdown as an object); the caller owns them. Every
 * function answers false after logging (a failed query, db_lost tells whether the
 * link went; or memory, db_note_no_memory). */
#ifndef DB_OBSERVATIONS_H
#define DB_OBSERVATIONS_H

#include <jansson.h>
#include <stdbool.h>

struct db_conn;

/* The key of a row, in the order pages follow. */
struct db_obs_key {
    char metric[256], area[256], period_start[256], bkey[256];
};

struct db_obs_query {
    const char *metric, *area;      /* NULL: any */
    const char *from, *to;          /* period start dates: from inclusive, to exclusive */
    const char *bkey;               /* one breakdown cell ("" the total), or NULL */
    const char *dims;               /* every cell over these dimensions ("age_band,sex"), or NULL */
    const char *updated_after;      /* a timestamp, or NULL: then withdrawals since come too */
    const char *as_of;              /* RFC 3339: the figures as they stood then; NULL now */
    const struct db_obs_key *after; /* go on after this row (a page's cursor), or NULL */
    int limit;                      /* a page's rows; 0 for every row */
    int last;                       /* only the N latest periods selected; 0 for all */
    int hide_max; /* a count from 1 to this in a breakdown cell comes back as null with
                   * suppressed: true (disclosure control); 0 shows every figure */
};

/* One page in *items. *more: rows follow, and *last_key is the last row's key.
 * *bad_time: false was for an updated_after the database could not read as a time. */
bool db_observations_page(struct db_conn *db, const struct db_obs_query *q, json_t **items,
                          bool *more, struct db_obs_key *last_key, bool *bad_time);
/* Sends the query for streaming (q->limit and q->after are ignored: every row). */
bool db_observations_stream(struct db_conn *db, const struct db_obs_query *q);
/* The next streamed row: 1 with *row (the caller's), 0 at the end, -1 when it failed
 * (logged; the stream is over). */
int db_observations_next(struct db_conn *db, int hide_max, json_t **row);
/* Stops a stream before its end (the client went away) and drains it. */
void db_observations_cancel(struct db_conn *db);

/* Whether the metric and the area exist. */
bool db_observations_known(struct db_conn *db, const char *metric, const char *area,
                           bool *metric_known, bool *area_known);
/* Every change to a cell, oldest first; start NULL for every period. */
bool db_observations_history(struct db_conn *db, const char *metric, const char *area,
                             const char *start, const char *bkey, json_t **items);

#endif
