/*
 * Credits ledger of the store (see store_ledger.h for the rows and the atomicity argument).
 *
 * The journal (issue 12). Reserve, settle and grant are items of the store's journal (store_journal.c):
 * the store's writer thread BEGINs, takes every item queued by then, applies each through
 * gw_store__ledger_apply (every item decides whether it refuses before it writes, from the
 * journal's row cursors: each reservation sees the balance left by the ones before it and
 * refusals are exact without savepoints), and commits once, with the call records of the same
 * moment. A database error rolls the whole
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
    gw_store__bind_text_ref(s, 1, user);
    gw_store__bind_text_ref(s, 2, rid);
    gw_store__bind_text_ref(s, 3, kind);
    gw_store__bind_int64(s, 4, amount);
    gw_store__bind_int64(s, 5, now);
    gw_store__bind_text_ref(s, 6, note);
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

/* ---- the journal's row cursors (gw_store_ledger_t.cur) ---- */

/*
 * The balance row (BAL) and this instance's lease row (LEASE) of the user whose journal items are
 * applied now are read once per user and transaction (FOR UPDATE on PostgreSQL: the row lock is
 * held to the commit, as the UPDATE it replaces held it; SQLite's writer is alone by BEGIN
 * IMMEDIATE), changed in memory by each item, and written once: when the journal moves on to
 * another user (it is sorted by user) or at the end of the transaction (gw_store__ledger_batch).
 * A reservation is checked against the cursor before it writes anything, so a refusal needs no
 * savepoint. Only the writer thread uses them, on the writer's connection.
 */
static int cur_flush(gw_store_ledger_t *lg, slot_t *sl, int k)
{
    ledger_cur_t *c = &lg->cur[k];
    int rc = 0;
    if (c->active && c->row && c->dirty) {
        /* the row was read in this transaction (and is locked on PostgreSQL): no row count to wait for */
        gw_store_stmt_t *s = gw_ledger__stmt(sl, k == GW_LEDGER_CUR_BAL ? S_BAL_PUT : S_LEASE_ADD);
        if (s == NULL)
            return -1;
        gw_store__bind_int64(s, 1, c->delta);
        if (k == GW_LEDGER_CUR_BAL) {
            gw_store__bind_int64(s, 2, c->released);
            gw_store__bind_int64(s, 3, c->now);
            gw_store__bind_text_ref(s, 4, c->user);
        } else {
            gw_store__bind_int64(s, 2, c->now + lg->lc.ttl_ms * 1000);
            gw_store__bind_int64(s, 3, c->now);
            gw_store__bind_text_ref(s, 4, c->user);
            gw_store__bind_int64(s, 5, lg->instance);
        }
        rc = gw_store__run_nowait(s);
    }
    c->active = 0;
    return rc;
}

/* Points cursor `k` at `user`'s row (read, locked on PostgreSQL), writing the previous user's
 * change first. @return 0 or -1. */
static int cur_load(gw_store_ledger_t *lg, slot_t *sl, int k, const char *user, int64_t now)
{
    ledger_cur_t *c = &lg->cur[k];
    if (c->active && strcmp(c->user, user) == 0) {
        if (now > c->now)
            c->now = now;
        return 0;
    }
    if (cur_flush(lg, sl, k) != 0)
        return -1;
    gw_store_stmt_t *s = gw_ledger__stmt(sl, k == GW_LEDGER_CUR_LEASE ? S_LEASE_LOCK : lg->pg ? S_BAL_LOCK : S_BAL_GET);
    if (s == NULL)
        return -1;
    gw_store__bind_text_ref(s, 1, user);
    if (k == GW_LEDGER_CUR_LEASE)
        gw_store__bind_int64(s, 2, lg->instance);
    else
        atomic_fetch_add_explicit(&lg->bal_reads, 1, memory_order_relaxed);
    int rc = gw_store__step(s);
    c->amount = rc == 1 ? gw_store__col_int64(s, 0) : 0;
    gw_store__reset(s);
    if (rc < 0)
        return -1;
    snprintf(c->user, sizeof(c->user), "%s", user);
    c->active = 1;
    c->row = rc == 1;
    c->dirty = 0;
    c->delta = c->released = 0;
    c->now = now;
    return 0;
}

/* Changes the loaded row: amount += delta (and, BAL, reserved -= released). */
static void cur_add(ledger_cur_t *c, int64_t delta, int64_t released)
{
    c->amount += delta;
    c->delta += delta;
    c->released += released;
    c->dirty = 1;
}

