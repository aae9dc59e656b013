/*
 * Location recognizers: UK postcodes (Royal Mail areas), streets in the conventions of en-US,
 * en-GB, de, fr, es, it, nl and pt-BR with the rest of the address (unit, postcode, city, region)
 * taken into one LOCATION span, and US ZIP codes after a state or a "zip" word. Matches come from
 * the window database (street numbers, postcodes, state + ZIP) and the full-text database
 * (street-type-first and context-prefixed patterns) via pol__recognize_rec.
 */
#include "policy/pii/pii_internal.h"

#include <string.h>

#define U(p) POL__U(p)

/* length of the letter (ASCII alnum or a letter of the alphabetic scripts: "ß", "é") at t[p], 0 if none */
static size_t letter_at(const char *t, size_t len, size_t p)
{
    uint32_t cp;
    size_t n;
    if (p >= len)
        return 0;
    if (U(t[p]) < 0x80)
        return pol__is_alnum(U(t[p])) ? 1 : 0;
    n = pol__cp_at(t, len, p, &cp);
    return n > 1 && pol__cp_alpha_letter(cp) ? n : 0;
}

/* same, for the letter that ends at t[p] */
static size_t letter_before(const char *t, size_t p)
{
    uint32_t cp;
    size_t n;
    if (p == 0)
        return 0;
    if (U(t[p - 1]) < 0x80)
        return pol__is_alnum(U(t[p - 1])) ? 1 : 0;
    n = pol__cp_before(t, p, &cp);
    return n > 1 && pol__cp_alpha_letter(cp) ? n : 0;
}

/* ---- locations ---- */

/* UK postcode areas (Royal Mail PAF): the letters before the first digit. */
static int uk_area_ok(const char *a, size_t n)
{
    static const char *const areas =
        " AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL "
        "GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX "
        "PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR "
        "WS WV YO ZE ";
    char k[5] = {' ', a[0], n > 1 ? a[1] : ' ', ' ', 0};
    if (n == 1)
        k[2] = ' ', k[3] = 0;
    return strstr(areas, k) != NULL;
}

int pol__rec_postcode_uk(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t in = to - 3; /* inward code: digit + 2 letters */
    if (pol__glue_after(t, c->len, to))
        return 0;
    size_t oe = in;
    if (oe > 0 && t[oe - 1] == ' ')
        oe--;
    size_t s = oe;
    while (s > 0 && oe - s < 4 && (pol__is_upper(U(t[s - 1])) || pol__is_digit(U(t[s - 1]))))
        s--;
    if (s == oe || pol__glue_before(t, s))
        return 0;
    if (oe - s == 3 && memcmp(t + s, "GIR", 3) == 0 && memcmp(t + in, "0AA", 3) == 0)
        return pol__cands_push(c->cands, POL_PII_LOCATION, s, to, 0.6);
    /* outward: A9, A99, AA9, AA99, A9A, AA9A */
    size_t na = 0;
    while (s + na < oe && pol__is_upper(U(t[s + na])))
        na++;
    size_t rest = oe - s - na;
    if (na < 1 || na > 2 || rest < 1 || rest > 2 || !pol__is_digit(U(t[s + na])))
        return 0;
    if (rest == 2 && !pol__is_digit(U(t[s + na + 1])) && !pol__is_upper(U(t[s + na + 1])))
        return 0;
    if (!uk_area_ok(t + s, na))
        return 0;
    double sc = oe == in ? 0.4 : 0.6;
    return pol__cands_push(c->cands, POL_PII_LOCATION, s, to, sc);
}

/* ---- whole addresses ----
 * A street is followed by the rest of the address in the order of its country: unit ("Apt 4B",
 * "Flat 3", "3º B"), postcode and city ("10115 Berlin", "75002 Paris", "1015 CJ Amsterdam",
 * "01310-200"), city then region and postcode ("Springfield, IL 62704", "London NW1 6XE",
 * "São Paulo - SP"), a country. address_tail() takes these steps after ", ", " - " or a space
 * while they parse, so the whole address is one span (before, the street alone was replaced and
 * the unit, city and region stayed in the prompt). */

static const char *const unit_words[] = {"Apt", "Apartment", "Suite", "Ste", "Unit", "Flat", "Floor", "Fl", "Room", "Rm", "Bldg",
                                         "No", "Wohnung", "Whg", "App", "Appt", "Apto", "apto", "piso", "Piso", "Interno", "int",
                                         "Scala", "Sala", "sala", "Bloco", "bloco", "andar", "Etage", "bus", "Bus", "Bte", "bte",
                                         "Esc", "Escalera", "m", "lok", "\xd0\xba\xd0\xb2",
                                         /* pl mieszkanie, lokal; ru квартира */
                                         /* id/ms neighbourhood and hamlet units ("RT 03/RW 05"; session 11) */
                                         "RT", "RW",
                                         /* session 16: the unit words of a line in capitals ("1208 OAK AVENUE APT 12") */
                                         "APT", "FLAT", "UNIT", "SUITE", "STE",
                                         /* session 15: sv lägenhet "lgh 1203", fi asunto "as. 3", fr/sq "app." / "Ap. 5",
                                            pt "casa 2", es "depto.", "Int. 3", capitals "M. 15", sr стан, bg ет. (floor),
                                            ап. (flat) */
                                         "lgh", "Lgh", "as", "app", "Ap", "ap", "casa", "Casa", "depto", "Depto", "Dpto", "Int",
                                         "M", "\xd1\x81\xd1\x82\xd0\xb0\xd0\xbd", "\xd0\xb5\xd1\x82", "\xd0\xb0\xd0\xbf", NULL};
static const char *const place_stop[] = {
    "The",   "This",    "That",   "These",    "I",        "We",       "You",      "He",    "She",   "It",      "They",
    "My",    "Our",     "Your",   "Please",   "Thanks",   "Thank",    "Call",     "And",   "But",   "Or",      "If",
    "So",    "Then",    "Best",   "Regards",  "Tel",      "Phone",    "Email",    "Mail",  "Ich",   "Bitte",   "Danke",
    "Merci", "Gracias", "Grazie", "Obrigado", "Bedankt",  "Dear",     "Hi",       "Hello", "Hallo", "Bonjour", "Hola",
    "Ciao",  "Olá",     "Tél",    "Telefon",  "Teléfono", "Telefone", "Telefono", NULL};
static const char *const place_particles[] = {"de",  "do", "da",  "dos", "das", "del", "della", "di", "am",   "an", "der",
                                              "sur", "la", "le",  "les", "en",  "aan", "den",   "op", "upon", "im", "y",
                                              "e",   "el", "los", "las", "sul", "al",  "wa",    "ya", NULL};

static size_t list_word_at(const char *t, size_t len, size_t p, const char *const *words)
{
    size_t best = 0;
    for (const char *const *w = words; *w != NULL; w++) {
        size_t n = strlen(*w);
        if (n > best && p + n <= len && memcmp(t + p, *w, n) == 0 && letter_at(t, len, p + n) == 0)
            best = n;
    }
    return best;
}

/* a capitalised word at p (ASCII capital or a Latin capital such as "É", "Á"); @return its end or p */
/* 1 for a capital of Latin-1 (U+00C0-00DE), Latin Extended-A (U+0100-017F: "İstanbul", "Łódź",
 * "Šibenik"; UnicodeData.txt's case pairs: capitals at even code points in U+0100-0137 and
 * U+014A-0177, at odd ones in U+0139-0148 and U+0179-017E, and U+0178) or Cyrillic (U+0400-042F) */
static int cap_cp(uint32_t cp)
{
    if (cp >= 0xC0 && cp <= 0xDE)
        return cp != 0xD7;
    if ((cp >= 0x0100 && cp <= 0x0137) || (cp >= 0x014A && cp <= 0x0177))
        return (cp & 1) == 0;
    if ((cp >= 0x0139 && cp <= 0x0148) || (cp >= 0x0179 && cp <= 0x017E))
        return (cp & 1) == 1;
    /* Vietnamese: Ơ Ư (U+01A0, U+01AF) and Latin Extended Additional, capitals at even code points ("Ấp", "Ở") */
    if (cp >= 0x1E00 && cp <= 0x1EFF)
        return (cp & 1) == 0;
    /* Greek capitals with and without tonos (U+0386, U+0388-038F, U+0391-03AB) */
    if (cp >= 0x0386 && cp <= 0x03AB)
        return cp != 0x0387 && cp != 0x038B && cp != 0x038D && cp != 0x0390 && cp != 0x03A2;
    return cp == 0x0178 || cp == 0x01A0 || cp == 0x01AF || (cp >= 0x0400 && cp <= 0x042F);
}

static size_t cap_word_end(const char *t, size_t len, size_t p)
{
    uint32_t cp;
    size_t n;
    if (p >= len)
        return p;
    if (pol__is_upper(U(t[p])))
        n = 1;
    else if (U(t[p]) >= 0x80 && (n = pol__cp_at(t, len, p, &cp)) > 1 && cap_cp(cp))
        ;
    else
        return p;
    size_t e = p + n;
    while (e < len && ((n = letter_at(t, len, e)) != 0 || (t[e] == '-' && letter_at(t, len, e + 1) != 0) || t[e] == '\''))
        e += n ? n : 1;
    /* a word with digits is a code, not a name: "NW1" after "London" starts the postcode */
    for (size_t i = p; i < e; i++)
        if (pol__is_digit(U(t[i])))
            return p;
    return e - p >= 2 && list_word_at(t, len, p, place_stop) != e - p ? e : p;
}

/* The length of a house-number label at p followed by the number ("No. 5", "nr 10", "д. 7"), or 0 */
static size_t house_label(const char *t, size_t len, size_t p)
{
    static const char *const house[] = {
        "No. ", "No: ", "No ", "no. ",       "Nr. ",
        "Nr ",  "nr. ", "nr ", "\xd0\xb4. ", "\xd0\xb1\xd1\x83\xd0\xb4. " /* uk буд. (session 10) */,
        NULL};
    for (const char *const *h = house; *h != NULL; h++) {
        size_t hl = strlen(*h);
        if (p + hl < len && memcmp(t + p, *h, hl) == 0 && pol__is_digit(U(t[p + hl])))
            return hl;
    }
    return 0;
}

