/*
 * Fireworks AI adapter (docs/providers/fireworks.md): OpenAI-compatible chat, completions,
 * embeddings and Responses under /inference/v1/, plus FLUX image workflows whose body is
 * {prompt, aspect_ratio, ...} (covered by the OpenAI `prompt` rule) and Kontext `input_image`.
 * Errors are OpenAI-shaped (unverified upstream; OpenAI SDKs parse it). Usage is OpenAI's; in
 * streams it may ride on the chunk that carries finish_reason, so usage on any chunk is taken
 * (the OpenAI extractor does exactly that). Image workflows answer raw image bytes without usage.
 */
#include "providers/provider.h"
#include "providers/prov_internal.h"

static const prov_skip_t fireworks_skip_fields[] = {
    PROV_OPENAI_SKIP_FIELDS,
    {NULL, 0},
};

/* POST endpoints whose only effect is their answer: retried by aigw (provider.h answer_only) */
static const char *const fireworks_answer_only[] = {"chat/completions", "completions", "embeddings", NULL};

/* Routes not billed (provider.h unbilled_routes): listing models is free. */
static const char *const fireworks_unbilled[] = {"GET models", NULL};

const prov_adapter_t prov_fireworks = {
    .name = "fireworks",
    .default_base_url = "https://api.fireworks.ai",
    .api_key_env = "FIREWORKS_API_KEY",
    .route_prefix = "/fireworks/inference/v1/",
    .upstream_prefix = "/inference/v1/",
    .auth = PROV_AUTH_BEARER,
    .skip_fields = fireworks_skip_fields,
    .error_body = prov__openai_error_body,
    .error_content_type = "application/json",
    .compat_prefix = "/inference/v1/",
    .usage_from_json = prov__openai_usage_from_json,
    .usage_from_event = prov__openai_usage_from_event,
    .estimate_inputs = prov__openai_estimate_inputs,
    .answer_only = fireworks_answer_only,
    .unbilled_routes = fireworks_unbilled,
    .output_text = prov__openai_output_text,
    .output_text_repeats = prov__openai_output_repeats,
};
