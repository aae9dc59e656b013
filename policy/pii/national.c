/*
 * National and sector identifiers: tax, social-security, identity-card, company and health
 * numbers of about forty-five countries, MAC addresses and DEA numbers, each validated by the check
 * digit its standard defines (the standards are cited at each validator and listed in
 * docs/internals/pii.md).
 *
 * The prefilter (prefilter.c) calls pol__national_digits at the start of each digit run that
 * opens a cluster of >= 7 digits or that pol__national_maybe admits (a digit run inside a
 * letter-led word, digits glued to letters, "AB 12 ...", a MAC pair, the first digit of a dotted
 * MAC), and pol__national_colon at each ':' after a hex digit. Every candidate is tried exactly
 * once, from the event at its first digit run: a letter-led word is taken only when no digit
 * precedes that run inside the word. The formats are written as small shape strings
 * ("dd.ddd.ddd/dddd-dd") parsed in C, so no vectorscan pattern is added and the full-text scan
 * costs nothing more; the shape parser, the check digits and pol__national_maybe (a pure test of
 * the text) are in national_checks.c, this file holds the rules, scores and context words.
 *
 * Scores follow one rule so precision holds on prompts full of numbers (seeds, timestamps,
 * order numbers): a format whose shape or check is strong on its own (letters in fixed places,
 * a date plus a check digit, a formatted layout) scores >= 0.5 bare; a bare number whose only
 * evidence is a weak check (one digit in ten or eleven) scores below 0.5 and needs a context
 * word in the identifier's own language (+0.35) within 48 bytes before or 24 after. Numbers
 * after negative words (order, invoice, seed, ...) lose 0.4.
 */
#include "policy/pii/pii_internal.h"
#include "policy/pii/national_checks.h"

#include <string.h>

#define U(p) POL__U(p)

int pol__national_type(int type)
{
    return type >= POL_PII_NATIONAL_FIRST && type < POL_PII_NATIONAL_END;
}

/* Whether the ASCII letters of `p` (`n` bytes) are all upper case or all lower case. */
static int one_case(const char *p, size_t n)
{
    int up = 0, low = 0;
    for (size_t i = 0; i < n; i++) {
        up |= p[i] >= 'A' && p[i] <= 'Z';
        low |= p[i] >= 'a' && p[i] <= 'z';
    }
    return !(up && low);
}

/* ---- context ---- */

static const char *const w_nino[] = {"national insurance", "nino", "ni number", "ni no", NULL};
static const char *const w_nif[] = {"nif", "dni", "documento nacional", "identidad", NULL};
static const char *const w_nie[] = {"nie", "extranjero", "extranjería", NULL};
static const char *const w_es_pass[] = {"pasaporte", NULL};
static const char *const w_it_cf[] = {"codice fiscale", "cf", "c.f", NULL};
static const char *const w_it_vat[] = {"partita iva", "p.iva", "piva", "p. iva", "iva", "vat", NULL};
static const char *const w_it_pass[] = {"passaporto", NULL};
static const char *const w_it_card[] = {"carta d'identità", "carta di identità", "carta d’identità", "cie", NULL};
static const char *const w_it_dl[] = {"patente", "license", "licence", NULL};
static const char *const w_pesel[] = {"pesel", NULL};
static const char *const w_nric[] = {"nric", "fin", "ic", NULL};
static const char *const w_uen[] = {"uen", NULL};
static const char *const w_tfn[] = {"tfn", "tax file", NULL};
static const char *const w_abn[] = {"abn", "australian business", NULL};
static const char *const w_acn[] = {"acn", "company number", NULL};
static const char *const w_medicare[] = {"medicare", NULL};
static const char *const w_pan[] = {"pan", "permanent account", NULL};
static const char *const w_aadhaar[] = {"aadhaar", "aadhar", "uidai", "uid", "आधार", NULL};
static const char *const w_voter[] = {"voter", "epic", "election", "vote", NULL};
static const char *const w_in_pass[] = {"passport", "पासपोर्ट", NULL};
static const char *const w_vehicle[] = {"vehicle", "registration", "car", "bike", "plate", NULL};
static const char *const w_gstin[] = {"gstin", "gst", NULL};
static const char *const w_hetu[] = {"henkilötunnus", "hetu", "personal identity code", "sotu", NULL};
static const char *const w_kr[] = {"주민등록번호", "주민번호", "rrn", "외국인등록번호", "frn", "resident registration", NULL};
static const char *const w_kr_brn[] = {"사업자등록번호", "사업자", "brn", "business registration", NULL};
static const char *const w_kr_pass[] = {"여권", "passport", NULL};
static const char *const w_se[] = {"personnummer", "pnr", "samordningsnummer", NULL};
static const char *const w_se_org[] = {"organisationsnummer", "orgnr", "orgnummer", "org.nr", NULL};
static const char *const w_tckn[] = {"kimlik", "tckn", "t.c", "tc kimlik", "nüfus", NULL};
static const char *const w_sin[] = {"sin", "social insurance", "nas", "assurance sociale", NULL};
static const char *const w_de_tax[] = {"steuer-id", "steuerid", "idnr", "steueridentifikationsnummer", "identifikationsnummer",
                                       "tin",       NULL};
static const char *const w_de_vat[] = {"ust", "ust-idnr", "umsatzsteuer", "vat", NULL};
static const char *const w_de_id[] = {"ausweis", "personalausweis", "reisepass", "pass", "ausweisnummer", NULL};
static const char *const w_uk_pass[] = {"passport", NULL};
static const char *const w_itin[] = {"itin", "taxpayer", "tax id", NULL};
static const char *const w_npi[] = {"npi", "provider", NULL};
static const char *const w_mbi[] = {"mbi", "medicare", NULL};
/* account words of the languages the engine reads (session 11: a bank account number after a non-English label was
 * missed: de, fr, es, it, pt, nl, pl, tr, id/ms, vi, ko, ja, zh, ru, uk, ar, he, hi, th, sw) */
static const char *const w_bank[] = {
    "account number", "account no",
    /* session 14: MX CLABE (Banxico's 18-digit account key) */
    "clabe", "acct", "bank account", "checking account", "savings account", "kontonummer", "konto-nr", "kontonr", "bankverbindung",
    "numéro de compte", "n° de compte", "compte bancaire", "número de cuenta", "cuenta bancaria", "numero di conto",
    "conto corrente", "número da conta", "conta corrente", "conta bancária", "rekeningnummer", "numer konta", "nr konta",
    "hesap numarası", "hesap no", "nomor rekening", "no. rekening", "rekening", "no akaun", "nombor akaun", "số tài khoản", "stk",
    "계좌번호", "계좌", "口座番号", "银行账号", "账号", "帳號", "银行卡号", "номер счета", "номер счёта", "расчетный счет",
    "номер рахунку", "рахунок", "رقم الحساب", "מספר חשבון", "खाता संख्या", "खाता नंबर", "เลขที่บัญชี", "เลขบัญชี", "namba ya akaunti", NULL};
static const char *const w_aba[] = {"routing", "aba", "rtn", NULL};
static const char *const w_mac[] = {"mac", "hardware address", "physical address", "ethernet", NULL};
static const char *const w_dea[] = {"dea", "certificate", "license", "licence", NULL};
static const char *const w_cn[] = {"身份证", "身份证号", "居民身份证", "id card", "resident id", NULL};
static const char *const w_jp[] = {"マイナンバー", "個人番号", "my number", NULL};
static const char *const w_cpf[] = {"cpf", NULL};
static const char *const w_cnpj[] = {"cnpj", NULL};
static const char *const w_curp[] = {"curp", NULL};
static const char *const w_nir[] = {"sécurité sociale", "securite sociale", "nir", "insee", "sécu", "secu", NULL};
static const char *const w_bsn[] = {"bsn", "burgerservicenummer", "sofinummer", "sofi", NULL};
static const char *const w_cpr[] = {"cpr", "cpr-nummer", "personnummer", NULL};
static const char *const w_no[] = {"fødselsnummer", "fodselsnummer", "personnummer", "d-nummer", NULL};
static const char *const w_be[] = {"rijksregisternummer", "numéro national", "registre national", "national number", "insz", NULL};
static const char *const w_za[] = {"id number", "identity number", "south african", "rsa id", "sa id", NULL};
static const char *const w_th[] = {"บัตรประชาชน", "เลขประจำตัวประชาชน", "thai id", "national id", "tnin", NULL};
static const char *const w_uk_dl[] = {"driving licence", "driving license", "licence", "dvla", NULL};
static const char *const w_de_kv[] = {"krankenversichertennummer", "kvnr", "versichertennummer", "krankenkasse", "egk", NULL};
static const char *const w_de_rv[] = {"rentenversicherungsnummer", "rvnr", "sozialversicherungsnummer", "svnr", NULL};
static const char *const w_de_stnr[] = {"steuernummer", "st.-nr", "stnr", "finanzamt", NULL};
/* pol__has_word lower-cases ASCII and the Latin-1, Greek and Cyrillic capitals: the words are listed in lower case,
 * other scripts' capitals as written ("rČ"); a word also matches as the start of a longer non-ASCII word ("паспорта",
 * "налогоплательщика") */
