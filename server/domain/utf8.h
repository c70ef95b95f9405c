/* UTF-8 validity (RFC 3629) for text that arrives as raw bytes, such as a CSV body, so
 * a bad byte is refused with its position instead of failing later in PostgreSQL. */
#ifndef UTF8_H
#define UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Where the first bad byte sits: its offset in the data, its line (counting LF, from 1)
 * and its byte column (from 1; a byte-order mark at the start is not counted, as the
 * CSV reader counts). */
struct utf8_fault {
    size_t offset;
    long line, column;
    unsigned char byte;
};

/* True when data[0..len) is well-formed UTF-8: no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF, no sequence cut short. Otherwise false, and
 * fault (when not NULL) names the first byte of the first sequence that is not a
 * character. */
bool utf8_valid(const char *data, size_t len, struct utf8_fault *fault);
/* The length of the longest prefix of s, at most max bytes, that does not cut a
 * character of valid UTF-8 in two; for quoting names in messages with "%.*s". */
int utf8_prefix_len(const char *s, size_t max);

#endif
