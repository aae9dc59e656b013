/*
 * The privacy store (see store.h): ingest queue, writer thread, encryption of bodies, purge,
 * erasure, export and the admin queries.
 *
 * Threads. Workers only touch the queue (qlock, a ring of record pointers with a fixed
 * capacity): submit is a push under a mutex, or GW_STORE_E_FULL. The writer thread pops up to
 * batch_max records and writes them in one transaction on the writer connection (group commit);
 * if the batch fails it retries each record in its own transaction so one bad record cannot
 * take its neighbours down, and a lost PostgreSQL connection is retried instead. Between
 * batches it runs one purge step (GW_STORE_PURGE_BATCH rows per class) when a purge is due, so
 * a purge of a million rows never holds the write lock for more than one small batch. Blocking
 * operations (erasure, consent, rotation, on-demand purge) take the same writer connection
 * under wlock; read-only ones (export, review lists, status) use a second connection under
 * rlock, which on SQLite's WAL reads a snapshot without blocking the writer.
 *
 * Keys. The master key stays in memory for the store's lifetime. Data keys are unwrapped on
 * demand into a small cache (GW_STORE_KEY_CACHE entries, each in sodium_malloc memory). Each
 * batch re-reads the user's wrapped key row (one indexed SELECT per distinct user per batch;
 * FOR SHARE on PostgreSQL) and reuses the cached key only if the wrapped bytes are unchanged,
 * so an erasure by another process or instance is never answered with a stale key, and an
 * erasure cannot interleave between reading the key and inserting the call.
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

#define GW_STORE_KEY_CACHE 1024 /* above batch_max's default: a batch of distinct users fits */
#define DEFAULT_QUEUE_MAX 16384
#define DEFAULT_BATCH_MAX 256
#define DEFAULT_PURGE_INTERVAL_S 60
#define DB_RETRY_LIMIT 30

enum { Q_CALL = 1, Q_ACCESS = 2 };

typedef struct st_qitem_t {
    int kind;
    void *rec;
} qitem_t;

typedef struct st_key_entry_t {
    char *user_id; /* NULL = free slot */
    uint64_t hash; /* of user_id, compared first */
    unsigned char wrapped[POL_CRYPTO_WRAPPED_BYTES];
    const pol_key_t *key;     /* in st->keyring, slot = index of the entry */
    uint64_t validated_batch; /* batch sequence in which the row was last re-read */
    uint64_t last_use;
} key_entry_t;

struct st_gw_store_t {
    /* database */
    gw_store_db_t *wdb, *rdb;
    pthread_mutex_t wlock, rlock;
    gw_store_stmt_t *s_user_get, *s_user_many, *s_user_ins, *s_call_ins, *s_red_ins, *s_acc_ins;
    int pg;
    /* keys */
    pol_key_t *mk;
    char mk_id[POL_CRYPTO_KEY_ID_CHARS + 1];
    unsigned char ref_key[32]; /* keys gw_store__user_ref: derived from the master key at open */
    key_entry_t cache[GW_STORE_KEY_CACHE];
    pol_keyring_t *keyring;
    uint64_t batch_seq, use_seq;
    /* policy */
    pol_retention_t ret;
    int log_bodies;
    /* queue */
    pthread_mutex_t qlock;
    pthread_cond_t qcond, qdone;
    qitem_t *q;
    size_t qcap, qhead, qlen, batch_max;
    uint64_t submitted, processed;
    int stopping, paused;
    int64_t purge_interval_us, next_purge_mono_us;
    int purge_running;
    gw_store_stats_t stats;
    pthread_t writer;
    int writer_started;
    /* clock */
    int64_t (*clock)(void *ctx);
    void *clock_ctx;
    /* credits (store_ledger.c) */
    gw_store_ledger_t *ledger;
    /* journal (guarded by qlock): ledger operations and finished calls for the next transaction */
    gw_journal_item_t *jhead, *jtail;
    gw_journal_item_t *jretry;            /* finished calls whose transaction failed, retried at jretry_due_us */
    int64_t jretry_due_us;                /* CLOCK_MONOTONIC */
    int64_t jbackoff_us;                  /* 0, then 50 ms doubling up to 1 s while commits fail */
    pthread_cond_t jdone;                 /* SYNC items completed */
    uint64_t commit_seq;                  /* successful journal commits (writer thread only) */
    atomic_int jretry_n;                  /* items in jretry */
    int jbusy;                            /* the writer holds journal items it has not completed yet */
    _Atomic int64_t unavailable_until_us; /* CLOCK_MONOTONIC; new calls are refused before it */
};

/* ---- time ---- */

static int64_t real_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t mono_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t now_us(gw_store_t *st)
{
    return st->clock ? st->clock(st->clock_ctx) : real_now_us();
}

void gw_store_set_clock(gw_store_t *st, int64_t (*fn)(void *ctx), void *ctx)
{
    pthread_mutex_lock(&st->wlock);
    st->clock = fn;
    st->clock_ctx = ctx;
    pthread_mutex_unlock(&st->wlock);
}

int64_t gw_store__now_us(gw_store_t *st)
{
    return now_us(st);
}

gw_store_ledger_t *gw_store__ledger(gw_store_t *st)
{
    return st->ledger;
}

gw_store_db_t *gw_store__rdb_acquire(gw_store_t *st)
{
    pthread_mutex_lock(&st->rlock);
    return st->rdb;
}

void gw_store__rdb_release(gw_store_t *st)
{
    pthread_mutex_unlock(&st->rlock);
}

/* ---- records ---- */

void gw_call_rec_free(gw_call_rec_t *rec)
{
    if (rec == NULL)
        return;
    free(rec->user_id);
    free(rec->client);
    free(rec->model);
    free(rec->route);
    free(rec->usage_json);
    free(rec->notrain_decision);
    free(rec->request_body);
    free(rec->response_body);
    for (size_t i = 0; i < rec->nredactions; i++)
        free(rec->redactions[i].field);
    free(rec->redactions);
    gw_predict_rec_free(rec->predict);
    free(rec);
}

void gw_store_access_rec_free(gw_store_access_rec_t *rec)
{
    if (rec == NULL)
        return;
    free(rec->route);
    free(rec->user_id);
    free(rec);
}

static void qitem_free(qitem_t *it)
{
    if (it->kind == Q_CALL)
        gw_call_rec_free(it->rec);
    else
        gw_store_access_rec_free(it->rec);
}

/* Ids that create rows must pass the one user id rule (common/userid.h); lookups, erasure and export
 * only bound the length, so rows stored before the rule (invalid UTF-8) can still be found and erased. */
static int valid_user_id(const char *u)
{
    return u != NULL && gw_user_id_valid(u, strlen(u));
}

static int user_id_fits(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    return n > 0 && n <= GW_USER_ID_MAX;
}

/* ---- transactions ---- */

static int tx_begin(gw_store_t *st, gw_store_db_t *db)
{
    /* IMMEDIATE: take SQLite's write lock up front instead of failing to upgrade later. */
    return gw_store__db_exec(db, gw_store__db_kind(db) == GW_STORE_DB_PG ? "BEGIN" : "BEGIN IMMEDIATE");
}

static int tx_commit(gw_store_db_t *db)
{
    return gw_store__db_exec(db, "COMMIT");
}

static void tx_rollback(gw_store_db_t *db)
{
    gw_store__db_exec(db, "ROLLBACK");
}

static void log_db_error(gw_store_db_t *db, const char *what)
{
    /* Database messages name tables and constraints, never bound values. */
    gw_log(GW_LOG_ERROR, "store: %s: %s", what, gw_store__db_errmsg(db));
}

/* Runs a prepared statement to completion. @return rows changed, or -1. */
static int64_t run(gw_store_stmt_t *s)
{
    int rc;
    while ((rc = gw_store__step(s)) == 1)
        ;
    int64_t n = rc == 0 ? gw_store__changes(s) : -1;
    gw_store__reset(s);
    return n;
}

/* Runs one statement from SQL with up to 3 int64/text params, on a connection; prepares and
 * finalizes each time (used by rare operations only). Params: 'i' int64, 't' text. */
static int64_t run_sql(gw_store_db_t *db, const char *sql, const char *types, ...)
{
    gw_store_stmt_t *s = gw_store__db_prepare(db, sql);
    if (s == NULL)
        return -1;
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i')
            gw_store__bind_int64(s, i + 1, va_arg(ap, int64_t));
        else
            gw_store__bind_text(s, i + 1, va_arg(ap, const char *));
    }
    va_end(ap);
    int64_t n = run(s);
    gw_store__db_finalize(s);
    return n;
}

/* ---- data keys (writer connection, under wlock or on the writer thread) ---- */

