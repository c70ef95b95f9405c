/* CSV reader: RFC 4180 framing, line counting, and each error with its line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/csvread.h"

/* Reads the next record and checks it holds exactly the given fields (NULL ends the
 * list) and started on the given line. */
static void expect_record(struct csv_reader *r, long line, ...) {
    assert_int_equal(csv_read_record(r), CSV_RECORD);
    va_list ap;
    va_start(ap, line);
    int i = 0;
    for (const char *want; (want = va_arg(ap, const char *)) != NULL; i++) {
        assert_true(i < r->nfields);
        assert_string_equal(r->fields[i], want);
    }
    va_end(ap);
    assert_int_equal(r->nfields, i);
    assert_int_equal(r->record_line, line);
}

static void expect_error(struct csv_reader *r, long line, long column, const char *prefix) {
    assert_int_equal(csv_read_record(r), CSV_ERROR);
    assert_int_equal(r->error_line, line);
    assert_int_equal(r->error_column, column);
    assert_int_equal(r->nfields, 0);
    if (strncmp(r->error, prefix, strlen(prefix)) != 0)
        fail_msg("error \"%s\" does not start with \"%s\"", r->error, prefix);
}

static void test_plain_fields_split_on_commas(void **state) {
    (void)state;
    const char *s = "metric,area,period,value\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "metric", "area", "period", "value", NULL);
    assert_int_equal(csv_read_record(&r), CSV_END);
    csv_reader_free(&r);
}

static void test_quoted_field_keeps_commas_and_crlf(void **state) {
    (void)state;
    const char *s = "\"a,b\r\nc\",d\r\nnext\r\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "a,b\r\nc", "d", NULL);
    expect_record(&r, 3, "next", NULL);
    assert_int_equal(csv_read_record(&r), CSV_END);
    csv_reader_free(&r);
}

static void test_doubled_quotes_become_one_quote(void **state) {
    (void)state;
    const char *s = "\"say \"\"hi\"\"\",\"\"\"\"\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "say \"hi\"", "\"", NULL);
    csv_reader_free(&r);
}

static void test_crlf_lf_and_no_final_line_end_all_end_records(void **state) {
    (void)state;
    const char *s = "a,b\r\nc,d\ne,f";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "a", "b", NULL);
    expect_record(&r, 2, "c", "d", NULL);
    expect_record(&r, 3, "e", "f", NULL);
    assert_int_equal(csv_read_record(&r), CSV_END);
    csv_reader_free(&r);
}

static void test_cr_at_end_of_file_ends_the_record(void **state) {
    (void)state;
    const char *s = "a,b\r";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "a", "b", NULL);
    assert_int_equal(csv_read_record(&r), CSV_END);
    csv_reader_free(&r);
}

static void test_bom_at_start_is_skipped(void **state) {
    (void)state;
    const char *s = "\xEF\xBB\xBFmetric,area\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "metric", "area", NULL);
    csv_reader_free(&r);
}

static void test_bom_after_the_start_is_data(void **state) {
    (void)state;
    const char *s = "a\n\xEF\xBB\xBF"
                    "b\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "a", NULL);
    expect_record(&r, 2,
                  "\xEF\xBB\xBF"
                  "b",
                  NULL);
    csv_reader_free(&r);
}

static void test_bom_alone_has_no_records(void **state) {
    (void)state;
    struct csv_reader r;
    csv_reader_init(&r, "\xEF\xBB\xBF", 3);
    assert_int_equal(csv_read_record(&r), CSV_END);
    csv_reader_free(&r);
}

static void test_empty_input_has_no_records(void **state) {
    (void)state;
    struct csv_reader r;
    csv_reader_init(&r, "", 0);
    assert_int_equal(csv_read_record(&r), CSV_END);
    assert_int_equal(csv_read_record(&r), CSV_END);
    csv_reader_free(&r);
}

static void test_empty_lines_are_skipped_but_counted(void **state) {
    (void)state;
    const char *s = "\n\r\na\n\n\nb\n\r\n\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 3, "a", NULL);
    expect_record(&r, 6, "b", NULL);
    assert_int_equal(csv_read_record(&r), CSV_END);
    assert_int_equal(r.line, 9);
    csv_reader_free(&r);
}

static void test_quoted_newlines_advance_the_line_count(void **state) {
    (void)state;
    const char *s = "x\n\"1\n2\r\n3\",y\nz\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "x", NULL);
    expect_record(&r, 2, "1\n2\r\n3", "y", NULL);
    expect_record(&r, 5, "z", NULL);
    csv_reader_free(&r);
}

static void test_lone_cr_inside_quotes_is_data(void **state) {
    (void)state;
    const char *s = "\"a\rb\",c\nd\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "a\rb", "c", NULL);
    expect_record(&r, 2, "d", NULL);
    csv_reader_free(&r);
}

