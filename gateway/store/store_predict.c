/*
 * Asynchronous predictions in the store (see store_predict.h). The row is written by the writer
 * thread with the creating call's record; reads take the writer connection under its lock (they
 * may claim the settlement, a write) in one short transaction: one indexed SELECT by primary key,
 * at most one UPDATE. The vault is opened on the calling thread pool thread, never on a worker
 * loop.
 */
#include "gateway/store/store_predict.h"
#include "common/log.h"

#include "gateway/store/store_internal.h"
#include "gateway/store/store_ledger.h"
#include "policy/crypto.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gw_predict_row_free(gw_predict_row_t *row)
{
    if (row->vault != NULL) {
        sodium_memzero(row->vault, row->vault_len);
        free(row->vault);
    }
    memset(row, 0, sizeof(*row));
}

static int same(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Opens the row's vault (ciphertext `ct`, `ctl` bytes) with the user's data key into row->vault. */
static int open_vault(gw_store_t *st, const char *provider, const char *id, gw_predict_row_t *row, const unsigned char *nonce,
                      size_t nl, const void *ct, size_t ctl)
{
    int err = 0;
    char ad[GW_STORE_PREDICT_AD_SIZE];
    size_t adl = gw_store__predict_ad(ad, sizeof(ad), provider, id);
    if (adl == 0 || nonce == NULL || nl != POL_CRYPTO_NONCE_BYTES || ctl < POL_CRYPTO_TAG_BYTES)
        return GW_STORE_E_CRYPTO;
    const pol_key_t *dk = gw_store__user_key(st, row->user_id, 0, &err);
    if (dk == NULL)
        return err == GW_STORE_E_NOTFOUND ? GW_STORE_E_CRYPTO : err;
    size_t n = ctl - POL_CRYPTO_TAG_BYTES;
    if ((row->vault = malloc(n + 1)) == NULL)
        return GW_STORE_E_NOMEM;
    if (pol_crypto_open(dk, ad, adl, nonce, ct, ctl, (unsigned char *)row->vault) != 0) {
        free(row->vault);
        row->vault = NULL;
        return GW_STORE_E_CRYPTO;
    }
    row->vault[n] = '\0';
    row->vault_len = n;
    return 0;
}

int gw_store_predict_read(gw_store_t *st, const char *provider, const char *id, const char *user_id, const char *client,
                          int terminal, gw_predict_row_t *row)
{
    memset(row, 0, sizeof(*row));
    if (provider == NULL || id == NULL || user_id == NULL || id[0] == '\0' || strlen(id) > GW_PREDICT_ID_MAX)
        return GW_STORE_E_INVAL;
    gw_store_db_t *db = gw_store__wdb_acquire(st);
    int64_t now = gw_store__now_us(st);
    int err = GW_STORE_E_DB, found = 0;
    gw_store_stmt_t *s = NULL;
    if (gw_store__tx_begin(st, db) != 0)
        goto fail;
    s = gw_store__db_prepare(db, "SELECT user_id, client, request_id, model, markup_permille, reserved, open_reservation,"
                                 " vault_ct, nonce, settled_at FROM predictions WHERE provider = ? AND id = ? AND expires_at > ?");
    if (s == NULL)
        goto rollback;
    gw_store__bind_text(s, 1, provider);
    gw_store__bind_text(s, 2, id);
    gw_store__bind_int64(s, 3, now);
    int rc = gw_store__step(s);
    if (rc < 0)
        goto rollback;
    int settled = 1;
    if (rc == 1) {
        found = 1;
        snprintf(row->user_id, sizeof(row->user_id), "%s", gw_store__col_text(s, 0) ? gw_store__col_text(s, 0) : "");
        const char *row_client = gw_store__col_text(s, 1);
        int owner = strcmp(row->user_id, user_id) == 0 && same(row_client, client);
        snprintf(row->request_id, sizeof(row->request_id), "%s", gw_store__col_text(s, 2) ? gw_store__col_text(s, 2) : "");
        snprintf(row->model, sizeof(row->model), "%s", gw_store__col_text(s, 3) ? gw_store__col_text(s, 3) : "");
        row->markup_permille = (uint32_t)gw_store__col_int64(s, 4);
        row->reserved = gw_store__col_int64(s, 5);
        row->open_reservation = gw_store__col_int64(s, 6) != 0;
        settled = !gw_store__col_isnull(s, 9);
        if (owner && !gw_store__col_isnull(s, 7)) {
            size_t ctl = 0, nl = 0;
            const void *ct = gw_store__col_blob(s, 7, &ctl);
            const unsigned char *nonce = gw_store__col_blob(s, 8, &nl);
            /* copy out of the statement before another statement runs on this connection */
            unsigned char *ctc = malloc(ctl ? ctl : 1), nc[POL_CRYPTO_NONCE_BYTES];
            if (ctc == NULL)
                goto rollback;
            memcpy(ctc, ct, ctl);
            if (nonce != NULL && nl == sizeof(nc))
                memcpy(nc, nonce, nl);
            gw_store__reset(s);
            gw_store__db_finalize(s);
            s = NULL;
            int verr = open_vault(st, provider, id, row, nonce != NULL && nl == sizeof(nc) ? nc : NULL, nl, ctc, ctl);
            free(ctc);
            if (verr != 0) /* the data key is gone (erased meanwhile) or the row was altered: no vault */
                gw_log(GW_LOG_ERROR, "store: the vault of prediction %s/%s did not open; its placeholders stay", provider, id);
        }
    }
    if (s != NULL) {
        gw_store__reset(s);
        gw_store__db_finalize(s);
        s = NULL;
    }
    if (found && terminal && !settled) {
        /* the settlement is claimed once: the row lock (PostgreSQL) / the write lock (SQLite)
         * orders concurrent readers, and only the first finds settled_at still NULL */
        s = gw_store__db_prepare(db, "UPDATE predictions SET settled_at = ?, expires_at = CASE WHEN expires_at > ? THEN ?"
                                     " ELSE expires_at END WHERE provider = ? AND id = ? AND settled_at IS NULL");
        if (s == NULL)
            goto rollback;
        int64_t keep = now + (int64_t)GW_PREDICT_TERMINAL_KEEP_S * 1000000;
        gw_store__bind_int64(s, 1, now);
        gw_store__bind_int64(s, 2, keep);
        gw_store__bind_int64(s, 3, keep);
        gw_store__bind_text(s, 4, provider);
        gw_store__bind_text(s, 5, id);
        if (gw_store__step_done(s) != 0)
            goto rollback;
        row->claimed = gw_store__changes(s) == 1;
        gw_store__reset(s);
        gw_store__db_finalize(s);
        s = NULL;
    }
    if (gw_store__tx_commit(db) != 0)
        goto rollback;
    gw_store__wdb_release(st);
    return found ? 0 : GW_STORE_E_NOTFOUND;
rollback:
    gw_log(GW_LOG_ERROR, "store: prediction read: %s", gw_store__db_errmsg(db));
    if (s != NULL) {
        gw_store__reset(s);
        gw_store__db_finalize(s);
    }
    gw_store__tx_rollback(db);
fail:
    gw_store__wdb_release(st);
    gw_predict_row_free(row);
    return err;
}

int gw_store_predict_usage(gw_store_t *st, const char *request_id, int64_t cost_microcredits, int64_t compute_ms)
{
    gw_store_db_t *db = gw_store__wdb_acquire(st);
    int err = GW_STORE_E_DB;
    gw_store_stmt_t *s = gw_store__db_prepare(db, "UPDATE calls SET cost_microcredits = ?, compute_ms = ? WHERE request_id = ?");
    if (s != NULL) {
        gw_store__bind_int64(s, 1, cost_microcredits);
        gw_store__bind_int64(s, 2, compute_ms);
        gw_store__bind_text(s, 3, request_id);
        if (gw_store__step_done(s) == 0)
            err = 0;
        gw_store__reset(s);
        gw_store__db_finalize(s);
    }
    if (err != 0)
        gw_log(GW_LOG_ERROR, "store: prediction usage: %s", gw_store__db_errmsg(db));
    gw_store__wdb_release(st);
    return err;
}

typedef struct st_expired_t {
    char provider[GW_PROVIDER_NAME_MAX + 1];
    char id[GW_PREDICT_ID_MAX + 1];
    int open; /* its reservation is still open: settled at the reserved amount */
    char user[GW_USER_ID_MAX + 1];
    char rid[GW_REQUEST_ID_MAX + 1];
    int64_t reserved;
} expired_t;

int gw_store_predict_sweep(gw_store_t *st, int max, int64_t *settled)
{
    if (settled != NULL)
        *settled = 0;
    if (max <= 0)
        return 0;
    expired_t *ex = calloc((size_t)max, sizeof(*ex));
    if (ex == NULL)
        return GW_STORE_E_NOMEM;
    size_t n = 0;
    int err = GW_STORE_E_DB;
    gw_store_db_t *db = gw_store__wdb_acquire(st);
    int64_t now = gw_store__now_us(st);
    gw_store_stmt_t *s = NULL;
    if (gw_store__tx_begin(st, db) != 0)
        goto fail;
    s = gw_store__db_prepare(db, "SELECT provider, id, user_id, request_id, reserved, open_reservation, settled_at"
                                 " FROM predictions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?");
    if (s == NULL)
        goto rollback;
    gw_store__bind_int64(s, 1, now);
    gw_store__bind_int64(s, 2, max);
    int rc = 0;
    while (n < (size_t)max && (rc = gw_store__step(s)) == 1) {
        const char *pv = gw_store__col_text(s, 0), *id = gw_store__col_text(s, 1), *u = gw_store__col_text(s, 2),
                   *r = gw_store__col_text(s, 3);
        snprintf(ex[n].provider, sizeof(ex[n].provider), "%s", pv != NULL ? pv : "");
        snprintf(ex[n].id, sizeof(ex[n].id), "%s", id != NULL ? id : "");
        snprintf(ex[n].user, sizeof(ex[n].user), "%s", u != NULL ? u : "");
        snprintf(ex[n].rid, sizeof(ex[n].rid), "%s", r != NULL ? r : "");
        ex[n].reserved = gw_store__col_int64(s, 4);
        ex[n].open = gw_store__col_int64(s, 5) != 0 && gw_store__col_isnull(s, 6);
        n++;
    }
    if (n < (size_t)max && rc < 0) {
        gw_store__reset(s);
        gw_store__db_finalize(s);
        s = NULL;
        goto rollback;
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    /* delete what was listed, by key; a reservation is settled by whoever deleted its row */
    s = gw_store__db_prepare(db, "DELETE FROM predictions WHERE provider = ? AND id = ? AND expires_at <= ?");
    if (s == NULL)
        goto rollback;
    for (size_t i = 0; i < n; i++) {
        gw_store__bind_text(s, 1, ex[i].provider);
        gw_store__bind_text(s, 2, ex[i].id);
        gw_store__bind_int64(s, 3, now);
        if (gw_store__step_done(s) != 0)
            goto rollback;
        if (gw_store__changes(s) != 1)
            ex[i].open = 0; /* another instance swept it */
        gw_store__reset(s);
    }
    gw_store__db_finalize(s);
    s = NULL;
    if (gw_store__tx_commit(db) != 0)
        goto rollback;
    gw_store__wdb_release(st);
    /* settled at the reservation through the ledger (idempotent: a second settle changes nothing) */
    for (size_t i = 0; i < n; i++)
        if (ex[i].open && ex[i].user[0] != '\0' && ex[i].rid[0] != '\0' &&
            gw_store_settle(st, ex[i].user, ex[i].rid, ex[i].reserved, NULL) == 0 && settled != NULL)
            (*settled)++;
    free(ex);
    return 0;
rollback:
    gw_log(GW_LOG_ERROR, "store: prediction sweep: %s", gw_store__db_errmsg(db));
    if (s != NULL) {
        gw_store__reset(s);
        gw_store__db_finalize(s);
    }
    gw_store__tx_rollback(db);
fail:
    gw_store__wdb_release(st);
    free(ex);
    return err;
}
