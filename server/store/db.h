/* PostgreSQL access: a pool of connections checked out exclusively (no two threads
 * ever share one), statements prepared once per connection, reconnection after the
 * database is lost, and the data version every cache is keyed by. */
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

bool db_init(const char *conninfo, int pool_size, int wait_ms);
void db_shutdown(void);

/* A connection for this caller alone, connected; NULL when the database cannot be
 * reached or every connection stays busy past the wait (the caller answers 503). */
struct db_conn *db_acquire(void);
void db_release(struct db_conn *c);
PGconn *db_pg(struct db_conn *c);

/* Runs a prepared statement (preparing it on this connection the first time).
 * Never returns NULL; check with db_ok. */
PGresult *db_exec(struct db_conn *c, const struct db_stmt *s, const char *const *params);
/* The same, sent for single-row streaming: read with PQgetResult until NULL. */
bool db_send(struct db_conn *c, const struct db_stmt *s, const char *const *params);
/* Plain SQL with no parameters (BEGIN, COMMIT, migrations). */
PGresult *db_exec_sql(struct db_conn *c, const char *sql);
bool db_ok(PGresult *r);
/* Whether the last failure on this connection was losing the database. */
bool db_lost(struct db_conn *c);
/* Logs a failed result's SQLSTATE and primary message (never the SQL). */
void db_log_failure(const char *what, PGresult *r);

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
    unsigned long long waits, timeouts, reconnects;
};
void db_pool_stats(struct db_pool_stats *out);

#endif
