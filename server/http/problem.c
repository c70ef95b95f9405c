/* Problem details (RFC 9457). The type URI names the status so clients can branch on
 * it; the detail says what to change. The request's database connections (req_db,
 * req_db_primary, req_db_failed) are declared with them, since not getting one is a problem answer;
 * they live in http/reqdb.c with the choice of database they depend on. */
#include "http/problem.h"

#include <stdarg.h>
#include <stdio.h>

static json_t *problem_new(int status, json_t *errors, const char *fmt, va_list ap);

const char *problem_title(int status) {
    switch (status) {
    case 400:
        return "Bad request";
    case 401:
        return "Authentication required";
    case 403:
        return "Not allowed";
    case 404:
        return "Not found";
    case 405:
        return "Method not allowed";
    case 406:
        return "Not acceptable";
    case 409:
        return "Conflict";
    case 413:
        return "Payload too large";
    case 414:
        return "URI too long";
    case 415:
        return "Unsupported media type";
    case 422:
        return "Unprocessable content";
    case 429:
        return "Too many requests";
    case 431:
        return "Request header fields too large";
    case 501:
        return "Not implemented";
    case 503:
        return "Service unavailable";
    default:
        return status >= 500 ? "Internal error" : "Request failed";
    }
}

static json_t *problem_new(int status, json_t *errors, const char *fmt, va_list ap) {
    char detail[2048];
    char type[64];
    vsnprintf(detail, sizeof detail, fmt, ap);
    snprintf(type, sizeof type, "https://wellbeing.wmca.org.uk/problems/%d", status);
    json_t *j = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", problem_title(status),
                          "status", status, "detail", detail);
    if (!j) /* detail was not valid UTF-8: say so rather than echo it */
        j = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", problem_title(status),
                      "status", status, "detail", "the request held text that is not UTF-8");
    /* json_object_set_new releases errors whatever happens, also when j is NULL. */
    if (errors && json_object_set_new(j, "errors", errors) != 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static void problem_set(struct reply *rp, int status, json_t *j) {
    reply_json(rp, status, j); /* a NULL j (out of memory) becomes the 503 */
    if (rp->out_of_memory)
        return;
    rp->content_type = "application/problem+json";
    rp->no_etag = true;
}

void problem_reply(struct reply *rp, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    json_t *j = problem_new(status, NULL, fmt, ap);
    va_end(ap);
    problem_set(rp, status, j);
}

void problem_reply_errors(struct reply *rp, int status, json_t *errors, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    json_t *j = problem_new(status, errors, fmt, ap);
    va_end(ap);
    problem_set(rp, status, j);
}

void problem_unavailable(struct reply *rp) {
    problem_reply(rp, 503, "the database is not reachable just now; try again shortly");
    reply_header(rp, "Retry-After", "5");
}

void problem_db_busy(struct reply *rp) {
    problem_reply(rp, 503,
                  "the database is busy: a query or a lock wait ran past its limit and nothing "
                  "was changed; try again shortly");
    reply_header(rp, "Retry-After", "2");
}

json_t *problem_error(const char *field, const char *code, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *j = json_pack("{s:s, s:s}", "code", code, "message", msg);
    if (!j)
        j = json_pack("{s:s, s:s}", "code", code, "message", "value is not valid UTF-8");
    /* A field that is not UTF-8 is left out, as a bad detail is replaced above. */
    json_t *f = field ? json_string(field) : NULL;
    if (f && json_object_set_new(j, "field", f) != 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}
