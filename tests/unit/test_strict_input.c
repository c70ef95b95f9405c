/* Issue 11's bad input, at the domain readers: figures too large for their unit (1.5e154
 * pounds, whose square overflowed the warnings' sums), integers past 2^53 that a double
 * would round, bounds past the unit's range, and top-level fields of the wrong type
 * (override_lock: "yes" was read as false). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/ingest.h"
#include "domain/ingest_json.h"

static const struct ingest_metric metrics[] = {
    {"a.count", "a", UNIT_COUNT, PERIOD_MONTHLY, {{0}}, 0},
    {"a.gbp", "a", UNIT_GBP, PERIOD_MONTHLY, {{0}}, 0},
    {"a.pct", "a", UNIT_PERCENT, PERIOD_MONTHLY, {{0}}, 0},
    {"a.rate", "a", UNIT_RATE_PER_1000, PERIOD_MONTHLY, {{0}}, 0},
};
static const char areas[][16] = {"E08000025"};

static struct ingest_catalogue catalogue(void) {
    return (struct ingest_catalogue){.metrics = metrics,
                                     .nmetrics = 4,
                                     .areas = areas,
                                     .nareas = 1,
                                     .today_month_index = 2020 * 12};
}

static void expect_refused(const char *metric, const char *value, const char *lower,
                           const char *field, const char *code) {
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = {
        .metric = metric, .area = "E08000025", .period = "2019-05", .value = value, .lower = lower};
    struct ingest_checked out;
    if (ingest_check_row(&c, &raw, &out))
        fail_msg("%s value %s lower %s was accepted", metric, value, lower ? lower : "-");
    assert_int_equal(out.nerrors, 1);
    assert_string_equal(out.errors[0].field, field);
    assert_string_equal(out.errors[0].code, code);
}

static void expect_accepted(const char *metric, const char *value, const char *lower) {
    struct ingest_catalogue c = catalogue();
    struct ingest_raw raw = {
        .metric = metric, .area = "E08000025", .period = "2019-05", .value = value, .lower = lower};
    struct ingest_checked out;
    if (!ingest_check_row(&c, &raw, &out))
        fail_msg("%s value %s refused: %s", metric, value, out.errors[0].message);
}

static void test_a_huge_finite_figure_is_out_of_range_for_its_unit(void **state) {
    (void)state;
    expect_refused("a.gbp", "1.5e154", NULL, "value", "out_of_range");
    expect_refused("a.gbp", "1e300", NULL, "value", "out_of_range");
    expect_refused("a.rate", "1.5e154", NULL, "value", "out_of_range");
    expect_refused("a.count", "1.5e154", NULL, "value", "out_of_range");
    expect_accepted("a.gbp", "1250000.75", NULL);
    expect_accepted("a.gbp", "1e15", NULL);
    expect_accepted("a.rate", "1500", NULL);
}

static void test_integers_past_two_to_the_53_are_refused_not_rounded(void **state) {
    (void)state;
    const char *units[] = {"a.count", "a.gbp", "a.rate"};
    for (int i = 0; i < 3; i++) {
        expect_refused(units[i], "9007199254740993", NULL, "value", "out_of_range");
        expect_refused(units[i], "9007199254740992", NULL, "value", "out_of_range");
    }
    expect_accepted("a.count", "9007199254740991", NULL);
}

static void test_a_json_integer_past_two_to_the_53_is_refused_whole(void **state) {
    (void)state;
    /* jansson keeps 9007199254740993 as an exact integer; the row checks then refuse it
     * rather than store the double next to it. */
    json_t *doc = json_loads("{\"metric\": \"a.count\", \"area\": \"E08000025\", \"period\": "
                             "\"2019-05\", \"value\": 9007199254740993}",
                             0, NULL);
    assert_non_null(doc);
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_true(ingest_json_read_row(doc, &row, &errs));
    assert_string_equal(row.raw.value, "9007199254740993");
    struct ingest_catalogue c = catalogue();
    struct ingest_checked out;
    assert_false(ingest_check_row(&c, &row.raw, &out));
    assert_string_equal(out.errors[0].code, "out_of_range");
    ingest_errors_free(&errs);
    json_decref(doc);
}

static void test_bounds_are_held_to_the_units_range(void **state) {
    (void)state;
    expect_refused("a.gbp", "10", "-1e300", "lower", "out_of_range");
    expect_refused("a.pct", "50", "-100.5", "lower", "out_of_range");
    expect_accepted("a.count", "3", "-0.5");
    expect_accepted("a.pct", "50", "40.25");
}

