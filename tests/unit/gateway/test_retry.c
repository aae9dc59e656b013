/*
 * gateway/retry: the pure retry decision (SDK rules, side effects, Retry-After cap, time budget),
 * backoff with jitter, Retry-After parsing, the per-provider budget window, the circuit breaker's
 * states, config parsing and errors, and the shared wrapper's refusals (breaker, budget).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "gateway/retry.h"

static gw_retry_t *make(const char *retry_json, const char *breaker_json, char *err, size_t errlen)
{
    json_t *r = retry_json != NULL ? json_loads(retry_json, 0, NULL) : NULL;
    json_t *b = breaker_json != NULL ? json_loads(breaker_json, 0, NULL) : NULL;
    gw_retry_t *rt = gw_retry_new(r, b, err, errlen);
    json_decref(r);
    json_decref(b);
    return rt;
}

static gw_retry_input_t status_in(int status, uint32_t attempts)
{
    gw_retry_input_t in = {GW_RETRY_FAIL_STATUS, status, -1, -1, 0, attempts, 0};
    return in;
}

static void test_defaults_follow_sdks(void **state)
{
    (void)state;
    char err[300];
    gw_retry_t *r = make(NULL, NULL, err, sizeof(err));
    assert_non_null(r);
    const gw_retry_conf_t *c = gw_retry_conf_for(r, "openai", "gpt-4o");
    assert_int_equal(c->max_retries, 2);
    /* 408, 409, 429 and 5xx are retried; 400, 401, 404, 501 are not */
    static const int yes[] = {408, 409, 429, 500, 502, 503, 504, 529};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        gw_retry_input_t in = status_in(yes[i], 1);
        assert_true(gw_retry_decide(c, &in, 0) >= 0);
    }
    static const int no[] = {400, 401, 403, 404, 413, 422, 501};
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        gw_retry_input_t in = status_in(no[i], 1);
        assert_int_equal(gw_retry_decide(c, &in, 0), GW_RETRY_NO_STATUS);
    }
    /* two retries: the third failure is final */
    gw_retry_input_t in = status_in(503, 2);
    assert_true(gw_retry_decide(c, &in, 0) >= 0);
    in = status_in(503, 3);
    assert_int_equal(gw_retry_decide(c, &in, 0), GW_RETRY_NO_ATTEMPTS);
    gw_retry_free(r);
}

static void test_backoff_and_jitter(void **state)
{
    (void)state;
    gw_retry_conf_t c;
    memset(&c, 0, sizeof(c));
    c.initial_backoff_ms = 500;
    c.max_backoff_ms = 8000;
    /* no jitter (random 0): 500, 1000, 2000, 4000, 8000, 8000 */
    assert_int_equal(gw_retry_backoff_ms(&c, 1, 0), 500);
    assert_int_equal(gw_retry_backoff_ms(&c, 2, 0), 1000);
    assert_int_equal(gw_retry_backoff_ms(&c, 4, 0), 4000);
    assert_int_equal(gw_retry_backoff_ms(&c, 5, 0), 8000);
    assert_int_equal(gw_retry_backoff_ms(&c, 30, 0), 8000);
    /* jitter takes off at most 25 % */
    assert_int_equal(gw_retry_backoff_ms(&c, 1, 1000), 375);
    for (uint32_t rnd = 0; rnd < 5000; rnd += 7) {
        uint64_t d = gw_retry_backoff_ms(&c, 2, rnd * 2654435761u);
        assert_true(d >= 750 && d <= 1000);
    }
}

static void test_side_effects(void **state)
{
    (void)state;
    char err[300];
    gw_retry_t *r = make(NULL, NULL, err, sizeof(err));
    const gw_retry_conf_t *c = gw_retry_conf_for(r, "replicate", NULL);
    /* a prediction is retried only when the upstream cannot have accepted it */
    gw_retry_input_t in = {GW_RETRY_FAIL_CONNECT, 0, -1, -1, 1, 1, 0};
    assert_true(gw_retry_decide(c, &in, 0) >= 0);
    in.kind = GW_RETRY_FAIL_RESET;
    assert_int_equal(gw_retry_decide(c, &in, 0), GW_RETRY_NO_SIDE_EFFECTS);
    in = status_in(503, 1);
    in.side_effects = 1;
    assert_int_equal(gw_retry_decide(c, &in, 0), GW_RETRY_NO_SIDE_EFFECTS);
    in.side_effects = 0; /* answer-only, or with an Idempotency-Key */
    assert_true(gw_retry_decide(c, &in, 0) >= 0);
    gw_retry_free(r);
}

