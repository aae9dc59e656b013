/*
 * Header rewriting between client and provider, and client-key / admin-token checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

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

/* session 11: an allow-list of forwarded request headers (gw_headers_forward_request) */
static void test_forward_request_allow_list(void **state)
{
    (void)state;
    char *extra[] = {"x-trace-*", "x-app-tenant"};
#define FWD(up, wire, n) gw_headers_forward_request(up, wire, extra, 2, n, strlen(n))
    /* HTTP's own, in any case */
    assert_int_equal(FWD(&prov_openai, NULL, "Content-Type"), 1);
    assert_int_equal(FWD(&prov_openai, NULL, "ACCEPT"), 1);
    assert_int_equal(FWD(&prov_gemini, NULL, "user-agent"), 1);
    /* a provider's own, to that provider (or when its format is the route's) only */
    assert_int_equal(FWD(&prov_anthropic, NULL, "Anthropic-Version"), 1);
    assert_int_equal(FWD(&prov_openai, NULL, "anthropic-version"), 0);
    assert_int_equal(FWD(&prov_gemini, &prov_openai, "openai-beta"), 1);
    assert_int_equal(FWD(&prov_replicate, NULL, "prefer"), 1);
    assert_int_equal(FWD(&prov_openai, NULL, "prefer"), 0);
    assert_int_equal(FWD(&prov_fal, NULL, "x-fal-store-io"), 1);
    assert_int_equal(FWD(&prov_fal, NULL, "x-fal-target-url"), 0);
    /* the configured names and prefixes: a name is not a prefix, a prefix is not a name's extension elsewhere */
    assert_int_equal(FWD(&prov_openai, NULL, "X-Trace-Id"), 1);
    assert_int_equal(FWD(&prov_openai, NULL, "x-trace-"), 1);
    assert_int_equal(FWD(&prov_openai, NULL, "x-trac"), 0);
    assert_int_equal(FWD(&prov_openai, NULL, "x-app-tenant"), 1);
    assert_int_equal(FWD(&prov_openai, NULL, "x-app-tenant2"), 0);
    assert_int_equal(FWD(&prov_openai, NULL, "x-app-tenan"), 0);
    /* everything else: client IPs, trace context, telemetry, unknown */
    static const char *const dropped[] = {"x-real-ip",
                                          "true-client-ip",
                                          "cf-connecting-ip",
                                          "x-client-ip",
                                          "traceparent",
                                          "x-stainless-os",
                                          "accept-language",
                                          "x-foo",
                                          "accept-encoding-x",
                                          "",
                                          NULL};
    for (const char *const *d = dropped; *d != NULL; d++)
        assert_int_equal(FWD(&prov_openai, &prov_openai, *d), 0);
    assert_int_equal(gw_headers_forward_request(NULL, NULL, NULL, 0, "x-trace-id", 10), 0);
#undef FWD
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

/* ---- the look-ups and the line parser against their first versions (before issue 12, session 8; the parser with
 * the refusal of control characters in a value that the same session added, f0e0c13) ---- */

static const char *const ref_hop[] = {"connection",        "keep-alive", "proxy-connection", "te", "trailer",
                                      "transfer-encoding", "upgrade",    "http2-settings",   NULL};
static const char *const ref_req[] = {"host",      "content-length",  "expect", "accept-encoding", "cookie", "proxy-authorization",
                                      "forwarded", "x-forwarded-for", NULL};
static const char *const ref_resp[] = {"content-length", "content-encoding", "server", "date", "set-cookie", NULL};

static int ref_in(const char *const *set, const char *name, size_t len)
{
    for (; *set != NULL; set++)
        if (strlen(*set) == len && strncasecmp(name, *set, len) == 0)
            return 1;
    return 0;
}

static int ref_drop_request(const char *name, size_t len)
{
    if (len >= 7 && strncasecmp(name, "x-aigw-", 7) == 0)
        return 1;
    if (ref_in(ref_hop, name, len) || ref_in(ref_req, name, len) || ref_in(prov_credential_headers, name, len))
        return 1;
    size_t na;
    const prov_adapter_t *const *all = prov_all(&na);
    for (size_t i = 0; i < na; i++)
        if (all[i]->account_headers != NULL && ref_in(all[i]->account_headers, name, len))
            return 1;
    return 0;
}

static int ref_drop_response(const char *name, size_t len)
{
    if (len >= 7 && strncasecmp(name, "x-aigw-", 7) == 0)
        return 1;
    return ref_in(ref_hop, name, len) || ref_in(ref_resp, name, len);
}

static int ref_parse_line(const char *line, size_t len, const char **name, size_t *name_len, const char **value, size_t *value_len)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (len == 0)
        return 2;
    if (len >= 5 && strncasecmp(line, "HTTP/", 5) == 0)
        return 1;
    size_t colon = 0;
    while (colon < len && line[colon] != ':')
        colon++;
    if (colon == 0 || colon == len)
        return -1;
    for (size_t i = 0; i < colon; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c <= 0x20 || c >= 0x7f)
            return -1;
    }
    size_t v = colon + 1;
    while (v < len && (line[v] == ' ' || line[v] == '\t'))
        v++;
    size_t end = len;
    while (end > v && (line[end - 1] == ' ' || line[end - 1] == '\t'))
        end--;
    for (size_t i = v; i < end; i++) /* a control character in the value (RFC 9110 section 5.5): refused */
        if (((unsigned char)line[i] < 0x20 && line[i] != '\t') || line[i] == 0x7f)
            return -1;
    *name = line;
    *name_len = colon;
    *value = line + v;
    *value_len = end - v;
    return 0;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* Every listed name (and each one byte shorter, longer, or changed) in random letter case, and random names made of
 * their bytes: the tables give the answers the plain scans of the lists gave. */
