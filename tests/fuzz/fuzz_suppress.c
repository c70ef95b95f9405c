/* Fuzzes complementary suppression on tables built from the input: two dimensions of up
 * to 4 categories, values from the bytes, margins as the sums, some margins left out.
 * After suppression no reported hidden cell may be the one unknown of a relation, even
 * after chained subtraction, and every small count stays hidden. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/suppress.h"

static void check(int ok) {
    if (!ok)
        abort();
}

#define THRESHOLD 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 3)
        return 0;
    int ra = 1 + data[0] % 4, rb = 1 + data[1] % 4;
    unsigned drop = data[2];
    data += 3, size -= 3;
    struct suppress_cell full[25], given[25];
    int map[25], n = 0, ng = 0;
    double v[4][4];
    for (int a = 0; a < ra; a++)
        for (int b = 0; b < rb; b++)
            v[a][b] = size ? (double)(data[(a * 4 + b) % size] % 24) : 0;
    for (int a = -1; a < ra; a++)
        for (int b = -1; b < rb; b++) {
            struct suppress_cell x = {.value = 0};
            for (int e = 0; e < SUPPRESS_MAX_DIMS; e++)
                x.cat[e] = SUPPRESS_ALL;
            x.cat[0] = a, x.cat[1] = b;
            for (int i = 0; i < ra; i++)
                for (int j = 0; j < rb; j++)
                    if ((a < 0 || a == i) && (b < 0 || b == j))
                        x.value += v[i][j];
            bool margin = a < 0 || b < 0;
            map[n] = margin && (drop >> (n % 8) & 1) ? -1 : ng;
            if (map[n] >= 0)
                given[ng++] = x;
            full[n++] = x;
        }
    suppress_primary(given, ng, THRESHOLD);
    suppress_complement(given, ng, 2, THRESHOLD);
    bool known[25];
    for (int i = 0; i < n; i++) {
        known[i] = map[i] >= 0 && !given[map[i]].hidden;
        if (map[i] >= 0 && full[i].value >= 1 && full[i].value <= THRESHOLD)
            check(given[map[i]].hidden);
    }
    for (bool more = true; more;) {
        more = false;
        for (int p = 0; p < n; p++)
            for (int d = 0; d < 2; d++) {
                if (full[p].cat[d] != SUPPRESS_ALL)
                    continue;
                int unknown = known[p] ? -1 : p, nunknown = !known[p], kids = 0;
                for (int i = 0; i < n; i++) {
                    if (full[i].cat[d] == SUPPRESS_ALL || full[i].cat[1 - d] != full[p].cat[1 - d])
                        continue;
                    kids++;
                    if (!known[i])
                        nunknown++, unknown = i;
                }
                if (kids && nunknown == 1) {
                    known[unknown] = true;
                    more = true;
                }
            }
    }
    for (int i = 0; i < n; i++)
        if (map[i] >= 0 && given[map[i]].hidden && full[i].value != 0)
            check(!known[i]);
    return 0;
}
