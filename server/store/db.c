/* Connection pool and prepared statements over libpq. A dead connection is reset on
 * its next checkout; after a failed connect, checkouts fail fast for a short while so
 * a database outage gives quick 503s instead of piling up waiting threads. */
#include "store/db.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define MAX_PREPARED 128
#define RETRY_AFTER_FAIL_MS 500

struct db_conn {
    PGconn *pg;
    bool busy;
    bool lost;
    bool short_of_memory; /* a read module ran out of memory (db_note_no_memory) */
    bool timed_out;       /* a statement or lock wait ran past its limit (db_timed_out) */
    bool long_limit;      /* db_send_long set the long statement limit: reset at checkout */
    const struct db_stmt *prepared[MAX_PREPARED];
    int nprepared;
};

static struct {
    char *conninfo;
    struct db_conn *conns;
    int size;
    int wait_ms;
    int statement_timeout_ms, lock_timeout_ms; /* set on every connection as it opens */
    int long_statement_ms;                     /* db_allow_long_statements */
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int64_t connect_failed_at_ms; /* fail fast for a moment after a failed connect */
    unsigned long long waits, timeouts, reconnects;
    pthread_t listener;
    bool listener_started;
    atomic_bool stopping;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .freed = PTHREAD_COND_INITIALIZER};

static _Atomic uint64_t known_version;

static int64_t now_ms(void);
static bool conn_open(struct db_conn *c);
static bool conn_prepare(struct db_conn *c, const struct db_stmt *s);
static bool conn_set_timeouts(PGconn *pg);
static bool restore_limit(struct db_conn *c);
static void note_result(struct db_conn *c, const PGresult *r);
static void *listener_main(void *arg);
static PGconn *connect_with_timeout(void);

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connects with a bounded wait whatever the conninfo says, so a missing database costs
 * at most a couple of seconds. */
static PGconn *connect_with_timeout(void) {
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *vals[] = {pool.conninfo, "2", "wellbeingd", NULL};
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (pg && PQstatus(pg) != CONNECTION_OK) {
        PQfinish(pg);
        return NULL;
    }
    return pg;
}

/* Every pool connection carries both limits from its first statement, so no request
 * can wait on PostgreSQL for longer than they allow: a query that runs too long is
 * cancelled (57014), a lock not granted in time is given up (55P03), and the handler
 * answers 503 with Retry-After. Sent as SET after connecting rather than as libpq
 * "options" so that options in the operator's conninfo stay as they were. */
