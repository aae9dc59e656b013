/*
 * bench_privacy: CPU cost of the request privacy pass (issue 10, "scan every string, skip by declaration")
 * against the pass it replaced, in the same run on the same bytes with the same PII engine and session:
 *   baseline  = the pre-issue-10 pass: gw_json_rewrite with OpenAI's listed text fields (the old
 *               PROV_OPENAI_TEXT_FIELDS, copied below), each listed string to pol_pii_session_scrub;
 *   scan all  = gw_privacy_scrub_request() as the gateway runs it: every string and key scanned except
 *               the adapter's skip_fields, payload sniffing, duplicate-key refusal, captures.
 * Inputs: a 2.3 KB chat request (bench_json's), and OpenAI's chat and Responses request fixtures.
 * Usage: bench_privacy [iterations]   (built by `make bench`). CPU time per call, best of 3 alternating runs.
 * bench_privacy N CASE [notrain [validate]]: one case N times, the privacy pass (or the no-training pass, trusting the
 * body as the gateway does, or validating it all), for callgrind;
 * bench_privacy 1 digest: every case's output and findings, to compare two builds.
 * bench_privacy 1 files PROVIDER FILE...: digests of the privacy and no-training passes over request bodies (or, with
 * PROVIDER "usage:NAME", the usage read from answers), to compare two builds on a corpus.
 * bench_privacy N usage: the usage walk of the proxy bench's answer (OpenAI chat completion, 958 bytes) N times.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/config.h"
#include "gateway/privacy.h"
#include "bench_chat.h"
#include "common/json.h"
#include "policy/pii/pii.h"
#include "policy/usage.h"
#include "providers/provider.h"

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

/* Deterministic generators of the workloads added in issue 12, session 6 (general prompts, not the bench body):
 * a short English chat, a long mixed-script prompt and a many-message conversation. */
static unsigned long long lcg = 0x9e3779b97f4a7c15ull;

static unsigned pick(unsigned n)
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((lcg >> 33) % n);
}

static void build_short_chat(gw_buf_t *b)
{
    gw_buf_appendf(b, "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
                      "{\"role\":\"user\",\"content\":\"Hi! Can you help me write a short thank-you note to my colleague for "
                      "covering my shift last Friday? Keep it under 80 words.\"}],\"temperature\":0.7}");
}

/* one user message of about 12 KB: Chinese, Japanese and Korean prose with Latin words, digits (versions, amounts,
 * dates, order numbers), full-width forms, and a few personal values (e-mail glued to Chinese, a full-width phone
 * number, a name after a trigger) */
static void build_mixed_long(gw_buf_t *b)
{
    static const char *const frag[] = {
        "我们的服务器在 2024 年 3 月升级到了 Ubuntu 22.04，内存从 16GB 扩展到 64GB。",
        "请把下面这段话翻译成英文，并保持专业的语气：本季度销售额增长了 12.5%，主要来自华东地区的新客户。",
        "订单号：20240315001，金额 ¥1,299.00，预计 3 到 5 个工作日送达。",
        "このバグは version 3.1.4 で修正されました。再起動してから もう一度 お試しください。",
        "会議は 10 時 30 分から 第 2 会議室で行います。資料は 15 ページあります。",
        "이 코드를 Python 3.12 에서 실행하면 메모리 사용량이 256MB 까지 올라갑니다. 원인을 찾아 주세요.",
        "The deployment uses 3 replicas behind a load balancer; p99 latency is 142 ms at 1,200 req/s. ",
        "Explain the difference between TCP and QUIC in simple terms, with one example each. ",
        "分辨率 1920x1080，帧率 60fps，码率 8Mbps，编码 H.264。",
        "ｖｅｒｓｉｏｎ　２．０ のリリースノートを要約してください。",
        "def area(r):\\n    return 3.14159 * r * r\\n",
        "日志：2024-06-01 08:15:42 ERROR 连接超时 (timeout=30s, retries=3)。",
    };
    static const char *const pii[] = {
        "如有问题请联系zhang.wei@example.cn谢谢。",
        "手机：１３８００１３８０００。",
        "我叫李娜，",
        "連絡先は tanaka.hiroshi@example.jp です。",
    };
    gw_buf_appendf(b,
                   "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"You answer in the user's language.\"},"
                   "{\"role\":\"user\",\"content\":\"");
    size_t start = b->len, since = 0;
    while (b->len - start < 12000) {
        const char *f;
        if (since > 3000) {
            f = pii[pick(sizeof(pii) / sizeof(pii[0]))];
            since = 0;
        } else {
            f = frag[pick(sizeof(frag) / sizeof(frag[0]))];
        }
        gw_buf_append(b, f, strlen(f));
        since += strlen(f);
    }
    gw_buf_appendf(b, "\"}],\"stream\":true}");
}

