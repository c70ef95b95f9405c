/* The request core's answering half: filling in a reply. Plain data only; the daemon
 * turns it into a libmicrohttpd response, so this file links without libmicrohttpd.
 * Every helper takes what it is given even when it fails (HACKING.md, "Ownership and
 * allocation failure"), so a caller never has to ask whether to free. */
#include "http/request.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void reply_clear_body(struct reply *rp) {
    json_decref(rp->json);
    rp->json = NULL;
    free(rp->body);
    rp->body = NULL;
    rp->body_len = 0;
    if ((rp->source == REPLY_SHARED || rp->source == REPLY_STREAM) && rp->release)
        rp->release(rp->cls);
    else if (rp->source == REPLY_FILE)
        close(rp->fd);
    rp->source = REPLY_NONE;
    rp->shared = NULL;
    rp->shared_len = 0;
    rp->reader = NULL;
    rp->release = NULL;
    rp->cls = NULL;
    rp->fd = -1;
    rp->file_size = 0;
}

static void free_headers(struct reply *rp) {
    for (int i = 0; i < rp->nheaders; i++) {
        free(rp->headers[i][0]);
        free(rp->headers[i][1]);
    }
    rp->nheaders = 0;
}

void reply_out_of_memory(struct reply *rp) {
    reply_clear_body(rp);
    free_headers(rp);
    rp->status = 503;
    rp->content_type = NULL;
    rp->out_of_memory = true;
}

/* Replaces the body with one of the given kind; the caller fills in the rest. */
static void set_body(struct reply *rp, int status, const char *content_type,
                     enum reply_source source) {
    reply_clear_body(rp);
    rp->status = status;
    rp->content_type = content_type;
    rp->source = source;
}

void reply_json(struct reply *rp, int status, json_t *j) {
    if (!j) {
        reply_out_of_memory(rp);
        return;
    }
    set_body(rp, status, "application/json", REPLY_NONE);
    rp->json = j;
}

void reply_body(struct reply *rp, int status, const char *content_type, char *body, size_t len) {
    if (!body) {
        reply_out_of_memory(rp);
        return;
    }
    set_body(rp, status, content_type, REPLY_NONE);
    rp->body = body;
    rp->body_len = len;
}

void reply_shared(struct reply *rp, int status, const char *content_type, const char *data,
                  size_t len, reply_release_fn release, void *cls) {
    set_body(rp, status, content_type, REPLY_SHARED);
    rp->shared = data;
    rp->shared_len = len;
    rp->release = release;
    rp->cls = cls;
}

void reply_stream(struct reply *rp, int status, const char *content_type, size_t chunk,
                  reply_reader_fn reader, void *cls, reply_release_fn release) {
    set_body(rp, status, content_type, REPLY_STREAM);
    rp->shared_len = chunk;
    rp->reader = reader;
    rp->release = release;
    rp->cls = cls;
}

void reply_file(struct reply *rp, int status, const char *content_type, int fd, uint64_t size) {
    set_body(rp, status, content_type, REPLY_FILE);
    rp->fd = fd;
    rp->file_size = size;
}

void reply_header(struct reply *rp, const char *name, const char *value) {
    if (rp->out_of_memory || rp->nheaders == REPLY_MAX_HEADERS)
        return;
    char *n = strdup(name), *v = strdup(value);
    if (!n || !v) {
        free(n);
        free(v);
        reply_out_of_memory(rp);
        return;
    }
    rp->headers[rp->nheaders][0] = n;
    rp->headers[rp->nheaders][1] = v;
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
    reply_clear_body(rp);
    free_headers(rp);
    memset(rp, 0, sizeof *rp);
}
