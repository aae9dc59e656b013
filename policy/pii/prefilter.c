/*
 * The PII prefilter: one pass over the text that runs the class-heavy recognizers itself or
 * decides where vectorscan has to look for them. Scanning every built-in pattern over the whole
 * text cost about 3.4 ns per byte, almost all of it in a handful of patterns built from character
 * classes (digit clusters, IBAN, base58, UK postcodes, IPv6) and in short case-sensitive literals
 * (honorifics, greetings, street suffixes). Those patterns are taken out of the full-text
 * vectorscan database:
 *   - POL__DB_C patterns are matched here in C with the regex's semantics and their match ends
 *     handed to the same recognizers: the digit-cluster, IPv4 and IPv6 patterns (their first
 *     match end in a cluster, every IPv4 end, the IPv6 ends per ':' in order; these patterns
 *     cost vectorscan ~8 ns per byte even inside small windows), and the capital-led ones
 *     (street suffixes, honorific and greeting triggers, vectorscan's ASCII \b and \s, one match
 *     end per start). test_pii_prefilter.c compares the candidates with a vectorscan scan of the
 *     same regexes.
 *   - POL__DB_WIN patterns (IBAN, base58, UK postcode, German/Dutch/French street numbers, US state +
 *     ZIP) all contain an ASCII digit at a position this pass recognises cheaply (the start of a
 *     digit cluster, a run start inside one, the end of one). For each such position the pass
 *     adds a window wide enough to hold every match of the patterns that can contain it (their
 *     maximum match lengths are small and fixed); the engine then scans only the merged windows
 *     with the window database. The window patterns have no anchors or \b, so a match inside a
 *     window is a match of the full text and vice versa: results are the same as scanning the
 *     whole text.
 * The pass stops only at digits that start a run, ':' and capitals after a non-word byte, found
 * 64 bytes at a time with SSE2 (a portable byte loop elsewhere); each kind of event has its own
 * loop, and most events (short numbers, capitalized words that are no keyword and not followed
 * by another capitalized word, ':' in JSON) are dismissed by fast paths that classify 16 bytes
 * at the event with one load (see "Fast paths" below). This is hand-rolled because it replaces
 * vectorscan work and must cost less than it. The untriggered PERSON rule (person.c) runs at the
 * same capitals.
 */
#include "policy/pii/pii_internal.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define PF_AVX2 1 /* the event masks 32 bytes at a time where the CPU has AVX2 (chosen per call) */
#endif

#define U(p) POL__U(p)

/* vectorscan's \w without HS_FLAG_UCP (what \b tests) */
static int hs_word(unsigned char c)
{
    return pol__is_alnum(c) || c == '_';
}

/* separators of a digit cluster: the class [ \-./()] of the digit pattern */
static int sep_ok(unsigned char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
}

/* ---- windows ---- */

static int win_add(pol__windows_t *w, size_t len, size_t s, size_t e)
{
    if (e > len)
        e = len;
    if (s >= e)
        return 0;
    /* merge with every earlier window it touches (windows stay sorted and disjoint) */
    while (w->n > 0 && s <= w->v[w->n - 1].e && e >= w->v[w->n - 1].s) {
        pol__window_t *l = &w->v[--w->n];
        if (l->s < s)
            s = l->s;
        if (l->e > e)
            e = l->e;
    }
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 32;
        pol__window_t *v = realloc(w->v, cap * sizeof(*v));
        if (v == NULL)
            return -1;
        w->v = v;
        w->cap = cap;
    }
    w->v[w->n++] = (pol__window_t){s, e};
    return 0;
}

static size_t back(size_t p, size_t n)
{
    return p > n ? p - n : 0;
}

/*
 * After a letter at cs - 1: bit 0 if a UK postcode [A-Z]\d[A-Z0-9]? ?\d[ABD-HJLNP-UW-Z]{2} can start
 * there when that letter is a capital (its first letter after the digits is at cs + 2 .. cs + 4),
 * bit 1 if an IBAN (?i:<country>)\d{2}<separator>?[A-Z0-9]{4} can start at cs - 2 (a separator of 0-4 bytes: the
 * window reaches cs + 10).
 */
static int postcode_or_iban_at(const char *t, size_t len, size_t cs)
{
    int r = 0;
    for (size_t k = cs + 2; k <= cs + 4 && k < len && pol__is_upper(U(t[cs - 1])); k++)
        if (pol__is_upper(U(t[k])))
            r = 1;
    if (cs > 1 && pol__iban_country(U(t[cs - 2]), U(t[cs - 1])) && cs + 1 < len && pol__is_digit(U(t[cs + 1])))
        r |= 2;
    return r;
}

/* A German, Dutch or Nordic street word (straße strasse str. weg allee platz gasse ring damm straat
 * gracht laan plein kade singel dijk gade vej gatan vägen veien tie katu kuja) ends right before the space before the digits at cs:
 * the pattern has no word boundary, so this tests the last three bytes of each ("ring" also ends "during"); a necessary condition,
 * the window database matches exactly */
static int street_word_end(const char *t, size_t cs)
{
    if (cs < 4)
        return 0;
    unsigned char z = U(t[cs - 2]), y = U(t[cs - 3]), x = U(t[cs - 4]);
    switch (z) {
    case 'e': /* straße (ß = C3 9F), strasse, gasse, allee, kade, gade, tie */
        return y == 0x9F || (y == 's' && x == 's') || (y == 'e' && x == 'l') || (y == 'd' && x == 'a') || (y == 'i' && x == 't');
    case 'r': /* vegur (session 15) */
        return y == 'u' && x == 'g';
    case 'j':
        return y == 'e' && x == 'v'; /* vej */
    case 'u':
        return y == 't' && (x == 'a' || x == 0xB6); /* katu, götu (ö = C3 B6; session 15) */
    case 'a':
        return (y == 'j' && x == 'u') || (y == 't' && x == 'a'); /* kuja, gata (session 15) */
    case '.':
        return y == 'r' && x == 't'; /* str. */
    case 'g':
        return (y == 'e' && x == 'w') || (y == 'n' && x == 'i'); /* weg, ring */
    case 'z':
        return y == 't' && x == 'a'; /* platz */
    case 'm':
        return y == 'm' && x == 'a'; /* damm */
    case 't':
        return (y == 'a' && x == 'a') || (y == 'h' && x == 'c'); /* straat, gracht */
    case 'n':                                                    /* laan, plein, gatan, vägen, veien, gaden (session 15) */
        return (y == 'a' && x == 'a') || (y == 'i' && x == 'e') || (y == 'a' && x == 't') ||
               (y == 'e' && (x == 'g' || x == 'i' || x == 'd'));
    case 'l':
        return y == 'e' && x == 'g'; /* singel */
    case 'k':
        return y == 'j' && x == 'i'; /* dijk */
    default:
        return 0;
    }
}

