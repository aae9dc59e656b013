/*
 * JSON string escaping (gw_json_escape, _flags, _into; see json.h): the one escaper of the
 * project, 16 bytes at a time (SSE2) while no byte needs a look; invalid UTF-8 becomes U+FFFD.
 * Unescaping is in json_strings.c (it validates with the walker's string scanner).
 */
#include "common/json.h"
#include "common/log.h"
#include "common/utf8.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

size_t gw_json_escape_into(char *d, const char *s, size_t len, unsigned flags)
{
    const char *hex = (flags & GW_JSON_ESC_UPPER_HEX) != 0 ? "0123456789ABCDEF" : "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    d[o++] = '"';
    for (size_t i = 0; i < len;) {
#ifdef __SSE2__
        /* 16 bytes at a time while none needs a look: '"', '\\', controls and non-ASCII (signed < 0x20) */
        while (i + 16 <= len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
            __m128i look = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
            unsigned m = (unsigned)_mm_movemask_epi8(look);
            unsigned k = m == 0 ? 16 : (unsigned)__builtin_ctz(m);
            memcpy(d + o, u + i, k);
            o += k;
            i += k;
            if (k < 16)
                break;
        }
        if (i >= len)
            break;
#endif
        unsigned c = u[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            d[o++] = (char)c;
            i++;
            continue;
        }
        if (c >= 0x80) {
            /* a run of non-ASCII text, sequence after sequence (the 16-byte step would stop at every character) */
            do {
                size_t k = gw_utf8_seq(u + i, len - i);
                if (k == 0) {
                    d[o++] = (char)0xEF;
                    d[o++] = (char)0xBF;
                    d[o++] = (char)0xBD;
                    i++;
                } else {
                    memcpy(d + o, u + i, k);
                    o += k;
                    i += k;
                }
            } while (i < len && u[i] >= 0x80);
            continue;
        }
        d[o++] = '\\';
        switch (c) {
        case '"':
            d[o++] = '"';
            break;
        case '\\':
            d[o++] = '\\';
            break;
        case '\n':
            d[o++] = 'n';
            break;
        case '\r':
            d[o++] = 'r';
            break;
        case '\t':
            d[o++] = 't';
            break;
        case '\b':
            d[o++] = 'b';
            break;
        case '\f':
            d[o++] = 'f';
            break;
        default:
            d[o++] = 'u';
            d[o++] = '0';
            d[o++] = '0';
            d[o++] = hex[c >> 4];
            d[o++] = hex[c & 15];
            break;
        }
        i++;
    }
    d[o++] = '"';
    return o;
}

int gw_json_escape_flags(const char *s, size_t len, gw_buf_t *out, unsigned flags)
{
    if (len > ((size_t)-1 - 3) / 6 || gw_buf_reserve(out, GW_JSON_ESCAPE_MAX(len) + 1) != 0)
        return GW_JSON_E_NOMEM;
    size_t n = gw_json_escape_into(out->base + out->len, s, len, flags);
    GW_ASSERT(n <= GW_JSON_ESCAPE_MAX(len));
    out->len += n;
    out->base[out->len] = '\0';
    return 0;
}

int gw_json_escape(const char *s, size_t len, gw_buf_t *out)
{
    return gw_json_escape_flags(s, len, out, 0);
}