static bool conn_set_timeouts(PGconn *pg) {
    char sql[128];
    snprintf(sql, sizeof sql, "SET statement_timeout = %d; SET lock_timeout = %d",
             pool.statement_timeout_ms, pool.lock_timeout_ms);
    PGresult *r = PQexec(pg, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        db_log_failure("session limits", r);
    PQclear(r);
    return ok;
}

static void note_result(struct db_conn *c, const PGresult *r) {
    if (PQstatus(c->pg) != CONNECTION_OK)
        c->lost = true;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (state && (strcmp(state, DB_STATE_QUERY_CANCELED) == 0 ||
                  strcmp(state, DB_STATE_LOCK_NOT_AVAILABLE) == 0))
        c->timed_out = true;
}

void db_set_timeouts(int statement_ms, int lock_ms, int long_statement_ms) {
    pool.statement_timeout_ms = statement_ms;
    pool.lock_timeout_ms = lock_ms;
    pool.long_statement_ms = long_statement_ms;
}

bool db_wait_long_for_locks(struct db_conn *c, bool long_wait) {
    char sql[64];
    snprintf(sql, sizeof sql, "SET LOCAL lock_timeout = %d",
             long_wait ? pool.long_statement_ms : pool.lock_timeout_ms);
    PGresult *r = db_exec_sql(c, sql);
    bool ok = db_check(c, r, "lock limit", NULL);
    if (ok)
        PQclear(r);
    return ok;
}

bool db_allow_long_statements(struct db_conn *c) {
    char sql[64];
    snprintf(sql, sizeof sql, "SET LOCAL statement_timeout = %d", pool.long_statement_ms);
    PGresult *r = db_exec_sql(c, sql);
    bool ok = db_check(c, r, "statement limit", NULL);
    if (ok)
        PQclear(r);
    return ok;
}

static bool conn_open(struct db_conn *c) {
    if (c->pg && !c->lost && PQstatus(c->pg) == CONNECTION_OK)
        return true;
    int64_t t = now_ms();
    pthread_mutex_lock(&pool.lock);
    bool recent_failure =
        pool.connect_failed_at_ms && t - pool.connect_failed_at_ms < RETRY_AFTER_FAIL_MS;
    pthread_mutex_unlock(&pool.lock);
    if (recent_failure)
        return false;
    if (c->pg)
        PQfinish(c->pg);
    c->nprepared = 0;
    c->lost = false;
    c->long_limit = false; /* a new connection starts with its own limits */
    c->pg = connect_with_timeout();
    if (c->pg && !conn_set_timeouts(c->pg)) {
        PQfinish(c->pg);
        c->pg = NULL;
    }
    pthread_mutex_lock(&pool.lock);
    if (c->pg) {
        pool.connect_failed_at_ms = 0;
        pool.reconnects++;
    } else {
        pool.connect_failed_at_ms = now_ms();
    }
    pthread_mutex_unlock(&pool.lock);
    return c->pg != NULL;
}

bool db_init(const char *conninfo, int pool_size, int wait_ms) {
    pool.conninfo = strdup(conninfo ? conninfo : "");
    pool.size = pool_size;
    pool.wait_ms = wait_ms;
    pool.conns = calloc((size_t)pool_size, sizeof *pool.conns);
    if (!pool.conninfo || !pool.conns)
        return false;
    atomic_store(&pool.stopping, false);
    if (pthread_create(&pool.listener, NULL, listener_main, NULL) != 0)
        return false;
    pool.listener_started = true;
    return true;
}

void db_shutdown(void) {
    atomic_store(&pool.stopping, true);
    if (pool.listener_started)
        pthread_join(pool.listener, NULL);
    pool.listener_started = false;
    for (int i = 0; i < pool.size; i++)
        if (pool.conns[i].pg)
            PQfinish(pool.conns[i].pg);
    free(pool.conns);
    free(pool.conninfo);
    pool.conns = NULL;
    pool.conninfo = NULL;
}

struct db_conn *db_acquire(void) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += pool.wait_ms / 1000;
    deadline.tv_nsec += (long)(pool.wait_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    struct db_conn *c = NULL;
    pthread_mutex_lock(&pool.lock);
    bool waited = false;
    for (;;) {
        /* Prefer a connection that is already open. */
        for (int i = 0; i < pool.size && !c; i++)
            if (!pool.conns[i].busy && pool.conns[i].pg)
                c = &pool.conns[i];
        for (int i = 0; i < pool.size && !c; i++)
            if (!pool.conns[i].busy)
                c = &pool.conns[i];
        if (c)
            break;
        if (!waited)
            pool.waits++;
        waited = true;
        if (pthread_cond_timedwait(&pool.freed, &pool.lock, &deadline) == ETIMEDOUT) {
            pool.timeouts++;
            pthread_mutex_unlock(&pool.lock);
            return NULL;
        }
    }
    c->busy = true;
    pthread_mutex_unlock(&pool.lock);
    if (!conn_open(c) || !restore_limit(c)) {
        db_release(c);
        return NULL;
    }
    return c;
}

/* Back to the connection's own statement limit after a db_send_long, here at checkout
 * (on the thread that will use it) rather than at release, which may be on the event
 * loop. */
static bool restore_limit(struct db_conn *c) {
    if (!c->long_limit)
        return true;
    char sql[64];
    snprintf(sql, sizeof sql, "SET statement_timeout = %d", pool.statement_timeout_ms);
    PGresult *r = PQexec(c->pg, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (ok)
        c->long_limit = false;
    else
        c->lost = true; /* reconnected, with its limits set afresh, on the next checkout */
    return ok;
}

bool db_send_long(struct db_conn *c, const struct db_stmt *s, const char *const *params) {
    if (!c->long_limit) {
        char sql[64];
        snprintf(sql, sizeof sql, "SET statement_timeout = %d", pool.long_statement_ms);
        PGresult *r = db_exec_sql(c, sql);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!ok)
            return false;
        c->long_limit = true;
    }
    return db_send(c, s, params);
}

void db_release(struct db_conn *c) {
    if (!c)
        return;
    /* A connection handed back mid-transaction (an aborted handler) is rolled back so
     * the next user starts clean; one that is lost is reset on its next checkout. */
    if (c->pg && PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
        PGresult *r;
        while ((r = PQgetResult(c->pg)) != NULL)
            PQclear(r);
        if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
            PQclear(PQexec(c->pg, "ROLLBACK"));
        if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
            c->lost = true;
    }
    c->short_of_memory = false;
    c->timed_out = false;
    pthread_mutex_lock(&pool.lock);
    c->busy = false;
    pthread_cond_signal(&pool.freed);
    pthread_mutex_unlock(&pool.lock);
}

struct db_conn *db_connect_alone(const char *conninfo, int timeout_s, char *err, size_t err_size) {
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", timeout_s);
    const char *keys[] = {"dbname", "connect_timeout", NULL};
    const char *vals[] = {conninfo ? conninfo : "", timeout, NULL};
    struct db_conn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, err_size, "out of memory\n");
        return NULL;
    }
    c->pg = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(c->pg) != CONNECTION_OK) {
        snprintf(err, err_size, "%s", c->pg ? PQerrorMessage(c->pg) : "out of memory\n");
        db_disconnect_alone(c);
        return NULL;
    }
    c->busy = true;
    return c;
}

void db_disconnect_alone(struct db_conn *c) {
    if (!c)
        return;
    PQfinish(c->pg);
    free(c);
}

PGconn *db_pg(struct db_conn *c) {
    return c->pg;
}

