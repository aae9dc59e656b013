/*
 * Header rewriting between client and provider, and client-key / admin-token checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ctype.h>
#include <string.h>

#include <cmocka.h>

#include "gateway/auth.h"
#include "gateway/headers.h"
#include "providers/provider.h"

#define DROP_REQ(s) gw_headers_drop_request(s, strlen(s))
#define DROP_RESP(s) gw_headers_drop_response(s, strlen(s))

static void test_request_headers(void **state)
{
    /* hop-by-hop (RFC 9110 7.6.1), framing, client credentials, aigw's own */
    const char *dropped[] = {"Connection",
                             "keep-alive",
                             "TE",
                             "Transfer-Encoding",
                             "Upgrade",
                             "Proxy-Connection",
                             "HTTP2-Settings",
                             "Host",
                             "content-length",
                             "Expect",
                             "Authorization",
                             "x-api-key",
                             "X-Goog-Api-Key",
                             "Accept-Encoding",
                             "Cookie",
                             "X-AIGW-User",
                             "x-aigw-anything",
                             "api-key",
                             "OpenAI-Organization",
                             "openai-project",
                             "X-Goog-User-Project"};
    for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
        if (!DROP_REQ(dropped[i]))
            fail_msg("%s should not be forwarded upstream", dropped[i]);
    const char *kept[] = {"content-type",    "accept",          "user-agent", "anthropic-version", "prefer", "x-stainless-lang",
                          "idempotency-key", "x-mock-delay-ms", "x-aigw"};
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        if (DROP_REQ(kept[i]))
            fail_msg("%s should be forwarded upstream", kept[i]);
}

/* Every credential header and every adapter's account header is in the table built on first use (a name left out
 * would be forwarded), in any letter case. */
static void test_request_headers_every_declared_name(void **state)
{
    size_t n;
    const prov_adapter_t *const *all = prov_all(&n);
    for (const char *const *h = prov_credential_headers; *h != NULL; h++)
        if (!DROP_REQ(*h))
            fail_msg("credential header %s should not be forwarded upstream", *h);
    for (size_t i = 0; i < n; i++)
        for (const char *const *h = all[i]->account_headers; h != NULL && *h != NULL; h++) {
            char up[128];
            size_t l = strlen(*h);
            assert_true(l < sizeof(up));
            for (size_t k = 0; k <= l; k++)
                up[k] = (char)toupper((unsigned char)(*h)[k]);
            if (!DROP_REQ(*h) || !DROP_REQ(up))
                fail_msg("account header %s of %s should not be forwarded upstream", *h, all[i]->name);
        }
    (void)state;
}

static void test_response_headers(void **state)
{
    assert_true(DROP_RESP("Content-Length"));
    assert_true(DROP_RESP("content-encoding"));
    assert_true(DROP_RESP("Transfer-Encoding"));
    assert_true(DROP_RESP("connection"));
    assert_true(DROP_RESP("Set-Cookie"));
    assert_true(DROP_RESP("x-aigw-request-id")); /* aigw sets its own */
    assert_false(DROP_RESP("content-type"));
    assert_false(DROP_RESP("retry-after"));
    assert_false(DROP_RESP("x-ratelimit-remaining-requests"));
    assert_false(DROP_RESP("x-request-id"));
}

static void test_connection_listed(void **state)
{
    const char *conn = "keep-alive, X-Hop ,close";
    assert_true(gw_headers_in_connection(conn, strlen(conn), "x-hop", 5));
    assert_true(gw_headers_in_connection(conn, strlen(conn), "Keep-Alive", 10));
    assert_true(gw_headers_in_connection(conn, strlen(conn), "close", 5));
    assert_false(gw_headers_in_connection(conn, strlen(conn), "x-ho", 4));
    assert_false(gw_headers_in_connection(conn, strlen(conn), "content-type", 12));
    assert_false(gw_headers_in_connection("", 0, "x", 1));
}

static void test_parse_line(void **state)
{
    const char *n, *v;
    size_t nl, vl;
    const char *line = "Content-Type:  application/json \r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), 0);
    assert_int_equal(nl, 12);
    assert_memory_equal(n, "Content-Type", 12);
    assert_int_equal(vl, 16);
    assert_memory_equal(v, "application/json", 16);
    line = "HTTP/2 200\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), 1);
    line = "HTTP/1.1 502 Bad Gateway\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), 1);
    assert_int_equal(gw_headers_parse_line("\r\n", 2, &n, &nl, &v, &vl), 2);
    line = "no colon here\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), -1);
    line = ": empty name\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), -1);
    line = "Bad Name: x\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), -1);
    line = "X-Empty:\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), 0);
    assert_int_equal(vl, 0);
    /* RFC 9110 section 5.5: a value with a control character is refused (a bare CR would reach the client as a
     * header break: response splitting); HTAB inside a value and obs-text (bytes >= 0x80) stay */
    line = "X-Evil: a\rSet-Cookie: x=1\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), -1);
    line = "X-Evil: a\nSet-Cookie: x=1\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), -1);
    assert_int_equal(gw_headers_parse_line("X-Nul: a\0b\r\n", 13, &n, &nl, &v, &vl), -1);
    for (unsigned c = 0; c < 0x20; c++) {
        char buf[16] = "X-C: a?b\r\n";
        buf[6] = (char)c;
        assert_int_equal(gw_headers_parse_line(buf, 10, &n, &nl, &v, &vl), c == '\t' ? 0 : -1);
    }
    line = "X-Del: a\x7f\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), -1);
    line = "X-Tab: a\tb\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), 0);
    assert_int_equal(vl, 3);
    line = "X-Utf8: caf\xc3\xa9\r\n";
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), 0);
    assert_int_equal(vl, 5);
    line = " folded continuation\r\n"; /* obs-fold (RFC 9112 section 5.2) */
    assert_int_equal(gw_headers_parse_line(line, strlen(line), &n, &nl, &v, &vl), -1);
}

