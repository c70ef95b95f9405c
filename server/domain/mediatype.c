/* Media types by the grammar of RFC 9110: tokens of tchar, parameters name=value with
 * the value a token or a quoted string, optional whitespace (SP, HTAB) around ';' and
 * ','. Nothing is matched by prefix. */
#include "mediatype.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_tchar(char c);
static const char *skip_ows(const char *s);
static const char *token(const char *s, size_t *len);
static const char *one_type(const char *s, struct mediatype *out, double *q);
static bool parse_q(const char *v, size_t n, double *q);
static bool span_is(const char *s, size_t n, const char *want, size_t want_n);

static bool is_tchar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ows(const char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static const char *token(const char *s, size_t *len) {
    const char *e = s;
    while (is_tchar(*e))
        e++;
    *len = (size_t)(e - s);
    return e;
}

/* The q of Accept: 0, 1, or 0.ddd / 1.000 (section 12.4.2). */
static bool parse_q(const char *v, size_t n, double *q) {
    if (n == 0 || n > 5 || (v[0] != '0' && v[0] != '1'))
        return false;
    if (n > 1 && v[1] != '.')
        return false;
    for (size_t i = 2; i < n; i++)
        if (v[i] < '0' || v[i] > '9' || (v[0] == '1' && v[i] != '0'))
            return false;
    *q = strtod(v, NULL);
    return true;
}

/* One media type (or range) and its parameters, up to ',' or the end; returns the byte
 * after it, or NULL when it does not parse. */
static const char *one_type(const char *s, struct mediatype *out, double *q) {
    memset(out, 0, sizeof *out);
    *q = 1;
    s = skip_ows(s);
    out->type = s;
    s = token(s, &out->type_len);
    if (!out->type_len || *s != '/')
        return NULL;
    out->subtype = ++s;
    s = token(s, &out->subtype_len);
    if (!out->subtype_len)
        return NULL;
    for (;;) {
        s = skip_ows(s);
        if (*s != ';')
            return s;
        s = skip_ows(s + 1);
        if (*s == ';' || *s == ',' || !*s) /* an empty parameter is allowed */
            continue;
        size_t name_len, value_len;
        const char *name = s;
        s = token(s, &name_len);
        if (!name_len || *s != '=')
            return NULL;
        const char *value = ++s;
        char unq[MEDIATYPE_PARAM_SIZE];
        size_t un = 0;
        bool fits = true;
        if (*s == '"') {
            for (s++; *s != '"'; s++) {
                if (!*s || *s == '\r' || *s == '\n')
                    return NULL;
                if (*s == '\\' && !*++s)
                    return NULL;
                if (un + 1 < sizeof unq)
                    unq[un++] = *s;
                else
                    fits = false;
            }
            s++;
        } else {
            s = token(s, &value_len);
            if (!value_len)
                return NULL;
            fits = value_len < sizeof unq;
            un = fits ? value_len : 0;
            memcpy(unq, value, un);
        }
        unq[un] = '\0';
        if (span_is(name, name_len, "charset", 7)) {
            out->has_charset = true;
            for (size_t i = 0; fits && i <= un; i++)
                out->charset[i] = (char)(unq[i] >= 'A' && unq[i] <= 'Z' ? unq[i] + 32 : unq[i]);
            if (!fits) /* too long to be a charset we know: keep it unmatched */
                memcpy(out->charset, "?", 2);
        } else if (span_is(name, name_len, "q", 1)) {
            if (!parse_q(unq, un, q))
                return NULL;
        }
    }
}

static bool span_is(const char *s, size_t n, const char *want, size_t want_n) {
    return n == want_n && strncasecmp(s, want, n) == 0;
}

bool mediatype_parse(const char *text, struct mediatype *out) {
    if (!text)
        return false;
    double q;
    struct mediatype m;
    const char *end = one_type(text, &m, &q);
    if (!end || *skip_ows(end))
        return false;
    *out = m;
    return true;
}

bool mediatype_is(const struct mediatype *m, const char *want) {
    const char *slash = strchr(want, '/');
    if (!slash)
        return false;
    return span_is(m->type, m->type_len, want, (size_t)(slash - want)) &&
           span_is(m->subtype, m->subtype_len, slash + 1, strlen(slash + 1));
}

bool mediatype_matches(const char *text, const char *want) {
    struct mediatype m;
    return mediatype_parse(text, &m) && mediatype_is(&m, want);
}

double mediatype_accept_weight(const char *accept, const char *want) {
    if (!accept || !*skip_ows(accept))
        return 1;
    const char *slash = strchr(want, '/');
    size_t want_type = slash ? (size_t)(slash - want) : strlen(want);
    int best = -1; /* 0: any/any, 1: type/any, 2: exact */
    double weight = 0;
    const char *s = accept;
    while (*s) {
        struct mediatype m;
        double q;
        const char *end = one_type(s, &m, &q);
        if (end && (*end == ',' || !*end)) {
            int level = -1;
            if (mediatype_is(&m, want))
                level = 2;
            else if (span_is(m.subtype, m.subtype_len, "*", 1) &&
                     span_is(m.type, m.type_len, want, want_type))
                level = 1;
            else if (span_is(m.type, m.type_len, "*", 1) &&
                     span_is(m.subtype, m.subtype_len, "*", 1))
                level = 0;
            if (level > best) {
                best = level;
                weight = q;
            }
        } else {
            end = strchr(s, ','); /* skip the element that does not parse */
            if (!end)
                break;
        }
        s = *end ? end + 1 : end;
    }
    return best < 0 ? 0 : weight;
}
