/* CSV submissions: the header mapped to fields and breakdown dimensions with every
 * header fault listed, and each record turned into a row with its own faults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/ingest_csv.h"
#include "domain/utf8.h"

#define UNKNOWN_COLUMN(name)                                                                       \
    "column \"" name "\" is neither a field (metric, area, period, value, lower, upper, "          \
    "status, note, delete) nor a breakdown dimension (GET /v1/dimensions)"
#define MISSING "the header must have metric, area, period and value"
#define TWICE "this column appears twice in the header"

static const char *const dims[] = {"sex", "age_band", "d1", "d2", "d3", "d4",
                                   "d5",  "d6",       "d7", "d8", "d9"};
#define NDIMS ((int)(sizeof dims / sizeof dims[0]))

/* Splits a line on commas (no quoting: the CSV reader's work is tested on its own) into
 * fields that point into buf. */
static int split(char *buf, char **fields) {
    int n = 0;
    fields[n++] = buf;
    for (char *p = buf; *p; p++)
        if (*p == ',') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    return n;
}

static bool header(const char *line, struct ingest_csv_columns *cols, struct ingest_errors *errs) {
    static char buf[4096];
    char *fields[CSV_MAX_FIELDS];
    snprintf(buf, sizeof buf, "%s", line);
    int n = split(buf, fields);
    ingest_errors_clear(errs);
    return ingest_csv_read_header(cols, fields, n, dims, NDIMS, errs);
}

