/* The observations' queries. The page and the export are one statement, so a CSV and
 * the JSON pages always agree on which rows a filter selects. */
#include "store/db_observations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/period.h"
#include "store/db.h"
#include "store/db_json.h"

/* Filters: metric, area, from (start), to (end, exclusive), breakdown key, breakdown
 * dimensions (on table t); then updatedAfter ($7) on live rows. $14 is the moment (asOf=
 * or snapshot=, NULL for now): observations_at() of migration 050. */
#define OBS_FILTERS(t)                                                                             \
    "       ($1::text IS NULL OR " t ".metric = $1)\n"                                             \
    "   AND ($2::text IS NULL OR " t ".area = $2)\n"                                               \
    "   AND ($3::date IS NULL OR " t ".period_start >= $3)\n"                                      \
    "   AND ($4::date IS NULL OR " t ".period_start < $4)\n"                                       \
    "   AND ($5::text IS NULL OR " t ".breakdown_key = $5)\n"                                      \
    "   AND ($6::text IS NULL OR regexp_replace(" t ".breakdown_key, '=[^;]*', '', 'g') = $6)\n"
#define OBS_WHERE OBS_FILTERS("o") "   AND ($7::timestamptz IS NULL OR o.updated_at > $7)\n"

/* Then the cursor (metric, area, period_start, breakdown_key), the limit, and last
 * (the N latest periods of what the other filters select). With updatedAfter, figures
 * withdrawn since then come too (SDMX's updatedAfter: added, revised and deleted), as
 * rows with no value and withdrawn true, so a mirror deletes them: a cell whose newest
 * change after updatedAfter (and up to the moment) is a delete. */
static const struct db_stmt st_page = {
    "observations_page",
    "SELECT o.metric,\n"
    "       o.area,\n"
    "       o.period_start,\n"
    "       m.frequency,\n"
    "       o.breakdown_key,\n"
    "       o.breakdown::text,\n"
    "       o.value,\n"
    "       o.lower_ci,\n"
    "       o.upper_ci,\n"
    "       o.status,\n"
    "       o.note,\n"
    /* RFC 3339 in UTC, as partners pass it back in updatedAfter=; PostgreSQL's own text
     * form ("2019-02-01 10:00:00+00") is not one a client's date parser can rely on. */
    "       to_char(o.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),\n"
    "       m.unit,\n"
    "       o.withdrawn\n"
    "  FROM (SELECT o.metric, o.area, o.period_start, o.breakdown_key, o.breakdown, o.value,\n"
    "               o.lower_ci, o.upper_ci, o.status, o.note, o.updated_at, false AS withdrawn\n"
    "          FROM observations_at($14::timestamptz) o\n"
    "         WHERE" OBS_WHERE "        UNION ALL\n"
    "        SELECT w.metric, w.area, w.period_start, w.breakdown_key, w.breakdown, NULL, NULL,\n"
    "               NULL, NULL, NULL, w.changed_at, true\n"
    "          FROM (SELECT DISTINCT ON (h.metric, h.area, h.breakdown_key, h.period_start)\n"
    "                       h.metric, h.area, h.breakdown_key, h.period_start,\n"
    "                       coalesce(h.breakdown, '{}') AS breakdown, h.action, h.changed_at\n"
    "                  FROM observation_history h\n"
    "                 WHERE $7::timestamptz IS NOT NULL\n"
    "                   AND h.changed_at > $7\n"
    "                   AND ($14::timestamptz IS NULL OR h.changed_at <= $14)\n"
    "                 ORDER BY h.metric, h.area, h.breakdown_key, h.period_start,\n"
    "                          h.changed_at DESC, h.id DESC) w\n"
    "         WHERE w.action = 'delete'\n"
    "           AND" OBS_FILTERS(
        "w") "       ) o\n"
             "  JOIN metrics m ON m.code = o.metric\n"
             " WHERE ($8::text IS NULL\n"
             "        OR (o.metric, o.area, o.period_start, o.breakdown_key) > ($8, $9, $10::date, "
             "$11))\n"
             "   AND ($13::int IS NULL OR o.period_start >= (\n"
             "        SELECT min(p)\n"
             "          FROM (SELECT DISTINCT o.period_start AS p\n"
             "                  FROM observations_at($14::timestamptz) o\n"
             "                 WHERE" OBS_WHERE "                 ORDER BY 1 DESC\n"
             "                 LIMIT $13) latest))\n"
             " ORDER BY o.metric, o.area, o.period_start, o.breakdown_key\n"
             " LIMIT $12",
    14};
