/* XmR judgements: limits and the screening of large moving ranges, each special-cause
 * rule on a series made to trigger it, each precedence (outside over trend, trend over
 * shift, 2-in-3 over shift), polarity, the change basis for running totals, breaks, the
 * 12-point minimum and assurance with a target on both bases. Every expected number is
 * worked by hand in the comment above its test. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/spc.h"

/* cmocka 1.1's float assertion works in single precision: compare doubles here. */
#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%s = %.12g, want %.12g", #a, a_, b_);                                        \
    } while (0)

#define MAXN 64

struct run {
    int month[MAXN];
    double value[MAXN];
    struct spc_point points[MAXN];
    struct spc_input in;
    struct spc_result r;
};

/* Monthly figures at months 0..n-1, value basis, higher is better, no target. */
static void setup(struct run *t, const double *v, int n) {
    assert_true(n <= MAXN);
    for (int i = 0; i < n; i++) {
        t->month[i] = i;
        t->value[i] = v[i];
    }
    t->in = (struct spc_input){.month = t->month,
                               .value = t->value,
                               .n = n,
                               .step = 1,
                               .basis = SPC_BASIS_VALUE,
                               .polarity = POLARITY_HIGHER_IS_BETTER};
}

static void judge(struct run *t) {
    spc_judge(&t->in, t->points, &t->r);
}

/* Asserts the rule of every point against a string, one letter a point: . common cause,
 * U/L outside the upper/lower limit, I/D trend increasing/decreasing, H/W 2-in-3 high/low
 * (W for "weak side"), A/B shift above/below the mean. */
static void assert_rules(const struct run *t, const char *want) {
    assert_int_equal((int)strlen(want), t->r.npoints);
    for (int i = 0; i < t->r.npoints; i++) {
        char got = '.';
        switch (t->points[i].rule) {
        case SPC_ABOVE_UPPER_LIMIT:
            got = 'U';
            break;
        case SPC_BELOW_LOWER_LIMIT:
            got = 'L';
            break;
        case SPC_TREND_INCREASING:
            got = 'I';
            break;
        case SPC_TREND_DECREASING:
            got = 'D';
            break;
        case SPC_TWO_OF_THREE_HIGH:
            got = 'H';
            break;
        case SPC_TWO_OF_THREE_LOW:
            got = 'W';
            break;
        case SPC_SHIFT_ABOVE_MEAN:
            got = 'A';
            break;
        case SPC_SHIFT_BELOW_MEAN:
            got = 'B';
            break;
        case SPC_RULE_NONE:
            break;
        }
        if (got != want[i])
            fail_msg("point %d (%g): rule %s, want '%c' in \"%s\"", i, t->points[i].value,
                     spc_rule_name(t->points[i].rule), want[i], want);
    }
}

static void negate(double *v, int n) {
    for (int i = 0; i < n; i++)
        v[i] = -v[i];
}

/* 10,12,11,13 three times: mean 11.5; moving ranges 2,1,2,3 ... sum 21 over 11; none is
 * 3.267 times that; limits 11.5 -+ 2.66 x 21/11. Close starts 2/3 of the way out
 * (11.5 -+ 3.385): nothing is there, nothing runs. */
static void test_stable_series_limits_and_common_cause(void **state) {
    (void)state;
    const double v[] = {10, 12, 11, 13, 10, 12, 11, 13, 10, 12, 11, 13};
    struct run t;
    setup(&t, v, 12);
    judge(&t);
    assert_true(t.r.judged);
    assert_int_equal(t.r.npoints, 12);
    assert_near(t.r.mean, 11.5, 1e-12);
    assert_near(t.r.average_moving_range, 21.0 / 11, 1e-12);
    assert_near(t.r.lower_limit, 11.5 - 2.66 * 21.0 / 11, 1e-12);
    assert_near(t.r.upper_limit, 11.5 + 2.66 * 21.0 / 11, 1e-12);
    assert_rules(&t, "............");
    assert_int_equal(t.r.variation, SPC_COMMON_CAUSE);
    assert_int_equal(t.r.assurance, SPC_ASSURANCE_NONE);
}

