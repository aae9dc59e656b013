/*
 * The response side of the privacy pass (gateway/privacy.h gw_privacy_response_json) when memory runs out: every
 * allocation of the call is failed in turn (tests/support/failalloc.h) and each outcome must be either the answer
 * with the client's values restored, or GW_E_INTERNAL (the pipeline then answers 500 and sends nothing). Never the
 * answer with its placeholders: the restore visitor's failure (-1) was once taken for "not JSON" and the body passed on
 * unrestored. With pii.scan_responses the same holds for the scanned output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gateway/config.h"
#include "gateway/privacy.h"
#include "support/failalloc.h"

#define EMAIL "jane.doe@example.com"

typedef struct {
    gw_config_t *cfg;
    gw_privacy_t *pv;
    pol_pii_session_t *ss;
    char token[64]; /* the placeholder the request pass gave EMAIL */
} fixture_t;

static fixture_t *fixture_new(int scan_responses)
{
    static fixture_t f;
    char cfg_text[256], err[256];
    snprintf(cfg_text, sizeof(cfg_text),
             "{\"pii\":{\"hash_key_hex\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\","
             "\"default_action\":\"tokenize\",\"scan_responses\":%s}}",
             scan_responses ? "true" : "false");
    memset(&f, 0, sizeof(f));
    f.cfg = gw_config_parse(cfg_text, strlen(cfg_text), "test", err, sizeof(err));
    if (f.cfg == NULL)
        fail_msg("config: %s", err);
    f.pv = gw_privacy_create(f.cfg, err, sizeof(err));
    if (f.pv == NULL)
        fail_msg("privacy: %s", err);
    f.ss = pol_pii_session_create(gw_privacy_engine(f.pv));
    assert_non_null(f.ss);
    /* the request pass tokenizes the address: the session's vault now restores it */
    gw_privacy_scratch_t s;
    assert_int_equal(gw_privacy_scratch_init(f.pv, &s), 0);
    static const char req[] = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"mail " EMAIL "\"}]}";
    gw_buf_t out = GW_BUF_INIT;
    gw_body_info_t info;
    memset(&info, 0, sizeof(info));
    int changed = 0;
    const char *desc = NULL;
    size_t off = 0;
    assert_int_equal(
        gw_privacy_scrub_request(f.pv, &s, &prov_openai, f.ss, req, sizeof(req) - 1, &out, &changed, &info, &desc, &off), 0);
    assert_true(changed);
    const char *t = strstr(out.base, "<EMAIL_ADDRESS_");
    assert_non_null(t);
    size_t tl = strcspn(t, ">") + 1;
    assert_true(tl < sizeof(f.token));
    memcpy(f.token, t, tl);
    assert_null(strstr(out.base, EMAIL));
    gw_buf_free(&out);
    gw_buf_free(&info.user);
    gw_buf_free(&info.model);
    gw_privacy_scratch_dispose(&s);
    return &f;
}

static void fixture_free(fixture_t *f)
{
    pol_pii_session_free(f->ss);
    gw_privacy_free(f->pv);
    gw_config_free(f->cfg);
}

/* Runs gw_privacy_response_json on an answer quoting the placeholder with the n-th allocation failing (0: none), on a
 * fresh scratch (so the call allocates its buffers). @return what the call returned; *restored tells whether the body
 * that would be sent (out, else the answer as it came) holds the client's value and not the placeholder. */
static int run(fixture_t *f, const prov_adapter_t *scan, long n, int *restored, int *fired)
{
    char answer[512];
    snprintf(answer, sizeof(answer),
             "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
             "\"assistant\",\"content\":\"I wrote to %s as asked.\",\"tool_calls\":[{\"type\":\"function\",\"function\":{"
             "\"name\":\"send\",\"arguments\":\"{\\\"to\\\":\\\"%s\\\"}\"}}]},\"finish_reason\":\"stop\"}]}",
             f->token, f->token);
    gw_privacy_scratch_t s;
    assert_int_equal(gw_privacy_scratch_init(f->pv, &s), 0);
    gw_buf_t out = GW_BUF_INIT;
    int changed = 0;
    ts_failalloc_arm(n);
    int rc = gw_privacy_response_json(f->pv, &s, scan, f->ss, answer, strlen(answer), &out, &changed);
    *fired = ts_failalloc_fired();
    ts_failalloc_arm(0);
    const char *sent = changed ? out.base : answer;
    *restored = strstr(sent, EMAIL) != NULL && strstr(sent, f->token) == NULL;
    gw_buf_free(&out);
    gw_privacy_scratch_dispose(&s);
    return rc;
}

