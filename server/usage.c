/* Usage counters: a small open-addressing table of metric codes for the current day,
 * swapped out under a mutex and written set-based by the flusher. */
#include "usage.h"

#include <pthread.h>
#include <stdatomic.h>
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

void usage_count_list(const char *metrics) {
    char day[11], code[sizeof table[0].metric];
    if (!metrics || !*metrics)
        return;
    /* On the cached read path: the day once, the lock once (calendar_day_text, unlike
     * gmtime_r, takes no lock of its own). */
    calendar_day_text((int64_t)time(NULL), day);
    pthread_mutex_lock(&lock);
    for (const char *p = metrics; *p;) {
        size_t n = strcspn(p, ",");
        if (n && n < sizeof code) {
            memcpy(code, p, n);
            code[n] = '\0';
            add_locked(code, day, 1);
        }
        p += n + (p[n] == ',');
    }
    pthread_mutex_unlock(&lock);
}

void usage_flush(struct db_conn *c) {
    static struct slot pending[SLOTS];
    static pthread_mutex_t flush_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&flush_lock);
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
