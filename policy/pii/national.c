/*
 * National and sector identifiers: tax, social-security, identity-card, company and health
 * numbers of about thirty countries, MAC addresses and DEA numbers, each validated by the check
 * digit its standard defines (the standards are cited at each validator and listed in
 * docs/internals/pii.md).
 *
 * The prefilter (prefilter.c) calls pol__national_digits at the start of each digit run that
 * opens a cluster of >= 7 digits or that pol__national_maybe admits (a digit run inside a
 * letter-led word, digits glued to letters, "AB 12 ...", a MAC pair), and pol__national_colon
 * at each ':' after a hex digit. Every candidate is tried exactly once, from the event at its
 * first digit run: a letter-led word is taken only when no digit precedes that run inside the
 * word. The formats are written as small shape strings ("dd.ddd.ddd/dddd-dd") parsed in C, so no
 * vectorscan pattern is added and the full-text scan costs nothing more.
 *
 * Scores follow one rule so precision holds on prompts full of numbers (seeds, timestamps,
 * order numbers): a format whose shape or check is strong on its own (letters in fixed places,
 * a date plus a check digit, a formatted layout) scores >= 0.5 bare; a bare number whose only
 * evidence is a weak check (one digit in ten or eleven) scores below 0.5 and needs a context
 * word in the identifier's own language (+0.35) within 48 bytes before or 24 after. Numbers
 * after negative words (order, invoice, seed, ...) lose 0.4.
 */
#include "policy/pii/pii_internal.h"

#include <string.h>

#define U(p) POL__U(p)

static char upper(unsigned char c)
{
    return (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
}

int pol__national_type(int type)
{
    return type >= POL_PII_NATIONAL_FIRST && type < POL_PII_NATIONAL_END;
}

/* ---- shapes ---- */

/*
 * Parses the shape `sh` at t[p]: 'd' digit, 'L' letter (either case), 'U' capital, 'A' letter or
 * digit, 'H' hex digit, 'K' digit or X/x (CN check character), 'C' '-', '+' or a letter (FI century sign), '_' an optional
 * separator from " -" that must be the same byte as the other '_' of the match, '.' '-' '/' ' ' ':' and any other byte literally.
 * The characters taken (upper-cased, without separators) go to out[] (<= 31).
 * @return the end of the match, or 0
 */
static size_t shape(const char *t, size_t len, size_t p, const char *sh, char *out, size_t *nout, char *sepused)
{
    size_t n = 0;
    char sep = 0;
    for (; *sh; sh++) {
        if (*sh == '_') {
            if (p < len && (t[p] == ' ' || t[p] == '-') && (sep == 0 || sep == t[p]))
                sep = t[p++];
            continue;
        }
        if (p >= len || n >= 31)
            return 0;
        unsigned char ch = U(t[p]);
        int ok;
        switch (*sh) {
        case 'd':
            ok = pol__is_digit(ch);
            break;
        case 'L':
            ok = pol__is_alpha(ch);
            break;
        case 'U':
            ok = ch >= 'A' && ch <= 'Z';
            break;
        case 'A':
            ok = pol__is_alnum(ch);
            break;
        case 'H':
            ok = pol__is_hex(ch);
            break;
        case 'K':
            ok = pol__is_digit(ch) || ch == 'X' || ch == 'x';
            break;
        case 'C':
            ok = ch == '-' || ch == '+' || pol__is_alpha(ch);
            break;
        default:
            if (ch != U(*sh))
                return 0;
            p++;
            continue;
        }
        if (!ok)
            return 0;
        out[n++] = upper(ch);
        p++;
    }
    out[n] = '\0';
    *nout = n;
    if (sepused != NULL)
        *sepused = sep;
    return p;
}

/* the match [s, e) stands alone: no letter or digit glued on either side; a number is also not
 * continued by a separator and a digit ("130 692 544 123", "1234567890-12") */
static int standalone(const char *t, size_t len, size_t s, size_t e, char sep)
{
    if (s > 0 && (pol__is_alnum(U(t[s - 1])) || t[s - 1] == '+' || t[s - 1] == '_'))
        return 0;
    if (e < len && (pol__is_alnum(U(t[e])) || t[e] == '_'))
        return 0;
    if (e + 1 < len && pol__is_digit(U(t[e + 1])) && (t[e] == '-' || t[e] == '.' || t[e] == '/' || (sep == ' ' && t[e] == ' ')))
        return 0;
    if (s > 1 && pol__is_digit(U(t[s - 2])) && (t[s - 1] == '-' || t[s - 1] == '.' || t[s - 1] == '/'))
        return 0;
    return 1;
}

/* shape() for a letter-led word of wl alnum bytes: the shape's first word must be that long */
static size_t wshape(const char *t, size_t len, size_t w, size_t wl, const char *sh, char *out, size_t *nout, char *sepused)
{
    if (strcspn(sh, " -.:/_") != wl)
        return 0;
    return shape(t, len, w, sh, out, nout, sepused);
}

/* a MAC address can start at t[s]: its separators are where they must be */
static int mac_maybe(const char *t, size_t len, size_t s)
{
    if (s + 14 <= len && t[s + 4] == '.' && t[s + 9] == '.')
        return 1;
    return s + 17 <= len && (t[s + 2] == ':' || t[s + 2] == '-') && t[s + 5] == t[s + 2] && t[s + 8] == t[s + 2] &&
           t[s + 11] == t[s + 2] && t[s + 14] == t[s + 2];
}

/* ---- validators ---- */

static int dv(char c)
{
    return c - '0';
}

/* Luhn mod 10 over n digits, ISO/IEC 7812-1 annex B */
static int luhn(const char *d, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int x = dv(d[n - 1 - i]);
        if (i & 1)
            x = x * 2 > 9 ? x * 2 - 9 : x * 2;
        sum += x;
    }
    return sum % 10 == 0;
}

static int all_same(const char *d, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (d[i] != d[0])
            return 0;
    return 1;
}

static int num2(const char *d)
{
    return dv(d[0]) * 10 + dv(d[1]);
}