static void test_retry_after_and_time(void **state)
{
    (void)state;
    char err[300];
    gw_retry_t *r = make("{\"max_retry_after_ms\": 5000, \"max_elapsed_ms\": 10000}", NULL, err, sizeof(err));
    assert_non_null(r);
    const gw_retry_conf_t *c = gw_retry_conf_for(r, "openai", NULL);
    gw_retry_input_t in = status_in(429, 1);
    in.retry_after_ms = 3000;
    assert_int_equal(gw_retry_decide(c, &in, 12345), 3000); /* Retry-After replaces the backoff */
    in.retry_after_ms = 0;
    assert_int_equal(gw_retry_decide(c, &in, 12345), 0);
    in.retry_after_ms = 5001;
    assert_int_equal(gw_retry_decide(c, &in, 0), GW_RETRY_NO_RETRY_AFTER);
    in.retry_after_ms = 3000;
    in.elapsed_ms = 7001;
    assert_int_equal(gw_retry_decide(c, &in, 0), GW_RETRY_NO_TIME);
    in.elapsed_ms = 7000;
    assert_int_equal(gw_retry_decide(c, &in, 0), 3000);
    /* x-should-retry */
    in = status_in(503, 1);
    in.should_retry = 0;
    assert_int_equal(gw_retry_decide(c, &in, 0), GW_RETRY_NO_SHOULD);
    in = status_in(400, 1);
    in.should_retry = 1;
    assert_true(gw_retry_decide(c, &in, 0) >= 0);
    gw_retry_free(r);
}

static void test_parse_retry_after(void **state)
{
    (void)state;
    assert_int_equal(gw_retry_parse_retry_after("1", 1, 0), 1000);
    assert_int_equal(gw_retry_parse_retry_after(" 20 ", 4, 0), 20000);
    assert_int_equal(gw_retry_parse_retry_after("1.5", 3, 0), -1);
    assert_int_equal(gw_retry_parse_retry_after("", 0, 0), -1);
    assert_int_equal(gw_retry_parse_retry_after("-1", 2, 0), -1);
    /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT = 784111777 */
    const char *d = "Sun, 06 Nov 1994 08:49:37 GMT";
    assert_int_equal(gw_retry_parse_retry_after(d, strlen(d), 784111770), 7000);
    assert_int_equal(gw_retry_parse_retry_after(d, strlen(d), 784111800), 0); /* in the past */
    const char *bad = "Sun, 06 Xyz 1994 08:49:37 GMT";
    assert_int_equal(gw_retry_parse_retry_after(bad, strlen(bad), 0), -1);
    assert_int_equal(gw_retry_parse_retry_after_ms("250", 3), 250);
    assert_int_equal(gw_retry_parse_retry_after_ms("250.1", 5), 251);
    assert_int_equal(gw_retry_parse_retry_after_ms("250.0", 5), 250);
    assert_int_equal(gw_retry_parse_retry_after_ms("x", 1), -1);
    assert_int_equal(gw_retry_parse_retry_after_ms("1 2", 3), -1);
}

static void test_budget(void **state)
{
    (void)state;
    gw_retry_conf_t c;
    memset(&c, 0, sizeof(c));
    c.budget_percent = 20;
    c.budget_min_retries = 2;
    c.budget_window_ms = 10000;
    gw_retry_budget_t b;
    memset(&b, 0, sizeof(b));
    uint64_t t = 1000000;
    /* 100 requests: 2 + 20 retries allowed in the window, not one more */
    for (int i = 0; i < 100; i++)
        gw_retry_budget_request(&b, &c, t);
    for (int i = 0; i < 22; i++)
        assert_int_equal(gw_retry_budget_take(&b, &c, t + 1), 0);
    assert_int_equal(gw_retry_budget_take(&b, &c, t + 2), -1);
    /* half a window later the old half still counts */
    assert_int_equal(gw_retry_budget_take(&b, &c, t + 5000), -1);
    /* a whole window later everything is forgotten: only the minimum is left */
    assert_int_equal(gw_retry_budget_take(&b, &c, t + 20000), 0);
    assert_int_equal(gw_retry_budget_take(&b, &c, t + 20000), 0);
    assert_int_equal(gw_retry_budget_take(&b, &c, t + 20000), -1);
    /* 0 % and no minimum: never */
    c.budget_percent = 0;
    c.budget_min_retries = 0;
    memset(&b, 0, sizeof(b));
    gw_retry_budget_request(&b, &c, t);
    assert_int_equal(gw_retry_budget_take(&b, &c, t), -1);
}

