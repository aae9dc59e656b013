/*
 * Rate limits shared by the instances on one PostgreSQL database (gw_store_ratelimit_share, see
 * store_ledger.h): token buckets in rate_buckets, each instance leasing blocks of a tenth of the limit
 * through the journal. This file asks (queues a GW_J_RATE item); the writer answers in
 * store_ledger_apply.c (below the journal: the store's files call each other one way).
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

typedef struct st_rate_share_t {
    gw_store_t *st;
    pol_ratelimit_t *rl;
} rate_share_t;

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

/* Runs one operation through the journal and waits for its commit. */
int gw_ledger__submit_sync(gw_store_t *st, ledger_op_t *op)
{
    op->mode = GW_J_SYNC;
    int rc = gw_store__journal_submit(st, op);
    return rc != 0 ? rc : op->rc;
}
