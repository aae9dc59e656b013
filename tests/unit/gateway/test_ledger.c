/*
 * gateway/store ledger (store_ledger.h) on both backends: SQLite, and PostgreSQL (a throwaway
 * server from scripts/pg-test-server.sh, or AIGW_TEST_PG_DSN; each test in its own schema).
 * Reserve/settle/grant arithmetic and idempotency, the invariant "balance = sum of the user's
 * ledger rows", 200 concurrent reservations from 8 threads against credit for exactly 10 (one
 * handle, then two handles = two instances on one database), crash recovery, Idempotency-Key
 * records and the usage report.
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

#include "gateway/admin_ops.h"
#include "gateway/usage_report.h"
#include "gateway/cmd_meter.h"
#include "gateway/store/keyfile.h"
#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "store_query.h"
#include "pg_server.h"
#include "store_search.h"
#include "gateway/store/store_ledger.h"
#include "policy/crypto.h"

#define T0 INT64_C(1763700000000000) /* 2025-11-21 */

static int use_pg;
static char pg_base_dsn[512];
static int pg_started_here;
static int seq;

typedef struct st_fx_t {
    char dir[256], db[320], key[340], schema[64], dsn[700];
    int64_t clock;
    gw_store_t *st;
} fx_t;

static int64_t fx_clock(void *ctx)
{
    return *(int64_t *)ctx;
}

