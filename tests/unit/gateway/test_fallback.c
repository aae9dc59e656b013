/*
 * gateway/fallback: the "fallbacks" config table: chains parsed and looked up by provider and model; the config
 * check's refusals (wire formats without an OpenAI-compatible API, unknown providers, self references, repeats,
 * shapes, providers with predictions).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "gateway/fallback.h"

static gw_fallbacks_t *parse(const char *json, char *err, size_t errlen)
{
    json_t *j = json_loads(json, 0, NULL);
    assert_non_null(j);
    gw_fallbacks_t *f = gw_fallbacks_new(j, err, errlen);
    json_decref(j);
    return f;
}

static void test_lookup(void **state)
{
    (void)state;
    char err[300] = "";
    gw_fallbacks_t *f = parse("{\"openai/gpt-4o\": [\"openrouter/openai/gpt-4o\", \"gemini/gemini-2.5-flash\"],"
                              " \"anthropic/claude-sonnet-4-5\": [\"anthropic/claude-haiku-4-5\"]}",
                              err, sizeof(err));
    assert_non_null(f);
    size_t n = 0;
    const gw_fallback_target_t *t = gw_fallbacks_for(f, "openai", "gpt-4o", &n);
    assert_int_equal(n, 2);
    assert_ptr_equal(t[0].adapter, &prov_openrouter);
    assert_string_equal(t[0].model, "openai/gpt-4o");
    assert_ptr_equal(t[1].adapter, &prov_gemini);
    assert_string_equal(t[1].model, "gemini-2.5-flash");
    t = gw_fallbacks_for(f, "anthropic", "claude-sonnet-4-5", &n);
    assert_int_equal(n, 1);
    assert_string_equal(t[0].model, "claude-haiku-4-5");
    assert_null(gw_fallbacks_for(f, "openai", "gpt-4o-mini", &n));
    assert_int_equal(n, 0);
    assert_null(gw_fallbacks_for(NULL, "openai", "gpt-4o", &n));
    gw_fallbacks_free(f);
    /* no section: an empty table */
    f = gw_fallbacks_new(NULL, err, sizeof(err));
    assert_non_null(f);
    assert_null(gw_fallbacks_for(f, "openai", "gpt-4o", &n));
    gw_fallbacks_free(f);
}

static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *json, *want;
    } bad[] = {
        {"[]", "fallbacks: expected an object"},
        {"{\"gpt-4o\": [\"openai/x\"]}", "fallbacks.\"gpt-4o\": expected \"<provider>/<model>\""},
        {"{\"nosuch/x\": [\"openai/x\"]}", "fallbacks.\"nosuch/x\": unknown provider"},
        {"{\"openai/gpt-4o\": []}", "expected an array of 1..8"},
        {"{\"openai/gpt-4o\": \"openrouter/x\"}", "expected an array of 1..8"},
        {"{\"openai/gpt-4o\": [1]}", "[0]: expected a string"},
        {"{\"openai/gpt-4o\": [\"openai/gpt-4o\"]}", "the chain's own provider and model"},
        {"{\"openai/gpt-4o\": [\"openai/a\", \"openai/a\"]}", "[1]: openai/a is listed twice"},
        {"{\"openai/gpt-4o\": [\"anthropic/claude-haiku-4-5\"]}", "another wire format (anthropic has no OpenAI-compatible API)"},
        {"{\"anthropic/claude-sonnet-4-5\": [\"openrouter/x\"]}", "another wire format (anthropic has"},
        {"{\"replicate/meta/llama\": [\"replicate/meta/other\"]}", "side effects"},
        {"{\"openai/gpt-4o\": [\"a/b\",\"a/b\",\"a/b\",\"a/b\",\"a/b\",\"a/b\",\"a/b\",\"a/b\",\"a/b\"]}",
         "expected an array of 1..8"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[300] = "";
        gw_fallbacks_t *f = parse(bad[i].json, err, sizeof(err));
        if (f != NULL || strstr(err, bad[i].want) == NULL)
            fail_msg("%s: got \"%s\", want \"%s\"", bad[i].json, err, bad[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
