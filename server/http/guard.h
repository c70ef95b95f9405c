/* Checks on a request before dispatch: its framing headers, the escapes in its URL,
 * key-like text in its path or query, and its query parameters against its route's list. */
#ifndef HTTP_GUARD_H
#define HTTP_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

#define GUARD_MAX_URI 8192      /* bytes of path and query together */
#define GUARD_MAX_HEADERS 16384 /* bytes of header names and values together */

/* A reason to refuse the request's framing, or NULL, with the status to answer (400;
 * 501 for a transfer coding other than chunked): two Content-Lengths or a non-numeric
 * one; Transfer-Encoding with Content-Length, twice, or on HTTP/1.0; a header name that
 * is not a token (a space before the colon); a control byte in a header value; no Host
 * on HTTP/1.1, or two. version is the request line's ("HTTP/1.1"). */
const char *guard_framing(struct request *rq, const char *version, int *status);
/* Decodes %HH in place, except control bytes, kept as their three characters (for
 * guard_path to refuse); returns the new length. libmicrohttpd's unescape callback. */
size_t guard_unescape(char *s);
/* False after a 400 when the path holds an escaped control byte or a key. */
bool guard_path(struct request *rq, struct reply *rp);
/* False after a 400 when the query holds a key, or a parameter that its route (found
 * already) does not read, twice, or without a value. */
bool guard_query(struct request *rq, struct reply *rp);

#endif