static gw_store_db_t *raw_open(fx_t *fx)
{
    char err[256];
    gw_store_db_t *db =
        use_pg ? gw_store__db_open_pg(fx->dsn, err, sizeof(err)) : gw_store__db_open_sqlite(fx->db, err, sizeof(err));
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

static void raw_exec(fx_t *fx, const char *sql)
{
    gw_store_db_t *db = raw_open(fx);
    if (gw_store__db_exec(db, sql) != 0)
        fail_msg("exec %s: %s", sql, gw_store__db_errmsg(db));
    gw_store__db_close(db);
}

static int64_t ledger_sum(fx_t *fx, const char *user)
{
    return raw_int(fx, "SELECT CAST(COALESCE(SUM(amount_microcredits), 0) AS BIGINT) FROM ledger WHERE user_id = ?", user);
}

static gw_store_t *open_store(fx_t *fx)
{
    char cfg[1024], err[512] = "";
    if (use_pg)
        snprintf(cfg, sizeof(cfg), "{\"driver\":\"postgres\",\"dsn\":\"%s\",\"purge_interval_s\":0}", fx->dsn);
    else
        snprintf(cfg, sizeof(cfg), "{\"driver\":\"sqlite\",\"path\":\"%s\",\"purge_interval_s\":0}", fx->db);
    json_t *sc = json_loads(cfg, 0, NULL);
    gw_store_t *st = gw_store_open(sc, NULL, NULL, fx->key, err, sizeof(err));
    json_decref(sc);
    if (st == NULL)
        fail_msg("open: %s", err);
    gw_store_set_clock(st, fx_clock, &fx->clock);
    return st;
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    char err[256];
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/aigw-test-ledger-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->db, sizeof(fx->db), "%s/aigw.db", fx->dir);
    snprintf(fx->key, sizeof(fx->key), "%s/master.key", fx->dir);
    pol_key_t *k = pol_key_new_random();
    if (gw_keyfile_write(fx->key, k, err, sizeof(err)) != 0)
        return -1;
    pol_key_free(k);
    fx->clock = T0;
    if (use_pg) {
        snprintf(fx->schema, sizeof(fx->schema), "l_%d_%d", (int)getpid(), ++seq);
        if (pg_schema_create(pg_base_dsn, fx->schema, fx->dsn, sizeof(fx->dsn)) != 0)
            return -1;
    }
    fx->st = open_store(fx);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    char cmd[600];
    gw_store_close(fx->st);
    if (use_pg)
        pg_schema_drop(pg_base_dsn, fx->schema);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

/* ---- arithmetic ---- */

static void test_reserve_settle(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    int64_t bal = -1, res = -1;
    assert_int_equal(gw_store_balance(st, "alice", &bal, &res), GW_STORE_E_NOTFOUND);
    /* first sight: default grant 1000, reserve 300 */
    assert_int_equal(gw_store_reserve(st, "alice", "r1", 300, 1000, &bal), 0);
    assert_int_equal(bal, 700);
    assert_int_equal(gw_store_balance(st, "alice", &bal, &res), 0);
    assert_int_equal(bal, 700);
    assert_int_equal(res, 300);
    /* same request id again: nothing changes */
    assert_int_equal(gw_store_reserve(st, "alice", "r1", 300, 1000, &bal), 0);
    assert_int_equal(bal, 700);
    /* too much: 402, nothing written */
    assert_int_equal(gw_store_reserve(st, "alice", "r2", 701, 1000, &bal), GW_E_CREDITS);
    assert_int_equal(bal, 700);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ?", "r2"), 0);
    /* settle below the reservation: one settle row gives the difference back, no refund row */
    assert_int_equal(gw_store_settle(st, "alice", "r1", 120, &bal), 0);
    assert_int_equal(bal, 880);
    assert_int_equal(raw_int(fx, "SELECT amount_microcredits FROM ledger WHERE request_id = ? AND kind = 'settle'", "r1"), 180);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ?", "r1"), 2);
    assert_int_equal(gw_store_settle(st, "alice", "r1", 120, &bal), 0); /* idempotent */
    assert_int_equal(bal, 880);
    assert_int_equal(gw_store_balance(st, "alice", &bal, &res), 0);
    assert_int_equal(res, 0);
    /* settle above: charged in full, flagged */
    assert_int_equal(gw_store_reserve(st, "alice", "r3", 100, 1000, &bal), 0);
    assert_int_equal(gw_store_settle(st, "alice", "r3", 250, &bal), 0);
    assert_int_equal(bal, 630);
    assert_int_equal(raw_int(fx, "SELECT flagged FROM ledger WHERE request_id = ? AND kind = 'settle'", "r3"), 1);
    assert_int_equal(raw_int(fx, "SELECT amount_microcredits FROM ledger WHERE request_id = ? AND kind = 'settle'", "r3"), -150);
    /* a new user whose default grant cannot cover the reservation: 402, and no row names them */
    assert_int_equal(gw_store_reserve(st, "carol", "c1", 1001, 1000, &bal), GW_E_CREDITS);
    assert_int_equal(bal, 1000);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM users WHERE id = ?", "carol"), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_balances WHERE user_id = ?", "carol"), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE user_id = ?", "carol"), 0);
    /* upstream failure: full refund */
    assert_int_equal(gw_store_reserve(st, "alice", "r4", 600, 1000, &bal), 0);
    assert_int_equal(bal, 30);
    assert_int_equal(gw_store_settle(st, "alice", "r4", 0, &bal), 0);
    assert_int_equal(bal, 630);
    /* unknown request, other user's request */
    assert_int_equal(gw_store_settle(st, "alice", "nope", 1, NULL), GW_STORE_E_NOTFOUND);
    assert_int_equal(gw_store_reserve(st, "bob", "b1", 0, 0, &bal), 0);
    assert_int_equal(gw_store_settle(st, "alice", "b1", 0, NULL), GW_STORE_E_INVAL);
    /* nothing written: bob's reservation is still open (on PostgreSQL the batched DELETE found it by request id and
     * deleted it; the transaction was rolled back and applied again in order) */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_open WHERE request_id = ?", "b1"), 1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ? AND kind = 'settle'", "b1"), 0);
    /* grants and adjustments */
    assert_int_equal(gw_store_grant(st, "alice", 5000, "top-up", &bal), 0);
    assert_int_equal(bal, 5630);
    assert_int_equal(gw_store_grant(st, "alice", -630, "correction", &bal), 0);
    assert_int_equal(bal, 5000);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE kind = 'adjust' AND note = ?", "correction"), 1);
    /* the invariant */
    assert_int_equal(gw_store_balance(st, "alice", &bal, &res), 0);
    assert_int_equal(ledger_sum(fx, "alice"), bal);
    /* a user seen again after erasure gets no second default grant */
    gw_erasure_receipt_t rc;
    assert_int_equal(
        raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE kind = 'grant' AND request_id LIKE 'default-grant:%' AND user_id = ?",
                "alice"),
        1);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = 'default-grant:' || ?", "alice"), 0);
    assert_int_equal(gw_store_forget_user(st, "alice", &rc), 0);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM credit_balances WHERE user_id = ?", "alice"), 0);
    {
        /* issue 14: no column of any table holds the id (the default grant's request id is a
         * keyed hash, not "default-grant:alice") */
        gw_store_db_t *db = raw_open(fx);
        assert_true(store_search_everywhere(db, use_pg, fx->schema, "bob") > 0);
        assert_int_equal(store_search_everywhere(db, use_pg, fx->schema, "alice"), 0);
        gw_store__db_close(db);
    }
    assert_int_equal(gw_store_reserve(st, "alice", "r9", 1, 1000, &bal), GW_E_CREDITS);
    /* bad arguments */
    assert_int_equal(gw_store_reserve(st, "", "x", 1, 0, NULL), GW_STORE_E_INVAL);
    assert_int_equal(gw_store_reserve(st, "u", "x", -1, 0, NULL), GW_STORE_E_INVAL);
    assert_int_equal(gw_store_reserve(st, "u", "0123456789012345678901234567890123456789", 1, 0, NULL), GW_STORE_E_INVAL);
    /* a user id that creates rows follows the one rule (common/userid.h): no control characters, valid UTF-8 */
    assert_int_equal(gw_store_reserve(st, "u\x01", "x", 1, 0, NULL), GW_STORE_E_INVAL);
    assert_int_equal(gw_store_grant(st, "u\xff", 1, "test", NULL), GW_STORE_E_INVAL);
    assert_int_not_equal(gw_store_reserve(st, "\xc3\xa9t\xc3\xa9", "x", 1, 0, NULL), GW_STORE_E_INVAL);
}

