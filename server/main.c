/* wellbeingd: serve (the default), migrate, key create, routes. Configuration comes
 * from the environment and flags (config.c); SIGTERM or SIGINT stops a server
 * cleanly: no new connections, in-flight requests finish, exit 0. */
#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/auth.h"
#include "config.h"
#include "store/db.h"
#include "http/request.h"
#include "http/daemon.h"
#include "log.h"
#include "store/migrate.h"
#include "http/routes.h"
#include "stats.h"
#include "usage.h"

static int cmd_serve(void);
static int cmd_key_create(int argc, char **argv);
static int cmd_routes(void);
static void usage(void);

static void usage(void) {
    fprintf(stderr,
            "usage: wellbeingd [serve]                 serve until SIGTERM/SIGINT\n"
            "       wellbeingd migrate                 apply sql/migrations, then the seed\n"
            "       wellbeingd key create --name NAME --scopes read,submit,admin "
            "[--partner CODE]\n"
            "       wellbeingd routes                  print the route table\n\n");
    config_usage();
}

static int cmd_serve(void) {
    /* Signals are taken by sigwait in this thread alone; every thread started after
     * this inherits the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (!stats_init(routes_count, routes_label)) {
        log_error("start", "out of memory setting up the request counters");
        return 1;
    }
    db_set_timeouts(g_config.statement_timeout_ms, g_config.lock_timeout_ms,
                    g_config.ingest_statement_timeout_ms);
    if (!db_init(g_config.database_url, g_config.database_read_url, g_config.db_pool,
                 g_config.db_wait_ms)) {
        log_error("start", "could not set up the database pool");
        return 1;
    }
    usage_start();
    log_start();
    if (!http_start()) {
        log_stop();
        usage_stop();
        db_shutdown();
        return 1;
    }
    log_info("start", "serving on http://%s with %d threads, %d database connections, reads %s, %s",
             g_config.listen, g_config.threads, g_config.db_pool,
             g_config.public_read ? "open" : "keyed",
             db_replica_configured() ? "reads from the replica" : "reads from the primary");
    int sig = 0;
    sigwait(&stop, &sig);
    log_info("stop", "signal %d: finishing in-flight requests", sig);
    http_stop();
    log_stop();
    usage_stop();
    db_shutdown();
    log_info("stop", "stopped");
    return 0;
}

static int cmd_key_create(int argc, char **argv) {
    const char *name = NULL, *scopes = NULL, *partner = NULL;
    for (int i = 0; i < argc; i++) {
        const char **dst = strcmp(argv[i], "--name") == 0      ? &name
                           : strcmp(argv[i], "--scopes") == 0  ? &scopes
                           : strcmp(argv[i], "--partner") == 0 ? &partner
                                                               : NULL;
        if (!dst || i + 1 >= argc) {
            fprintf(stderr, "key create: unexpected \"%s\"\n", argv[i]);
            usage();
            return 2;
        }
        *dst = argv[++i];
    }
    unsigned bits = scopes ? auth_scopes_parse(scopes) : 0;
    if (!name || !*name || !bits) {
        fprintf(stderr, "key create: needs --name and --scopes from read,submit,admin\n");
        return 2;
    }
    char why[512];
    struct db_conn *db = db_connect_alone(g_config.database_url, 10, why, sizeof why);
    if (!db) {
        fprintf(stderr, "key create: cannot connect to the database: %s", why);
        return 1;
    }
    char key[128];
    json_t *id = NULL, *created_at = NULL;
    struct db_error e;
    enum auth_made made =
        auth_key_create(db, name, scopes, partner, key, sizeof key, &id, &created_at, &e);
    int rc = 0;
    if (made == AUTH_NO_RANDOMNESS) {
        fprintf(stderr, "key create: no randomness available\n");
        rc = 1;
    } else if (made == AUTH_NOT_STORED) {
        if (strcmp(e.sqlstate, "23503") == 0)
            fprintf(stderr, "key create: no partner \"%s\"\n", partner);
        else if (strcmp(e.sqlstate, "23514") == 0)
            fprintf(stderr, "key create: a submit key needs --partner (or the admin scope)\n");
        else
            fprintf(stderr, "key create: the key could not be stored (sqlstate %s)\n",
                    e.sqlstate[0] ? e.sqlstate : "none");
        rc = 1;
    } else {
        fprintf(stderr, "key create: key %s made; it is shown once, below\n",
                json_string_value(id));
        printf("%s\n", key);
    }
    OPENSSL_cleanse(key, sizeof key);
    json_decref(id);
    json_decref(created_at);
    db_disconnect_alone(db);
    return rc;
}

static int cmd_routes(void) {
    for (int i = 0; i < routes_count; i++)
        printf("%s\n", routes[i].label);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!config_load(&argc, argv)) {
        usage();
        return 2;
    }
    const char *cmd = argc > 1 ? argv[1] : "serve";
    int rc;
    if (strcmp(cmd, "serve") == 0)
        rc = cmd_serve();
    else if (strcmp(cmd, "migrate") == 0)
        rc = migrate_run(g_config.database_url, g_config.data_dir);
    else if (strcmp(cmd, "key") == 0 && argc > 2 && strcmp(argv[2], "create") == 0)
        rc = cmd_key_create(argc - 3, argv + 3);
    else if (strcmp(cmd, "routes") == 0)
        rc = cmd_routes();
    else if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0) {
        usage();
        rc = 0;
    } else {
        fprintf(stderr, "wellbeingd: unknown command \"%s\"\n", cmd);
        usage();
        rc = 2;
    }
    config_free();
    return rc;
}
