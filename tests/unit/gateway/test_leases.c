/*
 * Credit leases (gateway/store/store_leases.c; docs/internals/metering.md "Credit leases") on a real
 * PostgreSQL (a throwaway server from scripts/pg-test-server.sh, or AIGW_TEST_PG_DSN; each test in
 * its own schema). Leases exist only on PostgreSQL (SQLite: one gateway per database), so there is
 * no SQLite group. What is checked, in the database after the journal committed:
 *   - take: the second reservation of a user with a large balance moves `calls` x amount from the
 *     balance row into this instance's lease row; reservations then debit the lease row, never
 *     the balance row; a settlement credits the refund back to the lease row;
 *   - top-up when the lease falls under half its target;
 *   - return when idle (lease_idle_ms), and at close;
 *   - reclaim: a live instance's expired lease is left alone (its advisory lock is held); once the
 *     instance is gone (its lock session terminated) another instance gives the expired lease back
 *     and settles its open reservation, and what the gone instance still believed it held in
 *     memory can no longer be spent (its reservation falls back to the balance row);
 *   - small balances: below lease_min_calls reservations no lease is taken; 200 concurrent
 *     reservations on three instances against credit for exactly 10: exactly 10 succeed;
 *   - with leases on three instances, 300 concurrent reservations against credit for 100: at
 *     most 100 succeed, leases were used, and nothing is overspent;
 *   - the journal's batched statements (one transaction of many users' items, repeats that only
 *     the in-order path answers) and errors that show only at the pipelined COMMIT: retried in
 *     order, exact; a finished call refused there is kept and retried, never half-written; one refused for itself
 *     (other call rows go in) is dropped after GW_STORE_DROP_AFTER attempts, its settlement committed alone;
 *   - a flush that shares a transaction with a lease top-up completes after it, committed or failed;
 *   - a worker loop's turn is handed to the writer, never committed on the loop's thread.
 * Everywhere: sum(ledger) = balance row + sum(leases).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <jansson.h>
#include <pthread.h>
#include <unistd.h>

#include "gateway/store/keyfile.h"
#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "store_query.h"
#include "gateway/store/store_ledger.h"
#include "pg_server.h"
#include "policy/crypto.h"

#define PRICE 1000
#define LOCK_CLASS 1095321431 /* first key of the instances' advisory locks (store_ledger_internal.h) */

static char pg_base_dsn[512];
static int pg_started_here;
static int seq;

typedef struct st_fx_t {
    char dir[256], key[300], schema[64], dsn[700];
    gw_store_t *st;
} fx_t;

/* ---- database helpers (own connection per call) ---- */

static gw_store_db_t *raw_open(fx_t *fx)
{
    char err[256];
    gw_store_db_t *db = gw_store__db_open_pg(fx->dsn, err, sizeof(err));
    if (db == NULL)
        fail_msg("raw open: %s", err);
    return db;
}

/* One integer from `sql` with up to two text parameters (NULL: none). A query without a row is 0. */
static int64_t raw_int(fx_t *fx, const char *sql, const char *a1, const char *a2)
{
    gw_store_db_t *db = raw_open(fx);
    int64_t n = ts_db_int_row(db, sql, a1, a2, 1, 0);
    gw_store__db_close(db);
    return n;
}

static void raw_exec(fx_t *fx, const char *sql)
{
    gw_store_db_t *db = raw_open(fx);
    if (gw_store__db_exec(db, sql) != 0)
        fail_msg("%s: %s", sql, gw_store__db_errmsg(db));
    gw_store__db_close(db);
}

static int64_t ledger_sum(fx_t *fx, const char *u)
{
    return raw_int(fx, "SELECT CAST(COALESCE(SUM(amount_microcredits), 0) AS BIGINT) FROM ledger WHERE user_id = ?", u, NULL);
}
static int64_t balance_row(fx_t *fx, const char *u)
{
    return raw_int(fx, "SELECT balance FROM credit_balances WHERE user_id = ?", u, NULL);
}
static int64_t leases_sum(fx_t *fx, const char *u)
{
    return raw_int(fx, "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM credit_leases WHERE user_id = ?", u, NULL);
}
static int64_t lease_rows(fx_t *fx, const char *u)
{
    return raw_int(fx, "SELECT COUNT(*) FROM credit_leases WHERE user_id = ?", u, NULL);
}

/* The invariant of docs/internals/metering.md: sum(ledger) = balance row + every instance's lease. */
static void assert_balanced(fx_t *fx, const char *u)
{
    assert_int_equal(ledger_sum(fx, u), balance_row(fx, u) + leases_sum(fx, u));
    assert_true(balance_row(fx, u) >= 0);
    assert_true(raw_int(fx, "SELECT COUNT(*) FROM credit_leases WHERE user_id = ? AND amount < 0", u, NULL) == 0);
}

/* ---- stores ---- */

static gw_store_t *open_store(fx_t *fx, int64_t calls, int64_t min_calls, int64_t idle_ms, int64_t ttl_ms)
{
    char cfg[1024], err[512] = "";
    snprintf(cfg, sizeof(cfg), "{\"driver\":\"postgres\",\"dsn\":\"%s\",\"purge_interval_s\":0}", fx->dsn);
    json_t *sc = json_loads(cfg, 0, NULL);
    gw_store_t *st = gw_store_open(sc, NULL, NULL, fx->key, err, sizeof(err));
    json_decref(sc);
    if (st == NULL)
        fail_msg("open: %s", err);
    gw_store_lease_conf_t lc = {.calls = calls, .min_calls = min_calls, .idle_ms = idle_ms, .ttl_ms = ttl_ms};
    assert_int_equal(gw_store_ledger_leases(st, &lc), 0);
    return st;
}

/* A reservation through the gateway's path (gw_store_reserve_async: the credit table, leases),
 * waited for. @return its result: 0, GW_E_CREDITS, or an error. */
typedef struct st_wait_t {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int done, rc;
    int64_t bal;
} wait_t;

