/*
 * Group commit of the ledger through the store's journal (store.c, store_ledger.c; SQLite):
 * reservations and settlements queued while the database's write lock is held elsewhere all land
 * in one transaction, applied in arrival order with exact refusals; a database error inside a
 * batch fails every operation of it and leaves nothing of it applied; deferred settles are
 * applied by the next transaction or when the store closes, and balance reads flush them first.
 * The gateway's asynchronous forms: the credit table refuses without SQL when its balance is
 * fresh, callbacks fire exactly once after the commit, and a finished call whose transaction
 * fails is kept and retried (gw_store_unavailable meanwhile) until the database takes it.
 *
 * Determinism: the test holds SQLite's write lock on its own connection (BEGIN IMMEDIATE), so the
 * store's writer waits in its BEGIN (busy timeout 5 s) while every other operation queues; it polls
 * gw_store_ledger_stats until all of them are queued, then releases the lock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <pthread.h>
#include <unistd.h>

#include "gateway/store/keyfile.h"
#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "store_query.h"
#include "gateway/store/store_ledger.h"
#include "policy/crypto.h"

#define THREADS 16

typedef struct st_fx_t {
    char dir[256], db[320], key[340];
    gw_store_t *st;
} fx_t;

static gw_store_t *open_store(fx_t *fx)
{
    char cfg[1024], err[512] = "";
    snprintf(cfg, sizeof(cfg), "{\"driver\":\"sqlite\",\"path\":\"%s\",\"purge_interval_s\":0}", fx->db);
    json_t *sc = json_loads(cfg, 0, NULL);
    gw_store_t *st = gw_store_open(sc, NULL, NULL, fx->key, err, sizeof(err));
    json_decref(sc);
    if (st == NULL)
        fail_msg("open: %s", err);
    return st;
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    char err[256];
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/aigw-test-ledger-batch-XXXXXX");
    if (fx == NULL || mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->db, sizeof(fx->db), "%s/aigw.db", fx->dir);
    snprintf(fx->key, sizeof(fx->key), "%s/master.key", fx->dir);
    pol_key_t *k = pol_key_new_random();
    if (gw_keyfile_write(fx->key, k, err, sizeof(err)) != 0)
        return -1;
    pol_key_free(k);
    fx->st = open_store(fx);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    char cmd[600];
    if (fx->st != NULL)
        gw_store_close(fx->st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

static gw_store_db_t *raw_open(fx_t *fx)
{
    char err[256];
    gw_store_db_t *db = gw_store__db_open_sqlite(fx->db, err, sizeof(err));
    if (db == NULL)
        fail_msg("raw open: %s", err);
    return db;
}

static int64_t raw_int(fx_t *fx, const char *sql, const char *arg)
{
    gw_store_db_t *db = raw_open(fx);
    int64_t n = ts_db_int(db, sql, arg, NULL);
    gw_store__db_close(db);
    return n;
}

static int64_t ledger_sum(fx_t *fx, const char *user)
{
    return raw_int(fx, "SELECT CAST(COALESCE(SUM(amount_microcredits), 0) AS BIGINT) FROM ledger WHERE user_id = ?", user);
}

/* Takes SQLite's write lock on a connection of the test's own. */
static gw_store_db_t *hold_write_lock(fx_t *fx)
{
    gw_store_db_t *db = raw_open(fx);
    assert_int_equal(gw_store__db_exec(db, "BEGIN IMMEDIATE"), 0);
    return db;
}

static void release_write_lock(gw_store_db_t *db)
{
    assert_int_equal(gw_store__db_exec(db, "COMMIT"), 0);
    gw_store__db_close(db);
}

/* Waits until `n` operations are queued (the store's writer is blocked in its BEGIN). */
static void wait_pending(gw_store_t *st, size_t n)
{
    gw_store_ledger_stats_t s;
    for (int i = 0; i < 1000; i++) {
        gw_store_ledger_stats(st, &s);
        if (s.pending >= n)
            return;
        usleep(5000);
    }
    fail_msg("only %zu of %zu operations queued after 5 s", s.pending, n);
}

