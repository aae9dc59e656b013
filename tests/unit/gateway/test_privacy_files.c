/*
 * Declared file fields (providers/provider.h file_fields; gateway/privacy.c on_file_string): for every adapter and
 * every field its wire format declares as file data, a short payload (under POL_PAYLOAD_MIN_BLOB characters of base64)
 * gets the verdict of a long one: a 30-byte GIF, PDF or unknown binary is refused (415 unscannable_payload) unless
 * pii.forward_unscanned_types names its type, a short text file is scanned decoded, and a value that is not base64 is
 * refused, never scanned as text. Before session 9 the short ones were "words that happen to be base64": scanned as
 * text and forwarded. Free-text fields keep that rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "gateway/config.h"
#include "gateway/privacy.h"

typedef struct {
    gw_config_t *cfg;
    gw_privacy_t *pv;
    pol_pii_session_t *ss;
    gw_privacy_scratch_t s;
} fixture_t;

static void fixture_init(fixture_t *f, const char *forward)
{
    char cfg_text[512], err[256];
    snprintf(cfg_text, sizeof(cfg_text),
             "{\"pii\":{\"hash_key_hex\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\","
             "\"default_action\":\"tokenize\"%s%s%s}}",
             forward != NULL ? ",\"forward_unscanned_types\":" : "", forward != NULL ? forward : "", "");
    memset(f, 0, sizeof(*f));
    f->cfg = gw_config_parse(cfg_text, strlen(cfg_text), "test", err, sizeof(err));
    if (f->cfg == NULL)
        fail_msg("config: %s", err);
    f->pv = gw_privacy_create(f->cfg, err, sizeof(err));
    if (f->pv == NULL)
        fail_msg("privacy: %s", err);
    f->ss = pol_pii_session_create(gw_privacy_engine(f->pv));
    assert_non_null(f->ss);
    assert_int_equal(gw_privacy_scratch_init(f->pv, &f->s), 0);
}

static void fixture_dispose(fixture_t *f)
{
    gw_privacy_scratch_dispose(&f->s);
    pol_pii_session_free(f->ss);
    gw_privacy_free(f->pv);
    gw_config_free(f->cfg);
}

static void base64(const unsigned char *b, size_t n, gw_buf_t *out)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    gw_buf_reset(out);
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)b[i] << 16 | (i + 1 < n ? (unsigned)b[i + 1] << 8 : 0) | (i + 2 < n ? b[i + 2] : 0);
        char q[4] = {a[v >> 18], a[(v >> 12) & 63], i + 1 < n ? a[(v >> 6) & 63] : '=', i + 2 < n ? a[v & 63] : '='};
        gw_buf_append(out, q, 4);
    }
    gw_buf_append(out, "", 1);
    out->len--;
}

/* Builds a body with `value` at `pattern` ('*' = an array of one element); `type` (may be NULL) is set as the member
 * "type" of the innermost object, before the value when `type_first`, else after. */
static char *body_at(const char *pattern, const char *value, const char *type, int type_first)
{
    json_t *root = json_object(), *cur = root;
    char segs[16][64];
    size_t n = 0;
    for (const char *p = pattern; *p != '\0' && n < 16;) {
        size_t k = strcspn(p, ".");
        snprintf(segs[n++], sizeof(segs[0]), "%.*s", (int)k, p);
        p += k + (p[k] == '.');
    }
    const char *key = NULL;
    for (size_t i = 0; i + 1 < n; i++) {
        if (strcmp(segs[i], "*") == 0)
            continue;
        json_t *child = strcmp(segs[i + 1], "*") == 0 ? json_array() : json_object();
        json_t *holder = cur;
        if (json_is_array(holder)) {
            json_t *o = json_object();
            json_array_append_new(holder, o);
            holder = o;
        }
        json_object_set_new(holder, segs[i], child);
        cur = child;
        key = segs[i];
    }
    (void)key;
    if (json_is_array(cur) && strcmp(segs[n - 1], "*") == 0) { /* "image_urls.*": the value is an element */
        json_array_append_new(cur, json_string(value));
        char *s = json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT);
        json_decref(root);
        return s;
    }
    if (json_is_array(cur)) {
        json_t *o = json_object();
        json_array_append_new(cur, o);
        cur = o;
    }
    if (type != NULL && type_first)
        json_object_set_new(cur, "type", json_string(type));
    json_object_set_new(cur, segs[n - 1], json_string(value));
    if (type != NULL && !type_first)
        json_object_set_new(cur, "type", json_string(type));
    char *s = json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(root);
    return s;
}

