/*
 * The privacy store (see store.h): ingest queue, writer thread, encryption of bodies, purge,
 * erasure, export and the admin queries.
 *
 * Threads. Workers only touch the queue (qlock, a ring of record pointers with a fixed
 * capacity): submit is a push under a mutex, or GW_STORE_E_FULL. The writer thread pops up to
 * batch_max records and writes them in one transaction on the writer connection (group commit);
 * if the batch fails it retries each record in its own transaction so one bad record cannot
 * take its neighbours down, and a lost PostgreSQL connection is retried instead. Between
 * batches it runs one purge step (GW_STORE_PURGE_BATCH rows per class) when a purge is due, so
 * a purge of a million rows never holds the write lock for more than one small batch. Blocking
 * operations (erasure, consent, rotation, on-demand purge) take the same writer connection
 * under wlock; read-only ones (export, review lists, status) use a second connection under
 * rlock, which on SQLite's WAL reads a snapshot without blocking the writer.
 *
 * Keys. The master key stays in memory for the store's lifetime. Data keys are unwrapped on
 * demand into a small cache (GW_STORE_KEY_CACHE entries, each in sodium_malloc memory). Each
 * batch re-reads the user's wrapped key row (one indexed SELECT per distinct user per batch;
 * FOR SHARE on PostgreSQL) and reuses the cached key only if the wrapped bytes are unchanged,
 * so an erasure by another process or instance is never answered with a stale key, and an
 * erasure cannot interleave between reading the key and inserting the call.
 *
 * Files. This one opens and closes the store (config, connections, migrations, the master key,
 * the ledger, the writer thread): it is the top of the store's files, which call each other one
 * way only, from store.c down to store_base.c (clock, records, transactions) and the backends;
 * docs/internals/store.md "Files" has the order, ctest layers/store-cycles checks it.
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

/* ---- open / close ---- */

static const char *SQL_USER_GET_SQLITE = "SELECT data_key_wrapped FROM users WHERE id = ?";
/* FOR SHARE: an erasure on another instance waits until this batch commits, then deletes what
 * it wrote too (READ COMMITTED re-reads after the lock). */
static const char *SQL_USER_GET_PG = "SELECT data_key_wrapped FROM users WHERE id = ? FOR SHARE";
static const char *SQL_USER_MANY_PG = "SELECT id, data_key_wrapped FROM users WHERE id = ANY(?::text[]) FOR SHARE";
static const char *SQL_CALL_INS =
    "INSERT INTO calls(request_id, user_id, client, provider, model, route, status, started_at, duration_us, usage_json,"
    " cost_microcredits, notrain_decision, has_images, expires_at, body_expires_at, request_ct, response_ct, nonce,"
    " outcome, input_tokens, output_tokens, images, compute_ms)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING";
/* SQLite (schema version 14): the same row with where its bodies are in their segment file
 * (store_bodies.c); request_ct / response_ct stay NULL for them */
static const char *SQL_CALL_INS_SQLITE =
    "INSERT INTO calls(request_id, user_id, client, provider, model, route, status, started_at, duration_us, usage_json,"
    " cost_microcredits, notrain_decision, has_images, expires_at, body_expires_at, request_ct, response_ct, nonce,"
    " outcome, input_tokens, output_tokens, images, compute_ms, body_seg, body_off, request_len, response_len)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING";
/* The same row, many at once: one binary array per column (store_calls.c, gw_store__calls_end). A
 * request id twice in one batch keeps its first row, as ON CONFLICT does for two statements. The
 * arrays are unnested in the select list (ProjectSet: row by row, in lockstep), not FROM unnest(...):
 * a Function Scan copies every row, bodies included, into a tuplestore first (docs/internals/store.md
 * "PostgreSQL, round trips"); the redaction and access rows below likewise. */
