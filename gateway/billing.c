/*
 * Billing record of one call (see billing.h). Pure bookkeeping over what the pipeline saw; the
 * arithmetic lives in policy/pricing and policy/meter, the provider knowledge (path models,
 * unbilled routes, text members of stream events) in providers/.
 */
#include "gateway/billing.h"

#include <math.h>
#include <string.h>

#include "policy/meter.h"
#include "policy/pricing.h"

void gw_billing_begin(gw_billing_t *b, const prov_adapter_t *up, const char *body_model, size_t body_model_len, const char *method,
                      size_t method_len, const char *path, size_t path_len)
{
    memset(b, 0, sizeof(*b));
    if (body_model != NULL && body_model_len != 0) {
        size_t n = body_model_len < sizeof(b->model) - 1 ? body_model_len : sizeof(b->model) - 1;
        memcpy(b->model, body_model, n);
        b->model[n] = '\0';
    } else if (up->model_from_path != NULL && path != NULL &&
               up->model_from_path(path, path_len, b->model, sizeof(b->model)) != 0) {
        b->model[0] = '\0';
    }
    b->unbilled = path != NULL && method != NULL && prov_route_unbilled(up, method, method_len, path, path_len);
}

void gw_billing_delivered(gw_billing_t *b, const char *data, size_t len)
{
    b->delivered_text_bytes += prov_usage_event_text_bytes(data, len);
}

void gw_billing_usage(const gw_billing_t *b, const prov_usage_t *reported, const char *size, const char *quality,
                      uint64_t request_bytes, prov_usage_t *out)
{
    *out = *reported;
    pol_pricing_fill_from_request(out, size, quality);
    if (b->outcome != NULL)
        pol_meter_cut_usage(out, request_bytes, b->delivered_text_bytes);
}

void gw_billing_counts(const prov_usage_t *u, int64_t *input_tokens, int64_t *output_tokens, int64_t *images, int64_t *compute_ms)
{
#define HAS(f) ((u->has & PROV_USAGE_BIT(PROV_USAGE_##f)) != 0)
    int64_t in = HAS(INPUT_TOKENS) ? u->input_tokens : u->input_text_tokens + u->input_image_tokens;
    *input_tokens = in + u->cache_read_tokens + u->cache_write_tokens + u->tool_input_tokens;
    *output_tokens = HAS(OUTPUT_TOKENS) || HAS(THOUGHTS_TOKENS) ? prov_usage_billed_output_tokens(u)
                                                                : u->output_text_tokens + u->output_image_tokens;
    *images = u->images;
    double secs = HAS(PREDICT_TIME_S) ? u->predict_time_s : HAS(INFERENCE_TIME_S) ? u->inference_time_s : 0;
    *compute_ms = secs > 0 && secs < 9e12 ? (int64_t)ceil(secs * 1000.0) : 0;
#undef HAS
}
