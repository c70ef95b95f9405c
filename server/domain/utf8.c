/* UTF-8 checks. The valid sequences are the table in RFC 3629 section 4; runs of ASCII,
 * the common case in submissions, are skipped eight bytes at a time. */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

static size_t sequence_len(const unsigned char *s, size_t left);
static void locate(const char *data, size_t offset, struct utf8_fault *fault);

/* Bytes of the character at s, or 0 when no valid character starts there. */
static size_t sequence_len(const unsigned char *s, size_t left) {
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    /* Second-byte bounds exclude overlongs (E0, F0), surrogates (ED) and code points
     * above U+10FFFF (F4); C0, C1 and F5..FF never start a character. */
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (left < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static void locate(const char *data, size_t offset, struct utf8_fault *fault) {
    size_t start = offset;
    while (start > 0 && data[start - 1] != '\n')
        start--;
    long line = 1;
    for (size_t i = 0; i < start; i++)
        line += data[i] == '\n';
    if (start == 0 && offset >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        start = 3;
    fault->offset = offset;
    fault->line = line;
    fault->column = (long)(offset - start) + 1;
    fault->byte = (unsigned char)data[offset];
}

bool utf8_valid(const char *data, size_t len, struct utf8_fault *fault) {
    const unsigned char *s = (const unsigned char *)data;
    size_t i = 0;
    while (i < len) {
        if (len - i >= 8) {
            uint64_t word;
            memcpy(&word, s + i, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        size_t n = sequence_len(s + i, len - i);
        if (n == 0) {
            if (fault)
                locate(data, i, fault);
            return false;
        }
        i += n;
    }
    return true;
}

int utf8_prefix_len(const char *s, size_t max) {
    size_t n = strnlen(s, max + 1);
    if (n <= max)
        return (int)n;
    n = max;
    /* Step back over continuation bytes to the start of the character that is cut. */
    for (int back = 0; back < 4 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; back++)
        n--;
    return (int)n;
}
