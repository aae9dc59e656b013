/*
 * Unit tests for common/json's walk: RFC 8259 validation (grammar, numbers, UTF-8, depth), path
 * rules and the visitor, string replacement, embedded JSON, and a cross-check against jansson over
 * every provider fixture. String literals, edits and object keys have their own files
 * (test_json_strings.c, test_json_edits.c, test_json_keys.c), like the sources.
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
#include "common/utf8.h"
#include "support/json_rec.h"
#include "support/support.h"

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
    gw_json_paths_t *p = rec_compile(rules, sizeof(rules) / sizeof(rules[0]));
    rec_t r;
    memset(&r, 0, sizeof(r));
    int changed;
    assert_int_equal(rec_rewrite(chat, p, NULL, 0, &r, NULL, &changed), 0);
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
    gw_json_paths_t *p = rec_compile(rules, 4);
    rec_t r;
    memset(&r, 0, sizeof(r));
    assert_int_equal(rec_rewrite("{\"a\":{\"b\":\"1\",\"args\":\"{\\\"x\\\":\\\"2\\\"}\",\"x\":\"3\"},\"k\":[\"4\"]}", p, NULL, 0,
                                 &r, NULL, NULL),
                     0);
    assert_string_equal(r.log, "1|a.b|1\n3|a.args#/x|2\n1|a.x|3\n1|k[0]|4\n");
    /* a root string matches "**" with the empty path */
    memset(&r, 0, sizeof(r));
    assert_int_equal(rec_rewrite("\"root\"", p, NULL, 0, &r, NULL, NULL), 0);
    assert_string_equal(r.log, "1||root\n");
    /* top-level array */
    memset(&r, 0, sizeof(r));
    assert_int_equal(rec_rewrite("[\"a\",{\"b\":[\"c\"]}]", p, NULL, 0, &r, NULL, NULL), 0);
    assert_string_equal(r.log, "1|[0]|a\n1|[1].b[0]|c\n");
    gw_json_paths_free(p);
    (void)state;
}