static void test_empty_fields_are_kept(void **state) {
    (void)state;
    const char *s = ",,\n\"\"\n\"\",x,\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "", "", "", NULL);
    expect_record(&r, 2, "", NULL);
    expect_record(&r, 3, "", "x", "", NULL);
    csv_reader_free(&r);
}

static void test_spaces_around_fields_are_data(void **state) {
    (void)state;
    const char *s = " a , b \n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, " a ", " b ", NULL);
    csv_reader_free(&r);
}

static void test_input_is_read_only_to_its_length(void **state) {
    (void)state;
    /* An exact-size heap copy with no NUL: ASan reports any read past the end. */
    char *s = malloc(3);
    memcpy(s, "a,b", 3);
    struct csv_reader r;
    csv_reader_init(&r, s, 3);
    expect_record(&r, 1, "a", "b", NULL);
    assert_int_equal(csv_read_record(&r), CSV_END);
    csv_reader_free(&r);
    csv_reader_init(&r, "x,yTRAILING", 3);
    expect_record(&r, 1, "x", "y", NULL);
    assert_int_equal(csv_read_record(&r), CSV_END);
    csv_reader_free(&r);
    free(s);
}

static void test_field_has_no_size_limit(void **state) {
    (void)state;
    size_t big = 3u << 20;
    char *s = malloc(big + 4);
    s[0] = '"';
    memset(s + 1, 'x', big);
    memcpy(s + 1 + big, "\",y", 3);
    struct csv_reader r;
    csv_reader_init(&r, s, big + 4);
    assert_int_equal(csv_read_record(&r), CSV_RECORD);
    assert_int_equal(r.nfields, 2);
    assert_int_equal(strlen(r.fields[0]), big);
    assert_string_equal(r.fields[1], "y");
    csv_reader_free(&r);
    free(s);
}

static char *fields_line(int n) {
    char *s = malloc((size_t)n * 3 + 2);
    size_t used = 0;
    for (int i = 0; i < n; i++)
        used += (size_t)sprintf(s + used, "%s%c", i ? "," : "", 'a' + i % 26);
    strcpy(s + used, "\n");
    return s;
}

static void test_sixty_four_fields_are_allowed(void **state) {
    (void)state;
    char *s = fields_line(CSV_MAX_FIELDS);
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    assert_int_equal(csv_read_record(&r), CSV_RECORD);
    assert_int_equal(r.nfields, CSV_MAX_FIELDS);
    assert_string_equal(r.fields[CSV_MAX_FIELDS - 1], "l");
    csv_reader_free(&r);
    free(s);
}

static void test_sixty_five_fields_are_an_error_at_the_extra_field(void **state) {
    (void)state;
    char *s = fields_line(CSV_MAX_FIELDS + 1);
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    /* 64 one-letter fields and their commas take columns 1..128. */
    expect_error(&r, 1, 129, "a record has more than 64 fields");
    csv_reader_free(&r);
    free(s);
}

static void test_unterminated_quote_points_at_the_opening_quote(void **state) {
    (void)state;
    const char *s = "a,b\nc,\"open\nmore,text\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "a", "b", NULL);
    expect_error(&r, 2, 3, "a quoted field is never closed");
    assert_string_equal(
        r.error,
        "a quoted field is never closed: the file ends before its closing quote mark (\")");
    csv_reader_free(&r);
}

static void test_quote_inside_unquoted_field_is_an_error(void **state) {
    (void)state;
    const char *s = "ok\na,b\"c\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "ok", NULL);
    expect_error(&r, 2, 4, "a quote mark (\") appears inside a field that does not start");
    assert_string_equal(r.error, "a quote mark (\") appears inside a field that does not start "
                                 "with one; quote the whole field and double the inner quote "
                                 "(\"\")");
    csv_reader_free(&r);
}

static void test_text_after_closing_quote_is_an_error(void **state) {
    (void)state;
    const char *s = "x\n\"ab\"c,d\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "x", NULL);
    expect_error(&r, 2, 5, "text follows the closing quote of a field");
    assert_string_equal(r.error, "text follows the closing quote of a field; only a comma or the "
                                 "end of the line may follow it (write a quote inside a quoted "
                                 "field as \"\")");
    csv_reader_free(&r);
}

static void test_space_after_closing_quote_is_an_error(void **state) {
    (void)state;
    const char *s = "\"a\" ,b\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_error(&r, 1, 4, "text follows the closing quote");
    csv_reader_free(&r);
}

