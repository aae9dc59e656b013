/*
 * Script-independent text handling for the PII engine: UTF-8 decoding, the word-boundary rule
 * every recognizer uses, and the normalised copy of a text that the scan runs on when the text
 * holds width or digit variants.
 *
 * Boundaries. A recognizer rejects a candidate glued to a word ("ABC1234567", "v1.2.3",
 * "x@y.comz"). Glue is an ASCII word byte [A-Za-z0-9_], or a combining mark whose base is one.
 * Every other code point is a boundary: letters of any other script (Chinese, Japanese and Thai
 * write no spaces between words; Korean and Japanese attach particles; Cyrillic, Arabic and
 * Devanagari prose puts PII next to punctuation of its own), punctuation, symbols and spaces of
 * any width. Before this file the recognizers took any byte >= 0x80 for a letter, so an e-mail
 * or phone number next to a Chinese character was never found.
 *
 * Normalisation. Full-width forms (U+FF01-FF5E, what Chinese and Japanese input methods type:
 * "１３８", "＠", "：", "－"), the ideographic space U+3000, no-break and thin spaces (U+00A0,
 * U+2000-200A, U+202F, U+205F), Unicode hyphens and minus (U+2010-2015, U+2212, U+FE63) and the
 * decimal digits of Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali and Thai are mapped
 * to their ASCII counterparts (the compatibility mappings of UnicodeData.txt for the full-width
 * and space forms, the digit value for the digits). The scan runs on that copy, so one set of
 * recognizers validates "４１１１ １１１１ １１１１ １１１１", "+7 912 345‑67‑89" and
 * "٠٥٠١٢٣٤٥٦٧"; the map takes every span back to byte offsets of the original text. Texts
 * without any of these code points (the common case, and every ASCII text) are scanned in
 * place: the test for them is one pass over the bytes, 16 at a time with SSE2.
 */
#include "policy/pii/pii_internal.h"
#include "common/pct.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define U(p) ((unsigned char)(p))

size_t pol__cp_before(const char *t, size_t i, uint32_t *cp)
{
    /* the code point that ends at i: back over up to 3 continuation bytes to a lead that decodes to exactly there */
    for (size_t n = 1; n <= 4 && n <= i; n++) {
        unsigned char b = U(t[i - n]);
        if ((b & 0xC0) != 0x80) {
            uint32_t v;
            if (pol__cp_at(t, i, i - n, &v) == n) {
                *cp = v;
                return n;
            }
            break;
        }
    }
    *cp = i > 0 && U(t[i - 1]) < 0x80 ? U(t[i - 1]) : 0xFFFD;
    return 1;
}

static int is_mark(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

static int ascii_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

int pol__escape_before(const char *t, size_t i)
{
    /* "\n", "\t", "\r", "\b", "\f" written out (a log line or a JSON snippet quoted as text), and
     * "\\n" too: JSON quoted inside a JSON string writes its newline so. Read as a separator even
     * where it is a backslash and a letter ("C:\\new"): a value after it is still found. */
    if (i >= 3 && t[i - 3] == '%' && pol__is_hex(U(t[i - 2])) && pol__is_hex(U(t[i - 1])))
        return 1; /* a percent-escape (RFC 3986 2.1) in a URL or form body quoted as text: "phone=%2B14155550132" */
    if (i < 2 || t[i - 2] != '\\')
        return 0;
    unsigned char b = U(t[i - 1]);
    return b == 'n' || b == 't' || b == 'r' || b == 'b' || b == 'f';
}

int pol__glue_before(const char *t, size_t i)
{
    while (i > 0) {
        unsigned char b = U(t[i - 1]);
        if (b < 0x80)
            return ascii_word(b) && !pol__escape_before(t, i);
        uint32_t cp;
        size_t n = pol__cp_before(t, i, &cp);
        if (!is_mark(cp))
            return 0;
        i -= n; /* a combining mark belongs to the character before it */
    }
    return 0;
}

int pol__glue_after(const char *t, size_t len, size_t i)
{
    return i < len && U(t[i]) < 0x80 && ascii_word(U(t[i]));
}

/* ---- normalisation ---- */

/* The ASCII byte a code point normalises to, POL__NORM_DROP if the copy leaves it out, or 0 if it stays.
 * Left out: every Default_Ignorable_Code_Point of Unicode 15 (DerivedCoreProperties.txt): soft hyphen U+00AD, combining
 * grapheme joiner U+034F, Arabic letter mark U+061C, the Hangul fillers U+115F-1160, U+3164, U+FFA0, Khmer inherent
 * vowels U+17B4-17B5, Mongolian variation selectors and vowel separator U+180B-180F, zero width space / non-joiner /
 * joiner and the bidi marks U+200B-200F, embeddings U+202A-202E, word joiner, invisible operators and isolates
 * U+2060-206F, variation selectors U+FE00-FE0F and U+E0100-E01EF, U+FEFF, U+FFF0-FFF8, shorthand format controls
 * U+1BCA0-1BCA3, musical format controls U+1D173-1D17A and the rest of U+E0000-E0FFF; and the C1 controls U+0080-009F
 * (U+0085 NEXT LINE is a line break: a space) and the combining enclosing keycap U+20E3 (with U+FE0F it draws a digit
 * in a key: "4\ufe0f\u20e3" is a 4 to whoever reads it). Copied text (web pages, PDFs, chat apps, user names made
 * "blank" with a Hangul filler) carries them inside numbers and addresses, and a reader (or a model) sees
 * "4111 1111 1111 1111" in "4111\u200b1111..." all the same. The tag characters U+E0020-E007E (Unicode 15 section 23.9)
 * are invisible copies of ASCII 0x20-0x7E that language models read as the ASCII they shadow ("ASCII smuggling"):
 * they normalise to that ASCII. */
static unsigned char norm_of(uint32_t cp)
{
    if (cp >= 0x80 && cp <= 0x9F)
        return cp == 0x85 ? ' ' : POL__NORM_DROP;
    if (cp == 0xAD || cp == 0x34F || cp == 0x61C || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 ||
        (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2060 && cp <= 0x206F) || cp == 0x20E3 || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
        cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8) || (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A))
        return POL__NORM_DROP;
    if (cp >= 0xE0000 && cp <= 0xE0FFF)
        return cp >= 0xE0020 && cp <= 0xE007E ? (unsigned char)(cp - 0xE0000) : POL__NORM_DROP;
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return (unsigned char)(cp - 0xFF01 + 0x21);
    if (cp == 0x3000 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F)
        return ' ';
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63)
        return '-';
    if (cp >= 0x0660 && cp <= 0x0669)
        return (unsigned char)('0' + cp - 0x0660);
    if (cp >= 0x06F0 && cp <= 0x06F9)
        return (unsigned char)('0' + cp - 0x06F0);
    /* the decimal digits of the ten Brahmic blocks from Devanagari to Sinhala (U+0966, U+09E6, ... U+0DE6: each block's
       digits at offset 0x66 of its 128 code points; Tamil, Telugu, Kannada, Malayalam, Gujarati, Gurmukhi, Oriya,
       Sinhala Lith: session 12), Thai, Lao, Tibetan, Myanmar (and its Shan digits), Khmer and Mongolian (UnicodeData.txt
       general category Nd, digit value) */
    if (cp >= 0x0966 && cp <= 0x0DEF && (cp & 0x7F) >= 0x66 && (cp & 0x7F) <= 0x6F)
        return (unsigned char)('0' + (cp & 0x7F) - 0x66);
    if (cp >= 0x0E50 && cp <= 0x0E59)
        return (unsigned char)('0' + cp - 0x0E50);
    if (cp >= 0x0ED0 && cp <= 0x0ED9)
        return (unsigned char)('0' + cp - 0x0ED0);
    if (cp >= 0x0F20 && cp <= 0x0F29)
        return (unsigned char)('0' + cp - 0x0F20);
    if (cp >= 0x1040 && cp <= 0x1049)
        return (unsigned char)('0' + cp - 0x1040);
    if (cp >= 0x1090 && cp <= 0x1099)
        return (unsigned char)('0' + cp - 0x1090);
    if (cp >= 0x17E0 && cp <= 0x17E9)
        return (unsigned char)('0' + cp - 0x17E0);
    if (cp >= 0x1810 && cp <= 0x1819)
        return (unsigned char)('0' + cp - 0x1810);
    if (cp == 0xFE6B)
        return '@'; /* SMALL COMMERCIAL AT (compatibility <small> of U+0040) */
    /* Mathematical Alphanumeric Symbols (compatibility <font> of Latin letters and digits: the "bold", "italic",
       "script" letters of fancy-text generators in user names and bios, 𝐣𝐚𝐧𝐞@𝐞𝐱𝐚𝐦𝐩𝐥𝐞.𝐜𝐨𝐦): 13 alphabets of 52 letters
       from U+1D400 (the reserved holes of the italic / script / fraktur alphabets map too: no text holds them) and 5
       sets of digits from U+1D7CE */
    if (cp >= 0x1D400 && cp <= 0x1D6A3) {
        uint32_t k = (cp - 0x1D400) % 52;
        return (unsigned char)(k < 26 ? 'A' + k : 'a' + k - 26);
    }
    if (cp >= 0x1D7CE && cp <= 0x1D7FF)
        return (unsigned char)('0' + (cp - 0x1D7CE) % 10);
    return 0;
}

