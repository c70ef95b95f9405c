/* Reads of the catalogue: programmes, metrics, areas with their memberships, and the
 * breakdown dimensions with their categories, each as JSON ready to answer with.
 * Lists come as a JSON array in *items, one thing as a JSON object in *out (NULL when
 * there is none with the code); the caller owns them (json_decref). Every function
 * answers false after logging: a failed query (db_lost tells whether the link went)
 * or memory (db_note_no_memory). */
#ifndef DB_CATALOGUE_H
#define DB_CATALOGUE_H

#include <jansson.h>
#include <stdbool.h>

struct db_conn;

/* {code, name, description, metrics (active ones)} in board order. */
bool db_catalogue_programmes(struct db_conn *db, json_t **items);
/* Metrics, filtered by programme and active ("true"/"false") when not NULL. */
bool db_catalogue_metrics(struct db_conn *db, const char *programme, const char *active,
                          json_t **items);
bool db_catalogue_metric(struct db_conn *db, const char *code, json_t **out);
/* Areas, filtered by type and by a parent they belong to today, when not NULL. */
bool db_catalogue_areas(struct db_conn *db, const char *type, const char *parent, json_t **items);
bool db_catalogue_area(struct db_conn *db, const char *code, json_t **out);
/* {code, name, description, categories: [{code, name}]} */
bool db_catalogue_dimensions(struct db_conn *db, json_t **items);

#endif
