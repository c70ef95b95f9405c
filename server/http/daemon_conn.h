/* libmicrohttpd's connection-level callbacks, apart from the request's: they report a
 * connection's life to the slow-client deadlines (http/deadline.h). */
#ifndef HTTP_DAEMON_CONN_H
#define HTTP_DAEMON_CONN_H

#include <microhttpd.h>

struct deadline_conn;

/* MHD_OPTION_NOTIFY_CONNECTION: accept and close. */
void daemon_conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                        enum MHD_ConnectionNotificationCode code);
/* MHD_OPTION_URI_LOG_CALLBACK: the request line has arrived. Returns NULL (no request
 * state yet: the access handler makes it). */
void *daemon_conn_request_line(void *cls, const char *uri, struct MHD_Connection *conn);
/* The deadline entry of conn's connection, NULL when it has none. */
struct deadline_conn *daemon_conn_deadline(struct MHD_Connection *conn);

#endif
