/*
 * gw_store__: the store object and what the store's files share (store.c, store_calls.c,
 * store_journal.c, store_keys.c, store_purge.c, store_erasure.c, store_export.c, store_ledger.c,
 * store_predict.c ...). Not a public interface: the gateway includes store.h, store_ledger.h,
 * store_report.h and store_predict.h only.
 */
#ifndef AIGW_GATEWAY_STORE_INTERNAL_H
#define AIGW_GATEWAY_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "common/buf.h"
#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_pgarray.h"
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

/** The ledger request id of a user's default grant is this prefix + gw_store__user_ref (before schema
 * version 4: + the user id itself; erasure re-keys those). */
#define GW_STORE_DEFAULT_GRANT_PREFIX "default-grant:"

/** Bytes of a default grant's request id, including the NUL (prefix + GW_STORE_USER_REF_CHARS hex digits). */
#define GW_STORE_DEFAULT_GRANT_RID_SIZE (sizeof(GW_STORE_DEFAULT_GRANT_PREFIX) + GW_STORE_USER_REF_CHARS)

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

/** Bytes of a vault's associated data "provider/id", including the NUL. */
#define GW_STORE_PREDICT_AD_SIZE (GW_PROVIDER_NAME_MAX + 1 + GW_PREDICT_ID_MAX + 1)

/** store_predict_write.c: writes "provider/id" to `ad` (`cap` bytes). @return its length, or 0 when it does not fit. */
size_t gw_store__predict_ad(char *ad, size_t cap, const char *provider, const char *id);

/** Steps `s` until it has no more rows (an INSERT / UPDATE ... RETURNING read to the end). @return 0, or -1 on error. */
int gw_store__step_done(gw_store_stmt_t *s);

/**
 * A finished call whose record (or settlement) the database refuses for itself (an error of the
 * values, GW_STORE_ERR_DATA, or a record the store refuses, GW_STORE_E_INVAL) while a probe call row
 * commits (gw_store__probe_call_row) is dropped at this many such refusals (store_journal.c
 * journal_failed): one per attempt, attempts spaced by the retry backoff (50 ms doubling to 1 s).
 */
#define GW_STORE_DROP_AFTER 5

/**
 * store_calls.c: proves that the database takes call rows now: in a transaction of its own on the
 * writer connection (wlock held, no transaction open), inserts a call row of a request id no call
 * has ("aigw-probe:" and random hex; user "aigw:probe"), deletes it, commits. Nothing stays.
 * @return 0 committed, -1 not (rolled back).
 */
int gw_store__probe_call_row(gw_store_t *st);

/* ---- the journal (store_journal.c): ledger operations and finished calls, group-committed by the writer ----
 *
 * The interface between the journal and the ledger, one way: the files above the journal queue
 * items (gw_store__journal_submit: store_leases.c, store_ratelimit.c, the finished calls of
 * gw_store_finish_async); the writer applies them through the gw_store__ledger_* functions of this
 * section, which live below the journal (store_ledger_apply.c, store_ledger.c,
 * store_ledger_batch.c) and never queue. No file of the store calls back into one that calls it
 * (ctest layers/store-cycles: tests/layers/check_layers.py cycles). */

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
    int refusals; /* GW_J_FINISH: failed attempts that were the item's own (journal_failed): dropped at GW_STORE_DROP_AFTER */
    int64_t bal;  /* out: balance after */
    int rc;       /* out: 0, GW_E_CREDITS, GW_STORE_E_NOTFOUND, GW_STORE_E_INVAL, GW_STORE_E_DB */
    int done;     /* SYNC: set under the store's queue lock when rc and bal are final */
    gw_store_done_cb cb; /* GW_J_ASYNC */
    void *ctx;
} gw_journal_item_t;

