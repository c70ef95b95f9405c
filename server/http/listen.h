/* Parsing WELLBEING_LISTEN. */
#ifndef HTTP_LISTEN_H
#define HTTP_LISTEN_H

#include <stdbool.h>
#include <sys/socket.h>

/* "127.0.0.1:8080", "[::1]:8080", "localhost:8080" into a socket address. */
bool listen_parse(const char *text, struct sockaddr_storage *addr, socklen_t *len);

/* The connection limit this process can keep: wanted, or fewer when the open-file
 * limit (raised to its hard limit first) leaves less than wanted + reserve descriptors. */
int listen_affordable_connections(int wanted, int reserve);

#endif