static const char *const w_ru_inn[] = {"инн", "inn", "налогоплательщик", "taxpayer", "tax id", NULL};
static const char *const w_ru_snils[] = {"снилс", "snils", "страховой номер", "страховое свидетельство", NULL};
static const char *const w_ru_pass[] = {"паспорт", "серия", "passport", NULL};
static const char *const w_il[] = {"זהות", "ת.ז", "ת\"ז", "ת״ז", "תז", "teudat zehut", "mispar zehut", "israeli id", NULL};
static const char *const w_cz[] = {
    "rodné číslo", "rodného čísla", "rodným číslem", "rodne cislo", "r.č", "rč", "r.Č", "rČ", "birth number", NULL};
static const char *const w_cl[] = {"rut", "r.u.t", "run:", "r.u.n", "rol único", "rol unico", "cédula", "cedula", NULL};
static const char *const w_ar_cuit[] = {"cuit", "cuil", "cdi", NULL};
static const char *const w_ar_dni[] = {"dni", "d.n.i", "documento nacional", NULL};
static const char *const w_pk[] = {"cnic", "nicop", "nadra", "شناختی", "قومی شناختی", NULL};
static const char *const w_id_nik[] = {"nik", "ktp", "e-ktp", "nomor induk kependudukan", "kartu tanda penduduk", NULL};
static const char *const w_vn[] = {"cccd",         "cmnd",       "căn cước", "can cuoc", "chứng minh nhân dân",
                                   "số định danh", "citizen id", NULL};
static const char *const w_sa[] = {"هوية",    "الهوية", "رقم الهوية",  "إقامة",    "اقامة",
                                   "الإقامة", "iqama",  "national id", "saudi id", NULL};
static const char *const w_ae[] = {"emirates id", "هوية", "الهوية", "eid", NULL};
static const char *const w_eg[] = {"الرقم القومي", "رقم قومي", "الرقم القومى", "national id", "egyptian id", NULL};
static const char *const w_ng[] = {"nin", "nimc", "national identification number", "national identity number", NULL};
static const char *const w_mx_rfc[] = {"rfc", "registro federal de contribuyentes", NULL};
static const char *const w_my[] = {"mykad", "mykid", "kad pengenalan", "nric", "ic no", "i/c", "k/p", NULL};
static const char *const w_ir[] = {"کد ملی",    "کدملی",         "كد ملي",     "کد ملي",     "شماره ملی",
                                   "شماره ملي", "national code", "code melli", "melli code", NULL};
static const char *const w_ph[] = {"tin", "taxpayer identification number", "bir", "taxpayer id", "tax id", "rdo", NULL};
/* session 12 */
static const char *const w_kz[] = {"иин", "жсн", "iin", "жеке сәйкестендіру", "идентификационный номер", NULL};
static const char *const w_ee[] = {"isikukood", "asmens kodas", "a. k.", "a.k.", "personal code", "personal identification code",
                                   NULL};
/* session 14: IS kennitala, LV personas kods, RS/SI/MK/BA/ME JMBG (EMŠO, ЕМБГ), AT SVNR */
static const char *const w_is[] = {"kennitala", "kt.", "kt:", "icelandic id", NULL};
static const char *const w_lv[] = {"personas kods", "personas kodu", "p.k.", "p. k.", "personal code", NULL};
static const char *const w_jmbg[] = {
    "jmbg", "emšo", "emso", "јмбг", "ембг", "матични број", "матичен број", "matični broj", "matična številka",
    "EMŠO", "JMBG", NULL};
static const char *const w_at[] = {"svnr", "sv-nummer", "sv-nr", "vsnr", "versicherungsnummer", "sozialversicherungsnummer", NULL};
static const char *const w_bg[] = {"егн", "egn", "единен граждански номер", NULL};
static const char *const w_hr[] = {"oib", "osobni identifikacijski", NULL};
static const char *const w_ro[] = {"cnp", "cod numeric personal", NULL};
static const char *const w_gr[] = {"αμκα", "amka", "α.μ.κ.α", NULL};
static const char *const w_ch[] = {"ahv", "avs", "avs-nr", "ahv-nr", "sozialversicherungsnummer", "numéro avs", NULL};
static const char *const w_bd[] = {"nid", "এনআইডি", "জাতীয় পরিচয়", NULL};
/* session 13: HU TAJ, UA RNOKPP (ІПН), PL NIP, LK NIC, HK HKID */
static const char *const w_taj[] = {"taj", "társadalombiztosítási", "tb szám", NULL};
static const char *const w_ua[] = {"рнокпп",
                                   "іпн",
                                   "ипн",
                                   "податковий номер",
                                   "реєстраційний номер облікової картки",
                                   "ідентифікаційний код",
                                   "ідентифікаційний номер",
                                   "rnokpp",
                                   "tax number",
                                   NULL};
static const char *const w_pl_nip[] = {"nip", "numer identyfikacji podatkowej", NULL};
static const char *const w_lk[] = {"nic", "national identity card", "ජාතික හැඳුනුම්පත", "தேசிய அடையாள அட்டை", NULL};
static const char *const w_hk[] = {"hkid", "hong kong identity", "hong kong id", "身份證", "身分證", "身份证", NULL};
static const char *const w_co[] = {"cédula", "cedula", "c.c", NULL};
/* TW: national identity card (traditional and simplified forms, 分/份), its number, the residence certificate */
static const char *const w_tw[] = {"身分證", "身份證", "身分证",    "身份证",      "統一證號",  "居留證",
                                   "居留证", "tw id",  "taiwan id", "national id", "id number", NULL};

typedef struct {
    pol__scanctx_t *c;
    int pushed;
} nat_t;

/* a word of `words` within the context window of [s, e): 48 bytes before, 24 after */
static int near_word(const char *t, size_t len, size_t s, size_t e, const char *const *words)
{
    return pol__has_word(t, s > 48 ? s - 48 : 0, s, words) || pol__has_word(t, e, e + 24 < len ? e + 24 : len, words);
}

/* pushes [s, e) as `type`: `bare` score, +0.35 with a context word of `words` near it, -0.4 when a
 * negative word labels it (pol__after_negative) */
