/* Row error lists. A row has few errors, but a JSON object may hold any number of
 * unknown fields and every one is reported, so the list grows rather than truncating. */
#include "ingest_errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void ingest_errors_add(struct ingest_errors *l, const char *field, const char *code,
                       const char *fmt, ...) {
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        struct ingest_error *items = realloc(l->items, (size_t)cap * sizeof *items);
        if (!items) {
            l->lost++;
            return;
        }
        l->items = items;
        l->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    ingest_error_vset(&l->items[l->n++], field, code, fmt, ap);
    va_end(ap);
}

void ingest_errors_clear(struct ingest_errors *l) {
    l->n = 0;
    l->lost = 0;
}

void ingest_errors_free(struct ingest_errors *l) {
    free(l->items);
    *l = (struct ingest_errors){0};
}
