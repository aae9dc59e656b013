/*
 * policy/pricing: the cost of every provider fixture's expected_usage under a test price table
 * whose rates are all different (so a token counted in the wrong bucket changes the total),
 * the shipped defaults, lookup specificity and fallback, markup and overflow, config errors.
 * The expected charges were worked out by hand from the billing rules in pricing.h; four are
 * spelled out next to the table.
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

#include "policy/pricing.h"
#include "providers/usage.h"

/* Per token: input 2, cached 1, cache write 3 (1h: 4), output 5, image in 7, image out 11
 * micro-credits; per image 1000 (1024x1792/hd 13000); 17000 per second; 19000 per unit; 23 per
 * request. */
static const char *TEST_TABLE =
    "{\"*\": {\"input_per_mtok\": 2000000, \"cached_input_per_mtok\": 1000000, \"cache_write_per_mtok\": 3000000,"
    " \"cache_write_1h_per_mtok\": 4000000, \"output_per_mtok\": 5000000, \"input_image_per_mtok\": 7000000,"
    " \"output_image_per_mtok\": 11000000, \"per_image\": {\"1024x1792/hd\": 13000, \"*\": 1000}, \"per_second\": 17000,"
    " \"per_unit\": 19000, \"per_request\": 23}}";

/* anthropic/messages.response: 512 in × 2 + 1830 5m writes × 3 + 29 out × 5 + 23 = 6682.
 * openai/chat_completions.response: (412 - 256) × 2 + 256 × 1 + 38 × 5 + 23 = 781.
 * replicate/prediction.succeeded: 0.604187 s × 17000 = 10271.179 + 1 image 1000 + 23 -> 11295 (rounded up).
 * gemini/generate_content.response: 389 × 2 + (17 + 105 thoughts) × 5 + 23 = 1411. */
static const struct {
    const char *file;
    int64_t charge;
} expected[] = {
    {"anthropic/messages.response.json", 6682},
    {"anthropic/messages.stream.sse", 2113},
    {"anthropic/messages.stream_error.sse", 1908},
    {"deepseek/chat_completions.response.json", 289},
    {"deepseek/reasoner.response.json", 366},
    {"deepseek/chat_completions.stream.sse", 72},
    {"fal/queue_status.completed.json", 32905},
    {"fal/queue_result.response.json", 20023},
    {"fal/queue_status.stream.sse", 32905},
    {"fireworks/chat_completions.response.json", 249},
    {"fireworks/chat_completions.stream.sse", 66},
    {"gemini/generate_content.response.json", 1411},
    {"gemini/stream_generate_content.sse", 1568},
    {"gemini/generate_content.image_output.response.json", 14293},
    {"gemini/imagen_predict.response.json", 2023},
    {"openai/chat_completions.response.json", 781},
    {"openai/chat_completions.stream.sse", 97},
    {"openai/responses.response.json", 3663},
    {"openai/responses.stream.sse", 90},
    {"openai/embeddings.response.json", 57},
    {"openai/images_generations.dalle3.response.json", 13023},
    {"openai/images_generations.gpt_image_1.response.json", 3063},
    {"openai/images_generations.gpt_image_1.stream.sse", 3041},
    {"openai/images_edits.response.json", 19251},
    {"openrouter/chat_completions.response.json", 2911},
    {"openrouter/chat_completions.stream.sse", 142},
    {"replicate/prediction.succeeded.json", 11295},
    {"replicate/prediction.succeeded_llm.json", 14600},
    {"replicate/prediction.failed.json", 6823},
};

static pol_pricing_t *table(const char *json)
{
    char err[512] = "";
    json_t *cfg = json ? json_loads(json, 0, NULL) : NULL;
    pol_pricing_t *pt = pol_pricing_new(cfg, err, sizeof(err));
    json_decref(cfg);
    if (pt == NULL)
        fail_msg("pricing: %s", err);
    return pt;
}

/* Builds a prov_usage_t from a manifest expected_usage object. */
static void usage_from_json(json_t *o, prov_usage_t *u)
{
    const char *k;
    json_t *v;
    memset(u, 0, sizeof(*u));
    json_object_foreach(o, k, v)
    {
        int f = prov_usage_field_by_name(k);
        assert_true(f >= 0);
        if (json_is_string(v))
            prov__usage_set_string(u, (prov_usage_field_t)f, json_string_value(v), strlen(json_string_value(v)));
        else if (prov_usage_field_kind((prov_usage_field_t)f) == PROV_USAGE_KIND_DOUBLE)
            prov__usage_set_double(u, (prov_usage_field_t)f, json_number_value(v));
        else
            prov__usage_set_int(u, (prov_usage_field_t)f, json_integer_value(v));
    }
}