static uint64_t hash_id(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

static key_entry_t *cache_find(gw_store_t *st, const char *user_id)
{
    uint64_t h = hash_id(user_id);
    for (int i = 0; i < GW_STORE_KEY_CACHE; i++)
        if (st->cache[i].user_id != NULL && st->cache[i].hash == h && strcmp(st->cache[i].user_id, user_id) == 0)
            return &st->cache[i];
    return NULL;
}

static void cache_clear_entry(gw_store_t *st, key_entry_t *e)
{
    free(e->user_id);
    pol_keyring_wipe(st->keyring, (size_t)(e - st->cache));
    memset(e, 0, sizeof(*e));
}

static void cache_evict(gw_store_t *st, const char *user_id)
{
    key_entry_t *e = cache_find(st, user_id);
    if (e != NULL)
        cache_clear_entry(st, e);
}

static void cache_clear(gw_store_t *st)
{
    for (int i = 0; i < GW_STORE_KEY_CACHE; i++)
        if (st->cache[i].user_id != NULL)
            cache_clear_entry(st, &st->cache[i]);
}

/* A free slot, else the least recently used one that was not validated in this batch (its key
 * may still be about to be used). */
static key_entry_t *cache_slot(gw_store_t *st)
{
    key_entry_t *victim = NULL;
    for (int i = 0; i < GW_STORE_KEY_CACHE; i++) {
        key_entry_t *e = &st->cache[i];
        if (e->user_id == NULL)
            return e;
        if (e->validated_batch != st->batch_seq && (victim == NULL || e->last_use < victim->last_use))
            victim = e;
    }
    if (victim != NULL)
        cache_clear_entry(st, victim);
    return victim;
}

/* Installs the key unwrapped from `w` for `user_id` (replacing a stale entry `e`, or in a new
 * slot), validated for this batch. @return the entry, or NULL with *err set. */
static key_entry_t *cache_install(gw_store_t *st, key_entry_t *e, const char *user_id, const unsigned char *w, int *err)
{
    if (e == NULL || sodium_memcmp(e->wrapped, w, POL_CRYPTO_WRAPPED_BYTES) != 0) {
        if (e == NULL) {
            if ((e = cache_slot(st)) == NULL) {
                *err = GW_STORE_E_NOMEM; /* every slot is in use by this batch: the batch is cut short */
                return NULL;
            }
            if ((e->user_id = strdup(user_id)) == NULL) {
                *err = GW_STORE_E_NOMEM;
                return NULL;
            }
            e->hash = hash_id(user_id);
        }
        if ((e->key = pol_keyring_unwrap(st->keyring, (size_t)(e - st->cache), st->mk, w, POL_CRYPTO_WRAPPED_BYTES, user_id)) ==
            NULL) {
            cache_clear_entry(st, e);
            *err = GW_STORE_E_CRYPTO;
            return NULL;
        }
        memcpy(e->wrapped, w, POL_CRYPTO_WRAPPED_BYTES);
    }
    e->validated_batch = st->batch_seq;
    e->last_use = ++st->use_seq;
    return e;
}

/* Reads the user's wrapped key row into `wrapped`. @return 1 found, 0 absent, -1 error. */
static int user_row(gw_store_t *st, const char *user_id, unsigned char wrapped[POL_CRYPTO_WRAPPED_BYTES])
{
    gw_store_stmt_t *s = st->s_user_get;
    gw_store__bind_text(s, 1, user_id);
    int rc = gw_store__step(s);
    if (rc == 1) {
        size_t n = 0;
        const void *p = gw_store__col_blob(s, 0, &n);
        if (p == NULL || n != POL_CRYPTO_WRAPPED_BYTES)
            rc = -2;
        else
            memcpy(wrapped, p, n);
    }
    gw_store__reset(s);
    return rc;
}

/* Creates the user with a fresh data key unless another writer did first. @return 0 or -1. */
static int user_create(gw_store_t *st, const char *user_id)
{
    unsigned char w[POL_CRYPTO_WRAPPED_BYTES];
    pol_key_t *dk = pol_key_new_random();
    if (dk == NULL || pol_crypto_wrap(st->mk, dk, user_id, w) != 0) {
        pol_key_free(dk);
        return -1;
    }
    pol_key_free(dk); /* the row is the truth: the key is unwrapped from it like any other */
    gw_store_stmt_t *s = st->s_user_ins;
    gw_store__bind_text(s, 1, user_id);
    gw_store__bind_blob(s, 2, w, sizeof(w));
    gw_store__bind_text(s, 3, st->mk_id);
    gw_store__bind_int64(s, 4, now_us(st));
    return run(s) < 0 ? -1 : 0;
}

static const char *SQL_USER_INS;

int gw_store__user_insert(gw_store_t *st, gw_store_db_t *db, const char *user_id)
{
    unsigned char w[POL_CRYPTO_WRAPPED_BYTES];
    pol_key_t *dk = pol_key_new_random();
    if (dk == NULL || pol_crypto_wrap(st->mk, dk, user_id, w) != 0) {
        pol_key_free(dk);
        return -1;
    }
    pol_key_free(dk);
    gw_store_stmt_t *s = gw_store__db_prepare(db, SQL_USER_INS);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, user_id);
    gw_store__bind_blob(s, 2, w, sizeof(w));
    gw_store__bind_text(s, 3, st->mk_id);
    gw_store__bind_int64(s, 4, now_us(st));
    int64_t n = run(s);
    gw_store__db_finalize(s);
    return n < 0 ? -1 : 0;
}

/*
 * The user's data key, creating the user if needed; inside the caller's transaction.
 * @return the key (borrowed from the cache, valid until the next call), or NULL with *err set.
 */
static const pol_key_t *user_key(gw_store_t *st, const char *user_id, int *err)
{
    unsigned char w[POL_CRYPTO_WRAPPED_BYTES];
    key_entry_t *e = cache_find(st, user_id);
    if (e != NULL && e->validated_batch == st->batch_seq) {
        e->last_use = ++st->use_seq;
        return e->key;
    }
    int rc = user_row(st, user_id, w);
    if (rc == 0) {
        if (user_create(st, user_id) != 0 || (rc = user_row(st, user_id, w)) != 1) {
            *err = GW_STORE_E_DB;
            return NULL;
        }
    } else if (rc != 1) {
        *err = rc == -2 ? GW_STORE_E_CRYPTO : GW_STORE_E_DB;
        return NULL;
    }
    if ((e = cache_install(st, e, user_id, w, err)) == NULL)
        return NULL;
    return e->key;
}

gw_store_db_t *gw_store__wdb_acquire(gw_store_t *st)
{
    pthread_mutex_lock(&st->wlock);
    st->batch_seq++;
    return st->wdb;
}

void gw_store__wdb_release(gw_store_t *st)
{
    pthread_mutex_unlock(&st->wlock);
}

const pol_key_t *gw_store__user_key(gw_store_t *st, const char *user_id, int create, int *err)
{
    unsigned char w[POL_CRYPTO_WRAPPED_BYTES];
    int rc;
    if (!create && (rc = user_row(st, user_id, w)) != 1) {
        *err = rc == 0 ? GW_STORE_E_NOTFOUND : rc == -2 ? GW_STORE_E_CRYPTO : GW_STORE_E_DB;
        return NULL;
    }
    return user_key(st, user_id, err);
}

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

