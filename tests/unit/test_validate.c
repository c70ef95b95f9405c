/* Value checks: number syntax, canonical text, and the range of each unit with its code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "domain/validate.h"

static void expect_parsed(const char *text, double want, const char *want_canon) {
    double v = -12345;
    char canon[VALUE_CANON_SIZE] = "untouched";
    if (!value_parse(text, &v, canon, sizeof canon))
        fail_msg("value_parse(\"%s\") refused a good number", text);
    if (v != want)
        fail_msg("value_parse(\"%s\") gave %.17g, not %.17g", text, v, want);
    assert_string_equal(canon, want_canon);
}

static void expect_not_parsed(const char *text) {
    double v = -12345;
    char canon[VALUE_CANON_SIZE] = "untouched";
    if (value_parse(text, &v, canon, sizeof canon))
        fail_msg("value_parse(\"%s\") accepted a bad number as %.17g", text, v);
}

static void expect_verdict(enum value_unit unit, double v, const char *code, const char *msg) {
    char text[160] = "untouched";
    const char *got = value_check(unit, v, text, sizeof text);
    if (code == NULL) {
        if (got != NULL)
            fail_msg("%.17g was refused with %s: %s", v, got, text);
        assert_string_equal(text, "");
        return;
    }
    if (got == NULL)
        fail_msg("%.17g was accepted, expected %s", v, code);
    assert_string_equal(got, code);
    assert_string_equal(text, msg);
}

static void test_unit_names_parse(void **state) {
    (void)state;
    enum value_unit u = UNIT_GBP;
    assert_true(value_unit_parse("count", &u));
    assert_int_equal(u, UNIT_COUNT);
    assert_true(value_unit_parse("percent", &u));
    assert_int_equal(u, UNIT_PERCENT);
    assert_true(value_unit_parse("gbp", &u));
    assert_int_equal(u, UNIT_GBP);
    assert_true(value_unit_parse("rate_per_1000", &u));
    assert_int_equal(u, UNIT_RATE_PER_1000);
}

static void test_unknown_unit_names_are_refused_and_leave_output(void **state) {
    (void)state;
    enum value_unit u = UNIT_PERCENT;
    assert_false(value_unit_parse("Count", &u));
    assert_false(value_unit_parse("", &u));
    assert_false(value_unit_parse("rate", &u));
    assert_false(value_unit_parse(NULL, &u));
    assert_int_equal(u, UNIT_PERCENT);
}

static void test_value_parse_accepts_json_numbers(void **state) {
    (void)state;
    expect_parsed("412", 412, "412");
    expect_parsed("-3", -3, "-3");
    expect_parsed("26.5", 26.5, "26.5");
    expect_parsed("0", 0, "0");
    expect_parsed("0.25", 0.25, "0.25");
    expect_parsed("1e3", 1000, "1000");
    expect_parsed("1E3", 1000, "1000");
    expect_parsed("2.5e-3", 0.0025, "0.0025");
    expect_parsed("1e+20", 1e20, "1e+20");
}

static void test_value_parse_allows_plus_and_surrounding_blanks(void **state) {
    (void)state;
    expect_parsed("+7", 7, "7");
    expect_parsed("  12  ", 12, "12");
    expect_parsed("\t+0.5 ", 0.5, "0.5");
}

static void test_value_parse_canonical_text_is_shortest_round_trip(void **state) {
    (void)state;
    expect_parsed("26.50", 26.5, "26.5");
    expect_parsed("0.1", 0.1, "0.1");
    expect_parsed("0.30000000000000004", 0.30000000000000004, "0.30000000000000004");
    expect_parsed("-0", 0, "0");
    expect_parsed("-0.0e5", 0, "0");
    expect_parsed("123456789012345678", 123456789012345678.0, "1.2345678901234568e+17");
}

static void test_value_parse_refuses_bad_forms(void **state) {
    (void)state;
    const char *bad[] = {"",      " ",     "NaN",   "nan",   "inf", "-inf", "Infinity", "1,000",
                         "12abc", "abc",   "0x10",  "1e",    "1e+", ".5",   "5.",       "-",
                         "+",     "+-3",   "--3",   "++3",   "- 3", "+ 3",  "012",      "-01",
                         "1 2",   "1.2.3", "1e3.5", "1_000", "\n1", "1\n",  "£5",       "5%"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_not_parsed(bad[i]);
    expect_not_parsed(NULL);
}

static void test_value_parse_refuses_numbers_that_are_not_finite(void **state) {
    (void)state;
    expect_not_parsed("1e309");
    expect_not_parsed("-1e309");
    expect_not_parsed("1e99999999999999999999");
    char big[400];
    memset(big, '9', 399);
    big[399] = '\0';
    expect_not_parsed(big);
}

static void test_value_parse_refuses_nonzero_numbers_that_round_to_zero(void **state) {
    (void)state;
    expect_not_parsed("1e-400");
    expect_not_parsed("-0.5e-99999");
    expect_parsed("0e-99999", 0, "0");
}

static void test_value_parse_keeps_subnormal_numbers(void **state) {
    (void)state;
    expect_parsed("5e-324", 4.9406564584124654e-324, "4.94065645841247e-324");
}

static void test_value_parse_refuses_a_canon_buffer_too_small(void **state) {
    (void)state;
    char canon[4] = "xyz";
    double v = 0;
    assert_false(value_parse("12345", &v, canon, sizeof canon));
    assert_true(value_parse("123", &v, canon, sizeof canon));
    assert_string_equal(canon, "123");
    assert_true(value_parse("26.5", &v, NULL, 0));
    assert_true(v == 26.5);
}

static void test_counts_must_be_whole_and_not_negative(void **state) {
    (void)state;
    expect_verdict(UNIT_COUNT, 0, NULL, NULL);
    expect_verdict(UNIT_COUNT, 12013, NULL, NULL);
    expect_verdict(UNIT_COUNT, -1, "negative_count", "a count cannot be negative (got -1)");
    expect_verdict(UNIT_COUNT, 2.5, "fractional_count", "a count must be a whole number (got 2.5)");
    expect_verdict(UNIT_COUNT, -0.5, "negative_count", "a count cannot be negative (got -0.5)");
}

/* 2^53 itself is refused since 2^53 + 1 (9007199254740993) reads as it: issue 11. */
static void test_counts_beyond_exact_doubles_are_out_of_range(void **state) {
    (void)state;
    expect_verdict(UNIT_COUNT, 9007199254740991.0, NULL, NULL);
    expect_verdict(UNIT_COUNT, 9007199254740992.0, "out_of_range",
                   "a count above 9007199254740991 (2^53 - 1) cannot be stored exactly (it "
                   "reads as 9007199254740992)");
    double read;
    assert_true(value_parse("9007199254740993", &read, NULL, 0));
    assert_non_null(value_check(UNIT_COUNT, read, NULL, 0));
    expect_verdict(UNIT_COUNT, 1e17, "out_of_range",
                   "a count above 9007199254740991 (2^53 - 1) cannot be stored exactly (it "
                   "reads as 1e+17)");
}

