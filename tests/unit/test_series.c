/* Series read from a table of figures, with no database: a WMCA of three constituents
 * whose total is whole when all report and partial (naming who is missing) when one
 * does not; a rate made from summed parts; running sums of a flow; small counts hidden
 * with every total made from them; and the trend, change and total to date taken over
 * whole figures only. */
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

#include "domain/geo.h"
#include "domain/series.h"

/* Codes sort as the store hands them over: by code. */
enum { BHAM, COV, SANDWELL, WMCA, N };
static const char *const codes[N] = {"E08000025", "E08000026", "E08000028", "E47000007"};
static const char *const types[N] = {"metropolitan_district", "metropolitan_district",
                                     "metropolitan_district", "combined_authority"};

static void make_geo(struct geo *g) {
    size_t text = 0;
    for (int i = 0; i < N; i++)
        text += strlen(codes[i]) + strlen(types[i]) + 2 + 2;
    assert_true(geo_alloc(g, N, 3, text));
    size_t at = 0;
    for (int i = 0; i < N; i++)
        geo_set_area(g, i, codes[i], "x", types[i], &at);
    for (int i = 0; i < 3; i++)
        g->edges[g->nedges++] = (struct derive_edge){i, WMCA, geo_role("constituent"),
                                                     -DERIVE_OPEN_END, DERIVE_OPEN_END};
}

static struct metric make_metric(const char *code, const char *kind, const char *unit) {
    struct metric m = {0};
    strcpy(m.code, code);
    strcpy(m.kind, kind);
    strcpy(m.unit, unit);
    strcpy(m.frequency, "monthly");
    strcpy(m.polarity, "higher_is_better");
    metric_classify(&m);
    return m;
}

static struct obs_row row(const char *metric, int area, int month, double value) {
    return (struct obs_row){
        .metric = metric, .area = area, .month = month, .value = value, .final = true};
}

#define M(y, mo) ((y)*12 + (mo)-1)

static void test_geo_finds_codes_and_marks_the_tree(void **state) {
    (void)state;
    struct geo g;
    make_geo(&g);
    assert_int_equal(geo_find(&g, "E47000007"), WMCA);
    assert_int_equal(geo_find(&g, "E08000026"), COV);
    assert_int_equal(geo_find(&g, "E99999999"), -1);
    assert_int_equal(g.kind[WMCA], DERIVE_AREA_COMBINED);
    bool marked[N] = {0};
    geo_mark_tree(&g, WMCA, marked);
    assert_true(marked[BHAM] && marked[COV] && marked[SANDWELL] && marked[WMCA]);
    geo_free(&g);
}

static void test_total_from_every_member_is_whole_and_one_missing_is_partial(void **state) {
    (void)state;
    struct geo g;
    make_geo(&g);
    struct metric m = make_metric("thrive.ips_referrals", "flow", "count");
    struct obs_row rows[] = {
        row(m.code, BHAM, M(2019, 2), 45),     row(m.code, COV, M(2019, 2), 25),
        row(m.code, SANDWELL, M(2019, 2), 30), row(m.code, BHAM, M(2019, 3), 47),
        row(m.code, SANDWELL, M(2019, 3), 31),
    };
    struct obs_set set;
    assert_true(obs_set_build(&set, &g, &m, rows, 5));
    struct series s;
    struct series_opts o = {0};
    assert_true(series_build(&s, &g, &m, &set, WMCA, &o));
    assert_int_equal(s.n, 2);
    assert_near(s.pts[0].value, 100, 1e-9);
    assert_true(s.pts[0].derived && s.pts[0].complete && s.pts[0].whole);
    assert_int_equal(s.pts[0].nmembers, 3);
    assert_near(s.pts[1].value, 78, 1e-9);
    assert_false(s.pts[1].complete || s.pts[1].whole);
    assert_int_equal(s.pts[1].nmissing, 1);
    assert_int_equal(s.pts[1].missing[0], COV);
    /* Neither a change nor a total to date is made from the partial March. */
    double v;
    assert_false(series_change(&m, &s, &v));
    assert_false(series_total_to_date(&m, &s, &v));
    series_free(&s);
    /* An area's own figure is its own, not derived. */
    assert_true(series_build(&s, &g, &m, &set, COV, &o));
    assert_int_equal(s.n, 1);
    assert_false(s.pts[0].derived);
    assert_near(s.pts[0].value, 25, 1e-9);
    series_free(&s);
    obs_set_free(&set);
    geo_free(&g);
}

