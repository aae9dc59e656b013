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
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

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
    int rc = gw_privacy_response_json(f->pv, &s, scan, f->ss, GW_OUTPUT_UNDECLARED, answer, strlen(answer), &out, &changed);
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
    assert_int_equal(gw_privacy_response_json(f->pv, &s, NULL, f->ss, GW_OUTPUT_UNDECLARED, "<html>502</html>", 16, &out, &changed),
                     0);
    assert_false(changed);
    gw_buf_free(&out);
    gw_privacy_scratch_dispose(&s);
    fixture_free(f);
    (void)state;
}

/* With pii.scan_responses, an answer that is not JSON (or too deep to walk) cannot be scanned: refused, never sent as
 * it came (it was, with 0: the model's text unscanned). */
/* pii.scan_responses on a Replicate answer: `output` holds a language model's text pieces or an image model's file URLs
 * at the same path; a link on the adapter's declared file origin (output_media_urls) is a generated file, not scanned,
 * so a digit run in its random id that reads as a card number no longer breaks it (session 12: it was redacted), nor the file
 * itself sent as a base64 data URI (session 13); the same digits in text, or in a link elsewhere or with a query, are scanned as
 * before. */
static void test_replicate_output_file_urls(void **state)
{
    fixture_t *f = fixture_new(1);
    gw_privacy_scratch_t s;
    assert_int_equal(gw_privacy_scratch_init(f->pv, &s), 0);
#define FILE_URL "https://replicate.delivery/xezq/4111111111111111/out-0.png"
#define DATA_URI "data:image/png;base64,iVBO/4111111111111111/+14155550132/AAA=="
    static const char answer[] = "{\"id\":\"p1\",\"status\":\"succeeded\",\"output\":[\"" FILE_URL "\",\"" DATA_URI "\","
                                 "\"card 4111111111111111\",\"https://example.org/4111111111111111/a.png\","
                                 "\"https://replicate.delivery/x/a.png?c=4111111111111111\"],\"error\":null}";
    gw_buf_t out = GW_BUF_INIT;
    int changed = 0;
    assert_int_equal(gw_privacy_response_json(f->pv, &s, &prov_replicate, f->ss, GW_OUTPUT_UNDECLARED, answer, sizeof(answer) - 1,
                                              &out, &changed),
                     0);
    assert_true(changed);
    gw_buf_append(&out, "", 1);
    json_t *a = json_loads(out.base, 0, NULL);
    assert_non_null(a);
    json_t *o = json_object_get(a, "output");
    assert_string_equal(json_string_value(json_array_get(o, 0)), FILE_URL);
    assert_string_equal(json_string_value(json_array_get(o, 1)), DATA_URI); /* session 13: the file as a data URI */
    for (size_t i = 2; i < 5; i++)
        assert_null(strstr(json_string_value(json_array_get(o, i)), "4111111111111111"));
#undef DATA_URI
#undef FILE_URL
    json_decref(a);
    gw_buf_free(&out);
    gw_privacy_scratch_dispose(&s);
    fixture_free(f);
    (void)state;
}

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
        assert_int_equal(gw_privacy_response_json(f->pv, &s, &prov_openai, f->ss, GW_OUTPUT_UNDECLARED, bodies[i],
                                                  strlen(bodies[i]), &out, &changed),
                         GW_E_RESTORE_UNSCANNABLE);
        assert_false(changed);
        gw_buf_reset(&out);
    }
    /* valid JSON is scanned as before */
    static const char ok[] = "{\"choices\":[{\"message\":{\"content\":\"write to bob.smith@corp-mail.org\"}}]}";
    int changed = 0;
    assert_int_equal(
        gw_privacy_response_json(f->pv, &s, &prov_openai, f->ss, GW_OUTPUT_UNDECLARED, ok, sizeof(ok) - 1, &out, &changed), 0);
    assert_true(changed);
    assert_null(strstr(out.base, "bob.smith"));
    gw_buf_free(&out);
    gw_privacy_scratch_dispose(&s);
    fixture_free(f);
    (void)state;
}

