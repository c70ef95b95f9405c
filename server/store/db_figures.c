/* The read model's queries. They fetch plain rows (areas, memberships, figures,
 * targets) and copy them into C structs; every figure is then computed by the pure
 * domain code, so one rule gives every route its numbers. */
#include "store/db_figures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_json.h"

#define METRIC_COLUMNS                                                                             \
    "SELECT m.code,\n"                                                                             \
    "       m.programme,\n"                                                                        \
    "       m.name,\n"                                                                             \
    "       m.unit,\n"                                                                             \
    "       m.kind,\n"                                                                             \
    "       m.frequency,\n"                                                                        \
    "       m.polarity,\n"                                                                         \
    "       m.decimals,\n"                                                                         \
    "       coalesce(m.numerator_metric, ''),\n"                                                   \
    "       coalesce(m.denominator_metric, ''),\n"                                                 \
    "       m.sort_order,\n"                                                                       \
    "       coalesce((SELECT string_agg(d.dimension, ',' ORDER BY d.dimension)\n"                  \
    "                   FROM metric_dimensions d\n"                                                \
    "                  WHERE d.metric = m.code), '')\n"

static const struct db_stmt st_areas = {"figures_areas",
                                        "SELECT code, name, type\n"
                                        "  FROM areas\n"
                                        " ORDER BY code COLLATE \"C\"",
                                        0};
static const struct db_stmt st_memberships = {"figures_memberships",
                                              "SELECT child,\n"
                                              "       parent,\n"
                                              "       role,\n"
                                              "       valid_from::text,\n"
                                              "       coalesce(valid_to::text, '')\n"
                                              "  FROM area_memberships",
                                              0};
static const struct db_stmt st_metric = {"figures_metric",
                                         METRIC_COLUMNS "  FROM metrics m\n"
                                                        " WHERE m.code = $1",
                                         1};
static const struct db_stmt st_headlines = {"dashboard_headline",
                                            METRIC_COLUMNS
                                            ",      p.name\n"
                                            "  FROM metrics m\n"
                                            "  JOIN programmes p ON p.code = m.programme\n"
                                            " WHERE m.headline AND m.active\n"
                                            " ORDER BY p.sort_order, p.code, m.sort_order, m.code",
                                            0};
static const struct db_stmt st_observations = {
    "figures_observations",
    "SELECT o.metric,\n"
    "       o.area,\n"
    "       o.period_start::text,\n"
    "       o.value::text,\n"
    "       o.lower_ci::text,\n"
    "       o.upper_ci::text,\n"
    "       o.status\n"
    /* The figures as they stood at the moment db_read_as_of set for this read's
     * transaction (asOf=, snapshot=), else as they stand: observations_at() of 050. */
    "  FROM observations_at(nullif(current_setting('wellbeing.as_of', true), '')::timestamptz) o\n"
    " WHERE o.metric = ANY($1::text[])\n"
    "   AND o.breakdown_key = $2\n"
    "   AND ($3::text[] IS NULL OR o.area = ANY($3::text[]))\n"
    "   AND ($4::date IS NULL OR o.period_start = $4::date)\n"
    " ORDER BY o.metric, o.period_start",
    4};
static const struct db_stmt st_latest = {"metric_areas_latest",
                                         "SELECT to_char(max(period_start), 'YYYY-MM')\n"
                                         "  FROM observations_at(nullif(current_setting("
                                         "'wellbeing.as_of', true), '')::timestamptz)\n"
                                         " WHERE metric IN ($1, $2, $3)\n"
                                         "   AND breakdown_key = $4",
                                         4};
static const struct db_stmt st_targets = {
    "figures_targets",
    "SELECT t.id,\n"
    "       t.metric,\n"
    "       t.start_period::text,\n"
    "       t.end_period::text,\n"
    "       t.value::text,\n"
    "       t.baseline::text,\n"
    "       t.basis,\n"
    "       t.amber_within::text,\n"
    "       coalesce((SELECT json_agg(json_build_object('period', ms.period_start,\n"
    "                                                   'value', ms.value)\n"
    "                                 ORDER BY ms.period_start)\n"
    "                   FROM target_milestones ms\n"
    "                  WHERE ms.target_id = t.id), '[]')\n"
    "  FROM targets t\n"
    " WHERE t.metric = ANY($1::text[])\n"
    "   AND t.area = $2\n"
    " ORDER BY t.metric, t.end_period, t.start_period, t.id",
    2};

static bool no_memory(struct db_conn *db);
static void metric_from_row(PGresult *r, int row, struct metric *m);
static void target_from_row(PGresult *r, int row, struct measure_target *t);

static bool no_memory(struct db_conn *db) {
    db_note_no_memory(db);
    return false;
}

bool db_figures_begin(struct db_conn *db, uint64_t *version) {
    PGresult *r = db_exec_sql(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!db_check(db, r, "figures", NULL))
        return false;
    PQclear(r);
    return db_read_version(db, version);
}

void db_figures_end(struct db_conn *db) {
    PQclear(db_exec_sql(db, "COMMIT"));
}

