/*
 * Unit tests for the adapter table (providers/provider.h): table sanity, provider-shaped error
 * bodies and their status mapping, the skip lists over every request fixture of the repository manifest (no
 * planted PII sits in a field an adapter declares structural, every opaque token of the fixtures is
 * base64, every other string and key is reported), cost-estimate inputs of the request fixtures,
 * model names from paths, prov_for_model() globs, and fal's x-fal-target-url allow-list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "common/json.h"
#include "common/limits.h"
#include "providers/provider.h"
#include "support/support.h"

static char fixtures_dir[1024];

static json_t *load_manifest(void)
{
    snprintf(fixtures_dir, sizeof(fixtures_dir), "%s", AIGW_FIXTURES_DIR);
    char path[1100];
    snprintf(path, sizeof(path), "%s/manifest.json", fixtures_dir);
    json_t *m = json_load_file(path, 0, NULL);
    assert_non_null(m);
    return m;
}

static char *read_file(const char *rel, size_t *len)
{
    char path[2048];
    snprintf(path, sizeof(path), "%s/%s", fixtures_dir, rel);
    char *buf = ts_slurp(path, len);
    assert_non_null(buf);
    return buf;
}

static const prov_adapter_t *adapter_of(const char *file)
{
    char name[64];
    const char *slash = strchr(file, '/');
    snprintf(name, sizeof(name), "%.*s", (int)(slash - file), file);
    const prov_adapter_t *a = prov_find(name);
    assert_non_null(a);
    return a;
}

/* ---- table ---- */

static void test_table(void **state)
{
    (void)state;
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    assert_int_equal(n, 8);
    static const char *const names[] = {"openai", "gemini", "anthropic", "replicate", "openrouter", "deepseek", "fireworks", "fal"};
    for (size_t i = 0; i < 8; i++)
        assert_ptr_equal(prov_find(names[i]), all[i]);
    assert_null(prov_find("nope"));
    for (size_t i = 0; i < n; i++) {
        const prov_adapter_t *a = all[i];
        /* call records, prediction rows and the pipeline keep the name in GW_PROVIDER_NAME_MAX + 1 bytes */
        assert_true(strlen(a->name) <= GW_PROVIDER_NAME_MAX);
        assert_non_null(a->route_prefix);
        assert_non_null(a->upstream_prefix);
        assert_int_equal(a->route_prefix[strlen(a->route_prefix) - 1], '/');
        assert_int_equal(a->upstream_prefix[strlen(a->upstream_prefix) - 1], '/');
        assert_non_null(a->skip_fields);
        assert_non_null(a->error_body);
        assert_non_null(a->error_content_type);
        assert_non_null(a->usage_from_json);
        assert_non_null(a->usage_from_event);
        assert_non_null(a->estimate_inputs);
        assert_true((a->target_url == NULL) == (a->target_hosts == NULL));
        /* the gateway finds the header by this name (h2o lower-cases request header names) */
        assert_true((a->target_url == NULL) == (a->target_header == NULL));
        for (const char *c = a->target_header; c != NULL && *c != '\0'; c++)
            assert_false(*c >= 'A' && *c <= 'Z');
        /* asynchronous predictions: a create answer names its id; declared links are whole (provider.h) */
        assert_true(a->async_create_routes == NULL || a->async_id_fields != NULL);
        assert_true(a->async_terminal_statuses == NULL || a->async_status_field != NULL);
        if (a->async_links != NULL) {
            const prov_async_links_t *l = a->async_links;
            assert_non_null(a->async_id_fields);
            assert_non_null(l->object);
            assert_non_null(l->table);
            assert_non_null(l->table[0].field);
            int caps = 0;
            for (const prov_async_link_t *k = l->table; k->field != NULL; k++) {
                const char *mark = strstr(k->route, "{id}");
                assert_non_null(mark); /* every aigw route names the prediction */
                assert_null(strstr(mark + 4, "{id}"));
                assert_int_not_equal(k->route[0], '/'); /* after the route prefix */
                caps += k->capability != 0;
            }
            assert_true(caps <= 1);
            if (caps == 1) { /* the capability route: its origin, text event and key label */
                assert_non_null(l->stream_origin);
                assert_int_equal(l->stream_origin[strlen(l->stream_origin) - 1], '/');
                assert_non_null(l->text_event);
                assert_non_null(l->key_label);
            }
        }
        /* no route prefix shadows another, and none shadows the unified /v1/ route */
        assert_true(strncmp(a->route_prefix, "/v1/", 4) != 0);
        for (size_t j = 0; j < n; j++)
            if (i != j)
                assert_true(strncmp(all[j]->route_prefix, a->route_prefix, strlen(a->route_prefix)) != 0);
    }
    assert_string_equal(prov_gemini.route_prefix, "/gemini/v1beta/");
    assert_int_equal(prov_gemini.auth, PROV_AUTH_X_GOOG);
    assert_int_equal(prov_anthropic.auth, PROV_AUTH_X_API_KEY);
    assert_int_equal(prov_fal.auth, PROV_AUTH_KEY);
    assert_null(prov_anthropic.compat_prefix);
    assert_null(prov_replicate.compat_prefix);
    assert_null(prov_fal.compat_prefix);
    assert_string_equal(prov_gemini.compat_prefix, "/v1beta/openai/");
    assert_ptr_equal(prov_gemini.compat_wire, &prov_openai);
    /* the label of every Replicate stream URL issued so far (issue 16): a new one would refuse them all */
    assert_string_equal(prov_replicate.async_links->key_label, "aigw replicate stream capability v1");
}

