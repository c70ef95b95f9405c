/* JSON observations read into rows: each field lands where ingest_check_row expects it,
 * numbers become the shortest exact text, and every shape fault is listed with its
 * field, code and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/ingest_json.h"
#include "domain/utf8.h"

#define UNKNOWN_FIELD_TAIL                                                                         \
    " is not a field of an observation; the fields are metric, area, period, value, lower, "       \
    "upper, breakdown, status, note, delete"

/* Reads one row from JSON text; the parsed object is kept in *doc for the caller to
 * free, since the row's text points into it. */
static bool read_row(const char *text, json_t **doc, struct ingest_json_row *row,
                     struct ingest_errors *errs) {
    json_error_t err;
    *doc = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (!*doc)
        fail_msg("test JSON does not parse: %s: %s", err.text, text);
    ingest_errors_clear(errs);
    return ingest_json_read_row(*doc, row, errs);
}

static void expect_error(const struct ingest_errors *errs, int i, const char *field,
                         const char *code, const char *message) {
    assert_true(i < errs->n);
    if (field)
        assert_string_equal(errs->items[i].field, field);
    else
        assert_null(errs->items[i].field);
    assert_string_equal(errs->items[i].code, code);
    assert_string_equal(errs->items[i].message, message);
}

static void test_a_full_row_fills_every_field(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_true(read_row("{\"metric\": \"thrive.ips_referrals\", \"area\": \"E08000025\", "
                         "\"period\": \"2019-02\", \"value\": 412, \"lower\": 400.5, "
                         "\"upper\": 420, \"breakdown\": {\"sex\": \"female\", \"age_band\": "
                         "\"16-24\"}, \"status\": \"final\", \"note\": \"re-count\", "
                         "\"delete\": false}",
                         &doc, &row, &errs));
    assert_int_equal(errs.n, 0);
    assert_string_equal(row.raw.metric, "thrive.ips_referrals");
    assert_string_equal(row.raw.area, "E08000025");
    assert_string_equal(row.raw.period, "2019-02");
    assert_string_equal(row.raw.value, "412");
    assert_string_equal(row.raw.lower, "400.5");
    assert_string_equal(row.raw.upper, "420");
    assert_string_equal(row.raw.status, "final");
    assert_string_equal(row.raw.note, "re-count");
    assert_false(row.raw.del);
    assert_int_equal(row.raw.breakdown.n, 2);
    assert_string_equal(row.raw.breakdown.dim[0], "sex");
    assert_string_equal(row.raw.breakdown.cat[0], "female");
    assert_string_equal(row.raw.breakdown.dim[1], "age_band");
    assert_string_equal(row.raw.breakdown.cat[1], "16-24");
    json_decref(doc);
    ingest_errors_free(&errs);
}

static void test_absent_and_null_fields_are_left_null(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_true(read_row("{\"metric\": \"m.x\", \"area\": null, \"value\": null, \"lower\": "
                         "null, \"breakdown\": null, \"delete\": true}",
                         &doc, &row, &errs));
    assert_string_equal(row.raw.metric, "m.x");
    assert_null(row.raw.area);
    assert_null(row.raw.period);
    assert_null(row.raw.value);
    assert_null(row.raw.lower);
    assert_null(row.raw.upper);
    assert_null(row.raw.status);
    assert_null(row.raw.note);
    assert_int_equal(row.raw.breakdown.n, 0);
    assert_true(row.raw.del);
    json_decref(doc);
    assert_true(read_row("{}", &doc, &row, &errs));
    assert_null(row.raw.metric);
    assert_false(row.raw.del);
    json_decref(doc);
    ingest_errors_free(&errs);
}

