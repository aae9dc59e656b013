/*
 * gw_store ledger: credits (issue 6; DESIGN.md section 5). Blocking calls, safe from any
 * number of threads (a thread pool, the CLI, admin handlers; never a worker loop) and from
 * several processes or instances sharing the database.
 *
 * Rows. `ledger(id, user_id, request_id, kind, amount_microcredits, at, note, flagged)` is
 * append-only; (request_id, kind) is unique, which makes every call idempotent. Signs: grant +g,
 * adjust ±a, reserve -r (the hold), settle +(r - actual): what goes back, or, negative and
 * flagged, what the call cost beyond its reservation (one settle row per call; databases written
 * before issue 12's third session also hold `refund` rows +(r - actual) beside a settle row of
 * -(actual - r) or 0, and every sum below reads both). A user's balance is the sum
 * of their rows: it already excludes open reservations. `credit_balances(user_id, balance,
 * reserved)` holds that sum and the total of open reservations, updated in the same
 * transaction as the rows (the check "can the balance cover it" is one row read, not a scan),
 * and `credit_open(request_id, user_id, amount, instance, at)` lists reservations not settled
 * yet (crash recovery reads it). Amounts are micro-credits (int64).
 *
 * Atomicity. A reservation is decided in its journal transaction from the user's balance row,
 * read once per transaction (`SELECT ... FOR UPDATE` on PostgreSQL: the row lock is held to the
 * commit, so two instances can never both pass; on SQLite the transaction is BEGIN IMMEDIATE,
 * one writer at a time), debited in memory by each reservation, and written once per user and
 * transaction. Commit happens before the call returns: the reservation is durable before
 * anything is forwarded.
 *
 * Group commit (both backends; issue 12). Reserve, settle and grant are items of the store's
 * journal: its writer thread commits everything queued while the last transaction ran in one
 * transaction, sorted by user (each user's order kept), every operation deciding a refusal
 * before it writes (no savepoints); a database error fails the
 * whole batch (each of its callers gets GW_STORE_E_DB, nothing of it is applied). See
 * store_ledger.c and docs/internals/metering.md.
 */
#ifndef AIGW_GATEWAY_STORE_LEDGER_H
#define AIGW_GATEWAY_STORE_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include "gateway/store/store.h"
#include "gateway/store/store_report.h"
#include "common/buf.h"

/** How long an Idempotency-Key is remembered: 24 hours, in µs. */
#define GW_STORE_IDEM_TTL_US (INT64_C(86400) * 1000000)

/**
 * Reserves `amount` micro-credits for call `request_id` of `user_id`, in one committed
 * transaction: creates the user (users row with a data key, balance row, and a `grant` row of
 * `default_grant` with request id "default-grant:<user>" the first time that user is seen; a
 * user re-created after erasure gets no second default grant), refuses when the balance cannot
 * cover the amount, else appends the reserve row and records it as open.
 * Repeating a request_id that is already reserved changes nothing and returns 0.
 * @param amount >= 0. @param balance_after receives the balance after the call (also on
 *        GW_E_CREDITS: the balance that was too low); may be NULL.
 * @return 0, GW_E_CREDITS (402: nothing written), GW_STORE_E_INVAL (bad id or amount),
 *         GW_STORE_E_DB.
 */
int gw_store_reserve(gw_store_t *st, const char *user_id, const char *request_id, int64_t amount, int64_t default_grant,
                     int64_t *balance_after);

/**
 * The gateway's reservation: the same transaction as gw_store_reserve, without blocking. First a
 * check-and-decrement in the in-memory credit table (no SQL): when the user's balance was read
 * from the database less than 1 s ago and, minus the reservations in flight, cannot cover
 * `amount`, it refuses at once; otherwise the amount is held in memory and the reservation is
 * queued for the writer's next group commit, whose conditional debit in the database decides
 * (so a stale table can never overspend: other instances and other processes are seen there).
 * `cb` fires on the writer thread after that commit with rc 0 (reserved; balance_after as
 * gw_store_reserve), GW_E_CREDITS (refused by the database), GW_STORE_E_DB (the transaction
 * failed: nothing reserved).
 * @param balance_now on an immediate GW_E_CREDITS, what the table says is left; may be NULL.
 * @return 0 (queued: cb will fire), GW_E_CREDITS (refused in memory; cb does not fire),
 *         GW_STORE_E_FULL (the journal cannot commit now: 503), GW_STORE_E_INVAL, GW_STORE_E_NOMEM,
 *         GW_STORE_E_CLOSED.
 */
int gw_store_reserve_async(gw_store_t *st, const char *user_id, const char *request_id, int64_t amount, int64_t default_grant,
                           int64_t *balance_now, gw_store_done_cb cb, void *ctx);

