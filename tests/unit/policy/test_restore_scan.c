/*
 * Unit tests for the model-output scan (pii.scan_responses): pol_pii_session_scrub_output() on its own (actions,
 * restored tokens never flagged, the hold-back cut) and inside the streaming restorer (policy/restore.h scan stage):
 * entities split across 2..N events and byte-by-byte chunking never leak a fragment, the hold-back stays bounded
 * (never the whole stream), terminal events and end of stream flush, and a stream without the scan stage passes
 * PII through unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "common/json.h"
#include "policy/pii/pii.h"
#include "policy/restore.h"
#include "common/sse.h"

static const unsigned char zero_key[32];

typedef struct {
    pol_pii_engine_t *e;
    pol_pii_scratch_t *s;
    pol_pii_session_t *ss;
} fx_t;

/* A fresh request: the session forgets everything, then the request puts jane@example.com in the vault as
   <EMAIL_ADDRESS_1>. */
static void fx_request(fx_t *f)
{
    pol_pii_session_reset(f->ss);
    gw_buf_t out = GW_BUF_INIT;
    const char *req = "Write to jane@example.com please";
    assert_int_equal(pol_pii_session_scrub(f->ss, f->s, "messages[0].content", req, strlen(req), &out), 1);
    assert_non_null(strstr(out.base, "<EMAIL_ADDRESS_1>"));
    gw_buf_free(&out);
}

static fx_t *fx_new(void)
{
    fx_t *f = calloc(1, sizeof(*f));
    char err[256];
    json_t *cfg =
        json_loads("{\"default_action\":\"tokenize\",\"actions\":{\"PHONE_NUMBER\":\"mask\"},\"scan_responses\":true}", 0, NULL);
    f->e = pol_pii_engine_create(cfg, zero_key, err, sizeof(err));
    json_decref(cfg);
    assert_non_null(f->e);
    f->s = pol_pii_scratch_create(f->e);
    f->ss = pol_pii_session_create(f->e);
    fx_request(f);
    return f;
}

static void fx_free(fx_t *f)
{
    pol_pii_session_free(f->ss);
    pol_pii_scratch_free(f->s);
    pol_pii_engine_free(f->e);
    free(f);
}

static size_t response_findings(fx_t *f, int type)
{
    size_t n, k = 0;
    const pol_pii_finding_t *fi = pol_pii_session_findings(f->ss, &n);
    for (size_t i = 0; i < n; i++)
        if (fi[i].response && (type < 0 || fi[i].type == type))
            k++;
    return k;
}

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

/* ---------------------------------------------------------------------------------------------- */

static void test_scrub_output_final(void **state)
{
    (void)state;
    fx_t *f = fx_new();
    const char *t = "Mail bob.smith@corp-mail.org or <EMAIL_ADDRESS_1>, not <EMAIL_ADDRESS_7>.";
    gw_buf_t out = GW_BUF_INIT;
    size_t emit = 0;
    assert_int_equal(pol_pii_session_scrub_output(f->ss, f->s, "choices[0].message.content", t, strlen(t), 1, &emit, &out), 1);
    assert_int_equal(emit, strlen(t));
    gw_buf_append(&out, "", 0);
    /* the model's address: tokenize acts as redact; the user's own value restored, unknown token left alone */
    assert_string_equal(out.base, "Mail <EMAIL_ADDRESS> or jane@example.com, not <EMAIL_ADDRESS_7>.");
    assert_int_equal(response_findings(f, POL_PII_EMAIL_ADDRESS), 1);
    size_t n;
    const pol_pii_finding_t *fi = pol_pii_session_findings(f->ss, &n);
    assert_int_equal(fi[n - 1].action, POL_PII_ACT_REDACT);
    assert_string_equal(fi[n - 1].field, "choices[0].message.content");
    assert_int_equal(fi[n - 1].start, 5);
    assert_int_equal(fi[n - 1].end, 5 + strlen("bob.smith@corp-mail.org"));
    /* the request's finding stays a request finding */
    assert_int_equal(fi[0].response, 0);
    gw_buf_free(&out);
    fx_free(f);
}

