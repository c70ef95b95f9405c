/* The access line (server/log.c), written by hand on every request: one JSON object per
 * line with the fields and number forms a log reader relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* The line log_access writes for these arguments, read back from stdout. */
static char *access_line(const char *method, const char *path, const char *route, int status,
                         double seconds, const char *key, unsigned long long bytes) {
    fflush(stdout);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(STDOUT_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
    log_access(method, path, route, status, seconds, key, bytes);
    fflush(stdout);
    assert_true(dup2(saved, STDOUT_FILENO) >= 0);
    close(saved);
    static char line[4096];
    rewind(tmp);
    size_t n = fread(line, 1, sizeof line - 1, tmp);
    line[n] = '\0';
    fclose(tmp);
    return line;
}

static json_t *parse_line(const char *line) {
    size_t len = strlen(line);
    assert_true(len > 0);
    assert_int_equal(line[len - 1], '\n');
    assert_ptr_equal(strchr(line, '\n'), line + len - 1); /* one line */
    json_error_t err;
    json_t *j = json_loadb(line, len - 1, 0, &err);
    if (!j)
        fail_msg("not JSON (%s): %s", err.text, line);
    return j;
}

static void test_the_line_carries_every_field(void **state) {
    (void)state;
    char *line = access_line("GET", "/v1/dashboard", "GET /v1/dashboard", 200, 0.0123456,
                             "0b6d7c1e-0000-4000-8000-000000000001", 5566);
    json_t *j = parse_line(line);
    assert_string_equal(json_string_value(json_object_get(j, "level")), "info");
    assert_string_equal(json_string_value(json_object_get(j, "event")), "request");
    assert_string_equal(json_string_value(json_object_get(j, "method")), "GET");
    assert_string_equal(json_string_value(json_object_get(j, "path")), "/v1/dashboard");
    assert_string_equal(json_string_value(json_object_get(j, "route")), "GET /v1/dashboard");
    assert_string_equal(json_string_value(json_object_get(j, "key")),
                        "0b6d7c1e-0000-4000-8000-000000000001");
    assert_int_equal(json_integer_value(json_object_get(j, "status")), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "bytes")), 5566);
    assert_true(json_is_real(json_object_get(j, "ms")));
    assert_float_equal(json_real_value(json_object_get(j, "ms")), 12.346, 1e-9);
    const char *ts = json_string_value(json_object_get(j, "ts"));
    assert_non_null(ts);
    /* 2026-12-01T13:46:52.123Z */
    assert_int_equal(strlen(ts), 24);
    for (int i = 0; i < 24; i++) {
        char c = ts[i];
        if (i == 4 || i == 7)
            assert_int_equal(c, '-');
        else if (i == 10)
            assert_int_equal(c, 'T');
        else if (i == 13 || i == 16)
            assert_int_equal(c, ':');
        else if (i == 19)
            assert_int_equal(c, '.');
        else if (i == 23)
            assert_int_equal(c, 'Z');
        else
            assert_true(c >= '0' && c <= '9');
    }
    json_decref(j);
}

static void test_ms_is_a_real_to_the_microsecond(void **state) {
    (void)state;
    static const struct {
        double seconds;
        const char *text;
    } cases[] = {
        {0, "\"ms\":0.0,"},         {0.002, "\"ms\":2.0,"},
        {0.0000004, "\"ms\":0.0,"}, {0.000001, "\"ms\":0.001,"},
        {0.00125, "\"ms\":1.25,"},  {0.0001, "\"ms\":0.1,"},
        {1.5, "\"ms\":1500.0,"},    {12.3456789, "\"ms\":12345.679,"},
        {-1, "\"ms\":0.0,"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *line = access_line("GET", "/", NULL, 404, cases[i].seconds, NULL, 0);
        if (!strstr(line, cases[i].text))
            fail_msg("%g s: wanted %s in %s", cases[i].seconds, cases[i].text, line);
        json_decref(parse_line(line));
    }
}

static void test_client_text_cannot_break_the_line(void **state) {
    (void)state;
    char *line =
        access_line("G\"T", "/v1/\"quoted\"\\back\nslash\x01\xc3\xa9", NULL, 400, 0.001, NULL, 0);
    json_t *j = parse_line(line);
    assert_string_equal(json_string_value(json_object_get(j, "method")), "G\"T");
    assert_string_equal(json_string_value(json_object_get(j, "path")),
                        "/v1/\"quoted\"\\back?slash???");
    assert_null(json_object_get(j, "route"));
    assert_null(json_object_get(j, "key"));
    json_decref(j);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_line_carries_every_field),
        cmocka_unit_test(test_ms_is_a_real_to_the_microsecond),
        cmocka_unit_test(test_client_text_cannot_break_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
