/* One observation of a JSON submission ({"metric", "area", "period", "value", ...})
 * read into a row for ingest_check_row: field names, types, numbers as text, the
 * breakdown object and the delete flag. */
#ifndef INGEST_JSON_H
#define INGEST_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "ingest.h"
#include "ingest_errors.h"

/* Room for any number jansson reads, as text ("-9223372036854775808",
 * "-2.2250738585072014e-308"). */
#define INGEST_JSON_NUMBER_SIZE 64

struct ingest_json_row {
    /* The text of raw points into the JSON object (valid while it lives) or into the
     * buffers below, so use the struct where it was filled: a copy's raw still points
     * into the original. */
    struct ingest_raw raw;
    char value[INGEST_JSON_NUMBER_SIZE], lower[INGEST_JSON_NUMBER_SIZE],
        upper[INGEST_JSON_NUMBER_SIZE];
};

/* Reads one element of "observations". Returns true when it could be read; otherwise
 * appends every fault to errs (not_an_object, unknown_field, wrong_type, not_a_number,
 * bad_breakdown, each with the field it names) and returns false. */
bool ingest_json_read_row(json_t *row, struct ingest_json_row *out, struct ingest_errors *errs);
/* The submission around the rows: {"observations": [...], "reason": "...",
 * "override_lock": true}. Borrowed from doc. */
struct ingest_json_envelope {
    json_t *observations; /* the array; NULL when the document has none */
    const char *reason;   /* NULL when absent, null or "" */
    bool override_lock;
};

/* Reads the top level of a JSON submission. Each field must have its type: observations
 * an array (required), reason a string or null, override_lock true or false (so "yes"
 * or 1 is refused, not read as false). Returns true when it could be read; otherwise
 * appends every fault to errs (not_an_object, unknown_field, missing_field, wrong_type,
 * each with the field it names, NULL for the document) and returns false. */
bool ingest_json_read_envelope(json_t *doc, struct ingest_json_envelope *out,
                               struct ingest_errors *errs);
/* A JSON number as text: an integer in full, a real in the shortest form that reads
 * back as the same double. False for any other type. A string holding a number is
 * taken by ingest_json_read_row as it is, for ingest_check_row to judge. */
bool ingest_json_number_text(const json_t *v, char *out, size_t size);

#endif
