/*
 * The journal and the writer thread (see store_internal.h): ledger operations and finished calls
 * queued by workers are committed in groups, one transaction per batch; failed finished calls are
 * retried with a backoff while new calls are refused (503) until the store recovers. The writer
 * also drains the record queue and runs the purge between batches. A worker loop's items collect
 * in its turn and are committed once per loop turn, on the loop's thread when the journal is idle
 * (SQLite), else by the writer (gw_store_turn_commit).
 */
#include "gateway/store/store.h"
#include "common/log.h"
#include "common/utf8.h"
#include "common/userid.h"
#include "gateway/store/keyfile.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "gateway/store/store_predict.h"
#include "gateway/store/store_schema.h"
#include "policy/crypto.h"
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- journal ---- */

#define J_RETRY_MIN_US 50000
#define J_RETRY_MAX_US 1000000
#define J_UNAVAILABLE_US 1000000

/* Applies the journal items in order inside the open transaction. @return 0, or -1 when the
 * transaction must be rolled back (a database error; the item that failed has rc set). */
static int journal_apply_items(gw_store_t *st, gw_journal_item_t *j)
{
    gw_store__ledger_batch(st->ledger, 0);
    for (gw_journal_item_t *it = j; it != NULL; it = it->next) {
        it->rc = 0;
        switch (it->kind) {
        case GW_J_FLUSH:
            break;
        case GW_J_FINISH:
            if (it->settle) {
                int rc = gw_store__ledger_apply(st->ledger, st->wdb, it);
                if (rc == GW_STORE_E_DB)
                    return -1;
                if (rc != 0)
                    gw_log(GW_LOG_WARN, "store: settling %s: %s (nothing changed)", it->rid,
                           rc == GW_STORE_E_NOTFOUND ? "no such reservation" : "refused");
                it->rc = 0;
            }
            if (it->rec != NULL && (it->rc = gw_store__write_call(st, it->rec)) != 0)
                return -1;
            break;
        default:
            if (gw_store__ledger_apply(st->ledger, st->wdb, it) == GW_STORE_E_DB)
                return -1;
        }
    }
    return gw_store__ledger_batch(st->ledger, 1) == 0 ? 0 : -1;
}

/* journal_apply_items in one pipeline (PostgreSQL): statements whose results nobody reads (the
 * open rows, settle and refund rows, the lease row's update) are sent without a round trip each; a
 * statement that returns rows, or whose row count is asked for, collects what was sent before it.
 * The finished calls' records are one multi-row insert at the end (gw_store__calls_begin). An
 * error of a pipelined statement fails the whole transaction, as one seen at once would. `hold`:
 * the pipeline is left open for the transaction's COMMIT (GW_STORE_PIPELINE_HOLD), so an error not
 * read yet shows only as the COMMIT's failure (run_transaction); else every result is read here.
 * @return 0 or -1 (roll back). */
static int journal_apply_once(gw_store_t *st, gw_journal_item_t *j, int hold)
{
    /* A new transaction: every user's key row is read again (FOR SHARE on PostgreSQL) before a
     * record is sealed with the cached key, so an erasure by another instance or process is seen
     * (the returning user gets a new key) and, on PostgreSQL, waits for this commit. */
    st->batch_seq++;
    int rc = gw_store__db_pipeline(st->wdb, 1);
    if (st->pg && rc == 0)
        gw_store__prefetch_journal_keys(st, j);
    gw_store__calls_begin(st);
    if (rc == 0)
        rc = journal_apply_items(st, j);
    if (gw_store__calls_end(st, rc == 0) != 0)
        rc = -1;
    return gw_store__db_pipeline(st->wdb, hold ? GW_STORE_PIPELINE_HOLD : 0) == 0 ? rc : -1;
}

/* journal_apply_once; on PostgreSQL a transaction whose ledger rows were batched and that failed
 * (a repeated request id fails the batch's INSERT; store_ledger_batch.c) is rolled back and
 * applied once more, statement by statement, in a new transaction (read to the end: not held).
 * journal_apply runs first in its transaction: the rollback loses nothing else. @return 0 or -1
 * (roll back). */
static int journal_apply(gw_store_t *st, gw_journal_item_t *j, int hold)
{
    int rc = journal_apply_once(st, j, hold);
    if (rc != 0 && gw_store__ledger_retry(st->ledger)) {
        gw_store__tx_rollback(st->wdb);
        rc = gw_store__tx_begin(st, st->wdb) == 0 ? journal_apply_once(st, j, 0) : -1;
    }
    return rc;
}

static uint64_t journal_ops(const gw_journal_item_t *j)
{
    uint64_t n = 0;
    for (; j != NULL; j = j->next)
        n += j->kind == GW_J_RESERVE || j->kind == GW_J_SETTLE || j->kind == GW_J_GRANT || j->kind == GW_J_LEASE ||
             j->kind == GW_J_LEASE_RETURN || (j->kind == GW_J_FINISH && j->settle);
    return n;
}

