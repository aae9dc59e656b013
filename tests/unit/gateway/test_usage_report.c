/*
 * gateway/store/store_report (issue 13): the usage CSV is RFC 4180 with formula injection
 * neutralised (a user id cannot forge a column, a trailing quote emits no NUL, "=1+1" is not a
 * formula), and reports count calls and tokens whether or not credits were enforced (calls with
 * no ledger rows), by one or two dimensions (day,provider). SQLite; the report's SQL is shared
 * with PostgreSQL and runs there in test_ledger.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <unistd.h>

#include "gateway/store/keyfile.h"
#include "gateway/usage_report.h"
#include "gateway/store/store.h"
#include "gateway/store/store_ledger.h"
#include "gateway/store/store_report.h"
#include "policy/crypto.h"

#define T0 INT64_C(1763700000000000) /* 2025-11-21 */
#define DAY INT64_C(86400000000)

static char *csv(const char *s)
{
    gw_buf_t b = GW_BUF_INIT;
    assert_int_equal(gw_usage_csv_field(&b, s), 0);
    gw_buf_append(&b, "", 1);
    char *r = strdup(b.base);
    gw_buf_free(&b);
    return r;
}

static void expect_csv(const char *in, const char *want)
{
    char *got = csv(in);
    assert_string_equal(got, want);
    free(got);
}

static void test_csv_field(void **state)
{
    (void)state;
    expect_csv("alice", "alice");
    expect_csv("", "");
    /* a forged charged column stays inside one quoted field */
    expect_csv("a\",999999999,0,0,0,0", "\"a\"\",999999999,0,0,0,0\"");
    /* a trailing quote: doubled, closed, no NUL byte */
    expect_csv("abc\"", "\"abc\"\"\"");
    expect_csv("line\r\nbreak", "\"line\r\nbreak\"");
    /* formula leads (OWASP CSV injection): quoted with a leading single quote */
    expect_csv("=1+1", "\"'=1+1\"");
    expect_csv("+1", "\"'+1\"");
    expect_csv("-2", "\"'-2\"");
    expect_csv("@SUM(A1)", "\"'@SUM(A1)\"");
    expect_csv("\tx", "\"'\tx\"");
    expect_csv("=\"x\"", "\"'=\"\"x\"\"\"");
    expect_csv("a=b", "a=b");
}

