/*
 * OpenRouter adapter (docs/providers/openrouter.md): OpenAI's chat format plus routing and
 * tracing extensions (`trace.*` is forwarded to observability destinations, `session_id`), so the
 * OpenAI text rules apply with those added. Errors are {"error":{"code":<http status>,"message",
 * "metadata":{"error_type"}}} (aigw's machine code rides in metadata.aigw_code). Usage is OpenAI's
 * plus `usage.cost` (credits = USD, the pass-through price); in streams it arrives in the last data
 * chunk before [DONE], and a chunk with a top-level `error` is a mid-stream failure.
 */
#include "providers/provider.h"
#include "common/json.h"
#include "providers/prov_internal.h"

#include <string.h>

/* OpenAI's structural fields plus OpenRouter's reasoning details (openrouter.md): encrypted reasoning and
 * signatures are provider tokens. */
/* File data (provider.h file_fields): base64 audio. Not `file.file_data`, which OpenRouter also takes as a URL
 * (openrouter.md); its data URLs are sorted by their bytes anyway. */
static const prov_file_field_t openrouter_file_fields[] = {
    {"messages.*.content.*.input_audio.data", PROV_FILE_BYTES},
    {NULL, 0},
};

static const prov_skip_t openrouter_skip_fields[] = {
    PROV_OPENAI_SKIP_FIELDS,
    {"models.*", PROV_SKIP_VALUE},
    {"messages.*.reasoning_details.*.type", PROV_SKIP_VALUE},
    {"messages.*.reasoning_details.*.id", PROV_SKIP_VALUE},
    {"messages.*.reasoning_details.*.format", PROV_SKIP_VALUE},
    {"messages.*.reasoning_details.*.signature", PROV_SKIP_OPAQUE},
    {"messages.*.reasoning_details.*.data", PROV_SKIP_OPAQUE},
    {NULL, 0},
};

/* HTTP status -> OpenRouter metadata.error_type (the stable enum of openrouter.md section 6). */
static const char *openrouter_error_type(int status)
{
    switch (status) {
    case 401:
        return "authentication";
    case 402:
        return "payment_required";
    case 403:
        return "content_policy_violation";
    case 408:
    case 504:
    case 524:
        return "timeout";
    case 429:
        return "rate_limit_exceeded";
    case 502:
    case 503:
        return "provider_unavailable";
    case 529:
        return "provider_overloaded";
    default:
        return status >= 500 ? "server" : "invalid_request";
    }
}

static int openrouter_error_body(gw_buf_t *out, int status, const char *type, const char *code, const char *param,
                                 const char *message)
{
    (void)type;
    (void)param;
    if (gw_buf_appendf(out, "{\"error\":{\"code\":%d,\"message\":", status) != 0 ||
        gw_json_escape(message, strlen(message), out) != 0 ||
        gw_buf_appendf(out, ",\"metadata\":{\"error_type\":\"%s\"", openrouter_error_type(status)) != 0)
        return -1;
    if (code != NULL && (PROV_APPEND_LIT(out, ",\"aigw_code\":") != 0 || gw_json_escape(code, strlen(code), out) != 0))
        return -1;
    return PROV_APPEND_LIT(out, "}}}");
}

/* Answers aigw cannot restore (provider.h unrestorable_outputs): images drawn from the prompt, asked for with "image" in
 * `modalities` (openrouter.ai/docs/features/multimodal/image-generation), audio output the same way (as OpenAI's), and
 * OpenAI's log probabilities fields. */
static const prov_unrestorable_t openrouter_unrestorable[] = {
    {"POST chat/completions", "modalities", "image", PROV_UNRESTORABLE_MEDIA},
    {"POST chat/completions", "modalities", "audio", PROV_UNRESTORABLE_MEDIA},
    PROV_OPENAI_LOGPROBS_OUTPUTS,
    {NULL, NULL, NULL, PROV_UNRESTORABLE_NONE},
};

/* POST endpoints whose only effect is their answer: retried by aigw (provider.h answer_only) */
static const char *const openrouter_answer_only[] = {"chat/completions", "completions", "embeddings", NULL};

/* Routes not billed (provider.h unbilled_routes): listing models is free (openrouter.ai/docs, models API). */
static const char *const openrouter_unbilled[] = {"GET models", "GET models/*", NULL};

