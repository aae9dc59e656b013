/*
 * The store's keys (see store.h): per-user data keys (unwrapped on demand into a small cache of
 * sodium_malloc entries, re-validated against the wrapped row every batch so an erasure elsewhere is
 * never answered with a stale key) and the managed client keys and admin tokens of `aigw keys`.
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

/* ---- data keys (writer connection, under wlock or on the writer thread) ---- */

const char *gw_store__sql_user_ins = "INSERT INTO users(id, data_key_wrapped, key_id, consent_training, created_at)"
                                     " VALUES (?, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING";

static uint64_t hash_id(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

key_entry_t *gw_store__cache_find(gw_store_t *st, const char *user_id)
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

void gw_store__cache_evict(gw_store_t *st, const char *user_id)
{
    key_entry_t *e = gw_store__cache_find(st, user_id);
    if (e != NULL)
        cache_clear_entry(st, e);
}

void gw_store__cache_clear(gw_store_t *st)
{
    for (int i = 0; i < GW_STORE_KEY_CACHE; i++)
        if (st->cache[i].user_id != NULL)
            cache_clear_entry(st, &st->cache[i]);
}

/*
 * The epoch of the cached keys for the writer's current batch (issue 12 session 11). Every writer
 * transaction used to read the key row of each user it seals for, so that an erasure or rotation
 * by another process or instance is never answered with a key the database no longer holds (4.6k
 * instructions per logged call, one B-tree search, when calls do not share transactions). A key row
 * can only change through a commit, so on SQLite the read is skipped while nothing changed the
 * database since the writer connection's last commit: the connection's data version read now
 * (inside the batch's transaction) equals the one read right after that commit
 * (gw_store__tx_commit). Any other commit in between, by another connection of this process (the
 * ledger's slots, a CLI's store), by another process, or by this connection outside the journal's
 * commits (autocommit statements), changes the version; a rolled-back transaction (whose reads and
 * the keys it installed for users it created are void) clears dv_valid; the writer connection lent
 * out by gw_store__wdb_acquire (erasure, consent, rotation, export) sets kv_dirty. A writer transaction
 * that reads no key row (a ring-only batch, the journal's reservations) does not decide the epoch, and
 * its commit moves the data version past another connection's commit before it: such a commit counts
 * in the connection's dv_breaks (gw_store__tx_commit), compared here too (issue 12 session 15: before,
 * the next call of a user whose key row another process had deleted was sealed with the cached key).
 * Each of these starts a new epoch, and a key checked in an older epoch is read again. PostgreSQL has no data
 * version (-1): a new epoch per batch, as before. Decided once per batch (kv_batch), at the first
 * key asked for, inside the batch's transaction. Writer (wlock) only.
 */
static uint64_t key_epoch(gw_store_t *st)
{
    if (st->kv_batch != st->batch_seq || st->key_epoch == 0) {
        gw_store_db_t *db = st->wdb;
        uint32_t v = 0;
        if (st->kv_dirty || st->key_epoch == 0 || !db->dv_valid || st->kv_breaks != db->dv_breaks ||
            gw_store__db_data_version(db, &v) != 0 || v != db->dv_commit)
            st->key_epoch++;
        st->kv_breaks = db->dv_breaks;
        st->kv_dirty = 0;
        st->kv_batch = st->batch_seq;
    }
    return st->key_epoch;
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
key_entry_t *gw_store__cache_install(gw_store_t *st, key_entry_t *e, const char *user_id, const unsigned char *w, int *err)
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
    e->epoch = key_epoch(st);
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
    gw_store__bind_int64(s, 4, gw_store__clock_us(st));
    return gw_store__run(s) < 0 ? -1 : 0;
}

int gw_store__user_insert(gw_store_t *st, gw_store_db_t *db, const char *user_id)
{
    unsigned char w[POL_CRYPTO_WRAPPED_BYTES];
    pol_key_t *dk = pol_key_new_random();
    if (dk == NULL || pol_crypto_wrap(st->mk, dk, user_id, w) != 0) {
        pol_key_free(dk);
        return -1;
    }
    pol_key_free(dk);
    gw_store_stmt_t *s = gw_store__db_prepare(db, gw_store__sql_user_ins);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, user_id);
    gw_store__bind_blob(s, 2, w, sizeof(w));
    gw_store__bind_text(s, 3, st->mk_id);
    gw_store__bind_int64(s, 4, gw_store__clock_us(st));
    int64_t n = gw_store__run(s);
    gw_store__db_finalize(s);
    return n < 0 ? -1 : 0;
}

/*
 * The user's data key, creating the user if needed; inside the caller's transaction.
 * @return the key (borrowed from the cache, valid until the next call), or NULL with *err set.
 */
const pol_key_t *gw_store__batch_user_key(gw_store_t *st, const char *user_id, int *err)
{
    unsigned char w[POL_CRYPTO_WRAPPED_BYTES];
    key_entry_t *e = gw_store__cache_find(st, user_id);
    if (e != NULL && (e->validated_batch == st->batch_seq || e->epoch == key_epoch(st))) {
        e->validated_batch = st->batch_seq; /* in use by this batch: not evicted before it ends (cache_slot) */
        e->last_use = ++st->use_seq;
        return e->key;
    }
    atomic_fetch_add_explicit(&st->key_row_reads, 1, memory_order_relaxed);
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
    if ((e = gw_store__cache_install(st, e, user_id, w, err)) == NULL)
        return NULL;
    return e->key;
}

gw_store_db_t *gw_store__wdb_acquire(gw_store_t *st)
{
    pthread_mutex_lock(&st->wlock);
    st->batch_seq++;
    st->kv_dirty = 1;                 /* what the borrower commits (an erasure, a rotation) is a change for the cached keys */
    gw_store__known_calls_forget(st); /* and may delete or change call rows (store_calls.c "known call rows") */
    return st->wdb;
}

void gw_store__wdb_release(gw_store_t *st)
{
    st->kv_dirty = 1;
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
    return gw_store__batch_user_key(st, user_id, err);
}

/* ---- keys derived from the master key ---- */

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
    int64_t n = gw_store__run_sql(
        st->wdb, "INSERT INTO api_keys(id, kind, name, key_hash, markup_permille, created_at) VALUES (?, ?, ?, ?, ?, ?)", "ttttii",
        id_out, k->kind, k->name, hex, (int64_t)k->markup_permille, gw_store__clock_us(st));
    if (n < 0)
        gw_store__log_db_error(st->wdb, "keys add");
    pthread_mutex_unlock(&st->wlock);
    return n == 1 ? 0 : GW_STORE_E_DB;
}

int gw_store_keys_revoke(gw_store_t *st, const char *id)
{
    pthread_mutex_lock(&st->wlock);
    int64_t n = gw_store__run_sql(st->wdb, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", "it",
                                  gw_store__clock_us(st), id);
    if (n < 0)
        gw_store__log_db_error(st->wdb, "keys revoke");
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
        gw_store__log_db_error(st->rdb, "keys list");
    pthread_mutex_unlock(&st->rlock);
    return ret;
}
