/*
 * Fuzz target for the PII scanner and session (libFuzzer; replayed over
 * tests/fuzz/corpus/pii_scan/ by ctest). Input bytes are used as one text field (any bytes,
 * invalid UTF-8 included). Invariants checked:
 *   - entities are sorted, non-overlapping and inside the text;
 *   - restore(tokenize(x)) == x when x holds no token-shaped text of its own;
 *   - redaction puts "<TYPE>" exactly where each entity was, and a re-scan of the output finds
 *     nothing inside a placeholder. (A re-scan may still find a wider span that contains a
 *     placeholder, e.g. a quoted password value that held an e-mail: that is a new detection,
 *     not a leak of the redacted value.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/pii/pii.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pol_pii_engine_t *tok_e, *red_e;
static pol_pii_scratch_t *tok_s, *red_s;
static pol_pii_session_t *tok_ss, *red_ss;

static void init(void)
{
    static const unsigned char key[32];
    char err[256];
    json_t *cfg = json_loads("{\"default_action\":\"redact\",\"min_score\":0.2}", 0, NULL);
    tok_e = pol_pii_engine_create(NULL, key, err, sizeof(err));
    red_e = pol_pii_engine_create(cfg, key, err, sizeof(err));
    json_decref(cfg);
    if (tok_e == NULL || red_e == NULL)
        abort();
    tok_s = pol_pii_scratch_create(tok_e);
    red_s = pol_pii_scratch_create(red_e);
    tok_ss = pol_pii_session_create(tok_e);
    red_ss = pol_pii_session_create(red_e);
    if (tok_s == NULL || red_s == NULL || tok_ss == NULL || red_ss == NULL)
        abort();
}

static int has_token(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] == '<' && pol_pii_token_len(t + i, n - i) != 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (tok_e == NULL)
        init();
    const char *text = (const char *)data;
    const pol_pii_entity_t *ents;
    size_t n;
    if (pol_pii_scan_all(tok_e, tok_s, text, size, &ents, &n) != 0)
        abort();
    for (size_t i = 0; i < n; i++)
        if (ents[i].start >= ents[i].end || ents[i].end > size || (i > 0 && ents[i].start < ents[i - 1].end))
            abort();

    /* tokenize -> restore round trip */
    gw_buf_t out = GW_BUF_INIT, back = GW_BUF_INIT;
    pol_pii_session_reset(tok_ss);
    int rc = pol_pii_session_scrub(tok_ss, tok_s, "f", text, size, &out);
    if (rc < 0)
        abort();
    if (rc == 1 && !has_token(text, size)) {
        int r2 = pol_pii_session_restore(tok_ss, out.base, out.len, &back);
        if (r2 != 1 || back.len != size || memcmp(back.base, text, size) != 0)
            abort();
    }

    /* redact -> re-scan: the redacted values are gone */
    pol_pii_session_reset(red_ss);
    if (pol_pii_scan(red_e, red_s, text, size, &ents, &n) != 0)
        abort();
    pol_pii_entity_t *first = n ? malloc(n * sizeof(*first)) : NULL;
    if (n && first == NULL)
        abort();
    if (n)
        memcpy(first, ents, n * sizeof(*first));
    size_t n1 = n;
    rc = pol_pii_session_scrub(red_ss, red_s, "f", text, size, &out);
    if (rc < 0)
        abort();
    if (rc == 1) {
        /* the output is the text with entity i replaced by "<TYPE_i>": compute where each placeholder landed
         * and check that it is there and that no entity of the re-scan overlaps a placeholder */
        size_t *ph = n1 ? malloc(2 * n1 * sizeof(size_t)) : NULL;
        size_t pos = 0, prev = 0;
        for (size_t j = 0; j < n1; j++) {
            const char *name = pol_pii_type_name(red_e, first[j].type);
            pos += first[j].start - prev;
            ph[2 * j] = pos;
            pos += strlen(name) + 2;
            ph[2 * j + 1] = pos;
            prev = first[j].end;
            if (ph[2 * j + 1] > out.len || out.base[ph[2 * j]] != '<' || memcmp(out.base + ph[2 * j] + 1, name, strlen(name)) != 0)
                abort();
        }
        if (pol_pii_scan(red_e, red_s, out.base, out.len, &ents, &n) != 0)
            abort();
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n1; j++)
                if (ents[i].start >= ph[2 * j] && ents[i].end <= ph[2 * j + 1])
                    abort(); /* a placeholder (or part of one) detected as PII */
        free(ph);
    }
    free(first);
    gw_buf_free(&out);
    gw_buf_free(&back);
    return 0;
}
