/* The tz-free calendar agrees with gmtime_r, day by day over two centuries and at the
 * edges of days, months and leap years. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "domain/calendar.h"

static void check(int64_t t) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char want[32], got[11];
    snprintf(want, sizeof want, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    calendar_day_text(t, got);
    if (strcmp(want, got) != 0)
        fail_msg("t=%lld: %s, want %s", (long long)t, got, want);
    assert_int_equal(calendar_month_index(t), (tm.tm_year + 1900) * 12 + tm.tm_mon);
}

static void test_every_day_from_1900_to_2100_matches_gmtime(void **state) {
    (void)state;
    for (int64_t t = -2208988800LL; t < 4102444800LL; t += 86400) {
        check(t);
        check(t + 86399); /* the last second of the day */
    }
}

static void test_known_dates(void **state) {
    (void)state;
    char day[11];
    calendar_day_text(0, day);
    assert_string_equal(day, "1970-01-01");
    calendar_day_text(951782400, day); /* 2000-02-29, a leap day in a century year */
    assert_string_equal(day, "2000-02-29");
    calendar_day_text(1795392000 - 1, day);
    assert_string_equal(day, "2026-11-22");
    assert_int_equal(calendar_month_index(1795392000), 2026 * 12 + 10);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_day_from_1900_to_2100_matches_gmtime),
        cmocka_unit_test(test_known_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
