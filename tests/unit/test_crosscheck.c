/* Rules across figures over a batch and the figures stored for the same areas and
 * periods: numerator and denominator, breakdown cells and their total, admin rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/crosscheck.h"

#define MAXF 16
struct found {
    int n;
    struct crosscheck_finding f[MAXF];
};

static void collect(void *ctx, const struct crosscheck_finding *f) {
    struct found *c = ctx;
    if (c->n < MAXF)
        c->f[c->n++] = *f;
}

static const struct crosscheck_ratio ratios[] = {
    {"mhfa.schools_trained", "mhfa.schools"},
};

#define JAN 2019 * 12
#define FIG(m, a, mon, k, v, r)                                                                    \
    { m, a, mon, k, v, r }

static void test_a_numerator_above_its_stored_denominator_is_refused(void **state) {
    (void)state;
    struct crosscheck_figure figs[] = {
        FIG("mhfa.schools_trained", "E08000025", JAN, "", 120, 3),
        FIG("mhfa.schools", "E08000025", JAN, "", 100, -1), /* stored earlier */
    };
    struct found c = {0};
    assert_int_equal(crosscheck_run(figs, 2, ratios, 1, NULL, 0, collect, &c), 1);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.f[0].row, 3);
    assert_string_equal(c.f[0].code, "exceeds_denominator");
    assert_true(c.f[0].error);
    assert_null(c.f[0].rule);
    assert_string_equal(c.f[0].message,
                        "mhfa.schools_trained 120 is above its denominator mhfa.schools 100 for "
                        "E08000025 2019-01 (stored); a numerator cannot exceed its denominator");
}

static void test_a_denominator_sent_below_a_stored_numerator_names_its_row(void **state) {
    (void)state;
    struct crosscheck_figure figs[] = {
        FIG("mhfa.schools", "E08000025", JAN, "", 90, 7),
        FIG("mhfa.schools_trained", "E08000025", JAN, "", 95, -1),
    };
    struct found c = {0};
    assert_int_equal(crosscheck_run(figs, 2, ratios, 1, NULL, 0, collect, &c), 1);
    assert_int_equal(c.f[0].row, 7);
}

static void test_stored_figures_alone_and_other_cells_are_not_the_batchs_fault(void **state) {
    (void)state;
    struct crosscheck_figure figs[] = {
        FIG("mhfa.schools_trained", "E08000025", JAN, "", 120, -1),
        FIG("mhfa.schools", "E08000025", JAN, "", 100, -1),
        FIG("mhfa.schools_trained", "E08000025", JAN + 1, "", 120, 0), /* another month */
        FIG("mhfa.schools", "E08000026", JAN + 1, "", 100, 1),         /* another area */
        FIG("mhfa.schools_trained", "E08000027", JAN, "", 100, 2),     /* equal is fine */
        FIG("mhfa.schools", "E08000027", JAN, "", 100, 3),
    };
    struct found c = {0};
    assert_int_equal(crosscheck_run(figs, 6, ratios, 1, NULL, 0, collect, &c), 0);
    assert_int_equal(c.n, 0);
}

static void test_cells_of_one_dimension_above_their_total(void **state) {
    (void)state;
    struct crosscheck_figure figs[] = {
        FIG("thrive.ips_referrals", "E08000025", JAN, "", 400, 0),
        FIG("thrive.ips_referrals", "E08000025", JAN, "sex=female", 230, 1),
        FIG("thrive.ips_referrals", "E08000025", JAN, "sex=male", 200, -1),
        /* another dimension that fits, and a two-dimension cell that is not summed */
        FIG("thrive.ips_referrals", "E08000025", JAN, "age_band=16-24", 100, 2),
        FIG("thrive.ips_referrals", "E08000025", JAN, "age_band=25-34", 150, 3),
        FIG("thrive.ips_referrals", "E08000025", JAN, "age_band=16-24;sex=female", 390, 4),
    };
    struct found c = {0};
    assert_int_equal(crosscheck_run(figs, 6, NULL, 0, NULL, 0, collect, &c), 1);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.f[0].row, 0); /* the total, sent in the batch */
    assert_string_equal(c.f[0].code, "breakdown_exceeds_total");
    assert_string_equal(c.f[0].message,
                        "the sex cells of thrive.ips_referrals for E08000025 2019-01 add up to "
                        "430, more than the total 400; the cells of one dimension cannot exceed "
                        "their total");
}

