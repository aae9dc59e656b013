/*
 * A SQLite VFS shim that gathers a transaction's WAL writes into one pwrite (issue 12).
 *
 * Why. In WAL mode SQLite appends every page a transaction changed to the -wal file as a frame,
 * and writes each frame with two write() calls (its 24-byte header, then the page: wal.c
 * walWriteOneFrame). A call of the gateway changes about 20 pages in its two commits, so a call
 * paid about 60 pwrite64 system calls (strace -c, bench/bench_meter_callgrind.sh's serial load),
 * the largest system-call cost of a metered call. SQLite has no option that coalesces them; its
 * documented extension point for I/O is a VFS, and a "shim" VFS that wraps the default one is the
 * pattern SQLite's own test_vfstrace.c and the multiplexor use. Only the -wal file is changed;
 * the database, -shm and journals go straight to the default VFS.
 *
 * What it does. Writes to a -wal file that continue the buffered run (offset = end of the buffer)
 * are appended to a per-file buffer; anything else flushes first. The buffer is written out
 * (one pwrite per contiguous run of at most GW_WALBUF_MAX bytes):
 *   - right after the last frame of a commit (a frame header whose "database size after commit"
 *     field is non-zero announces it; SQLite writes that frame's page next): the commit's xWrite
 *     returns the flush's result, so a full disk or an I/O error fails the commit exactly as an
 *     unbuffered write would, before SQLite publishes the commit in the wal-index;
 *   - before any other operation on the -wal file (read, sync, truncate, size, lock, close,
 *     file control), so SQLite never sees its own writes missing;
 *   - when the database file's shared-memory barrier or locks are used (xShmBarrier, xShmLock):
 *     a safety net, as the wal-index header that makes frames visible to readers is written
 *     behind a barrier (normally the buffer is already empty there).
 * Durability is unchanged: a commit's frames are in the operating system (pwrite done) before
 * COMMIT returns, as without the shim (synchronous=NORMAL: no fsync at commit either way); a
 * crash before that loses an uncommitted transaction, as a crash between SQLite's own writes does.
 */
#include "gateway/store/store_db.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GW_WALBUF_NAME "aigw-walbuf"
/* bytes per write: SQLite's unix VFS writes at most 0x1ffff bytes per call (os_unix.c seekAndWrite
 * masks the count), so a run is written in pieces of 64 KiB (15 frames of 4 KiB pages) */
#define GW_WALBUF_MAX (64 * 1024)
#define WAL_FRAME_HDR 24    /* wal.c WAL_FRAME_HDRSIZE */
#define MAX_METHOD_TABLES 4 /* distinct io_methods of the default VFS seen (unix: one per locking style) */

/*
 * Layout of a file of this VFS: the default VFS's file first (so the methods this shim does not
 * change are the default VFS's own functions, called with the same pointer), then this shim's
 * state at the next 8-byte boundary.
 */
typedef struct st_walbuf_t walbuf_t;
struct st_walbuf_t {
    const sqlite3_io_methods *real; /* the default VFS's methods of this file */
    sqlite3_file *file;             /* the file this state belongs to */
    int is_wal;                     /* a -wal file: writes are buffered */
    walbuf_t *db;                   /* -wal file: its database file's state (NULL when unknown) */
    walbuf_t *wal;                  /* database file: its open -wal file's state */
    unsigned char *buf;             /* -wal file: pending bytes for [off, off + len), GW_WALBUF_MAX bytes */
    size_t len;
    sqlite3_int64 off;
    int commit_next; /* the next write is the page of a commit frame: flush after it */
    char *bodies;    /* -wal file: its database's call-body segments, "<database>.bodies" (NULL: none known) */
    time_t synced;   /* -wal file: when its segments were last synced (0: never) */
};

static sqlite3_vfs *g_real;
static sqlite3_vfs g_vfs;
static size_t g_real_size; /* the default VFS's szOsFile rounded up to 8 */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    const sqlite3_io_methods *real;
    sqlite3_io_methods ours;
} g_tables[MAX_METHOD_TABLES];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_ok;

static walbuf_t *state_of(sqlite3_file *p)
{
    return (walbuf_t *)((char *)p + g_real_size);
}

static int wb_flush(walbuf_t *f)
{
    int rc = f->len > 0 ? f->real->xWrite(f->file, f->buf, (int)f->len, f->off) : SQLITE_OK;
    f->len = 0;
    f->commit_next = 0;
    return rc;
}

