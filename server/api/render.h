/* Turning query results into answers: collections as JSON ({"items": [...]}) or CSV
 * with fixed columns. */
#ifndef RENDER_H
#define RENDER_H

#include <jansson.h>

#include "domain/strbuf.h"
#include "http/request.h"

/* For a CSV answer (rq->csv), names the download after what it holds: Content-Disposition
 * attachment; filename="<the nparts parts joined by _>.csv" (NULL or empty ones left out, any
 * character but A-Z, a-z, 0-9, '.', '-' and '_' made '-'). Set before a cache lookup: a cached
 * answer keeps only its body. render_collection names one from the path when a handler
 * did not. */
void render_csv_name(struct request *rq, struct reply *rp, const char *const *parts, int nparts);
struct db_conn;

/* Answers 200 with items (taken) as {"items": [...], ...extra (taken)} or, when the
 * client asked for CSV, as a CSV table of the named columns (NULL-terminated); 503
 * when items is NULL or memory runs out (a builder that failed hands in NULL). */
void render_collection(struct request *rq, struct reply *rp, json_t *items,
                       const char *const *columns, json_t *extra);
/* The same with extra members that the caller built (taken): a NULL extra is a build
 * that ran out of memory, answered 503. */
void render_collection_with(struct request *rq, struct reply *rp, json_t *items,
                            const char *const *columns, json_t *extra);
/* One JSON value as CSV cell text: objects as "k=v;k=v", arrays joined by ';'. */
void render_cell(json_t *v, struct strbuf *out);
/* Appends one CSV record built from columns of a JSON object. */
void render_csv_row(struct strbuf *out, json_t *obj, const char *const *columns);
void render_csv_header(struct strbuf *out, const char *const *columns);

/* The answer to a list read: nothing when db is NULL (req_db has answered), the
 * failure when the store call was not ok, else items (taken) as a collection of the
 * named columns (JSON or CSV). */
void api_reply_items(struct request *rq, struct reply *rp, struct db_conn *db, bool ok,
                     json_t *items, const char *const *columns, const char *what);

#endif
