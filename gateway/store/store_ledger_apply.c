/*
 * The ledger's side of the journal (store_journal.h): the writer thread applies each ledger item
 * of its transaction here (gw_store__ledger_apply: reserve, settle, grant, lease take / return
 * through the bodies of store_ledger.c, a shared rate bucket's question here), counts the
 * transactions, and updates the credit table after the commit (gw_store__ledger_applied).
 * Nothing here queues on the journal: the files that queue items (store_leases.c,
 * store_ratelimit.c) sit above the journal, these below it, so the store's files call each other
 * one way (docs/internals/store.md "Files").
 */
#include "gateway/store/store_ledger.h"
#include "common/log.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "policy/ratelimit.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include "gateway/store/store_ledger_internal.h"

#define RATE_UNITS INT64_C(60000000) /* per token, as policy/ratelimit.c */

/*
 * A question to the shared bucket op->user / kind op->rid[0]: refill it to now (limit per minute,
 * at most one minute's worth), charge op->grant tokens (debt allowed down to minus a minute's
 * worth), grant up to op->amount whole tokens. op->bal = tokens granted; the question's
 * refill_ms = how long the bucket needs for the rest. The row lock (FOR UPDATE) orders instances.
 */
static int rate_body(slot_t *sl, ledger_op_t *op)
{
    int64_t per_minute = op->limit, cap = per_minute * RATE_UNITS, level = cap, at = op->now;
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_RATE_INS);
    if (s == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->user);
    gw_store__bind_text(s, 2, op->rid);
    gw_store__bind_int64(s, 3, cap);
    gw_store__bind_int64(s, 4, op->now);
    if (gw_ledger__run(s) < 0 || (s = gw_ledger__stmt(sl, S_RATE_GET)) == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->user);
    gw_store__bind_text(s, 2, op->rid);
    int rc = gw_store__step(s);
    if (rc == 1) {
        level = gw_store__col_int64(s, 0);
        at = gw_store__col_int64(s, 1);
    }
    gw_store__reset(s);
    if (rc != 1)
        return GW_STORE_E_DB;
    int64_t dt = op->now - at;
    dt = dt < 0 ? 0 : dt > RATE_UNITS ? RATE_UNITS : dt;
    level += dt * per_minute;
    if (level > cap)
        level = cap;
    level -= op->grant * RATE_UNITS;
    if (level < -cap)
        level = -cap;
    int64_t granted = level > 0 ? level / RATE_UNITS : 0;
    if (granted > op->amount)
        granted = op->amount;
    level -= granted * RATE_UNITS;
    op->bal = granted;
    if (granted < op->amount && op->ctx != NULL) {
        int64_t lack = (op->amount - granted) * RATE_UNITS - (level > 0 ? level : 0);
        ((rate_q_t *)op->ctx)->refill_ms = (lack + per_minute * 1000 - 1) / (per_minute * 1000);
    }
    if ((s = gw_ledger__stmt(sl, S_RATE_PUT)) == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_int64(s, 1, level);
    gw_store__bind_int64(s, 2, op->now > at ? op->now : at);
    gw_store__bind_text(s, 3, op->user);
    gw_store__bind_text(s, 4, op->rid);
    return gw_ledger__run(s) < 0 ? GW_STORE_E_DB : 0;
}

static int op_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    switch (op->kind) {
    case GW_J_RESERVE:
        return gw_ledger__reserve_body(lg, sl, op);
    case GW_J_GRANT:
        return gw_ledger__grant_body(lg, sl, op);
    case GW_J_SETTLE:
    case GW_J_FINISH:
        return gw_ledger__settle_body(lg, sl, op);
    case GW_J_LEASE:
        return gw_ledger__lcur_flush(lg, sl) != 0 ? GW_STORE_E_DB : gw_ledger__lease_take_body(lg, sl, op);
    case GW_J_LEASE_RETURN:
        return gw_ledger__lcur_flush(lg, sl) != 0 ? GW_STORE_E_DB : gw_ledger__lease_return_body(lg, sl, op);
    case GW_J_RATE:
        return rate_body(sl, op);
    default:
        return 0;
    }
}

