/*
 * Crash recovery of the ledger (see store_ledger.h): reservations left open by a previous run are
 * settled at their reserved amount and flagged, and the expired leases of instances that are gone are
 * given back, before this instance serves.
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
#include "gateway/store/store_ledger_internal.h"

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
        int rc = gw_ledger__open_take(sl, rows[i].rid, user, sizeof(user), &amount, &lease);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        /* settled at the reservation: nothing goes back; one against a lease was never counted in `reserved` */
        if (gw_ledger__ledger_ins(sl, user, rows[i].rid, "settle", 0, now, "crash recovery: settled at the reserved amount", 1) <
                0 ||
            (!lease && gw_ledger__bal_add(sl, user, 0, amount, now, NULL) < 0))
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
        if (gw_ledger__bal_add(sl, rows[i].user, rows[i].amount, 0, now, NULL) < 0)
            rc = -1;
    if (rc == 0 && count)
        *count += (int64_t)n;
    free(rows);
    return rc;
}

/* Gives every lease of `instance` expiring before `expired_before` back, in its own transaction. */
int gw_ledger__leases_give_back(gw_store_ledger_t *lg, slot_t *sl, int64_t instance, int64_t expired_before, int64_t *count)
{
    int64_t now = gw_store__now_us(lg->st);
    if (gw_ledger__begin(lg, sl) != 0 || lease_rows_give_back(sl, instance, expired_before, now, count) != 0 ||
        gw_ledger__commit(sl) != 0) {
        gw_ledger__log_err(sl, "lease return");
        gw_ledger__rollback(sl);
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
int gw_ledger__recover(gw_store_ledger_t *lg, int64_t open_before, int64_t *settled_out, int64_t *reclaimed_out)
{
    int64_t now = gw_store__now_us(lg->st), count = 0, reclaimed = 0;
    open_row_t *rows = NULL;
    size_t n = 0;
    slot_t *sl = gw_ledger__slot_acquire(lg);
    if (!lg->pg) {
        if (gw_ledger__begin(lg, sl) != 0 || collect_open(sl, lg->instance, 0, open_before, &rows, &n) != 0 ||
            recover_rows(sl, rows, n, now, &count) != 0 || gw_ledger__commit(sl) != 0)
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
            if (gw_ledger__begin(lg, sl) != 0) {
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
            if (gw_ledger__commit(sl) != 0) {
                free(inst);
                goto dberr_rb;
            }
        }
        free(inst);
    }
    free(rows);
    gw_ledger__slot_release(sl);
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
    gw_ledger__log_err(sl, "recovery");
    gw_ledger__rollback(sl);
    free(rows);
    gw_ledger__slot_release(sl);
    return GW_STORE_E_DB;
dberr:
    gw_ledger__log_err(sl, "recovery");
    free(rows);
    gw_ledger__slot_release(sl);
    return GW_STORE_E_DB;
}

int gw_store_settle_open_reservations(gw_store_t *st, int64_t *settled_out)
{
    gw_store_ledger_t *lg = gw_store__ledger(st);
    int rc = gw_ledger__recover(lg, INT64_MAX, settled_out, NULL);
    if (rc != 0)
        return rc;
    slot_t *sl = gw_ledger__slot_acquire(lg);
    gw_store_stmt_t *p = gw_store__db_prepare(sl->db, "DELETE FROM idempotency WHERE expires_at <= ?");
    int64_t purged = -1;
    if (p != NULL) {
        gw_store__bind_int64(p, 1, gw_store__now_us(st));
        purged = gw_ledger__run(p);
        gw_store__db_finalize(p);
    }
    if (purged < 0)
        gw_ledger__log_err(sl, "recovery");
    gw_ledger__slot_release(sl);
    return purged < 0 ? GW_STORE_E_DB : 0;
}
