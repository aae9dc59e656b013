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

/* An access entry of request `rid` (mkaccess's values: POST, 100 bytes in, 200 out, 127.0.0.1,
 * 5000 µs, upstream 4000 µs) with `status`. */
static gw_store_access_rec_t *mkaccess_of(const char *rid, const char *user, int64_t at, int status)
{
    gw_store_access_rec_t *a = mkaccess(user, at);
    snprintf(a->request_id, sizeof(a->request_id), "%s", rid);
    a->status = status;
    return a;
}

/* The export's access_log entries of `user`, one line each: request_id|method|route|status|bytes_in|bytes_out|ip|duration|
 * upstream|at|expires_at (malloc'ed). */
static char *export_access(gw_store_t *st, const char *user)
{
    int rc;
    json_t *doc = export_json(st, user, &rc);
    assert_int_equal(rc, 0);
    gw_buf_t b = GW_BUF_INIT;
    json_t *arr = json_object_get(doc, "access_log"), *e;
    size_t i;
    json_array_foreach(arr, i, e)
    {
        char line[512];
        int n = snprintf(
            line, sizeof(line), "%s|%s|%s|%lld|%lld|%lld|%s|%lld|%lld|%lld|%lld\n",
            json_string_value(json_object_get(e, "request_id")), json_string_value(json_object_get(e, "method")),
            json_string_value(json_object_get(e, "route")), (long long)json_integer_value(json_object_get(e, "status")),
            (long long)json_integer_value(json_object_get(e, "bytes_in")),
            (long long)json_integer_value(json_object_get(e, "bytes_out")), json_string_value(json_object_get(e, "client_ip")),
            (long long)json_integer_value(json_object_get(e, "duration_us")),
            (long long)json_integer_value(json_object_get(e, "upstream_us")),
            (long long)json_integer_value(json_object_get(e, "at")),
            (long long)json_integer_value(json_object_get(e, "expires_at")));
        gw_buf_append(&b, line, (size_t)n);
    }
    gw_buf_append(&b, "", 1);
    json_decref(doc);
    return b.base;
}

/* Issue 12 session 9 (schema version 13, SQLite): the access entry of a call whose row is in the
 * database is one call_access row beside it; the access log reads the same through export and the
 * retention status, is purged at access_log_days while the call row stays to call_log_days. An
 * entry whose call row is missing or says otherwise (another status) is an access_log row. On
 * PostgreSQL every entry is an access_log row, with the same results. */
static void test_access_beside_call_row(void **state)
{
    fx_t *fx = *state;
    submit_call(fx->st, mkcall("r1", "alice", T0, "body", "resp", 0));
    submit_call(fx->st, mkcall("r3", "alice", T0 + 2, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess_of("r1", "alice", T0, 200)), 0);
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess_of("r2", "alice", T0 + 1, 401)), 0); /* no call row */
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess_of("r3", "alice", T0 + 2, 499)), 0); /* the row says 200 */
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log", NULL), use_pg ? 3 : 2);
    if (!use_pg) {
        assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access WHERE request_id = ?", "r1"), 1);
        assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log WHERE request_id = ?", "r1"), 0);
    }
    char *got = export_access(fx->st, "alice");
    char want[1024];
    snprintf(want, sizeof(want),
             "r1|POST|/v1/chat/completions|200|100|200|127.0.0.1|5000|4000|%lld|%lld\n"
             "r2|POST|/v1/chat/completions|401|100|200|127.0.0.1|5000|4000|%lld|%lld\n"
             "r3|POST|/v1/chat/completions|499|100|200|127.0.0.1|5000|4000|%lld|%lld\n",
             (long long)T0, (long long)(T0 + 30 * DAY), (long long)(T0 + 1), (long long)(T0 + 1 + 30 * DAY), (long long)(T0 + 2),
             (long long)(T0 + 2 + 30 * DAY));
    assert_string_equal(got, want);
    free(got);

    gw_buf_t b = GW_BUF_INIT;
    assert_int_equal(gw_store_retention_status(fx->st, &b), 0);
    json_t *doc = json_loadb(b.base, b.len, 0, NULL);
    json_t *al = json_array_get(json_object_get(doc, "classes"), POL_RET_ACCESS_LOG);
    assert_int_equal(json_integer_value(json_object_get(al, "rows")), 3);
    assert_int_equal(json_integer_value(json_object_get(al, "oldest")), T0);
    assert_int_equal(json_integer_value(json_object_get(al, "next_expiry")), T0 + 30 * DAY);
    json_decref(doc);
    gw_buf_free(&b);

    /* 30 days: nothing due yet; just past: all three go (counted first), the call rows stay */
    gw_purge_counts_t pc;
    fx->clock = T0 + 30 * DAY;
    assert_int_equal(gw_store_purge(fx->st, 1, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_ACCESS_LOG], 0);
    fx->clock = T0 + 30 * DAY + 3;
    assert_int_equal(gw_store_purge(fx->st, 1, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_ACCESS_LOG], 3);
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_ACCESS_LOG], 3);
    assert_int_equal(pc.rows[POL_RET_CALL_LOG], 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log", NULL), 0);
    if (!use_pg)
        assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access", NULL), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls", NULL), 2);
    got = export_access(fx->st, "alice");
    assert_string_equal(got, "");
    free(got);
}