typedef struct st_job_t {
    gw_store_t *st;
    char user[32], rid[GW_REQUEST_ID_MAX + 1];
    int64_t amount;
    int settle; /* 0 reserve, 1 settle */
    int rc;
    int64_t bal;
} job_t;

static void *job_main(void *arg)
{
    job_t *j = arg;
    j->rc = j->settle ? gw_store_settle(j->st, j->user, j->rid, j->amount, &j->bal)
                      : gw_store_reserve(j->st, j->user, j->rid, j->amount, 0, &j->bal);
    return NULL;
}

/* Starts the jobs and waits until they are all queued behind the held lock. */
static void start_jobs(gw_store_t *st, job_t *jobs, pthread_t *t, size_t n, size_t already_queued)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(pthread_create(&t[i], NULL, job_main, &jobs[i]), 0);
    wait_pending(st, n + already_queued);
}

static void join_jobs(pthread_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

/* 16 reservations of 1000 against a balance of 10000, queued together: one batch, one commit,
 * exactly 10 reserved, 6 refused with the balance that was too low (0). Then 10 deferred settles
 * at 400 each: the balance read flushes them. */
static void test_batch_under_concurrency(void **state)
{
    fx_t *fx = *state;
    job_t jobs[THREADS];
    pthread_t t[THREADS];
    gw_store_ledger_stats_t before, after;
    int64_t bal = 0, reserved = 0;
    assert_int_equal(gw_store_grant(fx->st, "ann", 10000, "test", &bal), 0);
    gw_store_ledger_stats(fx->st, &before);
    assert_int_equal(before.batching, 1);
    memset(jobs, 0, sizeof(jobs));
    for (int i = 0; i < THREADS; i++) {
        jobs[i].st = fx->st;
        snprintf(jobs[i].user, sizeof(jobs[i].user), "ann");
        snprintf(jobs[i].rid, sizeof(jobs[i].rid), "r%d", i);
        jobs[i].amount = 1000;
    }
    gw_store_db_t *lock = hold_write_lock(fx);
    start_jobs(fx->st, jobs, t, THREADS, 0);
    release_write_lock(lock);
    join_jobs(t, THREADS);
    gw_store_ledger_stats(fx->st, &after);
    assert_int_equal(after.batches - before.batches, 1); /* all sixteen in one transaction */
    assert_int_equal(after.ops - before.ops, THREADS);
    assert_int_equal(after.pending, 0);
    int ok = 0, refused = 0;
    for (int i = 0; i < THREADS; i++) {
        if (jobs[i].rc == 0) {
            ok++;
            assert_true(jobs[i].bal >= 0 && jobs[i].bal <= 9000);
        } else {
            assert_int_equal(jobs[i].rc, GW_E_CREDITS);
            assert_int_equal(jobs[i].bal, 0); /* the exact balance that was too low */
            refused++;
        }
    }
    assert_int_equal(ok, 10);
    assert_int_equal(refused, 6);
    assert_int_equal(gw_store_balance(fx->st, "ann", &bal, &reserved), 0);
    assert_int_equal(bal, 0);
    assert_int_equal(reserved, 10000);
    assert_int_equal(ledger_sum(fx, "ann"), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE kind = 'reserve' AND user_id = ?", "ann"), 10);

    /* deferred settles of the ten: applied by a later batch; the balance read flushes first */
    for (int i = 0; i < THREADS; i++)
        if (jobs[i].rc == 0)
            assert_int_equal(gw_store_settle_deferred(fx->st, "ann", jobs[i].rid, 400), 0);
    assert_int_equal(gw_store_settle_deferred(fx->st, "ann", "", 400), GW_STORE_E_INVAL);
    assert_int_equal(gw_store_settle_deferred(fx->st, "ann", "r0", -1), GW_STORE_E_INVAL);
    assert_int_equal(gw_store_balance(fx->st, "ann", &bal, &reserved), 0);
    assert_int_equal(bal, 10000 - 10 * 400);
    assert_int_equal(reserved, 0);
    assert_int_equal(ledger_sum(fx, "ann"), bal);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "ann"), 0);
    /* a settle repeated synchronously is a no-op that still reports the balance */
    int first = 0;
    while (jobs[first].rc != 0)
        first++;
    assert_int_equal(gw_store_settle(fx->st, "ann", jobs[first].rid, 400, &bal), 0);
    assert_int_equal(bal, 10000 - 10 * 400);
}

