/* The read maths of a series. Totals come from derive.c through a lookup into the
 * dense table; everything here is arithmetic over points already resolved. */
#include "series.h"

#include "interval.h"

#include <stdlib.h>
#include <string.h>

struct lookup_ctx {
    const struct obs_set *s;
    const struct metric *m;
    const struct series_opts *o;
    int col;
};

static int int_cmp(const void *a, const void *b);
static int column_of(const struct obs_set *s, int month);
static int part_of(const char *const codes[3], const char *metric);
static bool lookup_value(void *ctx, int area, struct derive_cell *out);
static bool lookup_parts(void *ctx, int area, struct derive_cell *out);
static bool resolve_point(const struct geo *g, const struct metric *m, const struct obs_set *s,
                          int area, int col, const struct series_opts *o, struct point *p,
                          int *members);
static void cumulate(const struct metric *m, struct series *s);
static void wilson_from_parts(struct point *p, const struct obs_set *s, int area, int col,
                              const struct derive_result *res);

static int int_cmp(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int column_of(const struct obs_set *s, int month) {
    int lo = 0, hi = s->nmonths - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (s->months[mid] == month)
            return mid;
        if (s->months[mid] < month)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* Which table a row belongs in: 0 the metric, 1 its numerator, 2 its denominator. */
static int part_of(const char *const codes[3], const char *metric) {
    for (int k = 0; k < 3; k++)
        if (codes[k] && strcmp(codes[k], metric) == 0)
            return k;
    return -1;
}

bool obs_set_build(struct obs_set *s, const struct geo *g, const struct metric *m,
                   const struct obs_row *rows, int nrows) {
    memset(s, 0, sizeof *s);
    s->nareas = g->n;
    const char *codes[3] = {m->code, m->is_rate && m->numerator[0] ? m->numerator : NULL,
                            m->is_rate && m->denominator[0] ? m->denominator : NULL};
    s->months = malloc(sizeof *s->months * (size_t)(nrows > 0 ? nrows : 1));
    if (!s->months)
        return false;
    for (int i = 0; i < nrows; i++)
        if (part_of(codes, rows[i].metric) >= 0)
            s->months[s->nmonths++] = rows[i].month;
    qsort(s->months, (size_t)s->nmonths, sizeof *s->months, int_cmp);
    int distinct = 0;
    for (int i = 0; i < s->nmonths; i++)
        if (!distinct || s->months[distinct - 1] != s->months[i])
            s->months[distinct++] = s->months[i];
    s->nmonths = distinct;
    size_t cells = (size_t)(s->nareas ? s->nareas : 1) * (size_t)(s->nmonths ? s->nmonths : 1);
    for (int k = 0; k < 3; k++) {
        if (k > 0 && !codes[k])
            continue;
        s->cells[k] = calloc(cells, sizeof *s->cells[k]);
        if (!s->cells[k]) {
            obs_set_free(s);
            return false;
        }
    }
    for (int i = 0; i < nrows; i++) {
        const struct obs_row *r = &rows[i];
        int k = part_of(codes, r->metric), col = column_of(s, r->month);
        if (k < 0 || r->area < 0 || r->area >= s->nareas || col < 0)
            continue;
        s->cells[k][(size_t)r->area * (size_t)s->nmonths + (size_t)col] = (struct obs_cell){
            .has = true,
            .final = r->final,
            .estimated = r->estimated,
            .value = r->value,
            .has_lower = r->has_lower,
            .lower = r->has_lower ? r->lower : 0,
            .has_upper = r->has_upper,
            .upper = r->has_upper ? r->upper : 0,
        };
    }
    return true;
}

void obs_set_free(struct obs_set *s) {
    free(s->months);
    for (int k = 0; k < 3; k++)
        free(s->cells[k]);
    memset(s, 0, sizeof *s);
}

static bool lookup_value(void *ctx, int area, struct derive_cell *out) {
    struct lookup_ctx *c = ctx;
    const struct obs_cell *cell =
        &c->s->cells[0][(size_t)area * (size_t)c->s->nmonths + (size_t)c->col];
    *out = (struct derive_cell){.has = cell->has, .a = cell->value, .final = cell->final};
    /* A small count in a breakdown cell is hidden, or one hidden to protect another,
     * and so is any total made from it: the total less the visible members would give
     * it away. */
    out->hidden =
        cell->has && (cell->hidden || (c->o->hide_small && c->m->is_count && cell->value >= 1 &&
                                       cell->value <= c->o->small_max));
    return true;
}

static bool lookup_parts(void *ctx, int area, struct derive_cell *out) {
    struct lookup_ctx *c = ctx;
    size_t at = (size_t)area * (size_t)c->s->nmonths + (size_t)c->col;
    const struct obs_cell *num = &c->s->cells[1][at], *den = &c->s->cells[2][at];
    *out = (struct derive_cell){.has = num->has && den->has,
                                .a = num->value,
                                .b = den->value,
                                .final = num->final && den->final};
    return true;
}

/* The area's figure in one column, own or derived; false when it has none. members:
 * room for 2 x nareas ints (members, then missing). */
static bool resolve_point(const struct geo *g, const struct metric *m, const struct obs_set *s,
                          int area, int col, const struct series_opts *o, struct point *p,
                          int *members) {
    struct lookup_ctx ctx = {s, m, o, col};
    struct derive_geo dg = geo_derive(g);
    struct derive_result res = {.members = members, .missing = members + g->n};
    const struct obs_cell *own = &s->cells[0][(size_t)area * (size_t)s->nmonths + (size_t)col];
    bool has_value;
    double value;
    if (m->is_rate) {
        /* A rate is never added up: its own figure, or the ratio of its parts. */
        if (own->has) {
            derive_resolve(&dg, s->months[col], area, lookup_value, &ctx, &res);
            has_value = res.has;
            value = res.a;
        } else if (s->cells[1] && s->cells[2]) {
            derive_resolve(&dg, s->months[col], area, lookup_parts, &ctx, &res);
            has_value = res.has && res.b != 0;
            value = has_value ? metric_round(m, res.a / res.b * m->scale) : 0;
            if (has_value && !res.derived) {
                /* Made from the area's own numerator and denominator: still a
                 * computed figure, not one anybody reported. */
                res.derived = true;
                res.members[0] = area;
                res.nmembers = 1;
            }
        } else {
            return false;
        }
    } else {
        derive_resolve(&dg, s->months[col], area, lookup_value, &ctx, &res);
        has_value = res.has;
        value = res.derived ? metric_round(m, res.a) : res.a;
    }
    if (!has_value)
        return false;
    *p = (struct point){.month = s->months[col],
                        .value = value,
                        .per = value,
                        .derived = res.derived,
                        .complete = res.complete,
                        .whole = res.complete,
                        .final = res.final};
    p->suppressed =
        o->hide_small && m->is_count && (res.hidden || (value >= 1 && value <= o->small_max));
    if (!res.derived) {
        p->estimated = own->estimated;
        p->has_lower = own->has_lower;
        p->lower = own->lower;
        p->has_upper = own->has_upper;
        p->upper = own->upper;
        if (p->has_lower || p->has_upper)
            p->ci_method = "given";
    }
    if (!p->ci_method && m->scale == 100 && s->cells[1] && s->cells[2])
        wilson_from_parts(p, s, area, col, own->has ? NULL : &res);
    qsort(res.members, (size_t)res.nmembers, sizeof *res.members, int_cmp);
    qsort(res.missing, (size_t)res.nmissing, sizeof *res.missing, int_cmp);
    p->members = res.members;
    p->nmembers = res.nmembers;
    p->missing = res.missing;
    p->nmissing = res.nmissing;
    return true;
}

bool series_build(struct series *out, const struct geo *g, const struct metric *m,
                  const struct obs_set *s, int area, const struct series_opts *o) {
    memset(out, 0, sizeof *out);
    size_t per_point = (size_t)(g->n ? g->n : 1) * 2;
    out->pts = calloc((size_t)(s->nmonths ? s->nmonths : 1), sizeof *out->pts);
    out->arena = malloc(sizeof *out->arena * per_point * (size_t)(s->nmonths ? s->nmonths : 1));
    if (!out->pts || !out->arena) {
        series_free(out);
        return false;
    }
    for (int col = 0; col < s->nmonths; col++)
        if (resolve_point(g, m, s, area, col, o, &out->pts[out->n],
                          out->arena + per_point * (size_t)col))
            out->n++;
    if (o->cumulative && m->is_flow)
        cumulate(m, out);
    return true;
}

/* Running sums of a flow. A sum over a gap, or over an incomplete figure, is itself
 * incomplete; once a hidden figure is in the sum, every later sum is hidden too (two
 * neighbouring sums would give it away). */
static void cumulate(const struct metric *m, struct series *s) {
    double running = 0;
    bool complete = true, hidden = false;
    int step = period_months(m->freq);
    for (int i = 0; i < s->n; i++) {
        struct point *p = &s->pts[i];
        running += p->per;
        complete = complete && p->complete && (i == 0 || p->month - s->pts[i - 1].month <= step);
        hidden = hidden || p->suppressed;
        p->value = metric_round(m, running);
        p->complete = complete;
        p->suppressed = hidden;
        p->has_lower = p->has_upper = false;
        p->ci_method = NULL;
    }
}

/* A percentage with both counts for the same area, period and breakdown carries
 * Wilson's 95% score interval around their ratio (PHEindicatormethods' phe_proportion):
 * the area's own counts beside its own figure, or the summed counts a computed figure
 * was made from (res). */
static void wilson_from_parts(struct point *p, const struct obs_set *s, int area, int col,
                              const struct derive_result *res) {
    double x, n;
    if (res) {
        x = res->a;
        n = res->b;
    } else {
        size_t at = (size_t)area * (size_t)s->nmonths + (size_t)col;
        const struct obs_cell *num = &s->cells[1][at], *den = &s->cells[2][at];
        if (!num->has || !den->has)
            return;
        x = num->value;
        n = den->value;
    }
    double lo, hi;
    if (!interval_wilson(x, n, INTERVAL_Z95, &lo, &hi))
        return;
    p->has_lower = p->has_upper = true;
    p->lower = lo * 100;
    p->upper = hi * 100;
    p->ci_method = "wilson";
}

void series_free(struct series *s) {
    free(s->pts);
    free(s->arena);
    memset(s, 0, sizeof *s);
}

enum trend_label series_trend(const struct metric *m, const struct series *s, int lo, int hi) {
    int cap = hi - lo > 0 ? hi - lo : 1, n = 0;
    double *x = malloc(sizeof *x * (size_t)cap), *y = malloc(sizeof *y * (size_t)cap);
    enum trend_label t = TREND_NONE;
    if (x && y) {
        for (int i = lo; i < hi; i++) {
            /* A partial total next to whole ones would read as a fall. */
            if (s->pts[i].suppressed || !s->pts[i].whole)
                continue;
            /* Positions in periods, so a missing month stretches the line. */
            x[n] = (double)s->pts[i].month / period_months(m->freq);
            y[n] = s->pts[i].per;
            n++;
        }
        t = trend_of(x, y, n);
    }
    free(x);
    free(y);
    return t;
}

bool series_change(const struct metric *m, const struct series *s, double *out) {
    if (s->n < 2 || !s->pts[s->n - 1].whole || !s->pts[s->n - 2].whole)
        return false;
    *out = metric_round(m, s->pts[s->n - 1].per - s->pts[s->n - 2].per);
    return true;
}

bool series_total_to_date(const struct metric *m, const struct series *s, double *out) {
    if (!s->n)
        return false;
    if (m->is_flow) {
        double sum = 0;
        for (int i = 0; i < s->n; i++) {
            if (!s->pts[i].whole ||
                (i > 0 && s->pts[i].month - s->pts[i - 1].month > period_months(m->freq)))
                return false;
            sum += s->pts[i].per;
        }
        *out = metric_round(m, sum);
        return true;
    }
    if (m->is_rate || !s->pts[s->n - 1].whole)
        return false;
    *out = s->pts[s->n - 1].per;
    return true;
}