static void test_nul_byte_is_an_error_where_it_stands(void **state) {
    (void)state;
    struct csv_reader r;
    csv_reader_init(&r, "a,b\0c\n", 6);
    expect_error(&r, 1, 4, "the file holds a NUL byte");
    csv_reader_free(&r);
    csv_reader_init(&r, "x\n\"q\nq\0\"\n", 9);
    expect_record(&r, 1, "x", NULL);
    expect_error(&r, 3, 2, "the file holds a NUL byte");
    csv_reader_free(&r);
    csv_reader_init(&r, "\"q\"\0", 4);
    expect_error(&r, 1, 4, "the file holds a NUL byte");
    csv_reader_free(&r);
}

static void test_lone_cr_outside_quotes_is_an_error(void **state) {
    (void)state;
    const char *s = "a\rb\r\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_error(&r, 1, 2, "a carriage return (CR) outside quotes must be followed by a line feed");
    csv_reader_free(&r);
    s = "x,\"a\"\rb\n";
    csv_reader_init(&r, s, strlen(s));
    expect_error(&r, 1, 6, "a carriage return (CR) outside quotes");
    csv_reader_free(&r);
}

static void test_error_line_counts_newlines_inside_quotes(void **state) {
    (void)state;
    const char *s = "\"a\nb\",c\"d\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_error(&r, 2, 5, "a quote mark");
    csv_reader_free(&r);
}

static void test_error_column_does_not_count_the_bom(void **state) {
    (void)state;
    const char *s = "\xEF\xBB\xBF"
                    "a\"b\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_error(&r, 1, 2, "a quote mark");
    csv_reader_free(&r);
}

static void test_error_is_final(void **state) {
    (void)state;
    const char *s = "a\"\nb\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_error(&r, 1, 2, "a quote mark");
    expect_error(&r, 1, 2, "a quote mark");
    csv_reader_free(&r);
}

static void test_fields_of_each_record_replace_the_last(void **state) {
    (void)state;
    const char *s = "a,b,c\nd\n";
    struct csv_reader r;
    csv_reader_init(&r, s, strlen(s));
    expect_record(&r, 1, "a", "b", "c", NULL);
    expect_record(&r, 2, "d", NULL);
    assert_null(r.fields[1]);
    assert_null(r.fields[2]);
    assert_int_equal(csv_read_record(&r), CSV_END);
    assert_null(r.fields[0]);
    csv_reader_free(&r);
}

static void test_each_field_says_whether_it_was_quoted(void **state) {
    (void)state;
    const char *text = "a,\"\",,\"x\"\n";
    struct csv_reader r;
    csv_reader_init(&r, text, strlen(text));
    expect_record(&r, 1, "a", "", "", "x", NULL);
    assert_false(r.quoted[0]);
    assert_true(r.quoted[1]);  /* "" : an empty text */
    assert_false(r.quoted[2]); /* nothing */
    assert_true(r.quoted[3]);
    csv_reader_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_fields_split_on_commas),
        cmocka_unit_test(test_quoted_field_keeps_commas_and_crlf),
        cmocka_unit_test(test_doubled_quotes_become_one_quote),
        cmocka_unit_test(test_crlf_lf_and_no_final_line_end_all_end_records),
        cmocka_unit_test(test_cr_at_end_of_file_ends_the_record),
        cmocka_unit_test(test_bom_at_start_is_skipped),
        cmocka_unit_test(test_bom_after_the_start_is_data),
        cmocka_unit_test(test_bom_alone_has_no_records),
        cmocka_unit_test(test_empty_input_has_no_records),
        cmocka_unit_test(test_empty_lines_are_skipped_but_counted),
        cmocka_unit_test(test_quoted_newlines_advance_the_line_count),
        cmocka_unit_test(test_lone_cr_inside_quotes_is_data),
        cmocka_unit_test(test_empty_fields_are_kept),
        cmocka_unit_test(test_spaces_around_fields_are_data),
        cmocka_unit_test(test_input_is_read_only_to_its_length),
        cmocka_unit_test(test_field_has_no_size_limit),
        cmocka_unit_test(test_sixty_four_fields_are_allowed),
        cmocka_unit_test(test_sixty_five_fields_are_an_error_at_the_extra_field),
        cmocka_unit_test(test_unterminated_quote_points_at_the_opening_quote),
        cmocka_unit_test(test_quote_inside_unquoted_field_is_an_error),
        cmocka_unit_test(test_text_after_closing_quote_is_an_error),
        cmocka_unit_test(test_space_after_closing_quote_is_an_error),
        cmocka_unit_test(test_nul_byte_is_an_error_where_it_stands),
        cmocka_unit_test(test_lone_cr_outside_quotes_is_an_error),
        cmocka_unit_test(test_error_line_counts_newlines_inside_quotes),
        cmocka_unit_test(test_error_column_does_not_count_the_bom),
        cmocka_unit_test(test_error_is_final),
        cmocka_unit_test(test_fields_of_each_record_replace_the_last),
        cmocka_unit_test(test_each_field_says_whether_it_was_quoted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
