/* Reading CSV submissions one record at a time. The reader walks the borrowed bytes once
 * and copies only the current record's fields into one block, so memory stays bounded by
 * the longest record whatever the size of the file. */
#include "csvread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static bool has_bom(const char *data, size_t len);
static size_t line_end_len(const struct csv_reader *r, size_t p);
static long column_of(const struct csv_reader *r, size_t at);
static enum csv_status fail(struct csv_reader *r, struct strbuf *buf, long line, size_t at,
                            const char *msg);
static void release_record(struct csv_reader *r);

/* NUL bytes are an error rather than data: fields are handed on as C strings, and a NUL
 * would silently cut a value short ("12\0" read as "12"). A CR that is not part of a CRLF
 * is an error outside quotes (RFC 4180 text may not hold one; it usually means a file
 * saved with old Mac line endings), and data inside quotes. */
#define MSG_NUL "the file holds a NUL byte, which CSV text cannot contain; save it as UTF-8 text"
#define MSG_LONE_CR                                                                                \
    "a carriage return (CR) outside quotes must be followed by a line feed (LF); save the "        \
    "file with CRLF or LF line endings"
#define MSG_UNTERMINATED                                                                           \
    "a quoted field is never closed: the file ends before its closing quote mark (\")"
#define MSG_QUOTE_IN_FIELD                                                                         \
    "a quote mark (\") appears inside a field that does not start with one; quote the whole "      \
    "field and double the inner quote (\"\")"
#define MSG_AFTER_QUOTE                                                                            \
    "text follows the closing quote of a field; only a comma or the end of the line may "          \
    "follow it (write a quote inside a quoted field as \"\")"
#define MSG_NO_MEMORY "the server ran out of memory reading this record"

static bool has_bom(const char *data, size_t len) {
    return len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
           (unsigned char)data[2] == 0xBF;
}

/* Bytes of the line ending at p: 1 for LF, 2 for CRLF, 1 for a CR that ends the file
 * (a last line cut short of its LF), 0 when p is not at a line end. */
static size_t line_end_len(const struct csv_reader *r, size_t p) {
    if (p >= r->len)
        return 0;
    if (r->data[p] == '\n')
        return 1;
    if (r->data[p] == '\r') {
        if (p + 1 == r->len)
            return 1;
        if (r->data[p + 1] == '\n')
            return 2;
    }
    return 0;
}

/* Columns count bytes from the start of the line; found by looking back only when an
 * error is reported, so the read path keeps no per-line state. The byte-order mark is
 * invisible in an editor, so it does not count. */
static long column_of(const struct csv_reader *r, size_t at) {
    size_t start = at;
    while (start > 0 && r->data[start - 1] != '\n')
        start--;
    if (start == 0 && has_bom(r->data, r->len))
        start = 3;
    return (long)(at - start) + 1;
}

static enum csv_status fail(struct csv_reader *r, struct strbuf *buf, long line, size_t at,
                            const char *msg) {
    strbuf_free(buf);
    snprintf(r->error, sizeof r->error, "%s", msg);
    r->error_line = line;
    r->error_column = column_of(r, at);
    r->pos = at;
    return CSV_ERROR;
}

/* The fields share one block that starts at fields[0]. */
static void release_record(struct csv_reader *r) {
    if (r->nfields > 0)
        free(r->fields[0]);
    for (int i = 0; i < r->nfields; i++)
        r->fields[i] = NULL;
    r->nfields = 0;
}

void csv_reader_init(struct csv_reader *r, const char *data, size_t len) {
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->pos = has_bom(data, len) ? 3 : 0;
    r->line = 1;
}

enum csv_status csv_read_record(struct csv_reader *r) {
    release_record(r);
    if (r->error[0]) /* an error is final: the rest of the file cannot be framed */
        return CSV_ERROR;
    const char *d = r->data;
    size_t n = r->len, p = r->pos;
    for (size_t e; (e = line_end_len(r, p)) > 0; p += e)
        if (d[p + e - 1] == '\n')
            r->line++;
    r->pos = p;
    if (p >= n)
        return CSV_END;

    struct strbuf buf;
    strbuf_init(&buf);
    size_t offs[CSV_MAX_FIELDS];
    bool quoted[CSV_MAX_FIELDS];
    int nf = 0;
    r->record_line = r->line;
    for (;;) {
        if (nf == CSV_MAX_FIELDS) {
            char msg[sizeof r->error];
            snprintf(msg, sizeof msg,
                     "a record has more than %d fields; check the separators, or quote fields "
                     "that hold commas",
                     CSV_MAX_FIELDS);
            return fail(r, &buf, r->line, p, msg);
        }
        offs[nf] = buf.len;
        quoted[nf] = p < n && d[p] == '"';
        nf++;
        if (p < n && d[p] == '"') {
            size_t open = p++;
            long open_line = r->line;
            for (;;) {
                size_t run = p;
                while (p < n && d[p] != '"' && d[p] != '\0') {
                    if (d[p] == '\n')
                        r->line++;
                    p++;
                }
                strbuf_append(&buf, d + run, p - run);
                if (p >= n)
                    return fail(r, &buf, open_line, open, MSG_UNTERMINATED);
                if (d[p] == '\0')
                    return fail(r, &buf, r->line, p, MSG_NUL);
                if (p + 1 < n && d[p + 1] == '"') {
                    strbuf_putc(&buf, '"');
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            if (p < n && d[p] != ',' && !line_end_len(r, p))
                return fail(r, &buf, r->line, p,
                            d[p] == '\r'   ? MSG_LONE_CR
                            : d[p] == '\0' ? MSG_NUL
                                           : MSG_AFTER_QUOTE);
        } else {
            size_t run = p;
            while (p < n && d[p] != ',' && d[p] != '\n' && d[p] != '\r' && d[p] != '"' &&
                   d[p] != '\0')
                p++;
            strbuf_append(&buf, d + run, p - run);
            if (p < n && d[p] == '"')
                return fail(r, &buf, r->line, p, MSG_QUOTE_IN_FIELD);
            if (p < n && d[p] == '\0')
                return fail(r, &buf, r->line, p, MSG_NUL);
            if (p < n && d[p] == '\r' && !line_end_len(r, p))
                return fail(r, &buf, r->line, p, MSG_LONE_CR);
        }
        strbuf_putc(&buf, '\0');
        if (buf.failed)
            return fail(r, &buf, r->line, p, MSG_NO_MEMORY);
        if (p >= n)
            break;
        if (d[p] == ',') {
            p++;
            continue;
        }
        size_t e = line_end_len(r, p);
        if (d[p + e - 1] == '\n')
            r->line++;
        p += e;
        break;
    }
    char *block = strbuf_take(&buf, NULL);
    if (!block)
        return fail(r, &buf, r->line, p, MSG_NO_MEMORY);
    for (int i = 0; i < nf; i++) {
        r->fields[i] = block + offs[i];
        r->quoted[i] = quoted[i];
    }
    r->nfields = nf;
    r->pos = p;
    return CSV_RECORD;
}

void csv_reader_free(struct csv_reader *r) {
    release_record(r);
}