/* The request pass over `body`: 0 forwarded (*changed: rewritten), else the refusal status (415, 400) */
static int verdict(fixture_t *f, const prov_adapter_t *a, const char *body, int *changed, gw_buf_t *out)
{
    gw_body_info_t info;
    memset(&info, 0, sizeof(info));
    const char *desc = NULL;
    size_t off = 0;
    pol_pii_session_reset(f->ss);
    *changed = 0;
    int rc = gw_privacy_scrub_request(f->pv, &f->s, a, f->ss, body, strlen(body), out, changed, &info, &desc, &off);
    int status = rc == 0 ? 0 : rc == GW_PRIVACY_E_REFUSED ? info.refusal_status : 1000;
    if (rc == GW_PRIVACY_E_REFUSED)
        assert_string_equal(info.refusal_code, info.refusal_status == 415 ? "unscannable_payload" : "x");
    gw_buf_free(&info.user);
    gw_buf_free(&info.model);
    return status;
}

static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,";
static const unsigned char pdf[] = "%PDF-1.4\n%\xc7\xec\x8f\xa2\n1 0 obj<<>>endobj\n";
static const unsigned char junk[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a";

/* A file's bytes, short (as given) or long (padded to 300 bytes: over POL_PAYLOAD_MIN_BLOB as base64). */
static void payload(const unsigned char *b, size_t n, int is_long, gw_buf_t *out)
{
    unsigned char big[300];
    memset(big, 0, sizeof(big));
    memcpy(big, b, n);
    base64(big, is_long ? sizeof(big) : n, out);
    if (!is_long)
        assert_true(out->len < POL_PAYLOAD_MIN_BLOB);
}

static size_t nfields(const prov_adapter_t *a)
{
    size_t n = 0;
    while (a->file_fields != NULL && a->file_fields[n].pattern != NULL)
        n++;
    return n;
}

static void check_all(const char *forward, int gif_pdf_forwarded)
{
    fixture_t f;
    fixture_init(&f, forward);
    size_t na, checked = 0;
    const prov_adapter_t *const *all = prov_all(&na);
    gw_buf_t v = GW_BUF_INIT, out = GW_BUF_INIT;
    for (size_t i = 0; i < na; i++) {
        const prov_adapter_t *a = all[i];
        for (size_t k = 0; k < nfields(a); k++) {
            const prov_file_field_t *ff = &a->file_fields[k];
            const char *type = ff->kind == PROV_FILE_TYPED ? "base64" : NULL;
            struct {
                const unsigned char *b;
                size_t n;
                int forwarded;
            } files[] = {{gif, sizeof(gif) - 1, gif_pdf_forwarded},
                         {pdf, sizeof(pdf) - 1, gif_pdf_forwarded},
                         {junk, sizeof(junk) - 1, gif_pdf_forwarded}};
            for (size_t j = 0; j < sizeof(files) / sizeof(files[0]); j++) {
                int got[2];
                for (int is_long = 0; is_long < 2; is_long++) {
                    payload(files[j].b, files[j].n, is_long, &v);
                    char *body = body_at(ff->pattern, v.base, type, 1);
                    int changed;
                    got[is_long] = verdict(&f, a, body, &changed, &out);
                    free(body);
                }
                if (got[0] != got[1] || got[0] != (files[j].forwarded ? 0 : 415))
                    fail_msg("%s %s, file %zu: short -> %d, long -> %d, want %d", a->name, ff->pattern, j, got[0], got[1],
                             files[j].forwarded ? 0 : 415);
            }
            /* a short text file: decoded and scanned (the address is tokenized inside the base64) */
            static const char note[] = "mail jane.doe@example.com";
            base64((const unsigned char *)note, sizeof(note) - 1, &v);
            char *body = body_at(ff->pattern, v.base, type, 1);
            int changed;
            assert_int_equal(verdict(&f, a, body, &changed, &out), 0);
            if (!changed)
                fail_msg("%s %s: a short base64 text file was not scanned", a->name, ff->pattern);
            free(body);
            /* not base64: refused, never scanned as text (whatever forward_unscanned_types allows) */
            body = body_at(ff->pattern, "see https://example.com/x.pdf", type, 1);
            assert_int_equal(verdict(&f, a, body, &changed, &out), 415);
            free(body);
            if (ff->kind == PROV_FILE_URI) { /* a link the provider fetches: text, scanned */
                body = body_at(ff->pattern, "https://example.com/cat.png?for=jane.doe@example.com", type, 1);
                assert_int_equal(verdict(&f, a, body, &changed, &out), 0);
                if (!changed || strstr(out.base, "jane.doe") != NULL)
                    fail_msg("%s %s: a URL was not scanned as text", a->name, ff->pattern);
                free(body);
            }
            checked++;
        }
    }
    assert_true(checked >= 25); /* openai, deepseek, fireworks, openrouter, gemini, anthropic, replicate, fal */
    gw_buf_free(&v);
    gw_buf_free(&out);
    fixture_dispose(&f);
}

static void test_short_files_like_long(void **state)
{
    (void)state;
    check_all(NULL, 0);
}

static void test_short_files_forwarded_by_type(void **state)
{
    (void)state;
    check_all("[\"image/gif\",\"application/pdf\",\"application/octet-stream\"]", 1);
}

/* Free text keeps the length rule: a short base64-looking word in prose is text, forwarded as it is. */
static void test_free_text_keeps_words(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, NULL);
    gw_buf_t v = GW_BUF_INIT, out = GW_BUF_INIT;
    payload(gif, sizeof(gif) - 1, 0, &v);
    static const struct {
        const prov_adapter_t *a;
        const char *pattern;
    } prose[] = {{&prov_openai, "messages.*.content"}, {&prov_gemini, "contents.*.parts.*.text"}, {&prov_anthropic, "system"}};
    for (size_t i = 0; i < sizeof(prose) / sizeof(prose[0]); i++) {
        char *body = body_at(prose[i].pattern, v.base, NULL, 1);
        int changed;
        assert_int_equal(verdict(&f, prose[i].a, body, &changed, &out), 0);
        free(body);
    }
    gw_buf_free(&v);
    gw_buf_free(&out);
    fixture_dispose(&f);
}