/* A PEM block: a SECRET whose value holds line breaks (the request pass tokenizes it, the answer quotes the token). */
#define PEM                                                                                                                        \
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"                          \
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----"

/* The JSON string value of member `key` of the SSE event (one data line) that follows "event: NAME\n" in `sse`, parsed as
 * JSON itself when `inner`: the PEM must come back as the value of "key" of that inner JSON. */
static void assert_event_value(const char *sse, const char *name, const char *key, int inner, const char *want)
{
    char head[128];
    snprintf(head, sizeof(head), "event: %s\ndata: ", name);
    const char *at = strstr(sse, head);
    if (at == NULL)
        fail_msg("no %s event in %s", name, sse);
    at += strlen(head);
    size_t n = strcspn(at, "\n");
    json_error_t e;
    json_t *d = json_loadb(at, n, 0, &e);
    if (d == NULL)
        fail_msg("%s: data is not JSON: %.*s", name, (int)n, at);
    const json_t *v = json_object_get(d, key);
    if (v == NULL && json_object_get(d, "item") != NULL)
        v = json_object_get(json_object_get(d, "item"), key);
    assert_true(json_is_string(v));
    if (!inner) {
        assert_string_equal(json_string_value(v), want);
    } else {
        json_t *args = json_loads(json_string_value(v), 0, &e);
        if (args == NULL)
            fail_msg("%s: the restored %s is not JSON any more (%s): %s", name, key, e.text, json_string_value(v));
        assert_string_equal(json_string_value(json_object_get(args, "key")), want);
        json_decref(args);
    }
    json_decref(d);
}

/* OpenAI Responses streams: function-call arguments are JSON text, in `response.function_call_arguments.delta` (at the
 * path `delta`, like the prose of `response.output_text.delta`), the top-level `arguments` of `.done` and the item of
 * `response.output_item.done`. A value restored into them is escaped for that JSON (a PEM's line breaks were written
 * raw into the deltas and `.done`: arguments the client could not parse); the prose delta gets the value as it is. */
/* The request pass tokenizes PEM (as SECRET) in an OpenAI Responses request: its placeholder goes to `tok`. */
static void tokenize_pem(fixture_t *f, char tok[32])
{
    gw_privacy_scratch_t s;
    assert_int_equal(gw_privacy_scratch_init(f->pv, &s), 0);
    static const char req[] = "{\"model\":\"gpt-4o-mini\",\"input\":\"store this key: " PEM "\"}";
    /* the JSON request needs its line breaks escaped */
    gw_buf_t body = GW_BUF_INIT, out = GW_BUF_INIT;
    for (const char *c = req; *c; c++)
        gw_buf_append(&body, *c == '\n' ? "\\n" : c, *c == '\n' ? 2 : 1);
    gw_body_info_t info;
    memset(&info, 0, sizeof(info));
    int changed = 0;
    const char *desc = NULL;
    size_t off = 0;
    assert_int_equal(
        gw_privacy_scrub_request(f->pv, &s, &prov_openai, f->ss, body.base, body.len, &out, &changed, &info, &desc, &off), 0);
    const char *t = strstr(out.base, "<SECRET_");
    assert_non_null(t);
    size_t tl = strcspn(t, ">") + 1;
    assert_true(tl < 32 && tl > 4);
    memcpy(tok, t, tl);
    tok[tl] = '\0';
    gw_buf_free(&body);
    gw_buf_free(&out);
    gw_buf_free(&info.user);
    gw_buf_free(&info.model);
    gw_privacy_scratch_dispose(&s);
}

/* A structured-output answer (the content is itself JSON: OpenAI response_format json_schema, an app's "answer in
 * JSON") keeps parsing after the restore: a value with a line break or a quote is escaped inside its JSON; prose, also
 * prose that starts with a bracket, gets the value as it is. */
