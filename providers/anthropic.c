/*
 * Anthropic Messages API adapter (docs/providers/anthropic.md). Clients authenticate with
 * x-api-key (Bearer is accepted by the gateway too); `anthropic-version` passes through. Errors are
 * {"type":"error","error":{"type","message"}} with Anthropic's error type for the HTTP status.
 * Usage: `usage.input_tokens` excludes cache reads and writes, which are reported apart (and the
 * writes split by TTL). Streams: message_start.message.usage overlaid by every message_delta.usage
 * (cumulative, non-null fields win); a stream that dies early keeps the message_start numbers.
 * Anthropic has no OpenAI-format endpoint in the sources read, so it is not served on /v1/.
 */
#include "providers/provider.h"
#include "common/json.h"
#include "providers/prov_internal.h"

#include <string.h>

/* Structural fields never rewritten (anthropic.md section 2); every other string and key is scanned. */
/* File data (provider.h file_fields): an image or document block's `source.data` is base64 bytes when its
 * `source.type` is "base64", a document's plain text when it is "text" (anthropic.md); also inside tool_result
 * content. */
static const prov_file_field_t anthropic_file_fields[] = {
    {"messages.*.content.*.source.data", PROV_FILE_TYPED},
    {"messages.*.content.*.content.*.source.data", PROV_FILE_TYPED},
    {NULL, 0},
};

static const prov_skip_t anthropic_skip_fields[] = {
    {"model", PROV_SKIP_VALUE},
    {"messages.*.role", PROV_SKIP_VALUE},
    {"messages.*.content.*.type", PROV_SKIP_VALUE},
    {"messages.*.content.*.id", PROV_SKIP_VALUE},          /* tool_use id */
    {"messages.*.content.*.tool_use_id", PROV_SKIP_VALUE}, /* tool_result */
    {"messages.*.content.*.name", PROV_SKIP_VALUE},        /* tool_use name */
    {"messages.*.content.*.source.type", PROV_SKIP_VALUE},
    {"messages.*.content.*.source.media_type", PROV_SKIP_VALUE},
    {"messages.*.content.*.source.file_id", PROV_SKIP_VALUE},
    {"messages.*.content.*.content.*.type", PROV_SKIP_VALUE},
    {"messages.*.content.*.content.*.source.type", PROV_SKIP_VALUE},
    {"tools.*.name", PROV_SKIP_VALUE},
    {"tools.*.type", PROV_SKIP_VALUE},
    {"tool_choice.name", PROV_SKIP_VALUE},
    /* extended thinking: the signature of a thinking block and the data of a redacted_thinking block */
    {"messages.*.content.*.signature", PROV_SKIP_OPAQUE},
    {"messages.*.content.*.data", PROV_SKIP_OPAQUE},
    {NULL, 0},
};

/* HTTP status -> Anthropic error type (anthropic.md section 5, SDK error classes). */
static const char *anthropic_error_type(int status)
{
    switch (status) {
    case 400:
    case 422:
        return "invalid_request_error";
    case 401:
        return "authentication_error";
    case 402:
        return "billing_error";
    case 403:
        return "permission_error";
    case 404:
        return "not_found_error";
    case 413:
        return "request_too_large";
    case 429:
        return "rate_limit_error";
    case 504:
        return "timeout_error";
    case 503:
    case 529:
        return "overloaded_error";
    default:
        return status >= 500 ? "api_error" : "invalid_request_error";
    }
}

static int anthropic_error_body(gw_buf_t *out, int status, const char *type, const char *code, const char *param,
                                const char *message)
{
    (void)type;
    (void)code;
    (void)param;
    return gw_buf_appendf(out, "{\"type\":\"error\",\"error\":{\"type\":\"%s\",\"message\":", anthropic_error_type(status)) != 0 ||
                   gw_json_escape(message, strlen(message), out) != 0 || gw_buf_append(out, "}}", 2) != 0
               ? -1
               : 0;
}

