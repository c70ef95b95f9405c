/* COPY text rows for the staging table: fields joined by tabs, rows ended by a newline,
 * backslash, tab, newline and carriage return escaped, NULL written as \N. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/copytext.h"

/* Builds one row from the fields (a NULL entry is SQL NULL) and checks the bytes. */
static void expect_row(const char *const *fields, int n, const char *want) {
    struct strbuf b;
    strbuf_init(&b);
    for (int i = 0; i < n; i++)
        assert_true(copy_put_field(&b, fields[i], i == 0));
    assert_true(copy_end_row(&b));
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    strbuf_free(&b);
}

static void test_fields_are_joined_by_tabs_and_end_with_a_newline(void **state) {
    (void)state;
    const char *f[] = {"0", "thrive.x", "E08000025", "2019-01-01"};
    expect_row(f, 4, "0\tthrive.x\tE08000025\t2019-01-01\n");
    const char *one[] = {"only"};
    expect_row(one, 1, "only\n");
}

static void test_tab_newline_and_carriage_return_are_escaped(void **state) {
    (void)state;
    const char *f[] = {"a\tb", "line one\nline two", "cr\rhere"};
    expect_row(f, 3, "a\\tb\tline one\\nline two\tcr\\rhere\n");
    const char *edges[] = {"\tstart", "end\n", "\r\n"};
    expect_row(edges, 3, "\\tstart\tend\\n\t\\r\\n\n");
}

static void test_a_backslash_is_doubled(void **state) {
    (void)state;
    const char *f[] = {"C:\\temp", "\\\\", "\\"};
    expect_row(f, 3, "C:\\\\temp\t\\\\\\\\\t\\\\\n");
}

/* NULL is \N; the two characters \N sent as text must not read back as NULL. */
static void test_null_is_backslash_n_and_text_backslash_n_is_not(void **state) {
    (void)state;
    const char *f[] = {NULL, "x", NULL};
    expect_row(f, 3, "\\N\tx\t\\N\n");
    const char *text[] = {"\\N"};
    expect_row(text, 1, "\\\\N\n");
    const char *empty[] = {"", NULL, ""};
    expect_row(empty, 3, "\t\\N\t\n"); /* empty text stays empty, not NULL */
}

static void test_other_bytes_pass_through(void **state) {
    (void)state;
    const char *f[] = {"caf\xC3\xA9 \xE2\x82\xAC \"quoted\", 'single'; |pipe|"};
    expect_row(f, 1, "caf\xC3\xA9 \xE2\x82\xAC \"quoted\", 'single'; |pipe|\n");
}

static void test_rows_follow_one_another(void **state) {
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    copy_put_field(&b, "1", true);
    copy_put_field(&b, "a\tb", false);
    copy_end_row(&b);
    copy_put_field(&b, "2", true);
    copy_put_field(&b, NULL, false);
    copy_end_row(&b);
    const char *want = "1\ta\\tb\n2\t\\N\n";
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    strbuf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_are_joined_by_tabs_and_end_with_a_newline),
        cmocka_unit_test(test_tab_newline_and_carriage_return_are_escaped),
        cmocka_unit_test(test_a_backslash_is_doubled),
        cmocka_unit_test(test_null_is_backslash_n_and_text_backslash_n_is_not),
        cmocka_unit_test(test_other_bytes_pass_through),
        cmocka_unit_test(test_rows_follow_one_another),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
