/*
 * The lexical layer of the national identifiers: the shape parser that reads an identifier's
 * layout ("dd.ddd.ddd/dddd-dd") at a position and extracts its characters, the standalone test,
 * and the check digits (Luhn, ISO 7064 MOD 11,10, Verhoeff, weighted mod-11 sums, mod-23
 * letters, date plausibility) as each identifier's standard defines them (cited at each function
 * and in docs/internals/pii.md), and the prefilter's admission test pol__national_maybe. Pure
 * functions; national.c decides which layout is tried where,
 * scores it and applies context words.
 */
#include "policy/pii/pii_internal.h"
#include "policy/pii/national_checks.h"

#include <string.h>

#define U(p) POL__U(p)

/* upper-case of an ASCII letter, other bytes unchanged */
char pol__nat_upper(unsigned char c)
{
    return (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
}

/*
 * Parses the shape `sh` at t[p]: 'd' digit, 'L' letter (either case), 'U' capital, 'A' letter or
 * digit, 'H' hex digit, 'K' digit or X/x (CN check character), 'V' digit or K/k (CL RUT check character), 'C' '-', '+' or a
 * letter (FI century sign), '_' an optional
 * separator from " -" that must be the same byte as the other '_' of the match, '.' '-' '/' ' ' ':' and any other byte literally.
 * The characters taken (upper-cased, without separators) go to out[] (<= 31).
 * @return the end of the match, or 0
 */
size_t pol__nat_shape(const char *t, size_t len, size_t p, const char *sh, char *out, size_t *nout, char *sepused)
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
        case 'V':
            ok = pol__is_digit(ch) || ch == 'K' || ch == 'k';
            break;
        default:
            if (ch != U(*sh))
                return 0;
            p++;
            continue;
        }
        if (!ok)
            return 0;
        out[n++] = pol__nat_upper(ch);
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
int pol__nat_standalone(const char *t, size_t len, size_t s, size_t e, char sep)
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

/* pol__nat_shape() for a letter-led word of wl alnum bytes: the shape's first word must be that long */
size_t pol__nat_wshape(const char *t, size_t len, size_t w, size_t wl, const char *sh, char *out, size_t *nout, char *sepused)
{
    if (strcspn(sh, " -.:/_") != wl)
        return 0;
    return pol__nat_shape(t, len, w, sh, out, nout, sepused);
}

/* a MAC address can start at t[s]: its separators are where they must be */
int pol__nat_mac_maybe(const char *t, size_t len, size_t s)
{
    if (s + 14 <= len && t[s + 4] == '.' && t[s + 9] == '.')
        return 1;
    return s + 17 <= len && (t[s + 2] == ':' || t[s + 2] == '-') && t[s + 5] == t[s + 2] && t[s + 8] == t[s + 2] &&
           t[s + 11] == t[s + 2] && t[s + 14] == t[s + 2];
}

/* start of a dotted MAC address "HHHH.HHHH.HHHH" whose first digit is t[cs]: the bytes of it
 * before cs are hex letters and its dots (so the digit event at cs is its first one) */
size_t pol__nat_mac_dotted_from(const char *t, size_t len, size_t cs)
{
    size_t b = cs;
    while (b > 0 && cs - b < 13 && (t[b - 1] == '.' || (pol__is_hex(U(t[b - 1])) && !pol__is_digit(U(t[b - 1])))))
        b--;
    for (size_t s = b; s <= cs && s + 14 <= len; s++) {
        size_t i = 0;
        while (i < 14 && (i == 4 || i == 9 ? t[s + i] == '.' : pol__is_hex(U(t[s + i]))))
            i++;
        if (i == 14)
            return s;
    }
    return POL__NAT_NONE;
}

/* end of a RU passport number after its series and a label: " № 123456", " номер 123456" */
size_t pol__nat_ru_pass_number(const char *t, size_t len, size_t p)
{
    static const char *const labels[] = {"\xe2\x84\x96", "номер", "Номер", "НОМЕР", NULL}; /* U+2116 NUMERO SIGN */
    if (p + 1 >= len || t[p] != ' ')
        return 0;
    p++;
    for (int i = 0; labels[i] != NULL; i++) {
        size_t l = strlen(labels[i]), q = p + l;
        if (q > len || memcmp(t + p, labels[i], l) != 0)
            continue;
        if (q < len && t[q] == ':')
            q++;
        while (q < len && q - p - l < 3 && t[q] == ' ')
            q++;
        size_t d = q;
        while (d < len && d - q < 7 && pol__is_digit(U(t[d])))
            d++;
        return d - q == 6 && (d >= len || !pol__is_alnum(U(t[d]))) ? d : 0;
    }
    return 0;
}

/* ---- the prefilter's admission test (pii_internal.h) ---- */

int pol__national_maybe(const char *t, size_t len, size_t cs)
{
    unsigned char p1 = cs > 0 ? U(t[cs - 1]) : 0;
    size_t f = cs, run;
    while (f < len && f - cs < 7 && pol__is_digit(U(t[f])))
        f++;
    run = f - cs;
    while (f < len && f - cs < 16 && pol__is_alnum(U(t[f])))
        f++;
    size_t fwd = f - cs; /* counted up to 16: the rules below need at most 15 */
    /* a MAC address "0a-1b-..." / "01:..." starting here, or a dotted one whose first digit is here */
    if (cs + 2 < len && pol__is_hex(U(t[cs + 1])) && (t[cs + 2] == '-' || t[cs + 2] == ':') && pol__nat_mac_maybe(t, len, cs))
        return 1;
    if (pol__nat_mac_dotted_from(t, len, cs) != POL__NAT_NONE)
        return 1;
    if (pol__is_alpha(p1)) {
        size_t b = cs;
        while (b > 0 && cs - b < 8 && pol__is_alpha(U(t[b - 1])))
            b--;
        /* pol__national_digits tries the word only from its start ("7f3a2c1e" has none) */
        return cs - b + fwd >= 6 && (b == 0 || !pol__is_alnum(U(t[b - 1])));
    }
    /* "AB 12 34 56 C", "AB 123456C": a two-letter word and a space before the digits */
    int two_letters = p1 == ' ' && cs >= 3 && pol__is_alpha(U(t[cs - 2])) && pol__is_alpha(U(t[cs - 3])) &&
                      (cs == 3 || !pol__is_alnum(U(t[cs - 4])));
    /* digits glued to letters: the layouts of digit_led_alpha by the length of the first digit
     * run (runs of 7 and more make a cluster of >= 7 digits, which is tried anyway): US MBI (11
     * characters, or 4 before a '-'), IN GSTIN (15), FI henkilötunnus with a letter (11); and
     * the two-letter words above followed by a glued run ("PR 123612C") */
    if (fwd > run)
        return (run == 1 && (fwd >= 11 || (fwd == 4 && f < len && t[f] == '-'))) || (run == 2 && fwd >= 15) ||
               (run == 6 && fwd >= 11) || run >= 7 || (two_letters && (run == 2 || run == 3 || run == 6) && fwd >= 6);
    /* a RU passport series and its labelled number: "4510 № 123456", "4510 номер 123456" */
    if (run == 4 && pol__nat_ru_pass_number(t, len, cs + 4) != 0)
        return 1;
    return two_letters && (run == 6 || (run == 2 && cs + 3 < len && t[cs + 2] == ' ' && pol__is_digit(U(t[cs + 3]))));
}