/* a city: 1-3 capitalised words, lowercase particles between them ("Rio de Janeiro", "Frankfurt am Main") */
static size_t city_end(const char *t, size_t len, size_t p)
{
    size_t e = cap_word_end(t, len, p);
    if (e == p)
        return p;
    for (int k = 0; k < 3 && e + 1 < len && t[e] == ' '; k++) {
        size_t q = e + 1, pn = list_word_at(t, len, q, place_particles);
        if (pn != 0 && q + pn + 1 < len && t[q + pn] == ' ')
            q += pn + 1;
        size_t w = cap_word_end(t, len, q);
        if (w == q)
            break;
        e = w;
    }
    return e;
}

static size_t digits_end(const char *t, size_t len, size_t p)
{
    while (p < len && pol__is_digit(U(t[p])))
        p++;
    return p;
}

/* a postcode at p: 12345, 12345-678 (BR), 12345-6789 (US), 1234 AB (NL), 1234-567 (PT), 1234; UK A9 9AA .. AA9A 9AA */
static size_t postcode_end(const char *t, size_t len, size_t p)
{
    /* session 15: a postcode led by its country's code and a hyphen, as Latvia and Lithuania write it ("LV-1010",
       "LT-01103": Latvijas Pasts, Lietuvos paštas addressing rules) and as the CEPT practice wrote others ("CH-8001",
       "D-10115") */
    if (p + 6 <= len && pol__is_upper(U(t[p])) && !pol__glue_before(t, p)) {
        size_t q = t[p + 1] == '-' ? p + 2 : (pol__is_upper(U(t[p + 1])) && t[p + 2] == '-' ? p + 3 : p);
        size_t x = q > p ? digits_end(t, len, q) : q;
        if (q > p && (x - q == 4 || x - q == 5) && !pol__glue_after(t, len, x))
            return x;
    }
    /* Canada Post's A9A 9A9 ("H2X 3K2", "G1V 2L1") */
    if (p + 7 <= len && pol__is_upper(U(t[p])) && pol__is_digit(U(t[p + 1])) && pol__is_upper(U(t[p + 2])) && t[p + 3] == ' ' &&
        pol__is_digit(U(t[p + 4])) && pol__is_upper(U(t[p + 5])) && pol__is_digit(U(t[p + 6])) && !pol__glue_after(t, len, p + 7))
        return p + 7;
    size_t d = digits_end(t, len, p);
    /* Greece NNN NN ("105 63 Αθήνα", ELTA) */
    if (d - p == 3 && d + 3 <= len && t[d] == ' ' && digits_end(t, len, d + 1) == d + 3)
        return pol__glue_after(t, len, d + 3) ? p : d + 3;
    /* Poland NN-NNN ("00-590 Warszawa") */
    if (d - p == 2 && d + 3 < len && t[d] == '-' && digits_end(t, len, d + 1) == d + 4)
        return pol__glue_after(t, len, d + 4) ? p : d + 4;
    if (d - p == 5 || d - p == 4) {
        size_t e = d;
        if (d - p == 5 && e + 1 < len && t[e] == '-' && pol__is_digit(U(t[e + 1]))) {
            size_t x = digits_end(t, len, e + 1);
            if (x - e - 1 == 3 || x - e - 1 == 4)
                e = x;
        } else if (d - p == 4 && e + 3 < len && t[e] == ' ' && pol__is_upper(U(t[e + 1])) && pol__is_upper(U(t[e + 2])) &&
                   !pol__glue_after(t, len, e + 3)) {
            e += 3;
        } else if (d - p == 4 && e + 1 < len && t[e] == '-' && digits_end(t, len, e + 1) == e + 4) {
            e += 4;
        }
        return pol__glue_after(t, len, e) ? p : e;
    }
    /* UK */
    size_t q = p, na = 0;
    while (q < len && pol__is_upper(U(t[q])) && na < 2)
        q++, na++;
    if (na == 0 || q >= len || !pol__is_digit(U(t[q])))
        return p;
    q++;
    if (q < len && (pol__is_digit(U(t[q])) || pol__is_upper(U(t[q]))))
        q++;
    if (q + 3 < len && t[q] == ' ' && pol__is_digit(U(t[q + 1])) && pol__is_upper(U(t[q + 2])) && pol__is_upper(U(t[q + 3])) &&
        !pol__glue_after(t, len, q + 4))
        return q + 4;
    return p;
}

/* session 15: the floor (and side) written after the house number in Denmark, Norway and Sweden: "st. tv." (ground
 * floor, left), "4. th." (4th floor, right), "2. mf.", "1. sal", "4. etasje", "3 tr" (trappor); Post Danmark's and
 * Posten's address guides. @return the end of the floor part at p, or p */
static size_t nordic_floor(const char *t, size_t len, size_t p)
{
    static const char *const floor_w[] = {"th.", "tv.", "mf.", "th", "tv", "mf", "sal", "etasje", "etg.", "etg", "tr.", "tr", NULL};
    size_t q = p, d = digits_end(t, len, p);
    if (d > p && d - p <= 2)
        q = d < len && t[d] == '.' ? d + 1 : d;
    else if (p + 3 <= len && (memcmp(t + p, "st.", 3) == 0 || memcmp(t + p, "kl.", 3) == 0))
        q = p + 3;
    else
        return p;
    size_t n = q + 1 < len && t[q] == ' ' ? list_word_at(t, len, q + 1, floor_w) : 0;
    if (n == 0 && q + 1 < len && t[q] == ' ') /* list_word_at wants no letter after a word ending in '.' */
        for (const char *const *w = floor_w; *w != NULL && n == 0; w++)
            if ((*w)[strlen(*w) - 1] == '.' && q + 1 + strlen(*w) <= len && memcmp(t + q + 1, *w, strlen(*w)) == 0)
                n = strlen(*w);
    if (n == 0)
        return p;
    q += 1 + n;
    /* the side after the floor: "4. th." was taken; "st. tv." too; "2 tr. th" is none */
    size_t m = q + 1 < len && t[q] == ' ' ? list_word_at(t, len, q + 1, floor_w) : 0;
    if (m != 0 && m <= 3)
        q += 1 + m;
    if (q < len && t[q] == '.' && q > 0 && t[q - 1] != '.')
        q++;
    return pol__glue_after(t, len, q) ? p : q;
}

/* session 15: a neighbourhood written with its word after a comma: Mexico's "Col. Centro", "Fracc. Las Arboledas",
 * "Alc. Cuauhtémoc" (colonia, fraccionamiento, alcaldía; Correos de México's address order: street and number, colonia,
 * postcode, municipality, state), "Barrio de San Juan", Brazil's "Bairro X". @return the end of its name, or p */
static size_t neighbourhood(const char *t, size_t len, size_t p)
{
    static const char *const nb_w[] = {"Col.",   "Colonia", "Fracc.", "Fraccionamiento", "Alc.", "Del.", "Mpio.",
                                       "Barrio", "Bairro",  "COL.",   "FRACC.",          NULL};
    for (const char *const *w = nb_w; *w != NULL; w++) {
        size_t n = strlen(*w);
        if (p + n + 1 < len && memcmp(t + p, *w, n) == 0 && t[p + n] == ' ') {
            size_t q = p + n + 1, pn = list_word_at(t, len, q, place_particles);
            if (pn != 0 && q + pn + 1 < len && t[q + pn] == ' ')
                q += pn + 1;
            size_t e = city_end(t, len, q);
            return e == q ? p : e;
        }
    }
    return p;
}

