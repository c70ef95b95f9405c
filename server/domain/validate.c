/* Checks on one submitted value: the number syntax a partner may send, and the range each
 * unit allows. The canonical text is made from the parsed double, so what PostgreSQL
 * stores is exactly what the range checks judged (and what the JSON path, which reads
 * doubles, would store for the same figure). */
#include "validate.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c);
static bool is_blank(char c);
static const char *scan_number(const char *s, bool *nonzero);
static const char *problem(char *msg, size_t msg_size, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Above 2^53 a double no longer holds every whole number, so a count there could be
 * stored as a neighbouring value; 2^53 itself is refused too, since 2^53 + 1 arrives as
 * it. Money and rates have ceilings far above any real figure and far below where the
 * warnings' sums of squares (over a series of any length) leave the range of a double:
 * 1.5e154 squared is past DBL_MAX. */
#define COUNT_MAX 9007199254740991.0
#define GBP_MAX 1e15
#define RATE_MAX 1e6

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

static bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

/* Matches a JSON number (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?) at s; returns
 * the byte after it, or NULL. *nonzero: the digits before the exponent are not all 0. */
static const char *scan_number(const char *s, bool *nonzero) {
    *nonzero = false;
    if (*s == '-')
        s++;
    if (*s == '0') {
        s++;
    } else if (is_digit(*s)) {
        while (is_digit(*s))
            *nonzero = true, s++;
    } else {
        return NULL;
    }
    if (*s == '.') {
        s++;
        if (!is_digit(*s))
            return NULL;
        for (; is_digit(*s); s++)
            if (*s != '0')
                *nonzero = true;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!is_digit(*s))
            return NULL;
        while (is_digit(*s))
            s++;
    }
    return s;
}

bool value_unit_parse(const char *text, enum value_unit *out) {
    static const char *const names[] = {"count", "percent", "gbp", "rate_per_1000"};
    for (int i = 0; i < 4; i++) {
        if (text && strcmp(text, names[i]) == 0) {
            *out = (enum value_unit)i;
            return true;
        }
    }
    return false;
}

bool value_parse(const char *text, double *out, char *canon, size_t canon_size) {
    if (!text)
        return false;
    const char *s = text;
    while (is_blank(*s))
        s++;
    if (*s == '+' && s[1] != '-')
        s++;
    bool nonzero;
    const char *end = scan_number(s, &nonzero);
    if (!end)
        return false;
    const char *rest = end;
    while (is_blank(*rest))
        rest++;
    if (*rest)
        return false;

    char *stop;
    errno = 0;
    double v = strtod(s, &stop);
    /* The syntax was checked above; a stop elsewhere means a locale with another decimal
     * mark, and the number would be misread. */
    if (stop != end || !isfinite(v))
        return false;
    if (v == 0 && nonzero) /* so small it rounds to zero: not the partner's figure */
        return false;
    if (v == 0)
        v = 0; /* no negative zero */

    char text_out[VALUE_CANON_SIZE];
    for (int prec = 15; prec <= 17; prec++) { /* the shortest text that reads back as v */
        snprintf(text_out, sizeof text_out, "%.*g", prec, v);
        if (strtod(text_out, NULL) == v)
            break;
    }
    if (canon) {
        if (strlen(text_out) >= canon_size)
            return false;
        memcpy(canon, text_out, strlen(text_out) + 1);
    }
    if (out)
        *out = v;
    return true;
}

static const char *problem(char *msg, size_t msg_size, const char *code, const char *fmt, ...) {
    if (msg && msg_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, msg_size, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *value_check(enum value_unit unit, double v, char *msg, size_t msg_size) {
    if (msg && msg_size)
        msg[0] = '\0';
    if (!isfinite(v))
        return problem(msg, msg_size, "out_of_range", "the value must be a finite number");
    switch (unit) {
    case UNIT_COUNT:
        if (v < 0)
            return problem(msg, msg_size, "negative_count",
                           "a count cannot be negative (got %.15g)", v);
        if (v != floor(v))
            return problem(msg, msg_size, "fractional_count",
                           "a count must be a whole number (got %.15g)", v);
        if (v > COUNT_MAX)
            return problem(msg, msg_size, "out_of_range",
                           "a count above 9007199254740991 (2^53 - 1) cannot be stored exactly "
                           "(it reads as %.17g)",
                           v);
        return NULL;
    case UNIT_PERCENT:
        if (v < 0 || v > 100)
            return problem(msg, msg_size, "out_of_range",
                           "a percentage must lie between 0 and 100 (got %.15g)", v);
        return NULL;
    case UNIT_GBP:
        if (v < 0)
            return problem(msg, msg_size, "negative_value",
                           "an amount in pounds cannot be negative (got %.15g)", v);
        if (v > GBP_MAX)
            return problem(msg, msg_size, "out_of_range",
                           "an amount in pounds must be at most 1e15 (got %.15g)", v);
        return NULL;
    case UNIT_RATE_PER_1000:
        if (v < 0)
            return problem(msg, msg_size, "negative_value",
                           "a rate per 1,000 cannot be negative (got %.15g)", v);
        if (v > RATE_MAX)
            return problem(msg, msg_size, "out_of_range",
                           "a rate per 1,000 must be at most 1000000 (got %.15g)", v);
        return NULL;
    }
    return problem(msg, msg_size, "out_of_range", "the metric's unit is not one the server knows");
}

/* A bound may be fractional, or a little below zero (a normal-approximation interval on
 * a small count), but not further from zero than the unit's largest value. */
const char *value_check_bound(enum value_unit unit, double v, char *msg, size_t msg_size) {
    if (msg && msg_size)
        msg[0] = '\0';
    double max = unit == UNIT_COUNT     ? COUNT_MAX
                 : unit == UNIT_PERCENT ? 100
                 : unit == UNIT_GBP     ? GBP_MAX
                                        : RATE_MAX;
    if (!isfinite(v) || fabs(v) > max)
        return problem(msg, msg_size, "out_of_range",
                       "an interval bound must lie within -%.15g and %.15g for this unit (got "
                       "%.15g)",
                       max, max, v);
    return NULL;
}
