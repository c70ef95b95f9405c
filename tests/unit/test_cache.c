/* The response cache (server/http/cache.c): an answer kept for a question at a data
 * version is served for that question at that version only; a newer version drops
 * every older answer; the table stays within CACHE_MAX_ENTRIES and CACHE_MAX_BYTES,
 * the least recently used going first; a body being sent outlives its eviction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/cache.h"
#include "http/request.h"
#include "support/usage_fake.h"

/* Every test works at versions above the last one used, so entries that earlier tests
 * left behind are dropped by the first store and never match. */
static uint64_t version = 100;

static uint64_t next_version(void) {
    return ++version;
}

/* A request asking for path (with ?area=area) at version v, its question named as
 * the daemon names it. Static storage: a question is large. */
static struct request *ask(struct request *rq, const char *path, const char *area, uint64_t v) {
    memset(rq, 0, sizeof *rq);
    rq->path = path;
    rq->version = v;
    struct question_arg args[1] = {{"area", area}};
    question_make(&rq->question, path, args, 1, false, false, 24300);
    rq->question_named = true;
    return rq;
}

static void store(struct request *rq, const char *body, const char *metrics) {
    struct cache_key k;
    cache_key_make(rq, &k);
    struct reply rp = {0};
    cache_reply(&rp, &k, rq->version, 200, "application/json", strdup(body), strlen(body), metrics);
    /* The storing request is answered from the kept copy. */
    assert_int_equal(rp.source, REPLY_SHARED);
    assert_int_equal(rp.shared_len, strlen(body));
    assert_memory_equal(rp.shared, body, strlen(body));
    reply_free(&rp);
}

/* Serves rq from the cache into rp; true on a hit. */
static bool serve(struct request *rq, struct reply *rp) {
    struct cache_key k;
    cache_key_make(rq, &k);
    memset(rp, 0, sizeof *rp);
    return cache_serve(rq, rp, &k);
}

static bool held(struct request *rq) {
    struct reply rp;
    bool hit = serve(rq, &rp);
    reply_free(&rp);
    return hit;
}

/* A figure from cache_stats_render, by its metric line. */
static unsigned long long stat(const char *line) {
    struct strbuf out;
    strbuf_init(&out);
    cache_stats_render(&out);
    const char *p = strstr(out.data, line);
    assert_non_null(p);
    unsigned long long v = strtoull(p + strlen(line), NULL, 10);
    strbuf_free(&out);
    return v;
}

static void test_a_kept_answer_is_served_for_the_same_question(void **state) {
    (void)state;
    static struct request a, b;
    uint64_t v = next_version();
    usage_fake_reset();
    store(ask(&a, "/v1/dashboard", "E47000007", v), "{\"n\":1}", "m.one,m.two");
    unsigned long long hits = stat("result=\"hit\"} ");
    struct reply rp;
    assert_true(serve(ask(&b, "/v1/dashboard", "E47000007", v), &rp));
    assert_int_equal(rp.status, 200);
    assert_string_equal(rp.content_type, "application/json");
    assert_int_equal(rp.source, REPLY_SHARED);
    assert_int_equal(rp.shared_len, 7);
    assert_memory_equal(rp.shared, "{\"n\":1}", 7);
    reply_free(&rp);
    assert_int_equal(stat("result=\"hit\"} "), hits + 1);
    /* A hit is a read of the metrics the answer shows. */
    assert_string_equal(usage_fake_counted, "m.one,m.two");
}

static void test_another_question_misses(void **state) {
    (void)state;
    static struct request a, b;
    uint64_t v = next_version();
    store(ask(&a, "/v1/dashboard", "E47000007", v), "{}", NULL);
    unsigned long long misses = stat("result=\"miss\"} ");
    assert_false(held(ask(&b, "/v1/dashboard", "E08000025", v)));
    assert_false(held(ask(&b, "/v1/metrics/x/series", "E47000007", v)));
    assert_int_equal(stat("result=\"miss\"} "), misses + 2);
}

static void test_a_newer_version_drops_older_answers(void **state) {
    (void)state;
    static struct request a, b;
    uint64_t v = next_version();
    store(ask(&a, "/v1/dashboard", "E47000007", v), "{\"v\":1}", NULL);
    store(ask(&b, "/v1/dashboard", "E08000025", v), "{\"v\":1}", NULL);
    assert_int_equal(stat("\nwellbeing_cache_entries "), 2);
    /* Asked at the next version, the old answer does not match... */
    uint64_t w = next_version();
    assert_false(held(ask(&a, "/v1/dashboard", "E47000007", w)));
    /* ...and the first store at it drops both old entries. */
    unsigned long long evicted = stat("\nwellbeing_cache_evictions_total ");
    store(ask(&a, "/v1/dashboard", "E47000007", w), "{\"v\":2}", NULL);
    assert_int_equal(stat("\nwellbeing_cache_entries "), 1);
    assert_int_equal(stat("\nwellbeing_cache_evictions_total "), evicted + 2);
    struct reply rp;
    assert_true(serve(ask(&b, "/v1/dashboard", "E47000007", w), &rp));
    assert_memory_equal(rp.shared, "{\"v\":2}", 7);
    reply_free(&rp);
    /* A request still holding the old version finds nothing either. */
    assert_false(held(ask(&b, "/v1/dashboard", "E08000025", v)));
}