/* 1 if t holds the n bytes of w, or of w in ASCII capitals ("RUE" for "rue") */
static int word_or_caps(const char *t, const char *w, size_t n)
{
    if (memcmp(t, w, n) == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (t[i] != ((w[i] >= 'a' && w[i] <= 'z') ? w[i] - 32 : w[i]))
            return 0;
    return 1;
}

/* French street \d{1,4}(?:bis|ter)?,?\s(?:rue|avenue|...)\s where the digits end at q: the end of
 * the window that holds it, or 0 if no street word follows (session 15: Québec's "boul.", and the words in capitals) */
static size_t french_street_at(const char *t, size_t len, size_t q)
{
    if (q + 3 <= len &&
        ((t[q] == 'b' && t[q + 1] == 'i' && t[q + 2] == 's') || (t[q] == 't' && t[q + 1] == 'e' && t[q + 2] == 'r')))
        q += 3;
    if (q < len && t[q] == ',')
        q++;
    unsigned char f = q + 3 < len && pol__is_space(U(t[q])) ? U(t[q + 1]) | 0x20 : 0;
    /* the street words by first letter (r a b p c i q) */
    static const struct {
        const char *w;
        unsigned char n;
    } fr[26][3] = {['r' - 'a'] = {{"rue", 3}},
                   ['a' - 'a'] = {{"avenue", 6}, {"all\xc3\xa9\x65", 6}},
                   ['b' - 'a'] = {{"boulevard", 9}, {"bd", 2}, {"boul.", 5}},
                   ['p' - 'a'] = {{"place", 5}},
                   ['c' - 'a'] = {{"chemin", 6}},
                   ['i' - 'a'] = {{"impasse", 7}},
                   ['q' - 'a'] = {{"quai", 4}}};
    if (f >= 'a' && f <= 'z')
        for (int k = 0; k < 3 && fr[f - 'a'][k].w != NULL; k++) {
            size_t n = fr[f - 'a'][k].n;
            if (q + 1 + n <= len && (U(t[q + 2]) | 0x20) == U(fr[f - 'a'][k].w[1]) && word_or_caps(t + q + 1, fr[f - 'a'][k].w, n))
                return q + 2 + n;
        }
    return 0;
}

/* ---- digits ---- */

/* byte classes of the fast paths' look-ahead: BC_SPLIT the bytes of a separator of pol__split_sep other than the space
 * (\t \n \v \f \r | and the backslash of an escape), BC_CAPITAL an ASCII capital or a byte >= 0x80 (a capital of
 * another script may start), BC_NAME_NEXT what may follow a capitalised word and a space in the PERSON rule
 * (pol__person_at: a capital, a byte >= 0x80, or a nickname's '"', '(' or '\'') */
enum { BC_SPLIT = 1, BC_CAPITAL = 2, BC_NAME_NEXT = 4 };
#define BC_R4(x) x, x, x, x
#define BC_R16(x) BC_R4(x), BC_R4(x), BC_R4(x), BC_R4(x)
#define BC_R64(x) BC_R16(x), BC_R16(x), BC_R16(x), BC_R16(x)
static const unsigned char byte_class[256] = {['\t'] = BC_SPLIT,
                                              ['\n'] = BC_SPLIT,
                                              ['\v'] = BC_SPLIT,
                                              ['\f'] = BC_SPLIT,
                                              ['\r'] = BC_SPLIT,
                                              ['|'] = BC_SPLIT,
                                              ['\\'] = BC_SPLIT,
                                              ['"'] = BC_NAME_NEXT,
                                              ['('] = BC_NAME_NEXT,
                                              ['\''] = BC_NAME_NEXT,
                                              ['A'] = BC_R16(BC_CAPITAL | BC_NAME_NEXT),
                                              ['Q'] = BC_R4(BC_CAPITAL | BC_NAME_NEXT),
                                              BC_R4(BC_CAPITAL | BC_NAME_NEXT),
                                              BC_CAPITAL | BC_NAME_NEXT,
                                              BC_CAPITAL | BC_NAME_NEXT,
                                              [0x80] = BC_R64(BC_CAPITAL | BC_NAME_NEXT),
                                              BC_R64(BC_CAPITAL | BC_NAME_NEXT)};
#undef BC_R64
#undef BC_R16
#undef BC_R4

/* 1 if the cluster [cs, ce) follows ", " or a line break and " " and a capital (ASCII or >= 0x80) follow it: the
 * necessary condition of pol__rec_street_postcode */
static int postcode_lead(const char *t, size_t len, size_t cs, size_t ce)
{
    return cs >= 2 && ((t[cs - 1] == ' ' && t[cs - 2] == ',') || t[cs - 1] == '\n') && ce + 1 < len && t[ce] == ' ' &&
           (pol__is_upper(U(t[ce + 1])) || U(t[ce + 1]) >= 0x80);
}

/* 1 if the digit run at cs follows a separator of pol__split_sep that is not all spaces, itself after a digit: the
 * run continues a number split over tabs or lines, whose first group ran pol__rec_split_digits */
static int split_precedes(const char *t, size_t len, size_t cs)
{
    size_t b = cs;
    while (b > 0 && cs - b < 4) {
        unsigned char ch = U(t[b - 1]);
        if (ch == ' ' || (ch >= '\t' && ch <= '\r') || ch == '|')
            b--;
        else if ((ch == 't' || ch == 'n' || ch == 'r') && b > 1 && t[b - 2] == '\\')
            b -= 2;
        else
            break;
    }
    int weak;
    return b < cs && b > 0 && pol__is_digit(U(t[b - 1])) && pol__split_sep(t, len, b, &weak) == cs - b && weak;
}

/*
 * Match ends of \d\.\d{1,3}\.\d{1,3}\.\d in the cluster [cs, ce), in increasing order, handed to
 * the IPv4 recognizer. The pattern is deterministic: a match ending after the digit at j has
 * t[j - 1] == '.', then two dot-terminated runs of 1-3 digits before it, then one digit.
 */
static int ipv4_ends(pol__scanctx_t *c, size_t cs, size_t ce)
{
    const char *t = c->text;
    for (size_t j = cs + 6; j < ce; j++) {
        if (!pol__is_digit(U(t[j])) || t[j - 1] != '.')
            continue;
        size_t p = j - 1; /* at a '.' */
        int ok = 1;
        for (int run = 0; run < 2 && ok; run++) {
            size_t r = 0;
            while (p > r && r < 4 && pol__is_digit(U(t[p - 1 - r])))
                r++;
            ok = r >= 1 && r <= 3 && p > r + 1 && t[p - 1 - r] == '.';
            p -= r + 1;
        }
        if (ok && pol__is_digit(U(t[p - 1])) && pol__recognize_rec(c, POL__REC_IPV4, 0, j + 1) != 0)
            return -1;
    }
    return 0;
}

/*
 * A digit cluster starts at `cs` (the first digit after the previous cluster): digits with at
 * most two separators in a row, exactly what the digit pattern can span. Runs the C-matched
 * digit-cluster and IPv4 patterns on it and adds the windows of every POL__DB_WIN pattern whose
 * match can contain a digit of the cluster; *end receives the position where the cluster scan
 * stopped (the next event can only be there or later).
 */
static int on_digits(pol__scanctx_t *c, size_t cs, pol__windows_t *w, size_t *end)
{
    const char *t = c->text;
    size_t len = c->len;
    size_t e = cs, nd = 0, ndots = 0;
    int seps = 0;
    while (e < len) {
        unsigned char ch = U(t[e]);
        if (pol__is_digit(ch)) {
            seps = 0, nd++, e++;
        } else if (sep_ok(ch) && ++seps <= 2) {
            ndots += ch == '.';
            e++;
        } else {
            break;
        }
    }
    *end = e;
    size_t ce = e;
    while (!pol__is_digit(U(t[ce - 1])))
        ce--;
    /* \d(?:[ \-./()]{0,2}\d){6}: its first match end in the cluster is after the 7th digit (no
     * chain of 7 digits ends earlier); the recognizer parses the whole cluster from there and
     * skips the later ends (skip_until), so that one end is the only one that matters */
    if (nd >= 7) {
        size_t p = cs;
        for (size_t k = 0; k < 7; p++)
            k += pol__is_digit(U(t[p]));
        if (pol__recognize_rec(c, POL__REC_DIGITS, 0, p) != 0)
            return -1;
    }
    /* national identifiers whose first digit run starts here (national.c) */
    if (pol__national_digits(c, cs, nd) != 0)
        return -1;
    /* an area code set off by a spaced slash, "0171 / 101 80 00" (digits.c; session 15) */
    if (nd >= 2 && nd <= 5 && t[cs] == '0' && ce + 3 < len && t[ce] == ' ' && t[ce + 1] == '/' && t[ce + 2] == ' ' &&
        pol__rec_phone_slash(c, cs) != 0)
        return -1;
    /* a postcode after ", " or a line break, a capitalised city after it: a street without a street word may precede
     * ("Am Markt 3, 28195 Bremen", "Ερμού 25, 105 63 Αθήνα"; address.c) */
    if ((nd == 4 || nd == 5) && postcode_lead(t, len, cs, ce) && pol__rec_street_postcode(c, cs) != 0)
        return -1;
    /* India's PIN after a Latin place name closing a comma-separated address (indic.c; session 16) */
    if (nd >= 6 && cs > 1 && t[cs - 1] == ' ' && pol__indic_pin(c, cs) != 0)
        return -1;
    /* groups split by tabs, lines, '|' or written-out escapes ("4111\t1111\t1111\t1111"): from the first of them */
    if (ce + 1 < len && ((byte_class[U(t[ce])] & BC_SPLIT) || (t[ce] == ' ' && (byte_class[U(t[ce + 1])] & BC_SPLIT))) &&
        pol__split_follows(t, len, ce) && !split_precedes(t, len, cs) && pol__rec_split_digits(c, cs) != 0)
        return -1;
    /* \d\.\d{1,3}\.\d{1,3}\.\d needs 4 digits and 3 dots, inside the cluster */
    if (nd >= 4 && ndots >= 3 && ipv4_ends(c, cs, ce) != 0)
        return -1;
    unsigned char p1 = cs > 0 ? U(t[cs - 1]) : 0, p2 = cs > 1 ? U(t[cs - 2]) : 0;
    /* UK postcode [A-Z]\d[A-Z0-9]? ?\d[ABD-HJLNP-UW-Z]{2} (<= 7 bytes), IBAN (?i:<country>)\d{2}<sep>?[A-Z0-9]{4}
     * (<= 12 bytes: a separator of up to 4 bytes, "\\r\\n" written out): their first digit follows a letter, so it starts a cluster
     */
    if (pol__is_alpha(p1)) {
        int pc = postcode_or_iban_at(t, len, cs);
        if ((pc & 1) && win_add(w, len, cs - 1, cs + 6) != 0)
            return -1;
        if ((pc & 2) && win_add(w, len, cs - 2, cs + 10) != 0)
            return -1;
    }
    /* German street (?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm)\s\d{1,4}: <= 8 bytes before */
    if (pol__is_space(p1) && street_word_end(t, cs) && win_add(w, len, back(cs, 9), cs + 4) != 0)
        return -1;
    /* US state + ZIP ", [A-Z]{2} \d{5}" */
    if (cs >= 5 && p1 == ' ' && pol__is_upper(p2) && pol__is_upper(U(t[cs - 3])) && t[cs - 4] == ' ' && t[cs - 5] == ',' &&
        win_add(w, len, cs - 5, cs + 5) != 0)
        return -1;
    /* base58 [13][1-9A-HJ-NP-Za-km-z]{25}: only a match at a word start can become a candidate
     * (rec_btc58 rejects the others without side effects); such a start is a run start. Its 26
     * alnum bytes either run past the cluster's last digit or lie inside the cluster. */
    int b58 = (ce < len && pol__is_alnum(U(t[ce]))) || ce - cs >= 26;
    for (size_t r = cs; b58 && r < ce; r++) {
        if ((t[r] != '1' && t[r] != '3') || pol__glue_before(t, r) || r + 26 > len)
            continue;
        size_t k = 1;
        while (k < 26 && pol__is_alnum(U(t[r + k])))
            k++;
        if (k == 26 && win_add(w, len, r, r + 26) != 0)
            return -1;
    }
    /* French street \d{1,4}(?:bis|ter)?,?\s(?:rue|avenue|...)\s: the digits end the cluster */
    size_t fe = french_street_at(t, len, ce);
    if (fe != 0 && win_add(w, len, back(ce, 4), fe) != 0)
        return -1;
    return 0;
}

/*
 * ':' at i: the three IPv6 patterns, C-matched. [0-9A-Fa-f]:[0-9A-Fa-f]{0,4}: whose first ':' is
 * t[i] has one match end (after the next ':'), ::[0-9A-Fa-f] at i ends at i + 3, ::/\d at i + 4; visiting the
 * colons in order hands the ends to the IPv6 recognizer in increasing order, as vectorscan did.
 */
static int on_colon(pol__scanctx_t *c, size_t i)
{
    const char *t = c->text;
    size_t len = c->len;
    if (i > 0 && pol__is_hex(U(t[i - 1]))) {
        size_t j = i + 1;
        while (j < len && j - i <= 4 && pol__is_hex(U(t[j])))
            j++;
        if (j < len && t[j] == ':' && pol__recognize_rec(c, POL__REC_IPV6, 0, j + 1) != 0)
            return -1;
    }
    if (i + 2 < len && t[i + 1] == ':' && pol__is_hex(U(t[i + 2])) && pol__recognize_rec(c, POL__REC_IPV6, 0, i + 3) != 0)
        return -1;
    if (i + 3 < len && t[i + 1] == ':' && t[i + 2] == '/' && pol__is_digit(U(t[i + 3])) &&
        pol__recognize_rec(c, POL__REC_IPV6, 1, i + 4) != 0)
        return -1;
    return pol__national_colon(c, i);
}

/* ---- capitals: the POL__DB_C patterns ---- */

/* the words of the three C-matched patterns, by first letter (a capital is frequent in prose:
 * the lookup must cost a length compare for most words) */
enum { K_STREET = 1, K_HONORIFIC = 2, K_GREETING = 4 };

typedef struct st_kw_t {
    const char *w;
    unsigned char n, kind;
} kw_t;

#define KW(s, k)                                                                                                                   \
    {                                                                                                                              \
        s, sizeof(s) - 1, k                                                                                                        \
    }
static const kw_t kw_a[] = {KW("Avenue", K_STREET), KW("Ave", K_STREET), {NULL, 0, 0}};
static const kw_t kw_b[] = {KW("Boulevard", K_STREET), KW("Blvd", K_STREET), KW("Bonjour", K_GREETING), {NULL, 0, 0}};
static const kw_t kw_c[] = {KW("Court", K_STREET),
                            KW("Ct", K_STREET),
                            KW("Circle", K_STREET),
                            KW("Close", K_STREET),
                            KW("Crescent", K_STREET),
                            KW("Cheers", K_GREETING),
                            KW("Ciao", K_GREETING),
                            KW("Cher", K_GREETING),
                            KW("Cara", K_GREETING),
                            KW("Caro", K_GREETING),
                            {NULL, 0, 0}};
static const kw_t kw_d[] = {KW("Drive", K_STREET), KW("Dr", K_STREET | K_HONORIFIC), KW("Dear", K_GREETING), {NULL, 0, 0}};
static const kw_t kw_f[] = {KW("Frau", K_HONORIFIC), {NULL, 0, 0}};
static const kw_t kw_h[] = {KW("Highway", K_STREET), KW("Hwy", K_STREET),     KW("Herr", K_HONORIFIC),
                            KW("Hi", K_GREETING),    KW("Hello", K_GREETING), KW("Hey", K_GREETING),
                            KW("Hallo", K_GREETING), KW("Hola", K_GREETING),  {NULL, 0, 0}};
static const kw_t kw_l[] = {
    KW("Lane", K_STREET), KW("Ln", K_STREET), KW("Liebe", K_GREETING), KW("Lieber", K_GREETING), {NULL, 0, 0}};
static const kw_t kw_m[] = {KW("Mr", K_HONORIFIC),  KW("Mrs", K_HONORIFIC),  KW("Ms", K_HONORIFIC), KW("Mx", K_HONORIFIC),
                            KW("Mme", K_HONORIFIC), KW("Mlle", K_HONORIFIC), {NULL, 0, 0}};
static const kw_t kw_p[] = {KW("Parkway", K_STREET), KW("Pkwy", K_STREET),    KW("Place", K_STREET),
                            KW("Pl", K_STREET),      KW("Prof", K_HONORIFIC), {NULL, 0, 0}};
static const kw_t kw_q[] = {KW("Querida", K_GREETING), KW("Querido", K_GREETING), {NULL, 0, 0}};
static const kw_t kw_r[] = {KW("Road", K_STREET), KW("Rd", K_STREET), KW("Regards", K_GREETING), {NULL, 0, 0}};
static const kw_t kw_s[] = {KW("Street", K_STREET),
                            KW("St", K_STREET),
                            KW("Square", K_STREET),
                            KW("Sra", K_HONORIFIC),
                            KW("Srta", K_HONORIFIC),
                            KW("Sr", K_HONORIFIC),
                            KW("Sig", K_HONORIFIC),
                            KW("Sgr", K_HONORIFIC),
                            KW("Sincerely", K_GREETING),
                            KW("Soy", K_GREETING),
                            {NULL, 0, 0}};
static const kw_t kw_t_[] = {KW("Terrace", K_STREET), KW("Thanks", K_GREETING), {NULL, 0, 0}};
static const kw_t kw_w[] = {KW("Way", K_STREET), {NULL, 0, 0}};
/* greetings of several words; here `kind` is the length of the first word */
static const kw_t kw_multi[] = {KW("I am", 1), KW("I'm", 1), KW("This is", 4), KW("Ich bin", 3), KW("Je suis", 2), {NULL, 0, 0}};
#undef KW

static const kw_t *kw_list(unsigned char first)
{
    switch (first) {
    case 'A':
        return kw_a;
    case 'B':
        return kw_b;
    case 'C':
        return kw_c;
    case 'D':
        return kw_d;
    case 'F':
        return kw_f;
    case 'H':
        return kw_h;
    case 'L':
        return kw_l;
    case 'M':
        return kw_m;
    case 'P':
        return kw_p;
    case 'Q':
        return kw_q;
    case 'R':
        return kw_r;
    case 'S':
        return kw_s;
    case 'T':
        return kw_t_;
    case 'W':
        return kw_w;
    default:
        return NULL;
    }
}

/* kinds of the word t[0, n) */
static unsigned kw_kind(const kw_t *l, const char *t, size_t n)
{
    for (; l != NULL && l->w != NULL; l++)
        if (l->n == n && l->w[1] == t[1] && memcmp(l->w, t, n) == 0)
            return l->kind;
    return 0;
}

/* t[i] and t[i + 1] are capitals after a space that follows a capital or a digit ("MAPLE STREET", "12 ROAD"): a word in
 * capitals that may be a street word of a line in capitals */
static inline int caps_street_lead(const char *t, size_t i)
{
    return i > 1 && pol__is_upper(U(t[i + 1])) && t[i - 1] == ' ' && (pol__is_upper(U(t[i - 2])) || pol__is_digit(U(t[i - 2])));
}

/*
 * ASCII capital at i, not preceded by a vectorscan word byte:
 *   " (?:Street|St|...)\b"         - the suffix is the whole ASCII word run after a space;
 *   "\b(?:Mr|...)\.?\s"            - honorific, strong trigger;
 *   "\b(?:Dear|...|I am|...),?\s"  - greeting or signature, weak trigger.
 * Each alternative is a whole word, so at most one match end per pattern and start.
 */
static int on_capital(pol__scanctx_t *c, size_t i)
{
    const char *t = c->text;
    size_t len = c->len;
    unsigned char first = U(t[i]);
    const kw_t *l = kw_list(first);
    if (l == NULL && first != 'I' && first != 'J')
        return 0;
    size_t wl = 1;
    while (wl <= 9 && i + wl < len && hs_word(U(t[i + wl])))
        wl++;
    if (wl > 9)
        return 0;
    unsigned kind = kw_kind(l, t + i, wl);
    if (kind == 0 && wl >= 2 && caps_street_lead(t, i)) {
        /* a street word in capitals after a word in capitals or a number ("742 MAPLE STREET", "9 LINCOLN ROAD": shipping
           labels, forms; session 16): the street rule on the word as it is written in the lists */
        char tc[10];
        size_t k = 1;
        tc[0] = (char)first;
        while (k < wl && pol__is_upper(U(t[i + k])))
            tc[k] = (char)(t[i + k] | 0x20), k++;
        if (k == wl && (kw_kind(l, tc, wl) & K_STREET) && pol__recognize_rec(c, POL__REC_STREET, 0, i + wl) != 0)
            return -1;
        return 0;
    }
    if ((kind & K_STREET) && i > 0 && t[i - 1] == ' ' && pol__recognize_rec(c, POL__REC_STREET, 0, i + wl) != 0)
        return -1;
    if (!c->enabled[POL_PII_PERSON])
        return 0;
    if (kind & K_HONORIFIC) {
        size_t p = i + wl;
        if (p < len && t[p] == '.')
            p++;
        if (p < len && pol__is_space(U(t[p])) && pol__recognize_rec(c, POL__REC_PERSON_TRIGGER, 2, p + 1) != 0)
            return -1;
    }
    size_t p = 0;
    if (kind & K_GREETING) {
        p = i + wl;
    } else if (first == 'I' || first == 'T' || first == 'J') {
        for (const kw_t *m = kw_multi; m->w != NULL; m++)
            if (m->kind == wl && i + m->n <= len && memcmp(t + i, m->w, m->n) == 0) {
                p = i + m->n;
                break;
            }
    }
    if (p != 0) {
        if (p < len && t[p] == ',')
            p++;
        if (p < len && pol__is_space(U(t[p])) && pol__recognize_rec(c, POL__REC_PERSON_TRIGGER, 0, p + 1) != 0)
            return -1;
    }
    return 0;
}

/* ---- the pass ---- */

typedef struct st_pass_t {
    pol__scanctx_t *c;
    pol__windows_t *w;
    int person;
    size_t resume;      /* events before this were consumed (inside a digit cluster) */
    size_t person_next; /* see pol__person_at */
} pass_t;

/* A capital at i not preceded by a \w byte: the capital-led patterns and the untriggered PERSON rule. */
static int on_capital_event(pass_t *ps, size_t i)
{
    if (on_capital(ps->c, i) != 0)
        return -1;
    if (ps->person && i >= ps->person_next && i + 3 < ps->c->len &&
        pol__person_at(ps->c->text, ps->c->len, i, ps->c->cands, &ps->person_next) != 0)
        return -1;
    return 0;
}

/* One event at i: a digit that starts a run, ':' or a capital not preceded by a \w byte. */
static int on_event(pass_t *ps, size_t i)
{
    unsigned char ch = U(ps->c->text[i]);
    if (pol__is_digit(ch))
        return i < ps->resume ? 0 : on_digits(ps->c, i, ps->w, &ps->resume);
    if (ch == ':')
        return on_colon(ps->c, i);
    return on_capital_event(ps, i);
}

static int scalar_event(const char *t, size_t i)
{
    unsigned char ch = U(t[i]), prev = i > 0 ? U(t[i - 1]) : 0;
    if (pol__is_digit(ch))
        return !pol__is_digit(prev);
    if (ch == ':')
        return 1;
    return pol__is_upper(ch) && !hs_word(prev);
}

#if defined(__SSE2__)
/* x in [lo, lo + n) for each byte (unsigned), as 0xFF / 0x00 */
static __m128i in_range(__m128i x, char lo, int n)
{
    return _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - lo))), _mm_set1_epi8((char)(0x80 + n - 256)));
}

