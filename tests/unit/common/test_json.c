/*
 * Unit tests for policy/json: RFC 8259 validation (grammar, numbers, escapes, UTF-8, depth), path
 * rules and the visitor, string replacement, embedded JSON, member edits, and a cross-check against
 * jansson over every provider fixture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>
#include <jansson.h>

#include "common/json.h"

/* ---------------------------------------------------------------------------------------------- */
/* helpers */

typedef struct {
    char log[8192];  /* "id|path|value\n" per string */
    char caps[2048]; /* "id|type|raw\n" per capture */
    char last[64];   /* bytes of the last string, NUL-safe */
    size_t last_len;
    int mode; /* 0 keep, 1 uppercase ASCII, 2 replace with fixed text, 3 abort */
    const char *fixed;
    size_t calls;
} rec_t;

static void cat(char *dst, size_t cap, const char *s, size_t n)
{
    size_t l = strlen(dst);
    if (l + n + 1 > cap)
        n = cap - l - 1;
    memcpy(dst + l, s, n);
    dst[l + n] = '\0';
}

static int rec_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    rec_t *r = ctx;
    char head[256];
    r->calls++;
    r->last_len = len < sizeof(r->last) ? len : sizeof(r->last);
    memcpy(r->last, s, r->last_len);
    snprintf(head, sizeof(head), "%d|%s|", rule_id, path);
    cat(r->log, sizeof(r->log), head, strlen(head));
    cat(r->log, sizeof(r->log), s, len);
    cat(r->log, sizeof(r->log), "\n", 1);
    switch (r->mode) {
    case 1:
        for (size_t i = 0; i < len; i++) {
            char c = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
            gw_buf_append(repl, &c, 1);
        }
        return 1;
    case 2:
        gw_buf_append(repl, r->fixed, strlen(r->fixed));
        return 1;
    case 3:
        return -77;
    }
    return 0;
}

static void rec_capture(void *ctx, int rule_id, const char *raw, size_t len, int type)
{
    rec_t *r = ctx;
    char head[64];
    snprintf(head, sizeof(head), "%d|%d|", rule_id, type);
    cat(r->caps, sizeof(r->caps), head, strlen(head));
    cat(r->caps, sizeof(r->caps), raw, len);
    cat(r->caps, sizeof(r->caps), "\n", 1);
}

static gw_json_paths_t *compile(const gw_json_rule_t *rules, size_t n)
{
    char err[128] = "";
    gw_json_paths_t *p = gw_json_paths_compile(rules, n, err, sizeof(err));
    if (p == NULL)
        fail_msg("compile: %s", err);
    return p;
}

/* Rewrites `in`; returns rc; *res is the output (the input when unchanged), malloc'd. */
static int rewrite(const char *in, const gw_json_paths_t *p, const gw_json_edit_t *ed, size_t ned, rec_t *r, char **res,
                   int *changed)
{
    gw_json_visitor_t v = {rec_string, rec_capture, r, NULL, 0};
    gw_buf_t out = GW_BUF_INIT;
    gw_buf_append(&out, "SENTINEL", 8);
    const char *desc = NULL;
    size_t off = 0;
    int ch = -1;
    int rc = gw_json_rewrite(in, strlen(in), p, ed, ned, &v, &out, &ch, &desc, &off);
    if (rc == 0 && ch == 0)
        assert_true(out.len == 8 && memcmp(out.base, "SENTINEL", 8) == 0); /* untouched when unchanged */
    if (rc != 0)
        assert_non_null(desc);
    if (changed)
        *changed = ch;
    if (res)
        *res = rc == 0 ? strdup(ch ? out.base : in) : NULL;
    gw_buf_free(&out);
    return rc;
}