static int write_call(gw_store_t *st, gw_call_rec_t *r)
{
    const char *user = r->user_id ? r->user_id : GW_STORE_ANON_USER;
    int64_t started = r->started_at_us ? r->started_at_us : now_us(st);
    unsigned char nonce[2 * POL_CRYPTO_NONCE_BYTES] = {0};
    unsigned char *req_ct = NULL, *resp_ct = NULL;
    int err = 0;
    if (!valid_user_id(user) || r->request_id[0] == '\0' || memchr(r->request_id, '\0', sizeof(r->request_id)) == NULL)
        return GW_STORE_E_INVAL;
    const pol_key_t *dk = user_key(st, user, &err);
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
        if (run(s) < 0) {
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
            if (run(s) < 0) {
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
    int64_t at = r->at_us ? r->at_us : now_us(st);
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
    return run(s) < 0 ? GW_STORE_E_DB : 0;
}

static int write_item(gw_store_t *st, qitem_t *it)
{
    return it->kind == Q_CALL ? write_call(st, it->rec) : write_access(st, it->rec);
}

static void count_written(gw_store_t *st, qitem_t *it, uint64_t *calls, uint64_t *access, uint64_t *reds)
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
 * of one round trip per user. Users without a row are left to user_key, which creates them.
 * Errors are left to user_key too (it retries per user).
 */
static void prefetch_keys(gw_store_t *st, qitem_t *items, size_t n)
{
    pol_buf_t arr = POL_BUF_INIT;
    int any = 0;
    pol_buf_append(&arr, "{", 1);
    for (size_t i = 0; i < n; i++) {
        if (items[i].kind != Q_CALL)
            continue;
        gw_call_rec_t *r = items[i].rec;
        const char *u = r->user_id ? r->user_id : GW_STORE_ANON_USER;
        key_entry_t *e = cache_find(st, u);
        if (!user_id_fits(u) || (e != NULL && e->validated_batch == st->batch_seq))
            continue;
        /* PostgreSQL array literal: every element quoted, \ and " escaped. */
        pol_buf_append(&arr, any ? ",\"" : "\"", any ? 2 : 1);
        for (const char *c = u; *c; c++) {
            if (*c == '"' || *c == '\\')
                pol_buf_append(&arr, "\\", 1);
            pol_buf_append(&arr, c, 1);
        }
        pol_buf_append(&arr, "\"", 1);
        any = 1;
    }
    if (pol_buf_append(&arr, "}", 1) == 0 && any) {
        gw_store_stmt_t *s = st->s_user_many;
        gw_store__bind_text(s, 1, arr.base);
        while (gw_store__step(s) == 1) {
            size_t wl = 0;
            const char *u = gw_store__col_text(s, 0);
            const unsigned char *w = gw_store__col_blob(s, 1, &wl);
            int err = 0;
            if (u != NULL && w != NULL && wl == POL_CRYPTO_WRAPPED_BYTES)
                cache_install(st, cache_find(st, u), u, w, &err);
        }
        gw_store__reset(s);
    }
    pol_buf_free(&arr);
}

/* Writes a batch; called on the writer thread with wlock held. */
static void write_batch(gw_store_t *st, qitem_t *items, size_t n)
{
    uint64_t calls = 0, access = 0, reds = 0, failed = 0;
    int64_t t0 = mono_now_us();
    for (int attempt = 0;; attempt++) {
        st->batch_seq++;
        size_t i = 0;
        if (tx_begin(st, st->wdb) == 0) {
            if (st->pg)
                prefetch_keys(st, items, n);
            int prc = gw_store__db_pipeline(st->wdb, 1);
            for (i = 0; prc == 0 && i < n; i++)
                if (write_item(st, &items[i]) != 0)
                    break;
            if (gw_store__db_pipeline(st->wdb, 0) == 0 && prc == 0 && i == n && tx_commit(st->wdb) == 0)
                break;
        }
        tx_rollback(st->wdb);
        if (gw_store__db_broken(st->wdb) && attempt < DB_RETRY_LIMIT) {
            log_db_error(st->wdb, "connection lost, retrying the batch");
            sleep(1);
            continue;
        }
        /* One record at a time: the bad one fails alone, the others commit. */
        calls = access = reds = 0;
        for (i = 0; i < n; i++) {
            st->batch_seq++;
            if (tx_begin(st, st->wdb) == 0 && write_item(st, &items[i]) == 0 && tx_commit(st->wdb) == 0) {
                count_written(st, &items[i], &calls, &access, &reds);
                continue;
            }
            log_db_error(st->wdb, "record not written");
            tx_rollback(st->wdb);
            failed++;
        }
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        count_written(st, &items[i], &calls, &access, &reds);
done:;
    uint64_t dt = (uint64_t)(mono_now_us() - t0);
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

/* ---- purge ---- */

static const char *purge_sql(int pg, pol_retention_class_t c)
{
    /* The sub-select walks the expires_at index; SKIP LOCKED lets several PostgreSQL instances
     * purge side by side without waiting on each other's rows. */
    static const char *sq[POL_RET_NCLASSES] = {
        "DELETE FROM calls WHERE request_id IN (SELECT request_id FROM calls WHERE expires_at < ? LIMIT 100)",
        "DELETE FROM redactions WHERE id IN (SELECT id FROM redactions WHERE expires_at < ? LIMIT 100)",
        "DELETE FROM access_log WHERE id IN (SELECT id FROM access_log WHERE expires_at < ? LIMIT 100)",
        ("UPDATE calls SET request_ct = NULL, response_ct = NULL, nonce = NULL, body_expires_at = NULL WHERE request_id IN"
         " (SELECT request_id FROM calls WHERE body_expires_at < ? LIMIT 100)"),
    };
    static const char *pq[POL_RET_NCLASSES] = {
        ("DELETE FROM calls WHERE request_id IN (SELECT request_id FROM calls WHERE expires_at < ? LIMIT 100"
         " FOR UPDATE SKIP LOCKED)"),
        "DELETE FROM redactions WHERE id IN (SELECT id FROM redactions WHERE expires_at < ? LIMIT 100 FOR UPDATE SKIP LOCKED)",
        "DELETE FROM access_log WHERE id IN (SELECT id FROM access_log WHERE expires_at < ? LIMIT 100 FOR UPDATE SKIP LOCKED)",
        ("UPDATE calls SET request_ct = NULL, response_ct = NULL, nonce = NULL, body_expires_at = NULL WHERE request_id IN"
         " (SELECT request_id FROM calls WHERE body_expires_at < ? LIMIT 100 FOR UPDATE SKIP LOCKED)"),
    };
    return pg ? pq[c] : sq[c];
}

static const char *count_sql(pol_retention_class_t c)
{
    static const char *s[POL_RET_NCLASSES] = {
        "SELECT COUNT(*) FROM calls WHERE expires_at < ?",
        "SELECT COUNT(*) FROM redactions WHERE expires_at < ?",
        "SELECT COUNT(*) FROM access_log WHERE expires_at < ?",
        "SELECT COUNT(*) FROM calls WHERE body_expires_at < ?",
    };
    return s[c];
}

static int64_t count_one(gw_store_db_t *db, const char *sql, int64_t arg)
{
    gw_store_stmt_t *s = gw_store__db_prepare(db, sql);
    if (s == NULL)
        return -1;
    gw_store__bind_int64(s, 1, arg);
    int64_t n = gw_store__step(s) == 1 ? gw_store__col_int64(s, 0) : -1;
    gw_store__reset(s);
    gw_store__db_finalize(s);
    return n;
}

/* One purge statement of class `c` in its own transaction. wlock held. @return rows, or -1. */
static int64_t purge_step(gw_store_t *st, pol_retention_class_t c, int64_t now)
{
    int64_t t0 = mono_now_us();
    if (tx_begin(st, st->wdb) != 0)
        return -1;
    int64_t n = run_sql(st->wdb, purge_sql(st->pg, c), "i", now);
    if (n < 0 || tx_commit(st->wdb) != 0) {
        log_db_error(st->wdb, "purge");
        tx_rollback(st->wdb);
        return -1;
    }
    uint64_t dt = (uint64_t)(mono_now_us() - t0);
    pthread_mutex_lock(&st->qlock);
    st->stats.purged[c] += (uint64_t)n;
    if (dt > st->stats.max_purge_batch_us)
        st->stats.max_purge_batch_us = dt;
    pthread_mutex_unlock(&st->qlock);
    return n;
}

int gw_store_purge(gw_store_t *st, int dry_run, gw_purge_counts_t *counts,
                   void (*progress)(void *ctx, pol_retention_class_t cls, int64_t done, int64_t total), void *ctx)
{
    int ret = 0;
    memset(counts, 0, sizeof(*counts));
    for (int c = 0; c < POL_RET_NCLASSES; c++) {
        pthread_mutex_lock(&st->wlock);
        int64_t now = now_us(st);
        int64_t total = count_one(st->wdb, count_sql(c), now);
        pthread_mutex_unlock(&st->wlock);
        if (total < 0)
            return GW_STORE_E_DB;
        if (dry_run) {
            counts->rows[c] = total;
            if (progress)
                progress(ctx, c, total, total);
            continue;
        }
        for (;;) {
            /* The lock is released between batches so the writer's ingest interleaves. */
            pthread_mutex_lock(&st->wlock);
            int64_t n = purge_step(st, c, now);
            pthread_mutex_unlock(&st->wlock);
            if (n < 0) {
                ret = GW_STORE_E_DB;
                break;
            }
            counts->rows[c] += n;
            if (progress)
                progress(ctx, c, counts->rows[c], total > counts->rows[c] ? total : counts->rows[c]);
            if (n < GW_STORE_PURGE_BATCH)
                break;
        }
    }
    pthread_mutex_lock(&st->qlock);
    st->stats.last_purge_at_us = now_us(st);
    pthread_mutex_unlock(&st->qlock);
    return ret;
}

/* ---- journal ---- */

#define J_RETRY_MIN_US 50000
#define J_RETRY_MAX_US 1000000
#define J_UNAVAILABLE_US 1000000
#define J_DROP_AFTER 20 /* failed attempts alone, with other commits succeeding meanwhile: a bad record */

/* Applies the journal items in order inside the open transaction. @return 0, or -1 when the
 * transaction must be rolled back (a database error; the item that failed has rc set). */
static int journal_apply(gw_store_t *st, gw_journal_item_t *j)
{
    gw_store__ledger_batch(st->ledger, 0);
    for (gw_journal_item_t *it = j; it != NULL; it = it->next) {
        it->rc = 0;
        switch (it->kind) {
        case GW_J_FLUSH:
            break;
        case GW_J_FINISH:
            if (it->settle) {
                int rc = gw_store__ledger_apply(st->ledger, st->wdb, it);
                if (rc == GW_STORE_E_DB)
                    return -1;
                if (rc != 0)
                    gw_log(GW_LOG_WARN, "store: settling %s: %s (nothing changed)", it->rid,
                           rc == GW_STORE_E_NOTFOUND ? "no such reservation" : "refused");
                it->rc = 0;
            }
            if (it->rec != NULL && (it->rc = write_call(st, it->rec)) != 0)
                return -1;
            break;
        default:
            if (gw_store__ledger_apply(st->ledger, st->wdb, it) == GW_STORE_E_DB)
                return -1;
        }
    }
    return gw_store__ledger_batch(st->ledger, 1) == 0 ? 0 : -1;
}

static uint64_t journal_ops(const gw_journal_item_t *j)
{
    uint64_t n = 0;
    for (; j != NULL; j = j->next)
        n += j->kind == GW_J_RESERVE || j->kind == GW_J_SETTLE || j->kind == GW_J_GRANT || j->kind == GW_J_LEASE ||
             j->kind == GW_J_LEASE_RETURN || (j->kind == GW_J_FINISH && j->settle);
    return n;
}

/* Completes one item (writer thread; no lock held). */
static void journal_complete(gw_store_t *st, gw_journal_item_t *it, int committed)
{
    if (!committed && (it->rc == 0 || it->rc == GW_E_CREDITS || it->rc == GW_STORE_E_NOTFOUND))
        it->rc = GW_STORE_E_DB;
    gw_store__ledger_applied(st->ledger, it, committed);
    if (it->kind == GW_J_FINISH && committed && it->rec != NULL) {
        pthread_mutex_lock(&st->qlock);
        st->stats.calls_written += pol_retention_keeps(&st->ret, POL_RET_CALL_LOG);
        st->stats.redactions_written += pol_retention_keeps(&st->ret, POL_RET_REDACTION_LOG) ? it->rec->nredactions : 0;
        pthread_mutex_unlock(&st->qlock);
    }
    switch (it->mode) {
    case GW_J_SYNC:
        pthread_mutex_lock(&st->qlock);
        it->done = 1;
        pthread_cond_broadcast(&st->jdone);
        pthread_mutex_unlock(&st->qlock);
        break;
    case GW_J_DEFERRED:
        if (it->rc != 0 && it->kind == GW_J_SETTLE)
            gw_log(GW_LOG_ERROR,
                   "ledger: settling %s failed (%d); it stays open and is settled at its reservation on the next start", it->rid,
                   it->rc);
        gw_call_rec_free(it->rec);
        free(it);
        break;
    case GW_J_ASYNC:
        it->cb(it->ctx, it->rc, it->bal);
        gw_call_rec_free(it->rec);
        free(it);
        break;
    }
}

static void journal_complete_all(gw_store_t *st, gw_journal_item_t *j, int committed)
{
    while (j != NULL) {
        gw_journal_item_t *next = j->next; /* a SYNC item may be gone once completed */
        journal_complete(st, j, committed);
        j = next;
    }
}

static void mark_unavailable(gw_store_t *st)
{
    atomic_store_explicit(&st->unavailable_until_us, mono_now_us() + J_UNAVAILABLE_US, memory_order_relaxed);
}

/* One FINISH item alone in its own transaction. @return 1 committed, 0 failed (rolled back). */
static int finish_alone(gw_store_t *st, gw_journal_item_t *it)
{
    gw_journal_item_t *next = it->next;
    it->next = NULL;
    int ok = tx_begin(st, st->wdb) == 0 && journal_apply(st, it) == 0 && tx_commit(st->wdb) == 0;
    it->next = next;
    if (!ok) {
        log_db_error(st->wdb, "finished call not committed");
        tx_rollback(st->wdb);
    } else {
        st->commit_seq++;
    }
    return ok;
}

/*
 * A journal transaction failed and was rolled back. Reservations, grants, settlements and
 * flushes fail (their callers answer 503 or report the error: nothing was forwarded on their
 * account). Finished calls were forwarded: each is tried alone; those that still fail wait in
 * the retry list (new calls are refused meanwhile) unless they failed many times while other
 * transactions committed (a record the database refuses for itself: dropped, logged).
 */
static void journal_failed(gw_store_t *st, gw_journal_item_t *j)
{
    gw_journal_item_t *fin = NULL, **ftail = &fin;
    mark_unavailable(st);
    while (j != NULL) {
        gw_journal_item_t *next = j->next;
        j->next = NULL;
        if (j->kind == GW_J_FINISH && j->mode != GW_J_SYNC) {
            *ftail = j;
            ftail = &j->next;
        } else {
            journal_complete(st, j, 0);
        }
        j = next;
    }
    gw_journal_item_t *keep = NULL, **ktail = &keep;
    size_t nkeep = 0;
    while (fin != NULL) {
        gw_journal_item_t *next = fin->next;
        fin->next = NULL;
        uint64_t seq = st->commit_seq;
        if (finish_alone(st, fin)) {
            journal_complete(st, fin, 1);
        } else if (++fin->failures >= J_DROP_AFTER && st->commit_seq > seq && !st->stopping) {
            gw_log(GW_LOG_ERROR, "store: the record of %s was refused %d times while other commits succeeded: dropped", fin->rid,
                   fin->failures);
            pthread_mutex_lock(&st->qlock);
            st->stats.write_failures++;
            pthread_mutex_unlock(&st->qlock);
            journal_complete(st, fin, 0);
        } else if (st->stopping) {
            gw_log(GW_LOG_ERROR, "store: closing while the record of %s cannot be committed", fin->rid);
            journal_complete(st, fin, 0);
        } else {
            *ktail = fin;
            ktail = &fin->next;
            nkeep++;
        }
        fin = next;
    }
    if (keep != NULL) {
        pthread_mutex_lock(&st->qlock);
        *ktail = st->jretry; /* older retries after these: order within one user is kept by the settle rules */
        st->jretry = keep;
        st->jbackoff_us = st->jbackoff_us == 0 ? J_RETRY_MIN_US : st->jbackoff_us * 2;
        if (st->jbackoff_us > J_RETRY_MAX_US)
            st->jbackoff_us = J_RETRY_MAX_US;
        st->jretry_due_us = mono_now_us() + st->jbackoff_us;
        atomic_fetch_add_explicit(&st->jretry_n, (int)nkeep, memory_order_relaxed);
        pthread_mutex_unlock(&st->qlock);
    }
}

/* Stable merge sort of the journal by user id (PostgreSQL: every instance takes the users' row
 * locks in the same order, so two instances' batches cannot deadlock). Per-user order is kept. */
static gw_journal_item_t *journal_sort(gw_journal_item_t *j)
{
    if (j == NULL || j->next == NULL)
        return j;
    gw_journal_item_t *slow = j, *fast = j->next;
    while (fast != NULL && fast->next != NULL) {
        slow = slow->next;
        fast = fast->next->next;
    }
    gw_journal_item_t *b = slow->next, *out = NULL, **t = &out;
    slow->next = NULL;
    gw_journal_item_t *a = journal_sort(j);
    b = journal_sort(b);
    while (a != NULL && b != NULL) {
        if (strcmp(a->user ? a->user : "", b->user ? b->user : "") <= 0) {
            *t = a;
            a = a->next;
        } else {
            *t = b;
            b = b->next;
        }
        t = &(*t)->next;
    }
    *t = a != NULL ? a : b;
    return out;
}

/*
 * One writer transaction (wlock held): the journal items first (ledger operations at their
 * savepoints, finished calls), then the queued records, one COMMIT. When it fails, the journal
 * is retried alone (so a bad access record cannot fail a reservation) and the records take
 * write_batch's one-at-a-time path. `began`: the caller's BEGIN succeeded.
 */
static void run_transaction(gw_store_t *st, int began, gw_journal_item_t *j, qitem_t *items, size_t n)
{
    uint64_t ops = journal_ops(j);
    if (ops > 0)
        gw_store__ledger_count(st->ledger, ops);
    int ok = began;
    if (ok && j != NULL)
        ok = journal_apply(st, j) == 0;
    if (ok && n > 0) {
        st->batch_seq++;
        if (st->pg)
            prefetch_keys(st, items, n);
        int prc = gw_store__db_pipeline(st->wdb, 1);
        size_t i;
        for (i = 0; prc == 0 && i < n; i++)
            if (write_item(st, &items[i]) != 0)
                break;
        ok = gw_store__db_pipeline(st->wdb, 0) == 0 && prc == 0 && i == n;
    }
    if (ok && tx_commit(st->wdb) == 0) {
        uint64_t calls = 0, access = 0, reds = 0;
        for (size_t i = 0; i < n; i++)
            count_written(st, &items[i], &calls, &access, &reds);
        pthread_mutex_lock(&st->qlock);
        st->stats.calls_written += calls;
        st->stats.access_written += access;
        st->stats.redactions_written += reds;
        st->stats.batches++;
        st->jbackoff_us = 0;
        pthread_mutex_unlock(&st->qlock);
        st->commit_seq++;
        journal_complete_all(st, j, 1);
        return;
    }
    if (began)
        log_db_error(st->wdb, j != NULL ? "journal transaction" : "batch");
    tx_rollback(st->wdb);
    if (j != NULL) {
        if (n > 0 && tx_begin(st, st->wdb) == 0 && journal_apply(st, j) == 0 && tx_commit(st->wdb) == 0) {
            st->commit_seq++;
            journal_complete_all(st, j, 1);
        } else {
            if (n > 0)
                tx_rollback(st->wdb);
            journal_failed(st, j);
        }
    }
    if (n > 0)
        write_batch(st, items, n);
}

int gw_store__journal_submit(gw_store_t *st, gw_journal_item_t *it)
{
    it->next = NULL;
    it->done = 0;
    pthread_mutex_lock(&st->qlock);
    if (st->stopping || !st->writer_started) {
        pthread_mutex_unlock(&st->qlock);
        return GW_STORE_E_CLOSED;
    }
    if (st->jtail != NULL)
        st->jtail->next = it;
    else
        st->jhead = it;
    st->jtail = it;
    pthread_cond_signal(&st->qcond);
    if (it->mode == GW_J_SYNC)
        while (!it->done)
            pthread_cond_wait(&st->jdone, &st->qlock);
    pthread_mutex_unlock(&st->qlock);
    return 0;
}

int gw_store__journal_idle(gw_store_t *st)
{
    pthread_mutex_lock(&st->qlock);
    int idle = st->jhead == NULL && st->jretry == NULL && !st->jbusy;
    pthread_mutex_unlock(&st->qlock);
    return idle;
}

size_t gw_store__journal_pending(gw_store_t *st)
{
    size_t n = 0;
    pthread_mutex_lock(&st->qlock);
    for (gw_journal_item_t *it = st->jhead; it != NULL; it = it->next)
        n += it->kind != GW_J_FLUSH;
    pthread_mutex_unlock(&st->qlock);
    return n;
}

int gw_store_unavailable(gw_store_t *st)
{
    if (atomic_load_explicit(&st->jretry_n, memory_order_relaxed) > 0)
        return 1;
    int64_t until = atomic_load_explicit(&st->unavailable_until_us, memory_order_relaxed);
    return until != 0 && mono_now_us() < until;
}

int gw_store_finish_async(gw_store_t *st, gw_call_rec_t *rec, const char *user_id, const char *request_id, int settle,
                          int64_t actual, gw_store_done_cb cb, void *ctx)
{
    size_t ul = user_id ? strlen(user_id) : 0, rl = request_id ? strlen(request_id) : 0;
    if (cb == NULL || (settle && (ul == 0 || ul > GW_USER_ID_MAX || rl == 0 || rl > GW_REQUEST_ID_MAX || actual < 0))) {
        gw_call_rec_free(rec);
        return GW_STORE_E_INVAL;
    }
    gw_journal_item_t *it = calloc(1, sizeof(*it) + ul + rl + 2);
    if (it == NULL) {
        gw_call_rec_free(rec);
        return GW_STORE_E_NOMEM;
    }
    char *u = (char *)(it + 1), *r = u + ul + 1;
    if (ul)
        memcpy(u, user_id, ul);
    if (rl)
        memcpy(r, request_id, rl);
    it->kind = GW_J_FINISH;
    it->mode = GW_J_ASYNC;
    it->user = u;
    it->rid = rl ? r : (rec != NULL ? rec->request_id : r);
    it->settle = settle;
    it->amount = actual;
    it->now = now_us(st);
    it->rec = rec;
    it->cb = cb;
    it->ctx = ctx;
    int rc = gw_store__journal_submit(st, it);
    if (rc != 0) {
        gw_call_rec_free(rec);
        free(it);
    }
    return rc;
}

/* ---- writer thread ---- */

static void *writer_main(void *arg)
{
    gw_store_t *st = arg;
    qitem_t *batch = malloc(st->batch_max * sizeof(*batch));
    int purge_class = 0;
    if (batch == NULL) {
        gw_log(GW_LOG_ERROR, "store: writer: out of memory");
        abort();
    }
    pthread_mutex_lock(&st->qlock);
    for (;;) {
        /* Checked on every turn, not only when idle: under sustained ingest the queue is never
         * empty, and the purge must still run (interleaved, one small batch per turn). */
        if (!st->purge_running && st->purge_interval_us > 0 && mono_now_us() >= st->next_purge_mono_us) {
            st->purge_running = 1;
            purge_class = 0;
        }
        for (;;) {
            int retry_due = st->jretry != NULL && (st->stopping || mono_now_us() >= st->jretry_due_us);
            if (st->stopping || (st->qlen != 0 && !st->paused) || st->jhead != NULL || retry_due || st->purge_running)
                break;
            int64_t wait = st->purge_interval_us > 0 ? st->next_purge_mono_us - mono_now_us() : INT64_MAX;
            if (st->jretry != NULL && st->jretry_due_us - mono_now_us() < wait)
                wait = st->jretry_due_us - mono_now_us();
            if (wait <= 0) {
                if (st->purge_interval_us > 0 && mono_now_us() >= st->next_purge_mono_us) {
                    st->purge_running = 1;
                    purge_class = 0;
                }
                continue;
            }
            if (wait == INT64_MAX) {
                pthread_cond_wait(&st->qcond, &st->qlock);
                continue;
            }
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            int64_t ns = ts.tv_nsec + (wait % 1000000) * 1000;
            ts.tv_sec += (time_t)(wait / 1000000 + ns / 1000000000);
            ts.tv_nsec = (long)(ns % 1000000000);
            pthread_cond_timedwait(&st->qcond, &st->qlock, &ts);
        }
        if (st->stopping && st->qlen == 0 && st->jhead == NULL && st->jretry == NULL)
            break;
        int work = (st->qlen > 0 && (!st->paused || st->stopping)) || st->jhead != NULL ||
                   (st->jretry != NULL && (st->stopping || mono_now_us() >= st->jretry_due_us));
        int purge_now = st->purge_running && !st->stopping;
        pthread_mutex_unlock(&st->qlock);

        size_t n = 0;
        if (work) {
            pthread_mutex_lock(&st->wlock);
            /* BEGIN first (it may wait for SQLite's write lock), then take everything queued by
             * then: the operations that arrived while the last transaction ran go together. */
            int began = tx_begin(st, st->wdb) == 0;
            gw_journal_item_t *j = NULL;
            pthread_mutex_lock(&st->qlock);
            if (st->jretry != NULL && (st->stopping || mono_now_us() >= st->jretry_due_us)) {
                gw_journal_item_t *r = st->jretry, *last = r;
                int k = 1;
                while (last->next != NULL) {
                    last = last->next;
                    k++;
                }
                last->next = st->jhead;
                st->jhead = r;
                if (st->jtail == NULL)
                    st->jtail = last;
                st->jretry = NULL;
                atomic_fetch_sub_explicit(&st->jretry_n, k, memory_order_relaxed);
            }
            j = st->jhead;
            st->jhead = st->jtail = NULL;
            st->jbusy = j != NULL;
            if (!st->paused || st->stopping) {
                while (n < st->batch_max && st->qlen > 0) {
                    batch[n++] = st->q[st->qhead];
                    st->qhead = (st->qhead + 1) % st->qcap;
                    st->qlen--;
                }
            }
            pthread_mutex_unlock(&st->qlock);
            if (st->pg)
                j = journal_sort(j);
            if (j == NULL && n == 0) {
                if (began)
                    tx_commit(st->wdb);
            } else {
                int64_t t0 = mono_now_us();
                run_transaction(st, began, j, batch, n);
                uint64_t dt = (uint64_t)(mono_now_us() - t0);
                pthread_mutex_lock(&st->qlock);
                st->stats.last_batch_us = dt;
                if (dt > st->stats.max_batch_us)
                    st->stats.max_batch_us = dt;
                pthread_mutex_unlock(&st->qlock);
            }
            pthread_mutex_unlock(&st->wlock);
            for (size_t i = 0; i < n; i++)
                qitem_free(&batch[i]);
            pthread_mutex_lock(&st->qlock);
            st->jbusy = 0;
            pthread_mutex_unlock(&st->qlock);
        }
        if (purge_now) {
            /* One small batch of one class per loop turn, so queued records go first. */
            pthread_mutex_lock(&st->wlock);
            int64_t k = purge_step(st, purge_class, now_us(st));
            pthread_mutex_unlock(&st->wlock);
            if (k < GW_STORE_PURGE_BATCH)
                purge_class++;
        }

        pthread_mutex_lock(&st->qlock);
        st->processed += n;
        if (n > 0)
            pthread_cond_broadcast(&st->qdone);
        if (purge_now && purge_class >= POL_RET_NCLASSES) {
            st->purge_running = 0;
            st->stats.last_purge_at_us = now_us(st);
            st->next_purge_mono_us = mono_now_us() + st->purge_interval_us;
        }
    }
    pthread_cond_broadcast(&st->qdone);
    pthread_mutex_unlock(&st->qlock);
    free(batch);
    return NULL;
}

static int submit(gw_store_t *st, int kind, void *rec)
{
    int ret = 0;
    pthread_mutex_lock(&st->qlock);
    if (st->stopping) {
        ret = GW_STORE_E_CLOSED;
    } else if (st->qlen == st->qcap) {
        st->stats.rejected_full++;
        ret = GW_STORE_E_FULL;
    } else {
        st->q[(st->qhead + st->qlen) % st->qcap] = (qitem_t){kind, rec};
        st->qlen++;
        st->submitted++;
        pthread_cond_signal(&st->qcond);
    }
    pthread_mutex_unlock(&st->qlock);
    return ret;
}

int gw_store_submit_call(gw_store_t *st, gw_call_rec_t *rec)
{
    return submit(st, Q_CALL, rec);
}

int gw_store_submit_access(gw_store_t *st, gw_store_access_rec_t *rec)
{
    return submit(st, Q_ACCESS, rec);
}

int gw_store_flush(gw_store_t *st)
{
    pthread_mutex_lock(&st->qlock);
    uint64_t target = st->submitted;
    while (st->processed < target && st->writer_started && !(st->paused && !st->stopping)) {
        pthread_cond_signal(&st->qcond);
        pthread_cond_wait(&st->qdone, &st->qlock);
    }
    int ret = st->processed >= target ? 0 : GW_STORE_E_CLOSED;
    pthread_mutex_unlock(&st->qlock);
    return ret;
}

void gw_store_pause_writer(gw_store_t *st, int paused)
{
    pthread_mutex_lock(&st->qlock);
    st->paused = paused;
    pthread_cond_broadcast(&st->qcond);
    pthread_cond_broadcast(&st->qdone);
    pthread_mutex_unlock(&st->qlock);
}

void gw_store_stats(gw_store_t *st, gw_store_stats_t *out)
{
    pthread_mutex_lock(&st->qlock);
    *out = st->stats;
    out->queue_depth = st->qlen;
    out->queue_max = st->qcap;
    pthread_mutex_unlock(&st->qlock);
}

const char *gw_store_master_key_id(gw_store_t *st)
{
    return st->mk_id;
}

/* ---- open / close ---- */

static const char *SQL_USER_GET_SQLITE = "SELECT data_key_wrapped FROM users WHERE id = ?";
/* FOR SHARE: an erasure on another instance waits until this batch commits, then deletes what
 * it wrote too (READ COMMITTED re-reads after the lock). */
static const char *SQL_USER_GET_PG = "SELECT data_key_wrapped FROM users WHERE id = ? FOR SHARE";
static const char *SQL_USER_MANY_PG = "SELECT id, data_key_wrapped FROM users WHERE id = ANY(?::text[]) FOR SHARE";
static const char *SQL_USER_INS = "INSERT INTO users(id, data_key_wrapped, key_id, consent_training, created_at)"
                                  " VALUES (?, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING";
static const char *SQL_CALL_INS =
    "INSERT INTO calls(request_id, user_id, client, provider, model, route, status, started_at, duration_us, usage_json,"
    " cost_microcredits, notrain_decision, has_images, expires_at, body_expires_at, request_ct, response_ct, nonce,"
    " outcome, input_tokens, output_tokens, images, compute_ms)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING";
static const char *SQL_RED_INS = "INSERT INTO redactions(request_id, user_id, route, field, entity_type, start_off, end_off,"
                                 " action, value_hmac, at, expires_at, direction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char *SQL_ACC_INS = "INSERT INTO access_log(at, method, route, status, bytes_in, bytes_out, client_ip, user_id,"
                                 " duration_us, upstream_us, expires_at, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* Reads meta[key] into out (NUL-terminated). @return 1 found, 0 absent, -1 error. */
static int meta_get(gw_store_db_t *db, const char *key, char *out, size_t outlen)
{
    gw_store_stmt_t *s = gw_store__db_prepare(db, "SELECT value FROM meta WHERE key = ?");
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, key);
    int rc = gw_store__step(s);
    if (rc == 1)
        snprintf(out, outlen, "%s", gw_store__col_text(s, 0));
    gw_store__reset(s);
    gw_store__db_finalize(s);
    return rc;
}

static int meta_set(gw_store_db_t *db, const char *key, const char *value)
{
    return run_sql(db, "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", "tt",
                   key, value) < 0
               ? -1
               : 0;
}

/*
 * Checks the master key against the database and re-applies changed TTLs to existing rows
 * ("Changing a TTL in config applies to existing rows on the next start"), in one transaction.
 */
static int apply_meta(gw_store_t *st, char *err, size_t errlen)
{
    gw_store_db_t *db = st->wdb;
    char val[64];
    if (tx_begin(st, db) != 0)
        goto dberr;
    int rc = meta_get(db, "master_key_id", val, sizeof(val));
    if (rc < 0)
        goto dberr;
    if (rc == 0) {
        if (meta_set(db, "master_key_id", st->mk_id) != 0)
            goto dberr;
    } else if (strcmp(val, st->mk_id) != 0) {
        snprintf(err, errlen,
                 "master key: the database was written under master key %s but the key file has id %s (was the key rotated? "
                 "point master_key_file at the current key)",
                 val, st->mk_id);
        tx_rollback(db);
        return -1;
    }
    static const char *reapply[POL_RET_NCLASSES] = {
        "UPDATE calls SET expires_at = started_at + ?",
        "UPDATE redactions SET expires_at = at + ?",
        "UPDATE access_log SET expires_at = at + ?",
        "UPDATE calls SET body_expires_at = started_at + ? WHERE has_images <> 0 AND nonce IS NOT NULL",
    };
    for (int c = 0; c < POL_RET_NCLASSES; c++) {
        char key[48], want[32];
        snprintf(key, sizeof(key), "ttl_us.%s", pol_retention_name(c));
        snprintf(want, sizeof(want), "%" PRId64, st->ret.ttl_us[c]);
        if ((rc = meta_get(db, key, val, sizeof(val))) < 0)
            goto dberr;
        if (rc == 1 && strcmp(val, want) == 0)
            continue;
        if (rc == 1 && run_sql(db, reapply[c], "i", st->ret.ttl_us[c]) < 0)
            goto dberr;
        if (meta_set(db, key, want) != 0)
            goto dberr;
    }
    if (tx_commit(db) != 0)
        goto dberr;
    return 0;
dberr:
    snprintf(err, errlen, "store: %s", gw_store__db_errmsg(db));
    tx_rollback(db);
    return -1;
}

static gw_store_db_t *open_conn(const char *driver, const char *target, char *err, size_t errlen)
{
    if (strcmp(driver, "sqlite") == 0) {
        /* The default path is var/aigw.db: create the directory (0700, the bodies are
         * encrypted but the metadata is not) if it is missing, one level only. */
        const char *slash = strrchr(target, '/');
        if (slash != NULL && slash != target) {
            char dir[1024];
            snprintf(dir, sizeof(dir), "%.*s", (int)(slash - target), target);
            if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
                snprintf(err, errlen, "store.path: cannot create %s: %s", dir, strerror(errno));
                return NULL;
            }
        }
        return gw_store__db_open_sqlite(target, err, errlen);
    }
    return gw_store__db_open_pg(target, err, errlen);
}

static int cfg_int(const json_t *cfg, const char *key, int64_t def, int64_t min, int64_t max, int64_t *out, char *err,
                   size_t errlen)
{
    json_t *v = cfg ? json_object_get(cfg, key) : NULL;
    if (v == NULL) {
        *out = def;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        snprintf(err, errlen, "store.%s: expected an integer from %lld to %lld", key, (long long)min, (long long)max);
        return -1;
    }
    *out = (int64_t)json_integer_value(v);
    return 0;
}

/* The store's settings, parsed and checked without opening anything (gw_store_open and
 * gw_store_conf_check share it, so `aigw check` refuses what the store would). */
typedef struct {
    const char *driver, *target; /* borrowed from the config */
    int64_t qmax, bmax, purge_s;
    int bodies;
    pol_retention_t ret;
} store_conf_t;

static int parse_store_conf(const json_t *store_cfg, const json_t *retention_cfg, const json_t *log_bodies, store_conf_t *c,
                            char *err, size_t errlen)
{
    c->driver = "sqlite";
    c->target = "var/aigw.db";
    if (store_cfg != NULL && !json_is_object(store_cfg)) {
        snprintf(err, errlen, "store: expected an object");
        return -1;
    }
    if (store_cfg != NULL) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)store_cfg, k, v)
        {
            if (strcmp(k, "driver") && strcmp(k, "path") && strcmp(k, "dsn") && strcmp(k, "queue_max") && strcmp(k, "batch_max") &&
                strcmp(k, "purge_interval_s")) {
                snprintf(err, errlen, "store.%s: unknown key (expected driver, path, dsn, queue_max, batch_max, purge_interval_s)",
                         k);
                return -1;
            }
        }
        json_t *d = json_object_get(store_cfg, "driver");
        if (d != NULL &&
            (!json_is_string(d) || (strcmp(json_string_value(d), "sqlite") && strcmp(json_string_value(d), "postgres")))) {
            snprintf(err, errlen, "store.driver: expected \"sqlite\" or \"postgres\"");
            return -1;
        }
        if (d != NULL)
            c->driver = json_string_value(d);
        const char *tk = strcmp(c->driver, "sqlite") == 0 ? "path" : "dsn";
        json_t *t = json_object_get(store_cfg, tk);
        if (t != NULL && !json_is_string(t)) {
            snprintf(err, errlen, "store.%s: expected a string", tk);
            return -1;
        }
        if (t != NULL)
            c->target = json_string_value(t);
        else if (strcmp(c->driver, "postgres") == 0) {
            snprintf(err, errlen, "store.dsn: required with driver \"postgres\" (a libpq conninfo string or URI)");
            return -1;
        }
    }
    if (cfg_int(store_cfg, "queue_max", DEFAULT_QUEUE_MAX, 1, 1 << 24, &c->qmax, err, errlen) != 0 ||
        cfg_int(store_cfg, "batch_max", DEFAULT_BATCH_MAX, 1, GW_STORE_KEY_CACHE, &c->bmax, err, errlen) != 0 ||
        cfg_int(store_cfg, "purge_interval_s", DEFAULT_PURGE_INTERVAL_S, 0, 86400 * 7, &c->purge_s, err, errlen) != 0)
        return -1;
    c->bodies = 1;
    if (log_bodies != NULL && !json_is_null(log_bodies)) {
        const char *lb = json_is_string(log_bodies) ? json_string_value(log_bodies) : "";
        if (strcmp(lb, "none") == 0)
            c->bodies = 0;
        else if (strcmp(lb, "scrubbed") != 0) {
            snprintf(err, errlen, "log_bodies: expected \"none\" or \"scrubbed\"");
            return -1;
        }
    }
    return pol_retention_parse(retention_cfg, &c->ret, err, errlen);
}