static void test_lookups_match_first_version(void **state)
{
    const char *const *sets[] = {ref_hop, ref_req, ref_resp, prov_credential_headers};
    const char *names[256];
    size_t nn = 0;
    for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
        for (const char *const *h = sets[s]; *h != NULL && nn < 200; h++)
            names[nn++] = *h;
    size_t na;
    const prov_adapter_t *const *all = prov_all(&na);
    for (size_t i = 0; i < na; i++)
        for (const char *const *h = all[i]->account_headers; h != NULL && *h != NULL && nn < 250; h++)
            names[nn++] = *h;
    names[nn++] = "x-aigw-user";
    char buf[96];
    for (int round = 0; round < 40000; round++) {
        size_t len;
        if (round % 4 != 3) {
            const char *src = names[rnd() % nn];
            len = strlen(src);
            memcpy(buf, src, len);
            switch (rnd() % 4) {
            case 0:
                if (len > 0)
                    len--; /* one byte short */
                break;
            case 1:
                buf[len++] = "-ax:"[rnd() % 4]; /* one byte more */
                break;
            case 2:
                if (len > 0)
                    buf[rnd() % len] ^= (char)(1u << (rnd() % 8)); /* one bit changed: case, or another byte */
                break;
            default:
                break;
            }
        } else {
            len = rnd() % 24; /* random names over the listed names' bytes and a few others */
            static const char bytes[] = "connection-keep-alive:TEXAPIKEYgoog\x80\xc3 ";
            for (size_t i = 0; i < len; i++)
                buf[i] = bytes[rnd() % (sizeof(bytes) - 1)];
        }
        for (size_t i = 0; i < len; i++) /* random letter case */
            if (rnd() % 2 && buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] = (char)(buf[i] - 'a' + 'A');
        if (gw_headers_drop_request(buf, len) != ref_drop_request(buf, len))
            fail_msg("drop_request differs on \"%.*s\"", (int)len, buf);
        if (gw_headers_drop_response(buf, len) != ref_drop_response(buf, len))
            fail_msg("drop_response differs on \"%.*s\"", (int)len, buf);
    }
}

static void test_parse_line_matches_first_version(void **state)
{
    static const char alphabet[] = "aHhTtPp/:: \t\r\n\x7f\x80\x1f\x20xX-1";
    char buf[48];
    for (int round = 0; round < 200000; round++) {
        size_t len = rnd() % sizeof(buf);
        for (size_t i = 0; i < len; i++)
            buf[i] = alphabet[rnd() % (sizeof(alphabet) - 1)];
        if (round % 3 == 0 && len >= 5)
            memcpy(buf, (const char *[]){"HTTP/", "http/", "hTtP/", "HTTP:", "HTTPS"}[rnd() % 5], 5);
        const char *n1 = NULL, *v1 = NULL, *n2 = NULL, *v2 = NULL;
        size_t nl1 = 0, vl1 = 0, nl2 = 0, vl2 = 0;
        int r1 = gw_headers_parse_line(buf, len, &n1, &nl1, &v1, &vl1);
        int r2 = ref_parse_line(buf, len, &n2, &nl2, &v2, &vl2);
        if (r1 != r2 || n1 != n2 || nl1 != nl2 || v1 != v2 || vl1 != vl2)
            fail_msg("parse_line differs on a %zu-byte line (%d vs %d)", len, r1, r2);
    }
}

/* gw_headers_conflicting_framing against its version before issue 12, session 15 (every line through
 * gw_headers_parse_line; now only lines whose first colon is at byte 14 or 17), on random heads of framing fields in
 * every spelling, near-miss names, odd colons, spaces, CRs and control bytes. */
