/*
 * bench_json: cost of gw_json_rewrite() on a ~2 KB chat request versus jansson json_loadb +
 * json_dumpb on the same bytes in the same run, plus the SSE restorer's cost per streamed event, with and without
 * the model-output scan stage (pii.scan_responses) on a synthetic answer streamed in small deltas.
 * Usage: bench_json [iterations]   (built by `make bench` / `cmake --build B --target bench_json`)
 * Prints one line per case: ns per call, MB/s, and the ratio to jansson.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "bench_chat.h"
#include "common/json.h"
#include "policy/pii/pii.h"
#include "policy/restore.h"
#include "providers/provider.h"

static int keep(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    (void)rule_id;
    (void)path;
    (void)repl;
    *(size_t *)ctx += len;
    return 0;
}

static int replace_first(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    (void)rule_id;
    (void)path;
    *(size_t *)ctx += len;
    const char *at = memchr(s, '@', len);
    if (at == NULL)
        return 0;
    gw_buf_append(repl, s, (size_t)(at - s));
    gw_buf_append(repl, "<EMAIL_ADDRESS_1>", 17);
    return 1;
}

static void capture(void *ctx, int rule_id, const char *raw, size_t len, int type)
{
    (void)rule_id;
    (void)raw;
    (void)type;
    *(size_t *)ctx += len;
}

static int restore_cb(void *ctx, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    (void)ctx;
    (void)path;
    (void)s;
    (void)len;
    (void)out;
    return 0;
}

typedef struct {
    const char *name;
    double ns;
} result_t;

typedef struct {
    pol_pii_session_t *ss;
    pol_pii_scratch_t *s;
} scan_ctx_t;

static int scan_cb(void *ctx, const char *path, const char *s, size_t len, int final, size_t *emit, gw_buf_t *out)
{
    scan_ctx_t *c = ctx;
    return pol_pii_session_scrub_output(c->ss, c->s, path, s, len, final, emit, out);
}

static int vault_cb(void *ctx, const char *path, const char *s, size_t len, gw_buf_t *out)
{
    scan_ctx_t *c = ctx;
    (void)path;
    return pol_pii_session_restore(c->ss, s, len, out);
}

/* An OpenAI chat stream of `text` in `piece`-byte deltas. */
static void make_stream(const char *text, size_t piece, gw_buf_t *sse)
{
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i += piece) {
        gw_buf_t lit = GW_BUF_INIT;
        gw_json_escape(text + i, piece < n - i ? piece : n - i, &lit);
        gw_buf_appendf(sse,
                       "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                       "\"choices\":[{\"index\":0,\"delta\":{\"content\":%.*s},\"finish_reason\":null}]}\n\n",
                       (int)lit.len, lit.base);
        gw_buf_free(&lit);
    }
    gw_buf_appendf(sse, "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                        "data: [DONE]\n\n");
}