/**
 * Queues `it` for the writer's next transaction; on a thread with a loop turn (store.h
 * gw_store_turn_open), a DEFERRED or ASYNC item collects in the turn instead (committed by
 * gw_store_turn_commit), and a SYNC one hands the turn's items to the writer before itself.
 * SYNC: returns after completion with it->rc set. DEFERRED/ASYNC: returns at once (the item belongs
 * to the journal). @return 0, or GW_STORE_E_CLOSED (the store is closing; the item was not taken,
 * its callback does not fire).
 */
int gw_store__journal_submit(gw_store_t *st, gw_journal_item_t *it);

/** 1 when nothing is queued (the calling thread's turn included), waiting for a retry or being committed (by the writer or a
 * turn's inline commit). */
int gw_store__journal_idle(gw_store_t *st);

/** Journal items queued and not yet taken by the writer (FLUSH items not counted). */
size_t gw_store__journal_pending(gw_store_t *st);

/**
 * store_ledger_apply.c: applies one ledger item (RESERVE, SETTLE, GRANT, or the settlement of a FINISH)
 * on the writer connection `db` inside the writer's transaction; a refusal undoes only itself (an
 * exact reservation takes a savepoint, the others refuse before writing). @return the item's rc: 0, GW_E_CREDITS,
 * GW_STORE_E_NOTFOUND, GW_STORE_E_INVAL, or GW_STORE_E_DB (the transaction must be rolled back).
 */
int gw_store__ledger_apply(gw_store_ledger_t *lg, gw_store_db_t *db, gw_journal_item_t *it);

/**
 * store_ledger.c: brackets the ledger items of one transaction: end = 0 before the first (forgets
 * what an earlier, maybe rolled-back, transaction read, except on SQLite the balance row the last
 * committed journal transaction left when nothing committed since: gw_store__ledger_committed),
 * end = 1 after the last (writes the balance and lease rows' pending changes). Inside the
 * transaction, on the writer thread. @return 0, or -1 on a database error (roll back).
 */
int gw_store__ledger_batch(gw_store_ledger_t *lg, int end);

/**
 * store_ledger.c: the journal transaction whose ledger items were applied last (gw_store__ledger_batch)
 * is committed on `db` (the writer connection, by gw_store__tx_commit, which read db->dv_commit right
 * after the COMMIT). On SQLite the next journal transaction then starts with the balance cursor as
 * this one left it, if the connection's data version is still db->dv_commit (no commit by any
 * connection since: issue 12 session 11). Writer thread (wlock held); call for no other commit.
 */
void gw_store__ledger_committed(gw_store_ledger_t *lg, gw_store_db_t *db);

/**
 * store_ledger_batch.c: after the journal's transaction failed (before its rollback). On
 * PostgreSQL the ledger batches a transaction's reserve and settle rows into multi-row statements
 * and decides as if no request id repeats; what only the statement-by-statement path answers
 * exactly (a repeated request id, the settlement of a reservation made in the same transaction)
 * fails the transaction instead. @return 1 when this transaction was batched: the caller rolls
 * back and applies the same items once more in a new transaction, which the ledger then runs
 * statement by statement; 0 otherwise (SQLite, or already the statement-by-statement retry).
 */
int gw_store__ledger_retry(gw_store_ledger_t *lg);

/** store_ledger_apply.c: after a commit (committed = 1) or a final failure, updates the credit table. */
void gw_store__ledger_applied(gw_store_ledger_t *lg, gw_journal_item_t *it, int committed);

/** store_ledger_apply.c: counts a transaction that carried `ops` ledger operations (gw_store_ledger_stats). */
void gw_store__ledger_count(gw_store_ledger_t *lg, uint64_t ops);

/** The read connection under its lock: acquire, use, release (long report queries). */
gw_store_db_t *gw_store__rdb_acquire(gw_store_t *st);
void gw_store__rdb_release(gw_store_t *st);

/* ---- the store object and what its files share (store_base.c, store_keys.c, store_calls.c, store_purge.c,
 * store_journal.c, store_erasure.c, store_export.c; store.c opens and closes it) ---- */

#include <pthread.h>
#include <stdatomic.h>

