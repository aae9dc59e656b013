/*
 * SQLite backend of the store's SQL interface (see store_db.h). Thin: statements map 1:1 onto
 * sqlite3_stmt, prepared with SQLITE_PREPARE_PERSISTENT since the store keeps them for its
 * lifetime. The pragmas follow platform-facts.md section 6: WAL, synchronous=NORMAL set
 * explicitly (Debian's build defaults WAL to FULL), secure_delete on (freed pages are zeroed).
 * Connections open with the store's VFS shim (store_sqlite_vfs.c: one write per commit's WAL
 * frames instead of two per page).
 *
 * Checkpoints (issue 12). SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL
 * past 1000 frames, on the committing connection: with the store's writer, about one journal
 * transaction in 40 of a serial load copied the WAL's pages into the database file and synced both
 * files before its COMMIT returned, and every call waiting for that commit (a reservation before
 * forwarding, a record before the last byte) waited too: the serial p99 of 2.7-2.9 ms against a p50
 * of 0.36 ms (docs/BENCHMARKS.md "Issue 12, session 5"). gw_store__db_offload_checkpoints moves them
 * to a thread of their own, the pattern SQLite's documentation describes (wal.html "Application-
 * Initiated Checkpoints": wal_autocheckpoint off, checkpoints run by another thread or process) and
 * litestream uses (autocheckpoint off; a PASSIVE checkpoint at 1000 pages, a RESTART, which blocks
 * writers, only when the WAL is far larger):
 *   - the writer's sqlite3_wal_hook (after each commit: two atomics, no system call unless a
 *     checkpoint is due) wakes the checkpointer once 1000 frames wait to be copied;
 *   - the checkpointer, on its own connection and at the idle scheduling class, runs PASSIVE
 *     checkpoints (they take no lock the writer needs, so commits go on meanwhile), up to
 *     GW_SQLITE_CKPT_ROUNDS rounds to catch up with what was committed during the last one;
 *   - a WAL is reused from its start only by the writer's next transaction after everything was
 *     copied and no reader still reads it. Commits that keep coming during the copy (any steady
 *     load), or overlapping readers ("checkpoint starvation", wal.html), would let the file grow
 *     without end; so when the WAL holds GW_SQLITE_CKPT_RESTART_FRAMES frames the checkpointer runs
 *     a RESTART, at normal priority: it takes the write lock, copies the few frames committed since
 *     its last PASSIVE and waits for readers at most GW_SQLITE_CKPT_RESTART_WAIT_MS (the writer's
 *     commits wait meanwhile: the one stall left, once per that many frames instead of once per
 *     1000). A reader that keeps a snapshot past that (an export) makes the RESTART give up: logged,
 *     tried again after a backoff; the WAL grows while that reader lasts, as it did with SQLite's
 *     own checkpoints, and journal_size_limit gives the file back once it is reused;
 *   - a checkpoint that fails (an I/O error, a full disk) is logged and retried after a backoff
 *     (by the checkpointer itself, with or without new commits); it loses nothing: the commits
 *     are in the WAL, which SQLite keeps until a checkpoint succeeds;
 *   - erasure's TRUNCATE checkpoint waits for a running checkpoint (gw_store__db_wal_truncate), and
 *     closing stops the thread before the connection, whose close (the last one) checkpoints and
 *     removes the WAL as before.
 */
#include "gateway/store/store_db.h"

#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * Page size of the databases this backend creates (issue 12). SQLite appends every page a
 * transaction changed to its WAL as a whole frame and checksums it (wal.c walChecksumBytes: about
 * one instruction per byte), and a metered call changes about 20 pages in its two commits, most of
 * them for a few dozen bytes (an index entry, the balance row, the open-reservation row). With
 * 1 KiB pages instead of SQLite's default 4 KiB those commits write and checksum a quarter of the
 * bytes; a call row's bodies go to overflow pages, which costs a few more frames per large body
 * (docs/BENCHMARKS.md "Issue 12, session 4: SQLite store": serial callgrind and CPU under load, a
 * 1 KB and a 20 KB request). A database created with another page size keeps it.
 */
#define GW_SQLITE_PAGE_SIZE_STR "1024"

/* Transaction statements every journal transaction runs, prepared once per connection instead of
 * parsed by sqlite3_exec each time (sq_exec). */
