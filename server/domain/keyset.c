/* Open addressing on a 64-bit FNV-1a hash, keys copied into one arena so a 100,000
 * row batch makes two allocations that grow, not 100,000. */
#include "keyset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

struct entry {
    uint64_t hash;
    size_t offset; /* into arena: key bytes, then NUL */
    size_t len;
    long ref;
    bool used;
};

struct keyset {
    struct entry *slots;
    size_t cap, count;
    struct strbuf arena;
};

static uint64_t hash_bytes(const char *s, size_t n);
static bool grow(struct keyset *s);

static uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

struct keyset *keyset_new(size_t expected) {
    struct keyset *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cap = 64;
    while (s->cap < expected * 2)
        s->cap *= 2;
    s->slots = calloc(s->cap, sizeof *s->slots);
    if (!s->slots) {
        free(s);
        return NULL;
    }
    strbuf_init(&s->arena);
    return s;
}

void keyset_free(struct keyset *s) {
    if (!s)
        return;
    free(s->slots);
    strbuf_free(&s->arena);
    free(s);
}

static bool grow(struct keyset *s) {
    size_t cap = s->cap * 2;
    struct entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slots[i].used)
            continue;
        size_t k = s->slots[i].hash & (cap - 1);
        while (slots[k].used)
            k = (k + 1) & (cap - 1);
        slots[k] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    return true;
}

long keyset_add(struct keyset *s, const char *key, size_t len, long ref) {
    if ((s->count + 1) * 2 > s->cap && !grow(s))
        return -2;
    uint64_t h = hash_bytes(key, len);
    size_t k = h & (s->cap - 1);
    while (s->slots[k].used) {
        struct entry *e = &s->slots[k];
        if (e->hash == h && e->len == len && memcmp(s->arena.data + e->offset, key, len) == 0)
            return e->ref;
        k = (k + 1) & (s->cap - 1);
    }
    size_t offset = s->arena.len;
    if (!strbuf_append(&s->arena, key, len) || !strbuf_putc(&s->arena, '\0'))
        return -2;
    s->slots[k] = (struct entry){h, offset, len, ref, true};
    s->count++;
    return -1;
}
