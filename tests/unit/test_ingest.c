/* ingest_check_row against a catalogue built by hand: every rule refuses with its code,
 * field and message, grants and locks apply by metric and by programme, and a row's
 * faults are all reported together. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/ingest.h"

#define MONTH(y, m) ((y)*12 + (m)-1)

/* Sorted by code, as ingest_find_metric bisects. */
static const struct ingest_metric metrics[] = {
    {"mhfa.pct", "mhfa", UNIT_PERCENT, PERIOD_MONTHLY, {{0}}, 0},
    {"thrive.count", "thrive", UNIT_COUNT, PERIOD_MONTHLY, {"sex"}, 1},
    {"thrive.q", "thrive", UNIT_COUNT, PERIOD_QUARTERLY, {{0}}, 0},
};
static const char areas[][16] = {"E08000025", "E08000026", "E08000028"};
static const struct ingest_category categories[] = {
    {"age_band", "16-24"}, {"sex", "female"}, {"sex", "male"}};
static const struct ingest_grant grants[] = {
    {"", "thrive", "E08000025"},   /* a programme in one area */
    {"mhfa.pct", "", "E08000026"}, /* one metric in another */
};
static const struct ingest_lock locks[] = {
    {"", "thrive", MONTH(2019, 2)},
    {"mhfa.pct", "", MONTH(2019, 3)},
};

static struct ingest_catalogue catalogue(void) {
    return (struct ingest_catalogue){.metrics = metrics,
                                     .nmetrics = 3,
                                     .areas = areas,
                                     .nareas = 3,
                                     .categories = categories,
                                     .ncategories = 3,
                                     .grants = grants,
                                     .ngrants = 2,
                                     .check_grants = false,
                                     .locks = locks,
                                     .nlocks = 2,
                                     .override_locks = false,
                                     .today_month_index = MONTH(2020, 6)};
}

static struct ingest_raw good_row(void) {
    return (struct ingest_raw){
        .metric = "thrive.count", .area = "E08000025", .period = "2019-05", .value = "412"};
}

static void expect_ok(const struct ingest_catalogue *c, const struct ingest_raw *raw,
                      struct ingest_checked *out) {
    bool ok = ingest_check_row(c, raw, out);
    if (!ok || out->nerrors)
        fail_msg("row refused: %d errors, first %s: %s", out->nerrors,
                 out->nerrors ? out->errors[0].code : "-",
                 out->nerrors ? out->errors[0].message : "-");
}

/* The row is refused with exactly one error. */
static void expect_one(const struct ingest_catalogue *c, const struct ingest_raw *raw,
                       const char *field, const char *code, const char *message) {
    struct ingest_checked out;
    assert_false(ingest_check_row(c, raw, &out));
    if (out.nerrors != 1)
        fail_msg("%d errors, first %s, want only %s", out.nerrors, out.errors[0].code, code);
    assert_string_equal(out.errors[0].field, field);
    assert_string_equal(out.errors[0].code, code);
    assert_string_equal(out.errors[0].message, message);
}

static void test_lookups_find_codes_in_the_sorted_arrays(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    for (int i = 0; i < 3; i++)
        assert_ptr_equal(ingest_find_metric(&c, metrics[i].code), &metrics[i]);
    assert_null(ingest_find_metric(&c, "thrive"));
    assert_null(ingest_find_metric(&c, "zzz.x"));
    assert_null(ingest_find_metric(&c, NULL));
    assert_true(ingest_area_known(&c, "E08000026"));
    assert_false(ingest_area_known(&c, "E08000027"));
    assert_false(ingest_area_known(&c, NULL));
}

static void test_a_good_row_is_accepted_with_canonical_values(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.value = "412.0";
    raw.lower = " 4e2 ";
    raw.upper = "+420";
    raw.status = "final";
    raw.note = "re-count";
    assert_true(breakdown_add(&raw.breakdown, "sex", "female"));
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
    assert_ptr_equal(out.metric, &metrics[1]);
    assert_int_equal(out.period.year, 2019);
    assert_int_equal(out.period.month, 5);
    assert_int_equal(out.period.freq, PERIOD_MONTHLY);
    assert_string_equal(out.value, "412");
    assert_string_equal(out.lower, "400");
    assert_string_equal(out.upper, "420");
    assert_string_equal(out.breakdown_key, "sex=female");
    assert_string_equal(out.status, "final");
}

