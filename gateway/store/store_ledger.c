/*
 * Credits ledger of the store (see store_ledger.h for the rows and the atomicity argument).
 *
 * The journal (issue 12). Reserve, settle and grant are items of the store's journal (store.c):
 * the store's writer thread BEGINs, takes every item queued by then, applies each through
 * gw_store__ledger_apply (an exact reservation at its own savepoint: a refused reservation undoes
 * only its own rows, so each reservation still sees the balance left by the ones before it and
 * refusals are exact; every other item refuses before it writes),
 * and commits once, with the call records of the same moment. A database error rolls the whole
 * transaction back: every ledger item of it fails with GW_STORE_E_DB (finished calls are retried
 * by the store). Synchronous callers wait for their item; the gateway uses
 * gw_store_reserve_async and gw_store_finish_async. Both backends: on PostgreSQL the store sorts
 * a batch by user id so instances take row locks in one order (no deadlock between instances).
 * The statements run on the writer's connection (wslot, prepared lazily, writer thread only).
 *
 * The credit table, the connection pool and the ledger's open / close are in store_ledger_pool.c.
 */
#include "gateway/store/store_ledger.h"
#include "common/log.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "policy/meter.h"
#include "policy/ratelimit.h"
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gateway/store/store_ledger_internal.h"

/* ---- statements ---- */

static gw_store_stmt_t *ledger_ins_bind(slot_t *sl, const char *user, const char *rid, const char *kind, int64_t amount,
                                        int64_t now, const char *note, int flagged)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_LEDGER_INS);
    if (s == NULL)
        return NULL;
    gw_store__bind_text(s, 1, user);
    gw_store__bind_text(s, 2, rid);
    gw_store__bind_text(s, 3, kind);
    gw_store__bind_int64(s, 4, amount);
    gw_store__bind_int64(s, 5, now);
    gw_store__bind_text(s, 6, note);
    gw_store__bind_int64(s, 7, flagged);
    return s;
}

int64_t gw_ledger__ledger_ins(slot_t *sl, const char *user, const char *rid, const char *kind, int64_t amount, int64_t now,
                              const char *note, int flagged)
{
    gw_store_stmt_t *s = ledger_ins_bind(sl, user, rid, kind, amount, now, note, flagged);
    return s == NULL ? -1 : gw_ledger__run(s);
}

/* gw_ledger__ledger_ins when the row count does not matter (pipelined on PostgreSQL). @return 0 or -1. */
static int ledger_ins_nowait(slot_t *sl, const char *user, const char *rid, const char *kind, int64_t amount, int64_t now,
                             const char *note, int flagged)
{
    gw_store_stmt_t *s = ledger_ins_bind(sl, user, rid, kind, amount, now, note, flagged);
    return s == NULL ? -1 : gw_store__run_nowait(s);
}

/* Reads (balance, reserved). @return 1 found, 0 absent, -1 error. */
static int bal_get(slot_t *sl, const char *user, int64_t *balance, int64_t *reserved)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_BAL_GET);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, user);
    int rc = gw_store__step(s);
    if (rc == 1) {
        if (balance)
            *balance = gw_store__col_int64(s, 0);
        if (reserved)
            *reserved = gw_store__col_int64(s, 1);
    }
    gw_store__reset(s);
    return rc;
}

/* Conditional debit. @return 1 debited (balance after in *bal), 0 not (absent or too low), -1 error. */
static int debit(slot_t *sl, const char *user, int64_t amount, int64_t now, int64_t *bal)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_DEBIT);
    if (s == NULL)
        return -1;
    gw_store__bind_int64(s, 1, amount);
    gw_store__bind_int64(s, 2, amount);
    gw_store__bind_int64(s, 3, now);
    gw_store__bind_text(s, 4, user);
    gw_store__bind_int64(s, 5, amount);
    int rc = gw_store__step(s);
    if (rc == 1)
        *bal = gw_store__col_int64(s, 0);
    gw_store__reset(s);
    return rc;
}

