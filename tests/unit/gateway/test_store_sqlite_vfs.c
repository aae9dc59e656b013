/*
 * The store's SQLite VFS shim (gateway/store/store_sqlite_vfs.c): a transaction's WAL frames are
 * gathered into few writes. What must not change: every committed row is there for another
 * connection and after a reopen (a commit larger than one 64 KiB write included), and a write
 * the file system refuses fails the COMMIT itself (not a later, unrelated statement), leaving the
 * database intact without the failed transaction's rows.
 *
 * And the checkpointer of the writer connection (gateway/store/store_sqlite.c "Checkpoints",
 * gw_store__db_offload_checkpoints): it copies the WAL into the database file while commits go on,
 * keeps the WAL bounded when readers overlap all the time (where the writer alone could never reuse
 * it), retries a RESTART that a long reader made fail without losing a commit, lets the erasure's
 * TRUNCATE run, and closing leaves no WAL behind. No assertion here is about time: waits poll the
 * checkpointer's counters with a generous bound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/store/store_db.h"
#include <sqlite3.h>
#include "store_query.h"
#include "support/support.h"

typedef ts_tmpdb_t fx_t;

static int setup(void **state)
{
    return ts_tmpdb_setup(state, "vfs");
}

static gw_store_db_t *open_db(fx_t *fx)
{
    char err[256] = "";
    gw_store_db_t *db = gw_store__db_open_sqlite(fx->path, err, sizeof(err));
    if (db == NULL)
        fail_msg("open: %s", err);
    return db;
}

static int64_t one_int(gw_store_db_t *db, const char *sql)
{
    return ts_db_int(db, sql, NULL, NULL);
}

/* Inserts `n` rows of `bytes` bytes each in one transaction. @return the COMMIT's result. */
static int insert_rows(gw_store_db_t *db, int first, int n, size_t bytes)
{
    unsigned char *blob = malloc(bytes);
    assert_non_null(blob);
    assert_int_equal(gw_store__db_exec(db, "BEGIN IMMEDIATE"), 0);
    gw_store_stmt_t *s = gw_store__db_prepare(db, "INSERT INTO t(id, b) VALUES (?, ?)");
    assert_non_null(s);
    for (int i = 0; i < n; i++) {
        memset(blob, (first + i) & 0xff, bytes);
        gw_store__bind_int64(s, 1, first + i);
        gw_store__bind_blob(s, 2, blob, bytes);
        if (gw_store__step(s) != 0) {
            gw_store__reset(s);
            gw_store__db_finalize(s);
            free(blob);
            gw_store__db_exec(db, "ROLLBACK");
            return -1;
        }
        gw_store__reset(s);
    }
    gw_store__db_finalize(s);
    free(blob);
    int rc = gw_store__db_exec(db, "COMMIT");
    if (rc != 0)
        gw_store__db_exec(db, "ROLLBACK");
    return rc;
}

