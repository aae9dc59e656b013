/*
 * gw_user_id_valid (see userid.h): one pass over the code points with the shared UTF-8 table.
 */
#include "common/userid.h"
#include "common/utf8.h"

int gw_user_id_valid(const char *s, size_t len)
{
    if (s == NULL || len == 0 || len > GW_USER_ID_MAX)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t k = gw_utf8_seq(p + i, len - i);
        if (k == 0)
            return 0; /* overlong, out of range, surrogate, truncated */
        unsigned cp = gw_utf8_decode(p + i, k);
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
            return 0;
        i += k;
    }
    return 1;
}
