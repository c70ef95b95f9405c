/* What a request must be before any route sees it: framed one way only, no control
 * byte or key in its path, and a query of the parameters its route reads. */
#include "http/guard.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "domain/query.h"
#include "domain/utf8.h"
#include "http/problem.h"
#include "http/router.h"

static bool has_escaped_control(const char *path);
static int hex_value(char c);

/* ---- framing ---- */

struct framing {
    int lengths, encodings, hosts;
    bool bad_length, bad_name, bad_value, other_coding;
};

/* RFC 9110 section 5.6.2: a field name is a token. */
static bool is_token(const char *s, size_t len) {
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        /* c != 0 first: strchr finds the terminator of its string for a NUL. */
        if (c == '\0' || (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') &&
                          !(c >= 'A' && c <= 'Z') && !strchr("!#$%&'*+-.^_`|~", c)))
            return false;
    }
    return true;
}

/* A field value holds no control byte but the tab (RFC 9110 section 5.5): a NUL ends it
 * as C reads it, and a bare CR is read as a line end by some proxies and not by others. */
static bool clean_value(const char *v, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f)
            return false;
    return true;
}

static bool is_chunked(const char *v) {
    v += strspn(v, " \t");
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    return n == 7 && strncasecmp(v, "chunked", 7) == 0;
}

static bool count_framing(void *cls, const char *key, size_t key_len, const char *value,
                          size_t value_len) {
    struct framing *f = cls;
    f->bad_name |= !is_token(key, key_len);
    f->bad_value |= value && !clean_value(value, value_len);
    if (strcasecmp(key, "Content-Length") == 0) {
        f->lengths++;
        f->bad_length |= !value || !*value || strspn(value, "0123456789") != strlen(value);
    } else if (strcasecmp(key, "Transfer-Encoding") == 0) {
        f->encodings++;
        f->other_coding |= !value || !is_chunked(value);
    } else if (strcasecmp(key, "Host") == 0) {
        f->hosts++;
    }
    return true;
}

/* libmicrohttpd 0.9.75 reads the first Content-Length and lets a chunked body win over a
 * length, takes "Content-Length : 5" (a space before the colon) for another header, and
 * waits for a body in a coding it cannot read: a proxy in front that framed the body the
 * other way would let a second request be smuggled inside the first (RFC 9112 sections
 * 5.1 and 6). RFC 9112 section 3.2 asks for exactly one Host on HTTP/1.1. */
const char *guard_framing(struct request *rq, const char *version, int *status) {
    struct framing f = {0};
    req_each(rq, true, count_framing, &f);
    bool http10 = version && strcmp(version, "HTTP/1.0") == 0;
    *status = 400;
    if (f.bad_name)
        return "a header name holds a space or another character a name cannot (no space "
               "may stand before the colon)";
    if (f.bad_value)
        return "a header value holds a control character (NUL, CR or another below 0x20 "
               "but the tab)";
    if (f.lengths > 1)
        return "the request has more than one Content-Length header: send exactly one";
    if (f.bad_length)
        return "Content-Length must be a whole number of bytes";
    if (f.encodings && (f.lengths || f.encodings > 1 || http10))
        return f.lengths ? "the request has both Transfer-Encoding and Content-Length: send "
                           "one of them"
               : http10  ? "Transfer-Encoding is not HTTP/1.0's: give Content-Length"
                         : "the request has more than one Transfer-Encoding header";
    if (f.other_coding) {
        *status = 501;
        return "the only transfer coding read is Transfer-Encoding: chunked; send the body "
               "as it is, with Content-Length or chunked alone";
    }
    if (f.hosts > 1)
        return "the request has more than one Host header: send exactly one";
    if (f.hosts == 0 && !http10)
        return "an HTTP/1.1 request needs a Host header";
    return NULL;
}

/* ---- escapes ---- */

