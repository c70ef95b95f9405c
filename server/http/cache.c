/* The response cache: a chained hash table under a read-write lock. Bodies are
 * reference counted, so an entry evicted while a response is still being sent stays
 * alive until libmicrohttpd lets go of it. Eviction scans the table (at most
 * CACHE_MAX_ENTRIES), which only happens on a miss that has just done database work. */
#include "http/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usage.h"

#define BUCKETS 2048

struct body {
    atomic_int refs;
    size_t len;
    const char *content_type; /* static string */
    int status;
    char *metrics; /* comma-separated, or NULL */
    /* The headers the handler had set (its Content-Disposition), as name\0value\0
     * pairs, nheaders of them: a hit answered before the handler runs carries them too. */
    char *headers;
    int nheaders;
    char data[];
};

struct entry {
    struct entry *next;
    uint64_t hash;
    uint64_t version;
    char *key;
    size_t key_len;
    struct body *body;
    atomic_ullong last_used;
};

static struct entry *buckets[BUCKETS];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static size_t entries, bytes;
static atomic_ullong clock_tick, hits, misses, evictions;

static bool serve(struct request *rq, struct reply *rp, const struct cache_key *k, bool count_miss);
static void body_release(void *cls);
static char *copy_headers(const struct reply *rp);
static void entry_drop_locked(struct entry **link);
static void evict_locked(uint64_t version, size_t incoming);

void cache_key_make(struct request *rq, struct cache_key *k) {
    const struct question *q = &rq->question;
    k->usable = rq->question_named && q->complete;
    k->hash = q->hash;
    k->len = k->usable ? q->len : 0;
    k->text = q->text;
}

static void body_release(void *cls) {
    struct body *b = cls;
    if (atomic_fetch_sub(&b->refs, 1) == 1) {
        free(b->metrics);
        free(b->headers);
        free(b);
    }
}

/* Answers from b, handing the reply one reference (released when sent), with the
 * handler's headers that rp does not have yet. */
static void reply_with(struct reply *rp, struct body *b) {
    reply_shared(rp, b->status, b->content_type, b->data, b->len, body_release, b);
    const char *h = b->headers;
    for (int i = 0; i < b->nheaders; i++) {
        const char *value = h + strlen(h) + 1;
        if (!reply_has_header(rp, h))
            reply_header(rp, h, value);
        h = value + strlen(value) + 1;
    }
}

/* rp's headers as name\0value\0 pairs (NULL when it has none or out of memory). */
static char *copy_headers(const struct reply *rp) {
    size_t size = 0;
    for (int i = 0; i < rp->nheaders; i++)
        size += strlen(rp->headers[i][0]) + strlen(rp->headers[i][1]) + 2;
    char *out = size ? malloc(size) : NULL;
    char *at = out;
    for (int i = 0; out && i < rp->nheaders; i++)
        for (int j = 0; j < 2; j++) {
            size_t n = strlen(rp->headers[i][j]) + 1;
            memcpy(at, rp->headers[i][j], n);
            at += n;
        }
    return out;
}

static bool entry_is(const struct entry *e, const struct cache_key *k, uint64_t version) {
    return e->hash == k->hash && e->version == version && e->key_len == k->len &&
           memcmp(e->key, k->text, k->len) == 0;
}

/* The entry for k at version, with the lock held. */
static struct entry *find_locked(const struct cache_key *k, uint64_t version) {
    for (struct entry *e = buckets[k->hash % BUCKETS]; e; e = e->next)
        if (entry_is(e, k, version))
            return e;
    return NULL;
}

static bool serve(struct request *rq, struct reply *rp, const struct cache_key *k,
                  bool count_miss) {
    if (!k->usable || !rq->version)
        return false;
    struct body *found = NULL;
    pthread_rwlock_rdlock(&lock);
    struct entry *e = find_locked(k, rq->version);
    if (e) {
        found = e->body;
        atomic_fetch_add(&found->refs, 1);
        /* Already the most recent entry (a hot answer read again and again): its
         * place in the order cannot change, so neither shared counter is written. */
        unsigned long long tick = atomic_load_explicit(&clock_tick, memory_order_relaxed);
        if (atomic_load_explicit(&e->last_used, memory_order_relaxed) != tick)
            atomic_store_explicit(&e->last_used, atomic_fetch_add(&clock_tick, 1) + 1,
                                  memory_order_relaxed);
    }
    pthread_rwlock_unlock(&lock);
    if (!found) {
        if (count_miss)
            atomic_fetch_add_explicit(&misses, 1, memory_order_relaxed);
        return false;
    }
    atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
    usage_count_list(found->metrics);
    reply_with(rp, found);
    return true;
}

bool cache_serve(struct request *rq, struct reply *rp, const struct cache_key *k) {
    return serve(rq, rp, k, true);
}

bool cache_serve_early(struct request *rq, struct reply *rp, const struct cache_key *k) {
    return serve(rq, rp, k, false);
}

void cache_count_revalidated(struct request *rq) {
    struct cache_key k;
    cache_key_make(rq, &k);
    if (!k.usable)
        return;
    struct body *held = NULL;
    pthread_rwlock_rdlock(&lock);
    struct entry *e = find_locked(&k, rq->version);
    if (e) {
        held = e->body; /* a reference, so counting needs neither the lock nor a copy */
        atomic_fetch_add(&held->refs, 1);
    }
    pthread_rwlock_unlock(&lock);
    if (held) {
        usage_count_list(held->metrics);
        body_release(held);
    }
}

static void entry_drop_locked(struct entry **link) {
    struct entry *e = *link;
    *link = e->next;
    entries--;
    bytes -= e->body->len;
    body_release(e->body);
    free(e->key);
    free(e);
}

