/*
 * Digit clusters: phone numbers, payment cards, US SSN, UK NHS numbers and numeric dates, all from
 * one pattern (a run of >= 7 digits with at most two separator bytes between digits, matched in C
 * by the prefilter). The cluster is split into digit groups and every contiguous range of groups
 * is tried longest-first against each numeric format, so lists such as "4012888888881881
 * 4012-8888-8888-1881" yield several entities. All formats that accept a range are pushed as
 * candidates; overlap resolution (engine.c) keeps the best score. Phone numbers are checked
 * against libphonenumber's numbering plans (phone.cc) through the scratch's cache.
 */
#include "policy/pii/pii_internal.h"

#include <sodium.h>
#include <string.h>

#define U(p) POL__U(p)

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
/* session 14: and the trunk-0 plans of Central and South-East Europe (SK, RS, HR, SI, BG, MK, AL, BA, ME, RO, UA) */
static const char trunk0_plans[] = "GB,DE,FR,IT,NL,BE,CH,AT,SE,FI,IE,JP,KR,CN,TW,IN,PK,BR,AR,AU,NZ,ZA,NG,EG,TR,TH,ID,MY,PH,VN,"
                                   "SK,RS,HR,SI,BG,MK,AL,BA,ME,RO,UA";

/* the cluster [s, e) holds one '/', right after its first group of `g0` digits (an area code set off by a slash), and
 * the group after it is no year 1900-2099 ("02/2023 4412" is a file or case number of 2023) */
static int slash_after_area(const char *t, size_t s, size_t e, size_t g0)
{
    size_t q = s + g0 + 1;
    if (q >= e || t[q - 1] != '/' || memchr(t + q, '/', e - q) != NULL)
        return 0;
    size_t n = 0;
    while (q + n < e && pol__is_digit(POL__U(t[q + n])))
        n++;
    return !(n == 4 && (memcmp(t + q, "19", 2) == 0 || memcmp(t + q, "20", 2) == 0));
}

/* Polish geographic area codes (UKE, Plan numeracji krajowej: the 49 strefy numeracyjne), the first two of nine digits */
static int pl_area(const char *d)
{
    static const char areas[] = " 12 13 14 15 16 17 18 22 23 24 25 29 32 33 34 41 42 43 44 46 48 52 54 55 56 58 59 61 62 63 65 "
                                "67 68 71 74 75 76 77 81 82 83 84 85 86 87 89 91 94 95 ";
    char k[5] = {' ', d[0], d[1], ' ', 0};
    return strstr(areas, k) != NULL;
}

/* Plans of ten-digit mobiles written without a trunk prefix: TR 5xx and IN 6-9xx (whose homes
 * write a trunk 0 before them, often left out), GR 69x (no trunk prefix). */
static const char plans_10[] = "TR,IN,GR";

/* 0 for ungrouped digits that read as something else first: a round number (four zeros at the
 * end: "25000000 copies") or a date YYYYMMDD ("20240115"). For the plans whose numbers need a
 * context word anyway: prose puts "call", "ring" or "number" near such figures too. */
