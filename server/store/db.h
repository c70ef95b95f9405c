/* PostgreSQL access: pools of connections checked out exclusively (no two threads
 * ever share one), statements prepared once per connection, reconnection after the
 * database is lost, and the data version every cache is keyed by. One pool for the
 * primary; with a read URL, a second for a streaming replica (db_replica.c). */
#ifndef DB_H
#define DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

struct db_stmt {
    const char *name; /* unique, static */
    const char *sql;
    int nparams;
};

struct db_conn;

/* The limits every pool connection sets as it opens (statement_timeout, lock_timeout,
 * milliseconds; 0 is PostgreSQL's "none"), and the longer statement limit a big write
 * may take for its own transaction. Call before db_init. The replica's connections
 * (the pool and the watcher's) carry the same limits. */
void db_set_timeouts(int statement_ms, int lock_ms, int long_statement_ms);
/* Sets those limits on a connection just made (the pools do it as they open one; the
 * replica's watcher on its own). False, logged, when the server refused them. */
bool db_set_session_limits(PGconn *pg);
/* read_conninfo: the replica, or NULL/"" for none (every read on the primary). */
bool db_init(const char *conninfo, const char *read_conninfo, int pool_size, int wait_ms);
void db_shutdown(void);
/* A connection with a bounded connect wait, or NULL. */
PGconn *db_connect(const char *conninfo);

/* A primary connection for this caller alone, connected; NULL when the database cannot
 * be reached or every connection stays busy past the wait (the caller answers 503). */
struct db_conn *db_acquire(void);
/* A replica connection, or NULL when there is none configured, it is down (marked so
 * when this connect fails) or busy past the wait: the caller reads from the primary. */
struct db_conn *db_acquire_replica(void);
bool db_is_replica(const struct db_conn *c);
void db_release(struct db_conn *c);
PGconn *db_pg(struct db_conn *c);
/* The version a committed write on this checkout took with db_bump_version (0: none,
 * or rolled back). */
uint64_t db_conn_bumped(const struct db_conn *c);

/* A connection of its own, outside the pool, for a command-line step (`key create`):
 * NULL with the reason in err when the database cannot be reached within timeout_s. */
struct db_conn *db_connect_alone(const char *conninfo, int timeout_s, char *err, size_t err_size);
void db_disconnect_alone(struct db_conn *c);

/* Runs a prepared statement (preparing it on this connection the first time).
 * Never returns NULL; check with db_ok. */
PGresult *db_exec(struct db_conn *c, const struct db_stmt *s, const char *const *params);
/* The same, sent for single-row streaming: read with PQgetResult until NULL. */
bool db_send(struct db_conn *c, const struct db_stmt *s, const char *const *params);
/* db_send under the long statement limit (db_set_timeouts): an export streamed while it
 * is sent runs for as long as the client takes to read it, not the milliseconds of a
 * read. The connection's own limit comes back at its next checkout. */
bool db_send_long(struct db_conn *c, const struct db_stmt *s, const char *const *params);
/* Plain SQL with no parameters (BEGIN, COMMIT, migrations). */
PGresult *db_exec_sql(struct db_conn *c, const char *sql);
bool db_ok(PGresult *r);
/* Whether the last failure on this connection was losing the database. */
bool db_lost(struct db_conn *c);
/* A store function that fails for want of memory notes it here before it returns
 * false, so the handler answers 503 (try again) rather than 500; cleared on release. */
void db_note_no_memory(struct db_conn *c);
bool db_short_of_memory(struct db_conn *c);
/* PQgetResult for a statement sent with db_send, noting a lost connection or a limit
 * that ran out as db_exec does. */
PGresult *db_next_result(struct db_conn *c);
/* Whether a statement on this connection was cancelled by statement_timeout (57014)
 * or gave up waiting for a lock (55P03) since it was checked out: the database is
 * busy, not broken, so the answer is 503 with Retry-After. Cleared on release. */
bool db_timed_out(struct db_conn *c);
#define DB_STATE_QUERY_CANCELED "57014"
#define DB_STATE_LOCK_NOT_AVAILABLE "55P03"
/* Logs a failed result's SQLSTATE and primary message (never the SQL). */
void db_log_failure(const char *what, PGresult *r);

