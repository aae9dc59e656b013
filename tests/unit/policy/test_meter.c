/*
 * policy/meter: the reservation is an upper bound of what pol_pricing_cost later charges
 * (for every fixture's usage under the shipped default of its provider, when the request's
 * inputs are consistent with it), each bound of the estimate, and the settlement arithmetic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "policy/meter.h"

static pol_meter_conf_t conf(void)
{
    pol_meter_conf_t c;
    char err[256];
    assert_int_equal(pol_meter_conf_parse(NULL, &c, err, sizeof(err)), 0);
    return c;
}

static const pol_price_t *lookup(pol_pricing_t **pt, const char *prov, const char *model)
{
    char err[256];
    if (*pt == NULL)
        *pt = pol_pricing_new(NULL, err, sizeof(err));
    const pol_price_t *p = pol_pricing_lookup(*pt, prov, model);
    assert_non_null(p);
    return p;
}

static void test_estimate_bounds(void **state)
{
    (void)state;
    pol_pricing_t *pt = NULL;
    pol_meter_conf_t c = conf();
    const pol_price_t *p = lookup(&pt, "openai", "gpt-4o-mini");
    int64_t r;
    /* 1000 bytes -> 500 input tokens × 0.15 + 100 output × 0.6 = 75 + 60 */
    pol_meter_request_t req = {.text_bytes = 1000, .max_tokens = 100};
    assert_int_equal(pol_meter_estimate(p, &c, &req, 1000, &r), 0);
    assert_int_equal(r, 135);
    /* no max_tokens: the model's cap (16384 × 0.6 = 9830.4) */
    req.max_tokens = -1;
    assert_int_equal(pol_meter_estimate(p, &c, &req, 1000, &r), 0);
    assert_int_equal(r, 75 + 9831);
    /* markup applies to the reservation too */
    assert_int_equal(pol_meter_estimate(p, &c, &req, 2000, &r), 0);
    assert_int_equal(r, 2 * (75 + 9831));
    /* the estimate covers the actual cost of a call consistent with it: 500 input tokens of
     * which none cached, 100 output */
    prov_usage_t u = PROV_USAGE_INIT;
    prov__usage_set_int(&u, PROV_USAGE_INPUT_TOKENS, 500);
    prov__usage_set_int(&u, PROV_USAGE_OUTPUT_TOKENS, 100);
    int64_t actual;
    req.max_tokens = 100;
    assert_int_equal(pol_meter_estimate(p, &c, &req, 1000, &r), 0);
    assert_int_equal(pol_pricing_cost(p, &u, 1000, &actual), 0);
    assert_true(actual <= r);
    /* Anthropic: input reserved at the 1h cache write rate (the highest input rate) */
    const pol_price_t *son = lookup(&pt, "anthropic", "claude-sonnet-4-5");
    pol_meter_request_t a = {.text_bytes = 2000000, .max_tokens = 0};
    assert_int_equal(pol_meter_estimate(son, &c, &a, 1000, &r), 0);
    assert_int_equal(r, 1000000 * son->cache_write_1h_per_mtok / 1000000);
    /* dall-e-3: n × the requested size, or the most expensive size */
    const pol_price_t *d3 = lookup(&pt, "openai", "dall-e-3");
    pol_meter_request_t im = {.text_bytes = 0, .max_tokens = 0, .n_images = 2, .size = "1024x1024", .quality = "standard"};
    assert_int_equal(pol_meter_estimate(d3, &c, &im, 1000, &r), 0);
    assert_int_equal(r, 80000);
    im.size = NULL;
    assert_int_equal(pol_meter_estimate(d3, &c, &im, 1000, &r), 0);
    assert_int_equal(r, 240000);
    /* Replicate: max_seconds × per_second */
    const pol_price_t *rep = lookup(&pt, "replicate", "owner/model");
    pol_meter_request_t rq = {.text_bytes = 0, .max_tokens = 0};
    assert_int_equal(pol_meter_estimate(rep, &c, &rq, 1000, &r), 0);
    assert_int_equal(r, 300 * 1400);
    pol_pricing_free(pt);
}

