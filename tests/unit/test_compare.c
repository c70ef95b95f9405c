/* Comparisons with a benchmark (Fingertips): the interval wholly above, wholly below, or
 * around the comparator's value, with each polarity; no interval, no comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/compare.h"

static void test_interval_wholly_on_the_good_side_is_better(void **state) {
    (void)state;
    /* Higher is better: an interval of 62.0 to 66.2 against a benchmark of 61.4. */
    assert_int_equal(compare_verdict_of(true, 62.0, 66.2, 61.4, POLARITY_HIGHER_IS_BETTER),
                     COMPARE_BETTER);
    /* Lower is better: 20.1 to 23.9 against 25.7. */
    assert_int_equal(compare_verdict_of(true, 20.1, 23.9, 25.7, POLARITY_LOWER_IS_BETTER),
                     COMPARE_BETTER);
    assert_string_equal(compare_verdict_name(COMPARE_BETTER), "better");
}

static void test_interval_wholly_on_the_bad_side_is_worse(void **state) {
    (void)state;
    assert_int_equal(compare_verdict_of(true, 55.0, 59.8, 61.4, POLARITY_HIGHER_IS_BETTER),
                     COMPARE_WORSE);
    assert_int_equal(compare_verdict_of(true, 27.0, 31.5, 25.7, POLARITY_LOWER_IS_BETTER),
                     COMPARE_WORSE);
    assert_string_equal(compare_verdict_name(COMPARE_WORSE), "worse");
}

static void test_interval_containing_the_value_is_similar(void **state) {
    (void)state;
    assert_int_equal(compare_verdict_of(true, 59.0, 63.0, 61.4, POLARITY_HIGHER_IS_BETTER),
                     COMPARE_SIMILAR);
    /* An end on the value counts as containing it. */
    assert_int_equal(compare_verdict_of(true, 61.4, 63.0, 61.4, POLARITY_HIGHER_IS_BETTER),
                     COMPARE_SIMILAR);
    assert_int_equal(compare_verdict_of(true, 59.0, 61.4, 61.4, POLARITY_LOWER_IS_BETTER),
                     COMPARE_SIMILAR);
    assert_string_equal(compare_verdict_name(COMPARE_SIMILAR), "similar");
}

static void test_without_an_interval_nothing_is_compared(void **state) {
    (void)state;
    assert_int_equal(compare_verdict_of(false, 0, 0, 61.4, POLARITY_HIGHER_IS_BETTER),
                     COMPARE_NOT_COMPARED);
    assert_int_equal(compare_verdict_of(true, 63.0, 59.0, 61.4, POLARITY_HIGHER_IS_BETTER),
                     COMPARE_NOT_COMPARED);
    assert_string_equal(compare_verdict_name(COMPARE_NOT_COMPARED), "not_compared");
}

static void test_neutral_metric_says_higher_or_lower(void **state) {
    (void)state;
    assert_int_equal(compare_verdict_of(true, 62.0, 66.2, 61.4, POLARITY_NEUTRAL), COMPARE_HIGHER);
    assert_int_equal(compare_verdict_of(true, 55.0, 59.8, 61.4, POLARITY_NEUTRAL), COMPARE_LOWER);
    assert_int_equal(compare_verdict_of(true, 59.0, 63.0, 61.4, POLARITY_NEUTRAL), COMPARE_SIMILAR);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interval_wholly_on_the_good_side_is_better),
        cmocka_unit_test(test_interval_wholly_on_the_bad_side_is_worse),
        cmocka_unit_test(test_interval_containing_the_value_is_similar),
        cmocka_unit_test(test_without_an_interval_nothing_is_compared),
        cmocka_unit_test(test_neutral_metric_says_higher_or_lower),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
