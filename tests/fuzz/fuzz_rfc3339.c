/* Fuzzes rfc3339_parse: whatever it accepts is a date-time of the grammar (length, the
 * separators in place), its instant written back in UTC parses to the same instant (to
 * the microsecond), and a text that parses with 'Z' parses the same with "+00:00". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rfc3339.h"

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
    struct timespec t;
    if (rfc3339_parse(text, &t)) {
        size_t n = strlen(text);
        check(n >= 20 && n <= RFC3339_MAX_LEN && text[4] == '-' && text[7] == '-' &&
              text[13] == ':' && text[16] == ':');
        check(t.tv_nsec >= 0 && t.tv_nsec <= 999999999);
        char buf[RFC3339_FORMAT_SIZE];
        int len = rfc3339_format_utc(&t, buf, sizeof buf);
        if (len > 0) { /* an offset can carry year 0000 or 9999 out of the writable range */
            struct timespec back;
            check(rfc3339_parse(buf, &back));
            check(back.tv_sec == t.tv_sec && back.tv_nsec == t.tv_nsec / 1000 * 1000);
            check((size_t)len == strlen(buf) && buf[len - 1] == 'Z');
        }
        /* (within the length cap: "+00:00" is five characters longer) */
        if ((text[n - 1] == 'Z' || text[n - 1] == 'z') && n + 5 <= RFC3339_MAX_LEN) {
            char *plus = malloc(n + 6);
            if (plus) {
                memcpy(plus, text, n - 1);
                memcpy(plus + n - 1, "+00:00", 7);
                struct timespec same;
                check(rfc3339_parse(plus, &same) && same.tv_sec == t.tv_sec &&
                      same.tv_nsec == t.tv_nsec);
                free(plus);
            }
        }
    }
    free(text);
    return 0;
}