static void test_fixtures_expected_charge(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof(path), "%s/manifest.json", AIGW_FIXTURES_DIR);
    json_t *m = json_load_file(path, 0, NULL);
    assert_non_null(m);
    pol_pricing_t *pt = table(TEST_TABLE);
    size_t i, checked = 0;
    json_t *fx;
    json_array_foreach(json_object_get(m, "fixtures"), i, fx)
    {
        json_t *eu = json_object_get(fx, "expected_usage");
        if (eu == NULL)
            continue;
        const char *file = json_string_value(json_object_get(fx, "file"));
        size_t k;
        for (k = 0; k < sizeof(expected) / sizeof(expected[0]); k++)
            if (strcmp(expected[k].file, file) == 0)
                break;
        if (k == sizeof(expected) / sizeof(expected[0]))
            fail_msg("fixture %s has expected_usage but no expected charge here", file);
        /* a provider name without shipped defaults, so the test table's "*" applies */
        const pol_price_t *p = pol_pricing_lookup(pt, "test", file);
        assert_non_null(p);
        prov_usage_t u;
        usage_from_json(eu, &u);
        int64_t cost = -1;
        assert_int_equal(pol_pricing_cost(p, &u, 1000, &cost), 0);
        if (cost != expected[k].charge)
            fail_msg("%s: charge %lld, expected %lld", file, (long long)cost, (long long)expected[k].charge);
        checked++;
    }
    assert_int_equal(checked, sizeof(expected) / sizeof(expected[0]));
    pol_pricing_free(pt);
    json_decref(m);
}

static void test_defaults(void **state)
{
    (void)state;
    pol_pricing_t *pt = table(NULL);
    const pol_price_t *mini = pol_pricing_lookup(pt, "openai", "gpt-4o-mini-2024-07-18");
    const pol_price_t *big = pol_pricing_lookup(pt, "openai", "gpt-4o");
    assert_non_null(mini);
    assert_non_null(big);
    assert_int_equal(mini->input_per_mtok, 150000); /* more specific glob wins over gpt-4o* */
    assert_int_equal(big->input_per_mtok, 2500000);
    /* 1M input + 1M output of gpt-4o-mini = $0.15 + $0.60 */
    prov_usage_t u = PROV_USAGE_INIT;
    prov__usage_set_int(&u, PROV_USAGE_INPUT_TOKENS, 1000000);
    prov__usage_set_int(&u, PROV_USAGE_OUTPUT_TOKENS, 1000000);
    int64_t c;
    assert_int_equal(pol_pricing_cost(mini, &u, 1000, &c), 0);
    assert_int_equal(c, 750000);
    /* one token costs a fraction of a micro-credit: rounded up, never 0 */
    memset(&u, 0, sizeof(u));
    prov__usage_set_int(&u, PROV_USAGE_INPUT_TOKENS, 1);
    assert_int_equal(pol_pricing_cost(mini, &u, 1000, &c), 0);
    assert_int_equal(c, 1);
    /* dall-e-3 by size and quality */
    const pol_price_t *d3 = pol_pricing_lookup(pt, "openai", "dall-e-3");
    assert_int_equal(pol_pricing_image_price(d3, "1024x1024", "standard"), 40000);
    assert_int_equal(pol_pricing_image_price(d3, "1792x1024", "hd"), 120000);
    assert_int_equal(pol_pricing_image_price(d3, NULL, NULL), 120000); /* upper bound */
    /* Anthropic: cache writes above input, reads below */
    const pol_price_t *son = pol_pricing_lookup(pt, "anthropic", "claude-sonnet-4-20250514");
    assert_non_null(son);
    assert_true(son->cache_write_per_mtok > son->input_per_mtok && son->cached_input_per_mtok < son->input_per_mtok);
    assert_non_null(pol_pricing_lookup(pt, "gemini", "gemini-2.5-flash"));
    assert_non_null(pol_pricing_lookup(pt, "deepseek", "deepseek-reasoner"));
    assert_non_null(pol_pricing_lookup(pt, "replicate", "stability-ai/sdxl"));
    assert_int_equal(pol_pricing_lookup(pt, "replicate", "black-forest-labs/flux-schnell")->per_image, 3000);
    assert_int_equal(pol_pricing_lookup(pt, "fal", "fal-ai/flux/dev")->per_unit, 25000);
    /* unknown model: refused (NULL) */
    assert_null(pol_pricing_lookup(pt, "openai", "gpt-99"));
    assert_null(pol_pricing_lookup(pt, "fireworks", "accounts/x/models/unknown"));
    pol_pricing_free(pt);
}

/* Issue 13: a DALL-E 3 answer reports neither size nor quality. The settle takes them from the
 * request: 1024x1024 standard is 40000 (its reservation), not the "*" price 120000 (3x). */
