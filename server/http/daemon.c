/* libmicrohttpd glue. One request runs on one pool thread from first byte to last;
 * its state is allocated on the first access-handler call and freed when libmicrohttpd
 * reports the request complete, whatever happened in between. */
#include "http/daemon.h"

#include "http/request.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/cache.h"
#include "config.h"
#include "store/db.h"
#include "domain/calendar.h"
#include "log.h"
#include "http/problem.h"
#include "http/router.h"
#include "stats.h"
#include "http/daemon_conn.h"
#include "http/guard.h"
#include "http/listen.h"
#include "http/workers.h"

static struct MHD_Daemon *daemon_handle;
static atomic_int in_flight;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **state);
static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode code);
static struct request *request_new(struct MHD_Connection *conn, const char *url,
                                   const char *method);
static bool dispatch_front(struct request *rq, struct reply *rp);
static void dispatch_back(struct request *rq, struct reply *rp);
static enum MHD_Result queue_for_worker(struct request *rq);
static void run_queued(struct work *w, bool late);
static enum MHD_Result send_reply(struct request *rq, struct reply *rp);
static const char *cors_origin(struct request *rq);
static bool authorize(struct request *rq, struct reply *rp);
static bool choose_format(struct request *rq, struct reply *rp);
static void make_etag(struct request *rq, char *out, size_t size);
static bool etag_matches(const char *header, const char *etag);
static enum http_method method_of(const char *m);
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
    struct request *rq = calloc(1, sizeof *rq);
    if (!rq)
        return NULL;
    rq->conn = conn;
    rq->method = method_of(method);
    rq->method_name = method;
    rq->path = url;
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
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return false;
    int ok = auth_verify(db, auth + 7, &rq->who);
    if (ok < 0) {
        req_db_failed(rq, rp);
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

static uint64_t fnv1a(uint64_t h, const char *s) {
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static enum MHD_Result hash_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value) {
    (void)kind;
    uint64_t *h = cls;
    *h = fnv1a(*h, "&");
    *h = fnv1a(*h, key);
    *h = fnv1a(*h, "=");
    *h = fnv1a(*h, value);
    return MHD_YES;
}

/* The version names the data, the hash names the question: path, query, format,
 * whether the caller may see small counts, and the month (the board view counts
 * periods since the latest figure up to today). */
static void make_etag(struct request *rq, char *out, size_t size) {
    uint64_t h = fnv1a(14695981039346656037ULL, rq->path);
    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, hash_arg, &h);
    h = fnv1a(h, rq->csv ? "|csv" : "|json");
    h = fnv1a(h, rq->who.scopes & (SCOPE_READ | SCOPE_ADMIN) ? "|key" : "|open");
    int month = calendar_month_index((int64_t)time(NULL));
    for (int i = 0; i < 4; i++) {
        h ^= (unsigned char)(month >> (8 * i));
        h *= 1099511628211ULL;
    }
    snprintf(out, size, "\"v%llu-%016llx\"", (unsigned long long)rq->version,
             (unsigned long long)h);
}

static bool etag_matches(const char *header, const char *etag) {
    if (!header)
        return false;
    if (strcmp(header, "*") == 0)
        return true;
    size_t n = strlen(etag);
    for (const char *p = strstr(header, etag); p; p = strstr(p + 1, etag))
        if ((p[n] == '\0' || p[n] == ',' || p[n] == ' '))
            return true;
    return false;
}

/* ---- dispatch ---- */

/* A 304 when the client holds the answer at rq->version. */
static bool not_modified(struct request *rq, struct reply *rp) {
    char etag[64];
    make_etag(rq, etag, sizeof etag);
    if (!etag_matches(req_header(rq, "If-None-Match"), etag))
        return false;
    cache_count_revalidated(rq);
    rp->status = 304;
    return true;
}

/* Everything that can be answered without PostgreSQL, on the event loop: refusals,
 * routing, preflights, the routes that never touch the database, and, for an open read
 * whose data version is known, a 304 or a cache hit. True when rp is the answer; false
 * (rp untouched) when the request needs the database and goes to a worker. */
