/*
 * The journal's inline commit on SQLite (gateway/store/store_journal.c journal_lead;
 * docs/internals/store.md "Inline commit"): a submission that finds the journal idle is committed
 * on the calling thread, and the durability order of README stays what it was on the writer's path:
 *   - idle: a reservation and a finished call are committed before gw_store_*_async returns, their
 *     callbacks fired on the calling thread (counted in gw_store_stats().inline_commits);
 *   - another connection holds SQLite's write lock (a CLI, the checkpointer's RESTART): the leader
 *     does not wait for it, the writer thread commits the item once the lock is free, and what is
 *     submitted meanwhile queues behind it; afterwards an idle journal commits inline again;
 *   - a reservation whose transaction fails inline is answered GW_STORE_E_DB (the gateway's 503),
 *     nothing reserved, and new calls are refused for a while;
 *   - a finished call whose record the database refuses inline is kept (no callback, so the
 *     response's last byte stays held), new calls are refused (GW_STORE_E_FULL: 503) while it
 *     waits, and once the database takes it the writer commits record and settlement together.
 * No assertion on time: waits are for events, bounded only to fail instead of hanging.
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
#include "gateway/store/store_internal.h" /* gw_store__journal_idle: wait for the writer to be done */
#include "gateway/store/store_ledger.h"
#include "store_query.h"
#include "policy/crypto.h"

#define PRICE 1000

typedef struct st_fx_t {
    char dir[256], db[320], key[340];
    gw_store_t *st;
} fx_t;

/* One completion: rc, balance, the thread it fired on. */
typedef struct st_done_t {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done, rc;
    int64_t bal;
    pthread_t thread;
} done_t;

#define DONE_INIT                                                                                                                  \
    {                                                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, (pthread_t)0                                                 \
    }

static void on_done(void *ctx, int rc, int64_t bal)
{
    done_t *d = ctx;
    pthread_mutex_lock(&d->mu);
    d->rc = rc;
    d->bal = bal;
    d->thread = pthread_self();
    d->done++;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

static int is_done(done_t *d)
{
    pthread_mutex_lock(&d->mu);
    int n = d->done;
    pthread_mutex_unlock(&d->mu);
    return n;
}

/* Waits for the completion (fails after 20 s instead of hanging). */
static void wait_done(done_t *d)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 20;
    pthread_mutex_lock(&d->mu);
    while (d->done == 0)
        if (pthread_cond_timedwait(&d->cv, &d->mu, &ts) != 0)
            break;
    int n = d->done;
    pthread_mutex_unlock(&d->mu);
    if (n == 0)
        fail_msg("no completion within 20 s");
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int64_t raw_int(fx_t *fx, const char *sql, const char *arg)
{
    return ts_sqlite_int(fx->db, sql, arg);
}

static int64_t balance_row(fx_t *fx, const char *user)
{
    return raw_int(fx, "SELECT balance FROM credit_balances WHERE user_id = ?", user);
}

static void assert_balanced(fx_t *fx, const char *user)
{
    assert_int_equal(raw_int(fx, "SELECT COALESCE(SUM(amount_microcredits), 0) FROM ledger WHERE user_id = ?", user),
                     balance_row(fx, user));
}

static uint64_t inline_commits(gw_store_t *st)
{
    gw_store_stats_t s;
    gw_store_stats(st, &s);
    return s.inline_commits;
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    char err[512] = "", cfg[600];
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/aigw-test-jinline-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->db, sizeof(fx->db), "%s/aigw.db", fx->dir);
    snprintf(fx->key, sizeof(fx->key), "%s/master.key", fx->dir);
    pol_key_t *k = pol_key_new_random();
    if (gw_keyfile_write(fx->key, k, err, sizeof(err)) != 0)
        return -1;
    pol_key_free(k);
    snprintf(cfg, sizeof(cfg), "{\"driver\":\"sqlite\",\"path\":\"%s\",\"purge_interval_s\":0}", fx->db);
    json_t *sc = json_loads(cfg, 0, NULL);
    fx->st = gw_store_open(sc, NULL, NULL, fx->key, err, sizeof(err));
    json_decref(sc);
    if (fx->st == NULL) {
        fprintf(stderr, "open: %s\n", err);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    gw_store_close(fx->st);
    int rc = ts_tmpdir_remove(fx->dir);
    free(fx);
    return rc;
}

/* Idle: committed on this thread before the call returns. */
static void test_inline_when_idle(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    assert_int_equal(gw_store_grant(st, "ann", 10 * PRICE, NULL, NULL), 0);
    uint64_t n0 = inline_commits(st);
    done_t r = DONE_INIT, f = DONE_INIT;
    assert_int_equal(gw_store_reserve_async(st, "ann", "a1", 4 * PRICE, 0, NULL, on_done, &r), 0);
    assert_int_equal(is_done(&r), 1); /* completed before returning ... */
    assert_true(pthread_equal(r.thread, pthread_self()));
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.bal, 6 * PRICE);
    /* ... and committed: another connection sees the reservation */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "a1"), 1);
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("a1", "ann"), "ann", "a1", 1, 1500, on_done, &f), 0);
    assert_int_equal(is_done(&f), 1);
    assert_true(pthread_equal(f.thread, pthread_self()));
    assert_int_equal(f.rc, 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "a1"), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "a1"), 0);
    assert_int_equal(balance_row(fx, "ann"), 10 * PRICE - 1500);
    assert_balanced(fx, "ann");
    assert_int_equal(inline_commits(st) - n0, 2);
}

