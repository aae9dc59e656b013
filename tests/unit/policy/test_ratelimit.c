/*
 * policy/ratelimit: the pure bucket (refill, Retry-After, capacity, debt), the table's
 * all-or-nothing admission across user and client buckets, config errors, and 8 threads
 * hammering one user: exactly the limit gets through within one instant.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <pthread.h>

#include "policy/ratelimit.h"

#define T0 INT64_C(1000000000000)
#define SEC INT64_C(1000000)

static void test_bucket(void **state)
{
    (void)state;
    pol_bucket_t b = {0, 0};
    int64_t ra = -1;
    /* 60 per minute: starts full, 60 pass at once, the 61st waits one second */
    for (int i = 0; i < 60; i++)
        assert_int_equal(pol_ratelimit_take(&b, 60, T0, 1, &ra), 0);
    assert_int_equal(pol_ratelimit_take(&b, 60, T0, 1, &ra), POL_RATELIMIT_LIMITED);
    assert_int_equal(ra, 1000);
    assert_int_equal(pol_ratelimit_take(&b, 60, T0 + SEC / 2, 1, &ra), POL_RATELIMIT_LIMITED);
    assert_int_equal(ra, 500);
    assert_int_equal(pol_ratelimit_take(&b, 60, T0 + SEC, 1, &ra), 0);
    /* a long idle period refills to capacity, not beyond */
    assert_int_equal(pol_ratelimit_take(&b, 60, T0 + 3600 * SEC, 60, &ra), 0);
    assert_int_equal(pol_ratelimit_take(&b, 60, T0 + 3600 * SEC, 1, &ra), POL_RATELIMIT_LIMITED);
    /* above capacity: never */
    assert_int_equal(pol_ratelimit_take(&b, 60, T0, 61, &ra), POL_RATELIMIT_E_TOO_BIG);
    /* debt: taking more after the fact delays the next take */
    pol_bucket_t t = {0, 0};
    assert_int_equal(pol_ratelimit_take(&t, 1000, T0, 100, &ra), 0);
    pol_ratelimit_adjust(&t, 1000, T0, 1400); /* actual was 1500: 600 in debt */
    assert_int_equal(pol_ratelimit_take(&t, 1000, T0, 1, &ra), POL_RATELIMIT_LIMITED);
    assert_int_equal(ra, 30060); /* level 1000 - 100 - 1400 = -500: 501 tokens at 1000/min */
    /* refunds give tokens back */
    pol_bucket_t r = {0, 0};
    assert_int_equal(pol_ratelimit_take(&r, 100, T0, 100, &ra), 0);
    pol_ratelimit_adjust(&r, 100, T0, -40);
    assert_int_equal(pol_ratelimit_take(&r, 100, T0, 40, &ra), 0);
}

static pol_ratelimit_t *limiter(const char *json)
{
    char err[256] = "";
    json_t *c = json_loads(json, 0, NULL);
    pol_ratelimit_t *rl = pol_ratelimit_new(c, err, sizeof(err));
    json_decref(c);
    if (rl == NULL)
        fail_msg("ratelimit: %s", err);
    return rl;
}

static void test_table(void **state)
{
    (void)state;
    pol_ratelimit_t *rl = limiter("{\"per_user\": {\"requests_per_minute\": 2, \"tokens_per_minute\": 1000},"
                                  " \"per_client\": {\"requests_per_minute\": 3}}");
    int64_t ra;
    assert_true(pol_ratelimit_enabled(rl));
    assert_int_equal(pol_ratelimit_admit(rl, "a", "web", T0, 100, &ra), 0);
    assert_int_equal(pol_ratelimit_admit(rl, "a", "web", T0, 100, &ra), 0);
    assert_int_equal(pol_ratelimit_admit(rl, "a", "web", T0, 100, &ra), POL_RATELIMIT_LIMITED); /* user rpm */
    assert_int_equal(ra, 30000);
    assert_int_equal(pol_ratelimit_admit(rl, "b", "web", T0, 100, &ra), 0); /* client's 3rd */
    /* client exhausted: b is refused, and b's own bucket was not charged (all or nothing) */
    assert_int_equal(pol_ratelimit_admit(rl, "b", "web", T0, 100, &ra), POL_RATELIMIT_LIMITED);
    assert_int_equal(pol_ratelimit_admit(rl, "b", "app", T0, 100, &ra), 0);
    /* tokens per user: 900 of 1000, then 200 does not fit until the settlement gives 200 back */
    assert_int_equal(pol_ratelimit_admit(rl, "c", NULL, T0, 900, &ra), 0);
    assert_int_equal(pol_ratelimit_admit(rl, "c", NULL, T0, 200, &ra), POL_RATELIMIT_LIMITED);
    pol_ratelimit_settle(rl, "c", NULL, T0, 900, 700);                     /* 200 back */
    assert_int_equal(pol_ratelimit_admit(rl, "c", NULL, T0, 200, &ra), 0); /* fits now (the refusal took nothing) */
    assert_int_equal(pol_ratelimit_admit(rl, "c", NULL, T0, 1, &ra), POL_RATELIMIT_LIMITED); /* 3rd request: rpm */
    assert_int_equal(pol_ratelimit_admit(rl, "d", NULL, T0, 5000, &ra), POL_RATELIMIT_E_TOO_BIG);
    assert_int_equal(ra, 60000);
    /* a minute later everything is full again, and idle entries are dropped as the table grows */
    for (int i = 0; i < 5000; i++) {
        char u[32];
        snprintf(u, sizeof(u), "user-%d", i);
        assert_int_equal(pol_ratelimit_admit(rl, u, NULL, T0 + 120 * SEC + i * 20000, 1, &ra), 0);
    }
    assert_int_equal(pol_ratelimit_admit(rl, "a", "web", T0 + 61 * SEC, 100, &ra), 0);
    pol_ratelimit_free(rl);
    /* no config: everything passes */
    rl = limiter("{}");
    assert_false(pol_ratelimit_enabled(rl));
    assert_int_equal(pol_ratelimit_admit(rl, "a", "b", T0, 1 << 30, &ra), 0);
    pol_ratelimit_free(rl);
}

static void test_config_errors(void **state)
{
    (void)state;
    const char *bad[] = {"[]", "{\"per_users\": {}}", "{\"per_user\": {\"requests_per_minute\": 0}}",
                         "{\"per_user\": {\"rpm\": 5}}", "{\"per_client\": 5}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[256] = "";
        json_t *c = json_loads(bad[i], 0, NULL);
        assert_null(pol_ratelimit_new(c, err, sizeof(err)));
        assert_true(strncmp(err, "rate_limits", 11) == 0);
        json_decref(c);
    }
}

typedef struct st_hammer_t {
    pol_ratelimit_t *rl;
    int ok;
    pthread_mutex_t lock;
} hammer_t;

static void *hammer(void *arg)
{
    hammer_t *h = arg;
    int ok = 0;
    for (int i = 0; i < 1000; i++) {
        int64_t ra;
        if (pol_ratelimit_admit(h->rl, "busy", "c", T0, 1, &ra) == 0)
            ok++;
    }
    pthread_mutex_lock(&h->lock);
    h->ok += ok;
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    hammer_t h = {limiter("{\"per_user\": {\"requests_per_minute\": 500}}"), 0, PTHREAD_MUTEX_INITIALIZER};
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, hammer, &h);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(h.ok, 500);
    pol_ratelimit_free(h.rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bucket),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
