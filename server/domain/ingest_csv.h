/* CSV submissions: the header row mapped to fields (metric, area, period, value, lower,
 * upper, status, note, delete) and breakdown dimensions, and each later record turned
 * into a row for ingest_check_row. */
#ifndef INGEST_CSV_H
#define INGEST_CSV_H

#include <stdbool.h>

#include "csvread.h"
#include "ingest.h"
#include "ingest_errors.h"

enum ingest_csv_field {
    INGEST_CSV_METRIC,
    INGEST_CSV_AREA,
    INGEST_CSV_PERIOD,
    INGEST_CSV_VALUE,
    INGEST_CSV_LOWER,
    INGEST_CSV_UPPER,
    INGEST_CSV_STATUS,
    INGEST_CSV_NOTE,
    INGEST_CSV_DELETE,
    INGEST_CSV_NFIELDS
};

#define INGEST_CSV_NAME_SIZE 64

struct ingest_csv_columns {
    int ncols;
    int col_of[INGEST_CSV_NFIELDS]; /* the column of each field; -1 when absent */
    bool is_dim[CSV_MAX_FIELDS];    /* the column is a breakdown dimension */
    /* Each column's name as matched: spaces trimmed, A-Z lower-cased, cut (at a
     * character boundary) to fit. */
    char name[CSV_MAX_FIELDS][INGEST_CSV_NAME_SIZE];
};

/* The field name of f ("metric", ..., "delete"). */
const char *ingest_csv_field_name(enum ingest_csv_field f);
/* Maps a header record. Each column must be a field or one of the dims given (the
 * dimension codes the catalogue knows, any order). Returns true when the header is
 * usable; otherwise appends to errs either semicolon_separated or tab_separated alone (a
 * header of one column that, cut at ';' or a tab, names the four needed fields), or, in
 * column order, duplicate_column (a field or a
 * dimension named twice) and unknown_column (field: the column's name), then
 * missing_column for each of metric, area, period and value that is absent. Error fields
 * point into cols or at static text. */
bool ingest_csv_read_header(struct ingest_csv_columns *cols, char *const *fields, int nfields,
                            const char *const *dims, int ndims, struct ingest_errors *errs);
/* Whether a record holds nothing but separators (and spaces): what a spreadsheet leaves
 * where rows were deleted. Such a record is skipped, and counted, not read as a row. */
bool ingest_csv_blank_row(char *const *fields, int nfields);
/* Turns a data record that started on the given line into a row whose text points into
 * fields; quoted (NULL: none) says which fields were in quotes, so that a note written ""
 * is an empty note and an empty unquoted cell no note. Returns true when it could be read;
 * otherwise appends wrong_field_count (the record's length differs from the header's), wrong_type
 * (a delete value other than true/false, 1/0, yes/no, any case, or empty) or bad_breakdown (a
 * category too long, more dimensions than a breakdown holds). Empty dimension cells are not part of
 * the breakdown: that column's total. */
bool ingest_csv_read_row(const struct ingest_csv_columns *cols, char *const *fields,
                         const bool *quoted, int nfields, long line, struct ingest_raw *raw,
                         struct ingest_errors *errs);

#endif
