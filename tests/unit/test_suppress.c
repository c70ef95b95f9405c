/* Complementary suppression, attacked: every subtraction of visible cells from their
 * margin, chained, and every combination of the relations (the rank of the system), over
 * hand-made tables and thousands of random ones. The attacker here is written apart from
 * the module: it builds the whole true table (every margin, reported or not) itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/suppress.h"

#define T 4 /* the small-count threshold */
#define MAXC 256

static struct suppress_cell cell1(int a, double v) {
    struct suppress_cell c = {.value = v};
    for (int e = 0; e < SUPPRESS_MAX_DIMS; e++)
        c.cat[e] = SUPPRESS_ALL;
    c.cat[0] = a;
    return c;
}

/* Whether b is a's margin along d: equal but for d, where b is ALL and a is not. */
static bool margin_of(const int *a, const int *b, int d, int ndims) {
    if (a[d] == SUPPRESS_ALL || b[d] != SUPPRESS_ALL)
        return false;
    for (int e = 0; e < ndims; e++)
        if (e != d && a[e] != b[e])
            return false;
    return true;
}

/* Rank of a rows x cols matrix (copied), by elimination with partial pivoting. */
static int rank_of(const double *m, int rows, int cols, int skip_col) {
    static double a[MAXC * 3][MAXC];
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            a[r][c] = c == skip_col ? 0 : m[r * cols + c];
    int rank = 0;
    for (int c = 0; c < cols && rank < rows; c++) {
        int best = rank;
        for (int r = rank; r < rows; r++)
            if (fabs(a[r][c]) > fabs(a[best][c]))
                best = r;
        if (fabs(a[best][c]) < 1e-9)
            continue;
        for (int k = 0; k < cols; k++) {
            double t = a[best][k];
            a[best][k] = a[rank][k];
            a[rank][k] = t;
        }
        for (int r = rank + 1; r < rows; r++) {
            double f = a[r][c] / a[rank][c];
            for (int k = c; k < cols; k++)
                a[r][k] -= f * a[rank][k];
        }
        rank++;
    }
    return rank;
}

/* The attacker. full[]: every cell of the true table, margins included; shown[i]: the
 * reader sees full[i]'s value; secret[i]: a reported cell that was hidden (a margin nobody
 * reported is unknown to the reader but no secret: it may well follow from visible
 * cells). Fails the test when a secret cell is determined: by one
 * subtraction, by a chain of them, or by any combination (its column is independent of
 * the others in the relations among unknowns). Also fails when a visible margin less its
 * visible cells leaves a small positive sum while a cell under it is still visible. */
static void attack(const struct suppress_cell *full, const bool *shown, const bool *secret, int n,
                   int ndims, const char *what) {
    static double m[MAXC * 3 * MAXC];
    int col[MAXC], nu = 0;
    for (int i = 0; i < n; i++)
        col[i] = shown[i] ? -1 : nu++;
    /* Chained subtraction first: it names the cell and the step. */
    bool known[MAXC];
    for (int i = 0; i < n; i++)
        known[i] = shown[i];
    for (bool more = true; more;) {
        more = false;
        for (int p = 0; p < n; p++)
            for (int d = 0; d < ndims; d++) {
                if (full[p].cat[d] != SUPPRESS_ALL)
                    continue;
                int unknown = -1, nunknown = !known[p], kids = 0;
                if (!known[p])
                    unknown = p;
                double visible = 0;
                for (int i = 0; i < n; i++)
                    if (margin_of(full[i].cat, full[p].cat, d, ndims)) {
                        kids++;
                        if (!known[i])
                            nunknown++, unknown = i;
                        else
                            visible += full[i].value;
                    }
                if (kids && nunknown == 1) {
                    known[unknown] = true;
                    more = true;
                }
                if (kids && known[p] && nunknown >= 1 && shown[p] && nunknown < kids) {
                    double rest = full[p].value - visible;
                    bool only_shown = true;
                    for (int i = 0; i < n; i++)
                        if (margin_of(full[i].cat, full[p].cat, d, ndims) && !shown[i] && known[i])
                            only_shown = false;
                    if (only_shown && rest >= 1 && rest <= T && nunknown >= 2)
                        fail_msg("%s: margin %d less its visible cells leaves %g", what, p, rest);
                }
            }
    }
    for (int i = 0; i < n; i++)
        if (secret[i] && known[i] && full[i].value != 0)
            fail_msg("%s: hidden cell %d (%g) follows by subtraction", what, i, full[i].value);
    /* Every combination: relations over the unknowns. */
    int rows = 0;
    for (int p = 0; p < n; p++)
        for (int d = 0; d < ndims; d++) {
            if (full[p].cat[d] != SUPPRESS_ALL)
                continue;
            double *row = m + rows * nu;
            memset(row, 0, sizeof *row * (size_t)nu);
            bool kids = false;
            if (col[p] >= 0)
                row[col[p]] = 1;
            for (int i = 0; i < n; i++)
                if (margin_of(full[i].cat, full[p].cat, d, ndims)) {
                    kids = true;
                    if (col[i] >= 0)
                        row[col[i]] = -1;
                }
            rows += kids;
        }
    if (nu == 0 || rows == 0)
        return;
    int r = rank_of(m, rows, nu, -1);
    for (int i = 0; i < n; i++)
        if (secret[i] && rank_of(m, rows, nu, col[i]) < r && full[i].value != 0)
            fail_msg("%s: hidden cell %d (%g) follows from the relations", what, i, full[i].value);
}

