/*
 * The admin API's query decoding (gateway/admin_privacy.h: gw_admin_query_param), shared by the privacy and ops
 * routes, its times (gw_admin_parse_time, also the CLI's --from/--to), and the one hex digit table (common/hex.h). Percent-decoding
 * itself: tests/unit/common/test_pct.c.
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

static int64_t parsed(const char *s)
{
    int64_t v = 12345;
    assert_int_equal(gw_admin_parse_time(s, &v), 0);
    return v;
}

static void refused(const char *s)
{
    int64_t v = 12345;
    if (gw_admin_parse_time(s, &v) != -1)
        fail_msg("time \"%s\" accepted as %lld µs", s, (long long)v);
    assert_int_equal(v, 12345); /* untouched */
}

static void test_parse_time(void **state)
{
    assert_int_equal(parsed("2026-11-21"), INT64_C(1795219200) * 1000000);
    assert_int_equal(parsed("2026-11-21T10:00:00Z"), INT64_C(1795255200) * 1000000);
    assert_int_equal(parsed("2026-11-21t10:00:00z"), INT64_C(1795255200) * 1000000); /* RFC 3339 5.6 note */
    assert_int_equal(parsed("1795219200"), INT64_C(1795219200) * 1000000);
    assert_int_equal(parsed("0"), 0);
    assert_int_equal(parsed("1970-01-01"), 0);
    assert_int_equal(parsed("2024-02-29"), INT64_C(1709164800) * 1000000); /* a leap year */
    assert_int_equal(parsed("2000-02-29"), INT64_C(951782400) * 1000000);  /* divisible by 400 */
    assert_int_equal(parsed("1969-12-31T23:59:59Z"), -1000000);
    assert_int_equal(parsed("2026-12-31T23:59:60Z"), parsed("2027-01-01")); /* a leap second is the next second */
    assert_int_equal(parsed("9999-12-31T23:59:59Z"), INT64_C(253402300799) * 1000000);
    assert_int_equal(parsed("9223372036854"), INT64_C(9223372036854) * 1000000); /* the largest that fits in µs */
    /* Dates that do not exist are refused, never rolled into the next month (strptime + timegm did). */
    refused("2026-02-29");
    refused("2026-02-31");
    refused("1900-02-29");
    refused("2026-04-31");
    refused("2026-13-01");
    refused("2026-00-10");
    refused("2026-01-00");
    refused("0000-01-01");
    refused("2026-01-01T24:00:00Z");
    refused("2026-01-01T23:60:00Z");
    refused("2026-01-01T23:59:61Z");
    refused("2026-01-01T10:00:60Z"); /* a leap second is 23:59:60 only (RFC 3339 5.7) */
    /* Other spellings: one form each, no blanks, signs, short fields or offsets. */
    refused("");
    refused(" 2026-01-01");
    refused("2026-01-01 ");
    refused("2026-1-1");
    refused("2026-01-01T1:2:3Z");
    refused("2026-01-01T10:00:00");
    refused("2026-01-01T10:00:00+00:00");
    refused("2026-01-01 10:00:00Z");
    refused("2026/01/01");
    refused("+5");
    refused(" 5");
    refused("-1");
    refused("1e3");
    refused("9223372036855");        /* µs would overflow int64 */
    refused("12345678901234567890"); /* 20 digits */
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hexval),
        cmocka_unit_test(test_query_param),
        cmocka_unit_test(test_parse_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
