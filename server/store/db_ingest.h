/* The database half of a submission: the catalogue snapshot rows are checked against,
 * the set-based apply (COPY into a staging table, one upsert with history), and the
 * stored receipts. */
#ifndef DB_INGEST_H
#define DB_INGEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/ingest.h"
#include "domain/strbuf.h"

struct db_conn;

struct ingest_snapshot {
    struct ingest_catalogue cat;
    struct ingest_metric *metrics;
    char (*areas)[16];
    struct ingest_category *categories;
    struct ingest_grant *grants;
    struct ingest_lock *locks;
};

struct ingest_meta {
    const char *id;      /* a new UUID */
    const char *partner; /* NULL for an admin key without a partner */
    const char *key_id;
    const char *format; /* json or csv */
    const char *idempotency_key;
    const char *body_sha256_hex;
    const char *payload;
    long rows;
    long skipped; /* CSV records of separators alone, not read as rows */
    bool dry_run;
    bool lock_override;
    bool is_admin; /* may change figures another partner answers for */
    const char *reason;
};

struct ingest_counts {
    long created, updated, unchanged, deleted;
    long rejected; /* rows refused (not problems: a row may have several) */
    long skipped;  /* CSV records of separators alone, not read as rows */
};

enum ingest_outcome {
    INGEST_APPLIED,       /* written (or, for a dry run, would be) */
    INGEST_NEEDS_REASON,  /* a final figure would change without a reason: errors filled */
    INGEST_DUPLICATE_KEY, /* another request took the Idempotency-Key first */
    /* refused by a check against what is stored (responsibility, kept limits, rules
     * across figures): errors filled, counts->rejected the rows refused */
    INGEST_REFUSED,
    INGEST_NOT_RESPONSIBLE, /* the same, every error not_responsible (a 409) */
    INGEST_DB_FAILED,
};

bool db_ingest_snapshot(struct db_conn *db, const char *partner, struct ingest_snapshot *out);
void db_ingest_snapshot_free(struct ingest_snapshot *s);

/* Stages the COPY rows (staging columns, see db_ingest.c) and applies them in one
 * transaction; a dry run rolls back. Fills counts, warnings (array, taken by caller)
 * and, for INGEST_NEEDS_REASON, errors. */
enum ingest_outcome db_ingest_apply(struct db_conn *db, const struct ingest_meta *meta,
                                    const struct strbuf *copy_rows, struct ingest_counts *counts,
                                    json_t **warnings, json_t **errors, uint64_t *version);

/* The counts as a receipt shows them: {created, updated, unchanged, deleted, rejected},
 * and skipped when a CSV had blank rows (only then, so other answers keep their shape). */
json_t *db_ingest_counts_json(const struct ingest_counts *c);

#endif