static void test_breaker(void **state)
{
    (void)state;
    gw_breaker_conf_t c = {1, 3, 1000};
    gw_breaker_t b;
    memset(&b, 0, sizeof(b));
    uint64_t ra = 0, t = 5000;
    /* successes reset the count: two failures, a success, two failures stay closed */
    gw_breaker_record(&b, &c, t, 1);
    gw_breaker_record(&b, &c, t, 1);
    gw_breaker_record(&b, &c, t, 0);
    gw_breaker_record(&b, &c, t, 1);
    gw_breaker_record(&b, &c, t, 1);
    assert_int_equal(b.state, GW_BREAKER_CLOSED);
    assert_int_equal(gw_breaker_admit(&b, &c, t, &ra), 0);
    gw_breaker_record(&b, &c, t, 1); /* third consecutive */
    assert_int_equal(b.state, GW_BREAKER_OPEN);
    assert_int_equal(gw_breaker_admit(&b, &c, t + 400, &ra), -1);
    assert_int_equal(ra, 600);
    assert_int_equal(b.rejected, 1);
    /* after the cool-down one probe passes, the next waits */
    assert_int_equal(gw_breaker_admit(&b, &c, t + 1000, &ra), 0);
    assert_int_equal(b.state, GW_BREAKER_HALF_OPEN);
    assert_int_equal(gw_breaker_admit(&b, &c, t + 1001, &ra), -1);
    /* the probe fails: open again for a full cool-down */
    gw_breaker_record(&b, &c, t + 1100, 1);
    assert_int_equal(b.state, GW_BREAKER_OPEN);
    assert_int_equal(gw_breaker_admit(&b, &c, t + 2000, &ra), -1);
    assert_int_equal(ra, 100);
    /* next probe succeeds: closed */
    assert_int_equal(gw_breaker_admit(&b, &c, t + 2100, &ra), 0);
    gw_breaker_record(&b, &c, t + 2200, 0);
    assert_int_equal(b.state, GW_BREAKER_CLOSED);
    assert_int_equal(b.opens, 2);
    /* a probe that never reports does not block the next one for more than a cool-down */
    for (int i = 0; i < 3; i++)
        gw_breaker_record(&b, &c, t + 3000, 1);
    assert_int_equal(gw_breaker_admit(&b, &c, t + 4000, &ra), 0);
    assert_int_equal(gw_breaker_admit(&b, &c, t + 4500, &ra), -1);
    assert_int_equal(gw_breaker_admit(&b, &c, t + 5000, &ra), 0);
    /* disabled: never opens */
    gw_breaker_conf_t off = {0, 1, 1000};
    gw_breaker_t b2;
    memset(&b2, 0, sizeof(b2));
    gw_breaker_record(&b2, &off, t, 1);
    assert_int_equal(gw_breaker_admit(&b2, &off, t, &ra), 0);
}

static void test_overrides(void **state)
{
    (void)state;
    char err[300];
    gw_retry_t *r = make("{\"max_retries\": 3, \"providers\": {\"replicate\": {\"max_retries\": 1}},"
                         " \"models\": {\"openai/gpt-4o*\": {\"max_retries\": 0}, \"replicate/black-forest-labs/*\": "
                         "{\"initial_backoff_ms\": 100}}}",
                         "{\"failure_threshold\": 2, \"cooldown_ms\": 500}", err, sizeof(err));
    assert_non_null(r);
    assert_int_equal(gw_retry_conf_for(r, "openai", "gpt-4o-mini")->max_retries, 0);
    assert_int_equal(gw_retry_conf_for(r, "openai", "gpt-5")->max_retries, 3);
    assert_int_equal(gw_retry_conf_for(r, "openai", NULL)->max_retries, 3);
    assert_int_equal(gw_retry_conf_for(r, "replicate", "x/y")->max_retries, 1);
    /* a model override inherits its provider's values */
    const gw_retry_conf_t *m = gw_retry_conf_for(r, "replicate", "black-forest-labs/flux-schnell");
    assert_int_equal(m->max_retries, 1);
    assert_int_equal(m->initial_backoff_ms, 100);
    assert_int_equal(gw_retry_breaker_conf(r)->failure_threshold, 2);
    gw_retry_free(r);
}

