/* Shared admin helpers. Checks here mirror the schema's constraints so an admin hears
 * every problem at once, by name, rather than the first one the database trips on. */
#include "api/admin_util.h"

#include "api/api_util.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/period.h"
#include "domain/query.h"
#include "store/db.h"
#include "domain/mediatype.h"
#include "http/problem.h"

static bool all_of(const char *s, size_t from, size_t to, const char *set);

static void pointer_join(char *out, size_t size, const char *base, const char *name);
static void field_from_pointer(const char *pointer, char *out, size_t size);
static json_t *member(json_t *obj, const char *base, const char *name, bool required,
                      json_t *errors, char *pointer, size_t psize);
static size_t utf8_chars(const char *s);
static bool is_blank(const char *s);

/* ---- the body ---- */

json_t *admin_body(struct request *rq, struct reply *rp) {
    if (!mediatype_matches(req_header(rq, "Content-Type"), "application/json")) {
        problem_reply(rp, 415, "send the body as JSON with Content-Type: application/json");
        return NULL;
    }
    if (rq->body.len == 0) {
        problem_reply(rp, 400, "the body is empty: send a JSON object");
        return NULL;
    }
    json_error_t err;
    json_t *body = json_loadb(rq->body.data, rq->body.len, JSON_REJECT_DUPLICATES, &err);
    if (!body && json_error_code(&err) == json_error_out_of_memory) {
        api_no_memory(rp);
        return NULL;
    }
    if (!body) {
        /* jansson ends its message with the text near the fault; the position says
         * where without echoing the body back. */
        char *near = strstr(err.text, " near ");
        if (near)
            *near = '\0';
        problem_reply(rp, 400, "the body is not valid JSON: line %d, column %d: %s", err.line,
                      err.column, err.text);
        return NULL;
    }
    if (!json_is_object(body)) {
        json_decref(body);
        problem_reply(rp, 422, "the body must be a JSON object");
        return NULL;
    }
    return body;
}

/* ---- errors ---- */

static void pointer_join(char *out, size_t size, const char *base, const char *name) {
    size_t o = (size_t)snprintf(out, size, "%s/", base);
    for (const char *p = name; *p && o + 3 < size; p++) {
        if (*p == '~' || *p == '/') {
            out[o++] = '~';
            out[o++] = *p == '~' ? '0' : '1';
        } else {
            out[o++] = *p;
        }
    }
    out[o < size ? o : size - 1] = '\0';
}

static void field_from_pointer(const char *pointer, char *out, size_t size) {
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = pointer; *p == '/' && o + 1 < size;) {
        p++;
        size_t n = strcspn(p, "/");
        bool index = n > 0 && all_of(p, 0, n, "0123456789");
        int w = index ? snprintf(out + o, size - o, "[%.*s]", (int)n, p)
                      : snprintf(out + o, size - o, "%s%.*s", o ? "." : "", (int)n, p);
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
        p += n;
    }
}

void admin_error(json_t *errors, const char *pointer, const char *code, const char *fmt, ...) {
    char msg[1024], field[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bool is_pointer = pointer[0] == '/' || pointer[0] == '\0';
    if (is_pointer)
        field_from_pointer(pointer, field, sizeof field);
    else
        snprintf(field, sizeof field, "%s", pointer);
    json_t *e = problem_error(field[0] ? field : NULL, code, "%s", msg);
    if (e && is_pointer && json_object_set_new(e, "pointer", json_string(pointer)) != 0) {
        json_decref(e);
        e = NULL;
    }
    /* An error that could not be recorded must not let the body pass as valid: a null
     * entry (json_null() allocates nothing) tells admin_valid that memory ran out. */
    if (!e || json_array_append_new(errors, e) != 0)
        json_array_append(errors, json_null());
}

void admin_reply_invalid(struct reply *rp, json_t *errors, const char *what) {
    size_t n = json_array_size(errors);
    if (n == 1)
        problem_reply_errors(
            rp, 422, errors, "the %s was not saved: %s", what,
            json_string_value(json_object_get(json_array_get(errors, 0), "message")));
    else
        problem_reply_errors(rp, 422, errors,
                             "the %s was not saved: %zu problems, each listed in errors", what, n);
}

/* ---- members ---- */

static json_t *member(json_t *obj, const char *base, const char *name, bool required,
                      json_t *errors, char *pointer, size_t psize) {
    pointer_join(pointer, psize, base, name);
    json_t *v = json_object_get(obj, name);
    if (v && !json_is_null(v))
        return v;
    if (required)
        admin_error(errors, pointer, "required", "%s is required", name);
    return NULL;
}

void admin_only_members(json_t *obj, const char *base, const char *const *names, json_t *errors) {
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool known = false;
        for (int i = 0; names[i] && !known; i++)
            known = strcmp(key, names[i]) == 0;
        if (!known) {
            char pointer[256];
            pointer_join(pointer, sizeof pointer, base, key);
            admin_error(errors, pointer, "unknown_field", "\"%s\" is not a field here", key);
        }
    }
}

