/*
 * prov_usage: the provider-neutral billing numbers of one call, filled by each adapter's usage
 * extractors (providers/<name>.c) from a JSON response body, from every SSE event of a stream, or
 * from response headers. The record lives in the policy layer because pricing and metering consume
 * it (policy may not include providers/); the stream helpers are in providers/usage.h. The prov_
 * prefix is historical (kept so every extractor and the pipeline read as before). Key names are the gateway-neutral ones of
 * tests/fixtures/providers/manifest.json `expected_usage`; every field has a presence bit so
 * "reported as 0" and "not reported" differ. The metering issue prices these numbers; what each
 * field includes is written next to it because providers count differently (OpenAI's input
 * includes cached tokens, Anthropic's excludes cache reads and writes).
 */
#ifndef AIGW_POLICY_USAGE_H
#define AIGW_POLICY_USAGE_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/** Field ids: bit (1u << id) of prov_usage_t.has is set when the provider reported the field. */
typedef enum {
    PROV_USAGE_INPUT_TOKENS,          /**< prompt tokens as the provider reports them (see prov_usage_t) */
    PROV_USAGE_OUTPUT_TOKENS,         /**< completion tokens as reported */
    PROV_USAGE_TOTAL_TOKENS,          /**< provider's total */
    PROV_USAGE_CACHED_INPUT_TOKENS,   /**< cache reads INCLUDED in input_tokens (OpenAI, Gemini, OpenRouter, Fireworks) */
    PROV_USAGE_CACHE_READ_TOKENS,     /**< cache reads NOT in input_tokens (Anthropic cache_read_input_tokens) */
    PROV_USAGE_CACHE_WRITE_TOKENS,    /**< cache writes NOT in input_tokens (Anthropic cache_creation_input_tokens) */
    PROV_USAGE_CACHE_WRITE_5M_TOKENS, /**< part of cache_write_tokens with the 5-minute TTL (Anthropic) */
    PROV_USAGE_CACHE_WRITE_1H_TOKENS, /**< part of cache_write_tokens with the 1-hour TTL (Anthropic) */
    PROV_USAGE_CACHE_HIT_TOKENS,      /**< DeepSeek prompt_cache_hit_tokens (hit + miss = input_tokens) */
    PROV_USAGE_CACHE_MISS_TOKENS,     /**< DeepSeek prompt_cache_miss_tokens */
    PROV_USAGE_REASONING_TOKENS,      /**< reasoning tokens INCLUDED in output_tokens (OpenAI, DeepSeek, OpenRouter) */
    PROV_USAGE_THOUGHTS_TOKENS,       /**< Gemini thoughtsTokenCount: billed as output, NOT in output_tokens */
    PROV_USAGE_INPUT_TEXT_TOKENS,     /**< modality split of input (OpenAI images usage, Gemini promptTokensDetails) */
    PROV_USAGE_INPUT_IMAGE_TOKENS,
    PROV_USAGE_OUTPUT_TEXT_TOKENS, /**< modality split of output (OpenAI images usage, Gemini candidatesTokensDetails) */
    PROV_USAGE_OUTPUT_IMAGE_TOKENS,
    PROV_USAGE_TOOL_INPUT_TOKENS,   /**< Gemini toolUsePromptTokenCount: billed as input, NOT in input_tokens */
    PROV_USAGE_WEB_SEARCH_REQUESTS, /**< server-side web searches (Anthropic server_tool_use, OpenRouter) */
    PROV_USAGE_IMAGES,              /**< generated images / output files counted in the response */
    PROV_USAGE_PREDICT_TIME_S,      /**< Replicate metrics.predict_time, seconds (double) */
    PROV_USAGE_TOTAL_TIME_S,        /**< Replicate metrics.total_time, seconds (double) */
    PROV_USAGE_INFERENCE_TIME_S,    /**< fal metrics.inference_time / timings.inference, seconds (double) */
    PROV_USAGE_BILLABLE_UNITS,      /**< fal x-fal-billable-units header, in the model's pricing unit (double) */
    PROV_USAGE_COST_CREDITS_USD,    /**< OpenRouter usage.cost, credits = USD (double) */
    PROV_USAGE_MODEL,               /**< model name reported in the response (string) */
    PROV_USAGE_SIZE,                /**< image size reported in the response, "1024x1024" (string) */
    PROV_USAGE_QUALITY,             /**< image quality reported in the response, "low" (string) */
    PROV_USAGE__COUNT
} prov_usage_field_t;