int gw_ledger__lcur_flush(gw_store_ledger_t *lg, slot_t *sl)
{
    return cur_flush(lg, sl, GW_LEDGER_CUR_LEASE);
}

int gw_store__ledger_batch(gw_store_ledger_t *lg, int end)
{
    if (!end) {
        /* a new transaction: nothing read in a rolled-back one is known; on SQLite the balance row
         * the last committed journal transaction left is still known while nothing committed since
         * (the writer connection's data version unchanged: see gw_store__ledger_committed) */
        uint32_t v = 0;
        int carry =
            lg->carry && !lg->pg && lg->wslot.db != NULL && gw_store__db_data_version(lg->wslot.db, &v) == 0 && v == lg->carry_dv;
        lg->carry = 0;
        for (int k = 0; k < GW_LEDGER_NCUR; k++)
            lg->cur[k].active = 0;
        ledger_cur_t *c = &lg->cur[GW_LEDGER_CUR_BAL];
        if (carry && c->user[0] != '\0') {
            c->active = 1; /* user, row and amount as committed */
            c->dirty = 0;
            c->delta = c->released = 0;
            c->now = INT64_MIN; /* the first item's time, as after a read (cur_load) */
        }
        gw_ledger__batch_begin(lg);
        return 0;
    }
    int rc = 0;
    for (int k = 0; k < GW_LEDGER_NCUR; k++)
        if (cur_flush(lg, &lg->wslot, k) != 0)
            rc = -1;
    if (rc == 0 && gw_ledger__batch_flush(lg, &lg->wslot) != 0)
        rc = -1;
    return rc;
}

void gw_store__ledger_committed(gw_store_ledger_t *lg, gw_store_db_t *db)
{
    /* the cursor holds the balance row as this transaction wrote it (cur_flush wrote every change;
     * the row was read under the write lock, BEGIN IMMEDIATE); any commit after this one, by any
     * connection, changes the data version and the next transaction reads the row again */
    lg->carry = !lg->pg && db == lg->wslot.db && db->dv_valid;
    lg->carry_dv = db->dv_commit;
}

/* op->bal = op->user's balance row as the items applied so far left it (unchanged when there is
 * no row). @return 0 or -1. */
static int bal_now(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    if (cur_load(lg, sl, GW_LEDGER_CUR_BAL, op->user, op->now) != 0)
        return -1;
    if (lg->cur[GW_LEDGER_CUR_BAL].row)
        op->bal = lg->cur[GW_LEDGER_CUR_BAL].amount;
    return 0;
}

/* The request id of `user`'s default grant: not the id itself, the row outlives an erasure. */
static void default_grant_rid(gw_store_ledger_t *lg, const char *user, char rid[GW_STORE_DEFAULT_GRANT_RID_SIZE])
{
    char ref[GW_STORE_USER_REF_CHARS + 1];
    gw_store__user_ref(lg->st, user, ref);
    snprintf(rid, GW_STORE_DEFAULT_GRANT_RID_SIZE, GW_STORE_DEFAULT_GRANT_PREFIX "%s", ref);
}

/*
 * First sight of a user (no balance row): the users row with a data key, the default grant
 * (once per user id, ever: its request id is fixed, default_grant_rid), the balance row; the
 * balance cursor then points at the new row. Inside the caller's transaction. @return 0 or -1.
 */
static int user_create(gw_store_ledger_t *lg, slot_t *sl, const char *user, int64_t grant, int64_t now)
{
    int64_t granted = 0;
    if (gw_store__user_insert(lg->st, sl->db, user) != 0)
        return -1;
    if (grant > 0) {
        char rid[GW_STORE_DEFAULT_GRANT_RID_SIZE];
        default_grant_rid(lg, user, rid);
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
    if (gw_store__run_nowait(s) < 0)
        return -1;
    lg->cur[GW_LEDGER_CUR_BAL].active = 0;
    return cur_load(lg, sl, GW_LEDGER_CUR_BAL, user, now);
}

void gw_ledger__log_err(slot_t *sl, const char *what)
{
    gw_log(GW_LOG_ERROR, "ledger: %s: %s", what, gw_store__db_errmsg(sl->db));
}

/* ---- reserve / settle / grant ---- */

int gw_ledger__row_has(slot_t *sl, const char *request_id, const char *kind)
{
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_ROW_HAS);
    if (s == NULL)
        return -1;
    gw_store__bind_text_ref(s, 1, request_id);
    gw_store__bind_text_ref(s, 2, kind);
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
    gw_store__bind_text_ref(s, 1, op->rid);
    gw_store__bind_text_ref(s, 2, op->user);
    gw_store__bind_int64(s, 3, op->amount);
    gw_store__bind_int64(s, 4, lg->instance);
    gw_store__bind_int64(s, 5, op->now);
    gw_store__bind_int64(s, 6, lease);
    return gw_store__run_nowait(s) < 0 ? GW_STORE_E_DB : 0;
}

