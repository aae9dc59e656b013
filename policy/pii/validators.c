/*
 * Validators for PII candidates: checksums and structural rules that turn a pattern match into
 * a finding. vectorscan only proposes candidates; these functions decide. They are hand-rolled
 * because each is a few lines of arithmetic over at most a few dozen bytes that must run in the
 * scan's hot path without allocation (no library offers Luhn/mod-97/SSN/NHS rules as a C API);
 * cryptographic hashes (SHA-256 for base58check) come from libsodium and IPv6 parsing from libc's
 * inet_pton. Every function is pure, bounded by its `len` and never reads past it.
 */
#include "policy/pii/pii_internal.h"

#include <arpa/inet.h>
#include <math.h>
#include <string.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif
#include <sodium.h>

int pol__luhn_ok(const char *s, size_t len)
{
    /* Luhn mod-10 (ISO/IEC 7812-1 annex B): from the right, double every second digit. */
    unsigned sum = 0, ndig = 0;
    for (size_t i = len; i-- > 0;) {
        if (s[i] < '0' || s[i] > '9')
            continue;
        unsigned d = (unsigned)(s[i] - '0');
        if (ndig & 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        ndig++;
    }
    return ndig > 1 && sum % 10 == 0;
}

static unsigned prefix_num(const char *d, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned)(d[i] - '0');
    return v;
}

int pol__card_ok(const char *d, size_t n)
{
    if (n < 12 || n > 19)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] < '0' || d[i] > '9')
            return 0;
    /* all one digit (0000 0000 0000 0000, 1111...) is a placeholder, not a card */
    size_t same = 1;
    while (same < n && d[same] == d[0])
        same++;
    if (same == n)
        return 0;
    /* IIN ranges by length (ISO/IEC 7812 registrations of the major networks, as listed by
     * the networks' public BIN tables): Visa 4 (13,16,19), Mastercard 51-55 and 2221-2720 (16),
     * Amex 34/37 (15), Discover 6011/644-649/65 (16-19), JCB 3528-3589 (16-19), Diners 300-305/36/38/39 (14-19),
     * UnionPay 62 (16-19), Maestro 50/56-69 (12-19), UATP 1 (15), Mir 2200-2204 (16-19; NSPK, session 11), Troy 979200-979289
     * (16; BKM, Türkiye's domestic scheme, session 13). */
    unsigned p1 = prefix_num(d, 1), p2 = prefix_num(d, 2), p3 = prefix_num(d, 3), p4 = prefix_num(d, 4);
    int ok = 0;
    if (p1 == 4 && (n == 13 || n == 16 || n == 19))
        ok = 1;
    else if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
        ok = n == 16;
    else if (p4 >= 2200 && p4 <= 2204)
        ok = n >= 16;
    else if (p2 == 34 || p2 == 37)
        ok = n == 15;
    else if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65)
        ok = n >= 16;
    else if (p4 >= 3528 && p4 <= 3589)
        ok = n >= 16;
    else if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39)
        ok = n >= 14;
    else if (p2 == 62)
        ok = n >= 16;
    else if (p2 == 50 || (p2 >= 56 && p2 <= 69))
        ok = 1;
    else if (p1 == 1)
        ok = n == 15;
    else if (p4 == 9792 && prefix_num(d, 6) <= 979289)
        ok = n == 16;
    return ok && pol__luhn_ok(d, n);
}

