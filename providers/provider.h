/*
 * Provider adapters: everything aigw knows about one provider's wire format lives behind this
 * interface, one file per provider (providers/openai.c, ...) plus one row in the table in
 * providers/provider.c. The gateway never special-cases a provider by name.
 *
 * An adapter declares:
 *  - its native route prefix on aigw ("/openai/v1/") and the API path prefix appended to the
 *    configured base_url upstream ("/v1/");
 *  - how clients authenticate on that route and how the real provider key is sent upstream;
 *  - the JSON fields that carry user text (the PII walker's rules, see policy/json.h);
 *  - the shape of its error bodies, so SDKs raise their usual exceptions for aigw's errors.
 */
#ifndef AIGW_PROVIDERS_PROVIDER_H
#define AIGW_PROVIDERS_PROVIDER_H

#include <stddef.h>

#include "policy/buf.h"

/** How a credential travels in a request (client -> aigw, and aigw -> provider). */
typedef enum {
    PROV_AUTH_BEARER,    /* Authorization: Bearer <key> (OpenAI, OpenRouter, DeepSeek, Fireworks, Replicate) */
    PROV_AUTH_X_GOOG,    /* x-goog-api-key: <key> (Gemini) */
    PROV_AUTH_X_API_KEY, /* x-api-key: <key> (Anthropic; Bearer also accepted from clients) */
    PROV_AUTH_KEY        /* Authorization: Key <key> (fal) */
} prov_auth_t;

/** One JSON field rule for the PII walker (pattern syntax: policy/json.h). */
typedef struct st_prov_field_t {
    const char *pattern;
    unsigned embedded_json; /* 1: the string holds JSON (tool-call arguments) */
} prov_field_t;

typedef struct st_prov_adapter_t {
    /** Provider name as used in config "providers" and pricing keys ("openai"). */
    const char *name;
    /** Native route prefix on aigw, with trailing slash ("/openai/v1/"). */
    const char *route_prefix;
    /** API path prefix appended to base_url upstream, with trailing slash ("/v1/"). */
    const char *upstream_prefix;
    /** Credential style upstream (and the primary one accepted from clients). */
    prov_auth_t auth;
    /** Text fields that can carry PII in request bodies; NULL-pattern terminated. */
    const prov_field_t *text_fields;
    /**
     * Appends an error body in the provider's own shape to `out`.
     * @param status  HTTP status being returned (400..599)
     * @param type    error class ("invalid_request_error", "authentication_error", "server_error", ...)
     * @param code    machine code ("invalid_json", "missing_user", "upstream_timeout", ...), may be NULL
     * @param param   request field at fault, may be NULL
     * @param message human text (UTF-8, never contains prompt content or PII values)
     * @return 0, or -1 on allocation failure
     */
    int (*error_body)(pol_buf_t *out, int status, const char *type, const char *code, const char *param, const char *message);
    /** Content type of error bodies ("application/json", "application/problem+json"). */
    const char *error_content_type;
} prov_adapter_t;

/** The adapter named `name` ("openai"), or NULL. Borrowed, static lifetime. */
const prov_adapter_t *prov_find(const char *name);

/** All adapters; *n receives the count. Borrowed, static lifetime. */
const prov_adapter_t *const *prov_all(size_t *n);

/**
 * Appends `s` (UTF-8, `len` bytes) as a JSON string literal with quotes, escaping ", \ and
 * control characters (RFC 8259 section 7). Shared by the error-body writers. @return 0 or -1.
 */
int prov__json_str(pol_buf_t *out, const char *s, size_t len);

extern const prov_adapter_t prov_openai;

#endif
