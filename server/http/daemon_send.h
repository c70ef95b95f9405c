/* The daemon's sending half (daemon_send.c): a reply queued on its connection as a
 * libmicrohttpd response. Used by the daemon alone. */
#ifndef HTTP_DAEMON_SEND_H
#define HTTP_DAEMON_SEND_H

#include <microhttpd.h>

struct request;
struct reply;

/* Queues rp on rq's connection with the headers every answer carries, and records its
 * status in rq->status. What the response takes is cleared from rp; the caller still
 * frees rp. An answer that cannot be made becomes the 503 of daemon_send_out_of_memory. */
enum MHD_Result daemon_send(struct request *rq, struct reply *rp);
/* The 503 for a request that ran out of memory, from static bytes; MHD_NO (the
 * connection closes) when even that cannot be queued. */
enum MHD_Result daemon_send_out_of_memory(struct request *rq);

#endif
