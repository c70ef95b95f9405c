/* Derived totals over the membership graph. Graphs are small (tens of areas), so plain
 * scans over the edge list are clearer than an index and fast enough. */
#include "derive.h"

#include <stdlib.h>
#include <string.h>

enum walk { WALK_NONE, WALK_PARTIAL, WALK_FULL };

static bool holds(const struct derive_edge *e, int month);
static bool listed(const int *list, int n, int area);
static bool contained_in(const struct derive_geo *g, int month, int area, int ancestor);
static enum walk walk(const struct derive_geo *g, int month, int area, int depth,
                      derive_lookup_fn own, void *ctx, struct derive_result *out);

static bool holds(const struct derive_edge *e, int month) {
    return e->from <= month && month < e->to;
}

static bool listed(const int *list, int n, int area) {
    for (int i = 0; i < n; i++)
        if (list[i] == area)
            return true;
    return false;
}

/* Whether ancestor 'contains' area, directly or through areas between. */
static bool contained_in(const struct derive_geo *g, int month, int area, int ancestor) {
    int frontier[2][64], n = 1, depth = 0;
    frontier[0][0] = area;
    while (n && depth < DERIVE_MAX_DEPTH) {
        int next = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < g->nedges; k++) {
                const struct derive_edge *e = &g->edges[k];
                if (e->child != frontier[depth % 2][i] || e->role != DERIVE_CONTAINS ||
                    !holds(e, month))
                    continue;
                if (e->parent == ancestor)
                    return true;
                if (next < 64)
                    frontier[(depth + 1) % 2][next++] = e->parent;
            }
        n = next;
        depth++;
    }
    return false;
}

int derive_members(const struct derive_geo *g, int month, int area, int *out) {
    if (g->kind[area] == DERIVE_AREA_COUNTRY)
        return 0;
    enum derive_role role =
        g->kind[area] == DERIVE_AREA_COMBINED ? DERIVE_CONSTITUENT : DERIVE_CONTAINS;
    int n = 0;
    for (int k = 0; k < g->nedges; k++) {
        const struct derive_edge *e = &g->edges[k];
        if (e->parent != area || e->role != role || !holds(e, month) || e->child == area)
            continue;
        bool seen = false;
        for (int i = 0; i < n && !seen; i++)
            seen = out[i] == e->child;
        if (!seen && n < g->nareas)
            out[n++] = e->child;
    }
    /* Drop a member that another member contains: count each person once. */
    int kept = 0;
    for (int i = 0; i < n; i++) {
        bool inside = false;
        for (int j = 0; j < n && !inside; j++)
            inside = j != i && contained_in(g, month, out[i], out[j]);
        if (!inside)
            out[kept++] = out[i];
    }
    /* Index order, so answers list members the same way every time. */
    for (int i = 1; i < kept; i++)
        for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
            int t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return kept;
}

static enum walk walk(const struct derive_geo *g, int month, int area, int depth,
                      derive_lookup_fn own, void *ctx, struct derive_result *out) {
    struct derive_cell cell = {0};
    /* Reached twice through an odd graph (a district in two counties): counted once. */
    if (listed(out->members, out->nmembers, area))
        return WALK_FULL;
    if (depth > 0 && own(ctx, area, &cell) && cell.has) {
        out->a += cell.a;
        out->b += cell.b;
        out->final = out->final && cell.final;
        out->hidden = out->hidden || cell.hidden;
        out->members[out->nmembers++] = area;
        return WALK_FULL;
    }
    if (depth >= DERIVE_MAX_DEPTH)
        return WALK_NONE;
    int *kids = malloc(sizeof *kids * (size_t)(g->nareas ? g->nareas : 1));
    if (!kids)
        return WALK_NONE;
    int n = derive_members(g, month, area, kids);
    bool any = false, all = n > 0;
    for (int i = 0; i < n; i++) {
        int members_mark = out->nmembers, missing_mark = out->nmissing;
        enum walk w = walk(g, month, kids[i], depth + 1, own, ctx, out);
        if (w == WALK_NONE) {
            /* Nothing under this member: name the member itself, not its parts. */
            out->nmembers = members_mark;
            out->nmissing = missing_mark;
            if (!listed(out->missing, out->nmissing, kids[i]))
                out->missing[out->nmissing++] = kids[i];
            all = false;
        } else {
            any = true;
            all = all && w == WALK_FULL;
        }
    }
    free(kids);
    return !any ? WALK_NONE : all ? WALK_FULL : WALK_PARTIAL;
}

void derive_resolve(const struct derive_geo *g, int month, int area, derive_lookup_fn own,
                    void *ctx, struct derive_result *out) {
    int *members = out->members, *missing = out->missing;
    memset(out, 0, sizeof *out);
    out->members = members;
    out->missing = missing;
    out->final = true;
    struct derive_cell cell = {0};
    if (own(ctx, area, &cell) && cell.has) {
        out->has = out->complete = true;
        out->a = cell.a;
        out->b = cell.b;
        out->final = cell.final;
        out->hidden = cell.hidden;
        return;
    }
    enum walk w = walk(g, month, area, 0, own, ctx, out);
    if (w == WALK_NONE) {
        /* No figure at all: nothing to report, not a zero. */
        out->nmembers = out->nmissing = 0;
        out->a = out->b = 0;
        out->final = false;
        out->hidden = false;
        return;
    }
    out->has = out->derived = true;
    out->complete = w == WALK_FULL;
}

int derive_parent(const struct derive_geo *g, int month, int area) {
    int best = -1;
    for (int k = 0; k < g->nedges; k++) {
        const struct derive_edge *e = &g->edges[k];
        if (e->child != area || e->role != DERIVE_CONTAINS || !holds(e, month))
            continue;
        /* The most specific container: one that the others contain. */
        if (best < 0 || contained_in(g, month, e->parent, best) ||
            (!contained_in(g, month, best, e->parent) && e->parent < best))
            best = e->parent;
    }
    if (best >= 0 || g->kind[area] != DERIVE_AREA_COMBINED)
        return best;
    int *kids = malloc(sizeof *kids * (size_t)(g->nareas ? g->nareas : 1));
    if (!kids)
        return -1;
    int n = derive_members(g, month, area, kids), best_count = 0;
    for (int r = 0; r < g->nareas; r++) {
        if (g->kind[r] != DERIVE_AREA_REGION)
            continue;
        int count = 0;
        for (int i = 0; i < n; i++)
            count += contained_in(g, month, kids[i], r);
        if (count > best_count) {
            best_count = count;
            best = r;
        }
    }
    free(kids);
    return best;
}

int derive_month_from_date(const char *date, bool open_end) {
    if (!date || !*date)
        return open_end ? DERIVE_OPEN_END : -DERIVE_OPEN_END;
    int y = atoi(date), m = 1, d = 1;
    if (strlen(date) >= 10) {
        m = atoi(date + 5);
        d = atoi(date + 8);
    }
    /* A date inside a month holds from the next month's first day. */
    return y * 12 + (m - 1) + (d > 1 ? 1 : 0);
}