/** Kinds of fields, for prov_usage_field_info(). */
typedef enum { PROV_USAGE_KIND_INT, PROV_USAGE_KIND_DOUBLE, PROV_USAGE_KIND_STRING } prov_usage_kind_t;

/**
 * Usage of one call. Integers are token / request / image counts (never negative: extractors ignore
 * negative or fractional values), doubles are seconds, units or USD (finite, >= 0). Strings are
 * NUL-terminated, truncated to their array size. Zero-initialise (PROV_USAGE_INIT) before use.
 */
typedef struct st_prov_usage_t {
    uint32_t has; /**< presence bits, (1u << prov_usage_field_t) */
    int64_t input_tokens, output_tokens, total_tokens, cached_input_tokens, cache_read_tokens, cache_write_tokens,
        cache_write_5m_tokens, cache_write_1h_tokens, cache_hit_tokens, cache_miss_tokens, reasoning_tokens, thoughts_tokens,
        input_text_tokens, input_image_tokens, output_text_tokens, output_image_tokens, tool_input_tokens, web_search_requests,
        images;
    double predict_time_s, total_time_s, inference_time_s, billable_units, cost_credits_usd;
    char model[128];
    char size[32];
    char quality[32];
} prov_usage_t;

#define PROV_USAGE_INIT                                                                                                            \
    {                                                                                                                              \
        0                                                                                                                          \
    }

/** Bit of field `f` in prov_usage_t.has. */
#define PROV_USAGE_BIT(f) (1u << (unsigned)(f))

/** Manifest key name of field `f` ("input_tokens"), its kind, or NULL / -1 for an unknown id. Static strings. */
const char *prov_usage_field_name(prov_usage_field_t f);
prov_usage_kind_t prov_usage_field_kind(prov_usage_field_t f);

/** Field id for the manifest key `name` ("cache_read_tokens"), or -1 when unknown. */
int prov_usage_field_by_name(const char *name);

/** Numeric value of integer / double field `f` as a double; 0 when not present or a string field. */
double prov_usage_get_number(const prov_usage_t *u, prov_usage_field_t f);

/** String field `f` (borrowed from `u`), "" when not present or not a string field. */
const char *prov_usage_get_string(const prov_usage_t *u, prov_usage_field_t f);

/**
 * Appends the present fields of `u` as one JSON object ({"input_tokens":412,...}, manifest key names, doubles with
 * 17 significant digits) to `out`, for the call log and the metering ledger. @return 0, or -1 on allocation failure.
 */
int prov_usage_to_json(const prov_usage_t *u, gw_buf_t *out);

/**
 * Output tokens billed at the output rate: output_tokens + thoughts_tokens (Gemini reports thinking separately;
 * every other provider includes reasoning in output_tokens already). 0 when neither is present.
 */
int64_t prov_usage_billed_output_tokens(const prov_usage_t *u);

/* ---- for the extractors (providers/<name>.c) ---- */

/** Sets integer field `f` (ignored unless v >= 0). */
void prov__usage_set_int(prov_usage_t *u, prov_usage_field_t f, int64_t v);
/** Sets double field `f` (ignored unless finite and >= 0). */
void prov__usage_set_double(prov_usage_t *u, prov_usage_field_t f, double v);
/** Sets string field `f` from `s` (`len` bytes, truncated to the field's size). */
void prov__usage_set_string(prov_usage_t *u, prov_usage_field_t f, const char *s, size_t len);
/** Adds `v` (>= 0) to integer field `f` (present afterwards). */
void prov__usage_add_int(prov_usage_t *u, prov_usage_field_t f, int64_t v);

#endif
