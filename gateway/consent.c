/*
 * Consent cache (see consent.h): direct-mapped (a colliding user evicts the previous one, which
 * only costs another lookup), FNV-1a over the id.
 */
#include "gateway/consent.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(const char *user, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)user[i];
        h *= 1099511628211ull;
    }
    return (size_t)(h % GW_CONSENT_SLOTS);
}

int gw_consent_get(const gw_consent_cache_t *c, const char *user, size_t len, uint64_t now_ms)
{
    const gw_consent_entry_t *e = &c->slot[slot_of(user, len)];
    if (e->user == NULL || e->expires_ms <= now_ms || strlen(e->user) != len || memcmp(e->user, user, len) != 0)
        return -1;
    return e->consent;
}

void gw_consent_put(gw_consent_cache_t *c, const char *user, size_t len, int consent, uint64_t now_ms)
{
    gw_consent_entry_t *e = &c->slot[slot_of(user, len)];
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return;
    memcpy(copy, user, len);
    copy[len] = '\0';
    free(e->user);
    e->user = copy;
    e->consent = consent != 0;
    e->expires_ms = now_ms + GW_CONSENT_TTL_MS;
}

void gw_consent_clear(gw_consent_cache_t *c)
{
    for (size_t i = 0; i < GW_CONSENT_SLOTS; i++) {
        free(c->slot[i].user);
        c->slot[i].user = NULL;
    }
}