static void test_a_cell_sent_against_a_stored_total_names_the_cell(void **state) {
    (void)state;
    struct crosscheck_figure figs[] = {
        FIG("thrive.ips_referrals", "E08000025", JAN, "", 400, -1),
        FIG("thrive.ips_referrals", "E08000025", JAN, "sex=female", 230, -1),
        FIG("thrive.ips_referrals", "E08000025", JAN, "sex=male", 171, 9),
    };
    struct found c = {0};
    assert_int_equal(crosscheck_run(figs, 3, NULL, 0, NULL, 0, collect, &c), 1);
    assert_int_equal(c.f[0].row, 9);
}

static void test_admin_rules_by_op_with_their_severity(void **state) {
    (void)state;
    const struct crosscheck_rule rules[] = {
        {"starts-within-referrals", "thrive.ips_job_starts", "thrive.ips_referrals", CROSSCHECK_LE,
         true},
        {"all-time-covers-period", "mhfa.all_time", "mhfa.trained", CROSSCHECK_GE, false},
        {"pct-matches", "x.a", "x.b", CROSSCHECK_EQ, true},
    };
    struct crosscheck_figure figs[] = {
        FIG("thrive.ips_job_starts", "E08000025", JAN, "", 50, 0),
        FIG("thrive.ips_referrals", "E08000025", JAN, "", 40, -1),
        FIG("mhfa.all_time", "E08000025", JAN, "", 10, -1),
        FIG("mhfa.trained", "E08000025", JAN, "", 12, 1),
        FIG("x.a", "E08000025", JAN, "", 0.3, 2),
        FIG("x.b", "E08000025", JAN, "", 0.1 + 0.2, 3), /* equal within rounding */
        FIG("x.a", "E08000026", JAN, "", 1, 4),
        FIG("x.b", "E08000026", JAN, "", 2, 5),
    };
    struct found c = {0};
    assert_int_equal(crosscheck_run(figs, 8, NULL, 0, rules, 3, collect, &c), 2);
    assert_int_equal(c.n, 3);
    /* by area and period, then in the order of the rules */
    assert_string_equal(c.f[0].rule, "starts-within-referrals");
    assert_true(c.f[0].error);
    assert_int_equal(c.f[0].row, 0);
    assert_string_equal(c.f[1].rule, "all-time-covers-period");
    assert_false(c.f[1].error);
    assert_int_equal(c.f[1].row, 1);
    assert_string_equal(c.f[1].code, "rule_violated");
    assert_string_equal(c.f[1].message, "rule all-time-covers-period (mhfa.all_time >= "
                                        "mhfa.trained) does not hold for E08000025 2019-01: 10 "
                                        "against 12 (the left one stored)");
    assert_string_equal(c.f[2].rule, "pct-matches");
    assert_int_equal(c.f[2].row, 4);
}

static void test_rules_compare_the_same_breakdown_cell(void **state) {
    (void)state;
    const struct crosscheck_rule rules[] = {{"le", "a.x", "a.y", CROSSCHECK_LE, true}};
    struct crosscheck_figure figs[] = {
        FIG("a.x", "E08000025", JAN, "sex=female", 5, 0),
        FIG("a.y", "E08000025", JAN, "sex=male", 1, -1),
        FIG("a.y", "E08000025", JAN, "sex=female", 6, -1),
    };
    struct found c = {0};
    assert_int_equal(crosscheck_run(figs, 3, NULL, 0, rules, 1, collect, &c), 0);
}

static void test_ops_parse_and_print(void **state) {
    (void)state;
    enum crosscheck_op op;
    assert_true(crosscheck_op_parse("<=", &op));
    assert_int_equal(op, CROSSCHECK_LE);
    assert_true(crosscheck_op_parse(">=", &op));
    assert_string_equal(crosscheck_op_text(op), ">=");
    assert_true(crosscheck_op_parse("==", &op));
    assert_false(crosscheck_op_parse("<", &op));
    assert_false(crosscheck_op_parse("=", &op));
    assert_false(crosscheck_op_parse(NULL, &op));
    assert_int_equal(crosscheck_run(NULL, 0, NULL, 0, NULL, 0, collect, NULL), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_numerator_above_its_stored_denominator_is_refused),
        cmocka_unit_test(test_a_denominator_sent_below_a_stored_numerator_names_its_row),
        cmocka_unit_test(test_stored_figures_alone_and_other_cells_are_not_the_batchs_fault),
        cmocka_unit_test(test_cells_of_one_dimension_above_their_total),
        cmocka_unit_test(test_a_cell_sent_against_a_stored_total_names_the_cell),
        cmocka_unit_test(test_admin_rules_by_op_with_their_severity),
        cmocka_unit_test(test_rules_compare_the_same_breakdown_cell),
        cmocka_unit_test(test_ops_parse_and_print),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
