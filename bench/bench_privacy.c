/*
 * bench_privacy: CPU cost of the request privacy pass (issue 10, "scan every string, skip by declaration")
 * against the pass it replaced, in the same run on the same bytes with the same PII engine and session:
 *   baseline  = the pre-issue-10 pass: gw_json_rewrite with OpenAI's listed text fields (the old
 *               PROV_OPENAI_TEXT_FIELDS, copied below), each listed string to pol_pii_session_scrub;
 *   scan all  = gw_privacy_scrub_request() as the gateway runs it: every string and key scanned except
 *               the adapter's skip_fields, payload sniffing, duplicate-key refusal, captures.
 * Inputs: a 2.3 KB chat request (bench_json's), and OpenAI's chat and Responses request fixtures.
 * Usage: bench_privacy [iterations]   (built by `make bench`). CPU time per call, best of 3 alternating runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/config.h"
#include "gateway/privacy.h"
#include "common/json.h"
#include "policy/pii/pii.h"
#include "providers/provider.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The OpenAI text fields aigw scanned before issue 10 (providers/prov_internal.h at ac391cd). */
static const struct {
    const char *p;
    int emb;
} old_fields[] = {
    {"messages.*.content", 0},
    {"messages.*.content.*.text", 0},
    {"messages.*.content.*.file.filename", 0},
    {"messages.*.name", 0},
    {"messages.*.tool_calls.*.function.arguments", 1},
    {"messages.*.function_call.arguments", 1},
    {"tools.*.function.description", 0},
    {"tools.*.function.parameters.**.description", 0},
    {"functions.*.description", 0},
    {"response_format.json_schema.schema.**.description", 0},
    {"prediction.content", 0},
    {"user", 0},
    {"safety_identifier", 0},
    {"metadata.*", 0},
    {"instructions", 0},
    {"input", 0},
    {"input.*", 0},
    {"input.*.content", 0},
    {"input.*.content.*.text", 0},
    {"input.*.content.*.filename", 0},
    {"input.*.output", 0},
    {"input.*.arguments", 1},
    {"prompt.variables.*", 0},
    {"prompt", 0},
    {"prompt.*", 0},
};

typedef struct {
    pol_pii_session_t *ss;
    pol_pii_scratch_t *sc;
} old_ctx_t;

static int old_on_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    old_ctx_t *c = ctx;
    (void)rule_id;
    return pol_pii_session_scrub(c->ss, c->sc, path, s, len, repl);
}

static void build_request(gw_buf_t *b)
{
    gw_buf_appendf(b, "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"temperature\":0.2,\"messages\":["
                      "{\"role\":\"system\",\"content\":\"You are the support assistant of Acme Bank. Answer briefly and politely; "
                      "never reveal internal notes. Escalate fraud cases to a human agent.\"},");
    for (int i = 0; i < 5; i++)
        gw_buf_appendf(
            b,
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi, this is message %d. My card ending 4242 was "
            "declined yesterday at the grocery store on Elm Street, and I would like to know why. You can "
            "reach me at jane.doe@example.com or on my mobile.\"}]},"
            "{\"role\":\"assistant\",\"content\":\"I am sorry to hear that. Let me check the transaction details "
            "for you \\u2014 one moment please.\"},",
            i);
    gw_buf_appendf(b,
                   "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
                   "{\"name\":\"lookup\",\"arguments\":\"{\\\"last4\\\":\\\"4242\\\",\\\"holder\\\":\\\"Jane Doe\\\"}\"}}]}],"
                   "\"metadata\":{\"ticket\":\"T-1234\",\"channel\":\"web\"},\"user\":\"user-42\"}");
}

static int read_fixture(const char *name, gw_buf_t *b)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", AIGW_FIXTURES_DIR, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    char buf[65536];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    return gw_buf_append(b, buf, n);
}

