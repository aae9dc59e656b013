/*
 * Shared fixtures of the privacy store suites (tests/unit/gateway/test_store_*.c, one file per
 * concern: calls, retention, erasure and export, keys, predictions). Each suite runs its tests twice:
 * once on SQLite (a fresh file per test) and once on PostgreSQL (a fresh schema per test on a real
 * server: the one in AIGW_TEST_PG_DSN, or one the suite starts with scripts/pg-test-server.sh in a
 * directory of its own and stops again; pg_server.h). Raw checks of what is on disk go through the
 * store's own SQL layer (store_db.h), so they read the same way on both backends. Include once, from
 * the suite's .c file: the helpers are static.
 */
#ifndef AIGW_TESTS_STORE_FIXTURE_H
#define AIGW_TESTS_STORE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gateway/store/keyfile.h"
#include "gateway/accesslog.h"
#include "store_query.h"
#include "gateway/store/store.h"
#include "gateway/store/store_schema.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_ledger.h"
#include "gateway/store/store_predict.h"
#include "pg_server.h"
#include "store_search.h"
#include "policy/crypto.h"

#define DAY POL_RET_US_PER_DAY
#define T0 INT64_C(1763700000000000) /* 2025-11-21 */

static int use_pg;            /* the group running now is PostgreSQL's */
static char pg_base_dsn[512]; /* its server (pg_server.h) */
static int pg_started_here;   /* this binary started that server: it stops it */
static const char *pg_suffix; /* the server directory's suffix (pg_server.h): "store", shared by the store suites */
static int seq;               /* schemas made so far */

typedef struct st_fx_t {
    char dir[256];
    char db[320];
    char key[340];
    char schema[64];
    char dsn[700];
    int64_t clock;
    gw_store_t *st;
} fx_t;

static inline int64_t fx_clock(void *ctx)
{
    return *(int64_t *)ctx;
}

/* ---- fixtures ---- */

static inline gw_store_db_t *raw_open(fx_t *fx)
{
    char err[256];
    gw_store_db_t *db =
        use_pg ? gw_store__db_open_pg(fx->dsn, err, sizeof(err)) : gw_store__db_open_sqlite(fx->db, err, sizeof(err));
    if (db == NULL)
        fail_msg("raw open: %s", err);
    return db;
}

static inline int64_t raw_count(fx_t *fx, const char *sql, const char *arg)
{
    gw_store_db_t *db = raw_open(fx);
    int64_t n = ts_db_int(db, sql, arg, NULL);
    gw_store__db_close(db);
    return n;
}

static inline void raw_exec(fx_t *fx, const char *sql)
{
    gw_store_db_t *db = raw_open(fx);
    if (gw_store__db_exec(db, sql) != 0)
        fail_msg("exec %s: %s", sql, gw_store__db_errmsg(db));
    gw_store__db_close(db);
}

static inline void write_key(const char *path)
{
    char err[256];
    pol_key_t *k = pol_key_new_random();
    unlink(path);
    if (gw_keyfile_write(path, k, err, sizeof(err)) != 0)
        fail_msg("keyfile: %s", err);
    pol_key_free(k);
}

static inline gw_store_t *open_store_ex(fx_t *fx, const char *retention, const char *log_bodies, const char *extra, const char *key,
                                        char *err, size_t errlen)
{
    char cfg[1024];
    if (use_pg)
        snprintf(cfg, sizeof(cfg), "{\"driver\":\"postgres\",\"dsn\":\"%s\",\"purge_interval_s\":0%s}", fx->dsn,
                 extra ? extra : "");
    else
        snprintf(cfg, sizeof(cfg), "{\"driver\":\"sqlite\",\"path\":\"%s\",\"purge_interval_s\":0%s}", fx->db, extra ? extra : "");
    json_t *sc = json_loads(cfg, 0, NULL);
    json_t *rc = retention ? json_loads(retention, 0, NULL) : NULL;
    json_t *lb = log_bodies ? json_string(log_bodies) : NULL;
    assert_non_null(sc);
    gw_store_t *st = gw_store_open(sc, rc, lb, key ? key : fx->key, err, errlen);
    json_decref(sc);
    json_decref(rc);
    json_decref(lb);
    if (st != NULL)
        gw_store_set_clock(st, fx_clock, &fx->clock);
    return st;
}

static inline gw_store_t *open_store(fx_t *fx, const char *retention)
{
    char err[512] = "";
    gw_store_t *st = open_store_ex(fx, retention, NULL, NULL, NULL, err, sizeof(err));
    if (st == NULL)
        fail_msg("open: %s", err);
    return st;
}

