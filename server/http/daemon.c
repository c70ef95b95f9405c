/* libmicrohttpd glue. One request runs on one pool thread from first byte to last;
 * its state is allocated on the first access-handler call and freed when libmicrohttpd
 * reports the request complete, whatever happened in between. */
#include "http/daemon.h"

#include <arpa/inet.h>
#include <assert.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config.h"
#include "http/cache.h"
#include "http/guard.h"
#include "domain/query.h"
#include "http/problem.h"
#include "http/reqdb.h"
#include "http/request.h"
#include "http/routes.h"
#include "log.h"
#include "stats.h"
#include "store/db.h"

/* The request core's stream reader is libmicrohttpd's in all but name. */
static_assert(REPLY_STREAM_END == MHD_CONTENT_READER_END_OF_STREAM, "stream end");
static_assert(REPLY_STREAM_ERROR == MHD_CONTENT_READER_END_WITH_ERROR, "stream error");

/* The answer when memory ran out: static bytes, so sending it allocates nothing of
 * ours (libmicrohttpd still needs its response; without one the connection closes).
 * The same words as api_no_memory, which tries a problem made the usual way first. */
static const char OUT_OF_MEMORY_BODY[] =
    "{\"type\":\"https://wellbeing.wmca.org.uk/problems/503\",\"title\":\"Service "
    "unavailable\",\"status\":503,\"detail\":\"the server is short of memory; try "
    "again\"}";

static struct MHD_Daemon *daemon_handle;
static atomic_int in_flight;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **state);
static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode code);
static struct request *request_new(struct MHD_Connection *conn, const char *url,
                                   const char *method);
static void dispatch(struct request *rq, struct reply *rp);
static void serve_route(struct request *rq, struct reply *rp);
static enum MHD_Result send_reply(struct request *rq, struct reply *rp);
static enum MHD_Result answer(struct request *rq);
static const char *cors_origin(struct request *rq);
static bool authorize(struct request *rq, struct reply *rp);
static bool choose_format(struct request *rq, struct reply *rp);
static enum http_method method_of(const char *m);
static bool parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *len);
static double seconds_since(const struct timespec *t);

static double seconds_since(const struct timespec *t) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static enum http_method method_of(const char *m) {
    static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"};
    for (int i = 0; i < 6; i++)
        if (strcmp(m, names[i]) == 0)
            return (enum http_method)i;
    return HTTP_OTHER;
}

static struct request *request_new(struct MHD_Connection *conn, const char *url,
                                   const char *method) {
    /* Zeroed all but the question's text (2 KiB, on every request), which is written
     * by question_make before anything reads it. */
    struct request *rq = malloc(sizeof *rq);
    if (!rq)
        return NULL;
    size_t text_at = offsetof(struct request, question.text);
    size_t text_end = text_at + sizeof rq->question.text;
    memset(rq, 0, text_at);
    memset((char *)rq + text_end, 0, sizeof *rq - text_end);
    rq->conn = conn;
    rq->method = method_of(method);
    rq->method_name = method;
    rq->path = url;
    rq->route_index = -1;
    strbuf_init(&rq->body);
    clock_gettime(CLOCK_MONOTONIC, &rq->started);
    return rq;
}

/* ---- CORS, auth, representation, ETag ---- */

/* The request's Origin when it is one of the configured dashboard origins. */
static const char *cors_origin(struct request *rq) {
    const char *origin = req_header(rq, "Origin");
    const char *list = g_config.cors_origins;
    if (!origin || !list || !*list)
        return NULL;
    size_t olen = strlen(origin);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        while (n && p[n - 1] == ' ')
            n--;
        if ((n == 1 && *p == '*') || (n == olen && strncmp(p, origin, n) == 0))
            return origin;
        p += strcspn(p, ",");
    }
    return NULL;
}

