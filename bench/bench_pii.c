/*
 * PII scan benchmark (`make bench`): single-core MB/s of pol_pii_scan on (1) mixed prompt text
 * (prose, code, JSON, logs; about 1 PII value per 2 KB), (2) multilingual prompt text (the same
 * mix with Chinese, Japanese, Korean, Russian, Arabic and Hindi prompts, full-width forms and
 * no-break spaces; about 1 PII value per 2 KB) and (3) PII-dense text, next to two
 * baselines over the same bytes in the same run (memchr for '@' and a byte-class count of digits),
 * and the cost of scrubbing one 2 KB chat message (session reset + scan + tokenize) in µs, and
 * `aigw scrub` (gw_cmd_scrub_io, in-memory streams) on the mixed text as 2 KB JSON lines in MB/s
 * of input.
 * Text is synthetic and deterministic (fixed LCG seed). Usage: bench_pii [MB] [cpu] (cpu: process
 * CPU time instead of the wall clock); bench_pii MB cpu mixed2k: only the mixed text in 2 KB
 * blocks, once (for `valgrind --tool=callgrind --toggle-collect=pol_pii_scan`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/cmd_scrub.h"
#include "common/json.h"
#include "policy/pii/pii.h"
#include "policy/pii/pii_internal.h"

static unsigned long long rng = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* CLOCK_MONOTONIC, or the process's CPU time with `bench_pii <MB> cpu` (on a shared machine
 * under load the wall clock measures the scheduler more than the code) */
static clockid_t clock_id = CLOCK_MONOTONIC;

