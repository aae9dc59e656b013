/*
 * gw_store__: what store.c shares with the store's other files (store_ledger.c). Not a public
 * interface: the gateway includes store.h and store_ledger.h only.
 */
#ifndef AIGW_GATEWAY_STORE_INTERNAL_H
#define AIGW_GATEWAY_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "policy/crypto.h"

typedef struct st_gw_store_ledger_t gw_store_ledger_t;

/**
 * Opens the ledger's connections to the same database as the store (`pg` selects PostgreSQL;
 * `target` is the SQLite path or the libpq DSN, borrowed). Called by gw_store_open.
 * @return the ledger (gw_store__ledger_close), or NULL with a message in `err`.
 */
gw_store_ledger_t *gw_store__ledger_open(gw_store_t *st, int pg, const char *target, char *err, size_t errlen);

/** Stops the ledger's lease thread (NULL is fine). Called by gw_store_close before the writer stops. */
void gw_store__ledger_stop(gw_store_ledger_t *lg);

/** Closes the ledger's connections (NULL is fine), returning this instance's credit leases first. Called by
 * gw_store_close after the writer stopped. */
void gw_store__ledger_close(gw_store_ledger_t *lg);

/** The store's ledger (borrowed). */
gw_store_ledger_t *gw_store__ledger(gw_store_t *st);

/** The store's clock: µs since the epoch (tests replace it with gw_store_set_clock). */
int64_t gw_store__now_us(gw_store_t *st);

/**
 * Inserts the users row for `user_id` with a fresh data key wrapped by the master key, unless
 * it exists (ON CONFLICT DO NOTHING), on connection `db` inside the caller's transaction.
 * @return 0, or -1 (see gw_store__db_errmsg, or a crypto failure).
 */
int gw_store__user_insert(gw_store_t *st, gw_store_db_t *db, const char *user_id);

/** Hex digits of gw_store__user_ref. */
#define GW_STORE_USER_REF_CHARS 32

/**
 * A pseudonymous reference to a user for identifiers that must outlive an erasure (the default
 * grant's ledger request id): keyed BLAKE2b-128 of the id, the key derived from the master key,
 * so the id cannot be read back or tested without it. `out` gets 32 hex digits and a NUL.
 */
void gw_store__user_ref(const gw_store_t *st, const char *user_id, char out[GW_STORE_USER_REF_CHARS + 1]);

/* ---- asynchronous predictions (store_predict.c) ---- */

/**
 * The writer connection under the store's write lock, for a blocking operation of another store
 * file (store_predict.c): a new key-validation round starts (cached data keys are re-read).
 * Release with gw_store__wdb_release. Never from a worker loop.
 */
gw_store_db_t *gw_store__wdb_acquire(gw_store_t *st);
void gw_store__wdb_release(gw_store_t *st);

/**
 * The user's data key on the writer connection (under the write lock or on the writer thread,
 * inside the caller's transaction). `create` 0: an unknown user gives NULL with
 * GW_STORE_E_NOTFOUND (a read never re-creates an erased user). @return the key (borrowed, valid
 * until the next call), or NULL with *err set.
 */
const pol_key_t *gw_store__user_key(gw_store_t *st, const char *user_id, int create, int *err);

/**
 * store_predict.c, on the writer thread inside the batch's transaction: stores the prediction
 * of call record `r` (r->predict, not NULL) of `user` with its vault sealed under the user's data
 * key `dk`. A repeated (provider, id) changes nothing. @return 0 or GW_STORE_E_*.
 */
int gw_store__predict_write(gw_store_t *st, gw_store_db_t *db, const pol_key_t *dk, const char *user, const gw_call_rec_t *r);

/* ---- the journal (store.c): ledger operations and finished calls, group-committed by the writer ---- */

typedef enum en_gw_journal_kind_t {
    GW_J_RESERVE = 1,  /* reserve `amount` for (user, rid) */
    GW_J_SETTLE,       /* settle (user, rid) at `amount` */
    GW_J_GRANT,        /* grant `amount` (note = reason) */
    GW_J_FLUSH,        /* nothing: completes once everything queued before it is committed */
    GW_J_FINISH,       /* a finished call: its call record (rec) and, when `settle`, its settlement at `amount` */
    GW_J_LEASE,        /* take (or top up) this instance's credit lease of `amount` from the user's balance row */
    GW_J_LEASE_RETURN, /* give this instance's credit lease of the user back to the balance row */
    GW_J_RATE          /* shared rate bucket `user` (the key), kind rid[0]: charge `grant` tokens, grant up to `amount` */
} gw_journal_kind_t;

