/* Stored-figure checks of a staged batch. Each is one set-based statement over the
 * staging table (ingest_stage, with the stored figure beside each row in STAGE_EFFECTIVE
 * of db_ingest.c), so a 100,000-row batch costs a few round trips. */
#include "store/db_ingest_checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/crosscheck.h"
#include "domain/period.h"
#include "store/db.h"

#define MAX_LISTED 1000

static void add_error(struct ingest_check_result *out, long row, const char *field,
                      const char *code, const char *message);
static bool check_responsible(struct db_conn *db, const char *partner,
                              struct ingest_check_result *out);
static bool check_kept_limits(struct db_conn *db, struct ingest_check_result *out);
static bool check_across(struct db_conn *db, struct ingest_check_result *out);
static void emit_finding(void *ctx, const struct crosscheck_finding *f);
static int month_of(const char *date);

static void add_error(struct ingest_check_result *out, long row, const char *field,
                      const char *code, const char *message) {
    if (json_array_size(out->errors) >= MAX_LISTED)
        return;
    json_t *e =
        json_pack("{s:I, s:s, s:s}", "row", (json_int_t)row, "code", code, "message", message);
    if (field)
        json_object_set_new(e, "field", json_string(field));
    json_array_append_new(out->errors, e);
}

/* Who answers for a (metric, area): its schedule's partner; else whoever it was handed
 * to or first claimed it; else the partner that created its first figure (figures from
 * before responsibility was kept, and the seed's). Nobody: the writer may. */
static bool check_responsible(struct db_conn *db, const char *partner,
                              struct ingest_check_result *out) {
    static const struct db_stmt s = {
        "ingest_check_responsible",
        /* coalesce stops at the first answer: the history is read only for a pair nobody
         * has claimed (the seed's figures, or figures from before migration 050). */
        "WITH pairs AS (SELECT DISTINCT metric, area FROM ingest_stage),"
        " owner AS ("
        "    SELECT p.metric, p.area,"
        "           coalesce((SELECT rs.partner || ' schedule' FROM return_schedules rs"
        "                      WHERE rs.metric = p.metric AND rs.area = p.area),"
        "                    (SELECT fr.partner || ' ' || fr.basis FROM figure_responsibility fr"
        "                      WHERE fr.metric = p.metric AND fr.area = p.area),"
        "                    (SELECT h.partner || ' first_write' FROM observation_history h"
        "                      WHERE h.metric = p.metric AND h.area = p.area"
        "                        AND h.action = 'create' AND h.partner IS NOT NULL"
        "                      ORDER BY h.id LIMIT 1)) AS who"
        "    FROM pairs p)"
        " SELECT s.idx, s.metric, s.area, split_part(o.who, ' ', 1), split_part(o.who, ' ', 2)"
        " FROM ingest_stage s"
        " JOIN owner o ON o.metric = s.metric AND o.area = s.area"
        " WHERE split_part(o.who, ' ', 1) <> $1"
        " ORDER BY s.idx"
        " LIMIT 1000",
        1};
    const char *params[] = {partner};
    PGresult *r = db_exec(db, &s, params);
    if (!db_ok(r)) {
        db_log_failure("ingest responsibility", r);
        PQclear(r);
        return false;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        char msg[400];
        const char *basis = PQgetvalue(r, i, 4);
        snprintf(msg, sizeof msg,
                 "%s for %s is the responsibility of partner %s (%s); only that partner or an "
                 "admin may change it. Ask an admin to hand it over if it is now yours",
                 PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
                 strcmp(basis, "schedule") == 0      ? "its return schedule"
                 : strcmp(basis, "handed_over") == 0 ? "handed over by an admin"
                                                     : "it sent the first figure");
        long row = atol(PQgetvalue(r, i, 0));
        size_t before = json_array_size(out->errors);
        add_error(out, row, "area", "not_responsible", msg);
        if (json_array_size(out->errors) > before)
            json_object_set_new(json_array_get(out->errors, before), "responsible",
                                json_string(PQgetvalue(r, i, 3)));
    }
    PQclear(r);
    return true;
}

/* A correction that leaves out lower or upper keeps the stored limit; with a new
 * value it may no longer lie on its side. */