/* Whether b leads a code point norm_of maps (the first bytes of norm_at's patterns below) */
static inline int norm_lead(unsigned char b)
{
    return b == 0xC2 || b == 0xCD || b == 0xD8 || b == 0xD9 || b == 0xDB || (b >= 0xE0 && b <= 0xE3) || b == 0xEF || b == 0xF0 ||
           b == 0xF3;
}

/* The ASCII byte the code point at t[i] (a byte >= 0xC2) normalises to, 0 if none; *n receives
 * its length. Byte patterns of exactly the code points norm_of maps (checked against norm_of by pol__norm_selftest
 * over the BMP and planes 1 and 14): C2 80-9F, A0, AD; CD 8F; D8 9C; D9 A0-A9; DB B0-B9; E0 A5/A7/A9/AB/AD/AF/B1/B3/B5/B7
 * A6-AF (the digits of Devanagari ... Sinhala), E0 B9 90-99 (Thai), E0 BB 90-99 (Lao), E0 BC A0-A9 (Tibetan); E1 81 80-89,
 * E1 82 90-99 (Myanmar), E1 9F A0-A9 (Khmer), E1 A0 90-99 (Mongolian); E1 85 9F-A0, E1 9E B4-B5, E1 A0 8B-8F (dropped);
 * E2 80 80-95, AA-AF; E2 81 9F-AF; E2 83 A3; E2 88 92; E3 80 80; E3 85 A4; EF B8 80-8F; EF B9 A3, AB; EF BB BF;
 * EF BC 81 - EF BD 9E; EF BE A0; EF BF B0-B8; F0 9B B2 A0-A3; F0 9D 85 B3-BA; F0 9D 90 80 - F0 9D 9A A3,
 * F0 9D 9F 8E - F0 9D 9F BF (mathematical letters and digits); F3 A0 80 80 - F3 A0 BF BF (tags, U+E0000-E0FFF). */
