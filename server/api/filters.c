/* Filter codes against their patterns, then the catalogue. */
#include "api/filters.h"

#include <string.h>

#include "domain/breakdown.h"
#include "domain/query.h"
#include "domain/utf8.h"
#include "http/problem.h"
#include "store/db_codes.h"
#include "api/api_util.h"

struct filter_param {
    unsigned flag;
    const char *name;
    enum db_code_kind kind;
    bool (*ok)(const char *);
    const char *shape, *list;
};

static const struct filter_param params[] = {
    {FILTER_METRIC, "metric", DB_CODE_METRIC, code_metric_ok,
     "a metric code such as "
     "mhfa.people_trained",
     "GET /v1/metrics"},
    {FILTER_AREA, "area", DB_CODE_AREA, code_area_ok, "an ONS code such as E08000025",
     "GET /v1/areas"},
    {FILTER_PARENT, "parent", DB_CODE_AREA, code_area_ok, "an ONS code such as E47000007",
     "GET /v1/areas"},
    {FILTER_PROGRAMME, "programme", DB_CODE_PROGRAMME, code_programme_ok,
     "a programme code such as thrive", "GET /v1/programmes"},
    {FILTER_PARTNER, "partner", DB_CODE_PARTNER, code_partner_ok,
     "a partner code such as birmingham-cc", "GET /v1/admin/partners"},
};
#define NPARAMS ((int)(sizeof params / sizeof params[0]))

bool api_check_filters(struct request *rq, struct reply *rp, unsigned which) {
    struct db_code codes[4 + BREAKDOWN_MAX_DIMS * 2];
    const char *names[4 + BREAKDOWN_MAX_DIMS * 2];
    int n = 0;
    for (int i = 0; i < NPARAMS; i++) {
        const char *v = (which & params[i].flag) ? req_query(rq, params[i].name) : NULL;
        if (!v)
            continue;
        if (!params[i].ok(v)) {
            problem_reply(rp, 400, "%s=%.*s is not %s", params[i].name, utf8_prefix_len(v, 80), v,
                          params[i].shape);
            return false;
        }
        names[n] = params[i].name;
        codes[n++] = (struct db_code){params[i].kind, v, NULL};
    }
    struct breakdown b;
    const char *bd = (which & FILTER_BREAKDOWN) ? req_query(rq, "breakdown") : NULL;
    bool dims_only = false;
    if (bd && strcmp(bd, "total") != 0 && strcmp(bd, "all") != 0 &&
        breakdown_parse_filter(bd, &b, &dims_only)) {
        for (int i = 0; i < b.n; i++) {
            if (!code_programme_ok(b.dim[i]) || (!dims_only && !code_category_ok(b.cat[i]))) {
                problem_reply(rp, 400,
                              "breakdown=%.*s: a dimension is lower case letters and _ (sex, "
                              "age_band), a category lower case letters, digits, _, + and - "
                              "(female, 16-24, 65+)",
                              utf8_prefix_len(bd, 80), bd);
                return false;
            }
            names[n] = "breakdown";
            codes[n++] = (struct db_code){DB_CODE_DIMENSION, b.dim[i], NULL};
            if (!dims_only) {
                names[n] = "breakdown";
                codes[n++] = (struct db_code){DB_CODE_CATEGORY, b.cat[i], b.dim[i]};
            }
        }
    } /* a breakdown that does not parse is the handler's to refuse, in its own words */
    if (n == 0)
        return true;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return false;
    int unknown;
    if (!db_codes_find(db, codes, n, &unknown)) {
        api_db_failed(rp, db, "filter codes");
        return false;
    }
    if (unknown < 0)
        return true;
    const struct db_code *c = &codes[unknown];
    if (c->kind == DB_CODE_DIMENSION)
        problem_reply(rp, 404, "breakdown: no dimension %s; GET /v1/dimensions lists them",
                      c->code);
    else if (c->kind == DB_CODE_CATEGORY)
        problem_reply(rp, 404,
                      "breakdown: %s is not a category of %s; GET /v1/dimensions lists "
                      "them",
                      c->code, c->dimension);
    else
        for (int i = 0; i < NPARAMS; i++)
            if (strcmp(params[i].name, names[unknown]) == 0) {
                problem_reply(rp, 404, "%s=%s is not in the catalogue; %s lists them",
                              names[unknown], c->code, params[i].list);
                break;
            }
    return false;
}
