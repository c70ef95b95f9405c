/* Decimal text as PostgreSQL's numeric prints it, turned into a JSON number. */
#ifndef DOMAIN_NUMERIC_H
#define DOMAIN_NUMERIC_H

#include <jansson.h>

/* Integral values as JSON integers, trailing zeros dropped ("12.50" -> 12.5,
 * "3.000" -> 3); NULL or "" as JSON null. */
json_t *numeric_json(const char *text);

#endif
