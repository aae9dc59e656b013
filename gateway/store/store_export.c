/*
 * Export of one user's data and the review queries of the admin API (redaction log, summaries,
 * retention status), on the reader connection: on SQLite's WAL a snapshot that never blocks the
 * writer.
 */
#include "gateway/store/store.h"
#include "common/log.h"
#include "common/utf8.h"
#include "common/userid.h"
#include "gateway/store/keyfile.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "gateway/store/store_predict.h"
#include "gateway/store/store_schema.h"
#include "policy/crypto.h"
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- export and review queries (reader connection) ---- */

typedef struct st_emitter_t {
    int (*write)(void *ctx, const char *p, size_t n);
    void *ctx;
    int failed;
} emitter_t;

static void emit_raw(emitter_t *e, const char *p)
{
    if (!e->failed && e->write(e->ctx, p, strlen(p)) != 0)
        e->failed = 1;
}

/* Writes `v` (stolen) as compact JSON, preceded by a comma unless it is the first item. */
static int emit_json(emitter_t *e, json_t *v, int *first)
{
    if (v == NULL)
        return GW_STORE_E_NOMEM;
    char *p = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(v);
    if (p == NULL)
        return GW_STORE_E_NOMEM;
    if (first != NULL && !*first)
        emit_raw(e, ",");
    if (first != NULL)
        *first = 0;
    emit_raw(e, p);
    free(p);
    return 0;
}

void gw_store_last_error(gw_store_t *st, char *buf, size_t len)
{
    pthread_mutex_lock(&st->rlock);
    const char *m = st->rdb != NULL ? gw_store__db_errmsg(st->rdb) : NULL;
    snprintf(buf, len, "%s", m != NULL && strcmp(m, "not an error") != 0 ? m : "");
    pthread_mutex_unlock(&st->rlock);
}

json_t *gw_store_json_text(const char *s)
{
    if (s == NULL)
        return json_null();
    json_t *v = json_string(s);
    if (v != NULL)
        return v;
    /* rows written before the edge refused invalid UTF-8: show them, with U+FFFD per bad byte */
    size_t n = strlen(s);
    gw_buf_t b = GW_BUF_INIT;
    for (size_t i = 0; i < n;) {
        size_t l = gw_utf8_seq((const unsigned char *)s + i, n - i);
        if (gw_buf_append(&b, l ? s + i : GW_UTF8_REPLACEMENT, l ? l : 3) != 0) {
            gw_buf_free(&b);
            return NULL;
        }
        i += l ? l : 1;
    }
    v = json_stringn(b.base != NULL ? b.base : "", b.len);
    gw_buf_free(&b);
    return v;
}

static json_t *jstr(const char *s)
{
    return gw_store_json_text(s);
}

static json_t *jtime(gw_store_stmt_t *s, int col)
{
    return gw_store__col_isnull(s, col) ? json_null() : json_integer(gw_store__col_int64(s, col));
}

static json_t *jhex(const void *p, size_t n)
{
    if (p == NULL)
        return json_null();
    char *h = malloc(2 * n + 1);
    if (h == NULL)
        return NULL;
    sodium_bin2hex(h, 2 * n + 1, p, n);
    json_t *v = json_string(h);
    free(h);
    return v;
}

/* Adds the decrypted body as "<name>" (valid UTF-8) or "<name>_base64". @return 0 or an error. */
static int add_body(json_t *o, const char *name, const pol_key_t *dk, const char *rid, const unsigned char *nonce, const void *ct,
                    size_t ctlen)
{
    if (ct == NULL)
        return json_object_set_new(o, name, json_null()) == 0 ? 0 : GW_STORE_E_NOMEM;
    if (ctlen < POL_CRYPTO_TAG_BYTES)
        return GW_STORE_E_CRYPTO;
    size_t n = ctlen - POL_CRYPTO_TAG_BYTES;
    unsigned char *pt = malloc(n + 1);
    if (pt == NULL)
        return GW_STORE_E_NOMEM;
    if (pol_crypto_open(dk, rid, strlen(rid), nonce, ct, ctlen, pt) != 0) {
        free(pt);
        return GW_STORE_E_CRYPTO;
    }
    json_t *v = json_stringn((const char *)pt, n);
    int rc = 0;
    if (v != NULL) {
        rc = json_object_set_new(o, name, v);
    } else {
        size_t bl = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
        char *b = malloc(bl);
        char key[64];
        snprintf(key, sizeof(key), "%s_base64", name);
        if (b == NULL) {
            rc = -1;
        } else {
            sodium_bin2base64(b, bl, pt, n, sodium_base64_VARIANT_ORIGINAL);
            rc = json_object_set_new(o, key, json_string(b));
            free(b);
        }
    }
    sodium_memzero(pt, n);
    free(pt);
    return rc == 0 ? 0 : GW_STORE_E_NOMEM;
}