static void test_commits_are_whole(void **state)
{
    fx_t *fx = *state;
    assert_string_equal(gw_store__sqlite_vfs(), "aigw-walbuf");
    gw_store_db_t *w = open_db(fx), *r = open_db(fx);
    assert_int_equal(gw_store__db_exec(w, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)"), 0);
    /* one small commit, then one of about 1 MB (many 64 KiB writes), then many small ones */
    assert_int_equal(insert_rows(w, 0, 1, 100), 0);
    assert_int_equal(insert_rows(w, 1, 250, 4000), 0);
    for (int i = 0; i < 50; i++)
        assert_int_equal(insert_rows(w, 251 + i, 1, 300), 0);
    /* another connection sees every committed row, byte for byte */
    assert_int_equal(one_int(r, "SELECT COUNT(*) FROM t"), 301);
    assert_int_equal(one_int(r, "SELECT SUM(length(b)) FROM t"), 100 + 250 * 4000 + 50 * 300);
    assert_int_equal(one_int(r, "SELECT COUNT(*) FROM t WHERE id BETWEEN 1 AND 250 AND length(b) = 4000"
                                " AND substr(hex(b), 1, 2) = printf('%02X', id % 256)"
                                " AND substr(hex(b), 7999, 2) = printf('%02X', id % 256)"),
                     250);
    gw_store__db_close(r);
    gw_store__db_close(w);
    /* and after a reopen, checkpointed into the database file */
    w = open_db(fx);
    assert_int_equal(one_int(w, "SELECT COUNT(*) FROM t"), 301);
    assert_int_equal(gw_store__db_exec(w, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
    ts_db_integrity_ok(w);
    gw_store__db_close(w);
}

static void test_refused_write_fails_the_commit(void **state)
{
    fx_t *fx = *state;
    gw_store_db_t *w = open_db(fx);
    assert_int_equal(gw_store__db_exec(w, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)"), 0);
    assert_int_equal(insert_rows(w, 0, 10, 1000), 0);
    struct stat sb;
    char wal[160];
    snprintf(wal, sizeof(wal), "%s-wal", fx->path);
    assert_int_equal(stat(wal, &sb), 0);
    /* files may not grow past their size now: the next commit's WAL frames cannot be written */
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_IGN);
    lim = old;
    lim.rlim_cur = (rlim_t)sb.st_size;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int rc = insert_rows(w, 100, 20, 3000);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_DFL);
    assert_int_not_equal(rc, 0);
    gw_store__db_close(w);
    /* the database holds the earlier commit, not a part of the failed one */
    w = open_db(fx);
    assert_int_equal(one_int(w, "SELECT COUNT(*) FROM t"), 10);
    ts_db_integrity_ok(w);
    /* and it takes new commits again */
    assert_int_equal(insert_rows(w, 200, 5, 3000), 0);
    assert_int_equal(one_int(w, "SELECT COUNT(*) FROM t"), 15);
    gw_store__db_close(w);
}

/* ---- the checkpointer ---- */

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static gw_store_db_t *open_writer(fx_t *fx)
{
    gw_store_db_t *w = open_db(fx);
    assert_int_equal(gw_store__db_offload_checkpoints(w), 0);
    gw_store_ckpt_stats_t st;
    assert_int_equal(gw_store__db_ckpt_stats(w, &st), 0);
    assert_int_equal(gw_store__db_exec(w, "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, b BLOB)"), 0);
    return w;
}

/* `n` one-row transactions of `bytes` bytes from id `first`; a short pause every 20 (a gateway is not
 * 100 % busy, and the checkpointer runs at the idle scheduling class) */
static void commit_many(gw_store_db_t *w, int first, int n, size_t bytes)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(insert_rows(w, first + i, 1, bytes), 0);
        if (i % 20 == 19)
            sleep_ms(1);
    }
}

/* Polls the checkpointer's counters until `field` reaches `want` (at most ~30 s). */
#define WAIT_STAT(w, field, want)                                                                                                  \
    do {                                                                                                                           \
        gw_store_ckpt_stats_t st_;                                                                                                 \
        for (int k_ = 0; k_ < 3000; k_++) {                                                                                        \
            assert_int_equal(gw_store__db_ckpt_stats((w), &st_), 0);                                                               \
            if (st_.field >= (want))                                                                                               \
                break;                                                                                                             \
            sleep_ms(10);                                                                                                          \
        }                                                                                                                          \
        assert_int_equal(gw_store__db_ckpt_stats((w), &st_), 0);                                                                   \
        if (st_.field < (want))                                                                                                    \
            fail_msg(#field " stayed at %llu (want %llu)", (unsigned long long)st_.field, (unsigned long long)(want));             \
    } while (0)

static off_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_size : -1;
}

static void assert_intact(gw_store_db_t *db, int64_t rows)
{
    assert_int_equal(one_int(db, "SELECT COUNT(*) FROM t"), rows);
    ts_db_integrity_ok(db);
}

static void test_checkpoints_run_beside_the_commits(void **state)
{
    fx_t *fx = *state;
    char wal[160];
    snprintf(wal, sizeof(wal), "%s-wal", fx->path);
    gw_store_db_t *w = open_writer(fx);
    off_t db0 = file_size(fx->path);
    commit_many(w, 0, 2000, 300); /* several thousand WAL frames of 1 KiB pages */
    WAIT_STAT(w, checkpoints, 1);
    assert_true(file_size(fx->path) > db0); /* the pages went into the database file */
    gw_store_ckpt_stats_t st;
    assert_int_equal(gw_store__db_ckpt_stats(w, &st), 0);
    assert_int_equal(st.failures, 0);
    gw_store_db_t *r = open_db(fx);
    assert_intact(r, 2000);
    /* the erasure's TRUNCATE: done even while the checkpointer may be copying */
    commit_many(w, 2000, 500, 300);
    assert_int_equal(gw_store__db_wal_truncate(w), 0);
    assert_int_equal(file_size(wal), 0);
    assert_intact(r, 2500);
    commit_many(w, 2500, 100, 300); /* the WAL works after it */
    gw_store__db_close(r);
    gw_store__db_close(w);
    /* closing the last connection checkpointed and removed the WAL, as without the checkpointer */
    assert_int_equal(file_size(wal), -1);
    w = open_db(fx);
    assert_intact(w, 2600);
    gw_store__db_close(w);
}