static int wb_close(sqlite3_file *p)
{
    walbuf_t *f = state_of(p);
    int rc = wb_flush(f);
    if (f->is_wal && f->db != NULL && f->db->wal == f)
        f->db->wal = NULL;
    if (!f->is_wal && f->wal != NULL)
        f->wal->db = NULL;
    int rc2 = f->real->xClose(p);
    free(f->buf);
    f->buf = NULL;
    free(f->bodies);
    f->bodies = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int wb_read(sqlite3_file *p, void *out, int n, sqlite3_int64 off)
{
    walbuf_t *f = state_of(p);
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->xRead(p, out, n, off);
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

static int wb_write(sqlite3_file *p, const void *data, int n, sqlite3_int64 off)
{
    walbuf_t *f = state_of(p);
    if (!f->is_wal)
        return f->real->xWrite(p, data, n, off);
    int rc = SQLITE_OK;
    int commit = f->commit_next;
    f->commit_next = 0;
    if (f->len > 0 && (off != f->off + (sqlite3_int64)f->len || f->len + (size_t)n > GW_WALBUF_MAX)) {
        if ((rc = wb_flush(f)) != SQLITE_OK)
            return rc;
    }
    if ((size_t)n > GW_WALBUF_MAX) {
        rc = f->real->xWrite(p, data, n, off);
    } else {
        if (f->buf == NULL && (f->buf = malloc(GW_WALBUF_MAX)) == NULL)
            return f->real->xWrite(p, data, n, off); /* out of memory: unbuffered */
        if (f->len == 0)
            f->off = off;
        memcpy(f->buf + f->len, data, (size_t)n);
        f->len += (size_t)n;
    }
    /* a frame header (24 bytes after the 32-byte WAL header) whose bytes 4..7, the database size
     * after commit, are not 0: the page written next ends a commit */
    if (n == WAL_FRAME_HDR && off >= 32 && be32((const unsigned char *)data + 4) != 0)
        f->commit_next = 1;
    else if (commit)
        rc = wb_flush(f);
    return rc;
}

static int wb_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    walbuf_t *f = state_of(p);
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->xTruncate(p, size);
}

/*
 * Call bodies (schema version 14, store_bodies.c): a call row in the WAL names bytes of a segment file
 * written before its COMMIT, not synced. SQLite syncs a -wal file before every checkpoint copies it
 * into the database (synchronous=NORMAL; and at each commit with FULL), which is when such rows could
 * become durable: the segments written since the last sync are synced first (fdatasync of every
 * segment modified since 2 s before that sync began; a segment another process appends to is synced
 * too, the page cache being shared). A failure fails the -wal sync, so the checkpoint fails and is
 * retried; nothing is copied meanwhile.
 */
static int sync_bodies(walbuf_t *f)
{
    if (f->bodies == NULL)
        return SQLITE_OK;
    time_t start = time(NULL);
    DIR *d = opendir(f->bodies);
    if (d == NULL)
        return errno == ENOENT ? SQLITE_OK : SQLITE_IOERR_FSYNC;
    int rc = SQLITE_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && rc == SQLITE_OK) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".seg") != 0)
            continue;
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
            continue; /* unlinked meanwhile (a purge) */
        struct stat sb;
        if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (f->synced == 0 || sb.st_mtime >= f->synced - 2) && fdatasync(fd) != 0)
            rc = SQLITE_IOERR_FSYNC;
        close(fd);
    }
    closedir(d);
    if (rc == SQLITE_OK)
        f->synced = start;
    return rc;
}

static int wb_sync(sqlite3_file *p, int flags)
{
    walbuf_t *f = state_of(p);
    int rc = wb_flush(f);
    if (rc == SQLITE_OK && f->is_wal)
        rc = sync_bodies(f);
    return rc != SQLITE_OK ? rc : f->real->xSync(p, flags);
}

static int wb_size(sqlite3_file *p, sqlite3_int64 *size)
{
    walbuf_t *f = state_of(p);
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->xFileSize(p, size);
}

static int wb_lock(sqlite3_file *p, int lock)
{
    walbuf_t *f = state_of(p);
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->xLock(p, lock);
}

static int wb_unlock(sqlite3_file *p, int lock)
{
    walbuf_t *f = state_of(p);
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->xUnlock(p, lock);
}

static int wb_file_control(sqlite3_file *p, int op, void *arg)
{
    walbuf_t *f = state_of(p);
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->xFileControl(p, op, arg);
}

/* The database file's -wal buffer goes out before the wal-index changes (safety net). */
static void flush_wal_of(walbuf_t *f)
{
    if (f->wal != NULL)
        (void)wb_flush(f->wal);
}

