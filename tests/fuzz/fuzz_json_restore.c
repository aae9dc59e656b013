/*
 * Fuzz target for values restored into streamed JSON text (gateway/privacy.h gw_privacy_restore_piece /
 * gw_privacy_scan_piece with GW_OUTPUT_JSON, session 9): a structured-output answer streamed as OpenAI chat deltas,
 * through pol_restore_stream with the gateway's callbacks, with and without the output scan. The session's vault holds
 * a PEM secret (line breaks), a value with a quote and a backslash (a custom recognizer) and an address. The input: byte
 * 0 = chunking seed, byte 1 = piece size (1..32) and whether the scan runs, then bytes mapped onto an alphabet of JSON
 * fragments, placeholders whole and split, and prose. Invariants:
 *  - no error; feeding in random chunks gives exactly the bytes of feeding whole;
 *  - the output is valid SSE whose data is JSON;
 *  - when the model's text (with its placeholders) is one valid JSON document, the text the client joins is valid JSON
 *    too (a restored value never breaks it), and without the scan it is that document with each placeholder's value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "common/json.h"
#include "gateway/config.h"
#include "gateway/privacy.h"
#include "policy/restore.h"
#include "support/support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PEM                                                                                                                        \
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE "     \
    "KEY-----"

static const char *const alphabet[] = {
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\"k\":",
    "\"v\"",
    " ",
    "\n",
    "1",
    "a",
    "<",
    ">",
    "\\\"",
    "\\n",
    "\\\\",
    "<SECRET_1>",
    "<SECRET_",
    "1>",
    "_1",
    "<C",
    "ODE_1>",
    "<CODE_1>",
    "<EMAIL_",
    "ADDRESS_1>",
    "<EMAIL_ADDRESS_1>",
    "\xc3\xa9",
    "~",
    "-",
    "|",
    "^",
    "bob@example.com",
    "4111 1111 1111 1111",
    "<UNKNOWN_7>",
    "<SECRET_2>",
    "x",
    "y",
    "\"<SECRET_1>\"",
};

typedef struct {
    gw_config_t *cfg;
    gw_privacy_t *pv;
    gw_privacy_scratch_t s;
    pol_pii_session_t *ss;
} fx_t;

static fx_t *fixture(void)
{
    static fx_t f;
    if (f.pv == NULL) {
        char err[256];
        static const char cfg[] =
            "{\"pii\":{\"hash_key_hex\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\","
            "\"default_action\":\"tokenize\",\"scan_responses\":true,\"custom\":[{\"name\":\"CODE\",\"regex\":"
            "\"code \\\"[a-z]+\\\\\\\\[a-z]+\\\"\",\"validator\":\"none\",\"score\":0.9}]}}";
        f.cfg = gw_config_parse(cfg, sizeof(cfg) - 1, "fuzz", err, sizeof(err));
        TS_CHECK(f.cfg != NULL, "config");
        f.pv = gw_privacy_create(f.cfg, err, sizeof(err));
        TS_CHECK(f.pv != NULL, "privacy");
        TS_CHECK(gw_privacy_scratch_init(f.pv, &f.s) == 0, "scratch");
        f.ss = pol_pii_session_create(gw_privacy_engine(f.pv));
        TS_CHECK(f.ss != NULL, "session");
    }
    /* a fresh request whose scrub put the PEM (SECRET_1), code "ab\cd" (CODE_1) and an address in the vault */
    pol_pii_session_reset(f.ss);
    static const char req[] = "key " PEM " and code \"ab\\cd\" for jane@example.com";
    gw_buf_t out = GW_BUF_INIT;
    TS_CHECK(pol_pii_session_scrub(f.ss, f.s.pii, "m", req, sizeof(req) - 1, &out) == 1, "request scrub");
    TS_CHECK(strstr(out.base, "<SECRET_1>") != NULL && strstr(out.base, "<CODE_1>") != NULL &&
                 strstr(out.base, "<EMAIL_ADDRESS_1>") != NULL,
             "the request's placeholders");
    gw_buf_free(&out);
    return &f;
}

static int feed_all(int scan, const char *in, size_t n, unsigned seed, gw_buf_t *out)
{
    fx_t *f = fixture();
    gw_privacy_output_t o = {f->ss, f->s.pii, NULL, GW_OUTPUT_JSON, prov_openai.output_skip_events};
    pol_restore_stream_t *rs = pol_restore_stream_create(gw_privacy_restore_cb, &o);
    TS_CHECK(rs != NULL, "create");
    o.stream = rs;
    if (scan)
        pol_restore_stream_set_scan(rs, gw_privacy_output_paths(f->pv, &prov_openai), gw_privacy_scan_output);
    int rc = ts_restore_feed(rs, in, n, seed, out);
    pol_restore_stream_free(rs);
    return rc;
}

/* The model's text with each of the session's placeholders replaced by its value escaped for a JSON string. */
static void expected(const char *t, size_t n, gw_buf_t *out)
{
    fx_t *f = fixture();
    gw_buf_t r = GW_BUF_INIT;
    int rc = gw_privacy_restore_piece(f->ss, GW_OUTPUT_JSON, NULL, 0, "choices[0].message.content", t, n, &r);
    TS_CHECK(rc >= 0, "restore");
    gw_buf_append(out, rc == 1 ? r.base : t, rc == 1 ? r.len : n);
    gw_buf_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 2048)
        return 0;
    unsigned seed = data[0] | 1u;
    size_t piece = 1 + (data[1] & 31);
    int scan = (data[1] & 32) != 0;
    gw_buf_t text = GW_BUF_INIT, in = GW_BUF_INIT;
    ts_fuzz_text(data + 2, size - 2, alphabet, sizeof(alphabet) / sizeof(alphabet[0]), &text);
    ts_sse_text_stream(text.base, text.len, piece, 0, &in);
    gw_buf_t a = GW_BUF_INIT, b = GW_BUF_INIT;
    int ra = feed_all(scan, in.base, in.len, 0, &a), rb = feed_all(scan, in.base, in.len, seed, &b);
    if (ra != 0 || rb != 0) {
        fprintf(stderr, "restore failed: %d %d on [%.*s]\n", ra, rb, (int)in.len, in.base);
        abort();
    }
    TS_CHECK(ts_buf_equal(&a, &b), "chunked output differs from whole");
    ts_sse_text_t v;
    TS_CHECK(ts_sse_text_collect(a.base, a.len, &v) == 0, "output is not SSE or ends inside an event");
    TS_CHECK(!v.bad, "output data is not JSON");
    if (text.len != 0 && gw_json_validate(text.base, text.len, NULL, NULL) == 0) {
        if (gw_json_validate(v.text.base != NULL ? v.text.base : "", v.text.len, NULL, NULL) != 0) {
            fprintf(stderr, "model JSON [%.*s] became [%.*s]\n", (int)text.len, text.base, (int)v.text.len, v.text.base);
            abort();
        }
        if (!scan) {
            gw_buf_t want = GW_BUF_INIT;
            expected(text.base, text.len, &want);
            TS_CHECK(ts_buf_equal(&want, &v.text), "the joined text is not the model's with the values escaped");
            gw_buf_free(&want);
        }
    }
    gw_buf_free(&v.text);
    gw_buf_free(&a);
    gw_buf_free(&b);
    gw_buf_free(&text);
    gw_buf_free(&in);
    return 0;
}
