/*
 * Credit leases on PostgreSQL (docs/internals/metering.md "Credit leases"): an instance reserves
 * in memory against its own lease row, taken, topped up and returned through the journal; the lease
 * thread returns idle leases, evicts idle credit table entries and reclaims the leases of instances
 * that are gone.
 */
#include "gateway/store/store_ledger.h"
#include "common/userid.h"
#include "common/log.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "policy/meter.h"
#include "policy/ratelimit.h"
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gateway/store/store_ledger_internal.h"

/* ---- credit leases (docs/internals/metering.md "Credit leases") ---- */

/*
 * What to do with the lease of entry `e` (stripe lock held) after admitting a reservation of
 * `amount`: take or top up (returns the amount, > 0) when the balance row, as last read, holds at
 * least lc.min_calls such reservations besides what is in flight; else give a lease that can no
 * longer cover `amount` back (returns -1); else nothing (0). Sizes: lc.calls x amount, at most a
 * quarter of the balance row per take (so instances leave each other most of a balance), minus
 * what the lease still holds. The database decides: a take the balance row cannot cover is refused.
 */
static int64_t lease_plan(gw_store_ledger_t *lg, credit_t *e, int64_t amount)
{
    if (e->taking || e->returning || e->fresh_until_us == 0 || amount <= 0)
        return 0;
    int64_t free_bal = e->bal - e->held;
    if (free_bal / lg->lc.min_calls >= amount) {
        int64_t target = amount > INT64_MAX / lg->lc.calls ? INT64_MAX : amount * lg->lc.calls;
        if (target > free_bal / 4)
            target = free_bal / 4;
        if (target <= e->lease || target < amount)
            return 0;
        e->taking = 1;
        e->lease_row = 1;
        e->lease_target = target;
        return target - (e->lease > 0 ? e->lease : 0);
    }
    if (e->lease_row && e->lease < amount) {
        e->returning = 1;
        e->lease = 0;
        return -1;
    }
    return 0;
}

static void lease_done(void *ctx, int rc, int64_t balance)
{
    (void)ctx, (void)rc, (void)balance; /* the credit table was updated by gw_store__ledger_applied */
}

/* Queues a lease take (kind GW_J_LEASE, `amount`) or return for `user`. On failure (closing, out of
 * memory) the entry's flag is cleared again; a lease row left behind is given back at close or by
 * recovery. */
static void lease_submit(gw_store_ledger_t *lg, const char *user, gw_journal_kind_t kind, int64_t amount)
{
    size_t ul = strlen(user) + 1;
    ledger_op_t *op = calloc(1, sizeof(*op) + ul);
    int rc = GW_STORE_E_NOMEM;
    if (op != NULL) {
        char *u = (char *)(op + 1);
        memcpy(u, user, ul);
        op->kind = kind;
        op->mode = GW_J_ASYNC;
        op->user = u;
        op->rid = u;
        op->amount = amount;
        op->now = gw_store__now_us(lg->st);
        op->cb = lease_done;
        if ((rc = gw_store__journal_submit(lg->st, op)) != 0)
            free(op);
    }
    if (rc == 0)
        return;
    uint64_t h = gw_ledger__ct_hash(user);
    stripe_t *sp = &lg->stripes[h % CT_STRIPES];
    pthread_mutex_lock(&sp->lock);
    credit_t *e = gw_ledger__ct_get(sp, user, h, 0);
    if (e != NULL) {
        if (kind == GW_J_LEASE)
            e->taking = 0;
        else
            e->returning = 0;
    }
    pthread_mutex_unlock(&sp->lock);
}

int gw_store_ledger_leases(gw_store_t *st, const gw_store_lease_conf_t *conf)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    if (conf->calls < 0 || (conf->calls > 0 && (conf->min_calls < 1 || conf->idle_ms < 1 || conf->ttl_ms <= conf->idle_ms)))
        return GW_STORE_E_INVAL;
    if (!lg->pg)
        return 0;
    pthread_mutex_lock(&lg->tlock);
    lg->lc = *conf;
    pthread_cond_signal(&lg->tcond);
    pthread_mutex_unlock(&lg->tlock);
    return 0;
}

