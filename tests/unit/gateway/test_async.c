/*
 * gateway/async: Replicate prediction URLs rewritten to aigw's routes (single prediction and
 * list, ids that must not reach a URL), the mechanism driven only by what an adapter declares, stream capabilities (seal/open round
 * trip with the vault, tampering, wrong key, expiry, no plaintext in the URL), the stream route matcher, restoring from a
 * capability's vault, and Replicate's plain-text output events restored across event boundaries with only a token prefix held back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "gateway/async.h"

static const unsigned char KEY[GW_ASYNC_KEY_BYTES] = {7, 7, 7};

static const char PREDICTION[] =
    "{\"id\":\"ufawqhfynnddngldkgtslldrkq\",\"status\":\"starting\",\"input\":{\"prompt\":\"<PERSON_1> at dusk\"},"
    "\"urls\":{\"get\":\"https://api.replicate.com/v1/predictions/ufawqhfynnddngldkgtslldrkq\","
    "\"cancel\":\"https://api.replicate.com/v1/predictions/ufawqhfynnddngldkgtslldrkq/cancel\","
    "\"stream\":\"https://stream.replicate.com/v1/files/qoxq-secret\",\"web\":\"https://replicate.com/p/"
    "ufawqhfynnddngldkgtslldrkq\"}}";

static gw_async_vault_t vault(void)
{
    gw_async_vault_t v;
    memset(&v, 0, sizeof(v));
    assert_int_equal(gw_async_vault_add(&v, "<PERSON_1>", 10, "Jane Doe", 8), 0);
    assert_int_equal(gw_async_vault_add(&v, "<EMAIL_ADDRESS_1>", 17, "jane@example.com", 16), 0);
    assert_int_equal(gw_async_vault_add(&v, "<PERSON_1>", 10, "other", 5), 0); /* first value kept */
    assert_int_equal(v.n, 2);
    return v;
}

static void test_rewrite(void **state)
{
    (void)state;
    gw_async_vault_t v = vault();
    gw_async_rewrite_t rw = {"http://127.0.0.1:8080", "/replicate/v1/", "user-1", "backend", &v, KEY, 1000};
    gw_buf_t out = GW_BUF_INIT;
    assert_int_equal(gw_async_rewrite_links(&prov_replicate, &rw, PREDICTION, strlen(PREDICTION), &out), 1);
    json_t *doc = json_loadb(out.base, out.len, 0, NULL);
    assert_non_null(doc);
    json_t *urls = json_object_get(doc, "urls");
    assert_string_equal(json_string_value(json_object_get(urls, "get")),
                        "http://127.0.0.1:8080/replicate/v1/predictions/ufawqhfynnddngldkgtslldrkq");
    assert_string_equal(json_string_value(json_object_get(urls, "cancel")),
                        "http://127.0.0.1:8080/replicate/v1/predictions/ufawqhfynnddngldkgtslldrkq/cancel");
    assert_string_equal(json_string_value(json_object_get(urls, "web")), "https://replicate.com/p/ufawqhfynnddngldkgtslldrkq");
    assert_string_equal(json_string_value(json_object_get(doc, "status")), "starting");
    const char *stream = json_string_value(json_object_get(urls, "stream"));
    const char *prefix = "http://127.0.0.1:8080/replicate/v1/predictions/ufawqhfynnddngldkgtslldrkq/stream?aigw_cap=";
    assert_int_equal(strncmp(stream, prefix, strlen(prefix)), 0);
    /* nothing readable in the URL: not the upstream URL, not a value */
    assert_null(strstr(stream, "qoxq"));
    assert_null(strstr(stream, "Jane"));
    assert_null(strstr(stream, "jane"));
    /* the route matcher finds the capability, which opens to what was sealed */
    const char *rest = stream + strlen("http://127.0.0.1:8080/replicate/v1/");
    const char *cv;
    size_t cl;
    assert_true(gw_async_stream_route(&prov_replicate, rest, strlen(rest), &cv, &cl));
    gw_async_cap_t cap;
    const char *err = NULL;
    assert_int_equal(gw_async_cap_open(KEY, cv, cl, 1000, &cap, &err), 0);
    assert_string_equal(cap.upstream_url, "https://stream.replicate.com/v1/files/qoxq-secret");
    assert_string_equal(cap.user, "user-1");
    assert_string_equal(cap.client, "backend");
    assert_int_equal(cap.ntokens, 2);
    assert_true(cap.expires == 1000 + GW_ASYNC_CAP_TTL_S);
    /* restoring from the vault */
    gw_buf_t r = GW_BUF_INIT;
    const char *text = "Hi <PERSON_1>, mail <EMAIL_ADDRESS_1> or <EMAIL_ADDRESS_2> <PERSON_1";
    assert_int_equal(gw_async_restore_text(&cap, NULL, text, strlen(text), &r), 1);
    assert_int_equal(r.len, strlen("Hi Jane Doe, mail jane@example.com or <EMAIL_ADDRESS_2> <PERSON_1"));
    assert_memory_equal(r.base, "Hi Jane Doe, mail jane@example.com or <EMAIL_ADDRESS_2> <PERSON_1", r.len);
    assert_int_equal(gw_async_restore_text(&cap, NULL, "no tokens", 9, &r), 0);
    gw_buf_free(&r);
    gw_async_cap_free(&cap);
    json_decref(doc);
    gw_buf_free(&out);
    gw_async_vault_free(&v);
}

