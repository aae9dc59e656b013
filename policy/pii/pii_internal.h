/*
 * Internals shared by the PII engine's files (engine.c, prefilter.c, recognizers.c and the
 * recognizer files it dispatches to, validators.c, context.c, person.c, session.c, ...). Not a public interface: only policy/pii/
 * and its unit tests include it.
 */
#ifndef AIGW_POLICY_PII_INTERNAL_H
#define AIGW_POLICY_PII_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "policy/pii/pii.h"

/* ---- ASCII byte classes (every recognizer file) ---- */

#define POL__U(p) ((unsigned char)(p))

static inline int pol__is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline int pol__is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static inline int pol__is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int pol__is_alnum(unsigned char c)
{
    return pol__is_alpha(c) || pol__is_digit(c);
}

static inline int pol__is_hex(unsigned char c)
{
    return pol__is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/** C isspace() in the "C" locale: space, \t \n \v \f \r. */
static inline int pol__is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* ---- validators (validators.c); each takes bytes and returns 1 valid / 0 invalid ---- */

/** Luhn mod-10 check over the digits of s (other bytes skipped), ISO/IEC 7812-1 annex B. */
int pol__luhn_ok(const char *s, size_t len);
/** Card number plausibility: 12..19 digits, known IIN range for the length, Luhn. */
int pol__card_ok(const char *digits, size_t ndigits);
/** IBAN: ISO 13616-1 country length table + ISO 7064 mod 97-10 == 1. `s` is compact (no spaces), uppercase. */
int pol__iban_ok(const char *s, size_t len);

/** 1 if the ASCII letters `a`, `b` (either case) are the country code of an IBAN (ISO 13616 registry, the table of
 * pol__iban_ok), 0 otherwise or if either is not a letter. */
int pol__iban_country(unsigned char a, unsigned char b);
/** US SSN: 9 digits, area not 000/666/900-999, group not 00, serial not 0000 (SSA rules), not all one digit, not 078051120. */
int pol__ssn_ok(const char *d9);
/** UK NHS number: 10 digits, mod-11 check digit (NHS Data Dictionary). */
int pol__nhs_ok(const char *d10);
/** Dotted-quad IPv4 with 4 decimal octets 0..255, no leading zeros beyond "0". */
int pol__ipv4_ok(const char *s, size_t len);
/** IPv6 text form (RFC 4291 section 2.2, incl. "::" and embedded IPv4), parsed. */
int pol__ipv6_ok(const char *s, size_t len);
/** Bitcoin base58check address (version 0x00 or 0x05, double SHA-256 checksum). */
int pol__btc_base58_ok(const char *s, size_t len);
/** Bitcoin segwit address: bech32 (BIP-173, witness v0) or bech32m (BIP-350, v1+), hrp "bc". */
int pol__btc_bech32_ok(const char *s, size_t len);
/** JWT compact serialization: 3 base64url parts, header decodes to a JSON object with "alg". */
int pol__jwt_ok(const char *s, size_t len);
/** Shannon entropy of the bytes, in bits per byte. */
double pol__entropy(const char *s, size_t len);

/* ---- candidates (recognizers.c) ---- */

typedef struct st_pol__cand_t {
    int type;
    size_t start, end; /* bytes */
    double score;
    int ctx_done; /* context already applied by the recognizer */
} pol__cand_t;

typedef struct st_pol__cands_t {
    pol__cand_t *v;
    size_t n, cap;
} pol__cands_t;

int pol__cands_push(pol__cands_t *c, int type, size_t start, size_t end, double score);

/* Where a built-in pattern runs (see engine.c and prefilter.c). */
enum {
    POL__DB_TEXT, /* the full-text vectorscan database: literal-anchored patterns, cheap to scan */
    POL__DB_WIN,  /* the window database: class-heavy patterns, scanned only inside prefilter windows */
    POL__DB_C     /* not compiled: matched in C by the prefilter (digit clusters, IPv4, IPv6, capital-led; same semantics) */
};

/** One vectorscan pattern of the built-in table. */
typedef struct st_pol__pattern_t {
    const char *regex;
    unsigned flags;
    int rec; /* recognizer id, POL__REC_* */
    int arg; /* recognizer-specific (PERSON trigger strength, ...) */
    int db;  /* POL__DB_* */
} pol__pattern_t;

enum {
    POL__REC_EMAIL,
    POL__REC_DIGITS,
    POL__REC_IPV4,
    POL__REC_IPV6,
    POL__REC_IBAN,
    POL__REC_BTC58,
    POL__REC_BECH32,
    POL__REC_ETH,
    POL__REC_URL,
    POL__REC_KEY, /* literal-prefixed provider keys */
    POL__REC_JWT,
    POL__REC_PEM,
    POL__REC_PASSWORD, /* password=..., "password is ..." */
    POL__REC_PASSPORT, /* context-prefixed US passport */
    POL__REC_DL,       /* context-prefixed US driver license */
    POL__REC_POSTCODE_UK,
    POL__REC_STREET,
    POL__REC_ZIP, /* context-prefixed ZIP/PLZ */
    POL__REC_DATE_WORD,
    POL__REC_PERSON_TRIGGER,
    POL__REC_COUNT
};

/** Built-in pattern table; *n receives its length. */
const pol__pattern_t *pol__patterns(size_t *n);

/**
 * The built-in patterns of database `db` (POL__DB_TEXT or POL__DB_WIN) as hs_compile_multi takes
 * them: expressions, flags and ids (the index in pol__patterns()); the arrays must hold
 * pol__patterns()'s count. @return the number of patterns written
 */
unsigned pol__hsdb_exprs(int db, const char **exprs, unsigned *flags, unsigned *ids);

/**
 * FNV-1a 64 over what a compiled built-in database depends on: the vectorscan version string and,
 * per built-in pattern, its expression, flags, database and id. A database compiled at build time
 * is used only when its recorded fingerprint equals this one.
 */
uint64_t pol__hsdb_fingerprint(void);

/** The two built-in databases, compiled and serialised (hs_serialize_database) at build time. */
typedef struct st_pol__hsdb_blob_t {
    const char *text; /* POL__DB_TEXT patterns without custom regexes */
    size_t text_len;
    const char *win; /* POL__DB_WIN patterns */
    size_t win_len;
    uint64_t fingerprint; /* pol__hsdb_fingerprint() of the generator */
} pol__hsdb_blob_t;

/**
 * The databases serialised at build time: defined by the generated pii_hsdb.c (policy/pii/gen_hsdb.c
 * writes it) in the programs that link it (CMake target aigw_pii_hsdb, part of aigw_core). Weak:
 * a program without it (and an engine with custom regexes, a fingerprint that differs, or a CPU
 * the databases were not built for) compiles the patterns at engine creation instead, which costs
 * about 100 ms. Borrowed, static storage.
 */
const pol__hsdb_blob_t *pol__hsdb_builtin(void) __attribute__((weak));

/**
 * Filters of the script rules (cjk.c, scripts.c), built once per engine: bit (cp & 1023) is set
 * for the first code point of every word of a list, so most characters cost one bit test instead
 * of a pass over the list (the list is still checked when the bit is set).
 */
#define POL__TRIG_BUCKETS 1024 /* buckets of the script triggers' index (a power of two) */
#define POL__TRIG_MAX 1024     /* script triggers the index can hold (scripts.c's lists hold about 300) */
typedef struct st_pol__script_tables_t {
    uint64_t person[16];   /* CJK name triggers and honorifics */
    uint64_t suffix[16];   /* CJK address suffixes */
    uint64_t stop[16];     /* characters that cut a CJK address or name */
    uint64_t triggers[16]; /* Russian, Arabic, Hindi name triggers */
    /* session 14: the name triggers of scripts.c indexed by the low 10 bits of their first code point: bucket b holds
       entries trig_first[b] .. trig_first[b + 1] - 1 (first code point, set of the trigger, index in its list), in the
       order pol__script_names tries them; a letter that starts a trigger is compared with those alone, not with the
       whole lists (bench_pii multi2k, docs/BENCHMARKS.md "PII, session 14") */
    uint16_t trig_first[POL__TRIG_BUCKETS + 1];
    uint32_t trig_cp[POL__TRIG_MAX];
    unsigned char trig_set[POL__TRIG_MAX];
    uint16_t trig_idx[POL__TRIG_MAX];
    /* exact flags of the CJK Unified Ideographs U+4E00-9FFF (POL__HAN_* bits): one load per
     * character of Chinese or Japanese text instead of a pass over the lists */
    unsigned char han[0x5200];
} pol__script_tables_t;

#define POL__HAN_ADDR_STOP 1u /* cuts an address run */
#define POL__HAN_NAME_STOP 2u /* ends a Chinese given name */
#define POL__HAN_NUMERAL 4u   /* Chinese numeral */
#define POL__HAN_SUFFIX 8u    /* first character of an address suffix */
#define POL__HAN_PERSON 16u   /* first character of a name trigger or honorific */

#define POL__BIT_HAS(b, cp) ((b)[((cp) >> 6) & 15] >> ((cp)&63) & 1)

/** Fills the filters of the script rules (cjk.c). @return 0, or -1 if scripts.c's trigger lists outgrow the index
 * (POL__TRIG_MAX; a build error in practice: test_pii_scripts.c creates an engine) */
int pol__script_tables_init(pol__script_tables_t *t);
/**
 * Fills `tb->triggers` (a bit per first code point) and the index of scripts.c's name triggers by first code point
 * (`trig_first`, `trig_cp`, `trig_set`, `trig_idx`). @return 0, or -1 if the lists hold more than POL__TRIG_MAX
 * triggers or more than 32 sets.
 */
int pol__script_trigger_index(pol__script_tables_t *tb);

/**
 * Answers of the numbering-plan check already given to this thread (pol__phone_intl and
 * pol__phone_national cost 50-200 thousand instructions each: libphonenumber matches a dozen ICU
 * regular expressions per region). A chat request carries the whole conversation, so the same
 * number is scanned again on every turn. Holds no digits: each entry is the SipHash-2-4
 * (libsodium crypto_shorthash) of the question under a random per-scratch key, its lowest bit
 * replaced by the answer; 0 is empty. Direct-mapped, 256 entries.
 */
typedef struct st_pol__phone_cache_t {
    unsigned char key[16];
    uint64_t slot[256];
} pol__phone_cache_t;

/** Scanner state passed to recognizers from the vectorscan callback. */
typedef struct st_pol__scanctx_t {
    const char *text;
    size_t len;
    pol__cands_t *cands;
    size_t skip_until[POL__REC_COUNT];  /* a match ending before this was already handled */
    const unsigned char *enabled;       /* per type */
    const pol__script_tables_t *tables; /* the engine's filters for cjk.c / scripts.c */
    pol__phone_cache_t *phone_cache;    /* the scratch's; NULL: no cache */
} pol__scanctx_t;

/** Runs the recognizer of built-in pattern `pat` for a vectorscan match ending at byte `to`. @return 0, -1 on allocation failure.
 */
int pol__recognize(pol__scanctx_t *c, unsigned pat, size_t to);

/** Same as pol__recognize for a match found in C (POL__DB_C patterns): recognizer `rec` with argument `arg`. */
int pol__recognize_rec(pol__scanctx_t *c, int rec, int arg, size_t to);

/*
 * The recognizers of other files that pol__recognize_rec dispatches to. Each takes the match end
 * `to` of its pattern (skip_until already checked), parses and validates the candidate around it
 * and pushes what it accepts to c->cands. @return 0, -1 on allocation failure
 */
/** Digit clusters (digits.c): phones, cards, SSN, NHS, numeric dates; `to` is after the cluster's 7th digit. */
int pol__rec_digits(pol__scanctx_t *c, size_t to);
/**
 * A national phone number whose trunk-0 area code a spaced slash sets off ("0171 / 101 80 00", "030 / 2345 6789",
 * "0664 / 123 45 67", "044 / 278 23 52": the DIN 5008 layout before 1996, still written in DE, AT and CH); the three
 * separator bytes end a digit cluster, so pol__rec_digits never sees the number whole (digits.c, session 15).
 * `cs` is the area code's first digit. @return 0, -1 on allocation failure
 */
int pol__rec_phone_slash(pol__scanctx_t *c, size_t cs);
/**
 * The separator between two digit groups of a number laid out over tabs, lines or table cells (digits.c): at p, 1-4
 * bytes: an optional space, then at least one of '\t', '\n', '\v', '\f', '\r', '|' and written-out escapes ("\\t",
 * "\\n", "\\r" as two characters), then spaces (" | ", " \r\n"); a separator of spaces alone is the digit cluster's.
 * @param weak receives 1 when a separator was found
 * @return its length in bytes, 0 if none
 */
size_t pol__split_sep(const char *t, size_t len, size_t p, int *weak);
/** 1 if a separator of pol__split_sep that is not all spaces starts at p and a digit follows it. */
int pol__split_follows(const char *t, size_t len, size_t p);
/**
 * Digit groups split by tabs, line breaks, '|' or written-out escapes ("4111\t1111\t1111\t1111", "+49\n30\n1234567"),
 * from the cluster whose first digit is at cs (the caller runs it only where such a separator follows the cluster and
 * none precedes it): payment cards (4-4-4-4 / 4-6-5 groupings, IIN + Luhn) 0.85 and international phone numbers (a '+',
 * the same separator between every group, valid in its country's numbering plan) 0.7. IBANs split so are rec_iban's.
 * @return 0, -1 on allocation failure
 */
int pol__rec_split_digits(pol__scanctx_t *c, size_t cs);
/** UK postcode (address.c); `to` is the end of a [A-Z]\d[A-Z0-9]? ?\d[A-Z]{2} match. */
int pol__rec_postcode_uk(pol__scanctx_t *c, size_t to);
/** Street and the rest of its address as one LOCATION span (address.c); `kind` selects the street pattern (0 suffix-last, 1
 * German/Dutch number-last, 2 French number-first, 3 street type first). */
int pol__rec_street(pol__scanctx_t *c, size_t to, int kind);
/**
 * A street without a street word, found from the postcode whose first digit is at pc ("Am Markt 3, 28195 Bremen",
 * "Ερμού 25, 105 63 Αθήνα"; address.c, the gates in its comment): the street, number, postcode, city and the rest of
 * the address as one LOCATION. @return 0, -1 on allocation failure
 */
int pol__rec_street_postcode(pol__scanctx_t *c, size_t pc);
/** US ZIP code (address.c): `kind` 0 after a zip/postal-code word, 1 after ", ST ". */
int pol__rec_zip(pol__scanctx_t *c, size_t to, int kind);
/** Date after a date word (dates.c): `birth` 1 for dates of birth (DOB words), 0 for appointment and deadline words. */
int pol__rec_date_word(pol__scanctx_t *c, size_t to, int birth);
/** A date of birth that ends at most 24 bytes before a birth word of a verb-final language (生まれ, 태어났, 출생, doğdu)
 * whose match ends at `to` (dates.c): pushes DATE_TIME 0.85. @return 0, -1 on allocation failure */
int pol__rec_date_before_word(pol__scanctx_t *c, size_t to);

/* ---- prefilter (prefilter.c) ---- */

/** A byte range [s, e) of the scanned text that the window database must scan. */
typedef struct st_pol__window_t {
    size_t s, e;
} pol__window_t;

typedef struct st_pol__windows_t {
    pol__window_t *v;
    size_t n, cap;
} pol__windows_t;

/**
 * One pass over the text that stops only at ASCII digits, ':' and ASCII capitals (64 bytes per
 * step with SSE2). Digit clusters run the digit-cluster and IPv4 recognizers and add windows
 * (merged, sorted, disjoint) that contain every match of the POL__DB_WIN patterns; ':' runs the
 * IPv6 recognizer; capitals run the capital-led POL__DB_C patterns (honorific and greeting
 * triggers, street suffixes) and, if `person` is set, the untriggered PERSON rule.
 * @return 0, -1 on allocation failure
 */
int pol__prefilter(pol__scanctx_t *c, pol__windows_t *w, int person);

/** Checks the keyword filter of the prefilter's fast path against its keyword tables (for the unit tests). @return 0, -1 if a
 * keyword would be filtered out */
int pol__prefilter_selftest(void);

/** A word of a list with its length in bytes. */
typedef struct {
    const char *w;
    size_t n;
} pol__word_t;
/** Negative words of every numeric type (context.c): a number they label loses 0.4. Ends with {NULL, 0}, lower case; a
 * trailing '*' marks a stem (any ending). */
extern const pol__word_t pol__ctx_negative[];

/**
 * 1 if a negative word (pol__ctx_negative) labels the number that starts at byte `start` of `text`:
 * it is the word right before the number, past separators (punctuation, spaces, written-out
 * escapes, "：", "°", "№") and at most one label noun ("number", "no", "id", "号", "番号"...):
 * "order 5512", "Order #5512", "order number: 5512", "Commande n° A433", "订单号：5512". A negative
 * word further back ("order 5512, paid with 4111...", "Parcel for Mr Smith, 020 7946 0958") does
 * not lower the score: lowering it would let a card, a phone number or an identifier through.
 */
int pol__after_negative(const char *text, size_t start);

/** Applies context words around a candidate (Presidio-style: +0.35 for a supporting word nearby, lower for negative words). */
void pol__apply_context(const char *text, size_t len, pol__cand_t *cand);

/** 1 if one of the NUL-terminated lowercase `words` occurs as a word in text[from, to) (ASCII case-insensitive). */
int pol__has_word(const char *text, size_t from, size_t to, const char *const *words);

/* ---- phone numbering plans (phone.cc, libphonenumber) ---- */

/* what pol__phone_intl / pol__phone_national answer */
#define POL__PHONE_INVALID 0 /* no numbering plan assigns the number */
#define POL__PHONE_VALID 1   /* a plan assigns it (fixed line, mobile, toll free, VoIP, ...) */

/** Loads the numbering-plan metadata and compiles the patterns of the commonest plans, once per
 * process (tens of milliseconds; pol_pii_engine_create calls it so no request pays it). */
void pol__phone_warmup(void);
/**
 * International number: `d` = the nd ASCII digits after "+" or "00" (country code first).
 * Checked against Google's libphonenumber metadata (country code assigned, national number of a
 * length and leading digits the plan gives one of its number types). Costs a few microseconds:
 * call it on candidates only. Thread-safe, allocates nothing the caller owns.
 * @return POL__PHONE_VALID or POL__PHONE_INVALID
 */
int pol__phone_intl(const char *d, size_t nd);
/**
 * National number as written inside a country (trunk prefix included: "030 1234567",
 * "(212) 555-0187" as its 10 digits): valid in one of `regions`, ISO 3166-1 alpha-2 codes joined by
 * commas ("US,GB,DE"), tried in order; the region's national prefix ("0", NANP "1", RU "8") is
 * stripped when present. libphonenumber metadata, as pol__phone_intl.
 * @return POL__PHONE_VALID if one of the regions accepts it, else POL__PHONE_INVALID
 */
int pol__phone_national(const char *d, size_t nd, const char *regions);

/* ---- national identifiers (national.c) ---- */

/**
 * Necessary condition for pol__national_digits to find anything at a digit run starting at `cs`
 * whose cluster holds fewer than 7 digits (the prefilter's fast path asks it before dismissing
 * the event): a letter-led word of >= 6 alnum bytes, a digit run glued to letters, a two-letter
 * word and a space before the digits, a MAC address pair, or the first digit of a dotted MAC address
 * ("001b.2c3d.4e5f", "aabb.cc00.0100"). Reads t[cs - 13, cs + 17) within [0, len). In national_checks.c.
 */
int pol__national_maybe(const char *t, size_t len, size_t cs);
/**
 * National identifiers whose first digit run starts at `cs` (a digit run start; `nd` = digits in
 * its cluster): parses the formats of national.c there, validates check digits, applies their
 * context words and pushes candidates (ctx_done set). Pushes nothing when nd < 7 and
 * pol__national_maybe is 0. @return 0, -1 on allocation failure
 */
int pol__national_digits(pol__scanctx_t *c, size_t cs, size_t nd);
/** ':' at i: a colon-separated MAC address whose first pair ends at i. @return 0, -1 on allocation failure */
int pol__national_colon(pol__scanctx_t *c, size_t i);
/** 1 if `type` is a national identifier type (masked like numbers: the last 4 characters stay). */
int pol__national_type(int type);

/* ---- PERSON (person.c) ---- */

/**
 * Untriggered PERSON rule at the ASCII capital text[i] ("First Last" by the gazetteer). The caller
 * visits capitals in increasing order and calls this only for i >= *next and i + 3 < len.
 * @param next receives the first position at which the rule may run again
 * @return 0, -1 on allocation failure
 */
int pol__person_at(const char *text, size_t len, size_t i, pol__cands_t *cands, size_t *next);
/** After a trigger ending at `at`: takes the following name words. strong = the trigger alone says "a name follows". */
int pol__person_after_trigger(const char *text, size_t len, size_t at, int strong, pol__cands_t *cands);
/**
 * After an introduction without a verb of naming ("c'est", "ich bin", "soy", "sono", "sou", "ik ben", "jestem", "ben"...)
 * whose match ends at `at` (after its whitespace): two or three capitalised words that start and end a clause and are no
 * determiner, place prefix, title or month (person.c, the gates in its comment). @return 0, -1 on allocation failure
 */
int pol__person_intro(const char *text, size_t len, size_t at, pol__cands_t *cands);
/**
 * The speakers of a chat or meeting transcript named at the head of its lines ("Maria: ...", "[10:02] Tomasz: ...",
 * "12/03/24, 09:15 - Fatima Zahra: ...", "<Priya> ..."; person.c, the gates in its comment; session 15).
 * @return 0, -1 on allocation failure
 */
int pol__person_speakers(const char *text, size_t len, pol__cands_t *cands);
/**
 * The person columns of a CSV / TSV / '|' table whose header, holding the match that ends at `at`, names a column of
 * people ("full_name", "first_name", "employee", "imię i nazwisko"...): the cells of the rows below (person.c, the gates in
 * its comment; session 15). @return 0, -1 on allocation failure
 */
int pol__person_csv(const char *text, size_t len, size_t at, pol__cands_t *cands);
/** After a sign-off ("Best regards,", "Atenciosamente,"): the weak trigger rule, else a line of 2-3 capitalised words. */
int pol__person_signature(const char *text, size_t len, size_t at, pol__cands_t *cands);

/* gazetteer data (names_data.c, generated by policy/pii/gen_names.mjs): FNV-1a-32 of the lowercase
 * word, linear probing, 0 = empty; flags 1 given name, 2 surname, 4 common word */
#define POL__NAME_GIVEN 1
#define POL__NAME_SURNAME 2
#define POL__NAME_COMMON 4
extern const size_t pol__name_table_size;
extern const uint32_t pol__name_hash[];
extern const uint8_t pol__name_flags[];
/** Gazetteer flags of a word (ASCII case-insensitive), 0 if unknown. */
unsigned pol__name_flags_of(const char *w, size_t len);

/** The engine's 32-byte hash key (engine.c). */
const unsigned char *pol__engine_hash_key(const pol_pii_engine_t *e);

/* ---- UTF-8 helpers (unicode.c, except pol__cp_count in session.c) ---- */

/** Number of code points in s[0, len): counts bytes that are not UTF-8 continuation bytes (0x80-0xBF). */
size_t pol__cp_count(const char *s, size_t len);

/** Decodes the code point at t[i] (i < len). @return its length in bytes; an invalid sequence gives 1 and U+FFFD.
 * (Inline: the script rules call it for every character.) */
static inline size_t pol__cp_at(const char *t, size_t len, size_t i, uint32_t *cp)
{
    unsigned char b = (unsigned char)t[i];
    size_t n;
    uint32_t v;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF)
        n = 2, v = b & 0x1F;
    else if (b >= 0xE0 && b <= 0xEF)
        n = 3, v = b & 0x0F;
    else if (b >= 0xF0 && b <= 0xF4)
        n = 4, v = b & 0x07;
    else
        goto bad;
    if (i + n > len)
        goto bad;
    for (size_t k = 1; k < n; k++) {
        unsigned char c = (unsigned char)t[i + k];
        if ((c & 0xC0) != 0x80)
            goto bad;
        v = v << 6 | (c & 0x3F);
    }
    /* overlong forms, surrogates, > U+10FFFF */
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) || (v >= 0xD800 && v <= 0xDFFF))
        goto bad;
    *cp = v;
    return n;
