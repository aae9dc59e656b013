/*
 * Unit tests for policy/restore: the token prefix rule, tokens split across events and chunks, flush
 * placement (next piece, [DONE], finish_reason, terminal event types, end of stream), per-path keys,
 * byte-identical pass-through of every provider fixture, and chunking invariance.
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
#include "policy/restore.h"
#include "support/support.h"

/* ---------------------------------------------------------------------------------------------- */
/* a tiny vault: replaces the complete tokens it knows */

static const char *const vault[][2] = {
    {"<EMAIL_ADDRESS_1>", "jane@example.com"},
    {"<PERSON_1>", "Jane Doe"},
    {"<PHONE_NUMBER_12>", "+1 415 555 0134"},
    {"<QUOTE_1>", "say \"hi\"\n"},
};

typedef struct {
    size_t calls;
    int fail;
} vctx_t;

static int restore_cb(void *ctx, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    vctx_t *v = ctx;
    (void)path;
    if (v) {
        v->calls++;
        if (v->fail)
            return -9;
    }
    int changed = 0;
    for (size_t i = 0; i < len;) {
        size_t k;
        for (k = 0; k < sizeof(vault) / sizeof(vault[0]); k++) {
            size_t tl = strlen(vault[k][0]);
            if (tl <= len - i && memcmp(s + i, vault[k][0], tl) == 0)
                break;
        }
        if (k < sizeof(vault) / sizeof(vault[0])) {
            gw_buf_append(out, vault[k][1], strlen(vault[k][1]));
            i += strlen(vault[k][0]);
            changed = 1;
        } else {
            gw_buf_append(out, s + i, 1);
            i++;
        }
    }
    return changed;
}

/* ---------------------------------------------------------------------------------------------- */
/* helpers: run a stream, then read the output back as events and per-path text */

/* run() with the format's streamed-text rules (pol_restore_stream_set_text; NULL: none) */
static char *run_text(const char *in, size_t n, size_t chunk, int *rc_finish, const gw_json_paths_t *text)
{
    pol_restore_stream_t *rs = pol_restore_stream_create(restore_cb, NULL);
    assert_non_null(rs);
    pol_restore_stream_set_text(rs, text);
    gw_buf_t out = GW_BUF_INIT;
    for (size_t i = 0; i < n;) {
        size_t k = chunk && chunk < n - i ? chunk : n - i;
        assert_int_equal(pol_restore_stream_feed(rs, in + i, k, &out), 0);
        i += k;
    }
    int rc = pol_restore_stream_finish(rs, &out);
    if (rc_finish)
        *rc_finish = rc;
    else
        assert_int_equal(rc, 0);
    pol_restore_stream_free(rs);
    gw_buf_append(&out, "", 0);
    return out.base;
}

static char *run(const char *in, size_t n, size_t chunk, int *rc_finish)
{
    return run_text(in, n, chunk, rc_finish, NULL);
}

typedef struct {
    gw_buf_t events; /* "event|data\n" per dispatched event */
    json_t *texts;   /* path -> concatenated text */
} view_t;

static int view_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    view_t *v = ctx;
    (void)rule_id;
    (void)repl;
    json_t *cur = json_object_get(v->texts, path);
    size_t ol = cur ? json_string_length(cur) : 0;
    char *b = malloc(ol + len + 1);
    if (ol)
        memcpy(b, json_string_value(cur), ol);
    memcpy(b + ol, s, len);
    json_object_set_new(v->texts, path, json_stringn(b, ol + len));
    free(b);
    return 0;
}

static int view_event(void *ctx, const gw_sse_event_t *ev)
{
    view_t *v = ctx;
    if (!ev->has_data)
        return 0;
    gw_buf_append(&v->events, ev->event, ev->event_len);
    gw_buf_append(&v->events, "|", 1);
    gw_buf_append(&v->events, ev->data, ev->data_len);
    gw_buf_append(&v->events, "\n", 1);
    if (ev->data_len && ev->data[0] == '{') {
        static gw_json_paths_t *all;
        if (all == NULL) {
            gw_json_rule_t r = {"**", GW_JSON_SCAN, 0};
            all = gw_json_paths_compile(&r, 1, NULL, 0);
        }
        gw_json_visitor_t vis = {view_string, NULL, v, NULL, 0, NULL};
        gw_buf_t o = GW_BUF_INIT;
        int ch;
        if (gw_json_rewrite(ev->data, ev->data_len, all, NULL, 0, &vis, &o, &ch, NULL, NULL) != 0)
            fail_msg("output data is not JSON: %s", ev->data);
        gw_buf_free(&o);
    }
    return 0;
}

