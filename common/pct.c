/* Percent-decoding: see pct.h. */
#include "common/pct.h"

int gw_pct_decode(const char *s, size_t n, char *out, size_t cap, unsigned flags, size_t *out_len)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        int v = c == '%' ? gw_pct_at(s, n, i) : -1;
        if (v >= 0) {
            c = v;
            i += 2;
        } else if (c == '%' && (flags & GW_PCT_STRICT)) {
            return -1;
        } else if (c == '+' && (flags & GW_PCT_PLUS)) {
            c = ' ';
        }
        if ((c == 0 && (flags & GW_PCT_STRICT)) || cap - o < 2)
            return -1;
        out[o++] = (char)c;
    }
    if (cap == 0)
        return -1;
    out[o] = '\0';
    if (out_len != NULL)
        *out_len = o;
    return 0;
}

int gw_pct_decode_append(gw_buf_t *b, const char *s, size_t n, unsigned flags)
{
    size_t k = 0;
    if (gw_buf_reserve(b, n) != 0)
        return -1;
    if (gw_pct_decode(s, n, b->base + b->len, b->cap - b->len, flags, &k) != 0) {
        b->base[b->len] = '\0';
        return -1;
    }
    b->len += k;
    return 0;
}