static double now(void)
{
    struct timespec ts;
    clock_gettime(clock_id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const prose[] = {
    "Summarize the following meeting notes and list the action items for the product team. ",
    "The quarterly report shows revenue growth of 12.5% compared to last year, driven by new customers in Europe. ",
    "Can you explain how the garbage collector in Go decides when to run, and what GOGC controls? ",
    "Please rewrite this paragraph so it sounds more formal but keep the meaning the same. ",
    "In 2023 the team shipped version 4.2.1 of the SDK with support for streaming responses. ",
    "Translate to German: The delivery will arrive on Tuesday between 9 and 11 in the morning. ",
    "def parse(line):\n    key, _, value = line.partition('=')\n    return key.strip(), value.strip()\n",
    "{\"model\": \"gpt-4o\", \"temperature\": 0.2, \"max_tokens\": 512, \"stream\": true}\n",
    "2024-05-01T12:00:03.123Z INFO request_id=7f3a2c1e latency_ms=153 status=200 path=/v1/chat\n",
    "What are the trade-offs between B-trees and LSM trees for write-heavy workloads? ",
    "Order #48213 shipped on 2024-03-02; total $129.99 including tax and shipping. ",
    "SELECT id, name, created_at FROM users WHERE created_at > now() - interval '7 days';\n",
};
static const char *const pii[] = {
    "My email is jane.doe@example.com. ",
    "Call me at +1 (415) 555-0132. ",
    "Card: 4111 1111 1111 1111. ",
    "IBAN DE89 3704 0044 0532 0130 00. ",
    "SSN 078-05-1123. ",
    "Server 10.20.30.40 is down. ",
    "key sk-proj-Ab3dE5gH7jK9mN1pQ3sT5vX7zA9c ",
    "Dear John Miller, ",
    "ship to 221 Baker Street. ",
};

static const char *const prose_ml[] = {
    "\xe8\xaf\xb7\xe5\xb8\xae\xe6\x88\x91\xe7\x94\xbb\xe4\xb8\x80\xe5\xb9\x85\xe4\xb8\x8a\xe6\xb5\xb7\xe5\xa4\x9c\xe6\x99\xaf"
    "\xef\xbc\x8c\xe5\x88\x86\xe8\xbe\xa8\xe7\x8e\x87 1920x1080\xef\xbc\x8c\xe8\xb5\x9b\xe5\x8d\x9a\xe6\x9c\x8b\xe5\x85\x8b"
    "\xe9\xa3\x8e\xe6\xa0\xbc\xe3\x80\x82", /* zh image prompt */
    "\xe3\x81\x93\xe3\x81\xae\xe6\x96\x87\xe7\xab\xa0\xe3\x82\x92\xe8\x8b\xb1\xe8\xaa\x9e\xe3\x81\xab\xe7\xbf\xbb\xe8\xa8\xb3"
    "\xe3\x81\x97\xe3\x81\xa6\xe3\x81\x8f\xe3\x81\xa0\xe3\x81\x95\xe3\x81\x84\xe3\x80\x82", /* ja */
    "\xec\x9d\xb4 \xeb\xac\xb8\xec\x9e\xa5\xec\x9d\x84 \xec\x9a\x94\xec\x95\xbd\xed\x95\xb4 \xec\xa3\xbc\xec\x84\xb8\xec\x9a\x94. ",
    "\xd0\x9d\xd0\xb0\xd0\xbf\xd0\xb8\xd1\x88\xd0\xb8 \xd0\xba\xd0\xbe\xd1\x80\xd0\xbe\xd1\x82\xd0\xba\xd0\xbe\xd0\xb5 "
    "\xd1\x80\xd0\xb5\xd0\xb7\xd1\x8e\xd0\xbc\xd0\xb5 \xd0\xb2\xd1\x81\xd1\x82\xd1\x80\xd0\xb5\xd1\x87\xd0\xb8. ", /* ru */
    "\xd8\xa7\xd8\xb1\xd8\xb3\xd9\x85 \xd9\x82\xd8\xb7\xd8\xa9 \xd8\xa8\xd9\x8a\xd8\xb6\xd8\xa7\xd8\xa1 \xd8\xb9\xd9\x84\xd9\x89 "
    "\xd8\xa7\xd9\x84\xd8\xb4\xd8\xa7\xd8\xb7\xd8\xa6. ", /* ar */
    "\xe0\xa4\x8f\xe0\xa4\x95 \xe0\xa4\xac\xe0\xa4\xbf\xe0\xa4\xb2\xe0\xa5\x8d\xe0\xa4\xb2\xe0\xa5\x80 \xe0\xa4\x95\xe0\xa4\xbe "
    "\xe0\xa4\x9a\xe0\xa4\xbf\xe0\xa4\xa4\xe0\xa5\x8d\xe0\xa4\xb0\xe0\xa5\xa4 ", /* hi */
    "Prix\xc2\xa0: 12,50\xc2\xa0\xe2\x82\xac, livraison \xc2\xab\xc2\xa0"
    "express\xc2\xa0\xc2\xbb. ", /* fr with NBSP */
    "\xe8\xae\xa2\xe5\x8d\x95\xe5\x8f\xb7\xef\xbc\x9a\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94\xef\xbc\x90\xef\xbc\x95"
    "\xe3\x80\x82", /* zh full-width order number */
};
static const char *const pii_ml[] = {
    "\xe8\xaf\xb7\xe8\x81\x94\xe7\xb3\xbbjane.doe@example.com\xe8\xb0\xa2\xe8\xb0\xa2",
    "\xe6\x89\x8b\xe6\x9c\xba\xef\xbc\x9a\xef\xbc\x91\xef\xbc\x93\xef\xbc\x98\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\x93"
    "\xef\xbc\x98\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xe3\x80\x82",
    "\xe8\x81\x94\xe7\xb3\xbb\xe4\xba\xba\xef\xbc\x9a\xe5\xbc\xa0\xe4\xbc\x9f\xef\xbc\x8c",
    "\xd0\x9c\xd0\xb5\xd0\xbd\xd1\x8f \xd0\xb7\xd0\xbe\xd0\xb2\xd1\x83\xd1\x82 \xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd "
    "\xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2. ",
    "Card 4111\xc2\xa0"
    "1111\xc2\xa0"
    "1111\xc2\xa0"
    "1111. ",
};

/* the multilingual workload: 3 of 4 fragments from prose_ml, 1 from the ASCII prose, one PII value per ~2 KB */
static void fill_ml(char *buf, size_t len)
{
    size_t p = 0, since = 0;
    while (p < len) {
        const char *s;
        if (since > 2048) {
            s = pii_ml[rnd(sizeof(pii_ml) / sizeof(pii_ml[0]))];
            since = 0;
        } else if (rnd(4) != 0) {
            s = prose_ml[rnd(sizeof(prose_ml) / sizeof(prose_ml[0]))];
        } else {
            s = prose[rnd(sizeof(prose) / sizeof(prose[0]))];
        }
        size_t n = strlen(s);
        if (n > len - p)
            n = len - p;
        memcpy(buf + p, s, n);
        p += n;
        since += n;
    }
}

static void fill(char *buf, size_t len, int dense)
{
    size_t p = 0, since = 0;
    while (p < len) {
        const char *s;
        if (dense ? rnd(2) == 0 : since > 2048) {
            s = pii[rnd(sizeof(pii) / sizeof(pii[0]))];
            since = 0;
        } else {
            s = prose[rnd(sizeof(prose) / sizeof(prose[0]))];
        }
        size_t n = strlen(s);
        if (n > len - p)
            n = len - p;
        memcpy(buf + p, s, n);
        p += n;
        since += n;
    }
}

static double bench_scan(const pol_pii_engine_t *e, pol_pii_scratch_t *s, const char *buf, size_t len, size_t chunk, size_t *found)
{
    const pol_pii_entity_t *ents;
    size_t n;
    double best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        *found = 0;
        for (size_t off = 0; off < len; off += chunk) {
            size_t l = len - off < chunk ? len - off : chunk;
            if (pol_pii_scan(e, s, buf + off, l, &ents, &n) != 0)
                exit(1);
            *found += n;
        }
        double dt = now() - t0;
        if (dt < best)
            best = dt;
    }
    return (double)len / best / 1e6;
}

static double bench_baseline(const char *buf, size_t len, size_t *hits)
{
    double best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        size_t at = 0, digits = 0;
        for (const char *p = buf; (p = memchr(p, '@', (size_t)(buf + len - p))) != NULL; p++)
            at++;
        for (size_t i = 0; i < len; i++)
            digits += (unsigned char)(buf[i] - '0') < 10;
        *hits = at + digits;
        double dt = now() - t0;
        if (dt < best)
            best = dt;
    }
    return (double)len / best / 1e6;
}

