/*
 * gateway/consent: the per-worker consent cache and gw_consent_matters, whether a user's consent changes the
 * no-training verdict before the body (so whether a user whose consent is not cached must be looked up), with its
 * memo of the last answer: the memo must give the answer pol_notrain_begin gives, whatever changed since.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "gateway/consent.h"
#include "providers/provider.h"

static pol_notrain_t *make(const char *cfg_json)
{
    size_t n;
    const prov_adapter_t *const *a = prov_all(&n);
    const pol_notrain_posture_t *p[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++)
        p[i] = a[i]->notrain;
    json_t *cfg = cfg_json != NULL ? json_loads(cfg_json, 0, NULL) : NULL;
    char err[256] = "";
    pol_notrain_t *nt = pol_notrain_create(cfg, NULL, p, n, err, sizeof(err));
    if (nt == NULL)
        fail_msg("create: %s", err);
    json_decref(cfg);
    return nt;
}

/* What gw_consent_matters must answer: the verdicts without and with consent differ. */
static int reference(const pol_notrain_t *nt, const char *provider, const char *route, const char *tier)
{
    pol_notrain_decision_t d;
    pol_notrain_input_t in = {provider, route, strlen(route), tier, 0, NULL, 0, NULL, 0};
    int without = pol_notrain_begin(nt, &in, &d);
    in.consent = 1;
    return pol_notrain_begin(nt, &in, &d) != without;
}

static int matters(gw_consent_cache_t *c, unsigned seq, const pol_notrain_t *nt, const char *provider, const char *route,
                   const char *tier)
{
    pol_notrain_input_t in = {provider, route, strlen(route), tier, 0, NULL, 0, NULL, 0};
    return gw_consent_matters(c, seq, nt, &in);
}

static void test_cache(void **state)
{
    (void)state;
    gw_consent_cache_t *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    assert_int_equal(gw_consent_get(c, "u1", 2, 1000), -1);
    gw_consent_put(c, "u1", 2, 1, 1000);
    assert_int_equal(gw_consent_get(c, "u1", 2, 1000), 1);
    assert_int_equal(gw_consent_get(c, "u1", 2, 1000 + GW_CONSENT_TTL_MS), -1); /* expired */
    assert_int_equal(gw_consent_get(c, "u2", 2, 1000), -1);
    gw_consent_clear(c);
    free(c);
}

/* Consent matters for Gemini's unpaid tier in deny_unless_consent (the tier's training risk), not for a paid key nor
 * for OpenAI; the memo follows every part of its key: generation, table, provider, tier and route. */
static void test_matters_memo(void **state)
{
    (void)state;
    gw_consent_cache_t *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    pol_notrain_t *nt = make(NULL), *deny = make("{\"mode\": \"deny\"}");
    static const char gem[] = "models/gemini-2.5-flash:generateContent";
    const char *paid = "paid", *free_tier = "free";
    assert_int_equal(reference(nt, "gemini", gem, free_tier), 1);
    assert_int_equal(reference(nt, "gemini", gem, paid), 0);
    assert_int_equal(reference(nt, "openai", "chat/completions", NULL), 0);
    assert_int_equal(reference(deny, "gemini", gem, free_tier), 0); /* mode deny: consent lifts nothing */

    for (int round = 0; round < 2; round++) { /* the second round is answered from the memo where the key repeats */
        assert_int_equal(matters(c, 0, nt, "gemini", gem, free_tier), 1);
        assert_int_equal(matters(c, 0, nt, "gemini", gem, free_tier), 1);
        assert_int_equal(matters(c, 0, nt, "gemini", gem, paid), 0);                /* tier */
        assert_int_equal(matters(c, 0, nt, "gemini", gem, free_tier), 1);           /* and back */
        assert_int_equal(matters(c, 0, deny, "gemini", gem, free_tier), 0);         /* table */
        assert_int_equal(matters(c, 1, nt, "gemini", gem, free_tier), 1);           /* generation */
        assert_int_equal(matters(c, 1, nt, "openai", "chat/completions", NULL), 0); /* provider and route */
        assert_int_equal(matters(c, 1, nt, "openai", "chat/completions", NULL), 0);
        assert_int_equal(matters(c, 1, nt, "gemini", gem, free_tier), 1);
    }
    /* the same route text in another buffer is the same route; a route that differs in its last byte is another */
    char copy[sizeof(gem)];
    memcpy(copy, gem, sizeof(gem));
    assert_int_equal(matters(c, 1, nt, "gemini", copy, free_tier), 1);
    /* a memo of "matters" must not answer for another route of the same provider and tier: Gemini's files route is
     * refused as a storage route whatever the consent, so consent does not matter there */
    assert_int_equal(reference(nt, "gemini", "files", free_tier), 0);
    assert_int_equal(matters(c, 1, nt, "gemini", "files", free_tier), 0);
    assert_int_equal(matters(c, 1, nt, "gemini", gem, free_tier), 1);
    assert_int_equal(matters(c, 1, nt, "gemini", "files", free_tier), 0);
    assert_int_equal(matters(c, 1, nt, "gemini", "files/", free_tier), 0); /* a route that differs in its last byte */
    assert_int_equal(matters(c, 1, nt, "gemini", "models/x:generateContent", free_tier), 1);

    /* a route longer than the memo keeps is decided every time, with the same answer */
    char longroute[GW_CONSENT_MEMO_ROUTE_MAX + 64];
    memset(longroute, 'a', sizeof(longroute) - 1);
    memcpy(longroute, "models/x:generateContent", 24);
    longroute[sizeof(longroute) - 1] = '\0';
    for (int i = 0; i < 2; i++)
        assert_int_equal(matters(c, 1, nt, "gemini", longroute, free_tier), reference(nt, "gemini", longroute, free_tier));
    assert_int_equal(matters(c, 1, nt, "gemini", longroute, paid), reference(nt, "gemini", longroute, paid));

    pol_notrain_free(nt);
    pol_notrain_free(deny);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache),
        cmocka_unit_test(test_matters_memo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