static void test_dalle3_settles_from_request(void **state)
{
    (void)state;
    pol_pricing_t *pt = table(NULL);
    const pol_price_t *d3 = pol_pricing_lookup(pt, "openai", "dall-e-3");
    prov_usage_t u = PROV_USAGE_INIT;
    prov__usage_set_int(&u, PROV_USAGE_IMAGES, 1); /* what the response says: one image, no size */
    int64_t c;
    assert_int_equal(pol_pricing_cost(d3, &u, 1000, &c), 0);
    assert_int_equal(c, 120000); /* without the request: the most expensive entry */
    prov_usage_t b = u;
    pol_pricing_fill_from_request(&b, "1024x1024", NULL);
    assert_int_equal(pol_pricing_cost(d3, &b, 1000, &c), 0);
    assert_int_equal(c, 40000);
    b = u;
    pol_pricing_fill_from_request(&b, "1024x1024", "standard");
    assert_int_equal(pol_pricing_cost(d3, &b, 1000, &c), 0);
    assert_int_equal(c, 40000);
    b = u;
    prov__usage_set_int(&b, PROV_USAGE_IMAGES, 2);
    pol_pricing_fill_from_request(&b, "1792x1024", "hd");
    assert_int_equal(pol_pricing_cost(d3, &b, 1000, &c), 0);
    assert_int_equal(c, 240000);
    /* what the response reported wins; "auto" in the request is not a size */
    b = u;
    prov__usage_set_string(&b, PROV_USAGE_SIZE, "1024x1792", 9);
    pol_pricing_fill_from_request(&b, "1024x1024", "hd");
    assert_string_equal(b.size, "1024x1792");
    assert_string_equal(b.quality, "hd");
    b = u;
    pol_pricing_fill_from_request(&b, "auto", "auto");
    assert_string_equal(b.size, "");
    assert_int_equal(b.has & PROV_USAGE_BIT(PROV_USAGE_SIZE), 0);
    pol_pricing_free(pt);
}

static void test_config_overrides_and_fallback(void **state)
{
    (void)state;
    pol_pricing_t *pt = table("{\"openai/*\": {\"input_per_mtok\": 7, \"output_per_mtok\": 9},"
                              " \"*\": {\"per_request\": 500}}");
    /* a config glob beats a more specific default */
    assert_int_equal(pol_pricing_lookup(pt, "openai", "gpt-4o-mini")->input_per_mtok, 7);
    /* the fallback comes after the defaults */
    assert_int_equal(pol_pricing_lookup(pt, "anthropic", "claude-sonnet-4-5")->input_per_mtok, 3000000);
    const pol_price_t *fb = pol_pricing_lookup(pt, "gemini", "no-such-model");
    assert_non_null(fb);
    assert_int_equal(fb->per_request, 500);
    prov_usage_t u = PROV_USAGE_INIT;
    int64_t c;
    assert_int_equal(pol_pricing_cost(fb, &u, 1000, &c), 0);
    assert_int_equal(c, 500);
    pol_pricing_free(pt);
}

static void test_markup_and_overflow(void **state)
{
    (void)state;
    pol_pricing_t *pt = table("{\"x/y\": {\"input_per_mtok\": 1000000000000, \"per_request\": 1001}}");
    const pol_price_t *p = pol_pricing_lookup(pt, "x", "y");
    prov_usage_t u = PROV_USAGE_INIT;
    int64_t c;
    assert_int_equal(pol_pricing_cost(p, &u, 1200, &c), 0);
    assert_int_equal(c, 1202);                                               /* 1001 × 1.2 = 1201.2, rounded up */
    prov__usage_set_int(&u, PROV_USAGE_INPUT_TOKENS, INT64_C(100000000000)); /* 1e11 × 1e12 overflows */
    assert_int_equal(pol_pricing_cost(p, &u, 1000, &c), POL_PRICING_E_OVERFLOW);
    assert_int_equal(pol_pricing_markup(INT64_MAX / 2, 3000, &c), POL_PRICING_E_OVERFLOW);
    uint32_t pm;
    json_t *v = json_real(1.2);
    assert_int_equal(pol_pricing_markup_permille(v, &pm), 0);
    assert_int_equal(pm, 1200);
    json_decref(v);
    v = json_integer(0);
    assert_int_equal(pol_pricing_markup_permille(v, &pm), -1);
    json_decref(v);
    pol_pricing_free(pt);
}

static void test_config_errors(void **state)
{
    (void)state;
    static const char *bad[] = {
        "[]",
        "{\"openai/x\": 5}",
        "{\"openai/x\": {\"input_per_mtok\": -1}}",
        "{\"openai/x\": {\"input_per_mtok\": 1.5}}",
        "{\"openai/x\": {\"inptu_per_mtok\": 1}}",
        "{\"gpt-4o\": {\"input_per_mtok\": 1}}",
        "{\"openai/x\": {\"per_image\": {\"1024x1024\": \"a\"}}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[512] = "";
        json_t *cfg = json_loads(bad[i], 0, NULL);
        assert_non_null(cfg);
        pol_pricing_t *pt = pol_pricing_new(cfg, err, sizeof(err));
        if (pt != NULL)
            fail_msg("accepted %s", bad[i]);
        assert_true(strncmp(err, "pricing", 7) == 0);
        json_decref(cfg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_expected_charge),    cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_dalle3_settles_from_request), cmocka_unit_test(test_config_overrides_and_fallback),
        cmocka_unit_test(test_markup_and_overflow),         cmocka_unit_test(test_config_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
