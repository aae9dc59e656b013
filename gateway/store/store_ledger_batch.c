/*
 * The journal's ledger writes in batches on PostgreSQL (issue 12: metered calls of several
 * instances on one database).
 *
 * Applied statement by statement, every metered call cost the journal's transaction four
 * statements (the reserve row, the open reservation, the DELETE ... RETURNING of that reservation
 * at settlement, the settle row) and two round trips: the reserve row's INSERT ... ON CONFLICT DO
 * NOTHING had to answer its row count (the idempotency check: a request id reserved before
 * answers 0 and takes nothing) and the settlement had to read what the open row reserved before
 * it could price the refund. Batched, a transaction of any number of calls costs:
 *   - one DELETE of every settlement's open reservation, `WHERE request_id = ANY(request ids)
 *     RETURNING` which of them it found (paired by request id, the user checked here): one round
 *     trip, at the transaction's first settlement;
 *   - at its end, one INSERT of every reserve and settle row and one INSERT of every new open
 *     reservation (`SELECT unnest(?), ...` of binary arrays, store_pgarray.h), pipelined
 *     with the COMMIT's other statements: no round trip.
 * The decisions stay in store_ledger.c, on the same row cursors, in journal order. What changes
 * is that a reservation is decided as if its request id were new, and the reserve rows are plain
 * INSERTs: a request id that was reserved before fails the INSERT on the ledger's UNIQUE
 * (request_id, kind), the transaction fails, and the journal applies the same items again in a
 * new transaction statement by statement (gw_store__ledger_retry), where the repeat answers 0 as
 * it always did. Likewise a body that meets a case only the in-order path answers exactly (a
 * settlement of a reservation of the same transaction, two settlements of one request id, a
 * refusal whose request id the batch mentions) asks for that retry (gw_ledger__batch_retry)
 * instead of guessing. Request ids are the gateway's own random ids, so the retry is the rare
 * path; it is never wrong, only slower.
 *
 * The guarantees are the in-order path's: the balance and lease rows are still read FOR UPDATE
 * through the cursors before anything is admitted, every write is in the one transaction, and a
 * failure anywhere rolls all of it back.
 */
#include "gateway/store/store_ledger.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "gateway/store/store_ledger_internal.h"

#define NOTE_OVERRUN "actual cost above the reservation"

enum { COL_USER, COL_RID, COL_KIND, COL_AMOUNT, COL_AT, COL_NOTE, COL_FLAGGED };

void gw_ledger__batch_begin(gw_store_ledger_t *lg)
{
    ledger_batch_t *b = &lg->b;
    b->on = lg->pg && !b->strict_next;
    b->strict_next = 0;
    b->retry = 0;
    b->fetched = 0;
    b->nrows = b->nreserve = 0;
    b->ntaken = b->next = 0;
}

int gw_store__ledger_retry(gw_store_ledger_t *lg)
{
    ledger_batch_t *b = &lg->b;
    if (!b->on || (b->nrows == 0 && !b->fetched && !b->retry))
        return 0;
    b->strict_next = 1;
    b->on = 0;
    atomic_fetch_add_explicit(&lg->batch_retries, 1, memory_order_relaxed);
    return 1;
}

int gw_ledger__batch_retry(gw_store_ledger_t *lg)
{
    lg->b.retry = 1;
    return GW_STORE_E_DB;
}

int gw_ledger__batch_row(gw_store_ledger_t *lg, ledger_op_t *op, int reserve, int64_t amount, int lease, int flagged)
{
    ledger_batch_t *b = &lg->b;
    if (b->nrows == b->crows) {
        size_t c = b->crows ? b->crows * 2 : 64;
        ledger_row_t *r = realloc(b->rows, c * sizeof(*r));
        if (r == NULL)
            return -1;
        b->rows = r;
        b->crows = c;
    }
    b->rows[b->nrows++] = (ledger_row_t){op, reserve, reserve ? -op->amount : amount, lease, flagged};
    b->nreserve += reserve != 0;
    return 0;
}

static int is_settlement(const ledger_op_t *it)
{
    return it->kind == GW_J_SETTLE || (it->kind == GW_J_FINISH && it->settle);
}

/* The settlements from `first` on, each request id once (a second settlement of one id is not
 * taken: its body finds nothing and asks for the in-order retry). @return 0 or -1 (out of memory). */
