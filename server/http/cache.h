/* In-process cache of whole read answers, keyed by the normalised request and the data
 * version the answer reflects. A hit is served from memory with no database round
 * trip; a write bumps the version, so every older entry stops matching at once and is
 * dropped on the next store. Bounded: CACHE_MAX_ENTRIES answers and CACHE_MAX_BYTES of
 * bodies; past either bound the least recently used entry goes first. */
#ifndef CACHE_H
#define CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/strbuf.h"
#include "http/request.h"

#define CACHE_MAX_ENTRIES 1024
#define CACHE_MAX_BYTES (16u * 1024 * 1024)
#define CACHE_MAX_BODY (2u * 1024 * 1024) /* a bigger answer is not kept */
/* A request's question (http/question.h) as a cache key. text points into the
 * request, so a key lives no longer than its request. */
struct cache_key {
    uint64_t hash;
    size_t len;
    bool usable; /* false when the request was too long to key, or named no question */
    const char *text;
};

/* The key of rq's question, as its ETag names it. Only a request whose question the
 * daemon named (a route whose answer follows the data version, ROUTE_ETAG) has one;
 * any other is not kept, as it has no data version to keep it under either. */
void cache_key_make(struct request *rq, struct cache_key *k);
/* When an answer for k at rq->version is held: fills rp with it, counts its metrics as
 * read, and returns true. */
bool cache_serve(struct request *rq, struct reply *rp, const struct cache_key *k);
/* The same, but a miss is not counted: the daemon's look on the event loop, before the
 * request goes to a worker whose handler looks again (and counts the miss). */
bool cache_serve_early(struct request *rq, struct reply *rp, const struct cache_key *k);
/* Answers rp with body (taken) and keeps it for k at version. metrics: the metric codes
 * the answer shows, comma-separated, counted as read on every later hit (NULL: none). */
void cache_reply(struct reply *rp, const struct cache_key *k, uint64_t version, int status,
                 const char *content_type, char *body, size_t len, const char *metrics);
/* Keeps the 200 answer a handler has just put in rp (JSON or a ready body) for k at
 * version, and answers from the kept copy; anything else in rp is left alone. */
void cache_keep(struct reply *rp, const struct cache_key *k, uint64_t version, const char *metrics);
/* A 304 is a read too: counts the metrics of the answer the client already holds, when
 * the cache still has it (rq->version is the version the ETag matched). */
void cache_count_revalidated(struct request *rq);
/* Prometheus lines: hits, misses, evictions, entries, bytes. */
void cache_stats_render(struct strbuf *out);

#endif
