/* Row checks for submissions. Each check adds an error with a stable code and a
 * message that says what to send instead; all of a row's faults are reported at once
 * so a partner fixes a file in one pass. */
#include "ingest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ingest_error_vset(struct ingest_error *e, const char *field, const char *code, const char *fmt,
                       va_list ap) {
    e->field = field;
    e->code = code;
    vsnprintf(e->message, sizeof e->message, fmt, ap);
}

static void add_error(struct ingest_checked *out, const char *field, const char *code,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int cmp_code(const void *key, const void *elem);
static int cmp_area(const void *key, const void *elem);
static bool category_known(const struct ingest_catalogue *c, const char *dim, const char *cat);
static bool granted(const struct ingest_catalogue *c, const struct ingest_metric *m,
                    const char *area);
static bool locked(const struct ingest_catalogue *c, const struct ingest_metric *m,
                   const struct period *p);
static void suggest_codes(struct ingest_checked *out, const char *word, const char *first, int n,
                          size_t stride, char *list, size_t size);
static bool check_number(struct ingest_checked *out, const char *field, const char *text,
                         char *canon, size_t size, double *v);
static bool check_bound(struct ingest_checked *out, const struct ingest_metric *m,
                        const char *field, double v);

static void add_error(struct ingest_checked *out, const char *field, const char *code,
                      const char *fmt, ...) {
    if (out->nerrors >= INGEST_MAX_ROW_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    ingest_error_vset(&out->errors[out->nerrors++], field, code, fmt, ap);
    va_end(ap);
}

static int cmp_code(const void *key, const void *elem) {
    return strcmp(key, ((const struct ingest_metric *)elem)->code);
}

static int cmp_area(const void *key, const void *elem) {
    return strcmp(key, (const char *)elem);
}

const struct ingest_metric *ingest_find_metric(const struct ingest_catalogue *c, const char *code) {
    if (!code || c->nmetrics == 0)
        return NULL;
    return bsearch(code, c->metrics, (size_t)c->nmetrics, sizeof *c->metrics, cmp_code);
}

bool ingest_area_known(const struct ingest_catalogue *c, const char *code) {
    if (!code || c->nareas == 0)
        return false;
    return bsearch(code, c->areas, (size_t)c->nareas, sizeof *c->areas, cmp_area) != NULL;
}

static bool category_known(const struct ingest_catalogue *c, const char *dim, const char *cat) {
    int lo = 0, hi = c->ncategories - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int d = strcmp(dim, c->categories[mid].dim);
        if (d == 0)
            d = strcmp(cat, c->categories[mid].code);
        if (d == 0)
            return true;
        if (d < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return false;
}

static bool granted(const struct ingest_catalogue *c, const struct ingest_metric *m,
                    const char *area) {
    if (!c->check_grants)
        return true;
    for (int i = 0; i < c->ngrants; i++) {
        const struct ingest_grant *g = &c->grants[i];
        if (strcmp(g->area, area) != 0)
            continue;
        if ((g->metric[0] && strcmp(g->metric, m->code) == 0) ||
            (g->programme[0] && strcmp(g->programme, m->programme) == 0))
            return true;
    }
    return false;
}

/* A figure is locked when its period covers a locked month: a lock on February 2019
 * stops 2019-02, and also a quarterly 2019-Q1 or an annual 2019 figure that includes it. */
static bool locked(const struct ingest_catalogue *c, const struct ingest_metric *m,
                   const struct period *p) {
    if (c->override_locks)
        return false;
    int first = period_month_index(p), end = period_end_index(p);
    for (int i = 0; i < c->nlocks; i++) {
        const struct ingest_lock *l = &c->locks[i];
        if (l->month_index < first || l->month_index >= end)
            continue;
        if ((l->metric[0] && strcmp(l->metric, m->code) == 0) ||
            (l->programme[0] && strcmp(l->programme, m->programme) == 0))
            return true;
    }
    return false;
}

/* Fills the last error's suggestions with the codes nearest to word and writes them to
 * list as "; did you mean A or B?" (left as it was when none is near). */
static void suggest_codes(struct ingest_checked *out, const char *word, const char *first, int n,
                          size_t stride, char *list, size_t size) {
    const char *near[SUGGEST_MAX];
    int k = suggest_nearest(word, first, n, stride, SUGGEST_MAX, near);
    struct ingest_error *e = &out->errors[out->nerrors - 1];
    size_t used = 0;
    if (k)
        list[0] = '\0';
    for (int i = 0; i < k; i++) {
        snprintf(e->suggestions[i], sizeof e->suggestions[i], "%s", near[i]);
        int w = snprintf(list + used, size - used, "%s%s",
                         i == 0       ? "; did you mean "
                         : i + 1 == k ? " or "
                                      : ", ",
                         near[i]);
        if (w > 0 && (size_t)w < size - used)
            used += (size_t)w;
    }
    e->nsuggestions = k;
    if (k && used + 1 < size)
        snprintf(list + used, size - used, "?");
}

static bool check_number(struct ingest_checked *out, const char *field, const char *text,
                         char *canon, size_t size, double *v) {
    if (!value_parse(text, v, canon, size)) {
        add_error(out, field, "not_a_number",
                  "%s \"%.40s\" is not a finite number: send digits with an optional sign, "
                  "decimal point and exponent (412, 26.5), no thousands separators",
                  field, text);
        return false;
    }
    return true;
}

/* Without the metric the unit is unknown, so the bound is judged once the metric is. */
static bool check_bound(struct ingest_checked *out, const struct ingest_metric *m,
                        const char *field, double v) {
    char msg[200];
    const char *code = m ? value_check_bound(m->unit, v, msg, sizeof msg) : NULL;
    if (code)
        add_error(out, field, code, "%s: %s", field, msg);
    return code == NULL;
}

enum ingest_field_change ingest_field_change(bool present, const char *text) {
    if (!present)
        return INGEST_KEEP;
    return text && *text ? INGEST_SET : INGEST_CLEAR;
}

bool ingest_check_row(const struct ingest_catalogue *c, const struct ingest_raw *raw,
                      struct ingest_checked *out) {
    memset(out, 0, sizeof *out);
    const struct ingest_metric *m = NULL;
    if (!raw->metric || !*raw->metric)
        add_error(out, "metric", "missing_field", "metric is required (e.g. mhfa.people_trained)");
    else if (!(m = ingest_find_metric(c, raw->metric))) {
        add_error(out, "metric", "unknown_metric", "-");
        char near[3 * INGEST_CODE_LEN + 40] = ";";
        if (c->suggest && c->nmetrics > 0)
            suggest_codes(out, raw->metric, c->metrics[0].code, c->nmetrics, sizeof *c->metrics,
                          near, sizeof near);
        snprintf(out->errors[out->nerrors - 1].message, sizeof out->errors[0].message,
                 "metric \"%.60s\" is not in the catalogue%.100s GET /v1/metrics lists the codes",
                 raw->metric, near);
    }
    out->metric = m;

    bool area_ok = false;
    if (!raw->area || !*raw->area)
        add_error(out, "area", "missing_field", "area is required: an ONS code such as E08000025");
    else if (!ingest_area_known(c, raw->area)) {
        add_error(out, "area", "unknown_area", "-");
        char near[3 * 16 + 40] = ";";
        if (c->suggest && c->nareas > 0)
            suggest_codes(out, raw->area, c->areas[0], c->nareas, sizeof *c->areas, near,
                          sizeof near);
        snprintf(out->errors[out->nerrors - 1].message, sizeof out->errors[0].message,
                 "area \"%.40s\" is not a known ONS code%.80s GET /v1/areas lists them", raw->area,
                 near);
    } else
        area_ok = true;

    bool period_ok = false;
    if (!raw->period || !*raw->period) {
        add_error(out, "period", "missing_field",
                  "period is required (2019-01, 2019-Q1, 2019, FY2019-20)");
    } else if (!period_parse(raw->period, &out->period)) {
        struct period meant;
        char canon[16];
        if (period_guess(raw->period, &meant)) {
            period_format(&meant, canon, sizeof canon);
            add_error(out, "period", "bad_period",
                      "period \"%.40s\" is not a period: write %s (periods are written 2019-01 "
                      "for a month, 2019-Q1, 2019 or FY2019-20)",
                      raw->period, canon);
            struct ingest_error *e = &out->errors[out->nerrors - 1];
            snprintf(e->suggestions[0], sizeof e->suggestions[0], "%s", canon);
            e->nsuggestions = 1;
        } else {
            add_error(out, "period", "bad_period",
                      "period \"%.40s\" is not a period: use 2019-01 (month), 2019-Q1 (quarter), "
                      "2019 (year) or FY2019-20 (financial year)",
                      raw->period);
        }
    } else if (m && out->period.freq != m->freq) {
        add_error(out, "period", "wrong_frequency", "period \"%.40s\" is %s but %s is reported %s",
                  raw->period, period_freq_name(out->period.freq), m->code,
                  period_freq_name(m->freq));
    } else if (period_month_index(&out->period) > c->today_month_index) {
        add_error(out, "period", "future_period",
                  "period \"%.40s\" has not started yet; send figures for periods that have",
                  raw->period);
    } else {
        period_ok = true;
    }

    double v = 0, lo = 0, hi = 0;
    bool have_value = false;
    if (!raw->del) {
        if (!raw->value || !*raw->value)
            add_error(out, "value", "missing_field",
                      "value is required (a number); to withdraw a figure send \"delete\": true");
        else if (check_number(out, "value", raw->value, out->value, sizeof out->value, &v))
            have_value = true;
        if (have_value && m) {
            char msg[200];
            const char *code = value_check(m->unit, v, msg, sizeof msg);
            if (code)
                add_error(out, "value", code, "%s", msg);
        }
        if (raw->lower && *raw->lower &&
            check_number(out, "lower", raw->lower, out->lower, sizeof out->lower, &lo) &&
            check_bound(out, m, "lower", lo) && have_value && lo > v)
            add_error(out, "lower", "bad_interval", "lower %s is above value %s", out->lower,
                      out->value);
        if (raw->upper && *raw->upper &&
            check_number(out, "upper", raw->upper, out->upper, sizeof out->upper, &hi) &&
            check_bound(out, m, "upper", hi) && have_value && hi < v)
            add_error(out, "upper", "bad_interval", "upper %s is below value %s", out->upper,
                      out->value);
    }

    static const char *const statuses[] = {"provisional", "final", "estimated"};
    out->status = NULL;
    for (int k = 0; raw->status && k < 3; k++)
        if (strcmp(raw->status, statuses[k]) == 0)
            out->status = statuses[k];
    if (raw->status && *raw->status && !out->status)
        add_error(out, "status", "bad_status",
                  "status \"%.40s\" must be provisional, final or estimated; leave it out to "
                  "keep the stored status",
                  raw->status);
    out->lower_change = ingest_field_change(raw->has_lower, raw->lower);
    out->upper_change = ingest_field_change(raw->has_upper, raw->upper);
    out->status_change = ingest_field_change(raw->has_status, raw->status);
    out->note_change = ingest_field_change(raw->has_note, raw->note);
    if (raw->note && strlen(raw->note) > 2000)
        add_error(out, "note", "too_long", "note is %zu characters; keep it to 2000",
                  strlen(raw->note));

    const struct breakdown *b = &raw->breakdown;
    for (int i = 0; m && i < b->n; i++) {
        bool declared = false;
        for (int k = 0; k < m->ndims; k++)
            declared |= strcmp(m->dims[k], b->dim[i]) == 0;
        if (!declared)
            add_error(out, "breakdown", "unknown_dimension", "%s is not broken down by \"%.40s\"%s",
                      m->code, b->dim[i],
                      m->ndims ? "; GET /v1/metrics/{code} lists its dimensions"
                               : "; send totals only");
        else if (!category_known(c, b->dim[i], b->cat[i]))
            add_error(out, "breakdown", "unknown_category",
                      "\"%.48s\" is not a category of %s; GET /v1/dimensions lists them", b->cat[i],
                      b->dim[i]);
    }
    if (breakdown_key(b, out->breakdown_key, sizeof out->breakdown_key) < 0)
        add_error(out, "breakdown", "too_long", "the breakdown is too long");

    if (m && area_ok && !granted(c, m, raw->area))
        add_error(out, "area", "not_granted",
                  "this key's partner may not submit %s for %s; ask an admin for a grant", m->code,
                  raw->area);
    if (m && period_ok && locked(c, m, &out->period))
        add_error(out, "period", "locked",
                  "%s for %s is locked (reported to the board); an admin can unlock it or "
                  "override with a reason",
                  m->code, raw->period);
    return out->nerrors == 0;
}
