/*
 * bench_meter: the cost of metering.
 *
 *   bench_meter pure                 CPU per request of the pure hot path: price lookup,
 *                                    reservation estimate, cost from usage, settlement (ns/op);
 *                                    usage from a JSON answer (own reader vs jansson)
 *   bench_meter sqlite [N] [T]       N reserve+settle pairs from T threads on a fresh SQLite file
 *   bench_meter postgres [N] [T]     the same on PostgreSQL at $AIGW_TEST_PG_DSN (a fresh schema)
 *
 * Throughput counts pairs per second; latency percentiles are per reserve (the call a request
 * waits for before it is forwarded).
 */
#include "gateway/store/keyfile.h"
#include "gateway/store/store.h"
#include "gateway/store/store_db.h"
#include "gateway/store/store_ledger.h"
#include "policy/crypto.h"
#include "policy/meter.h"
#include "policy/pricing.h"
#include "providers/provider.h"

#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static volatile int64_t sink;

/*
 * Usage of a JSON answer (the OpenAI chat fixture, 958 bytes): the adapter's usage_from_json (one
 * walk of the gateway's own JSON reader, issue 12) beside a parse of the same answer with jansson
 * (json_loadb + json_decref: what usage extraction cost before, without its path lookups). Run from
 * the repository root (the fixture's path is relative); skipped when the file is not there.
 */
static void bench_usage_json(void)
{
    static const char path[] = "tests/fixtures/providers/openai/chat_completions.response.json";
    static char body[8192];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        printf("usage from a JSON answer: %s not found (run from the repository root)\n", path);
        return;
    }
    size_t len = fread(body, 1, sizeof(body), f);
    fclose(f);
    const prov_adapter_t *a = prov_find("openai");
    const int n = 200000;
    int64_t c0 = cpu_ns();
    for (int i = 0; i < n; i++) {
        prov_usage_t u = PROV_USAGE_INIT;
        sink += a->usage_from_json(body, len, &u);
    }
    int64_t own_ns = cpu_ns() - c0;
    c0 = cpu_ns();
    for (int i = 0; i < n; i++) {
        json_t *j = json_loadb(body, len, JSON_ALLOW_NUL, NULL);
        sink += j != NULL;
        json_decref(j);
    }
    int64_t jansson_ns = cpu_ns() - c0;
    printf("usage from a JSON answer (%zu B):     %.1f ns/op (jansson parse of the answer: %.1f ns/op, %.2fx)\n", len,
           (double)own_ns / n, (double)jansson_ns / n, (double)jansson_ns / (double)own_ns);
}

static int bench_pure(void)
{
    char err[256];
    pol_pricing_t *pt = pol_pricing_new(NULL, err, sizeof(err));
    pol_meter_conf_t conf;
    pol_meter_conf_parse(NULL, &conf, err, sizeof(err));
    static const char *models[] = {"gpt-4o-mini", "gpt-4.1-2025-04-14", "o4-mini", "gpt-4o"};
    const int n = 2000000;
    int64_t c0 = cpu_ns(), lookup_ns;
    for (int i = 0; i < n; i++)
        sink += pol_pricing_lookup(pt, "openai", models[i & 3])->input_per_mtok;
    lookup_ns = cpu_ns() - c0;
    const pol_price_t *p = pol_pricing_lookup(pt, "openai", "gpt-4o-mini");
    prov_usage_t u = PROV_USAGE_INIT;
    prov__usage_set_int(&u, PROV_USAGE_INPUT_TOKENS, 412);
    prov__usage_set_int(&u, PROV_USAGE_CACHED_INPUT_TOKENS, 256);
    prov__usage_set_int(&u, PROV_USAGE_OUTPUT_TOKENS, 38);
    c0 = cpu_ns();
    for (int i = 0; i < n; i++) {
        pol_meter_request_t req = {.text_bytes = 1200 + (size_t)(i & 7), .max_tokens = 256};
        int64_t r, a;
        pol_meter_settlement_t s;
        pol_meter_estimate(p, &conf, &req, 1200, &r);
        pol_pricing_cost(p, &u, 1200, &a);
        pol_meter_settle(r, a, &s);
        sink += s.refund;
    }
    int64_t arith_ns = cpu_ns() - c0;
    printf("price lookup (%zu entries, fnmatch):  %.1f ns/op\n", pol_pricing_count(pt), (double)lookup_ns / n);
    printf("estimate + cost + settle:             %.1f ns/op\n", (double)arith_ns / n);
    printf("pure metering per request (sum):      %.3f us\n", (double)(lookup_ns + arith_ns) / n / 1000);
    pol_pricing_free(pt);
    bench_usage_json();
    return 0;
}

typedef struct st_ctx_t {
    gw_store_t *st;
    int n, threads, next;
    pthread_mutex_t lock;
    int64_t *lat_ns;
    int errors;
} ctx_t;