static void view(const char *sse, view_t *v)
{
    gw_sse_parser_t p;
    gw_sse_init(&p, 0);
    memset(v, 0, sizeof(*v));
    v->texts = json_object();
    assert_int_equal(gw_sse_feed(&p, sse, strlen(sse), view_event, v), 0);
    assert_int_equal(gw_sse_finish(&p), 0);
    gw_sse_dispose(&p);
    gw_buf_append(&v->events, "", 0);
}

static void view_free(view_t *v)
{
    gw_buf_free(&v->events);
    json_decref(v->texts);
}

static const char *text_at(view_t *v, const char *path)
{
    json_t *s = json_object_get(v->texts, path);
    return s ? json_string_value(s) : "";
}

/* ---------------------------------------------------------------------------------------------- */

static void test_token_prefix_len(void **state)
{
    static const struct {
        const char *s;
        size_t want;
    } c[] = {
        {"", 0},       {"abc", 0},   {"abc<", 1},      {"abc<E", 2},  {"x <EMAIL_", 7}, {"<EMAIL_ADDRESS_1", 16},
        {"<email", 0}, {"a < b", 0}, {"<EMAIL_1>", 0}, {"<<A", 2},    {"<A_0", 4},      {"<1", 0},
        {"<_", 0},     {"a<A<", 1},  {"<A-", 0},       {"<AB_12", 6}, {"</div", 0},     {"x<PERSON_1> <P", 2},
    };
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        size_t got = pol_restore_token_prefix_len(c[i].s, strlen(c[i].s));
        if (got != c[i].want)
            fail_msg("%s: got %zu want %zu", c[i].s, got, c[i].want);
    }
    /* length limits: a prefix must still be completable within 64 bytes */
    char b[80];
    b[0] = '<';
    memset(b + 1, 'A', 70);
    assert_int_equal(pol_restore_token_prefix_len(b, 61), 61); /* + "_1>" = 64 */
    assert_int_equal(pol_restore_token_prefix_len(b, 62), 0);  /* + "_1>" = 65 */
    memcpy(b + 61, "_1", 2);
    assert_int_equal(pol_restore_token_prefix_len(b, 63), 63); /* + ">" = 64 */
    b[63] = '2';
    assert_int_equal(pol_restore_token_prefix_len(b, 64), 0); /* 64 bytes without '>' */
    (void)state;
}

#define CHUNK(content)                                                                                                             \
    "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" content "\"},\"finish_reason\":null}]}\n\n"
#define FINISH "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"

static void test_split_token_openai(void **state)
{
    const char *in = CHUNK("Contact <EMAIL_") CHUNK("ADDRESS_1> now") FINISH "data: [DONE]\n\n";
    char *out = run(in, strlen(in), 0, NULL);
    assert_string_equal(out, CHUNK("Contact ") CHUNK("jane@example.com now") FINISH "data: [DONE]\n\n");
    free(out);
    /* three pieces, and the same under byte-by-byte chunking */
    const char *in3 = CHUNK("Hi <") CHUNK("PERSON") CHUNK("_1>, call <PHONE_NUMBER_12>") "data: [DONE]\n\n";
    char *whole = run(in3, strlen(in3), 0, NULL);
    assert_string_equal(whole, CHUNK("Hi ") CHUNK("") CHUNK("Jane Doe, call +1 415 555 0134") "data: [DONE]\n\n");
    for (size_t k = 1; k < 9; k++) {
        char *o = run(in3, strlen(in3), k, NULL);
        assert_string_equal(o, whole);
        free(o);
    }
    free(whole);
    (void)state;
}

