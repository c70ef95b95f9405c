/* Breakdown keys. Pure string work, so the same key is made by the ingest path, the
 * read filters and the tests. */
#include "breakdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sorted_order(const struct breakdown *b, int *order);
static int joined(const struct breakdown *b, bool with_categories, char *out, size_t size);

bool breakdown_add(struct breakdown *b, const char *dim, const char *cat) {
    if (b->n >= BREAKDOWN_MAX_DIMS || !dim[0] || strlen(dim) >= sizeof b->dim[0] ||
        strlen(cat) >= sizeof b->cat[0])
        return false;
    for (int i = 0; i < b->n; i++)
        if (strcmp(b->dim[i], dim) == 0)
            return false;
    strcpy(b->dim[b->n], dim);
    strcpy(b->cat[b->n], cat);
    b->n++;
    return true;
}

static void sorted_order(const struct breakdown *b, int *order) {
    for (int i = 0; i < b->n; i++)
        order[i] = i;
    for (int i = 1; i < b->n; i++) /* insertion sort: at most 8 entries */
        for (int k = i; k > 0 && strcmp(b->dim[order[k - 1]], b->dim[order[k]]) > 0; k--) {
            int t = order[k];
            order[k] = order[k - 1];
            order[k - 1] = t;
        }
}

/* The dimensions in code order, each "dim=cat" (with_categories) or "dim", joined by
 * ';': the one serialisation behind the key and the dimension list. */
static int joined(const struct breakdown *b, bool with_categories, char *out, size_t size) {
    int order[BREAKDOWN_MAX_DIMS];
    sorted_order(b, order);
    size_t used = 0;
    if (size)
        out[0] = '\0';
    for (int i = 0; i < b->n; i++) {
        int w = snprintf(out + used, size - used, "%s%s%s%s", i ? ";" : "", b->dim[order[i]],
                         with_categories ? "=" : "", with_categories ? b->cat[order[i]] : "");
        if (w < 0 || (size_t)w >= size - used)
            return -1;
        used += (size_t)w;
    }
    return (int)used;
}

int breakdown_key(const struct breakdown *b, char *out, size_t size) {
    return joined(b, true, out, size);
}

int breakdown_dims(const struct breakdown *b, char *out, size_t size) {
    return joined(b, false, out, size);
}

bool breakdown_parse_filter(const char *text, struct breakdown *b, bool *dims_only) {
    memset(b, 0, sizeof *b);
    int with_value = 0, without = 0;
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, ";,");
        char item[96];
        if (n == 0 || n >= sizeof item)
            return false;
        memcpy(item, p, n);
        item[n] = '\0';
        char *sep = strpbrk(item, "=:");
        if (sep) {
            *sep = '\0';
            if (!sep[1])
                return false;
            with_value++;
        } else {
            without++;
        }
        if (!breakdown_add(b, item, sep ? sep + 1 : ""))
            return false;
        p += n;
        if (*p)
            p++;
    }
    if (b->n == 0 || (with_value && without))
        return false;
    *dims_only = without > 0;
    return true;
}
