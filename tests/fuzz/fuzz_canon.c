/*
 * Fuzz target for gw_canon_target() / gw_canon_drop_query_param(). Invariants: no crash or
 * sanitizer report; on success the canonical path starts with '/', holds no "//", no trailing '/'
 * (except the root), no "." or ".." segment, no raw byte outside the pchar set and no '%' that is
 * not followed by two upper-case hex digits; out is NUL-terminated; canonicalising the output again
 * gives the same bytes (idempotent); dropping a query parameter leaves the path untouched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/canon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int pchar(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("-._~!$&'()*+,;=:@%/", c) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gw_buf_t out = GW_BUF_INIT, again = GW_BUF_INIT;
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
