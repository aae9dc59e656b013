/*
 * LOCATION in Hindi (Devanagari) and Bengali text: addresses written in the order of India Post (house or flat
 * number, street or sector, locality, city, state, 6-digit PIN code: India Post, "Address format"; the PIN's
 * first digit is 1-9) and of Bangladesh Post (house "বাড়ি", road "রোড"/"সড়ক", area, city, 4-digit postcode),
 * the parts separated by commas: "12, एमजी रोड, बेंगलुरु 560001", "मकान नंबर 45, सेक्टर 15, नोएडा, उत्तर प्रदेश
 * 201301", "বাড়ি ১২, রোড ৫, ধানমন্ডি, ঢাকা ১২০৫" (digits are ASCII here: unicode.c normalises them).
 * The anchor is the postcode after a place name; the parts before it join the span while each is a house
 * number, a street, sector or house word with its name or number, or a place name of 1-3 words. One LOCATION
 * when a house or street part is among them ("कीमत 560001", a price, or "ঢাকা ২০২৩" are none).
 */
#include "policy/pii/pii_internal.h"

#include <string.h>

#define U(p) ((unsigned char)(p))

/* a letter of Devanagari or Bengali (not their digits, not the danda) */
static int indic_letter(uint32_t cp)
{
    return (cp >= 0x0900 && cp <= 0x09FE && cp != 0x0964 && cp != 0x0965 && !(cp >= 0x0966 && cp <= 0x096F) &&
            !(cp >= 0x09E6 && cp <= 0x09EF));
}

/* a word at p (letters of the two scripts, or ASCII letters and '.'): @return its end or p */
static size_t iword(const char *t, size_t len, size_t p)
{
    size_t e = p;
    if (p < len && U(t[p]) < 0x80) {
        while (e < len && (pol__is_alpha(U(t[e])) || (e > p && t[e] == '.')))
            e++;
        return e;
    }
    return pol__script_word(t, len, p, indic_letter);
}

/* street, sector and road words (hi, bn; Latin as written in Indian addresses) */
static const char *const street_words[] = {
    "रोड", "मार्ग", "गली", "लेन", "सड़क", "सडक", "पथ", "चौक", "बाज़ार", "बाजार", "नगर", "कॉलोनी", "कालोनी", "विहार", "पुरम", "एन्क्लेव",
    "ब्लॉक", "सेक्टर", "फेज़", "फेज", "রোড", "সড়ক", "সরণি", "লেন", "গলি", "এভিনিউ", "ব্লক", "সেক্টর", "Road", "Marg", "Nagar", "Sector",
    "Lane", "Colony", "Block", "Street",
    /* session 16: Latin-script addresses of India (India Post; Bengaluru's "2nd Cross, 5th Main"), also in lower case */
    "Cross", "Main", "Layout", "Extension", "Enclave", "Vihar", "road", "marg", "nagar", "sector", "lane", "colony", "block",
    "street", "cross", "main", "layout", NULL};
/* house and flat words */
static const char *const house_words[] = {"मकान", "घर", "फ्लैट", "प्लॉट", "भवन", "हाउस", "नंबर", "नं.", "नं", "क्रमांक", "বাড়ি", "বাসা",
                                          "ফ্ল্যাট", "হাউস", "নম্বর", "নং", "হোল্ডিং", "প্লট", "House", "Flat", "No.", "Plot",
                                          /* session 16: "H.No. 1-8-702", "Flat No. 304", "Door No. 4", lower case */
                                          "H.No.", "H.No", "Door", "Apartment", "Apt", "house", "flat", "plot", "h.no.", "no.",
                                          NULL};
/* words that are no place name: verbs, postpositions, pronouns, "price", "total", "year", "phone", "my" */
static const char *const not_place[] = {"है",   "हैं",    "था",   "में",   "से",   "को",  "का",   "की",  "के",      "और",  "मेरा",
                                        "मेरी", "कुल",   "कीमत", "साल", "वर्ष", "फ़ोन", "फोन",  "नंबर", "पता",    "रुपये", "আমার",
                                        "এবং", "টাকা", "সাল",  "ফোন", "মোট", "দাম", "থেকে", "হয়",  "ঠিকানা", NULL};

/* the kind of the comma-separated part [s, e): 1 house, 2 street, 3 place, 4 a bare number, 0 none */
static int part_kind(const char *t, size_t s, size_t e)
{
    size_t p = s;
    int words = 0, digits = 0, house = 0, street = 0;
    while (p < e) {
        if (t[p] == ' ') {
            p++;
            continue;
        }
        size_t w;
        /* a unit code before the number: "B-42", "D-1102", "#14" (session 16) */
        size_t u = p;
        if (t[u] == '#' && u + 1 < e && pol__is_digit(U(t[u + 1])))
            u++;
        else if (pol__is_upper(U(t[u])) && u + 2 < e && t[u + 1] == '-' && pol__is_digit(U(t[u + 2])))
            u += 2;
        if (pol__is_digit(U(t[u]))) {
            w = u;
            while (w < e && (pol__is_digit(U(t[w])) || t[w] == '/' || t[w] == '-' || (w > u && pol__is_upper(U(t[w])))))
                w++;
            /* an ordinal ("2nd Cross", "5th Main") or a flat letter in lower case ("flat 7b") */
            if (w + 2 <= e && (w + 2 == e || t[w + 2] == ' ') &&
                (memcmp(t + w, "st", 2) == 0 || memcmp(t + w, "nd", 2) == 0 || memcmp(t + w, "rd", 2) == 0 ||
                 memcmp(t + w, "th", 2) == 0))
                w += 2;
            else if (w + 1 <= e && (w + 1 == e || t[w + 1] == ' ') && t[w] >= 'a' && t[w] <= 'z')
                w++;
            if (w - p > 10) /* "1-8-702", "12-2-417": Hyderabad's house numbers */
                return 0;
            digits++;
        } else {
            w = iword(t, e, p);
            if (w == p)
                return 0;
            if (pol__word_is(t, p, w, house_words))
                house = 1;
            else if (pol__word_is(t, p, w, street_words))
                street = 1;
            else if (pol__word_is(t, p, w, not_place))
                return 0;
            words++;
        }
        p = w;
    }
    if (words + digits == 0 || words > 4)
        return 0;
    if (street)
        return 2;
    if (house && digits)
        return 1;
    if (words == 0 && digits == 1)
        return 4; /* a bare house number "12": weak (a year, a count), needs two more parts */
    return digits == 0 && !house ? 3 : 0;
}

