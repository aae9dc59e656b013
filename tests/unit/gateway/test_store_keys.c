/*
 * The privacy store, keys and files (store_fixture.h runs each test on SQLite and on PostgreSQL):
 * file modes of the database and its directory, master key rotation, and the refusal of a master
 * key file other users can read.
 */
#include "store_fixture.h"

/* issue 14: the SQLite file and its WAL/SHM are 0600, a directory the store creates is 0700, and
 * a file an older run left 0644 is tightened. */
static void test_file_modes(void **state)
{
    fx_t *fx = *state;
    if (use_pg)
        skip(); /* PostgreSQL's files belong to its server */
    struct stat sb;
    submit_call(fx->st, mkcall("r1", "alice", T0, "body", "resp", 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[400];
        snprintf(p, sizeof(p), "%s%s", fx->db, suffix[i]);
        assert_int_equal(stat(p, &sb), 0);
        if ((sb.st_mode & 0777) != 0600)
            fail_msg("%s: mode %03o, expected 0600", p, (unsigned)(sb.st_mode & 0777));
    }
    gw_store_close(fx->st);
    fx->st = NULL;
    assert_int_equal(chmod(fx->db, 0644), 0);
    char err[512] = "";
    char sub[sizeof(fx->dir) + 16];
    snprintf(sub, sizeof(sub), "%s/newdir", fx->dir);
    char saved[sizeof(fx->db)];
    memcpy(saved, fx->db, sizeof(saved));
    fx->st = open_store_ex(fx, NULL, NULL, NULL, NULL, err, sizeof(err)); /* the 0644 file */
    assert_non_null(fx->st);
    assert_int_equal(stat(fx->db, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    gw_store_close(fx->st);
    snprintf(fx->db, sizeof(fx->db), "%s/aigw.db", sub); /* a directory the store creates */
    fx->st = open_store_ex(fx, NULL, NULL, NULL, NULL, err, sizeof(err));
    assert_non_null(fx->st);
    assert_int_equal(stat(sub, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(stat(fx->db, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    gw_store_close(fx->st);
    fx->st = NULL;
    char cmd[900];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sub);
    assert_int_equal(system(cmd), 0);
    memcpy(fx->db, saved, sizeof(saved));
    fx->st = open_store(fx, NULL);
}

static void test_rotation(void **state)
{
    fx_t *fx = *state;
    char err[512] = "", newkey[330];
    submit_call(fx->st, mkcall("r1", "alice", T0, "alice-body", NULL, 0));
    submit_call(fx->st, mkcall("r2", "bob", T0, "bob-body", NULL, 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    char old_id[POL_CRYPTO_KEY_ID_CHARS + 1];
    snprintf(old_id, sizeof(old_id), "%s", gw_store_master_key_id(fx->st));
    snprintf(newkey, sizeof(newkey), "%s/new.key", fx->dir);
    write_key(newkey);
    assert_int_equal(gw_store_rotate_master_key(fx->st, newkey), 0);
    assert_string_not_equal(gw_store_master_key_id(fx->st), old_id);
    assert_int_equal(raw_count(fx, "SELECT COUNT(*) FROM users WHERE key_id = ?", gw_store_master_key_id(fx->st)), 2);
    /* Bodies untouched and still readable; new writes use the new key. */
    int rc;
    json_t *doc = export_json(fx->st, "alice", &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(doc, "calls"), 0), "request_body")),
                        "alice-body");
    json_decref(doc);
    submit_call(fx->st, mkcall("r3", "carol", T0, "carol-body", NULL, 0));
    assert_int_equal(gw_store_flush(fx->st), 0);
    gw_store_close(fx->st);
    fx->st = NULL;
    /* The old key is refused at start (rotation is detectable), the new one works. */
    assert_null(open_store_ex(fx, NULL, NULL, NULL, fx->key, err, sizeof(err)));
    assert_non_null(strstr(err, "master key"));
    fx->st = open_store_ex(fx, NULL, NULL, NULL, newkey, err, sizeof(err));
    assert_non_null(fx->st);
    doc = export_json(fx->st, "bob", &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(doc, "calls"), 0), "request_body")),
                        "bob-body");
    json_decref(doc);
    doc = export_json(fx->st, "carol", &rc);
    assert_int_equal(rc, 0);
    json_decref(doc);
    /* Re-running the rotation to the same key is a no-op. */
    assert_int_equal(gw_store_rotate_master_key(fx->st, newkey), 0);
    snprintf(fx->key, sizeof(fx->key), "%s", newkey);
}

static void test_master_key_mode(void **state)
{
    fx_t *fx = *state;
    char err[512] = "", path[320];
    snprintf(path, sizeof(path), "%s/loose.key", fx->dir);
    write_key(path);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* keygen never overwrites. */
    pol_key_t *k = pol_key_new_random();
    assert_int_equal(gw_keyfile_write(path, k, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "overwrite"));
    pol_key_free(k);
    assert_int_equal(chmod(path, 0644), 0);
    gw_store_close(fx->st);
    fx->st = open_store_ex(fx, NULL, NULL, NULL, path, err, sizeof(err));
    assert_null(fx->st);
    assert_non_null(strstr(err, "0644"));
    assert_int_equal(chmod(path, 0640), 0);
    assert_null(open_store_ex(fx, NULL, NULL, NULL, path, err, sizeof(err)));
    snprintf(path, sizeof(path), "%s/missing.key", fx->dir);
    assert_null(open_store_ex(fx, NULL, NULL, NULL, path, err, sizeof(err)));
    assert_non_null(strstr(err, "keygen"));
    fx->st = open_store(fx, NULL);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_master_key_mode, setup, teardown),
    };
    return store_suite_main("store_keys", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