/**
 * Settles call `request_id` at its actual cost: appends the settle row (and a refund row for
 * reserved - actual when positive) so the net charge of the call is exactly `actual`; an actual
 * cost above the reservation is charged in full and the settle row flagged. Use actual = 0 for
 * an upstream failure before any output (full refund). Idempotent: a second settle of the same
 * request changes nothing and returns 0.
 * @param balance_after receives the user's balance after settling; may be NULL.
 * @return 0, GW_STORE_E_NOTFOUND (never reserved), GW_STORE_E_INVAL (other user, negative
 *         amount), GW_STORE_E_DB.
 */
int gw_store_settle(gw_store_t *st, const char *user_id, const char *request_id, int64_t actual, int64_t *balance_after);

/**
 * Settles like gw_store_settle but does not wait: the settlement is queued in the journal and
 * applied by the writer's next transaction (or when the store closes), in order with every other
 * queued operation. For callers that need neither the balance nor the outcome.
 * A failure is logged to stderr; the reservation then stays open and crash recovery settles it at
 * its reserved amount on the next start (never undercharging). gw_store_balance,
 * gw_store_user_info and gw_store_usage_rows flush first, so they see every settle queued
 * before them.
 * @param user_id, request_id borrowed (copied). @return 0 (queued),
 *         GW_STORE_E_INVAL, GW_STORE_E_NOMEM, GW_STORE_E_CLOSED.
 */
int gw_store_settle_deferred(gw_store_t *st, const char *user_id, const char *request_id, int64_t actual);

/**
 * Returns once every reserve and settle queued before the call (deferred ones included) is
 * committed or has failed. Immediate when the journal is idle.
 */
void gw_store_ledger_flush(gw_store_t *st);

/** Group-commit counters of a store's ledger (gw_store_ledger_stats). */
typedef struct st_gw_store_ledger_stats_t {
    int batching;     /* always 1 since issue 12: group-committed by the store's journal on both backends */
    uint64_t batches; /* transactions run for reserve/settle batches since the store was opened */
    uint64_t ops;     /* operations those batches carried (ops / batches = the mean batch size) */
    size_t pending;   /* operations queued now, waiting for a batch */
    /* credit leases (PostgreSQL, gw_store_ledger_leases) since the store was opened */
    uint64_t lease_takes;      /* leases taken or topped up (committed) */
    uint64_t lease_returns;    /* leases given back (idle, small balance; committed) */
    uint64_t lease_reserves;   /* reservations admitted in memory against a lease */
    uint64_t leases_reclaimed; /* expired leases of instances that are gone, given back by this one */
    uint64_t recover_passes;   /* passes of the lease thread over gone instances (the first about 1 s after
                                * gw_store_ledger_leases, then every lease ttl_ms / 2), finished */
    uint64_t evicted;          /* credit table entries dropped after CT_EVICT_MS idle */
    size_t users;              /* credit table entries now */
    uint64_t batch_retries;    /* PostgreSQL: journal transactions applied again statement by statement after their
                                * batched ledger rows failed (a repeated request id; store_ledger_batch.c) */
    uint64_t bal_reads;        /* balance rows read by the journal's transactions (SQLite: not when the last one's
                                * cursor still holds, docs/internals/metering.md "The balance row across transactions") */
} gw_store_ledger_stats_t;

/**
 * Reads the group-commit counters (a consistent snapshot). For tests and benchmarks.
 * @param out filled; borrowed.
 */
void gw_store_ledger_stats(gw_store_t *st, gw_store_ledger_stats_t *out);

/** Credit leases (docs/internals/metering.md "Credit leases"; config `credits.lease_*`). */
typedef struct st_gw_store_lease_conf_t {
    int64_t calls;     /* a lease holds this many reservations of the call that takes it; 0 = no leases */
    int64_t min_calls; /* a balance row below this many reservations: no standing lease, exact per-call debits */
    int64_t idle_ms;   /* a lease not used for this long is given back */
    int64_t ttl_ms;    /* lease rows expire this long after their last use; expired leases (and open reservations
                        * this old) of instances that are gone are reclaimed by any live instance */
} gw_store_lease_conf_t;

/**
 * Turns credit leases on (PostgreSQL only: on SQLite, one gateway per database, it changes nothing
 * and returns 0). With leases, an instance takes part of a user's balance row into a lease row of
 * its own (`credit_leases`, one conditional debit `balance >= lease`), admits that user's
 * reservations against it in memory and commits them without touching the balance row (the lease
 * row is debited conditionally in the same transaction, so a lease that was reclaimed meanwhile can
 * never be spent: the reservation then falls back to the balance row), tops it up at half, gives it
 * back after `idle_ms` unused, when the balance row is too small (< min_calls reservations) and at
 * close. A user's balance is then the balance row plus every instance's lease; sum(ledger) =
 * balance row + leases. Call once after gw_store_open, before the first reservation.
 * @param conf borrowed (copied). @return 0, GW_STORE_E_INVAL (calls > 0 with min_calls < 1,
 *         idle_ms < 1 or ttl_ms <= idle_ms).
 */
