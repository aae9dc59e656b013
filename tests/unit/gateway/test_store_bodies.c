/*
 * The privacy store, call bodies in segment files (SQLite, schema version 14; gateway/store/store_bodies.c,
 * docs/internals/store.md "Call bodies in segment files"): a transaction's bodies appended together to the
 * segment of their day, rows written before version 14 (bodies in the row) still read, a missing or short
 * segment reported as an error, and the purge removing the bodies of the rows it deletes and unlinking
 * segments whose calls are all gone. PostgreSQL keeps the bodies in the rows: its group runs nothing here.
 */
#include "store_fixture.h"

#include <errno.h>

/* The decrypted request body of call `rid` in user `user`'s export ("" if absent); NULL if the export failed
 * (*rc says why). Caller frees. */
static char *exported_request(fx_t *fx, const char *user, const char *rid, int *rc)
{
    json_t *doc = export_json(fx->st, user, rc);
    if (doc == NULL)
        return NULL;
    char *out = NULL;
    json_t *calls = json_object_get(doc, "calls");
    for (size_t i = 0; i < json_array_size(calls); i++) {
        json_t *c = json_array_get(calls, i);
        if (strcmp(json_string_value(json_object_get(c, "request_id")), rid) == 0) {
            const char *b = json_string_value(json_object_get(c, "request_body"));
            out = strdup(b != NULL ? b : "");
        }
    }
    json_decref(doc);
    return out;
}

static int64_t col_of(fx_t *fx, const char *col, const char *rid)
{
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT %s FROM calls WHERE request_id = ?", col);
    return raw_count(fx, sql, rid);
}

