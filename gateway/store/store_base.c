/*
 * What every file of the store uses (store_internal.h), below all of them: the clock, freeing
 * records, the user id rule, transactions and statement helpers. It calls no other store file but
 * the database backends (store_db.h), so every file can use it without a call cycle (the store's
 * files call each other in one direction only: docs/internals/store.md "Files", checked by
 * tests/layers/check_layers.py cycles).
 */
#include "gateway/store/store.h"
#include "common/log.h"
#include "common/userid.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "gateway/store/store_predict.h"
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- time ---- */

static int64_t real_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t gw_store__mono_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t gw_store__clock_us(gw_store_t *st)
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
    return gw_store__clock_us(st);
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

void gw_predict_rec_free(gw_predict_rec_t *p)
{
    if (p == NULL)
        return;
    free(p->client);
    free(p->model);
    if (p->vault != NULL) {
        sodium_memzero(p->vault, p->vault_len);
        free(p->vault);
    }
    free(p);
}

void gw_store_access_rec_free(gw_store_access_rec_t *rec)
{
    if (rec == NULL)
        return;
    free(rec->route);
    free(rec->user_id);
    free(rec);
}

void gw_store__qitem_free(qitem_t *it)
{
    if (it->kind == Q_CALL)
        gw_call_rec_free(it->rec);
    else
        gw_store_access_rec_free(it->rec);
}

uint32_t gw_store__rid_hash(const char *rid)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)rid; *p != '\0'; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

int gw_store__call_access_on(const gw_store_t *st)
{
    return !st->pg && pol_retention_keeps(&st->ret, POL_RET_CALL_LOG) && pol_retention_keeps(&st->ret, POL_RET_ACCESS_LOG) &&
           st->ret.ttl_us[POL_RET_ACCESS_LOG] <= st->ret.ttl_us[POL_RET_CALL_LOG];
}

/* The store's one user id rule (store_internal.h): ids that create rows pass common/userid.h; lookups,
 * settlements, erasure and export only bound the length, so rows stored before the rule (invalid UTF-8)
 * can still be found, settled and erased. */
int gw_store__valid_user_id(const char *u)
{
    return u != NULL && gw_user_id_valid(u, strlen(u));
}

int gw_store__id_fits(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n > 0 && n <= max;
}

int gw_store__user_id_fits(const char *u)
{
    return gw_store__id_fits(u, GW_USER_ID_MAX);
}

/* ---- transactions ---- */

int gw_store__tx_begin(gw_store_t *st, gw_store_db_t *db)
{
    /* IMMEDIATE: take SQLite's write lock up front instead of failing to upgrade later. */
    gw_store__db_err_reset(db); /* the errors of this transaction (gw_store__db_errclass) */
    if (db->discard != NULL)
        db->discard(db->hook_ctx);
    return gw_store__db_exec(db, gw_store__db_kind(db) == GW_STORE_DB_PG ? "BEGIN" : "BEGIN IMMEDIATE");
}

int gw_store__tx_commit(gw_store_db_t *db)
{
    if (db->precommit != NULL && db->precommit(db->hook_ctx) != 0) {
        /* what the rows name is not in its file: the transaction fails as a failed COMMIT does, and
         * never counts as the record's own refusal */
        if (db->errclass < GW_STORE_ERR_ENV)
            db->errclass = GW_STORE_ERR_ENV;
        db->dv_valid = 0;
        return -1;
    }
    /* did this transaction start where this connection's previous commit left the database? (SQLite: the data
     * version moves with every commit, this connection's and others'; inside the transaction it is where
     * BEGIN found the database) */
    uint32_t v = 0;
    if (!db->dv_valid || gw_store__db_data_version(db, &v) != 0 || v != db->dv_commit)
        db->dv_breaks++;
    int rc = gw_store__db_exec(db, "COMMIT");
    /* the data version after this commit: the next transaction's key reads are skipped when it is unchanged then
     * and no commit since the last key check broke the chain (store_keys.c key_epoch) */
    v = 0;
    db->dv_valid = rc == 0 && gw_store__db_data_version(db, &v) == 0;
    db->dv_commit = v;
    return rc;
}

void gw_store__tx_rollback(gw_store_db_t *db)
{
    db->dv_valid = 0; /* what the rolled-back transaction read or installed is not known to be there */
    if (db->discard != NULL)
        db->discard(db->hook_ctx);
    gw_store__db_exec(db, "ROLLBACK");
}

void gw_store__log_db_error(gw_store_db_t *db, const char *what)
{
    /* Database messages name tables and constraints, never bound values. */
    gw_log(GW_LOG_ERROR, "store: %s: %s", what, gw_store__db_errmsg(db));
}

/* Runs a prepared statement to completion. @return rows changed, or -1. */
int64_t gw_store__run(gw_store_stmt_t *s)
{
    int rc;
    while ((rc = gw_store__step(s)) == 1)
        ;
    int64_t n = rc == 0 ? gw_store__changes(s) : -1;
    gw_store__reset(s);
    return n;
}

int gw_store__run_nowait(gw_store_stmt_t *s)
{
    int rc;
    while ((rc = gw_store__step(s)) == 1)
        ;
    gw_store__reset(s);
    return rc < 0 ? -1 : 0;
}

/* Runs one statement from SQL with up to 3 int64/text params, on a connection; prepares and
 * finalizes each time (used by rare operations only). Params: 'i' int64, 't' text. */
int64_t gw_store__run_sql(gw_store_db_t *db, const char *sql, const char *types, ...)
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
    int64_t n = gw_store__run(s);
    gw_store__db_finalize(s);
    return n;
}

int gw_store__meta_set(gw_store_db_t *db, const char *key, const char *value)
{
    return gw_store__run_sql(db,
                             "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             "tt", key, value) < 0
               ? -1
               : 0;
}
