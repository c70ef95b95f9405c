/* Fuzzes value_parse and value_check: an accepted value is finite, its canonical text
 * parses back to the same value and text, and each check answers a known code. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"

static void check(int ok) {
    if (!ok)
        abort();
}

static int known_code(const char *code) {
    static const char *const codes[] = {"negative_count", "fractional_count", "out_of_range",
                                        "negative_value"};
    for (int i = 0; i < 4; i++)
        if (strcmp(code, codes[i]) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    enum value_unit unit;
    if (value_unit_parse(text, &unit))
        check(unit >= UNIT_COUNT && unit <= UNIT_RATE_PER_1000);

    double v;
    char canon[VALUE_CANON_SIZE];
    if (value_parse(text, &v, canon, sizeof canon)) {
        check(isfinite(v));
        check(strpbrk(canon, "+ \t") == NULL || strstr(canon, "e+") != NULL);
        check(canon[0] != '+' && canon[0] != ' ');
        double again;
        char canon2[VALUE_CANON_SIZE];
        check(value_parse(canon, &again, canon2, sizeof canon2));
        check(again == v && strcmp(canon, canon2) == 0);
        check(strtod(canon, NULL) == v);
        const char *t = text + strspn(text, " \t");
        t += *t == '+';
        check(strtod(t, NULL) == v);
        for (int u = UNIT_COUNT; u <= UNIT_RATE_PER_1000; u++) {
            char msg[160];
            const char *code = value_check((enum value_unit)u, v, msg, sizeof msg);
            if (code)
                check(known_code(code) && msg[0] != '\0');
            else
                check(msg[0] == '\0');
        }
        if (value_check(UNIT_COUNT, v, NULL, 0) == NULL)
            check(v >= 0 && v == floor(v));
        if (value_check(UNIT_PERCENT, v, NULL, 0) == NULL)
            check(v >= 0 && v <= 100);
    }
    /* Plain whole numbers of up to 15 digits are exact: always accepted, canon as sent. */
    size_t digits = strspn(text, "0123456789");
    if (size >= 1 && size <= 15 && digits == size && (text[0] != '0' || size == 1)) {
        check(value_parse(text, &v, canon, sizeof canon));
        check(strcmp(canon, text) == 0);
    }
    free(text);
    return 0;
}
