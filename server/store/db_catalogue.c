/* The catalogue's queries. Small tables, read whole; rows become JSON here so that no
 * handler sees a result set. */
#include "store/db_catalogue.h"

#include <string.h>

#include "store/db.h"
#include "store/db_json.h"

#define METRIC_SELECT                                                                              \
    "SELECT m.code,\n"                                                                             \
    "       m.programme,\n"                                                                        \
    "       m.name,\n"                                                                             \
    "       m.description,\n"                                                                      \
    "       m.unit,\n"                                                                             \
    "       m.frequency,\n"                                                                        \
    "       m.kind,\n"                                                                             \
    "       m.polarity,\n"                                                                         \
    "       m.decimals,\n"                                                                         \
    "       m.source,\n"                                                                           \
    "       m.active,\n"                                                                           \
    "       m.headline,\n"                                                                         \
    "       m.numerator_metric,\n"                                                                 \
    "       m.denominator_metric,\n"                                                               \
    "       m.has_confidence,\n"                                                                   \
    "       coalesce((SELECT string_agg(d.dimension, ',' ORDER BY d.dimension)\n"                  \
    "                   FROM metric_dimensions d\n"                                                \
    "                  WHERE d.metric = m.code), '')\n"                                            \
    "  FROM metrics m\n"

#define AREA_SELECT                                                                                \
    "SELECT a.code,\n"                                                                             \
    "       a.name,\n"                                                                             \
    "       a.type,\n"                                                                             \
    "       coalesce((SELECT json_agg(json_build_object('code', m.parent, 'name', p.name,\n"       \
    "                                                   'role', m.role, 'from', m.valid_from,\n"   \
    "                                                   'to', m.valid_to)\n"                       \
    "                                 ORDER BY m.parent)\n"                                        \
    "                   FROM area_memberships m\n"                                                 \
    "                   JOIN areas p ON p.code = m.parent\n"                                       \
    "                  WHERE m.child = a.code), '[]'),\n"                                          \
    "       coalesce((SELECT json_agg(json_build_object('code', m.child, 'name', c.name,\n"        \
    "                                                   'role', m.role, 'from', m.valid_from,\n"   \
    "                                                   'to', m.valid_to)\n"                       \
    "                                 ORDER BY m.child)\n"                                         \
    "                   FROM area_memberships m\n"                                                 \
    "                   JOIN areas c ON c.code = m.child\n"                                        \
    "                  WHERE m.parent = a.code), '[]')\n"                                          \
    "  FROM areas a\n"

static const struct db_stmt st_programmes = {
    "programmes_list",
    "SELECT p.code,\n"
    "       p.name,\n"
    "       p.description,\n"
    "       (SELECT count(*) FROM metrics m WHERE m.programme = p.code AND m.active)\n"
    "  FROM programmes p\n"
    " ORDER BY p.sort_order, p.code",
    0};
static const struct db_stmt st_metrics = {"metrics_list",
                                          METRIC_SELECT
                                          " WHERE ($1::text IS NULL OR m.programme = $1)\n"
                                          "   AND ($2::boolean IS NULL OR m.active = $2)\n"
                                          " ORDER BY m.programme, m.sort_order, m.code",
                                          2};
static const struct db_stmt st_metric = {"metric_get", METRIC_SELECT " WHERE m.code = $1", 1};
static const struct db_stmt st_areas = {
    "areas_list",
    AREA_SELECT " WHERE ($1::text IS NULL OR a.type = $1)\n"
                "   AND ($2::text IS NULL OR EXISTS (\n"
                "        SELECT 1\n"
                "          FROM area_memberships m\n"
                "         WHERE m.child = a.code\n"
                "           AND m.parent = $2\n"
                "           AND (m.valid_to IS NULL OR m.valid_to > current_date)))\n"
                " ORDER BY a.type, a.name",
    2};
static const struct db_stmt st_area = {"area_get", AREA_SELECT " WHERE a.code = $1", 1};
static const struct db_stmt st_dimensions = {
    "dimensions_list",
    "SELECT d.code,\n"
    "       d.name,\n"
    "       d.description,\n"
    "       coalesce((SELECT json_agg(json_build_object('code', c.code, 'name', c.name)\n"
    "                                 ORDER BY c.sort_order, c.code)\n"
    "                   FROM dimension_categories c\n"
    "                  WHERE c.dimension = d.code), '[]')\n"
    "  FROM dimensions d\n"
    " ORDER BY d.code",
    0};

