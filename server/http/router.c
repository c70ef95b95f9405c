/* Route matching over a table. Patterns are split on '/'; a {name} segment matches any
 * one non-empty segment and is handed to the handler in order. */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *http_method_name(enum http_method m) {
    static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "?"};
    return names[m];
}

struct segments {
    const char *at[ROUTE_MAX_PARAMS];
    size_t len[ROUTE_MAX_PARAMS];
    int n;
};

/* Walks pattern and path segment by segment; notes where the {name} segments lie.
 * Nothing is copied until the method matches too. Byte by byte rather than by strcspn:
 * this runs against every route before the one that matches, on every request, and
 * most routes differ from the path within a few bytes. */
static bool pattern_match(const char *pattern, const char *path, struct segments *seg) {
    const char *p = pattern, *s = path;
    seg->n = 0;
    while (*p == '/' && *s == '/') {
        p++;
        s++;
        if (p[0] == '{' && p[1] && p[1] != '/') { /* {name}: any one non-empty segment */
            const char *start = s;
            while (*s && *s != '/')
                s++;
            if (s == start || seg->n == ROUTE_MAX_PARAMS)
                return false;
            seg->at[seg->n] = start;
            seg->len[seg->n] = (size_t)(s - start);
            seg->n++;
            while (*p && *p != '/')
                p++;
            continue;
        }
        while (*p && *p != '/' && *p == *s) {
            p++;
            s++;
        }
        if ((*p && *p != '/') || (*s && *s != '/'))
            return false; /* the segments differ */
    }
    return *p == '\0' && *s == '\0';
}

/* Copies the {name} segments into rq->params; false (and nothing kept) when a copy
 * could not be allocated. */
static bool take_params(struct request *rq, const struct segments *seg) {
    for (int i = 0; i < seg->n; i++) {
        rq->params[i] = strndup(seg->at[i], seg->len[i]);
        if (!rq->params[i]) {
            for (int k = 0; k < i; k++) {
                free(rq->params[k]);
                rq->params[k] = NULL;
            }
            return false;
        }
    }
    rq->nparams = seg->n;
    return true;
}

/* Appends ", NAME" (or "NAME" first) when it fits whole; a name that does not fit is
 * left out rather than cut. */
static void allow_add(char *allow, size_t allow_size, size_t *used, const char *name) {
    int w = snprintf(allow + *used, allow_size - *used, "%s%s", *used ? ", " : "", name);
    if (w > 0 && (size_t)w < allow_size - *used)
        *used += (size_t)w;
    else
        allow[*used] = '\0';
}

enum router_outcome router_match(const struct route *table, int n, struct request *rq, char *allow,
                                 size_t allow_size) {
    enum http_method m = rq->method == HTTP_HEAD ? HTTP_GET : rq->method;
    bool path_known = false;
    size_t used = 0;
    allow[0] = '\0';
    for (int i = 0; i < n; i++) {
        struct segments seg;
        if (!pattern_match(table[i].pattern, rq->path, &seg))
            continue;
        if (table[i].method == m) {
            if (!take_params(rq, &seg))
                return ROUTER_NO_MEMORY;
            rq->route = &table[i];
            rq->route_index = i;
            return ROUTER_FOUND;
        }
        path_known = true;
        allow_add(allow, allow_size, &used, http_method_name(table[i].method));
        if (table[i].method == HTTP_GET && strstr(allow, "HEAD") == NULL)
            allow_add(allow, allow_size, &used, "HEAD");
    }
    return path_known ? ROUTER_BAD_METHOD : ROUTER_NOT_FOUND;
}
