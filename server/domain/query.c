/* Query parameter names against a route's list, code patterns, and the spotting of
 * key-like text. */
#include "query.h"

#include <string.h>
#include <strings.h>

#define KEYLIKE_RUN 32

static bool all_of(const char *s, size_t from, size_t to, const char *set);
static bool in_list(const char *name, const char *const *list);
static size_t distance(const char *a, const char *b);
static bool b64url(char c);
static size_t keylike_span(const char *text, size_t n, size_t at);

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define DIGIT "0123456789"

static bool all_of(const char *s, size_t from, size_t to, const char *set) {
    for (size_t i = from; i < to; i++)
        if (!s[i] || !strchr(set, s[i]))
            return false;
    return true;
}

static bool in_list(const char *name, const char *const *list) {
    for (; list && *list; list++)
        if (strcmp(name, *list) == 0)
            return true;
    return false;
}

enum query_fault query_check(const char *const *names, const char *const *values, size_t n,
                             const char *const *allowed, size_t *at) {
    for (size_t i = 0; i < n; i++)
        if (!in_list(names[i], allowed)) {
            *at = i;
            return QUERY_UNKNOWN;
        }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0) {
                *at = i;
                return QUERY_REPEATED;
            }
    for (size_t i = 0; i < n; i++)
        if (!values[i] || !values[i][0]) {
            *at = i;
            return QUERY_EMPTY;
        }
    return QUERY_OK;
}

/* Optimal string alignment distance (Levenshtein with adjacent swaps), on names short
 * enough for rows on the stack; longer names are never near. */
static size_t distance(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na > 40 || nb > 40)
        return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[na][nb];
}

const char *query_suggest(const char *name, const char *const *allowed) {
    const char *best = NULL;
    size_t best_d = 3;
    for (; allowed && *allowed; allowed++) {
        size_t d = strcasecmp(name, *allowed) == 0 ? 1 : distance(name, *allowed);
        if (d < best_d) {
            best_d = d;
            best = *allowed;
        }
    }
    /* A one-letter name is two edits from every two-letter one: no guess. */
    return best && strlen(name) > best_d ? best : NULL;
}

bool code_metric_ok(const char *s) {
    const char *dot = strchr(s, '.');
    if (!dot || dot == s)
        return false;
    size_t head = (size_t)(dot - s), tail = strlen(dot + 1);
    return all_of(s, 0, 1, LOWER) && all_of(s, 1, head, LOWER "_") && tail >= 2 && tail <= 63 &&
           all_of(dot + 1, 0, tail, LOWER DIGIT "_");
}

bool code_area_ok(const char *s) {
    return strlen(s) == 9 && all_of(s, 0, 1, "EWSNK") && all_of(s, 1, 9, DIGIT);
}

bool code_programme_ok(const char *s) {
    size_t n = strlen(s);
    return n >= 2 && n <= 32 && all_of(s, 0, 1, LOWER) && all_of(s, 1, n, LOWER "_");
}

bool code_category_ok(const char *s) {
    size_t n = strlen(s);
    return n >= 1 && n <= 40 && all_of(s, 0, 1, LOWER DIGIT) && all_of(s, 1, n, LOWER DIGIT "_+-");
}

bool code_partner_ok(const char *s) {
    size_t n = strlen(s);
    return n >= 2 && n <= 64 && all_of(s, 0, 1, LOWER DIGIT) && all_of(s, 1, n, LOWER DIGIT "-");
}

static bool b64url(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* "wbk_" in any case at text[at]. By hand, not strncasecmp: it is asked at every
 * character of every path and query on every request (a libc call each time was 2.5% of
 * the server's CPU on a cached series read). c | 0x20 is the lower case of a letter,
 * and only 'W' and 'w' give 'w' (so for 'b' and 'k'). */
static bool wbk_at(const char *text, size_t n, size_t at) {
    return n - at >= 4 && (text[at] | 0x20) == 'w' && (text[at + 1] | 0x20) == 'b' &&
           (text[at + 2] | 0x20) == 'k' && text[at + 3] == '_';
}

/* The length of the key-like run starting at text[at], or 0. A run is a "wbk_" in any
 * case and the base64url characters after it, or 32 or more base64url characters. */
static size_t keylike_span(const char *text, size_t n, size_t at) {
    if (at > 0 && b64url(text[at - 1]) && !wbk_at(text, n, at))
        return 0; /* only from the start of a run, unless the prefix is inside one */
    size_t e = at;
    while (e < n && b64url(text[e]))
        e++;
    if (wbk_at(text, n, at))
        return e - at;
    if (e - at < KEYLIKE_RUN)
        return 0;
    /* Codes are lower case and ids lower-case hex, however long; a random secret of 43
     * base64url characters has both cases but for odds of about 1 in 5 billion. */
    bool upper = false, lower = false;
    for (size_t i = at; i < e; i++) {
        upper |= text[i] >= 'A' && text[i] <= 'Z';
        lower |= text[i] >= 'a' && text[i] <= 'z';
    }
    return upper && lower ? e - at : 0;
}

bool query_keylike(const char *text, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (keylike_span(text, n, i))
            return true;
    return false;
}

size_t query_redact(const char *text, size_t n, char *out, size_t size) {
    static const char mark[] = "[redacted]";
    size_t o = 0;
    if (!size)
        return 0;
    for (size_t i = 0; i < n;) {
        size_t span = keylike_span(text, n, i);
        if (span) {
            for (size_t k = 0; k < sizeof mark - 1 && o + 1 < size; k++)
                out[o++] = mark[k];
            i += span;
        } else {
            if (o + 1 < size)
                out[o++] = text[i];
            i++;
        }
    }
    out[o] = '\0';
    return o;
}