static void test_structured_output_stays_json(void **state)
{
    fixture_t *f = fixture_new(0);
    char tok[32];
    tokenize_pem(f, tok);
    gw_privacy_scratch_t s;
    assert_int_equal(gw_privacy_scratch_init(f->pv, &s), 0);
    for (size_t k = 0; k < 4; k++) {
        char content[256], answer[512];
        const char *pk = tok, *pm = f->token;
        switch (k) { /* the content as a JSON string literal's body (its quotes escaped) */
        case 0:
            snprintf(content, sizeof(content), "{\\\"key\\\": \\\"%s\\\", \\\"mail\\\": \\\"%s\\\"}", pk, pm);
            break;
        case 1:
            snprintf(content, sizeof(content), " [\\\"%s\\\", \\\"%s\\\"]", pk, pm);
            break;
        case 2:
            snprintf(content, sizeof(content), "key: %s, mail %s", pk, pm);
            break;
        default:
            snprintf(content, sizeof(content), "[note] key: %s, mail %s", pk, pm);
        }
        snprintf(answer, sizeof(answer),
                 "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                 "\"content\":\"%s\"},\"finish_reason\":\"stop\"}]}",
                 content);
        gw_buf_t out = GW_BUF_INIT;
        int changed = 0;
        assert_int_equal(gw_privacy_restore_json(f->pv, &s, f->ss, answer, strlen(answer), &out, &changed), 0);
        assert_true(changed);
        json_t *a = json_loadb(out.base, out.len, 0, NULL);
        assert_non_null(a);
        const char *text = json_string_value(
            json_object_get(json_object_get(json_array_get(json_object_get(a, "choices"), 0), "message"), "content"));
        assert_non_null(text);
        assert_null(strstr(text, "<SECRET_"));
        assert_null(strstr(text, "<EMAIL_"));
        if (k < 2) { /* JSON content: still JSON, the values decoded back */
            json_t *inner = json_loads(text, 0, NULL);
            if (inner == NULL)
                fail_msg("case %zu: the restored content is no longer JSON: %s", k, text);
            json_t *key = k == 0 ? json_object_get(inner, "key") : json_array_get(inner, 0);
            json_t *mail = k == 0 ? json_object_get(inner, "mail") : json_array_get(inner, 1);
            assert_string_equal(json_string_value(key), PEM);
            assert_string_equal(json_string_value(mail), EMAIL);
            json_decref(inner);
        } else { /* prose: the value as it is, its line breaks raw */
            assert_non_null(strstr(text, PEM));
            assert_non_null(strstr(text, EMAIL));
        }
        json_decref(a);
        gw_buf_free(&out);
    }
    gw_privacy_scratch_dispose(&s);
    fixture_free(f);
    (void)state;
}

/* The joined `delta` of every event named `name` in the SSE text `sse`, into `out`. */
static void join_deltas(const char *sse, const char *name, gw_buf_t *out)
{
    char head[128];
    snprintf(head, sizeof(head), "event: %s\ndata: ", name);
    gw_buf_reset(out);
    for (const char *at = strstr(sse, head); at != NULL; at = strstr(at, head)) {
        at += strlen(head);
        json_t *d = json_loadb(at, strcspn(at, "\n"), 0, NULL);
        assert_non_null(d);
        const char *piece = json_string_value(json_object_get(d, "delta"));
        assert_non_null(piece);
        gw_buf_append(out, piece, strlen(piece));
        json_decref(d);
    }
    gw_buf_append(out, "", 1);
    out->len--;
}

/* Feeds `sse` through an OpenAI-format restorer of the fixture's session (`scan`: with pii.scan_responses' stage), in
 * pieces of `chunk` bytes, into `sent` (NUL-terminated). */
