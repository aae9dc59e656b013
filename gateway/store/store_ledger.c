/*
 * Credits ledger of the store (see store_ledger.h for the rows and the atomicity argument).
 *
 * Connections. The ledger does not share the store's writer connection: a reservation must not
 * wait behind a group commit of 256 call records on the mutex, and on PostgreSQL reservations
 * of different users should run in parallel. It keeps its own small pool: one connection on
 * SQLite (SQLite has one writer at a time anyway; more connections would only spin in the busy
 * handler), GW_LEDGER_PG_SLOTS on PostgreSQL. A caller takes the first free slot (trylock,
 * starting at a rotating index) or waits on one. Each slot prepares its statements lazily, once.
 * Long read-only queries (the usage report, user info) use the store's read connection.
 *
 * Group commit (SQLite). Every reserve and settle is queued; the first caller that finds no
 * batch running becomes its leader (no extra thread on the hot path): it takes the write lock
 * (BEGIN IMMEDIATE), takes everything queued by then (up to GW_LEDGER_BATCH_MAX, arrival order),
 * applies each operation at its own savepoint (a refused reservation undoes only its own rows, so
 * each reservation still sees the balance left by the ones before it and refusals are exact),
 * commits once and wakes the waiters. A database error anywhere rolls the whole transaction back
 * and every operation of the batch gets GW_STORE_E_DB: a batch is applied entirely or not at all.
 * Reservations still return only after their COMMIT. Settlements may also be deferred
 * (gw_store_settle_deferred): nobody waits for them, they ride in the next batch; a flusher thread
 * applies those that no reservation carries within GW_LEDGER_LINGER_NS, and the close applies the
 * rest. Balance reads flush first. Why hand-rolled: it is a mutex, a condition variable and a
 * list around the existing statements; SQLite has no group commit of its own. PostgreSQL keeps
 * one transaction per operation on its 4 connections: its commits run in the server in parallel,
 * and a batch there would hold several users' row locks for the whole transaction (two instances
 * batching in different orders could deadlock).
 *
 * Instances. Each open store has a random 31-bit instance id, written into every open
 * reservation. On PostgreSQL an extra connection holds a session advisory lock on that id for
 * the store's lifetime; recovery after a crash settles only reservations whose instance lock it
 * can take (the instance is gone), so a restarting instance never settles the in-flight calls
 * of a live one.
 */
#include "gateway/store/store_ledger.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "policy/meter.h"

#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GW_LEDGER_PG_SLOTS 4
#define GW_LEDGER_LOCK_CLASS 1095321431 /* 'AIGW': first key of the instance advisory locks */
#define NOTE_MAX 500
#define GW_LEDGER_LINGER_NS 2000000L /* 2 ms: longest a deferred settle waits for a batch to carry it */
#define GW_LEDGER_BATCH_MAX 256      /* operations per group commit: bounds one transaction's length */

enum {
    S_LEDGER_INS,
    S_DEBIT,
    S_BAL_GET,
    S_BAL_INS,
    S_BAL_ADD,
    S_OPEN_INS,
    S_OPEN_DEL,
    S_SETTLED,
    S_IDEM_GET,
    S_IDEM_CLAIM,
    S_IDEM_DONE,
    S_SP,
    S_SP_RELEASE,
    S_SP_UNDO,
    S__COUNT
};

static const char *const SQL[S__COUNT] = {
    [S_LEDGER_INS] = "INSERT INTO ledger(user_id, request_id, kind, amount_microcredits, at, note, flagged)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id, kind) DO NOTHING",
    [S_DEBIT] = "UPDATE credit_balances SET balance = balance - ?, reserved = reserved + ?, updated_at = ?"
                " WHERE user_id = ? AND balance >= ? RETURNING balance",
    [S_BAL_GET] = "SELECT balance, reserved FROM credit_balances WHERE user_id = ?",
    [S_BAL_INS] = "INSERT INTO credit_balances(user_id, balance, reserved, updated_at) VALUES (?, ?, 0, ?)"
                  " ON CONFLICT (user_id) DO NOTHING",
    [S_BAL_ADD] = "UPDATE credit_balances SET balance = balance + ?, reserved = reserved - ?, updated_at = ?"
                  " WHERE user_id = ? RETURNING balance",
    [S_OPEN_INS] = "INSERT INTO credit_open(request_id, user_id, amount, instance, at) VALUES (?, ?, ?, ?, ?)",
    [S_OPEN_DEL] = "DELETE FROM credit_open WHERE request_id = ? RETURNING user_id, amount",
    [S_SETTLED] = "SELECT 1 FROM ledger WHERE request_id = ? AND kind = 'settle'",
    [S_IDEM_GET] = "SELECT request_id, status FROM idempotency WHERE user_id = ? AND idem_key = ? AND expires_at > ?",
    [S_IDEM_CLAIM] = "INSERT INTO idempotency(user_id, idem_key, request_id, status, created_at, expires_at)"
                     " VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (user_id, idem_key) DO UPDATE SET request_id = excluded.request_id,"
                     " status = 0, created_at = excluded.created_at, expires_at = excluded.expires_at"
                     " WHERE idempotency.expires_at <= ?",
    [S_IDEM_DONE] = "UPDATE idempotency SET status = ? WHERE user_id = ? AND idem_key = ? AND request_id = ?",
    [S_SP] = "SAVEPOINT ledger_op",
    [S_SP_RELEASE] = "RELEASE ledger_op",
    [S_SP_UNDO] = "ROLLBACK TO ledger_op",
};

