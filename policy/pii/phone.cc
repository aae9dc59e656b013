/*
 * Phone numbers against real numbering-plan metadata: a thin C interface over Google's
 * libphonenumber (Apache-2.0; Debian libphonenumber-dev), the only C++ file of aigw.
 *
 * The recognizers (digits.c) find phone candidates in C at digit clusters; this file only
 * answers "is this digit string a number some country's numbering plan assigns?" for those
 * candidates. libphonenumber's own text parser (Parse, PhoneNumberMatcher) is not used: it runs
 * several regular expressions per call and is far too slow to scan text with, and the digits are
 * already separated from their grouping here. Instead the number is built directly (country code
 * + national significant number, with the leading-zero flags Italian-style plans need) and
 * checked with IsValidNumber / IsValidNumberForRegion, which match the national number against the
 * country's per-type patterns (fixed line, mobile, toll free, ...) of the compiled metadata. The
 * type itself is not asked for: GetNumberType would run the same matches a second time.
 *
 * Hand-kept formats (the old code) knew a dozen countries; the metadata knows every plan ITU
 * publishes, with the lengths and leading digits each type may have, so `+49 30 12345678` is valid
 * and `+49 99 1` or an order number dressed as `+1 123 456 7890` are not.
 *
 * No exception leaves this file (libphonenumber throws none except std::bad_alloc, which reads as
 * "not valid"); the library's logger is replaced by a silent one on first use, so nothing reaches
 * stderr. PhoneNumberUtil is a process-wide immutable singleton, safe to share between threads.
 */
#include <cstdint>
#include <cstring>
#include <string>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

extern "C" {
#include "policy/pii/pii_internal.h"
}

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace
{

const PhoneNumberUtil *util()
{
    /* a function-local static: initialised once, thread-safe (C++11 [stmt.dcl]/4) */
    static const PhoneNumberUtil *u = [] {
        PhoneNumberUtil *p = PhoneNumberUtil::GetInstance();
        p->SetLogger(new i18n::phonenumbers::NullLogger()); /* owned by the library from here on */
        return p;
    }();
    return u;
}

/* Fills n with country code cc and the national significant number d[0, nd) (digits, nd <= 17).
 * Leading zeros of the national number are kept the way libphonenumber stores them (the
 * italian_leading_zero flag and their count), as Italian landlines need. */
bool build(PhoneNumber *n, int cc, const char *d, size_t nd)
{
    if (nd == 0 || nd > 17)
        return false;
    size_t zeros = 0;
    while (zeros < nd && d[zeros] == '0')
        zeros++;
    if (zeros == nd)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < nd; i++) {
        if (d[i] < '0' || d[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(d[i] - '0');
    }
    n->Clear();
    n->set_country_code(cc);
    n->set_national_number(v);
    if (zeros > 0) {
        n->set_italian_leading_zero(true);
        if (zeros > 1)
            n->set_number_of_leading_zeros((int)zeros);
    }
    return true;
}

/* 1 if d[0, nd) is 1-17 ASCII digits: anything else is no number of any plan */
bool all_digits(const char *d, size_t nd)
{
    if (nd == 0 || nd > 17)
        return false;
    for (size_t i = 0; i < nd; i++)
        if (d[i] < '0' || d[i] > '9')
            return false;
    return true;
}

} // namespace

extern "C" void pol__phone_warmup(void)
{
    /* once per process: the metadata (about 30 million instructions) and the patterns of the most
     * asked plans compiled now, at engine creation, instead of on the first request with a number */
    static const bool done = [] {
        static const char *const intl[] = {"12015550123", "442079460958", "493012345678", "33123456789", "8613800138000"};
        for (const char *n : intl)
            (void)pol__phone_intl(n, strlen(n));
        (void)pol__phone_national("03012345678", 11, "GB,DE");
        return true;
    }();
    (void)done;
}

extern "C" int pol__phone_intl(const char *d, size_t nd)
{
    try {
        if (!all_digits(d, nd))
            return POL__PHONE_INVALID; /* (found by fuzz_phone_plan: "3R2..." read as +64) */
        const PhoneNumberUtil *u = util();
        PhoneNumber n;
        /* country codes are prefix-free (ITU-T E.164): at most one of the 1-, 2- and 3-digit
         * prefixes is an assigned code */
        for (size_t cl = 1; cl <= 3 && cl < nd; cl++) {
            int cc = 0;
            for (size_t i = 0; i < cl; i++)
                cc = cc * 10 + (d[i] - '0');
            std::string region;
            u->GetRegionCodeForCountryCode(cc, &region);
            if (region == "ZZ") /* unassigned; "001" is a non-geographic code (+800, +882...) */
                continue;
            if (!build(&n, cc, d + cl, nd - cl))
                return POL__PHONE_INVALID;
            /* the code's main country first (one pattern set: US for +1, RU for +7); IsValidNumber
             * then tries every region sharing the code (25 for +1) */
            return u->IsValidNumberForRegion(n, region) || u->IsValidNumber(n) ? POL__PHONE_VALID : POL__PHONE_INVALID;
        }
        return POL__PHONE_INVALID;
    } catch (...) {
        return POL__PHONE_INVALID;
    }
}

extern "C" int pol__phone_national(const char *d, size_t nd, const char *regions)
{
    try {
        if (!all_digits(d, nd))
            return POL__PHONE_INVALID;
        const PhoneNumberUtil *u = util();
        PhoneNumber n;
        for (const char *r = regions; r[0] != '\0' && r[1] != '\0'; r += r[2] == ',' ? 3 : 2) {
            std::string region(r, 2);
            int cc = u->GetCountryCodeForRegion(region);
            if (cc == 0)
                continue;
            /* strip the national (trunk) prefix of the region: "0" in most of Europe and Asia,
             * "1" in NANP, "8" in Russia; plans without one (IT, ES, DK...) keep every digit */
            std::string ndd;
            u->GetNddPrefixForRegion(region, true, &ndd);
            const char *p = d;
            size_t np = nd;
            if (!ndd.empty() && np > ndd.size() && memcmp(p, ndd.data(), ndd.size()) == 0)
                p += ndd.size(), np -= ndd.size();
            if (!build(&n, cc, p, np))
                continue;
            if (u->IsValidNumberForRegion(n, region))
                return POL__PHONE_VALID;
        }
        return POL__PHONE_INVALID;
    } catch (...) {
        return POL__PHONE_INVALID;
    }
}