static uint64_t call_row_lookups(gw_store_t *st)
{
    gw_store_stats_t s;
    gw_store_stats(st, &s);
    return s.call_row_lookups;
}

static void access_now(fx_t *fx, const char *rid, const char *user, int64_t at, int status)
{
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess_of(rid, user, at, status)), 0);
    assert_int_equal(gw_store_flush(fx->st), 0);
}

/* Issue 12 session 15 (SQLite): the access entry of a call row this writer committed is written beside it
 * without looking the row up, while nothing can have deleted or changed the row since; anything that may
 * have (another connection's commit, even behind a commit of this writer that wrote no call; this store's
 * erasure or purge) sends the entry through the lookup, which finds no row: an access_log row, as before. */
static void test_access_known_call_row(void **state)
{
    fx_t *fx = *state;
    if (use_pg)
        skip();
    submit_call(fx->st, mkcall("k1", "alice", T0, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    uint64_t n0 = call_row_lookups(fx->st);
    access_now(fx, "k1", "alice", T0, 200);
    assert_int_equal(call_row_lookups(fx->st), n0); /* known: no lookup */
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access WHERE request_id = ?", "k1"), 1);
    /* another status, another user, another start: not that row */
    submit_call(fx->st, mkcall("k2", "alice", T0 + 1, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    access_now(fx, "k2", "alice", T0 + 1, 499);
    access_now(fx, "k2", "mallory", T0 + 1, 200);
    access_now(fx, "k2", "alice", T0 + 2, 200);
    assert_int_equal(call_row_lookups(fx->st), n0 + 3);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access WHERE request_id = ?", "k2"), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log WHERE request_id = ?", "k2"), 3);
    /* another process deletes the row */
    submit_call(fx->st, mkcall("k3", "alice", T0 + 3, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    raw_exec(fx, "DELETE FROM calls WHERE request_id = 'k3'");
    access_now(fx, "k3", "alice", T0 + 3, 200);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access WHERE request_id = ?", "k3"), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log WHERE request_id = ?", "k3"), 1);
    /* another process deletes the row, then this writer commits a batch without a call row */
    submit_call(fx->st, mkcall("k4", "alice", T0 + 4, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    raw_exec(fx, "DELETE FROM calls WHERE request_id = 'k4'");
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess("someone", T0 + 4)), 0);
    assert_int_equal(gw_store_flush(fx->st), 0);
    access_now(fx, "k4", "alice", T0 + 4, 200);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access WHERE request_id = ?", "k4"), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log WHERE request_id = ?", "k4"), 1);
    /* this store's erasure */
    submit_call(fx->st, mkcall("k5", "bob", T0 + 5, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    gw_erasure_receipt_t rc;
    assert_int_equal(gw_store_forget_user(fx->st, "bob", &rc), 0);
    access_now(fx, "k5", "bob", T0 + 5, 200);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access WHERE request_id = ?", "k5"), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log WHERE request_id = ?", "k5"), 1);
    /* this store's purge (the call log's rows past their 90 days go) */
    submit_call(fx->st, mkcall("k6", "alice", T0 + 6, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    fx->clock = T0 + 90 * DAY + 7;
    gw_purge_counts_t pc;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls WHERE request_id = ?", "k6"), 0);
    access_now(fx, "k6", "alice", T0 + 6, 200);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access WHERE request_id = ?", "k6"), 0);
    /* after all that, a new call's entry is beside its row again without a lookup */
    uint64_t n1 = call_row_lookups(fx->st);
    submit_call(fx->st, mkcall("k7", "alice", T0 + 90 * DAY + 8, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    access_now(fx, "k7", "alice", T0 + 90 * DAY + 8, 200);
    assert_int_equal(call_row_lookups(fx->st), n1);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access WHERE request_id = ?", "k7"), 1);
}

/* More than a purge batch of call_access entries: purged in batches of 100, all of them; an entry
 * whose call row the call-log purge deletes goes with it. */
static void test_access_beside_call_row_batches(void **state)
{
    fx_t *fx = *state;
    gw_store_close(fx->st);
    fx->st = open_store(fx, "{\"call_log_days\":30,\"access_log_days\":30}");
    for (int i = 0; i < 230; i++) {
        char rid[32];
        snprintf(rid, sizeof(rid), "b-%d", i);
        submit_call(fx->st, mkcall(rid, "alice", T0 + i, "body", NULL, 0));
        assert_int_equal(gw_store_flush(fx->st), 0);
        assert_int_equal(gw_store_submit_access(fx->st, mkaccess_of(rid, "alice", T0 + i, 200)), 0);
    }
    assert_int_equal(gw_store_flush(fx->st), 0);
    if (!use_pg)
        assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access", NULL), 230);
    gw_purge_counts_t pc;
    fx->clock = T0 + 30 * DAY + 1000;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_CALL_LOG], 230);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls", NULL), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log", NULL), 0);
    if (!use_pg)
        assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access", NULL), 0);
}

