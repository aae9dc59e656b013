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
 * Credit table. An in-memory admission filter in front of the journal: per user the balance the
 * last committed operation returned and the reservations held since (lock stripes). It refuses
 * without SQL when a fresh balance (CT_FRESH_US) cannot cover a reservation; everything it
 * admits is still decided by the conditional debit in the database, so it can never overspend.
 *
 * Connections. Besides the writer's, the ledger keeps a small pool for what is not journaled
 * (balance reads, Idempotency-Key rows, crash recovery): one connection on SQLite,
 * GW_LEDGER_PG_SLOTS on PostgreSQL. A caller takes the first free slot (trylock, starting at a
 * rotating index) or waits on one. Long read-only queries (the usage report, user info) use the
 * store's read connection.
 *
 * Instances. Each open store has a random 31-bit instance id, written into every open
 * reservation. On PostgreSQL an extra connection holds a session advisory lock on that id for
 * the store's lifetime; recovery after a crash settles only reservations whose instance lock it
 * can take (the instance is gone), so a restarting instance never settles the in-flight calls
 * of a live one.
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

#define GW_LEDGER_PG_SLOTS 4
#define GW_LEDGER_LOCK_CLASS 1095321431 /* 'AIGW': first key of the instance advisory locks */
#define NOTE_MAX 500

enum {
    S_LEDGER_INS,
    S_DEBIT,
    S_BAL_GET,
    S_BAL_INS,
    S_BAL_ADD,
    S_OPEN_INS,
    S_OPEN_DEL,
    S_OPEN_DEL_USER,
    S_OPEN_GET,
    S_SETTLED,
    S_IDEM_GET,
    S_IDEM_CLAIM,
    S_IDEM_DONE,
    S_SP,
    S_SP_RELEASE,
    S_SP_UNDO,
    S_LEASE_DEBIT,
    S_LEASE_PUT,
    S_LEASE_LOCK,
    S_LEASE_ADD,
    S_LEASE_DEL,
    S_BAL_PUB,
    S_RATE_INS,
    S_RATE_GET,
    S_RATE_PUT,
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
    [S_OPEN_INS] = "INSERT INTO credit_open(request_id, user_id, amount, instance, at, lease) VALUES (?, ?, ?, ?, ?, ?)",
    [S_OPEN_DEL] = "DELETE FROM credit_open WHERE request_id = ? RETURNING user_id, amount, lease",
    [S_OPEN_DEL_USER] = "DELETE FROM credit_open WHERE request_id = ? AND user_id = ? RETURNING amount, lease",
    [S_OPEN_GET] = "SELECT 1 FROM credit_open WHERE request_id = ?",
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
    /* credit leases: the balance row gives `amount` to this instance's lease row (both conditional on what they hold) */
    [S_LEASE_DEBIT] = "UPDATE credit_balances SET balance = balance - ?, updated_at = ? WHERE user_id = ? AND balance >= ?"
                      " RETURNING balance",
    [S_LEASE_PUT] = "INSERT INTO credit_leases(user_id, instance, amount, expires_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (user_id, instance) DO UPDATE SET amount = credit_leases.amount + excluded.amount,"
                    " expires_at = excluded.expires_at, updated_at = excluded.updated_at",
    [S_LEASE_LOCK] = "SELECT amount FROM credit_leases WHERE user_id = ? AND instance = ? FOR UPDATE",
    [S_LEASE_ADD] =
        "UPDATE credit_leases SET amount = amount + ?, expires_at = ?, updated_at = ? WHERE user_id = ? AND instance = ?",
    [S_LEASE_DEL] = "DELETE FROM credit_leases WHERE user_id = ? AND instance = ? RETURNING amount",
    /* what a user has (balance row + every instance's lease) and holds in open reservations (the balance row's
     * count of reservations debited from it + those admitted against leases) */
    [S_BAL_PUB] = "SELECT CAST(b.balance + COALESCE((SELECT SUM(l.amount) FROM credit_leases l WHERE l.user_id = b.user_id), 0)"
                  " AS BIGINT), CAST(b.reserved + COALESCE((SELECT SUM(o.amount) FROM credit_open o WHERE o.user_id = b.user_id"
                  " AND o.lease <> 0), 0) AS BIGINT) FROM credit_balances b WHERE b.user_id = ?",
    /* shared rate-limit buckets (PostgreSQL only: FOR UPDATE) */
    [S_RATE_INS] = "INSERT INTO rate_buckets(key, kind, level, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (key, kind) DO NOTHING",
    [S_RATE_GET] = "SELECT level, updated_at FROM rate_buckets WHERE key = ? AND kind = ? FOR UPDATE",
    [S_RATE_PUT] = "UPDATE rate_buckets SET level = ?, updated_at = ? WHERE key = ? AND kind = ?",
};

typedef gw_journal_item_t ledger_op_t;

typedef struct st_slot_t {
    pthread_mutex_t lock;
    gw_store_db_t *db;
    gw_store_stmt_t *s[S__COUNT];
} slot_t;

/* ---- the credit table: what each user may still reserve, in memory ---- */

#define CT_STRIPES 64
#define CT_FRESH_US 1000000    /* a balance read from the database this recently refuses without asking it again */
#define CT_EVICT_US 60000000   /* an entry with nothing held, no lease and no reservation for this long is dropped */
#define CT_TICK_MAX_US 1000000 /* the lease thread's period at most */

/* One user. bal: the user's balance row as the last committed journal operation returned it (open
 * reservations already deducted, leases of every instance excluded); held: reservations admitted
 * since against the balance row and not yet committed. lease: what this instance may still
 * reserve against its own lease row without asking the database (the row holds at least that much
 * once the operations queued before commit). */
typedef struct st_credit_t {
    struct st_credit_t *next;
    uint64_t hash;
    int64_t bal, held;
    int64_t fresh_until_us; /* CLOCK_MONOTONIC; 0 = bal unknown or stale */
    int64_t last_us;        /* CLOCK_MONOTONIC: last reservation (lease return, eviction) */
    int64_t lease, lease_target;
    unsigned lease_row : 1; /* this instance may hold a lease row for the user (cleared when a return commits) */
    unsigned taking : 1;    /* a LEASE (take / top-up) is queued */
    unsigned returning : 1; /* a LEASE_RETURN is queued: nothing is reserved against the lease meanwhile */
    char user[];
} credit_t;

typedef struct st_stripe_t {
    pthread_mutex_t lock;
    credit_t **buckets;
    size_t nbuckets, n;
} stripe_t;

