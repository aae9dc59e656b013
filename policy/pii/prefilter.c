/*
 * The PII prefilter: one pass over the text that decides where the class-heavy recognizers have
 * to look. Scanning every built-in pattern over the whole text cost about 3.4 ns per byte, almost
 * all of it in a handful of patterns built from character classes (digit clusters, IBAN, base58,
 * UK postcodes, IPv6) and in short case-sensitive literals (honorifics, greetings, street
 * suffixes). Those patterns are taken out of the full-text vectorscan database:
 *   - POL__DB_WIN patterns all contain an ASCII digit or ':' at a position this pass can
 *     recognise cheaply (the start of a digit cluster, a run start inside one, the end of one, a
 *     ':' between hex digits). For each such position the pass adds a window wide enough to hold
 *     every match of the patterns that can contain it (their maximum match lengths are small and
 *     fixed); the engine then scans only the merged windows with the window database. The
 *     window patterns have no anchors or \b, so a match inside a window is a match of the full
 *     text and vice versa: results are the same as scanning the whole text.
 *   - POL__DB_C patterns (street suffixes, honorific and greeting triggers) start with an ASCII
 *     capital after a non-word byte; they are matched here in C with the regex's semantics
 *     (vectorscan's ASCII \b and \s, one match end per start) and handed to the same
 *     recognizers.
 * The pass stops only at digits, ':' and capitals, found 16 bytes at a time with SSE2 (a
 * portable byte loop elsewhere); this is hand-rolled because it replaces vectorscan work and must
 * cost less than it (the whole pass runs at several GB/s on prose). The untriggered PERSON rule
 * (person.c) runs at the same capitals.
 */
#include "policy/pii/pii_internal.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define U(p) ((unsigned char)(p))

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(unsigned char c)
{
    return is_alpha(c) || is_digit(c);
}

/* the recognizers' word class: letters, digits, '_' and any non-ASCII byte */
static int is_word(unsigned char c)
{
    return is_alnum(c) || c == '_' || c >= 0x80;
}

/* vectorscan's \w without HS_FLAG_UCP (what \b tests) */
static int hs_word(unsigned char c)
{
    return is_alnum(c) || c == '_';
}

/* vectorscan's \s: [\t\n\v\f\r ] */
static int hs_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static int is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
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

/* ---- digits ---- */

/*
 * A digit cluster starts at `cs` (the first digit after the previous cluster): digits with at
 * most two separators in a row, exactly what the digit pattern can span. Adds the windows of
 * every POL__DB_WIN pattern whose match can contain a digit of the cluster; *end receives the
 * position where the cluster scan stopped (the next event can only be there or later).
 */
