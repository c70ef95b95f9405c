/* The route table. The first route whose pattern and method match wins, so a path and
 * method always lead to the same route (question.h relies on that). */
#include "http/routes.h"

#include "api/api.h"
#include "http/static.h"

#define R ROUTE_READ
#define E ROUTE_ETAG
#define C ROUTE_CSV
#define N ROUTE_NO_DB /* answered on the event loop: mark only what never waits on PostgreSQL */

/* Query parameters by route, as the handlers read them. The page's own: the dashboard
 * keeps its state in the query of a shared link (/?area=...), which the server ignores. */
static const char *const p_page[] = {"*", NULL};
static const char *const p_metrics[] = {"programme", "active", NULL};
static const char *const p_areas[] = {"type", "parent", NULL};
/* asOf= and snapshot= read the figures as they stood at a moment (api/snapshots.c). */
static const char *const p_observations[] = {"metric",    "area",         "from",     "to",
                                             "breakdown", "updatedAfter", "last",     "limit",
                                             "cursor",    "asOf",         "snapshot", NULL};
static const char *const p_history[] = {"metric", "area", "period", "breakdown", NULL};
static const char *const p_submit[] = {"dryRun", "overrideLock", "reason", NULL};
static const char *const p_submissions[] = {"partner", "limit", NULL};
static const char *const p_series[] = {"area",      "from", "to",       "last", "cumulative",
                                       "breakdown", "asOf", "snapshot", NULL};
static const char *const p_metric_areas[] = {"period", "breakdown", "asOf", "snapshot", NULL};
static const char *const p_dashboard[] = {"area", "asOf", "snapshot", NULL};
static const char *const p_completeness[] = {"partner", "period", NULL};
static const char *const p_usage[] = {"metric", "from", "to", NULL};
static const char *const p_partner[] = {"partner", NULL};
static const char *const p_locks[] = {"metric", "programme", NULL};
static const char *const p_targets[] = {"metric", "area", NULL};
static const char *const p_responsibility[] = {"metric", "area", NULL};
static const char *const p_due[] = {"partner", "past", "coming", "today", NULL};
static const char *const p_changes[] = {"since", NULL};

const struct route routes[] = {
    ROUTE(GET, "/healthz", api_get_healthz, N),
    ROUTE(GET, "/readyz", api_get_readyz, 0),
    ROUTE(GET, "/metrics", api_get_prometheus, N),
    ROUTE(GET, "/openapi.json", api_get_openapi, N),
    ROUTE_Q(GET, "/", static_get_index, N, p_page),
    ROUTE_Q(GET, "/dashboard/{file}", static_get_asset, N, p_page),
    ROUTE_Q(GET, "/dashboard/vendor/{file}", static_get_vendor, N, p_page),
    ROUTE(GET, "/v1/programmes", api_list_programmes, R | E | C),
    ROUTE_Q(GET, "/v1/metrics", api_list_metrics, R | E | C, p_metrics),
    ROUTE(GET, "/v1/metrics/{code}", api_get_metric, R | E),
    ROUTE_Q(GET, "/v1/areas", api_list_areas, R | E | C, p_areas),
    ROUTE(GET, "/v1/areas/{code}", api_get_area, R | E),
    ROUTE(GET, "/v1/dimensions", api_list_dimensions, R | E | C),
    ROUTE_Q(GET, "/v1/observations", api_list_observations, R | E | C, p_observations),
    ROUTE_Q(GET, "/v1/observations/history", api_get_history, R | E | C, p_history),
    ROUTE_Q(POST, "/v1/submissions", api_post_submission, ROUTE_SUBMIT | ROUTE_BODY, p_submit),
    ROUTE_Q(GET, "/v1/submissions", api_list_submissions, ROUTE_KEY | C, p_submissions),
    ROUTE(GET, "/v1/submissions/{id}", api_get_submission, ROUTE_KEY),
    ROUTE_Q(GET, "/v1/metrics/{code}/series", api_get_series, R | E | C, p_series),
    ROUTE_Q(GET, "/v1/metrics/{code}/areas", api_get_metric_areas, R | E | C, p_metric_areas),
    ROUTE_Q(GET, "/v1/dashboard", api_get_dashboard, R | E, p_dashboard),
    ROUTE_Q(GET, "/v1/completeness", api_get_completeness, ROUTE_ADMIN | C, p_completeness),
    ROUTE_Q(GET, "/v1/admin/usage", api_get_usage, ROUTE_ADMIN | C, p_usage),
    ROUTE(GET, "/v1/admin/partners", api_list_partners, ROUTE_ADMIN | E | C),
    ROUTE(POST, "/v1/admin/partners", api_post_partner, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE(POST, "/v1/admin/partners/{code}/grants", api_post_grants, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE_Q(GET, "/v1/admin/keys", api_list_keys, ROUTE_ADMIN | C, p_partner),
    ROUTE(POST, "/v1/admin/keys", api_post_key, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE(DELETE, "/v1/admin/keys/{id}", api_delete_key, ROUTE_ADMIN),
    ROUTE_Q(GET, "/v1/admin/locks", api_list_locks, ROUTE_ADMIN | E | C, p_locks),
    ROUTE(POST, "/v1/admin/locks", api_post_lock, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE(DELETE, "/v1/admin/locks/{id}", api_delete_lock, ROUTE_ADMIN),
    ROUTE_Q(GET, "/v1/admin/targets", api_list_targets, ROUTE_ADMIN | E | C, p_targets),
    ROUTE(POST, "/v1/admin/targets", api_post_target, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE(PUT, "/v1/admin/metrics/{code}", api_put_metric, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE(POST, "/v1/admin/metrics/{code}/breaks", api_post_break, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE(PUT, "/v1/admin/areas/{code}", api_put_area, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE(GET, "/v1/admin/partners/{code}/returns", api_list_schedules, ROUTE_ADMIN | C),
    ROUTE(POST, "/v1/admin/partners/{code}/returns", api_post_schedules, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE(DELETE, "/v1/admin/partners/{code}/returns/{id}", api_delete_schedule, ROUTE_ADMIN),
    ROUTE_Q(GET, "/v1/admin/responsibility", api_list_responsibility, ROUTE_ADMIN | C,
            p_responsibility),
    ROUTE(POST, "/v1/admin/responsibility", api_post_handover, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE_Q(GET, "/v1/returns/due", api_get_returns_due, ROUTE_KEY | C, p_due),
    ROUTE(GET, "/v1/admin/rules", api_list_rules, ROUTE_ADMIN | C),
    ROUTE(POST, "/v1/admin/rules", api_post_rule, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE(DELETE, "/v1/admin/rules/{name}", api_delete_rule, ROUTE_ADMIN),
    ROUTE(POST, "/v1/admin/snapshots", api_post_snapshot, ROUTE_ADMIN | ROUTE_BODY),
    ROUTE(GET, "/v1/snapshots", api_list_snapshots, R | C),
    ROUTE_Q(GET, "/v1/snapshots/{name}/changes", api_get_snapshot_changes, R | C, p_changes),
};
const int routes_count = (int)(sizeof routes / sizeof routes[0]);

const char *routes_label(int i) {
    return i >= 0 && i < routes_count ? routes[i].label : "unmatched";
}
