/* Target trajectories, percentages and RAG: the MHFA figures from the January 2019
 * board (500,000 by 2026-12 from 0 at 2017-01; 12,013 at 2018-12), milestones, each
 * RAG threshold both ways round, and rounding. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* cmocka 1.1's float assertion works in single precision: compare doubles here. */
#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%s = %.12g, want %.12g", #a, a_, b_);                                        \
    } while (0)

#include "domain/period.h"
#include "domain/target.h"

static int month(const char *text) {
    struct period p;
    assert_true(period_parse(text, &p));
    return period_month_index(&p);
}

static struct target mhfa(void) {
    struct target t = {.start = month("2017-01"),
                       .end = month("2026-12"),
                       .baseline = 0,
                       .value = 500000,
                       .amber_within = 0.10};
    return t;
}

static void test_trajectory_is_linear_from_baseline_to_target(void **state) {
    (void)state;
    struct target t = mhfa();
    assert_near(target_expected_at(&t, month("2017-01")), 0, 1e-9);
    assert_near(target_round(target_expected_at(&t, month("2017-02")), 1), 4201.7, 1e-9);
    /* 500000 x 23/119 at 2018-12, the brief's figure. */
    assert_near(target_round(target_expected_at(&t, month("2018-12")), 1), 96638.7, 1e-9);
    assert_near(target_expected_at(&t, month("2026-12")), 500000, 1e-9);
}

static void test_trajectory_holds_baseline_before_and_target_after_the_window(void **state) {
    (void)state;
    struct target t = mhfa();
    t.baseline = 1000;
    assert_near(target_expected_at(&t, month("2016-06")), 1000, 1e-9);
    assert_near(target_expected_at(&t, month("2030-01")), 500000, 1e-9);
    /* Halfway in months (2017-01 + 59.5 is not a month; 2022-01 is 60 of 119). */
    assert_near(target_expected_at(&t, month("2022-01")), 1000 + 499000.0 * 60 / 119, 1e-6);
}

static void test_trajectory_goes_through_milestones_piecewise(void **state) {
    (void)state;
    struct target t = {.start = month("2019-01"),
                       .end = month("2020-01"),
                       .baseline = 0,
                       .value = 50,
                       .amber_within = 0.1};
    /* Given out of order, one outside the window: sorted, and the outsider dropped. */
    t.milestones[0] = (struct target_milestone){month("2019-07"), 10};
    t.milestones[1] = (struct target_milestone){month("2019-04"), 6};
    t.milestones[2] = (struct target_milestone){month("2021-01"), 99};
    t.nmilestones = 3;
    target_normalise(&t);
    assert_int_equal(t.nmilestones, 2);
    assert_near(target_expected_at(&t, month("2019-02")), 2, 1e-9); /* 0..6 over 3 */
    assert_near(target_expected_at(&t, month("2019-04")), 6, 1e-9); /* on the knot */
    assert_near(target_expected_at(&t, month("2019-05")), 6 + 4.0 / 3, 1e-9);
    assert_near(target_expected_at(&t, month("2019-07")), 10, 1e-9);
    assert_near(target_expected_at(&t, month("2019-10")), 30, 1e-9); /* 10..50 over 6 */
    assert_near(target_expected_at(&t, month("2020-01")), 50, 1e-9);
}

static void test_quarterly_trajectory_samples_the_same_line(void **state) {
    (void)state;
    struct target t = {.start = month("2019-Q1"),
                       .end = month("2019-Q4"),
                       .baseline = 0,
                       .value = 90,
                       .amber_within = 0.1};
    assert_near(target_expected_at(&t, month("2019-Q2")), 30, 1e-9);
    assert_near(target_expected_at(&t, month("2019-Q3")), 60, 1e-9);
}

static void test_percent_of_target_and_of_expected(void **state) {
    (void)state;
    struct target t = mhfa();
    double expected = target_expected_at(&t, month("2018-12")), p;
    assert_true(target_percent(12013, t.value, &p));
    assert_near(target_round(p, 1), 2.4, 1e-9);
    assert_true(target_percent(12013, expected, &p));
    assert_near(target_round(p, 1), 12.4, 1e-9);
    assert_false(target_percent(5, 0, &p));
}

static void test_rag_thresholds_higher_is_better(void **state) {
    (void)state;
    struct target t = mhfa(); /* amber within 10% */
    assert_int_equal(target_rag(&t, 101, 100), TARGET_GREEN);
    assert_int_equal(target_rag(&t, 100, 100), TARGET_GREEN); /* on the line: green */
    assert_int_equal(target_rag(&t, 99.99, 100), TARGET_AMBER);
    assert_int_equal(target_rag(&t, 90, 100), TARGET_AMBER); /* exactly 10% short */
    assert_int_equal(target_rag(&t, 89.99, 100), TARGET_RED);
    assert_int_equal(target_rag(&t, 12013, 96638.655), TARGET_RED);
    assert_string_equal(target_rag_name(TARGET_RED), "red");
}

static void test_rag_thresholds_inverted_for_lower_is_better(void **state) {
    (void)state;
    struct target t = {.start = 0,
                       .end = 12,
                       .baseline = 30,
                       .value = 20,
                       .amber_within = 0.10,
                       .lower_is_better = true};
    assert_int_equal(target_rag(&t, 19, 20), TARGET_GREEN);
    assert_int_equal(target_rag(&t, 20, 20), TARGET_GREEN);
    assert_int_equal(target_rag(&t, 21.5, 20), TARGET_AMBER);
    assert_int_equal(target_rag(&t, 22, 20), TARGET_AMBER); /* exactly 10% over */
    assert_int_equal(target_rag(&t, 22.01, 20), TARGET_RED);
}

static void test_rag_uses_each_targets_own_amber_band(void **state) {
    (void)state;
    struct target t = mhfa();
    t.amber_within = 0.25;
    assert_int_equal(target_rag(&t, 75, 100), TARGET_AMBER);
    assert_int_equal(target_rag(&t, 74.9, 100), TARGET_RED);
    t.amber_within = 0;
    assert_int_equal(target_rag(&t, 99.9, 100), TARGET_RED);
}

static void test_rounding_half_away_from_zero(void **state) {
    (void)state;
    assert_near(target_round(4201.65, 1), 4201.7, 1e-9);
    assert_near(target_round(-2.45, 1), -2.5, 1e-9);
    assert_near(target_round(2.449, 1), 2.4, 1e-9);
    assert_near(target_round(7.5, 0), 8, 1e-9);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trajectory_is_linear_from_baseline_to_target),
        cmocka_unit_test(test_trajectory_holds_baseline_before_and_target_after_the_window),
        cmocka_unit_test(test_trajectory_goes_through_milestones_piecewise),
        cmocka_unit_test(test_quarterly_trajectory_samples_the_same_line),
        cmocka_unit_test(test_percent_of_target_and_of_expected),
        cmocka_unit_test(test_rag_thresholds_higher_is_better),
        cmocka_unit_test(test_rag_thresholds_inverted_for_lower_is_better),
        cmocka_unit_test(test_rag_uses_each_targets_own_amber_band),
        cmocka_unit_test(test_rounding_half_away_from_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
