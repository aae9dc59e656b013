/*
 * Call bodies in segment files (SQLite; docs/internals/store.md "Call bodies in segment files").
 *
 * A logged call's sealed bodies (the request's ciphertext, then the response's) are appended to the
 * segment of the call's start day, `<database>.bodies/<day>.seg` (day = started_at / 86400 s since
 * the epoch), and its row keeps (body_seg, body_off, request_len, response_len) instead of the
 * ciphertext (schema version 14). The bytes of one writer transaction are gathered and written with
 * one pwrite right before its COMMIT (the writer connection's pre-commit hook, store_base.c
 * gw_store__tx_commit): the row never commits before the bytes it names are in the file, and a write
 * that fails fails the COMMIT, so a full disk is a store failure as a failed commit is (the record
 * stays in memory, retried; new calls get 503). A crash or a rollback after the write leaves bytes no
 * row names: harmless, removed with their segment. Offsets are the file's size when the transaction
 * writes its first body: every writer of segments holds SQLite's write lock (BEGIN IMMEDIATE), so no
 * other process or connection appends meanwhile.
 *
 * Durability: as the WAL's frames with synchronous=NORMAL, the bytes are in the operating system
 * when COMMIT returns (kill -9 loses nothing) and reach the disk before any checkpoint could make
 * their rows durable: the VFS shim syncs the recently written segments before it syncs a -wal file
 * (store_sqlite_vfs.c), which SQLite does at the start of every checkpoint.
 *
 * Removal: the purge and erasure punch holes over the bodies of the rows they delete (fallocate
 * PUNCH_HOLE, else zeros written), and a segment whose every row has expired is unlinked
 * (gw_store__bodies_unlink_expired).
 */
#include "gateway/store/store.h"
#include "common/log.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_internal.h"
#include "policy/retention.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define US_PER_DAY INT64_C(86400000000)
#define GW_STORE_BODIES_KEEP (1024 * 1024) /* bytes of pending buffer kept between transactions */

int64_t gw_store__bodies_seg_of(int64_t started_us)
{
    return started_us >= 0 ? started_us / US_PER_DAY : -1;
}

static void seg_path(const char *dir, int64_t seg, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%" PRId64 ".seg", dir, seg);
}