struct st_gw_store_ledger_t {
    gw_store_t *st;
    int pg;
    int64_t instance;
    gw_store_db_t *lockdb; /* PostgreSQL: holds the instance advisory lock */
    slot_t slots[GW_LEDGER_PG_SLOTS];
    size_t nslots;
    atomic_uint rr;
    slot_t wslot; /* statements on the store's writer connection (the journal), writer thread only */
    stripe_t stripes[CT_STRIPES];
    pthread_mutex_t slock; /* counters */
    uint64_t batches, batched_ops;
    _Atomic uint64_t lease_takes, lease_returns, lease_reserves, leases_reclaimed, evicted; /* counters, relaxed */
    gw_store_lease_conf_t lc;                                                               /* lc.calls = 0: no leases */
    struct st_rate_share_t *rate;                                                           /* gw_store_ratelimit_share */
    /* The journal's lease cursor (writer thread): this instance's lease row of the user whose items
     * are applied now, read once FOR UPDATE and written once per user and transaction (the journal
     * is sorted by user on PostgreSQL), instead of one UPDATE of that row per reservation and per
     * settlement (a row updated hundreds of times in one transaction grows a chain of versions). */
    struct {
        char user[GW_USER_ID_MAX + 1];
        int active, row, dirty;
        int64_t amount, delta, now;
    } lcur;
    /* the lease thread: idle returns, eviction, reclaiming the leases of instances that are gone */
    pthread_t thread;
    int thread_started, thread_stop;
    pthread_mutex_t tlock;
    pthread_cond_t tcond;
};

static uint64_t ct_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int64_t ct_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The user's entry, created when `create` (stripe lock held). NULL: absent or out of memory. */
static credit_t *ct_get(stripe_t *sp, const char *user, uint64_t h, int create)
{
    if (sp->nbuckets != 0)
        for (credit_t *e = sp->buckets[h % sp->nbuckets]; e != NULL; e = e->next)
            if (e->hash == h && strcmp(e->user, user) == 0)
                return e;
    if (!create)
        return NULL;
    if (sp->n >= sp->nbuckets) {
        size_t nb = sp->nbuckets ? sp->nbuckets * 2 : 64;
        credit_t **b = calloc(nb, sizeof(*b));
        if (b == NULL)
            return NULL;
        for (size_t i = 0; i < sp->nbuckets; i++)
            for (credit_t *e = sp->buckets[i], *next; e != NULL; e = next) {
                next = e->next;
                e->next = b[e->hash % nb];
                b[e->hash % nb] = e;
            }
        free(sp->buckets);
        sp->buckets = b;
        sp->nbuckets = nb;
    }
    size_t ul = strlen(user) + 1;
    credit_t *e = calloc(1, sizeof(*e) + ul);
    if (e == NULL)
        return NULL;
    memcpy(e->user, user, ul);
    e->hash = h;
    e->next = sp->buckets[h % sp->nbuckets];
    sp->buckets[h % sp->nbuckets] = e;
    sp->n++;
    return e;
}

static void ct_free(gw_store_ledger_t *lg)
{
    for (size_t i = 0; i < CT_STRIPES; i++) {
        stripe_t *sp = &lg->stripes[i];
        for (size_t b = 0; b < sp->nbuckets; b++)
            for (credit_t *e = sp->buckets[b], *next; e != NULL; e = next) {
                next = e->next;
                free(e);
            }
        free(sp->buckets);
        pthread_mutex_destroy(&sp->lock);
    }
}

/* ---- pool ---- */

static void *lease_thread(void *arg);
static int leases_give_back(gw_store_ledger_t *lg, struct st_slot_t *sl, int64_t instance, int64_t expired_before, int64_t *count);

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
    pthread_mutex_init(&lg->slock, NULL);
    pthread_mutex_init(&lg->tlock, NULL);
    {
        pthread_condattr_t ca;
        pthread_condattr_init(&ca);
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        pthread_cond_init(&lg->tcond, &ca);
        pthread_condattr_destroy(&ca);
    }
    for (size_t i = 0; i < CT_STRIPES; i++)
        pthread_mutex_init(&lg->stripes[i].lock, NULL);
    for (size_t i = 0; i < lg->nslots; i++) {
        pthread_mutex_init(&lg->slots[i].lock, NULL);
        if ((lg->slots[i].db = open_db(pg, target, err, errlen)) == NULL)
            goto fail;
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
    if (pthread_create(&lg->thread, NULL, lease_thread, lg) != 0) {
        snprintf(err, errlen, "ledger: cannot start the lease thread");
        goto fail;
    }
    lg->thread_started = 1;
    return lg;
fail:
    gw_store__ledger_close(lg);
    return NULL;
}

void gw_store__ledger_stop(gw_store_ledger_t *lg)
{
    if (lg == NULL || !lg->thread_started)
        return;
    pthread_mutex_lock(&lg->tlock);
    lg->thread_stop = 1;
    pthread_cond_signal(&lg->tcond);
    pthread_mutex_unlock(&lg->tlock);
    pthread_join(lg->thread, NULL);
    lg->thread_started = 0;
}

void gw_store__ledger_close(gw_store_ledger_t *lg)
{
    if (lg == NULL)
        return;
    gw_store__ledger_stop(lg);
    if (lg->pg && lg->lc.calls > 0 && lg->nslots > 0 && lg->slots[0].db != NULL)
        leases_give_back(lg, &lg->slots[0], lg->instance, INT64_MAX, NULL); /* the writer has stopped: all committed */
    for (int k = 0; k < S__COUNT; k++)
        gw_store__db_finalize(lg->wslot.s[k]); /* the writer connection itself is the store's */
    for (size_t i = 0; i < lg->nslots; i++) {
        for (int k = 0; k < S__COUNT; k++)
            gw_store__db_finalize(lg->slots[i].s[k]);
        gw_store__db_close(lg->slots[i].db);
        pthread_mutex_destroy(&lg->slots[i].lock);
    }
    gw_store__db_close(lg->lockdb); /* closing the session releases the advisory lock */
    ct_free(lg);
    free(lg->rate);
    pthread_mutex_destroy(&lg->slock);
    pthread_mutex_destroy(&lg->tlock);
    pthread_cond_destroy(&lg->tcond);
    free(lg);
}

