/* RFC 3339 timestamps: the forms taken, the instants they name, the forms refused
 * (PostgreSQL's words among them), and the UTC text written back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/rfc3339.h"

static void expect_instant(const char *text, long long secs, long nsec) {
    struct timespec t = {-1, -1};
    if (!rfc3339_parse(text, &t))
        fail_msg("rfc3339_parse(\"%s\") refused a good timestamp", text);
    if ((long long)t.tv_sec != secs || t.tv_nsec != nsec)
        fail_msg("rfc3339_parse(\"%s\") gave %lld.%09ld, not %lld.%09ld", text, (long long)t.tv_sec,
                 t.tv_nsec, secs, nsec);
}

static void expect_refused(const char *text) {
    struct timespec t = {-7, -7};
    if (rfc3339_parse(text, &t))
        fail_msg("rfc3339_parse(\"%s\") took a bad timestamp as %lld", text, (long long)t.tv_sec);
    assert_int_equal((long long)t.tv_sec, -7);
    assert_int_equal(t.tv_nsec, -7);
}

static void expect_format(long long secs, long nsec, const char *want) {
    char buf[RFC3339_FORMAT_SIZE];
    struct timespec t = {(time_t)secs, nsec};
    int n = rfc3339_format_utc(&t, buf, sizeof buf);
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(buf, want);
}

static void test_utc_timestamps_name_their_instant(void **state) {
    (void)state;
    expect_instant("1970-01-01T00:00:00Z", 0, 0);
    expect_instant("2019-01-31T23:59:59Z", 1548979199, 0);
    expect_instant("2000-02-29T12:00:00Z", 951825600, 0);
    expect_instant("1969-12-31T23:59:59Z", -1, 0);
    expect_instant("0000-01-01T00:00:00Z", -62167219200LL, 0);
    expect_instant("9999-12-31T23:59:59Z", 253402300799LL, 0);
}

static void test_offsets_are_taken_away_to_reach_utc(void **state) {
    (void)state;
    expect_instant("2019-06-01T01:00:00+01:00", 1559347200, 0);
    expect_instant("2019-05-31T19:00:00-05:00", 1559347200, 0);
    expect_instant("2019-06-01T05:30:00+05:30", 1559347200, 0);
    expect_instant("2019-06-01T00:00:00+00:00", 1559347200, 0);
    expect_instant("2019-06-01T00:00:00-00:00", 1559347200, 0);
    expect_instant("2019-06-01T23:59:00+23:59", 1559347200, 0);
}

static void test_fractions_give_nanoseconds(void **state) {
    (void)state;
    expect_instant("2019-06-01T00:00:00.5Z", 1559347200, 500000000);
    expect_instant("2019-06-01T00:00:00.000001Z", 1559347200, 1000);
    expect_instant("2019-06-01T00:00:00.123456789Z", 1559347200, 123456789);
    expect_instant("1969-12-31T23:59:59.25Z", -1, 250000000);
    /* time-secfrac is "." 1*DIGIT: digits past nanoseconds are cut, not refused. */
    expect_instant("2019-06-01T00:00:00.1234567890Z", 1559347200, 123456789);
}

static void test_lower_case_letters_and_a_space_are_taken(void **state) {
    (void)state;
    expect_instant("2019-06-01t00:00:00z", 1559347200, 0);
    expect_instant("2019-06-01 00:00:00Z", 1559347200, 0);
    expect_instant("2019-06-01 01:00:00+01:00", 1559347200, 0);
}

static void test_leap_second_counts_as_the_next_second(void **state) {
    (void)state;
    expect_instant("2016-12-31T23:59:60Z", 1483228800, 0);
}

static void test_days_must_exist_in_their_month(void **state) {
    (void)state;
    expect_refused("2019-02-29T00:00:00Z");
    expect_refused("1900-02-29T00:00:00Z");
    expect_refused("2019-04-31T00:00:00Z");
    expect_refused("2019-00-10T00:00:00Z");
    expect_refused("2019-13-10T00:00:00Z");
    expect_refused("2019-01-00T00:00:00Z");
    expect_refused("2019-01-32T00:00:00Z");
    expect_instant("2000-02-29T00:00:00Z", 951782400, 0);
}

static void test_times_and_offsets_out_of_range_are_refused(void **state) {
    (void)state;
    expect_refused("2019-01-01T24:00:00Z");
    expect_refused("2019-01-01T23:60:00Z");
    expect_refused("2019-01-01T23:59:61Z");
    expect_refused("2019-01-01T00:00:00+24:00");
    expect_refused("2019-01-01T00:00:00+01:60");
}