static const struct db_stmt st_known = {"history_cell_known",
                                        "SELECT EXISTS (SELECT 1 FROM metrics WHERE code = $1),\n"
                                        "       EXISTS (SELECT 1 FROM areas WHERE code = $2)",
                                        2};
static const struct db_stmt st_history = {
    "history_cell",
    "SELECT h.action,\n"
    "       h.old_value,\n"
    "       h.new_value,\n"
    "       h.old_status,\n"
    "       h.new_status,\n"
    "       h.partner,\n"
    "       h.submission_id,\n"
    "       to_char(h.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),\n"
    "       h.reason,\n"
    "       h.lock_override,\n"
    "       h.period_start,\n"
    "       m.frequency,\n"
    "       h.old_note,\n"
    "       h.new_note\n"
    "  FROM observation_history h\n"
    "  JOIN metrics m ON m.code = h.metric\n"
    " WHERE h.metric = $1\n"
    "   AND h.area = $2\n"
    "   AND ($3::date IS NULL OR h.period_start = $3)\n"
    "   AND h.breakdown_key = $4\n"
    " ORDER BY h.period_start, h.id",
    4};

struct params {
    const char *v[14];
    char limit[16], last[16];
};

static void make_params(const struct db_obs_query *q, bool paged, struct params *p);
static json_t *period_json(const char *date, const char *frequency);
static json_t *row_json(PGresult *r, int i, int hide_max);
static json_t *history_json(PGresult *r, int i);
static void copy_key(PGresult *r, int i, struct db_obs_key *k);

static void make_params(const struct db_obs_query *q, bool paged, struct params *p) {
    memset(p, 0, sizeof *p);
    const char *const filters[] = {q->metric, q->area, q->from,         q->to,
                                   q->bkey,   q->dims, q->updated_after};
    memcpy(p->v, filters, sizeof filters);
    if (paged && q->after) {
        p->v[7] = q->after->metric;
        p->v[8] = q->after->area;
        p->v[9] = q->after->period_start;
        p->v[10] = q->after->bkey;
    }
    if (paged && q->limit > 0) {
        /* One more than the page, to know whether another follows. */
        snprintf(p->limit, sizeof p->limit, "%d", q->limit + 1);
        p->v[11] = p->limit;
    }
    if (q->last > 0) {
        snprintf(p->last, sizeof p->last, "%d", q->last);
        p->v[12] = p->last;
    }
    p->v[13] = q->as_of;
}

/* A period start date in its frequency's form ("2019-Q1"); "" if it is not one. */
static json_t *period_json(const char *date, const char *frequency) {
    struct period p;
    enum period_freq f = PERIOD_MONTHLY;
    char text[16] = "";
    period_freq_parse(frequency, &f);
    if (period_from_date(date, f, &p))
        period_format(&p, text, sizeof text);
    return json_string(text);
}

/* Columns: 0 metric, 1 area, 2 period_start, 3 frequency, 4 breakdown_key, 5 breakdown,
 * 6 value, 7 lower, 8 upper, 9 status, 10 note, 11 updated_at, 12 unit, 13 withdrawn. */
static json_t *row_json(PGresult *r, int i, int hide_max) {
    json_t *j =
        json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "metric",
                  db_json_text(r, i, 0), "area", db_json_text(r, i, 1), "period",
                  period_json(PQgetvalue(r, i, 2), PQgetvalue(r, i, 3)), "breakdown",
                  db_json_parse(r, i, 5, json_object()), "value", db_json_number(r, i, 6), "lower",
                  db_json_number(r, i, 7), "upper", db_json_number(r, i, 8), "status",
                  db_json_text(r, i, 9), "note", db_json_text(r, i, 10), "updated_at",
                  db_json_text(r, i, 11), "withdrawn", db_json_bool(r, i, 13));
    /* Disclosure control: a small count in a breakdown cell could identify a person. */
    if (j && hide_max > 0 && PQgetvalue(r, i, 4)[0] && strcmp(PQgetvalue(r, i, 12), "count") == 0) {
        double v = strtod(PQgetvalue(r, i, 6), NULL);
        if (v >= 1 && v <= hide_max &&
            (json_object_set_new(j, "value", json_null()) ||
             json_object_set_new(j, "lower", json_null()) ||
             json_object_set_new(j, "upper", json_null()) ||
             json_object_set_new(j, "suppressed", json_true()))) {
            json_decref(j);
            return NULL;
        }
    }
    return j;
}