int gw_store_reserve(gw_store_t *st, const char *user_id, const char *request_id, int64_t amount, int64_t default_grant,
                     int64_t *balance_after)
{
    if (!gw_store__valid_user_id(user_id) || !gw_store__id_fits(request_id, GW_REQUEST_ID_MAX) || amount < 0 || default_grant < 0)
        return GW_STORE_E_INVAL;
    ledger_op_t op = {.kind = GW_J_RESERVE, .user = user_id, .rid = request_id, .amount = amount, .grant = default_grant};
    op.now = gw_store__now_us(st);
    int rc = gw_ledger__submit_sync(st, &op);
    if (rc != GW_STORE_E_DB && rc != GW_STORE_E_CLOSED && balance_after)
        *balance_after = op.bal;
    return rc;
}

int gw_store_reserve_async(gw_store_t *st, const char *user_id, const char *request_id, int64_t amount, int64_t default_grant,
                           int64_t *balance_now, gw_store_done_cb cb, void *ctx)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    if (!gw_store__valid_user_id(user_id) || !gw_store__id_fits(request_id, GW_REQUEST_ID_MAX) || amount < 0 || default_grant < 0 ||
        cb == NULL)
        return GW_STORE_E_INVAL;
    if (gw_store_unavailable(st))
        return GW_STORE_E_FULL;
    uint64_t h = gw_ledger__ct_hash(user_id);
    stripe_t *sp = &lg->stripes[h % CT_STRIPES];
    pthread_mutex_lock(&sp->lock);
    credit_t *e = gw_ledger__ct_get(sp, user_id, h, 1);
    if (e == NULL) {
        pthread_mutex_unlock(&sp->lock);
        return GW_STORE_E_NOMEM;
    }
    int64_t now = gw_ledger__ct_now_us(), lease_op = 0; /* > 0: take a lease of that much; < 0: give the lease back */
    int on_lease = 0;
    e->last_us = now;
    if (lg->lc.calls > 0 && !e->returning && e->lease >= amount) {
        /* admitted against this instance's lease: no balance row in the transaction */
        e->lease -= amount;
        on_lease = 1;
        atomic_fetch_add_explicit(&lg->lease_reserves, 1, memory_order_relaxed);
        if (e->lease < e->lease_target / 2)
            lease_op = lease_plan(lg, e, amount);
    } else {
        if (e->fresh_until_us != 0 && now < e->fresh_until_us && e->bal - e->held < amount) {
            /* refused in memory: the balance was read from the database less than CT_FRESH_US ago
             * and what is not held by reservations in flight cannot cover this one */
            if (balance_now)
                *balance_now = e->bal - e->held > 0 ? e->bal - e->held : 0;
            if (lg->lc.calls > 0 && e->lease_row && !e->taking && !e->returning && e->lease > 0) {
                /* what is left in our lease could not pay for this: give it back to the balance row */
                e->returning = 1;
                e->lease = 0;
                pthread_mutex_unlock(&sp->lock);
                lease_submit(lg, user_id, GW_J_LEASE_RETURN, 0);
                return GW_E_CREDITS;
            }
            pthread_mutex_unlock(&sp->lock);
            return GW_E_CREDITS;
        }
        e->held += amount;
        if (lg->lc.calls > 0)
            lease_op = lease_plan(lg, e, amount);
    }
    pthread_mutex_unlock(&sp->lock);
    size_t ul = strlen(user_id) + 1, rl = strlen(request_id) + 1;
    ledger_op_t *op = calloc(1, sizeof(*op) + ul + rl);
    int rc = GW_STORE_E_NOMEM;
    if (op != NULL) {
        char *u = (char *)(op + 1), *r = u + ul;
        memcpy(u, user_id, ul);
        memcpy(r, request_id, rl);
        op->kind = GW_J_RESERVE;
        op->mode = GW_J_ASYNC;
        op->user = u;
        op->rid = r;
        op->amount = amount;
        op->grant = default_grant;
        op->now = gw_store__now_us(st);
        op->held = !on_lease;
        op->lease = on_lease;
        op->cb = cb;
        op->ctx = ctx;
        rc = gw_store__journal_submit(st, op);
        if (rc != 0)
            free(op);
    }
    if (lease_op != 0)
        lease_submit(lg, user_id, lease_op > 0 ? GW_J_LEASE : GW_J_LEASE_RETURN, lease_op > 0 ? lease_op : 0);
    if (rc == 0)
        return 0;
    pthread_mutex_lock(&sp->lock);
    if (on_lease) {
        if (!e->returning)
            e->lease += amount;
    } else {
        e->held -= amount;
    }
    pthread_mutex_unlock(&sp->lock);
    return rc;
}