static void test_flush_before_terminators(void **state)
{
    /* held at [DONE]: the last event with the path is re-sent with the held text just before [DONE] */
    const char *in = CHUNK("Hi <EM") "data: [DONE]\n\n";
    char *out = run(in, strlen(in), 0, NULL);
    assert_string_equal(out, CHUNK("Hi ") CHUNK("<EM") "data: [DONE]\n\n");
    free(out);
    /* held at a finish_reason chunk: flushed before it */
    in = CHUNK("Hi <EM") FINISH "data: [DONE]\n\n";
    out = run(in, strlen(in), 0, NULL);
    assert_string_equal(out, CHUNK("Hi ") CHUNK("<EM") FINISH "data: [DONE]\n\n");
    free(out);
    /* a terminating chunk that carries text holds nothing back itself (Gemini, Fireworks) */
    in = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a <PERSON_\"}]}}]}\r\n\r\n"
         "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"1> b <X\"}]},\"finishReason\":\"STOP\"}]}\r\n\r\n";
    out = run(in, strlen(in), 0, NULL);
    assert_string_equal(
        out, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a \"}]}}]}\n\n"
             "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Jane Doe b <X\"}]},\"finishReason\":\"STOP\"}]}\n\n");
    free(out);
    /* end of stream without a terminator: flushed at finish */
    in = CHUNK("x <PERSON_1");
    out = run(in, strlen(in), 0, NULL);
    assert_string_equal(out, CHUNK("x ") CHUNK("<PERSON_1"));
    free(out);
    (void)state;
}

static void test_anthropic_events(void **state)
{
    const char *in =
        "event: content_block_delta\n"
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello <PERSON_\"}}\n\n"
        "event: ping\ndata: {\"type\":\"ping\"}\n\n"
        "event: content_block_delta\n"
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"1>! <EMAIL\"}}\n\n"
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    char *out = run(in, strlen(in), 0, NULL);
    view_t v;
    view(out, &v);
    assert_string_equal(text_at(&v, "delta.text"), "Hello Jane Doe! <EMAIL");
    /* the held "<EMAIL" is re-sent as a content_block_delta before content_block_stop */
    assert_non_null(strstr(v.events.base,
                           "content_block_delta|{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                           "\"text\":\"<EMAIL\"}}\ncontent_block_stop|"));
    assert_non_null(strstr(out, "event: ping\ndata: {\"type\":\"ping\"}\n\n")); /* untouched */
    view_free(&v);
    free(out);
    (void)state;
}

static void test_paths_are_separate(void **state)
{
    /* two choices interleaved and tool-call arguments: holds never cross paths */
    const char *in =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A <PER\"}}]}\n\n"
        "data: {\"choices\":[null,{\"delta\":{\"content\":\"B <EMAIL_\"}}]}\n\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"to\\\": "
        "\\\"<EMAIL_ADD\"}}]}}]}\n\n"
        "data: "
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"RESS_1>\\\"}\"}}]}}]}\n\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"SON_1>.\"}}]}\n\n"
        "data: {\"choices\":[null,{\"delta\":{\"content\":\"ADDRESS_1>.\"}}]}\n\n"
        "data: [DONE]\n\n";
    char *out = run(in, strlen(in), 0, NULL);
    view_t v;
    view(out, &v);
    assert_string_equal(text_at(&v, "choices[0].delta.content"), "A Jane Doe.");
    assert_string_equal(text_at(&v, "choices[1].delta.content"), "B jane@example.com.");
    assert_string_equal(text_at(&v, "choices[0].delta.tool_calls[0].function.arguments"), "{\"to\": \"jane@example.com\"}");
    view_free(&v);
    free(out);
    /* OpenAI n > 1: every choice at choices[0], told apart by "index" */
#define NCHUNK(i, content) "data: {\"choices\":[{\"index\":" #i ",\"delta\":{\"content\":\"" content "\"}}]}\n\n"
    in = NCHUNK(0, "A <PER") NCHUNK(1, "B <EMAIL_") NCHUNK(0, "SON_1>.") NCHUNK(1, "ADDRESS_1>.") "data: [DONE]\n\n";
    out = run(in, strlen(in), 0, NULL);
    assert_string_equal(out,
                        NCHUNK(0, "A ") NCHUNK(1, "B ") NCHUNK(0, "Jane Doe.") NCHUNK(1, "jane@example.com.") "data: [DONE]\n\n");
    free(out);
    (void)state;
}

