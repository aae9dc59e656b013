/*
 * UTF-8 helpers every layer shares (RFC 3629): the length of the valid sequence at a position (no
 * overlong forms, no surrogates, nothing above U+10FFFF), decoding one valid sequence and encoding
 * one code point. The JSON reader, the payload sniffer and the store's display of old rows used to
 * carry their own copies of the same table. Inline: the JSON scanner calls gw_utf8_seq per
 * non-ASCII byte. Fuzzed by tests/fuzz/fuzz_utf8.c (round trip).
 */
#ifndef AIGW_COMMON_UTF8_H
#define AIGW_COMMON_UTF8_H

#include <stddef.h>

/** Bytes of U+FFFD REPLACEMENT CHARACTER, written for invalid input where output must stay valid. */
#define GW_UTF8_REPLACEMENT "\xef\xbf\xbd"

/**
 * Length (1..4) of the valid UTF-8 sequence at `s` (`avail` >= 1 bytes readable, borrowed), or 0
 * when it is invalid or truncated (RFC 3629 section 4 / Unicode table 3-7).
 */
static inline size_t gw_utf8_seq(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (avail >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (avail < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (avail < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
            return 0;
        return 4;
    }
    return 0;
}

/** Code point of the valid sequence of `k` bytes at `s` (k from gw_utf8_seq, > 0). */
static inline unsigned gw_utf8_decode(const unsigned char *s, size_t k)
{
    switch (k) {
    case 1:
        return s[0];
    case 2:
        return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    case 3:
        return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    default:
        return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    }
}

/**
 * Writes code point `cp` (<= 0x10FFFF; the caller has rejected surrogates) as UTF-8 to `d` (room for
 * 4 bytes). @return bytes written (1..4).
 */
static inline size_t gw_utf8_put(char *d, unsigned cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

#endif