static const char *const TX_SQL[] = {"BEGIN IMMEDIATE", "COMMIT", "ROLLBACK", "BEGIN"};
#define TX_N (sizeof(TX_SQL) / sizeof(TX_SQL[0]))

/* Checkpoints off the commit path (see the top of this file). Frames are WAL frames (one page each). */
#define GW_SQLITE_CKPT_FRAMES 1000          /* copy once this many frames wait: SQLite's own threshold */
#define GW_SQLITE_CKPT_ROUNDS 3             /* PASSIVE rounds per wake-up (each copies what the last one missed) */
#define GW_SQLITE_CKPT_RESTART_FRAMES 8000  /* a WAL this long is reused by a RESTART (the writer waits) */
#define GW_SQLITE_CKPT_RESTART_WAIT_MS 50   /* the RESTART's wait for the write lock and for readers */
#define GW_SQLITE_CKPT_BACKOFF_MIN_MS 1000  /* after a failed checkpoint or RESTART, doubling ... */
#define GW_SQLITE_CKPT_BACKOFF_MAX_MS 60000 /* ... up to this */

typedef struct st_sq_ckpt_t {
    sqlite3 *h; /* the checkpointer's own connection */
    pthread_t thread;
    pthread_mutex_t lock; /* requested, stop, stats */
    pthread_cond_t cond;
    pthread_mutex_t run;         /* held while a checkpoint runs: gw_store__db_wal_truncate waits for it */
    int requested, stop;         /* lock */
    atomic_int pending;          /* the hook asked and the checkpointer has not finished that round */
    atomic_int frames;           /* frames in the WAL after the writer's last commit */
    atomic_int boosted;          /* the hook moved the checkpointer to normal priority (it was far behind) */
    _Atomic uint64_t base;       /* the writer's WAL restarts (high 32 bits), its length at the last round (low 32) */
    int hook_last;               /* the committing thread (the store's wlock held): frames after its last commit */
    int64_t backoff_ms;          /* checkpointer thread: the wait after a failed round (0: none failed) */
    int64_t wait_deadline_us;    /* checkpointer thread: the RESTART's busy handler */
    gw_store_ckpt_stats_t stats; /* lock */
} sq_ckpt_t;

typedef struct st_sq_db_t {
    gw_store_db_t super;
    sqlite3 *h;
    sqlite3_stmt *tx[TX_N]; /* TX_SQL, prepared on first use */
    sq_ckpt_t *ckpt;        /* checkpoints of this connection's commits, when offloaded */
    int nowait;             /* gw_store__db_begin_nowait runs: the busy handler gives up at once */
} sq_db_t;

typedef struct st_sq_stmt_t {
    gw_store_stmt_t super;
    sqlite3_stmt *h;
    int64_t changes;
} sq_stmt_t;

static const gw_store_db_ops_t sq_ops;

/*
 * The busy handler of every connection: wait up to GW_SQLITE_BUSY_MS for a lock another connection
 * holds, in steps of GW_SQLITE_BUSY_STEP_US for the first GW_SQLITE_BUSY_FINE steps, then of 1 ms.
 * sqlite3_busy_timeout's handler sleeps 1, 2, 5, 10, 15 ms ... (main.c sqliteDefaultBusyCallback): a
 * writer that found the write lock held by the checkpointer's RESTART for 1.2 ms slept 3 ms, for
 * 3.5 ms slept 8 ms, with a call waiting for its commit (issue 12 session 6, docs/BENCHMARKS.md
 * "Issue 12, session 6: serial commit path (SQLite)"). The waits are computed from `n` (SQLite's
 * count of calls for this lock): no state.
 */
#define GW_SQLITE_BUSY_MS 5000
#define GW_SQLITE_BUSY_STEP_US 100
#define GW_SQLITE_BUSY_FINE 100 /* 10 ms of 100 us steps */

static int on_busy(void *arg, int n)
{
    if (((sq_db_t *)arg)->nowait)
        return 0;
    int64_t waited_us = n < GW_SQLITE_BUSY_FINE
                            ? (int64_t)n * GW_SQLITE_BUSY_STEP_US
                            : (int64_t)GW_SQLITE_BUSY_FINE * GW_SQLITE_BUSY_STEP_US + (int64_t)(n - GW_SQLITE_BUSY_FINE) * 1000;
    if (waited_us >= (int64_t)GW_SQLITE_BUSY_MS * 1000)
        return 0;
    struct timespec ts = {0, (n < GW_SQLITE_BUSY_FINE ? GW_SQLITE_BUSY_STEP_US : 1000) * 1000L};
    nanosleep(&ts, NULL);
    return 1;
}

