/*
 * DeepSeek first-party adapter (docs/providers/deepseek.md): an OpenAI Chat Completions
 * subset at https://api.deepseek.com/ (no /v1 needed), plus FIM completions (`prompt` / `suffix`,
 * /beta/completions) and `reasoning_content` that clients may echo back in history. Errors are
 * OpenAI-shaped. Usage is OpenAI's plus prompt_cache_hit_tokens / prompt_cache_miss_tokens
 * (priced apart; hit + miss = prompt tokens); streams report it in the include_usage chunk and
 * send `: keep-alive` comments while queued (the SSE parser drops them).
 */
#include "providers/provider.h"
#include "providers/prov_internal.h"

/* File data (provider.h file_fields): the OpenAI wire format's base64 fields. */
static const prov_file_field_t deepseek_file_fields[] = {
    PROV_OPENAI_FILE_FIELDS,
    {NULL, 0},
};

static const prov_skip_t deepseek_skip_fields[] = {
    PROV_OPENAI_SKIP_FIELDS,
    {NULL, 0},
};

/* Answers aigw cannot restore (provider.h unrestorable_outputs): OpenAI's log probabilities fields. */
static const prov_unrestorable_t deepseek_unrestorable[] = {
    PROV_OPENAI_LOGPROBS_OUTPUTS,
    {NULL, NULL, NULL, PROV_UNRESTORABLE_NONE},
};

/* POST endpoints whose only effect is their answer: retried by aigw (provider.h answer_only) */
static const char *const deepseek_answer_only[] = {"chat/completions", "completions", NULL};

/* Routes not billed (provider.h unbilled_routes): listing models is free (api-docs.deepseek.com, list models). */
static const char *const deepseek_unbilled[] = {"GET models", NULL};

/* ---- no-training posture (docs/providers/deepseek.md "Storage"; evaluated by policy/notrain.c) ---- */

/* DeepSeek's first-party API may use prompts for training and documents no opt-out: a risk no flag removes. */
static const pol_notrain_posture_t deepseek_notrain = {
    .provider = "deepseek",
    .risk = POL_NOTRAIN_RISK_ALWAYS,
    .risk_reason = "deepseek_first_party",
    .risk_message = "deepseek: DeepSeek's first-party API may use prompts for model training and documents no opt-out; use "
                    "DeepSeek models through a zero-retention host (OpenRouter or Fireworks)",
};

/* Token ids the model reads as text (provider.h token_inputs) */
static const prov_token_input_t deepseek_token_inputs[] = {PROV_OPENAI_TOKEN_INPUTS, {NULL, NULL}};

const prov_adapter_t prov_deepseek = {
    .notrain = &deepseek_notrain,
    .name = "deepseek",
    .token_inputs = deepseek_token_inputs,
    .default_base_url = "https://api.deepseek.com",
    .api_key_env = "DEEPSEEK_API_KEY",
    .route_prefix = "/deepseek/",
    .upstream_prefix = "/",
    .auth = PROV_AUTH_BEARER,
    .skip_fields = deepseek_skip_fields,
    .file_fields = deepseek_file_fields,
    .error_body = prov__openai_error_body,
    .error_content_type = "application/json",
    .compat_prefix = "/",
    .usage_from_json = prov__openai_usage_from_json,
    .usage_from_event = prov__openai_usage_from_event,
    .estimate_inputs = prov__openai_estimate_inputs,
    .answer_only = deepseek_answer_only,
    .unbilled_routes = deepseek_unbilled,
    .unrestorable_outputs = deepseek_unrestorable,
    .output_text = prov__openai_output_text,
    .output_text_repeats = prov__openai_output_repeats,
    .output_skip = prov__openai_output_skip,
    .output_skip_events = prov__openai_output_skip_events,
};