static void on_done(void *ctx, int rc, int64_t bal)
{
    wait_t *w = ctx;
    pthread_mutex_lock(&w->lock);
    w->rc = rc;
    w->bal = bal;
    w->done++; /* a callback fires once: tests that care assert done == 1 */
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

static void wait_done(wait_t *w)
{
    pthread_mutex_lock(&w->lock);
    while (!w->done)
        pthread_cond_wait(&w->cond, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

static int reserve(gw_store_t *st, const char *user, const char *rid, int64_t amount)
{
    wait_t w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    int64_t now = 0;
    int rc = gw_store_reserve_async(st, user, rid, amount, 0, &now, on_done, &w);
    if (rc != 0)
        return rc;
    wait_done(&w);
    return w.rc;
}

/* Reserves PRICE for the request ids "<prefix><first>" .. "<prefix><last>" in turn on `st`, each expected to
 * succeed. With `fx` non-NULL each is followed by a ledger flush and assert_balanced(fx, u). */
static void reserve_each(fx_t *fx, gw_store_t *st, const char *u, const char *prefix, int first, int last)
{
    for (int i = first; i <= last; i++) {
        char rid[GW_REQUEST_ID_MAX + 1];
        snprintf(rid, sizeof(rid), "%s%d", prefix, i);
        assert_int_equal(reserve(st, u, rid, PRICE), 0);
        if (fx != NULL) {
            gw_store_ledger_flush(st);
            assert_balanced(fx, u);
        }
    }
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits up to 10 s for `sql` (one text parameter) to give `want`. @return 1 reached. */
static int wait_for(fx_t *fx, const char *sql, const char *arg, int64_t want)
{
    for (int i = 0; i < 200; i++) {
        if (raw_int(fx, sql, arg, NULL) == want)
            return 1;
        sleep_ms(50);
    }
    return 0;
}

/* Waits up to 10 s for the store's lease thread to finish its first pass over gone instances. */
static int wait_recover_pass(gw_store_t *st)
{
    for (int i = 0; i < 200; i++) {
        gw_store_ledger_stats_t ls;
        gw_store_ledger_stats(st, &ls);
        if (ls.recover_passes >= 1)
            return 1;
        sleep_ms(50);
    }
    return 0;
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    char err[256];
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/aigw-test-leases-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->key, sizeof(fx->key), "%s/master.key", fx->dir);
    pol_key_t *k = pol_key_new_random();
    if (gw_keyfile_write(fx->key, k, err, sizeof(err)) != 0)
        return -1;
    pol_key_free(k);
    snprintf(fx->schema, sizeof(fx->schema), "lz_%d_%d", (int)getpid(), ++seq);
    if (pg_schema_create(pg_base_dsn, fx->schema, fx->dsn, sizeof(fx->dsn)) != 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    char cmd[600];
    gw_store_close(fx->st);
    pg_schema_drop(pg_base_dsn, fx->schema);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

/* ---- take, spend, top-up, return when idle ---- */

static void test_take_spend_topup(void **state)
{
    fx_t *fx = *state;
    const char *u = "lease-user";
    gw_store_ledger_stats_t ls;
    /* a lease holds 10 calls; below 5 calls' worth in the balance row no lease; the lease never goes idle
     * during this test (600 s), so no step below depends on the machine's speed: the idle return has a
     * test of its own (test_idle_return) */
    gw_store_t *st = fx->st = open_store(fx, 10, 5, 600000, 1200000);
    assert_int_equal(gw_store_grant(st, u, 1000 * PRICE, "lots", NULL), 0);
    /* the grant told the credit table the balance: the first reservation is a debit of the balance
     * row and queues a take of 10 x PRICE from the balance row into this instance's lease row */
    assert_int_equal(reserve(st, u, "t1", PRICE), 0);
    gw_store_ledger_flush(st);
    assert_int_equal(lease_rows(fx, u), 1);
    assert_int_equal(leases_sum(fx, u), 10 * PRICE);
    int64_t row = balance_row(fx, u);
    assert_int_equal(row, 1000 * PRICE - PRICE - 10 * PRICE);
    gw_store_ledger_stats(st, &ls);
    assert_int_equal(ls.lease_takes, 1);
    assert_int_equal(ls.lease_reserves, 0);
    assert_balanced(fx, u);
    /* the next five are paid from the lease: the lease row pays, the balance row is not touched */
    reserve_each(NULL, st, u, "t", 2, 6);
    gw_store_ledger_flush(st);
    gw_store_ledger_stats(st, &ls);
    assert_int_equal(ls.lease_reserves, 5);
    assert_int_equal(ls.lease_takes, 1);
    assert_int_equal(balance_row(fx, u), row);
    assert_int_equal(leases_sum(fx, u), 5 * PRICE);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ? AND lease <> 0", u, NULL), 5);
    assert_balanced(fx, u);
    /* a settlement of a lease-paid reservation below its amount: the refund goes to the lease row */
    assert_int_equal(gw_store_settle(st, u, "t2", PRICE / 4, NULL), 0);
    assert_int_equal(balance_row(fx, u), row);
    assert_int_equal(leases_sum(fx, u), 5 * PRICE + (PRICE - PRICE / 4));
    assert_balanced(fx, u);
    /* under half the target (5 x PRICE): the instance tops the lease up to 10 x PRICE from the balance row */
    assert_int_equal(reserve(st, u, "t7", PRICE), 0);
    gw_store_ledger_flush(st);
    gw_store_ledger_stats(st, &ls);
    assert_int_equal(ls.lease_takes, 2);
    assert_int_equal(ls.lease_reserves, 6);
    assert_int_equal(leases_sum(fx, u), 10 * PRICE);
    assert_int_equal(balance_row(fx, u), row - (10 * PRICE - (5 * PRICE + (PRICE - PRICE / 4) - PRICE)));
    assert_int_equal(ls.lease_returns, 0);
    assert_balanced(fx, u);
}

/* ---- an overrun larger than what is left in the lease ---- */

/* A lease-paid call that cost more than the whole lease still holds (an answer longer than its estimate): the overrun
 * is charged to the balance row whole, the lease row keeps what it holds (before: it went below zero, against the
 * invariant that assert_balanced checks). Later calls, the lease's top-ups and its return at close stay exact. */
static void test_overrun_beyond_lease(void **state)
{
    fx_t *fx = *state;
    const char *u = "overrunner";
    gw_store_ledger_stats_t ls;
    gw_store_t *st = fx->st = open_store(fx, 10, 5, 600000, 1200000);
    assert_int_equal(gw_store_grant(st, u, 1000 * PRICE, NULL, NULL), 0);
    assert_int_equal(reserve(st, u, "o1", PRICE), 0); /* from the balance row; takes a lease of 10 */
    gw_store_ledger_flush(st);
    assert_int_equal(leases_sum(fx, u), 10 * PRICE);
    assert_int_equal(reserve(st, u, "o2", PRICE), 0); /* from the lease: 9 left */
    gw_store_ledger_flush(st);
    gw_store_ledger_stats(st, &ls);
    assert_int_equal(ls.lease_reserves, 1);
    assert_int_equal(leases_sum(fx, u), 9 * PRICE);
    /* o2 cost 30: the overrun of 29 is more than the 9 the lease holds */
    assert_int_equal(gw_store_settle(st, u, "o2", 30 * PRICE, NULL), 0);
    assert_int_equal(leases_sum(fx, u), 9 * PRICE);
    assert_int_equal(balance_row(fx, u), 1000 * PRICE - PRICE - 10 * PRICE - 29 * PRICE);
    assert_int_equal(ledger_sum(fx, u), 1000 * PRICE - PRICE - 30 * PRICE);
    assert_balanced(fx, u);
    /* the next calls are paid from what the lease holds, then a top-up: every step balanced */
    reserve_each(fx, st, u, "o", 3, 8);
    gw_store_ledger_stats(st, &ls);
    assert_true(ls.lease_reserves >= 2);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", u, NULL), 7);
    assert_int_equal(ledger_sum(fx, u), 1000 * PRICE - 30 * PRICE - 7 * PRICE);
    /* at close every lease goes back, the negative one too: the balance row is the whole balance */
    gw_store_close(st);
    fx->st = NULL;
    assert_int_equal(lease_rows(fx, u), 0);
    assert_int_equal(balance_row(fx, u), 1000 * PRICE - 30 * PRICE - 7 * PRICE);
    assert_int_equal(ledger_sum(fx, u), balance_row(fx, u));
}

/* ---- a flush completes after the other items of its transaction ---- */

/* The order in which the writer completed the items of flush_after_lease_take. */
typedef struct st_order_t {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    gw_store_t *st;
    int seq, t7_at, t7_rc, flush_at;
    uint64_t takes_at_flush; /* lease_takes when the flush completed */
} order_t;

static void on_t7(void *ctx, int rc, int64_t bal)
{
    order_t *o = ctx;
    (void)bal;
    pthread_mutex_lock(&o->lock);
    o->t7_at = ++o->seq;
    o->t7_rc = rc;
    pthread_mutex_unlock(&o->lock);
}

static void on_flush(void *ctx, int rc, int64_t bal)
{
    order_t *o = ctx;
    gw_store_ledger_stats_t ls;
    (void)rc, (void)bal;
    gw_store_ledger_stats(o->st, &ls); /* what gw_store_ledger_flush's caller would read on return */
    pthread_mutex_lock(&o->lock);
    o->flush_at = ++o->seq;
    o->takes_at_flush = ls.lease_takes;
    pthread_cond_signal(&o->cond);
    pthread_mutex_unlock(&o->lock);
}

/*
 * gw_store_ledger_flush returns once what was queued before it has completed, its effects on the
 * credit table included (docs/internals/metering.md "Journal"). The journal sorts a transaction's
 * items by user, which puts a flush (no user) first; until 8212505 it also completed first, so a
 * flush that shared a transaction with a lease top-up returned before the take was counted
 * (test_take_spend_topup saw 1 lease take of 2, 2 of 86 runs under a CPU hog with the journal's
 * signal after the unlock, d2ba221; 0 of 86 with 8212505). Made deterministic here: the writer is
 * held inside a transaction by a row lock another connection holds, while a lease-paid reservation,
 * the top-up it plans and a flush queue up behind it; they commit (or, `fail`, fail) together.
 * Either way the flush completes last: after a failure too (the items' credit-table effects: the
 * reservation's amount back to the lease, the take no longer pending).
 */
static void flush_after_lease_take(fx_t *fx, int fail)
{
    const char *u = "lease-user";
    gw_store_ledger_stats_t ls;
    gw_store_t *st = fx->st = open_store(fx, 10, 5, 600000, 1200000);
    assert_int_equal(gw_store_grant(st, u, 1000 * PRICE, NULL, NULL), 0);
    assert_int_equal(gw_store_grant(st, "blocker", 2 * PRICE, NULL, NULL), 0); /* too little for a lease */
    reserve_each(fx, st, u, "t", 1, 6); /* t1 takes a lease of 10 x PRICE, t2..t6 spend half of it */
    gw_store_ledger_stats(st, &ls);
    assert_int_equal(ls.lease_takes, 1);
    assert_int_equal(leases_sum(fx, u), 5 * PRICE);
    if (fail)
        raw_exec(fx, "CREATE FUNCTION test_full() RETURNS trigger LANGUAGE plpgsql AS"
                     " $$ BEGIN RAISE EXCEPTION 'test: injected write error'; END $$;"
                     "CREATE TRIGGER test_full BEFORE UPDATE ON credit_leases FOR EACH ROW EXECUTE FUNCTION test_full()");
    /* the writer takes the blocker's reservation and waits for its balance row */
    gw_store_db_t *lock = raw_open(fx);
    assert_int_equal(gw_store__db_exec(lock, "BEGIN"), 0);
    assert_int_equal(gw_store__db_exec(lock, "SELECT balance FROM credit_balances WHERE user_id = 'blocker' FOR UPDATE"), 0);
    wait_t b = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    assert_int_equal(gw_store_reserve_async(st, "blocker", "b1", PRICE, 0, NULL, on_done, &b), 0);
    for (int i = 0; i < 2500 && gw_store__journal_pending(st) != 0; i++)
        sleep_ms(2);
    assert_int_equal(gw_store__journal_pending(st), 0);
    /* t7 on the lease leaves 4 x PRICE, under half the target: it queues a top-up; then the flush */
    order_t o = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, st, 0, 0, -1, 0, 0};
    assert_int_equal(gw_store_reserve_async(st, u, "t7", PRICE, 0, NULL, on_t7, &o), 0);
    assert_int_equal(gw_store__journal_pending(st), 2); /* the reservation and the take */
    gw_journal_item_t *fl = calloc(1, sizeof(*fl));
    assert_non_null(fl);
    fl->kind = GW_J_FLUSH;
    fl->mode = GW_J_ASYNC;
    fl->cb = on_flush;
    fl->ctx = &o;
    assert_int_equal(gw_store__journal_submit(st, fl), 0);
    assert_int_equal(gw_store__db_exec(lock, "COMMIT"), 0);
    gw_store__db_close(lock);
    wait_done(&b);
    assert_int_equal(b.rc, 0);
    pthread_mutex_lock(&o.lock);
    while (o.flush_at == 0)
        pthread_cond_wait(&o.cond, &o.lock);
    pthread_mutex_unlock(&o.lock);
    if (!fail)
        assert_int_equal(o.takes_at_flush, 2);        /* the top-up counted when the flush completed */
    assert_true(o.t7_at > 0 && o.t7_at < o.flush_at); /* the reservation completed before the flush */
    if (!fail) {
        assert_int_equal(o.t7_rc, 0);
        assert_int_equal(leases_sum(fx, u), 10 * PRICE);
    } else {
        assert_int_equal(o.t7_rc, GW_STORE_E_DB);
        assert_int_equal(o.takes_at_flush, 1);
        assert_int_equal(leases_sum(fx, u), 5 * PRICE);
        raw_exec(fx, "DROP TRIGGER test_full ON credit_leases");
    }
    assert_balanced(fx, u);
    assert_balanced(fx, "blocker");
}

static void test_flush_after_lease_take(void **state)
{
    flush_after_lease_take(*state, 0);
}

static void test_flush_after_failed_lease_take(void **state)
{
    flush_after_lease_take(*state, 1);
}

static void test_idle_return(void **state)
{
    fx_t *fx = *state;
    const char *u = "idle-user";
    gw_store_ledger_stats_t ls;
    /* idle after 2 s; nothing below asserts what happens before the return, so a slow machine only
     * makes the return come later (wait_for allows 10 s) */
    gw_store_t *st = fx->st = open_store(fx, 10, 5, 2000, 30000);
    assert_int_equal(gw_store_grant(st, u, 1000 * PRICE, "lots", NULL), 0);
    reserve_each(NULL, st, u, "i", 1, 4);
    gw_store_ledger_flush(st);
    gw_store_ledger_stats(st, &ls);
    assert_true(ls.lease_takes >= 1);
    assert_true(ls.lease_reserves >= 1); /* at least one reservation was paid from the lease */
    assert_balanced(fx, u);
    int64_t lease_paid = raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ? AND lease = 1", u, NULL);
    assert_true(lease_paid >= 1);
    /* idle for lease_idle_ms: the lease goes back to the balance row (the lease thread), counted from its last
     * reservation, while the reservations it paid for are still open (session 12 asked whether that can lose or
     * double credit: it cannot, they were debited from the lease row when admitted, below) */
    assert_true(wait_for(fx, "SELECT COUNT(*) FROM credit_leases WHERE user_id = ?", u, 0));
    gw_store_ledger_flush(st);
    gw_store_ledger_stats(st, &ls);
    assert_true(ls.lease_returns >= 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ? AND lease = 1", u, NULL), lease_paid);
    /* with no lease, the balance row is the whole balance: 1000 - 4 open; only the reservations the balance row paid
     * count in its `reserved` */
    assert_int_equal(balance_row(fx, u), 1000 * PRICE - 4 * PRICE);
    assert_int_equal(ledger_sum(fx, u), balance_row(fx, u));
    assert_int_equal(raw_int(fx, "SELECT reserved FROM credit_balances WHERE user_id = ?", u, NULL), (4 - lease_paid) * PRICE);
    /* the lease-paid reservations settle against the balance row once the lease is gone, a refund or an overrun
     * (i1: the actual cost is twice the reservation) alike */
    for (int i = 1; i <= 4; i++) {
        char rid[GW_REQUEST_ID_MAX + 1];
        snprintf(rid, sizeof(rid), "i%d", i);
        assert_int_equal(gw_store_settle(st, u, rid, i == 1 ? 2 * PRICE : PRICE / 2, NULL), 0);
    }
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", u, NULL), 0);
    assert_int_equal(balance_row(fx, u), 1000 * PRICE - 2 * PRICE - 3 * (PRICE / 2));
    assert_int_equal(raw_int(fx, "SELECT reserved FROM credit_balances WHERE user_id = ?", u, NULL), 0);
    assert_balanced(fx, u);
}

/* ---- the gateway's path: a finished call settles a lease-paid reservation with its record ---- */

static gw_call_rec_t *call_rec(const char *rid, const char *u)
{
    gw_call_rec_t *r = calloc(1, sizeof(*r));
    snprintf(r->request_id, sizeof(r->request_id), "%s", rid);
    r->user_id = strdup(u);
    r->client = strdup("test");
    snprintf(r->provider, sizeof(r->provider), "openai");
    r->model = strdup("gpt-4o-mini");
    r->route = strdup("/v1/chat/completions");
    r->status = 200;
    r->request_body = strdup("{\"q\":1}");
    r->request_len = strlen(r->request_body);
    return r;
}

static void test_finish_settles_on_lease(void **state)
{
    fx_t *fx = *state;
    const char *u = "finisher";
    gw_store_t *st = fx->st = open_store(fx, 10, 5, 60000, 120000);
    assert_int_equal(gw_store_grant(st, u, 1000 * PRICE, NULL, NULL), 0);
    assert_int_equal(reserve(st, u, "f1", PRICE), 0);
    gw_store_ledger_flush(st); /* f1's lease is taken */
    reserve_each(NULL, st, u, "f", 2, 4);
    for (int i = 1; i <= 4; i++) {
        char rid[GW_REQUEST_ID_MAX + 1];
        snprintf(rid, sizeof(rid), "f%d", i);
        wait_t w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
        assert_int_equal(gw_store_finish_async(st, call_rec(rid, u), u, rid, 1, PRICE / 2, on_done, &w), 0);
        wait_done(&w);
        assert_int_equal(w.rc, 0);
    }
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE user_id = ?", u, NULL), 4);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", u, NULL), 0);
    assert_int_equal(ledger_sum(fx, u), 1000 * PRICE - 4 * (PRICE / 2));
    assert_balanced(fx, u);
}

/* ---- return at close ---- */

static void test_return_at_close(void **state)
{
    fx_t *fx = *state;
    const char *u = "closer";
    gw_store_t *st = fx->st = open_store(fx, 10, 5, 60000, 120000); /* never idle within the test */
    assert_int_equal(gw_store_grant(st, u, 500 * PRICE, NULL, NULL), 0);
    assert_int_equal(reserve(st, u, "c1", PRICE), 0);
    gw_store_ledger_flush(st); /* the lease c1 asked for is taken */
    assert_int_equal(reserve(st, u, "c2", PRICE), 0);
    assert_int_equal(reserve(st, u, "c3", PRICE), 0);
    gw_store_ledger_flush(st);
    assert_int_equal(lease_rows(fx, u), 1);
    assert_int_equal(gw_store_settle(st, u, "c3", PRICE, NULL), 0);
    assert_balanced(fx, u);
    gw_store_close(st);
    fx->st = NULL;
    assert_int_equal(lease_rows(fx, u), 0);
    /* two reservations still open (closing does not settle them): 500 - 2 open - 1 settled */
    assert_int_equal(balance_row(fx, u), 500 * PRICE - 3 * PRICE);
    assert_int_equal(ledger_sum(fx, u), balance_row(fx, u));
    fx->st = open_store(fx, 0, 0, 0, 0);
}

/* ---- reclaim of a gone instance's expired lease ---- */

static void test_reclaim_gone_instance(void **state)
{
    fx_t *fx = *state;
    const char *u = "reclaimed";
    int64_t n = -1;
    char inst[32], sql[256];
    gw_store_t *a = open_store(fx, 10, 5, 60000, 120000); /* the instance that will be gone */
    fx->st = open_store(fx, 10, 5, 60000, 120000);        /* a live one */
    assert_int_equal(gw_store_grant(a, u, 400 * PRICE, NULL, NULL), 0);
    assert_int_equal(reserve(a, u, "g1", PRICE), 0); /* and a take of a lease of 10 */
    gw_store_ledger_flush(a);
    assert_int_equal(reserve(a, u, "g2", PRICE), 0); /* on the lease */
    assert_int_equal(reserve(a, u, "g3", PRICE), 0);
    gw_store_ledger_flush(a);
    assert_int_equal(leases_sum(fx, u), 8 * PRICE);
    int64_t row = balance_row(fx, u);
    snprintf(inst, sizeof(inst), "%lld", (long long)raw_int(fx, "SELECT instance FROM credit_leases WHERE user_id = ?", u, NULL));
    /* Both lease threads have made their first pass over other instances (about 1 s after opening; the
     * next one is ttl / 2 = 60 s away): what follows is reclaimed by the explicit calls only. Waited for
     * by the pass counter, not by a sleep, so a slow machine cannot move a pass past the steps below. */
    assert_true(wait_recover_pass(a));
    assert_true(wait_recover_pass(fx->st));
    /* the lease expires (as after lease_ttl_ms without use) while its instance is alive: not reclaimed */
    raw_exec(fx, "UPDATE credit_leases SET expires_at = 0");
    raw_exec(fx, "UPDATE credit_open SET at = 0");
    assert_int_equal(gw_store_settle_open_reservations(fx->st, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(leases_sum(fx, u), 8 * PRICE);
    assert_int_equal(balance_row(fx, u), row);
    /* the instance is gone: its advisory lock session ends (as when its process is killed) */
    snprintf(sql, sizeof(sql),
             "SELECT CAST(pg_terminate_backend(pid) AS INTEGER) FROM pg_locks WHERE locktype = 'advisory' AND classid = %d"
             " AND objid = %s AND objsubid = 2",
             LOCK_CLASS, inst);
    assert_int_equal(raw_int(fx, sql, NULL, NULL), 1);
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %d AND objid = %s AND objsubid = 2",
             LOCK_CLASS, inst);
    assert_true(wait_for(fx, sql, NULL, 0));
    /* the live instance gives the lease back and settles the gone one's three reservations */
    assert_int_equal(gw_store_settle_open_reservations(fx->st, &n), 0);
    assert_int_equal(n, 3);
    gw_store_ledger_stats_t ls;
    gw_store_ledger_stats(fx->st, &ls);
    assert_int_equal(ls.leases_reclaimed, 1);
    assert_int_equal(lease_rows(fx, u), 0);
    assert_int_equal(balance_row(fx, u), 400 * PRICE - 3 * PRICE);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open", NULL, NULL), 0);
    assert_balanced(fx, u);
    /* what the gone instance still believes it holds in memory cannot be spent: its next reservation
     * finds no lease row and is paid by the balance row instead */
    assert_int_equal(reserve(a, u, "g4", PRICE), 0);
    gw_store_ledger_flush(a);
    assert_int_equal(balance_row(fx, u), 400 * PRICE - 4 * PRICE);
    assert_int_equal(raw_int(fx, "SELECT lease FROM credit_open WHERE request_id = ?", "g4", NULL), 0);
    assert_balanced(fx, u);
    assert_int_equal(gw_store_settle(a, u, "g4", PRICE, NULL), 0);
    gw_store_close(a);
    assert_balanced(fx, u);
    assert_int_equal(ledger_sum(fx, u), 400 * PRICE - 4 * PRICE);
}

/* ---- concurrency on three instances ---- */

#define THREADS 8

typedef struct st_race_t {
    gw_store_t *st[3];
    const char *user;
    int attempts, next, ok, refused, errors;
    pthread_mutex_t lock;
} race_t;

static void *racer(void *arg)
{
    race_t *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        int i = r->next++;
        pthread_mutex_unlock(&r->lock);
        if (i >= r->attempts)
            break;
        char rid[GW_REQUEST_ID_MAX + 1];
        snprintf(rid, sizeof(rid), "%s-%d", r->user, i);
        int rc = reserve(r->st[i % 3], r->user, rid, PRICE);
        pthread_mutex_lock(&r->lock);
        if (rc == 0)
            r->ok++;
        else if (rc == GW_E_CREDITS)
            r->refused++;
        else
            r->errors++;
        pthread_mutex_unlock(&r->lock);
    }
    return NULL;
}

static void run_race(race_t *r)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, racer, r), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 3; i++)
        gw_store_ledger_flush(r->st[i]);
}