static inline unsigned char norm_at(const char *t, size_t len, size_t i, size_t *n)
{
    unsigned char b = U(t[i]), c = i + 1 < len ? U(t[i + 1]) : 0, d = i + 2 < len ? U(t[i + 2]) : 0;
    *n = 1;
    switch (b) {
    case 0xC2:
        if (c >= 0x80 && c <= 0x9F)
            return *n = 2, c == 0x85 ? ' ' : POL__NORM_DROP;
        if (c == 0xAD)
            return *n = 2, POL__NORM_DROP;
        return c == 0xA0 ? (*n = 2, ' ') : 0;
    case 0xCD:
        return c == 0x8F ? (*n = 2, POL__NORM_DROP) : 0;
    case 0xD8:
        return c == 0x9C ? (*n = 2, POL__NORM_DROP) : 0;
    case 0xD9:
        return c >= 0xA0 && c <= 0xA9 ? (*n = 2, (unsigned char)('0' + c - 0xA0)) : 0;
    case 0xDB:
        return c >= 0xB0 && c <= 0xB9 ? (*n = 2, (unsigned char)('0' + c - 0xB0)) : 0;
    case 0xE0:
        if (c >= 0xA5 && c <= 0xB7 && (c & 1) && d >= 0xA6 && d <= 0xAF)
            return *n = 3, (unsigned char)('0' + d - 0xA6);
        if ((c == 0xB9 || c == 0xBB) && d >= 0x90 && d <= 0x99)
            return *n = 3, (unsigned char)('0' + d - 0x90);
        if (c == 0xBC && d >= 0xA0 && d <= 0xA9)
            return *n = 3, (unsigned char)('0' + d - 0xA0);
        return 0;
    case 0xE1:
        if ((c == 0x81 && d >= 0x80 && d <= 0x89) || (c == 0x9F && d >= 0xA0 && d <= 0xA9))
            return *n = 3, (unsigned char)('0' + (d & 0x0F));
        if ((c == 0x82 || c == 0xA0) && d >= 0x90 && d <= 0x99)
            return *n = 3, (unsigned char)('0' + d - 0x90);
        if ((c == 0x85 && (d == 0x9F || d == 0xA0)) || (c == 0x9E && (d == 0xB4 || d == 0xB5)) ||
            (c == 0xA0 && d >= 0x8B && d <= 0x8F))
            return *n = 3, POL__NORM_DROP;
        return 0;
    case 0xE2:
        if (c == 0x80 && ((d >= 0x80 && d <= 0x8A) || d == 0xAF))
            return *n = 3, ' ';
        if (c == 0x80 && d >= 0x90 && d <= 0x95)
            return *n = 3, '-';
        if (c == 0x80 && ((d >= 0x8B && d <= 0x8F) || (d >= 0xAA && d <= 0xAE)))
            return *n = 3, POL__NORM_DROP;
        if (c == 0x81 && d == 0x9F)
            return *n = 3, ' ';
        if ((c == 0x81 && d >= 0xA0 && d <= 0xAF) || (c == 0x83 && d == 0xA3))
            return *n = 3, POL__NORM_DROP;
        if (c == 0x88 && d == 0x92)
            return *n = 3, '-';
        return 0;
    case 0xE3:
        if (c == 0x85 && d == 0xA4)
            return *n = 3, POL__NORM_DROP;
        return c == 0x80 && d == 0x80 ? (*n = 3, ' ') : 0;
    case 0xEF:
        if ((c == 0xB8 && d >= 0x80 && d <= 0x8F) || (c == 0xBB && d == 0xBF) || (c == 0xBE && d == 0xA0) ||
            (c == 0xBF && d >= 0xB0 && d <= 0xB8))
            return *n = 3, POL__NORM_DROP;
        if (c == 0xB9 && d == 0xA3)
            return *n = 3, '-';
        if (c == 0xB9 && d == 0xAB)
            return *n = 3, '@';
        if (c == 0xBC && d >= 0x81 && d <= 0xBF)
            return *n = 3, (unsigned char)(d - 0x81 + 0x21);
        if (c == 0xBD && d >= 0x80 && d <= 0x9E)
            return *n = 3, (unsigned char)(d - 0x80 + 0x21 + 0x3F);
        return 0;
    case 0xF0:
    case 0xF3: {
        /* F0 9B B2 A0-A3 (U+1BCA0-1BCA3), F0 9D 85 B3 - F0 9D 9F BF (U+1D173-1D7FF), F3 A0 80 80 - F3 A0 BF BF
           (U+E0000-E0FFF): the code point's low 12 bits are d and e */
        unsigned char e = i + 3 < len ? U(t[i + 3]) : 0;
        uint32_t hi = b == 0xF3 ? (c == 0xA0 ? 0xE0000u : 0) : c == 0x9D ? 0x1D000u : c == 0x9B ? 0x1B000u : 0;
        if (hi == 0 || (e & 0xC0) != 0x80 || (d & 0xC0) != 0x80)
            return 0;
        uint32_t cp = hi | (uint32_t)(d & 0x3F) << 6 | (e & 0x3Fu);
        unsigned char a = norm_of(cp);
        if (a != 0)
            *n = 4;
        return a;
    }
    default:
        return 0;
    }
}

/* What an escape of code point cp decodes to: the ASCII byte of a printable ASCII code point, what norm_of maps it to,
 * POL__NORM_CP (*out = cp) for any other scalar value from U+00A0 on (the copy writes its UTF-8, never longer than the
 * shortest escape of it), or 0: ASCII controls, DEL, the C1 range U+0080-009F (HTML reads &#128;-&#159; as
 * Windows-1252; a string literal as controls), surrogates, values above U+10FFFF. */
static unsigned char esc_cp(uint32_t cp, uint32_t *out)
{
    if (cp >= 0x20 && cp <= 0x7E)
        return (unsigned char)cp;
    if (cp < 0xA0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    unsigned char a = norm_of(cp);
    if (a != 0)
        return a;
    *out = cp;
    return POL__NORM_CP;
}

/* HTML character references (WHATWG HTML "Character references"): a page or an e-mail quoted in a prompt writes
 * `jane.doe&#64;example.com`, `&#x40;`, `&commat;`, `Zo&euml;`, `&#x5F20;&#x4F1F;`, and a reader of the rendered text
 * sees the address and the name. What the reference at t[i] ('&') stands for (esc_cp: an ASCII byte, POL__NORM_DROP for
 * an invisible format character, POL__NORM_CP and *cp for a character outside ASCII), or 0 (*n = 1) when it is none of
 * them: decimal or hexadecimal references of 1-7 digits ending in ';', the named ones of punctuation that occurs in
 * personal data, and (session 12) the named letters of Latin-1 and Latin Extended-A that names are written with
 * (`&eacute;`, `&Ouml;`, `&szlig;`, `&scaron;`; HTML 4.01 section 24.2 and 24.3, the same names in WHATWG's table). */
static unsigned char ent_at(const char *t, size_t len, size_t i, size_t *n, uint32_t *cp_out)
{
    static const struct {
        const char *name;
        unsigned char to;
    } named[] = {{"commat;", '@'}, {"period;", '.'}, {"nbsp;", ' '}, {"plus;", '+'},  {"hyphen;", '-'}, {"dash;", '-'},
                 {"lowbar;", '_'}, {"lpar;", '('},   {"rpar;", ')'}, {"colon;", ':'}, {"sol;", '/'},    {"num;", '#'}};
    /* U+00C0-00FF in code point order (U+00D7 times, U+00F7 divide: no letters, left out) */
    static const char *const latin1[64] = {
        "Agrave", "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",
        "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
        "Ouml",   NULL,     "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",  "szlig",  "agrave",
        "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil", "egrave", "eacute", "ecirc",  "euml",
        "igrave", "iacute", "icirc",  "iuml",   "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",
        NULL,     "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};
    static const struct {
        const char *name;
        uint16_t cp;
    } ext[] = {{"OElig", 0x152}, {"oelig", 0x153}, {"Scaron", 0x160}, {"scaron", 0x161}, {"Yuml", 0x178}};
    *n = 1;
    if (i + 3 >= len || t[i] != '&')
        return 0;
    if (t[i + 1] == '#') {
        size_t j = i + 2;
        int hex = t[j] == 'x' || t[j] == 'X';
        j += (size_t)hex;
        uint32_t cp = 0;
        size_t d0 = j;
        for (; j < len && j - d0 < 7; j++) {
            int v = gw_hexval(U(t[j]));
            if (v < 0 || (!hex && v > 9))
                break;
            cp = cp * (hex ? 16u : 10u) + (uint32_t)v;
        }
        if (j == d0 || j >= len || t[j] != ';')
            return 0;
        unsigned char a = esc_cp(cp, cp_out);
        if (a != 0)
            *n = j + 1 - i;
        return a;
    }
    for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
        size_t l = strlen(named[k].name);
        if (i + 1 + l <= len && memcmp(t + i + 1, named[k].name, l) == 0)
            return *n = l + 1, named[k].to;
    }
    /* a named letter: 2-6 ASCII letters and ';' */
    size_t e = i + 1;
    while (e < len && e - i <= 7 && pol__is_alpha(U(t[e])))
        e++;
    if (e >= len || t[e] != ';' || e - i < 3)
        return 0;
    size_t l = e - i - 1;
    for (size_t k = 0; k < 64; k++)
        if (latin1[k] != NULL && strlen(latin1[k]) == l && memcmp(t + i + 1, latin1[k], l) == 0)
            return *n = l + 2, *cp_out = 0xC0 + (uint32_t)k, POL__NORM_CP;
    for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++)
        if (strlen(ext[k].name) == l && memcmp(t + i + 1, ext[k].name, l) == 0)
            return *n = l + 2, *cp_out = ext[k].cp, POL__NORM_CP;
    return 0;
}