static const bool *shown_not(const bool *shown, int n) {
    static bool out[MAXC];
    for (int i = 0; i < n; i++)
        out[i] = !shown[i];
    return out;
}

static void test_one_small_cell_hides_the_next_smallest(void **state) {
    (void)state;
    struct suppress_cell c[] = {cell1(SUPPRESS_ALL, 30), cell1(0, 3), cell1(1, 12), cell1(2, 15)};
    suppress_primary(c, 4, T);
    assert_int_equal(suppress_complement(c, 4, 1, T), 1);
    assert_false(c[0].hidden);
    assert_true(c[1].hidden && !c[1].complement);
    assert_true(c[2].hidden && c[2].complement); /* 12, the next smallest */
    assert_false(c[3].hidden);
}

static void test_two_small_cells_whose_sum_is_small_hide_a_third(void **state) {
    (void)state;
    /* 1 and 2 hidden: total less visible gives 3, and both are then at most 2. */
    struct suppress_cell c[] = {cell1(SUPPRESS_ALL, 43), cell1(0, 1), cell1(1, 2), cell1(2, 40)};
    suppress_primary(c, 4, T);
    assert_int_equal(suppress_complement(c, 4, 1, T), 1);
    assert_true(c[3].hidden);
    assert_false(c[0].hidden);
    /* With every cell hidden already, a small sum keeps the total: no one cell follows. */
    struct suppress_cell d[] = {cell1(SUPPRESS_ALL, 4), cell1(0, 1), cell1(1, 3)};
    suppress_primary(d, 3, T);
    d[0].hidden = false; /* the caller publishes totals whatever their size */
    assert_int_equal(suppress_complement(d, 3, 1, T), 0);
    assert_false(d[0].hidden);
}

static void test_the_total_goes_when_no_cell_is_left(void **state) {
    (void)state;
    struct suppress_cell c[] = {cell1(SUPPRESS_ALL, 3), cell1(0, 3)};
    suppress_primary(c, 2, T);
    suppress_complement(c, 2, 1, T);
    assert_true(c[0].hidden); /* small itself, and equal to its one cell */
    struct suppress_cell d[] = {cell1(SUPPRESS_ALL, 20), cell1(0, 2), cell1(1, 18)};
    suppress_primary(d, 3, T);
    suppress_complement(d, 3, 1, T);
    assert_true(d[2].hidden); /* 2 + 18 hidden, the total 20 is no small sum */
    assert_false(d[0].hidden);
}

/* A category nobody reported is an unknown: with it, the total less the reported cells is
 * no one cell; without it (the dimension has no other category), it is. */