enum { OP_RESERVE, OP_SETTLE, OP_FLUSH };

/* A queued reserve or settle; lives on the stack of the thread waiting for it. */
typedef struct st_ledger_op_t {
    struct st_ledger_op_t *next;
    int kind;
    const char *user, *rid; /* borrowed from the waiting caller */
    int64_t amount;         /* reserve: the hold; settle: the actual cost */
    int64_t grant, now;
    int64_t bal;  /* out: balance after */
    int rc;       /* out: 0, GW_E_CREDITS, GW_STORE_E_NOTFOUND, GW_STORE_E_INVAL, or < 0 (database error) */
    int done;     /* set under qlock when rc and bal are final */
    int deferred; /* nobody waits: heap-allocated with its strings, freed when applied */
} ledger_op_t;

typedef struct st_slot_t {
    pthread_mutex_t lock;
    gw_store_db_t *db;
    gw_store_stmt_t *s[S__COUNT];
} slot_t;

struct st_gw_store_ledger_t {
    gw_store_t *st;
    int pg;
    int64_t instance;
    gw_store_db_t *lockdb; /* PostgreSQL: holds the instance advisory lock */
    slot_t slots[GW_LEDGER_PG_SLOTS];
    size_t nslots;
    unsigned rr;
    /* group commit (SQLite): queue of operations waiting for a batch, guarded by qlock */
    int batching;
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    ledger_op_t *qhead, *qtail;
    int leader; /* a thread is running a batch */
    size_t pending;
    uint64_t batches, batched_ops;
    struct timespec q_since; /* CLOCK_MONOTONIC: when the queue last became non-empty */
    pthread_t flusher;       /* applies deferred settles nobody else carries */
    int flusher_on, stop;
};

/* ---- pool ---- */

static void *flusher_main(void *arg);

static gw_store_db_t *open_db(int pg, const char *target, char *err, size_t errlen)
{
    return pg ? gw_store__db_open_pg(target, err, errlen) : gw_store__db_open_sqlite(target, err, errlen);
}

gw_store_ledger_t *gw_store__ledger_open(gw_store_t *st, int pg, const char *target, char *err, size_t errlen)
{
    gw_store_ledger_t *lg = calloc(1, sizeof(*lg));
    if (lg == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    lg->st = st;
    lg->pg = pg;
    lg->instance = (int64_t)(randombytes_random() & 0x7fffffff);
    lg->nslots = pg ? GW_LEDGER_PG_SLOTS : 1;
    lg->batching = !pg;
    pthread_mutex_init(&lg->qlock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&lg->qcond, &ca);
    pthread_condattr_destroy(&ca);
    for (size_t i = 0; i < lg->nslots; i++) {
        pthread_mutex_init(&lg->slots[i].lock, NULL);
        if ((lg->slots[i].db = open_db(pg, target, err, errlen)) == NULL)
            goto fail;
    }
    if (lg->batching) {
        if (pthread_create(&lg->flusher, NULL, flusher_main, lg) != 0) {
            snprintf(err, errlen, "ledger: cannot start the flusher thread");
            goto fail;
        }
        lg->flusher_on = 1;
    }
    if (pg) {
        if ((lg->lockdb = open_db(pg, target, err, errlen)) == NULL)
            goto fail;
        gw_store_stmt_t *s = gw_store__db_prepare(lg->lockdb, "SELECT pg_advisory_lock(?, ?)");
        int rc = -1;
        if (s != NULL) {
            gw_store__bind_int64(s, 1, GW_LEDGER_LOCK_CLASS);
            gw_store__bind_int64(s, 2, lg->instance);
            rc = gw_store__step(s);
            gw_store__reset(s);
            gw_store__db_finalize(s);
        }
        if (rc != 1) {
            snprintf(err, errlen, "ledger: instance lock: %s", gw_store__db_errmsg(lg->lockdb));
            goto fail;
        }
    }
    return lg;
fail:
    gw_store__ledger_close(lg);
    return NULL;
}

void gw_store__ledger_close(gw_store_ledger_t *lg)
{
    if (lg == NULL)
        return;
    if (lg->flusher_on) {
        pthread_mutex_lock(&lg->qlock);
        lg->stop = 1;
        pthread_cond_broadcast(&lg->qcond);
        pthread_mutex_unlock(&lg->qlock);
        pthread_join(lg->flusher, NULL); /* it applies the deferred settles still queued */
    }
    for (size_t i = 0; i < lg->nslots; i++) {
        for (int k = 0; k < S__COUNT; k++)
            gw_store__db_finalize(lg->slots[i].s[k]);
        gw_store__db_close(lg->slots[i].db);
        pthread_mutex_destroy(&lg->slots[i].lock);
    }
    gw_store__db_close(lg->lockdb); /* closing the session releases the advisory lock */
    pthread_cond_destroy(&lg->qcond);
    pthread_mutex_destroy(&lg->qlock);
    free(lg);
}

static slot_t *slot_acquire(gw_store_ledger_t *lg)
{
    unsigned start = __atomic_fetch_add(&lg->rr, 1, __ATOMIC_RELAXED);
    for (size_t i = 0; i < lg->nslots; i++) {
        slot_t *s = &lg->slots[(start + i) % lg->nslots];
        if (pthread_mutex_trylock(&s->lock) == 0)
            return s;
    }
    slot_t *s = &lg->slots[start % lg->nslots];
    pthread_mutex_lock(&s->lock);
    return s;
}

static void slot_release(slot_t *s)
{
    pthread_mutex_unlock(&s->lock);
}

/* The slot's prepared statement `k`, reset and ready to bind; NULL on error. */
static gw_store_stmt_t *stmt(slot_t *sl, int k)
{
    if (sl->s[k] == NULL)
        sl->s[k] = gw_store__db_prepare(sl->db, SQL[k]);
    return sl->s[k];
}

/* Runs a statement that returns no rows. @return rows changed, or -1. */
static int64_t run(gw_store_stmt_t *s)
{
    int rc;
    while ((rc = gw_store__step(s)) == 1)
        ;
    int64_t n = rc == 0 ? gw_store__changes(s) : -1;
    gw_store__reset(s);
    return n;
}

static int begin(slot_t *sl)
{
    return gw_store__db_exec(sl->db, gw_store__db_kind(sl->db) == GW_STORE_DB_PG ? "BEGIN" : "BEGIN IMMEDIATE");
}

static void rollback(slot_t *sl)
{
    gw_store__db_exec(sl->db, "ROLLBACK");
}

static int valid_id(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n > 0 && n <= max;
}

/* ---- statements ---- */

static int64_t ledger_ins(slot_t *sl, const char *user, const char *rid, const char *kind, int64_t amount, int64_t now,
                          const char *note, int flagged)
{
    gw_store_stmt_t *s = stmt(sl, S_LEDGER_INS);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, user);
    gw_store__bind_text(s, 2, rid);
    gw_store__bind_text(s, 3, kind);
    gw_store__bind_int64(s, 4, amount);
    gw_store__bind_int64(s, 5, now);
    gw_store__bind_text(s, 6, note);
    gw_store__bind_int64(s, 7, flagged);
    return run(s);
}

