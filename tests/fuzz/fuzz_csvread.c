/* Fuzzes the CSV reader against a byte-at-a-time reference reader written separately
 * here: both must agree on every record, field, start line and on each error's kind, line
 * and column. Quoting a record's fields again must also read back the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/csvread.h"
#include "domain/strbuf.h"

enum ref_error {
    REF_TOO_MANY,
    REF_LONE_CR,
    REF_QUOTE_IN_FIELD,
    REF_NUL,
    REF_UNTERMINATED,
    REF_AFTER_QUOTE
};

/* How each kind's message starts in the reader under test. */
static const char *const ref_error_text[] = {
    "a record has more than", "a carriage return (CR)",         "a quote mark (\") appears",
    "the file holds a NUL",   "a quoted field is never closed", "text follows the closing quote"};

struct ref {
    const char *d;
    size_t n, i;
    long line, col; /* of d[i]; col counts bytes from the line start */
    struct strbuf field[CSV_MAX_FIELDS];
    int nfields;
    long record_line;
    enum ref_error error;
    long error_line, error_col;
};

static void check(int ok) {
    if (!ok)
        abort();
}

static void ref_step(struct ref *f) {
    if (f->d[f->i++] == '\n') {
        f->line++;
        f->col = 1;
    } else {
        f->col++;
    }
}

static enum csv_status ref_fail(struct ref *f, enum ref_error e, long line, long col) {
    f->error = e;
    f->error_line = line;
    f->error_col = col;
    return CSV_ERROR;
}

/* At a line end: consumes it and answers 1; a lone CR is an error (-1); otherwise 0. */
static int ref_line_end(struct ref *f) {
    if (f->i >= f->n)
        return 1;
    if (f->d[f->i] == '\n') {
        ref_step(f);
        return 1;
    }
    if (f->d[f->i] != '\r')
        return 0;
    if (f->i + 1 == f->n) {
        ref_step(f);
        return 1;
    }
    if (f->d[f->i + 1] != '\n')
        return -1;
    ref_step(f);
    ref_step(f);
    return 1;
}

static enum csv_status ref_next(struct ref *f) {
    for (int k = 0; k < f->nfields; k++)
        strbuf_reset(&f->field[k]);
    f->nfields = 0;
    while (f->i < f->n && (f->d[f->i] == '\n' ||
                           (f->d[f->i] == '\r' && (f->i + 1 == f->n || f->d[f->i + 1] == '\n'))))
        ref_line_end(f);
    if (f->i >= f->n)
        return CSV_END;
    f->record_line = f->line;
    enum { FIELD_START, UNQUOTED, QUOTED, CLOSED } st = FIELD_START;
    long open_line = 0, open_col = 0;
    for (;;) {
        char c = f->i < f->n ? f->d[f->i] : 0;
        int at_end = f->i >= f->n;
        struct strbuf *out = &f->field[f->nfields ? f->nfields - 1 : 0];
        switch (st) {
        case FIELD_START:
            if (f->nfields == CSV_MAX_FIELDS)
                return ref_fail(f, REF_TOO_MANY, f->line, f->col);
            f->nfields++;
            if (!at_end && c == '"') {
                open_line = f->line;
                open_col = f->col;
                ref_step(f);
                st = QUOTED;
            } else {
                st = UNQUOTED;
            }
            break;
        case UNQUOTED:
        case CLOSED:
            if (!at_end && c == ',') {
                ref_step(f);
                st = FIELD_START;
                break;
            }
            if (!at_end && c == '\0')
                return ref_fail(f, REF_NUL, f->line, f->col);
            {
                int end = ref_line_end(f);
                if (end > 0)
                    return CSV_RECORD;
                if (end < 0)
                    return ref_fail(f, REF_LONE_CR, f->line, f->col);
            }
            if (st == CLOSED)
                return ref_fail(f, REF_AFTER_QUOTE, f->line, f->col);
            if (c == '"')
                return ref_fail(f, REF_QUOTE_IN_FIELD, f->line, f->col);
            strbuf_putc(out, c);
            ref_step(f);
            break;
        case QUOTED:
            if (at_end)
                return ref_fail(f, REF_UNTERMINATED, open_line, open_col);
            if (c == '\0')
                return ref_fail(f, REF_NUL, f->line, f->col);
            ref_step(f);
            if (c != '"') {
                strbuf_putc(out, c);
            } else if (f->i < f->n && f->d[f->i] == '"') {
                strbuf_putc(out, '"');
                ref_step(f);
            } else {
                st = CLOSED;
            }
            break;
        }
    }
}

/* Writes the record with every field quoted and reads it back. */
static void check_round_trip(const struct csv_reader *r) {
    struct strbuf b;
    strbuf_init(&b);
    for (int i = 0; i < r->nfields; i++) {
        if (i)
            strbuf_putc(&b, ',');
        strbuf_putc(&b, '"');
        for (const char *c = r->fields[i]; *c; c++) {
            if (*c == '"')
                strbuf_putc(&b, '"');
            strbuf_putc(&b, *c);
        }
        strbuf_putc(&b, '"');
    }
    strbuf_append(&b, "\r\n", 2);
    check(!b.failed);
    struct csv_reader again;
    csv_reader_init(&again, b.data, b.len);
    check(csv_read_record(&again) == CSV_RECORD);
    check(again.nfields == r->nfields && again.record_line == 1);
    for (int i = 0; i < r->nfields; i++)
        check(strcmp(again.fields[i], r->fields[i]) == 0);
    check(csv_read_record(&again) == CSV_END);
    csv_reader_free(&again);
    strbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* An exact-size copy, so ASan catches any read past the end. */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    long newlines = 0;
    for (size_t i = 0; i < size; i++)
        newlines += copy[i] == '\n';

    static struct ref ref; /* static: 64 buffers kept across inputs */
    ref.d = copy;
    ref.n = size;
    ref.i = size >= 3 && memcmp(copy, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    ref.line = ref.col = 1;

    struct csv_reader r;
    csv_reader_init(&r, copy, size);
    enum csv_status st = CSV_END;
    for (size_t i = 0; i <= size + 1; i++) { /* each record consumes at least one byte */
        enum csv_status want = ref_next(&ref);
        st = csv_read_record(&r);
        check(st == want);
        if (st != CSV_RECORD)
            break;
        check(r.nfields == ref.nfields && r.nfields >= 1 && r.nfields <= CSV_MAX_FIELDS);
        check(r.record_line == ref.record_line && r.line == ref.line && r.pos == ref.i);
        for (int f = 0; f < r.nfields; f++) {
            const struct strbuf *w = &ref.field[f];
            check(strlen(r.fields[f]) == w->len);
            check(w->len == 0 || memcmp(r.fields[f], w->data, w->len) == 0);
        }
        check_round_trip(&r);
    }
    check(st != CSV_RECORD);
    if (st == CSV_ERROR) {
        const char *want = ref_error_text[ref.error];
        check(strncmp(r.error, want, strlen(want)) == 0 && r.nfields == 0);
        check(r.error_line == ref.error_line && r.error_column == ref.error_col);
        check(r.error_line <= newlines + 1);
        check(csv_read_record(&r) == CSV_ERROR);
    } else {
        check(r.line == newlines + 1);
        check(csv_read_record(&r) == CSV_END);
    }
    csv_reader_free(&r);
    free(copy);
    return 0;
}
