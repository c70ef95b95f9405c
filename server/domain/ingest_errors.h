/* The errors found while reading one submitted row (JSON object or CSV record), before
 * the catalogue checks: a list that grows as needed and is reused from row to row. */
#ifndef INGEST_ERRORS_H
#define INGEST_ERRORS_H

#include "ingest.h"

struct ingest_errors {
    struct ingest_error *items; /* field and code are borrowed: static text, or text that
                                   lives as long as the row or header it names */
    int n, cap;
    long lost; /* errors dropped because memory ran out (still errors: the row is bad) */
};

void ingest_errors_add(struct ingest_errors *l, const char *field, const char *code,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Forgets the errors and keeps the memory, for the next row. */
void ingest_errors_clear(struct ingest_errors *l);
void ingest_errors_free(struct ingest_errors *l);

#endif
