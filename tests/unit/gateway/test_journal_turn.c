/*
 * The journal's commit once per loop turn on SQLite (store.h gw_store_turn_*; gateway/store/store_journal.c;
 * docs/internals/store.md "Commit once per loop turn"): a thread with a turn (a worker loop) collects what it submits
 * and commits it in gw_store_turn_commit, and the durability order of README stays what it was on the writer's path:
 *   - idle: a reservation and a finished call are committed inside gw_store_turn_commit, on the calling thread, their
 *     callbacks fired there (gw_store_stats().inline_commits); nothing is committed before (the turn holds them);
 *   - several calls' items of one turn (and the ring's queued access record) go in ONE transaction (stats.batches);
 *   - the writer is in a transaction (waiting for another connection's write lock): the turn goes to the writer
 *     thread (stats.turn_handoffs), completed there once the lock is free, in order; idle again, inline again;
 *   - another connection holds SQLite's write lock while the journal is idle: the inline BEGIN does not wait, the
 *     turn goes to the writer;
 *   - a turn of more items than its inline_max goes to the writer;
 *   - a reservation whose transaction fails inline is answered GW_STORE_E_DB (the gateway's 503), nothing reserved,
 *     and new calls are refused for a while;
 *   - a finished call whose record the database refuses inline is kept (no callback, so the response's last byte stays
 *     held), new calls are refused (GW_STORE_E_FULL: 503) while it waits, and once the database takes it the writer
 *     commits record and settlement together;
 *   - a blocking call on the turn's thread (gw_store_reserve) hands the turn's items over first; gw_store_turn_close
 *     hands over what is left.
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
#include "gateway/store/store_internal.h" /* gw_store__journal_idle, st->wlock: wait for the writer */
#include "gateway/store/store_ledger.h"
#include "store_query.h"
#include "policy/crypto.h"

#define PRICE 1000

typedef struct st_fx_t {
    char dir[256], db[320], key[340];
    gw_store_t *st;
    gw_store_turn_t *turn; /* bound to the test's thread */
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

static gw_store_stats_t stats(gw_store_t *st)
{
    gw_store_stats_t s;
    gw_store_stats(st, &s);
    return s;
}

/* Waits until the writer has nothing left of the journal (fails after 20 s). */
static void wait_idle(gw_store_t *st)
{
    for (int i = 0; i < 20000 && !gw_store__journal_idle(st); i++)
        sleep_ms(1);
    assert_true(gw_store__journal_idle(st));
}

/* A grant (through the writer), then the journal idle again: the writer clears its busy mark only after its completions
 * have fired, so a turn committed right after the grant returned could find it busy. */
static void grant(gw_store_t *st, const char *user, int64_t amount)
{
    assert_int_equal(gw_store_grant(st, user, amount, NULL, NULL), 0);
    wait_idle(st);
}

static gw_store_access_rec_t *access_rec(const char *rid)
{
    gw_store_access_rec_t *a = calloc(1, sizeof(*a));
    assert_non_null(a);
    snprintf(a->method, sizeof(a->method), "POST");
    snprintf(a->request_id, sizeof(a->request_id), "%s", rid);
    a->route = strdup("/v1/chat/completions");
    a->status = 200;
    return a;
}

/* A reservation submitted from another thread (no turn): the writer's. */
typedef struct st_bg_t {
    gw_store_t *st;
    done_t *d;
} bg_t;

static void *bg_reserve(void *arg)
{
    bg_t *b = arg;
    assert_int_equal(gw_store_reserve_async(b->st, "bgu", "bg1", PRICE, 0, NULL, on_done, b->d), 0);
    return NULL;
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    char err[512] = "", cfg[600];
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/aigw-test-jturn-XXXXXX");
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
    if ((fx->turn = gw_store_turn_open(fx->st, 0)) == NULL)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    gw_store_turn_close(fx->turn);
    gw_store_close(fx->st);
    int rc = ts_tmpdir_remove(fx->dir);
    free(fx);
    return rc;
}

/* Idle: held by the turn until gw_store_turn_commit, then committed on this thread. */
static void test_inline_when_idle(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    grant(st, "ann", 10 * PRICE);
    gw_store_stats_t s0 = stats(st);
    done_t r = DONE_INIT, f = DONE_INIT;
    assert_int_equal(gw_store_reserve_async(st, "ann", "a1", 4 * PRICE, 0, NULL, on_done, &r), 0);
    sleep_ms(30); /* time for a wrong commit by the writer to show; not a timed assertion */
    assert_int_equal(is_done(&r), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "a1"), 0);
    assert_false(gw_store__journal_idle(st)); /* the turn holds it */
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 1);
    assert_int_equal(is_done(&r), 1); /* completed before returning ... */
    assert_true(pthread_equal(r.thread, pthread_self()));
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.bal, 6 * PRICE);
    /* ... and committed: another connection sees the reservation */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "a1"), 1);
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("a1", "ann"), "ann", "a1", 1, 1500, on_done, &f), 0);
    assert_int_equal(is_done(&f), 0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 1);
    assert_int_equal(is_done(&f), 1);
    assert_true(pthread_equal(f.thread, pthread_self()));
    assert_int_equal(f.rc, 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "a1"), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "a1"), 0);
    assert_int_equal(balance_row(fx, "ann"), 10 * PRICE - 1500);
    assert_balanced(fx, "ann");
    gw_store_stats_t s1 = stats(st);
    assert_int_equal(s1.inline_commits - s0.inline_commits, 2);
    assert_int_equal(s1.batches - s0.batches, 2);
    assert_int_equal(s1.turn_handoffs - s0.turn_handoffs, 0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 0); /* nothing held */
}