const char *admin_string(json_t *obj, const char *base, const char *name, bool required,
                         json_t *errors) {
    char pointer[256];
    json_t *v = member(obj, base, name, required, errors, pointer, sizeof pointer);
    if (!v)
        return NULL;
    if (!json_is_string(v)) {
        admin_error(errors, pointer, "wrong_type", "%s must be a string", name);
        return NULL;
    }
    return json_string_value(v);
}

static size_t utf8_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool is_blank(const char *s) {
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

const char *admin_text(json_t *obj, const char *base, const char *name, bool required, size_t max,
                       json_t *errors) {
    const char *s = admin_string(obj, base, name, required, errors);
    if (!s)
        return NULL;
    char pointer[256];
    pointer_join(pointer, sizeof pointer, base, name);
    if (is_blank(s)) {
        admin_error(errors, pointer, "empty", "%s must not be empty", name);
        return NULL;
    }
    if (utf8_chars(s) > max) {
        admin_error(errors, pointer, "too_long", "%s is longer than %zu characters", name, max);
        return NULL;
    }
    return s;
}

const char *admin_enum(json_t *obj, const char *base, const char *name, bool required,
                       const char *const *names, json_t *errors) {
    const char *s = admin_string(obj, base, name, required, errors);
    if (!s)
        return NULL;
    for (int i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0)
            return names[i];
    char list[512];
    size_t o = 0;
    for (int i = 0; names[i] && o < sizeof list; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", names[i]);
    char pointer[256];
    pointer_join(pointer, sizeof pointer, base, name);
    admin_error(errors, pointer, "not_allowed", "%s \"%s\" is not one of %s", name, s, list);
    return NULL;
}

const char *admin_period(json_t *obj, const char *base, const char *name, struct period *out,
                         json_t *errors) {
    const char *text = admin_string(obj, base, name, true, errors);
    if (text && !period_parse(text, out)) {
        char pointer[256];
        snprintf(pointer, sizeof pointer, "%s/%s", base, name);
        admin_error(errors, pointer, "bad_period",
                    "%s \"%s\" is not a period: use a month 2019-01, a quarter 2019-Q1, a year "
                    "2019 or a financial year FY2019-20",
                    name, text);
        return NULL;
    }
    return text;
}

bool admin_bool(json_t *obj, const char *base, const char *name, bool dflt, json_t *errors) {
    char pointer[256];
    json_t *v = member(obj, base, name, false, errors, pointer, sizeof pointer);
    if (!v)
        return dflt;
    if (!json_is_boolean(v)) {
        admin_error(errors, pointer, "wrong_type", "%s must be true or false", name);
        return dflt;
    }
    return json_is_true(v);
}

long long admin_int(json_t *obj, const char *base, const char *name, long long dflt, long long min,
                    long long max, json_t *errors) {
    char pointer[256];
    json_t *v = member(obj, base, name, false, errors, pointer, sizeof pointer);
    if (!v)
        return dflt;
    if (!json_is_integer(v)) {
        admin_error(errors, pointer, "wrong_type", "%s must be a whole number", name);
        return dflt;
    }
    long long n = json_integer_value(v);
    if (n < min || n > max) {
        admin_error(errors, pointer, "out_of_range", "%s must be within %lld..%lld", name, min,
                    max);
        return dflt;
    }
    return n;
}

bool admin_number(json_t *obj, const char *base, const char *name, bool required, const char *dflt,
                  char *out, size_t size, json_t *errors) {
    char pointer[256];
    snprintf(out, size, "%s", dflt ? dflt : "");
    json_t *v = member(obj, base, name, required, errors, pointer, sizeof pointer);
    if (!v)
        return false;
    if (json_is_integer(v)) {
        snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return true;
    }
    if (json_is_real(v) && isfinite(json_real_value(v))) {
        snprintf(out, size, "%.15g", json_real_value(v));
        return true;
    }
    admin_error(errors, pointer, "wrong_type", "%s must be a number", name);
    return false;
}

json_t *admin_array(json_t *obj, const char *base, const char *name, bool required,
                    json_t *errors) {
    char pointer[256];
    json_t *v = member(obj, base, name, required, errors, pointer, sizeof pointer);
    if (!v)
        return NULL;
    if (!json_is_array(v)) {
        admin_error(errors, pointer, "wrong_type", "%s must be an array", name);
        return NULL;
    }
    if (json_array_size(v) > ADMIN_MAX_LIST) {
        admin_error(errors, pointer, "too_long", "%s holds more than %d items; send fewer", name,
                    ADMIN_MAX_LIST);
        return NULL;
    }
    return v;
}

/* ---- shapes ---- */

static bool all_of(const char *s, size_t from, size_t to, const char *set) {
    for (size_t i = from; i < to; i++)
        if (!s[i] || !strchr(set, s[i]))
            return false;
    return true;
}

#define DIGIT "0123456789"

/* The schema's code patterns live once, in domain/query (the read filters check the same
 * shapes); the admin names stay for the admin handlers' readability. */
bool admin_partner_code_ok(const char *s) {
    return code_partner_ok(s);
}

bool admin_programme_code_ok(const char *s) {
    return code_programme_ok(s);
}

bool admin_metric_code_ok(const char *s) {
    return code_metric_ok(s);
}

bool admin_area_code_ok(const char *s) {
    return code_area_ok(s);
}

/* Dimensions share the programmes' pattern. */
bool admin_dimension_code_ok(const char *s) {
    return code_programme_ok(s);
}

bool admin_date_ok(const char *s) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !all_of(s, 0, 4, DIGIT) ||
        !all_of(s, 5, 7, DIGIT) || !all_of(s, 8, 10, DIGIT))
        return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

bool admin_uuid_ok(const char *s) {
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return false;
    }
    return true;
}