static __m128i eq(__m128i x, char c)
{
    return _mm_cmpeq_epi8(x, _mm_set1_epi8(c));
}

static __m128i is_letter16(__m128i v)
{
    return in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
}

/* events among p[0..16) (p[-1] is readable), by kind: digits after a non-digit, capitals after a
 * non-\w byte, ':' */
static void event_masks16(const char *p, unsigned *digits, unsigned *caps, unsigned *colons)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i pv = _mm_loadu_si128((const __m128i *)(const void *)(p - 1));
    __m128i d = in_range(v, '0', 10), pd = in_range(pv, '0', 10);
    __m128i pw = _mm_or_si128(_mm_or_si128(pd, is_letter16(pv)), eq(pv, '_'));
    *digits = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(pd, d));
    *caps = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(pw, in_range(v, 'A', 26)));
    *colons = (unsigned)_mm_movemask_epi8(eq(v, ':'));
}

/* the three event masks of b[0..64) (b[-1] is readable), bit k = b[k] */
static void masks64(const char *b, uint64_t *dm, uint64_t *cm, uint64_t *km)
{
    *dm = *cm = *km = 0;
    for (int k = 0; k < 4; k++) {
        unsigned d, cp, co;
        event_masks16(b + 16 * k, &d, &cp, &co);
        *dm |= (uint64_t)d << (16 * k);
        *cm |= (uint64_t)cp << (16 * k);
        *km |= (uint64_t)co << (16 * k);
    }
}
#endif

