/* Receipts: every submission's answer as stored (applied, rejected or dry run), found
 * again by id, by Idempotency-Key, or listed newest first. */
#include "store/db_receipts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_json.h"

static json_t *receipt_json(PGresult *r, int i);

bool db_receipt_store(struct db_conn *db, const struct ingest_meta *meta, const char *status,
                      int http_status, const struct ingest_counts *counts, json_t *errors,
                      json_t *warnings) {
    static const struct db_stmt s = {
        "ingest_receipt_insert",
        "INSERT INTO submissions (id, partner, api_key, format, body_sha256, dry_run, status, "
        "http_status, row_count, counts, errors, warnings, reason, payload) VALUES ($1, $2, $3, "
        "$4, decode($5, 'hex'), $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13, $14)",
        14};
    char http[8], rows[24];
    snprintf(http, sizeof http, "%d", http_status);
    snprintf(rows, sizeof rows, "%ld", meta->rows);
    json_t *jc = db_ingest_counts_json(counts);
    char *ct = json_dumps(jc, JSON_COMPACT);
    char *et = errors ? json_dumps(errors, JSON_COMPACT) : strdup("[]");
    char *wt = warnings ? json_dumps(warnings, JSON_COMPACT) : strdup("[]");
    json_decref(jc);
    const char *params[] = {meta->id,
                            meta->partner,
                            meta->key_id,
                            meta->format,
                            meta->body_sha256_hex,
                            meta->dry_run ? "true" : "false",
                            status,
                            http,
                            rows,
                            ct,
                            et,
                            wt,
                            meta->reason,
                            meta->payload};
    PGresult *r = db_exec(db, &s, params);
    bool ok = db_check(db, r, "ingest receipt", NULL);
    if (ok)
        PQclear(r);
    free(ct);
    free(et);
    free(wt);
    return ok;
}

/* received_at in RFC 3339 UTC, as updated_at is on observations, whatever the session's
 * DateStyle and time zone. */
#define RECEIVED_AT_RFC3339                                                                        \
    "to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
#define RECEIPT_SELECT                                                                             \
    "SELECT id, partner, " RECEIVED_AT_RFC3339                                                     \
    ", format, status, http_status, row_count, counts, "                                           \
    "errors, warnings, dry_run, idempotency_key, octet_length(payload) AS payload_kept, "          \
    "coalesce(body_bytes, octet_length(payload)) AS body_bytes FROM submissions "

static json_t *receipt_json(PGresult *r, int i) {
    json_t *counts = json_loads(PQgetvalue(r, i, 7), 0, NULL);
    json_t *errors = json_loads(PQgetvalue(r, i, 8), 0, NULL);
    json_t *warnings = json_loads(PQgetvalue(r, i, 9), 0, NULL);
    json_t *j = json_pack(
        "{s:s, s:s, s:o, s:s, s:s, s:i, s:I, s:o, s:o, s:o, s:b}", "id", PQgetvalue(r, i, 0),
        "status", PQgetvalue(r, i, 4), "partner",
        PQgetisnull(r, i, 1) ? json_null() : json_string(PQgetvalue(r, i, 1)), "received_at",
        PQgetvalue(r, i, 2), "format", PQgetvalue(r, i, 3), "http_status",
        atoi(PQgetvalue(r, i, 5)), "row_count", (json_int_t)atoll(PQgetvalue(r, i, 6)), "counts",
        counts ? counts : json_object(), "errors", errors ? errors : json_array(), "warnings",
        warnings ? warnings : json_array(), "dry_run", PQgetvalue(r, i, 10)[0] == 't');
    if (!PQgetisnull(r, i, 11))
        json_object_set_new(j, "idempotency_key", json_string(PQgetvalue(r, i, 11)));
    /* How much of the body a refused receipt keeps: an excerpt, when it was long. */
    int kept = PQfnumber(r, "payload_kept"), sent = PQfnumber(r, "body_bytes");
    if (kept >= 0 && sent >= 0 && !PQgetisnull(r, i, kept) &&
        strcmp(PQgetvalue(r, i, 4), "rejected") == 0)
        json_object_set_new(j, "body",
                            json_pack("{s:I, s:I}", "bytes",
                                      (json_int_t)atoll(PQgetvalue(r, i, sent)), "kept",
                                      (json_int_t)atoll(PQgetvalue(r, i, kept))));
    return j;
}

int db_receipt_find_idempotent(struct db_conn *db, const char *partner, const char *key,
                               const char *body_sha256_hex, json_t **receipt, bool *same_body) {
    static const struct db_stmt find = {
        "ingest_idempotent_lookup",
        "SELECT id, partner, " RECEIVED_AT_RFC3339 ", format, status, http_status, row_count, "
        "counts, errors, warnings, dry_run, idempotency_key, body_sha256 = decode($3, 'hex') "
        "FROM submissions WHERE coalesce(partner, '') = coalesce($1, '') AND "
        "idempotency_key = $2",
        3};
    const char *params[] = {partner, key, body_sha256_hex};
    PGresult *r = db_exec(db, &find, params);
    if (!db_check(db, r, "idempotency lookup", NULL))
        return -1;
    int found = PQntuples(r) > 0;
    if (found) {
        *receipt = receipt_json(r, 0);
        *same_body = PQgetvalue(r, 0, 12)[0] == 't';
    }
    PQclear(r);
    return found;
}

int db_receipt_get(struct db_conn *db, const char *id, const char *partner, json_t **out) {
    static const struct db_stmt s = {
        "ingest_receipt_get",
        RECEIPT_SELECT "WHERE id = $1::uuid AND ($2::text IS NULL OR partner = $2)", 2};
    const char *params[] = {id, partner};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "receipt", NULL))
        return -1;
    int found = PQntuples(r) > 0;
    if (found)
        *out = receipt_json(r, 0);
    PQclear(r);
    return found;
}

bool db_receipts_list(struct db_conn *db, const char *partner, int limit, json_t **items) {
    static const struct db_stmt s = {
        "ingest_receipt_list",
        RECEIPT_SELECT "WHERE ($1::text IS NULL OR partner = $1) ORDER BY received_at DESC, id "
                       "LIMIT $2",
        2};
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit);
    const char *params[] = {partner, lim};
    return db_json_rows(db, &s, params, "receipts", receipt_json, items);
}

bool db_receipt_note_body(struct db_conn *db, const char *id, size_t body_bytes) {
    static const struct db_stmt s = {"receipt_note_body",
                                     "UPDATE submissions "
                                     "SET body_bytes = $2 "
                                     "WHERE id = $1::uuid",
                                     2};
    char bytes[24];
    snprintf(bytes, sizeof bytes, "%zu", body_bytes);
    const char *params[] = {id, bytes};
    PGresult *r = db_exec(db, &s, params);
    if (!db_check(db, r, "receipt body size", NULL))
        return false;
    PQclear(r);
    return true;
}
