/* Each figure's cells are read as a table for domain/suppress: a cell's key
 * ("age_band=16-24;sex=female") gives its category per dimension, a dimension it does not
 * name is its margin. */
#include "api/disclosure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/breakdown.h"
#include "domain/period.h"
#include "domain/suppress.h"

struct table_dims {
    int n;
    char names[SUPPRESS_MAX_DIMS][40];
    int ncats[SUPPRESS_MAX_DIMS];
    char cats[SUPPRESS_MAX_DIMS][32][48];
};

static bool place(struct table_dims *t, const char *key, struct suppress_cell *out);
static int dim_index(struct table_dims *t, const char *name, size_t len);
static int cat_index(struct table_dims *t, int d, const char *cat, size_t len);
static bool judge(const struct db_cell *cells, int n, const struct db_categories *cats,
                  int small_max, bool *hidden);
static int add_unreported(struct suppress_cell **t, int n, int *cap, struct table_dims *dims,
                          const struct db_categories *cats);
static int cmp_text(const void *a, const void *b);
static char *join(const char *metric, const char *area, const char *period, const char *key);
static bool row_cell(json_t *row, char *start, size_t start_size, char *key, size_t key_size);

static int dim_index(struct table_dims *t, const char *name, size_t len) {
    for (int d = 0; d < t->n; d++)
        if (strlen(t->names[d]) == len && strncmp(t->names[d], name, len) == 0)
            return d;
    if (t->n == SUPPRESS_MAX_DIMS || len >= sizeof t->names[0])
        return -1;
    memcpy(t->names[t->n], name, len);
    t->names[t->n][len] = '\0';
    t->ncats[t->n] = 0;
    return t->n++;
}

static int cat_index(struct table_dims *t, int d, const char *cat, size_t len) {
    for (int k = 0; k < t->ncats[d]; k++)
        if (strlen(t->cats[d][k]) == len && strncmp(t->cats[d][k], cat, len) == 0)
            return k;
    if (t->ncats[d] == 32 || len >= sizeof t->cats[0][0])
        return -1;
    memcpy(t->cats[d][t->ncats[d]], cat, len);
    t->cats[d][t->ncats[d]][len] = '\0';
    return t->ncats[d]++;
}

/* The cell's categories from its key; false when the table is too wide to judge. */
static bool place(struct table_dims *t, const char *key, struct suppress_cell *out) {
    for (int e = 0; e < SUPPRESS_MAX_DIMS; e++)
        out->cat[e] = SUPPRESS_ALL;
    for (const char *p = key; *p;) {
        size_t len = strcspn(p, ";");
        const char *eq = memchr(p, '=', len);
        if (!eq)
            return false;
        int d = dim_index(t, p, (size_t)(eq - p));
        int k = d < 0 ? -1 : cat_index(t, d, eq + 1, len - (size_t)(eq + 1 - p));
        if (k < 0)
            return false;
        out->cat[d] = k;
        p += len + (p[len] == ';');
    }
    return true;
}

/* The cells a breakdown lacks: for each set of dimensions some reported cell is broken
 * down by, every combination of those dimensions' categories (from the catalogue) that
 * was not reported joins the table as an unknown. Returns the new count, or -1 when the
 * table would grow past what is judged exactly. */
static int add_unreported(struct suppress_cell **t, int n, int *cap, struct table_dims *dims,
                          const struct db_categories *cats) {
    int nd = dims->n;
    for (int d = 0; d < nd; d++) /* every category of every dimension present */
        for (int i = 0; i < cats->n; i++)
            if (strcmp(cats->dim[i], dims->names[d]) == 0 &&
                cat_index(dims, d, cats->code[i], strlen(cats->code[i])) < 0)
                return -1;
    unsigned seen[64];
    int nseen = 0, reported = n;
    for (int i = 0; i < reported; i++) {
        unsigned mask = 0;
        for (int d = 0; d < nd; d++)
            if ((*t)[i].cat[d] != SUPPRESS_ALL)
                mask |= 1u << d;
        bool known = mask == 0;
        for (int k = 0; k < nseen && !known; k++)
            known = seen[k] == mask;
        if (known)
            continue;
        if (nseen == 64)
            return -1;
        seen[nseen++] = mask;
        int combos = 1;
        for (int d = 0; d < nd; d++)
            if (mask & (1u << d))
                combos *= dims->ncats[d] ? dims->ncats[d] : 1;
        if (combos > SUPPRESS_MAX_WORK / 4)
            return -1;
        for (int c = 0; c < combos; c++) {
            struct suppress_cell x = {.hidden = true, .unknown = true};
            int rest = c;
            for (int e = 0; e < SUPPRESS_MAX_DIMS; e++)
                x.cat[e] = SUPPRESS_ALL;
            for (int d = 0; d < nd; d++)
                if (mask & (1u << d)) {
                    x.cat[d] = rest % dims->ncats[d];
                    rest /= dims->ncats[d];
                }
            bool there = false;
            for (int j = 0; j < n && !there; j++)
                there = memcmp((*t)[j].cat, x.cat, sizeof x.cat) == 0;
            if (there)
                continue;
            if (n == *cap) {
                if (*cap >= SUPPRESS_MAX_WORK / 2)
                    return -1;
                struct suppress_cell *more = realloc(*t, (size_t)*cap * 2 * sizeof **t);
                if (!more)
                    return -1;
                *t = more;
                *cap *= 2;
            }
            (*t)[n++] = x;
        }
    }
    return n;
}

