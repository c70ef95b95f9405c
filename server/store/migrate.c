/* Migrations: sql/migrations/NNN_name.sql applied in name order, each in its own
 * transaction and recorded in schema_migrations. Then the seed (the .sql files of sql/seed, in
 * order, one transaction), skipped when its files are byte-for-byte the ones last
 * applied, so running migrate twice changes nothing. An advisory lock keeps two
 * migrates from racing. */
#include "store/migrate.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/strbuf.h"

#define MIGRATE_LOCK_ID "727274001"

struct file_list {
    char **names;
    int n;
};

static bool read_file(const char *path, struct strbuf *out);
static bool list_sql(const char *dir, struct file_list *out);
static void list_free(struct file_list *l);
static bool exec_ok(PGconn *pg, const char *sql, const char *what);
static int cmp_names(const void *a, const void *b);
static bool migrate_bootstrap(PGconn *pg);
static bool migrate_apply_all(PGconn *pg, const char *data_dir, int *applied);
static bool migrate_seed(PGconn *pg, const char *data_dir, int *nfiles);

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool read_file(const char *path, struct strbuf *out) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        strbuf_append(out, chunk, n);
    bool ok = !ferror(f) && !out->failed;
    fclose(f);
    return ok;
}

static bool list_sql(const char *dir, struct file_list *out) {
    out->names = NULL;
    out->n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return false;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0 || e->d_name[0] == '.')
            continue;
        char **grown = realloc(out->names, sizeof *grown * (size_t)(out->n + 1));
        if (!grown)
            break;
        out->names = grown;
        out->names[out->n++] = strdup(e->d_name);
    }
    closedir(d);
    if (out->n > 1)
        qsort(out->names, (size_t)out->n, sizeof *out->names, cmp_names);
    return true;
}

static void list_free(struct file_list *l) {
    for (int i = 0; i < l->n; i++)
        free(l->names[i]);
    free(l->names);
}

static bool exec_ok(PGconn *pg, const char *sql, const char *what) {
    PGresult *r = PQexec(pg, sql);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
    if (!ok)
        fprintf(stderr, "migrate: %s failed: %s", what, PQerrorMessage(pg));
    PQclear(r);
    return ok;
}

/* The bookkeeping tables, under the advisory lock that keeps two migrators apart. */
static bool migrate_bootstrap(PGconn *pg) {
    return exec_ok(pg, "SELECT pg_advisory_lock(" MIGRATE_LOCK_ID ")", "lock") &&
           exec_ok(pg,
                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   "    version text PRIMARY KEY,"
                   "    applied_at timestamptz NOT NULL DEFAULT now());"
                   "CREATE TABLE IF NOT EXISTS seed_state ("
                   "    id int PRIMARY KEY CHECK (id = 1),"
                   "    sha256 text NOT NULL,"
                   "    applied_at timestamptz NOT NULL DEFAULT now())",
                   "bootstrap");
}

/* Each migration not yet recorded, in name order, in a transaction of its own with
 * its record; *applied counts them. */
static bool migrate_apply_all(PGconn *pg, const char *data_dir, int *applied) {
    char dir[4096], path[4600];
    struct file_list files = {0};
    struct strbuf sql;
    strbuf_init(&sql);
    bool ok = true;
    snprintf(dir, sizeof dir, "%s/sql/migrations", data_dir);
    if (!list_sql(dir, &files)) {
        fprintf(stderr, "migrate: no folder %s\n", dir);
        ok = false;
    }
    for (int i = 0; ok && i < files.n; i++) {
        const char *params[] = {files.names[i]};
        PGresult *r = PQexecParams(pg,
                                   "SELECT 1"
                                   " FROM schema_migrations"
                                   " WHERE version = $1",
                                   1, NULL, params, NULL, NULL, 0);
        bool done_before = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
        PQclear(r);
        if (done_before)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, files.names[i]);
        strbuf_reset(&sql);
        if (!read_file(path, &sql)) {
            fprintf(stderr, "migrate: cannot read %s\n", path);
            ok = false;
            break;
        }
        ok = exec_ok(pg, "BEGIN", "begin") && exec_ok(pg, sql.data ? sql.data : "", files.names[i]);
        if (!ok)
            break;
        r = PQexecParams(pg, "INSERT INTO schema_migrations (version) VALUES ($1)", 1, NULL, params,
                         NULL, NULL, 0);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        ok = ok && exec_ok(pg, "COMMIT", "commit");
        if (ok) {
            fprintf(stderr, "migrate: applied %s\n", files.names[i]);
            (*applied)++;
        }
    }
    list_free(&files);
    strbuf_free(&sql);
    return ok;
}

