/* The geography's arrays. One text block holds every string, so a geo is three frees
 * whatever its size. */
#include "geo.h"

#include <stdlib.h>
#include <string.h>

bool geo_alloc(struct geo *g, int n, int nedges, size_t textlen) {
    memset(g, 0, sizeof *g);
    size_t cap = (size_t)(n > 0 ? n : 1);
    g->code = calloc(cap, sizeof *g->code);
    g->name = calloc(cap, sizeof *g->name);
    g->type = calloc(cap, sizeof *g->type);
    g->kind = calloc(cap, sizeof *g->kind);
    g->edges = calloc((size_t)(nedges > 0 ? nedges : 1), sizeof *g->edges);
    g->text = malloc(textlen ? textlen : 1);
    if (!g->code || !g->name || !g->type || !g->kind || !g->edges || !g->text) {
        geo_free(g);
        return false;
    }
    g->n = n;
    return true;
}

static const char *copy_text(struct geo *g, const char *s, size_t *at) {
    size_t len = strlen(s) + 1;
    char *out = g->text + *at;
    memcpy(out, s, len);
    *at += len;
    return out;
}

void geo_set_area(struct geo *g, int i, const char *code, const char *name, const char *type,
                  size_t *at) {
    g->code[i] = copy_text(g, code, at);
    g->name[i] = copy_text(g, name, at);
    g->type[i] = copy_text(g, type, at);
    g->kind[i] = strcmp(type, "region") == 0               ? DERIVE_AREA_REGION
                 : strcmp(type, "combined_authority") == 0 ? DERIVE_AREA_COMBINED
                 : strcmp(type, "country") == 0            ? DERIVE_AREA_COUNTRY
                                                           : DERIVE_AREA_OTHER;
}

enum derive_role geo_role(const char *role) {
    return strcmp(role, "contains") == 0      ? DERIVE_CONTAINS
           : strcmp(role, "constituent") == 0 ? DERIVE_CONSTITUENT
                                              : DERIVE_OTHER;
}

void geo_free(struct geo *g) {
    free(g->code);
    free(g->name);
    free(g->type);
    free(g->kind);
    free(g->edges);
    free(g->text);
    memset(g, 0, sizeof *g);
}

int geo_find(const struct geo *g, const char *code) {
    int lo = 0, hi = g->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(g->code[mid], code);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

struct derive_geo geo_derive(const struct geo *g) {
    return (struct derive_geo){g->n, g->kind, g->edges, g->nedges};
}

void geo_mark_tree(const struct geo *g, int area, bool *marked) {
    marked[area] = true;
    for (bool grew = true; grew;) {
        grew = false;
        for (int k = 0; k < g->nedges; k++) {
            const struct derive_edge *e = &g->edges[k];
            if (e->role != DERIVE_OTHER && marked[e->parent] && !marked[e->child])
                marked[e->child] = grew = true;
        }
    }
}

const char *const geo_area_types[] = {"country",
                                      "region",
                                      "combined_authority",
                                      "county",
                                      "unitary",
                                      "metropolitan_district",
                                      "non_metropolitan_district",
                                      NULL};
