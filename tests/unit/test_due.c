/* What a schedule makes a partner owe around a day: past periods whose due date has
 * passed, periods started but not yet due, and the coming ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/due.h"

static void expect_item(const struct due_item *it, const char *period, const char *due, bool open,
                        bool past_due) {
    char p[16], d[16];
    period_format(&it->period, p, sizeof p);
    snprintf(d, sizeof d, "%04d-%02d-%02d", it->due_year, it->due_month, it->due_day);
    assert_string_equal(p, period);
    assert_string_equal(d, due);
    assert_int_equal(it->open, open);
    assert_int_equal(it->past_due, past_due);
}

static void test_monthly_on_the_tenth_with_due_day_fifteen(void **state) {
    (void)state;
    struct due_item it[16];
    /* 2026-12-10: November is due 2026-12-15 (not yet), October was due 2026-11-15. */
    int n = due_periods(PERIOD_MONTHLY, 15, 2026, 12, 10, 2, 1, it, 16);
    assert_int_equal(n, 5);
    expect_item(&it[0], "2026-09", "2026-10-15", true, true);
    expect_item(&it[1], "2026-10", "2026-11-15", true, true);
    expect_item(&it[2], "2026-11", "2026-12-15", true, false);
    expect_item(&it[3], "2026-12", "2027-01-15", true, false);
    expect_item(&it[4], "2027-01", "2027-02-15", false, false);
}

static void test_the_due_day_itself_is_not_late(void **state) {
    (void)state;
    struct due_item it[16];
    int n = due_periods(PERIOD_MONTHLY, 15, 2026, 12, 15, 1, 0, it, 16);
    assert_int_equal(n, 3);
    expect_item(&it[0], "2026-10", "2026-11-15", true, true);
    expect_item(&it[1], "2026-11", "2026-12-15", true, false);
    n = due_periods(PERIOD_MONTHLY, 15, 2026, 12, 16, 1, 0, it, 16);
    assert_int_equal(n, 2);
    expect_item(&it[0], "2026-11", "2026-12-15", true, true);
    expect_item(&it[1], "2026-12", "2027-01-15", true, false);
}

static void test_quarters_and_financial_years(void **state) {
    (void)state;
    struct due_item it[16];
    int n = due_periods(PERIOD_QUARTERLY, 28, 2026, 12, 1, 1, 1, it, 16);
    assert_int_equal(n, 3);
    expect_item(&it[0], "2026-Q3", "2026-10-28", true, true);
    expect_item(&it[1], "2026-Q4", "2027-01-28", true, false);
    expect_item(&it[2], "2027-Q1", "2027-04-28", false, false);
    n = due_periods(PERIOD_ANNUAL, 1, 2026, 12, 1, 1, 0, it, 16);
    assert_int_equal(n, 2);
    expect_item(&it[0], "FY2025-26", "2026-04-01", true, true);
    expect_item(&it[1], "FY2026-27", "2027-04-01", true, false);
}

static void test_past_zero_lists_only_what_is_still_to_come(void **state) {
    (void)state;
    struct due_item it[16];
    int n = due_periods(PERIOD_MONTHLY, 15, 2026, 12, 10, 0, 0, it, 16);
    assert_int_equal(n, 2);
    expect_item(&it[0], "2026-11", "2026-12-15", true, false);
    expect_item(&it[1], "2026-12", "2027-01-15", true, false);
}

static void test_bad_arguments_and_the_output_bound(void **state) {
    (void)state;
    struct due_item it[4];
    assert_int_equal(due_periods(PERIOD_MONTHLY, 0, 2026, 12, 10, 1, 1, it, 4), -1);
    assert_int_equal(due_periods(PERIOD_MONTHLY, 29, 2026, 12, 10, 1, 1, it, 4), -1);
    assert_int_equal(due_periods(PERIOD_MONTHLY, 15, 2026, 13, 10, 1, 1, it, 4), -1);
    assert_int_equal(due_periods(PERIOD_MONTHLY, 15, 2026, 12, 10, -1, 1, it, 4), -1);
    assert_int_equal(due_periods(PERIOD_MONTHLY, 15, 2026, 12, 10, 12, 12, it, 4), 4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_monthly_on_the_tenth_with_due_day_fifteen),
        cmocka_unit_test(test_the_due_day_itself_is_not_late),
        cmocka_unit_test(test_quarters_and_financial_years),
        cmocka_unit_test(test_past_zero_lists_only_what_is_still_to_come),
        cmocka_unit_test(test_bad_arguments_and_the_output_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