static const char *op_name(const ledger_op_t *op)
{
    return op->kind == GW_J_RATE           ? "rate bucket"
           : op->kind == GW_J_RESERVE      ? "reserve"
           : op->kind == GW_J_GRANT        ? "grant"
           : op->kind == GW_J_LEASE        ? "lease"
           : op->kind == GW_J_LEASE_RETURN ? "lease return"
                                           : "settle";
}

int gw_store__ledger_apply(gw_store_ledger_t *lg, gw_store_db_t *db, gw_journal_item_t *op)
{
    slot_t *sl = &lg->wslot;
    if (sl->db == NULL)
        sl->db = db;
    /* Every body refuses before it writes (store_ledger.c): a refusal needs no savepoint. */
    op->lease_out = GW_J_LEASE_NA; /* outputs of an earlier attempt of this transaction are void */
    op->lease_delta = 0;
    int rc = op_body(lg, sl, op);
    if (rc == GW_STORE_E_DB && !lg->b.retry) /* a batched transaction's retry is not an error */
        gw_ledger__log_err(sl, op_name(op));
    return op->rc = rc;
}

void gw_store__ledger_applied(gw_store_ledger_t *lg, gw_journal_item_t *it, int committed)
{
    int settles = it->kind == GW_J_FINISH && it->settle;
    int leases = it->kind == GW_J_LEASE || it->kind == GW_J_LEASE_RETURN || it->lease;
    if (it->kind != GW_J_RESERVE && it->kind != GW_J_SETTLE && it->kind != GW_J_GRANT && !settles && !leases)
        return;
    int known = committed && (it->rc == 0 || it->rc == GW_E_CREDITS);
    if (!known && !it->held && !leases)
        return;
    uint64_t h = gw_ledger__ct_hash(it->user);
    stripe_t *sp = &lg->stripes[h % CT_STRIPES];
    pthread_mutex_lock(&sp->lock);
    credit_t *e = gw_ledger__ct_get(sp, it->user, h, known || leases);
    if (e != NULL) {
        if (it->held)
            e->held -= it->amount;
        /* it->bal is the balance row, except after a reservation or settlement the lease paid for */
        int bal_row = known && it->lease_out != GW_J_LEASE_USED;
        switch (it->kind) {
        case GW_J_LEASE:
            e->taking = 0;
            if (known && it->rc == 0) {
                e->lease += it->amount;
                atomic_fetch_add_explicit(&lg->lease_takes, 1, memory_order_relaxed);
            }
            break;
        case GW_J_LEASE_RETURN:
            e->returning = 0;
            if (known) {
                e->lease_row = 0;
                if (it->lease_delta != 0)
                    atomic_fetch_add_explicit(&lg->lease_returns, 1, memory_order_relaxed);
            }
            break;
        case GW_J_RESERVE:
            if (!it->lease)
                break;
            if (!known || it->lease_out == GW_J_LEASE_UNUSED) {
                if (!e->returning)
                    e->lease += it->amount; /* not taken from the lease row: give it back in memory */
            } else if (it->lease_out == GW_J_LEASE_LOST) {
                e->lease = 0; /* the lease row is gone or smaller than believed: the next reservation asks again */
            } else {
                /* what the reservation's caller is told remains: a lower bound (other instances' leases not counted) */
                it->bal = e->bal + (e->lease > 0 ? e->lease : 0);
            }
            break;
        default:
            if (known && it->lease_out == GW_J_LEASE_USED && !e->returning)
                e->lease += it->lease_delta;
        }
        if (bal_row) {
            e->bal = it->bal;
            e->fresh_until_us = gw_ledger__ct_now_us() + CT_FRESH_US;
        }
    }
    pthread_mutex_unlock(&sp->lock);
}

void gw_store__ledger_count(gw_store_ledger_t *lg, uint64_t ops)
{
    pthread_mutex_lock(&lg->slock);
    lg->batches++;
    lg->batched_ops += ops;
    pthread_mutex_unlock(&lg->slock);
}