static void test_rewrite_list_and_bad_ids(void **state)
{
    (void)state;
    gw_async_rewrite_t rw = {"https://gw.example", "/replicate/v1/", "u", "c", NULL, KEY, 0};
    const char *list =
        "{\"next\":null,\"results\":[{\"id\":\"a1\",\"urls\":{\"get\":\"https://api.replicate.com/v1/predictions/a1\"}},"
        "{\"id\":\"../../x\",\"urls\":{\"get\":\"keep\"}},{\"id\":7,\"urls\":{\"get\":\"keep2\"}}]}";
    gw_buf_t out = GW_BUF_INIT;
    assert_int_equal(gw_async_rewrite_links(&prov_replicate, &rw, list, strlen(list), &out), 1);
    assert_non_null(memmem(out.base, out.len, "\"https://gw.example/replicate/v1/predictions/a1\"", 48));
    assert_non_null(memmem(out.base, out.len, "\"keep\"", 6));
    assert_non_null(memmem(out.base, out.len, "\"keep2\"", 7));
    /* nothing to do: untouched */
    gw_buf_reset(&out);
    assert_int_equal(gw_async_rewrite_links(&prov_replicate, &rw, "{\"id\":\"x\"}", 10, &out), 0);
    assert_int_equal(gw_async_rewrite_links(&prov_replicate, &rw, "not json \"urls\"", 15, &out), 0);
    assert_int_equal(out.len, 0);
    gw_buf_free(&out);
}

/* The mechanism reads only what an adapter declares: another links member, id member, routes and capability link
 * (no list); an adapter that declares no links has nothing rewritten and no stream route. */
static const prov_async_link_t JOB_LINKS[] = {{"status", "jobs/{id}", 0}, {"events", "jobs/{id}/events", 1}, {NULL, NULL, 0}};
static const prov_async_links_t JOBS = {"links", NULL, JOB_LINKS, "https://events.example/", "delta", "test label"};
static const char *const JOB_ID[] = {"job", NULL};