/* balance += delta, reserved -= released. @return 1 (balance after in *bal), 0 no row, -1 error. */
int gw_ledger__bal_add(slot_t *sl, const char *user, int64_t delta, int64_t released, int64_t now, int64_t *bal)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_BAL_ADD);
    if (s == NULL)
        return -1;
    gw_store__bind_int64(s, 1, delta);
    gw_store__bind_int64(s, 2, released);
    gw_store__bind_int64(s, 3, now);
    gw_store__bind_text(s, 4, user);
    int rc = gw_store__step(s);
    if (rc == 1 && bal)
        *bal = gw_store__col_int64(s, 0);
    gw_store__reset(s);
    return rc;
}

/*
 * First sight of a user (no balance row): the users row with a data key, the default grant
 * (once per user id, ever: its request id is fixed, "default-grant:" + gw_store__user_ref), the balance row. Inside the caller's
 * transaction. @return 0 or -1.
 */
static int user_create(gw_store_ledger_t *lg, slot_t *sl, const char *user, int64_t grant, int64_t now)
{
    int64_t granted = 0;
    if (gw_store__user_insert(lg->st, sl->db, user) != 0)
        return -1;
    if (grant > 0) {
        char rid[GW_STORE_USER_REF_CHARS + 32], ref[GW_STORE_USER_REF_CHARS + 1];
        gw_store__user_ref(lg->st, user, ref); /* not the id itself: the row outlives an erasure */
        snprintf(rid, sizeof(rid), "default-grant:%s", ref);
        int64_t n = gw_ledger__ledger_ins(sl, user, rid, "grant", grant, now, "default grant", 0);
        if (n < 0)
            return -1;
        granted = n > 0 ? grant : 0;
    }
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_BAL_INS);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, user);
    gw_store__bind_int64(s, 2, granted);
    gw_store__bind_int64(s, 3, now);
    return gw_store__run_nowait(s);
}

void gw_ledger__log_err(slot_t *sl, const char *what)
{
    gw_log(GW_LOG_ERROR, "ledger: %s: %s", what, gw_store__db_errmsg(sl->db));
}

/* ---- reserve / settle / grant ---- */

/* Was `request_id` settled already? @return 1, 0, or -1. */
int gw_ledger__settled(slot_t *sl, const char *request_id)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_SETTLED);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, request_id);
    int rc = gw_store__step(s);
    gw_store__reset(s);
    return rc;
}

/* Is `request_id` open (of any user)? @return 1, 0, or -1. */
static int open_exists(slot_t *sl, const char *request_id)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_OPEN_GET);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, request_id);
    int rc = gw_store__step(s);
    gw_store__reset(s);
    return rc;
}

/* Removes the open reservation. @return 1 (user, amount and lease filled), 0 none, -1 error. */
int gw_ledger__open_take(slot_t *sl, const char *request_id, char *user, size_t userlen, int64_t *amount, int *lease)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_OPEN_DEL);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, request_id);
    int rc = gw_store__step(s);
    if (rc == 1) {
        const char *u = gw_store__col_text(s, 0);
        snprintf(user, userlen, "%s", u ? u : "");
        *amount = gw_store__col_int64(s, 1);
        *lease = gw_store__col_int64(s, 2) != 0;
    }
    gw_store__reset(s);
    return rc;
}

/* Records the reservation as open (lease: admitted against this instance's lease). @return 0 or GW_STORE_E_DB. */
static int open_ins(gw_store_ledger_t *lg, slot_t *sl, const ledger_op_t *op, int lease)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_OPEN_INS);
    if (s == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->rid);
    gw_store__bind_text(s, 2, op->user);
    gw_store__bind_int64(s, 3, op->amount);
    gw_store__bind_int64(s, 4, lg->instance);
    gw_store__bind_int64(s, 5, op->now);
    gw_store__bind_int64(s, 6, lease);
    return gw_store__run_nowait(s) < 0 ? GW_STORE_E_DB : 0;
}

