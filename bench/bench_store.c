/*
 * Store throughput: insert rate through the real path (submit -> queue -> writer thread ->
 * group commit, bodies encrypted) and purge rate (batches of 100 through the expires_at index).
 *
 *   bench_store sqlite [N]      SQLite file in /tmp
 *   bench_store postgres [N]    PostgreSQL at $AIGW_TEST_PG_DSN (e.g. from scripts/pg-test-server.sh start)
 *
 * Each call record has a 1 KB request body, a 300 B response body and one redaction, for one of
 * 1000 users. Reported: rows/s for calls (and redactions written alongside), the largest commit
 * batch, purge rows/s and the worst purge batch (how long the write lock is held).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gateway/store/keyfile.h"
#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "policy/crypto.h"

#define T0 INT64_C(1763700000000000)

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t fake_now = T0;

static int64_t bench_clock(void *ctx)
{
    return fake_now;
}

static int64_t last_batch_end, worst_batch, gaps[100000];
static size_t ngaps;

static void on_progress(void *ctx, pol_retention_class_t cls, int64_t done, int64_t total)
{
    int64_t now = mono_us();
    if (now - last_batch_end > worst_batch)
        worst_batch = now - last_batch_end;
    if (ngaps < sizeof(gaps) / sizeof(gaps[0]))
        gaps[ngaps++] = now - last_batch_end;
    last_batch_end = now;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *backend = argc > 1 ? argv[1] : "sqlite";
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 50000;
    char dir[] = "/tmp/aigw-bench-store-XXXXXX", key[128], cfg[1024], err[512], schema[32] = "", sql[96];
    if (mkdtemp(dir) == NULL || pol_crypto_init() != 0)
        return 1;
    snprintf(key, sizeof(key), "%s/master.key", dir);
    pol_key_t *k = pol_key_new_random();
    if (gw_keyfile_write(key, k, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    pol_key_free(k);
    if (strcmp(backend, "postgres") == 0) {
        const char *dsn = getenv("AIGW_TEST_PG_DSN");
        if (dsn == NULL) {
            fprintf(stderr, "set AIGW_TEST_PG_DSN (scripts/pg-test-server.sh start prints one)\n");
            return 2;
        }
        /* A schema of its own, dropped at the end. */
        gw_store_db_t *db = gw_store__db_open_pg(dsn, err, sizeof(err));
        snprintf(schema, sizeof(schema), "bench_%d", (int)getpid());
        snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
        if (db == NULL || gw_store__db_exec(db, sql) != 0) {
            fprintf(stderr, "postgres: %s\n", db ? gw_store__db_errmsg(db) : err);
            return 1;
        }
        gw_store__db_close(db);
        snprintf(cfg, sizeof(cfg),
                 "{\"driver\":\"postgres\",\"dsn\":\"%s options='-csearch_path=%s'\",\"queue_max\":%ld,\"purge_interval_s\":0}",
                 dsn, schema, n + 1);
    } else {
        snprintf(cfg, sizeof(cfg), "{\"driver\":\"sqlite\",\"path\":\"%s/aigw.db\",\"queue_max\":%ld,\"purge_interval_s\":0}", dir,
                 n + 1);
    }
    json_t *sc = json_loads(cfg, 0, NULL);
    gw_store_t *st = gw_store_open(sc, NULL, NULL, key, err, sizeof(err));
    json_decref(sc);
    if (st == NULL) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    gw_store_set_clock(st, bench_clock, NULL);

    char body[1024], resp[300];
    for (size_t i = 0; i < sizeof(body); i++)
        body[i] = (char)('a' + i % 26);
    memset(resp, 'r', sizeof(resp));
    /* Records are built before the clock starts: the bench measures the store, not malloc. */
    gw_call_rec_t **recs = calloc((size_t)n, sizeof(*recs));
    long salt = (long)getpid();
    for (long i = 0; i < n; i++) {
        gw_call_rec_t *r = calloc(1, sizeof(*r));
        char user[32];
        snprintf(r->request_id, sizeof(r->request_id), "b%ld-%ld", salt, i);
        snprintf(user, sizeof(user), "user-%ld", i % 1000);
        r->user_id = strdup(user);
        r->client = strdup("backend");
        snprintf(r->provider, sizeof(r->provider), "openai");
        r->model = strdup("gpt-4o-mini");
        r->route = strdup("/v1/chat/completions");
        r->status = 200;
        r->started_at_us = T0 + i;
        r->usage_json = strdup("{\"prompt_tokens\":250,\"completion_tokens\":80}");
        r->request_body = malloc(sizeof(body));
        memcpy(r->request_body, body, sizeof(body));
        r->request_len = sizeof(body);
        r->response_body = malloc(sizeof(resp));
        memcpy(r->response_body, resp, sizeof(resp));
        r->response_len = sizeof(resp);
        r->nredactions = 1;
        r->redactions = calloc(1, sizeof(*r->redactions));
        r->redactions[0].field = strdup("/messages/0/content");
        snprintf(r->redactions[0].entity_type, sizeof(r->redactions[0].entity_type), "EMAIL_ADDRESS");
        snprintf(r->redactions[0].action, sizeof(r->redactions[0].action), "tokenize");
        recs[i] = r;
    }
    int64_t t0 = mono_us();
    for (long i = 0; i < n; i++) {
        if (gw_store_submit_call(st, recs[i]) != 0) {
            fprintf(stderr, "submit failed at %ld\n", i);
            return 1;
        }
    }
    int64_t t_sub = mono_us();
    gw_store_flush(st);
    int64_t t1 = mono_us();
    gw_store_stats_t s;
    gw_store_stats(st, &s);
    printf("%s insert: %ld calls (1 KB + 300 B bodies, encrypted) + %ld redactions in %.2f s = %.0f calls/s"
           " (%.0f rows/s); submit %.2f us/record; %" PRIu64 " batches, max batch %.1f ms; failures %" PRIu64 "\n",
           backend, n, n, (t1 - t0) / 1e6, n / ((t1 - t0) / 1e6), 2 * n / ((t1 - t0) / 1e6), (double)(t_sub - t0) / n, s.batches,
           s.max_batch_us / 1e3, s.write_failures);

    fake_now = T0 + 91 * POL_RET_US_PER_DAY;
    gw_purge_counts_t pc;
    last_batch_end = t0 = mono_us();
    if (gw_store_purge(st, 0, &pc, on_progress, NULL) != 0)
        return 1;
    t1 = mono_us();
    int64_t rows = pc.rows[POL_RET_CALL_LOG] + pc.rows[POL_RET_REDACTION_LOG];
    gw_store_stats(st, &s);
    qsort(gaps, ngaps, sizeof(gaps[0]), cmp_i64);
    printf("%s purge: %" PRId64 " calls + %" PRId64 " redactions in %.2f s = %.0f rows/s; batch of 100 rows p50 %.2f ms,"
           " p99 %.1f ms, worst %.1f ms (write lock held; %.1f ms with the count query between batches)\n",
           backend, pc.rows[POL_RET_CALL_LOG], pc.rows[POL_RET_REDACTION_LOG], (t1 - t0) / 1e6, rows / ((t1 - t0) / 1e6),
           ngaps ? gaps[ngaps / 2] / 1e3 : 0.0, ngaps ? gaps[ngaps * 99 / 100] / 1e3 : 0.0, s.max_purge_batch_us / 1e3,
           worst_batch / 1e3);
    gw_store_close(st);
    free(recs);
    if (schema[0] != '\0') {
        gw_store_db_t *db = gw_store__db_open_pg(getenv("AIGW_TEST_PG_DSN"), err, sizeof(err));
        snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", schema);
        if (db != NULL)
            gw_store__db_exec(db, sql);
        gw_store__db_close(db);
    }
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