/* Reads (balance, reserved). @return 1 found, 0 absent, -1 error. */
static int bal_get(slot_t *sl, const char *user, int64_t *balance, int64_t *reserved)
{
    gw_store_stmt_t *s = stmt(sl, S_BAL_GET);
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
    gw_store_stmt_t *s = stmt(sl, S_DEBIT);
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
static int bal_add(slot_t *sl, const char *user, int64_t delta, int64_t released, int64_t now, int64_t *bal)
{
    gw_store_stmt_t *s = stmt(sl, S_BAL_ADD);
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
 * (once per user id, ever: its request id is fixed), the balance row. Inside the caller's
 * transaction. @return 0 or -1.
 */
static int user_create(gw_store_ledger_t *lg, slot_t *sl, const char *user, int64_t grant, int64_t now)
{
    int64_t granted = 0;
    if (gw_store__user_insert(lg->st, sl->db, user) != 0)
        return -1;
    if (grant > 0) {
        char rid[GW_STORE_USER_ID_MAX + 32];
        snprintf(rid, sizeof(rid), "default-grant:%s", user);
        int64_t n = ledger_ins(sl, user, rid, "grant", grant, now, "default grant", 0);
        if (n < 0)
            return -1;
        granted = n > 0 ? grant : 0;
    }
    gw_store_stmt_t *s = stmt(sl, S_BAL_INS);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, user);
    gw_store__bind_int64(s, 2, granted);
    gw_store__bind_int64(s, 3, now);
    return run(s) < 0 ? -1 : 0;
}

static void log_err(slot_t *sl, const char *what)
{
    fprintf(stderr, "aigw ledger: %s: %s\n", what, gw_store__db_errmsg(sl->db));
}

/* ---- reserve / settle / grant ---- */

/* Was `request_id` settled already? @return 1, 0, or -1. */
static int settled(slot_t *sl, const char *request_id)
{
    gw_store_stmt_t *s = stmt(sl, S_SETTLED);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, request_id);
    int rc = gw_store__step(s);
    gw_store__reset(s);
    return rc;
}

/* Removes the open reservation. @return 1 (user and amount filled), 0 none, -1 error. */
static int open_take(slot_t *sl, const char *request_id, char *user, size_t userlen, int64_t *amount)
{
    gw_store_stmt_t *s = stmt(sl, S_OPEN_DEL);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, request_id);
    int rc = gw_store__step(s);
    if (rc == 1) {
        const char *u = gw_store__col_text(s, 0);
        snprintf(user, userlen, "%s", u ? u : "");
        *amount = gw_store__col_int64(s, 1);
    }
    gw_store__reset(s);
    return rc;
}