/* A re-send (a flush at the end) carries the held text of one path; other streamed text of the same event went out
 * with it the first time, and a client joins streamed pieces: repeated, it reads twice (Gemini candidateCount 2, an
 * OpenAI chunk with content and reasoning_content). With the format's streamed text declared
 * (pol_restore_stream_set_text) it is sent empty in the re-send; whole values (ids, a model name) go out again. */
static void test_reemit_no_repeated_text(void **state)
{
    static const char *const text[] = {"choices.*.delta.content", "choices.*.delta.reasoning_content",
                                       "candidates.*.content.parts.*.text"};
    static const char *const skip[] = {"choices.*.delta.role"};
    char err[128];
    gw_json_paths_t *tp = pol_restore_paths_compile_all(text, 3, skip, 1, err, sizeof(err));
    assert_non_null(tp);
    const char *in = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a <EM\"}]},\"index\":0},"
                     "{\"content\":{\"parts\":[{\"text\":\"world <PERSON_1>\"}]},\"index\":1}],\"modelVersion\":\"g\"}\n\n"
                     "data: {\"candidates\":[{\"finishReason\":\"STOP\",\"index\":0}],\"modelVersion\":\"g\"}\n\n";
    char *out = run(in, strlen(in), 0, NULL);
    view_t v;
    view(out, &v);
    assert_string_equal(text_at(&v, "candidates[1].content.parts[0].text"), "world Jane Doeworld Jane Doe"); /* undeclared */
    view_free(&v);
    free(out);
    out = run_text(in, strlen(in), 0, NULL, tp);
    view(out, &v);
    assert_string_equal(text_at(&v, "candidates[0].content.parts[0].text"), "a <EM");
    assert_string_equal(text_at(&v, "candidates[1].content.parts[0].text"), "world Jane Doe");
    assert_string_equal(text_at(&v, "modelVersion"), "ggg"); /* a whole value: sent with every event, the re-send too */
    view_free(&v);
    free(out);
    in = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"think\","
         "\"content\":\"x <PER\"}}]}\n\n"
         "data: [DONE]\n\n";
    out = run_text(in, strlen(in), 0, NULL, tp);
    view(out, &v);
    assert_string_equal(text_at(&v, "choices[0].delta.content"), "x <PER");
    assert_string_equal(text_at(&v, "choices[0].delta.reasoning_content"), "think");
    assert_string_equal(text_at(&v, "choices[0].delta.role"), "assistantassistant"); /* declared no text: as it was */
    assert_string_equal(text_at(&v, "id"), "c1c1");
    view_free(&v);
    free(out);
    gw_json_paths_free(tp);
    (void)state;
}

static void test_passthrough_and_reserialization(void **state)
{
    /* comments, non-JSON data, named events without changes, ids: byte for byte */
    const char *in = ": keep-alive\n\nid: 5\nevent: output\ndata: plain <PERSON_1>\ndata: two\n\n"
                     "event: x\r\ndata: {\"a\" : \"no tokens\"}\r\n\r\n\n";
    char *out = run(in, strlen(in), 0, NULL);
    assert_string_equal(out, in);
    free(out);
    /* a changed event is re-serialized: id, event, one data line per line of (multi-line) JSON */
    in = "id: 9\nevent: delta\ndata: {\"t\":\ndata:  \"<QUOTE_1>\"}\n: inner comment\n\n";
    out = run(in, strlen(in), 0, NULL);
    assert_string_equal(out, "id: 9\nevent: delta\ndata: {\"t\":\ndata:  \"say \\\"hi\\\"\\n\"}\n\n");
    free(out);
    /* its retry field (the client's reconnection time) is kept (session 13: it was dropped) */
    in = "retry: 2500\r\nevent: delta\r\ndata: {\"t\":\"<PERSON_1>\"}\r\nretry\r\n\r\n";
    out = run(in, strlen(in), 0, NULL);
    assert_string_equal(out, "retry: 2500\nretry\nevent: delta\ndata: {\"t\":\"Jane Doe\"}\n\n");
    free(out);
    /* invalid JSON that looks like an object passes through */
    in = "data: {\"t\": <PERSON_1>}\n\n";
    out = run(in, strlen(in), 0, NULL);
    assert_string_equal(out, in);
    free(out);
    /* a truncated tail is forwarded as is, with GW_SSE_E_TRUNCATED */
    int rc;
    in = CHUNK("<PERSON_1>") "data: {\"partial";
    out = run(in, strlen(in), 0, &rc);
    assert_int_equal(rc, GW_SSE_E_TRUNCATED);
    assert_string_equal(out, CHUNK("Jane Doe") "data: {\"partial");
    free(out);
    (void)state;
}

