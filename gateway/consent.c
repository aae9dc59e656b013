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

int gw_consent_matters(gw_consent_cache_t *c, unsigned gen_seq, const pol_notrain_t *nt, const pol_notrain_input_t *in)
{
    const char *route = in->route != NULL ? in->route : "";
    size_t rl = in->route != NULL ? in->route_len : 0;
    if (c->memo.valid && c->memo.gen_seq == gen_seq && c->memo.nt == nt && c->memo.provider == in->provider &&
        c->memo.key_tier == in->key_tier && c->memo.route_len == rl && memcmp(c->memo.route, route, rl) == 0)
        return c->memo.matters;
    pol_notrain_input_t q = *in;
    pol_notrain_decision_t d;
    q.consent = 0;
    int without = pol_notrain_begin(nt, &q, &d);
    q.consent = 1;
    int matters = pol_notrain_begin(nt, &q, &d) != without;
    c->memo.valid = 0;
    if (rl <= sizeof(c->memo.route)) {
        c->memo.gen_seq = gen_seq;
        c->memo.nt = nt;
        c->memo.provider = in->provider;
        c->memo.key_tier = in->key_tier;
        c->memo.route_len = rl;
        memcpy(c->memo.route, route, rl);
        c->memo.matters = matters;
        c->memo.valid = 1;
    }
    return matters;
}

void gw_consent_clear(gw_consent_cache_t *c)
{
    for (size_t i = 0; i < GW_CONSENT_SLOTS; i++) {
        free(c->slot[i].user);
        c->slot[i].user = NULL;
    }
}
