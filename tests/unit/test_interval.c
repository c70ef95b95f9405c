/* Wilson and Byar intervals against the values PHEindicatormethods publishes in its own
 * test data (tests/testthat/testdata_Proportion.xlsx and testdata_Byars_Wilson.xlsx of
 * the package, which its phe_proportion, byars_lower and byars_upper are held to). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/interval.h"

/* Relative closeness: the published values carry 17 significant digits. */
#define assert_close(a, b, rel)                                                                    \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (rel)*fabs(b_)))                                                    \
            fail_msg("%s = %.17g, want %.17g", #a, a_, b_);                                        \
    } while (0)

/* qnorm(0.999): the 99.8% intervals of the same data. */
#define Z998 3.090232306167813

struct wilson_case {
    double x, n, lower, upper;
};

static void test_wilson_95_matches_phe_proportion(void **state) {
    (void)state;
    /* testdata_Prop, "proportion of 1", lower95_0cl and upper95_0cl. */
    static const struct wilson_case cases[] = {
        {1, 100, 1.7674320641406511E-3, 5.4486196178705294E-2},
        {5, 100, 2.154367915436798E-2, 0.11175046923191911},
        {20, 100, 0.1333669333310325, 0.28882916559315885},
        {65, 100, 0.55254443296887967, 0.73635751756902468},
        {9856, 12345, 0.79121017529090687, 0.80536400736149094},
        {7776456, 7564336677, 1.0273201001641094E-3, 1.0287644578977231E-3},
        {222, 3215, 6.0791690363636595E-2, 7.8339566813836331E-2},
        {999, 3456, 0.27418951080009873, 0.30440389662818057},
        /* testdata_B_W: a non-integer numerator, and 1045 of 5000. */
        {0.445, 1, 4.3817447720588223E-2, 0.93346212769791559},
        {1045, 5000, 0.19795549880013297, 0.22049130373189027},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lo, hi;
        assert_true(interval_wilson(cases[i].x, cases[i].n, INTERVAL_Z95, &lo, &hi));
        assert_close(lo, cases[i].lower, 1e-10);
        assert_close(hi, cases[i].upper, 1e-10);
    }
}

static void test_wilson_998_matches_phe_proportion(void **state) {
    (void)state;
    double lo, hi;
    assert_true(interval_wilson(1, 100, Z998, &lo, &hi));
    assert_close(lo, 8.73065697299977E-4, 1e-10);
    assert_close(hi, 0.10455445283705821, 1e-10);
    assert_true(interval_wilson(999, 3456, Z998, &lo, &hi));
    assert_close(lo, 0.26583995768074953, 1e-10);
    assert_close(hi, 0.31344754492799848, 1e-10);
}

/* The rounded z of 1.959964 agrees with the exact quantile to about 1e-8. */
static void test_rounded_z_agrees_to_seven_figures(void **state) {
    (void)state;
    double lo, hi;
    assert_true(interval_wilson(65, 100, 1.959964, &lo, &hi));
    assert_close(lo, 0.55254443296887967, 1e-7);
    assert_close(hi, 0.73635751756902468, 1e-7);
}

static void test_wilson_ends_and_refusals(void **state) {
    (void)state;
    double lo = -1, hi = -1;
    assert_true(interval_wilson(0, 50, INTERVAL_Z95, &lo, &hi));
    assert_true(lo == 0);
    assert_true(hi > 0 && hi < 0.1);
    assert_true(interval_wilson(50, 50, INTERVAL_Z95, &lo, &hi));
    assert_true(hi == 1);
    assert_true(lo > 0.9 && lo < 1);
    lo = hi = -1;
    assert_false(interval_wilson(5, 0, INTERVAL_Z95, &lo, &hi));
    assert_false(interval_wilson(6, 5, INTERVAL_Z95, &lo, &hi));
    assert_false(interval_wilson(-1, 5, INTERVAL_Z95, &lo, &hi));
    assert_false(interval_wilson(NAN, 5, INTERVAL_Z95, &lo, &hi));
    assert_true(lo == -1 && hi == -1);
}

static void test_byar_matches_phe_byars(void **state) {
    (void)state;
    static const struct wilson_case cases[] = {
        /* x, (unused), lower, upper: testdata_B_W, 95% */
        {65, 0, 50.163187710459454, 82.849138545939837},
        {1045, 0, 982.59320180733255, 1110.3312129856499},
        {1, 0, 1.3072132901504351E-2, 5.5637555824752605},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lo, hi;
        assert_true(interval_byar(cases[i].x, INTERVAL_Z95, &lo, &hi));
        assert_close(lo, cases[i].lower, 1e-10);
        assert_close(hi, cases[i].upper, 1e-10);
    }
    double lo, hi;
    assert_true(interval_byar(10, Z998, &lo, &hi));
    assert_close(lo, 2.916318374695686, 1e-10);
    assert_close(hi, 24.193724927880535, 1e-10);
    assert_true(interval_byar(0, INTERVAL_Z95, &lo, &hi));
    assert_true(lo == 0 && hi > 3);
    assert_false(interval_byar(-1, INTERVAL_Z95, &lo, &hi));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson_95_matches_phe_proportion),
        cmocka_unit_test(test_wilson_998_matches_phe_proportion),
        cmocka_unit_test(test_rounded_z_agrees_to_seven_figures),
        cmocka_unit_test(test_wilson_ends_and_refusals),
        cmocka_unit_test(test_byar_matches_phe_byars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