/* One figure's table: which of its n cells to hide. */
static bool judge(const struct db_cell *cells, int n, const struct db_categories *cats,
                  int small_max, bool *hidden) {
    int cap = n * 2 + 16;
    struct suppress_cell *t = calloc((size_t)cap, sizeof *t);
    struct table_dims *dims = calloc(1, sizeof *dims);
    bool ok = t && dims;
    for (int i = 0; ok && i < n; i++) {
        if (!place(dims, cells[i].key, &t[i]))
            ok = false;
        t[i].value = cells[i].value;
        t[i].hidden = cells[i].key[0] && cells[i].value >= 1 && cells[i].value <= small_max;
    }
    int all = ok ? add_unreported(&t, n, &cap, dims, cats) : -1;
    ok = all >= 0;
    if (ok && dims->n > 0)
        suppress_complement(t, all, dims->n, small_max);
    for (int i = 0; i < n; i++) /* a table that cannot be judged shows its total only */
        hidden[i] = ok ? t[i].hidden : cells[i].key[0] != '\0';
    free(t);
    free(dims);
    return true;
}

static int cmp_text(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *metric, const char *area, const char *period, const char *key) {
    size_t n = strlen(metric) + strlen(area) + strlen(period) + strlen(key) + 4;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s\x1f%s\x1f%s\x1f%s", metric, area, period, key);
    return s;
}

bool disclosure_build(struct db_conn *db, const struct db_figure *figures, int n, int small_max,
                      const char *as_of, struct disclosure *out) {
    memset(out, 0, sizeof *out);
    struct db_cells cells;
    struct db_categories cats;
    if (!db_cells_read(db, figures, n, as_of, &cells))
        return false;
    if (cells.n && !db_cells_categories(db, &cats)) {
        db_cells_free(&cells);
        return false;
    }
    if (!cells.n)
        memset(&cats, 0, sizeof cats);
    bool *hidden = calloc((size_t)cells.n + 1, sizeof *hidden);
    out->hidden = calloc((size_t)cells.n + 1, sizeof *out->hidden);
    bool ok = hidden && out->hidden;
    for (int i = 0; ok && i < cells.n;) {
        int j = i + 1;
        while (j < cells.n && strcmp(cells.cells[j].metric, cells.cells[i].metric) == 0 &&
               strcmp(cells.cells[j].area, cells.cells[i].area) == 0 &&
               strcmp(cells.cells[j].period_start, cells.cells[i].period_start) == 0)
            j++;
        judge(cells.cells + i, j - i, &cats, small_max, hidden + i);
        for (int k = i; ok && k < j; k++) {
            if (!hidden[k])
                continue;
            const struct db_cell *c = &cells.cells[k];
            char *s = join(c->metric, c->area, c->period_start, c->key);
            if (!s)
                ok = false;
            else
                out->hidden[out->n++] = s;
        }
        i = j;
    }
    free(hidden);
    db_cells_free(&cells);
    db_categories_free(&cats);
    if (!ok) {
        disclosure_free(out);
        return false;
    }
    qsort(out->hidden, (size_t)out->n, sizeof *out->hidden, cmp_text);
    return true;
}

bool disclosure_hidden(const struct disclosure *d, const char *metric, const char *area,
                       const char *period_start, const char *key) {
    if (!d || d->n == 0)
        return false;
    char *s = join(metric, area, period_start, key);
    if (!s) /* no memory to look: hide rather than risk */
        return true;
    bool found = bsearch(&s, d->hidden, (size_t)d->n, sizeof *d->hidden, cmp_text) != NULL;
    free(s);
    return found;
}

void disclosure_free(struct disclosure *d) {
    for (int i = 0; i < d->n; i++)
        free(d->hidden[i]);
    free(d->hidden);
    memset(d, 0, sizeof *d);
}

