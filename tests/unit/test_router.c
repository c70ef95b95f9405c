/* The route matcher (server/http/router.c) over a table of its own: which route a
 * method and path reach, the {name} parameters handed on, the Allow list of a 405, and
 * the labels the logs and the metrics page use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http/router.h"

static void handler_a(struct request *rq, struct reply *rp) {
    (void)rq;
    (void)rp;
}

static void handler_b(struct request *rq, struct reply *rp) {
    (void)rq;
    (void)rp;
}

static const struct route table[] = {
    ROUTE(GET, "/healthz", handler_a, 0),
    ROUTE(GET, "/v1/things", handler_a, ROUTE_READ),
    ROUTE(POST, "/v1/things", handler_b, ROUTE_SUBMIT | ROUTE_BODY),
    ROUTE(GET, "/v1/things/{code}", handler_a, ROUTE_READ | ROUTE_ETAG),
    ROUTE(PUT, "/v1/things/{code}", handler_b, ROUTE_ADMIN),
    ROUTE(DELETE, "/v1/things/{code}", handler_b, ROUTE_ADMIN),
    ROUTE(GET, "/v1/things/{code}/parts/{part}", handler_b, ROUTE_READ),
    ROUTE(POST, "/v1/jobs", handler_b, ROUTE_SUBMIT),
    ROUTE(GET, "/v1/a/{p1}/{p2}/{p3}/{p4}/{p5}", handler_a, 0),
};
#define N ((int)(sizeof table / sizeof table[0]))

struct outcome {
    enum router_outcome result;
    struct request rq;
    char allow[128];
};

static void match(struct outcome *o, enum http_method m, const char *path) {
    memset(o, 0, sizeof *o);
    o->rq.method = m;
    o->rq.path = path;
    o->rq.route_index = -1;
    o->result = router_match(table, N, &o->rq, o->allow, sizeof o->allow);
}

static void release(struct outcome *o) {
    for (int i = 0; i < o->rq.nparams; i++)
        free(o->rq.params[i]);
}

static void test_a_fixed_path_reaches_its_route(void **state) {
    (void)state;
    struct outcome o;
    match(&o, HTTP_GET, "/v1/things");
    assert_int_equal(o.result, ROUTER_FOUND);
    assert_int_equal(o.rq.route_index, 1);
    assert_ptr_equal(o.rq.route, &table[1]);
    assert_int_equal(o.rq.nparams, 0);
    match(&o, HTTP_POST, "/v1/things");
    assert_int_equal(o.result, ROUTER_FOUND);
    assert_ptr_equal(o.rq.route->handler, handler_b);
    assert_int_equal(o.rq.route_index, 2);
}

static void test_head_is_answered_by_the_get_route(void **state) {
    (void)state;
    struct outcome o;
    match(&o, HTTP_HEAD, "/v1/things/abc");
    assert_int_equal(o.result, ROUTER_FOUND);
    assert_int_equal(o.rq.route_index, 3);
    assert_string_equal(o.rq.params[0], "abc");
    release(&o);
}

static void test_parameters_are_handed_on_in_order(void **state) {
    (void)state;
    struct outcome o;
    match(&o, HTTP_GET, "/v1/things/mhfa.people_trained/parts/E47000007");
    assert_int_equal(o.result, ROUTER_FOUND);
    assert_int_equal(o.rq.route_index, 6);
    assert_int_equal(o.rq.nparams, 2);
    assert_string_equal(o.rq.params[0], "mhfa.people_trained");
    assert_string_equal(o.rq.params[1], "E47000007");
    release(&o);
}

static void test_a_parameter_is_one_nonempty_segment(void **state) {
    (void)state;
    struct outcome o;
    match(&o, HTTP_GET, "/v1/things/");
    assert_int_equal(o.result, ROUTER_NOT_FOUND);
    match(&o, HTTP_GET, "/v1/things/a/b");
    assert_int_equal(o.result, ROUTER_NOT_FOUND);
    match(&o, HTTP_GET, "/v1/things/abc/parts/");
    assert_int_equal(o.result, ROUTER_NOT_FOUND);
    match(&o, HTTP_GET, "/v1/things/abc/parts/x/y");
    assert_int_equal(o.result, ROUTER_NOT_FOUND);
    assert_int_equal(o.rq.nparams, 0);
}

static void test_unknown_paths_are_not_found(void **state) {
    (void)state;
    struct outcome o;
    const char *paths[] = {"/", "/v1", "/v1/thing", "/v1/thingsx", "/healthz/", "healthz", ""};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        match(&o, HTTP_GET, paths[i]);
        assert_int_equal(o.result, ROUTER_NOT_FOUND);
        assert_null(o.rq.route);
        assert_int_equal(o.rq.route_index, -1);
    }
}

static void test_more_parameters_than_a_request_holds_is_no_match(void **state) {
    (void)state;
    struct outcome o;
    match(&o, HTTP_GET, "/v1/a/1/2/3/4/5");
    assert_int_equal(o.result, ROUTER_NOT_FOUND);
    assert_int_equal(o.rq.nparams, 0);
}

static void test_a_known_path_with_another_method_lists_what_is_allowed(void **state) {
    (void)state;
    struct outcome o;
    match(&o, HTTP_DELETE, "/v1/things");
    assert_int_equal(o.result, ROUTER_BAD_METHOD);
    assert_string_equal(o.allow, "GET, HEAD, POST");
    assert_null(o.rq.route);
    match(&o, HTTP_POST, "/v1/things/abc");
    assert_int_equal(o.result, ROUTER_BAD_METHOD);
    assert_string_equal(o.allow, "GET, HEAD, PUT, DELETE");
    assert_int_equal(o.rq.nparams, 0); /* the parameters of routes not taken are not kept */
    match(&o, HTTP_GET, "/v1/jobs");
    assert_int_equal(o.result, ROUTER_BAD_METHOD);
    assert_string_equal(o.allow, "POST");
    match(&o, HTTP_OPTIONS, "/v1/jobs");
    assert_int_equal(o.result, ROUTER_BAD_METHOD);
    assert_string_equal(o.allow, "POST");
}

