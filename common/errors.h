/*
 * The one error vocabulary of every layer (house rule 5): 0 = OK, negative GW_E* codes. Pure
 * modules, the store and the server return these values; the gateway maps each to exactly one HTTP
 * status and a provider-shaped body (gateway/errors.h). Kept in common/ so the store and the pure
 * layers can name the same codes without including anything of the server.
 */
#ifndef AIGW_COMMON_ERRORS_H
#define AIGW_COMMON_ERRORS_H

enum {
    GW_OK = 0,
    GW_E_BAD_REQUEST = -1,      /* 400 malformed input (JSON, UTF-8, missing user) */
    GW_E_UNAUTHORIZED = -2,     /* 401 missing or wrong aigw client key */
    GW_E_CREDITS = -3,          /* 402 balance cannot cover the reservation */
    GW_E_FORBIDDEN = -4,        /* 403 policy: no-training refusal, blocked PII */
    GW_E_NOT_FOUND = -5,        /* 404 unknown route */
    GW_E_METHOD = -6,           /* 405 method not allowed on this route */
    GW_E_TOO_LARGE = -7,        /* 413 body over limits.max_request_body_bytes */
    GW_E_RATE_LIMITED = -8,     /* 429 */
    GW_E_INTERNAL = -9,         /* 500 aigw itself failed (allocation, bug) */
    GW_E_UPSTREAM = -10,        /* 502 upstream unreachable, reset, or answered 5xx */
    GW_E_UNAVAILABLE = -11,     /* 503 draining or store queue full */
    GW_E_UPSTREAM_TIMEOUT = -12 /* 504 no upstream byte within the configured timeout */
};

#endif
