/* Result columns as JSON values, for store functions that hand back json_t: text or
 * JSON null, numeric as a JSON number, a json column parsed. */
#ifndef STORE_DB_JSON_H
#define STORE_DB_JSON_H

#include <jansson.h>
#include <libpq-fe.h>

#include "store/db.h"

/* The column's text, or JSON null when the column is NULL (never NULL itself). */
json_t *db_json_text(PGresult *r, int row, int col);
/* A numeric column as a JSON number (domain/numeric.h), null when NULL. */
json_t *db_json_number(PGresult *r, int row, int col);
/* A json/jsonb column parsed; dflt (taken) when NULL or unparsable. */
json_t *db_json_parse(PGresult *r, int row, int col, json_t *dflt);

/* json_dumps (compact) for a statement parameter; NULL with *e filled as the database
 * fills it for an allocation failure (SQLSTATE 53200), so callers answer one way. */
char *db_json_dump(json_t *j, struct db_error *e);

#endif
