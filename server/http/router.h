/* Route matching over a route table (http/routes.c holds the server's): method, path
 * pattern ({name} matches one segment), handler, and what the route needs (scope,
 * body, ETag). The matcher knows no handler, so it links alone (tests/unit). */
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
    const char *label; /* "GET /v1/metrics/{code}": for logs and the metrics page */
    handler_fn handler;
    unsigned flags;
    /* The query parameters the route reads (NULL-terminated; NULL: none), so any other
     * is a 400 naming it; {"*"}: any (the page, whose query the server ignores). format=
     * is every route's (the daemon reads it). */
    const char *const *params;
};

/* One table entry; the label is spelled at compile time, so no thread ever builds it. */
#define ROUTE(method, pattern, handler, flags)                                                     \
    { HTTP_##method, pattern, #method " " pattern, handler, flags, NULL }
/* The same for a route that reads query parameters. */
#define ROUTE_Q(method, pattern, handler, flags, params)                                           \
    { HTTP_##method, pattern, #method " " pattern, handler, flags, params }

enum router_outcome { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_BAD_METHOD, ROUTER_NO_MEMORY };

/* Matches rq's path and method against the n routes of table (HEAD matches GET). On
 * ROUTER_FOUND fills rq->route, rq->route_index and rq->params (owned by rq); on
 * ROUTER_BAD_METHOD writes the Allow list into allow; ROUTER_NO_MEMORY when a
 * parameter could not be copied (nothing is left allocated). */
enum router_outcome router_match(const struct route *table, int n, struct request *rq, char *allow,
                                 size_t allow_size);
const char *http_method_name(enum http_method m);

#endif
