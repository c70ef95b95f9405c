/* Fuzzes the router over the server's own route table, after the path decoder the
 * daemon gives libmicrohttpd. The first byte picks the method, the rest is the path as
 * sent. The decoder never makes a control byte that was not sent as one (that is what
 * keeps app.js%00.png from being app.js); a match is the first route of that method
 * whose pattern gives back exactly the decoded path when its {name} segments are filled
 * with the parameters handed on; a 405 is a path some route of another method takes,
 * and its Allow list never names the method asked; a 404 a path no route takes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/guard.h"
#include "http/routes.h"

static void check(int ok) {
    if (!ok)
        abort();
}

static int has_control(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* The pattern with each {name} segment replaced by the next parameter, compared with
 * path; false when they differ or a parameter is empty or holds a '/'. */
static int rebuilds(const char *pattern, char *const *params, int nparams, const char *path) {
    int used = 0;
    const char *p = pattern, *s = path;
    while (*p) {
        if (*p == '{') {
            if (used == nparams)
                return 0;
            const char *v = params[used++];
            size_t vlen = strlen(v);
            if (vlen == 0 || strchr(v, '/') || strncmp(s, v, vlen) != 0)
                return 0;
            s += vlen;
            p = strchr(p, '}');
            check(p != NULL);
            p++;
        } else if (*p++ != *s++) {
            return 0;
        }
    }
    return *s == '\0' && used == nparams;
}

/* A plain reading of the pattern rule, to judge the router by: the same number of
 * segments, each equal or a {name} against a non-empty one. */
static int matches(const char *pattern, const char *path) {
    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/')
            return 0;
        pattern++, path++;
        size_t plen = strcspn(pattern, "/"), slen = strcspn(path, "/");
        if (pattern[0] == '{' ? slen == 0 : (plen != slen || strncmp(pattern, path, plen) != 0))
            return 0;
        pattern += plen, path += slen;
    }
    return *pattern == '\0' && *path == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    char *path = malloc(size);
    if (!path)
        return 0;
    memcpy(path, data + 1, size - 1);
    path[size - 1] = '\0';

    int sent_control = has_control(path);
    size_t before = strlen(path);
    size_t n = guard_unescape(path);
    check(n == strlen(path) && n <= before);
    check(!has_control(path) || sent_control);

    static const enum http_method methods[] = {HTTP_GET,    HTTP_HEAD,   HTTP_POST,
                                               HTTP_PUT,    HTTP_DELETE, HTTP_OPTIONS};
    struct request rq = {.method = methods[data[0] % 6], .path = path, .route_index = -1};
    char allow[128];
    enum router_outcome out = router_match(routes, routes_count, &rq, allow, sizeof allow);
    enum http_method want = rq.method == HTTP_HEAD ? HTTP_GET : rq.method;
    if (out == ROUTER_FOUND) {
        check(rq.route == &routes[rq.route_index]);
        check(rq.route->method == want);
        check(rebuilds(rq.route->pattern, rq.params, rq.nparams, path));
        /* The first match wins. */
        for (int i = 0; i < rq.route_index; i++)
            check(routes[i].method != want || !matches(routes[i].pattern, path));
        check(routes_label(rq.route_index) == rq.route->label);
        for (int i = 0; i < rq.nparams; i++)
            free(rq.params[i]);
    } else if (out == ROUTER_BAD_METHOD) {
        int some = 0;
        for (int i = 0; i < routes_count; i++) {
            check(routes[i].method != want || !matches(routes[i].pattern, path));
            some |= matches(routes[i].pattern, path);
        }
        check(some && allow[0] != '\0');
        const char *name = http_method_name(want);
        size_t len = strlen(name);
        for (const char *a = allow; (a = strstr(a, name)) != NULL; a += len)
            check(!((a == allow || a[-1] == ' ') && (a[len] == ',' || a[len] == '\0')));
    } else {
        check(out == ROUTER_NOT_FOUND && allow[0] == '\0');
        for (int i = 0; i < routes_count; i++)
            check(!matches(routes[i].pattern, path));
    }
    free(path);
    return 0;
}