static void test_what_is_not_kept(void **state) {
    (void)state;
    static struct request a;
    uint64_t v = next_version();
    store(ask(&a, "/v1/other", "seed", v), "{}", NULL); /* clears older entries */
    struct cache_key k;
    struct reply rp = {0};
    /* Not a 200. */
    cache_key_make(ask(&a, "/v1/metrics/none/series", "E47000007", v), &k);
    cache_reply(&rp, &k, v, 404, "application/problem+json", strdup("{}"), 2, NULL);
    assert_int_equal(rp.status, 404);
    reply_free(&rp);
    assert_false(held(&a));
    /* No data version. */
    cache_key_make(ask(&a, "/v1/a", "E47000007", v), &k);
    cache_reply(&rp, &k, 0, 200, "application/json", strdup("{}"), 2, NULL);
    reply_free(&rp);
    assert_false(held(&a));
    /* Over the body bound (answered all the same). */
    cache_key_make(ask(&a, "/v1/big", "E47000007", v), &k);
    char *big = malloc(CACHE_MAX_BODY + 1);
    memset(big, 'x', CACHE_MAX_BODY + 1);
    cache_reply(&rp, &k, v, 200, "text/csv", big, CACHE_MAX_BODY + 1, NULL);
    assert_int_equal(rp.shared_len, CACHE_MAX_BODY + 1);
    reply_free(&rp);
    assert_false(held(&a));
    /* A question without a usable key. */
    ask(&a, "/v1/unnamed", "E47000007", v);
    a.question_named = false;
    cache_key_make(&a, &k);
    assert_false(k.usable);
    cache_reply(&rp, &k, v, 200, "application/json", strdup("{}"), 2, NULL);
    reply_free(&rp);
    a.question_named = true;
    assert_false(held(&a));
    assert_int_equal(stat("\nwellbeing_cache_entries "), 1);
}

static void test_the_entry_bound_evicts_the_least_recently_used(void **state) {
    (void)state;
    static struct request rq;
    uint64_t v = next_version();
    char area[32];
    for (int i = 0; i < CACHE_MAX_ENTRIES; i++) {
        snprintf(area, sizeof area, "A%04d", i);
        store(ask(&rq, "/v1/dashboard", area, v), "{}", NULL);
    }
    assert_int_equal(stat("\nwellbeing_cache_entries "), CACHE_MAX_ENTRIES);
    /* A0000 is the oldest store, but a hit makes it recent: A0001 goes instead. */
    assert_true(held(ask(&rq, "/v1/dashboard", "A0000", v)));
    store(ask(&rq, "/v1/dashboard", "one more", v), "{}", NULL);
    assert_int_equal(stat("\nwellbeing_cache_entries "), CACHE_MAX_ENTRIES);
    assert_true(held(ask(&rq, "/v1/dashboard", "A0000", v)));
    assert_false(held(ask(&rq, "/v1/dashboard", "A0001", v)));
    assert_true(held(ask(&rq, "/v1/dashboard", "A0002", v)));
    assert_true(held(ask(&rq, "/v1/dashboard", "one more", v)));
}

static void test_the_byte_bound_holds(void **state) {
    (void)state;
    static struct request rq;
    uint64_t v = next_version();
    size_t size = CACHE_MAX_BODY; /* the largest body kept */
    int fits = (int)(CACHE_MAX_BYTES / size);
    char area[32];
    for (int i = 0; i <= fits; i++) {
        snprintf(area, sizeof area, "B%d", i);
        char *body = malloc(size);
        memset(body, 'a' + i % 26, size);
        struct cache_key k;
        struct reply rp = {0};
        cache_key_make(ask(&rq, "/v1/observations", area, v), &k);
        cache_reply(&rp, &k, v, 200, "text/csv", body, size, NULL);
        reply_free(&rp);
        assert_true(stat("\nwellbeing_cache_bytes ") <= CACHE_MAX_BYTES);
    }
    assert_int_equal(stat("\nwellbeing_cache_entries "), fits);
    assert_int_equal(stat("\nwellbeing_cache_bytes "), (unsigned long long)fits * size);
    assert_false(held(ask(&rq, "/v1/observations", "B0", v)));
    snprintf(area, sizeof area, "B%d", fits);
    assert_true(held(ask(&rq, "/v1/observations", area, v)));
}