/* `aigw scrub` over the text cut into 2 KB pieces, one {"text": ...} line each: MB/s of input */
static double bench_scrub_cli(const char *buf, size_t len)
{
    gw_buf_t lines = GW_BUF_INIT;
    for (size_t off = 0; off < len; off += 2048) {
        size_t l = len - off < 2048 ? len - off : 2048;
        if (gw_buf_append(&lines, "{\"text\":", 8) != 0 || gw_json_escape(buf + off, l, &lines) != 0 ||
            gw_buf_append(&lines, "}\n", 2) != 0)
            exit(1);
    }
    double best = 1e9;
    char *argv[] = {(char *)"scrub", NULL};
    for (int rep = 0; rep < 3; rep++) {
        FILE *in = fmemopen(lines.base, lines.len, "r"), *out = fopen("/dev/null", "w");
        if (in == NULL || out == NULL)
            exit(1);
        double t0 = now();
        if (gw_cmd_scrub_io(1, argv, in, out, stderr) != 0)
            exit(1);
        double dt = now() - t0;
        if (dt < best)
            best = dt;
        fclose(in);
        fclose(out);
    }
    double mb = (double)lines.len / 1e6;
    gw_buf_free(&lines);
    return mb / best;
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 32;
    if (argc > 2 && strcmp(argv[2], "cpu") == 0)
        clock_id = CLOCK_PROCESS_CPUTIME_ID;
    size_t len = mb << 20;
    unsigned char key[32] = {0};
    char err[256];
    double t0 = now();
    pol_pii_engine_t *e = pol_pii_engine_create(NULL, key, err, sizeof(err));
    if (e == NULL) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("engine create (vectorscan compile): %.1f ms\n", (now() - t0) * 1e3);
    pol_pii_scratch_t *s = pol_pii_scratch_create(e);
    if (argc > 3 && (strcmp(argv[3], "mixed2k") == 0 || strcmp(argv[3], "multi2k") == 0)) {
        /* one workload alone (for callgrind --toggle-collect=pol_pii_scan): mixed prompt text or multilingual text */
        const pol_pii_entity_t *ents;
        size_t n, found = 0;
        int ml = strcmp(argv[3], "multi2k") == 0;
        char *text = malloc(len);
        if (ml)
            fill_ml(text, len);
        else
            fill(text, len, 0);
        t0 = now();
        for (size_t off = 0; off < len; off += 2048)
            if (pol_pii_scan(e, s, text + off, len - off < 2048 ? len - off : 2048, &ents, &n) != 0)
                return 1;
            else
                found += n;
        printf("pol_pii_scan %s text, 2 KB blocks, one pass: %.0f MB/s, %zu found\n", ml ? "multilingual" : "mixed prompt",
               (double)len / (now() - t0) / 1e6, found);
        free(text);
        pol_pii_scratch_free(s);
        pol_pii_engine_free(e);
        return 0;
    }
    char *mixed = malloc(len), *dense = malloc(len);
    fill(mixed, len, 0);
    fill(dense, len, 1);
    size_t found = 0, hits = 0;
    printf("%-44s %10s %10s\n", "workload", "MB/s", "found");
    double r;
    r = bench_baseline(mixed, len, &hits);
    printf("%-44s %10.0f %10zu\n", "baseline memchr('@') + digit count, mixed", r, hits);
    r = bench_scan(e, s, mixed, len, 1 << 20, &found);
    printf("%-44s %10.0f %10zu\n", "pol_pii_scan mixed prompt text, 1 MB blocks", r, found);
    r = bench_scan(e, s, mixed, len, 2048, &found);
    printf("%-44s %10.0f %10zu\n", "pol_pii_scan mixed prompt text, 2 KB blocks", r, found);
    char *ml = malloc(len);
    fill_ml(ml, len);
    r = bench_baseline(ml, len, &hits);
    printf("%-44s %10.0f %10zu\n", "baseline memchr('@') + digit count, multiling.", r, hits);
    r = bench_scan(e, s, ml, len, 1 << 20, &found);
    printf("%-44s %10.0f %10zu\n", "pol_pii_scan multilingual text, 1 MB blocks", r, found);
    r = bench_scan(e, s, ml, len, 2048, &found);
    printf("%-44s %10.0f %10zu\n", "pol_pii_scan multilingual text, 2 KB blocks", r, found);
    free(ml);
    r = bench_baseline(dense, len, &hits);
    printf("%-44s %10.0f %10zu\n", "baseline memchr('@') + digit count, dense", r, hits);
    r = bench_scan(e, s, dense, len, 1 << 20, &found);
    printf("%-44s %10.0f %10zu\n", "pol_pii_scan PII-dense text, 1 MB blocks", r, found);

    /* the numbering-plan check (libphonenumber) on numbers it has not seen: what a phone number
     * costs the first time a scratch meets it (later ones hit the scratch's cache) */
    {
        char num[16];
        int valid = 0, k = 2000;
        double t1 = now();
        for (int i = 0; i < k; i++) {
            snprintf(num, sizeof(num), "1%03d555%04d", 201 + i % 700, i);
            valid += pol__phone_intl(num, 11);
        }
        double us_intl = (now() - t1) / k * 1e6;
        t1 = now();
        for (int i = 0; i < k; i++) {
            snprintf(num, sizeof(num), "0%02d%07d", 10 + i % 90, i * 7919 % 10000000);
            valid += pol__phone_national(
                num, 10, "GB,DE,FR,IT,NL,BE,CH,AT,SE,FI,IE,JP,KR,CN,TW,IN,PK,BR,AR,AU,NZ,ZA,NG,EG,TR,TH,ID,MY,PH,VN");
        }
        double us_nat = (now() - t1) / k * 1e6;
        printf("%-44s %8.1f us (+1 numbers), %.1f us (trunk-0, 30 plans), %d valid\n", "phone plan check, uncached", us_intl,
               us_nat, valid);
    }

    /* one 2 KB chat message: reset + scrub (scan + tokenize + findings) */
    pol_pii_session_t *ss = pol_pii_session_create(e);
    gw_buf_t out = GW_BUF_INIT;
    char msg[2048];
    memcpy(msg, mixed, sizeof(msg));
    memcpy(msg + 700, "My email is jane.doe@example.com and my phone is +1 (415) 555-0132. ", 68);
    int iters = 200000;
    double best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        double t1 = now();
        for (int i = 0; i < iters; i++) {
            pol_pii_session_reset(ss);
            if (pol_pii_session_scrub(ss, s, "messages[0].content", msg, sizeof(msg), &out) < 0)
                return 1;
        }
        double dt = (now() - t1) / iters;
        if (dt < best)
            best = dt;
    }
    size_t nf;
    pol_pii_session_findings(ss, &nf);
    printf("scrub one 2 KB chat message (%zu findings): %.2f us\n", nf, best * 1e6);
    char clean[2048];
    memcpy(clean, mixed + 4096, sizeof(clean));
    best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        double t1 = now();
        for (int i = 0; i < iters; i++) {
            pol_pii_session_reset(ss);
            if (pol_pii_session_scrub(ss, s, "messages[0].content", clean, sizeof(clean), &out) < 0)
                return 1;
        }
        double dt = (now() - t1) / iters;
        if (dt < best)
            best = dt;
    }
    printf("scrub one 2 KB chat message without PII: %.2f us\n", best * 1e6);
    printf("%-44s %10.0f\n", "aigw scrub, 2 KB JSON lines of mixed text", bench_scrub_cli(mixed, len));
    gw_buf_free(&out);
    pol_pii_session_free(ss);
    free(mixed);
    free(dense);
    pol_pii_scratch_free(s);
    pol_pii_engine_free(e);
    return 0;
}
