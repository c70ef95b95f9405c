/* Slow clients. libmicrohttpd's only clock is the idle timeout, which every byte
 * resets, so a client sending one byte every few seconds holds a connection slot for
 * ever. This module keeps a deadline per connection, in the spirit of Apache's
 * mod_reqtimeout, and a watchdog thread closes (shutdown(2)) a connection past it:
 *   - a new connection's first request line and headers within header_s of accept;
 *   - a later request's headers within header_s of its request line, and that line
 *     within the idle timeout of the previous answer (in all, not per byte);
 *   - a body within body_s plus one second per min_rate bytes received (a body no
 *     slower than min_rate bytes a second once its first body_s have passed);
 *   - no deadline while the server is working on the answer or sending it.
 * Room for new clients: once the open connections pass three quarters of the limit,
 * keep-alive connections idle for over a second are closed and the header deadline
 * halves, so the slots go to clients with a request to make.
 * Knows nothing of libmicrohttpd: the daemon reports each connection's events. */
#ifndef HTTP_DEADLINE_H
#define HTTP_DEADLINE_H

#include <stdbool.h>
#include <stddef.h>

struct deadline_config {
    int header_s;   /* request line and headers complete within this */
    int body_s;     /* a body's first stretch, before the rate applies */
    int min_rate;   /* bytes a second a body must keep up after body_s */
    int idle_s;     /* longest wait for the next request on a kept-alive connection */
    int conn_limit; /* the daemon's connection limit, for the pressure rule */
};

struct deadline_conn;

bool deadline_start(const struct deadline_config *cfg);
void deadline_stop(void);

/* A connection was accepted on fd; NULL when out of memory (it goes without deadlines). */
struct deadline_conn *deadline_open(int fd);
/* It is closing: forgets it, before the daemon closes fd, so the watchdog can never
 * shut down a later connection that reuses the number. */
void deadline_close(struct deadline_conn *g);
/* The request line has arrived: the header clock starts (a kept-alive connection). */
void deadline_request_line(struct deadline_conn *g);
/* The headers are complete: the body clock starts. */
void deadline_headers_done(struct deadline_conn *g);
/* n more body bytes arrived. */
void deadline_body(struct deadline_conn *g, size_t n);
/* The body is complete: the server is answering; no deadline. */
void deadline_answering(struct deadline_conn *g);
/* The answer is sent: waiting for the next request. */
void deadline_idle(struct deadline_conn *g);

struct deadline_stats {
    int open;
    unsigned long long cut_headers, cut_body, cut_idle;
};
void deadline_stats(struct deadline_stats *out);
struct strbuf;
/* Prometheus lines: open connections, slow clients closed by phase. */
void deadline_stats_render(struct strbuf *out);

#endif