/* Several calls' items in one turn, and a queued access record: one transaction. */
static void test_turn_is_one_transaction(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    static const char *const users[] = {"u1", "u2", "u3", "u4", "u5"};
    done_t d[6] = {DONE_INIT, DONE_INIT, DONE_INIT, DONE_INIT, DONE_INIT, DONE_INIT};
    for (int i = 0; i < 5; i++)
        grant(st, users[i], 10 * PRICE);
    assert_int_equal(gw_store_reserve_async(st, "u5", "p5", PRICE, 0, NULL, on_done, &d[5]), 0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 1);
    wait_idle(st);
    gw_store_stats_t s0 = stats(st);
    for (int i = 0; i < 5; i++) {
        char rid[8];
        snprintf(rid, sizeof(rid), "t%d", i);
        assert_int_equal(gw_store_reserve_async(st, users[i], rid, 2 * PRICE, 0, NULL, on_done, &d[i]), 0);
    }
    done_t f = DONE_INIT;
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("p5", "u5"), "u5", "p5", 1, 500, on_done, &f), 0);
    assert_int_equal(gw_store_submit_access(st, access_rec("acc-t")), 0); /* the ring: rides along */
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 6);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(is_done(&d[i]), 1);
        assert_int_equal(d[i].rc, 0);
        assert_int_equal(d[i].bal, (i < 4 ? 8 : 7) * PRICE); /* u5 holds p5 too */
    }
    assert_int_equal(is_done(&f), 1);
    assert_int_equal(f.rc, 0);
    gw_store_stats_t s1 = stats(st);
    assert_int_equal(s1.batches - s0.batches, 1); /* one COMMIT for all */
    assert_int_equal(s1.inline_commits - s0.inline_commits, 1);
    assert_int_equal(s1.access_written - s0.access_written, 1);
    assert_int_equal(s1.queue_depth, 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id LIKE 't%'", NULL), 5);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "p5"), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM access_log WHERE request_id = ?", "acc-t"), 1);
    for (int i = 0; i < 5; i++)
        assert_balanced(fx, users[i]);
}

