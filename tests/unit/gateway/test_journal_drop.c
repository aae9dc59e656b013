/*
 * A finished call whose record the database refuses (gateway/store/store_journal.c journal_failed, journal_drop;
 * docs/internals/store.md "A record the database refuses"), on SQLite:
 *   - refused for itself (a trigger refuses one request id; every other call row goes in): tried a bounded number of
 *     times (GW_STORE_DROP_AFTER refusals, each proved by a probe call row the database took), then dropped: the
 *     completion carries an error (the gateway ends the response as an error), its settlement is committed alone
 *     (balance and ledger exact, no reservation left open), write_failures counts it, and the store serves other
 *     users' calls again. Before the fix it was retried forever and every new call got 503 until restart;
 *   - the same through a loop's turn (the inline commit), and for a record the store refuses itself (GW_STORE_E_INVAL);
 *   - the settlement refused, the record fine: the record goes in alone, the reservation stays open for crash recovery;
 *   - every call row refused (the database's state, not the record's): never dropped, however many attempts; new
 *     calls refused meanwhile; committed once the database takes call rows again;
 *   - a full database (SQLITE_FULL: max_page_count on the writer's connection, while a small probe row still fits):
 *     never dropped either; committed once there is room.
 * No assertion on time: waits are for events (completions, attempt counts), bounded only to fail instead of hanging.
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
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include "gateway/store/keyfile.h"
#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h" /* st->wdb, st->wlock: the full-database case */
#include "gateway/store/store_ledger.h"
#include "store_query.h"
#include "policy/crypto.h"

#define PRICE 1000

typedef struct st_done_t {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done, rc;
} done_t;

/* The completions live in the fixture, freed after the store closed: a test that fails while an item waits leaves its
 * completion to gw_store_close, which must not write into a finished test's stack frame. */
typedef struct st_fx_t {
    char dir[256], db[320], key[340];
    gw_store_t *st;
    done_t d[4];
} fx_t;