static int date_ok(int y, int m, int day)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || day < 1 || day > mdays[m - 1])
        return 0;
    if (m == 2 && day == 29 && y >= 0 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

/* weighted sum of n digits */
static int wsum(const char *d, const int *w, size_t n)
{
    int s = 0;
    for (size_t i = 0; i < n; i++)
        s += dv(d[i]) * w[i];
    return s;
}

/* ISO 7064 MOD 11,10 check digit of n digits (DE Steuer-IdNr, DE USt-IdNr) */
static int mod11_10(const char *d, size_t n)
{
    int product = 10;
    for (size_t i = 0; i < n; i++) {
        int sum = (dv(d[i]) + product) % 10;
        if (sum == 0)
            sum = 10;
        product = (sum * 2) % 11;
    }
    int check = 11 - product;
    return check == 10 ? 0 : check;
}

/* Verhoeff (dihedral group D5), UIDAI Aadhaar */
static int verhoeff(const char *d, size_t n)
{
    static const unsigned char m[10][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
                                            {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
                                            {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
                                            {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
                                            {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    static const unsigned char p[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
                                           {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
                                           {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                                           {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
    int c = 0;
    for (size_t i = 0; i < n; i++)
        c = m[c][p[i % 8][dv(d[n - 1 - i])]];
    return c == 0;
}

/* UK NINO (HMRC National Insurance Manual NIM39110): no D F I Q U V first, no D F I O Q U V
 * second, not BG GB NK KN TN NT ZZ, suffix A-D */
static int nino_ok(const char *v)
{
    static const char *const bad[] = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"};
    if (strchr("DFIQUV", v[0]) || strchr("DFIOQUV", v[1]) || v[8] < 'A' || v[8] > 'D')
        return 0;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (v[0] == bad[i][0] && v[1] == bad[i][1])
            return 0;
    return 1;
}

/* ES DNI/NIF letter: number mod 23 (Real Decreto 1553/2005, Ministerio del Interior table) */
static int nif_letter_ok(const char *digits, size_t nd, char letter)
{
    unsigned long n = 0;
    for (size_t i = 0; i < nd; i++)
        n = n * 10 + (unsigned long)dv(digits[i]);
    return "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23] == letter;
}

/* IT codice fiscale check character (DM 23/12/1976, art. 7): odd positions by the table, even by value */
static int it_fiscal_ok(const char *v)
{
    static const unsigned char odd[36] = {1,  0,  5, 7, 9,  13, 15, 17, 19, 21, 1,  0,  5,  7,  9,  13, 15, 17,
                                          19, 21, 2, 4, 18, 20, 11, 3,  6,  8,  12, 14, 16, 10, 22, 25, 24, 23};
    int sum = 0;
    for (int i = 0; i < 15; i++) {
        int k = pol__is_digit(U(v[i])) ? v[i] - '0' : v[i] - 'A' + 10;
        int even_val = pol__is_digit(U(v[i])) ? v[i] - '0' : v[i] - 'A';
        sum += (i % 2 == 0) ? odd[k] : even_val;
    }
    return v[15] == 'A' + sum % 26;
}

/* IT partita IVA: Luhn over 11 digits, office code 001-100, 120, 121, 888, 999 (DPR 633/1972 art. 35) */
static int it_vat_ok(const char *d)
{
    int office = dv(d[7]) * 100 + num2(d + 8);
    if (all_same(d, 11) || !((office >= 1 && office <= 100) || office == 120 || office == 121 || office == 888 || office == 999))
        return 0;
    return luhn(d, 11);
}

/* PL PESEL: date with the century in the month (+80 1800s, +0, +20, +40, +60), weights 1 3 7 9 (Ustawa o ewidencji ludności) */
static int pesel_ok(const char *d)
{
    static const int w[10] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
    int m = num2(d + 2), y = num2(d);
    int century = m > 80 ? 1800 : m > 60 ? 2200 : m > 40 ? 2100 : m > 20 ? 2000 : 1900;
    if (!date_ok(century + y, m % 20, num2(d + 4)))
        return 0;
    return (10 - wsum(d, w, 10) % 10) % 10 == dv(d[10]);
}

/* SG NRIC/FIN: weights 2 7 6 5 4 3 2, +4 for T/G, +3 for M; S/T table JZIHGFEDCBA, F/G/M table XWUTRQPNMLK (ICA) */
static int nric_ok(const char *v)
{
    static const int w[7] = {2, 7, 6, 5, 4, 3, 2};
    int s = wsum(v + 1, w, 7);
    if (v[0] == 'T' || v[0] == 'G')
        s += 4;
    else if (v[0] == 'M')
        s += 3;
    const char *tab = (v[0] == 'S' || v[0] == 'T') ? "JZIHGFEDCBA" : "XWUTRQPNMLK";
    return tab[s % 11] == v[8];
}

/* SG UEN for businesses (8 digits + letter) and local companies (yyyy + 5 digits + letter), ACRA weights */
static int uen_ok(const char *v, size_t n)
{
    static const int wa[8] = {10, 4, 9, 3, 8, 2, 7, 1}, wb[9] = {10, 8, 6, 4, 9, 7, 5, 3, 1};
    if (n == 9)
        return "XMKECAWLJDB"[wsum(v, wa, 8) % 11] == v[8];
    return "ZKCMDNERGWH"[wsum(v, wb, 9) % 11] == v[9];
}

/* SG UEN "others": T/S/R + year + entity type + 4 digits + letter (ACRA entity type codes) */
static int uen_other_ok(const char *v)
{
    static const char types[] = "LPLLFCPFRFMQMMNBCCCSMBFMGSGADPCPNRCMCDMDHSVHCHMHCLXLCXRPTUTCFBFNPAPBSSMCSM";
    if (v[0] != 'T' && v[0] != 'S' && v[0] != 'R')
        return 0;
    for (size_t i = 0; i + 1 < sizeof(types); i += 2)
        if (types[i] == v[3] && types[i + 1] == v[4])
            return 1;
    return 0;
}

/* AU TFN: weights 1 4 3 7 5 8 6 9 10, sum mod 11 == 0 (ATO) */
static int tfn_ok(const char *d)
{
    static const int w[9] = {1, 4, 3, 7, 5, 8, 6, 9, 10};
    return !all_same(d, 9) && wsum(d, w, 9) % 11 == 0;
}

/* AU ABN: subtract 1 from the first digit, weights 10 1 3 5 7 9 11 13 15 17 19, mod 89 == 0 (ABR) */
static int abn_ok(const char *d)
{
    static const int w[11] = {10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19};
    if (d[0] == '0')
        return 0;
    return (wsum(d, w, 11) - 10) % 89 == 0;
}

/* AU ACN: weights 8..1 on 8 digits, check = (10 - sum mod 10) mod 10 (ASIC) */
static int acn_ok(const char *d)
{
    static const int w[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    return (10 - wsum(d, w, 8) % 10) % 10 == dv(d[8]);
}

/* AU Medicare card: first digit 2-6, weights 1 3 7 9 1 3 7 9, sum mod 10 is the 9th digit (Services Australia) */
static int medicare_ok(const char *d)
{
    static const int w[8] = {1, 3, 7, 9, 1, 3, 7, 9};
    return d[0] >= '2' && d[0] <= '6' && wsum(d, w, 8) % 10 == dv(d[8]);
}

/* IN GSTIN: state 01-38, PAN, entity, 'Z', check over base 36 with factors 1, 2 (GSTN) */
static int gstin_ok(const char *v)
{
    int st = num2(v);
    if (!pol__is_digit(U(v[0])) || !pol__is_digit(U(v[1])) || st < 1 || st > 38 || v[13] != 'Z')
        return 0;
    int sum = 0;
    for (int i = 0; i < 14; i++) {
        int x = pol__is_digit(U(v[i])) ? v[i] - '0' : v[i] - 'A' + 10;
        int p = x * (i % 2 ? 2 : 1);
        sum += p / 36 + p % 36;
    }
    int c = (36 - sum % 36) % 36;
    return v[14] == (c < 10 ? '0' + c : 'A' + c - 10);
}

/* FI henkilötunnus: DDMMYY, century sign, 3 digits, check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[n mod 31] (VRK) */
static int hetu_ok(const char *v)
{
    static const char *const signs = "+-ABCDEFUVWXY";
    if (strchr(signs, v[6]) == NULL)
        return 0;
    int century = v[6] == '+' ? 1800 : (v[6] == '-' || strchr("UVWXY", v[6])) ? 1900 : 2000;
    if (!date_ok(century + num2(v + 4), num2(v + 2), num2(v)))
        return 0;
    unsigned long n = 0;
    for (int i = 0; i < 10; i++)
        if (i != 6)
            n = n * 10 + (unsigned long)dv(v[i]);
    return "0123456789ABCDEFHJKLMNPRSTUVWXY"[n % 31] == v[10] && pol__is_digit(U(v[7])) && pol__is_digit(U(v[8])) &&
           pol__is_digit(U(v[9]));
}

/* KR RRN / FRN: YYMMDD + gender/century digit; check weights 2..9,2..5: RRN (11 - s mod 11) mod 10, FRN (13 - s mod 11) mod 10 */
static int kr_kind(const char *d, int *check_ok)
{
    static const int w[12] = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
    int g = dv(d[6]);
    if (g == 9 || g == 0)
        return -1;
    int century = (g == 9 || g == 0) ? 1800 : (g <= 2 || g == 5 || g == 6) ? 1900 : 2000;
    if (!date_ok(century + num2(d), num2(d + 2), num2(d + 4)))
        return -1;
    int s = wsum(d, w, 12) % 11;
    if (g >= 5 && g <= 8) {
        *check_ok = (13 - s) % 10 == dv(d[12]);
        return POL_PII_KR_FRN;
    }
    *check_ok = (11 - s) % 10 == dv(d[12]);
    return POL_PII_KR_RRN;
}

/* KR business registration number: weights 1 3 7 1 3 7 1 3 5 + floor(9th * 5 / 10) (National Tax Service) */
static int kr_brn_ok(const char *d)
{
    static const int w[9] = {1, 3, 7, 1, 3, 7, 1, 3, 5};
    int s = wsum(d, w, 9) + dv(d[8]) * 5 / 10;
    return (10 - s % 10) % 10 == dv(d[9]) && !all_same(d, 10);
}

/* SE personnummer / samordningsnummer (day + 60): date, Luhn over the 10-digit form (Skatteverket SKV 704) */
static int se_pnr_ok(const char *d10, int century)
{
    int day = num2(d10 + 4);
    if (day > 60)
        day -= 60;
    return date_ok(century >= 0 ? century + num2(d10) : 2000, num2(d10 + 2), day) && luhn(d10, 10);
}

/* TR T.C. kimlik no (Nüfus ve Vatandaşlık İşleri): d10 = (7 * odd - even) mod 10, d11 = sum of the first 10 mod 10 */
static int tckn_ok(const char *d)
{
    int odd = dv(d[0]) + dv(d[2]) + dv(d[4]) + dv(d[6]) + dv(d[8]);
    int even = dv(d[1]) + dv(d[3]) + dv(d[5]) + dv(d[7]);
    int s10 = odd + even + dv(d[9]);
    return d[0] != '0' && ((odd * 7 - even) % 10 + 10) % 10 == dv(d[9]) && s10 % 10 == dv(d[10]);
}

/* DE steuerliche Identifikationsnummer (§ 139b AO): first digit not 0, in the first 10 digits one
 * digit twice or three times (or, as Presidio's cases do, none repeated), ISO 7064 MOD 11,10 */
static int de_taxid_ok(const char *d)
{
    int cnt[10] = {0}, twice = 0, more = 0;
    if (d[0] == '0')
        return 0;
    for (int i = 0; i < 10; i++)
        cnt[dv(d[i])]++;
    for (int k = 0; k < 10; k++) {
        if (cnt[k] == 2 || cnt[k] == 3)
            twice++;
        else if (cnt[k] > 3)
            more++;
    }
    return more == 0 && twice <= 1 && mod11_10(d, 10) == dv(d[10]);
}

/* ICAO 9303 part 3 check digit (weights 7 3 1, A = 10 .. Z = 35): DE Personalausweis/Reisepass serial */
static int icao_ok(const char *v, size_t n)
{
    static const int w[3] = {7, 3, 1};
    int s = 0;
    for (size_t i = 0; i + 1 < n; i++)
        s += (pol__is_digit(U(v[i])) ? v[i] - '0' : v[i] - 'A' + 10) * w[i % 3];
    return s % 10 == dv(v[n - 1]) && pol__is_digit(U(v[n - 1]));
}

/* US ITIN (IRS): 9XX, group 50-65, 70-88, 90-92, 94-99 */
static int itin_ok(const char *d)
{
    int g = num2(d + 3);
    return d[0] == '9' && ((g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94);
}

/* US NPI (CMS, 45 CFR 162.406): 10 digits starting 1 or 2, Luhn over "80840" + the number */
static int npi_ok(const char *d)
{
    char b[15];
    memcpy(b, "80840", 5);
    memcpy(b + 5, d, 10);
    return (d[0] == '1' || d[0] == '2') && luhn(b, 15) && !all_same(d + 1, 9);
}

/* US MBI (CMS): C A AN N A AN N A A N N; letters exclude S L O I B Z */
static int mbi_ok(const char *v)
{
    static const char *const shape_ = "CAPNAPNAANN";
    for (int i = 0; i < 11; i++) {
        unsigned char ch = U(v[i]);
        int letter = ch >= 'A' && ch <= 'Z' && strchr("SLOIBZ", ch) == NULL;
        switch (shape_[i]) {
        case 'C':
            if (ch < '1' || ch > '9')
                return 0;
            break;
        case 'N':
            if (!pol__is_digit(ch))
                return 0;
            break;
        case 'A':
            if (!letter)
                return 0;
            break;
        default:
            if (!letter && !pol__is_digit(ch))
                return 0;
        }
    }
    return 1;
}

/* ABA routing transit number (ABA / Federal Reserve): prefix 00-12, 21-32, 61-72, 80; 3 7 1 weights mod 10 */
static int aba_ok(const char *d)
{
    static const int w[9] = {3, 7, 1, 3, 7, 1, 3, 7, 1};
    int p = num2(d);
    if (!(p <= 12 || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p == 80) || all_same(d, 9))
        return 0;
    return wsum(d, w, 9) % 10 == 0;
}

/* DEA registration number (21 CFR 1301): registrant type letter, name letter or 9, 7 digits,
 * (d1 + d3 + d5) + 2 (d2 + d4 + d6) ends in d7 */
static int dea_ok(const char *v)
{
    if (strchr("ABCDEFGHJKLMPRSTUX", v[0]) == NULL || !(pol__is_alpha(U(v[1])) || v[1] == '9'))
        return 0;
    const char *d = v + 2;
    int s = dv(d[0]) + dv(d[2]) + dv(d[4]) + 2 * (dv(d[1]) + dv(d[3]) + dv(d[5]));
    return s % 10 == dv(d[6]);
}

/* CN 居民身份证 (GB 11643-1999): region, YYYYMMDD, sequence, ISO 7064 MOD 11-2 check (0-9, X) */
static int cn_id_ok(const char *v)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int y = dv(v[6]) * 1000 + dv(v[7]) * 100 + num2(v + 8);
    if (v[0] < '1' || v[0] > '8' || y < 1880 || y > 2099 || !date_ok(y, num2(v + 10), num2(v + 12)))
        return 0;
    return "10X98765432"[wsum(v, w, 17) % 11] == v[17];
}

/* JP 個人番号 (My Number, 番号法施行令 第8条): weights q = n + 1 (n <= 6) or n - 5, remainder r, check 0 if r <= 1 else 11 - r */
static int my_number_ok(const char *d)
{
    int s = 0;
    for (int n = 1; n <= 11; n++)
        s += dv(d[11 - n]) * (n <= 6 ? n + 1 : n - 5);
    int r = s % 11;
    return (r <= 1 ? 0 : 11 - r) == dv(d[11]) && !all_same(d, 12);
}

/* BR CPF (Receita Federal): two mod-11 check digits, weights 10..2 and 11..2 */
static int cpf_ok(const char *d)
{
    if (all_same(d, 11))
        return 0;
    for (int k = 9; k <= 10; k++) {
        int s = 0;
        for (int i = 0; i < k; i++)
            s += dv(d[i]) * (k + 1 - i);
        if ((s * 10 % 11) % 10 != dv(d[k]))
            return 0;
    }
    return 1;
}

/* BR CNPJ (Receita Federal): two mod-11 check digits, weights 5..2,9..2 and 6..2,9..2 */
static int cnpj_ok(const char *d)
{
    static const int w1[12] = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}, w2[13] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
    if (all_same(d, 14))
        return 0;
    int r = wsum(d, w1, 12) % 11;
    if ((r < 2 ? 0 : 11 - r) != dv(d[12]))
        return 0;
    r = wsum(d, w2, 13) % 11;
    return (r < 2 ? 0 : 11 - r) == dv(d[13]);
}

/* MX CURP (RENAPO, DOF 1996 instructivo): 4 letters, YYMMDD, H/M/X, state, 3 consonants,
 * homoclave, check = (10 - sum(val * (18 - i)) mod 10) mod 10 over "0-9A-NÑO-Z" */
static int curp_ok(const char *v)
{
    static const char states[] = "ASBCBSCCCLCMCSCHDFDGGTGRHGJCMCMNMSNTNLOCPLQTQRSPSLSRTCTSTLVZYNZSNE";
    int st = 0;
    if (strchr("AEIOUX", v[1]) == NULL || strchr("HMX", v[10]) == NULL || !date_ok(-1, num2(v + 6), num2(v + 8)))
        return 0;
    for (size_t i = 0; i + 1 < sizeof(states); i += 2)
        st |= states[i] == v[11] && states[i + 1] == v[12];
    if (!st)
        return 0;
    int s = 0;
    for (int i = 0; i < 17; i++) {
        int x = pol__is_digit(U(v[i])) ? v[i] - '0' : v[i] - 'A' + 10 + (v[i] > 'N'); /* Ñ sits after N */
        s += x * (18 - i);
    }
    return (10 - s % 10) % 10 == dv(v[17]);
}

/* FR NIR (INSEE, numéro de sécurité sociale): sex 1/2 (3, 4, 7, 8 provisional), month 01-12 or
 * 20, 30-42, 50-99 (unknown), key = 97 - (first 13 digits mod 97); Corsica (2A/2B) not covered */
static int nir_ok(const char *d)
{
    int m = num2(d + 3);
    if (strchr("123478", d[0]) == NULL || !((m >= 1 && m <= 12) || m == 20 || (m >= 30 && m <= 42) || m >= 50))
        return 0;
    unsigned long long n = 0;
    for (int i = 0; i < 13; i++)
        n = n * 10 + (unsigned long long)dv(d[i]);
    return 97 - (int)(n % 97) == num2(d + 13);
}

/* NL BSN, elfproef (Wet algemene bepalingen burgerservicenummer): sum d_i (9 - i) - d9 == 0 mod 11 */
static int bsn_ok(const char *d)
{
    static const int w[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    return !all_same(d, 9) && (wsum(d, w, 8) - dv(d[8])) % 11 == 0;
}

/* DK CPR (CPR-kontoret): DDMMYY valid; modulus 11 (weights 4 3 2 7 6 5 4 3 2 1) is no longer
 * guaranteed since 2007, so it only raises the score */
static int cpr_date_ok(const char *d)
{
    return date_ok(-1, num2(d + 2), num2(d));
}

static int cpr_mod11(const char *d)
{
    static const int w[10] = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
    return wsum(d, w, 10) % 11 == 0;
}

/* NO fødselsnummer / D-nummer (day + 40) (Skatteetaten): two mod-11 check digits */
static int no_fnr_ok(const char *d)
{
    static const int w1[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2}, w2[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int day = num2(d);
    if (day > 40)
        day -= 40;
    if (!date_ok(-1, num2(d + 2), day))
        return 0;
    int k1 = 11 - wsum(d, w1, 9) % 11, k2;
    if (k1 == 11)
        k1 = 0;
    if (k1 == 10 || k1 != dv(d[9]))
        return 0;
    k2 = 11 - wsum(d, w2, 10) % 11;
    if (k2 == 11)
        k2 = 0;
    return k2 != 10 && k2 == dv(d[10]);
}

/* BE rijksregisternummer / numéro national (Wet 8 augustus 1983): YYMMDD (00 allowed), 3 digits,
 * check = 97 - (first 9 digits mod 97), with a leading 2 for births from 2000 */
static int be_nn_ok(const char *d)
{
    int m = num2(d + 2), day = num2(d + 4);
    if (m > 12 || day > 31)
        return 0;
    unsigned long n = 0;
    for (int i = 0; i < 9; i++)
        n = n * 10 + (unsigned long)dv(d[i]);
    int cc = num2(d + 9);
    return 97 - (int)(n % 97) == cc || 97 - (int)((2000000000ul + n) % 97) == cc;
}

/* ZA identity number (Identification Act 68 of 1997): YYMMDD, 4 digits, citizenship 0-2, 1 digit, Luhn */
static int za_ok(const char *d)
{
    return date_ok(-1, num2(d + 2), num2(d + 4)) && d[10] <= '2' && luhn(d, 13);
}

/* TH บัตรประชาชน (Department of Provincial Administration): first digit 1-8, check = (11 - sum d_i (13 - i) mod 11) mod 10 */
static int th_ok(const char *d)
{
    int s = 0;
    for (int i = 0; i < 12; i++)
        s += dv(d[i]) * (13 - i);
    return d[0] >= '1' && d[0] <= '8' && (11 - s % 11) % 10 == dv(d[12]);
}

/* UK DVLA driving licence number: 5 surname characters (9-padded), decade, month (+50 female),
 * day, year, 2 initials (9-padded), 1 digit, 2 check characters */
static int uk_dl_ok(const char *v)
{
    for (int i = 0; i < 5; i++)
        if (!(pol__is_alpha(U(v[i])) || (i > 0 && v[i] == '9')))
            return 0;
    for (int i = 1; i < 5; i++)
        if (v[i - 1] == '9' && v[i] != '9')
            return 0;
    int m = num2(v + 6);
    if (m > 50)
        m -= 50;
    if (!date_ok(-1, m, num2(v + 8)))
        return 0;
    return (pol__is_alpha(U(v[11])) || v[11] == '9') && (pol__is_alpha(U(v[12])) || v[12] == '9') && pol__is_digit(U(v[13])) &&
           pol__is_alnum(U(v[14])) && pol__is_alnum(U(v[15])) && pol__is_alpha(U(v[14]));
}

/* IN vehicle registration (Central Motor Vehicles Rules 1989, rule 50): state / UT code */
static int in_state_ok(const char *v)
{
    static const char states[] = "ANAPARASBRCGCHDDDLDNGAGJHPHRJHJKKAKLLALDMHMLMNMPMZNLODORPBPYRJSKTGTNTRTSUKUPUTWB";
    for (size_t i = 0; i + 1 < sizeof(states); i += 2)
        if (states[i] == v[0] && states[i + 1] == v[1])
            return 1;
    return 0;
}

/* DE Krankenversichertennummer (GKV-Spitzenverband, § 290 SGB V): letter as 01-26, 8 digits,
 * weights 1 2 1 2 ... with digit sums of the products, mod 10 */
static int de_kvnr_ok(const char *v)
{
    char d[10];
    int l = v[0] - 'A' + 1, s = 0;
    d[0] = (char)('0' + l / 10), d[1] = (char)('0' + l % 10);
    memcpy(d + 2, v + 1, 8);
    for (int i = 0; i < 10; i++) {
        int p = dv(d[i]) * (i % 2 ? 2 : 1);
        s += p / 10 + p % 10;
    }
    return s % 10 == dv(v[9]);
}

/* DE Rentenversicherungsnummer (DRV, VKVV § 2): area, DDMMYY, initial as 01-26, serial, check
 * over weights 2 1 2 5 7 1 2 1 2 1 2 1 with digit sums of the products, mod 10 */
static int de_rvnr_ok(const char *v)
{
    static const int w[12] = {2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1};
    char d[12];
    int l = v[8] - 'A' + 1, s = 0;
    if (!date_ok(-1, num2(v + 4), num2(v + 2)))
        return 0;
    memcpy(d, v, 8);
    d[8] = (char)('0' + l / 10), d[9] = (char)('0' + l % 10);
    memcpy(d + 10, v + 9, 2);
    for (int i = 0; i < 12; i++) {
        int p = dv(d[i]) * w[i];
        s += p / 10 + p % 10;
    }
    return s % 10 == dv(v[11]);
}

/* ---- context ---- */

static const char *const w_nino[] = {"national insurance", "nino", "ni number", "ni no", NULL};
static const char *const w_nif[] = {"nif", "dni", "documento nacional", "identidad", NULL};
static const char *const w_nie[] = {"nie", "extranjero", "extranjería", NULL};
static const char *const w_es_pass[] = {"pasaporte", NULL};
static const char *const w_it_cf[] = {"codice fiscale", "cf", "c.f", NULL};
static const char *const w_it_vat[] = {"partita iva", "p.iva", "piva", "p. iva", "iva", "vat", NULL};
static const char *const w_it_pass[] = {"passaporto", NULL};
static const char *const w_it_card[] = {"carta d'identità", "carta di identità", "carta d’identità", "cie", NULL};
static const char *const w_it_dl[] = {"patente", "license", "licence", NULL};
static const char *const w_pesel[] = {"pesel", NULL};
static const char *const w_nric[] = {"nric", "fin", "ic", NULL};
static const char *const w_uen[] = {"uen", NULL};
static const char *const w_tfn[] = {"tfn", "tax file", NULL};
static const char *const w_abn[] = {"abn", "australian business", NULL};
static const char *const w_acn[] = {"acn", "company number", NULL};
static const char *const w_medicare[] = {"medicare", NULL};
static const char *const w_pan[] = {"pan", "permanent account", NULL};
static const char *const w_aadhaar[] = {"aadhaar", "aadhar", "uidai", "uid", "आधार", NULL};
static const char *const w_voter[] = {"voter", "epic", "election", "vote", NULL};
static const char *const w_in_pass[] = {"passport", "पासपोर्ट", NULL};
static const char *const w_vehicle[] = {"vehicle", "registration", "car", "bike", "plate", NULL};
static const char *const w_gstin[] = {"gstin", "gst", NULL};
static const char *const w_hetu[] = {"henkilötunnus", "hetu", "personal identity code", "sotu", NULL};
static const char *const w_kr[] = {"주민등록번호", "주민번호", "rrn", "외국인등록번호", "frn", "resident registration", NULL};
static const char *const w_kr_brn[] = {"사업자등록번호", "사업자", "brn", "business registration", NULL};
static const char *const w_kr_pass[] = {"여권", "passport", NULL};
static const char *const w_se[] = {"personnummer", "pnr", "samordningsnummer", NULL};
static const char *const w_se_org[] = {"organisationsnummer", "orgnr", "orgnummer", "org.nr", NULL};
static const char *const w_tckn[] = {"kimlik", "tckn", "t.c", "tc kimlik", "nüfus", NULL};
static const char *const w_sin[] = {"sin", "social insurance", "nas", "assurance sociale", NULL};
static const char *const w_de_tax[] = {"steuer-id", "steuerid", "idnr", "steueridentifikationsnummer", "identifikationsnummer",
                                       "tin",       NULL};
static const char *const w_de_vat[] = {"ust", "ust-idnr", "umsatzsteuer", "vat", NULL};
static const char *const w_de_id[] = {"ausweis", "personalausweis", "reisepass", "pass", "ausweisnummer", NULL};
static const char *const w_uk_pass[] = {"passport", NULL};
static const char *const w_itin[] = {"itin", "taxpayer", "tax id", NULL};
static const char *const w_npi[] = {"npi", "provider", NULL};
static const char *const w_mbi[] = {"mbi", "medicare", NULL};
static const char *const w_bank[] = {"account number",   "account no",      "acct", "bank account",
                                     "checking account", "savings account", NULL};
static const char *const w_aba[] = {"routing", "aba", "rtn", NULL};
static const char *const w_mac[] = {"mac", "hardware address", "physical address", "ethernet", NULL};
static const char *const w_dea[] = {"dea", "certificate", "license", "licence", NULL};
static const char *const w_cn[] = {"身份证", "身份证号", "居民身份证", "id card", "resident id", NULL};
static const char *const w_jp[] = {"マイナンバー", "個人番号", "my number", NULL};
static const char *const w_cpf[] = {"cpf", NULL};
static const char *const w_cnpj[] = {"cnpj", NULL};
static const char *const w_curp[] = {"curp", NULL};
static const char *const w_nir[] = {"sécurité sociale", "securite sociale", "nir", "insee", "sécu", "secu", NULL};
static const char *const w_bsn[] = {"bsn", "burgerservicenummer", "sofinummer", "sofi", NULL};
static const char *const w_cpr[] = {"cpr", "cpr-nummer", "personnummer", NULL};
static const char *const w_no[] = {"fødselsnummer", "fodselsnummer", "personnummer", "d-nummer", NULL};
static const char *const w_be[] = {"rijksregisternummer", "numéro national", "registre national", "national number", "insz", NULL};
static const char *const w_za[] = {"id number", "identity number", "south african", "rsa id", "sa id", NULL};
static const char *const w_th[] = {"บัตรประชาชน", "เลขประจำตัวประชาชน", "thai id", "national id", "tnin", NULL};
static const char *const w_uk_dl[] = {"driving licence", "driving license", "licence", "dvla", NULL};
static const char *const w_de_kv[] = {"krankenversichertennummer", "kvnr", "versichertennummer", "krankenkasse", "egk", NULL};
static const char *const w_de_rv[] = {"rentenversicherungsnummer", "rvnr", "sozialversicherungsnummer", "svnr", NULL};
static const char *const w_de_stnr[] = {"steuernummer", "st.-nr", "stnr", "finanzamt", NULL};

typedef struct {
    pol__scanctx_t *c;
    int pushed;
} nat_t;

/* pushes [s, e) as `type`: `bare` score, +0.35 with a context word of `words` near it, -0.4 for a
 * number (no letters) after a negative word */
static int push(nat_t *n, int type, size_t s, size_t e, double bare, const char *const *words, int numeric)
{
    pol__scanctx_t *c = n->c;
    if (!c->enabled[type])
        return 0;
    const char *t = c->text;
    size_t from = s > 48 ? s - 48 : 0, to = e + 24 < c->len ? e + 24 : c->len;
    double sc = bare;
    if (words != NULL && (pol__has_word(t, from, s, words) || pol__has_word(t, e, to, words)))
        sc += 0.35;
    else if (pol__has_word(t, from, s, pol__ctx_negative))
        sc -= 0.4; /* "Bestellnummer 202509200206", "Commande n° A433522495": order numbers that pass a check */
    (void)numeric;
    if (sc > 1)
        sc = 1;
    if (sc < 0)
        sc = 0;
    if (pol__cands_push(c->cands, type, s, e, sc) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    n->pushed = 1;
    return 0;
}

#define PUSH(type, s, e, bare, words, numeric)                                                                                     \
    do {                                                                                                                           \
        if (push(n, type, s, e, bare, words, numeric) != 0)                                                                        \
            return -1;                                                                                                             \
    } while (0)

/* ---- letter-led words ---- */

/* all letters of v[0, k) are capitals in the text (weak formats accept capitals only) */
static int caps(const char *t, size_t s, size_t e)
{
    for (size_t i = s; i < e; i++)
        if (t[i] >= 'a' && t[i] <= 'z')
            return 0;
    return 1;
}

/* formats that start with a letter, tried at the word start w */
static int letter_led(nat_t *n, size_t w)
{
    const char *t = n->c->text;
    size_t len = n->c->len, e, k;
    char v[32], sep;
    size_t wl = 0;
    while (w + wl < len && pol__is_alnum(U(t[w + wl])))
        wl++;
    /* every format is one alnum word of 8-18 bytes, or starts with a 2-letter word ("AB 12 34 56 C", "DE 136 695 976") */
    if (wl < 8 && !(wl == 2 || (wl == 8 && w + wl < len && t[w + wl] == '-')))
        return 0;
    /* UK NINO: AB 12 34 56 C / AB123456C (optional single spaces) */
    static const char *const nino[] = {"LL dd dd dd L", "LL dddddd L", "LLddddddL", "LL ddddddL", "LLdddddd L", NULL};
    for (int i = 0; nino[i]; i++)
        if ((e = wshape(t, len, w, wl, nino[i], v, &k, &sep)) && standalone(t, len, w, e, 0) && nino_ok(v)) {
            PUSH(POL_PII_UK_NINO, w, e, 0.6, w_nino, 0);
            return 0;
        }
    if (wl == 2) {
        /* DE USt-IdNr with separators: DE 136 695 976 */
        static const char *const devat2[] = {"LL ddd ddd ddd", "LL-ddd-ddd-ddd", "LL.ddd.ddd.ddd", NULL};
        for (int i = 0; devat2[i]; i++)
            if ((e = shape(t, len, w, devat2[i], v, &k, NULL)) && standalone(t, len, w, e, 0) && v[0] == 'D' && v[1] == 'E' &&
                v[2] != '0') {
                PUSH(POL_PII_DE_VAT_ID, w, e, mod11_10(v + 2, 8) == dv(v[10]) ? 0.85 : 0.55, w_de_vat, 0);
                return 0;
            }
        return 0; /* every other format is one word of >= 8 bytes */
    }
    /* ES NIE: X/Y/Z + 7 digits + letter (X=0, Y=1, Z=2, then the DNI rule) */
    static const char *const nie[] = {"LdddddddL", "Lddddddd-L", NULL};
    for (int i = 0; nie[i]; i++)
        if ((e = wshape(t, len, w, wl, nie[i], v, &k, NULL)) && standalone(t, len, w, e, 0) && strchr("XYZ", v[0])) {
            v[0] = (char)('0' + (v[0] - 'X'));
            if (nif_letter_ok(v, 8, v[8])) {
                PUSH(POL_PII_ES_NIE, w, e, 0.75, w_nie, 0);
                return 0;
            }
        }
    /* IT codice fiscale (16), MX CURP (18), UK driving licence (16) */
    if ((e = wshape(t, len, w, wl, "LLLLLLAALAALAAAL", v, &k, NULL)) && standalone(t, len, w, e, 0) && it_fiscal_ok(v)) {
        PUSH(POL_PII_IT_FISCAL_CODE, w, e, 0.9, w_it_cf, 0);
        return 0;
    }
    if ((e = wshape(t, len, w, wl, "UUUUddddddUUUUUUAd", v, &k, NULL)) && standalone(t, len, w, e, 0) && curp_ok(v)) {
        PUSH(POL_PII_MX_CURP, w, e, 0.9, w_curp, 0);
        return 0;
    }
    if ((e = wshape(t, len, w, wl, "LAAAAddddddAAdAA", v, &k, NULL)) && standalone(t, len, w, e, 0) && uk_dl_ok(v)) {
        PUSH(POL_PII_UK_DRIVING_LICENCE, w, e, 0.6, w_uk_dl, 0);
        return 0;
    }
    /* DE USt-IdNr: DE + 9 digits (ISO 7064 MOD 11,10 on the first 8) */
    if ((e = wshape(t, len, w, wl, "LLddddddddd", v, &k, NULL)) && standalone(t, len, w, e, 0) && v[0] == 'D' && v[1] == 'E' &&
        v[2] != '0') {
        PUSH(POL_PII_DE_VAT_ID, w, e, mod11_10(v + 2, 8) == dv(v[10]) ? 0.85 : 0.55, w_de_vat, 0);
        return 0;
    }
    /* SG NRIC/FIN: [STFGM] + 7 digits + check letter */
    if ((e = wshape(t, len, w, wl, "LdddddddL", v, &k, NULL)) && standalone(t, len, w, e, 0) && strchr("STFGM", v[0])) {
        PUSH(POL_PII_SG_NRIC_FIN, w, e, nric_ok(v) ? 0.85 : 0.5, w_nric, 0);
        return 0;
    }
    /* SG UEN, other entities: T/S/R + 2 digits + entity type + 4 digits + letter */
    if ((e = wshape(t, len, w, wl, "UddUUddddU", v, &k, NULL)) && standalone(t, len, w, e, 0) && uen_other_ok(v)) {
        PUSH(POL_PII_SG_UEN, w, e, 0.6, w_uen, 0);
        return 0;
    }
    /* IN GSTIN starts with digits (digit_led); IN PAN: 3 letters, holder type, letter, 4 digits, letter */
    if ((e = wshape(t, len, w, wl, "UUUUUddddU", v, &k, NULL)) && standalone(t, len, w, e, 0) && strchr("ABCFGHLJPT", v[3])) {
        PUSH(POL_PII_IN_PAN, w, e, 0.55, w_pan, 0);
        return 0;
    }
    /* IN vehicle registration: state + 1-2 digits + 1-3 letters + 4 digits */
    static const char *const inveh[] = {"UUddUUUdddd", "UUddUUdddd", "UUddUdddd", "UUdUUUdddd", "UUdUUdddd", "UUdUdddd", NULL};
    for (int i = 0; inveh[i]; i++)
        if ((e = wshape(t, len, w, wl, inveh[i], v, &k, NULL)) && standalone(t, len, w, e, 0) && in_state_ok(v)) {
            PUSH(POL_PII_IN_VEHICLE_REGISTRATION, w, e, 0.55, w_vehicle, 0);
            return 0;
        }
    /* IN EPIC (voter id): 3 letters + 7 digits */
    if ((e = wshape(t, len, w, wl, "UUUddddddd", v, &k, NULL)) && standalone(t, len, w, e, 0)) {
        PUSH(POL_PII_IN_VOTER, w, e, 0.45, w_voter, 0);
        return 0;
    }
    /* ES passport: 3 letters + 6 digits (context only) */
    if ((e = wshape(t, len, w, wl, "LLLdddddd", v, &k, NULL)) && standalone(t, len, w, e, 0)) {
        PUSH(POL_PII_ES_PASSPORT, w, e, 0.2, w_es_pass, 0);
        return 0;
    }
    /* IT driving licence: 2 letters + 7 digits + letter; U1 + 7 alnum + letter */
    if ((e = wshape(t, len, w, wl, "LLdddddddL", v, &k, NULL)) && standalone(t, len, w, e, 0)) {
        PUSH(POL_PII_IT_DRIVER_LICENSE, w, e, 0.5, w_it_dl, 0);
        return 0;
    }
    if ((e = wshape(t, len, w, wl, "LdAAAAAAAL", v, &k, NULL)) && standalone(t, len, w, e, 0) && v[0] == 'U' && v[1] == '1' &&
        strspn(v + 2, "BCDEFGHLMNPRSTUVWXYZ0123456789") >= 7) {
        PUSH(POL_PII_IT_DRIVER_LICENSE, w, e, 0.5, w_it_dl, 0);
        return 0;
    }
    /* 2 letters + 7 digits: DEA number when its check holds, else a passport or identity card by context */
    if ((e = wshape(t, len, w, wl, "LAddddddd", v, &k, NULL)) && standalone(t, len, w, e, 0) && dea_ok(v)) {
        PUSH(POL_PII_MEDICAL_LICENSE, w, e, 0.6, w_dea, 0);
        return 0;
    }
    if ((e = wshape(t, len, w, wl, "LLddddddd", v, &k, NULL)) && standalone(t, len, w, e, 0)) {
        size_t from = w > 48 ? w - 48 : 0;
        if (pol__has_word(t, from, w, w_it_pass))
            PUSH(POL_PII_IT_PASSPORT, w, e, 0.25, w_it_pass, 0);
        else if (pol__has_word(t, from, w, w_it_card))
            PUSH(POL_PII_IT_IDENTITY_CARD, w, e, 0.25, w_it_card, 0);
        else
            PUSH(POL_PII_UK_PASSPORT, w, e, 0.25, w_uk_pass, 0);
        return 0;
    }
    /* IT carta d'identità elettronica: 2 letters + 5 digits + 2 letters */
    if ((e = wshape(t, len, w, wl, "UUdddddUU", v, &k, NULL)) && standalone(t, len, w, e, 0)) {
        PUSH(POL_PII_IT_IDENTITY_CARD, w, e, 0.5, w_it_card, 0);
        return 0;
    }
    /* DE Krankenversichertennummer: letter + 9 digits */
    if ((e = wshape(t, len, w, wl, "Lddddddddd", v, &k, NULL)) && standalone(t, len, w, e, 0) && de_kvnr_ok(v)) {
        PUSH(POL_PII_DE_HEALTH_INSURANCE, w, e, 0.6, w_de_kv, 0);
        return 0;
    }
    /* DE Personalausweis / Reisepass serial: 9 characters of [CFGHJKLMNPRTVWXYZ0-9], ICAO check digit */
    if ((e = wshape(t, len, w, wl, "LAAAAAAAd", v, &k, NULL)) && standalone(t, len, w, e, 0)) {
        int ok = 1;
        for (int i = 0; i < 8 && ok; i++)
            ok = pol__is_digit(U(v[i])) || strchr("CFGHJKLMNPRTVWXYZ", v[i]) != NULL;
        if (ok && icao_ok(v, 9)) {
            PUSH(POL_PII_DE_ID_CARD, w, e, 0.6, w_de_id, 0);
            return 0;
        }
    }
    /* KR passport: M/S/R/O/D/G + 3 digits + letter + 4 digits (2021 format) */
    if ((e = wshape(t, len, w, wl, "LdddLdddd", v, &k, NULL)) && standalone(t, len, w, e, 0) && strchr("MSRODG", v[0])) {
        PUSH(POL_PII_KR_PASSPORT, w, e, 0.45, w_kr_pass, 0);
        return 0;
    }
    /* IN passport: letter + 7 digits (context only) */
    if ((e = wshape(t, len, w, wl, "Uddddddd", v, &k, NULL)) && standalone(t, len, w, e, 0) && v[1] != '0') {
        PUSH(POL_PII_IN_PASSPORT, w, e, 0.25, w_in_pass, 0);
        return 0;
    }
    return 0;
}

/* ---- digit-led formats with letters, MAC addresses ---- */

static int mac_bytes_ok(const char *v)
{
    int zero = 1, ff = 1;
    for (int i = 0; i < 12; i++)
        zero &= v[i] == '0', ff &= v[i] == 'F';
    return !zero && !ff;
}

static int mac_at(nat_t *n, size_t s)
{
    const char *t = n->c->text;
    size_t len = n->c->len, e, k;
    char v[32];
    static const char *const mac[] = {"HH:HH:HH:HH:HH:HH", "HH-HH-HH-HH-HH-HH", "HHHH.HHHH.HHHH", NULL};
    if (!mac_maybe(t, len, s))
        return 0;
    for (int i = 0; mac[i]; i++)
        if ((e = shape(t, len, s, mac[i], v, &k, NULL)) && standalone(t, len, s, e, 0) &&
            (e >= len || (t[e] != ':' && t[e] != '-')) && mac_bytes_ok(v)) {
            PUSH(POL_PII_MAC_ADDRESS, s, e, 0.6, w_mac, 0);
            return 1;
        }
    return 0;
}

static int digit_led_alpha(nat_t *n, size_t s)
{
    const char *t = n->c->text;
    size_t len = n->c->len, e, k;
    char v[32];
    int r;
    size_t run = 0;
    while (s + run < len && pol__is_digit(U(t[s + run])))
        run++;
    unsigned char nx = s + run < len ? U(t[s + run]) : 0;
    if (run <= 4 && (r = mac_at(n, s)) != 0)
        return r < 0 ? -1 : 0;
    /* every format below has a letter (or '-', '+') right after a digit run of a known length */
    if (!pol__is_alpha(nx) && !(nx == '-' && (run == 6 || run == 7 || run == 8)) && !(nx == '+' && run == 6) && run != 17)
        return 0;
    /* FI henkilötunnus: DDMMYY C NNN X */
    if (run == 6 && (e = shape(t, len, s, "ddddddCdddA", v, &k, NULL)) && standalone(t, len, s, e, 0) && caps(t, s, e) &&
        hetu_ok(v)) {
        PUSH(POL_PII_FI_PERSONAL_IDENTITY_CODE, s, e, 0.85, w_hetu, 0);
        return 0;
    }
    /* IN GSTIN */
    if (run == 2 && (e = shape(t, len, s, "ddUUUUUddddUAUA", v, &k, NULL)) && standalone(t, len, s, e, 0) && num2(v) >= 1 &&
        num2(v) <= 38 && v[13] == 'Z') {
        PUSH(POL_PII_IN_GSTIN, s, e, gstin_ok(v) ? 0.85 : 0.6, w_gstin, 0);
        return 0;
    }
    /* DE Rentenversicherungsnummer: 12 characters, the 9th a letter */
    if (run == 8 && (e = shape(t, len, s, "ddddddddLddd", v, &k, NULL)) && standalone(t, len, s, e, 0) && de_rvnr_ok(v)) {
        PUSH(POL_PII_DE_SOCIAL_SECURITY, s, e, 0.75, w_de_rv, 0);
        return 0;
    }
    /* CN resident identity card: 17 digits + digit or X */
    if (run == 17 && (e = shape(t, len, s, "dddddddddddddddddK", v, &k, NULL)) && standalone(t, len, s, e, 0) && cn_id_ok(v)) {
        PUSH(POL_PII_CN_RESIDENT_ID, s, e, 0.9, w_cn, 0);
        return 0;
    }
    /* US MBI: 1EG4-TE5-MK73 / 1EG4TE5MK73 */
    if (run == 1 && s + 4 < len && t[s + 4] == '-' && (e = shape(t, len, s, "AAAA-AAA-AAAA", v, &k, NULL)) &&
        standalone(t, len, s, e, 0) && mbi_ok(v)) {
        PUSH(POL_PII_US_MBI, s, e, 0.6, w_mbi, 0);
        return 0;
    }
    if (run == 1 && s + 11 <= len && pol__is_alnum(U(t[s + 10])) && (e = shape(t, len, s, "AAAAAAAAAAA", v, &k, NULL)) &&
        standalone(t, len, s, e, 0) && mbi_ok(v)) {
        PUSH(POL_PII_US_MBI, s, e, 0.5, w_mbi, 0);
        return 0;
    }
    /* ES DNI/NIF: 7-8 digits, optional '-', check letter */
    static const char *const nif[] = {"ddddddddL", "dddddddd-L", "dddddddL", "ddddddd-L", NULL};
    for (int i = 0; nif[i]; i++)
        if ((run == 7 || run == 8) && (e = shape(t, len, s, nif[i], v, &k, NULL)) && standalone(t, len, s, e, 0) &&
            nif_letter_ok(v, k - 1, v[k - 1])) {
            PUSH(POL_PII_ES_NIF, s, e, 0.6, w_nif, 0);
            return 0;
        }
    /* SG UEN: 8 digits + letter (businesses), 9 digits + letter (local companies) */
    if (run == 8 && (e = shape(t, len, s, "ddddddddU", v, &k, NULL)) && standalone(t, len, s, e, 0) && uen_ok(v, 9)) {
        PUSH(POL_PII_SG_UEN, s, e, 0.6, w_uen, 0);
        return 0;
    }
    if (run == 9 && (e = shape(t, len, s, "dddddddddU", v, &k, NULL)) && standalone(t, len, s, e, 0) && uen_ok(v, 10)) {
        PUSH(POL_PII_SG_UEN, s, e, 0.6, w_uen, 0);
        return 0;
    }
    return 0;
}

/* ---- numbers ---- */

typedef struct {
    const char *shape;
    int kind;     /* what to validate */
    double score; /* bare score of this layout */
    size_t ndig;  /* digits in the shape */
} numfmt_t;

enum {
    N_TCKN = 1,
    N_PESEL,
    N_IT_VAT,
    N_DE_TAX,
    N_NO,
    N_BE,
    N_CPF,
    N_ABN,
    N_NIR,
    N_CNPJ,
    N_ZA,
    N_KR,
    N_TH,
    N_MYNUM,
    N_AADHAAR,
    N_SE12,
    N_SE10,
    N_SE_ORG,
    N_CPR,
    N_NPI,
    N_MEDICARE,
    N_KR_BRN,
    N_SIN,
    N_TFN,
    N_ACN,
    N_BSN,
    N_ABA,
    N_ITIN,
    N_BANK,
    N_DE_STNR
};

/* layouts by the length of their first digit run, most specific first; the bare scores follow the rule in the file comment */
static const numfmt_t numfmts_1[] = {
    {"d dd dd dd ddd ddd dd", N_NIR, 0.85, 15},
    {"d-dddd-ddddd-dd-d", N_TH, 0.7, 13},
    {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_2[] = {
    {"dd.ddd.ddd/dddd-dd", N_CNPJ, 0.85, 14}, {"dd.dd.dd-ddd.dd", N_BE, 0.85, 11},
    {"dd ddd ddd ddd", N_ABN, 0.7, 11},       {"dd ddd ddd ddd", N_DE_TAX, 0.6, 11},
    {"dd/dddd/dddd", N_DE_STNR, 0.5, 10},     {"dd/ddd/ddddd", N_DE_STNR, 0.5, 10},
    {"dd/ddd/dddd", N_DE_STNR, 0.5, 9},       {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_3[] = {
    {"ddd.ddd.ddd-dd", N_CPF, 0.85, 11},   {"ddd-dd-ddddd", N_KR_BRN, 0.6, 10}, {"ddd/ddd/ddddd", N_DE_STNR, 0.5, 11},
    {"ddd/dddd/dddd", N_DE_STNR, 0.5, 11}, {"ddd-dd-dddd", N_ITIN, 0.65, 9},    {"ddd_ddd_ddd", N_SIN, 0.6, 9},
    {"ddd_ddd_ddd", N_TFN, 0.55, 9},       {"ddd_ddd_ddd", N_ACN, 0.55, 9},     {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_4[] = {
    {"dddd_dddd_dddd", N_AADHAAR, 0.6, 12},
    {"dddd:dddd:dddd", N_AADHAAR, 0.6, 12},
    {"dddd_dddd_dddd", N_MYNUM, 0.5, 12},
    {"dddd ddddd d", N_MEDICARE, 0.6, 10},
    {"dddd_ddd_ddd", N_NPI, 0.5, 10},
    {"dddd-dddd-d", N_ABA, 0.55, 9},
    {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_6[] = {
    {"dddddd-ddddddd", N_KR, 0.6, 13}, {"dddddd dddd ddd", N_ZA, 0.6, 13},
    {"dddddd ddddd", N_NO, 0.6, 11},   {"dddddd-dddd", N_SE10, 0.6, 10},
    {"dddddd+dddd", N_SE10, 0.6, 10},  {"dddddd-dddd", N_SE_ORG, 0.55, 10},
    {"dddddd-dddd", N_CPR, 0.4, 10},   {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_8[] = {
    {"dddddddd-dddd", N_SE12, 0.7, 12},
    {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_9[] = {
    {"ddddddddd", N_ITIN, 0.4, 9},
    {"ddddddddd", N_SIN, 0.3, 9},
    {"ddddddddd", N_TFN, 0.4, 9},
    {"ddddddddd", N_ACN, 0.4, 9},
    {"ddddddddd", N_BSN, 0.4, 9},
    {"ddddddddd", N_ABA, 0.4, 9},
    {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_10[] = {
    {"dddddddddd", N_SE10, 0.4, 10},
    {"dddddddddd", N_SE_ORG, 0.4, 10},
    {"dddddddddd", N_NPI, 0.4, 10},
    {"dddddddddd", N_MEDICARE, 0.4, 10},
    {"dddddddddd", N_KR_BRN, 0.4, 10},
    {"dddddddddd", N_CPR, 0.3, 10},
    {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_11[] = {
    {"ddddddddddd", N_TCKN, 0.55, 11},  {"ddddddddddd", N_ABN, 0.5, 11},    {"ddddddddddd", N_DE_TAX, 0.5, 11},
    {"ddddddddddd", N_NO, 0.5, 11},     {"ddddddddddd", N_BE, 0.5, 11},     {"ddddddddddd", N_CPF, 0.45, 11},
    {"ddddddddddd", N_PESEL, 0.45, 11}, {"ddddddddddd", N_IT_VAT, 0.4, 11}, {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_12[] = {
    {"dddddddddddd", N_SE12, 0.45, 12},
    {"dddddddddddd", N_AADHAAR, 0.45, 12},
    {"dddddddddddd", N_MYNUM, 0.4, 12},
    {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_13[] = {
    {"ddddddddddddd", N_ZA, 0.6, 13},
    {"ddddddddddddd", N_KR, 0.4, 13},
    {"ddddddddddddd", N_TH, 0.5, 13},
    {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_14[] = {
    {"dddddddddddddd", N_CNPJ, 0.5, 14},
    {NULL, 0, 0, 0},
};
static const numfmt_t numfmts_15[] = {
    {"ddddddddddddddd", N_NIR, 0.7, 15},
    {NULL, 0, 0, 0},
};

/* the layouts whose first digit run is `run` digits long */
static const numfmt_t *numfmts_for(size_t run)
{
    switch (run) {
    case 1:
        return numfmts_1;
    case 2:
        return numfmts_2;
    case 3:
        return numfmts_3;
    case 4:
        return numfmts_4;
    case 6:
        return numfmts_6;
    case 8:
        return numfmts_8;
    case 9:
        return numfmts_9;
    case 10:
        return numfmts_10;
    case 11:
        return numfmts_11;
    case 12:
        return numfmts_12;
    case 13:
        return numfmts_13;
    case 14:
        return numfmts_14;
    case 15:
        return numfmts_15;
    default:
        return NULL;
    }
}

/* validates digits d (ndig of them) as `kind`; *type receives the entity type, *sc may be lowered */
static int num_ok(int kind, const char *d, int *type, double *sc, const char *const **words)
{
    int ck = 0;
    switch (kind) {
    case N_TCKN:
        *type = POL_PII_TR_TCKN, *words = w_tckn;
        return tckn_ok(d);
    case N_PESEL:
        *type = POL_PII_PL_PESEL, *words = w_pesel;
        return pesel_ok(d);
    case N_IT_VAT:
        *type = POL_PII_IT_VAT_CODE, *words = w_it_vat;
        return it_vat_ok(d);
    case N_DE_TAX:
        *type = POL_PII_DE_TAX_ID, *words = w_de_tax;
        return de_taxid_ok(d);
    case N_NO:
        *type = POL_PII_NO_FODSELSNUMMER, *words = w_no;
        return no_fnr_ok(d);
    case N_BE:
        *type = POL_PII_BE_NATIONAL_NUMBER, *words = w_be;
        return be_nn_ok(d);
    case N_CPF:
        *type = POL_PII_BR_CPF, *words = w_cpf;
        return cpf_ok(d);
    case N_ABN:
        *type = POL_PII_AU_ABN, *words = w_abn;
        return abn_ok(d);
    case N_NIR:
        *type = POL_PII_FR_NIR, *words = w_nir;
        return nir_ok(d);
    case N_CNPJ:
        *type = POL_PII_BR_CNPJ, *words = w_cnpj;
        return cnpj_ok(d);
    case N_ZA:
        *type = POL_PII_ZA_ID, *words = w_za;
        return za_ok(d);
    case N_KR: {
        int t = kr_kind(d, &ck);
        if (t < 0)
            return 0;
        *type = t, *words = w_kr;
        if (ck)
            *sc = 0.85;
        return 1;
    }
    case N_TH:
        *type = POL_PII_TH_TNIN, *words = w_th;
        /* a bare 16.. - 19.. is more likely a millisecond timestamp (2020-2033) */
        if (*sc < 0.6 && d[0] == '1' && d[1] >= '6')
            *sc = 0.3;
        return th_ok(d);
    case N_MYNUM:
        *type = POL_PII_JP_MY_NUMBER, *words = w_jp;
        return my_number_ok(d);
    case N_AADHAAR:
        *type = POL_PII_IN_AADHAAR, *words = w_aadhaar;
        return d[0] >= '2' && verhoeff(d, 12);
    case N_SE12:
        *type = POL_PII_SE_PERSONNUMMER, *words = w_se;
        return (num2(d) == 18 || num2(d) == 19 || num2(d) == 20) && se_pnr_ok(d + 2, num2(d) * 100);
    case N_SE10:
        *type = POL_PII_SE_PERSONNUMMER, *words = w_se;
        return se_pnr_ok(d, -1);
    case N_SE_ORG:
        *type = POL_PII_SE_ORGANISATIONSNUMMER, *words = w_se_org;
        return d[2] >= '2' && luhn(d, 10);
    case N_CPR:
        *type = POL_PII_DK_CPR, *words = w_cpr;
        if (!cpr_date_ok(d))
            return 0;
        if (cpr_mod11(d))
            *sc += 0.1;
        return 1;
    case N_NPI:
        *type = POL_PII_US_NPI, *words = w_npi;
        return npi_ok(d);
    case N_MEDICARE:
        *type = POL_PII_AU_MEDICARE, *words = w_medicare;
        return medicare_ok(d);
    case N_KR_BRN:
        *type = POL_PII_KR_BRN, *words = w_kr_brn;
        return kr_brn_ok(d);
    case N_SIN:
        *type = POL_PII_CA_SIN, *words = w_sin;
        return d[0] != '0' && d[0] != '8' && luhn(d, 9) && !all_same(d, 9);
    case N_TFN:
        *type = POL_PII_AU_TFN, *words = w_tfn;
        return tfn_ok(d);
    case N_ACN:
        *type = POL_PII_AU_ACN, *words = w_acn;
        return acn_ok(d) && !all_same(d, 9);
    case N_BSN:
        *type = POL_PII_NL_BSN, *words = w_bsn;
        return bsn_ok(d);
    case N_ABA:
        *type = POL_PII_ABA_ROUTING_NUMBER, *words = w_aba;
        return aba_ok(d);
    case N_ITIN:
        *type = POL_PII_US_ITIN, *words = w_itin;
        return itin_ok(d);
    case N_DE_STNR:
        *type = POL_PII_DE_TAX_NUMBER, *words = w_de_stnr;
        return 1;
    default:
        return 0;
    }
}

/* the numbers of the cluster from s on (a space-separated list yields one entity per number);
 * every layout that validates is pushed, overlap resolution keeps the best */
static int numbers_at(nat_t *n, size_t s, size_t nd)
{
    const char *t = n->c->text;
    size_t len = n->c->len;
    for (int round = 0; round < 16 && s < len && pol__is_digit(U(t[s])); round++) {
        size_t best_e = 0, k;
        char v[32], sep;
        size_t run = 0;
        while (s + run < len && pol__is_digit(U(t[s + run])))
            run++;
        const numfmt_t *f = numfmts_for(run);
        for (; f != NULL && f->shape != NULL; f++) {
            if (f->ndig > nd)
                continue;
            size_t e = shape(t, len, s, f->shape, v, &k, &sep);
            /* a layout with optional separators ('_') counts as grouped only when they are there */
            if (e != 0 && sep == 0 && strchr(f->shape, '_') != NULL)
                continue;
            if (e == 0 || k != f->ndig || !standalone(t, len, s, e, sep != 0 ? sep : (strchr(f->shape, ' ') ? ' ' : 0)))
                continue;
            int type = -1;
            double sc = f->score;
            const char *const *words = NULL;
            if (!num_ok(f->kind, v, &type, &sc, &words))
                continue;
            /* "686 357 308": a Spanish or French phone number grouped 3-3-3 scores more than these (0.5) */
            if (sep == ' ' && v[0] >= '6' && (f->kind == N_SIN || f->kind == N_TFN || f->kind == N_ACN))
                sc = 0.45;
            PUSH(type, s, e, sc, words, 1);
            if (e > best_e)
                best_e = e;
        }
        /* US bank account: 8-17 digits, only after an account word */
        if (best_e == 0 && round == 0) {
            size_t e = s;
            while (e < len && pol__is_digit(U(t[e])) && e - s <= 17)
                e++;
            size_t from = s > 32 ? s - 32 : 0;
            if (e - s >= 8 && e - s <= 17 && standalone(t, len, s, e, 0) && pol__has_word(t, from, s, w_bank))
                PUSH(POL_PII_US_BANK_NUMBER, s, e, 0.6, NULL, 0);
        }
        /* the next number of a space-separated list of identifiers */
        if (best_e == 0 || !(best_e + 1 < len && t[best_e] == ' ' && pol__is_digit(U(t[best_e + 1]))))
            break;
        s = best_e + 1;
    }
    return 0;
}

/* ---- entry points ---- */

int pol__national_maybe(const char *t, size_t len, size_t cs)
{
    unsigned char p1 = cs > 0 ? U(t[cs - 1]) : 0;
    size_t f = cs, run;
    while (f < len && f - cs < 7 && pol__is_digit(U(t[f])))
        f++;
    run = f - cs;
    while (f < len && f - cs < 7 && pol__is_alnum(U(t[f])))
        f++;
    size_t fwd = f - cs; /* counted up to 7: the rules below need at most 6 */
    /* a MAC address "0a-1b-..." / "01:..." starting here */
    if (cs + 2 < len && pol__is_hex(U(t[cs + 1])) && (t[cs + 2] == '-' || t[cs + 2] == ':') && mac_maybe(t, len, cs))
        return 1;
    if (pol__is_alpha(p1)) {
        size_t b = cs;
        while (b > 0 && cs - b < 8 && pol__is_alpha(U(t[b - 1])))
            b--;
        return cs - b + fwd >= 6;
    }
    if (fwd > run)
        return fwd >= 6 || (run == 1 && fwd == 4 && f < len && t[f] == '-');
    /* "AB 12 34 56 C", "AB 123456C": a two-letter word and a space before the digits */
    if (p1 == ' ' && cs >= 3 && pol__is_alpha(U(t[cs - 2])) && pol__is_alpha(U(t[cs - 3])) &&
        (cs == 3 || !pol__is_alnum(U(t[cs - 4]))) &&
        (run == 6 || (run == 2 && cs + 3 < len && t[cs + 2] == ' ' && pol__is_digit(U(t[cs + 3])))))
        return 1;
    return 0;
}

int pol__national_digits(pol__scanctx_t *c, size_t cs, size_t nd)
{
    const char *t = c->text;
    size_t len = c->len;
    nat_t n = {c, 0};
    if (nd < 7 && !pol__national_maybe(t, len, cs))
        return 0;
    unsigned char p1 = cs > 0 ? U(t[cs - 1]) : 0;
    if (pol__is_alpha(p1)) {
        /* a letter-led word whose first digit run starts here */
        size_t w = cs;
        while (w > 0 && cs - w < 8 && pol__is_alpha(U(t[w - 1])))
            w--;
        if (w == 0 || !pol__is_alnum(U(t[w - 1])))
            return letter_led(&n, w);
        return 0;
    }
    size_t run = 0;
    while (cs + run < len && run < 7 && pol__is_digit(U(t[cs + run])))
        run++;
    /* "AB 12 34 56 C", "AB 123456C", "DE 136 695 976" */
    if (p1 == ' ' && cs >= 3 && pol__is_alpha(U(t[cs - 2])) && pol__is_alpha(U(t[cs - 3])) &&
        (cs == 3 || !pol__is_alnum(U(t[cs - 4]))) &&
        (run == 2 || run == 6 || (run == 3 && upper(U(t[cs - 3])) == 'D' && upper(U(t[cs - 2])) == 'E'))) {
        if (letter_led(&n, cs - 3) != 0)
            return -1;
        if (n.pushed)
            return 0;
    }
    if (digit_led_alpha(&n, cs) != 0)
        return -1;
    if (n.pushed || nd < 7)
        return 0;
    return numbers_at(&n, cs, nd);
}

int pol__national_colon(pol__scanctx_t *c, size_t i)
{
    const char *t = c->text;
    nat_t n = {c, 0};
    if (i < 2 || !pol__is_hex(U(t[i - 1])) || !pol__is_hex(U(t[i - 2])) ||
        (i > 2 && (pol__is_alnum(U(t[i - 3])) || t[i - 3] == ':')))
        return 0;
    /* MACs that start with a digit are tried from the digit event (pol__national_maybe) */
    if (pol__is_digit(U(t[i - 2])))
        return 0;
    return mac_at(&n, i - 2) < 0 ? -1 : 0;
}
