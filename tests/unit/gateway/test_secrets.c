/*
 * gw_secrets: provider and client keys are masked wherever they appear in bytes returned to a
 * client, including across the chunks of a stream (holdback).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gateway/secrets.h"

static const char KEY1[] = "sk-upstream-test";
static const char KEY2[] = "AIza-upstream-gemini-0001";

static void setup_set(gw_secrets_t *s)
{
    gw_secrets_reset(s);
    assert_int_equal(gw_secrets_add(s, KEY1, strlen(KEY1)), 0);
    assert_int_equal(gw_secrets_add(s, KEY2, strlen(KEY2)), 0);
    assert_int_equal(gw_secrets_add(s, "", 0), 0);      /* empty key: ignored */
    assert_int_equal(gw_secrets_add(s, "short", 5), 0); /* too short: ignored */
    assert_int_equal(gw_secrets_add(s, KEY1, strlen(KEY1)), 0);
    assert_int_equal(s->n, 2);
}

static void test_mask(void **state)
{
    gw_secrets_t s;
    setup_set(&s);
    char body[] = "{\"error\":{\"message\":\"Incorrect API key provided: sk-upstream-test (and sk-upstream-test, "
                  "AIza-upstream-gemini-0001)\"}}";
    size_t len = strlen(body);
    assert_int_equal(gw_secrets_mask(&s, body, len), 3);
    assert_int_equal(strlen(body), len); /* same length: Content-Length stays right */
    assert_null(strstr(body, "sk-upstream"));
    assert_null(strstr(body, "AIza-upstream"));
    assert_non_null(strstr(body, "provided: **************** (and ****************, *************************)"));
    char clean[] = "nothing to see: sk-upstream-tes";
    assert_int_equal(gw_secrets_mask(&s, clean, strlen(clean)), 0);
    assert_string_equal(clean, "nothing to see: sk-upstream-tes");
}

/* The masking before the search changed: one memmem per secret, in the set's order. */
static size_t mask_reference(const gw_secrets_t *s, char *buf, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < s->n; i++) {
        char *p = buf, *end = buf + len;
        while ((size_t)(end - p) >= s->v[i].len && (p = memmem(p, (size_t)(end - p), s->v[i].base, s->v[i].len)) != NULL) {
            memset(p, '*', s->v[i].len);
            p += s->v[i].len;
            count++;
        }
    }
    return count;
}

/* Every key at every offset of buffers of every length up to 96 bytes (across the search's 16-byte blocks, at the very
 * start and the very end, each buffer exactly its length for ASan), and 20,000 random buffers made of the keys' own
 * bytes with keys that overlap one another (a key inside another, one starting where another ends), all masked as
 * the memmem passes did: same bytes, same count. */
static void test_mask_every_position(void **state)
{
    (void)state;
    static const char *const keys[] = {KEY1, KEY2, "test-AIza-up", "sk-sk-sk-sk-sk"};
    gw_secrets_t s;
    gw_secrets_reset(&s);
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        assert_int_equal(gw_secrets_add(&s, keys[k], strlen(keys[k])), 0);
    size_t checked = 0;
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        size_t kl = strlen(keys[k]);
        for (size_t len = kl - 1; len <= 96; len++)
            for (size_t at = 0; at <= len; at++) {
                char *a = malloc(len + 1), *b = malloc(len + 1);
                assert_non_null(a);
                assert_non_null(b);
                for (size_t i = 0; i < len; i++)
                    a[i] = "-sk*tx"[(i * 5 + len) % 6];
                memcpy(a + at, keys[k], at + kl <= len ? kl : len - at); /* cut by the end when it does not fit */
                memcpy(b, a, len);
                size_t want = mask_reference(&s, b, len);
                assert_int_equal(gw_secrets_mask(&s, a, len), want);
                assert_memory_equal(a, b, len);
                if (at + kl <= len)
                    assert_true(want >= 1);
                free(a);
                free(b);
                checked++;
            }
    }
    assert_true(checked > 10000);
    const char alphabet[] = "sk-upstream-testAIzagemini0001*";
    unsigned seed = 4242;
    size_t masked = 0;
    for (int r = 0; r < 20000; r++) {
        size_t len = (size_t)(r % 150);
        char *a = malloc(len + 1), *b = malloc(len + 1);
        assert_non_null(a);
        assert_non_null(b);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            a[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
        }
        for (int j = 0; len != 0 && j < r % 4; j++) { /* keys at random places, overlapping, maybe cut by the end */
            seed = seed * 1103515245u + 12345u;
            const char *k = keys[(seed >> 16) % (sizeof(keys) / sizeof(keys[0]))];
            size_t at = (seed >> 4) % len, kl = strlen(k);
            memcpy(a + at, k, at + kl <= len ? kl : len - at);
        }
        memcpy(b, a, len);
        size_t want = mask_reference(&s, b, len);
        assert_int_equal(gw_secrets_mask(&s, a, len), want);
        assert_memory_equal(a, b, len);
        masked += want;
        free(a);
        free(b);
    }
    assert_true(masked > 5000); /* the random buffers held keys */
}

static void test_holdback(void **state)
{
    gw_secrets_t s;
    setup_set(&s);
    assert_int_equal(gw_secrets_holdback(&s, "data: abc sk-ups", 16), 6);
    assert_int_equal(gw_secrets_holdback(&s, "data: abc s", 11), 1);
    assert_int_equal(gw_secrets_holdback(&s, "data: abc AIza-upstream-gemini-000", 34), 24);
    assert_int_equal(gw_secrets_holdback(&s, "data: abc", 9), 0);
    assert_int_equal(gw_secrets_holdback(&s, "sk-upstream-test", 16), 0); /* whole: masked, not held */
    assert_int_equal(gw_secrets_holdback(&s, "", 0), 0);
    assert_int_equal(gw_secrets_holdback(&s, "sk", 2), 2);
}

/* A key split across two chunks never leaves: hold back, then mask when the rest arrives. */
static void test_stream(void **state)
{
    gw_secrets_t s;
    setup_set(&s);
    const char *chunks[] = {"data: {\"t\":\"key sk-up", "stream-te", "st\"}\n\n"};
    char pending[256];
    size_t plen = 0;
    char sent[256];
    size_t slen = 0;
    for (size_t i = 0; i < 3; i++) {
        memcpy(pending + plen, chunks[i], strlen(chunks[i]));
        plen += strlen(chunks[i]);
        gw_secrets_mask(&s, pending, plen);
        size_t keep = i == 2 ? 0 : gw_secrets_holdback(&s, pending, plen);
        memcpy(sent + slen, pending, plen - keep);
        slen += plen - keep;
        memmove(pending, pending + plen - keep, keep);
        plen = keep;
    }
    sent[slen] = '\0';
    assert_string_equal(sent, "data: {\"t\":\"key ****************\"}\n\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_mask_every_position),
        cmocka_unit_test(test_holdback),
        cmocka_unit_test(test_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
