/* Decimal text to JSON: a figure stored as 12.50 reads back as 12.5, and a count as
 * an integer, so answers do not carry the column's scale. */
#include "numeric.h"

#include <stdlib.h>
#include <string.h>

json_t *numeric_json(const char *text) {
    if (!text || !*text)
        return json_null();
    char buf[64];
    size_t n = strlen(text);
    if (n >= sizeof buf)
        return json_real(strtod(text, NULL));
    memcpy(buf, text, n + 1);
    if (strchr(buf, '.') && !strpbrk(buf, "eE")) {
        while (n && buf[n - 1] == '0')
            buf[--n] = '\0';
        if (n && buf[n - 1] == '.')
            buf[--n] = '\0';
    }
    if (!strpbrk(buf, ".eE") && n < 18)
        return json_integer(strtoll(buf, NULL, 10));
    return json_real(strtod(buf, NULL));
}
