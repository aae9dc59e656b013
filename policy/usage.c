/*
 * prov_usage: the neutral usage record (see policy/usage.h; the stream helpers that read provider
 * events are in providers/usage.c). One static table maps each field id to its
 * manifest key name, kind and offset in prov_usage_t, so lookups by name (tests, config), the JSON
 * form (call log, ledger) and the setters stay in step when a field is added.
 */
#include "policy/usage.h"
#include "common/json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct st_field_info_t {
    const char *name;
    size_t name_len;
    prov_usage_kind_t kind;
    size_t offset;
    size_t size; /* string capacity in bytes incl. NUL */
} field_info_t;

#define I(f, n) [f] = {#n, sizeof(#n) - 1, PROV_USAGE_KIND_INT, offsetof(prov_usage_t, n), 0}
#define D(f, n) [f] = {#n, sizeof(#n) - 1, PROV_USAGE_KIND_DOUBLE, offsetof(prov_usage_t, n), 0}
#define S(f, n) [f] = {#n, sizeof(#n) - 1, PROV_USAGE_KIND_STRING, offsetof(prov_usage_t, n), sizeof(((prov_usage_t *)0)->n)}

static const field_info_t fields[PROV_USAGE__COUNT] = {
    I(PROV_USAGE_INPUT_TOKENS, input_tokens),
    I(PROV_USAGE_OUTPUT_TOKENS, output_tokens),
    I(PROV_USAGE_TOTAL_TOKENS, total_tokens),
    I(PROV_USAGE_CACHED_INPUT_TOKENS, cached_input_tokens),
    I(PROV_USAGE_CACHE_READ_TOKENS, cache_read_tokens),
    I(PROV_USAGE_CACHE_WRITE_TOKENS, cache_write_tokens),
    I(PROV_USAGE_CACHE_WRITE_5M_TOKENS, cache_write_5m_tokens),
    I(PROV_USAGE_CACHE_WRITE_1H_TOKENS, cache_write_1h_tokens),
    I(PROV_USAGE_CACHE_HIT_TOKENS, cache_hit_tokens),
    I(PROV_USAGE_CACHE_MISS_TOKENS, cache_miss_tokens),
    I(PROV_USAGE_REASONING_TOKENS, reasoning_tokens),
    I(PROV_USAGE_THOUGHTS_TOKENS, thoughts_tokens),
    I(PROV_USAGE_INPUT_TEXT_TOKENS, input_text_tokens),
    I(PROV_USAGE_INPUT_IMAGE_TOKENS, input_image_tokens),
    I(PROV_USAGE_OUTPUT_TEXT_TOKENS, output_text_tokens),
    I(PROV_USAGE_OUTPUT_IMAGE_TOKENS, output_image_tokens),
    I(PROV_USAGE_TOOL_INPUT_TOKENS, tool_input_tokens),
    I(PROV_USAGE_WEB_SEARCH_REQUESTS, web_search_requests),
    I(PROV_USAGE_IMAGES, images),
    D(PROV_USAGE_PREDICT_TIME_S, predict_time_s),
    D(PROV_USAGE_TOTAL_TIME_S, total_time_s),
    D(PROV_USAGE_INFERENCE_TIME_S, inference_time_s),
    D(PROV_USAGE_BILLABLE_UNITS, billable_units),
    D(PROV_USAGE_COST_CREDITS_USD, cost_credits_usd),
    S(PROV_USAGE_MODEL, model),
    S(PROV_USAGE_SIZE, size),
    S(PROV_USAGE_QUALITY, quality),
};

#undef I
#undef D
#undef S

static const field_info_t *info(prov_usage_field_t f)
{
    return (unsigned)f < PROV_USAGE__COUNT ? &fields[f] : NULL;
}

const char *prov_usage_field_name(prov_usage_field_t f)
{
    const field_info_t *fi = info(f);
    return fi != NULL ? fi->name : NULL;
}

prov_usage_kind_t prov_usage_field_kind(prov_usage_field_t f)
{
    const field_info_t *fi = info(f);
    return fi != NULL ? fi->kind : (prov_usage_kind_t)-1;
}

int prov_usage_field_by_name(const char *name)
{
    for (int i = 0; i < PROV_USAGE__COUNT; i++)
        if (strcmp(fields[i].name, name) == 0)
            return i;
    return -1;
}

