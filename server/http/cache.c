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
#include <time.h>

#include "http/auth.h"
#include "domain/calendar.h"
#include "http/router.h"
#include "usage.h"

#define BUCKETS 2048

struct body {
    atomic_int refs;
    size_t len;
    const char *content_type; /* static string */
    int status;
    char *metrics; /* comma-separated, or NULL */
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

static uint64_t fnv1a(uint64_t h, const void *data, size_t n);
static void body_release(void *cls);
static void entry_drop_locked(struct entry **link);
static void evict_locked(uint64_t version, size_t incoming);

struct args {
    const char *key[32];
    const char *value[32];
    int n;
    bool overflow;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value) {
    (void)kind;
    struct args *a = cls;
    if (a->n == 32) {
        a->overflow = true;
        return MHD_NO;
    }
    a->key[a->n] = key;
    a->value[a->n] = value ? value : "";
    a->n++;
    return MHD_YES;
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Appends a piece as its length in hex, a colon, and its bytes: no two sequences of
 * pieces give the same text. */
static bool key_put(struct cache_key *k, const char *s) {
    size_t n = strlen(s);
    if (n > 0xffff || k->len + 5 + n + 1 >= sizeof k->text)
        return false;
    static const char hex[] = "0123456789abcdef";
    for (int i = 3; i >= 0; i--)
        k->text[k->len++] = hex[(n >> (4 * i)) & 0xf];
    k->text[k->len++] = ':';
    memcpy(k->text + k->len, s, n);
    k->len += n;
    k->text[k->len] = '\0';
    return true;
}

void cache_key_make(struct request *rq, struct cache_key *k) {
    struct args a = {0};
    k->len = 0;
    k->text[0] = '\0';
    k->usable = false;
    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
    if (a.overflow)
        return;
    char month[16];
    snprintf(month, sizeof month, "%d", calendar_month_index((int64_t)time(NULL)));
    /* Sorted by name then value: the same question asked in another order is one key. */
    for (int i = 1; i < a.n; i++)
        for (int j = i; j > 0; j--) {
            int c = strcmp(a.key[j - 1], a.key[j]);
            if (c < 0 || (c == 0 && strcmp(a.value[j - 1], a.value[j]) <= 0))
                break;
            const char *tk = a.key[j], *tv = a.value[j];
            a.key[j] = a.key[j - 1];
            a.value[j] = a.value[j - 1];
            a.key[j - 1] = tk;
            a.value[j - 1] = tv;
        }
    bool ok = key_put(k, router_route_label(router_index(rq->route))) && key_put(k, rq->path) &&
              key_put(k, rq->csv ? "csv" : "json") &&
              key_put(k, rq->who.scopes & (SCOPE_READ | SCOPE_ADMIN) ? "key" : "open") &&
              key_put(k, month);
    for (int i = 0; ok && i < a.n; i++)
        ok = key_put(k, a.key[i]) && key_put(k, a.value[i]);
    if (!ok)
        return;
    k->hash = fnv1a(14695981039346656037ULL, k->text, k->len);
    k->usable = true;
}

static void body_release(void *cls) {
    struct body *b = cls;
    if (atomic_fetch_sub(&b->refs, 1) == 1) {
        free(b->metrics);
        free(b);
    }
}

static bool reply_with(struct reply *rp, struct body *b) {
    rp->response =
        MHD_create_response_from_buffer_with_free_callback_cls(b->len, b->data, body_release, b);
    if (!rp->response) {
        body_release(b);
        return false;
    }
    rp->status = b->status;
    rp->content_type = b->content_type;
    rp->body_len = b->len;
    return true;
}

bool cache_serve(struct request *rq, struct reply *rp, const struct cache_key *k) {
    if (!k->usable || !rq->version)
        return false;
    struct body *found = NULL;
    pthread_rwlock_rdlock(&lock);
    for (struct entry *e = buckets[k->hash % BUCKETS]; e; e = e->next) {
        if (e->hash == k->hash && e->version == rq->version && e->key_len == k->len &&
            memcmp(e->key, k->text, k->len) == 0) {
            found = e->body;
            atomic_fetch_add(&found->refs, 1);
            atomic_store_explicit(&e->last_used, atomic_fetch_add(&clock_tick, 1) + 1,
                                  memory_order_relaxed);
            break;
        }
    }
    pthread_rwlock_unlock(&lock);
    if (!found) {
        atomic_fetch_add_explicit(&misses, 1, memory_order_relaxed);
        return false;
    }
    atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
    usage_count_list(found->metrics);
    return reply_with(rp, found);
}

void cache_count_revalidated(struct request *rq) {
    struct cache_key k;
    cache_key_make(rq, &k);
    if (!k.usable)
        return;
    char *metrics = NULL;
    pthread_rwlock_rdlock(&lock);
    for (struct entry *e = buckets[k.hash % BUCKETS]; e; e = e->next)
        if (e->hash == k.hash && e->version == rq->version && e->key_len == k.len &&
            memcmp(e->key, k.text, k.len) == 0 && e->body->metrics) {
            metrics = strdup(e->body->metrics);
            break;
        }
    pthread_rwlock_unlock(&lock);
    usage_count_list(metrics);
    free(metrics);
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

void cache_reply(struct reply *rp, const struct cache_key *k, uint64_t version, int status,
                 const char *content_type, char *body, size_t len, const char *metrics) {
    struct body *b = malloc(sizeof *b + len + 1);
    if (!b) {
        reply_body(rp, status, content_type, body, len);
        return;
    }
    atomic_init(&b->refs, 1);
    b->len = len;
    b->content_type = content_type;
    b->status = status;
    b->metrics = metrics ? strdup(metrics) : NULL;
    memcpy(b->data, body, len);
    b->data[len] = '\0';
    free(body);
    if (k->usable && version && status == 200 && len <= CACHE_MAX_BODY) {
        struct entry *e = calloc(1, sizeof *e);
        char *key = e ? malloc(k->len + 1) : NULL;
        if (e && key) {
            memcpy(key, k->text, k->len + 1);
            e->key = key;
            e->key_len = k->len;
            e->hash = k->hash;
            e->version = version;
            e->body = b;
            atomic_fetch_add(&b->refs, 1); /* the table's reference */
            atomic_init(&e->last_used, atomic_fetch_add(&clock_tick, 1) + 1);
            pthread_rwlock_wrlock(&lock);
            /* Another thread may have stored the same answer meanwhile: replace it. */
            for (struct entry **link = &buckets[k->hash % BUCKETS]; *link; link = &(*link)->next) {
                struct entry *old = *link;
                if (old->hash == k->hash && old->version == version && old->key_len == k->len &&
                    memcmp(old->key, k->text, k->len) == 0) {
                    entry_drop_locked(link);
                    break;
                }
            }
            evict_locked(version, len);
            e->next = buckets[k->hash % BUCKETS];
            buckets[k->hash % BUCKETS] = e;
            entries++;
            bytes += len;
            pthread_rwlock_unlock(&lock);
        } else {
            free(e);
            free(key);
        }
    }
    if (!reply_with(rp, b))
        rp->status = 500;
}

void cache_keep(struct reply *rp, const struct cache_key *k, uint64_t version,
                const char *metrics) {
    if (rp->status != 200 || rp->response)
        return;
    char *text;
    size_t len;
    if (rp->json) {
        /* The same serialisation send_reply would use. */
        text = json_dumps(rp->json, JSON_COMPACT | JSON_REAL_PRECISION(15));
        if (!text)
            return;
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
