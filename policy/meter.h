/*
 * pol_meter: the arithmetic of reserve-then-settle (issue 6). Pure functions: what to reserve
 * before a call is forwarded (an upper bound of its cost, from what the request says), and how
 * a reservation settles once the provider reported its usage. The ledger rows themselves are
 * written by the store (gateway/store/store.h, gw_store_reserve / gw_store_settle).
 *
 * The estimate is deliberately pessimistic: a reservation that is too high costs the user
 * nothing (the rest is refunded when the call settles), one that is too low lets concurrent
 * calls overspend. docs/internals/metering.md explains each bound.
 */
#ifndef AIGW_POLICY_METER_H
#define AIGW_POLICY_METER_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "policy/pricing.h"

/** Config "credits" (all optional; defaults in brackets). */
typedef struct st_pol_meter_conf_t {
    int64_t default_grant_microcredits; /* "default_grant": credits given to a new user [0] */
    int64_t input_bytes_per_token;      /* "input_bytes_per_token": request bytes per estimated input token [2] */
    int64_t default_max_output_tokens;  /* "default_max_output_tokens": output cap when neither the request nor the
                                           price table has one [32768] */
    int64_t image_input_tokens;         /* "image_input_tokens": tokens reserved per input image [3000] */
    int64_t max_seconds;                /* "max_seconds": compute seconds reserved for per-second models [300] */
    int64_t max_units_per_image;        /* "max_units_per_image": fal billable units reserved per image [4] */
    int64_t max_web_searches;           /* "max_web_searches": web searches reserved per call [10] */
} pol_meter_conf_t;

/**
 * Parses config "credits" (borrowed; NULL = defaults) into `conf`.
 * @return 0, or -1 with "credits.<key>: what was expected" in `err`.
 */
int pol_meter_conf_parse(const json_t *credits, pol_meter_conf_t *conf, char *err, size_t errlen);

/** What the gateway knows about a request before forwarding it. */
typedef struct st_pol_meter_request_t {
    size_t text_bytes;       /* bytes of the request body that can become input tokens (the whole JSON body is a safe
                                choice; exclude base64 images and count them in input_images instead) */
    int64_t input_images;    /* images in the request (each reserved as conf.image_input_tokens) */
    int64_t max_tokens;      /* max_tokens / max_completion_tokens / max_output_tokens / maxOutputTokens; -1 = absent */
    int64_t thinking_tokens; /* a thinking budget the provider bills on top of max_tokens (Gemini); 0 = none */
    int64_t n_images;        /* images requested (n / num_images / sampleCount); 0 = not an image generation */
    const char *size;        /* requested image size ("1024x1024"), borrowed, may be NULL */
    const char *quality;     /* requested image quality ("hd"), borrowed, may be NULL */
} pol_meter_request_t;

/**
 * The reservation for one call: an upper bound of its cost under price `p`, with the client's
 * markup. Input tokens = ceil(text_bytes / input_bytes_per_token) + input_images ×
 * image_input_tokens, at the highest input rate of the entry (uncached, cache write, image);
 * output tokens = max_tokens if given, else the model's cap (price table), else
 * default_max_output_tokens, plus thinking_tokens, at the highest output rate; images = n_images
 * × the image price of size/quality (the most expensive size when not given); max_seconds ×
 * per_second; n_images (at least 1) × max_units_per_image × per_unit; max_web_searches ×
 * per_web_search; per_request. Rounded up like pol_pricing_cost.
 * @param out micro-credits. @return 0 or POL_PRICING_E_OVERFLOW.
 */
int pol_meter_estimate(const pol_price_t *p, const pol_meter_conf_t *conf, const pol_meter_request_t *req, uint32_t markup_permille,
                       int64_t *out);

/** How a reservation settles. */
typedef struct st_pol_meter_settlement_t {
    int64_t charge;  /* what the call costs the user: the actual cost (never less) */
    int64_t refund;  /* reserved - actual when positive, else 0 */
    int64_t overrun; /* actual - reserved when positive (charged anyway), else 0 */
    int flagged;     /* 1 when the estimate was exceeded (overrun > 0): worth a look */
} pol_meter_settlement_t;

/**
 * Settles a reservation of `reserved` micro-credits against the actual cost `actual` (both >= 0;
 * negative inputs are treated as 0). The user is charged the actual cost; the rest of the
 * reservation is refunded; a cost above the reservation is charged in full and flagged.
 */
void pol_meter_settle(int64_t reserved, int64_t actual, pol_meter_settlement_t *out);

#endif