/* Another connection writes: the leader does not wait, the writer thread commits in order. */
static void test_queued_while_another_connection_writes(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    assert_int_equal(gw_store_grant(st, "bob", 10 * PRICE, NULL, NULL), 0);
    uint64_t n0 = inline_commits(st);
    char err[256];
    gw_store_db_t *holder = gw_store__db_open_sqlite(fx->db, err, sizeof(err));
    assert_non_null(holder);
    assert_int_equal(gw_store__db_exec(holder, "BEGIN IMMEDIATE"), 0); /* SQLite's write lock */
    done_t a = DONE_INIT, b = DONE_INIT, c = DONE_INIT;
    assert_int_equal(gw_store_reserve_async(st, "bob", "b1", PRICE, 0, NULL, on_done, &a), 0);
    assert_int_equal(gw_store_reserve_async(st, "bob", "b2", 2 * PRICE, 0, NULL, on_done, &b), 0);
    sleep_ms(50);                     /* time for a wrong commit to show; not a timed assertion */
    assert_int_equal(is_done(&a), 0); /* queued, the writer waits for the lock */
    assert_int_equal(is_done(&b), 0);
    assert_int_equal(gw_store__db_exec(holder, "COMMIT"), 0);
    gw_store__db_close(holder);
    wait_done(&a);
    wait_done(&b);
    assert_int_equal(a.rc, 0);
    assert_int_equal(b.rc, 0);
    assert_false(pthread_equal(a.thread, pthread_self())); /* the writer's */
    assert_false(pthread_equal(b.thread, pthread_self()));
    assert_int_equal(b.bal, 7 * PRICE); /* b1 first, then b2 */
    assert_int_equal(inline_commits(st), n0);
    /* idle again: inline (the writer clears its busy mark after its completions have fired) */
    for (int i = 0; i < 2000 && !gw_store__journal_idle(st); i++)
        sleep_ms(1);
    assert_int_equal(gw_store_reserve_async(st, "bob", "b3", PRICE, 0, NULL, on_done, &c), 0);
    assert_int_equal(is_done(&c), 1);
    assert_true(pthread_equal(c.thread, pthread_self()));
    assert_int_equal(c.bal, 6 * PRICE);
    assert_int_equal(inline_commits(st) - n0, 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "bob"), 3);
    assert_balanced(fx, "bob");
}

