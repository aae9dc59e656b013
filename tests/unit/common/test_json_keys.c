/*
 * Unit tests for common/json's object keys (json_keys.c) with every string scanned: keys reported and
 * rewritten, VERBATIM exceptions, nested embedded documents, duplicate keys refused (issue 10).
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
#include "support/json_rec.h"

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
    rec_cat(x->log, sizeof(x->log), head, strlen(head));
    rec_cat(x->log, sizeof(x->log), s, len);
    rec_cat(x->log, sizeof(x->log), "\n", 1);
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
    gw_json_paths_t *p = rec_compile(rules, 2);
    memset(x, 0, sizeof(*x));
    x->redact = redact;
    gw_json_visitor_t v = {scrub_string, NULL, x, scrub_key, flags, NULL};
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
        gw_json_paths_t *p = rec_compile(rules, 1);
        memset(&x, 0, sizeof(x));
        gw_json_visitor_t v = {scrub_string, NULL, &x, NULL, GW_JSON_V_UNIQUE_KEYS, NULL};
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

/* Objects of up to 8 keys are searched without the index, larger ones through it (json_keys.c KEYS_LINEAR): a
 * duplicate at every position of objects of 0-30 keys, rewritten keys numbered past the switch, and random documents
 * against jansson's JSON_REJECT_DUPLICATES (keys compared decoded: "\u0061" is "a"). */
