/*
 * Script-independent text handling for the PII engine: UTF-8 decoding, the word-boundary rule
 * every recognizer uses, and the normalised copy of a text that the scan runs on when the text
 * holds width or digit variants.
 *
 * Boundaries. A recognizer rejects a candidate glued to a word ("ABC1234567", "v1.2.3",
 * "x@y.comz"). Glue is an ASCII word byte [A-Za-z0-9_], or a combining mark whose base is one.
 * Every other code point is a boundary: letters of any other script (Chinese, Japanese and Thai
 * write no spaces between words; Korean and Japanese attach particles; Cyrillic, Arabic and
 * Devanagari prose puts PII next to punctuation of its own), punctuation, symbols and spaces of
 * any width. Before this file the recognizers took any byte >= 0x80 for a letter, so an e-mail
 * or phone number next to a Chinese character was never found.
 *
 * Normalisation. Full-width forms (U+FF01-FF5E, what Chinese and Japanese input methods type:
 * "１３８", "＠", "：", "－"), the ideographic space U+3000, no-break and thin spaces (U+00A0,
 * U+2000-200A, U+202F, U+205F), Unicode hyphens and minus (U+2010-2015, U+2212, U+FE63) and the
 * decimal digits of Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali and Thai are mapped
 * to their ASCII counterparts (the compatibility mappings of UnicodeData.txt for the full-width
 * and space forms, the digit value for the digits). The scan runs on that copy, so one set of
 * recognizers validates "４１１１ １１１１ １１１１ １１１１", "+7 912 345‑67‑89" and
 * "٠٥٠١٢٣٤٥٦٧"; the map takes every span back to byte offsets of the original text. Texts
 * without any of these code points (the common case, and every ASCII text) are scanned in
 * place: the test for them is one pass over the bytes, 16 at a time with SSE2.
 */
#include "policy/pii/pii_internal.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define U(p) ((unsigned char)(p))

size_t pol__cp_at(const char *t, size_t len, size_t i, uint32_t *cp)
{
    unsigned char b = U(t[i]);
    size_t n;
    uint32_t v;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF)
        n = 2, v = b & 0x1F;
    else if (b >= 0xE0 && b <= 0xEF)
        n = 3, v = b & 0x0F;
    else if (b >= 0xF0 && b <= 0xF4)
        n = 4, v = b & 0x07;
    else
        goto bad;
    if (i + n > len)
        goto bad;
    for (size_t k = 1; k < n; k++) {
        unsigned char c = U(t[i + k]);
        if ((c & 0xC0) != 0x80)
            goto bad;
        v = v << 6 | (c & 0x3F);
    }
    /* overlong forms, surrogates, > U+10FFFF */
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) || (v >= 0xD800 && v <= 0xDFFF))
        goto bad;
    *cp = v;
    return n;
bad:
    *cp = 0xFFFD;
    return 1;
}

size_t pol__cp_before(const char *t, size_t i, uint32_t *cp)
{
    /* the code point that ends at i: back over up to 3 continuation bytes to a lead that decodes to exactly there */
    for (size_t n = 1; n <= 4 && n <= i; n++) {
        unsigned char b = U(t[i - n]);
        if ((b & 0xC0) != 0x80) {
            uint32_t v;
            if (pol__cp_at(t, i, i - n, &v) == n) {
                *cp = v;
                return n;
            }
            break;
        }
    }
    *cp = i > 0 && U(t[i - 1]) < 0x80 ? U(t[i - 1]) : 0xFFFD;
    return 1;
}

static int is_mark(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

static int ascii_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

int pol__glue_before(const char *t, size_t i)
{
    while (i > 0) {
        unsigned char b = U(t[i - 1]);
        if (b < 0x80)
            return ascii_word(b);
        uint32_t cp;
        size_t n = pol__cp_before(t, i, &cp);
        if (!is_mark(cp))
            return 0;
        i -= n; /* a combining mark belongs to the character before it */
    }
    return 0;
}

int pol__glue_after(const char *t, size_t len, size_t i)
{
    return i < len && U(t[i]) < 0x80 && ascii_word(U(t[i]));
}

int pol__cp_alpha_letter(uint32_t cp)
{
    /* letters of the alphabetic scripts written with spaces between words, whose words may mix
     * with ASCII letters (names such as "José", "Müller", IDN labels): Latin-1 and Latin
     * Extended-A/B, IPA, combining diacritics, Greek, Cyrillic, Latin Extended Additional */
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x250 && cp <= 0x2AF) ||
           (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x370 && cp <= 0x3FF && cp != 0x37E && cp != 0x387) ||
           (cp >= 0x400 && cp <= 0x52F) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

int pol__cp_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2FA1F) || cp == 0x3005 /* 々 */;
}

/* ---- normalisation ---- */