/* A reservation whose inline transaction fails: GW_STORE_E_DB at once, nothing reserved, new calls refused. */
static void test_inline_reserve_failure(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    assert_int_equal(gw_store_grant(st, "cy", 10 * PRICE, NULL, NULL), 0);
    ts_sqlite_exec(fx->db, "CREATE TRIGGER test_refuse BEFORE INSERT ON ledger WHEN NEW.request_id = 'bad'"
                           " BEGIN SELECT RAISE(ABORT, 'test: injected write error'); END");
    uint64_t n0 = inline_commits(st);
    done_t r = DONE_INIT, n = DONE_INIT;
    assert_int_equal(gw_store_reserve_async(st, "cy", "bad", 3 * PRICE, 0, NULL, on_done, &r), 0);
    assert_int_equal(is_done(&r), 1);
    assert_true(pthread_equal(r.thread, pthread_self()));
    assert_int_equal(r.rc, GW_STORE_E_DB); /* the gateway answers 503: nothing was forwarded */
    assert_int_equal(inline_commits(st) - n0, 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "cy"), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ?", "bad"), 0);
    assert_int_equal(balance_row(fx, "cy"), 10 * PRICE);
    assert_int_equal(gw_store_unavailable(st), 1);
    assert_int_equal(gw_store_reserve_async(st, "cy", "next", PRICE, 0, NULL, on_done, &n), GW_STORE_E_FULL);
    /* the whole balance is still there */
    ts_sqlite_exec(fx->db, "DROP TRIGGER test_refuse");
    int64_t bal = 0;
    assert_int_equal(gw_store_reserve(st, "cy", "good", 10 * PRICE, 0, &bal), 0);
    assert_int_equal(bal, 0);
    assert_balanced(fx, "cy");
}

/* A finished call whose record is refused inline: kept, new calls refused, committed once the database takes it. */
static void test_inline_finish_refused_kept(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    done_t r = DONE_INIT, f = DONE_INIT, n = DONE_INIT;
    assert_int_equal(gw_store_grant(st, "gus", 10 * PRICE, NULL, NULL), 0);
    assert_int_equal(gw_store_reserve_async(st, "gus", "g1", 4 * PRICE, 0, NULL, on_done, &r), 0);
    wait_done(&r);
    assert_int_equal(r.rc, 0);
    ts_sqlite_exec(fx->db,
                   "CREATE TRIGGER test_full BEFORE INSERT ON calls BEGIN SELECT RAISE(ABORT, 'test: injected write error'); END");
    uint64_t n0 = inline_commits(st);
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("g1", "gus"), "gus", "g1", 1, 1500, on_done, &f), 0);
    assert_int_equal(inline_commits(st) - n0, 1); /* tried on this thread */
    assert_int_equal(is_done(&f), 0);             /* held: the response's last byte waits */
    assert_int_equal(gw_store_unavailable(st), 1);
    assert_int_equal(gw_store_reserve_async(st, "gus", "g2", 1, 0, NULL, on_done, &n), GW_STORE_E_FULL);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE user_id = ?", "gus"), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'settle'", "gus"), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "gus"), 1);
    sleep_ms(200); /* retries by the writer meanwhile fail too */
    assert_int_equal(is_done(&f), 0);
    ts_sqlite_exec(fx->db, "DROP TRIGGER test_full");
    wait_done(&f);
    assert_int_equal(f.rc, 0);
    assert_false(pthread_equal(f.thread, pthread_self())); /* the writer's retry */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE user_id = ?", "gus"), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "gus"), 0);
    assert_int_equal(balance_row(fx, "gus"), 10 * PRICE - 1500);
    assert_balanced(fx, "gus");
    sleep_ms(50);
    assert_int_equal(is_done(&f), 1); /* once */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_inline_when_idle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queued_while_another_connection_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inline_reserve_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inline_finish_refused_kept, setup, teardown),
    };
    return cmocka_run_group_tests_name("journal/inline (sqlite)", tests, NULL, NULL);
}
