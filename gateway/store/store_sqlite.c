/*
 * SQLite backend of the store's SQL interface (see store_db.h). Thin: statements map 1:1 onto
 * sqlite3_stmt, prepared with SQLITE_PREPARE_PERSISTENT since the store keeps them for its
 * lifetime. The pragmas follow platform-facts.md section 6: WAL, synchronous=NORMAL set
 * explicitly (Debian's build defaults WAL to FULL), secure_delete on (freed pages are zeroed).
 * Connections open with the store's VFS shim (store_sqlite_vfs.c: one write per commit's WAL
 * frames instead of two per page).
 */
#include "gateway/store/store_db.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

typedef struct st_sq_db_t {
    gw_store_db_t super;
    sqlite3 *h;
    sqlite3_stmt *tx[TX_N]; /* TX_SQL, prepared on first use */
} sq_db_t;

typedef struct st_sq_stmt_t {
    gw_store_stmt_t super;
    sqlite3_stmt *h;
    int64_t changes;
} sq_stmt_t;

static const gw_store_db_ops_t sq_ops;

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
    sqlite3_busy_timeout(db->h, 5000);
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

static void sq_close(gw_store_db_t *dbp)
{
    sq_db_t *db = (sq_db_t *)dbp;
    for (size_t i = 0; i < TX_N; i++)
        sqlite3_finalize(db->tx[i]); /* sqlite3_close refuses a connection with statements left */
    sqlite3_close(db->h);
    free(db);
}

static const char *sq_errmsg(gw_store_db_t *dbp)
{
    return sqlite3_errmsg(((sq_db_t *)dbp)->h);
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
        return rc == SQLITE_DONE ? 0 : -1;
    }
    return sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
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

static int sq_bind_text(gw_store_stmt_t *sp, int i, const char *v)
{
    sqlite3_stmt *h = ((sq_stmt_t *)sp)->h;
    int rc = v ? sqlite3_bind_text(h, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(h, i);
    return rc == SQLITE_OK ? 0 : -1;
}

static int sq_bind_blob(gw_store_stmt_t *sp, int i, const void *p, size_t n)
{
    sqlite3_stmt *h = ((sq_stmt_t *)sp)->h;
    int rc = p ? sqlite3_bind_blob64(h, i, p, n, SQLITE_TRANSIENT) : sqlite3_bind_null(h, i);
    return rc == SQLITE_OK ? 0 : -1;
}

/* the _ref binds: SQLITE_STATIC (sq_reset clears the bindings, so no pointer outlives a run) */
static int sq_bind_text_ref(gw_store_stmt_t *sp, int i, const char *v)
{
    sqlite3_stmt *h = ((sq_stmt_t *)sp)->h;
    int rc = v ? sqlite3_bind_text(h, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(h, i);
    return rc == SQLITE_OK ? 0 : -1;
}

static int sq_bind_blob_ref(gw_store_stmt_t *sp, int i, const void *p, size_t n)
{
    sqlite3_stmt *h = ((sq_stmt_t *)sp)->h;
    int rc = p ? sqlite3_bind_blob64(h, i, p, n, SQLITE_STATIC) : sqlite3_bind_null(h, i);
    return rc == SQLITE_OK ? 0 : -1;
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

static const gw_store_db_ops_t sq_ops = {sq_close,     sq_errmsg,    sq_exec,          sq_prepare,      sq_bind_int64,
                                         sq_bind_text, sq_bind_blob, sq_step,          sq_col_isnull,   sq_col_int64,
                                         sq_col_text,  sq_col_blob,  sq_changes,       sq_reset,        sq_finalize,
                                         sq_broken,    sq_pipeline,  sq_bind_text_ref, sq_bind_blob_ref};
