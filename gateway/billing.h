/*
 * gw_billing: what one call is billed and reported as (issue 13), kept apart from the request
 * pipeline that feeds it (gateway/pipeline/). Per call: the model it is reported and priced under
 * (the body's, else the one the provider's path names: Gemini `models/{model}:generateContent`,
 * fal's target URL), whether the provider bills the route at all (Gemini countTokens), the text
 * delivered to the client, and how the upstream answer ended. At the end, the usage to price: what
 * the provider reported, completed with what the request asked for (DALL-E 3 size and quality) and,
 * for an answer that was cut, with what was delivered (policy/meter.h pol_meter_cut_usage).
 * docs/internals/metering.md, "Cut answers" and "Model of a call".
 */
#ifndef AIGW_GATEWAY_BILLING_H
#define AIGW_GATEWAY_BILLING_H

#include <stddef.h>
#include <stdint.h>

#include "providers/provider.h"
#include "providers/usage.h"

/* How an upstream answer ended when it did not end normally (static strings; NULL = complete). */
#define GW_OUTCOME_TRUNCATED "truncated"       /* closed cleanly without its terminal event / announced length */
#define GW_OUTCOME_RESET "upstream_reset"      /* connection reset or transfer error after the answer started */
#define GW_OUTCOME_IDLE_TIMEOUT "idle_timeout" /* stalled longer than upstream.idle_timeout_ms after it started */
#define GW_OUTCOME_AIGW_CUT "aigw_cut"         /* aigw cut it: an event it could not parse, restore or scan */

typedef struct st_gw_billing_t {
    char model[128];               /**< model of the call: the body's, else the adapter's path model; "" unknown */
    int unbilled;                  /**< the provider does not bill this route: no reservation, charged 0 */
    uint64_t delivered_text_bytes; /**< generated text in the stream events forwarded to the client (bytes) */
    const char *outcome;           /**< NULL, or one of GW_OUTCOME_* (static) */
} gw_billing_t;

/**
 * Starts the billing record of a call (`b` is reset first). `up` is the adapter serving the call,
 * `body_model` (`body_model_len` bytes, may be NULL) the model the body named, `method`
 * (`method_len` bytes) the request's method, `path` (`path_len` bytes) the path after the route
 * prefix (fal: the target URL's path). All borrowed for the call.
 */
void gw_billing_begin(gw_billing_t *b, const prov_adapter_t *up, const char *body_model, size_t body_model_len, const char *method,
                      size_t method_len, const char *path, size_t path_len);

/** Counts the generated text of one stream event the client receives (`data`, `len` bytes, borrowed). */
void gw_billing_delivered(gw_billing_t *b, const char *data, size_t len);

/**
 * The usage to price for a call that got a 2xx answer: `reported` (the provider's numbers, may be
 * empty; borrowed) with the request's image `size` / `quality` where the answer reported none
 * (pol_pricing_fill_from_request), and, when the answer was cut (b->outcome set), the delivered
 * estimate of pol_meter_cut_usage over `request_bytes`. Written to `out`.
 */
void gw_billing_usage(const gw_billing_t *b, const prov_usage_t *reported, const char *size, const char *quality,
                      uint64_t request_bytes, prov_usage_t *out);

/**
 * The counts a report shows for a call, from the usage it was billed for (`u`, borrowed): input
 * tokens (reported input, else its text + image parts, plus Anthropic cache reads / writes and
 * Gemini tool-use prompt tokens), output tokens (prov_usage_billed_output_tokens, else the text +
 * image parts), generated images, and compute milliseconds (predict time, else inference time,
 * rounded up). Every output is >= 0.
 */
void gw_billing_counts(const prov_usage_t *u, int64_t *input_tokens, int64_t *output_tokens, int64_t *images, int64_t *compute_ms);

#endif
