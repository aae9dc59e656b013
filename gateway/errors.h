/*
 * One error vocabulary for the gateway.
 *
 * GW_E* (common/errors.h) are the negative result codes modules return (0 = OK); gw_error_status maps one to its
 * HTTP status.
 *
 * gw_err_t names every error a request can be answered with, and gw_error_def gives its one row of the error table
 * (errors.c): HTTP status, provider-neutral type and code, the request field at fault, and the message used when the
 * caller has no more specific one. The request pipeline answers only through gw_send_error
 * (gateway/pipeline/call.h), which shapes a row into the route's provider error body (providers/provider.h
 * error_body), so SDKs raise their usual exceptions and status, type and code cannot drift apart per call site.
 */
#ifndef AIGW_GATEWAY_ERRORS_H
#define AIGW_GATEWAY_ERRORS_H

#include "common/errors.h"

/** HTTP status for a GW_E* code (500 for unknown codes). */
int gw_error_status(int err);

/** Reason phrase for an HTTP status ("Bad Gateway"); "Unknown" if not known. */
const char *gw_status_reason(int status);

/** Every error the request pipeline answers with (one row each in the table of errors.c). */
typedef enum {
    GW_ERR_INVALID_FRAMING,              /* 400 conflicting HTTP/1.1 framing (RFC 9112 section 6.3) */
    GW_ERR_INVALID_PATH,                 /* 400 the path cannot be canonicalised (gateway/canon.h) */
    GW_ERR_UNKNOWN_ROUTE,                /* 404 */
    GW_ERR_METHOD_NOT_ALLOWED,           /* 405 */
    GW_ERR_INVALID_API_KEY,              /* 401 missing or unknown client key */
    GW_ERR_LOG_BACKPRESSURE,             /* 503 records wait for room in the store's queue */
    GW_ERR_STORE_UNAVAILABLE,            /* 503 the journal cannot commit */
    GW_ERR_REQUEST_TOO_LARGE,            /* 413 limits.max_request_body_bytes */
    GW_ERR_INVALID_USER_HEADER,          /* 400 X-AIGW-User */
    GW_ERR_INVALID_USER_BODY,            /* 400 the body's user / safety_identifier */
    GW_ERR_MISSING_USER,                 /* 400 */
    GW_ERR_PII_IN_URL,                   /* 400 personal data in the path or query */
    GW_ERR_PII_IN_HEADER,                /* 400 personal data in a forwarded header */
    GW_ERR_DUPLICATE_CONTENT_TYPE,       /* 400 */
    GW_ERR_UNSUPPORTED_CONTENT_ENCODING, /* 415 compressed bodies cannot be scanned */
    GW_ERR_UNSUPPORTED_MEDIA_TYPE,       /* 415 neither JSON nor multipart */
    GW_ERR_INVALID_MULTIPART,            /* 400 */
    GW_ERR_INVALID_UTF8,                 /* 400 */
    GW_ERR_DUPLICATE_KEY,                /* 400 RFC 8259 section 4 */
    GW_ERR_INVALID_JSON,                 /* 400 */
    GW_ERR_BODY_REFUSED,                 /* the privacy pass refused a field: status and code from gw_body_info_t */
    GW_ERR_PII_BLOCKED,                  /* 403 pii.actions "block" */
    GW_ERR_INVALID_IMAGE,                /* 400 an image whose metadata cannot be removed */
    GW_ERR_MODEL_NOT_OPENAI_COMPATIBLE,  /* 400 /v1/ model routed to a provider without an OpenAI-compatible API */
    GW_ERR_PROVIDER_NOT_CONFIGURED,      /* 404 */
    GW_ERR_PROVIDER_KEY_MISSING,         /* 503 */
    GW_ERR_INVALID_TARGET_URL,           /* 400 fal x-fal-target-url */
    GW_ERR_TRAINING_POLICY,              /* 403 no-training refusal: code is the decision's reason */
    GW_ERR_ROUTE_REFUSED,                /* 403 a route the adapter never forwards (providers/provider.h refused_routes) */
    GW_ERR_QUERY_REFUSED,                /* 400 a query parameter the adapter never forwards (providers/provider.h refused_query) */
    GW_ERR_INVALID_REQUEST_BODY,         /* 400 the no-training rewrite failed */
    GW_ERR_RATE_LIMITED,                 /* 429 */
    GW_ERR_MODEL_NOT_PRICED,             /* 403 metering: unknown models are refused */
    GW_ERR_ESTIMATE_OVERFLOW,            /* 400 */
    GW_ERR_INSUFFICIENT_CREDITS,         /* 402 */
    GW_ERR_INVALID_IDEMPOTENCY_KEY,      /* 400 Idempotency-Key empty, too long, not visible ASCII, or sent twice */
    GW_ERR_IDEMPOTENCY_KEY_IN_USE,       /* 409 */
    GW_ERR_IDEMPOTENT_REPLAY,            /* the earlier request's status (>= 400), else 409 */
    GW_ERR_METERING_UNAVAILABLE,         /* 503 */
    GW_ERR_INVALID_STREAM_URL,           /* 403 prediction stream capability */
    GW_ERR_CIRCUIT_OPEN,                 /* 503 the origin's circuit breaker is open */
    GW_ERR_UPSTREAM_UNREACHABLE,         /* 502 transport failure before any answer */
    GW_ERR_UPSTREAM_TIMEOUT,             /* 504 */
    GW_ERR_UPSTREAM_ERROR,               /* 502 the upstream answered 5xx */
    GW_ERR_UPSTREAM_CUT,                 /* 502 a held answer cut mid-body: code is the outcome (gateway/billing.h) */
    GW_ERR_INTERNAL,                     /* 500 */
    GW_ERR_INVALID_HTTP_REQUEST,         /* 400 h2o refused the request's framing or headers (gateway/pipeline/protocol_errors.c) */
    GW_ERR_EXPECTATION_FAILED,           /* 417 h2o: an Expect other than 100-continue */
    GW_ERR_COUNT
} gw_err_t;

/** One row of the error table. Strings are static. */
typedef struct st_gw_error_def_t {
    int status;          /**< HTTP status */
    const char *type;    /**< provider-neutral class: invalid_request_error, permission_error, server_error, ... */
    const char *code;    /**< machine code ("invalid_json") */
    const char *param;   /**< request field at fault, NULL */
    const char *message; /**< default message (no request content), used when the caller gives none */
} gw_error_def_t;

/** The table row of `err` (a valid gw_err_t); borrowed, static lifetime. */
const gw_error_def_t *gw_error_def(gw_err_t err);

#endif