static void test_money_and_rates_have_ceilings_that_keep_squares_finite(void **state) {
    (void)state;
    expect_verdict(UNIT_GBP, 1e15, NULL, NULL);
    expect_verdict(UNIT_GBP, 1.5e154, "out_of_range",
                   "an amount in pounds must be at most 1e15 (got 1.5e+154)");
    expect_verdict(UNIT_GBP, 1.0000000000000002e15, "out_of_range",
                   "an amount in pounds must be at most 1e15 (got 1e+15)");
    expect_verdict(UNIT_RATE_PER_1000, 1e6, NULL, NULL);
    expect_verdict(UNIT_RATE_PER_1000, 1e300, "out_of_range",
                   "a rate per 1,000 must be at most 1000000 (got 1e+300)");
    /* Whatever passes, a million of its squares still sum to a finite double. */
    enum value_unit units[] = {UNIT_COUNT, UNIT_PERCENT, UNIT_GBP, UNIT_RATE_PER_1000};
    double tops[] = {9007199254740991.0, 100, 1e15, 1e6};
    for (int i = 0; i < 4; i++) {
        assert_null(value_check(units[i], tops[i], NULL, 0));
        assert_non_null(value_check(units[i], nextafter(tops[i], INFINITY), NULL, 0));
        assert_true(isfinite(tops[i] * tops[i] * 1e6));
    }
}