static void run_openai_stream(fixture_t *f, int scan, const char *sse, size_t chunk, gw_buf_t *sent)
{
    gw_privacy_scratch_t s;
    assert_int_equal(gw_privacy_scratch_init(f->pv, &s), 0);
    gw_privacy_output_t o = {f->ss, s.pii, NULL, GW_OUTPUT_UNDECLARED, prov_openai.output_skip_events};
    pol_restore_stream_t *rs = pol_restore_stream_create(gw_privacy_restore_cb, &o);
    assert_non_null(rs);
    o.stream = rs;
    if (scan) /* pii.scan_responses: `delta` is model text, its restore is the scan's (session 9: escaped there too) */
        pol_restore_stream_set_scan(rs, gw_privacy_output_paths(f->pv, &prov_openai), gw_privacy_scan_output);
    for (size_t at = 0, n = strlen(sse); at < n; at += chunk)
        assert_int_equal(pol_restore_stream_feed(rs, sse + at, n - at < chunk ? n - at : chunk, sent), 0);
    assert_int_equal(pol_restore_stream_finish(rs, sent), 0);
    gw_buf_append(sent, "", 1);
    pol_restore_stream_free(rs);
    gw_privacy_scratch_dispose(&s);
}

static void check_stream_arguments(int scan)
{
    fixture_t *f = fixture_new(scan);
    char tok[32];
    tokenize_pem(f, tok);
    /* split the token across the two argument deltas: the held text is re-sent as its own (delta) event */
    char sse[2048];
    snprintf(sse, sizeof(sse),
             "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"key: %s\"}\n\n"
             "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\",\"text\":\"key: %s\"}\n\n"
             "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\","
             "\"delta\":\"{\\\"key\\\":\\\"%.4s\"}\n\n"
             "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\","
             "\"delta\":\"%s\\\"}\"}\n\n"
             "event: response.function_call_arguments.done\ndata: {\"type\":\"response.function_call_arguments.done\","
             "\"arguments\":\"{\\\"key\\\":\\\"%s\\\"}\"}\n\n"
             "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"item\":{\"type\":"
             "\"function_call\",\"arguments\":\"{\\\"key\\\":\\\"%s\\\"}\"}}\n\n",
             tok, tok, tok, tok + 4, tok, tok);
    gw_buf_t sent = GW_BUF_INIT;
    run_openai_stream(f, scan, sse, strlen(sse), &sent);
    assert_null(strstr(sent.base, "<SECRET_"));
    if (!scan) { /* the scan holds prose back and sends it in a later (re-sent) event */
        assert_event_value(sent.base, "response.output_text.delta", "delta", 0, "key: " PEM);
        assert_event_value(sent.base, "response.output_text.done", "text", 0, "key: " PEM);
    }
    assert_event_value(sent.base, "response.function_call_arguments.done", "arguments", 1, PEM);
    assert_event_value(sent.base, "response.output_item.done", "arguments", 1, PEM);
    /* the deltas, joined as the SDKs do, are the same JSON */
    gw_buf_t joined = GW_BUF_INIT;
    join_deltas(sent.base, "response.function_call_arguments.delta", &joined);
    json_t *args = json_loadb(joined.base, joined.len, 0, NULL);
    if (args == NULL)
        fail_msg("the joined argument deltas are not JSON: %.*s", (int)joined.len, joined.base);
    assert_string_equal(json_string_value(json_object_get(args, "key")), PEM);
    json_decref(args);
    gw_buf_free(&joined);
    gw_buf_free(&sent);
    fixture_free(f);
}

/* pii.scan_responses, OpenAI Responses stream: tool-call arguments are not scanned by design (docs/config.md "Model
 * output"), in the `delta` pieces (declared for their events: prov_out_event_skip_t) as in the `.done` event's
 * `arguments` and the item's; their placeholders are restored. Before, the pieces were scanned (their path is the prose
 * `delta`'s) and the rest was not: the joined pieces said `<EMAIL_ADDRESS>` where the final arguments held the address.
 * The prose of the same stream is still scanned. */