static void test_rate_is_made_from_summed_parts(void **state) {
    (void)state;
    struct geo g;
    make_geo(&g);
    struct metric m = make_metric("x.pct", "rate", "percent");
    strcpy(m.numerator, "x.num");
    strcpy(m.denominator, "x.den");
    m.decimals = 1;
    struct obs_row rows[] = {
        row("x.num", BHAM, M(2019, 2), 1),     row("x.den", BHAM, M(2019, 2), 4),
        row("x.num", COV, M(2019, 2), 2),      row("x.den", COV, M(2019, 2), 4),
        row("x.num", SANDWELL, M(2019, 2), 0), row("x.den", SANDWELL, M(2019, 2), 4),
        row("x.pct", BHAM, M(2019, 2), 25),
    };
    struct obs_set set;
    assert_true(obs_set_build(&set, &g, &m, rows, 7));
    struct series s;
    struct series_opts o = {0};
    assert_true(series_build(&s, &g, &m, &set, WMCA, &o));
    assert_int_equal(s.n, 1);
    /* 3 of 12, not the mean of 25%, 50% and 0%. */
    assert_near(s.pts[0].value, 25, 1e-9);
    assert_true(s.pts[0].derived && s.pts[0].complete);
    double total;
    assert_false(series_total_to_date(&m, &s, &total)); /* a rate has none */
    series_free(&s);
    /* Birmingham's reported rate is its own figure. */
    assert_true(series_build(&s, &g, &m, &set, BHAM, &o));
    assert_false(s.pts[0].derived);
    series_free(&s);
    obs_set_free(&set);
    geo_free(&g);
}

/* A percentage with both counts carries Wilson's 95% interval (issue 9): the summed
 * counts of a computed figure, the area's own counts beside its own figure; a figure sent
 * with its own limits keeps them. Expected values from the score formula with z =
 * qnorm(0.975), as PHEindicatormethods' phe_proportion computes it. */
static void test_percentage_with_its_counts_carries_wilsons_interval(void **state) {
    (void)state;
    struct geo g;
    make_geo(&g);
    struct metric m = make_metric("x.pct", "rate", "percent");
    strcpy(m.numerator, "x.num");
    strcpy(m.denominator, "x.den");
    struct obs_row given = row("x.pct", SANDWELL, M(2019, 2), 10);
    given.has_lower = given.has_upper = true;
    given.lower = 5;
    given.upper = 15;
    struct obs_row rows[] = {
        row("x.num", BHAM, M(2019, 2), 1),     row("x.den", BHAM, M(2019, 2), 4),
        row("x.num", COV, M(2019, 2), 2),      row("x.den", COV, M(2019, 2), 4),
        row("x.num", SANDWELL, M(2019, 2), 0), row("x.den", SANDWELL, M(2019, 2), 4),
        row("x.pct", BHAM, M(2019, 2), 25),    given,
    };
    struct obs_set set;
    assert_true(obs_set_build(&set, &g, &m, rows, 8));
    struct series s;
    struct series_opts o = {0};
    assert_true(series_build(&s, &g, &m, &set, WMCA, &o));
    assert_string_equal(s.pts[0].ci_method, "wilson");
    assert_near(s.pts[0].lower, 8.894166839405475, 1e-9); /* 3 of 12 */
    assert_near(s.pts[0].upper, 53.23053349335657, 1e-9);
    series_free(&s);
    assert_true(series_build(&s, &g, &m, &set, BHAM, &o));
    assert_string_equal(s.pts[0].ci_method, "wilson"); /* 25% beside 1 of 4 */
    assert_near(s.pts[0].lower, 4.558726080970057, 1e-9);
    assert_near(s.pts[0].upper, 69.93581574175981, 1e-9);
    series_free(&s);
    assert_true(series_build(&s, &g, &m, &set, SANDWELL, &o));
    assert_string_equal(s.pts[0].ci_method, "given");
    assert_near(s.pts[0].lower, 5, 0);
    series_free(&s);
    /* A count has no interval of its own. */
    struct metric c = make_metric("x.num", "stock", "count");
    obs_set_free(&set);
    assert_true(obs_set_build(&set, &g, &c, rows, 8));
    assert_true(series_build(&s, &g, &c, &set, BHAM, &o));
    assert_null(s.pts[0].ci_method);
    assert_false(s.pts[0].has_lower);
    series_free(&s);
    obs_set_free(&set);
    geo_free(&g);
}