static void test_keys_small_and_large_objects(void **state)
{
    (void)state;
    scrub_t x;
    char *res = NULL;
    gw_buf_t doc = GW_BUF_INIT;
    for (int n = 0; n <= 30; n++) {
        for (int dup = -1; dup < n; dup++) {
            /* keys k0..k(n-1), each with a nested object holding the same key, then "\u006b<dup>" (decoded "k<dup>") */
            gw_buf_reset(&doc);
            gw_buf_append(&doc, "{\"o\":{", 6);
            for (int i = 0; i < n; i++)
                gw_buf_appendf(&doc, "%s\"k%d\":{\"k%d\":%d}", i ? "," : "", i, i, i);
            if (dup >= 0)
                gw_buf_appendf(&doc, ",\"\\u006b%d\":1", dup);
            gw_buf_append(&doc, "}}", 2);
            int rc = scan_all(doc.base, 0, GW_JSON_V_UNIQUE_KEYS, &res, &x);
            if (rc != (dup >= 0 ? GW_JSON_E_DUPKEY : 0))
                fail_msg("%d keys, duplicate of k%d: rc %d", n, dup, rc);
            free(res);
            res = NULL;
        }
    }
    /* 12 keys rewritten to the same text: numbered on past the switch to the index; a kept key equal to one of the
       numbered ones is refused, a kept key after them is not */
    gw_buf_reset(&doc);
    gw_buf_append(&doc, "{", 1);
    for (int i = 0; i < 12; i++)
        gw_buf_appendf(&doc, "\"a%d@x\":%d,", i, i);
    gw_buf_append(&doc, "\"<E> (13)\":0}", 13);
    assert_int_equal(scan_all(doc.base, 1, GW_JSON_V_UNIQUE_KEYS, &res, &x), 0);
    assert_non_null(strstr(res, "\"<E>\":0,\"<E> (2)\":1,"));
    assert_non_null(strstr(res, "\"<E> (12)\":11,\"<E> (13)\":0}"));
    free(res);
    res = NULL;
    doc.len -= 13;
    gw_buf_append(&doc, "\"<E> (5)\":0}", 12);
    assert_int_equal(scan_all(doc.base, 1, GW_JSON_V_UNIQUE_KEYS, &res, &x), GW_JSON_E_DUPKEY);
    /* random objects of 0-24 keys from a small pool, nested, against jansson */
    static const char *const pool[] = {"a", "b", "\\u0061", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o"};
    uint64_t r = 0x2545F4914F6CDD1Dull;
    for (int round = 0; round < 5000; round++) {
        gw_buf_reset(&doc);
        gw_buf_append(&doc, "{\"x\":[", 6);
        for (int o = 0; o < 3; o++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            int nk = (int)((r >> 33) % 25);
            gw_buf_appendf(&doc, "%s{", o ? "," : "");
            for (int i = 0; i < nk; i++) {
                r = r * 6364136223846793005ull + 1442695040888963407ull;
                gw_buf_appendf(&doc, "%s\"%s\":%s", i ? "," : "", pool[(r >> 33) % (sizeof(pool) / sizeof(pool[0]))],
                               (r >> 20) % 4 == 0 ? "{\"a\":1,\"b\":2}" : "1");
            }
            gw_buf_append(&doc, "}", 1);
        }
        gw_buf_append(&doc, "]}", 2);
        json_error_t je;
        json_t *j = json_loadb(doc.base, doc.len, JSON_REJECT_DUPLICATES, &je);
        int rc = scan_all(doc.base, 0, GW_JSON_V_UNIQUE_KEYS, &res, &x);
        if ((j == NULL) != (rc == GW_JSON_E_DUPKEY))
            fail_msg("jansson %s, rc %d on %s", j ? "accepts" : "refuses", rc, doc.base);
        json_decref(j);
        free(res);
        res = NULL;
    }
    gw_buf_free(&doc);
}

/* on_number (session 10): every number at a scanned position, also inside embedded documents, goes to the visitor
 * as its raw text with the rule on_string would get; a replacement is written as a JSON string literal; numbers
 * inside a member an edit replaces, or where no rule reaches, are not visited. */
static int num_visit(void *ctx, int rule_id, const char *path, const char *s, size_t len, gw_buf_t *repl)
{
    scrub_t *x = ctx;
    char head[320];
    snprintf(head, sizeof(head), "N%d|%s|", rule_id, path);
    rec_cat(x->log, sizeof(x->log), head, strlen(head));
    rec_cat(x->log, sizeof(x->log), s, len);
    rec_cat(x->log, sizeof(x->log), "\n", 1);
    if (len < 6)
        return 0;
    gw_buf_appendf(repl, "<N \"%.*s\">", (int)len, s);
    return 1;
}

static void test_numbers_visited_and_replaced(void **state)
{
    (void)state;
    static const gw_json_rule_t rules[] = {
        {"model", GW_JSON_VERBATIM, 9}, {"meta", GW_JSON_CAPTURE, 3}, {"**", GW_JSON_EMBEDDED | GW_JSON_KEYS, 1}};
    gw_json_paths_t *p = rec_compile(rules, 3);
    const char *in = "{\"model\":4111111111111111,\"a\":[1,-2.5,{\"b\":4111111111111111}],"
                     "\"s\":\"{\\\"n\\\":123456}\",\"meta\":12345678,\"t\":true}";
    scrub_t x;
    memset(&x, 0, sizeof(x));
    gw_json_visitor_t v = {scrub_string, NULL, &x, scrub_key, GW_JSON_V_UNIQUE_KEYS, num_visit};
    gw_json_scratch_t sc = GW_JSON_SCRATCH_INIT;
    gw_buf_t out = GW_BUF_INIT;
    int changed = 0;
    assert_int_equal(gw_json_rewrite_ex(in, strlen(in), p, NULL, 0, &v, &out, &changed, NULL, NULL, &sc), 0);
    assert_int_equal(changed, 1);
    gw_buf_append(&out, "", 1);
    assert_string_equal(out.base, "{\"model\":\"<N \\\"4111111111111111\\\">\",\"a\":[1,-2.5,{\"b\":\"<N "
                                  "\\\"4111111111111111\\\">\"}],\"s\":\"{\\\"n\\\":\\\"<N \\\\\\\"123456\\\\\\\">\\\"}\","
                                  "\"meta\":\"<N \\\"12345678\\\">\",\"t\":true}");
    /* the verbatim rule's id for "model", "**" for the rest, the embedded document's numbers with its string's rule */
    assert_non_null(strstr(x.log, "N9|model|4111111111111111\n"));
    assert_non_null(strstr(x.log, "N1|a[0]|1\n"));
    assert_non_null(strstr(x.log, "N1|a[1]|-2.5\n"));
    assert_non_null(strstr(x.log, "N1|a[2].b|4111111111111111\n"));
    assert_non_null(strstr(x.log, "N1|s#/n|123456\n"));
    /* a walk without on_number forwards the numbers as they are */
    gw_json_visitor_t v0 = {scrub_string, NULL, &x, scrub_key, GW_JSON_V_UNIQUE_KEYS, NULL};
    assert_int_equal(gw_json_rewrite_ex(in, strlen(in), p, NULL, 0, &v0, &out, &changed, NULL, NULL, &sc), 0);
    assert_int_equal(changed, 0);
    /* a member an edit replaces is not visited */
    memset(&x, 0, sizeof(x));
    gw_json_edit_t ed = {"a", "[]", 0};
    assert_int_equal(gw_json_rewrite_ex(in, strlen(in), p, &ed, 1, &v, &out, &changed, NULL, NULL, &sc), 0);
    assert_null(strstr(x.log, "|a["));
    gw_buf_free(&out);
    gw_json_scratch_free(&sc);
    gw_json_paths_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_reported_and_rewritten),
        cmocka_unit_test(test_duplicate_keys_refused),
        cmocka_unit_test(test_embedded_documents_nested_and_bare_values),
        cmocka_unit_test(test_keys_small_and_large_objects),
        cmocka_unit_test(test_numbers_visited_and_replaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
