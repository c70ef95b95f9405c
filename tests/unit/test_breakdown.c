/* Breakdown keys: sorted dimensions so one cell has one key, and the query filter forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/breakdown.h"

static void expect_key(const struct breakdown *b, const char *want) {
    char key[512];
    assert_int_equal(breakdown_key(b, key, sizeof key), (int)strlen(want));
    assert_string_equal(key, want);
}

static void expect_dims(const struct breakdown *b, const char *want) {
    char dims[512];
    assert_int_equal(breakdown_dims(b, dims, sizeof dims), (int)strlen(want));
    assert_string_equal(dims, want);
}

static void test_breakdown_key_sorts_dimensions(void **state) {
    (void)state;
    struct breakdown a = {0}, b = {0};
    assert_true(breakdown_add(&a, "sex", "female"));
    assert_true(breakdown_add(&a, "age_band", "16-24"));
    assert_true(breakdown_add(&b, "age_band", "16-24"));
    assert_true(breakdown_add(&b, "sex", "female"));
    expect_key(&a, "age_band=16-24;sex=female");
    expect_key(&b, "age_band=16-24;sex=female");
}

static void test_breakdown_key_of_the_total_is_empty(void **state) {
    (void)state;
    struct breakdown b = {0};
    char key[8] = "junk";
    assert_int_equal(breakdown_key(&b, key, sizeof key), 0);
    assert_string_equal(key, "");
}

static void test_breakdown_dims_are_sorted_and_joined(void **state) {
    (void)state;
    struct breakdown b = {0};
    assert_true(breakdown_add(&b, "sex", "male"));
    assert_true(breakdown_add(&b, "ethnicity", "white"));
    assert_true(breakdown_add(&b, "age_band", "65+"));
    expect_dims(&b, "age_band;ethnicity;sex");
    expect_key(&b, "age_band=65+;ethnicity=white;sex=male");
}

static void test_breakdown_key_reports_when_it_does_not_fit(void **state) {
    (void)state;
    struct breakdown b = {0};
    assert_true(breakdown_add(&b, "sex", "female"));
    char key[16];
    assert_int_equal(breakdown_key(&b, key, 10), -1);
    assert_int_equal(breakdown_dims(&b, key, 3), -1);
    assert_int_equal(breakdown_key(&b, key, 11), 10);
    assert_string_equal(key, "sex=female");
}

static void test_breakdown_add_refuses_duplicates_empty_and_long_names(void **state) {
    (void)state;
    struct breakdown b = {0};
    char long_dim[41], long_cat[49];
    memset(long_dim, 'd', 40);
    long_dim[40] = '\0';
    memset(long_cat, 'c', 48);
    long_cat[48] = '\0';
    assert_true(breakdown_add(&b, "sex", "female"));
    assert_false(breakdown_add(&b, "sex", "male"));
    assert_false(breakdown_add(&b, "", "x"));
    assert_false(breakdown_add(&b, long_dim, "x"));
    assert_false(breakdown_add(&b, "age", long_cat));
    long_dim[39] = '\0';
    long_cat[47] = '\0';
    assert_true(breakdown_add(&b, long_dim, long_cat));
    assert_int_equal(b.n, 2);
}

static void test_breakdown_add_refuses_a_ninth_dimension(void **state) {
    (void)state;
    struct breakdown b = {0};
    char dim[8];
    for (int i = 0; i < BREAKDOWN_MAX_DIMS; i++) {
        dim[0] = (char)('a' + i);
        dim[1] = '\0';
        assert_true(breakdown_add(&b, dim, "x"));
    }
    assert_false(breakdown_add(&b, "z", "x"));
    assert_int_equal(b.n, BREAKDOWN_MAX_DIMS);
}

static void test_filter_parses_equals_pair(void **state) {
    (void)state;
    struct breakdown b;
    bool dims_only = true;
    assert_true(breakdown_parse_filter("sex=female", &b, &dims_only));
    assert_false(dims_only);
    expect_key(&b, "sex=female");
}

static void test_filter_parses_colon_pairs_and_mixed_separators(void **state) {
    (void)state;
    struct breakdown b;
    bool dims_only = true;
    assert_true(breakdown_parse_filter("sex:female", &b, &dims_only));
    assert_false(dims_only);
    expect_key(&b, "sex=female");
    assert_true(breakdown_parse_filter("sex:female;age_band=16-24", &b, &dims_only));
    expect_key(&b, "age_band=16-24;sex=female");
    assert_true(breakdown_parse_filter("sex=male,age_band:65+", &b, &dims_only));
    expect_key(&b, "age_band=65+;sex=male");
}

static void test_filter_parses_dimensions_only(void **state) {
    (void)state;
    struct breakdown b;
    bool dims_only = false;
    assert_true(breakdown_parse_filter("sex", &b, &dims_only));
    assert_true(dims_only);
    expect_dims(&b, "sex");
    dims_only = false;
    assert_true(breakdown_parse_filter("sex,age_band", &b, &dims_only));
    assert_true(dims_only);
    expect_dims(&b, "age_band;sex");
}

static void test_filter_refuses_bad_forms(void **state) {
    (void)state;
    const char *bad[] = {"",        "sex=female,age_band", "sex=", ":female",
                         "=female", ";sex=female",         "a;;b", "sex=female;sex=male",
                         "sex,sex", "a,b,c,d,e,f,g,h,i"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct breakdown b;
        bool dims_only = false;
        if (breakdown_parse_filter(bad[i], &b, &dims_only))
            fail_msg("filter \"%s\" was accepted", bad[i]);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_breakdown_key_sorts_dimensions),
        cmocka_unit_test(test_breakdown_key_of_the_total_is_empty),
        cmocka_unit_test(test_breakdown_dims_are_sorted_and_joined),
        cmocka_unit_test(test_breakdown_key_reports_when_it_does_not_fit),
        cmocka_unit_test(test_breakdown_add_refuses_duplicates_empty_and_long_names),
        cmocka_unit_test(test_breakdown_add_refuses_a_ninth_dimension),
        cmocka_unit_test(test_filter_parses_equals_pair),
        cmocka_unit_test(test_filter_parses_colon_pairs_and_mixed_separators),
        cmocka_unit_test(test_filter_parses_dimensions_only),
        cmocka_unit_test(test_filter_refuses_bad_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
