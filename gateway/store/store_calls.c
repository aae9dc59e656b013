/*
 * Writing call, redaction and access records (see store.h): one batch of queued records in one
 * transaction on the writer connection, bodies sealed with the user's data key first; a batch that
 * fails is retried record by record so one bad record cannot take its neighbours down.
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

/* ---- writing records ---- */

/* Seals the bodies that are there (NULL: none) in one buffer, `*ct` (caller frees): the request's
 * ciphertext first, then the response's; one random draw for both nonces (pol_crypto_seal_pair). */
static int seal_bodies(const pol_key_t *dk, const char *rid, const char *req, size_t reqlen, const char *resp, size_t resplen,
                       unsigned char nonce[2 * POL_CRYPTO_NONCE_BYTES], unsigned char **ct)
{
    size_t n1 = req != NULL ? reqlen + POL_CRYPTO_TAG_BYTES : 0, n2 = resp != NULL ? resplen + POL_CRYPTO_TAG_BYTES : 0;
    if (n1 + n2 == 0)
        return 0;
    if ((*ct = malloc(n1 + n2)) == NULL)
        return GW_STORE_E_NOMEM;
    if (pol_crypto_seal_pair(dk, rid, strlen(rid), req, reqlen, resp, resplen, nonce, *ct, *ct + n1) != 0) {
        free(*ct);
        *ct = NULL;
        return GW_STORE_E_CRYPTO;
    }
    return 0;
}

/* `dst` (n + 1 bytes) = the fixed-size field `src` of n bytes (NUL-padded, or full) as a C string: what
 * snprintf("%.*s") gave, without parsing a format per field and row. */