/* Completes one item (the committing thread: the writer, or a loop committing its turn inline; wlock held, not qlock). */
static void journal_complete(gw_store_t *st, gw_journal_item_t *it, int committed)
{
    if (!committed && (it->rc == 0 || it->rc == GW_E_CREDITS || it->rc == GW_STORE_E_NOTFOUND))
        it->rc = GW_STORE_E_DB;
    gw_store__ledger_applied(st->ledger, it, committed);
    if (it->kind == GW_J_FINISH && committed && it->rec != NULL) {
        pthread_mutex_lock(&st->qlock);
        st->stats.calls_written += pol_retention_keeps(&st->ret, POL_RET_CALL_LOG);
        st->stats.redactions_written += pol_retention_keeps(&st->ret, POL_RET_REDACTION_LOG) ? it->rec->nredactions : 0;
        pthread_mutex_unlock(&st->qlock);
    }
    switch (it->mode) {
    case GW_J_SYNC:
        pthread_mutex_lock(&st->qlock);
        it->done = 1;
        pthread_cond_broadcast(&st->jdone);
        pthread_mutex_unlock(&st->qlock);
        break;
    case GW_J_DEFERRED:
        if (it->rc != 0 && it->kind == GW_J_SETTLE)
            gw_log(GW_LOG_ERROR,
                   "ledger: settling %s failed (%d); it stays open and is settled at its reservation on the next start", it->rid,
                   it->rc);
        gw_call_rec_free(it->rec);
        free(it);
        break;
    case GW_J_ASYNC:
        it->cb(it->ctx, it->rc, it->bal);
        gw_call_rec_free(it->rec);
        free(it);
        break;
    }
}

/* Completes a transaction's items, flushes last: the sort puts a flush (no user) first, and a
 * flush returns only once what was queued before it has completed, its effects on the credit
 * table (balances, leases) included (gw_store_ledger_flush). */
static void journal_complete_all(gw_store_t *st, gw_journal_item_t *j, int committed)
{
    gw_journal_item_t *flushes = NULL, **ftail = &flushes;
    while (j != NULL) {
        gw_journal_item_t *next = j->next; /* a SYNC item may be gone once completed */
        if (j->kind == GW_J_FLUSH) {
            j->next = NULL;
            *ftail = j;
            ftail = &j->next;
        } else {
            journal_complete(st, j, committed);
        }
        j = next;
    }
    while (flushes != NULL) {
        gw_journal_item_t *next = flushes->next;
        journal_complete(st, flushes, committed);
        flushes = next;
    }
}

static void mark_unavailable(gw_store_t *st)
{
    atomic_store_explicit(&st->unavailable_until_us, gw_store__mono_now_us() + J_UNAVAILABLE_US, memory_order_relaxed);
}

/* One FINISH (or SETTLE) item alone in its own transaction. @return 1 committed, 0 failed (rolled back); then
 * `*own` (may be NULL) is 1 when the failure was the item's own: the store refused the record
 * (GW_STORE_E_INVAL) or the database refused its values (GW_STORE_ERR_DATA: a constraint, a
 * trigger's refusal, a value too big), not the database's state (a full disk, I/O, a lock, the
 * connection: GW_STORE_ERR_ENV). */
static int finish_alone(gw_store_t *st, gw_journal_item_t *it, int *own)
{
    gw_journal_item_t *next = it->next;
    it->next = NULL;
    it->rc = 0;
    int ok = gw_store__tx_begin(st, st->wdb) == 0 && journal_apply(st, it, 0) == 0 && gw_store__tx_commit(st->wdb) == 0;
    it->next = next;
    if (!ok) {
        if (own != NULL)
            *own = it->rc == GW_STORE_E_INVAL ||
                   ((it->rc == 0 || it->rc == GW_STORE_E_DB) && gw_store__db_errclass(st->wdb) == GW_STORE_ERR_DATA);
        gw_store__log_db_error(st->wdb, it->kind == GW_J_SETTLE ? "settlement not committed" : "finished call not committed");
        gw_store__tx_rollback(st->wdb);
    }
    return ok;
}

/*
 * A finished call refused for itself GW_STORE_DROP_AFTER times (journal_failed) is dropped; what of
 * it the database takes is kept, each part committed alone: the settlement first (the reservation
 * is then settled at the call's actual amount, as if the record had gone in with it), else the
 * record without it (the reservation stays open: crash recovery settles it at its reservation on
 * the next start, store_recovery.c). What is refused is logged at ERROR with the request id and
 * counted in write_failures (/metrics aigw_store_write_failures_total). The completion carries
 * GW_STORE_E_DB unless the record was committed: the gateway then ends the response as an error
 * (gateway/pipeline/record.c on_finish_committed), so a client never takes for complete an answer
 * that no call log holds.
 */
