/*
 * gw_canon_target(): every path spelling of issue 10 reaches the same canonical form, and the
 * spellings that cannot be made canonical safely are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gateway/canon.h"

static void expect_canon(const char *in, const char *want, size_t want_path_len)
{
    gw_buf_t out = GW_BUF_INIT;
    size_t pl = 99;
    const char *err = NULL;
    int rc = gw_canon_target(in, strlen(in), &out, &pl, &err);
    if (rc != 0)
        fail_msg("%s: refused (%d, %s), expected %s", in, rc, err, want);
    if (out.len != strlen(want) || memcmp(out.base, want, out.len) != 0 || out.base[out.len] != '\0')
        fail_msg("%s: got %.*s, expected %s", in, (int)out.len, out.base, want);
    if (pl != want_path_len)
        fail_msg("%s: path length %zu, expected %zu", in, pl, want_path_len);
    gw_buf_free(&out);
}

static void expect_refused(const char *in, int want_rc)
{
    gw_buf_t out = GW_BUF_INIT;
    size_t pl = 0;
    const char *err = NULL;
    int rc = gw_canon_target(in, strlen(in), &out, &pl, &err);
    if (rc != want_rc)
        fail_msg("%s: rc %d (%s), expected %d", in, rc, err != NULL ? err : "-", want_rc);
    assert_non_null(err);
    gw_buf_free(&out);
}

#define SAME(in, want) expect_canon(in, want, strlen(want))

static void test_issue_spellings(void **state)
{
    /* storage routes spelled to slip past the no-training refusals */
    SAME("/v1/%66iles", "/v1/files");
    SAME("/v1/%66%69%6c%65%73", "/v1/files");
    SAME("/v1/%46iles", "/v1/Files"); /* upper-case F: a different path; notrain matches case-insensitively */
    SAME("/v1/%62atches", "/v1/batches");
    SAME("/openai/v1/%62%61tches/", "/openai/v1/batches");
    SAME("/gemini/v1beta/models/x%3AbatchGenerateContent", "/gemini/v1beta/models/x:batchGenerateContent");
    SAME("/gemini/v1beta/models/x%3abatchGenerateContent", "/gemini/v1beta/models/x:batchGenerateContent");
    SAME("/gemini/v1beta/models/x%3A%62atchGenerateContent", "/gemini/v1beta/models/x:batchGenerateContent");
    /* trailing and duplicate slashes: the no-storage flags must still apply */
    SAME("/v1/chat/completions/", "/v1/chat/completions");
    SAME("/v1/chat/completions//", "/v1/chat/completions");
    SAME("//v1///chat//completions", "/v1/chat/completions");
    SAME("/openrouter/api/v1/chat/completions/", "/openrouter/api/v1/chat/completions");
    /* dot segments, literal and encoded */
    SAME("/v1/./files", "/v1/files");
    SAME("/v1/x/../files", "/v1/files");
    SAME("/v1/x/%2e%2E/files", "/v1/files");
    SAME("/v1/chat/completions/.", "/v1/chat/completions");
    SAME("/v1/%2e/chat/completions", "/v1/chat/completions");
    SAME("/openai/v1/../../admin/api/usage", "/admin/api/usage"); /* routed as what it is */
    SAME("/v1/...", "/v1/...");                                   /* not a dot segment */
    SAME("/v1/.hidden", "/v1/.hidden");
    SAME("/", "/");
    SAME("//", "/");
    SAME("/.", "/");
}

static void test_escapes_and_raw_bytes(void **state)
{
    SAME("/v1/%7euser", "/v1/~user");
    SAME("/v1/a%40b%3Dc", "/v1/a@b=c"); /* pchar sub-delims and '@' are decoded */
    SAME("/v1/%c3%a9", "/v1/%C3%A9");   /* non-ASCII stays encoded, upper-case hex */
    SAME("/v1/\xc3\xa9", "/v1/%C3%A9"); /* raw non-ASCII is encoded */
    SAME("/v1/a%20b", "/v1/a%20b");     /* encoded space stays encoded */
    SAME("/v1/%3f%23%25", "/v1/%3F%23%25");
    SAME("/v1/a{b}|", "/v1/a%7Bb%7D%7C");
    /* the query is kept as sent */
    expect_canon("/v1/models?limit=10&after=%2Fx", "/v1/models?limit=10&after=%2Fx", 10);
    expect_canon("/v1/models/?a=1", "/v1/models?a=1", 10);
    expect_canon("/v1//x?", "/v1/x?", 5);
}

