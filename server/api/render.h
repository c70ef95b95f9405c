/* Turning query results into answers: collections as JSON ({"items": [...]}) or CSV
 * with fixed columns, and PostgreSQL text values as JSON values. */
#ifndef RENDER_H
#define RENDER_H

#include <jansson.h>
#include <libpq-fe.h>

#include "domain/strbuf.h"
#include "http/request.h"

/* Answers 200 with items (taken) as {"items": [...], ...extra} or, when the client
 * asked for CSV, as a CSV table of the named columns (NULL-terminated). */
void render_collection(struct request *rq, struct reply *rp, json_t *items,
                       const char *const *columns, json_t *extra);
/* A PostgreSQL numeric as a JSON number: integral values as integers, trailing zeros
 * dropped; NULL or "" as null. */
json_t *render_numeric(const char *text);
/* Column value or JSON null when the column is NULL. */
json_t *render_text(PGresult *r, int row, int col);
json_t *render_number(PGresult *r, int row, int col);
/* One JSON value as CSV cell text: objects as "k=v;k=v", arrays joined by ';'. */
void render_cell(json_t *v, struct strbuf *out);
/* Appends one CSV record built from columns of a JSON object. */
void render_csv_row(struct strbuf *out, json_t *obj, const char *const *columns);
void render_csv_header(struct strbuf *out, const char *const *columns);

#endif