static void journal_drop(gw_store_t *st, gw_journal_item_t *it)
{
    gw_call_rec_t *rec = it->rec;
    int settles = it->settle, settled = 0, recorded = 0;
    if (settles && rec != NULL) {
        it->rec = NULL;
        settled = finish_alone(st, it, NULL);
        it->rec = rec;
        if (settled) {
            gw_store__ledger_applied(st->ledger, it, 1); /* the credit table as after any settlement */
        } else {
            it->settle = 0;
            recorded = finish_alone(st, it, NULL);
        }
    }
    it->settle = 0; /* applied or dropped: journal_complete leaves the ledger alone */
    if (settled)
        gw_log(GW_LOG_ERROR,
               "store: the record of %s was refused %d times while the database took other call rows: dropped (its settlement "
               "is committed)",
               it->rid, it->refusals);
    else if (recorded)
        gw_log(GW_LOG_ERROR,
               "store: the settlement of %s was refused %d times while the database took other call rows: dropped (its record "
               "is committed; the reservation stays open and is settled at its reservation on the next start)",
               it->rid, it->refusals);
    else
        gw_log(GW_LOG_ERROR, "store: the %s of %s was refused %d times while the database took other call rows: dropped%s",
               rec == NULL ? "settlement"
               : settles   ? "record and settlement"
                           : "record",
               it->rid, it->refusals,
               settles ? " (the reservation stays open and is settled at its reservation on the next start)" : "");
    pthread_mutex_lock(&st->qlock);
    st->stats.write_failures++;
    pthread_mutex_unlock(&st->qlock);
    if (recorded) {
        journal_complete(st, it, 1);
        return;
    }
    it->rc = GW_STORE_E_DB;
    journal_complete(st, it, 0);
}

/*
 * A journal transaction failed and was rolled back. Reservations, grants and flushes fail (their
 * callers answer 503 or report the error: nothing was forwarded on their account). A settlement
 * (of a call that ended) is tried alone, once: the batch may have failed for another item's sake.
 * Finished calls were forwarded: each is tried alone; those that still fail wait in
 * the retry list (new calls are refused meanwhile: never a call forwarded unlogged), retried
 * with the backoff, for as long as the database cannot write (a full disk, I/O errors, the
 * connection, locks: never dropped for that). A failure counts as a refusal of the record for
 * itself only when it was the item's own (finish_alone: the values, not the database's state)
 * and the database demonstrably takes call rows meanwhile: a probe call row commits
 * (gw_store__probe_call_row, once per round, on the writer's connection; there is no other
 * traffic to prove it, as new calls are refused). A trigger or constraint that refuses every call
 * row fails the probe too: kept. At GW_STORE_DROP_AFTER refusals the item is dropped
 * (journal_drop), so one bad record cannot keep the gateway answering 503 to everyone: with the
 * backoff, about 0.75 s of retries from a healthy store, at most 4 s (docs/internals/store.md).
 * Before session 8 the drop needed "other commits meanwhile", which nothing could make (the
 * counter was read under the write lock right before the attempt): a refused record was retried
 * forever and every call got 503 until a restart.
 */
static void journal_failed(gw_store_t *st, gw_journal_item_t *j)
{
    gw_journal_item_t *fin = NULL, **ftail = &fin, *flushes = NULL, **fltail = &flushes;
    mark_unavailable(st);
    while (j != NULL) {
        gw_journal_item_t *next = j->next;
        j->next = NULL;
        if (j->kind == GW_J_FINISH && j->mode != GW_J_SYNC) {
            *ftail = j;
            ftail = &j->next;
        } else if (j->kind == GW_J_FLUSH) { /* last, as in journal_complete_all */
            *fltail = j;
            fltail = &j->next;
        } else if (j->kind == GW_J_SETTLE) {
            /* a call that ended (forwarded or not): its settlement alone, so that another item's failure (a record
             * retried in this round) does not leave the reservation open until the next start, charged in full */
            journal_complete(st, j, finish_alone(st, j, NULL));
        } else {
            journal_complete(st, j, 0);
        }
        j = next;
    }
    gw_journal_item_t *keep = NULL, **ktail = &keep;
    size_t nkeep = 0;
    int takes_calls = -1; /* this round's probe: -1 not run yet, then 1 committed, 0 not */
    while (fin != NULL) {
        gw_journal_item_t *next = fin->next;
        fin->next = NULL;
        int own = 0;
        if (finish_alone(st, fin, &own)) {
            journal_complete(st, fin, 1);
            fin = next;
            continue;
        }
        fin->failures++;
        pthread_mutex_lock(&st->qlock);
        st->stats.finish_failures++;
        pthread_mutex_unlock(&st->qlock);
        if (own && !st->stopping && takes_calls < 0)
            takes_calls = gw_store__probe_call_row(st) == 0;
        if (own && !st->stopping && takes_calls == 1 && ++fin->refusals >= GW_STORE_DROP_AFTER) {
            journal_drop(st, fin);
        } else if (st->stopping) {
            gw_log(GW_LOG_ERROR, "store: closing while the record of %s cannot be committed", fin->rid);
            journal_complete(st, fin, 0);
        } else {
            *ktail = fin;
            ktail = &fin->next;
            nkeep++;
        }
        fin = next;
    }
    if (keep != NULL) {
        pthread_mutex_lock(&st->qlock);
        *ktail = st->jretry; /* older retries after these: order within one user is kept by the settle rules */
        st->jretry = keep;
        st->jbackoff_us = st->jbackoff_us == 0 ? J_RETRY_MIN_US : st->jbackoff_us * 2;
        if (st->jbackoff_us > J_RETRY_MAX_US)
            st->jbackoff_us = J_RETRY_MAX_US;
        st->jretry_due_us = gw_store__mono_now_us() + st->jbackoff_us;
        atomic_fetch_add_explicit(&st->jretry_n, (int)nkeep, memory_order_relaxed);
        pthread_mutex_unlock(&st->qlock);
    }
    while (flushes != NULL) {
        gw_journal_item_t *next = flushes->next;
        journal_complete(st, flushes, 0);
        flushes = next;
    }
}

