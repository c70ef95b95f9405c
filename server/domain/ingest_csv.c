/* Reading CSV submissions once the CSV reader has framed the records: which column is
 * which, and what each cell means. Header names are matched loosely (case, spaces) as
 * spreadsheets write them; cell values are passed on as sent for ingest_check_row. */
#include "ingest_csv.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

static void column_name(const char *header, char *name, size_t size);
static int field_of(const char *name);
static bool dim_known(const char *name, const char *const *dims, int ndims);
static bool delete_value(const char *text, bool *del);
static bool split_names_fields(const char *header, char sep);

static const char *const field_names[INGEST_CSV_NFIELDS] = {
    "metric", "area", "period", "value", "lower", "upper", "status", "note", "delete"};

const char *ingest_csv_field_name(enum ingest_csv_field f) {
    return f >= 0 && f < INGEST_CSV_NFIELDS ? field_names[f] : NULL;
}

static void column_name(const char *header, char *name, size_t size) {
    while (*header == ' ')
        header++;
    int n = utf8_prefix_len(header, size - 1);
    memcpy(name, header, (size_t)n);
    name[n] = '\0';
    for (char *p = name; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    while (n > 0 && name[n - 1] == ' ')
        name[--n] = '\0';
}

static int field_of(const char *name) {
    for (int f = 0; f < INGEST_CSV_NFIELDS; f++)
        if (strcmp(name, field_names[f]) == 0)
            return f;
    return -1;
}

static bool dim_known(const char *name, const char *const *dims, int ndims) {
    for (int k = 0; k < ndims; k++)
        if (strcmp(dims[k], name) == 0)
            return true;
    return false;
}

/* Spreadsheets write booleans many ways; empty means not a deletion. */
static bool delete_value(const char *text, bool *del) {
    if (strcasecmp(text, "true") == 0 || strcmp(text, "1") == 0 || strcasecmp(text, "yes") == 0) {
        *del = true;
        return true;
    }
    *del = false;
    return !*text || strcasecmp(text, "false") == 0 || strcmp(text, "0") == 0 ||
           strcasecmp(text, "no") == 0;
}

/* Whether the header, cut at sep, names metric, area, period and value: then the file is
 * plainly separated by sep rather than by commas. */
static bool split_names_fields(const char *header, char sep) {
    bool seen[INGEST_CSV_NFIELDS] = {false};
    const char *p = header;
    for (;;) {
        const char *end = strchr(p, sep);
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char piece[INGEST_CSV_NAME_SIZE], name[INGEST_CSV_NAME_SIZE];
        if (len < sizeof piece) {
            memcpy(piece, p, len);
            piece[len] = '\0';
            column_name(piece, name, sizeof name);
            int f = field_of(name);
            if (f >= 0)
                seen[f] = true;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return seen[INGEST_CSV_METRIC] && seen[INGEST_CSV_AREA] && seen[INGEST_CSV_PERIOD] &&
           seen[INGEST_CSV_VALUE];
}

bool ingest_csv_read_header(struct ingest_csv_columns *cols, char *const *fields, int nfields,
                            const char *const *dims, int ndims, struct ingest_errors *errs) {
    memset(cols, 0, sizeof *cols);
    int before = errs->n;
    long lost_before = errs->lost;
    cols->ncols = nfields < CSV_MAX_FIELDS ? nfields : CSV_MAX_FIELDS;
    for (int f = 0; f < INGEST_CSV_NFIELDS; f++)
        cols->col_of[f] = -1;
    /* Excel saves "CSV" with semicolons where the comma is the decimal mark, and such a
     * file writes 12,5 for twelve and a half: it is named, not read, since reading it
     * would take its numbers for something else. */
    if (nfields == 1 &&
        (split_names_fields(fields[0], ';') || split_names_fields(fields[0], '\t'))) {
        bool semi = split_names_fields(fields[0], ';');
        column_name(fields[0], cols->name[0], sizeof cols->name[0]);
        ingest_errors_add(errs, cols->name[0], semi ? "semicolon_separated" : "tab_separated",
                          semi ? "the file is separated by semicolons (;), as Excel saves CSV in "
                                 "some languages; save it as CSV UTF-8 (comma delimited), with "
                                 "decimal points (12.5), and send it again"
                               : "the file is separated by tabs; save it as CSV UTF-8 (comma "
                                 "delimited) and send it again");
        return false;
    }
    for (int c = 0; c < cols->ncols; c++) {
        char *name = cols->name[c];
        column_name(fields[c], name, sizeof cols->name[c]);
        int f = field_of(name);
        bool twice = f >= 0 && cols->col_of[f] >= 0;
        for (int k = 0; f < 0 && k < c; k++)
            twice |= cols->is_dim[k] && strcmp(cols->name[k], name) == 0;
        if (twice) {
            ingest_errors_add(errs, name, "duplicate_column",
                              "this column appears twice in the header");
        } else if (f < 0 && !dim_known(name, dims, ndims)) {
            ingest_errors_add(errs, name, "unknown_column",
                              "column \"%.*s\" is neither a field (metric, area, period, value, "
                              "lower, upper, status, note, delete) nor a breakdown dimension "
                              "(GET /v1/dimensions)",
                              utf8_prefix_len(name, 40), name);
            continue;
        }
        if (f >= 0)
            cols->col_of[f] = c;
        else if (!twice)
            cols->is_dim[c] = true;
    }
    for (int f = INGEST_CSV_METRIC; f <= INGEST_CSV_VALUE; f++)
        if (cols->col_of[f] < 0)
            ingest_errors_add(errs, field_names[f], "missing_column",
                              "the header must have metric, area, period and value");
    return errs->n == before && errs->lost == lost_before;
}

bool ingest_csv_blank_row(char *const *fields, int nfields) {
    for (int i = 0; i < nfields; i++)
        for (const char *p = fields[i]; *p; p++)
            if (*p != ' ' && *p != '\t')
                return false;
    return true;
}

bool ingest_csv_read_row(const struct ingest_csv_columns *cols, char *const *fields,
                         const bool *quoted, int nfields, long line, struct ingest_raw *raw,
                         struct ingest_errors *errs) {
    memset(raw, 0, sizeof *raw);
    if (nfields != cols->ncols) {
        ingest_errors_add(errs, NULL, "wrong_field_count",
                          "line %ld has %d fields; the header has %d", line, nfields, cols->ncols);
        return false;
    }
    int before = errs->n;
    long lost_before = errs->lost;
    const char **dst[] = {&raw->metric, &raw->area,  &raw->period, &raw->value,
                          &raw->lower,  &raw->upper, &raw->status, &raw->note};
    for (int f = 0; f < INGEST_CSV_DELETE; f++)
        *dst[f] = cols->col_of[f] >= 0 ? fields[cols->col_of[f]] : NULL;
    /* A missing column means "keep what is stored"; an empty cell clears; a note of ""
     * in quotes is an empty note. */
    raw->has_lower = cols->col_of[INGEST_CSV_LOWER] >= 0;
    raw->has_upper = cols->col_of[INGEST_CSV_UPPER] >= 0;
    raw->has_status = cols->col_of[INGEST_CSV_STATUS] >= 0;
    raw->has_note = cols->col_of[INGEST_CSV_NOTE] >= 0;
    int note_col = cols->col_of[INGEST_CSV_NOTE];
    if (note_col >= 0 && !fields[note_col][0] && !(quoted && quoted[note_col]))
        raw->note = NULL;
    int del_col = cols->col_of[INGEST_CSV_DELETE];
    if (del_col >= 0 && !delete_value(fields[del_col], &raw->del)) {
        const char *d = fields[del_col];
        ingest_errors_add(errs, "delete", "wrong_type", "delete \"%.*s\" must be true or false",
                          utf8_prefix_len(d, 20), d);
    }
    for (int c = 0; c < nfields; c++) {
        if (!cols->is_dim[c] || !fields[c][0] ||
            breakdown_add(&raw->breakdown, cols->name[c], fields[c]))
            continue;
        if (raw->breakdown.n == BREAKDOWN_MAX_DIMS)
            ingest_errors_add(errs, cols->name[c], "bad_breakdown",
                              "a row can break a figure down by at most %d dimensions",
                              BREAKDOWN_MAX_DIMS);
        else
            ingest_errors_add(errs, cols->name[c], "bad_breakdown", "category is too long");
    }
    return errs->n == before && errs->lost == lost_before;
}
