/*
 * Fuzz target for the parsers of issue 16 that read bytes from outside aigw: stream capabilities
 * (gateway/async.h: base64url, AEAD, JSON), the stream route matcher, the Replicate prediction
 * rewriter (JSON from the provider), the prediction-answer reader, the vault's stored form, the
 * restore of a later read's JSON, the route classifier, and Retry-After / retry-after-ms
 * (gateway/retry.h).
 * Invariants: no crash; a capability never opens unless it was sealed with the key (random bytes
 * never authenticate); a capability sealed from the input opens to the same fields; the rewriter
 * produces valid JSON whose urls point at aigw; a restored document is valid JSON; a classified
 * id is a valid id inside the path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sodium.h>

#include "gateway/async.h"
#include "gateway/retry.h"
#include "support/support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned char key[GW_ASYNC_KEY_BYTES] = {1, 2, 3};
    const char *s = (const char *)data;
    gw_async_cap_t cap;
    const char *err = NULL;
    if (sodium_init() < 0)
        return 0;
    /* 1. arbitrary text as a capability: never authenticates */
    TS_CHECK(gw_async_cap_open(key, s, size, 0, &cap, &err) != 0, "random bytes opened as a capability");
    TS_CHECK(err != NULL, "no error description");
    /* 2. the route matcher */
    const char *cv;
    size_t cl;
    if (gw_async_stream_route(&prov_replicate, s, size, &cv, &cl))
        TS_CHECK(cv >= s && cv + cl <= s + size, "capability outside the path");
    /* 3. Retry-After parsers */
    int64_t ra = gw_retry_parse_retry_after(s, size, 1700000000);
    TS_CHECK(ra >= -1, "negative Retry-After");
    TS_CHECK(gw_retry_parse_retry_after_ms(s, size) >= -1, "negative retry-after-ms");
    /* 4. a capability sealed from the input (as user id and a vault value) opens to the same */
    char *text = strndup(s, size);
    json_t *js = text != NULL && strlen(text) == size ? json_stringn(text, size) : NULL; /* valid UTF-8, no NUL */
    if (js != NULL) {
        json_decref(js);
        gw_async_vault_t v;
        memset(&v, 0, sizeof(v));
        gw_buf_t out = GW_BUF_INIT;
        TS_CHECK(gw_async_vault_add(&v, "<PERSON_1>", 10, text, size) == 0, "vault add");
        if (gw_async_cap_seal(key, "https://stream.replicate.com/v1/files/x", text, "backend", 100, &v, &out) == 0) {
            TS_CHECK(gw_async_cap_open(key, out.base, out.len, 50, &cap, &err) == 0, "sealed capability did not open");
            TS_CHECK(strcmp(cap.user, text) == 0 && cap.ntokens == 1 && strcmp(cap.values[0], text) == 0, "fields changed");
            gw_async_cap_free(&cap);
            TS_CHECK(gw_async_cap_open(key, out.base, out.len, 101, &cap, &err) != 0, "expired capability opened");
        }
        gw_buf_free(&out);
        gw_async_vault_free(&v);
    }
    free(text);
    /* 5. the input as a provider's prediction JSON */
    gw_async_rewrite_t rw = {"http://aigw.test", "/replicate/v1/", "u", "c", NULL, key, 0};
    gw_buf_t out = GW_BUF_INIT;
    if (gw_async_rewrite_links(&prov_replicate, &rw, s, size, &out) == 1) {
        json_t *doc = json_loadb(out.base, out.len, 0, NULL);
        TS_CHECK(doc != NULL, "rewritten prediction is not JSON");
        json_decref(doc);
        TS_CHECK(memmem(out.base, out.len, "http://aigw.test/replicate/v1/predictions/", 42) != NULL, "urls not rewritten");
    }
    gw_buf_free(&out);
    /* 6. later reads: answer state, stored vault, restore, route classification */
    gw_async_state_t st;
    for (int a = 0; a < 2; a++)
        if (gw_async_answer_state(a == 0 ? &prov_replicate : &prov_fal, s, size, &st) == 0)
            TS_CHECK(strlen(st.id) <= GW_ASYNC_ID_MAX, "id too long");
    gw_async_vault_t v;
    memset(&v, 0, sizeof(v));
    if (gw_async_vault_from_json(s, size, &v) == 0) {
        gw_buf_t back = GW_BUF_INIT;
        TS_CHECK(gw_async_vault_to_json(&v, &back) == 0, "vault does not serialise");
        gw_buf_free(&back);
        gw_async_vault_free(&v);
    }
    TS_CHECK(gw_async_vault_add(&v, "<PERSON_1>", 10, "Jane \"Doe\"", 10) == 0, "vault add");
    if (gw_async_restore_json(&v, s, size, &out) == 1) {
        json_t *doc = json_loadb(out.base, out.len, JSON_DECODE_ANY, NULL);
        TS_CHECK(doc != NULL, "restored document is not JSON");
        json_decref(doc);
    }
    gw_buf_free(&out);
    gw_async_vault_free(&v);
    char id[GW_ASYNC_ID_MAX + 1];
    static const char *const methods[] = {"GET", "POST"};
    const prov_adapter_t *adapters[] = {&prov_replicate, &prov_fal};
    for (int m = 0; m < 2; m++)
        for (int a = 0; a < 2; a++)
            if (gw_async_classify(adapters[a], methods[m], strlen(methods[m]), s, size, "https://queue.fal.run", id) ==
                GW_ASYNC_READ)
                TS_CHECK(id[0] != '\0' && strlen(id) <= GW_ASYNC_ID_MAX && memmem(s, size, id, strlen(id)) != NULL, "bad id");
    return 0;
}
