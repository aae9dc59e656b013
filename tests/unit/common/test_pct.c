/*
 * Unit tests for common/pct.h: one escape (gw_pct_at) and the decoder (gw_pct_decode, _append) in its
 * lenient mode (what the scans of target, headers and body strings read) and its strict one (admin paths and
 * query strings): truncated and invalid escapes, %00, either case of hex digit, '+', bytes >= 0x80 and the
 * bounds of the output buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/pct.h"

static void test_pct_at(void **state)
{
    assert_int_equal(gw_pct_at("%41", 3, 0), 0x41);
    assert_int_equal(gw_pct_at("%4a", 3, 0), 0x4a);
    assert_int_equal(gw_pct_at("%4A", 3, 0), 0x4a);
    assert_int_equal(gw_pct_at("%fF", 3, 0), 0xff);
    assert_int_equal(gw_pct_at("%00", 3, 0), 0);
    assert_int_equal(gw_pct_at("x%20", 4, 1), 0x20);
    assert_int_equal(gw_pct_at("%4", 2, 0), -1);  /* truncated */
    assert_int_equal(gw_pct_at("%41", 2, 0), -1); /* truncated at n, whatever lies after */
    assert_int_equal(gw_pct_at("%", 1, 0), -1);
    assert_int_equal(gw_pct_at("%zz", 3, 0), -1);
    assert_int_equal(gw_pct_at("%4g", 3, 0), -1);
    assert_int_equal(gw_pct_at("%2\x10", 3, 0), -1); /* a control byte is no digit (0x10 | 0x20 is '0') */
    assert_int_equal(gw_pct_at("%\xc3\xa9", 3, 0), -1);
    assert_int_equal(gw_pct_at("a41", 3, 0), -1);  /* not at a '%' */
    assert_int_equal(gw_pct_at("%41", 3, 3), -1);  /* at the end */
    assert_int_equal(gw_pct_at("%41", 3, 99), -1); /* past it */
    (void)state;
}

static void test_decode_lenient(void **state)
{
    char out[32];
    size_t n = 99;
    assert_int_equal(gw_pct_decode("a%41%4a+b", 9, out, sizeof(out), 0, &n), 0);
    assert_int_equal(n, 5);
    assert_string_equal(out, "aAJ+b");
    assert_int_equal(gw_pct_decode("a%41%4a+b", 9, out, sizeof(out), GW_PCT_PLUS, &n), 0);
    assert_int_equal(n, 5);
    assert_string_equal(out, "aAJ b");
    /* invalid escapes are copied as written */
    assert_int_equal(gw_pct_decode("50% %zz x%4", 11, out, sizeof(out), 0, &n), 0);
    assert_int_equal(n, 11);
    assert_string_equal(out, "50% %zz x%4");
    /* %00 is a byte like any other; so are escapes of bytes >= 0x80 (not UTF-8 checked) */
    assert_int_equal(gw_pct_decode("a%00b%e5%BC%ff", 14, out, sizeof(out), 0, &n), 0);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "a\0b\xe5\xbc\xff", 7);
    /* a raw NUL is copied */
    assert_int_equal(gw_pct_decode("a\0b", 3, out, sizeof(out), 0, &n), 0);
    assert_int_equal(n, 3);
    /* an escape is decoded once: %2541 is "%41" */
    assert_int_equal(gw_pct_decode("%2541", 5, out, sizeof(out), 0, &n), 0);
    assert_string_equal(out, "%41");
    assert_int_equal(gw_pct_decode("", 0, out, sizeof(out), 0, &n), 0);
    assert_int_equal(n, 0);
    assert_string_equal(out, "");
    (void)state;
}