static const char *SQL_CALL_MANY_PG =
    "INSERT INTO calls(request_id, user_id, client, provider, model, route, status, started_at, duration_us, usage_json,"
    " cost_microcredits, notrain_decision, has_images, expires_at, body_expires_at, request_ct, response_ct, nonce,"
    " outcome, input_tokens, output_tokens, images, compute_ms)"
    " SELECT unnest(?::text[]), unnest(?::text[]), unnest(?::text[]), unnest(?::text[]), unnest(?::text[]),"
    " unnest(?::text[]), unnest(?::bigint[]), unnest(?::bigint[]), unnest(?::bigint[]), unnest(?::text[]),"
    " unnest(?::bigint[]), unnest(?::text[]), unnest(?::bigint[]), unnest(?::bigint[]), unnest(?::bigint[]),"
    " unnest(?::bytea[]), unnest(?::bytea[]), unnest(?::bytea[]), unnest(?::text[]), unnest(?::bigint[]),"
    " unnest(?::bigint[]), unnest(?::bigint[]), unnest(?::bigint[]) ON CONFLICT (request_id) DO NOTHING";
static const char *SQL_RED_INS = "INSERT INTO redactions(request_id, user_id, route, field, entity_type, start_off, end_off,"
                                 " action, value_hmac, at, expires_at, direction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char *SQL_ACC_INS = "INSERT INTO access_log(at, method, route, status, bytes_in, bytes_out, client_ip, user_id,"
                                 " duration_us, upstream_us, expires_at, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/* SQLite: the access entry of a call whose row is in the database with the same start, user, route
 * and status, as a call_access row (schema version 13; store_calls.c write_access): 0 rows inserted
 * when there is no such call row or an entry with its rowid is there already (OR IGNORE: the key's
 * conflict, GW_STORE_CALL_ACCESS_ID; a NOT EXISTS on call_access here made SQLite materialise the SELECT in an ephemeral
 * table first, ~28k instructions per row), and the entry then goes to access_log. */
static const char *SQL_CALL_ACC_INS =
    "INSERT OR IGNORE INTO call_access(id, request_id, method, bytes_in, bytes_out, client_ip, duration_us, upstream_us)"
    " SELECT ?12, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM calls WHERE request_id = ?2 AND started_at = ?1 AND user_id = ?9"
    " AND route IS ?10 AND status = ?11";
/* The same entry when the writer knows its call row is there as the entry says (store_calls.c "known call
 * rows"): no lookup; OR IGNORE: an entry with its rowid is there already, and the entry then goes to access_log.
 * The parameters are SQL_CALL_ACC_INS's (the lookup's are not used here). */
static const char *SQL_CALL_ACC_PUT =
    "INSERT OR IGNORE INTO call_access(id, request_id, method, bytes_in, bytes_out, client_ip, duration_us, upstream_us)"
    " VALUES (?12, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
/* The same rows, many at once (PostgreSQL; store_calls.c, gw_store__calls_end). */
static const char *SQL_RED_MANY_PG = "INSERT INTO redactions(request_id, user_id, route, field, entity_type, start_off, end_off,"
                                     " action, value_hmac, at, expires_at, direction)"
                                     " SELECT unnest(?::text[]), unnest(?::text[]), unnest(?::text[]), unnest(?::text[]),"
                                     " unnest(?::text[]), unnest(?::bigint[]), unnest(?::bigint[]), unnest(?::text[]),"
                                     " unnest(?::bytea[]), unnest(?::bigint[]), unnest(?::bigint[]), unnest(?::text[])";
static const char *SQL_ACC_MANY_PG =
    "INSERT INTO access_log(at, method, route, status, bytes_in, bytes_out, client_ip, user_id,"
    " duration_us, upstream_us, expires_at, request_id)"
    " SELECT unnest(?::bigint[]), unnest(?::text[]), unnest(?::text[]), unnest(?::bigint[]), unnest(?::bigint[]),"
    " unnest(?::bigint[]), unnest(?::text[]), unnest(?::text[]), unnest(?::bigint[]), unnest(?::bigint[]),"
    " unnest(?::bigint[]), unnest(?::text[])";

/* Reads meta[key] into out (NUL-terminated). @return 1 found, 0 absent, -1 error. */
static int meta_get(gw_store_db_t *db, const char *key, char *out, size_t outlen)
{
    gw_store_stmt_t *s = gw_store__db_prepare(db, "SELECT value FROM meta WHERE key = ?");
    if (s == NULL)
        return -1;
    gw_store__bind_text(s, 1, key);
    int rc = gw_store__step(s);
    if (rc == 1)
        snprintf(out, outlen, "%s", gw_store__col_text(s, 0));
    gw_store__reset(s);
    gw_store__db_finalize(s);
    return rc;
}

/*
 * Checks the master key against the database and re-applies changed TTLs to existing rows
 * ("Changing a TTL in config applies to existing rows on the next start"), in one transaction.
 */
static int apply_meta(gw_store_t *st, char *err, size_t errlen)
{
    gw_store_db_t *db = st->wdb;
    char val[64];
    if (gw_store__tx_begin(st, db) != 0)
        goto dberr;
    int rc = meta_get(db, "master_key_id", val, sizeof(val));
    if (rc < 0)
        goto dberr;
    if (rc == 0) {
        if (gw_store__meta_set(db, "master_key_id", st->mk_id) != 0)
            goto dberr;
    } else if (strcmp(val, st->mk_id) != 0) {
        snprintf(err, errlen,
                 "master key: the database was written under master key %s but the key file has id %s (was the key rotated? "
                 "point master_key_file at the current key)",
                 val, st->mk_id);
        gw_store__tx_rollback(db);
        return -1;
    }
    static const char *reapply[POL_RET_NCLASSES] = {
        "UPDATE calls SET expires_at = started_at + ?",
        "UPDATE redactions SET expires_at = at + ?",
        "UPDATE access_log SET expires_at = at + ?",
        "UPDATE calls SET body_expires_at = started_at + ? WHERE has_images <> 0 AND nonce IS NOT NULL",
    };
    for (int c = 0; c < POL_RET_NCLASSES; c++) {
        char key[48], want[32];
        snprintf(key, sizeof(key), "ttl_us.%s", pol_retention_name(c));
        snprintf(want, sizeof(want), "%" PRId64, st->ret.ttl_us[c]);
        if ((rc = meta_get(db, key, val, sizeof(val))) < 0)
            goto dberr;
        if (rc == 1 && strcmp(val, want) == 0)
            continue;
        if (rc == 1 && gw_store__run_sql(db, reapply[c], "i", st->ret.ttl_us[c]) < 0)
            goto dberr;
        if (gw_store__meta_set(db, key, want) != 0)
            goto dberr;
    }
    /* SQLite: with TTLs under which a call_access entry could outlive its call row (or either log
     * not kept), the entries become access_log rows again, with the same values (schema version 13) */
    if (!st->pg && !gw_store__call_access_on(st) &&
        (gw_store__run_sql(db,
                           "INSERT INTO access_log(at, method, route, status, bytes_in, bytes_out, client_ip, user_id,"
                           " duration_us, upstream_us, expires_at, request_id) SELECT c.started_at, a.method, c.route, c.status,"
                           " a.bytes_in, a.bytes_out, a.client_ip, c.user_id, a.duration_us, a.upstream_us, c.started_at + ?,"
                           " a.request_id FROM call_access a JOIN calls c ON c.request_id = a.request_id"
                           " AND c.started_at = a.id / 1024 ORDER BY a.id",
                           "i", st->ret.ttl_us[POL_RET_ACCESS_LOG]) < 0 ||
         gw_store__run_sql(db, "DELETE FROM call_access", "") < 0))
        goto dberr;
    if (gw_store__tx_commit(db) != 0)
        goto dberr;
    return 0;
dberr:
    snprintf(err, errlen, "store: %s", gw_store__db_errmsg(db));
    gw_store__tx_rollback(db);
    return -1;
}

/* The writer connection's transaction hooks (store_db.h): the call bodies of the transaction are written
 * before its COMMIT, forgotten at a rollback (store_bodies.c). */
static int bodies_precommit(void *ctx)
{
    return gw_store__bodies_flush(ctx);
}

static void bodies_discard(void *ctx)
{
    gw_store__bodies_discard(ctx);
}

static gw_store_db_t *open_conn(const char *driver, const char *target, char *err, size_t errlen)
{
    if (strcmp(driver, "sqlite") == 0) {
        /* The default path is var/aigw.db: create the directory (0700, the bodies are
         * encrypted but the metadata is not) if it is missing, one level only. */
        const char *slash = strrchr(target, '/');
        if (slash != NULL && slash != target) {
            char dir[1024];
            snprintf(dir, sizeof(dir), "%.*s", (int)(slash - target), target);
            if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
                snprintf(err, errlen, "store.path: cannot create %s: %s", dir, strerror(errno));
                return NULL;
            }
        }
        return gw_store__db_open_sqlite(target, err, errlen);
    }
    return gw_store__db_open_pg(target, err, errlen);
}

