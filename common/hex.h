/*
 * Hex digits, the one copy (issue 15: json_strings.c, canon.c and both admin route files each had
 * their own): percent-escapes (RFC 3986 section 2.1) and JSON \\u escapes (RFC 8259 section 7).
 */
#ifndef AIGW_COMMON_HEX_H
#define AIGW_COMMON_HEX_H

/** The value 0..15 of the hex digit `c` (either case), or -1 when `c` is not one (any int, negative too). Pure. */
static inline int gw_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