gw_store_db_t *gw_store__db_open_sqlite(const char *path, char *err, size_t errlen)
{
    sq_db_t *db = calloc(1, sizeof(*db));
    if (db == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    db->super.ops = &sq_ops;
    db->super.kind = GW_STORE_DB_SQLITE;
    /* The file holds user ids, consent and the ledger in clear (bodies are encrypted): create it
     * 0600 before SQLite does (SQLite creates with 0644 & ~umask, and gives its -wal and -shm
     * files the database file's mode), and tighten a wider existing file. */
    if (strcmp(path, ":memory:") != 0 && strncmp(path, "file:", 5) != 0) {
        /* Never open() and close() a database file this process may already have open: closing
         * any descriptor of a file drops every POSIX lock the process holds on it, SQLite's too
         * (sqlite.org/howtocorrupt.html 2.2). Create it only when absent (O_EXCL), chmod by path. */
        struct stat sb;
        if (lstat(path, &sb) != 0) {
            int fd = errno == ENOENT ? open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600) : -1;
            if (fd < 0 && errno != EEXIST) {
                snprintf(err, errlen, "sqlite %s: %s", path, strerror(errno));
                goto fail;
            }
            if (fd >= 0)
                close(fd);
        } else if (S_ISREG(sb.st_mode) && (sb.st_mode & 077) != 0 && chmod(path, 0600) != 0) {
            snprintf(err, errlen, "sqlite %s: mode %03o is readable by others and cannot be changed to 0600: %s", path,
                     (unsigned)(sb.st_mode & 0777), strerror(errno));
            goto fail;
        }
        static const char *const sidecars[] = {"-wal", "-shm", "-journal"}; /* left by an older run with a wider mode */
        for (size_t i = 0; i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
            char side[4096];
            snprintf(side, sizeof(side), "%s%s", path, sidecars[i]);
            if (stat(side, &sb) == 0 && (sb.st_mode & 077) != 0)
                (void)chmod(side, 0600);
        }
    }
    int rc =
        sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, gw_store__sqlite_vfs());
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "sqlite %s: %s", path, db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_handler(db->h, on_busy, db);
    char *msg = NULL;
    /* page_size first: it applies to a database created now (an existing file keeps its own; only a
     * VACUUM outside WAL mode changes it) */
    if (sqlite3_exec(db->h,
                     "PRAGMA page_size=" GW_SQLITE_PAGE_SIZE_STR "; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     " PRAGMA secure_delete=ON;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "sqlite %s: %s", path, msg ? msg : "pragma failed");
        sqlite3_free(msg);
        goto fail;
    }
    return &db->super;
fail:
    sqlite3_close(db->h);
    free(db);
    return NULL;
}

static void ckpt_stop(sq_db_t *db);

static void sq_close(gw_store_db_t *dbp)
{
    sq_db_t *db = (sq_db_t *)dbp;
    ckpt_stop(db); /* before the connection: its hook signals the checkpointer */
    for (size_t i = 0; i < TX_N; i++)
        sqlite3_finalize(db->tx[i]); /* sqlite3_close refuses a connection with statements left */
    sqlite3_close(db->h);
    free(db);
}

static const char *sq_errmsg(gw_store_db_t *dbp)
{
    return sqlite3_errmsg(((sq_db_t *)dbp)->h);
}

/* Notes the class of SQLite error `rc` on the connection (store_db.h GW_STORE_ERR_*): the row's
 * values (a constraint or a trigger's RAISE, a value too big, a type mismatch) or anything else. */
static void sq_err_note(gw_store_db_t *dbp, int rc)
{
    int primary = rc & 0xff;
    gw_store__db_err_note(dbp, primary == SQLITE_CONSTRAINT || primary == SQLITE_TOOBIG || primary == SQLITE_MISMATCH
                                   ? GW_STORE_ERR_DATA
                                   : GW_STORE_ERR_ENV);
}