/* Reserves, a settle and a reserve that hits a database error, queued into one batch: the batch
 * fails; every reservation gets GW_STORE_E_DB and none is applied, while the settlements (of
 * calls that ended) are tried alone and commit (store_journal.c journal_failed: the batch failed
 * for another item's sake; before session 8 they failed with it and their reservations stayed open
 * until the next start); the ledger works again afterwards. */
static void test_failed_batch(void **state)
{
    fx_t *fx = *state;
    int64_t bal = 0, reserved = 0;
    assert_int_equal(gw_store_grant(fx->st, "bob", 100000, "test", &bal), 0);
    assert_int_equal(gw_store_reserve(fx->st, "bob", "open1", 5000, 0, &bal), 0);
    assert_int_equal(gw_store_reserve(fx->st, "bob", "open2", 5000, 0, &bal), 0);
    gw_store_db_t *ddl = raw_open(fx);
    assert_int_equal(gw_store__db_exec(ddl, "CREATE TRIGGER test_boom BEFORE INSERT ON ledger WHEN NEW.request_id = 'boom'"
                                            " BEGIN SELECT RAISE(ABORT, 'test: injected failure'); END"),
                     0);
    gw_store__db_close(ddl);
    int64_t rows0 = raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ?", "bob");
    enum { N = 6 };
    job_t jobs[N];
    pthread_t t[N];
    memset(jobs, 0, sizeof(jobs));
    static const char *const rids[N] = {"a1", "a2", "open1", "boom", "a3", "a4"};
    for (int i = 0; i < N; i++) {
        jobs[i].st = fx->st;
        snprintf(jobs[i].user, sizeof(jobs[i].user), "bob");
        snprintf(jobs[i].rid, sizeof(jobs[i].rid), "%s", rids[i]);
        jobs[i].amount = 1000;
        jobs[i].settle = strcmp(rids[i], "open1") == 0;
    }
    gw_store_ledger_stats_t before, after;
    gw_store_ledger_stats(fx->st, &before);
    gw_store_db_t *lock = hold_write_lock(fx);
    /* a deferred settle queued first rides in the same batch; it is then tried alone */
    assert_int_equal(gw_store_settle_deferred(fx->st, "bob", "open2", 0), 0);
    start_jobs(fx->st, jobs, t, N, 1);
    release_write_lock(lock);
    join_jobs(t, N);
    gw_store_ledger_stats(fx->st, &after);
    assert_int_equal(after.batches - before.batches, 1);
    assert_int_equal(after.ops - before.ops, N + 1);
    for (int i = 0; i < N; i++)
        assert_int_equal(jobs[i].rc, jobs[i].settle ? 0 : GW_STORE_E_DB);
    /* no reservation half-applied; the two settlements in: open1 charged 1000, open2 nothing */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'reserve'", "bob"),
                     raw_int(fx,
                             "SELECT COUNT(*) FROM ledger WHERE user_id = ? AND kind = 'reserve' AND request_id IN"
                             " ('open1', 'open2')",
                             "bob"));
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ?", "bob"), rows0 + 2);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "bob"), 0);
    assert_int_equal(gw_store_balance(fx->st, "bob", &bal, &reserved), 0);
    assert_int_equal(bal, 99000);
    assert_int_equal(reserved, 0);
    assert_int_equal(ledger_sum(fx, "bob"), bal);
    /* the connection is usable again: the same operations without the failing one succeed */
    assert_int_equal(gw_store_reserve(fx->st, "bob", "a1", 1000, 0, &bal), 0);
    assert_int_equal(bal, 98000);
    assert_int_equal(gw_store_settle(fx->st, "bob", "a1", 400, &bal), 0);
    assert_int_equal(bal, 98000 + 600);
    assert_int_equal(gw_store_reserve(fx->st, "bob", "boom", 1000, 0, &bal), GW_STORE_E_DB); /* alone: fails alone */
    assert_int_equal(gw_store_balance(fx->st, "bob", &bal, &reserved), 0);
    assert_int_equal(bal, 98600);
    assert_int_equal(reserved, 0);
    assert_int_equal(ledger_sum(fx, "bob"), bal);
}

