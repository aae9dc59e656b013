/*
 * Privacy admin routes (see admin_privacy.h): path matching, query decoding and status mapping
 * around the blocking store calls. Every answer is JSON; error messages name the parameter that
 * was wrong, never a value from the store. The store's error codes come from gateway/errors.h,
 * so gw_error_status() gives the status.
 */
#include "gateway/admin_privacy.h"
#include "common/pct.h"
#include "common/limits.h"
#include "common/log.h"
#include "gateway/errors.h"
#include "policy/pii/pii.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_error(int *status, int code, gw_buf_t *out, const char *msg)
{
    json_t *j = json_pack("{s:s}", "error", msg);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    *status = code;
    if (s != NULL)
        gw_buf_append(out, s, strlen(s));
    free(s);
    json_decref(j);
}

int gw_admin_query_param(const char *q, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    while (q != NULL && *q != '\0') {
        const char *amp = strchr(q, '&');
        size_t len = amp ? (size_t)(amp - q) : strlen(q);
        if (len >= nl && strncmp(q, name, nl) == 0 && (len == nl || q[nl] == '=')) {
            if (len == nl) {
                out[0] = '\0';
                return 1;
            }
            return gw_pct_decode(q + nl + 1, len - nl - 1, out, outlen, GW_PCT_STRICT | GW_PCT_PLUS, NULL) == 0 ? 1 : -1;
        }
        q = amp ? amp + 1 : NULL;
    }
    return 0;
}

