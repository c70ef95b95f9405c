/* Checking one submitted row against a snapshot of the catalogue (metrics, areas,
 * breakdown categories), the partner's grants and the period locks. Pure: the
 * snapshot is plain arrays, so unit tests build one by hand. */
#ifndef INGEST_H
#define INGEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "breakdown.h"
#include "period.h"
#include "suggest.h"
#include "validate.h"

#define INGEST_MAX_ROW_ERRORS 8
#define INGEST_CODE_LEN 72

struct ingest_metric {
    char code[INGEST_CODE_LEN];
    char programme[40];
    enum value_unit unit;
    enum period_freq freq;
    char dims[BREAKDOWN_MAX_DIMS][40]; /* the dimensions it accepts */
    int ndims;
};

struct ingest_category {
    char dim[40];
    char code[48];
};

struct ingest_grant {
    char metric[INGEST_CODE_LEN]; /* "" when the grant is for a programme */
    char programme[40];           /* "" when the grant is for a metric */
    char area[16];
};

struct ingest_lock {
    char metric[INGEST_CODE_LEN];
    char programme[40];
    int month_index; /* period_month_index of the locked period's start */
};

/* Arrays sorted by code (strcmp order) so lookups can bisect. */
struct ingest_catalogue {
    const struct ingest_metric *metrics;
    int nmetrics;
    const char (*areas)[16];
    int nareas;
    const struct ingest_category *categories; /* sorted by dim then code */
    int ncategories;
    const struct ingest_grant *grants; /* any order */
    int ngrants;
    bool check_grants; /* false for an admin key: it may write anything */
    const struct ingest_lock *locks;
    int nlocks;
    bool override_locks; /* an admin override with a reason */
    int today_month_index;
    bool suggest; /* name the nearest known codes for an unknown one (costs a scan) */
};

/* One row as received: text fields (NULL when absent or null) and the breakdown pairs.
 * The optional fields a correction may leave out are three-way, told apart by has_*:
 * absent (has_ false: keep what is stored), cleared (has_ true, text NULL or "": back to
 * none, or provisional for status) or a value. A CSV without the column is absent. */
struct ingest_raw {
    const char *metric, *area, *period, *value, *lower, *upper, *status, *note;
    bool has_lower, has_upper, has_status, has_note;
    bool del;
    struct breakdown breakdown;
};

/* What a row does to one optional field of the stored figure. */
enum ingest_field_change { INGEST_KEEP, INGEST_CLEAR, INGEST_SET };
/* KEEP when the row left the field out, CLEAR for null or "", SET otherwise. */
enum ingest_field_change ingest_field_change(bool present, const char *text);

struct ingest_error {
    const char *field;
    const char *code; /* stable: unknown_metric, bad_period, not_granted, locked, ... */
    char message[240];
    /* What to send instead, when it can be told: the nearest known codes for an unknown
     * metric or area, the period meant for one a spreadsheet wrote ("2026-11"). */
    char suggestions[SUGGEST_MAX][INGEST_CODE_LEN];
    int nsuggestions;
};

/* Fills one error: field and code borrowed, the message formatted (cut to fit). */
void ingest_error_vset(struct ingest_error *e, const char *field, const char *code, const char *fmt,
                       va_list ap);

struct ingest_checked {
    const struct ingest_metric *metric;
    struct period period;
    char value[48], lower[48], upper[48]; /* canonical numbers; "" when absent */
    char breakdown_key[BREAKDOWN_MAX_DIMS * 90];
    /* "provisional", "final" or "estimated" as sent; NULL when left out or cleared */
    const char *status;
    enum ingest_field_change lower_change, upper_change, status_change, note_change;
    int nerrors;
    struct ingest_error errors[INGEST_MAX_ROW_ERRORS];
};

const struct ingest_metric *ingest_find_metric(const struct ingest_catalogue *c, const char *code);
bool ingest_area_known(const struct ingest_catalogue *c, const char *code);
/* Checks every rule that needs no stored figure; fills out (errors included).
 * Returns true when the row has no error. */
bool ingest_check_row(const struct ingest_catalogue *c, const struct ingest_raw *raw,
                      struct ingest_checked *out);

#endif
