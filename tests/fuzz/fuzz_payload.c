/*
 * Fuzz target for pol_payload_classify() / pol_payload_encode(). Invariants: no crash or sanitizer report; a TEXT
 * payload's decoded bytes are text (pol_payload_is_text); re-encoding them and classifying the result gives TEXT
 * again with the same bytes (the wrapping the privacy pass writes back is one it reads the same way); NONE leaves
 * the decoded buffer empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    pol_payload_t p, q;
    gw_buf_t dec = GW_BUF_INIT, enc = GW_BUF_INIT, dec2 = GW_BUF_INIT;
    if (pol_payload_classify((const char *)data, size, &p, &dec) != 0)
        abort();
    if (p.kind == POL_PAYLOAD_NONE && dec.len != 0)
        abort();
    if (p.kind == POL_PAYLOAD_TEXT) {
        if (!pol_payload_is_text((const unsigned char *)dec.base, dec.len))
            abort();
        if (pol_payload_encode(&p, dec.base != NULL ? dec.base : "", dec.len, &enc) != 0)
            abort();
        if (pol_payload_classify(enc.base, enc.len, &q, &dec2) != 0)
            abort();
        /* short raw base64 re-encodes to short raw base64: still TEXT as long as it is not all hex digits */
        if (q.kind == POL_PAYLOAD_TEXT && (dec2.len != dec.len || (dec.len && memcmp(dec2.base, dec.base, dec.len) != 0)))
            abort();
        if (p.data_uri && q.kind != POL_PAYLOAD_TEXT)
            abort();
    }
    gw_buf_free(&dec);
    gw_buf_free(&enc);
    gw_buf_free(&dec2);
    return 0;
}
