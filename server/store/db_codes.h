/* Whether codes named in a query's filters are in the catalogue, so a filter on a code
 * that does not exist is a 404 naming it rather than an empty 200. */
#ifndef DB_CODES_H
#define DB_CODES_H

#include <stdbool.h>

#include "store/db.h"

enum db_code_kind {
    DB_CODE_METRIC,
    DB_CODE_AREA,
    DB_CODE_PROGRAMME,
    DB_CODE_PARTNER,
    DB_CODE_DIMENSION,
    DB_CODE_CATEGORY, /* of the dimension given with it */
};

struct db_code {
    enum db_code_kind kind;
    const char *code;
    const char *dimension; /* DB_CODE_CATEGORY only */
};

/* Looks every code up in one statement; *unknown is the index of the first not found,
 * or -1 when all are. False when the statement failed (logged). At most 16 codes. */
bool db_codes_find(struct db_conn *db, const struct db_code *codes, int n, int *unknown);

#endif