#define GW_STORE_KEY_CACHE 1024 /* above batch_max's default: a batch of distinct users fits */
#define DEFAULT_QUEUE_MAX 16384
#define DEFAULT_BATCH_MAX 256
#define DEFAULT_PURGE_INTERVAL_S 60
#define DB_RETRY_LIMIT 30
#define GW_STORE_RING_LINGER_US 10000 /* records of the ring alone wait this long for a journal commit to ride with */

enum { Q_CALL = 1, Q_ACCESS = 2 };

/* SQLite: a call row the writer inserted (store_calls.c "known call rows"): what an access entry must
 * match to stand beside it (request id, start, status, user and route by a 64-bit hash), and when it was
 * committed (the writer connection's dv_breaks after that commit, the store's known_epoch then). */
#define GW_STORE_KNOWN_CALLS 256
#define GW_STORE_KNOWN_PENDING 64
typedef struct st_known_call_t {
    char rid[GW_REQUEST_ID_MAX + 1];
    int64_t started, status;
    uint64_t who; /* gw_store__known_who(user, route) */
    uint64_t breaks, epoch;
    int used;
} known_call_t;

typedef struct st_qitem_t {
    int kind;
    void *rec;
} qitem_t;

/* Columns of a call row (SQL_CALL_INS, SQL_CALL_MANY_PG in store.c), of a redaction row
 * (SQL_RED_INS, SQL_RED_MANY_PG) and of an access log row (SQL_ACC_INS, SQL_ACC_MANY_PG). */
#define GW_STORE_CALL_COLS 23
/* SQLite: the call row's columns after those, where its bodies are in their segment (schema version 14) */
#define GW_STORE_CALL_BODY_COLS 4
#define GW_STORE_RED_COLS 12
#define GW_STORE_ACC_COLS 12

/* PostgreSQL: the rows of one table that the writer's current transaction writes, one binary array
 * per column, inserted by one statement (`INSERT ... SELECT * FROM unnest(...)`) at
 * gw_store__calls_end (store_calls.c). */
typedef struct st_gw_store_rows_t {
    gw_store_stmt_t *s;                       /* the multi-row statement (prepared by store.c) */
    gw_store_pgarr_t col[GW_STORE_CALL_COLS]; /* the first `ncols` of the table are used */
    size_t n;                                 /* rows gathered since gw_store__calls_begin */
} gw_store_rows_t;

/* Call bodies in segment files (SQLite, schema version 14; store_bodies.c). Writer (wlock) only,
 * except `dir` and `on`, set at open. */
typedef struct st_gw_store_bodies_t {
    char dir[1024];     /* "<database>.bodies" */
    int on;             /* bodies go to segments (SQLite with a database file); 0: in the rows */
    int fd;             /* the segment last appended to, or -1 */
    int64_t fd_seg;     /* its day */
    unsigned char *buf; /* this transaction's sealed bodies, not written yet */
    size_t len, cap;
    int64_t seg, base; /* their segment, and the offset of buf[0] in it */
    int fault;         /* tests: errno every flush fails with (0: none) */
} gw_store_bodies_t;

typedef struct st_key_entry_t {
    char *user_id; /* NULL = free slot */
    uint64_t hash; /* of user_id, compared first */
    unsigned char wrapped[POL_CRYPTO_WRAPPED_BYTES];
    const pol_key_t *key;     /* in st->keyring, slot = index of the entry */
    uint64_t validated_batch; /* batch sequence in which the row was last re-read */
    uint64_t epoch;           /* st->key_epoch when the row was last read (store_keys.c key_epoch) */
    uint64_t last_use;
} key_entry_t;