static void test_an_unreported_category_is_an_unknown_not_a_zero(void **state) {
    (void)state;
    struct suppress_cell partial[] = {cell1(SUPPRESS_ALL, 412), cell1(0, 3), cell1(1, 0)};
    partial[2].unknown = partial[2].hidden = true; /* male: not reported */
    suppress_primary(partial, 2, T);
    partial[0].hidden = false;
    assert_int_equal(suppress_complement(partial, 3, 1, T), 0);
    assert_false(partial[0].hidden);
    assert_false(partial[2].complement);
    struct suppress_cell whole[] = {cell1(SUPPRESS_ALL, 412), cell1(0, 3)};
    suppress_primary(whole, 2, T);
    whole[0].hidden = false;
    assert_int_equal(suppress_complement(whole, 2, 1, T), 1);
    assert_true(whole[0].hidden && whole[0].complement);
}

/* A relation whose only hidden cell is one nobody reported protects nothing: the total
 * less the reported cell gives the unreported one, which is no secret, so the reported
 * cell (40) stays visible, as long as what it gives is not a small count. */
static void test_an_unreported_category_alone_hides_nothing(void **state) {
    (void)state;
    struct suppress_cell c[] = {cell1(SUPPRESS_ALL, 50), cell1(0, 40), cell1(1, 0)};
    c[2].unknown = c[2].hidden = true;
    suppress_primary(c, 2, T);
    assert_int_equal(suppress_complement(c, 3, 1, T), 0);
    assert_false(c[0].hidden);
    assert_false(c[1].hidden);
    /* Unless it comes to a small count: 50 less 47 tells the unreported cell is 3. */
    struct suppress_cell d[] = {cell1(SUPPRESS_ALL, 50), cell1(0, 47), cell1(1, 0)};
    d[2].unknown = d[2].hidden = true;
    suppress_primary(d, 2, T);
    assert_int_equal(suppress_complement(d, 3, 1, T), 1);
    assert_false(d[0].hidden);
    assert_true(d[1].hidden && d[1].complement);
}

static void test_nothing_is_hidden_without_a_small_count(void **state) {
    (void)state;
    struct suppress_cell c[] = {cell1(SUPPRESS_ALL, 30), cell1(0, 0), cell1(1, 12), cell1(2, 18)};
    suppress_primary(c, 4, T);
    assert_int_equal(suppress_complement(c, 4, 1, T), 0);
    for (int i = 0; i < 4; i++)
        assert_false(c[i].hidden);
}

/* The classic hole in row-by-row rules: two protected 2x2 blocks in a two-way table
 * joined by one hidden cell, which every row and column alone leaves safe but the
 * relations together pin down. Built here by hand as the module's input: the cells
 * hidden on entry form that pattern. */
static void test_a_cell_joining_two_protected_blocks_is_protected_too(void **state) {
    (void)state;
    struct suppress_cell c[MAXC];
    int n = 0;
    int rows = 4, cols = 4;
    double v[4][4] = {{10, 11, 30, 31}, {12, 13, 32, 33}, {40, 41, 20, 21}, {42, 43, 22, 23}};
    bool hide[4][4] = {{1, 1, 1, 0}, {1, 1, 0, 0}, {0, 0, 1, 1}, {0, 0, 1, 1}};
    for (int r = -1; r < rows; r++)
        for (int k = -1; k < cols; k++) {
            struct suppress_cell x = cell1(r < 0 ? SUPPRESS_ALL : r, 0);
            x.cat[1] = k < 0 ? SUPPRESS_ALL : k;
            for (int rr = 0; rr < rows; rr++)
                for (int kk = 0; kk < cols; kk++)
                    if ((r < 0 || r == rr) && (k < 0 || k == kk))
                        x.value += v[rr][kk];
            x.hidden = r >= 0 && k >= 0 && hide[r][k];
            c[n++] = x;
        }
    suppress_complement(c, n, 2, T);
    bool shown[MAXC];
    for (int i = 0; i < n; i++)
        shown[i] = !c[i].hidden;
    attack(c, shown, shown_not(shown, n), n, 2, "two blocks");
}

/* A random table of ndims dimensions with 2..4 categories each, values mostly small; every
 * margin computed; some margins left unreported when drop is set. */