static void on_done(void *ctx, int rc, int64_t bal)
{
    (void)bal;
    done_t *d = ctx;
    pthread_mutex_lock(&d->mu);
    d->rc = rc;
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

/* Waits for the completion (fails after `s` seconds instead of hanging). */
static void wait_done(done_t *d, int s)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += s;
    pthread_mutex_lock(&d->mu);
    while (d->done == 0)
        if (pthread_cond_timedwait(&d->cv, &d->mu, &ts) != 0)
            break;
    int n = d->done;
    pthread_mutex_unlock(&d->mu);
    if (n == 0)
        fail_msg("no completion within %d s", s);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static gw_store_stats_t stats(gw_store_t *st)
{
    gw_store_stats_t s;
    gw_store_stats(st, &s);
    return s;
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

/* Waits until the store takes new calls again (fails after 20 s). */
static void wait_available(gw_store_t *st)
{
    for (int i = 0; i < 20000 && gw_store_unavailable(st); i++)
        sleep_ms(1);
    assert_int_equal(gw_store_unavailable(st), 0);
}

/* Waits until the finished calls' failed attempts reach `n` (fails after 60 s). */
static void wait_attempts(gw_store_t *st, uint64_t n)
{
    for (int i = 0; i < 60000 && stats(st).finish_failures < n; i++)
        sleep_ms(1);
    assert_true(stats(st).finish_failures >= n);
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    char err[512] = "", cfg[600];
    for (int i = 0; i < 4; i++) {
        pthread_mutex_init(&fx->d[i].mu, NULL);
        pthread_cond_init(&fx->d[i].cv, NULL);
    }
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/aigw-test-jdrop-XXXXXX");
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
    for (int i = 0; i < 4; i++) {
        pthread_mutex_destroy(&fx->d[i].mu);
        pthread_cond_destroy(&fx->d[i].cv);
    }
    free(fx);
    return rc;
}

/* A reservation of `amount` for (user, rid), committed. */
static void reserve(gw_store_t *st, const char *user, const char *rid, int64_t amount)
{
    int64_t bal = 0;
    assert_int_equal(gw_store_reserve(st, user, rid, amount, 0, &bal), 0);
}

/*
 * ann's record "bad-1" is refused for itself (a trigger on its request id); bob's calls are fine. `turn`: ann's finished
 * call is committed by a loop's turn (inline) instead of the writer.
 */
static void refused_record(fx_t *fx, int turn)
{
    gw_store_t *st = fx->st;
    assert_int_equal(gw_store_grant(st, "ann", 10 * PRICE, NULL, NULL), 0);
    assert_int_equal(gw_store_grant(st, "bob", 10 * PRICE, NULL, NULL), 0);
    reserve(st, "ann", "bad-1", 4 * PRICE);
    gw_store_stats_t s0 = stats(st);
    ts_sqlite_exec(fx->db, "CREATE TRIGGER test_refuse BEFORE INSERT ON calls WHEN NEW.request_id = 'bad-1'"
                           " BEGIN SELECT RAISE(ABORT, 'test: refused'); END");
    done_t *f = &fx->d[0], *n = &fx->d[1], *g = &fx->d[2];
    gw_store_turn_t *t = turn ? gw_store_turn_open(st, 0) : NULL;
    if (turn) {
        assert_non_null(t);
        for (int i = 0; i < 20000 && !gw_store__journal_idle(st); i++)
            sleep_ms(1);
    }
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("bad-1", "ann"), "ann", "bad-1", 1, 1500, on_done, f), 0);
    if (turn)
        assert_int_equal(gw_store_turn_commit(t, 1), 1); /* tried inline: refused, kept for the writer */
    for (int i = 0; i < 5000 && !gw_store_unavailable(st) && !is_done(f); i++)
        sleep_ms(1);
    /* while it waits: new calls refused (503), the last byte held */
    if (!is_done(f)) {
        assert_int_equal(gw_store_unavailable(st), 1);
        assert_int_equal(gw_store_reserve_async(st, "bob", "b0", PRICE, 0, NULL, on_done, n), GW_STORE_E_FULL);
    }
    /* dropped after a bounded number of attempts (before the fix: never; every call 503 until restart) */
    wait_done(f, 30);
    assert_int_not_equal(f->rc, 0); /* the gateway ends the response as an error: not a complete answer */
    gw_store_stats_t s1 = stats(st);
    assert_int_equal(s1.write_failures - s0.write_failures, 1);
    assert_int_equal(s1.finish_failures - s0.finish_failures, GW_STORE_DROP_AFTER);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "bad-1"), 0);
    /* the settlement went in alone: charged the actual amount, nothing left open */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "bad-1"), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ? AND kind = 'settle'", "bad-1"), 1);
    assert_int_equal(balance_row(fx, "ann"), 10 * PRICE - 1500);
    assert_balanced(fx, "ann");
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id LIKE 'aigw-probe%'", NULL), 0); /* no trace */
    /* the gateway recovers: other users' calls are served and logged */
    wait_available(st);
    if (turn) {
        gw_store_turn_close(t);
        t = NULL;
    }
    reserve(st, "bob", "b1", 2 * PRICE);
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("b1", "bob"), "bob", "b1", 1, 700, on_done, g), 0);
    wait_done(g, 20);
    assert_int_equal(g->rc, 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "b1"), 1);
    assert_int_equal(balance_row(fx, "bob"), 10 * PRICE - 700);
    assert_balanced(fx, "bob");
    assert_int_equal(gw_store_unavailable(st), 0);
    sleep_ms(50);
    assert_int_equal(is_done(f), 1); /* completed once */
}

static void test_refused_record_dropped(void **state)
{
    refused_record(*state, 0);
}

static void test_refused_record_dropped_inline(void **state)
{
    refused_record(*state, 1);
}

/* Another user's settlement in the same transaction as a refused record (one loop turn: both items in one inline
 * transaction, which fails for the record's sake): the settlement is tried alone and goes in at once. Before, it failed
 * with the transaction, and the call's reservation stayed open until the next start, charged in full. */
static void test_settlement_beside_refused_record_committed(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    assert_int_equal(gw_store_grant(st, "ann", 10 * PRICE, NULL, NULL), 0);
    assert_int_equal(gw_store_grant(st, "bob", 10 * PRICE, NULL, NULL), 0);
    reserve(st, "ann", "bad-1", 4 * PRICE);
    reserve(st, "bob", "b-ok", 3 * PRICE);
    ts_sqlite_exec(fx->db, "CREATE TRIGGER test_refuse BEFORE INSERT ON calls WHEN NEW.request_id = 'bad-1'"
                           " BEGIN SELECT RAISE(ABORT, 'test: refused'); END");
    done_t *f = &fx->d[0];
    gw_store_turn_t *t = gw_store_turn_open(st, 0);
    assert_non_null(t);
    for (int i = 0; i < 20000 && !gw_store__journal_idle(st); i++)
        sleep_ms(1);
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("bad-1", "ann"), "ann", "bad-1", 1, 1500, on_done, f), 0);
    assert_int_equal(gw_store_settle_deferred(st, "bob", "b-ok", 600), 0);
    assert_int_equal(gw_store_turn_commit(t, 1), 2); /* one inline transaction for both: it fails */
    gw_store_turn_close(t);
    /* bob's settlement is in right after that transaction, while ann's record still waits for its retries */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "b-ok"), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ? AND kind = 'settle'", "b-ok"), 1);
    assert_int_equal(balance_row(fx, "bob"), 10 * PRICE - 600);
    assert_balanced(fx, "bob");
    wait_done(f, 30); /* ann's record: dropped at the bound as before */
    assert_int_not_equal(f->rc, 0);
    assert_int_equal(balance_row(fx, "ann"), 10 * PRICE - 1500);
    assert_balanced(fx, "ann");
    wait_available(st);
}