/* Stable merge sort of the journal by user id: the ledger's row cursors read and write each user's
 * balance (and lease) row once per transaction (store_ledger.c), and on PostgreSQL every instance
 * takes the users' row locks in the same order, so two instances' batches cannot deadlock.
 * Per-user order is kept. */
static gw_journal_item_t *journal_sort(gw_journal_item_t *j)
{
    if (j == NULL || j->next == NULL)
        return j;
    gw_journal_item_t *slow = j, *fast = j->next;
    while (fast != NULL && fast->next != NULL) {
        slow = slow->next;
        fast = fast->next->next;
    }
    gw_journal_item_t *b = slow->next, *out = NULL, **t = &out;
    slow->next = NULL;
    gw_journal_item_t *a = journal_sort(j);
    b = journal_sort(b);
    while (a != NULL && b != NULL) {
        if (strcmp(a->user ? a->user : "", b->user ? b->user : "") <= 0) {
            *t = a;
            a = a->next;
        } else {
            *t = b;
            b = b->next;
        }
        t = &(*t)->next;
    }
    *t = a != NULL ? a : b;
    return out;
}

/*
 * One writer transaction (wlock held): the journal items first (ledger operations at their
 * savepoints, finished calls), then the queued records, one COMMIT. When it fails, the journal
 * is retried alone (so a bad access record cannot fail a reservation) and the records take
 * gw_store__write_batch's one-at-a-time path. `began`: the caller's BEGIN succeeded.
 * On PostgreSQL the transaction is one pipeline held open to its COMMIT (the COMMIT goes with the
 * sync, store_pg.c): an error may show only at the COMMIT, so a failed journal is
 * then applied again alone even without records, in order when its batched ledger rows may be the
 * cause (gw_store__ledger_retry; as journal_apply does for an error it sees at once).
 */
static void run_transaction(gw_store_t *st, int began, gw_journal_item_t *j, qitem_t *items, size_t n)
{
    uint64_t ops = journal_ops(j);
    if (ops > 0)
        gw_store__ledger_count(st->ledger, ops);
    gw_store__known_calls_settle(st, 0); /* nothing inserted before this transaction becomes known */
    int ok = began;
    if (ok && j != NULL)
        ok = journal_apply(st, j, 1) == 0;
    if (ok && n > 0) {
        if (j == NULL) /* else journal_apply began this transaction's key reads */
            st->batch_seq++;
        int prc = gw_store__db_pipeline(st->wdb, 1);
        if (st->pg && prc == 0)
            gw_store__prefetch_keys(st, items, n);
        size_t i;
        gw_store__calls_begin(st);
        for (i = 0; prc == 0 && i < n; i++)
            if (gw_store__write_item(st, &items[i]) != 0)
                break;
        int crc = gw_store__calls_end(st, prc == 0 && i == n);
        ok = gw_store__db_pipeline(st->wdb, GW_STORE_PIPELINE_HOLD) == 0 && prc == 0 && i == n && crc == 0;
    }
    if (ok && gw_store__tx_commit(st->wdb) == 0) {
        uint64_t calls = 0, access = 0, reds = 0;
        gw_store__known_calls_settle(st, 1); /* the call rows it inserted are there */
        if (j != NULL)
            gw_store__ledger_committed(st->ledger, st->wdb);
        for (size_t i = 0; i < n; i++)
            gw_store__count_written(st, &items[i], &calls, &access, &reds);
        pthread_mutex_lock(&st->qlock);
        st->stats.calls_written += calls;
        st->stats.access_written += access;
        st->stats.redactions_written += reds;
        st->stats.batches++;
        st->jbackoff_us = 0;
        pthread_mutex_unlock(&st->qlock);
        journal_complete_all(st, j, 1);
        return;
    }
    if (began)
        gw_store__log_db_error(st->wdb, j != NULL ? "journal transaction" : "batch");
    gw_store__tx_rollback(st->wdb);
    if (j != NULL) {
        int again = n > 0 || (st->pg && gw_store__ledger_retry(st->ledger));
        if (again && gw_store__tx_begin(st, st->wdb) == 0 && journal_apply(st, j, 0) == 0 && gw_store__tx_commit(st->wdb) == 0) {
            journal_complete_all(st, j, 1);
        } else {
            if (again)
                gw_store__tx_rollback(st->wdb);
            journal_failed(st, j);
        }
    }
    if (n > 0)
        gw_store__write_batch(st, items, n);
}

/* run_transaction, timed into the store's batch statistics (wlock held). `lead`: committed inline. */
static void timed_transaction(gw_store_t *st, int began, gw_journal_item_t *j, qitem_t *items, size_t n, int lead)
{
    int64_t t0 = gw_store__mono_now_us();
    run_transaction(st, began, j, items, n);
    uint64_t dt = (uint64_t)(gw_store__mono_now_us() - t0);
    pthread_mutex_lock(&st->qlock);
    st->stats.last_batch_us = dt;
    if (dt > st->stats.max_batch_us)
        st->stats.max_batch_us = dt;
    st->stats.inline_commits += lead != 0;
    pthread_mutex_unlock(&st->qlock);
}