/* The writer is in a transaction (it waits for another connection's write lock): the turn is the writer's, in order. */
static void test_handed_to_busy_writer(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    grant(st, "bob", 10 * PRICE);
    grant(st, "bgu", 10 * PRICE);
    gw_store_stats_t s0 = stats(st);
    char err[256];
    gw_store_db_t *holder = gw_store__db_open_sqlite(fx->db, err, sizeof(err));
    assert_non_null(holder);
    assert_int_equal(gw_store__db_exec(holder, "BEGIN IMMEDIATE"), 0); /* SQLite's write lock */
    done_t g = DONE_INIT, a = DONE_INIT, b = DONE_INIT, c = DONE_INIT;
    bg_t bg = {st, &g};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, bg_reserve, &bg), 0);
    pthread_join(th, NULL);
    /* the writer took the connection's mutex and waits in its BEGIN (for up to 5 s: the holder commits well before) */
    int writer_in = 0;
    for (int i = 0; i < 20000 && !writer_in; i++) {
        if (pthread_mutex_trylock(&st->wlock) == 0) {
            pthread_mutex_unlock(&st->wlock);
            sleep_ms(1);
        } else {
            writer_in = 1;
        }
    }
    assert_true(writer_in);
    assert_int_equal(gw_store_reserve_async(st, "bob", "b1", PRICE, 0, NULL, on_done, &a), 0);
    assert_int_equal(gw_store_reserve_async(st, "bob", "b2", 2 * PRICE, 0, NULL, on_done, &b), 0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 0); /* handed over */
    sleep_ms(30);
    assert_int_equal(is_done(&a), 0);
    assert_int_equal(is_done(&b), 0);
    assert_int_equal(gw_store__db_exec(holder, "COMMIT"), 0);
    gw_store__db_close(holder);
    wait_done(&g);
    wait_done(&a);
    wait_done(&b);
    assert_int_equal(g.rc, 0);
    assert_int_equal(a.rc, 0);
    assert_int_equal(b.rc, 0);
    assert_false(pthread_equal(a.thread, pthread_self())); /* the writer's */
    assert_false(pthread_equal(b.thread, pthread_self()));
    assert_int_equal(b.bal, 7 * PRICE); /* b1 first, then b2 */
    gw_store_stats_t s1 = stats(st);
    assert_int_equal(s1.inline_commits, s0.inline_commits);
    assert_int_equal(s1.turn_handoffs - s0.turn_handoffs, 1);
    /* idle again: inline */
    wait_idle(st);
    assert_int_equal(gw_store_reserve_async(st, "bob", "b3", PRICE, 0, NULL, on_done, &c), 0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 1);
    assert_int_equal(is_done(&c), 1);
    assert_true(pthread_equal(c.thread, pthread_self()));
    assert_int_equal(c.bal, 6 * PRICE);
    assert_int_equal(stats(st).inline_commits - s0.inline_commits, 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "bob"), 3);
    assert_balanced(fx, "bob");
    assert_balanced(fx, "bgu");
}

/* The journal is idle but another connection holds SQLite's write lock: the inline BEGIN does not wait. */
static void test_handed_over_when_database_busy(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    grant(st, "dot", 10 * PRICE);
    wait_idle(st);
    gw_store_stats_t s0 = stats(st);
    char err[256];
    gw_store_db_t *holder = gw_store__db_open_sqlite(fx->db, err, sizeof(err));
    assert_non_null(holder);
    assert_int_equal(gw_store__db_exec(holder, "BEGIN IMMEDIATE"), 0);
    done_t a = DONE_INIT;
    assert_int_equal(gw_store_reserve_async(st, "dot", "d1", PRICE, 0, NULL, on_done, &a), 0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 0); /* tried, busy: the writer's */
    gw_store_stats_t s1 = stats(st);
    assert_int_equal(s1.inline_commits, s0.inline_commits); /* not begun: not counted */
    assert_int_equal(s1.turn_handoffs - s0.turn_handoffs, 1);
    sleep_ms(30);
    assert_int_equal(is_done(&a), 0);
    assert_int_equal(gw_store__db_exec(holder, "COMMIT"), 0);
    gw_store__db_close(holder);
    wait_done(&a);
    assert_int_equal(a.rc, 0);
    assert_false(pthread_equal(a.thread, pthread_self()));
    assert_balanced(fx, "dot");
}

/* A turn over its inline_max goes to the writer even when the journal is idle. */
static void test_inline_max(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    gw_store_turn_close(fx->turn);
    assert_non_null(fx->turn = gw_store_turn_open(st, 2));
    assert_null(gw_store_turn_open(st, 0)); /* one per thread */
    grant(st, "eve", 10 * PRICE);
    wait_idle(st);
    gw_store_stats_t s0 = stats(st);
    /* two sets of completions: a reused one would read as done (by this thread) before the writer
     * had completed the second turn, and the writer would then complete into a dead stack frame */
    done_t a[2] = {DONE_INIT, DONE_INIT}, d[3] = {DONE_INIT, DONE_INIT, DONE_INIT};
    assert_int_equal(gw_store_reserve_async(st, "eve", "e1", PRICE, 0, NULL, on_done, &a[0]), 0);
    assert_int_equal(gw_store_reserve_async(st, "eve", "e2", PRICE, 0, NULL, on_done, &a[1]), 0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 2); /* at the cap: inline */
    for (int i = 0; i < 2; i++) {
        assert_true(is_done(&a[i]));
        assert_true(pthread_equal(a[i].thread, pthread_self()));
    }
    wait_idle(st);
    for (int i = 0; i < 3; i++)
        assert_int_equal(gw_store_reserve_async(st, "eve",
                                                i == 0   ? "e3"
                                                : i == 1 ? "e4"
                                                         : "e5",
                                                PRICE, 0, NULL, on_done, &d[i]),
                         0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 0); /* over it: the writer's */
    for (int i = 0; i < 3; i++) {
        wait_done(&d[i]);
        assert_int_equal(d[i].rc, 0);
        assert_false(pthread_equal(d[i].thread, pthread_self()));
    }
    gw_store_stats_t s1 = stats(st);
    assert_int_equal(s1.inline_commits - s0.inline_commits, 1);
    assert_int_equal(s1.turn_handoffs - s0.turn_handoffs, 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "eve"), 5);
    assert_balanced(fx, "eve");
}

