/* Usage counters: a small open-addressing table of metric codes for the current day,
 * swapped out under a mutex and written set-based by the flusher. */
#include "usage.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "domain/calendar.h"
#include "log.h"
#include "store/db.h"
#include "store/db_oversight.h"

#define SLOTS 512
#define FLUSH_SECONDS 5

struct slot {
    char metric[72];
    char day[11];
    unsigned long count;
};

static struct slot table[SLOTS];

/* Cached reads count whole metric lists into a lane of their own thread (see
 * usage_count_list); a flush drains every lane into the table first. */
#define LANE_SLOTS 64
#define LANE_LIST_MAX 1024

struct lane_slot {
    const char *ptr; /* the list counted, as the cache handed it over */
    char list[LANE_LIST_MAX];
    char day[11];
    unsigned long count; /* 0: the slot is free */
};

struct lane {
    pthread_mutex_t lock; /* taken by its own thread on every count, by a flush rarely */
    struct lane_slot slots[LANE_SLOTS];
    bool taken; /* a live thread counts into it (under lanes_lock) */
    struct lane *next;
};

static struct lane *lanes;
static pthread_mutex_t lanes_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t lane_key;
static pthread_once_t lane_key_once = PTHREAD_ONCE_INIT;
static bool lane_key_made;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_t flusher;
static bool running;

static void *flusher_main(void *arg);
static unsigned hash(const char *s);
static void add_locked(const char *metric, const char *day, unsigned long n);

