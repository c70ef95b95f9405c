/* Media types: exact type and subtype, parameters aside; what does not parse; charset;
 * and the weights of Accept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/mediatype.h"

static void test_exact_types_match_case_aside_and_parameters_aside(void **state) {
    (void)state;
    const char *json[] = {"application/json",
                          "Application/JSON",
                          "application/json; charset=utf-8",
                          "application/json;charset=UTF-8",
                          "application/json ; charset=\"utf-8\"",
                          "application/json;",
                          "  application/json\t",
                          "application/json; foo=bar; baz=\"q;u,o\""};
    for (size_t i = 0; i < sizeof json / sizeof json[0]; i++)
        if (!mediatype_matches(json[i], "application/json"))
            fail_msg("\"%s\" is JSON but was not matched", json[i]);
    assert_true(mediatype_matches("text/csv", "text/csv"));
    assert_true(mediatype_matches("TEXT/CSV; header=present", "text/csv"));
}

static void test_types_that_only_begin_alike_do_not_match(void **state) {
    (void)state;
    const char *not_json[] = {"application/jsonx",
                              "application/json+x",
                              "application/json-patch+json",
                              "application/jso",
                              "application/problem+json",
                              "text/json",
                              "application/json, text/csv",
                              "application/json x",
                              "application/json;charset",
                              "application/json; =x",
                              "application/json; a=\"open",
                              "application /json",
                              "application/ json",
                              "application/json\r\n",
                              "",
                              "application",
                              "/json",
                              "application/"};
    for (size_t i = 0; i < sizeof not_json / sizeof not_json[0]; i++)
        if (mediatype_matches(not_json[i], "application/json"))
            fail_msg("\"%s\" was taken as application/json", not_json[i]);
    assert_false(mediatype_matches("text/csvfoo", "text/csv"));
    assert_false(mediatype_matches("text/csv2", "text/csv"));
    assert_false(mediatype_matches("text/cs", "text/csv"));
    assert_false(mediatype_matches(NULL, "text/csv"));
}

static void test_charset_is_read_lower_case_and_unquoted(void **state) {
    (void)state;
    struct mediatype m;
    assert_true(mediatype_parse("text/csv; charset=UTF-8", &m));
    assert_true(m.has_charset);
    assert_string_equal(m.charset, "utf-8");
    assert_true(mediatype_parse("text/csv; Charset=\"ISO-8859-1\"", &m));
    assert_string_equal(m.charset, "iso-8859-1");
    assert_true(mediatype_parse("text/csv", &m));
    assert_false(m.has_charset);
    assert_string_equal(m.charset, "");
    char longer[200] = "text/csv; charset=";
    memset(longer + strlen(longer), 'a', 120);
    assert_true(mediatype_parse(longer, &m));
    assert_true(m.has_charset);
    assert_string_equal(m.charset, "?");
}

static void test_accept_weights_follow_the_most_specific_range(void **state) {
    (void)state;
    assert_true(mediatype_accept_weight(NULL, "text/csv") == 1);
    assert_true(mediatype_accept_weight("", "text/csv") == 1);
    assert_true(mediatype_accept_weight("text/csv", "text/csv") == 1);
    assert_true(mediatype_accept_weight("text/csv", "application/json") == 0);
    assert_true(mediatype_accept_weight("text/csvfoo", "text/csv") == 0);
    assert_true(mediatype_accept_weight("application/json, text/csv;q=0.5", "text/csv") == 0.5);
    assert_true(mediatype_accept_weight("*/*;q=0.1, text/*;q=0.3", "text/csv") == 0.3);
    assert_true(mediatype_accept_weight("*/*;q=0.1, text/*;q=0.3", "application/json") == 0.1);
    assert_true(mediatype_accept_weight("text/*, text/csv;q=0", "text/csv") == 0);
    assert_true(mediatype_accept_weight("TEXT/CSV;Q=0.9", "text/csv") == 0.9);
}

static void test_accept_elements_that_do_not_parse_are_skipped(void **state) {
    (void)state;
    assert_true(mediatype_accept_weight("garbage, text/csv", "text/csv") == 1);
    assert_true(mediatype_accept_weight("text/csv;q=2, application/json", "text/csv") == 0);
    assert_true(mediatype_accept_weight("text/csv;q=0.1234", "text/csv") == 0);
    assert_true(mediatype_accept_weight("text/csv;q=1.5", "text/csv") == 0);
    assert_true(mediatype_accept_weight(",,,", "text/csv") == 0);
    assert_true(mediatype_accept_weight("text/csv x, application/json", "application/json") == 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_types_match_case_aside_and_parameters_aside),
        cmocka_unit_test(test_types_that_only_begin_alike_do_not_match),
        cmocka_unit_test(test_charset_is_read_lower_case_and_unquoted),
        cmocka_unit_test(test_accept_weights_follow_the_most_specific_range),
        cmocka_unit_test(test_accept_elements_that_do_not_parse_are_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
