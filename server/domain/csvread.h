/* Reading CSV submissions (RFC 4180): quoted fields with commas, doubled quotes and
 * line breaks, CRLF or LF endings, a UTF-8 byte-order mark at the start. Errors carry
 * the line and column so a partner can find the fault. */
#ifndef CSVREAD_H
#define CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

#define CSV_MAX_FIELDS 64

enum csv_status { CSV_RECORD, CSV_END, CSV_ERROR };

struct csv_reader {
    const char *data;
    size_t len;
    size_t pos;
    long line;                    /* line the next record starts on (1-based) */
    char *fields[CSV_MAX_FIELDS]; /* the current record, NUL-terminated, owned by the
                                     reader and valid until the next read or free */
    int nfields;
    /* Whether each field was written in quotes: "" is an empty text, an empty unquoted
     * field is nothing at all (the convention of PostgreSQL's COPY ... CSV). */
    bool quoted[CSV_MAX_FIELDS];
    long record_line; /* line the current record started on */
    char error[160];  /* set on CSV_ERROR */
    long error_line, error_column;
};

/* The reader borrows data (which need not be NUL-terminated) until csv_reader_free. */
void csv_reader_init(struct csv_reader *r, const char *data, size_t len);
/* Reads the next record into r->fields / r->nfields. Lines that are entirely empty
 * are skipped. CSV_ERROR for an unterminated quote, a quote inside an unquoted field,
 * text after a closing quote, more than CSV_MAX_FIELDS fields, a NUL byte anywhere, or a
 * CR outside quotes that is not followed by LF. An error is final: later calls return
 * CSV_ERROR again. error_column counts bytes from the line start (a BOM not counted). */
enum csv_status csv_read_record(struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

#endif