static int push(nat_t *n, int type, size_t s, size_t e, double bare, const char *const *words, int numeric)
{
    pol__scanctx_t *c = n->c;
    if (!c->enabled[type])
        return 0;
    const char *t = c->text;
    double sc = bare;
    if (words != NULL && near_word(t, c->len, s, e, words))
        sc += 0.35;
    else if (pol__after_negative(t, s))
        sc -= 0.4; /* "Bestellnummer 202509200206", "Commande n° A433522495": order numbers that pass a check */
    (void)numeric;
    if (sc > 1)
        sc = 1;
    if (sc < 0)
        sc = 0;
    if (pol__cands_push(c->cands, type, s, e, sc) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = 1;
    n->pushed = 1;
    return 0;
}

#define PUSH(type, s, e, bare, words, numeric)                                                                                     \
    do {                                                                                                                           \
        if (push(n, type, s, e, bare, words, numeric) != 0)                                                                        \
            return -1;                                                                                                             \
    } while (0)

/* ---- letter-led words ---- */

/* all letters of v[0, k) are capitals in the text (weak formats accept capitals only) */
static int caps(const char *t, size_t s, size_t e)
{
    for (size_t i = s; i < e; i++)
        if (t[i] >= 'a' && t[i] <= 'z')
            return 0;
    return 1;
}

/* formats that start with a letter, tried at the word start w */
static int letter_led(nat_t *n, size_t w)
{
    const char *t = n->c->text;
    size_t len = n->c->len, e, k;
    char v[32], sep;
    size_t wl = 0;
    while (w + wl < len && pol__is_alnum(U(t[w + wl])))
        wl++;
    /* HK HKID: 1 or 2 capitals, 6 digits and the check character in parentheses ("K528341(8)", session 13) */
    if ((wl == 7 || wl == 8) && w + wl < len && t[w + wl] == '(') {
        e = pol__nat_shape(t, len, w, wl == 7 ? "Udddddd(A)" : "UUdddddd(A)", v, &k, NULL);
        if (e != 0 && pol__nat_standalone(t, len, w, e, 0) && caps(t, w, e) && pol__nat_hkid_ok(v, k)) {
            PUSH(POL_PII_HK_ID, w, e, 0.6, w_hk, 0);
            return 0;
        }
    }
    /* every format is one alnum word of 8-18 bytes, or starts with a 2-letter word ("AB 12 34 56 C", "DE 136 695 976") */
    if (wl < 8 && !(wl == 2 || (wl == 8 && w + wl < len && t[w + wl] == '-')))
        return 0;
    /* UK NINO: AB 12 34 56 C / AB123456C (optional single spaces) */
    static const char *const nino[] = {"LL dd dd dd L", "LL dddddd L", "LLddddddL", "LL ddddddL", "LLdddddd L", NULL};
    for (int i = 0; nino[i]; i++)
        if ((e = pol__nat_wshape(t, len, w, wl, nino[i], v, &k, &sep)) && pol__nat_standalone(t, len, w, e, 0) &&
            pol__nat_nino_ok(v)) {
            PUSH(POL_PII_UK_NINO, w, e, 0.6, w_nino, 0);
            return 0;
        }
    if (wl == 2) {
        /* DE USt-IdNr with separators: DE 136 695 976 */
        static const char *const devat2[] = {"LL ddd ddd ddd", "LL-ddd-ddd-ddd", "LL.ddd.ddd.ddd", NULL};
        for (int i = 0; devat2[i]; i++)
            if ((e = pol__nat_shape(t, len, w, devat2[i], v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) && v[0] == 'D' &&
                v[1] == 'E' && v[2] != '0') {
                PUSH(POL_PII_DE_VAT_ID, w, e, pol__nat_mod11_10(v + 2, 8) == pol__nat_dv(v[10]) ? 0.85 : 0.55, w_de_vat, 0);
                return 0;
            }
        return 0; /* every other format is one word of >= 8 bytes */
    }
    /* ES NIE: X/Y/Z + 7 digits + letter (X=0, Y=1, Z=2, then the DNI rule) */
    static const char *const nie[] = {"LdddddddL", "Lddddddd-L", NULL};
    for (int i = 0; nie[i]; i++)
        if ((e = pol__nat_wshape(t, len, w, wl, nie[i], v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
            strchr("XYZ", v[0])) {
            v[0] = (char)('0' + (v[0] - 'X'));
            if (pol__nat_nif_letter_ok(v, 8, v[8])) {
                PUSH(POL_PII_ES_NIE, w, e, 0.75, w_nie, 0);
                return 0;
            }
        }
    /* IT codice fiscale (16), MX CURP (18), UK driving licence (16). A codice fiscale is written in one case: a
     * mixed-case word of its shape is a generated id (16 random letters and digits pass the shape and check letter
     * about 1 in 470 times, omocodia letters included: SDK tool-call ids were refused as personal data) */
    if ((e = pol__nat_wshape(t, len, w, wl, "LLLLLLAALAALAAAL", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
        one_case(t + w, e - w) && pol__nat_it_fiscal_ok(v)) {
        PUSH(POL_PII_IT_FISCAL_CODE, w, e, 0.9, w_it_cf, 0);
        return 0;
    }
    if ((e = pol__nat_wshape(t, len, w, wl, "UUUUddddddUUUUUUAd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
        pol__nat_curp_ok(v)) {
        PUSH(POL_PII_MX_CURP, w, e, 0.9, w_curp, 0);
        return 0;
    }
    if ((e = pol__nat_wshape(t, len, w, wl, "LAAAAddddddAAdAA", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
        pol__nat_uk_dl_ok(v)) {
        PUSH(POL_PII_UK_DRIVING_LICENCE, w, e, 0.6, w_uk_dl, 0);
        return 0;
    }
    /* DE USt-IdNr: DE + 9 digits (ISO 7064 MOD 11,10 on the first 8) */
    if ((e = pol__nat_wshape(t, len, w, wl, "LLddddddddd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) && v[0] == 'D' &&
        v[1] == 'E' && v[2] != '0') {
        PUSH(POL_PII_DE_VAT_ID, w, e, pol__nat_mod11_10(v + 2, 8) == pol__nat_dv(v[10]) ? 0.85 : 0.55, w_de_vat, 0);
        return 0;
    }
    /* SG NRIC/FIN: [STFGM] + 7 digits + check letter */
    if ((e = pol__nat_wshape(t, len, w, wl, "LdddddddL", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
        strchr("STFGM", v[0])) {
        PUSH(POL_PII_SG_NRIC_FIN, w, e, pol__nat_nric_ok(v) ? 0.85 : 0.5, w_nric, 0);
        return 0;
    }
    /* SG UEN, other entities: T/S/R + 2 digits + entity type + 4 digits + letter */
    if ((e = pol__nat_wshape(t, len, w, wl, "UddUUddddU", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
        pol__nat_uen_other_ok(v)) {
        PUSH(POL_PII_SG_UEN, w, e, 0.6, w_uen, 0);
        return 0;
    }
    /* IN GSTIN starts with digits (digit_led); IN PAN: 3 letters, holder type, letter, 4 digits, letter */
    if ((e = pol__nat_wshape(t, len, w, wl, "UUUUUddddU", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
        strchr("ABCFGHLJPT", v[3])) {
        PUSH(POL_PII_IN_PAN, w, e, 0.55, w_pan, 0);
        return 0;
    }
    /* IN vehicle registration: state + 1-2 digits + 1-3 letters + 4 digits */
    static const char *const inveh[] = {"UUddUUUdddd", "UUddUUdddd", "UUddUdddd", "UUdUUUdddd", "UUdUUdddd", "UUdUdddd", NULL};
    for (int i = 0; inveh[i]; i++)
        if ((e = pol__nat_wshape(t, len, w, wl, inveh[i], v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
            pol__nat_in_state_ok(v)) {
            PUSH(POL_PII_IN_VEHICLE_REGISTRATION, w, e, 0.55, w_vehicle, 0);
            return 0;
        }
    /* IN EPIC (voter id): 3 letters + 7 digits */
    if ((e = pol__nat_wshape(t, len, w, wl, "UUUddddddd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0)) {
        PUSH(POL_PII_IN_VOTER, w, e, 0.45, w_voter, 0);
        return 0;
    }
    /* ES passport: 3 letters + 6 digits (context only) */
    if ((e = pol__nat_wshape(t, len, w, wl, "LLLdddddd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0)) {
        PUSH(POL_PII_ES_PASSPORT, w, e, 0.2, w_es_pass, 0);
        return 0;
    }
    /* IT driving licence: 2 letters + 7 digits + letter; U1 + 7 alnum + letter */
    if ((e = pol__nat_wshape(t, len, w, wl, "LLdddddddL", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0)) {
        PUSH(POL_PII_IT_DRIVER_LICENSE, w, e, 0.5, w_it_dl, 0);
        return 0;
    }
    if ((e = pol__nat_wshape(t, len, w, wl, "LdAAAAAAAL", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) && v[0] == 'U' &&
        v[1] == '1' && strspn(v + 2, "BCDEFGHLMNPRSTUVWXYZ0123456789") >= 7) {
        PUSH(POL_PII_IT_DRIVER_LICENSE, w, e, 0.5, w_it_dl, 0);
        return 0;
    }
    /* 2 letters + 7 digits: DEA number when its check holds, else a passport or identity card by context */
    if ((e = pol__nat_wshape(t, len, w, wl, "LAddddddd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
        pol__nat_dea_ok(v)) {
        PUSH(POL_PII_MEDICAL_LICENSE, w, e, 0.6, w_dea, 0);
        return 0;
    }
    if ((e = pol__nat_wshape(t, len, w, wl, "LLddddddd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0)) {
        size_t from = w > 48 ? w - 48 : 0;
        if (pol__has_word(t, from, w, w_it_pass))
            PUSH(POL_PII_IT_PASSPORT, w, e, 0.25, w_it_pass, 0);
        else if (pol__has_word(t, from, w, w_it_card))
            PUSH(POL_PII_IT_IDENTITY_CARD, w, e, 0.25, w_it_card, 0);
        else
            PUSH(POL_PII_UK_PASSPORT, w, e, 0.25, w_uk_pass, 0);
        return 0;
    }
    /* IT carta d'identità elettronica: 2 letters + 5 digits + 2 letters */
    if ((e = pol__nat_wshape(t, len, w, wl, "UUdddddUU", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0)) {
        PUSH(POL_PII_IT_IDENTITY_CARD, w, e, 0.5, w_it_card, 0);
        return 0;
    }
    /* TW national id: a capital + 9 digits, the check of pol__nat_tw_id_ok. One random shape in 25 passes (the check digit,
     * the gender digit), so only with a context word, as the weak checks: 0.4 + 0.35 (session 11) */
    if ((e = pol__nat_wshape(t, len, w, wl, "Uddddddddd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
        pol__nat_tw_id_ok(v) && near_word(t, len, w, e, w_tw)) {
        PUSH(POL_PII_TW_NATIONAL_ID, w, e, 0.4, w_tw, 0);
        return 0;
    }
    /* DE Krankenversichertennummer: letter + 9 digits */
    if ((e = pol__nat_wshape(t, len, w, wl, "Lddddddddd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
        pol__nat_de_kvnr_ok(v)) {
        PUSH(POL_PII_DE_HEALTH_INSURANCE, w, e, 0.6, w_de_kv, 0);
        return 0;
    }
    /* DE Personalausweis / Reisepass serial: 9 characters of [CFGHJKLMNPRTVWXYZ0-9], ICAO check digit */
    if ((e = pol__nat_wshape(t, len, w, wl, "LAAAAAAAd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0)) {
        int ok = 1;
        for (int i = 0; i < 8 && ok; i++)
            ok = pol__is_digit(U(v[i])) || strchr("CFGHJKLMNPRTVWXYZ", v[i]) != NULL;
        if (ok && pol__nat_icao_ok(v, 9)) {
            PUSH(POL_PII_DE_ID_CARD, w, e, 0.6, w_de_id, 0);
            return 0;
        }
    }
    /* KR passport: M/S/R/O/D/G + 3 digits + letter + 4 digits (2021 format) */
    if ((e = pol__nat_wshape(t, len, w, wl, "LdddLdddd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) &&
        strchr("MSRODG", v[0])) {
        PUSH(POL_PII_KR_PASSPORT, w, e, 0.45, w_kr_pass, 0);
        return 0;
    }
    /* MX RFC: 4 letters (persons) or 3 (companies), YYMMDD, homoclave; capitals only */
    static const char *const rfc[] = {"UUUUddddddAAA", "UUUddddddAAA", NULL};
    for (int i = 0; rfc[i]; i++)
        if ((e = pol__nat_wshape(t, len, w, wl, rfc[i], v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) && caps(t, w, e) &&
            pol__nat_mx_rfc_ok(v, k)) {
            int ck = pol__nat_mx_rfc_check(v, k);
            PUSH(POL_PII_MX_RFC, w, e, k == 13 ? (ck ? 0.85 : 0.45) : (ck ? 0.7 : 0.4), w_mx_rfc, 0);
            return 0;
        }
    /* IN passport: letter + 7 digits (context only) */
    if ((e = pol__nat_wshape(t, len, w, wl, "Uddddddd", v, &k, NULL)) && pol__nat_standalone(t, len, w, e, 0) && v[1] != '0') {
        PUSH(POL_PII_IN_PASSPORT, w, e, 0.25, w_in_pass, 0);
        return 0;
    }
    return 0;
}

/* ---- digit-led formats with letters, MAC addresses ---- */

static int mac_bytes_ok(const char *v)
{
    int zero = 1, ff = 1;
    for (int i = 0; i < 12; i++)
        zero &= v[i] == '0', ff &= v[i] == 'F';
    return !zero && !ff;
}

/* MAC address at s (IEEE 802 EUI-48 in its three written forms). The dotted (Cisco) form made of
 * digits only needs a context word: six colon pairs are a layout no number uses, so the colon
 * and hyphen forms stand on their shape even without a hex letter (as in Presidio), but 4-4-4
 * digits is how 12-digit numbers are grouped (Aadhaar, My Number, accounts), so such a dotted
 * value is left to the number rules unless a MAC word is near. A dotted value glued to a
 * fourth dotted group ("001b.2c3d.4e5f.0a1b") is none. @return 1 if pushed, 0, -1 on allocation failure */
static int mac_at(nat_t *n, size_t s)
{
    const char *t = n->c->text;
    size_t len = n->c->len, e, k;
    char v[32];
    static const char *const mac[] = {"HH:HH:HH:HH:HH:HH", "HH-HH-HH-HH-HH-HH", "HHHH.HHHH.HHHH", NULL};
    if (!pol__nat_mac_maybe(t, len, s))
        return 0;
    for (int i = 0; mac[i]; i++)
        if ((e = pol__nat_shape(t, len, s, mac[i], v, &k, NULL)) && pol__nat_standalone(t, len, s, e, 0) &&
            (e >= len || (t[e] != ':' && t[e] != '-')) && mac_bytes_ok(v)) {
            if (i == 2) {
                if ((e + 1 < len && t[e] == '.' && pol__is_alnum(U(t[e + 1]))) ||
                    (s > 1 && t[s - 1] == '.' && pol__is_alnum(U(t[s - 2]))))
                    return 0;
                if (strspn(v, "0123456789") == 12 && !pol__has_word(t, s > 48 ? s - 48 : 0, s, w_mac) &&
                    !pol__has_word(t, e, e + 24 < len ? e + 24 : len, w_mac))
                    return 0;
            }
            PUSH(POL_PII_MAC_ADDRESS, s, e, i == 2 && strspn(v, "0123456789") == 12 ? 0.25 : 0.6, w_mac, 0);
            return 1;
        }
    return 0;
}

static int digit_led_alpha(nat_t *n, size_t s)
{
    const char *t = n->c->text;
    size_t len = n->c->len, e, k;
    char v[32];
    int r;
    size_t run = 0;
    while (s + run < len && pol__is_digit(U(t[s + run])))
        run++;
    unsigned char nx = s + run < len ? U(t[s + run]) : 0;
    if (run <= 4 && (r = mac_at(n, s)) != 0)
        return r < 0 ? -1 : 0;
    /* every format below has a letter (or '-', '+') right after a digit run of a known length */
    if (!pol__is_alpha(nx) && !(nx == '-' && (run == 6 || run == 7 || run == 8)) && !(nx == '+' && run == 6) && run != 17 &&
        run != 18)
        return 0;
    /* LK NIC, the old card: 9 digits and V or X (session 13) */
    if (run == 9 && (nx == 'V' || nx == 'X') && (e = pol__nat_shape(t, len, s, "dddddddddL", v, &k, NULL)) &&
        pol__nat_standalone(t, len, s, e, 0) && pol__nat_lk_nic_ok(v, 9)) {
        PUSH(POL_PII_LK_NIC, s, e, 0.5, w_lk, 0);
        return 0;
    }
    /* FI henkilötunnus: DDMMYY C NNN X */
    if (run == 6 && (e = pol__nat_shape(t, len, s, "ddddddCdddA", v, &k, NULL)) && pol__nat_standalone(t, len, s, e, 0) &&
        caps(t, s, e) && pol__nat_hetu_ok(v)) {
        PUSH(POL_PII_FI_PERSONAL_IDENTITY_CODE, s, e, 0.85, w_hetu, 0);
        return 0;
    }
    /* IN GSTIN */
    if (run == 2 && (e = pol__nat_shape(t, len, s, "ddUUUUUddddUAUA", v, &k, NULL)) && pol__nat_standalone(t, len, s, e, 0) &&
        pol__nat_num2(v) >= 1 && pol__nat_num2(v) <= 38 && v[13] == 'Z') {
        PUSH(POL_PII_IN_GSTIN, s, e, pol__nat_gstin_ok(v) ? 0.85 : 0.6, w_gstin, 0);
        return 0;
    }
    /* DE Rentenversicherungsnummer: 12 characters, the 9th a letter */
    if (run == 8 && (e = pol__nat_shape(t, len, s, "ddddddddLddd", v, &k, NULL)) && pol__nat_standalone(t, len, s, e, 0) &&
        pol__nat_de_rvnr_ok(v)) {
        PUSH(POL_PII_DE_SOCIAL_SECURITY, s, e, 0.75, w_de_rv, 0);
        return 0;
    }
    /* CN resident identity card: 17 digits + digit or X (ten in eleven end in a digit: an all-digit run of 18) */
    if ((run == 17 || run == 18) && (e = pol__nat_shape(t, len, s, "dddddddddddddddddK", v, &k, NULL)) &&
        pol__nat_standalone(t, len, s, e, 0) && pol__nat_cn_id_ok(v)) {
        PUSH(POL_PII_CN_RESIDENT_ID, s, e, 0.9, w_cn, 0);
        return 0;
    }
    /* US MBI: 1EG4-TE5-MK73 / 1EG4TE5MK73 */
    if (run == 1 && s + 4 < len && t[s + 4] == '-' && (e = pol__nat_shape(t, len, s, "AAAA-AAA-AAAA", v, &k, NULL)) &&
        pol__nat_standalone(t, len, s, e, 0) && pol__nat_mbi_ok(v)) {
        PUSH(POL_PII_US_MBI, s, e, 0.6, w_mbi, 0);
        return 0;
    }
    if (run == 1 && s + 11 <= len && pol__is_alnum(U(t[s + 10])) && (e = pol__nat_shape(t, len, s, "AAAAAAAAAAA", v, &k, NULL)) &&
        pol__nat_standalone(t, len, s, e, 0) && pol__nat_mbi_ok(v)) {
        PUSH(POL_PII_US_MBI, s, e, 0.5, w_mbi, 0);
        return 0;
    }
    /* ES DNI/NIF: 7-8 digits, optional '-', check letter */
    static const char *const nif[] = {"ddddddddL", "dddddddd-L", "dddddddL", "ddddddd-L", NULL};
    for (int i = 0; nif[i]; i++)
        if ((run == 7 || run == 8) && (e = pol__nat_shape(t, len, s, nif[i], v, &k, NULL)) &&
            pol__nat_standalone(t, len, s, e, 0) && pol__nat_nif_letter_ok(v, k - 1, v[k - 1])) {
            PUSH(POL_PII_ES_NIF, s, e, 0.6, w_nif, 0);
            return 0;
        }
    /* SG UEN: 8 digits + letter (businesses), 9 digits + letter (local companies) */
    if (run == 8 && (e = pol__nat_shape(t, len, s, "ddddddddU", v, &k, NULL)) && pol__nat_standalone(t, len, s, e, 0) &&
        pol__nat_uen_ok(v, 9)) {
        PUSH(POL_PII_SG_UEN, s, e, 0.6, w_uen, 0);
        return 0;
    }
    if (run == 9 && (e = pol__nat_shape(t, len, s, "dddddddddU", v, &k, NULL)) && pol__nat_standalone(t, len, s, e, 0) &&
        pol__nat_uen_ok(v, 10)) {
        PUSH(POL_PII_SG_UEN, s, e, 0.6, w_uen, 0);
        return 0;
    }
    return 0;
}

/* ---- numbers ---- */

typedef struct {
    const char *shape;
    int kind;     /* what to validate */
    double score; /* bare score of this layout */
    size_t ndig;  /* digits in the shape */
    int ctx;      /* 1: tried only with a context word of the type near (identifiers without a check: the candidate would
                     otherwise take the number from the account rule below, and alone it is never reported) */
} numfmt_t;

enum {
    N_TCKN = 1,
    N_PESEL,
    N_IT_VAT,
    N_DE_TAX,
    N_NO,
    N_BE,
    N_CPF,
    N_ABN,
    N_NIR,
    N_CNPJ,
    N_ZA,
    N_KR,
    N_TH,
    N_MYNUM,
    N_AADHAAR,
    N_SE12,
    N_SE10,
    N_SE_ORG,
    N_CPR,
    N_NPI,
    N_MEDICARE,
    N_KR_BRN,
    N_SIN,
    N_TFN,
    N_ACN,
    N_BSN,
    N_ABA,
    N_ITIN,
    N_BANK,
    N_DE_STNR,
    N_RU_INN,
    N_RU_SNILS,
    N_RU_PASS,
    N_IL,
    N_CZ,
    N_CL,
    N_AR_CUIT,
    N_AR_DNI,
    N_PK,
    N_ID_NIK,
    N_VN,
    N_SA,
    N_AE,
    N_EG,
    N_NG,
    N_CO,
    N_MY,
    N_IR,
    N_PH,
    N_BD,
    N_KZ,
    N_EE,
    N_BG,
    N_HR,
    N_RO,
    N_GR,
    N_CH,
    N_HU_TAJ,
    N_UA,
    N_PL_NIP,
    N_LK,
    N_IS,
    N_LV,
    N_JMBG,
    N_AT
};

/* layouts by the length of their first digit run, most specific first; the bare scores follow the rule in the file comment */
static const numfmt_t numfmts_1[] = {
    {"d dd dd dd ddd ddd dd", N_NIR, 0.85, 15, 0},
    {"d-dddd-ddddd-dd-d", N_TH, 0.7, 13, 0},
    {"d.ddd.ddd-V", N_CL, 0.85, 8, 0},
    {"d.ddd.ddd.ddd", N_CO, 0.2, 10, 1},
    {"d.ddd.ddd", N_AR_DNI, 0.2, 7, 1},
    {"d.ddd.ddd", N_CO, 0.2, 7, 1},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_2[] = {
    {"dd.ddd.ddd/dddd-dd", N_CNPJ, 0.85, 14, 0},
    {"dd.dd.dd-ddd.dd", N_BE, 0.85, 11, 0},
    {"dd ddd ddd ddd", N_ABN, 0.7, 11, 0},
    {"dd ddd ddd ddd", N_DE_TAX, 0.6, 11, 0},
    {"dd/dddd/dddd", N_DE_STNR, 0.5, 10, 0},
    {"dd/ddd/ddddd", N_DE_STNR, 0.5, 10, 0},
    {"dd/ddd/dddd", N_DE_STNR, 0.5, 9, 0},
    {"dd.ddd.ddd-V", N_CL, 0.85, 9, 0},
    {"dd-dddddddd-d", N_AR_CUIT, 0.7, 11, 0},
    {"dd.ddd.ddd", N_AR_DNI, 0.2, 8, 1},
    {"dd.ddd.ddd", N_CO, 0.2, 8, 1},
    {"dd dd dddddd", N_RU_PASS, 0.2, 10, 1},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_3[] = {
    {"ddd.ddd.ddd-dd", N_CPF, 0.85, 11, 0},
    {"ddd-dd-ddddd", N_KR_BRN, 0.6, 10, 0},
    {"ddd/ddd/ddddd", N_DE_STNR, 0.5, 11, 0},
    {"ddd/dddd/dddd", N_DE_STNR, 0.5, 11, 0},
    {"ddd-dd-dddd", N_ITIN, 0.65, 9, 0},
    {"ddd_ddd_ddd", N_SIN, 0.6, 9, 0},
    {"ddd_ddd_ddd", N_TFN, 0.55, 9, 0},
    {"ddd_ddd_ddd", N_ACN, 0.55, 9, 0},
    {"ddd-ddd-ddd dd", N_RU_SNILS, 0.75, 11, 0},
    {"ddd-ddd-ddd-dd", N_RU_SNILS, 0.75, 11, 0},
    {"ddd ddd ddd dd", N_RU_SNILS, 0.45, 11, 0},
    {"ddd-dddd-ddddddd-d", N_AE, 0.85, 15, 0},
    {"ddd.dddd.dddd.dd", N_CH, 0.85, 13, 0},
    {"ddd-ddd-ddd-ddd", N_PH, 0.55, 12, 0},
    {"ddd-ddd-ddd", N_PH, 0.4, 9, 0},
    /* session 13: PL NIP as the tax office prints it (3-3-2-2, or 3-2-2-3 for companies), HU TAJ in its 3-3-3 groups
       (only with its word: a grouped phone number has the same shape) */
    {"ddd-ddd-dd-dd", N_PL_NIP, 0.6, 10, 0},
    {"ddd-dd-dd-ddd", N_PL_NIP, 0.6, 10, 0},
    {"ddd ddd ddd", N_HU_TAJ, 0.3, 9, 1},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_4[] = {
    {"dddd_dddd_dddd", N_AADHAAR, 0.6, 12, 0},
    {"dddd:dddd:dddd", N_AADHAAR, 0.6, 12, 0},
    {"dddd.dddd.dddd", N_AADHAAR, 0.4, 12, 0}, /* dots: also a Cisco MAC shape, so the Verhoeff digit alone is weak */
    {"dddd_dddd_dddd", N_MYNUM, 0.5, 12, 0},
    {"dddd ddddd d", N_MEDICARE, 0.6, 10, 0},
    {"dddd_ddd_ddd", N_NPI, 0.5, 10, 0},
    {"dddd-dddd-d", N_ABA, 0.55, 9, 0},
    {"dddd dddddd", N_RU_PASS, 0.2, 10, 1},
    {"dddd dddddd", N_AT, 0.4, 10, 0},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_5[] = {
    {"ddddd-ddddddd-d", N_PK, 0.6, 13, 0},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_6[] = {
    {"dddddd-ddddddd", N_KR, 0.6, 13, 0},
    {"dddddd dddd ddd", N_ZA, 0.6, 13, 0},
    {"dddddd ddddd", N_NO, 0.6, 11, 0},
    {"dddddd-dddd", N_SE10, 0.6, 10, 0},
    {"dddddd+dddd", N_SE10, 0.6, 10, 0},
    {"dddddd-dddd", N_SE_ORG, 0.55, 10, 0},
    {"dddddd-dddd", N_CPR, 0.4, 10, 0},
    {"dddddd/dddd", N_CZ, 0.6, 10, 0},
    {"dddddd-dd-dddd", N_MY, 0.6, 12, 0},
    /* session 14: IS kennitala, LV personas kods in their hyphenated layouts */
    {"dddddd-dddd", N_IS, 0.55, 10, 0},
    {"dddddd-ddddd", N_LV, 0.6, 11, 0},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_7[] = {
    {"ddddddd-V", N_CL, 0.45, 8, 0},
    {"ddddddd", N_AR_DNI, 0.2, 7, 1},
    {"ddddddd", N_CO, 0.2, 7, 1},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_8[] = {
    {"dddddddd-dddd", N_SE12, 0.7, 12, 0},
    {"dddddddd-V", N_CL, 0.45, 9, 0},
    {"dddddddd", N_AR_DNI, 0.2, 8, 1},
    {"dddddddd", N_CO, 0.2, 8, 1},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_9[] = {
    {"ddddddddd", N_ITIN, 0.4, 9, 0},   {"ddddddddd", N_SIN, 0.3, 9, 0},
    {"ddddddddd", N_TFN, 0.4, 9, 0},    {"ddddddddd", N_ACN, 0.4, 9, 0},
    {"ddddddddd", N_BSN, 0.4, 9, 0},    {"ddddddddd", N_ABA, 0.4, 9, 0},
    {"ddddddddd", N_IL, 0.3, 9, 0},     {"ddddddddd", N_PH, 0.3, 9, 0},
    {"ddddddddd", N_HU_TAJ, 0.3, 9, 1}, {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_10[] = {
    {"dddddddddd", N_SE10, 0.4, 10, 0},
    {"dddddddddd", N_SE_ORG, 0.4, 10, 0},
    {"dddddddddd", N_NPI, 0.4, 10, 0},
    {"dddddddddd", N_MEDICARE, 0.4, 10, 0},
    {"dddddddddd", N_KR_BRN, 0.4, 10, 0},
    {"dddddddddd", N_CPR, 0.3, 10, 0},
    {"dddddddddd", N_RU_INN, 0.3, 10, 0},
    {"dddddddddd", N_SA, 0.35, 10, 0},
    {"dddddddddd", N_CZ, 0.35, 10, 0},
    {"dddddddddd", N_RU_PASS, 0.2, 10, 1},
    {"dddddddddd", N_CO, 0.2, 10, 1},
    {"dddddddddd", N_IR, 0.3, 10, 0},
    {"dddddddddd", N_BD, 0.2, 10, 1},
    {"dddddddddd", N_BG, 0.4, 10, 0},
    {"dddddddddd", N_UA, 0.3, 10, 1},
    {"dddddddddd", N_PL_NIP, 0.3, 10, 1},
    {"dddddddddd", N_IS, 0.3, 10, 0},
    {"dddddddddd", N_AT, 0.3, 10, 0},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_11[] = {
    {"ddddddddddd", N_TCKN, 0.55, 11, 0},    {"ddddddddddd", N_ABN, 0.5, 11, 0},
    {"ddddddddddd", N_DE_TAX, 0.5, 11, 0},   {"ddddddddddd", N_NO, 0.5, 11, 0},
    {"ddddddddddd", N_BE, 0.5, 11, 0},       {"ddddddddddd", N_CPF, 0.45, 11, 0},
    {"ddddddddddd", N_PESEL, 0.45, 11, 0},   {"ddddddddddd", N_IT_VAT, 0.4, 11, 0},
    {"ddddddddddd", N_RU_SNILS, 0.4, 11, 0}, {"ddddddddddd", N_AR_CUIT, 0.4, 11, 0},
    {"ddddddddddd", N_NG, 0.2, 11, 1},       {"ddddddddddd", N_EE, 0.45, 11, 0},
    {"ddddddddddd", N_HR, 0.3, 11, 0},       {"ddddddddddd", N_GR, 0.35, 11, 0},
    {"ddddddddddd", N_LV, 0.35, 11, 0},      {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_12[] = {
    {"dddddddddddd", N_SE12, 0.45, 12, 0}, {"dddddddddddd", N_AADHAAR, 0.45, 12, 0},
    {"dddddddddddd", N_MYNUM, 0.4, 12, 0}, {"dddddddddddd", N_RU_INN, 0.45, 12, 0},
    {"dddddddddddd", N_VN, 0.3, 12, 0},    {"dddddddddddd", N_MY, 0.3, 12, 0},
    {"dddddddddddd", N_PH, 0.3, 12, 0},    {"dddddddddddd", N_KZ, 0.45, 12, 0},
    {"dddddddddddd", N_LK, 0.3, 12, 1},    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_13[] = {
    {"ddddddddddddd", N_ZA, 0.6, 13, 0},   {"ddddddddddddd", N_KR, 0.4, 13, 0},
    {"ddddddddddddd", N_TH, 0.5, 13, 0},   {"ddddddddddddd", N_PK, 0.2, 13, 1},
    {"ddddddddddddd", N_BD, 0.2, 13, 1},   {"ddddddddddddd", N_RO, 0.5, 13, 0},
    {"ddddddddddddd", N_CH, 0.5, 13, 0},   {"ddddddddddddd dd", N_NIR, 0.7, 15, 0},
    {"ddddddddddddd", N_JMBG, 0.5, 13, 0}, {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_14[] = {
    {"dddddddddddddd", N_CNPJ, 0.5, 14, 0},
    {"dddddddddddddd", N_EG, 0.45, 14, 0},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_15[] = {
    {"ddddddddddddddd", N_NIR, 0.7, 15, 0},
    {"ddddddddddddddd", N_AE, 0.6, 15, 0},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_16[] = {
    {"dddddddddddddddd", N_ID_NIK, 0.4, 16, 0},
    {NULL, 0, 0, 0, 0},
};
static const numfmt_t numfmts_17[] = {
    {"ddddddddddddddddd", N_BD, 0.2, 17, 1},
    {NULL, 0, 0, 0, 0},
};

/* the layouts whose first digit run is `run` digits long */
static const numfmt_t *numfmts_for(size_t run)
{
    switch (run) {
    case 1:
        return numfmts_1;
    case 2:
        return numfmts_2;
    case 3:
        return numfmts_3;
    case 4:
        return numfmts_4;
    case 5:
        return numfmts_5;
    case 6:
        return numfmts_6;
    case 7:
        return numfmts_7;
    case 8:
        return numfmts_8;
    case 9:
        return numfmts_9;
    case 10:
        return numfmts_10;
    case 11:
        return numfmts_11;
    case 12:
        return numfmts_12;
    case 13:
        return numfmts_13;
    case 14:
        return numfmts_14;
    case 15:
        return numfmts_15;
    case 16:
        return numfmts_16;
    case 17:
        return numfmts_17;
    default:
        return NULL;
    }
}

/* validates the n characters d (digits, a RUT's K) as `kind`; *type receives the entity type, *sc may be lowered */
static int num_ok(int kind, const char *d, size_t n, int *type, double *sc, const char *const **words)
{
    int ck = 0;
    switch (kind) {
    case N_TCKN:
        *type = POL_PII_TR_TCKN, *words = w_tckn;
        return pol__nat_tckn_ok(d);
    case N_PESEL:
        *type = POL_PII_PL_PESEL, *words = w_pesel;
        return pol__nat_pesel_ok(d);
    case N_IT_VAT:
        *type = POL_PII_IT_VAT_CODE, *words = w_it_vat;
        return pol__nat_it_vat_ok(d);
    case N_DE_TAX:
        *type = POL_PII_DE_TAX_ID, *words = w_de_tax;
        return pol__nat_de_taxid_ok(d);
    case N_NO:
        *type = POL_PII_NO_FODSELSNUMMER, *words = w_no;
        return pol__nat_no_fnr_ok(d);
    case N_BE:
        *type = POL_PII_BE_NATIONAL_NUMBER, *words = w_be;
        return pol__nat_be_nn_ok(d);
    case N_CPF:
        *type = POL_PII_BR_CPF, *words = w_cpf;
        return pol__nat_cpf_ok(d);
    case N_ABN:
        *type = POL_PII_AU_ABN, *words = w_abn;
        return pol__nat_abn_ok(d);
    case N_NIR:
        *type = POL_PII_FR_NIR, *words = w_nir;
        return pol__nat_nir_ok(d);
    case N_CNPJ:
        *type = POL_PII_BR_CNPJ, *words = w_cnpj;
        return pol__nat_cnpj_ok(d);
    case N_ZA:
        *type = POL_PII_ZA_ID, *words = w_za;
        return pol__nat_za_ok(d);
    case N_KR: {
        int t = pol__nat_kr_kind(d, &ck);
        if (t < 0)
            return 0;
        *type = t, *words = w_kr;
        if (ck)
            *sc = 0.85;
        return 1;
    }
    case N_TH:
        *type = POL_PII_TH_TNIN, *words = w_th;
        /* a bare 16.. - 19.. is more likely a millisecond timestamp (2020-2033) */
        if (*sc < 0.6 && d[0] == '1' && d[1] >= '6')
            *sc = 0.3;
        return pol__nat_th_ok(d);
    case N_MYNUM:
        *type = POL_PII_JP_MY_NUMBER, *words = w_jp;
        return pol__nat_my_number_ok(d);
    case N_AADHAAR:
        *type = POL_PII_IN_AADHAAR, *words = w_aadhaar;
        return d[0] >= '2' && pol__nat_verhoeff(d, 12);
    case N_SE12:
        *type = POL_PII_SE_PERSONNUMMER, *words = w_se;
        return (pol__nat_num2(d) == 18 || pol__nat_num2(d) == 19 || pol__nat_num2(d) == 20) &&
               pol__nat_se_pnr_ok(d + 2, pol__nat_num2(d) * 100);
    case N_SE10:
        *type = POL_PII_SE_PERSONNUMMER, *words = w_se;
        return pol__nat_se_pnr_ok(d, -1);
    case N_SE_ORG:
        *type = POL_PII_SE_ORGANISATIONSNUMMER, *words = w_se_org;
        return d[2] >= '2' && pol__nat_luhn(d, 10);
    case N_CPR:
        *type = POL_PII_DK_CPR, *words = w_cpr;
        if (!pol__nat_cpr_date_ok(d))
            return 0;
        if (pol__nat_cpr_mod11(d))
            *sc += 0.1;
        return 1;
    case N_NPI:
        *type = POL_PII_US_NPI, *words = w_npi;
        return pol__nat_npi_ok(d);
    case N_MEDICARE:
        *type = POL_PII_AU_MEDICARE, *words = w_medicare;
        return pol__nat_medicare_ok(d);
    case N_KR_BRN:
        *type = POL_PII_KR_BRN, *words = w_kr_brn;
        return pol__nat_kr_brn_ok(d);
    case N_SIN:
        *type = POL_PII_CA_SIN, *words = w_sin;
        return d[0] != '0' && d[0] != '8' && pol__nat_luhn(d, 9) && !pol__nat_all_same(d, 9);
    case N_TFN:
        *type = POL_PII_AU_TFN, *words = w_tfn;
        return pol__nat_tfn_ok(d);
    case N_ACN:
        *type = POL_PII_AU_ACN, *words = w_acn;
        return pol__nat_acn_ok(d) && !pol__nat_all_same(d, 9);
    case N_BSN:
        *type = POL_PII_NL_BSN, *words = w_bsn;
        return pol__nat_bsn_ok(d);
    case N_ABA:
        *type = POL_PII_ABA_ROUTING_NUMBER, *words = w_aba;
        return pol__nat_aba_ok(d);
    case N_ITIN:
        *type = POL_PII_US_ITIN, *words = w_itin;
        return pol__nat_itin_ok(d);
    case N_DE_STNR:
        *type = POL_PII_DE_TAX_NUMBER, *words = w_de_stnr;
        return 1;
    case N_RU_INN:
        *type = POL_PII_RU_INN, *words = w_ru_inn;
        return pol__nat_ru_inn_ok(d, n);
    case N_RU_SNILS:
        *type = POL_PII_RU_SNILS, *words = w_ru_snils;
        return pol__nat_ru_snils_ok(d);
    case N_RU_PASS:
        /* series: the region (OKATO, 01-99) and the year of the blank; number from 000101 */
        *type = POL_PII_RU_PASSPORT, *words = w_ru_pass;
        return pol__nat_num2(d) != 0 && !pol__nat_all_same(d, 10);
    case N_IL:
        *type = POL_PII_IL_ID_NUMBER, *words = w_il;
        return pol__nat_luhn(d, 9) && !pol__nat_all_same(d, 9);
    case N_CZ:
        *type = POL_PII_CZ_BIRTH_NUMBER, *words = w_cz;
        return pol__nat_cz_rc_ok(d);
    case N_CL:
        *type = POL_PII_CL_RUT, *words = w_cl;
        return pol__nat_cl_rut_ok(d, n - 1);
    case N_AR_CUIT:
        *type = POL_PII_AR_CUIT, *words = w_ar_cuit;
        return pol__nat_ar_cuit_ok(d);
    case N_AR_DNI:
        *type = POL_PII_AR_DNI, *words = w_ar_dni;
        return d[0] != '0' && !pol__nat_all_same(d, n);
    case N_PK:
        *type = POL_PII_PK_CNIC, *words = w_pk;
        return pol__nat_pk_cnic_ok(d);
    case N_ID_NIK:
        *type = POL_PII_ID_NIK, *words = w_id_nik;
        return pol__nat_id_nik_ok(d);
    case N_VN:
        *type = POL_PII_VN_CCCD, *words = w_vn;
        return pol__nat_vn_cccd_ok(d);
    case N_SA:
        *type = POL_PII_SA_NATIONAL_ID, *words = w_sa;
        return pol__nat_sa_id_ok(d);
    case N_AE:
        *type = POL_PII_AE_EMIRATES_ID, *words = w_ae;
        return pol__nat_ae_eid_ok(d);
    case N_EG:
        *type = POL_PII_EG_NATIONAL_ID, *words = w_eg;
        return pol__nat_eg_nid_ok(d);
    case N_NG:
        *type = POL_PII_NG_NIN, *words = w_ng;
        return d[0] != '0' && !pol__nat_all_same(d, n);
    case N_CO:
        *type = POL_PII_CO_CEDULA, *words = w_co;
        return d[0] != '0' && !pol__nat_all_same(d, n);
    case N_MY:
        *type = POL_PII_MY_NRIC, *words = w_my;
        return pol__nat_my_nric_ok(d);
    case N_IR:
        *type = POL_PII_IR_NATIONAL_ID, *words = w_ir;
        return pol__nat_ir_code_ok(d);
    case N_PH:
        *type = POL_PII_PH_TIN, *words = w_ph;
        return pol__nat_ph_tin_ok(d);
    case N_BD:
        *type = POL_PII_BD_NID, *words = w_bd;
        return !pol__nat_all_same(d, n);
    case N_KZ:
        *type = POL_PII_KZ_IIN, *words = w_kz;
        return pol__nat_kz_iin_ok(d);
    case N_EE:
        *type = POL_PII_EE_PERSONAL_CODE, *words = w_ee;
        return pol__nat_ee_ik_ok(d);
    case N_BG:
        *type = POL_PII_BG_EGN, *words = w_bg;
        return pol__nat_bg_egn_ok(d);
    case N_HR:
        *type = POL_PII_HR_OIB, *words = w_hr;
        return pol__nat_hr_oib_ok(d);
    case N_RO:
        *type = POL_PII_RO_CNP, *words = w_ro;
        return pol__nat_ro_cnp_ok(d);
    case N_GR:
        *type = POL_PII_GR_AMKA, *words = w_gr;
        return pol__nat_gr_amka_ok(d);
    case N_CH:
        *type = POL_PII_CH_AHV, *words = w_ch;
        return pol__nat_ch_ahv_ok(d);
    case N_HU_TAJ:
        *type = POL_PII_HU_TAJ, *words = w_taj;
        return pol__nat_hu_taj_ok(d);
    case N_UA:
        *type = POL_PII_UA_RNOKPP, *words = w_ua;
        return pol__nat_ua_rnokpp_ok(d);
    case N_PL_NIP:
        *type = POL_PII_PL_NIP, *words = w_pl_nip;
        return pol__nat_pl_nip_ok(d);
    case N_LK:
        *type = POL_PII_LK_NIC, *words = w_lk;
        return pol__nat_lk_nic_ok(d, n);
    case N_IS:
        *type = POL_PII_IS_KENNITALA, *words = w_is;
        return pol__nat_is_kt_ok(d);
    case N_LV:
        *type = POL_PII_LV_PERSONAL_CODE, *words = w_lv;
        return pol__nat_lv_pk_ok(d);
    case N_JMBG:
        *type = POL_PII_RS_JMBG, *words = w_jmbg;
        return pol__nat_jmbg_ok(d);
    case N_AT:
        *type = POL_PII_AT_SVNR, *words = w_at;
        return pol__nat_at_svnr_ok(d);
    default:
        return 0;
    }
}

/* the numbers of the cluster from s on (a space-separated list yields one entity per number);
 * every layout that validates is pushed, overlap resolution keeps the best */
static int numbers_at(nat_t *n, size_t s, size_t nd)
{
    const char *t = n->c->text;
    size_t len = n->c->len;
    for (int round = 0; round < 16 && s < len && pol__is_digit(U(t[s])); round++) {
        size_t best_e = 0, k;
        char v[32], sep;
        size_t run = 0;
        while (s + run < len && pol__is_digit(U(t[s + run])))
            run++;
        const numfmt_t *f = numfmts_for(run);
        for (; f != NULL && f->shape != NULL; f++) {
            if (f->ndig > nd + (strchr(f->shape, 'V') != NULL)) /* a RUT's check character may be a K */
                continue;
            size_t e = pol__nat_shape(t, len, s, f->shape, v, &k, &sep);
            /* a layout with optional separators ('_') counts as grouped only when they are there */
            if (e != 0 && sep == 0 && strchr(f->shape, '_') != NULL)
                continue;
            if (e == 0 || k != f->ndig || !pol__nat_standalone(t, len, s, e, sep != 0 ? sep : (strchr(f->shape, ' ') ? ' ' : 0)))
                continue;
            int type = -1;
            double sc = f->score;
            const char *const *words = NULL;
            if (!num_ok(f->kind, v, k, &type, &sc, &words))
                continue;
            if (f->ctx && !near_word(t, len, s, e, words))
                continue;
            /* "686 357 308": a Spanish or French phone number grouped 3-3-3 scores more than these (0.5) */
            if (sep == ' ' && v[0] >= '6' && (f->kind == N_SIN || f->kind == N_TFN || f->kind == N_ACN))
                sc = 0.45;
            PUSH(type, s, e, sc, words, 1);
            if (e > best_e)
                best_e = e;
        }
        /* bank account: 8-20 digits (US 8-17, a Russian account 20), only after an account word; also when a weak identifier format
         * validated the same digits (session 11: "Kontonummer ist 1532013000" passed one bare below the threshold and no account
         * was reported) */
        if (round == 0) {
            size_t e = s, nbd = 0;
            while (e < len && pol__is_digit(U(t[e])) && e - s <= 20)
                e++, nbd++;
            /* a number grouped by hyphens as banks print it ("110-234-567890", Korea; session 11): 2-4 groups, 10-20 digits */
            size_t eg = e, ng = nbd;
            for (int g = 0; g < 3 && eg + 1 < len && t[eg] == '-' && pol__is_digit(U(t[eg + 1])); g++) {
                eg++;
                while (eg < len && pol__is_digit(U(t[eg])) && ng <= 20)
                    eg++, ng++;
            }
            if (eg > e && ng >= 10 && ng <= 20)
                e = eg, nbd = ng;
            size_t from = s > 40 ? s - 40 : 0;
            if (nbd >= 8 && nbd <= 20 && pol__nat_standalone(t, len, s, e, 0) && pol__has_word(t, from, s, w_bank))
                PUSH(POL_PII_US_BANK_NUMBER, s, e, 0.8, NULL, 0); /* the label is explicit: over a bare phone shape */
        }
        /* the next number of a space-separated list of identifiers */
        if (best_e == 0 || !(best_e + 1 < len && t[best_e] == ' ' && pol__is_digit(U(t[best_e + 1]))))
            break;
        s = best_e + 1;
    }
    return 0;
}

/* ---- entry points ---- */

int pol__national_digits(pol__scanctx_t *c, size_t cs, size_t nd)
{
    const char *t = c->text;
    size_t len = c->len;
    nat_t n = {c, 0};
    if (nd < 7 && !pol__national_maybe(t, len, cs))
        return 0;
    unsigned char p1 = cs > 0 ? U(t[cs - 1]) : 0;
    /* a dotted MAC address led by hex letters ("aabb.cc00.0100"); one led by a digit is tried in digit_led_alpha */
    size_t ms = pol__nat_mac_dotted_from(t, len, cs);
    if (ms != POL__NAT_NONE && ms < cs) {
        int r = mac_at(&n, ms);
        if (r != 0)
            return r < 0 ? -1 : 0;
    }
    if (pol__is_alpha(p1)) {
        /* a letter-led word whose first digit run starts here */
        size_t w = cs;
        while (w > 0 && cs - w < 8 && pol__is_alpha(U(t[w - 1])))
            w--;
        if (w == 0 || !pol__is_alnum(U(t[w - 1])))
            return letter_led(&n, w);
        return 0;
    }
    size_t run = 0;
    while (cs + run < len && run < 7 && pol__is_digit(U(t[cs + run])))
        run++;
    /* "AB 12 34 56 C", "AB 123456C", "DE 136 695 976" */
    if (p1 == ' ' && cs >= 3 && pol__is_alpha(U(t[cs - 2])) && pol__is_alpha(U(t[cs - 3])) &&
        (cs == 3 || !pol__is_alnum(U(t[cs - 4]))) &&
        (run == 2 || run == 6 || (run == 3 && pol__nat_upper(U(t[cs - 3])) == 'D' && pol__nat_upper(U(t[cs - 2])) == 'E'))) {
        if (letter_led(&n, cs - 3) != 0)
            return -1;
        if (n.pushed)
            return 0;
    }
    if (digit_led_alpha(&n, cs) != 0)
        return -1;
    /* RU passport: series, a label and the number ("серия 4510 номер 123456"), only with a passport word */
    size_t pe;
    if (!n.pushed && run == 4 && (pe = pol__nat_ru_pass_number(t, len, cs + 4)) != 0 && pol__nat_num2(t + cs) != 0 &&
        pol__nat_standalone(t, len, cs, cs + 4, 0) && near_word(t, len, cs, pe, w_ru_pass))
        return push(&n, POL_PII_RU_PASSPORT, cs, pe, 0.2, w_ru_pass, 0);
    if (n.pushed || nd < 7)
        return 0;
    return numbers_at(&n, cs, nd);
}

int pol__national_colon(pol__scanctx_t *c, size_t i)
{
    const char *t = c->text;
    nat_t n = {c, 0};
    if (i < 2 || !pol__is_hex(U(t[i - 1])) || !pol__is_hex(U(t[i - 2])) ||
        (i > 2 && (pol__is_alnum(U(t[i - 3])) || t[i - 3] == ':')))
        return 0;
    /* MACs that start with a digit are tried from the digit event (pol__national_maybe) */
    if (pol__is_digit(U(t[i - 2])))
        return 0;
    return mac_at(&n, i - 2) < 0 ? -1 : 0;
}