static void test_interval_bounds_stay_within_the_units_magnitude(void **state) {
    (void)state;
    char msg[160];
    assert_null(value_check_bound(UNIT_COUNT, -0.5, msg, sizeof msg));
    assert_string_equal(msg, "");
    assert_null(value_check_bound(UNIT_COUNT, 12.25, NULL, 0));
    assert_null(value_check_bound(UNIT_PERCENT, 100, NULL, 0));
    assert_string_equal(value_check_bound(UNIT_PERCENT, 100.5, msg, sizeof msg), "out_of_range");
    assert_string_equal(msg,
                        "an interval bound must lie within -100 and 100 for this unit (got 100.5)");
    assert_string_equal(value_check_bound(UNIT_GBP, -1e300, NULL, 0), "out_of_range");
    assert_string_equal(value_check_bound(UNIT_RATE_PER_1000, (double)NAN, NULL, 0),
                        "out_of_range");
    assert_string_equal(value_check_bound(UNIT_COUNT, 1e16, NULL, 0), "out_of_range");
}

static void test_percent_lies_within_zero_and_one_hundred(void **state) {
    (void)state;
    expect_verdict(UNIT_PERCENT, 0, NULL, NULL);
    expect_verdict(UNIT_PERCENT, 26.5, NULL, NULL);
    expect_verdict(UNIT_PERCENT, 100, NULL, NULL);
    expect_verdict(UNIT_PERCENT, 100.01, "out_of_range",
                   "a percentage must lie between 0 and 100 (got 100.01)");
    expect_verdict(UNIT_PERCENT, -0.1, "out_of_range",
                   "a percentage must lie between 0 and 100 (got -0.1)");
}

static void test_money_and_rates_are_not_negative_but_may_be_fractional(void **state) {
    (void)state;
    expect_verdict(UNIT_GBP, 1250.75, NULL, NULL);
    expect_verdict(UNIT_GBP, -1, "negative_value",
                   "an amount in pounds cannot be negative (got -1)");
    expect_verdict(UNIT_RATE_PER_1000, 3.25, NULL, NULL);
    expect_verdict(UNIT_RATE_PER_1000, 1500, NULL, NULL);
    expect_verdict(UNIT_RATE_PER_1000, -0.01, "negative_value",
                   "a rate per 1,000 cannot be negative (got -0.01)");
}

static void test_values_that_are_not_finite_are_out_of_range_for_every_unit(void **state) {
    (void)state;
    enum value_unit units[] = {UNIT_COUNT, UNIT_PERCENT, UNIT_GBP, UNIT_RATE_PER_1000};
    for (int i = 0; i < 4; i++) {
        expect_verdict(units[i], (double)NAN, "out_of_range", "the value must be a finite number");
        expect_verdict(units[i], (double)INFINITY, "out_of_range",
                       "the value must be a finite number");
    }
}

static void test_value_check_without_a_message_buffer_still_gives_the_code(void **state) {
    (void)state;
    assert_string_equal(value_check(UNIT_COUNT, -2, NULL, 0), "negative_count");
    assert_null(value_check(UNIT_GBP, 2, NULL, 0));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_names_parse),
        cmocka_unit_test(test_unknown_unit_names_are_refused_and_leave_output),
        cmocka_unit_test(test_value_parse_accepts_json_numbers),
        cmocka_unit_test(test_value_parse_allows_plus_and_surrounding_blanks),
        cmocka_unit_test(test_value_parse_canonical_text_is_shortest_round_trip),
        cmocka_unit_test(test_value_parse_refuses_bad_forms),
        cmocka_unit_test(test_value_parse_refuses_numbers_that_are_not_finite),
        cmocka_unit_test(test_value_parse_refuses_nonzero_numbers_that_round_to_zero),
        cmocka_unit_test(test_value_parse_keeps_subnormal_numbers),
        cmocka_unit_test(test_value_parse_refuses_a_canon_buffer_too_small),
        cmocka_unit_test(test_counts_must_be_whole_and_not_negative),
        cmocka_unit_test(test_counts_beyond_exact_doubles_are_out_of_range),
        cmocka_unit_test(test_money_and_rates_have_ceilings_that_keep_squares_finite),
        cmocka_unit_test(test_interval_bounds_stay_within_the_units_magnitude),
        cmocka_unit_test(test_percent_lies_within_zero_and_one_hundred),
        cmocka_unit_test(test_money_and_rates_are_not_negative_but_may_be_fractional),
        cmocka_unit_test(test_values_that_are_not_finite_are_out_of_range_for_every_unit),
        cmocka_unit_test(test_value_check_without_a_message_buffer_still_gives_the_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
