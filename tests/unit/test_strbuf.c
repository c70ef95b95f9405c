/* Growable buffer: appends of every kind, growth, hand-over and reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/strbuf.h"

static void test_appends_keep_bytes_in_order_with_a_nul_after(void **state) {
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    assert_true(strbuf_append(&b, "ab\0c", 4));
    assert_true(strbuf_puts(&b, "de"));
    assert_true(strbuf_putc(&b, 'f'));
    assert_true(strbuf_printf(&b, "-%d-%s", 42, "x"));
    assert_int_equal(b.len, 12);
    assert_memory_equal(b.data, "ab\0cdef-42-x", 13);
    assert_false(b.failed);
    strbuf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void test_buffer_grows_past_its_first_capacity(void **state) {
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    for (int i = 0; i < 10000; i++)
        assert_true(strbuf_putc(&b, (char)('a' + i % 26)));
    assert_true(strbuf_printf(&b, "%0500d", 7));
    assert_int_equal(b.len, 10500);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[9999], 'a' + 9999 % 26);
    assert_int_equal(b.data[10499], '7');
    assert_int_equal(b.data[10500], '\0');
    strbuf_free(&b);
}

static void test_take_hands_over_the_bytes_and_empties_the_buffer(void **state) {
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    strbuf_puts(&b, "hello");
    size_t len = 0;
    char *s = strbuf_take(&b, &len);
    assert_string_equal(s, "hello");
    assert_int_equal(len, 5);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(s);
}

static void test_take_of_an_empty_buffer_gives_an_empty_string(void **state) {
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    size_t len = 99;
    char *s = strbuf_take(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
}

static void test_reset_empties_but_keeps_the_allocation(void **state) {
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    strbuf_puts(&b, "some text");
    char *before = b.data;
    size_t cap = b.cap;
    strbuf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    assert_ptr_equal(b.data, before);
    assert_int_equal(b.cap, cap);
    strbuf_puts(&b, "new");
    assert_string_equal(b.data, "new");
    strbuf_free(&b);
}

static void test_append_of_nothing_still_terminates(void **state) {
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    assert_true(strbuf_append(&b, NULL, 0));
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    strbuf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appends_keep_bytes_in_order_with_a_nul_after),
        cmocka_unit_test(test_buffer_grows_past_its_first_capacity),
        cmocka_unit_test(test_take_hands_over_the_bytes_and_empties_the_buffer),
        cmocka_unit_test(test_take_of_an_empty_buffer_gives_an_empty_string),
        cmocka_unit_test(test_reset_empties_but_keeps_the_allocation),
        cmocka_unit_test(test_append_of_nothing_still_terminates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