/* Eleven points make no judgement; the twelfth does. */
static void test_fewer_than_twelve_points_give_no_judgement(void **state) {
    (void)state;
    const double v[] = {10, 12, 11, 13, 10, 12, 11, 13, 10, 12, 11, 13};
    struct run t;
    setup(&t, v, 11);
    judge(&t);
    assert_false(t.r.judged);
    assert_int_equal(t.r.npoints, 11);
    setup(&t, v, 12);
    judge(&t);
    assert_true(t.r.judged);
}

/* 8,12 alternating then 30: mean 138/12 = 11.5. Moving ranges: ten of 4 and one of 22,
 * average 62/11 = 5.64; 22 is more than 3.267 x 5.64 = 18.4, so it is left out and the
 * average is 4 again: limits 11.5 -+ 10.64. Only 30 is beyond one. */
static void test_large_moving_range_is_screened_and_point_above_upper_limit(void **state) {
    (void)state;
    const double v[] = {8, 12, 8, 12, 8, 12, 8, 12, 8, 12, 8, 30};
    struct run t;
    setup(&t, v, 12);
    judge(&t);
    assert_near(t.r.mean, 11.5, 1e-12);
    assert_near(t.r.average_moving_range, 4, 1e-12);
    assert_near(t.r.upper_limit, 11.5 + 10.64, 1e-12);
    assert_rules(&t, "...........U");
    assert_int_equal(t.points[11].type, SPC_IMPROVEMENT);
    assert_int_equal(t.r.variation, SPC_IMPROVEMENT);
    /* Polarity turns the same point into a concern, or a neutral high. */
    t.in.polarity = POLARITY_LOWER_IS_BETTER;
    judge(&t);
    assert_int_equal(t.r.variation, SPC_CONCERN);
    t.in.polarity = POLARITY_NEUTRAL;
    judge(&t);
    assert_int_equal(t.r.variation, SPC_NEUTRAL_HIGH);
    assert_string_equal(spc_type_name(t.r.variation), "special_cause_neutral_high");
}

/* 28,32 alternating then 10: mean 338/12 = 28.17; the range of 18 into 10 is screened
 * (average 58/11 = 5.27, 3.267 x that = 17.2), average 4, lower limit 17.53. */
static void test_point_below_lower_limit(void **state) {
    (void)state;
    const double v[] = {28, 32, 28, 32, 28, 32, 28, 32, 28, 32, 28, 10};
    struct run t;
    setup(&t, v, 12);
    judge(&t);
    assert_near(t.r.average_moving_range, 4, 1e-12);
    assert_rules(&t, "...........L");
    assert_int_equal(t.r.variation, SPC_CONCERN);
    assert_string_equal(spc_rule_name(t.points[11].rule), "below_lower_limit");
}

/* 12,10 three times then 10.2 .. 11.2 by 0.2: the last seven (10, 10.2, ..., 11.2) each
 * higher than the one before. Mean 10.85, average moving range 11.2/11 = 1.02, limits
 * 10.85 -+ 2.71, close beyond 10.85 -+ 1.81 (none); five of the run below the mean, so
 * no shift. */
static const double RISING[] = {12, 10, 12, 10, 12, 10, 10.2, 10.4, 10.6, 10.8, 11.0, 11.2};

static void test_seven_rising_points_are_a_trend(void **state) {
    (void)state;
    struct run t;
    setup(&t, RISING, 12);
    judge(&t);
    assert_rules(&t, ".....IIIIIII");
    assert_int_equal(t.r.variation, SPC_IMPROVEMENT);
    /* Six rising points are not a trend: 10.3 at index 5 falls to 10.2, so the rise runs
     * from index 6 only. */
    double v[12];
    memcpy(v, RISING, sizeof v);
    v[5] = 10.3;
    setup(&t, v, 12);
    judge(&t);
    assert_rules(&t, "............");
    /* A repeat in the middle (10.4, 10.4) breaks the run: no trend. */
    setup(&t, RISING, 12);
    t.value[8] = 10.4;
    judge(&t);
    assert_rules(&t, "............");
}

/* The mirror image falls: a decreasing trend, a concern when higher is better and an
 * improvement when lower is. */
static void test_seven_falling_points_are_a_decreasing_trend(void **state) {
    (void)state;
    double v[12];
    memcpy(v, RISING, sizeof v);
    negate(v, 12);
    struct run t;
    setup(&t, v, 12);
    judge(&t);
    assert_rules(&t, ".....DDDDDDD");
    assert_int_equal(t.r.variation, SPC_CONCERN);
    t.in.polarity = POLARITY_LOWER_IS_BETTER;
    judge(&t);
    assert_int_equal(t.r.variation, SPC_IMPROVEMENT);
}

