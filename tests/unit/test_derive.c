/* Derived totals on a small West Midlands: the WMCA over its constituents only, the
 * region over what it contains with a county never added to its own districts, a
 * county made from its districts when it has no figure, ratios from summed numerators
 * and denominators, membership dates, incomplete totals, and the comparison parent. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* cmocka 1.1's float assertion works in single precision: compare doubles here. */
#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%s = %.12g, want %.12g", #a, a_, b_);                                        \
    } while (0)

#include "domain/derive.h"

enum { REGION, WMCA, BHAM, COV, SANDWELL, WARKS, RUGBY, NWARKS, TAMWORTH, N };

static const enum derive_kind kinds[N] = {
    [REGION] = DERIVE_AREA_REGION, [WMCA] = DERIVE_AREA_COMBINED};

#define OPEN DERIVE_OPEN_END
static struct derive_edge edges[] = {
    {BHAM, WMCA, DERIVE_CONSTITUENT, 0, OPEN},
    {COV, WMCA, DERIVE_CONSTITUENT, 0, OPEN},
    {SANDWELL, WMCA, DERIVE_CONSTITUENT, 0, OPEN},
    {RUGBY, WMCA, DERIVE_OTHER, 0, OPEN}, /* non-constituent: never in the total */
    {TAMWORTH, WMCA, DERIVE_OTHER, 0, OPEN},
    {BHAM, REGION, DERIVE_CONTAINS, 0, OPEN},
    {COV, REGION, DERIVE_CONTAINS, 0, OPEN},
    {SANDWELL, REGION, DERIVE_CONTAINS, 0, OPEN},
    {WARKS, REGION, DERIVE_CONTAINS, 0, OPEN},
    {RUGBY, REGION, DERIVE_CONTAINS, 0, OPEN}, /* listed twice: under its county too */
    {RUGBY, WARKS, DERIVE_CONTAINS, 0, OPEN},
    {NWARKS, WARKS, DERIVE_CONTAINS, 0, OPEN},
};

struct figures {
    bool has[N];
    double a[N], b[N];
    bool final[N];
};

static bool lookup(void *ctx, int area, struct derive_cell *out) {
    struct figures *f = ctx;
    *out = (struct derive_cell){
        .has = f->has[area], .a = f->a[area], .b = f->b[area], .final = f->final[area]};
    return true;
}

static void set(struct figures *f, int area, double a) {
    f->has[area] = true;
    f->a[area] = a;
    f->final[area] = true;
}

static struct derive_geo geo(void) {
    return (struct derive_geo){N, kinds, edges, (int)(sizeof edges / sizeof edges[0])};
}

static int members_buf[N], missing_buf[N];

static struct derive_result resolve(struct figures *f, int area, int month) {
    struct derive_geo g = geo();
    struct derive_result r = {.members = members_buf, .missing = missing_buf};
    derive_resolve(&g, month, area, lookup, f, &r);
    return r;
}

static void test_own_figure_is_used_as_is(void **state) {
    (void)state;
    struct figures f = {0};
    set(&f, WMCA, 12013);
    set(&f, BHAM, 5000);
    struct derive_result r = resolve(&f, WMCA, 100);
    assert_true(r.has);
    assert_false(r.derived);
    assert_true(r.complete);
    assert_near(r.a, 12013, 0);
    assert_int_equal(r.nmembers, 0);
}

static void test_combined_authority_sums_constituents_only(void **state) {
    (void)state;
    struct figures f = {0};
    set(&f, BHAM, 45);
    set(&f, COV, 30);
    set(&f, SANDWELL, 25);
    set(&f, RUGBY, 1000); /* non-constituent: must not count */
    struct derive_result r = resolve(&f, WMCA, 100);
    assert_true(r.derived);
    assert_true(r.complete);
    assert_near(r.a, 100, 0);
    assert_int_equal(r.nmembers, 3);
    assert_int_equal(r.members[0], BHAM);
    assert_int_equal(r.members[2], SANDWELL);
    assert_int_equal(r.nmissing, 0);
}

static void test_missing_member_makes_total_incomplete(void **state) {
    (void)state;
    struct figures f = {0};
    set(&f, BHAM, 45);
    set(&f, SANDWELL, 25);
    f.final[SANDWELL] = false;
    struct derive_result r = resolve(&f, WMCA, 100);
    assert_true(r.has);
    assert_true(r.derived);
    assert_false(r.complete);
    assert_false(r.final);
    assert_near(r.a, 70, 0);
    assert_int_equal(r.nmissing, 1);
    assert_int_equal(r.missing[0], COV);
}

static void test_no_member_figure_gives_nothing_not_zero(void **state) {
    (void)state;
    struct figures f = {0};
    set(&f, RUGBY, 5);
    struct derive_result r = resolve(&f, WMCA, 100);
    assert_false(r.has);
    assert_int_equal(r.nmembers, 0);
    assert_int_equal(r.nmissing, 0);
}

static void test_county_with_own_figure_is_not_added_to_its_districts(void **state) {
    (void)state;
    struct figures f = {0};
    set(&f, BHAM, 10);
    set(&f, COV, 20);
    set(&f, SANDWELL, 30);
    set(&f, WARKS, 40);
    set(&f, RUGBY, 7); /* inside Warwickshire, which has its own figure */
    struct derive_result r = resolve(&f, REGION, 100);
    assert_true(r.complete);
    assert_near(r.a, 100, 0);
    assert_int_equal(r.nmembers, 4);
    for (int i = 0; i < r.nmembers; i++)
        assert_int_not_equal(r.members[i], RUGBY);
}