static void test_groups_parse(void **state)
{
    (void)state;
    gw_usage_group_t g[GW_USAGE_MAX_DIMS];
    size_t n = 0;
    assert_int_equal(gw_usage_groups_parse("day,provider", g, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(g[0], GW_USAGE_BY_DAY);
    assert_int_equal(g[1], GW_USAGE_BY_PROVIDER);
    assert_int_equal(gw_usage_groups_parse("model", g, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(gw_usage_groups_parse("day,day", g, &n), -1);
    assert_int_equal(gw_usage_groups_parse("day,provider,model", g, &n), -1);
    assert_int_equal(gw_usage_groups_parse("day,", g, &n), -1);
    assert_int_equal(gw_usage_groups_parse("planet", g, &n), -1);
}

typedef struct st_fx_t {
    char dir[256], db[320], key[340];
    int64_t clock;
    gw_store_t *st;
} fx_t;

static int64_t fx_clock(void *ctx)
{
    return *(int64_t *)ctx;
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    char err[512] = "", cfg[700];
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/aigw-test-report-XXXXXX");
    if (fx == NULL || mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->db, sizeof(fx->db), "%s/aigw.db", fx->dir);
    snprintf(fx->key, sizeof(fx->key), "%s/master.key", fx->dir);
    pol_key_t *k = pol_key_new_random();
    if (gw_keyfile_write(fx->key, k, err, sizeof(err)) != 0)
        return -1;
    pol_key_free(k);
    fx->clock = T0;
    snprintf(cfg, sizeof(cfg), "{\"driver\":\"sqlite\",\"path\":\"%s\",\"purge_interval_s\":0}", fx->db);
    json_t *sc = json_loads(cfg, 0, NULL);
    fx->st = gw_store_open(sc, NULL, NULL, fx->key, err, sizeof(err));
    json_decref(sc);
    if (fx->st == NULL)
        fail_msg("open: %s", err);
    gw_store_set_clock(fx->st, fx_clock, &fx->clock);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    char cmd[400];
    gw_store_close(fx->st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

static void call(fx_t *fx, const char *rid, const char *user, const char *provider, const char *model, int64_t in, int64_t out,
                 int64_t images)
{
    gw_call_rec_t *r = calloc(1, sizeof(*r));
    snprintf(r->request_id, sizeof(r->request_id), "%s", rid);
    snprintf(r->provider, sizeof(r->provider), "%s", provider);
    r->user_id = strdup(user);
    r->client = strdup("backend");
    r->model = strdup(model);
    r->route = strdup("/v1/chat/completions");
    r->status = 200;
    r->started_at_us = fx->clock;
    r->input_tokens = in;
    r->output_tokens = out;
    r->images = images;
    r->compute_ms = 1500;
    assert_int_equal(gw_store_submit_call(fx->st, r), 0);
}

/* No credits section, no ledger rows: the calls are still in the report, with their tokens. */
static void test_report_without_credits(void **state)
{
    fx_t *fx = *state;
    call(fx, "r1", "a\",999999999,0,0,0,0", "openai", "gpt-4o-mini", 100, 20, 0);
    call(fx, "r2", "=1+1", "gemini", "gemini-2.5-flash", 7, 3, 0);
    fx->clock += DAY;
    call(fx, "r3", "bob\"", "openai", "dall-e-3", 0, 0, 2);
    assert_int_equal(gw_store_flush(fx->st), 0);

    gw_buf_t b = GW_BUF_INIT;
    assert_int_equal(gw_usage_report(fx->st, 0, 0, GW_USAGE_BY_USER, GW_USAGE_CSV, &b), 0);
    gw_buf_append(&b, "", 1);
    assert_int_equal(strlen(b.base), b.len - 1); /* no NUL byte inside */
    assert_string_equal(b.base, "user,requests,charged_microcredits,refunded_microcredits,open_reservations,flagged,input_tokens,"
                                "output_tokens,images,compute_ms\r\n"
                                "\"'=1+1\",1,0,0,0,0,7,3,0,1500\r\n"
                                "\"a\"\",999999999,0,0,0,0\",1,0,0,0,0,100,20,0,1500\r\n"
                                "\"bob\"\"\",1,0,0,0,0,0,0,2,1500\r\n");

    gw_usage_group_t dims[2] = {GW_USAGE_BY_DAY, GW_USAGE_BY_PROVIDER};
    gw_buf_reset(&b);
    assert_int_equal(gw_usage_report_by(fx->st, 0, 0, dims, 2, GW_USAGE_JSON, &b), 0);
    json_t *doc = json_loadb(b.base, b.len, 0, NULL);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "group_by")), "day,provider");
    json_t *rows = json_object_get(doc, "rows");
    assert_int_equal(json_array_size(rows), 3);
    json_t *r0 = json_array_get(rows, 0);
    assert_string_equal(json_string_value(json_object_get(r0, "day")), "2025-11-21");
    assert_string_equal(json_string_value(json_object_get(r0, "provider")), "gemini");
    assert_string_equal(json_string_value(json_object_get(r0, "key")), "2025-11-21,gemini");
    assert_int_equal(json_integer_value(json_object_get(r0, "input_tokens")), 7);
    json_t *r2 = json_array_get(rows, 2);
    assert_string_equal(json_string_value(json_object_get(r2, "day")), "2025-11-22");
    assert_int_equal(json_integer_value(json_object_get(r2, "images")), 2);
    json_t *tot = json_object_get(doc, "total");
    assert_int_equal(json_integer_value(json_object_get(tot, "requests")), 3);
    assert_int_equal(json_integer_value(json_object_get(tot, "output_tokens")), 23);
    json_decref(doc);

    /* metered and unmetered calls together: the charge of the metered one */
    assert_int_equal(gw_store_grant(fx->st, "carol", 100000, NULL, NULL), 0);
    assert_int_equal(gw_store_reserve(fx->st, "carol", "r4", 1000, 0, NULL), 0);
    assert_int_equal(gw_store_settle(fx->st, "carol", "r4", 400, NULL), 0);
    call(fx, "r4", "carol", "openai", "gpt-4o-mini", 10, 10, 0);
    assert_int_equal(gw_store_flush(fx->st), 0);
    gw_buf_reset(&b);
    assert_int_equal(gw_usage_report(fx->st, 0, 0, GW_USAGE_BY_MODEL, GW_USAGE_TABLE, &b), 0);
    gw_buf_append(&b, "", 1);
    assert_non_null(strstr(b.base, "gpt-4o-mini"));
    assert_non_null(strstr(b.base, "0.000400"));
    assert_non_null(strstr(b.base, "input tokens"));
    gw_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_groups_parse),
        cmocka_unit_test_setup_teardown(test_report_without_credits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
