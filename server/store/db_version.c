/* The data version every cache is keyed by: the value last heard from the primary,
 * kept current by a listener thread on LISTEN data_version (a trigger notifies every
 * write), and read or noted directly where a request needs it now. */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"

static _Atomic uint64_t known_version;

static struct {
    char *conninfo;
    pthread_t thread;
    bool started;
    atomic_bool stopping;
} listener;

uint64_t db_known_version(void) {
    return atomic_load(&known_version);
}

void db_note_version(uint64_t v) {
    uint64_t cur = atomic_load(&known_version);
    while (cur != 0 && cur < v && !atomic_compare_exchange_weak(&known_version, &cur, v)) {
    }
}

bool db_read_version(struct db_conn *c, uint64_t *out) {
    static const struct db_stmt s = {"data_version_get", "SELECT version FROM data_version", 0};
    PGresult *r = db_exec(c, &s, NULL);
    bool ok = db_ok(r) && PQntuples(r) == 1;
    if (ok)
        *out = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return ok;
}

/* Keeps known_version current from LISTEN data_version. While this connection is
 * down the version is unknown (0), so every cached answer is checked with the
 * database instead of trusted. */
static void *listener_main(void *arg) {
    (void)arg;
    PGconn *pg = NULL;
    while (!atomic_load(&listener.stopping)) {
        if (!pg) {
            pg = db_connect(listener.conninfo);
            if (!pg) {
                atomic_store(&known_version, 0);
                struct timespec pause = {0, 250 * 1000000L};
                nanosleep(&pause, NULL);
                continue;
            }
            PGresult *r = PQexec(pg, "LISTEN data_version");
            PQclear(r);
            r = PQexec(pg, "SELECT version FROM data_version");
            if (db_ok(r) && PQntuples(r) == 1)
                atomic_store(&known_version, strtoull(PQgetvalue(r, 0, 0), NULL, 10));
            PQclear(r);
        }
        struct pollfd pfd = {.fd = PQsocket(pg), .events = POLLIN};
        int n = poll(&pfd, 1, 200);
        if (n > 0 && !PQconsumeInput(pg)) {
            PQfinish(pg);
            pg = NULL;
            atomic_store(&known_version, 0);
            continue;
        }
        PGnotify *note;
        while ((note = PQnotifies(pg)) != NULL) {
            uint64_t v = strtoull(note->extra, NULL, 10);
            uint64_t cur = atomic_load(&known_version);
            while (v > cur && !atomic_compare_exchange_weak(&known_version, &cur, v)) {
            }
            PQfreemem(note);
            /* The replica's watcher looks for this version at once rather than at its
             * next idle poll. */
            db_replica_kick();
        }
        if (PQstatus(pg) != CONNECTION_OK) {
            PQfinish(pg);
            pg = NULL;
            atomic_store(&known_version, 0);
        }
    }
    if (pg)
        PQfinish(pg);
    return NULL;
}

bool db_version_listen(const char *conninfo) {
    listener.conninfo = strdup(conninfo ? conninfo : "");
    if (!listener.conninfo)
        return false;
    atomic_store(&listener.stopping, false);
    if (pthread_create(&listener.thread, NULL, listener_main, NULL) != 0)
        return false;
    listener.started = true;
    return true;
}

void db_version_stop(void) {
    atomic_store(&listener.stopping, true);
    if (listener.started)
        pthread_join(listener.thread, NULL);
    listener.started = false;
    free(listener.conninfo);
    listener.conninfo = NULL;
}