#if PF_AVX2
/* masks64 with AVX2, the same byte tests 32 bytes per step */
__attribute__((target("avx2"))) static __m256i in_range32(__m256i x, char lo, int n)
{
    return _mm256_cmpgt_epi8(_mm256_set1_epi8((char)(0x80 + n - 256)), _mm256_add_epi8(x, _mm256_set1_epi8((char)(0x80 - lo))));
}

__attribute__((target("avx2"))) static void masks64_avx2(const char *b, uint64_t *dm, uint64_t *cm, uint64_t *km)
{
    *dm = *cm = *km = 0;
    for (int k = 0; k < 2; k++) {
        const char *p = b + 32 * k;
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
        __m256i pv = _mm256_loadu_si256((const __m256i *)(const void *)(p - 1));
        __m256i d = in_range32(v, '0', 10), pd = in_range32(pv, '0', 10);
        __m256i pl = in_range32(_mm256_or_si256(pv, _mm256_set1_epi8(0x20)), 'a', 26);
        __m256i pw = _mm256_or_si256(_mm256_or_si256(pd, pl), _mm256_cmpeq_epi8(pv, _mm256_set1_epi8('_')));
        *dm |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_andnot_si256(pd, d)) << (32 * k);
        *cm |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_andnot_si256(pw, in_range32(v, 'A', 26))) << (32 * k);
        *km |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(':'))) << (32 * k);
    }
}
#endif

