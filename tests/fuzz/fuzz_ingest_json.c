/* Fuzzes the JSON submission reader end to end in domain: the bytes as a document
 * (jansson, duplicates refused, as the server reads it), its top level, each
 * observation, then the row checks against a small catalogue. A row that passes has a
 * canonical value that parses and fits its unit; every error has a code; nothing the
 * reader hands on outlives the document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/ingest.h"
#include "domain/ingest_json.h"

static void check(int ok) {
    if (!ok)
        abort();
}

static const struct ingest_metric metrics[] = {
    {"a.count", "a", UNIT_COUNT, PERIOD_MONTHLY, {"sex"}, 1},
    {"a.gbp", "a", UNIT_GBP, PERIOD_MONTHLY, {{0}}, 0},
    {"a.pct", "a", UNIT_PERCENT, PERIOD_QUARTERLY, {{0}}, 0},
    {"a.rate", "a", UNIT_RATE_PER_1000, PERIOD_ANNUAL, {{0}}, 0},
};
static const char areas[][16] = {"E08000025", "E08000026"};
static const struct ingest_category categories[] = {{"sex", "female"}, {"sex", "male"}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    json_error_t err;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    if (!doc)
        return 0;
    struct ingest_catalogue c = {.metrics = metrics,
                                 .nmetrics = 4,
                                 .areas = areas,
                                 .nareas = 2,
                                 .categories = categories,
                                 .ncategories = 2,
                                 .today_month_index = 2026 * 12};
    struct ingest_errors errs = {0};
    struct ingest_json_envelope env;
    bool ok = ingest_json_read_envelope(doc, &env, &errs);
    check(ok == (errs.n == 0));
    for (int i = 0; i < errs.n; i++)
        check(errs.items[i].code && errs.items[i].message[0]);
    json_t *rows = ok ? env.observations : json_is_array(doc) ? doc : NULL;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        ingest_errors_clear(&errs);
        struct ingest_json_row in;
        if (!ingest_json_read_row(row, &in, &errs)) {
            check(errs.n > 0 || errs.lost > 0);
            continue;
        }
        struct ingest_checked out;
        bool good = ingest_check_row(&c, &in.raw, &out);
        check(good == (out.nerrors == 0));
        for (int k = 0; k < out.nerrors; k++)
            check(out.errors[k].code && out.errors[k].message[0]);
        if (good && !in.raw.del) {
            double v;
            check(value_parse(out.value, &v, NULL, 0));
            check(value_check(out.metric->unit, v, NULL, 0) == NULL);
            check(v * v * 1e6 < 1e300); /* the warnings' sums of squares stay finite */
        }
    }
    ingest_errors_free(&errs);
    json_decref(doc);
    return 0;
}
