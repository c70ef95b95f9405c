/* Fuzzes period_parse: whatever it accepts must format to text that parses back to the
 * same period, and its dates and steps must agree with the period; and every valid period
 * built from the input bytes must format to text that parses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/period.h"

static void check(int ok) {
    if (!ok)
        abort();
}

static int same(const struct period *a, const struct period *b) {
    return a->year == b->year && a->month == b->month && a->freq == b->freq;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct period p;
    if (period_parse(text, &p)) {
        check(p.month >= 1 && p.month <= 12 && p.year >= 1900 && p.year <= 2999);
        char buf[32], date[32];
        int n = period_format(&p, buf, sizeof buf);
        check(n > 0 && (size_t)n < sizeof buf && strlen(buf) == (size_t)n);
        struct period again;
        check(period_parse(buf, &again) && same(&p, &again));
        check(strcmp(buf, text) == 0); /* every accepted form is canonical */

        check(period_start_date(&p, date, sizeof date) == 10);
        check(period_from_date(date, p.freq, &again) && same(&p, &again));

        struct period next = period_add(&p, 1), back = period_add(&next, -1);
        check(same(&back, &p));
        check(period_end_index(&p) == period_month_index(&next));
        check(period_started_by(&p, p.year, p.month) && !period_started_by(&p, p.year, 0));
    }
    if (size >= 4) { /* the other way: any valid period formats to text that parses back */
        int kind = data[3] % 4;
        struct period gen = {1900 + (data[0] | data[1] << 8) % 1100, 1 + data[2] % 12,
                             PERIOD_MONTHLY};
        if (kind == 1)
            gen = (struct period){gen.year, 1 + (gen.month - 1) / 3 * 3, PERIOD_QUARTERLY};
        else if (kind == 2)
            gen = (struct period){gen.year, 1, PERIOD_ANNUAL};
        else if (kind == 3)
            gen = (struct period){gen.year, 4, PERIOD_ANNUAL};
        char buf[32];
        period_format(&gen, buf, sizeof buf);
        struct period back;
        check(period_parse(buf, &back) && same(&gen, &back));
    }
    free(text);
    return 0;
}