/* Keyword filter of capital_is_idle: per first capital letter, the word lengths (bit n = length n)
 * and the second bytes (bit c & 31; none is a capital) of the POL__DB_C keywords and of the first words of the
 * several-word greetings (kw_list(), kw_multi[]); pol__prefilter_selftest() checks it covers them. */
static const struct {
    unsigned short lens;
    unsigned second;
} kw_filter[26] = {
    ['A' - 'A'] = {0x48, 0x400000},  ['B' - 'A'] = {0x290, 0x9000},   ['C' - 'A'] = {0x174, 0x149302},
    ['D' - 'A'] = {0x34, 0x40020},   ['F' - 'A'] = {0x10, 0x40000},   ['H' - 'A'] = {0xbc, 0x808222},
    ['I' - 'A'] = {0xa, 0x89},       ['J' - 'A'] = {0x4, 0x20},       ['L' - 'A'] = {0x74, 0x4202},
    ['M' - 'A'] = {0x1c, 0x10c3000}, ['P' - 'A'] = {0xb4, 0x41802},   ['Q' - 'A'] = {0x80, 0x200000},
    ['R' - 'A'] = {0x94, 0x8030},    ['S' - 'A'] = {0x25c, 0x168280}, ['T' - 'A'] = {0xd0, 0x120},
    ['W' - 'A'] = {0x8, 0x2},
};