/* Issue 10: a status left out keeps the stored one (KEEP), an empty one clears it back
 * to provisional (CLEAR), and estimated is the third status. */
static void test_status_left_out_keeps_empty_clears_and_three_are_known(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
    assert_null(out.status);
    assert_int_equal(out.status_change, INGEST_KEEP);
    assert_int_equal(out.note_change, INGEST_KEEP);
    assert_int_equal(out.lower_change, INGEST_KEEP);
    assert_string_equal(out.lower, "");
    assert_string_equal(out.upper, "");
    assert_string_equal(out.breakdown_key, "");
    raw.has_status = true;
    raw.status = "provisional";
    expect_ok(&c, &raw, &out);
    assert_string_equal(out.status, "provisional");
    assert_int_equal(out.status_change, INGEST_SET);
    raw.status = "estimated";
    expect_ok(&c, &raw, &out);
    assert_string_equal(out.status, "estimated");
    raw.status = "";
    expect_ok(&c, &raw, &out);
    assert_null(out.status);
    assert_int_equal(out.status_change, INGEST_CLEAR);
    raw.status = NULL; /* JSON null */
    expect_ok(&c, &raw, &out);
    assert_int_equal(out.status_change, INGEST_CLEAR);
    raw.has_note = true;
    raw.note = "";
    raw.has_upper = true;
    raw.upper = "420";
    expect_ok(&c, &raw, &out);
    assert_int_equal(out.note_change, INGEST_CLEAR);
    assert_int_equal(out.upper_change, INGEST_SET);
    raw.status = "draft";
    assert_false(ingest_check_row(&c, &raw, &out));
    assert_string_equal(out.errors[0].code, "bad_status");
}

static void test_missing_fields_are_each_named(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = {.metric = "", .area = NULL, .period = "", .value = NULL};
    struct ingest_checked out;
    assert_false(ingest_check_row(&c, &raw, &out));
    assert_int_equal(out.nerrors, 4);
    const char *fields[] = {"metric", "area", "period", "value"};
    const char *messages[] = {
        "metric is required (e.g. mhfa.people_trained)",
        "area is required: an ONS code such as E08000025",
        "period is required (2019-01, 2019-Q1, 2019, FY2019-20)",
        "value is required (a number); to withdraw a figure send \"delete\": true"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(out.errors[i].field, fields[i]);
        assert_string_equal(out.errors[i].code, "missing_field");
        assert_string_equal(out.errors[i].message, messages[i]);
    }
}

static void test_an_unknown_metric_is_refused(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.metric = "thrive.nope";
    expect_one(&c, &raw, "metric", "unknown_metric",
               "metric \"thrive.nope\" is not in the catalogue; GET /v1/metrics lists the codes");
}

static void test_an_unknown_area_is_refused(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.area = "E99999999";
    expect_one(&c, &raw, "area", "unknown_area",
               "area \"E99999999\" is not a known ONS code; GET /v1/areas lists them");
}

static void test_a_malformed_period_is_refused(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.period = "2019-13";
    expect_one(&c, &raw, "period", "bad_period",
               "period \"2019-13\" is not a period: use 2019-01 (month), 2019-Q1 (quarter), 2019 "
               "(year) or FY2019-20 (financial year)");
}

static void test_a_period_of_another_frequency_is_refused(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.period = "2019-Q1";
    expect_one(&c, &raw, "period", "wrong_frequency",
               "period \"2019-Q1\" is quarterly but thrive.count is reported monthly");
    raw.metric = "thrive.q";
    raw.period = "2019-Q3"; /* a quarter clear of thrive's February lock */
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
    raw.period = "2019-01";
    expect_one(&c, &raw, "period", "wrong_frequency",
               "period \"2019-01\" is monthly but thrive.q is reported quarterly");
}

