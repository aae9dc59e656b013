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

#endif