static void test_words_postgresql_would_take_are_refused(void **state) {
    (void)state;
    const char *words[] = {"yesterday", "today",     "tomorrow", "now", "epoch",
                           "infinity",  "-infinity", "allballs", "",    "2019-01-01 yesterday"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        expect_refused(words[i]);
    expect_refused(NULL);
}

static void test_other_iso_8601_forms_are_refused(void **state) {
    (void)state;
    const char *forms[] = {
        "2019-01-01",               /* a date alone */
        "2019-01-01T00:00:00",      /* no offset: local to whom? */
        "2019-01-01T00:00Z",        /* no seconds */
        "20190101T000000Z",         /* basic format */
        "2019-001T00:00:00Z",       /* ordinal date */
        "2019-W01-1T00:00:00Z",     /* week date */
        "2019-01-01T00:00:00+0100", /* offset without colon */
        "2019-01-01T00:00:00+01",   /* offset hours only */
        "2019-01-01T00:00:00.Z",    /* a point with no digits */
        "2019-01-01T00:00:00,5Z",   /* a comma for the point */
        " 2019-01-01T00:00:00Z",    /* spaces around */
        "2019-01-01T00:00:00Z ",
        "2019-01-01T00:00:00ZZ",
        "2019-01-01  00:00:00Z", /* two spaces */
        "2019-01-01_00:00:00Z",
        "+2019-01-01T00:00:00Z", /* signed or long years */
        "12019-01-01T00:00:00Z",
        "2019-1-01T00:00:00Z",
        "2019-01-01T0:00:00Z",
        "2019-01-01T00:00:00 01:00",       /* a '+' decoded as a space from a query string */
        "2019-01-01T00:00:00\xef\xbc\x9a", /* full-width colon */
        "٢٠١٩-01-01T00:00:00Z",            /* digits of another script */
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        expect_refused(forms[i]);
}

static void test_overlong_text_is_refused_without_reading_it_all(void **state) {
    (void)state;
    char text[200];
    memset(text, '0', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    memcpy(text, "2019-01-01T00:00:00.", 20);
    text[sizeof text - 2] = 'Z';
    expect_refused(text);
}

static void test_format_writes_utc_with_microseconds(void **state) {
    (void)state;
    expect_format(0, 0, "1970-01-01T00:00:00.000000Z");
    expect_format(1548979199, 123456789, "2019-01-31T23:59:59.123456Z");
    expect_format(-1, 999999999, "1969-12-31T23:59:59.999999Z");
    expect_format(951825600, 0, "2000-02-29T12:00:00.000000Z");
    expect_format(253402300799LL, 0, "9999-12-31T23:59:59.000000Z");
    expect_format(-62167219200LL, 0, "0000-01-01T00:00:00.000000Z");
}

static void test_format_refuses_years_it_cannot_write_and_small_buffers(void **state) {
    (void)state;
    char buf[RFC3339_FORMAT_SIZE];
    struct timespec t = {253402300800LL, 0}; /* 10000-01-01 */
    assert_int_equal(rfc3339_format_utc(&t, buf, sizeof buf), -1);
    t.tv_sec = -62167219201LL;
    assert_int_equal(rfc3339_format_utc(&t, buf, sizeof buf), -1);
    t.tv_sec = 0;
    assert_int_equal(rfc3339_format_utc(&t, buf, 10), -1);
}

static void test_parse_and_format_round_trip_every_day_of_a_leap_cycle(void **state) {
    (void)state;
    /* Every day from 1999-12-25 to 2005-01-05, at 13:14:15.000016 with offset -07:30:
     * the instant formatted in UTC parses back to itself. */
    for (long long day = 10950; day < 12789; day++) {
        struct timespec t = {(time_t)(day * 86400 + 47655), 16000}, back;
        char buf[RFC3339_FORMAT_SIZE];
        assert_true(rfc3339_format_utc(&t, buf, sizeof buf) > 0);
        assert_true(rfc3339_parse(buf, &back));
        assert_int_equal((long long)back.tv_sec, (long long)t.tv_sec);
        assert_int_equal(back.tv_nsec, t.tv_nsec);
    }
}

/* The cases the snapshot parser was written with (issue 10), kept when the two were
 * made one. */
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
        cmocka_unit_test(test_utc_timestamps_name_their_instant),
        cmocka_unit_test(test_offsets_are_taken_away_to_reach_utc),
        cmocka_unit_test(test_fractions_give_nanoseconds),
        cmocka_unit_test(test_lower_case_letters_and_a_space_are_taken),
        cmocka_unit_test(test_leap_second_counts_as_the_next_second),
        cmocka_unit_test(test_days_must_exist_in_their_month),
        cmocka_unit_test(test_times_and_offsets_out_of_range_are_refused),
        cmocka_unit_test(test_words_postgresql_would_take_are_refused),
        cmocka_unit_test(test_other_iso_8601_forms_are_refused),
        cmocka_unit_test(test_overlong_text_is_refused_without_reading_it_all),
        cmocka_unit_test(test_format_writes_utc_with_microseconds),
        cmocka_unit_test(test_format_refuses_years_it_cannot_write_and_small_buffers),
        cmocka_unit_test(test_parse_and_format_round_trip_every_day_of_a_leap_cycle),
        cmocka_unit_test(test_utc_offsets_and_fractions_give_the_same_instant),
        cmocka_unit_test(test_anything_else_is_refused),
        cmocka_unit_test(test_the_utc_form_round_trips_with_microseconds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