static void test_running_sums_and_total_to_date_of_a_flow(void **state) {
    (void)state;
    struct geo g;
    make_geo(&g);
    struct metric m = make_metric("f", "flow", "count");
    struct obs_row rows[] = {row("f", COV, M(2019, 1), 10), row("f", COV, M(2019, 2), 20),
                             row("f", COV, M(2019, 4), 5)};
    struct obs_set set;
    assert_true(obs_set_build(&set, &g, &m, rows, 3));
    struct series s;
    struct series_opts o = {.cumulative = true};
    assert_true(series_build(&s, &g, &m, &set, COV, &o));
    assert_int_equal(s.n, 3);
    assert_near(s.pts[1].value, 30, 1e-9);
    assert_true(s.pts[1].complete);
    assert_near(s.pts[2].value, 35, 1e-9);
    assert_false(s.pts[2].complete); /* March is missing: the sum has a gap */
    assert_near(s.pts[2].per, 5, 1e-9);
    double total;
    assert_false(series_total_to_date(&m, &s, &total));
    series_free(&s);
    o.cumulative = false;
    struct obs_set two;
    assert_true(obs_set_build(&two, &g, &m, rows, 2));
    assert_true(series_build(&s, &g, &m, &two, COV, &o));
    assert_true(series_total_to_date(&m, &s, &total));
    assert_near(total, 30, 1e-9);
    double change;
    assert_true(series_change(&m, &s, &change));
    assert_near(change, 10, 1e-9);
    series_free(&s);
    obs_set_free(&two);
    obs_set_free(&set);
    geo_free(&g);
}

static void test_small_counts_hide_and_so_does_a_total_made_from_them(void **state) {
    (void)state;
    struct geo g;
    make_geo(&g);
    struct metric m = make_metric("c", "flow", "count");
    struct obs_row rows[] = {row("c", BHAM, M(2019, 2), 3), row("c", COV, M(2019, 2), 40),
                             row("c", SANDWELL, M(2019, 2), 50)};
    struct obs_set set;
    assert_true(obs_set_build(&set, &g, &m, rows, 3));
    struct series s;
    struct series_opts o = {.hide_small = true, .small_max = 4};
    assert_true(series_build(&s, &g, &m, &set, WMCA, &o));
    assert_true(s.pts[0].suppressed); /* 93 less the visible 90 would give the 3 away */
    series_free(&s);
    assert_true(series_build(&s, &g, &m, &set, COV, &o));
    assert_false(s.pts[0].suppressed);
    series_free(&s);
    obs_set_free(&set);
    geo_free(&g);
}

static void test_trend_reads_whole_figures_only(void **state) {
    (void)state;
    struct geo g;
    make_geo(&g);
    struct metric m = make_metric("s", "stock", "count");
    struct obs_row rows[16];
    int n = 0;
    for (int k = 0; k < 5; k++)
        for (int a = 0; a < 3; a++)
            rows[n++] = row("s", a, M(2019, 1 + k), 100 + 10 * k);
    /* A sixth month with one member only: a partial total far below the others. */
    rows[n++] = row("s", BHAM, M(2019, 6), 1);
    struct obs_set set;
    assert_true(obs_set_build(&set, &g, &m, rows, n));
    struct series s;
    struct series_opts o = {0};
    assert_true(series_build(&s, &g, &m, &set, WMCA, &o));
    assert_int_equal(s.n, 6);
    assert_int_equal(series_trend(&m, &s, 0, s.n), TREND_INCREASING);
    assert_int_equal(series_trend(&m, &s, 1, s.n), TREND_NONE); /* four whole figures */
    series_free(&s);
    obs_set_free(&set);
    geo_free(&g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geo_finds_codes_and_marks_the_tree),
        cmocka_unit_test(test_total_from_every_member_is_whole_and_one_missing_is_partial),
        cmocka_unit_test(test_rate_is_made_from_summed_parts),
        cmocka_unit_test(test_percentage_with_its_counts_carries_wilsons_interval),
        cmocka_unit_test(test_running_sums_and_total_to_date_of_a_flow),
        cmocka_unit_test(test_small_counts_hide_and_so_does_a_total_made_from_them),
        cmocka_unit_test(test_trend_reads_whole_figures_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
