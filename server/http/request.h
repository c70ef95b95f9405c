/* The request core: the request a handler reads and the reply it fills in, with the
 * req_ and reply_ helpers. The daemon (daemon.h) owns their life.
 * request.c reads the request through libmicrohttpd; reply.c fills the reply and needs
 * no libmicrohttpd, so code that only answers (the cache, unit tests) links without it.
 * The daemon alone turns a reply into a libmicrohttpd response.
 * Ownership and allocation failure follow HACKING.md: a reply_ helper that cannot
 * allocate marks the reply out of memory and the daemon answers 503. */
#ifndef HTTP_REQUEST_H
#define HTTP_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "http/auth.h"
#include "http/question.h"
#include "http/workers.h"
#include "domain/strbuf.h"

#define ROUTE_MAX_PARAMS 4
#define REPLY_MAX_HEADERS 10
/* How a JSON reply is written out: one place, so a cached copy is the same bytes. */
#define REPLY_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

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
struct MHD_Connection;
struct deadline_conn;
struct reply;

struct request {
    struct MHD_Connection *conn;
    enum http_method method;
    const char *method_name;
    const char *path;
    const struct route *route; /* NULL until the router matched one */
    int route_index;           /* its place in the route table, -1 when none */
    char *params[ROUTE_MAX_PARAMS];
    int nparams;
    struct strbuf body;
    bool body_too_large;
    bool answered_early; /* a 413 went out before the body was read */
    bool out_of_memory;  /* reading the request failed to allocate: the answer is 503 */
    bool csv;            /* the client asked for text/csv */
    struct identity who;
    struct timespec started;
    struct db_conn *db;         /* checked out by req_db, released when the request ends */
    struct db_conn *db_primary; /* a primary connection beside a replica one (key checks) */
    bool from_replica;          /* this read may be answered by the replica */
    bool on_replica;            /* db is a replica connection */
    uint64_t min_version;       /* Min-Data-Version, 0 when not sent */
    uint64_t bumped;            /* the version this request's write took, once released */
    uint64_t version;           /* data version the answer reflects, 0 if not known */
    int status;                 /* the status sent, for the log and the counters */
    /* Which question this is, named once by req_name_question for the routes whose
     * answer follows the data version; the ETag and the cache key both come from it. */
    bool question_named;
    struct question question;
    struct work work;               /* queued to a worker when the answer needs the database */
    struct reply *answer;           /* the worker's finished answer, sent once resumed */
    struct deadline_conn *deadline; /* the connection's slow-client deadlines (http/deadline.h) */
    unsigned long long bytes;       /* body bytes sent: a fixed body's size, or what a stream
                                       produced; for the access log */
};

/* A streamed body. The reader fills buf with up to max bytes and returns how many, or
 * REPLY_STREAM_END when the body is complete, or REPLY_STREAM_ERROR to cut it short
 * (the status line has gone already). pos is the number of bytes sent so far. */
typedef ssize_t (*reply_reader_fn)(void *cls, uint64_t pos, char *buf, size_t max);
typedef void (*reply_release_fn)(void *cls);
#define REPLY_STREAM_END ((ssize_t)-1)
#define REPLY_STREAM_ERROR ((ssize_t)-2)

enum reply_source {
    REPLY_NONE,   /* json, body or nothing */
    REPLY_SHARED, /* bytes someone else owns, released through a callback when sent */
    REPLY_STREAM, /* a reader called until the body ends */
    REPLY_FILE,   /* an open file sent from its descriptor */
};

struct reply {
    int status;
    json_t *json; /* body to serialise (owned) */
    char *body;   /* or a ready body (owned) */
    size_t body_len;
    const char *content_type; /* static string */
    /* Or a body the daemon sends from elsewhere (owned until the daemon takes it). */
    enum reply_source source;
    const char *shared; /* REPLY_SHARED: the bytes, shared_len of them */
    size_t shared_len;  /* REPLY_SHARED: length; REPLY_STREAM: chunk size */
    reply_reader_fn reader;
    reply_release_fn release; /* REPLY_SHARED and REPLY_STREAM: called once with cls */
    void *cls;
    int fd; /* REPLY_FILE: the descriptor, size file_size */
    uint64_t file_size;
    char *headers[REPLY_MAX_HEADERS][2];
    int nheaders;
    bool no_etag;       /* the answer does not follow the data version */
    bool out_of_memory; /* a helper could not allocate: the daemon answers 503 instead */
};

typedef void (*handler_fn)(struct request *rq, struct reply *rp);

/* ---- request.c: reading the request ---- */

const char *req_query(struct request *rq, const char *name);
const char *req_header(struct request *rq, const char *name);
const char *req_param(struct request *rq, int i);
/* Calls each(cls, name, name_len, value, value_len) for every header (headers true) or
 * query argument, in order, until it returns false; value may be NULL for a bare
 * argument. The lengths are the whole ones, past any NUL inside. */
typedef bool (*req_each_fn)(void *cls, const char *name, size_t name_len, const char *value,
                            size_t value_len);
void req_each(struct request *rq, bool headers, req_each_fn each, void *cls);
/* True when If-None-Match is "*" or lists etag (false when the header is absent). */
bool req_none_match(struct request *rq, const char *etag);
/* Names rq's question (path, every query argument, representation, whether small
 * counts are visible, this month) into rq->question, once; false when that could not
 * allocate (rq->out_of_memory is set). */
bool req_name_question(struct request *rq);

/* The request's database connections are req_db and req_db_primary, in http/problem.h:
 * their failure is a 503 problem, which the request core does not make. Which database
 * a request reads from is http/reqdb.h. */

/* ---- reply.c: filling the reply ---- */

/* j is taken, also when NULL (an allocation failed: the reply becomes a 503). */
void reply_json(struct reply *rp, int status, json_t *j);
/* body is taken (freed with free); NULL means an allocation failed: 503. */
void reply_body(struct reply *rp, int status, const char *content_type, char *body, size_t len);
/* len bytes at data that stay alive until release(cls) is called, exactly once, by the
 * daemon after sending or by reply_free if it never sends. */
void reply_shared(struct reply *rp, int status, const char *content_type, const char *data,
                  size_t len, reply_release_fn release, void *cls);
/* A body read chunk bytes at a time from reader; release(cls) is called exactly once
 * when the body is done with (sent, cut short, or never sent). */
void reply_stream(struct reply *rp, int status, const char *content_type, size_t chunk,
                  reply_reader_fn reader, void *cls, reply_release_fn release);
/* The open file fd (taken: closed when sent or by reply_free), size bytes long. */
void reply_file(struct reply *rp, int status, const char *content_type, int fd, uint64_t size);
/* Copies name and value; on allocation failure marks the reply out of memory. */
void reply_header(struct reply *rp, const char *name, const char *value);
/* Whether a handler set this header itself (the dashboard's files set their own caching). */
bool reply_has_header(const struct reply *rp, const char *name);
/* Drops whatever body the reply holds (json, body, shared, stream, file) and leaves
 * status, headers and flags. */
void reply_clear_body(struct reply *rp);
/* Gives up on the answer: releases the body and headers and marks the reply so the
 * daemon sends its 503 problem with Retry-After (made without allocating). */
void reply_out_of_memory(struct reply *rp);
/* Releases everything the reply owns and zeroes it (the daemon, after sending). */
void reply_free(struct reply *rp);

#endif