/* The gateway compiles each adapter's skip rules, the "**" rule and its captures (gateway/privacy.c): must fit. */
static void test_rules_compile(void **state)
{
    (void)state;
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    static const char *const caps[] = {"user",
                                       "safety_identifier",
                                       "model",
                                       "stream",
                                       "stream_options.include_usage",
                                       "max_tokens",
                                       "max_completion_tokens",
                                       "max_output_tokens",
                                       "generationConfig.maxOutputTokens",
                                       "generation_config.max_output_tokens",
                                       "n",
                                       "generationConfig.candidateCount",
                                       "size",
                                       "quality"};
    for (size_t i = 0; i < n; i++) {
        gw_json_rule_t rules[128];
        size_t nr = 0;
        for (const prov_skip_t *f = all[i]->skip_fields; f->pattern != NULL; f++, nr++) {
            assert_true(nr < 96);
            assert_true(f->kind == PROV_SKIP_VALUE || f->kind == PROV_SKIP_OPAQUE);
            rules[nr] = (gw_json_rule_t){f->pattern, GW_JSON_VERBATIM, (int)nr};
        }
        rules[nr++] = (gw_json_rule_t){"**", GW_JSON_EMBEDDED | GW_JSON_KEYS, 1000};
        for (size_t k = 0; k < sizeof(caps) / sizeof(caps[0]); k++)
            rules[nr++] = (gw_json_rule_t){caps[k], GW_JSON_CAPTURE, -1 - (int)k};
        char err[256];
        gw_json_paths_t *p = gw_json_paths_compile(rules, nr, err, sizeof(err));
        if (p == NULL)
            fail_msg("%s: %s", all[i]->name, err);
        gw_json_paths_free(p);
    }
}

/* ---- error bodies ---- */

static json_t *error_json(const prov_adapter_t *a, int status, const char *code, const char *msg)
{
    gw_buf_t b = GW_BUF_INIT;
    assert_int_equal(a->error_body(&b, status, "invalid_request_error", code, "model", msg), 0);
    json_error_t e;
    json_t *j = json_loadb(b.base, b.len, JSON_REJECT_DUPLICATES, &e);
    if (j == NULL)
        fail_msg("%s %d: not JSON (%s): %.*s", a->name, status, e.text, (int)b.len, b.base);
    gw_buf_free(&b);
    assert_true(json_is_object(j));
    return j;
}

static const char *jstr(json_t *o, const char *k1, const char *k2)
{
    json_t *v = json_object_get(o, k1);
    if (k2 != NULL)
        v = json_object_get(v, k2);
    return json_string_value(v);
}

static void test_error_bodies(void **state)
{
    (void)state;
    static const int statuses[] = {400, 401, 402, 403, 404, 405, 408, 409, 413, 422, 429, 500, 502, 503, 504, 529};
    const char *msg = "aigw: \"quoted\"\nline\t\\ \xc3\xa9 \x01";
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    for (size_t i = 0; i < n; i++) {
        const prov_adapter_t *a = all[i];
        for (size_t s = 0; s < sizeof(statuses) / sizeof(statuses[0]); s++) {
            int st = statuses[s];
            json_t *j = error_json(a, st, s % 2 ? NULL : "pii_blocked", msg);
            json_t *err = json_object_get(j, "error");
            if (a == &prov_openai || a == &prov_deepseek || a == &prov_fireworks) {
                assert_int_equal(json_object_size(err), 4);
                assert_string_equal(jstr(err, "message", NULL), msg);
                assert_string_equal(jstr(err, "type", NULL), "invalid_request_error");
                assert_string_equal(jstr(err, "param", NULL), "model");
                assert_true(s % 2 ? json_is_null(json_object_get(err, "code")) : json_is_string(json_object_get(err, "code")));
            } else if (a == &prov_gemini) {
                assert_int_equal(json_integer_value(json_object_get(err, "code")), st);
                assert_string_equal(jstr(err, "message", NULL), msg);
                assert_non_null(jstr(err, "status", NULL));
            } else if (a == &prov_anthropic) {
                assert_string_equal(jstr(j, "type", NULL), "error");
                assert_string_equal(jstr(err, "message", NULL), msg);
                assert_non_null(jstr(err, "type", NULL));
            } else if (a == &prov_openrouter) {
                assert_true(json_is_integer(json_object_get(err, "code")));
                assert_int_equal(json_integer_value(json_object_get(err, "code")), st);
                assert_string_equal(jstr(err, "message", NULL), msg);
                assert_non_null(jstr(err, "metadata", "error_type"));
            } else if (a == &prov_replicate) {
                assert_int_equal(json_integer_value(json_object_get(j, "status")), st);
                assert_string_equal(jstr(j, "detail", NULL), msg);
                assert_non_null(jstr(j, "title", NULL));
                assert_string_equal(a->error_content_type, "application/problem+json");
            } else if (a == &prov_fal) {
                assert_int_equal(json_object_size(j), 1);
                assert_string_equal(jstr(j, "detail", NULL), msg);
            } else {
                fail_msg("untested adapter %s", a->name);
            }
            json_decref(j);
        }
    }
}

