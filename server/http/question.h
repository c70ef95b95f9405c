/* Which question a read asks: the one definition behind both the ETag (daemon.c) and
 * the response cache's key (cache.c), so an input that changes an answer cannot be
 * added to one and forgotten in the other. The inputs are plain values, so this file
 * needs nothing of libmicrohttpd and nothing else of ours.
 *
 * The canonical text is a sequence of pieces, each its length in decimal, a colon and
 * its bytes (so no two sequences of pieces give the same text): the path, "csv" or
 * "json", "key" or "open" (whether small counts may be shown), the month index, then
 * every query argument's name and value, sorted by name then value (the same question
 * asked in another order is one question). The route is not a piece: the router
 * always leads one GET path to the same route. The hash is 64-bit FNV-1a over the whole
 * text. */
#ifndef HTTP_QUESTION_H
#define HTTP_QUESTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUESTION_TEXT_MAX 2048
#define QUESTION_ETAG_SIZE 64

struct question_arg {
    const char *name;
    const char *value; /* NULL is taken as "" (a bare ?name) */
};

struct question {
    uint64_t hash; /* over the whole canonical text, even when it is longer than text */
    size_t len;    /* bytes in text */
    bool complete; /* the whole canonical text fits in text: only then may it key a cache */
    char text[QUESTION_TEXT_MAX];
};

/* Names the question. args (n of them) are sorted in place. small_counts_visible: the
 * caller holds a read or admin key, so counts under the disclosure threshold show. */
void question_make(struct question *q, const char *path, struct question_arg *args, int n, bool csv,
                   bool small_counts_visible, int month);
/* The ETag of the answer to q at data version: "v<version>-<16 hex digits of hash>". */
void question_etag(const struct question *q, uint64_t version, char out[QUESTION_ETAG_SIZE]);

#endif