/* `n` ASCII digits at `s` as a number, or -1 when one of them is not a digit. */
static long digits_value(const char *s, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (Howard Hinnant's days_from_civil,
 * "chrono-Compatible Low-Level Date Algorithms"); m 1..12, d a valid day of that month. */
static int64_t days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

int gw_admin_parse_time(const char *s, int64_t *out)
{
    /* Strict, so that a typo is a 400 rather than another time: strptime and timegm accepted
     * 2026-02-31 (as March 3), blanks, signs and one-digit fields. */
    static const char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = strlen(s);
    if (n >= 1 && n <= 19 && strspn(s, "0123456789") == n) {
        errno = 0;
        char *end;
        long long v = strtoll(s, &end, 10);
        if (errno != 0 || v > INT64_MAX / 1000000)
            return -1;
        *out = (int64_t)v * 1000000;
        return 0;
    }
    if (n != 10 && n != 20)
        return -1;
    long y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || s[4] != '-' || s[7] != '-')
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return -1;
    long hh = 0, mm = 0, ss = 0;
    if (n == 20) {
        /* RFC 3339 section 5.6: "T" and "Z" may be lower case; time-second 60 is a leap second
         * (section 5.7: only at 23:59:60 UTC), which Unix time counts as the next second. */
        hh = digits_value(s + 11, 2), mm = digits_value(s + 14, 2), ss = digits_value(s + 17, 2);
        if ((s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' || (s[19] != 'Z' && s[19] != 'z') || hh < 0 || hh > 23 ||
            mm < 0 || mm > 59 || ss < 0 || ss > 60 || (ss == 60 && (hh != 23 || mm != 59)))
            return -1;
    }
    *out = ((days_from_civil(y, m, d) * 86400) + hh * 3600 + mm * 60 + ss) * 1000000;
    return 0;
}

/* Reads a time parameter. @return 0 (absent leaves *out 0), or -1 after writing a 400. */
static int time_param(const char *q, const char *name, int64_t *out, int *status, gw_buf_t *json_out)
{
    char v[64], msg[160];
    int rc = gw_admin_query_param(q, name, v, sizeof(v));
    *out = 0;
    if (rc == 0)
        return 0;
    if (rc < 0 || gw_admin_parse_time(v, out) != 0) {
        snprintf(msg, sizeof(msg), "query parameter %s: expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or Unix seconds", name);
        set_error(status, 400, json_out, msg);
        return -1;
    }
    return 0;
}

/* `what` names the operation in the log line, with the database's message (it names tables and
 * constraints, never bound values); user ids and other values never reach it. */
static int store_error_at(gw_store_t *st, int rc, const char *what, int *status, gw_buf_t *out)
{
    int code = gw_error_status(rc);
    if (code >= 500) {
        char dbmsg[256];
        gw_store_last_error(st, dbmsg, sizeof(dbmsg));
        gw_log(GW_LOG_ERROR, "admin: privacy %s failed: %s (%d)%s%s", what,
               code == 503 ? "store unavailable (queue full or shutting down)" : "store error", rc, dbmsg[0] ? ": " : "", dbmsg);
    }
    set_error(status, code, out,
              code == 404   ? "no such user"
              : code == 400 ? "invalid request"
              : code == 503 ? "store unavailable"
                            : "store error (see the gateway log)");
    return 0;
}

#define store_error(rc, status, out) store_error_at(st, (rc), __func__, (status), (out))

static int handle_forget(gw_store_t *st, const char *id, int *status, gw_buf_t *out)
{
    gw_erasure_receipt_t r;
    int rc = gw_store_forget_user(st, id, &r);
    if (rc != 0)
        return store_error(rc, status, out);
    json_t *j = json_pack("{s:o, s:s, s:b, s:{s:I, s:I, s:I}, s:I, s:I}", "user", gw_store_json_text(r.user_id), "tombstone",
                          r.tombstone, "key_destroyed", r.key_destroyed, "deleted", "calls", (json_int_t)r.calls, "redactions",
                          (json_int_t)r.redactions, "access_log", (json_int_t)r.access_log, "ledger_tombstoned",
                          (json_int_t)r.ledger_tombstoned, "at", (json_int_t)r.at_us);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (s == NULL || gw_buf_append(out, s, strlen(s)) != 0) {
        free(s);
        return store_error(GW_E_INTERNAL, status, out);
    }
    free(s);
    *status = 200;
    return 0;
}

static int buf_write(void *ctx, const char *p, size_t n)
{
    return gw_buf_append(ctx, p, n);
}

static int handle_export(gw_store_t *st, const char *id, int *status, gw_buf_t *out)
{
    size_t mark = out->len;
    int rc = gw_store_export_user(st, id, buf_write, out);
    if (rc != 0) {
        out->len = mark; /* drop a partial document */
        return store_error(rc, status, out);
    }
    *status = 200;
    return 0;
}

static int handle_consent(gw_store_t *st, const char *id, const char *body, size_t len, int *status, gw_buf_t *out)
{
    json_t *j = body ? json_loadb(body, len, 0, NULL) : NULL;
    json_t *t = j ? json_object_get(j, "training") : NULL;
    if (t == NULL || !json_is_boolean(t)) {
        json_decref(j);
        set_error(status, 400, out, "body: expected {\"training\": true|false}");
        return 0;
    }
    int training = json_is_true(t);
    json_decref(j);
    int rc = gw_store_set_consent(st, id, training);
    if (rc != 0)
        return store_error(rc, status, out);
    json_t *r = json_pack("{s:o, s:b}", "id", gw_store_json_text(id), "consent_training", training);
    char *s = r ? json_dumps(r, JSON_COMPACT) : NULL;
    json_decref(r);
    if (s != NULL)
        gw_buf_append(out, s, strlen(s));
    free(s);
    *status = 200;
    return 0;
}

static int handle_redactions(gw_store_t *st, const char *q, int *status, gw_buf_t *out)
{
    gw_redaction_query_t rq;
    char type[64], user[GW_USER_ID_MAX + 1], route[512], cursor[32], limit[16];
    int rc;
    memset(&rq, 0, sizeof(rq));
    if (time_param(q, "from", &rq.from_us, status, out) != 0 || time_param(q, "to", &rq.to_us, status, out) != 0)
        return 0;
    struct {
        const char *name;
        char *buf;
        size_t len;
        const char **dst;
    } strs[] = {{"type", type, sizeof(type), &rq.entity_type},
                {"user", user, sizeof(user), &rq.user_id},
                {"route", route, sizeof(route), &rq.route}};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        rc = gw_admin_query_param(q, strs[i].name, strs[i].buf, strs[i].len);
        if (rc < 0) {
            char msg[96];
            snprintf(msg, sizeof(msg), "query parameter %s: bad encoding or too long", strs[i].name);
            set_error(status, 400, out, msg);
            return 0;
        }
        if (rc == 1 && strs[i].buf[0] != '\0')
            *strs[i].dst = strs[i].buf;
    }
    char *end;
    if ((rc = gw_admin_query_param(q, "cursor", cursor, sizeof(cursor))) != 0) {
        rq.cursor = rc == 1 ? strtoll(cursor, &end, 10) : -1;
        if (rc < 0 || *end != '\0' || rq.cursor <= 0) {
            set_error(status, 400, out, "query parameter cursor: expected the next_cursor of the previous page");
            return 0;
        }
    }
    if ((rc = gw_admin_query_param(q, "limit", limit, sizeof(limit))) != 0) {
        long v = rc == 1 ? strtol(limit, &end, 10) : -1;
        if (rc < 0 || *end != '\0' || v < 1 || v > 1000) {
            set_error(status, 400, out, "query parameter limit: expected 1 to 1000");
            return 0;
        }
        rq.limit = (int)v;
    }
    if ((rc = gw_store_list_redactions(st, &rq, out)) != 0)
        return store_error(rc, status, out);
    *status = 200;
    return 0;
}