static void test_error_status_maps(void **state)
{
    (void)state;
    /* google.rpc.Code names (google/rpc/code.proto) */
    static const struct {
        int status;
        const char *gemini, *anthropic, *openrouter;
    } map[] = {
        {400, "INVALID_ARGUMENT", "invalid_request_error", "invalid_request"},
        {401, "UNAUTHENTICATED", "authentication_error", "authentication"},
        {402, "FAILED_PRECONDITION", "billing_error", "payment_required"},
        {403, "PERMISSION_DENIED", "permission_error", "content_policy_violation"},
        {404, "NOT_FOUND", "not_found_error", "invalid_request"},
        {413, "RESOURCE_EXHAUSTED", "request_too_large", "invalid_request"},
        {429, "RESOURCE_EXHAUSTED", "rate_limit_error", "rate_limit_exceeded"},
        {500, "INTERNAL", "api_error", "server"},
        {502, "UNAVAILABLE", "api_error", "provider_unavailable"},
        {503, "UNAVAILABLE", "overloaded_error", "provider_unavailable"},
        {504, "DEADLINE_EXCEEDED", "timeout_error", "timeout"},
        {529, "INTERNAL", "overloaded_error", "provider_overloaded"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        json_t *g = error_json(&prov_gemini, map[i].status, "x", "m");
        assert_string_equal(jstr(g, "error", "status"), map[i].gemini);
        json_decref(g);
        json_t *an = error_json(&prov_anthropic, map[i].status, "x", "m");
        assert_string_equal(jstr(an, "error", "type"), map[i].anthropic);
        json_decref(an);
        json_t *o = error_json(&prov_openrouter, map[i].status, "pii_blocked", "m");
        assert_string_equal(jstr(json_object_get(o, "error"), "metadata", "error_type"), map[i].openrouter);
        assert_string_equal(jstr(json_object_get(o, "error"), "metadata", "aigw_code"), "pii_blocked");
        json_decref(o);
    }
    /* the machine code rides in a google.rpc.ErrorInfo */
    json_t *g = error_json(&prov_gemini, 403, "training_refused", "m");
    json_t *d = json_array_get(json_object_get(json_object_get(g, "error"), "details"), 0);
    assert_string_equal(json_string_value(json_object_get(d, "reason")), "training_refused");
    assert_string_equal(json_string_value(json_object_get(d, "@type")), "type.googleapis.com/google.rpc.ErrorInfo");
    json_decref(g);
}

/* ---- skip lists over the request fixtures ---- */

typedef struct {
    const prov_adapter_t *a;
    json_t *reported; /* path -> value of every string reported by the "**" rule */
    json_t *skipped;  /* path -> value of every string reported by a skip rule */
    size_t keys, opaque;
} walk_t;

static int on_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    walk_t *w = ctx;
    (void)repl;
    if (rule_id == 1000) {
        json_object_set_new(w->reported, path, json_stringn_nocheck(s, len));
        return 0;
    }
    json_object_set_new(w->skipped, path, json_stringn_nocheck(s, len));
    if (w->a->skip_fields[rule_id].kind == PROV_SKIP_OPAQUE) {
        w->opaque++;
        for (size_t i = 0; i < len; i++)
            if (!(s[i] == '+' || s[i] == '/' || s[i] == '=' || s[i] == '-' || s[i] == '_' || (s[i] >= '0' && s[i] <= '9') ||
                  (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
                fail_msg("%s: opaque field %s is not base64: %.*s", w->a->name, path, (int)len, s);
    }
    return 0;
}

static int on_key(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    walk_t *w = ctx;
    (void)rule_id;
    (void)path;
    (void)s;
    (void)len;
    (void)repl;
    w->keys++;
    return 0;
}

/* Planted PII of the fixtures (fixtures/README.md), case-sensitive. */
static const char *const markers[] = {"Jane",     "jane", "Doe", "John Smith", "555 0134",  "123-45-6789", "Elm St",
                                      "X1234567", "DE89", "Tom", "4242",       "PN-778812", "INV-2231"};

static int has_marker(const char *s)
{
    for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
        if (strstr(s, markers[i]) != NULL)
            return 1;
    return 0;
}

/* Collects path -> string for every string value, in gw_json's path syntax ("a.b[2].c"). */
static void collect(json_t *v, const char *path, json_t *out)
{
    char sub[1024];
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        json_object_foreach(v, k, c)
        {
            snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k);
            collect(c, sub, out);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c)
        {
            snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
            collect(c, sub, out);
        }
    } else if (json_is_string(v)) {
        json_object_set(out, path, v);
    }
}

static int reported_at(json_t *reported, const char *path)
{
    if (json_object_get(reported, path) != NULL)
        return 1;
    /* a string holding JSON (tool-call arguments) is reported as its inner strings "<path>#/..." */
    size_t n = strlen(path);
    const char *k;
    json_t *v;
    json_object_foreach(reported, k, v)
    {
        if (strncmp(k, path, n) == 0 && k[n] == '#')
            return 1;
    }
    return 0;
}

static void walk(const prov_adapter_t *a, const char *body, size_t len, walk_t *w)
{
    gw_json_rule_t rules[128];
    size_t nr = 0;
    for (const prov_skip_t *f = a->skip_fields; f->pattern != NULL; f++, nr++)
        rules[nr] = (gw_json_rule_t){f->pattern, GW_JSON_VERBATIM, (int)nr};
    rules[nr++] = (gw_json_rule_t){"**", GW_JSON_EMBEDDED | GW_JSON_KEYS, 1000};
    char err[256];
    gw_json_paths_t *p = gw_json_paths_compile(rules, nr, err, sizeof(err));
    assert_non_null(p);
    memset(w, 0, sizeof(*w));
    w->a = a;
    w->reported = json_object();
    w->skipped = json_object();
    gw_json_visitor_t v = {on_string, NULL, w, on_key, GW_JSON_V_UNIQUE_KEYS, NULL};
    gw_buf_t out = GW_BUF_INIT;
    int changed = 0;
    assert_int_equal(gw_json_rewrite(body, len, p, NULL, 0, &v, &out, &changed, NULL, NULL), 0);
    assert_int_equal(changed, 0);
    gw_buf_free(&out);
    gw_json_paths_free(p);
}

/* Calls fn(ctx, file, its adapter, its bytes) for each fixture of the manifest whose kind is `kind` or `kind2` (may be
 * NULL) and whose file name holds `ext` (NULL: any); the bytes are freed after the call. @return how many. */
typedef void (*fixture_fn)(void *ctx, const char *file, const prov_adapter_t *a, char *body, size_t len);

static size_t each_fixture(const char *kind, const char *kind2, const char *ext, fixture_fn fn, void *ctx)
{
    json_t *m = load_manifest();
    size_t i, n = 0;
    json_t *fx;
    json_array_foreach(json_object_get(m, "fixtures"), i, fx)
    {
        const char *file = json_string_value(json_object_get(fx, "file"));
        const char *k = json_string_value(json_object_get(fx, "kind"));
        if ((strcmp(k, kind) != 0 && (kind2 == NULL || strcmp(k, kind2) != 0)) || (ext != NULL && strstr(file, ext) == NULL))
            continue;
        size_t len;
        char *body = read_file(file, &len);
        fn(ctx, file, adapter_of(file), body, len);
        free(body);
        n++;
    }
    json_decref(m);
    return n;
}

typedef struct {
    size_t pii_strings, skipped;
} skip_counts_t;

static void skip_fields_of(void *ctx, const char *file, const prov_adapter_t *a, char *body, size_t len)
{
    skip_counts_t *c = ctx;
    json_t *doc = json_loadb(body, len, 0, NULL);
    assert_non_null(doc);
    json_t *strings = json_object();
    collect(doc, "", strings);
    walk_t w;
    walk(a, body, len, &w);
    const char *path;
    json_t *val;
    json_object_foreach(strings, path, val)
    {
        const char *s = json_string_value(val);
        /* every string is reported: as itself by a skip rule, or by "**" (inside, when it holds JSON) */
        int by_skip = json_object_get(w.skipped, path) != NULL;
        if (!by_skip && !reported_at(w.reported, path))
            fail_msg("%s: string at %s is not reported", file, path);
        if (has_marker(s)) {
            c->pii_strings++;
            if (by_skip)
                fail_msg("%s: PII string at %s (\"%s\") sits in a field %s declares structural", file, path, s, a->name);
        }
    }
    c->skipped += json_object_size(w.skipped);
    /* model names are structural wherever a body carries one */
    if (json_is_string(json_object_get(doc, "model")))
        assert_non_null(json_object_get(w.skipped, "model"));
    assert_true(w.keys > 0);
    json_decref(w.reported);
    json_decref(w.skipped);
    json_decref(strings);
    json_decref(doc);
}

static void test_skip_fields_over_fixtures(void **state)
{
    (void)state;
    skip_counts_t c = {0, 0};
    assert_true(each_fixture("request", NULL, ".json", skip_fields_of, &c) >= 25);
    assert_true(c.pii_strings >= 40);
    assert_true(c.skipped >= 20);
}

/* ---- output_skip over the answer fixtures (pii.scan_responses scans every other string) ---- */

typedef struct {
    const prov_adapter_t *a;
    const char *file;
    size_t skipped, scanned;
} out_walk_t;

static int on_out_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    out_walk_t *w = ctx;
    (void)repl;
    if (rule_id < 0) {
        w->scanned++;
        return 0;
    }
    w->skipped++;
    prov_out_skip_kind_t kind = w->a->output_skip[rule_id].kind;
    /* what is declared no text holds no planted PII; ids, types, media, links and tokens hold no prose (no
       whitespace); tool-call arguments and the echoed input may */
    char *z = strndup(s, len); /* s is not NUL-terminated */
    int pii = has_marker(z);
    free(z);
    if (pii && kind != PROV_OUT_ARGUMENTS && kind != PROV_OUT_ECHO)
        fail_msg("%s: PII string at %s sits in a field %s declares no text", w->file, path, w->a->name);
    if ((kind == PROV_OUT_STRUCT || kind == PROV_OUT_MEDIA || kind == PROV_OUT_OPAQUE) && len != 0 &&
        (memchr(s, ' ', len) != NULL || memchr(s, '\n', len) != NULL))
        fail_msg("%s: prose at %s (\"%.*s\") sits in a field %s declares no text (%s)", w->file, path, (int)(len < 60 ? len : 60),
                 s, w->a->name, w->a->output_skip[rule_id].pattern);
    return 0;
}

