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

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define GW_WALBUF_NAME "aigw-walbuf"
/* bytes per write: SQLite's unix VFS writes at most 0x1ffff bytes per call (os_unix.c seekAndWrite
 * masks the count), so a run is written in pieces of 64 KiB (15 frames of 4 KiB pages) */
#define GW_WALBUF_MAX (64 * 1024)
#define WAL_FRAME_HDR 24 /* wal.c WAL_FRAME_HDRSIZE */

typedef struct st_walbuf_file_t walbuf_file_t;

struct st_walbuf_file_t {
    sqlite3_file base;  /* pMethods = ours */
    sqlite3_file *real; /* the default VFS's file, allocated right after this struct */
    int is_wal;         /* a -wal file: writes are buffered */
    walbuf_file_t *db;  /* -wal file: its database file's shim (NULL when unknown) */
    walbuf_file_t *wal; /* database file: its open -wal file's shim */
    unsigned char *buf; /* -wal file: pending bytes for [off, off + len) */
    size_t len;
    sqlite3_int64 off;
    int commit_next; /* the next write is the page of a commit frame: flush after it */
};

static sqlite3_vfs *g_real;
static sqlite3_vfs g_vfs;
static sqlite3_io_methods g_methods_v1, g_methods_v2, g_methods_v3;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_ok;

static int wb_flush(walbuf_file_t *f)
{
    int rc = f->len > 0 ? f->real->pMethods->xWrite(f->real, f->buf, (int)f->len, f->off) : SQLITE_OK;
    f->len = 0;
    f->commit_next = 0;
    return rc;
}

static int wb_close(sqlite3_file *p)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    int rc = wb_flush(f);
    if (f->is_wal && f->db != NULL && f->db->wal == f)
        f->db->wal = NULL;
    if (!f->is_wal && f->wal != NULL)
        f->wal->db = NULL;
    int rc2 = f->real->pMethods != NULL ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    free(f->buf);
    f->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int wb_read(sqlite3_file *p, void *out, int n, sqlite3_int64 off)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, n, off);
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

static int wb_write(sqlite3_file *p, const void *data, int n, sqlite3_int64 off)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    if (!f->is_wal)
        return f->real->pMethods->xWrite(f->real, data, n, off);
    int rc = SQLITE_OK;
    int commit = f->commit_next;
    f->commit_next = 0;
    if (f->len > 0 && (off != f->off + (sqlite3_int64)f->len || f->len + (size_t)n > GW_WALBUF_MAX)) {
        if ((rc = wb_flush(f)) != SQLITE_OK)
            return rc;
    }
    if ((size_t)n > GW_WALBUF_MAX) {
        rc = f->real->pMethods->xWrite(f->real, data, n, off);
    } else {
        if (f->buf == NULL && (f->buf = malloc(GW_WALBUF_MAX)) == NULL)
            return f->real->pMethods->xWrite(f->real, data, n, off); /* out of memory: unbuffered */
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
    walbuf_file_t *f = (walbuf_file_t *)p;
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int wb_sync(sqlite3_file *p, int flags)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int wb_size(sqlite3_file *p, sqlite3_int64 *size)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int wb_lock(sqlite3_file *p, int lock)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xLock(f->real, lock);
}

static int wb_unlock(sqlite3_file *p, int lock)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xUnlock(f->real, lock);
}

static int wb_check_reserved(sqlite3_file *p, int *out)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int wb_file_control(sqlite3_file *p, int op, void *arg)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int wb_sector_size(sqlite3_file *p)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    return f->real->pMethods->xSectorSize(f->real);
}

static int wb_device_characteristics(sqlite3_file *p)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/* The database file's -wal buffer goes out before the wal-index changes (safety net). */
static void flush_wal_of(walbuf_file_t *f)
{
    if (f->wal != NULL)
        (void)wb_flush(f->wal);
}

static int wb_shm_map(sqlite3_file *p, int pg, int pgsz, int extend, void volatile **pp)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    return f->real->pMethods->xShmMap(f->real, pg, pgsz, extend, pp);
}

static int wb_shm_lock(sqlite3_file *p, int offset, int n, int flags)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    flush_wal_of(f);
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void wb_shm_barrier(sqlite3_file *p)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    flush_wal_of(f);
    f->real->pMethods->xShmBarrier(f->real);
}

static int wb_shm_unmap(sqlite3_file *p, int del)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    return f->real->pMethods->xShmUnmap(f->real, del);
}

static int wb_fetch(sqlite3_file *p, sqlite3_int64 off, int n, void **pp)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    int rc = wb_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFetch(f->real, off, n, pp);
}