/* ---- the loop turn (store.h gw_store_turn_t; docs/internals/store.md "Commit once per loop turn") ---- */

struct st_gw_store_turn_t {
    gw_store_t *st;
    gw_journal_item_t *head, *tail; /* this turn's items, in submission order */
    size_t n;
    size_t inline_max; /* a turn of more items goes to the writer (0: no limit) */
    qitem_t *ring;     /* batch_max slots: ring records taken into an inline transaction */
};

/* The turn bound to this thread (gw_store_turn_open), or NULL: its journal submissions collect in it. */
static _Thread_local gw_store_turn_t *tl_turn;

/* Appends the list head..tail to the writer's queue: first in line (`first`: the items of a leader
 * that could not begin, older than anything queued meanwhile) or last. qlock held. */
static void journal_enqueue(gw_store_t *st, gw_journal_item_t *head, gw_journal_item_t *tail, int first)
{
    if (first) {
        tail->next = st->jhead;
        st->jhead = head;
        if (st->jtail == NULL)
            st->jtail = tail;
        return;
    }
    if (st->jtail != NULL)
        st->jtail->next = head;
    else
        st->jhead = head;
    st->jtail = tail;
}

/* Hands what turn `t` holds to the writer (qlock held; the caller signals qcond). */
static void turn_enqueue(gw_store_turn_t *t)
{
    if (t->head == NULL)
        return;
    journal_enqueue(t->st, t->head, t->tail, 0);
    t->st->stats.turn_handoffs++;
    t->head = t->tail = NULL;
    t->n = 0;
}

int gw_store__journal_submit(gw_store_t *st, gw_journal_item_t *it)
{
    it->next = NULL;
    it->done = 0;
    gw_store_turn_t *t = tl_turn;
    pthread_mutex_lock(&st->qlock);
    if (st->stopping || !st->writer_started) {
        pthread_mutex_unlock(&st->qlock);
        return GW_STORE_E_CLOSED;
    }
    if (t != NULL && t->st == st) {
        if (it->mode != GW_J_SYNC) { /* committed at the end of the loop's turn (gw_store_turn_commit) */
            if (t->tail != NULL)
                t->tail->next = it;
            else
                t->head = it;
            t->tail = it;
            t->n++;
            pthread_mutex_unlock(&st->qlock);
            return 0;
        }
        turn_enqueue(t); /* a caller that blocks on this thread: what its turn holds was submitted first */
    }
    journal_enqueue(st, it, it, 0);
    pthread_cond_signal(&st->qcond);
    if (it->mode == GW_J_SYNC)
        while (!it->done)
            pthread_cond_wait(&st->jdone, &st->qlock);
    pthread_mutex_unlock(&st->qlock);
    return 0;
}

int gw_store__journal_idle(gw_store_t *st)
{
    gw_store_turn_t *t = tl_turn;
    pthread_mutex_lock(&st->qlock);
    int idle =
        st->jhead == NULL && st->jretry == NULL && !st->jbusy && !st->jleader && (t == NULL || t->st != st || t->head == NULL);
    pthread_mutex_unlock(&st->qlock);
    return idle;
}

gw_store_turn_t *gw_store_turn_open(gw_store_t *st, size_t inline_max)
{
    if (st == NULL || tl_turn != NULL)
        return NULL;
    gw_store_turn_t *t = calloc(1, sizeof(*t));
    if (t == NULL || (t->ring = malloc(st->batch_max * sizeof(*t->ring))) == NULL) {
        free(t);
        return NULL;
    }
    t->st = st;
    t->inline_max = inline_max;
    tl_turn = t;
    return t;
}

void gw_store_turn_close(gw_store_turn_t *t)
{
    if (t == NULL)
        return;
    gw_store_t *st = t->st;
    pthread_mutex_lock(&st->qlock);
    turn_enqueue(t);
    pthread_cond_signal(&st->qcond);
    pthread_mutex_unlock(&st->qlock);
    if (tl_turn == t)
        tl_turn = NULL;
    free(t->ring);
    free(t);
}

/*
 * The inline transaction of a turn (wlock held, jleader set, the writer's connection free): BEGIN
 * without waiting for another connection's write lock, then the writer's own code (run_transaction)
 * on the turn's items and on the ring's records that are there (so they need no commit of their
 * own). @return 1 committed or failed (every item completed, except a finished call kept in the
 * retry list for the writer), 0 not begun (busy: nothing taken, nothing changed).
 */