/*
 * A reservation against the balance row, inside the caller's transaction. Everything that can
 * refuse is decided before the first write (the balance cursor; for a user not seen yet, what
 * their first balance would be), so a refusal writes nothing and needs no savepoint. @return 0
 * (reserved, or already reserved: nothing written), GW_E_CREDITS (refused, nothing written),
 * GW_STORE_E_DB on a database error. op->bal receives the balance after (or the balance that was
 * too low).
 */
static int reserve_exact(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    ledger_cur_t *c = &lg->cur[GW_LEDGER_CUR_BAL];
    int rc;
    if (cur_load(lg, sl, GW_LEDGER_CUR_BAL, op->user, op->now) != 0)
        return GW_STORE_E_DB;
    if (!c->row) {
        /* a new user starts with the default grant, unless that id had it before (erased and back) */
        int64_t first = 0;
        if (op->grant > 0) {
            char rid[GW_STORE_DEFAULT_GRANT_RID_SIZE];
            default_grant_rid(lg, op->user, rid);
            if ((rc = gw_ledger__row_has(sl, rid, "grant")) < 0)
                return GW_STORE_E_DB;
            first = rc == 1 ? 0 : op->grant;
        }
        if (first < op->amount) {
            op->bal = first; /* refused: the user is created by a later call that succeeds */
            return GW_E_CREDITS;
        }
        if (user_create(lg, sl, op->user, op->grant, op->now) != 0 || !c->row)
            return GW_STORE_E_DB;
    }
    op->bal = c->amount;
    if (c->amount < op->amount) {
        /* a request id reserved before answers 0, as it does when the balance covers it (the
         * database answers that exactly unless the batch holds a row of this id) */
        if (lg->b.on && gw_ledger__batch_mentions(lg, op))
            return gw_ledger__batch_retry(lg);
        if ((rc = gw_ledger__row_has(sl, op->rid, "reserve")) < 0)
            return GW_STORE_E_DB;
        return rc == 1 ? 0 : GW_E_CREDITS;
    }
    if (lg->b.on) {
        /* batched (store_ledger_batch.c): decided as a new request id; a repeated one fails the
         * transaction's multi-row INSERT and the journal applies it again statement by statement */
        if (gw_ledger__batch_row(lg, op, 1, 0, 0, 0) != 0)
            return GW_STORE_E_DB;
        cur_add(c, -op->amount, -op->amount);
        op->bal = c->amount;
        return 0;
    }
    /* the reserve row first: it is the idempotency check (UNIQUE(request_id, kind)) */
    int64_t n = gw_ledger__ledger_ins(sl, op->user, op->rid, "reserve", -op->amount, op->now, NULL, 0);
    if (n < 0)
        return GW_STORE_E_DB;
    if (n == 0)
        return 0;
    cur_add(c, -op->amount, -op->amount);
    op->bal = c->amount;
    return open_ins(lg, sl, op, 0);
}

/* Credits `delta` (micro-credits; negative: an overrun) to this instance's lease row of `user`. A lease row never goes
 * below zero (the invariant of docs/internals/metering.md "Leases"): a debit larger than the row holds is not made.
 * @return 1 done, 0 no lease row or a debit it cannot take (nothing changed), -1 error. */
static int lease_credit(gw_store_ledger_t *lg, slot_t *sl, const char *user, int64_t delta, int64_t now)
{
    if (cur_load(lg, sl, GW_LEDGER_CUR_LEASE, user, now) != 0)
        return -1;
    if (!lg->cur[GW_LEDGER_CUR_LEASE].row || (delta < 0 && lg->cur[GW_LEDGER_CUR_LEASE].amount < -delta))
        return 0;
    cur_add(&lg->cur[GW_LEDGER_CUR_LEASE], delta, 0);
    return 1;
}

/*
 * A reservation. Admitted against this instance's lease: the lease row (through the cursor, read
 * FOR UPDATE) pays first, if it still holds enough (it may have been reclaimed, or given back by an
 * idle return queued before this), then the reserve row (a repeated request id gives the amount
 * back) and the open row. Otherwise, or when no lease row covers it, the balance row decides
 * (reserve_exact). Nothing is written before a refusal.
 */
