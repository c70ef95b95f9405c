/* The cell key set that refuses the same cell twice in a batch: a new key answers -1,
 * a repeat answers the row that sent it first, and nothing is lost as the table grows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/keyset.h"

static long add(struct keyset *s, const char *key, long ref) {
    return keyset_add(s, key, strlen(key), ref);
}

static void test_a_new_key_answers_minus_one(void **state) {
    (void)state;
    struct keyset *s = keyset_new(4);
    assert_non_null(s);
    assert_int_equal(add(s, "thrive.x|E08000025|24181|", 0), -1);
    assert_int_equal(add(s, "thrive.x|E08000025|24182|", 1), -1);
    keyset_free(s);
}

static void test_a_repeat_answers_the_first_rows_reference(void **state) {
    (void)state;
    struct keyset *s = keyset_new(4);
    assert_int_equal(add(s, "a|b|1|", 7), -1);
    assert_int_equal(add(s, "c|d|1|", 8), -1);
    assert_int_equal(add(s, "a|b|1|", 12), 7);
    /* A third send still names the first, not the latest. */
    assert_int_equal(add(s, "a|b|1|", 30), 7);
    assert_int_equal(add(s, "c|d|1|", 31), 8);
    keyset_free(s);
}

/* Keys are compared as bytes of the given length: a prefix, a longer key and keys that
 * differ after a NUL are all different cells. */
static void test_keys_are_compared_whole_by_length(void **state) {
    (void)state;
    struct keyset *s = keyset_new(4);
    assert_int_equal(keyset_add(s, "abc", 3, 1), -1);
    assert_int_equal(keyset_add(s, "ab", 2, 2), -1);
    assert_int_equal(keyset_add(s, "abcd", 4, 3), -1);
    assert_int_equal(keyset_add(s, "abc", 3, 4), 1);
    assert_int_equal(keyset_add(s, "x\0y", 3, 5), -1);
    assert_int_equal(keyset_add(s, "x\0z", 3, 6), -1);
    assert_int_equal(keyset_add(s, "x\0y", 3, 7), 5);
    assert_int_equal(keyset_add(s, "", 0, 8), -1);
    assert_int_equal(keyset_add(s, "", 0, 9), 8);
    keyset_free(s);
}

/* Sized for one key, filled with 100,000: every key stays findable with its own row
 * through each growth of the table. */
static void test_growth_past_many_keys_keeps_every_key(void **state) {
    (void)state;
    enum { N = 100000 };
    struct keyset *s = keyset_new(1);
    char key[64];
    for (long i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "thrive.x|E%08ld|%ld|sex=female", i % 997, i);
        if (keyset_add(s, key, (size_t)n, i) != -1)
            fail_msg("key %ld was reported as a repeat", i);
    }
    for (long i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "thrive.x|E%08ld|%ld|sex=female", i % 997, i);
        long first = keyset_add(s, key, (size_t)n, N + i);
        if (first != i)
            fail_msg("key %ld answered %ld", i, first);
    }
    keyset_free(s);
}

static void test_free_accepts_null(void **state) {
    (void)state;
    keyset_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_new_key_answers_minus_one),
        cmocka_unit_test(test_a_repeat_answers_the_first_rows_reference),
        cmocka_unit_test(test_keys_are_compared_whole_by_length),
        cmocka_unit_test(test_growth_past_many_keys_keeps_every_key),
        cmocka_unit_test(test_free_accepts_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
