/*
 * The privacy store, retention (store_fixture.h runs each test on SQLite and on PostgreSQL): rows
 * purged at their class's TTL, a changed TTL re-applied to existing rows at the next start, and the
 * writer's scheduled purge.
 */
#include "store_fixture.h"

static void test_ttl_purge(void **state)
{
    fx_t *fx = *state;
    gw_store_close(fx->st);
    fx->st = open_store(fx, "{\"call_log_days\":90,\"redaction_log_days\":60,\"access_log_days\":30,\"image_payload_hours\":2}");
    for (int i = 0; i < 250; i++) { /* more than two purge batches */
        char rid[GW_REQUEST_ID_MAX + 1];
        snprintf(rid, sizeof(rid), "old-%d", i);
        submit_call(fx->st, mkcall(rid, "alice", T0, "body", "resp", i < 5 ? 2 : 0));
    }
    submit_call(fx->st, mkcall("new-1", "alice", T0 + 80 * DAY, "body", "resp", 1));
    gw_call_rec_t *img = mkcall("img-1", "alice", T0, "{\"image\":\"...\"}", "ok", 0);
    img->has_images = 1;
    submit_call(fx->st, img);
    for (int i = 0; i < 3; i++)
        assert_int_equal(gw_store_submit_access(fx->st, mkaccess("alice", T0)), 0);
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess(NULL, T0 + 20 * DAY)), 0);
    assert_int_equal(gw_store_flush(fx->st), 0);

    gw_purge_counts_t pc;
    /* Nothing is due yet at T0 + 1 h. */
    fx->clock = T0 + DAY / 24;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    for (int c = 0; c < POL_RET_NCLASSES; c++)
        assert_int_equal(pc.rows[c], 0);

    /* T0 + 3 h: image bodies are past image_payload_hours; the call row stays. */
    fx->clock = T0 + 3 * DAY / 24;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_IMAGE_PAYLOAD], 1);
    assert_int_equal(
        raw_count(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ? AND request_ct IS NULL AND nonce IS NULL", "img-1"), 1);

    /* T0 + 31 days: the 3 access rows of T0 go (dry run first: counted, not deleted). */
    fx->clock = T0 + 31 * DAY;
    assert_int_equal(gw_store_purge(fx->st, 1, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_ACCESS_LOG], 3);
    assert_int_equal(pc.rows[POL_RET_CALL_LOG], 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log", NULL), 4);
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_ACCESS_LOG], 3);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log", NULL), 1);

    /* T0 + 61 days: redactions of T0 (10) go, calls stay. */
    fx->clock = T0 + 61 * DAY;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_REDACTION_LOG], 10);
    assert_int_equal(pc.rows[POL_RET_CALL_LOG], 0);
    assert_int_equal(pc.rows[POL_RET_ACCESS_LOG], 1); /* the one of T0 + 20 d expired at T0 + 50 d */
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM redactions", NULL), 1);

    /* T0 + 91 days: the 251 calls of T0 go in batches of 100; the one of T0 + 80 d stays. */
    fx->clock = T0 + 91 * DAY;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_CALL_LOG], 251);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls", NULL), 1);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "new-1"), 1);
    gw_store_stats_t stats;
    gw_store_stats(fx->st, &stats);
    assert_int_equal(stats.purged[POL_RET_CALL_LOG], 251);
    assert_int_equal(stats.purged[POL_RET_ACCESS_LOG], 4);

    gw_buf_t b = GW_BUF_INIT;
    assert_int_equal(gw_store_retention_status(fx->st, &b), 0);
    json_t *doc = json_loadb(b.base, b.len, 0, NULL);
    assert_non_null(doc);
    json_t *cl = json_array_get(json_object_get(doc, "classes"), POL_RET_CALL_LOG);
    assert_string_equal(json_string_value(json_object_get(cl, "class")), "call_log");
    assert_int_equal(json_integer_value(json_object_get(cl, "rows")), 1);
    assert_int_equal(json_integer_value(json_object_get(cl, "ttl_seconds")), 90 * 86400);
    assert_int_equal(json_integer_value(json_object_get(cl, "oldest")), T0 + 80 * DAY);
    assert_int_equal(json_integer_value(json_object_get(cl, "next_expiry")), T0 + 170 * DAY);
    json_decref(doc);
    gw_buf_free(&b);
}

static void test_ttl_change_reapplied(void **state)
{
    fx_t *fx = *state;
    submit_call(fx->st, mkcall("r1", "alice", T0, "x", NULL, 1));
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess("alice", T0)), 0);
    gw_store_close(fx->st); /* drains */
    fx->st = open_store(fx, "{\"call_log_days\":1,\"access_log_days\":2}");
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls WHERE expires_at = started_at + 86400000000", NULL), 1);
    fx->clock = T0 + 3 * DAY;
    gw_purge_counts_t pc;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_CALL_LOG], 1);
    assert_int_equal(pc.rows[POL_RET_ACCESS_LOG], 1);
    assert_int_equal(pc.rows[POL_RET_REDACTION_LOG], 0); /* still 90 days */
}

static void test_writer_purges_on_schedule(void **state)
{
    fx_t *fx = *state;
    char err[512] = "";
    gw_store_close(fx->st);
    fx->st = open_store_ex(fx, NULL, NULL, ",\"purge_interval_s\":1", NULL, err, sizeof(err));
    assert_non_null(fx->st);
    submit_call(fx->st, mkcall("r1", "alice", T0 - 100 * DAY, "x", NULL, 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    gw_store_stats_t stats;
    for (int i = 0; i < 50; i++) { /* the writer's own purge job runs every second */
        gw_store_stats(fx->st, &stats);
        if (stats.purged[POL_RET_CALL_LOG] == 1)
            break;
        usleep(100000);
    }
    assert_int_equal(stats.purged[POL_RET_CALL_LOG], 1);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls", NULL), 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ttl_purge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ttl_change_reapplied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_purges_on_schedule, setup, teardown),
    };
    return store_suite_main("store_retention", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
