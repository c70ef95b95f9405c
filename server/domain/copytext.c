/* COPY text escaping (PostgreSQL docs, "COPY: Text Format"): backslash, tab, newline
 * and carriage return are the characters that must be escaped. */
#include "copytext.h"

#include <string.h>

bool copy_put_field(struct strbuf *b, const char *s, bool first) {
    if (!first && !strbuf_putc(b, '\t'))
        return false;
    if (!s)
        return strbuf_append(b, "\\N", 2);
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *esc = *p == '\\'   ? "\\\\"
                          : *p == '\t' ? "\\t"
                          : *p == '\n' ? "\\n"
                          : *p == '\r' ? "\\r"
                                       : NULL;
        if (!esc)
            continue;
        strbuf_append(b, run, (size_t)(p - run));
        strbuf_append(b, esc, 2);
        run = p + 1;
    }
    return strbuf_puts(b, run);
}

bool copy_end_row(struct strbuf *b) {
    return strbuf_putc(b, '\n');
}
