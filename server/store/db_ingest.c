/* Submissions in the database. A batch is streamed with COPY into a temporary staging
 * table and applied by set-based statements in one transaction, so 100,000 rows cost a
 * handful of round trips, not 100,000. */
#include "store/db_ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store/db.h"
#include "store/db_ingest_checks.h"

#define COPY_CHUNK (1 << 20)

static bool exec_ok(struct db_conn *db, const char *sql);
static bool copy_rows(struct db_conn *db, const struct strbuf *rows);

/* ---- the catalogue snapshot ---- */

/* One row of a snapshot query into one element of an array. */
typedef void (*snapshot_fill)(void *elem, PGresult *r, int i);

static void fill_metric(void *elem, PGresult *r, int i);
static void fill_area(void *elem, PGresult *r, int i);
static void fill_category(void *elem, PGresult *r, int i);
static void fill_grant(void *elem, PGresult *r, int i);
static void fill_lock(void *elem, PGresult *r, int i);
static bool load_rows(struct db_conn *db, const struct db_stmt *s, const char *const *params,
                      size_t elem_size, snapshot_fill fill, void **out, int *n);

static void fill_metric(void *elem, PGresult *r, int i) {
    struct ingest_metric *m = elem;
    snprintf(m->code, sizeof m->code, "%s", PQgetvalue(r, i, 0));
    snprintf(m->programme, sizeof m->programme, "%s", PQgetvalue(r, i, 1));
    value_unit_parse(PQgetvalue(r, i, 2), &m->unit);
    period_freq_parse(PQgetvalue(r, i, 3), &m->freq);
    for (const char *d = PQgetvalue(r, i, 4); *d && m->ndims < BREAKDOWN_MAX_DIMS;) {
        size_t len = strcspn(d, ",");
        snprintf(m->dims[m->ndims++], sizeof m->dims[0], "%.*s", (int)len, d);
        d += len + (d[len] == ',');
    }
}

static void fill_area(void *elem, PGresult *r, int i) {
    char(*area)[16] = elem;
    snprintf(*area, sizeof *area, "%s", PQgetvalue(r, i, 0));
}

static void fill_category(void *elem, PGresult *r, int i) {
    struct ingest_category *c = elem;
    snprintf(c->dim, sizeof c->dim, "%s", PQgetvalue(r, i, 0));
    snprintf(c->code, sizeof c->code, "%s", PQgetvalue(r, i, 1));
}

static void fill_grant(void *elem, PGresult *r, int i) {
    struct ingest_grant *g = elem;
    snprintf(g->metric, sizeof g->metric, "%s", PQgetvalue(r, i, 0));
    snprintf(g->programme, sizeof g->programme, "%s", PQgetvalue(r, i, 1));
    snprintf(g->area, sizeof g->area, "%s", PQgetvalue(r, i, 2));
}

static void fill_lock(void *elem, PGresult *r, int i) {
    struct ingest_lock *l = elem;
    snprintf(l->metric, sizeof l->metric, "%s", PQgetvalue(r, i, 0));
    snprintf(l->programme, sizeof l->programme, "%s", PQgetvalue(r, i, 1));
    l->month_index = atoi(PQgetvalue(r, i, 2));
}

/* Runs s and fills a new zeroed array (one spare element, so it is never NULL when
 * the query is empty) with a row per element; false after logging a failure, or when
 * the array could not be allocated (reported as a lack of memory). */
static bool load_rows(struct db_conn *db, const struct db_stmt *s, const char *const *params,
                      size_t elem_size, snapshot_fill fill, void **out, int *n) {
    PGresult *r = db_exec(db, s, params);
    if (!db_check(db, r, "ingest catalogue", NULL))
        return false;
    *n = PQntuples(r);
    *out = calloc((size_t)*n + 1, elem_size);
    if (!*out) {
        db_note_no_memory(db);
        PQclear(r);
        return false;
    }
    for (int i = 0; i < *n; i++)
        fill((char *)*out + (size_t)i * elem_size, r, i);
    PQclear(r);
    return true;
}