int gw_store_conf_check(const json_t *store_cfg, const json_t *retention_cfg, const json_t *log_bodies, char *err, size_t errlen)
{
    store_conf_t c;
    return parse_store_conf(store_cfg, retention_cfg, log_bodies, &c, err, errlen);
}

gw_store_t *gw_store_open(const json_t *store_cfg, const json_t *retention_cfg, const json_t *log_bodies,
                          const char *master_key_file, char *err, size_t errlen)
{
    store_conf_t c;
    gw_store_t *st = NULL;

    if (pol_crypto_init() != 0) {
        snprintf(err, errlen, "libsodium failed to initialise");
        return NULL;
    }
    if (parse_store_conf(store_cfg, retention_cfg, log_bodies, &c, err, errlen) != 0)
        return NULL;
    const char *driver = c.driver, *target = c.target;
    int64_t qmax = c.qmax, bmax = c.bmax, purge_s = c.purge_s;
    int bodies = c.bodies;

    if ((st = calloc(1, sizeof(*st))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&st->wlock, NULL);
    pthread_mutex_init(&st->rlock, NULL);
    pthread_mutex_init(&st->qlock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&st->qcond, &ca);
    pthread_cond_init(&st->qdone, &ca);
    pthread_cond_init(&st->jdone, &ca);
    pthread_condattr_destroy(&ca);
    st->log_bodies = bodies;
    st->qcap = (size_t)qmax;
    st->batch_max = (size_t)bmax;
    st->purge_interval_us = purge_s * 1000000;
    st->next_purge_mono_us = mono_now_us() + st->purge_interval_us;
    st->ret = c.ret;
    if ((st->q = calloc(st->qcap, sizeof(*st->q))) == NULL || (st->keyring = pol_keyring_new(GW_STORE_KEY_CACHE)) == NULL) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (master_key_file == NULL) {
        snprintf(err, errlen, "master_key_file: required (create one with `aigw keygen FILE`)");
        goto fail;
    }
    if ((st->mk = gw_keyfile_load(master_key_file, err, errlen)) == NULL)
        goto fail;
    pol_key_id(st->mk, st->mk_id);
    {
        static const char label[] = "aigw user ref v1";
        char hex[2 * POL_CRYPTO_KEY_BYTES + 1];
        pol_key_hex(st->mk, hex);
        crypto_generichash(st->ref_key, sizeof(st->ref_key), (const unsigned char *)label, sizeof(label) - 1,
                           (const unsigned char *)hex, 2 * POL_CRYPTO_KEY_BYTES);
        sodium_memzero(hex, sizeof(hex));
    }

    if ((st->wdb = open_conn(driver, target, err, errlen)) == NULL)
        goto fail;
    st->pg = gw_store__db_kind(st->wdb) == GW_STORE_DB_PG;
    if (gw_store__migrate(st->wdb, real_now_us(), err, errlen) != 0 || apply_meta(st, err, errlen) != 0)
        goto fail;
    if ((st->rdb = open_conn(driver, target, err, errlen)) == NULL)
        goto fail;
    if ((st->ledger = gw_store__ledger_open(st, st->pg, target, err, errlen)) == NULL)
        goto fail;
    if ((st->s_user_get = gw_store__db_prepare(st->wdb, st->pg ? SQL_USER_GET_PG : SQL_USER_GET_SQLITE)) == NULL ||
        (st->pg && (st->s_user_many = gw_store__db_prepare(st->wdb, SQL_USER_MANY_PG)) == NULL) ||
        (st->s_user_ins = gw_store__db_prepare(st->wdb, SQL_USER_INS)) == NULL ||
        (st->s_call_ins = gw_store__db_prepare(st->wdb, SQL_CALL_INS)) == NULL ||
        (st->s_red_ins = gw_store__db_prepare(st->wdb, SQL_RED_INS)) == NULL ||
        (st->s_acc_ins = gw_store__db_prepare(st->wdb, SQL_ACC_INS)) == NULL) {
        snprintf(err, errlen, "store: prepare: %s", gw_store__db_errmsg(st->wdb));
        goto fail;
    }
    if (pthread_create(&st->writer, NULL, writer_main, st) != 0) {
        snprintf(err, errlen, "store: cannot start the writer thread");
        goto fail;
    }
    st->writer_started = 1;
    return st;
fail:
    gw_store_close(st);
    return NULL;
}

void gw_store_close(gw_store_t *st)
{
    if (st == NULL)
        return;
    gw_store__ledger_stop(st->ledger); /* it queues lease returns: stopped while the journal still takes them */
    pthread_mutex_lock(&st->qlock);
    st->stopping = 1;
    pthread_cond_broadcast(&st->qcond);
    pthread_mutex_unlock(&st->qlock);
    if (st->writer_started)
        pthread_join(st->writer, NULL);
    for (size_t i = 0; i < st->qlen; i++) /* only when the writer never started */
        qitem_free(&st->q[(st->qhead + i) % st->qcap]);
    free(st->q);
    gw_store__db_finalize(st->s_user_get);
    gw_store__db_finalize(st->s_user_many);
    gw_store__db_finalize(st->s_user_ins);
    gw_store__db_finalize(st->s_call_ins);
    gw_store__db_finalize(st->s_red_ins);
    gw_store__db_finalize(st->s_acc_ins);
    gw_store__ledger_close(st->ledger);
    gw_store__db_close(st->rdb);
    gw_store__db_close(st->wdb);
    if (st->keyring != NULL)
        cache_clear(st);
    pol_keyring_free(st->keyring);
    pol_key_free(st->mk);
    pthread_mutex_destroy(&st->wlock);
    pthread_mutex_destroy(&st->rlock);
    pthread_mutex_destroy(&st->qlock);
    pthread_cond_destroy(&st->qcond);
    pthread_cond_destroy(&st->qdone);
    pthread_cond_destroy(&st->jdone);
    free(st);
}

/* ---- erasure, consent, rotation (writer connection) ---- */

static void checkpoint(gw_store_t *st)
{
    /* SQLite keeps old page images in the WAL until a checkpoint; after an erasure or rotation
     * we want the old wrapped keys gone from the live files now (secure_delete zeroes the freed
     * pages in the main file). Best effort: a reader holding a snapshot can delay it. */
    if (!st->pg)
        gw_store__db_exec(st->wdb, "PRAGMA wal_checkpoint(TRUNCATE)");
}

void gw_store__user_ref(const gw_store_t *st, const char *user_id, char out[GW_STORE_USER_REF_CHARS + 1])
{
    unsigned char h[GW_STORE_USER_REF_CHARS / 2];
    crypto_generichash(h, sizeof(h), (const unsigned char *)user_id, strlen(user_id), st->ref_key, sizeof(st->ref_key));
    sodium_bin2hex(out, GW_STORE_USER_REF_CHARS + 1, h, sizeof(h));
}

int gw_store_derive_key(const gw_store_t *st, const char *purpose, unsigned char *out, size_t len)
{
    if (len < crypto_generichash_BYTES_MIN || len > crypto_generichash_BYTES_MAX)
        return -1;
    char hex[2 * POL_CRYPTO_KEY_BYTES + 1];
    pol_key_hex(st->mk, hex);
    int rc = crypto_generichash(out, len, (const unsigned char *)purpose, strlen(purpose), (const unsigned char *)hex,
                                2 * POL_CRYPTO_KEY_BYTES);
    sodium_memzero(hex, sizeof(hex));
    return rc == 0 ? 0 : -1;
}

/* Every table that can name a user, with the column: what "the store knows this id" means. */
static const char sql_user_known[] =
    "SELECT (SELECT COUNT(*) FROM users WHERE id = ?) + (SELECT COUNT(*) FROM calls WHERE user_id = ?)"
    " + (SELECT COUNT(*) FROM redactions WHERE user_id = ?)"
    " + (SELECT COUNT(*) FROM access_log WHERE user_id = ?)"
    " + (SELECT COUNT(*) FROM ledger WHERE user_id = ?)"
    " + (SELECT COUNT(*) FROM credit_balances WHERE user_id = ?)"
    " + (SELECT COUNT(*) FROM credit_open WHERE user_id = ?)"
    " + (SELECT COUNT(*) FROM credit_leases WHERE user_id = ?)"
    " + (SELECT COUNT(*) FROM idempotency WHERE user_id = ?)";

static int user_known(gw_store_db_t *db, const char *user_id, int *known)
{
    gw_store_stmt_t *s = gw_store__db_prepare(db, sql_user_known);
    if (s == NULL)
        return -1;
    for (int i = 1; i <= 9; i++)
        gw_store__bind_text(s, i, user_id);
    int rc = gw_store__step(s);
    if (rc == 1)
        *known = gw_store__col_int64(s, 0) > 0;
    gw_store__reset(s);
    gw_store__db_finalize(s);
    return rc == 1 ? 0 : -1;
}

int gw_store_user_status(gw_store_t *st, const char *user_id, gw_user_status_t *out)
{
    memset(out, 0, sizeof(*out));
    if (!user_id_fits(user_id))
        return GW_STORE_E_INVAL;
    pthread_mutex_lock(&st->rlock);
    int ret = GW_STORE_E_DB;
    gw_store_stmt_t *s = gw_store__db_prepare(st->rdb, "SELECT consent_training, consent_at, created_at FROM users WHERE id = ?");
    if (s != NULL) {
        gw_store__bind_text(s, 1, user_id);
        int rc = gw_store__step(s);
        if (rc == 1) {
            out->exists = 1;
            out->has_key = 1;
            out->consent_training = gw_store__col_int64(s, 0) != 0;
            out->consent_at_us = gw_store__col_int64(s, 1);
            out->created_at_us = gw_store__col_int64(s, 2);
        }
        gw_store__reset(s);
        gw_store__db_finalize(s);
        int known = 0;
        if (rc >= 0 && (out->exists || user_known(st->rdb, user_id, &known) == 0)) {
            out->exists |= known;
            ret = 0;
        }
    }
    if (ret != 0)
        log_db_error(st->rdb, "user status");
    pthread_mutex_unlock(&st->rlock);
    return ret;
}

int gw_store_forget_user(gw_store_t *st, const char *user_id, gw_erasure_receipt_t *rc)
{
    unsigned char rnd[12];
    memset(rc, 0, sizeof(*rc));
    if (!user_id_fits(user_id))
        return GW_STORE_E_INVAL;
    /* Records submitted before the erasure must not re-create the user afterwards. */
    gw_store_flush(st);
    snprintf(rc->user_id, sizeof(rc->user_id), "%s", user_id);
    randombytes_buf(rnd, sizeof(rnd));
    memcpy(rc->tombstone, "erased:", 7);
    sodium_bin2hex(rc->tombstone + 7, sizeof(rc->tombstone) - 7, rnd, sizeof(rnd));

    pthread_mutex_lock(&st->wlock);
    rc->at_us = now_us(st);
    /* An id the store has never seen: erase nothing and say so (a typo must not look like a
     * completed erasure). */
    int known = 0;
    if (user_known(st->wdb, user_id, &known) != 0)
        goto dberr;
    if (!known) {
        pthread_mutex_unlock(&st->wlock);
        return GW_STORE_E_NOTFOUND;
    }
    /* Step 1, committed on its own: destroy the data key (crypto-shredding). */
    int64_t n;
    if (tx_begin(st, st->wdb) != 0 || (n = run_sql(st->wdb, "DELETE FROM users WHERE id = ?", "t", user_id)) < 0 ||
        tx_commit(st->wdb) != 0)
        goto dberr;
    rc->key_destroyed = n > 0;
    cache_evict(st, user_id);
    /* Step 2: the rows. A crash between the steps leaves rows nobody can decrypt; re-running
     * the erasure removes them. The default grant of a database from before issue 14 was keyed
     * "default-grant:<user id>": re-key it like the new ones (still once per user). */
    char old_grant_rid[GW_USER_ID_MAX + 32], new_grant_rid[GW_STORE_USER_REF_CHARS + 32];
    char ref[GW_STORE_USER_REF_CHARS + 1];
    gw_store__user_ref(st, user_id, ref);
    snprintf(old_grant_rid, sizeof(old_grant_rid), "default-grant:%s", user_id);
    snprintf(new_grant_rid, sizeof(new_grant_rid), "default-grant:%s", ref);
    if (tx_begin(st, st->wdb) != 0 || (rc->calls = run_sql(st->wdb, "DELETE FROM calls WHERE user_id = ?", "t", user_id)) < 0 ||
        (rc->redactions = run_sql(st->wdb, "DELETE FROM redactions WHERE user_id = ?", "t", user_id)) < 0 ||
        (rc->access_log = run_sql(st->wdb, "DELETE FROM access_log WHERE user_id = ?", "t", user_id)) < 0 ||
        run_sql(st->wdb, "DELETE FROM predictions WHERE user_id = ?", "t", user_id) < 0 ||
        (rc->ledger_tombstoned =
             run_sql(st->wdb, "UPDATE ledger SET user_id = ? WHERE user_id = ?", "tt", rc->tombstone, user_id)) < 0 ||
        run_sql(st->wdb, "UPDATE credit_balances SET user_id = ? WHERE user_id = ?", "tt", rc->tombstone, user_id) < 0 ||
        run_sql(st->wdb, "UPDATE credit_open SET user_id = ? WHERE user_id = ?", "tt", rc->tombstone, user_id) < 0 ||
        run_sql(st->wdb, "UPDATE credit_leases SET user_id = ? WHERE user_id = ?", "tt", rc->tombstone, user_id) < 0 ||
        run_sql(st->wdb, "DELETE FROM idempotency WHERE user_id = ?", "t", user_id) < 0 ||
        run_sql(st->wdb, "UPDATE ledger SET request_id = ? WHERE request_id = ?", "tt", new_grant_rid, old_grant_rid) < 0 ||
        tx_commit(st->wdb) != 0)
        goto dberr;
    checkpoint(st);
    pthread_mutex_unlock(&st->wlock);
    return 0;
dberr:
    log_db_error(st->wdb, "erasure");
    tx_rollback(st->wdb);
    pthread_mutex_unlock(&st->wlock);
    return GW_STORE_E_DB;
}

int gw_store_set_consent(gw_store_t *st, const char *user_id, int training)
{
    int err = 0;
    if (!valid_user_id(user_id))
        return GW_STORE_E_INVAL;
    pthread_mutex_lock(&st->wlock);
    st->batch_seq++;
    if (tx_begin(st, st->wdb) != 0) {
        err = GW_STORE_E_DB;
        goto out;
    }
    if (user_key(st, user_id, &err) == NULL)
        goto rollback;
    if (run_sql(st->wdb, "UPDATE users SET consent_training = ?, consent_at = ? WHERE id = ?", "iit", (int64_t)(training != 0),
                now_us(st), user_id) < 0 ||
        tx_commit(st->wdb) != 0) {
        err = GW_STORE_E_DB;
        goto rollback;
    }
    goto out;
rollback:
    log_db_error(st->wdb, "consent");
    tx_rollback(st->wdb);
out:
    pthread_mutex_unlock(&st->wlock);
    return err;
}

int gw_store_get_consent(gw_store_t *st, const char *user_id, int *training)
{
    if (!user_id_fits(user_id))
        return GW_STORE_E_INVAL;
    pthread_mutex_lock(&st->rlock);
    int ret = GW_STORE_E_DB;
    gw_store_stmt_t *s = gw_store__db_prepare(st->rdb, "SELECT consent_training FROM users WHERE id = ?");
    if (s != NULL) {
        gw_store__bind_text(s, 1, user_id);
        int rc = gw_store__step(s);
        if (rc == 1) {
            *training = gw_store__col_int64(s, 0) != 0;
            ret = 0;
        } else if (rc == 0) {
            ret = GW_STORE_E_NOTFOUND;
        }
        gw_store__reset(s);
        gw_store__db_finalize(s);
    }
    pthread_mutex_unlock(&st->rlock);
    return ret;
}

typedef struct st_rewrap_t {
    char *id;
    unsigned char w[POL_CRYPTO_WRAPPED_BYTES];
    int current; /* already under the new key */
} rewrap_t;

int gw_store_rotate_master_key(gw_store_t *st, const char *new_key_file)
{
    char err[512], new_id[POL_CRYPTO_KEY_ID_CHARS + 1];
    rewrap_t *rows = NULL;
    size_t n = 0, cap = 0;
    int ret = GW_STORE_E_DB;
    pol_key_t *nk = gw_keyfile_load(new_key_file, err, sizeof(err));
    if (nk == NULL) {
        gw_log(GW_LOG_ERROR, "store: %s", err);
        return GW_STORE_E_INVAL;
    }
    pol_key_id(nk, new_id);
    pthread_mutex_lock(&st->wlock);
    if (tx_begin(st, st->wdb) != 0)
        goto out;
    /* Collect first: libpq runs one statement at a time per connection. */
    gw_store_stmt_t *s = gw_store__db_prepare(st->wdb, st->pg ? "SELECT id, data_key_wrapped, key_id FROM users FOR UPDATE"
                                                              : "SELECT id, data_key_wrapped, key_id FROM users");
    if (s == NULL)
        goto out;
    int rc;
    while ((rc = gw_store__step(s)) == 1) {
        size_t wl = 0;
        const void *w = gw_store__col_blob(s, 1, &wl);
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            rewrap_t *r = realloc(rows, nc * sizeof(*rows));
            if (r == NULL)
                break;
            rows = r;
            cap = nc;
        }
        rows[n].id = strdup(gw_store__col_text(s, 0));
        rows[n].current = strcmp(gw_store__col_text(s, 2), new_id) == 0;
        if (rows[n].id == NULL || w == NULL || wl != POL_CRYPTO_WRAPPED_BYTES) {
            free(rows[n].id);
            rc = -1;
            break;
        }
        memcpy(rows[n].w, w, wl);
        n++;
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    if (rc != 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].current)
            continue;
        unsigned char nw[POL_CRYPTO_WRAPPED_BYTES];
        pol_key_t *dk = pol_crypto_unwrap(st->mk, rows[i].w, sizeof(rows[i].w), rows[i].id);
        if (dk == NULL) {
            gw_log(GW_LOG_ERROR, "store: rotation: a user key does not unwrap with the current master key");
            ret = GW_STORE_E_CRYPTO;
            goto out;
        }
        int wrc = pol_crypto_wrap(nk, dk, rows[i].id, nw);
        pol_key_free(dk);
        gw_store_stmt_t *u = gw_store__db_prepare(st->wdb, "UPDATE users SET data_key_wrapped = ?, key_id = ? WHERE id = ?");
        if (wrc != 0 || u == NULL) {
            gw_store__db_finalize(u);
            goto out;
        }
        gw_store__bind_blob(u, 1, nw, sizeof(nw));
        gw_store__bind_text(u, 2, new_id);
        gw_store__bind_text(u, 3, rows[i].id);
        int64_t ch = run(u);
        gw_store__db_finalize(u);
        if (ch < 0)
            goto out;
    }
    if (meta_set(st->wdb, "master_key_id", new_id) != 0 || tx_commit(st->wdb) != 0)
        goto out;
    pthread_mutex_lock(&st->rlock); /* exports read st->mk under rlock */
    pol_key_free(st->mk);
    st->mk = nk;
    nk = NULL;
    memcpy(st->mk_id, new_id, sizeof(new_id));
    pthread_mutex_unlock(&st->rlock);
    cache_clear(st);
    checkpoint(st);
    ret = 0;