static void test_double_star_middle_and_escaped_keys(void **state)
{
    static const gw_json_rule_t rules[] = {{"contents.**.text", GW_JSON_SCAN, 1}, {"we.ird", GW_JSON_SCAN, 2}};
    gw_json_paths_t *p = rec_compile(rules, 2);
    rec_t r;
    memset(&r, 0, sizeof(r));
    assert_int_equal(rec_rewrite("{\"cont\\u0065nts\":[{\"parts\":[{\"text\":\"t1\"}]},{\"text\":\"t2\"}],\"text\":\"no\","
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
    for (int i = 0; i < 600; i++) { /* over the 512 segments a matcher holds */
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
    gw_json_paths_t *p = rec_compile(many, 40);
    rec_t r;
    memset(&r, 0, sizeof(r));
    assert_int_equal(rec_rewrite("{\"k39\":[{\"v\":\"last\"}],\"k0\":{\"x\":{\"v\":\"first\"}},\"k20\":[{\"w\":\"no\"}]}", p, NULL,
                                 0, &r, NULL, NULL),
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
    gw_json_paths_t *p = rec_compile(rules, 2);
    /* whitespace and everything else kept byte for byte */
    rec_expect_rewrite("{ \"messages\" : [ {\"role\":\"user\", \"content\" : \"hi \\u00e9\" } ] , \"x\":1 }", p, NULL, 0, 1,
                       "{ \"messages\" : [ {\"role\":\"user\", \"content\" : \"HI \xc3\xa9\" } ] , \"x\":1 }");
    rec_expect_rewrite("{\"messages\":[{\"content\":[{\"text\":\"a\"},{\"text\":\"b\"}]},{\"content\":\"c\"}]}", p, NULL, 0, 1,
                       "{\"messages\":[{\"content\":[{\"text\":\"A\"},{\"text\":\"B\"}]},{\"content\":\"C\"}]}");
    /* the replacement text is escaped */
    rec_t r;
    memset(&r, 0, sizeof(r));
    r.mode = 2;
    r.fixed = "q\"b\\n\nt\t\x01\x1f\xc3\xa9";
    char *res;
    assert_int_equal(rec_rewrite("{\"messages\":[{\"content\":\"x\"}]}", p, NULL, 0, &r, &res, NULL), 0);
    assert_string_equal(res, "{\"messages\":[{\"content\":\"q\\\"b\\\\n\\nt\\t\\u0001\\u001f\xc3\xa9\"}]}");
    free(res);
    /* unchanged when nothing matches; abort propagates */
    rec_expect_rewrite("{\"messages\":[{\"role\":\"x\"}]}", p, NULL, 0, 1, "{\"messages\":[{\"role\":\"x\"}]}");
    memset(&r, 0, sizeof(r));
    r.mode = 3;
    assert_int_equal(rec_rewrite("{\"messages\":[{\"content\":\"x\"}]}", p, NULL, 0, &r, NULL, NULL), -77);
    /* a visitor that keeps everything: no copy */
    memset(&r, 0, sizeof(r));
    int changed;
    assert_int_equal(rec_rewrite("{\"messages\":[{\"content\":\"\\u0000\\ud83d\\ude00\"}]}", p, NULL, 0, &r, NULL, &changed), 0);
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
    gw_json_paths_t *p = rec_compile(rules, 1);
    /* valid inner document: inner strings replaced, inner re-escaped into the outer string */
    const char *in =
        "{\"messages\":[{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"email\\\":\\\"a@b.c\\\", \\\"n\\\":[1]}\"}}]}]}";
    rec_t r;
    memset(&r, 0, sizeof(r));
    r.mode = 1;
    char *res;
    assert_int_equal(rec_rewrite(in, p, NULL, 0, &r, &res, NULL), 0);
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
    assert_int_equal(rec_rewrite("{\"messages\":[{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"email\\\": oops\"}}]}]}", p,
                                 NULL, 0, &r, &res, NULL),
                     0);
    assert_string_equal(r.log, "4|messages[0].tool_calls[0].function.arguments|{\"email\": oops\n");
    assert_string_equal(res, "{\"messages\":[{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"EMAIL\\\": OOPS\"}}]}]}");
    free(res);
    /* inner unchanged: outer unchanged */
    memset(&r, 0, sizeof(r));
    int changed;
    assert_int_equal(rec_rewrite(in, p, NULL, 0, &r, NULL, &changed), 0);
    assert_int_equal(changed, 0);
    /* abort inside the inner document */
    memset(&r, 0, sizeof(r));
    r.mode = 3;
    assert_int_equal(rec_rewrite(in, p, NULL, 0, &r, NULL, NULL), -77);
    gw_json_paths_free(p);
    (void)state;
}

/* ---------------------------------------------------------------------------------------------- */
/* fixtures, cross-checked with jansson */

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
            gw_json_visitor_t v = {count_strings, NULL, &hits, NULL, 0, NULL};
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

/* Whitespace runs of every length from 0 to 40 (the walker skips 16 bytes a step with SSE2, and ": " by one check),
 * made of all four RFC 8259 whitespace bytes, between every pair of tokens; one byte of a run replaced by a control
 * character that is not whitespace fails at that byte. */
static void test_whitespace_runs(void **state)
{
    static const char *const tok[] = {"{", "\"a\"", ":", "[", "1", ",", "\"x\"", ",", "{", "}", "]", "}"};
    static const char wsb[] = {' ', '\n', '\r', '\t'};
    size_t ntok = sizeof(tok) / sizeof(tok[0]);
    char doc[1024];
    for (size_t L = 0; L <= 40; L++) {
        for (size_t gap = 0; gap <= ntok; gap++) { /* the gap holding the long run; the others get one space */
            size_t n = 0, run_at = 0;
            for (size_t t = 0; t <= ntok; t++) {
                size_t len = t == gap ? L : 1;
                if (t == gap)
                    run_at = n;
                for (size_t k = 0; k < len; k++)
                    doc[n++] = wsb[(k + t) % 4];
                if (t < ntok) {
                    memcpy(doc + n, tok[t], strlen(tok[t]));
                    n += strlen(tok[t]);
                }
            }
            if (validate(doc, n) != 0)
                fail_msg("run of %zu before token %zu: not valid", L, gap);
            for (size_t bad = 0; bad < L; bad += 7) { /* a vertical tab inside the run */
                char save = doc[run_at + bad];
                doc[run_at + bad] = '\v';
                const char *desc = NULL;
                size_t off = 0;
                int rc = gw_json_validate(doc, n, &desc, &off);
                if (rc != GW_JSON_E_SYNTAX || off != run_at + bad)
                    fail_msg("run of %zu before token %zu, \\v at %zu: rc %d at %zu", L, gap, run_at + bad, rc, off);
                doc[run_at + bad] = save;
            }
        }
    }
    (void)state;
}

/* Keys are matched through the automaton's table of distinct literals: a literal shared by several rules and at
 * several depths, a key that is a prefix or an extension of a literal, a 63-byte literal (the longest) next to a
 * 64-byte key, digit literals as keys and as array indexes, and 120 literals in one table. */
static void test_literal_table(void **state)
{
    char k63[64], k64[65];
    memset(k63, 'k', 63);
    k63[63] = '\0';
    memset(k64, 'k', 64);
    k64[64] = '\0';
    char p63[80];
    snprintf(p63, sizeof(p63), "u.%s", k63);
    gw_json_rule_t rules[] = {
        {"usage.total", GW_JSON_CAPTURE, 1}, {"x.usage", GW_JSON_CAPTURE, 2}, {"usage.*.usage", GW_JSON_CAPTURE, 3},
        {"usage", GW_JSON_CAPTURE, 4},       {"a.0", GW_JSON_CAPTURE, 5},     {p63, GW_JSON_CAPTURE, 6},
    };
    gw_json_paths_t *p = rec_compile(rules, sizeof(rules) / sizeof(rules[0]));
    char doc[512];
    snprintf(doc, sizeof(doc),
             "{\"usag\":1,\"usages\":2,\"x\":{\"usage\":3,\"usag\":4},\"usage\":{\"total\":5,\"d\":{\"usage\":6}},"
             "\"a\":[7,8],\"b\":{\"0\":9},\"u\":{\"%s\":10,\"%s\":11}}",
             k64, k63);
    rec_t r;
    memset(&r, 0, sizeof(r));
    assert_int_equal(rec_rewrite(doc, p, NULL, 0, &r, NULL, NULL), 0);
    assert_string_equal(r.caps, "2|2|3\n"
                                "1|2|5\n"
                                "3|2|6\n"
                                "4|3|{\"total\":5,\"d\":{\"usage\":6}}\n"
                                "5|2|7\n"
                                "6|2|11\n");
    gw_json_paths_free(p);
    memset(&r, 0, sizeof(r));
    static const gw_json_rule_t digit[] = {{"a.0", GW_JSON_CAPTURE, 5}};
    p = rec_compile(digit, 1);
    assert_int_equal(rec_rewrite("{\"a\":{\"1\":1,\"0\":2}}", p, NULL, 0, &r, NULL, NULL), 0);
    assert_string_equal(r.caps, "5|2|2\n"); /* "0" as a key of an object */
    gw_json_paths_free(p);

    gw_json_rule_t many[120];
    char names[120][8];
    for (int i = 0; i < 120; i++) {
        snprintf(names[i], sizeof(names[i]), "k%d", i);
        many[i] = (gw_json_rule_t){names[i], GW_JSON_CAPTURE, i};
    }
    p = rec_compile(many, 120);
    char big[4096];
    size_t n = (size_t)snprintf(big, sizeof(big), "{");
    for (int i = 119; i >= 0; i--)
        n += (size_t)snprintf(big + n, sizeof(big) - n, "%s\"k%d\":%d,\"q%d\":0", i == 119 ? "" : ",", i, i, i);
    snprintf(big + n, sizeof(big) - n, "}");
    memset(&r, 0, sizeof(r));
    assert_int_equal(rec_rewrite(big, p, NULL, 0, &r, NULL, NULL), 0);
    char want[2048] = "";
    for (int i = 119; i >= 0; i--) {
        char line[32];
        snprintf(line, sizeof(line), "%d|2|%d\n", i, i);
        strcat(want, line);
    }
    assert_string_equal(r.caps, want);
    gw_json_paths_free(p);
    (void)state;
}

/* The string scanner and the escaper against byte-at-a-time references: both skip plain bytes 16 at a time and walk
 * runs of non-ASCII text sequence after sequence; the references take every byte on its own (gw_utf8_seq per lead).
 * Random strings of ASCII, quotes, backslashes, escapes valid and not, controls, valid UTF-8 of 2-4 bytes, and invalid
 * UTF-8 (lone continuation bytes, overlong forms, surrogates, leads cut short), 0-99 bytes so that every 16-byte step
 * ends at every offset. */
/* 4 hex digits at s[0..4) (the caller checked they are there): their value, or -1 */
static long ref_hex4(const unsigned char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int c = s[i], h = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static int ref_string_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c == '"' || c < 0x20)
            return 0;
        if (c == '\\') {
            if (i + 1 >= n)
                return 0;
            unsigned e = s[i + 1];
            if (e == 'u') {
                long u = i + 6 <= n ? ref_hex4(s + i + 2) : -1, lo;
                if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF))
                    return 0;
                if (u >= 0xD800 && u <= 0xDBFF) {
                    if (i + 12 > n || s[i + 6] != '\\' || s[i + 7] != 'u' || (lo = ref_hex4(s + i + 8)) < 0xDC00 || lo > 0xDFFF)
                        return 0;
                    i += 12;
                    continue;
                }
                i += 6;
                continue;
            }
            if (e == 0 || strchr("\"\\/bfnrt", (int)e) == NULL)
                return 0;
            i += 2;
            continue;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k = gw_utf8_seq(s + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

static void ref_escape(const unsigned char *s, size_t n, gw_buf_t *out)
{
    gw_buf_append(out, "\"", 1);
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        char tmp[8];
        if (c >= 0x80) {
            size_t k = gw_utf8_seq(s + i, n - i);
            if (k == 0) {
                gw_buf_append(out, GW_UTF8_REPLACEMENT, 3);
                i++;
            } else {
                gw_buf_append(out, s + i, k);
                i += k;
            }
            continue;
        }
        if (c == '"' || c == '\\')
            snprintf(tmp, sizeof(tmp), "\\%c", (char)c);
        else if (c == '\n')
            snprintf(tmp, sizeof(tmp), "\\n");
        else if (c == '\r')
            snprintf(tmp, sizeof(tmp), "\\r");
        else if (c == '\t')
            snprintf(tmp, sizeof(tmp), "\\t");
        else if (c == '\b')
            snprintf(tmp, sizeof(tmp), "\\b");
        else if (c == '\f')
            snprintf(tmp, sizeof(tmp), "\\f");
        else if (c < 0x20)
            snprintf(tmp, sizeof(tmp), "\\u%04x", c);
        else
            snprintf(tmp, sizeof(tmp), "%c", (char)c);
        gw_buf_append(out, tmp, strlen(tmp));
        i++;
    }
    gw_buf_append(out, "\"", 1);
}

static void test_strings_against_reference(void **state)
{
    (void)state;
    uint64_t r = 0x9e3779b97f4a7c15ull;
    unsigned char body[128];
    gw_buf_t doc = GW_BUF_INIT, a = GW_BUF_INIT, b = GW_BUF_INIT;
    for (int round = 0; round < 30000; round++) {
        size_t n = ts_rand_pieces(&r, ts_utf8_pool, ts_utf8_pool_n, 100, (char *)body);
        gw_buf_reset(&doc);
        gw_buf_append(&doc, "\"", 1);
        gw_buf_append(&doc, body, n);
        gw_buf_append(&doc, "\"", 1);
        int ok = gw_json_validate(doc.base, doc.len, NULL, NULL) == 0;
        if (ok != ref_string_ok(body, n))
            fail_msg("round %d: validate %d, reference %d", round, ok, !ok);
        gw_buf_reset(&a);
        gw_buf_reset(&b);
        assert_int_equal(gw_json_escape((const char *)body, n, &a), 0);
        ref_escape(body, n, &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.base, b.base, a.len);
    }
    gw_buf_free(&doc);
    gw_buf_free(&a);
    gw_buf_free(&b);
}

/* ---------------------------------------------------------------------------------------------- */
/* the lean validator against the walker (issue 12, session 7) */

/* A random JSON value, `depth` levels deep at most: objects, arrays, strings of ts_utf8_pool pieces (often invalid), keys
 * from a small set (the rules below name some of them), numbers valid and not, literals, whitespace runs. */
static void rand_value(uint64_t *r, gw_buf_t *b, int depth)
{
    static const char *const keys[] = {"a", "b", "k", "x", "y", "s", "t", "e", "usage", "\\u0061"};
    static const char *const atoms[] = {"0",   "-1",  "12.5e-3", "1e",   "01",   "-",  "true", "false", "null",
                                        "nul", "tru", "1.",      "2E+7", "\"\"", "[]", "{}",   "[ ]"};
    static const char *const ws[] = {"", "", "", " ", "\n  ", "\t", " \r\n                    "};
    unsigned k = ts_rand(r) % 10;
    const char *lead = ws[ts_rand(r) % 7];
    gw_buf_append(b, lead, strlen(lead));
    if (depth > 0 && k < 3) {
        unsigned n = ts_rand(r) % 5;
        gw_buf_append(b, "{", 1);
        for (unsigned i = 0; i < n; i++) {
            const char *key = keys[ts_rand(r) % 10];
            gw_buf_appendf(b, "%s\"%s\"%s:", i ? "," : "", key, ws[ts_rand(r) % 7]);
            rand_value(r, b, depth - 1);
        }
        gw_buf_append(b, "}", 1);
    } else if (depth > 0 && k < 5) {
        unsigned n = ts_rand(r) % 5;
        gw_buf_append(b, "[", 1);
        for (unsigned i = 0; i < n; i++) {
            if (i)
                gw_buf_append(b, ",", 1);
            rand_value(r, b, depth - 1);
        }
        gw_buf_append(b, "]", 1);
    } else if (k < 8) {
        char t[128];
        static const char *const plain[] = {"a", "Z", " ", "/", "q", "7", "-", "{", "]"};
        size_t max = ts_rand(r) % 4 == 0 ? 100 : 12, n;
        if (ts_rand(r) % 5 == 0)
            n = ts_rand_pieces(r, ts_utf8_pool, ts_utf8_pool_n, max, t);
        else
            n = ts_rand_pieces(r, plain, sizeof(plain) / sizeof(plain[0]), max, t);
        gw_buf_append(b, "\"", 1);
        gw_buf_append(b, t, n);
        gw_buf_append(b, "\"", 1);
    } else {
        const char *a = atoms[ts_rand(r) % (sizeof(atoms) / sizeof(atoms[0]))];
        gw_buf_append(b, a, strlen(a));
    }
}

static int ignore_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    (void)path, (void)s, (void)len, (void)repl;
    if (rule_id == 99) /* the "**" rule that keeps every value on the walker's own path */
        return 0;
    return rec_string(ctx, rule_id, path, s, len, repl);
}

/* Values in which no rule and no edit can apply are only validated (lean_value in json.c); everything else goes through
 * the walker. The two must agree on every document: result, error description and offset, captures, visited strings
 * and output. Each random document (valid ones and ones with 1-3 bytes replaced, inserted or cut, deep nesting) is
 * walked (1) by gw_json_validate against a "**" walk, in which no value is ever lean, and (2) with capture and scan rules
 * and edits, with and without an added "**" rule that keeps every value on the walker's path. */
static void test_lean_against_walker(void **state)
{
    (void)state;
    static const gw_json_rule_t rules[] = {{"a.b", GW_JSON_CAPTURE, 1}, {"usage.*", GW_JSON_CAPTURE, 2}, {"x.*.y", GW_JSON_SCAN, 3},
                                           {"k", GW_JSON_CAPTURE, 4},   {"s.t", GW_JSON_SCAN, 5},        {"**", GW_JSON_SCAN, 99}};
    static const gw_json_rule_t all[] = {{"**", GW_JSON_SCAN, 99}};
    gw_json_paths_t *some = rec_compile(rules, 5), *with_all = rec_compile(rules, 6), *every = rec_compile(all, 1);
    static const gw_json_edit_t edits[] = {{"e", NULL, 0}, {"s.t", "\"set\"", 0}, {"y", "[1]", 1}};
    static const char *const noise[] = {"{", "}", "[", "]", ",", ":", "\"", "\\", " ", "0", "-", "t", "\xc3", "\x01", "x"};
    uint64_t r = 0x6a09e667f3bcc908ull;
    gw_buf_t doc = GW_BUF_INIT, o1 = GW_BUF_INIT, o2 = GW_BUF_INIT;
    size_t invalid = 0;
    for (int round = 0; round < 20000; round++) {
        gw_buf_reset(&doc);
        if (round % 500 == 7) { /* near the depth limit */
            size_t d = GW_JSON_MAX_DEPTH - 2 + ts_rand(&r) % 4;
            for (size_t i = 0; i < d; i++)
                gw_buf_append(&doc, i % 2 ? "[" : "{\"a\":", i % 2 ? 1 : 5);
            for (size_t i = d; i-- > 0;)
                gw_buf_append(&doc, i % 2 ? "]" : "}", 1);
        } else {
            if (ts_rand(&r) % 3 != 0)
                gw_buf_append(&doc, "{\"usage\":", 9);
            rand_value(&r, &doc, 1 + (int)(ts_rand(&r) % 5));
            if (doc.base[0] == '{' && doc.len >= 9 && memcmp(doc.base, "{\"usage\":", 9) == 0)
                gw_buf_append(&doc, ",\"a\":{\"b\":[1]},\"s\":{\"t\":\"v\"}}", 28);
        }
        unsigned muts = ts_rand(&r) % 2 ? 0 : 1 + ts_rand(&r) % 3;
        for (unsigned m = 0; m < muts && doc.len > 0; m++) {
            size_t at = ts_rand(&r) % doc.len;
            const char *x = noise[ts_rand(&r) % (sizeof(noise) / sizeof(noise[0]))];
            switch (ts_rand(&r) % 3) {
            case 0:
                doc.base[at] = x[0];
                break;
            case 1:
                memmove(doc.base + at, doc.base + at + 1, doc.len - at - 1);
                doc.len--;
                break;
            default:
                gw_buf_reserve(&doc, 1);
                memmove(doc.base + at + 1, doc.base + at, doc.len - at);
                doc.base[at] = x[0];
                doc.len++;
            }
        }
        /* (1) validation alone */
        const char *d1 = NULL, *d2 = NULL;
        size_t f1 = 0, f2 = 0;
        int c1 = 0, c2 = 0;
        rec_t r1, r2;
        memset(&r1, 0, sizeof(r1));
        memset(&r2, 0, sizeof(r2));
        gw_json_visitor_t v1 = {ignore_string, rec_capture, &r1, NULL, 0, NULL},
                          v2 = {ignore_string, rec_capture, &r2, NULL, 0, NULL};
        int a = gw_json_validate(doc.base, doc.len, &d1, &f1);
        int b = gw_json_rewrite(doc.base, doc.len, every, NULL, 0, &v2, &o2, &c2, &d2, &f2);
        if (a != b || (a != 0 && (strcmp(d1, d2) != 0 || f1 != f2)))
            fail_msg("round %d: validate %d (%s at %zu), walker %d (%s at %zu) on %.*s", round, a, a ? d1 : "", f1, b, b ? d2 : "",
                     f2, (int)doc.len, doc.base);
        invalid += a != 0;
        /* (2) rules and edits, with and without the rule that keeps every value on the walker's path */
        size_t ned = ts_rand(&r) % 4;
        memset(&r2, 0, sizeof(r2));
        gw_buf_reset(&o1);
        gw_buf_reset(&o2);
        a = gw_json_rewrite(doc.base, doc.len, some, edits, ned, &v1, &o1, &c1, &d1, &f1);
        b = gw_json_rewrite(doc.base, doc.len, with_all, edits, ned, &v2, &o2, &c2, &d2, &f2);
        if (a != b || (a != 0 && (strcmp(d1, d2) != 0 || f1 != f2)))
            fail_msg("round %d, %zu edits: lean %d (%s at %zu), walker %d (%s at %zu) on %.*s", round, ned, a, a ? d1 : "", f1, b,
                     b ? d2 : "", f2, (int)doc.len, doc.base);
        assert_string_equal(r1.caps, r2.caps);
        assert_string_equal(r1.log, r2.log);
        if (a == 0) {
            assert_int_equal(c1, c2);
            if (c1)
                assert_true(ts_buf_equal(&o1, &o2));
        }
    }
    /* both kinds of documents were made */
    assert_true(invalid > 2000 && 20000 - invalid > 2000);
    gw_buf_free(&doc);
    gw_buf_free(&o1);
    gw_buf_free(&o2);
    gw_json_paths_free(some);
    gw_json_paths_free(with_all);
    gw_json_paths_free(every);
}

/* GW_JSON_V_LAZY_PATH: a visitor that asks for the path with gw_json_path_text gets exactly the text a visitor without
 * the flag gets, whenever it asks (never, once, twice), for strings and keys, in rewritten keys' objects, inside JSON
 * documents held in strings (two levels), and the walk's output is the same. */
typedef struct {
    gw_buf_t log;
    unsigned calls;
    int lazy;
} lazy_rec_t;

static int lazy_visit(lazy_rec_t *r, char kind, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    unsigned ask = r->calls++ % 3; /* 0: never asks, 1: once, 2: twice */
    const char *text = path;
    if (r->lazy) {
        assert_string_equal(path, "");
        text = ask ? gw_json_path_text(path) : "";
        if (ask == 2)
            assert_ptr_equal(gw_json_path_text(path), text);
        assert_non_null(text);
    }
    gw_buf_appendf(&r->log, "%c|%d|%s|%.*s\n", kind, rule_id, ask ? text : "-", (int)len, s);
    if (len > 0 && (s[0] == 'a' || s[0] == 'k')) { /* rewrite some: rewritten keys become path components */
        gw_buf_append(repl, "K", 1);
        return 1;
    }
    return 0;
}

static int lazy_string(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    return lazy_visit(ctx, 'S', rule_id, path, s, len, repl);
}

static int lazy_key(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    return lazy_visit(ctx, 'K', rule_id, path, s, len, repl);
}

static void test_lazy_path(void **state)
{
    (void)state;
    static const gw_json_rule_t rules[] = {{"x.*", GW_JSON_VERBATIM, 2}, {"**", GW_JSON_EMBEDDED | GW_JSON_KEYS, 1}};
    gw_json_paths_t *p = rec_compile(rules, 2);
    uint64_t r = 0xbb67ae8584caa73bull;
    gw_buf_t doc = GW_BUF_INIT, inner = GW_BUF_INIT, lit = GW_BUF_INIT, o1 = GW_BUF_INIT, o2 = GW_BUF_INIT;
    gw_json_scratch_t sc = GW_JSON_SCRATCH_INIT;
    size_t walked = 0;
    for (int round = 0; round < 6000; round++) {
        gw_buf_reset(&doc);
        rand_value(&r, &doc, 1 + (int)(ts_rand(&r) % 4));
        if (gw_json_validate(doc.base, doc.len, NULL, NULL) != 0)
            continue;
        for (int level = 0; level < (int)(ts_rand(&r) % 3); level++) { /* the document inside a string, inside ... */
            gw_buf_reset(&inner);
            gw_buf_append(&inner, doc.base, doc.len);
            gw_buf_reset(&lit);
            gw_json_escape(inner.base, inner.len, &lit);
            gw_buf_reset(&doc);
            gw_buf_appendf(&doc, "{\"a\":[1,{\"k\":%.*s}],\"x\":[\"a\"],\"b\":\"abc\"}", (int)lit.len, lit.base);
        }
        lazy_rec_t a = {GW_BUF_INIT, 0, 0}, b = {GW_BUF_INIT, 0, 1};
        gw_json_visitor_t va = {lazy_string, NULL, &a, lazy_key, GW_JSON_V_UNIQUE_KEYS, NULL};
        gw_json_visitor_t vb = {lazy_string, NULL, &b, lazy_key, GW_JSON_V_UNIQUE_KEYS | GW_JSON_V_LAZY_PATH, NULL};
        int c1 = 0, c2 = 0;
        int ra = gw_json_rewrite_ex(doc.base, doc.len, p, NULL, 0, &va, &o1, &c1, NULL, NULL, &sc);
        int rb = gw_json_rewrite_ex(doc.base, doc.len, p, NULL, 0, &vb, &o2, &c2, NULL, NULL, &sc);
        assert_int_equal(ra, rb);
        if (!ts_buf_equal(&a.log, &b.log))
            fail_msg("round %d on %.*s:\n%.*s---\n%.*s", round, (int)doc.len, doc.base, (int)a.log.len, a.log.base, (int)b.log.len,
                     b.log.base);
        assert_int_equal(c1, c2);
        if (ra == 0 && c1)
            assert_true(ts_buf_equal(&o1, &o2));
        walked += a.calls;
        gw_buf_free(&a.log);
        gw_buf_free(&b.log);
    }
    assert_true(walked > 20000);
    gw_json_scratch_free(&sc);
    gw_buf_free(&doc);
    gw_buf_free(&inner);
    gw_buf_free(&lit);
    gw_buf_free(&o1);
    gw_buf_free(&o2);
    gw_json_paths_free(p);
}

/* GW_JSON_V_TRUSTED steps over the values no rule or edit reaches (skip_value) instead of validating them: on documents
 * the walker accepts, the result, captures, visited strings and output are those of the validating walk. On documents
 * it refuses, the trusted walk only has to stay inside the input (ASan, make test-asan) and end. */
static void test_trusted_skip(void **state)
{
    (void)state;
    static const gw_json_rule_t rules[] = {{"a.b", GW_JSON_CAPTURE, 1},
                                           {"usage.*", GW_JSON_CAPTURE, 2},
                                           {"x.*.y", GW_JSON_SCAN, 3},
                                           {"k", GW_JSON_CAPTURE, 4},
                                           {"s.t", GW_JSON_SCAN, 5}};
    gw_json_paths_t *p = rec_compile(rules, 5);
    static const gw_json_edit_t edits[] = {{"e", NULL, 0}, {"s.t", "\"set\"", 0}, {"y", "[1]", 1}};
    uint64_t r = 0x3c6ef372fe94f82bull;
    gw_buf_t doc = GW_BUF_INIT, o1 = GW_BUF_INIT, o2 = GW_BUF_INIT;
    size_t valid = 0;
    for (int round = 0; round < 20000; round++) {
        gw_buf_reset(&doc);
        if (ts_rand(&r) % 2)
            gw_buf_append(&doc, "{\"usage\":", 9);
        rand_value(&r, &doc, 1 + (int)(ts_rand(&r) % 5));
        if (doc.len >= 9 && memcmp(doc.base, "{\"usage\":", 9) == 0)
            gw_buf_appendf(&doc, ",\"x\":[{\"y\":\"v\",\"z\":[\"\\\\\\\"]\"]}],\"k\":{\"q\":\"}\"}}");
        if (ts_rand(&r) % 8 == 0 && doc.len > 0) /* cut short: not JSON */
            doc.len = ts_rand(&r) % doc.len;
        size_t ned = ts_rand(&r) % 4;
        rec_t r1, r2;
        memset(&r1, 0, sizeof(r1));
        memset(&r2, 0, sizeof(r2));
        gw_json_visitor_t v1 = {rec_string, rec_capture, &r1, NULL, 0, NULL},
                          v2 = {rec_string, rec_capture, &r2, NULL, GW_JSON_V_TRUSTED, NULL};
        int c1 = 0, c2 = 0;
        gw_buf_reset(&o1);
        gw_buf_reset(&o2);
        int a = gw_json_rewrite(doc.base, doc.len, p, edits, ned, &v1, &o1, &c1, NULL, NULL);
        int b = gw_json_rewrite(doc.base, doc.len, p, edits, ned, &v2, &o2, &c2, NULL, NULL);
        if (gw_json_validate(doc.base, doc.len, NULL, NULL) != 0)
            continue; /* not vouched for: any outcome, read inside the input */
        valid++;
        if (a != b)
            fail_msg("round %d: validating walk %d, trusted walk %d on %.*s", round, a, b, (int)doc.len, doc.base);
        assert_string_equal(r1.caps, r2.caps);
        assert_string_equal(r1.log, r2.log);
        assert_int_equal(c1, c2);
        if (a == 0 && c1)
            assert_true(ts_buf_equal(&o1, &o2));
    }
    assert_true(valid > 1500);
    gw_buf_free(&doc);
    gw_buf_free(&o1);
    gw_buf_free(&o2);
    gw_json_paths_free(p);
}

static void test_fixtures_against_jansson(void **state)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s", AIGW_FIXTURES_DIR);
    static const gw_json_rule_t rules[] = {{"**", GW_JSON_SCAN, 1}};
    gw_json_paths_t *p = rec_compile(rules, 1);
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
            char *doc = ts_slurp(path, &n);
            assert_non_null(doc);
            rec_t r;
            memset(&r, 0, sizeof(r));
            r.mode = 1;
            gw_json_visitor_t v = {rec_string, NULL, &r, NULL, 0, NULL};
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
            json_t *want = ts_json_upper_all(orig);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_documents),
        cmocka_unit_test(test_invalid_documents),
        cmocka_unit_test(test_error_description_and_offset),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_paths_and_captures),
        cmocka_unit_test(test_rule_precedence_and_once),
        cmocka_unit_test(test_double_star_middle_and_escaped_keys),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_replacements),
        cmocka_unit_test(test_embedded),
        cmocka_unit_test(test_fixtures_against_jansson),
        cmocka_unit_test(test_rules_across_state_words),
        cmocka_unit_test(test_whitespace_runs),
        cmocka_unit_test(test_literal_table),
        cmocka_unit_test(test_strings_against_reference),
        cmocka_unit_test(test_lean_against_walker),
        cmocka_unit_test(test_lazy_path),
        cmocka_unit_test(test_trusted_skip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
