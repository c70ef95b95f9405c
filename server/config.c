/* Configuration. Each setting has an environment variable and a --flag of the same
 * name (WELLBEING_MAX_BODY and --max-body); a flag wins. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct config g_config;

enum kind { K_STR, K_INT, K_SIZE, K_LONG, K_BOOL };

struct setting {
    const char *flag;
    const char *env;
    enum kind kind;
    void *target;
    long min, max;
    const char *help;
};

static bool set_value(const struct setting *s, const char *value);
static char *find_data_dir(void);

static const struct setting settings[] = {
    {"--database-url", "WELLBEING_DATABASE_URL", K_STR, &g_config.database_url, 0, 0,
     "libpq connection string or URI (libpq defaults)"},
    {"--database-read-url", "WELLBEING_DATABASE_READ_URL", K_STR, &g_config.database_read_url, 0, 0,
     "a streaming replica for reads; without one every read goes to the primary (none)"},
    {"--replica-wait-ms", "WELLBEING_REPLICA_WAIT_MS", K_INT, &g_config.replica_wait_ms, 0, 10000,
     "longest wait for the replica to reach a Min-Data-Version before the primary answers "
     "(200)"},
    {"--listen", "WELLBEING_LISTEN", K_STR, &g_config.listen, 0, 0,
     "address to serve on (127.0.0.1:8080)"},
    {"--threads", "WELLBEING_THREADS", K_INT, &g_config.threads, 1, 256,
     "worker threads (number of cores)"},
    {"--public-read", "WELLBEING_PUBLIC_READ", K_BOOL, &g_config.public_read, 0, 1,
     "1: reads need no key; 0: reads need a read key (1)"},
    {"--cors-origins", "WELLBEING_CORS_ORIGINS", K_STR, &g_config.cors_origins, 0, 0,
     "dashboard origins allowed by CORS, comma-separated (none)"},
    {"--max-body", "WELLBEING_MAX_BODY", K_SIZE, &g_config.max_body, 1024, 1L << 30,
     "largest request body in bytes (16777216)"},
    {"--max-rows", "WELLBEING_MAX_ROWS", K_LONG, &g_config.max_rows, 1, 10000000,
     "most rows in one submission (100000)"},
    {"--db-pool", "WELLBEING_DB_POOL", K_INT, &g_config.db_pool, 1, 1000,
     "database connections (workers + submit workers + 1)"},
    {"--db-wait-ms", "WELLBEING_DB_WAIT_MS", K_INT, &g_config.db_wait_ms, 1, 60000,
     "longest wait for a free connection before 503 (2000)"},
    {"--statement-timeout-ms", "WELLBEING_STATEMENT_TIMEOUT_MS", K_INT,
     &g_config.statement_timeout_ms, 1, 3600000,
     "longest a database statement may run before it is cancelled and a 503 sent (5000)"},
    {"--lock-timeout-ms", "WELLBEING_LOCK_TIMEOUT_MS", K_INT, &g_config.lock_timeout_ms, 1, 3600000,
     "longest wait for a row or table lock before a 503 (2000)"},
    {"--ingest-statement-timeout-ms", "WELLBEING_INGEST_STATEMENT_TIMEOUT_MS", K_INT,
     &g_config.ingest_statement_timeout_ms, 1, 3600000,
     "statement limit, and wait for the other writers, inside a submission's write transaction "
     "(120000)"},
    {"--workers", "WELLBEING_WORKERS", K_INT, &g_config.workers, 1, 256,
     "threads doing reads' database work, off the event loop (2 x threads)"},
    {"--submit-workers", "WELLBEING_SUBMIT_WORKERS", K_INT, &g_config.submit_workers, 1, 64,
     "threads applying submissions, apart from reads (2)"},
    {"--queue", "WELLBEING_QUEUE", K_INT, &g_config.queue_limit, 1, 100000,
     "most requests waiting for a read worker before a 503 (256)"},
    {"--submit-queue", "WELLBEING_SUBMIT_QUEUE", K_INT, &g_config.submit_queue_limit, 1, 10000,
     "most submissions waiting for a submission worker before a 503 (8)"},
    {"--submit-wait-ms", "WELLBEING_SUBMIT_WAIT_MS", K_INT, &g_config.submit_wait_ms, 1, 3600000,
     "longest a submission waits for a submission worker before a 503 (60000)"},
    {"--header-timeout", "WELLBEING_HEADER_TIMEOUT", K_INT, &g_config.header_timeout_s, 1, 3600,
     "seconds for a request line and headers to arrive in full (10)"},
    {"--body-timeout", "WELLBEING_BODY_TIMEOUT", K_INT, &g_config.body_timeout_s, 1, 3600,
     "seconds a body may take before the minimum rate applies (20)"},
    {"--body-min-rate", "WELLBEING_BODY_MIN_RATE", K_INT, &g_config.body_min_rate, 1, 1 << 30,
     "bytes a second a body must keep up after its first seconds (500)"},
    {"--conn-limit", "WELLBEING_CONN_LIMIT", K_INT, &g_config.conn_limit, 1, 100000,
     "most open client connections, capped by the open-file limit (4096)"},
    {"--per-ip-limit", "WELLBEING_PER_IP_LIMIT", K_INT, &g_config.per_ip_limit, 1, 100000,
     "most open connections from one address (32)"},
    {"--timeout", "WELLBEING_TIMEOUT", K_INT, &g_config.timeout_s, 1, 3600,
     "idle connection timeout in seconds (30)"},
    {"--refused-excerpt", "WELLBEING_REFUSED_EXCERPT", K_SIZE, &g_config.refused_excerpt, 0,
     1L << 30, "body bytes kept with a refused submission's receipt (65536)"},
    {"--small-count", "WELLBEING_SMALL_COUNT", K_INT, &g_config.small_count_max, 0, 1000,
     "open reads hide breakdown counts from 1 to this (4)"},
    {"--data-dir", "WELLBEING_DATA_DIR", K_STR, &g_config.data_dir, 0, 0,
     "folder holding sql/, openapi/ and dashboard/ (nearest folder above the binary with sql/)"},
    {"--access-log", "WELLBEING_ACCESS_LOG", K_BOOL, &g_config.access_log, 0, 1,
     "1: one JSON line per request on stdout (1)"},
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

static bool set_value(const struct setting *s, const char *value) {
    char *end;
    switch (s->kind) {
    case K_STR: {
        char **dst = s->target;
        free(*dst);
        *dst = strdup(value);
        return *dst != NULL;
    }
    case K_BOOL:
        if (strcmp(value, "1") == 0 || strcmp(value, "true") == 0) {
            *(bool *)s->target = true;
            return true;
        }
        if (strcmp(value, "0") == 0 || strcmp(value, "false") == 0) {
            *(bool *)s->target = false;
            return true;
        }
        break;
    default: {
        long v = strtol(value, &end, 10);
        if (*value && !*end && v >= s->min && v <= s->max) {
            if (s->kind == K_INT)
                *(int *)s->target = (int)v;
            else if (s->kind == K_SIZE)
                *(size_t *)s->target = (size_t)v;
            else
                *(long *)s->target = v;
            return true;
        }
    }
    }
    fprintf(stderr, "wellbeingd: %s (%s) cannot be \"%s\"", s->env, s->flag, value);
    if (s->kind == K_BOOL)
        fprintf(stderr, ": use 1 or 0\n");
    else if (s->kind != K_STR)
        fprintf(stderr, ": use a whole number from %ld to %ld\n", s->min, s->max);
    else
        fprintf(stderr, "\n");
    return false;
}

/* The nearest folder above the binary that holds sql/migrations: the project for
 * build/wellbeingd and build/asan/wellbeingd, the install prefix in the image. */