/* The rising series with its last point 20: mean 139/12 = 11.58; the range of 9 into 20
 * is screened (average 20/11 = 1.82, x 3.267 = 5.94), average 1.1, limits 8.66 .. 14.51.
 * 20 is beyond the upper limit and part of the trend: outside wins. */
static void test_outside_a_limit_outranks_a_trend(void **state) {
    (void)state;
    double v[12];
    memcpy(v, RISING, sizeof v);
    v[11] = 20;
    struct run t;
    setup(&t, v, 12);
    judge(&t);
    assert_near(t.r.average_moving_range, 1.1, 1e-12);
    assert_rules(&t, ".....IIIIIIU");
}

/* 0,10 alternating, then 11..17: eight rising points (the 0 at index 4 starts the run),
 * seven of them above the mean 118/12 = 9.83 — a shift too, but the trend comes first.
 * Limits 9.83 -+ 13.79 (average moving range 57/11); the 0s are close to the lower limit
 * but never two of three on one side. */
static void test_trend_outranks_a_shift(void **state) {
    (void)state;
    const double v[] = {0, 10, 0, 10, 0, 11, 12, 13, 14, 15, 16, 17};
    struct run t;
    setup(&t, v, 12);
    judge(&t);
    assert_rules(&t, "....IIIIIIII");
}

/* 0,10 alternating then 6,7 alternating: the last seven above the mean 65/12 = 5.42,
 * neither monotone nor close (close beyond 5.42 + 8.38). A shift above; negated, below. */
static void test_seven_points_above_the_mean_are_a_shift(void **state) {
    (void)state;
    double v[] = {0, 10, 0, 10, 0, 6, 7, 6, 7, 6, 7, 6};
    struct run t;
    setup(&t, v, 12);
    judge(&t);
    assert_rules(&t, ".....AAAAAAA");
    assert_int_equal(t.r.variation, SPC_IMPROVEMENT);
    negate(v, 12);
    setup(&t, v, 12);
    judge(&t);
    assert_rules(&t, ".....BBBBBBB");
    assert_int_equal(t.r.variation, SPC_CONCERN);
    assert_string_equal(spc_rule_name(t.points[11].rule), "shift_below_mean");
}

/* Six points above the mean are not a shift: 0,10 alternating for six, then 6,7,6,7,6
 * and a 0 at the end (below). */
static void test_six_points_above_the_mean_are_not_a_shift(void **state) {
    (void)state;
    const double v[] = {0, 10, 0, 10, 0, 10, 6, 7, 6, 7, 6, 0};
    struct run t;
    setup(&t, v, 12);
    judge(&t);
    for (int i = 0; i < 12; i++)
        assert_int_not_equal(t.points[i].rule, SPC_SHIFT_ABOVE_MEAN);
}

/* 10,12 alternating for 13, then 17,12,17: mean 188/16 = 11.75, average moving range
 * 41/15 = 2.73, upper limit 19.02, close above 11.75 + 4.85 = 16.60. The 17s are close,
 * the 12 between them is above the mean: 2 of 3 high, the close points only. */
static void test_two_of_three_close_points_on_one_side(void **state) {
    (void)state;
    double v[] = {10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 17, 12, 17};
    struct run t;
    setup(&t, v, 16);
    judge(&t);
    assert_near(t.r.mean, 11.75, 1e-12);
    assert_near(t.r.upper_limit, 11.75 + 2.66 * 41.0 / 15, 1e-12);
    assert_rules(&t, ".............H.H");
    assert_int_equal(t.r.variation, SPC_IMPROVEMENT);
    negate(v, 16);
    setup(&t, v, 16);
    judge(&t);
    assert_rules(&t, ".............W.W");
    assert_string_equal(spc_rule_name(t.points[15].rule), "two_of_three_low");
}

/* The same with 11 between the 17s: mean 11.69, the 17s still close (above 16.77), but
 * the 11 is below the mean, so the three are not on one side: no signal. */
static void test_two_close_points_across_the_mean_are_no_signal(void **state) {
    (void)state;
    const double v[] = {10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 17, 11, 17};
    struct run t;
    setup(&t, v, 16);
    judge(&t);
    assert_true(t.points[13].close && t.points[15].close);
    assert_rules(&t, "................");
}