static void test_rewrite_declared_links(void **state)
{
    (void)state;
    prov_adapter_t a = prov_openai;
    a.async_links = &JOBS;
    a.async_id_fields = JOB_ID;
    gw_async_rewrite_t rw = {"https://gw.example", "/jobs/v2/", "u", "c", NULL, KEY, 0};
    const char *job = "{\"job\":\"j-1\",\"id\":\"other\",\"links\":{\"status\":7,\"events\":\"https://events.example/j-1\","
                      "\"get\":\"keep\"},\"urls\":{\"get\":\"keep too\"}}";
    gw_buf_t out = GW_BUF_INIT;
    assert_int_equal(gw_async_rewrite_links(&a, &rw, job, strlen(job), &out), 1);
    json_t *doc = json_loadb(out.base, out.len, 0, NULL);
    assert_non_null(doc);
    json_t *links = json_object_get(doc, "links");
    assert_string_equal(json_string_value(json_object_get(links, "status")), "https://gw.example/jobs/v2/jobs/j-1");
    assert_string_equal(json_string_value(json_object_get(links, "get")), "keep"); /* not declared */
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "urls"), "get")), "keep too");
    const char *ev = json_string_value(json_object_get(links, "events"));
    const char *prefix = "https://gw.example/jobs/v2/jobs/j-1/events?aigw_cap=";
    assert_int_equal(strncmp(ev, prefix, strlen(prefix)), 0);
    /* the capability route is the adapter's, and holds its upstream URL */
    const char *cv;
    size_t cl;
    const char *rest = ev + strlen("https://gw.example/jobs/v2/");
    assert_true(gw_async_stream_route(&a, rest, strlen(rest), &cv, &cl));
    assert_false(gw_async_stream_route(&prov_replicate, rest, strlen(rest), &cv, &cl));
    gw_async_cap_t cap;
    const char *err;
    assert_int_equal(gw_async_cap_open(KEY, cv, cl, 0, &cap, &err), 0);
    assert_string_equal(cap.upstream_url, "https://events.example/j-1");
    gw_async_cap_free(&cap);
    json_decref(doc);
    /* a capability link that is no string is left alone; Replicate's own members mean nothing here */
    const char *odd = "{\"job\":\"j-2\",\"links\":{\"events\":{\"u\":1}}}";
    gw_buf_reset(&out);
    assert_int_equal(gw_async_rewrite_links(&a, &rw, odd, strlen(odd), &out), 0);
    assert_int_equal(gw_async_rewrite_links(&a, &rw, PREDICTION, strlen(PREDICTION), &out), 0);
    /* no links declared: nothing rewritten, no stream route */
    assert_int_equal(gw_async_rewrite_links(&prov_fal, &rw, PREDICTION, strlen(PREDICTION), &out), 0);
    const char *sr = "predictions/abc/stream?aigw_cap=XYZ";
    assert_false(gw_async_stream_route(&prov_fal, sr, strlen(sr), &cv, &cl));
    assert_int_equal(out.len, 0);
    gw_buf_free(&out);
}

static void test_capability_refusals(void **state)
{
    (void)state;
    gw_buf_t c = GW_BUF_INIT;
    assert_int_equal(gw_async_cap_seal(KEY, "https://stream.replicate.com/v1/files/x", "u", "c", 500, NULL, &c), 0);
    gw_async_cap_t cap;
    const char *err = NULL;
    assert_int_equal(gw_async_cap_open(KEY, c.base, c.len, 500, &cap, &err), 0);
    assert_int_equal(cap.ntokens, 0);
    gw_async_cap_free(&cap);
    /* expired */
    assert_int_equal(gw_async_cap_open(KEY, c.base, c.len, 501, &cap, &err), -1);
    assert_string_equal(err, "expired");
    /* another key */
    unsigned char other[GW_ASYNC_KEY_BYTES] = {8};
    assert_int_equal(gw_async_cap_open(other, c.base, c.len, 0, &cap, &err), -1);
    assert_string_equal(err, "forged or damaged");
    /* one character changed anywhere */
    for (size_t i = 0; i < c.len; i += 7) {
        char saved = c.base[i];
        c.base[i] = saved == 'A' ? 'B' : 'A';
        assert_int_equal(gw_async_cap_open(KEY, c.base, c.len, 0, &cap, &err), -1);
        c.base[i] = saved;
    }
    /* garbage and truncation */
    assert_int_equal(gw_async_cap_open(KEY, "!!!", 3, 0, &cap, &err), -1);
    assert_string_equal(err, "malformed");
    assert_int_equal(gw_async_cap_open(KEY, c.base, 20, 0, &cap, &err), -1);
    assert_int_equal(gw_async_cap_open(KEY, "", 0, 0, &cap, &err), -1);
    gw_buf_free(&c);
}