bool db_ingest_snapshot(struct db_conn *db, const char *partner, struct ingest_snapshot *out) {
    static const struct db_stmt metrics = {
        "ingest_metrics",
        "SELECT m.code, m.programme, m.unit, m.frequency,"
        "       coalesce(string_agg(d.dimension, ',' ORDER BY d.dimension), '')"
        " FROM metrics m"
        " LEFT JOIN metric_dimensions d ON d.metric = m.code"
        " WHERE m.active"
        " GROUP BY m.code"
        " ORDER BY m.code COLLATE \"C\"",
        0};
    static const struct db_stmt areas = {"ingest_areas",
                                         "SELECT code"
                                         " FROM areas"
                                         " ORDER BY code COLLATE \"C\"",
                                         0};
    static const struct db_stmt categories = {
        "ingest_categories",
        "SELECT dimension, code"
        " FROM dimension_categories"
        " ORDER BY dimension COLLATE \"C\", code COLLATE \"C\"",
        0};
    static const struct db_stmt grants = {
        "ingest_grants",
        "SELECT coalesce(metric, ''), coalesce(programme, ''), area"
        " FROM partner_grants"
        " WHERE partner = $1",
        1};
    static const struct db_stmt locks = {"ingest_locks",
                                         "SELECT coalesce(metric, ''), coalesce(programme, ''),"
                                         "       extract(year FROM period_start)::int * 12"
                                         "       + extract(month FROM period_start)::int - 1"
                                         " FROM period_locks",
                                         0};
    const char *partner_params[] = {partner};
    memset(out, 0, sizeof *out);
    struct ingest_catalogue *cat = &out->cat;
    bool ok = load_rows(db, &metrics, NULL, sizeof *out->metrics, fill_metric,
                        (void **)&out->metrics, &cat->nmetrics) &&
              load_rows(db, &areas, NULL, sizeof *out->areas, fill_area, (void **)&out->areas,
                        &cat->nareas) &&
              load_rows(db, &categories, NULL, sizeof *out->categories, fill_category,
                        (void **)&out->categories, &cat->ncategories) &&
              (!partner || load_rows(db, &grants, partner_params, sizeof *out->grants, fill_grant,
                                     (void **)&out->grants, &cat->ngrants)) &&
              load_rows(db, &locks, NULL, sizeof *out->locks, fill_lock, (void **)&out->locks,
                        &cat->nlocks);
    cat->metrics = out->metrics;
    cat->areas = (const char(*)[16])out->areas;
    cat->categories = out->categories;
    cat->grants = out->grants;
    cat->locks = out->locks;
    return ok;
}

void db_ingest_snapshot_free(struct ingest_snapshot *s) {
    free(s->metrics);
    free(s->areas);
    free(s->categories);
    free(s->grants);
    free(s->locks);
    memset(s, 0, sizeof *s);
}

/* ---- applying a batch ---- */

static bool exec_ok(struct db_conn *db, const char *sql) {
    PGresult *r = db_exec_sql(db, sql);
    bool ok = db_ok(r);
    if (!ok)
        db_log_failure("ingest", r);
    PQclear(r);
    return ok;
}

static bool copy_rows(struct db_conn *db, const struct strbuf *rows) {
    PGconn *pg = db_pg(db);
    PGresult *r = db_exec_sql(db, "COPY ingest_stage (idx, metric, area, period_start, "
                                  "breakdown_key, breakdown, value, lower_ci, upper_ci, status, "
                                  "note, del, keep_lower, keep_upper, keep_status, keep_note) "
                                  "FROM STDIN");
    bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    for (size_t off = 0; ok && off < rows->len; off += COPY_CHUNK) {
        size_t n = rows->len - off < COPY_CHUNK ? rows->len - off : COPY_CHUNK;
        ok = PQputCopyData(pg, rows->data + off, (int)n) == 1;
    }
    if (PQputCopyEnd(pg, ok ? NULL : "client failed while sending") != 1)
        ok = false;
    while ((r = db_next_result(db)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            db_log_failure("ingest copy", r);
            ok = false;
        }
        PQclear(r);
    }
    return ok;
}

/* The staged rows beside what is stored for the same cells, with what the row leaves
 * out (keep_*) taken from the stored figure: a correction keeps its note, status and
 * limits unless it sends them. A row is "same" when nothing a reader sees would change,
 * so a re-sent figure writes no history; a change of note or status alone is a change. */
