/* Reads per metric per day, counted in memory on the request path (no database
 * round trip) and added to metric_reads by a background flush every few seconds. */
#ifndef USAGE_H
#define USAGE_H

struct db_conn;

void usage_start(void);
void usage_stop(void); /* flushes what is pending */
void usage_count(const char *metric);
/* One read of each metric in a comma-separated list (a board view shows several). */
void usage_count_list(const char *metrics);
/* Writes pending counts through c now (before answering /v1/admin/usage). */
void usage_flush(struct db_conn *c);

#endif