struct st_gw_store_t {
    /* database */
    gw_store_db_t *wdb, *rdb;
    pthread_mutex_t wlock, rlock;
    gw_store_bodies_t bodies; /* SQLite: call bodies in segment files (store_bodies.c) */
    gw_store_stmt_t *s_user_get, *s_user_many, *s_user_ins, *s_call_ins, *s_red_ins, *s_acc_ins;
    /* SQLite (schema version 13): an access entry as a `call_access` row beside its call row
     * (SQL_CALL_ACC_INS, store.c); NULL on PostgreSQL */
    gw_store_stmt_t *s_call_acc_ins, *s_call_acc_put;
    int pg;
    /* PostgreSQL: the call, redaction and access rows of the writer's current transaction, each
     * table's inserted with one statement by gw_store__calls_end (store_calls.c) */
    gw_store_rows_t callrows, redrows, accrows;
    int callbatch; /* between gw_store__calls_begin and gw_store__calls_end */
    /* keys */
    pol_key_t *mk;
    char mk_id[POL_CRYPTO_KEY_ID_CHARS + 1];
    unsigned char ref_key[32]; /* keys gw_store__user_ref: derived from the master key at open */
    key_entry_t cache[GW_STORE_KEY_CACHE];
    pol_keyring_t *keyring;
    uint64_t batch_seq, use_seq;
    /* Cached keys read in an earlier writer transaction stay good while nothing changed the database
     * since (SQLite's data version: store_keys.c key_epoch): key_epoch counts the changes seen,
     * kv_batch is the batch it was last decided for, kv_dirty forces the next decision to a change
     * (the writer's connection lent out by gw_store__wdb_acquire). Writer (wlock) only. */
    uint64_t key_epoch, kv_batch;
    uint64_t kv_breaks; /* the writer connection's dv_breaks when key_epoch was last decided */
    int kv_dirty;
    _Atomic uint64_t key_row_reads; /* users rows read by gw_store__batch_user_key (gw_store_stats_t) */
    /* SQLite: call rows this writer inserted and committed (store_calls.c, "known call rows"): an access
     * entry that matches one is written beside it without looking the row up. Writer (wlock) only. */
    known_call_t known[GW_STORE_KNOWN_CALLS];
    known_call_t known_pending[GW_STORE_KNOWN_PENDING]; /* inserted by the open journal transaction */
    size_t nknown_pending;
    uint64_t known_epoch; /* moved by whatever may delete or change call rows on the writer connection */
    _Atomic uint64_t call_row_lookups;
    /* policy */
    pol_retention_t ret;
    int log_bodies;
    /* queue */
    pthread_mutex_t qlock;
    pthread_cond_t qcond, qdone;
    qitem_t *q;
    size_t qcap, qhead, qlen, batch_max;
    uint64_t submitted, processed;
    int64_t ring_due_us;           /* CLOCK_MONOTONIC: the ring's oldest record is written by then (store_journal.c ring_due) */
    int flushing;                  /* gw_store_flush callers waiting */
    int64_t writer_sleep_until_us; /* CLOCK_MONOTONIC: the writer sleeps until then (INT64_MAX: until signalled), 0 awake */
    int stopping, paused;
    int64_t purge_interval_us, next_purge_mono_us;
    int purge_running;
    gw_store_stats_t stats;
    pthread_t writer;
    int writer_started;
    /* clock */
    int64_t (*clock)(void *ctx);
    void *clock_ctx;
    /* credits (store_ledger.c) */
    gw_store_ledger_t *ledger;
    /* journal (guarded by qlock): ledger operations and finished calls for the next transaction */
    gw_journal_item_t *jhead, *jtail;
    gw_journal_item_t *jretry;            /* finished calls whose transaction failed, retried at jretry_due_us */
    int64_t jretry_due_us;                /* CLOCK_MONOTONIC */
    int64_t jbackoff_us;                  /* 0, then 50 ms doubling up to 1 s while commits fail */
    pthread_cond_t jdone;                 /* SYNC items completed */
    atomic_int jretry_n;                  /* items in jretry */
    int jbusy;                            /* the writer holds journal items it has not completed yet */
    int jleader;                          /* a loop commits its turn inline (it holds wlock): gw_store_turn_commit */
    _Atomic int64_t unavailable_until_us; /* CLOCK_MONOTONIC; new calls are refused before it */
};

