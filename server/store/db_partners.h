/* Partners and their grants: the organisations that submit figures, and which metrics
 * (directly or through a programme) each may write for which areas. */
#ifndef STORE_DB_PARTNERS_H
#define STORE_DB_PARTNERS_H

#include <jansson.h>
#include <stdbool.h>

#include "store/db.h"

/* Every partner as {code, name, synthetic, created_at, grants: [{programme | metric,
 * areas}]}, grants grouped as they are made; *items is the caller's. */
bool db_partners_list(struct db_conn *db, json_t **items);
/* Inserts a partner. *created_at (the caller's) is its creation time, or NULL when the
 * code is taken already (nothing written). */
bool db_partner_insert(struct db_conn *db, const char *code, const char *name, bool synthetic,
                       json_t **created_at, struct db_error *e);
/* Whether the partner exists, holding it (FOR SHARE) until the transaction ends. */
bool db_partner_hold(struct db_conn *db, const char *code, bool *found, struct db_error *e);

/* What the catalogue says of the names in a grant: the programme and metric (true
 * when not given), and the indexes of areas (a JSON array of codes) it does not know. */
struct db_grant_names {
    bool programme_known, metric_known;
    json_t *unknown_areas; /* array of indexes into the areas given; the caller's */
};
bool db_grant_names(struct db_conn *db, const char *programme, const char *metric, json_t *areas,
                    struct db_grant_names *out, struct db_error *e);
/* Grants each area (a JSON array of codes); a repeated grant is a no-op. *added: any
 * row was new. */
bool db_grant_insert(struct db_conn *db, const char *partner, const char *programme,
                     const char *metric, json_t *areas, bool *added, struct db_error *e);

#endif