/* Issue 12 session 11 (docs/internals/metering.md "The balance row across transactions"): on
 * SQLite a journal transaction starts with the balance row the last one committed while nothing
 * committed since (the writer connection's data version); a change by another connection is read. */
static void test_balance_row_across_transactions(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    int64_t bal = -1;
    gw_store_ledger_stats_t s0, s1;
    assert_int_equal(gw_store_reserve(st, "dan", "d1", 100, 1000, &bal), 0);
    assert_int_equal(gw_store_settle(st, "dan", "d1", 40, &bal), 0);
    assert_int_equal(bal, 960);
    gw_store_ledger_stats(st, &s0);
    for (int i = 2; i <= 5; i++) { /* one transaction each */
        char rid[8];
        snprintf(rid, sizeof(rid), "d%d", i);
        assert_int_equal(gw_store_reserve(st, "dan", rid, 100, 1000, &bal), 0);
        assert_int_equal(bal, 960 - (i - 2) * 40 - 100);
        assert_int_equal(gw_store_settle(st, "dan", rid, 40, &bal), 0);
        assert_int_equal(bal, 960 - (i - 1) * 40);
    }
    gw_store_ledger_stats(st, &s1);
    assert_int_equal(s1.bal_reads - s0.bal_reads, use_pg ? 8 : 0);
    assert_int_equal(ledger_sum(fx, "dan"), 800);
    /* another connection takes the credits away: the next reservation reads the row and is refused */
    raw_exec(fx, "UPDATE credit_balances SET balance = 50 WHERE user_id = 'dan'");
    assert_int_equal(gw_store_reserve(st, "dan", "d6", 100, 1000, &bal), GW_E_CREDITS);
    assert_int_equal(bal, 50);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ?", "d6"), 0);
    /* another store on the same database grants: seen too */
    gw_store_t *b = open_store(fx);
    assert_int_equal(gw_store_grant(b, "dan", 1000, "top-up", NULL), 0);
    gw_store_close(b);
    assert_int_equal(gw_store_reserve(st, "dan", "d7", 100, 1000, &bal), 0);
    assert_int_equal(bal, 950);
    /* a settlement after a failed reservation of another user in between: still exact */
    assert_int_equal(gw_store_reserve(st, "eve", "e1", 5000, 1000, &bal), GW_E_CREDITS);
    assert_int_equal(gw_store_settle(st, "dan", "d7", 100, &bal), 0);
    assert_int_equal(bal, 950);
    assert_int_equal(raw_int(fx, "SELECT balance FROM credit_balances WHERE user_id = ?", "dan"), 950);
}

