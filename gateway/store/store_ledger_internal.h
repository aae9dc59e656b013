/*
 * gw_ledger__: what the ledger's files share (store_ledger.c, store_ledger_pool.c, store_ratelimit.c, store_leases.c,
 * store_recovery.c). Not a public interface: the gateway includes store_ledger.h.
 */
#ifndef AIGW_GATEWAY_STORE_LEDGER_INTERNAL_H
#define AIGW_GATEWAY_STORE_LEDGER_INTERNAL_H

#include "gateway/store/store_ledger.h"
#include "gateway/store/store_internal.h"
#include "gateway/store/store_pgarray.h"

/* ---- the ledger object and what its files share (the files named above) ---- */

#include <pthread.h>
#include <stdatomic.h>

#define GW_LEDGER_PG_SLOTS 4
#define GW_LEDGER_LOCK_CLASS 1095321431 /* 'AIGW': first key of the instance advisory locks */
#define NOTE_MAX 500

enum {
    S_LEDGER_INS,
    S_BAL_GET,
    S_BAL_LOCK,
    S_BAL_INS,
    S_BAL_ADD,
    S_BAL_PUT,
    S_OPEN_INS,
    S_OPEN_DEL,
    S_OPEN_DEL_USER,
    S_OPEN_GET,
    S_ROW_HAS,
    S_IDEM_GET,
    S_IDEM_CLAIM,
    S_IDEM_DONE,
    S_LEASE_PUT,
    S_LEASE_LOCK,
    S_LEASE_ADD,
    S_LEASE_DEL,
    S_BAL_PUB,
    S_RATE_INS,
    S_RATE_GET,
    S_RATE_PUT,
    S_LEDGER_MANY,
    S_OPEN_MANY,
    S_OPEN_TAKE_MANY,
    S_OPEN_GET_USER, /* SQLite: settle's read of the open row, then S_OPEN_DEL_ID */
    S_OPEN_DEL_ID,
    S__COUNT
};

typedef gw_journal_item_t ledger_op_t;

/** The row cursors of the journal's transaction (gw_store_ledger_t.cur). */
enum { GW_LEDGER_CUR_BAL, GW_LEDGER_CUR_LEASE, GW_LEDGER_NCUR };

/** One row that many journal items change: credit_balances (BAL) or this instance's credit_leases
 * row (LEASE) of `user`, read once, changed in memory, written once (store_ledger.c cur_load / cur_flush). */
typedef struct st_ledger_cur_t {
    char user[GW_USER_ID_MAX + 1];
    int active;       /* `user`'s row was read in this transaction */
    int row;          /* the row exists */
    int dirty;        /* delta or released not written yet */
    int64_t amount;   /* the row's balance (BAL) or lease amount (LEASE) after the items applied so far */
    int64_t delta;    /* not written yet: amount += delta */
    int64_t released; /* BAL, not written yet: reserved -= released (negative: reservations added) */
    int64_t now;      /* updated_at of the write */
} ledger_cur_t;

/** A ledger row the journal's transaction writes with its other rows at its end (PostgreSQL, store_ledger_batch.c). */
typedef struct st_ledger_row_t {
    ledger_op_t *op; /* user, request id, time */
    int reserve;     /* 1: a reserve row and its open reservation; 0: a settle row */
    int64_t amount;  /* the ledger row's amount */
    int lease;       /* reserve: admitted against this instance's lease (credit_open.lease) */
    int flagged;     /* settle: charged above the reservation */
} ledger_row_t;

/** The open reservation of one settlement of the transaction, taken with all the others by one DELETE. */
typedef struct st_ledger_taken_t {
    ledger_op_t *op;
    uint64_t hash;  /* of the request id (duplicates, look-ups) */
    int found;      /* the row (this request id and user) was there and is deleted */
    int64_t amount; /* found: what it reserved */
    int lease;      /* found: admitted against a lease */
} ledger_taken_t;

/** PostgreSQL: the journal transaction's ledger writes, batched (store_ledger_batch.c). */
typedef struct st_ledger_batch_t {
    int on;          /* this transaction batches (PostgreSQL and not strict_next) */
    int strict_next; /* the next transaction applies statement by statement (the retry of a failed batched one) */
    int retry;       /* a body met what only the statement-by-statement path answers exactly */
    int fetched;     /* the open reservations of this transaction's settlements were taken */
    ledger_row_t *rows;
    size_t nrows, crows, nreserve;
    ledger_taken_t *taken;
    size_t ntaken, ctaken, next;
    gw_store_pgarr_t col[7];
} ledger_batch_t;

