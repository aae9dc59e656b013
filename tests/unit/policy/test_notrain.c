/* Unit tests for policy/notrain: per provider, the request fixtures of tests/fixtures/providers are
 * run through the decision (the postures the adapters declare in providers/<name>.c) and the edits are
 * applied with gw_json_rewrite; the result is parsed with jansson and checked for the forced flags.
 * Also refusals, modes and consent, config errors, the record and message strings, the merged single
 * pass the gateway uses, and the evaluator on a posture of its own (nothing in it names a provider). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "policy/notrain.h"
#include "providers/provider.h"

static char *load_fixture(const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", AIGW_FIXTURES_DIR, rel);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        fail_msg("cannot open %s (AIGW_FIXTURES_DIR)", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

/* pol_notrain_create over the adapters' postures, as gateway/privacy.c does. */
static pol_notrain_t *create(const json_t *cfg, const unsigned char *key, char *err, size_t errlen)
{
    size_t n;
    const prov_adapter_t *const *a = prov_all(&n);
    const pol_notrain_posture_t *p[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++)
        p[i] = a[i]->notrain;
    return pol_notrain_create(cfg, key, p, n, err, errlen);
}

static pol_notrain_t *make(const char *cfg_json, const unsigned char *key)
{
    char err[256] = "";
    json_t *cfg = cfg_json != NULL ? json_loads(cfg_json, 0, NULL) : NULL;
    if (cfg_json != NULL)
        assert_non_null(cfg);
    pol_notrain_t *nt = create(cfg, key, err, sizeof(err));
    if (nt == NULL)
        fail_msg("create: %s", err);
    json_decref(cfg);
    return nt;
}

typedef struct st_run_t {
    int verdict;
    json_t *doc; /* resulting body (NULL when refused) */
    char record[256];
    char message[512];
    pol_notrain_decision_t d;
} run_t;

/* The end-user id run() passes (pol_notrain_input_t.user); NULL: none. */
static const char *run_user;
/* The original ids run() passes (pol_notrain_input_t.ids); NULL: none. */
static const pol_notrain_id_t *run_ids;
static size_t run_n_ids;

static void run(const pol_notrain_t *nt, const char *provider, const char *route, const char *tier, int consent, const char *body,
                size_t len, run_t *r)
{
    pol_notrain_input_t in = {provider, route,    strlen(route), tier, consent, run_user, run_user != NULL ? strlen(run_user) : 0,
                              run_ids,  run_n_ids};
    gw_buf_t out = GW_BUF_INIT, rec = GW_BUF_INIT, msg = GW_BUF_INIT;
    int changed = 0;
    r->verdict = pol_notrain_apply(nt, &in, body, len, &r->d, &out, &changed);
    assert_true(r->verdict == POL_NOTRAIN_ALLOWED || r->verdict == POL_NOTRAIN_REFUSED);
    r->doc = NULL;
    if (r->verdict == POL_NOTRAIN_ALLOWED && body != NULL) {
        json_error_t je;
        r->doc = changed ? json_loadb(out.base, out.len, 0, &je) : json_loadb(body, len, 0, &je);
        if (r->doc == NULL)
            fail_msg("result is not JSON: %s", je.text);
    }
    assert_int_equal(pol_notrain_record(&r->d, &rec), 0);
    assert_int_equal(pol_notrain_message(&r->d, &msg), 0);
    snprintf(r->record, sizeof(r->record), "%.*s", (int)rec.len, rec.base != NULL ? rec.base : "");
    snprintf(r->message, sizeof(r->message), "%.*s", (int)msg.len, msg.base != NULL ? msg.base : "");
    gw_buf_free(&out);
    gw_buf_free(&rec);
    gw_buf_free(&msg);
}

static void run_fixture(const pol_notrain_t *nt, const char *provider, const char *route, const char *tier, int consent,
                        const char *fixture, run_t *r)
{
    size_t len;
    char *body = load_fixture(fixture, &len);
    run(nt, provider, route, tier, consent, body, len, r);
    free(body);
}

static void run_str(const pol_notrain_t *nt, const char *provider, const char *route, const char *body, run_t *r)
{
    run(nt, provider, route, NULL, 0, body, strlen(body), r);
}

