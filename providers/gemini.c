/*
 * Gemini API adapter (generativelanguage.googleapis.com, docs/providers/gemini.md):
 * generateContent, streamGenerateContent?alt=sse, countTokens, embedContent, Imagen :predict.
 * The REST endpoint accepts proto-JSON field names in lowerCamelCase and snake_case, so every
 * text and image rule is listed in both spellings. Errors are google.rpc.Status envelopes
 * {"error":{"code","message","status"}} with the canonical status name for the HTTP code
 * (google/rpc/code.proto mapping). Usage is `usageMetadata`; in streams every chunk carries the
 * running totals, so the last one wins (never summed). Thinking tokens are reported apart
 * (thoughts_tokens, billed as output). Imagen returns no usage: the images are counted.
 * Behind /v1/ Gemini serves OpenAI's chat format under /v1beta/openai/ (compat_wire = OpenAI).
 */
#include "providers/provider.h"
#include "common/json.h"
#include "providers/prov_internal.h"

#include <string.h>

/* Structural fields never rewritten (gemini.md); every other string and key is scanned. camelCase and snake_case
 * spellings are both accepted by the API. */
/* File data (provider.h file_fields): a part's inlineData.data is base64 bytes (gemini.md), in contents, the system
 * instruction, multimodal function responses and embedContent / batchEmbedContents requests; Imagen's input images
 * are bytesBase64Encoded. Both spellings. */
static const prov_file_field_t gemini_file_fields[] = {
    {"contents.*.parts.*.inlineData.data", PROV_FILE_BYTES},
    {"contents.*.parts.*.inline_data.data", PROV_FILE_BYTES},
    {"contents.*.parts.*.functionResponse.parts.*.inlineData.data", PROV_FILE_BYTES},
    {"contents.*.parts.*.function_response.parts.*.inline_data.data", PROV_FILE_BYTES},
    {"systemInstruction.parts.*.inlineData.data", PROV_FILE_BYTES},
    {"system_instruction.parts.*.inline_data.data", PROV_FILE_BYTES},
    {"content.parts.*.inlineData.data", PROV_FILE_BYTES},
    {"content.parts.*.inline_data.data", PROV_FILE_BYTES},
    {"requests.*.content.parts.*.inlineData.data", PROV_FILE_BYTES},
    {"requests.*.content.parts.*.inline_data.data", PROV_FILE_BYTES},
    {"instances.*.image.bytesBase64Encoded", PROV_FILE_BYTES},
    {"instances.*.referenceImages.*.referenceImage.bytesBase64Encoded", PROV_FILE_BYTES},
    {NULL, 0},
};

static const prov_skip_t gemini_skip_fields[] = {
    {"model", PROV_SKIP_VALUE},
    {"contents.*.role", PROV_SKIP_VALUE},
    {"contents.*.parts.*.functionCall.name", PROV_SKIP_VALUE},
    {"contents.*.parts.*.function_call.name", PROV_SKIP_VALUE},
    {"contents.*.parts.*.functionCall.id", PROV_SKIP_VALUE},
    {"contents.*.parts.*.function_call.id", PROV_SKIP_VALUE},
    {"contents.*.parts.*.functionResponse.name", PROV_SKIP_VALUE},
    {"contents.*.parts.*.function_response.name", PROV_SKIP_VALUE},
    {"contents.*.parts.*.functionResponse.id", PROV_SKIP_VALUE},
    {"contents.*.parts.*.function_response.id", PROV_SKIP_VALUE},
    {"contents.*.parts.*.inlineData.mimeType", PROV_SKIP_VALUE},
    {"contents.*.parts.*.inline_data.mime_type", PROV_SKIP_VALUE},
    {"contents.*.parts.*.fileData.fileUri", PROV_SKIP_VALUE},
    {"contents.*.parts.*.file_data.file_uri", PROV_SKIP_VALUE},
    {"tools.*.functionDeclarations.*.name", PROV_SKIP_VALUE},
    {"tools.*.function_declarations.*.name", PROV_SKIP_VALUE},
    {"cachedContent", PROV_SKIP_VALUE},
    {"cached_content", PROV_SKIP_VALUE},
    {"requests.*.model", PROV_SKIP_VALUE},
    /* thought signatures of Gemini 2.5+/3 thinking, echoed back with function calls */
    {"contents.*.parts.*.thoughtSignature", PROV_SKIP_OPAQUE},
    {"contents.*.parts.*.thought_signature", PROV_SKIP_OPAQUE},
    {NULL, 0},
};