/* Two readers taking turns so that one of them always holds a snapshot: the writer alone never finds
 * the WAL unused and would append to it for ever ("checkpoint starvation", sqlite.org/wal.html). */
typedef struct st_readers_t {
    fx_t *fx;
    atomic_int stop;
    int rounds;
} readers_t;

static void *overlapping_readers(void *arg)
{
    readers_t *rd = arg;
    gw_store_db_t *r[2] = {open_db(rd->fx), open_db(rd->fx)};
    assert_int_equal(gw_store__db_exec(r[0], "BEGIN"), 0);
    (void)one_int(r[0], "SELECT MAX(id) FROM t");
    for (int i = 1; !atomic_load(&rd->stop); i++) {
        gw_store_db_t *next = r[i % 2], *prev = r[(i + 1) % 2];
        assert_int_equal(gw_store__db_exec(next, "BEGIN"), 0);
        /* the snapshot is taken here; a read of one row, so the overlap is what holds the WAL, not
         * a scan of the whole table that a loaded machine makes last past the RESTART's 50 ms wait
         * (that is test_restart_blocked_by_a_reader_is_retried's case) */
        (void)one_int(next, "SELECT MAX(id) FROM t");
        assert_int_equal(gw_store__db_exec(prev, "COMMIT"), 0);
        rd->rounds++;
        sleep_ms(2);
    }
    for (int i = 0; i < 2; i++) {
        (void)gw_store__db_exec(r[i], "COMMIT");
        gw_store__db_close(r[i]);
    }
    return NULL;
}

/*
 * The behaviour: while readers always overlap, the checkpointer's RESTART still happens whenever
 * the WAL reaches its length, and the writer then reuses the WAL from its start, so its file stays
 * bounded instead of holding every frame ever written (about 40,000 here). The writer commits as
 * fast as it can, except when the WAL's file grew past the RESTART length (its frames then reach
 * that length: a RESTART is due) with no RESTART since: then it goes on at one commit per 2 ms (its
 * commits keep waking the checkpointer) until the RESTART succeeded. Not asserted: how fast a
 * thread of the idle scheduling class gets a CPU on a loaded machine, or that the reader a RESTART
 * waits for ends within the RESTART's 50 ms (one that does not makes the RESTART give up and retry
 * after its backoff: test_restart_blocked_by_a_reader_is_retried). Before session 8 the writer
 * never waited, and one give-up under load let it add some 27,000 frames during the 1 s backoff:
 * past the bound below, which then measured the machine's load rather than the checkpointer.
 */