int gw_store_ledger_leases(gw_store_t *st, const gw_store_lease_conf_t *conf);

/**
 * Rate limits across instances (PostgreSQL): installs on `rl` a shared bucket provider whose
 * buckets are rows of `rate_buckets(key, kind, level, updated_at)` (level in 1/60e6 token, refilled
 * at the limit per minute, capacity one minute's worth, as policy/ratelimit.c's buckets). A question
 * rides the journal's next transaction (row lock FOR UPDATE, so instances take turns) and its
 * answer reaches `rl` from the writer thread. On SQLite (one gateway per database) nothing is
 * installed. `rl` must outlive the store's journal (close the store first).
 * @return 1 installed, 0 not (SQLite, or rl NULL).
 */
struct st_pol_ratelimit_t;
int gw_store_ratelimit_share(gw_store_t *st, struct st_pol_ratelimit_t *rl);

/**
 * Adds `amount` micro-credits to a user's balance (a `grant` row; a negative amount is an
 * `adjust` row, which may take the balance below zero), creating the user if new. `reason`
 * (borrowed, may be NULL, at most 500 bytes kept) is stored in the row's note.
 * @return 0, GW_STORE_E_INVAL, GW_STORE_E_DB.
 */
int gw_store_grant(gw_store_t *st, const char *user_id, int64_t amount, const char *reason, int64_t *balance_after);

/**
 * Current balance (sum of the user's ledger rows, open reservations already deducted: the balance
 * row plus every instance's credit lease) and the total of their open reservations.
 * @return 0, GW_STORE_E_NOTFOUND (no balance yet), or an error.
 */
int gw_store_balance(gw_store_t *st, const char *user_id, int64_t *balance, int64_t *reserved);

/** One user as the ops API shows it. */
typedef struct st_gw_store_user_info_t {
    int64_t balance, reserved; /* micro-credits; 0 when the user never had a balance */
    int consent_training;
    int64_t created_at_us;
} gw_store_user_info_t;

/** @return 0, GW_STORE_E_NOTFOUND (no users row), GW_STORE_E_INVAL, GW_STORE_E_DB. */
int gw_store_user_info(gw_store_t *st, const char *user_id, gw_store_user_info_t *info);

/**
 * Crash recovery, called at start: settles every open reservation left by an instance that is
 * gone at its reserved amount (a settle row of 0, flagged, note "crash recovery") and drops
 * expired idempotency keys. On SQLite every reservation not made through this handle is
 * settled (one gateway per database file); on PostgreSQL only those whose instance no longer
 * holds its advisory lock (each handle holds pg_advisory_lock(0x41494757, instance) on its own
 * connection while it is open), so live instances keep theirs. The expired credit leases of
 * instances that are gone are given back to the balance rows too (with leases on, a lease thread
 * repeats this every ttl_ms / 2 for leases and for reservations older than ttl_ms).
 * @param settled receives the count (may be NULL). @return 0 or GW_STORE_E_DB.
 */
int gw_store_settle_open_reservations(gw_store_t *st, int64_t *settled);

/**
 * Idempotency-Key lookup: the first request made with (user, key) in the last 24 h.
 * @param status receives its final HTTP status, or 0 while it is still in flight.
 * @param request_id receives its request id (NUL-terminated, at most GW_REQUEST_ID_MAX bytes).
 * @return 0, GW_STORE_E_NOTFOUND, GW_STORE_E_INVAL, GW_STORE_E_DB.
 */
int gw_store_idempotency_get(gw_store_t *st, const char *user_id, const char *key, int *status,
                             char request_id[GW_REQUEST_ID_MAX + 1]);

/**
 * Records an Idempotency-Key. With status 0 it claims the key for `request_id` atomically:
 * returns 0 when this call claimed it (forward the request), 1 when another request holds it
 * (an unexpired row exists: read it with gw_store_idempotency_get and answer its status, or 409
 * while it is still 0). With a final status (> 0) it records the outcome for the claiming
 * request_id. @return 0, 1, GW_STORE_E_NOTFOUND (status > 0 but the claim is not ours),
 * GW_STORE_E_INVAL, GW_STORE_E_DB.
 */
int gw_store_idempotency_put(gw_store_t *st, const char *user_id, const char *key, int status, const char *request_id);

/* Usage report rows: gateway/store/store_report.h (included above); formatting: gateway/usage_report.h. */

#endif