static bool check_kept_limits(struct db_conn *db, struct ingest_check_result *out) {
    static const struct db_stmt s = {
        "ingest_check_kept_limits",
        "SELECT s.idx, CASE WHEN s.keep_lower AND o.lower_ci > s.value THEN 'lower' ELSE "
        "'upper' END, o.lower_ci::text, o.upper_ci::text, s.value::text "
        "FROM ingest_stage s JOIN observations o ON o.metric = s.metric AND o.area = s.area "
        "AND o.period_start = s.period_start AND o.breakdown_key = s.breakdown_key "
        "WHERE NOT s.del AND ((s.keep_lower AND o.lower_ci > s.value) OR "
        "(s.keep_upper AND o.upper_ci < s.value)) ORDER BY s.idx LIMIT 1000",
        0};
    PGresult *r = db_exec(db, &s, NULL);
    if (!db_ok(r)) {
        db_log_failure("ingest kept limits", r);
        PQclear(r);
        return false;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        bool lower = strcmp(PQgetvalue(r, i, 1), "lower") == 0;
        char msg[300];
        snprintf(msg, sizeof msg,
                 "the stored %s limit %s is %s the new value %s: send %s with the value, or "
                 "an empty %s to clear it",
                 lower ? "lower" : "upper", PQgetvalue(r, i, lower ? 2 : 3),
                 lower ? "above" : "below", PQgetvalue(r, i, 4), lower ? "lower" : "upper",
                 lower ? "lower" : "upper");
        add_error(out, atol(PQgetvalue(r, i, 0)), lower ? "lower" : "upper", "bad_interval", msg);
    }
    PQclear(r);
    return true;
}

static int month_of(const char *date) {
    struct period p;
    return period_from_date(date, PERIOD_MONTHLY, &p) ? period_month_index(&p) : -1;
}

static void emit_finding(void *ctx, const struct crosscheck_finding *f) {
    struct ingest_check_result *out = ctx;
    json_t *list = f->error ? out->errors : out->warnings;
    if (json_array_size(list) >= MAX_LISTED)
        return;
    json_t *e = json_pack("{s:I, s:s, s:s, s:s}", "row", (json_int_t)f->row, "field", "value",
                          "code", f->code, "message", f->message);
    if (f->rule)
        json_object_set_new(e, "rule", json_string(f->rule));
    json_array_append_new(list, e);
}

/* Ratios are checked for percentages only: a percentage lies within 0..100, so its
 * numerator cannot exceed its denominator; a rate per 1,000 may count more events than
 * people. */
/* The batch's figures (what it sends, not what it withdraws) and the stored figures of
 * the same areas and periods that the batch does not replace, for the metrics a rule
 * could compare: the batch's own (breakdown cells), the other half of a ratio, the other
 * side of an admin rule. */
static bool check_across(struct db_conn *db, struct ingest_check_result *out) {
    static const struct db_stmt figs = {
        "ingest_check_figures",
        "WITH sm AS (SELECT DISTINCT metric FROM ingest_stage WHERE NOT del), "
        "rel AS (SELECT metric FROM sm "
        " UNION SELECT m.numerator_metric FROM metrics m JOIN sm ON sm.metric IN "
        "  (m.numerator_metric, m.denominator_metric) "
        " UNION SELECT m.denominator_metric FROM metrics m JOIN sm ON sm.metric IN "
        "  (m.numerator_metric, m.denominator_metric) "
        " UNION SELECT r.left_metric FROM validation_rules r JOIN sm ON sm.metric IN "
        "  (r.left_metric, r.right_metric) "
        " UNION SELECT r.right_metric FROM validation_rules r JOIN sm ON sm.metric IN "
        "  (r.left_metric, r.right_metric)), "
        "cells AS (SELECT DISTINCT area, period_start FROM ingest_stage WHERE NOT del) "
        "SELECT s.idx, s.metric, s.area, s.period_start::text, s.breakdown_key, s.value::text "
        "FROM ingest_stage s WHERE NOT s.del "
        "UNION ALL SELECT -1, o.metric, o.area, o.period_start::text, o.breakdown_key, "
        "o.value::text FROM observations o JOIN cells c ON c.area = o.area AND "
        "c.period_start = o.period_start WHERE o.metric IN (SELECT metric FROM rel) AND NOT "
        "EXISTS (SELECT 1 FROM ingest_stage s WHERE s.metric = o.metric AND s.area = o.area "
        "AND s.period_start = o.period_start AND s.breakdown_key = o.breakdown_key)",
        0};
    static const struct db_stmt ratios = {
        "ingest_check_ratios",
        "SELECT DISTINCT numerator_metric, denominator_metric FROM metrics WHERE "
        "numerator_metric IS NOT NULL AND unit = 'percent'",
        0};
    static const struct db_stmt rules = {
        "ingest_check_rules",
        "SELECT name, left_metric, op, right_metric, severity = 'error' FROM validation_rules "
        "ORDER BY name",
        0};
    PGresult *rf = db_exec(db, &figs, NULL);
    PGresult *rr = db_ok(rf) ? db_exec(db, &ratios, NULL) : NULL;
    PGresult *ru = rr && db_ok(rr) ? db_exec(db, &rules, NULL) : NULL;
    bool ok = ru && db_ok(ru);
    if (!ok)
        db_log_failure("ingest cross-figure checks", ru ? ru : rr ? rr : rf);
    int n = ok ? PQntuples(rf) : 0, nr = ok ? PQntuples(rr) : 0, nu = ok ? PQntuples(ru) : 0;
    struct crosscheck_figure *f = calloc((size_t)n + 1, sizeof *f);
    struct crosscheck_ratio *ra = calloc((size_t)nr + 1, sizeof *ra);
    struct crosscheck_rule *ru_ = calloc((size_t)nu + 1, sizeof *ru_);
    if (ok && (!f || !ra || !ru_)) {
        ok = false;
        fprintf(stderr, "ingest cross-figure checks: out of memory\n");
    }
    for (int i = 0; ok && i < n; i++)
        f[i] = (struct crosscheck_figure){.row = atol(PQgetvalue(rf, i, 0)),
                                          .metric = PQgetvalue(rf, i, 1),
                                          .area = PQgetvalue(rf, i, 2),
                                          .month = month_of(PQgetvalue(rf, i, 3)),
                                          .bkey = PQgetvalue(rf, i, 4),
                                          .value = strtod(PQgetvalue(rf, i, 5), NULL)};
    for (int i = 0; ok && i < nr; i++)
        ra[i] = (struct crosscheck_ratio){PQgetvalue(rr, i, 0), PQgetvalue(rr, i, 1)};
    int kept = 0;
    for (int i = 0; ok && i < nu; i++) {
        struct crosscheck_rule *x = &ru_[kept];
        x->name = PQgetvalue(ru, i, 0);
        x->left = PQgetvalue(ru, i, 1);
        x->right = PQgetvalue(ru, i, 3);
        x->error = PQgetvalue(ru, i, 4)[0] == 't';
        kept += crosscheck_op_parse(PQgetvalue(ru, i, 2), &x->op);
    }
    if (ok)
        crosscheck_run(f, (size_t)n, ra, nr, ru_, kept, emit_finding, out);
    free(f);
    free(ra);
    free(ru_);
    PQclear(rf);
    PQclear(rr);
    PQclear(ru);
    return ok;
}