/* A small balance (under lease_min_calls reservations): every reservation is an exact debit of
 * the balance row, no instance holds a lease, exactly 10 of 200 succeed on three instances. */
static void test_small_balance_three_instances(void **state)
{
    fx_t *fx = *state;
    fx->st = open_store(fx, 32, 20, 60000, 120000);
    gw_store_t *b = open_store(fx, 32, 20, 60000, 120000), *c = open_store(fx, 32, 20, 60000, 120000);
    race_t r = {{fx->st, b, c}, "small", 200, 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER};
    assert_int_equal(gw_store_grant(fx->st, r.user, 10 * PRICE, "exactly ten calls", NULL), 0);
    run_race(&r);
    assert_int_equal(r.errors, 0);
    assert_int_equal(r.ok, 10);
    assert_int_equal(r.refused, 190);
    assert_int_equal(lease_rows(fx, r.user), 0);
    assert_int_equal(balance_row(fx, r.user), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE kind = 'reserve' AND user_id = ?", r.user, NULL), 10);
    assert_balanced(fx, r.user);
    for (int i = 0; i < 3; i++) {
        gw_store_ledger_stats_t ls;
        gw_store_ledger_stats(r.st[i], &ls);
        assert_int_equal(ls.lease_takes, 0);
        assert_int_equal(ls.lease_reserves, 0);
    }
    gw_store_close(b);
    gw_store_close(c);
    assert_balanced(fx, r.user);
}

/* A balance leases are taken from, on three instances racing: at most the credit is reserved
 * (never overspent, whatever each instance holds), leases were in use, and after closing every
 * lease is back: the balance row is what the successful reservations left. */
static void test_leases_never_overspend(void **state)
{
    fx_t *fx = *state;
    fx->st = open_store(fx, 8, 4, 60000, 120000);
    gw_store_t *b = open_store(fx, 8, 4, 60000, 120000), *c = open_store(fx, 8, 4, 60000, 120000);
    race_t r = {{fx->st, b, c}, "busy", 300, 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER};
    assert_int_equal(gw_store_grant(fx->st, r.user, 100 * PRICE, "a hundred calls", NULL), 0);
    run_race(&r);
    assert_int_equal(r.errors, 0);
    assert_true(r.ok <= 100);
    assert_int_equal(r.ok + r.refused, 300);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE kind = 'reserve' AND user_id = ?", r.user, NULL), r.ok);
    assert_balanced(fx, r.user);
    uint64_t on_lease = 0, takes = 0;
    for (int i = 0; i < 3; i++) {
        gw_store_ledger_stats_t ls;
        gw_store_ledger_stats(r.st[i], &ls);
        on_lease += ls.lease_reserves;
        takes += ls.lease_takes;
    }
    assert_true(takes > 0);
    assert_true(on_lease > 0);
    gw_store_close(b);
    gw_store_close(c);
    gw_store_close(fx->st);
    fx->st = NULL;
    assert_int_equal(lease_rows(fx, r.user), 0);
    assert_int_equal(balance_row(fx, r.user), 100 * PRICE - (int64_t)r.ok * PRICE);
    assert_balanced(fx, r.user);
    fx->st = open_store(fx, 0, 0, 0, 0);
}

/* ---- the journal's ledger rows in batches (store_ledger_batch.c) ---- */

#define NB 16

/* Queues a reservation of `blocker` (whose balance row the test's connection `*holder` keeps
 * locked) and waits until the store's writer waits on that lock inside its transaction: whatever
 * is queued next goes into the writer's next transaction, all together. */
static gw_store_db_t *hold_writer(fx_t *fx, gw_store_t *st, const char *blocker, wait_t *w)
{
    char pid[24];
    assert_int_equal(gw_store_grant(st, blocker, 100 * PRICE, NULL, NULL), 0);
    gw_store_db_t *db = raw_open(fx);
    assert_int_equal(gw_store__db_exec(db, "BEGIN"), 0);
    gw_store_stmt_t *s = gw_store__db_prepare(db, "SELECT pg_backend_pid() FROM credit_balances WHERE user_id = ? FOR UPDATE");
    assert_non_null(s);
    gw_store__bind_text(s, 1, blocker);
    assert_int_equal(gw_store__step(s), 1);
    snprintf(pid, sizeof(pid), "%lld", (long long)gw_store__col_int64(s, 0));
    gw_store__reset(s);
    gw_store__db_finalize(s);
    assert_int_equal(gw_store_reserve_async(st, blocker, "blocker-1", PRICE, 0, NULL, on_done, w), 0);
    assert_true(
        wait_for(fx, "SELECT COUNT(*) FROM pg_stat_activity WHERE CAST(? AS INTEGER) = ANY(pg_blocking_pids(pid))", pid, 1));
    return db;
}

static void release_writer(gw_store_db_t *db, wait_t *w)
{
    assert_int_equal(gw_store__db_exec(db, "COMMIT"), 0);
    gw_store__db_close(db);
    wait_done(w);
    assert_int_equal(w->rc, 0);
}

/* Reservations of two users (more than one of them can pay for), settlements of earlier
 * reservations (deferred and with a call record) and a new reservation, in one transaction: the
 * multi-row statements give the in-order results exactly (five of eight reserved, three refused
 * with the balance that was too low), without the statement-by-statement retry. */
static void test_batched_transaction(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st = open_store(fx, 0, 0, 0, 0);
    wait_t blk = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0}, w[NB];
    gw_store_ledger_stats_t before, after;
    assert_int_equal(gw_store_grant(st, "ann", 5 * PRICE, NULL, NULL), 0);
    assert_int_equal(gw_store_grant(st, "bob", 100 * PRICE, NULL, NULL), 0);
    assert_int_equal(reserve(st, "bob", "b1", PRICE), 0);
    assert_int_equal(reserve(st, "bob", "b2", PRICE), 0);
    assert_int_equal(reserve(st, "bob", "b3", PRICE), 0);
    sleep_ms(1100); /* the credit table's balances are stale: the database decides every reservation below */
    gw_store_db_t *holder = hold_writer(fx, st, "blk", &blk);
    gw_store_ledger_stats(st, &before);
    for (int i = 0; i < NB; i++)
        w[i] = (wait_t){PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    for (int i = 0; i < 8; i++) {
        char rid[GW_REQUEST_ID_MAX + 1];
        snprintf(rid, sizeof(rid), "a%d", i);
        assert_int_equal(gw_store_reserve_async(st, "ann", rid, PRICE, 0, NULL, on_done, &w[i]), 0);
    }
    assert_int_equal(gw_store_settle_deferred(st, "bob", "b1", 400), 0);
    assert_int_equal(gw_store_settle_deferred(st, "bob", "b2", PRICE), 0);
    assert_int_equal(gw_store_finish_async(st, call_rec("b3", "bob"), "bob", "b3", 1, 200, on_done, &w[8]), 0);
    assert_int_equal(gw_store_reserve_async(st, "bob", "b4", PRICE, 0, NULL, on_done, &w[9]), 0);
    release_writer(holder, &blk);
    for (int i = 0; i < 10; i++)
        wait_done(&w[i]);
    gw_store_ledger_flush(st);
    gw_store_ledger_stats(st, &after);
    assert_int_equal(after.batches - before.batches, 1); /* all of the above in one transaction after the blocker's */
    assert_int_equal(after.batch_retries - before.batch_retries, 0);
    int ok = 0;
    for (int i = 0; i < 8; i++) {
        if (w[i].rc == 0) {
            ok++;
            continue;
        }
        assert_int_equal(w[i].rc, GW_E_CREDITS);
        assert_int_equal(w[i].bal, 0);
    }
    assert_int_equal(ok, 5);
    assert_int_equal(w[8].rc, 0);
    assert_int_equal(w[9].rc, 0);
    assert_int_equal(w[9].bal, 97 * PRICE + (PRICE - 400) + (PRICE - 200) - PRICE);
    assert_int_equal(balance_row(fx, "ann"), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "ann", NULL), 5);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'reserve'", "ann", NULL), 5);
    assert_int_equal(balance_row(fx, "bob"), 97 * PRICE + (PRICE - 400) + (PRICE - 200) - PRICE);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "bob", NULL), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "b4", NULL), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'settle'", "bob", NULL), 3);
    assert_int_equal(raw_int(fx, "SELECT amount_microcredits FROM ledger WHERE request_id = ? AND kind = 'settle'", "b1", NULL),
                     PRICE - 400);
    assert_int_equal(raw_int(fx, "SELECT cost_microcredits FROM calls WHERE request_id = ?", "b3", NULL), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "b3", NULL), 1);
    assert_balanced(fx, "ann");
    assert_balanced(fx, "bob");
}

