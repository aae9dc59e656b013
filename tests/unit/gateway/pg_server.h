/*
 * Test helper: the PostgreSQL server of a PostgreSQL test group. AIGW_TEST_PG_DSN names a running
 * server; otherwise a throwaway one from scripts/pg-test-server.sh in a directory of the calling
 * suite's own (the script's directory, AIGW_PG_DIR or one per checkout, + "-" + suffix): ctest runs
 * the PostgreSQL suites in parallel, and a server one of them started must not be stopped under
 * another (nor under another checkout's run).
 */
#ifndef AIGW_TESTS_PG_SERVER_H
#define AIGW_TESTS_PG_SERVER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/store/store_db.h"

/* Runs scripts/pg-test-server.sh `verb` for `suffix`; its first output line goes to `out` (may be NULL).
 * @return 1 when it succeeded and (with `out`) printed a line, else 0. */
static inline int pg_server_run(const char *verb, const char *suffix, char *out, size_t outlen)
{
    const char *src = getenv("AIGW_SOURCE_DIR");
    char cmd[600], line[512];
    snprintf(cmd, sizeof(cmd), "AIGW_PG_SUFFIX='%s' '%s/scripts/pg-test-server.sh' %s%s", suffix, src ? src : ".", verb,
             strcmp(verb, "dsn") == 0 ? " 2>/dev/null" : "");
    FILE *f = popen(cmd, "r");
    if (f == NULL)
        return 0;
    int got = fgets(line, sizeof(line), f) != NULL;
    int ok = pclose(f) == 0;
    if (out != NULL) {
        if (!got)
            return 0;
        line[strcspn(line, "\n")] = '\0';
        snprintf(out, outlen, "%s", line);
    }
    return ok || (got && strcmp(verb, "dsn") == 0);
}

/**
 * The base DSN of the group's server in `dsn`: AIGW_TEST_PG_DSN, else a running throwaway server
 * for `suffix`, else one started now (*started = 1: stop it with pg_server_stop).
 * @return 0, or -1 (printed) when no server could be had.
 */
static inline int pg_server_get(const char *suffix, char *dsn, size_t dsnlen, int *started)
{
    const char *env = getenv("AIGW_TEST_PG_DSN");
    *started = 0;
    if (env != NULL && env[0] != '\0') {
        snprintf(dsn, dsnlen, "%s", env);
        return 0;
    }
    if (pg_server_run("dsn", suffix, dsn, dsnlen))
        return 0;
    if (!pg_server_run("start", suffix, dsn, dsnlen)) {
        fprintf(stderr, "cannot start PostgreSQL with scripts/pg-test-server.sh (set AIGW_TEST_PG_DSN to use a running server)\n");
        return -1;
    }
    *started = 1;
    return 0;
}

/** Stops the server pg_server_get started (started = 0: nothing). @return 0 or -1. */
static inline int pg_server_stop(const char *suffix, int started)
{
    return !started || pg_server_run("stop", suffix, NULL, 0) ? 0 : -1;
}

/**
 * Creates `schema` (a test's own, e.g. "t_<pid>_<n>") on the server of `base_dsn` and writes the DSN
 * whose search_path is that schema to `dsn` (a store opened with it sees only the test's tables).
 * @return 0, or -1 (printed) when the server or the statement failed.
 */
static inline int pg_schema_create(const char *base_dsn, const char *schema, char *dsn, size_t dsnlen)
{
    char err[256], sql[128];
    gw_store_db_t *db = gw_store__db_open_pg(base_dsn, err, sizeof(err));
    if (db == NULL) {
        fprintf(stderr, "pg: %s\n", err);
        return -1;
    }
    snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
    int rc = gw_store__db_exec(db, sql);
    if (rc != 0)
        fprintf(stderr, "pg: %s: %s\n", sql, gw_store__db_errmsg(db));
    gw_store__db_close(db);
    if (rc != 0)
        return -1;
    snprintf(dsn, dsnlen, "%s options='-csearch_path=%s'", base_dsn, schema);
    return 0;
}

/** Drops a schema pg_schema_create made, with everything in it (errors ignored: the server goes at the end). */
static inline void pg_schema_drop(const char *base_dsn, const char *schema)
{
    char err[256], sql[128];
    gw_store_db_t *db = gw_store__db_open_pg(base_dsn, err, sizeof(err));
    snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", schema);
    if (db != NULL)
        gw_store__db_exec(db, sql);
    gw_store__db_close(db);
}

#endif
