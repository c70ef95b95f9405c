/* Counters for the Prometheus /metrics page: requests by route and status, a latency
 * histogram, the database pool, ingested rows. Lock-free, updated on every request. */
#ifndef STATS_H
#define STATS_H

#include <stdbool.h>

#include "domain/strbuf.h"

/* label names route i for the page (it is called while rendering, so it must be safe
 * from any thread); the counters know routes only by index. False when the counters
 * cannot be allocated. */
bool stats_init(int nroutes, const char *(*label)(int));
void stats_request(int route_index, int status, double seconds);
void stats_ingest_rows(const char *outcome, unsigned long long n);
void stats_render(struct strbuf *out);

#endif