static int sq_exec(gw_store_db_t *dbp, const char *sql)
{
    sq_db_t *db = (sq_db_t *)dbp;
    for (size_t i = 0; i < TX_N; i++) {
        if (strcmp(sql, TX_SQL[i]) != 0)
            continue;
        if (db->tx[i] == NULL && sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &db->tx[i], NULL) != SQLITE_OK)
            break; /* let sqlite3_exec report it */
        int rc = sqlite3_step(db->tx[i]);
        sqlite3_reset(db->tx[i]);
        if (rc != SQLITE_DONE)
            sq_err_note(dbp, rc);
        return rc == SQLITE_DONE ? 0 : -1;
    }
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        sq_err_note(dbp, sqlite3_extended_errcode(db->h));
    return rc == SQLITE_OK ? 0 : -1;
}

int gw_store__db_data_version(gw_store_db_t *dbp, uint32_t *out)
{
    if (dbp == NULL || dbp->kind != GW_STORE_DB_SQLITE)
        return -1;
    unsigned int v = 0;
    if (sqlite3_file_control(((sq_db_t *)dbp)->h, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
        return -1;
    *out = v;
    return 0;
}

int gw_store__db_begin_nowait(gw_store_db_t *dbp)
{
    if (dbp->kind != GW_STORE_DB_SQLITE)
        return -1;
    sq_db_t *db = (sq_db_t *)dbp;
    db->nowait = 1;
    int rc = sq_exec(dbp, "BEGIN IMMEDIATE");
    db->nowait = 0;
    if (rc == 0)
        return 0;
    int busy = (sqlite3_errcode(db->h) & 0xff) == SQLITE_BUSY;
    if (!sqlite3_get_autocommit(db->h)) /* not expected after a failed BEGIN: leave no transaction open */
        sq_exec(dbp, "ROLLBACK");
    return busy ? 1 : -1;
}

static gw_store_stmt_t *sq_prepare(gw_store_db_t *dbp, const char *sql)
{
    sq_stmt_t *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->super.db = dbp;
    if (sqlite3_prepare_v3(((sq_db_t *)dbp)->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->h, NULL) != SQLITE_OK) {
        free(s);
        return NULL;
    }
    return &s->super;
}

static int sq_bind_int64(gw_store_stmt_t *sp, int i, int64_t v)
{
    return sqlite3_bind_int64(((sq_stmt_t *)sp)->h, i, v) == SQLITE_OK ? 0 : -1;
}

/* Text or blob (NULL: SQL NULL), copied by SQLite (SQLITE_TRANSIENT) or borrowed until the reset (SQLITE_STATIC). */
static int bind_text_as(gw_store_stmt_t *sp, int i, const char *v, sqlite3_destructor_type d)
{
    sqlite3_stmt *h = ((sq_stmt_t *)sp)->h;
    return (v ? sqlite3_bind_text(h, i, v, -1, d) : sqlite3_bind_null(h, i)) == SQLITE_OK ? 0 : -1;
}

static int bind_blob_as(gw_store_stmt_t *sp, int i, const void *p, size_t n, sqlite3_destructor_type d)
{
    sqlite3_stmt *h = ((sq_stmt_t *)sp)->h;
    return (p ? sqlite3_bind_blob64(h, i, p, n, d) : sqlite3_bind_null(h, i)) == SQLITE_OK ? 0 : -1;
}

static int sq_bind_text(gw_store_stmt_t *sp, int i, const char *v)
{
    return bind_text_as(sp, i, v, SQLITE_TRANSIENT);
}

static int sq_bind_blob(gw_store_stmt_t *sp, int i, const void *p, size_t n)
{
    return bind_blob_as(sp, i, p, n, SQLITE_TRANSIENT);
}

/* the _ref binds: SQLITE_STATIC (sq_reset clears the bindings, so no pointer outlives a run) */
static int sq_bind_text_ref(gw_store_stmt_t *sp, int i, const char *v)
{
    return bind_text_as(sp, i, v, SQLITE_STATIC);
}

static int sq_bind_blob_ref(gw_store_stmt_t *sp, int i, const void *p, size_t n)
{
    return bind_blob_as(sp, i, p, n, SQLITE_STATIC);
}

static int sq_step(gw_store_stmt_t *sp)
{
    sq_stmt_t *s = (sq_stmt_t *)sp;
    int rc = sqlite3_step(s->h);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE) {
        s->changes = sqlite3_changes(((sq_db_t *)sp->db)->h);
        return 0;
    }
    sq_err_note(sp->db, rc);
    return -1;
}

static int sq_col_isnull(gw_store_stmt_t *sp, int i)
{
    return sqlite3_column_type(((sq_stmt_t *)sp)->h, i) == SQLITE_NULL;
}

static int64_t sq_col_int64(gw_store_stmt_t *sp, int i)
{
    return sqlite3_column_int64(((sq_stmt_t *)sp)->h, i);
}

static const char *sq_col_text(gw_store_stmt_t *sp, int i)
{
    return (const char *)sqlite3_column_text(((sq_stmt_t *)sp)->h, i);
}

static const void *sq_col_blob(gw_store_stmt_t *sp, int i, size_t *n)
{
    sqlite3_stmt *h = ((sq_stmt_t *)sp)->h;
    const void *p = sqlite3_column_blob(h, i);
    *n = (size_t)sqlite3_column_bytes(h, i);
    return p;
}

static int64_t sq_changes(gw_store_stmt_t *sp)
{
    return ((sq_stmt_t *)sp)->changes;
}

static void sq_reset(gw_store_stmt_t *sp)
{
    sqlite3_stmt *h = ((sq_stmt_t *)sp)->h;
    sqlite3_reset(h);
    sqlite3_clear_bindings(h);
}

static void sq_finalize(gw_store_stmt_t *sp)
{
    sqlite3_finalize(((sq_stmt_t *)sp)->h);
    free(sp);
}

static int sq_broken(gw_store_db_t *dbp)
{
    return 0; /* an embedded database has no connection to lose */
}

static int sq_pipeline(gw_store_db_t *dbp, int on)
{
    return 0; /* in-process: no round trips to save */
}

/* ---- checkpoints off the commit path ---- */

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* sqlite3_wal_hook: after each commit of the writer, on its thread, with `frames` in the WAL. */
static int on_wal_commit(void *arg, sqlite3 *h, const char *name, int frames)
{
    (void)h;
    (void)name;
    sq_ckpt_t *c = arg;
    uint64_t base = atomic_load_explicit(&c->base, memory_order_acquire);
    if (frames < c->hook_last) { /* the writer started the WAL over: no round has seen this one yet */
        base = ((base >> 32) + 1) << 32;
        atomic_store_explicit(&c->base, base, memory_order_release);
    }
    c->hook_last = frames;
    atomic_store_explicit(&c->frames, frames, memory_order_relaxed);
    /* far behind: the idle class did not get the CPU (other processes keep it busy); normal priority
     * until the checkpointer has caught up (ckpt_round goes back to idle) */
    if (frames >= 2 * GW_SQLITE_CKPT_RESTART_FRAMES && !atomic_exchange_explicit(&c->boosted, 1, memory_order_acq_rel)) {
        struct sched_param sp = {0};
        (void)pthread_setschedparam(c->thread, SCHED_OTHER, &sp);
    }
    if (frames - (int)(uint32_t)base < GW_SQLITE_CKPT_FRAMES || atomic_exchange_explicit(&c->pending, 1, memory_order_acq_rel))
        return SQLITE_OK;
    pthread_mutex_lock(&c->lock);
    c->requested = 1;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&c->lock);
    return SQLITE_OK;
}

