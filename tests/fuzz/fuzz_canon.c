/*
 * Fuzz target for gw_canon_target() / gw_canon_drop_query_param(). Invariants: no crash or
 * sanitizer report; on success the canonical path starts with '/', holds no "//", no trailing '/'
 * (except the root), no "." or ".." segment, no raw byte outside the pchar set and no '%' that is
 * not followed by two upper-case hex digits; out is NUL-terminated; canonicalising the output again
 * gives the same bytes (idempotent); dropping a query parameter leaves the path untouched.
 * gw_canon_query_name_is (the input as a parameter name): 1 exactly when its percent-decoding ('+' a space), lower-cased,
 * is "fal_webhook" (a reference decode with common/pct).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/pct.h"
#include "gateway/canon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int pchar(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("-._~!$&'()*+,;=:@%/", c) != NULL);
}

/* gw_canon_query_name_is against a decode of its own: the name decoded ('+' a space), ASCII lower-cased. */
static void check_query_name(const char *p, size_t n)
{
    gw_buf_t d = GW_BUF_INIT;
    if (gw_pct_decode_append(&d, p, n, GW_PCT_PLUS) != 0)
        abort();
    for (size_t i = 0; i < d.len; i++)
        if (d.base[i] >= 'A' && d.base[i] <= 'Z')
            d.base[i] = (char)(d.base[i] - 'A' + 'a');
    int want = d.len == 11 && memcmp(d.base, "fal_webhook", 11) == 0;
    if (gw_canon_query_name_is(p, n, "fal_webhook") != want)
        abort();
    gw_buf_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gw_buf_t out = GW_BUF_INIT, again = GW_BUF_INIT;
    check_query_name((const char *)data, size);
    size_t pl = 0, pl2 = 0;
    const char *err = NULL;
    int rc = gw_canon_target((const char *)data, size, &out, &pl, &err);
    if (rc != 0) {
        if (err == NULL)
            abort();
        goto out;
    }
    if (pl == 0 || pl > out.len || out.base[0] != '/' || out.base[out.len] != '\0')
        abort();
    if (pl > 1 && out.base[pl - 1] == '/')
        abort();
    for (size_t i = 0; i < pl; i++) {
        unsigned char c = (unsigned char)out.base[i];
        if (!pchar(c))
            abort();
        if (c == '/' && i + 1 < pl && out.base[i + 1] == '/')
            abort();
        if (c == '%' && (i + 2 >= pl || !strchr("0123456789ABCDEF", out.base[i + 1]) ||
                         !strchr("0123456789ABCDEF", out.base[i + 2]) || out.base[i + 1] == '\0' || out.base[i + 2] == '\0'))
            abort();
        if (c == '/') {
            size_t j = i + 1;
            while (j < pl && out.base[j] != '/')
                j++;
            size_t n = j - i - 1;
            if ((n == 1 && out.base[i + 1] == '.') || (n == 2 && out.base[i + 1] == '.' && out.base[i + 2] == '.'))
                abort();
        }
    }
    if (gw_canon_target(out.base, out.len, &again, &pl2, &err) != 0 || again.len != out.len || pl2 != pl ||
        memcmp(again.base, out.base, out.len) != 0)
        abort();
    gw_canon_drop_query_param(&again, pl2, "key");
    if (again.len < pl || memcmp(again.base, out.base, pl) != 0 || again.base[again.len] != '\0')
        abort();
out:
    gw_buf_free(&out);
    gw_buf_free(&again);
    return 0;
}
