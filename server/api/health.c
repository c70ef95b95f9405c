/* Liveness, readiness, the Prometheus page and the OpenAPI document. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_util.h"
#include "config.h"
#include "http/problem.h"
#include "log.h"
#include "stats.h"
#include "store/db_oversight.h"

static char *openapi_text;
static size_t openapi_len;
static pthread_once_t openapi_once = PTHREAD_ONCE_INIT;

static void openapi_load(void);

void api_get_healthz(struct request *rq, struct reply *rp) {
    (void)rq;
    api_reply_json_take(rp, 200, json_pack("{s:s}", "status", "ok"));
    rp->no_etag = true;
}

void api_get_readyz(struct request *rq, struct reply *rp) {
    rp->no_etag = true;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    if (db_oversight_ping(db))
        api_reply_json_take(rp, 200, json_pack("{s:s, s:s}", "status", "ready", "database", "ok"));
    else {
        problem_reply(rp, 503, "the database is not answering");
        reply_header(rp, "Retry-After", "5");
    }
}

void api_get_prometheus(struct request *rq, struct reply *rp) {
    (void)rq;
    struct strbuf out;
    strbuf_init(&out);
    stats_render(&out);
    size_t len;
    char *body = out.failed ? NULL : strbuf_take(&out, &len);
    if (!body) {
        strbuf_free(&out);
        api_no_memory(rp);
        return;
    }
    reply_body(rp, 200, "text/plain; version=0.0.4; charset=utf-8", body, len);
    rp->no_etag = true;
}

/* The spec is read once from data_dir/openapi/openapi.json and kept. */
static void openapi_load(void) {
    char path[4096];
    snprintf(path, sizeof path, "%s/openapi/openapi.json", g_config.data_dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        log_error("openapi", "cannot open %s", path);
        return;
    }
    struct strbuf b;
    strbuf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        strbuf_append(&b, chunk, n);
    fclose(f);
    openapi_text = strbuf_take(&b, &openapi_len);
}

void api_get_openapi(struct request *rq, struct reply *rp) {
    (void)rq;
    pthread_once(&openapi_once, openapi_load);
    if (!openapi_text) {
        problem_reply(rp, 500, "the OpenAPI document is missing from this installation");
        return;
    }
    char *copy = malloc(openapi_len + 1);
    if (!copy) {
        api_no_memory(rp);
        return;
    }
    memcpy(copy, openapi_text, openapi_len + 1);
    reply_body(rp, 200, "application/json", copy, openapi_len);
    rp->no_etag = true;
}