static void test_wal_bounded_under_overlapping_readers(void **state)
{
    fx_t *fx = *state;
    char wal[160];
    snprintf(wal, sizeof(wal), "%s-wal", fx->path);
    gw_store_db_t *w = open_writer(fx);
    assert_int_equal(insert_rows(w, 0, 1, 300), 0);
    readers_t rd = {.fx = fx};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, overlapping_readers, &rd), 0);
    const off_t restart_bytes = (off_t)8000 * (1024 + 24); /* the RESTART length: 8000 frames of 1 KiB pages */
    off_t max_wal = 0, prev = 0;
    int next = 1, restarted = 1;
    gw_store_ckpt_stats_t st;
    assert_int_equal(gw_store__db_ckpt_stats(w, &st), 0);
    uint64_t seen = st.restarts;
    for (int k = 0; k < 150 && restarted; k++) { /* 15,000 commits, about 40,000 frames */
        commit_many(w, next, 100, 300);
        next += 100;
        off_t n = file_size(wal);
        if (n > max_wal)
            max_wal = n;
        assert_int_equal(gw_store__db_ckpt_stats(w, &st), 0);
        if (n > restart_bytes && n > prev && st.restarts == seen) {  /* due, and none since the last look */
            for (int i = 0; i < 30000 && st.restarts == seen; i++) { /* at most ~60 s: a few give-ups' backoffs */
                assert_int_equal(insert_rows(w, next++, 1, 300), 0);
                sleep_ms(2);
                assert_int_equal(gw_store__db_ckpt_stats(w, &st), 0);
            }
            restarted = st.restarts > seen;
            n = file_size(wal);
            if (n > max_wal)
                max_wal = n;
        }
        seen = st.restarts;
        prev = n;
    }
    /* the readers stop before anything is asserted: a failed assertion must not leave their thread
     * running into the next test */
    atomic_store(&rd.stop, 1);
    pthread_join(th, NULL);
    assert_true(restarted);      /* every RESTART that was due happened while the readers overlapped */
    assert_true(rd.rounds > 10); /* the readers did overlap while the writer wrote */
    /* Bounded: the WAL's file never held more than three times the RESTART length (about 8.2 MB);
     * the frames written were about five times it. */
    assert_true(max_wal < 3 * restart_bytes);
    assert_intact(w, next);
    gw_store__db_close(w);
}

static void test_restart_blocked_by_a_reader_is_retried(void **state)
{
    fx_t *fx = *state;
    gw_store_db_t *w = open_writer(fx);
    assert_int_equal(insert_rows(w, 0, 1, 300), 0);
    /* a reader keeps its snapshot (an export) while the WAL passes the RESTART length */
    gw_store_db_t *r = open_db(fx);
    assert_int_equal(gw_store__db_exec(r, "BEGIN"), 0);
    assert_int_equal(one_int(r, "SELECT COUNT(*) FROM t"), 1);
    commit_many(w, 1, 3000, 3000);                             /* about 12,000 frames (each row on overflow pages) */
    WAIT_STAT(w, failures, 1);                                 /* the RESTART gave up waiting for it: logged, nothing lost */
    assert_int_equal(one_int(r, "SELECT COUNT(*) FROM t"), 1); /* its snapshot is intact */
    assert_int_equal(gw_store__db_exec(r, "COMMIT"), 0);
    /* the reader is gone: the next rounds (after the backoff) restart the WAL */
    gw_store_ckpt_stats_t st;
    for (int k = 0; k < 200; k++) {
        commit_many(w, 3001 + k * 20, 20, 300);
        assert_int_equal(gw_store__db_ckpt_stats(w, &st), 0);
        if (st.restarts > 0)
            break;
        sleep_ms(20);
    }
    assert_true(st.restarts > 0);
    assert_intact(r, one_int(w, "SELECT COUNT(*) FROM t"));
    assert_true(one_int(w, "SELECT COUNT(*) FROM t") >= 3001);
    gw_store__db_close(r);
    gw_store__db_close(w);
}

/* A RESTART blocked by a reader is retried once the backoff is over although nothing is committed
 * any more: before, only the writer's next commit asked for another round, so the frames stayed in
 * the WAL of an idle gateway (and this file's overlapping-readers test waited in vain under load). */
static void test_failed_restart_retried_without_commits(void **state)
{
    fx_t *fx = *state;
    gw_store_db_t *w = open_writer(fx);
    assert_int_equal(insert_rows(w, 0, 1, 300), 0);
    gw_store_db_t *r = open_db(fx);
    assert_int_equal(gw_store__db_exec(r, "BEGIN"), 0);
    assert_int_equal(one_int(r, "SELECT COUNT(*) FROM t"), 1);
    commit_many(w, 1, 3000, 3000); /* about 12,000 frames */
    WAIT_STAT(w, failures, 1);     /* the RESTART gave up waiting for the reader */
    assert_int_equal(gw_store__db_exec(r, "COMMIT"), 0);
    gw_store__db_close(r);
    gw_store_ckpt_stats_t st;
    assert_int_equal(gw_store__db_ckpt_stats(w, &st), 0);
    assert_int_equal(st.restarts, 0);
    WAIT_STAT(w, restarts, 1); /* no commit from here on */
    assert_intact(w, 3001);
    gw_store__db_close(w);
}