static void test_county_without_figure_is_made_from_its_districts(void **state) {
    (void)state;
    struct figures f = {0};
    set(&f, BHAM, 10);
    set(&f, COV, 20);
    set(&f, SANDWELL, 30);
    set(&f, RUGBY, 7);
    set(&f, NWARKS, 3);
    struct derive_result r = resolve(&f, REGION, 100);
    assert_true(r.complete);
    assert_near(r.a, 70, 0); /* Rugby once, though the region lists it too */
    assert_int_equal(r.nmembers, 5);
    /* Warwickshire alone from its districts. */
    r = resolve(&f, WARKS, 100);
    assert_true(r.derived);
    assert_near(r.a, 10, 0);
}

static void test_partly_reported_county_names_its_missing_districts(void **state) {
    (void)state;
    struct figures f = {0};
    set(&f, BHAM, 10);
    set(&f, COV, 20);
    set(&f, SANDWELL, 30);
    set(&f, RUGBY, 7);
    struct derive_result r = resolve(&f, REGION, 100);
    assert_false(r.complete);
    assert_near(r.a, 67, 0);
    assert_int_equal(r.nmissing, 1);
    assert_int_equal(r.missing[0], NWARKS);
    /* A county with nothing under it is named itself. */
    memset(&f, 0, sizeof f);
    set(&f, BHAM, 10);
    r = resolve(&f, REGION, 100);
    assert_int_equal(r.nmissing, 3);
    assert_int_equal(r.missing[0], COV);
    assert_int_equal(r.missing[2], WARKS);
}

static void test_ratio_parts_are_summed_not_averaged(void **state) {
    (void)state;
    /* Birmingham 10 of 100 (10%), Coventry 90 of 100 (90%), Sandwell 0 of 800 (0%):
     * the WMCA is 100 of 1000 = 10%, not the mean 33.3%. */
    struct figures f = {0};
    set(&f, BHAM, 10);
    f.b[BHAM] = 100;
    set(&f, COV, 90);
    f.b[COV] = 100;
    set(&f, SANDWELL, 0);
    f.b[SANDWELL] = 800;
    struct derive_result r = resolve(&f, WMCA, 100);
    assert_near(r.a, 100, 0);
    assert_near(r.b, 1000, 0);
    assert_near(100 * r.a / r.b, 10, 1e-12);
}

static void test_membership_dates_decide_who_counts(void **state) {
    (void)state;
    struct derive_edge dated[] = {
        {BHAM, WMCA, DERIVE_CONSTITUENT, 0, OPEN},
        {COV, WMCA, DERIVE_CONSTITUENT, 50, OPEN},   /* joins at month 50 */
        {SANDWELL, WMCA, DERIVE_CONSTITUENT, 0, 50}, /* leaves at month 50 */
    };
    struct derive_geo g = {N, kinds, dated, 3};
    struct figures f = {0};
    set(&f, BHAM, 1);
    set(&f, COV, 10);
    set(&f, SANDWELL, 100);
    struct derive_result r = {.members = members_buf, .missing = missing_buf};
    derive_resolve(&g, 49, WMCA, lookup, &f, &r);
    assert_near(r.a, 101, 0);
    derive_resolve(&g, 50, WMCA, lookup, &f, &r);
    assert_near(r.a, 11, 0);
}

static void test_parent_is_the_container_or_the_region_of_the_constituents(void **state) {
    (void)state;
    struct derive_geo g = geo();
    assert_int_equal(derive_parent(&g, 100, RUGBY), WARKS); /* county before region */
    assert_int_equal(derive_parent(&g, 100, WARKS), REGION);
    assert_int_equal(derive_parent(&g, 100, BHAM), REGION);
    assert_int_equal(derive_parent(&g, 100, WMCA), REGION);
    assert_int_equal(derive_parent(&g, 100, REGION), -1);
    assert_int_equal(derive_parent(&g, 100, TAMWORTH), -1);
}

/* England contains the region, but the region is not all of England: a country with no
 * figure of its own has none, and the region's parent is the country. */
static void test_country_is_never_made_from_its_members(void **state) {
    (void)state;
    enum derive_kind k[2] = {DERIVE_AREA_COUNTRY, DERIVE_AREA_REGION};
    struct derive_edge e[] = {{1, 0, DERIVE_CONTAINS, 0, OPEN}};
    struct derive_geo g = {2, k, e, 1};
    int out[2];
    assert_int_equal(derive_members(&g, 100, 0, out), 0);
    assert_int_equal(derive_parent(&g, 100, 1), 0);
}

static void test_membership_months_from_dates(void **state) {
    (void)state;
    assert_int_equal(derive_month_from_date("2016-06-01", false), 2016 * 12 + 5);
    assert_int_equal(derive_month_from_date("2016-06-17", false), 2016 * 12 + 6);
    assert_int_equal(derive_month_from_date(NULL, true), DERIVE_OPEN_END);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_figure_is_used_as_is),
        cmocka_unit_test(test_combined_authority_sums_constituents_only),
        cmocka_unit_test(test_missing_member_makes_total_incomplete),
        cmocka_unit_test(test_no_member_figure_gives_nothing_not_zero),
        cmocka_unit_test(test_county_with_own_figure_is_not_added_to_its_districts),
        cmocka_unit_test(test_county_without_figure_is_made_from_its_districts),
        cmocka_unit_test(test_partly_reported_county_names_its_missing_districts),
        cmocka_unit_test(test_ratio_parts_are_summed_not_averaged),
        cmocka_unit_test(test_membership_dates_decide_who_counts),
        cmocka_unit_test(test_parent_is_the_container_or_the_region_of_the_constituents),
        cmocka_unit_test(test_country_is_never_made_from_its_members),
        cmocka_unit_test(test_membership_months_from_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
