/*
 * The privacy admin routes (gateway/admin_privacy.c) and the store CLI commands
 * (gateway/cmd_store.c) on a SQLite store: routing, statuses, parameter errors, and that each
 * command does what it says to the database. The store itself is covered on both backends by
 * test_store.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/admin_privacy.h"
#include "gateway/cmd_store.h"
#include "gateway/store/store.h"

#define T0 INT64_C(1763700000000000) /* 2025-11-21T04:40:00Z */

typedef struct st_fx_t {
    char dir[64], db[128], key[128], cfg[128];
    gw_store_t *st;
} fx_t;

static int run_cmd(int (*fn)(int, char **), const char *a0, const char *a1, const char *a2, const char *a3, const char *a4)
{
    char *argv[6] = {(char *)a0, (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};
    int argc = 0;
    while (argc < 5 && argv[argc] != NULL)
        argc++;
    fflush(stdout);
    return fn(argc, argv);
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/aigw-test-admin-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->db, sizeof(fx->db), "%s/var/aigw.db", fx->dir);
    snprintf(fx->key, sizeof(fx->key), "%s/master.key", fx->dir);
    snprintf(fx->cfg, sizeof(fx->cfg), "%s/aigw.json", fx->dir);
    if (run_cmd(gw_cmd_keygen, "keygen", fx->key, NULL, NULL, NULL) != 0)
        return -1;
    FILE *f = fopen(fx->cfg, "w");
    fprintf(
        f,
        "{\"listen\":[{\"host\":\"127.0.0.1\",\"port\":18080}],\"clients\":[{\"name\":\"backend\",\"key\":\"k-1234567890abcdef\"}],"
        "\"providers\":{\"openai\":{\"base_url\":\"http://127.0.0.1:1\",\"api_key\":\"x\"}},"
        "\"store\":{\"driver\":\"sqlite\",\"path\":\"%s\",\"purge_interval_s\":0},\"master_key_file\":\"%s\","
        "\"retention\":{\"access_log_days\":1}}\n",
        fx->db, fx->key);
    fclose(f);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    char cmd[128];
    gw_store_close(fx->st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

static gw_store_t *open_store(fx_t *fx)
{
    char err[512], cfg[256];
    snprintf(cfg, sizeof(cfg), "{\"driver\":\"sqlite\",\"path\":\"%s\",\"purge_interval_s\":0}", fx->db);
    json_t *sc = json_loads(cfg, 0, NULL);
    gw_store_t *st = gw_store_open(sc, NULL, NULL, fx->key, err, sizeof(err));
    json_decref(sc);
    if (st == NULL)
        fail_msg("open: %s", err);
    return st;
}

static void add_call(gw_store_t *st, const char *rid, const char *user, int64_t at, int nred)
{
    gw_call_rec_t *r = calloc(1, sizeof(*r));
    snprintf(r->request_id, sizeof(r->request_id), "%s", rid);
    r->user_id = strdup(user);
    snprintf(r->provider, sizeof(r->provider), "openai");
    r->route = strdup("/v1/chat/completions");
    r->status = 200;
    r->started_at_us = at;
    r->request_body = strdup("{\"q\":1}");
    r->request_len = 7;
    r->nredactions = (size_t)nred;
    r->redactions = calloc((size_t)nred + 1, sizeof(*r->redactions));
    for (int i = 0; i < nred; i++) {
        snprintf(r->redactions[i].entity_type, sizeof(r->redactions[i].entity_type), "EMAIL_ADDRESS");
        snprintf(r->redactions[i].action, sizeof(r->redactions[i].action), "redact");
        r->redactions[i].field = strdup("/q");
    }
    assert_int_equal(gw_store_submit_call(st, r), 0);
}

static json_t *call(gw_store_t *st, const char *method, const char *path, const char *query, const char *body, int *status)
{
    gw_buf_t out = GW_BUF_INIT;
    *status = 0;
    int rc = gw_admin_privacy_handle(st, method, path, query, body, body ? strlen(body) : 0, status, &out);
    assert_int_equal(rc, 0);
    json_t *j = json_loadb(out.base, out.len, 0, NULL);
    if (j == NULL)
        fail_msg("%s %s: not JSON: %.*s", method, path, (int)out.len, out.base ? out.base : "");
    gw_buf_free(&out);
    return j;
}

static void test_admin_routes(void **state)
{
    fx_t *fx = *state;
    fx->st = open_store(fx);
    add_call(fx->st, "r1", "a@b.example", T0, 2);
    add_call(fx->st, "r2", "a@b.example", T0 + 1, 1);
    add_call(fx->st, "r3", "bob", T0 + 2, 0);
    assert_int_equal(gw_store_flush(fx->st), 0);
    int status;
    json_t *j;

    /* Routes of other roles are not ours. */
    gw_buf_t out = GW_BUF_INIT;
    assert_int_equal(gw_admin_privacy_handle(fx->st, "GET", "/users/bob", NULL, NULL, 0, &status, &out), GW_E_NOT_FOUND);
    assert_int_equal(gw_admin_privacy_handle(fx->st, "POST", "/users/bob/credits", NULL, "{}", 2, &status, &out), GW_E_NOT_FOUND);
    assert_int_equal(gw_admin_privacy_handle(fx->st, "GET", "/usage", NULL, NULL, 0, &status, &out), GW_E_NOT_FOUND);
    gw_buf_free(&out);

    j = call(fx->st, "GET", "/users/a%40b.example/export", NULL, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(json_array_size(json_object_get(j, "calls")), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "calls"), 0), "request_body")),
                        "{\"q\":1}");
    json_decref(j);
    j = call(fx->st, "GET", "/users/nobody/export", NULL, NULL, &status);
    assert_int_equal(status, 404);
    assert_non_null(json_object_get(j, "error"));
    json_decref(j);
    j = call(fx->st, "POST", "/users/bob/export", NULL, NULL, &status);
    assert_int_equal(status, 405);
    json_decref(j);
    j = call(fx->st, "GET", "/users/bad%zz/export", NULL, NULL, &status);
    assert_int_equal(status, 400);
    json_decref(j);

    j = call(fx->st, "PUT", "/users/bob/consent", NULL, "{\"training\": true}", &status);
    assert_int_equal(status, 200);
    assert_true(json_is_true(json_object_get(j, "consent_training")));
    json_decref(j);
    int t = 0;
    assert_int_equal(gw_store_get_consent(fx->st, "bob", &t), 0);
    assert_int_equal(t, 1);
    j = call(fx->st, "PUT", "/users/bob/consent", NULL, "{\"training\": \"yes\"}", &status);
    assert_int_equal(status, 400);
    json_decref(j);

    j = call(fx->st, "GET", "/redactions", "type=EMAIL_ADDRESS&limit=2&from=2025-11-21", NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
    const char *cur = json_string_value(json_object_get(j, "next_cursor"));
    assert_non_null(cur);
    char q[96];
    snprintf(q, sizeof(q), "type=EMAIL_ADDRESS&limit=2&cursor=%s", cur);
    json_decref(j);
    j = call(fx->st, "GET", "/redactions", q, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    assert_true(json_is_null(json_object_get(j, "next_cursor")));
    json_decref(j);
    j = call(fx->st, "GET", "/redactions", "from=2025-11-22", NULL, &status); /* after every record */
    assert_int_equal(status, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
    json_decref(j);
    const char *bad[] = {"from=yesterday", "limit=0", "limit=5000", "cursor=abc", "user=%"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        j = call(fx->st, "GET", "/redactions", bad[i], NULL, &status);
        assert_int_equal(status, 400);
        json_decref(j);
    }

    j = call(fx->st, "GET", "/redactions/summary", "from=2025-11-21T00:00:00Z&to=1763769600", NULL, &status);
    assert_int_equal(status, 200);
    json_t *d0 = json_array_get(json_object_get(j, "days"), 0);
    assert_string_equal(json_string_value(json_object_get(d0, "day")), "2025-11-21");
    assert_int_equal(json_integer_value(json_object_get(d0, "count")), 3);
    json_decref(j);

    j = call(fx->st, "GET", "/retention", NULL, NULL, &status);
    assert_int_equal(status, 200);
    assert_int_equal(json_array_size(json_object_get(j, "classes")), POL_RET_NCLASSES);
    json_decref(j);
    j = call(fx->st, "DELETE", "/retention", NULL, NULL, &status);
    assert_int_equal(status, 405);
    json_decref(j);

    j = call(fx->st, "DELETE", "/users/a%40b.example", NULL, NULL, &status);
    assert_int_equal(status, 200);
    assert_true(json_is_true(json_object_get(j, "key_destroyed")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "deleted"), "calls")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "deleted"), "redactions")), 3);
    json_decref(j);
    j = call(fx->st, "GET", "/users/a%40b.example/export", NULL, NULL, &status);
    assert_int_equal(status, 404);
    json_decref(j);
}

