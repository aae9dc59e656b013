/*
 * Erasure, consent and master-key rotation (see store.h), on the writer connection under wlock:
 * erasure destroys the user's data key first (crypto-shredding), then deletes every row that names
 * the user.
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

/* ---- erasure, consent, rotation (writer connection) ---- */

static void checkpoint(gw_store_t *st)
{
    /* SQLite keeps old page images in the WAL until a checkpoint; after an erasure or rotation
     * we want the old wrapped keys gone from the live files now (secure_delete zeroes the freed
     * pages in the main file). Best effort: a reader holding a snapshot can delay it. */
    (void)gw_store__db_wal_truncate(st->wdb);
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
    if (!gw_store__user_id_fits(user_id))
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
        gw_store__log_db_error(st->rdb, "user status");
    pthread_mutex_unlock(&st->rlock);
    return ret;
}

int gw_store_forget_user(gw_store_t *st, const char *user_id, gw_erasure_receipt_t *rc)
{
    unsigned char rnd[12];
    memset(rc, 0, sizeof(*rc));
    if (!gw_store__user_id_fits(user_id))
        return GW_STORE_E_INVAL;
    /* Records submitted before the erasure must not re-create the user afterwards. */
    gw_store_flush(st);
    snprintf(rc->user_id, sizeof(rc->user_id), "%s", user_id);
    randombytes_buf(rnd, sizeof(rnd));
    memcpy(rc->tombstone, "erased:", 7);
    sodium_bin2hex(rc->tombstone + 7, sizeof(rc->tombstone) - 7, rnd, sizeof(rnd));

    pthread_mutex_lock(&st->wlock);
    st->kv_dirty = 1;                 /* users rows change: cached keys are read again (store_keys.c key_epoch) */
    gw_store__known_calls_forget(st); /* call rows are deleted (store_calls.c "known call rows") */
    rc->at_us = gw_store__clock_us(st);
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
    if (gw_store__tx_begin(st, st->wdb) != 0 ||
        (n = gw_store__run_sql(st->wdb, "DELETE FROM users WHERE id = ?", "t", user_id)) < 0 || gw_store__tx_commit(st->wdb) != 0)
        goto dberr;
    rc->key_destroyed = n > 0;
    gw_store__cache_evict(st, user_id);
    /* Step 2: the rows. A crash between the steps leaves rows nobody can decrypt; re-running
     * the erasure removes them. The default grant of a database from before issue 14 was keyed
     * "default-grant:<user id>": re-key it like the new ones (still once per user). */
    char old_grant_rid[sizeof(GW_STORE_DEFAULT_GRANT_PREFIX) + GW_USER_ID_MAX], new_grant_rid[GW_STORE_DEFAULT_GRANT_RID_SIZE];
    char ref[GW_STORE_USER_REF_CHARS + 1];
    gw_store__user_ref(st, user_id, ref);
    snprintf(old_grant_rid, sizeof(old_grant_rid), GW_STORE_DEFAULT_GRANT_PREFIX "%s", user_id);
    snprintf(new_grant_rid, sizeof(new_grant_rid), GW_STORE_DEFAULT_GRANT_PREFIX "%s", ref);
    int64_t linked = 0;         /* SQLite: the access entries kept beside the user's call rows (schema version 13) */
    gw_store_stmt_t *bq = NULL; /* SQLite (schema version 14): where the user's call bodies are in segment files */
    if (gw_store__tx_begin(st, st->wdb) != 0 ||
        (st->bodies.on && ((bq = gw_store__db_prepare(st->wdb, "SELECT body_seg, body_off, request_len, response_len FROM calls"
                                                               " WHERE user_id = ? AND body_seg IS NOT NULL")) == NULL ||
                           gw_store__bind_text(bq, 1, user_id) != 0 || gw_store__bodies_punch_rows(st, bq) != 0)) ||
        (!st->pg && (linked = gw_store__run_sql(st->wdb,
                                                "DELETE FROM call_access WHERE id IN (SELECT a.id FROM calls c JOIN"
                                                " call_access a ON a.id BETWEEN c.started_at * 1024 AND c.started_at * 1024"
                                                " + 1023 AND a.request_id = c.request_id WHERE c.user_id = ?)",
                                                "t", user_id)) < 0) ||
        (rc->calls = gw_store__run_sql(st->wdb, "DELETE FROM calls WHERE user_id = ?", "t", user_id)) < 0 ||
        (rc->redactions = gw_store__run_sql(st->wdb, "DELETE FROM redactions WHERE user_id = ?", "t", user_id)) < 0 ||
        (rc->access_log = gw_store__run_sql(st->wdb, "DELETE FROM access_log WHERE user_id = ?", "t", user_id)) < 0 ||
        gw_store__run_sql(st->wdb, "DELETE FROM predictions WHERE user_id = ?", "t", user_id) < 0 ||
        (rc->ledger_tombstoned =
             gw_store__run_sql(st->wdb, "UPDATE ledger SET user_id = ? WHERE user_id = ?", "tt", rc->tombstone, user_id)) < 0 ||
        gw_store__run_sql(st->wdb, "UPDATE credit_balances SET user_id = ? WHERE user_id = ?", "tt", rc->tombstone, user_id) < 0 ||
        gw_store__run_sql(st->wdb, "UPDATE credit_open SET user_id = ? WHERE user_id = ?", "tt", rc->tombstone, user_id) < 0 ||
        gw_store__run_sql(st->wdb, "UPDATE credit_leases SET user_id = ? WHERE user_id = ?", "tt", rc->tombstone, user_id) < 0 ||
        gw_store__run_sql(st->wdb, "DELETE FROM idempotency WHERE user_id = ?", "t", user_id) < 0 ||
        gw_store__run_sql(st->wdb, "UPDATE ledger SET request_id = ? WHERE request_id = ?", "tt", new_grant_rid, old_grant_rid) <
            0 ||
        gw_store__tx_commit(st->wdb) != 0) {
        gw_store__db_finalize(bq);
        goto dberr;
    }
    gw_store__db_finalize(bq);
    rc->access_log += linked;
    checkpoint(st);
    pthread_mutex_unlock(&st->wlock);
    return 0;
dberr:
    gw_store__log_db_error(st->wdb, "erasure");
    gw_store__tx_rollback(st->wdb);
    pthread_mutex_unlock(&st->wlock);
    return GW_STORE_E_DB;
}