static int plain_block_ok(const char *d, size_t nd)
{
    if (nd >= 4 && memcmp(d + nd - 4, "0000", 4) == 0)
        return 0;
    if (nd == 8 && (memcmp(d, "19", 2) == 0 || memcmp(d, "20", 2) == 0)) {
        int m = (d[4] - '0') * 10 + (d[5] - '0'), day = (d[6] - '0') * 10 + (d[7] - '0');
        if (m >= 1 && m <= 12 && day >= 1 && day <= 31)
            return 0;
    }
    return 1;
}

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

    /* credit card: 12-19 digits, ungrouped or 4-4-4-4(-3) / Amex 4-6-5 / Diners 4-6-4, one separator kind
     * (space, hyphen, or dots between groups of four: "4111.1111.1111.1111") */
    if (nd >= 12 && nd <= 19 && !plus && !paren && !mixed_sep &&
        (sep_kind == 0 || sep_kind == ' ' || sep_kind == '-' || (sep_kind == '.' && all_groups_4 && ng >= 3))) {
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
    } else if (nd == 11 && d[0] == '1' && ng == 1 && nanp_ok(d + 1) && phone_plan(c, d, nd, NULL) == POL__PHONE_VALID) {
        /* 14155550132: a NANP number with its country code, ungrouped (E.164 without the "+", as
         * APIs and databases store it); below the threshold alone, a context word ("phone") lifts
         * it. Digits no NANP plan assigns go on to the China mobile rule. */
        ph = 0.25, kind = PLAN_INTL;
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
        else if (ng >= 3 && sep_kind == '/' && gl[0] <= 5 && slash_after_area(t, s, e, gl[0]))
            ph = 0.55; /* session 14: the area code set off by a slash, the rest grouped: SK 02/5163 9902, RS 063/308-0051 */
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
    } else if (nd == 11 && d[0] == '8' && ng >= 3 && gl[0] == 1 && d[1] != '0') {
        /* RU / KZ with the trunk prefix 8 and no parentheses: 8 800 555-35-35, 8 912 345 67 89, 8 777 573 3911 (session
           12) */
        ph = 0.5, plan = "RU,KZ";
    } else if (nd == 10 && d[0] != '0' && d[0] != '1' && (ng == 1 || (ng == 3 && gl[0] == 3 && gl[1] == 3 && !mixed_sep))) {
        /* 10 digits that no NANP area takes: a mobile written without its trunk 0 (TR 5xx, IN
         * 6-9xx) or of a plan without one (GR 69x); far below the threshold alone, a context word
         * ("phone:", "tel", "κινητό") lifts it */
        ph = ng == 1 ? 0.2 : 0.3, plan = plans_10;
    } else if (nd == 9 && d[0] != '0' && !mixed_sep &&
               ((ng == 1 && plain_block_ok(d, nd)) || (ng == 3 && gl[0] == 3 && gl[1] == 3) ||
                (ng == 4 && gl[0] == 3 && gl[1] == 2 && gl[2] == 2))) {
        /* nine digits of a plan without a trunk prefix, 512 345 678 (PL, PT, CZ, SK; the ES rule
         * above takes 6-9xx first; session 12: GE mobiles 599 32 36 84): a context word is needed ("telefonu",
         * "telemóvel", "მობილური") */
        ph = ng == 1 ? 0.2 : 0.3, plan = "PL,PT,CZ,SK,GE";
    } else if (nd == 8 && d[0] != '0' && !mixed_sep &&
               ((ng == 1 && plain_block_ok(d, nd)) || (ng == 4 && gl[0] == 2 && gl[1] == 2 && gl[2] == 2) ||
                (ng == 2 && gl[0] == 4) || (ng == 3 && gl[0] == 3 && gl[1] == 2))) {
        /* eight digits: NO, DK (22 33 44 55, 912 34 567), SG, HK (9123 4567), MN (9986 5329, session 12); a context word
         * is needed */
        ph = 0.2, plan = "NO,DK,SG,HK,MN";
    }
    if (ph == 0 && nd == 10 && d[0] >= '6' && ng == 2 && gl[0] == 5)
        ph = 0.5, plan = "IN"; /* India mobile 98105 08866 (the NANP rule above needs a NANP exchange) */
    if (ph == 0 && nd == 9 && (d[0] == '8' || d[0] == '9') && ng == 4 && gl[0] == 2 && gl[1] == 3 && gl[2] == 2 && !mixed_sep)
        ph = 0.5, plan = "ES"; /* ES landline 91 123 45 67 */
    /* session 15: a Polish landline, the area code and seven digits 2-3-2-2: Warsaw "22 628 12 34", "(22) 628 12 34",
       "22 628-12-34" (the ES rule above takes 8x/9x first when it fits) */
    if (ph == 0 && nd == 9 && ng == 4 && gl[0] == 2 && gl[1] == 3 && gl[2] == 2 && gl[3] == 2 && sep_kind != '.' &&
        sep_kind != '/' && pl_area(d))
        ph = paren ? 0.55 : 0.5, plan = "PL";
    /* session 15: a Mexican number of ten digits written 2-4-4, "81 8079 3612", "55 1234 5678" (IFT: ten-digit national
       numbers since 2019; Mexico City, Guadalajara and Monterrey have two-digit area codes) */
    if (ph == 0 && nd == 10 && ng == 3 && gl[0] == 2 && gl[1] == 4 && d[0] != '0' && d[0] != '1' && !mixed_sep && sep_kind != '.')
        ph = 0.5, plan = "MX";
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
            /* ten digits in one block that NANP does not assign: a mobile without its trunk 0, as
             * the ten-digit rule below (IN 9876543210 has a NANP-shaped area and exchange) */
            if (v == POL__PHONE_INVALID && ng == 1 && (v = phone_plan(c, d, nd, plans_10)) == POL__PHONE_VALID)
                ph = 0.2;
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

