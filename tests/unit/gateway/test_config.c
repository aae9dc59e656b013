/*
 * Config loading: defaults, ${ENV} expansion, key hashing, and that every kind of mistake
 * fails with the key path and what was expected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "gateway/config.h"

static gw_config_t *parse(const char *json, char *err, size_t errlen)
{
    return gw_config_parse(json, strlen(json), "test.json", err, errlen);
}

static void expect_error(const char *json, const char *fragment)
{
    char err[512] = "";
    gw_config_t *cfg = parse(json, err, sizeof(err));
    if (cfg != NULL || strstr(err, fragment) == NULL)
        fail_msg("config %s: expected an error containing \"%s\", got \"%s\"", json, fragment, cfg ? "(accepted)" : err);
}

static void test_empty_object_gets_defaults(void **state)
{
    char err[256];
    gw_config_t *cfg = parse("{}", err, sizeof(err));
    assert_non_null(cfg);
    assert_int_equal(cfg->nlisten, 1);
    assert_string_equal(cfg->listen[0].host, "127.0.0.1");
    assert_int_equal(cfg->listen[0].port, 8080);
    assert_null(cfg->listen[0].tls_cert);
    assert_int_equal(cfg->workers, 0);
    assert_int_equal(cfg->max_request_body_bytes, 20u << 20);
    assert_int_equal(cfg->scan_offload_min_bytes, 256u << 10);
    assert_int_equal(cfg->scan_threads, 2);
    assert_int_equal(cfg->upstream.connect_timeout_ms, 10000);
    assert_int_equal(cfg->upstream.max_connections, 1024);
    assert_string_equal(cfg->access_log_path, "-");
    assert_int_equal(cfg->nclients, 0);
    gw_config_free(cfg);
}

static void test_full_config(void **state)
{
    char err[256];
    gw_config_t *cfg =
        parse("{\"listen\":[{\"host\":\"::1\",\"port\":9000},{\"port\":9443,\"tls\":{\"cert\":\"c.pem\",\"key\":\"k.pem\"}}],"
              "\"workers\":3,\"limits\":{\"max_request_body_bytes\":4096,\"scan_offload_min_bytes\":0,\"scan_threads\":5},"
              "\"upstream\":{\"idle_timeout_ms\":500,\"ca_file\":\"ca.pem\"},"
              "\"clients\":[{\"name\":\"backend\",\"key\":\"0123456789abcdef-key\"}],"
              "\"admin_tokens\":[{\"role\":\"ops\",\"token\":\"ops-token-0123456789\"}],"
              "\"providers\":{\"openai\":{\"base_url\":\"http://127.0.0.1:1234/\",\"api_key\":\"sk-x\"}},"
              "\"pii\":{\"default_action\":\"redact\"}}",
              err, sizeof(err));
    assert_non_null(cfg);
    assert_int_equal(cfg->nlisten, 2);
    assert_string_equal(cfg->listen[0].host, "::1");
    assert_string_equal(cfg->listen[1].tls_cert, "c.pem");
    assert_int_equal(cfg->workers, 3);
    assert_int_equal(cfg->max_request_body_bytes, 4096);
    assert_int_equal(cfg->scan_offload_min_bytes, 0);
    assert_int_equal(cfg->scan_threads, 5);
    assert_int_equal(cfg->upstream.idle_timeout_ms, 500);
    assert_string_equal(cfg->upstream.ca_file, "ca.pem");
    assert_int_equal(cfg->nclients, 1);
    assert_string_equal(cfg->clients[0].name, "backend");
    unsigned char h[GW_KEY_HASH_BYTES];
    gw_config_hash_key("0123456789abcdef-key", 20, h);
    assert_memory_equal(h, cfg->clients[0].key_hash, sizeof(h));
    assert_string_equal(cfg->admin_tokens[0].role, "ops");
    const gw_provider_conf_t *p = gw_config_provider(cfg, "openai");
    assert_non_null(p);
    assert_string_equal(p->base_url, "http://127.0.0.1:1234"); /* trailing slash dropped */
    assert_string_equal(p->api_key, "sk-x");
    assert_null(gw_config_provider(cfg, "gemini"));
    /* module sections are kept for their modules; secrets are not kept in the tree */
    assert_non_null(gw_config_section(cfg, "pii"));
    assert_null(json_object_get(json_array_get(json_object_get(cfg->root, "clients"), 0), "key"));
    assert_null(json_object_get(json_object_get(json_object_get(cfg->root, "providers"), "openai"), "api_key"));
    gw_config_free(cfg);
}