/* The settlement is what the database refuses (a trigger on its ledger row), the record is fine: at the bound the record
 * goes in alone (a complete answer: its record is committed), the reservation stays open for crash recovery. */
static void test_refused_settlement_record_kept(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    assert_int_equal(gw_store_grant(st, "fay", 10 * PRICE, NULL, NULL), 0);
    reserve(st, "fay", "bad-2", 4 * PRICE);
    gw_store_stats_t s0 = stats(st);
    ts_sqlite_exec(fx->db, "CREATE TRIGGER test_refuse BEFORE INSERT ON ledger WHEN NEW.request_id = 'bad-2'"
                           " AND NEW.kind = 'settle' BEGIN SELECT RAISE(ABORT, 'test: refused'); END");
    done_t *f = &fx->d[0];
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("bad-2", "fay"), "fay", "bad-2", 1, 1500, on_done, f), 0);
    wait_done(f, 30);
    assert_int_equal(f->rc, 0); /* the record is committed: the answer may complete */
    gw_store_stats_t s1 = stats(st);
    assert_int_equal(s1.write_failures - s0.write_failures, 1);
    assert_int_equal(s1.finish_failures - s0.finish_failures, GW_STORE_DROP_AFTER);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "bad-2"), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ? AND kind = 'settle'", "bad-2"), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "bad-2"), 1); /* for recovery */
    assert_int_equal(balance_row(fx, "fay"), 6 * PRICE); /* still held at the reservation */
    assert_balanced(fx, "fay");
    wait_available(st);
}

/* A record the store itself refuses (a user id no call row may have: GW_STORE_E_INVAL) and nothing to settle: dropped
 * the same way (before the fix: kept forever, every call 503). */
static void test_invalid_record_dropped(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    gw_store_stats_t s0 = stats(st);
    done_t *f = &fx->d[0], *g = &fx->d[2];
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("inv-1", "bad\001user"), NULL, NULL, 0, 0, on_done, f), 0);
    wait_done(f, 30);
    assert_int_not_equal(f->rc, 0);
    gw_store_stats_t s1 = stats(st);
    assert_int_equal(s1.write_failures - s0.write_failures, 1);
    assert_int_equal(s1.finish_failures - s0.finish_failures, GW_STORE_DROP_AFTER);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls", NULL), 0);
    wait_available(st);
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("ok-1", "eve"), NULL, NULL, 0, 0, on_done, g), 0);
    wait_done(g, 20);
    assert_int_equal(g->rc, 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "ok-1"), 1);
}

/* Every call row refused: the database's state, not the record's. Kept past many attempts, committed once possible. */
static void test_every_call_row_refused_kept(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    assert_int_equal(gw_store_grant(st, "cy", 10 * PRICE, NULL, NULL), 0);
    reserve(st, "cy", "c1", 4 * PRICE);
    gw_store_stats_t s0 = stats(st);
    ts_sqlite_exec(fx->db, "CREATE TRIGGER test_refuse BEFORE INSERT ON calls BEGIN SELECT RAISE(ABORT, 'test: refused'); END");
    done_t *f = &fx->d[0], *n = &fx->d[1];
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("c1", "cy"), "cy", "c1", 1, 1500, on_done, f), 0);
    wait_attempts(st, s0.finish_failures + 2 * GW_STORE_DROP_AFTER);
    assert_int_equal(is_done(f), 0); /* held: never dropped */
    assert_int_equal(gw_store_unavailable(st), 1);
    assert_int_equal(gw_store_reserve_async(st, "cy", "c2", PRICE, 0, NULL, on_done, n), GW_STORE_E_FULL);
    assert_int_equal(stats(st).write_failures, s0.write_failures);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "c1"), 1);
    ts_sqlite_exec(fx->db, "DROP TRIGGER test_refuse");
    wait_done(f, 20);
    assert_int_equal(f->rc, 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "c1"), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "c1"), 0);
    assert_int_equal(balance_row(fx, "cy"), 10 * PRICE - 1500);
    assert_balanced(fx, "cy");
    wait_available(st);
}

