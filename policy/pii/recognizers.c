/*
 * Built-in recognizers: the vectorscan pattern table and, per pattern, the C code that turns a
 * match END into candidate spans. Patterns are compiled without start-of-match (SOM) tracking,
 * because SOM on class-heavy patterns costs up to 40x in scan speed (platform-facts.md section 5);
 * instead each pattern is built so that its start can be found cheaply in C: a literal prefix of
 * known length (keys, JWT, bech32), a back-scan over a character class (e-mail local parts, digit
 * clusters, IPv4/IPv6), or the span simply begins at the match end (context-prefixed patterns
 * such as "passport no:" or "password=", whose value follows). The C side then parses the
 * candidate fully and validates it (validators.c), so patterns only need to be loose supersets.
 * Because vectorscan reports every match end, each recognizer records how far it has already
 * parsed (skip_until) and ignores ends inside that region, which keeps digit runs O(n).
 *
 * Digit clusters (phones, cards, SSN, NHS, dates) share one pattern: a run of >= 7 digits with
 * at most two separator bytes between digits. The cluster is split into digit groups and every
 * contiguous range of groups is tried longest-first against each numeric format, so lists such
 * as "4012888888881881 4012-8888-8888-1881" yield several entities. All formats that accept a
 * range are pushed as candidates; overlap resolution (engine.c) keeps the best score.
 */
#include "policy/pii/pii_internal.h"

