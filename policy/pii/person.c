/*
 * PERSON recognizer. No NER model is available offline, so names are found by rules over a
 * gazetteer (names_data.c: given names and surnames of 11 locales from @faker-js/faker, MIT,
 * plus common English words that double as names, which must not fire alone):
 *   - a trigger (vectorscan literal: honorific "Mr.", "my name is", "Name:", "Dear", "Regards,")
 *     followed by capitalized words; strong triggers take any capitalized word, weak ones
 *     ("Dear", "Hi", signatures) only a given name from the gazetteer;
 *   - without a trigger: a given name followed by a capitalized surname ("John Oliver",
 *     "Richard M. Nixon"), where a given name that is also a common word ("May", "Will", "Grace")
 *     needs a gazetteer surname after it, and the second word must not be a common word.
 * The design aims at precision: a single capitalized given name without a trigger is never a
 * PERSON ("Jordan", "Paris"). The untriggered rule runs from the prefilter's single pass
 * (prefilter.c), only at an ASCII capital after a non-letter, and hashes a word only when the next
 * word is capitalized too; the gazetteer lookup is one FNV-1a hash and a probe into a static
 * table (no allocation).
 */
#include "policy/pii/pii_internal.h"

#include <string.h>
#include <strings.h>

#define U(p) POL__U(p)

static int is_wordch(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* FNV-1a-32 of the word as the gazetteer stores it: ASCII lower case, Latin-1 capitals folded to
 * their small letters (C3 80-9E -> C3 A0-BE); with `strip`, Latin-1 letters with a diacritic become
 * their base letter ("Álvaro", "José" -> "alvaro", "jose"), one byte for the two of UTF-8. */
static uint32_t name_hash(const char *w, size_t len, int strip)
{
    /* base letters of U+00C0-00FF (0 = no base letter: kept as it is) */
    static const char base[65] = "aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0\0" /* U+00C0-00DF */
                                 "aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0y"; /* U+00E0-00FF */
    uint32_t h = 0x811c9dc5u;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (strip && c == 0xC3 && i + 1 < len && (unsigned char)w[i + 1] >= 0x80 && (unsigned char)w[i + 1] <= 0xBF &&
            base[(unsigned char)w[i + 1] - 0x80] != 0) {
            c = (unsigned char)base[(unsigned char)w[i + 1] - 0x80];
            i++;
        } else if (i > 0 && (unsigned char)w[i - 1] == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97) {
            /* Latin-1 capitals (U+00C0-00DE, C3 80-9E): the gazetteer holds lowercase forms */
            c = (unsigned char)(c + 0x20);
        }
        h ^= c;
        h *= 0x01000193u;
    }
    return h == 0 ? 1 : h;
}

static unsigned name_lookup(uint32_t h)
{
    size_t mask = pol__name_table_size - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (pol__name_hash[i] == 0)
            return 0;
        if (pol__name_hash[i] == h)
            return pol__name_flags[i];
    }
}

unsigned pol__name_flags_of(const char *w, size_t len)
{
    if (len < 2 || len > 40)
        return 0;
    unsigned f = name_lookup(name_hash(w, len, 0));
    /* the gazetteer spells many names without their accents ("alvaro"): a second look without them */
    if (f == 0 && memchr(w, 0xC3, len) != NULL)
        f = name_lookup(name_hash(w, len, 1));
    return f;
}

/* A letter that may continue a name word at t[p]: ASCII lowercase or a letter of the alphabetic
 * scripts ("é", "ß", "ø"); @return its length in bytes, 0 if none. Ideographs, punctuation such
 * as U+2019 and symbols end the word. */
static size_t name_letter(const char *t, size_t len, size_t p)
{
    unsigned char c = (unsigned char)t[p];
    uint32_t cp;
    if (c >= 'a' && c <= 'z')
        return 1;
    if (c < 0x80)
        return 0;
    size_t n = pol__cp_at(t, len, p, &cp);
    return n > 1 && pol__cp_alpha_letter(cp) ? n : 0;
}

/* A capital that may start a name word: [A-Z], a Latin-1 capital (U+00C0-00DE but U+00D7), a capital of Latin
 * Extended-A ("Łukasz", "Šimon", Vietnamese "Đặng"; UnicodeData.txt's case pairs: capitals at even code points in
 * U+0100-0137 and U+014A-0177, odd ones in U+0139-0148 and U+0179-017E), Vietnamese "Ơ" "Ư" (U+01A0, U+01AF) or a
 * capital of Latin Extended Additional (even code points of U+1E00-1EFF: "Ấ", "Ở"). @return its length in bytes */
static size_t cap_letter(const char *t, size_t len, size_t p)
{
    unsigned char c = (unsigned char)t[p];
    uint32_t cp;
    size_t n;
    if (c >= 'A' && c <= 'Z')
        return 1;
    if (c == 0xC3 && p + 1 < len && (unsigned char)t[p + 1] >= 0x80 && (unsigned char)t[p + 1] <= 0x9E &&
        (unsigned char)t[p + 1] != 0x97)
        return 2;
    if (c < 0xC4 || (c > 0xC6 && c != 0xE1))
        return 0;
    n = pol__cp_at(t, len, p, &cp);
    if ((cp >= 0x0100 && cp <= 0x0137) || (cp >= 0x014A && cp <= 0x0177) || (cp >= 0x1E00 && cp <= 0x1EFF))
        return (cp & 1) == 0 ? n : 0;
    if ((cp >= 0x0139 && cp <= 0x0148) || (cp >= 0x0179 && cp <= 0x017E))
        return (cp & 1) == 1 ? n : 0;
    return cp == 0x01A0 || cp == 0x01AF ? n : 0;
}

/* A capitalized word at p: a capital followed by >= 1 lowercase letters (apostrophe and hyphen
 * inside allowed: O'Brien, Jean-Luc, Weber-Schulz). Returns its length or 0. */
static size_t cap_word(const char *t, size_t len, size_t p)
{
    size_t k, e;
    if (p >= len || (k = cap_letter(t, len, p)) == 0)
        return 0;
    e = p + k;
    while (e < len) {
        unsigned char c = (unsigned char)t[e];
        if ((k = name_letter(t, len, e)) != 0)
            e += k;
        else if ((c == '\'' || c == '-') && e + 2 < len && (k = cap_letter(t, len, e + 1)) != 0 && name_letter(t, len, e + 1 + k))
            e += 1 + k;
        else if (c == '-' && e + 1 < len && (k = name_letter(t, len, e + 1)) != 0)
            e += 1 + k;
        else
            break;
    }
    if (e - p < 2 || pol__glue_after(t, len, e))
        return 0;
    return e - p;
}

/* ---- Vietnamese names ----
 * A Vietnamese full name is the family name, usually a middle name and the given name, each one
 * capitalised syllable ("Nguyễn Văn An", "Phạm Thị Thu Hà"). The family names are a closed list:
 * the 16 below are borne by about 90 % of the population (Lê Trung Hoa, Họ và tên người Việt Nam,
 * 2005; the figures Wikipedia's "Vietnamese name" cites), written with or without their diacritics.
 * After a trigger, a family name takes up to three more capitalised words whatever they are (given
 * names such as "An", "Mai" are common words elsewhere); without a trigger it takes them only when
 * the second word is a common middle name and two words follow the family name, and not right after
 * an address word ("đường Trần Hưng Đạo" is a street named after a person). */
static const char *const vn_family[] = {"Nguyễn", "Nguyen", "Trần", "Tran", "Lê",     "Le",     "Phạm",  "Pham", "Hoàng", "Hoang",
                                        "Huỳnh",  "Huynh",  "Phan", "Vũ",   "Vu",     "Võ",     "Vo",    "Đặng", "Dang",  "Bùi",
                                        "Bui",    "Đỗ",     "Hồ",   "Ngô",  "Ngo",    "Dương",  "Duong", "Lý",   "Ly",    "Đinh",
                                        "Dinh",   "Đào",    "Đoàn", "Doan", "Trương", "Truong", NULL};
/* the most frequent middle names (and given names that stand second in four-word names) */
static const char *const vn_middle[] = {
    "Văn",  "Van",  "Thị",   "Thi",  "Hữu",    "Huu",   "Đức",  "Duc",  "Minh",  "Thanh", "Ngọc",  "Ngoc", "Quốc", "Quoc", "Xuân",
    "Xuan", "Thu",  "Hoàng", "Kim",  "Công",   "Cong",  "Đình", "Dinh", "Trọng", "Trong", "Quang", "Bá",   "Duy",  "Tuấn", "Tuan",
    "Hồng", "Hong", "Anh",   "Gia",  "Phương", "Thúy",  "Mỹ",   "My",   "Bảo",   "Bao",   "Khánh", "Hải",  "Hai",  "Huy",  "Mạnh",
    "Tiến", "Việt", "Viet",  "Thế",  "The",    "Như",   "Diệu", "Bích", "Nhật",  "Trung", "Hoài",  "Thái", "Vĩnh", "Tấn",  "Tan",
    "Thùy", "Thuy", "Phúc",  "Khắc", "Đăng",   "Phước", "Trí",  "Cẩm",  "Tường", "Hà",    NULL};

static int in_words(const char *t, size_t n, const char *const *words)
{
    for (const char *const *w = words; *w != NULL; w++)
        if (strlen(*w) == n && memcmp(t, *w, n) == 0)
            return 1;
    return 0;
}

/* a capitalised Vietnamese syllable at p (a capital and 1-6 letters); @return its length or 0 */
static size_t vn_word(const char *t, size_t len, size_t p)
{
    size_t k, e, n = 0;
    if (p >= len || (k = cap_letter(t, len, p)) == 0)
        return 0;
    e = p + k;
    while (e < len && (k = name_letter(t, len, e)) != 0 && n < 7)
        e += k, n++;
    if (n == 0 || n > 6 || pol__glue_after(t, len, e) || (e < len && (t[e] == '-' || t[e] == '\'')))
        return 0;
    return e - p;
}