static void *worker(void *arg)
{
    ctx_t *c = arg;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        int i = c->next++;
        pthread_mutex_unlock(&c->lock);
        if (i >= c->n)
            break;
        char user[32], rid[32];
        snprintf(user, sizeof(user), "user-%d", i % 1000);
        snprintf(rid, sizeof(rid), "bench-%d", i);
        int64_t t0 = mono_ns();
        int rc = gw_store_reserve(c->st, user, rid, 5000, INT64_C(1000000000000), NULL);
        c->lat_ns[i] = mono_ns() - t0;
        if (rc != 0 || gw_store_settle(c->st, user, rid, 1234, NULL) != 0) {
            pthread_mutex_lock(&c->lock);
            c->errors++;
            pthread_mutex_unlock(&c->lock);
        }
    }
    return NULL;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int bench_store(int pg, int n, int threads)
{
    char dir[] = "/tmp/aigw-bench-meter-XXXXXX", key[128], db[128], cfg[1024], err[512], schema[64] = "";
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(key, sizeof(key), "%s/master.key", dir);
    snprintf(db, sizeof(db), "%s/aigw.db", dir);
    pol_crypto_init();
    pol_key_t *k = pol_key_new_random();
    gw_keyfile_write(key, k, err, sizeof(err));
    pol_key_free(k);
    if (pg) {
        const char *dsn = getenv("AIGW_TEST_PG_DSN");
        if (dsn == NULL) {
            fprintf(stderr, "set AIGW_TEST_PG_DSN (scripts/pg-test-server.sh start prints one)\n");
            return 2;
        }
        snprintf(schema, sizeof(schema), "bench_meter_%d", (int)getpid());
        gw_store_db_t *h = gw_store__db_open_pg(dsn, err, sizeof(err));
        char sql[128];
        snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
        if (h == NULL || gw_store__db_exec(h, sql) != 0) {
            fprintf(stderr, "pg: %s\n", h ? gw_store__db_errmsg(h) : err);
            return 1;
        }
        gw_store__db_close(h);
        snprintf(cfg, sizeof(cfg), "{\"driver\":\"postgres\",\"dsn\":\"%s options='-csearch_path=%s'\",\"purge_interval_s\":0}",
                 dsn, schema);
    } else {
        snprintf(cfg, sizeof(cfg), "{\"driver\":\"sqlite\",\"path\":\"%s\",\"purge_interval_s\":0}", db);
    }
    json_t *sc = json_loads(cfg, 0, NULL);
    gw_store_t *st = gw_store_open(sc, NULL, NULL, key, err, sizeof(err));
    json_decref(sc);
    if (st == NULL) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    ctx_t c = {st, n, threads, 0, PTHREAD_MUTEX_INITIALIZER, calloc((size_t)n, sizeof(int64_t)), 0};
    pthread_t t[64];
    int64_t t0 = mono_ns(), c0 = cpu_ns();
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, worker, &c);
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    int64_t wall = mono_ns() - t0, cpu = cpu_ns() - c0;
    qsort(c.lat_ns, (size_t)n, sizeof(int64_t), cmp64);
    printf("%s: %d reserve+settle pairs, %d threads: %.0f pairs/s, CPU %.1f us/pair (this process); reserve latency p50 %.2f ms, "
           "p99 %.2f ms, max %.2f ms; errors %d\n",
           pg ? "postgres" : "sqlite", n, threads, n / (wall / 1e9), cpu / 1e3 / n, c.lat_ns[n / 2] / 1e6,
           c.lat_ns[(size_t)n * 99 / 100] / 1e6, c.lat_ns[n - 1] / 1e6, c.errors);
    gw_store_close(st);
    free(c.lat_ns);
    if (pg) {
        gw_store_db_t *h = gw_store__db_open_pg(getenv("AIGW_TEST_PG_DSN"), err, sizeof(err));
        char sql[128];
        snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", schema);
        if (h != NULL)
            gw_store__db_exec(h, sql);
        gw_store__db_close(h);
    }
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 && c.errors == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "pure";
    int n = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5000;
    int threads = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 8;
    if (n < 1 || threads < 1 || threads > 64) {
        fprintf(stderr, "usage: bench_meter pure | sqlite [N] [THREADS] | postgres [N] [THREADS]\n");
        return 2;
    }
    if (strcmp(mode, "pure") == 0)
        return bench_pure();
    if (strcmp(mode, "sqlite") == 0 || strcmp(mode, "postgres") == 0)
        return bench_store(strcmp(mode, "postgres") == 0, n, threads);
    fprintf(stderr, "usage: bench_meter pure | sqlite [N] [THREADS] | postgres [N] [THREADS]\n");
    return 2;
}