int gw_store_settle(gw_store_t *st, const char *user_id, const char *request_id, int64_t actual, int64_t *balance_after)
{
    if (!gw_store__user_id_fits(user_id) || !gw_store__id_fits(request_id, GW_REQUEST_ID_MAX) || actual < 0)
        return GW_STORE_E_INVAL;
    ledger_op_t op = {.kind = GW_J_SETTLE, .user = user_id, .rid = request_id, .amount = actual};
    op.now = gw_store__now_us(st);
    int rc = gw_ledger__submit_sync(st, &op);
    if ((rc == 0 || rc == GW_STORE_E_NOTFOUND || rc == GW_STORE_E_INVAL) && balance_after)
        *balance_after = op.bal;
    return rc;
}

int gw_store_settle_deferred(gw_store_t *st, const char *user_id, const char *request_id, int64_t actual)
{
    if (!gw_store__user_id_fits(user_id) || !gw_store__id_fits(request_id, GW_REQUEST_ID_MAX) || actual < 0)
        return GW_STORE_E_INVAL;
    size_t ul = strlen(user_id) + 1, rl = strlen(request_id) + 1;
    ledger_op_t *op = calloc(1, sizeof(*op) + ul + rl);
    if (op == NULL)
        return GW_STORE_E_NOMEM;
    char *u = (char *)(op + 1), *r = u + ul;
    memcpy(u, user_id, ul);
    memcpy(r, request_id, rl);
    op->kind = GW_J_SETTLE;
    op->mode = GW_J_DEFERRED;
    op->user = u;
    op->rid = r;
    op->amount = actual;
    op->now = gw_store__now_us(st);
    int rc = gw_store__journal_submit(st, op);
    if (rc != 0)
        free(op);
    return rc;
}

void gw_store_ledger_flush(gw_store_t *st)
{
    if (gw_store__journal_idle(st))
        return; /* everything submitted before is committed (or has failed for good) */
    ledger_op_t op = {.kind = GW_J_FLUSH};
    gw_ledger__submit_sync(st, &op);
}

void gw_store_ledger_stats(gw_store_t *st, gw_store_ledger_stats_t *out)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    out->batching = 1;
    pthread_mutex_lock(&lg->slock);
    out->batches = lg->batches;
    out->ops = lg->batched_ops;
    pthread_mutex_unlock(&lg->slock);
    out->pending = gw_store__journal_pending(st);
    out->lease_takes = atomic_load_explicit(&lg->lease_takes, memory_order_relaxed);
    out->lease_returns = atomic_load_explicit(&lg->lease_returns, memory_order_relaxed);
    out->lease_reserves = atomic_load_explicit(&lg->lease_reserves, memory_order_relaxed);
    out->leases_reclaimed = atomic_load_explicit(&lg->leases_reclaimed, memory_order_relaxed);
    out->recover_passes = atomic_load_explicit(&lg->recover_passes, memory_order_relaxed);
    out->evicted = atomic_load_explicit(&lg->evicted, memory_order_relaxed);
    out->batch_retries = atomic_load_explicit(&lg->batch_retries, memory_order_relaxed);
    out->bal_reads = atomic_load_explicit(&lg->bal_reads, memory_order_relaxed);
    out->users = 0;
    for (size_t i = 0; i < CT_STRIPES; i++) {
        pthread_mutex_lock(&lg->stripes[i].lock);
        out->users += lg->stripes[i].n;
        pthread_mutex_unlock(&lg->stripes[i].lock);
    }
}

