/* Fuzzes utf8_valid against a reference written separately here, which decodes each
 * code point in full and then judges it (shortest form, not a surrogate, at most
 * U+10FFFF): both must agree on validity and on the offset, line and column of the
 * first bad byte. utf8_prefix_len must keep a valid text valid. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/utf8.h"

static void check(int ok) {
    if (!ok)
        abort();
}

/* Offset of the first byte that does not start a character, or n. */
static size_t ref_first_bad(const uint8_t *d, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = d[i];
        size_t len = c < 0x80           ? 1
                     : (c >> 5) == 0x6  ? 2
                     : (c >> 4) == 0xE  ? 3
                     : (c >> 3) == 0x1E ? 4
                                        : 0;
        if (len == 0 || i + len > n)
            return i;
        uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (size_t k = 1; k < len; k++) {
            if ((d[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (d[i + k] & 0x3F);
        }
        static const uint32_t min_of_len[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_of_len[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return i;
        i += len;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    struct utf8_fault f;
    size_t bad = ref_first_bad(data, size);
    int ok = utf8_valid(text, size, &f);
    check(ok == (bad == size));
    if (!ok) {
        check(f.offset == bad);
        check(f.byte == data[bad]);
        long line = 1;
        size_t start = 0;
        for (size_t i = 0; i < bad; i++)
            if (data[i] == '\n')
                line++, start = i + 1;
        if (start == 0 && size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
            start = 3;
        check(f.line == line);
        check(f.column == (long)(bad - start) + 1);
    }
    if (ok && size > 0 && !memchr(data, 0, size)) {
        char *s = malloc(size + 1);
        if (!s)
            return 0;
        memcpy(s, data, size);
        s[size] = '\0';
        size_t max = data[0] % (size + 1);
        int n = utf8_prefix_len(s, max);
        check(n >= 0 && (size_t)n <= max && (size_t)n + 3 >= max);
        check(utf8_valid(s, (size_t)n, NULL));
        free(s);
    }
    return 0;
}