static int collect_settlements(ledger_batch_t *b, ledger_op_t *first)
{
    for (ledger_op_t *it = first; it != NULL; it = it->next) {
        if (!is_settlement(it))
            continue;
        uint64_t h = gw_ledger__ct_hash(it->rid);
        int dup = 0;
        for (size_t k = 0; k < b->ntaken && !dup; k++)
            dup = b->taken[k].hash == h && strcmp(b->taken[k].op->rid, it->rid) == 0;
        if (dup)
            continue;
        if (b->ntaken == b->ctaken) {
            size_t c = b->ctaken ? b->ctaken * 2 : 64;
            ledger_taken_t *t = realloc(b->taken, c * sizeof(*t));
            if (t == NULL)
                return -1;
            b->taken = t;
            b->ctaken = c;
        }
        b->taken[b->ntaken++] = (ledger_taken_t){.op = it, .hash = h};
    }
    return 0;
}

/* One DELETE of the open reservations of every settlement in b->taken (by request id), each row
 * returned paired with its settlement by request id. A row of another user than its settlement's
 * (never for the gateway's own random request ids) is deleted by this statement, which the
 * statement-by-statement path would not do: the transaction asks for that retry (b->retry: rolled
 * back, applied again in order, where the settlement is refused and nothing written). @return 0 or
 * -1. */
static int take_all(ledger_batch_t *b, slot_t *sl)
{
    gw_store_pgarr_t *rid = &b->col[COL_RID];
    gw_store__pgarr_start(rid, GW_PG_TEXTOID);
    for (size_t k = 0; k < b->ntaken; k++)
        gw_store__pgarr_text(rid, b->taken[k].op->rid);
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_OPEN_TAKE_MANY);
    if (s == NULL)
        return -1;
    if (gw_store__pgarr_bind(rid, s, 1) != 0) {
        gw_store__reset(s);
        return -1;
    }
    int rc;
    size_t hint = 0; /* rows come back in index order, often the arrays' */
    while ((rc = gw_store__step(s)) == 1) {
        const char *r = gw_store__col_text(s, 0), *u = gw_store__col_text(s, 1);
        if (r == NULL || u == NULL) {
            rc = -1;
            break;
        }
        uint64_t h = gw_ledger__ct_hash(r);
        ledger_taken_t *t = NULL;
        for (size_t i = 0; i < b->ntaken && t == NULL; i++) {
            ledger_taken_t *c = &b->taken[(hint + i) % b->ntaken];
            if (c->hash == h && strcmp(c->op->rid, r) == 0)
                t = c;
        }
        if (t == NULL || t->found) { /* not asked for, or twice: never from a primary key */
            rc = -1;
            break;
        }
        if (strcmp(t->op->user, u) != 0) {
            b->retry = 1;
            rc = -1;
            break;
        }
        hint = (size_t)(t - b->taken) + 1;
        t->found = 1;
        t->amount = gw_store__col_int64(s, 2);
        t->lease = gw_store__col_int64(s, 3) != 0;
    }
    gw_store__reset(s);
    return rc < 0 ? -1 : 0;
}

int gw_ledger__batch_take(gw_store_ledger_t *lg, slot_t *sl, ledger_op_t *op, int64_t *amount, int *lease)
{
    ledger_batch_t *b = &lg->b;
    if (!b->fetched) {
        b->fetched = 1;
        b->ntaken = b->next = 0;
        if (collect_settlements(b, op) != 0 || take_all(b, sl) != 0)
            return -1;
    }
    /* bodies run in journal order: the entry of `op` is the next one, or absent (a repeated id) */
    ledger_taken_t *t = NULL;
    if (b->next < b->ntaken && b->taken[b->next].op == op)
        t = &b->taken[b->next++];
    else
        for (size_t k = 0; k < b->ntaken && t == NULL; k++)
            if (b->taken[k].op == op)
                t = &b->taken[k];
    if (t == NULL || !t->found)
        return 0;
    *amount = t->amount;
    *lease = t->lease;
    return 1;
}

int gw_ledger__batch_mentions(gw_store_ledger_t *lg, const ledger_op_t *op)
{
    const ledger_batch_t *b = &lg->b;
    for (size_t k = 0; k < b->nrows; k++)
        if (strcmp(b->rows[k].op->rid, op->rid) == 0)
            return 1;
    for (size_t k = 0; k < b->ntaken; k++)
        if (b->taken[k].op != op && strcmp(b->taken[k].op->rid, op->rid) == 0)
            return 1;
    return 0;
}