static void test_stream_route(void **state)
{
    (void)state;
    const char *cv;
    size_t cl;
    const char *ok = "predictions/abc/stream?aigw_cap=XYZ";
    assert_true(gw_async_stream_route(&prov_replicate, ok, strlen(ok), &cv, &cl));
    assert_int_equal(cl, 3);
    assert_memory_equal(cv, "XYZ", 3);
    const char *second = "predictions/abc/stream?a=1&aigw_cap=Q";
    assert_true(gw_async_stream_route(&prov_replicate, second, strlen(second), &cv, &cl));
    static const char *const no[] = {
        "predictions/abc/stream",         "predictions/abc/stream?aigw_cap=", "predictions/a/b/stream?aigw_cap=X",
        "predictions//stream?aigw_cap=X", "models/a/stream?aigw_cap=X",       "predictions/abc?aigw_cap=X"};
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        assert_false(gw_async_stream_route(&prov_replicate, no[i], strlen(no[i]), &cv, &cl));
}

/* A capability over vault() and a stream state for it (`scan`: with fake_scan, counting its calls). */
typedef struct {
    gw_async_vault_t v;
    gw_buf_t sealed;
    gw_async_cap_t cap;
    gw_async_sse_t st;
    int calls;
} sse_fx_t;

static int fake_scan(void *ctx, const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out);

static void sse_fx_open(sse_fx_t *f, int scan)
{
    memset(f, 0, sizeof(*f));
    f->v = vault();
    assert_int_equal(gw_async_cap_seal(KEY, "https://stream.replicate.com/v1/files/x", "u", "c", 500, &f->v, &f->sealed), 0);
    const char *err;
    assert_int_equal(gw_async_cap_open(KEY, f->sealed.base, f->sealed.len, 0, &f->cap, &err), 0);
    f->st.text_event = prov_replicate.async_links->text_event;
    if (scan) {
        f->st.scan = fake_scan;
        f->st.scan_ctx = &f->calls;
    }
}

static void sse_fx_close(sse_fx_t *f)
{
    gw_async_sse_free(&f->st);
    gw_async_cap_free(&f->cap);
    gw_buf_free(&f->sealed);
    gw_async_vault_free(&f->v);
}

/* Feeds `n` output events (pieces) and a done event through gw_async_sse_event. */
static void feed_events(gw_async_sse_t *st, const gw_async_cap_t *cap, const char *const *pieces, size_t n, gw_buf_t *out)
{
    gw_buf_t raw = GW_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        gw_sse_event_t ev;
        memset(&ev, 0, sizeof(ev));
        ev.event = "output";
        ev.event_len = 6;
        ev.data = pieces[i];
        ev.data_len = strlen(pieces[i]);
        ev.has_data = 1;
        gw_buf_reset(&raw);
        gw_buf_appendf(&raw, "event: output\ndata: %s\n\n", pieces[i]); /* as the parser gives it */
        ev.raw = raw.base;
        ev.raw_len = raw.len;
        assert_int_equal(gw_async_sse_event(st, cap, &ev, out), 0);
    }
    gw_buf_free(&raw);
    gw_sse_event_t done;
    memset(&done, 0, sizeof(done));
    done.event = "done";
    done.event_len = 4;
    done.data = "{}";
    done.data_len = 2;
    done.has_data = 1;
    done.raw = "event: done\ndata: {}\n\n";
    done.raw_len = strlen(done.raw);
    assert_int_equal(gw_async_sse_event(st, cap, &done, out), 0);
}