static int cfg_int(const json_t *cfg, const char *key, int64_t def, int64_t min, int64_t max, int64_t *out, char *err,
                   size_t errlen)
{
    json_t *v = cfg ? json_object_get(cfg, key) : NULL;
    if (v == NULL) {
        *out = def;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        snprintf(err, errlen, "store.%s: expected an integer from %lld to %lld", key, (long long)min, (long long)max);
        return -1;
    }
    *out = (int64_t)json_integer_value(v);
    return 0;
}

/* The store's settings, parsed and checked without opening anything (gw_store_open and
 * gw_store_conf_check share it, so `aigw check` refuses what the store would). */
typedef struct {
    const char *driver, *target; /* borrowed from the config */
    int64_t qmax, bmax, purge_s;
    int bodies;
    pol_retention_t ret;
} store_conf_t;

static int parse_store_conf(const json_t *store_cfg, const json_t *retention_cfg, const json_t *log_bodies, store_conf_t *c,
                            char *err, size_t errlen)
{
    c->driver = "sqlite";
    c->target = "var/aigw.db";
    if (store_cfg != NULL && !json_is_object(store_cfg)) {
        snprintf(err, errlen, "store: expected an object");
        return -1;
    }
    if (store_cfg != NULL) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)store_cfg, k, v)
        {
            if (strcmp(k, "driver") && strcmp(k, "path") && strcmp(k, "dsn") && strcmp(k, "queue_max") && strcmp(k, "batch_max") &&
                strcmp(k, "purge_interval_s")) {
                snprintf(err, errlen, "store.%s: unknown key (expected driver, path, dsn, queue_max, batch_max, purge_interval_s)",
                         k);
                return -1;
            }
        }
        json_t *d = json_object_get(store_cfg, "driver");
        if (d != NULL &&
            (!json_is_string(d) || (strcmp(json_string_value(d), "sqlite") && strcmp(json_string_value(d), "postgres")))) {
            snprintf(err, errlen, "store.driver: expected \"sqlite\" or \"postgres\"");
            return -1;
        }
        if (d != NULL)
            c->driver = json_string_value(d);
        const char *tk = strcmp(c->driver, "sqlite") == 0 ? "path" : "dsn";
        json_t *t = json_object_get(store_cfg, tk);
        if (t != NULL && !json_is_string(t)) {
            snprintf(err, errlen, "store.%s: expected a string", tk);
            return -1;
        }
        if (t != NULL)
            c->target = json_string_value(t);
        else if (strcmp(c->driver, "postgres") == 0) {
            snprintf(err, errlen, "store.dsn: required with driver \"postgres\" (a libpq conninfo string or URI)");
            return -1;
        }
    }
    if (cfg_int(store_cfg, "queue_max", DEFAULT_QUEUE_MAX, 1, 1 << 24, &c->qmax, err, errlen) != 0 ||
        cfg_int(store_cfg, "batch_max", DEFAULT_BATCH_MAX, 1, GW_STORE_KEY_CACHE, &c->bmax, err, errlen) != 0 ||
        cfg_int(store_cfg, "purge_interval_s", DEFAULT_PURGE_INTERVAL_S, 0, 86400 * 7, &c->purge_s, err, errlen) != 0)
        return -1;
    c->bodies = 1;
    if (log_bodies != NULL && !json_is_null(log_bodies)) {
        const char *lb = json_is_string(log_bodies) ? json_string_value(log_bodies) : "";
        if (strcmp(lb, "none") == 0)
            c->bodies = 0;
        else if (strcmp(lb, "scrubbed") != 0) {
            snprintf(err, errlen, "log_bodies: expected \"none\" or \"scrubbed\"");
            return -1;
        }
    }
    return pol_retention_parse(retention_cfg, &c->ret, err, errlen);
}

