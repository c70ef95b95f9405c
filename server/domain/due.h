/* What a return schedule makes a partner owe: the periods around a day, each with its
 * due date (due_day of the month after the period ends), whether it can be sent yet
 * (the period has started) and whether its due date has passed. Pure: "today" is an
 * argument. */
#ifndef DUE_H
#define DUE_H

#include <stdbool.h>

#include "period.h"

#define DUE_MAX_ITEMS 64

struct due_item {
    struct period period;
    int due_year, due_month, due_day;
    bool open;     /* the period has started: its figure can be sent */
    bool past_due; /* today is after the due date */
};

/* Fills out (oldest first) with the `past` latest periods whose due date has passed,
 * every started period not yet due, and the `coming` periods after today's that have not
 * started. Annual schedules run by UK financial year (April). due_day is 1..28. Returns
 * the count (at most max and DUE_MAX_ITEMS), or -1 for a bad argument. */
int due_periods(enum period_freq freq, int due_day, int year, int month, int day, int past,
                int coming, struct due_item *out, int max);
/* The period of freq that contains the given month. */
struct period due_period_containing(enum period_freq freq, int year, int month);

#endif