/* A correction keeps what it leaves out: absent, null and a value are three answers. */
static void test_a_correction_tells_absent_from_null_from_a_value(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_true(read_row("{\"metric\": \"m.x\", \"value\": 5}", &doc, &row, &errs));
    assert_false(row.raw.has_note);
    assert_false(row.raw.has_status);
    assert_false(row.raw.has_lower);
    assert_false(row.raw.has_upper);
    json_decref(doc);
    assert_true(read_row("{\"metric\": \"m.x\", \"value\": 5, \"note\": null, \"status\": \"\", "
                         "\"lower\": null, \"upper\": 7}",
                         &doc, &row, &errs));
    assert_true(row.raw.has_note);
    assert_null(row.raw.note);
    assert_true(row.raw.has_status);
    assert_string_equal(row.raw.status, "");
    assert_true(row.raw.has_lower);
    assert_null(row.raw.lower);
    assert_true(row.raw.has_upper);
    assert_string_equal(row.raw.upper, "7");
    assert_int_equal(ingest_field_change(row.raw.has_note, row.raw.note), INGEST_CLEAR);
    assert_int_equal(ingest_field_change(row.raw.has_status, row.raw.status), INGEST_CLEAR);
    assert_int_equal(ingest_field_change(row.raw.has_upper, row.raw.upper), INGEST_SET);
    json_decref(doc);
    ingest_errors_free(&errs);
}

static void expect_number_text(json_t *v, const char *want) {
    char out[INGEST_JSON_NUMBER_SIZE] = "untouched";
    assert_true(ingest_json_number_text(v, out, sizeof out));
    assert_string_equal(out, want);
    json_decref(v);
}

static void test_numbers_become_the_shortest_exact_text(void **state) {
    (void)state;
    expect_number_text(json_integer(412), "412");
    expect_number_text(json_integer(-3), "-3");
    expect_number_text(json_integer(9007199254740993LL), "9007199254740993");
    expect_number_text(json_integer(INT64_MIN), "-9223372036854775808");
    expect_number_text(json_real(0.1), "0.1");
    expect_number_text(json_real(26.5), "26.5");
    expect_number_text(json_real(1000.0), "1000");
    expect_number_text(json_real(1e20), "1e+20");
    expect_number_text(json_real(2.5e-3), "0.0025");
    expect_number_text(json_real(1.000000000000001), "1.000000000000001");     /* 16 digits */
    expect_number_text(json_real(0.30000000000000004), "0.30000000000000004"); /* 17 */
    expect_number_text(json_real(-2.2250738585072014e-308), "-2.2250738585072014e-308");
}

static void test_only_numbers_have_number_text(void **state) {
    (void)state;
    json_t *bad[] = {json_string("12"), json_true(), json_null(), json_array(), json_object()};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[INGEST_JSON_NUMBER_SIZE] = "untouched";
        assert_false(ingest_json_number_text(bad[i], out, sizeof out));
        assert_string_equal(out, "untouched");
        json_decref(bad[i]);
    }
}

/* Reals in a row are written as the shortest text, so "26.50" arrives as 26.5. */
static void test_numbers_in_a_row_are_written_as_text(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_true(read_row("{\"value\": 26.50, \"lower\": 1e3, \"upper\": -0.0}", &doc, &row, &errs));
    assert_string_equal(row.raw.value, "26.5");
    assert_string_equal(row.raw.lower, "1000");
    assert_string_equal(row.raw.upper, "-0");
    assert_ptr_equal(row.raw.value, row.value);
    json_decref(doc);
    ingest_errors_free(&errs);
}

/* A string is passed on as sent, however long, for ingest_check_row to judge; a copy
 * into a fixed buffer would cut "1" and seventy zeros to a different number. */
static void test_a_number_sent_as_a_string_is_passed_on_whole(void **state) {
    (void)state;
    char text[200];
    char digits[72];
    memset(digits, '0', sizeof digits);
    digits[0] = '1';
    digits[71] = '\0';
    snprintf(text, sizeof text, "{\"value\": \"%s\", \"lower\": \"1,000\"}", digits);
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_true(read_row(text, &doc, &row, &errs));
    assert_string_equal(row.raw.value, digits);
    assert_int_equal(strlen(row.raw.value), 71);
    assert_string_equal(row.raw.lower, "1,000");
    json_decref(doc);
    ingest_errors_free(&errs);
}