/** Forgets every known call row (store_calls.c "known call rows"): a purge, an erasure, the writer connection lent
 * out, which may delete or change call rows outside the journal. Inline (a field, no call): the files above and
 * below store_calls.c use it, and the store's files call each other one way (docs/internals/store.md "Files").
 * Writer (wlock held). */
static inline void gw_store__known_calls_forget(gw_store_t *st)
{
    st->known_epoch++;
    st->nknown_pending = 0;
}

/** CLOCK_MONOTONIC in µs. */
int64_t gw_store__mono_now_us(void);
/** The store's wall clock in µs since the epoch (gw_store_set_clock's, else the real one). */
int64_t gw_store__clock_us(gw_store_t *st);
/** Frees a queued record (call or access) and its contents. */
void gw_store__qitem_free(qitem_t *it);
/*
 * User ids in the store: one rule, two strengths (every store file validates through these two).
 * An id that creates rows (a call record, reserve, grant, consent, an Idempotency-Key) must pass the
 * edge's rule, gw_user_id_valid (common/userid.h: 1..GW_USER_ID_MAX bytes of printable UTF-8).
 * An id that only names existing rows (lookups, settlements, export, erasure) is bounded in length
 * only, so rows written before the rule existed can still be found, settled and erased.
 */
/** A user id that may create rows: gw_user_id_valid (common/userid.h). NULL gives 0. */
int gw_store__valid_user_id(const char *u);
/** A user id to look up, settle, export or erase: 1..GW_USER_ID_MAX bytes, no other rule. NULL gives 0. */
int gw_store__user_id_fits(const char *u);
/** Any other id to look up or store (request id, Idempotency-Key): 1..max bytes. NULL gives 0. */
int gw_store__id_fits(const char *s, size_t max);
/** BEGIN on `db` (IMMEDIATE on SQLite); every read-write transaction of the store starts here.
 * Resets the connection's error class (gw_store__db_errclass: the errors of this transaction).
 * @return 0, or -1 (not logged: gw_store__db_errmsg has the reason). */
int gw_store__tx_begin(gw_store_t *st, gw_store_db_t *db);
/** COMMIT. @return 0, or -1 (not logged: gw_store__db_errmsg has the reason). */
int gw_store__tx_commit(gw_store_db_t *db);
/** ROLLBACK, errors ignored (the connection is reset by the caller when it matters). */
void gw_store__tx_rollback(gw_store_db_t *db);
/** Logs `what` with the database message (never bound values). */
void gw_store__log_db_error(gw_store_db_t *db, const char *what);
/** Steps a prepared statement to completion and resets it. @return rows changed, or -1. Inside a
 * pipeline (gw_store__db_pipeline) the row count costs a round trip: use gw_store__run_nowait when
 * only errors matter. */
int64_t gw_store__run(gw_store_stmt_t *s);
/** Runs a statement that returns no rows when its row count does not matter, and resets it. Inside
 * a pipeline (PostgreSQL) it is sent without waiting: an error then shows at the next statement
 * that returns rows or when the pipeline ends (the transaction is rolled back either way).
 * @return 0, or -1 on an error seen now. */
int gw_store__run_nowait(gw_store_stmt_t *s);
/** Prepares, binds (`types`: one letter per argument), runs and finalizes `sql`. @return rows changed, or -1. */
int64_t gw_store__run_sql(gw_store_db_t *db, const char *sql, const char *types, ...);
/** Rowid of the call_access entry of request `rid` at `at_us` (µs since the epoch, >= 0): `at_us` *
 * 1024 + the low 10 bits of `gw_store__rid_hash(rid)`; `rowid / 1024` is `at_us`, so `rowid <
 * t * 1024` is exactly `at_us < t`. Two entries of one µs with equal bits collide: the second is an
 * access_log row (store_calls.c write_access). */
