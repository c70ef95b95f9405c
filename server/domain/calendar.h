/* Dates from Unix time in UTC without gmtime_r, which takes glibc's time-zone lock on
 * every call: the hot read path asks for "this month" and "today" on every request. */
#ifndef CALENDAR_H
#define CALENDAR_H

#include <stdint.h>

/* year * 12 + (month - 1) of the UTC date at t (seconds since 1970-01-01T00:00:00Z). */
int calendar_month_index(int64_t t);
/* "YYYY-MM-DD" of the UTC date at t; out holds 11 bytes. */
void calendar_day_text(int64_t t, char out[11]);

#endif
