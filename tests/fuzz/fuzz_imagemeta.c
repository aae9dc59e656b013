/*
 * Fuzz target for pol_imagemeta_strip() and pol_imagemeta_strip_data_uri(). Invariants: no crash
 * or sanitizer report; a successful strip never grows the image and is idempotent (stripping the
 * output again changes nothing); the data: URI path gives the same verdict and the same bytes as
 * stripping the raw image.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "policy/imagemeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gw_buf_t out = GW_BUF_INIT, again = GW_BUF_INIT, uri = GW_BUF_INIT, out_uri = GW_BUF_INIT;
    pol_imagemeta_report_t rep, rep2;
    int rc = pol_imagemeta_strip(data, size, &out, &rep);
    if (rc == 1) {
        if (out.len > size || rep.bytes != size - out.len)
            abort();
        if (pol_imagemeta_strip((const unsigned char *)out.base, out.len, &again, &rep2) != 0)
            abort(); /* not idempotent */
    } else if (rc == 0) {
        if (out.len != 0 || rep.bytes != 0)
            abort();
    } else if (rc != POL_IMAGEMETA_E_CORRUPT && rc != POL_IMAGEMETA_E_UNSUPPORTED) {
        abort();
    }

    if (size <= 1 << 16) {
        size_t n = sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL);
        if (gw_buf_append(&uri, "data:image/png;base64,", 22) == 0 && gw_buf_reserve(&uri, n) == 0) {
            sodium_bin2base64(uri.base + uri.len, n, data, size, sodium_base64_VARIANT_ORIGINAL);
            uri.len += n - 1;
            int rc2 = pol_imagemeta_strip_data_uri(uri.base, uri.len, &out_uri, NULL, &rep2);
            if (rc2 != rc)
                abort();
            if (rc == 1) {
                unsigned char *bin = malloc(out_uri.len);
                size_t bl = 0;
                if (bin == NULL ||
                    sodium_base642bin(bin, out_uri.len, out_uri.base + 22, out_uri.len - 22, NULL, &bl, NULL,
                                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
                    bl != out.len || memcmp(bin, out.base, bl) != 0)
                    abort();
                free(bin);
            }
        }
    }
    gw_buf_free(&out);
    gw_buf_free(&again);
    gw_buf_free(&uri);
    gw_buf_free(&out_uri);
    return 0;
}
