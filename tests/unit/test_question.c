/* Which question a read asks (server/http/question.c): one definition behind both the
 * ETag and the response cache's key, so every input that changes an answer changes
 * both, and nothing else does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/cache.h"
#include "http/question.h"
#include "http/request.h"

#define VERSION 42

/* One way of asking: the inputs question_make takes. */
struct asking {
    const char *path;
    const char *names[6];
    const char *values[6];
    int n;
    bool csv, visible;
    int month;
};

static const struct asking base = {
    "/v1/metrics/mhfa.people_trained/series",
    {"area", "from"},
    {"E47000007", "2024-01"},
    2,
    false,
    false,
    24300,
};

/* What a question yields outside: the ETag the daemon sends and the key the cache
 * files the answer under (through cache_key_make, as the handlers call it). */
struct names {
    char etag[QUESTION_ETAG_SIZE];
    struct cache_key key;
    char key_text[QUESTION_TEXT_MAX];
};

static struct request rq; /* static: the question's text is large */

static void ask(const struct asking *a, struct names *out) {
    struct question_arg args[6];
    for (int i = 0; i < a->n; i++) {
        args[i].name = a->names[i];
        args[i].value = a->values[i];
    }
    memset(&rq, 0, sizeof rq);
    question_make(&rq.question, a->path, args, a->n, a->csv, a->visible, a->month);
    rq.question_named = true;
    question_etag(&rq.question, VERSION, out->etag);
    cache_key_make(&rq, &out->key);
    assert_true(out->key.usable);
    memcpy(out->key_text, out->key.text, out->key.len);
    out->key_text[out->key.len] = '\0';
}

static bool same_key(const struct names *a, const struct names *b) {
    return a->key.len == b->key.len && memcmp(a->key_text, b->key_text, a->key.len) == 0 &&
           a->key.hash == b->key.hash;
}

static void expect_both_change(const struct asking *changed, const char *what) {
    struct names a, b;
    ask(&base, &a);
    ask(changed, &b);
    if (strcmp(a.etag, b.etag) == 0)
        fail_msg("changing %s left the ETag %s", what, a.etag);
    if (same_key(&a, &b) || a.key.hash == b.key.hash)
        fail_msg("changing %s left the cache key (or its hash) as it was", what);
}

static void expect_neither_changes(const struct asking *changed, const char *what) {
    struct names a, b;
    ask(&base, &a);
    ask(changed, &b);
    if (strcmp(a.etag, b.etag) != 0)
        fail_msg("%s changed the ETag", what);
    if (!same_key(&a, &b))
        fail_msg("%s changed the cache key", what);
}

static void test_every_input_changes_both_the_etag_and_the_key(void **state) {
    (void)state;
    struct asking c;
    c = base, c.path = "/v1/metrics/mhfa.people_trained/areas";
    expect_both_change(&c, "the path");
    c = base, c.values[0] = "E08000025";
    expect_both_change(&c, "a query value");
    c = base, c.names[1] = "to";
    expect_both_change(&c, "a query name");
    c = base, c.names[2] = "last", c.values[2] = "3", c.n = 3;
    expect_both_change(&c, "an added query argument");
    c = base, c.n = 1;
    expect_both_change(&c, "a dropped query argument");
    c = base, c.csv = true;
    expect_both_change(&c, "the representation");
    c = base, c.visible = true;
    expect_both_change(&c, "whether small counts are visible");
    c = base, c.month = base.month + 1;
    expect_both_change(&c, "the month");
}

static void test_argument_order_changes_neither(void **state) {
    (void)state;
    struct asking c = base;
    c.names[0] = base.names[1], c.values[0] = base.values[1];
    c.names[1] = base.names[0], c.values[1] = base.values[0];
    expect_neither_changes(&c, "asking the same arguments in another order");
}

static void test_repeated_names_sort_by_value(void **state) {
    (void)state;
    struct asking a = base, b = base;
    a.names[1] = "area", a.values[1] = "E08000026";
    b.names[0] = "area", b.values[0] = "E08000026";
    b.names[1] = "area", b.values[1] = "E47000007";
    struct names na, nb;
    ask(&a, &na);
    ask(&b, &nb);
    assert_string_equal(na.etag, nb.etag);
    assert_true(same_key(&na, &nb));
}

static void test_a_bare_argument_is_an_empty_value(void **state) {
    (void)state;
    struct asking a = base, b = base;
    a.values[1] = NULL;
    b.values[1] = "";
    struct names na, nb;
    ask(&a, &na);
    ask(&b, &nb);
    assert_string_equal(na.etag, nb.etag);
    assert_true(same_key(&na, &nb));
}