static int turn_lead(gw_store_t *st, gw_store_turn_t *t, gw_journal_item_t *j)
{
    if (gw_store__db_begin_nowait(st->wdb) != 0)
        return 0;
    size_t n = 0;
    pthread_mutex_lock(&st->qlock);
    if (!st->paused)
        while (n < st->batch_max && st->qlen > 0) {
            t->ring[n++] = st->q[st->qhead];
            st->qhead = (st->qhead + 1) % st->qcap;
            st->qlen--;
        }
    pthread_mutex_unlock(&st->qlock);
    timed_transaction(st, 1, journal_sort(j), t->ring, n, 1);
    for (size_t i = 0; i < n; i++)
        gw_store__qitem_free(&t->ring[i]);
    if (n > 0) {
        pthread_mutex_lock(&st->qlock);
        st->processed += n;
        pthread_cond_broadcast(&st->qdone);
        pthread_mutex_unlock(&st->qlock);
    }
    return 1;
}

/*
 * Commit once per loop turn (issue 12 session 7; docs/internals/store.md "Commit once per loop
 * turn"). The items a loop submitted during its turn are committed together, from its uv_prepare
 * handle (run just before the loop polls): on the loop's own thread when the journal is idle
 * (nothing queued, nothing waiting for a retry, no transaction of the writer or of another loop
 * under way: wlock taken without waiting), else by the writer thread as one group with whatever is
 * queued there. Serially a call's two commits cost no thread hop; under load a turn's items, many
 * calls', still share one transaction, as the writer's group commit did (the inline commit of
 * session 6 committed each submission alone: docs/BENCHMARKS.md "Issue 12, session 6: serial commit
 * path (SQLite)").
 *
 * Only on SQLite: a PostgreSQL commit waits for network round trips and the server's WAL flush,
 * which a worker loop must not wait for (its other connections would stall); there a turn's items
 * go to the writer in one hand-off. The inline BEGIN never waits for a lock another connection
 * holds (gw_store__db_begin_nowait: the checkpointer's RESTART, a CLI's transaction): busy, the
 * turn goes to the writer first in line, which waits as before. What a failed transaction does is
 * the writer's code (run_transaction, journal_failed): reservations fail (503), finished calls are
 * tried alone, then kept in the retry list (the writer retries them) with new calls refused.
 */
size_t gw_store_turn_commit(gw_store_turn_t *t, int may_inline)
{
    if (t == NULL || t->head == NULL)
        return 0;
    gw_store_t *st = t->st;
    pthread_mutex_lock(&st->qlock);
    /* qlock then a try of wlock: the writer takes wlock then qlock, so never wait for wlock here */
    if (may_inline && !st->pg && (t->inline_max == 0 || t->n <= t->inline_max) && st->jhead == NULL && st->jretry == NULL &&
        !st->jbusy && !st->jleader && !st->stopping && pthread_mutex_trylock(&st->wlock) == 0) {
        gw_journal_item_t *j = t->head, *tail = t->tail;
        size_t n = t->n;
        t->head = t->tail = NULL;
        t->n = 0;
        st->jleader = 1;
        pthread_mutex_unlock(&st->qlock);
        int led = turn_lead(st, t, j);
        pthread_mutex_unlock(&st->wlock);
        pthread_mutex_lock(&st->qlock);
        st->jleader = 0;
        if (led) {
            /* the writer sleeps without knowing of a retry a failure left, or waits for this to close */
            if (st->jretry != NULL || st->stopping)
                pthread_cond_signal(&st->qcond);
            pthread_mutex_unlock(&st->qlock);
            return n;
        }
        journal_enqueue(st, j, tail, 1); /* not begun: the writer's, before what was queued meanwhile */
        st->stats.turn_handoffs++;
    } else {
        turn_enqueue(t);
    }
    pthread_cond_signal(&st->qcond);
    pthread_mutex_unlock(&st->qlock);
    return 0;
}

size_t gw_store__journal_pending(gw_store_t *st)
{
    size_t n = 0;
    pthread_mutex_lock(&st->qlock);
    for (gw_journal_item_t *it = st->jhead; it != NULL; it = it->next)
        n += it->kind != GW_J_FLUSH;
    pthread_mutex_unlock(&st->qlock);
    return n;
}

int gw_store_unavailable(gw_store_t *st)
{
    if (atomic_load_explicit(&st->jretry_n, memory_order_relaxed) > 0)
        return 1;
    int64_t until = atomic_load_explicit(&st->unavailable_until_us, memory_order_relaxed);
    return until != 0 && gw_store__mono_now_us() < until;
}

int gw_store_finish_async(gw_store_t *st, gw_call_rec_t *rec, const char *user_id, const char *request_id, int settle,
                          int64_t actual, gw_store_done_cb cb, void *ctx)
{
    size_t ul = user_id ? strlen(user_id) : 0, rl = request_id ? strlen(request_id) : 0;
    if (cb == NULL ||
        (settle && (!gw_store__user_id_fits(user_id) || !gw_store__id_fits(request_id, GW_REQUEST_ID_MAX) || actual < 0))) {
        gw_call_rec_free(rec);
        return GW_STORE_E_INVAL;
    }
    gw_journal_item_t *it = calloc(1, sizeof(*it) + ul + rl + 2);
    if (it == NULL) {
        gw_call_rec_free(rec);
        return GW_STORE_E_NOMEM;
    }
    char *u = (char *)(it + 1), *r = u + ul + 1;
    if (ul)
        memcpy(u, user_id, ul);
    if (rl)
        memcpy(r, request_id, rl);
    it->kind = GW_J_FINISH;
    it->mode = GW_J_ASYNC;
    it->user = u;
    it->rid = rl ? r : (rec != NULL ? rec->request_id : r);
    it->settle = settle;
    it->amount = actual;
    it->now = gw_store__clock_us(st);
    it->rec = rec;
    it->cb = cb;
    it->ctx = ctx;
    int rc = gw_store__journal_submit(st, it);
    if (rc != 0) {
        gw_call_rec_free(rec);
        free(it);
    }
    return rc;
}