static int export_calls(gw_store_t *st, emitter_t *e, const char *user_id, const pol_key_t *dk)
{
    /* SQLite (schema version 14): bodies written since are in their segment file (store_bodies.c), older
     * rows hold them; both are read */
    gw_store_stmt_t *s = gw_store__db_prepare(
        st->rdb, st->pg ? "SELECT request_id, client, provider, model, route, status, started_at, duration_us, usage_json,"
                          " cost_microcredits, notrain_decision, has_images, expires_at, request_ct, response_ct, nonce"
                          " FROM calls WHERE user_id = ? ORDER BY started_at, request_id"
                        : "SELECT request_id, client, provider, model, route, status, started_at, duration_us, usage_json,"
                          " cost_microcredits, notrain_decision, has_images, expires_at, request_ct, response_ct, nonce,"
                          " body_seg, body_off, request_len, response_len"
                          " FROM calls WHERE user_id = ? ORDER BY started_at, request_id");
    if (s == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, user_id);
    int rc, err = 0, first = 1;
    emit_raw(e, ",\"calls\":[");
    while (err == 0 && !e->failed && (rc = gw_store__step(s)) == 1) {
        const char *rid = gw_store__col_text(s, 0);
        json_t *o = json_object();
        json_object_set_new(o, "request_id", jstr(rid));
        json_object_set_new(o, "client", jstr(gw_store__col_text(s, 1)));
        json_object_set_new(o, "provider", jstr(gw_store__col_text(s, 2)));
        json_object_set_new(o, "model", jstr(gw_store__col_text(s, 3)));
        json_object_set_new(o, "route", jstr(gw_store__col_text(s, 4)));
        json_object_set_new(o, "status", json_integer(gw_store__col_int64(s, 5)));
        json_object_set_new(o, "started_at", json_integer(gw_store__col_int64(s, 6)));
        json_object_set_new(o, "duration_us", json_integer(gw_store__col_int64(s, 7)));
        const char *usage = gw_store__col_text(s, 8);
        json_t *uj = usage ? json_loads(usage, JSON_DECODE_ANY, NULL) : NULL;
        json_object_set_new(o, "usage", uj ? uj : jstr(usage));
        json_object_set_new(o, "cost_microcredits", json_integer(gw_store__col_int64(s, 9)));
        json_object_set_new(o, "notrain_decision", jstr(gw_store__col_text(s, 10)));
        json_object_set_new(o, "has_images", json_boolean(gw_store__col_int64(s, 11)));
        json_object_set_new(o, "expires_at", json_integer(gw_store__col_int64(s, 12)));
        size_t ql = 0, rl = 0, nl = 0;
        const void *q = gw_store__col_blob(s, 13, &ql), *r = gw_store__col_blob(s, 14, &rl);
        const unsigned char *nonce = gw_store__col_blob(s, 15, &nl);
        unsigned char *seg = NULL;
        if (!st->pg && !gw_store__col_isnull(s, 16) && err == 0) {
            /* in the segment: the request's ciphertext, then the response's; a missing or short segment
             * is an error, never an empty body */
            int64_t lq = gw_store__col_isnull(s, 18) ? -1 : gw_store__col_int64(s, 18);
            int64_t lr = gw_store__col_isnull(s, 19) ? -1 : gw_store__col_int64(s, 19);
            size_t tot = (size_t)(lq > 0 ? lq : 0) + (size_t)(lr > 0 ? lr : 0);
            if (lq > INT32_MAX || lr > INT32_MAX || (seg = malloc(tot ? tot : 1)) == NULL)
                err = seg == NULL && lq <= INT32_MAX && lr <= INT32_MAX ? GW_STORE_E_NOMEM : GW_STORE_E_DB;
            else if (gw_store__bodies_read(st->bodies.dir, gw_store__col_int64(s, 16), gw_store__col_int64(s, 17), seg, tot) != 0) {
                gw_log(GW_LOG_ERROR, "store: export: the bodies of a call are missing from segment %lld of %s",
                       (long long)gw_store__col_int64(s, 16), st->bodies.dir);
                err = GW_STORE_E_DB;
            } else {
                q = lq >= 0 ? seg : NULL;
                ql = lq >= 0 ? (size_t)lq : 0;
                r = lr >= 0 ? seg + ql : NULL;
                rl = lr >= 0 ? (size_t)lr : 0;
            }
        }
        if ((q || r) && (nonce == NULL || nl != 2 * POL_CRYPTO_NONCE_BYTES))
            err = GW_STORE_E_CRYPTO;
        if (err == 0)
            err = add_body(o, "request_body", dk, rid, nonce, q, ql);
        if (err == 0)
            err = add_body(o, "response_body", dk, rid, nonce ? nonce + POL_CRYPTO_NONCE_BYTES : NULL, r, rl);
        free(seg);
        if (err == 0)
            err = emit_json(e, o, &first);
        else
            json_decref(o);
    }
    if (err == 0 && rc < 0 && !e->failed)
        err = GW_STORE_E_DB;
    gw_store__reset(s);
    gw_store__db_finalize(s);
    emit_raw(e, "]");
    return err;
}