static void expect_rewrite(const char *in, const gw_json_paths_t *p, const gw_json_edit_t *ed, size_t ned, int mode,
                           const char *want)
{
    rec_t r;
    memset(&r, 0, sizeof(r));
    r.mode = mode;
    char *res = NULL;
    int changed;
    int rc = rewrite(in, p, ed, ned, &r, &res, &changed);
    if (rc != 0)
        fail_msg("rewrite of %s failed: %d", in, rc);
    assert_string_equal(res, want);
    assert_int_equal(changed, strcmp(in, want) != 0);
    /* whatever we produce must be valid JSON for jansson too */
    json_error_t je;
    json_t *j = json_loads(res, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (j == NULL)
        fail_msg("jansson rejects output %s: %s", res, je.text);
    json_decref(j);
    free(res);
}

static int validate(const char *s, size_t n)
{
    return gw_json_validate(s, n, NULL, NULL);
}

/* ---------------------------------------------------------------------------------------------- */
/* validation */

static void test_valid_documents(void **state)
{
    static const char *const ok[] = {
        "{}",
        "[]",
        "0",
        "-0",
        "1.5e10",
        "-1E-2",
        "12.75E+3",
        "\"a\"",
        " true ",
        "null",
        "false",
        "\n\t\r {\"a\" : [ 1 , 2 ]}\n",
        "{\"a\":[1,2,{\"b\":null}]}",
        "\"\\u0000\"",
        "\"\\ud83d\\ude00\"",
        "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
        "{\"a\":1,\"a\":2}",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "[[[[]]]]",
        "{\"\":\"\"}",
        "\"\xef\xbb\xbf\"",
        "-123456789012345678901234567890",
        "[0.0,-0.5e-0]",
        "\"\x7f\"",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        if (validate(ok[i], strlen(ok[i])) != 0)
            fail_msg("valid document rejected: %s", ok[i]);
    }
    (void)state;
}

static void test_invalid_documents(void **state)
{
    static const struct {
        const char *s;
        int rc;
    } bad[] = {
        {"", GW_JSON_E_SYNTAX},
        {"  ", GW_JSON_E_SYNTAX},
        {"{", GW_JSON_E_SYNTAX},
        {"{\"a\"}", GW_JSON_E_SYNTAX},
        {"{\"a\":}", GW_JSON_E_SYNTAX},
        {"[1,]", GW_JSON_E_SYNTAX},
        {"{\"a\":1,}", GW_JSON_E_SYNTAX},
        {"01", GW_JSON_E_SYNTAX},
        {"1.", GW_JSON_E_SYNTAX},
        {".5", GW_JSON_E_SYNTAX},
        {"1e", GW_JSON_E_SYNTAX},
        {"1e+", GW_JSON_E_SYNTAX},
        {"+1", GW_JSON_E_SYNTAX},
        {"-", GW_JSON_E_SYNTAX},
        {"tru", GW_JSON_E_SYNTAX},
        {"nul", GW_JSON_E_SYNTAX},
        {"\"abc", GW_JSON_E_SYNTAX},
        {"\"\\x\"", GW_JSON_E_SYNTAX},
        {"\"\\u12\"", GW_JSON_E_SYNTAX},
        {"\"\\u12g4\"", GW_JSON_E_SYNTAX},
        {"{} {}", GW_JSON_E_SYNTAX},
        {"[1 2]", GW_JSON_E_SYNTAX},
        {"{'a':1}", GW_JSON_E_SYNTAX},
        {"\"a\tb\"", GW_JSON_E_SYNTAX},
        {"NaN", GW_JSON_E_SYNTAX},
        {"[-]", GW_JSON_E_SYNTAX},
        {"{\"a\" 1}", GW_JSON_E_SYNTAX},
        {"{1:2}", GW_JSON_E_SYNTAX},
        {"[\"a\",]", GW_JSON_E_SYNTAX},
        {"\"\\", GW_JSON_E_SYNTAX},
        {"-01", GW_JSON_E_SYNTAX},
        {"1.e5", GW_JSON_E_SYNTAX},
        {"\"\\ud800\"", GW_JSON_E_UTF8},
        {"\"\\udc00\"", GW_JSON_E_UTF8},
        {"\"\\ud800\\u0041\"", GW_JSON_E_UTF8},
        {"\"\\ud800x\"", GW_JSON_E_UTF8},
        {"\"\xff\"", GW_JSON_E_UTF8},
        {"\"\xc0\xaf\"", GW_JSON_E_UTF8},
        {"\"\xed\xa0\x80\"", GW_JSON_E_UTF8},
        {"\"\xf4\x90\x80\x80\"", GW_JSON_E_UTF8},
        {"\"\xe2\x82\"", GW_JSON_E_UTF8},
        {"\"\xe0\x80\x80\"", GW_JSON_E_UTF8},
        {"\"\x80\"", GW_JSON_E_UTF8},
        {"\"\xf8\x88\x80\x80\x80\"", GW_JSON_E_UTF8},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = validate(bad[i].s, strlen(bad[i].s));
        if (rc != bad[i].rc)
            fail_msg("case %zu (%s): got %d, want %d", i, bad[i].s, rc, bad[i].rc);
    }
    /* NUL byte inside a document (not as an escape) */
    assert_int_equal(validate("\"a\0b\"", 5), GW_JSON_E_SYNTAX);
    assert_int_equal(validate("{}\0", 3), GW_JSON_E_SYNTAX);
    (void)state;
}

static void test_error_description_and_offset(void **state)
{
    const char *desc = NULL;
    size_t off = 0;
    assert_int_equal(gw_json_validate("{\"a\":1 \"b\":2}", 13, &desc, &off), GW_JSON_E_SYNTAX);
    assert_string_equal(desc, "expected ',' or '}'");
    assert_int_equal(off, 7);
    assert_int_equal(gw_json_validate("[1,2", 4, &desc, &off), GW_JSON_E_SYNTAX);
    assert_string_equal(desc, "expected ',' or ']'");
    assert_int_equal(off, 4);
    assert_int_equal(gw_json_validate("{\"k\":\"\xff\"}", 9, &desc, &off), GW_JSON_E_UTF8);
    assert_int_equal(off, 6);
    (void)state;
}

static void test_depth_limit(void **state)
{
    char buf[1024];
    for (int depth = 127; depth <= 130; depth++) {
        size_t n = 0;
        for (int i = 0; i < depth; i++)
            buf[n++] = '[';
        for (int i = 0; i < depth; i++)
            buf[n++] = ']';
        assert_int_equal(validate(buf, n), depth <= GW_JSON_MAX_DEPTH ? 0 : GW_JSON_E_DEPTH);
        n = 0;
        for (int i = 0; i < depth; i++) {
            memcpy(buf + n, "{\"a\":", 5);
            n += 5;
        }
        buf[n++] = '1';
        for (int i = 0; i < depth; i++)
            buf[n++] = '}';
        assert_int_equal(validate(buf, n), depth <= GW_JSON_MAX_DEPTH ? 0 : GW_JSON_E_DEPTH);
    }
    (void)state;
}

/* Every special byte at every offset of strings of every length up to 40: exercises the 8-byte fast path. */
static void test_string_scanner_offsets(void **state)
{
    static const struct {
        const char *ins;
        int rc;
    } specials[] = {{"\\n", 0},
                    {"\\u00e9", 0},
                    {"\xc3\xa9", 0},
                    {"\x01", GW_JSON_E_SYNTAX},
                    {"\x1f", GW_JSON_E_SYNTAX},
                    {"\xff", GW_JSON_E_UTF8},
                    {"\"", GW_JSON_E_SYNTAX},
                    {" ", 0},
                    {"\x7f", 0}};
    char buf[64];
    for (size_t s = 0; s < sizeof(specials) / sizeof(specials[0]); s++) {
        for (size_t len = 0; len < 40; len++) {
            for (size_t at = 0; at <= len; at++) {
                size_t n = 0, il = strlen(specials[s].ins);
                buf[n++] = '"';
                for (size_t i = 0; i < at; i++)
                    buf[n++] = 'x';
                memcpy(buf + n, specials[s].ins, il);
                n += il;
                for (size_t i = at; i < len; i++)
                    buf[n++] = 'y';
                buf[n++] = '"';
                int rc = validate(buf, n);
                if (rc != specials[s].rc)
                    fail_msg("special %zu len %zu at %zu: got %d want %d", s, len, at, rc, specials[s].rc);
            }
        }
    }
    (void)state;
}

/* ---------------------------------------------------------------------------------------------- */
/* paths and visitor */

static const char *chat = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                          "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi, I am "
                          "Jane\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:x\"}}]},"
                          "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"f\","
                          "\"arguments\":\"{\\\"email\\\":\\\"a@b.c\\\",\\\"n\\\":[1,\\\"two\\\"]}\"}}]}],"
                          "\"metadata\":{\"a\":{\"b\":[\"deep\"]},\"c\":\"top\"},\"user\":\"u1\"}";

static void test_paths_and_captures(void **state)
{
    static const gw_json_rule_t rules[] = {
        {"messages.*.content", GW_JSON_SCAN, 1}, {"messages.*.content.*.text", GW_JSON_SCAN, 2},
        {"metadata.**", GW_JSON_SCAN, 3},        {"model", GW_JSON_CAPTURE, 10},
        {"stream", GW_JSON_CAPTURE, 11},         {"messages.*.tool_calls.*.function.arguments", GW_JSON_EMBEDDED, 4},
        {"metadata", GW_JSON_CAPTURE, 12},       {"messages.1.role", GW_JSON_SCAN | GW_JSON_CAPTURE, 5},
    };
    gw_json_paths_t *p = compile(rules, sizeof(rules) / sizeof(rules[0]));
    rec_t r;
    memset(&r, 0, sizeof(r));
    int changed;
    assert_int_equal(rewrite(chat, p, NULL, 0, &r, NULL, &changed), 0);
    assert_int_equal(changed, 0);
    assert_string_equal(r.log, "1|messages[0].content|Be brief.\n"
                               "5|messages[1].role|user\n"
                               "2|messages[1].content[0].text|Hi, I am Jane\n"
                               "4|messages[2].tool_calls[0].function.arguments#/email|a@b.c\n"
                               "4|messages[2].tool_calls[0].function.arguments#/n[1]|two\n"
                               "3|metadata.a.b[0]|deep\n"
                               "3|metadata.c|top\n");
    assert_string_equal(r.caps, "10|1|\"gpt-4o\"\n"
                                "11|5|true\n"
                                "5|1|\"user\"\n"
                                "12|3|{\"a\":{\"b\":[\"deep\"]},\"c\":\"top\"}\n");
    gw_json_paths_free(p);
    (void)state;
}

static void test_rule_precedence_and_once(void **state)
{
    static const gw_json_rule_t rules[] = {
        {"**", GW_JSON_SCAN, 1},
        {"a.*", GW_JSON_SCAN, 2},
        {"a.args", GW_JSON_EMBEDDED, 3},
        {"**.x", GW_JSON_SCAN, 4},
    };
    gw_json_paths_t *p = compile(rules, 4);
    rec_t r;
    memset(&r, 0, sizeof(r));
    assert_int_equal(
        rewrite("{\"a\":{\"b\":\"1\",\"args\":\"{\\\"x\\\":\\\"2\\\"}\",\"x\":\"3\"},\"k\":[\"4\"]}", p, NULL, 0, &r, NULL, NULL),
        0);
    assert_string_equal(r.log, "1|a.b|1\n3|a.args#/x|2\n1|a.x|3\n1|k[0]|4\n");
    /* a root string matches "**" with the empty path */
    memset(&r, 0, sizeof(r));
    assert_int_equal(rewrite("\"root\"", p, NULL, 0, &r, NULL, NULL), 0);
    assert_string_equal(r.log, "1||root\n");
    /* top-level array */
    memset(&r, 0, sizeof(r));
    assert_int_equal(rewrite("[\"a\",{\"b\":[\"c\"]}]", p, NULL, 0, &r, NULL, NULL), 0);
    assert_string_equal(r.log, "1|[0]|a\n1|[1].b[0]|c\n");
    gw_json_paths_free(p);
    (void)state;
}

static void test_double_star_middle_and_escaped_keys(void **state)
{
    static const gw_json_rule_t rules[] = {{"contents.**.text", GW_JSON_SCAN, 1}, {"we.ird", GW_JSON_SCAN, 2}};
    gw_json_paths_t *p = compile(rules, 2);
    rec_t r;
    memset(&r, 0, sizeof(r));
    assert_int_equal(rewrite("{\"cont\\u0065nts\":[{\"parts\":[{\"text\":\"t1\"}]},{\"text\":\"t2\"}],\"text\":\"no\","
                             "\"contents\":{\"text\":\"t3\"},\"w\\\"e\":{\"ird\":\"no\"},\"we\":{\"ird\":\"yes\"}}",
                             p, NULL, 0, &r, NULL, NULL),
                     0);
    assert_string_equal(r.log, "1|contents[0].parts[0].text|t1\n1|contents[1].text|t2\n1|contents.text|t3\n2|we.ird|yes\n");
    gw_json_paths_free(p);
    (void)state;
}

static void test_compile_errors(void **state)
{
    char err[128];
    gw_json_rule_t r1[] = {{"", GW_JSON_SCAN, 1}};
    assert_null(gw_json_paths_compile(r1, 1, err, sizeof(err)));
    gw_json_rule_t r2[] = {{"a..b", GW_JSON_SCAN, 1}};
    assert_null(gw_json_paths_compile(r2, 1, err, sizeof(err)));
    gw_json_rule_t r3[] = {{"a", 0, 1}};
    assert_null(gw_json_paths_compile(r3, 1, err, sizeof(err)));
    assert_non_null(strstr(err, "no flag"));
    /* too many segments */
    static char big[2048];
    size_t n = 0;
    for (int i = 0; i < 300; i++) {
        big[n++] = 'a';
        big[n++] = '.';
    }
    big[n - 1] = '\0';
    gw_json_rule_t r4[] = {{big, GW_JSON_SCAN, 1}};
    assert_null(gw_json_paths_compile(r4, 1, err, sizeof(err)));
    /* many rules spread over several bitset words still match */
    gw_json_rule_t many[40];
    char names[40][16];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof(names[i]), "k%d.*.v", i);
        many[i].pattern = names[i];
        many[i].flags = GW_JSON_SCAN;
        many[i].id = i;
    }
    gw_json_paths_t *p = compile(many, 40);
    rec_t r;
    memset(&r, 0, sizeof(r));
    assert_int_equal(rewrite("{\"k39\":[{\"v\":\"last\"}],\"k0\":{\"x\":{\"v\":\"first\"}},\"k20\":[{\"w\":\"no\"}]}", p, NULL, 0,
                             &r, NULL, NULL),
                     0);
    assert_string_equal(r.log, "39|k39[0].v|last\n0|k0.x.v|first\n");
    gw_json_paths_free(p);
    (void)state;
}