bool db_figures_geo(struct db_conn *db, struct geo *g) {
    memset(g, 0, sizeof *g);
    PGresult *a = db_exec(db, &st_areas, NULL);
    if (!db_check(db, a, "areas", NULL))
        return false;
    PGresult *e = db_exec(db, &st_memberships, NULL);
    if (!db_check(db, e, "area memberships", NULL)) {
        PQclear(a);
        return false;
    }
    int n = PQntuples(a), ne = PQntuples(e);
    size_t text = 0;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < 3; c++)
            text += (size_t)PQgetlength(a, i, c) + 1;
    bool ok = geo_alloc(g, n, ne, text);
    if (ok) {
        size_t at = 0;
        for (int i = 0; i < n; i++)
            geo_set_area(g, i, PQgetvalue(a, i, 0), PQgetvalue(a, i, 1), PQgetvalue(a, i, 2), &at);
        for (int i = 0; i < ne; i++) {
            int child = geo_find(g, PQgetvalue(e, i, 0)), parent = geo_find(g, PQgetvalue(e, i, 1));
            if (child < 0 || parent < 0)
                continue;
            g->edges[g->nedges++] = (struct derive_edge){
                .child = child,
                .parent = parent,
                .role = geo_role(PQgetvalue(e, i, 2)),
                .from = derive_month_from_date(PQgetvalue(e, i, 3), false),
                .to = derive_month_from_date(PQgetvalue(e, i, 4), true),
            };
        }
    }
    PQclear(a);
    PQclear(e);
    return ok || no_memory(db);
}

/* Columns of METRIC_COLUMNS. */
static void metric_from_row(PGresult *r, int row, struct metric *m) {
    memset(m, 0, sizeof *m);
    snprintf(m->code, sizeof m->code, "%s", PQgetvalue(r, row, 0));
    snprintf(m->programme, sizeof m->programme, "%s", PQgetvalue(r, row, 1));
    snprintf(m->name, sizeof m->name, "%s", PQgetvalue(r, row, 2));
    snprintf(m->unit, sizeof m->unit, "%s", PQgetvalue(r, row, 3));
    snprintf(m->kind, sizeof m->kind, "%s", PQgetvalue(r, row, 4));
    snprintf(m->frequency, sizeof m->frequency, "%s", PQgetvalue(r, row, 5));
    snprintf(m->polarity, sizeof m->polarity, "%s", PQgetvalue(r, row, 6));
    m->decimals = atoi(PQgetvalue(r, row, 7));
    snprintf(m->numerator, sizeof m->numerator, "%s", PQgetvalue(r, row, 8));
    snprintf(m->denominator, sizeof m->denominator, "%s", PQgetvalue(r, row, 9));
    m->sort_order = atoi(PQgetvalue(r, row, 10));
    snprintf(m->dims, sizeof m->dims, "%s", PQgetvalue(r, row, 11));
    metric_classify(m);
}

bool db_figures_metric(struct db_conn *db, const char *code, struct metric *m, bool *found) {
    const char *params[] = {code};
    PGresult *r = db_exec(db, &st_metric, params);
    if (!db_check(db, r, "metric", NULL))
        return false;
    *found = PQntuples(r) == 1;
    if (*found)
        metric_from_row(r, 0, m);
    PQclear(r);
    return true;
}

bool db_figures_headlines(struct db_conn *db, int max, struct db_figures_headline **out, int *n) {
    *out = NULL;
    *n = 0;
    PGresult *r = db_exec(db, &st_headlines, NULL);
    if (!db_check(db, r, "headline metrics", NULL))
        return false;
    int rows = PQntuples(r) < max ? PQntuples(r) : max;
    *out = calloc((size_t)(rows ? rows : 1), sizeof **out);
    if (!*out) {
        PQclear(r);
        return no_memory(db);
    }
    for (int i = 0; i < rows; i++) {
        metric_from_row(r, i, &(*out)[i].m);
        snprintf((*out)[i].programme_name, sizeof(*out)[i].programme_name, "%s",
                 PQgetvalue(r, i, 12));
    }
    *n = rows;
    PQclear(r);
    return true;
}

