/* Reporting periods: monthly 2019-01, quarterly 2019-Q1, annual 2019 and UK financial
 * year FY2019-20, each stored as the date it starts and its frequency. */
#ifndef PERIOD_H
#define PERIOD_H

#include <stdbool.h>
#include <stddef.h>

enum period_freq { PERIOD_MONTHLY, PERIOD_QUARTERLY, PERIOD_ANNUAL };

struct period {
    int year;
    int month; /* 1..12, the first month of the period */
    enum period_freq freq;
};

/* Parses one of the four forms; false (and *out untouched) for anything else. */
bool period_parse(const char *text, struct period *out);
/* What a spreadsheet may have written for a period, read as the period meant: Nov-26,
 * November 2026, 11/2026, 2026/11, 01/11/2026 and 2026-11-01 (the first of a month),
 * Q1 2019, 2019 Q1, 2019/20, FY19-20. For an answer that says "write 2026-11"; never
 * accepted as a period itself. False when the text is none of these. */
bool period_guess(const char *text, struct period *out);
/* Writes the canonical text ("2019-01", "2019-Q1", "2019", "FY2019-20"); returns its length. */
int period_format(const struct period *p, char *buf, size_t size);
/* "2019-01-01": the start date, as PostgreSQL takes it. */
int period_start_date(const struct period *p, char *buf, size_t size);
/* Parses "YYYY-MM-DD" (a period start) with a frequency. */
bool period_from_date(const char *date, enum period_freq freq, struct period *out);
int period_months(enum period_freq freq);
/* Months from January of year 0; used to compare and step periods. */
int period_month_index(const struct period *p);
struct period period_add(const struct period *p, int steps);
/* The first month after the period ends, as a month index. */
int period_end_index(const struct period *p);
bool period_freq_parse(const char *text, enum period_freq *out);
const char *period_freq_name(enum period_freq freq);
/* A period of this frequency as a partner writes one, for messages ("2019-Q1"). */
const char *period_freq_example(enum period_freq freq);
/* Whether the period has started on or before the given year and month. */
bool period_started_by(const struct period *p, int year, int month);

#endif