static size_t address_tail(const char *t, size_t len, size_t e)
{
    static const char *const countries[] = {"USA",       "United States", "UK",     "United Kingdom", "Germany", "Deutschland",
                                            "France",    "Spain",         "España", "Italy",          "Italia",  "Netherlands",
                                            "Nederland", "Brazil",        "Brasil", "Portugal",       "Canada",  "Australia",
                                            NULL};
    int cities = 0, last = 0; /* last step: 1 unit, 2 postcode, 3 city, 4 region */
    /* the flat or building part glued to the house number: "84/92", "1511/230", "452-III", "12-14" (session 11: the span
     * stopped at the slash or hyphen, under half of the address) */
    if (e > 0 && e + 1 < len && pol__is_digit(U(t[e - 1])) && (t[e] == '/' || t[e] == '-') && pol__is_alnum(U(t[e + 1]))) {
        size_t q = e + 1;
        while (q < len && pol__is_alnum(U(t[q])) && q - e <= 5)
            q++;
        if (q - e <= 5 && !pol__glue_after(t, len, q))
            e = q;
    }
    /* Finnish and Swedish staircase and flat after the house number: "12 B 7", "5 A 12" */
    if (e > 0 && e + 3 < len && pol__is_digit(U(t[e - 1])) && t[e] == ' ' && pol__is_upper(U(t[e + 1])) && t[e + 2] == ' ' &&
        pol__is_digit(U(t[e + 3]))) {
        size_t q = digits_end(t, len, e + 3);
        if (q - e <= 7 && !pol__glue_after(t, len, q))
            e = q;
    }
    /* a staircase letter before a unit word ("Storgatan 12 B lgh 1203"; session 15) */
    if (e > 0 && e + 4 < len && pol__is_digit(U(t[e - 1])) && t[e] == ' ' && pol__is_upper(U(t[e + 1])) && t[e + 2] == ' ' &&
        list_word_at(t, len, e + 3, unit_words) != 0)
        e += 2;
    for (int step = 0; step < 9; step++) {
        size_t p = e;
        int comma = 0, dash = 0;
        if (p < len && t[p] == ',')
            comma = 1, p++;
        if (p + 2 < len && t[p] == ' ' && t[p + 1] == '-' && t[p + 2] == ' ')
            dash = 1, p += 3;
        else if (p < len && (t[p] == ' ' || (t[p] == '/' && last == 1)))
            p++; /* '/' between two units: "RT 03/RW 05" */
        if (p == e || p >= len)
            break;
        size_t q, w;
        /* unit number after '#' ("#05-67", "#08-123": Singapore's floor and unit; session 12) */
        if (comma && t[p] == '#' && p + 1 < len && pol__is_digit(U(t[p + 1]))) {
            q = p + 1;
            while (q < len && (pol__is_digit(U(t[q])) || t[q] == '-') && q - p < 10)
                q++;
            if (!pol__glue_after(t, len, q)) {
                e = q, last = 1;
                continue;
            }
        }
        /* session 15: the Nordic floor ("st. tv.", "4. th.", "3 tr"), a neighbourhood ("Col. Centro"), a postcode after
           its label ("C.P. 06500", "CEP 01310-100"), a region in parentheses after the city ("Montréal (Québec) H2X
           3K2"), a three-digit postcode and its city ("101 Reykjavík": Iceland, Íslandspóstur) */
        if (comma && (q = nordic_floor(t, len, p)) != p) {
            e = q, last = 1;
            continue;
        }
        if (comma && (q = neighbourhood(t, len, p)) != p) {
            e = q, last = 1;
            continue;
        }
        if (comma) {
            static const char *const pc_label[] = {"C.P. ", "C. P. ", "CP ", "CEP ", "C.P.", NULL};
            for (const char *const *l = pc_label; *l != NULL; l++)
                if (p + strlen(*l) < len && memcmp(t + p, *l, strlen(*l)) == 0 && pol__is_digit(U(t[p + strlen(*l)]))) {
                    p += strlen(*l);
                    break;
                }
        }
        if (last == 3 && !comma && t[p] == '(' && p > 0 && t[p - 1] == ' ') {
            q = p + 1;
            for (size_t k; q < len && (k = letter_at(t, len, q)) != 0 && q - p < 24;)
                q += k;
            if (q > p + 1 && q < len && t[q] == ')') {
                e = q + 1, last = 4;
                continue;
            }
        }
        if (comma && digits_end(t, len, p) == p + 3 && p + 4 < len && t[p + 3] == ' ' && (q = city_end(t, len, p + 4)) != p + 4) {
            e = q, last = 3, cities++;
            continue;
        }
        /* unit: "Apt 4B", "Flat 3", "# 12", "3º B" (session 15: the value holds a digit or is a letter or two: "as in" is
           no unit) */
        if ((comma || last == 0 || (last == 1 && t[p - 1] == '/')) && (w = list_word_at(t, len, p, unit_words)) != 0) {
            q = p + w;
            if (q < len && t[q] == '.')
                q++;
            while (q < len && t[q] == ' ')
                q++;
            size_t v = q;
            int vd = 0;
            while (v < len && (pol__is_alnum(U(t[v])) || t[v] == '-') && v - q < 6)
                vd |= pol__is_digit(U(t[v])), v++;
            if (v > q && (vd || (v - q <= 2 && pol__is_upper(U(t[q])))) && !pol__glue_after(t, len, v)) {
                e = v, last = 1;
                continue;
            }
        }
        if (comma && pol__is_digit(U(t[p]))) {
            q = digits_end(t, len, p);
            if (q - p <= 2 && q + 1 < len && U(t[q]) == 0xC2 && (U(t[q + 1]) == 0xBA || U(t[q + 1]) == 0xAA)) {
                q += 2;
                if (q + 1 < len && t[q] == ' ' && (pol__is_upper(U(t[q + 1])) || pol__is_digit(U(t[q + 1]))) &&
                    !pol__glue_after(t, len, q + 2))
                    q += 2;
                e = q, last = 1;
                continue;
            }
        }
        /* six-digit postcodes after the city (Singapore, India's PIN, Nigeria, Kazakhstan, Russia, China: "Singapore
           640456", "Pune 411045", "Almaty 050008"; session 12) */
        if (last == 3 && digits_end(t, len, p) == p + 6 && !pol__glue_after(t, len, p + 6)) {
            e = p + 6, last = 2;
            continue;
        }
        /* postcode, then maybe the city: "10115 Berlin", "1015 CJ Amsterdam", "NW1 6XE" */
        if ((comma || dash || last == 3 || last == 4) && (q = postcode_end(t, len, p)) != p) {
            e = q, last = 2;
            if (q + 1 < len && t[q] == ' ' && (w = city_end(t, len, q + 1)) != q + 1)
                e = w, last = 3, cities++;
            continue;
        }
        /* region code "IL", "SP", "RM" (two capitals) */
        if ((comma || dash || last == 3) && p + 2 <= len && pol__is_upper(U(t[p])) && pol__is_upper(U(t[p + 1])) &&
            !pol__glue_after(t, len, p + 2) && letter_at(t, len, p + 2) == 0) {
            e = p + 2, last = 4;
            continue;
        }
        if (comma && (w = list_word_at(t, len, p, countries)) != 0) {
            e = p + w, last = 5;
            continue;
        }
        /* city: after a comma or " - " */
        if ((comma || dash) && cities < 2 && (q = city_end(t, len, p)) != p) {
            e = q, last = 3, cities++;
            continue;
        }
        break;
    }
    return e;
}

/* a unit written before the street: "Flat 3, 12 High Street", "Apt. 4B, 500 Main St" */
static size_t address_head(const char *t, size_t s)
{
    if (s < 4 || t[s - 1] != ' ' || t[s - 2] != ',')
        return s;
    size_t v = s - 2, q = v;
    while (q > 0 && pol__is_alnum(U(t[q - 1])) && v - q < 6)
        q--;
    if (q == v || q < 2 || t[q - 1] != ' ')
        return s;
    size_t w = q - 1;
    if (w > 0 && t[w - 1] == '.')
        w--;
    size_t b = w;
    while (b > 0 && pol__is_alpha(U(t[b - 1])))
        b--;
    if (b == w || pol__glue_before(t, b))
        return s;
    for (const char *const *u = unit_words; *u != NULL; u++)
        if (strlen(*u) == w - b && memcmp(t + b, *u, w - b) == 0)
            return b;
    return s;
}

/* ---- Turkish ----
 * PTT's address order (Posta ve Telgraf Teşkilatı, adres yazım kuralları): neighbourhood ("Caferağa Mah."), street
 * ("Moda Cad.", "Gül Sok."), "No: 15", flat ("Daire 5", "D: 5", "Kat 3"), postcode, district and province written
 * "Kadıköy/İstanbul" or with spaces, commas not required ("Atatürk Cad. No: 15 Kadıköy İstanbul"). */

/* words that start a sentence before a street name ("Adresim Atatürk Cad."): not part of the street */
static const char *const tr_lead[] = {"Adresim", "Adresi", "Adres", "Adresimiz", "Evim", "Ofisim", "Ofisimiz", "Teslimat", NULL};

/* "<Name> Mah. " / "<Name> Mahallesi " before s: @return the neighbourhood's start or s */
static size_t tr_mahalle_before(const char *t, size_t s)
{
    static const char *const mah[] = {"Mah. ", "Mahallesi ", "Mh. ", NULL};
    for (const char *const *m = mah; *m != NULL; m++) {
        size_t n = strlen(*m);
        if (s < n + 3 || memcmp(t + s - n, *m, n) != 0 || t[s - n - 1] != ' ')
            continue;
        size_t b = s - n - 1, start = s;
        for (int words = 0; words < 2; words++) {
            size_t w = b;
            for (size_t k; w > 0 && (k = letter_before(t, w)) != 0;)
                w -= k;
            if (w == b || cap_word_end(t, b, w) != b || list_word_at(t, b, w, tr_lead) == b - w)
                break;
            start = w;
            if (w < 2 || t[w - 1] != ' ')
                break;
            b = w - 1;
        }
        return start != s && !pol__glue_before(t, start) ? start : s;
    }
    return s;
}

/* after the house number: flat, district, province and postcode without commas; @return the new end */
static size_t tr_tail(const char *t, size_t len, size_t e)
{
    static const char *const flat[] = {"Daire ", "Daire:", "D: ", "D:", "D.", "Kat ", "Kat:", "K: ", "K:", NULL};
    int cities = 0;
    for (int step = 0; step < 5 && e + 1 < len && t[e] == ' '; step++) {
        size_t p = e + 1, w = 0, q;
        for (const char *const *f = flat; *f != NULL; f++)
            if (p + strlen(*f) < len && memcmp(t + p, *f, strlen(*f)) == 0) {
                w = strlen(*f);
                break;
            }
        if (w != 0) {
            q = p + w;
            while (q < len && t[q] == ' ')
                q++;
            size_t d = digits_end(t, len, q);
            if (d == q || pol__glue_after(t, len, d))
                break;
            e = d;
            continue;
        }
        if (pol__is_digit(U(t[p]))) {
            size_t d = digits_end(t, len, p);
            if (d - p != 5 || pol__glue_after(t, len, d))
                break;
            e = d;
            continue;
        }
        if (cities >= 2 || (q = cap_word_end(t, len, p)) == p)
            break;
        cities++;
        e = q;
        /* "Kadıköy/İstanbul" */
        if (e + 1 < len && t[e] == '/' && (q = cap_word_end(t, len, e + 1)) != e + 1)
            e = q, cities++;
    }
    return e;
}

/* ---- Greek and Arabic streets ----
 * Greek (ELTA's order): "οδός Ερμού 25", "Οδός Πανεπιστημίου αριθμός 30", "Λεωφόρος Κηφισίας 120", then ", 105 63
 * Αθήνα" (the postcode 5 digits, written 3 + 2). The street word, 1-3 capitalised words, the number ("αριθμός",
 * "αρ." before it or not), then the rest of the address as for the Latin conventions (address_tail).
 * Arabic: "شارع الملك فهد رقم 25، الرياض 12345" (Saudi national address: building number, street, district "حي",
 * city, postcode), "15 شارع التحرير، الدقي، الجيزة" (Egypt): a street word ("شارع" street, "طريق" road), 1-4 words
 * of its name up to a number, a preposition or punctuation, the building number before or after it ("رقم" number),
 * then after "،" or "," the district, city and postcode. One LOCATION with a number, or with two components after
 * the street. */