static void test_sse_restore_across_events(void **state)
{
    (void)state;
    sse_fx_t f;
    sse_fx_open(&f, 0);
    gw_buf_t out = GW_BUF_INIT;
    /* a token split over four events, a lone '<' that is no token, text after the last token */
    static const char *const pieces[] = {"Mail <EMA", "IL_ADD", "RESS_1> now", " a<b", " <PERSON_1", ">!"};
    feed_events(&f.st, &f.cap, pieces, sizeof(pieces) / sizeof(pieces[0]), &out);
    /* the client's text: the output events' data joined */
    gw_buf_t text = GW_BUF_INIT;
    const char *p = out.base, *end = out.base + out.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        if ((size_t)(nl - p) >= 6 && memcmp(p, "data: ", 6) == 0 &&
            memmem(out.base, (size_t)(p - out.base), "event: done", 11) == NULL)
            gw_buf_append(&text, p + 6, (size_t)(nl - p - 6));
        p = nl + 1;
    }
    assert_int_equal(text.len, strlen("Mail jane@example.com now a<b Jane Doe!"));
    assert_memory_equal(text.base, "Mail jane@example.com now a<b Jane Doe!", text.len);
    /* the done event passes as received, after every output */
    assert_non_null(memmem(out.base, out.len, "event: done\ndata: {}\n\n", 22));
    assert_true(memcmp(out.base + out.len - 22, "event: done\ndata: {}\n\n", 22) == 0);
    /* held text never exceeds a token prefix: an unfinished '<' run is flushed at the end */
    gw_buf_reset(&out);
    static const char *const tail[] = {"end <EMAIL_ADDR"};
    gw_async_sse_t st2;
    memset(&st2, 0, sizeof(st2));
    st2.text_event = prov_replicate.async_links->text_event;
    feed_events(&st2, &f.cap, tail, 1, &out);
    assert_non_null(memmem(out.base, out.len, "data: end \n", 11));
    assert_non_null(memmem(out.base, out.len, "data: <EMAIL_ADDR\n", 18));
    gw_async_sse_free(&st2);
    gw_buf_free(&text);
    gw_buf_free(&out);
    sse_fx_close(&f);
}

/* A stand-in for the model-output scan: "secret" -> "<X>", and unless final the last 8 bytes are held back. */
static int fake_scan(void *ctx, const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out)
{
    (void)path;
    (*(int *)ctx)++;
    *emit = final || len <= 8 ? (final ? len : 0) : len - 8;
    const char *hit = memmem(s, *emit, "secret", 6);
    if (hit == NULL)
        return 0;
    gw_buf_reset(out);
    gw_buf_append(out, s, (size_t)(hit - s));
    gw_buf_append(out, "<X>", 3);
    gw_buf_append(out, hit + 6, *emit - (size_t)(hit - s) - 6);
    return 1;
}

static void test_sse_scan_then_restore(void **state)
{
    (void)state;
    sse_fx_t f;
    sse_fx_open(&f, 1);
    gw_buf_t out = GW_BUF_INIT;
    /* "secret" split over events reaches the scan whole (held back), the token is restored after the scan */
    static const char *const pieces[] = {"the sec", "ret of <PERSON_1> is", " out"};
    feed_events(&f.st, &f.cap, pieces, 3, &out);
    assert_true(f.calls >= 3);
    assert_null(memmem(out.base, out.len, "secret", 6));
    assert_null(memmem(out.base, out.len, "sec\n", 4));
    assert_non_null(memmem(out.base, out.len, "<X>", 3));
    assert_non_null(memmem(out.base, out.len, "Jane Doe", 8));
    assert_null(memmem(out.base, out.len, "<PERSON_1>", 10));
    assert_true(memcmp(out.base + out.len - 22, "event: done\ndata: {}\n\n", 22) == 0);
    gw_buf_free(&out);
    sse_fx_close(&f);
}