static void out_walk(out_walk_t *w, const char *data, size_t len)
{
    gw_json_rule_t rules[200];
    size_t nr = 0;
    for (const prov_out_skip_t *f = w->a->output_skip; f != NULL && f->pattern != NULL; f++, nr++) {
        assert_true(nr < 128);
        assert_true(f->kind >= PROV_OUT_STRUCT && f->kind <= PROV_OUT_ECHO);
        rules[nr] = (gw_json_rule_t){f->pattern, GW_JSON_SCAN, (int)nr};
    }
    rules[nr++] = (gw_json_rule_t){"**", GW_JSON_SCAN, -1};
    char err[256];
    gw_json_paths_t *p = gw_json_paths_compile(rules, nr, err, sizeof(err));
    if (p == NULL)
        fail_msg("%s: %s", w->a->name, err);
    gw_json_visitor_t v = {on_out_string, NULL, w, NULL, 0, NULL};
    gw_buf_t out = GW_BUF_INIT;
    int changed = 0;
    assert_int_equal(gw_json_rewrite(data, len, p, NULL, 0, &v, &out, &changed, NULL, NULL), 0);
    gw_buf_free(&out);
    gw_json_paths_free(p);
}

/* Every adapter declares what is no text in its answers (session 11: the output scan reads every other string); over
 * the answer fixtures (JSON answers and each SSE event's JSON data), a declared field never holds planted PII or prose,
 * and ids / types / media are declared (something is skipped in every adapter's answers). */
static void output_skip_of(void *ctx, const char *file, const prov_adapter_t *a, char *body, size_t len)
{
    out_walk_t *total = ctx;
    assert_non_null(a->output_skip);
    out_walk_t w = {a, file, 0, 0};
    if (strstr(file, ".sse") != NULL) {
        for (char *line = body; line != NULL && *line != '\0';) {
            char *nl = strchr(line, '\n');
            size_t ll = nl != NULL ? (size_t)(nl - line) : strlen(line);
            if (ll > 6 && strncmp(line, "data: ", 6) == 0 && line[6] == '{')
                out_walk(&w, line + 6, ll - 6 - (line[ll - 1] == '\r'));
            line = nl != NULL ? nl + 1 : NULL;
        }
    } else if (len > 0 && body[0] == '{') {
        out_walk(&w, body, len);
    }
    total->skipped += w.skipped;
    total->scanned += w.scanned;
}