static void test_crlf_split_across_chunks(void **state)
{
    /* CR LF split between chunks around re-serialized and raw events: output equals the whole-feed output */
    const char *in = "data: {\"t\":\"<PERSON_1>\"}\r\n\r\ndata: {\"t\":\"x\"}\r\n\r\ndata: [DONE]\r\n\r\n";
    char *whole = run(in, strlen(in), 0, NULL);
    assert_string_equal(whole, "data: {\"t\":\"Jane Doe\"}\n\ndata: {\"t\":\"x\"}\r\n\r\ndata: [DONE]\r\n\r\n");
    for (size_t k = 1; k < 40; k++) {
        char *o = run(in, strlen(in), k, NULL);
        if (strcmp(o, whole) != 0)
            fail_msg("chunk %zu: %s", k, o);
        free(o);
    }
    free(whole);
    (void)state;
}

static char *slurp(const char *rel, size_t *n)
{
    char path[2048];
    snprintf(path, sizeof(path), "%s/%s", AIGW_FIXTURES_DIR, rel);
    char *b = ts_slurp(path, n);
    if (b == NULL)
        fail_msg("missing %s", path);
    return b;
}

static void test_fixtures_pass_through(void **state)
{
    static const char *const files[] = {
        "openai/chat_completions.stream.sse",
        "openai/responses.stream.sse",
        "openai/responses.stream_error.sse",
        "openai/images_generations.gpt_image_1.stream.sse",
        "anthropic/messages.stream.sse",
        "anthropic/messages.stream_error.sse",
        "gemini/stream_generate_content.sse",
        "deepseek/chat_completions.stream.sse",
        "fireworks/chat_completions.stream.sse",
        "openrouter/chat_completions.stream.sse",
        "openrouter/chat_completions.stream_midstream_error.sse",
        "replicate/prediction.stream.sse",
        "fal/queue_status.stream.sse",
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        size_t n;
        char *in = slurp(files[i], &n);
        for (size_t k = 0; k < 4; k++) {
            char *out = run(in, n, k * 7, NULL);
            if (strlen(out) != n || memcmp(out, in, n) != 0)
                fail_msg("%s (chunk %zu): output differs from input", files[i], k * 7);
            free(out);
        }
        free(in);
    }
    (void)state;
}

static int n_hook;
static void hook(void *ctx, const gw_sse_event_t *ev)
{
    (void)ctx;
    (void)ev;
    n_hook++;
}

static void test_hook_reset_and_abort(void **state)
{
    vctx_t vc = {0, 0};
    pol_restore_stream_t *rs = pol_restore_stream_create(restore_cb, &vc);
    gw_buf_t out = GW_BUF_INIT;
    pol_restore_stream_on_event(rs, hook, NULL);
    const char *in = ": c\n\n" CHUNK("<PER") "data: [DONE]\n\n";
    assert_int_equal(pol_restore_stream_feed(rs, in, strlen(in), &out), 0);
    assert_int_equal(pol_restore_stream_finish(rs, &out), 0);
    assert_int_equal(n_hook, 2); /* events with data only */
    /* reset: no hold survives, hook cleared */
    pol_restore_stream_reset(rs, restore_cb, &vc);
    gw_buf_reset(&out);
    in = CHUNK("SON_1>");
    assert_int_equal(pol_restore_stream_feed(rs, in, strlen(in), &out), 0);
    assert_int_equal(pol_restore_stream_finish(rs, &out), 0);
    gw_buf_append(&out, "", 0);
    assert_string_equal(out.base, in);
    assert_int_equal(n_hook, 2);
    /* the callback's error stops the stream */
    pol_restore_stream_reset(rs, restore_cb, &vc);
    vc.fail = 1;
    assert_int_equal(pol_restore_stream_feed(rs, in, strlen(in), &out), -9);
    gw_buf_free(&out);
    pol_restore_stream_free(rs);
    (void)state;
}

