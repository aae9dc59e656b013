/*
 * The store's SQLite VFS shim (gateway/store/store_sqlite_vfs.c): a transaction's WAL frames are
 * gathered into few writes. What must not change: every committed row is there for another
 * connection and after a reopen (a commit larger than one 64 KiB write included), and a write
 * the file system refuses fails the COMMIT itself (not a later, unrelated statement), leaving the
 * database intact without the failed transaction's rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/store/store_db.h"
#include "support/support.h"

typedef struct st_fx_t {
    char dir[64];
    char path[128];
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    if (ts_tmpdir_make(fx->dir, sizeof(fx->dir), "vfs") != 0)
        return -1;
    snprintf(fx->path, sizeof(fx->path), "%s/t.db", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    int rc = ts_tmpdir_remove(fx->dir);
    free(fx);
    return rc;
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
    gw_store_stmt_t *s = gw_store__db_prepare(db, sql);
    assert_non_null(s);
    assert_int_equal(gw_store__step(s), 1);
    int64_t v = gw_store__col_int64(s, 0);
    gw_store__reset(s);
    gw_store__db_finalize(s);
    return v;
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
    gw_store_stmt_t *s = gw_store__db_prepare(w, "PRAGMA integrity_check");
    assert_int_equal(gw_store__step(s), 1);
    assert_string_equal(gw_store__col_text(s, 0), "ok");
    gw_store__reset(s);
    gw_store__db_finalize(s);
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
    gw_store_stmt_t *s = gw_store__db_prepare(w, "PRAGMA integrity_check");
    assert_int_equal(gw_store__step(s), 1);
    assert_string_equal(gw_store__col_text(s, 0), "ok");
    gw_store__reset(s);
    gw_store__db_finalize(s);
    /* and it takes new commits again */
    assert_int_equal(insert_rows(w, 200, 5, 3000), 0);
    assert_int_equal(one_int(w, "SELECT COUNT(*) FROM t"), 15);
    gw_store__db_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commits_are_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_write_fails_the_commit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
