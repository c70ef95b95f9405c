/* The threads that do a request's database work, so libmicrohttpd's event loops never
 * wait on PostgreSQL. Two lanes, each a fixed set of threads over a bounded queue: reads
 * (and small admin writes), and submissions, so a few big submissions can hold only
 * their own threads and never the ones reads are answered on. A job that cannot be
 * queued is refused at once (the caller answers 503); a job that waited in the queue
 * past its deadline is handed back as late, to be answered 503 without touching the
 * database. Knows nothing of HTTP: the daemon suspends the connection, queues a job
 * and resumes the connection from the job. */
#ifndef HTTP_WORKERS_H
#define HTTP_WORKERS_H

#include <stdbool.h>
#include <stdint.h>

enum work_lane { WORK_READ, WORK_SUBMIT, WORK_LANES };

struct work {
    /* late: the job waited in the queue past the deadline given to workers_start (or the
     * pool is stopping); it should answer without the database. */
    void (*run)(struct work *w, bool late);
    struct work *next;
    int64_t queued_ms;
    bool continuation; /* workers_continue: late only when the pool is stopping */
};

struct workers_config {
    int threads[WORK_LANES];     /* threads per lane, at least 1 each */
    int queue[WORK_LANES];       /* most jobs waiting per lane */
    int deadline_ms[WORK_LANES]; /* longest a job may wait in its lane's queue */
};

bool workers_start(const struct workers_config *cfg);
/* Queues w on lane; false (nothing queued) when that lane's queue is full or the pool
 * is stopping. */
bool workers_submit(enum work_lane lane, struct work *w);
/* Queues more work for a request already under way (the next stretch of a streamed
 * body): past the queue limit if need be, and while the pool drains; false only once
 * workers_stop has joined the threads. */
bool workers_continue(enum work_lane lane, struct work *w);
/* From now on every job not yet started runs late (answers without the database)
 * and workers_submit refuses new ones; jobs running carry on. */
void workers_drain(void);
/* Whether workers_drain (or workers_stop) has been called. */
bool workers_stopping(void);
/* Jobs running on a worker thread just now (not those queued). */
int workers_running(void);
/* Drains, lets every queued job run (late), joins the threads, then runs (late, on the
 * calling thread) whatever workers_continue queued meanwhile. */
void workers_stop(void);

struct workers_stats {
    int threads[WORK_LANES], busy[WORK_LANES], queued[WORK_LANES];
    unsigned long long refused[WORK_LANES], late[WORK_LANES];
};
void workers_stats(struct workers_stats *out);
struct strbuf;
/* Prometheus lines: threads, busy, queued and refusals per lane. */
void workers_stats_render(struct strbuf *out);

#endif
