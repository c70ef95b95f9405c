/* CSV (RFC 4180): writing fields for downloads, and reading records for submissions. */
#ifndef CSV_H
#define CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Appends one field, quoted when it holds a comma, quote, CR or LF, or starts with a
 * character a spreadsheet would take for a formula (=, +, -, @) and is not a number. */
bool csv_put_field(struct strbuf *b, const char *s, bool first);
/* Appends a text value that may be empty: "" for the empty text, so that a reader tells it
 * from a cell with no value (csv_put_field's empty), as PostgreSQL's COPY ... CSV does. */
bool csv_put_text(struct strbuf *b, const char *s, bool first);
/* Ends a record with CRLF, as RFC 4180 asks. */
bool csv_end_record(struct strbuf *b);

#endif