/* 48 messages of a support conversation with a tool call, code with escapes, \u escapes, numbers, and three personal
 * values spread over it */
static void build_many_messages(gw_buf_t *b)
{
    static const char *const user[] = {
        "Thanks. The export still fails with error code 0x80070005 when I pick the CSV format.",
        "It is version 5.2.0 on Windows 11, 16 GB of RAM. The file has about 48,000 rows.",
        "Can you show me how to do the same thing in pandas? I tried df.to_csv(path, index=False) but it hangs.",
        "OK that worked. Next question: why does the dashboard show last week\\u2019s numbers?",
        "Here is the log:\\n2024-05-02 10:11:12 WARN cache miss key=report:42\\n2024-05-02 10:11:13 INFO rebuilt in 812 ms",
        "Sure, go ahead and open a ticket. Use priority 2.",
        "We have 3 teams in Berlin, Lisbon and Toronto sharing the same workspace.",
        "One more thing: the invoice total was $1,249.50 but I expected $1,150.",
    };
    static const char *const assistant[] = {
        "That error usually means the target folder is read-only. Could you try saving to your Documents folder instead?",
        "Thanks for the details. Large exports are written in chunks of 10,000 rows; the CSV writer needs write access to a "
        "temporary folder as well.",
        "Here is an example:\\n```python\\nimport pandas as pd\\ndf = pd.read_excel(\\\"report.xlsx\\\")\\n"
        "df.to_csv(\\\"report.csv\\\", index=False)\\n```\\nIf it hangs, check whether the file is open in Excel.",
        "The dashboard caches results for 24 hours. You can refresh it from the menu (\\u22ee > Refresh).",
        "I see a cache rebuild there, which is expected after a deploy. Nothing is wrong with your data.",
        "Done: I opened ticket 58213 with priority 2. You will get an update within one business day.",
    };
    static const char *const pii[] = {
        "My colleague Maria Gonzalez (maria.gonzalez@example.org) needs access too.",
        "You can call me back on +44 20 7946 0958 after 3pm.",
        "The card on file is 4111 1111 1111 1111, please do not charge it again.",
    };
    gw_buf_appendf(b,
                   "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are the support assistant of "
                   "a reporting product. Be concise.\"}");
    for (int i = 0; i < 48; i++) {
        const char *role = i % 2 == 0 ? "user" : "assistant";
        const char *t =
            i % 2 == 0 ? user[pick(sizeof(user) / sizeof(user[0]))] : assistant[pick(sizeof(assistant) / sizeof(assistant[0]))];
        if (i == 11 || i == 25 || i == 39)
            t = pii[(i - 11) / 14];
        if (i == 30) {
            gw_buf_appendf(b,
                           ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_%d\",\"type\":\"function\","
                           "\"function\":{\"name\":\"open_ticket\",\"arguments\":\"{\\\"priority\\\":2,\\\"summary\\\":"
                           "\\\"CSV export fails with 0x80070005\\\"}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_%d\","
                           "\"content\":\"{\\\"ticket\\\":58213,\\\"status\\\":\\\"open\\\"}\"}",
                           i, i);
            continue;
        }
        gw_buf_appendf(b, ",{\"role\":\"%s\",\"content\":\"%s\"}", role, t);
    }
    gw_buf_appendf(b, "],\"max_tokens\":400,\"user\":\"acct-7781\"}");
}

