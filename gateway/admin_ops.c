/*
 * Ops admin routes for credits and usage (see admin_ops.h). Each route is a blocking store call
 * (the router runs handlers on its thread pool). Percent-decoding is common/pct.h; the query
 * helpers are admin_privacy.c's (gw_admin_query_param).
 */
#include "gateway/admin_ops.h"
#include "gateway/usage_report.h"
#include "common/log.h"
#include "common/pct.h"
#include "gateway/admin_privacy.h"
#include "gateway/errors.h"
#include "gateway/store/store_ledger.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_CT "application/json"

static void set_error(int *status, int code, gw_buf_t *out, const char *msg)
{
    *status = code;
    json_t *o = json_pack("{s:s}", "error", msg);
    char *s = json_dumps(o, JSON_COMPACT);
    if (s != NULL)
        gw_buf_append(out, s, strlen(s));
    free(s);
    json_decref(o);
}

/* Logs why an ops route failed (operation and error code, never ids or amounts): the answer
 * only says "store error". */
static void log_store_failure(gw_store_t *st, const char *what, int rc)
{
    if (gw_error_status(rc) < 500)
        return;
    char dbmsg[256];
    gw_store_last_error(st, dbmsg, sizeof(dbmsg));
    gw_log(GW_LOG_ERROR, "admin: ops %s failed: %s (%s)%s%s", what,
           gw_error_status(rc) == 503 ? "store unavailable" : "store error", gw_strerror(rc), dbmsg[0] ? ": " : "", dbmsg);
}

static void user_json(gw_store_t *st, const char *id, int *status, gw_buf_t *out)
{
    gw_store_user_info_t info;
    int rc = gw_store_user_info(st, id, &info);
    if (rc == GW_STORE_E_NOTFOUND) {
        set_error(status, 404, out, "no such user");
        return;
    }
    if (rc != 0) {
        log_store_failure(st, __func__, rc);
        set_error(status, gw_error_status(rc), out, "store error");
        return;
    }
    json_t *o = json_pack("{s:o, s:I, s:I, s:b, s:I}", "id", gw_store_json_text(id), "balance_microcredits",
                          (json_int_t)info.balance, "reserved_microcredits", (json_int_t)info.reserved, "consent_training",
                          info.consent_training, "created_at", (json_int_t)info.created_at_us);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (s == NULL) {
        set_error(status, 500, out, "out of memory");
        return;
    }
    gw_buf_append(out, s, strlen(s));
    free(s);
    *status = 200;
}

static void grant(gw_store_t *st, const char *id, const char *body, size_t len, int *status, gw_buf_t *out)
{
    json_error_t je;
    json_t *doc = body ? json_loadb(body, len, 0, &je) : NULL;
    json_t *amt = json_object_get(doc, "amount_microcredits"), *reason = json_object_get(doc, "reason");
    if (!json_is_object(doc) || !json_is_integer(amt) || (reason != NULL && !json_is_string(reason))) {
        set_error(status, 400, out, "expected {\"amount_microcredits\": integer, \"reason\": \"...\"}");
        json_decref(doc);
        return;
    }
    int rc = gw_store_grant(st, id, json_integer_value(amt), reason ? json_string_value(reason) : NULL, NULL);
    json_decref(doc);
    if (rc != 0) {
        log_store_failure(st, __func__, rc);
        set_error(status, gw_error_status(rc), out, rc == GW_STORE_E_INVAL ? "invalid user id" : "store error");
        return;
    }
    user_json(st, id, status, out);
}

static void usage(gw_store_t *st, const char *query, int *status, gw_buf_t *out, const char **ct)
{
    char v[64];
    int64_t from = 0, to = 0;
    gw_usage_group_t g[GW_USAGE_MAX_DIMS] = {GW_USAGE_BY_DAY};
    size_t ng = 1;
    gw_usage_format_t f = GW_USAGE_JSON;
    int rc;
    if ((rc = gw_admin_query_param(query, "from", v, sizeof(v))) < 0 || (rc == 1 && gw_admin_parse_time(v, &from) != 0) ||
        (rc = gw_admin_query_param(query, "to", v, sizeof(v))) < 0 || (rc == 1 && gw_admin_parse_time(v, &to) != 0) ||
        (rc = gw_admin_query_param(query, "group_by", v, sizeof(v))) < 0 || (rc == 1 && gw_usage_groups_parse(v, g, &ng) != 0) ||
        (rc = gw_admin_query_param(query, "format", v, sizeof(v))) < 0 ||
        (rc == 1 && (gw_usage_format_parse(v, &f) != 0 || f == GW_USAGE_TABLE)) || (to != 0 && to <= from)) {
        set_error(status, 400, out,
                  "query: from, to (YYYY-MM-DD, RFC 3339 UTC or Unix seconds; to > from), "
                  "group_by=user|provider|model|client|day or two of them (day,provider), format=json|csv");
        return;
    }
    size_t mark = out->len;
    rc = gw_usage_report_by(st, from, to, g, ng, f, out);
    if (rc != 0) {
        out->len = mark;
        log_store_failure(st, __func__, rc);
        set_error(status, gw_error_status(rc), out, "store error");
        return;
    }
    *status = 200;
    *ct = f == GW_USAGE_CSV ? "text/csv; charset=utf-8" : JSON_CT;
}

int gw_admin_ops_handle(gw_store_t *st, const char *method, const char *path, const char *query, const char *body, size_t len,
                        int *status, gw_buf_t *out, const char **content_type)
{
    *content_type = JSON_CT;
    if (strcmp(path, "/usage") == 0) {
        if (strcmp(method, "GET") != 0) {
            set_error(status, 405, out, "method not allowed");
            return 0;
        }
        usage(st, query, status, out, content_type);
        return 0;
    }
    if (strncmp(path, "/users/", 7) != 0)
        return GW_E_NOT_FOUND;
    const char *id = path + 7, *slash = strchr(id, '/');
    size_t idlen = slash ? (size_t)(slash - id) : strlen(id);
    const char *rest = slash ? slash : "";
    int is_user = rest[0] == '\0', is_credits = strcmp(rest, "/credits") == 0;
    if (!is_user && !is_credits)
        return GW_E_NOT_FOUND;
    if (is_user && strcmp(method, "GET") != 0)
        return GW_E_NOT_FOUND; /* DELETE /users/{id} is the privacy role's */
    char uid[GW_USER_ID_MAX + 1];
    if (idlen == 0 || gw_pct_decode(id, idlen, uid, sizeof(uid), GW_PCT_STRICT, NULL) != 0) {
        set_error(status, 400, out, "invalid user id");
        return 0;
    }
    if (is_user) {
        user_json(st, uid, status, out);
        return 0;
    }
    if (strcmp(method, "POST") != 0) {
        set_error(status, 405, out, "method not allowed");
        return 0;
    }
    grant(st, uid, body, len, status, out);
    return 0;
}