static void test_scrub_output_nothing(void **state)
{
    (void)state;
    fx_t *f = fx_new();
    const char *t = "Nothing personal in here at all.";
    gw_buf_t out = GW_BUF_INIT;
    size_t emit = 0;
    assert_int_equal(pol_pii_session_scrub_output(f->ss, f->s, "x", t, strlen(t), 1, &emit, &out), 0);
    assert_int_equal(emit, strlen(t));
    /* not final and shorter than the window: all held */
    assert_int_equal(pol_pii_session_scrub_output(f->ss, f->s, "x", t, strlen(t), 0, &emit, &out), 0);
    assert_int_equal(emit, 0);
    assert_int_equal(response_findings(f, -1), 0);
    gw_buf_free(&out);
    fx_free(f);
}

static void test_scrub_output_cut(void **state)
{
    (void)state;
    fx_t *f = fx_new();
    char t[1200];
    gw_buf_t out = GW_BUF_INIT;
    size_t emit;
    /* plain words: the cut is a word boundary within window + slack of the end */
    memset(t, 0, sizeof(t));
    for (size_t i = 0; i < 1000; i += 5)
        memcpy(t + i, "abcd ", 5);
    assert_int_equal(pol_pii_session_scrub_output(f->ss, f->s, "x", t, 1000, 0, &emit, &out), 0);
    assert_true(1000 - emit >= POL_PII_OUTPUT_WINDOW);
    assert_true(1000 - emit <= POL_PII_OUTPUT_WINDOW + POL_PII_OUTPUT_WORD_SLACK);
    assert_true(t[emit - 1] == ' ' || t[emit] == ' ');
    /* an entity straddling the window's start is held from its start */
    memset(t, 'x', sizeof(t));
    for (size_t i = 0; i < 1000; i += 5)
        memcpy(t + i, "abcd ", 5);
    const char *mail = "bob.smith@corp-mail.org ";
    size_t at = 1000 - POL_PII_OUTPUT_WINDOW - 10;
    memcpy(t + at, mail, strlen(mail));
    assert_int_equal(pol_pii_session_scrub_output(f->ss, f->s, "x", t, 1000, 0, &emit, &out), 0);
    assert_true(emit <= at);
    assert_int_equal(response_findings(f, -1), 0); /* it is acted on when it goes out, once */
    /* a long run without boundaries: cut where the window says, never the whole text */
    memset(t, 'q', 1000);
    assert_int_equal(pol_pii_session_scrub_output(f->ss, f->s, "x", t, 1000, 0, &emit, &out), 0);
    assert_int_equal(1000 - emit, POL_PII_OUTPUT_WINDOW);
    /* a token straddling the cut is held whole */
    memset(t, ' ', 1000);
    memcpy(t + 1000 - POL_PII_OUTPUT_WINDOW - 5, "<EMAIL_ADDRESS_1>", 17);
    assert_int_equal(pol_pii_session_scrub_output(f->ss, f->s, "x", t, 1000, 0, &emit, &out), 0);
    assert_int_equal(emit, 1000 - POL_PII_OUTPUT_WINDOW - 5);
    gw_buf_free(&out);
    fx_free(f);
}

/* ---------------------------------------------------------------------------------------------- */
/* streams: text cut into pieces of `piece` bytes, one event each, fed `chunk` bytes at a time */

typedef enum { WIRE_OPENAI, WIRE_ANTHROPIC } wire_t;

