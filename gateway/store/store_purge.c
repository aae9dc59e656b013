/*
 * Retention purge (see store.h): deletes what is past its expires_at in batches of
 * GW_STORE_PURGE_BATCH rows per class, one batch per writer turn, so a large purge never holds the
 * write lock for long.
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

/* ---- purge ---- */

static const char *purge_sql(int pg, pol_retention_class_t c)
{
    /* The sub-select walks the expires_at index; SKIP LOCKED lets several PostgreSQL instances
     * purge side by side without waiting on each other's rows. */
    static const char *sq[POL_RET_NCLASSES] = {
        "DELETE FROM calls WHERE request_id IN (SELECT request_id FROM calls WHERE expires_at < ? LIMIT 100)",
        "DELETE FROM redactions WHERE id IN (SELECT id FROM redactions WHERE expires_at < ? LIMIT 100)",
        "DELETE FROM access_log WHERE id IN (SELECT id FROM access_log WHERE expires_at < ? LIMIT 100)",
        ("UPDATE calls SET request_ct = NULL, response_ct = NULL, nonce = NULL, body_expires_at = NULL, body_seg = NULL,"
         " body_off = NULL, request_len = NULL, response_len = NULL WHERE request_id IN"
         " (SELECT request_id FROM calls WHERE body_expires_at < ? LIMIT 100)"),
    };
    static const char *pq[POL_RET_NCLASSES] = {
        ("DELETE FROM calls WHERE request_id IN (SELECT request_id FROM calls WHERE expires_at < ? LIMIT 100"
         " FOR UPDATE SKIP LOCKED)"),
        "DELETE FROM redactions WHERE id IN (SELECT id FROM redactions WHERE expires_at < ? LIMIT 100 FOR UPDATE SKIP LOCKED)",
        /* by row address: access_log has no index on id (schema version 15); ctid = ANY(array) is a TID scan, and a row
         * locked here keeps its address until this transaction ends */
        ("DELETE FROM access_log WHERE ctid = ANY(ARRAY(SELECT ctid FROM access_log WHERE expires_at < ? LIMIT 100"
         " FOR UPDATE SKIP LOCKED))"),
        ("UPDATE calls SET request_ct = NULL, response_ct = NULL, nonce = NULL, body_expires_at = NULL WHERE request_id IN"
         " (SELECT request_id FROM calls WHERE body_expires_at < ? LIMIT 100 FOR UPDATE SKIP LOCKED)"),
    };
    return pg ? pq[c] : sq[c];
}

static const char *count_sql(pol_retention_class_t c)
{
    static const char *s[POL_RET_NCLASSES] = {
        "SELECT COUNT(*) FROM calls WHERE expires_at < ?",
        "SELECT COUNT(*) FROM redactions WHERE expires_at < ?",
        "SELECT COUNT(*) FROM access_log WHERE expires_at < ?",
        "SELECT COUNT(*) FROM calls WHERE body_expires_at < ?",
    };
    return s[c];
}

static int64_t count_one(gw_store_db_t *db, const char *sql, int64_t arg)
{
    gw_store_stmt_t *s = gw_store__db_prepare(db, sql);
    if (s == NULL)
        return -1;
    gw_store__bind_int64(s, 1, arg);
    int64_t n = gw_store__step(s) == 1 ? gw_store__col_int64(s, 0) : -1;
    gw_store__reset(s);
    gw_store__db_finalize(s);
    return n;
}