static int wb_shm_lock(sqlite3_file *p, int offset, int n, int flags)
{
    walbuf_t *f = state_of(p);
    flush_wal_of(f);
    return f->real->xShmLock(p, offset, n, flags);
}

static void wb_shm_barrier(sqlite3_file *p)
{
    walbuf_t *f = state_of(p);
    flush_wal_of(f);
    f->real->xShmBarrier(p);
}

static int wb_fetch(sqlite3_file *p, sqlite3_int64 off, int n, void **pp)
{
    walbuf_t *f = state_of(p);
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->xFetch(p, off, n, pp);
}

/* Our methods for files whose default methods are `real`: a copy of them with the buffering ones
 * replaced (the others, xShmMap included, are the default VFS's functions). NULL: table full. */
static const sqlite3_io_methods *methods_for(const sqlite3_io_methods *real)
{
    const sqlite3_io_methods *out = NULL;
    pthread_mutex_lock(&g_lock);
    for (size_t i = 0; i < MAX_METHOD_TABLES && out == NULL; i++) {
        if (g_tables[i].real == real) {
            out = &g_tables[i].ours;
        } else if (g_tables[i].real == NULL) {
            sqlite3_io_methods m = *real;
            m.xClose = wb_close;
            m.xRead = wb_read;
            m.xWrite = wb_write;
            m.xTruncate = wb_truncate;
            m.xSync = wb_sync;
            m.xFileSize = wb_size;
            m.xLock = wb_lock;
            m.xUnlock = wb_unlock;
            m.xFileControl = wb_file_control;
            if (m.iVersion >= 2) {
                m.xShmLock = wb_shm_lock;
                m.xShmBarrier = wb_shm_barrier;
            }
            if (m.iVersion >= 3)
                m.xFetch = wb_fetch;
            g_tables[i].ours = m;
            g_tables[i].real = real;
            out = &g_tables[i].ours;
        }
    }
    pthread_mutex_unlock(&g_lock);
    return out;
}

static int is_ours(const sqlite3_io_methods *m)
{
    for (size_t i = 0; i < MAX_METHOD_TABLES; i++)
        if (m != NULL && m == &g_tables[i].ours)
            return 1;
    return 0;
}

static int wb_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *p, int flags, int *out_flags)
{
    (void)vfs;
    walbuf_t *f = state_of(p);
    memset(f, 0, sizeof(*f));
    f->file = p;
    int rc = g_real->xOpen(g_real, name, p, flags, out_flags);
    if (rc != SQLITE_OK || p->pMethods == NULL)
        return rc; /* the default VFS's own state: SQLite calls its xClose if it set pMethods */
    const sqlite3_io_methods *ours = methods_for(p->pMethods);
    if (ours == NULL)
        return SQLITE_OK; /* unknown methods beyond the table: this file stays unbuffered */
    f->real = p->pMethods;
    p->pMethods = ours;
    if ((flags & SQLITE_OPEN_WAL) != 0 && name != NULL) {
        f->is_wal = 1;
        /* "<database>-wal": its database's call-body segments are in "<database>.bodies" */
        size_t n = strlen(name);
        if (n > 4 && strcmp(name + n - 4, "-wal") == 0 && (f->bodies = malloc(n + 4)) != NULL) {
            memcpy(f->bodies, name, n - 4);
            memcpy(f->bodies + n - 4, ".bodies", 8);
        }
        sqlite3_file *db = sqlite3_database_file_object(name);
        if (db != NULL && is_ours(db->pMethods)) {
            f->db = state_of(db);
            f->db->wal = f;
        }
    }
    return SQLITE_OK;
}

static void vfs_init(void)
{
    /* before SQLite initialises (sqlite3_vfs_find does): its allocator (store_sqlite_mem.c) */
    gw_store__sqlite_mem_config();
    g_real = sqlite3_vfs_find(NULL);
    if (g_real == NULL)
        return;
    g_real_size = ((size_t)g_real->szOsFile + 7) & ~(size_t)7;
    /* everything but opening files is the default VFS's (its pAppData included) */
    g_vfs = *g_real;
    g_vfs.pNext = NULL;
    g_vfs.szOsFile = (int)(g_real_size + sizeof(walbuf_t));
    g_vfs.zName = GW_WALBUF_NAME;
    g_vfs.xOpen = wb_open;
    g_ok = sqlite3_vfs_register(&g_vfs, 0) == SQLITE_OK;
}

const char *gw_store__sqlite_vfs(void)
{
    pthread_once(&g_once, vfs_init);
    return g_ok ? GW_WALBUF_NAME : NULL;
}