/* ISO 13616 IBAN registry (SWIFT, release 2024): country code and total length. */
static const struct {
    char cc[3];
    unsigned char len;
} iban_len[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22}, {"BI", 27},
    {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28},
    {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23},
    {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
    {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25},
    {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18},
    {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33},
    {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

int pol__iban_country(unsigned char a, unsigned char b)
{
    /* bit (second letter - 'A') of row (first letter - 'A'): the country codes of iban_len above
     * (test_pii's test_iban_country checks that both agree) */
    static const uint32_t rows[26] = {0x2080818, 0x10201d1, 0x3020080, 0x0004610, 0x0040050, 0x0024500, 0x00a0912,
                                      0x0120000, 0x00d0810, 0x0004000, 0x2400000, 0x1380106, 0x01a241c, 0x0004900,
                                      0x0001000, 0x00c0c00, 0x0000001, 0x0144000, 0x028551d, 0x0022800, 0x0000001,
                                      0x0000041, 0x0000000, 0x0000400, 0x0000010, 0x0000000};
    if (!pol__is_alpha(a) || !pol__is_alpha(b))
        return 0;
    return (int)(rows[(a & 0xDF) - 'A'] >> ((b & 0xDF) - 'A') & 1u);
}

int pol__iban_ok(const char *s, size_t len)
{
    if (len < 15 || len > 34)
        return 0;
    size_t want = 0;
    for (size_t i = 0; i < sizeof(iban_len) / sizeof(iban_len[0]); i++)
        if (iban_len[i].cc[0] == s[0] && iban_len[i].cc[1] == s[1]) {
            want = iban_len[i].len;
            break;
        }
    if (want != len || s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9')
        return 0;
    /* ISO 7064 mod 97-10: move the first 4 chars to the end, letters A=10..Z=35, value mod 97 == 1 */
    unsigned rem = 0;
    for (size_t k = 0; k < len; k++) {
        char ch = s[(k + 4) % len];
        if (ch >= '0' && ch <= '9')
            rem = (rem * 10 + (unsigned)(ch - '0')) % 97;
        else if (ch >= 'A' && ch <= 'Z')
            rem = (rem * 100 + (unsigned)(ch - 'A' + 10)) % 97;
        else
            return 0;
    }
    return rem == 1;
}

int pol__ssn_ok(const char *d)
{
    for (int i = 0; i < 9; i++)
        if (d[i] < '0' || d[i] > '9')
            return 0;
    unsigned area = prefix_num(d, 3), group = prefix_num(d + 3, 2), serial = prefix_num(d + 5, 4);
    /* SSA: area 000, 666 and 900-999 are never issued; group 00 and serial 0000 neither. */
    if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0)
        return 0;
    int same = 1;
    for (int i = 1; i < 9; i++)
        same &= d[i] == d[0];
    if (same)
        return 0;
    /* 078-05-1120 (Woolworth wallet card) and 219-09-9999 (SSA advertisement) were voided. */
    if (memcmp(d, "078051120", 9) == 0 || memcmp(d, "219099999", 9) == 0)
        return 0;
    return 1;
}

int pol__nhs_ok(const char *d)
{
    /* NHS Data Dictionary "NHS Number": weights 10..2 on the first 9 digits, check = 11 - sum mod 11,
     * 11 -> 0, 10 -> invalid. */
    unsigned sum = 0;
    for (int i = 0; i < 10; i++)
        if (d[i] < '0' || d[i] > '9')
            return 0;
    for (int i = 0; i < 9; i++)
        sum += (unsigned)(d[i] - '0') * (unsigned)(10 - i);
    unsigned check = 11 - sum % 11;
    if (check == 11)
        check = 0;
    if (check == 10)
        return 0;
    int same = 1;
    for (int i = 1; i < 10; i++)
        same &= d[i] == d[0];
    return !same && check == (unsigned)(d[9] - '0');
}

int pol__ipv4_ok(const char *s, size_t len)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= len || s[i] != '.')
                return 0;
            i++;
        }
        size_t st = i;
        unsigned v = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - st < 3)
            v = v * 10 + (unsigned)(s[i++] - '0');
        if (i == st || v > 255 || (s[st] == '0' && i - st > 1))
            return 0;
    }
    return i == len;
}

int pol__ipv6_ok(const char *s, size_t len)
{
    char tmp[64];
    unsigned char bin[16];
    if (len < 2 || len >= sizeof(tmp))
        return 0;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    return inet_pton(AF_INET6, tmp, bin) == 1;
}

static const char b58_alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int pol__btc_base58_ok(const char *s, size_t len)
{
    /* base58 decode into 25 bytes (version + 20-byte hash + 4-byte checksum), big-endian */
    unsigned char out[25];
    if (len < 26 || len > 35)
        return 0;
    memset(out, 0, sizeof(out));
    for (size_t i = 0; i < len; i++) {
        const char *p = memchr(b58_alphabet, s[i], 58);
        if (p == NULL || s[i] == '\0')
            return 0;
        unsigned carry = (unsigned)(p - b58_alphabet);
        for (int j = 24; j >= 0; j--) {
            carry += 58u * out[j];
            out[j] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
        if (carry != 0)
            return 0; /* overflow: too long for an address */
    }
    if (out[0] != 0x00 && out[0] != 0x05)
        return 0;
    unsigned char h1[crypto_hash_sha256_BYTES], h2[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h1, out, 21);
    crypto_hash_sha256(h2, h1, sizeof(h1));
    return memcmp(h2, out + 21, 4) == 0;
}

static uint32_t bech32_polymod(const unsigned char *v, size_t n)
{
    static const uint32_t gen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    uint32_t chk = 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v[i];
        for (int k = 0; k < 5; k++)
            if ((top >> k) & 1)
                chk ^= gen[k];
    }
    return chk;
}