static void test_user_info(void **state)
{
    fx_t *fx = *state;
    gw_store_user_info_t info;
    assert_int_equal(gw_store_user_info(fx->st, "carol", &info), GW_STORE_E_NOTFOUND);
    assert_int_equal(gw_store_grant(fx->st, "carol", 42, NULL, NULL), 0);
    assert_int_equal(gw_store_reserve(fx->st, "carol", "c1", 40, 0, NULL), 0);
    assert_int_equal(gw_store_user_info(fx->st, "carol", &info), 0);
    assert_int_equal(info.balance, 2);
    assert_int_equal(info.reserved, 40);
    assert_int_equal(info.created_at_us, T0);
    assert_int_equal(info.consent_training, 0);
}

/* ---- concurrency ---- */

#define THREADS 8
#define ATTEMPTS 200
#define PRICE 1000

typedef struct st_race_t {
    gw_store_t *st[2];
    int next; /* attempt counter */
    int ok, refused, errors, negative;
    pthread_mutex_t lock;
} race_t;

static void *racer(void *arg)
{
    race_t *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        int i = r->next++;
        pthread_mutex_unlock(&r->lock);
        if (i >= ATTEMPTS)
            break;
        char rid[GW_REQUEST_ID_MAX + 1];
        snprintf(rid, sizeof(rid), "race-%d", i);
        int64_t bal = 0;
        int rc = gw_store_reserve(r->st[i % 2], "racer", rid, PRICE, 0, &bal);
        pthread_mutex_lock(&r->lock);
        if (rc == 0)
            r->ok++;
        else if (rc == GW_E_CREDITS)
            r->refused++;
        else
            r->errors++;
        if (bal < 0)
            r->negative++;
        pthread_mutex_unlock(&r->lock);
    }
    return NULL;
}

static void race(fx_t *fx, gw_store_t *second)
{
    race_t r = {{fx->st, second ? second : fx->st}, 0, 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER};
    assert_int_equal(gw_store_grant(fx->st, "racer", 10 * PRICE, "exactly ten calls", NULL), 0);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, racer, &r), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(r.errors, 0);
    assert_int_equal(r.ok, 10);
    assert_int_equal(r.refused, ATTEMPTS - 10);
    assert_int_equal(r.negative, 0);
    int64_t bal, res;
    assert_int_equal(gw_store_balance(fx->st, "racer", &bal, &res), 0);
    assert_int_equal(bal, 0);
    assert_int_equal(res, 10 * PRICE);
    assert_int_equal(ledger_sum(fx, "racer"), bal);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE kind = 'reserve' AND user_id = ?", "racer"), 10);
    /* settle them all at half price: balance = sum again, nothing reserved */
    for (int i = 0; i < ATTEMPTS; i++) {
        char rid[GW_REQUEST_ID_MAX + 1];
        snprintf(rid, sizeof(rid), "race-%d", i);
        int rc = gw_store_settle(second && i % 2 ? second : fx->st, "racer", rid, PRICE / 2, NULL);
        assert_true(rc == 0 || rc == GW_STORE_E_NOTFOUND);
    }
    assert_int_equal(gw_store_balance(fx->st, "racer", &bal, &res), 0);
    assert_int_equal(bal, 10 * PRICE / 2);
    assert_int_equal(res, 0);
    assert_int_equal(ledger_sum(fx, "racer"), bal);
}

static void test_concurrent_reservations(void **state)
{
    race(*state, NULL);
}

static void test_two_instances(void **state)
{
    fx_t *fx = *state;
    gw_store_t *b = open_store(fx);
    race(fx, b);
    gw_store_close(b);
}

