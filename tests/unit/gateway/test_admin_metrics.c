/*
 * Admin route -> role table, role checks, and the Prometheus rendering of worker counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gateway/admin.h"
#include "gateway/metrics.h"

#define ROLE(m, p) gw_admin_route_role(m, strlen(m), p, strlen(p))

static void test_route_roles(void **state)
{
    assert_string_equal(ROLE("DELETE", "/users/alice"), "privacy");
    assert_string_equal(ROLE("GET", "/users/alice/export"), "privacy");
    assert_string_equal(ROLE("PUT", "/users/alice/consent"), "privacy");
    assert_string_equal(ROLE("GET", "/redactions"), "privacy");
    assert_string_equal(ROLE("GET", "/redactions/summary"), "privacy");
    assert_string_equal(ROLE("GET", "/retention"), "privacy");
    assert_string_equal(ROLE("POST", "/purge"), "privacy");
    assert_string_equal(ROLE("GET", "/users/alice"), "ops");
    assert_string_equal(ROLE("POST", "/users/alice/credits"), "ops");
    assert_string_equal(ROLE("GET", "/usage"), "ops");
    assert_null(ROLE("GET", "/users/alice/unknown"));
    assert_null(ROLE("PATCH", "/users/alice"));
    assert_null(ROLE("GET", "/redactionsX"));
    assert_null(ROLE("GET", "/"));
}

static void test_role_allows(void **state)
{
    assert_true(gw_admin_role_allows("privacy", "privacy"));
    assert_true(gw_admin_role_allows("ops", "ops"));
    assert_true(gw_admin_role_allows("admin", "ops"));
    assert_true(gw_admin_role_allows("admin", "privacy"));
    assert_false(gw_admin_role_allows("ops", "privacy"));
    assert_false(gw_admin_role_allows("privacy", "ops"));
}

static const char *type_name(const void *ctx, int t)
{
    static const char *const names[] = {"EMAIL_ADDRESS", "PHONE_NUMBER", NULL};
    return t < 2 ? names[t] : NULL;
}

static void test_render_sums_workers(void **state)
{
    static gw_metrics_t a, b;
    gw_metrics_request(&a, 0, 200, 1500, 40, 1400, 100, 200);
    gw_metrics_request(&b, 0, 200, 3000, 60, 2900, 50, 20);
    gw_metrics_request(&b, -1, 404, 30, 30, -1, 0, 90);
    gw_metrics_request(&a, 0, 504, 2000000, 50, 2000000, 10, 0);
    gw_metrics_add(&a.redactions[0], 2);
    gw_metrics_add(&b.redactions[0], 1);
    gw_metrics_t *ms[] = {&a, &b};
    gw_buf_t out = GW_BUF_INIT;
    assert_int_equal(gw_metrics_render(ms, 2, type_name, NULL, NULL, NULL, &out), 0);
    assert_non_null(strstr(out.base, "aigw_requests_total{provider=\"openai\",status=\"200\"} 2\n"));
    assert_non_null(strstr(out.base, "aigw_requests_total{provider=\"none\",status=\"404\"} 1\n"));
    assert_non_null(strstr(out.base, "aigw_requests_total{provider=\"openai\",status=\"504\"} 1\n"));
    assert_non_null(strstr(out.base, "aigw_request_duration_seconds_count 4\n"));
    assert_non_null(strstr(out.base, "aigw_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"));
    assert_non_null(strstr(out.base, "aigw_request_duration_seconds_bucket{le=\"0.0025\"} 2\n")); /* 30 µs and 1.5 ms */
    assert_non_null(strstr(out.base, "aigw_upstream_seconds_count 3\n"));                         /* not for the 404 */
    assert_non_null(strstr(out.base, "aigw_redactions_total{type=\"EMAIL_ADDRESS\"} 3\n"));
    assert_non_null(strstr(out.base, "aigw_redactions_total{type=\"PHONE_NUMBER\"} 0\n"));
    assert_non_null(strstr(out.base, "aigw_response_bytes_total 310\n"));
    assert_non_null(strstr(out.base, "aigw_upstream_errors_total 1\n"));
    gw_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_roles),
        cmocka_unit_test(test_role_allows),
        cmocka_unit_test(test_render_sums_workers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