static int wb_unfetch(sqlite3_file *p, sqlite3_int64 off, void *pg)
{
    walbuf_file_t *f = (walbuf_file_t *)p;
    return f->real->pMethods->xUnfetch(f->real, off, pg);
}

static int wb_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *p, int flags, int *out_flags)
{
    (void)vfs;
    walbuf_file_t *f = (walbuf_file_t *)p;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)(f + 1);
    int rc = g_real->xOpen(g_real, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK || f->real->pMethods == NULL) {
        f->base.pMethods = NULL; /* SQLite calls no method of a file whose open failed */
        return rc;
    }
    int v = f->real->pMethods->iVersion;
    f->base.pMethods = v >= 3 ? &g_methods_v3 : v == 2 ? &g_methods_v2 : &g_methods_v1;
    if ((flags & SQLITE_OPEN_WAL) != 0 && name != NULL) {
        f->is_wal = 1;
        sqlite3_file *db = sqlite3_database_file_object(name);
        if (db != NULL && db->pMethods != NULL &&
            (db->pMethods == &g_methods_v1 || db->pMethods == &g_methods_v2 || db->pMethods == &g_methods_v3)) {
            f->db = (walbuf_file_t *)db;
            f->db->wal = f;
        }
    }
    return SQLITE_OK;
}

/* The rest of the VFS is the default one's. */
static int wb_delete(sqlite3_vfs *v, const char *name, int sync)
{
    (void)v;
    return g_real->xDelete(g_real, name, sync);
}

static int wb_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return g_real->xAccess(g_real, name, flags, out);
}

static int wb_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return g_real->xFullPathname(g_real, name, n, out);
}

static void *wb_dlopen(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return g_real->xDlOpen(g_real, name);
}

static void wb_dlerror(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    g_real->xDlError(g_real, n, out);
}

static void (*wb_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return g_real->xDlSym(g_real, h, sym);
}

static void wb_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    g_real->xDlClose(g_real, h);
}

static int wb_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return g_real->xRandomness(g_real, n, out);
}

static int wb_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return g_real->xSleep(g_real, us);
}

static int wb_current_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return g_real->xCurrentTime(g_real, out);
}

static int wb_get_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0;
}

static int wb_current_time_int64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return g_real->xCurrentTimeInt64(g_real, out);
}

static void vfs_init(void)
{
    g_real = sqlite3_vfs_find(NULL);
    if (g_real == NULL || g_real->iVersion < 2 || g_real->xCurrentTimeInt64 == NULL)
        return;
    sqlite3_io_methods m;
    memset(&m, 0, sizeof(m));
    m.iVersion = 1;
    m.xClose = wb_close;
    m.xRead = wb_read;
    m.xWrite = wb_write;
    m.xTruncate = wb_truncate;
    m.xSync = wb_sync;
    m.xFileSize = wb_size;
    m.xLock = wb_lock;
    m.xUnlock = wb_unlock;
    m.xCheckReservedLock = wb_check_reserved;
    m.xFileControl = wb_file_control;
    m.xSectorSize = wb_sector_size;
    m.xDeviceCharacteristics = wb_device_characteristics;
    g_methods_v1 = m;
    m.iVersion = 2;
    m.xShmMap = wb_shm_map;
    m.xShmLock = wb_shm_lock;
    m.xShmBarrier = wb_shm_barrier;
    m.xShmUnmap = wb_shm_unmap;
    g_methods_v2 = m;
    m.iVersion = 3;
    m.xFetch = wb_fetch;
    m.xUnfetch = wb_unfetch;
    g_methods_v3 = m;
    memset(&g_vfs, 0, sizeof(g_vfs));
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = (int)sizeof(walbuf_file_t) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = GW_WALBUF_NAME;
    g_vfs.xOpen = wb_open;
    g_vfs.xDelete = wb_delete;
    g_vfs.xAccess = wb_access;
    g_vfs.xFullPathname = wb_full_pathname;
    g_vfs.xDlOpen = wb_dlopen;
    g_vfs.xDlError = wb_dlerror;
    g_vfs.xDlSym = wb_dlsym;
    g_vfs.xDlClose = wb_dlclose;
    g_vfs.xRandomness = wb_randomness;
    g_vfs.xSleep = wb_sleep;
    g_vfs.xCurrentTime = wb_current_time;
    g_vfs.xGetLastError = wb_get_last_error;
    g_vfs.xCurrentTimeInt64 = wb_current_time_int64;
    g_ok = sqlite3_vfs_register(&g_vfs, 0) == SQLITE_OK;
}

const char *gw_store__sqlite_vfs(void)
{
    pthread_once(&g_once, vfs_init);
    return g_ok ? GW_WALBUF_NAME : NULL;
}
