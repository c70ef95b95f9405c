/* libmicrohttpd glue. A request's state is allocated on the first access-handler call
 * and freed when libmicrohttpd reports the request complete, whatever happened in
 * between. The event-loop threads never wait on PostgreSQL: what needs the database is
 * suspended and handed to a worker lane (http/workers.h), which makes the answer and
 * resumes the connection; the loop then sends it (daemon_send.c). */
#include "http/daemon.h"

#include <microhttpd.h>
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
#include "http/daemon_conn.h"
#include "http/daemon_send.h"
#include "http/deadline.h"
#include "http/listen.h"
#include "http/guard.h"
#include "domain/query.h"
#include "http/problem.h"
#include "http/reqdb.h"
#include "http/request.h"
#include "http/routes.h"
#include "http/workers.h"
#include "log.h"
#include "stats.h"
#include "store/db.h"

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
static void serve_route(struct request *rq, struct reply *rp);
static enum MHD_Result queue_for_worker(struct request *rq);
static void run_queued(struct work *w, bool late);
static enum MHD_Result answer(struct request *rq);
static bool authorize(struct request *rq, struct reply *rp);
static bool choose_format(struct request *rq, struct reply *rp);
static enum http_method method_of(const char *m);
static double seconds_since(const struct timespec *t);
static void wait_in_flight(int64_t limit_ms, bool while_running);

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

/* ---- auth, representation ---- */

/* Whether the route needs a key whatever the request sends. */
static bool route_needs_key(const struct route *r) {
    return (r->flags & (ROUTE_SUBMIT | ROUTE_ADMIN | ROUTE_KEY)) ||
           ((r->flags & ROUTE_READ) && !g_config.public_read);
}