/* ---- crash recovery ---- */

static void test_crash_recovery(void **state)
{
    fx_t *fx = *state;
    int64_t bal, res, n = -1;
    assert_int_equal(gw_store_grant(fx->st, "dave", 1000, NULL, NULL), 0);
    assert_int_equal(gw_store_reserve(fx->st, "dave", "d1", 300, 0, NULL), 0);
    assert_int_equal(gw_store_reserve(fx->st, "dave", "d2", 200, 0, NULL), 0);
    assert_int_equal(gw_store_settle(fx->st, "dave", "d2", 50, NULL), 0);
    /* our own open reservation is not "left by an instance that is gone" */
    assert_int_equal(gw_store_settle_open_reservations(fx->st, &n), 0);
    assert_int_equal(n, 0);
    if (use_pg) {
        /* a second live instance must not settle it either (the first holds its lock) */
        gw_store_t *b = open_store(fx);
        assert_int_equal(gw_store_settle_open_reservations(b, &n), 0);
        assert_int_equal(n, 0);
        gw_store_close(b);
    }
    /* "crash": the handle goes away without settling d1 */
    gw_store_close(fx->st);
    fx->st = open_store(fx);
    assert_int_equal(gw_store_settle_open_reservations(fx->st, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(gw_store_balance(fx->st, "dave", &bal, &res), 0);
    assert_int_equal(bal, 1000 - 300 - 50);
    assert_int_equal(res, 0);
    assert_int_equal(ledger_sum(fx, "dave"), bal);
    assert_int_equal(raw_int(fx, "SELECT flagged FROM ledger WHERE request_id = ? AND kind = 'settle'", "d1"), 1);
    /* the late settle of the recovered call changes nothing */
    assert_int_equal(gw_store_settle(fx->st, "dave", "d1", 10, &bal), 0);
    assert_int_equal(bal, 650);
    assert_int_equal(gw_store_settle_open_reservations(fx->st, &n), 0);
    assert_int_equal(n, 0);
}

/* ---- idempotency keys ---- */

static void test_idempotency(void **state)
{
    fx_t *fx = *state;
    int status = -1;
    char rid[GW_REQUEST_ID_MAX + 1];
    assert_int_equal(gw_store_idempotency_get(fx->st, "erin", "k1", &status, rid), GW_STORE_E_NOTFOUND);
    assert_int_equal(gw_store_idempotency_put(fx->st, "erin", "k1", 0, "req-a"), 0);
    assert_int_equal(gw_store_idempotency_put(fx->st, "erin", "k1", 0, "req-b"), 1);  /* retry: not ours */
    assert_int_equal(gw_store_idempotency_put(fx->st, "frank", "k1", 0, "req-c"), 0); /* keys are per user */
    assert_int_equal(gw_store_idempotency_get(fx->st, "erin", "k1", &status, rid), 0);
    assert_int_equal(status, 0);
    assert_string_equal(rid, "req-a");
    assert_int_equal(gw_store_idempotency_put(fx->st, "erin", "k1", 200, "req-b"), GW_STORE_E_NOTFOUND);
    assert_int_equal(gw_store_idempotency_put(fx->st, "erin", "k1", 402, "req-a"), 0);
    assert_int_equal(gw_store_idempotency_get(fx->st, "erin", "k1", &status, rid), 0);
    assert_int_equal(status, 402);
    /* after 24 h the key is forgotten and can be claimed again */
    fx->clock += GW_STORE_IDEM_TTL_US + 1;
    assert_int_equal(gw_store_idempotency_get(fx->st, "erin", "k1", &status, rid), GW_STORE_E_NOTFOUND);
    assert_int_equal(gw_store_idempotency_put(fx->st, "erin", "k1", 0, "req-d"), 0);
    assert_int_equal(gw_store_idempotency_get(fx->st, "erin", "k1", &status, rid), 0);
    assert_string_equal(rid, "req-d");
    int64_t n;
    fx->clock += GW_STORE_IDEM_TTL_US + 1;
    assert_int_equal(gw_store_settle_open_reservations(fx->st, &n), 0); /* also drops expired keys */
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM idempotency WHERE user_id = ?", "erin"), 0);
}

/* ---- report ---- */

static void submit_call(gw_store_t *st, const char *rid, const char *user, const char *provider, const char *model)
{
    gw_call_rec_t *r = calloc(1, sizeof(*r));
    snprintf(r->request_id, sizeof(r->request_id), "%s", rid);
    snprintf(r->provider, sizeof(r->provider), "%s", provider);
    r->user_id = strdup(user);
    r->client = strdup("backend");
    r->model = strdup(model);
    r->route = strdup("/v1/chat/completions");
    r->status = 200;
    r->request_body = strdup("{\"messages\":[{\"content\":\"secret prompt text\"}]}");
    r->request_len = strlen(r->request_body);
    assert_int_equal(gw_store_submit_call(st, r), 0);
}

static void test_usage_report(void **state)
{
    fx_t *fx = *state;
    gw_store_t *st = fx->st;
    assert_int_equal(gw_store_grant(st, "u1", 100000, NULL, NULL), 0);
    assert_int_equal(gw_store_grant(st, "u2", 100000, NULL, NULL), 0);
    assert_int_equal(gw_store_reserve(st, "u1", "q1", 1000, 0, NULL), 0);
    assert_int_equal(gw_store_settle(st, "u1", "q1", 400, NULL), 0);
    assert_int_equal(gw_store_reserve(st, "u1", "q2", 1000, 0, NULL), 0);
    assert_int_equal(gw_store_settle(st, "u1", "q2", 1500, NULL), 0);
    fx->clock += INT64_C(86400000000);
    assert_int_equal(gw_store_reserve(st, "u2", "q3", 700, 0, NULL), 0); /* still open */
    submit_call(st, "q1", "u1", "openai", "gpt-4o-mini");
    submit_call(st, "q2", "u1", "anthropic", "claude-sonnet-4-5");
    assert_int_equal(gw_store_flush(st), 0);

    gw_buf_t b = GW_BUF_INIT;
    assert_int_equal(gw_usage_report(st, 0, 0, GW_USAGE_BY_USER, GW_USAGE_JSON, &b), 0);
    json_t *doc = json_loadb(b.base, b.len, 0, NULL);
    assert_non_null(doc);
    json_t *rows = json_object_get(doc, "rows");
    assert_int_equal(json_array_size(rows), 2);
    json_t *r0 = json_array_get(rows, 0);
    assert_string_equal(json_string_value(json_object_get(r0, "key")), "u1");
    assert_int_equal(json_integer_value(json_object_get(r0, "requests")), 2);
    assert_int_equal(json_integer_value(json_object_get(r0, "charged_microcredits")), 1900);
    assert_int_equal(json_integer_value(json_object_get(r0, "refunded_microcredits")), 600);
    assert_int_equal(json_integer_value(json_object_get(r0, "flagged")), 1);
    json_t *r1 = json_array_get(rows, 1);
    assert_int_equal(json_integer_value(json_object_get(r1, "open_reservations")), 1);
    json_decref(doc);

    gw_buf_reset(&b);
    assert_int_equal(gw_usage_report(st, 0, 0, GW_USAGE_BY_PROVIDER, GW_USAGE_CSV, &b), 0);
    gw_buf_append(&b, "", 1);
    assert_string_equal(b.base,
                        "provider,requests,charged_microcredits,refunded_microcredits,open_reservations,flagged,"
                        "input_tokens,output_tokens,images,compute_ms\r\n"
                        "anthropic,1,1500,0,0,1,0,0,0,0\r\nopenai,1,400,600,0,0,0,0,0,0\r\nunknown,1,700,0,1,0,0,0,0,0\r\n");
    gw_buf_reset(&b);
    assert_int_equal(gw_usage_report(st, 0, 0, GW_USAGE_BY_DAY, GW_USAGE_CSV, &b), 0);
    gw_buf_append(&b, "", 1);
    assert_non_null(strstr(b.base, "\n2025-11-21,2,1900,600,0,1,0,0,0,0\r\n2025-11-22,1,700,0,1,0,0,0,0,0\r\n"));
    /* a window: only the second day */
    gw_buf_reset(&b);
    assert_int_equal(gw_usage_report(st, T0 + INT64_C(3600000000), 0, GW_USAGE_BY_MODEL, GW_USAGE_TABLE, &b), 0);
    gw_buf_append(&b, "", 1);
    assert_non_null(strstr(b.base, "unknown"));
    assert_null(strstr(b.base, "gpt-4o-mini"));
    assert_null(strstr(b.base, "secret prompt"));
    assert_int_equal(gw_usage_report(st, 10, 5, GW_USAGE_BY_DAY, GW_USAGE_CSV, &b), GW_STORE_E_INVAL);
    /* a call settled before the single settle row (a settle row of 0 and a refund row) reads the same */
    raw_exec(fx, "INSERT INTO ledger(user_id, request_id, kind, amount_microcredits, at) VALUES"
                 " ('u3', 'old1', 'reserve', -1000, 1764000000000000), ('u3', 'old1', 'settle', 0, 1764000000000001),"
                 " ('u3', 'old1', 'refund', 250, 1764000000000001)");
    gw_buf_reset(&b);
    assert_int_equal(gw_usage_report(st, 0, 0, GW_USAGE_BY_USER, GW_USAGE_CSV, &b), 0);
    gw_buf_append(&b, "", 1);
    assert_non_null(strstr(b.base, "\r\nu3,1,750,250,0,0,0,0,0,0\r\n"));
    gw_buf_free(&b);
}

/* ---- admin handlers and CLI ---- */

static int admin(fx_t *fx, const char *method, const char *path, const char *query, const char *body, gw_buf_t *out,
                 const char **ct)
{
    int status = 0;
    gw_buf_reset(out);
    int rc = gw_admin_ops_handle(fx->st, method, path, query, body, body ? strlen(body) : 0, &status, out, ct);
    gw_buf_append(out, "", 1);
    return rc == 0 ? status : rc;
}

static void test_admin_ops(void **state)
{
    fx_t *fx = *state;
    gw_buf_t b = GW_BUF_INIT;
    const char *ct;
    assert_int_equal(admin(fx, "GET", "/users/gina", NULL, NULL, &b, &ct), 404);
    assert_int_equal(
        admin(fx, "POST", "/users/gina%20g/credits", NULL, "{\"amount_microcredits\": 2500, \"reason\": \"promo\"}", &b, &ct), 200);
    json_t *doc = json_loads(b.base, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(doc, "id")), "gina g");
    assert_int_equal(json_integer_value(json_object_get(doc, "balance_microcredits")), 2500);
    assert_int_equal(json_integer_value(json_object_get(doc, "reserved_microcredits")), 0);
    assert_true(json_is_false(json_object_get(doc, "consent_training")));
    assert_int_equal(json_integer_value(json_object_get(doc, "created_at")), T0);
    json_decref(doc);
    assert_int_equal(gw_store_reserve(fx->st, "gina g", "g1", 500, 0, NULL), 0);
    assert_int_equal(admin(fx, "GET", "/users/gina%20g", NULL, NULL, &b, &ct), 200);
    assert_non_null(strstr(b.base, "\"reserved_microcredits\":500"));
    assert_int_equal(admin(fx, "POST", "/users/gina/credits", NULL, "{\"amount_microcredits\": \"5\"}", &b, &ct), 400);
    assert_int_equal(admin(fx, "POST", "/users/gina/credits", NULL, "not json", &b, &ct), 400);
    assert_int_equal(admin(fx, "PUT", "/users/gina/credits", NULL, "{}", &b, &ct), 405);
    assert_int_equal(admin(fx, "GET", "/users/gina/export", NULL, NULL, &b, &ct), GW_E_NOT_FOUND);
    assert_int_equal(admin(fx, "DELETE", "/users/gina", NULL, NULL, &b, &ct), GW_E_NOT_FOUND);
    assert_int_equal(admin(fx, "GET", "/usage", "group_by=user&format=csv&from=2025-11-01", NULL, &b, &ct), 200);
    assert_string_equal(ct, "text/csv; charset=utf-8");
    assert_non_null(strstr(b.base, "\ngina g,1,500,0,1,0,0,0,0,0\r\n"));
    assert_int_equal(admin(fx, "GET", "/usage", NULL, NULL, &b, &ct), 200);
    assert_string_equal(ct, "application/json");
    assert_int_equal(admin(fx, "GET", "/usage", "group_by=planet", NULL, &b, &ct), 400);
    assert_int_equal(admin(fx, "GET", "/usage", "from=2025-11-02&to=2025-11-01", NULL, &b, &ct), 400);
    gw_buf_free(&b);
}

static void test_cli(void **state)
{
    fx_t *fx = *state;
    if (use_pg)
        return; /* the CLI opens the store from a config file; one backend is enough here */
    char cfg[1024], conf[400];
    snprintf(conf, sizeof(conf), "%s/aigw.json", fx->dir);
    snprintf(cfg, sizeof(cfg), "{\"store\": {\"driver\": \"sqlite\", \"path\": \"%s\"}, \"master_key_file\": \"%s\"}", fx->db,
             fx->key);
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    fputs(cfg, f);
    fclose(f);
    char *grant[] = {"user", "grant", "hank", "--microcredits", "7000", "--reason", "welcome", "--config", conf};
    assert_int_equal(gw_cmd_meter_user(9, grant), 0);
    char *bal[] = {"user", "balance", "hank", "--config", conf};
    assert_int_equal(gw_cmd_meter_user(5, bal), 0);
    char *bad[] = {"user", "grant", "hank", "--microcredits", "12x", "--config", conf};
    assert_int_equal(gw_cmd_meter_user(7, bad), 2);
    /* issue 13: a bare amount has no unit: refused, nothing granted */
    char *bare[] = {"user", "grant", "hank", "5", "--config", conf};
    assert_int_equal(gw_cmd_meter_user(6, bare), 2);
    char *both[] = {"user", "grant", "hank", "--credits", "5", "--microcredits", "5", "--config", conf};
    assert_int_equal(gw_cmd_meter_user(9, both), 2);
    char *cr[] = {"user", "grant", "hank", "--credits", "0.5", "--config", conf};
    assert_int_equal(gw_cmd_meter_user(7, cr), 0);
    char *rep[] = {"report", "usage", "--group-by", "user", "--format", "csv", "--config", conf};
    assert_int_equal(gw_cmd_report(8, rep), 0);
    char *rep_bad[] = {"report", "usage", "--group-by", "galaxy", "--config", conf};
    assert_int_equal(gw_cmd_report(6, rep_bad), 2);
    int64_t b;
    assert_int_equal(gw_store_balance(fx->st, "hank", &b, NULL), 0);
    assert_int_equal(b, 507000);
    assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM ledger WHERE note = ?", "welcome"), 1);
}

/* ---- groups ---- */

static int pg_group_setup(void **state)
{
    (void)state;
    use_pg = 1;
    return pg_server_get("ledger", pg_base_dsn, sizeof(pg_base_dsn), &pg_started_here);
}

static int pg_group_teardown(void **state)
{
    (void)state;
    return pg_server_stop("ledger", pg_started_here);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reserve_settle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_info, setup, teardown),
        cmocka_unit_test_setup_teardown(test_balance_row_across_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_reservations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_instances, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_recovery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idempotency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_usage_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admin_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
    };
    const char *only = argc > 1 ? argv[1] : NULL; /* "sqlite" or "postgres" */
    int failed = 0;
    if (only == NULL || strcmp(only, "sqlite") == 0) {
        use_pg = 0;
        failed += cmocka_run_group_tests_name("ledger/sqlite", tests, NULL, NULL);
    }
    if (only == NULL || strcmp(only, "postgres") == 0)
        failed += cmocka_run_group_tests_name("ledger/postgres", tests, pg_group_setup, pg_group_teardown);
    return failed;
}