/* pii.scan_responses on a capability stream: every event with data is scanned, not only the text events (session 12:
 * Replicate's `logs`, `error`, `done`'s payload and any other kind passed as received), then restored from the vault;
 * ids, names and line breaks kept; an event whose text did not change and events without data pass byte for byte. */
static void test_sse_every_event_scanned(void **state)
{
    (void)state;
    sse_fx_t f;
    sse_fx_open(&f, 1);
    static const struct {
        const char *name, *data, *raw;
        int has_id;
    } evs[] = {
        {"logs", "prompt of <PERSON_1>: the secret", "id: 7\nevent: logs\ndata: prompt of <PERSON_1>: the secret\n\n", 1},
        {"progress", "step 1\nthe secret too", "event: progress\ndata: step 1\ndata: the secret too\n\n", 0},
        {"", "unnamed secret", "data: unnamed secret\n\n", 0},
        {NULL, NULL, ": keep-alive\n\n", 0},
        {"logs", "nothing to see", "event: logs\ndata: nothing to see\n\n", 0},
        {"error", "failed on the secret", "event: error\r\nretry: 3000\r\ndata: failed on the secret\r\n\r\n", 0},
        {"done", "{\"reason\":\"secret\"}", "event: done\ndata: {\"reason\":\"secret\"}\n\n", 0},
    };
    gw_buf_t out = GW_BUF_INIT;
    for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
        gw_sse_event_t ev;
        memset(&ev, 0, sizeof(ev));
        ev.event = evs[i].name;
        ev.event_len = evs[i].name != NULL ? strlen(evs[i].name) : 0;
        ev.data = evs[i].data;
        ev.data_len = evs[i].data != NULL ? strlen(evs[i].data) : 0;
        ev.has_data = evs[i].data != NULL;
        ev.id = "7";
        ev.id_len = 1;
        ev.has_id = evs[i].has_id;
        ev.raw = evs[i].raw;
        ev.raw_len = strlen(evs[i].raw);
        assert_int_equal(gw_async_sse_event(&f.st, &f.cap, &ev, &out), 0);
    }
    gw_buf_append(&out, "", 1);
    assert_null(strstr(out.base, "secret"));
    assert_string_equal(out.base, "id: 7\nevent: logs\ndata: prompt of Jane Doe: the <X>\n\n"
                                  "event: progress\ndata: step 1\ndata: the <X> too\n\n"
                                  "data: unnamed <X>\n\n"
                                  ": keep-alive\n\n"
                                  "event: logs\ndata: nothing to see\n\n"
                                  "retry: 3000\nevent: error\ndata: failed on the <X>\n\n" /* retry kept (session 13) */
                                  "event: done\ndata: {\"reason\":\"<X>\"}\n\n");
    assert_int_equal(f.calls, 6);
    gw_buf_free(&out);
    sse_fx_close(&f);
}

/* An image model's output event is a link to the generated file (the adapter's output_media_urls): not scanned, passed
 * as received, text held before it flushed first; the same digits in an output event of text are scanned. */
static void test_sse_file_url_not_scanned(void **state)
{
    (void)state;
    sse_fx_t f;
    sse_fx_open(&f, 1);
    f.st.media_urls = prov_replicate.output_media_urls;
    static const char *const pieces[] = {"see the secret ", "https://replicate.delivery/xezq/secret9/out-0.png",
                                         "https://replicate.delivery/x/a.png?q=secret"};
    gw_buf_t out = GW_BUF_INIT;
    feed_events(&f.st, &f.cap, pieces, 3, &out);
    gw_buf_append(&out, "", 1);
    const char *url = strstr(out.base, "event: output\ndata: https://replicate.delivery/xezq/secret9/out-0.png\n\n");
    assert_non_null(url);
    /* the only "secret" left is the declared link's: the text before it and the link with a query were scanned */
    assert_ptr_equal(strstr(out.base, "secret"), strstr(url, "secret"));
    assert_null(strstr(strstr(url, "secret") + 1, "secret"));
    const char *held = strstr(out.base, "data:  <X> \n\n"); /* " secret " held before the link, flushed (scanned) first */
    assert_true(held != NULL && held < url);
    gw_buf_free(&out);
    sse_fx_close(&f);
}