int gw_ledger__reserve_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    if (!op->lease)
        return reserve_exact(lg, sl, op);
    ledger_cur_t *c = &lg->cur[GW_LEDGER_CUR_LEASE];
    if (cur_load(lg, sl, GW_LEDGER_CUR_LEASE, op->user, op->now) != 0)
        return GW_STORE_E_DB;
    if (!c->row || c->amount < op->amount) {
        op->lease_out = GW_J_LEASE_LOST;
        return reserve_exact(lg, sl, op);
    }
    if (lg->b.on) { /* batched, as in reserve_exact */
        if (gw_ledger__batch_row(lg, op, 1, 0, 1, 0) != 0)
            return GW_STORE_E_DB;
        cur_add(c, -op->amount, 0);
        op->bal = c->amount;
        op->lease_out = GW_J_LEASE_USED;
        return 0;
    }
    int64_t n = gw_ledger__ledger_ins(sl, op->user, op->rid, "reserve", -op->amount, op->now, NULL, 0);
    if (n < 0)
        return GW_STORE_E_DB;
    if (n == 0) { /* reserved before: the lease keeps its amount */
        op->lease_out = GW_J_LEASE_UNUSED;
        return bal_now(lg, sl, op) < 0 ? GW_STORE_E_DB : 0;
    }
    cur_add(c, -op->amount, 0);
    op->bal = c->amount;
    op->lease_out = GW_J_LEASE_USED;
    return open_ins(lg, sl, op, 1);
}

/*
 * The body of a settlement, inside the caller's transaction: the open row goes, one settle row
 * carries what goes back (+(r - a), the refund) or what is charged beyond the reservation
 * (-(a - r), flagged), and the balance (or this instance's lease) row gets it. @return 0 (settled,
 * or settled before: nothing written), GW_STORE_E_NOTFOUND, GW_STORE_E_INVAL (another user's
 * request; nothing written), GW_STORE_E_DB on a database error.
 */
int gw_ledger__settle_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    int64_t reserved = 0;
    int lease = 0, rc;
    /* the open row of this user's request: refusals (none, another user's) write nothing */
    if (lg->b.on) {
        /* batched: one DELETE took the open rows of every settlement of the transaction; the
         * database answers a miss exactly unless the batch holds or took a row of this id */
        if ((rc = gw_ledger__batch_take(lg, sl, op, &reserved, &lease)) == 0 && gw_ledger__batch_mentions(lg, op))
            return gw_ledger__batch_retry(lg);
    } else {
        /* PostgreSQL takes the row in one round trip (DELETE ... RETURNING); SQLite reads it, then
         * deletes it by key (S_OPEN_GET_USER: RETURNING builds an ephemeral result table per run) */
        gw_store_stmt_t *t = gw_ledger__stmt(sl, lg->pg ? S_OPEN_DEL_USER : S_OPEN_GET_USER);
        if (t == NULL)
            return GW_STORE_E_DB;
        gw_store__bind_text_ref(t, 1, op->rid);
        gw_store__bind_text_ref(t, 2, op->user);
        rc = gw_store__step(t);
        if (rc == 1) {
            reserved = gw_store__col_int64(t, 0);
            lease = gw_store__col_int64(t, 1) != 0;
        }
        gw_store__reset(t);
        if (rc == 1 && !lg->pg) {
            gw_store_stmt_t *d = gw_ledger__stmt(sl, S_OPEN_DEL_ID);
            if (d == NULL)
                return GW_STORE_E_DB;
            gw_store__bind_text_ref(d, 1, op->rid);
            if (gw_store__run_nowait(d) < 0)
                return GW_STORE_E_DB;
        }
    }
    if (rc < 0)
        return GW_STORE_E_DB;
    if (rc == 0) {
        if ((rc = gw_ledger__row_has(sl, op->rid, "settle")) < 0 || bal_now(lg, sl, op) < 0)
            return GW_STORE_E_DB;
        if (rc == 1)
            return 0;
        if ((rc = open_exists(sl, op->rid)) < 0)
            return GW_STORE_E_DB;
        return rc == 1 ? GW_STORE_E_INVAL : GW_STORE_E_NOTFOUND;
    }
    pol_meter_settlement_t s;
    pol_meter_settle(reserved, op->amount, &s);
    int64_t back = s.refund - s.overrun;
    if (lg->b.on ? gw_ledger__batch_row(lg, op, 0, back, 0, s.flagged) != 0
                 : ledger_ins_nowait(sl, op->user, op->rid, "settle", back, op->now,
                                     s.flagged ? "actual cost above the reservation" : NULL, s.flagged) < 0)
        return GW_STORE_E_DB;
    if (lease) {
        /* reserved against a lease: the difference goes back to this instance's lease row while it
         * exists (no balance row lock per call), else to the balance row; so does an overrun larger
         * than what the lease row still holds (before: the lease row went below zero) */
        if ((rc = lease_credit(lg, sl, op->user, back, op->now)) < 0)
            return GW_STORE_E_DB;
        if (rc == 1) {
            op->lease_out = GW_J_LEASE_USED;
            op->lease_delta = back;
            return 0;
        }
        reserved = 0; /* never counted in the balance row's `reserved` */
    }
    ledger_cur_t *c = &lg->cur[GW_LEDGER_CUR_BAL];
    if (cur_load(lg, sl, GW_LEDGER_CUR_BAL, op->user, op->now) != 0 || !c->row)
        return GW_STORE_E_DB;
    cur_add(c, back, reserved);
    op->bal = c->amount;
    return 0;
}

