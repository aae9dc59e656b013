/*
 * Fuzz target for the model-output scan: pol_restore_stream with its scan stage driving
 * pol_pii_session_scrub_output() (the real PII engine). The input describes a stream: byte 0 =
 * chunking seed, byte 1 = piece size (1..32 bytes of text per event) and shape (OpenAI chat delta or
 * Anthropic text_delta), then text bytes mapped onto an alphabet of entity fragments (emails, cards,
 * phone numbers, IBANs), placeholder fragments and separators. Invariants:
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

typedef struct {
    gw_buf_t text;
    int bad;
} view_t;

static int view_event(void *ctx, const gw_sse_event_t *ev)
{
    view_t *v = ctx;
    if (!ev->has_data || (ev->data_len == 6 && memcmp(ev->data, "[DONE]", 6) == 0))
        return 0;
    json_t *j = json_loadb(ev->data, ev->data_len, JSON_ALLOW_NUL, NULL);
    if (j == NULL) {
        v->bad = 1;
        return 0;
    }
    json_t *s = json_object_get(json_object_get(json_array_get(json_object_get(j, "choices"), 0), "delta"), "content");
    if (s == NULL)
        s = json_object_get(json_object_get(j, "delta"), "text");
    if (json_is_string(s))
        gw_buf_append(&v->text, json_string_value(s), json_string_length(s));
    json_decref(j);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gw_json_paths_t *paths;
    if (paths == NULL) {
        static const char *const scan_paths[] = {"choices.*.delta.content", "delta.text"};
        paths = pol_restore_paths_compile(scan_paths, 2, NULL, 0);
        TS_CHECK(paths != NULL, "paths");
    }
    if (size < 2 || size > 4096)
        return 0;
    unsigned seed = data[0] | 1u;
    size_t piece = 1 + (data[1] & 31);
    int anthropic = data[1] & 32;
    gw_buf_t text = GW_BUF_INIT, in = GW_BUF_INIT, esc = GW_BUF_INIT;
    for (size_t i = 2; i < size; i++) {
        const char *a = alphabet[data[i] % (sizeof(alphabet) / sizeof(alphabet[0]))];
        gw_buf_append(&text, a, strlen(a));
    }
    if (anthropic)
        gw_buf_appendf(&in, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"content\":[]}}\n\n");
    for (size_t i = 0; i < text.len;) {
        size_t k = piece < text.len - i ? piece : text.len - i;
        while (i + k < text.len && ((unsigned char)text.base[i + k] & 0xC0) == 0x80)
            k++; /* whole code points per event, as providers send */
        gw_buf_reset(&esc);
        gw_json_escape(text.base + i, k, &esc);
        if (anthropic)
            gw_buf_appendf(&in,
                           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                           "\"delta\":{\"type\":\"text_delta\",\"text\":%.*s}}\n\n",
                           (int)esc.len, esc.base);
        else
            gw_buf_appendf(&in, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":%.*s}}]}\n\n", (int)esc.len, esc.base);
        i += k;
    }
    if (anthropic)
        gw_buf_appendf(&in, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    else
        gw_buf_appendf(&in, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    gw_buf_t a = GW_BUF_INIT, b = GW_BUF_INIT;
    int ra = feed_all(paths, in.base, in.len, 0, &a), rb = feed_all(paths, in.base, in.len, seed, &b);
    if (ra != 0 || rb != 0) {
        fprintf(stderr, "scan failed: %d %d on [%.*s]\n", ra, rb, (int)in.len, in.base);
        abort();
    }
    TS_CHECK(ts_buf_equal(&a, &b), "chunked output differs from whole");
    view_t v;
    memset(&v, 0, sizeof(v));
    TS_CHECK(ts_sse_parse_all(a.base, a.len, view_event, &v) == 0, "output is not SSE or ends inside an event");
    TS_CHECK(!v.bad, "output data is not JSON");
    gw_buf_append(&v.text, "", 0);
    TS_CHECK(strstr(v.text.base, "<EMAIL_ADDRESS_1>") == NULL, "a placeholder of the request reached the client");
    gw_buf_free(&v.text);
    gw_buf_free(&a);
    gw_buf_free(&b);
    gw_buf_free(&text);
    gw_buf_free(&in);
    gw_buf_free(&esc);
    return 0;
}