static void test_classify(void **state)
{
    (void)state;
    char id[GW_ASYNC_ID_MAX + 1];
    const char *fq = "https://queue.fal.run";
#define C(a, m, path, origin) gw_async_classify(&a, m, strlen(m), path, strlen(path), origin, id)
    assert_int_equal(C(prov_replicate, "POST", "predictions", NULL), GW_ASYNC_CREATE);
    assert_int_equal(C(prov_replicate, "POST", "models/meta/llama/predictions", NULL), GW_ASYNC_CREATE);
    assert_int_equal(C(prov_replicate, "POST", "deployments/acme/sdxl/predictions?x=1", NULL), GW_ASYNC_CREATE);
    assert_int_equal(C(prov_replicate, "GET", "predictions/abc123", NULL), GW_ASYNC_READ);
    assert_string_equal(id, "abc123");
    assert_int_equal(C(prov_replicate, "POST", "predictions/abc_9/cancel", NULL), GW_ASYNC_READ);
    assert_string_equal(id, "abc_9");
    assert_int_equal(C(prov_replicate, "GET", "predictions", NULL), GW_ASYNC_NONE);            /* the list */
    assert_int_equal(C(prov_replicate, "GET", "predictions/a.b", NULL), GW_ASYNC_NONE);        /* not an id */
    assert_int_equal(C(prov_replicate, "GET", "predictions/abc/stream", NULL), GW_ASYNC_NONE); /* stream route */
    assert_int_equal(C(prov_replicate, "DELETE", "predictions/abc", NULL), GW_ASYNC_NONE);
    assert_int_equal(C(prov_replicate, "GET", "x/predictions/abc", NULL), GW_ASYNC_NONE);
    assert_int_equal(C(prov_fal, "POST", "/fal-ai/flux/dev", fq), GW_ASYNC_CREATE);
    assert_int_equal(C(prov_fal, "POST", "/fal-ai/flux/dev", "https://fal.run"), GW_ASYNC_NONE); /* synchronous */
    assert_int_equal(C(prov_fal, "POST", "/fal-ai/flux/dev", NULL), GW_ASYNC_NONE);
    assert_int_equal(C(prov_fal, "GET", "/fal-ai/flux/requests/5d1f-77", fq), GW_ASYNC_READ);
    assert_string_equal(id, "5d1f-77");
    assert_int_equal(C(prov_fal, "GET", "/fal-ai/flux/requests/5d1f-77/status", fq), GW_ASYNC_NONE);
    assert_int_equal(C(prov_fal, "PUT", "/fal-ai/flux/requests/5d1f-77/cancel", fq), GW_ASYNC_NONE);
    assert_int_equal(C(prov_openai, "POST", "predictions", NULL), GW_ASYNC_NONE); /* declares none */
#undef C
}

