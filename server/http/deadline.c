/* Per-connection deadlines and the watchdog that enforces them (see deadline.h). The
 * daemon's threads update a connection's phase with atomics only; the list of
 * connections, which the watchdog walks, changes under one mutex at open and close. */
#include "http/deadline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "domain/strbuf.h"

enum phase { WAIT_FIRST, WAIT_NEXT, HEADERS, BODY, ANSWERING, CUT };

struct deadline_conn {
    struct deadline_conn *prev, *next;
    int fd;
    int64_t opened_ms;
    atomic_int phase;
    atomic_llong since_ms; /* when the current phase began */
    atomic_llong bytes;    /* body bytes received in this request */
    bool served_one;       /* written by the connection's thread only */
};

static struct {
    struct deadline_config cfg;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct deadline_conn *head;
    int open;
    unsigned long long cut_headers, cut_body, cut_idle;
    pthread_t thread;
    bool started, stopping;
} G = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_phase(struct deadline_conn *g, enum phase p) {
    if (!g || atomic_load(&g->phase) == CUT)
        return;
    atomic_store(&g->since_ms, now_ms());
    atomic_store(&g->phase, p);
}

/* The deadline of g in phase, or 0 when that phase has none. Called with G.lock held. */
static int64_t deadline_of(struct deadline_conn *g, int phase, bool pressed) {
    int64_t since = atomic_load(&g->since_ms);
    int64_t header_ms = (int64_t)G.cfg.header_s * 1000 / (pressed ? 2 : 1);
    switch ((enum phase)phase) {
    case WAIT_FIRST:
        return g->opened_ms + header_ms;
    case WAIT_NEXT:
        return since + (pressed ? 1000 : (int64_t)G.cfg.idle_s * 1000);
    case HEADERS:
        return since + header_ms;
    case BODY:
        return since + (int64_t)G.cfg.body_s * 1000 +
               atomic_load(&g->bytes) * 1000 / (G.cfg.min_rate > 0 ? G.cfg.min_rate : 1);
    case ANSWERING:
    case CUT:
        break;
    }
    return 0;
}

static void *watchdog_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&G.lock);
    while (!G.stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&G.wake, &G.lock, &until);
        int64_t t = now_ms();
        bool pressed = G.open * 4 >= G.cfg.conn_limit * 3;
        for (struct deadline_conn *g = G.head; g; g = g->next) {
            int p = atomic_load(&g->phase);
            int64_t due = deadline_of(g, p, pressed);
            /* Only from the phase the deadline was read for: if the connection moved on
             * meanwhile (its answer started), it is left alone. */
            if (!due || t < due || !atomic_compare_exchange_strong(&g->phase, &p, CUT))
                continue;
            if (p == BODY)
                G.cut_body++;
            else if (p == WAIT_NEXT)
                G.cut_idle++;
            else
                G.cut_headers++;
            /* The daemon's next read on fd sees the end and closes the connection on its
             * own thread; fd cannot have been reused, as deadline_close (before the daemon
             * closes it) takes this lock. */
            shutdown(g->fd, SHUT_RDWR);
        }
    }
    pthread_mutex_unlock(&G.lock);
    return NULL;
}

bool deadline_start(const struct deadline_config *cfg) {
    G.cfg = *cfg;
    G.stopping = false;
    if (pthread_create(&G.thread, NULL, watchdog_main, NULL) != 0)
        return false;
    G.started = true;
    return true;
}

void deadline_stop(void) {
    if (!G.started)
        return;
    pthread_mutex_lock(&G.lock);
    G.stopping = true;
    pthread_cond_signal(&G.wake);
    pthread_mutex_unlock(&G.lock);
    pthread_join(G.thread, NULL);
    G.started = false;
}

struct deadline_conn *deadline_open(int fd) {
    struct deadline_conn *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->fd = fd;
    g->opened_ms = now_ms();
    atomic_store(&g->since_ms, g->opened_ms);
    atomic_store(&g->phase, WAIT_FIRST);
    pthread_mutex_lock(&G.lock);
    g->next = G.head;
    if (G.head)
        G.head->prev = g;
    G.head = g;
    G.open++;
    pthread_mutex_unlock(&G.lock);
    return g;
}

void deadline_close(struct deadline_conn *g) {
    if (!g)
        return;
    pthread_mutex_lock(&G.lock);
    if (g->prev)
        g->prev->next = g->next;
    else
        G.head = g->next;
    if (g->next)
        g->next->prev = g->prev;
    G.open--;
    pthread_mutex_unlock(&G.lock);
    free(g);
}

void deadline_request_line(struct deadline_conn *g) {
    /* The first request's clock runs from accept (WAIT_FIRST covers line and headers). */
    if (g && g->served_one)
        set_phase(g, HEADERS);
}

void deadline_headers_done(struct deadline_conn *g) {
    if (!g)
        return;
    atomic_store(&g->bytes, 0);
    set_phase(g, BODY);
}

void deadline_body(struct deadline_conn *g, size_t n) {
    if (g)
        atomic_fetch_add(&g->bytes, (long long)n);
}

void deadline_answering(struct deadline_conn *g) {
    set_phase(g, ANSWERING);
}

void deadline_idle(struct deadline_conn *g) {
    if (!g)
        return;
    g->served_one = true;
    set_phase(g, WAIT_NEXT);
}

void deadline_stats(struct deadline_stats *out) {
    pthread_mutex_lock(&G.lock);
    *out = (struct deadline_stats){.open = G.open,
                                   .cut_headers = G.cut_headers,
                                   .cut_body = G.cut_body,
                                   .cut_idle = G.cut_idle};
    pthread_mutex_unlock(&G.lock);
}

void deadline_stats_render(struct strbuf *out) {
    struct deadline_stats g;
    deadline_stats(&g);
    strbuf_printf(out,
                  "# HELP wellbeing_client_connections Open client connections.\n"
                  "# TYPE wellbeing_client_connections gauge\n"
                  "wellbeing_client_connections %d\n"
                  "# HELP wellbeing_slow_clients_closed_total Connections closed for being too "
                  "slow, by what was late.\n"
                  "# TYPE wellbeing_slow_clients_closed_total counter\n"
                  "wellbeing_slow_clients_closed_total{phase=\"headers\"} %llu\n"
                  "wellbeing_slow_clients_closed_total{phase=\"body\"} %llu\n"
                  "wellbeing_slow_clients_closed_total{phase=\"idle\"} %llu\n",
                  g.open, g.cut_headers, g.cut_body, g.cut_idle);
}