static void test_an_element_that_is_not_an_object_is_refused(void **state) {
    (void)state;
    const char *bad[] = {"[1, 2]", "\"metric\"", "12", "null", "true"};
    struct ingest_errors errs = {0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *doc = json_loads(bad[i], JSON_DECODE_ANY, NULL);
        assert_non_null(doc);
        struct ingest_json_row row;
        ingest_errors_clear(&errs);
        assert_false(ingest_json_read_row(doc, &row, &errs));
        assert_int_equal(errs.n, 1);
        expect_error(&errs, 0, NULL, "not_an_object", "each observation must be an object");
        json_decref(doc);
    }
    ingest_errors_free(&errs);
}

static void test_each_unknown_field_is_listed_in_order(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_false(read_row("{\"metric\": \"m.x\", \"vaule\": 3, \"value\": 3, \"Colour\": \"red\"}",
                          &doc, &row, &errs));
    assert_int_equal(errs.n, 2);
    expect_error(&errs, 0, "vaule", "unknown_field", "\"vaule\"" UNKNOWN_FIELD_TAIL);
    expect_error(&errs, 1, "Colour", "unknown_field", "\"Colour\"" UNKNOWN_FIELD_TAIL);
    json_decref(doc);
    ingest_errors_free(&errs);
}

/* The list grows: a row with a hundred stray fields reports a hundred errors. */
static void test_many_unknown_fields_are_all_listed(void **state) {
    (void)state;
    char text[2000] = "{";
    for (int i = 0; i < 100; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s\"x%d\": %d", i ? "," : "", i,
                 i);
    strcat(text, "}");
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_false(read_row(text, &doc, &row, &errs));
    assert_int_equal(errs.n, 100);
    assert_int_equal(errs.lost, 0);
    assert_string_equal(errs.items[0].field, "x0");
    assert_string_equal(errs.items[99].field, "x99");
    assert_string_equal(errs.items[99].message, "\"x99\"" UNKNOWN_FIELD_TAIL);
    json_decref(doc);
    ingest_errors_free(&errs);
}

/* A long name is quoted in 40 bytes, cut between characters so the message stays UTF-8
 * (jansson refuses to send a message that is not). */
static void test_a_long_unknown_field_is_quoted_whole_characters(void **state) {
    (void)state;
    char key[80] = "";
    for (int i = 0; i < 30; i++)
        strcat(key, "\xC3\xA9"); /* é, two bytes each: 60 bytes */
    char text[120];
    snprintf(text, sizeof text, "{\"%s\": 1}", key);
    char want[300] = "\"";
    strncat(want, key, 40); /* 20 whole é */
    strcat(want, "\"" UNKNOWN_FIELD_TAIL);
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_false(read_row(text, &doc, &row, &errs));
    expect_error(&errs, 0, key, "unknown_field", want);
    assert_true(utf8_valid(errs.items[0].message, strlen(errs.items[0].message), NULL));

    /* One ASCII byte first: byte 40 would split an é, so only 19 are quoted. */
    snprintf(text, sizeof text, "{\"a%s\": 1}", key);
    json_decref(doc);
    assert_false(read_row(text, &doc, &row, &errs));
    char akey[90];
    snprintf(akey, sizeof akey, "a%s", key);
    snprintf(want, sizeof want, "\"a%.38s\"%s", key, UNKNOWN_FIELD_TAIL);
    expect_error(&errs, 0, akey, "unknown_field", want);
    assert_true(utf8_valid(errs.items[0].message, strlen(errs.items[0].message), NULL));
    json_decref(doc);
    ingest_errors_free(&errs);
}