static int ar_letter(uint32_t cp)
{
    return (cp >= 0x0621 && cp <= 0x065F) || (cp >= 0x0671 && cp <= 0x06D3) || cp == 0x0670 || cp == 0x06CC || cp == 0x06A9 ||
           cp == 0x06AF || cp == 0x067E || cp == 0x0686 || cp == 0x0698;
}

static int he_letter(uint32_t cp)
{
    return cp >= 0x05D0 && cp <= 0x05EA;
}

/* words that end a street or place name: ar number, in, near, next to, opposite, at, from, to, district, city,
 * building, floor, flat, postcode, and, or, my phone, please, on, with, is; fa plate, unit, floor, is, and, in, to;
 * he number, and, in, I, live, city, flat, floor */
static const char *const ar_stop[] = {"رقم",  "في",    "قرب",   "بجوار", "بالقرب", "مقابل", "عند",    "من",   "إلى",   "الى",
                                      "حي",   "مدينة", "عمارة", "مبنى",  "بناية",  "الدور", "الطابق", "شقة",  "الرمز", "ص.ب",
                                      "و",    "أو",    "هاتفي", "رقمي",  "يرجى",   "شكرا",  "على",    "مع",   "هو",    "هي",
                                      "پلاک", "واحد",  "طبقه",  "است",   "در",     "به",    "که",     "מספר", "ו",     "ב",
                                      "ל",    "אני",   "גר",    "גרה",   "עיר",    "דירה",  "קומה",   "של",   "עם",    NULL};
/* parts after the street that take a name or a number: district, city, building, flat, floor, governorate, area; fa
 * plate (house number), unit, floor, alley; he flat, floor, entrance */
static const char *const ar_unit[] = {"حي",  "مدينة", "عمارة", "مبنى", "بناية", "شقة",  "الدور", "الطابق", "محافظة", "منطقة",
                                      "رقم", "پلاک",  "واحد",  "طبقه", "کوچه",  "דירה", "קומה",  "כניסה",  NULL};
/* the street words of the pattern: ar street, road; fa street, alley, boulevard; he street, on street, boulevard */
static const char *const ar_street_words[] = {"شارع", "طريق", "خیابان", "کوچه", "بلوار", "רחוב", "ברחוב", "שדרות", "בשדרות", NULL};

/* 1-n words of a name from p (single spaces between), up to a stop word; @return the end or p */
static size_t ar_name(const char *t, size_t len, size_t p, int max, int (*letter)(uint32_t))
{
    size_t e = p;
    for (int k = 0; k < max; k++) {
        size_t q = k == 0 ? p : e + 1;
        if (k > 0 && (e + 1 >= len || t[e] != ' '))
            break;
        size_t w = pol__script_word(t, len, q, letter);
        if (w == q || pol__word_is(t, q, w, ar_stop) || (w - q >= 2 && memcmp(t + q, "و", 2) == 0 && k > 0))
            break;
        e = w;
    }
    return e;
}