/* A blocking call on the turn's thread hands the turn over first; closing the turn hands over what is left. */
static void test_sync_call_and_close_hand_over(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    grant(st, "fay", 10 * PRICE);
    done_t a = DONE_INIT, b = DONE_INIT;
    assert_int_equal(gw_store_reserve_async(st, "fay", "f1", 3 * PRICE, 0, NULL, on_done, &a), 0);
    int64_t bal = 0;
    assert_int_equal(gw_store_reserve(st, "fay", "f2", PRICE, 0, &bal), 0); /* waits for its commit: f1 went first */
    assert_int_equal(bal, 6 * PRICE);
    wait_done(&a);
    assert_int_equal(a.rc, 0);
    assert_int_equal(a.bal, 7 * PRICE);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 0); /* nothing left */
    assert_int_equal(gw_store_reserve_async(st, "fay", "f3", PRICE, 0, NULL, on_done, &b), 0);
    gw_store_turn_close(fx->turn);
    fx->turn = NULL;
    wait_done(&b);
    assert_int_equal(b.rc, 0);
    assert_false(pthread_equal(b.thread, pthread_self()));
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "fay"), 3);
    assert_balanced(fx, "fay");
    /* unbound: a submission is the writer's at once */
    done_t c = DONE_INIT;
    assert_int_equal(gw_store_reserve_async(st, "fay", "f4", PRICE, 0, NULL, on_done, &c), 0);
    wait_done(&c);
    assert_false(pthread_equal(c.thread, pthread_self()));
}

/* A reservation whose inline transaction fails: GW_STORE_E_DB at once, nothing reserved, new calls refused. */
static void test_inline_reserve_failure(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    grant(st, "cy", 10 * PRICE);
    ts_sqlite_exec(fx->db, "CREATE TRIGGER test_refuse BEFORE INSERT ON ledger WHEN NEW.request_id = 'bad'"
                           " BEGIN SELECT RAISE(ABORT, 'test: injected write error'); END");
    wait_idle(st);
    uint64_t n0 = stats(st).inline_commits;
    done_t r = DONE_INIT, n = DONE_INIT;
    assert_int_equal(gw_store_reserve_async(st, "cy", "bad", 3 * PRICE, 0, NULL, on_done, &r), 0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 1);
    assert_int_equal(is_done(&r), 1);
    assert_true(pthread_equal(r.thread, pthread_self()));
    assert_int_equal(r.rc, GW_STORE_E_DB); /* the gateway answers 503: nothing was forwarded */
    assert_int_equal(stats(st).inline_commits - n0, 1);
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
    grant(st, "gus", 10 * PRICE);
    assert_int_equal(gw_store_reserve_async(st, "gus", "g1", 4 * PRICE, 0, NULL, on_done, &r), 0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 1);
    wait_done(&r);
    assert_int_equal(r.rc, 0);
    ts_sqlite_exec(fx->db,
                   "CREATE TRIGGER test_full BEFORE INSERT ON calls BEGIN SELECT RAISE(ABORT, 'test: injected write error'); END");
    wait_idle(st);
    uint64_t n0 = stats(st).inline_commits;
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("g1", "gus"), "gus", "g1", 1, 1500, on_done, &f), 0);
    assert_int_equal(gw_store_turn_commit(fx->turn, 1), 1); /* completed here: kept for the writer's retry */
    assert_int_equal(stats(st).inline_commits - n0, 1);     /* tried on this thread */
    assert_int_equal(is_done(&f), 0);                       /* held: the response's last byte waits */
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
        cmocka_unit_test_setup_teardown(test_turn_is_one_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handed_to_busy_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handed_over_when_database_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inline_max, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sync_call_and_close_hand_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inline_reserve_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inline_finish_refused_kept, setup, teardown),
    };
    return cmocka_run_group_tests_name("journal/turn (sqlite)", tests, NULL, NULL);
}