static void test_estimate_covers_fixture_usage(void **state)
{
    (void)state;
    /* Representative fixture usages (manifest expected_usage) with the request that produced
     * them: the reservation must never be below the settled cost. */
    pol_pricing_t *pt = NULL;
    pol_meter_conf_t c = conf();
    struct {
        const char *prov, *model;
        size_t bytes;
        int64_t max_tokens;
        int64_t in, cached, out, thoughts, cw5, cread;
    } cases[] = {
        {"openai", "gpt-4o-mini", 412 * 2, -1, 412, 256, 38, 0, 0, 0},
        {"anthropic", "claude-sonnet-4-5", 512 * 2 + 1830 * 2, 1024, 512, 0, 29, 0, 1830, 0},
        {"gemini", "gemini-2.5-flash", 389 * 2, -1, 389, 0, 17, 105, 0, 0},
        {"deepseek", "deepseek-reasoner", 19 * 2, -1, 19, 0, 61, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const pol_price_t *p = lookup(&pt, cases[i].prov, cases[i].model);
        pol_meter_request_t req = {.text_bytes = cases[i].bytes, .max_tokens = cases[i].max_tokens};
        prov_usage_t u = PROV_USAGE_INIT;
        prov__usage_set_int(&u, PROV_USAGE_INPUT_TOKENS, cases[i].in);
        prov__usage_set_int(&u, PROV_USAGE_CACHED_INPUT_TOKENS, cases[i].cached);
        prov__usage_set_int(&u, PROV_USAGE_OUTPUT_TOKENS, cases[i].out);
        if (cases[i].thoughts)
            prov__usage_set_int(&u, PROV_USAGE_THOUGHTS_TOKENS, cases[i].thoughts);
        prov__usage_set_int(&u, PROV_USAGE_CACHE_WRITE_TOKENS, cases[i].cw5);
        prov__usage_set_int(&u, PROV_USAGE_CACHE_WRITE_5M_TOKENS, cases[i].cw5);
        int64_t r, a;
        assert_int_equal(pol_meter_estimate(p, &c, &req, 1000, &r), 0);
        assert_int_equal(pol_pricing_cost(p, &u, 1000, &a), 0);
        if (a > r)
            fail_msg("%s/%s: actual %lld above reservation %lld", cases[i].prov, cases[i].model, (long long)a, (long long)r);
    }
    pol_pricing_free(pt);
}

static void test_settle(void **state)
{
    (void)state;
    pol_meter_settlement_t s;
    pol_meter_settle(1000, 300, &s);
    assert_int_equal(s.charge, 300);
    assert_int_equal(s.refund, 700);
    assert_int_equal(s.overrun, 0);
    assert_false(s.flagged);
    pol_meter_settle(1000, 1500, &s);
    assert_int_equal(s.charge, 1500);
    assert_int_equal(s.refund, 0);
    assert_int_equal(s.overrun, 500);
    assert_true(s.flagged);
    pol_meter_settle(1000, 0, &s); /* upstream failure: full refund */
    assert_int_equal(s.refund, 1000);
    pol_meter_settle(-5, -7, &s);
    assert_int_equal(s.charge, 0);
    assert_int_equal(s.refund, 0);
}

static void test_conf(void **state)
{
    (void)state;
    pol_meter_conf_t c;
    char err[256];
    json_t *j = json_loads("{\"default_grant\": 5000000, \"input_bytes_per_token\": 1}", 0, NULL);
    assert_int_equal(pol_meter_conf_parse(j, &c, err, sizeof(err)), 0);
    assert_int_equal(c.default_grant_microcredits, 5000000);
    assert_int_equal(c.input_bytes_per_token, 1);
    assert_int_equal(c.default_max_output_tokens, 32768);
    json_decref(j);
    j = json_loads("{\"default_grant\": -1}", 0, NULL);
    assert_int_equal(pol_meter_conf_parse(j, &c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "credits.default_grant"));
    json_decref(j);
    j = json_loads("{\"nope\": 1}", 0, NULL);
    assert_int_equal(pol_meter_conf_parse(j, &c, err, sizeof(err)), -1);
    json_decref(j);
}

/* Issue 13: a cut answer is billed for what the provider reported, else what was delivered. */
static void test_cut_usage(void **state)
{
    (void)state;
    assert_int_equal(pol_meter_tokens_estimate(0), 0);
    assert_int_equal(pol_meter_tokens_estimate(1), 1);
    assert_int_equal(pol_meter_tokens_estimate(8), 2);
    assert_int_equal(pol_meter_tokens_estimate(9), 3);
    /* nothing reported: input from the request bytes, output from the delivered text */
    prov_usage_t u = PROV_USAGE_INIT;
    pol_meter_cut_usage(&u, 400, 37);
    assert_int_equal(u.input_tokens, 100);
    assert_int_equal(u.output_tokens, 10);
    /* reported input wins; a reported output above the estimate wins too */
    memset(&u, 0, sizeof(u));
    prov__usage_set_int(&u, PROV_USAGE_INPUT_TOKENS, 12);
    prov__usage_set_int(&u, PROV_USAGE_OUTPUT_TOKENS, 50);
    pol_meter_cut_usage(&u, 400, 37);
    assert_int_equal(u.input_tokens, 12);
    assert_int_equal(u.output_tokens, 50);
    /* Anthropic's message_start reports output 1 before any text: the delivered text wins */
    memset(&u, 0, sizeof(u));
    prov__usage_set_int(&u, PROV_USAGE_INPUT_TOKENS, 12);
    prov__usage_set_int(&u, PROV_USAGE_OUTPUT_TOKENS, 1);
    pol_meter_cut_usage(&u, 400, 37);
    assert_int_equal(u.output_tokens, 10);
    /* a JSON answer cut before delivery: the input only */
    memset(&u, 0, sizeof(u));
    pol_meter_cut_usage(&u, 10, 0);
    assert_int_equal(u.input_tokens, 3);
    assert_int_equal(u.has & PROV_USAGE_BIT(PROV_USAGE_OUTPUT_TOKENS), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_estimate_bounds), cmocka_unit_test(test_estimate_covers_fixture_usage),
        cmocka_unit_test(test_settle),          cmocka_unit_test(test_conf),
        cmocka_unit_test(test_cut_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
