/*
 * Credits ledger of the store: the credit table, the connection pool and the statements (see
 * store_ledger.h; reserve / settle / grant and Idempotency-Key rows are in store_ledger.c, the
 * ledger's open / close in store_ledger_open.c).
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
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gateway/store/store_ledger_internal.h"

/* ---- the credit table: what each user may still reserve, in memory ---- */

uint64_t gw_ledger__ct_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

int64_t gw_ledger__ct_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The user's entry, created when `create` (stripe lock held). NULL: absent or out of memory. */
credit_t *gw_ledger__ct_get(stripe_t *sp, const char *user, uint64_t h, int create)
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

void gw_ledger__ct_free(gw_store_ledger_t *lg)
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

static const char *const SQL[S__COUNT] = {
    [S_LEDGER_INS] = "INSERT INTO ledger(user_id, request_id, kind, amount_microcredits, at, note, flagged)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id, kind) DO NOTHING",
    [S_BAL_GET] = "SELECT balance, reserved FROM credit_balances WHERE user_id = ?",
    [S_BAL_LOCK] = "SELECT balance, reserved FROM credit_balances WHERE user_id = ? FOR UPDATE", /* PostgreSQL */
    [S_BAL_INS] = "INSERT INTO credit_balances(user_id, balance, reserved, updated_at) VALUES (?, ?, 0, ?)"
                  " ON CONFLICT (user_id) DO NOTHING",
    [S_BAL_ADD] = "UPDATE credit_balances SET balance = balance + ?, reserved = reserved - ?, updated_at = ?"
                  " WHERE user_id = ? RETURNING balance",
    [S_BAL_PUT] = "UPDATE credit_balances SET balance = balance + ?, reserved = reserved - ?, updated_at = ? WHERE user_id = ?",
    [S_OPEN_INS] = "INSERT INTO credit_open(request_id, user_id, amount, instance, at, lease) VALUES (?, ?, ?, ?, ?, ?)",
    [S_OPEN_DEL] = "DELETE FROM credit_open WHERE request_id = ? RETURNING user_id, amount, lease",
    [S_OPEN_DEL_USER] = "DELETE FROM credit_open WHERE request_id = ? AND user_id = ? RETURNING amount, lease",
    [S_OPEN_GET] = "SELECT 1 FROM credit_open WHERE request_id = ?",
    /* SQLite: DELETE ... RETURNING builds an ephemeral table for its result rows on every run
     * (SQLite computes the whole statement at its first step); a read by primary key and a plain
     * DELETE cost less (docs/BENCHMARKS.md "Issue 12, session 4: SQLite store") */
    [S_OPEN_GET_USER] = "SELECT amount, lease FROM credit_open WHERE request_id = ? AND user_id = ?",
    [S_OPEN_DEL_ID] = "DELETE FROM credit_open WHERE request_id = ?",
    [S_ROW_HAS] = "SELECT 1 FROM ledger WHERE request_id = ? AND kind = ?",
    [S_IDEM_GET] = "SELECT request_id, status FROM idempotency WHERE user_id = ? AND idem_key = ? AND expires_at > ?",
    [S_IDEM_CLAIM] = "INSERT INTO idempotency(user_id, idem_key, request_id, status, created_at, expires_at)"
                     " VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (user_id, idem_key) DO UPDATE SET request_id = excluded.request_id,"
                     " status = 0, created_at = excluded.created_at, expires_at = excluded.expires_at"
                     " WHERE idempotency.expires_at <= ?",
    [S_IDEM_DONE] = "UPDATE idempotency SET status = ? WHERE user_id = ? AND idem_key = ? AND request_id = ?",
    /* credit leases: this instance's lease row of a user (the balance row gives the amount through the journal's cursor) */
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
    /* PostgreSQL, a journal transaction's rows at once (store_ledger_batch.c): binary arrays, one element per row,
     * unnested in the select list (ProjectSet), not in FROM (a Function Scan copies the rows into a tuplestore first) */
    [S_LEDGER_MANY] = "INSERT INTO ledger(user_id, request_id, kind, amount_microcredits, at, note, flagged)"
                      " SELECT unnest(?::text[]), unnest(?::text[]), unnest(?::text[]), unnest(?::int8[]), unnest(?::int8[]),"
                      " unnest(?::text[]), unnest(?::int8[])",
    [S_OPEN_MANY] = "INSERT INTO credit_open(instance, request_id, user_id, amount, at, lease)"
                    " SELECT ?, unnest(?::text[]), unnest(?::text[]), unnest(?::int8[]), unnest(?::int8[]), unnest(?::int8[])",
    /* every settlement's open row by its primary key (an index scan of `= ANY`: one plan whatever the array's
     * length, so the connection keeps its generic plan; the form before, a join with `unnest(...) WITH ORDINALITY`,
     * was planned again for a quarter of its runs). The caller pairs each row with its settlement by request id
     * and checks the user (store_ledger_batch.c take_all). */
    [S_OPEN_TAKE_MANY] = "DELETE FROM credit_open WHERE request_id = ANY(?::text[]) RETURNING request_id, user_id, amount, lease",
};

slot_t *gw_ledger__slot_acquire(gw_store_ledger_t *lg)
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

void gw_ledger__slot_release(slot_t *s)
{
    pthread_mutex_unlock(&s->lock);
}

/* The slot's prepared statement `k`, reset and ready to bind; NULL on error. */
gw_store_stmt_t *gw_ledger__stmt(slot_t *sl, int k)
{
    if (sl->s[k] == NULL)
        sl->s[k] = gw_store__db_prepare(sl->db, SQL[k]);
    return sl->s[k];
}

/* Runs a statement that returns no rows. @return rows changed, or -1. */
int64_t gw_ledger__run(gw_store_stmt_t *s)
{
    int rc;
    while ((rc = gw_store__step(s)) == 1)
        ;
    int64_t n = rc == 0 ? gw_store__changes(s) : -1;
    gw_store__reset(s);
    return n;
}

int gw_ledger__begin(gw_store_ledger_t *lg, slot_t *sl)
{
    return gw_store__tx_begin(lg->st, sl->db);
}

int gw_ledger__commit(slot_t *sl)
{
    return gw_store__tx_commit(sl->db);
}

void gw_ledger__rollback(slot_t *sl)
{
    gw_store__tx_rollback(sl->db);
}
