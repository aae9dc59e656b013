/*
 * Test helper: searches every column of every table of a store database for a string (issue
 * 14: after an erasure no column of any table may hold the user id). The table and column
 * lists come from the database itself (sqlite_master + pragma_table_info, or PostgreSQL's
 * information_schema for one schema), so a table added later is searched without editing tests.
 */
#ifndef AIGW_TESTS_STORE_SEARCH_H
#define AIGW_TESTS_STORE_SEARCH_H

#include <stdio.h>
#include <stdlib.h>
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
    /* every column of every table: no cap (a capped list once left whole tables unsearched, and on
     * PostgreSQL which ones depended on the catalogue's order) */
    struct {
        char table[64], col[64];
        int bytea;
    } *c = NULL;
    size_t ncols_total = 0, cap = 0;
    int hits = 0, bad = 0;
    gw_store_stmt_t *s =
        pg ? gw_store__db_prepare(
                 db,
                 "SELECT table_name, column_name, CASE WHEN data_type = 'bytea' THEN 1 ELSE 0 END FROM information_schema.columns "
                 "WHERE table_schema = ? ORDER BY table_name, column_name")
           : gw_store__db_prepare(db, "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
                                      "WHERE m.type = 'table' ORDER BY m.name, p.name");
    if (s == NULL)
        return -1;
    if (pg)
        gw_store__bind_text(s, 1, schema);
    while (!bad && gw_store__step(s) == 1) {
        if (ncols_total == cap) {
            void *n = realloc(c, (cap = cap ? 2 * cap : 64) * sizeof(*c));
            if (n == NULL) {
                bad = 1;
                break;
            }
            c = n;
        }
        const char *t = gw_store__col_text(s, 0), *col = gw_store__col_text(s, 1);
        /* a name that does not fit would be searched under another name: refuse instead */
        bad = t == NULL || col == NULL || strlen(t) >= sizeof(c->table) || strlen(col) >= sizeof(c->col);
        if (!bad) {
            snprintf(c[ncols_total].table, sizeof(c->table), "%s", t);
            snprintf(c[ncols_total].col, sizeof(c->col), "%s", col);
            c[ncols_total].bytea = pg && gw_store__col_int64(s, 2) != 0;
            ncols_total++;
        }
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    if (bad || ncols_total == 0) {
        free(c);
        return -1;
    }
    for (size_t i = 0; i < ncols_total; i++) {
        char sql[512];
        const char *table = c[i].table, *col = c[i].col;
        if (pg && c[i].bytea)
            snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM \"%s\" WHERE position(convert_to(?, 'UTF8') in \"%s\") > 0", table,
                     col);
        else if (pg)
            snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM \"%s\" WHERE position(? in \"%s\"::text) > 0", table, col);
        else
            snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM \"%s\" WHERE instr(CAST(\"%s\" AS BLOB), CAST(? AS BLOB)) > 0", table,
                     col);
        gw_store_stmt_t *q = gw_store__db_prepare(db, sql);
        if (q == NULL) {
            free(c);
            return -1;
        }
        gw_store__bind_text(q, 1, needle);
        int64_t n = gw_store__step(q) == 1 ? gw_store__col_int64(q, 0) : -1;
        gw_store__reset(q);
        gw_store__db_finalize(q);
        if (n < 0) {
            free(c);
            return -1;
        }
        if (n > 0) {
            fprintf(stderr, "store_search: %s.%s holds \"%s\" in %lld row(s)\n", table, col, needle, (long long)n);
            hits++;
        }
    }
    free(c);
    return hits;
}

#endif