bool db_ingest_check_stage(struct db_conn *db, const char *partner, bool is_admin,
                           struct ingest_check_result *out) {
    memset(out, 0, sizeof *out);
    out->errors = json_array();
    out->warnings = json_array();
    bool ok = (is_admin || !partner || check_responsible(db, partner, out)) &&
              check_kept_limits(db, out) && check_across(db, out);
    if (!ok) {
        ingest_check_result_free(out);
        out->errors = json_array();
        out->warnings = json_array();
        return false;
    }
    /* Rows, not problems: a row may break several rules. Errors come grouped by check,
     * so rows are counted through a sorted copy of their numbers. */
    size_t ne = json_array_size(out->errors);
    long *rows = malloc((ne + 1) * sizeof *rows);
    out->all_not_responsible = ne > 0;
    for (size_t i = 0; i < ne; i++) {
        json_t *e = json_array_get(out->errors, i);
        if (rows)
            rows[i] = (long)json_integer_value(json_object_get(e, "row"));
        out->all_not_responsible &=
            strcmp(json_string_value(json_object_get(e, "code")), "not_responsible") == 0;
    }
    out->bad_rows = (long)ne;
    if (rows) {
        for (size_t i = 1; i < ne; i++) /* insertion sort: at most 1000+ entries */
            for (size_t k = i; k > 0 && rows[k - 1] > rows[k]; k--) {
                long t = rows[k];
                rows[k] = rows[k - 1];
                rows[k - 1] = t;
            }
        out->bad_rows = 0;
        for (size_t i = 0; i < ne; i++)
            out->bad_rows += i == 0 || rows[i] != rows[i - 1];
        free(rows);
    }
    return true;
}

void ingest_check_result_free(struct ingest_check_result *r) {
    json_decref(r->errors);
    json_decref(r->warnings);
    r->errors = r->warnings = NULL;
}

bool db_ingest_claim_responsibility(struct db_conn *db, const char *partner) {
    static const struct db_stmt s = {
        "ingest_claim_responsibility",
        /* The distinct pairs first: with clock_timestamp() (volatile, new on every row)
         * inside the DISTINCT, every staged row stayed apart and probed the key (65,000
         * conflicts for 100,000 rows, 0.4 s). */
        "INSERT INTO figure_responsibility (metric, area, partner, basis, since) "
        "SELECT s.metric, s.area, $1, 'first_write', clock_timestamp() "
        "FROM (SELECT DISTINCT metric, area FROM ingest_stage WHERE NOT del) s "
        "WHERE NOT EXISTS (SELECT 1 FROM return_schedules rs "
        "WHERE rs.metric = s.metric AND rs.area = s.area) AND NOT EXISTS (SELECT 1 FROM "
        "observation_history h WHERE h.metric = s.metric AND h.area = s.area AND h.action = "
        "'create' AND h.partner IS NOT NULL AND h.partner <> $1) "
        "ON CONFLICT (metric, area) DO NOTHING",
        1};
    if (!partner)
        return true;
    const char *params[] = {partner};
    PGresult *r = db_exec(db, &s, params);
    bool ok = db_ok(r);
    if (!ok)
        db_log_failure("ingest responsibility claim", r);
    PQclear(r);
    return ok;
}
