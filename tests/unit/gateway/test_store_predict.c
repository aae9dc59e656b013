/*
 * The privacy store, asynchronous predictions (store_predict.h; store_fixture.h runs each test on
 * SQLite and on PostgreSQL): the row written with the creating call, reads by the owner only, one
 * settlement claimed by concurrent terminal reads, the expiry sweep and erasure.
 */
#include "store_fixture.h"

static gw_predict_rec_t *mkpredict(const char *id, int open, const char *vault, int64_t expires)
{
    gw_predict_rec_t *p = calloc(1, sizeof(*p));
    snprintf(p->provider, sizeof(p->provider), "replicate");
    snprintf(p->id, sizeof(p->id), "%s", id);
    p->client = strdup("backend");
    p->model = strdup("meta/llama");
    p->markup_permille = 1000;
    p->reserved = 1000;
    p->open_reservation = open;
    p->expires_at_us = expires;
    if (vault != NULL) {
        p->vault = strdup(vault);
        p->vault_len = strlen(vault);
    }
    return p;
}

typedef struct st_claim_arg_t {
    gw_store_t *st;
    int claimed;
    int rc;
} claim_arg_t;

static void *claim_thread(void *arg)
{
    claim_arg_t *a = arg;
    gw_predict_row_t row;
    a->rc = gw_store_predict_read(a->st, "replicate", "pred1", "u-pred", "backend", 1, &row);
    a->claimed = row.claimed;
    gw_predict_row_free(&row);
    return NULL;
}

static void test_predictions(void **state)
{
    fx_t *fx = *state;
    static const char vault[] = "[[\"<PERSON_1>\",\"Jane Roe\"]]";
    int64_t bal = 0;
    assert_int_equal(gw_store_reserve(fx->st, "u-pred", "rid-pred1", 1000, 5000, &bal), 0);
    assert_int_equal(gw_store_reserve(fx->st, "u-pred", "rid-pred2", 1000, 5000, &bal), 0);
    gw_call_rec_t *r = mkcall("rid-pred1", "u-pred", T0, "{}", "{}", 0);
    r->predict = mkpredict("pred1", 1, vault, T0 + 86400 * INT64_C(1000000));
    submit_call(fx->st, r);
    r = mkcall("rid-pred2", "u-pred", T0, "{}", "{}", 0);
    r->predict = mkpredict("pred2", 1, NULL, T0 + 3600 * INT64_C(1000000));
    submit_call(fx->st, r);
    assert_int_equal(gw_store_flush(fx->st), 0);
    /* sealed at rest: the value is not in the table */
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM predictions WHERE user_id = ?", "u-pred"), 2);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM predictions WHERE CAST(vault_ct AS TEXT) LIKE '%Jane%'", NULL), 0);

    gw_predict_row_t row;
    /* another user, or the same user through another client: the row, never the vault */
    assert_int_equal(gw_store_predict_read(fx->st, "replicate", "pred1", "u-other", "backend", 0, &row), 0);
    assert_null(row.vault);
    assert_string_equal(row.request_id, "rid-pred1");
    gw_predict_row_free(&row);
    assert_int_equal(gw_store_predict_read(fx->st, "replicate", "pred1", "u-pred", "other-client", 0, &row), 0);
    assert_null(row.vault);
    gw_predict_row_free(&row);
    /* the creator, not terminal yet: the vault, no claim */
    assert_int_equal(gw_store_predict_read(fx->st, "replicate", "pred1", "u-pred", "backend", 0, &row), 0);
    assert_non_null(row.vault);
    assert_string_equal(row.vault, vault);
    assert_int_equal(row.claimed, 0);
    assert_int_equal(row.open_reservation, 1);
    assert_int_equal(row.reserved, 1000);
    assert_string_equal(row.model, "meta/llama");
    gw_predict_row_free(&row);
    assert_int_equal(gw_store_predict_read(fx->st, "fal", "pred1", "u-pred", "backend", 0, &row), GW_STORE_E_NOTFOUND);
    /* eight readers see it terminal at once: exactly one claims the settlement */
    pthread_t th[8];
    claim_arg_t args[8];
    for (int i = 0; i < 8; i++) {
        args[i] = (claim_arg_t){fx->st, 0, -1};
        assert_int_equal(pthread_create(&th[i], NULL, claim_thread, &args[i]), 0);
    }
    int claims = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].rc, 0);
        claims += args[i].claimed;
    }
    assert_int_equal(claims, 1);
    /* the vault is kept for GW_PREDICT_TERMINAL_KEEP_S after that, then no longer given out */
    fx->clock = T0 + (GW_PREDICT_TERMINAL_KEEP_S - 1) * INT64_C(1000000);
    assert_int_equal(gw_store_predict_read(fx->st, "replicate", "pred1", "u-pred", "backend", 1, &row), 0);
    assert_non_null(row.vault);
    assert_int_equal(row.claimed, 0);
    gw_predict_row_free(&row);
    assert_int_equal(gw_store_predict_usage(fx->st, "rid-pred1", 77, 850), 0);
    assert_int_equal(raw_count(fx, "SELECT cost_microcredits FROM calls WHERE request_id = ?", "rid-pred1"), 77);
    /* past its TTL: pred2 was never seen terminal: the sweep settles its reservation at the
     * reserved amount and deletes both rows */
    fx->clock = T0 + (GW_PREDICT_TERMINAL_KEEP_S + 1) * INT64_C(1000000);
    assert_int_equal(gw_store_predict_read(fx->st, "replicate", "pred2", "u-pred", "backend", 0, &row), GW_STORE_E_NOTFOUND);
    int64_t settled = -1;
    assert_int_equal(gw_store_predict_sweep(fx->st, 100, &settled), 0);
    assert_int_equal(settled, 1);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM predictions", NULL), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM ledger WHERE request_id = ? AND kind = 'settle'", "rid-pred2"), 1);
    assert_int_equal(
        raw_count(fx, "SELECT CAST(COALESCE(SUM(amount_microcredits), 0) AS BIGINT) FROM ledger WHERE request_id = ?", "rid-pred2"),
        -1000);
    /* erasure deletes a user's predictions */
    r = mkcall("rid-pred3", "u-pred", T0, "{}", "{}", 0);
    r->predict = mkpredict("pred3", 0, vault, T0 + 86400 * INT64_C(1000000));
    submit_call(fx->st, r);
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM predictions WHERE user_id = ?", "u-pred"), 1);
    gw_erasure_receipt_t rc;
    assert_int_equal(gw_store_forget_user(fx->st, "u-pred", &rc), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM predictions WHERE user_id = ?", "u-pred"), 0);
    assert_int_equal(gw_store_predict_read(fx->st, "replicate", "pred3", "u-pred", "backend", 0, &row), GW_STORE_E_NOTFOUND);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_predictions, setup, teardown),
    };
    return store_suite_main("store_predict", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