/* A Vietnamese name led by a family name at p: the end after up to `more` capitalised syllables, or p. With
 * `untriggered`, the second word must be a middle name and two words must follow the family name. */
static size_t vn_name_end(const char *t, size_t len, size_t p, int untriggered)
{
    size_t w = vn_word(t, len, p);
    if (w == 0 || !in_words(t + p, w, vn_family))
        return p;
    size_t e = p + w;
    int k = 0;
    while (k < 3 && e + 1 < len && t[e] == ' ') {
        size_t w2 = vn_word(t, len, e + 1);
        if (w2 == 0 || (untriggered && k == 0 && !in_words(t + e + 1, w2, vn_middle)))
            break;
        e += 1 + w2, k++;
    }
    if (k == 0 || (untriggered && k < 2))
        return p;
    return e;
}

/* 1 if the word before p (past one space) is a street or administrative word of a Vietnamese address */
static int vn_after_place_word(const char *t, size_t p)
{
    static const char *const place[] = {"đường", "Đường",  "phố",    "Phố",    "ngõ",   "Ngõ",  "hẻm",    "Hẻm",    "quận",
                                        "Quận",  "phường", "Phường", "huyện",  "Huyện", "xã",   "Xã",     "tỉnh",   "Tỉnh",
                                        "TP.",   "Tp.",    "Q.",     "P.",     "số",    "Số",   "trường", "Trường", "cầu",
                                        "Cầu",   "chợ",    "Chợ",    "Street", "St.",   "Road", "Ave",    NULL};
    if (p < 2 || t[p - 1] != ' ')
        return 0;
    size_t b = p - 1;
    while (b > 0 && t[b - 1] != ' ' && p - 1 - b < 12)
        b--;
    return in_words(t + b, p - 1 - b, place);
}

/* A nickname between the words of a name at p: `Jane "JJ" Doe`, `Jane (JJ) Doe`, `Jane “JJ” Doe`, `Jane 'JJ' Doe`,
 * `Jane ‘JJ’ Doe`, `Jane «JJ» Doe`, `Hans „Hansi“ Meier`: an opening quote or parenthesis, 1-3 words of letters or digits
 * (32 bytes at most, starting with a letter; '.', '-' and spaces inside), the matching closing mark and one space.
 * @return the position of the word after it (a capital must follow), or 0 */
static size_t nickname_end(const char *t, size_t len, size_t p)
{
    static const struct {
        const char *open, *close;
    } pairs[] = {{"\"", "\""},
                 {"(", ")"},
                 {"'", "'"},
                 {"\xe2\x80\x9c", "\xe2\x80\x9d"}, /* “ ” */
                 {"\xe2\x80\x9e", "\xe2\x80\x9c"}, /* „ “ (German) */
                 {"\xe2\x80\x9d", "\xe2\x80\x9d"}, /* ” ” (Swedish, Finnish) */
                 {"\xe2\x80\x98", "\xe2\x80\x99"}, /* ‘ ’ */
                 {"\xc2\xab", "\xc2\xbb"},         /* « » */
                 {"\xc2\xbb", "\xc2\xab"},         /* » « (German, Danish) */
                 {NULL, NULL}};
    for (int k = 0; pairs[k].open != NULL; k++) {
        size_t ol = strlen(pairs[k].open), cl = strlen(pairs[k].close);
        if (p + ol >= len || memcmp(t + p, pairs[k].open, ol) != 0)
            continue;
        size_t q = p + ol, e = q;
        /* French guillemets take a space inside them ("« JJ »") */
        if (pairs[k].open[0] == '\xc2' && e < len && t[e] == ' ')
            e++, q++;
        if (e >= len || (!pol__is_alpha(U(t[e])) && name_letter(t, len, e) == 0 && cap_letter(t, len, e) == 0))
            return 0;
        int words = 1;
        while (e < len && e - q <= 32) {
            size_t n;
            unsigned char c = U(t[e]);
            if (pol__is_alnum(c) || c == '.' || c == '-')
                e++;
            else if (c == ' ' && e + 1 + cl <= len && t[e + 1] != ' ' && memcmp(t + e + 1, pairs[k].close, cl) != 0 && ++words <= 3)
                e++;
            else if ((n = name_letter(t, len, e)) != 0 || (n = cap_letter(t, len, e)) != 0)
                e += n;
            else
                break;
        }
        if (e - q > 32 || words > 3)
            return 0;
        if (e < len && t[e] == ' ' && pairs[k].open[0] == '\xc2')
            e++;
        if (e + cl + 1 >= len || memcmp(t + e, pairs[k].close, cl) != 0 || t[e + cl] != ' ')
            return 0;
        /* a closing quote that also opens the next one is prose ("the 'JJ' 'KK'"); a capital must follow */
        return cap_letter(t, len, e + cl + 1) != 0 ? e + cl + 1 : 0;
    }
    return 0;
}

/* An initial "M." at p. */
static size_t initial(const char *t, size_t len, size_t p)
{
    if (p + 1 < len && t[p] >= 'A' && t[p] <= 'Z' && t[p + 1] == '.' && (p + 2 >= len || t[p + 2] == ' '))
        return 2;
    return 0;
}

/* Extends a name that ends at *end with more capitalized, non-common words (middle names,
 * initials, surname), at most `max` more words. */
static void extend_name(const char *t, size_t len, size_t *end, int max)
{
    for (int k = 0; k < max; k++) {
        size_t p = *end;
        if (p + 1 >= len || t[p] != ' ')
            return;
        p++;
        /* a nickname in quotes or parentheses: `Jane "JJ" Doe` (the word after it must be a name word) */
        size_t nq = nickname_end(t, len, p);
        if (nq != 0) {
            size_t wn = cap_word(t, len, nq);
            if (wn == 0 || (pol__name_flags_of(t + nq, wn) & (POL__NAME_COMMON | POL__NAME_SURNAME)) == POL__NAME_COMMON)
                return;
            *end = nq + wn;
            continue;
        }
        size_t w = initial(t, len, p);
        if (w != 0) {
            size_t q = p + w + 1;
            size_t w2 = cap_word(t, len, q);
            if (w2 == 0 || (pol__name_flags_of(t + q, w2) & (POL__NAME_COMMON | POL__NAME_SURNAME)) == POL__NAME_COMMON)
                return;
            *end = q + w2;
            continue;
        }
        /* multi-part surnames: "van den Berg", "de la Cruz", "von Weber", "dos Santos" */
        static const char *const particles[] = {"van",   "von", "de",  "der", "den",  "da",    "di",    "del",
                                                "della", "dos", "das", "du",  "le",   "la",    "ter",   "ten",
                                                "bin",   "al",  "el",  "zu",  "dela", "delos", "binti", NULL};
        size_t q = p;
        for (int np = 0; np < 2; np++) {
            size_t pl = 0;
            for (int j = 0; particles[j] != NULL; j++) {
                size_t l = strlen(particles[j]);
                if (q + l + 1 < len && memcmp(t + q, particles[j], l) == 0 && t[q + l] == ' ')
                    pl = l;
            }
            if (pl == 0)
                break;
            q += pl + 1;
        }
        if (q != p) {
            w = cap_word(t, len, q);
            if (w == 0)
                return;
            *end = q + w;
            continue;
        }
        w = cap_word(t, len, p);
        if (w == 0)
            return;
        unsigned f = pol__name_flags_of(t + p, w);
        if ((f & POL__NAME_COMMON) && !(f & POL__NAME_SURNAME))
            return;
        if ((f & POL__NAME_COMMON) && (f & POL__NAME_SURNAME) && k > 0)
            return;
        *end = p + w;
    }
}

/* An academic or professional title written before a name at p ("Mag. Katharina Berger", "Ing. Jan Novák", "MUDr. Petr
 * Dvořák", "Dipl.-Ing. Eva Huber"): @return the position of the name after it (past its dot and one space), or p */
static size_t skip_title(const char *t, size_t len, size_t p)
{
    static const char *const titles[] = {"Mag.",  "Ing.",  "Dipl.-Ing.", "Dipl.", "Mgr.",     "Bc.",   "MUDr.", "JUDr.", "PhDr.",
                                         "RNDr.", "MVDr.", "Doc.",       "doc.",  "Univ.",    "Prof.", "Dr.",   "Lic.",  "Licda.",
                                         "Ing.ª", "Arq.",  "Avv.",       "Dott.", "Dott.ssa", "Mag.a", NULL};
    for (const char *const *x = titles; *x != NULL; x++) {
        size_t l = strlen(*x);
        if (p + l + 1 < len && memcmp(t + p, *x, l) == 0 && t[p + l] == ' ')
            return p + l + 1;
    }
    return p;
}

/* A company's legal form after the words that end at e ("Ashanti Goldfields Ltd.", "Anwalt KG", "Acme Nordic AB"): the
 * capitalised words before it name a company, not a person */
static int company_form_after(const char *t, size_t len, size_t e)
{
    static const char *const forms[] = {"Ltd",   "Limited", "Inc",   "LLC",  "LLP",  "PLC",  "plc",  "Corp", "GmbH", "AG",
                                        "KG",    "OG",      "GbR",   "AB",   "ASA",  "A/S",  "ApS",  "Oy",   "Oyj",  "SpA",
                                        "Srl",   "S.p.A.",  "S.r.l", "BV",   "B.V.", "NV",   "N.V.", "Pty",  "SIA",  "UAB",
                                        "d.o.o", "s.r.o",   "S.A.",  "S.L.", "SAS",  "SARL", "EOOD", "Co.",  "& Co", NULL};
    if (e + 2 >= len || t[e] != ' ')
        return 0;
    size_t p = e + 1;
    for (const char *const *x = forms; *x != NULL; x++) {
        size_t l = strlen(*x);
        if (p + l <= len && memcmp(t + p, *x, l) == 0 && (p + l == len || !pol__is_alnum(U(t[p + l]))))
            return 1;
    }
    return 0;
}