/* Parses `body`, applies `fn` to modify it, re-serialises: variants of fixtures. */
static char *variant(const char *fixture, const char *key, json_t *value)
{
    size_t len;
    char *body = load_fixture(fixture, &len);
    json_t *j = json_loadb(body, len, 0, NULL);
    free(body);
    assert_non_null(j);
    json_object_set_new(j, key, value);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

static void test_openai_chat(void **state)
{
    pol_notrain_t *nt = make(NULL, NULL);
    run_t r;
    run_fixture(nt, "openai", "chat/completions", NULL, 0, "openai/chat_completions.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_true(json_is_false(json_object_get(r.doc, "store"))); /* fixture has store:true */
    assert_null(json_object_get(r.doc, "metadata"));
    assert_non_null(json_object_get(r.doc, "messages")); /* rest untouched */
    assert_string_equal(json_string_value(json_object_get(r.doc, "prompt_cache_key")), "acme-support-v3");
    /* no hash key: the fixture's user and safety_identifier (an e-mail) are dropped, not forwarded */
    assert_null(json_object_get(r.doc, "user"));
    assert_null(json_object_get(r.doc, "safety_identifier"));
    assert_string_equal(r.record, "flags:store=false,metadata dropped,user dropped");
    assert_string_equal(r.message, "");
    json_decref(r.doc);

    /* the unified route with a leading slash and v1/, and a query string, is the same route */
    run_fixture(nt, "openai", "/v1/chat/completions?x=1", NULL, 0, "openai/chat_completions.stream.request.json", &r);
    assert_true(json_is_false(json_object_get(r.doc, "store")));
    json_decref(r.doc);

    /* embeddings: nothing to force */
    run_fixture(nt, "openai", "embeddings", NULL, 0, "openai/embeddings.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_string_equal(r.record, "allowed");
    assert_null(json_object_get(r.doc, "store"));
    json_decref(r.doc);
    pol_notrain_free(nt);
}

static void test_openai_responses(void **state)
{
    pol_notrain_t *nt = make(NULL, NULL);
    run_t r;
    run_fixture(nt, "openai", "responses", NULL, 0, "openai/responses.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED); /* previous_response_id is null there */
    assert_true(json_is_false(json_object_get(r.doc, "store")));
    assert_null(json_object_get(r.doc, "metadata"));
    assert_string_equal(json_string_value(json_array_get(json_object_get(r.doc, "include"), 0)), "reasoning.encrypted_content");
    json_decref(r.doc);

    struct {
        const char *key;
        json_t *value;
        const char *reason;
        const char *in_message;
    } cases[] = {
        {"previous_response_id", json_string("resp_123"), "openai_previous_response_id", "previous_response_id"},
        {"conversation", json_string("conv_1"), "openai_conversation", "conversation"},
        {"background", json_true(), "openai_background", "background"},
        {"input", json_pack("[{s:s, s:s}]", "type", "item_reference", "id", "msg_1"), "openai_item_reference", "item_reference"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *body = variant("openai/responses.request.json", cases[i].key, cases[i].value);
        run_str(nt, "openai", "responses", body, &r);
        assert_int_equal(r.verdict, POL_NOTRAIN_REFUSED);
        assert_string_equal(r.d.reason, cases[i].reason);
        assert_int_equal(r.d.nedits, 0);
        assert_non_null(strstr(r.message, "openai: "));
        assert_non_null(strstr(r.message, cases[i].in_message));
        char want[128];
        snprintf(want, sizeof(want), "refused:%s", cases[i].reason);
        assert_string_equal(r.record, want);
        free(body);
    }
    /* background:false and conversation:null are fine */
    char *body = variant("openai/responses.request.json", "background", json_false());
    run_str(nt, "openai", "responses", body, &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    json_decref(r.doc);
    free(body);
    /* consent does not lift a storage refusal; no_storage:false does */
    body = variant("openai/responses.request.json", "previous_response_id", json_string("resp_9"));
    pol_notrain_input_t in = {"openai", "responses", 9, NULL, 1, NULL, 0, NULL, 0};
    gw_buf_t out = GW_BUF_INIT;
    int changed;
    assert_int_equal(pol_notrain_apply(nt, &in, body, strlen(body), &r.d, &out, &changed), POL_NOTRAIN_REFUSED);
    pol_notrain_free(nt);
    nt = make("{\"providers\": {\"openai\": {\"no_storage\": false}}}", NULL);
    assert_int_equal(pol_notrain_apply(nt, &in, body, strlen(body), &r.d, &out, &changed), POL_NOTRAIN_ALLOWED);
    assert_int_equal(changed, 0); /* no flags at all */
    free(body);
    gw_buf_free(&out);
    pol_notrain_free(nt);

    /* include_encrypted_reasoning: added when absent, left alone when present */
    nt = make("{\"providers\": {\"openai\": {\"include_encrypted_reasoning\": true, \"drop_metadata\": false}}}", NULL);
    run_str(nt, "openai", "responses", "{\"model\":\"o4-mini\",\"input\":\"hi\",\"metadata\":{\"a\":\"b\"}}", &r);
    assert_string_equal(json_string_value(json_array_get(json_object_get(r.doc, "include"), 0)), "reasoning.encrypted_content");
    assert_non_null(json_object_get(r.doc, "metadata"));
    assert_true(json_is_false(json_object_get(r.doc, "store")));
    json_decref(r.doc);
    run_str(nt, "openai", "responses", "{\"input\":\"hi\",\"include\":[\"file_search_call.results\"]}", &r);
    assert_int_equal(json_array_size(json_object_get(r.doc, "include")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(r.doc, "include"), 0)), "file_search_call.results");
    json_decref(r.doc);
    pol_notrain_free(nt);
}

static void test_openai_routes(void **state)
{
    pol_notrain_t *nt = make(NULL, NULL);
    run_t r;
    const char *refused[] = {
        "files",         "files/file-abc/content", "uploads", "batches", "vector_stores/vs_1/files", "fine_tuning/jobs",
        "conversations", "threads/t/runs",         "Files",   "BATCHES", "Fine_Tuning/jobs"}; /* case variants too (issue 10) */
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        run(nt, "openai", refused[i], NULL, 0, NULL, 0, &r);
        assert_int_equal(r.verdict, POL_NOTRAIN_REFUSED);
        assert_string_equal(r.d.reason, "openai_storage_route");
        assert_non_null(strstr(r.message, refused[i]));
    }
    const char *gemini_refused[] = {"models/gemini-2.5-flash:batchGenerateContent", "models/x:BatchGenerateContent",
                                    "models/e:asyncBatchEmbedContent", "openai/files", "openai/batches/b1"};
    for (size_t i = 0; i < sizeof(gemini_refused) / sizeof(gemini_refused[0]); i++) {
        pol_notrain_input_t in = {"gemini", gemini_refused[i], strlen(gemini_refused[i]), "paid", 0, NULL, 0, NULL, 0};
        pol_notrain_decision_t d;
        if (pol_notrain_begin(nt, &in, &d) != POL_NOTRAIN_REFUSED)
            fail_msg("gemini %s should be refused", gemini_refused[i]);
        assert_string_equal(d.reason, "gemini_storage_route");
    }
    run(nt, "openai", "images/edits", NULL, 0, NULL, 0, &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    pol_notrain_free(nt);
}

static void test_openrouter(void **state)
{
    pol_notrain_t *nt = make(NULL, NULL);
    run_t r;
    run_fixture(nt, "openrouter", "chat/completions", NULL, 0, "openrouter/chat_completions.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    json_t *p = json_object_get(r.doc, "provider");
    assert_string_equal(json_string_value(json_object_get(p, "data_collection")), "deny");
    assert_true(json_is_true(json_object_get(p, "zdr")));
    assert_string_equal(json_string_value(json_object_get(p, "sort")), "price"); /* client preferences kept */
    assert_int_equal(json_array_size(json_object_get(p, "ignore")), 1);
    assert_null(json_object_get(r.doc, "trace"));
    assert_null(json_object_get(r.doc, "metadata"));
    assert_non_null(strstr(r.record, "provider.data_collection=deny"));
    assert_non_null(strstr(r.record, "provider.zdr=true"));
    json_decref(r.doc);

    /* the client cannot override the two flags, and a missing provider object is created */
    run_str(nt, "openrouter", "chat/completions",
            "{\"model\":\"x\",\"provider\":{\"data_collection\":\"allow\",\"zdr\":false,\"only\":[\"a\"]}}", &r);
    p = json_object_get(r.doc, "provider");
    assert_string_equal(json_string_value(json_object_get(p, "data_collection")), "deny");
    assert_true(json_is_true(json_object_get(p, "zdr")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(p, "only"), 0)), "a");
    json_decref(r.doc);
    run_str(nt, "openrouter", "chat/completions", "{\"model\":\"x\",\"messages\":[]}", &r);
    p = json_object_get(r.doc, "provider");
    assert_string_equal(json_string_value(json_object_get(p, "data_collection")), "deny");
    assert_true(json_is_true(json_object_get(p, "zdr")));
    json_decref(r.doc);
    pol_notrain_free(nt);
}

static void test_gemini(void **state)
{
    pol_notrain_t *nt = make(NULL, NULL);
    run_t r;
    const char *route = "models/gemini-2.5-flash:generateContent";
    run_fixture(nt, "gemini", route, "paid", 0, "gemini/generate_content.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_non_null(json_object_get(r.doc, "contents"));
    json_decref(r.doc);

    /* unpaid or undeclared tier: refused with the documented message */
    const char *tiers[] = {NULL, "free"};
    for (int i = 0; i < 2; i++) {
        run_fixture(nt, "gemini", route, tiers[i], 0, "gemini/generate_content.request.json", &r);
        assert_int_equal(r.verdict, POL_NOTRAIN_REFUSED);
        assert_string_equal(r.record, "refused:gemini_unpaid_tier");
        assert_string_equal(r.message,
                            "gemini: the configured key is not a paid-tier key (providers.gemini.tier), and Gemini's unpaid tier "
                            "may train on prompts; set tier to \"paid\" for a key from a billing-enabled project, or give the "
                            "user's consent with aigw user consent USER on");
    }
    /* consent lifts it in deny_unless_consent */
    run_fixture(nt, "gemini", route, "free", 1, "gemini/generate_content.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_true(strncmp(r.record, "consent:gemini_unpaid_tier", 26) == 0);
    json_decref(r.doc);

    /* cachedContent is stripped in both spellings */
    run_str(nt, "gemini", route, "{\"contents\":[],\"cachedContent\":\"cachedContents/abc\",\"cached_content\":\"x\"}", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_REFUSED); /* no tier */
    run(nt, "gemini", route, "paid", 0, "{\"contents\":[],\"cachedContent\":\"cachedContents/abc\",\"cached_content\":\"x\"}",
        strlen("{\"contents\":[],\"cachedContent\":\"cachedContents/abc\",\"cached_content\":\"x\"}"), &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_null(json_object_get(r.doc, "cachedContent"));
    assert_null(json_object_get(r.doc, "cached_content"));
    assert_non_null(json_object_get(r.doc, "contents"));
    json_decref(r.doc);

    /* storage routes */
    run(nt, "gemini", "cachedContents", "paid", 0, NULL, 0, &r);
    assert_string_equal(r.record, "refused:gemini_storage_route");
    pol_notrain_free(nt);

    /* mode deny: consent is not enough; the message says so */
    nt = make("{\"mode\": \"deny\"}", NULL);
    run_fixture(nt, "gemini", route, "free", 1, "gemini/generate_content.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_REFUSED);
    assert_non_null(strstr(r.message, "\"deny\""));
    assert_null(strstr(r.message, "aigw user consent"));
    run_fixture(nt, "gemini", route, "paid", 0, "gemini/generate_content.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    json_decref(r.doc);
    pol_notrain_free(nt);

    /* mode allow, per provider: the unpaid tier passes; other providers keep the global mode */
    nt = make("{\"mode\": \"deny\", \"providers\": {\"gemini\": {\"mode\": \"allow\"}}}", NULL);
    assert_int_equal(pol_notrain_mode(nt, "gemini"), POL_NOTRAIN_ALLOW);
    assert_int_equal(pol_notrain_mode(nt, "deepseek"), POL_NOTRAIN_DENY);
    run_fixture(nt, "gemini", route, NULL, 0, "gemini/generate_content.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    json_decref(r.doc);
    pol_notrain_free(nt);

    /* model allow-list from the path */
    nt = make("{\"providers\": {\"gemini\": {\"allow_models\": [\"gemini-2.5-*\"]}}}", NULL);
    run(nt, "gemini", "models/gemini-2.5-pro:generateContent", "paid", 0, NULL, 0, &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    run(nt, "gemini", "models/gemini-1.5-flash:generateContent", "paid", 0, NULL, 0, &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_REFUSED);
    assert_string_equal(r.d.reason, "model_denied");
    assert_non_null(strstr(r.message, "gemini-1.5-flash"));
    pol_notrain_free(nt);
}

static void test_deepseek(void **state)
{
    pol_notrain_t *nt = make(NULL, NULL);
    run_t r;
    run_fixture(nt, "deepseek", "chat/completions", NULL, 0, "deepseek/chat_completions.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_REFUSED);
    assert_string_equal(r.record, "refused:deepseek_first_party");
    assert_non_null(strstr(r.message, "deepseek: "));
    assert_non_null(strstr(r.message, "aigw user consent USER on"));
    run_fixture(nt, "deepseek", "v1/chat/completions", NULL, 1, "deepseek/chat_completions.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_string_equal(r.record, "consent:deepseek_first_party");
    json_decref(r.doc);
    pol_notrain_free(nt);
}

static void test_replicate(void **state)
{
    pol_notrain_t *nt = make(NULL, NULL);
    run_t r;
    run_fixture(nt, "replicate", "predictions", NULL, 0, "replicate/predictions.create.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_null(json_object_get(r.doc, "webhook"));
    assert_null(json_object_get(r.doc, "webhook_events_filter"));
    assert_non_null(json_object_get(r.doc, "input"));
    assert_string_equal(r.record, "flags:webhook dropped");
    json_decref(r.doc);

    run_str(nt, "replicate", "models/black-forest-labs/flux-schnell/predictions",
            "{\"input\":{\"prompt\":\"p\"},\"webhook\":\"https://x.example/h\"}", &r);
    assert_null(json_object_get(r.doc, "webhook"));
    json_decref(r.doc);
    run_fixture(nt, "replicate", "models/black-forest-labs/flux-kontext-pro/predictions", NULL, 0,
                "replicate/models_predictions.data_uri.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED); /* data: URI input is the way */
    json_decref(r.doc);

    run(nt, "replicate", "files", NULL, 1, NULL, 0, &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_REFUSED);
    assert_string_equal(r.d.reason, "replicate_file_upload");
    assert_non_null(strstr(r.message, "data: URIs"));
    run(nt, "replicate", "models/o/m/versions/abc/trainings", NULL, 0, NULL, 0, &r);
    assert_string_equal(r.record, "refused:replicate_storage_route");
    pol_notrain_free(nt);
}

/* OpenAI user / safety_identifier: keyed hash by default (OpenAI recommends hashing them), stable per value; a value
 * the PII pass already replaced by a placeholder is hashed as the call's end-user id instead, so that two users whose
 * ids are e-mail addresses ("<EMAIL_ADDRESS_1>" both) get distinct pseudonyms; "keep" keeps them. */
static void test_openai_user(void **state)
{
    (void)state;
    unsigned char key[32];
    memset(key, 9, sizeof(key));
    pol_notrain_t *nt = make(NULL, key);
    run_t r;
    char a[40], b[40];
#define UID(field) json_string_value(json_object_get(r.doc, field))
    run_str(nt, "openai", "chat/completions", "{\"messages\":[],\"user\":\"user-42\",\"safety_identifier\":\"user-42\"}", &r);
    assert_string_equal(r.record, "flags:store=false,metadata dropped,user hashed,safety_identifier hashed");
    assert_int_equal(strlen(UID("user")), 34);
    assert_true(strncmp(UID("user"), "u_", 2) == 0);
    assert_string_equal(UID("user"), UID("safety_identifier"));
    snprintf(a, sizeof(a), "%s", UID("user"));
    json_decref(r.doc);
    /* a placeholder value: the end user's id is hashed, the same pseudonym as that id sent as the value */
    run_user = "user-42";
    run_str(nt, "openai", "responses", "{\"input\":\"hi\",\"safety_identifier\":\"<EMAIL_ADDRESS_1>\"}", &r);
    assert_string_equal(UID("safety_identifier"), a);
    json_decref(r.doc);
    run_user = "user-43";
    run_str(nt, "openai", "responses", "{\"input\":\"hi\",\"safety_identifier\":\"<EMAIL_ADDRESS_1>\"}", &r);
    snprintf(b, sizeof(b), "%s", UID("safety_identifier"));
    assert_string_not_equal(a, b);
    json_decref(r.doc);
    run_str(nt, "openai", "chat/completions", "{\"user\":\"team <EMAIL_ADDRESS> x\"}", &r); /* redact's placeholder too */
    assert_string_equal(UID("user"), b);
    json_decref(r.doc);
    /* no placeholder: the value is hashed whatever the user ("a<b>", lower case, is no placeholder) */
    run_str(nt, "openai", "chat/completions", "{\"user\":\"user-42\"}", &r);
    assert_string_equal(UID("user"), a);
    json_decref(r.doc);
    run_str(nt, "openai", "chat/completions", "{\"user\":\"a<b>\"}", &r);
    assert_string_not_equal(UID("user"), b);
    json_decref(r.doc);
    run_user = NULL;
    /* embeddings are not a chat or responses route: untouched */
    run_str(nt, "openai", "embeddings", "{\"input\":\"x\",\"user\":\"user-42\"}", &r);
    assert_string_equal(UID("user"), "user-42");
    json_decref(r.doc);
    pol_notrain_free(nt);
    nt = make("{\"providers\": {\"openai\": {\"user\": \"keep\"}}}", key);
    run_str(nt, "openai", "chat/completions", "{\"user\":\"user-42\"}", &r);
    assert_string_equal(UID("user"), "user-42");
    assert_string_equal(r.record, "flags:store=false,metadata dropped");
    json_decref(r.doc);
    pol_notrain_free(nt);
#undef UID
}

static void test_anthropic(void **state)
{
    unsigned char key[32];
    memset(key, 7, sizeof(key));
    pol_notrain_t *nt = make(NULL, key);
    run_t r;
    run_fixture(nt, "anthropic", "messages", NULL, 0, "anthropic/messages.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    const char *uid = json_string_value(json_object_get(json_object_get(r.doc, "metadata"), "user_id"));
    assert_non_null(uid);
    assert_int_equal(strlen(uid), 34);
    assert_true(strncmp(uid, "u_", 2) == 0);
    assert_null(strstr(uid, "@"));
    char first[40];
    snprintf(first, sizeof(first), "%s", uid);
    /* cache_control is kept by default */
    assert_non_null(json_object_get(json_array_get(json_object_get(r.doc, "system"), 0), "cache_control"));
    assert_string_equal(r.record, "flags:metadata.user_id hashed");
    json_decref(r.doc);
    /* stable for the same key and value */
    run_fixture(nt, "anthropic", "messages", NULL, 0, "anthropic/messages.request.json", &r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r.doc, "metadata"), "user_id")), first);
    json_decref(r.doc);

    /* metadata.user_id the PII pass replaced by a placeholder: the end user's pseudonym, distinct per user */
    run_user = "user-a";
    run_str(nt, "anthropic", "messages", "{\"metadata\":{\"user_id\":\"<EMAIL_ADDRESS_1>\"},\"messages\":[]}", &r);
    snprintf(first, sizeof(first), "%s", json_string_value(json_object_get(json_object_get(r.doc, "metadata"), "user_id")));
    json_decref(r.doc);
    run_user = "user-b";
    run_str(nt, "anthropic", "messages", "{\"metadata\":{\"user_id\":\"<EMAIL_ADDRESS_1>\"},\"messages\":[]}", &r);
    assert_string_not_equal(json_string_value(json_object_get(json_object_get(r.doc, "metadata"), "user_id")), first);
    json_decref(r.doc);

    /* with the original the client sent (captured before the PII pass): hashed from it, whoever the end user is, and
     * the same pseudonym as the id sent in clear */
    run_str(nt, "anthropic", "messages", "{\"metadata\":{\"user_id\":\"jane@example.com\"},\"messages\":[]}", &r);
    snprintf(first, sizeof(first), "%s", json_string_value(json_object_get(json_object_get(r.doc, "metadata"), "user_id")));
    json_decref(r.doc);
    const pol_notrain_id_t ids[] = {{"user", "someone-else", 12}, {"metadata.user_id", "jane@example.com", 16}};
    run_ids = ids;
    run_n_ids = 2;
    run_user = "user-a";
    run_str(nt, "anthropic", "messages", "{\"metadata\":{\"user_id\":\"<EMAIL_ADDRESS_1>\"},\"messages\":[]}", &r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r.doc, "metadata"), "user_id")), first);
    json_decref(r.doc);
    run_ids = NULL;
    run_n_ids = 0;
    run_user = NULL;

    /* file sources are refused */
    run_str(nt, "anthropic", "messages",
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":"
            "\"file_1\"}}]}]}",
            &r);
    assert_string_equal(r.record, "refused:anthropic_file_source");
    run(nt, "anthropic", "files", NULL, 0, NULL, 0, &r);
    assert_string_equal(r.record, "refused:anthropic_storage_route");
    run(nt, "anthropic", "messages/batches", NULL, 0, NULL, 0, &r);
    assert_string_equal(r.record, "refused:anthropic_storage_route");
    pol_notrain_free(nt);

    /* no key: user_id dropped; cache_control refuse */
    nt = make("{\"providers\": {\"anthropic\": {\"cache_control\": \"refuse\", \"user_id\": \"drop\"}}}", NULL);
    run_fixture(nt, "anthropic", "messages", NULL, 0, "anthropic/messages.stream.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    json_decref(r.doc);
    run_fixture(nt, "anthropic", "messages", NULL, 0, "anthropic/messages.request.json", &r);
    assert_string_equal(r.record, "refused:anthropic_cache_control");
    assert_non_null(strstr(r.message, "cache_control"));
    run_str(nt, "anthropic", "messages", "{\"metadata\":{\"user_id\":\"jane@example.com\",\"x\":1},\"messages\":[]}", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_null(json_object_get(json_object_get(r.doc, "metadata"), "user_id"));
    assert_string_equal(r.record, "flags:metadata.user_id dropped");
    json_decref(r.doc);
    pol_notrain_free(nt);

    nt = make("{\"providers\": {\"anthropic\": {\"user_id\": \"keep\"}}}", NULL);
    run_str(nt, "anthropic", "messages", "{\"metadata\":{\"user_id\":\"jane@example.com\"}}", &r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r.doc, "metadata"), "user_id")), "jane@example.com");
    json_decref(r.doc);
    pol_notrain_free(nt);
}

static void test_fireworks(void **state)
{
    pol_notrain_t *nt = make(NULL, NULL);
    run_t r;
    char *body = variant("fireworks/responses.request.json", "store", json_true());
    run_str(nt, "fireworks", "responses", body, &r);
    free(body);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_true(json_is_false(json_object_get(r.doc, "store")));
    json_decref(r.doc);
    run_fixture(nt, "fireworks", "responses", NULL, 0, "fireworks/responses.request.json", &r);
    assert_true(json_is_false(json_object_get(r.doc, "store")));
    json_decref(r.doc);
    body = variant("fireworks/responses.request.json", "previous_response_id", json_string("r1"));
    run_str(nt, "fireworks", "responses", body, &r);
    free(body);
    assert_string_equal(r.record, "refused:fireworks_previous_response_id");

    run_fixture(nt, "fireworks", "chat/completions", NULL, 0, "fireworks/chat_completions.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_string_equal(r.record, "allowed");
    json_decref(r.doc);

    /* proprietary logging models are denied by default, consent lifts it */
    const char *f1 = "{\"model\":\"accounts/fireworks/models/f1-preview\",\"messages\":[]}";
    run_str(nt, "fireworks", "chat/completions", f1, &r);
    assert_string_equal(r.record, "refused:model_denied");
    assert_non_null(strstr(r.message, "accounts/fireworks/models/f1-preview"));
    run(nt, "fireworks", "chat/completions", NULL, 1, f1, strlen(f1), &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    json_decref(r.doc);
    /* an escaped model id cannot be matched: refused while a deny list exists */
    run_str(nt, "fireworks", "chat/completions", "{\"model\":\"accounts/fireworks/models/f\\u0031\"}", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_REFUSED);
    pol_notrain_free(nt);

    /* an empty deny list turns the default off */
    nt = make("{\"providers\": {\"fireworks\": {\"deny_models\": []}}}", NULL);
    run_str(nt, "fireworks", "chat/completions", f1, &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    json_decref(r.doc);
    pol_notrain_free(nt);
}

static void test_fal(void **state)
{
    pol_notrain_t *nt = make(NULL, NULL);
    run_t r;
    run_fixture(nt, "fal", "fal-ai/flux/dev", NULL, 0, "fal/queue_submit.request.json", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_int_equal(r.d.nheaders, 2);
    assert_string_equal(r.d.headers[0].name, "X-Fal-Store-IO");
    assert_string_equal(r.d.headers[0].value, "0");
    assert_string_equal(r.d.headers[1].name, "X-Fal-Object-Lifecycle-Preference");
    json_t *lc = json_loads(r.d.headers[1].value, 0, NULL);
    assert_non_null(lc);
    assert_int_equal(json_integer_value(json_object_get(lc, "expiration_duration_seconds")), 3600);
    json_decref(lc);
    assert_int_equal(r.d.ndrop_query, 1);
    assert_string_equal(r.d.drop_query[0], "fal_webhook");
    assert_int_equal(r.d.nedits, 0);
    assert_non_null(strstr(r.record, "X-Fal-Store-IO=0"));
    json_decref(r.doc);
    run(nt, "fal", "storage/upload/initiate", NULL, 0, NULL, 0, &r);
    assert_string_equal(r.record, "refused:fal_storage_upload");
    pol_notrain_free(nt);

    nt = make("{\"providers\": {\"fal\": {\"media_expiration_seconds\": 600}}}", NULL);
    run(nt, "fal", "fal-ai/flux/dev", NULL, 0, NULL, 0, &r);
    assert_string_equal(r.d.headers[1].value, "{\"expiration_duration_seconds\":600}");
    pol_notrain_free(nt);
}

static void test_config_errors(void **state)
{
    struct {
        const char *cfg;
        const char *err;
    } cases[] = {
        {"[]", "training: expected an object"},
        {"{\"mode\": \"never\"}", "training.mode: expected \"deny_unless_consent\", \"deny\" or \"allow\""},
        {"{\"modes\": \"deny\"}", "training.modes: unknown key"},
        {"{\"providers\": []}", "training.providers: expected an object"},
        {"{\"providers\": {\"mistral\": {}}}", "training.providers.mistral: unknown provider"},
        {"{\"providers\": {\"gemini\": {\"mode\": 1}}}",
         "training.providers.gemini.mode: expected \"deny_unless_consent\", \"deny\" or \"allow\""},
        {"{\"providers\": {\"gemini\": {\"user_id\": \"drop\"}}}", "training.providers.gemini.user_id: unknown key"},
        {"{\"providers\": {\"openai\": {\"no_storage\": \"no\"}}}", "training.providers.openai.no_storage: expected true or false"},
        {"{\"providers\": {\"openai\": {\"deny_models\": [\"\"]}}}", "training.providers.openai.deny_models: expected an array"},
        {"{\"providers\": {\"fal\": {\"media_expiration_seconds\": 0}}}",
         "training.providers.fal.media_expiration_seconds: expected an integer"},
        {"{\"providers\": {\"anthropic\": {\"user_id\": \"hash\"}}}", "training.providers.anthropic.user_id: \"hash\" needs"},
        {"{\"providers\": {\"anthropic\": {\"cache_control\": \"strip\"}}}",
         "training.providers.anthropic.cache_control: expected"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char err[256] = "";
        json_t *cfg = json_loads(cases[i].cfg, JSON_DECODE_ANY, NULL);
        assert_non_null(cfg);
        assert_null(create(cfg, NULL, err, sizeof(err)));
        if (strncmp(err, cases[i].err, strlen(cases[i].err)) != 0)
            fail_msg("config %s: got \"%s\", want prefix \"%s\"", cases[i].cfg, err, cases[i].err);
        json_decref(cfg);
    }
}

static void test_unknown_provider(void **state)
{
    pol_notrain_t *nt = make(NULL, NULL);
    run_t r;
    run_str(nt, "mistral", "chat/completions", "{\"store\":true}", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_string_equal(r.record, "allowed:unknown_provider");
    assert_true(json_is_true(json_object_get(r.doc, "store")));
    json_decref(r.doc);
    gw_json_rule_t rules[POL_NOTRAIN_MAX_RULES];
    assert_int_equal(pol_notrain_rules(nt, "mistral", rules, POL_NOTRAIN_MAX_RULES), 0);
    pol_notrain_free(nt);
}

/* The gateway's way: notrain rules first, then PII rules, in one matcher and one pass. */
typedef struct st_merged_t {
    pol_notrain_decision_t *d;
    int pii_strings;
} merged_t;

static int merged_on_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    merged_t *m = ctx;
    if (pol_notrain_owns_rule(rule_id))
        return pol_notrain_on_string(m->d, rule_id, s, len, repl);
    m->pii_strings++;
    return 0;
}

static void merged_on_capture(void *ctx, int rule_id, const char *raw, size_t len, int type)
{
    merged_t *m = ctx;
    if (pol_notrain_owns_rule(rule_id))
        pol_notrain_on_capture(m->d, rule_id, raw, len, type);
}

static void test_single_pass(void **state)
{
    unsigned char key[32] = {1};
    pol_notrain_t *nt = make(NULL, key);
    gw_json_rule_t rules[POL_NOTRAIN_MAX_RULES + 2];
    size_t n = pol_notrain_rules(nt, "anthropic", rules, POL_NOTRAIN_MAX_RULES);
    assert_true(n >= 2);
    for (size_t i = 0; i < n; i++)
        assert_true(pol_notrain_owns_rule(rules[i].id));
    rules[n++] = (gw_json_rule_t){"metadata.user_id", GW_JSON_SCAN, 1}; /* PII rule on the same path: notrain wins */
    rules[n++] = (gw_json_rule_t){"messages.*.content.*.text", GW_JSON_SCAN, 2};
    char err[128];
    gw_json_paths_t *paths = gw_json_paths_compile(rules, n, err, sizeof(err));
    assert_non_null(paths);

    size_t len;
    char *body = load_fixture("anthropic/messages.request.json", &len);
    pol_notrain_decision_t d;
    pol_notrain_input_t in = {"anthropic", "messages", 8, NULL, 0, NULL, 0, NULL, 0};
    assert_int_equal(pol_notrain_begin(nt, &in, &d), POL_NOTRAIN_ALLOWED);
    merged_t m = {&d, 0};
    gw_json_visitor_t v = {merged_on_string, merged_on_capture, &m, NULL, 0, NULL};
    gw_buf_t out = GW_BUF_INIT;
    int changed = 0;
    assert_int_equal(gw_json_rewrite(body, len, paths, d.edits, d.nedits, &v, &out, &changed, NULL, NULL), 0);
    assert_int_equal(pol_notrain_end(&d), POL_NOTRAIN_ALLOWED);
    assert_true(changed);
    assert_true(m.pii_strings >= 2);
    json_t *j = json_loadb(out.base, out.len, 0, NULL);
    assert_non_null(j);
    assert_true(strncmp(json_string_value(json_object_get(json_object_get(j, "metadata"), "user_id")), "u_", 2) == 0);
    json_decref(j);
    gw_buf_free(&out);
    gw_json_paths_free(paths);
    free(body);
    pol_notrain_free(nt);
}

/* The evaluator on a posture of its own: a route refusal with and without its own message, a force gated by an
 * option, a header carrying an integer option, a capture refusal on one route class only, the record order, option
 * errors, and a posture naming an unknown option is refused at start. */
enum { ACME_GEN = 1, ACME_STATE = 2 };
static const pol_notrain_route_t acme_routes[] = {{"vault*", "acme_storage_route", NULL, 0, NULL},
                                                  {"drop*", "acme_drop", "acme: drops are kept forever", 0, NULL},
                                                  {"gen", NULL, NULL, ACME_GEN, NULL},
                                                  {"state", NULL, NULL, ACME_GEN | ACME_STATE, NULL},
                                                  {NULL, NULL, NULL, 0, NULL}};
static const pol_notrain_force_t acme_forces[] = {
    {.label = "keep=false", .on = ACME_GEN, .edits = {{"keep", "false", 0}}},
    {.label = "tags dropped", .on = ACME_GEN, .when = {"drop_tags", 1}, .edits = {{"tags", NULL, 0}}},
    {.label = "ttl set", .on = ACME_STATE, .headers = {{"X-Ttl", "ttl=", "ttl_seconds", "s"}}, .drop_query = "hook"},
    {.label = NULL}};
static const pol_notrain_capture_t acme_captures[] = {
    {"resume", ACME_STATE, {NULL, 0}, POL_NOTRAIN_IF_NOT_NULL, NULL, "acme_resume", "acme: resume needs stored state"},
    {NULL, 0, {NULL, 0}, 0, NULL, NULL, NULL}};
static const pol_notrain_option_t acme_options[] = {
    {.key = "drop_tags", .type = POL_NOTRAIN_OPT_BOOL, .def = 1, .keyed = -1},
    {.key = "ttl_seconds", .type = POL_NOTRAIN_OPT_INT, .def = 60, .keyed = -1, .min = 1, .max = 600},
    {.key = NULL}};
static const pol_notrain_posture_t acme = {
    .provider = "acme", .routes = acme_routes, .forces = acme_forces, .captures = acme_captures, .options = acme_options};

static pol_notrain_t *acme_table(const char *cfg_json, char *err, size_t errlen)
{
    const pol_notrain_posture_t *p[] = {&acme};
    json_t *cfg = cfg_json != NULL ? json_loads(cfg_json, 0, NULL) : NULL;
    pol_notrain_t *nt = pol_notrain_create(cfg, NULL, p, 1, err, errlen);
    json_decref(cfg);
    return nt;
}

static void test_generic_posture(void **state)
{
    (void)state;
    char err[256] = "";
    pol_notrain_t *nt = acme_table(NULL, err, sizeof(err));
    assert_non_null(nt);
    run_t r;
    run_str(nt, "acme", "gen", "{\"keep\":true,\"tags\":[1],\"resume\":\"x\"}", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED); /* resume refuses only on the state route */
    assert_string_equal(r.record, "flags:keep=false,tags dropped");
    assert_true(json_is_false(json_object_get(r.doc, "keep")));
    assert_null(json_object_get(r.doc, "tags"));
    assert_int_equal(r.d.nheaders, 0);
    json_decref(r.doc);
    run_str(nt, "acme", "state", "{\"resume\":\"x\"}", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_REFUSED);
    assert_string_equal(r.record, "refused:acme_resume");
    assert_string_equal(r.message, "acme: resume needs stored state");
    run_str(nt, "acme", "state", "{\"resume\":null}", &r);
    assert_int_equal(r.verdict, POL_NOTRAIN_ALLOWED);
    assert_string_equal(r.record, "flags:keep=false,tags dropped,ttl set");
    assert_int_equal(r.d.nheaders, 1);
    assert_string_equal(r.d.headers[0].value, "ttl=60s");
    assert_string_equal(r.d.drop_query[0], "hook");
    json_decref(r.doc);
    run_str(nt, "acme", "vault/1", "{}", &r);
    assert_string_equal(r.message, "acme: the route \"vault/1\" stores content at the provider until it is deleted, and aigw's "
                                   "no-storage policy refuses it (training.providers.acme.no_storage)");
    run_str(nt, "acme", "DROP", "{}", &r);
    assert_string_equal(r.record, "refused:acme_drop");
    assert_string_equal(r.message, "acme: drops are kept forever");
    pol_notrain_free(nt);

    nt = acme_table("{\"providers\":{\"acme\":{\"drop_tags\":false,\"ttl_seconds\":5}}}", err, sizeof(err));
    assert_non_null(nt);
    run_str(nt, "acme", "state", "{\"tags\":[1]}", &r);
    assert_string_equal(r.record, "flags:keep=false,ttl set");
    assert_string_equal(r.d.headers[0].value, "ttl=5s");
    assert_non_null(json_object_get(r.doc, "tags"));
    json_decref(r.doc);
    pol_notrain_free(nt);

    assert_null(acme_table("{\"providers\":{\"acme\":{\"ttl_seconds\":0}}}", err, sizeof(err)));
    assert_string_equal(err, "training.providers.acme.ttl_seconds: expected an integer from 1 to 600");
    assert_null(acme_table("{\"providers\":{\"acme\":{\"x\":0}}}", err, sizeof(err)));
    assert_string_equal(err, "training.providers.acme.x: unknown key (expected mode, no_storage, deny_models, allow_models, "
                             "drop_tags, ttl_seconds)");
    assert_null(acme_table("{\"providers\":{\"openai\":{}}}", err, sizeof(err)));
    assert_string_equal(err, "training.providers.openai: unknown provider (expected acme)");

    static const pol_notrain_force_t bad_forces[] = {{.label = "x", .on = 1, .when = {"nope", 1}}, {.label = NULL}};
    static const pol_notrain_posture_t bad = {.provider = "bad", .forces = bad_forces};
    const pol_notrain_posture_t *p[] = {&bad};
    assert_null(pol_notrain_create(NULL, NULL, p, 1, err, sizeof(err)));
    assert_string_equal(err, "training: posture bad: a force names an unknown option");
}

/* pol_notrain_begin runs fnmatch on a route glob only when pol__notrain_glob_match cannot decide: where it decides, it
 * must say what fnmatch(FNM_CASEFOLD) says. Every route glob of every adapter against routes made from the globs
 * themselves (wildcards filled, cut at every length, letters upper-cased, one byte changed, non-ASCII bytes). */
static void test_route_glob_prefilter(void **state)
{
    (void)state;
    size_t na;
    const prov_adapter_t *const *ad = prov_all(&na);
    static const char *const fill[] = {"", "x", "/", "Completions", "\xc3\xa9", "?q=1", "\xe2\x84\xaa"};
    size_t checked = 0, skipped = 0;
    for (size_t a = 0; a < na; a++) {
        const pol_notrain_route_t *routes = ad[a]->notrain != NULL ? ad[a]->notrain->routes : NULL;
        for (size_t g = 0; routes != NULL && routes[g].glob != NULL; g++) {
            for (size_t h = 0; routes[h].glob != NULL; h++) {
                const char *src = routes[h].glob;
                for (size_t f = 0; f < sizeof(fill) / sizeof(fill[0]); f++) {
                    char base[256];
                    size_t n = 0;
                    for (size_t i = 0; src[i] != '\0' && n + 16 < sizeof(base); i++) {
                        if (src[i] == '*' || src[i] == '?') {
                            memcpy(base + n, fill[f], strlen(fill[f]));
                            n += strlen(fill[f]);
                        } else {
                            base[n++] = src[i];
                        }
                    }
                    base[n] = '\0';
                    for (size_t cut = 0; cut <= n; cut++) {
                        for (int var = 0; var < 4; var++) {
                            char route[256];
                            memcpy(route, base, cut);
                            route[cut] = '\0';
                            if (var == 1)
                                for (size_t i = 0; i < cut; i++)
                                    if (route[i] >= 'a' && route[i] <= 'z')
                                        route[i] = (char)(route[i] - 32);
                            if (var == 2 && cut > 0)
                                route[cut - 1] = (char)(route[cut - 1] ^ 1);
                            if (var == 3 && cut > 0)
                                route[(cut * 7) % cut] = '\xc3';
                            int m = pol__notrain_glob_match(routes[g].glob, route);
                            int match = fnmatch(routes[g].glob, route, FNM_CASEFOLD) == 0;
                            if (m != POL__GLOB_ASK && match != (m == POL__GLOB_YES))
                                fail_msg("%s: glob %s, route %s: fnmatch %d, the prefilter says %d", ad[a]->name, routes[g].glob,
                                         route, match, m);
                            checked++;
                            skipped += m != POL__GLOB_ASK;
                        }
                    }
                }
            }
        }
    }
    assert_true(checked > 10000);
    assert_true(skipped > checked / 2); /* it does skip */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openai_chat),
        cmocka_unit_test(test_openai_responses),
        cmocka_unit_test(test_openai_routes),
        cmocka_unit_test(test_openrouter),
        cmocka_unit_test(test_gemini),
        cmocka_unit_test(test_deepseek),
        cmocka_unit_test(test_replicate),
        cmocka_unit_test(test_openai_user),
        cmocka_unit_test(test_anthropic),
        cmocka_unit_test(test_fireworks),
        cmocka_unit_test(test_fal),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_unknown_provider),
        cmocka_unit_test(test_single_pass),
        cmocka_unit_test(test_generic_posture),
        cmocka_unit_test(test_route_glob_prefilter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
