/*
 * Fuzz target for common/utf8.h. Invariants on any bytes: gw_utf8_seq never reads past `avail`
 * (ASan) and returns 0..4; a valid sequence decodes to a scalar value (not a surrogate, at most
 * U+10FFFF, not overlong: its minimal encoding has exactly the same length) and gw_utf8_put writes
 * back the same bytes; the JSON escaper's output of the input is valid UTF-8 throughout.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < size;) {
        size_t k = gw_utf8_seq(data + i, size - i);
        if (k > 4 || k > size - i)
            abort();
        if (k == 0) {
            i++;
            continue;
        }
        unsigned cp = gw_utf8_decode(data + i, k);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            abort();
        char back[4];
        if (gw_utf8_put(back, cp) != k || memcmp(back, data + i, k) != 0)
            abort();
        i += k;
    }
    gw_buf_t out = GW_BUF_INIT;
    if (gw_json_escape((const char *)data, size, &out) == 0) {
        for (size_t i = 0; i < out.len;) {
            size_t k = gw_utf8_seq((const unsigned char *)out.base + i, out.len - i);
            if (k == 0)
                abort();
            i += k;
        }
    }
    gw_buf_free(&out);
    return 0;
}
