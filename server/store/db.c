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

struct db_pool;

struct db_conn {
    PGconn *pg;
    struct db_pool *owner;
    bool busy;
    bool lost;
    bool short_of_memory;  /* a read module ran out of memory (db_note_no_memory) */
    bool timed_out;        /* a statement or lock wait ran past its limit (db_timed_out) */
    bool long_limit;       /* db_send_long set the long statement limit: reset at checkout */
    uint64_t bump_pending; /* a version taken in the open transaction, not committed yet */
    uint64_t bumped;       /* the version this checkout's committed write took, 0 if none */
    const struct db_stmt *prepared[MAX_PREPARED];
    int nprepared;
};

/* One pool per database: the primary (every write, and every read without a replica)
 * and, when WELLBEING_DATABASE_READ_URL is set, the replica. */
struct db_pool {
    const char *name;
    char *conninfo;
    struct db_conn *conns;
    int size;
    int wait_ms;
    int statement_timeout_ms, lock_timeout_ms; /* set on every connection as it opens */
    int long_statement_ms;                     /* db_allow_long_statements */
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int64_t connect_failed_at_ms; /* fail fast for a moment after a failed connect */
    unsigned long long waits, timeouts, reconnects, checkouts;
};

static struct db_pool primary = {
    .name = "primary", .lock = PTHREAD_MUTEX_INITIALIZER, .freed = PTHREAD_COND_INITIALIZER};
static struct db_pool replica = {
    .name = "replica", .lock = PTHREAD_MUTEX_INITIALIZER, .freed = PTHREAD_COND_INITIALIZER};

/* The session limits every pool connection sets as it opens (db_set_timeouts). */
static struct {
    int statement_ms, lock_ms; /* statement_timeout, lock_timeout */
    int long_statement_ms;     /* db_allow_long_statements, db_send_long */
} limits;

static int64_t now_ms(void);
static bool conn_open(struct db_conn *c);
static bool conn_prepare(struct db_conn *c, const struct db_stmt *s);
static bool pool_init(struct db_pool *p, const char *conninfo, int size, int wait_ms);
static void pool_free(struct db_pool *p);
static struct db_conn *pool_acquire(struct db_pool *p);
static bool conn_dead_while_idle(struct db_conn *c);
static bool restore_limit(struct db_conn *c);
static void note_result(struct db_conn *c, const PGresult *r);

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connects with a bounded wait whatever the conninfo says, so a missing database costs
 * at most a couple of seconds. */
PGconn *db_connect(const char *conninfo) {
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *vals[] = {conninfo, "2", "wellbeingd", NULL};
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (pg && PQstatus(pg) != CONNECTION_OK) {
        PQfinish(pg);
        return NULL;
    }
    return pg;
}

/* An idle connection the server has closed (a restart, a terminated backend) has its
 * goodbye waiting on the socket: reading it now costs one poll, and saves the request
 * from failing on its first statement. */
static bool conn_dead_while_idle(struct db_conn *c) {
    struct pollfd pfd = {.fd = PQsocket(c->pg), .events = POLLIN};
    if (pfd.fd < 0)
        return true;
    if (poll(&pfd, 1, 0) <= 0)
        return false;
    return !PQconsumeInput(c->pg) || PQstatus(c->pg) != CONNECTION_OK;
}

/* Every pool connection carries both limits from its first statement, so no request
 * can wait on PostgreSQL for longer than they allow: a query that runs too long is
 * cancelled (57014), a lock not granted in time is given up (55P03), and the handler
 * answers 503 with Retry-After. Sent as SET after connecting rather than as libpq
 * "options" so that options in the operator's conninfo stay as they were. */
bool db_set_session_limits(PGconn *pg) {
    char sql[128];
    snprintf(sql, sizeof sql, "SET statement_timeout = %d; SET lock_timeout = %d",
             limits.statement_ms, limits.lock_ms);
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
    limits.statement_ms = statement_ms;
    limits.lock_ms = lock_ms;
    limits.long_statement_ms = long_statement_ms;
}

bool db_wait_long_for_locks(struct db_conn *c, bool long_wait) {
    char sql[64];
    snprintf(sql, sizeof sql, "SET LOCAL lock_timeout = %d",
             long_wait ? limits.long_statement_ms : limits.lock_ms);
    PGresult *r = db_exec_sql(c, sql);
    bool ok = db_check(c, r, "lock limit", NULL);
    if (ok)
        PQclear(r);
    return ok;
}

bool db_allow_long_statements(struct db_conn *c) {
    char sql[64];
    snprintf(sql, sizeof sql, "SET LOCAL statement_timeout = %d", limits.long_statement_ms);
    PGresult *r = db_exec_sql(c, sql);
    bool ok = db_check(c, r, "statement limit", NULL);
    if (ok)
        PQclear(r);
    return ok;
}

static bool conn_open(struct db_conn *c) {
    struct db_pool *p = c->owner;
    if (c->pg && !c->lost && PQstatus(c->pg) == CONNECTION_OK && !conn_dead_while_idle(c))
        return true;
    int64_t t = now_ms();
    pthread_mutex_lock(&p->lock);
    bool recent_failure =
        p->connect_failed_at_ms && t - p->connect_failed_at_ms < RETRY_AFTER_FAIL_MS;
    pthread_mutex_unlock(&p->lock);
    if (recent_failure)
        return false;
    if (c->pg)
        PQfinish(c->pg);
    c->nprepared = 0;
    c->lost = false;
    c->long_limit = false; /* a new connection starts with its own limits */
    c->pg = db_connect(p->conninfo);
    if (c->pg && !db_set_session_limits(c->pg)) {
        PQfinish(c->pg);
        c->pg = NULL;
    }
    pthread_mutex_lock(&p->lock);
    if (c->pg) {
        p->connect_failed_at_ms = 0;
        p->reconnects++;
    } else {
        p->connect_failed_at_ms = now_ms();
    }
    pthread_mutex_unlock(&p->lock);
    return c->pg != NULL;
}