static void test_one_write_per_transaction(void **state)
{
    fx_t *fx = *state;
    if (use_pg)
        return;
    submit_call(fx->st, mkcall("b1", "alice", T0, "{\"q\":\"first request\"}", "first answer", 0));
    submit_call(fx->st, mkcall("b2", "alice", T0 + 5, "{\"q\":\"second\"}", NULL, 0));
    submit_call(fx->st, mkcall("b3", "bob", T0 + DAY, "{\"q\":\"next day\"}", "its answer", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    /* no ciphertext in the rows; b1 and b2 of one day back to back in its segment, b3 in the next day's */
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls WHERE request_ct IS NULL AND response_ct IS NULL", NULL), 3);
    assert_int_equal(col_of(fx, "body_seg", "b1"), T0 / DAY);
    assert_int_equal(col_of(fx, "body_seg", "b2"), T0 / DAY);
    assert_int_equal(col_of(fx, "body_seg", "b3"), T0 / DAY + 1);
    assert_int_equal(col_of(fx, "body_off", "b1"), 0);
    assert_int_equal(col_of(fx, "body_off", "b2"), col_of(fx, "request_len", "b1") + col_of(fx, "response_len", "b1"));
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls WHERE request_id = 'b2' AND response_len IS NULL", NULL), 1);
    assert_int_equal(col_of(fx, "request_len", "b2"), strlen("{\"q\":\"second\"}") + POL_CRYPTO_TAG_BYTES);
    int rc;
    char *b = exported_request(fx, "alice", "b2", &rc);
    assert_non_null(b);
    assert_string_equal(b, "{\"q\":\"second\"}");
    free(b);
    b = exported_request(fx, "bob", "b3", &rc);
    assert_non_null(b);
    assert_string_equal(b, "{\"q\":\"next day\"}");
    free(b);
    /* the next transaction appends after them */
    submit_call(fx->st, mkcall("b4", "alice", T0 + 9, "x", "y", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_int_equal(col_of(fx, "body_off", "b4"), col_of(fx, "body_off", "b2") + col_of(fx, "request_len", "b2"));
}

/* A version 13 file is upgraded; a row whose bodies are in the row (as every row before version 14) and one
 * whose bodies are in a segment are both exported. */
static void test_upgrade_and_rows_in_both_forms(void **state)
{
    fx_t *fx = *state;
    if (use_pg)
        return;
    gw_store_close(fx->st);
    fx->st = NULL;
    assert_int_equal(unlink(fx->db), 0);
    gw_store_db_t *db = raw_open(fx);
    char err[256] = "";
    assert_int_equal(gw_store__migrate_to(db, 13, T0, err, sizeof(err)), 0);
    assert_int_equal(ts_db_int(db, "SELECT COUNT(*) FROM pragma_table_info('calls') WHERE name = 'body_seg'", NULL, NULL), 0);
    gw_store__db_close(db);
    fx->st = open_store(fx, NULL);
    assert_int_equal(raw_count(fx, "SELECT MAX(version) FROM schema_version", NULL), gw_store__schema_version());
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM pragma_table_info('calls') WHERE name = 'body_seg'", NULL), 1);
    submit_call(fx->st, mkcall("old-1", "alice", T0, "{\"q\":\"in the row\"}", "row answer", 0));
    submit_call(fx->st, mkcall("new-1", "alice", T0 + 1, "{\"q\":\"in a segment\"}", "segment answer", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    /* old-1 as a version 13 row: its ciphertext in request_ct / response_ct, no segment reference */
    unsigned char *q = NULL, *r = NULL;
    size_t ql = 0, rl = 0;
    fx_call_ct(fx, "old-1", &q, &ql, &r, &rl);
    assert_non_null(q);
    assert_non_null(r);
    db = raw_open(fx);
    gw_store_stmt_t *s =
        gw_store__db_prepare(db, "UPDATE calls SET request_ct = ?, response_ct = ?, body_seg = NULL, body_off = NULL,"
                                 " request_len = NULL, response_len = NULL WHERE request_id = 'old-1'");
    gw_store__bind_blob(s, 1, q, ql);
    gw_store__bind_blob(s, 2, r, rl);
    assert_int_equal(gw_store__step(s), 0);
    gw_store__reset(s);
    gw_store__db_finalize(s);
    gw_store__db_close(db);
    free(q);
    free(r);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls WHERE request_ct IS NOT NULL AND body_seg IS NULL", NULL), 1);
    int rc;
    json_t *doc = export_json(fx->st, "alice", &rc);
    assert_non_null(doc);
    json_t *calls = json_object_get(doc, "calls");
    assert_int_equal(json_array_size(calls), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(calls, 0), "request_body")), "{\"q\":\"in the row\"}");
    assert_string_equal(json_string_value(json_object_get(json_array_get(calls, 0), "response_body")), "row answer");
    assert_string_equal(json_string_value(json_object_get(json_array_get(calls, 1), "request_body")), "{\"q\":\"in a segment\"}");
    assert_string_equal(json_string_value(json_object_get(json_array_get(calls, 1), "response_body")), "segment answer");
    json_decref(doc);
}

/* A segment that lost its end, or is gone: the export fails with an error, it never returns an empty body. */
static void test_missing_or_short_segment(void **state)
{
    fx_t *fx = *state;
    if (use_pg)
        return;
    submit_call(fx->st, mkcall("m1", "alice", T0, "{\"q\":\"first\"}", "a", 0));
    submit_call(fx->st, mkcall("m2", "alice", T0 + 1, "{\"q\":\"second, at the end\"}", "b", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    char path[400];
    snprintf(path, sizeof(path), "%s.bodies/%lld.seg", fx->db, (long long)(T0 / DAY));
    int rc = 0;
    json_t *doc = export_json(fx->st, "alice", &rc);
    assert_non_null(doc);
    json_decref(doc);
    assert_int_equal(truncate(path, col_of(fx, "body_off", "m2") + 3), 0); /* short */
    assert_null(export_json(fx->st, "alice", &rc));
    assert_int_equal(rc, GW_STORE_E_DB);
    assert_int_equal(unlink(path), 0); /* gone */
    assert_null(export_json(fx->st, "alice", &rc));
    assert_int_equal(rc, GW_STORE_E_DB);
    /* a new call of that day writes a new segment; its body reads back */
    submit_call(fx->st, mkcall("m3", "bob", T0 + 2, "{\"q\":\"third\"}", NULL, 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    char *b = exported_request(fx, "bob", "m3", &rc);
    assert_non_null(b);
    assert_string_equal(b, "{\"q\":\"third\"}");
    free(b);
}

/* The purge removes the bodies of the rows it deletes (and of image calls past image_payload_hours) from the
 * segment files, and unlinks a segment once every call of its day is gone. */
static void test_purge_removes_bodies(void **state)
{
    fx_t *fx = *state;
    if (use_pg)
        return;
    gw_store_close(fx->st);
    fx->st = open_store(fx, "{\"call_log_days\":90,\"image_payload_hours\":2}");
    for (int i = 0; i < 150; i++) { /* more than a purge batch */
        char rid[32];
        snprintf(rid, sizeof(rid), "old-%d", i);
        submit_call(fx->st, mkcall(rid, "alice", T0 + i, "{\"q\":\"old\"}", "old answer", 0));
    }
    gw_call_rec_t *img = mkcall("img-1", "alice", T0 + DAY, "{\"image\":\"IMAGE-BYTES\"}", "ok", 0);
    img->has_images = 1;
    submit_call(fx->st, img);
    submit_call(fx->st, mkcall("new-1", "alice", T0 + DAY + 1, "{\"q\":\"kept\"}", NULL, 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    unsigned char *old_q, *old_r, *img_q, *img_r, *new_q, *new_r;
    size_t old_ql, old_rl, img_ql, img_rl, new_ql, new_rl;
    fx_call_ct(fx, "old-7", &old_q, &old_ql, &old_r, &old_rl);
    fx_call_ct(fx, "img-1", &img_q, &img_ql, &img_r, &img_rl);
    fx_call_ct(fx, "new-1", &new_q, &new_ql, &new_r, &new_rl);
    int files = 0;
    assert_true(segments_contain(fx, old_q, old_ql, &files));
    assert_int_equal(files, 2);
    assert_true(segments_contain(fx, img_q, img_ql, NULL));
    assert_true(segments_contain(fx, img_r, img_rl, NULL));

    /* T0 + 1 day + 3 h: the image call's bodies are past image_payload_hours: gone from its segment */
    gw_purge_counts_t pc;
    fx->clock = T0 + DAY + 3 * DAY / 24;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_IMAGE_PAYLOAD], 1);
    assert_int_equal(
        raw_count(fx, "SELECT COUNT(*) FROM calls WHERE request_id = 'img-1' AND body_seg IS NULL AND nonce IS NULL", NULL), 1);
    assert_false(segments_contain(fx, img_q, img_ql, NULL));
    assert_false(segments_contain(fx, img_r, img_rl, NULL));
    assert_true(segments_contain(fx, new_q, new_ql, NULL));
    assert_true(segments_contain(fx, old_q, old_ql, NULL));

    /* T0 + 90 days + 1 h: the calls of T0's day expired (some of them: not all, the day's segment stays) */
    fx->clock = T0 + 90 * DAY + 100;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_CALL_LOG], 100);
    assert_false(segments_contain(fx, old_q, old_ql, NULL)); /* old-7's bodies went with its row */
    assert_false(segments_contain(fx, old_r, old_rl, &files));
    assert_int_equal(files, 2);
    /* T0's day + 90 days over: every call of that day is gone, and so is its segment */
    fx->clock = (T0 / DAY + 1) * DAY + 90 * DAY;
    assert_int_equal(gw_store_purge(fx->st, 0, &pc, NULL, NULL), 0);
    assert_int_equal(pc.rows[POL_RET_CALL_LOG], 50);
    assert_false(segments_contain(fx, "x", 0, &files));
    assert_int_equal(files, 1);
    char path[400];
    snprintf(path, sizeof(path), "%s.bodies/%lld.seg", fx->db, (long long)(T0 / DAY));
    assert_int_not_equal(access(path, F_OK), 0);
    /* the next day's call is still there, and reads back */
    assert_true(segments_contain(fx, new_q, new_ql, NULL));
    int rc;
    char *b = exported_request(fx, "alice", "new-1", &rc);
    assert_non_null(b);
    assert_string_equal(b, "{\"q\":\"kept\"}");
    free(b);
    free(old_q);
    free(old_r);
    free(img_q);
    free(img_r);
    free(new_q);
    free(new_r);
}

/* ---- the segments are synced before a checkpoint makes their rows durable ---- */

/* This binary links with --wrap=fdatasync (CMakeLists.txt): the store's own fdatasync calls (store_sqlite_vfs.c
 * sync_bodies; SQLite's, inside libsqlite3, are not wrapped) come here. */
int __real_fdatasync(int fd);
int __wrap_fdatasync(int fd);
static int seg_syncs;      /* segment files synced */
static int seg_sync_fails; /* 1: a segment's fdatasync fails with EIO */

int __wrap_fdatasync(int fd)
{
    char link[64], path[512];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof(path) - 1);
    if (n > 4 && memcmp(path + n - 4, ".seg", 4) == 0) {
        seg_syncs++;
        if (seg_sync_fails) {
            errno = EIO;
            return -1;
        }
    }
    return __real_fdatasync(fd);
}

static off_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* A call row in the WAL names bytes of a segment written before its COMMIT and not synced (synchronous=NORMAL). A
 * checkpoint copies such rows into the database file, where a power cut can no longer undo them: the segments are
 * synced first, and when that fails the checkpoint fails and the database file is not touched. (Any sync of the WAL
 * does the same: SQLite syncs a new WAL's header at the first commit after a reset, which then fails and is retried.) */
static void test_segments_synced_before_checkpoint(void **state)
{
    fx_t *fx = *state;
    if (use_pg)
        return;
    char wal[400];
    snprintf(wal, sizeof(wal), "%s-wal", fx->db);
    gw_store_db_t *raw = raw_open(fx);
    assert_int_equal(gw_store__db_wal_truncate(raw), 0); /* everything so far in the database file */
    size_t before_len, now_len;
    char *before = ts_slurp(fx->db, &before_len);
    assert_non_null(before);

    submit_call(fx->st, mkcall("s1", "alice", T0, "{\"q\":\"to be made durable\"}", "its answer", 0));
    submit_call(fx->st, mkcall("s2", "bob", T0 + DAY, "{\"q\":\"another day\"}", "answer", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    assert_true(file_size(wal) > 0);
    seg_sync_fails = 1;
    seg_syncs = 0;
    assert_int_equal(gw_store__db_wal_truncate(raw), -1); /* the segment's sync failed: no checkpoint */
    assert_true(seg_syncs >= 1);
    char *now = ts_slurp(fx->db, &now_len);
    assert_non_null(now);
    assert_int_equal(now_len, before_len);
    assert_memory_equal(now, before, before_len); /* nothing copied */
    free(now);
    assert_true(file_size(wal) > 0);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM calls WHERE request_id IN ('s1', 's2')", NULL), 2);

    seg_sync_fails = 0;
    seg_syncs = 0;
    assert_int_equal(gw_store__db_wal_truncate(raw), 0);
    assert_true(seg_syncs >= 2); /* both days' segments, then the checkpoint */
    assert_int_equal(file_size(wal), 0);
    now = ts_slurp(fx->db, &now_len);
    assert_non_null(now);
    assert_true(now_len != before_len || memcmp(now, before, before_len) != 0);
    free(now);
    free(before);
    gw_store__db_close(raw);
    int rc;
    char *b = exported_request(fx, "alice", "s1", &rc);
    assert_non_null(b);
    assert_string_equal(b, "{\"q\":\"to be made durable\"}");
    free(b);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_write_per_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_and_rows_in_both_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_or_short_segment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purge_removes_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_segments_synced_before_checkpoint, setup, teardown),
    };
    /* SQLite only: PostgreSQL keeps the bodies in the rows (test_store_calls.c covers them there) */
    return store_suite_main("store_bodies", tests, sizeof(tests) / sizeof(tests[0]), argc > 1 ? argc : 2,
                            argc > 1 ? argv : (char *[]){argv[0], "sqlite", NULL});
}
