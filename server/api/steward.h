/* Shared by the stewardship handlers (schedules.c, rules.c, snapshots.c): answering a
 * store write's outcome, and the moment a read is asked about (asOf= or snapshot=). */
#ifndef API_STEWARD_H
#define API_STEWARD_H

#include <stdbool.h>

#include "http/request.h"
#include "store/db_steward.h"

/* Fills rp for a write that did not succeed: 404 not found, 409 conflict, 422 refused by
 * the schema, 503 (Retry-After) when the database went away, 500 otherwise; detail when
 * the store gave one, else a sentence naming what. */
void steward_reply(struct reply *rp, enum steward_result res, const char *detail, const char *what);
/* The moment a read is about: asOf= (RFC 3339; 400 naming it when it does not parse)
 * or snapshot= (404 naming it when there is none), never both (400). *has false for
 * "now". out: RFC 3339 UTC. False after filling rp. db may be NULL until needed: it is
 * checked out only for a snapshot name. */
bool steward_read_moment(struct request *rq, struct reply *rp, struct db_conn *db, char out[40],
                         bool *has);

#endif