static int ref_conflicting_framing(const char *head, size_t len)
{
    const char *p = memchr(head, '\n', len), *end = head + len;
    const char *cl = NULL;
    size_t cl_len = 0;
    int n_te = 0, n_cl = 0, te_chunked = 1;
    if (p == NULL)
        return 0;
    for (p++; p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol != NULL ? eol : end;
        const char *name, *value;
        size_t nl, vl;
        size_t ll = (size_t)(line_end - p);
        if (ll == 0 || (ll == 1 && p[0] == '\r'))
            break;
        if (gw_headers_parse_line(p, ll, &name, &nl, &value, &vl) == 0) {
            if (nl == 17 && strncasecmp(name, "transfer-encoding", 17) == 0) {
                n_te++;
                if (!(vl == 7 && strncasecmp(value, "chunked", 7) == 0))
                    te_chunked = 0;
            } else if (nl == 14 && strncasecmp(name, "content-length", 14) == 0) {
                if (vl == 0 || vl > 19)
                    return 1;
                for (size_t i = 0; i < vl; i++)
                    if (value[i] < '0' || value[i] > '9')
                        return 1;
                if (n_cl++ != 0 && (vl != cl_len || memcmp(value, cl, vl) != 0))
                    return 1;
                cl = value;
                cl_len = vl;
            }
        }
        if (eol == NULL)
            break;
        p = eol + 1;
    }
    return n_te > 1 || (n_te == 1 && (n_cl != 0 || !te_chunked));
}

static void test_framing_matches_first_version(void **state)
{
    (void)state;
    static const char *const names[] = {"transfer-encoding",
                                        "Transfer-Encoding",
                                        "TRANSFER-ENCODING",
                                        "content-length",
                                        "Content-Length",
                                        "CONTENT-LENGTH",
                                        "transfer-encodin",
                                        "transfer-encodings",
                                        "content-lengt",
                                        "content-lengths",
                                        "Content-Length ",
                                        " Content-Length",
                                        "content\x01length",
                                        "Transfer-Encoding\r",
                                        "HTTP/1.1 content-l",
                                        "host",
                                        "x-a:b",
                                        "",
                                        "content-length:x",
                                        "transfer:encoding"};
    static const char *const values[] = {"chunked",
                                         "CHUNKED",
                                         "chunked ",
                                         " chunked",
                                         "gzip, chunked",
                                         "identity",
                                         "5",
                                         "05",
                                         "5 ",
                                         " 5",
                                         "5\r",
                                         "",
                                         "-1",
                                         "1e3",
                                         "12345678901234567890",
                                         "1234567890123456789",
                                         "5\x7f",
                                         "\t5",
                                         "5, 5",
                                         "a:b"};
    char head[1024];
    for (int round = 0; round < 100000; round++) {
        size_t n = 0;
        n += (size_t)snprintf(head, sizeof(head), "POST /v1/chat/completions HTTP/1.1%s", rnd() % 4 ? "\r\n" : "\n");
        for (uint32_t k = rnd() % 6; k > 0; k--) {
            const char *nm = names[rnd() % (sizeof(names) / sizeof(names[0]))];
            const char *v = values[rnd() % (sizeof(values) / sizeof(values[0]))];
            const char *sep = (const char *[]){":", ": ", ":  ", ":\t", " :"}[rnd() % 5];
            const char *eol = (const char *[]){"\r\n", "\n", "\r\n", "\r\r\n"}[rnd() % 4];
            n += (size_t)snprintf(head + n, sizeof(head) - n, "%s%s%s%s", nm, sep, v, eol);
        }
        if (rnd() % 3)
            n += (size_t)snprintf(head + n, sizeof(head) - n, "%s", rnd() % 2 ? "\r\n" : "\n");
        if (rnd() % 4 == 0 && n > 0)
            n = rnd() % n; /* cut anywhere */
        if (gw_headers_conflicting_framing(head, n) != ref_conflicting_framing(head, n))
            fail_msg("framing differs on \"%.*s\"", (int)n, head);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framing),
        cmocka_unit_test(test_user_id),
        cmocka_unit_test(test_request_headers),
        cmocka_unit_test(test_request_headers_every_declared_name),
        cmocka_unit_test(test_response_headers),
        cmocka_unit_test(test_forward_request_allow_list),
        cmocka_unit_test(test_parse_line),
        cmocka_unit_test(test_lookups_match_first_version),
        cmocka_unit_test(test_parse_line_matches_first_version),
        cmocka_unit_test(test_framing_matches_first_version),
        cmocka_unit_test(test_connection_listed),
        cmocka_unit_test(test_authorization_parse),
        cmocka_unit_test(test_client_and_admin_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
