/*
 * pol_pricing: the price table of the metering issue (issue 6) and the cost of one call. Pure
 * code: built once from config "pricing" (plus the shipped defaults in pricing.c), then read by
 * every worker without locks.
 *
 * Keys are `provider/model` globs (fnmatch(3), no flags: `*` also matches `/`, so
 * "openrouter/anthropic/..." globs work). Values are integers in micro-credits (1 credit = 1,000,000
 * micro-credits; the shipped defaults use 1 credit = 1 USD):
 *   input_per_mtok, cached_input_per_mtok, cache_write_per_mtok, cache_write_1h_per_mtok,
 *   output_per_mtok (reasoning / thinking tokens are billed here), input_image_per_mtok,
 *   output_image_per_mtok, per_image (an integer, or {"SIZE/QUALITY": n, "SIZE": n, "*": n}),
 *   per_second (Replicate metrics.predict_time, fal inference time), per_unit (fal billable
 *   units), per_web_search, per_request, and max_output_tokens (the model's output cap, used by
 *   the reservation estimate when the request sets no max_tokens).
 * Lookup: the most specific matching config key (most literal characters), else the most
 * specific shipped default, else the config key "*" (the fallback price), else unknown: the
 * caller refuses the call (403). Arithmetic is integer only, rounded up (never undercharge) and
 * overflow-checked.
 */
#ifndef AIGW_POLICY_PRICING_H
#define AIGW_POLICY_PRICING_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "common/errors.h"
#include "policy/usage.h"

/* Errors (0 = OK). */
#define POL_PRICING_E_OVERFLOW GW_E_PRICING_OVERFLOW /* the cost does not fit in int64 micro-credits: refuse the call */

/** Sizes/qualities priced separately in one per_image object. */
#define POL_PRICING_MAX_IMAGE_PRICES 16

/** One size/quality price: key "1024x1024/standard", "1024x1024" or "*". */
typedef struct st_pol_image_price_t {
    char key[48];
    int64_t microcredits;
} pol_image_price_t;

/**
 * One resolved price entry (fallbacks already applied: e.g. cached_input_per_mtok equals
 * input_per_mtok when the config did not set it). Amounts in micro-credits; 0 = free.
 */
typedef struct st_pol_price_t {
    char pattern[160];               /* the glob it was configured under, "openai/gpt-4o-mini*" */
    int64_t input_per_mtok;          /* per 1,000,000 uncached input tokens */
    int64_t cached_input_per_mtok;   /* cache reads (OpenAI/Gemini cached, DeepSeek hit, Anthropic cache_read) */
    int64_t cache_write_per_mtok;    /* Anthropic cache writes (5-minute TTL, and unsplit writes) */
    int64_t cache_write_1h_per_mtok; /* Anthropic 1-hour cache writes */
    int64_t output_per_mtok;         /* output tokens, reasoning and thinking included */
    int64_t input_image_per_mtok;    /* input image tokens (gpt-image-1 edits) */
    int64_t output_image_per_mtok;   /* output image tokens (gpt-image-1, Gemini image output) */
    int64_t per_image;               /* generated image when no size/quality entry matches; -1 = not priced per image */
    pol_image_price_t images[POL_PRICING_MAX_IMAGE_PRICES];
    size_t nimages;
    int64_t per_second; /* seconds of compute (predict_time_s, else inference_time_s) */
    int64_t per_unit;   /* fal billable units */
    int64_t per_web_search;
    int64_t per_request;
    int64_t max_output_tokens; /* model's output cap; 0 = unknown */
} pol_price_t;

typedef struct st_pol_pricing_t pol_pricing_t;

/**
 * Builds the table from config "pricing" (borrowed; NULL or {} = shipped defaults only).
 * @return the table (pol_pricing_free), or NULL with "pricing.<key>.<field>: what was expected"
 *         in `err`.
 */
pol_pricing_t *pol_pricing_new(const json_t *cfg, char *err, size_t errlen);

/** Frees the table (NULL is fine). */
void pol_pricing_free(pol_pricing_t *pt);

/**
 * The price of `provider`/`model` (both NUL-terminated, borrowed).
 * @return the entry (borrowed from the table, valid until pol_pricing_free), or NULL when the
 *         model is unknown and no fallback "*" is configured (refuse with 403).
 */
const pol_price_t *pol_pricing_lookup(const pol_pricing_t *pt, const char *provider, const char *model);

/** Number of entries (config + defaults); for tests and the docs. */
size_t pol_pricing_count(const pol_pricing_t *pt);

/**
 * Price of one image of `size` ("1024x1792", may be NULL or "") and `quality` ("hd", may be
 * NULL): the "SIZE/QUALITY" entry, else "SIZE", else "*", else per_image ("" = size not
 * reported: "*", else per_image). With size NULL the most expensive entry (an upper bound, for
 * reservations). @return micro-credits, -1 when the
 * entry is not priced per image.
 */
int64_t pol_pricing_image_price(const pol_price_t *p, const char *size, const char *quality);

/**
 * Cost of one call from the usage the provider reported (policy/usage.h). Billing rules, per
 * provider conventions documented in prov_usage_t: input tokens minus cached (OpenAI, Gemini)
 * or minus cache hits (DeepSeek) at input_per_mtok, the cached part at cached_input_per_mtok;
 * Anthropic's cache_read_tokens (outside input_tokens) at cached_input_per_mtok and cache writes
 * at the cache write rates; Gemini's tool_input_tokens at input_per_mtok; input/output image
 * tokens at the image rates; output tokens plus Gemini's thoughts_tokens at output_per_mtok;
 * images × per_image (by size/quality); seconds × per_second; billable units × per_unit; web
 * searches × per_web_search; plus per_request. Token and second parts are summed exactly and
 * rounded up once; then the client's markup is applied, rounded up.
 * @param markup_permille 1000 = no markup, 1200 = +20 %. (0 is treated as 1000.)
 * @param out cost in micro-credits (>= 0).
 * @return 0 or POL_PRICING_E_OVERFLOW.
 */
int pol_pricing_cost(const pol_price_t *p, const prov_usage_t *u, uint32_t markup_permille, int64_t *out);

/**
 * Completes the usage to bill with what the request asked for, where the response reported
 * nothing: the image size and quality (DALL-E 3 answers carry neither; its price depends on both,
 * so without this the settle fell back to the "*" entry, the most expensive one). A value the
 * response did report wins (gpt-image-1 reports the size it chose for "auto"). `size` and
 * `quality` are the request's strings (borrowed, NULL or "" = not given; "auto" is ignored).
 * Call it on a copy of the reported usage before pol_pricing_cost.
 */
void pol_pricing_fill_from_request(prov_usage_t *u, const char *size, const char *quality);

/**
 * Applies a markup to an amount, rounding up. @return 0, or POL_PRICING_E_OVERFLOW.
 */
int pol_pricing_markup(int64_t amount, uint32_t markup_permille, int64_t *out);

/**
 * Parses a client's config "markup" factor (a JSON number, e.g. 1.2; 1 = none) into permille,
 * rounded up (1.2345 -> 1235). Accepts 0.001..1000. NULL = 1000.
 * @return 0, or -1 when the value is not such a number.
 */
int pol_pricing_markup_permille(const json_t *v, uint32_t *out);

#endif