/* 7,9 alternating then 12,12,16,12,16,12,12: mean 131/12 = 10.92, average moving range
 * 29/11 = 2.64, limits 3.90 .. 17.93, close above 15.59. The seven are a shift; the two
 * 16s are a 2 in 3 (16,12,16 all above), which comes before the shift. */
static void test_two_of_three_outranks_a_shift(void **state) {
    (void)state;
    const double v[] = {7, 9, 7, 9, 7, 12, 12, 16, 12, 16, 12, 12};
    struct run t;
    setup(&t, v, 12);
    judge(&t);
    assert_rules(&t, ".....AAHAHAA");
}

/* 0,20 alternating, then 10 up to 16 and back down to 10: the rise and the fall share the
 * 16, which takes the later run (falling). Limits -6.1 .. 29.9, nothing outside. */
static void test_a_peak_between_two_trends_takes_the_later_run(void **state) {
    (void)state;
    const double v[] = {0, 20, 0, 20, 0, 20, 10, 11, 12, 13, 14, 15, 16, 15, 14, 13, 12, 11, 10};
    struct run t;
    setup(&t, v, 19);
    judge(&t);
    assert_rules(&t, "......IIIIIIDDDDDDD");
}

/* Running totals: the change basis plots each month's rise, dated at the later month; a
 * missing month gives no change for the month after it. */
static void test_change_basis_uses_month_on_month_differences(void **state) {
    (void)state;
    struct run t;
    double total = 100;
    for (int i = 0; i < 13; i++) {
        t.month[i] = 24 + i;
        t.value[i] = total;
        total += i % 2 ? 12 : 10;
    }
    t.in = (struct spc_input){.month = t.month,
                              .value = t.value,
                              .n = 13,
                              .step = 1,
                              .basis = SPC_BASIS_CHANGE,
                              .polarity = POLARITY_HIGHER_IS_BETTER};
    judge(&t);
    assert_true(t.r.judged);
    assert_int_equal(t.r.basis, SPC_BASIS_CHANGE);
    assert_int_equal(t.r.npoints, 12);
    assert_int_equal(t.points[0].month, 25);
    assert_near(t.points[0].value, 10, 1e-12);
    assert_near(t.points[1].value, 12, 1e-12);
    assert_near(t.r.mean, 11, 1e-12);
    assert_near(t.r.average_moving_range, 2, 1e-12);
    /* Take out month 30: no change is dated at 30, and none at 31 (29 to 31 is two
     * months, not a month-on-month change): 10 points, too few to judge. */
    for (int i = 6; i < 12; i++) {
        t.month[i] = t.month[i + 1];
        t.value[i] = t.value[i + 1];
    }
    t.in.n = 12;
    judge(&t);
    assert_int_equal(t.r.npoints, 10);
    assert_false(t.r.judged);
}

/* A break: only figures from it on count, so 20 points with a break at month 8 leave 12
 * (judged), at month 9 leave 11 (not judged). */
static void test_break_keeps_points_from_the_latest_break_on(void **state) {
    (void)state;
    double v[20];
    for (int i = 0; i < 20; i++)
        v[i] = i % 2 ? 12 : 10;
    struct run t;
    setup(&t, v, 20);
    t.in.has_break = true;
    t.in.break_month = 8;
    judge(&t);
    assert_true(t.r.judged);
    assert_int_equal(t.r.npoints, 12);
    assert_int_equal(t.points[0].month, 8);
    t.in.break_month = 9;
    judge(&t);
    assert_false(t.r.judged);
    assert_int_equal(t.r.npoints, 11);
}

