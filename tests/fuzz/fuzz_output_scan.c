/*
 * Fuzz target for the model-output scan: pol_restore_stream with its scan stage driving
 * pol_pii_session_scrub_output() (the real PII engine). The input describes a stream: byte 0 =
 * chunking seed, byte 1 = piece size (1..32 bytes of text per event) and shape (OpenAI chat delta or
 * Anthropic text_delta; bit 64: the text is at no listed path, so with pol_restore_paths_compile_all() it is scanned
 * piece by piece as "every other string", a placeholder prefix held back), then text bytes mapped onto an alphabet of
 * entity fragments (emails, cards, phone numbers, IBANs), placeholder fragments and separators. Invariants:
 *  - no error (in particular never POL_RESTORE_E_HOLD: the hold-back stays within its bound);
 *  - feeding the stream in random chunks gives exactly the bytes of feeding it whole;
 *  - the output is valid SSE whose data is valid JSON (or [DONE]);
 *  - the request's placeholder never reaches the client as a placeholder (always restored).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "common/json.h"
#include "policy/pii/pii.h"
#include "policy/restore.h"
#include "support/support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const alphabet[] = {
    "bob",     ".",          "@",    "example", "com",  " ",    "4111", "1111", "-",        "+1",    "415", "555",
    "0134",    "GB82",       "WEST", "1234",    "5698", "7654", "32",   "x",    "\xc3\xa9", "\n",    "\"",  "<EMAIL_ADDRESS_1>",
    "<EMAIL_", "ADDRESS_1>", "<",    ">",       "_1",   "jane", "call", "card", "Mr",       "Smith", "0",   "9",
};

typedef struct {
    pol_pii_engine_t *e;
    pol_pii_scratch_t *s;
    pol_pii_session_t *ss;
} fx_t;

static int scan_cb(void *ctx, const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out)
{
    fx_t *f = ctx;
    return pol_pii_session_scrub_output(f->ss, f->s, path, s, len, final, emit, out);
}

static int restore_cb(void *ctx, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    fx_t *f = ctx;
    (void)path;
    return pol_pii_session_restore(f->ss, s, len, out);
}

static fx_t *fixture(void)
{
    static fx_t f;
    static const unsigned char key[32];
    if (f.e == NULL) {
        char err[256];
        json_t *cfg = json_loads(
            "{\"default_action\":\"tokenize\",\"actions\":{\"PHONE_NUMBER\":\"mask\"},\"scan_responses\":true}", 0, NULL);
        f.e = pol_pii_engine_create(cfg, key, err, sizeof(err));
        json_decref(cfg);
        TS_CHECK(f.e != NULL, "engine");
        f.s = pol_pii_scratch_create(f.e);
        f.ss = pol_pii_session_create(f.e);
    }
    /* a fresh request that put jane@example.com in the vault */
    pol_pii_session_reset(f.ss);
    gw_buf_t out = GW_BUF_INIT;
    const char *req = "mail jane@example.com";
    TS_CHECK(pol_pii_session_scrub(f.ss, f.s, "m", req, strlen(req), &out) == 1, "request scrub");
    gw_buf_free(&out);
    return &f;
}

static int feed_all(const gw_json_paths_t *paths, const char *in, size_t n, unsigned seed, gw_buf_t *out)
{
    fx_t *f = fixture();
    pol_restore_stream_t *rs = pol_restore_stream_create(restore_cb, f);
    TS_CHECK(rs != NULL, "create");
    pol_restore_stream_set_scan(rs, paths, scan_cb);
    int rc = ts_restore_feed(rs, in, n, seed, out);
    pol_restore_stream_free(rs);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gw_json_paths_t *paths, *paths_all;
    if (paths == NULL) {
        static const char *const scan_paths[] = {"choices.*.delta.content", "delta.text"};
        static const char *const skip_paths[] = {"**.type", "**.id", "**.role", "**.finish_reason"};
        char err[128];
        paths = pol_restore_paths_compile(scan_paths, 2, err, sizeof(err));
        paths_all = pol_restore_paths_compile_all(NULL, 0, skip_paths, 4, err, sizeof(err));
        TS_CHECK(paths != NULL && paths_all != NULL, "paths");
    }
    if (size < 2 || size > 4096)
        return 0;
    unsigned seed = data[0] | 1u;
    size_t piece = 1 + (data[1] & 31);
    int anthropic = data[1] & 32;
    const gw_json_paths_t *use = data[1] & 64 ? paths_all : paths;
    gw_buf_t text = GW_BUF_INIT, in = GW_BUF_INIT;
    ts_fuzz_text(data + 2, size - 2, alphabet, sizeof(alphabet) / sizeof(alphabet[0]), &text);
    ts_sse_text_stream(text.base, text.len, piece, anthropic, &in);
    gw_buf_t a = GW_BUF_INIT, b = GW_BUF_INIT;
    int ra = feed_all(use, in.base, in.len, 0, &a), rb = feed_all(use, in.base, in.len, seed, &b);
    if (ra != 0 || rb != 0) {
        fprintf(stderr, "scan failed: %d %d on [%.*s]\n", ra, rb, (int)in.len, in.base);
        abort();
    }
    TS_CHECK(ts_buf_equal(&a, &b), "chunked output differs from whole");
    ts_sse_text_t v;
    TS_CHECK(ts_sse_text_collect(a.base, a.len, &v) == 0, "output is not SSE or ends inside an event");
    TS_CHECK(!v.bad, "output data is not JSON");
    gw_buf_append(&v.text, "", 0);
    TS_CHECK(strstr(v.text.base, "<EMAIL_ADDRESS_1>") == NULL, "a placeholder of the request reached the client");
    gw_buf_free(&v.text);
    gw_buf_free(&a);
    gw_buf_free(&b);
    gw_buf_free(&text);
    gw_buf_free(&in);
    return 0;
}
