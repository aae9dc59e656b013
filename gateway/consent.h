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

#include "policy/notrain.h"

#define GW_CONSENT_SLOTS 1024
#define GW_CONSENT_TTL_MS 30000

typedef struct st_gw_consent_entry_t {
    char *user; /* owned, NUL-terminated; NULL = empty slot */
    int consent;
    uint64_t expires_ms;
} gw_consent_entry_t;

/* Longest route the "does consent matter" memo keeps (a longer one is decided every time). */
#define GW_CONSENT_MEMO_ROUTE_MAX 256

typedef struct st_gw_consent_cache_t {
    gw_consent_entry_t slot[GW_CONSENT_SLOTS]; /* direct-mapped by hash of the user id */
    /* the last gw_consent_matters answer and what it was decided from (pointers compared, never followed) */
    struct {
        int valid;
        unsigned gen_seq;
        const pol_notrain_t *nt;
        const char *provider, *key_tier;
        size_t route_len;
        char route[GW_CONSENT_MEMO_ROUTE_MAX];
        int matters;
    } memo;
} gw_consent_cache_t;

/** @return 1 consented, 0 not, -1 unknown or expired. `now_ms` is a monotonic clock in ms. */
int gw_consent_get(const gw_consent_cache_t *c, const char *user, size_t len, uint64_t now_ms);

/** Caches `consent` for `user` (`len` bytes, copied) until now_ms + GW_CONSENT_TTL_MS. */
void gw_consent_put(gw_consent_cache_t *c, const char *user, size_t len, int consent, uint64_t now_ms);

/**
 * Whether the end user's consent changes the no-training verdict of a call before its body is read:
 * pol_notrain_begin(nt, in) without and with consent (in->consent is ignored) decide differently. Used to skip the
 * store lookup of a user whose consent is not cached when it cannot matter. The answer for the last (generation
 * `gen_seq`, `nt`, in->provider, in->key_tier, route) is kept, so a worker serving one route decides it once per
 * generation (two pol_notrain_begin were ~2k instructions a call, docs/BENCHMARKS.md "Issue 12, session 6"): the
 * decision depends on nothing else, and `nt`, the provider name and the tier belong to generation `gen_seq` (a
 * reload makes a new one with a new number). @return 1 it matters, 0 not.
 */
int gw_consent_matters(gw_consent_cache_t *c, unsigned gen_seq, const pol_notrain_t *nt, const pol_notrain_input_t *in);

/** Frees the cached ids. */
void gw_consent_clear(gw_consent_cache_t *c);

#endif