/* SQLite's memory (gateway/store/store_sqlite_mem.c): no statistics, and the per-thread block lists
 * keep what SQLite's allocator contract asks (sqlite.org/c3ref/mem_methods.html): every block at least
 * the size asked (sqlite3_msize), its bytes kept by a realloc, blocks freed by another thread than
 * the one that allocated them, threads that end with blocks on their lists. */
#define MEM_THREADS 4
#define MEM_BLOCKS 512
static void *mem_pass[MEM_THREADS][MEM_BLOCKS]; /* blocks thread i leaves for thread i + 1 to free */
static pthread_barrier_t mem_barrier;

static unsigned char mem_byte(size_t t, size_t i, size_t k)
{
    return (unsigned char)(t * 31u + i * 7u + k);
}

static void *mem_thread(void *arg)
{
    size_t t = (size_t)(uintptr_t)arg;
    unsigned seed = (unsigned)t + 1u;
    int bad = 0;
    for (size_t i = 0; i < MEM_BLOCKS; i++) {
        int n = 1 + (int)(rand_r(&seed) % 9000u);
        unsigned char *p = sqlite3_malloc(n);
        if (p == NULL || sqlite3_msize(p) < (sqlite3_uint64)n) {
            bad = 1;
            break;
        }
        for (int k = 0; k < n; k++)
            p[k] = mem_byte(t, i, (size_t)k);
        int m = 1 + (int)(rand_r(&seed) % 9000u); /* grow or shrink */
        unsigned char *q = sqlite3_realloc(p, m);
        if (q == NULL || sqlite3_msize(q) < (sqlite3_uint64)m) {
            bad = 1;
            break;
        }
        for (int k = 0; k < (n < m ? n : m); k++)
            bad |= q[k] != mem_byte(t, i, (size_t)k);
        if (i % 2 == 0)
            sqlite3_free(q); /* onto this thread's lists (small) or to malloc (large) */
        else
            mem_pass[t][i] = q;
    }
    pthread_barrier_wait(&mem_barrier);
    size_t from = (t + MEM_THREADS - 1) % MEM_THREADS; /* the previous thread's blocks */
    for (size_t i = 1; i < MEM_BLOCKS; i += 2) {
        unsigned char *q = mem_pass[from][i];
        if (q == NULL)
            continue;
        bad |= q[0] != mem_byte(from, i, 0);
        sqlite3_free(q);
        mem_pass[from][i] = NULL;
    }
    return (void *)(uintptr_t)bad; /* ends with blocks on its lists: freed by the thread's destructor */
}

static void test_sqlite_memory(void **state)
{
    (void)state;
    assert_non_null(gw_store__sqlite_vfs()); /* configured before this process's first use of SQLite */
    void *p = sqlite3_malloc(100);
    assert_non_null(p);
    sqlite3_int64 cur = -1, hi = -1;
    assert_int_equal(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 0), SQLITE_OK);
    assert_int_equal(cur, 0); /* no statistics: SQLite's global memory mutex is not taken per block */
    sqlite3_free(p);
    for (int round = 0; round < 3; round++) {
        pthread_t th[MEM_THREADS];
        assert_int_equal(pthread_barrier_init(&mem_barrier, NULL, MEM_THREADS), 0);
        for (size_t t = 0; t < MEM_THREADS; t++)
            assert_int_equal(pthread_create(&th[t], NULL, mem_thread, (void *)(uintptr_t)t), 0);
        for (size_t t = 0; t < MEM_THREADS; t++) {
            void *bad = NULL;
            pthread_join(th[t], &bad);
            assert_int_equal((int)(uintptr_t)bad, 0);
        }
        pthread_barrier_destroy(&mem_barrier);
    }
    assert_null(sqlite3_realloc(sqlite3_malloc(10), 0)); /* realloc to 0 frees */
    assert_null(sqlite3_malloc(0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_memory), /* first: before any other use of SQLite in this process */
        cmocka_unit_test_setup_teardown(test_commits_are_whole, setup, ts_tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_refused_write_fails_the_commit, setup, ts_tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_checkpoints_run_beside_the_commits, setup, ts_tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_wal_bounded_under_overlapping_readers, setup, ts_tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_restart_blocked_by_a_reader_is_retried, setup, ts_tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_failed_restart_retried_without_commits, setup, ts_tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