static bool pool_init(struct db_pool *p, const char *conninfo, int size, int wait_ms) {
    p->conninfo = strdup(conninfo ? conninfo : "");
    p->size = size;
    p->wait_ms = wait_ms;
    p->conns = calloc((size_t)size, sizeof *p->conns);
    if (!p->conninfo || !p->conns)
        return false;
    for (int i = 0; i < size; i++)
        p->conns[i].owner = p;
    return true;
}

static void pool_free(struct db_pool *p) {
    for (int i = 0; i < p->size && p->conns; i++)
        if (p->conns[i].pg)
            PQfinish(p->conns[i].pg);
    free(p->conns);
    free(p->conninfo);
    p->conns = NULL;
    p->conninfo = NULL;
    p->size = 0;
}

bool db_init(const char *conninfo, const char *read_conninfo, int pool_size, int wait_ms) {
    if (!pool_init(&primary, conninfo, pool_size, wait_ms))
        return false;
    bool with_replica = read_conninfo && *read_conninfo;
    if (with_replica && !pool_init(&replica, read_conninfo, pool_size, wait_ms))
        return false;
    if (!db_version_listen(conninfo))
        return false;
    return !with_replica || db_replica_start(read_conninfo);
}

void db_shutdown(void) {
    db_replica_stop();
    db_version_stop();
    pool_free(&primary);
    pool_free(&replica);
}

static struct db_conn *pool_acquire(struct db_pool *p) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += p->wait_ms / 1000;
    deadline.tv_nsec += (long)(p->wait_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    struct db_conn *c = NULL;
    pthread_mutex_lock(&p->lock);
    bool waited = false;
    for (;;) {
        /* Prefer a connection that is already open. */
        for (int i = 0; i < p->size && !c; i++)
            if (!p->conns[i].busy && p->conns[i].pg)
                c = &p->conns[i];
        for (int i = 0; i < p->size && !c; i++)
            if (!p->conns[i].busy)
                c = &p->conns[i];
        if (c)
            break;
        if (!waited)
            p->waits++;
        waited = true;
        if (pthread_cond_timedwait(&p->freed, &p->lock, &deadline) == ETIMEDOUT) {
            p->timeouts++;
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
    }
    c->busy = true;
    c->bumped = c->bump_pending = 0;
    p->checkouts++;
    pthread_mutex_unlock(&p->lock);
    if (!conn_open(c) || !restore_limit(c)) {
        db_release(c);
        return NULL;
    }
    return c;
}

struct db_conn *db_acquire(void) {
    return pool_acquire(&primary);
}

struct db_conn *db_acquire_replica(void) {
    if (!replica.size || !db_replica_usable())
        return NULL;
    struct db_conn *c = pool_acquire(&replica);
    if (!c)
        db_replica_lost();
    return c;
}

bool db_is_replica(const struct db_conn *c) {
    return c && c->owner == &replica;
}

uint64_t db_conn_bumped(const struct db_conn *c) {
    return c ? c->bumped : 0;
}

/* Back to the connection's own statement limit after a db_send_long, here at checkout
 * (on the thread that will use it) rather than at release, which may be on the event
 * loop. */
static bool restore_limit(struct db_conn *c) {
    if (!c->long_limit)
        return true;
    char sql[64];
    snprintf(sql, sizeof sql, "SET statement_timeout = %d", limits.statement_ms);
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
        snprintf(sql, sizeof sql, "SET statement_timeout = %d", limits.long_statement_ms);
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
    struct db_pool *p = c->owner;
    pthread_mutex_lock(&p->lock);
    c->busy = false;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
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
    /* A version taken in a transaction exists once it commits: the server's tag says
     * which way the transaction ended (a COMMIT of a failed one answers ROLLBACK), so a
     * dry run or a refused write never reports a version that was rolled back. */
    if (c->bump_pending && PQresultStatus(r) == PGRES_COMMAND_OK) {
        const char *tag = PQcmdStatus(r);
        if (strcmp(tag, "COMMIT") == 0)
            c->bumped = c->bump_pending;
        if (strcmp(tag, "COMMIT") == 0 || strcmp(tag, "ROLLBACK") == 0)
            c->bump_pending = 0;
    }
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

bool db_bump_version(struct db_conn *c, uint64_t *out) {
    static const struct db_stmt s = {
        "data_version_bump", "UPDATE data_version SET version = version + 1 RETURNING version", 0};
    PGresult *r = db_exec(c, &s, NULL);
    bool ok = db_ok(r) && PQntuples(r) == 1;
    if (ok)
        *out = c->bump_pending = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return ok;
}

void db_pool_stats(bool of_replica, struct db_pool_stats *out) {
    struct db_pool *p = of_replica ? &replica : &primary;
    pthread_mutex_lock(&p->lock);
    *out = (struct db_pool_stats){.size = p->size,
                                  .waits = p->waits,
                                  .timeouts = p->timeouts,
                                  .reconnects = p->reconnects,
                                  .checkouts = p->checkouts};
    for (int i = 0; i < p->size; i++) {
        out->in_use += p->conns[i].busy;
        out->connected += p->conns[i].pg != NULL && !p->conns[i].lost;
    }
    pthread_mutex_unlock(&p->lock);
}