static bool record(const struct ingest_csv_columns *cols, const char *line, long line_no,
                   struct ingest_raw *raw, struct ingest_errors *errs) {
    static char buf[4096];
    static char *fields[CSV_MAX_FIELDS];
    snprintf(buf, sizeof buf, "%s", line);
    int n = split(buf, fields);
    ingest_errors_clear(errs);
    return ingest_csv_read_row(cols, fields, NULL, n, line_no, raw, errs);
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

static void test_the_four_required_columns_map_in_any_order(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(header("value,period,metric,area", &cols, &errs));
    assert_int_equal(errs.n, 0);
    assert_int_equal(cols.ncols, 4);
    assert_int_equal(cols.col_of[INGEST_CSV_VALUE], 0);
    assert_int_equal(cols.col_of[INGEST_CSV_PERIOD], 1);
    assert_int_equal(cols.col_of[INGEST_CSV_METRIC], 2);
    assert_int_equal(cols.col_of[INGEST_CSV_AREA], 3);
    for (int f = INGEST_CSV_LOWER; f < INGEST_CSV_NFIELDS; f++)
        assert_int_equal(cols.col_of[f], -1);
    for (int c = 0; c < 4; c++)
        assert_false(cols.is_dim[c]);
    ingest_errors_free(&errs);
}

/* Spreadsheets capitalise headings and pad them; the names still match. */
static void test_header_names_match_whatever_their_case_and_padding(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(
        header(" Metric ,AREA,Period  ,vAlUe,Lower,UPPER,Status,Note,Delete,  SEX ,age_band", &cols,
               &errs));
    assert_int_equal(cols.ncols, 11);
    for (int f = 0; f < INGEST_CSV_NFIELDS; f++)
        assert_int_equal(cols.col_of[f], f);
    assert_true(cols.is_dim[9]);
    assert_true(cols.is_dim[10]);
    assert_string_equal(cols.name[0], "metric");
    assert_string_equal(cols.name[9], "sex");
    assert_string_equal(cols.name[10], "age_band");
    assert_string_equal(ingest_csv_field_name(INGEST_CSV_DELETE), "delete");
    assert_string_equal(ingest_csv_field_name(INGEST_CSV_METRIC), "metric");
    assert_null(ingest_csv_field_name(INGEST_CSV_NFIELDS));
    ingest_errors_free(&errs);
}

static void test_a_missing_required_column_is_named(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_false(header("metric,area,period", &cols, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "value", "missing_column", MISSING);
    assert_false(header("note,status", &cols, &errs));
    assert_int_equal(errs.n, 4);
    expect_error(&errs, 0, "metric", "missing_column", MISSING);
    expect_error(&errs, 1, "area", "missing_column", MISSING);
    expect_error(&errs, 2, "period", "missing_column", MISSING);
    expect_error(&errs, 3, "value", "missing_column", MISSING);
    ingest_errors_free(&errs);
}

static void test_a_column_given_twice_is_refused(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_false(header("metric,area,period,value,Value", &cols, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "value", "duplicate_column", TWICE);
    /* The same dimension twice would leave the row's category ambiguous. */
    assert_false(header("metric,area,period,value,sex,SEX", &cols, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "sex", "duplicate_column", TWICE);
    ingest_errors_free(&errs);
}

static void test_a_column_that_is_neither_field_nor_dimension_is_unknown(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_false(header("metric,area,period,value,colour", &cols, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "colour", "unknown_column", UNKNOWN_COLUMN("colour"));
    /* The dimensions are the ones given, not any name. */
    struct ingest_errors errs2 = {0};
    char buf[] = "metric,area,period,value,sex";
    char *fields[8];
    int n = split(buf, fields);
    const char *only_age[] = {"age_band"};
    assert_false(ingest_csv_read_header(&cols, fields, n, only_age, 1, &errs2));
    expect_error(&errs2, 0, "sex", "unknown_column", UNKNOWN_COLUMN("sex"));
    ingest_errors_free(&errs);
    ingest_errors_free(&errs2);
}

static void test_every_header_fault_is_listed_in_column_order_then_missing(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_false(header("colour,metric,Metric,area,,size", &cols, &errs));
    assert_int_equal(errs.n, 6);
    expect_error(&errs, 0, "colour", "unknown_column", UNKNOWN_COLUMN("colour"));
    expect_error(&errs, 1, "metric", "duplicate_column", TWICE);
    expect_error(&errs, 2, "", "unknown_column", UNKNOWN_COLUMN(""));
    expect_error(&errs, 3, "size", "unknown_column", UNKNOWN_COLUMN("size"));
    expect_error(&errs, 4, "period", "missing_column", MISSING);
    expect_error(&errs, 5, "value", "missing_column", MISSING);
    ingest_errors_free(&errs);
}

/* A name longer than the map holds is cut between characters, and quoted in at most
 * 40 bytes, so the error stays valid UTF-8 for the JSON answer. */
static void test_a_long_header_name_is_cut_between_characters(void **state) {
    (void)state;
    char line[300] = "metric,area,period,value,";
    char name[160] = "";
    for (int i = 0; i < 35; i++)
        strcat(name, "\xC3\xA9"); /* é: 70 bytes */
    strcat(line, name);
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_false(header(line, &cols, &errs));
    assert_int_equal(errs.n, 1);
    assert_int_equal(strlen(cols.name[4]), 62); /* 31 é; a 32nd would need byte 64 */
    assert_memory_equal(cols.name[4], name, 62);
    char want[300];
    snprintf(want, sizeof want,
             "column \"%.40s\" is neither a field (metric, area, period, "
             "value, lower, upper, status, note, delete) nor a breakdown "
             "dimension (GET /v1/dimensions)",
             name);
    expect_error(&errs, 0, cols.name[4], "unknown_column", want);
    assert_true(utf8_valid(errs.items[0].field, strlen(errs.items[0].field), NULL));
    assert_true(utf8_valid(errs.items[0].message, strlen(errs.items[0].message), NULL));

    /* One ASCII byte first: 63 bytes hold it and 31 é; 40 bytes quote it and 19 é. */
    snprintf(line, sizeof line, "metric,area,period,value,a%s", name);
    assert_false(header(line, &cols, &errs));
    assert_int_equal(strlen(cols.name[4]), 63);
    snprintf(want, sizeof want,
             "column \"a%.38s\" is neither a field (metric, area, period, value, lower, upper, "
             "status, note, delete) nor a breakdown dimension (GET /v1/dimensions)",
             name);
    expect_error(&errs, 0, cols.name[4], "unknown_column", want);
    assert_true(utf8_valid(errs.items[0].message, strlen(errs.items[0].message), NULL));
    ingest_errors_free(&errs);
}

static void test_a_record_fills_the_row_from_its_columns(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(
        header("area,sex,metric,period,value,lower,upper,status,note,age_band", &cols, &errs));
    struct ingest_raw raw;
    assert_true(record(&cols, "E08000025,female,thrive.x,2019-02,26.50,25,28,final,checked,16-24",
                       3, &raw, &errs));
    assert_int_equal(errs.n, 0);
    assert_string_equal(raw.metric, "thrive.x");
    assert_string_equal(raw.area, "E08000025");
    assert_string_equal(raw.period, "2019-02");
    assert_string_equal(raw.value, "26.50"); /* as sent: ingest_check_row canonicalises */
    assert_string_equal(raw.lower, "25");
    assert_string_equal(raw.upper, "28");
    assert_string_equal(raw.status, "final");
    assert_string_equal(raw.note, "checked");
    assert_false(raw.del);
    assert_int_equal(raw.breakdown.n, 2);
    assert_string_equal(raw.breakdown.dim[0], "sex");
    assert_string_equal(raw.breakdown.cat[0], "female");
    assert_string_equal(raw.breakdown.dim[1], "age_band");
    assert_string_equal(raw.breakdown.cat[1], "16-24");
    ingest_errors_free(&errs);
}

static void test_absent_columns_are_null_and_empty_dimension_cells_are_totals(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(header("metric,area,period,value,sex", &cols, &errs));
    struct ingest_raw raw;
    assert_true(record(&cols, "m.x,E08000025,2019-02,,", 2, &raw, &errs));
    assert_string_equal(raw.value, "");
    assert_null(raw.lower);
    assert_null(raw.upper);
    assert_null(raw.status);
    assert_null(raw.note);
    assert_false(raw.del);
    assert_int_equal(raw.breakdown.n, 0);
    ingest_errors_free(&errs);
}

/* A missing column means "keep what is stored"; an empty cell of a present column
 * clears. */
static void test_a_missing_column_is_absent_and_an_empty_cell_clears(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    struct ingest_raw raw;
    assert_true(header("metric,area,period,value", &cols, &errs));
    assert_true(record(&cols, "m.x,E08000025,2019-02,5", 2, &raw, &errs));
    assert_false(raw.has_note);
    assert_false(raw.has_status);
    assert_false(raw.has_lower);
    assert_false(raw.has_upper);
    assert_int_equal(ingest_field_change(raw.has_note, raw.note), INGEST_KEEP);
    assert_true(header("metric,area,period,value,note,status,lower", &cols, &errs));
    assert_true(record(&cols, "m.x,E08000025,2019-02,5,,final,", 2, &raw, &errs));
    assert_true(raw.has_note);
    assert_null(raw.note); /* an unquoted empty cell is no note (issue 13): it clears */
    assert_int_equal(ingest_field_change(raw.has_note, raw.note), INGEST_CLEAR);
    assert_int_equal(ingest_field_change(raw.has_status, raw.status), INGEST_SET);
    assert_int_equal(ingest_field_change(raw.has_lower, raw.lower), INGEST_CLEAR);
    assert_int_equal(ingest_field_change(raw.has_upper, raw.upper), INGEST_KEEP);
    ingest_errors_free(&errs);
}

static void test_a_record_of_the_wrong_length_is_refused_with_its_line(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(header("metric,area,period,value", &cols, &errs));
    struct ingest_raw raw;
    assert_false(record(&cols, "m.x,E08000025,2019-02", 7, &raw, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, NULL, "wrong_field_count", "line 7 has 3 fields; the header has 4");
    assert_false(record(&cols, "m.x,E08000025,2019-02,1,x", 12, &raw, &errs));
    expect_error(&errs, 0, NULL, "wrong_field_count", "line 12 has 5 fields; the header has 4");
    ingest_errors_free(&errs);
}

static void test_delete_takes_the_usual_spreadsheet_booleans(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(header("metric,area,period,value,delete", &cols, &errs));
    const char *yes[] = {"true", "TRUE", "True", "1", "yes", "YES"};
    const char *no[] = {"false", "FALSE", "0", "no", "No", ""};
    for (int i = 0; i < 6; i++) {
        char line[80];
        struct ingest_raw raw;
        snprintf(line, sizeof line, "m.x,E08000025,2019-02,,%s", yes[i]);
        assert_true(record(&cols, line, 2, &raw, &errs));
        if (!raw.del)
            fail_msg("delete \"%s\" did not delete", yes[i]);
        snprintf(line, sizeof line, "m.x,E08000025,2019-02,1,%s", no[i]);
        assert_true(record(&cols, line, 2, &raw, &errs));
        if (raw.del)
            fail_msg("delete \"%s\" deleted", no[i]);
    }
    ingest_errors_free(&errs);
}

static void test_any_other_delete_value_is_wrong_type(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(header("metric,area,period,value,delete", &cols, &errs));
    struct ingest_raw raw;
    assert_false(record(&cols, "m.x,E08000025,2019-02,1,maybe", 4, &raw, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "delete", "wrong_type", "delete \"maybe\" must be true or false");
    assert_false(raw.del);
    assert_false(record(&cols, "m.x,E08000025,2019-02,1,y", 4, &raw, &errs));
    expect_error(&errs, 0, "delete", "wrong_type", "delete \"y\" must be true or false");
    /* Quoted in at most 20 bytes. */
    assert_false(
        record(&cols, "m.x,E08000025,2019-02,1,abcdefghijklmnopqrstuvwxyz", 4, &raw, &errs));
    expect_error(&errs, 0, "delete", "wrong_type",
                 "delete \"abcdefghijklmnopqrst\" must be true or false");
    ingest_errors_free(&errs);
}

static void test_a_category_too_long_is_bad_breakdown_on_its_column(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(header("metric,area,period,value,sex,age_band", &cols, &errs));
    char line[200];
    struct ingest_raw raw;
    snprintf(line, sizeof line, "m.x,E08000025,2019-02,1,female,%048d", 0);
    assert_false(record(&cols, line, 5, &raw, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "age_band", "bad_breakdown", "category is too long");
    snprintf(line, sizeof line, "m.x,E08000025,2019-02,1,female,%047d", 0);
    assert_true(record(&cols, line, 5, &raw, &errs));
    assert_int_equal(strlen(raw.breakdown.cat[1]), 47);
    ingest_errors_free(&errs);
}

static void test_more_dimensions_than_a_breakdown_holds_is_bad_breakdown(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(header("metric,area,period,value,d1,d2,d3,d4,d5,d6,d7,d8,d9", &cols, &errs));
    struct ingest_raw raw;
    assert_false(record(&cols, "m.x,E08000025,2019-02,1,a,a,a,a,a,a,a,a,a", 2, &raw, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "d9", "bad_breakdown",
                 "a row can break a figure down by at most 8 dimensions");
    /* With one cell empty the other eight fit. */
    assert_true(record(&cols, "m.x,E08000025,2019-02,1,a,a,,a,a,a,a,a,a", 2, &raw, &errs));
    assert_int_equal(raw.breakdown.n, 8);
    ingest_errors_free(&errs);
}

static void test_every_fault_of_a_record_is_listed(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(header("metric,area,period,value,delete,sex", &cols, &errs));
    char line[200];
    snprintf(line, sizeof line, "m.x,E08000025,2019-02,1,perhaps,%060d", 0);
    struct ingest_raw raw;
    assert_false(record(&cols, line, 9, &raw, &errs));
    assert_int_equal(errs.n, 2);
    expect_error(&errs, 0, "delete", "wrong_type", "delete \"perhaps\" must be true or false");
    expect_error(&errs, 1, "sex", "bad_breakdown", "category is too long");
    ingest_errors_free(&errs);
}

static void test_a_semicolon_header_is_named_alone(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_false(header("Metric;Area;Period;Value;Note", &cols, &errs));
    assert_int_equal(errs.n, 1);
    expect_error(&errs, 0, "metric;area;period;value;note", "semicolon_separated",
                 "the file is separated by semicolons (;), as Excel saves CSV in some languages; "
                 "save it as CSV UTF-8 (comma delimited), with decimal points (12.5), and send "
                 "it again");
    assert_false(header("metric\tarea\tperiod\tvalue", &cols, &errs));
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.items[0].code, "tab_separated");
    /* One column that is not a whole header cut by semicolons is an unknown column. */
    assert_false(header("metric;area", &cols, &errs));
    assert_string_equal(errs.items[0].code, "unknown_column");
    ingest_errors_free(&errs);
}

static void test_rows_of_separators_alone_are_blank(void **state) {
    (void)state;
    char a[] = "", b[] = " ", c[] = "x";
    char *blank[] = {a, a, b, a};
    char *not_blank[] = {a, c, a};
    assert_true(ingest_csv_blank_row(blank, 4));
    assert_true(ingest_csv_blank_row(blank, 1));
    assert_false(ingest_csv_blank_row(not_blank, 3));
}

static void test_a_quoted_empty_note_is_kept_and_an_empty_cell_is_none(void **state) {
    (void)state;
    struct ingest_csv_columns cols;
    struct ingest_errors errs = {0};
    assert_true(header("metric,area,period,value,note", &cols, &errs));
    char m[] = "mhfa.people_trained", ar[] = "E08000025", p[] = "2019-01", v[] = "4", n[] = "";
    char *fields[] = {m, ar, p, v, n};
    bool quoted[] = {false, false, false, false, true};
    struct ingest_raw raw;
    assert_true(ingest_csv_read_row(&cols, fields, quoted, 5, 2, &raw, &errs));
    assert_non_null(raw.note);
    assert_string_equal(raw.note, "");
    quoted[4] = false;
    assert_true(ingest_csv_read_row(&cols, fields, quoted, 5, 2, &raw, &errs));
    assert_null(raw.note);
    assert_true(ingest_csv_read_row(&cols, fields, NULL, 5, 2, &raw, &errs));
    assert_null(raw.note);
    ingest_errors_free(&errs);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_four_required_columns_map_in_any_order),
        cmocka_unit_test(test_header_names_match_whatever_their_case_and_padding),
        cmocka_unit_test(test_a_missing_required_column_is_named),
        cmocka_unit_test(test_a_column_given_twice_is_refused),
        cmocka_unit_test(test_a_column_that_is_neither_field_nor_dimension_is_unknown),
        cmocka_unit_test(test_every_header_fault_is_listed_in_column_order_then_missing),
        cmocka_unit_test(test_a_long_header_name_is_cut_between_characters),
        cmocka_unit_test(test_a_record_fills_the_row_from_its_columns),
        cmocka_unit_test(test_absent_columns_are_null_and_empty_dimension_cells_are_totals),
        cmocka_unit_test(test_a_missing_column_is_absent_and_an_empty_cell_clears),
        cmocka_unit_test(test_a_record_of_the_wrong_length_is_refused_with_its_line),
        cmocka_unit_test(test_delete_takes_the_usual_spreadsheet_booleans),
        cmocka_unit_test(test_any_other_delete_value_is_wrong_type),
        cmocka_unit_test(test_a_category_too_long_is_bad_breakdown_on_its_column),
        cmocka_unit_test(test_more_dimensions_than_a_breakdown_holds_is_bad_breakdown),
        cmocka_unit_test(test_every_fault_of_a_record_is_listed),
        cmocka_unit_test(test_a_semicolon_header_is_named_alone),
        cmocka_unit_test(test_rows_of_separators_alone_are_blank),
        cmocka_unit_test(test_a_quoted_empty_note_is_kept_and_an_empty_cell_is_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
