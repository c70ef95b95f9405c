/* The dashboard's files: GET / and /dashboard/... answered from data_dir/dashboard,
 * read-only, a fixed set of file types, nothing outside that folder. */
#ifndef STATIC_H
#define STATIC_H

#include "http/request.h"

/* GET /: the board page (dashboard/index.html). */
void static_get_index(struct request *rq, struct reply *rp);
/* GET /dashboard/{file}: the page's own scripts and styles; revalidated on each use. */
void static_get_asset(struct request *rq, struct reply *rp);
/* GET /dashboard/vendor/{file}: libraries copied in by the build under versioned names,
 * so a browser may keep them for a year without asking. */
void static_get_vendor(struct request *rq, struct reply *rp);

/* True when name may be served: letters, digits, '.', '_', '-', not starting with a dot
 * (so never "..", never a hidden file), at most 100 characters. */
bool static_name_ok(const char *name);
/* The Content-Type for a file name by its extension; NULL when the type is not served. */
const char *static_content_type(const char *name);

#endif