static inline int kw_maybe(const char *w, size_t wl)
{
    unsigned f = U(w[0]) - 'A';
    return wl <= 9 && (kw_filter[f].lens >> wl & 1) && (kw_filter[f].second >> (U(w[1]) & 31) & 1) && !pol__is_upper(U(w[1]));
}

/* the same filter for a word in capitals ("STREET", "RD": the second letter's low five bits are those of its lower case) */
static inline int kw_maybe_caps(const char *w, size_t wl)
{
    unsigned f = U(w[0]) - 'A';
    return wl <= 9 && (kw_filter[f].lens >> wl & 1) && (kw_filter[f].second >> (U(w[1]) & 31) & 1);
}

int pol__prefilter_selftest(void)
{
    static const kw_t *const lists[] = {kw_a, kw_b, kw_c, kw_d, kw_f, kw_h, kw_l, kw_m, kw_p, kw_q, kw_r, kw_s, kw_t_, kw_w};
    for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
        for (const kw_t *l = lists[k]; l->w != NULL; l++)
            if (kw_list(U(l->w[0])) != lists[k] || !kw_maybe(l->w, l->n))
                return -1;
    for (const kw_t *m = kw_multi; m->w != NULL; m++)
        if (!kw_maybe(m->w, m->kind))
            return -1;
    for (unsigned c = 0; c < 256; c++) {
        unsigned want = (((c >= '\t' && c <= '\r') || c == '|' || c == '\\') ? BC_SPLIT : 0) |
                        ((pol__is_upper((unsigned char)c) || c >= 0x80) ? BC_CAPITAL : 0) |
                        ((pol__is_upper((unsigned char)c) || c >= 0x80 || c == '"' || c == '(' || c == '\'') ? BC_NAME_NEXT : 0);
        if (byte_class[c] != want)
            return -1;
    }
    return 0;
}