/* ---- writer thread ---- */

/*
 * Records of the ring alone (access log rows, calls answered without forwarding) wait up to
 * GW_STORE_RING_LINGER_US for a journal item to ride with, instead of a commit of their own: at low
 * load every call would otherwise pay a third commit for its access row, after its reservation's
 * and its record's (nothing waits for these rows; the lingering window is the loss window the
 * store's notes state). A flush, a full batch or closing ends the wait. qlock held.
 */
static int ring_due(gw_store_t *st)
{
    if (st->qlen == 0 || (st->paused && !st->stopping))
        return 0;
    return st->stopping || st->flushing > 0 || st->qlen >= st->batch_max || gw_store__mono_now_us() >= st->ring_due_us;
}

void *gw_store__writer_main(void *arg)
{
    gw_store_t *st = arg;
    qitem_t *batch = malloc(st->batch_max * sizeof(*batch));
    int purge_class = 0, just_worked = 0;
    if (batch == NULL) {
        gw_log(GW_LOG_ERROR, "store: writer: out of memory");
        abort();
    }
    pthread_mutex_lock(&st->qlock);
    for (;;) {
        /* Checked on every turn, not only when idle: under sustained ingest the queue is never
         * empty, and the purge must still run (interleaved, one small batch per turn). */
        if (!st->purge_running && st->purge_interval_us > 0 && gw_store__mono_now_us() >= st->next_purge_mono_us) {
            st->purge_running = 1;
            purge_class = 0;
        }
        for (;;) {
            int retry_due = st->jretry != NULL && (st->stopping || gw_store__mono_now_us() >= st->jretry_due_us);
            /* closing waits for a leader's inline commit (it signals when done) */
            if ((st->stopping && !st->jleader) || ring_due(st) || st->jhead != NULL || retry_due || st->purge_running)
                break;
            int64_t wait = st->purge_interval_us > 0 ? st->next_purge_mono_us - gw_store__mono_now_us() : INT64_MAX;
            if (st->jretry != NULL && st->jretry_due_us - gw_store__mono_now_us() < wait)
                wait = st->jretry_due_us - gw_store__mono_now_us();
            if (st->qlen != 0 && !st->paused && st->ring_due_us - gw_store__mono_now_us() < wait)
                wait = st->ring_due_us - gw_store__mono_now_us();
            if (wait <= 0) {
                if (st->purge_interval_us > 0 && gw_store__mono_now_us() >= st->next_purge_mono_us) {
                    st->purge_running = 1;
                    purge_class = 0;
                }
                continue;
            }
            /* Right after work, sleep at most the ring's lingering window: a record submitted
             * meanwhile is then due after this wake-up, so submit() need not wake the writer to
             * start its wait (at low load that wake-up cost each call two context switches for
             * its access row). One extra wake-up per idle period. */
            if (just_worked && wait > GW_STORE_RING_LINGER_US)
                wait = GW_STORE_RING_LINGER_US;
            just_worked = 0;
            if (wait == INT64_MAX) {
                st->writer_sleep_until_us = INT64_MAX;
                pthread_cond_wait(&st->qcond, &st->qlock);
                st->writer_sleep_until_us = 0;
                continue;
            }
            st->writer_sleep_until_us = gw_store__mono_now_us() + wait;
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            int64_t ns = ts.tv_nsec + (wait % 1000000) * 1000;
            ts.tv_sec += (time_t)(wait / 1000000 + ns / 1000000000);
            ts.tv_nsec = (long)(ns % 1000000000);
            pthread_cond_timedwait(&st->qcond, &st->qlock, &ts);
            st->writer_sleep_until_us = 0;
        }
        just_worked = 1;
        if (st->stopping && st->qlen == 0 && st->jhead == NULL && st->jretry == NULL && !st->jleader)
            break;
        int work = (st->qlen > 0 && (!st->paused || st->stopping)) || st->jhead != NULL ||
                   (st->jretry != NULL && (st->stopping || gw_store__mono_now_us() >= st->jretry_due_us));
        int purge_now = st->purge_running && !st->stopping;
        pthread_mutex_unlock(&st->qlock);

        size_t n = 0;
        if (work) {
            pthread_mutex_lock(&st->wlock);
            /* BEGIN first (it may wait for SQLite's write lock), then take everything queued by
             * then: the operations that arrived while the last transaction ran go together. */
            int began = gw_store__tx_begin(st, st->wdb) == 0;
            gw_journal_item_t *j = NULL;
            pthread_mutex_lock(&st->qlock);
            if (st->jretry != NULL && (st->stopping || gw_store__mono_now_us() >= st->jretry_due_us)) {
                gw_journal_item_t *r = st->jretry, *last = r;
                int k = 1;
                while (last->next != NULL) {
                    last = last->next;
                    k++;
                }
                last->next = st->jhead;
                st->jhead = r;
                if (st->jtail == NULL)
                    st->jtail = last;
                st->jretry = NULL;
                atomic_fetch_sub_explicit(&st->jretry_n, k, memory_order_relaxed);
            }
            j = st->jhead;
            st->jhead = st->jtail = NULL;
            st->jbusy = j != NULL;
            if (!st->paused || st->stopping) {
                while (n < st->batch_max && st->qlen > 0) {
                    batch[n++] = st->q[st->qhead];
                    st->qhead = (st->qhead + 1) % st->qcap;
                    st->qlen--;
                }
            }
            pthread_mutex_unlock(&st->qlock);
            j = journal_sort(j);
            if (j == NULL && n == 0) {
                if (began)
                    gw_store__tx_commit(st->wdb);
            } else {
                timed_transaction(st, began, j, batch, n, 0);
            }
            pthread_mutex_unlock(&st->wlock);
            for (size_t i = 0; i < n; i++)
                gw_store__qitem_free(&batch[i]);
            pthread_mutex_lock(&st->qlock);
            st->jbusy = 0;
            pthread_mutex_unlock(&st->qlock);
        }
        if (purge_now) {
            /* One small batch of one class per loop turn, so queued records go first. */
            pthread_mutex_lock(&st->wlock);
            int64_t k = gw_store__purge_step(st, purge_class, gw_store__clock_us(st));
            pthread_mutex_unlock(&st->wlock);
            if (k < GW_STORE_PURGE_BATCH)
                purge_class++;
        }

        pthread_mutex_lock(&st->qlock);
        st->processed += n;
        if (n > 0)
            pthread_cond_broadcast(&st->qdone);
        if (purge_now && purge_class >= POL_RET_NCLASSES) {
            st->purge_running = 0;
            st->stats.last_purge_at_us = gw_store__clock_us(st);
            st->next_purge_mono_us = gw_store__mono_now_us() + st->purge_interval_us;
        }
    }
    pthread_cond_broadcast(&st->qdone);
    pthread_mutex_unlock(&st->qlock);
    free(batch);
    return NULL;
}