typedef struct st_slot_t {
    pthread_mutex_t lock;
    gw_store_db_t *db;
    gw_store_stmt_t *s[S__COUNT];
} slot_t;

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
    _Atomic uint64_t lease_takes, lease_returns, lease_reserves, leases_reclaimed, evicted, batch_retries, recover_passes,
        bal_reads;                /* relaxed */
    gw_store_lease_conf_t lc;     /* lc.calls = 0: no leases */
    struct st_rate_share_t *rate; /* gw_store_ratelimit_share */
    /* The journal's row cursors (writer thread, store_ledger.c): the balance row of the user whose
     * items are applied now, and this instance's lease row of that user, each read once (FOR UPDATE
     * on PostgreSQL) and written once per user and transaction (the journal is sorted by user),
     * instead of one UPDATE per reservation and per settlement (on PostgreSQL a row updated hundreds
     * of times in one transaction grows a chain of versions; on SQLite each UPDATE is a B-tree
     * write). */
    ledger_cur_t cur[GW_LEDGER_NCUR];
    /* SQLite: the balance cursor as the journal's last committed transaction left it, and the writer
     * connection's data version right after that commit (gw_store__ledger_committed): the next
     * journal transaction starts with the cursor loaded when the version is still the same, i.e.
     * nothing committed since (store_ledger.c gw_store__ledger_batch). Writer only. */
    int carry;
    uint32_t carry_dv;
    /* PostgreSQL: the transaction's reserve and settle rows and open reservations, written by
     * two multi-row statements at its end, and the open reservations its settlements take, by one
     * DELETE at the first settlement (store_ledger_batch.c; writer thread) */
    ledger_batch_t b;
    /* the lease thread: idle returns, eviction, reclaiming the leases of instances that are gone */
    pthread_t thread;
    int thread_started, thread_stop;
    pthread_mutex_t tlock;
    pthread_cond_t tcond;
};

/** A shared rate bucket's question in flight (store_ratelimit.c): the GW_J_RATE item's ctx; the
 * writer's answer (store_ledger_apply.c) sets refill_ms. */
typedef struct st_rate_q_t {
    struct st_pol_ratelimit_t *rl;
    char kind;
    int64_t debt, want, refill_ms;
    char key[];
} rate_q_t;

/** FNV-1a of a user id (credit table buckets and stripes). */
uint64_t gw_ledger__ct_hash(const char *s);
/** CLOCK_MONOTONIC in µs (credit table freshness). */
int64_t gw_ledger__ct_now_us(void);
/** The user's credit table entry, created when `create` (stripe lock held). NULL: absent or out of memory. */
credit_t *gw_ledger__ct_get(stripe_t *sp, const char *user, uint64_t h, int create);
/** Frees the credit table (store_ledger_open.c, at close). */
void gw_ledger__ct_free(gw_store_ledger_t *lg);
/** A free PostgreSQL connection slot (or the SQLite one), locked. Release with gw_ledger__slot_release. */
slot_t *gw_ledger__slot_acquire(gw_store_ledger_t *lg);
/** Unlocks a slot. */
void gw_ledger__slot_release(slot_t *s);
/** The prepared statement `k` (S_*) of slot `sl`, prepared on first use. NULL on error (logged). */
gw_store_stmt_t *gw_ledger__stmt(slot_t *sl, int k);
/** Steps a statement to completion and resets it. @return rows changed, or -1. */
int64_t gw_ledger__run(gw_store_stmt_t *s);
/** BEGIN on the slot (gw_store__tx_begin: IMMEDIATE on SQLite). @return 0 or -1. */
int gw_ledger__begin(gw_store_ledger_t *lg, slot_t *sl);
/** COMMIT on the slot (gw_store__tx_commit). @return 0 or -1. */
int gw_ledger__commit(slot_t *sl);
/** ROLLBACK on the slot, errors ignored. */
void gw_ledger__rollback(slot_t *sl);
/** Appends a ledger row. @return its id, or -1. */
int64_t gw_ledger__ledger_ins(slot_t *sl, const char *user, const char *rid, const char *kind, int64_t amount, int64_t now,
                              const char *note, int flagged);
