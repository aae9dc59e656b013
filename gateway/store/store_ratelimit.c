/*
 * Rate limits shared by the instances on one PostgreSQL database (gw_store_ratelimit_share, see
 * store_ledger.h): token buckets in rate_buckets, each instance leasing blocks of a tenth of the limit
 * through the journal.
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

/* ---- shared rate-limit buckets (gw_store_ratelimit_share) ---- */

#define RATE_UNITS INT64_C(60000000) /* per token, as policy/ratelimit.c */

typedef struct st_rate_share_t {
    gw_store_t *st;
    pol_ratelimit_t *rl;
} rate_share_t;

/* One question in flight: the journal item's ctx. */
typedef struct st_rate_q_t {
    pol_ratelimit_t *rl;
    char kind;
    int64_t debt, want, refill_ms;
    char key[];
} rate_q_t;

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

static void rate_done(void *ctx, int rc, int64_t granted)
{
    rate_q_t *q = ctx;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    pol_ratelimit_granted(q->rl, q->key, q->kind, q->debt, q->want, rc == 0 ? granted : -1,
                          (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000, q->refill_ms);
    free(q);
}

static int rate_ask(void *ctx, const char *key, char kind, int64_t per_minute, int64_t debt, int64_t want)
{
    rate_share_t *rs = ctx;
    size_t kl = strlen(key) + 1;
    rate_q_t *q = calloc(1, sizeof(*q) + kl);
    ledger_op_t *op = calloc(1, sizeof(*op) + kl + 2);
    if (q == NULL || op == NULL || per_minute <= 0 || debt < 0 || want < 0) {
        free(q);
        free(op);
        return -1;
    }
    memcpy(q->key, key, kl);
    q->rl = rs->rl;
    q->kind = kind;
    q->debt = debt;
    q->want = want;
    char *u = (char *)(op + 1), *k = u + kl;
    memcpy(u, key, kl);
    k[0] = kind == 't' ? 't' : 'r';
    op->kind = GW_J_RATE;
    op->mode = GW_J_ASYNC;
    op->user = u;
    op->rid = k;
    op->amount = want;
    op->grant = debt;
    op->limit = per_minute;
    op->now = gw_store__now_us(rs->st);
    op->cb = rate_done;
    op->ctx = q;
    if (gw_store__journal_submit(rs->st, op) != 0) {
        free(q);
        free(op);
        return -1;
    }
    return 0;
}

int gw_store_ratelimit_share(gw_store_t *st, struct st_pol_ratelimit_t *rl)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    if (rl == NULL || !lg->pg)
        return 0;
    if (lg->rate == NULL && (lg->rate = calloc(1, sizeof(*lg->rate))) == NULL)
        return 0;
    lg->rate->st = st;
    lg->rate->rl = rl;
    pol_ratelimit_share_t sh = {.ask = rate_ask, .ctx = lg->rate};
    pol_ratelimit_share(rl, &sh);
    return 1;
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

/* Runs one operation through the journal and waits for its commit. */
int gw_ledger__submit_sync(gw_store_t *st, ledger_op_t *op)
{
    op->mode = GW_J_SYNC;
    int rc = gw_store__journal_submit(st, op);
    return rc != 0 ? rc : op->rc;
}