static void test_key_hash_form(void **state)
{
    unsigned char h[GW_KEY_HASH_BYTES];
    char hex[2 * GW_KEY_HASH_BYTES + 1], json[256], err[256];
    gw_config_hash_key("a-client-key-of-some-length", 27, h);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    snprintf(json, sizeof(json), "{\"clients\":[{\"name\":\"b\",\"key_hash\":\"blake2b:%s\"}]}", hex);
    gw_config_t *cfg = parse(json, err, sizeof(err));
    assert_non_null(cfg);
    assert_memory_equal(cfg->clients[0].key_hash, h, sizeof(h));
    gw_config_free(cfg);
    expect_error("{\"clients\":[{\"name\":\"b\",\"key_hash\":\"blake2b:abcd\"}]}", "clients[0].key_hash: expected");
}

static void test_env_expansion(void **state)
{
    char err[256];
    setenv("AIGW_TEST_KEY", "from-env-0123456789", 1);
    unsetenv("AIGW_TEST_UNSET");
    char *s = gw_config_expand_env("a${AIGW_TEST_KEY}b$$c${AIGW_TEST_UNSET:-dflt}", err, sizeof(err));
    assert_non_null(s);
    assert_string_equal(s, "afrom-env-0123456789b$cdflt");
    free(s);
    assert_null(gw_config_expand_env("${AIGW_TEST_UNSET}", err, sizeof(err)));
    assert_non_null(strstr(err, "AIGW_TEST_UNSET is not set"));
    assert_null(gw_config_expand_env("${unterminated", err, sizeof(err)));
    assert_null(gw_config_expand_env("${BAD NAME}", err, sizeof(err)));

    gw_config_t *cfg = parse("{\"clients\":[{\"name\":\"b\",\"key\":\"${AIGW_TEST_KEY}\"}]}", err, sizeof(err));
    assert_non_null(cfg);
    unsigned char h[GW_KEY_HASH_BYTES];
    gw_config_hash_key("from-env-0123456789", 19, h);
    assert_memory_equal(cfg->clients[0].key_hash, h, sizeof(h));
    gw_config_free(cfg);
    expect_error("{\"clients\":[{\"name\":\"b\",\"key\":\"${AIGW_TEST_UNSET}\"}]}", "clients[0].key: environment variable");
}

