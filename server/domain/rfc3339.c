/* RFC 3339 timestamps, read digit by digit against the grammar of its section 5.6 (with
 * its note allowing a space for 'T' and lower-case 't' and 'z'), and the instant worked
 * out from the civil date by the days-from-civil reckoning of the proleptic Gregorian
 * calendar, with no dependence on the process's time zone or locale. */
#include "rfc3339.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool digits(const char *s, int n, int *out);
static bool leap_year(int y);
static int days_in_month(int y, int m);
static int64_t days_from_civil(int y, int m, int d);
static void civil_from_days(int64_t z, int *y, int *m, int *d);

static bool digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool leap_year(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01. Years are counted from March so that the leap day falls last;
 * an era is 400 years (146097 days), after which the calendar repeats. */
static int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool rfc3339_parse(const char *s, struct timespec *out) {
    if (!s || strnlen(s, RFC3339_MAX_LEN + 1) > RFC3339_MAX_LEN)
        return false;
    int year, month, day, hour, minute, second;
    /* date-fullyear "-" date-month "-" date-mday */
    if (!digits(s, 4, &year) || s[4] != '-' || !digits(s + 5, 2, &month) || s[7] != '-' ||
        !digits(s + 8, 2, &day))
        return false;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return false;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        return false;
    /* partial-time: time-hour ":" time-minute ":" time-second [time-secfrac] */
    const char *t = s + 11;
    if (!digits(t, 2, &hour) || t[2] != ':' || !digits(t + 3, 2, &minute) || t[5] != ':' ||
        !digits(t + 6, 2, &second))
        return false;
    if (hour > 23 || minute > 59 || second > 60)
        return false;
    const char *p = t + 8;
    long nsec = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        for (; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 9)
                nsec = nsec * 10 + (*p - '0');
        if (n == 0) /* time-secfrac is "." 1*DIGIT: past nanoseconds, digits are cut */
            return false;
        for (; n < 9; n++)
            nsec *= 10;
    }
    /* time-offset: "Z" / ("+" / "-") time-hour ":" time-minute */
    int offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        offset = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return false;
    }
    if (*p)
        return false;
    int64_t secs =
        days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
    out->tv_sec = (time_t)secs;
    out->tv_nsec = nsec;
    return true;
}

int rfc3339_format_utc(const struct timespec *t, char *buf, size_t size) {
    int64_t secs = (int64_t)t->tv_sec;
    int64_t days = (secs >= 0 ? secs : secs - 86399) / 86400;
    int64_t rest = secs - days * 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999 || t->tv_nsec < 0 || t->tv_nsec > 999999999)
        return -1;
    int n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", y, m, d, (int)(rest / 3600),
                     (int)(rest / 60 % 60), (int)(rest % 60), (long)(t->tv_nsec / 1000));
    return n < 0 || (size_t)n >= size ? -1 : n;
}
