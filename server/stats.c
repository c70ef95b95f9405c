/* Prometheus text exposition (format 0.0.4) built from atomic counters. */
#include "stats.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "http/cache.h"
#include "http/deadline.h"
#include "http/workers.h"
#include "store/db.h"

static const int status_codes[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
                                   406, 409, 413, 415, 422, 429, 500, 503, 0};
#define NSTATUS (sizeof status_codes / sizeof status_codes[0]) /* last slot: any other */
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,    0.25,  0.5,    1,     2.5,  5};
#define NBUCKETS (sizeof buckets / sizeof buckets[0])

static struct {
    int nroutes; /* plus one row for "no route" */
    const char *(*label)(int);
    atomic_ullong *requests; /* [nroutes+1][NSTATUS] */
    atomic_ullong latency[NBUCKETS + 1];
    atomic_ullong latency_sum_us;
    atomic_ullong latency_count;
    atomic_ullong ingest_applied, ingest_rejected, ingest_dry_run;
    atomic_ullong reads[2]; /* [0] primary, [1] replica */
    atomic_ullong fallbacks[NFALLBACK];
} st;

static void render_databases(struct strbuf *out);

void stats_read_from(bool replica) {
    atomic_fetch_add(&st.reads[replica ? 1 : 0], 1);
}

void stats_replica_fallback(enum stats_fallback why) {
    atomic_fetch_add(&st.fallbacks[why], 1);
}

bool stats_init(int nroutes, const char *(*label)(int)) {
    st.nroutes = nroutes;
    st.label = label;
    st.requests = calloc((size_t)(nroutes + 1) * NSTATUS, sizeof *st.requests);
    return st.requests != NULL;
}

