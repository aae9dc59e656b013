/*
 * Percent-decoding (RFC 3986 section 2.1; '+' as a space: the WHATWG URL standard's
 * application/x-www-form-urlencoded parser), the one copy: the request target and header values the
 * gateway scans (gateway/pipeline/parse.c), body strings holding escapes (gateway/privacy.c), the
 * PII engine's normalised copy (policy/pii/unicode.c), the canonical target (gateway/canon.c) and
 * the admin API's paths and query strings (gateway/admin_privacy.c, admin_ops.c) each had their own.
 * Pure. Fuzzed by tests/fuzz/fuzz_pct.c; unit tests in tests/unit/common/test_pct.c.
 */
#ifndef AIGW_COMMON_PCT_H
#define AIGW_COMMON_PCT_H

#include <stddef.h>

#include "common/buf.h"
#include "common/hex.h"

/**
 * The byte value (0..255) of the percent-escape at s[i]: '%' followed by two hex digits (either case) inside the
 * `n` bytes of `s` (borrowed). @return the value, or -1 when s[i] is not '%', a hex digit is missing (the escape is
 * truncated at `n`: "%4") or is not one ("%zz"). `i` < `n` is not required (-1 then). Pure.
 */
static inline int gw_pct_at(const char *s, size_t n, size_t i)
{
    if (i >= n || n - i < 3 || s[i] != '%')
        return -1;
    int h = gw_hexval((unsigned char)s[i + 1]), l = gw_hexval((unsigned char)s[i + 2]);
    return h < 0 || l < 0 ? -1 : h * 16 + l;
}

/** gw_pct_decode flags */
#define GW_PCT_PLUS 1u   /**< '+' decodes to a space (query strings and form bodies, not paths) */
#define GW_PCT_STRICT 2u /**< an invalid escape ('%' not starting one, as gw_pct_at), a raw NUL or "%00" is an error */

/**
 * Percent-decodes the `n` bytes of `s` (borrowed) into `out` (`cap` bytes, caller-owned) and NUL-terminates it. Each
 * valid escape becomes its byte, whatever it is: "%00" (without GW_PCT_STRICT) and bytes >= 0x80 are written as they
 * are (the result need not be text, nor UTF-8). Without GW_PCT_STRICT an invalid escape is copied as written ("%zz",
 * a trailing "%4", "50%"); '+' stays '+' without GW_PCT_PLUS. The decoded text is never longer than `s`, so
 * `cap` = `n` + 1 always fits.
 * @param out_len where the decoded length in bytes (without the NUL) is stored on success; may be NULL.
 * @return 0, or -1 when the result and its NUL do not fit in `cap` bytes (`cap` 0 included) or, with GW_PCT_STRICT,
 * on an invalid escape or a NUL (raw or %00); `out` then holds an unspecified prefix, not NUL-terminated.
 */
int gw_pct_decode(const char *s, size_t n, char *out, size_t cap, unsigned flags, size_t *out_len);

/**
 * gw_pct_decode appending to `b` (its bytes grow by the decoded length; a NUL is kept after them, as gw_buf_append).
 * @return 0, or -1 when memory runs out or on a GW_PCT_STRICT error (`b`'s length is then unchanged).
 */
int gw_pct_decode_append(gw_buf_t *b, const char *s, size_t n, unsigned flags);

#endif
