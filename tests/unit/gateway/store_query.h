/*
 * Raw reads of a store database in the store's unit tests, through the store's own SQL layer (store_db.h, `?`
 * placeholders), so a check reads the same on SQLite and PostgreSQL. One copy of what six suites had each written
 * for themselves (raw_int, raw_count, one_int). cmocka: a failing statement fails the test. Static: include from the
 * suite's .c file (or its fixture header).
 */
#ifndef AIGW_TESTS_STORE_QUERY_H
#define AIGW_TESTS_STORE_QUERY_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "support/support.h"

/* The first column of the first row of `sql` on `db` (borrowed) as an integer, with up to two text parameters
 * (`a1`, `a2`; NULL: not bound). A query without a row returns `none` when `none_ok`, else fails the test. */
static inline int64_t ts_db_int_row(gw_store_db_t *db, const char *sql, const char *a1, const char *a2, int none_ok, int64_t none)
{
    gw_store_stmt_t *s = gw_store__db_prepare(db, sql);
    if (s == NULL)
        fail_msg("prepare %s: %s", sql, gw_store__db_errmsg(db));
    if (a1 != NULL)
        gw_store__bind_text(s, 1, a1);
    if (a2 != NULL)
        gw_store__bind_text(s, 2, a2);
    int rc = gw_store__step(s);
    if (rc < 0)
        fail_msg("%s: %s", sql, gw_store__db_errmsg(db));
    if (rc == 0 && !none_ok)
        fail_msg("%s: no row", sql);
    int64_t v = rc == 1 ? gw_store__col_int64(s, 0) : none;
    gw_store__reset(s);
    gw_store__db_finalize(s);
    return v;
}

/* ts_db_int_row that requires a row. */
static inline int64_t ts_db_int(gw_store_db_t *db, const char *sql, const char *a1, const char *a2)
{
    return ts_db_int_row(db, sql, a1, a2, 0, 0);
}

/* SQLite: PRAGMA integrity_check of `db` answers "ok", else the test fails with its first finding. */
static inline void ts_db_integrity_ok(gw_store_db_t *db)
{
    gw_store_stmt_t *s = gw_store__db_prepare(db, "PRAGMA integrity_check");
    assert_non_null(s);
    assert_int_equal(gw_store__step(s), 1);
    assert_string_equal(gw_store__col_text(s, 0), "ok");
    gw_store__reset(s);
    gw_store__db_finalize(s);
}

/* The SQLite-only suites' fixture: a private temporary directory (tests/support ts_tmpdir_make) and the path of a
 * database file in it, "DIR/t.db" (not created). */
typedef struct st_ts_tmpdb_t {
    char dir[64];
    char path[128];
} ts_tmpdb_t;

/* cmocka setup body: a new ts_tmpdb_t in *state, its directory named after `name`. @return 0, or -1. */
static inline int ts_tmpdb_setup(void **state, const char *name)
{
    ts_tmpdb_t *fx = calloc(1, sizeof(*fx));
    if (fx == NULL || ts_tmpdir_make(fx->dir, sizeof(fx->dir), name) != 0) {
        free(fx);
        return -1;
    }
    snprintf(fx->path, sizeof(fx->path), "%s/t.db", fx->dir);
    *state = fx;
    return 0;
}

/* cmocka teardown: removes the directory with everything in it and frees the fixture. @return 0, or -1. */
static inline int ts_tmpdb_teardown(void **state)
{
    ts_tmpdb_t *fx = *state;
    int rc = ts_tmpdir_remove(fx->dir);
    free(fx);
    return rc;
}

/* Runs the `n` statements of `sql` in one transaction on `db`; a failing one fails the test with its message. */
static inline void ts_db_exec_all(gw_store_db_t *db, const char *const *sql, size_t n)
{
    assert_int_equal(gw_store__db_exec(db, "BEGIN"), 0);
    for (size_t i = 0; i < n; i++)
        if (gw_store__db_exec(db, sql[i]) != 0)
            fail_msg("%s: %s", sql[i], gw_store__db_errmsg(db));
    assert_int_equal(gw_store__db_exec(db, "COMMIT"), 0);
}

/* One integer from `sql` (one text parameter `a1`, NULL: none) on a connection of its own to the SQLite file `path`. */
static inline int64_t ts_sqlite_int(const char *path, const char *sql, const char *a1)
{
    char err[256];
    gw_store_db_t *db = gw_store__db_open_sqlite(path, err, sizeof(err));
    if (db == NULL)
        fail_msg("open %s: %s", path, err);
    int64_t n = ts_db_int(db, sql, a1, NULL);
    gw_store__db_close(db);
    return n;
}

/* Runs `sql` on a connection of its own to the SQLite file `path`; an error fails the test. */
static inline void ts_sqlite_exec(const char *path, const char *sql)
{
    char err[256];
    gw_store_db_t *db = gw_store__db_open_sqlite(path, err, sizeof(err));
    if (db == NULL)
        fail_msg("open %s: %s", path, err);
    if (gw_store__db_exec(db, sql) != 0)
        fail_msg("%s: %s", sql, gw_store__db_errmsg(db));
    gw_store__db_close(db);
}

/* A small finished-call record (OpenAI chat, status 200, a 7-byte request body) of `rid` for user `u`; owned by the caller
 * (gw_call_rec_free), or by the store once handed over. */
static inline gw_call_rec_t *ts_call_rec(const char *rid, const char *u)
{
    gw_call_rec_t *r = calloc(1, sizeof(*r));
    if (r == NULL)
        fail_msg("out of memory");
    snprintf(r->request_id, sizeof(r->request_id), "%s", rid);
    r->user_id = strdup(u);
    r->client = strdup("test");
    snprintf(r->provider, sizeof(r->provider), "openai");
    r->model = strdup("gpt-4o-mini");
    r->route = strdup("/v1/chat/completions");
    r->status = 200;
    r->request_body = strdup("{\"q\":1}");
    r->request_len = strlen(r->request_body);
    return r;
}

#endif
