/* Result columns as values, for the store's read modules: JSON values, month indexes,
 * text[] literals, and a result's rows as a JSON list. Every function here but
 * db_value_query leaves the PGresult to its caller. */
#ifndef DB_VALUE_H
#define DB_VALUE_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "domain/strbuf.h"

struct db_conn;
struct db_stmt;

/* Runs s: the result when it succeeded (the caller clears it); NULL after logging the
 * failure under what and clearing it. */
PGresult *db_value_query(struct db_conn *db, const struct db_stmt *s, const char *const *params,
                         const char *what);
/* One row as a JSON object; NULL when memory ran out. */
typedef json_t *(*db_value_row_fn)(PGresult *r, int row);
/* Every row of r through row, as a new array (the caller's); NULL after noting
 * db_note_no_memory when memory ran out. */
json_t *db_value_list(struct db_conn *db, PGresult *r, db_value_row_fn row);

/* A PostgreSQL text[] literal of the items, every element quoted; false when memory
 * ran out. */
bool db_value_array(struct strbuf *b, const char *const *items, int n);
/* A column's value as JSON: a string, or null when the column is NULL; NULL only when
 * memory ran out. */
json_t *db_value_text(PGresult *r, int row, int col);
/* A numeric column as a JSON number (integral values as integers, trailing zeros
 * dropped); null when NULL. */
json_t *db_value_number(PGresult *r, int row, int col);
/* PostgreSQL numeric text as a JSON number; NULL or "" as null. */
json_t *db_value_numeric(const char *text);
/* A boolean column. */
bool db_value_bool(PGresult *r, int row, int col);
/* A json column parsed; NULL when it does not parse (or memory ran out). */
json_t *db_value_json(PGresult *r, int row, int col);
/* The month index of a "YYYY-MM-DD" date; -1 when it is not one (or NULL). */
int db_value_month(const char *date);

#endif
