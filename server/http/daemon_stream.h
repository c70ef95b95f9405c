/* A streamed body (reply_stream) whose reader may wait on PostgreSQL, sent without the
 * event loop ever running that reader: when the bytes made so far are sent, the
 * connection is suspended and a worker runs the reader for the next stretch, then
 * resumes it. Used by the daemon's sending half alone. */
#ifndef HTTP_DAEMON_STREAM_H
#define HTTP_DAEMON_STREAM_H

#include <microhttpd.h>

struct reply;

/* libmicrohttpd's response for rp's stream on conn; what it takes is cleared from rp.
 * NULL when out of memory (rp still owns the stream). */
struct MHD_Response *daemon_stream_response(struct MHD_Connection *conn, struct reply *rp);

#endif
