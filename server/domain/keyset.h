/* A set of cell keys seen in one batch, to refuse the same cell twice. */
#ifndef KEYSET_H
#define KEYSET_H

#include <stdbool.h>
#include <stddef.h>

struct keyset;

struct keyset *keyset_new(size_t expected);
void keyset_free(struct keyset *s);
/* Adds key with its row reference; returns -1 when new, or the reference of the row
 * that added it first. -2 when memory ran out. */
long keyset_add(struct keyset *s, const char *key, size_t len, long ref);

#endif