bool admin_id_ok(const char *s) {
    size_t n = strlen(s);
    return n >= 1 && n <= 18 && all_of(s, 0, n, DIGIT) && strspn(s, "0") < n;
}

bool admin_valid(struct reply *rp, struct db_conn *db, json_t *errors, const char *what) {
    bool lost = !errors; /* the list itself could not be made */
    for (size_t i = 0; !lost && i < json_array_size(errors); i++)
        lost = json_is_null(json_array_get(errors, i));
    if (!lost && !json_array_size(errors))
        return true;
    if (db)
        admin_rollback(db);
    if (lost)
        api_no_memory(rp);
    else
        admin_reply_invalid(rp, json_incref(errors), what);
    return false;
}

/* ---- the write transaction ---- */

struct db_conn *admin_start(struct request *rq, struct reply *rp) {
    struct db_conn *db = req_db(rq, rp);
    return db && admin_begin(db, rp) ? db : NULL;
}

void admin_reply_made(struct db_conn *db, struct reply *rp, int status, json_t *made) {
    if (admin_commit(db, rp))
        reply_json(rp, status, made);
    else
        json_decref(made);
}

bool admin_begin(struct db_conn *db, struct reply *rp) {
    struct db_error e;
    if (db_write_begin(db, &e))
        return true;
    admin_write_failed(rp, db, &e, "transaction");
    return false;
}

void admin_rollback(struct db_conn *db) {
    db_write_rollback(db);
}

bool admin_commit(struct db_conn *db, struct reply *rp) {
    struct db_error e;
    if (db_write_commit(db, NULL, &e))
        return true;
    admin_write_failed(rp, db, &e, "change");
    return false;
}

void admin_remove_by_id(struct request *rq, struct reply *rp, const struct admin_removal *how) {
    const char *id = req_param(rq, 0);
    if (!how->id_ok(id)) {
        problem_reply(rp, 404, "no %s %s: %s; GET %s lists them", how->noun, id, how->id_form,
                      how->list_path);
        return;
    }
    struct db_conn *db = admin_start(rq, rp);
    if (!db)
        return;
    struct db_error e;
    bool found;
    if (!how->remove(db, id, &found, &e)) {
        admin_write_failed(rp, db, &e, how->noun);
        return;
    }
    if (!found) {
        admin_rollback(db);
        problem_reply(rp, 404, "no %s %s; GET %s lists them", how->noun, id, how->list_path);
        return;
    }
    if (admin_commit(db, rp)) {
        rp->status = 204;
        rp->no_etag = true;
    }
}

void admin_write_failed(struct reply *rp, struct db_conn *db, const struct db_error *e,
                        const char *what) {
    const char *rule = e->constraint[0] ? e->constraint : "a value check";
    admin_rollback(db);
    if (e->lost) {
        problem_reply(rp, 503,
                      "the database is not reachable just now; nothing was saved; try "
                      "again shortly");
        reply_header(rp, "Retry-After", "5");
    } else if (strcmp(e->sqlstate, DB_STATE_QUERY_CANCELED) == 0 ||
               strcmp(e->sqlstate, DB_STATE_LOCK_NOT_AVAILABLE) == 0) {
        problem_db_busy(rp);
    } else if (strcmp(e->sqlstate, "23505") == 0) {
        problem_reply(rp, 409, "the %s conflicts with one that exists already (%s)", what, rule);
    } else if (strncmp(e->sqlstate, "23", 2) == 0 || strncmp(e->sqlstate, "22", 2) == 0) {
        problem_reply(rp, 422, "the %s was refused by the catalogue rule %s; nothing was saved",
                      what, rule);
    } else if (strncmp(e->sqlstate, "53", 2) == 0) {
        /* Insufficient resources, ours (a failed allocation) or the database's. */
        problem_reply(rp, 503, "the server is short of memory; nothing was saved; try again");
        reply_header(rp, "Retry-After", "5");
    } else if (strcmp(e->sqlstate, "40001") == 0 || strcmp(e->sqlstate, "40P01") == 0) {
        problem_reply(rp, 503, "the %s met a concurrent change; nothing was saved; send it again",
                      what);
        reply_header(rp, "Retry-After", "1");
    } else {
        problem_reply(rp, 500, "the %s could not be saved; the error is logged", what);
    }
}
