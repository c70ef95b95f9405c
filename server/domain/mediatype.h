/* Media types as HTTP writes them (RFC 9110 section 8.3.1: type "/" subtype, then
 * parameters), so a body's Content-Type is matched exactly, type and subtype, case aside
 * and parameters aside: "application/jsonx" and "text/csvfoo" are not JSON and CSV. And
 * Accept read as its list of media ranges with their weights (section 12.5.1). */
#ifndef MEDIATYPE_H
#define MEDIATYPE_H

#include <stdbool.h>
#include <stddef.h>

#define MEDIATYPE_PARAM_SIZE 64

struct mediatype {
    const char *type, *subtype; /* into the text, not NUL-terminated */
    size_t type_len, subtype_len;
    bool has_charset;
    char charset[MEDIATYPE_PARAM_SIZE]; /* lower case, unquoted; "" when absent */
};

/* Parses one media type with its parameters (a Content-Type value); OWS around it is
 * taken. False for anything that is not one: no '/', an empty or non-token part, a
 * parameter without '=', an unclosed quoted string, a second media type after ','. */
bool mediatype_parse(const char *text, struct mediatype *out);
/* Whether m is exactly want ("application/json"), compared case-insensitively. */
bool mediatype_is(const struct mediatype *m, const char *want);
/* Whether the Content-Type text is exactly want, parameters aside; false for NULL. */
bool mediatype_matches(const char *text, const char *want);
/* The weight an Accept header gives to want: the q of the most specific range that
 * covers it (want itself, then type slash *, then * slash *), 0 when none does; 1 when the
 * header is absent (NULL or empty: anything goes). Elements that do not parse are
 * skipped, as a client's stray text should not decide the answer's form. */
double mediatype_accept_weight(const char *accept, const char *want);

#endif