/* Streams every row of a simple query as objects with the given column names and kinds
 * ('t' text, 'i' integer, 'h' blob as hex, 'b' boolean). */
static int export_rows(gw_store_t *st, emitter_t *e, const char *title, const char *sql, const char *user_id,
                       const char *const *names, const char *kinds)
{
    gw_store_stmt_t *s = gw_store__db_prepare(st->rdb, sql);
    if (s == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, user_id);
    int rc, err = 0, first = 1;
    emit_raw(e, ",\"");
    emit_raw(e, title);
    emit_raw(e, "\":[");
    while (err == 0 && !e->failed && (rc = gw_store__step(s)) == 1) {
        json_t *o = json_object();
        for (int i = 0; kinds[i]; i++) {
            json_t *v;
            size_t bl = 0;
            const void *b;
            switch (kinds[i]) {
            case 't':
                v = jstr(gw_store__col_text(s, i));
                break;
            case 'h':
                b = gw_store__col_blob(s, i, &bl);
                v = jhex(b, bl);
                break;
            case 'b':
                v = json_boolean(gw_store__col_int64(s, i));
                break;
            default:
                v = jtime(s, i);
                break;
            }
            json_object_set_new(o, names[i], v);
        }
        err = emit_json(e, o, &first);
    }
    if (err == 0 && rc < 0 && !e->failed)
        err = GW_STORE_E_DB;
    gw_store__reset(s);
    gw_store__db_finalize(s);
    emit_raw(e, "]");
    return err;
}

