/* Submission receipts as stored (see db_receipts.c). */
#ifndef STORE_DB_RECEIPTS_H
#define STORE_DB_RECEIPTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/db_ingest.h"

/* Stores the receipt of a submission that wrote nothing (rejected or dry run). */
bool db_receipt_store(struct db_conn *db, const struct ingest_meta *meta, const char *status,
                      int http_status, const struct ingest_counts *counts, json_t *errors,
                      json_t *warnings);

/* An earlier applied submission with this partner and Idempotency-Key: 1 found (receipt
 * filled, same_body set), 0 none, -1 failure. */
int db_receipt_find_idempotent(struct db_conn *db, const char *partner, const char *key,
                               const char *body_sha256_hex, json_t **receipt, bool *same_body);
/* Notes that the stored receipt id kept only an excerpt of a body body_bytes long (a
 * refused submission keeps WELLBEING_REFUSED_EXCERPT bytes). */
bool db_receipt_note_body(struct db_conn *db, const char *id, size_t body_bytes);
/* A receipt by id as the caller may see it (partner NULL: any). 1 found, 0 not, -1 fail. */
int db_receipt_get(struct db_conn *db, const char *id, const char *partner, json_t **out);
/* Receipts newest first; partner NULL lists every partner's. */
bool db_receipts_list(struct db_conn *db, const char *partner, int limit, json_t **items);

#endif
