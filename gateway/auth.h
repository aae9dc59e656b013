/*
 * Client authentication: aigw client keys arrive in the provider's own auth header for the
 * route (DESIGN.md section 4: Authorization: Bearer, x-goog-api-key, x-api-key,
 * Authorization: Key) and are compared as BLAKE2b-256 hashes in constant time against every
 * configured client (sodium_memcmp), so neither timing nor the config reveals a key.
 */
#ifndef AIGW_GATEWAY_AUTH_H
#define AIGW_GATEWAY_AUTH_H

#include <stddef.h>

#include "gateway/config.h"
#include "providers/provider.h"

/**
 * Extracts the credential from an Authorization header value (`value`, `len` bytes):
 * "Bearer <key>" or "Key <key>" (scheme case-insensitive). Points *key into value.
 * @return 0, or -1 if the scheme is missing or the key empty.
 */
int gw_auth_parse_authorization(const char *value, size_t len, const char **key, size_t *key_len);

/**
 * The configured client whose key is `key` (`len` bytes), or NULL. Every client's hash is
 * compared (no early exit), in constant time per comparison. Borrowed from cfg.
 */
const gw_client_conf_t *gw_auth_client(const gw_config_t *cfg, const char *key, size_t len);

/**
 * The configured admin token's role ("ops", "privacy", "admin") for `token`, or NULL.
 */
const char *gw_auth_admin_role(const gw_config_t *cfg, const char *token, size_t len);

/** Longest end-user id, in bytes (X-AIGW-User, or the body's user / safety_identifier). */
#define GW_USER_ID_MAX 256

/**
 * 1 when `s` (`len` bytes) may be an end-user id: 1..GW_USER_ID_MAX bytes of well-formed UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF) without control characters (C0, DEL, C1 U+0080..U+009F) or
 * line / paragraph separators (U+2028, U+2029). Ids go into logs, the ledger and exports: a byte that is not text
 * would corrupt them or be read differently by each consumer (issue 10).
 */
int gw_auth_user_id_valid(const char *s, size_t len);

#endif