int gw_store_export_user(gw_store_t *st, const char *user_id, int (*write)(void *ctx, const char *p, size_t n), void *ctx)
{
    emitter_t e = {write, ctx, 0};
    pol_key_t *dk = NULL;
    int err = 0;
    if (!gw_store__user_id_fits(user_id))
        return GW_STORE_E_INVAL;
    gw_store_flush(st); /* what was submitted before the request is part of the answer */
    pthread_mutex_lock(&st->rlock);
    /* One snapshot for the whole document. */
    if (gw_store__db_exec(st->rdb, st->pg ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN") != 0) {
        err = GW_STORE_E_DB;
        goto out;
    }
    gw_store_stmt_t *s = gw_store__db_prepare(
        st->rdb, "SELECT id, data_key_wrapped, consent_training, consent_at, created_at FROM users WHERE id = ?");
    if (s == NULL) {
        err = GW_STORE_E_DB;
        goto out;
    }
    gw_store__bind_text(s, 1, user_id);
    int rc = gw_store__step(s);
    json_t *u = NULL;
    if (rc == 1) {
        size_t wl = 0;
        const void *w = gw_store__col_blob(s, 1, &wl);
        dk = pol_crypto_unwrap(st->mk, w, wl, user_id);
        u = json_pack("{s:o, s:b, s:o, s:I}", "id", gw_store_json_text(user_id), "consent_training", (int)gw_store__col_int64(s, 2),
                      "consent_at", jtime(s, 3), "created_at", (json_int_t)gw_store__col_int64(s, 4));
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    if (rc != 1) {
        err = rc == 0 ? GW_STORE_E_NOTFOUND : GW_STORE_E_DB;
        goto out;
    }
    if (dk == NULL) {
        json_decref(u);
        err = GW_STORE_E_CRYPTO;
        goto out;
    }
    emit_raw(&e, "{\"format\":\"aigw-export-1\",\"user\":");
    if ((err = emit_json(&e, u, NULL)) != 0 || (err = export_calls(st, &e, user_id, dk)) != 0)
        goto out;
    static const char *const red_names[] = {"id",  "request_id", "route",      "field", "type",       "start",
                                            "end", "action",     "value_hmac", "at",    "expires_at", "direction"};
    static const char *const led_names[] = {"id", "request_id", "kind", "amount_microcredits", "at"};
    static const char *const acc_names[] = {"at",        "request_id", "method",      "route",       "status",    "bytes_in",
                                            "bytes_out", "client_ip",  "duration_us", "upstream_us", "expires_at"};
    /* SQLite: the user's access_log rows and the access entries kept beside their call rows
     * (call_access, schema version 13: rowid = time * 1024 + 10 bits of the request id's hash; an entry
     * expires at its time + the access log's TTL), in time order */
    char acc_sql[640];
    snprintf(
        acc_sql, sizeof(acc_sql),
        "SELECT at, request_id, method, route, status, bytes_in, bytes_out, client_ip, duration_us, upstream_us, expires_at"
        " FROM (SELECT id, at, request_id, method, route, status, bytes_in, bytes_out, client_ip, duration_us, upstream_us,"
        " expires_at FROM access_log WHERE user_id = ?1 UNION ALL SELECT NULL, c.started_at, a.request_id, a.method, c.route,"
        " c.status, a.bytes_in, a.bytes_out, a.client_ip, a.duration_us, a.upstream_us, c.started_at + %" PRId64 " FROM calls c"
        " JOIN call_access a ON a.id BETWEEN c.started_at * 1024 AND c.started_at * 1024 + 1023 AND a.request_id = c.request_id"
        " WHERE c.user_id = ?1) ORDER BY at, id",
        st->ret.ttl_us[POL_RET_ACCESS_LOG]);
    if ((err =
             export_rows(st, &e, "redactions",
                         "SELECT id, request_id, route, field, entity_type, start_off, end_off, action, value_hmac, at, expires_at,"
                         " direction FROM redactions WHERE user_id = ? ORDER BY id",
                         user_id, red_names, "ittttiithiit")) != 0 ||
        (err = export_rows(st, &e, "ledger",
                           "SELECT id, request_id, kind, amount_microcredits, at FROM ledger WHERE user_id = ? ORDER BY id",
                           user_id, led_names, "ittii")) != 0 ||
        (err = export_rows(
             st, &e, "access_log",
             st->pg ? "SELECT at, request_id, method, route, status, bytes_in, bytes_out, client_ip, duration_us, upstream_us,"
                      " expires_at FROM access_log WHERE user_id = ? ORDER BY id"
                    : acc_sql,
             user_id, acc_names, "itttiiitiii")) != 0)
        goto out;
    emit_raw(&e, "}\n");
out:
    gw_store__db_exec(st->rdb, "COMMIT");
    pthread_mutex_unlock(&st->rlock);
    pol_key_free(dk);
    if (err == 0 && e.failed)
        err = GW_STORE_E_WRITE;
    return err;
}

static int buf_write(void *ctx, const char *p, size_t n)
{
    return gw_buf_append(ctx, p, n);
}

static int dump_to_buf(json_t *v, gw_buf_t *out)
{
    emitter_t e = {buf_write, out, 0};
    int rc = emit_json(&e, v, NULL);
    return rc != 0 ? rc : e.failed ? GW_STORE_E_NOMEM : 0;
}

int gw_store_list_redactions(gw_store_t *st, const gw_redaction_query_t *q, gw_buf_t *out)
{
    int limit = q->limit == 0 ? 100 : q->limit;
    if (limit < 1 || limit > 1000 || q->cursor < 0)
        return GW_STORE_E_INVAL;
    gw_buf_t sql = GW_BUF_INIT;
    int ret = GW_STORE_E_DB;
    json_t *items = json_array();
    gw_buf_appendf(&sql, "SELECT id, request_id, user_id, route, field, entity_type, start_off, end_off, action, value_hmac, at,"
                         " direction FROM redactions WHERE 1 = 1");
    if (q->from_us)
        gw_buf_appendf(&sql, " AND at >= ?");
    if (q->to_us)
        gw_buf_appendf(&sql, " AND at < ?");
    if (q->entity_type)
        gw_buf_appendf(&sql, " AND entity_type = ?");
    if (q->user_id)
        gw_buf_appendf(&sql, " AND user_id = ?");
    if (q->route)
        gw_buf_appendf(&sql, " AND route = ?");
    if (q->cursor)
        gw_buf_appendf(&sql, " AND id < ?");
    /* One row more than asked tells whether there is a next page. */
    if (gw_buf_appendf(&sql, " ORDER BY id DESC LIMIT %d", limit + 1) != 0 || items == NULL) {
        ret = GW_STORE_E_NOMEM;
        goto done;
    }
    pthread_mutex_lock(&st->rlock);
    gw_store_stmt_t *s = gw_store__db_prepare(st->rdb, sql.base);
    if (s != NULL) {
        int k = 1, rc, n = 0;
        int64_t last = 0;
        if (q->from_us)
            gw_store__bind_int64(s, k++, q->from_us);
        if (q->to_us)
            gw_store__bind_int64(s, k++, q->to_us);
        if (q->entity_type)
            gw_store__bind_text(s, k++, q->entity_type);
        if (q->user_id)
            gw_store__bind_text(s, k++, q->user_id);
        if (q->route)
            gw_store__bind_text(s, k++, q->route);
        if (q->cursor)
            gw_store__bind_int64(s, k++, q->cursor);
        while ((rc = gw_store__step(s)) == 1 && n < limit) {
            size_t hl = 0;
            const void *h = gw_store__col_blob(s, 9, &hl);
            last = gw_store__col_int64(s, 0);
            json_array_append_new(items,
                                  json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o, s:I, s:o}", "id", (json_int_t)last,
                                            "request_id", jstr(gw_store__col_text(s, 1)), "user", jstr(gw_store__col_text(s, 2)),
                                            "route", jstr(gw_store__col_text(s, 3)), "field", jstr(gw_store__col_text(s, 4)),
                                            "type", jstr(gw_store__col_text(s, 5)), "start", (json_int_t)gw_store__col_int64(s, 6),
                                            "end", (json_int_t)gw_store__col_int64(s, 7), "action", jstr(gw_store__col_text(s, 8)),
                                            "value_hmac", jhex(h, hl), "at", (json_int_t)gw_store__col_int64(s, 10), "direction",
                                            jstr(gw_store__col_text(s, 11))));
            n++;
        }
        int more = rc == 1;
        gw_store__reset(s);
        gw_store__db_finalize(s);
        if (rc >= 0) {
            char cur[24];
            snprintf(cur, sizeof(cur), "%" PRId64, last);
            json_t *doc = json_pack("{s:O, s:o}", "items", items, "next_cursor", more ? json_string(cur) : json_null());
            ret = doc ? dump_to_buf(doc, out) : GW_STORE_E_NOMEM;
        }
    }
    pthread_mutex_unlock(&st->rlock);
done:
    json_decref(items);
    gw_buf_free(&sql);
    return ret;
}

