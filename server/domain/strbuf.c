/* Growable buffer: doubles its capacity, always keeps a NUL after the bytes. */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(struct strbuf *b, size_t extra);

void strbuf_init(struct strbuf *b) {
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

void strbuf_free(struct strbuf *b) {
    free(b->data);
    strbuf_init(b);
}

static bool reserve(struct strbuf *b, size_t extra) {
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) {
        b->failed = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

bool strbuf_append(struct strbuf *b, const char *s, size_t n) {
    if (!reserve(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool strbuf_puts(struct strbuf *b, const char *s) {
    return strbuf_append(b, s, strlen(s));
}

bool strbuf_putc(struct strbuf *b, char c) {
    return strbuf_append(b, &c, 1);
}

bool strbuf_printf(struct strbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

char *strbuf_take(struct strbuf *b, size_t *len) {
    if (!b->data) { /* nothing appended yet: hand over "" rather than unset bytes */
        if (!reserve(b, 0))
            return NULL;
        b->data[0] = '\0';
    }
    char *d = b->data;
    if (len)
        *len = b->len;
    strbuf_init(b);
    return d;
}

void strbuf_reset(struct strbuf *b) {
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}
