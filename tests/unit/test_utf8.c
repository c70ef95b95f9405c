/* UTF-8 validity: every well-formed sequence length passes; overlongs, surrogates, code
 * points above U+10FFFF, stray and missing continuation bytes fail at the byte where the
 * bad sequence starts, with the line and byte column a partner can find. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/utf8.h"

static void expect_valid(const char *data, size_t len) {
    struct utf8_fault f = {99, 99, 99, 0};
    if (!utf8_valid(data, len, &f))
        fail_msg("valid UTF-8 of %zu bytes refused at offset %zu (byte 0x%02X)", len, f.offset,
                 f.byte);
}

static void expect_invalid_at(const char *data, size_t len, size_t offset) {
    struct utf8_fault f = {99, 99, 99, 0};
    if (utf8_valid(data, len, &f))
        fail_msg("invalid UTF-8 (%zu bytes, bad at %zu) was accepted", len, offset);
    assert_int_equal(f.offset, offset);
    assert_int_equal(f.byte, (unsigned char)data[offset]);
}

/* String literals, measured by the compiler so a length cannot be miscounted. */
#define VALID(lit) expect_valid(lit, sizeof(lit) - 1)
#define INVALID_AT(lit, at) expect_invalid_at(lit, sizeof(lit) - 1, at)

static void expect_fault(const char *data, long line, long column, unsigned char byte) {
    struct utf8_fault f = {0};
    assert_false(utf8_valid(data, strlen(data), &f));
    assert_int_equal(f.line, line);
    assert_int_equal(f.column, column);
    assert_int_equal(f.byte, byte);
}

static void test_ascii_and_empty_text_are_valid(void **state) {
    (void)state;
    VALID("");
    VALID("metric,area,period,value\nthrive.x,E08000025,2019-01,12\n");
    expect_valid("a\0b", 3); /* NUL is a character; the CSV reader refuses it itself */
}

static void test_each_sequence_length_at_its_bounds_is_valid(void **state) {
    (void)state;
    VALID("\x7F");                                        /* U+007F, last one-byte */
    VALID("\xC2\x80");                                    /* U+0080, first two-byte */
    VALID("\xDF\xBF");                                    /* U+07FF */
    VALID("\xE0\xA0\x80");                                /* U+0800, first three-byte */
    VALID("\xED\x9F\xBF");                                /* U+D7FF, just below the surrogates */
    VALID("\xEE\x80\x80");                                /* U+E000, just above them */
    VALID("\xEF\xBF\xBF");                                /* U+FFFF */
    VALID("\xF0\x90\x80\x80");                            /* U+10000, first four-byte */
    VALID("\xF4\x8F\xBF\xBF");                            /* U+10FFFF, the last code point */
    VALID("caf\xC3\xA9 \xE2\x82\xAC 5 \xF0\x9F\x98\x80"); /* café € 5 😀 */
    VALID("\xEF\xBB\xBFmetric");                          /* a byte-order mark */
}

static void test_overlong_forms_are_refused(void **state) {
    (void)state;
    INVALID_AT("a\xC0\x80", 1);        /* NUL in two bytes */
    INVALID_AT("a\xC1\xBF", 1);        /* U+007F in two bytes */
    INVALID_AT("ab\xE0\x80\x80", 2);   /* NUL in three */
    INVALID_AT("ab\xE0\x9F\xBF", 2);   /* U+07FF in three */
    INVALID_AT("\xF0\x80\x80\x80", 0); /* NUL in four */
    INVALID_AT("\xF0\x8F\xBF\xBF", 0); /* U+FFFF in four */
}

static void test_surrogates_are_refused(void **state) {
    (void)state;
    INVALID_AT("x\xED\xA0\x80", 1);            /* U+D800 */
    INVALID_AT("x\xED\xBF\xBF", 1);            /* U+DFFF */
    INVALID_AT("\xED\xA0\xBD\xED\xB8\x80", 0); /* a CESU-8 surrogate pair */
}

static void test_code_points_above_u10ffff_and_bytes_that_never_start_are_refused(void **state) {
    (void)state;
    INVALID_AT("\xF4\x90\x80\x80", 0); /* U+110000 */
    INVALID_AT("\xF5\x80\x80\x80", 0);
    INVALID_AT("ok\xF8\x88\x80\x80\x80", 2); /* old five-byte form */
    INVALID_AT("ok\xFE", 2);
    INVALID_AT("ok\xFF", 2);
    INVALID_AT("\x80", 0);         /* a continuation byte with no lead */
    INVALID_AT("\xC3\xA9\xA9", 2); /* one continuation too many */
    INVALID_AT("caf\xE9", 3);      /* Latin-1 é */
}

