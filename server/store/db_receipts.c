/* The body size of a receipt that kept an excerpt. */
#include "store/db_receipts.h"

#include <stdio.h>

bool db_receipt_note_body(struct db_conn *db, const char *id, size_t body_bytes) {
    static const struct db_stmt s = {
        "receipt_note_body", "UPDATE submissions SET body_bytes = $2 WHERE id = $1::uuid", 2};
    char bytes[24];
    snprintf(bytes, sizeof bytes, "%zu", body_bytes);
    const char *params[] = {id, bytes};
    PGresult *r = db_exec(db, &s, params);
    bool ok = db_ok(r);
    if (!ok)
        db_log_failure("receipt body size", r);
    PQclear(r);
    return ok;
}