int gw_store_grant(gw_store_t *st, const char *user_id, int64_t amount, const char *reason, int64_t *balance_after)
{
    /* "grant:" + 24 hex digits: a request id like any other (the ledger's UNIQUE(request_id, kind)) */
    char rid[GW_REQUEST_ID_MAX + 1], note[NOTE_MAX + 1];
    unsigned char rnd[12];
    _Static_assert(sizeof("grant:") - 1 + 2 * sizeof(rnd) <= GW_REQUEST_ID_MAX, "a grant's request id fits GW_REQUEST_ID_MAX");
    if (!gw_store__valid_user_id(user_id))
        return GW_STORE_E_INVAL;
    randombytes_buf(rnd, sizeof(rnd));
    memcpy(rid, "grant:", 6);
    sodium_bin2hex(rid + 6, sizeof(rid) - 6, rnd, sizeof(rnd));
    snprintf(note, sizeof(note), "%s", reason ? reason : "");
    ledger_op_t op = {.kind = GW_J_GRANT, .user = user_id, .rid = rid, .amount = amount, .note = reason ? note : NULL};
    op.now = gw_store__now_us(st);
    int rc = gw_ledger__submit_sync(st, &op);
    if (rc != 0)
        return rc == GW_STORE_E_CLOSED ? rc : GW_STORE_E_DB;
    if (balance_after)
        *balance_after = op.bal;
    return 0;
}

int gw_store_balance(gw_store_t *st, const char *user_id, int64_t *balance, int64_t *reserved)
{
    if (!gw_store__user_id_fits(user_id))
        return GW_STORE_E_INVAL;
    gw_store_ledger_flush(st); /* read your own deferred settles */
    slot_t *sl = gw_ledger__slot_acquire(gw_store__ledger(st));
    int64_t b = 0, r = 0;
    int rc = -1;
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_BAL_PUB); /* the balance row + leases, the open reservations of both kinds */
    if (s != NULL) {
        gw_store__bind_text(s, 1, user_id);
        if ((rc = gw_store__step(s)) == 1) {
            b = gw_store__col_int64(s, 0);
            r = gw_store__col_int64(s, 1);
        }
        gw_store__reset(s);
    }
    gw_ledger__slot_release(sl);
    if (rc < 0)
        return GW_STORE_E_DB;
    if (rc == 0)
        return GW_STORE_E_NOTFOUND;
    if (balance)
        *balance = b;
    if (reserved)
        *reserved = r;
    return 0;
}

int gw_store_user_info(gw_store_t *st, const char *user_id, gw_store_user_info_t *info)
{
    if (!gw_store__user_id_fits(user_id))
        return GW_STORE_E_INVAL;
    memset(info, 0, sizeof(*info));
    gw_store_ledger_flush(st);
    gw_store_db_t *db = gw_store__rdb_acquire(st);
    int ret = GW_STORE_E_DB;
    gw_store_stmt_t *s = gw_store__db_prepare(
        db, "SELECT u.consent_training, u.created_at,"
            " CAST(COALESCE(b.balance, 0) + COALESCE((SELECT SUM(l.amount) FROM credit_leases l WHERE l.user_id = u.id), 0)"
            " AS BIGINT), CAST(COALESCE(b.reserved, 0) + COALESCE((SELECT SUM(o.amount) FROM credit_open o WHERE o.user_id = u.id"
            " AND o.lease <> 0), 0) AS BIGINT)"
            " FROM users u LEFT JOIN credit_balances b ON b.user_id = u.id WHERE u.id = ?");
    if (s != NULL) {
        gw_store__bind_text(s, 1, user_id);
        int rc = gw_store__step(s);
        if (rc == 1) {
            info->consent_training = gw_store__col_int64(s, 0) != 0;
            info->created_at_us = gw_store__col_int64(s, 1);
            info->balance = gw_store__col_int64(s, 2);
            info->reserved = gw_store__col_int64(s, 3);
            ret = 0;
        } else if (rc == 0) {
            ret = GW_STORE_E_NOTFOUND;
        }
        gw_store__reset(s);
        gw_store__db_finalize(s);
    }
    gw_store__rdb_release(st);
    return ret;
}