static void test_errors_name_the_key(void **state)
{
    expect_error("not json", "line 1");
    expect_error("[]", "expected a JSON object");
    expect_error("{\"listen\":[{\"port\":0}]}", "listen[0].port: expected an integer in 1..65535");
    expect_error("{\"listen\":[]}", "listen: expected an array");
    expect_error("{\"listen\":[{\"port\":80,\"tls\":{\"cert\":\"a\"}}]}", "listen[0].tls");
    expect_error("{\"listen\":[{\"port\":80,\"bogus\":1}]}", "listen[0].bogus: unknown key");
    expect_error("{\"listen\":[{\"port\":80},{\"port\":80}]}", "listen[1]: 127.0.0.1:80 is already used");
    expect_error("{\"workers\":-1}", "workers: expected an integer in 0..256");
    expect_error("{\"upstream\":{\"connect_timeout_ms\":\"10\"}}", "upstream.connect_timeout_ms: expected an integer");
    expect_error("{\"upstream\":{\"conect_timeout_ms\":10}}", "upstream.conect_timeout_ms: unknown key");
    expect_error("{\"limits\":{\"max_request_body_bytes\":1}}", "limits.max_request_body_bytes: expected an integer in 1024..");
    expect_error("{\"limits\":{\"scan_threads\":0}}", "limits.scan_threads: expected an integer in 1..64");
    expect_error("{\"limits\":{\"scan_offload_min_bytes\":-1}}", "limits.scan_offload_min_bytes: expected an integer in 0..");
    expect_error("{\"lisen\":[]}", "lisen: unknown key");
    expect_error("{\"clients\":[{\"name\":\"b\",\"key\":\"short\"}]}", "clients[0].key: expected a secret of at least 12");
    expect_error("{\"clients\":[{\"name\":\"b\"}]}", "clients[0]: expected exactly one of");
    expect_error("{\"clients\":{}}", "clients: expected an array");
    expect_error("{\"admin_tokens\":[{\"role\":\"root\",\"token\":\"0123456789abcdefgh\"}]}",
                 "admin_tokens[0].role: expected one of");
    expect_error("{\"providers\":{\"nope\":{\"base_url\":\"http://x\"}}}", "providers.nope: unknown provider");
    expect_error("{\"providers\":{\"openai\":{\"base_url\":\"ftp://x\"}}}", "providers.openai.base_url: expected an http");
    expect_error("{\"providers\":{\"openai\":{\"base_url\":\"http://x\",\"tier\":\"gold\"}}}", "providers.openai.tier");
    expect_error("{\"workers\":1,\"workers\":2}", "duplicate");
}

static void test_embedded_default_parses(void **state)
{
    char err[256];
    setenv("AIGW_CLIENT_KEY", "dev-key-0123456789", 1);
    gw_config_t *cfg =
        gw_config_parse(gw_config_embedded_default, strlen(gw_config_embedded_default), "<embedded>", err, sizeof(err));
    assert_non_null(cfg);
    assert_int_equal(cfg->nclients, 1);
    assert_non_null(gw_config_provider(cfg, "openai"));
    gw_config_free(cfg);
}

/* issue 14: hints for typos, IP-literal hosts, provider defaults and the key's variable name */
static void test_hints_defaults_and_key_env(void **state)
{
    (void)state;
    static const char *const cands[] = {"call_log_days", "redaction_log_days", "access_log_days"};
    assert_string_equal(gw_config_closest("call_log_dayz", cands, 3), "call_log_days");
    assert_string_equal(gw_config_closest("ACCESS_LOG_DAYS", cands, 3), "access_log_days");
    assert_null(gw_config_closest("rpm", cands, 3));
    char err[256] = "retention.call_log_dayz: unknown key (expected call_log_days, redaction_log_days)";
    gw_config_hint_unknown_key(err, sizeof(err));
    assert_non_null(strstr(err, "(did you mean \"call_log_days\"?)"));
    char err2[256] = "x.zzzz: unknown key (expected alpha|beta)";
    gw_config_hint_unknown_key(err2, sizeof(err2));
    assert_null(strstr(err2, "did you mean")); /* nothing close: no hint */

    expect_error("{\"upstrem\":{}}", "upstrem: unknown key (expected listen,");
    expect_error("{\"upstrem\":{}}", "(did you mean \"upstream\"?)");
    expect_error("{\"listen\":[{\"host\":\"localhost\",\"port\":80}]}", "listen[0].host: \"localhost\" is not an IPv4");
    expect_error("{\"listen\":[{\"host\":\"localhost\",\"port\":80}]}", "127.0.0.1 or ::1");

    char e[256];
    setenv("AIGW_TEST_GEMINI", "", 1);
    gw_config_t *cfg = parse("{\"providers\":{\"gemini\":{\"api_key\":\"${AIGW_TEST_GEMINI:-}\"},\"anthropic\":{}}}", e, sizeof(e));
    assert_non_null(cfg);
    const gw_provider_conf_t *g = gw_config_provider(cfg, "gemini");
    assert_string_equal(g->base_url, "https://generativelanguage.googleapis.com");
    assert_string_equal(g->api_key, "");
    assert_string_equal(g->api_key_env, "AIGW_TEST_GEMINI");
    const gw_provider_conf_t *a = gw_config_provider(cfg, "anthropic");
    assert_string_equal(a->base_url, "https://api.anthropic.com");
    assert_string_equal(a->api_key_env, "ANTHROPIC_API_KEY"); /* no ${...}: the adapter's variable */
    gw_config_free(cfg);
}

