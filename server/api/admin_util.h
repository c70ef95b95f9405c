/* What every admin write shares: reading a JSON body (415, 400 with line and column,
 * 422 for a non-object), checking its members into an errors array for one 422, and
 * the write transaction that bumps the data version. */
#ifndef ADMIN_UTIL_H
#define ADMIN_UTIL_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "http/request.h"
#include "store/db.h"

/* The longest list an admin may send in one request (grant areas, dimensions, parents,
 * milestones): far above any real use, low enough to keep one request cheap. */
#define ADMIN_MAX_LIST 1000

/* The request body as a JSON object (owned by the caller), or NULL after filling rp:
 * 415 unless Content-Type is application/json, 400 for an empty or malformed body
 * (naming line and column), 422 for JSON that is not an object. */
json_t *admin_body(struct request *rq, struct reply *rp);

/* Appends {pointer, field, code, message} to errors; field is the pointer read as a
 * path ("/parents/1/code" -> "parents[1].code"). */
void admin_error(json_t *errors, const char *pointer, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Answers 422 with the errors (taken); the detail names the thing not made and, when
 * there is one problem, says what it is. */
void admin_reply_invalid(struct reply *rp, json_t *errors, const char *what);

/* True when errors is empty. Otherwise rolls back (when db is not NULL) and answers
 * 422 with the errors, which stay the caller's, and returns false. */
bool admin_valid(struct reply *rp, struct db_conn *db, json_t *errors, const char *what);

/* Member readers. base is the JSON pointer of obj ("" for the body). A member that is
 * absent or null gives the default (required ones add a "required" error); one of the
 * wrong type adds a "wrong_type" error. */
void admin_only_members(json_t *obj, const char *base, const char *const *names, json_t *errors);
const char *admin_string(json_t *obj, const char *base, const char *name, bool required,
                         json_t *errors);
/* A string of 1..max characters (not bytes); "" or longer adds an error. */
const char *admin_text(json_t *obj, const char *base, const char *name, bool required, size_t max,
                       json_t *errors);
/* A string that must be one of names (NULL-terminated). */
const char *admin_enum(json_t *obj, const char *base, const char *name, bool required,
                       const char *const *names, json_t *errors);
bool admin_bool(json_t *obj, const char *base, const char *name, bool dflt, json_t *errors);
long long admin_int(json_t *obj, const char *base, const char *name, long long dflt, long long min,
                    long long max, json_t *errors);
/* A finite JSON number written as text PostgreSQL takes as numeric, into out; false
 * when absent (out holds dflt, or "" when dflt is NULL) or invalid. */
bool admin_number(json_t *obj, const char *base, const char *name, bool required, const char *dflt,
                  char *out, size_t size, json_t *errors);
/* An array member (NULL when absent or invalid), at most ADMIN_MAX_LIST long. */
json_t *admin_array(json_t *obj, const char *base, const char *name, bool required, json_t *errors);

/* A required period member (2019-01, 2019-Q1, 2019, FY2019-20) parsed into out; NULL
 * with a "bad_period" error (or "required") when it is not one. */
struct period;
const char *admin_period(json_t *obj, const char *base, const char *name, struct period *out,
                         json_t *errors);

/* Shapes of codes, as the schema's check constraints have them. */
bool admin_partner_code_ok(const char *s);
bool admin_programme_code_ok(const char *s);
bool admin_metric_code_ok(const char *s);
bool admin_area_code_ok(const char *s);
bool admin_dimension_code_ok(const char *s);
/* "YYYY-MM-DD", a real calendar date. */
bool admin_date_ok(const char *s);
/* A canonical uuid (8-4-4-4-12 hex digits). */
bool admin_uuid_ok(const char *s);
/* A positive decimal id that fits a bigint. */
bool admin_id_ok(const char *s);

/* The request's connection with a transaction begun; NULL after filling rp. */
struct db_conn *admin_start(struct request *rq, struct reply *rp);
/* Commits and answers status with made (taken); on failure rp holds the problem. */
void admin_reply_made(struct db_conn *db, struct reply *rp, int status, json_t *made);
/* BEGIN; false after filling rp. */
bool admin_begin(struct db_conn *db, struct reply *rp);
/* Bumps the data version, commits, then lets this process see the new version at
 * once; false after rolling back and filling rp. */
bool admin_commit(struct db_conn *db, struct reply *rp);
void admin_rollback(struct db_conn *db);
/* DELETE of one thing by the id in the path: refused with 404 when the id is not of
 * its form or names nothing, else removed, committed and answered 204. */
struct admin_removal {
    const char *noun;      /* "key" */
    const char *id_form;   /* "a key id is a uuid" */
    const char *list_path; /* "/v1/admin/keys" */
    bool (*id_ok)(const char *id);
    bool (*remove)(struct db_conn *db, const char *id, bool *found, struct db_error *e);
};
void admin_remove_by_id(struct request *rq, struct reply *rp, const struct admin_removal *how);
/* After a store write failed (logged there): rolls back and fills rp: 409 for a
 * duplicate, 422 for a value the schema refuses (a check or reference that slipped past
 * the checks in C), 503 when the database went away or a concurrent change won, 500
 * otherwise. */
void admin_write_failed(struct reply *rp, struct db_conn *db, const struct db_error *e,
                        const char *what);

#endif