#define STAGE_CURRENT                                                                              \
    "SELECT e.*,"                                                                                  \
    "       (e.existed"                                                                            \
    "        AND e.old_value = e.value"                                                            \
    "        AND e.old_lower IS NOT DISTINCT FROM e.lower_ci"                                      \
    "        AND e.old_upper IS NOT DISTINCT FROM e.upper_ci"                                      \
    "        AND e.old_status = e.status"                                                          \
    "        AND e.old_note IS NOT DISTINCT FROM e.note) AS same"                                  \
    " FROM (SELECT s.idx, s.metric, s.area, s.period_start, s.breakdown_key, s.breakdown,"         \
    "              s.value, s.del,"                                                                \
    "              CASE WHEN s.keep_lower THEN o.lower_ci ELSE s.lower_ci END AS lower_ci,"        \
    "              CASE WHEN s.keep_upper THEN o.upper_ci ELSE s.upper_ci END AS upper_ci,"        \
    "              CASE WHEN s.keep_status THEN coalesce(o.status, s.status)"                      \
    "                   ELSE s.status END AS status,"                                              \
    "              CASE WHEN s.keep_note THEN o.note ELSE s.note END AS note,"                     \
    "              o.value AS old_value, o.status AS old_status, o.lower_ci AS old_lower,"         \
    "              o.upper_ci AS old_upper, o.note AS old_note,"                                   \
    "              (o.metric IS NOT NULL) AS existed"                                              \
    "       FROM ingest_stage s"                                                                   \
    "       LEFT JOIN observations o"                                                              \
    "         ON o.metric = s.metric AND o.area = s.area"                                          \
    "        AND o.period_start = s.period_start AND o.breakdown_key = s.breakdown_key) e"

/* The phases of db_ingest_apply, in order. Each returns false after logging; the
 * caller rolls back. */
static enum ingest_outcome apply_begin(struct db_conn *db, const struct ingest_meta *meta,
                                       uint64_t *version);
static bool apply_stage(struct db_conn *db, const struct strbuf *rows);
static bool apply_reasons(struct db_conn *db, const struct ingest_meta *meta, json_t **errors);
static bool apply_write(struct db_conn *db, const struct ingest_meta *meta,
                        struct ingest_counts *counts);
static bool apply_warnings(struct db_conn *db, json_t *warnings);
static bool apply_finish(struct db_conn *db, const struct ingest_meta *meta,
                         const struct ingest_counts *counts, json_t *warnings);

/* BEGIN, the version bump, then the submission row (its unique Idempotency-Key is what
 * tells a concurrent duplicate). */
static enum ingest_outcome apply_begin(struct db_conn *db, const struct ingest_meta *meta,
                                       uint64_t *version) {
    static const struct db_stmt insert_submission = {
        "ingest_submission_insert",
        "INSERT INTO submissions (id, partner, api_key, format, idempotency_key, body_sha256,"
        "                         dry_run, status, http_status, row_count, reason, payload)"
        " VALUES ($1, $2, $3, $4, $5, decode($6, 'hex'), $7, 'applied', 201, $8, $9, $10)",
        10};
    char rows_text[24];
    snprintf(rows_text, sizeof rows_text, "%ld", meta->rows);
    const char *sub[] = {meta->id,
                         meta->partner,
                         meta->key_id,
                         meta->format,
                         meta->idempotency_key,
                         meta->body_sha256_hex,
                         meta->dry_run ? "true" : "false",
                         rows_text,
                         meta->reason,
                         meta->payload};
    /* For this transaction only: work_mem, as at the default 4 MB the staged rows
     * joined to their cells, the triggers' transition tables and the warnings' sort of
     * a 100,000-row batch all spilled to temporary files (EXPLAIN (ANALYZE, BUFFERS):
     * temp read and written on every phase); no JIT, which compiled the warnings query
     * for 2.7 s to run it in 0.3 s (auto_explain of make bench-ingest). */
    if (!exec_ok(db, "BEGIN; SET LOCAL work_mem = '64MB'; SET LOCAL jit = off"))
        return INGEST_DB_FAILED;
    /* COPY and the upsert of 100,000 rows take seconds, not the milliseconds of a read:
     * this transaction alone gets the long statement limit (and, below, a long wait for
     * the writers' lock; every other lock keeps the lock limit). */
    if (!db_allow_long_statements(db))
        return INGEST_DB_FAILED;
    /* Bumping the version first takes the data_version row lock for the whole write, so
     * writers commit one after another, and each row's updated_at (clock_timestamp(),
     * read after the lock) is later than every row of every write committed before it.
     * A partner mirroring with updatedAfter= therefore never skips a row: with the
     * transaction's start time, a long write could commit rows stamped earlier than
     * rows the partner had already seen. */
    /* That lock is held by writers only, for as long as their write takes: a submission
     * (on its own worker lane) queues for it up to the long limit rather than the lock
     * limit, which still bounds every other lock it waits for. */
    if (!db_wait_long_for_locks(db, true) || !db_bump_version(db, version) ||
        !db_wait_long_for_locks(db, false))
        return INGEST_DB_FAILED;
    PGresult *r = db_exec(db, &insert_submission, sub);
    if (db_ok(r)) {
        PQclear(r);
        return INGEST_APPLIED;
    }
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    bool duplicate = state && strcmp(state, "23505") == 0;
    if (!duplicate)
        db_log_failure("ingest submission", r);
    PQclear(r);
    return duplicate ? INGEST_DUPLICATE_KEY : INGEST_DB_FAILED;
}