static void test_stream_arguments_not_scanned(void **state)
{
    (void)state;
    fixture_t *f = fixture_new(1);
#define MODEL_MAIL "carol.white@example.net"
    char sse[4096];
    snprintf(sse, sizeof(sse),
             "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"mail " MODEL_MAIL
             "\"}\n\n"
             "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\",\"text\":\"mail " MODEL_MAIL "\"}\n\n"
             "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\","
             "\"delta\":\"{\\\"to\\\":\\\"" MODEL_MAIL "\\\",\\\"cc\\\":\\\"%.6s\"}\n\n"
             "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\","
             "\"delta\":\"%s\\\"}\"}\n\n"
             "event: response.function_call_arguments.done\ndata: {\"type\":\"response.function_call_arguments.done\","
             "\"arguments\":\"{\\\"to\\\":\\\"" MODEL_MAIL "\\\",\\\"cc\\\":\\\"%s\\\"}\"}\n\n"
             "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"item\":{\"type\":"
             "\"function_call\",\"arguments\":\"{\\\"to\\\":\\\"" MODEL_MAIL "\\\",\\\"cc\\\":\\\"%s\\\"}\"}}\n\n",
             f->token, f->token + 6, f->token, f->token);
    gw_buf_t sent = GW_BUF_INIT, joined = GW_BUF_INIT;
    run_openai_stream(f, 1, sse, 5, &sent); /* in pieces, as the network does */
    static const char want[] = "{\"to\":\"" MODEL_MAIL "\",\"cc\":\"" EMAIL "\"}";
    join_deltas(sent.base, "response.function_call_arguments.delta", &joined);
    assert_string_equal(joined.base, want);
    assert_event_value(sent.base, "response.function_call_arguments.done", "arguments", 0, want);
    assert_event_value(sent.base, "response.output_item.done", "arguments", 0, want);
    /* the prose is model text: scanned (tokenize acts as redact there) */
    join_deltas(sent.base, "response.output_text.delta", &joined);
    assert_string_equal(joined.base, "mail <EMAIL_ADDRESS>");
    assert_event_value(sent.base, "response.output_text.done", "text", 0, "mail <EMAIL_ADDRESS>");
#undef MODEL_MAIL
    gw_buf_free(&joined);
    gw_buf_free(&sent);
    fixture_free(f);
}

static void test_stream_arguments_stay_json(void **state)
{
    check_stream_arguments(0);
    (void)state;
}

static void test_stream_arguments_stay_json_scanned(void **state)
{
    check_stream_arguments(1);
    (void)state;
}

/* ---- structured output streamed: the request's declared output mode decides (session 9) ---- */

/* One provider's stream of an answer whose text is given in pieces: how an event carries a piece, how the client
 * reads it back (the SDK joins the pieces), and how the stream ends. */
typedef struct {
    const char *name;
    const prov_adapter_t *adapter;
    const char *event;       /* SSE event name of a piece, or NULL */
    const char *head, *tail; /* the data JSON around the piece's string literal body */
    const char *end;         /* the events that end the stream */
} shape_t;

static const shape_t shapes[] = {
    {"openai chat", &prov_openai, NULL, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"", "\"}}]}",
     "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"},
    {"openai responses", &prov_openai, "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":\"", "\"}",
     "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\"}}\n\n"},
    {"anthropic", &prov_anthropic, "content_block_delta",
     "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"", "\"}}",
     "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
     "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"},
    {"gemini", &prov_gemini, NULL, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"", "\"}],\"role\":\"model\"}}]}",
     "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"STOP\"}]}\n\n"},
};

/* The piece's text of one event's data, or NULL when the event carries none (path per shape). */
static const char *piece_of(const shape_t *sh, json_t *d)
{
    if (sh->adapter == &prov_gemini)
        return json_string_value(json_object_get(
            json_array_get(
                json_object_get(json_object_get(json_array_get(json_object_get(d, "candidates"), 0), "content"), "parts"), 0),
            "text"));
    if (sh->adapter == &prov_anthropic)
        return json_string_value(json_object_get(json_object_get(d, "delta"), "text"));
    if (sh->event != NULL)
        return json_is_string(json_object_get(d, "delta")) ? json_string_value(json_object_get(d, "delta")) : NULL;
    return json_string_value(
        json_object_get(json_object_get(json_array_get(json_object_get(d, "choices"), 0), "delta"), "content"));
}

