/* The request's databases: where a read goes (replica or primary), Min-Data-Version,
 * and the version an answer reflects. req_db and req_db_primary (defined here) are
 * declared in http/problem.h, since failing to get one is a problem answer. */
#ifndef HTTP_REQDB_H
#define HTTP_REQDB_H

#include <stdbool.h>
#include <stdint.h>

#include "http/request.h"

/* Parses Min-Data-Version into rq->min_version (raised to the version an If-None-Match
 * ETag names: the client holds data that new); false after filling rp with a 400 when
 * the header is not a version. */
bool req_read_min_version(struct request *rq, struct reply *rp);
/* On the event loop, from memory alone: the source a GET or HEAD would be answered from
 * now and its version (the replica's when it is up and new enough, else the primary's
 * announced one) into rq->from_replica and rq->version. False when that version is not
 * known or is older than rq->min_version (a worker must wait or ask). */
bool req_version_from_memory(struct request *rq);
/* On a worker: marks a GET or HEAD for the replica when there is one, it answers, and it has
 * replayed rq->min_version (waiting up to WELLBEING_REPLICA_WAIT_MS, never on the event
 * loop); the primary otherwise. */
void req_choose_source(struct request *rq);
/* Sets rq->version to the version the read's data will reflect before it runs: the
 * replica's replayed or the primary's announced version, asked of the database when
 * unknown or older than Min-Data-Version. False after filling rp with a 503. */
bool req_settle_version(struct request *rq, struct reply *rp);
/* After a read answered 5xx because its replica connection was lost: marks the replica
 * down, empties rp and resets rq so the read can be served again from the primary
 * (true). False, touching nothing, for any other answer. */
bool req_again_on_primary(struct request *rq, struct reply *rp);
/* The Data-Version header's value for a /v1 answer with this status, in text; false
 * when the path is not under /v1 or no version is known. */
bool req_data_version_header(const struct request *rq, int status, char text[24]);
/* Checks the presented key (auth_verify's answers: 1, 0, -1, -2) on the database a key
 * check may use, and records its use on the primary when due; REQ_KEY_ANSWERED when no
 * connection could be had (rp holds the 503). */
#define REQ_KEY_ANSWERED (-3)
int req_check_key(struct request *rq, struct reply *rp, const char *bearer);
/* Gives the request's connections back to their pools (keeping the version a write on
 * them took, for Data-Version): when the answer is made, or when the request ends. */
void req_release_db(struct request *rq);
/* The version an answer with this status reflects: a successful write's own version,
 * else rq->version, else the one known of the database read; 0 when none is known. */
uint64_t req_data_version(const struct request *rq, int status);

#endif