static void test_truncated_sequences_are_refused_at_their_first_byte(void **state) {
    (void)state;
    INVALID_AT("ab\xE2\x82", 2);     /* file ends inside € */
    INVALID_AT("ab\xC3", 2);         /* file ends after a lead byte */
    INVALID_AT("ab\xF0\x9F\x98", 2); /* three of four bytes */
    INVALID_AT("\xE2\x82"
               "A",
               0); /* an ASCII byte where a continuation goes */
    INVALID_AT("\xF0\x9F\x98"
               "\n",
               0);
    INVALID_AT("\xC3\xC3\xA9", 0); /* a lead byte where a continuation goes */
    /* A length that stops inside a sequence whose bytes exist past it. */
    expect_invalid_at("ab\xC3\xA9", 3, 2);
}

/* Runs of ASCII are skipped in blocks; a bad byte at any offset within or after a block,
 * and a sequence that straddles a block edge, must still be found exactly. */
static void test_a_bad_byte_is_found_at_every_offset(void **state) {
    (void)state;
    for (size_t at = 0; at < 30; at++) {
        char buf[32];
        memset(buf, 'a', sizeof buf);
        buf[at] = (char)0xFF;
        expect_invalid_at(buf, sizeof buf, at);
    }
    for (size_t at = 0; at + 3 < 30; at++) {
        char buf[32];
        memset(buf, 'a', sizeof buf);
        memcpy(buf + at, "\xE2\x82\xAC", 3);
        expect_valid(buf, sizeof buf);
        buf[at + 2] = 'x';
        expect_invalid_at(buf, sizeof buf, at);
    }
}

static void test_the_fault_names_line_and_byte_column(void **state) {
    (void)state;
    expect_fault("\xFF", 1, 1, 0xFF);
    expect_fault("metric,note\nx,caf\xE9\n", 2, 6, 0xE9);
    expect_fault("a\r\nb\r\nc\xC0\x80", 3, 2, 0xC0);
    /* Columns count bytes: the two-byte é before the bad byte counts twice. */
    expect_fault("h\n\xC3\xA9\xFFz", 2, 3, 0xFF);
    /* A byte-order mark is invisible in an editor, so line 1 starts after it. */
    expect_fault("\xEF\xBB\xBF"
                 "ab\xFF",
                 1, 3, 0xFF);
    expect_fault("\xEF\xBB\xBF"
                 "ab\n\xFF",
                 2, 1, 0xFF);
    /* A line break inside a quoted CSV field still starts a new line. */
    expect_fault("n\n\"one\ntwo \xED\xA0\x80\"", 3, 5, 0xED);
}

static void test_fault_may_be_null(void **state) {
    (void)state;
    assert_false(utf8_valid("\xFF", 1, NULL));
    assert_true(utf8_valid("ok", 2, NULL));
}

static void test_prefix_len_never_cuts_a_character(void **state) {
    (void)state;
    assert_int_equal(utf8_prefix_len("abc", 10), 3);
    assert_int_equal(utf8_prefix_len("abcdef", 3), 3);
    assert_int_equal(utf8_prefix_len("", 3), 0);
    assert_int_equal(utf8_prefix_len("a\xC3\xA9", 3), 3); /* aé fits exactly */
    assert_int_equal(utf8_prefix_len("a\xC3\xA9", 2), 1); /* é would be cut: dropped */
    assert_int_equal(utf8_prefix_len("\xE2\x82\xAC", 2), 0);
    assert_int_equal(utf8_prefix_len("\xE2\x82\xAC"
                                     "x",
                                     3),
                     3);
    assert_int_equal(utf8_prefix_len("x\xF0\x9F\x98\x80y", 3), 1);
    assert_int_equal(utf8_prefix_len("x\xF0\x9F\x98\x80y", 4), 1);
    assert_int_equal(utf8_prefix_len("x\xF0\x9F\x98\x80y", 5), 5);
    assert_int_equal(utf8_prefix_len("x\xF0\x9F\x98\x80y", 0), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_and_empty_text_are_valid),
        cmocka_unit_test(test_each_sequence_length_at_its_bounds_is_valid),
        cmocka_unit_test(test_overlong_forms_are_refused),
        cmocka_unit_test(test_surrogates_are_refused),
        cmocka_unit_test(test_code_points_above_u10ffff_and_bytes_that_never_start_are_refused),
        cmocka_unit_test(test_truncated_sequences_are_refused_at_their_first_byte),
        cmocka_unit_test(test_a_bad_byte_is_found_at_every_offset),
        cmocka_unit_test(test_the_fault_names_line_and_byte_column),
        cmocka_unit_test(test_fault_may_be_null),
        cmocka_unit_test(test_prefix_len_never_cuts_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