static slot_t *slot_acquire(gw_store_ledger_t *lg)
{
    unsigned start = atomic_fetch_add_explicit(&lg->rr, 1, memory_order_relaxed);
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

/* A user id that creates rows (reserve, grant, an Idempotency-Key) passes the one rule (common/userid.h);
 * reads and settlements of existing rows only bound its length. */
static int valid_new_user(const char *u)
{
    return u != NULL && gw_user_id_valid(u, strlen(u));
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
    gw_log(GW_LOG_ERROR, "ledger: %s: %s", what, gw_store__db_errmsg(sl->db));
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

/* Is `request_id` open (of any user)? @return 1, 0, or -1. */
static int open_exists(slot_t *sl, const char *request_id)
{
    gw_store_stmt_t *s = stmt(sl, S_OPEN_GET);
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, request_id);
    int rc = gw_store__step(s);
    gw_store__reset(s);
    return rc;
}

/* Removes the open reservation. @return 1 (user, amount and lease filled), 0 none, -1 error. */
static int open_take(slot_t *sl, const char *request_id, char *user, size_t userlen, int64_t *amount, int *lease)
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
        *lease = gw_store__col_int64(s, 2) != 0;
    }
    gw_store__reset(s);
    return rc;
}

/* Records the reservation as open (lease: admitted against this instance's lease). @return 0 or GW_STORE_E_DB. */
static int open_ins(gw_store_ledger_t *lg, slot_t *sl, const ledger_op_t *op, int lease)
{
    gw_store_stmt_t *s = stmt(sl, S_OPEN_INS);
    if (s == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->rid);
    gw_store__bind_text(s, 2, op->user);
    gw_store__bind_int64(s, 3, op->amount);
    gw_store__bind_int64(s, 4, lg->instance);
    gw_store__bind_int64(s, 5, op->now);
    gw_store__bind_int64(s, 6, lease);
    return run(s) < 0 ? GW_STORE_E_DB : 0;
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
    return open_ins(lg, sl, op, 0);
}

/* reserve_exact at its own savepoint: a refusal undoes only its own rows. */
static int reserve_exact_sp(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    gw_store_stmt_t *sp = stmt(sl, S_SP), *rel = stmt(sl, S_SP_RELEASE), *undo = stmt(sl, S_SP_UNDO);
    if (sp == NULL || rel == NULL || undo == NULL || run(sp) < 0)
        return GW_STORE_E_DB;
    int rc = reserve_exact(lg, sl, op);
    if (rc != GW_STORE_E_DB && ((rc != 0 && run(undo) < 0) || run(rel) < 0))
        rc = GW_STORE_E_DB;
    return rc;
}

/* Writes the cursor's pending change of the lease row and forgets the row. @return 0 or -1. */
static int lcur_flush(gw_store_ledger_t *lg, slot_t *sl)
{
    int rc = 0;
    if (lg->lcur.active && lg->lcur.row && lg->lcur.dirty) {
        gw_store_stmt_t *s = stmt(sl, S_LEASE_ADD);
        if (s == NULL)
            return -1;
        gw_store__bind_int64(s, 1, lg->lcur.delta);
        gw_store__bind_int64(s, 2, lg->lcur.now + lg->lc.ttl_ms * 1000);
        gw_store__bind_int64(s, 3, lg->lcur.now);
        gw_store__bind_text(s, 4, lg->lcur.user);
        gw_store__bind_int64(s, 5, lg->instance);
        rc = run(s) < 0 ? -1 : 0;
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
    if (lcur_flush(lg, sl) != 0)
        return -1;
    gw_store_stmt_t *s = stmt(sl, S_LEASE_LOCK);
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
    return lcur_flush(lg, &lg->wslot);
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
static int reserve_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    if (!op->lease)
        return reserve_exact_sp(lg, sl, op);
    if (lcur_load(lg, sl, op->user, op->now) != 0)
        return GW_STORE_E_DB;
    if (!lg->lcur.row || lg->lcur.amount < op->amount) {
        op->lease_out = GW_J_LEASE_LOST;
        return reserve_exact_sp(lg, sl, op);
    }
    int64_t n = ledger_ins(sl, op->user, op->rid, "reserve", -op->amount, op->now, NULL, 0);
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
static int settle_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    int64_t reserved = 0;
    int lease = 0;
    /* the open row of this user's request: refusals (none, another user's) write nothing, so no savepoint */
    gw_store_stmt_t *t = stmt(sl, S_OPEN_DEL_USER);
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
        if ((rc = settled(sl, op->rid)) < 0 || bal_get(sl, op->user, &op->bal, NULL) < 0)
            return GW_STORE_E_DB;
        if (rc == 1)
            return 0;
        if ((rc = open_exists(sl, op->rid)) < 0)
            return GW_STORE_E_DB;
        return rc == 1 ? GW_STORE_E_INVAL : GW_STORE_E_NOTFOUND;
    }
    pol_meter_settlement_t s;
    pol_meter_settle(reserved, op->amount, &s);
    if (ledger_ins(sl, op->user, op->rid, "settle", -s.overrun, op->now, s.flagged ? "actual cost above the reservation" : NULL,
                   s.flagged) < 0 ||
        (s.refund > 0 && ledger_ins(sl, op->user, op->rid, "refund", s.refund, op->now, NULL, 0) < 0))
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
        return bal_add(sl, op->user, s.refund - s.overrun, 0, op->now, &op->bal) != 1 ? GW_STORE_E_DB : 0;
    }
    if (bal_add(sl, op->user, s.refund - s.overrun, reserved, op->now, &op->bal) != 1)
        return GW_STORE_E_DB;
    return 0;
}

/* A lease take or top-up: the balance row gives op->amount to this instance's lease row, if it
 * holds that much. @return 0, GW_E_CREDITS (op->bal = the balance row), GW_STORE_E_DB. */
static int lease_take_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    gw_store_stmt_t *s = stmt(sl, S_LEASE_DEBIT);
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
    if ((s = stmt(sl, S_LEASE_PUT)) == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->user);
    gw_store__bind_int64(s, 2, lg->instance);
    gw_store__bind_int64(s, 3, op->amount);
    gw_store__bind_int64(s, 4, op->now + lg->lc.ttl_ms * 1000);
    gw_store__bind_int64(s, 5, op->now);
    return run(s) < 0 ? GW_STORE_E_DB : 0;
}

/* Gives this instance's lease of op->user back to the balance row. @return 0 or GW_STORE_E_DB;
 * op->lease_delta = the amount given back (0: there was no lease row), op->bal = the balance row. */
static int lease_return_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    gw_store_stmt_t *s = stmt(sl, S_LEASE_DEL);
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
    return bal_add(sl, op->user, op->lease_delta, 0, op->now, &op->bal) != 1 ? GW_STORE_E_DB : 0;
}

/* A grant (amount >= 0) or adjustment, creating the user if new. @return 0 or GW_STORE_E_DB. */
static int grant_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    int rc = bal_get(sl, op->user, NULL, NULL);
    if (rc < 0 || (rc == 0 && user_create(lg, sl, op->user, 0, op->now) != 0))
        return GW_STORE_E_DB;
    if (ledger_ins(sl, op->user, op->rid, op->amount >= 0 ? "grant" : "adjust", op->amount, op->now, op->note, 0) != 1 ||
        bal_add(sl, op->user, op->amount, 0, op->now, &op->bal) != 1)
        return GW_STORE_E_DB;
    return 0;
}