/* A refusal inside a batch undoes only its own rows (savepoint): the others of the batch commit,
 * and a user first seen in a refused reservation is not left half-created. */
static void test_refusal_inside_batch(void **state)
{
    fx_t *fx = *state;
    int64_t bal = 0, reserved = 0;
    enum { N = 3 };
    job_t jobs[N];
    pthread_t t[N];
    memset(jobs, 0, sizeof(jobs));
    assert_int_equal(gw_store_grant(fx->st, "cy", 3000, NULL, &bal), 0);
    static const char *const users[N] = {"cy", "newbie", "cy"};
    static const int64_t amounts[N] = {2000, 50, 2000};
    for (int i = 0; i < N; i++) {
        jobs[i].st = fx->st;
        snprintf(jobs[i].user, sizeof(jobs[i].user), "%s", users[i]);
        snprintf(jobs[i].rid, sizeof(jobs[i].rid), "c%d", i);
        jobs[i].amount = amounts[i];
    }
    gw_store_db_t *lock = hold_write_lock(fx);
    start_jobs(fx->st, jobs, t, N, 0);
    release_write_lock(lock);
    join_jobs(t, N);
    int ok = 0;
    for (int i = 0; i < N; i++)
        if (strcmp(users[i], "cy") == 0)
            ok += jobs[i].rc == 0;
    assert_int_equal(ok, 1);                    /* whichever came first; the other is refused */
    assert_int_equal(jobs[1].rc, GW_E_CREDITS); /* new user, default grant 0 */
    assert_int_equal(gw_store_balance(fx->st, "cy", &bal, &reserved), 0);
    assert_int_equal(bal, 1000);
    assert_int_equal(reserved, 2000);
    assert_int_equal(ledger_sum(fx, "cy"), 1000);
    assert_int_equal(gw_store_balance(fx->st, "newbie", &bal, &reserved), GW_STORE_E_NOTFOUND);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ?", "newbie"), 0);
}

/* Deferred settles with nothing else arriving: the journal's next transaction applies them, and
 * one queued just before the close is applied at the latest by the close. */
static void test_deferred_flush_and_close(void **state)
{
    fx_t *fx = *state;
    int64_t bal = 0;
    assert_int_equal(gw_store_grant(fx->st, "dee", 10000, NULL, &bal), 0);
    assert_int_equal(gw_store_reserve(fx->st, "dee", "d1", 3000, 0, &bal), 0);
    assert_int_equal(gw_store_reserve(fx->st, "dee", "d2", 3000, 0, &bal), 0);
    assert_int_equal(gw_store_settle_deferred(fx->st, "dee", "d1", 1000), 0);
    /* no flush from the test: poll the database until the journal has committed it */
    int64_t open = 2;
    for (int i = 0; i < 500 && open != 1; i++) {
        usleep(2000);
        open = raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "dee");
    }
    assert_int_equal(open, 1);
    gw_store_db_t *lock = hold_write_lock(fx); /* keep the next one queued until the close */
    assert_int_equal(gw_store_settle_deferred(fx->st, "dee", "d2", 500), 0);
    wait_pending(fx->st, 1);
    release_write_lock(lock);
    gw_store_close(fx->st);
    fx->st = NULL;
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "dee"), 0);
    assert_int_equal(ledger_sum(fx, "dee"), 10000 - 1000 - 500);
    assert_int_equal(raw_int(fx, "SELECT balance FROM credit_balances WHERE user_id = ?", "dee"), 10000 - 1000 - 500);
}