/*
 * The body of a reservation, inside the caller's transaction. @return 0 (reserved, or already
 * reserved: nothing written), GW_E_CREDITS (refused: the caller undoes what it wrote), GW_STORE_E_DB on a
 * database error. op->bal receives the balance after (or the balance that was too low).
 */
static int reserve_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    int rc;
    /* The reserve row first: it is the idempotency check (UNIQUE(request_id, kind)). */
    int64_t n = ledger_ins(sl, op->user, op->rid, "reserve", -op->amount, op->now, NULL, 0);
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
    gw_store_stmt_t *s = stmt(sl, S_OPEN_INS);
    if (s == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->rid);
    gw_store__bind_text(s, 2, op->user);
    gw_store__bind_int64(s, 3, op->amount);
    gw_store__bind_int64(s, 4, lg->instance);
    gw_store__bind_int64(s, 5, op->now);
    return run(s) < 0 ? GW_STORE_E_DB : 0;
}

/*
 * The body of a settlement, inside the caller's transaction. @return 0 (settled, or settled
 * before: nothing written), GW_STORE_E_NOTFOUND, GW_STORE_E_INVAL (another user's request: the
 * caller undoes the open row's removal), GW_STORE_E_DB on a database error.
 */
static int settle_body(slot_t *sl, ledger_op_t *op)
{
    char owner[GW_STORE_USER_ID_MAX + 1];
    int64_t reserved = 0;
    int rc = open_take(sl, op->rid, owner, sizeof(owner), &reserved);
    if (rc < 0)
        return GW_STORE_E_DB;
    if (rc == 0) {
        if ((rc = settled(sl, op->rid)) < 0 || bal_get(sl, op->user, &op->bal, NULL) < 0)
            return GW_STORE_E_DB;
        return rc == 1 ? 0 : GW_STORE_E_NOTFOUND;
    }
    if (strcmp(owner, op->user) != 0)
        return GW_STORE_E_INVAL;
    pol_meter_settlement_t s;
    pol_meter_settle(reserved, op->amount, &s);
    if (ledger_ins(sl, op->user, op->rid, "settle", -s.overrun, op->now, s.flagged ? "actual cost above the reservation" : NULL,
                   s.flagged) < 0 ||
        (s.refund > 0 && ledger_ins(sl, op->user, op->rid, "refund", s.refund, op->now, NULL, 0) < 0) ||
        bal_add(sl, op->user, s.refund - s.overrun, reserved, op->now, &op->bal) != 1)
        return GW_STORE_E_DB;
    return 0;
}

static int op_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    if (op->kind == OP_FLUSH)
        return 0;
    return op->kind == OP_RESERVE ? reserve_body(lg, sl, op) : settle_body(sl, op);
}

static const char *op_name(const ledger_op_t *op)
{
    return op->kind == OP_RESERVE ? "reserve" : "settle";
}

/* PostgreSQL: one transaction per operation on a pooled connection. */
static int run_alone(gw_store_ledger_t *lg, ledger_op_t *op)
{
    slot_t *sl = slot_acquire(lg);
    int rc = GW_STORE_E_DB;
    if (begin(sl) == 0) {
        rc = op_body(lg, sl, op);
        if (rc == 0 && gw_store__db_exec(sl->db, "COMMIT") != 0)
            rc = GW_STORE_E_DB;
        if (rc == GW_STORE_E_DB)
            log_err(sl, op_name(op));
        if (rc != 0)
            rollback(sl); /* refused, not found, or failed: nothing of it stays */
    } else {
        log_err(sl, op_name(op));
    }
    slot_release(sl);
    return rc;
}

/* One operation of a batch at its own savepoint: a refusal undoes only its own rows. @return as
 * op_body. */
static int run_in_batch(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    gw_store_stmt_t *sp = stmt(sl, S_SP), *rel = stmt(sl, S_SP_RELEASE), *undo = stmt(sl, S_SP_UNDO);
    if (sp == NULL || rel == NULL || undo == NULL || run(sp) < 0)
        return GW_STORE_E_DB;
    int rc = op_body(lg, sl, op);
    if (rc == GW_STORE_E_DB)
        return rc;
    if ((rc != 0 && run(undo) < 0) || run(rel) < 0)
        return GW_STORE_E_DB;
    return rc;
}

/*
 * The leader's work: waits for the write lock (BEGIN IMMEDIATE), then takes up to
 * GW_LEDGER_BATCH_MAX queued operations (those that arrived while it waited included), applies
 * them in arrival order, commits once and completes them. A database error anywhere (an
 * operation's statement, the savepoints, the BEGIN or the COMMIT) rolls the whole transaction
 * back and completes every operation of the batch with GW_STORE_E_DB: none of it is applied.
 * Called with qlock not held.
 */