/* One purge statement of class `c` in its own transaction. wlock held. @return rows, or -1. */
int64_t gw_store__purge_step(gw_store_t *st, pol_retention_class_t c, int64_t now)
{
    int64_t t0 = gw_store__mono_now_us();
    gw_store__known_calls_forget(st); /* call rows may go (store_calls.c "known call rows") */
    if (gw_store__tx_begin(st, st->wdb) != 0)
        return -1;
    int64_t n = 0;
    if (!st->pg && c == POL_RET_CALL_LOG)
        /* the call_access entries of the call rows this batch deletes (schema version 13): past
         * their own expiry already (access_log_days <= call_log_days while entries are written,
         * store.c apply_meta), so no entry is left without its call row (same sub-select: the same
         * rows, in this transaction) */
        n = gw_store__run_sql(st->wdb,
                              "DELETE FROM call_access WHERE id IN (SELECT a.id FROM (SELECT started_at, request_id FROM calls"
                              " WHERE expires_at < ? LIMIT 100) c JOIN call_access a ON a.id BETWEEN c.started_at * 1024"
                              " AND c.started_at * 1024 + 1023 AND a.request_id = c.request_id)",
                              "i", now) < 0
                ? -1
                : 0;
    if (n == 0 && st->bodies.on && (c == POL_RET_CALL_LOG || c == POL_RET_IMAGE_PAYLOAD)) {
        /* SQLite (schema version 14): the bodies of these rows leave their segment files first (the same
         * sub-select as the statement below, in this transaction: the same rows). A commit that fails
         * after this has removed bodies that were due anyway; their rows go at the next purge. */
        gw_store_stmt_t *q = gw_store__db_prepare(
            st->wdb, c == POL_RET_CALL_LOG ? "SELECT body_seg, body_off, request_len, response_len FROM calls WHERE request_id IN"
                                             " (SELECT request_id FROM calls WHERE expires_at < ? LIMIT 100)"
                                           : "SELECT body_seg, body_off, request_len, response_len FROM calls WHERE request_id IN"
                                             " (SELECT request_id FROM calls WHERE body_expires_at < ? LIMIT 100)");
        if (q != NULL)
            gw_store__bind_int64(q, 1, now);
        if (q == NULL || gw_store__bodies_punch_rows(st, q) != 0)
            n = -1;
        gw_store__db_finalize(q);
    }
    if (n == 0)
        n = gw_store__run_sql(st->wdb, purge_sql(st->pg, c), "i", now);
    if (!st->pg && c == POL_RET_ACCESS_LOG && n >= 0 && n < GW_STORE_PURGE_BATCH) {
        /* then the access entries kept beside their call rows (schema version 13): an entry expires at
         * its time + the access log's TTL, a range of call_access's rowids (GW_STORE_CALL_ACCESS_ID) */
        int64_t k =
            gw_store__run_sql(st->wdb, "DELETE FROM call_access WHERE id IN (SELECT id FROM call_access WHERE id < ? LIMIT 100)",
                              "i", (now - st->ret.ttl_us[POL_RET_ACCESS_LOG]) * 1024);
        n = k < 0 ? -1 : n + k;
    }
    if (n < 0 || gw_store__tx_commit(st->wdb) != 0) {
        gw_store__log_db_error(st->wdb, "purge");
        gw_store__tx_rollback(st->wdb);
        return -1;
    }
    /* the segments whose calls are all gone, once this class has caught up */
    if (st->bodies.on && c == POL_RET_CALL_LOG && n < GW_STORE_PURGE_BATCH)
        (void)gw_store__bodies_unlink_expired(st, now);
    uint64_t dt = (uint64_t)(gw_store__mono_now_us() - t0);
    pthread_mutex_lock(&st->qlock);
    st->stats.purged[c] += (uint64_t)n;
    if (dt > st->stats.max_purge_batch_us)
        st->stats.max_purge_batch_us = dt;
    pthread_mutex_unlock(&st->qlock);
    return n;
}

int gw_store_purge(gw_store_t *st, int dry_run, gw_purge_counts_t *counts,
                   void (*progress)(void *ctx, pol_retention_class_t cls, int64_t done, int64_t total), void *ctx)
{
    int ret = 0;
    memset(counts, 0, sizeof(*counts));
    for (int c = 0; c < POL_RET_NCLASSES; c++) {
        pthread_mutex_lock(&st->wlock);
        int64_t now = gw_store__clock_us(st);
        int64_t total = count_one(st->wdb, count_sql(c), now);
        if (!st->pg && c == POL_RET_ACCESS_LOG && total >= 0) { /* and the call_access entries (schema version 13) */
            int64_t k = count_one(st->wdb, "SELECT COUNT(*) FROM call_access WHERE id < ?", (now - st->ret.ttl_us[c]) * 1024);
            total = k < 0 ? -1 : total + k;
        }
        pthread_mutex_unlock(&st->wlock);
        if (total < 0)
            return GW_STORE_E_DB;
        if (dry_run) {
            counts->rows[c] = total;
            if (progress)
                progress(ctx, c, total, total);
            continue;
        }
        for (;;) {
            /* The lock is released between batches so the writer's ingest interleaves. */
            pthread_mutex_lock(&st->wlock);
            int64_t n = gw_store__purge_step(st, c, now);
            pthread_mutex_unlock(&st->wlock);
            if (n < 0) {
                ret = GW_STORE_E_DB;
                break;
            }
            counts->rows[c] += n;
            if (progress)
                progress(ctx, c, counts->rows[c], total > counts->rows[c] ? total : counts->rows[c]);
            if (n < GW_STORE_PURGE_BATCH)
                break;
        }
    }
    pthread_mutex_lock(&st->qlock);
    st->stats.last_purge_at_us = gw_store__clock_us(st);
    pthread_mutex_unlock(&st->qlock);
    return ret;
}
