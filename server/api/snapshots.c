/* Board snapshots: POST /v1/admin/snapshots names the record at a moment (a board
 * meeting), GET /v1/snapshots lists them, GET /v1/snapshots/{name}/changes?since=
 * lists every figure added, revised or withdrawn between two of them. Also the moment
 * every figure read may ask about (asOf=, snapshot=). */
#include <stdio.h>
#include <string.h>

#include "api/admin_util.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/disclosure.h"
#include "api/render.h"
#include "api/steward.h"
#include "domain/rfc3339.h"
#include "config.h"
#include "http/auth.h"
#include "http/problem.h"

static bool snapshot_name_ok(const char *s);

static bool snapshot_name_ok(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 64 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
              s[i] == '_' || s[i] == '-'))
            return false;
    return true;
}

void steward_reply(struct reply *rp, enum steward_result res, const char *detail,
                   const char *what) {
    bool has = detail && *detail;
    switch (res) {
    case STEWARD_NOT_FOUND:
        problem_reply(rp, 404, "%s", has ? detail : "not found");
        break;
    case STEWARD_CONFLICT:
        problem_reply(rp, 409, "%s", has ? detail : "it conflicts with one that exists");
        break;
    case STEWARD_INVALID:
        problem_reply(rp, 422, "%s", has ? detail : "refused by a rule of the schema");
        break;
    case STEWARD_LOST:
        problem_reply(rp, 503,
                      "the database is not reachable just now; nothing was saved; try "
                      "again shortly");
        reply_header(rp, "Retry-After", "5");
        break;
    default:
        problem_reply(rp, 500, "the %s could not be saved; the error is logged", what);
        break;
    }
}

bool steward_read_moment(struct request *rq, struct reply *rp, struct db_conn *db, char out[40],
                         bool *has) {
    const char *as_of = req_query(rq, "asOf"), *snap = req_query(rq, "snapshot");
    *has = false;
    if (as_of && snap) {
        problem_reply(rp, 400, "send asOf= or snapshot=, not both: a snapshot names its moment");
        return false;
    }
    if (as_of) {
        struct timespec t;
        if (!rfc3339_parse(as_of, &t) || rfc3339_format_utc(&t, out, 40) < 0) {
            problem_reply(rp, 400,
                          "asOf=%.64s is not an RFC 3339 time: send a date and time with its "
                          "offset, like 2019-02-01T10:00:00Z",
                          as_of);
            return false;
        }
        *has = true;
        return true;
    }
    if (!snap)
        return true;
    if (!snapshot_name_ok(snap)) {
        problem_reply(rp, 404, "no snapshot %.64s; GET /v1/snapshots lists them", snap);
        return false;
    }
    if (!db && !(db = req_db(rq, rp)))
        return false;
    int found = db_snapshots_as_of(db, snap, out);
    if (found < 0) {
        api_db_failed(rp, db, "snapshot");
        return false;
    }
    if (!found) {
        problem_reply(rp, 404, "no snapshot %s; GET /v1/snapshots lists them", snap);
        return false;
    }
    *has = true;
    return true;
}

void api_post_snapshot(struct request *rq, struct reply *rp) {
    static const char *const fields[] = {"name", "as_of", "note", NULL};
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    admin_only_members(body, "", fields, errors);
    const char *name = admin_string(body, "", "name", true, errors);
    const char *as_of = admin_string(body, "", "as_of", false, errors);
    const char *note = admin_text(body, "", "note", false, 500, errors);
    if (name && !snapshot_name_ok(name))
        admin_error(errors, "/name", "bad_name",
                    "name \"%.64s\": 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter "
                    "or digit (board-2019-01-18)",
                    name);
    char utc[40] = "";
    struct timespec t;
    if (as_of && (!rfc3339_parse(as_of, &t) || rfc3339_format_utc(&t, utc, sizeof utc) < 0))
        admin_error(errors, "/as_of", "bad_time",
                    "as_of \"%.64s\" is not an RFC 3339 time, like 2019-01-18T10:00:00Z", as_of);
    if (json_array_size(errors)) {
        admin_reply_invalid(rp, errors, "snapshot");
        json_decref(body);
        return;
    }
    json_decref(errors);
    struct db_conn *db = req_db(rq, rp);
    if (!db) {
        json_decref(body);
        return;
    }
    json_t *made = NULL;
    char detail[STEWARD_DETAIL];
    enum steward_result res =
        db_snapshots_add(db, name, as_of ? utc : NULL, note,
                         rq->who.key_id[0] ? rq->who.key_id : NULL, &made, detail);
    if (res == STEWARD_OK) {
        reply_json(rp, 201, made);
        char loc[120];
        snprintf(loc, sizeof loc, "%s/%s/changes", "/v1/snapshots", name);
        reply_header(rp, "Location", loc);
        rp->no_etag = true;
    } else {
        steward_reply(rp, res, detail, "snapshot");
    }
    json_decref(body);
}