static void test_a_period_that_has_not_started_is_refused(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.period = "2020-07";
    expect_one(&c, &raw, "period", "future_period",
               "period \"2020-07\" has not started yet; send figures for periods that have");
    raw.period = "2020-06"; /* the current month has started */
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
}

static void test_a_value_that_is_not_a_number_is_refused(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.value = "1,000";
    expect_one(&c, &raw, "value", "not_a_number",
               "value \"1,000\" is not a finite number: send digits with an optional sign, "
               "decimal point and exponent (412, 26.5), no thousands separators");
    raw.value = "12";
    raw.upper = "NaN";
    expect_one(&c, &raw, "upper", "not_a_number",
               "upper \"NaN\" is not a finite number: send digits with an optional sign, "
               "decimal point and exponent (412, 26.5), no thousands separators");
}

static void test_a_count_must_be_whole_and_not_negative(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.value = "-3";
    expect_one(&c, &raw, "value", "negative_count", "a count cannot be negative (got -3)");
    raw.value = "2.5";
    expect_one(&c, &raw, "value", "fractional_count", "a count must be a whole number (got 2.5)");
    raw.value = "0";
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
}

static void test_a_percentage_must_lie_within_0_and_100(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = {
        .metric = "mhfa.pct", .area = "E08000026", .period = "2019-05", .value = "120"};
    expect_one(&c, &raw, "value", "out_of_range",
               "a percentage must lie between 0 and 100 (got 120)");
    raw.value = "-0.5";
    expect_one(&c, &raw, "value", "out_of_range",
               "a percentage must lie between 0 and 100 (got -0.5)");
    struct ingest_checked out;
    raw.value = "100";
    expect_ok(&c, &raw, &out);
    raw.value = "26.50";
    expect_ok(&c, &raw, &out);
    assert_string_equal(out.value, "26.5");
}

static void test_limits_must_lie_either_side_of_the_value(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.value = "20";
    raw.lower = "21";
    expect_one(&c, &raw, "lower", "bad_interval", "lower 21 is above value 20");
    raw.lower = NULL;
    raw.upper = "19";
    expect_one(&c, &raw, "upper", "bad_interval", "upper 19 is below value 20");
    raw.lower = "20";
    raw.upper = "20"; /* equal to the value is a degenerate interval, not a wrong one */
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
}

static void test_an_unknown_status_is_refused(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.status = "Final";
    /* The message names the third status since issue 10. */
    expect_one(&c, &raw, "status", "bad_status",
               "status \"Final\" must be provisional, final or estimated; leave it out to keep "
               "the stored status");
}

static void test_a_note_over_2000_characters_is_refused(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    static char note[2002];
    memset(note, 'n', 2001);
    note[2001] = '\0';
    struct ingest_raw raw = good_row();
    raw.note = note;
    expect_one(&c, &raw, "note", "too_long", "note is 2001 characters; keep it to 2000");
    note[2000] = '\0';
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
}

static void test_a_dimension_the_metric_lacks_is_refused(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    assert_true(breakdown_add(&raw.breakdown, "age_band", "16-24"));
    expect_one(&c, &raw, "breakdown", "unknown_dimension",
               "thrive.count is not broken down by \"age_band\"; GET /v1/metrics/{code} lists "
               "its dimensions");
    struct ingest_raw pct = {
        .metric = "mhfa.pct", .area = "E08000026", .period = "2019-05", .value = "50"};
    assert_true(breakdown_add(&pct.breakdown, "sex", "female"));
    expect_one(&c, &pct, "breakdown", "unknown_dimension",
               "mhfa.pct is not broken down by \"sex\"; send totals only");
}