/** gw_journal_item_t.lease_out: what a reservation admitted against a lease, or a settlement, did with it. */
enum { GW_J_LEASE_NA = 0, GW_J_LEASE_USED, GW_J_LEASE_LOST, GW_J_LEASE_UNUSED };

typedef enum en_gw_journal_mode_t {
    GW_J_SYNC = 1, /* a blocked caller waits for `done` (the item lives on its stack) */
    GW_J_DEFERRED, /* nobody waits: heap item, a failure is logged, freed after completion */
    GW_J_ASYNC     /* heap item: `cb` fires once after commit (or final failure), then it is freed */
} gw_journal_mode_t;

/** One journal entry. Strings point into the item (heap items) or at the caller's (SYNC). */
typedef struct st_gw_journal_item_t {
    struct st_gw_journal_item_t *next;
    gw_journal_kind_t kind;
    gw_journal_mode_t mode;
    const char *user, *rid, *note;
    int64_t amount, grant, now;
    int64_t limit;       /* GW_J_RATE: the limit per minute; out: the refill time of what was not granted, ms */
    int settle;          /* GW_J_FINISH: also settle */
    gw_call_rec_t *rec;  /* GW_J_FINISH: owned, may be NULL */
    int held;            /* GW_J_RESERVE admitted by the credit table: release `amount` from it at completion */
    int lease;           /* GW_J_RESERVE admitted against this instance's lease (the credit table took `amount` from it) */
    int lease_out;       /* out, RESERVE: GW_J_LEASE_USED, _LOST (no lease row could cover it: debited from the balance
                          * row), _UNUSED (a repeated request id: nothing taken); SETTLE/FINISH: USED when the
                          * difference went back to this instance's lease (lease_delta) */
    int64_t lease_delta; /* out: SETTLE/FINISH refund - overrun credited to the lease; RETURN: the amount returned */
    int failures;        /* GW_J_FINISH: failed attempts */
    int64_t bal;         /* out: balance after */
    int rc;              /* out: 0, GW_E_CREDITS, GW_STORE_E_NOTFOUND, GW_STORE_E_INVAL, GW_STORE_E_DB */
    int done;            /* SYNC: set under the store's queue lock when rc and bal are final */
    gw_store_done_cb cb; /* GW_J_ASYNC */
    void *ctx;
} gw_journal_item_t;

/**
 * Queues `it` for the writer's next transaction. SYNC: returns after completion with it->rc set.
 * DEFERRED/ASYNC: returns at once (the item belongs to the journal). @return 0, or
 * GW_STORE_E_CLOSED (the store is closing; the item was not taken, its callback does not fire).
 */
int gw_store__journal_submit(gw_store_t *st, gw_journal_item_t *it);

/** 1 when nothing is queued, waiting for a retry or being committed by the writer. */
int gw_store__journal_idle(gw_store_t *st);

/** Journal items queued and not yet taken by the writer (FLUSH items not counted). */
size_t gw_store__journal_pending(gw_store_t *st);

/**
 * store_ledger.c: applies one ledger item (RESERVE, SETTLE, GRANT, or the settlement of a FINISH)
 * on the writer connection `db` inside the writer's transaction; a refusal undoes only itself (an
 * exact reservation takes a savepoint, the others refuse before writing). @return the item's rc: 0, GW_E_CREDITS,
 * GW_STORE_E_NOTFOUND, GW_STORE_E_INVAL, or GW_STORE_E_DB (the transaction must be rolled back).
 */
int gw_store__ledger_apply(gw_store_ledger_t *lg, gw_store_db_t *db, gw_journal_item_t *it);

/**
 * store_ledger.c: brackets the ledger items of one transaction: end = 0 before the first (forgets
 * what an earlier, maybe rolled-back, transaction read), end = 1 after the last (writes the lease
 * rows' pending changes). @return 0, or -1 on a database error (roll back).
 */
int gw_store__ledger_batch(gw_store_ledger_t *lg, int end);

/** store_ledger.c: after a commit (committed = 1) or a final failure, updates the credit table. */
void gw_store__ledger_applied(gw_store_ledger_t *lg, gw_journal_item_t *it, int committed);

/** store_ledger.c: counts a transaction that carried `ops` ledger operations (gw_store_ledger_stats). */
void gw_store__ledger_count(gw_store_ledger_t *lg, uint64_t ops);

/** The read connection under its lock: acquire, use, release (long report queries). */
gw_store_db_t *gw_store__rdb_acquire(gw_store_t *st);
void gw_store__rdb_release(gw_store_t *st);

#endif