#include <hs/hs.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
static const pol__pattern_t patterns[] = {
    {"[A-Za-z0-9_%+\\-]@[A-Za-z0-9]", 0, POL__REC_EMAIL, 0, POL__DB_TEXT},
    {"\\d(?:[ \\-./()]{0,2}\\d){6}", 0, POL__REC_DIGITS, 0, POL__DB_C},
    {"\\d\\.\\d{1,3}\\.\\d{1,3}\\.\\d", 0, POL__REC_IPV4, 0, POL__DB_C},
    {"[0-9A-Fa-f]:[0-9A-Fa-f]{0,4}:", 0, POL__REC_IPV6, 0, POL__DB_C},
    {"::[0-9A-Fa-f]", 0, POL__REC_IPV6, 0, POL__DB_C},
    {"::/\\d", 0, POL__REC_IPV6, 1, POL__DB_C}, /* the unspecified address as a network: ::/0, ::/128 */
    {"[A-Z]{2}\\d{2}[ \\-]?[A-Z0-9]{4}", 0, POL__REC_IBAN, 0, POL__DB_WIN},
    {"[13][1-9A-HJ-NP-Za-km-z]{25}", 0, POL__REC_BTC58, 0, POL__DB_WIN},
    {"[bB][cC]1[02-9ac-hj-np-zAC-HJ-NP-Z]{11}", 0, POL__REC_BECH32, 0, POL__DB_TEXT},
    {"0x[0-9a-fA-F]{40}", 0, POL__REC_ETH, 0, POL__DB_TEXT},
    {"[A-Za-z0-9]://", 0, POL__REC_URL, 3, POL__DB_TEXT},
    {"www\\.", HS_FLAG_CASELESS, POL__REC_URL, 4, POL__DB_TEXT},
    {"sk-[A-Za-z0-9_\\-]{20}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"A[KS]IA[0-9A-Z]{16}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"gh[pousr]_[A-Za-z0-9]{30}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"github_pat_[A-Za-z0-9_]{30}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"glpat-[A-Za-z0-9_\\-]{20}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"xox[abposr]-[A-Za-z0-9\\-]{10}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"AIza[0-9A-Za-z_\\-]{30}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"[sr]k_(?:live|test)_[0-9A-Za-z]{16}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"npm_[A-Za-z0-9]{36}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"hf_[A-Za-z0-9]{30}", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"SG\\.[A-Za-z0-9_\\-]{22}\\.", 0, POL__REC_KEY, 0, POL__DB_TEXT},
    {"eyJ[A-Za-z0-9_\\-]{10}", 0, POL__REC_JWT, 0, POL__DB_TEXT},
    {"-----BEGIN [A-Z ]{0,30}PRIVATE KEY-----", 0, POL__REC_PEM, 0, POL__DB_TEXT},
    {"(?:passw(?:or)?d|pwd|passphrase|secret|api[_\\-]?key|access[_\\-]?token|auth[_\\-]?token|client[_\\-]?secret|"
     "secret[_\\-]?key|private[_\\-]?key|token)[\"']?\\s{0,3}[:=]\\s{0,3}", HS_FLAG_CASELESS, POL__REC_PASSWORD, 0, POL__DB_TEXT},
    {"(?:password|passcode|passwort|mot de passe|contrase\xc3\xb1\x61)\\s+(?:is|was|ist|est|es)\\s+", HS_FLAG_CASELESS,
     POL__REC_PASSWORD, 1, POL__DB_TEXT},
    {"passport(?:\\s*(?:no\\.?|number|num|nr\\.?|#))?\\s*[:#]?\\s*", HS_FLAG_CASELESS, POL__REC_PASSPORT, 0, POL__DB_TEXT},
    {"(?:driver'?s?|driving)\\s+licen[cs]e(?:\\s*(?:no\\.?|number|num|nr\\.?|#))?\\s*[:#]?\\s*", HS_FLAG_CASELESS,
     POL__REC_DL, 0, POL__DB_TEXT},
    {"\\bDL\\s*(?:No\\.?|#)?\\s*[:#]\\s*", 0, POL__REC_DL, 0, POL__DB_TEXT},
    {"[A-Z]\\d[A-Z0-9]? ?\\d[ABD-HJLNP-UW-Z]{2}", 0, POL__REC_POSTCODE_UK, 0, POL__DB_WIN},
    {" (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Terrace|Parkway|Pkwy|Highway|Hwy|Place|Pl|Way|"
     "Circle|Square|Close|Crescent)\\b", 0, POL__REC_STREET, 0, POL__DB_C},
    {"(?:stra\xc3\x9f\x65|strasse|str\\.|weg|allee|platz|gasse|ring|damm|straat|gracht|laan|plein|kade|singel|dijk)\\s\\d{1,4}", 0,
     POL__REC_STREET, 1, POL__DB_WIN},
    /* Spanish, Catalan, Italian, Portuguese: the street type comes first ("Via Roma 10", "Rua Augusta, 1500") */
    {"\\b(?:Calle|Avenida|Avda\\.|Plaza|Paseo|Carrer|Camino|Ronda|Via|Viale|Piazza|Piazzale|Corso|Largo|Vicolo|Rua|Travessa|"
     "Alameda|Pra\xc3\xa7\x61|Estrada|Rodovia) ", 0, POL__REC_STREET, 3, POL__DB_TEXT},
    {"\\d{1,4}(?:bis|ter)?,?\\s(?:rue|avenue|boulevard|bd|place|chemin|impasse|all\xc3\xa9\x65|quai)\\s", 0,
     POL__REC_STREET, 2, POL__DB_WIN},
    {"(?:zip(?:\\s*code)?|postal\\s*code|post\\s*code|plz|postleitzahl|code postal)\\s*[:#]?\\s*", HS_FLAG_CASELESS,
     POL__REC_ZIP, 0, POL__DB_TEXT},
    {", [A-Z]{2} \\d{5}", 0, POL__REC_ZIP, 1, POL__DB_WIN},
    {"(?:\\bborn|\\bbirth|\\bdob|d\\.o\\.b\\.?|birthday|birthdate|geboren|geburtsdatum|\\bn\xc3\xa9\x65?|naissance|nacid[oa]|"
     "nacimiento|\\bnat[oa]\\b|nascita)", HS_FLAG_CASELESS, POL__REC_DATE_WORD, 0, POL__DB_TEXT},
    /* words that announce a date (not of birth): reported at 0.6 */
    {"\\b(?:today is|date|dated|deadline|due (?:on|by|date)|appointment(?: on)?|scheduled (?:for|on)|expires? on|expiry|"
     "valid (?:until|thru)|heute ist|datum|termin|aujourd'hui|rendez-vous le|fecha|hoy es|cita el|oggi \xc3\xa8|scadenza|"
     "hoje \xc3\xa9|vandaag is|afspraak op)\\b\\s*[:,]?", HS_FLAG_CASELESS, POL__REC_DATE_WORD, 1, POL__DB_TEXT},
    {"\\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Sra|Srta|Sr|Sig|Sgr)\\.?\\s", 0, POL__REC_PERSON_TRIGGER, 2, POL__DB_C},
    {"\\b(?:my name is|my name's|name is|call me|je m'appelle|ich hei(?:\xc3\x9f|ss)e|mein name ist|me llamo|"
     "mi nombre es|mi chiamo|meu nome \xc3\xa9|mijn naam is)\\s", HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    /* sign-offs and greetings written in lower case or in other languages (weak: a gazetteer given name must follow) */
    {"\\b(?:best regards|kind regards|warm regards|best wishes|many thanks|mit freundlichen gr(?:\xc3\xbc|ue)(?:\xc3\x9f|ss)en|"
     "viele gr(?:\xc3\xbc|ue)(?:\xc3\x9f|ss)e|beste gr(?:\xc3\xbc|ue)(?:\xc3\x9f|ss)e|cordialement|bien (?:\xc3\xa0|a) vous|"
     "atenciosamente|abra(?:\xc3\xa7|c)os|saludos(?: cordiales)?|un saludo|cordiali saluti|distinti saluti|un saluto|"
     "met vriendelijke groet(?:en)?|vriendelijke groeten|hartelijke groet(?:en)?|ol(?:\xc3\xa1|a)|gentile|gentilissim[oa]|"
     "estimad[oa]|beste|hej|salut)[,!]?\\s", HS_FLAG_CASELESS, POL__REC_PERSON_TRIGGER, 3, POL__DB_TEXT},
    {"\\b(?:Name|Full name|Patient|Customer|Client|Employee|Sender|Recipient|Nom|Vorname|Nachname|Nombre|Cognome|Nome|Naam)\\s*:\\s*", 0,
     POL__REC_PERSON_TRIGGER, 1, POL__DB_TEXT},
    {"\\b(?:Dear|Hi|Hello|Hey|Thanks|Cheers|Regards|Sincerely|Bonjour|Hallo|Hola|Ciao|Liebe|Lieber|Cher|Querida|Querido|"
     "Cara|Caro|I am|I'm|This is|Ich bin|Je suis|Soy),?\\s", 0, POL__REC_PERSON_TRIGGER, 0, POL__DB_C},
};
/* clang-format on */

const pol__pattern_t *pol__patterns(size_t *n)
{
    *n = sizeof(patterns) / sizeof(patterns[0]);
    return patterns;
}

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

/* ---- e-mail ---- */

/* the script of a letter in an address: 1 Latin (ASCII or extended), 2 Greek, 3 Cyrillic, 0 not a letter */
static int mail_script(uint32_t cp)
{
    if ((cp < 0x80 && pol__is_alpha((unsigned char)cp)) || (cp >= 0xC0 && cp <= 0x2AF) || (cp >= 0x1E00 && cp <= 0x1EFF))
        return 1;
    if (cp >= 0x370 && cp <= 0x3FF)
        return 2;
    if (cp >= 0x400 && cp <= 0x52F)
        return 3;
    return 0;
}

/* The domain of an address from at + 1: labels of [A-Za-z0-9-] (and, if idn, letters of the
 * alphabetic scripts: internationalised labels such as "bücher") separated by single dots. A
 * label is in one script, so "example.comпривет" ends after "com". *last_dot receives the last
 * dot (0 if none). @return the end */
static size_t email_domain(const char *t, size_t len, size_t at, int idn, size_t *last_dot)
{
    size_t e = at + 1;
    int script = 0;
    *last_dot = 0;
    while (e < len && e - at < 255) {
        unsigned char ch = U(t[e]);
        uint32_t cp = ch;
        size_t n = 1;
        if (ch == '.' && e + 1 < len && (pol__is_alnum(U(t[e + 1])) || (idn && U(t[e + 1]) >= 0x80)) && t[e - 1] != '.') {
            *last_dot = e++;
            script = 0;
            continue;
        }
        if (ch >= 0x80 && (!idn || (n = pol__cp_at(t, len, e, &cp)) < 2 || !pol__cp_alpha_letter(cp)))
            break;
        if (ch < 0x80 && !pol__is_alnum(ch) && ch != '-')
            break;
        int sc = mail_script(cp);
        if (sc != 0 && script != 0 && sc != script)
            break;
        if (sc != 0)
            script = sc;
        e += n;
    }
    return e;
}

static int tld_ok(const char *t, size_t last_dot, size_t e)
{
    size_t tld = e - last_dot - 1;
    int alpha = tld >= 2;
    for (size_t i = last_dot + 1; i < e && alpha; i++)
        alpha = pol__is_alpha(U(t[i])) || U(t[i]) >= 0x80;
    return alpha || (tld > 4 && memcmp(t + last_dot + 1, "xn--", 4) == 0);
}

static int rec_email(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t at = to - 2; /* the match is "<local char>@<domain char>" */
    if (t[at] != '@')
        return 0;
    /* local part: ASCII atext, and letters of the alphabetic scripts (RFC 6531 addresses such as
     * "josé@"); any other code point (a Chinese character, punctuation) or a change of script
     * ("пишитеivan@") is where it starts */
    size_t s = at;
    int script = 0;
    while (s > 0 && at - s < 64) {
        unsigned char ch = U(t[s - 1]);
        uint32_t cp = ch;
        size_t n = 1;
        if (ch < 0x80 && !(pol__is_alnum(ch) || ch == '.' || ch == '_' || ch == '%' || ch == '+' || ch == '-' || ch == '\''))
            break;
        if (ch >= 0x80 && ((n = pol__cp_before(t, s, &cp)) < 2 || !pol__cp_alpha_letter(cp)))
            break;
        int sc = mail_script(cp);
        if (sc != 0 && script != 0 && sc != script)
            break;
        if (sc != 0)
            script = sc;
        s -= n;
    }
    while (s < at && (t[s] == '.' || t[s] == '\''))
        s++;
    if (s == at || (s > 0 && t[s - 1] == '@'))
        return 0;
    /* domain: labels separated by '.', last label alphabetic >= 2 or an xn-- label; an
     * internationalised domain first, then the ASCII one */
    size_t last_dot, e = email_domain(t, c->len, at, 1, &last_dot);
    if (last_dot == 0 || !tld_ok(t, last_dot, e))
        e = email_domain(t, c->len, at, 0, &last_dot);
    c->skip_until[POL__REC_EMAIL] = e;
    if (last_dot == 0 || !tld_ok(t, last_dot, e))
        return 0;
    return pol__cands_push(c->cands, POL_PII_EMAIL_ADDRESS, s, e, 1.0);
}

/* ---- digit clusters ---- */

typedef struct {
    size_t s, e; /* bytes of the digit run */
} group_t;

static int sep_ok(unsigned char ch)
{
    return ch == ' ' || ch == '-' || ch == '.' || ch == '/' || ch == '(' || ch == ')';
}

/* US NANP area/exchange rule: first digit 2-9. */
static int nanp_ok(const char *d)
{
    return d[0] >= '2' && d[3] >= '2' && !(d[1] == '1' && d[2] == '1');
}

/* E.164 country codes (ITU-T E.164 assignments): 1-digit 1 and 7; 2-digit codes listed; the rest are 3 digits. */
static int cc_len(const char *d, size_t nd)
{
    static const char two[] = "20273031323334363940414344454647484951525354555657585960616263646566818284868990919293949598";
    if (nd < 1)
        return 0;
    if (d[0] == '1' || d[0] == '7')
        return 1;
    if (nd < 2)
        return 0;
    for (size_t i = 0; i + 1 < sizeof(two); i += 2)
        if (two[i] == d[0] && two[i + 1] == d[1])
            return 2;
    return d[0] == '0' ? 0 : 3;
}

/* The numbering-plan check through the scratch's cache (pol__phone_cache_t): `regions` NULL for
 * international digits (pol__phone_intl), else pol__phone_national's region list. */
static int phone_plan(pol__scanctx_t *c, const char *d, size_t nd, const char *regions)
{
    unsigned char q[24 + 128];
    size_t rl = regions ? strlen(regions) : 0, ql = 0;
    uint64_t h, *slot = NULL;
    if (c->phone_cache != NULL && nd <= 24 && rl < 127) {
        memcpy(q, d, nd), ql = nd;
        q[ql++] = '|';
        memcpy(q + ql, regions ? regions : "", rl), ql += rl;
        crypto_shorthash((unsigned char *)&h, q, ql, c->phone_cache->key);
        h &= ~(uint64_t)1;
        h |= h == 0 ? 2 : 0; /* 0 marks an empty slot */
        slot = &c->phone_cache->slot[h >> 56];
        if ((*slot & ~(uint64_t)1) == h)
            return (int)(*slot & 1);
    }
    int v = regions ? pol__phone_national(d, nd, regions) : pol__phone_intl(d, nd);
    if (slot != NULL)
        *slot = h | (v == POL__PHONE_VALID);
    return v;
}

/* Numbering plans a national number with a trunk 0 is checked against, most used first: the
 * countries whose numbers are written "0xx ..." at home (ITU-T E.164 national prefix 0). */
static const char trunk0_plans[] = "GB,DE,FR,IT,NL,BE,CH,AT,SE,FI,IE,JP,KR,CN,TW,IN,PK,BR,AR,AU,NZ,ZA,NG,EG,TR,TH,ID,MY,PH,VN";

/* Tries the numeric formats on text[s, e) (digits d[0..nd), groups g[0..ng)). */
static int classify(pol__scanctx_t *c, size_t s, size_t e, const char *d, size_t nd, const size_t *gl, size_t ng, char sep_kind,
                    int mixed_sep, int plus, int paren)
{
    const char *t = c->text;
    pol__cands_t *out = c->cands;
    int all_groups_4 = 1;
    for (size_t i = 0; i + 1 < ng; i++)
        all_groups_4 &= gl[i] == 4;
    int is_date = 0;

    /* dates: d/m/y, y-m-d; never phones or cards (DOB handling lives in the DATE_WORD recognizer) */
    if (!plus && !paren && !mixed_sep && (sep_kind == '/' || sep_kind == '-' || sep_kind == '.') && ng == 3) {
        unsigned a = 0, b = 0, y = 0;
        const char *p = d;
        for (size_t i = 0; i < gl[0]; i++)
            a = a * 10 + (unsigned)(*p++ - '0');
        for (size_t i = 0; i < gl[1]; i++)
            b = b * 10 + (unsigned)(*p++ - '0');
        for (size_t i = 0; i < gl[2]; i++)
            y = y * 10 + (unsigned)(*p++ - '0');
        if (gl[0] == 4 && gl[1] <= 2 && gl[2] <= 2 && b >= 1 && b <= 12 && y >= 1 && y <= 31)
            is_date = 1;
        else if (gl[0] <= 2 && gl[1] <= 2 && (gl[2] == 4 || gl[2] == 2) && a >= 1 && b >= 1 &&
                 ((a <= 31 && b <= 12) || (a <= 12 && b <= 31)))
            is_date = 1;
    }
    if (is_date)
        return pol__cands_push(out, POL_PII_DATE_TIME, s, e, 0.3);

    /* credit card: 12-19 digits, ungrouped or 4-4-4-4(-3) / Amex 4-6-5 / Diners 4-6-4, one separator kind */
    if (nd >= 12 && nd <= 19 && !plus && !paren && !mixed_sep && (sep_kind == 0 || sep_kind == ' ' || sep_kind == '-')) {
        int fmt = ng == 1 || (all_groups_4 && gl[ng - 1] <= 4 && gl[ng - 1] >= 1) ||
                  (ng == 3 && gl[0] == 4 && gl[1] == 6 && (gl[2] == 5 || gl[2] == 4));
        if (fmt && pol__card_ok(d, nd) && pol__cands_push(out, POL_PII_CREDIT_CARD, s, e, ng == 1 ? 0.8 : 0.9) != 0)
            return -1;
    }
    /* US SSN: 3-2-4 with one separator kind, or 9 digits (weak); SSA rules */
    int ssn_here = 0;
    if (nd == 9 && !plus && !paren && pol__ssn_ok(d)) {
        double sc = 0;
        if (ng == 3 && gl[0] == 3 && gl[1] == 2 && !mixed_sep && sep_kind != '/')
            sc = 0.6;
        else if (ng == 1)
            sc = 0.3;
        else if (ng == 2 && ((gl[0] == 3 && gl[1] == 6) || (gl[0] == 5 && gl[1] == 4)))
            sc = 0.3;
        if (sc > 0 && pol__cands_push(out, POL_PII_US_SSN, s, e, sc) != 0)
            return -1;
        ssn_here = sc >= 0.6;
    }
    /* UK NHS: 10 digits, 3-3-4 or ungrouped, mod 11 */
    if (nd == 10 && !plus && !paren && !mixed_sep && (ng == 1 || (ng == 3 && gl[0] == 3 && gl[1] == 3)) && pol__nhs_ok(d))
        if (pol__cands_push(out, POL_PII_UK_NHS, s, e, 0.4) != 0)
            return -1;

    /* phones: the grouping gives a score and says which numbering plans to check the digits
     * against (libphonenumber metadata, phone.cc); a number no plan assigns is no phone */
    double ph = 0;
    const char *plan = NULL; /* NULL: not checkable (7-digit local numbers) */
    enum { PLAN_INTL = 1, PLAN_NANP, PLAN_00 } kind = 0;
    if (plus) {
        if (cc_len(d, nd) > 0 && nd >= 8 && nd <= 15)
            ph = 0.7, kind = PLAN_INTL;
    } else if (nd >= 11 && nd <= 15 && d[0] == '0' && d[1] == '0' && cc_len(d + 2, nd - 2) > 0 && ng >= 2) {
        ph = 0.6, kind = PLAN_00; /* 00 international prefix */
    } else if (nd == 10 && d[0] != '0' && d[0] != '1' && nanp_ok(d)) {
        /* NANP (US/CA) (212) 555-1234, 212-555-1234, 212.555.1234, 212 555 1234 */
        if ((ng == 3 && gl[0] == 3 && gl[1] == 3) && (!mixed_sep || paren))
            ph = 0.6, kind = PLAN_NANP;
        else if (ng == 1)
            ph = 0.25, kind = PLAN_NANP;
        else if (ng == 2 && gl[0] == 5) /* India 98765 43210 */
            ph = 0.5, plan = "IN";
    } else if (nd == 11 && d[0] == '1' && nanp_ok(d + 1) && ng == 4 && gl[0] == 1 && gl[1] == 3 && gl[2] == 3) {
        ph = 0.6, kind = PLAN_INTL; /* 1-800-555-1234 */
    } else if (nd == 11 && d[0] == '1' && d[1] >= '3' && ((ng == 3 && gl[0] == 3 && gl[1] == 4) || ng == 1)) {
        /* China mobile 138 0013 8000; 13800138000 ungrouped only inside CJK text (a second signal) */
        ph = ng == 1 ? 0.35 : 0.55, plan = "CN";
        uint32_t cp;
        if (ng == 1 && ((s > 0 && pol__cp_before(t, s, &cp) == 3 && cp >= 0x3000) ||
                        (e < c->len && pol__cp_at(t, c->len, e, &cp) == 3 && cp >= 0x3000)))
            ph = 0.5;
    } else if (d[0] == '0' && nd >= 9 && nd <= 12 && d[1] != '0') {
        /* national numbers with trunk 0: UK, DE, FR, IT, NL, JP, BR, IN, ES-style groupings */
        plan = trunk0_plans;
        if (ng >= 2 && sep_kind != '/' && gl[0] <= 5)
            ph = 0.55;
        else if (ng == 2 && sep_kind == '/')
            ph = 0.45; /* DE 030/12345678 */
        else if (ng == 1)
            ph = nd >= 10 ? 0.5 : 0.3;
    } else if (nd == 9 && d[0] >= '6' && d[0] <= '9' && ng >= 3 && gl[0] == 3 && !mixed_sep) {
        ph = 0.5, plan = "ES"; /* ES 612 345 678, 91 123 45 67 */
    } else if (nd == 10 && ng == 4 && gl[0] == 3 && gl[1] == 3 && gl[2] == 2 && !mixed_sep) {
        ph = 0.5, plan = "TR"; /* TR 532 123 45 67 */
    } else if (nd == 10 && d[0] == '3' && ng >= 2 && gl[0] == 3) {
        ph = 0.5, plan = "IT"; /* IT mobile 333 123 4567 */
    } else if (nd == 7 && ng == 2 && gl[0] == 3 && sep_kind == '-') {
        ph = 0.35; /* local 555-1234 */
    } else if (paren && nd >= 10 && nd <= 11) {
        ph = 0.55, plan = d[0] == '8' && nd == 11 ? "RU,KZ" : "BR"; /* BR (11) 91234-5678, RU 8 (912) 345-67-89 */
    } else if (nd == 10 && ng == 1 && d[0] != '0' && d[0] != '1') {
        /* 10 digits that no NANP area takes: a mobile written without its trunk 0 (TR 5xx, IN
         * 6-9xx); far below the threshold alone, a context word ("phone:", "tel") lifts it */
        ph = 0.2, plan = "TR,IN";
    }
    if (ph == 0 && nd == 10 && d[0] >= '6' && ng == 2 && gl[0] == 5)
        ph = 0.5, plan = "IN"; /* India mobile 98105 08866 (the NANP rule above needs a NANP exchange) */
    if (ph == 0 && nd == 9 && (d[0] == '8' || d[0] == '9') && ng == 4 && gl[0] == 2 && gl[1] == 3 && gl[2] == 2 && !mixed_sep)
        ph = 0.5, plan = "ES"; /* ES landline 91 123 45 67 */
    /* dots are a version or an amount more often than a phone, except the French 06.12.34.56.78 */
    if (ph > 0 && sep_kind == '.' && ng > 1 && !(ng == 3 && gl[0] == 3 && gl[1] == 3) && !plus &&
        !(ng == 5 && nd == 10 && d[0] == '0' && gl[0] == 2 && gl[1] == 2 && gl[2] == 2 && gl[3] == 2))
        ph -= 0.2;
    /* the numbering plans (only for candidates: a few microseconds each). A number some plan
     * assigns gains 0.1 (not with nine digits); one no plan assigns loses 0.25, so alone it stays below the default
     * threshold and needs a context word ("tel", "电话") to be reported: made-up numbers in prompts
     * are still phone numbers to the person who wrote them. Digits laid out as an SSN (3-2-4) are
     * not checked: their grouping decides between the two types, as it did before the check, and
     * they are the commonest nine-digit look-alike, so the check is saved there */
    if (ph > 0 && (kind != 0 || plan != NULL) && !ssn_here) {
        int v;
        if (kind == PLAN_INTL)
            v = phone_plan(c, d, nd, NULL);
        else if (kind == PLAN_00)
            v = phone_plan(c, d + 2, nd - 2, NULL);
        else if (kind == PLAN_NANP) {
            char n1[11] = {'1'};
            memcpy(n1 + 1, d, 10);
            v = phone_plan(c, n1, 11, NULL);
        } else
            v = phone_plan(c, d, nd, plan);
        if (v == POL__PHONE_INVALID)
            ph = ph > 0.25 ? ph - 0.25 : 0.01;
        else if (nd != 9)
            ph += 0.1; /* nine digits are also an SSN, SIN, BSN or TFN: their checksums decide, not the plan */
    }
    if (ph > 0 && pol__cands_push(out, POL_PII_PHONE_NUMBER, s, e, ph) != 0)
        return -1;
    return 0;
}

static int rec_digits(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t len = c->len;
    /* back-scan to the cluster start, forward-scan to its end; at most 2 separators in a row */
    size_t s = to;
    int seps = 0;
    while (s > 0) {
        unsigned char ch = U(t[s - 1]);
        if (pol__is_digit(ch))
            seps = 0, s--;
        else if (sep_ok(ch) && ++seps <= 2)
            s--;
        else
            break;
    }
    size_t e = to;
    seps = 0;
    while (e < len) {
        unsigned char ch = U(t[e]);
        if (pol__is_digit(ch))
            seps = 0, e++;
        else if (sep_ok(ch) && ++seps <= 2)
            e++;
        else
            break;
    }
    c->skip_until[POL__REC_DIGITS] = e;
    while (s < to && sep_ok(U(t[s])) && t[s] != '(')
        s++;
    while (e > to && sep_ok(U(t[e - 1])) && t[e - 1] != ')')
        e--;
    int plus_before = s > 0 && t[s - 1] == '+';
    /* a cluster glued to letters is an identifier (ABC1234567, v1.2.3, 1234567abc): not PII */
    if (s > 0 && !plus_before && (pol__glue_before(t, s) || t[s - 1] == '#' || t[s - 1] == '$' || t[s - 1] == '\\'))
        return 0;
    if (plus_before && s > 1 && pol__glue_before(t, s - 1))
        return 0;
    /* groups */
    group_t g[64];
    size_t ng = 0;
    for (size_t i = s; i < e;) {
        if (!pol__is_digit(U(t[i]))) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < e && pol__is_digit(U(t[j])))
            j++;
        if (ng == 64)
            break;
        g[ng++] = (group_t){i, j};
        i = j;
    }
    if (ng == 0)
        return 0;
    size_t last_end = g[ng - 1].e;
    /* a last group glued to a word after a space ("4111 1111 1111 1111 1x", "... 3pm", "... 10kg")
     * is that word, not part of the number: the number ends before it */
    if (ng > 1 && last_end < len && pol__glue_after(t, len, last_end) && t[g[ng - 1].s - 1] == ' ' &&
        g[ng - 1].s - g[ng - 2].e == 1) {
        ng--;
        last_end = g[ng - 1].e;
    }
    if (last_end < len &&
        (pol__glue_after(t, len, last_end) || (t[last_end] == '.' && last_end + 1 < len && pol__is_digit(U(t[last_end + 1])))))
        return 0;
    if (last_end < len && (t[last_end] == '%' || (t[last_end] == ',' && last_end + 1 < len && pol__is_digit(U(t[last_end + 1])))))
        return 0;
    if (s > 0 && t[s - 1] == ',' && s > 1 && pol__is_digit(U(t[s - 2])))
        return 0;
    for (size_t i = 0; i < ng;) {
        size_t best = 0;
        for (size_t j = ng; j > i; j--) {
            char d[32];
            size_t gl[32], nd = 0, ngr = j - i;
            if (ngr > 32)
                continue;
            int ok = 1;
            for (size_t k = i; k < j && ok; k++) {
                size_t l = g[k].e - g[k].s;
                if (nd + l > 24)
                    ok = 0;
                else
                    memcpy(d + nd, t + g[k].s, l), nd += l, gl[k - i] = l;
            }
            if (!ok || nd < 7)
                continue;
            /* separators between the groups */
            char kind = 0;
            int mixed = 0, paren = 0;
            size_t cs = g[i].s, ce = g[j - 1].e;
            for (size_t k = cs; k < ce; k++) {
                unsigned char ch = U(t[k]);
                if (pol__is_digit(ch))
                    continue;
                if (ch == '(' || ch == ')') {
                    paren = 1;
                    continue;
                }
                if (kind == 0)
                    kind = (char)ch;
                else if (kind != (char)ch)
                    mixed = 1;
            }
            int plus = 0;
            if (cs > 0 && t[cs - 1] == '(' && memchr(t + cs, ')', ce - cs) != NULL)
                cs--, paren = 1;
            if (cs > 0 && t[cs - 1] == '+')
                cs--, plus = 1;
            else if (cs > 1 && t[cs - 1] == ' ' && t[cs - 2] == '+')
                continue;
            /* a range must not start or end next to a separator that glues it to the previous/next group
             * unless the break is a space (lists: "4012... 4012-8888-...") */
            if (i > 0 && !(g[i].s - g[i - 1].e >= 1 && t[g[i].s - 1] == ' ') && !plus && t[cs - 1] != '(' && t[cs] != '(')
                continue;
            if (j < ng && t[ce] != ' ')
                continue;
            size_t before = c->cands->n;
            if (classify(c, cs, ce, d, nd, gl, ngr, kind, mixed, plus, paren) != 0)
                return -1;
            if (c->cands->n > before) {
                best = j;
                break;
            }
        }
        i = best ? best : i + 1;
    }
    return 0;
}

/* ---- IPv4 / IPv6 ---- */

/* includes a CIDR prefix length ("/24", "/128") that follows an address */
static size_t cidr_end(const char *t, size_t len, size_t e)
{
    size_t p = e + 1;
    if (e >= len || t[e] != '/')
        return e;
    while (p < len && p - e <= 3 && pol__is_digit(U(t[p])))
        p++;
    return p > e + 1 && !pol__glue_after(t, len, p) ? p : e;
}

static int rec_ipv4(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to, e = to;
    while (s > 0 && (pol__is_digit(U(t[s - 1])) || t[s - 1] == '.'))
        s--;
    while (e < c->len && (pol__is_digit(U(t[e])) || t[e] == '.'))
        e++;
    c->skip_until[POL__REC_IPV4] = e;
    while (e > s && t[e - 1] == '.')
        e--;
    if (s > 0 && (pol__glue_before(t, s) || t[s - 1] == '-'))
        return 0;
    if (pol__glue_after(t, c->len, e))
        return 0;
    if (!pol__ipv4_ok(t + s, e - s))
        return 0;
    double sc = 0.6;
    if (pol__has_word(t, s > 32 ? s - 32 : 0, s,
                      (const char *const[]){"version", "versions", "ver", "v", "release", "build", "sdk", NULL}))
        sc = 0.2;
    pol__cand_t *last;
    if (pol__cands_push(c->cands, POL_PII_IP_ADDRESS, s, cidr_end(t, c->len, e), sc) != 0)
        return -1;
    last = &c->cands->v[c->cands->n - 1];
    last->ctx_done = sc < 0.5;
    return 0;
}

static int rec_ipv6(pol__scanctx_t *c, size_t to, int net)
{
    const char *t = c->text;
    if (net) {
        /* "::/N" ends at to: the address "::" is a route or a network only with its prefix length
         * (alone, "::" is C++ or Haskell syntax) */
        size_t s = to - 4, e = cidr_end(t, c->len, to - 2);
        if (e == to - 2 || (s > 0 && (pol__glue_before(t, s) || t[s - 1] == ':' || t[s - 1] == '.')))
            return 0;
        return pol__cands_push(c->cands, POL_PII_IP_ADDRESS, s, e, 0.6);
    }
    size_t s = to, e = to;
    while (s > 0 && to - s < 45 && (pol__is_hex(U(t[s - 1])) || t[s - 1] == ':' || t[s - 1] == '.'))
        s--;
    while (e < c->len && e - s < 45 && (pol__is_hex(U(t[e])) || t[e] == ':' || t[e] == '.'))
        e++;
    c->skip_until[POL__REC_IPV6] = e;
    while (e > s && (t[e - 1] == '.' || (t[e - 1] == ':' && !(e - s >= 2 && t[e - 2] == ':'))))
        e--;
    while (s < e && t[s] == '.')
        s++;
    if (s > 0 && (pol__glue_before(t, s) || t[s - 1] == ':'))
        return 0;
    if (pol__glue_after(t, c->len, e) || (e < c->len && t[e] == ':'))
        return 0;
    size_t colons = 0;
    for (size_t i = s; i < e; i++)
        colons += t[i] == ':';
    if (colons < 2 || e - s < 3 || !pol__ipv6_ok(t + s, e - s))
        return 0;
    /* a zone id after a link-local address (RFC 4007 section 11: "fe80::1%eth0", unreserved
     * characters as RFC 6874 allows them in URIs) belongs to the address */
    size_t z = e + 1;
    if (e < c->len && t[e] == '%' && e - s >= 4 && (t[s] | 0x20) == 'f' && (t[s + 1] | 0x20) == 'e' && t[s + 2] == '8') {
        while (z < c->len && z - e <= 32 && (pol__is_alnum(U(t[z])) || t[z] == '_' || t[z] == '.' || t[z] == '~' || t[z] == '-'))
            z++;
        while (z > e + 1 && t[z - 1] == '.')
            z--;
        if (z > e + 1 && !pol__glue_after(t, c->len, z))
            e = z, c->skip_until[POL__REC_IPV6] = z;
    }
    return pol__cands_push(c->cands, POL_PII_IP_ADDRESS, s, cidr_end(t, c->len, e), 0.6);
}

/* ---- IBAN ---- */

static int rec_iban(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = (to >= 9 && (t[to - 5] == ' ' || t[to - 5] == '-')) ? to - 9 : to - 8;
    if (pol__glue_before(t, s))
        return 0;
    char comp[40];
    size_t n = 0, i = s;
    char sep = 0;
    while (i < c->len && n < 34) {
        unsigned char ch = U(t[i]);
        if (pol__is_digit(ch) || pol__is_upper(ch)) {
            comp[n++] = (char)ch;
            i++;
        } else if ((ch == ' ' || ch == '-') && n % 4 == 0 && n > 0 && i + 1 < c->len && pol__is_alnum(U(t[i + 1])) &&
                   (sep == 0 || sep == (char)ch)) {
            sep = (char)ch;
            i++;
        } else {
            break;
        }
    }
    /* the IBAN may be shorter than the alnum run only if the country length says so */
    size_t best = 0;
    for (size_t k = 15; k <= n; k++) {
        if (pol__iban_ok(comp, k)) {
            best = k;
            break;
        }
    }
    if (best == 0)
        return 0;
    /* map compact length back to a byte end */
    size_t e = s, k = 0;
    while (k < best) {
        if (pol__is_alnum(U(t[e])))
            k++;
        e++;
    }
    if (pol__glue_after(t, c->len, e))
        return 0;
    c->skip_until[POL__REC_IBAN] = e;
    return pol__cands_push(c->cands, POL_PII_IBAN_CODE, s, e, 0.95);
}

/* ---- crypto ---- */

static int b58(unsigned char ch)
{
    return pol__is_alnum(ch) && ch != '0' && ch != 'O' && ch != 'I' && ch != 'l';
}

static int rec_btc58(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to - 26, e = to;
    if (pol__glue_before(t, s))
        return 0;
    while (e < c->len && b58(U(t[e])) && e - s < 36)
        e++;
    c->skip_until[POL__REC_BTC58] = e;
    if (pol__glue_after(t, c->len, e))
        return 0;
    if (!pol__btc_base58_ok(t + s, e - s))
        return 0;
    return pol__cands_push(c->cands, POL_PII_CRYPTO, s, e, 0.9);
}

static int rec_bech32(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to - 14, e = to;
    if (pol__glue_before(t, s))
        return 0;
    while (e < c->len && pol__is_alnum(U(t[e])) && e - s < 91)
        e++;
    c->skip_until[POL__REC_BECH32] = e;
    if (pol__glue_after(t, c->len, e))
        return 0;
    if (!pol__btc_bech32_ok(t + s, e - s))
        return 0;
    return pol__cands_push(c->cands, POL_PII_CRYPTO, s, e, 0.9);
}

static int rec_eth(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to - 42;
    if (pol__glue_before(t, s) || (pol__glue_after(t, c->len, to)))
        return 0;
    return pol__cands_push(c->cands, POL_PII_CRYPTO, s, to, 0.6);
}

/* ---- URL ---- */

static int rec_url(pol__scanctx_t *c, size_t to, int litlen)
{
    const char *t = c->text;
    size_t s = to - (size_t)litlen;
    if (litlen == 3) { /* "://": back-scan the scheme (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )) */
        while (s > 0 && (pol__is_alnum(U(t[s - 1])) || t[s - 1] == '+' || t[s - 1] == '-' || t[s - 1] == '.') && to - s < 24)
            s--;
        while (s < to - 3 && !pol__is_alpha(U(t[s])))
            s++;
        if (s >= to - 3)
            return 0;
    }
    if (s < c->skip_until[POL__REC_URL])
        return 0;
    if (s > 0 && (pol__glue_before(t, s) || t[s - 1] == '/' || t[s - 1] == '.' || t[s - 1] == '@'))
        return 0;
    size_t e = to;
    int depth = 0;
    while (e < c->len) {
        unsigned char ch = U(t[e]);
        if (pol__is_space(ch) || ch == '"' || ch == '<' || ch == '>' || ch == '`' || ch == '\'' || ch < 0x20 || ch == '\\')
            break;
        if (ch == '(')
            depth++;
        if (ch == ')' && depth-- == 0)
            break;
        if ((ch == ']' || ch == '}') && depth == 0)
            break;
        e++;
    }
    while (e > to &&
           (t[e - 1] == '.' || t[e - 1] == ',' || t[e - 1] == ';' || t[e - 1] == ':' || t[e - 1] == '!' || t[e - 1] == '?'))
        e--;
    c->skip_until[POL__REC_URL] = e;
    /* authority: userinfo@host */
    size_t hs = to, he = to;
    while (he < e && t[he] != '/' && t[he] != '?' && t[he] != '#')
        he++;
    const char *at = memchr(t + hs, '@', he - hs);
    int creds = 0;
    if (at != NULL) {
        creds = memchr(t + hs, ':', (size_t)(at - (t + hs))) != NULL;
        hs = (size_t)(at - t) + 1;
    }
    const char *dot = memchr(t + hs, '.', he - hs);
    int localhost = he - hs >= 9 && memcmp(t + hs, "localhost", 9) == 0;
    if ((dot == NULL || dot + 1 >= t + he) && !localhost)
        return 0;
    /* how personal is it? */
    double sc = 0.35;
    if (creds)
        sc = 1.0;
    else if (at != NULL)
        sc = 0.5;
    else {
        static const char *const qkeys[] = {"token",   "access_token", "api_key", "apikey", "key",       "password",
                                            "passwd",  "pwd",          "secret",  "sig",    "signature", "x-amz-signature",
                                            "session", "sessionid",    "auth",    "code",   "email",     "mail",
                                            "user",    "username",     "phone",   "ssn",    NULL};
        static const char *const pkeys[] = {"users",   "user",     "u",        "profile", "profiles", "people",   "person", "home",
                                            "account", "accounts", "patients", "patient", "members",  "customer", NULL};
        const char *q = memchr(t + he, '?', e - he);
        size_t qs = q ? (size_t)(q - t) : e;
        if (q != NULL && pol__has_word(t, qs, e, qkeys))
            sc = 0.8;
        else if (memchr(t + he, '@', e - he) != NULL || memchr(t + he, '~', qs - he) != NULL)
            sc = 0.6;
        else if (pol__has_word(t, he, qs, pkeys))
            sc = 0.55;
    }
    return pol__cands_push(c->cands, POL_PII_URL, s, e, sc);
}

/* ---- secrets ---- */

static int key_ch(unsigned char ch)
{
    return pol__is_alnum(ch) || ch == '_' || ch == '-';
}

static int rec_key(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to;
    while (s > 0 && (key_ch(U(t[s - 1])) || t[s - 1] == '.') && to - s < 40)
        s--;
    /* the token starts at the known prefix: re-find it within the run */
    static const char *const prefixes[] = {"sk-",   "AKIA",        "ASIA",   "ghp_",     "gho_",     "ghu_",     "ghs_",
                                           "ghr_",  "github_pat_", "glpat-", "xoxa-",    "xoxb-",    "xoxp-",    "xoxo-",
                                           "xoxs-", "xoxr-",       "AIza",   "sk_live_", "rk_live_", "sk_test_", "rk_test_",
                                           "npm_",  "hf_",         "SG.",    NULL};
    size_t ks = (size_t)-1;
    for (size_t p = s; p < to && ks == (size_t)-1; p++) {
        if (p > 0 && pol__is_alnum(U(t[p - 1])) && !pol__escape_before(t, p))
            continue;
        for (int k = 0; prefixes[k] != NULL; k++) {
            size_t pl = strlen(prefixes[k]);
            if (p + pl <= to && memcmp(t + p, prefixes[k], pl) == 0) {
                ks = p;
                break;
            }
        }
    }
    if (ks == (size_t)-1 || ks < c->skip_until[POL__REC_KEY])
        return 0;
    size_t e = to;
    while (e < c->len && (key_ch(U(t[e])) || (t[e] == '.' && e + 1 < c->len && key_ch(U(t[e + 1])))))
        e++;
    c->skip_until[POL__REC_KEY] = e;
    /* placeholders such as sk-xxxxxxxxxxxxxxxxxxxxxxxx have low entropy */
    if (pol__entropy(t + ks, e - ks) < 3.0)
        return 0;
    return pol__cands_push(c->cands, POL_PII_SECRET, ks, e, 0.95);
}

static int rec_jwt(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to - 13;
    if (s < c->skip_until[POL__REC_JWT] || (s > 0 && (key_ch(U(t[s - 1])) || t[s - 1] == '.') && !pol__escape_before(t, s)))
        return 0;
    size_t e = to, dots = 0;
    while (e < c->len && (key_ch(U(t[e])) || (t[e] == '.' && dots < 2)))
        dots += t[e++] == '.';
    c->skip_until[POL__REC_JWT] = e;
    if (dots != 2 || !pol__jwt_ok(t + s, e - s))
        return 0;
    return pol__cands_push(c->cands, POL_PII_SECRET, s, e, 0.95);
}

static int rec_pem(pol__scanctx_t *c, size_t to)
{
    const char *t = c->text;
    size_t s = to > 60 ? to - 60 : 0;
    const char *b = NULL;
    for (const char *p = t + s; (p = memmem(p, (size_t)(t + to - p), "-----BEGIN", 10)) != NULL; p++)
        b = p;
    if (b == NULL)
        return 0;
    const char *end = memmem(t + to, c->len - to, "-----END", 8);
    size_t e = c->len;
    if (end != NULL) {
        const char *close = memmem(end + 8, (size_t)(t + c->len - (end + 8)), "-----", 5);
        e = close ? (size_t)(close - t) + 5 : c->len;
    }
    c->skip_until[POL__REC_PEM] = e;
    return pol__cands_push(c->cands, POL_PII_SECRET, (size_t)(b - t), e, 1.0);
}

static int rec_password(pol__scanctx_t *c, size_t to, int prose)
{
    const char *t = c->text;
    size_t s = to;
    if (s < c->skip_until[POL__REC_PASSWORD])
        return 0;
    char quote = 0;
    if (s < c->len && (t[s] == '"' || t[s] == '\'')) {
        quote = t[s];
        s++;
    }
    size_t e = s;
    while (e < c->len && e - s < 256) {
        unsigned char ch = U(t[e]);
        if (quote ? ch == (unsigned char)quote || ch == '\n'
                  : (pol__is_space(ch) || ch == '"' || ch == '\'' || ch == ',' || ch == ';' || ch == ')' || ch == '}' ||
                     ch == ']' || ch == '<' || ch == '>'))
            break;
        if (ch == '&' && !quote) {
            /* URL query: "&next_key=" ends the value; a lone '&' is part of a password */
            size_t q = e + 1;
            while (q < c->len && (pol__is_alnum(U(t[q])) || t[q] == '_'))
                q++;
            if (q > e + 1 && q < c->len && t[q] == '=')
                break;
        }
        if (ch == '\\' && quote)
            e++;
        e++;
    }
    if (e > c->len)
        e = c->len;
    if (prose)
        while (e > s && (t[e - 1] == '.' || t[e - 1] == '!' || t[e - 1] == '?'))
            e--;
    c->skip_until[POL__REC_PASSWORD] = e;
    size_t n = e - s;
    if (n < 4)
        return 0;
    /* placeholders and references are not secrets: ${VAR}, <password>, {{x}}, %s, ***, os.environ[...] */
    unsigned char f = U(t[s]);
    if (f == '$' || f == '<' || f == '{' || f == '%' || f == '*' || f == '[' || f == '(' || f == '@')
        return 0;
    if (memchr(t + s, '(', n) != NULL || (n >= 3 && memcmp(t + s, "...", 3) == 0))
        return 0;
    static const char *const placeholders[] = {
        "null",    "none",     "true",     "false",     "xxx",  "xxxx",    "xxxxxx",   "xxxxxxxx", "password", "changeme", "secret",
        "string",  "required", "optional", "undefined", "your", "example", "redacted", "hidden",   "masked",   "env",      "os",
        "process", "self",     "this",     "str",       "int",  "bool",    "input",    "getpass",  NULL};
    char low[24];
    size_t wl = 0;
    while (wl < n && wl < sizeof(low) - 1 && pol__is_alnum(U(t[s + wl])))
        low[wl] = (char)(t[s + wl] | 0x20), wl++;
    low[wl] = '\0';
    for (int k = 0; placeholders[k] != NULL; k++)
        if (strcmp(low, placeholders[k]) == 0)
            return 0;
    int has_digit_or_sym = 0, all_digits = 1;
    for (size_t i = s; i < e; i++) {
        has_digit_or_sym |= !pol__is_alpha(U(t[i]));
        all_digits &= pol__is_digit(U(t[i]));
    }
    /* "token: 100" or "secret: true" style configs: require something password-like */
    if (all_digits && n < 6)
        return 0;
    if (prose && !has_digit_or_sym && n < 6)
        return 0;
    if (!quote && !has_digit_or_sym && wl == n && !prose) {
        /* a bare identifier such as `password = user_input`: only a secret if it has enough entropy */
        if (pol__entropy(t + s, n) < 3.0)
            return 0;
    }
    return pol__cands_push(c->cands, POL_PII_SECRET, s, e, 0.85);
}

/* ---- context-prefixed IDs ---- */

static int rec_prefixed_id(pol__scanctx_t *c, size_t to, int type, size_t minlen, size_t maxlen, int passport)
{
    const char *t = c->text;
    size_t s = to, e = to, digits = 0;
    while (e < c->len && (pol__is_alnum(U(t[e])) || (t[e] == '-' && !passport)) && e - s <= maxlen)
        digits += pol__is_digit(U(t[e++]));
    if (e - s < minlen || e - s > maxlen || (pol__glue_after(t, c->len, e)))
        return 0;
    if (passport) {
        /* US passport book: 9 digits; next generation: 1 letter + 8 digits (travel.state.gov) */
        if (!((e - s == 9 && digits == 9) || (e - s == 9 && digits == 8 && pol__is_alpha(U(t[s])))))
            return 0;
    } else if (digits < 4) {
        return 0;
    }
    pol__cand_t *cd;
    if (pol__cands_push(c->cands, type, s, e, 0.85) != 0)
        return -1;
    cd = &c->cands->v[c->cands->n - 1];
    cd->ctx_done = 1;
    return 0;
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

static int rec_postcode_uk(pol__scanctx_t *c, size_t to)
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

static const char *const unit_words[] = {"Apt",   "Apartment", "Suite",   "Ste",     "Unit",  "Flat", "Floor", "Fl",       "Room",
                                         "Rm",    "Bldg",      "No",      "Wohnung", "Whg",   "App",  "Appt",  "Apto",     "apto",
                                         "piso",  "Piso",      "Interno", "int",     "Scala", "Sala", "sala",  "Bloco",    "bloco",
                                         "andar", "Etage",     "bus",     "Bus",     "Bte",   "bte",  "Esc",   "Escalera", NULL};
static const char *const place_stop[] = {
    "The",   "This",    "That",   "These",    "I",        "We",       "You",      "He",    "She",   "It",      "They",
    "My",    "Our",     "Your",   "Please",   "Thanks",   "Thank",    "Call",     "And",   "But",   "Or",      "If",
    "So",    "Then",    "Best",   "Regards",  "Tel",      "Phone",    "Email",    "Mail",  "Ich",   "Bitte",   "Danke",
    "Merci", "Gracias", "Grazie", "Obrigado", "Bedankt",  "Dear",     "Hi",       "Hello", "Hallo", "Bonjour", "Hola",
    "Ciao",  "Olá",     "Tél",    "Telefon",  "Teléfono", "Telefone", "Telefono", NULL};
static const char *const place_particles[] = {"de",  "do",  "da", "dos", "das", "del", "della", "di",  "am", "an",
                                              "der", "sur", "la", "le",  "les", "en",  "aan",   "den", "op", "upon",
                                              "im",  "y",   "e",  "el",  "los", "las", "sul",   "al",  NULL};

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
static size_t cap_word_end(const char *t, size_t len, size_t p)
{
    uint32_t cp;
    size_t n;
    if (p >= len)
        return p;
    if (pol__is_upper(U(t[p])))
        n = 1;
    else if (U(t[p]) >= 0x80 && (n = pol__cp_at(t, len, p, &cp)) > 1 && cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        ;
    else
        return p;
    size_t e = p + n;
    while (e < len && ((n = letter_at(t, len, e)) != 0 || (t[e] == '-' && letter_at(t, len, e + 1) != 0) || t[e] == '\''))
        e += n ? n : 1;
    return e - p >= 2 && list_word_at(t, len, p, place_stop) != e - p ? e : p;
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
    size_t d = digits_end(t, len, p);
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

static size_t address_tail(const char *t, size_t len, size_t e)
{
    static const char *const countries[] = {"USA",       "United States", "UK",     "United Kingdom", "Germany", "Deutschland",
                                            "France",    "Spain",         "España", "Italy",          "Italia",  "Netherlands",
                                            "Nederland", "Brazil",        "Brasil", "Portugal",       "Canada",  "Australia",
                                            NULL};
    int cities = 0, last = 0; /* last step: 1 unit, 2 postcode, 3 city, 4 region */
    for (int step = 0; step < 7; step++) {
        size_t p = e;
        int comma = 0, dash = 0;
        if (p < len && t[p] == ',')
            comma = 1, p++;
        if (p + 2 < len && t[p] == ' ' && t[p + 1] == '-' && t[p + 2] == ' ')
            dash = 1, p += 3;
        else if (p < len && t[p] == ' ')
            p++;
        if (p == e || p >= len)
            break;
        size_t q, w;
        /* unit: "Apt 4B", "Flat 3", "# 12", "3º B" */
        if ((comma || last == 0) && (w = list_word_at(t, len, p, unit_words)) != 0) {
            q = p + w;
            if (q < len && t[q] == '.')
                q++;
            while (q < len && t[q] == ' ')
                q++;
            size_t v = q;
            while (v < len && (pol__is_alnum(U(t[v])) || t[v] == '-') && v - q < 6)
                v++;
            if (v > q && !pol__glue_after(t, len, v)) {
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

static int rec_street(pol__scanctx_t *c, size_t to, int kind)
{
    const char *t = c->text;
    size_t s, e = to;
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
        if (words == 0 || p == 0 || !pol__is_digit(U(t[p - 1])))
            return 0;
        s = p;
        while (s > 0 && pol__is_digit(U(t[s - 1])) && p - s < 5)
            s--;
        if (s > 0 && pol__is_alpha(U(t[s - 1])))
            return 0;
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
    } else if (kind == 3) {
        /* "Via Roma 10", "Calle de Alcalá 12", "Rua Augusta, 1500": the type word (matched), name
         * words (capitalised, or particles between them), then the house number */
        s = to - 1;
        while (s > 0 && to - s < 12 && t[s - 1] != ' ' && t[s - 1] != '\n' &&
               (pol__is_alpha(U(t[s - 1])) || t[s - 1] == '.' || U(t[s - 1]) >= 0x80))
            s--;
        size_t q = to;
        int words = 0;
        for (int k = 0; k < 8 && q < c->len; k++) {
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
        if (words == 0)
            return 0;
        size_t r = q;
        if (r < c->len && t[r] == ',')
            r++;
        if (r < c->len && t[r] == ' ')
            r++;
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
    c->skip_until[POL__REC_STREET] = e;
    pol__cand_t *cd;
    if (pol__cands_push(c->cands, POL_PII_LOCATION, s, e, 0.7) != 0)
        return -1;
    cd = &c->cands->v[c->cands->n - 1];
    cd->ctx_done = 1;
    return 0;
}

static int rec_zip(pol__scanctx_t *c, size_t to, int kind)
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

/* ---- dates of birth ---- */

static int month_word(const char *t, size_t len, size_t p)
{
    static const char *const months[] = {"jan",  "feb",  "mar",  "apr", "may", "jun",  "jul",  "aug",  "sep",  "oct", "nov", "dec",
                                         "janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "déc", "ene", "abr",
                                         "ago",  "dic",  "gen",  "mag", "giu", "lug",  "set",  "ott",  "mär",  "okt", "dez", NULL};
    size_t e = p;
    while (e < len && (pol__is_alpha(U(t[e])) || U(t[e]) >= 0x80))
        e++;
    if (e - p < 3)
        return 0;
    for (int k = 0; months[k] != NULL; k++) {
        size_t ml = strlen(months[k]);
        if (ml <= e - p) {
            size_t i = 0;
            while (i < ml && (t[p + i] | (U(t[p + i]) < 0x80 ? 0x20 : 0)) == months[k][i])
                i++;
            if (i == ml)
                return (int)(e - p);
        }
    }
    return 0;
}

/* ISO 8601 time after a date ending at e ("T09:15:30.500-07:00", "T14:30Z", " 14:30:00"):
 * the end of the time, or e if none */
static size_t iso_time_end(const char *t, size_t len, size_t e)
{
    size_t p = e + 1;
    if (e >= len || (t[e] != 'T' && t[e] != ' '))
        return e;
    /* hh:mm, then :ss, then .fraction */
    for (int k = 0; k < 3; k++) {
        if (p + 2 > len || !pol__is_digit(U(t[p])) || !pol__is_digit(U(t[p + 1])))
            return k == 0 ? e : p - 1;
        p += 2;
        if (k < 2 && p < len && t[p] == ':' && k < 2)
            p++;
        else
            break;
    }
    if (p < len && t[p] == '.' && p + 1 < len && pol__is_digit(U(t[p + 1]))) {
        p++;
        while (p < len && pol__is_digit(U(t[p])))
            p++;
    }
    if (p < len && t[p] == 'Z')
        p++;
    else if (p + 2 < len && (t[p] == '+' || t[p] == '-') && pol__is_digit(U(t[p + 1])) && pol__is_digit(U(t[p + 2]))) {
        size_t q = p + 3;
        if (q < len && t[q] == ':')
            q++;
        if (q + 1 < len && pol__is_digit(U(t[q])) && pol__is_digit(U(t[q + 1])))
            p = q + 2;
        else if (q == p + 3)
            p = q;
    }
    return p;
}

/*
 * A date after a keyword, the first within 32 bytes: numeric (1985-03-04, 04/03/1985, 4.3.85) or
 * with a month name (March 4, 1985 / 4 March 1985 / 4. März 1985 / 5-MAY-2021), an ISO 8601 time
 * included. birth = 1: after a birth word (a date of birth, 0.85: needs a year or three parts);
 * 0: after a word that announces a date ("today is", "date:", "deadline", "appointment", 0.6),
 * where a day and month alone (5/21, May-21, 21 May) also count.
 */
static int rec_date_word(pol__scanctx_t *c, size_t to, int birth)
{
    const char *t = c->text;
    size_t p = to, lim = to + 32 < c->len ? to + 32 : c->len;
    while (p < lim && !pol__is_digit(U(t[p])) && !(month_word(t, c->len, p) && (p == 0 || !pol__is_alpha(U(t[p - 1])))))
        p++;
    if (p >= lim || (p > 0 && pol__glue_before(t, p) && pol__is_digit(U(t[p]))))
        return 0;
    size_t s = p, e = p;
    int has_year = 0, parts = 0, months = 0, num[6] = {0}, nlen[6] = {0};
    char sep = 0;
    while (e < c->len && parts < 6) {
        size_t w = e;
        int mw;
        if (pol__is_digit(U(t[w]))) {
            size_t d0 = w;
            int v = 0;
            while (w < c->len && pol__is_digit(U(t[w])))
                v = v * 10 + (t[w++] - '0');
            if (w - d0 == 4)
                has_year = 1;
            if (w - d0 > 4)
                break;
            num[parts] = v, nlen[parts] = (int)(w - d0);
            /* ordinal suffixes (1st, 2nd, 4th, 1er); a letter before a digit ("T09:15") is no suffix */
            size_t x = w;
            while (x < c->len && pol__is_alpha(U(t[x])) && x - d0 < 6)
                x++;
            if (x == c->len || !pol__is_digit(U(t[x])))
                w = x;
        } else if ((mw = month_word(t, c->len, w)) != 0) {
            w += (size_t)mw;
            months++;
            num[parts] = -1;
        } else {
            break;
        }
        e = w, parts++;
        if (parts == 3 && months == 0)
            break; /* day, month and year in numbers: a time may follow ("2024-06-05 14:30") */
        size_t q = e;
        while (q < c->len && (t[q] == ' ' || t[q] == '/' || t[q] == '-' || t[q] == '.' || t[q] == ',') && q - e < 3)
            q++;
        if (q == e || q >= c->len || !(pol__is_digit(U(t[q])) || month_word(t, c->len, q)))
            break;
        if (sep == 0)
            sep = t[e];
        e = q;
    }
    /* numbers alone must read as a date: Y-M-D (4-1/2-1/2) or D-M-Y / M-D-Y (1/2-1/2-2/4), ending
     * there ("978-5-3159-5152-1" is an ISBN, "1.2.3.4" a version or an address) */
    if (months == 0 && parts >= 3) {
        int ymd = nlen[0] == 4 && nlen[1] <= 2 && nlen[2] <= 2 && num[1] >= 1 && num[1] <= 12 && num[2] >= 1 && num[2] <= 31;
        int dmy = nlen[0] <= 2 && nlen[1] <= 2 && (nlen[2] == 2 || nlen[2] == 4) && num[0] >= 1 && num[1] >= 1 &&
                  ((num[0] <= 31 && num[1] <= 12) || (num[0] <= 12 && num[1] <= 31));
        size_t q = e;
        if (q + 1 < c->len && (t[q] == '-' || t[q] == '/' || t[q] == '.') && pol__is_digit(U(t[q + 1])))
            return 0;
        if (!(ymd || dmy))
            return 0;
    }
    int ok = parts >= 2 && (has_year || parts >= 3);
    if (!ok && !birth && parts == 2) {
        /* day and month, month and year: "May-21", "21 May", "5/21", "05/2021" (not "5.21": a version
         * or an amount) */
        if (months == 1)
            ok = 1;
        else if ((sep == '/' || sep == '-') && num[0] >= 1 && num[0] <= 12 && nlen[0] <= 2 &&
                 ((num[1] >= 1 && num[1] <= 31) || nlen[1] == 4))
            ok = 1;
    }
    if (!ok)
        return 0;
    if (parts == 3 && !pol__glue_after(t, c->len, iso_time_end(t, c->len, e)))
        e = iso_time_end(t, c->len, e);
    if (pol__glue_after(t, c->len, e))
        return 0;
    pol__cand_t *cd;
    if (pol__cands_push(c->cands, POL_PII_DATE_TIME, s, e, birth ? 0.85 : 0.6) != 0)
        return -1;
    cd = &c->cands->v[c->cands->n - 1];
    cd->ctx_done = 1;
    return 0;
}

int pol__recognize(pol__scanctx_t *c, unsigned pat, size_t to)
{
    return pol__recognize_rec(c, patterns[pat].rec, patterns[pat].arg, to);
}

int pol__recognize_rec(pol__scanctx_t *c, int rec, int arg, size_t to)
{
    if (to <= c->skip_until[rec])
        return 0;
    switch (rec) {
    case POL__REC_EMAIL:
        return c->enabled[POL_PII_EMAIL_ADDRESS] ? rec_email(c, to) : 0;
    case POL__REC_DIGITS:
        return rec_digits(c, to);
    case POL__REC_IPV4:
        return c->enabled[POL_PII_IP_ADDRESS] ? rec_ipv4(c, to) : 0;
    case POL__REC_IPV6:
        return c->enabled[POL_PII_IP_ADDRESS] ? rec_ipv6(c, to, arg) : 0;
    case POL__REC_IBAN:
        return c->enabled[POL_PII_IBAN_CODE] ? rec_iban(c, to) : 0;
    case POL__REC_BTC58:
        return c->enabled[POL_PII_CRYPTO] ? rec_btc58(c, to) : 0;
    case POL__REC_BECH32:
        return c->enabled[POL_PII_CRYPTO] ? rec_bech32(c, to) : 0;
    case POL__REC_ETH:
        return c->enabled[POL_PII_CRYPTO] ? rec_eth(c, to) : 0;
    case POL__REC_URL:
        return c->enabled[POL_PII_URL] ? rec_url(c, to, arg) : 0;
    case POL__REC_KEY:
        return c->enabled[POL_PII_SECRET] ? rec_key(c, to) : 0;
    case POL__REC_JWT:
        return c->enabled[POL_PII_SECRET] ? rec_jwt(c, to) : 0;
    case POL__REC_PEM:
        return c->enabled[POL_PII_SECRET] ? rec_pem(c, to) : 0;
    case POL__REC_PASSWORD:
        return c->enabled[POL_PII_SECRET] ? rec_password(c, to, arg) : 0;
    case POL__REC_PASSPORT:
        return c->enabled[POL_PII_US_PASSPORT] ? rec_prefixed_id(c, to, POL_PII_US_PASSPORT, 9, 9, 1) : 0;
    case POL__REC_DL:
        return c->enabled[POL_PII_US_DRIVER_LICENSE] ? rec_prefixed_id(c, to, POL_PII_US_DRIVER_LICENSE, 5, 16, 0) : 0;
    case POL__REC_POSTCODE_UK:
        return c->enabled[POL_PII_LOCATION] && to >= 5 ? rec_postcode_uk(c, to) : 0;
    case POL__REC_STREET:
        return c->enabled[POL_PII_LOCATION] ? rec_street(c, to, arg) : 0;
    case POL__REC_ZIP:
        return c->enabled[POL_PII_LOCATION] ? rec_zip(c, to, arg) : 0;
    case POL__REC_DATE_WORD:
        return c->enabled[POL_PII_DATE_TIME] ? rec_date_word(c, to, arg == 0) : 0;
    case POL__REC_PERSON_TRIGGER: {
        if (!c->enabled[POL_PII_PERSON])
            return 0;
        size_t before = c->cands->n;
        if (arg == 3)
            return pol__person_signature(c->text, c->len, to, c->cands);
        if (pol__person_after_trigger(c->text, c->len, to, arg != 0, c->cands) != 0)
            return -1;
        if (arg == 2 && c->cands->n > before) {
            /* honorifics are part of the name (they reveal gender): span starts at "Mr." */
            size_t s = to - 1;
            if (s > 0 && c->text[s - 1] == '.')
                s--;
            while (s > 0 && pol__is_alpha(U(c->text[s - 1])))
                s--;
            c->cands->v[before].start = s;
        }
        return 0;
    }
    }
    return 0;
}