static bool dispatch_front(struct request *rq, struct reply *rp) {
    char allow[128];
    if (rq->body_too_large) {
        problem_reply(rp, 413, "the body is over the %zu-byte limit; split the submission",
                      g_config.max_body);
        return true;
    }
    enum router_outcome found = router_match(rq, allow, sizeof allow);
    if (rq->method == HTTP_OPTIONS && found != ROUTER_NOT_FOUND) {
        /* A CORS preflight: answered for any known path, allowed origins only. */
        rp->status = 204;
        rp->no_etag = true;
        if (found == ROUTER_BAD_METHOD)
            reply_header(rp, "Allow", allow);
        return true;
    }
    if (found == ROUTER_NOT_FOUND) {
        problem_reply(rp, 404, "no route %s; the routes are listed at /openapi.json", rq->path);
        return true;
    }
    if (found == ROUTER_BAD_METHOD) {
        problem_reply(rp, 405, "%s is not allowed on %s; allowed: %s", rq->method_name, rq->path,
                      allow);
        reply_header(rp, "Allow", allow);
        return true;
    }
    if (!choose_format(rq, rp))
        return true;
    unsigned flags = rq->route->flags;
    if (flags & ROUTE_NO_DB) {
        rq->route->handler(rq, rp);
        if (!rp->status)
            problem_reply(rp, 500, "the server failed to answer; the error is logged");
        return true;
    }
    /* A key is checked against the database, so keyed requests always go to a worker. */
    bool needs_key = (flags & (ROUTE_SUBMIT | ROUTE_ADMIN | ROUTE_KEY)) ||
                     ((flags & ROUTE_READ) && !g_config.public_read);
    if (!(flags & ROUTE_ETAG) || needs_key || req_header(rq, "Authorization"))
        return false;
    rq->version = db_known_version();
    if (!rq->version)
        return false;
    if (not_modified(rq, rp))
        return true;
    struct cache_key key;
    cache_key_make(rq, &key);
    return cache_serve(rq, rp, &key);
}

/* The rest, on a worker thread: the key, the data version, the handler. */
static void dispatch_back(struct request *rq, struct reply *rp) {
    if (!authorize(rq, rp))
        return;
    if (rq->route->flags & ROUTE_ETAG) {
        rq->version = db_known_version();
        if (!rq->version) {
            /* Not hearing from the database: ask it, or answer 503. */
            struct db_conn *db = req_db(rq, rp);
            if (!db || !db_read_version(db, &rq->version)) {
                /* Without a connection req_db has answered 503 with Retry-After already. */
                if (db)
                    req_db_failed(rq, rp);
                rq->version = 0;
                return;
            }
        }
        if (not_modified(rq, rp))
            return;
    }
    rq->route->handler(rq, rp);
    if (!rp->status) {
        log_error("handler", "%s answered nothing", router_route_label(router_index(rq->route)));
        problem_reply(rp, 500, "the server failed to answer; the error is logged");
    }
}

/* A worker's job: the answer is made here, off the event loop (JSON serialised too),
 * then the connection is resumed and the event loop sends it. After the resume the
 * request may be gone at any moment: nothing here touches it again. */
static void run_queued(struct work *w, bool late) {
    struct request *rq = (struct request *)(void *)((char *)w - offsetof(struct request, work));
    struct reply *rp = rq->answer;
    if (late) {
        problem_reply(rp, 503,
                      "the server is busy: the request waited its limit for a database worker; "
                      "nothing was changed; try again shortly");
        reply_header(rp, "Retry-After", "2");
    } else {
        dispatch_back(rq, rp);
    }
    if (rp->json && !rp->body && !rp->response) {
        char *text = json_dumps(rp->json, JSON_COMPACT | JSON_REAL_PRECISION(15));
        if (text) {
            const char *type = rp->content_type;
            int status = rp->status;
            json_decref(rp->json);
            rp->json = NULL;
            reply_body(rp, status, type, text, strlen(text));
        }
    }
    MHD_resume_connection(rq->conn);
}