/* Makes room for one more body of incoming bytes: first every entry older than
 * version (no request can match it again), then the least recently used. */
static void evict_locked(uint64_t version, size_t incoming) {
    for (int b = 0; b < BUCKETS; b++)
        for (struct entry **link = &buckets[b]; *link;) {
            if ((*link)->version < version) {
                entry_drop_locked(link);
                atomic_fetch_add_explicit(&evictions, 1, memory_order_relaxed);
            } else {
                link = &(*link)->next;
            }
        }
    while (entries && (entries >= CACHE_MAX_ENTRIES || bytes + incoming > CACHE_MAX_BYTES)) {
        struct entry **oldest = NULL;
        unsigned long long oldest_use = 0;
        for (int b = 0; b < BUCKETS; b++)
            for (struct entry **link = &buckets[b]; *link; link = &(*link)->next) {
                unsigned long long used = atomic_load(&(*link)->last_used);
                if (!oldest || used < oldest_use) {
                    oldest = link;
                    oldest_use = used;
                }
            }
        entry_drop_locked(oldest);
        atomic_fetch_add_explicit(&evictions, 1, memory_order_relaxed);
    }
}

/* Puts b in the table for k at version (the table takes its own reference). When the
 * entry cannot be allocated the answer simply is not kept. */
static void table_put(struct body *b, const struct cache_key *k, uint64_t version) {
    struct entry *e = calloc(1, sizeof *e);
    char *key = e ? malloc(k->len + 1) : NULL;
    if (!key) {
        free(e);
        return;
    }
    memcpy(key, k->text, k->len);
    key[k->len] = '\0';
    e->key = key;
    e->key_len = k->len;
    e->hash = k->hash;
    e->version = version;
    e->body = b;
    atomic_fetch_add(&b->refs, 1); /* the table's reference */
    atomic_init(&e->last_used, atomic_fetch_add(&clock_tick, 1) + 1);
    pthread_rwlock_wrlock(&lock);
    /* Another thread may have stored the same answer meanwhile: replace it. */
    for (struct entry **link = &buckets[k->hash % BUCKETS]; *link; link = &(*link)->next)
        if (entry_is(*link, k, version)) {
            entry_drop_locked(link);
            break;
        }
    evict_locked(version, b->len);
    e->next = buckets[k->hash % BUCKETS];
    buckets[k->hash % BUCKETS] = e;
    entries++;
    bytes += b->len;
    pthread_rwlock_unlock(&lock);
}

void cache_reply(struct reply *rp, const struct cache_key *k, uint64_t version, int status,
                 const char *content_type, char *body, size_t len, const char *metrics) {
    struct body *b = malloc(sizeof *b + len + 1);
    char *metrics_copy = b && metrics ? strdup(metrics) : NULL;
    char *headers = b ? copy_headers(rp) : NULL;
    if (!b || (metrics && !metrics_copy) || (rp->nheaders && !headers)) {
        /* Not kept, but still answered: the cache is only ever a shortcut. */
        free(b);
        free(metrics_copy);
        free(headers);
        reply_body(rp, status, content_type, body, len);
        return;
    }
    b->headers = headers;
    b->nheaders = headers ? rp->nheaders : 0;
    atomic_init(&b->refs, 1);
    b->len = len;
    b->content_type = content_type;
    b->status = status;
    b->metrics = metrics_copy;
    memcpy(b->data, body, len);
    b->data[len] = '\0';
    free(body);
    if (k->usable && version && status == 200 && len <= CACHE_MAX_BODY)
        table_put(b, k, version);
    reply_with(rp, b);
}

void cache_keep(struct reply *rp, const struct cache_key *k, uint64_t version,
                const char *metrics) {
    if (rp->status != 200 || rp->out_of_memory || rp->source != REPLY_NONE)
        return;
    char *text;
    size_t len;
    if (rp->json) {
        text = json_dumps(rp->json, REPLY_JSON_FLAGS);
        if (!text) {
            reply_out_of_memory(rp);
            return;
        }
        len = strlen(text);
        json_decref(rp->json);
        rp->json = NULL;
    } else if (rp->body) {
        text = rp->body;
        len = rp->body_len;
        rp->body = NULL;
    } else {
        return;
    }
    cache_reply(rp, k, version, 200, rp->content_type, text, len, metrics);
}

void cache_stats_render(struct strbuf *out) {
    pthread_rwlock_rdlock(&lock);
    size_t n = entries, size = bytes;
    pthread_rwlock_unlock(&lock);
    strbuf_printf(out,
                  "# HELP wellbeing_cache_requests_total Cacheable reads by outcome.\n"
                  "# TYPE wellbeing_cache_requests_total counter\n"
                  "wellbeing_cache_requests_total{result=\"hit\"} %llu\n"
                  "wellbeing_cache_requests_total{result=\"miss\"} %llu\n"
                  "# HELP wellbeing_cache_evictions_total Answers dropped from the cache.\n"
                  "# TYPE wellbeing_cache_evictions_total counter\n"
                  "wellbeing_cache_evictions_total %llu\n"
                  "# HELP wellbeing_cache_entries Answers held.\n"
                  "# TYPE wellbeing_cache_entries gauge\n"
                  "wellbeing_cache_entries %zu\n"
                  "# HELP wellbeing_cache_bytes Bytes of answers held.\n"
                  "# TYPE wellbeing_cache_bytes gauge\n"
                  "wellbeing_cache_bytes %zu\n",
                  atomic_load(&hits), atomic_load(&misses), atomic_load(&evictions), n, size);
}
