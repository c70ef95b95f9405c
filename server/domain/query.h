/* A request's query parameters held to the names its route knows, so a misspelt filter
 * ("perod=") is named in a 400 instead of answering 200 with everything; and the codes
 * a filter may carry held to their patterns before any lookup. */
#ifndef QUERY_H
#define QUERY_H

#include <stdbool.h>
#include <stddef.h>

enum query_fault { QUERY_OK, QUERY_UNKNOWN, QUERY_REPEATED, QUERY_EMPTY };

/* Judges the parameter names as received, in order (with their values; a value may be
 * NULL for a bare "?flag"), against allowed (NULL-terminated; NULL allowed: none).
 * Returns the first fault and its index in *at: a name not allowed, a name given twice
 * (which of the two would count is not the client's to guess), a value that is empty
 * ("period=" and "?metric" alike). Unknown comes before repeated before empty, so the
 * message names the likeliest mistake. */
enum query_fault query_check(const char *const *names, const char *const *values, size_t n,
                             const char *const *allowed, size_t *at);
/* The allowed name nearest to name (at most 2 edits: a letter left out, added, changed or
 * two swapped), for "did you mean"; NULL when none is that near. */
const char *query_suggest(const char *name, const char *const *allowed);

/* Code patterns, as the schema's CHECK constraints write them. */
bool code_metric_ok(const char *s);    /* ^[a-z][a-z_]*\.[a-z0-9_]{2,63}$ */
bool code_area_ok(const char *s);      /* ^[EWSNK][0-9]{8}$ */
bool code_programme_ok(const char *s); /* ^[a-z][a-z_]{1,31}$ (dimensions too) */
bool code_category_ok(const char *s);  /* ^[a-z0-9][a-z0-9_+-]{0,39}$ */
bool code_partner_ok(const char *s);   /* ^[a-z0-9][a-z0-9-]{1,63}$ */

/* Whether text (n bytes, not NUL-terminated) holds something that looks like an API key:
 * "wbk_" in any case, or a run of 32 or more base64url characters with both upper and
 * lower case letters (a key's secret is 43 random ones; codes and ids are lower case),
 * so it is never written to a log and never reaches a handler as a path segment. */
bool query_keylike(const char *text, size_t n);
/* Copies text into out (size bytes, NUL-terminated, cut short if need be) with every
 * key-like run replaced by "[redacted]"; returns the length written. */
size_t query_redact(const char *text, size_t n, char *out, size_t size);

#endif