/* Pieces carry their length, so moving a boundary is another question. */
static void test_pieces_cannot_run_into_each_other(void **state) {
    (void)state;
    struct asking a = base, b = base;
    a.names[1] = "ab", a.values[1] = "c";
    b.names[1] = "a", b.values[1] = "bc";
    struct names na, nb;
    ask(&a, &na);
    ask(&b, &nb);
    assert_string_not_equal(na.etag, nb.etag);
    assert_false(same_key(&na, &nb));
}

static void test_the_version_changes_the_etag_only(void **state) {
    (void)state;
    struct question q;
    struct question_arg args[1] = {{"area", "E47000007"}};
    question_make(&q, "/v1/dashboard", args, 1, false, false, 24300);
    char v1[QUESTION_ETAG_SIZE], v2[QUESTION_ETAG_SIZE];
    question_etag(&q, 1, v1);
    question_etag(&q, 2, v2);
    assert_string_not_equal(v1, v2);
    char want[QUESTION_ETAG_SIZE];
    snprintf(want, sizeof want, "\"v1-%016llx\"", (unsigned long long)q.hash);
    assert_string_equal(v1, want);
}

static void test_the_text_is_the_documented_canonical_form(void **state) {
    (void)state;
    struct question q;
    struct question_arg args[2] = {{"to", "2024-03"}, {"area", "E47000007"}};
    question_make(&q, "/v1/dashboard", args, 2, true, true, 7);
    assert_string_equal(q.text, "13:/v1/dashboard3:csv3:key1:74:area9:E470000072:to7:2024-03");
    assert_int_equal(q.len, strlen(q.text));
    assert_true(q.complete);
    question_make(&q, "/", NULL, 0, false, false, -12); /* a month before 1970 */
    assert_string_equal(q.text, "1:/4:json4:open3:-12");
}

/* A question longer than the text buffer still has an ETag of its own, but no cache
 * key: only a whole text can be compared. */
static void test_a_long_question_has_an_etag_but_no_key(void **state) {
    (void)state;
    static char long_value[QUESTION_TEXT_MAX + 10], other_value[QUESTION_TEXT_MAX + 10];
    memset(long_value, 'x', sizeof long_value - 1);
    memset(other_value, 'x', sizeof other_value - 1);
    other_value[sizeof other_value - 2] = 'y'; /* differs after the buffer ends */
    struct question_arg a[1] = {{"q", long_value}}, b[1] = {{"q", other_value}};
    static struct request ra, rb;
    question_make(&ra.question, "/v1/metrics", a, 1, false, false, 1);
    question_make(&rb.question, "/v1/metrics", b, 1, false, false, 1);
    ra.question_named = rb.question_named = true;
    assert_false(ra.question.complete);
    assert_true(ra.question.len < QUESTION_TEXT_MAX);
    assert_int_not_equal(ra.question.hash, rb.question.hash);
    struct cache_key k;
    cache_key_make(&ra, &k);
    assert_false(k.usable);
}

static void test_an_unnamed_question_has_no_key(void **state) {
    (void)state;
    static struct request r;
    memset(&r, 0, sizeof r);
    struct cache_key k;
    cache_key_make(&r, &k);
    assert_false(k.usable);
}

/* The ETag is written by hand (it runs on every cached read): the same text as
 * "\"v%llu-%016llx\"" for small, large and zero versions and hashes. */
static void test_the_etag_is_the_version_and_sixteen_hex_digits(void **state) {
    (void)state;
    static const uint64_t versions[] = {0, 1, 9, 10, 42, 1234567, UINT64_MAX};
    static const uint64_t hashes[] = {0, 1, 0xabcdef, 0x0123456789abcdefULL, UINT64_MAX};
    static struct question q;
    for (size_t v = 0; v < sizeof versions / sizeof versions[0]; v++)
        for (size_t h = 0; h < sizeof hashes / sizeof hashes[0]; h++) {
            q.hash = hashes[h];
            char got[QUESTION_ETAG_SIZE], want[QUESTION_ETAG_SIZE];
            question_etag(&q, versions[v], got);
            snprintf(want, sizeof want, "\"v%llu-%016llx\"", (unsigned long long)versions[v],
                     (unsigned long long)hashes[h]);
            assert_string_equal(got, want);
        }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_input_changes_both_the_etag_and_the_key),
        cmocka_unit_test(test_argument_order_changes_neither),
        cmocka_unit_test(test_repeated_names_sort_by_value),
        cmocka_unit_test(test_a_bare_argument_is_an_empty_value),
        cmocka_unit_test(test_pieces_cannot_run_into_each_other),
        cmocka_unit_test(test_the_version_changes_the_etag_only),
        cmocka_unit_test(test_the_text_is_the_documented_canonical_form),
        cmocka_unit_test(test_a_long_question_has_an_etag_but_no_key),
        cmocka_unit_test(test_an_unnamed_question_has_no_key),
        cmocka_unit_test(test_the_etag_is_the_version_and_sixteen_hex_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