static void run_batch(gw_store_ledger_t *lg)
{
    slot_t *sl = slot_acquire(lg);
    int ok = begin(sl) == 0;
    ledger_op_t *batch, *op;
    size_t n = 0;
    pthread_mutex_lock(&lg->qlock);
    batch = lg->qhead;
    for (op = batch; op != NULL && n < GW_LEDGER_BATCH_MAX - 1; op = op->next)
        n++;
    lg->qhead = op != NULL ? op->next : NULL;
    if (op != NULL)
        op->next = NULL;
    if (lg->qhead == NULL)
        lg->qtail = NULL;
    else
        clock_gettime(CLOCK_MONOTONIC, &lg->q_since);
    n += op != NULL;
    lg->pending -= n;
    pthread_mutex_unlock(&lg->qlock);
    const ledger_op_t *failed = NULL;
    for (op = batch; ok && op != NULL; op = op->next)
        if ((op->rc = run_in_batch(lg, sl, op)) == GW_STORE_E_DB) {
            ok = 0;
            failed = op;
        }
    if (ok && gw_store__db_exec(sl->db, "COMMIT") != 0)
        ok = 0;
    if (!ok) {
        log_err(sl, failed != NULL ? op_name(failed) : "ledger batch");
        rollback(sl);
        for (op = batch; op != NULL; op = op->next)
            op->rc = GW_STORE_E_DB;
    }
    slot_release(sl);
    pthread_mutex_lock(&lg->qlock);
    for (op = batch; op != NULL;) {
        ledger_op_t *next = op->next; /* op lives on its waiter's stack: read before completing */
        if (op->deferred) {
            if (op->rc != 0)
                fprintf(stderr,
                        "aigw ledger: settling %s failed (%d); it stays open and is settled at its reservation on the next "
                        "start\n",
                        op->rid, op->rc);
            free(op);
        } else {
            op->done = 1;
        }
        op = next;
    }
    lg->batches++;
    lg->batched_ops += n;
    pthread_mutex_unlock(&lg->qlock);
}

/* Appends op to the queue (qlock held) and wakes the flusher when the queue was empty. */
static void enqueue(gw_store_ledger_t *lg, ledger_op_t *op)
{
    op->next = NULL;
    if (lg->qtail != NULL) {
        lg->qtail->next = op;
    } else {
        lg->qhead = op;
        clock_gettime(CLOCK_MONOTONIC, &lg->q_since);
        pthread_cond_broadcast(&lg->qcond);
    }
    lg->qtail = op;
    lg->pending++;
}

/*
 * The flusher thread (SQLite): when operations have been queued for GW_LEDGER_LINGER_NS and no
 * leader took them (deferred settles with no reservation arriving to carry them), it runs a
 * batch itself. At close it applies whatever is left.
 */
static void *flusher_main(void *arg)
{
    gw_store_ledger_t *lg = arg;
    pthread_mutex_lock(&lg->qlock);
    for (;;) {
        if (lg->qhead == NULL || lg->leader) {
            if (lg->stop && lg->qhead == NULL)
                break;
            pthread_cond_wait(&lg->qcond, &lg->qlock);
            continue;
        }
        struct timespec now, due = lg->q_since;
        due.tv_nsec += GW_LEDGER_LINGER_NS;
        if (due.tv_nsec >= 1000000000L) {
            due.tv_sec++;
            due.tv_nsec -= 1000000000L;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (!lg->stop && (now.tv_sec < due.tv_sec || (now.tv_sec == due.tv_sec && now.tv_nsec < due.tv_nsec))) {
            pthread_cond_timedwait(&lg->qcond, &lg->qlock, &due);
            continue;
        }
        lg->leader = 1;
        pthread_mutex_unlock(&lg->qlock);
        run_batch(lg);
        pthread_mutex_lock(&lg->qlock);
        lg->leader = 0;
        pthread_cond_broadcast(&lg->qcond);
    }
    pthread_mutex_unlock(&lg->qlock);
    return NULL;
}

/*
 * Runs one reserve or settle. SQLite: queues it and waits for the batch that carries it; the
 * first waiter that finds no leader becomes the leader (no extra thread; a caller alone pays one
 * transaction, as before). PostgreSQL: its own transaction. @return the operation's result.
 */
static int submit(gw_store_ledger_t *lg, ledger_op_t *op)
{
    if (!lg->batching)
        return run_alone(lg, op);
    op->done = 0;
    pthread_mutex_lock(&lg->qlock);
    enqueue(lg, op);
    while (!op->done) {
        if (!lg->leader) {
            /* op is still queued: only a leader takes operations off the queue */
            lg->leader = 1;
            pthread_mutex_unlock(&lg->qlock);
            run_batch(lg);
            pthread_mutex_lock(&lg->qlock);
            lg->leader = 0;
            pthread_cond_broadcast(&lg->qcond);
        } else {
            pthread_cond_wait(&lg->qcond, &lg->qlock);
        }
    }
    pthread_mutex_unlock(&lg->qlock);
    return op->rc;
}

int gw_store_reserve(gw_store_t *st, const char *user_id, const char *request_id, int64_t amount, int64_t default_grant,
                     int64_t *balance_after)
{
    if (!valid_id(user_id, GW_STORE_USER_ID_MAX) || !valid_id(request_id, GW_STORE_REQUEST_ID_MAX) || amount < 0 ||
        default_grant < 0)
        return GW_STORE_E_INVAL;
    ledger_op_t op = {.kind = OP_RESERVE, .user = user_id, .rid = request_id, .amount = amount, .grant = default_grant};
    op.now = gw_store__now_us(st);
    int rc = submit(gw_store__ledger(st), &op);
    if (rc != GW_STORE_E_DB && balance_after)
        *balance_after = op.bal;
    return rc;
}

int gw_store_settle(gw_store_t *st, const char *user_id, const char *request_id, int64_t actual, int64_t *balance_after)
{
    if (!valid_id(user_id, GW_STORE_USER_ID_MAX) || !valid_id(request_id, GW_STORE_REQUEST_ID_MAX) || actual < 0)
        return GW_STORE_E_INVAL;
    ledger_op_t op = {.kind = OP_SETTLE, .user = user_id, .rid = request_id, .amount = actual};
    op.now = gw_store__now_us(st);
    int rc = submit(gw_store__ledger(st), &op);
    if ((rc == 0 || rc == GW_STORE_E_NOTFOUND || rc == GW_STORE_E_INVAL) && balance_after)
        *balance_after = op.bal;
    return rc;
}

int gw_store_settle_deferred(gw_store_t *st, const char *user_id, const char *request_id, int64_t actual)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    if (!valid_id(user_id, GW_STORE_USER_ID_MAX) || !valid_id(request_id, GW_STORE_REQUEST_ID_MAX) || actual < 0)
        return GW_STORE_E_INVAL;
    if (!lg->batching)
        return gw_store_settle(st, user_id, request_id, actual, NULL);
    size_t ul = strlen(user_id) + 1, rl = strlen(request_id) + 1;
    ledger_op_t *op = calloc(1, sizeof(*op) + ul + rl);
    if (op == NULL)
        return GW_STORE_E_NOMEM;
    char *u = (char *)(op + 1), *r = u + ul;
    memcpy(u, user_id, ul);
    memcpy(r, request_id, rl);
    op->kind = OP_SETTLE;
    op->user = u;
    op->rid = r;
    op->amount = actual;
    op->now = gw_store__now_us(st);
    op->deferred = 1;
    pthread_mutex_lock(&lg->qlock);
    enqueue(lg, op);
    pthread_mutex_unlock(&lg->qlock);
    return 0;
}