/*
 * The body of a reservation, inside the caller's transaction. @return 0 (reserved, or already
 * reserved: nothing written), GW_E_CREDITS (refused: the caller undoes what it wrote), GW_STORE_E_DB on a
 * database error. op->bal receives the balance after (or the balance that was too low).
 */
static int reserve_exact(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    int rc;
    /* The reserve row first: it is the idempotency check (UNIQUE(request_id, kind)). */
    int64_t n = gw_ledger__ledger_ins(sl, op->user, op->rid, "reserve", -op->amount, op->now, NULL, 0);
    if (n < 0)
        return GW_STORE_E_DB;
    if (n == 0)
        return bal_get(sl, op->user, &op->bal, NULL) < 0 ? GW_STORE_E_DB : 0;
    if ((rc = debit(sl, op->user, op->amount, op->now, &op->bal)) < 0)
        return GW_STORE_E_DB;
    if (rc == 0) {
        if ((rc = bal_get(sl, op->user, &op->bal, NULL)) < 0)
            return GW_STORE_E_DB;
        if (rc == 0) {
            if (user_create(lg, sl, op->user, op->grant, op->now) != 0 ||
                (rc = debit(sl, op->user, op->amount, op->now, &op->bal)) < 0)
                return GW_STORE_E_DB;
            if (rc == 0 && bal_get(sl, op->user, &op->bal, NULL) < 0)
                return GW_STORE_E_DB;
        } else {
            rc = 0;
        }
        /* Refused: the reserve row goes away with the undo; a newly created user stays created
         * only if a later call succeeds (this one wrote nothing). */
        if (rc == 0)
            return GW_E_CREDITS;
    }
    return open_ins(lg, sl, op, 0);
}

/* reserve_exact at its own savepoint: a refusal undoes only its own rows. */
int gw_ledger__reserve_exact_sp(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    gw_store_stmt_t *sp = gw_ledger__stmt(sl, S_SP), *rel = gw_ledger__stmt(sl, S_SP_RELEASE),
                    *undo = gw_ledger__stmt(sl, S_SP_UNDO);
    if (sp == NULL || rel == NULL || undo == NULL || gw_store__run_nowait(sp) < 0)
        return GW_STORE_E_DB;
    int rc = reserve_exact(lg, sl, op);
    if (rc != GW_STORE_E_DB && ((rc != 0 && gw_store__run_nowait(undo) < 0) || gw_store__run_nowait(rel) < 0))
        rc = GW_STORE_E_DB;
    return rc;
}

/* Writes the cursor's pending change of the lease row and forgets the row. @return 0 or -1. */
int gw_ledger__lcur_flush(gw_store_ledger_t *lg, slot_t *sl)
{
    int rc = 0;
    if (lg->lcur.active && lg->lcur.row && lg->lcur.dirty) {
        gw_store_stmt_t *s = gw_ledger__stmt(sl, S_LEASE_ADD);
        if (s == NULL)
            return -1;
        gw_store__bind_int64(s, 1, lg->lcur.delta);
        gw_store__bind_int64(s, 2, lg->lcur.now + lg->lc.ttl_ms * 1000);
        gw_store__bind_int64(s, 3, lg->lcur.now);
        gw_store__bind_text(s, 4, lg->lcur.user);
        gw_store__bind_int64(s, 5, lg->instance);
        rc = gw_store__run_nowait(s);
    }
    lg->lcur.active = 0;
    return rc;
}

