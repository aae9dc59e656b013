/*
 * Opening and closing the ledger (gw_store__ledger_open / _stop / _close, store_internal.h): its
 * connection slots, the instance's advisory lock (PostgreSQL), the lease thread; at close this
 * instance's credit leases go back to the balance rows. Called by store.c only: the ledger's
 * other files (the credit table and slots of store_ledger_pool.c, the lease thread of
 * store_leases.c, recovery) sit below it, so they call each other one way
 * (docs/internals/store.md "Files").
 */
#include "gateway/store/store_ledger.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "gateway/store/store_ledger_internal.h"

static gw_store_db_t *open_db(int pg, const char *target, char *err, size_t errlen)
{
    return pg ? gw_store__db_open_pg(target, err, errlen) : gw_store__db_open_sqlite(target, err, errlen);
}

gw_store_ledger_t *gw_store__ledger_open(gw_store_t *st, int pg, const char *target, char *err, size_t errlen)
{
    gw_store_ledger_t *lg = calloc(1, sizeof(*lg));
    if (lg == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    lg->st = st;
    lg->pg = pg;
    lg->instance = (int64_t)(randombytes_random() & 0x7fffffff);
    lg->nslots = pg ? GW_LEDGER_PG_SLOTS : 1;
    pthread_mutex_init(&lg->slock, NULL);
    pthread_mutex_init(&lg->tlock, NULL);
    {
        pthread_condattr_t ca;
        pthread_condattr_init(&ca);
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        pthread_cond_init(&lg->tcond, &ca);
        pthread_condattr_destroy(&ca);
    }
    for (size_t i = 0; i < CT_STRIPES; i++)
        pthread_mutex_init(&lg->stripes[i].lock, NULL);
    for (size_t i = 0; i < lg->nslots; i++) {
        pthread_mutex_init(&lg->slots[i].lock, NULL);
        if ((lg->slots[i].db = open_db(pg, target, err, errlen)) == NULL)
            goto fail;
    }
    if (pg) {
        if ((lg->lockdb = open_db(pg, target, err, errlen)) == NULL)
            goto fail;
        gw_store_stmt_t *s = gw_store__db_prepare(lg->lockdb, "SELECT pg_advisory_lock(?, ?)");
        int rc = -1;
        if (s != NULL) {
            gw_store__bind_int64(s, 1, GW_LEDGER_LOCK_CLASS);
            gw_store__bind_int64(s, 2, lg->instance);
            rc = gw_store__step(s);
            gw_store__reset(s);
            gw_store__db_finalize(s);
        }
        if (rc != 1) {
            snprintf(err, errlen, "ledger: instance lock: %s", gw_store__db_errmsg(lg->lockdb));
            goto fail;
        }
    }
    if (pthread_create(&lg->thread, NULL, gw_ledger__lease_thread, lg) != 0) {
        snprintf(err, errlen, "ledger: cannot start the lease thread");
        goto fail;
    }
    lg->thread_started = 1;
    return lg;
fail:
    gw_store__ledger_close(lg);
    return NULL;
}

void gw_store__ledger_stop(gw_store_ledger_t *lg)
{
    if (lg == NULL || !lg->thread_started)
        return;
    pthread_mutex_lock(&lg->tlock);
    lg->thread_stop = 1;
    pthread_cond_signal(&lg->tcond);
    pthread_mutex_unlock(&lg->tlock);
    pthread_join(lg->thread, NULL);
    lg->thread_started = 0;
}

void gw_store__ledger_close(gw_store_ledger_t *lg)
{
    if (lg == NULL)
        return;
    gw_store__ledger_stop(lg);
    if (lg->pg && lg->lc.calls > 0 && lg->nslots > 0 && lg->slots[0].db != NULL)
        gw_ledger__leases_give_back(lg, &lg->slots[0], lg->instance, INT64_MAX, NULL); /* the writer has stopped: all committed */
    for (int k = 0; k < S__COUNT; k++)
        gw_store__db_finalize(lg->wslot.s[k]); /* the writer connection itself is the store's */
    for (size_t i = 0; i < lg->nslots; i++) {
        for (int k = 0; k < S__COUNT; k++)
            gw_store__db_finalize(lg->slots[i].s[k]);
        gw_store__db_close(lg->slots[i].db);
        pthread_mutex_destroy(&lg->slots[i].lock);
    }
    gw_store__db_close(lg->lockdb); /* closing the session releases the advisory lock */
    gw_ledger__ct_free(lg);
    gw_ledger__batch_free(lg);
    free(lg->rate);
    pthread_mutex_destroy(&lg->slock);
    pthread_mutex_destroy(&lg->tlock);
    pthread_cond_destroy(&lg->tcond);
    free(lg);
}
