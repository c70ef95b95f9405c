/* Period parsing and arithmetic. Pure: no I/O, so tests and fuzzers call it directly. */
#include "period.h"

#include <stdio.h>
#include <string.h>

static bool read_digits(const char *s, int n, int *out);

static bool read_digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool period_parse(const char *text, struct period *out) {
    if (!text)
        return false;
    size_t len = strlen(text);
    int year, month, q, next;
    struct period p;
    if (len == 7 && text[4] == '-' && text[5] != 'Q') { /* 2019-01 */
        if (!read_digits(text, 4, &year) || !read_digits(text + 5, 2, &month))
            return false;
        if (month < 1 || month > 12)
            return false;
        p = (struct period){year, month, PERIOD_MONTHLY};
    } else if (len == 7 && text[4] == '-' && text[5] == 'Q') { /* 2019-Q1 */
        if (!read_digits(text, 4, &year) || !read_digits(text + 6, 1, &q) || q < 1 || q > 4)
            return false;
        p = (struct period){year, (q - 1) * 3 + 1, PERIOD_QUARTERLY};
    } else if (len == 4) { /* 2019 */
        if (!read_digits(text, 4, &year))
            return false;
        p = (struct period){year, 1, PERIOD_ANNUAL};
    } else if (len == 9 && text[0] == 'F' && text[1] == 'Y' && text[6] == '-') { /* FY2019-20 */
        if (!read_digits(text + 2, 4, &year) || !read_digits(text + 7, 2, &next))
            return false;
        if (next != (year + 1) % 100)
            return false;
        p = (struct period){year, 4, PERIOD_ANNUAL};
    } else {
        return false;
    }
    if (p.year < 1900 || p.year > 2999)
        return false;
    *out = p;
    return true;
}

int period_format(const struct period *p, char *buf, size_t size) {
    switch (p->freq) {
    case PERIOD_MONTHLY:
        return snprintf(buf, size, "%04d-%02d", p->year, p->month);
    case PERIOD_QUARTERLY:
        return snprintf(buf, size, "%04d-Q%d", p->year, (p->month - 1) / 3 + 1);
    case PERIOD_ANNUAL:
        if (p->month == 4)
            return snprintf(buf, size, "FY%04d-%02d", p->year, (p->year + 1) % 100);
        return snprintf(buf, size, "%04d", p->year);
    }
    return snprintf(buf, size, "?");
}

int period_start_date(const struct period *p, char *buf, size_t size) {
    return snprintf(buf, size, "%04d-%02d-01", p->year, p->month);
}

bool period_from_date(const char *date, enum period_freq freq, struct period *out) {
    int year, month;
    if (!date || strlen(date) < 7 || date[4] != '-' || !read_digits(date, 4, &year) ||
        !read_digits(date + 5, 2, &month) || month < 1 || month > 12)
        return false;
    *out = (struct period){year, month, freq};
    return true;
}

int period_months(enum period_freq freq) {
    return freq == PERIOD_MONTHLY ? 1 : freq == PERIOD_QUARTERLY ? 3 : 12;
}

int period_month_index(const struct period *p) {
    return p->year * 12 + (p->month - 1);
}

struct period period_add(const struct period *p, int steps) {
    int idx = period_month_index(p) + steps * period_months(p->freq);
    struct period r = {idx / 12, idx % 12 + 1, p->freq};
    return r;
}

int period_end_index(const struct period *p) {
    return period_month_index(p) + period_months(p->freq);
}

bool period_freq_parse(const char *text, enum period_freq *out) {
    static const char *const names[] = {"monthly", "quarterly", "annual"};
    for (int i = 0; i < 3; i++) {
        if (text && strcmp(text, names[i]) == 0) {
            *out = (enum period_freq)i;
            return true;
        }
    }
    return false;
}

const char *period_freq_name(enum period_freq freq) {
    return freq == PERIOD_MONTHLY ? "monthly" : freq == PERIOD_QUARTERLY ? "quarterly" : "annual";
}

bool period_started_by(const struct period *p, int year, int month) {
    return period_month_index(p) <= year * 12 + (month - 1);
}