/* What only the in-order path answers exactly, queued into one transaction: a request id reserved
 * before, one reserved twice in the transaction, a settlement of a reservation of the same
 * transaction and a settlement repeated in it. The batched transaction fails and is applied again
 * statement by statement (one retry): the repeats take nothing, each settlement counts once. */
static void test_batched_repeats_retry_in_order(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st = open_store(fx, 0, 0, 0, 0);
    wait_t blk = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0}, w[NB];
    gw_store_ledger_stats_t before, after;
    assert_int_equal(gw_store_grant(st, "cy", 100 * PRICE, NULL, NULL), 0);
    assert_int_equal(reserve(st, "cy", "pre1", PRICE), 0);
    assert_int_equal(reserve(st, "cy", "pre2", PRICE), 0);
    gw_store_db_t *holder = hold_writer(fx, st, "blk", &blk);
    gw_store_ledger_stats(st, &before);
    for (int i = 0; i < NB; i++)
        w[i] = (wait_t){PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    assert_int_equal(gw_store_reserve_async(st, "cy", "x1", PRICE, 0, NULL, on_done, &w[0]), 0);
    assert_int_equal(gw_store_reserve_async(st, "cy", "pre1", PRICE, 0, NULL, on_done, &w[1]), 0); /* reserved before */
    assert_int_equal(gw_store_settle_deferred(st, "cy", "pre2", 400), 0);
    assert_int_equal(gw_store_reserve_async(st, "cy", "x2", PRICE, 0, NULL, on_done, &w[2]), 0);
    assert_int_equal(gw_store_settle_deferred(st, "cy", "x2", 300), 0); /* its reservation is in this transaction */
    assert_int_equal(gw_store_settle_deferred(st, "cy", "pre2", 0), 0); /* settled a moment ago: nothing */
    assert_int_equal(gw_store_reserve_async(st, "cy", "x3", PRICE, 0, NULL, on_done, &w[3]), 0);
    assert_int_equal(gw_store_reserve_async(st, "cy", "x3", PRICE, 0, NULL, on_done, &w[4]), 0); /* twice */
    release_writer(holder, &blk);
    for (int i = 0; i < 5; i++) {
        wait_done(&w[i]);
        assert_int_equal(w[i].rc, 0);
    }
    gw_store_ledger_flush(st);
    gw_store_ledger_stats(st, &after);
    assert_int_equal(after.batches - before.batches, 1);
    assert_int_equal(after.batch_retries - before.batch_retries, 1);
    /* 100 - pre1 - pre2 = 98; then -x1, +(1 - 0.4) for pre2, -x2 + (1 - 0.3), -x3 */
    int64_t want = 98 * PRICE - PRICE + (PRICE - 400) - PRICE + (PRICE - 300) - PRICE;
    assert_int_equal(balance_row(fx, "cy"), want);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'reserve'", "cy", NULL), 5);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'settle'", "cy", NULL), 2);
    assert_int_equal(raw_int(fx, "SELECT amount_microcredits FROM ledger WHERE request_id = ? AND kind = 'settle'", "pre2", NULL),
                     PRICE - 400);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "cy", NULL), 3); /* pre1, x1, x3 */
    assert_balanced(fx, "cy");
    /* the next transaction batches again */
    assert_int_equal(reserve(st, "cy", "x4", PRICE), 0);
    assert_int_equal(gw_store_settle(st, "cy", "x4", PRICE, NULL), 0);
    gw_store_ledger_stats(st, &after);
    assert_int_equal(after.batch_retries - before.batch_retries, 1);
    assert_int_equal(balance_row(fx, "cy"), want - PRICE);
    assert_balanced(fx, "cy");
}

