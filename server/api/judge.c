/* Judgements beside a series or a tile. SPC reads the periods' own whole figures (a
 * partial total would read as a fall; a hidden cell is not ours to judge), a running
 * total (a stock count) by its change from one period to the next; the trend label is
 * the direction of the latest point's special cause; a comparison is Fingertips'
 * verdict on the area's 95% interval against the comparator's whole figure. */
#include "api/judge.h"

#include <stdlib.h>
#include <string.h>

#include "domain/compare.h"
#include "domain/period.h"

#define ENGLAND "E92000001"

static enum polarity polarity_of(const struct metric *m);
static json_t *comparator_json(const struct geo *g, const struct metric *m,
                               const struct obs_set *set, const struct series_opts *o, int who,
                               const struct point *p);

static enum polarity polarity_of(const struct metric *m) {
    enum polarity p = POLARITY_HIGHER_IS_BETTER;
    polarity_parse(m->polarity, &p);
    return p;
}

int judge_latest_whole(const struct series *s, int lo, int hi) {
    for (int i = hi - 1; i >= lo; i--)
        if (s->pts[i].whole && !s->pts[i].suppressed)
            return i;
    return -1;
}

int judge_pick_target(const struct measure_target *targets, int ntargets, const struct series *s,
                      int lo, int hi) {
    int at = judge_latest_whole(s, lo, hi);
    if (at < 0)
        return -1;
    for (int i = 0; i < ntargets; i++)
        if (targets[i].t.end >= s->pts[at].month)
            return i;
    return -1;
}

bool judge_spc(const struct metric *m, const struct series *s, int lo, int hi, const int *breaks,
               int nbreaks, const struct measure_target *t, struct judge_spc *out) {
    memset(out, 0, sizeof *out);
    out->step = period_months(m->freq);
    int cap = hi > lo ? hi - lo : 1;
    int *month = malloc(sizeof *month * (size_t)cap);
    double *value = malloc(sizeof *value * (size_t)cap);
    out->points = malloc(sizeof *out->points * (size_t)cap);
    if (!month || !value || !out->points) {
        free(month);
        free(value);
        judge_spc_free(out);
        return false;
    }
    int n = 0;
    for (int i = lo; i < hi; i++) {
        if (!s->pts[i].whole || s->pts[i].suppressed)
            continue;
        month[n] = s->pts[i].month;
        value[n] = s->pts[i].per;
        n++;
    }
    struct spc_input in = {
        .month = month,
        .value = value,
        .n = n,
        .step = out->step,
        .basis = m->is_count && strcmp(m->kind, "stock") == 0 ? SPC_BASIS_CHANGE : SPC_BASIS_VALUE,
        .polarity = polarity_of(m),
    };
    /* The latest break at or before the last figure: a break still to come starts a
     * process that has no figures yet. */
    for (int i = 0; n > 0 && i < nbreaks; i++)
        if (breaks[i] <= month[n - 1] && (!in.has_break || breaks[i] > in.break_month)) {
            in.has_break = true;
            in.break_month = breaks[i];
        }
    if (t && n > 0) {
        in.has_target = true;
        in.target_value = t->t.value;
        in.target_end = t->t.end;
        if (in.basis == SPC_BASIS_VALUE && m->is_flow && strcmp(t->basis, "cumulative") == 0) {
            /* A flow against a total: what it has summed to so far in the window. */
            struct measure ev;
            measure_target(t, m, s, &ev);
            in.target_is_total = ev.has;
            in.has_target = ev.has;
            in.total_so_far = ev.actual;
        }
    }
    spc_judge(&in, out->points, &out->r);
    free(month);
    free(value);
    return true;
}

void judge_spc_free(struct judge_spc *j) {
    free(j->points);
    j->points = NULL;
}

static json_t *period_json(const struct metric *m, int month) {
    char text[16];
    metric_period_text(m, month, text, sizeof text);
    return json_string(text);
}

json_t *judge_spc_json(const struct metric *m, const struct judge_spc *j) {
    const struct spc_result *r = &j->r;
    if (!r->judged)
        return json_null();
    json_t *signals = json_array();
    for (int i = 0; i < r->npoints; i++) {
        const struct spc_point *p = &j->points[i];
        if (p->rule == SPC_RULE_NONE)
            continue;
        json_array_append_new(
            signals, json_pack("{s:o, s:s, s:s}", "period", period_json(m, p->month), "type",
                               spc_type_name(p->type), "rule", spc_rule_name(p->rule)));
    }
    const char *assurance = spc_assurance_name(r->assurance);
    return json_pack(
        "{s:s, s:s, s:o, s:o, s:i, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o}", "method", "xmr",
        "basis", spc_basis_name(r->basis), "from", period_json(m, j->points[0].month), "to",
        period_json(m, j->points[r->npoints - 1].month), "points", r->npoints, "mean",
        json_real(r->mean), "lower_process_limit", json_real(r->lower_limit), "upper_process_limit",
        json_real(r->upper_limit), "variation", spc_type_name(r->variation), "assurance",
        assurance ? json_string(assurance) : json_null(), "required_per_period",
        r->has_required ? json_real(r->required_per_period) : json_null(), "projected_period",
        r->has_projected ? period_json(m, r->projected_month) : json_null(), "signals", signals);
}