static int on_digits(const char *t, size_t len, size_t cs, pol__windows_t *w, size_t *end)
{
    size_t e = cs, nd = 0, ndots = 0;
    int seps = 0;
    while (e < len) {
        unsigned char ch = U(t[e]);
        if (is_digit(ch)) {
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
    while (!is_digit(U(t[ce - 1])))
        ce--;
    /* \d(?:[ \-./()]{0,2}\d){6} needs 7 digits; \d\.\d{1,3}\.\d{1,3}\.\d needs 4 digits and 3 dots;
     * both stay inside the cluster */
    if ((nd >= 7 || (nd >= 4 && ndots >= 3)) && win_add(w, len, cs, ce) != 0)
        return -1;
    unsigned char p1 = cs > 0 ? U(t[cs - 1]) : 0, p2 = cs > 1 ? U(t[cs - 2]) : 0;
    /* UK postcode [A-Z]\d[A-Z0-9]? ?\d[ABD-HJLNP-UW-Z]{2} (<= 7 bytes), IBAN [A-Z]{2}\d{2}[ \-]?[A-Z0-9]{4}
     * (<= 9 bytes): their first digit follows a capital, so it starts a cluster */
    if (is_upper(p1)) {
        if (win_add(w, len, cs - 1, cs + 6) != 0)
            return -1;
        if (is_upper(p2) && cs + 1 < len && is_digit(U(t[cs + 1])) && win_add(w, len, cs - 2, cs + 7) != 0)
            return -1;
    }
    /* German street (?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm)\s\d{1,4}: <= 8 bytes before */
    if (hs_space(p1) && (p2 == 'e' || p2 == '.' || p2 == 'g' || p2 == 'z' || p2 == 'm') &&
        win_add(w, len, back(cs, 9), cs + 4) != 0)
        return -1;
    /* US state + ZIP ", [A-Z]{2} \d{5}" */
    if (cs >= 5 && p1 == ' ' && is_upper(p2) && is_upper(U(t[cs - 3])) && t[cs - 4] == ' ' && t[cs - 5] == ',' &&
        win_add(w, len, cs - 5, cs + 5) != 0)
        return -1;
    /* base58 [13][1-9A-HJ-NP-Za-km-z]{25}: only a match at a word start can become a candidate
     * (rec_btc58 rejects the others without side effects); such a start is a run start */
    for (size_t r = cs; r < ce; r++) {
        if ((t[r] != '1' && t[r] != '3') || (r > 0 && is_word(U(t[r - 1]))) || r + 26 > len)
            continue;
        size_t k = 1;
        while (k < 26 && is_alnum(U(t[r + k])))
            k++;
        if (k == 26 && win_add(w, len, r, r + 26) != 0)
            return -1;
    }
    /* French street \d{1,4}(?:bis|ter)?,?\s(?:rue|avenue|...)\s: the digits end the cluster */
    size_t q = ce;
    if (q + 3 <= len &&
        ((t[q] == 'b' && t[q + 1] == 'i' && t[q + 2] == 's') || (t[q] == 't' && t[q + 1] == 'e' && t[q + 2] == 'r')))
        q += 3;
    if (q < len && t[q] == ',')
        q++;
    unsigned char f = q + 3 < len && hs_space(U(t[q])) ? U(t[q + 1]) : 0;
    if (f == 'r' || f == 'a' || f == 'b' || f == 'p' || f == 'c' || f == 'i' || f == 'q') {
        static const char *const fr[] = {"rue",    "avenue",  "boulevard",       "bd",   "place",
                                         "chemin", "impasse", "all\xc3\xa9\x65", "quai", NULL};
        static const unsigned char frn[] = {3, 6, 9, 2, 5, 6, 7, 6, 4};
        for (int k = 0; fr[k] != NULL; k++) {
            size_t n = frn[k];
            if (U(fr[k][0]) == f && q + 1 + n <= len && memcmp(t + q + 1, fr[k], n) == 0) {
                if (win_add(w, len, back(ce, 4), q + 2 + n) != 0)
                    return -1;
                break;
            }
        }
    }
    return 0;
}

/* ':' at i: [0-9A-Fa-f]:[0-9A-Fa-f]{0,4}: and ::[0-9A-Fa-f] */
static int on_colon(const char *t, size_t len, size_t i, pol__windows_t *w)
{
    if (i > 0 && is_hex(U(t[i - 1]))) {
        size_t j = i + 1;
        while (j < len && j - i <= 4 && is_hex(U(t[j])))
            j++;
        if (j < len && t[j] == ':' && win_add(w, len, i - 1, j + 1) != 0)
            return -1;
    }
    if (i + 2 < len && t[i + 1] == ':' && is_hex(U(t[i + 2])) && win_add(w, len, i, i + 3) != 0)
        return -1;
    return 0;
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
    if ((kind & K_STREET) && i > 0 && t[i - 1] == ' ' && pol__recognize_rec(c, POL__REC_STREET, 0, i + wl) != 0)
        return -1;
    if (!c->enabled[POL_PII_PERSON])
        return 0;
    if (kind & K_HONORIFIC) {
        size_t p = i + wl;
        if (p < len && t[p] == '.')
            p++;
        if (p < len && hs_space(U(t[p])) && pol__recognize_rec(c, POL__REC_PERSON_TRIGGER, 2, p + 1) != 0)
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
        if (p < len && hs_space(U(t[p])) && pol__recognize_rec(c, POL__REC_PERSON_TRIGGER, 0, p + 1) != 0)
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

/* One event at i: a digit that starts a run, ':' or a capital not preceded by a \w byte. */
static int on_event(pass_t *ps, size_t i)
{
    const char *t = ps->c->text;
    size_t len = ps->c->len;
    unsigned char ch = U(t[i]);
    if (i < ps->resume)
        return 0;
    if (is_digit(ch))
        return on_digits(t, len, i, ps->w, &ps->resume);
    ps->resume = i + 1;
    if (ch == ':')
        return on_colon(t, len, i, ps->w);
    if (on_capital(ps->c, i) != 0)
        return -1;
    if (ps->person && i >= ps->person_next && i + 3 < len && pol__person_at(t, len, i, ps->c->cands, &ps->person_next) != 0)
        return -1;
    return 0;
}

static int scalar_event(const char *t, size_t i)
{
    unsigned char ch = U(t[i]), prev = i > 0 ? U(t[i - 1]) : 0;
    if (is_digit(ch))
        return !is_digit(prev);
    if (ch == ':')
        return 1;
    return is_upper(ch) && !hs_word(prev);
}

#if defined(__SSE2__)
/* x in [lo, lo + n) for each byte (unsigned), as 0xFF / 0x00 */
static __m128i in_range(__m128i x, char lo, int n)
{
    return _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - lo))), _mm_set1_epi8((char)(0x80 + n - 256)));
}

/* events among p[0..16): digit after a non-digit, ':', capital after a non-\w byte (p[-1] is readable) */
static unsigned event_mask16(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i pv = _mm_loadu_si128((const __m128i *)(const void *)(p - 1));
    __m128i d = in_range(v, '0', 10), pd = in_range(pv, '0', 10);
    __m128i u = in_range(v, 'A', 26);
    __m128i pw = _mm_or_si128(_mm_or_si128(pd, in_range(_mm_or_si128(pv, _mm_set1_epi8(0x20)), 'a', 26)),
                              _mm_cmpeq_epi8(pv, _mm_set1_epi8('_')));
    __m128i ev = _mm_or_si128(_mm_andnot_si128(pd, d), _mm_andnot_si128(pw, u));
    ev = _mm_or_si128(ev, _mm_cmpeq_epi8(v, _mm_set1_epi8(':')));
    return (unsigned)_mm_movemask_epi8(ev);
}
#endif

int pol__prefilter(pol__scanctx_t *c, pol__windows_t *w, int person)
{
    const char *t = c->text;
    size_t len = c->len, i = 0;
    pass_t ps = {c, w, person, 0, 0};
    w->n = 0;
    if (len > 0 && scalar_event(t, 0) && on_event(&ps, 0) != 0)
        return -1;
    i = 1;
#if defined(__SSE2__)
    for (; i + 16 <= len; i += 16) {
        unsigned m = event_mask16(t + i);
        while (m != 0) {
            size_t p = i + (size_t)__builtin_ctz(m);
            m &= m - 1;
            if (p >= ps.resume && on_event(&ps, p) != 0)
                return -1;
        }
    }
#endif
    for (; i < len; i++)
        if (i >= ps.resume && scalar_event(t, i) && on_event(&ps, i) != 0)
            return -1;
    return 0;
}
