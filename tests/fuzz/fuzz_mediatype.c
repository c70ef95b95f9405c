/* Fuzzes the media type reader and Accept weights: a parsed type has non-empty token
 * parts inside the text, matches itself, and a match needs the exact type; every weight
 * lies within 0..1. The input is "content-type\nwant-type\naccept". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/mediatype.h"

static void check(int ok) {
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *want = strchr(text, '\n');
    char *accept = NULL;
    if (want) {
        *want++ = '\0';
        accept = strchr(want, '\n');
        if (accept)
            *accept++ = '\0';
    }
    struct mediatype m;
    if (mediatype_parse(text, &m)) {
        check(m.type_len > 0 && m.subtype_len > 0);
        check(m.type >= text && m.subtype + m.subtype_len <= text + strlen(text));
        check(m.type[m.type_len] == '/');
        check(strlen(m.charset) < MEDIATYPE_PARAM_SIZE);
        check(m.has_charset || m.charset[0] == '\0');
        char self[256];
        if (m.type_len + m.subtype_len + 2 <= sizeof self) {
            memcpy(self, m.type, m.type_len);
            self[m.type_len] = '/';
            memcpy(self + m.type_len + 1, m.subtype, m.subtype_len);
            self[m.type_len + 1 + m.subtype_len] = '\0';
            check(mediatype_is(&m, self));
            check(mediatype_matches(text, self));
        }
    }
    if (want) {
        if (mediatype_matches(text, want)) {
            const char *slash = strchr(want, '/');
            check(slash && mediatype_parse(text, &m) && m.type_len == (size_t)(slash - want) &&
                  strncasecmp(m.type, want, m.type_len) == 0);
        }
        double w = mediatype_accept_weight(accept ? accept : text, want);
        check(w >= 0 && w <= 1);
    }
    free(text);
    return 0;
}