void gw_store_ledger_flush(gw_store_t *st)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    if (!lg->batching)
        return;
    pthread_mutex_lock(&lg->qlock);
    int empty = lg->qhead == NULL && !lg->leader;
    pthread_mutex_unlock(&lg->qlock);
    if (empty)
        return; /* nothing queued or in flight: everything submitted is committed */
    ledger_op_t op = {.kind = OP_FLUSH};
    submit(lg, &op);
}

void gw_store_ledger_stats(gw_store_t *st, gw_store_ledger_stats_t *out)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    pthread_mutex_lock(&lg->qlock);
    out->batching = lg->batching;
    out->batches = lg->batches;
    out->ops = lg->batched_ops;
    out->pending = lg->pending;
    pthread_mutex_unlock(&lg->qlock);
}

int gw_store_grant(gw_store_t *st, const char *user_id, int64_t amount, const char *reason, int64_t *balance_after)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    char rid[48], note[NOTE_MAX + 1];
    unsigned char rnd[12];
    int64_t bal = 0, now = gw_store__now_us(st);
    int rc;
    if (!valid_id(user_id, GW_STORE_USER_ID_MAX))
        return GW_STORE_E_INVAL;
    randombytes_buf(rnd, sizeof(rnd));
    memcpy(rid, "grant:", 6);
    sodium_bin2hex(rid + 6, sizeof(rid) - 6, rnd, sizeof(rnd));
    snprintf(note, sizeof(note), "%s", reason ? reason : "");
    slot_t *sl = slot_acquire(lg);
    if (begin(sl) != 0)
        goto dberr;
    if ((rc = bal_get(sl, user_id, NULL, NULL)) < 0 || (rc == 0 && user_create(lg, sl, user_id, 0, now) != 0))
        goto dberr_rb;
    if (ledger_ins(sl, user_id, rid, amount >= 0 ? "grant" : "adjust", amount, now, reason ? note : NULL, 0) != 1 ||
        bal_add(sl, user_id, amount, 0, now, &bal) != 1 || gw_store__db_exec(sl->db, "COMMIT") != 0)
        goto dberr_rb;
    slot_release(sl);
    if (balance_after)
        *balance_after = bal;
    return 0;
dberr_rb:
    log_err(sl, "grant");
    rollback(sl);
dberr:
    slot_release(sl);
    return GW_STORE_E_DB;
}

int gw_store_balance(gw_store_t *st, const char *user_id, int64_t *balance, int64_t *reserved)
{
    if (!valid_id(user_id, GW_STORE_USER_ID_MAX))
        return GW_STORE_E_INVAL;
    gw_store_ledger_flush(st); /* read your own deferred settles */
    slot_t *sl = slot_acquire(gw_store__ledger(st));
    int64_t b = 0, r = 0;
    int rc = bal_get(sl, user_id, &b, &r);
    slot_release(sl);
    if (rc < 0)
        return GW_STORE_E_DB;
    if (rc == 0)
        return GW_STORE_E_NOTFOUND;
    if (balance)
        *balance = b;
    if (reserved)
        *reserved = r;
    return 0;
}

