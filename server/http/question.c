/* The canonical text of a question and its hash (see question.h). */
#include "http/question.h"

#include <string.h>

#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* Appends bytes to the text while they fit and to the hash always: a question too long
 * to keep still gets an ETag, it just cannot key the cache. */
static void put_bytes(struct question *q, const char *s, size_t n) {
    q->hash = fnv1a(q->hash, s, n);
    if (!q->complete)
        return;
    if (q->len + n >= sizeof q->text) {
        q->complete = false;
        return;
    }
    memcpy(q->text + q->len, s, n);
    q->len += n;
    q->text[q->len] = '\0';
}

/* n in decimal, written backwards so that it ends just before end (no snprintf: this
 * runs several times on every cached read). Returns where it starts. */
static char *decimal_before(unsigned long long n, char *end) {
    do {
        *--end = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    return end;
}

static void put_piece_n(struct question *q, const char *s, size_t n) {
    char buf[24];
    buf[sizeof buf - 1] = ':';
    char *p = decimal_before(n, buf + sizeof buf - 1);
    put_bytes(q, p, (size_t)(buf + sizeof buf - p));
    put_bytes(q, s, n);
}

static void put_piece(struct question *q, const char *s) {
    put_piece_n(q, s, strlen(s));
}

static int arg_cmp(const struct question_arg *a, const struct question_arg *b) {
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->value, b->value);
}

/* Insertion sort: a query has a handful of arguments, and this keeps equal ones in a
 * defined order without qsort's indirection. */
static void sort_args(struct question_arg *args, int n) {
    for (int i = 1; i < n; i++) {
        struct question_arg t = args[i];
        int j = i;
        for (; j > 0 && arg_cmp(&args[j - 1], &t) > 0; j--)
            args[j] = args[j - 1];
        args[j] = t;
    }
}

void question_make(struct question *q, const char *path, struct question_arg *args, int n, bool csv,
                   bool small_counts_visible, int month) {
    q->hash = FNV_OFFSET;
    q->len = 0;
    q->text[0] = '\0';
    q->complete = true;
    for (int i = 0; i < n; i++)
        if (!args[i].value)
            args[i].value = "";
    sort_args(args, n);
    char month_buf[16];
    char *month_text =
        decimal_before(month < 0 ? 0ULL - (unsigned long long)month : (unsigned long long)month,
                       month_buf + sizeof month_buf);
    if (month < 0) /* before 1970 */
        *--month_text = '-';
    put_piece(q, path);
    put_piece(q, csv ? "csv" : "json");
    put_piece(q, small_counts_visible ? "key" : "open");
    put_piece_n(q, month_text, (size_t)(month_buf + sizeof month_buf - month_text));
    for (int i = 0; i < n; i++) {
        put_piece(q, args[i].name);
        put_piece(q, args[i].value);
    }
}

/* By hand, not snprintf: it runs twice on every cached read (the If-None-Match check
 * and the header). */
void question_etag(const struct question *q, uint64_t version, char out[QUESTION_ETAG_SIZE]) {
    static const char hex[] = "0123456789abcdef";
    char digits[24];
    char *v = decimal_before((unsigned long long)version, digits + sizeof digits);
    size_t vlen = (size_t)(digits + sizeof digits - v);
    char *o = out;
    *o++ = '"';
    *o++ = 'v';
    memcpy(o, v, vlen);
    o += vlen;
    *o++ = '-';
    for (int shift = 60; shift >= 0; shift -= 4)
        *o++ = hex[(q->hash >> shift) & 0xf];
    *o++ = '"';
    *o = '\0';
}