/* Streams `pieces` (JSON string literal bodies) in shape `sh` through the restorer with output mode `mode` (and the
 * output scan when `scan`), joins the text the client reads, and returns it (caller frees). */
static char *stream_joined(fixture_t *f, const shape_t *sh, int mode, int scan, const char *const *pieces, size_t n)
{
    gw_buf_t sse = GW_BUF_INIT, sent = GW_BUF_INIT, joined = GW_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (sh->event != NULL) {
            gw_buf_append(&sse, "event: ", 7);
            gw_buf_append(&sse, sh->event, strlen(sh->event));
            gw_buf_append(&sse, "\n", 1);
        }
        gw_buf_append(&sse, "data: ", 6);
        gw_buf_append(&sse, sh->head, strlen(sh->head));
        gw_buf_append(&sse, pieces[i], strlen(pieces[i]));
        gw_buf_append(&sse, sh->tail, strlen(sh->tail));
        gw_buf_append(&sse, "\n\n", 2);
    }
    gw_buf_append(&sse, sh->end, strlen(sh->end));
    gw_privacy_scratch_t s;
    assert_int_equal(gw_privacy_scratch_init(f->pv, &s), 0);
    gw_privacy_output_t o = {f->ss, s.pii, NULL, mode, sh->adapter->output_skip_events};
    pol_restore_stream_t *rs = pol_restore_stream_create(gw_privacy_restore_cb, &o);
    assert_non_null(rs);
    o.stream = rs;
    if (scan) {
        const gw_json_paths_t *paths = gw_privacy_output_paths(f->pv, sh->adapter);
        assert_non_null(paths);
        pol_restore_stream_set_scan(rs, paths, gw_privacy_scan_output);
    }
    /* fed in small chunks, as the network does */
    for (size_t at = 0; at < sse.len; at += 7)
        assert_int_equal(pol_restore_stream_feed(rs, sse.base + at, sse.len - at < 7 ? sse.len - at : 7, &sent), 0);
    assert_int_equal(pol_restore_stream_finish(rs, &sent), 0);
    gw_buf_append(&sent, "", 1);
    for (const char *at = strstr(sent.base, "data: "); at != NULL; at = strstr(at, "data: ")) {
        at += 6;
        size_t dl = strcspn(at, "\n");
        json_t *d = json_loadb(at, dl, 0, NULL);
        const char *p = d != NULL ? piece_of(sh, d) : NULL;
        if (p != NULL)
            gw_buf_append(&joined, p, strlen(p));
        json_decref(d);
    }
    gw_buf_append(&joined, "", 1);
    char *r = strdup(joined.base);
    pol_restore_stream_free(rs);
    gw_privacy_scratch_dispose(&s);
    gw_buf_free(&sse);
    gw_buf_free(&sent);
    gw_buf_free(&joined);
    return r;
}

/* A structured-output answer streamed by each provider, cut into pieces of 7 to 97 bytes (placeholders split across
 * pieces, long enough for the output scan to emit as it goes): with the request's output mode JSON the text the client
 * joins is JSON holding the PEM (line breaks) and the address; without a declared mode the pieces got the PEM raw (no
 * piece is JSON on its own) and the joined text did not parse (the state before session 9); with pii.scan_responses
 * the scan's restore escapes the same way. */