/* Value basis: the stable series' limits are 6.42 .. 16.58. */
static void test_assurance_against_a_value_target(void **state) {
    (void)state;
    const double v[] = {10, 12, 11, 13, 10, 12, 11, 13, 10, 12, 11, 13};
    struct run t;
    setup(&t, v, 12);
    t.in.has_target = true;
    t.in.target_value = 20; /* above the upper limit: the process never reaches it */
    judge(&t);
    assert_int_equal(t.r.assurance, SPC_CONSISTENT_FAIL);
    assert_false(t.r.has_required);
    assert_false(t.r.has_projected);
    t.in.target_value = 5; /* below the lower limit: always met */
    judge(&t);
    assert_int_equal(t.r.assurance, SPC_CONSISTENT_PASS);
    t.in.target_value = 12; /* between the limits: sometimes met */
    judge(&t);
    assert_int_equal(t.r.assurance, SPC_INCONSISTENT);
    assert_string_equal(spc_assurance_name(t.r.assurance), "inconsistent");
    t.in.polarity = POLARITY_LOWER_IS_BETTER;
    t.in.target_value = 20; /* lower is better: always under it */
    judge(&t);
    assert_int_equal(t.r.assurance, SPC_CONSISTENT_PASS);
    t.in.target_value = 5;
    judge(&t);
    assert_int_equal(t.r.assurance, SPC_CONSISTENT_FAIL);
    t.in.polarity = POLARITY_NEUTRAL;
    judge(&t);
    assert_int_equal(t.r.assurance, SPC_ASSURANCE_NONE);
    assert_null(spc_assurance_name(t.r.assurance));
}

/* Change basis: totals 100 .. 232 at months 0..12 rising 10, 12, 10, ...; mean change 11,
 * limits 11 -+ 5.32. Each target's end is month 22, ten periods after the latest. */
static void test_assurance_against_a_total_uses_the_change_still_needed(void **state) {
    (void)state;
    struct run t;
    double total = 100;
    for (int i = 0; i < 13; i++) {
        t.month[i] = i;
        t.value[i] = total;
        total += i % 2 ? 12 : 10;
    }
    assert_near(t.value[12], 232, 1e-12);
    t.in = (struct spc_input){.month = t.month,
                              .value = t.value,
                              .n = 13,
                              .step = 1,
                              .basis = SPC_BASIS_CHANGE,
                              .polarity = POLARITY_HIGHER_IS_BETTER,
                              .has_target = true,
                              .target_value = 252,
                              .target_end = 22};
    judge(&t);
    /* 20 to go over 10 periods: 2 a period, under the lower limit 5.68: always met. At
     * the mean change of 11 it is reached in 2 periods (20 / 11 rounded up): month 14. */
    assert_near(t.r.required_per_period, 2, 1e-12);
    assert_int_equal(t.r.assurance, SPC_CONSISTENT_PASS);
    assert_true(t.r.has_projected);
    assert_int_equal(t.r.projected_month, 14);
    /* 300 to go: 30 a period, over the upper limit 16.32; reached in 28 periods. */
    t.in.target_value = 532;
    judge(&t);
    assert_near(t.r.required_per_period, 30, 1e-12);
    assert_int_equal(t.r.assurance, SPC_CONSISTENT_FAIL);
    assert_int_equal(t.r.projected_month, 40);
    /* 110 to go: 11 a period, inside the limits; exactly 10 periods at the mean. */
    t.in.target_value = 342;
    judge(&t);
    assert_int_equal(t.r.assurance, SPC_INCONSISTENT);
    assert_int_equal(t.r.projected_month, 22);
    /* The end already passed: nothing is still needed per period, so no assurance; the
     * projection stands. */
    t.in.target_end = 12;
    judge(&t);
    assert_false(t.r.has_required);
    assert_int_equal(t.r.assurance, SPC_ASSURANCE_NONE);
    assert_int_equal(t.r.projected_month, 22);
    /* Reached already: the projected period is the latest figure's. */
    t.in.target_value = 200;
    t.in.target_end = 22;
    judge(&t);
    assert_int_equal(t.r.projected_month, 12);
    assert_near(t.r.required_per_period, -3.2, 1e-12);
    assert_int_equal(t.r.assurance, SPC_CONSISTENT_PASS);
}

/* Quarterly running totals: periods are three months, so ten quarters to the end. */
static void test_quarterly_change_basis_counts_quarters(void **state) {
    (void)state;
    struct run t;
    double total = 0;
    for (int i = 0; i < 13; i++) {
        t.month[i] = 3 * i;
        t.value[i] = total;
        total += i % 2 ? 12 : 10;
    }
    t.in = (struct spc_input){.month = t.month,
                              .value = t.value,
                              .n = 13,
                              .step = 3,
                              .basis = SPC_BASIS_CHANGE,
                              .polarity = POLARITY_HIGHER_IS_BETTER,
                              .has_target = true,
                              .target_value = 132 + 110,
                              .target_end = 36 + 30};
    judge(&t);
    assert_true(t.r.judged);
    assert_near(t.r.required_per_period, 11, 1e-12);
    assert_int_equal(t.r.projected_month, 66);
}