/* Anthropic `source.data` is a file when its `type` says base64, a document's text when it says text; before its
 * type is known (type after data), base64 is a file and anything else text. */
static void test_anthropic_typed_source(void **state)
{
    (void)state;
    fixture_t f;
    fixture_init(&f, NULL);
    gw_buf_t v = GW_BUF_INIT, out = GW_BUF_INIT;
    const char *pat = "messages.*.content.*.source.data";
    int changed;
    /* type text: plain text, even a base64-looking word ("abcd" decodes to binary) */
    char *body = body_at(pat, "abcd", "text", 1);
    assert_int_equal(verdict(&f, &prov_anthropic, body, &changed, &out), 0);
    free(body);
    body = body_at(pat, "Contract for jane.doe@example.com", "text", 1);
    assert_int_equal(verdict(&f, &prov_anthropic, body, &changed, &out), 0);
    assert_true(changed);
    free(body);
    /* type base64, first: not base64 is refused */
    body = body_at(pat, "Contract for jane.doe@example.com", "base64", 1);
    assert_int_equal(verdict(&f, &prov_anthropic, body, &changed, &out), 415);
    free(body);
    /* type after the data: prose is text, base64 a file (a short GIF refused) */
    body = body_at(pat, "Contract for jane.doe@example.com", "text", 0);
    assert_int_equal(verdict(&f, &prov_anthropic, body, &changed, &out), 0);
    assert_true(changed);
    free(body);
    payload(gif, sizeof(gif) - 1, 0, &v);
    body = body_at(pat, v.base, "base64", 0);
    assert_int_equal(verdict(&f, &prov_anthropic, body, &changed, &out), 415);
    free(body);
    /* inside tool_result content too */
    body = body_at("messages.*.content.*.content.*.source.data", v.base, "base64", 1);
    assert_int_equal(verdict(&f, &prov_anthropic, body, &changed, &out), 415);
    free(body);
    gw_buf_free(&v);
    gw_buf_free(&out);
    fixture_dispose(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_files_like_long),
        cmocka_unit_test(test_short_files_forwarded_by_type),
        cmocka_unit_test(test_free_text_keeps_words),
        cmocka_unit_test(test_anthropic_typed_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