static void test_decode_strict(void **state)
{
    char out[8];
    assert_int_equal(gw_pct_decode("a%41+b", 6, out, sizeof(out), GW_PCT_STRICT | GW_PCT_PLUS, NULL), 0);
    assert_string_equal(out, "aA b");
    assert_int_equal(gw_pct_decode("a%41+b", 6, out, sizeof(out), GW_PCT_STRICT, NULL), 0);
    assert_string_equal(out, "aA+b"); /* '+' is literal in a path */
    assert_int_equal(gw_pct_decode("%4", 2, out, sizeof(out), GW_PCT_STRICT, NULL), -1);
    assert_int_equal(gw_pct_decode("%zz", 3, out, sizeof(out), GW_PCT_STRICT, NULL), -1);
    assert_int_equal(gw_pct_decode("50%", 3, out, sizeof(out), GW_PCT_STRICT, NULL), -1);
    assert_int_equal(gw_pct_decode("a%00b", 5, out, sizeof(out), GW_PCT_STRICT, NULL), -1);
    assert_int_equal(gw_pct_decode("a\0b", 3, out, sizeof(out), GW_PCT_STRICT, NULL), -1);
    assert_int_equal(gw_pct_decode("%C3%A9", 6, out, sizeof(out), GW_PCT_STRICT, NULL), 0);
    assert_string_equal(out, "\xc3\xa9");
    (void)state;
}

static void test_decode_bounds(void **state)
{
    char out[8];
    memset(out, 'x', sizeof(out));
    assert_int_equal(gw_pct_decode("1234567", 7, out, sizeof(out), 0, NULL), 0);
    assert_string_equal(out, "1234567");
    assert_int_equal(gw_pct_decode("12345678", 8, out, sizeof(out), 0, NULL), -1); /* no room for the NUL */
    assert_int_equal(gw_pct_decode("12345678", 8, out, sizeof(out), GW_PCT_STRICT, NULL), -1);
    /* what counts is the decoded length: 8 escapes are 8 bytes */
    assert_int_equal(gw_pct_decode("%31%32%33%34%35%36%37", 21, out, sizeof(out), 0, NULL), 0);
    assert_string_equal(out, "1234567");
    assert_int_equal(gw_pct_decode("%31%32%33%34%35%36%37%38", 24, out, sizeof(out), 0, NULL), -1);
    /* cap 0 holds not even the NUL; cap 1 holds only it. Nothing is written past cap. */
    char one[2] = {'x', 'y'};
    assert_int_equal(gw_pct_decode("", 0, one, 0, 0, NULL), -1);
    assert_int_equal(one[0], 'x');
    assert_int_equal(gw_pct_decode("a", 1, one, 1, 0, NULL), -1);
    assert_int_equal(one[1], 'y');
    assert_int_equal(gw_pct_decode("", 0, one, 1, 0, NULL), 0);
    assert_int_equal(one[0], '\0');
    (void)state;
}

static void test_decode_append(void **state)
{
    gw_buf_t b = GW_BUF_INIT;
    assert_int_equal(gw_buf_append(&b, "x=", 2), 0);
    assert_int_equal(gw_pct_decode_append(&b, "jane.doe%40example.com", 22, 0), 0);
    assert_int_equal(b.len, 22 - 2 + 2);
    assert_string_equal(b.base, "x=jane.doe@example.com");
    assert_int_equal(gw_pct_decode_append(&b, "%zz", 3, GW_PCT_STRICT), -1);
    assert_int_equal(b.len, 22); /* unchanged, still terminated */
    assert_string_equal(b.base, "x=jane.doe@example.com");
    /* a long input grows the buffer */
    char big[3000];
    for (size_t i = 0; i < sizeof(big); i += 3)
        memcpy(big + i, "%41", 3);
    gw_buf_reset(&b);
    assert_int_equal(gw_pct_decode_append(&b, big, sizeof(big), 0), 0);
    assert_int_equal(b.len, 1000);
    assert_int_equal(b.base[999], 'A');
    assert_int_equal(b.base[1000], '\0');
    gw_buf_free(&b);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pct_at),        cmocka_unit_test(test_decode_lenient), cmocka_unit_test(test_decode_strict),
        cmocka_unit_test(test_decode_bounds), cmocka_unit_test(test_decode_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
