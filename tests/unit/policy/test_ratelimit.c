/*
 * policy/ratelimit: the pure bucket (refill, Retry-After, capacity, debt), the table's
 * all-or-nothing admission across user and client buckets, config errors, and 8 threads
 * hammering one user: exactly the limit gets through within one instant; shared mode (two
 * limiters and one shared bucket the test answers for, as the store does across instances).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
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

/* ---- shared mode: two limiters ("instances") and one shared bucket that this test answers for ---- */

typedef struct st_question_t {
    pol_ratelimit_t *rl;
    char key[64];
    char kind;
    int64_t per_minute, debt, want;
} question_t;

typedef struct st_shared_t {
    question_t q[64];
    int nq;
    int64_t tokens; /* the shared bucket (no refill within the test's instant) */
    int64_t charged;
    int refuse_asks;
} shared_t;

typedef struct st_inst_t {
    shared_t *sh;
    pol_ratelimit_t *rl;
} inst_t;

static int ask(void *ctx, const char *key, char kind, int64_t per_minute, int64_t debt, int64_t want)
{
    inst_t *in = ctx;
    if (in->sh->refuse_asks || in->sh->nq == 64)
        return -1;
    question_t *q = &in->sh->q[in->sh->nq++];
    q->rl = in->rl;
    snprintf(q->key, sizeof(q->key), "%s", key);
    q->kind = kind;
    q->per_minute = per_minute;
    q->debt = debt;
    q->want = want;
    return 0;
}

/* Answers every question asked so far, as the store's shared bucket does (debt first, then grant). */
static void answer_all(shared_t *sh, int64_t now)
{
    for (int i = 0; i < sh->nq; i++) {
        question_t *q = &sh->q[i];
        sh->tokens -= q->debt;
        sh->charged += q->debt;
        int64_t g = sh->tokens > 0 ? (sh->tokens < q->want ? sh->tokens : q->want) : 0;
        sh->tokens -= g;
        sh->charged += g;
        pol_ratelimit_granted(q->rl, q->key, q->kind, q->debt, q->want, g, now, g < q->want ? 2000 : 0);
    }
    sh->nq = 0;
}

static void test_shared(void **state)
{
    (void)state;
    shared_t sh = {.tokens = 30};
    inst_t a = {&sh, limiter("{\"per_user\": {\"requests_per_minute\": 30}}")};
    inst_t b = {&sh, limiter("{\"per_user\": {\"requests_per_minute\": 30}}")};
    pol_ratelimit_share_t sa = {ask, &a}, sb = {ask, &b};
    pol_ratelimit_share(a.rl, &sa);
    pol_ratelimit_share(b.rl, &sb);
    int64_t ra = 0;
    int ok = 0, limited = 0;
    /* 40 requests alternating between the instances, the shared bucket answering after each */
    for (int i = 0; i < 40; i++) {
        int rc = pol_ratelimit_admit(i % 2 ? b.rl : a.rl, "ann", NULL, T0, 0, &ra);
        if (rc == 0)
            ok++;
        else {
            assert_int_equal(rc, POL_RATELIMIT_LIMITED);
            assert_true(ra >= 1000); /* 1 s while a question is out, else the shared bucket's refill time */
            limited++;
        }
        answer_all(&sh, T0);
    }
    /* the limit (30) for both together: everything admitted was charged to the shared bucket */
    assert_int_equal(ok + limited, 40);
    assert_true(ok <= 30);
    assert_true(ok >= 24); /* at most two blocks (3 each) sit unspent, one per instance and a spare */
    assert_true(sh.charged <= 30 + 2 * 3);
    assert_true(sh.charged >= ok);
    /* a first block is admitted before the shared bucket answers, and charged as debt */
    inst_t c = {&sh, limiter("{\"per_user\": {\"requests_per_minute\": 30}}")};
    pol_ratelimit_share_t sc = {ask, &c};
    pol_ratelimit_share(c.rl, &sc);
    int64_t before = sh.charged;
    assert_int_equal(pol_ratelimit_admit(c.rl, "ann", NULL, T0, 0, &ra), 0);
    assert_int_equal(sh.nq, 1);
    assert_int_equal(sh.q[0].debt, 3);
    answer_all(&sh, T0);
    assert_int_equal(sh.charged - before, 3); /* the bucket was empty: the debt, no grant */
    assert_int_equal(pol_ratelimit_admit(c.rl, "ann", NULL, T0, 0, &ra), 0);
    assert_int_equal(pol_ratelimit_admit(c.rl, "ann", NULL, T0, 0, &ra), 0);
    assert_int_equal(pol_ratelimit_admit(c.rl, "ann", NULL, T0, 0, &ra), POL_RATELIMIT_LIMITED);
    assert_int_equal(ra, 2000); /* dry: the shared bucket's refill time, no question before it */
    assert_int_equal(sh.nq, 0);
    /* a question that cannot be asked keeps its debt for the next one */
    sh.refuse_asks = 1;
    assert_int_equal(pol_ratelimit_admit(c.rl, "bob", NULL, T0, 0, &ra), 0);
    sh.refuse_asks = 0;
    assert_int_equal(pol_ratelimit_admit(c.rl, "bob", NULL, T0, 0, &ra), 0);
    assert_int_equal(sh.nq, 1);
    assert_int_equal(sh.q[0].debt, 3);
    pol_ratelimit_free(a.rl);
    pol_ratelimit_free(b.rl);
    pol_ratelimit_free(c.rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bucket),  cmocka_unit_test(test_table),  cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_threads), cmocka_unit_test(test_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
