/* Unit tests for policy/retention: defaults from issue 5, config parsing with errors that name
 * the key, expires_at arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include "policy/retention.h"

static void test_defaults(void **state)
{
    pol_retention_t r;
    char err[256] = "";
    assert_int_equal(pol_retention_parse(NULL, &r, err, sizeof(err)), 0);
    assert_true(r.ttl_us[POL_RET_CALL_LOG] == 90 * POL_RET_US_PER_DAY);
    assert_true(r.ttl_us[POL_RET_REDACTION_LOG] == 90 * POL_RET_US_PER_DAY);
    assert_true(r.ttl_us[POL_RET_ACCESS_LOG] == 30 * POL_RET_US_PER_DAY);
    assert_true(r.ttl_us[POL_RET_IMAGE_PAYLOAD] == 0);
    assert_false(pol_retention_keeps(&r, POL_RET_IMAGE_PAYLOAD));
    assert_true(pol_retention_keeps(&r, POL_RET_CALL_LOG));
    assert_string_equal(pol_retention_key(POL_RET_ACCESS_LOG), "access_log_days");
    assert_string_equal(pol_retention_name(POL_RET_IMAGE_PAYLOAD), "image_payload");
}

static void test_parse(void **state)
{
    pol_retention_t r;
    char err[256] = "";
    json_t *cfg = json_loads("{\"call_log_days\": 7, \"image_payload_hours\": 24}", 0, NULL);
    assert_int_equal(pol_retention_parse(cfg, &r, err, sizeof(err)), 0);
    assert_true(r.ttl_us[POL_RET_CALL_LOG] == 7 * POL_RET_US_PER_DAY);
    assert_true(r.ttl_us[POL_RET_IMAGE_PAYLOAD] == 24 * POL_RET_US_PER_HOUR);
    assert_true(r.ttl_us[POL_RET_ACCESS_LOG] == 30 * POL_RET_US_PER_DAY); /* absent: default */
    json_decref(cfg);

    const char *bad[] = {"{\"call_log_dayz\": 1}", "{\"call_log_days\": -1}", "{\"access_log_days\": \"30\"}",
                         "{\"redaction_log_days\": 100000}", "[]"};
    const char *names[] = {"call_log_dayz", "call_log_days", "access_log_days", "redaction_log_days", "retention"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cfg = json_loads(bad[i], 0, NULL);
        assert_non_null(cfg);
        err[0] = '\0';
        assert_int_equal(pol_retention_parse(cfg, &r, err, sizeof(err)), -1);
        assert_non_null(strstr(err, names[i]));
        json_decref(cfg);
    }
}

static void test_expires_at(void **state)
{
    pol_retention_t r;
    pol_retention_defaults(&r);
    int64_t t = INT64_C(1760000000000000);
    assert_true(pol_retention_expires_at(&r, POL_RET_ACCESS_LOG, t) == t + 30 * POL_RET_US_PER_DAY);
    assert_true(pol_retention_expires_at(&r, POL_RET_IMAGE_PAYLOAD, t) == t);                /* 0 h: expired at once */
    assert_true(pol_retention_expires_at(&r, POL_RET_CALL_LOG, INT64_MAX - 5) == INT64_MAX); /* saturates */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_expires_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
