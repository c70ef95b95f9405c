/* Fuzzes the query helpers and the breakdown filter parser. The input is split at '&'
 * and '=' into name/value pairs: query_check's verdict must agree with a plain reading
 * of the rules, a suggestion is always one of the allowed names, redacted text never
 * looks like a key, and a parsed breakdown filter gives a key that fits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/breakdown.h"
#include "domain/query.h"

static void check(int ok) {
    if (!ok)
        abort();
}

static const char *const allowed[] = {"metric", "area",  "from",   "to",     "breakdown",
                                      "last",   "limit", "cursor", "format", NULL};

static int in_allowed(const char *name) {
    for (int i = 0; allowed[i]; i++)
        if (strcmp(allowed[i], name) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    char *copy = malloc(size + 1);
    char *red = malloc(size * 10 + 16);
    if (!text || !copy || !red) {
        free(text), free(copy), free(red);
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    memcpy(copy, text, size + 1);

    size_t rn = query_redact(text, size, red, size * 10 + 16);
    check(rn == strlen(red) || memchr(text, '\0', size)); /* a NUL inside ends the C string */
    check(!query_keylike(red, strlen(red)) || memchr(text, '\0', size));

    const char *names[32], *values[32];
    size_t n = 0;
    for (char *p = copy, *next; p && n < 32; p = next) {
        next = strchr(p, '&');
        if (next)
            *next++ = '\0';
        char *eq = strchr(p, '=');
        if (eq)
            *eq++ = '\0';
        names[n] = p;
        values[n++] = eq;
    }
    size_t at = 99;
    enum query_fault f = query_check(names, values, n, allowed, &at);
    int unknown = -1, repeated = -1, empty = -1;
    for (size_t i = 0; i < n; i++) {
        if (unknown < 0 && !in_allowed(names[i]))
            unknown = (int)i;
        for (size_t j = 0; j < i && repeated < 0; j++)
            if (strcmp(names[i], names[j]) == 0)
                repeated = (int)i;
        if (empty < 0 && (!values[i] || !values[i][0]))
            empty = (int)i;
    }
    if (unknown >= 0)
        check(f == QUERY_UNKNOWN && at == (size_t)unknown);
    else if (repeated >= 0)
        check(f == QUERY_REPEATED && at == (size_t)repeated);
    else if (empty >= 0)
        check(f == QUERY_EMPTY && at == (size_t)empty);
    else
        check(f == QUERY_OK && at == 99);
    for (size_t i = 0; i < n; i++) {
        const char *s = query_suggest(names[i], allowed);
        check(!s || in_allowed(s));
        if (values[i]) {
            struct breakdown b;
            bool dims_only;
            if (breakdown_parse_filter(values[i], &b, &dims_only)) {
                char key[BREAKDOWN_MAX_DIMS * 90];
                check(b.n >= 1 && b.n <= BREAKDOWN_MAX_DIMS);
                check(breakdown_key(&b, key, sizeof key) >= 0);
            }
            /* Codes: any text the patterns take has no byte outside their sets. */
            if (code_area_ok(values[i]))
                check(strlen(values[i]) == 9);
            if (code_metric_ok(values[i]))
                check(strchr(values[i], '.') && !strchr(values[i], ' '));
        }
    }
    free(text), free(copy), free(red);
    return 0;
}