/* Points the cursor at `user`'s lease row of this instance (locked FOR UPDATE). @return 0 or -1. */
static int lcur_load(gw_store_ledger_t *lg, slot_t *sl, const char *user, int64_t now)
{
    if (lg->lcur.active && strcmp(lg->lcur.user, user) == 0) {
        if (now > lg->lcur.now)
            lg->lcur.now = now;
        return 0;
    }
    if (gw_ledger__lcur_flush(lg, sl) != 0)
        return -1;
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_LEASE_LOCK);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, user);
    gw_store__bind_int64(s, 2, lg->instance);
    int rc = gw_store__step(s);
    lg->lcur.amount = rc == 1 ? gw_store__col_int64(s, 0) : 0;
    gw_store__reset(s);
    if (rc < 0)
        return -1;
    snprintf(lg->lcur.user, sizeof(lg->lcur.user), "%s", user);
    lg->lcur.active = 1;
    lg->lcur.row = rc == 1;
    lg->lcur.dirty = 0;
    lg->lcur.delta = 0;
    lg->lcur.now = now;
    return 0;
}

int gw_store__ledger_batch(gw_store_ledger_t *lg, int end)
{
    if (!end) {
        lg->lcur.active = 0; /* a new transaction: nothing read in a rolled-back one is known */
        return 0;
    }
    return gw_ledger__lcur_flush(lg, &lg->wslot);
}

/* Credits `delta` to this instance's lease row of `user`. @return 1 done, 0 no lease row, -1 error. */
static int lease_credit(gw_store_ledger_t *lg, slot_t *sl, const char *user, int64_t delta, int64_t now)
{
    if (lcur_load(lg, sl, user, now) != 0)
        return -1;
    if (!lg->lcur.row)
        return 0;
    lg->lcur.amount += delta;
    lg->lcur.delta += delta;
    lg->lcur.dirty = 1;
    return 1;
}

/*
 * A reservation. Admitted against this instance's lease: the lease row (through the cursor, read
 * FOR UPDATE) pays first, if it still holds enough (it may have been reclaimed, or given back by an
 * idle return queued before this), then the reserve row (a repeated request id gives the amount
 * back) and the open row: nothing can be refused after a write, so no savepoint. Otherwise, or when
 * no lease row covers it, the balance row decides (reserve_exact, at a savepoint).
 */
int gw_ledger__reserve_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    if (!op->lease)
        return gw_ledger__reserve_exact_sp(lg, sl, op);
    if (lcur_load(lg, sl, op->user, op->now) != 0)
        return GW_STORE_E_DB;
    if (!lg->lcur.row || lg->lcur.amount < op->amount) {
        op->lease_out = GW_J_LEASE_LOST;
        return gw_ledger__reserve_exact_sp(lg, sl, op);
    }
    int64_t n = gw_ledger__ledger_ins(sl, op->user, op->rid, "reserve", -op->amount, op->now, NULL, 0);
    if (n < 0)
        return GW_STORE_E_DB;
    if (n == 0) { /* reserved before: the lease keeps its amount */
        op->lease_out = GW_J_LEASE_UNUSED;
        return bal_get(sl, op->user, &op->bal, NULL) < 0 ? GW_STORE_E_DB : 0;
    }
    lg->lcur.amount -= op->amount;
    lg->lcur.delta -= op->amount;
    lg->lcur.dirty = 1;
    op->bal = lg->lcur.amount;
    op->lease_out = GW_J_LEASE_USED;
    return open_ins(lg, sl, op, 1);
}

/*
 * The body of a settlement, inside the caller's transaction. @return 0 (settled, or settled
 * before: nothing written), GW_STORE_E_NOTFOUND, GW_STORE_E_INVAL (another user's request; nothing
 * written), GW_STORE_E_DB on a database error.
 */
