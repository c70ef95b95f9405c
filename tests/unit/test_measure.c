/* Targets measured against series, with no database: the MHFA trajectory (500,000 by
 * 2026-12 from 0 at 2017-01) against its latest whole figure, a cumulative target on a
 * flow that stops at the first partial month, polarity taken from the metric, and
 * which of a metric's targets applies at a month. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%s = %.12g, want %.12g", #a, a_, b_);                                        \
    } while (0)

#include "domain/measure.h"

#define M(y, mo) ((y)*12 + (mo)-1)

static struct metric make_metric(const char *kind, const char *polarity) {
    struct metric m = {0};
    strcpy(m.code, "mhfa.people_trained");
    strcpy(m.kind, kind);
    strcpy(m.unit, "count");
    strcpy(m.frequency, "monthly");
    strcpy(m.polarity, polarity);
    metric_classify(&m);
    return m;
}

static struct measure_target mhfa(const char *basis) {
    struct measure_target t = {
        .id = 1,
        .t = {.start = M(2017, 1), .end = M(2026, 12), .value = 500000, .amber_within = 0.10}};
    strcpy(t.metric, "mhfa.people_trained");
    strcpy(t.basis, basis);
    return t;
}

static struct point pt(int month, double per, bool whole) {
    return (struct point){
        .month = month, .value = per, .per = per, .whole = whole, .complete = whole};
}

static void test_level_target_reads_the_latest_whole_figure(void **state) {
    (void)state;
    struct metric m = make_metric("stock", "higher_is_better");
    struct measure_target t = mhfa("level");
    struct point pts[] = {pt(M(2018, 11), 11000, true), pt(M(2018, 12), 12013, true),
                          pt(M(2019, 1), 3, false)};
    struct series s = {3, pts, NULL};
    struct measure ev;
    measure_target(&t, &m, &s, &ev);
    assert_true(ev.has);
    assert_int_equal(ev.month, M(2018, 12)); /* the partial January is passed over */
    assert_near(ev.actual, 12013, 1e-9);
    assert_near(target_round(ev.expected, 1), 96638.7, 1e-9);
    assert_true(ev.has_pt);
    assert_near(target_round(ev.percent_of_target, 1), 2.4, 1e-9);
    assert_int_equal(ev.rag, TARGET_RED);
}

static void test_cumulative_target_sums_the_window_up_to_a_gap_or_partial(void **state) {
    (void)state;
    struct metric m = make_metric("flow", "higher_is_better");
    struct measure_target t = mhfa("cumulative");
    t.t.start = M(2019, 1);
    t.t.end = M(2019, 12);
    t.t.value = 120;
    struct point pts[] = {pt(M(2018, 12), 99, true), pt(M(2019, 1), 10, true),
                          pt(M(2019, 2), 10, true), pt(M(2019, 3), 10, false),
                          pt(M(2019, 4), 10, true)};
    struct series s = {5, pts, NULL};
    struct measure ev;
    measure_target(&t, &m, &s, &ev);
    assert_true(ev.has);
    assert_int_equal(ev.month, M(2019, 2));
    assert_near(ev.actual, 20, 1e-9); /* December is outside the window */
    assert_near(ev.expected, 120.0 / 11, 1e-9);
    assert_int_equal(ev.rag, TARGET_GREEN);
}

static void test_polarity_comes_from_the_metric(void **state) {
    (void)state;
    struct metric m = make_metric("stock", "lower_is_better");
    struct measure_target t = mhfa("level");
    t.t.baseline = 100;
    t.t.value = 0;
    struct point pts[] = {pt(M(2017, 1), 90, true)};
    struct series s = {1, pts, NULL};
    struct measure ev;
    measure_target(&t, &m, &s, &ev);
    assert_int_equal(ev.rag, TARGET_GREEN); /* 90 is below the trajectory's 100 */
    struct series none = {0, pts, NULL};
    measure_target(&t, &m, &none, &ev);
    assert_false(ev.has);
}

static void test_pick_holding_then_next_then_last_ended(void **state) {
    (void)state;
    struct measure_target ts[3] = {mhfa("level"), mhfa("level"), mhfa("level")};
    ts[0].t.start = M(2017, 1), ts[0].t.end = M(2018, 12);
    ts[1].t.start = M(2019, 1), ts[1].t.end = M(2020, 12);
    ts[2].t.start = M(2022, 1), ts[2].t.end = M(2026, 12);
    assert_int_equal(measure_pick(ts, 3, "mhfa.people_trained", M(2019, 6)), 1);
    assert_int_equal(measure_pick(ts, 3, "mhfa.people_trained", M(2021, 6)), 2);
    assert_int_equal(measure_pick(ts, 3, "mhfa.people_trained", M(2030, 1)), 2);
    assert_int_equal(measure_pick(ts, 3, "mhfa.people_trained", M(2016, 1)), 0);
    assert_int_equal(measure_pick(ts, 3, "thrive.other", M(2019, 6)), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_level_target_reads_the_latest_whole_figure),
        cmocka_unit_test(test_cumulative_target_sums_the_window_up_to_a_gap_or_partial),
        cmocka_unit_test(test_polarity_comes_from_the_metric),
        cmocka_unit_test(test_pick_holding_then_next_then_last_ended),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