static int stream_scan_bench(long iters)
{
    static const unsigned char key[32];
    char err[256];
    pol_pii_engine_t *e = pol_pii_engine_create(NULL, key, err, sizeof(err));
    if (e == NULL)
        return 1;
    scan_ctx_t c = {pol_pii_session_create(e), pol_pii_scratch_create(e)};
    /* aigw before session 11: the OpenAI adapter's output_text only; since: every string but its output_skip */
    const char *text[64], *skip[128];
    size_t nt = 0, nsk = 0;
    while (prov_openai.output_text[nt] != NULL)
        text[nt] = prov_openai.output_text[nt], nt++;
    while (prov_openai.output_skip[nsk].pattern != NULL)
        skip[nsk] = prov_openai.output_skip[nsk].pattern, nsk++;
    gw_json_paths_t *paths = pol_restore_paths_compile(text, nt, err, sizeof(err));
    gw_json_paths_t *all = pol_restore_paths_compile_all(text, nt, skip, nsk, err, sizeof(err));
    if (paths == NULL || all == NULL)
        return 1;
    pol_restore_stream_t *rs = pol_restore_stream_create(vault_cb, &c);
    gw_buf_t clean = GW_BUF_INIT, pii = GW_BUF_INIT, sse = GW_BUF_INIT, out = GW_BUF_INIT;
    while (clean.len < 2048)
        gw_buf_appendf(&clean, "The quarterly report shows revenue grew in most regions, while costs stayed flat. ");
    while (pii.len < 2048)
        gw_buf_appendf(&pii, "Contact our desk at help.desk@example.org or +1 415 555 0134 for the quarterly report. ");
    struct {
        const char *name;
        gw_buf_t *text;
        int scan;
    } cases[] = {{"restore only (scan_responses off)", &clean, 0},
                 {"restore + scan listed text only, no PII", &clean, 1},
                 {"restore + scan listed text only, PII every 90 bytes", &pii, 1},
                 {"restore + scan every string, no PII", &clean, 2},
                 {"restore + scan every string, PII every 90 bytes", &pii, 2}};
    long sit = iters / 200 ? iters / 200 : 1;
    double base = 0;
    /* AIGW_BENCH_STREAM_CASE=k: only case k (instruction counts: two callgrind runs of different lengths, the
     * difference over the extra streams; docs/BENCHMARKS.md) */
    const char *only = getenv("AIGW_BENCH_STREAM_CASE");
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        if (only != NULL && strtoul(only, NULL, 10) != k)
            continue;
        gw_buf_reset(&sse);
        make_stream(cases[k].text->base, 6, &sse);
        size_t events = (cases[k].text->len + 5) / 6 + 2;
        double t0 = bench_cpu_ns();
        for (long i = 0; i < sit; i++) {
            pol_pii_session_reset(c.ss);
            gw_buf_reset(&out);
            pol_restore_stream_reset(rs, vault_cb, &c);
            if (cases[k].scan)
                pol_restore_stream_set_scan(rs, cases[k].scan == 2 ? all : paths, scan_cb);
            if (pol_restore_stream_feed(rs, sse.base, sse.len, &out) != 0 || pol_restore_stream_finish(rs, &out) != 0)
                return 1;
        }
        double ns = (bench_cpu_ns() - t0) / (double)sit;
        if (k == 0)
            base = ns;
        printf("  %-48s %9.0f ns/stream (%zu bytes of text, %zu events: %.0f ns/event)  %5.1fx restore only\n", cases[k].name, ns,
               cases[k].text->len, events, ns / (double)events, ns / base);
    }
    pol_restore_stream_free(rs);
    gw_json_paths_free(paths);
    gw_json_paths_free(all);
    pol_pii_session_free(c.ss);
    pol_pii_scratch_free(c.s);
    pol_pii_engine_free(e);
    gw_buf_free(&clean);
    gw_buf_free(&pii);
    gw_buf_free(&sse);
    gw_buf_free(&out);
    return 0;
}

