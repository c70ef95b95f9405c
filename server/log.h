/* Structured logs: one JSON object per line. Access lines go to stdout, diagnostics to
 * stderr. Nothing logged ever holds a key, a body or SQL text. */
#ifndef LOG_H
#define LOG_H

void log_event(const char *level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_access(const char *method, const char *path, const char *route, int status, double seconds,
                const char *key_id, unsigned long long bytes);
/* While serving, access lines gather in stdout's buffer and are written at least once a
 * second and at log_stop: one write for many lines, not one per request. */
void log_start(void);
void log_stop(void);

#define log_info(event, ...) log_event("info", event, __VA_ARGS__)
#define log_warn(event, ...) log_event("warn", event, __VA_ARGS__)
#define log_error(event, ...) log_event("error", event, __VA_ARGS__)

#endif
