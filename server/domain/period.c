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

/* ---- what a spreadsheet wrote instead ---- */

#define GUESS_TOKENS 4

struct guess_token {
    bool word;
    char text[12]; /* a word, lower-cased (cut to fit) */
    int value;     /* a number */
    int digits;
};

static int guess_tokens(const char *text, struct guess_token *t);
static int month_of_name(const char *word);
static bool guess_year(const struct guess_token *t, int *year);
static bool guess_done(int year, int month, enum period_freq freq, struct period *out);

/* Splits on spaces, '-', '/', '.' and ',' and between letters and digits ("Nov26",
 * "2019Q1"); -1 for any other character or too many parts. */
static int guess_tokens(const char *text, struct guess_token *t) {
    int n = 0;
    const char *p = text;
    while (*p) {
        if (*p == ' ' || *p == '-' || *p == '/' || *p == '.' || *p == ',') {
            p++;
            continue;
        }
        if (n == GUESS_TOKENS)
            return -1;
        struct guess_token *k = &t[n++];
        memset(k, 0, sizeof *k);
        if (*p >= '0' && *p <= '9') {
            while (*p >= '0' && *p <= '9') {
                if (k->digits == 4)
                    return -1;
                k->value = k->value * 10 + (*p++ - '0');
                k->digits++;
            }
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
            k->word = true;
            size_t len = 0;
            while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
                if (len + 1 < sizeof k->text)
                    k->text[len++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
                p++;
            }
        } else {
            return -1;
        }
    }
    return n;
}

/* 1..12 for a month's name or its first three letters or more ("Nov", "Sept",
 * "November"); 0 otherwise. */
static int month_of_name(const char *word) {
    static const char *const names[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};
    size_t len = strlen(word);
    if (len < 3)
        return 0;
    for (int m = 0; m < 12; m++)
        if (strncmp(names[m], word, len) == 0)
            return m + 1;
    return 0;
}

/* A year of four digits, or two (26 is 2026: these figures start in the 2010s). */
static bool guess_year(const struct guess_token *t, int *year) {
    if (t->word || (t->digits != 2 && t->digits != 4))
        return false;
    *year = t->digits == 2 ? 2000 + t->value : t->value;
    return true;
}

static bool guess_done(int year, int month, enum period_freq freq, struct period *out) {
    if (year < 1900 || year > 2999 || month < 1 || month > 12)
        return false;
    *out = (struct period){year, month, freq};
    return true;
}

bool period_guess(const char *text, struct period *out) {
    struct guess_token t[GUESS_TOKENS];
    int n = text ? guess_tokens(text, t) : -1;
    int year, m, next;
    if (n == 2 && t[0].word && (m = month_of_name(t[0].text)) && guess_year(&t[1], &year))
        return guess_done(year, m, PERIOD_MONTHLY, out); /* Nov-26, November 2026 */
    if (n == 2 && t[1].word && (m = month_of_name(t[1].text)) && t[0].digits == 4)
        return guess_done(t[0].value, m, PERIOD_MONTHLY, out); /* 2026 Nov */
    if (n == 2 && !t[0].word && !t[1].word && t[0].digits <= 2 && t[1].digits == 4)
        return guess_done(t[1].value, t[0].value, PERIOD_MONTHLY, out); /* 11/2026 */
    if (n == 2 && !t[0].word && !t[1].word && t[0].digits == 4 && t[1].digits <= 2) {
        next = (t[0].value + 1) % 100;
        if (t[1].digits == 2 && t[1].value == next && t[1].value > 12)
            return guess_done(t[0].value, 4, PERIOD_ANNUAL, out);       /* 2019/20 */
        return guess_done(t[0].value, t[1].value, PERIOD_MONTHLY, out); /* 2026/11 */
    }
    if (n == 2 && !t[0].word && !t[1].word && t[0].digits == 4 && t[1].digits == 4 &&
        t[1].value == t[0].value + 1)
        return guess_done(t[0].value, 4, PERIOD_ANNUAL, out); /* 2019-2020 */
    if (n == 3 && !t[0].word && !t[1].word && !t[2].word) {
        if (t[0].value == 1 && t[0].digits <= 2 && t[1].digits <= 2 && t[2].digits == 4)
            return guess_done(t[2].value, t[1].value, PERIOD_MONTHLY, out); /* 01/11/2026 */
        if (t[0].digits == 4 && t[1].digits <= 2 && t[2].value == 1 && t[2].digits <= 2)
            return guess_done(t[0].value, t[1].value, PERIOD_MONTHLY, out); /* 2026-11-01 */
    }
    /* Quarters: Q1 2019, 2019 Q1, 2019Q1, q1-19. */
    if (n == 3 && t[0].word && strcmp(t[0].text, "q") == 0 && !t[1].word && t[1].value >= 1 &&
        t[1].value <= 4 && t[1].digits == 1 && guess_year(&t[2], &year))
        return guess_done(year, (t[1].value - 1) * 3 + 1, PERIOD_QUARTERLY, out);
    if (n == 3 && t[1].word && strcmp(t[1].text, "q") == 0 && t[0].digits == 4 && !t[2].word &&
        t[2].value >= 1 && t[2].value <= 4 && t[2].digits == 1)
        return guess_done(t[0].value, (t[2].value - 1) * 3 + 1, PERIOD_QUARTERLY, out);
    /* Financial years: FY2019/20, fy19-20, FY 2019-2020. */
    if (n == 3 && t[0].word && strcmp(t[0].text, "fy") == 0 && guess_year(&t[1], &year) &&
        !t[2].word) {
        next = t[2].digits == 4 ? t[2].value : 2000 + t[2].value;
        if ((t[2].digits == 2 || t[2].digits == 4) && next == year + 1)
            return guess_done(year, 4, PERIOD_ANNUAL, out);
    }
    return false;
}

const char *period_freq_example(enum period_freq freq) {
    return freq == PERIOD_MONTHLY     ? "2019-02"
           : freq == PERIOD_QUARTERLY ? "2019-Q1"
                                      : "2019 or FY2019-20";
}
