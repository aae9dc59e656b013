/*
 * gateway/billing (issue 13): the model a call is priced and reported under (body, else the
 * provider's path), unbilled requests by method and path, the usage to price (request's image
 * size/quality where the answer has none; a cut answer completed with what was delivered) and the
 * counts reports show.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "gateway/billing.h"

#define S(lit) lit, sizeof(lit) - 1

static void test_begin(void **state)
{
    (void)state;
    gw_billing_t b;
    /* Gemini names the model in the path only */
    gw_billing_begin(&b, &prov_gemini, NULL, 0, S("POST"), S("models/gemini-2.5-flash:generateContent"));
    assert_string_equal(b.model, "gemini-2.5-flash");
    assert_false(b.unbilled);
    gw_billing_begin(&b, &prov_gemini, NULL, 0, S("POST"), S("models/gemini-2.5-flash:countTokens"));
    assert_string_equal(b.model, "gemini-2.5-flash");
    assert_true(b.unbilled);
    /* the body's model wins */
    gw_billing_begin(&b, &prov_openai, S("dall-e-3"), S("POST"), S("images/generations"));
    assert_string_equal(b.model, "dall-e-3");
    assert_false(b.unbilled);
    /* fal: the target path's model; queue polls are free, a POST there is not */
    gw_billing_begin(&b, &prov_fal, NULL, 0, S("POST"), S("fal-ai/flux/dev"));
    assert_string_equal(b.model, "fal-ai/flux/dev");
    assert_false(b.unbilled);
    gw_billing_begin(&b, &prov_fal, NULL, 0, S("GET"), S("fal-ai/flux/requests/abc/status"));
    assert_string_equal(b.model, "fal-ai/flux");
    assert_true(b.unbilled);
    gw_billing_begin(&b, &prov_fal, NULL, 0, S("POST"), S("fal-ai/flux/requests/abc"));
    assert_false(b.unbilled);
    /* no model anywhere: "" (the price lookup refuses it) */
    gw_billing_begin(&b, &prov_openai, NULL, 0, S("POST"), S("chat/completions"));
    assert_string_equal(b.model, "");
    /* a reused record starts clean */
    b.delivered_text_bytes = 99;
    b.outcome = GW_OUTCOME_RESET;
    gw_billing_begin(&b, &prov_openai, S("gpt-4o-mini"), S("POST"), S("chat/completions"));
    assert_int_equal(b.delivered_text_bytes, 0);
    assert_null(b.outcome);
}

static void test_usage_and_counts(void **state)
{
    (void)state;
    gw_billing_t b;
    gw_billing_begin(&b, &prov_openai, S("dall-e-3"), S("POST"), S("images/generations"));
    prov_usage_t rep = PROV_USAGE_INIT, u;
    prov__usage_set_int(&rep, PROV_USAGE_IMAGES, 1);
    gw_billing_usage(&b, &rep, "1024x1024", "standard", 100, &u);
    assert_string_equal(u.size, "1024x1024");
    assert_string_equal(u.quality, "standard");
    assert_int_equal(u.has & PROV_USAGE_BIT(PROV_USAGE_INPUT_TOKENS), 0); /* complete: no estimate added */

    /* a stream cut after 37 bytes of text, nothing reported: input from 400 request bytes */
    gw_billing_begin(&b, &prov_openai, S("gpt-4o-mini"), S("POST"), S("chat/completions"));
    gw_billing_delivered(&b, S("{\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}"));
    gw_billing_delivered(&b, S("{\"choices\":[{\"delta\":{\"content\":\" there, 32 more bytes of text...\"}}]}"));
    assert_int_equal(b.delivered_text_bytes, 37);
    b.outcome = GW_OUTCOME_RESET;
    memset(&rep, 0, sizeof(rep));
    gw_billing_usage(&b, &rep, NULL, NULL, 400, &u);
    assert_int_equal(u.input_tokens, 100);
    assert_int_equal(u.output_tokens, 10);

    int64_t in, out, img, ms;
    gw_billing_counts(&u, &in, &out, &img, &ms);
    assert_int_equal(in, 100);
    assert_int_equal(out, 10);
    assert_int_equal(img, 0);
    assert_int_equal(ms, 0);
    /* Anthropic cache reads/writes count as input; Gemini thoughts as output; seconds rounded up */
    memset(&u, 0, sizeof(u));
    prov__usage_set_int(&u, PROV_USAGE_INPUT_TOKENS, 10);
    prov__usage_set_int(&u, PROV_USAGE_CACHE_READ_TOKENS, 5);
    prov__usage_set_int(&u, PROV_USAGE_CACHE_WRITE_TOKENS, 7);
    prov__usage_set_int(&u, PROV_USAGE_OUTPUT_TOKENS, 3);
    prov__usage_set_int(&u, PROV_USAGE_THOUGHTS_TOKENS, 4);
    prov__usage_set_double(&u, PROV_USAGE_PREDICT_TIME_S, 0.0015);
    gw_billing_counts(&u, &in, &out, &img, &ms);
    assert_int_equal(in, 22);
    assert_int_equal(out, 7);
    assert_int_equal(ms, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_begin),
        cmocka_unit_test(test_usage_and_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