static bool authorize(struct request *rq, struct reply *rp) {
    unsigned flags = rq->route->flags;
    const char *auth = req_header(rq, "Authorization");
    if (!auth) {
        if (!route_needs_key(rq->route))
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

/* ---- dispatch ---- */

/* Names the question and answers 304 when the client holds the answer at rq->version.
 * True when rp is answered (304, or the 503 of a failed allocation). */
static bool answered_by_version(struct request *rq, struct reply *rp) {
    if (!req_name_question(rq)) {
        reply_out_of_memory(rp);
        return true;
    }
    char etag[QUESTION_ETAG_SIZE];
    question_etag(&rq->question, rq->version, etag);
    if (!req_none_match(rq, etag))
        return false;
    cache_count_revalidated(rq);
    rp->status = 304;
    return true;
}

/* For a route whose answer follows the data version, on a worker: learns the version
 * of the database the read goes to (asking it when that is not known or older than
 * Min-Data-Version), then the 304 check. False when rp is
 * answered (304, 503). */
static bool check_version(struct request *rq, struct reply *rp) {
    return req_settle_version(rq, rp) && !answered_by_version(rq, rp);
}

/* Everything that can be answered without PostgreSQL, on the event loop: refusals,
 * routing, preflights, the routes that never touch the database, and, for an open read
 * whose data version is known, a 304 or a cache hit. True when rp is the answer; false
 * when the request needs the database and goes to a worker. */
static bool dispatch_front(struct request *rq, struct reply *rp) {
    char allow[128];
    if (rq->out_of_memory) {
        reply_out_of_memory(rp);
        return true;
    }
    if (rq->body_too_large) {
        problem_reply(rp, 413, "the body is over the %zu-byte limit; split the submission",
                      g_config.max_body);
        return true;
    }
    if (!guard_path(rq, rp))
        return true;
    enum router_outcome found = router_match(routes, routes_count, rq, allow, sizeof allow);
    if (found == ROUTER_NO_MEMORY) {
        reply_out_of_memory(rp);
        return true;
    }
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
    if (!guard_query(rq, rp) || !choose_format(rq, rp) || !req_read_min_version(rq, rp))
        return true;
    unsigned flags = rq->route->flags;
    /* A key that is sent is checked, even where none is needed, and that needs the
     * database: such a request goes to a worker. */
    const char *auth = req_header(rq, "Authorization");
    if ((flags & ROUTE_NO_DB) && !auth) {
        rq->route->handler(rq, rp);
        if (!rp->status) {
            log_error("handler", "%s answered nothing", rq->route->label);
            problem_reply(rp, 500, "the server failed to answer; the error is logged");
        }
        return true;
    }
    /* So does a route that needs a key, and a read whose data version is not known yet. */
    if (!(flags & ROUTE_ETAG) || route_needs_key(rq->route) || auth)
        return false;
    /* The version from memory alone (the replica's, or the primary's when the replica
     * is down or behind Min-Data-Version): a worker waits or asks when it is not known. */
    if (!req_version_from_memory(rq))
        return false;
    if (answered_by_version(rq, rp))
        return true;
    struct cache_key key;
    cache_key_make(rq, &key);
    return cache_serve_early(rq, rp, &key);
}

/* The rest, on a worker thread: which database answers (waiting briefly for the replica
 * to reach Min-Data-Version here, never on the event loop), then serve_route; again
 * from the primary when the replica was lost under the read. */
static void dispatch_back(struct request *rq, struct reply *rp) {
    req_choose_source(rq);
    serve_route(rq, rp);
    if (req_again_on_primary(rq, rp)) /* the replica went away under this read */
        serve_route(rq, rp);
}

/* The key, the data version (and the 304), the handler. */
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

/* A worker's job: the answer is made here, off the event loop (its JSON written out
 * too), then the connection is resumed and the event loop sends it. After the resume
 * the request may be gone at any moment: nothing here touches it again. */
static void run_queued(struct work *w, bool late) {
    struct request *rq = (struct request *)(void *)((char *)w - offsetof(struct request, work));
    struct reply *rp = rq->answer;
    if (late) {
        problem_reply(rp, 503,
                      workers_stopping()
                          ? "the server is stopping; nothing was changed; try again shortly"
                          : "the server is busy: the request waited its limit for a database "
                            "worker; nothing was changed; try again shortly");
        reply_header(rp, "Retry-After", "2");
    } else {
        dispatch_back(rq, rp);
    }
    if (rp->source == REPLY_NONE && rp->json && !rp->out_of_memory) {
        char *text = json_dumps(rp->json, REPLY_JSON_FLAGS);
        if (text) /* else the event loop tries again, and answers 503 if it cannot */
            reply_body(rp, rp->status, rp->content_type, text, strlen(text));
    }
    /* The answer is made: the connection goes back now, not once a slow client has read
     * it, so the pool (one connection a worker) never runs short. A stream took its own. */
    req_release_db(rq);
    MHD_resume_connection(rq->conn);
}

/* Parks the connection and hands the request to a worker lane: submissions on their
 * own lane so they never hold the threads reads are answered on. A full lane answers
 * 503 at once. */
static enum MHD_Result queue_for_worker(struct request *rq) {
    rq->answer = calloc(1, sizeof *rq->answer);
    if (!rq->answer)
        return daemon_send_out_of_memory(rq);
    bool submission = rq->route && (rq->route->flags & ROUTE_SUBMIT);
    rq->work.run = run_queued;
    /* Suspended before it is queued, so the worker's resume always follows the suspend. */
    MHD_suspend_connection(rq->conn);
    if (!workers_submit(submission ? WORK_SUBMIT : WORK_READ, &rq->work)) {
        if (workers_stopping())
            problem_reply(rq->answer, 503,
                          "the server is stopping; nothing was changed; try again shortly");
        else
            problem_reply(rq->answer, 503,
                          "the server is busy: every %s worker is taken and the queue is "
                          "full; nothing was changed; try again shortly",
                          submission ? "submission" : "database");
        reply_header(rq->answer, "Retry-After", "2");
        MHD_resume_connection(rq->conn);
    }
    return MHD_YES;
}

/* Answers on the event loop when no database is needed, else queues for a worker. */
static enum MHD_Result answer(struct request *rq) {
    struct reply rp = {0};
    if (!dispatch_front(rq, &rp)) {
        reply_free(&rp);
        return queue_for_worker(rq);
    }
    enum MHD_Result r = daemon_send(rq, &rp);
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
        rq->deadline = daemon_conn_deadline(conn);
        deadline_headers_done(rq->deadline);
        int status = 400;
        const char *fault = guard_framing(rq, version, &status);
        if (fault) {
            /* Answered before the body is read, and the connection closed: its framing
             * cannot be trusted to find where the next request starts. */
            rq->answered_early = true;
            struct reply rp = {0};
            problem_reply(&rp, status, "%s", fault);
            reply_header(&rp, "Connection", "close");
            enum MHD_Result r = daemon_send(rq, &rp);
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
            return answer(rq); /* the 413, on the loop: body_too_large is set */
        }
        return MHD_YES;
    }
    if (*upload_size) {
        deadline_body(rq->deadline, *upload_size);
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
    deadline_answering(rq->deadline);
    if (rq->answer) { /* resumed: the worker's answer is ready */
        struct reply *done = rq->answer;
        rq->answer = NULL;
        enum MHD_Result r = daemon_send(rq, done);
        reply_free(done);
        free(done);
        return r;
    }
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
    deadline_idle(rq->deadline);
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
    struct deadline_config dc = {g_config.header_timeout_s, g_config.body_timeout_s,
                                 g_config.body_min_rate, g_config.timeout_s, g_config.conn_limit};
    if (!workers_start(&wc) || !deadline_start(&dc)) {
        log_error("start", "could not start the worker or watchdog threads");
        workers_stop();
        deadline_stop();
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
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (!daemon_handle) {
        log_error("listen", "could not serve on %s (in use, or not an address of this machine)",
                  g_config.listen);
        workers_stop();
        deadline_stop();
        return false;
    }
    return true;
}

/* Waits until no request is in flight, for at most limit_ms, or, with
 * while_running, for as long as a worker is on a job (its statements are bounded by
 * their limits, so that wait ends). */
static void wait_in_flight(int64_t limit_ms, bool while_running) {
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (atomic_load(&in_flight) > 0) {
        /* Wall-clock time, not a count of naps: on a loaded machine a nap runs long. */
        if (while_running ? workers_running() == 0 : seconds_since(&t0) * 1000 >= limit_ms)
            return;
        struct timespec t = {0, 10 * 1000000L};
        nanosleep(&t, NULL);
    }
}

/* Shutdown, in an order that leaves no connection suspended when the daemon stops
 * (libmicrohttpd forbids that) and no answer half made. Stop accepting; serve what is
 * in flight for up to 10 s, as before; then answer every job still queued with a 503
 * (nothing was changed) and let the jobs running finish, however long their
 * statements take, so a submission being applied is committed and answered; join the
 * workers, whose last act is always a resume; give the loop a second to send what
 * they resumed; stop the daemon. */
void http_stop(void) {
    if (!daemon_handle)
        return;
    MHD_socket fd = MHD_quiesce_daemon(daemon_handle);
    wait_in_flight(10000, false);
    workers_drain();
    wait_in_flight(0, true);
    workers_stop();
    wait_in_flight(1000, false);
    MHD_stop_daemon(daemon_handle);
    deadline_stop(); /* after the daemon: no connection is left to report */
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    daemon_handle = NULL;
}
