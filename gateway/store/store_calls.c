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

static int seal_body(const pol_key_t *dk, const char *rid, const char *p, size_t n, unsigned char nonce[POL_CRYPTO_NONCE_BYTES],
                     unsigned char **ct)
{
    if ((*ct = malloc(n + POL_CRYPTO_TAG_BYTES)) == NULL)
        return GW_STORE_E_NOMEM;
    if (pol_crypto_seal(dk, rid, strlen(rid), p, n, nonce, *ct) != 0) {
        free(*ct);
        *ct = NULL;
        return GW_STORE_E_CRYPTO;
    }
    return 0;
}

int gw_store__write_call(gw_store_t *st, gw_call_rec_t *r)
{
    const char *user = r->user_id ? r->user_id : GW_STORE_ANON_USER;
    int64_t started = r->started_at_us ? r->started_at_us : gw_store__clock_us(st);
    unsigned char nonce[2 * POL_CRYPTO_NONCE_BYTES] = {0};
    unsigned char *req_ct = NULL, *resp_ct = NULL;
    int err = 0;
    if (!gw_store__valid_user_id(user) || r->request_id[0] == '\0' || memchr(r->request_id, '\0', sizeof(r->request_id)) == NULL)
        return GW_STORE_E_INVAL;
    const pol_key_t *dk = gw_store__batch_user_key(st, user, &err);
    if (dk == NULL)
        return err;
    if (pol_retention_keeps(&st->ret, POL_RET_CALL_LOG)) {
        int bodies = st->log_bodies && (!r->has_images || pol_retention_keeps(&st->ret, POL_RET_IMAGE_PAYLOAD));
        if (bodies && r->request_body != NULL &&
            (err = seal_body(dk, r->request_id, r->request_body, r->request_len, nonce, &req_ct)) != 0)
            goto out;
        if (bodies && r->response_body != NULL &&
            (err = seal_body(dk, r->request_id, r->response_body, r->response_len, nonce + POL_CRYPTO_NONCE_BYTES, &resp_ct)) != 0)
            goto out;
        gw_store_stmt_t *s = st->s_call_ins;
        gw_store__bind_text(s, 1, r->request_id);
        gw_store__bind_text(s, 2, user);
        gw_store__bind_text(s, 3, r->client);
        gw_store__bind_text(s, 4, r->provider);
        gw_store__bind_text(s, 5, r->model);
        gw_store__bind_text(s, 6, r->route);
        gw_store__bind_int64(s, 7, r->status);
        gw_store__bind_int64(s, 8, started);
        gw_store__bind_int64(s, 9, r->duration_us);
        gw_store__bind_text(s, 10, r->usage_json);
        gw_store__bind_int64(s, 11, r->cost_microcredits);
        gw_store__bind_text(s, 12, r->notrain_decision);
        gw_store__bind_int64(s, 13, r->has_images != 0);
        gw_store__bind_int64(s, 14, pol_retention_expires_at(&st->ret, POL_RET_CALL_LOG, started));
        if (r->has_images && (req_ct || resp_ct))
            gw_store__bind_int64(s, 15, pol_retention_expires_at(&st->ret, POL_RET_IMAGE_PAYLOAD, started));
        else
            gw_store__bind_blob(s, 15, NULL, 0);
        gw_store__bind_blob(s, 16, req_ct, r->request_len + POL_CRYPTO_TAG_BYTES);
        gw_store__bind_blob(s, 17, resp_ct, r->response_len + POL_CRYPTO_TAG_BYTES);
        gw_store__bind_blob(s, 18, (req_ct || resp_ct) ? nonce : NULL, sizeof(nonce));
        gw_store__bind_text(s, 19, r->outcome[0] != '\0' ? r->outcome : NULL);
        gw_store__bind_int64(s, 20, r->input_tokens);
        gw_store__bind_int64(s, 21, r->output_tokens);
        gw_store__bind_int64(s, 22, r->images);
        gw_store__bind_int64(s, 23, r->compute_ms);
        if (gw_store__run_nowait(s) < 0) {
            err = GW_STORE_E_DB;
            goto out;
        }
    }
    if (pol_retention_keeps(&st->ret, POL_RET_REDACTION_LOG)) {
        int64_t exp = pol_retention_expires_at(&st->ret, POL_RET_REDACTION_LOG, started);
        for (size_t i = 0; i < r->nredactions; i++) {
            const gw_redaction_rec_t *x = &r->redactions[i];
            gw_store_stmt_t *s = st->s_red_ins;
            char type[sizeof(x->entity_type) + 1], action[sizeof(x->action) + 1];
            snprintf(type, sizeof(type), "%.*s", (int)sizeof(x->entity_type), x->entity_type);
            snprintf(action, sizeof(action), "%.*s", (int)sizeof(x->action), x->action);
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
    free(req_ct);
    free(resp_ct);
    return err;
}

static int write_access(gw_store_t *st, gw_store_access_rec_t *r)
{
    if (!pol_retention_keeps(&st->ret, POL_RET_ACCESS_LOG))
        return 0;
    int64_t at = r->at_us ? r->at_us : gw_store__clock_us(st);
    char method[sizeof(r->method) + 1], ip[sizeof(r->client_ip) + 1], rid[sizeof(r->request_id) + 1];
    snprintf(rid, sizeof(rid), "%.*s", (int)sizeof(r->request_id), r->request_id);
    snprintf(method, sizeof(method), "%.*s", (int)sizeof(r->method), r->method);
    snprintf(ip, sizeof(ip), "%.*s", (int)sizeof(r->client_ip), r->client_ip);
    gw_store_stmt_t *s = st->s_acc_ins;
    gw_store__bind_int64(s, 1, at);
    gw_store__bind_text(s, 2, method);
    gw_store__bind_text(s, 3, r->route);
    gw_store__bind_int64(s, 4, r->status);
    gw_store__bind_int64(s, 5, r->bytes_in);
    gw_store__bind_int64(s, 6, r->bytes_out);
    gw_store__bind_text(s, 7, ip[0] ? ip : NULL);
    gw_store__bind_text(s, 8, r->user_id);
    gw_store__bind_int64(s, 9, r->duration_us);
    gw_store__bind_int64(s, 10, r->upstream_us);
    gw_store__bind_int64(s, 11, pol_retention_expires_at(&st->ret, POL_RET_ACCESS_LOG, at));
    gw_store__bind_text(s, 12, rid[0] ? rid : NULL);
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
void gw_store__prefetch_keys(gw_store_t *st, qitem_t *items, size_t n)
{
    gw_buf_t arr = GW_BUF_INIT;
    int any = 0;
    gw_buf_append(&arr, "{", 1);
    for (size_t i = 0; i < n; i++) {
        if (items[i].kind != Q_CALL)
            continue;
        gw_call_rec_t *r = items[i].rec;
        const char *u = r->user_id ? r->user_id : GW_STORE_ANON_USER;
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
            for (i = 0; prc == 0 && i < n; i++)
                if (gw_store__write_item(st, &items[i]) != 0)
                    break;
            if (gw_store__db_pipeline(st->wdb, 0) == 0 && prc == 0 && i == n && gw_store__tx_commit(st->wdb) == 0)
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
