/* A growable byte buffer for building bodies (CSV, text) without fixed limits. */
#ifndef STRBUF_H
#define STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *data;
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed; the buffer keeps what it had */
};

void strbuf_init(struct strbuf *b);
void strbuf_free(struct strbuf *b);
bool strbuf_append(struct strbuf *b, const char *s, size_t n);
bool strbuf_puts(struct strbuf *b, const char *s);
bool strbuf_putc(struct strbuf *b, char c);
bool strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (NUL-terminated) and empties the buffer. */
char *strbuf_take(struct strbuf *b, size_t *len);
void strbuf_reset(struct strbuf *b);

#endif
