/* Trend labels: fewer than five points give none; the last five decide; a fitted
 * change of 1% of the level is the threshold; polarity turns a rise into getting
 * better or worse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/trend.h"

static const double X[] = {0, 1, 2, 3, 4, 5, 6, 7};

static void test_fewer_than_five_points_have_no_trend(void **state) {
    (void)state;
    const double y[] = {1, 2, 3, 4};
    assert_int_equal(trend_of(X, y, 4), TREND_NONE);
}

static void test_steady_rise_is_increasing_and_getting_better(void **state) {
    (void)state;
    const double y[] = {100, 110, 120, 130, 140};
    enum trend_label t = trend_of(X, y, 5);
    assert_int_equal(t, TREND_INCREASING);
    assert_string_equal(trend_label_name(t), "increasing");
    assert_string_equal(trend_direction(t, false), "getting_better");
    assert_string_equal(trend_direction(t, true), "getting_worse");
}

static void test_noisy_rise_is_still_increasing(void **state) {
    (void)state;
    /* Not monotone, but the fitted line climbs by 5.6 over a mean of 12.6. */
    const double y[] = {10, 12, 11, 14, 16};
    assert_int_equal(trend_of(X, y, 5), TREND_INCREASING);
}

static void test_fall_is_decreasing_and_polarity_turns_it(void **state) {
    (void)state;
    const double y[] = {30, 28, 27, 25, 22};
    enum trend_label t = trend_of(X, y, 5);
    assert_int_equal(t, TREND_DECREASING);
    assert_string_equal(trend_direction(t, false), "getting_worse");
    assert_string_equal(trend_direction(t, true), "getting_better");
}

static void test_flat_series_is_no_change(void **state) {
    (void)state;
    const double y[] = {26, 26, 26, 26, 26};
    enum trend_label t = trend_of(X, y, 5);
    assert_int_equal(t, TREND_NO_CHANGE);
    assert_string_equal(trend_direction(t, false), "no_change");
}

static void test_change_under_one_percent_of_level_is_no_change(void **state) {
    (void)state;
    /* Slope 2 a period over 4 periods: fitted change 8 on a mean of 1004 (0.8%). */
    const double small[] = {1000, 1002, 1004, 1006, 1008};
    assert_int_equal(trend_of(X, small, 5), TREND_NO_CHANGE);
    /* Slope 2.5: change 10 on a mean of 1005, just under 1%; 2.6: 10.4 on 1005.2. */
    const double under[] = {1000, 1002.5, 1005, 1007.5, 1010};
    assert_int_equal(trend_of(X, under, 5), TREND_NO_CHANGE);
    const double over[] = {1000, 1002.6, 1005.2, 1007.8, 1010.4};
    assert_int_equal(trend_of(X, over, 5), TREND_INCREASING);
}

static void test_only_the_last_five_points_count(void **state) {
    (void)state;
    /* A long fall then five rising points: increasing. */
    const double y[] = {90, 70, 50, 10, 11, 12, 13, 14};
    assert_int_equal(trend_of(X, y, 8), TREND_INCREASING);
}

static void test_positions_in_time_weigh_the_fit(void **state) {
    (void)state;
    /* One late rise of 12 on a level of about 1002: fitted over five consecutive
     * periods it is a change of 9.6 (under 1%); when the last figure comes after a long
     * gap the line spans 40 periods and the fitted change is 12.4 (over 1%). */
    const double y[] = {1000, 1000, 1000, 1000, 1012};
    const double consecutive[] = {0, 1, 2, 3, 4};
    const double gap[] = {0, 1, 2, 3, 40};
    assert_int_equal(trend_of(consecutive, y, 5), TREND_NO_CHANGE);
    assert_int_equal(trend_of(gap, y, 5), TREND_INCREASING);
}

static void test_zero_level_counts_any_change(void **state) {
    (void)state;
    const double y[] = {-1, -0.5, 0, 0.5, 1};
    assert_int_equal(trend_of(X, y, 5), TREND_INCREASING);
    const double z[] = {0, 0, 0, 0, 0};
    assert_int_equal(trend_of(X, z, 5), TREND_NO_CHANGE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fewer_than_five_points_have_no_trend),
        cmocka_unit_test(test_steady_rise_is_increasing_and_getting_better),
        cmocka_unit_test(test_noisy_rise_is_still_increasing),
        cmocka_unit_test(test_fall_is_decreasing_and_polarity_turns_it),
        cmocka_unit_test(test_flat_series_is_no_change),
        cmocka_unit_test(test_change_under_one_percent_of_level_is_no_change),
        cmocka_unit_test(test_only_the_last_five_points_count),
        cmocka_unit_test(test_positions_in_time_weigh_the_fit),
        cmocka_unit_test(test_zero_level_counts_any_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