/* ---- validators ---- */

int pol__nat_dv(char c)
{
    return c - '0';
}

/* Luhn mod 10 over n digits, ISO/IEC 7812-1 annex B */
int pol__nat_luhn(const char *d, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int x = pol__nat_dv(d[n - 1 - i]);
        if (i & 1)
            x = x * 2 > 9 ? x * 2 - 9 : x * 2;
        sum += x;
    }
    return sum % 10 == 0;
}

int pol__nat_all_same(const char *d, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (d[i] != d[0])
            return 0;
    return 1;
}

int pol__nat_num2(const char *d)
{
    return pol__nat_dv(d[0]) * 10 + pol__nat_dv(d[1]);
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
        s += pol__nat_dv(d[i]) * w[i];
    return s;
}

/* ISO 7064 MOD 11,10 check digit of n digits (DE Steuer-IdNr, DE USt-IdNr) */
int pol__nat_mod11_10(const char *d, size_t n)
{
    int product = 10;
    for (size_t i = 0; i < n; i++) {
        int sum = (pol__nat_dv(d[i]) + product) % 10;
        if (sum == 0)
            sum = 10;
        product = (sum * 2) % 11;
    }
    int check = 11 - product;
    return check == 10 ? 0 : check;
}

/* Verhoeff (dihedral group D5), UIDAI Aadhaar */
int pol__nat_verhoeff(const char *d, size_t n)
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
        c = m[c][p[i % 8][pol__nat_dv(d[n - 1 - i])]];
    return c == 0;
}

/* UK NINO (HMRC National Insurance Manual NIM39110): no D F I Q U V first, no D F I O Q U V
 * second, not BG GB NK KN TN NT ZZ, suffix A-D */
int pol__nat_nino_ok(const char *v)
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
int pol__nat_nif_letter_ok(const char *digits, size_t nd, char letter)
{
    unsigned long n = 0;
    for (size_t i = 0; i < nd; i++)
        n = n * 10 + (unsigned long)pol__nat_dv(digits[i]);
    return "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23] == letter;
}

/* IT codice fiscale check character (DM 23/12/1976, art. 7): odd positions by the table, even by value */
int pol__nat_it_fiscal_ok(const char *v)
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
int pol__nat_it_vat_ok(const char *d)
{
    int office = pol__nat_dv(d[7]) * 100 + pol__nat_num2(d + 8);
    if (pol__nat_all_same(d, 11) ||
        !((office >= 1 && office <= 100) || office == 120 || office == 121 || office == 888 || office == 999))
        return 0;
    return pol__nat_luhn(d, 11);
}

/* PL PESEL: date with the century in the month (+80 1800s, +0, +20, +40, +60), weights 1 3 7 9 (Ustawa o ewidencji ludności) */
int pol__nat_pesel_ok(const char *d)
{
    static const int w[10] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
    int m = pol__nat_num2(d + 2), y = pol__nat_num2(d);
    int century = m > 80 ? 1800 : m > 60 ? 2200 : m > 40 ? 2100 : m > 20 ? 2000 : 1900;
    if (!date_ok(century + y, m % 20, pol__nat_num2(d + 4)))
        return 0;
    return (10 - wsum(d, w, 10) % 10) % 10 == pol__nat_dv(d[10]);
}

/* SG NRIC/FIN: weights 2 7 6 5 4 3 2, +4 for T/G, +3 for M; S/T table JZIHGFEDCBA, F/G/M table XWUTRQPNMLK (ICA) */
int pol__nat_nric_ok(const char *v)
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

int pol__nat_tw_id_ok(const char *v)
{
    /* letter values in alphabetical order: A=10 .. H=17, I=34, J=18 .. N=22, O=35, P=23 .. V=29, W=32, X=30, Y=31, Z=33 */
    static const unsigned char val[26] = {10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
                                          22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33};
    if (v[0] < 'A' || v[0] > 'Z' || strchr("1289", v[1]) == NULL)
        return 0;
    int n = val[v[0] - 'A'], s = n / 10 + (n % 10) * 9;
    for (int i = 1; i <= 8; i++)
        s += (v[i] - '0') * (9 - i);
    s += v[9] - '0';
    return s % 10 == 0;
}

/* SG UEN for businesses (8 digits + letter) and local companies (yyyy + 5 digits + letter), ACRA weights */
int pol__nat_uen_ok(const char *v, size_t n)
{
    static const int wa[8] = {10, 4, 9, 3, 8, 2, 7, 1}, wb[9] = {10, 8, 6, 4, 9, 7, 5, 3, 1};
    if (n == 9)
        return "XMKECAWLJDB"[wsum(v, wa, 8) % 11] == v[8];
    return "ZKCMDNERGWH"[wsum(v, wb, 9) % 11] == v[9];
}

