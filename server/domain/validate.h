/* Checks on one submitted value, by the metric's unit. Pure, so the ingest path, the
 * unit tests and the fuzzers share them. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

enum value_unit { UNIT_COUNT, UNIT_PERCENT, UNIT_GBP, UNIT_RATE_PER_1000 };

bool value_unit_parse(const char *text, enum value_unit *out);
/* Room for any canonical text value_parse writes ("-2.2250738585072014e-308" and NUL). */
#define VALUE_CANON_SIZE 32

/* Parses a decimal number in JSON number syntax, also with a leading '+' or spaces
 * around it ("412", "-3", "26.5", "1e3"); false for anything else (empty, "NaN",
 * "inf", "1,000", "12abc"), or a value that is not finite. Writes the canonical text
 * PostgreSQL will store (no '+', no spaces) into canon: the shortest text that reads
 * back as the same double ("1e3" -> "1000", "26.50" -> "26.5", "-0" -> "0"). A nonzero
 * number that rounds to zero is false too; so is a canon smaller than its text (NULL
 * canon: not written). "Spaces" are blanks and tabs. */
bool value_parse(const char *text, double *out, char *canon, size_t canon_size);
/* NULL when v fits the unit; otherwise a stable error code ("negative_count",
 * "fractional_count", "out_of_range", "negative_value") with a message for the partner
 * in msg. Counts are whole, not negative and below 2^53 (so held exactly); percentages
 * lie within 0..100; money lies within 0..1e15 and rates per 1,000 within 0..1e6, so no
 * later sum or square of figures overflows a double. */
const char *value_check(enum value_unit unit, double v, char *msg, size_t msg_size);
/* The same for a confidence bound (lower, upper): NULL when |v| is at most the unit's
 * largest value (fractions allowed); "out_of_range" otherwise. */
const char *value_check_bound(enum value_unit unit, double v, char *msg, size_t msg_size);

#endif
