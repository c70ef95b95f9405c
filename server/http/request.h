/* The request core: the request a handler reads and the reply it fills in, with the
 * req_ and reply_ helpers. The daemon (daemon.h) owns their life. */
#ifndef HTTP_REQUEST_H
#define HTTP_REQUEST_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "http/auth.h"
#include "http/workers.h"
#include "domain/strbuf.h"

#define ROUTE_MAX_PARAMS 4
#define REPLY_MAX_HEADERS 10

enum http_method {
    HTTP_GET,
    HTTP_HEAD,
    HTTP_POST,
    HTTP_PUT,
    HTTP_DELETE,
    HTTP_OPTIONS,
    HTTP_OTHER
};

struct route;
struct db_conn;
struct guard_conn;

struct request {
    struct MHD_Connection *conn;
    enum http_method method;
    const char *method_name;
    const char *path;
    const struct route *route;
    char *params[ROUTE_MAX_PARAMS];
    int nparams;
    struct strbuf body;
    bool body_too_large;
    bool answered_early; /* a 413 went out before the body was read */
    bool csv;            /* the client asked for text/csv */
    struct identity who;
    struct timespec started;
    struct db_conn *db;       /* checked out by req_db, released when the request ends */
    uint64_t version;         /* data version the answer reflects, 0 if not known */
    int status;               /* the status sent, for the log and the counters */
    struct work work;         /* queued to a worker when the answer needs the database */
    struct reply *answer;     /* the worker's finished answer, sent when the connection resumes */
    struct guard_conn *guard; /* the connection's slow-client deadlines (http/guard.h) */
};

struct reply {
    int status;
    json_t *json; /* body to serialise (owned) */
    char *body;   /* or a ready body (owned) */
    size_t body_len;
    const char *content_type;      /* static string */
    struct MHD_Response *response; /* or a streamed response (owned) */
    char *headers[REPLY_MAX_HEADERS][2];
    int nheaders;
    bool no_etag; /* the answer does not follow the data version */
};

typedef void (*handler_fn)(struct request *rq, struct reply *rp);

const char *req_query(struct request *rq, const char *name);
const char *req_header(struct request *rq, const char *name);
const char *req_param(struct request *rq, int i);
/* The request's database connection, checked out on first use; NULL after filling rp
 * with a 503 when none can be had. */
struct db_conn *req_db(struct request *rq, struct reply *rp);
/* The 503 after a failed step on the request's connection: busy (a limit ran out) or
 * unreachable. */
void req_db_failed(struct request *rq, struct reply *rp);

void reply_json(struct reply *rp, int status, json_t *j);
void reply_body(struct reply *rp, int status, const char *content_type, char *body, size_t len);
void reply_header(struct reply *rp, const char *name, const char *value);
/* Whether a handler set this header itself (the dashboard's files set their own caching). */
bool reply_has_header(const struct reply *rp, const char *name);
/* Releases everything the reply owns and zeroes it (the daemon, after sending). */
void reply_free(struct reply *rp);

#endif