static void check_stream_json(int scan)
{
    fixture_t *f = fixture_new(scan);
    char tok[32];
    tokenize_pem(f, tok);
    char filler[161];
    for (size_t i = 0; i < sizeof(filler) - 1; i++)
        filler[i] = "the quick brown fox jumps over a lazy dog "[i % 42];
    filler[sizeof(filler) - 1] = '\0';
    char text[2048];
    snprintf(text, sizeof(text),
             "{\"intro\": \"%s\", \"key\": \"%s\", \"n1\": \"%.90s\", \"mail\": \"%s\", \"n2\": \"%s\", \"key2\": \"%s\", "
             "\"note\": \"a < b\"}",
             filler, tok, filler, f->token, filler, tok);
    size_t tl = strlen(text);
    static const size_t sizes[] = {7, 13, 40, 97};
    for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
        const shape_t *sh = &shapes[k];
        for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
            /* the pieces as JSON string literal bodies */
            char *pieces[400];
            size_t n = 0;
            for (size_t at = 0; at < tl; at += sizes[z]) {
                gw_buf_t lit = GW_BUF_INIT;
                gw_json_escape(text + at, tl - at < sizes[z] ? tl - at : sizes[z], &lit);
                pieces[n] = strndup(lit.base + 1, lit.len - 2);
                n++;
                gw_buf_free(&lit);
            }
            for (int mode = GW_OUTPUT_UNDECLARED; mode <= GW_OUTPUT_JSON; mode++) {
                char *got = stream_joined(f, sh, mode, scan, (const char *const *)pieces, n);
                json_t *inner = json_loads(got, 0, NULL);
                if (mode == GW_OUTPUT_JSON) {
                    if (inner == NULL)
                        fail_msg("%s%s, pieces of %zu: the joined JSON-mode answer does not parse: %s", sh->name,
                                 scan ? " (scan)" : "", sizes[z], got);
                    assert_string_equal(json_string_value(json_object_get(inner, "key")), PEM);
                    assert_string_equal(json_string_value(json_object_get(inner, "key2")), PEM);
                    assert_string_equal(json_string_value(json_object_get(inner, "mail")), EMAIL);
                    assert_string_equal(json_string_value(json_object_get(inner, "note")), "a < b");
                    assert_string_equal(json_string_value(json_object_get(inner, "intro")), filler);
                } else if (mode == GW_OUTPUT_TEXT) {
                    assert_non_null(strstr(got, PEM)); /* declared prose: the value as it is, line breaks raw */
                } else if (!scan || sizes[z] < 97) {
                    /* nothing declared: the pieces are no JSON and got the values raw. (The output scan may hold the
                       end of the answer and flush it as one piece: it holds no whole document either.) */
                    assert_null(inner);
                }
                json_decref(inner);
                free(got);
            }
            for (size_t i = 0; i < n; i++)
                free(pieces[i]);
        }
    }
    fixture_free(f);
}

static void test_stream_json_mode(void **state)
{
    check_stream_json(0);
    (void)state;
}

static void test_stream_json_mode_scanned(void **state)
{
    check_stream_json(1);
    (void)state;
}

/* A held JSON answer: the declared mode decides, not the guess. With JSON declared a content that is not one valid
 * document on its own (a model's truncated answer) still gets escaped values; with text declared a content that
 * happens to be JSON gets values as they are; with the output scan the same (the scan's restore). Reasoning text is
 * prose in any mode. */