/* The RESTART's busy handler: short sleeps until its deadline (the writer's commits wait meanwhile). */
static int on_restart_busy(void *arg, int n)
{
    (void)n;
    sq_ckpt_t *c = arg;
    if (mono_us() >= c->wait_deadline_us)
        return 0;
    struct timespec ts = {0, 200 * 1000};
    nanosleep(&ts, NULL);
    return 1;
}

/* This thread's scheduling class: SCHED_IDLE while it copies (a PASSIVE checkpoint never delays the
 * loop or the writer sharing its core: on one core at normal priority its wake-up preempted them),
 * SCHED_OTHER while it holds the write lock (a RESTART must not wait behind other processes while the
 * writer waits for it) or is far behind. An unprivileged thread may go back from SCHED_IDLE to
 * SCHED_OTHER at its nice value (sched(7)). Best effort: an error keeps the class. */
static void ckpt_sched(int idle)
{
    struct sched_param sp = {0};
    (void)pthread_setschedparam(pthread_self(), idle ? SCHED_IDLE : SCHED_OTHER, &sp);
}

static void ckpt_failed(sq_ckpt_t *c, const char *what, int rc)
{
    c->backoff_ms = c->backoff_ms == 0 ? GW_SQLITE_CKPT_BACKOFF_MIN_MS : c->backoff_ms * 2;
    if (c->backoff_ms > GW_SQLITE_CKPT_BACKOFF_MAX_MS)
        c->backoff_ms = GW_SQLITE_CKPT_BACKOFF_MAX_MS;
    gw_log(rc == SQLITE_BUSY ? GW_LOG_WARN : GW_LOG_ERROR, "store: WAL %s: %s (nothing is lost; tried again in %d ms)", what,
           rc == SQLITE_BUSY ? "busy (a reader keeps an old snapshot, or another process checkpoints)" : sqlite3_errstr(rc),
           (int)c->backoff_ms);
    pthread_mutex_lock(&c->lock);
    c->stats.failures++;
    pthread_mutex_unlock(&c->lock);
}

