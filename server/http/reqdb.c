/* Which database answers a request: the replica for reads when it is up and new enough
 * for Min-Data-Version, the primary for writes, key-use records and everything that
 * must be current; and the data version an answer reflects (the Data-Version header). */
#include "http/reqdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "http/problem.h"
#include "stats.h"
#include "store/db.h"

struct db_conn *req_db(struct request *rq, struct reply *rp) {
    if (rq->db)
        return rq->db;
    if (rq->from_replica) {
        rq->db = db_acquire_replica();
        rq->on_replica = rq->db != NULL;
        if (!rq->db)
            stats_replica_fallback(FALLBACK_DOWN);
    }
    if (!rq->db && rq->db_primary) {
        rq->db = rq->db_primary; /* never hold two primary connections */
        rq->db_primary = NULL;
    }
    if (!rq->db)
        rq->db = db_acquire();
    if (!rq->db)
        problem_unavailable(rp);
    else if (rq->method == HTTP_GET || rq->method == HTTP_HEAD)
        stats_read_from(rq->on_replica); /* where the read's own connection came from */
    return rq->db;
}

int req_check_key(struct request *rq, struct reply *rp, const char *bearer) {
    /* A key check reads: the replica answers it while it is level with the primary (so
     * a revocation counts at once); otherwise, and for a key it has not replayed yet,
     * the primary does. Recording the key's use is a write: the primary. */
    struct db_conn *db =
        rq->from_replica && db_replica_current() ? req_db(rq, rp) : req_db_primary(rq, rp);
    if (!db)
        return REQ_KEY_ANSWERED;
    int ok = auth_verify(db, bearer, &rq->who);
    if (ok == 0 && db_is_replica(db)) {
        db = req_db_primary(rq, rp);
        if (!db)
            return REQ_KEY_ANSWERED;
        ok = auth_verify(db, bearer, &rq->who);
    }
    if (ok == 1 && rq->who.touch_due) {
        struct db_conn *primary = db_is_replica(db) ? req_db_primary(rq, NULL) : db;
        if (primary)
            auth_touch(primary, &rq->who);
    }
    return ok;
}

void req_release_db(struct request *rq) {
    uint64_t a = db_conn_bumped(rq->db), b = db_conn_bumped(rq->db_primary);
    if (a > rq->bumped || b > rq->bumped)
        rq->bumped = a > b ? a : b;
    db_release(rq->db);
    db_release(rq->db_primary);
    rq->db = rq->db_primary = NULL;
}

struct db_conn *req_db_primary(struct request *rq, struct reply *rp) {
    if (rq->db && !rq->on_replica)
        return rq->db;
    if (!rq->db_primary)
        rq->db_primary = db_acquire();
    if (!rq->db_primary && rp)
        problem_unavailable(rp);
    return rq->db_primary;
}

/* The newest data version named by one of our ETags ("v<version>-<hash>", weak or not)
 * in If-None-Match, 0 when none. */
static uint64_t held_version(const char *inm) {
    uint64_t best = 0;
    for (const char *p = inm ? strstr(inm, "\"v") : NULL; p; p = strstr(p + 2, "\"v")) {
        size_t n = strspn(p + 2, "0123456789");
        if (n >= 1 && n <= 19 && p[2 + n] == '-') {
            uint64_t v = strtoull(p + 2, NULL, 10);
            best = v > best ? v : best;
        }
    }
    return best;
}

bool req_read_min_version(struct request *rq, struct reply *rp) {
    const char *h = req_header(rq, "Min-Data-Version");
    if (h) {
        size_t n = strspn(h, "0123456789");
        unsigned long long v = n >= 1 && n <= 19 && h[n] == '\0' ? strtoull(h, NULL, 10) : 0;
        if (v == 0) {
            problem_reply(rp, 400,
                          "Min-Data-Version must be a data version from an earlier answer's "
                          "Data-Version header (a whole number from 1)");
            return false;
        }
        rq->min_version = v;
    }
    /* A client revalidating an answer it holds at version N has seen N: a replica still
     * behind N would hand it older data than it has (a 200 going back in time where the
     * primary answers 304), so the ETag counts as a Min-Data-Version too. */
    uint64_t held = held_version(req_header(rq, "If-None-Match"));
    if (held > rq->min_version)
        rq->min_version = held;
    return true;
}