static void test_an_unknown_category_is_refused(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    assert_true(breakdown_add(&raw.breakdown, "sex", "robot"));
    expect_one(&c, &raw, "breakdown", "unknown_category",
               "\"robot\" is not a category of sex; GET /v1/dimensions lists them");
    /* A category of another dimension does not count. */
    struct ingest_raw other = good_row();
    assert_true(breakdown_add(&other.breakdown, "sex", "16-24"));
    expect_one(&c, &other, "breakdown", "unknown_category",
               "\"16-24\" is not a category of sex; GET /v1/dimensions lists them");
}

static void test_grants_by_programme_cover_its_metrics_in_that_area_only(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    c.check_grants = true;
    struct ingest_raw raw = good_row();
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
    raw.metric = "thrive.q";
    raw.period = "2019-Q2";
    expect_ok(&c, &raw, &out);
    raw = good_row();
    raw.area = "E08000026";
    expect_one(&c, &raw, "area", "not_granted",
               "this key's partner may not submit thrive.count for E08000026; ask an admin for a "
               "grant");
}

static void test_grants_by_metric_cover_that_metric_in_that_area_only(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    c.check_grants = true;
    struct ingest_raw raw = {
        .metric = "mhfa.pct", .area = "E08000026", .period = "2019-05", .value = "50"};
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
    raw.area = "E08000025";
    expect_one(&c, &raw, "area", "not_granted",
               "this key's partner may not submit mhfa.pct for E08000025; ask an admin for a "
               "grant");
    /* Without grant checks (an admin key) the same row is accepted. */
    c.check_grants = false;
    expect_ok(&c, &raw, &out);
}

static void test_a_programme_lock_refuses_its_metrics_for_that_month(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.period = "2019-02";
    expect_one(&c, &raw, "period", "locked",
               "thrive.count for 2019-02 is locked (reported to the board); an admin can unlock "
               "it or override with a reason");
    raw.period = "2019-03";
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
    /* A deletion is a write too. */
    raw.period = "2019-02";
    raw.value = NULL;
    raw.del = true;
    expect_one(&c, &raw, "period", "locked",
               "thrive.count for 2019-02 is locked (reported to the board); an admin can unlock "
               "it or override with a reason");
}

static void test_a_lock_on_a_month_refuses_a_quarter_that_covers_it(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.metric = "thrive.q";
    raw.period = "2019-Q1"; /* January to March: covers the locked February */
    expect_one(&c, &raw, "period", "locked",
               "thrive.q for 2019-Q1 is locked (reported to the board); an admin can unlock it "
               "or override with a reason");
    raw.period = "2019-Q2";
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
}

static void test_a_metric_lock_refuses_that_metric_only(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = {
        .metric = "mhfa.pct", .area = "E08000026", .period = "2019-03", .value = "50"};
    expect_one(&c, &raw, "period", "locked",
               "mhfa.pct for 2019-03 is locked (reported to the board); an admin can unlock it "
               "or override with a reason");
    struct ingest_checked out;
    raw.period = "2019-02"; /* thrive's programme lock is not mhfa's */
    expect_ok(&c, &raw, &out);
    struct ingest_raw count = good_row();
    count.period = "2019-03";
    expect_ok(&c, &count, &out);
}

static void test_override_locks_lets_rows_into_locked_months(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    c.override_locks = true;
    struct ingest_raw raw = good_row();
    raw.period = "2019-02";
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
    struct ingest_raw pct = {
        .metric = "mhfa.pct", .area = "E08000026", .period = "2019-03", .value = "50"};
    expect_ok(&c, &pct, &out);
}

static void test_a_deletion_needs_no_value(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    raw.value = NULL;
    raw.del = true;
    struct ingest_checked out;
    expect_ok(&c, &raw, &out);
    assert_string_equal(out.value, "");
    raw.value = "not checked when deleting";
    raw.lower = "nor this";
    expect_ok(&c, &raw, &out);
    assert_string_equal(out.value, "");
}