/* ---- shared rate-limit buckets (gw_store_ratelimit_share) ---- */

#define RATE_UNITS INT64_C(60000000) /* per token, as policy/ratelimit.c */

typedef struct st_rate_share_t {
    gw_store_t *st;
    pol_ratelimit_t *rl;
} rate_share_t;

/* One question in flight: the journal item's ctx. */
typedef struct st_rate_q_t {
    pol_ratelimit_t *rl;
    char kind;
    int64_t debt, want, refill_ms;
    char key[];
} rate_q_t;

/*
 * A question to the shared bucket op->user / kind op->rid[0]: refill it to now (limit per minute,
 * at most one minute's worth), charge op->grant tokens (debt allowed down to minus a minute's
 * worth), grant up to op->amount whole tokens. op->bal = tokens granted; the question's
 * refill_ms = how long the bucket needs for the rest. The row lock (FOR UPDATE) orders instances.
 */
static int rate_body(slot_t *sl, ledger_op_t *op)
{
    int64_t per_minute = op->limit, cap = per_minute * RATE_UNITS, level = cap, at = op->now;
    gw_store_stmt_t *s = stmt(sl, S_RATE_INS);
    if (s == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->user);
    gw_store__bind_text(s, 2, op->rid);
    gw_store__bind_int64(s, 3, cap);
    gw_store__bind_int64(s, 4, op->now);
    if (run(s) < 0 || (s = stmt(sl, S_RATE_GET)) == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_text(s, 1, op->user);
    gw_store__bind_text(s, 2, op->rid);
    int rc = gw_store__step(s);
    if (rc == 1) {
        level = gw_store__col_int64(s, 0);
        at = gw_store__col_int64(s, 1);
    }
    gw_store__reset(s);
    if (rc != 1)
        return GW_STORE_E_DB;
    int64_t dt = op->now - at;
    dt = dt < 0 ? 0 : dt > RATE_UNITS ? RATE_UNITS : dt;
    level += dt * per_minute;
    if (level > cap)
        level = cap;
    level -= op->grant * RATE_UNITS;
    if (level < -cap)
        level = -cap;
    int64_t granted = level > 0 ? level / RATE_UNITS : 0;
    if (granted > op->amount)
        granted = op->amount;
    level -= granted * RATE_UNITS;
    op->bal = granted;
    if (granted < op->amount && op->ctx != NULL) {
        int64_t lack = (op->amount - granted) * RATE_UNITS - (level > 0 ? level : 0);
        ((rate_q_t *)op->ctx)->refill_ms = (lack + per_minute * 1000 - 1) / (per_minute * 1000);
    }
    if ((s = stmt(sl, S_RATE_PUT)) == NULL)
        return GW_STORE_E_DB;
    gw_store__bind_int64(s, 1, level);
    gw_store__bind_int64(s, 2, op->now > at ? op->now : at);
    gw_store__bind_text(s, 3, op->user);
    gw_store__bind_text(s, 4, op->rid);
    return run(s) < 0 ? GW_STORE_E_DB : 0;
}

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

static int op_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op)
{
    switch (op->kind) {
    case GW_J_RESERVE:
        return reserve_body(lg, sl, op);
    case GW_J_GRANT:
        return grant_body(lg, sl, op);
    case GW_J_SETTLE:
    case GW_J_FINISH:
        return settle_body(lg, sl, op);
    case GW_J_LEASE:
        return lcur_flush(lg, sl) != 0 ? GW_STORE_E_DB : lease_take_body(lg, sl, op);
    case GW_J_LEASE_RETURN:
        return lcur_flush(lg, sl) != 0 ? GW_STORE_E_DB : lease_return_body(lg, sl, op);
    case GW_J_RATE:
        return rate_body(sl, op);
    default:
        return 0;
    }
}

static const char *op_name(const ledger_op_t *op)
{
    return op->kind == GW_J_RATE           ? "rate bucket"
           : op->kind == GW_J_RESERVE      ? "reserve"
           : op->kind == GW_J_GRANT        ? "grant"
           : op->kind == GW_J_LEASE        ? "lease"
           : op->kind == GW_J_LEASE_RETURN ? "lease return"
                                           : "settle";
}

int gw_store__ledger_apply(gw_store_ledger_t *lg, gw_store_db_t *db, gw_journal_item_t *op)
{
    slot_t *sl = &lg->wslot;
    if (sl->db == NULL)
        sl->db = db;
    /* Only an exact reservation can be refused after writing (its reserve row): it takes a
     * savepoint of its own (reserve_exact_sp); every other body refuses before it writes. */
    int rc = op_body(lg, sl, op);
    if (rc == GW_STORE_E_DB)
        log_err(sl, op_name(op));
    return op->rc = rc;
}

void gw_store__ledger_applied(gw_store_ledger_t *lg, gw_journal_item_t *it, int committed)
{
    int settles = it->kind == GW_J_FINISH && it->settle;
    int leases = it->kind == GW_J_LEASE || it->kind == GW_J_LEASE_RETURN || it->lease;
    if (it->kind != GW_J_RESERVE && it->kind != GW_J_SETTLE && it->kind != GW_J_GRANT && !settles && !leases)
        return;
    int known = committed && (it->rc == 0 || it->rc == GW_E_CREDITS);
    if (!known && !it->held && !leases)
        return;
    uint64_t h = ct_hash(it->user);
    stripe_t *sp = &lg->stripes[h % CT_STRIPES];
    pthread_mutex_lock(&sp->lock);
    credit_t *e = ct_get(sp, it->user, h, known || leases);
    if (e != NULL) {
        if (it->held)
            e->held -= it->amount;
        /* it->bal is the balance row, except after a reservation or settlement the lease paid for */
        int bal_row = known && it->lease_out != GW_J_LEASE_USED;
        switch (it->kind) {
        case GW_J_LEASE:
            e->taking = 0;
            if (known && it->rc == 0) {
                e->lease += it->amount;
                atomic_fetch_add_explicit(&lg->lease_takes, 1, memory_order_relaxed);
            }
            break;
        case GW_J_LEASE_RETURN:
            e->returning = 0;
            if (known) {
                e->lease_row = 0;
                if (it->lease_delta != 0)
                    atomic_fetch_add_explicit(&lg->lease_returns, 1, memory_order_relaxed);
            }
            break;
        case GW_J_RESERVE:
            if (!it->lease)
                break;
            if (!known || it->lease_out == GW_J_LEASE_UNUSED) {
                if (!e->returning)
                    e->lease += it->amount; /* not taken from the lease row: give it back in memory */
            } else if (it->lease_out == GW_J_LEASE_LOST) {
                e->lease = 0; /* the lease row is gone or smaller than believed: the next reservation asks again */
            } else {
                /* what the reservation's caller is told remains: a lower bound (other instances' leases not counted) */
                it->bal = e->bal + (e->lease > 0 ? e->lease : 0);
            }
            break;
        default:
            if (known && it->lease_out == GW_J_LEASE_USED && !e->returning)
                e->lease += it->lease_delta;
        }
        if (bal_row) {
            e->bal = it->bal;
            e->fresh_until_us = ct_now_us() + CT_FRESH_US;
        }
    }
    pthread_mutex_unlock(&sp->lock);
}