/* A start with access_log_days > call_log_days (an entry would outlive its call row): the entries
 * kept beside call rows become access_log rows with the same values; the access log reads the same. */
static void test_access_moved_when_ttl_longer(void **state)
{
    fx_t *fx = *state;
    submit_call(fx->st, mkcall("r1", "alice", T0, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess_of("r1", "alice", T0, 200)), 0);
    assert_int_equal(gw_store_flush(fx->st), 0);
    if (!use_pg)
        assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access", NULL), 1);
    gw_store_close(fx->st);
    fx->st = open_store(fx, "{\"call_log_days\":10,\"access_log_days\":20}");
    if (!use_pg)
        assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access", NULL), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log WHERE request_id = ?", "r1"), 1);
    char *got = export_access(fx->st, "alice");
    char want[256];
    snprintf(want, sizeof(want), "r1|POST|/v1/chat/completions|200|100|200|127.0.0.1|5000|4000|%lld|%lld\n", (long long)T0,
             (long long)(T0 + 20 * DAY));
    assert_string_equal(got, want);
    free(got);
    /* the call row goes at 10 days, its access entry stays to 20 */
    gw_purge_counts_t pc;
    fx->clock = T0 + 11 * DAY;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_CALL_LOG], 1);
    assert_int_equal(pc.rows[POL_RET_ACCESS_LOG], 0);
    got = export_access(fx->st, "alice");
    assert_string_equal(got, want);
    free(got);
    /* new entries go to access_log while the TTLs are so */
    submit_call(fx->st, mkcall("r2", "alice", T0 + 11 * DAY, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess_of("r2", "alice", T0 + 11 * DAY, 200)), 0);
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log", NULL), 2);
}

/* A store of schema version 12 (before call_access) opened by this one: its access_log rows are
 * the access log as before (export, purge), new entries of logged calls go beside their call rows.
 * SQLite only (version 13 adds nothing on PostgreSQL). */
