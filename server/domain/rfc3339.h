/* RFC 3339 date-times (section 5.6), as asOf= and snapshot as_of take them:
 * 2019-02-01T10:00:00Z, 2019-02-01T10:00:00.25+01:00. Nothing PostgreSQL would also
 * take ("yesterday", "epoch", a date alone) passes. */
#ifndef RFC3339_H
#define RFC3339_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Parses s whole into seconds and nanoseconds since 1970-01-01T00:00:00Z. A fraction
 * past nanoseconds is cut; a leap second (:60) counts as the next second. False, and
 * *out untouched, for anything else (a day the month lacks, an hour 24, no offset). */
bool rfc3339_parse(const char *s, struct timespec *out);
/* The UTC form with microseconds, "2019-02-01T09:00:00.250000Z" (PostgreSQL keeps
 * microseconds); out holds at least 28 bytes. Returns the length, or -1 when the year
 * falls outside 0000..9999. */
int rfc3339_format_utc(const struct timespec *t, char *out, size_t size);

#endif
