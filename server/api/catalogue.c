/* The catalogue: programmes, metrics, areas and breakdown dimensions. Small tables,
 * read whole (store/db_catalogue); each collection answers JSON or CSV. */
#include <string.h>

#include "api/api.h"
#include "domain/geo.h"
#include "api/api_util.h"
#include "api/filters.h"
#include "api/render.h"
#include "http/problem.h"
#include "domain/period.h"
#include "store/db_breaks.h"
#include "store/db_catalogue.h"

static const char *const metric_columns[] = {"code",       "programme", "name",        "unit",
                                             "frequency",  "kind",      "polarity",    "decimals",
                                             "dimensions", "numerator", "denominator", "headline",
                                             "active",     "source",    "description", NULL};

typedef json_t *(*flat_fn)(json_t *element);

static json_t *parent_cell(json_t *parent);
static json_t *category_cell(json_t *category);
static bool csv_flatten(json_t *items, const char *member, flat_fn cell);

void api_list_programmes(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {"code", "name", "metrics", "description", NULL};
    struct db_conn *db = req_db(rq, rp);
    json_t *items;
    if (!db)
        return;
    if (!db_catalogue_programmes(db, &items)) {
        api_db_failed(rp, db, "programmes");
        return;
    }
    render_collection(rq, rp, items, columns, NULL);
}

void api_list_metrics(struct request *rq, struct reply *rp) {
    const char *programme = req_query(rq, "programme");
    const char *active = req_query(rq, "active");
    if (active && strcmp(active, "true") != 0 && strcmp(active, "false") != 0) {
        problem_reply(rp, 400, "active=%s: use active=true or active=false", active);
        return;
    }
    if (!api_check_filters(rq, rp, FILTER_PROGRAMME))
        return;
    struct db_conn *db = req_db(rq, rp);
    json_t *items;
    if (!db)
        return;
    if (!db_catalogue_metrics(db, programme, active, &items)) {
        api_db_failed(rp, db, "metrics");
        return;
    }
    render_collection(rq, rp, items, metric_columns, NULL);
}

void api_get_metric(struct request *rq, struct reply *rp) {
    struct db_conn *db = req_db(rq, rp);
    json_t *metric;
    if (!db)
        return;
    if (!db_catalogue_metric(db, req_param(rq, 0), &metric)) {
        api_db_failed(rp, db, "metric");
        return;
    }
    if (!metric) {
        problem_reply(rp, 404, "no metric %s; GET /v1/metrics lists them", req_param(rq, 0));
        return;
    }
    /* The breaks in its series, each as a period of the metric's own frequency. */
    json_t *breaks = NULL;
    if (!db_breaks_list(db, req_param(rq, 0), &breaks)) {
        json_decref(metric);
        api_db_failed(rp, db, "series breaks");
        return;
    }
    enum period_freq freq = PERIOD_MONTHLY;
    const char *freq_text = json_string_value(json_object_get(metric, "frequency"));
    if (freq_text)
        period_freq_parse(freq_text, &freq);
    size_t i;
    json_t *b;
    json_array_foreach(breaks, i, b) {
        struct period p;
        char text[16] = "";
        if (period_from_date(json_string_value(json_object_get(b, "period_start")), freq, &p))
            period_format(&p, text, sizeof text);
        json_object_set_new(b, "period", json_string(text));
        json_object_del(b, "period_start");
    }
    if (!api_set_take(metric, "breaks", breaks)) {
        json_decref(metric);
        api_no_memory(rp);
        return;
    }
    reply_json(rp, 200, metric);
}

/* In CSV a list member reads better flattened: each element through cell. */
static bool csv_flatten(json_t *items, const char *member, flat_fn cell) {
    json_t *item, *element;
    size_t i, k;
    json_array_foreach(items, i, item) {
        json_t *flat = json_array();
        json_array_foreach(json_object_get(item, member), k, element) {
            if (!api_push_take(flat, cell(element))) {
                json_decref(flat);
                return false;
            }
        }
        if (!api_set_take(item, member, flat))
            return false;
    }
    return true;
}

/* A parent as its code and role. */
static json_t *parent_cell(json_t *parent) {
    return json_sprintf("%s:%s", json_string_value(json_object_get(parent, "code")),
                        json_string_value(json_object_get(parent, "role")));
}

/* A category as its code. */
static json_t *category_cell(json_t *category) {
    return json_incref(json_object_get(category, "code"));
}

void api_list_areas(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {"code", "name", "type", "parents", NULL};
    const char *type = req_query(rq, "type");
    if (type) {
        bool known = false;
        for (int i = 0; geo_area_types[i]; i++)
            known |= strcmp(type, geo_area_types[i]) == 0;
        if (!known) {
            problem_reply(
                rp, 400,
                "type=%s is not an area type: use country, region, combined_authority, county, "
                "unitary, metropolitan_district or non_metropolitan_district",
                type);
            return;
        }
    }
    if (!api_check_filters(rq, rp, FILTER_PARENT))
        return;
    struct db_conn *db = req_db(rq, rp);
    json_t *items;
    if (!db)
        return;
    if (!db_catalogue_areas(db, type, req_query(rq, "parent"), &items)) {
        api_db_failed(rp, db, "areas");
        return;
    }
    if (rq->csv && !csv_flatten(items, "parents", parent_cell)) {
        json_decref(items);
        items = NULL;
    }
    render_collection(rq, rp, items, columns, NULL);
}

void api_get_area(struct request *rq, struct reply *rp) {
    struct db_conn *db = req_db(rq, rp);
    json_t *area;
    if (!db)
        return;
    if (!db_catalogue_area(db, req_param(rq, 0), &area)) {
        api_db_failed(rp, db, "area");
        return;
    }
    if (!area)
        problem_reply(rp, 404, "no area %s; GET /v1/areas lists them by ONS code",
                      req_param(rq, 0));
    else
        reply_json(rp, 200, area);
}

void api_list_dimensions(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {"code", "name", "categories", "description", NULL};
    struct db_conn *db = req_db(rq, rp);
    json_t *items;
    if (!db)
        return;
    if (!db_catalogue_dimensions(db, &items)) {
        api_db_failed(rp, db, "dimensions");
        return;
    }
    if (rq->csv && !csv_flatten(items, "categories", category_cell)) {
        json_decref(items);
        items = NULL;
    }
    render_collection(rq, rp, items, columns, NULL);
}
