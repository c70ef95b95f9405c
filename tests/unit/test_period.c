/* Periods: the four text forms, bad forms, formatting, dates and arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/period.h"

static void expect_period(const char *text, int year, int month, enum period_freq freq) {
    struct period p = {0, 0, PERIOD_MONTHLY};
    if (!period_parse(text, &p))
        fail_msg("period_parse(\"%s\") refused a good period", text);
    assert_int_equal(p.year, year);
    assert_int_equal(p.month, month);
    assert_int_equal(p.freq, freq);
}

static void expect_format(struct period p, const char *want) {
    char buf[32];
    int n = period_format(&p, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, (int)strlen(want));
}

static int month_index(int year, int month) {
    return year * 12 + month - 1;
}

static void test_monthly_period_parses_to_its_month(void **state) {
    (void)state;
    expect_period("2019-01", 2019, 1, PERIOD_MONTHLY);
    expect_period("2019-12", 2019, 12, PERIOD_MONTHLY);
    expect_period("1900-06", 1900, 6, PERIOD_MONTHLY);
    expect_period("2999-12", 2999, 12, PERIOD_MONTHLY);
}

static void test_quarterly_period_parses_to_its_first_month(void **state) {
    (void)state;
    expect_period("2019-Q1", 2019, 1, PERIOD_QUARTERLY);
    expect_period("2019-Q2", 2019, 4, PERIOD_QUARTERLY);
    expect_period("2019-Q3", 2019, 7, PERIOD_QUARTERLY);
    expect_period("2019-Q4", 2019, 10, PERIOD_QUARTERLY);
}

static void test_calendar_year_parses_to_january(void **state) {
    (void)state;
    expect_period("2019", 2019, 1, PERIOD_ANNUAL);
}

static void test_fy_period_parses_to_april(void **state) {
    (void)state;
    expect_period("FY2019-20", 2019, 4, PERIOD_ANNUAL);
    expect_period("FY1999-00", 1999, 4, PERIOD_ANNUAL);
}

static void test_fy_period_rejects_wrong_following_year(void **state) {
    (void)state;
    struct period p = {7, 7, PERIOD_QUARTERLY};
    assert_false(period_parse("FY2019-21", &p));
    assert_false(period_parse("FY2019-19", &p));
    assert_false(period_parse("FY2019-2O", &p));
    assert_false(period_parse("FY1999-100", &p));
    assert_int_equal(p.year, 7);
    assert_int_equal(p.month, 7);
    assert_int_equal(p.freq, PERIOD_QUARTERLY);
}

static void test_bad_period_forms_are_refused_and_leave_output(void **state) {
    (void)state;
    const char *bad[] = {"2019-13",   "2019-00",   "2019-Q5",  "2019-Q0", "19-01",   "",
                         "2019-01x",  "2019-01 ",  " 2019-01", "2019-1",  "2019/01", "2019-q1",
                         "fy2019-20", "FY2019/20", "FY19-20",  "1899",    "3000",    "2019-0A",
                         "+019-01",   "-019-01",   "2019-Q1 ", "201",     "20190",   "2019-",
                         "FY2019-2",  "2019-Q",    "2019-Q10", "abcd",    "2019-1Q"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct period p = {7, 7, PERIOD_QUARTERLY};
        if (period_parse(bad[i], &p))
            fail_msg("period_parse(\"%s\") accepted a bad period", bad[i]);
        assert_int_equal(p.year, 7);
        assert_int_equal(p.month, 7);
        assert_int_equal(p.freq, PERIOD_QUARTERLY);
    }
    struct period p;
    assert_false(period_parse(NULL, &p));
}

static void test_period_format_writes_canonical_text(void **state) {
    (void)state;
    expect_format((struct period){2019, 2, PERIOD_MONTHLY}, "2019-02");
    expect_format((struct period){2019, 10, PERIOD_QUARTERLY}, "2019-Q4");
    expect_format((struct period){2019, 1, PERIOD_ANNUAL}, "2019");
    expect_format((struct period){2019, 4, PERIOD_ANNUAL}, "FY2019-20");
    expect_format((struct period){2099, 4, PERIOD_ANNUAL}, "FY2099-00");
}

static void test_period_format_round_trips_every_form(void **state) {
    (void)state;
    const char *forms[] = {"2019-01", "2020-12", "2019-Q1",   "2019-Q4",
                           "2019",    "1900",    "FY2019-20", "FY1999-00"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        struct period p;
        char buf[32];
        assert_true(period_parse(forms[i], &p));
        period_format(&p, buf, sizeof buf);
        assert_string_equal(buf, forms[i]);
    }
}

static void test_period_format_reports_length_when_truncated(void **state) {
    (void)state;
    struct period p = {2019, 4, PERIOD_ANNUAL};
    char buf[4];
    assert_int_equal(period_format(&p, buf, sizeof buf), 9);
    assert_string_equal(buf, "FY2");
}

static void test_period_start_date_is_first_day_of_first_month(void **state) {
    (void)state;
    char buf[16];
    struct period fy = {2019, 4, PERIOD_ANNUAL}, q3 = {2019, 7, PERIOD_QUARTERLY};
    assert_int_equal(period_start_date(&fy, buf, sizeof buf), 10);
    assert_string_equal(buf, "2019-04-01");
    period_start_date(&q3, buf, sizeof buf);
    assert_string_equal(buf, "2019-07-01");
}

static void test_period_from_date_reads_start_dates(void **state) {
    (void)state;
    struct period p;
    assert_true(period_from_date("2019-04-01", PERIOD_ANNUAL, &p));
    assert_int_equal(p.year, 2019);
    assert_int_equal(p.month, 4);
    assert_int_equal(p.freq, PERIOD_ANNUAL);
    expect_format(p, "FY2019-20");
    assert_true(period_from_date("2018-10-01", PERIOD_QUARTERLY, &p));
    expect_format(p, "2018-Q4");
}

static void test_period_from_date_refuses_bad_dates(void **state) {
    (void)state;
    struct period p = {7, 7, PERIOD_QUARTERLY};
    assert_false(period_from_date("2019-13-01", PERIOD_MONTHLY, &p));
    assert_false(period_from_date("2019-00-01", PERIOD_MONTHLY, &p));
    assert_false(period_from_date("2019-1", PERIOD_MONTHLY, &p));
    assert_false(period_from_date("2019/01/01", PERIOD_MONTHLY, &p));
    assert_false(period_from_date(NULL, PERIOD_MONTHLY, &p));
    assert_int_equal(p.year, 7);
}

static void test_period_months_by_frequency(void **state) {
    (void)state;
    assert_int_equal(period_months(PERIOD_MONTHLY), 1);
    assert_int_equal(period_months(PERIOD_QUARTERLY), 3);
    assert_int_equal(period_months(PERIOD_ANNUAL), 12);
}

static void test_period_month_index_counts_from_year_zero(void **state) {
    (void)state;
    struct period p = {2019, 3, PERIOD_MONTHLY};
    assert_int_equal(period_month_index(&p), 2019 * 12 + 2);
}

static void test_period_add_steps_across_years(void **state) {
    (void)state;
    struct period m = {2019, 11, PERIOD_MONTHLY};
    expect_format(period_add(&m, 3), "2020-02");
    expect_format(period_add(&m, -11), "2018-12");
    expect_format(period_add(&m, 0), "2019-11");
    struct period jan = {2019, 1, PERIOD_MONTHLY};
    expect_format(period_add(&jan, -1), "2018-12");
    expect_format(period_add(&jan, -25), "2016-12");
    struct period q = {2019, 10, PERIOD_QUARTERLY};
    expect_format(period_add(&q, 1), "2020-Q1");
    expect_format(period_add(&q, -4), "2018-Q4");
    expect_format(period_add(&q, -7), "2018-Q1");
    struct period fy = {2019, 4, PERIOD_ANNUAL};
    expect_format(period_add(&fy, 1), "FY2020-21");
    expect_format(period_add(&fy, -20), "FY1999-00");
    struct period y = {2019, 1, PERIOD_ANNUAL};
    expect_format(period_add(&y, 2), "2021");
}

static void test_period_end_index_is_first_month_after_the_period(void **state) {
    (void)state;
    struct period m = {2019, 12, PERIOD_MONTHLY}, q = {2019, 10, PERIOD_QUARTERLY},
                  y = {2019, 1, PERIOD_ANNUAL}, fy = {2019, 4, PERIOD_ANNUAL};
    assert_int_equal(period_end_index(&m), month_index(2020, 1));
    assert_int_equal(period_end_index(&q), month_index(2020, 1));
    assert_int_equal(period_end_index(&y), month_index(2020, 1));
    assert_int_equal(period_end_index(&fy), month_index(2020, 4));
    struct period next = period_add(&fy, 1);
    assert_int_equal(period_end_index(&fy), period_month_index(&next));
}

static void test_period_freq_names_parse_both_ways(void **state) {
    (void)state;
    enum period_freq f = PERIOD_MONTHLY;
    assert_true(period_freq_parse("quarterly", &f));
    assert_int_equal(f, PERIOD_QUARTERLY);
    assert_true(period_freq_parse("annual", &f));
    assert_int_equal(f, PERIOD_ANNUAL);
    assert_true(period_freq_parse("monthly", &f));
    assert_int_equal(f, PERIOD_MONTHLY);
    assert_false(period_freq_parse("yearly", &f));
    assert_false(period_freq_parse(NULL, &f));
    assert_string_equal(period_freq_name(PERIOD_MONTHLY), "monthly");
    assert_string_equal(period_freq_name(PERIOD_QUARTERLY), "quarterly");
    assert_string_equal(period_freq_name(PERIOD_ANNUAL), "annual");
}

static void test_period_started_by_compares_start_month(void **state) {
    (void)state;
    struct period fy = {2019, 4, PERIOD_ANNUAL};
    assert_false(period_started_by(&fy, 2019, 3));
    assert_true(period_started_by(&fy, 2019, 4));
    assert_true(period_started_by(&fy, 2020, 1));
    assert_false(period_started_by(&fy, 2018, 12));
}

/* period_guess reads what a spreadsheet wrote, for an answer that says "write 2026-11". */
static void expect_guess(const char *text, const char *canonical) {
    struct period p;
    char buf[16];
    if (!period_guess(text, &p))
        fail_msg("\"%s\" was not read as %s", text, canonical);
    period_format(&p, buf, sizeof buf);
    assert_string_equal(buf, canonical);
}