/* A lease take or top-up: the balance row gives op->amount to this instance's lease row, if it
 * holds that much (the lease cursor was flushed by the caller: the row is written here).
 * @return 0, GW_E_CREDITS (op->bal = the balance row), GW_STORE_E_DB. */
int gw_ledger__lease_take_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    ledger_cur_t *c = &lg->cur[GW_LEDGER_CUR_BAL];
    if (cur_load(lg, sl, GW_LEDGER_CUR_BAL, op->user, op->now) != 0)
        return GW_STORE_E_DB;
    op->bal = c->amount;
    if (!c->row || c->amount < op->amount)
        return GW_E_CREDITS;
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_LEASE_PUT);
    if (s == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->user);
    gw_store__bind_int64(s, 2, lg->instance);
    gw_store__bind_int64(s, 3, op->amount);
    gw_store__bind_int64(s, 4, op->now + lg->lc.ttl_ms * 1000);
    gw_store__bind_int64(s, 5, op->now);
    if (gw_store__run_nowait(s) < 0)
        return GW_STORE_E_DB;
    cur_add(c, -op->amount, 0);
    op->bal = c->amount;
    return 0;
}

/* Gives this instance's lease of op->user back to the balance row (the lease cursor was flushed by
 * the caller). @return 0 or GW_STORE_E_DB; op->lease_delta = the amount given back (0: there was no
 * lease row), op->bal = the balance row. */
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
    ledger_cur_t *c = &lg->cur[GW_LEDGER_CUR_BAL];
    if (rc < 0 || cur_load(lg, sl, GW_LEDGER_CUR_BAL, op->user, op->now) != 0 || (rc == 1 && !c->row))
        return GW_STORE_E_DB;
    if (rc == 1)
        cur_add(c, op->lease_delta, 0);
    op->bal = c->amount;
    return 0;
}

/* A grant (amount >= 0) or adjustment, creating the user if new. @return 0 or GW_STORE_E_DB. */
int gw_ledger__grant_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    ledger_cur_t *c = &lg->cur[GW_LEDGER_CUR_BAL];
    if (cur_load(lg, sl, GW_LEDGER_CUR_BAL, op->user, op->now) != 0 ||
        (!c->row && (user_create(lg, sl, op->user, 0, op->now) != 0 || !c->row)))
        return GW_STORE_E_DB;
    if (gw_ledger__ledger_ins(sl, op->user, op->rid, op->amount >= 0 ? "grant" : "adjust", op->amount, op->now, op->note, 0) != 1)
        return GW_STORE_E_DB;
    cur_add(c, op->amount, 0);
    op->bal = c->amount;
    return 0;
}

/* ---- idempotency keys ---- */

int gw_store_idempotency_get(gw_store_t *st, const char *user_id, const char *key, int *status,
                             char request_id[GW_REQUEST_ID_MAX + 1])
{
    if (!gw_store__user_id_fits(user_id) || !gw_store__id_fits(key, GW_IDEMPOTENCY_KEY_MAX))
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
    if (!gw_store__valid_user_id(user_id) || !gw_store__id_fits(key, GW_IDEMPOTENCY_KEY_MAX) ||
        !gw_store__id_fits(request_id, GW_REQUEST_ID_MAX) || status < 0)
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