/* The writer's transaction on PostgreSQL is one pipeline held open to its COMMIT (BEGIN with the
 * first statements, COMMIT with the sync: store_db.h GW_STORE_PIPELINE_HOLD), so a statement's error
 * that nothing read before shows only as the COMMIT's failure. Here: a request id reserved before
 * fails the batched ledger INSERT, the last statement before the COMMIT. The transaction is rolled
 * back and applied again in order (one retry): the repeat answers 0 and takes nothing, the others
 * are exact. `with_record`: an access record rides in the same transaction (then the journal is
 * applied again alone first, and the record is written once by the records' own path). */
static void commit_error_retried(fx_t *fx, int with_record)
{
    gw_store_t *st = fx->st = open_store(fx, 0, 0, 0, 0);
    wait_t blk = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0}, w[NB];
    gw_store_ledger_stats_t before, after;
    gw_store_stats_t ss0, ss1;
    assert_int_equal(gw_store_grant(st, "dee", 100 * PRICE, NULL, NULL), 0);
    assert_int_equal(reserve(st, "dee", "pre1", PRICE), 0);
    assert_int_equal(reserve(st, "dee", "pre2", PRICE), 0);
    gw_store_db_t *holder = hold_writer(fx, st, "blk", &blk);
    gw_store_ledger_stats(st, &before);
    gw_store_stats(st, &ss0);
    for (int i = 0; i < NB; i++)
        w[i] = (wait_t){PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    assert_int_equal(gw_store_reserve_async(st, "dee", "y1", PRICE, 0, NULL, on_done, &w[0]), 0);
    assert_int_equal(gw_store_reserve_async(st, "dee", "pre1", PRICE, 0, NULL, on_done, &w[1]), 0); /* reserved before */
    assert_int_equal(gw_store_finish_async(st, call_rec("pre2", "dee"), "dee", "pre2", 1, 400, on_done, &w[2]), 0);
    if (with_record) {
        gw_store_access_rec_t *a = calloc(1, sizeof(*a));
        snprintf(a->method, sizeof(a->method), "POST");
        snprintf(a->request_id, sizeof(a->request_id), "acc-1");
        a->route = strdup("/v1/chat/completions");
        a->status = 200;
        assert_int_equal(gw_store_submit_access(st, a), 0);
    }
    release_writer(holder, &blk);
    for (int i = 0; i < 3; i++) {
        wait_done(&w[i]);
        assert_int_equal(w[i].rc, 0);
    }
    gw_store_ledger_flush(st);
    assert_int_equal(gw_store_flush(st), 0);
    gw_store_ledger_stats(st, &after);
    gw_store_stats(st, &ss1);
    assert_int_equal(after.batch_retries - before.batch_retries, 1);
    assert_int_equal(ss1.write_failures, ss0.write_failures);
    /* 100 - pre1 - pre2 = 98; then -y1, + (1 - 0.4) for pre2; pre1 again takes nothing */
    int64_t want = 98 * PRICE - PRICE + (PRICE - 400);
    assert_int_equal(balance_row(fx, "dee"), want);
    assert_int_equal(w[0].bal, 97 * PRICE);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'reserve'", "dee", NULL), 3);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'settle'", "dee", NULL), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "dee", NULL), 2); /* pre1, y1 */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "pre2", NULL), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM access_log WHERE request_id = ?", "acc-1", NULL), with_record ? 1 : 0);
    assert_balanced(fx, "dee");
    for (int i = 0; i < 3; i++)
        assert_int_equal(w[i].done, 1);
    /* the connection is usable and the next transaction batches again */
    assert_int_equal(reserve(st, "dee", "y2", PRICE), 0);
    assert_int_equal(gw_store_settle(st, "dee", "y2", PRICE, NULL), 0);
    gw_store_ledger_stats(st, &after);
    assert_int_equal(after.batch_retries - before.batch_retries, 1);
    assert_int_equal(balance_row(fx, "dee"), want - PRICE);
    assert_balanced(fx, "dee");
}