static inline int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/aigw-test-store-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->db, sizeof(fx->db), "%s/aigw.db", fx->dir);
    snprintf(fx->key, sizeof(fx->key), "%s/master.key", fx->dir);
    write_key(fx->key);
    fx->clock = T0;
    if (use_pg) {
        snprintf(fx->schema, sizeof(fx->schema), "t_%d_%d", (int)getpid(), ++seq);
        if (pg_schema_create(pg_base_dsn, fx->schema, fx->dsn, sizeof(fx->dsn)) != 0)
            return -1;
    }
    fx->st = open_store(fx, NULL);
    *state = fx;
    return 0;
}

static inline int teardown(void **state)
{
    fx_t *fx = *state;
    char cmd[600];
    gw_store_close(fx->st);
    if (use_pg)
        pg_schema_drop(pg_base_dsn, fx->schema);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

/* ---- records ---- */

static inline gw_call_rec_t *mkcall(const char *rid, const char *user, int64_t at, const char *req, const char *resp, size_t nred)
{
    gw_call_rec_t *r = calloc(1, sizeof(*r));
    snprintf(r->request_id, sizeof(r->request_id), "%s", rid);
    r->user_id = user ? strdup(user) : NULL;
    r->client = strdup("backend");
    snprintf(r->provider, sizeof(r->provider), "openai");
    r->model = strdup("gpt-4o-mini");
    r->route = strdup("/v1/chat/completions");
    r->status = 200;
    r->started_at_us = at;
    r->duration_us = 1234;
    r->usage_json = strdup("{\"prompt_tokens\":12,\"completion_tokens\":3}");
    r->cost_microcredits = 42;
    r->notrain_decision = strdup("flag_injected");
    if (req) {
        r->request_body = strdup(req);
        r->request_len = strlen(req);
    }
    if (resp) {
        r->response_body = strdup(resp);
        r->response_len = strlen(resp);
    }
    r->nredactions = nred;
    r->redactions = calloc(nred ? nred : 1, sizeof(*r->redactions));
    for (size_t i = 0; i < nred; i++) {
        gw_redaction_rec_t *x = &r->redactions[i];
        x->field = strdup("/messages/0/content");
        snprintf(x->entity_type, sizeof(x->entity_type), "%s", i % 2 ? "PHONE_NUMBER" : "EMAIL_ADDRESS");
        x->start = 10 * i;
        x->end = 10 * i + 7;
        snprintf(x->action, sizeof(x->action), "tokenize");
        memset(x->value_hmac, (int)(0xA0 + i), sizeof(x->value_hmac));
    }
    return r;
}

static inline gw_store_access_rec_t *mkaccess(const char *user, int64_t at)
{
    gw_store_access_rec_t *a = calloc(1, sizeof(*a));
    snprintf(a->method, sizeof(a->method), "POST");
    a->route = strdup("/v1/chat/completions");
    a->status = 200;
    a->bytes_in = 100;
    a->bytes_out = 200;
    snprintf(a->client_ip, sizeof(a->client_ip), "127.0.0.1");
    a->user_id = user ? strdup(user) : NULL;
    a->at_us = at;
    a->duration_us = 5000;
    a->upstream_us = 4000;
    return a;
}

static inline void submit_call(gw_store_t *st, gw_call_rec_t *r)
{
    assert_int_equal(gw_store_submit_call(st, r), 0);
}

typedef struct st_sink_t {
    gw_buf_t b;
} sink_t;

static inline int sink_write(void *ctx, const char *p, size_t n)
{
    return gw_buf_append(&((sink_t *)ctx)->b, p, n);
}

static inline json_t *export_json(gw_store_t *st, const char *user, int *rc)
{
    sink_t s = {GW_BUF_INIT};
    *rc = gw_store_export_user(st, user, sink_write, &s);
    json_error_t je;
    json_t *doc = *rc == 0 ? json_loadb(s.b.base, s.b.len, 0, &je) : NULL;
    if (*rc == 0 && doc == NULL)
        fail_msg("export is not JSON: %s", je.text);
    gw_buf_free(&s.b);
    return doc;
}

/* 1 if `needle` (n bytes, n > 0) is in the file at `path`; 0 if not or the file cannot be read. */
static inline int file_contains_bytes(const char *path, const void *needle, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    gw_buf_t b = GW_BUF_INIT;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
        gw_buf_append(&b, chunk, k);
    fclose(f);
    int found = b.len > 0 && n > 0 && memmem(b.base, b.len, needle, n) != NULL;
    gw_buf_free(&b);
    return found;
}

/* file_contains_bytes for the text `needle` (not empty). */
static inline int file_contains(const char *path, const char *needle)
{
    return file_contains_bytes(path, needle, strlen(needle));
}

/* SQLite: the call-body segment files beside the database (schema version 14, store_bodies.c): 1 if any of
 * them holds `needle` (n bytes); *files = how many segment files there are (NULL: not asked). */
static inline int segments_contain(fx_t *fx, const void *needle, size_t n, int *files)
{
    char dir[400], path[700];
    snprintf(dir, sizeof(dir), "%s.bodies", fx->db);
    int found = 0, k = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".seg") == NULL)
            continue;
        k++;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        found |= file_contains_bytes(path, needle, n);
    }
    if (d != NULL)
        closedir(d);
    if (files != NULL)
        *files = k;
    return found;
}

