/* RFC 3339 date-times for asOf= and snapshot times: the forms of section 5.6 pass,
 * with offsets and fractions; what PostgreSQL would also take does not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/rfc3339.h"

static void expect_time(const char *s, long long sec, long nsec) {
    struct timespec t = {0, 0};
    if (!rfc3339_parse(s, &t))
        fail_msg("%s should parse", s);
    assert_int_equal((long long)t.tv_sec, sec);
    assert_int_equal(t.tv_nsec, nsec);
}

static void test_utc_offsets_and_fractions_give_the_same_instant(void **state) {
    (void)state;
    expect_time("1970-01-01T00:00:00Z", 0, 0);
    expect_time("2019-02-01T10:00:00Z", 1549015200, 0);
    expect_time("2019-02-01T11:00:00+01:00", 1549015200, 0);
    expect_time("2019-02-01T05:30:00-04:30", 1549015200, 0);
    expect_time("2019-02-01t10:00:00z", 1549015200, 0);
    expect_time("2019-02-01 10:00:00Z", 1549015200, 0); /* RFC 3339 allows a space */
    expect_time("2019-02-01T10:00:00.25Z", 1549015200, 250000000);
    expect_time("2019-02-01T10:00:00.123456789123Z", 1549015200, 123456789);
    expect_time("2024-02-29T23:59:59Z", 1709251199, 0);
    expect_time("1969-12-31T23:59:59Z", -1, 0);
    expect_time("2016-12-31T23:59:60Z", 1483228800, 0); /* a leap second: the next second */
}

static void test_anything_else_is_refused(void **state) {
    (void)state;
    const char *bad[] = {"",
                         "yesterday",
                         "epoch",
                         "now",
                         "2019-02-01",
                         "2019-02-01T10:00",
                         "2019-02-01T10:00:00",
                         "2019-02-01T10:00:00+0100",
                         "2019-02-01T10:00:00+01",
                         "2019-02-30T10:00:00Z",
                         "2023-02-29T10:00:00Z",
                         "2019-13-01T10:00:00Z",
                         "2019-02-01T24:00:00Z",
                         "2019-02-01T10:60:00Z",
                         "2019-02-01T10:00:61Z",
                         "2019-02-01T10:00:00.Z",
                         "2019-02-01T10:00:00Z ",
                         "2019-02-01T10:00:00Zjunk",
                         "19-02-01T10:00:00Z",
                         "2019-2-01T10:00:00Z",
                         "+2019-02-01T10:00:00Z",
                         NULL};
    for (int i = 0; bad[i]; i++) {
        struct timespec t = {42, 7};
        if (rfc3339_parse(bad[i], &t))
            fail_msg("\"%s\" should be refused", bad[i]);
        assert_int_equal((long long)t.tv_sec, 42);
    }
    struct timespec t;
    assert_false(rfc3339_parse(NULL, &t));
}

static void test_the_utc_form_round_trips_with_microseconds(void **state) {
    (void)state;
    char out[40];
    struct timespec t;
    assert_true(rfc3339_parse("2019-02-01T11:00:00.25+01:00", &t));
    assert_int_equal(rfc3339_format_utc(&t, out, sizeof out), 27);
    assert_string_equal(out, "2019-02-01T10:00:00.250000Z");
    assert_true(rfc3339_parse("1969-12-31T23:59:59.5Z", &t));
    rfc3339_format_utc(&t, out, sizeof out);
    assert_string_equal(out, "1969-12-31T23:59:59.500000Z");
    assert_true(rfc3339_parse("2000-02-29T00:00:00Z", &t));
    rfc3339_format_utc(&t, out, sizeof out);
    assert_string_equal(out, "2000-02-29T00:00:00.000000Z");
    struct timespec again;
    assert_true(rfc3339_parse(out, &again));
    assert_int_equal((long long)again.tv_sec, (long long)t.tv_sec);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utc_offsets_and_fractions_give_the_same_instant),
        cmocka_unit_test(test_anything_else_is_refused),
        cmocka_unit_test(test_the_utc_form_round_trips_with_microseconds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
