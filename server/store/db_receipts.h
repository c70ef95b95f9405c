/* What a receipt records of the body it answered, beyond db_ingest's columns: the size
 * sent, when only an excerpt of it was kept. */
#ifndef DB_RECEIPTS_H
#define DB_RECEIPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"

/* Notes that the stored receipt id kept only an excerpt of a body body_bytes long. */
bool db_receipt_note_body(struct db_conn *db, const char *id, size_t body_bytes);

#endif
