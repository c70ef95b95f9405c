/* The daemon's sending half: a filled reply (http/request.h) turned into libmicrohttpd's
 * response, with the headers every answer carries (caching, the ETag, CORS). Apart
 * from daemon.c, which owns a request's life and dispatch. */
#include "http/daemon_send.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "http/daemon_stream.h"
#include "http/reqdb.h"
#include "http/request.h"
#include "http/router.h"

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

static const char *cors_origin(struct request *rq);
static struct MHD_Response *response_of(struct request *rq, struct reply *rp);
static bool add_headers(struct request *rq, struct reply *rp, struct MHD_Response *resp);

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

/* The 503 for a request that ran out of memory; MHD_NO (the connection closes) when
 * even that cannot be queued. */
enum MHD_Result daemon_send_out_of_memory(struct request *rq) {
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
        /* Its reader may wait on PostgreSQL: a worker runs it (daemon_stream.h). */
        resp = daemon_stream_response(rq->conn, rp);
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

enum MHD_Result daemon_send(struct request *rq, struct reply *rp) {
    rq->status = rp->status;
    if (rp->out_of_memory)
        return daemon_send_out_of_memory(rq);
    struct MHD_Response *resp = response_of(rq, rp);
    if (!resp)
        return daemon_send_out_of_memory(rq);
    if (!add_headers(rq, rp, resp)) {
        MHD_destroy_response(resp);
        return daemon_send_out_of_memory(rq);
    }
    enum MHD_Result ok = MHD_queue_response(rq->conn, (unsigned)rp->status, resp);
    MHD_destroy_response(resp);
    return ok;
}