int gw_store_user_info(gw_store_t *st, const char *user_id, gw_store_user_info_t *info)
{
    if (!valid_id(user_id, GW_STORE_USER_ID_MAX))
        return GW_STORE_E_INVAL;
    memset(info, 0, sizeof(*info));
    gw_store_ledger_flush(st);
    gw_store_db_t *db = gw_store__rdb_acquire(st);
    int ret = GW_STORE_E_DB;
    gw_store_stmt_t *s = gw_store__db_prepare(db, "SELECT u.consent_training, u.created_at, b.balance, b.reserved FROM users u"
                                                  " LEFT JOIN credit_balances b ON b.user_id = u.id WHERE u.id = ?");
    if (s != NULL) {
        gw_store__bind_text(s, 1, user_id);
        int rc = gw_store__step(s);
        if (rc == 1) {
            info->consent_training = gw_store__col_int64(s, 0) != 0;
            info->created_at_us = gw_store__col_int64(s, 1);
            info->balance = gw_store__col_int64(s, 2);
            info->reserved = gw_store__col_int64(s, 3);
            ret = 0;
        } else if (rc == 0) {
            ret = GW_STORE_E_NOTFOUND;
        }
        gw_store__reset(s);
        gw_store__db_finalize(s);
    }
    gw_store__rdb_release(st);
    return ret;
}

/* ---- crash recovery ---- */

typedef struct st_open_row_t {
    char rid[GW_STORE_REQUEST_ID_MAX + 1];
} open_row_t;

/* Collects the request ids of open reservations of `instance` (op "=") or not of it (op "<>"). */
static int collect_open(slot_t *sl, int64_t instance, int same, open_row_t **rows, size_t *n)
{
    gw_store_stmt_t *s = gw_store__db_prepare(sl->db, same ? "SELECT request_id FROM credit_open WHERE instance = ?"
                                                           : "SELECT request_id FROM credit_open WHERE instance <> ?");
    size_t cap = 0;
    int rc;
    *rows = NULL;
    *n = 0;
    if (s == NULL)
        return -1;
    gw_store__bind_int64(s, 1, instance);
    while ((rc = gw_store__step(s)) == 1) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            open_row_t *r = realloc(*rows, nc * sizeof(**rows));
            if (r == NULL) {
                rc = -1;
                break;
            }
            *rows = r;
            cap = nc;
        }
        const char *t = gw_store__col_text(s, 0);
        snprintf((*rows)[(*n)++].rid, sizeof((*rows)[0].rid), "%s", t ? t : "");
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    return rc;
}

/* Settles each collected reservation at its reserved amount, flagged; inside a transaction. */
static int recover_rows(slot_t *sl, open_row_t *rows, size_t n, int64_t now, int64_t *count)
{
    for (size_t i = 0; i < n; i++) {
        char user[GW_STORE_USER_ID_MAX + 1];
        int64_t amount = 0;
        int rc = open_take(sl, rows[i].rid, user, sizeof(user), &amount);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        if (ledger_ins(sl, user, rows[i].rid, "settle", 0, now, "crash recovery: settled at the reserved amount", 1) < 0 ||
            bal_add(sl, user, 0, amount, now, NULL) < 0)
            return -1;
        (*count)++;
    }
    return 0;
}

