/*
 * Client authentication: aigw client keys arrive in the provider's own auth header for the
 * route (DESIGN.md section 4: Authorization: Bearer, x-goog-api-key, x-api-key,
 * Authorization: Key) and are compared as BLAKE2b-256 hashes in constant time against every
 * configured client (sodium_memcmp), so neither timing nor the config reveals a key.
 */
#ifndef AIGW_GATEWAY_AUTH_H
#define AIGW_GATEWAY_AUTH_H

#include <stddef.h>

#include "common/userid.h" /* gw_user_id_valid: the end-user id rule */
#include "gateway/config.h"
#include "gateway/store/store.h"
#include "providers/provider.h"

/**
 * Extracts the credential from an Authorization header value (`value`, `len` bytes):
 * "Bearer <key>" or "Key <key>" (scheme case-insensitive). Points *key into value.
 * @return 0, or -1 if the scheme is missing or the key empty.
 */
int gw_auth_parse_authorization(const char *value, size_t len, const char **key, size_t *key_len);

/**
 * The client whose key is `key` (`len` bytes), or NULL: the config's clients, then the keys
 * managed with `aigw keys` (the published keyset). Every hash is compared (no early exit), in
 * constant time per comparison. Borrowed from cfg or from the keyset (valid until exit).
 */
const gw_client_conf_t *gw_auth_client(const gw_config_t *cfg, const char *key, size_t len);

/**
 * The admin role ("ops", "privacy", "admin") of `token`: the config's admin_tokens, then the
 * published keyset's. NULL when neither knows it.
 */
const char *gw_auth_admin_role(const gw_config_t *cfg, const char *token, size_t len);

/** Client keys and admin tokens from the store (`aigw keys add`), as one immutable snapshot. */
typedef struct st_gw_keyset_t gw_keyset_t;

/** A snapshot of `keys` (n entries, borrowed; revoked ones must be left out by the caller).
 *  @return the keyset (gw_keyset_free), or NULL on allocation failure. */
gw_keyset_t *gw_keyset_new(const gw_store_key_t *keys, size_t n);

/** Frees a keyset that was never published. NULL is ignored. */
void gw_keyset_free(gw_keyset_t *ks);

/**
 * Makes `ks` (takes ownership) the keyset gw_auth_client / gw_auth_admin_role consult, unless it
 * equals the current one (then it is freed). One publishing thread at a time (the server's main
 * thread). The replaced keyset is kept until gw_auth_release_keysets (requests may point into it).
 * @return 1 when the set changed, 0 when it was the same.
 */
int gw_auth_publish_keyset(gw_keyset_t *ks);

/** Sizes of the published keyset (0, 0 before the first publish). */
void gw_auth_keyset_counts(size_t *clients, size_t *admins);

/** At exit, after the workers stopped: frees the published and every replaced keyset. */
void gw_auth_release_keysets(void);

#endif
