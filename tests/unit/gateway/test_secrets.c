/*
 * gw_secrets: provider and client keys are masked wherever they appear in bytes returned to a
 * client, including across the chunks of a stream (holdback).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
        cmocka_unit_test(test_holdback),
        cmocka_unit_test(test_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