/* Percent-encoding (RFC 3986 section 2.1) outside URLs: a log line, a form body or a query string pasted as text
 * writes `user=jane.doe%40example.com`, `phone=%2B1%20415%20555%200132`, and whoever reads it (a model included) reads
 * the address and the number. The ASCII byte the escape at t[i] ('%') stands for (*n = 3): a printable ASCII character
 * (0x20-0x7E: first hex digit 2-7), or 0 (*n = 1) for anything else (`50%`, `%d`, `%APPDATA%`, `%E5%BC%A0`: bytes of
 * a multi-byte character are left as they are). Escapes inside a URL are not decoded (url_scan): the URL recognizer
 * scores a URL with its query as one span, and a decoded address inside it would win over it and leave the rest. */
static unsigned char pct_at(const char *t, size_t len, size_t i, size_t *n)
{
    int v = gw_pct_at(t, len, i);
    *n = v >= 0x20 && v <= 0x7E ? 3 : 1;
    return *n == 3 ? (unsigned char)v : 0;
}

/* The value of the `digits` hex digits at t[i], or -1 if one is missing (common/hex.h gw_hexval) */
static long hex_run(const char *t, size_t len, size_t i, size_t digits)
{
    if (i + digits > len)
        return -1;
    long v = 0;
    for (size_t j = 0; j < digits; j++) {
        int h = gw_hexval(U(t[i + j]));
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

/* Backslash escapes of programming languages and JSON: a string literal, a log line or a JSON document quoted as text
 * writes `jane.doe\u0040example.com`, `\x2B1 415 555 0132`, `\u5f20\u4f1f` (JSON RFC 8259 section 7, ECMAScript,
 * Python, C), and whoever reads it (a model included) reads the address, the number and the name. What the escape at
 * t[i] ('\\') stands for (esc_cp: an ASCII byte, POL__NORM_DROP, or POL__NORM_CP and *cp for a character outside
 * ASCII, session 12): `\uXXXX` (*n = 6; a UTF-16 surrogate pair `\uD83D\uDE00` as one, *n = 12; a lone surrogate is
 * none) and `\UXXXXXXXX` (*n = 10), `\xHH` (*n = 4) of a printable ASCII byte (`\xe5\xbc\xa0`, the UTF-8 bytes of a
 * Python bytes literal, stay as written, as `%E5` does); else 0 (*n = 1): `\n`, `\\`, `C:\Users`. An escape preceded by
 * another backslash is one too (`\\u0040` reads as `\` and `@` to a reader who unescapes twice, as JSON inside JSON is).
 * The copy is never longer than the text: the UTF-8 of a code point is at most as long as its shortest escape. */
static unsigned char bsl_at(const char *t, size_t len, size_t i, size_t *n, uint32_t *cp_out)
{
    *n = 1;
    if (i + 3 >= len || t[i] != '\\')
        return 0;
    unsigned char k = U(t[i + 1]);
    size_t digits = k == 'u' ? 4 : k == 'U' ? 8 : k == 'x' ? 2 : 0;
    long v = digits != 0 ? hex_run(t, len, i + 2, digits) : -1;
    if (v < 0)
        return 0;
    uint32_t cp = (uint32_t)v;
    size_t el = 2 + digits;
    if (k == 'x' && cp > 0x7E)
        return 0;
    if (k == 'u' && cp >= 0xD800 && cp <= 0xDBFF && i + 12 <= len && t[i + 6] == '\\' && t[i + 7] == 'u') {
        long lo = hex_run(t, len, i + 8, 4);
        if (lo >= 0xDC00 && lo <= 0xDFFF)
            cp = 0x10000 + ((cp - 0xD800) << 10) + (uint32_t)(lo - 0xDC00), el = 12;
    }
    unsigned char a = esc_cp(cp, cp_out);
    if (a != 0)
        *n = el;
    return a;
}

/* Where a token ends: ASCII space and controls, quotes, brackets, `|`, `\\` and every byte >= 0x80 (a URL glued to
 * Chinese prose starts after it). */
static int tok_delim(unsigned char b)
{
    return b <= ' ' || b >= 0x80 || b == '"' || b == '\'' || b == '<' || b == '>' || b == '`' || b == '(' || b == ')' || b == '[' ||
           b == ']' || b == '{' || b == '}' || b == '|' || b == '\\';
}

/* Whether t[i] lies in a URL: its token holds `://` or starts with `www.` before i. Callers ask for increasing i; st
 * carries the scan forward (pos == SIZE_MAX before the first question, which scans back to its token's start), so a
 * text costs one pass however many escapes it holds. */
typedef struct {
    size_t pos;
    int url;
} url_scan_t;

static int in_url(const char *t, size_t len, size_t i, url_scan_t *st)
{
    if (st->pos == SIZE_MAX || st->pos > i) {
        size_t s = i;
        while (s > 0 && !tok_delim(U(t[s - 1])))
            s--;
        st->pos = s;
        st->url = 0;
    }
    for (size_t k = st->pos; k < i; k++) {
        unsigned char b = U(t[k]);
        if (tok_delim(b))
            st->url = 0;
        else if ((b == ':' && k + 2 < len && t[k + 1] == '/' && t[k + 2] == '/') ||
                 ((b | 0x20u) == 'w' && (k == 0 || tok_delim(U(t[k - 1]))) && k + 4 <= len && (t[k + 1] | 0x20) == 'w' &&
                  (t[k + 2] | 0x20) == 'w' && t[k + 3] == '.'))
            st->url = 1;
    }
    st->pos = i;
    return st->url;
}

/* The C0 controls a reader does not see inside a value: U+0000-0008, U+000E-001F and U+007F (a JSON string writes
 * them as `\u0000`-`\u001f`; `jane.doe\u0000@example.com` is the address to a model). Tab, line feed, vertical tab,
 * form feed and carriage return are whitespace and stay. */
static inline int ctl_byte(unsigned char b)
{
    return (b < 0x20 && (b < 0x09 || b > 0x0D)) || b == 0x7F;
}

#if defined(__SSE2__)
/* 0xFF at each ctl_byte of the 16 bytes at p */
static inline __m128i ctl16(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p), w = _mm_sub_epi8(v, _mm_set1_epi8(0x09));
    __m128i c0 = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v); /* <= 0x1F */
    __m128i ws = _mm_cmpeq_epi8(_mm_min_epu8(w, _mm_set1_epi8(0x04)), w); /* 0x09-0x0D */
    return _mm_or_si128(_mm_andnot_si128(ws, c0), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
}
#endif

/* Position of the first ctl_byte at or after i, or len: 64 bytes a step (SSE2, one branch per step), about the cost of
 * one memchr */
static size_t next_ctl(const char *t, size_t len, size_t i)
{
#if defined(__SSE2__)
    for (; i + 64 <= len; i += 64)
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ctl16(t + i), ctl16(t + i + 16)),
                                           _mm_or_si128(ctl16(t + i + 32), ctl16(t + i + 48)))) != 0)
            break; /* found below, 16 bytes a step */
    for (; i + 16 <= len; i += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(ctl16(t + i));
        if (m != 0)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    for (; i < len; i++)
        if (ctl_byte(U(t[i])))
            return i;
    return len;
}

