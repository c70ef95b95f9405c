/* Totals for an area that has no figure of its own, made from its members' figures.
 * Pure: the caller describes the geography (areas by index, memberships with roles and
 * the months they hold) and how to look a figure up; this decides which members count,
 * adds them up, and says which were used and which were missing.
 *
 * Which members count, for a period:
 * - a combined authority: its constituent members only (non-constituent members and
 *   observers are partners, not parts of it);
 * - any other area (region, county): the areas it 'contains';
 * - a member that is itself contained in another counted member is dropped, so a
 *   county is never added to its own districts;
 * - a member with a figure of its own gives that figure; one without is made from its
 *   own members by the same rule (a county from its districts), to a bounded depth.
 * A member that gives nothing is missing; a total with any member missing is
 * incomplete (complete = false) and says which. A count is the sum of the members'
 * counts; a rate is made by the caller from the sums of numerators and denominators
 * (a and b here), never from a mean of the members' rates. */
#ifndef DERIVE_H
#define DERIVE_H

#include <stdbool.h>

#define DERIVE_MAX_DEPTH 6
#define DERIVE_OPEN_END 0x7fffffff

enum derive_role { DERIVE_CONTAINS, DERIVE_CONSTITUENT, DERIVE_OTHER };
/* A country (England) is never made from its members: the regions held here are not
 * all of it, so its only figures are those published for it. */
enum derive_kind {
    DERIVE_AREA_OTHER,
    DERIVE_AREA_REGION,
    DERIVE_AREA_COMBINED,
    DERIVE_AREA_COUNTRY
};

struct derive_edge {
    int child, parent;
    enum derive_role role;
    int from, to; /* months (period_month_index) the membership holds: from <= m < to */
};

struct derive_geo {
    int nareas;
    const enum derive_kind *kind; /* per area */
    const struct derive_edge *edges;
    int nedges;
};

/* One area's own figure: a (a count, or a rate's numerator) and b (a rate's
 * denominator; unused for counts). hidden: the caller hides this figure from the
 * reader, so a total built from it must be hidden too. */
struct derive_cell {
    bool has;
    double a, b;
    bool final;
    bool hidden;
};

typedef bool (*derive_lookup_fn)(void *ctx, int area, struct derive_cell *out);

struct derive_result {
    bool has;      /* a figure: the area's own, or from at least one member */
    bool derived;  /* made from members */
    bool complete; /* no member missing */
    bool final;    /* every figure used is final */
    bool hidden;   /* a figure used is hidden */
    double a, b;   /* the own figure, or the sums over the members used */
    int nmembers, nmissing;
    int *members; /* caller's buffers of nareas ints each */
    int *missing;
};

/* Resolves the area's figure for the month. out->members and out->missing must point
 * at buffers of g->nareas ints. */
void derive_resolve(const struct derive_geo *g, int month, int area, derive_lookup_fn own,
                    void *ctx, struct derive_result *out);
/* The members that count for the area at the month (see above); returns how many,
 * written to out (g->nareas ints). */
int derive_members(const struct derive_geo *g, int month, int area, int *out);
/* The area to compare with: the most specific area that 'contains' it; for a combined
 * authority, the region that contains most of its constituents; -1 when none. */
int derive_parent(const struct derive_geo *g, int month, int area);
/* A membership's months from its dates ("YYYY-MM-DD"; NULL or "" for an open end): it
 * holds for a period whose first day falls on or after valid_from and before valid_to. */
int derive_month_from_date(const char *date, bool open_end);

#endif