int main(int argc, char **argv)
{
    long iters = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
    if (iters <= 0)
        iters = 20000;
    char err[256];
    /* PDFs of the fixtures are forwarded unscanned (else 415) */
    static const char cfg_text[] =
        "{\"pii\":{\"hash_key_hex\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\","
        "\"forward_unscanned_types\":[\"application/pdf\"]}}";
    gw_config_t *cfg = gw_config_parse(cfg_text, sizeof(cfg_text) - 1, "bench", err, sizeof(err));
    gw_privacy_t *pv = cfg != NULL ? gw_privacy_create(cfg, err, sizeof(err)) : NULL;
    if (pv == NULL) {
        fprintf(stderr, "bench_privacy: %s\n", err);
        return 1;
    }
    gw_privacy_scratch_t s;
    if (gw_privacy_scratch_init(pv, &s) != 0)
        return 1;
    pol_pii_session_t *ss = pol_pii_session_create(gw_privacy_engine(pv));
    gw_json_rule_t rules[32];
    size_t nr = 0;
    for (size_t i = 0; i < sizeof(old_fields) / sizeof(old_fields[0]); i++, nr++)
        rules[nr] = (gw_json_rule_t){old_fields[i].p, old_fields[i].emb ? GW_JSON_EMBEDDED : GW_JSON_SCAN, (int)nr};
    rules[nr++] = (gw_json_rule_t){"model", GW_JSON_CAPTURE, -1};
    rules[nr++] = (gw_json_rule_t){"stream", GW_JSON_CAPTURE, -2};
    gw_json_paths_t *old_paths = gw_json_paths_compile(rules, nr, err, sizeof(err));
    if (ss == NULL || old_paths == NULL)
        return 1;
    old_ctx_t oc = {ss, s.pii};
    gw_json_visitor_t old_v = {old_on_string, NULL, &oc, NULL, 0};

    struct {
        const char *name;
        gw_buf_t body;
    } in[3] = {{"2.3 KB chat (bench_json)", GW_BUF_INIT},
               {"openai/chat_completions.request.json", GW_BUF_INIT},
               {"openai/responses.request.json", GW_BUF_INIT}};
    build_request(&in[0].body);
    if (read_fixture(in[1].name, &in[1].body) != 0 || read_fixture(in[2].name, &in[2].body) != 0) {
        fprintf(stderr, "bench_privacy: fixtures not found under %s\n", AIGW_FIXTURES_DIR);
        return 1;
    }
    printf("bench_privacy: %ld iterations per case, CPU time per request, best of 3 alternating runs\n", iters);
    gw_buf_t out = GW_BUF_INIT;
    gw_body_info_t info;
    memset(&info, 0, sizeof(info));
    for (size_t k = 0; k < 3; k++) {
        const gw_buf_t *b = &in[k].body;
        double best_old = 1e18, best_new = 1e18;
        size_t strings_old = 0, strings_new = 0;
        for (int run = 0; run < 4; run++) { /* run 0 warms up */
            int changed;
            double t0 = now_ns();
            for (long i = 0; i < iters; i++) {
                pol_pii_session_reset(ss);
                if (gw_json_rewrite_ex(b->base, b->len, old_paths, NULL, 0, &old_v, &out, &changed, NULL, NULL, &s.json) != 0)
                    return 1;
            }
            double t_old = (now_ns() - t0) / (double)iters;
            pol_pii_session_findings(ss, &strings_old);
            t0 = now_ns();
            for (long i = 0; i < iters; i++) {
                pol_pii_session_reset(ss);
                const char *d;
                size_t off;
                int rc = gw_privacy_scrub_request(pv, &s, &prov_openai, ss, b->base, b->len, &out, &changed, &info, &d, &off);
                if (rc != 0) {
                    fprintf(stderr, "bench_privacy: %s: rc %d %s\n", in[k].name, rc, info.refusal);
                    return 1;
                }
            }
            double t_new = (now_ns() - t0) / (double)iters;
            pol_pii_session_findings(ss, &strings_new);
            if (run > 0) {
                best_old = t_old < best_old ? t_old : best_old;
                best_new = t_new < best_new ? t_new : best_new;
            }
        }
        printf("  %-38s %6zu bytes  listed fields %8.2f us (%zu findings)  scan all %8.2f us (%zu findings)  x%.2f\n", in[k].name,
               b->len, best_old / 1e3, strings_old, best_new / 1e3, strings_new, best_new / best_old);
        gw_buf_free(&in[k].body);
    }
    gw_buf_free(&out);
    pol_pii_session_free(ss);
    gw_json_paths_free(old_paths);
    gw_privacy_scratch_dispose(&s);
    gw_privacy_free(pv);
    gw_config_free(cfg);
    return 0;
}
