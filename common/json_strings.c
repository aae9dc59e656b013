/*
 * JSON string literals (see json_internal.h for the module's files): the scanner that validates a
 * literal in place (RFC 8259 escapes, surrogate pairs, UTF-8; 16 (SSE2) or 8 (SWAR) plain bytes at a
 * time), the decoder of a literal already validated, and gw_json_unescape built from the two.
 * Escaping is in json_escape.c.
 */
#include "common/json.h"
#include "common/json_internal.h"
#include "common/hex.h"
#include "common/utf8.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static int hex4(const char *s, size_t avail, unsigned *out)
{
    if (avail < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = gw_hexval((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = (v << 4) | (unsigned)h;
    }
    *out = v;
    return 0;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define IS_LITTLE_ENDIAN 1
#else
#define IS_LITTLE_ENDIAN 0
#endif
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Scans the string starting at w->pos (a quote); leaves w->pos after the closing quote. */
int gw_json__scan_string(walk_t *w, int *has_esc)
{
    const unsigned char *s = (const unsigned char *)w->in;
    size_t n = w->len, i = w->pos + 1;
    int esc = 0;
    for (;;) {
        /* fast path: skip plain bytes (no quote, backslash, control or non-ASCII byte) 16 or 8 at a time and land on
           the first special byte */
#ifdef __SSE2__
        while (i + 16 <= n) {
            __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
            /* signed compare: bytes >= 0x80 are negative, so "< 0x20" catches control and non-ASCII bytes together */
            __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
                                     _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));
            unsigned mask = (unsigned)_mm_movemask_epi8(m);
            if (mask) {
                i += (size_t)__builtin_ctz(mask);
                goto special;
            }
            i += 16;
        }
#endif
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');
            uint64_t t = (((q - ONES) & ~q) | ((b - ONES) & ~b) | (x - ONES * 0x20) | x) & HIGHS;
            if (t) {
                /* borrows only produce false hits above a true one: the lowest hit is exact (little endian) */
                if (IS_LITTLE_ENDIAN)
                    i += (size_t)__builtin_ctzll(t) / 8;
                break;
            }
            i += 8;
        }
#ifdef __SSE2__
    special:
#endif
        if (i >= n) {
            w->pos = i;
            FAIL(w, GW_JSON_E_SYNTAX, "unterminated string");
        }
        unsigned c = s[i];
        if (c == '"') {
            w->pos = i + 1;
            *has_esc = esc;
            return 0;
        }
        if (c == '\\') {
            esc = 1;
            if (i + 1 >= n) {
                w->pos = i;
                FAIL(w, GW_JSON_E_SYNTAX, "unterminated string");
            }
            unsigned e = s[i + 1];
            if (e == 'u') {
                unsigned u;
                if (hex4((const char *)s + i + 2, n - i - 2, &u) != 0) {
                    w->pos = i;
                    FAIL(w, GW_JSON_E_SYNTAX, "invalid \\u escape");
                }
                if (u >= 0xD800 && u <= 0xDBFF) {
                    unsigned lo;
                    if (i + 7 < n && s[i + 6] == '\\' && s[i + 7] == 'u' && hex4((const char *)s + i + 8, n - i - 8, &lo) == 0 &&
                        lo >= 0xDC00 && lo <= 0xDFFF) {
                        i += 12;
                        continue;
                    }
                    w->pos = i;
                    FAIL(w, GW_JSON_E_UTF8, "unpaired surrogate escape");
                }
                if (u >= 0xDC00 && u <= 0xDFFF) {
                    w->pos = i;
                    FAIL(w, GW_JSON_E_UTF8, "unpaired surrogate escape");
                }
                i += 6;
                continue;
            }
            if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                i += 2;
                continue;
            }
            w->pos = i;
            FAIL(w, GW_JSON_E_SYNTAX, "invalid escape");
        }
        if (c < 0x20) {
            w->pos = i;
            FAIL(w, GW_JSON_E_SYNTAX, "control character in string");
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        /* a run of non-ASCII text (Chinese, Cyrillic, Arabic...): sequence after sequence here, where the 16-byte step
           above would stop at every character */
        do {
            size_t k = gw_utf8_seq(s + i, n - i);
            if (k == 0) {
                w->pos = i;
                FAIL(w, GW_JSON_E_UTF8, "invalid UTF-8 in string");
            }
            i += k;
        } while (i < n && s[i] >= 0x80);
    }
}

/* Decodes the body of an already validated string literal (without quotes); appends to out. */
int gw_json__decode(const char *s, size_t n, gw_buf_t *out)
{
    if (gw_buf_reserve(out, n) != 0) /* decoding never grows the text */
        return GW_JSON_E_NOMEM;
    char *d = out->base + out->len;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const char *bs = memchr(s + i, '\\', n - i);
        size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
        memcpy(d + o, s + i, run);
        o += run;
        i += run;
        if (i >= n)
            break;
        char e = s[i + 1];
        i += 2;
        switch (e) {
        case 'b':
            d[o++] = '\b';
            break;
        case 'f':
            d[o++] = '\f';
            break;
        case 'n':
            d[o++] = '\n';
            break;
        case 'r':
            d[o++] = '\r';
            break;
        case 't':
            d[o++] = '\t';
            break;
        case 'u': {
            unsigned u = 0, lo = 0;
            hex4(s + i, n - i, &u);
            i += 4;
            if (u >= 0xD800 && u <= 0xDBFF) {
                hex4(s + i + 2, n - i - 2, &lo);
                i += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            }
            o += gw_utf8_put(d + o, u);
            break;
        }
        default: /* " \ / */
            d[o++] = e;
            break;
        }
    }
    out->len += o;
    out->base[out->len] = '\0';
    return 0;
}

int gw_json_unescape(const char *raw, size_t len, gw_buf_t *out)
{
    walk_t w;
    memset(&w, 0, offsetof(walk_t, comp));
    w.in = raw;
    w.len = len;
    int esc;
    if (len < 2 || raw[0] != '"')
        return GW_JSON_E_SYNTAX;
    int rc = gw_json__scan_string(&w, &esc);
    if (rc != 0)
        return rc;
    if (w.pos != len)
        return GW_JSON_E_SYNTAX;
    return gw_json__decode(raw + 1, len - 2, out);
}