#define GW_STORE_CALL_ACCESS_ID(at_us, rid) ((at_us)*INT64_C(1024) + (int64_t)(gw_store__rid_hash(rid) & 1023u))
/** SQLite: the call rows inserted by the writer's current journal transaction become known once it
 * committed (`committed` 1: call right after its COMMIT succeeded), or are forgotten (0: at the start of a
 * transaction, after a failure). Writer (wlock held). */
void gw_store__known_calls_settle(gw_store_t *st, int committed);
/** FNV-1a (32 bits) of the NUL-terminated `rid`. */
uint32_t gw_store__rid_hash(const char *rid);
/** 1 when the store writes the access entry of a logged call as a `call_access` row (schema
 * version 13, store_schema.c): SQLite, the call log and the access log both kept, and
 * access_log_days <= call_log_days (an entry never outlives its call row). 0: access_log rows only. */
int gw_store__call_access_on(const gw_store_t *st);
/** Sets a key of the meta table. @return 0 or -1. */
int gw_store__meta_set(gw_store_db_t *db, const char *key, const char *value);
/** INSERT of a users row (id, wrapped data key, key id, consent, created_at). */
extern const char *gw_store__sql_user_ins;
/** The data-key cache entry of `user_id`, or NULL. */
key_entry_t *gw_store__cache_find(gw_store_t *st, const char *user_id);
/** Drops `user_id`'s cached data key (erasure, rotation). */
void gw_store__cache_evict(gw_store_t *st, const char *user_id);
/** Drops every cached data key (wiped: sodium memory). */
void gw_store__cache_clear(gw_store_t *st);
/** Unwraps `w` into the cache entry `e` (or a free / least recently used one) for `user_id`. @return the entry, or NULL with *err.
 */
key_entry_t *gw_store__cache_install(gw_store_t *st, key_entry_t *e, const char *user_id, const unsigned char *w, int *err);
/** The data key of `user_id` for the current batch: the cached key if its wrapped row is unchanged, else unwrapped again; creates
 * the user (and key) when absent. The row is read once per batch, and on SQLite not at all while nothing changed the database
 * since the writer connection's last commit of a transaction that read it (store_keys.c key_epoch). Inside the caller's
 * transaction on the writer connection (wlock held). @return the key (borrowed from the cache) or NULL with *err. */
const pol_key_t *gw_store__batch_user_key(gw_store_t *st, const char *user_id, int *err);
/** The writer thread (pthread entry point): journal, record queue, purge. */
void *gw_store__writer_main(void *arg);
/** Writes one call record, its redactions and sealed bodies, inside the caller's transaction. @return 0 or GW_STORE_E_*. */
int gw_store__write_call(gw_store_t *st, gw_call_rec_t *r);
/**
 * PostgreSQL: from here on the writer's gw_store__write_call and gw_store__write_item add their
 * call, redaction and access rows to per-table batches instead of inserting them (predictions are
 * still written at once); gw_store__calls_end inserts each table's batch with one statement
 * (INSERT ... SELECT FROM unnest of one array per column). A no-op on SQLite (an embedded insert
 * has no round trip or per-statement protocol to save). Writer thread, inside the transaction;
 * every begin is matched by an end before COMMIT or ROLLBACK.
 */
void gw_store__calls_begin(gw_store_t *st);
/**
 * Ends the batch: send = 1 inserts the rows gathered since gw_store__calls_begin (calls, then
 * redactions, then access rows; pipelined when a pipeline is on), send = 0 drops them (the
 * transaction is being rolled back). @return 0, or GW_STORE_E_DB (roll back: the rows are not
 * written; an error of a pipelined insert shows when the pipeline's results are read).
 */