static void test_config_errors(void **state)
{
    (void)state;
    static const struct {
        const char *retry, *breaker, *want;
    } cases[] = {
        {"{\"max_retries\": 11}", NULL, "retry.max_retries: expected an integer in 0..10"},
        {"{\"max_retry\": 1}", NULL, "retry.max_retry: unknown key"},
        {"{\"statuses\": [400]}", NULL, "retry.statuses[0]: expected 408, 409, 425, 429 or 500..599"},
        {"{\"providers\": {\"nope\": {}}}", NULL, "retry.providers.nope: unknown provider"},
        {"{\"providers\": {\"openai\": {\"models\": {}}}}", NULL, "retry.providers.openai.models: unknown key"},
        {"{\"models\": {\"gpt-4o\": {}}}", NULL, "retry.models.gpt-4o: expected a \"<provider>/<model glob>\" key"},
        {"{\"initial_backoff_ms\": 9000}", NULL, "retry: initial_backoff_ms must not exceed max_backoff_ms"},
        {"[]", NULL, "retry: expected an object"},
        {NULL, "{\"failure_threshold\": 0}", "circuit_breaker.failure_threshold: expected an integer in 1..1000000"},
        {NULL, "{\"enabled\": 1}", "circuit_breaker.enabled: expected true or false"},
        {NULL, "{\"open_ms\": 1}", "circuit_breaker.open_ms: unknown key"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char err[300] = "";
        gw_retry_t *r = make(cases[i].retry, cases[i].breaker, err, sizeof(err));
        if (r != NULL || strstr(err, cases[i].want) == NULL)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, err, cases[i].want);
    }
}

static const char *one_provider(int idx)
{
    return idx == 0 ? "openai" : NULL;
}

static void test_shared_refusals(void **state)
{
    (void)state;
    char err[300];
    gw_retry_t *r = make("{\"budget_percent\": 0, \"budget_min_retries\": 1}", "{\"failure_threshold\": 2, \"cooldown_ms\": 1000}",
                         err, sizeof(err));
    assert_non_null(r);
    const gw_retry_conf_t *c = gw_retry_conf_for(r, "openai", NULL);
    int h = gw_retry_host(r, "http://127.0.0.1:1", 18);
    assert_int_equal(gw_retry_host(r, "http://127.0.0.1:1", 18), h);
    assert_int_not_equal(gw_retry_host(r, "http://127.0.0.1:2", 18), h);
    uint64_t t = 100000, ra = 0;
    gw_retry_record(r, -1, 0, c, t, 1, 0);
    gw_retry_input_t in = status_in(503, 1);
    gw_retry_record(r, h, -1, c, t, 0, 1);
    assert_true(gw_retry_should(r, h, 0, c, &in, t, 0) >= 0); /* the budget's one retry */
    gw_retry_record(r, h, -1, c, t, 0, 1);                    /* second failure opens the breaker */
    assert_int_equal(gw_retry_should(r, h, 0, c, &in, t, 0), GW_RETRY_NO_BREAKER);
    assert_int_equal(gw_retry_admit(r, h, t + 10, &ra), -1);
    assert_int_equal(ra, 990);
    /* another origin: closed, but the provider's budget is spent */
    int h2 = gw_retry_host(r, "http://127.0.0.1:2", 18);
    assert_int_equal(gw_retry_should(r, h2, 0, c, &in, t, 0), GW_RETRY_NO_BUDGET);
    gw_buf_t out = GW_BUF_INIT;
    gw_retry_render_metrics(r, one_provider, &out);
    assert_non_null(strstr(out.base, "aigw_upstream_retries_total{provider=\"openai\",reason=\"status\"} 1\n"));
    assert_non_null(strstr(out.base, "aigw_upstream_retries_refused_total{provider=\"openai\",reason=\"breaker\"} 1\n"));
    assert_non_null(strstr(out.base, "aigw_upstream_retries_refused_total{provider=\"openai\",reason=\"budget\"} 1\n"));
    assert_non_null(strstr(out.base, "aigw_upstream_circuit_state{origin=\"http://127.0.0.1:1\"} 1\n"));
    assert_non_null(strstr(out.base, "aigw_upstream_circuit_state{origin=\"http://127.0.0.1:2\"} 0\n"));
    assert_non_null(strstr(out.base, "aigw_upstream_circuit_rejected_total{origin=\"http://127.0.0.1:1\"} 1\n"));
    gw_buf_free(&out);
    gw_retry_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_follow_sdks),
        cmocka_unit_test(test_backoff_and_jitter),
        cmocka_unit_test(test_side_effects),
        cmocka_unit_test(test_retry_after_and_time),
        cmocka_unit_test(test_parse_retry_after),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_breaker),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_shared_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