/* What the normalisation writes for the candidate at t[i] (a lead byte, '&', '%', '\\' or a C0 control), *n its
 * length: a C0 control is left out, except the information separators U+001C-001F, which separate (a space);
 * POL__NORM_CP: the UTF-8 of *cp. */
static inline unsigned char map_at(const char *t, size_t len, size_t i, size_t *n, url_scan_t *st, uint32_t *cp)
{
    if (t[i] == '%') {
        unsigned char a = pct_at(t, len, i, n);
        if (a != 0 && in_url(t, len, i, st))
            return *n = 1, 0;
        return a;
    }
    if (ctl_byte(U(t[i])))
        return *n = 1, U(t[i]) >= 0x1C && U(t[i]) <= 0x1F ? ' ' : POL__NORM_DROP;
    return t[i] == '&' ? ent_at(t, len, i, n, cp) : t[i] == '\\' ? bsl_at(t, len, i, n, cp) : norm_at(t, len, i, n);
}

/* escape kinds a text holds (normalize_from's esc) */
#define ESC_AMP 1
#define ESC_PCT 2
#define ESC_BSL 4
#define ESC_CTL 8

/* Position of the first byte at or after i that can start a mapped code point (C2-F3), a character reference ('&',
 * esc & ESC_AMP) or a percent-escape ('%', esc & ESC_PCT), or len: one byte a step (texts with an '&' or a '%' only). */
static size_t next_lead_or_esc(const char *t, size_t len, size_t i, int esc)
{
    for (; i < len; i++) {
        unsigned char b = U(t[i]);
        if ((b == '&' && (esc & ESC_AMP)) || (b == '%' && (esc & ESC_PCT)) || (b == '\\' && (esc & ESC_BSL)) ||
            (ctl_byte(b) && (esc & ESC_CTL)) || (b >= 0xC2 && b <= 0xF3))
            return i;
    }
    return len;
}

/* The escape kinds of t[from, len) */
static int esc_kinds(const char *t, size_t len, size_t from)
{
    return from >= len
               ? 0
               : (memchr(t + from, '&', len - from) != NULL ? ESC_AMP : 0) |
                     (memchr(t + from, '%', len - from) != NULL ? ESC_PCT : 0) |
                     (memchr(t + from, '\\', len - from) != NULL ? ESC_BSL : 0) | (next_ctl(t, len, from) < len ? ESC_CTL : 0);
}

/* The next candidate of the fast copy in a text with escapes: the nearest of the next '&' / '%' (memchr) and the next
 * lead of a mapped code point (next_norm_lead, SSE2), each remembered until passed, so a text with escapes is not
 * walked byte by byte (a '%' of "50%" or "%d" in a prompt cost a byte loop over the rest of its text) */
typedef struct {
    size_t amp, pct, bsl, ctl, lead;
} cand_cursor_t;

static size_t next_norm_lead(const char *t, size_t len, size_t i);

static size_t next_cand(const char *t, size_t len, size_t i, int esc, cand_cursor_t *k, int leads)
{
    if (leads && (k->lead == SIZE_MAX || k->lead < i))
        k->lead = next_norm_lead(t, len, i);
    if ((esc & ESC_AMP) && (k->amp == SIZE_MAX || k->amp < i)) {
        const char *a = i < len ? memchr(t + i, '&', len - i) : NULL;
        k->amp = a != NULL ? (size_t)(a - t) : len;
    }
    if ((esc & ESC_PCT) && (k->pct == SIZE_MAX || k->pct < i)) {
        const char *p = i < len ? memchr(t + i, '%', len - i) : NULL;
        k->pct = p != NULL ? (size_t)(p - t) : len;
    }
    if ((esc & ESC_BSL) && (k->bsl == SIZE_MAX || k->bsl < i)) {
        const char *p = i < len ? memchr(t + i, '\\', len - i) : NULL;
        k->bsl = p != NULL ? (size_t)(p - t) : len;
    }
    if ((esc & ESC_CTL) && (k->ctl == SIZE_MAX || k->ctl < i))
        k->ctl = next_ctl(t, len, i);
    size_t j = leads ? k->lead : len;
    if ((esc & ESC_AMP) && k->amp < j)
        j = k->amp;
    if ((esc & ESC_PCT) && k->pct < j)
        j = k->pct;
    if ((esc & ESC_BSL) && k->bsl < j)
        j = k->bsl;
    if ((esc & ESC_CTL) && k->ctl < j)
        j = k->ctl;
    return j;
}

/* The first escape before f that decodes (a character reference, a percent-escape outside a URL), or f. */
static size_t first_esc(const char *t, size_t len, size_t f)
{
    int esc = esc_kinds(t, f, 0);
    if (esc == 0)
        return f;
    url_scan_t st = {SIZE_MAX, 0};
    cand_cursor_t k = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    uint32_t cp;
    for (size_t i = next_cand(t, f, 0, esc, &k, 0), n; i < f; i = next_cand(t, f, i + 1, esc, &k, 0))
        if (map_at(t, len, i, &n, &st, &cp) != 0)
            return i;
    return f;
}

int pol__norm_selftest(void)
{
    /* norm_at's byte patterns == norm_of's code points, over the whole BMP */
    for (uint32_t cp = 0x80; cp < 0x10000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char u[4];
        size_t l = cp < 0x800 ? 2 : 3, n;
        if (l == 2)
            u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F));
        else
            u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[2] = (char)(0x80 | (cp & 0x3F));
        unsigned char a = U(u[0]) >= 0xC2 ? norm_at(u, l, 0, &n) : 0;
        if (a != norm_of(cp) || (a != 0 && (n != l || !norm_lead(U(u[0])))))
            return -1;
    }
    /* and over the planes of the mathematical letters and digits (U+1xxxx, 4 bytes, lead F0) and of the tags (U+Exxxx,
       lead F3) */
    for (uint32_t cp = 0x10000; cp < 0xF0000; cp = cp == 0x1FFFF ? 0xE0000 : cp + 1) {
        char u[4] = {(char)(0xF0 | cp >> 18), (char)(0x80 | ((cp >> 12) & 0x3F)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                     (char)(0x80 | (cp & 0x3F))};
        size_t n;
        unsigned char a = norm_at(u, 4, 0, &n);
        if (a != norm_of(cp) || (a != 0 && (n != 4 || !norm_lead(U(u[0])))))
            return -1;
    }
    return 0;
}