/* HTTP status -> google.rpc.Code name (google/rpc/code.proto "HTTP Mapping" comments). */
static const char *gemini_status_name(int status)
{
    switch (status) {
    case 400:
    case 422:
        return "INVALID_ARGUMENT";
    case 401:
        return "UNAUTHENTICATED";
    case 402:
        return "FAILED_PRECONDITION";
    case 403:
        return "PERMISSION_DENIED";
    case 404:
        return "NOT_FOUND";
    case 409:
        return "ABORTED";
    case 413:
    case 429:
        return "RESOURCE_EXHAUSTED";
    case 499:
        return "CANCELLED";
    case 501:
        return "UNIMPLEMENTED";
    case 502:
    case 503:
        return "UNAVAILABLE";
    case 504:
        return "DEADLINE_EXCEEDED";
    default:
        return status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    }
}

static int gemini_error_body(gw_buf_t *out, int status, const char *type, const char *code, const char *param, const char *message)
{
    (void)type;
    (void)param;
    if (gw_buf_appendf(out, "{\"error\":{\"code\":%d,\"message\":", status) != 0 ||
        gw_json_escape(message, strlen(message), out) != 0 ||
        gw_buf_appendf(out, ",\"status\":\"%s\"", gemini_status_name(status)) != 0)
        return -1;
    /* the machine code travels as a google.rpc.ErrorInfo reason, where Google puts e.g. API_KEY_INVALID */
    if (code != NULL &&
        (PROV_APPEND_LIT(out, ",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":") != 0 ||
         gw_json_escape(code, strlen(code), out) != 0 || PROV_APPEND_LIT(out, ",\"domain\":\"aigw\"}]") != 0))
        return -1;
    return PROV_APPEND_LIT(out, "}}");
}

/* Adds a modality breakdown ([{modality, tokenCount}]) to the text / image fields. */
static int modality_split(const json_t *arr, prov_usage_t *u, prov_usage_field_t text, prov_usage_field_t image)
{
    int n = 0;
    int64_t t = 0, i = 0;
    int has_t = 0, has_i = 0;
    size_t k;
    json_t *it;
    json_array_foreach(arr, k, it)
    {
        const char *m = json_string_value(prov__jget(it, "modality"));
        int64_t c;
        if (m == NULL || !prov__jint(it, "tokenCount", &c))
            continue;
        if (strcmp(m, "TEXT") == 0) {
            t += c;
            has_t = 1;
        } else if (strcmp(m, "IMAGE") == 0) {
            i += c;
            has_i = 1;
        }
    }
    if (has_t) {
        prov__usage_set_int(u, text, t);
        n++;
    }
    if (has_i) {
        prov__usage_set_int(u, image, i);
        n++;
    }
    return n;
}

static int gemini_usage_obj(const json_t *um, prov_usage_t *u)
{
    int n = 0;
    if (!json_is_object(um))
        return 0;
    /* proto3 JSON omits zero counts: an absent count in a present usageMetadata is 0 */
    static const prov_usage_field_t zero_default[] = {PROV_USAGE_INPUT_TOKENS,    PROV_USAGE_OUTPUT_TOKENS,
                                                      PROV_USAGE_TOTAL_TOKENS,    PROV_USAGE_CACHED_INPUT_TOKENS,
                                                      PROV_USAGE_THOUGHTS_TOKENS, PROV_USAGE_TOOL_INPUT_TOKENS};
    for (size_t i = 0; i < sizeof(zero_default) / sizeof(zero_default[0]); i++)
        prov__usage_set_int(u, zero_default[i], 0);
    n += prov__usage_from_int(u, PROV_USAGE_INPUT_TOKENS, um, "promptTokenCount");
    n += prov__usage_from_int(u, PROV_USAGE_OUTPUT_TOKENS, um, "candidatesTokenCount");
    n += prov__usage_from_int(u, PROV_USAGE_TOTAL_TOKENS, um, "totalTokenCount");
    n += prov__usage_from_int(u, PROV_USAGE_CACHED_INPUT_TOKENS, um, "cachedContentTokenCount");
    n += prov__usage_from_int(u, PROV_USAGE_THOUGHTS_TOKENS, um, "thoughtsTokenCount");
    n += prov__usage_from_int(u, PROV_USAGE_TOOL_INPUT_TOKENS, um, "toolUsePromptTokenCount");
    n += modality_split(prov__jget(um, "promptTokensDetails"), u, PROV_USAGE_INPUT_TEXT_TOKENS, PROV_USAGE_INPUT_IMAGE_TOKENS);
    n +=
        modality_split(prov__jget(um, "candidatesTokensDetails"), u, PROV_USAGE_OUTPUT_TEXT_TOKENS, PROV_USAGE_OUTPUT_IMAGE_TOKENS);
    return n;
}

/* Image parts in candidates[].content.parts[] (image output models). */
static int64_t count_image_parts(const json_t *root)
{
    int64_t count = 0;
    size_t i, j;
    json_t *cand, *part;
    json_array_foreach(prov__jget(root, "candidates"), i, cand)
    {
        json_array_foreach(prov__jpath(cand, "content.parts"), j, part)
        {
            json_t *d = prov__jget(part, "inlineData");
            if (d == NULL)
                d = prov__jget(part, "inline_data");
            const char *mime = json_string_value(prov__jget(d, "mimeType"));
            if (mime == NULL)
                mime = json_string_value(prov__jget(d, "mime_type"));
            if (mime != NULL && strncmp(mime, "image/", 6) == 0)
                count++;
        }
    }
    return count;
}

static int gemini_usage_from_json(const char *body, size_t len, prov_usage_t *u)
{
    json_t *root = prov__jload_object(body, len);
    if (root == NULL)
        return PROV_E_PARSE;
    int n = gemini_usage_obj(prov__jget(root, "usageMetadata"), u);
    n += prov__usage_from_str(u, PROV_USAGE_MODEL, root, "modelVersion");
    json_t *preds = prov__jget(root, "predictions");
    if (json_is_array(preds)) {
        /* Imagen: bill per returned image; the "Positive Prompt" safety entry and filtered images carry no bytes */
        int64_t images = 0;
        size_t i;
        json_t *p;
        json_array_foreach(preds, i, p)
        {
            if (json_is_string(prov__jget(p, "bytesBase64Encoded")))
                images++;
        }
        prov__usage_set_int(u, PROV_USAGE_IMAGES, images);
        n++;
    } else {
        int64_t images = count_image_parts(root);
        if (images > 0) {
            prov__usage_set_int(u, PROV_USAGE_IMAGES, images);
            n++;
        }
    }
    json_decref(root);
    return n;
}

static void gemini_usage_from_event(prov_usage_state_t *st, const gw_sse_event_t *ev)
{
    st->events++;
    if (!ev->has_data)
        return;
    int has_usage = prov__json_has_member(ev->data, ev->data_len, "\"usageMetadata\"", 1);
    int has_error = prov__json_has_member(ev->data, ev->data_len, "\"error\"", 1);
    int has_image = memmem(ev->data, ev->data_len, "\"inlineData\"", 12) != NULL ||
                    memmem(ev->data, ev->data_len, "\"inline_data\"", 13) != NULL;
    int has_finish = memmem(ev->data, ev->data_len, "\"finishReason\"", 14) != NULL;
    if (!has_usage && !has_error && !has_image && !has_finish)
        return;
    json_t *root = prov__jload_object(ev->data, ev->data_len);
    if (root == NULL)
        return;
    if (json_is_object(prov__jget(root, "error")))
        st->error = 1;
    /* running totals: the fields of the latest chunk replace the earlier ones */
    gemini_usage_obj(prov__jget(root, "usageMetadata"), &st->usage);
    prov__usage_from_str(&st->usage, PROV_USAGE_MODEL, root, "modelVersion");
    int64_t images = count_image_parts(root);
    if (images > 0)
        prov__usage_add_int(&st->usage, PROV_USAGE_IMAGES, images);
    size_t i;
    json_t *cand;
    json_array_foreach(prov__jget(root, "candidates"), i, cand)
    {
        if (json_is_string(prov__jget(cand, "finishReason")))
            st->done = 1;
    }
    json_decref(root);
}

static int gemini_estimate_inputs(const char *body, size_t len, prov_estimate_t *e)
{
    prov__estimate_reset(e, len);
    json_t *root = prov__jload_object(body, len);
    if (root == NULL)
        return PROV_E_PARSE;
    json_t *gc = prov__jget(root, "generationConfig");
    int camel = gc != NULL;
    if (gc == NULL)
        gc = prov__jget(root, "generation_config");
    int64_t v;
    if (prov__jint(gc, camel ? "maxOutputTokens" : "max_output_tokens", &v))
        e->max_output_tokens = v;
    if (prov__jint(gc, camel ? "candidateCount" : "candidate_count", &v))
        e->n = v;
    /* Imagen :predict parameters */
    json_t *params = prov__jget(root, "parameters");
    if (prov__jint(params, "sampleCount", &v) || prov__jint(params, "sample_count", &v))
        e->n = v;
    if (!prov__jstr(params, "sampleImageSize", e->size, sizeof(e->size)))
        prov__jstr(params, "sample_image_size", e->size, sizeof(e->size));
    if (!prov__jstr(params, "aspectRatio", e->aspect_ratio, sizeof(e->aspect_ratio)))
        prov__jstr(params, "aspect_ratio", e->aspect_ratio, sizeof(e->aspect_ratio));
    json_decref(root);
    return 0;
}

/* "models/gemini-2.5-flash:generateContent?alt=sse" or "tunedModels/x:generateContent" -> the model id. */
static int gemini_model_from_path(const char *path, size_t len, char *model, size_t cap)
{
    const char *p, *end;
    prov__path_span(path, len, &p, &end);
    static const char *const prefixes[] = {"models/", "tunedModels/"};
    for (size_t i = 0; i < 2; i++) {
        size_t pl = strlen(prefixes[i]);
        if ((size_t)(end - p) > pl && memcmp(p, prefixes[i], pl) == 0) {
            const char *s = p + pl, *e = s;
            while (e < end && *e != ':' && *e != '/')
                e++;
            return prov__copy_name(model, cap, s, (size_t)(e - s));
        }
    }
    return -1;
}

/* A member of generationConfig in each spelling the REST API takes: camelCase or snake_case, for the object and the
 * member alike (protobuf JSON accepts both names of every field), on generateContent and streamGenerateContent. */
#define GEMINI_GEN(camel, snake, value, kind)                                                                                      \
    {"POST *:*enerateContent", "generationConfig." camel, value, kind},                                                            \
        {"POST *:*enerateContent", "generationConfig." snake, value, kind},                                                        \
        {"POST *:*enerateContent", "generation_config." camel, value, kind},                                                       \
    {                                                                                                                              \
        "POST *:*enerateContent", "generation_config." snake, value, kind                                                          \
    }

/* Answers aigw cannot restore (provider.h unrestorable_outputs). Media: a TTS model asked for responseModalities
 * ["AUDIO"] answers inlineData audio of the text (ai.google.dev/gemini-api/docs/speech-generation); ["IMAGE"] (with or
 * without "TEXT") answers images drawn from the prompt, its text included (docs/image-generation), as do Imagen's
 * :predict and Veo's :predictLongRunning (docs/imagen, docs/video). Log probabilities:
 * responseLogprobs true answers candidates[].logprobsResult, the chosen and top tokens, and `logprobs` (the number of
 * top tokens) needs it (ai.google.dev/api/generate-content#generationconfig). "*:*enerateContent" is generateContent
 * and streamGenerateContent, of models/ and tunedModels/ alike. */
static const prov_unrestorable_t gemini_unrestorable[] = {
    GEMINI_GEN("responseModalities", "response_modalities", "audio", PROV_UNRESTORABLE_MEDIA),
    GEMINI_GEN("responseModalities", "response_modalities", "image", PROV_UNRESTORABLE_MEDIA),
    {"POST *:predict", NULL, NULL, PROV_UNRESTORABLE_MEDIA},
    {"POST *:predictLongRunning", NULL, NULL, PROV_UNRESTORABLE_MEDIA},
    GEMINI_GEN("responseLogprobs", "response_logprobs", NULL, PROV_UNRESTORABLE_LOGPROBS),
    GEMINI_GEN("logprobs", "logprobs", NULL, PROV_UNRESTORABLE_LOGPROBS),
    {NULL, NULL, NULL, PROV_UNRESTORABLE_NONE},
};

/* countTokens is not billed (ai.google.dev/gemini-api/docs/pricing lists no price for it; the tokens guide calls
 * it free of charge), nor is listing the models. */
static const char *const gemini_unbilled[] = {"POST models/*:countTokens", "POST tunedModels/*:countTokens", "GET models",
                                              "GET models/*", NULL};

/* POST endpoints whose only effect is their answer: retried by aigw (provider.h answer_only) */
static const char *const gemini_answer_only[] = {":generateContent",
                                                 ":streamGenerateContent",
                                                 ":embedContent",
                                                 ":batchEmbedContents",
                                                 ":countTokens",
                                                 ":predict",
                                                 "chat/completions",
                                                 "embeddings",
                                                 NULL};

/* Model text (provider.h output_text): generateContent and each streamGenerateContent event carry
 * candidates[].content.parts[].text (gemini.md); inlineData parts are not text. */
static const char *const gemini_output_text[] = {"candidates.*.content.parts.*.text", NULL};

/* What is no model text in generateContent / streamGenerateContent answers, Imagen predictions and Veo operations
 * (provider.h output_skip; gemini.md): every other string (groundingMetadata snippets, titles and queries, url context,
 * executable code and its output, ...) is scanned by pii.scan_responses. */
#define GEMINI_PART "candidates.*.content.parts.*."
static const prov_out_skip_t gemini_output_skip[] = {
    {"modelVersion", PROV_OUT_STRUCT},
    {"responseId", PROV_OUT_STRUCT},
    {"name", PROV_OUT_STRUCT}, /* long-running operations */
    {"candidates.*.finishReason", PROV_OUT_STRUCT},
    {"candidates.*.content.role", PROV_OUT_STRUCT},
    {"candidates.*.safetyRatings.*.category", PROV_OUT_STRUCT},
    {"candidates.*.safetyRatings.*.probability", PROV_OUT_STRUCT},
    {"promptFeedback.blockReason", PROV_OUT_STRUCT},
    {"promptFeedback.safetyRatings.*.category", PROV_OUT_STRUCT},
    {"promptFeedback.safetyRatings.*.probability", PROV_OUT_STRUCT},
    {"usageMetadata.**", PROV_OUT_STRUCT},
    {GEMINI_PART "functionCall.id", PROV_OUT_STRUCT},
    {GEMINI_PART "functionCall.name", PROV_OUT_STRUCT},
    {GEMINI_PART "inlineData.mimeType", PROV_OUT_STRUCT},
    {GEMINI_PART "fileData.mimeType", PROV_OUT_STRUCT},
    {GEMINI_PART "executableCode.language", PROV_OUT_STRUCT},
    {GEMINI_PART "codeExecutionResult.outcome", PROV_OUT_STRUCT},
    {"predictions.*.mimeType", PROV_OUT_STRUCT},
    {GEMINI_PART "functionCall.args.**", PROV_OUT_ARGUMENTS},
    {GEMINI_PART "inlineData.data", PROV_OUT_MEDIA},
    {GEMINI_PART "fileData.fileUri", PROV_OUT_MEDIA},
    {"predictions.*.bytesBase64Encoded", PROV_OUT_MEDIA},
    {"response.generateVideoResponse.generatedSamples.*.video.uri", PROV_OUT_MEDIA},
    {"candidates.*.groundingMetadata.searchEntryPoint.sdkBlob", PROV_OUT_MEDIA},
    {GEMINI_PART "thoughtSignature", PROV_OUT_OPAQUE},
    {NULL, 0}};
#undef GEMINI_PART

/* ---- no-training posture (docs/providers/gemini.md "Storage"; evaluated by policy/notrain.c) ---- */

enum { GEMINI_MODELS = 1 }; /* route classes */

static const pol_notrain_route_t gemini_notrain_routes[] = {
    {"cachedContents*", "gemini_storage_route", NULL, 0, NULL},
    {"files*", "gemini_storage_route", NULL, 0, NULL},
    {"upload/*", "gemini_storage_route", NULL, 0, NULL},
    {"tunedModels*", "gemini_storage_route", NULL, 0, NULL},
    /* File Search stores and semantic-retrieval corpora keep their documents until deleted (redteam9) */
    {"fileSearchStores*", "gemini_storage_route", NULL, 0, NULL},
    {"corpora*", "gemini_storage_route", NULL, 0, NULL},
    /* batch jobs (batchGenerateContent, refused above) keep their inlined responses: list, get, cancel, delete */
    {"batches*", "gemini_storage_route", NULL, 0, NULL},
    {"*:batchGenerateContent*", "gemini_storage_route", NULL, 0, NULL},
    {"*:asyncBatchEmbedContent*", "gemini_storage_route", NULL, 0, NULL},
    /* the OpenAI-compatible API (/v1beta/openai/): its files and batches persist */
    {"openai/files*", "gemini_storage_route", NULL, 0, NULL},
    {"openai/batches*", "gemini_storage_route", NULL, 0, NULL},
    {"openai/uploads*", "gemini_storage_route", NULL, 0, NULL},
    {"openai/vector_stores*", "gemini_storage_route", NULL, 0, NULL},
    {"openai/fine_tuning*", "gemini_storage_route", NULL, 0, NULL},
    {"models/*", NULL, NULL, GEMINI_MODELS, "models/"},
    {NULL, NULL, NULL, 0, NULL}};

/* a cached content object is stored at Google for its TTL */
static const pol_notrain_force_t gemini_notrain_forces[] = {
    {.label = "cachedContent dropped", .on = GEMINI_MODELS, .edits = {{"cachedContent", NULL, 0}, {"cached_content", NULL, 0}}},
    {.label = NULL}};

/* Gemini's unpaid tier may use prompts to improve Google's products. */
static const pol_notrain_posture_t gemini_notrain = {
    .provider = "gemini",
    .risk = POL_NOTRAIN_RISK_UNLESS_TIER,
    .risk_tier = "paid",
    .risk_reason = "gemini_unpaid_tier",
    .risk_message = "gemini: the configured key is not a paid-tier key (providers.gemini.tier), and Gemini's unpaid tier may "
                    "train on prompts; set tier to \"paid\" for a key from a billing-enabled project",
    .routes = gemini_notrain_routes,
    .forces = gemini_notrain_forces,
};

/* Generated images: Gemini parts' inlineData (inline_data in snake_case JSON), Imagen predictions'
 * bytesBase64Encoded (docs/providers/gemini.md). */
static const char *const gemini_image_payload_fields[] = {"bytesBase64Encoded", "inlineData", "inline_data", NULL};

/* Google APIs bill the quota project named by x-goog-user-project (cloud.google.com/apis/docs/system-parameters). */
static const char *const gemini_account_headers[] = {"x-goog-user-project", NULL};
/* Google APIs system parameters: the server-side deadline */
static const char *const gemini_request_headers[] = {"x-server-timeout", NULL};

/* Routes aigw never forwards (provider.h refused_routes): auth_tokens (ai.google.dev "Ephemeral tokens"; @google/genai
 * `authTokens.create`, POST {version}/auth_tokens) answers a short-lived token with which a browser opens a Live API
 * session (WebSocket) to Google directly, around aigw. */
static const prov_refused_route_t gemini_refused_routes[] = {
    {"auth_tokens*", "direct_access_route",
     "gemini: an ephemeral auth token lets the client open a Live API session with Google directly, around aigw: nothing "
     "it sends there would be scanned, metered or checked by the no-training policy; aigw does not serve the Live API",
     NULL},
    {NULL, NULL, NULL, NULL}};

/* Query parameters never forwarded (provider.h refused_query): Google APIs' system parameter `fields` (also `$fields`;
 * cloud.google.com/apis/docs/system-parameters) returns a partial response; `fields=candidates,usageMetadata.promptTokenCount`
 * leaves out the output token count, which proto3 JSON reads as 0, so the call would be billed its input only. */
static const char *const gemini_refused_query[] = {"fields", "$fields", NULL};

const prov_adapter_t prov_gemini = {
    .account_headers = gemini_account_headers,
    .request_headers = gemini_request_headers,
    .image_payload_fields = gemini_image_payload_fields,
    .notrain = &gemini_notrain,
    .name = "gemini",
    .refused_query = gemini_refused_query,
    .refused_routes = gemini_refused_routes,
    .default_base_url = "https://generativelanguage.googleapis.com",
    .api_key_env = "GEMINI_API_KEY",
    .route_prefix = "/gemini/v1beta/",
    .upstream_prefix = "/v1beta/",
    .auth = PROV_AUTH_X_GOOG,
    .skip_fields = gemini_skip_fields,
    .file_fields = gemini_file_fields,
    .error_body = gemini_error_body,
    .error_content_type = "application/json",
    .compat_prefix = "/v1beta/openai/",
    .compat_wire = &prov_openai,
    .usage_from_json = gemini_usage_from_json,
    .usage_from_event = gemini_usage_from_event,
    .estimate_inputs = gemini_estimate_inputs,
    .model_from_path = gemini_model_from_path,
    .unbilled_routes = gemini_unbilled,
    .unrestorable_outputs = gemini_unrestorable,
    .answer_only = gemini_answer_only,
    .output_text = gemini_output_text,
    .output_skip = gemini_output_skip,
};