/* An answer being sent holds its own reference: evicting it from the table mid-send
 * leaves the bytes alive until the reply lets go (ASan would report the use). */
static void test_a_body_being_sent_outlives_its_eviction(void **state) {
    (void)state;
    static struct request rq;
    uint64_t v = next_version();
    store(ask(&rq, "/v1/dashboard", "E47000007", v), "{\"kept\":true}", NULL);
    struct reply sending;
    assert_true(serve(&rq, &sending));
    store(ask(&rq, "/v1/dashboard", "E47000007", next_version()), "{}", NULL);
    assert_int_equal(stat("\nwellbeing_cache_entries "), 1);
    assert_memory_equal(sending.shared, "{\"kept\":true}", 13);
    reply_free(&sending);
}

static void test_keep_turns_a_json_reply_into_the_kept_bytes(void **state) {
    (void)state;
    static struct request rq;
    uint64_t v = next_version();
    ask(&rq, "/v1/metrics/m/series", "E47000007", v);
    struct cache_key k;
    cache_key_make(&rq, &k);
    struct reply rp = {0};
    reply_json(&rp, 200, json_pack("{s:f, s:[i]}", "x", 0.1, "points", 3));
    cache_keep(&rp, &k, v, "m");
    assert_int_equal(rp.source, REPLY_SHARED);
    assert_null(rp.json);
    const char *want = "{\"x\":0.1,\"points\":[3]}";
    assert_int_equal(rp.shared_len, strlen(want));
    assert_memory_equal(rp.shared, want, strlen(want));
    reply_free(&rp);
    struct reply again;
    assert_true(serve(&rq, &again));
    assert_memory_equal(again.shared, want, strlen(want));
    reply_free(&again);
    /* A non-200 is left as it was. */
    struct reply problem = {0};
    reply_json(&problem, 404, json_object());
    cache_keep(&problem, &k, v, "m");
    assert_int_equal(problem.source, REPLY_NONE);
    assert_non_null(problem.json);
    reply_free(&problem);
}

static void test_a_hit_carries_the_handlers_headers_once(void **state) {
    (void)state;
    static struct request rq;
    uint64_t v = next_version();
    ask(&rq, "/v1/metrics/m/series", "E08000025", v);
    struct cache_key k;
    cache_key_make(&rq, &k);
    struct reply rp = {0};
    reply_header(&rp, "Content-Disposition", "attachment; filename=\"m_series.csv\"");
    reply_body(&rp, 200, "text/csv", strdup("a,b\r\n"), 5);
    cache_keep(&rp, &k, v, "m");
    assert_int_equal(rp.nheaders, 1); /* the storing answer keeps its own, not a second */
    reply_free(&rp);
    /* A hit answered before any handler ran (the event loop's) has the file name. */
    struct reply early;
    assert_true(serve(&rq, &early));
    assert_int_equal(early.nheaders, 1);
    assert_string_equal(early.headers[0][0], "Content-Disposition");
    assert_string_equal(early.headers[0][1], "attachment; filename=\"m_series.csv\"");
    reply_free(&early);
    /* One whose handler had set it already does not get it twice. */
    struct reply late = {0};
    reply_header(&late, "Content-Disposition", "attachment; filename=\"m_series.csv\"");
    struct cache_key k2;
    cache_key_make(&rq, &k2);
    assert_true(cache_serve(&rq, &late, &k2));
    assert_int_equal(late.nheaders, 1);
    reply_free(&late);
}

static void test_a_revalidation_counts_the_metrics_held(void **state) {
    (void)state;
    static struct request rq;
    uint64_t v = next_version();
    store(ask(&rq, "/v1/dashboard", "E47000007", v), "{}", "m.a,m.b");
    usage_fake_reset();
    cache_count_revalidated(&rq);
    assert_string_equal(usage_fake_counted, "m.a,m.b");
    /* Nothing held for the question: nothing counted. */
    usage_fake_reset();
    cache_count_revalidated(ask(&rq, "/v1/dashboard", "nowhere", v));
    assert_int_equal(usage_fake_calls, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_kept_answer_is_served_for_the_same_question),
        cmocka_unit_test(test_another_question_misses),
        cmocka_unit_test(test_a_newer_version_drops_older_answers),
        cmocka_unit_test(test_what_is_not_kept),
        cmocka_unit_test(test_the_entry_bound_evicts_the_least_recently_used),
        cmocka_unit_test(test_the_byte_bound_holds),
        cmocka_unit_test(test_a_body_being_sent_outlives_its_eviction),
        cmocka_unit_test(test_keep_turns_a_json_reply_into_the_kept_bytes),
        cmocka_unit_test(test_a_hit_carries_the_handlers_headers_once),
        cmocka_unit_test(test_a_revalidation_counts_the_metrics_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
