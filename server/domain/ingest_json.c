/* Reading JSON observations. Only shapes are judged here (which fields, which types);
 * what the values mean (a known metric, a period, a count that is whole) is
 * ingest_check_row's, so JSON and CSV rows meet the same rules. */
#include "ingest_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static bool known_field(const char *key);

static const char *const fields[] = {"metric", "area",      "period", "value", "lower",
                                     "upper",  "breakdown", "status", "note",  "delete"};

static bool known_field(const char *key) {
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        if (strcmp(key, fields[f]) == 0)
            return true;
    return false;
}

bool ingest_json_number_text(const json_t *v, char *out, size_t size) {
    if (json_is_integer(v)) {
        snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return true;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        /* Any decimal of 15 significant digits survives a round trip through a double,
         * so the shortest exact form has 15, 16 or 17. */
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(out, size, "%.*g", prec, d);
            if (strtod(out, NULL) == d)
                break;
        }
        return true;
    }
    return false;
}

bool ingest_json_read_row(json_t *row, struct ingest_json_row *out, struct ingest_errors *errs) {
    memset(out, 0, sizeof *out);
    int before = errs->n;
    long lost_before = errs->lost;
    if (!json_is_object(row)) {
        ingest_errors_add(errs, NULL, "not_an_object", "each observation must be an object");
        return false;
    }
    struct ingest_raw *raw = &out->raw;
    const char *key;
    json_t *v;
    json_object_foreach(row, key, v) {
        if (!known_field(key))
            ingest_errors_add(errs, key, "unknown_field",
                              "\"%.*s\" is not a field of an observation; the fields are "
                              "metric, area, period, value, lower, upper, breakdown, status, "
                              "note, delete",
                              utf8_prefix_len(key, 40), key);
    }

    /* A correction keeps what it leaves out: present (even as null) is told from absent. */
    raw->has_status = json_object_get(row, "status") != NULL;
    raw->has_note = json_object_get(row, "note") != NULL;
    raw->has_lower = json_object_get(row, "lower") != NULL;
    raw->has_upper = json_object_get(row, "upper") != NULL;
    static const char *const texts[] = {"metric", "area", "period", "status", "note"};
    const char **text_dst[] = {&raw->metric, &raw->area, &raw->period, &raw->status, &raw->note};
    for (int f = 0; f < 5; f++) {
        v = json_object_get(row, texts[f]);
        if (v && !json_is_string(v) && !json_is_null(v))
            ingest_errors_add(errs, texts[f], "wrong_type", "%s must be a string", texts[f]);
        else if (v)
            *text_dst[f] = json_string_value(v); /* NULL for null: absent */
    }

    static const char *const nums[] = {"value", "lower", "upper"};
    char *num_buf[] = {out->value, out->lower, out->upper};
    const char **num_dst[] = {&raw->value, &raw->lower, &raw->upper};
    for (int f = 0; f < 3; f++) {
        v = json_object_get(row, nums[f]);
        if (!v || json_is_null(v))
            continue;
        if (json_is_string(v)) /* whole, so a long string is judged as sent, not cut short */
            *num_dst[f] = json_string_value(v);
        else if (ingest_json_number_text(v, num_buf[f], INGEST_JSON_NUMBER_SIZE))
            *num_dst[f] = num_buf[f];
        else
            ingest_errors_add(errs, nums[f], "not_a_number", "%s must be a number", nums[f]);
    }

    v = json_object_get(row, "delete");
    if (v && !json_is_boolean(v))
        ingest_errors_add(errs, "delete", "wrong_type", "delete must be true or false");
    raw->del = json_is_true(v);

    v = json_object_get(row, "breakdown");
    if (v && !json_is_object(v) && !json_is_null(v)) {
        ingest_errors_add(errs, "breakdown", "wrong_type",
                          "breakdown must be an object of dimension: category, e.g. {\"sex\": "
                          "\"female\"}");
    } else if (v) {
        const char *dim;
        json_t *cat;
        json_object_foreach(v, dim, cat) {
            if (!json_is_string(cat) ||
                !breakdown_add(&raw->breakdown, dim, json_string_value(cat))) {
                ingest_errors_add(errs, "breakdown", "bad_breakdown",
                                  "breakdown \"%.*s\" must name one category (a string) per "
                                  "dimension, at most %d dimensions",
                                  utf8_prefix_len(dim, 40), dim, BREAKDOWN_MAX_DIMS);
                break;
            }
        }
    }
    return errs->n == before && errs->lost == lost_before;
}

bool ingest_json_read_envelope(json_t *doc, struct ingest_json_envelope *out,
                               struct ingest_errors *errs) {
    memset(out, 0, sizeof *out);
    int before = errs->n;
    long lost_before = errs->lost;
    if (!json_is_object(doc)) {
        ingest_errors_add(errs, NULL, "not_an_object",
                          "send {\"observations\": [{\"metric\": ..., \"area\": ..., "
                          "\"period\": ..., \"value\": ...}, ...]}");
        return false;
    }
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v) {
        if (strcmp(key, "observations") != 0 && strcmp(key, "reason") != 0 &&
            strcmp(key, "override_lock") != 0)
            /* A misspelt key ("reasons") would otherwise be dropped without a word. */
            ingest_errors_add(errs, key, "unknown_field",
                              "\"%.*s\" is not a field of a submission; the fields are "
                              "observations, reason and override_lock",
                              utf8_prefix_len(key, 40), key);
    }
    v = json_object_get(doc, "observations");
    if (!v)
        ingest_errors_add(errs, "observations", "missing_field",
                          "observations is required: an array of {\"metric\": ..., \"area\": "
                          "..., \"period\": ..., \"value\": ...}");
    else if (!json_is_array(v))
        ingest_errors_add(errs, "observations", "wrong_type", "observations must be an array");
    else
        out->observations = v;

    v = json_object_get(doc, "reason");
    if (v && !json_is_string(v) && !json_is_null(v))
        ingest_errors_add(errs, "reason", "wrong_type", "reason must be a string");
    else if (json_is_string(v) && json_string_length(v))
        out->reason = json_string_value(v);

    v = json_object_get(doc, "override_lock");
    if (v && !json_is_boolean(v))
        ingest_errors_add(errs, "override_lock", "wrong_type",
                          "override_lock must be true or false");
    out->override_lock = json_is_true(v);
    return errs->n == before && errs->lost == lost_before;
}