static void test_load_file(void **state)
{
    char err[256], path[] = "/tmp/aigw-test-config-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *json = "{\"workers\": 2}";
    assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    gw_config_t *cfg = gw_config_load(path, err, sizeof(err));
    assert_non_null(cfg);
    assert_int_equal(cfg->workers, 2);
    gw_config_free(cfg);
    unlink(path);
    assert_null(gw_config_load("/nonexistent/aigw.json", err, sizeof(err)));
    assert_non_null(strstr(err, "cannot open"));
}

/* Issue 10: binary pass-through routes and account headers per provider, validated at start. */
static void test_provider_fail_closed_keys(void **state)
{
    char err[512] = "";
    const char *ok = "{\"providers\":{\"openai\":{\"base_url\":\"https://api.openai.com\",\"api_key\":\"k\","
                     "\"binary_routes\":[\"audio/raw-*\",\"uploads/x\"],\"headers\":{\"OpenAI-Organization\":\"org-1\"}}}}";
    gw_config_t *cfg = parse(ok, err, sizeof(err));
    if (cfg == NULL)
        fail_msg("%s", err);
    const gw_provider_conf_t *pc = gw_config_provider(cfg, "openai");
    assert_int_equal(pc->nbinary_routes, 2);
    assert_string_equal(pc->binary_routes[0], "audio/raw-*");
    assert_int_equal(pc->nheaders, 1);
    assert_string_equal(pc->header_names[0], "OpenAI-Organization");
    assert_string_equal(pc->header_values[0], "org-1");
    gw_config_free(cfg);
    /* default: no pass-through at all */
    cfg = parse("{\"providers\":{\"openai\":{\"base_url\":\"https://api.openai.com\"}}}", err, sizeof(err));
    assert_non_null(cfg);
    assert_int_equal(gw_config_provider(cfg, "openai")->nbinary_routes, 0);
    gw_config_free(cfg);
#define P(x) "{\"providers\":{\"openai\":{\"base_url\":\"https://a\"," x "}}}"
    expect_error(P("\"binary_routes\":\"audio/*\""), "providers.openai.binary_routes: expected an array");
    expect_error(P("\"binary_routes\":[\"/v1/audio\"]"), "providers.openai.binary_routes[0]: expected a glob");
    expect_error(P("\"binary_routes\":[\"\"]"), "providers.openai.binary_routes[0]");
    expect_error(P("\"binary_routes\":[\"a?b\"]"), "providers.openai.binary_routes[0]");
    expect_error(P("\"binary_routes\":[1]"), "providers.openai.binary_routes[0]");
    expect_error(P("\"headers\":[]"), "providers.openai.headers: expected an object");
    expect_error(P("\"headers\":{\"Authorization\":\"Bearer x\"}"), "providers.openai.headers.Authorization: aigw sets");
    expect_error(P("\"headers\":{\"X-AIGW-User\":\"u\"}"), "providers.openai.headers.X-AIGW-User: aigw sets");
    expect_error(P("\"headers\":{\"Bad Name\":\"v\"}"), "providers.openai.headers.Bad Name: expected a header name");
    expect_error(P("\"headers\":{\"OpenAI-Project\":\"a\\r\\nX: y\"}"), "providers.openai.headers.OpenAI-Project: expected");
    expect_error(P("\"headers\":{\"OpenAI-Project\":1}"), "providers.openai.headers.OpenAI-Project: expected");
#undef P
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_object_gets_defaults),
        cmocka_unit_test(test_full_config),
        cmocka_unit_test(test_key_hash_form),
        cmocka_unit_test(test_provider_fail_closed_keys),
        cmocka_unit_test(test_env_expansion),
        cmocka_unit_test(test_errors_name_the_key),
        cmocka_unit_test(test_embedded_default_parses),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_hints_defaults_and_key_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
