/*
 * gw_store__db: the small SQL interface the store is written against, with two backends:
 * store_sqlite.c (embedded, one file under var/) and store_pg.c (libpq, for several aigw
 * instances sharing one database). Statements use `?` placeholders in both (the PostgreSQL
 * backend rewrites them to $n); rows are stepped one at a time in both (single-row mode in
 * libpq) so an export never holds a whole result in memory. Only the dialect differences that
 * matter (DDL types, row locks) are left to the caller, which asks gw_store__db_kind().
 *
 * Rules for callers: a connection is used by one thread at a time (the store serialises with
 * its own mutexes); a statement must be stepped to the end or reset before another statement
 * runs on the same connection (libpq has one query in flight per connection).
 */
#ifndef AIGW_GATEWAY_STORE_DB_H
#define AIGW_GATEWAY_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct st_gw_store_db_t gw_store_db_t;
typedef struct st_gw_store_stmt_t gw_store_stmt_t;

typedef enum en_gw_store_db_kind_t { GW_STORE_DB_SQLITE = 1, GW_STORE_DB_PG = 2 } gw_store_db_kind_t;

/* The backend's operations; the calls below dispatch through them. */
typedef struct st_gw_store_db_ops_t {
    void (*close)(gw_store_db_t *db);
    const char *(*errmsg)(gw_store_db_t *db);
    int (*exec)(gw_store_db_t *db, const char *sql);
    gw_store_stmt_t *(*prepare)(gw_store_db_t *db, const char *sql);
    int (*bind_int64)(gw_store_stmt_t *s, int i, int64_t v);
    int (*bind_text)(gw_store_stmt_t *s, int i, const char *v);
    int (*bind_blob)(gw_store_stmt_t *s, int i, const void *p, size_t n);
    int (*step)(gw_store_stmt_t *s);
    int (*col_isnull)(gw_store_stmt_t *s, int i);
    int64_t (*col_int64)(gw_store_stmt_t *s, int i);
    const char *(*col_text)(gw_store_stmt_t *s, int i);
    const void *(*col_blob)(gw_store_stmt_t *s, int i, size_t *n);
    int64_t (*changes)(gw_store_stmt_t *s);
    void (*reset)(gw_store_stmt_t *s);
    void (*finalize)(gw_store_stmt_t *s);
    int (*broken)(gw_store_db_t *db);
    int (*pipeline)(gw_store_db_t *db, int on);
    /* optional (NULL: bind_text / bind_blob): bind without copying (gw_store__bind_text_ref) */
    int (*bind_text_ref)(gw_store_stmt_t *s, int i, const char *v);
    int (*bind_blob_ref)(gw_store_stmt_t *s, int i, const void *p, size_t n);
} gw_store_db_ops_t;

/*
 * What the errors a connection met since its last reset (gw_store__tx_begin resets it) were, the
 * worst kept: the journal asks it of a finished call refused alone (store_journal.c journal_failed)
 * to tell a record the database refuses for itself from a database that cannot write.
 *   GW_STORE_ERR_DATA: the statement's values: a constraint, a trigger's refusal, a value the
 *     column or row cannot hold (SQLite SQLITE_CONSTRAINT, SQLITE_TOOBIG, SQLITE_MISMATCH;
 *     PostgreSQL SQLSTATE classes 22 data exception, 23 integrity constraint violation, 54 program
 *     limit exceeded, P0 raised by PL/pgSQL);
 *   GW_STORE_ERR_ENV: anything else (a full disk, I/O, locks, the connection, the schema, memory).
 */
enum { GW_STORE_ERR_NONE = 0, GW_STORE_ERR_DATA = 1, GW_STORE_ERR_ENV = 2 };