bad:
    *cp = 0xFFFD;
    return 1;
}

/** Decodes the code point that ends at t[i] (i > 0). @return its length; invalid bytes give 1 and U+FFFD (ASCII as is). */
size_t pol__cp_before(const char *t, size_t i, uint32_t *cp);
/**
 * The word-boundary rule of every recognizer: 1 if the text before byte i glues to a candidate
 * starting at i, i.e. ends with an ASCII word byte [A-Za-z0-9_] (or a combining mark on one).
 * Letters of other scripts, punctuation, symbols and spaces of any script are boundaries.
 */
int pol__glue_before(const char *t, size_t i);
/** 1 if the text before i ends in a written-out escape ("\\n", "\\t", "\\r", "\\b", "\\f" as two characters, after one
 * backslash or more: JSON inside a JSON string writes "\\\\n") or a percent-escape ("%2B", "%20": RFC 3986 section 2.1):
 * its letters are no glue. */
int pol__escape_before(const char *t, size_t i);
/** Same rule after a candidate ending at i: 1 if t[i] is an ASCII word byte. 0 at the end of the text. */
int pol__glue_after(const char *t, size_t len, size_t i);
/** 1 for letters of the alphabetic scripts that mix with ASCII inside words (Latin-1/Extended, Greek, Cyrillic, diacritics). */
static inline int pol__cp_alpha_letter(uint32_t cp)
{
    /* letters of the alphabetic scripts written with spaces between words, whose words may mix
     * with ASCII letters (names such as "José", "Müller", IDN labels): Latin-1 and Latin
     * Extended-A/B, IPA, combining diacritics, Greek, Cyrillic, Latin Extended Additional */
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x250 && cp <= 0x2AF) ||
           (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x370 && cp <= 0x3FF && cp != 0x37E && cp != 0x387) ||
           (cp >= 0x400 && cp <= 0x52F) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/** 1 for a Han ideograph (CJK Unified Ideographs, extension A-F, compatibility) or the iteration mark U+3005. */