static void test_refused(void **state)
{
    expect_refused("/v1/files%2Fx", GW_CANON_E_SLASH);
    expect_refused("/v1/files%2fx", GW_CANON_E_SLASH);
    expect_refused("/v1/%2F", GW_CANON_E_SLASH);
    expect_refused("/v1/a%5Cb", GW_CANON_E_SLASH);
    expect_refused("/v1/a\\b", GW_CANON_E_SLASH);
    expect_refused("/v1/files%00", GW_CANON_E_CONTROL);
    expect_refused("/v1/a%0Ab", GW_CANON_E_CONTROL);
    expect_refused("/v1/a%7f", GW_CANON_E_CONTROL);
    expect_refused("/v1/a b", GW_CANON_E_CONTROL);
    expect_refused("/v1/a\tb", GW_CANON_E_CONTROL);
    expect_refused("/v1/models?x=%00", GW_CANON_E_CONTROL);
    expect_refused("/v1/models?x=a b", GW_CANON_E_CONTROL);
    expect_refused("/v1/%", GW_CANON_E_SYNTAX);
    expect_refused("/v1/%6", GW_CANON_E_SYNTAX);
    expect_refused("/v1/%zz", GW_CANON_E_SYNTAX);
    expect_refused("/v1/%6g", GW_CANON_E_SYNTAX);
    expect_refused("v1/files", GW_CANON_E_SYNTAX);
    expect_refused("", GW_CANON_E_SYNTAX);
    expect_refused("*", GW_CANON_E_SYNTAX);
    expect_refused("/v1/files#x", GW_CANON_E_SYNTAX);
    expect_refused("/..", GW_CANON_E_ESCAPE);
    expect_refused("/v1/../../x", GW_CANON_E_ESCAPE);
    expect_refused("/%2e%2e/v1", GW_CANON_E_ESCAPE);
    char big[GW_CANON_MAX_BYTES + 2];
    memset(big, 'a', sizeof(big) - 1);
    big[0] = '/';
    big[sizeof(big) - 1] = '\0';
    expect_refused(big, GW_CANON_E_LENGTH);
}

static void test_idempotent(void **state)
{
    const char *inputs[] = {"/v1/%66iles/", "/a/./b/../c//d/%7e", "/v1/%c3%a9?q=1", "/v1/x%3Ay?key=a&b=c", "/"};
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        gw_buf_t a = GW_BUF_INIT, b = GW_BUF_INIT;
        size_t pa, pb;
        const char *err;
        assert_int_equal(gw_canon_target(inputs[i], strlen(inputs[i]), &a, &pa, &err), 0);
        assert_int_equal(gw_canon_target(a.base, a.len, &b, &pb, &err), 0);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.base, b.base, a.len);
        assert_int_equal(pa, pb);
        gw_buf_free(&a);
        gw_buf_free(&b);
    }
}

static void drop_case(const char *in, const char *name, const char *want, size_t want_dropped)
{
    gw_buf_t out = GW_BUF_INIT;
    size_t pl;
    const char *err;
    assert_int_equal(gw_canon_target(in, strlen(in), &out, &pl, &err), 0);
    size_t n = gw_canon_drop_query_param(&out, pl, name);
    if (n != want_dropped || out.len != strlen(want) || memcmp(out.base, want, out.len) != 0)
        fail_msg("%s: dropped %zu -> %.*s, expected %zu -> %s", in, n, (int)out.len, out.base, want_dropped, want);
    assert_int_equal(out.base[out.len], '\0');
    gw_buf_free(&out);
}

static void test_drop_query_param(void **state)
{
    drop_case("/gemini/v1beta/models?key=AIza123", "key", "/gemini/v1beta/models", 1);
    drop_case("/m?alt=sse&key=AIza123", "key", "/m?alt=sse", 1);
    drop_case("/m?key=a&alt=sse&key=b", "key", "/m?alt=sse", 2);
    drop_case("/m?%6bey=a&alt=sse", "key", "/m?alt=sse", 1);
    drop_case("/m?key", "key", "/m", 1);
    drop_case("/m?keys=a&akey=b", "key", "/m?keys=a&akey=b", 0);
    drop_case("/m?a=1&&b=2", "key", "/m?a=1&&b=2", 0);
    drop_case("/m", "key", "/m", 0);
}

/* gw_canon_query_name_is (redteam9): fal_webhook went out as "fal%5Fwebhook", which fal's query parser decodes */
static void test_query_name_is(void **state)
{
    (void)state;
    static const char *const yes[] = {"fal_webhook",
                                      "fal%5Fwebhook",
                                      "fal%5fwebhook",
                                      "%66al_webhook",
                                      "FAL_WEBHOOK",
                                      "Fal_Webhook",
                                      "%46%41%4C%5F%57%45%42%48%4F%4F%4B"};
    static const char *const no[] = {"fal_webhooks", "xfal_webhook", "fal_webhook+", "fal_webhook%20", "fal-webhook", "",
                                     "fal_web",      "fal%5",        "fal_webhook%"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        if (!gw_canon_query_name_is(yes[i], strlen(yes[i]), "fal_webhook"))
            fail_msg("%s is not fal_webhook", yes[i]);
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        if (gw_canon_query_name_is(no[i], strlen(no[i]), "fal_webhook"))
            fail_msg("%s is fal_webhook", no[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issue_spellings), cmocka_unit_test(test_escapes_and_raw_bytes), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_idempotent),      cmocka_unit_test(test_drop_query_param),      cmocka_unit_test(test_query_name_is),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