static void test_output_skip_over_fixtures(void **state)
{
    (void)state;
    out_walk_t total = {NULL, NULL, 0, 0};
    assert_true(each_fixture("response", "stream", NULL, output_skip_of, &total) >= 30);
    assert_true(total.skipped >= 100);
    assert_true(total.scanned >= 50);
}

/* A response's image payload members are the adapters' declared ones, found quoted, and data:image/ URIs (a byte
 * search, no parse). */
static void test_image_payload_fields(void **state)
{
    (void)state;
    static const char *const yes[] = {"{\"data\":[{\"b64_json\":\"iVBO\"}]}",
                                      "{\"predictions\":[{\"bytesBase64Encoded\":\"x\"}]}",
                                      "data: {\"parts\":[{\"inlineData\":{}}]}",
                                      "{\"inline_data\": {}}",
                                      "x\"b64_json\"b64_json\"",
                                      "{\"text\":\"b64_json\"}", /* a byte search: a quoted value counts too */
                                      "{\"url\":\"data:image/png\"}",
                                      "see ![x](data:image/gif;base64,R0lG)",
                                      "data:image/",
                                      "\"b64_json\""};
    static const char *const no[] = {"{\"xb64_json\":1}",
                                     "{\"b64_jsonx\":1}",
                                     "b64_json",
                                     "\"b64_json",
                                     "b64_json\"",
                                     "{\"url\":\"data:text/plain,hi\"}",
                                     "data:image",
                                     "DATA:IMAGE/png",
                                     "data:imag/",
                                     "\"inline\"_data\"",
                                     ""};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        assert_true(prov_has_image_payload(yes[i], strlen(yes[i])));
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        assert_false(prov_has_image_payload(no[i], strlen(no[i])));
}

/* The search the one-pass scan replaced: one memmem per declared name (quoted), one for "data:image/". */
static int image_reference(const char *body, size_t len)
{
    if (memmem(body, len, "data:image/", 11) != NULL)
        return 1;
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    for (size_t i = 0; i < n; i++)
        for (const char *const *f = all[i]->image_payload_fields; f != NULL && *f != NULL; f++) {
            size_t fl = strlen(*f);
            for (const char *p = body, *end = body + len; p < end && (p = memmem(p, (size_t)(end - p), *f, fl)) != NULL; p++)
                if (p > body && p[-1] == '"' && p + fl < end && p[fl] == '"')
                    return 1;
        }
    return 0;
}

/* Every declared name and "data:image/" at every offset of bodies of every length up to 80 bytes (so across the
 * scan's 16-byte blocks, at the very start and the very end), each body in a buffer of exactly its length (ASan sees
 * a read past it); then cut one byte short (no closing quote: no match), and random bodies made of the names' own
 * bytes, all against the memmem reference. */
static void test_image_payload_every_position(void **state)
{
    (void)state;
    const char *needles[32];
    size_t nn = 0, n;
    const prov_adapter_t *const *all = prov_all(&n);
    static char quoted[16][64];
    for (size_t i = 0; i < n; i++)
        for (const char *const *f = all[i]->image_payload_fields; f != NULL && *f != NULL; f++) {
            assert_true(nn < 16);
            snprintf(quoted[nn], sizeof(quoted[nn]), "\"%s\"", *f);
            needles[nn] = quoted[nn];
            nn++;
        }
    assert_true(nn >= 4); /* b64_json, bytesBase64Encoded, inlineData, inline_data */
    needles[nn++] = "data:image/";
    size_t checked = 0;
    for (size_t k = 0; k < nn; k++) {
        size_t nl = strlen(needles[k]);
        for (size_t len = nl; len <= 80; len++)
            for (size_t at = 0; at + nl <= len; at++) {
                char *b = malloc(len);
                assert_non_null(b);
                for (size_t i = 0; i < len; i++)
                    b[i] = "x :\"ab"[(i * 7 + len) % 6]; /* quotes and colons around it, none forming a match */
                memcpy(b + at, needles[k], nl);
                assert_int_equal(image_reference(b, len), 1);
                assert_int_equal(prov_has_image_payload(b, len), 1);
                /* the body ends one byte before the needle's last byte */
                if (at + nl == len) {
                    assert_int_equal(prov_has_image_payload(b, len - 1), image_reference(b, len - 1));
                }
                free(b);
                checked++;
            }
    }
    assert_true(checked > 1000);
    /* random bodies over the bytes the needles are made of */
    const char alphabet[] = "\":/b64_jsonytesBaeEcdiDlmgx ";
    unsigned seed = 12345;
    size_t hits = 0;
    for (int r = 0; r < 20000; r++) {
        size_t len = (size_t)(r % 97);
        char *b = malloc(len + 1);
        assert_non_null(b);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            b[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
        }
        if (len != 0 && r % 3 == 0) { /* a needle at a random place, maybe cut by the end */
            seed = seed * 1103515245u + 12345u;
            const char *nd = needles[(seed >> 16) % nn];
            size_t at = (seed >> 8) % len, nl = strlen(nd);
            memcpy(b + at, nd, at + nl <= len ? nl : len - at);
        }
        int want = image_reference(b, len);
        assert_int_equal(prov_has_image_payload(b, len), want);
        hits += (size_t)want;
        free(b);
    }
    assert_true(hits > 1000); /* both answers were exercised */
}

