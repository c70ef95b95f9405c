/* The geography a read works over: every area (sorted by code, so lookups are a
 * binary search) with its name and type, and the memberships between them as the
 * derive module reads them. Pure: the store fills it, the read maths uses it. */
#ifndef GEO_H
#define GEO_H

#include <stdbool.h>
#include <stddef.h>

#include "derive.h"

struct geo {
    int n;
    const char **code, **name, **type; /* point into text (owned) */
    enum derive_kind *kind;
    struct derive_edge *edges;
    int nedges;
    char *text;
};

/* Room for n areas with textlen bytes of their strings, and nedges memberships;
 * false (and g empty) when memory runs out. */
bool geo_alloc(struct geo *g, int n, int nedges, size_t textlen);
/* Copies area i's strings into the text (areas in code order, one after another) and
 * sets its kind from its type. at: the next free byte of text, moved on. */
void geo_set_area(struct geo *g, int i, const char *code, const char *name, const char *type,
                  size_t *at);
void geo_free(struct geo *g);
int geo_find(const struct geo *g, const char *code);
struct derive_geo geo_derive(const struct geo *g);
/* Marks area and everything its totals may be made from (members, their parts). */
void geo_mark_tree(const struct geo *g, int area, bool *marked);
enum derive_role geo_role(const char *role);

/* Every area type the schema allows (its areas_type check), NULL-terminated: what the
 * catalogue filter and an admin's PUT accept. */
extern const char *const geo_area_types[];

#endif
