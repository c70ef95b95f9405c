/* JSON-lines logging. Messages are escaped through jansson so a partner's text can
 * never break the line structure; the access line, written on every request, is built
 * by hand into one buffer with the same escaping, and stdout is flushed by a timer. */
#include "log.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/calendar.h"

#define FLUSH_MS 1000

struct line {
    char buf[2048];
    size_t n;
};

static pthread_t flusher;
static pthread_mutex_t flush_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flush_wake = PTHREAD_COND_INITIALIZER;
static bool flushing;

static void write_line(FILE *f, json_t *j);
static json_t *safe_string(const char *s);

static void write_line(FILE *f, json_t *j) {
    char ts[80];
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000);
    json_object_set_new(j, "ts", json_string(ts));
    char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    if (line) {
        /* One fputs per line: stdio locks the stream, so lines never interleave. */
        fprintf(f, "%s\n", line);
        free(line);
    }
    json_decref(j);
}

/* Paths come from clients: keep printable ASCII, mark anything else, cap the length. */
static json_t *safe_string(const char *s) {
    char out[512];
    size_t n = 0;
    for (; s && *s && n < sizeof out - 1; s++)
        out[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
    out[n] = '\0';
    return json_string(out);
}

void log_event(const char *level, const char *event, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    write_line(stderr, json_pack("{s:s, s:s, s:o}", "level", level, "event", event, "msg",
                                 safe_string(msg)));
}

static void put(struct line *l, const char *s) {
    size_t n = strlen(s);
    if (l->n + n < sizeof l->buf) {
        memcpy(l->buf + l->n, s, n);
        l->n += n;
    }
}

/* A JSON string body as safe_string makes it: printable ASCII, '?' for anything else,
 * at most cap characters, quote and backslash escaped. */
static void put_safe(struct line *l, const char *s, size_t cap) {
    /* Most text needs nothing: copy the run of plain characters at once. */
    size_t plain = 0;
    while (s && plain < cap && s[plain] >= 0x20 && s[plain] < 0x7f && s[plain] != '"' &&
           s[plain] != '\\')
        plain++;
    if (plain && l->n + plain + 2 < sizeof l->buf) {
        memcpy(l->buf + l->n, s, plain);
        l->n += plain;
        s += plain;
        cap -= plain;
    }
    for (size_t i = 0; s && s[i] && i < cap && l->n + 2 < sizeof l->buf; i++) {
        char c = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
        if (c == '"' || c == '\\')
            l->buf[l->n++] = '\\';
        l->buf[l->n++] = c;
    }
}

/* n in decimal, at least width digits (zero-padded). The access line is written on
 * every request: by hand, as printf's format parsing cost more than the rest of the
 * line (perf, make bench). */
static void put_uint(struct line *l, unsigned long long n, int width) {
    char buf[24];
    char *p = buf + sizeof buf;
    do {
        *--p = (char)('0' + n % 10);
        n /= 10;
        width--;
    } while (n || width > 0);
    size_t len = (size_t)(buf + sizeof buf - p);
    if (l->n + len < sizeof l->buf) {
        memcpy(l->buf + l->n, p, len);
        l->n += len;
    }
}

/* Milliseconds to the microsecond, as a JSON number: "12.5", "0.042", "3.0" (a whole
 * number keeps its ".0", as jansson writes a real). */
static void put_ms(struct line *l, double seconds) {
    unsigned long long us = seconds > 0 ? (unsigned long long)(seconds * 1e6 + 0.5) : 0;
    put_uint(l, us / 1000, 1);
    unsigned frac = (unsigned)(us % 1000);
    char digits[4] = {(char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                      (char)('0' + frac % 10), '\0'};
    int keep = frac == 0 ? 1 : frac % 100 == 0 ? 1 : frac % 10 == 0 ? 2 : 3;
    digits[keep] = '\0';
    put(l, ".");
    put(l, digits);
}

void log_access(const char *method, const char *path, const char *route, int status, double seconds,
                const char *key_id, unsigned long long bytes) {
    struct line l = {.n = 0};
    put(&l, "{\"level\":\"info\",\"event\":\"request\",\"method\":\"");
    put_safe(&l, method, 32);
    put(&l, "\",\"path\":\"");
    put_safe(&l, path, 511);
    put(&l, "\",\"status\":");
    put_uint(&l, status > 0 ? (unsigned long long)status : 0, 1);
    put(&l, ",\"ms\":");
    put_ms(&l, seconds);
    put(&l, ",\"bytes\":");
    put_uint(&l, bytes, 1);
    if (route) {
        put(&l, ",\"route\":\"");
        put_safe(&l, route, 200);
        put(&l, "\"");
    }
    if (key_id) {
        put(&l, ",\"key\":\"");
        put_safe(&l, key_id, 64);
        put(&l, "\"");
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char day[11];
    calendar_day_text((int64_t)now.tv_sec, day);
    long s = (long)(now.tv_sec % 86400);
    put(&l, ",\"ts\":\"");
    put(&l, day);
    put(&l, "T");
    put_uint(&l, (unsigned long long)(s / 3600), 2);
    put(&l, ":");
    put_uint(&l, (unsigned long long)(s / 60 % 60), 2);
    put(&l, ":");
    put_uint(&l, (unsigned long long)(s % 60), 2);
    put(&l, ".");
    put_uint(&l, (unsigned long long)(now.tv_nsec / 1000000), 3);
    put(&l, "Z\"}\n");
    /* One fwrite per line: stdio locks the stream, so lines never interleave. */
    fwrite(l.buf, 1, l.n, stdout);
}

static void *flusher_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&flush_lock);
    while (flushing) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += FLUSH_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&flush_wake, &flush_lock, &until);
        fflush(stdout);
    }
    pthread_mutex_unlock(&flush_lock);
    return NULL;
}

void log_start(void) {
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    flushing = true;
    if (pthread_create(&flusher, NULL, flusher_main, NULL) != 0) {
        flushing = false;
        setvbuf(stdout, NULL, _IOLBF, 0);
    }
}

void log_stop(void) {
    pthread_mutex_lock(&flush_lock);
    bool was = flushing;
    flushing = false;
    pthread_cond_signal(&flush_wake);
    pthread_mutex_unlock(&flush_lock);
    if (was)
        pthread_join(flusher, NULL);
    fflush(stdout);
}