/* the proxy benchmark's body (bench/chat_body.json, 1 KB): what bench/run.sh and bench_meter_callgrind.sh send */
static int read_file(const char *path, gw_buf_t *b)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    char buf[65536];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    return gw_buf_append(b, buf, n);
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
    gw_json_visitor_t old_v = {old_on_string, NULL, &oc, NULL, 0, NULL};

    enum { NCASES = 7 };
    struct {
        const char *name, *tag;
        gw_buf_t body;
    } in[NCASES] = {{"2.3 KB chat (bench_json)", "chat23", GW_BUF_INIT},
                    {"openai/chat_completions.request.json", "fixture_chat", GW_BUF_INIT},
                    {"openai/responses.request.json", "fixture_responses", GW_BUF_INIT},
                    {"proxy bench body (bench/chat_body.json)", "proxy", GW_BUF_INIT},
                    {"short English chat", "short", GW_BUF_INIT},
                    {"long mixed-script prompt (CJK+Latin)", "mixed", GW_BUF_INIT},
                    {"48-message conversation", "many", GW_BUF_INIT}};
    if (bench_chat_request(&in[0].body) != 0) {
        fprintf(stderr, "bench_privacy: out of memory\n");
        return 1;
    }
    build_short_chat(&in[4].body);
    build_mixed_long(&in[5].body);
    build_many_messages(&in[6].body);
    if (read_fixture(in[1].name, &in[1].body) != 0 || read_fixture(in[2].name, &in[2].body) != 0 ||
        read_file(AIGW_FIXTURES_DIR "/../../../bench/chat_body.json", &in[3].body) != 0) {
        fprintf(stderr, "bench_privacy: fixtures not found under %s\n", AIGW_FIXTURES_DIR);
        return 1;
    }
    if (argc > 2) {
        /* one case, the current pass only: `bench_privacy N CASE` under
         * valgrind --tool=callgrind --toggle-collect=gw_privacy_scrub_request; `bench_privacy 1 digest` prints a
         * digest of every case's output and findings (compare two builds: the pass must not change a byte) */
        if (strcmp(argv[2], "files") == 0) {
            /* `bench_privacy 1 files PROVIDER FILE...`: each file one request body (or, with PROVIDER "usage:NAME", one
               answer): the privacy pass, then the no-training pass over its output (chat/completions route), printed as
               digests (result, output bytes, findings with field and offsets, the no-training record), or the usage
               figures read from the answer. Compare two builds on a corpus: the passes must not change a byte. */
            if (argc < 4)
                return 1;
            int usage = strncmp(argv[3], "usage:", 6) == 0;
            const prov_adapter_t *ad = prov_find(usage ? argv[3] + 6 : argv[3]);
            if (ad == NULL)
                return 1;
            gw_buf_t o = GW_BUF_INIT, nto = GW_BUF_INIT, rec = GW_BUF_INIT, b = GW_BUF_INIT;
            gw_body_info_t bi;
            memset(&bi, 0, sizeof(bi));
            for (int a = 4; a < argc; a++) {
                gw_buf_reset(&b);
                if (read_file(argv[a], &b) != 0) {
                    printf("%s: unreadable\n", argv[a]);
                    continue;
                }
                if (usage) {
                    prov_usage_t u = PROV_USAGE_INIT;
                    int n = ad->usage_from_json != NULL ? ad->usage_from_json(b.base != NULL ? b.base : "", b.len, &u) : -99;
                    gw_buf_reset(&o);
                    prov_usage_to_json(&u, &o);
                    printf("%s: %d %.*s\n", argv[a], n, (int)o.len, o.base != NULL ? o.base : "");
                    continue;
                }
                pol_pii_session_reset(ss);
                int changed = 0;
                const char *d = NULL;
                size_t off = 0;
                int rc = gw_privacy_scrub_request(pv, &s, ad, ss, b.base != NULL ? b.base : "", b.len, &o, &changed, &bi, &d, &off);
                const char *ob = changed ? o.base : b.base;
                size_t ol = changed ? o.len : b.len;
                uint64_t h = 1469598103934665603ull;
                for (size_t i = 0; i < ol; i++)
                    h = (h ^ (unsigned char)ob[i]) * 1099511628211ull;
                printf("%s: rc %d (%s at %zu) %zu -> %zu bytes fnv %016llx refusal %d %s |", argv[a], rc, rc ? d : "", rc ? off : 0,
                       b.len, ol, (unsigned long long)h, bi.refusal_status, rc ? bi.refusal : "");
                size_t nf;
                const pol_pii_finding_t *f = pol_pii_session_findings(ss, &nf);
                for (size_t i = 0; i < nf; i++)
                    printf(" %s@%s[%zu,%zu)", pol_pii_type_name(gw_privacy_engine(pv), f[i].type), f[i].field, f[i].start,
                           f[i].end);
                if (rc == 0) {
                    pol_notrain_input_t nin = {ad->name, "chat/completions", 16, NULL, 0, NULL, 0, NULL, 0};
                    pol_notrain_decision_t nd;
                    int nch = 0;
                    const char *ed = NULL;
                    gw_buf_reset(&nto);
                    int nrc = gw_privacy_notrain(pv, &s, ad, &nin, ob, ol, 1, NULL, 0, &nd, &nto, &nch, &ed);
                    h = 1469598103934665603ull;
                    for (size_t i = 0; nch && i < nto.len; i++)
                        h = (h ^ (unsigned char)nto.base[i]) * 1099511628211ull;
                    gw_buf_reset(&rec);
                    if (nrc >= 0)
                        pol_notrain_record(&nd, &rec);
                    printf(" | notrain %d %s changed %d fnv %016llx %.*s", nrc, nrc < 0 && ed ? ed : "", nch, (unsigned long long)h,
                           (int)rec.len, rec.base != NULL ? rec.base : "");
                }
                printf("\n");
            }
            gw_buf_free(&o);
            gw_buf_free(&nto);
            gw_buf_free(&rec);
            gw_buf_free(&b);
            return 0;
        }
        if (strcmp(argv[2], "usage") == 0) {
            /* the usage walk of the proxy bench's answer (the mock serves openai/chat_completions.response.json), under
               valgrind --toggle-collect=prov__openai_usage_from_json; prints the figures read (compare two builds) */
            gw_buf_t ans = GW_BUF_INIT;
            if (read_fixture("openai/chat_completions.response.json", &ans) != 0)
                return 1;
            prov_usage_t u = PROV_USAGE_INIT;
            for (long i = 0; i < iters; i++) {
                u = (prov_usage_t)PROV_USAGE_INIT;
                if (prov_openai.usage_from_json(ans.base, ans.len, &u) < 0)
                    return 1;
            }
            gw_buf_t j = GW_BUF_INIT;
            prov_usage_to_json(&u, &j);
            printf("usage: %zu bytes -> %.*s\n", ans.len, (int)j.len, j.base != NULL ? j.base : "");
            gw_buf_free(&j);
            gw_buf_free(&ans);
            return 0;
        }
        if (argc > 3 && strcmp(argv[3], "notrain") == 0) {
            /* the no-training pass of the same body (OpenAI chat completions: store=false set, metadata deleted), under
               valgrind --toggle-collect=gw_privacy_notrain */
            for (size_t k = 0; k < NCASES; k++) {
                if (strcmp(argv[2], in[k].tag) != 0)
                    continue;
                gw_buf_t o = GW_BUF_INIT;
                /* trusted as the gateway runs it (the privacy pass accepted the body); `... notrain validate`: not */
                int trusted = !(argc > 4 && strcmp(argv[4], "validate") == 0);
                pol_notrain_input_t nin = {"openai", "chat/completions", 16, NULL, 0, NULL, 0, NULL, 0};
                pol_notrain_decision_t d;
                int changed = 0;
                for (long i = 0; i < iters; i++) {
                    const char *ed = NULL;
                    gw_buf_reset(&o);
                    if (gw_privacy_notrain(pv, &s, &prov_openai, &nin, in[k].body.base, in[k].body.len, trusted, NULL, 0, &d, &o,
                                           &changed, &ed) != POL_NOTRAIN_ALLOWED)
                        return 1;
                }
                printf("%s: no-training pass, changed %d, %zu bytes\n", in[k].tag, changed, changed ? o.len : in[k].body.len);
                gw_buf_free(&o);
                return 0;
            }
            return 1;
        }
        int digest = strcmp(argv[2], "digest") == 0;
        int found = 0;
        gw_buf_t o = GW_BUF_INIT;
        gw_body_info_t bi;
        memset(&bi, 0, sizeof(bi));
        for (size_t k = 0; k < NCASES; k++) {
            if (!digest && strcmp(argv[2], in[k].tag) != 0)
                continue;
            found = 1;
            int changed = 0;
            for (long i = 0; i < iters; i++) {
                pol_pii_session_reset(ss);
                const char *d;
                size_t off;
                if (gw_privacy_scrub_request(pv, &s, &prov_openai, ss, in[k].body.base, in[k].body.len, &o, &changed, &bi, &d,
                                             &off) != 0)
                    return 1;
            }
            size_t nf;
            const pol_pii_finding_t *f = pol_pii_session_findings(ss, &nf);
            uint64_t h = 1469598103934665603ull;
            const char *ob = changed ? o.base : in[k].body.base;
            size_t ol = changed ? o.len : in[k].body.len;
            for (size_t i = 0; i < ol; i++)
                h = (h ^ (unsigned char)ob[i]) * 1099511628211ull;
            printf("%-18s %6zu bytes -> %6zu bytes, output fnv %016llx, %zu findings:", in[k].tag, in[k].body.len, ol,
                   (unsigned long long)h, nf);
            for (size_t i = 0; i < nf; i++)
                printf(" %s@%s[%zu,%zu)", pol_pii_type_name(gw_privacy_engine(pv), f[i].type), f[i].field, f[i].start, f[i].end);
            printf("\n");
        }
        gw_buf_free(&o);
        if (!found) {
            fprintf(stderr,
                    "bench_privacy: unknown case %s (chat23 fixture_chat fixture_responses proxy short mixed many digest)\n",
                    argv[2]);
            return 1;
        }
        return 0;
    }
    printf("bench_privacy: %ld iterations per case, CPU time per request, best of 3 alternating runs\n", iters);
    gw_buf_t out = GW_BUF_INIT;
    gw_body_info_t info;
    memset(&info, 0, sizeof(info));
    for (size_t k = 0; k < NCASES; k++) {
        const gw_buf_t *b = &in[k].body;
        double best_old = 1e18, best_new = 1e18;
        size_t strings_old = 0, strings_new = 0;
        for (int run = 0; run < 4; run++) { /* run 0 warms up */
            int changed;
            double t0 = bench_cpu_ns();
            for (long i = 0; i < iters; i++) {
                pol_pii_session_reset(ss);
                if (gw_json_rewrite_ex(b->base, b->len, old_paths, NULL, 0, &old_v, &out, &changed, NULL, NULL, &s.json) != 0)
                    return 1;
            }
            double t_old = (bench_cpu_ns() - t0) / (double)iters;
            pol_pii_session_findings(ss, &strings_old);
            t0 = bench_cpu_ns();
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
            double t_new = (bench_cpu_ns() - t0) / (double)iters;
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