/* the postcode at p (len digits, not glued) after a place name of 1-3 words: @return the start of the part */
static int indic_address(pol__scanctx_t *c, size_t p, size_t d, int latin)
{
    const char *t = c->text;
    size_t len = c->len;
    /* the part holding the postcode: 1-3 words of a place before it */
    size_t s = p, words = 0;
    while (words < 3 && s >= 2 && t[s - 1] == ' ') {
        size_t b = s - 1, w = b;
        uint32_t cp;
        size_t n;
        while (w > 0 && (((n = pol__cp_before(t, w, &cp)) == 3 && indic_letter(cp)) || (n == 1 && pol__is_alpha(U(t[w - 1])))))
            w -= n;
        if (w == b || iword(t, len, w) != b || pol__word_is(t, w, b, not_place))
            break;
        s = w, words++;
    }
    if (words == 0)
        return 0;
    int house_or_street = 0, bare = 0, parts = 1, house = 0;
    size_t start = s;
    /* earlier parts: ", " separated */
    for (int k = 0; k < 6; k++) {
        size_t q = start;
        while (q > 0 && t[q - 1] == ' ')
            q--;
        if (q == 0 || t[q - 1] != ',')
            break;
        size_t pe = q - 1, ps = pe;
        while (ps > 0 && t[ps - 1] != ',' && t[ps - 1] != ':' && t[ps - 1] != '\n' && pe - ps < 80 &&
               !(ps >= 3 && memcmp(t + ps - 3, "।", 3) == 0))
            ps--;
        while (ps < pe && t[ps] == ' ')
            ps++;
        int kind = part_kind(t, ps, pe), trimmed = 0;
        if (kind == 0) {
            trimmed = 1;
            /* the part may start with words of the sentence: "मेरा पता 12" -> "12" */
            size_t r = ps;
            while (kind == 0 && r < pe) {
                while (r < pe && t[r] != ' ')
                    r++;
                while (r < pe && t[r] == ' ')
                    r++;
                if (r < pe && (kind = part_kind(t, r, pe)) != 0 && kind != 3 && (kind != 4 || house_or_street || parts >= 3))
                    ps = r;
                else
                    kind = 0;
            }
            if (kind == 0)
                break;
        }
        if (kind == 1 && !trimmed) {
            /* the part may start with words of the sentence: "Deliver to Flat No. 304" -> "Flat No. 304" (session 16) */
            size_t r = ps;
            for (;;) {
                size_t w = iword(t, pe, r);
                if (w == r || pol__word_is(t, r, w, house_words) || r >= pe)
                    break;
                while (w < pe && t[w] == ' ')
                    w++;
                r = w;
            }
            if (r < pe)
                ps = r;
        }
        house |= kind == 1;
        house_or_street |= kind == 1 || kind == 2;
        bare |= kind == 4;
        parts++;
        start = ps;
        if (trimmed || kind == 4)
            break;
    }
    if (!(house_or_street || (bare && parts >= 3)) || parts < 2)
        return 0;
    /* in Latin letters a place in lower case before the number ("sector 4, revenue 250000") is prose unless a house or
       flat part is among the parts ("flat 7b, ..., mumbai 400053") */
    if (latin && !pol__is_upper(U(t[s])) && !house)
        return 0;
    if (pol__cands_push(c->cands, POL_PII_LOCATION, start, d, 0.75) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    return 0;
}

int pol__indic_pin(pol__scanctx_t *c, size_t i)
{
    const char *t = c->text;
    size_t len = c->len, d = i;
    if (!c->enabled[POL_PII_LOCATION] || i < 2 || t[i - 1] != ' ' || !pol__is_alpha(U(t[i - 2])) || t[i] == '0')
        return 0;
    while (d < len && pol__is_digit(U(t[d])))
        d++;
    if (d - i != 6 || pol__glue_after(t, len, d) ||
        (d + 1 < len && (t[d] == '/' || t[d] == '-' || t[d] == '.' || t[d] == ',') && pol__is_digit(U(t[d + 1]))))
        return 0;
    return indic_address(c, i, d, 1);
}

int pol__indic_scan(pol__scanctx_t *c)
{
    const char *t = c->text;
    size_t len = c->len;
    if (!c->enabled[POL_PII_LOCATION])
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (!pol__is_digit(U(t[i])) || t[i - 1] != ' ')
            continue;
        size_t d = i;
        while (d < len && pol__is_digit(U(t[d])))
            d++;
        /* a PIN code (6 digits, 1-9 first) or a Bangladeshi postcode (4 digits) not glued to more digits or letters */
        if (((d - i == 6 && t[i] != '0') || (d - i == 4 && t[i] != '0')) && !pol__glue_after(t, len, d) &&
            !(d < len && (t[d] == '/' || t[d] == '-' || t[d] == '.' || t[d] == ',') && d + 1 < len && pol__is_digit(U(t[d + 1]))) &&
            indic_address(c, i, d, 0) != 0)
            return -1;
        i = d;
    }
    return 0;
}
