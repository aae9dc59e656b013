/*
 * Stream-side usage helpers of the adapters (see providers/usage.h): cheap byte scans of one SSE
 * event (member pre-filter, usage-only chunk test, generated text bytes) that decide whether an
 * event is worth a JSON parse or how much text it carried. The usage record they feed is the
 * policy layer's (policy/usage.h): pricing consumes it, providers fill it.
 */
#include "providers/usage.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>

int prov__json_has_member(const char *data, size_t len, const char *key, int want_object)
{
    size_t kl = strlen(key);
    const char *p = data, *end = data + len;
    while ((size_t)(end - p) >= kl) {
        const char *hit = memmem(p, (size_t)(end - p), key, kl);
        if (hit == NULL)
            return 0;
        const char *q = hit + kl;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
            q++;
        if (q < end && *q == ':') {
            q++;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
                q++;
            if (q < end && (!want_object || *q == '{'))
                return 1;
        }
        p = hit + 1;
    }
    return 0;
}

int prov_usage_is_usage_only_chunk(const char *data, size_t len)
{
    if (!prov__json_has_member(data, len, "\"usage\"", 1) || !prov__json_has_member(data, len, "\"choices\"", 0))
        return 0;
    json_t *root = json_loadb(data, len, 0, NULL);
    if (root == NULL)
        return 0;
    json_t *choices = json_object_get(root, "choices");
    int yes = json_is_object(root) && json_is_array(choices) && json_array_size(choices) == 0 &&
              json_is_object(json_object_get(root, "usage"));
    json_decref(root);
    return yes;
}

/* End of the JSON string starting after its opening quote at p: the closing quote, or end. */
static const char *string_end(const char *p, const char *end)
{
    while (p < end && *p != '"')
        p += *p == '\\' && end - p > 1 ? 2 : 1;
    return p;
}

uint64_t prov_usage_event_text_bytes(const char *data, size_t len)
{
    static const char *const keys[] = {"content",   "text",         "thinking",  "reasoning_content",
                                       "reasoning", "partial_json", "arguments", "delta"};
    const char *p = data, *end = data + len;
    /* Responses API: only its delta events carry new text */
    if (memmem(data, len, "\"response.", 10) != NULL && memmem(data, len, ".delta\"", 7) == NULL)
        return 0;
    uint64_t n = 0;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (q == NULL)
            break;
        const char *s = q + 1, *e = string_end(s, end);
        /* a member name is a string followed by ':'; its value a string when '"' follows */
        const char *v = e < end ? e + 1 : end;
        while (v < end && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
            v++;
        if (v < end && *v == ':') {
            v++;
            while (v < end && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
                v++;
            if (v < end && *v == '"') {
                const char *ve = string_end(v + 1, end);
                for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
                    if ((size_t)(e - s) == strlen(keys[k]) && memcmp(s, keys[k], (size_t)(e - s)) == 0) {
                        n += (uint64_t)(ve - (v + 1));
                        break;
                    }
                p = ve < end ? ve + 1 : end;
                continue;
            }
        }
        p = e < end ? e + 1 : end;
    }
    return n;
}
