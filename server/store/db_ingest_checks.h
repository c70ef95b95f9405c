/* The checks of a staged batch that need what is stored, run inside the submission's
 * transaction after COPY and before anything is written: who is responsible for each
 * figure, limits a correction keeps that no longer fit its new value, and the rules
 * across figures (domain/crosscheck.c) over the batch and the stored figures beside it. */
#ifndef DB_INGEST_CHECKS_H
#define DB_INGEST_CHECKS_H

#include <jansson.h>
#include <stdbool.h>

struct db_conn;

struct ingest_check_result {
    json_t *errors;   /* row errors {row, field, code, message[, rule, responsible]} */
    json_t *warnings; /* row warnings of rules with severity warning */
    long bad_rows;    /* distinct rows with an error */
    bool all_not_responsible;
};

/* partner: the writing partner (NULL for an admin key without one); is_admin skips the
 * responsibility check. False when a query failed (logged); result then empty. */
bool db_ingest_check_stage(struct db_conn *db, const char *partner, bool is_admin,
                           struct ingest_check_result *out);
void ingest_check_result_free(struct ingest_check_result *r);
/* After the apply: (metric, area) pairs nobody answers for yet become the writer's. */
bool db_ingest_claim_responsibility(struct db_conn *db, const char *partner);

#endif