static void test_parse_time(void **state)
{
    int64_t t;
    assert_int_equal(gw_admin_parse_time("2025-11-21", &t), 0);
    assert_true(t == INT64_C(1763683200) * 1000000);
    assert_int_equal(gw_admin_parse_time("2025-11-21T04:40:00Z", &t), 0);
    assert_true(t == T0);
    assert_int_equal(gw_admin_parse_time("1763700000", &t), 0);
    assert_true(t == T0);
    assert_int_equal(gw_admin_parse_time("2025-11-21T04:40:00", &t), -1);
    assert_int_equal(gw_admin_parse_time("-5", &t), -1);
    assert_int_equal(gw_admin_parse_time("", &t), -1);
}

static void test_cli(void **state)
{
    fx_t *fx = *state;
    struct stat sb;
    assert_int_equal(stat(fx->key, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(run_cmd(gw_cmd_keygen, "keygen", fx->key, NULL, NULL, NULL), 1); /* never overwrites */
    assert_int_equal(run_cmd(gw_cmd_keygen, "keygen", "--help", NULL, NULL, NULL), 0);

    /* Data written through a store opened like the CLI opens it. */
    fx->st = open_store(fx);
    add_call(fx->st, "c1", "carol", T0, 1);
    add_call(fx->st, "c2", "dave", T0, 0);
    gw_store_access_rec_t *a = calloc(1, sizeof(*a));
    snprintf(a->method, sizeof(a->method), "GET");
    a->at_us = 1000000; /* 1970: long expired under access_log_days 1 */
    assert_int_equal(gw_store_submit_access(fx->st, a), 0);
    gw_store_close(fx->st);
    fx->st = NULL;

    assert_int_equal(run_cmd(gw_cmd_user, "user", "consent", "carol", "on", "--config"), 2); /* --config without file */
    assert_int_equal(run_cmd(gw_cmd_user_consent, "consent", "carol", "on", "--config", fx->cfg), 0);
    assert_int_equal(run_cmd(gw_cmd_user_consent, "consent", "carol", "maybe", "--config", fx->cfg), 2);
    assert_int_equal(run_cmd(gw_cmd_user_consent, "consent", "nobody", "--config", fx->cfg, NULL), 1);
    assert_int_equal(run_cmd(gw_cmd_user, "user", "grant", "carol", NULL, NULL), 2);
    assert_int_equal(run_cmd(gw_cmd_user_export, "export", "carol", "--config", fx->cfg, NULL), 0);
    assert_int_equal(run_cmd(gw_cmd_purge, "purge", "--dry-run", "--config", fx->cfg, NULL), 0);
    assert_int_equal(run_cmd(gw_cmd_purge, "purge", "--config", fx->cfg, NULL, NULL), 0);
    assert_int_equal(run_cmd(gw_cmd_user_forget, "forget", "dave", "--config", fx->cfg, NULL), 0);

    char newkey[160];
    snprintf(newkey, sizeof(newkey), "%s/new.key", fx->dir);
    assert_int_equal(run_cmd(gw_cmd_keygen, "keygen", newkey, NULL, NULL, NULL), 0);
    assert_int_equal(run_cmd(gw_cmd_keys, "keys", "rotate", "--config", fx->cfg, NULL), 2); /* --new-key missing */
    assert_int_equal(run_cmd(gw_cmd_keys, "keys", "rotate", "--new-key", newkey, "--config"), 2);
    char *argv[] = {"keys", "rotate", "--new-key", newkey, "--config", fx->cfg, NULL};
    assert_int_equal(gw_cmd_keys(6, argv), 0);

    /* Effects: consent on, dave gone, the expired access row purged, keys under the new master key. */
    char err[512], cfg[256];
    snprintf(cfg, sizeof(cfg), "{\"driver\":\"sqlite\",\"path\":\"%s\",\"purge_interval_s\":0}", fx->db);
    json_t *sc = json_loads(cfg, 0, NULL);
    assert_null(gw_store_open(sc, NULL, NULL, fx->key, err, sizeof(err))); /* old key refused */
    fx->st = gw_store_open(sc, NULL, NULL, newkey, err, sizeof(err));
    json_decref(sc);
    assert_non_null(fx->st);
    int t = 0;
    assert_int_equal(gw_store_get_consent(fx->st, "carol", &t), 0);
    assert_int_equal(t, 1);
    assert_int_equal(gw_store_get_consent(fx->st, "dave", &t), GW_STORE_E_NOTFOUND);
    gw_buf_t b = GW_BUF_INIT;
    assert_int_equal(gw_store_retention_status(fx->st, &b), 0);
    json_t *j = json_loadb(b.base, b.len, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(j, "classes"), POL_RET_ACCESS_LOG), "rows")),
                     0);
    json_decref(j);
    gw_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_admin_routes, setup, teardown),
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
