/*
 * Fuzz target for common/pct.h. The first input byte picks the flags (bits 0-1) and an output capacity
 * (the rest); the others are the text. Invariants on any bytes: gw_pct_decode agrees with a byte-at-a-time
 * reference decoder written from RFC 3986 section 2.1 (success, length, bytes), never writes past `cap` (ASan on a
 * heap buffer of exactly `cap` bytes), a lenient decode with cap n + 1 always succeeds and a strict success is
 * the lenient result; gw_pct_decode_append appends the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/pct.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ref_hex(uint8_t c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* @return decoded length, or -1 on a strict error; `out` has room for n bytes */
static long ref_decode(const uint8_t *s, size_t n, uint8_t *out, unsigned flags)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c == '%' && i + 2 < n && ref_hex(s[i + 1]) >= 0 && ref_hex(s[i + 2]) >= 0) {
            c = (uint8_t)(ref_hex(s[i + 1]) * 16 + ref_hex(s[i + 2]));
            i += 2;
        } else if (c == '%' && (flags & GW_PCT_STRICT)) {
            return -1;
        } else if (c == '+' && (flags & GW_PCT_PLUS)) {
            c = ' ';
        }
        if (c == 0 && (flags & GW_PCT_STRICT))
            return -1;
        out[o++] = c;
    }
    return (long)o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = data[0] & 3u;
    size_t cap = data[0] >> 2;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    uint8_t *want = malloc(n + 1);
    char *out = malloc(cap != 0 ? cap : 1), *full = malloc(n + 1);
    if (want == NULL || out == NULL || full == NULL)
        abort();
    long wl = ref_decode((const uint8_t *)s, n, want, flags);
    for (size_t i = 0; i <= n + 1; i++) {
        int v = gw_pct_at(s, n, i);
        if (v < -1 || v > 255 || (v >= 0 && s[i] != '%'))
            abort();
    }
    size_t got = 0;
    int rc = gw_pct_decode(s, n, out, cap, flags, &got);
    int fits = wl >= 0 && (size_t)wl < cap;
    if ((rc == 0) != fits || (rc == 0 && (got != (size_t)wl || memcmp(out, want, got) != 0 || out[got] != '\0')))
        abort();
    if (wl >= 0) {
        if (gw_pct_decode(s, n, full, n + 1, flags, &got) != 0 || got != (size_t)wl || memcmp(full, want, got) != 0)
            abort();
    } else if (gw_pct_decode(s, n, full, n + 1, flags & ~GW_PCT_STRICT, &got) != 0) {
        abort();
    }
    gw_buf_t b = GW_BUF_INIT;
    if (gw_buf_append(&b, "x", 1) != 0)
        abort();
    rc = gw_pct_decode_append(&b, s, n, flags);
    if ((rc == 0) != (wl >= 0) || b.len != 1 + (rc == 0 ? (size_t)wl : 0) || b.base[b.len] != '\0' ||
        (rc == 0 && memcmp(b.base + 1, want, (size_t)wl) != 0))
        abort();
    gw_buf_free(&b);
    free(want);
    free(out);
    free(full);
    return 0;
}