static void copy_key(PGresult *r, int i, struct db_obs_key *k) {
    snprintf(k->metric, sizeof k->metric, "%s", PQgetvalue(r, i, 0));
    snprintf(k->area, sizeof k->area, "%s", PQgetvalue(r, i, 1));
    snprintf(k->period_start, sizeof k->period_start, "%s", PQgetvalue(r, i, 2));
    snprintf(k->bkey, sizeof k->bkey, "%s", PQgetvalue(r, i, 4));
}

bool db_observations_page(struct db_conn *db, const struct db_obs_query *q, json_t **items,
                          bool *more, struct db_obs_key *last_key, bool *bad_time) {
    struct params p;
    make_params(q, true, &p);
    *items = NULL;
    *more = *bad_time = false;
    PGresult *r = db_exec(db, &st_page, p.v);
    if (!db_ok(r)) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        /* Class 22 (data exception): the one text a partner passes straight through. */
        *bad_time = state && strncmp(state, "22", 2) == 0;
        if (!*bad_time)
            db_log_failure("observations", r);
        PQclear(r);
        return false;
    }
    int rows = PQntuples(r);
    int shown = q->limit > 0 && rows > q->limit ? q->limit : rows;
    json_t *list = json_array();
    for (int i = 0; list && i < shown; i++) {
        json_t *item = row_json(r, i, q->hide_max);
        if (!item || json_array_append_new(list, item) != 0) {
            json_decref(list);
            list = NULL;
        }
    }
    *more = shown < rows;
    if (*more)
        copy_key(r, shown - 1, last_key);
    PQclear(r);
    if (!list)
        db_note_no_memory(db);
    *items = list;
    return list != NULL;
}

bool db_observations_stream(struct db_conn *db, const struct db_obs_query *q) {
    struct params p;
    make_params(q, false, &p);
    return db_send_long(db, &st_page, p.v);
}

int db_observations_next(struct db_conn *db, int hide_max, json_t **row) {
    *row = NULL;
    for (;;) {
        PGresult *r = db_next_result(db);
        if (!r)
            return 0;
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            *row = row_json(r, 0, hide_max);
            PQclear(r);
            if (*row)
                return 1;
            db_note_no_memory(db);
            db_observations_cancel(db);
            return -1;
        }
        if (st != PGRES_TUPLES_OK) {
            db_log_failure("observations export", r);
            PQclear(r);
            db_observations_cancel(db);
            return -1;
        }
        /* The closing empty result: the next call reads the end. */
        PQclear(r);
    }
}

void db_observations_cancel(struct db_conn *db) {
    PGcancel *c = PQgetCancel(db_pg(db));
    char err[256];
    if (c) {
        PQcancel(c, err, sizeof err);
        PQfreeCancel(c);
    }
    PGresult *r;
    while ((r = PQgetResult(db_pg(db))) != NULL)
        PQclear(r);
}

bool db_observations_known(struct db_conn *db, const char *metric, const char *area,
                           bool *metric_known, bool *area_known) {
    const char *params[] = {metric, area};
    PGresult *r = db_exec(db, &st_known, params);
    if (!db_check(db, r, "history", NULL))
        return false;
    *metric_known = db_json_bool(r, 0, 0);
    *area_known = db_json_bool(r, 0, 1);
    PQclear(r);
    return true;
}

static json_t *history_json(PGresult *r, int i) {
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "period",
                     period_json(PQgetvalue(r, i, 10), PQgetvalue(r, i, 11)), "action",
                     db_json_text(r, i, 0), "old_value", db_json_number(r, i, 1), "new_value",
                     db_json_number(r, i, 2), "old_status", db_json_text(r, i, 3), "new_status",
                     db_json_text(r, i, 4), "partner", db_json_text(r, i, 5), "submission_id",
                     db_json_text(r, i, 6), "changed_at", db_json_text(r, i, 7), "reason",
                     db_json_text(r, i, 8), "lock_override", db_json_bool(r, i, 9),
                     /* A change of note alone is a change too (issue 10): what it was. */
                     "old_note", db_json_text(r, i, 12), "new_note", db_json_text(r, i, 13));
}

bool db_observations_history(struct db_conn *db, const char *metric, const char *area,
                             const char *start, const char *bkey, json_t **items) {
    const char *params[] = {metric, area, start, bkey};
    return db_json_rows(db, &st_history, params, "history", history_json, items);
}