/* The batch into a temporary table, by COPY. */
static bool apply_stage(struct db_conn *db, const struct strbuf *rows) {
    /* The staging table needs no ANALYZE: never analysed, it is estimated from its
     * size. */
    return exec_ok(db, "CREATE TEMP TABLE IF NOT EXISTS ingest_stage ("
                       "    idx bigint NOT NULL, metric text NOT NULL, area text NOT NULL,"
                       "    period_start date NOT NULL, breakdown_key text NOT NULL,"
                       "    breakdown jsonb NOT NULL, value numeric, lower_ci numeric,"
                       "    upper_ci numeric, status text NOT NULL, note text,"
                       "    del boolean NOT NULL, keep_lower boolean NOT NULL,"
                       "    keep_upper boolean NOT NULL, keep_status boolean NOT NULL,"
                       "    keep_note boolean NOT NULL)"
                       " ON COMMIT DELETE ROWS") &&
           copy_rows(db, rows);
}

/* A final figure changes only with a reason (the submission's or the row's): *errors
 * lists the rows that would, or stays NULL. */
static bool apply_reasons(struct db_conn *db, const struct ingest_meta *meta, json_t **errors) {
    static const struct db_stmt needs_reason = {"ingest_needs_reason",
                                                "SELECT c.idx, c.metric, c.area, c.old_value"
                                                " FROM (" STAGE_CURRENT ") c"
                                                " WHERE c.existed"
                                                "   AND c.old_status = 'final'"
                                                "   AND (c.del OR NOT c.same)"
                                                "   AND coalesce($1, '') = ''"
                                                " ORDER BY c.idx"
                                                " LIMIT 1000",
                                                1};
    const char *reason[] = {meta->reason};
    PGresult *r = db_exec(db, &needs_reason, reason);
    if (!db_check(db, r, "ingest reason check", NULL))
        return false;
    for (int i = 0; i < PQntuples(r); i++) {
        if (!*errors)
            *errors = json_array();
        json_array_append_new(*errors,
                              json_pack("{s:I, s:s, s:s, s:s++}", "row",
                                        (json_int_t)atoll(PQgetvalue(r, i, 0)), "field", "value",
                                        "code", "reason_required", "message",
                                        "the stored figure for ", PQgetvalue(r, i, 1),
                                        " is final: send a reason "
                                        "(\"reason\" in the body or ?reason=) to change it"));
    }
    PQclear(r);
    return true;
}