static unsigned hash(const char *s) {
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Adds n reads; the caller holds the lock. A full table drops the count (logged
 * nowhere: 512 metric-days between flushes is far past the catalogue's size). */
static void add_locked(const char *metric, const char *day, unsigned long n) {
    for (unsigned i = 0, h = hash(metric); i < SLOTS; i++) {
        struct slot *s = &table[(h + i) % SLOTS];
        if (s->count && strcmp(s->metric, metric) == 0 && strcmp(s->day, day) == 0) {
            s->count += n;
            return;
        }
        if (!s->count) {
            strcpy(s->metric, metric);
            strcpy(s->day, day);
            s->count = n;
            return;
        }
    }
}

void usage_count(const char *metric) {
    if (!metric || strlen(metric) >= sizeof table[0].metric)
        return;
    char day[11];
    calendar_day_text((int64_t)time(NULL), day);
    pthread_mutex_lock(&lock);
    add_locked(metric, day, 1);
    pthread_mutex_unlock(&lock);
}

/* The global table under its lock, for a list the calling thread's lane cannot hold. */
static void count_list_locked(const char *metrics, const char *day, unsigned long n) {
    char code[sizeof table[0].metric];
    for (const char *p = metrics; *p;) {
        size_t len = strcspn(p, ",");
        if (len && len < sizeof code) {
            memcpy(code, p, len);
            code[len] = '\0';
            add_locked(code, day, n);
        }
        p += len + (p[len] == ',');
    }
}

/* A thread that ends hands its lane on: its counts stay for the next flush, and the
 * next new thread counts on into it, so lanes are never more than threads at once. */
static void lane_release(void *arg) {
    struct lane *l = arg;
    pthread_mutex_lock(&lanes_lock);
    l->taken = false;
    pthread_mutex_unlock(&lanes_lock);
}

static void lane_key_make(void) {
    lane_key_made = pthread_key_create(&lane_key, lane_release) == 0;
}

/* The calling thread's lane, taken on its first cached read; NULL when it cannot be. */
static struct lane *my_lane(void) {
    static _Thread_local struct lane *mine;
    if (mine)
        return mine;
    pthread_once(&lane_key_once, lane_key_make);
    if (!lane_key_made)
        return NULL;
    pthread_mutex_lock(&lanes_lock);
    struct lane *l = lanes;
    while (l && l->taken)
        l = l->next;
    if (!l) {
        l = calloc(1, sizeof *l);
        if (!l || pthread_mutex_init(&l->lock, NULL) != 0) {
            free(l);
            pthread_mutex_unlock(&lanes_lock);
            return NULL;
        }
        l->next = lanes;
        lanes = l;
    }
    l->taken = true;
    pthread_mutex_unlock(&lanes_lock);
    if (pthread_setspecific(lane_key, l) != 0) {
        lane_release(l);
        return NULL;
    }
    mine = l;
    return l;
}

void usage_count_list(const char *metrics) {
    char day[11];
    if (!metrics || !*metrics)
        return;
    /* On the cached read path: the day once (calendar_day_text, unlike gmtime_r, takes
     * no lock of its own), then one count for the whole list in this thread's lane:
     * no lock another serving thread takes, no hashing of each code. The lists come
     * from the cache's bodies, so the same pointer comes back read after read; its text
     * is compared too, since a freed list's address may be reused for another. */
    calendar_day_text((int64_t)time(NULL), day);
    struct lane *l = my_lane();
    if (l) {
        size_t len = strlen(metrics);
        uintptr_t h = ((uintptr_t)metrics >> 4) * 2654435761u;
        pthread_mutex_lock(&l->lock);
        for (unsigned i = 0; len < LANE_LIST_MAX && i < LANE_SLOTS; i++) {
            struct lane_slot *s = &l->slots[(h + i) % LANE_SLOTS];
            if (!s->count) {
                s->ptr = metrics;
                memcpy(s->list, metrics, len + 1);
                memcpy(s->day, day, sizeof day);
                s->count = 1;
                pthread_mutex_unlock(&l->lock);
                return;
            }
            if (s->ptr == metrics && memcmp(s->day, day, sizeof day) == 0 &&
                strcmp(s->list, metrics) == 0) {
                s->count++;
                pthread_mutex_unlock(&l->lock);
                return;
            }
        }
        pthread_mutex_unlock(&l->lock);
    }
    pthread_mutex_lock(&lock);
    count_list_locked(metrics, day, 1);
    pthread_mutex_unlock(&lock);
}

/* Every lane's counts into the global table (the caller holds neither lock). */
static void drain_lanes(void) {
    pthread_mutex_lock(&lanes_lock);
    for (struct lane *l = lanes; l; l = l->next) {
        pthread_mutex_lock(&l->lock);
        pthread_mutex_lock(&lock);
        for (int i = 0; i < LANE_SLOTS; i++)
            if (l->slots[i].count)
                count_list_locked(l->slots[i].list, l->slots[i].day, l->slots[i].count);
        pthread_mutex_unlock(&lock);
        memset(l->slots, 0, sizeof l->slots);
        pthread_mutex_unlock(&l->lock);
    }
    pthread_mutex_unlock(&lanes_lock);
}

void usage_flush(struct db_conn *c) {
    static struct slot pending[SLOTS];
    static pthread_mutex_t flush_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&flush_lock);
    drain_lanes();
    pthread_mutex_lock(&lock);
    memcpy(pending, table, sizeof table);
    memset(table, 0, sizeof table);
    pthread_mutex_unlock(&lock);
    json_t *rows = json_array();
    size_t count = 0;
    for (int i = 0; i < SLOTS; i++) {
        if (!pending[i].count)
            continue;
        count++;
        json_array_append_new(rows,
                              json_pack("{s:s, s:s, s:I}", "metric", pending[i].metric, "day",
                                        pending[i].day, "reads", (json_int_t)pending[i].count));
    }
    if (count) {
        /* A row lost to a failed allocation keeps every count back for the next flush. */
        char *text = json_array_size(rows) == count ? json_dumps(rows, JSON_COMPACT) : NULL;
        if (!text || !db_oversight_add_reads(c, text)) {
            /* Put the counts back so an outage loses nothing. */
            pthread_mutex_lock(&lock);
            for (int i = 0; i < SLOTS; i++)
                if (pending[i].count)
                    add_locked(pending[i].metric, pending[i].day, pending[i].count);
            pthread_mutex_unlock(&lock);
        }
        free(text);
    }
    json_decref(rows);
    pthread_mutex_unlock(&flush_lock);
}

static void *flusher_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    while (running) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += FLUSH_SECONDS;
        pthread_cond_timedwait(&wake, &lock, &until);
        pthread_mutex_unlock(&lock);
        struct db_conn *c = db_acquire();
        if (c) {
            usage_flush(c);
            db_release(c);
        }
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

void usage_start(void) {
    running = true;
    if (pthread_create(&flusher, NULL, flusher_main, NULL) != 0)
        running = false;
}

void usage_stop(void) {
    pthread_mutex_lock(&lock);
    bool was = running;
    running = false;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    if (was)
        pthread_join(flusher, NULL);
    struct db_conn *c = db_acquire();
    if (c) {
        usage_flush(c);
        db_release(c);
    }
}
