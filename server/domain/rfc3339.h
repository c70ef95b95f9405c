/* Timestamps as RFC 3339 section 5.6 writes them (the profile of ISO 8601 the API takes
 * for updatedAfter, asOf, a snapshot's as_of and every other time parameter), so nothing
 * reaches PostgreSQL's own, much looser, date parser ("yesterday", "epoch", "now" and
 * friends): 2019-02-01T10:00:00Z, 2019-02-01T10:00:00.25+01:00. */
#ifndef RFC3339_H
#define RFC3339_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Longest text rfc3339_parse takes: a full timestamp with nanoseconds and an offset is
 * 35 characters; a little room is kept for longer fractions. */
#define RFC3339_MAX_LEN 48
/* Room for rfc3339_format_utc's text ("2019-01-31T23:59:59.123456Z" and NUL). */
#define RFC3339_FORMAT_SIZE 32

/* Parses date-time: YYYY-MM-DD, then 'T', 't' or one space, then hh:mm:ss, an optional
 * fraction (.digits, one or more; past nanoseconds they are cut), then 'Z', 'z' or
 * +hh:mm / -hh:mm. The day must
 * exist in its month (leap years counted), hours 00-23, minutes 00-59, seconds 00-60 (a
 * leap second counts as the next second, as POSIX time does), offsets up to 23:59.
 * Writes the instant, as seconds and nanoseconds since 1970-01-01T00:00:00Z; false (and
 * *out untouched) for anything else: a date alone, no offset, "yesterday", "epoch",
 * surrounding spaces, a text longer than RFC3339_MAX_LEN. */
bool rfc3339_parse(const char *s, struct timespec *out);
/* Writes the instant in UTC with microseconds, "2019-01-31T23:59:59.123456Z", cutting
 * (never rounding) nanoseconds to microseconds, PostgreSQL's precision; so a bound given
 * in nanoseconds is never moved later than the client's. Years 0000-9999 only; returns
 * the length, or -1 when the year is outside them or the buffer is too small. */
int rfc3339_format_utc(const struct timespec *t, char *buf, size_t size);

#endif
