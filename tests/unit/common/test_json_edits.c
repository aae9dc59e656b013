/*
 * Unit tests for common/json's member edits (json_edits.c and the walk): set, delete, conflicting or
 * invalid edits, and edits together with string replacements.
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
/* edits */

static void test_edits_set(void **state)
{
    gw_json_edit_t store = {"store", "false", 0};
    rec_expect_rewrite("{\"a\":1}", NULL, &store, 1, 0, "{\"a\":1,\"store\":false}");
    rec_expect_rewrite("{}", NULL, &store, 1, 0, "{\"store\":false}");
    rec_expect_rewrite("{ }", NULL, &store, 1, 0, "{\"store\":false }");
    rec_expect_rewrite("{\n  \"a\": 1\n}\n", NULL, &store, 1, 0, "{\n  \"a\": 1,\"store\":false\n}\n");
    rec_expect_rewrite("{\"store\":true,\"a\":1}", NULL, &store, 1, 0, "{\"store\":false,\"a\":1}");
    rec_expect_rewrite("{\"store\": {\"x\":[1]} }", NULL, &store, 1, 0, "{\"store\": false }");
    rec_expect_rewrite("{\"store\":false}", NULL, &store, 1, 0, "{\"store\":false}"); /* same bytes: no change */
    rec_expect_rewrite("{\"store\":true,\"store\":true}", NULL, &store, 1, 0, "{\"store\":false,\"store\":false}");
    gw_json_edit_t absent = {"store", "false", 1};
    rec_expect_rewrite("{\"store\":true}", NULL, &absent, 1, 0, "{\"store\":true}");
    rec_expect_rewrite("{\"x\":true}", NULL, &absent, 1, 0, "{\"x\":true,\"store\":false}");
    /* nested, with intermediates created or present */
    gw_json_edit_t usage = {"stream_options.include_usage", "true", 0};
    rec_expect_rewrite("{\"stream\":true}", NULL, &usage, 1, 0, "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    rec_expect_rewrite("{\"stream_options\":{}}", NULL, &usage, 1, 0, "{\"stream_options\":{\"include_usage\":true}}");
    rec_expect_rewrite("{\"stream_options\":{\"include_usage\":false,\"x\":1}}", NULL, &usage, 1, 0,
                       "{\"stream_options\":{\"include_usage\":true,\"x\":1}}");
    /* two edits sharing a missing intermediate create one object */
    gw_json_edit_t prov[] = {{"provider.zdr", "true", 0}, {"provider.data_collection", "\"deny\"", 0}, {"store", "false", 0}};
    rec_expect_rewrite("{\"model\":\"m\"}", NULL, prov, 3, 0,
                       "{\"model\":\"m\",\"provider\":{\"zdr\":true,\"data_collection\":\"deny\"},\"store\":false}");
    rec_expect_rewrite("{\"provider\":{\"zdr\":false,\"order\":[\"a\"]}}", NULL, prov, 3, 0,
                       "{\"provider\":{\"zdr\":true,\"order\":[\"a\"],\"data_collection\":\"deny\"},\"store\":false}");
    gw_json_edit_t deep = {"a.b.c", "1", 0};
    rec_expect_rewrite("{\"a\":{\"x\":0}}", NULL, &deep, 1, 0, "{\"a\":{\"x\":0,\"b\":{\"c\":1}}}");
    /* keys needing escapes in the created member */
    gw_json_edit_t odd = {"we\"ird", "null", 0};
    rec_expect_rewrite("{}", NULL, &odd, 1, 0, "{\"we\\\"ird\":null}");
    (void)state;
}

static void test_edits_delete(void **state)
{
    gw_json_edit_t del = {"metadata", NULL, 0};
    rec_expect_rewrite("{\"metadata\":{\"a\":\"b\"}}", NULL, &del, 1, 0, "{}");
    rec_expect_rewrite("{\"metadata\":1,\"b\":2}", NULL, &del, 1, 0, "{\"b\":2}");
    rec_expect_rewrite("{\"a\":1,\"metadata\":1,\"b\":2}", NULL, &del, 1, 0, "{\"a\":1,\"b\":2}");
    rec_expect_rewrite("{\"a\":1,\"metadata\":1}", NULL, &del, 1, 0, "{\"a\":1}");
    rec_expect_rewrite("{ \"a\" : 1 , \"metadata\" : [1] , \"b\" : 2 }", NULL, &del, 1, 0, "{ \"a\" : 1 , \"b\" : 2 }");
    rec_expect_rewrite("{ \"metadata\" : [1] , \"b\" : 2 }", NULL, &del, 1, 0, "{  \"b\" : 2 }");
    rec_expect_rewrite("{\"metadata\":1,\"metadata\":2,\"c\":3,\"metadata\":4}", NULL, &del, 1, 0, "{\"c\":3}");
    rec_expect_rewrite("{\"a\":1}", NULL, &del, 1, 0, "{\"a\":1}");
    rec_expect_rewrite("{\"x\":{\"metadata\":1}}", NULL, &del, 1, 0, "{\"x\":{\"metadata\":1}}"); /* only at its path */
    gw_json_edit_t deldeep = {"provider.zdr", NULL, 0};
    rec_expect_rewrite("{\"provider\":{\"zdr\":true}}", NULL, &deldeep, 1, 0, "{\"provider\":{}}");
    rec_expect_rewrite("{\"provider\":\"x\"}", NULL, &deldeep, 1, 0, "{\"provider\":\"x\"}"); /* non-object: nothing to delete */
    rec_expect_rewrite("{}", NULL, &deldeep, 1, 0, "{}");
    /* delete and set in the same object */
    gw_json_edit_t both[] = {{"a", NULL, 0}, {"b", NULL, 0}, {"z", "0", 0}};
    rec_expect_rewrite("{\"a\":1,\"b\":2}", NULL, both, 3, 0, "{\"z\":0}");
    rec_expect_rewrite("{\"a\":1,\"c\":3,\"b\":2}", NULL, both, 3, 0, "{\"c\":3,\"z\":0}");
    (void)state;
}

static void test_edit_errors(void **state)
{
    rec_t r;
    memset(&r, 0, sizeof(r));
    gw_json_edit_t usage = {"stream_options.include_usage", "true", 0};
    assert_int_equal(rec_rewrite("{\"stream_options\":null}", NULL, &usage, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    assert_int_equal(rec_rewrite("{\"stream_options\":[{}]}", NULL, &usage, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    assert_int_equal(rec_rewrite("[1]", NULL, &usage, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    assert_int_equal(rec_rewrite("\"s\"", NULL, &usage, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    gw_json_edit_t conflict[] = {{"a", "1", 0}, {"a.b", "2", 0}};
    assert_int_equal(rec_rewrite("{}", NULL, conflict, 2, &r, NULL, NULL), GW_JSON_E_EDIT);
    gw_json_edit_t same[] = {{"a", "1", 0}, {"a", NULL, 0}};
    assert_int_equal(rec_rewrite("{}", NULL, same, 2, &r, NULL, NULL), GW_JSON_E_EDIT);
    gw_json_edit_t badval = {"a", "{nope", 0};
    assert_int_equal(rec_rewrite("{}", NULL, &badval, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    gw_json_edit_t badpath = {"a..b", "1", 0};
    assert_int_equal(rec_rewrite("{}", NULL, &badpath, 1, &r, NULL, NULL), GW_JSON_E_EDIT);
    /* a syntax error is still reported as such with edits */
    assert_int_equal(rec_rewrite("{\"a\":1,}", NULL, &usage, 1, &r, NULL, NULL), GW_JSON_E_SYNTAX);
    (void)state;
}

static void test_edits_with_replacements(void **state)
{
    static const gw_json_rule_t rules[] = {
        {"messages.*.content", GW_JSON_SCAN, 1}, {"metadata.**", GW_JSON_SCAN, 2}, {"user", GW_JSON_SCAN, 3}};
    gw_json_paths_t *p = rec_compile(rules, 3);
    gw_json_edit_t ed[] = {{"metadata", NULL, 0}, {"store", "false", 0}, {"stream_options.include_usage", "true", 0}};
    rec_t r;
    memset(&r, 0, sizeof(r));
    r.mode = 1;
    char *res;
    assert_int_equal(
        rec_rewrite("{\"metadata\":{\"k\":\"secret\"},\"messages\":[{\"content\":\"hello\"}],\"store\":true,\"user\":\"bob\"}", p,
                    ed, 3, &r, &res, NULL),
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edits_set),
        cmocka_unit_test(test_edits_delete),
        cmocka_unit_test(test_edit_errors),
        cmocka_unit_test(test_edits_with_replacements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
