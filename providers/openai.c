/*
 * OpenAI adapter: Chat Completions, Responses, Embeddings, Images (see
 * ../shared/providers/openai.md). Error bodies follow the spec's ErrorResponse:
 * {"error":{"message","type","param","code"}} with all four keys present.
 */
#include "providers/provider.h"

#include <string.h>

/* Where user text travels in OpenAI request bodies (openai.md section 2). */
static const prov_field_t openai_text_fields[] = {
    /* chat completions */
    {"messages.*.content", 0},
    {"messages.*.content.*.text", 0},
    {"messages.*.name", 0},
    {"messages.*.tool_calls.*.function.arguments", 1},
    {"messages.*.function_call.arguments", 1},
    {"tools.*.function.description", 0},
    {"functions.*.description", 0},
    {"prediction.content", 0},
    {"user", 0},
    {"safety_identifier", 0},
    {"metadata.*", 0},
    /* responses */
    {"instructions", 0},
    {"input", 0},
    {"input.*", 0},
    {"input.*.content", 0},
    {"input.*.content.*.text", 0},
    {"input.*.output", 0},
    {"input.*.arguments", 1},
    {"prompt.variables.*", 0},
    /* embeddings input (string or array of strings) and images prompt */
    {"prompt", 0},
    {NULL, 0},
};

static int openai_error_body(pol_buf_t *out, int status, const char *type, const char *code, const char *param,
                             const char *message)
{
    (void)status;
    if (pol_buf_append(out, "{\"error\":{\"message\":", 20) != 0 || prov__json_str(out, message, strlen(message)) != 0 ||
        pol_buf_append(out, ",\"type\":", 8) != 0 || prov__json_str(out, type, strlen(type)) != 0 ||
        pol_buf_append(out, ",\"param\":", 9) != 0)
        return -1;
    if ((param != NULL ? prov__json_str(out, param, strlen(param)) : pol_buf_append(out, "null", 4)) != 0)
        return -1;
    if (pol_buf_append(out, ",\"code\":", 8) != 0)
        return -1;
    if ((code != NULL ? prov__json_str(out, code, strlen(code)) : pol_buf_append(out, "null", 4)) != 0)
        return -1;
    return pol_buf_append(out, "}}", 2);
}

const prov_adapter_t prov_openai = {
    .name = "openai",
    .route_prefix = "/openai/v1/",
    .upstream_prefix = "/v1/",
    .auth = PROV_AUTH_BEARER,
    .text_fields = openai_text_fields,
    .error_body = openai_error_body,
    .error_content_type = "application/json",
};