/* One wake-up's work: PASSIVE rounds, then a RESTART when the WAL is long. @return 0, or -1 failed. */
static int ckpt_round(sq_ckpt_t *c)
{
    uint64_t base = atomic_load_explicit(&c->base, memory_order_acquire);
    int log = 0, done = 0, rc = SQLITE_OK;
    /* idle class, unless the WAL is long already (then the writer will wait for the RESTART anyway) */
    ckpt_sched(atomic_load_explicit(&c->frames, memory_order_relaxed) < GW_SQLITE_CKPT_RESTART_FRAMES);
    pthread_mutex_lock(&c->run);
    for (int i = 0; i < GW_SQLITE_CKPT_ROUNDS; i++) {
        rc = sqlite3_wal_checkpoint_v2(c->h, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
        if (rc != SQLITE_OK || done >= log)
            break;
    }
    int restarted = 0;
    if (rc == SQLITE_OK && log >= GW_SQLITE_CKPT_RESTART_FRAMES) {
        ckpt_sched(0);
        c->wait_deadline_us = mono_us() + GW_SQLITE_CKPT_RESTART_WAIT_MS * 1000;
        sqlite3_busy_handler(c->h, on_restart_busy, c);
        rc = sqlite3_wal_checkpoint_v2(c->h, NULL, SQLITE_CHECKPOINT_RESTART, &log, &done);
        sqlite3_busy_handler(c->h, NULL, NULL);
        restarted = rc == SQLITE_OK;
    }
    pthread_mutex_unlock(&c->run);
    ckpt_sched(1);
    atomic_store_explicit(&c->boosted, 0, memory_order_release);
    if (rc == SQLITE_OK || rc == SQLITE_BUSY) {
        /* the next round when GW_SQLITE_CKPT_FRAMES more frames are in this WAL (not: more than were
         * copied, which a reader's snapshot can hold back: a round per commit), unless the writer
         * started it over meanwhile (then after that many frames of the new one) */
        uint64_t now = (base & ~(uint64_t)UINT32_MAX) | (uint32_t)(log > 0 ? log : 0);
        atomic_compare_exchange_strong_explicit(&c->base, &base, now, memory_order_acq_rel, memory_order_acquire);
    }
    pthread_mutex_lock(&c->lock);
    c->stats.checkpoints++;
    c->stats.restarts += restarted;
    if (log > c->stats.wal_frames_max)
        c->stats.wal_frames_max = log;
    pthread_mutex_unlock(&c->lock);
    if (rc != SQLITE_OK) {
        ckpt_failed(c, log >= GW_SQLITE_CKPT_RESTART_FRAMES ? "restart" : "checkpoint", rc);
        return -1;
    }
    c->backoff_ms = 0;
    return 0;
}

static void *ckpt_main(void *arg)
{
    sq_ckpt_t *c = arg;
    ckpt_sched(1);
    pthread_mutex_lock(&c->lock);
    while (!c->stop) {
        if (!c->requested) {
            pthread_cond_wait(&c->cond, &c->lock);
            continue;
        }
        c->requested = 0;
        pthread_mutex_unlock(&c->lock);
        int failed = ckpt_round(c) != 0;
        pthread_mutex_lock(&c->lock);
        if (failed) {
            /* not before the backoff (the hook's requests meanwhile wait for it), then again by
             * itself: the writer may commit nothing more for a long time (an idle gateway), and the
             * frames a failed round left in the WAL must not wait for traffic to be copied */
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            int64_t ns = ts.tv_nsec + (c->backoff_ms % 1000) * 1000000;
            ts.tv_sec += (time_t)(c->backoff_ms / 1000 + ns / 1000000000);
            ts.tv_nsec = (long)(ns % 1000000000);
            while (!c->stop && pthread_cond_timedwait(&c->cond, &c->lock, &ts) == 0)
                ;
            c->requested = 1;
        }
        atomic_store_explicit(&c->pending, 0, memory_order_release);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

int gw_store__db_offload_checkpoints(gw_store_db_t *dbp)
{
    if (dbp->kind != GW_STORE_DB_SQLITE)
        return 0;
    sq_db_t *db = (sq_db_t *)dbp;
    const char *path = sqlite3_db_filename(db->h, "main");
    if (db->ckpt != NULL || path == NULL || path[0] == '\0')
        return 0; /* already, or an in-memory database: no WAL */
    sq_ckpt_t *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return -1;
    pthread_mutex_init(&c->lock, NULL);
    pthread_mutex_init(&c->run, NULL);
    pthread_cond_init(&c->cond, NULL);
    int rc = sqlite3_open_v2(path, &c->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, gw_store__sqlite_vfs());
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->h, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        gw_log(GW_LOG_WARN, "store: checkpoint connection: %s (checkpoints stay in the commits)",
               c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc));
        goto fail;
    }
    if (pthread_create(&c->thread, NULL, ckpt_main, c) != 0) {
        gw_log(GW_LOG_WARN, "store: checkpoint thread: %s (checkpoints stay in the commits)", strerror(errno));
        goto fail;
    }
    pthread_setname_np(c->thread, "aigw-ckpt");
    /* a WAL that grew far past the RESTART threshold (a long reader) is cut back to twice it when
     * reused; not to the threshold itself: a RESTART starts at that length plus the frames committed
     * while it is due, so every reuse after a RESTART cut the file (an ftruncate of 0.4-2 ms on the
     * writer's commit, issue 12 session 6) and the next pass grew it again */
    sqlite3_stmt *ps = NULL;
    int64_t page = 4096;
    if (sqlite3_prepare_v2(db->h, "PRAGMA page_size", -1, &ps, NULL) == SQLITE_OK && sqlite3_step(ps) == SQLITE_ROW)
        page = sqlite3_column_int64(ps, 0);
    sqlite3_finalize(ps);
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA journal_size_limit=%lld", (long long)(2 * GW_SQLITE_CKPT_RESTART_FRAMES * (page + 24) + 32));
    (void)sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    db->ckpt = c;
    sqlite3_wal_hook(db->h, on_wal_commit, c); /* replaces SQLite's automatic checkpoint */
    return 0;
fail:
    sqlite3_close(c->h);
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->run);
    pthread_mutex_destroy(&c->lock);
    free(c);
    return -1;
}

