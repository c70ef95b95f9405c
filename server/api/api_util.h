/* What every handler file needs beyond the route table: turning a failed store call
 * into the right answer (503 when the database went away or memory ran short, 500
 * otherwise), query periods, and JSON built with every allocation checked.
 *
 * Ownership: a handler never holds a PGresult (the store clears every one). A function
 * here never frees what it is given unless its name ends in _take; one that does owns
 * its argument whatever it answers, so the caller forgets it either way. */
#ifndef API_UTIL_H
#define API_UTIL_H

#include <jansson.h>
#include <stdbool.h>

#include "http/request.h"

/* After a store call answered false (already logged): 503 with Retry-After when the
 * connection is lost or the store ran short of memory, otherwise 500 naming what
 * could not be read. */
void api_db_failed(struct reply *rp, struct db_conn *db, const char *what);
/* Out of memory on a request path: 503 with Retry-After (try again), never a crash. */
void api_no_memory(struct reply *rp);

/* Appends item (taken) to array; false when item is NULL (a failed allocation) or the
 * append fails, so a builder can give up rather than answer with a hole. */
bool api_push_take(json_t *array, json_t *item);
/* Sets key to value (taken) on obj; false as api_push_take. */
bool api_set_take(json_t *obj, const char *key, json_t *value);
/* Answers status with j (taken), or 503 when j is NULL (building it ran out of memory). */
void api_reply_json_take(struct reply *rp, int status, json_t *j);

/* A period query parameter (from=, to=, period=) parsed, or a 400 naming it. */
struct period;
bool api_period_param(struct request *rq, struct reply *rp, const char *name, struct period *out,
                      bool *present);

#endif