int gw_admin_privacy_handle(gw_store_t *st, const char *method, const char *path, const char *query, const char *body,
                            size_t body_len, int *status, gw_buf_t *out)
{
    int rc;
    if (strcmp(path, "/purge") == 0) {
        if (strcmp(method, "POST") != 0) {
            set_error(status, 405, out, "method not allowed (POST)");
            return 0;
        }
        int dry_run = query != NULL && (strstr(query, "dry_run=1") != NULL || strstr(query, "dry_run=true") != NULL);
        gw_purge_counts_t counts;
        memset(&counts, 0, sizeof(counts));
        if ((rc = gw_store_purge(st, dry_run, &counts, NULL, NULL)) != 0)
            return store_error(rc, status, out);
        gw_buf_appendf(out, "{\"dry_run\":%s,\"purged\":{", dry_run ? "true" : "false");
        for (int c = 0; c < POL_RET_NCLASSES; c++)
            gw_buf_appendf(out, "%s\"%s\":%lld", c ? "," : "", pol_retention_name((pol_retention_class_t)c),
                           (long long)counts.rows[c]);
        gw_buf_append(out, "}}", 2);
        *status = 200;
        return 0;
    }
    if (strcmp(path, "/retention") == 0) {
        if (strcmp(method, "GET") != 0) {
            set_error(status, 405, out, "method not allowed (GET)");
            return 0;
        }
        if ((rc = gw_store_retention_status(st, out)) != 0)
            return store_error(rc, status, out);
        *status = 200;
        return 0;
    }
    if (strcmp(path, "/redactions") == 0) {
        if (strcmp(method, "GET") != 0) {
            set_error(status, 405, out, "method not allowed (GET)");
            return 0;
        }
        return handle_redactions(st, query, status, out);
    }
    if (strcmp(path, "/redactions/types") == 0) {
        /* every built-in entity type the engine can report, from its own type table (the console's
         * type filter; custom types of the running config appear in the summary once found) */
        if (strcmp(method, "GET") != 0) {
            set_error(status, 405, out, "method not allowed (GET)");
            return 0;
        }
        gw_buf_append(out, "{\"types\":[", 10);
        for (int t = 0; t < POL_PII_NUM_BUILTIN; t++)
            gw_buf_appendf(out, "%s\"%s\"", t ? "," : "", pol_pii_type_name(NULL, t));
        gw_buf_append(out, "]}", 2);
        *status = 200;
        return 0;
    }
    if (strcmp(path, "/redactions/summary") == 0) {
        int64_t from, to;
        if (strcmp(method, "GET") != 0) {
            set_error(status, 405, out, "method not allowed (GET)");
            return 0;
        }
        if (time_param(query, "from", &from, status, out) != 0 || time_param(query, "to", &to, status, out) != 0)
            return 0;
        if ((rc = gw_store_redaction_summary(st, from, to, out)) != 0)
            return store_error(rc, status, out);
        *status = 200;
        return 0;
    }
    if (strncmp(path, "/users/", 7) != 0)
        return GW_E_NOT_FOUND;
    const char *idp = path + 7, *slash = strchr(idp, '/');
    size_t idlen = slash ? (size_t)(slash - idp) : strlen(idp);
    const char *rest = slash ? slash : "";
    char id[GW_USER_ID_MAX + 1];
    int is_delete = rest[0] == '\0' && strcmp(method, "DELETE") == 0;
    int is_export = strcmp(rest, "/export") == 0, is_consent = strcmp(rest, "/consent") == 0;
    if (!is_delete && !is_export && !is_consent)
        return GW_E_NOT_FOUND; /* GET /users/{id}, POST /users/{id}/credits: other roles' routes */
    if (idlen == 0 || gw_pct_decode(idp, idlen, id, sizeof(id), GW_PCT_STRICT, NULL) != 0) {
        set_error(status, 400, out, "user id: empty, badly encoded or longer than " GW_STR(GW_USER_ID_MAX) " bytes");
        return 0;
    }
    if (is_delete)
        return handle_forget(st, id, status, out);
    if (is_export) {
        if (strcmp(method, "GET") != 0) {
            set_error(status, 405, out, "method not allowed (GET)");
            return 0;
        }
        return handle_export(st, id, status, out);
    }
    if (strcmp(method, "GET") == 0) {
        /* the privacy role's view of a user: whether aigw holds anything for the id, and the
         * consent (no balances: those are the ops role's) */
        gw_user_status_t us;
        int grc = gw_store_user_status(st, id, &us);
        if (grc != 0)
            return store_error(grc, status, out);
        json_t *r = json_pack("{s:o, s:b, s:b, s:b, s:I, s:I}", "id", gw_store_json_text(id), "exists", us.exists, "has_data_key",
                              us.has_key, "consent_training", us.consent_training, "consent_at", (json_int_t)us.consent_at_us,
                              "created_at", (json_int_t)us.created_at_us);
        char *txt = r != NULL ? json_dumps(r, JSON_COMPACT) : NULL;
        if (txt != NULL)
            gw_buf_append(out, txt, strlen(txt));
        free(txt);
        json_decref(r);
        *status = txt != NULL ? 200 : 500;
        return 0;
    }
    if (strcmp(method, "PUT") != 0) {
        set_error(status, 405, out, "method not allowed (GET, PUT)");
        return 0;
    }
    return handle_consent(st, id, body, body_len, status, out);
}
