/*
 * Fuzz target for pol_payload_classify() / pol_payload_encode(). Invariants: no crash or sanitizer report; a TEXT
 * payload's decoded bytes are text (pol_payload_is_text); re-encoding them and classifying the result gives TEXT
 * again with the same bytes (the wrapping the privacy pass writes back is one it reads the same way); NONE leaves
 * the decoded buffer empty. pol_payload_classify_file() (declared file fields) on the same input: never NONE; a TEXT
 * verdict's bytes are text and re-encode to a value it reads back as the same TEXT; raw input that
 * pol_payload_classify() found to be an image, text or blob gets the same kind from it unless it is undecodable (mixed
 * base64 alphabets: refused either way); a file field only drops the length and hex rules.
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
    pol_payload_t f, g;
    gw_buf_t fdec = GW_BUF_INIT, fenc = GW_BUF_INIT, fdec2 = GW_BUF_INIT;
    if (pol_payload_classify_file((const char *)data, size, &f, &fdec) != 0)
        abort();
    if (f.kind == POL_PAYLOAD_NONE || (f.undecodable && f.kind != POL_PAYLOAD_BLOB))
        abort();
    if (p.kind != POL_PAYLOAD_NONE && !f.undecodable && f.kind != p.kind)
        abort();
    if (f.kind == POL_PAYLOAD_TEXT) {
        if (!pol_payload_is_text((const unsigned char *)fdec.base, fdec.len))
            abort();
        if (pol_payload_encode(&f, fdec.base != NULL ? fdec.base : "", fdec.len, &fenc) != 0)
            abort();
        if (pol_payload_classify_file(fenc.base != NULL ? fenc.base : "", fenc.len, &g, &fdec2) != 0)
            abort();
        if (g.kind != POL_PAYLOAD_TEXT || fdec2.len != fdec.len || (fdec.len && memcmp(fdec2.base, fdec.base, fdec.len) != 0))
            abort();
    }
    gw_buf_free(&fdec);
    gw_buf_free(&fenc);
    gw_buf_free(&fdec2);
    gw_buf_free(&dec);
    gw_buf_free(&enc);
    gw_buf_free(&dec2);
    return 0;
}