/* ---------------------------------------------------------------------------------------------- */
/* replacement */

static void test_replacements(void **state)
{
    static const gw_json_rule_t rules[] = {{"messages.*.content", GW_JSON_SCAN, 1}, {"messages.*.content.*.text", GW_JSON_SCAN, 2}};
    gw_json_paths_t *p = compile(rules, 2);
    /* whitespace and everything else kept byte for byte */
    expect_rewrite("{ \"messages\" : [ {\"role\":\"user\", \"content\" : \"hi \\u00e9\" } ] , \"x\":1 }", p, NULL, 0, 1,
                   "{ \"messages\" : [ {\"role\":\"user\", \"content\" : \"HI \xc3\xa9\" } ] , \"x\":1 }");
    expect_rewrite("{\"messages\":[{\"content\":[{\"text\":\"a\"},{\"text\":\"b\"}]},{\"content\":\"c\"}]}", p, NULL, 0, 1,
                   "{\"messages\":[{\"content\":[{\"text\":\"A\"},{\"text\":\"B\"}]},{\"content\":\"C\"}]}");
    /* the replacement text is escaped */
    rec_t r;
    memset(&r, 0, sizeof(r));
    r.mode = 2;
    r.fixed = "q\"b\\n\nt\t\x01\x1f\xc3\xa9";
    char *res;
    assert_int_equal(rewrite("{\"messages\":[{\"content\":\"x\"}]}", p, NULL, 0, &r, &res, NULL), 0);
    assert_string_equal(res, "{\"messages\":[{\"content\":\"q\\\"b\\\\n\\nt\\t\\u0001\\u001f\xc3\xa9\"}]}");
    free(res);
    /* unchanged when nothing matches; abort propagates */
    expect_rewrite("{\"messages\":[{\"role\":\"x\"}]}", p, NULL, 0, 1, "{\"messages\":[{\"role\":\"x\"}]}");
    memset(&r, 0, sizeof(r));
    r.mode = 3;
    assert_int_equal(rewrite("{\"messages\":[{\"content\":\"x\"}]}", p, NULL, 0, &r, NULL, NULL), -77);
    /* a visitor that keeps everything: no copy */
    memset(&r, 0, sizeof(r));
    int changed;
    assert_int_equal(rewrite("{\"messages\":[{\"content\":\"\\u0000\\ud83d\\ude00\"}]}", p, NULL, 0, &r, NULL, &changed), 0);
    assert_int_equal(changed, 0);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.last_len, 5);
    assert_memory_equal(r.last, "\0\xf0\x9f\x98\x80", 5);
    gw_json_paths_free(p);
    (void)state;
}