double prov_usage_get_number(const prov_usage_t *u, prov_usage_field_t f)
{
    const field_info_t *fi = info(f);
    if (fi == NULL || !(u->has & PROV_USAGE_BIT(f)))
        return 0;
    const char *p = (const char *)u + fi->offset;
    if (fi->kind == PROV_USAGE_KIND_INT)
        return (double)*(const int64_t *)(const void *)p;
    if (fi->kind == PROV_USAGE_KIND_DOUBLE)
        return *(const double *)(const void *)p;
    return 0;
}

const char *prov_usage_get_string(const prov_usage_t *u, prov_usage_field_t f)
{
    const field_info_t *fi = info(f);
    if (fi == NULL || fi->kind != PROV_USAGE_KIND_STRING || !(u->has & PROV_USAGE_BIT(f)))
        return "";
    return (const char *)u + fi->offset;
}

int prov_usage_to_json(const prov_usage_t *u, gw_buf_t *out)
{
    int first = 1;
    if (gw_buf_append(out, "{", 1) != 0)
        return -1;
    for (int i = 0; i < PROV_USAGE__COUNT; i++) {
        if (!(u->has & PROV_USAGE_BIT(i)))
            continue;
        const field_info_t *fi = &fields[i];
        const char *p = (const char *)u + fi->offset;
        int rc = 0;
        /* `,"name":` and an integer written in place after one reserve: this runs for every call record on the
         * worker's loop; a printf per field, then five appends per field, were most of its cost (docs/BENCHMARKS.md
         * "Issue 12, session 4: SQLite store" and "Issue 12, session 6") */
        if (gw_buf_reserve(out, fi->name_len + 4 + GW_INT_TEXT_MAX) != 0)
            return -1;
        char *w = out->base + out->len;
        if (!first)
            *w++ = ',';
        *w++ = '"';
        memcpy(w, fi->name, fi->name_len);
        w += fi->name_len;
        *w++ = '"';
        *w++ = ':';
        first = 0;
        switch (fi->kind) {
        case PROV_USAGE_KIND_INT:
            w += gw_i64_text(w, *(const int64_t *)(const void *)p);
            out->len = (size_t)(w - out->base);
            break;
        case PROV_USAGE_KIND_DOUBLE:
            out->len = (size_t)(w - out->base);
            rc = gw_buf_appendf(out, "%.17g", *(const double *)(const void *)p);
            break;
        default:
            out->len = (size_t)(w - out->base);
            rc = gw_json_escape(p, strlen(p), out);
            break;
        }
        if (rc != 0)
            return -1;
    }
    return gw_buf_append(out, "}", 1);
}

int64_t prov_usage_billed_output_tokens(const prov_usage_t *u)
{
    int64_t n = 0;
    if (u->has & PROV_USAGE_BIT(PROV_USAGE_OUTPUT_TOKENS))
        n += u->output_tokens;
    if (u->has & PROV_USAGE_BIT(PROV_USAGE_THOUGHTS_TOKENS))
        n += u->thoughts_tokens;
    return n;
}

void prov__usage_set_int(prov_usage_t *u, prov_usage_field_t f, int64_t v)
{
    const field_info_t *fi = info(f);
    if (fi == NULL || fi->kind != PROV_USAGE_KIND_INT || v < 0)
        return;
    *(int64_t *)(void *)((char *)u + fi->offset) = v;
    u->has |= PROV_USAGE_BIT(f);
}

void prov__usage_add_int(prov_usage_t *u, prov_usage_field_t f, int64_t v)
{
    const field_info_t *fi = info(f);
    if (fi == NULL || fi->kind != PROV_USAGE_KIND_INT || v < 0)
        return;
    int64_t *p = (int64_t *)(void *)((char *)u + fi->offset);
    int64_t cur = (u->has & PROV_USAGE_BIT(f)) ? *p : 0;
    *p = cur > INT64_MAX - v ? INT64_MAX : cur + v;
    u->has |= PROV_USAGE_BIT(f);
}

void prov__usage_set_double(prov_usage_t *u, prov_usage_field_t f, double v)
{
    const field_info_t *fi = info(f);
    if (fi == NULL || fi->kind != PROV_USAGE_KIND_DOUBLE || !isfinite(v) || v < 0)
        return;
    *(double *)(void *)((char *)u + fi->offset) = v;
    u->has |= PROV_USAGE_BIT(f);
}

void prov__usage_set_string(prov_usage_t *u, prov_usage_field_t f, const char *s, size_t len)
{
    const field_info_t *fi = info(f);
    if (fi == NULL || fi->kind != PROV_USAGE_KIND_STRING)
        return;
    char *p = (char *)u + fi->offset;
    if (len >= fi->size)
        len = fi->size - 1;
    memcpy(p, s, len);
    p[len] = '\0';
    u->has |= PROV_USAGE_BIT(f);
}