static int hex_value(char c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* libmicrohttpd's own decoder turns %00 into a NUL, which ends the path as C reads it:
 * "/dashboard/app.js%00.png" would be served as app.js. This one decodes %HH as usual
 * but leaves a control byte (below 0x20, or 0x7F) as its three characters, for dispatch
 * to refuse. */
size_t guard_unescape(char *s) {
    char *w = s;
    for (const char *r = s; *r;) {
        int hi, lo;
        if (r[0] == '%' && (hi = hex_value(r[1])) >= 0 && (lo = hex_value(r[2])) >= 0 &&
            hi * 16 + lo >= 0x20 && hi * 16 + lo != 0x7f) {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static bool has_escaped_control(const char *path) {
    for (const char *p = strchr(path, '%'); p; p = strchr(p + 1, '%')) {
        int hi = hex_value(p[1]), lo = hi >= 0 ? hex_value(p[2]) : -1;
        if (lo >= 0 && (hi * 16 + lo < 0x20 || hi * 16 + lo == 0x7f))
            return true;
    }
    for (const char *p = path; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

static bool add_length(void *cls, const char *key, size_t key_len, const char *value,
                       size_t value_len) {
    (void)key;
    size_t *n = cls;
    *n += key_len + (value ? value_len : 0) + 4;
    return true;
}

/* libmicrohttpd answers a request line or header block past its memory pool (32 KiB)
 * with its own HTML 414 or 431, which no option changes; below that, the same limits
 * are ours to answer as problem+json, so a client that trips them learns why. */
static bool within_limits(struct request *rq, struct reply *rp) {
    size_t query = 0, headers = 0;
    req_each(rq, false, add_length, &query);
    req_each(rq, true, add_length, &headers);
    if (strlen(rq->path) + query > GUARD_MAX_URI) {
        problem_reply(rp, 414, "the URL is over %d bytes; no route needs one so long",
                      GUARD_MAX_URI);
        return false;
    }
    if (headers > GUARD_MAX_HEADERS) {
        problem_reply(rp, 431, "the request headers are over %d bytes together", GUARD_MAX_HEADERS);
        return false;
    }
    return true;
}

bool guard_path(struct request *rq, struct reply *rp) {
    if (!within_limits(rq, rp))
        return false;
    if (has_escaped_control(rq->path)) {
        problem_reply(rp, 400,
                      "the path holds a control character (such as %%00); no route "
                      "or file name has one");
        return false;
    }
    if (query_keylike(rq->path, strlen(rq->path))) {
        problem_reply(rp, 400,
                      "the path holds what looks like an API key: send keys only as "
                      "Authorization: Bearer <key>, and revoke this one, as URLs are logged "
                      "by proxies (to revoke a key, name it by its id)");
        return false;
    }
    return true;
}

/* ---- the query ---- */

#define QUERY_MAX_ARGS 32

struct args {
    const char *names[QUERY_MAX_ARGS], *values[QUERY_MAX_ARGS];
    size_t n;
    bool too_many, keylike;
};

static bool collect_args(void *cls, const char *key, size_t key_len, const char *value,
                         size_t value_len) {
    (void)key_len;
    (void)value_len;
    struct args *a = cls;
    /* A cursor is our own base64url token, mixed case by nature; any other value or
     * name that looks like a key is one sent by mistake. */
    if (query_keylike(key, strlen(key)) ||
        (value && strcmp(key, "cursor") != 0 && query_keylike(value, strlen(value))))
        a->keylike = true;
    if (a->n == QUERY_MAX_ARGS) {
        a->too_many = true;
        return false;
    }
    a->names[a->n] = key;
    a->values[a->n++] = value;
    return true;
}

/* Every query parameter must be one the route reads, given once, with a value; a
 * misspelt filter would otherwise be ignored and the answer would be everything. */
bool guard_query(struct request *rq, struct reply *rp) {
    struct args a = {.n = 0};
    req_each(rq, false, collect_args, &a);
    if (a.keylike) {
        problem_reply(rp, 400,
                      "the query holds what looks like an API key: send keys only as "
                      "Authorization: Bearer <key>, and revoke this one, as URLs are logged "
                      "by proxies");
        return false;
    }
    if (a.too_many) {
        problem_reply(rp, 400, "the query has more than %d parameters", QUERY_MAX_ARGS);
        return false;
    }
    const char *const *own = rq->route->params;
    if (own && own[0] && strcmp(own[0], "*") == 0)
        return true;
    const char *allowed[24];
    size_t k = 0;
    for (const char *const *p = rq->route->params; p && *p && k < 22; p++)
        allowed[k++] = *p;
    allowed[k++] = "format";
    allowed[k] = NULL;
    size_t at = 0;
    enum query_fault f = query_check(a.names, a.values, a.n, allowed, &at);
    if (f == QUERY_OK)
        return true;
    const char *name = a.names[at];
    int len = utf8_prefix_len(name, 40);
    if (f == QUERY_UNKNOWN) {
        char list[400] = "";
        size_t used = 0;
        for (size_t i = 0; allowed[i]; i++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", allowed[i]);
            if (w > 0 && (size_t)w < sizeof list - used)
                used += (size_t)w;
        }
        const char *near = query_suggest(name, allowed);
        problem_reply(rp, 400, "%.*s is not a parameter of %s %s%s%s%s; it takes: %s", len, name,
                      http_method_name(rq->route->method), rq->route->pattern,
                      near ? " (did you mean " : "", near ? near : "", near ? "?)" : "", list);
    } else if (f == QUERY_REPEATED) {
        problem_reply(rp, 400, "%.*s is given more than once: give each parameter once", len, name);
    } else {
        problem_reply(rp, 400, "%.*s has no value: give one, or leave the parameter out", len,
                      name);
    }
    return false;
}
