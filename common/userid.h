/*
 * The one end-user id rule (issue 15: the edge, the CLI and the store each had their own). An id
 * goes into logs, the ledger, exports and CSV reports: a byte that is not text would corrupt them or
 * be read differently by each consumer (issue 10), so only printable UTF-8 is accepted.
 */
#ifndef AIGW_COMMON_USERID_H
#define AIGW_COMMON_USERID_H

#include <stddef.h>

#include "common/limits.h"

/**
 * 1 when `s` (`len` bytes, borrowed) may be an end-user id: 1..GW_USER_ID_MAX bytes of well-formed UTF-8 (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF) without control characters (C0, DEL, C1
 * U+0080..U+009F) or line / paragraph separators (U+2028, U+2029); else 0. Pure.
 */
int gw_user_id_valid(const char *s, size_t len);

#endif
