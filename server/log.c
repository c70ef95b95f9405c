/* JSON-lines logging. Messages are escaped through jansson so a partner's text can
 * never break the line structure. */
#include "log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

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

void log_access(const char *method, const char *path, const char *route, int status,
                double seconds, const char *key_id, unsigned long long bytes) {
    json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:i, s:f, s:I}", "level", "info", "event",
                          "request", "method", safe_string(method), "path", safe_string(path),
                          "status", status, "ms", seconds * 1000.0, "bytes", (json_int_t)bytes);
    if (!j)
        return;
    if (route)
        json_object_set_new(j, "route", json_string(route));
    if (key_id)
        json_object_set_new(j, "key", json_string(key_id));
    write_line(stdout, j);
}
