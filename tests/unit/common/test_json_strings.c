/*
 * Unit tests for common/json's string literals: the scanner's fast paths at every offset, and the
 * escaper and unescaper (json_strings.c, json_escape.c).
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

#include "common/json.h"
#include "support/json_rec.h"

static int validate(const char *s, size_t n)
{
    return gw_json_validate(s, n, NULL, NULL);
}

/* Every special byte at every offset of strings of every length up to 40: exercises the 8-byte fast path. */
static void test_string_scanner_offsets(void **state)
{
    static const struct {
        const char *ins;
        int rc;
    } specials[] = {{"\\n", 0},
                    {"\\u00e9", 0},
                    {"\xc3\xa9", 0},
                    {"\x01", GW_JSON_E_SYNTAX},
                    {"\x1f", GW_JSON_E_SYNTAX},
                    {"\xff", GW_JSON_E_UTF8},
                    {"\"", GW_JSON_E_SYNTAX},
                    {" ", 0},
                    {"\x7f", 0}};
    char buf[64];
    for (size_t s = 0; s < sizeof(specials) / sizeof(specials[0]); s++) {
        for (size_t len = 0; len < 40; len++) {
            for (size_t at = 0; at <= len; at++) {
                size_t n = 0, il = strlen(specials[s].ins);
                buf[n++] = '"';
                for (size_t i = 0; i < at; i++)
                    buf[n++] = 'x';
                memcpy(buf + n, specials[s].ins, il);
                n += il;
                for (size_t i = at; i < len; i++)
                    buf[n++] = 'y';
                buf[n++] = '"';
                int rc = validate(buf, n);
                if (rc != specials[s].rc)
                    fail_msg("special %zu len %zu at %zu: got %d want %d", s, len, at, rc, specials[s].rc);
            }
        }
    }
    (void)state;
}

/* ---------------------------------------------------------------------------------------------- */
/* escape / unescape */

static void test_escape_unescape(void **state)
{
    gw_buf_t b = GW_BUF_INIT;
    assert_int_equal(gw_json_unescape("\"a\\u00e9\\ud83d\\ude00\\n\\/\\u0000z\"", 32, &b), 0);
    assert_int_equal(b.len, 11);
    assert_memory_equal(b.base, "a\xc3\xa9\xf0\x9f\x98\x80\n/\0z", 11);
    gw_buf_reset(&b);
    assert_int_equal(gw_json_unescape("\"abc", 4, &b), GW_JSON_E_SYNTAX);
    assert_int_equal(gw_json_unescape("\"a\" ", 4, &b), GW_JSON_E_SYNTAX);
    assert_int_equal(gw_json_unescape("\"\\udc00\"", 8, &b), GW_JSON_E_UTF8);
    assert_int_equal(gw_json_unescape("x", 1, &b), GW_JSON_E_SYNTAX);
    gw_buf_reset(&b);
    assert_int_equal(gw_json_escape("a\"\\\b\f\n\r\t\x01\x7f\xc3\xa9\xff|\xe2\x82", 16, &b), 0);
    assert_string_equal(b.base, "\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\x7f\xc3\xa9\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\"");
    /* long runs (the 16-byte fast path) with a special byte at every position class, and jansson's upper-case hex */
    gw_buf_reset(&b);
    assert_int_equal(gw_json_escape_flags("0123456789abcdef\x1f"
                                          "0123456789abcdef\xc3\xa9"
                                          "0123456789abcde\"\xff",
                                          52, &b, GW_JSON_ESC_UPPER_HEX),
                     0);
    assert_string_equal(b.base, "\"0123456789abcdef\\u001F0123456789abcdef\xc3\xa9"
                                "0123456789abcde\\\"\xef\xbf\xbd\"");
    gw_buf_reset(&b);
    assert_int_equal(gw_json_escape("0123456789abcdef\x1f", 17, &b), 0);
    assert_string_equal(b.base, "\"0123456789abcdef\\u001f\"");
    /* round trip through both */
    const char text[] = "line\none \"q\" \\ \x02 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80";
    gw_buf_t e = GW_BUF_INIT, d = GW_BUF_INIT;
    assert_int_equal(gw_json_escape(text, sizeof(text) - 1, &e), 0);
    assert_int_equal(validate(e.base, e.len), 0);
    assert_int_equal(gw_json_unescape(e.base, e.len, &d), 0);
    assert_int_equal(d.len, sizeof(text) - 1);
    assert_memory_equal(d.base, text, d.len);
    gw_buf_free(&b);
    gw_buf_free(&e);
    gw_buf_free(&d);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_string_scanner_offsets),
        cmocka_unit_test(test_escape_unescape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
