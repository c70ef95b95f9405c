/* API keys: made here (the key is shown once, in the answer to the POST), listed
 * without their secret half, and revoked. Only the lookup and a SHA-256 are stored. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "http/auth.h"
#include "store/db.h"
#include "store/db_keys.h"
#include "store/db_partners.h"
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
    if (!api_check_filters(rq, rp, FILTER_PARTNER))
        return;
    struct db_conn *db = req_db(rq, rp);
    json_t *items = NULL;
    bool ok = db && db_keys_list(db, req_query(rq, "partner"), &items);
    api_reply_items(rq, rp, db, ok, items, key_columns, "keys");
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
        db = admin_start(rq, rp);
        if (!db)
            goto done;
    }
    struct db_error e;
    if (partner) {
        bool found;
        if (!db_partner_hold(db, partner, &found, &e)) {
            admin_write_failed(rp, db, &e, "key");
            goto done;
        }
        if (!found)
            admin_error(errors, "/partner", "unknown_partner",
                        "no partner %s; POST /v1/admin/partners makes one", partner);
    }
    if (!admin_valid(rp, db, errors, "key"))
        goto done;
    json_t *id = NULL, *created_at = NULL;
    enum auth_made made =
        auth_key_create(db, name, scopes, partner, key, sizeof key, &id, &created_at, &e);
    if (made == AUTH_NO_RANDOMNESS) {
        admin_rollback(db);
        problem_reply(rp, 500, "no randomness was available to make a key; the error is logged");
        goto done;
    }
    if (made == AUTH_NOT_STORED) {
        admin_write_failed(rp, db, &e, "key");
        goto done;
    }
    json_t *answer = json_pack("{s:o, s:s, s:o, s:o, s:s, s:o}", "id", id, "name", name, "scopes",
                               json_incref(json_object_get(body, "scopes")), "partner",
                               partner ? json_string(partner) : json_null(), "key", key,
                               "created_at", created_at);
    admin_reply_made(db, rp, 201, answer);
done:
    OPENSSL_cleanse(key, sizeof key);
    json_decref(errors);
    json_decref(body);
}

void api_delete_key(struct request *rq, struct reply *rp) {
    static const struct admin_removal how = {.noun = "key",
                                             .id_form = "a key id is a uuid",
                                             .list_path = "/v1/admin/keys",
                                             .id_ok = admin_uuid_ok,
                                             .remove = db_key_revoke};
    admin_remove_by_id(rq, rp, &how);
}
