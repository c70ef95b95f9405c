/* Due periods. The period containing today is found first; earlier ones are walked back
 * until `past` overdue ones are found (a period just ended may still be inside its
 * grace, so it is "open and not yet due", not overdue), later ones forward. */
#include "due.h"

static void fill(struct due_item *it, const struct period *p, int due_day, int year, int month,
                 int day);

struct period due_period_containing(enum period_freq freq, int year, int month) {
    struct period p = {year, month, freq};
    if (freq == PERIOD_QUARTERLY) {
        p.month = (month - 1) / 3 * 3 + 1;
    } else if (freq == PERIOD_ANNUAL) {
        p.month = 4;
        if (month < 4)
            p.year = year - 1;
    }
    return p;
}

static void fill(struct due_item *it, const struct period *p, int due_day, int year, int month,
                 int day) {
    int end = period_end_index(p);
    it->period = *p;
    it->due_year = end / 12;
    it->due_month = end % 12 + 1;
    it->due_day = due_day;
    it->open = period_started_by(p, year, month);
    long today = (long)year * 10000 + month * 100 + day;
    long due = (long)it->due_year * 10000 + it->due_month * 100 + due_day;
    it->past_due = today > due;
}

int due_periods(enum period_freq freq, int due_day, int year, int month, int day, int past,
                int coming, struct due_item *out, int max) {
    if (due_day < 1 || due_day > 28 || month < 1 || month > 12 || day < 1 || day > 31 || past < 0 ||
        coming < 0 || max < 0)
        return -1;
    if (max > DUE_MAX_ITEMS)
        max = DUE_MAX_ITEMS;
    struct period cur = due_period_containing(freq, year, month);
    /* Back: collect until `past` overdue periods are found; at most three periods
     * between today's and the first overdue one (a due day is within a month of the
     * period's end), so past + 4 steps is enough. */
    struct due_item back[DUE_MAX_ITEMS + 4];
    int nb = 0, overdue = 0;
    for (int k = 0; k < past + 4 && nb < DUE_MAX_ITEMS && overdue < past; k++) {
        struct period p = period_add(&cur, -k);
        fill(&back[nb], &p, due_day, year, month, day);
        overdue += back[nb].past_due;
        nb++;
    }
    if (past == 0) /* still list the started periods not yet due */
        for (int k = 0; k < 4 && nb < DUE_MAX_ITEMS; k++) {
            struct period p = period_add(&cur, -k);
            struct due_item it;
            fill(&it, &p, due_day, year, month, day);
            if (it.past_due)
                break;
            back[nb++] = it;
        }
    int n = 0;
    /* Past the bound, the oldest periods go first. */
    for (int i = (nb < max ? nb : max) - 1; i >= 0; i--)
        out[n++] = back[i];
    for (int k = 1; k <= coming && n < max; k++) {
        struct period p = period_add(&cur, k);
        fill(&out[n++], &p, due_day, year, month, day);
    }
    return n;
}