int gw_ledger__settle_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    int64_t reserved = 0;
    int lease = 0;
    /* the open row of this user's request: refusals (none, another user's) write nothing, so no savepoint */
    gw_store_stmt_t *t = gw_ledger__stmt(sl, S_OPEN_DEL_USER);
    if (t == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(t, 1, op->rid);
    gw_store__bind_text(t, 2, op->user);
    int rc = gw_store__step(t);
    if (rc == 1) {
        reserved = gw_store__col_int64(t, 0);
        lease = gw_store__col_int64(t, 1) != 0;
    }
    gw_store__reset(t);
    if (rc < 0)
        return GW_STORE_E_DB;
    if (rc == 0) {
        if ((rc = gw_ledger__settled(sl, op->rid)) < 0 || bal_get(sl, op->user, &op->bal, NULL) < 0)
            return GW_STORE_E_DB;
        if (rc == 1)
            return 0;
        if ((rc = open_exists(sl, op->rid)) < 0)
            return GW_STORE_E_DB;
        return rc == 1 ? GW_STORE_E_INVAL : GW_STORE_E_NOTFOUND;
    }
    pol_meter_settlement_t s;
    pol_meter_settle(reserved, op->amount, &s);
    if (ledger_ins_nowait(sl, op->user, op->rid, "settle", -s.overrun, op->now,
                          s.flagged ? "actual cost above the reservation" : NULL, s.flagged) < 0 ||
        (s.refund > 0 && ledger_ins_nowait(sl, op->user, op->rid, "refund", s.refund, op->now, NULL, 0) < 0))
        return GW_STORE_E_DB;
    if (lease) {
        /* reserved against a lease: the difference goes back to this instance's lease row while it
         * exists (no balance row lock per call), else to the balance row */
        if ((rc = lease_credit(lg, sl, op->user, s.refund - s.overrun, op->now)) < 0)
            return GW_STORE_E_DB;
        if (rc == 1) {
            op->lease_out = GW_J_LEASE_USED;
            op->lease_delta = s.refund - s.overrun;
            return 0;
        }
        return gw_ledger__bal_add(sl, op->user, s.refund - s.overrun, 0, op->now, &op->bal) != 1 ? GW_STORE_E_DB : 0;
    }
    if (gw_ledger__bal_add(sl, op->user, s.refund - s.overrun, reserved, op->now, &op->bal) != 1)
        return GW_STORE_E_DB;
    return 0;
}

/* A lease take or top-up: the balance row gives op->amount to this instance's lease row, if it
 * holds that much. @return 0, GW_E_CREDITS (op->bal = the balance row), GW_STORE_E_DB. */
int gw_ledger__lease_take_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_LEASE_DEBIT);
    if (s == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_int64(s, 1, op->amount);
    gw_store__bind_int64(s, 2, op->now);
    gw_store__bind_text(s, 3, op->user);
    gw_store__bind_int64(s, 4, op->amount);
    int rc = gw_store__step(s);
    if (rc == 1)
        op->bal = gw_store__col_int64(s, 0);
    gw_store__reset(s);
    if (rc < 0)
        return GW_STORE_E_DB;
    if (rc == 0)
        return bal_get(sl, op->user, &op->bal, NULL) < 0 ? GW_STORE_E_DB : GW_E_CREDITS;
    if ((s = gw_ledger__stmt(sl, S_LEASE_PUT)) == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->user);
    gw_store__bind_int64(s, 2, lg->instance);
    gw_store__bind_int64(s, 3, op->amount);
    gw_store__bind_int64(s, 4, op->now + lg->lc.ttl_ms * 1000);
    gw_store__bind_int64(s, 5, op->now);
    return gw_store__run_nowait(s) < 0 ? GW_STORE_E_DB : 0;
}

/* Gives this instance's lease of op->user back to the balance row. @return 0 or GW_STORE_E_DB;
 * op->lease_delta = the amount given back (0: there was no lease row), op->bal = the balance row. */
int gw_ledger__lease_return_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_LEASE_DEL);
    if (s == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->user);
    gw_store__bind_int64(s, 2, lg->instance);
    int rc = gw_store__step(s);
    if (rc == 1)
        op->lease_delta = gw_store__col_int64(s, 0);
    gw_store__reset(s);
    if (rc < 0)
        return GW_STORE_E_DB;
    if (rc == 0)
        return bal_get(sl, op->user, &op->bal, NULL) < 0 ? GW_STORE_E_DB : 0;
    return gw_ledger__bal_add(sl, op->user, op->lease_delta, 0, op->now, &op->bal) != 1 ? GW_STORE_E_DB : 0;
}