/* The range walker of both digit recognizers: every contiguous range g[i, j) of the groups, from each start i the
 * longest first (at least min_groups groups, at most max_nd digits in all), handed to `fn` with its digits concatenated
 * (d, nd), the group lengths (gl) and the caller's arg; when a range yields a candidate, the walk goes on after it, so a list of
 * numbers gives one entity each. @return 0, -1 when fn fails */
typedef int (*range_fn)(pol__scanctx_t *c, const group_t *g, size_t ng, size_t i, size_t j, const char *d, size_t nd,
                        const size_t *gl, int arg);

static int walk_ranges(pol__scanctx_t *c, const group_t *g, size_t ng, size_t min_groups, size_t max_nd, range_fn fn, int arg)
{
    for (size_t i = 0; i < ng;) {
        size_t best = 0;
        for (size_t j = ng; j >= i + min_groups && j > i; j--) {
            char d[32];
            size_t gl[32], nd = 0;
            if (j - i > 32)
                continue;
            int ok = 1;
            for (size_t k = i; k < j && ok; k++) {
                size_t l = g[k].e - g[k].s;
                if (nd + l > max_nd)
                    ok = 0;
                else
                    memcpy(d + nd, c->text + g[k].s, l), nd += l, gl[k - i] = l;
            }
            if (!ok)
                continue;
            size_t before = c->cands->n;
            if (fn(c, g, ng, i, j, d, nd, gl, arg) != 0)
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

/* pol__rec_digits' test of the range g[i, j) of a cluster's groups (walk_ranges) */
static int grouped_range(pol__scanctx_t *c, const group_t *g, size_t ng, size_t i, size_t j, const char *d, size_t nd,
                         const size_t *gl, int arg)
{
    (void)arg;
    const char *t = c->text;
    size_t ngr = j - i;
    if (nd < 7)
        return 0;
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
        return 0;
    /* the trunk prefix in parentheses after a country code ("+49 (0)30 901820", "+44 (0)20 7946 0018": ITU-T E.123 says
       to leave it out, and it is written anyway): not dialled from abroad, so not part of the E.164 number the plan
       checks (session 12; the number was checked with its 0 and lost 0.25) */
    char dn[32];
    if (plus && ngr >= 3 && gl[1] == 1 && d[gl[0]] == '0' && nd < sizeof(dn) && g[i + 1].s > 0 && t[g[i + 1].s - 1] == '(' &&
        t[g[i + 1].e] == ')') {
        size_t gl2[64];
        memcpy(dn, d, gl[0]);
        memcpy(dn + gl[0], d + gl[0] + 1, nd - gl[0] - 1);
        gl2[0] = gl[0];
        for (size_t k = 2; k < ngr; k++)
            gl2[k - 1] = gl[k];
        return classify(c, cs, ce, dn, nd - 1, gl2, ngr - 1, kind, mixed, plus, paren);
    }
    /* a range must not start or end next to a separator that glues it to the previous/next group
     * unless the break is a space (lists: "4012... 4012-8888-...") */
    if (i > 0 && !(g[i].s - g[i - 1].e >= 1 && t[g[i].s - 1] == ' ') && !plus && t[cs - 1] != '(' && t[cs] != '(')
        return 0;
    if (j < ng && t[ce] != ' ')
        return 0;
    return classify(c, cs, ce, d, nd, gl, ngr, kind, mixed, plus, paren);
}

int pol__rec_digits(pol__scanctx_t *c, size_t to)
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
    /* a percent-escape right before the digits ("card%204111111111111111": a URL or form body quoted
     * as text, RFC 3986 2.1) owns its two hex digits; the number starts after them */
    if (s > 0 && t[s - 1] == '%' && s + 2 < e && pol__is_digit(U(t[s])) && pol__is_digit(U(t[s + 1])))
        s += 2;
    while (s < to && sep_ok(U(t[s])) && t[s] != '(')
        s++;
    while (e > to && sep_ok(U(t[e - 1])) && t[e - 1] != ')')
        e--;
    int plus_before = s > 0 && t[s - 1] == '+';
    /* a cluster glued to letters is an identifier (ABC1234567, v1.2.3, 1234567abc): not PII */
    if (s > 0 && !plus_before && (pol__glue_before(t, s) || t[s - 1] == '#' || t[s - 1] == '$' || t[s - 1] == '\\'))
        return 0;
    /* "+1 415..." glued to a word is an identifier, but not after an underscore ("phone_+14155550132") */
    if (plus_before && s > 1 && t[s - 2] != '_' && pol__glue_before(t, s - 1))
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
    /* after "1," the digits continue a number ("1,234,567"); an area code in parentheses does not ("17,(22) 628 12 34", a
       CSV row; session 15) */
    if (s > 0 && t[s - 1] == ',' && s > 1 && pol__is_digit(U(t[s - 2])) && t[s] != '(')
        return 0;
    return walk_ranges(c, g, ng, 1, 24, grouped_range, 0);
}

/* ---- numbers split over tabs, lines and table cells ---- */

size_t pol__split_sep(const char *t, size_t len, size_t p, int *weak)
{
    size_t q = p;
    int units = 0;
    *weak = 0;
    /* one space, then the tabs, line breaks, '|' or escapes (at least one), then spaces: " | ", "\t", " \r\n", "\\n" */
    if (q < len && t[q] == ' ')
        q++;
    while (q < len && q - p < 4) {
        unsigned char ch = U(t[q]);
        if ((ch >= '\t' && ch <= '\r') || ch == '|')
            q++, units++;
        else if (ch == '\\' && q + 1 < len && (t[q + 1] == 't' || t[q + 1] == 'n' || t[q + 1] == 'r') && q + 2 - p <= 4)
            q += 2, units++;
        else if (ch == ' ' && units > 0)
            q++;
        else
            break;
    }
    if (units == 0)
        return 0;
    *weak = 1;
    return q - p;
}

int pol__split_follows(const char *t, size_t len, size_t p)
{
    int weak;
    size_t n = pol__split_sep(t, len, p, &weak);
    return n > 0 && weak && p + n < len && pol__is_digit(U(t[p + n]));
}

/* pol__rec_split_digits' test of the range g[i, j) (walk_ranges): a card in a card grouping, or (plus: a '+' before the
 * first group) an international number with the same separator between every pair of groups */
static int split_range(pol__scanctx_t *c, const group_t *g, size_t ng, size_t i, size_t j, const char *d, size_t nd,
                       const size_t *gl, int plus)
{
    const char *t = c->text;
    size_t len = c->len;
    int same = 1;
    (void)ng;
    /* the same separator between every pair of groups */
    for (size_t k = i + 2; k < j; k++)
        if (g[k].s - g[k - 1].e != g[i + 1].s - g[i].e || memcmp(t + g[k - 1].e, t + g[i].e, g[i + 1].s - g[i].e) != 0)
            same = 0;
    size_t s = g[i].s, e = g[j - 1].e, ngr = j - i;
    /* the range must end the number: not glued to a word, no decimal part */
    if (e < len && (pol__glue_after(t, len, e) || (t[e] == '.' && e + 1 < len && pol__is_digit(U(t[e + 1]))) ||
                    (t[e] == ',' && e + 1 < len && pol__is_digit(U(t[e + 1])))))
        return 0;
    int all4 = 1;
    for (size_t k = 0; k + 1 < ngr; k++)
        all4 &= gl[k] == 4;
    int card_fmt = (all4 && ngr >= 3 && gl[ngr - 1] >= 1 && gl[ngr - 1] <= 4) ||
                   (ngr == 3 && gl[0] == 4 && gl[1] == 6 && (gl[2] == 5 || gl[2] == 4));
    if (c->enabled[POL_PII_CREDIT_CARD] && nd >= 12 && nd <= 19 && card_fmt && pol__card_ok(d, nd) &&
        pol__cands_push(c->cands, POL_PII_CREDIT_CARD, s, e, 0.85) != 0)
        return -1;
    /* an international number: "+49\t30\t1234567"; a plan must assign it */
    if (c->enabled[POL_PII_PHONE_NUMBER] && i == 0 && plus && same && nd >= 8 && nd <= 15 && cc_len(d, nd) > 0 &&
        phone_plan(c, d, nd, NULL) == POL__PHONE_VALID && pol__cands_push(c->cands, POL_PII_PHONE_NUMBER, s - 1, e, 0.7) != 0)
        return -1;
    return 0;
}

int pol__rec_split_digits(pol__scanctx_t *c, size_t cs)
{
    const char *t = c->text;
    size_t len = c->len;
    group_t g[24];
    size_t ng = 0, p = cs;
    int weak_any = 0;
    /* the groups: digit runs, each pair joined by a separator of pol__split_sep */
    while (ng < 24 && p < len && pol__is_digit(U(t[p]))) {
        size_t e = p;
        while (e < len && pol__is_digit(U(t[e])))
            e++;
        g[ng++] = (group_t){p, e};
        int weak = 0;
        size_t n = e + 1 < len && t[e] == ' ' && pol__is_digit(U(t[e + 1])) ? 1 : pol__split_sep(t, len, e, &weak);
        if (n == 0 || e + n >= len || !pol__is_digit(U(t[e + n])))
            break;
        weak_any |= weak;
        p = e + n;
    }
    if (ng < 2 || !weak_any)
        return 0;
    /* glued to a word or an identifier on either side: not a number of its own */
    int plus = cs > 0 && t[cs - 1] == '+';
    if (cs > 0 && !plus &&
        (pol__glue_before(t, cs) || t[cs - 1] == '#' || t[cs - 1] == '$' || t[cs - 1] == '.' || t[cs - 1] == ','))
        return 0;
    if (plus && cs > 1 && pol__glue_before(t, cs - 1))
        return 0;
    return walk_ranges(c, g, ng, 2, 19, split_range, plus);
}

int pol__rec_phone_slash(pol__scanctx_t *c, size_t cs)
{
    const char *t = c->text;
    size_t len = c->len, a = cs;
    if (!c->enabled[POL_PII_PHONE_NUMBER])
        return 0;
    while (a < len && pol__is_digit(U(t[a])))
        a++;
    /* a trunk-0 area code of 2-5 digits, not glued to a number or word before it ("1/0171 / ..." is none) */
    if (a - cs < 2 || a - cs > 5 || t[cs] != '0' || t[cs + 1] == '0' || a + 4 > len || memcmp(t + a, " / ", 3) != 0)
        return 0;
    if (cs > 0 && (pol__glue_before(t, cs) || t[cs - 1] == '+' || (cs > 1 && sep_ok(U(t[cs - 1])) && pol__is_digit(U(t[cs - 2])))))
        return 0;
    char d[32];
    size_t nd = a - cs, p = a + 3, e = p, groups = 0;
    memcpy(d, t + cs, nd);
    while (p < len && pol__is_digit(U(t[p])) && groups < 4) {
        size_t q = p;
        while (q < len && pol__is_digit(U(t[q])))
            q++;
        if (nd + (q - p) > 13)
            return 0;
        memcpy(d + nd, t + p, q - p), nd += q - p, e = q, groups++;
        if (q + 1 < len && (t[q] == ' ' || t[q] == '-') && pol__is_digit(U(t[q + 1])))
            p = q + 1;
        else
            break;
    }
    /* the subscriber number: 4-8 digits (DE local numbers 3-8, AT 4-10, CH 7), ending the number */
    if (nd - (a - cs) < 4 || nd - (a - cs) > 8 || (e < len && (pol__is_digit(U(t[e])) || pol__glue_after(t, len, e))))
        return 0;
    double ph = 0.55;
    if (phone_plan(c, d, nd, trunk0_plans) == POL__PHONE_INVALID)
        ph -= 0.25;
    else
        ph += 0.1;
    return pol__cands_push(c->cands, POL_PII_PHONE_NUMBER, cs, e, ph);
}