/* Backends embed these first in their connection and statement structs. */
struct st_gw_store_db_t {
    const gw_store_db_ops_t *ops;
    gw_store_db_kind_t kind;
    int errclass; /* GW_STORE_ERR_*: the worst error since the last reset (backends: gw_store__db_err_note) */
    /* SQLite: the data version (gw_store__db_data_version) read right after this connection's last
     * COMMIT through gw_store__tx_commit, and whether it stands (0 after a ROLLBACK through
     * gw_store__tx_rollback, a failed COMMIT, or when it could not be read) */
    uint32_t dv_commit;
    int dv_valid;
    /* counts the commits through gw_store__tx_commit whose transaction did not start where the previous one
     * left the database: the data version inside it, before its COMMIT, was not dv_commit (another connection
     * committed in between), or dv_commit did not stand. A reader of dv_commit that skips transactions
     * (store_keys.c key_epoch: only those with call records read key rows) compares this too: every commit
     * moves the data version, so a commit of this connection after another's hides that one from dv_commit */
    uint64_t dv_breaks;
    /* the writer connection's hooks (store.c): run by gw_store__tx_commit before its COMMIT (nonzero: no
     * COMMIT, the transaction fails) and by gw_store__tx_begin / _rollback (SQLite: the call bodies of
     * the transaction, store_bodies.c); NULL on other connections */
    int (*precommit)(void *ctx);
    void (*discard)(void *ctx);
    void *hook_ctx;
};
struct st_gw_store_stmt_t {
    gw_store_db_t *db;
};

/**
 * Opens a SQLite database file (created if absent) with WAL, synchronous=NORMAL (set explicitly:
 * Debian builds default WAL to FULL), secure_delete on, a busy handler that waits up to 5 s for
 * another connection's lock in steps of 100 us (then 1 ms after the first 10 ms) and
 * SQLITE_OPEN_NOMUTEX (the store serialises access itself). @return the connection, or NULL
 * with a message in `err`.
 */
gw_store_db_t *gw_store__db_open_sqlite(const char *path, char *err, size_t errlen);

/**
 * The name of the VFS the SQLite connections open with (store_sqlite_vfs.c: the default VFS with
 * each transaction's WAL frames gathered into one write), registered on first call; NULL (the
 * default VFS) if it could not be registered. Thread-safe.
 */
const char *gw_store__sqlite_vfs(void);

/**
 * Configures SQLite's memory before SQLite initialises (store_sqlite_mem.c): no memory statistics,
 * and an allocator that keeps freed blocks of up to 4 KiB on per-thread lists (at most 64.5 KiB a
 * thread, freed when the thread ends); with AddressSanitizer only the statistics. Called once by
 * gw_store__sqlite_vfs() before its first use of SQLite; not thread-safe by itself (SQLite's
 * sqlite3_config is not). Does nothing once SQLite is initialised (sqlite3_config refuses then).
 * Rules: sqlite.org/c3ref/config.html (SQLITE_CONFIG_MALLOC, SQLITE_CONFIG_MEMSTATUS),
 * sqlite.org/c3ref/mem_methods.html.
 */
void gw_store__sqlite_mem_config(void);

/** What the checkpointer of a connection did (gw_store__db_offload_checkpoints). */
typedef struct st_gw_store_ckpt_stats_t {
    uint64_t checkpoints;   /* wake-ups that ran (PASSIVE rounds, and the RESTART when due) */
    uint64_t restarts;      /* RESTART checkpoints that succeeded */
    uint64_t failures;      /* rounds that failed (logged; retried after a backoff) */
    int64_t wal_frames_max; /* the largest WAL a checkpoint saw, in frames */
} gw_store_ckpt_stats_t;

/**
 * SQLite: moves the WAL checkpoints of this connection's commits to a thread with its own
 * connection (store_sqlite.c "Checkpoints"): the connection's commits no longer run SQLite's
 * automatic checkpoint. Call once, on the writer connection, before it commits from more than one
 * thread; gw_store__db_close stops the thread. PostgreSQL or an in-memory database: nothing to do.
 * @return 0, or -1 when the thread or its connection could not be started (logged; the connection
 * keeps SQLite's automatic checkpoints).
 */
int gw_store__db_offload_checkpoints(gw_store_db_t *db);

/**
 * SQLite: a TRUNCATE checkpoint on `db` (the WAL copied into the database file, then emptied),
 * after a checkpoint of the offloading thread that is running has ended. Waits for readers up to
 * the connection's busy timeout. PostgreSQL: nothing. @return 0, or -1 (not done: busy or error).
 */