static int anthropic_usage_obj(const json_t *usage, prov_usage_t *u)
{
    int n = 0;
    if (!json_is_object(usage))
        return 0;
    n += prov__usage_from_int(u, PROV_USAGE_INPUT_TOKENS, usage, "input_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_OUTPUT_TOKENS, usage, "output_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_CACHE_WRITE_TOKENS, usage, "cache_creation_input_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_CACHE_READ_TOKENS, usage, "cache_read_input_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_CACHE_WRITE_5M_TOKENS, usage, "cache_creation.ephemeral_5m_input_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_CACHE_WRITE_1H_TOKENS, usage, "cache_creation.ephemeral_1h_input_tokens");
    n += prov__usage_from_int(u, PROV_USAGE_WEB_SEARCH_REQUESTS, usage, "server_tool_use.web_search_requests");
    return n;
}

static int anthropic_usage_from_json(const char *body, size_t len, prov_usage_t *u)
{
    json_t *root = prov__jload_object(body, len);
    if (root == NULL)
        return PROV_E_PARSE;
    int n = anthropic_usage_obj(prov__jget(root, "usage"), u);
    n += prov__usage_from_str(u, PROV_USAGE_MODEL, root, "model");
    json_decref(root);
    return n;
}

static void anthropic_usage_from_event(prov_usage_state_t *st, const gw_sse_event_t *ev)
{
    st->events++;
    if (prov__sse_event_is(ev, "error"))
        st->error = 1;
    if (prov__sse_event_is(ev, "message_stop"))
        st->done = 1;
    if (!ev->has_data || !(prov__sse_event_is(ev, "message_start") || prov__sse_event_is(ev, "message_delta") ||
                           ev->event_len == 0 /* unnamed: decide by "type" below */))
        return;
    if (!prov__json_has_member(ev->data, ev->data_len, "\"usage\"", 1))
        return;
    json_t *root = prov__jload_object(ev->data, ev->data_len);
    if (root == NULL)
        return;
    const char *type = json_string_value(prov__jget(root, "type"));
    if (type != NULL && strcmp(type, "message_start") == 0) {
        json_t *msg = prov__jget(root, "message");
        anthropic_usage_obj(prov__jget(msg, "usage"), &st->usage);
        prov__usage_from_str(&st->usage, PROV_USAGE_MODEL, msg, "model");
    } else if (type != NULL && strcmp(type, "message_delta") == 0) {
        anthropic_usage_obj(prov__jget(root, "usage"), &st->usage); /* cumulative: present fields overwrite */
    }
    json_decref(root);
}

static int anthropic_estimate_inputs(const char *body, size_t len, prov_estimate_t *e)
{
    prov__estimate_reset(e, len);
    json_t *root = prov__jload_object(body, len);
    if (root == NULL)
        return PROV_E_PARSE;
    int64_t v;
    prov__jstr(root, "model", e->model, sizeof(e->model));
    if (prov__jint(root, "max_tokens", &v))
        e->max_output_tokens = v;
    e->stream = json_is_true(prov__jget(root, "stream"));
    json_decref(root);
    return 0;
}

/* "Token counting is free to use but subject to requests per minute rate limits" (docs.anthropic.com, token
 * counting); listing models is free. */
static const char *const anthropic_unbilled[] = {"POST messages/count_tokens", "GET models", "GET models/*", NULL};

/* POST endpoints whose only effect is their answer: retried by aigw (provider.h answer_only) */
static const char *const anthropic_answer_only[] = {"messages", "messages/count_tokens", NULL};

/* Model text (provider.h output_text): Messages content[].text / thinking; in streams content_block_start
 * content_block.text and content_block_delta delta.text / delta.thinking (anthropic.md). */
static const char *const anthropic_output_text[] = {"content.*.text", "content.*.thinking", "content_block.text",
                                                    "delta.text",     "delta.thinking",     NULL};

/* What is no model text in Messages answers and stream events (provider.h output_skip; anthropic.md): every other
 * string (citations' cited_text and titles, server tool results, ...) is scanned by pii.scan_responses. */
static const prov_out_skip_t anthropic_output_skip[] = {
    {"**.id", PROV_OUT_STRUCT},
    {"**.type", PROV_OUT_STRUCT},
    {"**.role", PROV_OUT_STRUCT},
    {"**.model", PROV_OUT_STRUCT},
    {"**.stop_reason", PROV_OUT_STRUCT},
    {"**.tool_use_id", PROV_OUT_STRUCT},
    {"**.media_type", PROV_OUT_STRUCT},
    {"**.file_id", PROV_OUT_STRUCT},
    {"**.service_tier", PROV_OUT_STRUCT},
    {"content.*.name", PROV_OUT_STRUCT},
    {"content_block.name", PROV_OUT_STRUCT},
    {"message.content.*.name", PROV_OUT_STRUCT},
    /* tool_use / server_tool_use input and its stream deltas */
    {"content.*.input.**", PROV_OUT_ARGUMENTS},
    {"content_block.input.**", PROV_OUT_ARGUMENTS},
    {"message.content.*.input.**", PROV_OUT_ARGUMENTS},
    {"delta.partial_json", PROV_OUT_ARGUMENTS},
    /* thinking signatures (and signature_delta), redacted_thinking data, web search results' encrypted content */
    {"**.signature", PROV_OUT_OPAQUE},
    {"content.*.data", PROV_OUT_OPAQUE},
    {"content_block.data", PROV_OUT_OPAQUE},
    {"**.encrypted_content", PROV_OUT_OPAQUE},
    {"**.encrypted_index", PROV_OUT_OPAQUE},
    {NULL, 0}};

/* ---- no-training posture (docs/providers/anthropic.md "Storage"; evaluated by policy/notrain.c) ---- */

enum { ANTHROPIC_MESSAGES = 1 }; /* route classes */

static const pol_notrain_route_t anthropic_notrain_routes[] = {{"files*", "anthropic_storage_route", NULL, 0, NULL},
                                                               {"messages/batches*", "anthropic_storage_route", NULL, 0, NULL},
                                                               /* Agent Skills uploads persist until deleted (redteam9) */
                                                               {"skills*", "anthropic_storage_route", NULL, 0, NULL},
                                                               {"messages*", NULL, NULL, ANTHROPIC_MESSAGES, NULL},
                                                               {NULL, NULL, NULL, 0, NULL}};

/* user_id: "hash" (default with a hash key) replaces metadata.user_id by a keyed hash, "drop" deletes it, "keep" */
static const char *const anthropic_user_id_values[] = {"hash", "drop", "keep", NULL};
static const char *const anthropic_cache_control_values[] = {"keep", "refuse", NULL};
enum { UID_HASH, UID_DROP };
enum { CACHE_KEEP, CACHE_REFUSE };

static const pol_notrain_option_t anthropic_notrain_options[] = {{.key = "user_id",
                                                                  .type = POL_NOTRAIN_OPT_ENUM,
                                                                  .def = UID_HASH,
                                                                  .values = anthropic_user_id_values,
                                                                  .keyed = UID_HASH,
                                                                  .def_unkeyed = UID_DROP},
                                                                 {.key = "cache_control",
                                                                  .type = POL_NOTRAIN_OPT_ENUM,
                                                                  .def = CACHE_KEEP,
                                                                  .values = anthropic_cache_control_values,
                                                                  .keyed = -1},
                                                                 {.key = NULL}};

static const pol_notrain_force_t anthropic_notrain_forces[] = {{.label = "metadata.user_id dropped",
                                                                .on = ANTHROPIC_MESSAGES,
                                                                .when = {"user_id", UID_DROP},
                                                                .edits = {{"metadata.user_id", NULL, 0}}},
                                                               {.label = NULL}};

/* file sources point at Files API uploads (persist until deleted); cache_control keeps a prompt prefix cached for its
 * TTL (no training: kept unless configured "refuse") */
static const pol_notrain_capture_t anthropic_notrain_captures[] = {
    {"messages.*.content.*.source.type",
     ANTHROPIC_MESSAGES,
     {NULL, 0},
     POL_NOTRAIN_IF_STRING,
     "file",
     "anthropic_file_source",
     "anthropic: file sources refer to Files API uploads, which persist until deleted; send the content inline as base64 "
     "instead (training.providers.anthropic.no_storage)"},
    {"messages.*.content.*.content.*.source.type",
     ANTHROPIC_MESSAGES,
     {NULL, 0},
     POL_NOTRAIN_IF_STRING,
     "file",
     "anthropic_file_source",
     "anthropic: file sources refer to Files API uploads, which persist until deleted; send the content inline as base64 "
     "instead (training.providers.anthropic.no_storage)"},
    {"**.cache_control",
     ANTHROPIC_MESSAGES,
     {"cache_control", CACHE_REFUSE},
     POL_NOTRAIN_IF_NOT_NULL,
     NULL,
     "anthropic_cache_control",
     "anthropic: cache_control keeps prompt prefixes cached at Anthropic for the cache TTL, and "
     "training.providers.anthropic.cache_control is \"refuse\"; remove cache_control from the request or set that key to "
     "\"keep\""},
    {NULL, 0, {NULL, 0}, 0, NULL, NULL, NULL}};

static const pol_notrain_hash_t anthropic_notrain_hashes[] = {
    {"metadata.user_id", ANTHROPIC_MESSAGES, {"user_id", UID_HASH}, "metadata.user_id hashed"}, {NULL, 0, {NULL, 0}, NULL}};

static const pol_notrain_posture_t anthropic_notrain = {
    .provider = "anthropic",
    .routes = anthropic_notrain_routes,
    .forces = anthropic_notrain_forces,
    .captures = anthropic_notrain_captures,
    .hashes = anthropic_notrain_hashes,
    .options = anthropic_notrain_options,
};

/* the API version every request names and the beta features it opts into (docs/providers/anthropic.md) */
static const char *const anthropic_request_headers[] = {"anthropic-version", "anthropic-beta", NULL};

/* Routes aigw never forwards (provider.h refused_routes): the Admin API (docs.anthropic.com "Admin API":
 * v1/organizations/... API keys, members, workspaces, invites; admin keys). */
static const prov_refused_route_t anthropic_refused_routes[] = {
    {"organizations*", "account_admin_route",
     "anthropic: the Admin API (API keys, members, workspaces) is account administration, not a model call; aigw does not "
     "send its provider key there",
     NULL},
    {NULL, NULL, NULL, NULL}};

const prov_adapter_t prov_anthropic = {
    .request_headers = anthropic_request_headers,
    .notrain = &anthropic_notrain,
    .name = "anthropic",
    .refused_routes = anthropic_refused_routes,
    .default_base_url = "https://api.anthropic.com",
    .api_key_env = "ANTHROPIC_API_KEY",
    .route_prefix = "/anthropic/v1/",
    .upstream_prefix = "/v1/",
    .auth = PROV_AUTH_X_API_KEY,
    .skip_fields = anthropic_skip_fields,
    .file_fields = anthropic_file_fields,
    .error_body = anthropic_error_body,
    .error_content_type = "application/json",
    .usage_from_json = anthropic_usage_from_json,
    .usage_from_event = anthropic_usage_from_event,
    .estimate_inputs = anthropic_estimate_inputs,
    .unbilled_routes = anthropic_unbilled,
    .answer_only = anthropic_answer_only,
    .output_text = anthropic_output_text,
    .output_skip = anthropic_output_skip,
};
