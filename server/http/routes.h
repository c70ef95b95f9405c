/* The server's route table: every route and the handler that answers it. Apart from
 * the matcher (router.h) so that the matcher, and what needs only a route's index or
 * label (the counters, the cache), do not depend on every handler. */
#ifndef ROUTES_H
#define ROUTES_H

#include "http/router.h"

extern const struct route routes[];
extern const int routes_count;

/* The route's label ("GET /v1/metrics/{code}"), or "unmatched" for an index outside
 * the table (-1: no route). */
const char *routes_label(int i);

#endif