/* SG UEN "others": T/S/R + year + entity type + 4 digits + letter (ACRA entity type codes) */
int pol__nat_uen_other_ok(const char *v)
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
int pol__nat_tfn_ok(const char *d)
{
    static const int w[9] = {1, 4, 3, 7, 5, 8, 6, 9, 10};
    return !pol__nat_all_same(d, 9) && wsum(d, w, 9) % 11 == 0;
}

/* AU ABN: subtract 1 from the first digit, weights 10 1 3 5 7 9 11 13 15 17 19, mod 89 == 0 (ABR) */
int pol__nat_abn_ok(const char *d)
{
    static const int w[11] = {10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19};
    if (d[0] == '0')
        return 0;
    return (wsum(d, w, 11) - 10) % 89 == 0;
}

/* AU ACN: weights 8..1 on 8 digits, check = (10 - sum mod 10) mod 10 (ASIC) */
int pol__nat_acn_ok(const char *d)
{
    static const int w[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    return (10 - wsum(d, w, 8) % 10) % 10 == pol__nat_dv(d[8]);
}

/* AU Medicare card: first digit 2-6, weights 1 3 7 9 1 3 7 9, sum mod 10 is the 9th digit (Services Australia) */
int pol__nat_medicare_ok(const char *d)
{
    static const int w[8] = {1, 3, 7, 9, 1, 3, 7, 9};
    return d[0] >= '2' && d[0] <= '6' && wsum(d, w, 8) % 10 == pol__nat_dv(d[8]);
}

/* IN GSTIN: state 01-38, PAN, entity, 'Z', check over base 36 with factors 1, 2 (GSTN) */
int pol__nat_gstin_ok(const char *v)
{
    int st = pol__nat_num2(v);
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
int pol__nat_hetu_ok(const char *v)
{
    static const char *const signs = "+-ABCDEFUVWXY";
    if (strchr(signs, v[6]) == NULL)
        return 0;
    int century = v[6] == '+' ? 1800 : (v[6] == '-' || strchr("UVWXY", v[6])) ? 1900 : 2000;
    if (!date_ok(century + pol__nat_num2(v + 4), pol__nat_num2(v + 2), pol__nat_num2(v)))
        return 0;
    unsigned long n = 0;
    for (int i = 0; i < 10; i++)
        if (i != 6)
            n = n * 10 + (unsigned long)pol__nat_dv(v[i]);
    return "0123456789ABCDEFHJKLMNPRSTUVWXY"[n % 31] == v[10] && pol__is_digit(U(v[7])) && pol__is_digit(U(v[8])) &&
           pol__is_digit(U(v[9]));
}

/* KR RRN / FRN: YYMMDD + gender/century digit; check weights 2..9,2..5: RRN (11 - s mod 11) mod 10, FRN (13 - s mod 11) mod 10 */
int pol__nat_kr_kind(const char *d, int *check_ok)
{
    static const int w[12] = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
    int g = pol__nat_dv(d[6]);
    if (g == 9 || g == 0)
        return -1;
    int century = (g == 9 || g == 0) ? 1800 : (g <= 2 || g == 5 || g == 6) ? 1900 : 2000;
    if (!date_ok(century + pol__nat_num2(d), pol__nat_num2(d + 2), pol__nat_num2(d + 4)))
        return -1;
    int s = wsum(d, w, 12) % 11;
    if (g >= 5 && g <= 8) {
        *check_ok = (13 - s) % 10 == pol__nat_dv(d[12]);
        return POL_PII_KR_FRN;
    }
    *check_ok = (11 - s) % 10 == pol__nat_dv(d[12]);
    return POL_PII_KR_RRN;
}

/* KR business registration number: weights 1 3 7 1 3 7 1 3 5 + floor(9th * 5 / 10) (National Tax Service) */
int pol__nat_kr_brn_ok(const char *d)
{
    static const int w[9] = {1, 3, 7, 1, 3, 7, 1, 3, 5};
    int s = wsum(d, w, 9) + pol__nat_dv(d[8]) * 5 / 10;
    return (10 - s % 10) % 10 == pol__nat_dv(d[9]) && !pol__nat_all_same(d, 10);
}

/* SE personnummer / samordningsnummer (day + 60): date, Luhn over the 10-digit form (Skatteverket SKV 704) */
int pol__nat_se_pnr_ok(const char *d10, int century)
{
    int day = pol__nat_num2(d10 + 4);
    if (day > 60)
        day -= 60;
    return date_ok(century >= 0 ? century + pol__nat_num2(d10) : 2000, pol__nat_num2(d10 + 2), day) && pol__nat_luhn(d10, 10);
}

/* TR T.C. kimlik no (Nüfus ve Vatandaşlık İşleri): d10 = (7 * odd - even) mod 10, d11 = sum of the first 10 mod 10 */
int pol__nat_tckn_ok(const char *d)
{
    int odd = pol__nat_dv(d[0]) + pol__nat_dv(d[2]) + pol__nat_dv(d[4]) + pol__nat_dv(d[6]) + pol__nat_dv(d[8]);
    int even = pol__nat_dv(d[1]) + pol__nat_dv(d[3]) + pol__nat_dv(d[5]) + pol__nat_dv(d[7]);
    int s10 = odd + even + pol__nat_dv(d[9]);
    return d[0] != '0' && ((odd * 7 - even) % 10 + 10) % 10 == pol__nat_dv(d[9]) && s10 % 10 == pol__nat_dv(d[10]);
}

/* DE steuerliche Identifikationsnummer (§ 139b AO): first digit not 0, in the first 10 digits one
 * digit twice or three times (or, as Presidio's cases do, none repeated), ISO 7064 MOD 11,10 */
int pol__nat_de_taxid_ok(const char *d)
{
    int cnt[10] = {0}, twice = 0, more = 0;
    if (d[0] == '0')
        return 0;
    for (int i = 0; i < 10; i++)
        cnt[pol__nat_dv(d[i])]++;
    for (int k = 0; k < 10; k++) {
        if (cnt[k] == 2 || cnt[k] == 3)
            twice++;
        else if (cnt[k] > 3)
            more++;
    }
    return more == 0 && twice <= 1 && pol__nat_mod11_10(d, 10) == pol__nat_dv(d[10]);
}

/* KZ IIN (ЖСН): YYMMDD, century-and-sex digit 1-6, weights 1..11 mod 11, on 10 weights 3..11 1 2 */
int pol__nat_kz_iin_ok(const char *d)
{
    static const int w1[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, w2[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
    int c = pol__nat_dv(d[6]);
    if (c < 1 || c > 6 || !date_ok(-1, pol__nat_num2(d + 2), pol__nat_num2(d + 4)))
        return 0;
    int s = wsum(d, w1, 11) % 11;
    if (s == 10 && (s = wsum(d, w2, 11) % 11) == 10)
        return 0;
    return s == pol__nat_dv(d[11]);
}

/* EE isikukood / LT asmens kodas: century-and-sex digit 1-6, YYMMDD, two weight sets mod 11 */
int pol__nat_ee_ik_ok(const char *d)
{
    static const int w1[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1}, w2[10] = {3, 4, 5, 6, 7, 8, 9, 1, 2, 3};
    int c = pol__nat_dv(d[0]);
    if (c < 1 || c > 6 || !date_ok(-1, pol__nat_num2(d + 3), pol__nat_num2(d + 5)))
        return 0;
    int s = wsum(d, w1, 10) % 11;
    if (s == 10 && (s = wsum(d, w2, 10) % 11) == 10)
        s = 0;
    return s == pol__nat_dv(d[10]);
}

/* BG EGN: YYMMDD (month + 20: 1800s, + 40: 2000s), weights 2 4 8 5 10 9 7 3 6 mod 11, 10 -> 0 */
int pol__nat_bg_egn_ok(const char *d)
{
    static const int w[9] = {2, 4, 8, 5, 10, 9, 7, 3, 6};
    int m = pol__nat_num2(d + 2);
    if (m > 40)
        m -= 40;
    else if (m > 20)
        m -= 20;
    if (!date_ok(-1, m, pol__nat_num2(d + 4)))
        return 0;
    int s = wsum(d, w, 9) % 11;
    return (s == 10 ? 0 : s) == pol__nat_dv(d[9]);
}

/* HR OIB: ISO 7064 MOD 11,10 over 10 digits */
int pol__nat_hr_oib_ok(const char *d)
{
    return !pol__nat_all_same(d, 11) && pol__nat_mod11_10(d, 10) == pol__nat_dv(d[10]);
}

/* RO CNP: sex-and-century 1-9, YYMMDD, county 01-52, weights 2 7 9 1 4 6 3 5 8 2 7 9 mod 11, 10 -> 1 */
int pol__nat_ro_cnp_ok(const char *d)
{
    static const int w[12] = {2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9};
    int county = pol__nat_num2(d + 7);
    if (d[0] == '0' || county < 1 || county > 52 || !date_ok(-1, pol__nat_num2(d + 3), pol__nat_num2(d + 5)))
        return 0;
    int s = wsum(d, w, 12) % 11;
    return (s == 10 ? 1 : s) == pol__nat_dv(d[12]);
}

/* GR AMKA: DDMMYY, Luhn over 11 digits */
int pol__nat_gr_amka_ok(const char *d)
{
    return date_ok(-1, pol__nat_num2(d + 2), pol__nat_num2(d)) && pol__nat_luhn(d, 11) && !pol__nat_all_same(d + 6, 5);
}

/* CH AHV: 756, EAN-13 (weights 1 3 from the left, check digit completes a multiple of 10) */
int pol__nat_ch_ahv_ok(const char *d)
{
    if (d[0] != '7' || d[1] != '5' || d[2] != '6')
        return 0;
    int s = 0;
    for (int i = 0; i < 12; i++)
        s += pol__nat_dv(d[i]) * (i % 2 ? 3 : 1);
    return (10 - s % 10) % 10 == pol__nat_dv(d[12]);
}

/* ICAO 9303 part 3 check digit (weights 7 3 1, A = 10 .. Z = 35): DE Personalausweis/Reisepass serial */
int pol__nat_icao_ok(const char *v, size_t n)
{
    static const int w[3] = {7, 3, 1};
    int s = 0;
    for (size_t i = 0; i + 1 < n; i++)
        s += (pol__is_digit(U(v[i])) ? v[i] - '0' : v[i] - 'A' + 10) * w[i % 3];
    return s % 10 == pol__nat_dv(v[n - 1]) && pol__is_digit(U(v[n - 1]));
}

/* US ITIN (IRS): 9XX, group 50-65, 70-88, 90-92, 94-99 */
int pol__nat_itin_ok(const char *d)
{
    int g = pol__nat_num2(d + 3);
    return d[0] == '9' && ((g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94);
}

/* US NPI (CMS, 45 CFR 162.406): 10 digits starting 1 or 2, Luhn over "80840" + the number */
int pol__nat_npi_ok(const char *d)
{
    char b[15];
    memcpy(b, "80840", 5);
    memcpy(b + 5, d, 10);
    return (d[0] == '1' || d[0] == '2') && pol__nat_luhn(b, 15) && !pol__nat_all_same(d + 1, 9);
}

/* US MBI (CMS): C A AN N A AN N A A N N; letters exclude S L O I B Z */
int pol__nat_mbi_ok(const char *v)
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
int pol__nat_aba_ok(const char *d)
{
    static const int w[9] = {3, 7, 1, 3, 7, 1, 3, 7, 1};
    int p = pol__nat_num2(d);
    if (!(p <= 12 || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p == 80) || pol__nat_all_same(d, 9))
        return 0;
    return wsum(d, w, 9) % 10 == 0;
}

/* DEA registration number (21 CFR 1301): registrant type letter, name letter or 9, 7 digits,
 * (d1 + d3 + d5) + 2 (d2 + d4 + d6) ends in d7 */
int pol__nat_dea_ok(const char *v)
{
    if (strchr("ABCDEFGHJKLMPRSTUX", v[0]) == NULL || !(pol__is_alpha(U(v[1])) || v[1] == '9'))
        return 0;
    const char *d = v + 2;
    int s =
        pol__nat_dv(d[0]) + pol__nat_dv(d[2]) + pol__nat_dv(d[4]) + 2 * (pol__nat_dv(d[1]) + pol__nat_dv(d[3]) + pol__nat_dv(d[5]));
    return s % 10 == pol__nat_dv(d[6]);
}

/* CN 居民身份证 (GB 11643-1999): region, YYYYMMDD, sequence, ISO 7064 MOD 11-2 check (0-9, X) */
int pol__nat_cn_id_ok(const char *v)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int y = pol__nat_dv(v[6]) * 1000 + pol__nat_dv(v[7]) * 100 + pol__nat_num2(v + 8);
    if (v[0] < '1' || v[0] > '8' || y < 1880 || y > 2099 || !date_ok(y, pol__nat_num2(v + 10), pol__nat_num2(v + 12)))
        return 0;
    return "10X98765432"[wsum(v, w, 17) % 11] == v[17];
}

/* JP 個人番号 (My Number, 番号法施行令 第8条): weights q = n + 1 (n <= 6) or n - 5, remainder r, check 0 if r <= 1 else 11 - r */
int pol__nat_my_number_ok(const char *d)
{
    int s = 0;
    for (int n = 1; n <= 11; n++)
        s += pol__nat_dv(d[11 - n]) * (n <= 6 ? n + 1 : n - 5);
    int r = s % 11;
    return (r <= 1 ? 0 : 11 - r) == pol__nat_dv(d[11]) && !pol__nat_all_same(d, 12);
}

/* BR CPF (Receita Federal): two mod-11 check digits, weights 10..2 and 11..2 */
int pol__nat_cpf_ok(const char *d)
{
    if (pol__nat_all_same(d, 11))
        return 0;
    for (int k = 9; k <= 10; k++) {
        int s = 0;
        for (int i = 0; i < k; i++)
            s += pol__nat_dv(d[i]) * (k + 1 - i);
        if ((s * 10 % 11) % 10 != pol__nat_dv(d[k]))
            return 0;
    }
    return 1;
}

/* BR CNPJ (Receita Federal): two mod-11 check digits, weights 5..2,9..2 and 6..2,9..2 */
int pol__nat_cnpj_ok(const char *d)
{
    static const int w1[12] = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}, w2[13] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
    if (pol__nat_all_same(d, 14))
        return 0;
    int r = wsum(d, w1, 12) % 11;
    if ((r < 2 ? 0 : 11 - r) != pol__nat_dv(d[12]))
        return 0;
    r = wsum(d, w2, 13) % 11;
    return (r < 2 ? 0 : 11 - r) == pol__nat_dv(d[13]);
}

/* MX CURP (RENAPO, DOF 1996 instructivo): 4 letters, YYMMDD, H/M/X, state, 3 consonants,
 * homoclave, check = (10 - sum(val * (18 - i)) mod 10) mod 10 over "0-9A-NÑO-Z" */
int pol__nat_curp_ok(const char *v)
{
    static const char states[] = "ASBCBSCCCLCMCSCHDFDGGTGRHGJCMCMNMSNTNLOCPLQTQRSPSLSRTCTSTLVZYNZSNE";
    int st = 0;
    if (strchr("AEIOUX", v[1]) == NULL || strchr("HMX", v[10]) == NULL || !date_ok(-1, pol__nat_num2(v + 6), pol__nat_num2(v + 8)))
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
    return (10 - s % 10) % 10 == pol__nat_dv(v[17]);
}

/* FR NIR (INSEE, numéro de sécurité sociale): sex 1/2 (3, 4, 7, 8 provisional), month 01-12 or
 * 20, 30-42, 50-99 (unknown), key = 97 - (first 13 digits mod 97); Corsica (2A/2B) not covered */
int pol__nat_nir_ok(const char *d)
{
    int m = pol__nat_num2(d + 3);
    if (strchr("123478", d[0]) == NULL || !((m >= 1 && m <= 12) || m == 20 || (m >= 30 && m <= 42) || m >= 50))
        return 0;
    unsigned long long n = 0;
    for (int i = 0; i < 13; i++)
        n = n * 10 + (unsigned long long)pol__nat_dv(d[i]);
    return 97 - (int)(n % 97) == pol__nat_num2(d + 13);
}

/* NL BSN, elfproef (Wet algemene bepalingen burgerservicenummer): sum d_i (9 - i) - d9 == 0 mod 11 */
int pol__nat_bsn_ok(const char *d)
{
    static const int w[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    return !pol__nat_all_same(d, 9) && (wsum(d, w, 8) - pol__nat_dv(d[8])) % 11 == 0;
}

/* DK CPR (CPR-kontoret): DDMMYY valid; modulus 11 (weights 4 3 2 7 6 5 4 3 2 1) is no longer
 * guaranteed since 2007, so it only raises the score */
int pol__nat_cpr_date_ok(const char *d)
{
    return date_ok(-1, pol__nat_num2(d + 2), pol__nat_num2(d));
}

int pol__nat_cpr_mod11(const char *d)
{
    static const int w[10] = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
    return wsum(d, w, 10) % 11 == 0;
}

/* NO fødselsnummer / D-nummer (day + 40) (Skatteetaten): two mod-11 check digits */
int pol__nat_no_fnr_ok(const char *d)
{
    static const int w1[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2}, w2[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int day = pol__nat_num2(d);
    if (day > 40)
        day -= 40;
    if (!date_ok(-1, pol__nat_num2(d + 2), day))
        return 0;
    int k1 = 11 - wsum(d, w1, 9) % 11, k2;
    if (k1 == 11)
        k1 = 0;
    if (k1 == 10 || k1 != pol__nat_dv(d[9]))
        return 0;
    k2 = 11 - wsum(d, w2, 10) % 11;
    if (k2 == 11)
        k2 = 0;
    return k2 != 10 && k2 == pol__nat_dv(d[10]);
}

/* BE rijksregisternummer / numéro national (Wet 8 augustus 1983): YYMMDD (00 allowed), 3 digits,
 * check = 97 - (first 9 digits mod 97), with a leading 2 for births from 2000 */
int pol__nat_be_nn_ok(const char *d)
{
    int m = pol__nat_num2(d + 2), day = pol__nat_num2(d + 4);
    if (m > 12 || day > 31)
        return 0;
    unsigned long n = 0;
    for (int i = 0; i < 9; i++)
        n = n * 10 + (unsigned long)pol__nat_dv(d[i]);
    int cc = pol__nat_num2(d + 9);
    return 97 - (int)(n % 97) == cc || 97 - (int)((2000000000ul + n) % 97) == cc;
}

/* ZA identity number (Identification Act 68 of 1997): YYMMDD, 4 digits, citizenship 0-2, 1 digit, Luhn */
int pol__nat_za_ok(const char *d)
{
    return date_ok(-1, pol__nat_num2(d + 2), pol__nat_num2(d + 4)) && d[10] <= '2' && pol__nat_luhn(d, 13);
}

/* TH บัตรประชาชน (Department of Provincial Administration): first digit 1-8, check = (11 - sum d_i (13 - i) mod 11) mod 10 */
int pol__nat_th_ok(const char *d)
{
    int s = 0;
    for (int i = 0; i < 12; i++)
        s += pol__nat_dv(d[i]) * (13 - i);
    return d[0] >= '1' && d[0] <= '8' && (11 - s % 11) % 10 == pol__nat_dv(d[12]);
}

/* UK DVLA driving licence number: 5 surname characters (9-padded), decade, month (+50 female),
 * day, year, 2 initials (9-padded), 1 digit, 2 check characters */
int pol__nat_uk_dl_ok(const char *v)
{
    for (int i = 0; i < 5; i++)
        if (!(pol__is_alpha(U(v[i])) || (i > 0 && v[i] == '9')))
            return 0;
    for (int i = 1; i < 5; i++)
        if (v[i - 1] == '9' && v[i] != '9')
            return 0;
    int m = pol__nat_num2(v + 6);
    if (m > 50)
        m -= 50;
    if (!date_ok(-1, m, pol__nat_num2(v + 8)))
        return 0;
    return (pol__is_alpha(U(v[11])) || v[11] == '9') && (pol__is_alpha(U(v[12])) || v[12] == '9') && pol__is_digit(U(v[13])) &&
           pol__is_alnum(U(v[14])) && pol__is_alnum(U(v[15])) && pol__is_alpha(U(v[14]));
}

/* IN vehicle registration (Central Motor Vehicles Rules 1989, rule 50): state / UT code */
int pol__nat_in_state_ok(const char *v)
{
    static const char states[] = "ANAPARASBRCGCHDDDLDNGAGJHPHRJHJKKAKLLALDMHMLMNMPMZNLODORPBPYRJSKTGTNTRTSUKUPUTWB";
    for (size_t i = 0; i + 1 < sizeof(states); i += 2)
        if (states[i] == v[0] && states[i + 1] == v[1])
            return 1;
    return 0;
}

/* DE Krankenversichertennummer (GKV-Spitzenverband, § 290 SGB V): letter as 01-26, 8 digits,
 * weights 1 2 1 2 ... with digit sums of the products, mod 10 */
int pol__nat_de_kvnr_ok(const char *v)
{
    char d[10];
    int l = v[0] - 'A' + 1, s = 0;
    d[0] = (char)('0' + l / 10), d[1] = (char)('0' + l % 10);
    memcpy(d + 2, v + 1, 8);
    for (int i = 0; i < 10; i++) {
        int p = pol__nat_dv(d[i]) * (i % 2 ? 2 : 1);
        s += p / 10 + p % 10;
    }
    return s % 10 == pol__nat_dv(v[9]);
}

/* DE Rentenversicherungsnummer (DRV, VKVV § 2): area, DDMMYY, initial as 01-26, serial, check
 * over weights 2 1 2 5 7 1 2 1 2 1 2 1 with digit sums of the products, mod 10 */
int pol__nat_de_rvnr_ok(const char *v)
{
    static const int w[12] = {2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1};
    char d[12];
    int l = v[8] - 'A' + 1, s = 0;
    if (!date_ok(-1, pol__nat_num2(v + 4), pol__nat_num2(v + 2)))
        return 0;
    memcpy(d, v, 8);
    d[8] = (char)('0' + l / 10), d[9] = (char)('0' + l % 10);
    memcpy(d + 10, v + 9, 2);
    for (int i = 0; i < 12; i++) {
        int p = pol__nat_dv(d[i]) * w[i];
        s += p / 10 + p % 10;
    }
    return s % 10 == pol__nat_dv(v[11]);
}

/* RU ИНН (ФНС России, приказ МНС России от 03.03.2004 № БГ-3-09/178): 10 digits (organisations),
 * check = weights 2 4 10 3 5 9 4 6 8 mod 11 mod 10; 12 digits (persons), two checks with weights
 * 7 2 4 10 3 5 9 4 6 8 and 3 7 2 4 10 3 5 9 4 6 8; the region (first two digits) is not 00 */
int pol__nat_ru_inn_ok(const char *d, size_t n)
{
    static const int w10[9] = {2, 4, 10, 3, 5, 9, 4, 6, 8}, w11[10] = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8},
                     w12[11] = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    if (pol__nat_num2(d) == 0 || pol__nat_all_same(d, n))
        return 0;
    if (n == 10)
        return wsum(d, w10, 9) % 11 % 10 == pol__nat_dv(d[9]);
    return n == 12 && wsum(d, w11, 10) % 11 % 10 == pol__nat_dv(d[10]) && wsum(d, w12, 11) % 11 % 10 == pol__nat_dv(d[11]);
}

/* RU СНИЛС (Пенсионный фонд / Социальный фонд России): sum of d_i (9 - i) over 9 digits is the
 * 2-digit check (100, 101 -> 00; over 101: mod 101, 100 -> 00); only numbers above 001-001-998
 * carry it */
int pol__nat_ru_snils_ok(const char *d)
{
    static const int w[9] = {9, 8, 7, 6, 5, 4, 3, 2, 1};
    unsigned long n = 0;
    for (int i = 0; i < 9; i++)
        n = n * 10 + (unsigned long)pol__nat_dv(d[i]);
    if (n <= 1001998 || pol__nat_all_same(d, 9))
        return 0;
    int s = wsum(d, w, 9);
    if (s > 101)
        s %= 101;
    if (s == 100 || s == 101)
        s = 0;
    return s == pol__nat_num2(d + 9);
}

/* CZ / SK rodné číslo (zákon č. 133/2000 Sb. § 13, SK zákon č. 301/1995 Z. z.): YYMMDD, month + 50
 * for women, + 20 when the day's serials ran out (numbers from 2004); the 10-digit number (from
 * 1954) is divisible by 11, or its first 9 digits leave 10 and the check digit is 0 (1954-1985) */
int pol__nat_cz_rc_ok(const char *d)
{
    int yy = pol__nat_num2(d), m = pol__nat_num2(d + 2);
    int y = yy < 54 ? 2000 + yy : 1900 + yy;
    if (m > 50)
        m -= 50;
    if (m > 20) {
        if (y < 2004)
            return 0;
        m -= 20;
    }
    if (!date_ok(y, m, pol__nat_num2(d + 4)))
        return 0;
    unsigned long n = 0;
    for (int i = 0; i < 9; i++)
        n = n * 10 + (unsigned long)pol__nat_dv(d[i]);
    return (int)(n % 11 % 10) == pol__nat_dv(d[9]);
}

/* CL RUT / RUN (Registro Civil e Identificación, SII): module 11 over the body from the right
 * with weights 2 3 4 5 6 7 2 3 ..., check = 11 - sum mod 11, 11 -> 0, 10 -> K */
int pol__nat_cl_rut_ok(const char *v, size_t n)
{
    int s = 0;
    for (size_t i = 0; i < n; i++)
        s += pol__nat_dv(v[n - 1 - i]) * (int)(2 + i % 6);
    if (v[0] == '0' || pol__nat_all_same(v, n))
        return 0;
    return "0K987654321"[s % 11] == v[n];
}

/* AR CUIT / CUIL (AFIP): type 20 23 24 27 (persons), 30 33 34 (companies), weights 5 4 3 2 7 6 5 4
 * 3 2, check = 11 - sum mod 11, 11 -> 0, 10 -> 9 (python-stdnum's reading of the AFIP rule) */
int pol__nat_ar_cuit_ok(const char *d)
{
    static const int w[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int t = pol__nat_num2(d);
    if (t != 20 && t != 23 && t != 24 && t != 27 && t != 30 && t != 33 && t != 34)
        return 0;
    return "09987654321"[wsum(d, w, 10) % 11] == d[10];
}

/* PK CNIC (NADRA): first digit the province 1-7, last digit the sex (odd men, even women) */
int pol__nat_pk_cnic_ok(const char *d)
{
    return d[0] >= '1' && d[0] <= '7' && d[12] != '0';
}

/* ID NIK (UU 24/2013, area codes of Permendagri 137/2017): province, DDMMYY with day + 40 for
 * women, serial 0001-9999 */
int pol__nat_id_nik_ok(const char *d)
{
    static const char prov[] = "1112131415161718192131323334353651525361626364657172737475768182919293949596";
    int p = 0, day = pol__nat_num2(d + 6);
    for (size_t i = 0; i + 1 < sizeof(prov); i += 2)
        p |= prov[i] == d[0] && prov[i + 1] == d[1];
    if (day > 40)
        day -= 40;
    return p && date_ok(-1, pol__nat_num2(d + 8), day) && !(d[12] == '0' && d[13] == '0' && d[14] == '0' && d[15] == '0');
}

/* VN số định danh cá nhân / CCCD (Thông tư 07/2016/TT-BCA, codes of Nghị định 137/2015/NĐ-CP):
 * province of birth (63 codes 001-096), century and sex 0-3 (0/1 1900s, 2/3 2000s), YY, serial */
int pol__nat_vn_cccd_ok(const char *d)
{
    static const char prov[] = "01020406081011121415171920222425262730313334353637384042444546484951525456586062646667687072"
                               "7475777980828384868789919293949596";
    int p = 0;
    if (d[0] != '0' || d[3] > '3')
        return 0;
    for (size_t i = 0; i + 1 < sizeof(prov); i += 2)
        p |= prov[i] == d[1] && prov[i + 1] == d[2];
    return p;
}

/* MX RFC (SAT, CFF art. 27): 4 (persons) or 3 (companies) letters, YYMMDD, 3-character homoclave */
int pol__nat_mx_rfc_ok(const char *v, size_t n)
{
    size_t l = n - 9;
    for (size_t i = 0; i < n; i++)
        if (i < l ? !(v[i] >= 'A' && v[i] <= 'Z') : i < l + 6 ? !pol__is_digit(U(v[i])) : !pol__is_alnum(U(v[i])))
            return 0;
    return date_ok(-1, pol__nat_num2(v + l + 2), pol__nat_num2(v + l + 4));
}

/* MX RFC check character (SAT; python-stdnum's reading): first n - 1 characters right-aligned in
 * 12 positions, values by index in "0-9A-N&O-Z ", weights 13..2, (11 - sum mod 11) mod 11, 10 -> A */
int pol__nat_mx_rfc_check(const char *v, size_t n)
{
    static const char alpha[] = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ ";
    int s = 0;
    for (size_t i = 0; i < 12; i++) {
        char ch = i + n - 1 < 12 ? ' ' : v[i + n - 1 - 12];
        s += (int)(strchr(alpha, ch) - alpha) * (int)(13 - i);
    }
    return alpha[(11 - s % 11) % 11] == v[n - 1];
}

/* MY NRIC / MyKad (Jabatan Pendaftaran Negara): YYMMDD, place of birth code (python-stdnum's table), serial */
int pol__nat_my_nric_ok(const char *d)
{
    int pb = pol__nat_num2(d + 6);
    if (pb == 0 || (pb >= 17 && pb <= 20) || pb == 69 || pb == 70 || pb == 73 || pb == 80 || pb == 81 || (pb >= 94 && pb <= 97))
        return 0;
    return date_ok(-1, pol__nat_num2(d + 2), pol__nat_num2(d + 4));
}

/* IR کد ملی (سازمان ثبت احوال کشور): s = sum d_i (10 - i), r = s mod 11, check r < 2 ? r : 11 - r */
int pol__nat_ir_code_ok(const char *d)
{
    static const int w[9] = {10, 9, 8, 7, 6, 5, 4, 3, 2};
    int r = wsum(d, w, 9) % 11;
    return !pol__nat_all_same(d, 10) && (r < 2 ? r : 11 - r) == pol__nat_dv(d[9]);
}

/* PH TIN (BIR, Presidio's PH_TIN validation): weights 9..2 over 8 digits, sum mod 11 is the 9th */
int pol__nat_ph_tin_ok(const char *d)
{
    static const int w[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    return !pol__nat_all_same(d, 9) && wsum(d, w, 8) % 11 == pol__nat_dv(d[8]);
}

/* SA national ID / Iqama (Ministry of Interior): 1 citizens, 2 residents, Luhn over 10 digits */
int pol__nat_sa_id_ok(const char *d)
{
    return (d[0] == '1' || d[0] == '2') && pol__nat_luhn(d, 10) && !pol__nat_all_same(d + 1, 9);
}

/* AE Emirates ID (Federal Authority for Identity and Citizenship): 784, year of birth, serial,
 * Luhn over the 15 digits */
int pol__nat_ae_eid_ok(const char *d)
{
    int y = pol__nat_num2(d + 3);
    return d[0] == '7' && d[1] == '8' && d[2] == '4' && (y == 19 || y == 20) && pol__nat_luhn(d, 15);
}

/* EG national ID (Civil Status Organisation): century 2/3, YYMMDD, governorate, serial, check
 * digit (its rule is unpublished, not checked) */
int pol__nat_eg_nid_ok(const char *d)
{
    int g = pol__nat_num2(d + 7);
    if (d[0] != '2' && d[0] != '3')
        return 0;
    if (!((g >= 1 && g <= 4) || (g >= 11 && g <= 19) || (g >= 21 && g <= 29) || (g >= 31 && g <= 35) || g == 88))
        return 0;
    return date_ok((d[0] == '2' ? 1900 : 2000) + pol__nat_num2(d + 1), pol__nat_num2(d + 3), pol__nat_num2(d + 5));
}

/* session 13 */
int pol__nat_hu_taj_ok(const char *d)
{
    static const int w[8] = {3, 7, 3, 7, 3, 7, 3, 7};
    return !pol__nat_all_same(d, 9) && wsum(d, w, 8) % 10 == pol__nat_dv(d[8]);
}

int pol__nat_ua_rnokpp_ok(const char *d)
{
    static const int w[9] = {-1, 5, 7, 9, 4, 6, 10, 5, 7};
    int s = wsum(d, w, 9) % 11;
    if (s < 0)
        s += 11;
    return !pol__nat_all_same(d, 10) && s % 10 == pol__nat_dv(d[9]);
}

int pol__nat_pl_nip_ok(const char *d)
{
    static const int w[9] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    int s = wsum(d, w, 9) % 11;
    return !pol__nat_all_same(d, 10) && s != 10 && s == pol__nat_dv(d[9]);
}

int pol__nat_lk_nic_ok(const char *d, size_t n)
{
    int day;
    if (n == 12) {
        int century = pol__nat_num2(d);
        if (century != 19 && century != 20)
            return 0;
        day = pol__nat_dv(d[4]) * 100 + pol__nat_num2(d + 5);
    } else if (n == 9) {
        day = pol__nat_dv(d[2]) * 100 + pol__nat_num2(d + 3);
    } else {
        return 0;
    }
    if (day > 500)
        day -= 500;
    return day >= 1 && day <= 366 && !pol__nat_all_same(d, n);
}

int pol__nat_hkid_ok(const char *v, size_t k)
{
    int s;
    const char *p;
    if (k == 8)
        s = 36 * 9 + (v[0] - 'A' + 10) * 8, p = v + 1;
    else if (k == 9 && v[1] >= 'A' && v[1] <= 'Z')
        s = (v[0] - 'A' + 10) * 9 + (v[1] - 'A' + 10) * 8, p = v + 2;
    else
        return 0;
    if (v[0] < 'A' || v[0] > 'Z')
        return 0;
    for (int i = 0; i < 6; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        s += (p[i] - '0') * (7 - i);
    }
    int c = (11 - s % 11) % 11;
    return p[6] == (c == 10 ? 'A' : '0' + c);
}

/* session 14 */
int pol__nat_is_kt_ok(const char *d)
{
    static const int w[8] = {3, 2, 7, 6, 5, 4, 3, 2};
    if (!date_ok(-1, pol__nat_num2(d + 2), pol__nat_num2(d)) || (d[9] != '9' && d[9] != '0' && d[9] != '8'))
        return 0;
    int k = 11 - wsum(d, w, 8) % 11;
    return k != 10 && (k == 11 ? 0 : k) == pol__nat_dv(d[8]);
}

int pol__nat_lv_pk_ok(const char *d)
{
    static const int w[10] = {10, 5, 8, 4, 2, 1, 6, 3, 7, 9};
    if (d[6] < '0' || d[6] > '2' || !date_ok(-1, pol__nat_num2(d + 2), pol__nat_num2(d)))
        return 0;
    return (1 + wsum(d, w, 10)) % 11 % 10 == pol__nat_dv(d[10]);
}

int pol__nat_jmbg_ok(const char *d)
{
    static const int w[12] = {7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int y = pol__nat_dv(d[4]) * 100 + pol__nat_num2(d + 5);
    if (!(y >= 900 || y < 40) || !date_ok(y >= 900 ? 1000 + y : 2000 + y, pol__nat_num2(d + 2), pol__nat_num2(d)))
        return 0;
    return (11 - wsum(d, w, 12) % 11) % 11 % 10 == pol__nat_dv(d[12]);
}

int pol__nat_at_svnr_ok(const char *d)
{
    static const int w[10] = {3, 7, 9, 0, 5, 8, 4, 2, 1, 6};
    if (d[0] == '0' || !date_ok(-1, pol__nat_num2(d + 6), pol__nat_num2(d + 4)))
        return 0;
    int k = wsum(d, w, 10) % 11;
    return k != 10 && k == pol__nat_dv(d[3]);
}