static bool authorize(struct request *rq, struct reply *rp) {
    unsigned flags = rq->route->flags;
    const char *auth = req_header(rq, "Authorization");
    bool needs_key = (flags & (ROUTE_SUBMIT | ROUTE_ADMIN | ROUTE_KEY)) ||
                     ((flags & ROUTE_READ) && !g_config.public_read);
    if (!auth) {
        if (!needs_key)
            return true;
        problem_reply(rp, 401, "this route needs an API key: send Authorization: Bearer <key>");
        reply_header(rp, "WWW-Authenticate", "Bearer");
        return false;
    }
    if (strncasecmp(auth, "Bearer ", 7) != 0) {
        problem_reply(rp, 401, "send the key as Authorization: Bearer <key>");
        reply_header(rp, "WWW-Authenticate", "Bearer");
        return false;
    }
    int ok = req_check_key(rq, rp, auth + 7);
    if (ok == REQ_KEY_ANSWERED)
        return false;
    if (ok == -2) {
        reply_out_of_memory(rp);
        return false;
    }
    if (ok < 0) {
        problem_unavailable(rp);
        return false;
    }
    if (ok == 0) {
        problem_reply(rp, 401, "the API key is not valid or has been revoked");
        reply_header(rp, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return false;
    }
    unsigned s = rq->who.scopes;
    bool allowed = true;
    if (flags & ROUTE_ADMIN)
        allowed = s & SCOPE_ADMIN;
    else if (flags & ROUTE_SUBMIT)
        allowed = s & (SCOPE_SUBMIT | SCOPE_ADMIN);
    else if ((flags & ROUTE_READ) && !g_config.public_read)
        allowed = s & (SCOPE_READ | SCOPE_ADMIN);
    if (!allowed) {
        problem_reply(rp, 403,
                      "this key's scopes do not allow %s %s; ask an admin for a key "
                      "with the %s scope",
                      http_method_name(rq->route->method), rq->route->pattern,
                      flags & ROUTE_ADMIN    ? "admin"
                      : flags & ROUTE_SUBMIT ? "submit"
                                             : "read");
        return false;
    }
    return true;
}

static bool choose_format(struct request *rq, struct reply *rp) {
    const char *format = req_query(rq, "format");
    const char *accept = req_header(rq, "Accept");
    bool csv_route = rq->route->flags & ROUTE_CSV;
    if (format) {
        if (strcmp(format, "csv") == 0 && csv_route) {
            rq->csv = true;
            return true;
        }
        if (strcmp(format, "json") == 0)
            return true;
        problem_reply(rp, strcmp(format, "csv") == 0 ? 406 : 400,
                      "format=%s is not offered here: use format=json%s", format,
                      csv_route ? " or format=csv" : "");
        return false;
    }
    if (csv_route && accept && strstr(accept, "text/csv") && !strstr(accept, "application/json"))
        rq->csv = true;
    return true;
}

/* ---- dispatch ---- */

/* For a route whose answer follows the data version: learns the version, names the
 * question and answers 304 when the client holds this answer. False when rp is
 * answered (304, 503). */
static bool check_version(struct request *rq, struct reply *rp) {
    if (!req_settle_version(rq, rp))
        return false;
    if (!req_name_question(rq)) {
        reply_out_of_memory(rp);
        return false;
    }
    char etag[QUESTION_ETAG_SIZE];
    question_etag(&rq->question, rq->version, etag);
    if (req_none_match(rq, etag)) {
        cache_count_revalidated(rq);
        rp->status = 304;
        return false;
    }
    return true;
}

static void dispatch(struct request *rq, struct reply *rp) {
    char allow[128];
    if (rq->out_of_memory) {
        reply_out_of_memory(rp);
        return;
    }
    if (rq->body_too_large) {
        problem_reply(rp, 413, "the body is over the %zu-byte limit; split the submission",
                      g_config.max_body);
        return;
    }
    if (!guard_path(rq, rp))
        return;
    enum router_outcome found = router_match(routes, routes_count, rq, allow, sizeof allow);
    if (found == ROUTER_NO_MEMORY) {
        reply_out_of_memory(rp);
        return;
    }
    if (rq->method == HTTP_OPTIONS && found != ROUTER_NOT_FOUND) {
        /* A CORS preflight: answered for any known path, allowed origins only. */
        rp->status = 204;
        rp->no_etag = true;
        if (found == ROUTER_BAD_METHOD)
            reply_header(rp, "Allow", allow);
        return;
    }
    if (found == ROUTER_NOT_FOUND) {
        problem_reply(rp, 404, "no route %s; the routes are listed at /openapi.json", rq->path);
        return;
    }
    if (found == ROUTER_BAD_METHOD) {
        problem_reply(rp, 405, "%s is not allowed on %s; allowed: %s", rq->method_name, rq->path,
                      allow);
        reply_header(rp, "Allow", allow);
        return;
    }
    if (!guard_query(rq, rp) || !choose_format(rq, rp) || !req_read_min_version(rq, rp))
        return;
    req_choose_source(rq);
    serve_route(rq, rp);
    if (req_again_on_primary(rq, rp)) /* the replica went away under this read */
        serve_route(rq, rp);
}

/* Authorizes, settles the data version (and answers 304 when the client holds this
 * answer), then runs the handler. Run again from the primary when the replica was lost
 * under it. */
static void serve_route(struct request *rq, struct reply *rp) {
    if (!authorize(rq, rp))
        return;
    if (rq->route->flags & ROUTE_ETAG) {
        if (!check_version(rq, rp))
            return;
    } else if (rq->min_version && rq->method == HTTP_GET && !req_settle_version(rq, rp)) {
        return;
    }
    rq->route->handler(rq, rp);
    if (!rp->status) {
        log_error("handler", "%s answered nothing", rq->route->label);
        problem_reply(rp, 500, "the server failed to answer; the error is logged");
    }
}

/* ---- sending ---- */

/* The 503 for a request that ran out of memory; MHD_NO (the connection closes) when
 * even that cannot be queued. */
static enum MHD_Result send_out_of_memory(struct request *rq) {
    rq->status = 503;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        sizeof OUT_OF_MEMORY_BODY - 1, (void *)OUT_OF_MEMORY_BODY, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    enum MHD_Result ok = MHD_NO;
    if (MHD_add_response_header(resp, "Content-Type", "application/problem+json") == MHD_YES &&
        MHD_add_response_header(resp, "Retry-After", "5") == MHD_YES &&
        MHD_add_response_header(resp, "Cache-Control", "no-store") == MHD_YES)
        ok = MHD_queue_response(rq->conn, 503, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* libmicrohttpd's response for the reply's body. What the response takes is cleared
 * from rp; on failure (NULL) rp still owns it all and reply_free releases it. */
static struct MHD_Response *response_of(struct request *rq, struct reply *rp) {
    struct MHD_Response *resp = NULL;
    /* The body's size for the access log; no body goes with HEAD, 204 or 304, and a
     * stream counts its own bytes into rq->bytes as it goes. */
    bool body = rq->method != HTTP_HEAD && rp->status != 204 && rp->status != 304;
    if (body && rp->source == REPLY_SHARED)
        rq->bytes += rp->shared_len;
    else if (body && rp->source == REPLY_FILE)
        rq->bytes += rp->file_size;
    else if (body && rp->source == REPLY_NONE && !rp->json)
        rq->bytes += rp->body ? rp->body_len : 0;
    switch (rp->source) {
    case REPLY_SHARED:
        resp = MHD_create_response_from_buffer_with_free_callback_cls(
            rp->shared_len, (void *)rp->shared, rp->release, rp->cls);
        break;
    case REPLY_STREAM:
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, rp->shared_len, rp->reader,
                                                 rp->cls, rp->release);
        break;
    case REPLY_FILE:
        resp = MHD_create_response_from_fd((size_t)rp->file_size, rp->fd);
        break;
    case REPLY_NONE:
        if (rp->json) {
            char *text = json_dumps(rp->json, REPLY_JSON_FLAGS);
            if (!text)
                return NULL;
            if (body)
                rq->bytes += strlen(text);
            resp = MHD_create_response_from_buffer_with_free_callback(strlen(text), text, free);
            if (!resp)
                free(text);
            return resp;
        }
        if (!rp->body)
            return MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        resp = MHD_create_response_from_buffer_with_free_callback(rp->body_len, rp->body, free);
        if (resp)
            rp->body = NULL;
        return resp;
    }
    if (resp) /* the response now releases the body (or closes the file) */
        rp->source = REPLY_NONE;
    return resp;
}

/* Adds the headers every answer carries: the handler's own, caching (an ETag where the
 * answer follows the data version), CORS. False when one could not be added. */
static bool add_headers(struct request *rq, struct reply *rp, struct MHD_Response *resp) {
    bool ok = true;
#define ADD(name, value) (ok = ok && MHD_add_response_header(resp, name, value) == MHD_YES)
    if (rp->content_type && rp->status != 204 && rp->status != 304)
        ADD("Content-Type", rp->content_type);
    for (int i = 0; i < rp->nheaders; i++)
        ADD(rp->headers[i][0], rp->headers[i][1]);
    char data_version[24];
    if (req_data_version_header(rq, rp->status, data_version))
        ADD("Data-Version", data_version);
    bool etag_route = rq->route && (rq->route->flags & ROUTE_ETAG);
    if (etag_route && rq->version && rq->question_named &&
        (rp->status == 200 || rp->status == 304) && !rp->no_etag) {
        char etag[QUESTION_ETAG_SIZE];
        question_etag(&rq->question, rq->version, etag);
        ADD("ETag", etag);
        ADD("Cache-Control", "no-cache");
        ADD("Vary", "Accept, Authorization, Origin");
    } else if (!reply_has_header(rp, "Cache-Control")) {
        ADD("Cache-Control", "no-store");
    }
    const char *origin = cors_origin(rq);
    if (origin) {
        ADD("Access-Control-Allow-Origin", origin);
        ADD("Vary", "Origin");
        if (rq->method == HTTP_OPTIONS) {
            ADD("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
            ADD("Access-Control-Allow-Headers",
                "Authorization, Content-Type, Idempotency-Key, If-None-Match, Min-Data-Version");
            ADD("Access-Control-Max-Age", "600");
        } else {
            ADD("Access-Control-Expose-Headers", "Data-Version, ETag, Location, Retry-After");
        }
    }
    ADD("X-Content-Type-Options", "nosniff");
#undef ADD
    return ok;
}

static enum MHD_Result send_reply(struct request *rq, struct reply *rp) {
    rq->status = rp->status;
    if (rp->out_of_memory)
        return send_out_of_memory(rq);
    struct MHD_Response *resp = response_of(rq, rp);
    if (!resp)
        return send_out_of_memory(rq);
    if (!add_headers(rq, rp, resp)) {
        MHD_destroy_response(resp);
        return send_out_of_memory(rq);
    }
    enum MHD_Result ok = MHD_queue_response(rq->conn, (unsigned)rp->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* Dispatches, sends and lets go of the reply. */
static enum MHD_Result answer(struct request *rq) {
    struct reply rp = {0};
    dispatch(rq, &rp);
    enum MHD_Result r = send_reply(rq, &rp);
    reply_free(&rp);
    return r;
}

/* libmicrohttpd's own decoder would end the path at a %00 (app.js%00.png served app.js):
 * http/guard's keeps control bytes as text, for dispatch to refuse. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s) {
    (void)cls;
    (void)conn;
    return guard_unescape(s);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **state) {
    (void)cls;
    struct request *rq = *state;
    if (!rq) {
        rq = request_new(conn, url, method);
        if (!rq)
            return MHD_NO; /* not even the request's state: close the connection */
        *state = rq;
        atomic_fetch_add(&in_flight, 1);
        int status = 400;
        const char *fault = guard_framing(rq, version, &status);
        if (fault) {
            /* Answered before the body is read, and the connection closed: its framing
             * cannot be trusted to find where the next request starts. */
            rq->answered_early = true;
            struct reply rp = {0};
            problem_reply(&rp, status, "%s", fault);
            reply_header(&rp, "Connection", "close");
            enum MHD_Result r = send_reply(rq, &rp);
            reply_free(&rp);
            return r;
        }
        /* An announced oversized body: refuse it before reading a byte when the client
         * waits for that (Expect: 100-continue) or the body is absurd; otherwise read and
         * discard it, then answer, since a client still sending would see a reset. */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        unsigned long long announced = cl ? strtoull(cl, NULL, 10) : 0;
        const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
        if (announced > g_config.max_body)
            rq->body_too_large = true;
        if (announced > g_config.max_body && ((expect && strcasecmp(expect, "100-continue") == 0) ||
                                              announced / 4 > g_config.max_body)) {
            rq->answered_early = true;
            return answer(rq);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rq->answered_early && !rq->body_too_large && !rq->out_of_memory) {
            if (rq->body.len + *upload_size > g_config.max_body) {
                rq->body_too_large = true;
                strbuf_free(&rq->body);
            } else if (!strbuf_append(&rq->body, upload_data, *upload_size)) {
                /* Read and drop the rest, then answer 503 (dispatch sees the flag). */
                rq->out_of_memory = true;
                strbuf_free(&rq->body);
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->answered_early)
        return MHD_YES;
    return answer(rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode code) {
    (void)cls;
    (void)conn;
    struct request *rq = *state;
    if (!rq)
        return;
    *state = NULL;
    int status = rq->status;
    double secs = seconds_since(&rq->started);
    stats_request(rq->route_index, status, secs);
    if (g_config.access_log) {
        /* A key pasted into a URL is refused, and never written down either. */
        char path[512];
        query_redact(rq->path, strlen(rq->path), path, sizeof path);
        log_access(
            rq->method_name, path, rq->route ? rq->route->label : NULL, status, secs,
            rq->who.authenticated ? rq->who.key_id : NULL,
            code == MHD_REQUEST_TERMINATED_COMPLETED_OK || rq->method == HTTP_HEAD ? rq->bytes : 0);
    }
    req_release_db(rq);
    for (int i = 0; i < rq->nparams; i++)
        free(rq->params[i]);
    strbuf_free(&rq->body);
    free(rq);
    atomic_fetch_sub(&in_flight, 1);
}

/* ---- start and stop ---- */

static bool parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *len) {
    char host[128];
    const char *colon = strrchr(text, ':');
    if (!colon || colon == text || strlen(text) >= sizeof host)
        return false;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return false;
    size_t hlen = (size_t)(colon - text);
    memcpy(host, text, hlen);
    host[hlen] = '\0';
    memset(addr, 0, sizeof *addr);
    if (host[0] == '[' && host[hlen - 1] == ']') {
        host[hlen - 1] = '\0';
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *len = sizeof *a6;
        return inet_pton(AF_INET6, host + 1, &a6->sin6_addr) == 1;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)addr;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    *len = sizeof *a4;
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    return inet_pton(AF_INET, host, &a4->sin_addr) == 1;
}

bool http_start(void) {
    struct sockaddr_storage addr;
    socklen_t len;
    if (!parse_listen(g_config.listen, &addr, &len)) {
        log_error("config",
                  "WELLBEING_LISTEN \"%s\" is not host:port (127.0.0.1:8080, "
                  "[::1]:8080)",
                  g_config.listen);
        return false;
    }
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* libmicrohttpd zeroes a connection's whole memory pool after every request on it:
     * 256 KiB cost a fifth of the CPU at 50,000 cached reads a second, and 256 KiB x
     * the connection limit of memory. Its default of 32 KiB holds any sane header block,
     * and bodies are read through it in chunks whatever its size. */
    daemon_handle = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)g_config.threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)g_config.conn_limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)g_config.per_ip_limit, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)g_config.timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_UNESCAPE_CALLBACK, unescape,
        NULL, MHD_OPTION_END);
    if (!daemon_handle) {
        log_error("listen", "could not serve on %s (in use, or not an address of this machine)",
                  g_config.listen);
        return false;
    }
    return true;
}

void http_stop(void) {
    if (!daemon_handle)
        return;
    /* Stop accepting; let requests already running finish (at most 10 s). */
    MHD_socket fd = MHD_quiesce_daemon(daemon_handle);
    for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++) {
        struct timespec t = {0, 10 * 1000000L};
        nanosleep(&t, NULL);
    }
    MHD_stop_daemon(daemon_handle);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    daemon_handle = NULL;
}
