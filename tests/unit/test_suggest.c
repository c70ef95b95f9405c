/* Nearest known codes for an unknown one: the distance (edits and swaps, no case), the
 * limit that grows with the word, nearest first and catalogue order among equals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/suggest.h"

static const char areas[][16] = {"E08000025", "E08000026", "E08000027", "E08000028",
                                 "E08000029", "E08000030", "E08000031", "E47000007"};
#define NAREAS ((int)(sizeof areas / sizeof areas[0]))

struct metric {
    char code[72];
    int other; /* the codes sit inside larger structs */
};
static const struct metric metrics[] = {
    {"mhfa.people_trained", 1}, {"thrive.ips_job_starts", 2}, {"thrive.ips_referrals", 3}};

static void test_distance_counts_edits_swaps_and_ignores_case(void **state) {
    (void)state;
    assert_int_equal(suggest_distance("E08000025", "E08000025", 2), 0);
    assert_int_equal(suggest_distance("e08000025", "E08000025", 2), 0);
    assert_int_equal(suggest_distance("E0800025", "E08000025", 2), 1);   /* a digit dropped */
    assert_int_equal(suggest_distance("E080000255", "E08000025", 2), 1); /* one too many */
    assert_int_equal(suggest_distance("E08000052", "E08000025", 2), 1);  /* two swapped */
    assert_int_equal(suggest_distance("E08000035", "E08000025", 2), 1);  /* one wrong */
    assert_int_equal(suggest_distance("kitten", "sitting", 5), 3);
}

static void test_distance_past_the_limit_is_the_limit_plus_one(void **state) {
    (void)state;
    assert_int_equal(suggest_distance("E08", "E08000025", 2), 3);
    assert_int_equal(suggest_distance("W99999999", "E08000025", 2), 3);
    assert_int_equal(suggest_distance("", "ab", 1), 2);
}

static void test_a_dropped_digit_suggests_the_area_meant(void **state) {
    (void)state;
    const char *out[SUGGEST_MAX];
    /* E08000026 and the rest are two edits away: only the one that is one away is named. */
    int n = suggest_nearest("E0800025", areas[0], NAREAS, sizeof areas[0], 3, out);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "E08000025");
}

static void test_only_the_nearest_are_named_in_catalogue_order(void **state) {
    (void)state;
    const char *out[SUGGEST_MAX];
    /* E08000020 is one edit from E08000025..29 alike (and two from E08000030): the first
     * three of those in catalogue order. */
    int n = suggest_nearest("E08000020", areas[0], NAREAS, sizeof areas[0], 3, out);
    assert_int_equal(n, 3);
    assert_string_equal(out[0], "E08000025");
    assert_string_equal(out[1], "E08000026");
    assert_string_equal(out[2], "E08000027");
    /* One edit from E08000031 beats two from the others, wherever it stands. */
    n = suggest_nearest("E08000131", areas[0], NAREAS, sizeof areas[0], 3, out);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "E08000031");
    /* Found last, after three at two edits filled the list: it still wins. */
    n = suggest_nearest("E4700007", areas[0], NAREAS, sizeof areas[0], 3, out);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "E47000007");
}

static void test_codes_inside_structs_are_read_by_stride(void **state) {
    (void)state;
    const char *out[SUGGEST_MAX];
    int n = suggest_nearest("thrive.ips_refferals", metrics[0].code, 3, sizeof metrics[0], 3, out);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "thrive.ips_referrals");
    n = suggest_nearest("THRIVE.IPS_JOB_START", metrics[0].code, 3, sizeof metrics[0], 3, out);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "thrive.ips_job_starts");
}

static void test_nothing_near_suggests_nothing(void **state) {
    (void)state;
    const char *out[SUGGEST_MAX];
    assert_int_equal(suggest_nearest("W99999999", areas[0], NAREAS, sizeof areas[0], 3, out), 0);
    assert_int_equal(suggest_nearest("wellbeing", metrics[0].code, 3, sizeof metrics[0], 3, out),
                     0);
    assert_int_equal(suggest_nearest("", areas[0], NAREAS, sizeof areas[0], 3, out), 0);
    assert_int_equal(suggest_nearest("E08000025", areas[0], 0, sizeof areas[0], 3, out), 0);
    assert_int_equal(suggest_nearest("E08000025", areas[0], NAREAS, sizeof areas[0], 0, out), 0);
}

static void test_at_most_the_number_asked(void **state) {
    (void)state;
    const char *out[SUGGEST_MAX];
    assert_int_equal(suggest_nearest("E08000020", areas[0], NAREAS, sizeof areas[0], 1, out), 1);
    assert_string_equal(out[0], "E08000025");
    assert_int_equal(suggest_nearest("E08000020", areas[0], NAREAS, sizeof areas[0], 99, out),
                     SUGGEST_MAX);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance_counts_edits_swaps_and_ignores_case),
        cmocka_unit_test(test_distance_past_the_limit_is_the_limit_plus_one),
        cmocka_unit_test(test_a_dropped_digit_suggests_the_area_meant),
        cmocka_unit_test(test_only_the_nearest_are_named_in_catalogue_order),
        cmocka_unit_test(test_codes_inside_structs_are_read_by_stride),
        cmocka_unit_test(test_nothing_near_suggests_nothing),
        cmocka_unit_test(test_at_most_the_number_asked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
