/*
 * The request pass's per-worker cache of short strings proven clean (gateway/privacy.c, CLEAN_*): a warm scratch must
 * give exactly what a fresh one gives, for every body, in any order. A verdict is per kind of handling: a string
 * proven clean as a key (a text scan) is not proven clean as a value (a value may be base64 that decodes to personal
 * data) nor as a structural field (which refuses payloads and JSON). Bodies are built from strings that are each of
 * these in turn, with keys and values swapped, `block` (findings without a change) as well as `tokenize`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/json.h"
#include "gateway/config.h"
#include "gateway/privacy.h"

/* base64 of "jane@example.com", of "hello world", a JSON document, a data: URI holding the address */
#define B64_EMAIL "amFuZUBleGFtcGxlLmNvbQ=="
#define B64_TEXT "aGVsbG8gd29ybGQ="
static const char *const pieces[] = {
    "user",
    "assistant",
    "system",
    "content",
    "role",
    "gpt-4o-mini",
    "hello world",
    B64_EMAIL,
    B64_TEXT,
    "jane@example.com",
    "4111111111111111",
    "{\\\"a\\\":\\\"jane@example.com\\\"}",
    "[\\\"x\\\"]",
    ("data:text/plain;base64," B64_EMAIL), /* one string (clang -Wstring-concatenation) */
    "Call +1 415 555 0132",
    "",
    "x",
    "\\u0061ssistant",
    "Jane Doe",
    "call_1",
};
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

typedef struct {
    int rc, changed, status;
    char code[48];
    gw_buf_t out;
    gw_buf_t findings; /* type field [start,end) action, one per line */
} outcome_t;

typedef struct {
    gw_config_t *cfg;
    gw_privacy_t *pv;
    pol_pii_session_t *ss;
    gw_privacy_scratch_t warm;
} env_t;

static void env_init(env_t *e, const char *pii)
{
    char cfg[512], err[256];
    snprintf(cfg, sizeof(cfg),
             "{\"pii\":{\"hash_key_hex\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"%s}}", pii);
    e->cfg = gw_config_parse(cfg, strlen(cfg), "test", err, sizeof(err));
    if (e->cfg == NULL)
        fail_msg("config: %s", err);
    e->pv = gw_privacy_create(e->cfg, err, sizeof(err));
    if (e->pv == NULL)
        fail_msg("privacy: %s", err);
    e->ss = pol_pii_session_create(gw_privacy_engine(e->pv));
    assert_non_null(e->ss);
    assert_int_equal(gw_privacy_scratch_init(e->pv, &e->warm), 0);
}

static void env_free(env_t *e)
{
    gw_privacy_scratch_dispose(&e->warm);
    pol_pii_session_free(e->ss);
    gw_privacy_free(e->pv);
    gw_config_free(e->cfg);
}

static void run(env_t *e, gw_privacy_scratch_t *s, const char *body, size_t len, outcome_t *o)
{
    gw_body_info_t info;
    memset(&info, 0, sizeof(info));
    pol_pii_session_reset(e->ss);
    gw_buf_reset(&o->out);
    gw_buf_reset(&o->findings);
    const char *desc = NULL;
    size_t off = 0;
    o->changed = 0;
    o->rc = gw_privacy_scrub_request(e->pv, s, &prov_openai, e->ss, body, len, &o->out, &o->changed, &info, &desc, &off);
    o->status = info.refusal_status;
    snprintf(o->code, sizeof(o->code), "%s", info.refusal_code != NULL ? info.refusal_code : "");
    size_t nf;
    const pol_pii_finding_t *f = pol_pii_session_findings(e->ss, &nf);
    for (size_t i = 0; i < nf; i++)
        gw_buf_appendf(&o->findings, "%s %s [%zu,%zu) %d\n", pol_pii_type_name(gw_privacy_engine(e->pv), f[i].type), f[i].field,
                       f[i].start, f[i].end, (int)f[i].action);
    gw_buf_free(&info.user);
    gw_buf_free(&info.model);
}