static void make_stream(wire_t w, const char *text, size_t piece, gw_buf_t *in)
{
    size_t n = strlen(text);
    if (w == WIRE_ANTHROPIC)
        gw_buf_appendf(in,
                       "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[]}}\n\n"
                       "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                       "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    for (size_t i = 0; i < n; i += piece) {
        size_t k = piece < n - i ? piece : n - i;
        gw_buf_t lit = GW_BUF_INIT;
        gw_json_escape(text + i, k, &lit);
        if (w == WIRE_OPENAI)
            gw_buf_appendf(in, "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":%.*s}}]}\n\n", (int)lit.len,
                           lit.base);
        else
            gw_buf_appendf(in,
                           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                           "\"delta\":{\"type\":\"text_delta\",\"text\":%.*s}}\n\n",
                           (int)lit.len, lit.base);
        gw_buf_free(&lit);
    }
    if (w == WIRE_OPENAI)
        gw_buf_appendf(in, "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                           "data: [DONE]\n\n");
    else
        gw_buf_appendf(in, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                           "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
}

static int collect_event(void *ctx, const gw_sse_event_t *ev)
{
    gw_buf_t *text = ctx;
    if (!ev->has_data || ev->data[0] != '{')
        return 0;
    json_t *j = json_loadb(ev->data, ev->data_len, 0, NULL);
    assert_non_null(j);
    json_t *s = json_object_get(json_object_get(json_array_get(json_object_get(j, "choices"), 0), "delta"), "content");
    if (s == NULL)
        s = json_object_get(json_object_get(j, "delta"), "text");
    if (json_is_string(s))
        gw_buf_append(text, json_string_value(s), json_string_length(s));
    json_decref(j);
    return 0;
}

/* The text a client reads from SSE bytes. */
static void client_text(const char *sse, size_t len, gw_buf_t *text)
{
    gw_sse_parser_t p;
    gw_sse_init(&p, 0);
    gw_buf_reset(text);
    assert_int_equal(gw_sse_feed(&p, sse, len, collect_event, text), 0);
    assert_int_equal(gw_sse_finish(&p), 0);
    gw_sse_dispose(&p);
    gw_buf_append(text, "", 0);
}

/* Runs the stream through a restorer with the scan stage; checks the hold-back bound after each chunk. */
static void run_stream(fx_t *f, const gw_json_paths_t *paths, const char *in, size_t n, size_t chunk, gw_buf_t *out)
{
    pol_restore_stream_t *rs = pol_restore_stream_create(restore_cb, f);
    assert_non_null(rs);
    if (paths != NULL)
        pol_restore_stream_set_scan(rs, paths, scan_cb);
    gw_buf_reset(out);
    for (size_t i = 0; i < n;) {
        size_t k = chunk < n - i ? chunk : n - i;
        assert_int_equal(pol_restore_stream_feed(rs, in + i, k, out), 0);
        i += k;
    }
    assert_int_equal(pol_restore_stream_finish(rs, out), 0);
    pol_restore_stream_free(rs);
}

static const char *const scan_paths[] = {"choices.*.delta.content", "delta.text"};

static void check_all_splits(wire_t w)
{
    const char *text = "Contact bob.smith@corp-mail.org, card 4111 1111 1111 1111, or <EMAIL_ADDRESS_1> tomorrow.";
    const char *want = "Contact <EMAIL_ADDRESS>, card <CREDIT_CARD>, or jane@example.com tomorrow.";
    char err[128];
    gw_json_paths_t *paths = pol_restore_paths_compile(scan_paths, 2, err, sizeof(err));
    assert_non_null(paths);
    gw_buf_t in = GW_BUF_INIT, out = GW_BUF_INIT, seen = GW_BUF_INIT;
    fx_t *f = fx_new();
    for (size_t piece = 1; piece <= strlen(text); piece++) {
        for (size_t chunk = 1; chunk <= 4096; chunk *= 4096) { /* byte by byte, then whole events */
            fx_request(f);
            gw_buf_reset(&in);
            make_stream(w, text, piece, &in);
            run_stream(f, paths, in.base, in.len, chunk, &out);
            client_text(out.base, out.len, &seen);
            if (strcmp(seen.base, want) != 0)
                fail_msg("piece %zu chunk %zu: got \"%s\"", piece, chunk, seen.base);
            /* no fragment of the model's values, and the user's restored value not flagged */
            assert_null(strstr(out.base, "bob"));
            assert_null(strstr(out.base, "4111"));
            assert_int_equal(response_findings(f, POL_PII_EMAIL_ADDRESS), 1);
            assert_int_equal(response_findings(f, POL_PII_CREDIT_CARD), 1);
            assert_int_equal(response_findings(f, -1), 2);
        }
    }
    fx_free(f);
    gw_buf_free(&in);
    gw_buf_free(&out);
    gw_buf_free(&seen);
    gw_json_paths_free(paths);
}

static void test_stream_openai_every_split(void **state)
{
    (void)state;
    check_all_splits(WIRE_OPENAI);
}

static void test_stream_anthropic_every_split(void **state)
{
    (void)state;
    check_all_splits(WIRE_ANTHROPIC);
}

/* The client keeps receiving text: after each event at most the hold-back bound is missing. */
static void test_stream_hold_is_bounded(void **state)
{
    (void)state;
    fx_t *f = fx_new();
    char err[128];
    gw_json_paths_t *paths = pol_restore_paths_compile(scan_paths, 2, err, sizeof(err));
    gw_buf_t text = GW_BUF_INIT, in = GW_BUF_INIT, out = GW_BUF_INIT, seen = GW_BUF_INIT;
    for (int i = 0; i < 200; i++)
        gw_buf_appendf(&text, "word%d ", i);
    make_stream(WIRE_OPENAI, text.base, 7, &in);
    pol_restore_stream_t *rs = pol_restore_stream_create(restore_cb, f);
    pol_restore_stream_set_scan(rs, paths, scan_cb);
    /* feed event by event; compare what the client has with what upstream sent */
    const char *p = in.base, *end = in.base + in.len;
    size_t sent = 0;
    while (p < end) {
        const char *e = strstr(p, "\n\n") + 2;
        assert_int_equal(pol_restore_stream_feed(rs, p, (size_t)(e - p), &out), 0);
        p = e;
        sent = sent + 7 < text.len ? sent + 7 : text.len;
        client_text(out.base, out.len, &seen);
        assert_true(seen.len <= sent);
        if (sent < text.len)
            assert_true(sent - seen.len <= POL_PII_OUTPUT_WINDOW + POL_PII_OUTPUT_WORD_SLACK);
    }
    assert_int_equal(pol_restore_stream_finish(rs, &out), 0);
    client_text(out.base, out.len, &seen);
    assert_string_equal(seen.base, text.base);
    assert_int_equal(response_findings(f, -1), 0);
    pol_restore_stream_free(rs);
    gw_json_paths_free(paths);
    gw_buf_free(&text);
    gw_buf_free(&in);
    gw_buf_free(&out);
    gw_buf_free(&seen);
    fx_free(f);
}

/* Without the scan stage (scan_responses off) the model's PII goes out as it came; tokens are restored. */
static void test_stream_scan_off(void **state)
{
    (void)state;
    fx_t *f = fx_new();
    const char *text = "Contact bob.smith@corp-mail.org or <EMAIL_ADDRESS_1>.";
    gw_buf_t in = GW_BUF_INIT, out = GW_BUF_INIT, seen = GW_BUF_INIT;
    make_stream(WIRE_OPENAI, text, 5, &in);
    run_stream(f, NULL, in.base, in.len, 3, &out);
    client_text(out.base, out.len, &seen);
    assert_string_equal(seen.base, "Contact bob.smith@corp-mail.org or jane@example.com.");
    assert_int_equal(response_findings(f, -1), 0);
    gw_buf_free(&in);
    gw_buf_free(&out);
    gw_buf_free(&seen);
    fx_free(f);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* pol_restore_paths_compile_all (pii.scan_responses since session 11): a string at no listed path is scanned too, on its
 * own; a placeholder split across two events there is still restored (its prefix held back); a declared skip path is
 * never scanned (an id that looks like an e-mail address goes out as it came); a re-send that flushes held text leaves
 * the other streamed text empty (it went out with its event: never twice) and repeats a whole string as it went out
 * (scanned once; session 12: it was sent empty, and a client that keeps the last value of a member lost it). */
static void test_stream_every_string(void **state)
{
    (void)state;
    fx_t *f = fx_new();
    char err[128];
    static const char *const text[] = {"choices.*.delta.content"};
    static const char *const skip[] = {"**.id", "**.role"};
    gw_json_paths_t *paths = pol_restore_paths_compile_all(text, 1, skip, 2, err, sizeof(err));
    assert_non_null(paths);
    const char *in =
        "data: {\"id\":\"x@y.com-id\",\"foo\":{\"bar\":\"mail bob.smith@corp-mail.org\"},\"choices\":[{\"index\":0,"
        "\"delta\":{\"role\":\"assistant\",\"note\":\"for <EMAIL_\"}}]}\n\n"
        "data: {\"id\":\"x@y.com-id\",\"choices\":[{\"index\":0,\"delta\":{\"note\":\"ADDRESS_1> ok\",\"content\":\"fine\"}}]}\n\n"
        "data: {\"id\":\"x@y.com-id\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
        "data: [DONE]\n\n";
    gw_buf_t out = GW_BUF_INIT;
    for (size_t chunk = 1; chunk <= strlen(in); chunk += 7) {
        fx_request(f);
        run_stream(f, paths, in, strlen(in), chunk, &out);
        gw_buf_append(&out, "", 1);
        assert_null(strstr(out.base, "bob.smith"));
        assert_int_equal(count_of(out.base, "\"bar\":\"mail <EMAIL_ADDRESS>\""), 1);
        assert_int_equal(count_of(out.base, "\"note\":\"for \""), 1);
        assert_int_equal(count_of(out.base, "\"note\":\"jane@example.com ok\""), 2); /* its event, and the re-send's */
        assert_int_equal(count_of(out.base, "\"note\":\"\""), 0);
        assert_int_equal(count_of(out.base, "\"content\":\"fine\""), 1);
        assert_int_equal(count_of(out.base, "\"id\":\"x@y.com-id\""), 4); /* three events and one re-send */
        assert_int_equal(count_of(out.base, "\"role\":\"assistant\""), 1);
        assert_int_equal(response_findings(f, POL_PII_EMAIL_ADDRESS), 1);
    }
    gw_buf_free(&out);
    gw_json_paths_free(paths);
    fx_free(f);
}

/* A stream cut before its terminal event: the held text is scanned and flushed at finish. */
static void test_stream_flush_at_end(void **state)
{
    (void)state;
    fx_t *f = fx_new();
    char err[128];
    gw_json_paths_t *paths = pol_restore_paths_compile(scan_paths, 2, err, sizeof(err));
    const char *in = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"call +1 415 555 0199\"}}]}\n\n";
    gw_buf_t out = GW_BUF_INIT, seen = GW_BUF_INIT;
    run_stream(f, paths, in, strlen(in), 1, &out);
    client_text(out.base, out.len, &seen);
    assert_null(strstr(seen.base, "555 0199"));
    assert_non_null(strstr(seen.base, "0199")); /* mask keeps the last four */
    assert_int_equal(response_findings(f, POL_PII_PHONE_NUMBER), 1);
    gw_buf_free(&out);
    gw_buf_free(&seen);
    gw_json_paths_free(paths);
    fx_free(f);
}

/* With a scan stage, model text aigw cannot read is refused, never forwarded unscanned: non-JSON data other than
 * [DONE] or blank, and JSON that does not parse. Without one, the same events pass as they came. */
static void test_stream_unscannable_refused(void **state)
{
    (void)state;
    fx_t *f = fx_new();
    char err[128];
    gw_json_paths_t *paths = pol_restore_paths_compile(scan_paths, 2, err, sizeof(err));
    static const char *const refused[] = {
        "data: Contact bob.smith@corp-mail.org\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"bob.smith@corp-mail.org\"\n\n",
        "data: [\"bob.smith@corp-mail.org\"]\n\n",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        for (int scan = 1; scan >= 0; scan--) {
            pol_restore_stream_t *rs = pol_restore_stream_create(restore_cb, f);
            if (scan)
                pol_restore_stream_set_scan(rs, paths, scan_cb);
            gw_buf_t out = GW_BUF_INIT;
            int rc = pol_restore_stream_feed(rs, refused[i], strlen(refused[i]), &out);
            if (scan) {
                assert_int_equal(rc, POL_RESTORE_E_UNSCANNABLE);
                assert_true(out.len == 0 || strstr(out.base, "bob.smith") == NULL);
            } else {
                assert_int_equal(rc, 0);
                assert_int_equal(out.len, strlen(refused[i])); /* as it came */
            }
            gw_buf_free(&out);
            pol_restore_stream_free(rs);
        }
    }
    /* a stream that ends inside an event: without the scan its raw bytes are forwarded at finish, with it they are
     * dropped (never scanned; SSE clients discard such an event) */
    static const char cut[] = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"bob.smith@corp-mail.org\"}}]}\n";
    for (int scan = 1; scan >= 0; scan--) {
        pol_restore_stream_t *rs = pol_restore_stream_create(restore_cb, f);
        if (scan)
            pol_restore_stream_set_scan(rs, paths, scan_cb);
        gw_buf_t out = GW_BUF_INIT;
        assert_int_equal(pol_restore_stream_feed(rs, cut, sizeof(cut) - 1, &out), 0);
        assert_int_equal(pol_restore_stream_finish(rs, &out), GW_SSE_E_TRUNCATED);
        if (scan)
            assert_true(out.len == 0 || strstr(out.base, "bob.smith") == NULL);
        else
            assert_int_equal(out.len, sizeof(cut) - 1);
        gw_buf_free(&out);
        pol_restore_stream_free(rs);
    }
    /* [DONE] and blank data carry no text: they pass with the scan on */
    static const char done[] = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\n"
                               "data: \n\ndata: [DONE]\n\n";
    pol_restore_stream_t *rs = pol_restore_stream_create(restore_cb, f);
    pol_restore_stream_set_scan(rs, paths, scan_cb);
    gw_buf_t out = GW_BUF_INIT;
    assert_int_equal(pol_restore_stream_feed(rs, done, sizeof(done) - 1, &out), 0);
    assert_non_null(strstr(out.base, "data: [DONE]\n\n"));
    gw_buf_free(&out);
    pol_restore_stream_free(rs);
    gw_json_paths_free(paths);
    fx_free(f);
}

/* A callback that holds back more than allowed is refused. */
static int greedy_cb(void *ctx, const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out)
{
    (void)ctx, (void)path, (void)s, (void)out, (void) final;
    *emit = len > POL_RESTORE_MAX_HOLD ? 0 : len;
    return 0;
}

static void test_hold_contract(void **state)
{
    (void)state;
    char err[128];
    gw_json_paths_t *paths = pol_restore_paths_compile(scan_paths, 2, err, sizeof(err));
    pol_restore_stream_t *rs = pol_restore_stream_create(NULL, NULL);
    pol_restore_stream_set_scan(rs, paths, greedy_cb);
    gw_buf_t in = GW_BUF_INIT, out = GW_BUF_INIT;
    const char *head = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
    gw_buf_append(&in, head, strlen(head));
    for (int i = 0; i <= POL_RESTORE_MAX_HOLD; i++)
        gw_buf_append(&in, "a", 1);
    gw_buf_append(&in, "\"}}]}\n\n", 7);
    assert_int_equal(pol_restore_stream_feed(rs, in.base, in.len, &out), POL_RESTORE_E_HOLD);
    pol_restore_stream_free(rs);
    gw_json_paths_free(paths);
    gw_buf_free(&in);
    gw_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scrub_output_final),
        cmocka_unit_test(test_scrub_output_nothing),
        cmocka_unit_test(test_scrub_output_cut),
        cmocka_unit_test(test_stream_openai_every_split),
        cmocka_unit_test(test_stream_anthropic_every_split),
        cmocka_unit_test(test_stream_hold_is_bounded),
        cmocka_unit_test(test_stream_scan_off),
        cmocka_unit_test(test_stream_flush_at_end),
        cmocka_unit_test(test_stream_every_string),
        cmocka_unit_test(test_hold_contract),
        cmocka_unit_test(test_stream_unscannable_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
