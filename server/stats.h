/* Counters for the Prometheus /metrics page: requests by route and status, a latency
 * histogram, the database pool, ingested rows. Lock-free, updated on every request. */
#ifndef STATS_H
#define STATS_H

#include "domain/strbuf.h"

void stats_init(int nroutes);
void stats_request(int route_index, int status, double seconds);
void stats_ingest_rows(const char *outcome, unsigned long long n);
void stats_render(struct strbuf *out);

#endif