/* ---- no-training posture (docs/providers/openrouter.md "Storage"; evaluated by policy/notrain.c) ---- */

enum { OPENROUTER_GENERATE = 1 }; /* route classes */

static const pol_notrain_route_t openrouter_notrain_routes[] = {{"chat/completions", NULL, NULL, OPENROUTER_GENERATE, NULL},
                                                                {"completions", NULL, NULL, OPENROUTER_GENERATE, NULL},
                                                                {"responses", NULL, NULL, OPENROUTER_GENERATE, NULL},
                                                                {"embeddings", NULL, NULL, OPENROUTER_GENERATE, NULL},
                                                                {NULL, NULL, NULL, 0, NULL}};

/* Only endpoints that neither collect data nor retain it (client values overwritten, other `provider` keys kept); a 404
 * "no endpoints matching your data policy" is final. Listed in record order. */
static const pol_notrain_force_t openrouter_notrain_forces[] = {
    {.label = "metadata dropped", .on = OPENROUTER_GENERATE, .when = {"drop_metadata", 1}, .edits = {{"metadata", NULL, 0}}},
    {.label = "provider.data_collection=deny", .on = OPENROUTER_GENERATE, .edits = {{"provider.data_collection", "\"deny\"", 0}}},
    {.label = "provider.zdr=true", .on = OPENROUTER_GENERATE, .edits = {{"provider.zdr", "true", 0}}},
    {.label = "trace dropped", .on = OPENROUTER_GENERATE, .edits = {{"trace", NULL, 0}}},
    {.label = NULL}};

static const pol_notrain_option_t openrouter_notrain_options[] = {
    {.key = "drop_metadata", .type = POL_NOTRAIN_OPT_BOOL, .def = 1, .keyed = -1}, {.key = NULL}};

static const pol_notrain_posture_t openrouter_notrain = {
    .provider = "openrouter",
    .routes = openrouter_notrain_routes,
    .forces = openrouter_notrain_forces,
    .options = openrouter_notrain_options,
};

/* app attribution and the routing-metadata opt-in (docs/providers/openrouter.md) */
static const char *const openrouter_request_headers[] = {"http-referer",
                                                         "x-title",
                                                         "x-openrouter-title",
                                                         "x-openrouter-categories",
                                                         "x-openrouter-metadata",
                                                         "x-openrouter-experimental-metadata",
                                                         NULL};

/* Routes aigw never forwards (provider.h refused_routes): the key provisioning API (openrouter.ai/docs "Provisioning
 * API keys": api/v1/keys create, list, update, delete keys with a provisioning key). */
static const prov_refused_route_t openrouter_refused_routes[] = {
    {"keys*", "account_admin_route",
     "openrouter: the key provisioning API is account administration, not a model call; aigw does not send its provider "
     "key there",
     NULL},
    {NULL, NULL, NULL, NULL}};

/* Token ids the model reads as text (provider.h token_inputs) */
static const prov_token_input_t openrouter_token_inputs[] = {PROV_OPENAI_TOKEN_INPUTS, {NULL, NULL}};

const prov_adapter_t prov_openrouter = {
    .request_headers = openrouter_request_headers,
    .notrain = &openrouter_notrain,
    .name = "openrouter",
    .token_inputs = openrouter_token_inputs,
    .refused_routes = openrouter_refused_routes,
    .default_base_url = "https://openrouter.ai",
    .api_key_env = "OPENROUTER_API_KEY",
    .route_prefix = "/openrouter/api/v1/",
    .upstream_prefix = "/api/v1/",
    .auth = PROV_AUTH_BEARER,
    .skip_fields = openrouter_skip_fields,
    .file_fields = openrouter_file_fields,
    .error_body = openrouter_error_body,
    .error_content_type = "application/json",
    .compat_prefix = "/api/v1/",
    .usage_from_json = prov__openai_usage_from_json,
    .usage_from_event = prov__openai_usage_from_event,
    .estimate_inputs = prov__openai_estimate_inputs,
    .answer_only = openrouter_answer_only,
    .unbilled_routes = openrouter_unbilled,
    .unrestorable_outputs = openrouter_unrestorable,
    .output_text = prov__openai_output_text,
    .output_text_repeats = prov__openai_output_repeats,
    .output_skip = prov__openai_output_skip,
    .output_skip_events = prov__openai_output_skip_events,
};
