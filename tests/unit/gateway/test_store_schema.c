/*
 * Upgrading an older SQLite store (gateway/store/store_schema.c). A database is built at an older
 * schema version, filled, and migrated to the newest: every row keeps its values and its id, the
 * rules the tables enforce still hold (the ledger is append-only, its `kind` is checked, request id
 * and kind are unique), the indexes the queries use are there, and version 10's point is checked
 * (the ledger, redactions and access log no longer use AUTOINCREMENT: no sqlite_sequence row is
 * written by an insert), and so is version 11's (users and credit_balances are WITHOUT ROWID
 * tables). A fresh database gets the same tables as an upgraded one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>

#include "gateway/store/store_db.h"
#include "store_query.h"
#include "gateway/store/store_schema.h"
#include "support/support.h"

typedef ts_tmpdb_t fx_t;

static int setup(void **state)
{
    return ts_tmpdb_setup(state, "schema");
}

static gw_store_db_t *open_db(const char *path)
{
    char err[256] = "";
    gw_store_db_t *db = gw_store__db_open_sqlite(path, err, sizeof(err));
    if (db == NULL)
        fail_msg("open: %s", err);
    return db;
}

static void migrate_to(gw_store_db_t *db, int version)
{
    char err[256] = "";
    if (gw_store__migrate_to(db, version, 1000, err, sizeof(err)) != 0)
        fail_msg("migrate to %d: %s", version, err);
}

static int64_t one_int(gw_store_db_t *db, const char *sql)
{
    return ts_db_int(db, sql, NULL, NULL);
}

/* Every row of `sql` (its first `ncols` columns) as text, columns joined by '|', rows by '\n' (malloc'ed). */
static char *dump(gw_store_db_t *db, const char *sql, int ncols)
{
    gw_store_stmt_t *s = gw_store__db_prepare(db, sql);
    if (s == NULL)
        fail_msg("prepare %s: %s", sql, gw_store__db_errmsg(db));
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    while (gw_store__step(s) == 1) {
        for (int c = 0; c < ncols; c++) {
            const char *v = gw_store__col_text(s, c);
            len += (size_t)snprintf(out + len, cap - len, "%s%s", c ? "|" : "", v ? v : "NULL");
            assert_true(len < cap);
        }
        len += (size_t)snprintf(out + len, cap - len, "\n");
        assert_true(len < cap);
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    return out;
}

static const char *const TABLES[] = {"ledger", "redactions", "access_log"};
#define NTABLES (sizeof(TABLES) / sizeof(TABLES[0]))

/* The columns of `table` in order, with type, NOT NULL, default and primary-key position. */
static char *columns(gw_store_db_t *db, const char *table)
{
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('%s') ORDER BY cid", table);
    return dump(db, sql, 5);
}

/* Rows of an older store: ids with gaps (and, for the logs, the newest rows purged), values of
 * every column kind. */
static void fill_v9(gw_store_db_t *db)
{
    static const char *const rows[] = {
        "INSERT INTO ledger(id, user_id, request_id, kind, amount_microcredits, at, note, flagged) VALUES"
        " (1, 'alice', 'default-grant:0011', 'grant', 1000, 10, 'default grant', 0),"
        " (2, 'alice', 'r-1', 'reserve', -300, 11, NULL, 0), (5, 'alice', 'r-1', 'settle', 100, 12, 'over', 1),"
        " (9, 'bob', 'g-1', 'adjust', -7, 13, 'manual', 0)",
        "INSERT INTO redactions(id, request_id, user_id, route, field, entity_type, start_off, end_off, action, value_hmac,"
        " at, expires_at, direction) VALUES (3, 'r-1', 'alice', '/v1/chat', 'messages[0]', 'EMAIL_ADDRESS', 4, 20, 'mask',"
        " x'00ff10', 11, 99, 'request'), (4, 'r-1', 'alice', '/v1/chat', 'choices[0]', 'PHONE_NUMBER', 0, 9, 'mask', NULL,"
        " 12, 99, 'response'), (8, 'r-2', 'bob', NULL, NULL, 'IBAN', 1, 2, 'block', NULL, 13, 98, 'request')",
        "INSERT INTO access_log(id, at, request_id, method, route, status, bytes_in, bytes_out, client_ip, user_id,"
        " duration_us, upstream_us, expires_at) VALUES (1, 11, 'r-1', 'POST', '/v1/chat', 200, 10, 20, '127.0.0.1', 'alice',"
        " 500, 400, 77), (2, 12, NULL, 'GET', '/healthz', 200, 0, 2, NULL, NULL, 5, 0, 78), (6, 13, 'r-2', 'POST',"
        " '/v1/chat', 402, 9, 30, '::1', 'bob', 40, 0, 79)",
        /* the newest log rows were purged: sqlite_sequence is ahead of the largest live id */
        ("INSERT INTO access_log(id, at, method, status, bytes_in, bytes_out, duration_us, upstream_us, expires_at)"
         " VALUES (40, 14, 'GET', 200, 0, 0, 1, 0, 1)"),
        "DELETE FROM access_log WHERE id = 40",
    };
    ts_db_exec_all(db, rows, sizeof(rows) / sizeof(rows[0]));
    assert_int_equal(one_int(db, "SELECT seq FROM sqlite_sequence WHERE name = 'access_log'"), 40);
}
/* Tables an upgrade must keep: n of them, table t read by contents[t] (its first ncols[t] columns) and described by
 * cols(db, tables[t]). */
typedef struct st_tables_t {
    size_t n;
    const char *const *tables, *const *contents;
    const int *ncols;
    char *(*cols)(gw_store_db_t *db, const char *table);
} tables_t;

typedef struct st_table_snap_t {
    char *rows, *cols; /* malloc'ed */
} table_snap_t;

/* The rows and columns of every table of `t` now (snap[0..t->n)). */
static void snap_tables(gw_store_db_t *db, const tables_t *t, table_snap_t *snap)
{
    for (size_t i = 0; i < t->n; i++) {
        snap[i].rows = dump(db, t->contents[i], t->ncols[i]);
        snap[i].cols = t->cols(db, t->tables[i]);
    }
}

/* Every table of `t` still has the rows and columns of `snap` (then freed). */
static void assert_tables_kept(gw_store_db_t *db, const tables_t *t, table_snap_t *snap)
{
    for (size_t i = 0; i < t->n; i++) {
        char *rows = dump(db, t->contents[i], t->ncols[i]), *cols = t->cols(db, t->tables[i]);
        assert_string_equal(rows, snap[i].rows);
        assert_string_equal(cols, snap[i].cols);
        free(rows);
        free(cols);
        free(snap[i].rows);
        free(snap[i].cols);
    }
}

static void test_upgrade_from_v9(void **state)
{
    fx_t *fx = *state;
    gw_store_db_t *db = open_db(fx->path);
    migrate_to(db, 9);
    assert_int_equal(one_int(db, "SELECT MAX(version) FROM schema_version"), 9);
    fill_v9(db);
    static const int ncols[NTABLES] = {8, 13, 13};
    static const char *const contents[NTABLES] = {
        "SELECT id, user_id, request_id, kind, amount_microcredits, at, note, flagged FROM ledger ORDER BY id",
        "SELECT id, request_id, user_id, route, field, entity_type, start_off, end_off, action, hex(value_hmac), at,"
        " expires_at, direction FROM redactions ORDER BY id",
        "SELECT id, at, request_id, method, route, status, bytes_in, bytes_out, client_ip, user_id, duration_us, upstream_us,"
        " expires_at FROM access_log ORDER BY id",
    };
    const tables_t tabs = {NTABLES, TABLES, contents, ncols, columns};
    table_snap_t snap[NTABLES];
    snap_tables(db, &tabs, snap);
    char *indexes = dump(db,
                         "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger')"
                         " AND tbl_name IN ('ledger', 'redactions', 'access_log') ORDER BY name",
                         3);
    gw_store__db_close(db);

    db = open_db(fx->path);
    migrate_to(db, gw_store__schema_version());
    assert_int_equal(one_int(db, "SELECT MAX(version) FROM schema_version"), gw_store__schema_version());
    /* same rows, same ids, same columns, same indexes and triggers (the ledger's triggers are recreated
     * with the text versions 2 and 5 gave them) */
    assert_tables_kept(db, &tabs, snap);
    char *indexes_after = dump(db,
                               "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger')"
                               " AND tbl_name IN ('ledger', 'redactions', 'access_log') ORDER BY name",
                               3);
    assert_string_equal(indexes_after, indexes);
    assert_non_null(strstr(indexes_after, "ledger_user|ledger|"));
    assert_non_null(strstr(indexes_after, "sqlite_autoindex_ledger_1|ledger|"));
    assert_non_null(strstr(indexes_after, "access_log_expires|access_log|"));
    assert_non_null(strstr(indexes_after, "redactions_at|redactions|"));
    free(indexes);
    free(indexes_after);
    /* version 10: no AUTOINCREMENT left, nothing in sqlite_sequence for these tables */
    assert_int_equal(one_int(db, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'"), 0);
    assert_int_equal(one_int(db, "SELECT COUNT(*) FROM sqlite_sequence"), 0);

    /* the ledger's rules hold: append-only, kind checked, (request id, kind) unique, user id re-keyable */
    assert_int_not_equal(gw_store__db_exec(db, "DELETE FROM ledger WHERE id = 2"), 0);
    assert_int_not_equal(gw_store__db_exec(db, "UPDATE ledger SET amount_microcredits = 1 WHERE id = 2"), 0);
    assert_int_not_equal(gw_store__db_exec(db, "UPDATE ledger SET note = 'x' WHERE id = 2"), 0);
    assert_int_not_equal(gw_store__db_exec(db, "INSERT INTO ledger(user_id, request_id, kind, amount_microcredits, at)"
                                               " VALUES ('alice', 'r-9', 'gift', 1, 1)"),
                         0);
    assert_int_not_equal(gw_store__db_exec(db, "INSERT INTO ledger(user_id, request_id, kind, amount_microcredits, at)"
                                               " VALUES ('alice', 'r-1', 'reserve', -1, 1)"),
                         0);
    assert_int_equal(gw_store__db_exec(db, "INSERT INTO ledger(user_id, request_id, kind, amount_microcredits, at)"
                                           " VALUES ('alice', 'r-1', 'reserve', -1, 1) ON CONFLICT (request_id, kind) DO NOTHING"),
                     0);
    assert_int_equal(one_int(db, "SELECT COUNT(*) FROM ledger"), 4);
    assert_int_equal(gw_store__db_exec(db, "UPDATE ledger SET user_id = 'erased:x' WHERE user_id = 'alice'"), 0);
    assert_int_equal(gw_store__db_exec(db, "UPDATE ledger SET request_id = 'default-grant:0022' WHERE id = 1"), 0);
    /* every kind is accepted, and new rows continue the ids */
    static const char *const kinds[] = {"grant", "reserve", "settle", "refund", "adjust"};
    for (size_t k = 0; k < 5; k++) {
        char sql[200];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO ledger(user_id, request_id, kind, amount_microcredits, at) VALUES ('bob', 'n-1', '%s', 1, 20)",
                 kinds[k]);
        assert_int_equal(gw_store__db_exec(db, sql), 0);
    }
    assert_int_equal(one_int(db, "SELECT MIN(id) FROM ledger WHERE request_id = 'n-1'"), 10);
    assert_int_equal(gw_store__db_exec(db, "INSERT INTO access_log(at, method, status, bytes_in, bytes_out, duration_us,"
                                           " upstream_us, expires_at) VALUES (15, 'GET', 200, 0, 0, 1, 0, 2)"),
                     0);
    assert_int_equal(one_int(db, "SELECT MAX(id) FROM access_log"), 7);
    assert_int_equal(one_int(db, "SELECT COUNT(*) FROM sqlite_sequence"), 0);
    ts_db_integrity_ok(db);
    gw_store__db_close(db);
}

/* The columns of `table` as columns() gives them, except that a primary-key column's NOT NULL
 * flag is left out: a WITHOUT ROWID table's key is NOT NULL (SQL's rule), a rowid table's TEXT
 * PRIMARY KEY did not say so (SQLite let NULL keys through for compatibility). */
static char *columns_key_notnull(gw_store_db_t *db, const char *table)
{
    char sql[240];
    snprintf(sql, sizeof(sql),
             "SELECT name, type, CASE WHEN pk > 0 THEN 'key' ELSE \"notnull\" END, dflt_value, pk FROM pragma_table_info('%s')"
             " ORDER BY cid",
             table);
    return dump(db, sql, 5);
}

/* Version 11: users and credit_balances become WITHOUT ROWID tables (one B-tree each, no
 * sqlite_autoindex_*); every row, column and key rule stays, and the key is now NOT NULL. */
static void test_upgrade_keyed_v11(void **state)
{
    fx_t *fx = *state;
    gw_store_db_t *db = open_db(fx->path);
    migrate_to(db, 10);
    static const char *const rows[] = {
        "INSERT INTO users(id, data_key_wrapped, key_id, consent_training, consent_at, created_at) VALUES"
        " ('alice', x'0102030405', 'k1', 1, 77, 10), ('bob', x'ff', 'k1', 0, NULL, 11), ('carol@x', x'00', 'k0', 0, NULL, 12)",
        "INSERT INTO credit_balances(user_id, balance, reserved, updated_at) VALUES ('alice', 700, 300, 20), ('bob', -5, 0, 21)",
    };
    ts_db_exec_all(db, rows, sizeof(rows) / sizeof(rows[0]));
    static const char *const tables[] = {"users", "credit_balances"};
    static const char *const contents[] = {
        "SELECT id, hex(data_key_wrapped), key_id, consent_training, consent_at, created_at FROM users ORDER BY id",
        "SELECT user_id, balance, reserved, updated_at FROM credit_balances ORDER BY user_id",
    };
    static const int ncols[] = {6, 4};
    const tables_t tabs = {2, tables, contents, ncols, columns_key_notnull};
    table_snap_t snap[2];
    snap_tables(db, &tabs, snap);
    assert_int_equal(one_int(db, "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('sqlite_autoindex_users_1',"
                                 " 'sqlite_autoindex_credit_balances_1')"),
                     2);
    gw_store__db_close(db);

    db = open_db(fx->path);
    migrate_to(db, gw_store__schema_version());
    assert_tables_kept(db, &tabs, snap);
    /* one B-tree per table: no rowid, no separate key index */
    assert_int_equal(one_int(db, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('users', 'credit_balances')"
                                 " AND sql LIKE '%WITHOUT ROWID'"),
                     2);
    assert_int_equal(one_int(db, "SELECT COUNT(*) FROM sqlite_schema WHERE tbl_name IN ('users', 'credit_balances')"
                                 " AND type <> 'table'"),
                     0);
    assert_int_not_equal(gw_store__db_exec(db, "SELECT rowid FROM users"), 0);
    /* the key rules hold: unique, not NULL, the columns' NOT NULL and defaults */
    assert_int_not_equal(
        gw_store__db_exec(db, "INSERT INTO users(id, data_key_wrapped, key_id, created_at) VALUES ('bob', x'00', 'k', 1)"), 0);
    assert_int_not_equal(
        gw_store__db_exec(db, "INSERT INTO users(id, data_key_wrapped, key_id, created_at) VALUES (NULL, x'00', 'k', 1)"), 0);
    assert_int_not_equal(gw_store__db_exec(db, "INSERT INTO users(id, key_id, created_at) VALUES ('dave', 'k', 1)"), 0);
    assert_int_not_equal(gw_store__db_exec(db, "INSERT INTO credit_balances(user_id, balance, updated_at) VALUES ('alice', 1, 1)"),
                         0);
    assert_int_equal(gw_store__db_exec(db, "INSERT INTO credit_balances(user_id, balance, updated_at) VALUES ('dave', 1, 1)"), 0);
    assert_int_equal(one_int(db, "SELECT reserved FROM credit_balances WHERE user_id = 'dave'"), 0);
    assert_int_equal(gw_store__db_exec(db, "UPDATE credit_balances SET balance = balance + 5, reserved = reserved - 300"
                                           " WHERE user_id = 'alice'"),
                     0);
    assert_int_equal(one_int(db, "SELECT balance + reserved FROM credit_balances WHERE user_id = 'alice'"), 705);
    ts_db_integrity_ok(db);
    gw_store__db_close(db);
}

/* A fresh database and an upgraded one have the same tables, indexes and triggers. */
static void test_fresh_equals_upgraded(void **state)
{
    fx_t *fx = *state;
    char fresh[160];
    snprintf(fresh, sizeof(fresh), "%s/fresh.db", fx->dir);
    gw_store_db_t *up = open_db(fx->path), *nw = open_db(fresh);
    migrate_to(up, 9);
    migrate_to(up, gw_store__schema_version());
    migrate_to(nw, gw_store__schema_version());
    const char *sql = "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";
    char *a = dump(up, sql, 4), *b = dump(nw, sql, 4);
    assert_string_equal(a, b);
    free(a);
    free(b);
    gw_store__db_close(up);
    gw_store__db_close(nw);
}

/* A database this build creates has 1 KiB pages (store_sqlite.c GW_SQLITE_PAGE_SIZE_STR); one made
 * with another page size keeps it when opened and migrated. */
static void test_page_size(void **state)
{
    fx_t *fx = *state;
    gw_store_db_t *db = open_db(fx->path);
    migrate_to(db, gw_store__schema_version());
    assert_int_equal(one_int(db, "PRAGMA page_size"), 1024);
    assert_int_equal(gw_store__db_exec(db, "INSERT INTO access_log(at, method, status, bytes_in, bytes_out, duration_us,"
                                           " upstream_us, expires_at) VALUES (1, 'GET', 200, 0, 0, 1, 0, 2)"),
                     0);
    /* an older file: 4 KiB pages (SQLite's default), version 9 */
    char old[160];
    snprintf(old, sizeof(old), "%s/old.db", fx->dir);
    gw_store_db_t *o = open_db(old);
    assert_int_equal(gw_store__db_exec(o, "PRAGMA journal_mode=DELETE; PRAGMA page_size=4096; VACUUM; PRAGMA journal_mode=WAL"), 0);
    migrate_to(o, 9);
    fill_v9(o);
    gw_store__db_close(o);
    o = open_db(old);
    assert_int_equal(one_int(o, "PRAGMA page_size"), 4096);
    migrate_to(o, gw_store__schema_version());
    assert_int_equal(one_int(o, "PRAGMA page_size"), 4096);
    assert_int_equal(one_int(o, "SELECT COUNT(*) FROM ledger"), 4);
    gw_store__db_close(o);
    gw_store__db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_upgrade_from_v9, setup, ts_tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_keyed_v11, setup, ts_tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_fresh_equals_upgraded, setup, ts_tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_page_size, setup, ts_tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