/* ---- asynchronous forms (the gateway's) ---- */

typedef struct st_done_t {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int fired, rc;
    int64_t bal;
} done_t;

static void on_done(void *ctx, int rc, int64_t bal)
{
    done_t *d = ctx;
    pthread_mutex_lock(&d->mu);
    d->fired++;
    d->rc = rc;
    d->bal = bal;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

static void done_init(done_t *d)
{
    memset(d, 0, sizeof(*d));
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
}

/* Waits up to `ms` for the callback. @return how many times it fired. */
static int done_wait(done_t *d, int ms)
{
    for (int i = 0; i < ms; i++) {
        pthread_mutex_lock(&d->mu);
        int f = d->fired;
        pthread_mutex_unlock(&d->mu);
        if (f)
            return f;
        usleep(1000);
    }
    return 0;
}

/* The credit table: a fresh balance refuses at once (no callback, the balance left reported);
 * what it admits the database still decides; a grant from another process is seen by the next
 * operation the database answers. */
static void test_reserve_async(void **state)
{
    fx_t *fx = *state;
    int64_t bal = 0, now = -1;
    done_t a, b, c;
    done_init(&a);
    done_init(&b);
    done_init(&c);
    assert_int_equal(gw_store_grant(fx->st, "eve", 3000, NULL, &bal), 0); /* the table learns 3000 */
    assert_int_equal(gw_store_reserve_async(fx->st, "eve", "e1", 2000, 0, &now, on_done, &a), 0);
    /* 3000 - 2000 held: refused in memory, nothing queued, the callback does not fire */
    assert_int_equal(gw_store_reserve_async(fx->st, "eve", "e2", 2000, 0, &now, on_done, &b), GW_E_CREDITS);
    assert_int_equal(now, 1000);
    assert_int_equal(done_wait(&a, 5000), 1);
    assert_int_equal(a.rc, 0);
    assert_int_equal(a.bal, 1000);
    assert_int_equal(done_wait(&b, 50), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ?", "e2"), 0);
    /* another process grants: the fresh table still refuses, the database is asked after the
     * freshness second, and then the reservation passes */
    gw_store_db_t *other = raw_open(fx);
    assert_int_equal(gw_store__db_exec(other, "UPDATE credit_balances SET balance = balance + 5000 WHERE user_id = 'eve';"
                                              " INSERT INTO ledger(user_id, request_id, kind, amount_microcredits, at)"
                                              " VALUES ('eve', 'grant:other', 'grant', 5000, 0)"),
                     0);
    gw_store__db_close(other);
    usleep(1100000);
    assert_int_equal(gw_store_reserve_async(fx->st, "eve", "e3", 2000, 0, &now, on_done, &c), 0);
    assert_int_equal(done_wait(&c, 5000), 1);
    assert_int_equal(c.rc, 0);
    assert_int_equal(c.bal, 1000 + 5000 - 2000);
    assert_int_equal(gw_store_balance(fx->st, "eve", &bal, NULL), 0);
    assert_int_equal(bal, 4000);
    assert_int_equal(ledger_sum(fx, "eve"), 4000);
    /* a user never seen: the database decides (default grant 0: refused through the callback) */
    done_t d;
    done_init(&d);
    assert_int_equal(gw_store_reserve_async(fx->st, "fay", "f1", 1, 0, &now, on_done, &d), 0);
    assert_int_equal(done_wait(&d, 5000), 1);
    assert_int_equal(d.rc, GW_E_CREDITS);
    assert_int_equal(gw_store_reserve_async(fx->st, "", "f2", 1, 0, &now, on_done, &d), GW_STORE_E_INVAL);
    usleep(20000);
    assert_int_equal(d.fired, 1); /* exactly once */
}

static gw_call_rec_t *call_rec(const char *rid, const char *user)
{
    gw_call_rec_t *r = calloc(1, sizeof(*r));
    snprintf(r->request_id, sizeof(r->request_id), "%s", rid);
    r->user_id = strdup(user);
    snprintf(r->provider, sizeof(r->provider), "openai");
    r->model = strdup("gpt-4o-mini");
    r->route = strdup("/v1/chat/completions");
    r->status = 200;
    r->request_body = strdup("{\"messages\":[]}");
    r->request_len = strlen(r->request_body);
    return r;
}

/* A finished call (record + settlement) whose transaction fails is kept and retried while new
 * calls are refused (gw_store_unavailable); once the database takes writes again it is committed,
 * record and settlement together, and the callback fires once. */
static void test_finish_retried(void **state)
{
    fx_t *fx = *state;
    int64_t bal = 0;
    done_t r, f;
    done_init(&r);
    done_init(&f);
    assert_int_equal(gw_store_grant(fx->st, "gus", 10000, NULL, &bal), 0);
    assert_int_equal(gw_store_reserve_async(fx->st, "gus", "g1", 4000, 0, NULL, on_done, &r), 0);
    assert_int_equal(done_wait(&r, 5000), 1);
    assert_int_equal(r.rc, 0);
    assert_int_equal(gw_store_unavailable(fx->st), 0);
    gw_store_db_t *ddl = raw_open(fx);
    assert_int_equal(gw_store__db_exec(ddl, "CREATE TRIGGER test_full BEFORE INSERT ON calls"
                                            " BEGIN SELECT RAISE(ABORT, 'test: injected write error'); END"),
                     0);
    assert_int_equal(gw_store_finish_async(fx->st, call_rec("g1", "gus"), "gus", "g1", 1, 1500, on_done, &f), 0);
    for (int i = 0; i < 500 && !gw_store_unavailable(fx->st); i++)
        usleep(2000);
    assert_int_equal(gw_store_unavailable(fx->st), 1);
    assert_int_equal(done_wait(&f, 300), 0); /* held, not failed */
    /* a new reservation is refused while the journal cannot commit */
    done_t n;
    done_init(&n);
    assert_int_equal(gw_store_reserve_async(fx->st, "gus", "g2", 1, 0, NULL, on_done, &n), GW_STORE_E_FULL);
    /* nothing of the finished call is in the database yet: still reserved, no record */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "gus"), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE user_id = ?", "gus"), 0);
    assert_int_equal(gw_store__db_exec(ddl, "DROP TRIGGER test_full"), 0);
    gw_store__db_close(ddl);
    assert_int_equal(done_wait(&f, 5000), 1);
    assert_int_equal(f.rc, 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE user_id = ?", "gus"), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE user_id = ?", "gus"), 0);
    assert_int_equal(gw_store_balance(fx->st, "gus", &bal, NULL), 0);
    assert_int_equal(bal, 10000 - 1500);
    assert_int_equal(ledger_sum(fx, "gus"), bal);
    for (int i = 0; i < 1100 && gw_store_unavailable(fx->st); i++)
        usleep(1000);
    assert_int_equal(gw_store_unavailable(fx->st), 0);
    usleep(20000);
    assert_int_equal(f.fired, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_batch_under_concurrency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusal_inside_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deferred_flush_and_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reserve_async, setup, teardown),
        cmocka_unit_test_setup_teardown(test_finish_retried, setup, teardown),
    };
    return cmocka_run_group_tests_name("ledger/batch", tests, NULL, NULL);
}