static bool conn_prepare(struct db_conn *c, const struct db_stmt *s) {
    for (int i = 0; i < c->nprepared; i++)
        if (c->prepared[i] == s)
            return true;
    PGresult *r = PQprepare(c->pg, s->name, s->sql, s->nparams, NULL);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    note_result(c, r);
    if (!ok) {
        if (PQstatus(c->pg) != CONNECTION_OK)
            c->lost = true;
        else
            log_error("db_prepare", "statement %s did not prepare: sqlstate %s: %s", s->name,
                      PQresultErrorField(r, PG_DIAG_SQLSTATE),
                      PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
    }
    PQclear(r);
    if (ok && c->nprepared < MAX_PREPARED)
        c->prepared[c->nprepared++] = s;
    return ok;
}

PGresult *db_exec(struct db_conn *c, const struct db_stmt *s, const char *const *params) {
    if (!conn_prepare(c, s))
        return PQmakeEmptyPGresult(c->pg, PGRES_FATAL_ERROR);
    PGresult *r = PQexecPrepared(c->pg, s->name, s->nparams, params, NULL, NULL, 0);
    note_result(c, r);
    return r;
}

bool db_send(struct db_conn *c, const struct db_stmt *s, const char *const *params) {
    if (!conn_prepare(c, s))
        return false;
    if (!PQsendQueryPrepared(c->pg, s->name, s->nparams, params, NULL, NULL, 0)) {
        c->lost = PQstatus(c->pg) != CONNECTION_OK;
        return false;
    }
    return PQsetSingleRowMode(c->pg) == 1;
}

PGresult *db_exec_sql(struct db_conn *c, const char *sql) {
    PGresult *r = PQexec(c->pg, sql);
    note_result(c, r);
    return r;
}

bool db_ok(PGresult *r) {
    ExecStatusType st = PQresultStatus(r);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_SINGLE_TUPLE;
}

void db_note_no_memory(struct db_conn *c) {
    c->short_of_memory = true;
}

bool db_short_of_memory(struct db_conn *c) {
    return c->short_of_memory;
}

PGresult *db_next_result(struct db_conn *c) {
    PGresult *r = PQgetResult(c->pg);
    if (r)
        note_result(c, r);
    return r;
}

bool db_timed_out(struct db_conn *c) {
    return c->timed_out;
}

bool db_lost(struct db_conn *c) {
    return c->lost || !c->pg || PQstatus(c->pg) != CONNECTION_OK;
}

void db_log_failure(const char *what, PGresult *r) {
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    log_error("db_failure", "%s failed: sqlstate %s: %s", what, state ? state : "none",
              msg ? msg : "no message");
}

bool db_check(struct db_conn *c, PGresult *r, const char *what, struct db_error *err) {
    if (db_ok(r))
        return true;
    db_log_failure(what, r);
    if (err) {
        const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
        const char *rule = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;
        snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state ? state : "");
        snprintf(err->constraint, sizeof err->constraint, "%s", rule ? rule : "");
        err->lost = db_lost(c);
    }
    PQclear(r);
    return false;
}

bool db_exec_found(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                   const char *what, bool *found, struct db_error *err) {
    PGresult *r = db_exec(c, s, params);
    if (!db_check(c, r, what, err))
        return false;
    *found = PQntuples(r) > 0;
    PQclear(r);
    return true;
}

bool db_write_begin(struct db_conn *c, struct db_error *err) {
    PGresult *r = db_exec_sql(c, "BEGIN");
    if (!db_check(c, r, "transaction", err))
        return false;
    PQclear(r);
    return true;
}

void db_write_rollback(struct db_conn *c) {
    if (!db_lost(c) && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        PQclear(db_exec_sql(c, "ROLLBACK"));
}

bool db_write_commit(struct db_conn *c, uint64_t *version, struct db_error *err) {
    uint64_t v = 0;
    if (!db_bump_version(c, &v)) {
        if (err)
            *err = (struct db_error){.lost = db_lost(c)};
        db_write_rollback(c);
        return false;
    }
    PGresult *r = db_exec_sql(c, "COMMIT");
    if (!db_check(c, r, "commit", err)) {
        db_write_rollback(c);
        return false;
    }
    PQclear(r);
    db_note_version(v);
    if (version)
        *version = v;
    return true;
}

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

bool db_bump_version(struct db_conn *c, uint64_t *out) {
    static const struct db_stmt s = {
        "data_version_bump", "UPDATE data_version SET version = version + 1 RETURNING version", 0};
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
    while (!atomic_load(&pool.stopping)) {
        if (!pg) {
            pg = connect_with_timeout();
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

void db_pool_stats(struct db_pool_stats *out) {
    pthread_mutex_lock(&pool.lock);
    *out = (struct db_pool_stats){.size = pool.size,
                                  .waits = pool.waits,
                                  .timeouts = pool.timeouts,
                                  .reconnects = pool.reconnects};
    for (int i = 0; i < pool.size; i++) {
        out->in_use += pool.conns[i].busy;
        out->connected += pool.conns[i].pg != NULL && !pool.conns[i].lost;
    }
    pthread_mutex_unlock(&pool.lock);
}
