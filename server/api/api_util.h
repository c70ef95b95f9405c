/* What every handler file needs beyond the route table: turning a failed query into
 * the right answer (503 when the database went away, 500 otherwise). */
#ifndef API_UTIL_H
#define API_UTIL_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "http/request.h"

/* True when r succeeded. Otherwise clears r, logs the SQLSTATE and fills rp. */
bool api_result_ok(struct reply *rp, struct db_conn *db, PGresult *r, const char *what);
/* After a database step failed (already logged): 503 when the connection is lost,
 * otherwise 500 naming what could not be read. */
void api_db_failed(struct reply *rp, struct db_conn *db, const char *what);
/* A period query parameter (from=, to=, period=) parsed, or a 400 naming it. */
struct period;
bool api_period_param(struct request *rq, struct reply *rp, const char *name, struct period *out,
                      bool *present);

#endif