#if defined(__SSE2__)
/* i moved past whole 64-byte blocks of ASCII (the common case: English prompts, code, JSON) */
static inline size_t skip_ascii64(const char *t, size_t len, size_t i)
{
    while (i + 64 <= len) {
        const __m128i *q = (const __m128i *)(const void *)(t + i);
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_loadu_si128(q), _mm_loadu_si128(q + 1)),
                                           _mm_or_si128(_mm_loadu_si128(q + 2), _mm_loadu_si128(q + 3)))) != 0)
            break;
        i += 64;
    }
    return i;
}
#endif

/* Position of the first code point that normalises, or len. *scripts receives the POL__SCRIPT_*
 * bits of the scripts whose lead bytes occur (E3-ED kana, ideographs, Hangul; D0-D4 Cyrillic;
 * D8-DB Arabic; E0 A4/A5 Devanagari, A6/A7 Bengali, B8/B9 Thai). */
size_t pol__next_byte_in(const char *t, size_t len, size_t i, unsigned char lo, unsigned char hi)
{
    if (lo < 0x80)
        lo = 0x80; /* the callers look for lead bytes only */
#if defined(__SSE2__)
    /* 16 bytes per step: x in [lo, hi] as a signed compare after shifting lo to -128 */
    const __m128i bias = _mm_set1_epi8((char)(0x80 - lo)), lim = _mm_set1_epi8((char)(0x80 + (hi - lo) + 1 - 256));
    for (; i + 16 <= len; i += 16) {
        /* every range asked for is >= 0x80: ASCII text goes 64 bytes per step on the high bits */
        i = skip_ascii64(t, len, i);
        if (i + 16 > len)
            break;
        __m128i v = _mm_add_epi8(_mm_loadu_si128((const __m128i *)(const void *)(t + i)), bias);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, lim));
        if (m != 0)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    for (; i < len; i++)
        if (U(t[i]) >= lo && U(t[i]) <= hi)
            return i;
    return len;
}

/* The script bits of the E0 bytes at [i, i + 16) flagged in m: E0 followed by A4/A5 is a Devanagari lead (U+0900-097F),
 * A6/A7 Bengali (U+0980-09FF), B8/B9 Thai (U+0E00-0E7F), AE/AF Tamil, B0/B1 Telugu, B6/B7 Sinhala (POL__SCRIPT_WORLD) */
static unsigned e0_bits(const char *t, size_t len, size_t i, unsigned m)
{
    unsigned s = 0;
    for (; m != 0; m &= m - 1) {
        size_t j = i + (size_t)__builtin_ctz(m);
        if (j + 1 >= len)
            continue;
        unsigned char b = U(t[j + 1]);
        if (b == 0xA4 || b == 0xA5)
            s |= POL__SCRIPT_DEVANAGARI;
        else if (b == 0xA6 || b == 0xA7)
            s |= POL__SCRIPT_BENGALI;
        else if (b == 0xB8 || b == 0xB9)
            s |= POL__SCRIPT_THAI;
        else if (b == 0xAE || b == 0xAF || b == 0xB0 || b == 0xB1 || b == 0xB6 || b == 0xB7)
            s |= POL__SCRIPT_WORLD; /* Tamil, Telugu, Sinhala */
    }
    return s;
}

/* The reference of the two passes below (pol__normalize_ref, for the differential test): visits every lead byte of a
 * 2-4 byte sequence (C2-F4). Position of the first code point that normalises, or len. *scripts receives the
 * POL__SCRIPT_* bits of the scripts whose lead bytes occur (E3-ED kana, ideographs, Hangul; D0-D4 Cyrillic; D8-DB
 * Arabic; E0 A4/A5 Devanagari, E0 A6/A7 Bengali, E0 B8/B9 Thai; CE-CF Greek; D7 Hebrew). */
static size_t first_norm_ref(const char *t, size_t len, unsigned *scripts)
{
    size_t i = 0, found = len;
    *scripts = 0;
    while ((i = pol__next_byte_in(t, len, i, 0xC2, 0xF4)) < len) {
        unsigned char b = U(t[i]);
        size_t n;
        if (b >= 0xE3 && b <= 0xED)
            *scripts |= POL__SCRIPT_CJK;
        else if (b >= 0xD0 && b <= 0xD4)
            *scripts |= POL__SCRIPT_CYRILLIC;
        else if (b >= 0xD8 && b <= 0xDB)
            *scripts |= POL__SCRIPT_ARABIC;
        else if (b == 0xCE || b == 0xCF)
            *scripts |= POL__SCRIPT_GREEK;
        else if (b == 0xD7)
            *scripts |= POL__SCRIPT_HEBREW;
        else if (b == 0xE0)
            *scripts |= e0_bits(t, len, i, 1);
        if ((b >= 0xD4 && b <= 0xD6) || b == 0xE1)
            *scripts |= POL__SCRIPT_WORLD;
        /* only the lead bytes of mapped code points */
        if (found == len && norm_lead(b) && norm_at(t, len, i, &n) != 0)
            found = i;
        uint32_t cp;
        i += pol__cp_at(t, len, i, &cp); /* past the whole sequence; one byte if it is invalid */
    }
    return found;
}

/* Position of the first byte at or after i that can lead a mapped code point (norm_lead: norm_at is 0 at
 * any other byte), or len. Chinese, Korean and most Japanese text is made of other lead bytes (E4-E9 ideographs,
 * EA-ED Hangul): 16 of its bytes are passed over per step, where a byte range C2-EF stopped at every character. */
