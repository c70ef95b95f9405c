/* API keys: made here (the key is shown once, in the answer to the POST), listed
 * without their secret half, and revoked. Only the lookup and a SHA-256 are stored. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "http/auth.h"
#include "store/db.h"
#include "http/problem.h"
#include "api/render.h"
#include "api/admin_util.h"
#include "api/api.h"
#include "api/api_util.h"
#include "api/filters.h"

static bool key_scopes(json_t *body, char *out, size_t size, unsigned *bits, json_t *errors);

static const char *const key_columns[] = {"id",         "name",       "scopes",       "partner",
                                          "created_at", "revoked_at", "last_used_at", NULL};

void api_list_keys(struct request *rq, struct reply *rp) {
    static const struct db_stmt s = {
        "admin_keys_list",
        "SELECT id, name, to_json(scopes)::text, partner, to_json(created_at) #>> '{}', "
        "to_json(revoked_at) #>> '{}', to_json(last_used_at) #>> '{}' FROM api_keys "
        "WHERE ($1::text IS NULL OR partner = $1) ORDER BY created_at, id",
        1};
    if (!api_check_filters(rq, rp, FILTER_PARTNER))
        return;
    struct db_conn *db = req_db(rq, rp);
    if (!db)
        return;
    const char *params[] = {req_query(rq, "partner")};
    PGresult *r = db_exec(db, &s, params);
    if (!api_result_ok(rp, db, r, "keys"))
        return;
    json_t *items = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *scopes = json_loads(PQgetvalue(r, i, 2), 0, NULL);
        json_array_append_new(
            items,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", render_text(r, i, 0), "name",
                      render_text(r, i, 1), "scopes", scopes ? scopes : json_array(), "partner",
                      render_text(r, i, 3), "created_at", render_text(r, i, 4), "revoked_at",
                      render_text(r, i, 5), "last_used_at", render_text(r, i, 6)));
    }
    PQclear(r);
    render_collection(rq, rp, items, key_columns, NULL);
}

/* The scopes: a non-empty list of read, submit and admin, each once; written as
 * "read,submit" for the INSERT. */
static bool key_scopes(json_t *body, char *out, size_t size, unsigned *bits, json_t *errors) {
    json_t *list = admin_array(body, "", "scopes", true, errors), *v;
    size_t i;
    out[0] = '\0';
    *bits = 0;
    if (!list)
        return false;
    if (json_array_size(list) == 0) {
        admin_error(errors, "/scopes", "empty",
                    "scopes must hold at least one of read, submit, "
                    "admin");
        return false;
    }
    bool ok = true;
    size_t used = 0;
    json_array_foreach(list, i, v) {
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/scopes/%zu", i);
        unsigned bit = json_is_string(v) ? auth_scopes_parse(json_string_value(v)) : 0;
        if (!json_is_string(v) || strchr(json_string_value(v), ',') || !bit) {
            admin_error(errors, pointer, "not_allowed",
                        "scopes[%zu] must be one of read, submit, admin", i);
            ok = false;
        } else if (*bits & bit) {
            admin_error(errors, pointer, "duplicate", "scope %s is listed twice",
                        json_string_value(v));
            ok = false;
        } else {
            *bits |= bit;
            used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "," : "",
                                     json_string_value(v));
        }
    }
    return ok;
}

void api_post_key(struct request *rq, struct reply *rp) {
    static const struct db_stmt partner_known = {
        "admin_key_partner", "SELECT 1 FROM partners WHERE code = $1 FOR SHARE", 1};
    static const char *const fields[] = {"name", "scopes", "partner", NULL};
    char key[128] = "";
    json_t *body = admin_body(rq, rp);
    if (!body)
        return;
    json_t *errors = json_array();
    admin_only_members(body, "", fields, errors);
    const char *name = admin_text(body, "", "name", true, 200, errors);
    char scopes[32];
    unsigned bits;
    bool scopes_ok = key_scopes(body, scopes, sizeof scopes, &bits, errors);
    const char *partner = admin_string(body, "", "partner", false, errors);
    if (partner && !admin_partner_code_ok(partner)) {
        admin_error(errors, "/partner", "bad_format", "partner \"%s\" is not a partner code",
                    partner);
        partner = NULL;
    } else if (scopes_ok && !partner && (bits & SCOPE_SUBMIT) && !(bits & SCOPE_ADMIN)) {
        admin_error(errors, "/partner", "required",
                    "a submit key writes as a partner: name the partner (or give the key the "
                    "admin scope)");
    }
    /* The partner is looked up even when the body has other faults, so one answer lists
     * them all. */
    struct db_conn *db = NULL;
    if (partner || !json_array_size(errors)) {
        db = req_db(rq, rp);
        if (!db || !admin_begin(db, rp))
            goto done;
    }
    if (partner) {
        const char *pp[] = {partner};
        PGresult *r = db_exec(db, &partner_known, pp);
        if (!admin_write_ok(rp, db, r, "key"))
            goto done;
        if (PQntuples(r) == 0)
            admin_error(errors, "/partner", "unknown_partner",
                        "no partner %s; POST /v1/admin/partners makes one", partner);
        PQclear(r);
    }
    if (json_array_size(errors)) {
        if (db)
            admin_rollback(db);
        admin_reply_invalid(rp, errors, "key");
        errors = NULL;
        goto done;
    }
    PGresult *r = auth_key_create(db_pg(db), name, scopes, partner, key, sizeof key);
    if (!r) {
        admin_rollback(db);
        problem_reply(rp, 500, "no randomness was available to make a key; the error is logged");
        goto done;
    }
    if (!admin_write_ok(rp, db, r, "key"))
        goto done;
    json_t *made = json_pack("{s:o, s:s, s:o, s:o, s:s, s:o}", "id", render_text(r, 0, 0), "name",
                             name, "scopes", json_incref(json_object_get(body, "scopes")),
                             "partner", partner ? json_string(partner) : json_null(), "key", key,
                             "created_at", render_text(r, 0, 1));
    PQclear(r);
    if (admin_commit(db, rp))
        reply_json(rp, 201, made);
    else
        json_decref(made);
done:
    OPENSSL_cleanse(key, sizeof key);
    json_decref(errors);
    json_decref(body);
}

void api_delete_key(struct request *rq, struct reply *rp) {
    /* Revoking twice keeps the first revocation time. */
    static const struct db_stmt revoke = {
        "admin_key_revoke",
        "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1::uuid "
        "RETURNING id",
        1};
    const char *id = req_param(rq, 0);
    if (!admin_uuid_ok(id)) {
        problem_reply(rp, 404, "no key %s: a key id is a uuid; GET /v1/admin/keys lists them", id);
        return;
    }
    struct db_conn *db = req_db(rq, rp);
    if (!db || !admin_begin(db, rp))
        return;
    const char *params[] = {id};
    PGresult *r = db_exec(db, &revoke, params);
    if (!admin_write_ok(rp, db, r, "key"))
        return;
    bool found = PQntuples(r) == 1;
    PQclear(r);
    if (!found) {
        admin_rollback(db);
        problem_reply(rp, 404, "no key %s; GET /v1/admin/keys lists them", id);
        return;
    }
    if (admin_commit(db, rp)) {
        rp->status = 204;
        rp->no_etag = true;
    }
}