static void test_text_fields_of_another_type_are_wrong_type(void **state) {
    (void)state;
    const char *names[] = {"metric", "area", "period", "status", "note"};
    struct ingest_errors errs = {0};
    for (int i = 0; i < 5; i++) {
        char text[80], msg[80];
        snprintf(text, sizeof text, "{\"%s\": 12}", names[i]);
        snprintf(msg, sizeof msg, "%s must be a string", names[i]);
        json_t *doc;
        struct ingest_json_row row;
        assert_false(read_row(text, &doc, &row, &errs));
        assert_int_equal(errs.n, 1);
        expect_error(&errs, 0, names[i], "wrong_type", msg);
        json_decref(doc);
    }
    ingest_errors_free(&errs);
}

static void test_number_fields_of_another_type_are_not_a_number(void **state) {
    (void)state;
    const char *cases[][2] = {{"value", "true"}, {"lower", "[1]"}, {"upper", "{\"v\": 1}"}};
    struct ingest_errors errs = {0};
    for (int i = 0; i < 3; i++) {
        char text[80], msg[80];
        snprintf(text, sizeof text, "{\"%s\": %s}", cases[i][0], cases[i][1]);
        snprintf(msg, sizeof msg, "%s must be a number", cases[i][0]);
        json_t *doc;
        struct ingest_json_row row;
        assert_false(read_row(text, &doc, &row, &errs));
        assert_int_equal(errs.n, 1);
        expect_error(&errs, 0, cases[i][0], "not_a_number", msg);
        json_decref(doc);
    }
    ingest_errors_free(&errs);
}

static void test_delete_must_be_a_boolean(void **state) {
    (void)state;
    const char *bad[] = {"\"yes\"", "1", "\"true\"", "[]"};
    struct ingest_errors errs = {0};
    for (int i = 0; i < 4; i++) {
        char text[80];
        snprintf(text, sizeof text, "{\"delete\": %s}", bad[i]);
        json_t *doc;
        struct ingest_json_row row;
        assert_false(read_row(text, &doc, &row, &errs));
        assert_int_equal(errs.n, 1);
        expect_error(&errs, 0, "delete", "wrong_type", "delete must be true or false");
        assert_false(row.raw.del);
        json_decref(doc);
    }
    ingest_errors_free(&errs);
}