#if defined(__SSE2__)
/*
 * Fast paths. Most events in prose and logs lead to nothing: a short number ("2023", "12.5"), a
 * capitalized word that is no trigger keyword and is not followed by another capitalized word,
 * a ':' in JSON. The slow path (on_event) finds that out with byte loops whose exits the branch
 * predictor cannot guess (about 15 ns per event). Here one 16-byte load at the event gives bit
 * masks of the byte classes, so run lengths are a count of trailing zeros, and the decision
 * "this event adds no window, no candidate and changes no state except `resume`" is one
 * branch. Every test below is a necessary condition of some action of on_event; when one holds
 * (or the masks do not reach far enough) the event takes the slow path, so results are the same
 * by construction.
 */

/* Capital at i, i + 17 <= len: 1 if on_event would do nothing. on_capital acts only on a
 * keyword (kw_maybe). The PERSON rule (pol__person_at) pushes only if the capitalized word at i
 * is followed by " [A-Z]", " " and a byte >= 0x80, or " " and a nickname's '"', '(' or '\''; that word lies inside the run of name
 * bytes [A-Za-z, >= 0x80, ' -] from i and ends where the run ends, so a run that does not end in one of them cannot push. When it
 * does not push, the `next` it sets skips no capital event (a capitalized word holds no other capital), so not calling it is
 * equivalent. */
static int capital_is_idle(const pass_t *ps, size_t i)
{
    const char *t = ps->c->text;
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
    __m128i letter = is_letter16(v);
    unsigned wm = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, in_range(v, '0', 10)), eq(v, '_')));
    unsigned wl = (unsigned)__builtin_ctz(~wm); /* vectorscan \w run at i, <= 16 */
    if (kw_maybe(t + i, wl) || (wl <= 9 && caps_street_lead(t, i) && kw_maybe_caps(t + i, wl)))
        return 0;
    if (!ps->person)
        return 1;
    __m128i name = _mm_or_si128(_mm_or_si128(letter, eq(v, '\'')), _mm_or_si128(eq(v, '-'), v)); /* v: bytes >= 0x80 */
    unsigned e = (unsigned)__builtin_ctz(~(unsigned)_mm_movemask_epi8(name));
    /* a capital or a non-ASCII letter after the space (Vietnamese "Nguyễn Đức Anh": pol__person_at), or a nickname's
     * opening quote or parenthesis (`Jane "JJ" Doe`; curly quotes and guillemets are >= 0x80) */
    return e < 16 && !(t[i + e] == ' ' && (byte_class[U(t[i + e + 1])] & BC_NAME_NEXT));
}

static unsigned popcount16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555u);
    x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
    x = (x + (x >> 4)) & 0x0F0Fu;
    return (x + (x >> 8)) & 0x1Fu;
}

/* Digit that starts a run at cs, 2 <= cs, cs + 17 <= len: 1 if on_digits would add no window;
 * then *end receives the end of the digit cluster (what on_digits stores in `resume`). */