/* History, then the figures themselves, in one statement over the staged rows. */
static bool apply_write(struct db_conn *db, const struct ingest_meta *meta,
                        struct ingest_counts *counts) {
    static const struct db_stmt apply = {
        "ingest_apply",
        "WITH cur AS MATERIALIZED (" STAGE_CURRENT "),"
        /* Each history row carries the whole figure it leaves (for asOf) and what it
         * replaced, stamped like updated_at (clock_timestamp(), after the version lock). */
        " hist AS ("
        "    INSERT INTO observation_history (metric, area, period_start, breakdown_key,"
        "                                     breakdown, action, old_value, new_value,"
        "                                     old_status, new_status, old_lower, new_lower,"
        "                                     old_upper, new_upper, old_note, new_note,"
        "                                     partner, submission_id, reason, lock_override,"
        "                                     changed_at)"
        "    SELECT metric, area, period_start, breakdown_key, breakdown,"
        "           CASE WHEN del THEN 'delete' WHEN existed THEN 'update' ELSE 'create' END,"
        "           old_value, CASE WHEN del THEN NULL ELSE value END,"
        "           old_status, CASE WHEN del THEN NULL ELSE status END,"
        "           old_lower, CASE WHEN del THEN NULL ELSE lower_ci END,"
        "           old_upper, CASE WHEN del THEN NULL ELSE upper_ci END,"
        "           old_note, CASE WHEN del THEN NULL ELSE note END,"
        "           $1, $2, $3, $4, clock_timestamp()"
        "    FROM cur"
        "    WHERE (del AND existed) OR (NOT del AND NOT same)"
        "    RETURNING 1),"
        /* New cells by plain INSERT and changed ones by UPDATE, rather than one upsert:
         * the upsert's speculative insertion probed the key once more for every row
         * (0.5 s of 100,000 in make bench-ingest). cur saw every committed row, and
         * writers run one at a time (apply_begin), so no cell cur missed can appear
         * meanwhile; if one did, the INSERT's unique key refuses the batch. */
        " ins AS ("
        "    INSERT INTO observations (metric, area, period_start, breakdown_key, breakdown,"
        "                              value, lower_ci, upper_ci, status, note, submission_id,"
        "                              partner, updated_at)"
        "    SELECT metric, area, period_start, breakdown_key, breakdown, value, lower_ci,"
        "           upper_ci, status, note, $2, $1, clock_timestamp()"
        "    FROM cur"
        "    WHERE NOT del AND NOT existed"
        "    RETURNING 1),"
        " upd AS ("
        "    UPDATE observations o"
        "    SET value = cur.value, lower_ci = cur.lower_ci, upper_ci = cur.upper_ci,"
        "        status = cur.status, note = cur.note, submission_id = $2, partner = $1,"
        "        updated_at = clock_timestamp()"
        "    FROM cur"
        "    WHERE NOT cur.del AND cur.existed AND NOT cur.same"
        "      AND o.metric = cur.metric AND o.area = cur.area"
        "      AND o.period_start = cur.period_start AND o.breakdown_key = cur.breakdown_key"
        "    RETURNING 1),"
        " gone AS ("
        "    DELETE FROM observations o"
        "    USING cur"
        "    WHERE cur.del AND cur.existed"
        "      AND o.metric = cur.metric AND o.area = cur.area"
        "      AND o.period_start = cur.period_start AND o.breakdown_key = cur.breakdown_key"
        "    RETURNING 1)"
        " SELECT count(*) FILTER (WHERE NOT del AND NOT existed),"
        "        count(*) FILTER (WHERE NOT del AND existed AND NOT same),"
        "        count(*) FILTER (WHERE (NOT del AND same) OR (del AND NOT existed)),"
        "        count(*) FILTER (WHERE del AND existed),"
        "        (SELECT count(*) FROM hist) + (SELECT count(*) FROM ins)"
        "        + (SELECT count(*) FROM upd) + (SELECT count(*) FROM gone)"
        " FROM cur",
        4};
    const char *ap[] = {meta->partner, meta->id, meta->reason,
                        meta->lock_override ? "true" : "false"};
    PGresult *r = db_exec(db, &apply, ap);
    if (!db_check(db, r, "ingest apply", NULL))
        return false;
    counts->created = atol(PQgetvalue(r, 0, 0));
    counts->updated = atol(PQgetvalue(r, 0, 1));
    counts->unchanged = atol(PQgetvalue(r, 0, 2));
    counts->deleted = atol(PQgetvalue(r, 0, 3));
    PQclear(r);
    /* After a big load the statistics of observations lag (autovacuum comes later) and
     * the planner then probes the wrong index, here and in the next batch (measured:
     * 10.8 s instead of under 1 s for 100,000 rows). ANALYZE samples, and counts this
     * transaction's own rows. Only new cells move the statistics that matter (the
     * table's size and its key's distribution): a batch of updates leaves them, and
     * the key and updated_at are the columns the ingest and the feeds plan on;
     * autovacuum's own ANALYZE of every column follows such a load anyway. */
    return counts->created <= 10000 ||
           exec_ok(db, "ANALYZE observations (metric, area, breakdown_key, period_start, "
                       "updated_at)");
}

