/*
 * Per-worker cache of end users' training consent (DESIGN.md: consent is per user, set through
 * the admin API or `aigw user consent`; stored by gateway/store). The no-training decision needs
 * it on the request path, where a worker must not wait on the database: the pipeline reads the
 * cache, and on a miss that matters looks the user up on the thread pool and caches the answer
 * for GW_CONSENT_TTL_MS. A change therefore reaches every worker within that time.
 */
#ifndef AIGW_GATEWAY_CONSENT_H
#define AIGW_GATEWAY_CONSENT_H

#include <stddef.h>
#include <stdint.h>

#define GW_CONSENT_SLOTS 1024
#define GW_CONSENT_TTL_MS 30000

typedef struct st_gw_consent_entry_t {
    char *user; /* owned, NUL-terminated; NULL = empty slot */
    int consent;
    uint64_t expires_ms;
} gw_consent_entry_t;

typedef struct st_gw_consent_cache_t {
    gw_consent_entry_t slot[GW_CONSENT_SLOTS]; /* direct-mapped by hash of the user id */
} gw_consent_cache_t;

/** @return 1 consented, 0 not, -1 unknown or expired. `now_ms` is a monotonic clock in ms. */
int gw_consent_get(const gw_consent_cache_t *c, const char *user, size_t len, uint64_t now_ms);

/** Caches `consent` for `user` (`len` bytes, copied) until now_ms + GW_CONSENT_TTL_MS. */
void gw_consent_put(gw_consent_cache_t *c, const char *user, size_t len, int consent, uint64_t now_ms);

/** Frees the cached ids. */
void gw_consent_clear(gw_consent_cache_t *c);

#endif