/* Parks the connection and hands the request to a worker lane: submissions on their
 * own lane so they never hold the threads reads are answered on. A full lane answers
 * 503 at once. */
static enum MHD_Result queue_for_worker(struct request *rq) {
    rq->answer = calloc(1, sizeof *rq->answer);
    if (!rq->answer) {
        struct reply rp = {0};
        problem_reply(&rp, 503, "the server is short of memory; try again");
        reply_header(&rp, "Retry-After", "5");
        enum MHD_Result r = send_reply(rq, &rp);
        rq->status = rp.status;
        reply_free(&rp);
        return r;
    }
    bool submission = rq->route && (rq->route->flags & ROUTE_SUBMIT);
    rq->work.run = run_queued;
    /* Suspended before it is queued, so the worker's resume always follows the suspend. */
    MHD_suspend_connection(rq->conn);
    if (!workers_submit(submission ? WORK_SUBMIT : WORK_READ, &rq->work)) {
        problem_reply(rq->answer, 503,
                      "the server is busy: every %s worker is taken and the queue is full; "
                      "nothing was changed; try again shortly",
                      submission ? "submission" : "database");
        reply_header(rq->answer, "Retry-After", "2");
        MHD_resume_connection(rq->conn);
    }
    return MHD_YES;
}

static enum MHD_Result send_reply(struct request *rq, struct reply *rp) {
    struct MHD_Response *resp = rp->response;
    rp->response = NULL;
    if (!resp && rp->json) {
        char *text = json_dumps(rp->json, JSON_COMPACT | JSON_REAL_PRECISION(15));
        if (!text) {
            rp->status = 500;
            text = strdup("{\"title\":\"Internal error\",\"status\":500}");
            rp->content_type = "application/problem+json";
        }
        resp = MHD_create_response_from_buffer_with_free_callback(strlen(text), text, free);
    } else if (!resp) {
        resp = MHD_create_response_from_buffer_with_free_callback(
            rp->body_len, rp->body ? rp->body : strdup(""), free);
        rp->body = NULL;
    }
    if (!resp)
        return MHD_NO;
    if (rp->content_type && rp->status != 204 && rp->status != 304)
        MHD_add_response_header(resp, "Content-Type", rp->content_type);
    for (int i = 0; i < rp->nheaders; i++)
        MHD_add_response_header(resp, rp->headers[i][0], rp->headers[i][1]);
    bool etag_route = rq->route && (rq->route->flags & ROUTE_ETAG);
    if (etag_route && rq->version && (rp->status == 200 || rp->status == 304) && !rp->no_etag) {
        char etag[64];
        make_etag(rq, etag, sizeof etag);
        MHD_add_response_header(resp, "ETag", etag);
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
        MHD_add_response_header(resp, "Vary", "Accept, Authorization, Origin");
    } else if (!reply_has_header(rp, "Cache-Control")) {
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    }
    const char *origin = cors_origin(rq);
    if (origin) {
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", origin);
        MHD_add_response_header(resp, "Vary", "Origin");
        if (rq->method == HTTP_OPTIONS) {
            MHD_add_response_header(resp, "Access-Control-Allow-Methods",
                                    "GET, HEAD, POST, PUT, DELETE, OPTIONS");
            MHD_add_response_header(resp, "Access-Control-Allow-Headers",
                                    "Authorization, Content-Type, Idempotency-Key, If-None-Match");
            MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
        } else {
            MHD_add_response_header(resp, "Access-Control-Expose-Headers",
                                    "ETag, Location, Retry-After");
        }
    }
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ok = MHD_queue_response(rq->conn, (unsigned)rp->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **state) {
    (void)cls;
    (void)version;
    struct request *rq = *state;
    if (!rq) {
        rq = request_new(conn, url, method);
        if (!rq)
            return MHD_NO;
        *state = rq;
        atomic_fetch_add(&in_flight, 1);
        rq->guard = daemon_conn_guard(conn);
        guard_headers_done(rq->guard);
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
            struct reply rp = {0};
            dispatch_front(rq, &rp); /* the 413: body_too_large is set */
            enum MHD_Result r = send_reply(rq, &rp);
            rq->status = rp.status;
            reply_free(&rp);
            return r;
        }
        return MHD_YES;
    }
    if (*upload_size) {
        guard_body(rq->guard, *upload_size);
        if (!rq->answered_early && !rq->body_too_large) {
            if (rq->body.len + *upload_size > g_config.max_body) {
                rq->body_too_large = true;
                strbuf_free(&rq->body);
            } else if (!strbuf_append(&rq->body, upload_data, *upload_size)) {
                rq->body_too_large = true;
                strbuf_free(&rq->body);
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->answered_early)
        return MHD_YES;
    guard_answering(rq->guard);
    if (rq->answer) { /* resumed: the worker's answer is ready */
        struct reply *done = rq->answer;
        rq->answer = NULL;
        enum MHD_Result r = send_reply(rq, done);
        rq->status = done->status;
        reply_free(done);
        free(done);
        return r;
    }
    struct reply rp = {0};
    if (!dispatch_front(rq, &rp))
        return queue_for_worker(rq);
    enum MHD_Result r = send_reply(rq, &rp);
    rq->status = rp.status;
    reply_free(&rp);
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode code) {
    (void)cls;
    (void)conn;
    (void)code;
    struct request *rq = *state;
    if (!rq)
        return;
    *state = NULL;
    guard_idle(rq->guard);
    int status = rq->status;
    double secs = seconds_since(&rq->started);
    int idx = router_index(rq->route);
    stats_request(idx, status, secs);
    if (g_config.access_log)
        log_access(rq->method_name, rq->path, rq->route ? router_route_label(idx) : NULL, status,
                   secs, rq->who.authenticated ? rq->who.key_id : NULL, 0);
    db_release(rq->db);
    if (rq->answer) {
        reply_free(rq->answer);
        free(rq->answer);
    }
    for (int i = 0; i < rq->nparams; i++)
        free(rq->params[i]);
    strbuf_free(&rq->body);
    free(rq);
    atomic_fetch_sub(&in_flight, 1);
}

/* ---- start and stop ---- */

bool http_start(void) {
    struct sockaddr_storage addr;
    socklen_t len;
    if (!listen_parse(g_config.listen, &addr, &len)) {
        log_error("config",
                  "WELLBEING_LISTEN \"%s\" is not host:port (127.0.0.1:8080, "
                  "[::1]:8080)",
                  g_config.listen);
        return false;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct workers_config wc = {
        .threads = {g_config.workers, g_config.submit_workers},
        .queue = {g_config.queue_limit, g_config.submit_queue_limit},
        .deadline_ms = {g_config.db_wait_ms, g_config.submit_wait_ms},
    };
    int limit = listen_affordable_connections(g_config.conn_limit, g_config.db_pool + 64);
    if (limit < g_config.conn_limit)
        log_error("config", "open-file limit allows %d connections, not %d", limit,
                  g_config.conn_limit);
    g_config.conn_limit = limit;
    struct guard_config gc = {g_config.header_timeout_s, g_config.body_timeout_s,
                              g_config.body_min_rate, g_config.timeout_s, g_config.conn_limit};
    if (!workers_start(&wc) || !guard_start(&gc)) {
        log_error("start", "could not start the worker or watchdog threads");
        return false;
    }
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
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
        daemon_conn_notify, NULL, MHD_OPTION_URI_LOG_CALLBACK, daemon_conn_request_line, NULL,
        MHD_OPTION_END);
    if (!daemon_handle) {
        log_error("listen", "could not serve on %s (in use, or not an address of this machine)",
                  g_config.listen);
        workers_stop();
        guard_stop();
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
    /* Every job still queued is answered (late: 503) and every worker joined before the
     * daemon goes, so no worker resumes a connection libmicrohttpd has freed. */
    workers_stop();
    MHD_stop_daemon(daemon_handle);
    guard_stop(); /* after the daemon: no connection is left to report */
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    daemon_handle = NULL;
}
