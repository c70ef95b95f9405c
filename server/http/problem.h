/* RFC 9457 problem details: every error a client sees is made here. */
#ifndef PROBLEM_H
#define PROBLEM_H

#include <jansson.h>

#include "http/request.h"

/* A problem with a detail for the partner; type and title follow from the status. */
void problem_reply(struct reply *rp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with an errors array (taken): [{row|pointer, field, code, message}]. */
void problem_reply_errors(struct reply *rp, int status, json_t *errors, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* One {pointer|row, field, code, message} entry for an errors array (a new reference,
 * for the caller to hand on; NULL when out of memory). */
json_t *problem_error(const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *problem_title(int status);
/* The 503 every route gives when the database cannot be reached, with Retry-After. */
void problem_unavailable(struct reply *rp);
/* 503 + Retry-After: a statement or lock wait ran past its limit (the database is
 * busy, not gone). */
void problem_db_busy(struct reply *rp);
/* The request's database connection, checked out on first use and released by the
 * daemon when the request ends: the replica's for a read routed there (falling back to
 * the primary when it cannot be had), otherwise the primary's. NULL after filling rp
 * with that 503 when none can be had. Here rather than in the request core because that
 * failure is a problem answer, and the request core depends on nothing above it
 * (defined in http/reqdb.c). */
struct db_conn *req_db(struct request *rq, struct reply *rp);
/* A primary connection whatever the request reads from (writes, what must be current);
 * NULL after filling rp (when not NULL) with the 503 when none can be had. */
struct db_conn *req_db_primary(struct request *rq, struct reply *rp);
/* The 503 after a failed step on the request's connection: busy (a statement or lock
 * limit ran out, on the primary or the replica) or unreachable. */
void req_db_failed(struct request *rq, struct reply *rp);

#endif