int gw_store__db_wal_truncate(gw_store_db_t *db);

/**
 * SQLite: BEGIN IMMEDIATE without waiting for a lock another connection holds (the busy handler
 * gives up at once for this statement only). For a caller that must not block: the journal's
 * inline commit (store_journal.c). @return 0 begun; 1 busy (no transaction open: another
 * connection writes, e.g. the checkpointer's RESTART or a CLI); -1 any other error, and always on
 * PostgreSQL (not supported: nothing begun).
 */
int gw_store__db_begin_nowait(gw_store_db_t *db);

/**
 * SQLite: the connection's data version (SQLITE_FCNTL_DATA_VERSION, sqlite.org/c3ref/c_fcntl_begin_atomic_write.html
 * "SQLITE_FCNTL_DATA_VERSION"): a counter of the pager that changes whenever the database file changes, by this
 * connection's commits or by any other connection's, in this process or another (seen when this connection's next
 * transaction starts). Read inside a transaction and compared with the value read right after this connection's last
 * commit (db->dv_commit), equal means nothing changed the database in between. @return 0 (*out set), or -1 (PostgreSQL:
 * not supported; or an error).
 */
int gw_store__db_data_version(gw_store_db_t *db, uint32_t *out);

/** Copies the checkpointer's counters into `out`. @return 0, or -1 when `db` has no checkpointer. */
int gw_store__db_ckpt_stats(gw_store_db_t *db, gw_store_ckpt_stats_t *out);

/** Opens a PostgreSQL connection from a libpq conninfo string or URI. @return as above. */
gw_store_db_t *gw_store__db_open_pg(const char *dsn, char *err, size_t errlen);

/** Closes the connection (NULL is fine); every statement prepared on it must be finalized first. */
static inline void gw_store__db_close(gw_store_db_t *db)
{
    if (db != NULL)
        db->ops->close(db);
}

static inline gw_store_db_kind_t gw_store__db_kind(const gw_store_db_t *db)
{
    return db->kind;
}

/** The last error message of the connection (borrowed, valid until the next call on it). */
static inline const char *gw_store__db_errmsg(gw_store_db_t *db)
{
    return db->ops->errmsg(db);
}

/** Backends: an error of class `cls` (GW_STORE_ERR_DATA or _ENV) happened on `db`. */
static inline void gw_store__db_err_note(gw_store_db_t *db, int cls)
{
    if (cls > db->errclass)
        db->errclass = cls;
}

/** The worst error class (GW_STORE_ERR_*) on `db` since gw_store__db_err_reset. */
static inline int gw_store__db_errclass(const gw_store_db_t *db)
{
    return db->errclass;
}

/** Forgets the errors met so far (GW_STORE_ERR_NONE). */
static inline void gw_store__db_err_reset(gw_store_db_t *db)
{
    db->errclass = GW_STORE_ERR_NONE;
}

/** Runs one or more statements without parameters. @return 0, or -1 (see errmsg). */
static inline int gw_store__db_exec(gw_store_db_t *db, const char *sql)
{
    return db->ops->exec(db, sql);
}

/**
 * Prepares `sql` (borrowed) once; run it many times with bind/step/reset.
 * @return the statement (owned by the caller, gw_store__db_finalize), or NULL (see errmsg).
 */
static inline gw_store_stmt_t *gw_store__db_prepare(gw_store_db_t *db, const char *sql)
{
    return db->ops->prepare(db, sql);
}

/* Binding, 1-based like SQLite. Text and blobs are copied. @return 0, or -1. */
static inline int gw_store__bind_int64(gw_store_stmt_t *s, int i, int64_t v)
{
    return s->db->ops->bind_int64(s, i, v);
}
/* NULL binds SQL NULL */
static inline int gw_store__bind_text(gw_store_stmt_t *s, int i, const char *v)
{
    return s->db->ops->bind_text(s, i, v);
}
/* p NULL binds SQL NULL */
static inline int gw_store__bind_blob(gw_store_stmt_t *s, int i, const void *p, size_t n)
{
    return s->db->ops->bind_blob(s, i, p, n);
}