static void test_embedded(void **state)
{
    static const gw_json_rule_t rules[] = {{"messages.*.tool_calls.*.function.arguments", GW_JSON_EMBEDDED, 4}};
    gw_json_paths_t *p = compile(rules, 1);
    /* valid inner document: inner strings replaced, inner re-escaped into the outer string */
    const char *in =
        "{\"messages\":[{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"email\\\":\\\"a@b.c\\\", \\\"n\\\":[1]}\"}}]}]}";
    rec_t r;
    memset(&r, 0, sizeof(r));
    r.mode = 1;
    char *res;
    assert_int_equal(rewrite(in, p, NULL, 0, &r, &res, NULL), 0);
    json_t *j = json_loads(res, 0, NULL);
    assert_non_null(j);
    const char *args = json_string_value(json_object_get(
        json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(j, "messages"), 0), "tool_calls"), 0),
                        "function"),
        "arguments"));
    assert_string_equal(args, "{\"email\":\"A@B.C\", \"n\":[1]}");
    json_decref(j);
    free(res);
    /* invalid inner document: the whole text is scanned as plain text with the outer path */
    memset(&r, 0, sizeof(r));
    r.mode = 1;
    assert_int_equal(rewrite("{\"messages\":[{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"email\\\": oops\"}}]}]}", p, NULL,
                             0, &r, &res, NULL),
                     0);
    assert_string_equal(r.log, "4|messages[0].tool_calls[0].function.arguments|{\"email\": oops\n");
    assert_string_equal(res, "{\"messages\":[{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"EMAIL\\\": OOPS\"}}]}]}");
    free(res);
    /* inner unchanged: outer unchanged */
    memset(&r, 0, sizeof(r));
    int changed;
    assert_int_equal(rewrite(in, p, NULL, 0, &r, NULL, &changed), 0);
    assert_int_equal(changed, 0);
    /* abort inside the inner document */
    memset(&r, 0, sizeof(r));
    r.mode = 3;
    assert_int_equal(rewrite(in, p, NULL, 0, &r, NULL, NULL), -77);
    gw_json_paths_free(p);
    (void)state;
}

/* ---------------------------------------------------------------------------------------------- */
/* edits */