out:
    if (ret != 0) {
        log_db_error(st->wdb, "rotation");
        tx_rollback(st->wdb);
    }
    pthread_mutex_unlock(&st->wlock);
    for (size_t i = 0; i < n; i++)
        free(rows[i].id);
    free(rows);
    pol_key_free(nk);
    return ret;
}

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
    pol_buf_t b = POL_BUF_INIT;
    for (size_t i = 0; i < n;) {
        size_t l = gw_utf8_seq((const unsigned char *)s + i, n - i);
        if (pol_buf_append(&b, l ? s + i : GW_UTF8_REPLACEMENT, l ? l : 3) != 0) {
            pol_buf_free(&b);
            return NULL;
        }
        i += l ? l : 1;
    }
    v = json_stringn(b.base != NULL ? b.base : "", b.len);
    pol_buf_free(&b);
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
    gw_store_stmt_t *s = gw_store__db_prepare(
        st->rdb, "SELECT request_id, client, provider, model, route, status, started_at, duration_us, usage_json,"
                 " cost_microcredits, notrain_decision, has_images, expires_at, request_ct, response_ct, nonce"
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
        if ((q || r) && (nonce == NULL || nl != 2 * POL_CRYPTO_NONCE_BYTES))
            err = GW_STORE_E_CRYPTO;
        if (err == 0)
            err = add_body(o, "request_body", dk, rid, nonce, q, ql);
        if (err == 0)
            err = add_body(o, "response_body", dk, rid, nonce ? nonce + POL_CRYPTO_NONCE_BYTES : NULL, r, rl);
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
    if (!user_id_fits(user_id))
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
    if ((err =
             export_rows(st, &e, "redactions",
                         "SELECT id, request_id, route, field, entity_type, start_off, end_off, action, value_hmac, at, expires_at,"
                         " direction FROM redactions WHERE user_id = ? ORDER BY id",
                         user_id, red_names, "ittttiithiit")) != 0 ||
        (err = export_rows(st, &e, "ledger",
                           "SELECT id, request_id, kind, amount_microcredits, at FROM ledger WHERE user_id = ? ORDER BY id",
                           user_id, led_names, "ittii")) != 0 ||
        (err = export_rows(st, &e, "access_log",
                           "SELECT at, request_id, method, route, status, bytes_in, bytes_out, client_ip, duration_us, upstream_us,"
                           " expires_at FROM access_log WHERE user_id = ? ORDER BY id",
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
    return pol_buf_append(ctx, p, n);
}

static int dump_to_buf(json_t *v, pol_buf_t *out)
{
    emitter_t e = {buf_write, out, 0};
    int rc = emit_json(&e, v, NULL);
    return rc != 0 ? rc : e.failed ? GW_STORE_E_NOMEM : 0;
}

int gw_store_list_redactions(gw_store_t *st, const gw_redaction_query_t *q, pol_buf_t *out)
{
    int limit = q->limit == 0 ? 100 : q->limit;
    if (limit < 1 || limit > 1000 || q->cursor < 0)
        return GW_STORE_E_INVAL;
    pol_buf_t sql = POL_BUF_INIT;
    int ret = GW_STORE_E_DB;
    json_t *items = json_array();
    pol_buf_appendf(&sql, "SELECT id, request_id, user_id, route, field, entity_type, start_off, end_off, action, value_hmac, at,"
                          " direction FROM redactions WHERE 1 = 1");
    if (q->from_us)
        pol_buf_appendf(&sql, " AND at >= ?");
    if (q->to_us)
        pol_buf_appendf(&sql, " AND at < ?");
    if (q->entity_type)
        pol_buf_appendf(&sql, " AND entity_type = ?");
    if (q->user_id)
        pol_buf_appendf(&sql, " AND user_id = ?");
    if (q->route)
        pol_buf_appendf(&sql, " AND route = ?");
    if (q->cursor)
        pol_buf_appendf(&sql, " AND id < ?");
    /* One row more than asked tells whether there is a next page. */
    if (pol_buf_appendf(&sql, " ORDER BY id DESC LIMIT %d", limit + 1) != 0 || items == NULL) {
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
    pol_buf_free(&sql);
    return ret;
}

static void day_string(int64_t day, char out[16])
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

int gw_store_redaction_summary(gw_store_t *st, int64_t from_us, int64_t to_us, pol_buf_t *out)
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

int gw_store_retention_status(gw_store_t *st, pol_buf_t *out)
{
    static const char *sql[POL_RET_NCLASSES] = {
        "SELECT COUNT(*), MIN(started_at), MIN(expires_at) FROM calls",
        "SELECT COUNT(*), MIN(at), MIN(expires_at) FROM redactions",
        "SELECT COUNT(*), MIN(at), MIN(expires_at) FROM access_log",
        "SELECT COUNT(*), MIN(started_at), MIN(body_expires_at) FROM calls WHERE body_expires_at IS NOT NULL",
    };
    int ret = 0;
    json_t *classes = json_array();
    int64_t now = now_us(st);
    pthread_mutex_lock(&st->rlock);
    for (int c = 0; c < POL_RET_NCLASSES && ret == 0; c++) {
        gw_store_stmt_t *s = gw_store__db_prepare(st->rdb, sql[c]);
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
    int64_t next = st->purge_interval_us > 0 ? now + (st->next_purge_mono_us - mono_now_us()) : 0;
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

/* ---- managed client keys and admin tokens (issue 14, `aigw keys`) ---- */

int gw_store_keys_add(gw_store_t *st, const gw_store_key_t *k, char id_out[GW_STORE_KEY_ID_CHARS + 1])
{
    unsigned char rnd[6];
    char hex[2 * GW_KEY_HASH_BYTES + 1];
    if ((strcmp(k->kind, "client") != 0 && strcmp(k->kind, "admin") != 0) || k->name[0] == '\0')
        return GW_STORE_E_INVAL;
    randombytes_buf(rnd, sizeof(rnd));
    memcpy(id_out, "key_", 4);
    sodium_bin2hex(id_out + 4, GW_STORE_KEY_ID_CHARS - 3, rnd, sizeof(rnd));
    sodium_bin2hex(hex, sizeof(hex), k->hash, GW_KEY_HASH_BYTES);
    pthread_mutex_lock(&st->wlock);
    int64_t n =
        run_sql(st->wdb, "INSERT INTO api_keys(id, kind, name, key_hash, markup_permille, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                "ttttii", id_out, k->kind, k->name, hex, (int64_t)k->markup_permille, now_us(st));
    if (n < 0)
        log_db_error(st->wdb, "keys add");
    pthread_mutex_unlock(&st->wlock);
    return n == 1 ? 0 : GW_STORE_E_DB;
}

int gw_store_keys_revoke(gw_store_t *st, const char *id)
{
    pthread_mutex_lock(&st->wlock);
    int64_t n = run_sql(st->wdb, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", "it", now_us(st), id);
    if (n < 0)
        log_db_error(st->wdb, "keys revoke");
    pthread_mutex_unlock(&st->wlock);
    return n < 0 ? GW_STORE_E_DB : n == 0 ? GW_STORE_E_NOTFOUND : 0;
}

int gw_store_keys_list(gw_store_t *st, int with_revoked, gw_store_key_t **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    pthread_mutex_lock(&st->rlock);
    int ret = GW_STORE_E_DB;
    gw_store_stmt_t *s = gw_store__db_prepare(
        st->rdb,
        with_revoked
            ? "SELECT id, kind, name, key_hash, markup_permille, created_at, revoked_at FROM api_keys ORDER BY created_at, id"
            : "SELECT id, kind, name, key_hash, markup_permille, created_at, revoked_at FROM api_keys"
              " WHERE revoked_at IS NULL ORDER BY created_at, id");
    if (s != NULL) {
        size_t cap = 0, n = 0;
        gw_store_key_t *arr = NULL;
        int rc;
        while ((rc = gw_store__step(s)) == 1) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 16;
                gw_store_key_t *na = realloc(arr, nc * sizeof(*na));
                if (na == NULL) {
                    rc = -1;
                    break;
                }
                arr = na;
                cap = nc;
            }
            gw_store_key_t *k = &arr[n];
            memset(k, 0, sizeof(*k));
            const char *hex = gw_store__col_text(s, 3);
            size_t bin = 0;
            snprintf(k->id, sizeof(k->id), "%s", gw_store__col_text(s, 0) ? gw_store__col_text(s, 0) : "");
            snprintf(k->kind, sizeof(k->kind), "%s", gw_store__col_text(s, 1) ? gw_store__col_text(s, 1) : "");
            snprintf(k->name, sizeof(k->name), "%s", gw_store__col_text(s, 2) ? gw_store__col_text(s, 2) : "");
            if (hex == NULL || sodium_hex2bin(k->hash, GW_KEY_HASH_BYTES, hex, strlen(hex), NULL, &bin, NULL) != 0 ||
                bin != GW_KEY_HASH_BYTES)
                continue; /* a damaged row authenticates nobody */
            k->markup_permille = (uint32_t)gw_store__col_int64(s, 4);
            k->created_at_us = gw_store__col_int64(s, 5);
            k->revoked_at_us = gw_store__col_isnull(s, 6) ? 0 : gw_store__col_int64(s, 6);
            n++;
        }
        gw_store__reset(s);
        gw_store__db_finalize(s);
        if (rc == 0) {
            *out = arr;
            *n_out = n;
            ret = 0;
        } else {
            free(arr);
        }
    }
    if (ret != 0)
        log_db_error(st->rdb, "keys list");
    pthread_mutex_unlock(&st->rlock);
    return ret;
}