int gw_store_set_consent(gw_store_t *st, const char *user_id, int training)
{
    int err = 0;
    if (!gw_store__valid_user_id(user_id))
        return GW_STORE_E_INVAL;
    pthread_mutex_lock(&st->wlock);
    st->batch_seq++;
    if (gw_store__tx_begin(st, st->wdb) != 0) {
        err = GW_STORE_E_DB;
        goto out;
    }
    if (gw_store__batch_user_key(st, user_id, &err) == NULL)
        goto rollback;
    if (gw_store__run_sql(st->wdb, "UPDATE users SET consent_training = ?, consent_at = ? WHERE id = ?", "iit",
                          (int64_t)(training != 0), gw_store__clock_us(st), user_id) < 0 ||
        gw_store__tx_commit(st->wdb) != 0) {
        err = GW_STORE_E_DB;
        goto rollback;
    }
    goto out;
rollback:
    gw_store__log_db_error(st->wdb, "consent");
    gw_store__tx_rollback(st->wdb);
out:
    pthread_mutex_unlock(&st->wlock);
    return err;
}

int gw_store_get_consent(gw_store_t *st, const char *user_id, int *training)
{
    if (!gw_store__user_id_fits(user_id))
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
    st->kv_dirty = 1; /* users rows change: cached keys are read again (store_keys.c key_epoch) */
    if (gw_store__tx_begin(st, st->wdb) != 0)
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
        int64_t ch = gw_store__run(u);
        gw_store__db_finalize(u);
        if (ch < 0)
            goto out;
    }
    if (gw_store__meta_set(st->wdb, "master_key_id", new_id) != 0 || gw_store__tx_commit(st->wdb) != 0)
        goto out;
    pthread_mutex_lock(&st->rlock); /* exports read st->mk under rlock */
    pol_key_free(st->mk);
    st->mk = nk;
    nk = NULL;
    memcpy(st->mk_id, new_id, sizeof(new_id));
    pthread_mutex_unlock(&st->rlock);
    gw_store__cache_clear(st);
    checkpoint(st);
    ret = 0;
out:
    if (ret != 0) {
        gw_store__log_db_error(st->wdb, "rotation");
        gw_store__tx_rollback(st->wdb);
    }
    pthread_mutex_unlock(&st->wlock);
    for (size_t i = 0; i < n; i++)
        free(rows[i].id);
    free(rows);
    pol_key_free(nk);
    return ret;
}