int gw_store__bodies_init(gw_store_t *st, const char *db_path, char *err, size_t errlen)
{
    gw_store_bodies_t *b = &st->bodies;
    memset(b, 0, sizeof(*b));
    b->fd = -1;
    if (db_path == NULL || db_path[0] == '\0' || strcmp(db_path, ":memory:") == 0 || strncmp(db_path, "file:", 5) == 0)
        return 0; /* no file beside which to keep them: bodies stay in the rows */
    if ((size_t)snprintf(b->dir, sizeof(b->dir), "%s.bodies", db_path) >= sizeof(b->dir)) {
        snprintf(err, errlen, "store.path: too long");
        return -1;
    }
    if (mkdir(b->dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "store: cannot create %s: %s", b->dir, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (lstat(b->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "store: %s is not a directory", b->dir);
        return -1;
    }
    if ((sb.st_mode & 077) != 0 && chmod(b->dir, 0700) != 0) {
        snprintf(err, errlen, "store: cannot chmod 0700 %s: %s", b->dir, strerror(errno));
        return -1;
    }
    b->on = 1;
    return 0;
}

void gw_store__bodies_close(gw_store_t *st)
{
    gw_store_bodies_t *b = &st->bodies;
    if (b->fd >= 0)
        close(b->fd);
    b->fd = -1;
    free(b->buf);
    b->buf = NULL;
    b->len = b->cap = 0;
}

void gw_store__bodies_discard(gw_store_t *st)
{
    st->bodies.len = 0;
}

/* The open segment `seg` for appending (reopened when another was open, or when the file was unlinked
 * under it), with its size in *size. @return the descriptor, or -1 (errno). */
static int seg_open(gw_store_bodies_t *b, int64_t seg, int64_t *size)
{
    struct stat sb;
    if (b->fd >= 0 && b->fd_seg == seg && fstat(b->fd, &sb) == 0 && sb.st_nlink > 0) {
        *size = (int64_t)sb.st_size;
        return b->fd;
    }
    if (b->fd >= 0)
        close(b->fd);
    b->fd = -1;
    char path[sizeof(b->dir) + 32];
    seg_path(b->dir, seg, path, sizeof(path));
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -1;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int e = errno != 0 ? errno : EINVAL;
        close(fd);
        errno = S_ISREG(sb.st_mode) ? e : EINVAL;
        return -1;
    }
    b->fd = fd;
    b->fd_seg = seg;
    *size = (int64_t)sb.st_size;
    return fd;
}

int gw_store__bodies_flush(gw_store_t *st)
{
    gw_store_bodies_t *b = &st->bodies;
    if (b->len == 0)
        return 0;
    size_t len = b->len, done = 0;
    b->len = 0;
    if (b->fault != 0) { /* tests: an injected write error */
        errno = b->fault;
        goto fail;
    }
    while (done < len) {
        ssize_t w = pwrite(b->fd, b->buf + done, len - done, (off_t)(b->base + (int64_t)done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            goto fail;
        }
        done += (size_t)w;
    }
    if (b->cap > GW_STORE_BODIES_KEEP) { /* a transaction of large bodies: its buffer is not kept */
        free(b->buf);
        b->buf = NULL;
        b->cap = 0;
    }
    return 0;
fail:
    gw_log(GW_LOG_ERROR, "store: call bodies: cannot write segment %" PRId64 " of %s: %s", b->seg, b->dir, strerror(errno));
    return -1;
}

int gw_store__bodies_put(gw_store_t *st, int64_t started_us, const void *ct, size_t n, int64_t *seg, int64_t *off)
{
    gw_store_bodies_t *b = &st->bodies;
    int64_t s = gw_store__bodies_seg_of(started_us);
    if (s < 0)
        return GW_STORE_E_INVAL;
    if (b->len != 0 && b->seg != s && gw_store__bodies_flush(st) != 0)
        return GW_STORE_E_DB; /* another day's segment in the same transaction: the first one's bytes out first */
    if (b->len == 0) {
        int64_t size = 0;
        if (seg_open(b, s, &size) < 0) {
            gw_log(GW_LOG_ERROR, "store: call bodies: cannot open segment %" PRId64 " of %s: %s", s, b->dir, strerror(errno));
            return GW_STORE_E_DB;
        }
        b->seg = s;
        b->base = size;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *nb = realloc(b->buf, cap);
        if (nb == NULL)
            return GW_STORE_E_NOMEM;
        b->buf = nb;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, ct, n);
    *seg = s;
    *off = b->base + (int64_t)b->len;
    b->len += n;
    return 0;
}

int gw_store__bodies_read(const char *dir, int64_t seg, int64_t off, void *out, size_t n)
{
    char path[1100];
    if (dir == NULL || dir[0] == '\0' || seg < 0 || off < 0)
        return -1;
    seg_path(dir, seg, path, sizeof(path));
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < n) {
        ssize_t r = pread(fd, (unsigned char *)out + done, n - done, (off_t)(off + (int64_t)done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break; /* short: the segment lost its end (a crash before the disk had it) */
        done += (size_t)r;
    }
    close(fd);
    return done == n ? 0 : -1;
}

int gw_store__bodies_punch(const char *dir, int64_t seg, int64_t off, int64_t len)
{
    char path[1100];
    if (dir == NULL || dir[0] == '\0' || seg < 0 || off < 0 || len <= 0)
        return 0;
    seg_path(dir, seg, path, sizeof(path));
    int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1; /* unlinked already: nothing left to remove */
    int rc = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)len);
    if (rc != 0) {
        /* no hole punching on this file system: zeros over the bytes */
        static const unsigned char zeros[4096];
        struct stat sb;
        int64_t end = fstat(fd, &sb) == 0 ? (int64_t)sb.st_size : off + len;
        if (off + len < end)
            end = off + len;
        rc = 0;
        for (int64_t at = off; at < end && rc == 0;) {
            size_t k = (size_t)(end - at < (int64_t)sizeof(zeros) ? end - at : (int64_t)sizeof(zeros));
            ssize_t w = pwrite(fd, zeros, k, (off_t)at);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                rc = -1;
            else
                at += w;
        }
    }
    if (close(fd) != 0)
        rc = -1;
    return rc;
}

int gw_store__bodies_punch_rows(gw_store_t *st, gw_store_stmt_t *s)
{
    int rc, failed = 0;
    while ((rc = gw_store__step(s)) == 1) {
        if (gw_store__col_isnull(s, 0))
            continue;
        int64_t len = gw_store__col_int64(s, 2) + gw_store__col_int64(s, 3);
        if (gw_store__bodies_punch(st->bodies.dir, gw_store__col_int64(s, 0), gw_store__col_int64(s, 1), len) != 0)
            failed = 1;
    }
    gw_store__reset(s);
    if (rc < 0)
        return -1;
    if (failed)
        gw_log(GW_LOG_ERROR, "store: call bodies: could not remove bytes from a segment of %s: %s", st->bodies.dir,
               strerror(errno));
    return failed ? -1 : 0;
}

int gw_store__bodies_unlink_expired(gw_store_t *st, int64_t now_us)
{
    gw_store_bodies_t *b = &st->bodies;
    int64_t ttl = st->ret.ttl_us[POL_RET_CALL_LOG];
    if (!b->on || ttl <= 0)
        return 0;
    DIR *d = opendir(b->dir);
    if (d == NULL)
        return errno == ENOENT ? 0 : -1;
    int ret = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end = NULL;
        errno = 0;
        long long seg = strtoll(e->d_name, &end, 10);
        if (errno != 0 || end == e->d_name || strcmp(end, ".seg") != 0 || seg < 0 || seg > INT64_MAX / US_PER_DAY - 2)
            continue;
        /* every call of day `seg` started before (seg + 1) days and expires at its start + the TTL
         * (store.c apply_meta keeps expires_at = started_at + the current TTL): once that time has
         * passed and no row expiring before it is left, no row names this segment */
        int64_t limit = ((int64_t)seg + 1) * US_PER_DAY + ttl;
        if (limit > now_us)
            continue;
        gw_store_stmt_t *q = gw_store__db_prepare(st->wdb, "SELECT 1 FROM calls WHERE expires_at < ? LIMIT 1");
        if (q == NULL) {
            ret = -1;
            break;
        }
        gw_store__bind_int64(q, 1, limit);
        int left = gw_store__step(q);
        gw_store__reset(q);
        gw_store__db_finalize(q);
        if (left != 0)
            continue; /* rows still there (or an error): the next purge */
        if (b->fd >= 0 && b->fd_seg == seg) {
            close(b->fd);
            b->fd = -1;
        }
        char path[sizeof(b->dir) + 32];
        seg_path(b->dir, seg, path, sizeof(path));
        if (unlink(path) != 0 && errno != ENOENT) {
            gw_log(GW_LOG_ERROR, "store: call bodies: cannot unlink %s: %s", path, strerror(errno));
            ret = -1;
        }
    }
    closedir(d);
    return ret;
}