static size_t next_norm_lead(const char *t, size_t len, size_t i)
{
#if defined(__SSE2__)
    const __m128i c2 = _mm_set1_epi8((char)0xC2), cd = _mm_set1_epi8((char)0xCD), d8 = _mm_set1_epi8((char)0xD8),
                  d9 = _mm_set1_epi8((char)0xD9), db = _mm_set1_epi8((char)0xDB), e0 = _mm_set1_epi8((char)0xE0),
                  e1 = _mm_set1_epi8((char)0xE1), e2 = _mm_set1_epi8((char)0xE2), e3 = _mm_set1_epi8((char)0xE3),
                  ef = _mm_set1_epi8((char)0xEF), f0 = _mm_set1_epi8((char)0xF0), f3 = _mm_set1_epi8((char)0xF3),
                  x80 = _mm_set1_epi8((char)0x80), x81 = _mm_set1_epi8((char)0x81), x82 = _mm_set1_epi8((char)0x82),
                  x85 = _mm_set1_epi8((char)0x85), x8f = _mm_set1_epi8((char)0x8F), x9c = _mm_set1_epi8((char)0x9C),
                  x9e = _mm_set1_epi8((char)0x9E), x9f = _mm_set1_epi8((char)0x9F), xa0 = _mm_set1_epi8((char)0xA0);
#define EQ(v, a) _mm_cmpeq_epi8(v, a)
#define EQ2(v, a, b) _mm_or_si128(EQ(v, a), EQ(v, b))
#define OR3(a, b, c) _mm_or_si128(_mm_or_si128(a, b), c)
/* every lead norm_at can map, on its first byte alone */
#define LEADS(v)                                                                                                                   \
    (unsigned)_mm_movemask_epi8(                                                                                                   \
        _mm_or_si128(OR3(EQ2(v, c2, cd), EQ2(v, d8, d9), EQ2(v, db, e0)), OR3(EQ2(v, e1, e2), EQ2(v, e3, ef), EQ2(v, f0, f3))))
    /* the leads, with the second byte (w: the bytes one further) where most sequences of the lead map to nothing:
       CD 8F, D8 9C (Arabic letters are D8-D9 xx), E1 81 / 82 / 85 / 9E / 9F / A0 (Vietnamese, Georgian, Ethiopic and most of
       Myanmar, Khmer, Mongolian are other E1 xx),
       E3 80 / 85 (kana are E3 81-83), F3 A0; a lead the filter passes is still decided by norm_at */
#define LEADS2(v, w)                                                                                                               \
    (unsigned)_mm_movemask_epi8(                                                                                                   \
        _mm_or_si128(OR3(EQ2(v, c2, d9), EQ2(v, db, e0), OR3(EQ(v, e2), EQ2(v, ef, f0), _mm_and_si128(EQ(v, cd), EQ(w, x8f)))),    \
                     OR3(_mm_and_si128(EQ(v, d8), EQ(w, x9c)),                                                                     \
                         _mm_and_si128(EQ(v, e1), OR3(EQ2(w, x81, x82), EQ2(w, x85, x9e), EQ2(w, x9f, xa0))),                      \
                         _mm_or_si128(_mm_and_si128(EQ(v, e3), EQ2(w, x80, x85)), _mm_and_si128(EQ(v, f3), EQ(w, xa0))))))
    for (i = skip_ascii64(t, len, i); i + 17 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        if (_mm_movemask_epi8(v) == 0) {
            i = skip_ascii64(t, len, i + 16) - 16; /* ASCII: on 64 bytes a step */
            continue;
        }
        unsigned k = LEADS2(v, _mm_loadu_si128((const __m128i *)(const void *)(t + i + 1)));
        if (k != 0)
            return i + (size_t)__builtin_ctz(k);
    }
    if (i < len && len >= 16) {
        /* the last 16 bytes, those before i masked off (a byte loop over the tail cost more than the whole pass) */
        size_t b = len - 16;
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + b));
        unsigned k = LEADS(v) & (0xFFFFu << (i - b));
        return k != 0 ? b + (size_t)__builtin_ctz(k) : len;
    }
#undef LEADS
#undef LEADS2
#undef OR3
#undef EQ2
#undef EQ
#endif
    for (; i < len; i++)
        if (norm_lead(U(t[i])))
            return i;
    return len;
}

/* The POL__SCRIPT_* bits of the text. The reference (first_norm_ref) visits every byte in C2-F4, since a valid
 * sequence is passed over only through its continuation bytes (80-BF); so a bit is set exactly when one byte of its
 * range occurs (Devanagari, Bengali, Thai: an E0 followed by A4/A5, A6/A7, B8/B9). One pass over all the bytes, 16 a step. */
static unsigned script_bits(const char *t, size_t len, size_t *first_hi)
{
    unsigned s = 0;
    const unsigned all = POL__SCRIPT_CJK | POL__SCRIPT_CYRILLIC | POL__SCRIPT_ARABIC | POL__SCRIPT_DEVANAGARI | POL__SCRIPT_GREEK |
                         POL__SCRIPT_HEBREW | POL__SCRIPT_BENGALI | POL__SCRIPT_THAI | POL__SCRIPT_WORLD;
    const unsigned e0_all = POL__SCRIPT_DEVANAGARI | POL__SCRIPT_BENGALI | POL__SCRIPT_THAI | POL__SCRIPT_WORLD;
    size_t i = 0;
    *first_hi = len;
#if defined(__SSE2__)
    i = skip_ascii64(t, len, 0);
    /* x in [lo, hi] as a signed compare after moving lo to -128 */
#define IN_RANGE(v, lo, hi)                                                                                                        \
    _mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8((v), _mm_set1_epi8((char)(0x80 - (lo)))),                                        \
                                     _mm_set1_epi8((char)(0x80 + ((hi) - (lo)) + 1 - 256))))
    for (; i < len && s != all && len >= 16; i += 16) {
        if (i + 16 > len)
            i = len - 16; /* the last 16 bytes, overlapping bytes seen already: the bits are or-ed, and before i no
                             byte >= 0x80 was missed, so first_hi stays the first */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        unsigned hi = (unsigned)_mm_movemask_epi8(v);
        if (hi == 0) {
            if (i + 16 < len)
                i = skip_ascii64(t, len, i + 16) - 16;
            continue;
        }
        if (*first_hi == len)
            *first_hi = i + (size_t)__builtin_ctz(hi);
        if (IN_RANGE(v, 0xE3, 0xED))
            s |= POL__SCRIPT_CJK;
        if (IN_RANGE(v, 0xD0, 0xD4))
            s |= POL__SCRIPT_CYRILLIC;
        if (IN_RANGE(v, 0xD8, 0xDB))
            s |= POL__SCRIPT_ARABIC;
        if (IN_RANGE(v, 0xCE, 0xCF))
            s |= POL__SCRIPT_GREEK;
        if (IN_RANGE(v, 0xD7, 0xD7))
            s |= POL__SCRIPT_HEBREW;
        if (IN_RANGE(v, 0xD4, 0xD6) || IN_RANGE(v, 0xE1, 0xE1))
            s |= POL__SCRIPT_WORLD;
        if ((s & e0_all) != e0_all)
            s |= e0_bits(t, len, i, (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0))));
    }
#undef IN_RANGE
#endif
    for (; i < len && s != all; i++) {
        unsigned char b = U(t[i]);
        if (b >= 0x80 && *first_hi == len)
            *first_hi = i;
        if (b >= 0xE3 && b <= 0xED)
            s |= POL__SCRIPT_CJK;
        else if (b >= 0xD0 && b <= 0xD4)
            s |= POL__SCRIPT_CYRILLIC;
        else if (b >= 0xD8 && b <= 0xDB)
            s |= POL__SCRIPT_ARABIC;
        else if (b == 0xCE || b == 0xCF)
            s |= POL__SCRIPT_GREEK;
        else if (b == 0xD7)
            s |= POL__SCRIPT_HEBREW;
        else if (b == 0xE0)
            s |= e0_bits(t, len, i, 1);
        if ((b >= 0xD4 && b <= 0xD6) || b == 0xE1)
            s |= POL__SCRIPT_WORLD;
    }
    return s;
}

