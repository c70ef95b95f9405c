/* Civil dates from day numbers: Howard Hinnant's days_from_civil inverse
 * (https://howardhinnant.github.io/date_algorithms.html), proleptic Gregorian. */
#include "calendar.h"

static void civil(int64_t t, int *y, int *m, int *d);

static void civil(int64_t t, int *y, int *m, int *d) {
    int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int calendar_month_index(int64_t t) {
    int y, m, d;
    civil(t, &y, &m, &d);
    return y * 12 + (m - 1);
}

void calendar_day_text(int64_t t, char out[11]) {
    int y, m, d;
    civil(t, &y, &m, &d);
    int v[3] = {y, m, d}, w[3] = {4, 2, 2}, at = 0;
    for (int k = 0; k < 3; k++) {
        for (int i = w[k] - 1; i >= 0; i--, v[k] /= 10)
            out[at + i] = (char)('0' + v[k] % 10);
        at += w[k];
        if (k < 2)
            out[at++] = '-';
    }
    out[10] = '\0';
}
