/* What db_schedules.c, db_rules.c and db_snapshots.c share: a query whose one row and
 * column is a JSON document built by PostgreSQL, and the classing of a failed write. */
#ifndef DB_STEWARD_ROWS_H
#define DB_STEWARD_ROWS_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "store/db.h"
#include "store/db_steward.h"

/* A timestamptz as RFC 3339 UTC with microseconds, whatever the session's settings. */
#define STEWARD_UTC(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/* Runs s; its first row's first column parsed as JSON into *out. False (logged) when the
 * query or the parse failed. */
bool steward_json(struct db_conn *db, const struct db_stmt *s, const char *const *params,
                  const char *what, json_t **out);
/* A failed write's class, from its SQLSTATE (r is cleared). */
enum steward_result steward_classify(struct db_conn *db, PGresult *r, const char *what);
bool steward_exec(struct db_conn *db, const char *sql);

#endif
