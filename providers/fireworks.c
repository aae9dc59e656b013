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

/* File data (provider.h file_fields): the OpenAI wire format's base64 fields. */
static const prov_file_field_t fireworks_file_fields[] = {
    PROV_OPENAI_FILE_FIELDS,
    {NULL, 0},
};

static const prov_skip_t fireworks_skip_fields[] = {
    PROV_OPENAI_SKIP_FIELDS,
    {NULL, 0},
};

/* Answers aigw cannot restore (provider.h unrestorable_outputs): the FLUX image workflows (text_to_image, Kontext) draw
 * the prompt (docs.fireworks.ai/api-reference, image generation), and OpenAI's log probabilities fields. */
static const prov_unrestorable_t fireworks_unrestorable[] = {
    {"POST workflows/*", NULL, NULL, PROV_UNRESTORABLE_MEDIA},
    PROV_OPENAI_LOGPROBS_OUTPUTS,
    {NULL, NULL, NULL, PROV_UNRESTORABLE_NONE},
};

/* POST endpoints whose only effect is their answer: retried by aigw (provider.h answer_only) */
static const char *const fireworks_answer_only[] = {"chat/completions", "completions", "embeddings", NULL};

/* Routes not billed (provider.h unbilled_routes): listing models is free. */
static const char *const fireworks_unbilled[] = {"GET models", NULL};

/* ---- no-training posture (docs/providers/fireworks.md section 3; evaluated by policy/notrain.c) ---- */

enum { FIREWORKS_RESPONSES = 1 }; /* route classes */

static const pol_notrain_route_t fireworks_notrain_routes[] = {{"responses", NULL, NULL, FIREWORKS_RESPONSES, NULL},
                                                               {NULL, NULL, NULL, 0, NULL}};

static const pol_notrain_force_t fireworks_notrain_forces[] = {
    {.label = "store=false", .on = FIREWORKS_RESPONSES, .edits = {{"store", "false", 0}}}, {.label = NULL}};

static const pol_notrain_capture_t fireworks_notrain_captures[] = {
    {"previous_response_id",
     FIREWORKS_RESPONSES,
     {NULL, 0},
     POL_NOTRAIN_IF_NOT_NULL,
     NULL,
     "fireworks_previous_response_id",
     "fireworks: previous_response_id needs a response stored by the provider, and aigw forces store:false; send the "
     "earlier turns in input instead (training.providers.fireworks.no_storage)"},
    {NULL, 0, {NULL, 0}, 0, NULL, NULL, NULL}};

/* proprietary Fireworks models may log prompts for analytics */
static const char *const fireworks_deny_models[] = {"accounts/fireworks/models/f1*", "accounts/fireworks/models/firefunction*",
                                                    NULL};

static const pol_notrain_posture_t fireworks_notrain = {
    .provider = "fireworks",
    .routes = fireworks_notrain_routes,
    .forces = fireworks_notrain_forces,
    .captures = fireworks_notrain_captures,
    .deny_models = fireworks_deny_models,
    .model_hint = "; proprietary Fireworks models may log prompts",
};

/* Token ids the model reads as text (provider.h token_inputs) */
static const prov_token_input_t fireworks_token_inputs[] = {PROV_OPENAI_TOKEN_INPUTS, {NULL, NULL}};

const prov_adapter_t prov_fireworks = {
    .notrain = &fireworks_notrain,
    .name = "fireworks",
    .token_inputs = fireworks_token_inputs,
    .default_base_url = "https://api.fireworks.ai",
    .api_key_env = "FIREWORKS_API_KEY",
    .route_prefix = "/fireworks/inference/v1/",
    .upstream_prefix = "/inference/v1/",
    .auth = PROV_AUTH_BEARER,
    .skip_fields = fireworks_skip_fields,
    .file_fields = fireworks_file_fields,
    .error_body = prov__openai_error_body,
    .error_content_type = "application/json",
    .compat_prefix = "/inference/v1/",
    .usage_from_json = prov__openai_usage_from_json,
    .usage_from_event = prov__openai_usage_from_event,
    .estimate_inputs = prov__openai_estimate_inputs,
    .answer_only = fireworks_answer_only,
    .unbilled_routes = fireworks_unbilled,
    .unrestorable_outputs = fireworks_unrestorable,
    .output_text = prov__openai_output_text,
    .output_text_repeats = prov__openai_output_repeats,
    .output_skip = prov__openai_output_skip,
    .output_skip_events = prov__openai_output_skip_events,
};