/* Warnings never block. total_fell: a running total below the figure of the period
 * before. unusual_value: more than 5 standard deviations from the mean of the series'
 * other figures, when there are at least 6 of them (leave-one-out, so the value cannot
 * hide its own outlier). */
static bool apply_warnings(struct db_conn *db, json_t *warnings) {
    static const struct db_stmt warn = {
        "ingest_warnings",
        /* Each series read by its key (the LATERAL, kept apart by OFFSET 0, is one
         * index range per series, in the key's order) and numbered, so the windows
         * sort by a number and a date. Joined as a whole instead, the unanalysed
         * staging table misled the planner into a nested loop that compared every
         * figure with every metric, and text sorts under the database's collation:
         * 0.9 s CPU of 100,000 rows, now 0.3 s, the same warnings. */
        "WITH series AS MATERIALIZED ("
        "    SELECT row_number() OVER () AS sid, d.metric, d.area, d.breakdown_key, m.kind"
        "    FROM (SELECT DISTINCT metric, area, breakdown_key FROM ingest_stage WHERE NOT del) d"
        "    JOIN metrics m ON m.code = d.metric),"
        " vals AS ("
        "    SELECT s.metric, s.area, s.breakdown_key, o.period_start, o.v, s.kind,"
        "           lag(o.v) OVER w AS prev, sum(o.v) OVER p AS s1, sum(o.v * o.v) OVER p AS s2,"
        "           count(*) OVER p AS n"
        "    FROM series s"
        "    CROSS JOIN LATERAL (SELECT x.period_start, x.value::float8 AS v FROM observations x"
        "                        WHERE x.metric = s.metric AND x.area = s.area"
        "                          AND x.breakdown_key = s.breakdown_key OFFSET 0) o"
        "    WINDOW w AS (PARTITION BY s.sid ORDER BY o.period_start), p AS (PARTITION BY s.sid)),"
        " scored AS ("
        "    SELECT *, (s1 - v) / NULLIF(n - 1, 0) AS mean,"
        "           sqrt(greatest(((s2 - v * v) - (s1 - v) * (s1 - v) / NULLIF(n - 1, 0))"
        "                         / NULLIF(n - 2, 0), 0)) AS sd"
        "    FROM vals)"
        " SELECT s.idx,"
        "        CASE WHEN c.kind = 'stock' AND c.v < c.prev THEN 'total_fell'"
        "             ELSE 'unusual_value' END,"
        "        c.v, c.prev, c.mean, c.sd"
        " FROM scored c"
        " JOIN ingest_stage s"
        "   ON s.metric = c.metric AND s.area = c.area AND s.breakdown_key = c.breakdown_key"
        "  AND s.period_start = c.period_start"
        " WHERE NOT s.del"
        "   AND ((c.kind = 'stock' AND c.v < c.prev)"
        "        OR (c.n - 1 >= 6 AND c.sd > 0 AND abs(c.v - c.mean) > 5 * c.sd))"
        " ORDER BY s.idx"
        " LIMIT 1000",
        0};
    PGresult *r = db_exec(db, &warn, NULL);
    if (!db_check(db, r, "ingest warnings", NULL))
        return false;
    for (int i = 0; i < PQntuples(r); i++) {
        char msg[240];
        bool fell = strcmp(PQgetvalue(r, i, 1), "total_fell") == 0;
        if (fell)
            snprintf(msg, sizeof msg,
                     "running total %s is below %s, the figure for the period before; accepted, "
                     "but check it",
                     PQgetvalue(r, i, 2), PQgetvalue(r, i, 3));
        else
            snprintf(msg, sizeof msg,
                     "%s is far outside this series' usual range (mean %.6g, sd %.6g); "
                     "accepted, but check it",
                     PQgetvalue(r, i, 2), strtod(PQgetvalue(r, i, 4), NULL),
                     strtod(PQgetvalue(r, i, 5), NULL));
        json_array_append_new(warnings, json_pack("{s:I, s:s, s:s}", "row",
                                                  (json_int_t)atoll(PQgetvalue(r, i, 0)), "code",
                                                  PQgetvalue(r, i, 1), "message", msg));
    }
    PQclear(r);
    return true;
}

