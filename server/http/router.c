/* Route matching over one static table. Patterns are split on '/'; a {name} segment
 * matches any one non-empty segment and is handed to the handler in order. */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "http/static.h"

#define R ROUTE_READ
#define E ROUTE_ETAG
#define C ROUTE_CSV

static const struct route routes[] = {
    {HTTP_GET, "/healthz", api_get_healthz, ROUTE_NO_DB},
    {HTTP_GET, "/readyz", api_get_readyz, 0},
    {HTTP_GET, "/metrics", api_get_prometheus, ROUTE_NO_DB},
    {HTTP_GET, "/openapi.json", api_get_openapi, ROUTE_NO_DB},
    {HTTP_GET, "/", static_get_index, ROUTE_NO_DB},
    {HTTP_GET, "/dashboard/{file}", static_get_asset, ROUTE_NO_DB},
    {HTTP_GET, "/dashboard/vendor/{file}", static_get_vendor, ROUTE_NO_DB},
    {HTTP_GET, "/v1/programmes", api_list_programmes, R | E | C},
    {HTTP_GET, "/v1/metrics", api_list_metrics, R | E | C},
    {HTTP_GET, "/v1/metrics/{code}", api_get_metric, R | E},
    {HTTP_GET, "/v1/areas", api_list_areas, R | E | C},
    {HTTP_GET, "/v1/areas/{code}", api_get_area, R | E},
    {HTTP_GET, "/v1/dimensions", api_list_dimensions, R | E | C},
    {HTTP_GET, "/v1/observations", api_list_observations, R | E | C},
    {HTTP_GET, "/v1/observations/history", api_get_history, ROUTE_KEY | E | C},
    {HTTP_POST, "/v1/submissions", api_post_submission, ROUTE_SUBMIT | ROUTE_BODY},
    {HTTP_GET, "/v1/submissions", api_list_submissions, ROUTE_KEY | C},
    {HTTP_GET, "/v1/submissions/{id}", api_get_submission, ROUTE_KEY},
    {HTTP_GET, "/v1/metrics/{code}/series", api_get_series, R | E | C},
    {HTTP_GET, "/v1/metrics/{code}/areas", api_get_metric_areas, R | E | C},
    {HTTP_GET, "/v1/dashboard", api_get_dashboard, R | E},
    {HTTP_GET, "/v1/completeness", api_get_completeness, ROUTE_ADMIN | C},
    {HTTP_GET, "/v1/admin/usage", api_get_usage, ROUTE_ADMIN | C},
    {HTTP_GET, "/v1/admin/partners", api_list_partners, ROUTE_ADMIN | E | C},
    {HTTP_POST, "/v1/admin/partners", api_post_partner, ROUTE_ADMIN | ROUTE_BODY},
    {HTTP_POST, "/v1/admin/partners/{code}/grants", api_post_grants, ROUTE_ADMIN | ROUTE_BODY},
    {HTTP_GET, "/v1/admin/keys", api_list_keys, ROUTE_ADMIN | C},
    {HTTP_POST, "/v1/admin/keys", api_post_key, ROUTE_ADMIN | ROUTE_BODY},
    {HTTP_DELETE, "/v1/admin/keys/{id}", api_delete_key, ROUTE_ADMIN},
    {HTTP_GET, "/v1/admin/locks", api_list_locks, ROUTE_ADMIN | E | C},
    {HTTP_POST, "/v1/admin/locks", api_post_lock, ROUTE_ADMIN | ROUTE_BODY},
    {HTTP_DELETE, "/v1/admin/locks/{id}", api_delete_lock, ROUTE_ADMIN},
    {HTTP_GET, "/v1/admin/targets", api_list_targets, ROUTE_ADMIN | E | C},
    {HTTP_POST, "/v1/admin/targets", api_post_target, ROUTE_ADMIN | ROUTE_BODY},
    {HTTP_PUT, "/v1/admin/metrics/{code}", api_put_metric, ROUTE_ADMIN | ROUTE_BODY},
    {HTTP_PUT, "/v1/admin/areas/{code}", api_put_area, ROUTE_ADMIN | ROUTE_BODY},
};
#define NROUTES ((int)(sizeof routes / sizeof routes[0]))

static char labels[NROUTES][96];

static bool segment_match(const char *pat, size_t plen, const char *seg, size_t slen);

const char *http_method_name(enum http_method m) {
    static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "?"};
    return names[m];
}

int router_count(void) {
    return NROUTES;
}

int router_index(const struct route *r) {
    return r ? (int)(r - routes) : -1;
}

const struct route *router_at(int i) {
    return i >= 0 && i < NROUTES ? &routes[i] : NULL;
}

const char *router_route_label(int i) {
    if (i < 0 || i >= NROUTES)
        return "unmatched";
    if (!labels[i][0])
        snprintf(labels[i], sizeof labels[i], "%s %s", http_method_name(routes[i].method),
                 routes[i].pattern);
    return labels[i];
}

static bool segment_match(const char *pat, size_t plen, const char *seg, size_t slen) {
    if (plen >= 2 && pat[0] == '{')
        return slen > 0;
    return plen == slen && memcmp(pat, seg, plen) == 0;
}

/* Walks pattern and path segment by segment; collects {name} segments on a match. */
static bool pattern_match(const char *pattern, const char *path, char **params, int *nparams) {
    const char *p = pattern, *s = path;
    int n = 0;
    while (*p == '/' && *s == '/') {
        p++;
        s++;
        size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
        if (!segment_match(p, plen, s, slen))
            goto fail;
        if (p[0] == '{') {
            if (n == ROUTE_MAX_PARAMS)
                goto fail;
            params[n] = strndup(s, slen);
            n++;
        }
        p += plen;
        s += slen;
    }
    if (*p == '\0' && *s == '\0') {
        *nparams = n;
        return true;
    }
fail:
    for (int i = 0; i < n; i++) {
        free(params[i]);
        params[i] = NULL;
    }
    return false;
}

enum router_outcome router_match(struct request *rq, char *allow, size_t allow_size) {
    enum http_method m = rq->method == HTTP_HEAD ? HTTP_GET : rq->method;
    bool path_known = false;
    size_t used = 0;
    allow[0] = '\0';
    for (int i = 0; i < NROUTES; i++) {
        char *params[ROUTE_MAX_PARAMS] = {0};
        int n = 0;
        if (!pattern_match(routes[i].pattern, rq->path, params, &n))
            continue;
        if (routes[i].method == m) {
            memcpy(rq->params, params, sizeof params);
            rq->nparams = n;
            rq->route = &routes[i];
            return ROUTER_FOUND;
        }
        for (int k = 0; k < n; k++)
            free(params[k]);
        path_known = true;
        int w = snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "",
                         http_method_name(routes[i].method));
        if (w > 0 && (size_t)w < allow_size - used)
            used += (size_t)w;
        if (routes[i].method == HTTP_GET && strstr(allow, "HEAD") == NULL) {
            w = snprintf(allow + used, allow_size - used, ", HEAD");
            if (w > 0 && (size_t)w < allow_size - used)
                used += (size_t)w;
        }
    }
    return path_known ? ROUTER_BAD_METHOD : ROUTER_NOT_FOUND;
}