static int digits_are_idle(const char *t, size_t len, size_t cs, size_t *end)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + cs));
    __m128i dv = in_range(v, '0', 10), dots = eq(v, '.');
    __m128i sv = _mm_or_si128(_mm_or_si128(eq(v, ' '), eq(v, '-')),
                              _mm_or_si128(_mm_or_si128(dots, eq(v, '/')), _mm_or_si128(eq(v, '('), eq(v, ')'))));
    unsigned dm = (unsigned)_mm_movemask_epi8(dv), sm = (unsigned)_mm_movemask_epi8(sv);
    unsigned run = (unsigned)__builtin_ctz(~(dm | sm));
    unsigned three = sm & (sm >> 1) & (sm >> 2); /* three separators in a row: the cluster ends at the third */
    unsigned e = three != 0 && (unsigned)__builtin_ctz(three) + 2 < run ? (unsigned)__builtin_ctz(three) + 2 : run;
    if (e >= 16)
        return 0;
    unsigned in = (1u << e) - 1;
    if (e >= 7) { /* 7 digits, or 4 digits and 3 dots, need 7 bytes */
        unsigned nd = popcount16(dm & in);
        if (nd >= 7 || (nd >= 4 && popcount16((unsigned)_mm_movemask_epi8(dots) & in) >= 3))
            return 0;
    }
    unsigned ce = 32u - (unsigned)__builtin_clz(dm & in); /* after the cluster's last digit */
    unsigned char p1 = U(t[cs - 1]), p2 = U(t[cs - 2]);
    if (pol__is_alpha(p1) && postcode_or_iban_at(t, len, cs))
        return 0;
    if (pol__is_space(p1) && (pol__is_upper(p2) || street_word_end(t, cs)))
        return 0; /* German street "weg 5", US ", IL 62704" */
    /* India's PIN after a Latin place name (pol__indic_pin; session 16): six digits, not led by 0 */
    if (p1 == ' ' && pol__is_alpha(p2) && t[cs] != '0' && (unsigned)__builtin_ctz(~dm) == 6)
        return 0;
    /* an area code set off by a spaced slash, "0171 / 101 80 00" (session 15): a 0 and 1-4 more digits, " / ", a digit */
    unsigned dr0 = (unsigned)__builtin_ctz(~dm);
    if (t[cs] == '0' && dr0 >= 2 && dr0 <= 5 && t[cs + dr0] == ' ' && t[cs + dr0 + 1] == '/' && t[cs + dr0 + 2] == ' ')
        return 0;
    /* base58: a run of 26 alnum bytes from a digit of the cluster runs through its end */
    unsigned alm = (unsigned)_mm_movemask_epi8(_mm_or_si128(is_letter16(v), dv)) | ~0xFFFFu;
    if ((alm >> ce) == (~0u >> ce))
        return 0;
    /* French street: the digits are followed by "bis", "ter", ',' or a space and the first letter
     * of a street word (computed without branches: the answer is almost always no) */
    unsigned a = U(t[cs + ce]), b1 = (U(t[cs + ce + 1]) | 0x20u) - 'a';
    int fr_first = b1 < 26 && ((1u << ('r' - 'a') | 1u << ('a' - 'a') | 1u << ('b' - 'a') | 1u << ('p' - 'a') | 1u << ('c' - 'a') |
                                1u << ('i' - 'a') | 1u << ('q' - 'a')) >>
                                   b1 &
                               1u);
    if (((a == 'b') | (a == 't') | (a == ',') | (pol__is_space((unsigned char)a) & fr_first)) && french_street_at(t, len, cs + ce))
        return 0;
    /* national identifiers glued to letters, "AB 12 34 56 C", MAC addresses (national.c): each
     * term is a necessary condition of one rule of pol__national_maybe, tested on the masks */
    unsigned drun = (unsigned)__builtin_ctz(~dm), fwd = (unsigned)__builtin_ctz(~alm);
    unsigned char s2 = U(t[cs + 2]);
    if ((((alm >> drun) & 1) && ((drun == 1 && (fwd >= 11 || (fwd == 4 && t[cs + 4] == '-'))) || (drun == 2 && fwd >= 15) ||
                                 (drun == 6 && fwd >= 11) || (p1 == ' ' && fwd >= 6))) ||
        (pol__is_alpha(p1) && (fwd >= 5 || pol__is_alpha(p2))) ||
        (p1 == ' ' && pol__is_alpha(p2) && cs >= 3 && pol__is_alpha(U(t[cs - 3])) &&
         (drun == 6 || (drun == 2 && s2 == ' ' && pol__is_digit(U(t[cs + 3]))))) ||
        ((s2 == '-' || s2 == ':') && U(t[cs + 5]) == s2 && U(t[cs + 8]) == s2) ||
        /* a RU passport series before "№" / "номер" */
        (drun == 4 && t[cs + 4] == ' ' && (U(t[cs + 5]) == 0xE2 || U(t[cs + 5]) == 0xD0)) ||
        /* a dotted MAC address: from here, or led by hex letters (p1 is never a digit) */
        (t[cs + 4] == '.' && t[cs + 9] == '.') || p1 == '.' || pol__is_hex(p1))
        if (pol__national_maybe(t, len, cs))
            return 0;
    /* after the cluster: a tab, line break, '|' or written-out escape and another digit group (pol__rec_split_digits;
     * the separator's first or second byte is one of them, pol__split_sep), or " " and a capital after a postcode of a
     * street without a street word (pol__rec_street_postcode) */
    unsigned char z = U(t[cs + ce]);
    if (z == ' ') {
        unsigned z1 = byte_class[U(t[cs + ce + 1])];
        if ((z1 & BC_SPLIT) && pol__split_follows(t, len, cs + ce))
            return 0;
        if ((z1 & BC_CAPITAL) && postcode_lead(t, len, cs, cs + ce) && (popcount16(dm & in) == 4 || popcount16(dm & in) == 5))
            return 0;
    } else if ((byte_class[z] & BC_SPLIT) && pol__split_follows(t, len, cs + ce)) {
        return 0;
    }
    *end = cs + e;
    return 1;
}

/* ':' at i, 1 <= i, i + 2 < len: 1 if on_colon would find no match */
static int colon_is_idle(const char *t, size_t i)
{
    return !pol__is_hex(U(t[i - 1])) && t[i + 1] != ':';
}
#endif

int pol__prefilter(pol__scanctx_t *c, pol__windows_t *w, int person)
{
    const char *t = c->text;
    size_t len = c->len, i = 0;
    pass_t ps = {c, w, person, 0, 0};
#if PF_AVX2
    int avx2 = __builtin_cpu_supports("avx2");
#endif
    w->n = 0;
    if (len > 0 && scalar_event(t, 0) && on_event(&ps, 0) != 0)
        return -1;
    i = 1;
#if defined(__SSE2__)
    /* 64 bytes per step (the last step on a copy padded with spaces, which hold no event); the
     * three kinds of events touch disjoint state (digits: windows, `resume` and the digit/IPv4
     * recognizers; ':': the IPv6 recognizer; capitals: the capital-led recognizers and
     * `person_next`), so each kind is handled in its own loop, in text order */
    for (; i < len; i += 64) {
        uint64_t dm, cm, km;
        char pad[1 + 64];
        const char *b = t + i;
        if (len - i < 64) {
            memset(pad, ' ', sizeof(pad));
            memcpy(pad, t + i - 1, len - i + 1);
            b = pad + 1;
        }
#if PF_AVX2
        if (avx2)
            masks64_avx2(b, &dm, &cm, &km);
        else
#endif
            masks64(b, &dm, &cm, &km);
        while (dm != 0) {
            size_t p = i + (size_t)__builtin_ctzll(dm), end;
            dm &= dm - 1;
            if (p < ps.resume)
                continue;
            if (p >= 2 && p + 17 <= len && digits_are_idle(t, len, p, &end))
                ps.resume = end;
            else if (on_digits(c, p, w, &ps.resume) != 0)
                return -1;
            /* the digit runs inside the cluster are no events */
            dm &= ps.resume - i >= 64 ? 0 : ~(((uint64_t)1 << (ps.resume - i)) - 1);
        }
        for (; km != 0; km &= km - 1) {
            size_t p = i + (size_t)__builtin_ctzll(km);
            if ((p + 2 >= len || !colon_is_idle(t, p)) && on_colon(c, p) != 0)
                return -1;
        }
        for (; cm != 0; cm &= cm - 1) {
            size_t p = i + (size_t)__builtin_ctzll(cm);
            if ((p + 17 > len || !capital_is_idle(&ps, p)) && on_capital_event(&ps, p) != 0)
                return -1;
        }
    }
#else
    for (; i < len; i++)
        if (scalar_event(t, i) && on_event(&ps, i) != 0)
            return -1;
#endif
    return 0;
}
