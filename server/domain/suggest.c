/* Suggestions for unknown codes. A partner's typo is usually one key: a digit dropped
 * from an ONS code (E0800025), two letters swapped (thrive.ips_refferals), so the optimal
 * string alignment distance (Levenshtein plus adjacent swaps) ranks the candidates. */
#include "suggest.h"

#include <string.h>

#define SUGGEST_LEN 96 /* longer words are not codes: no suggestion */

static int fold(int c);
static int min3(int a, int b, int c);
static int limit_for(size_t len);

static int fold(int c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int min3(int a, int b, int c) {
    int m = a < b ? a : b;
    return m < c ? m : c;
}

static int limit_for(size_t len) {
    return len >= 12 ? 3 : 2;
}

int suggest_distance(const char *a, const char *b, int limit) {
    size_t la = strlen(a), lb = strlen(b);
    if (la >= SUGGEST_LEN || lb >= SUGGEST_LEN)
        return limit + 1;
    if ((la > lb ? la - lb : lb - la) > (size_t)limit)
        return limit + 1;
    /* Three rows of the dynamic-programming table: the swap looks two rows back. */
    int rows[3][SUGGEST_LEN + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int cost = fold((unsigned char)a[i - 1]) != fold((unsigned char)b[j - 1]);
            int d = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && fold((unsigned char)a[i - 1]) == fold((unsigned char)b[j - 2]) &&
                fold((unsigned char)a[i - 2]) == fold((unsigned char)b[j - 1]) &&
                prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
            if (d < row_min)
                row_min = d;
        }
        if (row_min > limit) /* every later row is at least this far */
            return limit + 1;
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] > limit ? limit + 1 : prev[lb];
}

int suggest_nearest(const char *word, const char *first, int n, size_t stride, int max,
                    const char **out) {
    if (!word || !*word || !first || n <= 0 || max <= 0)
        return 0;
    if (max > SUGGEST_MAX)
        max = SUGGEST_MAX;
    int limit = limit_for(strlen(word));
    int dist[SUGGEST_MAX];
    int found = 0;
    for (int i = 0; i < n; i++) {
        const char *code = first + (size_t)i * stride;
        /* Past the worst kept so far, a candidate cannot enter the list. */
        int bound = found == max ? dist[found - 1] - 1 : limit;
        if (bound < 0)
            break;
        int d = suggest_distance(word, code, bound);
        if (d > bound)
            continue;
        /* Insert in order of distance, after equals so catalogue order breaks ties. */
        int at = found < max ? found : max - 1;
        while (at > 0 && dist[at - 1] > d) {
            if (at < max) {
                dist[at] = dist[at - 1];
                out[at] = out[at - 1];
            }
            at--;
        }
        dist[at] = d;
        out[at] = code;
        if (found < max)
            found++;
    }
    /* A code clearly nearer than the rest is the one meant: only the nearest are named. */
    int nearest = found;
    while (nearest > 1 && dist[nearest - 1] > dist[0])
        nearest--;
    return nearest;
}