static void test_commit_error_retried(void **state)
{
    commit_error_retried(*state, 0);
}

static void test_commit_error_retried_with_records(void **state)
{
    commit_error_retried(*state, 1);
}

/* A finished call (record + settlement) whose record the database refuses, inside the held
 * pipeline: the error shows at the COMMIT, the in-order retry fails too, and the call is kept and
 * retried alone while new calls are refused (gw_store_unavailable); nothing of it is committed
 * meanwhile (its reservation stays open, no record). Once the database takes the record, record and
 * settlement commit together and the callback fires once. */
static void test_finish_refused_at_commit_kept(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st = open_store(fx, 0, 0, 0, 0);
    int64_t bal = 0;
    wait_t r = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    wait_t f = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    assert_int_equal(gw_store_grant(st, "gus", 10 * PRICE, NULL, &bal), 0);
    assert_int_equal(gw_store_reserve_async(st, "gus", "g1", 4 * PRICE, 0, NULL, on_done, &r), 0);
    wait_done(&r);
    assert_int_equal(r.rc, 0);
    raw_exec(fx, "CREATE FUNCTION test_full() RETURNS trigger LANGUAGE plpgsql AS"
                 " $$ BEGIN RAISE EXCEPTION 'test: injected write error'; END $$;"
                 "CREATE TRIGGER test_full BEFORE INSERT ON calls FOR EACH ROW EXECUTE FUNCTION test_full()");
    assert_int_equal(gw_store_finish_async(st, call_rec("g1", "gus"), "gus", "g1", 1, 1500, on_done, &f), 0);
    for (int i = 0; i < 500 && !gw_store_unavailable(st); i++)
        sleep_ms(2);
    assert_int_equal(gw_store_unavailable(st), 1);
    sleep_ms(300);
    assert_int_equal(f.done, 0); /* held, not failed */
    wait_t n = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    assert_int_equal(gw_store_reserve_async(st, "gus", "g2", 1, 0, NULL, on_done, &n), GW_STORE_E_FULL);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "gus", NULL), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE user_id = ?", "gus", NULL), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'settle'", "gus", NULL), 0);
    raw_exec(fx, "DROP TRIGGER test_full ON calls");
    wait_done(&f);
    assert_int_equal(f.rc, 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE user_id = ?", "gus", NULL), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "gus", NULL), 0);
    assert_int_equal(balance_row(fx, "gus"), 10 * PRICE - 1500);
    assert_balanced(fx, "gus");
    sleep_ms(50);
    assert_int_equal(f.done, 1);
}