/* ---- the lease thread ---- */

/* One pass over the credit table: gives back leases unused for lc.idle_ms, drops entries with
 * nothing held, no lease and no reservation for CT_EVICT_US (bounded memory: about 100 bytes per
 * user active in the last minute). */
static void table_sweep(gw_store_ledger_t *lg, int64_t idle_us)
{
    int64_t now = gw_ledger__ct_now_us();
    for (size_t i = 0; i < CT_STRIPES; i++) {
        stripe_t *sp = &lg->stripes[i];
        char **ret = NULL;
        size_t nret = 0, cap = 0;
        pthread_mutex_lock(&sp->lock);
        for (size_t b = 0; b < sp->nbuckets; b++)
            for (credit_t **pe = &sp->buckets[b]; *pe != NULL;) {
                credit_t *e = *pe;
                if (idle_us > 0 && e->lease_row && !e->taking && !e->returning && now - e->last_us >= idle_us) {
                    char *u = strdup(e->user);
                    char **r = nret == cap ? realloc(ret, (cap = cap ? cap * 2 : 8) * sizeof(*ret)) : ret;
                    if (u != NULL && r != NULL) {
                        ret = r;
                        ret[nret++] = u;
                        e->returning = 1;
                        e->lease = 0;
                    } else {
                        free(u);
                        if (r != NULL)
                            ret = r;
                    }
                }
                if (e->held == 0 && !e->lease_row && !e->taking && !e->returning && now - e->last_us >= CT_EVICT_US &&
                    now >= e->fresh_until_us) {
                    *pe = e->next;
                    sp->n--;
                    free(e);
                    atomic_fetch_add_explicit(&lg->evicted, 1, memory_order_relaxed);
                    continue;
                }
                pe = &e->next;
            }
        pthread_mutex_unlock(&sp->lock);
        for (size_t k = 0; k < nret; k++) {
            lease_submit(lg, ret[k], GW_J_LEASE_RETURN, 0);
            free(ret[k]);
        }
        free(ret);
    }
}

void *gw_ledger__lease_thread(void *arg)
{
    gw_store_ledger_t *lg = arg;
    int64_t next_recover = 0;
    pthread_mutex_lock(&lg->tlock);
    while (!lg->thread_stop) {
        gw_store_lease_conf_t lc = lg->lc;
        int64_t tick = lc.calls > 0 && lc.idle_ms * 500 < CT_TICK_MAX_US ? lc.idle_ms * 500 : CT_TICK_MAX_US;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t ns = ts.tv_nsec + (tick % 1000000) * 1000;
        ts.tv_sec += (time_t)(tick / 1000000 + ns / 1000000000);
        ts.tv_nsec = (long)(ns % 1000000000);
        pthread_cond_timedwait(&lg->tcond, &lg->tlock, &ts);
        if (lg->thread_stop)
            break;
        lc = lg->lc;
        pthread_mutex_unlock(&lg->tlock);
        table_sweep(lg, lc.calls > 0 ? lc.idle_ms * 1000 : 0);
        if (lc.calls > 0 && gw_ledger__ct_now_us() >= next_recover) {
            /* instances that are gone: their expired leases, and their reservations older than a lease's life */
            int64_t ttl_us = lc.ttl_ms * 1000;
            gw_ledger__recover(lg, gw_store__now_us(lg->st) - ttl_us, NULL, NULL);
            next_recover = gw_ledger__ct_now_us() + ttl_us / 2;
            atomic_fetch_add_explicit(&lg->recover_passes, 1, memory_order_relaxed);
        }
        pthread_mutex_lock(&lg->tlock);
    }
    pthread_mutex_unlock(&lg->tlock);
    return NULL;
}