void gw_store__ledger_count(gw_store_ledger_t *lg, uint64_t ops)
{
    pthread_mutex_lock(&lg->slock);
    lg->batches++;
    lg->batched_ops += ops;
    pthread_mutex_unlock(&lg->slock);
}

/* Runs one operation through the journal and waits for its commit. */
static int submit_sync(gw_store_t *st, ledger_op_t *op)
{
    op->mode = GW_J_SYNC;
    int rc = gw_store__journal_submit(st, op);
    return rc != 0 ? rc : op->rc;
}

/* ---- credit leases (docs/internals/metering.md "Credit leases") ---- */

/*
 * What to do with the lease of entry `e` (stripe lock held) after admitting a reservation of
 * `amount`: take or top up (returns the amount, > 0) when the balance row, as last read, holds at
 * least lc.min_calls such reservations besides what is in flight; else give a lease that can no
 * longer cover `amount` back (returns -1); else nothing (0). Sizes: lc.calls x amount, at most a
 * quarter of the balance row per take (so instances leave each other most of a balance), minus
 * what the lease still holds. The database decides: a take the balance row cannot cover is refused.
 */
static int64_t lease_plan(gw_store_ledger_t *lg, credit_t *e, int64_t amount)
{
    if (e->taking || e->returning || e->fresh_until_us == 0 || amount <= 0)
        return 0;
    int64_t free_bal = e->bal - e->held;
    if (free_bal / lg->lc.min_calls >= amount) {
        int64_t target = amount > INT64_MAX / lg->lc.calls ? INT64_MAX : amount * lg->lc.calls;
        if (target > free_bal / 4)
            target = free_bal / 4;
        if (target <= e->lease || target < amount)
            return 0;
        e->taking = 1;
        e->lease_row = 1;
        e->lease_target = target;
        return target - (e->lease > 0 ? e->lease : 0);
    }
    if (e->lease_row && e->lease < amount) {
        e->returning = 1;
        e->lease = 0;
        return -1;
    }
    return 0;
}

static void lease_done(void *ctx, int rc, int64_t balance)
{
    (void)ctx, (void)rc, (void)balance; /* the credit table was updated by gw_store__ledger_applied */
}

/* Queues a lease take (kind GW_J_LEASE, `amount`) or return for `user`. On failure (closing, out of
 * memory) the entry's flag is cleared again; a lease row left behind is given back at close or by
 * recovery. */
static void lease_submit(gw_store_ledger_t *lg, const char *user, gw_journal_kind_t kind, int64_t amount)
{
    size_t ul = strlen(user) + 1;
    ledger_op_t *op = calloc(1, sizeof(*op) + ul);
    int rc = GW_STORE_E_NOMEM;
    if (op != NULL) {
        char *u = (char *)(op + 1);
        memcpy(u, user, ul);
        op->kind = kind;
        op->mode = GW_J_ASYNC;
        op->user = u;
        op->rid = u;
        op->amount = amount;
        op->now = gw_store__now_us(lg->st);
        op->cb = lease_done;
        if ((rc = gw_store__journal_submit(lg->st, op)) != 0)
            free(op);
    }
    if (rc == 0)
        return;
    uint64_t h = ct_hash(user);
    stripe_t *sp = &lg->stripes[h % CT_STRIPES];
    pthread_mutex_lock(&sp->lock);
    credit_t *e = ct_get(sp, user, h, 0);
    if (e != NULL) {
        if (kind == GW_J_LEASE)
            e->taking = 0;
        else
            e->returning = 0;
    }
    pthread_mutex_unlock(&sp->lock);
}

int gw_store_ledger_leases(gw_store_t *st, const gw_store_lease_conf_t *conf)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    if (conf->calls < 0 || (conf->calls > 0 && (conf->min_calls < 1 || conf->idle_ms < 1 || conf->ttl_ms <= conf->idle_ms)))
        return GW_STORE_E_INVAL;
    if (!lg->pg)
        return 0;
    pthread_mutex_lock(&lg->tlock);
    lg->lc = *conf;
    pthread_cond_signal(&lg->tcond);
    pthread_mutex_unlock(&lg->tlock);
    return 0;
}

int gw_store_reserve(gw_store_t *st, const char *user_id, const char *request_id, int64_t amount, int64_t default_grant,
                     int64_t *balance_after)
{
    if (!valid_new_user(user_id) || !valid_id(request_id, GW_REQUEST_ID_MAX) || amount < 0 || default_grant < 0)
        return GW_STORE_E_INVAL;
    ledger_op_t op = {.kind = GW_J_RESERVE, .user = user_id, .rid = request_id, .amount = amount, .grant = default_grant};
    op.now = gw_store__now_us(st);
    int rc = submit_sync(st, &op);
    if (rc != GW_STORE_E_DB && rc != GW_STORE_E_CLOSED && balance_after)
        *balance_after = op.bal;
    return rc;
}