/* The receipt's counts and warnings on the submission row, then COMMIT. */
static bool apply_finish(struct db_conn *db, const struct ingest_meta *meta,
                         const struct ingest_counts *counts, json_t *warnings) {
    static const struct db_stmt finish = {"ingest_submission_finish",
                                          "UPDATE submissions"
                                          " SET counts = $2::jsonb, warnings = $3::jsonb"
                                          " WHERE id = $1",
                                          3};
    json_t *jc = db_ingest_counts_json(counts);
    char *counts_text = jc ? json_dumps(jc, JSON_COMPACT) : NULL;
    char *warnings_text = json_dumps(warnings, JSON_COMPACT);
    json_decref(jc);
    bool ok = counts_text && warnings_text;
    if (ok) {
        const char *fp[] = {meta->id, counts_text, warnings_text};
        PGresult *r = db_exec(db, &finish, fp);
        ok = db_check(db, r, "ingest receipt", NULL);
        if (ok)
            PQclear(r);
    }
    free(counts_text);
    free(warnings_text);
    return ok && exec_ok(db, "COMMIT");
}

/* Responsibility, kept limits and the rules across figures (db_ingest_checks.c), for the
 * whole batch before anything is written: INGEST_REFUSED or INGEST_NOT_RESPONSIBLE with
 * *errors and counts->rejected; rules of severity warning join *warnings. */
static enum ingest_outcome apply_checks(struct db_conn *db, const struct ingest_meta *meta,
                                        struct ingest_counts *counts, json_t **warnings,
                                        json_t **errors) {
    struct ingest_check_result checks;
    if (!db_ingest_check_stage(db, meta->partner, meta->is_admin, &checks))
        return INGEST_DB_FAILED;
    enum ingest_outcome out = INGEST_APPLIED;
    if (json_array_size(checks.errors) > 0) {
        *errors = checks.errors;
        checks.errors = NULL;
        counts->rejected = checks.bad_rows;
        out = checks.all_not_responsible ? INGEST_NOT_RESPONSIBLE : INGEST_REFUSED;
    } else {
        json_array_extend(*warnings, checks.warnings);
    }
    ingest_check_result_free(&checks);
    return out;
}

/* A partner's first figures of a (metric, area) nobody answers for make it theirs. */
static bool apply_claim(struct db_conn *db, const struct ingest_meta *meta) {
    return meta->is_admin || db_ingest_claim_responsibility(db, meta->partner);
}

enum ingest_outcome db_ingest_apply(struct db_conn *db, const struct ingest_meta *meta,
                                    const struct strbuf *rows, struct ingest_counts *counts,
                                    json_t **warnings, json_t **errors, uint64_t *version) {
    *warnings = json_array();
    *errors = NULL;
    memset(counts, 0, sizeof *counts);
    counts->skipped = meta->skipped;
    enum ingest_outcome out = *warnings ? apply_begin(db, meta, version) : INGEST_DB_FAILED;
    if (out == INGEST_APPLIED && !apply_stage(db, rows))
        out = INGEST_DB_FAILED;
    if (out == INGEST_APPLIED)
        out = apply_checks(db, meta, counts, warnings, errors);
    if (out == INGEST_APPLIED && !apply_reasons(db, meta, errors))
        out = INGEST_DB_FAILED;
    else if (out == INGEST_APPLIED && *errors)
        out = INGEST_NEEDS_REASON;
    else if (out == INGEST_APPLIED && (!apply_write(db, meta, counts) || !apply_claim(db, meta) ||
                                       !apply_warnings(db, *warnings)))
        out = INGEST_DB_FAILED;
    else if (out == INGEST_APPLIED && !meta->dry_run && !apply_finish(db, meta, counts, *warnings))
        out = INGEST_DB_FAILED;
    if (out != INGEST_APPLIED || meta->dry_run)
        exec_ok(db, "ROLLBACK"); /* a dry run is applied, measured and then undone */
    else
        db_note_version(*version);
    if (out == INGEST_DB_FAILED) {
        json_decref(*warnings);
        *warnings = NULL;
    }
    return out;
}

json_t *db_ingest_counts_json(const struct ingest_counts *c) {
    json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:I}", "created", (json_int_t)c->created, "updated",
                          (json_int_t)c->updated, "unchanged", (json_int_t)c->unchanged, "deleted",
                          (json_int_t)c->deleted, "rejected", (json_int_t)c->rejected);
    if (j && c->skipped && json_object_set_new(j, "skipped", json_integer(c->skipped))) {
        json_decref(j);
        return NULL;
    }
    return j;
}