static void test_answer_state(void **state)
{
    (void)state;
    gw_async_state_t st;
    prov_adapter_t never = prov_replicate; /* lists no final status */
    never.async_terminal_statuses = NULL;
    assert_int_equal(gw_async_answer_state(&prov_replicate, PREDICTION, strlen(PREDICTION), &st), 0);
    assert_string_equal(st.id, "ufawqhfynnddngldkgtslldrkq");
    assert_false(st.terminal);
    const char *done[] = {"{\"id\":\"a1\",\"status\":\"succeeded\"}", "{\"id\":\"a1\",\"status\":\"failed\"}",
                          "{\"id\":\"a1\",\"status\":\"canceled\"}"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(gw_async_answer_state(&prov_replicate, done[i], strlen(done[i]), &st), 0);
        assert_true(st.terminal);
        assert_int_equal(gw_async_answer_state(&never, done[i], strlen(done[i]), &st), 0);
        assert_false(st.terminal);
    }
    const char *fal = "{\"request_id\":\"764cabcf-b745\",\"status\":\"IN_QUEUE\"}";
    assert_int_equal(gw_async_answer_state(&prov_fal, fal, strlen(fal), &st), 0);
    assert_string_equal(st.id, "764cabcf-b745");
    assert_false(st.terminal);
    /* each adapter reads its own id member: a Replicate answer names no fal request, and the reverse */
    assert_int_equal(gw_async_answer_state(&prov_replicate, fal, strlen(fal), &st), 0);
    assert_string_equal(st.id, "");
    assert_int_equal(gw_async_answer_state(&prov_fal, PREDICTION, strlen(PREDICTION), &st), 0);
    assert_string_equal(st.id, "");
    const char *bad = "{\"id\":\"../x\",\"status\":\"succeeded\"}";
    assert_int_equal(gw_async_answer_state(&prov_replicate, bad, strlen(bad), &st), 0);
    assert_string_equal(st.id, "");
    assert_int_equal(gw_async_answer_state(&prov_replicate, "[1]", 3, &st), -1);
}

static void test_vault_json_and_restore(void **state)
{
    (void)state;
    gw_async_vault_t v = vault(), back;
    memset(&back, 0, sizeof(back));
    gw_buf_t j = GW_BUF_INIT, out = GW_BUF_INIT;
    assert_int_equal(gw_async_vault_to_json(&v, &j), 0);
    assert_int_equal(gw_async_vault_from_json(j.base, j.len, &back), 0);
    assert_int_equal(back.n, 2);
    assert_string_equal(back.tokens[1], "<EMAIL_ADDRESS_1>");
    assert_string_equal(back.values[1], "jane@example.com");
    assert_int_equal(gw_async_vault_from_json("[[\"a\"]]", 7, &back), -1); /* malformed: refused, freed */
    assert_int_equal(back.n, 0);
    /* strings anywhere (values, arrays, keys) restored; numbers and structure kept */
    const char *doc = "{\"output\":[\"Dear\",\" <PERSON_1>\"],\"n\":3,\"<PERSON_1>\":{\"m\":\"<EMAIL_ADDRESS_1>\"},"
                      "\"other\":\"<EMAIL_ADDRESS_2>\"}";
    assert_int_equal(gw_async_restore_json(&v, doc, strlen(doc), &out), 1);
    json_t *d = json_loadb(out.base, out.len, 0, NULL);
    assert_non_null(d);
    assert_string_equal(json_string_value(json_array_get(json_object_get(d, "output"), 1)), " Jane Doe");
    assert_int_equal(json_integer_value(json_object_get(d, "n")), 3);
    assert_string_equal(json_string_value(json_object_get(json_object_get(d, "Jane Doe"), "m")), "jane@example.com");
    assert_null(json_object_get(d, "<PERSON_1>"));
    assert_string_equal(json_string_value(json_object_get(d, "other")), "<EMAIL_ADDRESS_2>"); /* not in the vault */
    json_decref(d);
    assert_int_equal(gw_async_restore_json(&v, "{\"a\":\"plain\"}", 13, &out), 0);
    assert_int_equal(gw_async_restore_json(&v, "not json <PERSON_1>", 19, &out), 0);
    gw_buf_free(&j);
    gw_buf_free(&out);
    gw_async_vault_free(&v);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewrite),
        cmocka_unit_test(test_rewrite_list_and_bad_ids),
        cmocka_unit_test(test_rewrite_declared_links),
        cmocka_unit_test(test_capability_refusals),
        cmocka_unit_test(test_stream_route),
        cmocka_unit_test(test_sse_restore_across_events),
        cmocka_unit_test(test_sse_scan_then_restore),
        cmocka_unit_test(test_sse_every_event_scanned),
        cmocka_unit_test(test_sse_file_url_not_scanned),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_answer_state),
        cmocka_unit_test(test_vault_json_and_restore),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