int gw_store_reserve_async(gw_store_t *st, const char *user_id, const char *request_id, int64_t amount, int64_t default_grant,
                           int64_t *balance_now, gw_store_done_cb cb, void *ctx)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    if (!valid_new_user(user_id) || !valid_id(request_id, GW_REQUEST_ID_MAX) || amount < 0 || default_grant < 0 || cb == NULL)
        return GW_STORE_E_INVAL;
    if (gw_store_unavailable(st))
        return GW_STORE_E_FULL;
    uint64_t h = ct_hash(user_id);
    stripe_t *sp = &lg->stripes[h % CT_STRIPES];
    pthread_mutex_lock(&sp->lock);
    credit_t *e = ct_get(sp, user_id, h, 1);
    if (e == NULL) {
        pthread_mutex_unlock(&sp->lock);
        return GW_STORE_E_NOMEM;
    }
    int64_t now = ct_now_us(), lease_op = 0; /* > 0: take a lease of that much; < 0: give the lease back */
    int on_lease = 0;
    e->last_us = now;
    if (lg->lc.calls > 0 && !e->returning && e->lease >= amount) {
        /* admitted against this instance's lease: no balance row in the transaction */
        e->lease -= amount;
        on_lease = 1;
        atomic_fetch_add_explicit(&lg->lease_reserves, 1, memory_order_relaxed);
        if (e->lease < e->lease_target / 2)
            lease_op = lease_plan(lg, e, amount);
    } else {
        if (e->fresh_until_us != 0 && now < e->fresh_until_us && e->bal - e->held < amount) {
            /* refused in memory: the balance was read from the database less than CT_FRESH_US ago
             * and what is not held by reservations in flight cannot cover this one */
            if (balance_now)
                *balance_now = e->bal - e->held > 0 ? e->bal - e->held : 0;
            if (lg->lc.calls > 0 && e->lease_row && !e->taking && !e->returning && e->lease > 0) {
                /* what is left in our lease could not pay for this: give it back to the balance row */
                e->returning = 1;
                e->lease = 0;
                pthread_mutex_unlock(&sp->lock);
                lease_submit(lg, user_id, GW_J_LEASE_RETURN, 0);
                return GW_E_CREDITS;
            }
            pthread_mutex_unlock(&sp->lock);
            return GW_E_CREDITS;
        }
        e->held += amount;
        if (lg->lc.calls > 0)
            lease_op = lease_plan(lg, e, amount);
    }
    pthread_mutex_unlock(&sp->lock);
    size_t ul = strlen(user_id) + 1, rl = strlen(request_id) + 1;
    ledger_op_t *op = calloc(1, sizeof(*op) + ul + rl);
    int rc = GW_STORE_E_NOMEM;
    if (op != NULL) {
        char *u = (char *)(op + 1), *r = u + ul;
        memcpy(u, user_id, ul);
        memcpy(r, request_id, rl);
        op->kind = GW_J_RESERVE;
        op->mode = GW_J_ASYNC;
        op->user = u;
        op->rid = r;
        op->amount = amount;
        op->grant = default_grant;
        op->now = gw_store__now_us(st);
        op->held = !on_lease;
        op->lease = on_lease;
        op->cb = cb;
        op->ctx = ctx;
        rc = gw_store__journal_submit(st, op);
        if (rc != 0)
            free(op);
    }
    if (lease_op != 0)
        lease_submit(lg, user_id, lease_op > 0 ? GW_J_LEASE : GW_J_LEASE_RETURN, lease_op > 0 ? lease_op : 0);
    if (rc == 0)
        return 0;
    pthread_mutex_lock(&sp->lock);
    if (on_lease) {
        if (!e->returning)
            e->lease += amount;
    } else {
        e->held -= amount;
    }
    pthread_mutex_unlock(&sp->lock);
    return rc;
}

int gw_store_settle(gw_store_t *st, const char *user_id, const char *request_id, int64_t actual, int64_t *balance_after)
{
    if (!valid_id(user_id, GW_USER_ID_MAX) || !valid_id(request_id, GW_REQUEST_ID_MAX) || actual < 0)
        return GW_STORE_E_INVAL;
    ledger_op_t op = {.kind = GW_J_SETTLE, .user = user_id, .rid = request_id, .amount = actual};
    op.now = gw_store__now_us(st);
    int rc = submit_sync(st, &op);
    if ((rc == 0 || rc == GW_STORE_E_NOTFOUND || rc == GW_STORE_E_INVAL) && balance_after)
        *balance_after = op.bal;
    return rc;
}

int gw_store_settle_deferred(gw_store_t *st, const char *user_id, const char *request_id, int64_t actual)
{
    if (!valid_id(user_id, GW_USER_ID_MAX) || !valid_id(request_id, GW_REQUEST_ID_MAX) || actual < 0)
        return GW_STORE_E_INVAL;
    size_t ul = strlen(user_id) + 1, rl = strlen(request_id) + 1;
    ledger_op_t *op = calloc(1, sizeof(*op) + ul + rl);
    if (op == NULL)
        return GW_STORE_E_NOMEM;
    char *u = (char *)(op + 1), *r = u + ul;
    memcpy(u, user_id, ul);
    memcpy(r, request_id, rl);
    op->kind = GW_J_SETTLE;
    op->mode = GW_J_DEFERRED;
    op->user = u;
    op->rid = r;
    op->amount = actual;
    op->now = gw_store__now_us(st);
    int rc = gw_store__journal_submit(st, op);
    if (rc != 0)
        free(op);
    return rc;
}

void gw_store_ledger_flush(gw_store_t *st)
{
    if (gw_store__journal_idle(st))
        return; /* everything submitted before is committed (or has failed for good) */
    ledger_op_t op = {.kind = GW_J_FLUSH};
    submit_sync(st, &op);
}

void gw_store_ledger_stats(gw_store_t *st, gw_store_ledger_stats_t *out)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    out->batching = 1;
    pthread_mutex_lock(&lg->slock);
    out->batches = lg->batches;
    out->ops = lg->batched_ops;
    pthread_mutex_unlock(&lg->slock);
    out->pending = gw_store__journal_pending(st);
    out->lease_takes = atomic_load_explicit(&lg->lease_takes, memory_order_relaxed);
    out->lease_returns = atomic_load_explicit(&lg->lease_returns, memory_order_relaxed);
    out->lease_reserves = atomic_load_explicit(&lg->lease_reserves, memory_order_relaxed);
    out->leases_reclaimed = atomic_load_explicit(&lg->leases_reclaimed, memory_order_relaxed);
    out->evicted = atomic_load_explicit(&lg->evicted, memory_order_relaxed);
    out->users = 0;
    for (size_t i = 0; i < CT_STRIPES; i++) {
        pthread_mutex_lock(&lg->stripes[i].lock);
        out->users += lg->stripes[i].n;
        pthread_mutex_unlock(&lg->stripes[i].lock);
    }
}

int gw_store_grant(gw_store_t *st, const char *user_id, int64_t amount, const char *reason, int64_t *balance_after)
{
    char rid[48], note[NOTE_MAX + 1];
    unsigned char rnd[12];
    if (!valid_new_user(user_id))
        return GW_STORE_E_INVAL;
    randombytes_buf(rnd, sizeof(rnd));
    memcpy(rid, "grant:", 6);
    sodium_bin2hex(rid + 6, sizeof(rid) - 6, rnd, sizeof(rnd));
    snprintf(note, sizeof(note), "%s", reason ? reason : "");
    ledger_op_t op = {.kind = GW_J_GRANT, .user = user_id, .rid = rid, .amount = amount, .note = reason ? note : NULL};
    op.now = gw_store__now_us(st);
    int rc = submit_sync(st, &op);
    if (rc != 0)
        return rc == GW_STORE_E_CLOSED ? rc : GW_STORE_E_DB;
    if (balance_after)
        *balance_after = op.bal;
    return 0;
}