void api_list_snapshots(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {"name", "as_of", "note", "created_at", NULL};
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    json_t *items = NULL;
    if (!db_snapshots_list(db, &items)) {
        api_db_failed(rp, db, "snapshots");
        return;
    }
    const char *name = "snapshots";
    render_csv_name(rq, rp, &name, 1);
    render_collection(rq, rp, items, columns, NULL);
}

/* The read rules of history (issue 11) on the changes between snapshots: without a key
 * that may read everything, who changed a figure and why are shown only on the
 * caller's own partner's figures, and a count cell's values are hidden when small or
 * hidden now to protect another. */
static bool hide_for_open_read(struct request *rq, struct db_conn *db, json_t *items) {
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        json_t *partners = json_object_get(item, "partners");
        const char *only =
            json_array_size(partners) == 1 ? json_string_value(json_array_get(partners, 0)) : NULL;
        bool own = rq->who.partner[0] && only && strcmp(only, rq->who.partner) == 0;
        if (!own) {
            json_object_set_new(item, "partners", json_array());
            json_object_set_new(item, "reasons", json_array());
        }
    }
    return disclosure_apply_changes(db, items, g_config.small_count_max);
}

void api_get_snapshot_changes(struct request *rq, struct reply *rp) {
    static const char *const columns[] = {"change",     "metric",     "area",       "period",
                                          "breakdown",  "old_value",  "new_value",  "old_status",
                                          "new_status", "old_note",   "new_note",   "partners",
                                          "reasons",    "changed_at", "suppressed", NULL};
    const char *name = req_param(rq, 0), *since = req_query(rq, "since");
    if (!since) {
        problem_reply(rp, 400,
                      "changes need since=<an earlier snapshot>: GET "
                      "%s/%s/changes?since=board-2019-01",
                      "/v1/snapshots", name);
        return;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    char until_at[40], since_at[40];
    const char *names[2] = {name, since};
    char *ats[2] = {until_at, since_at};
    for (int i = 0; i < 2; i++) {
        int found = snapshot_name_ok(names[i]) ? db_snapshots_as_of(db, names[i], ats[i]) : 0;
        if (found < 0) {
            api_db_failed(rp, db, "snapshot");
            return;
        }
        if (!found) {
            problem_reply(rp, 404, "no snapshot %.64s%s; GET /v1/snapshots lists them", names[i],
                          i ? " (since=)" : "");
            return;
        }
    }
    if (strcmp(since_at, until_at) > 0) {
        problem_reply(rp, 400,
                      "since=%s (%s) is later than %s (%s): name the earlier snapshot in since=",
                      since, since_at, name, until_at);
        return;
    }
    json_t *items = NULL;
    if (!db_snapshots_changes(db, since_at, until_at, &items)) {
        api_db_failed(rp, db, "snapshot changes");
        return;
    }
    if (!(rq->who.scopes & (SCOPE_READ | SCOPE_ADMIN)) && !hide_for_open_read(rq, db, items)) {
        json_decref(items);
        api_db_failed(rp, db, "snapshot changes");
        return;
    }
    const char *file[] = {"changes", since, "to", name};
    render_csv_name(rq, rp, file, 4);
    render_collection(rq, rp, items, columns,
                      json_pack("{s:s, s:s, s:s, s:s}", "snapshot", name, "as_of", until_at,
                                "since", since, "since_as_of", since_at));
}