/* session 15: a name written in capitals after a label (shipping labels, forms, boarding passes, legal captions: "SHIP
 * TO:\nPRIYA RAMAN", "BILL TO: MEHMET YILMAZ, 742 ...", "PASSENGER: NGUYEN THI HOA  SEAT 23A", "REMITTER: CHEN WEI
 * BENEFICIARY: ..."): 2-4 words of capitals (2 letters or more, '\'' and '-' inside: "O'REILLY", "HANS-PETER"), an
 * honorific before them skipped ("MR. ABDULLAH AL-FARSI"), ending the line, the text or the field (',', ';', '(', '|',
 * two spaces, the next label's word before ':'); none a common word of the gazetteer that is no name ("ALL STAFF").
 * @return the end of the name (its start in *s), or 0 */
static size_t caps_word(const char *t, size_t len, size_t p)
{
    size_t e = p, k, letters = 0;
    uint32_t cp;
    while (e < len) {
        unsigned char c = U(t[e]);
        if (c >= 'A' && c <= 'Z')
            k = 1;
        else if (c >= 0x80 && (k = pol__cp_at(t, len, e, &cp)) > 1 && cap_letter(t, len, e) == 0 &&
                 !(cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
            k = 0;
        else if (c < 0x80 && (c == '\'' || c == '-') && letters > 0 && e + 1 < len && U(t[e + 1]) >= 'A' && U(t[e + 1]) <= 'Z')
            k = 1, letters--;
        else if (c < 0x80)
            k = 0;
        if (k == 0)
            break;
        e += k, letters++;
    }
    return letters >= 2 && !pol__glue_after(t, len, e) ? e : p;
}

/* words of a department, a company or a role written in capitals after a label ("ATTN: HUMAN RESOURCES", "TO: ACCOUNTS
 * PAYABLE"), which the gazetteer does not hold as common words */
static int caps_not_name(const char *w, size_t n)
{
    static const char *const words[] = {
        "HUMAN",      "RESOURCES",   "ACCOUNTS",  "ACCOUNTING", "PAYABLE",     "RECEIVABLE",     "DEPARTMENT", "DEPT",
        "TEAM",       "OFFICE",      "MANAGER",   "DIRECTOR",   "SERVICE",     "SERVICES",       "CUSTOMER",   "SUPPORT",
        "SALES",      "BILLING",     "FINANCE",   "LEGAL",      "ADMIN",       "WAREHOUSE",      "RECEIVING",  "SHIPPING",
        "PURCHASING", "PROCUREMENT", "LOGISTICS", "COMPANY",    "CORPORATION", "CORP",           "INC",        "LTD",
        "LLC",        "GMBH",        "GROUP",     "HOLDINGS",   "BANK",        "HOSPITAL",       "SCHOOL",     "UNIVERSITY",
        "HOTEL",      "STORE",       "SHOP",      "CENTER",     "CENTRE",      "REPRESENTATIVE", "OWNER",      "OCCUPANT",
        "RESIDENT",   "HOLDER",      "ADULT",     "CHILD",      "INFANT",      "SAME",           "ABOVE",      "BELOW",
        "UNKNOWN",    "N/A",         "NONE",      "TBD",        "STAFF",       "PERSONNEL",      NULL};
    return in_words(w, n, words);
}

static size_t caps_name(const char *t, size_t len, size_t p, size_t *s)
{
    static const char *const hon[] = {"MR. ", "MRS. ", "MS. ", "DR. ", "MR ", "MRS ", "MS ", "DR ", NULL};
    for (const char *const *h = hon; *h != NULL; h++)
        if (p + strlen(*h) < len && memcmp(t + p, *h, strlen(*h)) == 0) {
            p += strlen(*h);
            break;
        }
    size_t e = p;
    int words = 0;
    for (size_t q = p, w; words < 4 && (w = caps_word(t, len, q)) != q;) {
        if (w < len && t[w] == ':')
            break; /* the next label */
        unsigned f = pol__name_flags_of(t + q, w - q);
        if (((f & POL__NAME_COMMON) && !(f & (POL__NAME_GIVEN | POL__NAME_SURNAME))) || caps_not_name(t + q, w - q))
            return 0;
        words++, e = w;
        if (w + 1 < len && t[w] == ' ' && t[w + 1] != ' ')
            q = w + 1;
        else
            break;
    }
    if (words < 2)
        return 0;
    size_t r = e;
    /* the end of the field: text end, line break, punctuation, two spaces, or a label's word before ':' */
    int end_ok = r >= len || strchr("\n\r,;(|", t[r]) != NULL || (r + 1 < len && t[r] == ' ' && t[r + 1] == ' ') ||
                 (r + 4 <= len && (memcmp(t + r, " v. ", 4) == 0 || memcmp(t + r, " vs ", 4) == 0)); /* "X v. Y" */
    if (!end_ok && t[r] == ' ') {
        size_t x = caps_word(t, len, r + 1);
        end_ok = x != r + 1 && x < len && t[x] == ':';
    }
    if (!end_ok)
        return 0;
    *s = p;
    return e;
}

int pol__person_after_trigger(const char *t, size_t len, size_t at, int strong, pol__cands_t *cands)
{
    size_t p = at;
    while (p < len && (t[p] == ' ' || t[p] == '\n' || t[p] == '\t' || t[p] == '\r') && p - at < 4)
        p++;
    if (strong)
        p = skip_title(t, len, p); /* session 14: "Klägerin: Mag. Katharina Berger" named "Mag" */
    size_t w = cap_word(t, len, p);
    unsigned f;
    size_t cs, ce;
    if (w == 0 && strong && (ce = caps_name(t, len, p, &cs)) != 0)
        return pol__cands_push(cands, POL_PII_PERSON, cs, ce, 0.85);
    if (w == 0 && strong && initial(t, len, p) != 0) {
        /* an initial or "M." before the name after a strong trigger ("t.n.v. J. Bakker", "au nom de M. Jean Moreau"; session
         * 11): the initial and a capitalised word that is no common word, then the rest of the name */
        size_t q = p + 3, w2 = cap_word(t, len, q);
        if (w2 == 0 || (pol__name_flags_of(t + q, w2) & (POL__NAME_COMMON | POL__NAME_SURNAME)) == POL__NAME_COMMON)
            return 0;
        size_t end = q + w2;
        extend_name(t, len, &end, 2);
        return pol__cands_push(cands, POL_PII_PERSON, p, end, 0.85);
    }
    if (w == 0 && strong && p + 5 < len && (unsigned char)t[p] >= 0xE3 && (unsigned char)t[p] <= 0xED) {
        /* a name in another script after an English or European trigger ("My name is 李明", "Name: 김민수",
         * "my name is ヤマダタロウ"): a surname of the CJK tables and its given name, or katakana (cjk.c) */
        size_t e = pol__cjk_name_at(t, len, p);
        uint32_t cp;
        /* a name glued to more ideographs is a sentence ("my name is 什么意思"), unless a particle follows */
        if (e != p && (e >= len || pol__cp_at(t, len, e, &cp) != 3 || !pol__cp_han(cp)))
            return pol__cands_push(cands, POL_PII_PERSON, p, e, 0.85);
        return 0;
    }
    if (w == 0) {
        /* "my name is dan": lowercase given name after a strong trigger */
        if (!strong || p >= len || t[p] < 'a' || t[p] > 'z')
            return 0;
        size_t e = p;
        for (size_t k; e < len && (k = name_letter(t, len, e)) != 0;)
            e += k;
        if (pol__glue_after(t, len, e))
            return 0;
        f = pol__name_flags_of(t + p, e - p);
        if (!(f & POL__NAME_GIVEN) || (f & POL__NAME_COMMON))
            return 0;
        /* "my name is jane doe": a second lowercase word that is no common or function word */
        if (e + 2 < len && t[e] == ' ' && t[e + 1] >= 'a' && t[e + 1] <= 'z') {
            static const char *const function_words[] = {
                "and",    "i",      "im",    "from", "the",   "a",    "an",   "my",  "here", "how", "what", "so", "btw",
                "please", "thanks", "thank", "hi",   "hello", "nice", "to",   "you", "is",   "am",  "was",  "in", "at",
                "with",   "for",    "of",    "on",   "hey",   "ok",   "okay", "but", "and",  "or",  "not",  "by", "but",
                "can",    "could",  "would", "will", "need",  "want", "have", "has", "had",  "do",  "did",  NULL};
            size_t q = e + 1, qe = q;
            /* an apostrophe inside the surname ("david o'brien", "priya d'souza"; session 16) */
            while (qe < len && ((t[qe] >= 'a' && t[qe] <= 'z') ||
                                (t[qe] == '\'' && qe > q && qe + 1 < len && t[qe + 1] >= 'a' && t[qe + 1] <= 'z')))
                qe++;
            unsigned f2 = pol__name_flags_of(t + q, qe - q);
            int fw = 0;
            for (int j = 0; function_words[j] != NULL && !fw; j++)
                fw = strlen(function_words[j]) == qe - q && memcmp(function_words[j], t + q, qe - q) == 0;
            if (qe - q >= 2 && !fw && !(f2 & POL__NAME_COMMON) && !pol__glue_after(t, len, qe) &&
                !(qe < len && (unsigned char)t[qe] >= 0x80))
                e = qe;
        }
        return pol__cands_push(cands, POL_PII_PERSON, p, e, 0.7);
    }
    static const char *const honorifics[] = {"Mr",   "Mrs", "Ms",   "Mx",  "Dr", "Prof", "Herr",
                                             "Frau", "Mme", "Mlle", "Sra", "Sr", NULL};
    for (int k = 0; honorifics[k] != NULL; k++)
        if (strlen(honorifics[k]) == w && memcmp(honorifics[k], t + p, w) == 0)
            return 0; /* "call me Mr. X": the honorific trigger takes it */
    /* "Ich heiße Sie willkommen", "je vous appelle": a pronoun is no name */
    static const char *const pronouns[] = {"Sie", "Ihnen", "Ihr", "Du",  "Dich", "Euch", "Vous", "Usted", "Ustedes",
                                           "Lei", "Voi",   "You", "Him", "Her",  "Them", "Me",   "Us",    "It",
                                           "Je",  "Ich",   "Yo",  "Io",  "Eu",   "Ik",   NULL};
    for (int k = 0; pronouns[k] != NULL; k++)
        if (strlen(pronouns[k]) == w && memcmp(pronouns[k], t + p, w) == 0)
            return 0;
    /* a Vietnamese family name: the whole name, whatever its given name ("Nguyễn Văn An": "An" is a word) */
    size_t ve = vn_name_end(t, len, p, 0);
    if (ve != p)
        return pol__cands_push(cands, POL_PII_PERSON, p, ve, strong ? 0.85 : 0.7);
    f = pol__name_flags_of(t + p, w);
    if (strong) {
        if ((f & POL__NAME_COMMON) && !(f & (POL__NAME_GIVEN | POL__NAME_SURNAME)))
            return 0;
    } else if (!(f & POL__NAME_GIVEN) || ((f & POL__NAME_COMMON) && !(f & POL__NAME_SURNAME))) {
        /* a given name the gazetteer lacks ("Hallo Jürgen Wagner"): the surname is the second signal */
        /* or a given name that is also a word ("Julia", "May"): the surname is the second signal */
        size_t q = p + w + 1, w2, e2 = p + w;
        if ((f != 0 && !(f & POL__NAME_GIVEN)) || q >= len || t[p + w] != ' ')
            return 0;
        extend_name(t, len, &e2, 1);
        if (e2 == p + w)
            return 0;
        if ((w2 = cap_word(t, len, q)) != 0) {
            unsigned f2 = pol__name_flags_of(t + q, w2);
            if (!(f2 & POL__NAME_SURNAME) || (f2 & POL__NAME_COMMON))
                return 0;
        } /* else a particle-led surname ("de Jong", "van Dijk") */
    }
    size_t end = p + w;
    extend_name(t, len, &end, 2);
    /* family name first in a form: "Name: Smith, John" */
    if (strong && end + 2 < len && t[end] == ',' && t[end + 1] == ' ') {
        size_t w3 = cap_word(t, len, end + 2);
        if (w3 != 0 && (pol__name_flags_of(t + end + 2, w3) & (POL__NAME_GIVEN | POL__NAME_COMMON)) == POL__NAME_GIVEN)
            end += 2 + w3;
    }
    if (company_form_after(t, len, end))
        return 0; /* session 14: "Respondent: Ashanti Goldfields Ltd.", "Dr. Anwalt KG" */
    return pol__cands_push(cands, POL_PII_PERSON, p, end, strong ? 0.85 : 0.7);
}

int pol__person_at(const char *t, size_t len, size_t i, pol__cands_t *cands, size_t *next)
{
    /* the caller guarantees t[i] is an ASCII capital and i + 3 < len */
    *next = i + 1;
    uint32_t prev = 0;
    if (i > 0 && (unsigned char)t[i - 1] >= 0x80)
        pol__cp_before(t, i, &prev);
    /* inside a word (ASCII or a letter of the alphabetic scripts); ideographs and punctuation of
     * any script are boundaries */
    if (i > 0 &&
        (is_wordch((unsigned char)t[i - 1]) || pol__cp_alpha_letter(prev) || t[i - 1] == '.' || t[i - 1] == '@' || t[i - 1] == '/'))
        return 0;
    size_t w = cap_word(t, len, i);
    if (w == 0) {
        *next = i + 2;
        return 0;
    }
    *next = i + w + 1;
    size_t p2 = i + w + 1;
    if (p2 < len && t[i + w] == ' ' && ((unsigned char)t[p2] >= 0x80 || (t[p2] >= 'A' && t[p2] <= 'Z'))) {
        size_t ve = vn_name_end(t, len, i, 1);
        if (ve != i && !vn_after_place_word(t, i)) {
            *next = ve + 1;
            return pol__cands_push(cands, POL_PII_PERSON, i, ve, 0.6);
        }
    }
    /* a nickname between the given name and the surname: `Jane "JJ" Doe`, `Jane (JJ) Doe` */
    if (p2 + 3 < len && t[i + w] == ' ' &&
        (t[p2] == '"' || t[p2] == '(' || t[p2] == '\'' || U(t[p2]) == 0xE2 || U(t[p2]) == 0xC2)) {
        size_t nq = nickname_end(t, len, p2);
        if (nq != 0)
            p2 = nq;
    }
    /* the second word must start with a capital (a name or an initial): test that before hashing
     * the first word, most capitalized words in prose are followed by a lowercase word */
    if (p2 >= len || t[i + w] != ' ' || t[p2] < 'A' || t[p2] > 'Z')
        return 0;
    unsigned f1 = pol__name_flags_of(t + i, w);
    if (!(f1 & POL__NAME_GIVEN))
        return 0;
    size_t w2 = initial(t, len, p2);
    size_t end;
    if (w2 != 0) {
        /* "Richard M. Nixon" */
        size_t p3 = p2 + w2 + 1;
        size_t w3 = cap_word(t, len, p3);
        if (w3 == 0 || (pol__name_flags_of(t + p3, w3) & POL__NAME_COMMON) || (f1 & POL__NAME_COMMON))
            return 0;
        end = p3 + w3;
    } else {
        w2 = cap_word(t, len, p2);
        if (w2 == 0)
            return 0;
        unsigned f2 = pol__name_flags_of(t + p2, w2);
        int ok;
        if (f1 & POL__NAME_COMMON)
            ok = (f2 & POL__NAME_SURNAME) && !(f2 & POL__NAME_COMMON);
        else
            ok = (f2 & POL__NAME_SURNAME) || !(f2 & POL__NAME_COMMON);
        if (!ok)
            return 0;
        end = p2 + w2;
        extend_name(t, len, &end, 1);
    }
    *next = end + 1;
    return pol__cands_push(cands, POL_PII_PERSON, i, end, 0.6);
}

int pol__person_signature(const char *t, size_t len, size_t at, pol__cands_t *cands)
{
    size_t before = cands->n;
    if (pol__person_after_trigger(t, len, at, 0, cands) != 0)
        return -1;
    if (cands->n > before)
        return 0;
    /* a sign-off followed by a line of two or three capitalised words ("Atenciosamente,\nMateus
     * Alves\n"): the layout is the second signal when the gazetteer does not know the given name */
    size_t p = at;
    while (p < len && (t[p] == ' ' || t[p] == '\n' || t[p] == '\r') && p - at < 4)
        p++;
    size_t e = p, w;
    int words = 0;
    while (words < 3 && (w = cap_word(t, len, e)) != 0) {
        if (pol__name_flags_of(t + e, w) & POL__NAME_COMMON)
            return 0;
        e += w, words++;
        if (e + 1 < len && t[e] == ' ')
            e++;
        else
            break;
    }
    if (e > p && t[e - 1] == ' ')
        e--;
    if (words < 2 || (e < len && t[e] != '\n' && t[e] != '\r' && t[e] != ','))
        return 0;
    return pol__cands_push(cands, POL_PII_PERSON, p, e, 0.7);
}

/* ---- introductions without a verb of naming ----
 * "c'est Ghislain Tremblay", "ich bin Jörg Kleinschmidt", "soy Xiomara Quispe", "sono Ginevra Pellegrini", "sou Thiago
 * Nascimento", "ik ben Sanne Verhoeven", "jestem Zbigniew Wróblewski", "ben Mehmet Öztürk": the phrase says "I am" / "it
 * is", so what follows is a name only when everything else says so too. The gates (each one answers a look-alike):
 *   - the phrase starts a clause: text start, punctuation or a line break before it, or a greeting or the pronoun
 *     ("Bonjour c'est", "moi c'est", "yo soy", "eu sou"); "le problème c'est Microsoft Teams" is none;
 *   - two or three capitalised words (a nickname between them allowed), none of them a determiner, a place or
 *     country prefix, a job title, a month or weekday, an English common word of the gazetteer: "c'est Paris",
 *     "Ich bin Arzt", "sono Stati Uniti", "soy Project Manager", "ich bin Montag Morgen da" are none;
 *   - Title Case does not go on after them, no digit follows, and the clause ends there: end of text, punctuation, a
 *     line break, or a conjunction or preposition of affiliation ("y", "und", "e", "en", "i", "ve", "de", "von");
 *   - German capitalises nouns: after "ich bin" a word the gazetteer does not know must not end like a German noun or
 *     adjective of person ("-er", "-in", "-ung", "-isch", "-ist", "-ent", "-eur", "-ling"...: "Ich bin Deutscher
 *     Staatsbürger", "ich bin Diplom Ingenieur").
 * Score 0.85 when the gazetteer knows the given name or the surname, else 0.7. */
/* the phrases of the intro pattern (recognizers.c); `de`: German, whose nouns are capitalised. The telephone and
 * voice-message openings say the same ("hier ist", "hier spricht", nl "met", pt "aqui é", "aqui fala") */
static const struct {
    const char *w;
    int de; /* 1 German; 2 nl "met", also "with": the gazetteer must know one of the words; 3 "I, Name," (a comma ends
               the name) */
} intro_phrases[] = {{"c'est", 0},
                     {"c\xe2\x80\x99"
                      "est",
                      0},
                     {"je suis", 0},
                     {"ich bin", 1},
                     {"hier ist", 1},
                     {"hier spricht", 1},
                     {"soy", 0},
                     {"sono", 0},
                     {"sou", 0},
                     {"aqui \xc3\xa9", 0},
                     {"aqui fala", 0},
                     {"ik ben", 0},
                     {"met", 2},
                     {"jestem", 0},
                     {"jsem", 0},
                     {"jag \xc3\xa4r", 0},
                     {"jeg er", 0},
                     {"olen", 0},
                     {"sunt", 0},
                     {"s\xc3\xb3\x63", 0},
                     {"ja sam", 0},
                     {"jaz sem", 0},
                     {"ben", 0},
                     /* session 14: sq, lt, lv, is ("I am"; lt leaves the verb out: "aš Rūta Petrauskienė,") */
                     {"jam", 0},
                     {"a\xc5\xa1", 0},
                     {"esmu", 0},
                     {"\xc3\xa9g er", 0},
                     /* session 14: the first person of a petition or a statement, "I, Name Surname, ..." (de 3: a comma must
                        end the name) */
                     {"ja,", 3},
                     {"jaz,", 3},
                     {"a\xc5\xa1,", 3},
                     {"un\xc3\xab,", 3},
                     {NULL, 0}};

static int word_in(const char *t, size_t n, const char *const *list, int fold)
{
    for (const char *const *w = list; *w != NULL; w++)
        if (strlen(*w) == n && (fold ? strncasecmp(t, *w, n) == 0 : memcmp(t, *w, n) == 0))
            return 1;
    return 0;
}

/* words that stand capitalised after "I am" / "it is" and are no name (compared as written) */
static const char *const intro_stop[] = {
    /* determiners and pronouns */
    "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihres", "Sie", "Dein", "Deine", "Mein", "Meine", "Unser", "Unsere", "Der", "Die",
    "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einer", "Kein", "Keine", "Le", "La", "Les", "Un", "Une", "Votre", "Vos", "Mon",
    "Ma", "Mes", "Ton", "Ta", "Son", "Sa", "El", "Los", "Las", "Uno", "Una", "Mi", "Tu", "Su", "Il", "Lo", "Gli", "Mio", "Mia",
    "Tuo", "Suo", "O", "Os", "As", "Um", "Uma", "Meu", "Minha", "De", "Het", "Een", "Mijn", "Uw", "Onze", "The", "A", "An", "My",
    "Your", "Our", "This", "That", "Very", "Not", "Just", "So", "Too", "Also", "Here", "There", "Still", "Really", "Always",
    /* place and country prefixes */
    "New", "San", "Santa", "Santo", "S\xc3\xa3o", "Saint", "Sainte", "St", "Notre", "Nueva", "Nuevo", "Nouvelle", "Nouveau",
    "Nuova", "Nuovo", "Nova", "Novo", "Buenos", "Rio", "R\xc3\xado", "Monte", "Mont", "Costa", "Puerto", "Porto", "Hong", "Sri",
    "Tel", "Bad", "Sankt", "Stati", "Estados", "Regno", "Reino", "Paesi", "Pa\xc3\xadses", "Pays", "Vereinigte", "Arabia", "Corea",
    "United", "Great", "Gran", "Grand", "Grande", "Nord", "Sud", "S\xc3\xbc\x64", "Ost", "West", "North", "South", "East", "Ouest",
    "Norte", "Sur", "Baixo", "Alto", "Kuala", "Abu", "Las", "Los", "Le", "Cape", "Lake", "Mount", "Fort", "Port",
    /* roles, titles and memberships written in Title Case */
    "Senior", "Junior", "Lead", "Head", "Chief", "Product", "Project", "Data", "Software", "Team", "Account", "Sales", "Customer",
    "Business", "Full", "Front", "Back", "Scrum", "Community", "General", "Managing", "Executive", "Technical", "Key", "Chef",
    "Manager", "Engineer", "Developer", "Designer", "Owner", "Analyst", "Scientist", "Consultant", "Director", "Officer",
    "Architect", "Specialist", "Coordinator", "Assistant", "Student", "Fan", "Member", "Mitglied", "Kunde", "Kundin", "Client",
    "Cliente", "Klant", "Doktor", "Doctor", "Docteur", "Dottore", "Dottoressa", "Professor", "Professeur", "Professore", "Dr",
    "Prof", "Herr", "Frau", "Monsieur", "Madame", "Mademoiselle", "Señor", "Señora", "Signor", "Signora", "Senhor", "Senhora",
    "Meneer", "Mevrouw", "Pan", "Pani", "Bay", "Bayan", "Web", "Cloud", "Open", "Source", "Machine", "Learning", "Big", "Social",
    "Media", "Digital", "Marketing", "Office", "Support", "Service", "Services", "Admin",
    /* companies and products that stand after "c'est" */
    "Google", "Microsoft", "Apple", "Amazon", "Meta", "Windows", "Android", "Visual", "Air", "Deutsche", "Real", "Inter",
    "Sporting", "Atl\xc3\xa9tico", "Mac", "Linux", "Excel", "Word", "Teams", "Zoom", "Chat", "Open",
    /* months, weekdays, times of day (German capitalises them) */
    "Januar", "Februar", "M\xc3\xa4rz", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember",
    "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag", "Morgen", "Abend", "Mittag", "Nachmittag",
    "Vormittag", "Nacht", "Heute", "Gestern", "Ende", "Anfang", "Mitte", "Januari", "Februari", "Maart", "Mei", "Juni", "Juli",
    "Augustus", "No\xc3\xabl", "P\xc3\xa2ques", "Navidad", "Natale", "Natal", "Kerst", "Weihnachten", "Ostern",
    /* sign-offs after "met" (nl: with) */
    "Vriendelijke", "Hartelijke", "Groet", "Groeten", "Dank", "Freundlichen", "Besten", "Herzlichen", "Liebe", "Viele", NULL};

/* German endings of nouns and adjectives of persons ("Lehrer", "Kundin", "Deutscher", "Student", "Ingenieur", "Informatiker") */
static int de_noun_ending(const char *t, size_t n)
{
    static const char *const endings[] = {"er",         "in",  "ung",   "heit", "keit", "schaft", "isch",
                                          "ische",      "ist", "ismus", "ent",  "ant",  "eur",    "ling",
                                          "t\xc3\xa4t", "ion", "ik",    "or",   "ium",  "e",      NULL};
    for (const char *const *x = endings; *x != NULL; x++) {
        size_t l = strlen(*x);
        if (n > l + 1 && memcmp(t + n - l, *x, l) == 0)
            return 1;
    }
    return 0;
}

/* the word before position p (past spaces), lower-cased ASCII compare against `list` */
static int prev_word_in(const char *t, size_t p, const char *const *list)
{
    size_t e = p;
    while (e > 0 && t[e - 1] == ' ')
        e--;
    size_t b = e;
    while (b > 0 && (pol__is_alpha(U(t[b - 1])) || U(t[b - 1]) >= 0x80 || t[b - 1] == '\''))
        b--;
    return e > b && word_in(t + b, e - b, list, 1);
}

int pol__person_intro(const char *t, size_t len, size_t at, pol__cands_t *cands)
{
    static const char *const greetings[] = {
        "bonjour", "bonsoir", "salut", "coucou", "all\xc3\xb4", "allo", "hallo", "hello", "hi", "hey", "moin", "servus", "hola",
        "buenas", "ciao", "salve", "buongiorno", "buonasera", "pronto", "ol\xc3\xa1", "ola", "oi", "hoi", "dag", "goedemorgen",
        "goedemiddag", "cze\xc5\x9b\xc4\x87", "dobry", "merhaba", "selam", "hej", "hei", "moi", "yo", "io", "eu", "ja", "ik", "ich",
        "je", "tak", "ok", "okay", "oui", "ja", "s\xc3\xad", "si", "sim", "nee", "nein", "non", "no", "bueno", "allora", "also",
        "alors", "dzie\xc5\x84",
        /* session 14: the pronoun "I" of et, fi, sq, lv, lt, is, sl before "olen",
           "jam", "esmu" ... */
        "mina", "ma", "min\xc3\xa4", "m\xc3\xa4", "un\xc3\xab", "une", "es", "a\xc5\xa1", "\xc3\xa9g", "jaz", NULL};
    static const char *const follow[] = {"et",       "und",       "y",    "e",    "en",          "i",   "a",   "ve",  "og",  "och",
                                         "ja",       "\xc8\x99i", "de",   "du",   "von",         "vom", "aus", "bei", "da",  "di",
                                         "del",      "dal",       "do",   "dos",  "das",         "van", "uit", "z",   "ze",  "from",
                                         "\xc3\xa0", "ici",       "hier", "aqui", "aqu\xc3\xad", "qui", "und", "und", "mit", "con",
                                         "com",      "met",       "avec", "z",    "at",          "and", NULL};
    if (at < 2 || !pol__is_space(U(t[at - 1])))
        return 0;
    /* which phrase ends at `at` (its last letter at at - 2) */
    size_t ps = 0, pe = at - 1;
    int de = 0, found = 0;
    for (size_t k = 0; intro_phrases[k].w != NULL && !found; k++) {
        size_t l = strlen(intro_phrases[k].w);
        if (pe >= l && strncasecmp(t + pe - l, intro_phrases[k].w, l) == 0 && (pe == l || !pol__is_alpha(U(t[pe - l - 1]))))
            ps = pe - l, found = 1, de = intro_phrases[k].de;
    }
    if (!found)
        return 0;
    /* the phrase starts a clause */
    size_t b = ps;
    while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t'))
        b--;
    if (b > 0 && !strchr(",.!?;:\n\r(-\"", t[b - 1]) && U(t[b - 1]) < 0x80 && !prev_word_in(t, b, greetings))
        return 0;
    if (b > 0 && U(t[b - 1]) >= 0x80) {
        uint32_t cp;
        pol__cp_before(t, b, &cp);
        /* ¡ ¿ « » — – and the ideographic/full-width stops; a letter before it means a word */
        if (!(cp == 0xA1 || cp == 0xBF || cp == 0xAB || cp == 0xBB || cp == 0x2014 || cp == 0x2013 || cp == 0x2026 ||
              cp == 0x201C || cp == 0x201D) &&
            !prev_word_in(t, b, greetings))
            return 0;
    }
    size_t p = at;
    while (p < len && t[p] == ' ' && p - at < 3)
        p++;
    size_t w1 = cap_word(t, len, p);
    if (w1 == 0 || word_in(t + p, w1, intro_stop, 0))
        return 0;
    unsigned f1 = pol__name_flags_of(t + p, w1);
    if ((f1 & POL__NAME_COMMON) && !(f1 & POL__NAME_SURNAME)) {
        /* a given name that is also a word ("Julia", "Will"): a gazetteer surname or a particle-led one must follow */
        size_t q = p + w1 + 1, w2;
        if (!(f1 & POL__NAME_GIVEN) || q >= len || t[q - 1] != ' ')
            return 0;
        if ((w2 = cap_word(t, len, q)) != 0
                ? (pol__name_flags_of(t + q, w2) & (POL__NAME_SURNAME | POL__NAME_COMMON)) != POL__NAME_SURNAME
                : !(t[q] >= 'a' && t[q] <= 'z'))
            return 0;
    }
    size_t end = p + w1;
    extend_name(t, len, &end, 2);
    if (end == p + w1)
        return 0;
    /* every word after the first: no stop word; the last one's flags */
    int known = (f1 & POL__NAME_GIVEN) && !(f1 & POL__NAME_COMMON);
    int nwords = 1;
    for (size_t q = p + w1; q < end;) {
        while (q < end && !(cap_letter(t, len, q) != 0 && (q == 0 || t[q - 1] == ' ')))
            q++;
        if (q >= end)
            break;
        size_t w = cap_word(t, len, q);
        if (w == 0) {
            q++;
            continue;
        }
        unsigned f = pol__name_flags_of(t + q, w);
        if (word_in(t + q, w, intro_stop, 0) || (f & POL__NAME_COMMON))
            return 0;
        known |= (f & POL__NAME_SURNAME) != 0;
        if (de == 1 && !(f & (POL__NAME_GIVEN | POL__NAME_SURNAME)) && de_noun_ending(t + q, w))
            return 0;
        nwords++;
        q += w;
    }
    if (nwords < 2 || (de == 2 && !known && !(f1 & POL__NAME_SURNAME)) || (de == 3 && (end >= len || t[end] != ',')))
        return 0;
    if (de == 2 || de == 3)
        de = 0;
    if (de == 1 && !(f1 & (POL__NAME_GIVEN | POL__NAME_SURNAME)) && de_noun_ending(t + p, w1))
        return 0;
    /* the clause ends after the name */
    if (end < len) {
        unsigned char c = U(t[end]);
        if (c == ' ') {
            size_t q = end + 1, qe;
            if (q < len && (pol__is_upper(U(t[q])) || pol__is_digit(U(t[q])) || cap_letter(t, len, q) != 0))
                return 0; /* Title Case goes on, or a number follows */
            if (q < len && (t[q] == '(' || t[q] == '-' || U(t[q]) == 0xE2))
                goto ok;
            qe = q;
            while (qe < len && (pol__is_alpha(U(t[qe])) || (U(t[qe]) >= 0x80 && name_letter(t, len, qe) != 0))) {
                size_t n = U(t[qe]) >= 0x80 ? name_letter(t, len, qe) : 1;
                qe += n;
            }
            if (qe == q || !word_in(t + q, qe - q, follow, 0) || (qe < len && !pol__is_space(U(t[qe])) && t[qe] != '\''))
                return 0;
        } else if (!strchr(",.;:!?)\n\r\t", (int)c) || c == 0) {
            return 0;
        }
    }
ok:
    return pol__cands_push(cands, POL_PII_PERSON, p, end, known ? 0.85 : 0.7);
}

/* ---- speakers of a chat or meeting transcript (session 15) ----
 * A transcript names its speakers at the head of each line: "Maria: can you send ...", "[10:02] Tomasz: ...", WhatsApp's
 * export "12/03/24, 09:15 - Fatima Zahra: ...", IRC's "<Priya> ...", "Dorota (11:42): ...", French "Samuel : ...". A line
 * head is an optional timestamp, an optional '<', 1-3 capitalised words, then ':' (or " :", " (hh:mm):", '>') and a space
 * or the line's end. Taken as names: every speaker of a line with a timestamp or angle brackets (0.85), and, in a text of
 * two or more such lines of which one names a gazetteer given name, every speaker whose first word is a given name of
 * the gazetteer or a word it does not know (0.75; "Grace", "Will" included: a speaker label is no common word; "Action:",
 * "Result:" are common words). Not names: the roles and fields of
 * records, logs and prompts (User, Bot, System, Assistant, Note, Status, Q ...): after a role word ("Agent Lucía:") the
 * rest is the name. */
static const char *const speaker_stop[] = {
    "User", "Users", "Bot", "System", "Assistant", "Ai", "AI", "Human", "Model", "Note", "Notes", "Status", "Priority", "Subject",
    "Summary", "Title", "Name", "Date", "Time", "From", "To", "Cc", "Bcc", "Re", "Fwd", "Info", "Warn", "Warning", "Error", "Debug",
    "Trace", "Fatal", "Tip", "Hint", "Example", "Answer", "Question", "Input", "Output", "Step", "Total", "Price", "Address",
    "Email", "Phone", "Tel", "Mobile", "Fax", "Web", "Url", "Component", "Version", "Type", "Category", "Tags", "Labels", "Result",
    "Results", "Reason", "Description", "Comment", "Comments", "Update", "Edit", "Source", "Author", "Owner", "Assignee",
    "Reporter", "Resolution", "Environment", "Steps", "Expected", "Actual", "Location", "Host", "Server", "Client", "Request",
    "Response", "Customer", "Agent", "Support", "Operator", "Admin", "Moderator", "Guest", "Speaker", "Interviewer", "Interviewee",
    "Caller", "Narrator", "Chorus", "Teacher", "Student", "Doctor", "Patient", "Nurse", "Me", "You", "Everyone", "All", "Team",
    "Sales", "Billing", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Today", "Tomorrow",
    "Yesterday", "Morning", "Evening", "Important", "Build", "Deploy", "Test", "Tests", "Job", "Stage", "Pipeline", "Run", "Check",
    "Lint", "Release", "Draft", "Final", "Context", "Task", "Goal", "Rules", "Instructions", "Prompt", "Translation",
    /* the fields of a mail header in the languages of the probes (a header block is no transcript): sv, da/no, de, fr, es,
       pt, it, nl, pl, cs, tr, fi, hu, ro */
    "Sent", "Fr\xc3\xa5n", "Till", "\xc3\x84mne", "Kopia", "Fra", "Til", "Emne", "Sendt", "Von", "An", "Betreff", "Gesendet",
    "Objet", "Envoy\xc3\xa9", "Para", "Asunto", "Assunto", "Enviado", "Oggetto", "Inviato", "Van", "Aan", "Onderwerp", "Verzonden",
    "Od", "Do", "Temat",
    "Wys\xc5\x82"
    "ano",
    "Komu",
    "P\xc5\x99\xc3\xad"
    "dm\xc4\x9b"
    "t",
    "Kimden", "Kime", "Konu", "L\xc3\xa4hett\xc3\xa4j\xc3\xa4", "Vastaanottaja", "Aihe", "Felad\xc3\xb3", "C\xc3\xadmzett",
    "T\xc3\xa1rgy", "Subiect", "C\xc4\x83tre", "Datum", "Fecha", "Data", NULL};
/* roles that may stand before the speaker's name ("Agent Lucía:", "Dr Okafor:" is the honorific rule's) */
static const char *const speaker_role[] = {"Agent", "Customer", "Support", "Operator", "Admin",   "Moderator", "Guest",
                                           "Host",  "Caller",   "Doctor",  "Nurse",    "Teacher", NULL};

/* ---- speakers written in Chinese, Japanese or Korean (session 16) ----
 * "윤서준: 주소를 바꾸고 싶어요.", "渡辺：渡辺 結衣です。", "赵磊：我的快递一直没到。" ('：' is ':' in the normalised text):
 * the head of the line is a name of cjk.c's surname tables that ends right at the colon (pol__cjk_name_at): a Chinese
 * surname with one or two given-name characters, a Japanese surname (alone or with a given name), three Hangul syllables
 * led by a Korean surname; katakana runs are not taken (メール, データ are field names). Korean and Chinese labels are
 * words led by a surname syllable too (주소 address, 이메일, 金额 amount, 周一 Monday): a Korean name has exactly three
 * syllables, and the labels below are none. Taken (0.75) when the text has two or more lines headed by a CJK word and a
 * colon (a dialogue: the other heads may be roles, 상담원, 客服, 係員) and a line of that speaker holds speech (a
 * sentence mark 。？！?!，、, kana, or a Korean sentence ending 요 / 다 / 까 before a mark, a space or the line's end). */
static const char *const cjk_speaker_stop[] = {
    /* ko: contact, e-mail, address (place), delivery address, applicant, ID card, department, enquiries, guardian's */
    "\xec\x97\xb0\xeb\x9d\xbd\xec\xb2\x98", "\xec\x9d\xb4\xeb\xa9\x94\xec\x9d\xbc", "\xec\xa3\xbc\xec\x86\x8c\xec\xa7\x80",
    "\xeb\xb0\xb0\xec\x86\xa1\xec\xa7\x80", "\xec\x8b\xa0\xec\xb2\xad\xec\x9d\xb8", "\xec\x8b\xa0\xec\xb2\xad\xec\x9e\x90",
    "\xec\x8b\xa0\xeb\xb6\x84\xec\xa6\x9d", "\xec\xa7\x84\xeb\xa3\x8c\xea\xb3\xbc", "\xeb\xac\xb8\xec\x9d\x98\xec\xb2\x98",
    "\xec\x9a\xa9\xeb\x8f\x84\xeb\x8a\x94",
    /* zh: amount, temperature, method, way, task, program, file, height, Monday .. Sunday, weekend, season words */
    "\xe9\x87\x91\xe9\xa2\x9d", "\xe6\xb8\xa9\xe5\xba\xa6", "\xe6\x96\xb9\xe6\xb3\x95", "\xe6\x96\xb9\xe5\xbc\x8f",
    "\xe4\xbb\xbb\xe5\x8a\xa1", "\xe7\xa8\x8b\xe5\xba\x8f", "\xe6\x96\x87\xe4\xbb\xb6", "\xe9\xab\x98\xe5\xba\xa6",
    "\xe5\x91\xa8\xe4\xb8\x80", "\xe5\x91\xa8\xe4\xba\x8c", "\xe5\x91\xa8\xe4\xb8\x89", "\xe5\x91\xa8\xe5\x9b\x9b",
    "\xe5\x91\xa8\xe4\xba\x94", "\xe5\x91\xa8\xe5\x85\xad", "\xe5\x91\xa8\xe6\x97\xa5", "\xe5\x91\xa8\xe6\x9c\xab",
    "\xe5\xa4\x8f\xe5\xa4\xa9", "\xe7\x99\xbd\xe5\xa4\xa9", "\xe6\x96\x87\xe7\xab\xa0", "\xe6\x96\x87\xe5\xad\x97",
    "\xe9\xab\x98\xe6\xb8\x85", "\xe5\xb8\xb8\xe8\xa7\x81", "\xe9\x92\xb1\xe5\x8c\x85", NULL};

/* a CJK word and a colon at p ending the head of a line: @return 1 with *ne the end of the name when it is a speaker
 * name of the rule above, 1 with *ne = p for another CJK head (a role: 상담원, 客服), 0 when p heads no CJK word and colon */
static int cjk_head(const char *t, size_t le, size_t p, size_t *ne)
{
    uint32_t cp;
    size_t q = p, k = 0, n;
    int hangul = 0;
    while (q < le && k < 6 && (n = pol__cp_at(t, le, q, &cp)) == 3 &&
           (pol__cp_han(cp) || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x3040 && cp <= 0x30FF)))
        hangul |= cp >= 0xAC00, q += 3, k++;
    size_t c = q < le && t[q] == ' ' ? q + 1 : q;
    if (k == 0 || c >= le || t[c] != ':')
        return 0;
    *ne = p;
    (void)pol__cp_at(t, le, p, &cp);
    if (cp >= 0x3040 && cp <= 0x30FF) /* kana: no name of the tables' kinds but a katakana run */
        return 1;
    size_t e = pol__cjk_name_at(t, q, p);
    if (e != q || (hangul && k != 3))
        return 1;
    for (const char *const *w = cjk_speaker_stop; *w != NULL; w++)
        if (strlen(*w) == q - p && memcmp(t + p, *w, q - p) == 0)
            return 1;
    *ne = q;
    return 1;
}

/* speech in a CJK line [p, le): a sentence mark, kana, or a Korean sentence ending (요 다 까) before a mark, a space or the
 * end */
static int cjk_speech(const char *t, size_t p, size_t le)
{
    for (size_t i = p; i < le; i++) {
        unsigned char b = U(t[i]);
        if (b < 0x80) {
            if (b == '?' || b == '!' || (b == ',' && i > p && U(t[i - 1]) >= 0x80))
                return 1;
            continue;
        }
        uint32_t cp;
        size_t n = pol__cp_at(t, le, i, &cp);
        if (n == 0)
            return 0;
        if ((cp >= 0x3041 && cp <= 0x309F) || cp == 0x3002 || cp == 0x3001)
            return 1;
        if ((cp == 0xC694 || cp == 0xB2E4 || cp == 0xAE4C) &&
            (i + n >= le || U(t[i + n]) < 0x80 || (U(t[i + n]) == 0xE3 && i + n + 1 < le && U(t[i + n + 1]) == 0x80)))
            return 1;
        i += n - 1;
    }
    return 0;
}

/* a timestamp at p: "[10:02] ", "[2024-05-02 14:01] ", "12/03/24, 09:15 - ", "09:15 - "; @return the position after it,
 * or p */
static size_t speaker_stamp(const char *t, size_t len, size_t p)
{
    if (p < len && t[p] == '[') {
        const char *r = memchr(t + p, ']', len - p < 34 ? len - p : 34);
        if (r == NULL)
            return p;
        size_t e = (size_t)(r - t);
        int colon = 0, digit = 0;
        for (size_t i = p + 1; i < e; i++)
            colon |= t[i] == ':', digit |= pol__is_digit(U(t[i]));
        if (!colon || !digit)
            return p;
        e++;
        return e < len && t[e] == ' ' ? e + 1 : e;
    }
    if (p < len && pol__is_digit(U(t[p]))) {
        size_t i = p;
        int colon = 0;
        while (i < len && i - p < 26 && (pol__is_digit(U(t[i])) || strchr("/.:, -APMapm", t[i]) != NULL)) {
            colon |= t[i] == ':';
            if (t[i] == ' ' && i + 2 < len && t[i + 1] == '-' && t[i + 2] == ' ')
                return colon ? i + 3 : p;
            i++;
        }
    }
    return p;
}

int pol__person_speakers(const char *t, size_t len, pol__cands_t *cands)
{
    enum { MAXS = 64 };
    struct {
        size_t s, e;
        int strong, cjk;
        unsigned f;
    } sp[MAXS];
    int n = 0, known = 0, speech = 0, cjk_heads = 0;
    if (len < 6)
        return 0;
    /* the lines with a ':' (or, led by '<', a '>') in their first 48 bytes, found from the colons: a line whose first
       colon is further in is skipped whole, so prose and JSON cost a few memchr calls per line with a colon */
    size_t done = 0, cur = 0, lt = (size_t)-1; /* done: where the lines not yet looked at start; cur: where the next colon is
                                                  looked for; lt: the next '<' at a line start */
    for (;;) {
        size_t ls;
        if (lt == (size_t)-1 || lt < done) {
            lt = len;
            for (const char *a = memchr(t + done, '<', len - done); a != NULL;
                 a = (size_t)(a - t) + 1 < len ? memchr(a + 1, '<', len - (size_t)(a - t) - 1) : NULL)
                if (a == t || a[-1] == '\n') {
                    lt = (size_t)(a - t);
                    break;
                }
        }
        if (cur < done)
            cur = done;
        const char *cq = cur < len ? memchr(t + cur, ':', len - cur) : NULL;
        size_t cpos = cq != NULL ? (size_t)(cq - t) : len;
        if (cpos >= len && lt >= len)
            break;
        /* a speaker's colon follows a letter, ')' or a space ("Maria:", "Dorota (11:42):", "Samuel :"); not a key's quote,
           a time's digit or a URL's scheme glued to "//" */
        if (cpos < lt && cpos > 0) {
            unsigned char pc = U(t[cpos - 1]);
            if (!(pol__is_alpha(pc) || pc == ')' || pc == ' ' || pc >= 0x80) || (cpos + 1 < len && t[cpos + 1] == '/')) {
                cur = cpos + 1;
                continue;
            }
        }
        if (lt < cpos) {
            ls = lt;
        } else {
            size_t from = cpos - done > 48 ? cpos - 48 : done;
            size_t b = cpos;
            while (b > from && t[b - 1] != '\n')
                b--;
            ls = b;
            if (b == from && from != done && t[b - 1] != '\n') {
                /* the first colon of this line is past its 48th byte: the next line */
                const char *nl = memchr(t + cpos, '\n', len - cpos);
                done = nl != NULL ? (size_t)(nl - t) + 1 : len;
                continue;
            }
        }
        if (n >= MAXS)
            break;
        const char *nl = memchr(t + ls, '\n', len - ls);
        size_t le = nl ? (size_t)(nl - t) : len, p = ls;
        done = nl ? le + 1 : len;
        while (p < le && t[p] == ' ' && p - ls < 2)
            p++;
        unsigned char h = p < le ? U(t[p]) : 0;
        if (!(h == '[' || h == '<' || pol__is_digit(h) || pol__is_upper(h) || h >= 0xC3))
            continue;
        size_t q = speaker_stamp(t, le, p);
        int strong = q != p, angle = 0;
        p = q;
        if (p < le && t[p] == '<')
            angle = 1, p++;
        size_t ns = p, ne = p;
        int words = 0;
        for (size_t w; words < 3 && (w = cap_word(t, le, p)) != 0;) {
            words++, ne = p + w;
            if (ne + 1 < le && t[ne] == ' ' && cap_word(t, le, ne + 1) != 0)
                p = ne + 1;
            else
                break;
        }
        if (words == 0) {
            size_t ce;
            if (angle || h < 0xE3 || !cjk_head(t, le, p, &ce))
                continue;
            cjk_heads++;
            if (ce == p)
                continue;
            size_t c = ce < le && t[ce] == ' ' ? ce + 2 : ce + 1;
            sp[n].s = p, sp[n].e = ce, sp[n].strong = 0, sp[n].f = 0, sp[n].cjk = 1 + cjk_speech(t, c, le);
            n++;
            continue;
        }
        p = ne;
        if (angle) {
            if (p + 1 >= le || t[p] != '>' || t[p + 1] != ' ')
                continue;
        } else {
            if (p + 2 < le && t[p] == ' ' && t[p + 1] == '(') {
                /* "Dorota (11:42):" */
                const char *r = memchr(t + p, ')', le - p < 12 ? le - p : 12);
                if (r != NULL && memchr(t + p, ':', (size_t)(r - t) - p) != NULL)
                    p = (size_t)(r - t) + 1, strong = 1;
            }
            if (p < le && t[p] == ' ')
                p++; /* "Samuel : ..." */
            if (p >= le || t[p] != ':' || (p + 1 < le && t[p + 1] != ' ' && t[p + 1] != '\r'))
                continue;
        }
        strong |= angle;
        /* a role before the name, a role or field alone */
        size_t w1 = cap_word(t, le, ns);
        if (in_words(t + ns, w1, speaker_role) && ns + w1 < ne)
            ns += w1 + 1, w1 = cap_word(t, le, ns);
        else if (in_words(t + ns, w1, speaker_stop))
            continue;
        unsigned f = pol__name_flags_of(t + ns, w1);
        if (strong && (f & POL__NAME_COMMON) && !(f & (POL__NAME_GIVEN | POL__NAME_SURNAME)))
            continue; /* "[10:02] Build: passed" */
        /* speech: the line's text holds a word in lower case, a '?' or a '!' ("Paris: Sunny", "Germany: Berlin" are a
           record's keys and values) */
        for (size_t i = p + 1; i < le && !speech; i++)
            speech = t[i] == '?' || t[i] == '!' || (t[i] >= 'a' && t[i] <= 'z' && (t[i - 1] == ' ' || t[i - 1] == ':'));
        sp[n].s = ns, sp[n].e = ne, sp[n].strong = strong, sp[n].f = f, sp[n].cjk = 0;
        known |= (f & POL__NAME_GIVEN) != 0;
        n++;
    }
    for (int i = 0; i < n; i++) {
        if (sp[i].cjk) {
            /* speech on a line of this speaker (the same name heads it) */
            int sa = sp[i].cjk == 2;
            for (int j = 0; j < n && !sa; j++)
                sa = sp[j].cjk == 2 && sp[j].e - sp[j].s == sp[i].e - sp[i].s &&
                     memcmp(t + sp[j].s, t + sp[i].s, sp[i].e - sp[i].s) == 0;
            if (cjk_heads >= 2 && sa && pol__cands_push(cands, POL_PII_PERSON, sp[i].s, sp[i].e, 0.75) != 0)
                return -1;
        } else if (sp[i].strong) {
            if (pol__cands_push(cands, POL_PII_PERSON, sp[i].s, sp[i].e, 0.85) != 0)
                return -1;
        } else if (n >= 2 && known && speech && ((sp[i].f & POL__NAME_GIVEN) || sp[i].f == 0)) {
            if (pol__cands_push(cands, POL_PII_PERSON, sp[i].s, sp[i].e, 0.75) != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- the person columns of a table (session 15) ----
 * A CSV, TSV or '|' table whose header names a column of people ("full_name", "first_name", "last_name", "employee",
 * "manager", "imię i nazwisko", "nombre" ...): the cells of that column in the rows below are names (0.8), when they are
 * 1-4 capitalised words (one or two for a part of a name), none a common word of the gazetteer that is no name. A bare
 * "name" column names products as often as people: there one word of the cell must be a gazetteer name, or the header
 * must name a column of a person's data (email, phone, birth date, department ...). The rows end at a line with another
 * number of cells (at most 500 rows). */
enum { CSV_NONE, CSV_PART, CSV_FULL, CSV_BARE };

static int csv_key(const char *k, size_t n)
{
    static const char *const full[] = {"full_name",     "fullname",        "full name",
                                       "employee",      "employee_name",   "manager",
                                       "customer_name", "contact_name",    "patient",
                                       "patient_name",  "account_holder",  "imi\xc4\x99 i nazwisko",
                                       "nome completo", "nombre completo", "vardas pavard\xc4\x97",
                                       "ime i prezime", "nom complet",     NULL};
    static const char *const part[] = {"first_name",     "firstname",      "first name", "given_name", "givenname",
                                       "last_name",      "lastname",       "last name",  "surname",    "family_name",
                                       "familyname",     "imi\xc4\x99",    "nazwisko",   "cognome",    "apellido",
                                       "apellidos",      "pr\xc3\xa9nom",  "vorname",    "nachname",   "vardas",
                                       "pavard\xc4\x97", "etunimi",        "sukunimi",   "fornavn",    "efternavn",
                                       "etternavn",      "f\xc3\xb6rnamn", "efternamn",  NULL};
    /* a bare name, and the roles that name companies too ("customer": "Globex") */
    static const char *const bare[] = {"name", "nome",     "nom",     "namn",  "navn",   "nimi",   "nombre",
                                       "naam", "customer", "contact", "owner", "author", "holder", NULL};
    for (const char *const *w = full; *w != NULL; w++)
        if (strlen(*w) == n && strncasecmp(k, *w, n) == 0)
            return CSV_FULL;
    for (const char *const *w = part; *w != NULL; w++)
        if (strlen(*w) == n && strncasecmp(k, *w, n) == 0)
            return CSV_PART;
    for (const char *const *w = bare; *w != NULL; w++)
        if (strlen(*w) == n && strncasecmp(k, *w, n) == 0)
            return CSV_BARE;
    return CSV_NONE;
}

/* a header key of a person's data other than the name */
static int csv_personal_key(const char *k, size_t n)
{
    static const char *const keys[] = {
        "email",      "e-mail",    "mail",          "phone", "mobile", "tel",     "telefon",    "dob",  "birth",
        "birth_date", "birthdate", "date_of_birth", "iban",  "ssn",    "address", "department", "dept", "salary",
        "title",      "role",      "hire_date",     "start", "pesel",  "cpf",     "dni",        NULL};
    for (const char *const *w = keys; *w != NULL; w++)
        if (strlen(*w) == n && strncasecmp(k, *w, n) == 0)
            return 1;
    return 0;
}

/* the cells of the line [p, e) split by sep (a double-quoted cell may hold sep): their bounds without quotes and
 * spaces in s[], e[]; @return the number of cells (at most max) */
static int csv_cells(const char *t, size_t p, size_t e, char sep, size_t *cs, size_t *ce, int max)
{
    int n = 0;
    while (p <= e && n < max) {
        size_t a = p, b;
        int q = 0;
        while (a < e && t[a] == ' ')
            a++;
        if (a < e && t[a] == '"') {
            q = 1, a++;
            const char *r = memchr(t + a, '"', e - a);
            b = r != NULL ? (size_t)(r - t) : e;
            p = b < e ? b + 1 : e;
            while (p < e && t[p] != sep)
                p++;
        } else {
            const char *r = memchr(t + a, sep, e - a);
            b = r != NULL ? (size_t)(r - t) : e;
            p = b;
        }
        size_t bb = b;
        while (!q && bb > a && (t[bb - 1] == ' ' || t[bb - 1] == '\r'))
            bb--;
        cs[n] = a, ce[n] = bb, n++;
        if (p >= e)
            break;
        p++; /* the separator */
    }
    return n;
}

int pol__person_csv(const char *t, size_t len, size_t at, pol__cands_t *cands)
{
    enum { MAXC = 32 };
    size_t hs = at > 0 ? at - 1 : 0;
    while (hs > 0 && t[hs - 1] != '\n')
        hs--;
    const char *nl = memchr(t + hs, '\n', len - hs);
    if (nl == NULL)
        return 0;
    size_t he = (size_t)(nl - t);
    if (he > hs && t[he - 1] == '\r')
        he--;
    /* the separator: the commonest of , ; \t | in the header */
    static const char seps[] = ",;\t|";
    int best = 0;
    char sep = 0;
    for (int k = 0; k < 4; k++) {
        int m = 0;
        for (size_t i = hs; i < he; i++)
            m += t[i] == seps[k];
        if (m > best)
            best = m, sep = seps[k];
    }
    if (best == 0)
        return 0;
    size_t cs[MAXC], ce[MAXC];
    int nc = csv_cells(t, hs, he, sep, cs, ce, MAXC), kind[MAXC], any = 0, personal = 0;
    if (nc < 2)
        return 0;
    for (int i = 0; i < nc; i++) {
        size_t a = cs[i], b = ce[i];
        if (sep == '|') /* a markdown table's cells are padded */
            while (a < b && t[a] == ' ')
                a++;
        kind[i] = csv_key(t + a, b - a);
        any |= kind[i] != CSV_NONE;
        personal |= csv_personal_key(t + a, b - a);
    }
    if (!any)
        return 0;
    size_t p = (size_t)(nl - t) + 1;
    for (int row = 0; row < 500 && p < len; row++) {
        const char *rn = memchr(t + p, '\n', len - p);
        size_t re = rn != NULL ? (size_t)(rn - t) : len, rs = p;
        p = rn != NULL ? re + 1 : len;
        if (re > rs && t[re - 1] == '\r')
            re--;
        size_t vs[MAXC], ve[MAXC];
        if (sep == '|' && re > rs && memchr(t + rs, '-', re - rs) != NULL && strspn(t + rs, "|-: ") >= re - rs)
            continue; /* a markdown table's rule line */
        if (csv_cells(t, rs, re, sep, vs, ve, MAXC) != nc)
            break;
        for (int i = 0; i < nc; i++) {
            if (kind[i] == CSV_NONE)
                continue;
            size_t a = vs[i], b = ve[i], q = a;
            int words = 0, bad = 0, known = 0;
            while (q < b && !bad) {
                size_t w = cap_word(t, b, q);
                if (w == 0) {
                    bad = 1;
                    break;
                }
                unsigned f = pol__name_flags_of(t + q, w);
                bad = (f & POL__NAME_COMMON) && !(f & (POL__NAME_GIVEN | POL__NAME_SURNAME));
                known |= (f & (POL__NAME_GIVEN | POL__NAME_SURNAME)) != 0;
                words++, q += w;
                if (q < b && t[q] == ' ')
                    q++;
                else if (q < b)
                    bad = 1;
            }
            if (bad || words == 0 || words > (kind[i] == CSV_PART ? 2 : 4) || (kind[i] == CSV_BARE && !known && !personal))
                continue;
            if (pol__cands_push(cands, POL_PII_PERSON, a, b, 0.8) != 0)
                return -1;
        }
    }
    return 0;
}
