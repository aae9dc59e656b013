/*
 * GW_E* -> HTTP status (a switch), and the request pipeline's error table (see errors.h): one row per gw_err_t, in
 * enum order (designated initialisers; a missing row is caught by the assertion in gw_error_def's test).
 */
#include "gateway/errors.h"
#include "common/limits.h"

#include <stddef.h>

#define IR "invalid_request_error"
#define PE "permission_error"
#define SE "server_error"

static const gw_error_def_t gw_error_table[GW_ERR_COUNT] = {
    [GW_ERR_INVALID_FRAMING] = {400, IR, "invalid_framing", NULL,
                                "aigw: conflicting message framing (several Content-Length values, or Content-Length with "
                                "Transfer-Encoding); the connection is closed"},
    [GW_ERR_INVALID_PATH] = {400, IR, "invalid_path", NULL, "aigw: invalid request path"},
    [GW_ERR_UNKNOWN_ROUTE] = {404, IR, "unknown_route", NULL, "aigw: unknown route (see the API routes in README.md)"},
    [GW_ERR_METHOD_NOT_ALLOWED] = {405, IR, "method_not_allowed", NULL,
                                   "aigw: method not allowed (allowed: GET, POST, DELETE, HEAD)"},
    [GW_ERR_INVALID_API_KEY] = {401, IR, "invalid_api_key", NULL,
                                "aigw: missing or incorrect client key (send an aigw client key as the provider API key)"},
    [GW_ERR_LOG_BACKPRESSURE] = {503, SE, "log_backpressure", NULL, "aigw: the call log is behind; retry in a second"},
    [GW_ERR_STORE_UNAVAILABLE] = {503, SE, "store_unavailable", NULL,
                                  "aigw: the call log cannot be written at the moment; retry in a second"},
    [GW_ERR_REQUEST_TOO_LARGE] = {413, IR, "request_too_large", NULL,
                                  "aigw: the request body exceeds limits.max_request_body_bytes"},
    [GW_ERR_INVALID_USER_HEADER] = {400, IR, "invalid_user", "X-AIGW-User",
                                    "aigw: X-AIGW-User must be 1.." GW_STR(
                                        GW_USER_ID_MAX) " bytes of UTF-8 text without control characters"},
    [GW_ERR_INVALID_USER_BODY] = {400, IR, "invalid_user", "user",
                                  "aigw: the body's user / safety_identifier must be 1.." GW_STR(
                                      GW_USER_ID_MAX) " bytes of UTF-8 text without "
                                                      "control characters"},
    [GW_ERR_MISSING_USER] = {400, IR, "missing_user", "user",
                             "aigw: no end user: send the X-AIGW-User header (or a \"user\" / \"safety_identifier\" field)"},
    [GW_ERR_PII_IN_URL] = {400, IR, "pii_in_url", NULL, "aigw: the request URL contains personal data"},
    [GW_ERR_PII_IN_HEADER] = {400, IR, "pii_in_header", NULL, "aigw: a request header contains personal data"},
    [GW_ERR_DUPLICATE_CONTENT_TYPE] = {400, IR, "duplicate_content_type", NULL,
                                       "aigw: more than one Content-Type header; send exactly one"},
    [GW_ERR_UNSUPPORTED_CONTENT_ENCODING] = {415, IR, "unsupported_content_encoding", NULL,
                                             "aigw: compressed request bodies (Content-Encoding) cannot be scanned for personal "
                                             "data; send the body uncompressed"},
    [GW_ERR_UNSUPPORTED_MEDIA_TYPE] = {415, IR, "unsupported_media_type", NULL,
                                       "aigw: the request body is neither JSON nor multipart/form-data"},
    [GW_ERR_INVALID_MULTIPART] = {400, IR, "invalid_multipart", NULL, "aigw: the multipart/form-data body is malformed"},
    [GW_ERR_INVALID_UTF8] = {400, IR, "invalid_utf8", NULL, "aigw: the request body is not valid UTF-8 JSON"},
    [GW_ERR_DUPLICATE_KEY] = {400, IR, "duplicate_key", NULL, "aigw: the request body names an object key twice"},
    [GW_ERR_INVALID_JSON] = {400, IR, "invalid_json", NULL, "aigw: the request body is not valid JSON"},
    [GW_ERR_BODY_REFUSED] = {400, IR, "invalid_field", NULL, "aigw: a field of the request body was refused"},
    [GW_ERR_PII_BLOCKED] = {403, IR, "pii_blocked", NULL, "aigw: the request was blocked because it contains personal data"},
    [GW_ERR_INVALID_IMAGE] = {400, IR, "invalid_image", NULL, "aigw: an image cannot be parsed, so it is not forwarded"},
    [GW_ERR_MODEL_NOT_OPENAI_COMPATIBLE] = {400, IR, "model_not_openai_compatible", "model",
                                            "aigw: the model is routed to a provider without an OpenAI-compatible API"},
    [GW_ERR_PROVIDER_NOT_CONFIGURED] = {404, IR, "provider_not_configured", NULL,
                                        "aigw: the provider is not configured on this gateway"},
    [GW_ERR_PROVIDER_KEY_MISSING] = {503, SE, "provider_key_missing", NULL, "aigw has no key for this provider"},
    [GW_ERR_INVALID_TARGET_URL] = {400, IR, "invalid_target_url", NULL,
                                   "aigw: the target URL header must be an https URL on one of the provider's allowed hosts"},
    [GW_ERR_TRAINING_POLICY] = {403, PE, "training_policy", NULL, "aigw: refused by the no-training policy"},
    [GW_ERR_QUERY_REFUSED] = {400, IR, "unsupported_query_parameter", NULL,
                              "aigw: a query parameter of the request is not forwarded to this provider"},
    [GW_ERR_ROUTE_REFUSED] = {403, PE, "direct_access_route", NULL,
                              "aigw: the route would let the client reach the provider around aigw; it is not forwarded"},
    [GW_ERR_INVALID_REQUEST_BODY] = {400, IR, "invalid_request_body", NULL,
                                     "aigw: the request body cannot be rewritten for the no-training policy"},
    [GW_ERR_RATE_LIMITED] = {429, "rate_limit_exceeded", "rate_limit_exceeded", NULL,
                             "aigw: rate limit reached for this user or client (config rate_limits)"},
    [GW_ERR_MODEL_NOT_PRICED] = {403, PE, "model_not_priced", "model", "aigw: no price for the model; unknown models are refused"},
    [GW_ERR_ESTIMATE_OVERFLOW] = {400, IR, "estimate_overflow", NULL, "aigw: the request's cost bound overflows"},
    [GW_ERR_INSUFFICIENT_CREDITS] = {402, "insufficient_quota", "insufficient_credits", NULL, "aigw: insufficient credits"},
    [GW_ERR_INVALID_IDEMPOTENCY_KEY] = {400, IR, "invalid_idempotency_key", "Idempotency-Key",
                                        "aigw: Idempotency-Key must be sent once, as 1 to " GW_STR(
                                            GW_IDEMPOTENCY_KEY_MAX) " visible ASCII characters"},
    [GW_ERR_IDEMPOTENCY_KEY_IN_USE] = {409, IR, "idempotency_key_in_use", NULL,
                                       "aigw: a request with this Idempotency-Key is still in progress"},
    [GW_ERR_IDEMPOTENT_REPLAY] = {409, IR, "idempotent_replay", NULL,
                                  "aigw: a request with this Idempotency-Key was already answered; it is not charged again"},
    [GW_ERR_METERING_UNAVAILABLE] = {503, SE, "metering_unavailable", NULL, "aigw: the credit ledger is unavailable; retry"},
    [GW_ERR_INVALID_STREAM_URL] = {403, PE, "invalid_stream_url", NULL,
                                   "aigw: this stream URL is not valid; take urls.stream from a prediction aigw returned"},
    [GW_ERR_CIRCUIT_OPEN] = {503, SE, "upstream_circuit_open", NULL,
                             "aigw: the upstream is failing (circuit breaker open after repeated errors); not forwarded"},
    [GW_ERR_UPSTREAM_UNREACHABLE] = {502, SE, "upstream_unreachable", NULL, "aigw: cannot reach the upstream provider"},
    [GW_ERR_UPSTREAM_TIMEOUT] = {504, SE, "upstream_timeout", NULL,
                                 "aigw: the upstream provider did not answer within upstream.first_byte_timeout_ms"},
    [GW_ERR_UPSTREAM_ERROR] = {502, SE, "upstream_error", NULL, "aigw: the upstream provider answered with an error"},
    [GW_ERR_UPSTREAM_CUT] = {502, SE, "upstream_reset", NULL, "aigw: the upstream cut its answer mid-body"},
    [GW_ERR_INTERNAL] = {500, SE, "internal_error", NULL, "aigw: internal error"},
    [GW_ERR_INVALID_HTTP_REQUEST] = {400, IR, "invalid_http_request", NULL,
                                     "aigw: the HTTP request is malformed (its body framing or its headers)"},
    [GW_ERR_EXPECTATION_FAILED] = {417, IR, "expectation_failed", NULL,
                                   "aigw: unsupported Expect header (only 100-continue is understood)"},
};

const gw_error_def_t *gw_error_def(gw_err_t err)
{
    return (unsigned)err < GW_ERR_COUNT ? &gw_error_table[err] : &gw_error_table[GW_ERR_INTERNAL];
}

int gw_error_status(int err)
{
    switch (err) {
    case GW_OK:
        return 200;
    case GW_E_BAD_REQUEST:
        return 400;
    case GW_E_CREDITS:
        return 402;
    case GW_E_NOT_FOUND:
        return 404;
    case GW_E_UNAVAILABLE:
        return 503;
    default:
        return 500;
    }
}

const char *gw_status_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "OK";
    }
}