static int submit(gw_store_t *st, int kind, void *rec)
{
    int ret = 0, wake = 0;
    pthread_mutex_lock(&st->qlock);
    if (st->stopping) {
        ret = GW_STORE_E_CLOSED;
    } else if (st->qlen == st->qcap) {
        st->stats.rejected_full++;
        ret = GW_STORE_E_FULL;
    } else {
        st->q[(st->qhead + st->qlen) % st->qcap] = (qitem_t){kind, rec};
        st->qlen++;
        st->submitted++;
        /* the writer needs a wake-up only to start the lingering wait (ring_due) when it sleeps past
         * it, or to end it early (a full batch); not at all while awake (it looks before sleeping) */
        if (st->qlen == 1)
            st->ring_due_us = gw_store__mono_now_us() + GW_STORE_RING_LINGER_US;
        wake = st->writer_sleep_until_us != 0 &&
               ((st->qlen == 1 && st->writer_sleep_until_us > st->ring_due_us) || st->qlen == st->batch_max);
    }
    pthread_mutex_unlock(&st->qlock);
    if (wake)
        pthread_cond_signal(&st->qcond);
    return ret;
}

int gw_store_submit_call(gw_store_t *st, gw_call_rec_t *rec)
{
    return submit(st, Q_CALL, rec);
}

int gw_store_submit_access(gw_store_t *st, gw_store_access_rec_t *rec)
{
    return submit(st, Q_ACCESS, rec);
}

int gw_store_flush(gw_store_t *st)
{
    pthread_mutex_lock(&st->qlock);
    uint64_t target = st->submitted;
    st->flushing++; /* the writer does not linger on the ring meanwhile */
    while (st->processed < target && st->writer_started && !(st->paused && !st->stopping)) {
        pthread_cond_signal(&st->qcond);
        pthread_cond_wait(&st->qdone, &st->qlock);
    }
    st->flushing--;
    int ret = st->processed >= target ? 0 : GW_STORE_E_CLOSED;
    pthread_mutex_unlock(&st->qlock);
    return ret;
}

void gw_store_pause_writer(gw_store_t *st, int paused)
{
    pthread_mutex_lock(&st->qlock);
    st->paused = paused;
    pthread_cond_broadcast(&st->qcond);
    pthread_cond_broadcast(&st->qdone);
    pthread_mutex_unlock(&st->qlock);
}

void gw_store_stats(gw_store_t *st, gw_store_stats_t *out)
{
    pthread_mutex_lock(&st->qlock);
    *out = st->stats;
    out->queue_depth = st->qlen;
    out->queue_max = st->qcap;
    pthread_mutex_unlock(&st->qlock);
    out->key_row_reads = atomic_load_explicit(&st->key_row_reads, memory_order_relaxed);
    out->call_row_lookups = atomic_load_explicit(&st->call_row_lookups, memory_order_relaxed);
}

const char *gw_store_master_key_id(gw_store_t *st)
{
    return st->mk_id;
}