int pol__btc_bech32_ok(const char *s, size_t len)
{
    /* BIP-173 / BIP-350: hrp "bc", separator '1', data in the 32-char charset, 6-char checksum;
     * witness v0 uses constant 1 (bech32), v1..16 use 0x2bc830a3 (bech32m). Mixed case is invalid. */
    static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    unsigned char v[96];
    if (len < 14 || len > 90)
        return 0;
    int lower = 0, upper = 0;
    for (size_t i = 0; i < len; i++) {
        lower |= s[i] >= 'a' && s[i] <= 'z';
        upper |= s[i] >= 'A' && s[i] <= 'Z';
    }
    if (lower && upper)
        return 0;
    if ((s[0] | 0x20) != 'b' || (s[1] | 0x20) != 'c' || s[2] != '1')
        return 0;
    size_t n = 0;
    v[n++] = 'b' >> 5;
    v[n++] = 'c' >> 5;
    v[n++] = 0;
    v[n++] = 'b' & 31;
    v[n++] = 'c' & 31;
    size_t ndata = 0;
    int witver = -1;
    for (size_t i = 3; i < len; i++) {
        char ch = (char)(s[i] | 0x20);
        const char *p = memchr(charset, ch, 32);
        if (p == NULL || ch == '\0')
            return 0;
        v[n++] = (unsigned char)(p - charset);
        if (ndata++ == 0)
            witver = p - charset;
    }
    if (ndata < 7 || witver > 16)
        return 0;
    uint32_t pm = bech32_polymod(v, n);
    return witver == 0 ? pm == 1 : pm == 0x2bc830a3;
}

int pol__jwt_ok(const char *s, size_t len)
{
    const char *dot1 = memchr(s, '.', len);
    if (dot1 == NULL)
        return 0;
    const char *dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - s));
    if (dot2 == NULL || dot1 - s < 10 || dot2 - dot1 < 5)
        return 0;
    size_t hlen = (size_t)(dot1 - s);
    unsigned char hdr[512];
    size_t bin_len = 0;
    if (hlen > 600)
        return 0;
    if (sodium_base642bin(hdr, sizeof(hdr) - 1, s, hlen, NULL, &bin_len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return 0;
    hdr[bin_len] = '\0';
    return hdr[0] == '{' && memmem(hdr, bin_len, "\"alg\"", 5) != NULL;
}

double pol__entropy(const char *s, size_t len)
{
    /* counts per byte value; the sum runs over the byte values that occur in increasing order
     * (a bitmap of them), the order of a loop over all 256 counts, so the result is the same
     * double without clearing and walking 256 counts per call */
    unsigned cnt[256];
    uint64_t seen[4] = {0, 0, 0, 0};
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(seen[c >> 6] >> (c & 63) & 1)) {
            seen[c >> 6] |= (uint64_t)1 << (c & 63);
            cnt[c] = 0;
        }
        cnt[c]++;
    }
    double h = 0;
    for (int k = 0; k < 4; k++)
        for (uint64_t m = seen[k]; m != 0; m &= m - 1) {
            double p = (double)cnt[k * 64 + __builtin_ctzll(m)] / (double)len;
            h -= p * log2(p);
        }
    return h;
}

size_t pol__cp_count(const char *s, size_t len)
{
    size_t n = 0, i = 0;
#if defined(__SSE2__) && defined(__x86_64__)
    /* 16 bytes per step: continuation bytes 0x80-0xBF are the signed bytes below -64; the
     * compare gives 0xFF per such byte, psadbw sums them (255 each) into two 64-bit lanes */
    const __m128i lim = _mm_set1_epi8((char)0xC0);
    __m128i acc = _mm_setzero_si128();
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        acc = _mm_add_epi64(acc, _mm_sad_epu8(_mm_cmplt_epi8(v, lim), _mm_setzero_si128()));
    }
    size_t cont = (size_t)_mm_cvtsi128_si64(acc) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
    n = i - cont / 255;
#endif
    for (; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}