/* Binds columns `cols` (COL_* in order) as parameters from `first` on. @return 0 or -1. */
static int bind_cols(ledger_batch_t *b, gw_store_stmt_t *s, const int *cols, int ncols, int first)
{
    for (int c = 0; c < ncols; c++)
        if (gw_store__pgarr_bind(&b->col[cols[c]], s, first + c) != 0)
            return -1;
    return 0;
}

int gw_ledger__batch_flush(gw_store_ledger_t *lg, slot_t *sl)
{
    ledger_batch_t *b = &lg->b;
    if (!b->on || b->nrows == 0)
        return 0;
    static const uint32_t oid[7] = {GW_PG_TEXTOID, GW_PG_TEXTOID, GW_PG_TEXTOID, GW_PG_INT8OID,
                                    GW_PG_INT8OID, GW_PG_TEXTOID, GW_PG_INT8OID};
    for (int c = 0; c < 7; c++)
        gw_store__pgarr_start(&b->col[c], oid[c]);
    for (size_t k = 0; k < b->nrows; k++) {
        const ledger_row_t *r = &b->rows[k];
        gw_store__pgarr_text(&b->col[COL_USER], r->op->user);
        gw_store__pgarr_text(&b->col[COL_RID], r->op->rid);
        gw_store__pgarr_text(&b->col[COL_KIND], r->reserve ? "reserve" : "settle");
        gw_store__pgarr_int8(&b->col[COL_AMOUNT], r->amount);
        gw_store__pgarr_int8(&b->col[COL_AT], r->op->now);
        gw_store__pgarr_text(&b->col[COL_NOTE], r->flagged ? NOTE_OVERRUN : NULL);
        gw_store__pgarr_int8(&b->col[COL_FLAGGED], r->flagged);
    }
    static const int ledger_cols[7] = {COL_USER, COL_RID, COL_KIND, COL_AMOUNT, COL_AT, COL_NOTE, COL_FLAGGED};
    gw_store_stmt_t *s = gw_ledger__stmt(sl, S_LEDGER_MANY);
    if (s == NULL)
        return -1;
    if (bind_cols(b, s, ledger_cols, 7, 1) != 0) {
        gw_store__reset(s);
        return -1;
    }
    if (gw_store__run_nowait(s) != 0)
        return -1;
    if (b->nreserve == 0)
        return 0;
    /* the open reservations: the reserve rows' request ids, users, amounts, times and lease flags
     * (the columns were copied by the binding above and are rebuilt here) */
    static const int open_cols[5] = {COL_RID, COL_USER, COL_AMOUNT, COL_AT, COL_FLAGGED};
    for (int c = 0; c < 5; c++)
        gw_store__pgarr_start(&b->col[open_cols[c]], oid[open_cols[c]]);
    for (size_t k = 0; k < b->nrows; k++) {
        const ledger_row_t *r = &b->rows[k];
        if (!r->reserve)
            continue;
        gw_store__pgarr_text(&b->col[COL_RID], r->op->rid);
        gw_store__pgarr_text(&b->col[COL_USER], r->op->user);
        gw_store__pgarr_int8(&b->col[COL_AMOUNT], r->op->amount);
        gw_store__pgarr_int8(&b->col[COL_AT], r->op->now);
        gw_store__pgarr_int8(&b->col[COL_FLAGGED], r->lease); /* the lease flag, in the int8 column the ledger's flags used */
    }
    if ((s = gw_ledger__stmt(sl, S_OPEN_MANY)) == NULL)
        return -1;
    if (gw_store__bind_int64(s, 1, lg->instance) != 0 || bind_cols(b, s, open_cols, 5, 2) != 0) {
        gw_store__reset(s);
        return -1;
    }
    return gw_store__run_nowait(s) != 0 ? -1 : 0;
}

void gw_ledger__batch_free(gw_store_ledger_t *lg)
{
    ledger_batch_t *b = &lg->b;
    free(b->rows);
    free(b->taken);
    for (int c = 0; c < 7; c++)
        gw_store__pgarr_free(&b->col[c]);
    memset(b, 0, sizeof(*b));
}