static bool is_read(const struct request *rq) {
    return rq->method == HTTP_GET || rq->method == HTTP_HEAD;
}

bool req_version_from_memory(struct request *rq) {
    rq->from_replica = false;
    if (db_replica_usable() && is_read(rq)) {
        uint64_t v = db_replica_version();
        if (v && v >= rq->min_version) {
            rq->from_replica = true;
            rq->version = v;
            return true;
        }
    }
    rq->version = db_known_version();
    return rq->version && rq->version >= rq->min_version;
}

/* Where a read goes: the replica unless it is down, or behind the version asked for
 * after a brief wait; the primary for everything else. */
void req_choose_source(struct request *rq) {
    rq->from_replica = false;
    if (!db_replica_configured() || (rq->method != HTTP_GET && rq->method != HTTP_HEAD))
        return;
    if (!db_replica_usable()) {
        stats_replica_fallback(FALLBACK_DOWN);
        return;
    }
    if (rq->min_version && !db_replica_wait(rq->min_version, g_config.replica_wait_ms)) {
        stats_replica_fallback(FALLBACK_BEHIND);
        return;
    }
    rq->from_replica = true;
}

/* The version this read's data will reflect, known before it runs (the ETag and the
 * cache depend on it): the replica's replayed version or the primary's announced one,
 * asked of the database itself when that is unknown or older than Min-Data-Version
 * (the primary's notification may not have reached this process yet). */
bool req_settle_version(struct request *rq, struct reply *rp) {
    rq->version = rq->from_replica ? db_replica_version() : db_known_version();
    if (rq->version && rq->version >= rq->min_version)
        return true;
    struct db_conn *db = req_db(rq, rp);
    if (!db || !db_read_version(db, &rq->version)) {
        /* Without a connection req_db has answered 503 with Retry-After already. */
        if (db)
            req_db_failed(rq, rp);
        rq->version = 0;
        return false;
    }
    return true;
}

void req_db_failed(struct request *rq, struct reply *rp) {
    if (rq->db && !db_lost(rq->db) && db_timed_out(rq->db))
        problem_db_busy(rp);
    else
        problem_unavailable(rp);
}

bool req_again_on_primary(struct request *rq, struct reply *rp) {
    if (!rq->on_replica || !rq->db || rp->status < 500 || rp->out_of_memory ||
        rp->source != REPLY_NONE || !db_lost(rq->db))
        return false;
    /* Mark it down (the next reads go to the primary at once), and start this one again
     * as if it had never been routed there. */
    db_replica_lost();
    stats_replica_fallback(FALLBACK_LOST);
    reply_free(rp);
    db_release(rq->db);
    rq->db = NULL;
    rq->on_replica = rq->from_replica = false;
    rq->version = 0;
    rq->question_named = false;
    memset(&rq->who, 0, sizeof rq->who);
    return true;
}

bool req_data_version_header(const struct request *rq, int status, char text[24]) {
    uint64_t v = req_data_version(rq, status);
    if (!v || (strncmp(rq->path, "/v1/", 4) != 0 && strcmp(rq->path, "/v1") != 0))
        return false;
    snprintf(text, 24, "%llu", (unsigned long long)v);
    return true;
}

uint64_t req_data_version(const struct request *rq, int status) {
    uint64_t v = 0;
    if (status >= 200 && status < 300) {
        uint64_t a = db_conn_bumped(rq->db), b = db_conn_bumped(rq->db_primary);
        v = a > b ? a : b;
        v = rq->bumped > v ? rq->bumped : v;
    }
    if (!v)
        v = rq->version;
    if (!v)
        v = rq->on_replica || rq->from_replica ? db_replica_version() : db_known_version();
    return v;
}