/** Adds to the user's balance row (creating it); see store_ledger.c. @return 0 or -1. */
int gw_ledger__bal_add(slot_t *sl, const char *user, int64_t delta, int64_t released, int64_t now, int64_t *bal);
/** Logs `what` with the slot's database message. */
void gw_ledger__log_err(slot_t *sl, const char *what);
/** Does `request_id` have a ledger row of `kind`? @return 1, 0, or -1. */
int gw_ledger__row_has(slot_t *sl, const char *request_id, const char *kind);
/** Takes (deletes) the open reservation of `request_id` and returns what it held. @return 1 found, 0 none, -1 error. */
int gw_ledger__open_take(slot_t *sl, const char *request_id, char *user, size_t userlen, int64_t *amount, int *lease);
/** Writes the lease cursor's pending change of the lease row and forgets the row (before a statement of its own
 * changes that row). @return 0 or -1. */
int gw_ledger__lcur_flush(gw_store_ledger_t *lg, slot_t *sl);
/** The body of a reservation inside the caller's transaction. @return 0 or GW_E_CREDITS / GW_STORE_E_*. */
int gw_ledger__reserve_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op);
/** The body of a settlement inside the caller's transaction. @return 0 or GW_STORE_E_*. */
int gw_ledger__settle_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op);
/** Takes or tops up a credit lease inside the caller's transaction. @return 0 or GW_STORE_E_*. */
int gw_ledger__lease_take_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op);
/** Returns a credit lease inside the caller's transaction. @return 0 or GW_STORE_E_*. */
int gw_ledger__lease_return_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op);
/** The body of a grant inside the caller's transaction. @return 0 or GW_STORE_E_*. */
int gw_ledger__grant_body(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op);
/** Starts the batched writes of a journal transaction (PostgreSQL; nothing on SQLite or in a strict retry). */
void gw_ledger__batch_begin(gw_store_ledger_t *lg);
/** Sends the transaction's batched rows (pipelined, no round trip). @return 0 or -1 (roll back). */
int gw_ledger__batch_flush(gw_store_ledger_t *lg, slot_t *sl);
/** Adds a reserve row (reserve = 1: -op->amount, and its open reservation of op->amount, `lease` as
 * credit_open.lease; `amount` unused) or a settle row (reserve = 0: `amount`, `flagged`) to the transaction's
 * batch. @return 0 or -1 (out of memory). */
int gw_ledger__batch_row(gw_store_ledger_t *lg, ledger_op_t *op, int reserve, int64_t amount, int lease, int flagged);
/** The open reservation of settlement `op` (user and request id), deleted: on its first call in a transaction takes
 * those of `op` and of every settlement after it in the journal with one statement. @return 1 (*amount, *lease
 * filled), 0 none, -1 database error. */
int gw_ledger__batch_take(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op, int64_t *amount, int *lease);
/** Does the batch hold a row of op->rid, or did it take an open reservation of op->rid for another item? */
int gw_ledger__batch_mentions(gw_store_ledger_t *lg, const ledger_op_t *op);
/** Marks the transaction for a retry statement by statement. @return GW_STORE_E_DB (the body's result). */
int gw_ledger__batch_retry(gw_store_ledger_t *lg);
/** Frees the batch's memory (ledger close). */
void gw_ledger__batch_free(gw_store_ledger_t *lg);
/** Queues `op` on the journal and waits for its commit. @return its rc. */
int gw_ledger__submit_sync(gw_store_t *st, ledger_op_t *op);
/** The lease thread (pthread entry point): idle returns, eviction, reclaiming. */
void *gw_ledger__lease_thread(void *arg);
/** Gives back the expired leases of `instance` on slot `sl`; *count = leases returned. @return 0 or -1. */
int gw_ledger__leases_give_back(gw_store_ledger_t *lg, slot_t *sl, int64_t instance, int64_t expired_before, int64_t *count);
/** Crash recovery: settles reservations left open (flagged) and reclaims expired leases of gone instances. @return 0 or -1. */
int gw_ledger__recover(gw_store_ledger_t *lg, int64_t open_before, int64_t *settled_out, int64_t *reclaimed_out);

#endif