static inline int pol__cp_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2FA1F) || cp == 0x3005 /* 々 */;
}

/** A shift point of a normalised copy: from normalised offset `norm` on, original = orig + (p - norm). */
typedef struct st_pol__norm_shift_t {
    size_t norm, orig;
} pol__norm_shift_t;

/** A normalised copy of a text (see unicode.c) and the map from its offsets to the original's. */
typedef struct st_pol__norm_t {
    char *buf;
    size_t len, cap;
    pol__norm_shift_t *shift; /* sorted by norm; shift[0] = {0, 0}; one more after each mapped code point (and one per
                                 byte after the first of a character outside ASCII decoded from an escape) */
    size_t nshift, shift_cap;
    int decoded_hi; /* an escape of a character outside ASCII was decoded (its script bits are the copy's) */
} pol__norm_t;

/** What the normalisation writes for a code point it leaves out of the copy (never written: see unicode.c norm_of). */
#define POL__NORM_DROP 0x01
/** Internal marker of unicode.c: an escape decodes to a character outside ASCII, whose UTF-8 the copy writes. */
#define POL__NORM_CP 0x02
/**
 * Normalises full-width forms, wide and no-break spaces, Unicode hyphens and non-ASCII decimal
 * digits to ASCII (UnicodeData.txt compatibility mappings / digit values) when the text holds any, and leaves
 * invisible format characters out (soft hyphen, zero-width characters, bidi controls, U+FEFF: unicode.c norm_of), and
 * writes the character an escape stands for: HTML character references (ent_at), percent-escapes of ASCII outside URLs
 * (pct_at), string-literal escapes `\uXXXX`, `\UXXXXXXXX`, `\xHH` (bsl_at); an escaped character outside ASCII as its
 * UTF-8 (its script bits join `scripts`). The copy is never longer than the text.
 * A finding's span in the original text covers such characters and escapes inside it.
 * @param scripts receives the POL__SCRIPT_* bits of the scripts that occur in the text
 * @return 1 and nm filled (buffers owned by nm, reused), 0 if the text needs no copy, -1 on allocation failure
 */
