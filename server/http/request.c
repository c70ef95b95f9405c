/* The request core's reading half: a request's query, headers, route parameters and
 * the question it asks, read through libmicrohttpd. The daemon (daemon.c) owns the
 * request's life; the reply half is reply.c. */
#include "http/request.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"

#define ARGS_ON_STACK 32

const char *req_query(struct request *rq, const char *name) {
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct request *rq, const char *name) {
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *req_param(struct request *rq, int i) {
    return i < rq->nparams ? rq->params[i] : "";
}

/* RFC 9110 13.1.2: a list of entity tags, or "*". */
bool req_none_match(struct request *rq, const char *etag) {
    const char *header = req_header(rq, "If-None-Match");
    if (!header)
        return false;
    if (strcmp(header, "*") == 0)
        return true;
    size_t n = strlen(etag);
    for (const char *p = strstr(header, etag); p; p = strstr(p + 1, etag))
        if (p[n] == '\0' || p[n] == ',' || p[n] == ' ')
            return true;
    return false;
}

struct arg_list {
    struct question_arg *args;
    int n, cap;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value) {
    (void)kind;
    struct arg_list *a = cls;
    if (a->n == a->cap)
        return MHD_NO;
    a->args[a->n].name = key;
    a->args[a->n].value = value;
    a->n++;
    return MHD_YES;
}

bool req_name_question(struct request *rq) {
    if (rq->question_named)
        return true;
    struct question_arg on_stack[ARGS_ON_STACK];
    struct arg_list a = {on_stack, 0, ARGS_ON_STACK};
    int total = MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, NULL, NULL);
    if (total > ARGS_ON_STACK) {
        a.args = malloc((size_t)total * sizeof *a.args);
        if (!a.args) {
            rq->out_of_memory = true;
            return false;
        }
        a.cap = total;
    }
    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
    question_make(&rq->question, rq->path, a.args, a.n, rq->csv,
                  rq->who.scopes & (SCOPE_READ | SCOPE_ADMIN),
                  calendar_month_index((int64_t)time(NULL)));
    if (a.args != on_stack)
        free(a.args);
    rq->question_named = true;
    return true;
}

struct each {
    req_each_fn fn;
    void *cls;
};

static enum MHD_Result each_value(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_len, const char *value, size_t value_len) {
    (void)kind;
    struct each *e = cls;
    return e->fn(e->cls, key, key_len, value, value_len) ? MHD_YES : MHD_NO;
}

void req_each(struct request *rq, bool headers, req_each_fn each, void *cls) {
    struct each e = {each, cls};
    MHD_get_connection_values_n(rq->conn, headers ? MHD_HEADER_KIND : MHD_GET_ARGUMENT_KIND,
                                each_value, &e);
}