static void test_access_upgrade_from_v12(void **state)
{
    fx_t *fx = *state;
    if (use_pg)
        return;
    gw_store_close(fx->st);
    fx->st = NULL;
    assert_int_equal(unlink(fx->db), 0); /* closed: no -wal or -shm left */
    gw_store_db_t *db = raw_open(fx);
    char err[256] = "";
    assert_int_equal(gw_store__migrate_to(db, 12, T0, err, sizeof(err)), 0);
    assert_int_equal(ts_db_int(db, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'call_access'", NULL, NULL), 0);
    gw_store__db_close(db);
    /* rows as version 12 wrote them: a call row and its access_log row */
    raw_exec(fx, "INSERT INTO calls(request_id, user_id, provider, route, status, started_at, duration_us, expires_at)"
                 " VALUES ('old-1', 'alice', 'openai', '/v1/chat/completions', 200, 1763700000000000, 10, 1771476000000000)");
    raw_exec(fx, "INSERT INTO access_log(at, request_id, method, route, status, bytes_in, bytes_out, client_ip, user_id,"
                 " duration_us, upstream_us, expires_at) VALUES (1763700000000000, 'old-1', 'POST', '/v1/chat/completions', 200,"
                 " 7, 8, '10.0.0.1', 'alice', 11, 9, 1766292000000000)");
    fx->st = open_store(fx, NULL);
    assert_int_equal(raw_count(fx, "SELECT MAX(version) FROM schema_version", NULL), gw_store__schema_version());
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access", NULL), 0);
    submit_call(fx->st, mkcall("new-1", "alice", T0 + 1, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess_of("new-1", "alice", T0 + 1, 200)), 0);
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access", NULL), 1);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log", NULL), 1);
    char *got = export_access(fx->st, "alice");
    char want[512];
    snprintf(want, sizeof(want),
             "old-1|POST|/v1/chat/completions|200|7|8|10.0.0.1|11|9|%lld|%lld\n"
             "new-1|POST|/v1/chat/completions|200|100|200|127.0.0.1|5000|4000|%lld|%lld\n",
             (long long)T0, (long long)(T0 + 30 * DAY), (long long)(T0 + 1), (long long)(T0 + 1 + 30 * DAY));
    assert_string_equal(got, want);
    free(got);
    gw_purge_counts_t pc;
    fx->clock = T0 + 30 * DAY + 2;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_ACCESS_LOG], 2);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls", NULL), 2);
}

/* Two calls of one µs whose request ids have the same call_access rowid (time * 1024 + 10 bits of the
 * id's FNV-1a hash: "col-31" and "col-130" both give 508): the second entry is an access_log row, and
 * the access log reads both. */
static void test_access_rowid_collision(void **state)
{
    fx_t *fx = *state;
    submit_call(fx->st, mkcall("col-31", "alice", T0, "body", "resp", 0));
    submit_call(fx->st, mkcall("col-130", "alice", T0, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess_of("col-31", "alice", T0, 200)), 0);
    assert_int_equal(gw_store_submit_access(fx->st, mkaccess_of("col-130", "alice", T0, 200)), 0);
    assert_int_equal(gw_store_flush(fx->st), 0);
    if (!use_pg) {
        assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM call_access WHERE request_id = ?", "col-31"), 1);
        assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM access_log WHERE request_id = ?", "col-130"), 1);
    }
    char *got = export_access(fx->st, "alice");
    assert_non_null(strstr(got, "col-31|POST"));
    assert_non_null(strstr(got, "col-130|POST"));
    free(got);
    gw_purge_counts_t pc;
    fx->clock = T0 + 30 * DAY + 1;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_ACCESS_LOG], 2);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ttl_purge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ttl_change_reapplied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_purges_on_schedule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_beside_call_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_known_call_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_beside_call_row_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_moved_when_ttl_longer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_upgrade_from_v12, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_rowid_collision, setup, teardown),
    };
    return store_suite_main("store_retention", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