int pol__normalize(pol__norm_t *nm, const char *t, size_t len, unsigned *scripts);
/** pol__normalize as it was written first (every lead byte visited one at a time): the reference the unit tests
 * compare pol__normalize with (same return, scripts, copy and shift points for every input). Not used by the scan. */
int pol__normalize_ref(pol__norm_t *nm, const char *t, size_t len, unsigned *scripts);

/* scripts that need rules of their own (cjk.c, scripts.c) */
#define POL__SCRIPT_CJK 1u        /* kana, ideographs, Hangul (UTF-8 lead bytes E3-ED) */
#define POL__SCRIPT_CYRILLIC 2u   /* D0-D4 */
#define POL__SCRIPT_ARABIC 4u     /* D8-DB */
#define POL__SCRIPT_DEVANAGARI 8u /* E0 A4, E0 A5 */
#define POL__SCRIPT_GREEK 16u     /* CE-CF */
#define POL__SCRIPT_HEBREW 32u    /* D7 */
#define POL__SCRIPT_BENGALI 64u   /* E0 A6, E0 A7 */
#define POL__SCRIPT_THAI 128u     /* E0 B8, E0 B9 */
#define POL__SCRIPT_WORLD                                                                                                          \
    256u /* Armenian D4-D6 (and the Cyrillic Supplement, Hebrew points there), E1 (Georgian, Ethiopic,                             \
            Khmer, Myanmar, Latin Extended Additional...), Tamil E0 AE/AF, Telugu E0 B0/B1, Sinhala                                \
            E0 B6/B7: the name triggers of scripts.c's session-12 scripts run */