static void test_a_breakdown_that_is_not_an_object_is_wrong_type(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_false(read_row("{\"breakdown\": \"sex=female\"}", &doc, &row, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "breakdown", "wrong_type",
                 "breakdown must be an object of dimension: category, e.g. {\"sex\": "
                 "\"female\"}");
    json_decref(doc);
    ingest_errors_free(&errs);
}

static void test_a_breakdown_category_that_is_not_text_is_bad_breakdown(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_false(
        read_row("{\"breakdown\": {\"sex\": \"female\", \"age_band\": 16}}", &doc, &row, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "breakdown", "bad_breakdown",
                 "breakdown \"age_band\" must name one category (a string) per dimension, at "
                 "most 8 dimensions");
    json_decref(doc);
    ingest_errors_free(&errs);
}

/* A ninth dimension and a category too long for the map are refused once, naming the
 * dimension where the breakdown stopped fitting. */
static void test_a_breakdown_that_does_not_fit_is_bad_breakdown(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_false(read_row("{\"breakdown\": {\"d1\": \"a\", \"d2\": \"a\", \"d3\": \"a\", \"d4\": "
                          "\"a\", \"d5\": \"a\", \"d6\": \"a\", \"d7\": \"a\", \"d8\": \"a\", "
                          "\"d9\": \"a\", \"d10\": \"a\"}}",
                          &doc, &row, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "breakdown", "bad_breakdown",
                 "breakdown \"d9\" must name one category (a string) per dimension, at most 8 "
                 "dimensions");
    json_decref(doc);

    char text[200];
    snprintf(text, sizeof text, "{\"breakdown\": {\"sex\": \"%048d\"}}", 0);
    assert_false(read_row(text, &doc, &row, &errs));
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.items[0].code, "bad_breakdown");
    json_decref(doc);
    /* 47 bytes fit. */
    snprintf(text, sizeof text, "{\"breakdown\": {\"sex\": \"%047d\"}}", 0);
    assert_true(read_row(text, &doc, &row, &errs));
    assert_int_equal(strlen(row.raw.breakdown.cat[0]), 47);
    json_decref(doc);
    ingest_errors_free(&errs);
}

/* All faults of one row come back together, in a fixed order: unknown fields, text
 * fields, numbers, delete, breakdown. */
static void test_every_fault_of_a_row_is_listed(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_false(read_row("{\"breakdown\": [], \"delete\": 0, \"upper\": false, \"area\": 7, "
                          "\"extra\": 1, \"value\": 3}",
                          &doc, &row, &errs));
    assert_int_equal(errs.n, 5);
    expect_error(&errs, 0, "extra", "unknown_field", "\"extra\"" UNKNOWN_FIELD_TAIL);
    expect_error(&errs, 1, "area", "wrong_type", "area must be a string");
    expect_error(&errs, 2, "upper", "not_a_number", "upper must be a number");
    expect_error(&errs, 3, "delete", "wrong_type", "delete must be true or false");
    assert_string_equal(errs.items[4].field, "breakdown");
    assert_string_equal(errs.items[4].code, "wrong_type");
    json_decref(doc);
    ingest_errors_free(&errs);
}

/* Errors already in the list (from another reader) do not make a good row look bad. */
static void test_a_good_row_after_a_bad_one_reads_clean(void **state) {
    (void)state;
    json_t *doc;
    struct ingest_json_row row;
    struct ingest_errors errs = {0};
    assert_false(read_row("{\"x\": 1}", &doc, &row, &errs));
    json_decref(doc);
    json_t *good = json_loads("{\"metric\": \"m.x\"}", 0, NULL);
    assert_true(ingest_json_read_row(good, &row, &errs));
    assert_int_equal(errs.n, 1); /* the earlier row's error is still there, not a new one */
    assert_string_equal(row.raw.metric, "m.x");
    json_decref(good);
    ingest_errors_free(&errs);
    assert_null(errs.items);
    assert_int_equal(errs.n, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_full_row_fills_every_field),
        cmocka_unit_test(test_absent_and_null_fields_are_left_null),
        cmocka_unit_test(test_a_correction_tells_absent_from_null_from_a_value),
        cmocka_unit_test(test_numbers_become_the_shortest_exact_text),
        cmocka_unit_test(test_only_numbers_have_number_text),
        cmocka_unit_test(test_numbers_in_a_row_are_written_as_text),
        cmocka_unit_test(test_a_number_sent_as_a_string_is_passed_on_whole),
        cmocka_unit_test(test_an_element_that_is_not_an_object_is_refused),
        cmocka_unit_test(test_each_unknown_field_is_listed_in_order),
        cmocka_unit_test(test_many_unknown_fields_are_all_listed),
        cmocka_unit_test(test_a_long_unknown_field_is_quoted_whole_characters),
        cmocka_unit_test(test_text_fields_of_another_type_are_wrong_type),
        cmocka_unit_test(test_number_fields_of_another_type_are_not_a_number),
        cmocka_unit_test(test_delete_must_be_a_boolean),
        cmocka_unit_test(test_a_breakdown_that_is_not_an_object_is_wrong_type),
        cmocka_unit_test(test_a_breakdown_category_that_is_not_text_is_bad_breakdown),
        cmocka_unit_test(test_a_breakdown_that_does_not_fit_is_bad_breakdown),
        cmocka_unit_test(test_every_fault_of_a_row_is_listed),
        cmocka_unit_test(test_a_good_row_after_a_bad_one_reads_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
