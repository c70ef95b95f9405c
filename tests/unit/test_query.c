/* Query parameters against a route's names, suggestions, code patterns and key-like
 * text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/query.h"

static const char *const observation_params[] = {"metric",    "area",         "from", "to",
                                                 "breakdown", "updatedAfter", "last", "limit",
                                                 "cursor",    "format",       NULL};

static void expect_fault(const char *const *names, const char *const *values, size_t n,
                         enum query_fault want, size_t want_at) {
    size_t at = 99;
    assert_int_equal(query_check(names, values, n, observation_params, &at), want);
    assert_int_equal(at, want_at);
}

static void test_known_names_with_values_pass(void **state) {
    (void)state;
    const char *names[] = {"metric", "area", "from", "limit"};
    const char *values[] = {"mhfa.people_trained", "E08000025", "2019-01", "10"};
    size_t at = 99;
    assert_int_equal(query_check(names, values, 4, observation_params, &at), QUERY_OK);
    assert_int_equal(at, 99);
    assert_int_equal(query_check(NULL, NULL, 0, NULL, &at), QUERY_OK);
}

static void test_an_unknown_name_is_found_wherever_it_is(void **state) {
    (void)state;
    const char *names[] = {"metric", "perod", "area"};
    const char *values[] = {"a.b", "2019-01", "E08000025"};
    expect_fault(names, values, 3, QUERY_UNKNOWN, 1);
    const char *period[] = {"period"};
    const char *empty[] = {""};
    expect_fault(period, empty, 1, QUERY_UNKNOWN, 0); /* "period=" is not a parameter */
    const char *cased[] = {"Metric"};
    expect_fault(cased, values, 1, QUERY_UNKNOWN, 0);
    size_t at = 99;
    assert_int_equal(query_check(names, values, 1, NULL, &at), QUERY_UNKNOWN);
}

static void test_a_name_given_twice_is_refused(void **state) {
    (void)state;
    const char *names[] = {"metric", "area", "metric"};
    const char *values[] = {"a.b", "E08000025", "a.c"};
    expect_fault(names, values, 3, QUERY_REPEATED, 2);
}

static void test_an_empty_or_missing_value_is_refused(void **state) {
    (void)state;
    const char *names[] = {"metric", "area"};
    const char *values[] = {"a.b", ""};
    expect_fault(names, values, 2, QUERY_EMPTY, 1);
    const char *bare[] = {NULL, "x"};
    expect_fault(names, bare, 2, QUERY_EMPTY, 0);
}

static void test_unknown_is_reported_before_repeated_and_empty(void **state) {
    (void)state;
    const char *names[] = {"metric", "metric", "limt"};
    const char *values[] = {"", "a.b", "3"};
    expect_fault(names, values, 3, QUERY_UNKNOWN, 2);
}

