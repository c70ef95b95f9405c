/* Fixed thread lanes over bounded FIFO queues (see workers.h). One mutex per lane; a
 * condition variable wakes an idle thread for each job queued. */
#include "http/workers.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "domain/strbuf.h"
#include "log.h"

struct lane {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct work *head, *tail;
    int queued, busy, limit, nthreads;
    unsigned long long refused, late;
    int deadline_ms;
    bool stopped; /* its threads are joined: workers_continue refuses */
    pthread_t *threads;
};

static struct lane lanes[WORK_LANES];
static atomic_bool stopping;

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *lane_main(void *arg) {
    struct lane *l = arg;
    pthread_mutex_lock(&l->lock);
    for (;;) {
        while (!l->head && !stopping)
            pthread_cond_wait(&l->ready, &l->lock);
        struct work *w = l->head;
        if (!w)
            break; /* stopping, and nothing left to answer */
        l->head = w->next;
        if (!l->head)
            l->tail = NULL;
        l->queued--;
        l->busy++;
        bool late = stopping || (!w->continuation && now_ms() - w->queued_ms > l->deadline_ms);
        if (late)
            l->late++;
        pthread_mutex_unlock(&l->lock);
        w->run(w, late);
        pthread_mutex_lock(&l->lock);
        l->busy--;
    }
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

bool workers_start(const struct workers_config *cfg) {
    atomic_store(&stopping, false);
    for (int i = 0; i < WORK_LANES; i++) {
        struct lane *l = &lanes[i];
        *l = (struct lane){.limit = cfg->queue[i], .deadline_ms = cfg->deadline_ms[i]};
        pthread_mutex_init(&l->lock, NULL);
        pthread_cond_init(&l->ready, NULL);
        l->threads = calloc((size_t)cfg->threads[i], sizeof *l->threads);
        if (!l->threads)
            return false;
        for (int t = 0; t < cfg->threads[i]; t++) {
            if (pthread_create(&l->threads[t], NULL, lane_main, l) != 0) {
                log_error("workers", "could not start a worker thread");
                return false;
            }
            l->nthreads++;
        }
    }
    return true;
}

static void enqueue_locked(struct lane *l, struct work *w) {
    if (l->tail)
        l->tail->next = w;
    else
        l->head = w;
    l->tail = w;
    l->queued++;
    pthread_cond_signal(&l->ready);
}

bool workers_continue(enum work_lane lane, struct work *w) {
    struct lane *l = &lanes[lane];
    w->next = NULL;
    w->queued_ms = now_ms();
    w->continuation = true;
    pthread_mutex_lock(&l->lock);
    bool ok = !l->stopped && l->nthreads > 0;
    if (ok)
        enqueue_locked(l, w);
    pthread_mutex_unlock(&l->lock);
    return ok;
}

bool workers_submit(enum work_lane lane, struct work *w) {
    struct lane *l = &lanes[lane];
    w->next = NULL;
    w->queued_ms = now_ms();
    w->continuation = false;
    pthread_mutex_lock(&l->lock);
    bool ok = !stopping && l->queued < l->limit;
    if (ok)
        enqueue_locked(l, w);
    else
        l->refused++;
    pthread_mutex_unlock(&l->lock);
    return ok;
}

void workers_drain(void) {
    for (int i = 0; i < WORK_LANES; i++) {
        if (!lanes[i].threads)
            continue; /* never started */
        pthread_mutex_lock(&lanes[i].lock);
        atomic_store(&stopping, true);
        pthread_cond_broadcast(&lanes[i].ready);
        pthread_mutex_unlock(&lanes[i].lock);
    }
}

bool workers_stopping(void) {
    return atomic_load(&stopping);
}

int workers_running(void) {
    int n = 0;
    for (int i = 0; i < WORK_LANES; i++) {
        if (!lanes[i].threads)
            continue;
        pthread_mutex_lock(&lanes[i].lock);
        n += lanes[i].busy;
        pthread_mutex_unlock(&lanes[i].lock);
    }
    return n;
}

void workers_stop(void) {
    workers_drain();
    for (int i = 0; i < WORK_LANES; i++) {
        struct lane *l = &lanes[i];
        if (!l->threads)
            continue; /* never started */
        for (int t = 0; t < l->nthreads; t++)
            pthread_join(l->threads[t], NULL);
        /* Continuations queued after the last thread looked: run them here, late, so
         * each still resumes its connection. None can come after this. */
        pthread_mutex_lock(&l->lock);
        l->stopped = true;
        struct work *left = l->head;
        l->head = l->tail = NULL;
        l->queued = 0;
        pthread_mutex_unlock(&l->lock);
        while (left) {
            struct work *next = left->next;
            left->run(left, true);
            left = next;
        }
        /* The lock and condition stay: the event loop may still ask to continue a
         * stream, and is refused, until the daemon stops. */
        free(l->threads);
        l->threads = NULL;
    }
}

void workers_stats(struct workers_stats *out) {
    for (int i = 0; i < WORK_LANES; i++) {
        struct lane *l = &lanes[i];
        pthread_mutex_lock(&l->lock);
        out->threads[i] = l->nthreads;
        out->busy[i] = l->busy;
        out->queued[i] = l->queued;
        out->refused[i] = l->refused;
        out->late[i] = l->late;
        pthread_mutex_unlock(&l->lock);
    }
}

void workers_stats_render(struct strbuf *out) {
    static const char *const names[WORK_LANES] = {"read", "submit"};
    struct workers_stats w;
    workers_stats(&w);
    strbuf_printf(out, "# HELP wellbeing_workers Database worker threads by lane and state.\n"
                       "# TYPE wellbeing_workers gauge\n");
    for (int i = 0; i < WORK_LANES; i++)
        strbuf_printf(out,
                      "wellbeing_workers{lane=\"%s\",state=\"threads\"} %d\n"
                      "wellbeing_workers{lane=\"%s\",state=\"busy\"} %d\n"
                      "wellbeing_workers{lane=\"%s\",state=\"queued\"} %d\n",
                      names[i], w.threads[i], names[i], w.busy[i], names[i], w.queued[i]);
    strbuf_printf(out, "# HELP wellbeing_workers_refused_total Requests answered 503 by lane: "
                       "queue full, or waited past the limit.\n"
                       "# TYPE wellbeing_workers_refused_total counter\n");
    for (int i = 0; i < WORK_LANES; i++)
        strbuf_printf(out,
                      "wellbeing_workers_refused_total{lane=\"%s\",why=\"full\"} %llu\n"
                      "wellbeing_workers_refused_total{lane=\"%s\",why=\"late\"} %llu\n",
                      names[i], w.refused[i], names[i], w.late[i]);
}