int gw_store_conf_check(const json_t *store_cfg, const json_t *retention_cfg, const json_t *log_bodies, char *err, size_t errlen)
{
    store_conf_t c;
    return parse_store_conf(store_cfg, retention_cfg, log_bodies, &c, err, errlen);
}

gw_store_t *gw_store_open(const json_t *store_cfg, const json_t *retention_cfg, const json_t *log_bodies,
                          const char *master_key_file, char *err, size_t errlen)
{
    store_conf_t c;
    gw_store_t *st = NULL;

    if (pol_crypto_init() != 0) {
        snprintf(err, errlen, "libsodium failed to initialise");
        return NULL;
    }
    if (parse_store_conf(store_cfg, retention_cfg, log_bodies, &c, err, errlen) != 0)
        return NULL;
    const char *driver = c.driver, *target = c.target;
    int64_t qmax = c.qmax, bmax = c.bmax, purge_s = c.purge_s;
    int bodies = c.bodies;

    if ((st = calloc(1, sizeof(*st))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    st->bodies.fd = -1;
    pthread_mutex_init(&st->wlock, NULL);
    pthread_mutex_init(&st->rlock, NULL);
    pthread_mutex_init(&st->qlock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&st->qcond, &ca);
    pthread_cond_init(&st->qdone, &ca);
    pthread_cond_init(&st->jdone, &ca);
    pthread_condattr_destroy(&ca);
    st->log_bodies = bodies;
    st->qcap = (size_t)qmax;
    st->batch_max = (size_t)bmax;
    st->purge_interval_us = purge_s * 1000000;
    st->next_purge_mono_us = gw_store__mono_now_us() + st->purge_interval_us;
    st->ret = c.ret;
    if ((st->q = calloc(st->qcap, sizeof(*st->q))) == NULL || (st->keyring = pol_keyring_new(GW_STORE_KEY_CACHE)) == NULL) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (master_key_file == NULL) {
        snprintf(err, errlen, "master_key_file: required (create one with `aigw keygen FILE`)");
        goto fail;
    }
    if ((st->mk = gw_keyfile_load(master_key_file, err, errlen)) == NULL)
        goto fail;
    pol_key_id(st->mk, st->mk_id);
    {
        static const char label[] = "aigw user ref v1";
        char hex[2 * POL_CRYPTO_KEY_BYTES + 1];
        pol_key_hex(st->mk, hex);
        crypto_generichash(st->ref_key, sizeof(st->ref_key), (const unsigned char *)label, sizeof(label) - 1,
                           (const unsigned char *)hex, 2 * POL_CRYPTO_KEY_BYTES);
        sodium_memzero(hex, sizeof(hex));
    }

    if ((st->wdb = open_conn(driver, target, err, errlen)) == NULL)
        goto fail;
    st->pg = gw_store__db_kind(st->wdb) == GW_STORE_DB_PG;
    if (!st->pg) { /* call bodies in segment files beside the database (store_bodies.c) */
        if (gw_store__bodies_init(st, target, err, errlen) != 0)
            goto fail;
        st->bodies.fd = -1;
        if (st->bodies.on) {
            st->wdb->precommit = bodies_precommit;
            st->wdb->discard = bodies_discard;
            st->wdb->hook_ctx = st;
        }
    }
    if (gw_store__migrate(st->wdb, gw_store__clock_us(st) /* no test clock yet: the real one */, err, errlen) != 0 ||
        apply_meta(st, err, errlen) != 0)
        goto fail;
    if ((st->rdb = open_conn(driver, target, err, errlen)) == NULL)
        goto fail;
    (void)gw_store__db_offload_checkpoints(st->wdb); /* SQLite: checkpoints off the commits (logged if not) */
    if ((st->ledger = gw_store__ledger_open(st, st->pg, target, err, errlen)) == NULL)
        goto fail;
    if ((st->s_user_get = gw_store__db_prepare(st->wdb, st->pg ? SQL_USER_GET_PG : SQL_USER_GET_SQLITE)) == NULL ||
        (st->pg && (st->s_user_many = gw_store__db_prepare(st->wdb, SQL_USER_MANY_PG)) == NULL) ||
        (st->pg && (st->callrows.s = gw_store__db_prepare(st->wdb, SQL_CALL_MANY_PG)) == NULL) ||
        (st->pg && (st->redrows.s = gw_store__db_prepare(st->wdb, SQL_RED_MANY_PG)) == NULL) ||
        (st->pg && (st->accrows.s = gw_store__db_prepare(st->wdb, SQL_ACC_MANY_PG)) == NULL) ||
        (st->s_user_ins = gw_store__db_prepare(st->wdb, gw_store__sql_user_ins)) == NULL ||
        (st->s_call_ins = gw_store__db_prepare(st->wdb, st->pg ? SQL_CALL_INS : SQL_CALL_INS_SQLITE)) == NULL ||
        (st->s_red_ins = gw_store__db_prepare(st->wdb, SQL_RED_INS)) == NULL ||
        (st->s_acc_ins = gw_store__db_prepare(st->wdb, SQL_ACC_INS)) == NULL ||
        (!st->pg && (st->s_call_acc_ins = gw_store__db_prepare(st->wdb, SQL_CALL_ACC_INS)) == NULL) ||
        (!st->pg && (st->s_call_acc_put = gw_store__db_prepare(st->wdb, SQL_CALL_ACC_PUT)) == NULL)) {
        snprintf(err, errlen, "store: prepare: %s", gw_store__db_errmsg(st->wdb));
        goto fail;
    }
    if (pthread_create(&st->writer, NULL, gw_store__writer_main, st) != 0) {
        snprintf(err, errlen, "store: cannot start the writer thread");
        goto fail;
    }
    st->writer_started = 1;
    return st;
fail:
    gw_store_close(st);
    return NULL;
}

void gw_store_close(gw_store_t *st)
{
    if (st == NULL)
        return;
    gw_store__ledger_stop(st->ledger); /* it queues lease returns: stopped while the journal still takes them */
    pthread_mutex_lock(&st->qlock);
    st->stopping = 1;
    pthread_cond_broadcast(&st->qcond);
    pthread_mutex_unlock(&st->qlock);
    if (st->writer_started)
        pthread_join(st->writer, NULL);
    for (size_t i = 0; i < st->qlen; i++) /* only when the writer never started */
        gw_store__qitem_free(&st->q[(st->qhead + i) % st->qcap]);
    free(st->q);
    gw_store__db_finalize(st->s_user_get);
    gw_store__db_finalize(st->s_user_many);
    gw_store__db_finalize(st->s_user_ins);
    gw_store__db_finalize(st->s_call_ins);
    gw_store__rows_free(&st->callrows);
    gw_store__rows_free(&st->redrows);
    gw_store__rows_free(&st->accrows);
    gw_store__db_finalize(st->s_red_ins);
    gw_store__db_finalize(st->s_acc_ins);
    gw_store__db_finalize(st->s_call_acc_ins);
    gw_store__db_finalize(st->s_call_acc_put);
    gw_store__ledger_close(st->ledger);
    gw_store__db_close(st->rdb);
    gw_store__db_close(st->wdb);
    gw_store__bodies_close(st);
    if (st->keyring != NULL)
        gw_store__cache_clear(st);
    pol_keyring_free(st->keyring);
    pol_key_free(st->mk);
    pthread_mutex_destroy(&st->wlock);
    pthread_mutex_destroy(&st->rlock);
    pthread_mutex_destroy(&st->qlock);
    pthread_cond_destroy(&st->qcond);
    pthread_cond_destroy(&st->qdone);
    pthread_cond_destroy(&st->jdone);
    free(st);
}
