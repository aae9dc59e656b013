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
    /* credit leases of instances sharing a PostgreSQL database (gateway/store/store_ledger.h
     * gw_store_lease_conf_t, docs/internals/metering.md "Credit leases"); read at start only */
    int64_t lease_calls;     /* "lease_calls": a lease holds this many reservations; 0 = no leases [32] */
    int64_t lease_min_calls; /* "lease_min_calls": below this many reservations in the balance: exact debits [20] */
    int64_t lease_idle_ms;   /* "lease_idle_ms": an unused lease is given back after this long [5000] */
    int64_t lease_ttl_ms;    /* "lease_ttl_ms": a dead instance's lease is reclaimed this long after its last use [30000] */
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

/**
 * Parses an amount written in credits ("5", "2.5", "-0.000001"; at most 6 decimals, optional
 * leading '-' or '+', digits only otherwise) into micro-credits, exactly (decimal arithmetic, no
 * floating point): "2.5" -> 2500000. `s` is NUL-terminated, borrowed.
 * @return 0, or -1 when `s` is not such a number or the result does not fit in int64.
 */
int pol_meter_parse_credits(const char *s, int64_t *microcredits);

/**
 * Parses an integer amount of micro-credits ("5000000", optional sign, digits only) into *out.
 * @return 0, or -1 when `s` is not such an integer or does not fit in int64.
 */
int pol_meter_parse_microcredits(const char *s, int64_t *out);

/**
 * Bytes of text per estimated token when aigw has to count tokens itself (a call the provider cut
 * before reporting its usage). 4 is OpenAI's published rule of thumb for English ("one token is
 * about 4 characters"; help.openai.com, "What are tokens and how to count them"); it undercounts
 * dense scripts (CJK), which is accepted for a call that failed: the estimate only replaces a
 * count the provider did not give.
 */
#define POL_METER_ESTIMATE_BYTES_PER_TOKEN 4

/** ceil(bytes / POL_METER_ESTIMATE_BYTES_PER_TOKEN): estimated tokens of `bytes` bytes of text. */
int64_t pol_meter_tokens_estimate(uint64_t bytes);

/**
 * The usage a cut call is billed for (issue 13: an answer the provider reset, truncated or let go
 * idle): what the provider reported, else what was delivered. `u` holds the reported usage (may be
 * empty) and is completed in place: input tokens when none were reported = the estimate of the
 * request's `request_bytes` (the provider read the prompt: it answered with a 2xx before the cut);
 * output tokens = the larger of the reported count and the estimate of `delivered_text_bytes`, the
 * generated text forwarded to the client (prov_usage_event_text_bytes over the events it got; 0
 * for a JSON answer that could not be delivered). Price the result with pol_pricing_cost.
 */
void pol_meter_cut_usage(prov_usage_t *u, uint64_t request_bytes, uint64_t delivered_text_bytes);

#endif
