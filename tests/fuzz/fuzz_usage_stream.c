/*
 * Fuzz target for the usage extractors of every adapter (one target for all stream parser
 * families: OpenAI-format chunks and Responses / Images events, Gemini cumulative usageMetadata,
 * Anthropic message_start + message_delta, Replicate done / error, fal status objects). Input:
 * byte 0 = chunking seed, the rest = an SSE stream. For every adapter the stream goes through the
 * SSE parser into usage_from_event whole and in seeded chunks; invariants:
 *  - chunking never changes the result (identical prov_usage_state_t);
 *  - every present integer is >= 0, every present double finite and >= 0, strings NUL-terminated.
 * The same bytes also go to usage_from_json, estimate_inputs, model_from_path, the header hook and
 * fal's target_url (no crash, same value invariants), and to the stream-event helpers of issue 13
 * (prov_usage_is_usage_only_chunk, prov_usage_event_text_bytes <= len, prov_route_unbilled).
 * Seeds: the shared fixtures' streams/bodies.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "providers/provider.h"
#include "common/sse.h"
#include "support/support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const prov_adapter_t *a;
    prov_usage_state_t *st;
} ctx_t;

static int on_event(void *c, const gw_sse_event_t *ev)
{
    ctx_t *x = c;
    x->a->usage_from_event(x->st, ev);
    return 0;
}

static void run(const prov_adapter_t *a, const char *s, size_t len, size_t chunk, prov_usage_state_t *st)
{
    gw_sse_parser_t p;
    gw_sse_init(&p, 1 << 16);
    ctx_t x = {a, st};
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        if (gw_sse_feed(&p, s + off, n, on_event, &x) != 0)
            break;
    }
    gw_sse_finish(&p);
    gw_sse_dispose(&p);
}

static void check_usage(const prov_usage_t *u)
{
    for (int f = 0; f < PROV_USAGE__COUNT; f++) {
        if (!(u->has & PROV_USAGE_BIT(f)))
            continue;
        if (prov_usage_field_kind(f) == PROV_USAGE_KIND_STRING) {
            const char *s = prov_usage_get_string(u, f);
            TS_CHECK(strlen(s) < 128, "string field not terminated");
        } else {
            double v = prov_usage_get_number(u, f);
            TS_CHECK(isfinite(v) && v >= 0, "negative or non-finite usage");
        }
    }
    TS_CHECK((u->has >> PROV_USAGE__COUNT) == 0, "presence bit beyond the last field");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t chunk = 1 + data[0] % 23;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    (void)prov_usage_is_usage_only_chunk(s, len);
    TS_CHECK(prov_usage_event_text_bytes(s, len) <= len, "text bytes beyond the event");
    for (size_t i = 0; i < n; i++) {
        const prov_adapter_t *a = all[i];
        prov_usage_state_t whole, split;
        memset(&whole, 0, sizeof(whole));
        memset(&split, 0, sizeof(split));
        run(a, s, len, len > 0 ? len : 1, &whole);
        run(a, s, len, chunk, &split);
        TS_CHECK(memcmp(&whole, &split, sizeof(whole)) == 0, "chunking changed the usage");
        check_usage(&whole.usage);

        prov_usage_t u;
        memset(&u, 0, sizeof(u));
        int rc = a->usage_from_json(s, len, &u);
        TS_CHECK(rc >= 0 || rc == PROV_E_PARSE, "usage_from_json: unexpected return");
        if (a->usage_from_header != NULL)
            a->usage_from_header(&u, "x-fal-billable-units", 20, s, len < 40 ? len : 40);
        check_usage(&u);

        prov_estimate_t e;
        rc = a->estimate_inputs(s, len, &e);
        TS_CHECK(rc == 0 || rc == PROV_E_PARSE, "estimate_inputs: unexpected return");
        TS_CHECK(e.input_bytes == len && strlen(e.model) < sizeof(e.model) && strlen(e.size) < sizeof(e.size), "estimate fields");
        if (a->model_from_path != NULL) {
            char m[64];
            if (a->model_from_path(s, len, m, sizeof(m)) == 0)
                TS_CHECK(strlen(m) > 0 && strlen(m) < sizeof(m), "model_from_path result");
        }
        (void)prov_route_unbilled(a, "GET", 3, s, len);
        (void)prov_route_unbilled(a, s, len < 8 ? len : 8, s, len);
        if (a->target_url != NULL) {
            prov_target_t t;
            const char *why = NULL;
            if (a->target_url(s, len, a->target_hosts, &t, &why) == 0) {
                TS_CHECK(strncmp(t.origin, "https://", 8) == 0 && t.path_len > 0 && t.path[0] == '/', "target shape");
                TS_CHECK(t.path >= s && t.path + t.path_len <= s + len ? 1 : (t.path_len == 1 && t.path[0] == '/'),
                         "target path outside the header");
            } else {
                TS_CHECK(why != NULL, "target error without description");
            }
        }
    }
    return 0;
}