/* Replicate's output files: a link on its delivery origin, or (`Prefer: wait`) the file as a base64 data URI of an
 * image, audio or video type; a text type, a percent-encoded payload, a space or a stray character is text. */
static void test_output_media_url(void **state)
{
    (void)state;
    const char *const *m = prov_replicate.output_media_urls;
#define MEDIA(str) prov_output_media_url(m, str, strlen(str))
    assert_true(MEDIA("https://replicate.delivery/xezq/abc/out-0.png"));
    assert_true(MEDIA(
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"));
    assert_true(MEDIA("data:image/webp;base64,UklGRg=="));
    assert_true(MEDIA("DATA:audio/wav;base64,UklGRiQAAABXQVZF"));
    assert_true(MEDIA("data:video/mp4;name=out-0.mp4;base64,AAAAIGZ0eXA="));
    assert_false(MEDIA("data:text/plain;base64,SmFuZSBEb2UgNDExMTExMTExMTExMTExMQ=="));
    assert_false(MEDIA("data:application/json;base64,e30="));
    assert_false(MEDIA("data:image/svg+xml,<svg>jane@example.com</svg>")); /* not base64: text */
    assert_false(MEDIA("data:image/png;base64,4111 1111 1111 1111"));      /* a space */
    assert_false(MEDIA("data:image/png;base64,QUJD\nREVG"));               /* a line break, written out */
    assert_false(MEDIA("data:image/png;base64,QUJDRA"));                   /* not a multiple of 4 */
    assert_false(MEDIA("data:image/png;base64,QU=D"));                     /* '=' inside */
    assert_false(MEDIA("data:image/png;base64,"));                         /* empty */
    assert_false(MEDIA("data:image/;base64,QUJD"));                        /* no subtype */
    assert_false(MEDIA("data:image/png=x;base64,QUJD"));                   /* a parameter without ';' */
    assert_false(MEDIA("data:image/png;a b;base64,QUJD"));                 /* a space in a parameter */
    assert_false(MEDIA("see data:image/png;base64,QUJD"));
    assert_false(prov_output_media_url(prov_openai.output_media_urls, "data:image/png;base64,QUJD", 26)); /* not declared */
#undef MEDIA
}

/* ---- estimates ---- */

typedef struct {
    const char *file, *model;
    int64_t max_out, n;
    const char *size, *quality, *aspect;
    int stream;
} est_case_t;

static void test_estimates(void **state)
{
    (void)state;
    json_decref(load_manifest());
    static const est_case_t cases[] = {
        {"openai/chat_completions.request.json", "gpt-4o-mini", 256, 1, "", "", "", 0},
        {"openai/chat_completions.stream.request.json", "gpt-4o-mini", -1, 1, "", "", "", 1},
        {"openai/responses.request.json", "gpt-5-mini", 400, 1, "", "", "", 0},
        {"openai/images_generations.dalle3.request.json", "dall-e-3", -1, 1, "1024x1792", "hd", "", 0},
        {"openai/images_generations.gpt_image_1.stream.request.json", "gpt-image-1", -1, 1, "1024x1024", "low", "", 1},
        {"openai/images_edits.json.request.json", "gpt-image-1.5", -1, 1, "1024x1024", "high", "", 0},
        {"gemini/generate_content.request.json", "", 512, 1, "", "", "", 0},
        {"gemini/generate_content.snake_case.request.json", "", 256, 1, "", "", "", 0},
        {"gemini/imagen_predict.request.json", "", -1, 2, "", "", "1:1", 0},
        {"anthropic/messages.request.json", "claude-sonnet-4-5", 1024, 1, "", "", "", 0},
        {"anthropic/messages.stream.request.json", "claude-sonnet-4-5", 256, 1, "", "", "", 1},
        {"replicate/predictions.create.request.json", "stability-ai/sdxl", -1, 1, "1024x1024", "", "", 0},
        {"replicate/models_predictions.create.request.json", "", -1, 1, "", "", "16:9", 0},
        {"openrouter/chat_completions.request.json", "anthropic/claude-sonnet-4.5", 300, 1, "", "", "", 0},
        {"deepseek/chat_completions.request.json", "deepseek-chat", 512, 1, "", "", "", 0},
        {"deepseek/chat_completions.stream.request.json", "deepseek-chat", -1, 1, "", "", "", 1},
        {"fireworks/chat_completions.request.json", "accounts/fireworks/models/llama-v3p3-70b-instruct", 200, 1, "", "", "", 0},
        {"fireworks/text_to_image.request.json", "", -1, 1, "", "", "16:9", 0},
        {"fal/queue_submit.request.json", "", -1, 1, "landscape_4_3", "", "", 0},
        {"fal/queue_submit.data_uri.request.json", "", -1, 1, "", "", "", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const est_case_t *c = &cases[i];
        size_t len;
        char *body = read_file(c->file, &len);
        prov_estimate_t e;
        assert_int_equal(adapter_of(c->file)->estimate_inputs(body, len, &e), 0);
        if (strcmp(e.model, c->model) != 0 || e.max_output_tokens != c->max_out || e.n != c->n || strcmp(e.size, c->size) != 0 ||
            strcmp(e.quality, c->quality) != 0 || strcmp(e.aspect_ratio, c->aspect) != 0 || e.stream != c->stream ||
            e.input_bytes != len)
            fail_msg("%s: model=%s max=%lld n=%lld size=%s quality=%s aspect=%s stream=%d bytes=%zu", c->file, e.model,
                     (long long)e.max_output_tokens, (long long)e.n, e.size, e.quality, e.aspect_ratio, e.stream, e.input_bytes);
        free(body);
    }
    prov_estimate_t e;
    assert_int_equal(prov_anthropic.estimate_inputs("nope", 4, &e), PROV_E_PARSE);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.max_output_tokens, -1);
    const char *fal = "{\"image_size\":{\"width\":640,\"height\":480},\"num_images\":3}";
    assert_int_equal(prov_fal.estimate_inputs(fal, strlen(fal), &e), 0);
    assert_string_equal(e.size, "640x480");
    assert_int_equal(e.n, 3);
}

static void test_model_from_path(void **state)
{
    (void)state;
    char m[64];
    assert_int_equal(prov_gemini.model_from_path("models/gemini-2.5-flash:streamGenerateContent?alt=sse", 53, m, sizeof(m)), 0);
    assert_string_equal(m, "gemini-2.5-flash");
    const char *p = "models/imagen-4.0-generate-001:predict";
    assert_int_equal(prov_gemini.model_from_path(p, strlen(p), m, sizeof(m)), 0);
    assert_string_equal(m, "imagen-4.0-generate-001");
    p = "files/abc";
    assert_int_equal(prov_gemini.model_from_path(p, strlen(p), m, sizeof(m)), -1);
    p = "models/:generateContent";
    assert_int_equal(prov_gemini.model_from_path(p, strlen(p), m, sizeof(m)), -1);
    p = "models/black-forest-labs/flux-schnell/predictions";
    assert_int_equal(prov_replicate.model_from_path(p, strlen(p), m, sizeof(m)), 0);
    assert_string_equal(m, "black-forest-labs/flux-schnell");
    p = "deployments/acme/my-sdxl/predictions";
    assert_int_equal(prov_replicate.model_from_path(p, strlen(p), m, sizeof(m)), 0);
    assert_string_equal(m, "acme/my-sdxl");
    p = "predictions";
    assert_int_equal(prov_replicate.model_from_path(p, strlen(p), m, sizeof(m)), -1);
    p = "/fal-ai/flux/dev";
    assert_int_equal(prov_fal.model_from_path(p, strlen(p), m, sizeof(m)), 0);
    assert_string_equal(m, "fal-ai/flux/dev");
    p = "/fal-ai/flux/requests/80e732af/status?logs=1";
    assert_int_equal(prov_fal.model_from_path(p, strlen(p), m, sizeof(m)), 0);
    assert_string_equal(m, "fal-ai/flux");
    p = "/x";
    assert_int_equal(prov_fal.model_from_path(p, strlen(p), m, sizeof(m)), -1);
    p = "models/a-very-long-model-name-that-does-not-fit-into-the-buffer-at-all:generateContent";
    assert_int_equal(prov_gemini.model_from_path(p, strlen(p), m, 16), -1);
}

static void test_prov_for_model(void **state)
{
    (void)state;
    json_t *cfg = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "gpt-*", "openai", "gemini-*", "gemini", "gemini-2.5-*", "openrouter",
                            "gemini-2.5-flash", "fireworks", "deepseek-*", "deepseek", "x-*", "nope");
    assert_ptr_equal(prov_for_model("gpt-4o", cfg), &prov_openai);
    assert_ptr_equal(prov_for_model("gemini-2.0-pro", cfg), &prov_gemini);
    assert_ptr_equal(prov_for_model("gemini-2.5-pro", cfg), &prov_openrouter);  /* longest glob wins */
    assert_ptr_equal(prov_for_model("gemini-2.5-flash", cfg), &prov_fireworks); /* exact key wins */
    assert_ptr_equal(prov_for_model("deepseek-chat", cfg), &prov_deepseek);
    assert_ptr_equal(prov_for_model("x-1", cfg), &prov_openai); /* unknown provider ignored */
    assert_ptr_equal(prov_for_model("claude-3", cfg), &prov_openai);
    assert_ptr_equal(prov_for_model(NULL, cfg), &prov_openai);
    assert_ptr_equal(prov_for_model("gemini-2.5-flash", NULL), &prov_openai);
    char err[256];
    assert_int_equal(prov_models_config_check(cfg, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "models.x-*"));
    json_object_del(cfg, "x-*");
    assert_int_equal(prov_models_config_check(cfg, err, sizeof(err)), 0);
    json_object_set_new(cfg, "claude-*", json_string("anthropic"));
    assert_int_equal(prov_models_config_check(cfg, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "anthropic"));
    json_decref(cfg);
    json_t *arr = json_array();
    assert_int_equal(prov_models_config_check(arr, err, sizeof(err)), -1);
    json_decref(arr);
    assert_int_equal(prov_models_config_check(NULL, err, sizeof(err)), 0);
}

static void test_fal_target(void **state)
{
    (void)state;
    static const struct {
        const char *url, *origin, *path;
    } ok[] = {
        {"https://queue.fal.run/fal-ai/flux/dev", "https://queue.fal.run", "/fal-ai/flux/dev"},
        {"https://fal.run/fal-ai/flux/dev?x=1", "https://fal.run", "/fal-ai/flux/dev?x=1"},
        {"HTTPS://Queue.FAL.run:443/fal-ai/flux/requests/1/status", "https://queue.fal.run", "/fal-ai/flux/requests/1/status"},
        {"https://rest.alpha.fal.ai/storage/upload/initiate", "https://rest.alpha.fal.ai", "/storage/upload/initiate"},
        {"https://a.b.fal.run", "https://a.b.fal.run", "/"},
        {"https://fal.run/a/..b/.c", "https://fal.run", "/a/..b/.c"},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        prov_target_t t;
        const char *why = NULL;
        int rc = prov_fal.target_url(ok[i].url, strlen(ok[i].url), prov_fal.target_hosts, &t, &why);
        if (rc != 0)
            fail_msg("%s rejected: %s", ok[i].url, why);
        assert_string_equal(t.origin, ok[i].origin);
        assert_int_equal(t.path_len, strlen(ok[i].path));
        assert_memory_equal(t.path, ok[i].path, t.path_len);
    }
    static const char *const bad[] = {
        "",
        "http://fal.run/x",
        "https://evil.com/fal.run",
        "https://fal.run.evil.com/x",
        "https://evilfal.run/x",
        "https://user@fal.run/x",
        "https://fal.run@evil.com/x",
        "https://fal.run:8443/x",
        "https://fal.run:443@evil.com/",
        "https://evil.com#.fal.run",
        "https://fal.run/a/../b",
        "https://fal.run/a/./b",
        "https://fal.run/..",
        "https://fal.run/a b",
        "https://fal.run\\@evil.com/",
        "https://[::1]/x",
        "https://.fal.run/x",
        "https://x..fal.run/x",
        "https://fal.run?x=1",
        "https://fal.run/\xc3\xa9",
        "https://rest.fal.ai/x",
        "ftp://fal.run/x",
        /* fal's platform REST host: temporary tokens (a way around aigw), keys, storage tokens; only uploads pass */
        "https://rest.alpha.fal.ai/tokens/",
        "https://rest.alpha.fal.ai/keys",
        "https://rest.alpha.fal.ai/storage/auth/token?storage_type=fal-cdn-v3",
        "https://rest.alpha.fal.ai/",
        "https://rest.alpha.fal.ai",
        "https://rest.alpha.fal.ai/storage",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        prov_target_t t;
        const char *why = NULL;
        if (prov_fal.target_url(bad[i], strlen(bad[i]), prov_fal.target_hosts, &t, &why) != PROV_E_TARGET)
            fail_msg("accepted %s", bad[i]);
        assert_non_null(why);
    }
    /* a config allow-list replaces the default */
    static const char *const only_queue[] = {"queue.fal.run", NULL};
    prov_target_t t;
    const char *u = "https://fal.run/x";
    assert_int_equal(prov_fal.target_url(u, strlen(u), only_queue, &t, NULL), PROV_E_TARGET);
    assert_int_equal(prov_fal.target_url(u, strlen(u), NULL, &t, NULL), PROV_E_TARGET);
}

/* refused_routes (redteam9): the routes that hand out a way to the provider around aigw, in any case and under any
 * prefix spelling the canonical path keeps; the routes a model call uses are not refused; a long path is judged on its
 * start. */
static void test_refused_routes(void **state)
{
    (void)state;
    static const struct {
        const prov_adapter_t *a;
        const char *path, *code; /* code NULL: not refused */
        const char *method;      /* NULL: POST */
    } cases[] = {
        {&prov_openai, "realtime/client_secrets", "direct_access_route", NULL},
        {&prov_openai, "/realtime/sessions?x=1", "direct_access_route", NULL},
        {&prov_openai, "Realtime/Transcription_Sessions", "direct_access_route", NULL},
        {&prov_openai, "realtime/calls/rtc_1/accept", "direct_access_route", NULL},
        {&prov_openai, "chatkit/sessions", "direct_access_route", NULL},
        {&prov_openai, "organization/data_retention", "account_admin_route", NULL},
        {&prov_openai, "chat/completions", NULL, NULL},
        {&prov_openai, "responses", NULL, NULL},
        {&prov_openai, "audio/transcriptions", NULL, NULL},
        {&prov_gemini, "auth_tokens", "direct_access_route", NULL},
        {&prov_gemini, "models/gemini-2.5-flash:generateContent", NULL, NULL},
        {&prov_fal, "/tokens/", "direct_access_route", NULL},
        {&prov_fal, "fal-ai/flux/dev", NULL, NULL},
        {&prov_anthropic, "organizations/api_keys", "account_admin_route", NULL},
        {&prov_anthropic, "messages", NULL, NULL},
        {&prov_openrouter, "keys", "account_admin_route", NULL},
        {&prov_openrouter, "chat/completions", NULL, NULL},
        {&prov_replicate, "predictions", NULL, NULL},
        {&prov_replicate, "predictions", "account_list_route", "GET"},
        {&prov_replicate, "predictions?cursor=x", "account_list_route", "GET"},
        {&prov_replicate, "predictions/p1", NULL, "GET"},
        {&prov_openai, "videos", "account_list_route", "GET"},
        {&prov_openai, "videos", NULL, NULL},
        {&prov_openai, "videos/v1/content", NULL, "GET"},
        {&prov_openai, "chat/completions", "account_list_route", "GET"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *m = cases[i].method != NULL ? cases[i].method : "POST";
        const prov_refused_route_t *r = prov_route_refused(cases[i].a, m, strlen(m), cases[i].path, strlen(cases[i].path));
        if (cases[i].code == NULL && r != NULL)
            fail_msg("%s %s refused", cases[i].a->name, cases[i].path);
        if (cases[i].code != NULL && (r == NULL || strcmp(r->code, cases[i].code) != 0))
            fail_msg("%s %s: %s", cases[i].a->name, cases[i].path, r != NULL ? r->code : "not refused");
    }
    char long_path[2048];
    memcpy(long_path, "realtime/", 9);
    memset(long_path + 9, 'a', sizeof(long_path) - 10);
    long_path[sizeof(long_path) - 1] = '\0';
    assert_non_null(prov_route_refused(&prov_openai, "POST", 4, long_path, strlen(long_path)));
    assert_null(prov_route_refused(NULL, "POST", 4, "realtime", 8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_rules_compile),
        cmocka_unit_test(test_error_bodies),
        cmocka_unit_test(test_error_status_maps),
        cmocka_unit_test(test_skip_fields_over_fixtures),
        cmocka_unit_test(test_output_skip_over_fixtures),
        cmocka_unit_test(test_output_media_url),
        cmocka_unit_test(test_image_payload_fields),
        cmocka_unit_test(test_image_payload_every_position),
        cmocka_unit_test(test_estimates),
        cmocka_unit_test(test_model_from_path),
        cmocka_unit_test(test_prov_for_model),
        cmocka_unit_test(test_fal_target),
        cmocka_unit_test(test_refused_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