void stats_request(int route_index, int status, double seconds) {
    if (!st.requests)
        return;
    int row = route_index < 0 || route_index >= st.nroutes ? st.nroutes : route_index;
    size_t col = NSTATUS - 1;
    for (size_t i = 0; i + 1 < NSTATUS; i++)
        if (status_codes[i] == status)
            col = i;
    atomic_fetch_add_explicit(&st.requests[(size_t)row * NSTATUS + col], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < NBUCKETS && seconds > buckets[b])
        b++;
    atomic_fetch_add_explicit(&st.latency[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&st.latency_sum_us, (unsigned long long)(seconds * 1e6),
                              memory_order_relaxed);
    atomic_fetch_add_explicit(&st.latency_count, 1, memory_order_relaxed);
}

void stats_ingest_rows(const char *outcome, unsigned long long n) {
    atomic_ullong *c = outcome[0] == 'a'   ? &st.ingest_applied
                       : outcome[0] == 'r' ? &st.ingest_rejected
                                           : &st.ingest_dry_run;
    atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

void stats_render(struct strbuf *out) {
    strbuf_puts(out, "# HELP wellbeing_http_requests_total HTTP requests answered, by route "
                     "pattern and status.\n# TYPE wellbeing_http_requests_total counter\n");
    for (int r = 0; r <= st.nroutes; r++) {
        const char *name = r < st.nroutes ? st.label(r) : "unmatched";
        for (size_t i = 0; i < NSTATUS; i++) {
            unsigned long long v = atomic_load(&st.requests[(size_t)r * NSTATUS + i]);
            if (!v)
                continue;
            char code[8];
            if (status_codes[i])
                snprintf(code, sizeof code, "%d", status_codes[i]);
            else
                snprintf(code, sizeof code, "other");
            strbuf_printf(out, "wellbeing_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
                          name, code, v);
        }
    }
    strbuf_puts(out, "# HELP wellbeing_http_request_duration_seconds Time to answer a request.\n"
                     "# TYPE wellbeing_http_request_duration_seconds histogram\n");
    unsigned long long cum = 0;
    for (size_t b = 0; b <= NBUCKETS; b++) {
        cum += atomic_load(&st.latency[b]);
        if (b < NBUCKETS)
            strbuf_printf(out, "wellbeing_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                          buckets[b], cum);
        else
            strbuf_printf(out, "wellbeing_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                          cum);
    }
    strbuf_printf(out, "wellbeing_http_request_duration_seconds_sum %.6f\n",
                  (double)atomic_load(&st.latency_sum_us) / 1e6);
    strbuf_printf(out, "wellbeing_http_request_duration_seconds_count %llu\n",
                  atomic_load(&st.latency_count));
    render_databases(out);
    strbuf_printf(out,
                  "# HELP wellbeing_ingest_rows_total Submitted rows by outcome.\n"
                  "# TYPE wellbeing_ingest_rows_total counter\n"
                  "wellbeing_ingest_rows_total{outcome=\"applied\"} %llu\n"
                  "wellbeing_ingest_rows_total{outcome=\"rejected\"} %llu\n"
                  "wellbeing_ingest_rows_total{outcome=\"dry_run\"} %llu\n",
                  atomic_load(&st.ingest_applied), atomic_load(&st.ingest_rejected),
                  atomic_load(&st.ingest_dry_run));
    cache_stats_render(out);
    workers_stats_render(out);
    deadline_stats_render(out);
}

/* Each database's pool, whether it answers, its data version; the replica's lag and
 * where reads went. */
static void render_databases(struct strbuf *out) {
    struct db_replica_status rs;
    db_replica_status(&rs);
    int npools = rs.configured ? 2 : 1;
    struct db_pool_stats ps[2];
    for (int i = 0; i < npools; i++)
        db_pool_stats(i == 1, &ps[i]);
    static const char *const names[] = {"primary", "replica"};
    strbuf_puts(out, "# HELP wellbeing_db_pool_connections Database connections by state.\n"
                     "# TYPE wellbeing_db_pool_connections gauge\n");
    for (int i = 0; i < npools; i++)
        strbuf_printf(out,
                      "wellbeing_db_pool_connections{database=\"%s\",state=\"size\"} %d\n"
                      "wellbeing_db_pool_connections{database=\"%s\",state=\"in_use\"} %d\n"
                      "wellbeing_db_pool_connections{database=\"%s\",state=\"connected\"} %d\n",
                      names[i], ps[i].size, names[i], ps[i].in_use, names[i], ps[i].connected);
    strbuf_puts(out, "# HELP wellbeing_db_pool_waits_total Checkouts that had to wait.\n"
                     "# TYPE wellbeing_db_pool_waits_total counter\n");
    for (int i = 0; i < npools; i++)
        strbuf_printf(out, "wellbeing_db_pool_waits_total{database=\"%s\"} %llu\n", names[i],
                      ps[i].waits);
    strbuf_puts(out, "# HELP wellbeing_db_pool_timeouts_total Checkouts that gave up (503).\n"
                     "# TYPE wellbeing_db_pool_timeouts_total counter\n");
    for (int i = 0; i < npools; i++)
        strbuf_printf(out, "wellbeing_db_pool_timeouts_total{database=\"%s\"} %llu\n", names[i],
                      ps[i].timeouts);
    strbuf_puts(out, "# HELP wellbeing_db_connects_total Connections opened.\n"
                     "# TYPE wellbeing_db_connects_total counter\n");
    for (int i = 0; i < npools; i++)
        strbuf_printf(out, "wellbeing_db_connects_total{database=\"%s\"} %llu\n", names[i],
                      ps[i].reconnects);
    uint64_t primary_version = db_known_version();
    strbuf_printf(out,
                  "# HELP wellbeing_db_data_version Data version this process knows (0: unknown).\n"
                  "# TYPE wellbeing_db_data_version gauge\n"
                  "wellbeing_db_data_version %llu\n",
                  (unsigned long long)primary_version);
    /* The primary counts as up while its listener hears it (the version is known). */
    strbuf_printf(out,
                  "# HELP wellbeing_db_up Whether the database answers (primary: its data "
                  "version listener is connected; replica: its watcher's last poll).\n"
                  "# TYPE wellbeing_db_up gauge\n"
                  "wellbeing_db_up{database=\"primary\"} %d\n",
                  primary_version != 0);
    if (!rs.configured)
        return;
    strbuf_printf(
        out,
        "wellbeing_db_up{database=\"replica\"} %d\n"
        "# HELP wellbeing_replica_data_version Data version the replica has replayed, "
        "as last read.\n"
        "# TYPE wellbeing_replica_data_version gauge\n"
        "wellbeing_replica_data_version %llu\n"
        "# HELP wellbeing_replica_lag_seconds How long the replica has been behind the "
        "primary's last announced version (0: level).\n"
        "# TYPE wellbeing_replica_lag_seconds gauge\n"
        "wellbeing_replica_lag_seconds %.3f\n"
        "# HELP wellbeing_replica_behind_versions Data versions the replica has not "
        "replayed yet.\n"
        "# TYPE wellbeing_replica_behind_versions gauge\n"
        "wellbeing_replica_behind_versions %llu\n"
        "# HELP wellbeing_replica_replay_paused 1 while replay is paused on the replica.\n"
        "# TYPE wellbeing_replica_replay_paused gauge\n"
        "wellbeing_replica_replay_paused %d\n"
        "# HELP wellbeing_replica_downs_total Times the replica was found unreachable.\n"
        "# TYPE wellbeing_replica_downs_total counter\n"
        "wellbeing_replica_downs_total %llu\n"
        "# HELP wellbeing_db_reads_total GET requests that read the database, by the "
        "database that answered.\n"
        "# TYPE wellbeing_db_reads_total counter\n"
        "wellbeing_db_reads_total{database=\"primary\"} %llu\n"
        "wellbeing_db_reads_total{database=\"replica\"} %llu\n"
        "# HELP wellbeing_replica_fallbacks_total Reads sent to the primary instead of "
        "the replica: down, behind a Min-Data-Version, or lost mid-request.\n"
        "# TYPE wellbeing_replica_fallbacks_total counter\n"
        "wellbeing_replica_fallbacks_total{reason=\"down\"} %llu\n"
        "wellbeing_replica_fallbacks_total{reason=\"behind\"} %llu\n"
        "wellbeing_replica_fallbacks_total{reason=\"lost\"} %llu\n",
        rs.up, (unsigned long long)rs.version, rs.lag_seconds, (unsigned long long)rs.behind,
        rs.paused, rs.downs, atomic_load(&st.reads[0]), atomic_load(&st.reads[1]),
        atomic_load(&st.fallbacks[FALLBACK_DOWN]), atomic_load(&st.fallbacks[FALLBACK_BEHIND]),
        atomic_load(&st.fallbacks[FALLBACK_LOST]));
}