/*
 * gw_store__bind_text / gw_store__bind_blob without a copy where the backend can (SQLite:
 * SQLITE_STATIC; PostgreSQL copies anyway). The caller keeps `v` / `p` valid and unchanged until
 * the statement is reset (gw_store__reset, or gw_store__run / gw_store__run_nowait returned): for
 * values of the writer's per-call rows that live through the statement's run. A SQLite copy of
 * every text parameter (malloc, copy, free) was about 4 % of a metered call's instructions
 * (docs/BENCHMARKS.md "Issue 12, session 4: SQLite store").
 */
static inline int gw_store__bind_text_ref(gw_store_stmt_t *s, int i, const char *v)
{
    return s->db->ops->bind_text_ref ? s->db->ops->bind_text_ref(s, i, v) : s->db->ops->bind_text(s, i, v);
}
static inline int gw_store__bind_blob_ref(gw_store_stmt_t *s, int i, const void *p, size_t n)
{
    return s->db->ops->bind_blob_ref ? s->db->ops->bind_blob_ref(s, i, p, n) : s->db->ops->bind_blob(s, i, p, n);
}

/** Runs the statement or fetches its next row. @return 1 = a row is available, 0 = done, -1 = error. */
static inline int gw_store__step(gw_store_stmt_t *s)
{
    return s->db->ops->step(s);
}

/* Columns of the current row, 0-based; pointers are valid until the next step or reset. */
static inline int gw_store__col_isnull(gw_store_stmt_t *s, int i)
{
    return s->db->ops->col_isnull(s, i);
}
static inline int64_t gw_store__col_int64(gw_store_stmt_t *s, int i)
{
    return s->db->ops->col_int64(s, i);
}
/* NULL for SQL NULL */
static inline const char *gw_store__col_text(gw_store_stmt_t *s, int i)
{
    return s->db->ops->col_text(s, i);
}
static inline const void *gw_store__col_blob(gw_store_stmt_t *s, int i, size_t *n)
{
    return s->db->ops->col_blob(s, i, n);
}

/** Rows changed by the last INSERT/UPDATE/DELETE stepped to completion on `s`. */
static inline int64_t gw_store__changes(gw_store_stmt_t *s)
{
    return s->db->ops->changes(s);
}

/** Abandons pending rows and clears bindings, so the statement can be bound again. */
static inline void gw_store__reset(gw_store_stmt_t *s)
{
    s->db->ops->reset(s);
}

/** Releases the statement (NULL is fine). */
static inline void gw_store__db_finalize(gw_store_stmt_t *s)
{
    if (s != NULL)
        s->db->ops->finalize(s);
}

/**
 * Pipelining (PostgreSQL; a no-op on SQLite). Between on (1) and off (0), INSERT/UPDATE/DELETE
 * statements are sent without waiting for their results (gw_store__step returns 0 at once and
 * gw_store__changes is unknown); a statement that returns rows first collects the pending
 * results. Turning it off collects the rest. Use inside a transaction opened before `on` and
 * committed after `off`. `on` = GW_STORE_PIPELINE_HOLD instead of off leaves the pipeline open
 * for the "COMMIT" (gw_store__db_exec), which then
 * goes out with it and reads every result in one round trip (store_pg.c pg_exec): errors not
 * read yet show at the next statement that returns rows, or as the COMMIT's failure (the
 * transaction is not committed; roll back). @return 0, or -1 when any pipelined statement failed
 * (as far as known: always for off) (then roll back).
 */
#define GW_STORE_PIPELINE_HOLD 2
static inline int gw_store__db_pipeline(gw_store_db_t *db, int on)
{
    return db->ops->pipeline(db, on);
}

/** @return 1 when the connection is broken (PostgreSQL: after one reconnect attempt failed), else 0. */
static inline int gw_store__db_broken(gw_store_db_t *db)
{
    return db->ops->broken(db);
}

#endif
