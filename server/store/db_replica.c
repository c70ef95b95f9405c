/* The streaming replica's watcher. A hot standby cannot LISTEN, so this thread reads the
 * data_version row the replica has replayed, with its own connection: every 250 ms
 * while the replica is level with the primary (to notice it dying or returning), every
 * 10 ms while the primary's notifications say it is behind (so a cache keyed by the
 * replica's version moves within milliseconds of the replay). Requests read the
 * result from memory: choosing the replica costs no round trip. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "store/db.h"

#define IDLE_POLL_MS 250
#define BEHIND_POLL_MS 10

static struct {
    char *conninfo;
    bool configured;
    pthread_t thread;
    bool started;
    atomic_bool stopping;
    pthread_mutex_t lock;
    pthread_cond_t changed; /* version or reachability moved: for db_replica_wait */
    pthread_cond_t wake;    /* the watcher should look now */
    bool kicked;
    bool paused;
    int64_t behind_since_ms; /* 0: level with the primary */
    unsigned long long downs;
} rep = {.lock = PTHREAD_MUTEX_INITIALIZER,
         .changed = PTHREAD_COND_INITIALIZER,
         .wake = PTHREAD_COND_INITIALIZER};

/* Read on every request without the lock. */
static atomic_bool rep_up;
static _Atomic uint64_t rep_version;

static void *watcher_main(void *arg);
static void mark_down(void);
static void pause_ms(int ms);
static void deadline_in(struct timespec *ts, int ms);

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void deadline_in(struct timespec *ts, int ms) {
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Sleeps up to ms, or until kicked. */
static void pause_ms(int ms) {
    struct timespec until;
    deadline_in(&until, ms);
    pthread_mutex_lock(&rep.lock);
    while (!rep.kicked && !atomic_load(&rep.stopping))
        if (pthread_cond_timedwait(&rep.wake, &rep.lock, &until) != 0)
            break;
    rep.kicked = false;
    pthread_mutex_unlock(&rep.lock);
}

static void mark_down(void) {
    pthread_mutex_lock(&rep.lock);
    if (atomic_exchange(&rep_up, false)) {
        rep.downs++;
        log_error("replica", "the replica is not answering: reads go to the primary");
    }
    pthread_cond_broadcast(&rep.changed);
    pthread_mutex_unlock(&rep.lock);
}

static void *watcher_main(void *arg) {
    (void)arg;
    PGconn *pg = NULL;
    while (!atomic_load(&rep.stopping)) {
        if (!pg) {
            pg = db_connect(rep.conninfo);
            if (pg && !db_set_session_limits(pg)) {
                PQfinish(pg);
                pg = NULL;
            }
            if (!pg) {
                mark_down();
                pause_ms(IDLE_POLL_MS);
                continue;
            }
        }
        /* pg_is_wal_replay_paused() raises an error outside recovery (a promoted
         * replica), hence the CASE. */
        PGresult *r = PQexec(pg, "SELECT version, CASE WHEN pg_is_in_recovery() THEN "
                                 "pg_is_wal_replay_paused() ELSE false END FROM data_version");
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
            PQclear(r);
            PQfinish(pg);
            pg = NULL;
            mark_down();
            pause_ms(IDLE_POLL_MS);
            continue;
        }
        uint64_t v = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
        bool paused = PQgetvalue(r, 0, 1)[0] == 't';
        PQclear(r);
        uint64_t primary = db_known_version();
        pthread_mutex_lock(&rep.lock);
        if (!atomic_load(&rep_up))
            log_info("replica", "the replica answers again at version %llu: reads go back to it",
                     (unsigned long long)v);
        atomic_store(&rep_version, v);
        atomic_store(&rep_up, true);
        rep.paused = paused;
        if (v >= primary)
            rep.behind_since_ms = 0;
        else if (!rep.behind_since_ms)
            rep.behind_since_ms = mono_ms();
        pthread_cond_broadcast(&rep.changed);
        pthread_mutex_unlock(&rep.lock);
        pause_ms(v < primary ? BEHIND_POLL_MS : IDLE_POLL_MS);
    }
    if (pg)
        PQfinish(pg);
    return NULL;
}

bool db_replica_start(const char *conninfo) {
    rep.conninfo = strdup(conninfo);
    if (!rep.conninfo)
        return false;
    rep.configured = true;
    atomic_store(&rep.stopping, false);
    if (pthread_create(&rep.thread, NULL, watcher_main, NULL) != 0)
        return false;
    rep.started = true;
    /* Give the first poll a moment so the first reads can use the replica. */
    for (int i = 0; i < 100 && !atomic_load(&rep_up); i++) {
        struct timespec t = {0, 10 * 1000000L};
        nanosleep(&t, NULL);
    }
    return true;
}

void db_replica_stop(void) {
    if (!rep.started)
        return;
    pthread_mutex_lock(&rep.lock);
    atomic_store(&rep.stopping, true);
    pthread_cond_broadcast(&rep.wake);
    pthread_cond_broadcast(&rep.changed);
    pthread_mutex_unlock(&rep.lock);
    pthread_join(rep.thread, NULL);
    rep.started = false;
    free(rep.conninfo);
    rep.conninfo = NULL;
}

bool db_replica_configured(void) {
    return rep.configured;
}

bool db_replica_usable(void) {
    return rep.configured && atomic_load(&rep_up);
}

uint64_t db_replica_version(void) {
    return atomic_load(&rep_version);
}

bool db_replica_current(void) {
    return db_replica_usable() && atomic_load(&rep_version) >= db_known_version();
}

bool db_replica_wait(uint64_t min, int wait_ms) {
    if (!db_replica_usable())
        return false;
    if (atomic_load(&rep_version) >= min)
        return true;
    struct timespec until;
    deadline_in(&until, wait_ms);
    pthread_mutex_lock(&rep.lock);
    if (rep.paused) { /* replay is paused: waiting cannot help, the primary answers now */
        pthread_mutex_unlock(&rep.lock);
        return false;
    }
    rep.kicked = true;
    pthread_cond_signal(&rep.wake);
    while (atomic_load(&rep_up) && atomic_load(&rep_version) < min && !atomic_load(&rep.stopping))
        if (pthread_cond_timedwait(&rep.changed, &rep.lock, &until) != 0)
            break;
    bool reached = atomic_load(&rep_up) && atomic_load(&rep_version) >= min;
    pthread_mutex_unlock(&rep.lock);
    return reached;
}

void db_replica_lost(void) {
    if (!rep.configured)
        return;
    mark_down();
    db_replica_kick();
}

void db_replica_kick(void) {
    if (!rep.configured)
        return;
    pthread_mutex_lock(&rep.lock);
    rep.kicked = true;
    pthread_cond_signal(&rep.wake);
    pthread_mutex_unlock(&rep.lock);
}

void db_replica_status(struct db_replica_status *out) {
    memset(out, 0, sizeof *out);
    if (!rep.configured)
        return;
    uint64_t primary = db_known_version();
    pthread_mutex_lock(&rep.lock);
    out->configured = true;
    out->up = atomic_load(&rep_up);
    out->version = atomic_load(&rep_version);
    out->paused = rep.paused;
    out->downs = rep.downs;
    out->behind = primary > out->version ? primary - out->version : 0;
    if (out->behind && rep.behind_since_ms)
        out->lag_seconds = (double)(mono_ms() - rep.behind_since_ms) / 1000.0;
    pthread_mutex_unlock(&rep.lock);
}