/* A row's figure and cell key, from its answered form; false for a row without one. */
static bool row_cell(json_t *row, char *start, size_t start_size, char *key, size_t key_size) {
    struct period p;
    const char *period = json_string_value(json_object_get(row, "period"));
    if (!period || !period_parse(period, &p) || period_start_date(&p, start, start_size) < 0)
        return false;
    struct breakdown b = {0};
    const char *dim;
    json_t *cat;
    json_object_foreach(json_object_get(row, "breakdown"), dim, cat) {
        if (!json_is_string(cat) || !breakdown_add(&b, dim, json_string_value(cat)))
            return false;
    }
    return breakdown_key(&b, key, key_size) >= 0;
}

bool disclosure_apply_items(struct db_conn *db, json_t *items, int small_max, const char *as_of) {
    size_t n = json_array_size(items);
    struct db_figure *figs = calloc(n + 1, sizeof *figs);
    char(*starts)[16] = calloc(n + 1, sizeof *starts);
    /* Each row's cell key, read once and kept for the second pass. */
    char(*keys)[BREAKDOWN_MAX_DIMS * 90] = calloc(n + 1, sizeof *keys);
    bool *cell = calloc(n + 1, sizeof *cell);
    if (!figs || !starts || !keys || !cell) {
        free(figs);
        free(starts);
        free(keys);
        free(cell);
        return false;
    }
    int nf = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_array_get(items, i);
        const char *metric = json_string_value(json_object_get(row, "metric"));
        const char *area = json_string_value(json_object_get(row, "area"));
        cell[i] =
            metric && area && row_cell(row, starts[i], sizeof starts[i], keys[i], sizeof keys[i]);
        if (!cell[i])
            continue;
        if (nf && strcmp(figs[nf - 1].metric, metric) == 0 &&
            strcmp(figs[nf - 1].area, area) == 0 &&
            strcmp(figs[nf - 1].period_start, starts[i]) == 0)
            continue; /* rows come ordered, so a figure's cells are neighbours */
        figs[nf++] = (struct db_figure){metric, area, starts[i]};
    }
    struct disclosure d;
    bool ok = disclosure_build(db, figs, nf, small_max, as_of, &d);
    for (size_t i = 0; ok && i < n; i++) {
        json_t *row = json_array_get(items, i);
        if (!cell[i] ||
            !disclosure_hidden(&d, json_string_value(json_object_get(row, "metric")),
                               json_string_value(json_object_get(row, "area")), starts[i], keys[i]))
            continue;
        json_object_set_new(row, "value", json_null());
        json_object_set_new(row, "lower", json_null());
        json_object_set_new(row, "upper", json_null());
        json_object_set_new(row, "suppressed", json_true());
    }
    if (ok)
        disclosure_free(&d);
    free(figs);
    free(starts);
    free(keys);
    free(cell);
    return ok;
}

static bool small_value(json_t *v, int small_max) {
    return json_is_number(v) && json_number_value(v) >= 1 && json_number_value(v) <= small_max;
}

bool disclosure_apply_changes(struct db_conn *db, json_t *items, int small_max) {
    size_t n = json_array_size(items);
    if (n == 0 || small_max <= 0)
        return true;
    struct db_figure *figs = calloc(n, sizeof *figs);
    char(*starts)[16] = calloc(n, sizeof *starts);
    char(*keys)[BREAKDOWN_MAX_DIMS * 90] = calloc(n, sizeof *keys);
    bool *count = calloc(n, sizeof *count);
    bool ok = figs && starts && keys && count;
    int nf = 0;
    const char *last_metric = NULL;
    bool last_count = false;
    for (size_t i = 0; ok && i < n; i++) {
        json_t *row = json_array_get(items, i);
        const char *metric = json_string_value(json_object_get(row, "metric"));
        const char *area = json_string_value(json_object_get(row, "area"));
        if (!metric || !area ||
            !row_cell(row, starts[i], sizeof starts[i], keys[i], sizeof keys[i]))
            continue;
        if (!last_metric || strcmp(last_metric, metric) != 0) {
            ok = db_cells_metric_is_count(db, metric, &last_count);
            last_metric = metric;
        }
        count[i] = last_count && keys[i][0];
        if (count[i])
            figs[nf++] = (struct db_figure){metric, area, starts[i]};
    }
    struct disclosure d = {0};
    ok = ok && disclosure_build(db, figs, nf, small_max, NULL, &d);
    for (size_t i = 0; ok && i < n; i++) {
        json_t *row = json_array_get(items, i);
        if (!count[i])
            continue;
        if (small_value(json_object_get(row, "old_value"), small_max) ||
            small_value(json_object_get(row, "new_value"), small_max) ||
            disclosure_hidden(&d, json_string_value(json_object_get(row, "metric")),
                              json_string_value(json_object_get(row, "area")), starts[i],
                              keys[i])) {
            json_object_set_new(row, "old_value", json_null());
            json_object_set_new(row, "new_value", json_null());
            json_object_set_new(row, "suppressed", json_true());
        }
    }
    disclosure_free(&d);
    free(figs);
    free(starts);
    free(keys);
    free(count);
    return ok;
}
