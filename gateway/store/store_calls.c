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

/* Binds a row of `ncols` values to its one-row INSERT and runs it (one statement per row: SQLite,
 * and PostgreSQL outside a batch). @return 0 or GW_STORE_E_DB. */
static int row_insert(gw_store_stmt_t *s, const call_val_t *v, int ncols)
{
    for (int c = 0; c < ncols; c++) {
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

/* PostgreSQL: appends one row to a table's batch, one binary array per column (store_pgarray.h);
 * a column's element type is its values' ('t' text, 'i' int8, 'b' bytea), as the statement casts
 * it. @return 0, or GW_STORE_E_NOMEM (the batch is incomplete: the caller fails the transaction,
 * and gw_store__calls_end with send = 0 drops it). */
static int rows_append(gw_store_rows_t *b, const call_val_t *v, int ncols)
{
    int nomem = 0;
    for (int c = 0; c < ncols; c++) {
        gw_store_pgarr_t *a = &b->col[c];
        if (b->n == 0)
            gw_store__pgarr_start(a, v[c].type == 'i' ? GW_PG_INT8OID : v[c].type == 'b' ? GW_PG_BYTEAOID : GW_PG_TEXTOID);
        if (v[c].null)
            gw_store__pgarr_null(a);
        else if (v[c].type == 'i')
            gw_store__pgarr_int8(a, v[c].i);
        else if (v[c].type == 't')
            gw_store__pgarr_text(a, v[c].p);
        else
            gw_store__pgarr_bytes(a, v[c].p != NULL ? v[c].p : "", v[c].n);
        nomem |= a->nomem;
    }
    b->n++;
    return nomem ? GW_STORE_E_NOMEM : 0;
}

/* Inserts the rows gathered in `b` with its one statement (pipelined when a pipeline is on) and
 * empties it. @return 0 or GW_STORE_E_DB. */
static int rows_send(gw_store_rows_t *b, int ncols)
{
    size_t n = b->n;
    b->n = 0;
    if (n == 0)
        return 0;
    for (int c = 0; c < ncols; c++)
        if (gw_store__pgarr_bind(&b->col[c], b->s, c + 1) != 0) {
            gw_store__reset(b->s);
            return GW_STORE_E_DB;
        }
    return gw_store__run_nowait(b->s) < 0 ? GW_STORE_E_DB : 0;
}

void gw_store__rows_free(gw_store_rows_t *b)
{
    gw_store__db_finalize(b->s);
    b->s = NULL;
    for (int c = 0; c < GW_STORE_CALL_COLS; c++)
        gw_store__pgarr_free(&b->col[c]);
    b->n = 0;
}

void gw_store__calls_begin(gw_store_t *st)
{
    st->callbatch = st->pg;
    st->callrows.n = st->redrows.n = st->accrows.n = 0;
}

int gw_store__calls_end(gw_store_t *st, int send)
{
    int was = st->callbatch;
    st->callbatch = 0;
    if (!was || !send) {
        st->callrows.n = st->redrows.n = st->accrows.n = 0;
        return 0;
    }
    int rc = rows_send(&st->callrows, GW_STORE_CALL_COLS);
    int rrc = rows_send(&st->redrows, GW_STORE_RED_COLS);
    int arc = rows_send(&st->accrows, GW_STORE_ACC_COLS);
    return rc != 0 ? rc : rrc != 0 ? rrc : arc;
}

/* ---- known call rows (SQLite) ----
 *
 * An access entry goes to call_access only when its call row is in the database with the same start, user,
 * route and status (schema version 13); SQL_CALL_ACC_INS looks the row up (its request-id key, then the row:
 * ~4.4k instructions per entry, docs/BENCHMARKS.md "Issue 12, session 15"). The writer knows the rows it
 * inserted: once their transaction committed, such a row stays as written until something deletes or changes
 * it, which only a commit can do. Another connection's commit (a CLI's erasure or purge, another process) is
 * seen as for the key rows (store_keys.c key_epoch): the data version inside this transaction differs from the
 * one after the writer's last commit, or a commit since the row's own did not begin where the previous one left
 * the database (dv_breaks). This connection's own transactions outside the journal that may delete or change
 * call rows (the purge, erasure, anything that borrows the connection) move known_epoch. A rolled-back
 * transaction's rows never become known, and a rollback voids dv_valid. A known row that matches is written
 * beside without the lookup (SQL_CALL_ACC_PUT); anything else takes the lookup as before. */

static uint64_t known_who(const char *user, const char *route)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (const unsigned char *p = (const unsigned char *)user; *p != '\0'; p++)
        h = (h ^ *p) * UINT64_C(1099511628211);
    h = (h ^ 0xffu) * UINT64_C(1099511628211); /* no byte of a NUL-terminated string */
    if (route == NULL)
        return (h ^ 0xfeu) * UINT64_C(1099511628211);
    for (const unsigned char *p = (const unsigned char *)route; *p != '\0'; p++)
        h = (h ^ *p) * UINT64_C(1099511628211);
    return h;
}

static known_call_t *known_slot(gw_store_t *st, const char *rid)
{
    return &st->known[gw_store__rid_hash(rid) % GW_STORE_KNOWN_CALLS];
}

/* The call row the current transaction just inserted (1 row changed). */
static void known_add_pending(gw_store_t *st, const char *rid, int64_t started, int64_t status, const char *user, const char *route)
{
    if (st->nknown_pending >= GW_STORE_KNOWN_PENDING || strlen(rid) > GW_REQUEST_ID_MAX)
        return;
    known_call_t *k = &st->known_pending[st->nknown_pending++];
    snprintf(k->rid, sizeof(k->rid), "%s", rid);
    k->started = started;
    k->status = status;
    k->who = known_who(user, route);
    k->used = 1;
}

void gw_store__known_calls_settle(gw_store_t *st, int committed)
{
    if (committed && !st->pg && st->wdb->dv_valid)
        for (size_t i = 0; i < st->nknown_pending; i++) {
            known_call_t *k = &st->known_pending[i];
            k->breaks = st->wdb->dv_breaks;
            k->epoch = st->known_epoch;
            *known_slot(st, k->rid) = *k;
        }
    st->nknown_pending = 0;
}

/* Is the call row of this access entry known to be in the database as the entry says, right now (inside the
 * writer's transaction)? */
static int known_call(gw_store_t *st, const char *rid, int64_t at, const gw_store_access_rec_t *r)
{
    const known_call_t *k = known_slot(st, rid);
    gw_store_db_t *db = st->wdb;
    uint32_t v = 0;
    return k->used && k->started == at && k->status == r->status && k->epoch == st->known_epoch && k->breaks == db->dv_breaks &&
           strcmp(k->rid, rid) == 0 && k->who == known_who(r->user_id, r->route) && db->dv_valid &&
           gw_store__db_data_version(db, &v) == 0 && v == db->dv_commit;
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
        size_t req_n = req_ct != NULL ? r->request_len + POL_CRYPTO_TAG_BYTES : 0;
        size_t resp_n = resp_ct != NULL ? r->response_len + POL_CRYPTO_TAG_BYTES : 0;
        int body_exp = r->has_images && (req_ct || resp_ct);
        /* SQLite (schema version 14): the ciphertext goes to the segment of the call's day, written right
         * before this transaction's COMMIT (store_bodies.c); the row says where */
        int64_t seg = 0, off = 0;
        int in_seg = st->bodies.on && !st->callbatch && req_n + resp_n != 0 && started >= 0; /* else in the row */
        if (in_seg && (err = gw_store__bodies_put(st, started, ct, req_n + resp_n, &seg, &off)) != 0)
            goto out;
        const call_val_t v[GW_STORE_CALL_COLS + GW_STORE_CALL_BODY_COLS] = {
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
            {'b', req_ct, req_n, 0, req_ct == NULL || in_seg},
            {'b', resp_ct, resp_n, 0, resp_ct == NULL || in_seg},
            {'b', nonce, sizeof(nonce), 0, req_ct == NULL && resp_ct == NULL},
            TXT(r->outcome[0] != '\0' ? r->outcome : NULL),
            INT(r->input_tokens),
            INT(r->output_tokens),
            INT(r->images),
            INT(r->compute_ms),
            {'i', NULL, 0, seg, !in_seg},
            {'i', NULL, 0, off, !in_seg},
            {'i', NULL, 0, (int64_t)req_n, !in_seg || req_ct == NULL},
            {'i', NULL, 0, (int64_t)resp_n, !in_seg || resp_ct == NULL},
        };
        if ((err = st->callbatch ? rows_append(&st->callrows, v, GW_STORE_CALL_COLS)
                                 : row_insert(st->s_call_ins, v, GW_STORE_CALL_COLS + (st->pg ? 0 : GW_STORE_CALL_BODY_COLS))) != 0)
            goto out;
        if (!st->pg && gw_store__changes(st->s_call_ins) == 1) /* inserted (not a request id already there) */
            known_add_pending(st, r->request_id, started, r->status, user, r->route);
    }
    if (pol_retention_keeps(&st->ret, POL_RET_REDACTION_LOG)) {
        int64_t exp = pol_retention_expires_at(&st->ret, POL_RET_REDACTION_LOG, started);
        for (size_t i = 0; i < r->nredactions; i++) {
            const gw_redaction_rec_t *x = &r->redactions[i];
            char type[sizeof(x->entity_type) + 1], action[sizeof(x->action) + 1];
            field_str(type, x->entity_type, sizeof(x->entity_type));
            field_str(action, x->action, sizeof(x->action));
            const call_val_t v[GW_STORE_RED_COLS] = {
                ARR(r->request_id), TXT(user),   TXT(r->route),
                TXT(x->field),      ARR(type),   INT(x->start),
                INT(x->end),        ARR(action), {'b', x->value_hmac, sizeof(x->value_hmac), 0, 0},
                INT(started),       INT(exp),    TXT(x->response ? "response" : "request"),
            };
            if ((err = st->callbatch ? rows_append(&st->redrows, v, GW_STORE_RED_COLS)
                                     : row_insert(st->s_red_ins, v, GW_STORE_RED_COLS)) != 0)
                goto out;
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
    if (!st->callbatch && rid[0] != '\0' && r->user_id != NULL && at >= 0 && at < INT64_MAX / 1024 &&
        gw_store__call_access_on(st)) {
        /* SQLite: beside its call row, one call_access row (schema version 13), when the call row is
         * there with the same start, user, route and status; else an access_log row below */
        int known = known_call(st, rid, at, r);
        gw_store_stmt_t *s = known ? st->s_call_acc_put : st->s_call_acc_ins;
        if (!known)
            atomic_fetch_add_explicit(&st->call_row_lookups, 1, memory_order_relaxed);
        gw_store__bind_int64(s, 1, at);
        gw_store__bind_text_ref(s, 2, rid);
        gw_store__bind_text_ref(s, 3, method);
        gw_store__bind_int64(s, 4, r->bytes_in);
        gw_store__bind_int64(s, 5, r->bytes_out);
        if (ip[0] != '\0')
            gw_store__bind_text_ref(s, 6, ip);
        else
            gw_store__bind_blob_ref(s, 6, NULL, 0);
        gw_store__bind_int64(s, 7, r->duration_us);
        gw_store__bind_int64(s, 8, r->upstream_us);
        gw_store__bind_text_ref(s, 9, r->user_id);
        if (r->route != NULL)
            gw_store__bind_text_ref(s, 10, r->route);
        else
            gw_store__bind_blob_ref(s, 10, NULL, 0);
        gw_store__bind_int64(s, 11, r->status);
        gw_store__bind_int64(s, 12, GW_STORE_CALL_ACCESS_ID(at, rid));
        int64_t n = gw_store__run(s);
        if (n < 0)
            return GW_STORE_E_DB;
        if (n == 1)
            return 0;
    }
    const call_val_t v[GW_STORE_ACC_COLS] = {
        INT(at),
        ARR(method),
        TXT(r->route),
        INT(r->status),
        INT(r->bytes_in),
        INT(r->bytes_out),
        TXT(ip[0] ? ip : NULL),
        TXT(r->user_id),
        INT(r->duration_us),
        INT(r->upstream_us),
        INT(pol_retention_expires_at(&st->ret, POL_RET_ACCESS_LOG, at)),
        TXT(rid[0] ? rid : NULL),
    };
    return st->callbatch ? rows_append(&st->accrows, v, GW_STORE_ACC_COLS) : row_insert(st->s_acc_ins, v, GW_STORE_ACC_COLS);
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
        atomic_fetch_add_explicit(&st->key_row_reads, 1, memory_order_relaxed);
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
            /* PostgreSQL: one pipeline from the key rows to the COMMIT (store_db.h) */
            int prc = gw_store__db_pipeline(st->wdb, 1);
            if (st->pg && prc == 0)
                gw_store__prefetch_keys(st, items, n);
            gw_store__calls_begin(st);
            for (i = 0; prc == 0 && i < n; i++)
                if (gw_store__write_item(st, &items[i]) != 0)
                    break;
            int crc = gw_store__calls_end(st, prc == 0 && i == n);
            if (gw_store__db_pipeline(st->wdb, GW_STORE_PIPELINE_HOLD) == 0 && prc == 0 && i == n && crc == 0 &&
                gw_store__tx_commit(st->wdb) == 0)
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

int gw_store__probe_call_row(gw_store_t *st)
{
    /* One exec without parameters (the id is hex digits): no prepared statement, so a PostgreSQL
     * probe that fails leaves none behind on the server (DEALLOCATE cannot run in the failed
     * transaction). */
    unsigned char r[8];
    char rid[40], sql[400];
    randombytes_buf(r, sizeof(r));
    int n = snprintf(rid, sizeof(rid), "aigw-probe:");
    for (size_t i = 0; i < sizeof(r); i++)
        n += snprintf(rid + n, sizeof(rid) - (size_t)n, "%02x", r[i]);
    long long now = (long long)gw_store__clock_us(st);
    snprintf(sql, sizeof(sql),
             "INSERT INTO calls(request_id, user_id, provider, status, started_at, duration_us, expires_at)"
             " VALUES ('%s', 'aigw:probe', 'aigw-probe', 0, %lld, 0, %lld); DELETE FROM calls WHERE request_id = '%s'",
             rid, now, now, rid);
    int ok = gw_store__tx_begin(st, st->wdb) == 0 && gw_store__db_exec(st->wdb, sql) == 0 && gw_store__tx_commit(st->wdb) == 0;
    if (!ok) {
        gw_store__log_db_error(st->wdb, "probe call row");
        gw_store__tx_rollback(st->wdb);
    }
    return ok ? 0 : -1;
}
