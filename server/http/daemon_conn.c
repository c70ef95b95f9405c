/* Connection callbacks for the slow-client deadlines (see daemon_conn.h, http/deadline.h). */
#include "http/daemon_conn.h"

#include <stddef.h>

#include "http/deadline.h"

void daemon_conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                        enum MHD_ConnectionNotificationCode code) {
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = ci ? deadline_open(ci->connect_fd) : NULL;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        /* libmicrohttpd closes the socket after this returns. */
        deadline_close(*socket_context);
        *socket_context = NULL;
    }
}

void *daemon_conn_request_line(void *cls, const char *uri, struct MHD_Connection *conn) {
    (void)cls;
    (void)uri;
    deadline_request_line(daemon_conn_deadline(conn));
    return NULL;
}

struct deadline_conn *daemon_conn_deadline(struct MHD_Connection *conn) {
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}