/* Reads a top-level document; the document stays with the caller. */
static bool read_env(const char *text, json_t **doc, struct ingest_json_envelope *env,
                     struct ingest_errors *errs) {
    *doc = json_loads(text, 0, NULL);
    if (!*doc)
        fail_msg("test JSON does not parse: %s", text);
    ingest_errors_clear(errs);
    return ingest_json_read_envelope(*doc, env, errs);
}

static void test_a_good_envelope_is_read(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_envelope env;
    struct ingest_errors errs = {0};
    assert_true(read_env("{\"observations\": [], \"reason\": \"late\", \"override_lock\": true}",
                         &doc, &env, &errs));
    assert_true(json_is_array(env.observations));
    assert_string_equal(env.reason, "late");
    assert_true(env.override_lock);
    json_decref(doc);
    assert_true(read_env("{\"observations\": [{}], \"reason\": null, \"override_lock\": false}",
                         &doc, &env, &errs));
    assert_null(env.reason);
    assert_false(env.override_lock);
    json_decref(doc);
    assert_true(read_env("{\"observations\": [], \"reason\": \"\"}", &doc, &env, &errs));
    assert_null(env.reason);
    json_decref(doc);
    ingest_errors_free(&errs);
}

static void test_override_lock_must_be_a_boolean(void **state) {
    (void)state;
    const char *bad[] = {"\"yes\"", "\"true\"", "1", "0", "null", "[]", "{}"};
    struct ingest_errors errs = {0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[80];
        snprintf(text, sizeof text, "{\"observations\": [], \"override_lock\": %s}", bad[i]);
        json_t *doc;
        struct ingest_json_envelope env;
        if (read_env(text, &doc, &env, &errs))
            fail_msg("override_lock %s was read", bad[i]);
        assert_int_equal(errs.n, 1);
        assert_string_equal(errs.items[0].field, "override_lock");
        assert_string_equal(errs.items[0].code, "wrong_type");
        assert_string_equal(errs.items[0].message, "override_lock must be true or false");
        assert_false(env.override_lock);
        json_decref(doc);
    }
    ingest_errors_free(&errs);
}

static void test_reason_and_observations_must_have_their_types(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_envelope env;
    struct ingest_errors errs = {0};
    assert_false(read_env("{\"observations\": {}, \"reason\": 12}", &doc, &env, &errs));
    assert_int_equal(errs.n, 2);
    assert_string_equal(errs.items[0].field, "observations");
    assert_string_equal(errs.items[0].code, "wrong_type");
    assert_string_equal(errs.items[1].field, "reason");
    assert_string_equal(errs.items[1].code, "wrong_type");
    assert_null(env.observations);
    json_decref(doc);
    assert_false(read_env("{\"reason\": \"x\"}", &doc, &env, &errs));
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.items[0].code, "missing_field");
    json_decref(doc);
    assert_false(read_env("[]", &doc, &env, &errs));
    assert_int_equal(errs.n, 1);
    assert_null(errs.items[0].field);
    assert_string_equal(errs.items[0].code, "not_an_object");
    json_decref(doc);
    ingest_errors_free(&errs);
}

static void test_every_unknown_top_level_field_is_named(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_envelope env;
    struct ingest_errors errs = {0};
    assert_false(
        read_env("{\"reasons\": 1, \"observations\": [], \"override\": true}", &doc, &env, &errs));
    assert_int_equal(errs.n, 2);
    assert_string_equal(errs.items[0].field, "reasons");
    assert_string_equal(errs.items[0].code, "unknown_field");
    assert_string_equal(errs.items[0].message,
                        "\"reasons\" is not a field of a submission; the fields are "
                        "observations, reason and override_lock");
    assert_string_equal(errs.items[1].field, "override");
    json_decref(doc);
    ingest_errors_free(&errs);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_huge_finite_figure_is_out_of_range_for_its_unit),
        cmocka_unit_test(test_integers_past_two_to_the_53_are_refused_not_rounded),
        cmocka_unit_test(test_a_json_integer_past_two_to_the_53_is_refused_whole),
        cmocka_unit_test(test_bounds_are_held_to_the_units_range),
        cmocka_unit_test(test_a_good_envelope_is_read),
        cmocka_unit_test(test_override_lock_must_be_a_boolean),
        cmocka_unit_test(test_reason_and_observations_must_have_their_types),
        cmocka_unit_test(test_every_unknown_top_level_field_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