int gw_store_balance(gw_store_t *st, const char *user_id, int64_t *balance, int64_t *reserved)
{
    if (!valid_id(user_id, GW_USER_ID_MAX))
        return GW_STORE_E_INVAL;
    gw_store_ledger_flush(st); /* read your own deferred settles */
    slot_t *sl = slot_acquire(gw_store__ledger(st));
    int64_t b = 0, r = 0;
    int rc = -1;
    gw_store_stmt_t *s = stmt(sl, S_BAL_PUB); /* the balance row + leases, the open reservations of both kinds */
    if (s != NULL) {
        gw_store__bind_text(s, 1, user_id);
        if ((rc = gw_store__step(s)) == 1) {
            b = gw_store__col_int64(s, 0);
            r = gw_store__col_int64(s, 1);
        }
        gw_store__reset(s);
    }
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
    if (!valid_id(user_id, GW_USER_ID_MAX))
        return GW_STORE_E_INVAL;
    memset(info, 0, sizeof(*info));
    gw_store_ledger_flush(st);
    gw_store_db_t *db = gw_store__rdb_acquire(st);
    int ret = GW_STORE_E_DB;
    gw_store_stmt_t *s = gw_store__db_prepare(
        db, "SELECT u.consent_training, u.created_at,"
            " CAST(COALESCE(b.balance, 0) + COALESCE((SELECT SUM(l.amount) FROM credit_leases l WHERE l.user_id = u.id), 0)"
            " AS BIGINT), CAST(COALESCE(b.reserved, 0) + COALESCE((SELECT SUM(o.amount) FROM credit_open o WHERE o.user_id = u.id"
            " AND o.lease <> 0), 0) AS BIGINT)"
            " FROM users u LEFT JOIN credit_balances b ON b.user_id = u.id WHERE u.id = ?");
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
    char rid[GW_REQUEST_ID_MAX + 1];
} open_row_t;

/* Collects the request ids of open reservations of `instance` (same) or not of it, reserved before `before`. */
static int collect_open(slot_t *sl, int64_t instance, int same, int64_t before, open_row_t **rows, size_t *n)
{
    gw_store_stmt_t *s = gw_store__db_prepare(sl->db, same ? "SELECT request_id FROM credit_open WHERE instance = ? AND at < ?"
                                                           : "SELECT request_id FROM credit_open WHERE instance <> ? AND at < ?");
    size_t cap = 0;
    int rc;
    *rows = NULL;
    *n = 0;
    if (s == NULL)
        return -1;
    gw_store__bind_int64(s, 1, instance);
    gw_store__bind_int64(s, 2, before);
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
        char user[GW_USER_ID_MAX + 1];
        int64_t amount = 0;
        int lease = 0;
        int rc = open_take(sl, rows[i].rid, user, sizeof(user), &amount, &lease);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        /* settled at the reservation: nothing goes back; one against a lease was never counted in `reserved` */
        if (ledger_ins(sl, user, rows[i].rid, "settle", 0, now, "crash recovery: settled at the reserved amount", 1) < 0 ||
            (!lease && bal_add(sl, user, 0, amount, now, NULL) < 0))
            return -1;
        (*count)++;
    }
    return 0;
}

typedef struct st_lease_row_t {
    char user[GW_USER_ID_MAX + 1];
    int64_t amount;
} lease_row_t;

static int lease_row_cmp(const void *a, const void *b)
{
    return strcmp(((const lease_row_t *)a)->user, ((const lease_row_t *)b)->user);
}

/* Inside a transaction: deletes the lease rows of `instance` that expire before `expired_before` and
 * gives their amounts back to the balance rows, in user order (the order the journals lock them).
 * @return 0 or -1; *count += leases given back. */