/* A flow with a total to reach: its figures are the changes, so the target is judged by
 * what is still needed per period from the total so far. Flow 10,12,... (mean 11, limits
 * 5.68 .. 16.32); 120 reached so far, 300 by month 21: 180 over 10 periods, 18 a period,
 * above the upper limit; at 11 a period it takes 17 periods (month 28). */
static void test_flow_with_a_total_target_uses_the_change_still_needed(void **state) {
    (void)state;
    double v[12];
    for (int i = 0; i < 12; i++)
        v[i] = i % 2 ? 12 : 10;
    struct run t;
    setup(&t, v, 12);
    t.in.has_target = true;
    t.in.target_value = 300;
    t.in.target_end = 21;
    t.in.target_is_total = true;
    t.in.total_so_far = 120;
    judge(&t);
    assert_int_equal(t.r.basis, SPC_BASIS_VALUE);
    assert_near(t.r.required_per_period, 18, 1e-12);
    assert_int_equal(t.r.assurance, SPC_CONSISTENT_FAIL);
    assert_int_equal(t.r.projected_month, 11 + 17);
}

/* A mean change away from the target never reaches it. */
static void test_no_projection_when_the_mean_change_goes_the_wrong_way(void **state) {
    (void)state;
    struct run t;
    double total = 500;
    for (int i = 0; i < 13; i++) {
        t.month[i] = i;
        t.value[i] = total;
        total -= i % 2 ? 12 : 10;
    }
    t.in = (struct spc_input){.month = t.month,
                              .value = t.value,
                              .n = 13,
                              .step = 1,
                              .basis = SPC_BASIS_CHANGE,
                              .polarity = POLARITY_HIGHER_IS_BETTER,
                              .has_target = true,
                              .target_value = 1000,
                              .target_end = 24};
    judge(&t);
    assert_true(t.r.judged);
    assert_false(t.r.has_projected);
    assert_int_equal(t.r.assurance, SPC_CONSISTENT_FAIL);
}

/* A flat series: every moving range 0, limits on the mean, every point common cause. */
static void test_flat_series_is_common_cause(void **state) {
    (void)state;
    const double v[] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    struct run t;
    setup(&t, v, 12);
    judge(&t);
    assert_true(t.r.judged);
    assert_near(t.r.average_moving_range, 0, 0);
    assert_near(t.r.upper_limit, 5, 0);
    assert_rules(&t, "............");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stable_series_limits_and_common_cause),
        cmocka_unit_test(test_fewer_than_twelve_points_give_no_judgement),
        cmocka_unit_test(test_large_moving_range_is_screened_and_point_above_upper_limit),
        cmocka_unit_test(test_point_below_lower_limit),
        cmocka_unit_test(test_seven_rising_points_are_a_trend),
        cmocka_unit_test(test_seven_falling_points_are_a_decreasing_trend),
        cmocka_unit_test(test_outside_a_limit_outranks_a_trend),
        cmocka_unit_test(test_trend_outranks_a_shift),
        cmocka_unit_test(test_seven_points_above_the_mean_are_a_shift),
        cmocka_unit_test(test_six_points_above_the_mean_are_not_a_shift),
        cmocka_unit_test(test_two_of_three_close_points_on_one_side),
        cmocka_unit_test(test_two_close_points_across_the_mean_are_no_signal),
        cmocka_unit_test(test_two_of_three_outranks_a_shift),
        cmocka_unit_test(test_a_peak_between_two_trends_takes_the_later_run),
        cmocka_unit_test(test_change_basis_uses_month_on_month_differences),
        cmocka_unit_test(test_break_keeps_points_from_the_latest_break_on),
        cmocka_unit_test(test_assurance_against_a_value_target),
        cmocka_unit_test(test_assurance_against_a_total_uses_the_change_still_needed),
        cmocka_unit_test(test_quarterly_change_basis_counts_quarters),
        cmocka_unit_test(test_flow_with_a_total_target_uses_the_change_still_needed),
        cmocka_unit_test(test_no_projection_when_the_mean_change_goes_the_wrong_way),
        cmocka_unit_test(test_flat_series_is_common_cause),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
