/*
 * The admin API's query decoding (gateway/admin_privacy.h: gw_admin_query_param), shared by the privacy and ops
 * routes, and the one hex digit table (common/hex.h). Percent-decoding itself: tests/unit/common/test_pct.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "gateway/admin_privacy.h"

static void test_hexval(void **state)
{
    assert_int_equal(gw_hexval('0'), 0);
    assert_int_equal(gw_hexval('9'), 9);
    assert_int_equal(gw_hexval('a'), 10);
    assert_int_equal(gw_hexval('F'), 15);
    assert_int_equal(gw_hexval('g'), -1);
    assert_int_equal(gw_hexval('/'), -1);
    assert_int_equal(gw_hexval(-61), -1); /* a signed char above 0x7f */
    (void)state;
}

static void test_query_param(void **state)
{
    char out[16];
    const char *q = "from=2026-01-01&group_by=user%2Cday&flag&to=x+y";
    assert_int_equal(gw_admin_query_param(q, "from", out, sizeof(out)), 1);
    assert_string_equal(out, "2026-01-01");
    assert_int_equal(gw_admin_query_param(q, "group_by", out, sizeof(out)), 1);
    assert_string_equal(out, "user,day");
    assert_int_equal(gw_admin_query_param(q, "to", out, sizeof(out)), 1);
    assert_string_equal(out, "x y");
    assert_int_equal(gw_admin_query_param(q, "flag", out, sizeof(out)), 1); /* present without a value */
    assert_string_equal(out, "");
    assert_int_equal(gw_admin_query_param(q, "fro", out, sizeof(out)), 0); /* a prefix of a name is not the name */
    assert_int_equal(gw_admin_query_param(q, "format", out, sizeof(out)), 0);
    assert_int_equal(gw_admin_query_param(NULL, "from", out, sizeof(out)), 0);
    assert_int_equal(gw_admin_query_param("limit=%zz", "limit", out, sizeof(out)), -1);
    assert_int_equal(gw_admin_query_param("cursor=0123456789abcdef", "cursor", out, sizeof(out)), -1); /* too long */
    assert_int_equal(gw_admin_query_param("a=1&a=2", "a", out, sizeof(out)), 1);
    assert_string_equal(out, "1");
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hexval),
        cmocka_unit_test(test_query_param),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