static int lease_rows_give_back(slot_t *sl, int64_t instance, int64_t expired_before, int64_t now, int64_t *count)
{
    gw_store_stmt_t *s =
        gw_store__db_prepare(sl->db, "DELETE FROM credit_leases WHERE instance = ? AND expires_at < ? RETURNING user_id, amount");
    lease_row_t *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    if (s == NULL)
        return -1;
    gw_store__bind_int64(s, 1, instance);
    gw_store__bind_int64(s, 2, expired_before);
    while ((rc = gw_store__step(s)) == 1) {
        if (n == cap) {
            lease_row_t *r = realloc(rows, (cap = cap ? cap * 2 : 16) * sizeof(*rows));
            if (r == NULL) {
                rc = -1;
                break;
            }
            rows = r;
        }
        const char *u = gw_store__col_text(s, 0);
        snprintf(rows[n].user, sizeof(rows[n].user), "%s", u ? u : "");
        rows[n++].amount = gw_store__col_int64(s, 1);
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    if (rc == 0 && n > 1)
        qsort(rows, n, sizeof(*rows), lease_row_cmp);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (bal_add(sl, rows[i].user, rows[i].amount, 0, now, NULL) < 0)
            rc = -1;
    if (rc == 0 && count)
        *count += (int64_t)n;
    free(rows);
    return rc;
}

/* Gives every lease of `instance` expiring before `expired_before` back, in its own transaction. */
static int leases_give_back(gw_store_ledger_t *lg, slot_t *sl, int64_t instance, int64_t expired_before, int64_t *count)
{
    int64_t now = gw_store__now_us(lg->st);
    if (begin(sl) != 0 || lease_rows_give_back(sl, instance, expired_before, now, count) != 0 ||
        gw_store__db_exec(sl->db, "COMMIT") != 0) {
        log_err(sl, "lease return");
        rollback(sl);
        return -1;
    }
    return 0;
}

/*
 * Recovery. SQLite: every open reservation not of this handle. PostgreSQL: per instance that has
 * open reservations reserved before `open_before` or leases expired before now, if its advisory
 * lock is free (the instance is gone; the transaction-level lock keeps two recoverers apart):
 * settles those reservations and gives those leases back.
 */
static int recover(gw_store_ledger_t *lg, int64_t open_before, int64_t *settled_out, int64_t *reclaimed_out)
{
    int64_t now = gw_store__now_us(lg->st), count = 0, reclaimed = 0;
    open_row_t *rows = NULL;
    size_t n = 0;
    slot_t *sl = slot_acquire(lg);
    if (!lg->pg) {
        if (begin(sl) != 0 || collect_open(sl, lg->instance, 0, open_before, &rows, &n) != 0 ||
            recover_rows(sl, rows, n, now, &count) != 0 || gw_store__db_exec(sl->db, "COMMIT") != 0)
            goto dberr_rb;
    } else {
        int64_t *inst = NULL;
        size_t ni = 0, cap = 0;
        gw_store_stmt_t *s =
            gw_store__db_prepare(sl->db, "SELECT instance FROM credit_open WHERE instance <> ? AND at < ?"
                                         " UNION SELECT instance FROM credit_leases WHERE instance <> ? AND expires_at < ?");
        int rc = -1;
        if (s != NULL) {
            gw_store__bind_int64(s, 1, lg->instance);
            gw_store__bind_int64(s, 2, open_before);
            gw_store__bind_int64(s, 3, lg->instance);
            gw_store__bind_int64(s, 4, now);
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
            if (free_lock &&
                (collect_open(sl, inst[i], 1, open_before, &rows, &n) != 0 || recover_rows(sl, rows, n, now, &count) != 0 ||
                 lease_rows_give_back(sl, inst[i], now, now, &reclaimed) != 0)) {
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
    free(rows);
    slot_release(sl);
    if (count > 0)
        gw_log(GW_LOG_WARN, "ledger: crash recovery settled %" PRId64 " open reservation(s) at their reserved amount (flagged)",
               count);
    if (reclaimed > 0)
        gw_log(GW_LOG_WARN, "ledger: gave back %" PRId64 " expired credit lease(s) of instances that are gone", reclaimed);
    atomic_fetch_add_explicit(&lg->leases_reclaimed, (uint64_t)reclaimed, memory_order_relaxed);
    if (settled_out)
        *settled_out = count;
    if (reclaimed_out)
        *reclaimed_out = reclaimed;
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

int gw_store_settle_open_reservations(gw_store_t *st, int64_t *settled_out)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    int rc = recover(lg, INT64_MAX, settled_out, NULL);
    if (rc != 0)
        return rc;
    slot_t *sl = slot_acquire(lg);
    gw_store_stmt_t *p = gw_store__db_prepare(sl->db, "DELETE FROM idempotency WHERE expires_at <= ?");
    int64_t purged = -1;
    if (p != NULL) {
        gw_store__bind_int64(p, 1, gw_store__now_us(st));
        purged = run(p);
        gw_store__db_finalize(p);
    }
    if (purged < 0)
        log_err(sl, "recovery");
    slot_release(sl);
    return purged < 0 ? GW_STORE_E_DB : 0;
}

/* ---- the lease thread ---- */

/* One pass over the credit table: gives back leases unused for lc.idle_ms, drops entries with
 * nothing held, no lease and no reservation for CT_EVICT_US (bounded memory: about 100 bytes per
 * user active in the last minute). */
static void table_sweep(gw_store_ledger_t *lg, int64_t idle_us)
{
    int64_t now = ct_now_us();
    for (size_t i = 0; i < CT_STRIPES; i++) {
        stripe_t *sp = &lg->stripes[i];
        char **ret = NULL;
        size_t nret = 0, cap = 0;
        pthread_mutex_lock(&sp->lock);
        for (size_t b = 0; b < sp->nbuckets; b++)
            for (credit_t **pe = &sp->buckets[b]; *pe != NULL;) {
                credit_t *e = *pe;
                if (idle_us > 0 && e->lease_row && !e->taking && !e->returning && now - e->last_us >= idle_us) {
                    char *u = strdup(e->user);
                    char **r = nret == cap ? realloc(ret, (cap = cap ? cap * 2 : 8) * sizeof(*ret)) : ret;
                    if (u != NULL && r != NULL) {
                        ret = r;
                        ret[nret++] = u;
                        e->returning = 1;
                        e->lease = 0;
                    } else {
                        free(u);
                        if (r != NULL)
                            ret = r;
                    }
                }
                if (e->held == 0 && !e->lease_row && !e->taking && !e->returning && now - e->last_us >= CT_EVICT_US &&
                    now >= e->fresh_until_us) {
                    *pe = e->next;
                    sp->n--;
                    free(e);
                    atomic_fetch_add_explicit(&lg->evicted, 1, memory_order_relaxed);
                    continue;
                }
                pe = &e->next;
            }
        pthread_mutex_unlock(&sp->lock);
        for (size_t k = 0; k < nret; k++) {
            lease_submit(lg, ret[k], GW_J_LEASE_RETURN, 0);
            free(ret[k]);
        }
        free(ret);
    }
}

static void *lease_thread(void *arg)
{
    gw_store_ledger_t *lg = arg;
    int64_t next_recover = 0;
    pthread_mutex_lock(&lg->tlock);
    while (!lg->thread_stop) {
        gw_store_lease_conf_t lc = lg->lc;
        int64_t tick = lc.calls > 0 && lc.idle_ms * 500 < CT_TICK_MAX_US ? lc.idle_ms * 500 : CT_TICK_MAX_US;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t ns = ts.tv_nsec + (tick % 1000000) * 1000;
        ts.tv_sec += (time_t)(tick / 1000000 + ns / 1000000000);
        ts.tv_nsec = (long)(ns % 1000000000);
        pthread_cond_timedwait(&lg->tcond, &lg->tlock, &ts);
        if (lg->thread_stop)
            break;
        lc = lg->lc;
        pthread_mutex_unlock(&lg->tlock);
        table_sweep(lg, lc.calls > 0 ? lc.idle_ms * 1000 : 0);
        if (lc.calls > 0 && ct_now_us() >= next_recover) {
            /* instances that are gone: their expired leases, and their reservations older than a lease's life */
            int64_t ttl_us = lc.ttl_ms * 1000;
            recover(lg, gw_store__now_us(lg->st) - ttl_us, NULL, NULL);
            next_recover = ct_now_us() + ttl_us / 2;
        }
        pthread_mutex_lock(&lg->tlock);
    }
    pthread_mutex_unlock(&lg->tlock);
    return NULL;
}

/* ---- idempotency keys ---- */

int gw_store_idempotency_get(gw_store_t *st, const char *user_id, const char *key, int *status,
                             char request_id[GW_REQUEST_ID_MAX + 1])
{
    if (!valid_id(user_id, GW_USER_ID_MAX) || !valid_id(key, GW_IDEMPOTENCY_KEY_MAX))
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
            snprintf(request_id, GW_REQUEST_ID_MAX + 1, "%s", r ? r : "");
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
    if (!valid_new_user(user_id) || !valid_id(key, GW_IDEMPOTENCY_KEY_MAX) || !valid_id(request_id, GW_REQUEST_ID_MAX) ||
        status < 0)
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