static void ckpt_stop(sq_db_t *db)
{
    sq_ckpt_t *c = db->ckpt;
    if (c == NULL)
        return;
    sqlite3_wal_hook(db->h, NULL, NULL);
    pthread_mutex_lock(&c->lock);
    c->stop = 1;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    sqlite3_close(c->h);
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->run);
    pthread_mutex_destroy(&c->lock);
    free(c);
    db->ckpt = NULL;
}

int gw_store__db_wal_truncate(gw_store_db_t *dbp)
{
    if (dbp->kind != GW_STORE_DB_SQLITE)
        return 0;
    sq_db_t *db = (sq_db_t *)dbp;
    if (db->ckpt != NULL)
        pthread_mutex_lock(&db->ckpt->run); /* SQLite answers BUSY at once while another checkpoint runs */
    int rc = sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    if (db->ckpt != NULL)
        pthread_mutex_unlock(&db->ckpt->run);
    return rc == SQLITE_OK ? 0 : -1;
}

int gw_store__db_ckpt_stats(gw_store_db_t *dbp, gw_store_ckpt_stats_t *out)
{
    sq_db_t *db = (sq_db_t *)dbp;
    if (dbp->kind != GW_STORE_DB_SQLITE || db->ckpt == NULL)
        return -1;
    pthread_mutex_lock(&db->ckpt->lock);
    *out = db->ckpt->stats;
    pthread_mutex_unlock(&db->ckpt->lock);
    return 0;
}

static const gw_store_db_ops_t sq_ops = {sq_close,     sq_errmsg,    sq_exec,          sq_prepare,      sq_bind_int64,
                                         sq_bind_text, sq_bind_blob, sq_step,          sq_col_isnull,   sq_col_int64,
                                         sq_col_text,  sq_col_blob,  sq_changes,       sq_reset,        sq_finalize,
                                         sq_broken,    sq_pipeline,  sq_bind_text_ref, sq_bind_blob_ref};
