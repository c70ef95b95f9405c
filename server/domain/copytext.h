/* PostgreSQL COPY text format: fields separated by tabs, rows by newlines, with
 * backslash escapes, NULL as \N. Used to stream a batch into a staging table. */
#ifndef COPYTEXT_H
#define COPYTEXT_H

#include <stdbool.h>

#include "strbuf.h"

/* Appends one field (NULL writes \N), preceded by a tab unless first. */
bool copy_put_field(struct strbuf *b, const char *s, bool first);
bool copy_end_row(struct strbuf *b);

#endif