static void test_edits_set(void **state)
{
    gw_json_edit_t store = {"store", "false", 0};
    expect_rewrite("{\"a\":1}", NULL, &store, 1, 0, "{\"a\":1,\"store\":false}");
    expect_rewrite("{}", NULL, &store, 1, 0, "{\"store\":false}");
    expect_rewrite("{ }", NULL, &store, 1, 0, "{\"store\":false }");
    expect_rewrite("{\n  \"a\": 1\n}\n", NULL, &store, 1, 0, "{\n  \"a\": 1,\"store\":false\n}\n");
    expect_rewrite("{\"store\":true,\"a\":1}", NULL, &store, 1, 0, "{\"store\":false,\"a\":1}");
    expect_rewrite("{\"store\": {\"x\":[1]} }", NULL, &store, 1, 0, "{\"store\": false }");
    expect_rewrite("{\"store\":false}", NULL, &store, 1, 0, "{\"store\":false}"); /* same bytes: no change */
    expect_rewrite("{\"store\":true,\"store\":true}", NULL, &store, 1, 0, "{\"store\":false,\"store\":false}");
    gw_json_edit_t absent = {"store", "false", 1};
    expect_rewrite("{\"store\":true}", NULL, &absent, 1, 0, "{\"store\":true}");
    expect_rewrite("{\"x\":true}", NULL, &absent, 1, 0, "{\"x\":true,\"store\":false}");
    /* nested, with intermediates created or present */
    gw_json_edit_t usage = {"stream_options.include_usage", "true", 0};
    expect_rewrite("{\"stream\":true}", NULL, &usage, 1, 0, "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    expect_rewrite("{\"stream_options\":{}}", NULL, &usage, 1, 0, "{\"stream_options\":{\"include_usage\":true}}");
    expect_rewrite("{\"stream_options\":{\"include_usage\":false,\"x\":1}}", NULL, &usage, 1, 0,
                   "{\"stream_options\":{\"include_usage\":true,\"x\":1}}");
    /* two edits sharing a missing intermediate create one object */
    gw_json_edit_t prov[] = {{"provider.zdr", "true", 0}, {"provider.data_collection", "\"deny\"", 0}, {"store", "false", 0}};
    expect_rewrite("{\"model\":\"m\"}", NULL, prov, 3, 0,
                   "{\"model\":\"m\",\"provider\":{\"zdr\":true,\"data_collection\":\"deny\"},\"store\":false}");
    expect_rewrite("{\"provider\":{\"zdr\":false,\"order\":[\"a\"]}}", NULL, prov, 3, 0,
                   "{\"provider\":{\"zdr\":true,\"order\":[\"a\"],\"data_collection\":\"deny\"},\"store\":false}");
    gw_json_edit_t deep = {"a.b.c", "1", 0};
    expect_rewrite("{\"a\":{\"x\":0}}", NULL, &deep, 1, 0, "{\"a\":{\"x\":0,\"b\":{\"c\":1}}}");
    /* keys needing escapes in the created member */
    gw_json_edit_t odd = {"we\"ird", "null", 0};
    expect_rewrite("{}", NULL, &odd, 1, 0, "{\"we\\\"ird\":null}");
    (void)state;
}

static void test_edits_delete(void **state)
{
    gw_json_edit_t del = {"metadata", NULL, 0};
    expect_rewrite("{\"metadata\":{\"a\":\"b\"}}", NULL, &del, 1, 0, "{}");
    expect_rewrite("{\"metadata\":1,\"b\":2}", NULL, &del, 1, 0, "{\"b\":2}");
    expect_rewrite("{\"a\":1,\"metadata\":1,\"b\":2}", NULL, &del, 1, 0, "{\"a\":1,\"b\":2}");
    expect_rewrite("{\"a\":1,\"metadata\":1}", NULL, &del, 1, 0, "{\"a\":1}");
    expect_rewrite("{ \"a\" : 1 , \"metadata\" : [1] , \"b\" : 2 }", NULL, &del, 1, 0, "{ \"a\" : 1 , \"b\" : 2 }");
    expect_rewrite("{ \"metadata\" : [1] , \"b\" : 2 }", NULL, &del, 1, 0, "{  \"b\" : 2 }");
    expect_rewrite("{\"metadata\":1,\"metadata\":2,\"c\":3,\"metadata\":4}", NULL, &del, 1, 0, "{\"c\":3}");
    expect_rewrite("{\"a\":1}", NULL, &del, 1, 0, "{\"a\":1}");
    expect_rewrite("{\"x\":{\"metadata\":1}}", NULL, &del, 1, 0, "{\"x\":{\"metadata\":1}}"); /* only at its path */
    gw_json_edit_t deldeep = {"provider.zdr", NULL, 0};
    expect_rewrite("{\"provider\":{\"zdr\":true}}", NULL, &deldeep, 1, 0, "{\"provider\":{}}");
    expect_rewrite("{\"provider\":\"x\"}", NULL, &deldeep, 1, 0, "{\"provider\":\"x\"}"); /* non-object: nothing to delete */
    expect_rewrite("{}", NULL, &deldeep, 1, 0, "{}");
    /* delete and set in the same object */
    gw_json_edit_t both[] = {{"a", NULL, 0}, {"b", NULL, 0}, {"z", "0", 0}};
    expect_rewrite("{\"a\":1,\"b\":2}", NULL, both, 3, 0, "{\"z\":0}");
    expect_rewrite("{\"a\":1,\"c\":3,\"b\":2}", NULL, both, 3, 0, "{\"c\":3,\"z\":0}");
    (void)state;
}

static void test_edit_errors(void **state)
{
    rec_t r;
    memset(&r, 0, sizeof(r));
    gw_json_edit_t usage = {"stream_options.include_usage", "true", 0};
    assert_int_equal(rewrite("{\"stream_options\":null}", NULL, &usage, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    assert_int_equal(rewrite("{\"stream_options\":[{}]}", NULL, &usage, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    assert_int_equal(rewrite("[1]", NULL, &usage, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    assert_int_equal(rewrite("\"s\"", NULL, &usage, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    gw_json_edit_t conflict[] = {{"a", "1", 0}, {"a.b", "2", 0}};
    assert_int_equal(rewrite("{}", NULL, conflict, 2, &r, NULL, NULL), GW_JSON_E_EDIT);
    gw_json_edit_t same[] = {{"a", "1", 0}, {"a", NULL, 0}};
    assert_int_equal(rewrite("{}", NULL, same, 2, &r, NULL, NULL), GW_JSON_E_EDIT);
    gw_json_edit_t badval = {"a", "{nope", 0};
    assert_int_equal(rewrite("{}", NULL, &badval, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    gw_json_edit_t badpath = {"a..b", "1", 0};
    assert_int_equal(rewrite("{}", NULL, &badpath, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    /* a syntax error is still reported as such with edits */
    assert_int_equal(rewrite("{\"a\":1,}", NULL, &usage, 1, &r, NULL, NULL), GW_JSON_E_SYNTAX);
    (void)state;
}

static void test_edits_with_replacements(void **state)
{
    static const gw_json_rule_t rules[] = {
        {"messages.*.content", GW_JSON_SCAN, 1}, {"metadata.**", GW_JSON_SCAN, 2}, {"user", GW_JSON_SCAN, 3}};
    gw_json_paths_t *p = compile(rules, 3);
    gw_json_edit_t ed[] = {{"metadata", NULL, 0}, {"store", "false", 0}, {"stream_options.include_usage", "true", 0}};
    rec_t r;
    memset(&r, 0, sizeof(r));
    r.mode = 1;
    char *res;
    assert_int_equal(
        rewrite("{\"metadata\":{\"k\":\"secret\"},\"messages\":[{\"content\":\"hello\"}],\"store\":true,\"user\":\"bob\"}", p, ed,
                3, &r, &res, NULL),
        0);
    assert_string_equal(
        res,
        "{\"messages\":[{\"content\":\"HELLO\"}],\"store\":false,\"user\":\"BOB\",\"stream_options\":{\"include_usage\":true}}");
    /* strings inside the deleted member never reached the visitor */
    assert_null(strstr(r.log, "secret"));
    free(res);
    gw_json_paths_free(p);
    (void)state;
}

/* ---------------------------------------------------------------------------------------------- */
/* escape / unescape */

static void test_escape_unescape(void **state)
{
    gw_buf_t b = GW_BUF_INIT;
    assert_int_equal(gw_json_unescape("\"a\\u00e9\\ud83d\\ude00\\n\\/\\u0000z\"", 32, &b), 0);
    assert_int_equal(b.len, 11);
    assert_memory_equal(b.base, "a\xc3\xa9\xf0\x9f\x98\x80\n/\0z", 11);
    gw_buf_reset(&b);
    assert_int_equal(gw_json_unescape("\"abc", 4, &b), GW_JSON_E_SYNTAX);
    assert_int_equal(gw_json_unescape("\"a\" ", 4, &b), GW_JSON_E_SYNTAX);
    assert_int_equal(gw_json_unescape("\"\\udc00\"", 8, &b), GW_JSON_E_UTF8);
    assert_int_equal(gw_json_unescape("x", 1, &b), GW_JSON_E_SYNTAX);
    gw_buf_reset(&b);
    assert_int_equal(gw_json_escape("a\"\\\b\f\n\r\t\x01\x7f\xc3\xa9\xff|\xe2\x82", 16, &b), 0);
    assert_string_equal(b.base, "\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\x7f\xc3\xa9\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\"");
    /* long runs (the 16-byte fast path) with a special byte at every position class, and jansson's upper-case hex */
    gw_buf_reset(&b);
    assert_int_equal(gw_json_escape_flags("0123456789abcdef\x1f"
                                          "0123456789abcdef\xc3\xa9"
                                          "0123456789abcde\"\xff",
                                          52, &b, GW_JSON_ESC_UPPER_HEX),
                     0);
    assert_string_equal(b.base, "\"0123456789abcdef\\u001F0123456789abcdef\xc3\xa9"
                                "0123456789abcde\\\"\xef\xbf\xbd\"");
    gw_buf_reset(&b);
    assert_int_equal(gw_json_escape("0123456789abcdef\x1f", 17, &b), 0);
    assert_string_equal(b.base, "\"0123456789abcdef\\u001f\"");
    /* round trip through both */
    const char text[] = "line\none \"q\" \\ \x02 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80";
    gw_buf_t e = GW_BUF_INIT, d = GW_BUF_INIT;
    assert_int_equal(gw_json_escape(text, sizeof(text) - 1, &e), 0);
    assert_int_equal(validate(e.base, e.len), 0);
    assert_int_equal(gw_json_unescape(e.base, e.len, &d), 0);
    assert_int_equal(d.len, sizeof(text) - 1);
    assert_memory_equal(d.base, text, d.len);
    gw_buf_free(&b);
    gw_buf_free(&e);
    gw_buf_free(&d);
    (void)state;
}

/* ---------------------------------------------------------------------------------------------- */
/* fixtures, cross-checked with jansson */

static json_t *upper_all(json_t *j)
{
    if (json_is_string(j)) {
        size_t n = json_string_length(j);
        char *s = malloc(n + 1);
        memcpy(s, json_string_value(j), n);
        for (size_t i = 0; i < n; i++)
            if (s[i] >= 'a' && s[i] <= 'z')
                s[i] = (char)(s[i] - 32);
        json_t *r = json_stringn(s, n);
        free(s);
        return r;
    }
    if (json_is_object(j)) {
        json_t *o = json_object();
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) json_object_set_new(o, k, upper_all(v));
        return o;
    }
    if (json_is_array(j)) {
        json_t *a = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) json_array_append_new(a, upper_all(v));
        return a;
    }
    return json_incref(j);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long l = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)l + 1);
    *n = fread(b, 1, (size_t)l, f);
    b[*n] = '\0';
    fclose(f);
    return b;
}

static int count_strings(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *replacement)
{
    (*(int *)ctx)++;
    return 0;
}

/* A rule whose positions straddle the 64-bit words of the matcher's state: 0..12 dummy rules of 7
 * positions each move the tested rule across bit 63/64 (a literal hit on bit 63 used to be lost
 * when the next word was computed). */
static void test_rules_across_state_words(void **state)
{
    const char *doc = "{\"messages\":[{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"phone\\\":\\\"x\\\"}\"}}]}]}";
    for (int nd = 0; nd <= 12; nd++) {
        for (unsigned flags = GW_JSON_SCAN; flags <= GW_JSON_EMBEDDED; flags++) {
            gw_json_rule_t rules[16];
            char names[16][32];
            size_t nr = 0;
            for (int i = 0; i < nd; i++) {
                snprintf(names[i], sizeof(names[i]), "d%d.a.b.c.e.f", i);
                rules[nr++] = (gw_json_rule_t){names[i], GW_JSON_SCAN, 100 + i};
            }
            rules[nr++] = (gw_json_rule_t){"messages.*.tool_calls.*.function.arguments", flags, 7};
            char err[128];
            gw_json_paths_t *p = gw_json_paths_compile(rules, nr, err, sizeof(err));
            assert_non_null(p);
            int hits = 0;
            gw_json_visitor_t v = {count_strings, NULL, &hits, NULL, 0};
            gw_buf_t out = GW_BUF_INIT;
            int changed = 0;
            assert_int_equal(gw_json_rewrite(doc, strlen(doc), p, NULL, 0, &v, &out, &changed, NULL, NULL), 0);
            if (hits != 1)
                fail_msg("%d dummy rules, flags %u: the rule matched %d strings, expected 1", nd, flags, hits);
            gw_json_paths_free(p);
            gw_buf_free(&out);
        }
    }
}

static void test_fixtures_against_jansson(void **state)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s", AIGW_FIXTURES_DIR);
    static const gw_json_rule_t rules[] = {{"**", GW_JSON_SCAN, 1}};
    gw_json_paths_t *p = compile(rules, 1);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t files = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[2048];
        snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
        DIR *d2 = opendir(sub);
        if (d2 == NULL)
            continue;
        struct dirent *f;
        while ((f = readdir(d2)) != NULL) {
            size_t l = strlen(f->d_name);
            if (l < 5 || strcmp(f->d_name + l - 5, ".json") != 0)
                continue;
            char path[4096];
            snprintf(path, sizeof(path), "%s/%s", sub, f->d_name);
            size_t n = 0;
            char *doc = slurp(path, &n);
            assert_non_null(doc);
            rec_t r;
            memset(&r, 0, sizeof(r));
            r.mode = 1;
            gw_json_visitor_t v = {rec_string, NULL, &r, NULL, 0};
            gw_buf_t out = GW_BUF_INIT;
            int changed;
            const char *desc;
            size_t off;
            int rc = gw_json_rewrite(doc, n, p, NULL, 0, &v, &out, &changed, &desc, &off);
            if (rc != 0)
                fail_msg("%s: %s at %zu", path, desc, off);
            json_t *orig = json_loadb(doc, n, 0, NULL), *got = json_loadb(out.base, out.len, 0, NULL);
            assert_non_null(orig);
            if (got == NULL)
                fail_msg("%s: output is not JSON", path);
            json_t *want = upper_all(orig);
            if (!json_equal(want, got))
                fail_msg("%s: rewritten document differs from the jansson transform", path);
            json_decref(orig);
            json_decref(got);
            json_decref(want);
            gw_buf_free(&out);
            free(doc);
            files++;
        }
        closedir(d2);
    }
    closedir(d);
    assert_true(files >= 50);
    gw_json_paths_free(p);
    (void)state;
}

/* ---------------------------------------------------------------------------------------------- */
/* scan everything: keys, verbatim exceptions, nested embedded documents, duplicate keys (issue 10) */

typedef struct {
    char log[4096];
    int redact; /* 1: every value with '@' becomes "<E>" (equal keys collide); 0: "<E_n>" numbered per call */
    int n;
} scrub_t;

static int scrub_text(scrub_t *x, const char *tag, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    char head[320];
    snprintf(head, sizeof(head), "%s|%s|", tag, path);
    cat(x->log, sizeof(x->log), head, strlen(head));
    cat(x->log, sizeof(x->log), s, len);
    cat(x->log, sizeof(x->log), "\n", 1);
    if (memchr(s, '@', len) == NULL)
        return 0;
    if (x->redact)
        gw_buf_append(repl, "<E>", 3);
    else
        gw_buf_appendf(repl, "<E_%d>", ++x->n);
    return 1;
}

static int scrub_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    return scrub_text(ctx, rule_id == 9 ? "V" : "S", path, s, len, repl);
}

static int scrub_key(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    (void)rule_id;
    return scrub_text(ctx, "K", path, s, len, repl);
}

static int scan_all(const char *in, int redact, unsigned flags, char **res, scrub_t *x)
{
    static const gw_json_rule_t rules[] = {{"model", GW_JSON_VERBATIM, 9}, {"**", GW_JSON_EMBEDDED | GW_JSON_KEYS, 1}};
    gw_json_paths_t *p = compile(rules, 2);
    memset(x, 0, sizeof(*x));
    x->redact = redact;
    gw_json_visitor_t v = {scrub_string, NULL, x, scrub_key, flags};
    gw_json_scratch_t sc = GW_JSON_SCRATCH_INIT;
    gw_buf_t out = GW_BUF_INIT;
    int changed = 0, rc = gw_json_rewrite_ex(in, strlen(in), p, NULL, 0, &v, &out, &changed, NULL, NULL, &sc);
    *res = rc == 0 ? strdup(changed ? out.base : in) : NULL;
    gw_buf_free(&out);
    gw_json_scratch_free(&sc);
    gw_json_paths_free(p);
    return rc;
}

static void test_keys_reported_and_rewritten(void **state)
{
    scrub_t x;
    char *res;
    /* every key and every string; a rewritten key is used in the paths below it, never the original */
    assert_int_equal(scan_all("{\"model\":\"a@b\",\"t\":{\"jane@x.io\":{\"k\":\"v\"},\"b\":[\"c@d\"]}}", 0, 0, &res, &x), 0);
    assert_string_equal(res, "{\"model\":\"<E_1>\",\"t\":{\"<E_2>\":{\"k\":\"v\"},\"b\":[\"<E_3>\"]}}");
    assert_string_equal(x.log, "K||model\nV|model|a@b\nK||t\nK|t|jane@x.io\nK|t.<E_2>|k\nS|t.<E_2>.k|v\nK|t|b\nS|t.b[0]|c@d\n");
    free(res);
    /* keys inside an embedded document (tool-call arguments) */
    assert_int_equal(scan_all("{\"args\":\"{\\\"jane@x.io\\\":1,\\\"n\\\":\\\"x\\\"}\"}", 0, GW_JSON_V_UNIQUE_KEYS, &res, &x), 0);
    assert_string_equal(res, "{\"args\":\"{\\\"<E_1>\\\":1,\\\"n\\\":\\\"x\\\"}\"}");
    assert_string_equal(x.log, "K||args\nK|args#/|jane@x.io\nK|args#/|n\nS|args#/n|x\n");
    free(res);
    /* two keys rewritten to the same text stay unique; escaped keys compare decoded */
    assert_int_equal(scan_all("{\"a@x\":1,\"b@x\":2,\"c\\u0040x\":3,\"<E> (4)\":4}", 1, GW_JSON_V_UNIQUE_KEYS, &res, &x), 0);
    assert_string_equal(res, "{\"<E>\":1,\"<E> (2)\":2,\"<E> (3)\":3,\"<E> (4)\":4}");
    free(res);
    /* a kept key equal to an earlier rewritten one cannot be renamed: refused */
    assert_int_equal(scan_all("{\"a@x\":1,\"<E>\":2}", 1, GW_JSON_V_UNIQUE_KEYS, &res, &x), GW_JSON_E_DUPKEY);
    /* the same key in different objects is fine; the same rewritten key twice in one object is a duplicate */
    assert_int_equal(scan_all("{\"a\":{\"k\":1},\"b\":{\"k\":2},\"c\":[{\"k\":3},{\"k\":4}]}", 0, GW_JSON_V_UNIQUE_KEYS, &res, &x),
                     0);
    free(res);
    assert_int_equal(scan_all("{\"a@x\":1,\"a@x\":2}", 0, GW_JSON_V_UNIQUE_KEYS, &res, &x), GW_JSON_E_DUPKEY);
    (void)state;
}

static void test_duplicate_keys_refused(void **state)
{
    scrub_t x;
    char *res = NULL;
    static const char *dups[] = {
        "{\"model\":\"cheap\",\"model\":\"dear\"}",
        "{\"a\":1,\"m\\u006fdel\":1,\"model\":2}",
        "{\"x\":[{\"a\":{\"b\":1,\"c\":2,\"b\":3}}]}",
        "{\"args\":\"{\\\"k\\\":1,\\\"k\\\":2}\"}", /* inside an embedded document too */
        "{\"a\":{},\"b\":{\"a\":1},\"b\":2}",
    };
    for (size_t i = 0; i < sizeof(dups) / sizeof(dups[0]); i++) {
        const char *desc = NULL;
        size_t off = 0;
        static const gw_json_rule_t rules[] = {{"**", GW_JSON_EMBEDDED, 1}};
        gw_json_paths_t *p = compile(rules, 1);
        memset(&x, 0, sizeof(x));
        gw_json_visitor_t v = {scrub_string, NULL, &x, NULL, GW_JSON_V_UNIQUE_KEYS};
        gw_buf_t out = GW_BUF_INIT;
        int changed;
        int rc = gw_json_rewrite(dups[i], strlen(dups[i]), p, NULL, 0, &v, &out, &changed, &desc, &off);
        if (rc != GW_JSON_E_DUPKEY)
            fail_msg("%s: rc %d", dups[i], rc);
        assert_non_null(desc);
        gw_buf_free(&out);
        gw_json_paths_free(p);
        /* without the flag they pass (the no-training and restore passes) */
        assert_int_equal(scan_all(dups[i], 0, 0, &res, &x), 0);
        free(res);
    }
    /* many keys in one object: the index grows, no false duplicates */
    gw_buf_t big = GW_BUF_INIT;
    gw_buf_append(&big, "{", 1);
    for (int i = 0; i < 5000; i++)
        gw_buf_appendf(&big, "%s\"k%d\":{\"k%d\":1}", i ? "," : "", i, i);
    gw_buf_append(&big, "}", 1);
    assert_int_equal(scan_all(big.base, 0, GW_JSON_V_UNIQUE_KEYS, &res, &x), 0);
    free(res);
    gw_buf_append(&big, "", 0);
    big.base[big.len - 1] = ',';
    gw_buf_append(&big, "\"k77\":0}", 8);
    assert_int_equal(scan_all(big.base, 0, GW_JSON_V_UNIQUE_KEYS, &res, &x), GW_JSON_E_DUPKEY);
    gw_buf_free(&big);
    (void)state;
}

static void test_embedded_documents_nested_and_bare_values(void **state)
{
    scrub_t x;
    char *res;
    /* JSON in a string in JSON in a string: both decoded */
    assert_int_equal(scan_all("{\"a\":\"{\\\"b\\\":\\\"{\\\\\\\"c\\\\\\\":\\\\\\\"j@x\\\\\\\"}\\\"}\"}", 0, 0, &res, &x), 0);
    assert_string_equal(x.log, "K||a\nK|a#/|b\nK|a#/b#/|c\nS|a#/b#/c|j@x\n");
    assert_string_equal(res, "{\"a\":\"{\\\"b\\\":\\\"{\\\\\\\"c\\\\\\\":\\\\\\\"<E_1>\\\\\\\"}\\\"}\"}");
    free(res);
    /* a bare number or literal in a string is text (a card number must reach the scanner) */
    assert_int_equal(scan_all("{\"a\":\"4111111111111111\",\"b\":\" true\",\"c\":\"[x@y\"}", 0, 0, &res, &x), 0);
    assert_string_equal(x.log, "K||a\nS|a|4111111111111111\nK||b\nS|b| true\nK||c\nS|c|[x@y\n");
    free(res);
    /* a string literal document: its string is scanned decoded (\\u0040 is '@') */
    assert_int_equal(scan_all("[\"\\\"j\\\\u0040x\\\"\"]", 0, 0, &res, &x), 0);
    assert_string_equal(x.log, "S|[0]#/|j@x\n");
    assert_string_equal(res, "[\"\\\"<E_1>\\\"\"]");
    free(res);
    /* VERBATIM wins over EMBEDDED: model is never decoded */
    assert_int_equal(scan_all("{\"model\":\"{\\\"a\\\":\\\"j@x\\\"}\"}", 0, 0, &res, &x), 0);
    assert_string_equal(x.log, "K||model\nV|model|{\"a\":\"j@x\"}\n");
    free(res);
    /* nesting limit: GW_JSON_MAX_EMBED documents inside strings, then refused */
    gw_buf_t doc = GW_BUF_INIT, tmp = GW_BUF_INIT;
    gw_buf_append(&doc, "\"x\"", 3);
    for (int i = 0; i <= GW_JSON_MAX_EMBED + 1; i++) {
        gw_buf_reset(&tmp);
        gw_buf_append(&tmp, "[", 1);
        gw_json_escape(doc.base, doc.len, &tmp);
        gw_buf_append(&tmp, "]", 1);
        gw_buf_reset(&doc);
        gw_buf_append(&doc, tmp.base, tmp.len);
        res = NULL;
        int rc = scan_all(doc.base, 0, 0, &res, &x);
        /* i + 1 levels of strings hold documents below the top one */
        if (i + 1 <= GW_JSON_MAX_EMBED)
            assert_int_equal(rc, 0);
        else
            assert_int_equal(rc, GW_JSON_E_DEPTH);
        free(res);
    }
    gw_buf_free(&doc);
    gw_buf_free(&tmp);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_documents),
        cmocka_unit_test(test_invalid_documents),
        cmocka_unit_test(test_error_description_and_offset),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_string_scanner_offsets),
        cmocka_unit_test(test_paths_and_captures),
        cmocka_unit_test(test_rule_precedence_and_once),
        cmocka_unit_test(test_double_star_middle_and_escaped_keys),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_replacements),
        cmocka_unit_test(test_embedded),
        cmocka_unit_test(test_edits_set),
        cmocka_unit_test(test_edits_delete),
        cmocka_unit_test(test_edit_errors),
        cmocka_unit_test(test_edits_with_replacements),
        cmocka_unit_test(test_escape_unescape),
        cmocka_unit_test(test_fixtures_against_jansson),
        cmocka_unit_test(test_rules_across_state_words),
        cmocka_unit_test(test_keys_reported_and_rewritten),
        cmocka_unit_test(test_duplicate_keys_refused),
        cmocka_unit_test(test_embedded_documents_nested_and_bare_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