static char *find_data_dir(void) {
    char path[PATH_MAX], probe[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0) {
        path[n] = '\0';
        for (char *slash = strrchr(path, '/'); slash; slash = strrchr(path, '/')) {
            *slash = '\0';
            snprintf(probe, sizeof probe, "%s/sql/migrations", path[0] ? path : "");
            if (access(probe, R_OK | X_OK) == 0)
                return strdup(path[0] ? path : "/");
        }
    }
    return strdup(".");
}

bool config_load(int *argc, char **argv) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    g_config = (struct config){
        .threads = cores > 0 ? (int)cores : 2,
        .public_read = true,
        .max_body = 16u << 20,
        .max_rows = 100000,
        .db_wait_ms = 2000,
        .replica_wait_ms = 200,
        .submit_workers = 2,
        .queue_limit = 256,
        .submit_queue_limit = 8,
        .submit_wait_ms = 60000,
        .statement_timeout_ms = 5000,
        .lock_timeout_ms = 2000,
        .ingest_statement_timeout_ms = 120000,
        .header_timeout_s = 10,
        .body_timeout_s = 20,
        .body_min_rate = 500,
        .conn_limit = 4096,
        .per_ip_limit = 32,
        .timeout_s = 30,
        .small_count_max = 4,
        .refused_excerpt = 65536,
        .access_log = true,
    };
    g_config.listen = strdup("127.0.0.1:8080");
    g_config.database_url = strdup("");
    g_config.database_read_url = strdup("");
    g_config.cors_origins = strdup("");
    for (size_t i = 0; i < NSETTINGS; i++) {
        const char *v = getenv(settings[i].env);
        if (v && *v && !set_value(&settings[i], v))
            return false;
    }
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *arg = argv[i];
        const struct setting *match = NULL;
        const char *value = NULL;
        for (size_t k = 0; k < NSETTINGS && !match; k++) {
            size_t fl = strlen(settings[k].flag);
            if (strncmp(arg, settings[k].flag, fl) == 0 && (arg[fl] == '\0' || arg[fl] == '=')) {
                match = &settings[k];
                value = arg[fl] == '=' ? arg + fl + 1 : NULL;
            }
        }
        if (!match) {
            argv[out++] = argv[i];
            continue;
        }
        if (!value) {
            if (i + 1 >= *argc) {
                fprintf(stderr, "wellbeingd: %s needs a value\n", match->flag);
                return false;
            }
            value = argv[++i];
        }
        if (!set_value(match, value))
            return false;
    }
    *argc = out;
    argv[out] = NULL;
    if (!g_config.workers)
        g_config.workers = g_config.threads * 2;
    /* One connection per worker, so a worker never waits for one, and one for the usage
     * counters' flush. */
    if (!g_config.db_pool)
        g_config.db_pool = g_config.workers + g_config.submit_workers + 1;
    if (!g_config.data_dir)
        g_config.data_dir = find_data_dir();
    return true;
}

void config_usage(void) {
    fprintf(stderr, "settings (environment variable, flag: meaning):\n");
    for (size_t i = 0; i < NSETTINGS; i++)
        fprintf(stderr, "  %-24s %-16s %s\n", settings[i].env, settings[i].flag, settings[i].help);
}

void config_free(void) {
    free(g_config.database_url);
    free(g_config.database_read_url);
    free(g_config.listen);
    free(g_config.cors_origins);
    free(g_config.data_dir);
}
