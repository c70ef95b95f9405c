/* Streamed bodies pumped by the workers (see daemon_stream.h). The event loop and the
 * worker never touch a pump at the same time: the loop hands it over by suspending the
 * connection before queueing the fill, and the worker hands it back by resuming it as
 * its last act (libmicrohttpd orders the two). */
#include "http/daemon_stream.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "http/workers.h"

/* How much a worker reads ahead for the loop to send, per stream. */
#define PUMP_SIZE (64 * 1024)

struct pump {
    struct MHD_Connection *conn;
    reply_reader_fn reader;
    reply_release_fn release;
    void *cls;
    struct work work;
    uint64_t made; /* bytes the reader has produced so far (its pos) */
    size_t len, off;
    bool ended, failed;
    char buf[PUMP_SIZE];
};

static ssize_t pump_read(void *cls, uint64_t pos, char *out, size_t max);
static void pump_fill(struct work *w, bool late);
static void pump_free(void *cls);
static void pump_release(struct work *w, bool late);

/* On the event loop: what the worker made, else hand the next stretch to a worker. */
static ssize_t pump_read(void *cls, uint64_t pos, char *out, size_t max) {
    (void)pos;
    struct pump *p = cls;
    if (p->off < p->len) {
        size_t n = p->len - p->off < max ? p->len - p->off : max;
        memcpy(out, p->buf + p->off, n);
        p->off += n;
        return (ssize_t)n;
    }
    if (p->ended)
        return p->failed ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
    p->len = p->off = 0;
    p->work.run = pump_fill;
    MHD_suspend_connection(p->conn);
    if (!workers_continue(WORK_READ, &p->work)) {
        /* The workers are gone (the server is stopping): cut the body short. */
        MHD_resume_connection(p->conn);
        p->ended = p->failed = true;
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    return 0; /* suspended: libmicrohttpd asks again once the worker resumes it */
}

/* On a worker: the reader fills the buffer (waiting on PostgreSQL as it must). */
static void pump_fill(struct work *w, bool late) {
    struct pump *p = (struct pump *)(void *)((char *)w - offsetof(struct pump, work));
    if (late) /* the server is stopping: the body is cut short */
        p->ended = p->failed = true;
    while (!p->ended && p->len < PUMP_SIZE) {
        ssize_t n = p->reader(p->cls, p->made, p->buf + p->len, PUMP_SIZE - p->len);
        if (n == REPLY_STREAM_END) {
            p->ended = true;
        } else if (n < 0) {
            p->ended = p->failed = true;
        } else if (n == 0) {
            break; /* nothing yet: the loop asks again */
        } else {
            p->len += (size_t)n;
            p->made += (uint64_t)n;
        }
    }
    MHD_resume_connection(p->conn);
}

/* On a worker: the stream's own release, which may talk to PostgreSQL (a query cut
 * short is cancelled and drained before its connection goes back). */
static void pump_release(struct work *w, bool late) {
    (void)late;
    struct pump *p = (struct pump *)(void *)((char *)w - offsetof(struct pump, work));
    if (p->release)
        p->release(p->cls);
    free(p);
}

/* libmicrohttpd is done with the response (on the event loop, or as the daemon stops,
 * when the workers are gone and the release runs here). */
static void pump_free(void *cls) {
    struct pump *p = cls;
    p->work.run = pump_release;
    if (!workers_continue(WORK_READ, &p->work))
        pump_release(&p->work, true);
}

struct MHD_Response *daemon_stream_response(struct MHD_Connection *conn, struct reply *rp) {
    struct pump *p = malloc(sizeof *p);
    if (!p)
        return NULL;
    *p = (struct pump){.conn = conn, .reader = rp->reader, .release = rp->release, .cls = rp->cls};
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, rp->shared_len,
                                                                  pump_read, p, pump_free);
    if (!resp) {
        free(p);
        return NULL;
    }
    return resp;
}