/* Object keys are restored too (issue 10: aigw rewrites keys with personal data, e.g. Gemini functionCall.args). */
static void test_keys_restored(void **state)
{
    (void)state;
    const char *in = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\","
                     "\"args\":{\"<EMAIL_ADDRESS_1>\":\"<PERSON_1>\",\"k\":1}}}]}}]}\n\n";
    char *out = run(in, strlen(in), 0, NULL);
    assert_non_null(strstr(out, "{\"jane@example.com\":\"Jane Doe\",\"k\":1}"));
    free(out);
}

/* pol_restore_stream_event(): the name of the event whose strings the callback gets; during a flush, the held event's
 * (its text goes out in a re-send of that event), not the terminating event's that caused the flush. */
typedef struct {
    pol_restore_stream_t *rs;
    gw_buf_t seen; /* "event|path|text\n" per call */
} ectx_t;

static int event_cb(void *ctx, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    ectx_t *e = ctx;
    size_t nl;
    const char *name = pol_restore_stream_event(e->rs, &nl);
    gw_buf_append(&e->seen, name, nl);
    gw_buf_append(&e->seen, "|", 1);
    gw_buf_append(&e->seen, path, strlen(path));
    gw_buf_append(&e->seen, "|", 1);
    gw_buf_append(&e->seen, s, len);
    gw_buf_append(&e->seen, "\n", 1);
    return restore_cb(NULL, path, s, len, out);
}

static void test_event_name_for_callbacks(void **state)
{
    ectx_t e = {NULL, GW_BUF_INIT};
    e.rs = pol_restore_stream_create(event_cb, &e);
    assert_non_null(e.rs);
    size_t nl = 7;
    assert_string_equal(pol_restore_stream_event(e.rs, &nl), "");
    assert_int_equal(nl, 0);
    static const char in[] = "event: response.function_call_arguments.delta\n"
                             "data: {\"type\":\"response.function_call_arguments.delta\",\"delta\":\"{\\\"to\\\":\\\"<PERS\"}\n\n"
                             "event: response.function_call_arguments.done\n"
                             "data: {\"type\":\"response.function_call_arguments.done\",\"arguments\":\"{}\"}\n\n"
                             "data: {\"delta\":\"unnamed\"}\n\n";
    gw_buf_t out = GW_BUF_INIT;
    assert_int_equal(pol_restore_stream_feed(e.rs, in, sizeof(in) - 1, &out), 0);
    assert_int_equal(pol_restore_stream_finish(e.rs, &out), 0);
    gw_buf_append(&e.seen, "", 1);
    /* the held "<PERS" is flushed after the .done event's walk, in a re-send of the delta event (all its strings
       again): named as the delta, not as the .done that caused the flush */
    assert_string_equal(e.seen.base, "response.function_call_arguments.delta|type|response.function_call_arguments.delta\n"
                                     "response.function_call_arguments.delta|delta|{\"to\":\"\n"
                                     "response.function_call_arguments.done|type|response.function_call_arguments.done\n"
                                     "response.function_call_arguments.done|arguments|{}\n"
                                     "response.function_call_arguments.delta|type|response.function_call_arguments.delta\n"
                                     "response.function_call_arguments.delta|delta|<PERS\n"
                                     "|delta|unnamed\n");
    assert_string_equal(pol_restore_stream_event(e.rs, &nl), "");
    assert_int_equal(nl, 0);
    gw_buf_free(&out);
    gw_buf_free(&e.seen);
    pol_restore_stream_free(e.rs);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_name_for_callbacks), cmocka_unit_test(test_token_prefix_len),
        cmocka_unit_test(test_split_token_openai),       cmocka_unit_test(test_flush_before_terminators),
        cmocka_unit_test(test_anthropic_events),         cmocka_unit_test(test_paths_are_separate),
        cmocka_unit_test(test_reemit_no_repeated_text),  cmocka_unit_test(test_passthrough_and_reserialization),
        cmocka_unit_test(test_crlf_split_across_chunks), cmocka_unit_test(test_fixtures_pass_through),
        cmocka_unit_test(test_hook_reset_and_abort),     cmocka_unit_test(test_keys_restored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