static void field_str(char *dst, const char *src, size_t n)
{
    size_t len = strnlen(src, n);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* One column value of a call row: type 't' text, 'i' int64, 'b' bytes; `null` = SQL NULL. */
typedef struct st_call_val_t {
    char type;
    const void *p;
    size_t n;
    int64_t i;
    int null;
} call_val_t;
#define TXT(s)                                                                                                                     \
    {                                                                                                                              \
        't', (s), 0, 0, (s) == NULL                                                                                                \
    }
#define ARR(a)                                                                                                                     \
    {                                                                                                                              \
        't', (a), 0, 0, 0                                                                                                          \
    } /* a char array: never NULL */
#define INT(v)                                                                                                                     \
    {                                                                                                                              \
        'i', NULL, 0, (int64_t)(v), 0                                                                                              \
    }

/* Binds a call row to SQL_CALL_INS and runs it (one statement per row: SQLite, and PostgreSQL
 * outside a batch). @return 0 or GW_STORE_E_DB. */
static int call_insert(gw_store_stmt_t *s, const call_val_t *v)
{
    for (int c = 0; c < GW_STORE_CALL_COLS; c++) {
        if (v[c].null)
            gw_store__bind_blob_ref(s, c + 1, NULL, 0);
        else if (v[c].type == 'i')
            gw_store__bind_int64(s, c + 1, v[c].i);
        else if (v[c].type == 't')
            gw_store__bind_text_ref(s, c + 1, v[c].p);
        else
            gw_store__bind_blob_ref(s, c + 1, v[c].p, v[c].n);
    }
    return gw_store__run_nowait(s) < 0 ? GW_STORE_E_DB : 0;
}

/*
 * PostgreSQL batch of call rows: one array per column in PostgreSQL's binary array format
 * (src/backend/utils/adt/arrayfuncs.c array_recv): a 20-byte header (ndim 1, has-null flag,
 * element type, length, lower bound 1), then per element a 4-byte length (-1 = NULL) and the
 * element's binary form (text and bytea: the bytes; int8: 8 bytes big-endian). Hand-written:
 * libpq has no array builder, and the format is five integers and length-prefixed values.
 */
#define PG_TEXTOID 25
#define PG_INT8OID 20
#define PG_BYTEAOID 17
#define PG_ARRAY_HEADER 20

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Appends one row to the batch's columns. @return 0 or GW_STORE_E_NOMEM (the batch is unchanged). */
static int call_append(gw_store_t *st, const call_val_t *v)
{
    size_t mark[GW_STORE_CALL_COLS];
    for (int c = 0; c < GW_STORE_CALL_COLS; c++) {
        gw_buf_t *b = &st->callcols[c];
        if (st->ncallrows == 0)
            b->len = 0;
        mark[c] = b->len;
        unsigned char hdr[PG_ARRAY_HEADER] = {0}, len[4], i8[8];
        const void *p = v[c].p;
        size_t n = v[c].type == 't' && p != NULL ? strlen(p) : v[c].n;
        if (v[c].type == 'i' && !v[c].null) {
            for (int k = 0; k < 8; k++)
                i8[k] = (unsigned char)((uint64_t)v[c].i >> (56 - 8 * k));
            p = i8;
            n = 8;
        }
        put_be32(len, v[c].null ? UINT32_MAX : (uint32_t)n);
        if ((b->len == 0 && gw_buf_append(b, hdr, sizeof(hdr)) != 0) || gw_buf_append(b, len, 4) != 0 ||
            (!v[c].null && n > 0 && gw_buf_append(b, p, n) != 0)) {
            for (int k = 0; k <= c; k++)
                st->callcols[k].len = mark[k];
            return GW_STORE_E_NOMEM;
        }
    }
    st->ncallrows++;
    return 0;
}

void gw_store__calls_begin(gw_store_t *st)
{
    st->callbatch = st->pg;
    st->ncallrows = 0;
}

int gw_store__calls_end(gw_store_t *st, int send)
{
    int was = st->callbatch;
    size_t n = st->ncallrows;
    st->callbatch = 0;
    st->ncallrows = 0;
    if (!was || !send || n == 0)
        return 0;
    if (n > INT32_MAX)
        return GW_STORE_E_DB;
    static const uint32_t oid[GW_STORE_CALL_COLS] = {PG_TEXTOID, PG_TEXTOID, PG_TEXTOID, PG_TEXTOID,  PG_TEXTOID,  PG_TEXTOID,
                                                     PG_INT8OID, PG_INT8OID, PG_INT8OID, PG_TEXTOID,  PG_INT8OID,  PG_TEXTOID,
                                                     PG_INT8OID, PG_INT8OID, PG_INT8OID, PG_BYTEAOID, PG_BYTEAOID, PG_BYTEAOID,
                                                     PG_TEXTOID, PG_INT8OID, PG_INT8OID, PG_INT8OID,  PG_INT8OID};
    gw_store_stmt_t *s = st->s_call_many;
    for (int c = 0; c < GW_STORE_CALL_COLS; c++) {
        unsigned char *h = (unsigned char *)st->callcols[c].base;
        put_be32(h, 1);
        put_be32(h + 4, 1); /* may contain NULLs: the flag only lets array_recv skip a check */
        put_be32(h + 8, oid[c]);
        put_be32(h + 12, (uint32_t)n);
        put_be32(h + 16, 1);
        if (gw_store__bind_blob(s, c + 1, h, st->callcols[c].len) != 0) {
            gw_store__reset(s);
            return GW_STORE_E_DB;
        }
    }
    return gw_store__run_nowait(s) < 0 ? GW_STORE_E_DB : 0;
}

int gw_store__write_call(gw_store_t *st, gw_call_rec_t *r)
{
    const char *user = r->user_id ? r->user_id : GW_STORE_ANON_USER;
    int64_t started = r->started_at_us ? r->started_at_us : gw_store__clock_us(st);
    unsigned char nonce[2 * POL_CRYPTO_NONCE_BYTES] = {0};
    unsigned char *ct = NULL, *req_ct = NULL, *resp_ct = NULL;
    int err = 0;
    if (!gw_store__valid_user_id(user) || r->request_id[0] == '\0' || memchr(r->request_id, '\0', sizeof(r->request_id)) == NULL)
        return GW_STORE_E_INVAL;
    const pol_key_t *dk = gw_store__batch_user_key(st, user, &err);
    if (dk == NULL)
        return err;
    if (pol_retention_keeps(&st->ret, POL_RET_CALL_LOG)) {
        int bodies = st->log_bodies && (!r->has_images || pol_retention_keeps(&st->ret, POL_RET_IMAGE_PAYLOAD));
        if (bodies) {
            if ((err = seal_bodies(dk, r->request_id, r->request_body, r->request_len, r->response_body, r->response_len, nonce,
                                   &ct)) != 0)
                goto out;
            req_ct = r->request_body != NULL ? ct : NULL;
            resp_ct = r->response_body != NULL ? ct + (req_ct != NULL ? r->request_len + POL_CRYPTO_TAG_BYTES : 0) : NULL;
        }
        int body_exp = r->has_images && (req_ct || resp_ct);
        const call_val_t v[GW_STORE_CALL_COLS] = {
            ARR(r->request_id),
            TXT(user),
            TXT(r->client),
            ARR(r->provider),
            TXT(r->model),
            TXT(r->route),
            INT(r->status),
            INT(started),
            INT(r->duration_us),
            TXT(r->usage_json),
            INT(r->cost_microcredits),
            TXT(r->notrain_decision),
            INT(r->has_images != 0),
            INT(pol_retention_expires_at(&st->ret, POL_RET_CALL_LOG, started)),
            {'i', NULL, 0, body_exp ? pol_retention_expires_at(&st->ret, POL_RET_IMAGE_PAYLOAD, started) : 0, !body_exp},
            {'b', req_ct, r->request_len + POL_CRYPTO_TAG_BYTES, 0, req_ct == NULL},
            {'b', resp_ct, r->response_len + POL_CRYPTO_TAG_BYTES, 0, resp_ct == NULL},
            {'b', nonce, sizeof(nonce), 0, req_ct == NULL && resp_ct == NULL},
            TXT(r->outcome[0] != '\0' ? r->outcome : NULL),
            INT(r->input_tokens),
            INT(r->output_tokens),
            INT(r->images),
            INT(r->compute_ms),
        };
        if ((err = st->callbatch ? call_append(st, v) : call_insert(st->s_call_ins, v)) != 0)
            goto out;
    }
    if (pol_retention_keeps(&st->ret, POL_RET_REDACTION_LOG)) {
        int64_t exp = pol_retention_expires_at(&st->ret, POL_RET_REDACTION_LOG, started);
        for (size_t i = 0; i < r->nredactions; i++) {
            const gw_redaction_rec_t *x = &r->redactions[i];
            gw_store_stmt_t *s = st->s_red_ins;
            char type[sizeof(x->entity_type) + 1], action[sizeof(x->action) + 1];
            field_str(type, x->entity_type, sizeof(x->entity_type));
            field_str(action, x->action, sizeof(x->action));
            gw_store__bind_text(s, 1, r->request_id);
            gw_store__bind_text(s, 2, user);
            gw_store__bind_text(s, 3, r->route);
            gw_store__bind_text(s, 4, x->field);
            gw_store__bind_text(s, 5, type);
            gw_store__bind_int64(s, 6, (int64_t)x->start);
            gw_store__bind_int64(s, 7, (int64_t)x->end);
            gw_store__bind_text(s, 8, action);
            gw_store__bind_blob(s, 9, x->value_hmac, sizeof(x->value_hmac));
            gw_store__bind_int64(s, 10, started);
            gw_store__bind_int64(s, 11, exp);
            gw_store__bind_text(s, 12, x->response ? "response" : "request");
            if (gw_store__run_nowait(s) < 0) {
                err = GW_STORE_E_DB;
                goto out;
            }
        }
    }
    if (r->predict != NULL && (err = gw_store__predict_write(st, st->wdb, dk, user, r)) != 0)
        goto out;
out:
    free(ct);
    return err;
}

static int write_access(gw_store_t *st, gw_store_access_rec_t *r)
{
    if (!pol_retention_keeps(&st->ret, POL_RET_ACCESS_LOG))
        return 0;
    int64_t at = r->at_us ? r->at_us : gw_store__clock_us(st);
    char method[sizeof(r->method) + 1], ip[sizeof(r->client_ip) + 1], rid[sizeof(r->request_id) + 1];
    field_str(rid, r->request_id, sizeof(r->request_id));
    field_str(method, r->method, sizeof(r->method));
    field_str(ip, r->client_ip, sizeof(r->client_ip));
    gw_store_stmt_t *s = st->s_acc_ins;
    gw_store__bind_int64(s, 1, at);
    gw_store__bind_text_ref(s, 2, method);
    gw_store__bind_text_ref(s, 3, r->route);
    gw_store__bind_int64(s, 4, r->status);
    gw_store__bind_int64(s, 5, r->bytes_in);
    gw_store__bind_int64(s, 6, r->bytes_out);
    gw_store__bind_text_ref(s, 7, ip[0] ? ip : NULL);
    gw_store__bind_text_ref(s, 8, r->user_id);
    gw_store__bind_int64(s, 9, r->duration_us);
    gw_store__bind_int64(s, 10, r->upstream_us);
    gw_store__bind_int64(s, 11, pol_retention_expires_at(&st->ret, POL_RET_ACCESS_LOG, at));
    gw_store__bind_text_ref(s, 12, rid[0] ? rid : NULL);
    return gw_store__run_nowait(s) < 0 ? GW_STORE_E_DB : 0;
}

int gw_store__write_item(gw_store_t *st, qitem_t *it)
{
    return it->kind == Q_CALL ? gw_store__write_call(st, it->rec) : write_access(st, it->rec);
}

void gw_store__count_written(gw_store_t *st, qitem_t *it, uint64_t *calls, uint64_t *access, uint64_t *reds)
{
    if (it->kind == Q_CALL) {
        gw_call_rec_t *r = it->rec;
        *calls += pol_retention_keeps(&st->ret, POL_RET_CALL_LOG);
        *reds += pol_retention_keeps(&st->ret, POL_RET_REDACTION_LOG) ? r->nredactions : 0;
    } else {
        *access += pol_retention_keeps(&st->ret, POL_RET_ACCESS_LOG);
    }
}

/*
 * PostgreSQL: reads the key rows of every user in the batch with one query (FOR SHARE) instead
 * of one round trip per user. Users without a row are left to gw_store__batch_user_key, which creates them.
 * Errors are left to gw_store__batch_user_key too (it retries per user).
 */
static void prefetch_users(gw_store_t *st, const char *const *users, size_t n)
{
    gw_buf_t arr = GW_BUF_INIT;
    int any = 0;
    gw_buf_append(&arr, "{", 1);
    for (size_t i = 0; i < n; i++) {
        const char *u = users[i];
        key_entry_t *e = gw_store__cache_find(st, u);
        if (!gw_store__user_id_fits(u) || (e != NULL && e->validated_batch == st->batch_seq))
            continue;
        /* PostgreSQL array literal: every element quoted, \ and " escaped. */
        gw_buf_append(&arr, any ? ",\"" : "\"", any ? 2 : 1);
        for (const char *c = u; *c; c++) {
            if (*c == '"' || *c == '\\')
                gw_buf_append(&arr, "\\", 1);
            gw_buf_append(&arr, c, 1);
        }
        gw_buf_append(&arr, "\"", 1);
        any = 1;
    }
    if (gw_buf_append(&arr, "}", 1) == 0 && any) {
        gw_store_stmt_t *s = st->s_user_many;
        gw_store__bind_text(s, 1, arr.base);
        while (gw_store__step(s) == 1) {
            size_t wl = 0;
            const char *u = gw_store__col_text(s, 0);
            const unsigned char *w = gw_store__col_blob(s, 1, &wl);
            int err = 0;
            if (u != NULL && w != NULL && wl == POL_CRYPTO_WRAPPED_BYTES)
                gw_store__cache_install(st, gw_store__cache_find(st, u), u, w, &err);
        }
        gw_store__reset(s);
    }
    gw_buf_free(&arr);
}

void gw_store__prefetch_keys(gw_store_t *st, qitem_t *items, size_t n)
{
    const char **u = malloc((n ? n : 1) * sizeof(*u));
    size_t k = 0;
    if (u == NULL)
        return; /* gw_store__batch_user_key reads each user alone */
    for (size_t i = 0; i < n; i++)
        if (items[i].kind == Q_CALL)
            u[k++] = ((gw_call_rec_t *)items[i].rec)->user_id ? ((gw_call_rec_t *)items[i].rec)->user_id : GW_STORE_ANON_USER;
    prefetch_users(st, u, k);
    free(u);
}

void gw_store__prefetch_journal_keys(gw_store_t *st, const gw_journal_item_t *j)
{
    size_t n = 0, k = 0;
    for (const gw_journal_item_t *it = j; it != NULL; it = it->next)
        n += it->kind == GW_J_FINISH && it->rec != NULL;
    if (n == 0)
        return;
    const char **u = malloc(n * sizeof(*u));
    if (u == NULL)
        return;
    for (const gw_journal_item_t *it = j; it != NULL; it = it->next)
        if (it->kind == GW_J_FINISH && it->rec != NULL)
            u[k++] = it->rec->user_id ? it->rec->user_id : GW_STORE_ANON_USER;
    prefetch_users(st, u, k);
    free(u);
}

/* Writes a batch; called on the writer thread with wlock held. */
void gw_store__write_batch(gw_store_t *st, qitem_t *items, size_t n)
{
    uint64_t calls = 0, access = 0, reds = 0, failed = 0;
    int64_t t0 = gw_store__mono_now_us();
    for (int attempt = 0;; attempt++) {
        st->batch_seq++;
        size_t i = 0;
        if (gw_store__tx_begin(st, st->wdb) == 0) {
            if (st->pg)
                gw_store__prefetch_keys(st, items, n);
            int prc = gw_store__db_pipeline(st->wdb, 1);
            gw_store__calls_begin(st);
            for (i = 0; prc == 0 && i < n; i++)
                if (gw_store__write_item(st, &items[i]) != 0)
                    break;
            int crc = gw_store__calls_end(st, prc == 0 && i == n);
            if (gw_store__db_pipeline(st->wdb, 0) == 0 && prc == 0 && i == n && crc == 0 && gw_store__tx_commit(st->wdb) == 0)
                break;
        }
        gw_store__tx_rollback(st->wdb);
        if (gw_store__db_broken(st->wdb) && attempt < DB_RETRY_LIMIT) {
            gw_store__log_db_error(st->wdb, "connection lost, retrying the batch");
            sleep(1);
            continue;
        }
        /* One record at a time: the bad one fails alone, the others commit. */
        calls = access = reds = 0;
        for (i = 0; i < n; i++) {
            st->batch_seq++;
            if (gw_store__tx_begin(st, st->wdb) == 0 && gw_store__write_item(st, &items[i]) == 0 &&
                gw_store__tx_commit(st->wdb) == 0) {
                gw_store__count_written(st, &items[i], &calls, &access, &reds);
                continue;
            }
            gw_store__log_db_error(st->wdb, "record not written");
            gw_store__tx_rollback(st->wdb);
            failed++;
        }
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        gw_store__count_written(st, &items[i], &calls, &access, &reds);
done:;
    uint64_t dt = (uint64_t)(gw_store__mono_now_us() - t0);
    pthread_mutex_lock(&st->qlock);
    st->stats.calls_written += calls;
    st->stats.access_written += access;
    st->stats.redactions_written += reds;
    st->stats.write_failures += failed;
    st->stats.batches++;
    st->stats.last_batch_us = dt;
    if (dt > st->stats.max_batch_us)
        st->stats.max_batch_us = dt;
    pthread_mutex_unlock(&st->qlock);
}