/* appends a shift point: from normalised offset `np` on, original = orig + (p - np) */
static int shift_push(pol__norm_t *nm, size_t np, size_t orig)
{
    if (nm->nshift == nm->shift_cap) {
        size_t cap = nm->shift_cap ? nm->shift_cap * 2 : 64;
        pol__norm_shift_t *v = realloc(nm->shift, cap * sizeof(*v));
        if (v == NULL)
            return -1;
        nm->shift = v;
        nm->shift_cap = cap;
    }
    nm->shift[nm->nshift++] = (pol__norm_shift_t){np, orig};
    return 0;
}

/* The copy from f (the first mapped code point) on; `fast` picks the next-candidate search (0: the reference's byte
 * range C2-F3, norm_at deciding at each). */
static int normalize_from(pol__norm_t *nm, const char *t, size_t len, size_t f, int fast, int esc)
{
    url_scan_t st = {SIZE_MAX, 0};
    cand_cursor_t k = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    nm->len = 0;
    nm->nshift = 0;
    nm->decoded_hi = 0;
    if (f == len)
        return 0;
    if (len + 1 > nm->cap) {
        size_t cap = len + 1 + len / 4;
        char *b = realloc(nm->buf, cap);
        if (b == NULL)
            return -1;
        nm->buf = b;
        nm->cap = cap;
    }
    /* the output never grows: each mapped code point (2-3 bytes) becomes one byte. Bytes between
     * mapped code points are copied in runs; the offset map is the list of shift points (one per
     * mapped code point), not one entry per byte */
    if (shift_push(nm, 0, 0) != 0)
        return -1;
    size_t o = 0, i = f, run = 0;
    while (i < len) {
        /* the next lead byte that can start a mapped code point */
        size_t j = esc && fast ? next_cand(t, len, i, esc, &k, 1)
                   : esc       ? next_lead_or_esc(t, len, i, esc)
                   : fast      ? next_norm_lead(t, len, i)
                               : pol__next_byte_in(t, len, i, 0xC2, 0xF3),
               n;
        if (j == len)
            break;
        uint32_t cp;
        unsigned char a = map_at(t, len, j, &n, &st, &cp);
        if (a == 0) {
            i = j + 1;
            continue;
        }
        memcpy(nm->buf + o, t + run, j - run);
        o += j - run;
        if (a == POL__NORM_CP) {
            /* a character outside ASCII written as an escape: its UTF-8, every byte after the first mapped to the
               escape's start too (a span never ends inside the escape: it holds all of it or none) */
            char u[4];
            size_t ul = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (ul == 2)
                u[0] = (char)(0xC0 | cp >> 6);
            else if (ul == 3)
                u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            else
                u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)), u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[ul - 1] = (char)(0x80 | (cp & 0x3F));
            for (size_t b = 0; b < ul; b++) {
                if (b > 0 && shift_push(nm, o, j) != 0)
                    return -1;
                nm->buf[o++] = u[b];
            }
            nm->decoded_hi = 1;
        } else if (a != POL__NORM_DROP) {
            nm->buf[o++] = (char)a;
        }
        run = i = j + n;
        if (shift_push(nm, o, i) != 0)
            return -1;
    }
    memcpy(nm->buf + o, t + run, len - run);
    o += len - run;
    nm->len = o;
    return 1;
}

int pol__normalize(pol__norm_t *nm, const char *t, size_t len, unsigned *scripts)
{
    size_t f;
    *scripts = script_bits(t, len, &f);
    /* the first mapped code point: the first candidate lead where norm_at maps (every candidate byte is a lead the
       reference visits: candidates are C2-F3), from the first non-ASCII byte on (ASCII text ends here) */
    for (size_t n; (f = next_norm_lead(t, len, f)) < len && norm_at(t, len, f, &n) == 0;)
        f++;
    /* character references and percent-escapes: only in a text that holds an '&' or a '%' (memchr: the ASCII fast path
       stays as it was) */
    f = first_esc(t, len, f);
    int r = normalize_from(nm, t, len, f, 1, esc_kinds(t, len, f));
    if (r == 1 && nm->decoded_hi) {
        size_t fh;
        *scripts |= script_bits(nm->buf, nm->len, &fh); /* `\u5f20\u4f1f`: the Chinese rules run on the name */
    }
    return r;
}

int pol__normalize_ref(pol__norm_t *nm, const char *t, size_t len, unsigned *scripts)
{
    size_t f = first_norm_ref(t, len, scripts);
    url_scan_t st = {SIZE_MAX, 0};
    uint32_t cp;
    for (size_t i = 0, n; i < f; i++)
        if ((t[i] == '&' || t[i] == '%' || t[i] == '\\' || ctl_byte(U(t[i]))) && map_at(t, len, i, &n, &st, &cp) != 0) {
            f = i;
            break;
        }
    int r = normalize_from(nm, t, len, f, 0, esc_kinds(t, len, f));
    if (r == 1 && nm->decoded_hi) {
        size_t fh;
        *scripts |= script_bits(nm->buf, nm->len, &fh);
    }
    return r;
}

/* the original offset of normalised offset p: the last shift point at or before p */
static size_t norm_map(const pol__norm_t *nm, size_t p)
{
    size_t lo = 0, hi = nm->nshift; /* shift[0].norm == 0 <= p */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (nm->shift[mid].norm <= p)
            lo = mid;
        else
            hi = mid;
    }
    return nm->shift[lo].orig + (p - nm->shift[lo].norm);
}

size_t pol__norm_start(const pol__norm_t *nm, size_t p)
{
    return norm_map(nm, p);
}

size_t pol__norm_end(const pol__norm_t *nm, size_t p)
{
    /* a copied byte advances the original by one byte, a mapped code point by its length: the
     * end of normalised byte p - 1 is where byte p starts (the shift point after a mapped code
     * point sits exactly at its end) */
    return norm_map(nm, p);
}

size_t pol__script_word(const char *t, size_t len, size_t p, int (*is_letter)(uint32_t))
{
    uint32_t cp;
    size_t e = p, n;
    while (e < len && (n = pol__cp_at(t, len, e, &cp)) > 1 && is_letter(cp))
        e += n;
    return e;
}

int pol__word_is(const char *t, size_t s, size_t e, const char *const *words)
{
    for (const char *const *w = words; *w != NULL; w++)
        if (strlen(*w) == e - s && memcmp(t + s, *w, e - s) == 0)
            return 1;
    return 0;
}
