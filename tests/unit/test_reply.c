/* The reply half of the request core (server/http/reply.c): every helper takes what
 * it is given, also when it fails; a failed allocation turns the reply into the 503
 * the daemon sends; whatever body the reply holds is released exactly once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/request.h"

static int released;

static void count_release(void *cls) {
    (void)cls;
    released++;
}

static ssize_t no_reader(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)cls;
    (void)pos;
    (void)buf;
    (void)max;
    return REPLY_STREAM_END;
}

static void test_a_null_json_is_an_out_of_memory_reply(void **state) {
    (void)state;
    struct reply rp = {0};
    reply_header(&rp, "Location", "/v1/submissions/1");
    reply_json(&rp, 201, NULL);
    assert_true(rp.out_of_memory);
    assert_int_equal(rp.status, 503);
    assert_int_equal(rp.nheaders, 0); /* half an answer's headers do not go out */
    /* What a handler does after that does not undo it, and leaks nothing. */
    reply_json(&rp, 200, json_object());
    reply_header(&rp, "X-After", "1");
    assert_true(rp.out_of_memory);
    assert_int_equal(rp.nheaders, 0);
    reply_free(&rp);
}

static void test_a_null_body_is_an_out_of_memory_reply(void **state) {
    (void)state;
    struct reply rp = {0};
    reply_body(&rp, 200, "text/csv", NULL, 10);
    assert_true(rp.out_of_memory);
    assert_int_equal(rp.status, 503);
    reply_free(&rp);
}

static void test_a_new_body_releases_the_old_one(void **state) {
    (void)state;
    struct reply rp = {0};
    released = 0;
    reply_shared(&rp, 200, "application/json", "{}", 2, count_release, NULL);
    reply_json(&rp, 404, json_object());
    assert_int_equal(released, 1);
    assert_int_equal(rp.source, REPLY_NONE);
    reply_body(&rp, 200, "text/plain", strdup("x"), 1);
    assert_null(rp.json);
    reply_stream(&rp, 200, "text/csv", 4096, no_reader, NULL, count_release);
    assert_null(rp.body);
    reply_free(&rp);
    assert_int_equal(released, 2);
    reply_free(&rp); /* a freed reply is empty: freeing again releases nothing */
    assert_int_equal(released, 2);
}

static void test_an_unsent_file_is_closed(void **state) {
    (void)state;
    int fd = open("/dev/null", O_RDONLY);
    assert_true(fd >= 0);
    struct reply rp = {0};
    reply_file(&rp, 200, "text/plain", fd, 0);
    reply_out_of_memory(&rp);
    assert_int_equal(rp.source, REPLY_NONE);
    assert_int_equal(fcntl(fd, F_GETFD), -1); /* closed */
    reply_free(&rp);
}

static void test_headers_are_copied_and_found_by_any_case(void **state) {
    (void)state;
    struct reply rp = {0};
    char value[] = "no-cache";
    reply_header(&rp, "Cache-Control", value);
    value[0] = 'X';
    assert_true(reply_has_header(&rp, "cache-control"));
    assert_false(reply_has_header(&rp, "ETag"));
    assert_string_equal(rp.headers[0][1], "no-cache");
    reply_free(&rp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_null_json_is_an_out_of_memory_reply),
        cmocka_unit_test(test_a_null_body_is_an_out_of_memory_reply),
        cmocka_unit_test(test_a_new_body_releases_the_old_one),
        cmocka_unit_test(test_an_unsent_file_is_closed),
        cmocka_unit_test(test_headers_are_copied_and_found_by_any_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