static void test_every_fault_of_a_row_is_reported_in_order(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    c.check_grants = true;
    static char note[2101];
    memset(note, 'n', 2100);
    struct ingest_raw raw = good_row();
    raw.area = "E08000026"; /* not granted */
    raw.period = "2019-02"; /* locked */
    raw.value = "-1";
    raw.status = "draft";
    raw.note = note;
    assert_true(breakdown_add(&raw.breakdown, "sex", "robot"));
    struct ingest_checked out;
    assert_false(ingest_check_row(&c, &raw, &out));
    assert_int_equal(out.nerrors, 6);
    const char *codes[] = {"negative_count",   "bad_status",  "too_long",
                           "unknown_category", "not_granted", "locked"};
    const char *fields[] = {"value", "status", "note", "breakdown", "area", "period"};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(out.errors[i].code, codes[i]);
        assert_string_equal(out.errors[i].field, fields[i]);
    }
    assert_string_equal(out.errors[2].message, "note is 2100 characters; keep it to 2000");
}

/* With an unknown metric the checks that need it (frequency, unit, grants, locks,
 * dimensions) are skipped rather than guessed; the others still run. */
static void test_checks_that_need_the_metric_are_skipped_without_it(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    c.check_grants = true;
    struct ingest_raw raw = {.metric = "x.y",
                             .area = "E08000028",
                             .period = "2019-Q1",
                             .value = "-2.5",
                             .lower = "abc",
                             .upper = "1e999",
                             .status = "maybe"};
    assert_true(breakdown_add(&raw.breakdown, "colour", "red"));
    struct ingest_checked out;
    assert_false(ingest_check_row(&c, &raw, &out));
    assert_int_equal(out.nerrors, 4);
    assert_string_equal(out.errors[0].code, "unknown_metric");
    assert_string_equal(out.errors[1].code, "not_a_number");
    assert_string_equal(out.errors[1].field, "lower");
    assert_string_equal(out.errors[2].code, "not_a_number");
    assert_string_equal(out.errors[2].field, "upper");
    assert_string_equal(out.errors[3].code, "bad_status");
    assert_null(out.metric);
}

/* A row keeps at most INGEST_MAX_ROW_ERRORS: here nine faults, the ninth not listed. */
static void test_a_row_lists_at_most_eight_errors(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    static char note[2002];
    memset(note, 'n', 2001);
    struct ingest_raw raw = {.metric = "thrive.count",
                             .area = "nowhere",
                             .period = "soon",
                             .value = "a",
                             .lower = "b",
                             .upper = "c",
                             .status = "d",
                             .note = note};
    assert_true(breakdown_add(&raw.breakdown, "age_band", "16-24"));
    assert_true(breakdown_add(&raw.breakdown, "colour", "red"));
    struct ingest_checked out;
    assert_false(ingest_check_row(&c, &raw, &out));
    assert_int_equal(out.nerrors, INGEST_MAX_ROW_ERRORS);
    const char *codes[] = {"unknown_area", "bad_period", "not_a_number", "not_a_number",
                           "not_a_number", "bad_status", "too_long",     "unknown_dimension"};
    for (int i = 0; i < INGEST_MAX_ROW_ERRORS; i++)
        assert_string_equal(out.errors[i].code, codes[i]);
    assert_string_equal(out.errors[7].message,
                        "thrive.count is not broken down by \"age_band\"; GET /v1/metrics/{code} "
                        "lists its dimensions");
}

