/* Run-time configuration: environment variables, overridden by matching --flags. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config {
    char *database_url;       /* WELLBEING_DATABASE_URL: libpq conninfo or URI */
    char *database_read_url;  /* WELLBEING_DATABASE_READ_URL: a streaming replica, or "" */
    int replica_wait_ms;      /* WELLBEING_REPLICA_WAIT_MS: Min-Data-Version wait for the replica */
    char *listen;             /* WELLBEING_LISTEN: host:port, [v6]:port */
    int threads;              /* WELLBEING_THREADS: worker threads (default: cores) */
    bool public_read;         /* WELLBEING_PUBLIC_READ: reads without a key */
    char *cors_origins;       /* WELLBEING_CORS_ORIGINS: comma-separated, or * */
    size_t max_body;          /* WELLBEING_MAX_BODY: bytes */
    long max_rows;            /* WELLBEING_MAX_ROWS: rows per submission */
    int db_pool;              /* WELLBEING_DB_POOL: connections (default 2 x threads) */
    int db_wait_ms;           /* WELLBEING_DB_WAIT_MS: longest wait for a connection */
    int statement_timeout_ms; /* WELLBEING_STATEMENT_TIMEOUT_MS */
    int lock_timeout_ms;      /* WELLBEING_LOCK_TIMEOUT_MS */
    int ingest_statement_timeout_ms; /* WELLBEING_INGEST_STATEMENT_TIMEOUT_MS */
    int workers;                     /* WELLBEING_WORKERS: database worker threads for reads */
    int submit_workers;              /* WELLBEING_SUBMIT_WORKERS: worker threads for submissions */
    int queue_limit;                 /* WELLBEING_QUEUE: most requests waiting for a read worker */
    int submit_queue_limit;          /* WELLBEING_SUBMIT_QUEUE: most submissions waiting */
    int header_timeout_s;            /* WELLBEING_HEADER_TIMEOUT: request line + headers, seconds */
    int body_timeout_s;              /* WELLBEING_BODY_TIMEOUT: a body's first stretch, seconds */
    int body_min_rate;               /* WELLBEING_BODY_MIN_RATE: bytes a second after that */
    int submit_wait_ms;     /* WELLBEING_SUBMIT_WAIT_MS: longest a submission waits its turn */
    int conn_limit;         /* WELLBEING_CONN_LIMIT */
    int per_ip_limit;       /* WELLBEING_PER_IP_LIMIT */
    int timeout_s;          /* WELLBEING_TIMEOUT: idle connection timeout, seconds */
    int small_count_max;    /* WELLBEING_SMALL_COUNT: breakdown counts 1..N suppressed */
    size_t refused_excerpt; /* WELLBEING_REFUSED_EXCERPT: body bytes a refused receipt keeps */
    char *data_dir;         /* WELLBEING_DATA_DIR: holds sql/, openapi/, dashboard/ */
    bool access_log;        /* WELLBEING_ACCESS_LOG: one JSON line per request */
};

extern struct config g_config;

/* Fills g_config from the environment then argv (flags are removed from argv).
 * Returns false with a message on stderr for a bad value. */
bool config_load(int *argc, char **argv);
void config_usage(void);
void config_free(void);

#endif
