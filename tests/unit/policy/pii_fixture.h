/*
 * The test fixture the PII unit tests share (test_pii*.c): an engine built from a JSON config
 * string (NULL: the defaults) with the all-zero hash key, one scratch, one session and an output
 * buffer, plus the lookups most tests make. Header-only (static inline) so each test executable
 * takes what it uses; every failure fails the running cmocka test.
 */
#ifndef AIGW_TESTS_UNIT_POLICY_PII_FIXTURE_H
#define AIGW_TESTS_UNIT_POLICY_PII_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "policy/pii/pii.h"

typedef struct {
    pol_pii_engine_t *e;
    pol_pii_scratch_t *s;
    pol_pii_session_t *ss;
    gw_buf_t out; /* for scrub calls; freed by fx_free */
} fx_t;

/* A fixture for the "pii" config `cfg_json` (NULL: defaults); fails the test with the engine's
 * error message when the config is refused. Free with fx_free. */
static inline fx_t *fx_new(const char *cfg_json)
{
    static const unsigned char zero_key[32];
    fx_t *f = calloc(1, sizeof(*f));
    char err[256];
    assert_non_null(f);
    json_t *cfg = cfg_json ? json_loads(cfg_json, 0, NULL) : NULL;
    if (cfg_json != NULL && cfg == NULL)
        fail_msg("fixture config is not JSON: %s", cfg_json);
    f->e = pol_pii_engine_create(cfg, zero_key, err, sizeof(err));
    json_decref(cfg);
    if (f->e == NULL)
        fail_msg("engine: %s", err);
    f->s = pol_pii_scratch_create(f->e);
    f->ss = pol_pii_session_create(f->e);
    assert_non_null(f->s);
    assert_non_null(f->ss);
    return f;
}

static inline void fx_free(fx_t *f)
{
    gw_buf_free(&f->out);
    pol_pii_session_free(f->ss);
    pol_pii_scratch_free(f->s);
    pol_pii_engine_free(f->e);
    free(f);
}

/* cmocka group/test setup and teardown: a default fixture in *state */
static inline int fx_setup(void **state)
{
    *state = fx_new(NULL);
    return 0;
}

static inline int fx_teardown(void **state)
{
    fx_free(*state);
    return 0;
}

/* scans `text` (default threshold) and locates the first occurrence of `value` in it: its bytes
 * [*st, *en); returns the entities (valid until the next scan of f->s), their count in *n */
static inline const pol_pii_entity_t *fx_scan_at(fx_t *f, const char *text, const char *value, size_t *n, size_t *st, size_t *en)
{
    const pol_pii_entity_t *ents;
    assert_int_equal(pol_pii_scan(f->e, f->s, text, strlen(text), &ents, n), 0);
    const char *p = strstr(text, value);
    assert_non_null(p);
    *st = (size_t)(p - text);
    *en = *st + strlen(value);
    return ents;
}

/* the type of the entity exactly covering the first occurrence of `value` in `text` (default
 * threshold), or -1 */
static inline int type_of(fx_t *f, const char *text, const char *value)
{
    size_t n, st, en;
    const pol_pii_entity_t *ents = fx_scan_at(f, text, value, &n, &st, &en);
    for (size_t i = 0; i < n; i++)
        if (ents[i].start == st && ents[i].end == en)
            return ents[i].type;
    return -1;
}

#endif