int main(int argc, char **argv)
{
    long iters = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
    if (iters <= 0)
        iters = 200000;
    if (getenv("AIGW_BENCH_STREAM_CASE") != NULL)
        return stream_scan_bench(iters);
    gw_buf_t req = GW_BUF_INIT;
    if (bench_chat_request(&req) != 0) {
        fprintf(stderr, "bench_json: out of memory\n");
        return 1;
    }
    static const gw_json_rule_t rules[] = {
        {"messages.*.content", GW_JSON_SCAN, 1},
        {"messages.*.content.*.text", GW_JSON_SCAN, 2},
        {"messages.*.tool_calls.*.function.arguments", GW_JSON_EMBEDDED, 3},
        {"metadata.**", GW_JSON_SCAN, 4},
        {"model", GW_JSON_CAPTURE, 5},
        {"stream", GW_JSON_CAPTURE, 6},
    };
    char err[128];
    gw_json_paths_t *paths = gw_json_paths_compile(rules, 6, err, sizeof(err));
    if (paths == NULL) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    gw_json_edit_t edits[] = {{"store", "false", 0}, {"stream_options.include_usage", "true", 0}, {"metadata", NULL, 0}};
    size_t sink = 0;
    gw_json_visitor_t v_keep = {keep, capture, &sink, NULL, 0, NULL}, v_repl = {replace_first, capture, &sink, NULL, 0, NULL};
    gw_json_scratch_t sc = GW_JSON_SCRATCH_INIT;
    gw_buf_t out = GW_BUF_INIT;
    int changed;
    result_t res[8];
    size_t nres = 0;
    printf("bench_json: request %zu bytes, 6 rules, %ld iterations\n", req.len, iters);

    /* 1. validate + walk, no change (the common case): zero copy */
    for (int pass = 0; pass < 2; pass++) { /* pass 0 warms up */
        double t0 = bench_cpu_ns();
        for (long i = 0; i < iters; i++)
            if (gw_json_rewrite_ex(req.base, req.len, paths, NULL, 0, &v_keep, &out, &changed, NULL, NULL, &sc) != 0)
                return 1;
        if (pass)
            res[nres++] = (result_t){"gw_json_rewrite walk, no change", (bench_cpu_ns() - t0) / (double)iters};
    }
    /* 2. validate only */
    {
        double t0 = bench_cpu_ns();
        for (long i = 0; i < iters; i++)
            if (gw_json_validate(req.base, req.len, NULL, NULL) != 0)
                return 1;
        res[nres++] = (result_t){"gw_json_validate", (bench_cpu_ns() - t0) / (double)iters};
    }
    /* 3. walk + 3 edits + replacements (every string with an '@' rewritten): full output copy */
    {
        double t0 = bench_cpu_ns();
        for (long i = 0; i < iters; i++)
            if (gw_json_rewrite_ex(req.base, req.len, paths, edits, 3, &v_repl, &out, &changed, NULL, NULL, &sc) != 0 || !changed)
                return 1;
        res[nres++] = (result_t){"gw_json_rewrite + 3 edits + replacements", (bench_cpu_ns() - t0) / (double)iters};
    }
    /* 4. the convenience entry point (allocates scratch per call) */
    {
        double t0 = bench_cpu_ns();
        for (long i = 0; i < iters; i++)
            if (gw_json_rewrite(req.base, req.len, paths, NULL, 0, &v_keep, &out, &changed, NULL, NULL) != 0)
                return 1;
        res[nres++] = (result_t){"gw_json_rewrite (no scratch reuse), no change", (bench_cpu_ns() - t0) / (double)iters};
    }
    /* 5. jansson baseline: parse + dump */
    double jansson_ns;
    {
        long jit = iters / 4 ? iters / 4 : 1;
        double t0 = bench_cpu_ns();
        for (long i = 0; i < jit; i++) {
            json_t *j = json_loadb(req.base, req.len, 0, NULL);
            char buf[8192];
            if (j == NULL || json_dumpb(j, buf, sizeof(buf), JSON_COMPACT) == 0)
                return 1;
            json_decref(j);
        }
        jansson_ns = (bench_cpu_ns() - t0) / (double)jit;
        res[nres++] = (result_t){"jansson json_loadb + json_dumpb", jansson_ns};
    }
    for (size_t i = 0; i < nres; i++)
        printf("  %-48s %9.0f ns/call %8.0f MB/s  %6.1fx faster than jansson\n", res[i].name, res[i].ns,
               (double)req.len / res[i].ns * 1e3, jansson_ns / res[i].ns);

    /* 6. SSE restorer over the OpenAI chat stream fixture (no tokens: pass-through) */
    char path[1024];
    snprintf(path, sizeof(path), "%s/openai/chat_completions.stream.sse", AIGW_FIXTURES_DIR);
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
        char sse[65536];
        size_t n = fread(sse, 1, sizeof(sse), f);
        fclose(f);
        size_t events = 0;
        for (size_t i = 0; i + 1 < n; i++)
            events += sse[i] == '\n' && sse[i + 1] == '\n';
        pol_restore_stream_t *rs = pol_restore_stream_create(restore_cb, NULL);
        long sit = iters / 10 ? iters / 10 : 1;
        double t0 = bench_cpu_ns();
        for (long i = 0; i < sit; i++) {
            gw_buf_reset(&out);
            pol_restore_stream_reset(rs, restore_cb, NULL);
            if (pol_restore_stream_feed(rs, sse, n, &out) != 0 || pol_restore_stream_finish(rs, &out) != 0)
                return 1;
        }
        double ns = (bench_cpu_ns() - t0) / (double)sit;
        printf("  %-48s %9.0f ns/stream (%zu bytes, %zu events: %.0f ns/event, %.0f MB/s)\n", "pol_restore_stream, OpenAI fixture",
               ns, n, events, ns / (double)events, (double)n / ns * 1e3);
        pol_restore_stream_free(rs);
    }
    /* 7. model-output scan (pii.scan_responses): a 2 KiB answer in 6-byte deltas, restore only vs restore + scan */
    if (stream_scan_bench(iters) != 0)
        return 1;
    gw_json_scratch_free(&sc);
    gw_buf_free(&out);
    gw_buf_free(&req);
    gw_json_paths_free(paths);
    return sink == 42 ? 2 : 0;
}