static int random_table(struct suppress_cell *full, bool *reported, int ndims, bool drop,
                        unsigned *seed) {
    int ncat[3], n = 0;
    for (int d = 0; d < ndims; d++)
        ncat[d] = 2 + (int)(rand_r(seed) % 3);
    int interior = 1;
    for (int d = 0; d < ndims; d++)
        interior *= ncat[d];
    double vals[64];
    for (int i = 0; i < interior; i++) {
        int kind = (int)(rand_r(seed) % 10);
        vals[i] = kind < 3 ? 0 : kind < 6 ? 1 + rand_r(seed) % T : 5 + rand_r(seed) % 60;
    }
    int total = 1;
    for (int d = 0; d < ndims; d++)
        total *= ncat[d] + 1;
    for (int idx = 0; idx < total; idx++) {
        struct suppress_cell x = cell1(SUPPRESS_ALL, 0);
        int rest = idx;
        for (int d = 0; d < ndims; d++) {
            int k = rest % (ncat[d] + 1) - 1;
            rest /= ncat[d] + 1;
            x.cat[d] = k;
        }
        for (int i = 0; i < interior; i++) {
            int r = i;
            bool in = true;
            for (int d = 0; d < ndims; d++) {
                int k = r % ncat[d];
                r /= ncat[d];
                if (x.cat[d] != SUPPRESS_ALL && x.cat[d] != k)
                    in = false;
            }
            if (in)
                x.value += vals[i];
        }
        bool is_margin = false;
        for (int d = 0; d < ndims; d++)
            is_margin |= x.cat[d] == SUPPRESS_ALL;
        reported[n] = !(drop && is_margin && rand_r(seed) % 3 == 0);
        full[n++] = x;
    }
    return n;
}

static void test_random_tables_withstand_every_subtraction(void **state) {
    (void)state;
    unsigned seed = 20261201;
    int hidden_total = 0, complements = 0;
    for (int trial = 0; trial < 1500; trial++) {
        int ndims = 1 + trial % 3;
        bool drop = trial % 2 == 1;
        struct suppress_cell full[MAXC], given[MAXC];
        bool reported[MAXC], shown[MAXC], secret[MAXC];
        int n = random_table(full, reported, ndims, drop, &seed);
        int map[MAXC], ng = 0;
        for (int i = 0; i < n; i++)
            if (reported[i]) {
                map[i] = ng;
                given[ng++] = full[i];
            } else {
                map[i] = -1;
            }
        suppress_primary(given, ng, T);
        bool primary[MAXC];
        for (int i = 0; i < ng; i++)
            primary[i] = given[i].hidden;
        complements += suppress_complement(given, ng, ndims, T);
        for (int i = 0; i < n; i++) {
            shown[i] = map[i] >= 0 && !given[map[i]].hidden;
            secret[i] = map[i] >= 0 && given[map[i]].hidden;
            if (map[i] >= 0 && primary[map[i]])
                assert_true(given[map[i]].hidden); /* a small count stays hidden */
            hidden_total += map[i] >= 0 && given[map[i]].hidden;
        }
        char what[64];
        snprintf(what, sizeof what, "trial %d (%d dims%s)", trial, ndims,
                 drop ? ", margins dropped" : "");
        attack(full, shown, secret, n, ndims, what);
    }
    print_message("1500 tables: %d cells hidden, %d of them complements\n", hidden_total,
                  complements);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_small_cell_hides_the_next_smallest),
        cmocka_unit_test(test_two_small_cells_whose_sum_is_small_hide_a_third),
        cmocka_unit_test(test_the_total_goes_when_no_cell_is_left),
        cmocka_unit_test(test_nothing_is_hidden_without_a_small_count),
        cmocka_unit_test(test_an_unreported_category_is_an_unknown_not_a_zero),
        cmocka_unit_test(test_an_unreported_category_alone_hides_nothing),
        cmocka_unit_test(test_a_cell_joining_two_protected_blocks_is_protected_too),
        cmocka_unit_test(test_random_tables_withstand_every_subtraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