/* The ASCII byte a code point normalises to, or 0 if it stays. */
static unsigned char norm_of(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return (unsigned char)(cp - 0xFF01 + 0x21);
    if (cp == 0x3000 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F)
        return ' ';
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63)
        return '-';
    if (cp >= 0x0660 && cp <= 0x0669)
        return (unsigned char)('0' + cp - 0x0660);
    if (cp >= 0x06F0 && cp <= 0x06F9)
        return (unsigned char)('0' + cp - 0x06F0);
    if (cp >= 0x0966 && cp <= 0x096F)
        return (unsigned char)('0' + cp - 0x0966);
    if (cp >= 0x09E6 && cp <= 0x09EF)
        return (unsigned char)('0' + cp - 0x09E6);
    if (cp >= 0x0E50 && cp <= 0x0E59)
        return (unsigned char)('0' + cp - 0x0E50);
    return 0;
}

/* lead bytes of every code point norm_of maps: C2 (U+00A0), D9/DB (Arabic-Indic), E0 (Devanagari,
 * Bengali, Thai), E2 (U+2000-2212), E3 (U+3000), EF (U+FE63, U+FF01-FF5E) */
static int norm_lead(unsigned char b)
{
    return b == 0xC2 || b == 0xD9 || b == 0xDB || b == 0xE0 || b == 0xE2 || b == 0xE3 || b == 0xEF;
}

/* Position of the first code point that normalises, or len. *scripts receives the POL__SCRIPT_*
 * bits of the scripts whose lead bytes occur (E3-ED kana, ideographs, Hangul; D0-D4 Cyrillic;
 * D8-DB Arabic; E0 A4/A5 Devanagari). */
static size_t first_norm(const char *t, size_t len, unsigned *scripts)
{
    size_t i = 0, found = len;
    *scripts = 0;
    while (i < len) {
#if defined(__SSE2__)
        /* ASCII runs: 64 bytes per step (one OR of four loads), then 16 */
        if (i + 64 <= len) {
            const __m128i *v = (const __m128i *)(const void *)(t + i);
            __m128i o = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(v), _mm_loadu_si128(v + 1)),
                                     _mm_or_si128(_mm_loadu_si128(v + 2), _mm_loadu_si128(v + 3)));
            if (_mm_movemask_epi8(o) == 0) {
                i += 64;
                continue;
            }
        }
        if (i + 16 <= len && _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(t + i))) == 0) {
            i += 16;
            continue;
        }
#endif
        for (size_t stop = i + 16 < len ? i + 16 : len; i < stop;) {
            unsigned char b = U(t[i]);
            if (b < 0x80) {
                i++;
                continue;
            }
            if (b >= 0xE3 && b <= 0xED)
                *scripts |= POL__SCRIPT_CJK;
            else if (b >= 0xD0 && b <= 0xD4)
                *scripts |= POL__SCRIPT_CYRILLIC;
            else if (b >= 0xD8 && b <= 0xDB)
                *scripts |= POL__SCRIPT_ARABIC;
            else if (b == 0xE0 && i + 1 < len && (U(t[i + 1]) == 0xA4 || U(t[i + 1]) == 0xA5))
                *scripts |= POL__SCRIPT_DEVANAGARI;
            uint32_t cp;
            size_t n = pol__cp_at(t, len, i, &cp);
            if (found == len && norm_lead(b) && norm_of(cp) != 0)
                found = i;
            i += n;
        }
    }
    return found;
}

int pol__normalize(pol__norm_t *nm, const char *t, size_t len, unsigned *scripts)
{
    size_t f = first_norm(t, len, scripts);
    nm->len = 0;
    if (f == len)
        return 0;
    if (len + 1 > nm->cap) {
        size_t cap = len + 1 + len / 4;
        char *b = realloc(nm->buf, cap);
        if (b == NULL)
            return -1;
        nm->buf = b;
        uint32_t *m = realloc(nm->map, cap * sizeof(*m));
        if (m == NULL)
            return -1;
        nm->map = m;
        nm->cap = cap;
    }
    /* output never grows: each mapped code point (2-3 bytes) becomes one byte */
    memcpy(nm->buf, t, f);
    for (size_t k = 0; k < f; k++)
        nm->map[k] = (uint32_t)k;
    size_t o = f;
    for (size_t i = f; i < len;) {
        unsigned char b = U(t[i]);
        if (b >= 0x80 && norm_lead(b)) {
            uint32_t cp;
            size_t n = pol__cp_at(t, len, i, &cp);
            unsigned char a = norm_of(cp);
            if (a != 0) {
                nm->buf[o] = (char)a;
                nm->map[o++] = (uint32_t)i;
                i += n;
                continue;
            }
        }
        nm->buf[o] = (char)b;
        nm->map[o++] = (uint32_t)i++;
    }
    nm->map[o] = (uint32_t)len;
    nm->len = o;
    return 1;
}

size_t pol__norm_start(const pol__norm_t *nm, size_t p)
{
    return nm->map[p];
}

size_t pol__norm_end(const pol__norm_t *nm, size_t p)
{
    /* a copied byte advances the original by one byte, a mapped code point by its length: the
     * start of normalised byte p is the end of byte p - 1 */
    return nm->map[p];
}