static void test_spreadsheet_months_are_read_as_the_month_meant(void **state) {
    (void)state;
    expect_guess("Nov-26", "2026-11");
    expect_guess("nov-2026", "2026-11");
    expect_guess("11/2026", "2026-11");
    expect_guess("1/2026", "2026-01");
    expect_guess("November 2026", "2026-11");
    expect_guess("Sept 2019", "2019-09");
    expect_guess("2026 Nov", "2026-11");
    expect_guess("2026/11", "2026-11");
    expect_guess("2026-1", "2026-01");
    expect_guess("01/11/2026", "2026-11");
    expect_guess("2026-11-01", "2026-11");
    expect_guess(" Nov 26 ", "2026-11");
}

static void test_spreadsheet_quarters_and_financial_years_are_read(void **state) {
    (void)state;
    expect_guess("Q1 2019", "2019-Q1");
    expect_guess("2019 Q3", "2019-Q3");
    expect_guess("2019q4", "2019-Q4");
    expect_guess("2019/20", "FY2019-20");
    expect_guess("2019-2020", "FY2019-20");
    expect_guess("FY19/20", "FY2019-20");
    expect_guess("fy2019-2020", "FY2019-20");
}

static void test_what_is_no_period_is_not_guessed(void **state) {
    (void)state;
    struct period p = {0, 0, PERIOD_MONTHLY};
    const char *none[] = {"",           "soon",    "13/2026",   "Nov",          "2026",
                          "15/11/2026", "Q5 2019", "FY2019/22", "Nov-26-27-28", "Nov_26",
                          "2026-11-15", NULL};
    for (int i = 0; none[i]; i++)
        if (period_guess(none[i], &p))
            fail_msg("\"%s\" was read as a period", none[i]);
    assert_false(period_guess(NULL, &p));
    assert_int_equal(p.year, 0); /* untouched */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_monthly_period_parses_to_its_month),
        cmocka_unit_test(test_quarterly_period_parses_to_its_first_month),
        cmocka_unit_test(test_calendar_year_parses_to_january),
        cmocka_unit_test(test_fy_period_parses_to_april),
        cmocka_unit_test(test_fy_period_rejects_wrong_following_year),
        cmocka_unit_test(test_bad_period_forms_are_refused_and_leave_output),
        cmocka_unit_test(test_period_format_writes_canonical_text),
        cmocka_unit_test(test_period_format_round_trips_every_form),
        cmocka_unit_test(test_period_format_reports_length_when_truncated),
        cmocka_unit_test(test_period_start_date_is_first_day_of_first_month),
        cmocka_unit_test(test_period_from_date_reads_start_dates),
        cmocka_unit_test(test_period_from_date_refuses_bad_dates),
        cmocka_unit_test(test_period_months_by_frequency),
        cmocka_unit_test(test_period_month_index_counts_from_year_zero),
        cmocka_unit_test(test_period_add_steps_across_years),
        cmocka_unit_test(test_period_end_index_is_first_month_after_the_period),
        cmocka_unit_test(test_period_freq_names_parse_both_ways),
        cmocka_unit_test(test_period_started_by_compares_start_month),
        cmocka_unit_test(test_spreadsheet_months_are_read_as_the_month_meant),
        cmocka_unit_test(test_spreadsheet_quarters_and_financial_years_are_read),
        cmocka_unit_test(test_what_is_no_period_is_not_guessed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