static void test_a_short_allow_buffer_is_cut_not_overrun(void **state) {
    (void)state;
    struct request rq = {0};
    rq.method = HTTP_POST;
    rq.path = "/v1/things/abc";
    char allow[12];
    memset(allow, '#', sizeof allow);
    assert_int_equal(router_match(table, N, &rq, allow, sizeof allow), ROUTER_BAD_METHOD);
    assert_true(strlen(allow) < sizeof allow);
    assert_string_equal(allow, "GET, HEAD");
}

static void test_labels_name_method_and_pattern(void **state) {
    (void)state;
    assert_string_equal(table[0].label, "GET /healthz");
    assert_string_equal(table[3].label, "GET /v1/things/{code}");
    assert_string_equal(table[5].label, "DELETE /v1/things/{code}");
    assert_string_equal(table[6].label, "GET /v1/things/{code}/parts/{part}");
    assert_string_equal(http_method_name(HTTP_PUT), "PUT");
    assert_string_equal(http_method_name(HTTP_OTHER), "?");
}

static void test_the_first_matching_route_wins(void **state) {
    (void)state;
    static const struct route overlapping[] = {
        ROUTE(GET, "/v1/things/{code}", handler_a, 0),
        ROUTE(GET, "/v1/things/special", handler_b, 0),
    };
    struct request rq = {0};
    rq.method = HTTP_GET;
    rq.path = "/v1/things/special";
    char allow[64];
    assert_int_equal(router_match(overlapping, 2, &rq, allow, sizeof allow), ROUTER_FOUND);
    assert_int_equal(rq.route_index, 0);
    free(rq.params[0]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_fixed_path_reaches_its_route),
        cmocka_unit_test(test_head_is_answered_by_the_get_route),
        cmocka_unit_test(test_parameters_are_handed_on_in_order),
        cmocka_unit_test(test_a_parameter_is_one_nonempty_segment),
        cmocka_unit_test(test_unknown_paths_are_not_found),
        cmocka_unit_test(test_more_parameters_than_a_request_holds_is_no_match),
        cmocka_unit_test(test_a_known_path_with_another_method_lists_what_is_allowed),
        cmocka_unit_test(test_a_short_allow_buffer_is_cut_not_overrun),
        cmocka_unit_test(test_labels_name_method_and_pattern),
        cmocka_unit_test(test_the_first_matching_route_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