static void test_held_answer_by_mode(void **state)
{
    for (int scan = 0; scan < 2; scan++) {
        fixture_t *f = fixture_new(scan);
        char tok[32];
        tokenize_pem(f, tok);
        gw_privacy_scratch_t s;
        assert_int_equal(gw_privacy_scratch_init(f->pv, &s), 0);
        char answer[512];
        snprintf(answer, sizeof(answer),
                 "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"key\\\": \\\"%s\\\"\","
                 "\"reasoning_content\":\"the key %s\"},\"finish_reason\":\"length\"}]}",
                 tok, tok);
        for (int mode = GW_OUTPUT_UNDECLARED; mode <= GW_OUTPUT_JSON; mode++) {
            gw_buf_t out = GW_BUF_INIT;
            int changed = 0;
            assert_int_equal(gw_privacy_response_json(f->pv, &s, scan ? &prov_openai : NULL, f->ss, mode, answer, strlen(answer),
                                                      &out, &changed),
                             0);
            assert_true(changed);
            json_t *a = json_loadb(out.base, out.len, 0, NULL);
            assert_non_null(a);
            json_t *msg = json_object_get(json_array_get(json_object_get(a, "choices"), 0), "message");
            const char *content = json_string_value(json_object_get(msg, "content"));
            char want[512];
            if (mode == GW_OUTPUT_JSON) {
                gw_buf_t lit = GW_BUF_INIT;
                gw_json_escape(PEM, strlen(PEM), &lit);
                snprintf(want, sizeof(want), "{\"key\": %.*s", (int)lit.len, lit.base);
                gw_buf_free(&lit);
            } else {
                snprintf(want, sizeof(want), "{\"key\": \"%s\"", PEM);
            }
            assert_string_equal(content, want);
            snprintf(want, sizeof(want), "the key %s", PEM);
            assert_string_equal(json_string_value(json_object_get(msg, "reasoning_content")), want);
            json_decref(a);
            gw_buf_free(&out);
        }
        gw_privacy_scratch_dispose(&s);
        fixture_free(f);
    }
    (void)state;
}

/* Which strings are the answer's text in JSON mode, per event (Responses): content parts and output text are, reasoning
 * summary parts and refusals are prose; without an event, the held answer's paths. */
static void test_answer_paths(void **state)
{
    fixture_t *f = fixture_new(0);
    char tok[32];
    tokenize_pem(f, tok);
    static const struct {
        const char *event, *path;
        int escaped;
    } cases[] = {
        {"response.output_text.delta", "delta", 1},
        {"response.reasoning_summary_text.delta", "delta", 0},
        {"response.refusal.delta", "delta", 0},
        {"response.output_text.done", "text", 1},
        {"response.reasoning_summary_text.done", "text", 0},
        {"response.content_part.done", "part.text", 1},
        {"response.reasoning_summary_part.added", "part.text", 0},
        {"response.output_item.done", "item.content[0].text", 1},
        {"response.completed", "response.output[1].content[0].text", 1},
        {NULL, "choices[0].message.content", 1},
        {NULL, "choices[0].message.reasoning_content", 0},
        {NULL, "choices[0].delta.content", 1},
        {NULL, "choices[0].delta.refusal", 0},
        {"content_block_delta", "delta.text", 1},
        {"content_block_delta", "delta.thinking", 0},
        {NULL, "content[1].text", 1},
        {NULL, "candidates[0].content.parts[0].text", 1},
        {NULL, "candidates[0].content.parts[0].textx", 0},
        {NULL, "choices[x].message.content", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        gw_buf_t out = GW_BUF_INIT;
        const char *ev = cases[i].event;
        assert_int_equal(
            gw_privacy_restore_piece(f->ss, GW_OUTPUT_JSON, ev, ev != NULL ? strlen(ev) : 0, cases[i].path, tok, strlen(tok), &out),
            1);
        int escaped = strstr(out.base, "\\n") != NULL;
        if (escaped != cases[i].escaped)
            fail_msg("%s %s: escaped %d, want %d", ev != NULL ? ev : "-", cases[i].path, escaped, cases[i].escaped);
        gw_buf_free(&out);
    }
    fixture_free(f);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_arguments_stay_json),
        cmocka_unit_test(test_stream_arguments_stay_json_scanned),
        cmocka_unit_test(test_stream_arguments_not_scanned),
        cmocka_unit_test(test_stream_json_mode),
        cmocka_unit_test(test_stream_json_mode_scanned),
        cmocka_unit_test(test_held_answer_by_mode),
        cmocka_unit_test(test_answer_paths),
        cmocka_unit_test(test_structured_output_stays_json),
        cmocka_unit_test(test_restore_out_of_memory),
        cmocka_unit_test(test_scan_and_restore_out_of_memory),
        cmocka_unit_test(test_not_json_passes),
        cmocka_unit_test(test_not_json_with_scan_refused),
        cmocka_unit_test(test_replicate_output_file_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
