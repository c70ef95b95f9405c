/* The handlers' side of the read model: request and cache glue around the store's
 * snapshot, and the JSON of what domain/series and domain/measure compute. */
#include "api/figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_util.h"
#include "api/disclosure.h"
#include "config.h"
#include "domain/breakdown.h"
#include "api/steward.h"
#include "domain/calendar.h"
#include "http/cache.h"
#include "http/problem.h"
#include "store/db.h"
#include "store/db_figures.h"

static json_t *area_codes(const struct geo *g, const int *areas, int n);

struct db_conn *figures_begin(struct request *rq, struct reply *rp, uint64_t *version) {
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return NULL;
    uint64_t v = 0;
    if (!db_figures_begin(db, &v)) {
        api_db_failed(rp, db, "data version");
        return NULL;
    }
    /* asOf= or snapshot=: every read of this transaction sees the figures as they
     * stood then (observations_at in migration 050). */
    char moment[40];
    bool has_moment = false;
    if (!steward_read_moment(rq, rp, db, moment, &has_moment)) {
        figures_end(db);
        return NULL;
    }
    if (has_moment && !db_read_as_of(db, moment)) {
        api_db_failed(rp, db, "as-of read");
        return NULL;
    }
    /* The answer reflects this snapshot: tag it so, even if a write landed since the
     * request's ETag was checked. */
    *version = v;
    if (v > rq->version)
        rq->version = v;
    return db;
}

struct db_conn *figures_cached_begin(struct request *rq, struct reply *rp, struct cache_key *key,
                                     uint64_t *version) {
    cache_key_make(rq, key);
    if (cache_serve(rq, rp, key))
        return NULL;
    return figures_begin(rq, rp, version);
}

void figures_end(struct db_conn *db) {
    db_figures_end(db);
}

bool figures_metric(struct db_conn *db, struct reply *rp, const char *code, struct metric *m) {
    bool found = false;
    if (!db_figures_metric(db, code, m, &found)) {
        api_db_failed(rp, db, "metric");
        return false;
    }
    if (!found)
        problem_reply(rp, 404, "no metric %s; GET /v1/metrics lists them", code);
    return found;
}

bool figures_geo(struct db_conn *db, struct reply *rp, struct geo *g) {
    if (db_figures_geo(db, g))
        return true;
    api_db_failed(rp, db, "areas");
    return false;
}

bool figures_obs_set(struct db_conn *db, struct reply *rp, const struct metric *m,
                     const char *const *codes, int ncodes, const struct geo *g, const bool *areas,
                     const char *bkey, int month, struct obs_set *set) {
    struct obs_row *rows = NULL;
    int nrows = 0;
    memset(set, 0, sizeof *set);
    if (!db_figures_observations(db, codes, ncodes, g, areas, bkey, month, &rows, &nrows)) {
        api_db_failed(rp, db, "observations");
        return false;
    }
    bool ok = obs_set_build(set, g, m, rows, nrows);
    free(rows);
    if (!ok)
        api_no_memory(rp);
    return ok;
}

bool figures_hide_small(struct request *rq, const char *bkey) {
    return bkey[0] && !(rq->who.scopes & (SCOPE_READ | SCOPE_ADMIN)) &&
           g_config.small_count_max > 0;
}

bool figures_hide_cells(struct request *rq, struct db_conn *db, struct reply *rp,
                        const struct geo *g, const struct metric *m, const char *bkey,
                        struct obs_set *set) {
    if (!figures_hide_small(rq, bkey) || !m->is_count || !set->cells[0])
        return true;
    size_t n = (size_t)set->nareas * (size_t)set->nmonths;
    struct db_figure *figs = calloc(n + 1, sizeof *figs);
    char(*starts)[16] = calloc((size_t)set->nmonths + 1, sizeof *starts);
    if (!figs || !starts) {
        free(figs);
        free(starts);
        api_no_memory(rp);
        return false;
    }
    for (int col = 0; col < set->nmonths; col++)
        snprintf(starts[col], sizeof starts[col], "%04d-%02d-01", set->months[col] / 12 % 10000,
                 set->months[col] % 12 + 1);
    int nf = 0;
    for (int a = 0; a < set->nareas; a++)
        for (int col = 0; col < set->nmonths; col++)
            if (set->cells[0][(size_t)a * (size_t)set->nmonths + (size_t)col].has)
                figs[nf++] = (struct db_figure){m->code, g->code[a], starts[col]};
    struct disclosure d;
    bool ok = disclosure_build(db, figs, nf, g_config.small_count_max, NULL, &d);
    for (int a = 0; ok && a < set->nareas; a++)
        for (int col = 0; col < set->nmonths; col++) {
            struct obs_cell *c = &set->cells[0][(size_t)a * (size_t)set->nmonths + (size_t)col];
            c->hidden = c->has && disclosure_hidden(&d, m->code, g->code[a], starts[col], bkey);
        }
    if (ok)
        disclosure_free(&d);
    else
        api_db_failed(rp, db, "disclosure tables");
    free(figs);
    free(starts);
    return ok;
}

int figures_current_month(void) {
    return calendar_month_index((int64_t)time(NULL));
}

