/* CSV writer: RFC 4180 quoting and the spreadsheet formula guard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/csv.h"

/* Writes one field as the second of a record (so the separator shows) and compares. */
static void expect_field(const char *field, const char *want) {
    struct strbuf b;
    strbuf_init(&b);
    assert_true(csv_put_field(&b, "x", true));
    assert_true(csv_put_field(&b, field, false));
    assert_string_equal(b.data, want);
    strbuf_free(&b);
}

static void test_plain_field_is_written_as_is(void **state) {
    (void)state;
    expect_field("Birmingham", "x,Birmingham");
    expect_field("", "x,");
    expect_field(NULL, "x,");
    expect_field("it's", "x,it's");
}

static void test_first_field_has_no_separator_and_record_ends_with_crlf(void **state) {
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    assert_true(csv_put_field(&b, "area", true));
    assert_true(csv_put_field(&b, "value", false));
    assert_true(csv_end_record(&b));
    assert_true(csv_put_field(&b, "E08000025", true));
    assert_true(csv_end_record(&b));
    assert_string_equal(b.data, "area,value\r\nE08000025\r\n");
    strbuf_free(&b);
}

static void test_field_with_comma_is_quoted(void **state) {
    (void)state;
    expect_field("Coventry, Solihull", "x,\"Coventry, Solihull\"");
}

static void test_field_with_quote_is_quoted_and_quote_doubled(void **state) {
    (void)state;
    expect_field("say \"hi\"", "x,\"say \"\"hi\"\"\"");
    expect_field("\"", "x,\"\"\"\"");
}

static void test_field_with_cr_or_lf_is_quoted(void **state) {
    (void)state;
    expect_field("a\nb", "x,\"a\nb\"");
    expect_field("a\rb", "x,\"a\rb\"");
    expect_field("a\r\nb", "x,\"a\r\nb\"");
}

static void test_formula_prefixes_are_quoted_with_an_apostrophe(void **state) {
    (void)state;
    expect_field("=SUM(A1:A9)", "x,\"'=SUM(A1:A9)\"");
    expect_field("+cmd", "x,\"'+cmd\"");
    expect_field("-2+3", "x,\"'-2+3\"");
    expect_field("@SUM(A1)", "x,\"'@SUM(A1)\"");
    expect_field("=HYPERLINK(\"http://x\")", "x,\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect_field("-", "x,\"'-\"");
}

static void test_signed_numbers_are_not_taken_for_formulas(void **state) {
    (void)state;
    expect_field("-3", "x,-3");
    expect_field("-26.5", "x,-26.5");
    expect_field("+7", "x,+7");
    expect_field("-1.5e3", "x,-1.5e3");
}

static void test_words_strtod_reads_as_numbers_are_still_guarded(void **state) {
    (void)state;
    /* strtod takes these for numbers, but a spreadsheet evaluates them as formulas. */
    expect_field("-inf", "x,\"'-inf\"");
    expect_field("-nan", "x,\"'-nan\"");
    expect_field("+Infinity", "x,\"'+Infinity\"");
    expect_field("-0x1A", "x,\"'-0x1A\"");
}

static void test_formula_characters_after_the_start_are_not_guarded(void **state) {
    (void)state;
    expect_field("a=b", "x,a=b");
    expect_field("16-24", "x,16-24");
    expect_field("user@example.org", "x,user@example.org");
}

static void test_an_empty_text_is_written_as_two_quotes(void **state) {
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    csv_put_text(&b, "x", true);
    csv_put_text(&b, "", false);
    csv_put_text(&b, NULL, false);
    csv_put_text(&b, "a,b", false);
    csv_put_text(&b, "", false);
    assert_string_equal(b.data, "x,\"\",,\"a,b\",\"\"");
    strbuf_reset(&b);
    csv_put_text(&b, "", true);
    assert_string_equal(b.data, "\"\"");
    strbuf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_field_is_written_as_is),
        cmocka_unit_test(test_first_field_has_no_separator_and_record_ends_with_crlf),
        cmocka_unit_test(test_field_with_comma_is_quoted),
        cmocka_unit_test(test_field_with_quote_is_quoted_and_quote_doubled),
        cmocka_unit_test(test_field_with_cr_or_lf_is_quoted),
        cmocka_unit_test(test_formula_prefixes_are_quoted_with_an_apostrophe),
        cmocka_unit_test(test_signed_numbers_are_not_taken_for_formulas),
        cmocka_unit_test(test_words_strtod_reads_as_numbers_are_still_guarded),
        cmocka_unit_test(test_formula_characters_after_the_start_are_not_guarded),
        cmocka_unit_test(test_an_empty_text_is_written_as_two_quotes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