int gw_store__calls_end(gw_store_t *st, int send);
/** Releases a row batch's arrays (gw_store_close). */
void gw_store__rows_free(gw_store_rows_t *b);
/** Writes one queued record (call or access) inside the caller's transaction. @return 0 or GW_STORE_E_*. */
int gw_store__write_item(gw_store_t *st, qitem_t *it);
/** Adds the record `it` to the written counters. */
void gw_store__count_written(gw_store_t *st, qitem_t *it, uint64_t *calls, uint64_t *access, uint64_t *reds);
/** Reads the wrapped key rows of the users of a batch, so the batch re-validates its cache with few round trips. */
void gw_store__prefetch_keys(gw_store_t *st, qitem_t *items, size_t n);
/** PostgreSQL: gw_store__prefetch_keys for the users of the finished calls in journal list `j`. */
void gw_store__prefetch_journal_keys(gw_store_t *st, const gw_journal_item_t *j);
/** Writes a batch of queued records in one transaction, or record by record when that fails. */
void gw_store__write_batch(gw_store_t *st, qitem_t *items, size_t n);
/** Deletes up to GW_STORE_PURGE_BATCH expired rows of class `c` at time `now`. @return rows deleted, or -1. */
int64_t gw_store__purge_step(gw_store_t *st, pol_retention_class_t c, int64_t now);

/* ---- call bodies in segment files (store_bodies.c; SQLite, schema version 14) ---- */

/** The segment (day number since the epoch) of a call that started at `started_us`; -1 if negative. */
int64_t gw_store__bodies_seg_of(int64_t started_us);
/** Sets up st->bodies for the SQLite database at `db_path`: creates `<db_path>.bodies/` (0700) and turns
 * segments on; an in-memory or URI path leaves them off (bodies in the rows). @return 0, or -1 with a
 * message in err. */
int gw_store__bodies_init(gw_store_t *st, const char *db_path, char *err, size_t errlen);
/** Closes the open segment and frees the pending buffer. */
void gw_store__bodies_close(gw_store_t *st);
/** Appends `n` bytes of sealed bodies of a call started at `started_us` to this transaction's pending
 * bytes (opening its segment when the first comes); *seg and *off say where they will be. A body of
 * another day than the pending ones flushes those first. wlock held, inside the writer's transaction.
 * @return 0, GW_STORE_E_DB (the segment cannot be opened or written: logged), GW_STORE_E_NOMEM,
 * GW_STORE_E_INVAL (a negative start). */
int gw_store__bodies_put(gw_store_t *st, int64_t started_us, const void *ct, size_t n, int64_t *seg, int64_t *off);
/** Writes the pending bytes at their offsets (one pwrite, retried while partial), then forgets them:
 * the writer connection's pre-commit hook. @return 0, or -1 (logged; the caller must not commit). */
int gw_store__bodies_flush(gw_store_t *st);
/** Forgets the pending bytes (a rollback: no row names them). */
void gw_store__bodies_discard(gw_store_t *st);
/** Reads `n` bytes at `off` of segment `seg` in `dir` into `out`. @return 0, or -1 (missing or short
 * segment, I/O error): the caller reports it, never returns a partial body. Any thread. */
int gw_store__bodies_read(const char *dir, int64_t seg, int64_t off, void *out, size_t n);
/** Removes `len` bytes at `off` of segment `seg` from the file: a hole punched (FALLOC_FL_PUNCH_HOLE |
 * KEEP_SIZE), or zeros written where the file system cannot. A missing segment is not an error.
 * @return 0, or -1 (errno). */
int gw_store__bodies_punch(const char *dir, int64_t seg, int64_t off, int64_t len);
/** Steps `s`, a query returning (body_seg, body_off, request_len, response_len) rows, to its end and
 * punches every body it names (rows with a NULL body_seg are skipped); resets `s`. @return 0, or -1
 * (a query error, or a body that could not be removed: logged). */
int gw_store__bodies_punch_rows(gw_store_t *st, gw_store_stmt_t *s);
/** Unlinks every segment whose calls have all expired at `now_us` and whose rows are gone (no call row
 * expires before the end of its day + the call log's TTL). Writer connection, outside a transaction,
 * wlock held. @return 0, or -1 (an error, logged; the next purge tries again). */
int gw_store__bodies_unlink_expired(gw_store_t *st, int64_t now_us);

#endif