/** Position of the first byte in [lo, hi] (lo >= 0x80: a range of UTF-8 lead bytes) at or after i, or len; 64 bytes
 * per step over ASCII, 16 elsewhere (SSE2). */
size_t pol__next_byte_in(const char *t, size_t len, size_t i, unsigned char lo, unsigned char hi);
/** Checks the byte patterns of the normalisation against its code point table (for the unit tests). @return 0, -1 */
int pol__norm_selftest(void);
/** The word of non-ASCII letters at p: the code points from p on for which is_letter holds (a script's letters and
 * combining signs; ASCII never). @return its end, p when there is none. Used by the script rules (address.c, scripts.c,
 * indic.c). */
size_t pol__script_word(const char *t, size_t len, size_t p, int (*is_letter)(uint32_t));
/** 1 if t[s, e) is one of `words` (NULL-terminated, compared byte for byte), else 0. */
int pol__word_is(const char *t, size_t s, size_t e, const char *const *words);
/** Original byte offset of the span start p (a normalised offset). */
size_t pol__norm_start(const pol__norm_t *nm, size_t p);
/** Original byte offset of the span end p (a normalised offset). */
size_t pol__norm_end(const pol__norm_t *nm, size_t p);

/* ---- scripts without spaces (cjk.c) ---- */