json_t *judge_spc_summary_json(const struct judge_spc *j) {
    const struct spc_result *r = &j->r;
    if (!r->judged)
        return json_null();
    const char *assurance = spc_assurance_name(r->assurance);
    return json_pack("{s:s, s:o, s:s, s:i}", "variation", spc_type_name(r->variation), "assurance",
                     assurance ? json_string(assurance) : json_null(), "basis",
                     spc_basis_name(r->basis), "points", r->npoints);
}

/* The label is the direction of the latest point's special cause (whatever rule made
 * it); a latest point of common cause is no change, however the line slopes. */
json_t *judge_trend_json(const struct metric *m, const struct judge_spc *j) {
    const struct spc_result *r = &j->r;
    if (!r->judged)
        return json_null();
    const struct spc_point *last = &j->points[r->npoints - 1];
    int dir = spc_rule_direction(last->rule);
    const char *label = dir > 0 ? "increasing" : dir < 0 ? "decreasing" : "no_change";
    const char *direction = last->type == SPC_IMPROVEMENT ? "getting_better"
                            : last->type == SPC_CONCERN   ? "getting_worse"
                                                          : "no_change";
    (void)m;
    return json_pack("{s:s, s:s, s:o, s:s, s:i}", "label", label, "direction", direction, "rule",
                     last->rule == SPC_RULE_NONE ? json_null()
                                                 : json_string(spc_rule_name(last->rule)),
                     "basis", spc_basis_name(r->basis), "points", r->npoints);
}

/* The comparator's whole figure for p's period, with the verdict on p's interval. */
static json_t *comparator_json(const struct geo *g, const struct metric *m,
                               const struct obs_set *set, const struct series_opts *o, int who,
                               const struct point *p) {
    struct series cs;
    if (!series_build(&cs, g, m, set, who, o))
        return NULL;
    json_t *j = NULL;
    for (int i = 0; i < cs.n; i++) {
        const struct point *c = &cs.pts[i];
        if (c->month != p->month || !c->whole || c->suppressed)
            continue;
        bool has = p->has_lower && p->has_upper && !p->suppressed;
        enum compare_verdict v =
            compare_verdict_of(has, p->lower, p->upper, c->per, polarity_of(m));
        j = json_pack("{s:s, s:s, s:o, s:o, s:s}", "area", g->code[who], "name", g->name[who],
                      "period", period_json(m, c->month), "value", figures_number(c->per),
                      "verdict", compare_verdict_name(v));
        break;
    }
    series_free(&cs);
    return j;
}

json_t *judge_comparison_json(const struct geo *g, const struct metric *m,
                              const struct obs_set *set, int area, const struct series_opts *o,
                              const struct series *s, int at) {
    json_t *list = json_array();
    if (at < 0)
        return list;
    const struct point *p = &s->pts[at];
    struct derive_geo dg = geo_derive(g);
    int parent = derive_parent(&dg, figures_current_month(), area);
    int england = geo_find(g, ENGLAND);
    int who[2] = {parent, england != area && england != parent ? england : -1};
    for (int k = 0; k < 2; k++) {
        if (who[k] < 0)
            continue;
        json_t *c = comparator_json(g, m, set, o, who[k], p);
        if (c)
            json_array_append_new(list, c);
    }
    return list;
}

json_t *judge_partial_latest_json(const struct geo *g, const struct metric *m,
                                  const struct series *s, int lo, int hi) {
    int whole = judge_latest_whole(s, lo, hi);
    if (hi <= lo || hi - 1 == whole)
        return json_null();
    const struct point *p = &s->pts[hi - 1];
    if (p->whole || p->suppressed || !p->derived)
        return json_null();
    json_t *members = json_array(), *missing = json_array();
    for (int i = 0; i < p->nmembers; i++)
        json_array_append_new(members, json_string(g->code[p->members[i]]));
    for (int i = 0; i < p->nmissing; i++)
        json_array_append_new(missing, json_string(g->code[p->missing[i]]));
    return json_pack("{s:o, s:o, s:o, s:o}", "period", period_json(m, p->month), "value",
                     figures_number(p->per), "members", members, "missing", missing);
}