/* Sets the writer connection's max_page_count (0: the file's page count now, so no page can be added). */
static void writer_max_pages(gw_store_t *st, int64_t n)
{
    char sql[96];
    pthread_mutex_lock(&st->wlock);
    if (n == 0) {
        gw_store_stmt_t *s = gw_store__db_prepare(st->wdb, "PRAGMA page_count");
        assert_non_null(s);
        assert_int_equal(gw_store__step(s), 1);
        n = gw_store__col_int64(s, 0);
        gw_store__db_finalize(s);
    }
    snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld", (long long)n);
    assert_int_equal(gw_store__db_exec(st->wdb, sql), 0);
    pthread_mutex_unlock(&st->wlock);
}

/* A full database (SQLITE_FULL for a record of many pages while a one-row probe still fits): never dropped. */
static void test_full_database_kept(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    assert_int_equal(gw_store_grant(st, "dee", 10 * PRICE, NULL, NULL), 0);
    reserve(st, "dee", "d1", 4 * PRICE);
    gw_store_stats_t s0 = stats(st);
    gw_call_rec_t *r = ts_call_rec("d1", "dee");
    /* 64 KiB in the row itself, overflow pages (the bodies are in a segment file since schema version 14) */
    free(r->model);
    r->model = malloc(64 * 1024);
    assert_non_null(r->model);
    memset(r->model, 'x', 64 * 1024 - 1);
    r->model[64 * 1024 - 1] = '\0';
    writer_max_pages(st, 0);
    done_t *f = &fx->d[0];
    assert_int_equal(gw_store_finish_async(st, r, "dee", "d1", 1, 1500, on_done, f), 0);
    wait_attempts(st, s0.finish_failures + 2 * GW_STORE_DROP_AFTER);
    assert_int_equal(is_done(f), 0); /* held: a full database never drops a record */
    assert_int_equal(gw_store_unavailable(st), 1);
    assert_int_equal(stats(st).write_failures, s0.write_failures);
    writer_max_pages(st, 1 << 30);
    wait_done(f, 20);
    assert_int_equal(f->rc, 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "d1"), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "d1"), 0);
    assert_int_equal(balance_row(fx, "dee"), 10 * PRICE - 1500);
    assert_balanced(fx, "dee");
}

/* SQLite (schema version 14): the call's bodies cannot be written to their segment file (a full disk,
 * injected: every flush fails with ENOSPC). A store failure like a failed COMMIT: the record is kept and
 * retried (never dropped, never committed without its bodies), new calls are refused, and once the
 * segment takes bytes again the record is committed with its bodies readable. */
static void test_segment_write_failure_kept(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    assert_int_equal(gw_store_grant(st, "fay", 10 * PRICE, NULL, NULL), 0);
    reserve(st, "fay", "f1", 4 * PRICE);
    gw_store_stats_t s0 = stats(st);
    pthread_mutex_lock(&st->wlock);
    assert_true(st->bodies.on);
    st->bodies.fault = ENOSPC;
    pthread_mutex_unlock(&st->wlock);
    done_t *f = &fx->d[0];
    assert_int_equal(gw_store_finish_async(st, ts_call_rec("f1", "fay"), "fay", "f1", 1, 1500, on_done, f), 0);
    wait_attempts(st, s0.finish_failures + 2 * GW_STORE_DROP_AFTER);
    assert_int_equal(is_done(f), 0); /* held */
    assert_int_equal(gw_store_unavailable(st), 1);
    assert_int_equal(stats(st).write_failures, s0.write_failures);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "f1"), 0);
    pthread_mutex_lock(&st->wlock);
    st->bodies.fault = 0;
    pthread_mutex_unlock(&st->wlock);
    wait_done(f, 20);
    assert_int_equal(f->rc, 0);
    assert_int_equal(
        raw_int(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ? AND body_seg IS NOT NULL AND request_ct IS NULL", "f1"), 1);
    assert_int_equal(balance_row(fx, "fay"), 10 * PRICE - 1500);
    assert_balanced(fx, "fay");
    wait_available(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refused_record_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_record_dropped_inline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settlement_beside_refused_record_committed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_settlement_record_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_record_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_call_row_refused_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_database_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_segment_write_failure_kept, setup, teardown),
    };
    return cmocka_run_group_tests_name("journal/drop (sqlite)", tests, NULL, NULL);
}