static json_t *programme_json(PGresult *r, int i);
static json_t *metric_json(PGresult *r, int i);
static json_t *area_json(PGresult *r, int i);
static json_t *dimension_json(PGresult *r, int i);
static bool read_one(struct db_conn *db, const struct db_stmt *s, const char *code,
                     const char *what, db_json_row_fn row, json_t **out);

static json_t *programme_json(PGresult *r, int i) {
    return json_pack("{s:o, s:o, s:o, s:o}", "code", db_json_text(r, i, 0), "name",
                     db_json_text(r, i, 1), "description", db_json_text(r, i, 2), "metrics",
                     db_json_number(r, i, 3));
}

static json_t *metric_json(PGresult *r, int i) {
    json_t *dims = json_array();
    const char *d = PQgetvalue(r, i, 15);
    while (dims && *d) {
        size_t n = strcspn(d, ",");
        if (json_array_append_new(dims, json_stringn(d, n)) != 0) {
            json_decref(dims);
            return NULL;
        }
        d += n + (d[n] == ',');
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, "
                     "s:b, s:o}",
                     "code", db_json_text(r, i, 0), "programme", db_json_text(r, i, 1), "name",
                     db_json_text(r, i, 2), "description", db_json_text(r, i, 3), "unit",
                     db_json_text(r, i, 4), "frequency", db_json_text(r, i, 5), "kind",
                     db_json_text(r, i, 6), "polarity", db_json_text(r, i, 7), "decimals",
                     db_json_number(r, i, 8), "source", db_json_text(r, i, 9), "active",
                     db_json_bool(r, i, 10), "headline", db_json_bool(r, i, 11), "numerator",
                     db_json_text(r, i, 12), "denominator", db_json_text(r, i, 13),
                     "confidence_limits", db_json_bool(r, i, 14), "dimensions", dims);
}

static json_t *area_json(PGresult *r, int i) {
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "code", db_json_text(r, i, 0), "name",
                     db_json_text(r, i, 1), "type", db_json_text(r, i, 2), "parents",
                     db_json_parse(r, i, 3, json_array()), "members",
                     db_json_parse(r, i, 4, json_array()));
}

static json_t *dimension_json(PGresult *r, int i) {
    return json_pack("{s:o, s:o, s:o, s:o}", "code", db_json_text(r, i, 0), "name",
                     db_json_text(r, i, 1), "description", db_json_text(r, i, 2), "categories",
                     db_json_parse(r, i, 3, json_array()));
}

/* The one row of s for code through row; *out NULL when there is none. */
static bool read_one(struct db_conn *db, const struct db_stmt *s, const char *code,
                     const char *what, db_json_row_fn row, json_t **out) {
    json_t *list;
    const char *params[] = {code};
    if (!db_json_rows(db, s, params, what, row, &list))
        return false;
    *out = json_array_size(list) ? json_incref(json_array_get(list, 0)) : NULL;
    json_decref(list);
    return true;
}

bool db_catalogue_programmes(struct db_conn *db, json_t **items) {
    return db_json_rows(db, &st_programmes, NULL, "programmes", programme_json, items);
}

bool db_catalogue_metrics(struct db_conn *db, const char *programme, const char *active,
                          json_t **items) {
    const char *params[] = {programme, active};
    return db_json_rows(db, &st_metrics, params, "metrics", metric_json, items);
}

bool db_catalogue_metric(struct db_conn *db, const char *code, json_t **out) {
    return read_one(db, &st_metric, code, "metric", metric_json, out);
}

bool db_catalogue_areas(struct db_conn *db, const char *type, const char *parent, json_t **items) {
    const char *params[] = {type, parent};
    return db_json_rows(db, &st_areas, params, "areas", area_json, items);
}

bool db_catalogue_area(struct db_conn *db, const char *code, json_t **out) {
    return read_one(db, &st_area, code, "area", area_json, out);
}

bool db_catalogue_dimensions(struct db_conn *db, json_t **items) {
    return db_json_rows(db, &st_dimensions, NULL, "dimensions", dimension_json, items);
}
