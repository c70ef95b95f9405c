/* The libmicrohttpd daemon: listening, per-request state, body collection with limits,
 * CORS, keys and scopes, ETags, and dispatch through the route table. */
#ifndef HTTP_DAEMON_H
#define HTTP_DAEMON_H

#include <stdbool.h>

/* Starts the daemon on g_config.listen; false with a logged reason on failure. */
bool http_start(void);
/* Stops accepting, waits (bounded) for in-flight requests, stops the daemon. */
void http_stop(void);

#endif