static void test_an_unknown_area_or_metric_names_the_nearest_codes(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    c.suggest = true;
    struct ingest_raw raw = good_row();
    raw.area = "E0800025";
    expect_one(&c, &raw, "area", "unknown_area",
               "area \"E0800025\" is not a known ONS code; did you mean E08000025? GET /v1/areas "
               "lists them");
    struct ingest_checked out;
    ingest_check_row(&c, &raw, &out);
    assert_int_equal(out.errors[0].nsuggestions, 1);
    assert_string_equal(out.errors[0].suggestions[0], "E08000025");
    raw = good_row();
    raw.metric = "thrive.cont";
    ingest_check_row(&c, &raw, &out);
    assert_string_equal(out.errors[0].code, "unknown_metric");
    assert_string_equal(
        out.errors[0].message,
        "metric \"thrive.cont\" is not in the catalogue; did you mean thrive.count? "
        "GET /v1/metrics lists the codes");
    /* Two at the same distance are both named. */
    raw = good_row();
    raw.area = "E08000027";
    ingest_check_row(&c, &raw, &out);
    assert_int_equal(out.errors[0].nsuggestions, 3);
    assert_string_equal(out.errors[0].message,
                        "area \"E08000027\" is not a known ONS code; did you mean E08000025, "
                        "E08000026 or E08000028? GET /v1/areas lists them");
    /* Without suggest (past the listed errors), no scan and no names. */
    c.suggest = false;
    ingest_check_row(&c, &raw, &out);
    assert_int_equal(out.errors[0].nsuggestions, 0);
    assert_string_equal(out.errors[0].message,
                        "area \"E08000027\" is not a known ONS code; GET /v1/areas lists them");
}

static void test_a_spreadsheet_month_is_answered_with_the_period_to_write(void **state) {
    (void)state;
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = good_row();
    const char *written[] = {"Nov-19", "11/2019", "November 2019"};
    for (int i = 0; i < 3; i++) {
        raw.period = written[i];
        struct ingest_checked out;
        assert_false(ingest_check_row(&c, &raw, &out));
        assert_int_equal(out.nerrors, 1);
        assert_string_equal(out.errors[0].code, "bad_period");
        assert_non_null(strstr(out.errors[0].message, "write 2019-11"));
        assert_int_equal(out.errors[0].nsuggestions, 1);
        assert_string_equal(out.errors[0].suggestions[0], "2019-11");
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookups_find_codes_in_the_sorted_arrays),
        cmocka_unit_test(test_a_good_row_is_accepted_with_canonical_values),
        cmocka_unit_test(test_status_left_out_keeps_empty_clears_and_three_are_known),
        cmocka_unit_test(test_missing_fields_are_each_named),
        cmocka_unit_test(test_an_unknown_metric_is_refused),
        cmocka_unit_test(test_an_unknown_area_is_refused),
        cmocka_unit_test(test_a_malformed_period_is_refused),
        cmocka_unit_test(test_a_period_of_another_frequency_is_refused),
        cmocka_unit_test(test_a_period_that_has_not_started_is_refused),
        cmocka_unit_test(test_a_value_that_is_not_a_number_is_refused),
        cmocka_unit_test(test_a_count_must_be_whole_and_not_negative),
        cmocka_unit_test(test_a_percentage_must_lie_within_0_and_100),
        cmocka_unit_test(test_limits_must_lie_either_side_of_the_value),
        cmocka_unit_test(test_an_unknown_status_is_refused),
        cmocka_unit_test(test_a_note_over_2000_characters_is_refused),
        cmocka_unit_test(test_a_dimension_the_metric_lacks_is_refused),
        cmocka_unit_test(test_an_unknown_category_is_refused),
        cmocka_unit_test(test_grants_by_programme_cover_its_metrics_in_that_area_only),
        cmocka_unit_test(test_grants_by_metric_cover_that_metric_in_that_area_only),
        cmocka_unit_test(test_a_programme_lock_refuses_its_metrics_for_that_month),
        cmocka_unit_test(test_a_lock_on_a_month_refuses_a_quarter_that_covers_it),
        cmocka_unit_test(test_a_metric_lock_refuses_that_metric_only),
        cmocka_unit_test(test_override_locks_lets_rows_into_locked_months),
        cmocka_unit_test(test_a_deletion_needs_no_value),
        cmocka_unit_test(test_every_fault_of_a_row_is_reported_in_order),
        cmocka_unit_test(test_checks_that_need_the_metric_are_skipped_without_it),
        cmocka_unit_test(test_a_row_lists_at_most_eight_errors),
        cmocka_unit_test(test_an_unknown_area_or_metric_names_the_nearest_codes),
        cmocka_unit_test(test_a_spreadsheet_month_is_answered_with_the_period_to_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