/* Why a statement failed, as much as a caller needs to answer for it. The store has
 * logged the failure and cleared the result; no PGresult leaves the store. */
struct db_error {
    char sqlstate[6];    /* "" when the database gave none (a lost connection) */
    char constraint[64]; /* the constraint it names, "" when none */
    bool lost;           /* the connection to the database was lost */
};
/* True when r succeeded; r stays the caller's to clear. Otherwise logs the failure
 * under what, fills *err (may be NULL), clears r and returns false. */
bool db_check(struct db_conn *c, PGresult *r, const char *what, struct db_error *err);

/* Runs s and tells whether it returned a row: a SELECT 1 ... FOR SHARE, or an UPDATE
 * or DELETE ... RETURNING of one row by its key. */
bool db_exec_found(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                   const char *what, bool *found, struct db_error *err);

/* A write transaction: BEGIN; the caller's statements; db_write_commit bumps the data
 * version inside the transaction, commits, then lets this process see the new version
 * at once (*version, may be NULL). Each returns false with *err filled after a failure,
 * having rolled back. db_write_rollback is safe to call at any point. */
bool db_write_begin(struct db_conn *c, struct db_error *err);
bool db_write_commit(struct db_conn *c, uint64_t *version, struct db_error *err);
void db_write_rollback(struct db_conn *c);

/* Inside an open transaction: lets its statements run up to the long limit
 * (SET LOCAL, so the connection's own limit returns at COMMIT or ROLLBACK). */
bool db_allow_long_statements(struct db_conn *c);
/* Inside an open transaction: lets the statements that follow wait for locks up to the
 * long limit (long_wait) or the connection's own limit again (SET LOCAL). */
bool db_wait_long_for_locks(struct db_conn *c, bool long_wait);

/* ---- the data version (db_version.c) ---- */
/* Starts and stops the thread that keeps the known version current from the primary's
 * LISTEN data_version (db_init and db_shutdown call them). */
bool db_version_listen(const char *conninfo);
void db_version_stop(void);
/* The data version as last heard from the database (0 when unknown). */
uint64_t db_known_version(void);
/* Reads the version now through c, updating the known value. */
bool db_read_version(struct db_conn *c, uint64_t *out);
/* Bumps the version inside the caller's open transaction; returns the new value. */
bool db_bump_version(struct db_conn *c, uint64_t *out);
/* After a commit: makes this process see at least v at once. */
void db_note_version(uint64_t v);

struct db_pool_stats {
    int size, in_use, connected;
    unsigned long long waits, timeouts, reconnects, checkouts;
};
void db_pool_stats(bool of_replica, struct db_pool_stats *out);

/* ---- the replica (db_replica.c) ----
 * A watcher thread keeps its own connection to the replica and reads the version the
 * replica has replayed (the data_version row arrives by streaming replication like any
 * other): every 250 ms when idle, every 10 ms while the primary's notifications say it
 * is behind. No LISTEN on the replica (a hot standby cannot). */
bool db_replica_start(const char *conninfo);
void db_replica_stop(void);
bool db_replica_configured(void);
/* Configured and answering the watcher. */
bool db_replica_usable(void);
/* The version the replica has replayed as last read (0: unknown). */
uint64_t db_replica_version(void);
/* Usable and replayed at least as far as the primary's last notification. */
bool db_replica_current(void);
/* Waits up to wait_ms for the replica to replay min; true once it has. False at once
 * when it is down or its replay is paused (the wait could not end well). */
bool db_replica_wait(uint64_t min, int wait_ms);
/* A request's replica connection died: reads go to the primary until the watcher
 * reaches the replica again. */
void db_replica_lost(void);
/* The primary announced a new version. */
void db_replica_kick(void);

struct db_replica_status {
    bool configured, up, paused;
    uint64_t version, behind; /* replayed version; versions behind the primary's */
    double lag_seconds;       /* how long it has been behind (0 when caught up) */
    unsigned long long downs; /* times it was found unreachable */
};
void db_replica_status(struct db_replica_status *out);

#endif