/* A record refused for itself (a trigger refuses one request id: SQLSTATE P0001, a probe call row goes in) is dropped
 * after GW_STORE_DROP_AFTER attempts: an error for its client, its settlement committed alone, counted, and the store
 * takes new calls again (before the fix: retried forever, every call 503 until restart). test_journal_drop.c has the
 * SQLite cases. */
static void test_finish_refused_for_itself_dropped(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st = open_store(fx, 0, 0, 0, 0);
    int64_t bal = 0;
    wait_t r = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    wait_t f = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    wait_t g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
    assert_int_equal(gw_store_grant(st, "hal", 10 * PRICE, NULL, &bal), 0);
    assert_int_equal(gw_store_grant(st, "ivy", 10 * PRICE, NULL, &bal), 0);
    assert_int_equal(gw_store_reserve_async(st, "hal", "bad-1", 4 * PRICE, 0, NULL, on_done, &r), 0);
    wait_done(&r);
    assert_int_equal(r.rc, 0);
    gw_store_stats_t s0;
    gw_store_stats(st, &s0);
    raw_exec(fx, "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS"
                 " $$ BEGIN IF NEW.request_id = 'bad-1' THEN RAISE EXCEPTION 'test: refused'; END IF; RETURN NEW; END $$;"
                 "CREATE TRIGGER test_refuse BEFORE INSERT ON calls FOR EACH ROW EXECUTE FUNCTION test_refuse()");
    assert_int_equal(gw_store_finish_async(st, call_rec("bad-1", "hal"), "hal", "bad-1", 1, 1500, on_done, &f), 0);
    for (int i = 0; i < 30000; i++) { /* bounded: fail instead of hanging */
        pthread_mutex_lock(&f.lock);
        int done = f.done;
        pthread_mutex_unlock(&f.lock);
        if (done)
            break;
        sleep_ms(1);
    }
    assert_int_equal(f.done, 1);
    assert_int_not_equal(f.rc, 0); /* the gateway ends the response as an error */
    gw_store_stats_t s1;
    gw_store_stats(st, &s1);
    assert_int_equal(s1.write_failures - s0.write_failures, 1);
    assert_int_equal(s1.finish_failures - s0.finish_failures, GW_STORE_DROP_AFTER);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "bad-1", NULL), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id LIKE 'aigw-probe%'", NULL, NULL), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "bad-1", NULL), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ? AND kind = 'settle'", "bad-1", NULL), 1);
    assert_int_equal(balance_row(fx, "hal"), 10 * PRICE - 1500);
    assert_balanced(fx, "hal");
    for (int i = 0; i < 20000 && gw_store_unavailable(st); i++)
        sleep_ms(1);
    assert_int_equal(gw_store_unavailable(st), 0);
    assert_int_equal(reserve(st, "ivy", "i1", 2 * PRICE), 0);
    assert_int_equal(gw_store_finish_async(st, call_rec("i1", "ivy"), "ivy", "i1", 1, 700, on_done, &g), 0);
    wait_done(&g);
    assert_int_equal(g.rc, 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "i1", NULL), 1);
    assert_int_equal(balance_row(fx, "ivy"), 10 * PRICE - 700);
    assert_balanced(fx, "ivy");
}