/**
 * Chinese, Japanese and Korean names (surname tables with trigger and honorific rules) and
 * addresses (administrative-suffix sequences). Runs only on texts that hold kana, ideographs or
 * Hangul. @return 0, -1 on allocation failure
 */
int pol__cjk_scan(pol__scanctx_t *c);

/**
 * A Chinese, Japanese or Korean name at p (a surname of the tables of cjk.c and its given name, or a katakana run), for
 * the triggers of other languages ("My name is 李明"). @return its end, or p if none starts there
 */
size_t pol__cjk_name_at(const char *t, size_t len, size_t p);

/**
 * PERSON in Cyrillic, Arabic, Devanagari, Greek and Hebrew text: the words after a label, an
 * introduction, an honorific or a greeting of that language ("Меня зовут", "اسمي", "मेरा नाम",
 * "Уважаемый", "السيد", "श्री", "Με λένε", "שמי"). Runs only on texts holding those scripts (`scripts`, POL__SCRIPT_* bits).
 * @return 0, -1 on allocation failure
 */
int pol__script_names(pol__scanctx_t *c, unsigned scripts);

/**
 * Thai PERSON (after an introduction, a form label or a title: "ผมชื่อ", "ชื่อ-นามสกุล", "นางสาว") and LOCATION
 * (runs of Thailand Post's address components: "เลขที่", "ซอย", "ถนน", "แขวง", "เขต", "จังหวัด", the 5-digit postcode).
 * Runs only on texts holding Thai letters (POL__SCRIPT_THAI). @return 0, -1 on allocation failure
 */
int pol__thai_scan(pol__scanctx_t *c);

/**
 * LOCATION in Hindi and Bengali text: comma-separated addresses ending in a place name and a postcode (India Post's
 * 6-digit PIN, Bangladesh Post's 4 digits) with a house or street part before it. Runs only on texts holding
 * Devanagari or Bengali letters. @return 0, -1 on allocation failure
 */
int pol__indic_scan(pol__scanctx_t *c);

/**
 * The same address rule from a 6-digit PIN at i that follows a Latin word and a space ("Flat No. 304, Sai Residency,
 * Sector 21, Kharghar, Navi Mumbai 410210": India Post's order written in Latin letters; session 16), called by the
 * prefilter's digit event in texts of any script. @return 0, -1 on allocation failure
 */
int pol__indic_pin(pol__scanctx_t *c, size_t i);

#endif