static void day_string(int64_t day, char out[16])
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

int gw_store_redaction_summary(gw_store_t *st, int64_t from_us, int64_t to_us, gw_buf_t *out)
{
    int ret = GW_STORE_E_DB;
    json_t *days = json_array();
    if (days == NULL)
        return GW_STORE_E_NOMEM;
    pthread_mutex_lock(&st->rlock);
    gw_store_stmt_t *s = gw_store__db_prepare(st->rdb, "SELECT at / 86400000000 AS d, entity_type, COUNT(*) FROM redactions"
                                                       " WHERE at >= ? AND at < ? GROUP BY d, entity_type ORDER BY d, entity_type");
    if (s != NULL) {
        int rc;
        gw_store__bind_int64(s, 1, from_us);
        gw_store__bind_int64(s, 2, to_us ? to_us : INT64_MAX);
        while ((rc = gw_store__step(s)) == 1) {
            char d[16];
            day_string(gw_store__col_int64(s, 0), d);
            json_array_append_new(days, json_pack("{s:s, s:o, s:I}", "day", d, "type", jstr(gw_store__col_text(s, 1)), "count",
                                                  (json_int_t)gw_store__col_int64(s, 2)));
        }
        gw_store__reset(s);
        gw_store__db_finalize(s);
        if (rc == 0) {
            json_t *doc = json_pack("{s:o, s:o, s:O}", "from", from_us ? json_integer(from_us) : json_null(), "to",
                                    to_us ? json_integer(to_us) : json_null(), "days", days);
            ret = doc ? dump_to_buf(doc, out) : GW_STORE_E_NOMEM;
        }
    }
    pthread_mutex_unlock(&st->rlock);
    json_decref(days);
    return ret;
}

