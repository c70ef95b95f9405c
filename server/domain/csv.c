/* CSV writing. Quoting follows RFC 4180; cells that a spreadsheet would run as a formula
 * are prefixed with a quote mark (OWASP CSV injection advice), numbers excepted. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

static bool looks_numeric(const char *s);

/* Decimal digits, point, exponent and signs only: strtod also reads "-inf", "-nan" and
 * hex, which a spreadsheet would evaluate as a formula. */
static bool looks_numeric(const char *s) {
    char *end;
    if (!*s || s[strspn(s, "0123456789.eE+-")] != '\0')
        return false;
    strtod(s, &end);
    return *end == '\0';
}

bool csv_put_field(struct strbuf *b, const char *s, bool first) {
    if (!s)
        s = "";
    bool formula = (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') && !looks_numeric(s);
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (!first && !strbuf_putc(b, ','))
        return false;
    if (!quote)
        return strbuf_puts(b, s);
    strbuf_putc(b, '"');
    if (formula)
        strbuf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            strbuf_putc(b, '"');
        strbuf_putc(b, *p);
    }
    return strbuf_putc(b, '"');
}

bool csv_put_text(struct strbuf *b, const char *s, bool first) {
    if (s && !*s)
        return (first || strbuf_putc(b, ',')) && strbuf_puts(b, "\"\"");
    return csv_put_field(b, s, first);
}

bool csv_end_record(struct strbuf *b) {
    return strbuf_append(b, "\r\n", 2);
}