/* The seed: every file, hashed together; applied (and the data version bumped, since
 * the seed may change figures every cache holds) only when the hash is new. *nfiles is
 * the number of files applied, 0 when the seed was unchanged. */
static bool migrate_seed(PGconn *pg, const char *data_dir, int *nfiles) {
    char dir[4096], path[4600];
    struct file_list files = {0};
    struct strbuf sql;
    strbuf_init(&sql);
    bool ok = true;
    *nfiles = 0;
    snprintf(dir, sizeof dir, "%s/sql/seed", data_dir);
    if (!list_sql(dir, &files)) {
        fprintf(stderr, "migrate: no folder %s\n", dir);
        ok = false;
    }
    for (int i = 0; ok && i < files.n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files.names[i]);
        if (!read_file(path, &sql)) {
            fprintf(stderr, "migrate: cannot read %s\n", path);
            ok = false;
        }
        strbuf_puts(&sql, "\n;\n");
    }
    unsigned char digest[32];
    unsigned int dlen = 32;
    char hex[65];
    EVP_Digest(sql.data ? sql.data : "", sql.len, digest, &dlen, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    const char *hp[] = {hex};
    bool seeded = false;
    if (ok) {
        PGresult *r = PQexecParams(pg, "SELECT 1 FROM seed_state WHERE sha256 = $1", 1, NULL, hp,
                                   NULL, NULL, 0);
        seeded = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
        PQclear(r);
    }
    if (ok && !seeded) {
        ok = exec_ok(pg, "BEGIN", "begin") && exec_ok(pg, sql.data ? sql.data : "", "seed");
        if (ok) {
            PGresult *r = PQexecParams(pg,
                                       "INSERT INTO seed_state (id, sha256)"
                                       " VALUES (1, $1)"
                                       " ON CONFLICT (id) DO UPDATE"
                                       " SET sha256 = excluded.sha256, applied_at = now()",
                                       1, NULL, hp, NULL, NULL, 0);
            ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            PQclear(r);
        }
        ok = ok && exec_ok(pg, "UPDATE data_version SET version = version + 1", "data version") &&
             exec_ok(pg, "COMMIT", "commit");
        if (ok)
            *nfiles = files.n;
    }
    list_free(&files);
    strbuf_free(&sql);
    return ok;
}

int migrate_run(const char *conninfo, const char *data_dir) {
    const char *keys[] = {"dbname", "connect_timeout", NULL};
    const char *vals[] = {conninfo, "10", NULL};
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(pg) != CONNECTION_OK) {
        fprintf(stderr, "migrate: cannot connect to the database: %s", PQerrorMessage(pg));
        PQfinish(pg);
        return 1;
    }
    PQclear(PQexec(pg, "SET client_min_messages = warning"));
    int applied = 0, seed_files = 0;
    bool ok = migrate_bootstrap(pg) && migrate_apply_all(pg, data_dir, &applied) &&
              migrate_seed(pg, data_dir, &seed_files);
    if (!ok)
        PQclear(PQexec(pg, "ROLLBACK"));
    else if (seed_files)
        fprintf(stderr, "migrate: %d migration(s) applied; seed applied (%d file(s))\n", applied,
                seed_files);
    else
        fprintf(stderr, "migrate: %d migration(s) applied; seed unchanged\n", applied);
    PQfinish(pg);
    return ok ? 0 : 1;
}
