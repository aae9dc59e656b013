/*
 * Test helper: searches every column of every table of a store database for a string (issue
 * 14: after an erasure no column of any table may hold the user id). The table and column
 * lists come from the database itself (sqlite_master + pragma_table_info, or PostgreSQL's
 * information_schema for one schema), so a table added later is searched without editing tests.
 */
#ifndef AIGW_TESTS_STORE_SEARCH_H
#define AIGW_TESTS_STORE_SEARCH_H

#include <stdio.h>
#include <string.h>

#include "gateway/store/store_db.h"

/**
 * Counts the (table, column) pairs of `db` where some row contains `needle` (as text or as bytes
 * of a blob); prints each hit to stderr. `schema` is the PostgreSQL schema (ignored for SQLite).
 * @return the number of pairs with a hit, or -1 when the catalogue could not be read (or held no
 *         table: a search over nothing must not pass).
 */
static inline int store_search_everywhere(gw_store_db_t *db, int pg, const char *schema, const char *needle)
{
    /* Every column: the store has 115 on SQLite (a cap of 64 searched only the tables the catalogue
     * happened to list first: on PostgreSQL its order varies, and SQLite's schema version 10 moved
     * the rebuilt ledger and log tables to its end). More than fit fails the search. */
    enum { MAXCOLS = 512 };
    static char tables[MAXCOLS][64], cols[MAXCOLS][64];
    static int bytea[MAXCOLS];
    size_t ncols_total = 0;
    int overflow = 0;
    int hits = 0;
    gw_store_stmt_t *s =
        pg ? gw_store__db_prepare(
                 db,
                 "SELECT table_name, column_name, CASE WHEN data_type = 'bytea' THEN 1 ELSE 0 END FROM information_schema.columns "
                 "WHERE table_schema = ?")
           : gw_store__db_prepare(db, "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
                                      "WHERE m.type = 'table'");
    if (s == NULL)
        return -1;
    if (pg)
        gw_store__bind_text(s, 1, schema);
    while (gw_store__step(s) == 1) {
        if (ncols_total == MAXCOLS) {
            overflow = 1;
            break;
        }
        snprintf(tables[ncols_total], sizeof(tables[0]), "%s", gw_store__col_text(s, 0));
        snprintf(cols[ncols_total], sizeof(cols[0]), "%s", gw_store__col_text(s, 1));
        bytea[ncols_total] = pg && gw_store__col_int64(s, 2) != 0;
        ncols_total++;
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    if (ncols_total == 0 || overflow)
        return -1;
    for (size_t i = 0; i < ncols_total; i++) {
        char sql[512];
        if (pg && bytea[i])
            snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM \"%s\" WHERE position(convert_to(?, 'UTF8') in \"%s\") > 0", tables[i],
                     cols[i]);
        else if (pg)
            snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM \"%s\" WHERE position(? in \"%s\"::text) > 0", tables[i], cols[i]);
        else
            snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM \"%s\" WHERE instr(CAST(\"%s\" AS BLOB), CAST(? AS BLOB)) > 0",
                     tables[i], cols[i]);
        gw_store_stmt_t *q = gw_store__db_prepare(db, sql);
        if (q == NULL)
            return -1;
        gw_store__bind_text(q, 1, needle);
        int64_t n = gw_store__step(q) == 1 ? gw_store__col_int64(q, 0) : -1;
        gw_store__reset(q);
        gw_store__db_finalize(q);
        if (n < 0)
            return -1;
        if (n > 0) {
            fprintf(stderr, "store_search: %s.%s holds \"%s\" in %lld row(s)\n", tables[i], cols[i], needle, (long long)n);
            hits++;
        }
    }
    return hits;
}

#endif
