/* A submission's rows read and checked: JSON or CSV into one batch, every refused row
 * listed with a stable code, the accepted rows as COPY text for the store. */
#ifndef API_SUBMISSION_BATCH_H
#define API_SUBMISSION_BATCH_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/keyset.h"
#include "domain/strbuf.h"
#include "http/request.h"
#include "store/db_ingest.h"

/* At most this many row errors are listed; the rest are counted. */
#define MAX_LISTED_ERRORS 1000

/* Everything one POST carries through its checks. */
struct batch {
    struct ingest_snapshot snap;
    struct keyset *seen;
    struct strbuf copy; /* COPY text of the accepted rows */
    json_t *errors;     /* listed row errors (at most MAX_LISTED_ERRORS) */
    long nerrors;       /* all row errors, listed or not */
    long bad_rows;
    long rows;
    long blank_rows;              /* CSV records of separators alone, skipped */
    long n_not_granted, n_locked; /* errors of each access kind */
    bool is_admin;
};

/* The body as {"observations": [...], "reason", "override_lock"}: each row checked into
 * b. *reason (the caller's to free) and *override from the body. False after filling
 * rp when the body itself is refused (malformed, unknown field, too many rows). */
bool batch_read_json(struct request *rq, struct reply *rp, struct batch *b, char **reason,
                     bool *override);
/* The body as CSV with a header row: each record checked into b. False after filling
 * rp when the file itself is refused (not UTF-8, malformed, empty, bad header, too
 * many rows). */
bool batch_read_csv(struct request *rq, struct reply *rp, struct batch *b);

#endif