/* Arabic, Persian and Hebrew streets: the street word ends at `to` */
static int ar_address(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t len = c->len, a = to, s, e, q;
    int numbered = 0, comps = 0;
    uint32_t cp;
    for (const char *const *w = ar_street_words; *w != NULL; w++) {
        size_t n = strlen(*w);
        if (to >= n && memcmp(t + to - n, *w, n) == 0 && to - n < a)
            a = to - n;
    }
    if (a == to)
        return 0;
    int (*letter)(uint32_t) = U(t[a]) == 0xD7 ? he_letter : ar_letter;
    if (a > 0 && pol__cp_before(t, a, &cp) == 2 && (ar_letter(cp) || he_letter(cp)))
        return 0; /* inside a word */
    s = a;
    /* a building number before: "15 شارع" */
    if (a >= 2 && t[a - 1] == ' ' && pol__is_digit(U(t[a - 2]))) {
        size_t b = a - 1;
        while (b > 0 && pol__is_digit(U(t[b - 1])) && a - b < 7)
            b--;
        if (!pol__glue_before(t, b))
            s = b, numbered = 1;
    }
    if (to + 1 >= len || t[to] != ' ')
        return 0;
    e = ar_name(t, len, to + 1, 4, letter);
    if (e == to + 1)
        return 0;
    /* the number after: " رقم 25", " 25" */
    q = e;
    if (q + 1 < len && t[q] == ' ' && (size_t)(pol__script_word(t, len, q + 1, letter) - (q + 1)) == 6 &&
        memcmp(t + q + 1, "رقم", 6) == 0)
        q += 7;
    if (q + 1 < len && t[q] == ' ' && pol__is_digit(U(t[q + 1]))) {
        size_t d = digits_end(t, len, q + 1);
        if (d - q - 1 <= 6 && !pol__glue_after(t, len, d))
            e = d, numbered = 1;
    }
    /* the components after: "، حي الدقي", "، الرياض 12345", ", 12345", "، پلاک ۱۲" */
    for (int k = 0; k < 5; k++) {
        size_t p = e;
        if (p + 1 < len && memcmp(t + p, "،", 2) == 0)
            p += 2;
        else if (p < len && (t[p] == ',' || t[p] == '-'))
            p++;
        else if (!(p + 1 < len && t[p] == ' ' && (pol__is_digit(U(t[p + 1])) || pol__script_word(t, len, p + 1, letter) != p + 1)))
            break;
        while (p < len && t[p] == ' ')
            p++;
        if (p < len && pol__is_digit(U(t[p]))) {
            size_t d = digits_end(t, len, p);
            if ((d - p != 5 && d - p != 7) || pol__glue_after(t, len, d))
                break;
            e = d, comps++;
            continue;
        }
        size_t w = pol__script_word(t, len, p, letter), n;
        if (w == p)
            break;
        if (pol__word_is(t, p, w, ar_unit)) {
            /* a district, building or house plate with its name or number */
            size_t r = w + (w < len && t[w] == ' ');
            if (r < len && pol__is_digit(U(t[r]))) {
                n = digits_end(t, len, r);
                numbered |= (w - p == 6 && memcmp(t + p, "رقم", 6) == 0) || (w - p == 8 && memcmp(t + p, "پلاک", 8) == 0);
            } else {
                n = ar_name(t, len, r, 3, letter);
            }
            if (n == r)
                break;
            e = n, comps++;
            continue;
        }
        /* a city: 1-2 words after a comma only (a word after a space is the sentence going on) */
        if (e + 1 < len && t[e] == ' ')
            break;
        n = ar_name(t, len, p, 2, letter);
        if (n == p)
            break;
        e = n, comps++;
    }
    if (!numbered && comps < 2)
        return 0;
    /* a city written first: "تهران، خیابان ولیعصر" (one word before the comma) */
    if (s == a && a >= 4 && (memcmp(t + a - 3, "، ", 3) == 0 || (t[a - 2] == ',' && t[a - 1] == ' '))) {
        size_t ce = t[a - 2] == ',' ? a - 2 : a - 3, cs = ce;
        while (cs > 0 && pol__cp_before(t, cs, &cp) == 2 && letter(cp))
            cs -= 2;
        if (cs < ce && (cs == 0 || t[cs - 1] == ' ' || t[cs - 1] == ':') && !pol__word_is(t, cs, ce, ar_stop))
            s = cs;
    }
    c->skip_until[POL__REC_STREET] = e;
    if (pol__cands_push(c->cands, POL_PII_LOCATION, s, e, 0.75) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    return 0;
}

/* Greek: the street word ended at `to` (the pattern holds the space after it) */
static int el_street(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t len = c->len, s = to - 1, q, e;
    /* back to the street word's start (the match ends after the space that follows it) */
    while (s > 0 && (letter_before(t, s) != 0 || t[s - 1] == '.'))
        s -= letter_before(t, s) ? letter_before(t, s) : 1;
    q = to;
    int words = 0;
    while (words < 3) {
        size_t w = cap_word_end(t, len, q);
        if (w == q)
            break;
        e = q = w, words++;
        if (q + 1 < len && t[q] == ' ' && !pol__is_digit(U(t[q + 1])))
            q++;
        else
            break;
    }
    if (words == 0)
        return 0;
    if (q < len && t[q] == ' ')
        q++;
    static const char *const no[] = {"αριθμός ", "αριθμό ", "αριθ. ", "αρ. ", "αρ.", "Αρ. ", "αρ ", NULL};
    size_t r = q;
    if (r < len && t[r] == ',')
        r += 1 + (r + 1 < len && t[r + 1] == ' ');
    for (const char *const *h = no; *h != NULL; h++)
        if (r + strlen(*h) < len && memcmp(t + r, *h, strlen(*h)) == 0) {
            r += strlen(*h);
            break;
        }
    size_t d = digits_end(t, len, r);
    if (d == r || d - r > 4)
        return 0;
    if (d + 1 < len && pol__is_alpha(U(t[d])) && !pol__glue_after(t, len, d + 1))
        d++;
    if (pol__glue_after(t, len, d))
        return 0;
    e = address_tail(t, len, d);
    c->skip_until[POL__REC_STREET] = e;
    if (pol__cands_push(c->cands, POL_PII_LOCATION, s, e, 0.7) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    return 0;
}

/* ---- Vietnamese addresses ----
 * Vietnam Post's address order (Bưu điện Việt Nam; UPU Postal Addressing Systems, Viet Nam): house number and
 * street ("số 12 đường Lê Lợi", "45 Nguyễn Huệ", "ngõ 15 Láng Hạ", "thôn Đông"), ward or commune ("phường", "P.",
 * "xã", "thị trấn"), district ("quận", "Q.", "huyện", "thị xã"), city or province ("thành phố", "TP.", "tỉnh", or the
 * name alone: "Hà Nội"), separated by commas. The pattern fires on a ward or district word; the street segment
 * before it and the components after it join the span. One LOCATION when there are three components, or two
 * and a house number. */
static const char *const vn_admin[] = {"phường",    "Phường",    "P.",    "xã",    "Xã", "thị trấn", "Thị trấn", "TT.", "quận",
                                       "Quận",      "Q.",        "huyện", "Huyện", "H.", "thị xã",   "Thị xã",   "TX.", "thành phố",
                                       "Thành phố", "Thành Phố", "TP.",   "Tp.",   "TP", "tỉnh",     "Tỉnh",     NULL};
static const char *const vn_street[] = {
    "số",   "Số",   "đường", "Đường", "phố", "Phố", "ngõ",     "Ngõ",     "ngách", "Ngách",  "hẻm",    "Hẻm",    "kiệt",   "Kiệt",
    "thôn", "Thôn", "ấp",    "Ấp",    "tổ",  "Tổ",  "khu phố", "Khu phố", "KP.",   "đại lộ", "Đại lộ", "số nhà", "Số nhà", NULL};
static const char *const vn_cities[] = {"Hà Nội",  "Ha Noi",  "Hanoi",     "Hồ Chí Minh", "Ho Chi Minh",
                                        "Đà Nẵng", "Da Nang", "Hải Phòng", "Cần Thơ",     "Huế",
                                        "Sài Gòn", "Saigon",  "Việt Nam",  "Vietnam",     NULL};

/* the longest word of `words` at p that ends at a non-letter ('.'-ended abbreviations also before a digit) */
static size_t vn_word_at(const char *t, size_t len, size_t p, const char *const *words)
{
    size_t best = 0;
    for (const char *const *w = words; *w != NULL; w++) {
        size_t n = strlen(*w);
        if (n > best && p + n <= len && memcmp(t + p, *w, n) == 0 && ((*w)[n - 1] == '.' || letter_at(t, len, p + n) == 0))
            best = n;
    }
    return best;
}

/* a place name at p: 1-4 capitalised words, none of them an administrative word; @return its end or p */
static size_t vn_name(const char *t, size_t len, size_t p)
{
    size_t e = p;
    for (int k = 0; k < 4; k++) {
        size_t q = k == 0 ? p : e + 1;
        if (k > 0 && (e + 1 >= len || t[e] != ' '))
            break;
        if (vn_word_at(t, len, q, vn_admin) != 0)
            break;
        size_t w = cap_word_end(t, len, q);
        if (w == q)
            break;
        e = w;
    }
    return e;
}

/* a number at p: "12", "45A", "12/3", "123/4/5"; @return its end or p */
static size_t vn_number(const char *t, size_t len, size_t p)
{
    size_t e = digits_end(t, len, p);
    if (e == p || e - p > 5)
        return p;
    if (e < len && pol__is_upper(U(t[e])) && !pol__glue_after(t, len, e + 1))
        e++;
    while (e + 1 < len && t[e] == '/' && pol__is_digit(U(t[e + 1])))
        e = digits_end(t, len, e + 1);
    return pol__glue_after(t, len, e) ? p : e;
}

/* a street segment from p to exactly `se`: [keyword] [number] [keyword] name, with a keyword or a number and a name;
 * @return 0 no, 1 yes, 2 yes with a house number */
static int vn_street_seg(const char *t, size_t len, size_t p, size_t se)
{
    int kw = 0, num = 0;
    size_t q = p, w;
    for (int k = 0; k < 3 && q < se; k++) {
        if ((w = vn_word_at(t, se, q, vn_street)) != 0)
            q += w, kw = 1;
        else if ((w = vn_number(t, se, q)) != q)
            q = w, num = 1;
        else
            break;
        if (q < se && t[q] == ' ')
            q++;
    }
    if (!kw && !num)
        return 0;
    /* the street's name is required: "4, P. 12, Q. 3" is a page and a question in English */
    size_t e = q < se ? vn_name(t, se, q) : q;
    if (e != se || e == q)
        return 0;
    return num ? 2 : 1;
}

/* an administrative component at p: the word and a number or a name; @return its end or p */
static size_t vn_admin_at(const char *t, size_t len, size_t p)
{
    size_t w = vn_word_at(t, len, p, vn_admin);
    if (w == 0) {
        /* "P.1", "Q.3": the abbreviation glued to the number */
        if (p + 2 < len && (t[p] == 'P' || t[p] == 'Q') && t[p + 1] == '.' && pol__is_digit(U(t[p + 2])))
            w = 2;
        else
            return p;
    }
    size_t q = p + w;
    if (q < len && t[q] == ' ')
        q++;
    size_t e = digits_end(t, len, q);
    if (e > q && e - q <= 2 && !pol__glue_after(t, len, e))
        return e;
    e = vn_name(t, len, q);
    return e == q ? p : e;
}

static int vn_address(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t len = c->len, a = to;
    /* back to the keyword's start */
    while (a > 0 && (letter_before(t, a) != 0 || t[a - 1] == '.') && to - a < 16)
        a -= letter_before(t, a) ? letter_before(t, a) : 1;
    if (a > 0 && t[a - 1] != ' ' && t[a - 1] != ',' && t[a - 1] != '(' && t[a - 1] != '\n' && t[a - 1] != ':')
        return 0;
    size_t e = vn_admin_at(t, len, a);
    if (e == a)
        return 0;
    int ncomp = 1, house = 0;
    size_t s = a;
    /* the street segment before: ", " then a segment that parses to it */
    if (a >= 4 && t[a - 1] == ' ' && t[a - 2] == ',') {
        size_t se = a - 2, best = se;
        for (size_t b = se; se - b < 80; b--) {
            char x = b > 0 ? t[b - 1] : ' ';
            if (x == ',' || x == '\n' || x == '.' || x == ';')
                break;
            if (x != ' ' && x != ':' && x != '(') {
                if (b == 0)
                    break;
                continue;
            }
            int r = vn_street_seg(t, len, b, se);
            if (r != 0)
                best = b, house = r == 2;
            if (b == 0)
                break;
        }
        if (best != se)
            s = best, ncomp++;
    }
    /* the components after: more administrative units, a city, the country */
    for (int k = 0; k < 5; k++) {
        size_t q = e;
        if (q < len && t[q] == ',')
            q++;
        else if (!(q + 2 < len && t[q] == ' ' && t[q + 1] == '-' && t[q + 2] == ' ') && !(q < len && t[q] == ' '))
            break;
        if (q + 2 < len && t[q] == ' ' && t[q + 1] == '-' && t[q + 2] == ' ')
            q += 2;
        if (q < len && t[q] == ' ')
            q++;
        size_t w = vn_admin_at(t, len, q);
        if (w == q)
            w = q + vn_word_at(t, len, q, vn_cities);
        if (w == q)
            break;
        e = w, ncomp++;
    }
    if (!(ncomp >= 3 || (ncomp == 2 && house)))
        return 0;
    c->skip_until[POL__REC_STREET] = e;
    if (pol__cands_push(c->cands, POL_PII_LOCATION, s, e, 0.75) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    return 0;
}

/* a Russian city written before the street (Почта России's order: "г. Москва, ул. Ленина, д. 10"): "г. <Name>, " or
 * "город <Name>, " before s; @return its start or s */
static size_t ru_city_before(const char *t, size_t s)
{
    if (s < 8 || t[s - 1] != ' ' || t[s - 2] != ',')
        return s;
    size_t e = s - 2, b = e;
    for (size_t k; b > 0 && (k = letter_before(t, b)) != 0;)
        b -= k;
    if (b == e || cap_word_end(t, e, b) != e)
        return s;
    static const char *const city[] = {"г. ", "г.", "город ", "м. ", "місто ", NULL}; /* uk м. (місто), session 10 */
    for (const char *const *w = city; *w != NULL; w++) {
        size_t n = strlen(*w);
        if (b >= n && memcmp(t + b - n, *w, n) == 0 && (b == n || !pol__is_alnum(U(t[b - n - 1]))) && letter_before(t, b - n) == 0)
            return b - n;
    }
    return s;
}

/* ---- addresses of numbered components (session 15) ----
 * Gulf addresses are written as a chain of numbered components without a street name: "Villa 12, Street 7, Al
 * Nahyan", "Zone 61, Street 860, Building 12, Doha" (Qatar's blue plates), "Flat 21, Building 45, Road 3803, Block
 * 338, Manama" (Bahrain), "Block 4, Street 12, House 23, Salmiya" (Kuwait), "Way 2718, House 1042, Al Khuwair"
 * (Oman). A street word of the suffix pattern (" Street", " Road", " Way") followed by a number and not preceded by a
 * name starts it; with at least one more "Word N" component next to it, the chain and the rest of the address
 * (district, city) are one LOCATION. */
static const char *const comp_words[] = {"Villa",  "Building", "Bldg",  "Flat",   "Apartment", "Apt",      "House",
                                         "Street", "St",       "Road",  "Rd",     "Way",       "Block",    "Zone",
                                         "Plot",   "Unit",     "Floor", "Avenue", "Ave",       "Compound", NULL};

/* the end of a component "Word N" at p ("Villa 12", "Road 3803", "Block 4A"), or p */
static size_t comp_at(const char *t, size_t len, size_t p)
{
    size_t w = list_word_at(t, len, p, comp_words);
    if (w == 0 || pol__glue_before(t, p))
        return p;
    size_t q = p + w;
    if (q < len && t[q] == '.')
        q++;
    if (q + 1 >= len || t[q] != ' ' || !pol__is_digit(U(t[q + 1])))
        return p;
    size_t d = digits_end(t, len, q + 1);
    if (d - q - 1 > 5)
        return p;
    if (d < len && pol__is_upper(U(t[d])) && !pol__glue_after(t, len, d + 1))
        d++;
    return pol__glue_after(t, len, d) ? p : d;
}

static int numbered_address(pol__scanctx_t *c, size_t ws)
{
    const char *t = c->text;
    size_t len = c->len, e = comp_at(t, len, ws), s = ws;
    if (e == ws)
        return 0;
    int n = 1;
    /* back over ", " and the components before it */
    while (s >= 4 && t[s - 1] == ' ' && t[s - 2] == ',' && n < 6) {
        size_t q = s - 2; /* the comma */
        while (q > 0 && pol__is_alnum(U(t[q - 1])) && s - 2 - q < 6)
            q--;
        if (q < 2 || t[q - 1] != ' ')
            break;
        size_t b = q - 1;
        if (b > 0 && t[b - 1] == '.')
            b--;
        while (b > 0 && pol__is_alpha(U(t[b - 1])))
            b--;
        if (comp_at(t, len, b) != s - 2)
            break;
        s = b, n++;
    }
    /* forward over ", " and the components after it */
    size_t q;
    while (e + 2 < len && t[e] == ',' && t[e + 1] == ' ' && (q = comp_at(t, len, e + 2)) != e + 2 && n < 6)
        e = q, n++;
    if (n < 2)
        return 0;
    e = address_tail(t, len, e);
    c->skip_until[POL__REC_STREET] = e;
    if (pol__cands_push(c->cands, POL_PII_LOCATION, s, e, 0.7) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    return 0;
}

/* ---- an address written in lower case after its label (session 16) ----
 * Chat prompts write addresses in lower case: "my address is 12 baker st, leeds ls1 4ap", "new address: flat 3, 27 elm
 * grove, bristol bs7 8ha", "i live at 44 harbour view road, cork", "address: 3/45 george street, parramatta nsw 2150".
 * After a label of an address (the pattern: "address is", "address:", "live at", "ship to", "deliver to" ...; a label
 * is the second signal, capitalisation is none here) the rule takes: an optional unit ("flat 3, ", "apt 4b, "), a house
 * number (1-5 digits, "3/45", "12a"), 1-3 words of which the last is a street type of en-US/GB/AU (street, st, road, rd,
 * avenue, ave, lane, ln, drive, dr, grove, crescent, terrace, boulevard, parkway, highway), then up
 * to three comma-separated parts of 1-3 words, each word letters or a postcode-like token (letters and digits, at most
 * 8 bytes: "ls1", "4ap", "94109"). One LOCATION (0.7) from the unit or the number to the last part. */
/* (not "way", "close", "place", "court": common words after a count, "send it to 10 people way before ...") */
static const char *const lc_street_types[] = {"street",  "st",        "road",  "rd",      "avenue",  "ave",
                                              "lane",    "ln",        "drive", "dr",      "grove",   "crescent",
                                              "terrace", "boulevard", "blvd",  "parkway", "highway", NULL};
static const char *const lc_units[] = {"flat", "apt", "apartment", "unit", "suite", NULL};
/* words that go on with the sentence after the address ("..., cork and i love it", "..., leeds pls hurry") */
static const char *const lc_clause[] = {"and", "or",   "but",  "pls",    "please", "so",   "if",    "when",     "at",     "for",
                                        "to",  "from", "is",   "i",      "my",     "the",  "then",  "after",    "before", "on",
                                        "in",  "by",   "call", "thanks", "thank",  "asap", "today", "tomorrow", NULL};

/* a word of lower-case ASCII letters at p (an apostrophe inside), @return its end or p */
static size_t lc_word(const char *t, size_t len, size_t p)
{
    size_t e = p;
    while (e < len && ((t[e] >= 'a' && t[e] <= 'z') || (e > p && t[e] == '\'' && e + 1 < len && t[e + 1] >= 'a')))
        e++;
    return e < len && (pol__is_alnum(U(t[e])) || U(t[e]) >= 0x80) ? p : e;
}

static int lc_in(const char *t, size_t s, size_t e, const char *const *words)
{
    for (const char *const *w = words; *w != NULL; w++)
        if (strlen(*w) == e - s && memcmp(t + s, *w, e - s) == 0)
            return 1;
    return 0;
}

/* a house number at p: 1-5 digits, "3/45", "12a"; @return its end or p */
static size_t lc_number(const char *t, size_t len, size_t p)
{
    size_t e = digits_end(t, len, p);
    if (e == p || e - p > 5)
        return p;
    if (e + 1 < len && t[e] == '/' && pol__is_digit(U(t[e + 1])))
        e = digits_end(t, len, e + 1);
    else if (e < len && t[e] >= 'a' && t[e] <= 'z' && (e + 1 == len || t[e + 1] == ' ' || t[e + 1] == ','))
        e++;
    return e < len && pol__is_alnum(U(t[e])) ? p : e;
}

static int lower_address(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t len = c->len, p = to, s = to, w;
    while (p < len && t[p] == ' ')
        p++;
    s = p;
    /* a unit before the house number: "flat 3, ", "apt 4b, " */
    if ((w = lc_word(t, len, p)) != p && lc_in(t, p, w, lc_units) && w + 1 < len && t[w] == ' ') {
        size_t v = w + 1;
        while (v < len && pol__is_alnum(U(t[v])) && v - w <= 5)
            v++;
        if (v > w + 1 && v + 2 < len && t[v] == ',' && t[v + 1] == ' ')
            p = v + 2;
        else
            return 0;
    }
    size_t e = lc_number(t, len, p);
    if (e == p || e + 1 >= len || t[e] != ' ')
        return 0;
    p = e + 1;
    int street = 0;
    for (int k = 0; k < 4 && !street; k++) {
        w = lc_word(t, len, p);
        if (w == p)
            return 0;
        street = lc_in(t, p, w, lc_street_types) && k > 0;
        e = w;
        if (!street) {
            if (w >= len || t[w] != ' ')
                return 0;
            p = w + 1;
        }
    }
    if (!street)
        return 0;
    /* a unit after the street ("apt 4b") and up to three parts ", leeds ls1 4ap", ", ca 94109" */
    if (e + 1 < len && t[e] == ' ' && (w = lc_word(t, len, e + 1)) != e + 1 && lc_in(t, e + 1, w, lc_units) && w + 1 < len &&
        t[w] == ' ') {
        size_t v = w + 1;
        while (v < len && pol__is_alnum(U(t[v])) && v - w <= 5)
            v++;
        if (v > w + 1 && !pol__glue_after(t, len, v))
            e = v;
    }
    for (int part = 0; part < 3; part++) {
        if (e + 2 >= len || t[e] != ',' || t[e + 1] != ' ')
            break;
        size_t q = e + 2, pe = q;
        int words = 0;
        while (words < 3 && q < len) {
            size_t r = q;
            int dg = 0;
            while (r < len && (pol__is_alnum(U(t[r])) && !(t[r] >= 'A' && t[r] <= 'Z')) && r - q <= 20)
                dg |= pol__is_digit(U(t[r])), r++;
            if (r == q || r - q > (dg ? 8u : 20u) || (r < len && (pol__is_alnum(U(t[r])) || U(t[r]) >= 0x80)) ||
                lc_in(t, q, r, lc_clause))
                break;
            pe = r, words++;
            if (r + 1 < len && t[r] == ' ' && pol__is_alnum(U(t[r + 1])))
                q = r + 1;
            else
                break;
        }
        if (words == 0)
            break;
        e = pe;
    }
    c->skip_until[POL__REC_STREET] = e;
    if (pol__cands_push(c->cands, POL_PII_LOCATION, s, e, 0.7) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    return 0;
}

int pol__rec_street(pol__scanctx_t *c, size_t to, int kind)
{
    const char *t = c->text;
    size_t s, e = to;
    if (kind == 9)
        return lower_address(c, to);
    if (kind == 5)
        return vn_address(c, to);
    if (kind == 6)
        return el_street(c, to);
    if (kind == 7)
        return ar_address(c, to);
    if (kind == 0) {
        /* " <Suffix>" matched: walk back over 1-3 capitalized words to a house number at a word start */
        size_t p = to;
        while (p > 0 && t[p - 1] != ' ')
            p--;
        p--; /* the space before the suffix */
        int words = 0;
        while (words < 3 && p > 0) {
            size_t w = p;
            while (w > 0 && (pol__is_alpha(U(t[w - 1])) || t[w - 1] == '\'' || t[w - 1] == '-' || t[w - 1] == '.'))
                w--;
            if (w == p || !pol__is_upper(U(t[w])) || w == 0 || t[w - 1] != ' ')
                break;
            words++;
            p = w - 1;
            if (p > 0 && pol__is_digit(U(t[p - 1])))
                break;
        }
        if (p > 1 && pol__is_alpha(U(t[p - 1])) && pol__is_digit(U(t[p - 2])))
            p--; /* a house number with a letter: "221B Baker Street" */
        /* the number before a comma ("No. 15, Adeola Odeku Street", "Plot 14, Kampala Road": session 12) */
        if (words > 0 && p > 2 && t[p - 1] == ',' && pol__is_digit(U(t[p - 2])))
            p--;
        if (words == 0 && p + 1 < to && (p == 0 || t[p - 1] == ','))
            return numbered_address(c, p + 1);
        if (words == 0 || p == 0 || !pol__is_digit(U(t[p - 1])))
            return 0;
        s = p;
        while (s > 0 && pol__is_digit(U(t[s - 1])) && p - s < 5)
            s--;
        if (s > 0 && pol__is_alpha(U(t[s - 1])))
            return 0;
        /* the label of the house or block number before it ("Blk 456 Jurong West St 42", "Plot 14, Kampala Road",
           "No. 15, Adeola Odeku Street": Singapore HDB blocks, East and West African plots; session 12) */
        static const char *const lead[] = {"Blk ", "Block ", "Plot ", "Plot No. ", "No. ", "No ", "House ", "H.No. ", NULL};
        for (const char *const *h = lead; *h != NULL; h++) {
            size_t hl = strlen(*h);
            if (s >= hl && memcmp(t + s - hl, *h, hl) == 0 && !pol__glue_before(t, s - hl)) {
                s -= hl;
                break;
            }
        }
        /* an abbreviated type word's full stop ("123 Rizal St., Brgy."), and the number written after the type word
           ("Ang Mo Kio Ave 3", "Jurong West St 42": Singapore's street numbering) */
        size_t suf = to;
        while (suf > 0 && t[suf - 1] != ' ')
            suf--;
        if (e == to && e < c->len && t[e] == '.' && to - suf <= 4 && memcmp(t + suf, "Way", 3) != 0)
            e++;
        if (e + 1 < c->len && t[e] == ' ' && pol__is_digit(U(t[e + 1]))) {
            size_t q = digits_end(t, c->len, e + 1);
            if (q - e - 1 <= 3 && (q == c->len || t[q] == ',') && !pol__glue_after(t, c->len, q))
                e = q;
        }
    } else if (kind == 4 || kind == 8) {
        /* Turkish "Atatürk Cad. No: 15": 1-3 capitalised name words before the type word (matched
         * with the space or comma after it), then the house number, "No" label or not */
        size_t p = to - 1; /* the space or comma after the type word */
        while (p > 0 && t[p - 1] != ' ')
            p--;
        p--; /* the space before the type word */
        int words = 0;
        while (words < 3 && p > 0) {
            size_t w = p;
            for (size_t n; w > 0 && ((n = letter_before(t, w)) != 0 || t[w - 1] == '\'' || t[w - 1] == '-');)
                w -= n ? n : 1;
            if (w == p || cap_word_end(t, c->len, w) == w || (w > 0 && t[w - 1] != ' ') ||
                list_word_at(t, c->len, w, tr_lead) == p - w)
                break;
            words++;
            p = w > 0 ? w - 1 : 0;
            if (w == 0)
                break;
        }
        if (words == 0)
            return 0;
        s = t[p] == ' ' ? p + 1 : p;
        /* the neighbourhood before the street: "Caferağa Mah. Moda Cad." */
        if (kind == 4)
            s = tr_mahalle_before(t, s);
        size_t r = to;
        while (r < c->len && (t[r] == ' ' || t[r] == ','))
            r++;
        static const char *const no[] = {"No: ", "No:", "No. ", "No.", "No ", NULL};
        for (const char *const *h = no; *h != NULL; h++)
            if (r + strlen(*h) < c->len && memcmp(t + r, *h, strlen(*h)) == 0) {
                r += strlen(*h);
                break;
            }
        size_t d = digits_end(t, c->len, r);
        if (d == r || d - r > 5)
            return 0;
        /* the flat after a slash: "No: 15/3" */
        if (d + 1 < c->len && t[d] == '/' && pol__is_digit(U(t[d + 1])))
            d = digits_end(t, c->len, d + 1);
        if (pol__glue_after(t, c->len, d))
            return 0;
        e = kind == 4 ? tr_tail(t, c->len, d) : d;
        /* "gate" and "tee" are English words too ("Heathrow gate 12", "Augusta tee 3"): after them the rest of an
           address (flat, postcode, city) must follow */
        if (kind == 8 && address_tail(t, c->len, d) == d) {
            size_t tw = to - 1;
            while (tw > 0 && t[tw - 1] != ' ')
                tw--;
            if ((to - 1 - tw == 4 && memcmp(t + tw, "gate", 4) == 0) || (to - 1 - tw == 3 && memcmp(t + tw, "tee", 3) == 0))
                return 0;
        }
    } else if (kind == 1) {
        /* German "Hauptstraße 5": back-scan the street word to its capital */
        size_t p = to;
        while (p > 0 && !pol__is_space(U(t[p - 1])))
            p--;
        /* p is the number start; the street word ends before the space */
        size_t w = p > 0 ? p - 1 : 0;
        for (size_t n; w > 0 && ((n = letter_before(t, w)) != 0 || t[w - 1] == '.' || t[w - 1] == '-' || t[w - 1] == '_');)
            w -= n ? n : 1;
        if (!pol__is_upper(U(t[w])))
            return 0;
        s = w;
        while (e < c->len && pol__is_alpha(U(t[e])) && e - to < 1)
            e++;
        /* a number glued to more of a word is none ("Resolutie 1024x1024": a Dutch word ending like the Finnish "tie"
           before an image size; session 12, 16 of multilingual.jsonl's 80 Dutch PII-free prompts) */
        if (pol__glue_after(t, c->len, e))
            return 0;
        /* ... and so is the first of two sizes ("2048 x 1152", "3840×2160") */
        size_t x = e;
        if (x < c->len && t[x] == ' ')
            x++;
        if (x < c->len && (t[x] == 'x' || (x + 1 < c->len && U(t[x]) == 0xC3 && U(t[x + 1]) == 0x97))) {
            x += t[x] == 'x' ? 1 : 2;
            if (x < c->len && t[x] == ' ')
                x++;
            if (x < c->len && pol__is_digit(U(t[x])))
                return 0;
        }
    } else if (kind == 3) {
        /* "Via Roma 10", "Calle de Alcalá 12", "Rua Augusta, 1500": the type word (matched), name
         * words (capitalised, or particles between them), then the house number */
        /* back over the type word: letters of the alphabetic scripts, '.', '-' (Cyrillic "проспект" is 16 bytes, "пр-т");
           by whole code points, never over the Chinese before "地址在测试Via Roma 10" (which cut a character in two) */
        s = to - 1;
        for (size_t k; s > 0 && to - s < 20;) {
            if (t[s - 1] == '.' || t[s - 1] == '-')
                s--;
            else if ((k = letter_before(t, s)) != 0 && !pol__is_digit(U(t[s - 1])))
                s -= k;
            else
                break;
        }
        size_t q = to;
        int words = 0;
        for (int k = 0; k < 8 && q < c->len; k++) {
            if (house_label(t, c->len, q) != 0)
                break;
            size_t pl = list_word_at(t, c->len, q, place_particles);
            if (pl != 0 && q + pl + 1 < c->len && t[q + pl] == ' ') {
                q += pl + 1;
                continue;
            }
            size_t w = cap_word_end(t, c->len, q);
            if (w == q)
                break;
            words++;
            q = w;
            if (q + 1 < c->len && t[q] == ' ' && !pol__is_digit(U(t[q + 1])))
                q++;
            else
                break;
        }
        if (words == 0) {
            /* Russian and Ukrainian also write the type word after the name, an adjective ("Лиговский проспект, д. 30",
             * "Тверская улица, 7"; session 11): a capitalised Cyrillic word ending in -ий -ый -ой -ая -яя -ое -ка -на -ва before
             * the type word, then the house number */
            static const char *const adj[] = {"ий", "ый", "ой", "ая", "яя", "ое", "ка", "на", "ва", NULL};
            size_t ne = s, ns;
            uint32_t cp;
            if (ne < 8 || t[ne - 1] != ' ' || U(t[ne - 2]) < 0x80)
                return 0;
            ne--;
            for (ns = ne; ns > 0 && letter_before(t, ns) == 2;)
                ns -= 2;
            if (ne - ns < 8 || pol__cp_at(t, c->len, ns, &cp) != 2 || cp < 0x0400 || cp > 0x042F)
                return 0;
            int ok = 0;
            for (int k = 0; adj[k] != NULL && !ok; k++)
                ok = memcmp(t + ne - 4, adj[k], 4) == 0;
            if (!ok)
                return 0;
            s = ns;
            q = to - 1;
        }
        size_t r = q;
        if (r < c->len && t[r] == ',')
            r++;
        if (r < c->len && t[r] == ' ')
            r++;
        r += house_label(t, c->len, r);
        size_t d = digits_end(t, c->len, r);
        if (d == r || d - r > 5)
            return 0;
        if (d + 1 < c->len && pol__is_alpha(U(t[d])) && !pol__glue_after(t, c->len, d + 1))
            d++;
        if (pol__glue_after(t, c->len, d))
            return 0;
        e = d;
    } else {
        /* French "12 rue de la Paix": number start, then words up to the end of the line or a comma */
        s = to; /* back to the end of the house number (t[to] may be past the text: look at t[s - 1]) */
        while (s > 0 && t[s - 1] != '\n' && (to - s) < 20 && !pol__is_digit(U(t[s - 1])))
            s--;
        while (s > 0 && pol__is_digit(U(t[s - 1])))
            s--;
        size_t words = 0;
        while (e < c->len && words < 5) {
            size_t w = e;
            for (size_t n; w < c->len && ((n = letter_at(t, c->len, w)) != 0 || t[w] == '\'' || t[w] == '-' || t[w] == '_');)
                w += n ? n : 1;
            if (w == e)
                break;
            e = w, words++;
            if (e < c->len && t[e] == ' ' && letter_at(t, c->len, e + 1) != 0)
                e++;
            else
                break;
        }
    }
    if (pol__glue_before(t, s))
        return 0;
    /* the rest of the address: unit, postcode, city, region, country (one LOCATION span) */
    e = address_tail(t, c->len, e);
    s = address_head(t, s);
    s = ru_city_before(t, s);
    c->skip_until[POL__REC_STREET] = e;
    pol__cand_t *cd;
    if (pol__cands_push(c->cands, POL_PII_LOCATION, s, e, 0.7) != 0)
        return -1;
    cd = &c->cands->v[c->cands->n - 1];
    cd->ctx_done = 1;
    return 0;
}

int pol__rec_zip(pol__scanctx_t *c, size_t to, int kind)
{
    const char *t = c->text;
    if (kind == 1) {
        /* ", IL 62704": a US state code before a ZIP (USPS state abbreviations) */
        static const char states[] =
            " AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
            "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR ";
        size_t s = to - 8;
        char k[5] = {' ', t[s], t[s + 1], ' ', 0};
        if (strstr(states, k) == NULL)
            return 0;
        size_t e = to;
        if (e + 4 < c->len && t[e] == '-' && pol__is_digit(U(t[e + 1])) && pol__is_digit(U(t[e + 4])))
            e += 5;
        if (pol__glue_after(t, c->len, e))
            return 0;
        return pol__cands_push(c->cands, POL_PII_LOCATION, s, e, 0.6);
    }
    size_t s = to, e = to;
    while (e < c->len && (pol__is_digit(U(t[e])) || pol__is_upper(U(t[e])) || t[e] == '-' || t[e] == ' ') && e - s < 10)
        e++;
    while (e > s && (t[e - 1] == ' ' || t[e - 1] == '-'))
        e--;
    size_t nd = 0;
    for (size_t i = s; i < e; i++)
        nd += pol__is_digit(U(t[i]));
    if (nd < 3 || e - s < 4 || (pol__glue_after(t, c->len, e)))
        return 0;
    pol__cand_t *cd;
    if (pol__cands_push(c->cands, POL_PII_LOCATION, s, e, 0.75) != 0)
        return -1;
    cd = &c->cands->v[c->cands->n - 1];
    cd->ctx_done = 1;
    return 0;
}

/* ---- streets without a street word, found from their postcode ----
 * "Am Markt 3, 28195 Bremen", "An der Alster 12, 20099 Hamburg", "Unter den Linden 5, 10117 Berlin", "Jungfernstieg 7,
 * 20354 Hamburg", "Ερμού 25, 105 63 Αθήνα", "Storgatan 5, 111 22 Stockholm", "Marszałkowska 10, 00-590 Warszawa": many
 * street names carry no street word (German prepositional names, Greek genitives, Nordic compounds). The order "name
 * number, postcode city" is the address line of DE/AT/CH/NL/Nordic/PL/CZ/GR (UPU Postal Addressing Systems): the
 * postcode (5 digits not ending in 000, "NNN NN", "NN-NNN", 4 digits from 1000) starts a line or follows ", ", a
 * capitalised city follows it and ends the clause, a house number of 1-4 digits (a letter, "-N" or "/N" after it)
 * precedes it, and before the number 1-4 words of which the first and the last are capitalised and the others are
 * capitalised or particles ("den", "der", "am"). The word before the number is no counted noun ("Seite 3, 12345
 * Zeichen", "Kapitel", "Page", "Room"...). One LOCATION span with the rest of the address, 0.7. */
static const char *const pc_counted[] = {
    "Seite",      "Kapitel", "Tabelle", "Abbildung", "Abschnitt", "Teil",   "Band",    "Schritt", "Punkt",   "Nummer",  "Nr",
    "Tag",        "Jahr",    "Woche",   "Monat",     "Version",   "Page",   "Chapter", "Table",   "Figure",  "Step",    "Section",
    "Part",       "Level",   "Room",    "Zimmer",    "Raum",      "Gleis",  "Bus",     "Linie",   "Line",    "Gate",    "Terminal",
    "Flug",       "Flight",  "Artikel", "Article",   "Paragraph", "Absatz", "Folie",   "Slide",   "Episode", "Staffel", "Season",
    "Runde",      "Round",   "Spiel",   "Game",      "Klasse",    "Stufe",  "Phase",   "Lektion", "Lesson",  "Unit",    "Modul",
    "Module",     "Platz",   "Rang",    "Reihe",     "Row",       "Sitz",   "Seat",    "Folge",   "Vers",    "Verse",   "Psalm",
    "Hausnummer", "Item",    "Issue",   "Ticket",    "Case",      "Fall",   "Akte",    "Box",     "Fach",    "Lager",   "Halle",
    "Hall",       "Stand",   "Block",   "Ebene",     "Floor",     "Etage",  "Stock",   "Gruppe",  "Group",   "Team",    "Week",
    "Year",       "Day",     "Month",   "Quartal",   "Quarter",   "Q",      NULL};
static const char *const pc_particles[] = {"der", "den", "dem", "die", "des", "am",  "an",  "im",  "in",  "zum", "zur",
                                           "auf", "de",  "la",  "le",  "du",  "van", "von", "del", "di",  "da",  "dos",
                                           "do",  "och", "og",  "i",   "na",  "w",   "u",   "pod", "nad", NULL};

/* session 15: what follows a round number that is no city ("Preis 5, 10000 Euro."): the round postcodes of the
 * cities of Croatia, Serbia, Bosnia and Montenegro ("11000 Beograd", "10000 Zagreb", "71000 Sarajevo": HP, Pošta
 * Srbije, BH Pošta) made the rule take 5 digits ending in 000 again */
static const char *const pc_not_city[] = {"Euro",       "EUR",        "Dollar",   "USD",     "Franken", "Kronen", "Kuna",
                                          "Dinar",      "Dinara",     "Punkte",   "Points",  "Meter",   "Stück",  "Einwohner",
                                          "Mitglieder", "Teilnehmer", "Besucher", "Zeichen", "Wörter",  "Seiten", "Mal",
                                          "Jahre",      "Tage",       "Stunden",  NULL};
/* session 15: the type word written in lower case after the street's name, right before the number: nb "Olav
 * Tryggvasons gate 24", sl "Trubarjeva cesta 23", et "Tartu mnt 25" */
static const char *const pc_type_after[] = {"gate", "gata",        "vei", "veg", "vegen", "cesta", "ulica",
                                            "iela", "iel\xc4\x81", "mnt", "tee", "gatve", "utca",  NULL};

int pol__rec_street_postcode(pol__scanctx_t *c, size_t pc)
{
    const char *t = c->text;
    size_t len = c->len;
    if (!c->enabled[POL_PII_LOCATION] || pc < 6)
        return 0;
    size_t pe = postcode_end(t, len, pc), d = digits_end(t, len, pc);
    if (pe == pc || pe + 2 >= len || t[pe] != ' ')
        return 0;
    /* the shapes: 5 digits, NNN NN, NN-NNN, 4 digits (session 15: a round 5-digit postcode and a 4-digit one led by 0,
       "0157 Oslo", when a city follows that is no unit or currency) */
    if (d - pc == 4 && pe != d)
        return 0;
    size_t ce = city_end(t, len, pe + 1);
    if (ce == pe + 1)
        return 0;
    if ((d - pc == 5 && memcmp(t + d - 3, "000", 3) == 0) || (d - pc == 4 && t[pc] == '0')) {
        if (list_word_at(t, len, pe + 1, pc_not_city) != 0)
            return 0;
    }
    /* the city ends the clause */
    if (ce < len && !strchr(",.;:!?)\n\r", t[ce]) && !(ce + 1 < len && t[ce] == ' ' && (t[ce + 1] == '(' || t[ce + 1] == '-')))
        return 0;
    /* ", " or a line break before the postcode */
    size_t b = pc;
    int nl = 0;
    while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '\n' || t[b - 1] == '\r') && pc - b < 4)
        nl |= t[b - 1] == '\n', b--;
    if (b > 0 && t[b - 1] == ',')
        b--;
    else if (!nl || b == pc)
        return 0;
    /* session 15: a flat or floor between the number and the postcode: ", Ap. 5", ", 4. etasje", ", st. tv.", ", стан 9"
       (at most 3 words and 14 bytes, a digit or a '.' in it, every word short) */
    if (b > 4 && t[b - 1] != ' ') {
        size_t u = b, nd = 0, dots = 0, wl = 0, bad = 0;
        while (u > 0 && b - u < 16 && t[u - 1] != ',' && t[u - 1] != '\n') {
            size_t k = letter_before(t, u);
            unsigned char ch = U(t[u - 1]);
            if (k == 0)
                k = 1;
            if (ch == ' ')
                wl = 0;
            else if (pol__is_digit(ch))
                nd++;
            else if (ch == '.')
                dots++;
            else if (letter_before(t, u) == 0)
                bad = 1;
            else if (++wl > 7)
                bad = 1;
            u -= k;
        }
        if (!bad && u > 2 && t[u - 1] == ',' && t[u] == ' ' && b - u <= 15 && (nd > 0 || dots > 0) &&
            (nordic_floor(t, len, u + 1) == b || list_word_at(t, len, u + 1, unit_words) != 0))
            b = u - 1;
    }
    /* the house number: 1-4 digits, then a letter, "-N" or "/N" */
    size_t he = b, hs;
    if (he > 0 && pol__is_alpha(U(t[he - 1])) && he > 1 && pol__is_digit(U(t[he - 2])))
        he--;
    size_t x = he;
    while (x > 0 && pol__is_digit(U(t[x - 1])))
        x--;
    if (x > 1 && (t[x - 1] == '-' || t[x - 1] == '/') && pol__is_digit(U(t[x - 2]))) {
        x--;
        while (x > 0 && pol__is_digit(U(t[x - 1])))
            x--;
    }
    hs = x;
    if (hs == he || he - hs > 9 || digits_end(t, len, hs) - hs > 4 || hs < 3 || t[hs - 1] != ' ')
        return 0;
    /* the street name: 1-4 words before the number, the first and the last capitalised */
    size_t s = hs - 1, first = 0;
    int words = 0, last_cap = 0, have_first = 0;
    while (words < 4 && s > 0) {
        size_t ws = s;
        while (ws > 0 && letter_before(t, ws) != 0)
            ws -= letter_before(t, ws);
        if (ws == s || (ws > 0 && t[ws - 1] != ' ' && t[ws - 1] != '\n' && t[ws - 1] != ',' && t[ws - 1] != ':' &&
                        t[ws - 1] != '(' && t[ws - 1] != '\t'))
            break;
        size_t we = cap_word_end(t, len, ws);
        if (words == 0 && we != s && list_word_at(t, len, ws, pc_type_after) == s - ws) {
            /* the lower-case type word: the name before it must be capitalised */
            if (ws == 0 || t[ws - 1] != ' ')
                break;
            s = ws - 1;
            continue;
        }
        if (we == s) {
            if (words == 0) {
                if (list_word_at(t, len, ws, pc_counted) == s - ws)
                    return 0;
                last_cap = 1;
            }
            first = ws, have_first = 1, words++;
        } else if (words > 0 && list_word_at(t, len, ws, pc_particles) == s - ws) {
            words++;
        } else {
            break;
        }
        if (ws == 0 || t[ws - 1] != ' ')
            break;
        s = ws - 1;
    }
    if (!last_cap || !have_first)
        return 0;
    size_t e = address_tail(t, len, ce);
    if (pol__cands_push(c->cands, POL_PII_LOCATION, first, e, 0.7) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    return 0;
}
