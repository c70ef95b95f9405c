/* Result columns as JSON values, for store functions that hand back json_t: text or
 * JSON null, numeric as a JSON number, a json column parsed, a result's rows as a JSON
 * list; and the few other column and parameter forms the read modules share (a
 * boolean, a date's month, a text[] literal). None of these clears the PGresult. */
#ifndef STORE_DB_JSON_H
#define STORE_DB_JSON_H

#include <jansson.h>
#include <libpq-fe.h>

#include "domain/strbuf.h"
#include "store/db.h"

/* The column's text, or JSON null when the column is NULL (never NULL itself). */
json_t *db_json_text(PGresult *r, int row, int col);
/* A numeric column as a JSON number (domain/numeric.h), null when NULL. */
json_t *db_json_number(PGresult *r, int row, int col);
/* A json/jsonb column parsed; dflt (taken) when NULL or unparsable. */
json_t *db_json_parse(PGresult *r, int row, int col, json_t *dflt);

/* A boolean column. */
bool db_json_bool(PGresult *r, int row, int col);
/* One row as a JSON object; NULL when memory ran out. */
typedef json_t *(*db_json_row_fn)(PGresult *r, int row);
/* Every row of r through row, as a new array (the caller's); NULL after noting
 * db_note_no_memory when memory ran out. */
json_t *db_json_list(struct db_conn *c, PGresult *r, db_json_row_fn row);
/* Runs s and hands back every row through row as a new array in *items (the
 * caller's); false after logging a failed query or noting a lack of memory. */
bool db_json_rows(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                  const char *what, db_json_row_fn row, json_t **items);
/* The month index of a "YYYY-MM-DD" date; -1 when it is not one (or NULL). */
int db_json_month(const char *date);
/* A PostgreSQL text[] literal of the items, every element quoted, for a parameter;
 * false when memory ran out. */
bool db_json_array(struct strbuf *b, const char *const *items, int n);

/* json_dumps (compact) for a statement parameter; NULL with *e filled as the database
 * fills it for an allocation failure (SQLSTATE 53200), so callers answer one way. */
char *db_json_dump(json_t *j, struct db_error *e);

#endif