int gw_store_settle_open_reservations(gw_store_t *st, int64_t *settled_out)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    int64_t now = gw_store__now_us(st), count = 0;
    open_row_t *rows = NULL;
    size_t n = 0;
    slot_t *sl = slot_acquire(lg);
    if (!lg->pg) {
        if (begin(sl) != 0 || collect_open(sl, lg->instance, 0, &rows, &n) != 0 || recover_rows(sl, rows, n, now, &count) != 0 ||
            gw_store__db_exec(sl->db, "COMMIT") != 0)
            goto dberr_rb;
    } else {
        /* Instances with open reservations, then per instance: if its advisory lock is free
         * (the instance is gone), settle its reservations under that lock. */
        int64_t *inst = NULL;
        size_t ni = 0, cap = 0;
        gw_store_stmt_t *s = gw_store__db_prepare(sl->db, "SELECT DISTINCT instance FROM credit_open WHERE instance <> ?");
        int rc = -1;
        if (s != NULL) {
            gw_store__bind_int64(s, 1, lg->instance);
            while ((rc = gw_store__step(s)) == 1) {
                if (ni == cap) {
                    int64_t *p = realloc(inst, (cap = cap ? cap * 2 : 8) * sizeof(*inst));
                    if (p == NULL) {
                        rc = -1;
                        break;
                    }
                    inst = p;
                }
                inst[ni++] = gw_store__col_int64(s, 0);
            }
            gw_store__reset(s);
            gw_store__db_finalize(s);
        }
        if (rc != 0) {
            free(inst);
            goto dberr;
        }
        for (size_t i = 0; i < ni; i++) {
            if (begin(sl) != 0) {
                free(inst);
                goto dberr;
            }
            gw_store_stmt_t *l = gw_store__db_prepare(sl->db, "SELECT pg_try_advisory_xact_lock(?, ?)");
            int free_lock = 0;
            if (l != NULL) {
                gw_store__bind_int64(l, 1, GW_LEDGER_LOCK_CLASS);
                gw_store__bind_int64(l, 2, inst[i]);
                if (gw_store__step(l) == 1)
                    free_lock = gw_store__col_int64(l, 0) != 0;
                gw_store__reset(l);
                gw_store__db_finalize(l);
            }
            free(rows);
            rows = NULL;
            if (free_lock && (collect_open(sl, inst[i], 1, &rows, &n) != 0 || recover_rows(sl, rows, n, now, &count) != 0)) {
                free(inst);
                goto dberr_rb;
            }
            if (gw_store__db_exec(sl->db, "COMMIT") != 0) {
                free(inst);
                goto dberr_rb;
            }
        }
        free(inst);
    }
    gw_store_stmt_t *p = gw_store__db_prepare(sl->db, "DELETE FROM idempotency WHERE expires_at <= ?");
    if (p == NULL)
        goto dberr;
    gw_store__bind_int64(p, 1, now);
    int64_t purged = run(p);
    gw_store__db_finalize(p);
    if (purged < 0)
        goto dberr;
    free(rows);
    slot_release(sl);
    if (count > 0)
        fprintf(stderr, "aigw ledger: crash recovery settled %" PRId64 " open reservation(s) at their reserved amount (flagged)\n",
                count);
    if (settled_out)
        *settled_out = count;
    return 0;
dberr_rb:
    log_err(sl, "recovery");
    rollback(sl);
    free(rows);
    slot_release(sl);
    return GW_STORE_E_DB;
dberr:
    log_err(sl, "recovery");
    free(rows);
    slot_release(sl);
    return GW_STORE_E_DB;
}

/* ---- idempotency keys ---- */

int gw_store_idempotency_get(gw_store_t *st, const char *user_id, const char *key, int *status,
                             char request_id[GW_STORE_REQUEST_ID_MAX + 1])
{
    if (!valid_id(user_id, GW_STORE_USER_ID_MAX) || !valid_id(key, GW_STORE_IDEM_KEY_MAX))
        return GW_STORE_E_INVAL;
    slot_t *sl = slot_acquire(gw_store__ledger(st));
    int ret = GW_STORE_E_DB;
    gw_store_stmt_t *s = stmt(sl, S_IDEM_GET);
    if (s != NULL) {
        gw_store__bind_text(s, 1, user_id);
        gw_store__bind_text(s, 2, key);
        gw_store__bind_int64(s, 3, gw_store__now_us(st));
        int rc = gw_store__step(s);
        if (rc == 1) {
            const char *r = gw_store__col_text(s, 0);
            snprintf(request_id, GW_STORE_REQUEST_ID_MAX + 1, "%s", r ? r : "");
            *status = (int)gw_store__col_int64(s, 1);
            ret = 0;
        } else if (rc == 0) {
            ret = GW_STORE_E_NOTFOUND;
        }
        gw_store__reset(s);
    }
    if (ret == GW_STORE_E_DB)
        log_err(sl, "idempotency");
    slot_release(sl);
    return ret;
}

int gw_store_idempotency_put(gw_store_t *st, const char *user_id, const char *key, int status, const char *request_id)
{
    if (!valid_id(user_id, GW_STORE_USER_ID_MAX) || !valid_id(key, GW_STORE_IDEM_KEY_MAX) ||
        !valid_id(request_id, GW_STORE_REQUEST_ID_MAX) || status < 0)
        return GW_STORE_E_INVAL;
    int64_t now = gw_store__now_us(st), n = -1;
    slot_t *sl = slot_acquire(gw_store__ledger(st));
    gw_store_stmt_t *s = stmt(sl, status == 0 ? S_IDEM_CLAIM : S_IDEM_DONE);
    if (s != NULL && status == 0) {
        gw_store__bind_text(s, 1, user_id);
        gw_store__bind_text(s, 2, key);
        gw_store__bind_text(s, 3, request_id);
        gw_store__bind_int64(s, 4, now);
        gw_store__bind_int64(s, 5, now + GW_STORE_IDEM_TTL_US);
        gw_store__bind_int64(s, 6, now);
        n = run(s);
    } else if (s != NULL) {
        gw_store__bind_int64(s, 1, status);
        gw_store__bind_text(s, 2, user_id);
        gw_store__bind_text(s, 3, key);
        gw_store__bind_text(s, 4, request_id);
        n = run(s);
    }
    if (n < 0)
        log_err(sl, "idempotency");
    slot_release(sl);
    if (n < 0)
        return GW_STORE_E_DB;
    if (status == 0)
        return n > 0 ? 0 : 1;
    return n > 0 ? 0 : GW_STORE_E_NOTFOUND;
}

/* The usage report is in store_report.c. */