static void test_suggestions_are_near_names_only(void **state) {
    (void)state;
    static const char *const area_params[] = {"metric", "period", "breakdown", NULL};
    assert_string_equal(query_suggest("perod", area_params), "period");      /* left out */
    assert_string_equal(query_suggest("periood", area_params), "period");    /* added */
    assert_string_equal(query_suggest("metirc", area_params), "metric");     /* swapped */
    assert_string_equal(query_suggest("Metric", area_params), "metric");     /* case */
    assert_string_equal(query_suggest("brekdwn", area_params), "breakdown"); /* two */
    assert_string_equal(query_suggest("updatedafter", observation_params), "updatedAfter");
    assert_string_equal(query_suggest("limt", observation_params), "limit");
    assert_null(query_suggest("colour", area_params));
    assert_null(query_suggest("x", observation_params));
    assert_null(query_suggest("perod", NULL));
    char longer[100];
    memset(longer, 'm', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_null(query_suggest(longer, area_params));
}

static void test_codes_follow_the_schemas_patterns(void **state) {
    (void)state;
    assert_true(code_metric_ok("mhfa.people_trained"));
    assert_true(code_metric_ok("on_the_move.active_adults_pct"));
    assert_true(code_metric_ok("a.b2"));
    const char *bad_metrics[] = {
        "mhfa",         "mhfa.",       ".people",      "Mhfa.people",         "mhfa.x",
        "mhfa.peo-ple", "1hfa.people", "mhfa..people", "mhfa.people trained", ""};
    for (size_t i = 0; i < sizeof bad_metrics / sizeof bad_metrics[0]; i++)
        if (code_metric_ok(bad_metrics[i]))
            fail_msg("\"%s\" taken as a metric code", bad_metrics[i]);
    assert_true(code_area_ok("E08000025"));
    assert_true(code_area_ok("K02000001"));
    assert_false(code_area_ok("E0800002"));
    assert_false(code_area_ok("e08000025"));
    assert_false(code_area_ok("X08000025"));
    assert_false(code_area_ok("E080000255"));
    assert_false(code_area_ok("E08 00025"));
    assert_true(code_programme_ok("on_the_move"));
    assert_false(code_programme_ok("m"));
    assert_false(code_programme_ok("On_the_move"));
    assert_true(code_category_ok("16-24"));
    assert_true(code_category_ok("65+"));
    assert_false(code_category_ok("-16"));
    assert_false(code_category_ok("Female"));
    assert_true(code_partner_ok("bcc"));
    assert_false(code_partner_ok("b"));
    assert_false(code_partner_ok("bcc_x"));
}

#define SECRET "Qm9vdHN0cmFwX2tleV9zZWNyZXRfdGV4dF80M2NoYXI"

static void test_key_like_text_is_spotted(void **state) {
    (void)state;
    const char *keylike[] = {"wbk_0123456789abcdef_" SECRET,
                             "/v1/admin/keys/wbk_0123/revoke",
                             "WBK_",
                             "wBk_", /* any case, letter by letter */
                             "/a/WbK_x",
                             "key=" SECRET,
                             "/x/" SECRET "/y",
                             "xwbk_1"};
    for (size_t i = 0; i < sizeof keylike / sizeof keylike[0]; i++)
        if (!query_keylike(keylike[i], strlen(keylike[i])))
            fail_msg("\"%s\" was not taken as key-like", keylike[i]);
    const char *plain[] = {"/v1/submissions/3f2a9c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6b",
                           "/v1/metrics/thrive.this_is_me_organisations_in_the_region_total",
                           "/v1/observations?metric=mhfa.people_trained&area=E08000025",
                           "/v1/admin/keys/3F2A9C1E-8B7D-4E6F-A5C4-1B2D3E4F5A6B/revoke",
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcde", /* 31: too short */
                           "wbk-",
                           "wbkx",
                           "vbk_",
                           "wck_",
                           "wbj_",
                           "wbk",
                           "w",                /* near misses */
                           "\x77\x62\x6b\x7f", /* '_' | 0x20 is 0x7f: the underscore is exact */
                           ""};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (query_keylike(plain[i], strlen(plain[i])))
            fail_msg("\"%s\" was taken as key-like", plain[i]);
}

static void test_redaction_replaces_each_key_like_run(void **state) {
    (void)state;
    char out[200];
    const char *path = "/v1/admin/keys/wbk_0123456789abcdef_" SECRET "/revoke";
    size_t n = query_redact(path, strlen(path), out, sizeof out);
    assert_string_equal(out, "/v1/admin/keys/[redacted]/revoke");
    assert_int_equal(n, strlen(out));
    const char *q = "a=" SECRET "&b=2&c=wbk_x";
    query_redact(q, strlen(q), out, sizeof out);
    assert_string_equal(out, "a=[redacted]&b=2&c=[redacted]");
    query_redact(path, strlen(path), out, 20);
    assert_string_equal(out, "/v1/admin/keys/[red");
    assert_int_equal(query_redact("abc", 3, out, 0), 0);
    const char *plain = "/v1/metrics/mhfa.people_trained";
    query_redact(plain, strlen(plain), out, sizeof out);
    assert_string_equal(out, plain);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_names_with_values_pass),
        cmocka_unit_test(test_an_unknown_name_is_found_wherever_it_is),
        cmocka_unit_test(test_a_name_given_twice_is_refused),
        cmocka_unit_test(test_an_empty_or_missing_value_is_refused),
        cmocka_unit_test(test_unknown_is_reported_before_repeated_and_empty),
        cmocka_unit_test(test_suggestions_are_near_names_only),
        cmocka_unit_test(test_codes_follow_the_schemas_patterns),
        cmocka_unit_test(test_key_like_text_is_spotted),
        cmocka_unit_test(test_redaction_replaces_each_key_like_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