static void torture(fixture_t *f, const prov_adapter_t *scan)
{
    int restored, fired, failures = 0;
    assert_int_equal(run(f, scan, 0, &restored, &fired), 0);
    assert_true(restored);
    for (long n = 1;; n++) {
        int rc = run(f, scan, n, &restored, &fired);
        if (!fired) { /* the call made fewer than n allocations: every one has been failed once */
            assert_int_equal(rc, 0);
            assert_true(restored);
            assert_true(n > 2);
            break;
        }
        if (rc == 0) {
            if (!restored)
                fail_msg("allocation %ld failed: the answer would go out with its placeholder %s", n, f->token);
        } else {
            assert_int_equal(rc, GW_E_INTERNAL);
            failures++;
        }
    }
    assert_true(failures > 0);
}

static void test_restore_out_of_memory(void **state)
{
    fixture_t *f = fixture_new(0);
    torture(f, NULL);
    fixture_free(f);
    (void)state;
}

static void test_scan_and_restore_out_of_memory(void **state)
{
    fixture_t *f = fixture_new(1);
    torture(f, &prov_openai);
    fixture_free(f);
    (void)state;
}

/* Not JSON is no failure: the answer passes as it came (nothing of the session's can be restored in it). */
static void test_not_json_passes(void **state)
{
    fixture_t *f = fixture_new(0);
    gw_privacy_scratch_t s;
    assert_int_equal(gw_privacy_scratch_init(f->pv, &s), 0);
    gw_buf_t out = GW_BUF_INIT;
    int changed = 1;
    assert_int_equal(gw_privacy_response_json(f->pv, &s, NULL, f->ss, "<html>502</html>", 16, &out, &changed), 0);
    assert_false(changed);
    gw_buf_free(&out);
    gw_privacy_scratch_dispose(&s);
    fixture_free(f);
    (void)state;
}

/* With pii.scan_responses, an answer that is not JSON (or too deep to walk) cannot be scanned: refused, never sent as
 * it came (it was, with 0: the model's text unscanned). */
static void test_not_json_with_scan_refused(void **state)
{
    fixture_t *f = fixture_new(1);
    gw_privacy_scratch_t s;
    assert_int_equal(gw_privacy_scratch_init(f->pv, &s), 0);
    gw_buf_t out = GW_BUF_INIT;
    static const char *const bodies[] = {
        "<html>write to bob.smith@corp-mail.org</html>",
        "{\"choices\":[{\"message\":{\"content\":\"bob.smith@corp-mail.org\"}}]",       /* cut short */
        "{\"choices\":[{\"message\":{\"content\":\"bob.smith@corp-mail.org \xff\"}}]}", /* invalid UTF-8 */
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        int changed = 1;
        assert_int_equal(gw_privacy_response_json(f->pv, &s, &prov_openai, f->ss, bodies[i], strlen(bodies[i]), &out, &changed),
                         GW_E_RESTORE_UNSCANNABLE);
        assert_false(changed);
        gw_buf_reset(&out);
    }
    /* valid JSON is scanned as before */
    static const char ok[] = "{\"choices\":[{\"message\":{\"content\":\"write to bob.smith@corp-mail.org\"}}]}";
    int changed = 0;
    assert_int_equal(gw_privacy_response_json(f->pv, &s, &prov_openai, f->ss, ok, sizeof(ok) - 1, &out, &changed), 0);
    assert_true(changed);
    assert_null(strstr(out.base, "bob.smith"));
    gw_buf_free(&out);
    gw_privacy_scratch_dispose(&s);
    fixture_free(f);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restore_out_of_memory),
        cmocka_unit_test(test_scan_and_restore_out_of_memory),
        cmocka_unit_test(test_not_json_passes),
        cmocka_unit_test(test_not_json_with_scan_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
