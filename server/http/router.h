/* The one route table: method, path pattern ({name} matches one segment), handler,
 * and what the route needs (scope, body, ETag). */
#ifndef ROUTER_H
#define ROUTER_H

#include "http/request.h"

enum route_flags {
    ROUTE_READ = 1 << 0,   /* a read key, unless reads are open */
    ROUTE_SUBMIT = 1 << 1, /* a submit (or admin) key */
    ROUTE_ADMIN = 1 << 2,  /* an admin key */
    ROUTE_KEY = 1 << 3,    /* any valid key (the handler narrows what it shows) */
    ROUTE_ETAG = 1 << 4,   /* the answer follows the data version: ETag and 304 */
    ROUTE_BODY = 1 << 5,   /* takes a request body */
    ROUTE_CSV = 1 << 6,    /* a collection that also answers text/csv */
    ROUTE_NO_DB = 1 << 7,  /* never touches the database: answered on the event loop */
};

struct route {
    enum http_method method;
    const char *pattern;
    handler_fn handler;
    unsigned flags;
};

enum router_outcome { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_BAD_METHOD };

/* Matches path and method; on ROUTER_FOUND fills rq->route and rq->params (owned by
 * rq); on ROUTER_BAD_METHOD writes the Allow list into allow. */
enum router_outcome router_match(struct request *rq, char *allow, size_t allow_size);
int router_count(void);
int router_index(const struct route *r);
const struct route *router_at(int i);
/* "GET /v1/metrics/{code}": for logs and the metrics page. */
const char *router_route_label(int i);
const char *http_method_name(enum http_method m);

#endif