/* ---- a worker loop's turn (store.h gw_store_turn_*) ---- */

/* On PostgreSQL a turn is never committed on the loop's thread (a commit there waits for the network and the server):
 * its items, reservations and the lease take they cause, go to the writer in one hand-off, in order, completed on the
 * writer's thread; the lease is taken and used as without a turn. */
static void test_turn_goes_to_writer(void **state)
{
    fx_t *fx = *state;
    const char *u = "turn-user";
    gw_store_t *st = fx->st = open_store(fx, 10, 5, 600000, 1200000);
    assert_int_equal(gw_store_grant(st, u, 1000 * PRICE, "lots", NULL), 0);
    gw_store_turn_t *t = gw_store_turn_open(st, 0);
    assert_non_null(t);
    gw_store_stats_t s0;
    gw_store_stats(st, &s0);
    wait_t w[3];
    for (int i = 0; i < 3; i++) {
        char rid[16];
        snprintf(rid, sizeof(rid), "tu%d", i);
        w[i] = (wait_t){PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
        assert_int_equal(gw_store_reserve_async(st, u, rid, PRICE, 0, NULL, on_done, &w[i]), 0);
    }
    sleep_ms(30); /* time for a wrong commit to show; not a timed assertion */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", u, NULL), 0); /* the turn holds them */
    assert_int_equal(gw_store_turn_commit(t, 1), 0);
    for (int i = 0; i < 3; i++) {
        wait_done(&w[i]);
        assert_int_equal(w[i].rc, 0);
    }
    gw_store_stats_t s1;
    gw_store_stats(st, &s1);
    assert_int_equal(s1.inline_commits, s0.inline_commits);
    assert_int_equal(s1.turn_handoffs - s0.turn_handoffs, 1);
    gw_store_turn_close(t);
    gw_store_ledger_flush(st);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", u, NULL), 3);
    assert_int_equal(lease_rows(fx, u), 1); /* the first reservation queued a lease take, in the same turn */
    assert_balanced(fx, u);
}

/* ---- group ---- */

static int pg_group_setup(void **state)
{
    (void)state;
    return pg_server_get("leases", pg_base_dsn, sizeof(pg_base_dsn), &pg_started_here);
}

static int pg_group_teardown(void **state)
{
    (void)state;
    return pg_server_stop("leases", pg_started_here);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_take_spend_topup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overrun_beyond_lease, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flush_after_lease_take, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flush_after_failed_lease_take, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_return, setup, teardown),
        cmocka_unit_test_setup_teardown(test_finish_settles_on_lease, setup, teardown),
        cmocka_unit_test_setup_teardown(test_return_at_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reclaim_gone_instance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_balance_three_instances, setup, teardown),
        cmocka_unit_test_setup_teardown(test_leases_never_overspend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batched_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batched_repeats_retry_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_error_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_error_retried_with_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_finish_refused_at_commit_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_finish_refused_for_itself_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_turn_goes_to_writer, setup, teardown),
    };
    return cmocka_run_group_tests_name("leases/postgres", tests, pg_group_setup, pg_group_teardown);
}