/* A call's stored ciphertext, wherever it is (in the row, or since schema version 14 on SQLite in its
 * segment file): *req / *resp are malloc'ed copies (NULL: no such body), lengths in *reqlen / *resplen.
 * Fails the test if the row is missing or its segment cannot be read. */
static inline void fx_call_ct(fx_t *fx, const char *rid, unsigned char **req, size_t *reqlen, unsigned char **resp, size_t *resplen)
{
    gw_store_db_t *db = raw_open(fx);
    gw_store_stmt_t *s = gw_store__db_prepare(
        db, use_pg
                ? "SELECT request_ct, response_ct FROM calls WHERE request_id = ?"
                : "SELECT request_ct, response_ct, body_seg, body_off, request_len, response_len FROM calls WHERE request_id = ?");
    assert_non_null(s);
    gw_store__bind_text(s, 1, rid);
    assert_int_equal(gw_store__step(s), 1);
    *req = *resp = NULL;
    *reqlen = *resplen = 0;
    if (!use_pg && !gw_store__col_isnull(s, 2)) {
        char path[700];
        snprintf(path, sizeof(path), "%s.bodies/%lld.seg", fx->db, (long long)gw_store__col_int64(s, 2));
        int64_t off = gw_store__col_int64(s, 3);
        int64_t lens[2] = {gw_store__col_isnull(s, 4) ? -1 : gw_store__col_int64(s, 4),
                           gw_store__col_isnull(s, 5) ? -1 : gw_store__col_int64(s, 5)};
        unsigned char **outs[2] = {req, resp};
        size_t *outl[2] = {reqlen, resplen};
        int fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        for (int c = 0; c < 2; c++) {
            if (lens[c] < 0)
                continue;
            *outs[c] = malloc((size_t)lens[c] + 1);
            assert_int_equal(pread(fd, *outs[c], (size_t)lens[c], (off_t)off), lens[c]);
            *outl[c] = (size_t)lens[c];
            off += lens[c];
        }
        close(fd);
    } else {
        for (int c = 0; c < 2; c++) {
            size_t n = 0;
            const void *p = gw_store__col_blob(s, c, &n);
            if (p == NULL)
                continue;
            unsigned char *cp = malloc(n + 1);
            memcpy(cp, p, n);
            *(c == 0 ? req : resp) = cp;
            *(c == 0 ? reqlen : resplen) = n;
        }
    }
    gw_store__reset(s);
    gw_store__db_finalize(s);
    gw_store__db_close(db);
}

/* ---- groups ---- */

static inline int pg_group_setup(void **state)
{
    (void)state;
    use_pg = 1;
    return pg_server_get(pg_suffix, pg_base_dsn, sizeof(pg_base_dsn), &pg_started_here);
}

static inline int pg_group_teardown(void **state)
{
    (void)state;
    return pg_server_stop(pg_suffix, pg_started_here);
}

/**
 * The suite's main: `tests` (n of them) as group "<name>/sqlite", then as "<name>/postgres" on the
 * server of pg_server.h directory suffix "store": under ctest the one its fixture pg_store started
 * for all the store suites (CMakeLists.txt; each test has its own schema), run alone one the suite
 * starts and stops. argv[1] "sqlite" or "postgres" runs one backend. @return the number of failed tests.
 */
static inline int store_suite_main(const char *name, const struct CMUnitTest *tests, size_t n, int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    char group[64];
    int failed = 0;
    pg_suffix = "store";
    if (only == NULL || strcmp(only, "sqlite") == 0) {
        use_pg = 0;
        snprintf(group, sizeof(group), "%s/sqlite", name);
        failed += _cmocka_run_group_tests(group, tests, n, NULL, NULL);
    }
    if (only == NULL || strcmp(only, "postgres") == 0) {
        snprintf(group, sizeof(group), "%s/postgres", name);
        failed += _cmocka_run_group_tests(group, tests, n, pg_group_setup, pg_group_teardown);
    }
    return failed;
}

#endif
