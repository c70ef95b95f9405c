/* The handlers the route table names, one file per resource. */
#ifndef API_H
#define API_H

#include "http/request.h"

/* health.c */
void api_get_healthz(struct request *rq, struct reply *rp);
void api_get_readyz(struct request *rq, struct reply *rp);
void api_get_prometheus(struct request *rq, struct reply *rp);
void api_get_openapi(struct request *rq, struct reply *rp);
/* catalogue.c */
void api_list_programmes(struct request *rq, struct reply *rp);
void api_list_metrics(struct request *rq, struct reply *rp);
void api_get_metric(struct request *rq, struct reply *rp);
void api_list_areas(struct request *rq, struct reply *rp);
void api_get_area(struct request *rq, struct reply *rp);
void api_list_dimensions(struct request *rq, struct reply *rp);
/* observations.c */
void api_list_observations(struct request *rq, struct reply *rp);
/* history.c */
void api_get_history(struct request *rq, struct reply *rp);
/* submissions.c */
void api_post_submission(struct request *rq, struct reply *rp);
void api_get_submission(struct request *rq, struct reply *rp);
void api_list_submissions(struct request *rq, struct reply *rp);
/* series.c, metric_areas.c, dashboard.c: the dashboard's reads */
void api_get_series(struct request *rq, struct reply *rp);
void api_get_metric_areas(struct request *rq, struct reply *rp);
void api_get_dashboard(struct request *rq, struct reply *rp);
/* completeness.c, usage_report.c: oversight */
void api_get_completeness(struct request *rq, struct reply *rp);
void api_get_usage(struct request *rq, struct reply *rp);
/* admin_partners.c */
void api_list_partners(struct request *rq, struct reply *rp);
void api_post_partner(struct request *rq, struct reply *rp);
void api_post_grants(struct request *rq, struct reply *rp);
/* admin_keys.c */
void api_list_keys(struct request *rq, struct reply *rp);
void api_post_key(struct request *rq, struct reply *rp);
void api_delete_key(struct request *rq, struct reply *rp);
/* admin_locks.c */
void api_list_locks(struct request *rq, struct reply *rp);
void api_post_lock(struct request *rq, struct reply *rp);
/* admin_breaks.c */
void api_post_break(struct request *rq, struct reply *rp);
void api_delete_lock(struct request *rq, struct reply *rp);
/* admin_targets.c */
void api_list_targets(struct request *rq, struct reply *rp);
void api_post_target(struct request *rq, struct reply *rp);
/* admin_catalogue.c */
void api_put_metric(struct request *rq, struct reply *rp);
void api_put_area(struct request *rq, struct reply *rp);

void api_list_schedules(struct request *rq, struct reply *rp);
void api_post_schedules(struct request *rq, struct reply *rp);
void api_delete_schedule(struct request *rq, struct reply *rp);
void api_list_responsibility(struct request *rq, struct reply *rp);
void api_post_handover(struct request *rq, struct reply *rp);
void api_get_returns_due(struct request *rq, struct reply *rp);

void api_list_rules(struct request *rq, struct reply *rp);
void api_post_rule(struct request *rq, struct reply *rp);
void api_delete_rule(struct request *rq, struct reply *rp);

void api_post_snapshot(struct request *rq, struct reply *rp);
void api_list_snapshots(struct request *rq, struct reply *rp);
void api_get_snapshot_changes(struct request *rq, struct reply *rp);

#endif