static void test_authorization_parse(void **state)
{
    const char *k;
    size_t kl;
    const char *v = "Bearer sk-abc ";
    assert_int_equal(gw_auth_parse_authorization(v, strlen(v), &k, &kl), 0);
    assert_int_equal(kl, 6);
    assert_memory_equal(k, "sk-abc", 6);
    v = "bearer   xyz";
    assert_int_equal(gw_auth_parse_authorization(v, strlen(v), &k, &kl), 0);
    assert_memory_equal(k, "xyz", 3);
    v = "Key fal-key";
    assert_int_equal(gw_auth_parse_authorization(v, strlen(v), &k, &kl), 0);
    assert_memory_equal(k, "fal-key", 7);
    v = "Basic dXNlcjpwYXNz";
    assert_int_equal(gw_auth_parse_authorization(v, strlen(v), &k, &kl), -1);
    v = "Bearer    ";
    assert_int_equal(gw_auth_parse_authorization(v, strlen(v), &k, &kl), -1);
    v = "sk-bare-key";
    assert_int_equal(gw_auth_parse_authorization(v, strlen(v), &k, &kl), -1);
}

static void test_client_and_admin_lookup(void **state)
{
    char err[256];
    const char *json =
        "{\"clients\":[{\"name\":\"a\",\"key\":\"key-a-0123456789abc\"},{\"name\":\"b\",\"key\":\"key-b-0123456789abc\"}],"
        "\"admin_tokens\":[{\"role\":\"privacy\",\"token\":\"priv-0123456789abcdef\"}]}";
    gw_config_t *cfg = gw_config_parse(json, strlen(json), "t", err, sizeof(err));
    assert_non_null(cfg);
    const gw_client_conf_t *c = gw_auth_client(cfg, "key-b-0123456789abc", 19);
    assert_non_null(c);
    assert_string_equal(c->name, "b");
    assert_null(gw_auth_client(cfg, "key-b-0123456789ab", 18)); /* prefix is not the key */
    assert_null(gw_auth_client(cfg, "", 0));
    assert_string_equal(gw_auth_admin_role(cfg, "priv-0123456789abcdef", 21), "privacy");
    assert_null(gw_auth_admin_role(cfg, "key-a-0123456789abc", 19)); /* client keys are not admin tokens */
    gw_config_free(cfg);
}

#define FRAMING(s) gw_headers_conflicting_framing(s, strlen(s))

static void test_framing(void **state)
{
    /* RFC 9112 section 6.3: what a front proxy and aigw could frame differently */
    assert_true(FRAMING("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"));
    assert_true(FRAMING("POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\ncontent-length: 0\r\n\r\n"));
    assert_true(FRAMING("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n"));
    assert_true(FRAMING("POST / HTTP/1.1\r\nContent-Length: 2, 40\r\n\r\n"));
    assert_true(FRAMING("POST / HTTP/1.1\r\nContent-Length: +2\r\n\r\n"));
    assert_true(FRAMING("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"));
    assert_true(FRAMING("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"));
    assert_true(FRAMING("POST / HTTP/1.1\nContent-Length: 1\nTransfer-Encoding: chunked\n\n")); /* bare LF */
    /* ordinary requests */
    assert_false(FRAMING("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"));
    assert_false(FRAMING("POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n"));
    assert_false(FRAMING("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"));
    assert_false(FRAMING("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    /* only the head counts: a body that looks like headers is not read */
    assert_false(FRAMING("POST / HTTP/1.1\r\nContent-Length: 40\r\n\r\nTransfer-Encoding: chunked\r\n\r\n"));
    assert_false(gw_headers_conflicting_framing("", 0));
}

#define USER_OK(s) gw_user_id_valid(s, sizeof(s) - 1)

static void test_user_id(void **state)
{
    assert_true(USER_OK("user-123"));
    assert_true(USER_OK("j\xc3\xbcrgen \xe5\xbc\xa0 \xf0\x9f\x98\x80")); /* UTF-8 letters, CJK, emoji */
    assert_false(gw_user_id_valid("", 0));
    assert_false(USER_OK("u\x01"));
    assert_false(USER_OK("u\x7f"));
    assert_false(USER_OK("u\xc2\x85"));         /* C1 NEL */
    assert_false(USER_OK("u\xe2\x80\xa8"));     /* U+2028 */
    assert_false(USER_OK("u\xff"));             /* not UTF-8 */
    assert_false(USER_OK("u\xc0\xaf"));         /* overlong '/' */
    assert_false(USER_OK("u\xe0\x80\xaf"));     /* overlong */
    assert_false(USER_OK("u\xed\xa0\x80"));     /* surrogate */
    assert_false(USER_OK("u\xf4\x90\x80\x80")); /* above U+10FFFF */
    assert_false(USER_OK("u\xc3"));             /* truncated */
    char big[GW_USER_ID_MAX + 1];
    memset(big, 'a', sizeof(big));
    assert_true(gw_user_id_valid(big, GW_USER_ID_MAX));
    assert_false(gw_user_id_valid(big, GW_USER_ID_MAX + 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framing),
        cmocka_unit_test(test_user_id),
        cmocka_unit_test(test_request_headers),
        cmocka_unit_test(test_request_headers_every_declared_name),
        cmocka_unit_test(test_response_headers),
        cmocka_unit_test(test_parse_line),
        cmocka_unit_test(test_connection_listed),
        cmocka_unit_test(test_authorization_parse),
        cmocka_unit_test(test_client_and_admin_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