static void assert_same(const outcome_t *a, const outcome_t *b, const char *body)
{
    if (a->rc != b->rc || a->changed != b->changed || a->status != b->status || strcmp(a->code, b->code) != 0 ||
        a->findings.len != b->findings.len ||
        (a->findings.len && memcmp(a->findings.base, b->findings.base, a->findings.len) != 0) ||
        (a->changed && (a->out.len != b->out.len || memcmp(a->out.base, b->out.base, a->out.len) != 0)))
        fail_msg("warm and cold scratch differ on %s: rc %d/%d changed %d/%d code %s/%s findings\n%s---\n%s", body, a->rc, b->rc,
                 a->changed, b->changed, a->code, b->code, a->findings.base ? a->findings.base : "",
                 b->findings.base ? b->findings.base : "");
}

/* one body: the same outcome with the warm scratch (every earlier body's verdicts cached) and with a fresh one */
static void check_body(env_t *e, const char *body, outcome_t *warm, outcome_t *cold)
{
    gw_privacy_scratch_t fresh;
    assert_int_equal(gw_privacy_scratch_init(e->pv, &fresh), 0);
    run(e, &fresh, body, strlen(body), cold);
    gw_privacy_scratch_dispose(&fresh);
    run(e, &e->warm, body, strlen(body), warm);
    assert_same(warm, cold, body);
    /* twice: the second run is all hits where the first added */
    run(e, &e->warm, body, strlen(body), warm);
    assert_same(warm, cold, body);
}

static uint64_t rng = 0x243F6A8885A308D3ull;
static size_t pick(size_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (size_t)(rng % n);
}

static void random_body(gw_buf_t *b)
{
    gw_buf_reset(b);
    const char *p[8];
    for (size_t i = 0; i < 8; i++)
        p[i] = pieces[pick(NPIECES)];
    gw_buf_appendf(
        b, "{\"model\":\"%s\",\"messages\":[{\"role\":\"%s\",\"content\":\"%s\",\"%s\":\"%s\"}],\"%s\":\"%s\",\"user\":\"%s\"}",
        p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
}

static void sequences(const char *pii_cfg)
{
    env_t e;
    env_init(&e, pii_cfg);
    outcome_t w = {0}, c = {0};
    /* the orders that would poison a cache without kinds: the string first proven clean as a key, then used as a value
       (a base64 payload holding an address) and as a structural field (refused) */
    static const char *const fixed[] = {
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"" B64_EMAIL "\":1}]}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" B64_EMAIL "\"}]}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"" B64_EMAIL "\",\"content\":\"hi\"}]}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"" B64_TEXT "\":1}]}",
        "{\"model\":\"" B64_TEXT "\",\"messages\":[{\"role\":\"user\",\"content\":\"" B64_TEXT "\"}]}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"[\\\"x\\\"]\":\"[\\\"x\\\"]\"}]}",
        "{\"model\":\"[\\\"x\\\"]\",\"messages\":[]}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"jane@example.com\":\"jane@example.com\"}]}",
        "{\"model\":\"jane@example.com\",\"messages\":[]}",
    };
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        check_body(&e, fixed[i], &w, &c);
    /* the address as a value must stay tokenized, redacted or blocked whatever was cached before */
    run(&e, &e.warm, fixed[1], strlen(fixed[1]), &w);
    assert_true(w.findings.len > 0);
    run(&e, &e.warm, fixed[2], strlen(fixed[2]), &w);
    assert_int_equal(w.rc, GW_PRIVACY_E_REFUSED);
    gw_buf_t body = GW_BUF_INIT;
    for (int i = 0; i < 1500; i++) {
        random_body(&body);
        check_body(&e, body.base, &w, &c);
    }
    gw_buf_free(&body);
    gw_buf_free(&w.out);
    gw_buf_free(&w.findings);
    gw_buf_free(&c.out);
    gw_buf_free(&c.findings);
    env_free(&e);
}

static void test_cache_tokenize(void **state)
{
    (void)state;
    sequences(",\"default_action\":\"tokenize\"");
}

static void test_cache_block(void **state)
{
    (void)state;
    /* block records a finding and changes nothing: such a string is never cached */
    sequences(",\"default_action\":\"block\"");
}

static void test_cache_redact_forward(void **state)
{
    (void)state;
    sequences(",\"default_action\":\"redact\",\"forward_unscanned_types\":[\"application/*\"]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_tokenize),
        cmocka_unit_test(test_cache_block),
        cmocka_unit_test(test_cache_redact_forward),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
