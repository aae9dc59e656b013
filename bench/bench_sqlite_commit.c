/*
 * Latency of serial SQLite commits shaped like the journal's (issue 12): where SQLite's automatic
 * checkpoint runs inside a COMMIT, and where the store's checkpointer thread runs them instead
 * (gw_store__db_offload_checkpoints). Two databases in one process, written in alternating blocks
 * of 200 commits, so a change of the machine's load falls on both. Each commit inserts one row of
 * ~1.5 KB with two indexes (overflow pages, as a call row) and rewrites one "balance" row: about 10
 * WAL frames of 1 KiB pages, the size of one of a serial metered call's two commits.
 *
 *   bench_sqlite_commit [N]     N commits per mode (default 20000)
 *
 * Prints p50 / p90 / p99 / p99.9 / max of BEGIN..COMMIT in microseconds and the commits over 1 ms,
 * per mode. A report, not a test.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gateway/store/store_db.h"

#define BLOCK 200

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

typedef struct st_mode_t {
    const char *name;
    gw_store_db_t *db;
    gw_store_stmt_t *ins, *upd;
    int64_t *lat;
    long n;
} mode_t_;

/* Steps `s` to its end and resets it. @return rows changed, or -1. */
static int64_t run(gw_store_stmt_t *s)
{
    int rc;
    while ((rc = gw_store__step(s)) == 1)
        ;
    int64_t n = rc == 0 ? gw_store__changes(s) : -1;
    gw_store__reset(s);
    return n;
}

static int one_commit(mode_t_ *m, long i, const unsigned char *blob, size_t bloblen)
{
    char key[32];
    snprintf(key, sizeof(key), "k%08ld", (i * 7919) % 1000003);
    int64_t t0 = mono_us();
    if (gw_store__db_exec(m->db, "BEGIN IMMEDIATE") != 0)
        return -1;
    gw_store__bind_text(m->ins, 1, key);
    gw_store__bind_int64(m->ins, 2, i % 1000);
    gw_store__bind_blob(m->ins, 3, blob, bloblen);
    int64_t a = run(m->ins);
    gw_store__bind_int64(m->upd, 1, i);
    int64_t b = run(m->upd);
    if (a != 1 || b != 1 || gw_store__db_exec(m->db, "COMMIT") != 0) {
        gw_store__db_exec(m->db, "ROLLBACK");
        return -1;
    }
    m->lat[m->n++] = mono_us() - t0;
    return 0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
    if (n < BLOCK)
        n = BLOCK;
    char dir[] = "/tmp/aigw-bench-commit.XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    mode_t_ modes[2] = {{.name = "checkpoints in the commits (SQLite's automatic)"},
                        {.name = "checkpoints on their own thread (offloaded)"}};
    unsigned char blob[1500];
    for (size_t i = 0; i < sizeof(blob); i++)
        blob[i] = (unsigned char)(i * 31 + 7); /* ciphertext-like: no run SQLite could shorten */
    int rc = 1;
    for (int k = 0; k < 2; k++) {
        char path[128], err[256] = "";
        snprintf(path, sizeof(path), "%s/m%d.db", dir, k);
        if ((modes[k].db = gw_store__db_open_sqlite(path, err, sizeof(err))) == NULL) {
            fprintf(stderr, "open: %s\n", err);
            goto out;
        }
        if (gw_store__db_exec(modes[k].db, "CREATE TABLE c(k TEXT PRIMARY KEY, u INTEGER, b BLOB);"
                                           " CREATE INDEX c_u ON c(u);"
                                           " CREATE TABLE bal(id INTEGER PRIMARY KEY, v INTEGER);"
                                           " INSERT INTO bal VALUES (1, 0);") != 0 ||
            (k == 1 && gw_store__db_offload_checkpoints(modes[k].db) != 0) ||
            (modes[k].ins = gw_store__db_prepare(modes[k].db, "INSERT INTO c(k, u, b) VALUES (?, ?, ?)")) == NULL ||
            (modes[k].upd = gw_store__db_prepare(modes[k].db, "UPDATE bal SET v = ? WHERE id = 1")) == NULL ||
            (modes[k].lat = malloc((size_t)n * sizeof(int64_t))) == NULL) {
            fprintf(stderr, "setup: %s\n", gw_store__db_errmsg(modes[k].db));
            goto out;
        }
    }
    for (long i = 0; i < n; i += BLOCK)
        for (int k = 0; k < 2; k++)
            for (long j = i; j < i + BLOCK && j < n; j++)
                if (one_commit(&modes[k], j, blob, sizeof(blob)) != 0) {
                    fprintf(stderr, "commit: %s\n", gw_store__db_errmsg(modes[k].db));
                    goto out;
                }
    printf("%ld serial commits per mode (one ~1.5 KB row with two indexes + one row rewritten), BEGIN..COMMIT:\n", n);
    for (int k = 0; k < 2; k++) {
        mode_t_ *m = &modes[k];
        long over = 0;
        for (long i = 0; i < m->n; i++)
            over += m->lat[i] > 1000;
        qsort(m->lat, (size_t)m->n, sizeof(int64_t), cmp64);
        printf("  %-50s p50 %" PRId64 "  p90 %" PRId64 "  p99 %" PRId64 "  p99.9 %" PRId64 "  max %" PRId64 " us; over 1 ms: %ld\n",
               m->name, m->lat[m->n / 2], m->lat[m->n * 9 / 10], m->lat[m->n * 99 / 100], m->lat[m->n * 999 / 1000],
               m->lat[m->n - 1], over);
    }
    gw_store_ckpt_stats_t cs;
    if (gw_store__db_ckpt_stats(modes[1].db, &cs) == 0)
        printf("  checkpointer: %" PRIu64 " rounds, %" PRIu64 " RESTARTs, %" PRIu64 " failed; WAL at most %" PRId64 " frames\n",
               cs.checkpoints, cs.restarts, cs.failures, cs.wal_frames_max);
    rc = 0;
out:
    for (int k = 0; k < 2; k++) {
        gw_store__db_finalize(modes[k].ins);
        gw_store__db_finalize(modes[k].upd);
        gw_store__db_close(modes[k].db);
        free(modes[k].lat);
        char path[160];
        snprintf(path, sizeof(path), "%s/m%d.db", dir, k);
        unlink(path);
    }
    rmdir(dir);
    return rc;
}
