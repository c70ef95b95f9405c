/* The request core every handler uses: reading a request's query, headers and route
 * parameters, its database connection, and filling in the reply. The daemon
 * (daemon.c) owns the request's life; this file owns what a handler may touch. */
#include "http/request.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/problem.h"
#include "store/db.h"

const char *req_query(struct request *rq, const char *name) {
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct request *rq, const char *name) {
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *req_param(struct request *rq, int i) {
    return i < rq->nparams ? rq->params[i] : "";
}

struct db_conn *req_db(struct request *rq, struct reply *rp) {
    if (!rq->db)
        rq->db = db_acquire();
    if (!rq->db) {
        problem_unavailable(rp);
    }
    return rq->db;
}

void req_db_failed(struct request *rq, struct reply *rp) {
    if (rq->db && !db_lost(rq->db) && db_timed_out(rq->db))
        problem_db_busy(rp);
    else
        problem_unavailable(rp);
}

void reply_json(struct reply *rp, int status, json_t *j) {
    json_decref(rp->json);
    rp->status = status;
    rp->json = j;
    rp->content_type = "application/json";
}

void reply_body(struct reply *rp, int status, const char *content_type, char *body, size_t len) {
    free(rp->body);
    rp->status = status;
    rp->body = body;
    rp->body_len = len;
    rp->content_type = content_type;
}

void reply_header(struct reply *rp, const char *name, const char *value) {
    if (rp->nheaders == REPLY_MAX_HEADERS)
        return;
    rp->headers[rp->nheaders][0] = strdup(name);
    rp->headers[rp->nheaders][1] = strdup(value);
    rp->nheaders++;
}

/* A handler that sets its own caching (the dashboard's files) keeps it. */
bool reply_has_header(const struct reply *rp, const char *name) {
    for (int i = 0; i < rp->nheaders; i++)
        if (strcasecmp(rp->headers[i][0], name) == 0)
            return true;
    return false;
}

void reply_free(struct reply *rp) {
    json_decref(rp->json);
    free(rp->body);
    if (rp->response)
        MHD_destroy_response(rp->response);
    for (int i = 0; i < rp->nheaders; i++) {
        free(rp->headers[i][0]);
        free(rp->headers[i][1]);
    }
    memset(rp, 0, sizeof *rp);
}
