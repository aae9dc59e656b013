/*
 * Fuzz target for the numbering-plan check (policy/pii/phone.cc over libphonenumber; replayed over
 * tests/fuzz/corpus/phone_plan/ by ctest). The input is split at the first '|': the part before
 * is a region list as the recognizers pass it ("GB,DE", any bytes), the part after is the digit
 * string (any bytes, any length: the interface must refuse what is not 1-17 ASCII digits).
 * Invariants: both calls return one of the POL__PHONE_* values and never crash; the international
 * check of a string that is not all digits is invalid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/pii/pii_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *bar = memchr(p, '|', size);
    size_t rl = bar ? (size_t)(bar - p) : 0;
    const char *d = bar ? bar + 1 : p;
    size_t nd = size - (size_t)(d - p);
    char regions[64];
    if (rl >= sizeof(regions))
        rl = sizeof(regions) - 1;
    memcpy(regions, p, rl);
    regions[rl] = '\0'; /* the interface takes a NUL-terminated list */
    int a = pol__phone_intl(d, nd), b = pol__phone_national(d, nd, regions);
    if (a < POL__PHONE_INVALID || a > POL__PHONE_VALID || b < POL__PHONE_INVALID || b > POL__PHONE_VALID)
        abort();
    int digits = nd > 0;
    for (size_t i = 0; i < nd; i++)
        digits &= d[i] >= '0' && d[i] <= '9';
    if (!digits && a != POL__PHONE_INVALID)
        abort();
    return 0;
}