bool db_figures_observations(struct db_conn *db, const char *const *metrics, int nmetrics,
                             const struct geo *g, const bool *areas, const char *bkey, int month,
                             struct obs_row **rows, int *nrows) {
    *rows = NULL;
    *nrows = 0;
    if (nmetrics > DB_FIGURES_MAX_METRICS)
        nmetrics = DB_FIGURES_MAX_METRICS;
    struct strbuf m, a;
    strbuf_init(&m);
    strbuf_init(&a);
    bool ok = db_json_array(&m, metrics, nmetrics);
    if (ok && areas) {
        const char **codes = calloc((size_t)(g->n ? g->n : 1), sizeof *codes);
        int n = 0;
        for (int i = 0; codes && i < g->n; i++)
            if (areas[i])
                codes[n++] = g->code[i];
        ok = codes && db_json_array(&a, codes, n);
        free(codes);
    }
    if (!ok) {
        strbuf_free(&m);
        strbuf_free(&a);
        return no_memory(db);
    }
    char date[32];
    snprintf(date, sizeof date, "%04d-%02d-01", month / 12, month % 12 + 1);
    const char *params[] = {m.data, bkey, areas ? a.data : NULL, month >= 0 ? date : NULL};
    PGresult *r = db_exec(db, &st_observations, params);
    strbuf_free(&m);
    strbuf_free(&a);
    if (!db_check(db, r, "observations", NULL))
        return false;
    int n = PQntuples(r);
    *rows = malloc(sizeof **rows * (size_t)(n ? n : 1));
    if (!*rows) {
        PQclear(r);
        return no_memory(db);
    }
    /* Rows come ordered by metric: remember the last match rather than search each time.
     * The query returns only the codes asked for, so a search always ends on a match. */
    int k = 0;
    for (int i = 0; i < n; i++) {
        const char *code = PQgetvalue(r, i, 0);
        if (strcmp(metrics[k], code) != 0)
            for (k = 0; k < nmetrics - 1 && strcmp(metrics[k], code) != 0; k++)
                ;
        struct obs_row *o = &(*rows)[i];
        *o = (struct obs_row){
            .metric = metrics[k],
            .area = geo_find(g, PQgetvalue(r, i, 1)),
            .month = db_json_month(PQgetvalue(r, i, 2)),
            .value = strtod(PQgetvalue(r, i, 3), NULL),
            .has_lower = !PQgetisnull(r, i, 4),
            .has_upper = !PQgetisnull(r, i, 5),
            .final = strcmp(PQgetvalue(r, i, 6), "final") == 0,
            .estimated = strcmp(PQgetvalue(r, i, 6), "estimated") == 0,
        };
        o->lower = o->has_lower ? strtod(PQgetvalue(r, i, 4), NULL) : 0;
        o->upper = o->has_upper ? strtod(PQgetvalue(r, i, 5), NULL) : 0;
    }
    *nrows = n;
    PQclear(r);
    return true;
}

bool db_figures_latest_month(struct db_conn *db, const struct metric *m, const char *bkey,
                             int *month) {
    const char *params[] = {m->code, m->numerator, m->denominator, bkey};
    PGresult *r = db_exec(db, &st_latest, params);
    if (!db_check(db, r, "observations", NULL))
        return false;
    *month = -1;
    if (!PQgetisnull(r, 0, 0)) {
        const char *t = PQgetvalue(r, 0, 0);
        *month = atoi(t) * 12 + atoi(t + 5) - 1;
    }
    PQclear(r);
    return true;
}

static void target_from_row(PGresult *r, int row, struct measure_target *t) {
    memset(t, 0, sizeof *t);
    t->id = strtoll(PQgetvalue(r, row, 0), NULL, 10);
    snprintf(t->metric, sizeof t->metric, "%s", PQgetvalue(r, row, 1));
    t->t.start = db_json_month(PQgetvalue(r, row, 2));
    t->t.end = db_json_month(PQgetvalue(r, row, 3));
    t->t.value = strtod(PQgetvalue(r, row, 4), NULL);
    t->t.baseline = strtod(PQgetvalue(r, row, 5), NULL);
    snprintf(t->basis, sizeof t->basis, "%s", PQgetvalue(r, row, 6));
    t->t.amber_within = strtod(PQgetvalue(r, row, 7), NULL);
    json_t *ms = json_loads(PQgetvalue(r, row, 8), 0, NULL), *item;
    size_t i;
    json_array_foreach(ms, i, item) {
        if (t->t.nmilestones == TARGET_MAX_MILESTONES)
            break;
        const char *date = json_string_value(json_object_get(item, "period"));
        t->t.milestones[t->t.nmilestones++] = (struct target_milestone){
            db_json_month(date), json_number_value(json_object_get(item, "value"))};
    }
    json_decref(ms);
    target_normalise(&t->t);
}

bool db_figures_targets(struct db_conn *db, const char *const *metrics, int nmetrics,
                        const char *area, struct measure_target **out, int *n) {
    *out = NULL;
    *n = 0;
    struct strbuf m;
    strbuf_init(&m);
    if (!db_json_array(&m, metrics,
                       nmetrics > DB_FIGURES_MAX_METRICS ? DB_FIGURES_MAX_METRICS : nmetrics)) {
        strbuf_free(&m);
        return no_memory(db);
    }
    const char *params[] = {m.data, area};
    PGresult *r = db_exec(db, &st_targets, params);
    strbuf_free(&m);
    if (!db_check(db, r, "targets", NULL))
        return false;
    int rows = PQntuples(r);
    *out = malloc(sizeof **out * (size_t)(rows ? rows : 1));
    if (!*out) {
        PQclear(r);
        return no_memory(db);
    }
    for (int i = 0; i < rows; i++)
        target_from_row(r, i, &(*out)[i]);
    *n = rows;
    PQclear(r);
    return true;
}