/* A grant (amount >= 0) or adjustment, creating the user if new. @return 0 or GW_STORE_E_DB. */
int gw_ledger__grant_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    int rc = bal_get(sl, op->user, NULL, NULL);
    if (rc < 0 || (rc == 0 && user_create(lg, sl, op->user, 0, op->now) != 0))
        return GW_STORE_E_DB;
    if (gw_ledger__ledger_ins(sl, op->user, op->rid, op->amount >= 0 ? "grant" : "adjust", op->amount, op->now, op->note, 0) != 1 ||
        gw_ledger__bal_add(sl, op->user, op->amount, 0, op->now, &op->bal) != 1)
        return GW_STORE_E_DB;
    return 0;
}

/* ---- idempotency keys ---- */

int gw_store_idempotency_get(gw_store_t *st, const char *user_id, const char *key, int *status,
                             char request_id[GW_REQUEST_ID_MAX + 1])
{
    if (!gw_ledger__valid_id(user_id, GW_USER_ID_MAX) || !gw_ledger__valid_id(key, GW_IDEMPOTENCY_KEY_MAX))
        return GW_STORE_E_INVAL;
    slot_t *sl = gw_ledger__slot_acquire(gw_store__ledger(st));
    int ret = GW_STORE_E_DB;
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_IDEM_GET);
    if (s != NULL) {
        gw_store__bind_text(s, 1, user_id);
        gw_store__bind_text(s, 2, key);
        gw_store__bind_int64(s, 3, gw_store__now_us(st));
        int rc = gw_store__step(s);
        if (rc == 1) {
            const char *r = gw_store__col_text(s, 0);
            snprintf(request_id, GW_REQUEST_ID_MAX + 1, "%s", r ? r : "");
            *status = (int)gw_store__col_int64(s, 1);
            ret = 0;
        } else if (rc == 0) {
            ret = GW_STORE_E_NOTFOUND;
        }
        gw_store__reset(s);
    }
    if (ret == GW_STORE_E_DB)
        gw_ledger__log_err(sl, "idempotency");
    gw_ledger__slot_release(sl);
    return ret;
}

int gw_store_idempotency_put(gw_store_t *st, const char *user_id, const char *key, int status, const char *request_id)
{
    if (!gw_ledger__valid_new_user(user_id) || !gw_ledger__valid_id(key, GW_IDEMPOTENCY_KEY_MAX) ||
        !gw_ledger__valid_id(request_id, GW_REQUEST_ID_MAX) || status < 0)
        return GW_STORE_E_INVAL;
    int64_t now = gw_store__now_us(st), n = -1;
    slot_t *sl = gw_ledger__slot_acquire(gw_store__ledger(st));
    gw_store_stmt_t *s = gw_ledger__stmt(sl, status == 0 ? S_IDEM_CLAIM : S_IDEM_DONE);
    if (s != NULL && status == 0) {
        gw_store__bind_text(s, 1, user_id);
        gw_store__bind_text(s, 2, key);
        gw_store__bind_text(s, 3, request_id);
        gw_store__bind_int64(s, 4, now);
        gw_store__bind_int64(s, 5, now + GW_STORE_IDEM_TTL_US);
        gw_store__bind_int64(s, 6, now);
        n = gw_ledger__run(s);
    } else if (s != NULL) {
        gw_store__bind_int64(s, 1, status);
        gw_store__bind_text(s, 2, user_id);
        gw_store__bind_text(s, 3, key);
        gw_store__bind_text(s, 4, request_id);
        n = gw_ledger__run(s);
    }
    if (n < 0)
        gw_ledger__log_err(sl, "idempotency");
    gw_ledger__slot_release(sl);
    if (n < 0)
        return GW_STORE_E_DB;
    if (status == 0)
        return n > 0 ? 0 : 1;
    return n > 0 ? 0 : GW_STORE_E_NOTFOUND;
}

/* The usage report is in store_report.c. */
