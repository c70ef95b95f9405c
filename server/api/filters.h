/* The codes a read's query filters on, checked before the read runs: each against its
 * pattern (400, naming the parameter and the shape it wants), then all against the
 * catalogue in one lookup (404 naming the code), so a misspelt or retired code is never
 * answered by an empty 200. */
#ifndef API_FILTERS_H
#define API_FILTERS_H

#include <stdbool.h>

#include "http/request.h"

enum api_filter {
    FILTER_METRIC = 1 << 0,    /* metric= */
    FILTER_AREA = 1 << 1,      /* area= */
    FILTER_PROGRAMME = 1 << 2, /* programme= */
    FILTER_PARTNER = 1 << 3,   /* partner= */
    FILTER_PARENT = 1 << 4,    /* parent= (an area) */
    FILTER_BREAKDOWN = 1 << 5, /* breakdown= (dimensions and categories; total, all aside) */
};

/* Checks the filters named by which that the query carries; false after answering. */
bool api_check_filters(struct request *rq, struct reply *rp, unsigned which);

#endif
