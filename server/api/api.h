/* The handlers the route table names, one file per resource. */
#ifndef API_H
#define API_H

#include "../http.h"

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

#endif