int gw_store_retention_status(gw_store_t *st, gw_buf_t *out)
{
    static const char *sql[POL_RET_NCLASSES] = {
        "SELECT COUNT(*), MIN(started_at), MIN(expires_at) FROM calls",
        "SELECT COUNT(*), MIN(at), MIN(expires_at) FROM redactions",
        "SELECT COUNT(*), MIN(at), MIN(expires_at) FROM access_log",
        "SELECT COUNT(*), MIN(started_at), MIN(body_expires_at) FROM calls WHERE body_expires_at IS NOT NULL",
    };
    int ret = 0;
    json_t *classes = json_array();
    int64_t now = gw_store__clock_us(st);
    pthread_mutex_lock(&st->rlock);
    /* SQLite: the access log is its rows and the entries kept beside call rows (call_access, schema
     * version 13), which expire at `at` + the access log's TTL */
    char acc_sql[256];
    snprintf(acc_sql, sizeof(acc_sql),
             "SELECT COUNT(*), MIN(at), MIN(e) FROM (SELECT at, expires_at AS e FROM access_log UNION ALL"
             " SELECT id / 1024, id / 1024 + %" PRId64 " FROM call_access)",
             st->ret.ttl_us[POL_RET_ACCESS_LOG]);
    for (int c = 0; c < POL_RET_NCLASSES && ret == 0; c++) {
        gw_store_stmt_t *s = gw_store__db_prepare(st->rdb, !st->pg && c == POL_RET_ACCESS_LOG ? acc_sql : sql[c]);
        if (s == NULL || gw_store__step(s) != 1) {
            ret = GW_STORE_E_DB;
        } else {
            json_array_append_new(classes,
                                  json_pack("{s:s, s:s, s:I, s:b, s:I, s:o, s:o}", "class", pol_retention_name(c), "config_key",
                                            pol_retention_key(c), "ttl_seconds", (json_int_t)(st->ret.ttl_us[c] / 1000000), "kept",
                                            pol_retention_keeps(&st->ret, c), "rows", (json_int_t)gw_store__col_int64(s, 0),
                                            "oldest", jtime(s, 1), "next_expiry", jtime(s, 2)));
            gw_store__reset(s);
        }
        gw_store__db_finalize(s);
    }
    pthread_mutex_unlock(&st->rlock);
    pthread_mutex_lock(&st->qlock);
    int64_t next = st->purge_interval_us > 0 ? now + (st->next_purge_mono_us - gw_store__mono_now_us()) : 0;
    int64_t last = st->stats.last_purge_at_us;
    pthread_mutex_unlock(&st->qlock);
    if (ret == 0) {
        json_t *doc =
            json_pack("{s:I, s:o, s:o, s:o}", "now", (json_int_t)now, "last_purge_run", last ? json_integer(last) : json_null(),
                      "next_purge_run", next ? json_integer(next) : json_null(), "classes", classes);
        classes = NULL;
        ret = doc ? dump_to_buf(doc, out) : GW_STORE_E_NOMEM;
    }
    json_decref(classes);
    return ret;
}
