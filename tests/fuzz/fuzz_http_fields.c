/*
 * Fuzz target for the small parsers of untrusted HTTP field values: the upstream's response header
 * lines (gw_headers_parse_line, which curl hands over raw), the raw HTTP/1.1 request head's framing
 * check (gw_headers_conflicting_framing, request smuggling), the Connection list
 * (gw_headers_in_connection), the upstream's Retry-After and retry-after-ms
 * (gw_retry_parse_retry_after*), the client's Authorization header (gw_auth_parse_authorization)
 * and the end-user id (gw_user_id_valid). The input is used whole by each parser (never
 * NUL-terminated: ASan catches any read past it); for the Connection list it is split at its first
 * newline into the list and the field name.
 * Invariants: no crash or sanitizer report; every pointer a parser returns lies inside the input;
 * a parsed header name is a non-empty token (no byte <= 0x20, no DEL or non-ASCII, no ':') and its
 * value has no leading or trailing blank; a key taken from Authorization is non-empty and has no
 * trailing blank; the Retry-After parsers return -1 or a non-negative count of ms, and
 * delta-seconds give exactly seconds * 1000; a valid user id is 1..GW_USER_ID_MAX bytes; every
 * parser answers the same twice (pure).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/userid.h"
#include "gateway/auth.h"
#include "gateway/headers.h"
#include "gateway/retry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(const char *p, size_t n, const char *base, size_t size)
{
    return p >= base && n <= size && (size_t)(p - base) <= size - n;
}

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

static void check_header_line(const char *s, size_t size)
{
    const char *name = NULL, *value = NULL;
    size_t nl = 0, vl = 0;
    int rc = gw_headers_parse_line(s, size, &name, &nl, &value, &vl);
    if (rc < -1 || rc > 2)
        abort();
    if (rc != 0)
        return;
    if (nl == 0 || !inside(name, nl, s, size) || !inside(value, vl, s, size))
        abort();
    for (size_t i = 0; i < nl; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= 0x20 || c >= 0x7f || c == ':')
            abort();
    }
    if (vl > 0 && (blank(value[0]) || blank(value[vl - 1]) || value[vl - 1] == '\r' || value[vl - 1] == '\n'))
        abort();
    const char *name2 = NULL, *value2 = NULL;
    size_t nl2 = 0, vl2 = 0;
    if (gw_headers_parse_line(s, size, &name2, &nl2, &value2, &vl2) != 0 || name2 != name || nl2 != nl || value2 != value ||
        vl2 != vl)
        abort();
}

static void check_retry_after(const char *s, size_t size)
{
    int64_t ms = gw_retry_parse_retry_after(s, size, 1700000000);
    if (ms < -1 || ms != gw_retry_parse_retry_after(s, size, 1700000000))
        abort();
    /* delta-seconds: only digits (blanks around them trimmed) are read as seconds */
    size_t a = 0, b = size;
    while (a < b && blank(s[a]))
        a++;
    while (b > a && blank(s[b - 1]))
        b--;
    if (b > a && b - a <= 9) {
        int64_t secs = 0;
        size_t i = a;
        for (; i < b && s[i] >= '0' && s[i] <= '9'; i++)
            secs = secs * 10 + (s[i] - '0');
        if (i == b && ms != secs * 1000)
            abort();
    }
    int64_t ms2 = gw_retry_parse_retry_after_ms(s, size);
    if (ms2 < -1 || ms2 != gw_retry_parse_retry_after_ms(s, size))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    check_header_line(s, size);

    int framing = gw_headers_conflicting_framing(s, size);
    if ((framing != 0 && framing != 1) || framing != gw_headers_conflicting_framing(s, size))
        abort();

    const char *nl = memchr(s, '\n', size);
    if (nl != NULL) {
        size_t cl = (size_t)(nl - s), rest = size - cl - 1;
        int in = gw_headers_in_connection(s, cl, nl + 1, rest);
        if ((in != 0 && in != 1) || (in == 1 && rest == 0))
            abort();
    }

    check_retry_after(s, size);

    const char *key = NULL;
    size_t kl = 0;
    if (gw_auth_parse_authorization(s, size, &key, &kl) == 0) {
        if (kl == 0 || !inside(key, kl, s, size) || blank(key[kl - 1]) || key[0] == ' ')
            abort();
    }

    int valid = gw_user_id_valid(s, size);
    if ((valid != 0 && valid != 1) || (valid == 1 && (size == 0 || size > GW_USER_ID_MAX)))
        abort();
    return 0;
}