bool figures_breakdown_param(struct request *rq, struct reply *rp, const struct metric *m,
                             char *key, size_t size, json_t **obj) {
    const char *text = req_query(rq, "breakdown");
    key[0] = '\0';
    *obj = json_object();
    if (!*obj) {
        api_no_memory(rp);
        return false;
    }
    if (!text || !*text || strcmp(text, "total") == 0)
        return true;
    struct breakdown b = {0};
    bool dims_only = false;
    if (!breakdown_parse_filter(text, &b, &dims_only) || dims_only) {
        problem_reply(rp, 400,
                      "breakdown=%s: this answer is for one cell: use total (the default) or "
                      "pairs such as sex=female;age_band=16-24",
                      text);
        return false;
    }
    for (int i = 0; i < b.n; i++) {
        if (!metric_declares(m, b.dim[i])) {
            problem_reply(rp, 400, "breakdown=%s: %s is not broken down by %s (it declares: %s)",
                          text, m->code, b.dim[i], m->dims[0] ? m->dims : "no dimensions");
            return false;
        }
        if (!api_set_take(*obj, b.dim[i], json_string(b.cat[i]))) {
            api_no_memory(rp);
            return false;
        }
    }
    if (breakdown_key(&b, key, size) < 0) {
        problem_reply(rp, 400, "breakdown=%s is too long", text);
        return false;
    }
    return true;
}

json_t *figures_number(double v) {
    if (!isfinite(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

json_t *figures_metric_json(const struct metric *m) {
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "code", m->code, "programme",
                     m->programme, "name", m->name, "unit", m->unit, "kind", m->kind, "frequency",
                     m->frequency, "polarity", m->polarity, "decimals", m->decimals);
}

static json_t *area_codes(const struct geo *g, const int *areas, int n) {
    json_t *list = json_array();
    for (int i = 0; list && i < n; i++)
        if (!api_push_take(list, json_string(g->code[areas[i]]))) {
            json_decref(list);
            return NULL;
        }
    return list;
}

json_t *figures_point_json(const struct geo *g, const struct metric *m, const struct point *p,
                           bool with_parts) {
    char period[16];
    metric_period_text(m, p->month, period, sizeof period);
    json_t *j =
        json_pack("{s:s, s:o, s:b, s:b, s:s, s:o, s:o}", "period", period, "value",
                  p->suppressed ? json_null() : figures_number(p->value), "derived", p->derived,
                  "complete", p->complete, "status",
                  p->final       ? "final"
                  : p->estimated ? "estimated"
                                 : "provisional",
                  "lower", p->has_lower && !p->suppressed ? figures_number(p->lower) : json_null(),
                  "upper", p->has_upper && !p->suppressed ? figures_number(p->upper) : json_null());
    bool ok = j != NULL;
    if (ok && p->derived && with_parts)
        ok = api_set_take(j, "members", area_codes(g, p->members, p->nmembers)) &&
             api_set_take(j, "missing", area_codes(g, p->missing, p->nmissing));
    if (ok)
        ok = api_set_take(j, "ci_method",
                          p->ci_method && !p->suppressed ? json_string(p->ci_method) : json_null());
    if (ok && p->suppressed)
        ok = api_set_take(j, "suppressed", json_true());
    if (!ok) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *figures_target_json(const struct measure_target *t, const struct metric *m) {
    char start[16], end[16];
    metric_period_text(m, t->t.start, start, sizeof start);
    metric_period_text(m, t->t.end, end, sizeof end);
    json_t *milestones = json_array();
    for (int i = 0; milestones && i < t->t.nmilestones; i++) {
        char p[16];
        metric_period_text(m, t->t.milestones[i].month, p, sizeof p);
        if (!api_push_take(milestones, json_pack("{s:s, s:o}", "period", p, "value",
                                                 figures_number(t->t.milestones[i].value)))) {
            json_decref(milestones);
            return NULL;
        }
    }
    return json_pack("{s:I, s:o, s:o, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)t->id, "value",
                     figures_number(t->t.value), "baseline", figures_number(t->t.baseline), "basis",
                     t->basis, "start", start, "end", end, "amber_within",
                     figures_number(t->t.amber_within), "milestones", milestones);
}

json_t *figures_measure_json(const struct measure *ev, const struct metric *m) {
    if (!ev->has)
        return json_null();
    char period[16];
    metric_period_text(m, ev->month, period, sizeof period);
    return json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:s}", "period", period, "actual", figures_number(ev->actual),
        "expected", figures_number(metric_round_expected(m, ev->expected)), "percent_of_target",
        ev->has_pt ? figures_number(target_round(ev->percent_of_target, 1)) : json_null(),
        "percent_of_expected",
        ev->has_pe ? figures_number(target_round(ev->percent_of_expected, 1)) : json_null(), "rag",
        target_rag_name(ev->rag));
}

json_t *figures_trajectory_json(const struct measure_target *t, const struct metric *m) {
    json_t *points = json_array();
    int step = period_months(m->freq);
    /* Bounded: a window of 100 years of months at most. */
    for (int month = t->t.start, n = 0; points && month <= t->t.end && n < 1200;
         month += step, n++) {
        char period[16];
        metric_period_text(m, month, period, sizeof period);
        if (!api_push_take(points, json_pack("{s:s, s:o}", "period", period, "value",
                                             figures_number(metric_round_expected(
                                                 m, target_expected_at(&t->t, month)))))) {
            json_decref(points);
            return NULL;
        }
    }
    return points;
}
