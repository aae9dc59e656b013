#!/usr/bin/env python3
"""Writes tests/data/pii/probe11.jsonl: the session-11 blind probe, a third holdout for
tests/unit/policy/test_pii_probe10.c (which scores probe10 and probe11 with one scorer).

Source: written by hand in session 11 (2026-12-07) by an engineer of the project (helper pii4) BEFORE
reading the recognizers' word lists or how they treat each case; only the format of probe10.jsonl and
gen_probe10.py was looked at. Realistic prompts of a chat / image app (support chats, CVs, travel
bookings, medical intake, invoices, code with config, image captions) in 30 languages and scripts,
with forms chosen to differ from probe10: names after honorifics, titles and roles, family-name-first
and patronymic names, particles (van der, bin, dela), signatures; local address formats (street type
after the name, PO boxes, Japanese and Korean block addresses); phone numbers in national formats
with trunk prefixes, dots, parentheses and bare digits after a phone word; national identifiers of
many countries whose check digits are COMPUTED below (functions cite their rules: Luhn ISO/IEC
7812-1, GB 11643-1999, Taiwan's national id, Spanish DNI/NIE letter, Brazilian CPF, Korean RRN, the
Japanese My Number (Individual Number Act ordinance), Dutch BSN eleven-test, Swedish personnummer,
Polish PESEL, Finnish HETU, Norwegian fodselsnummer, Turkish TC Kimlik, Aadhaar (Verhoeff), French
NIR (mod 97), Greek AMKA, Romanian CNP, Israeli Teudat Zehut, Chilean RUT, Singapore NRIC, Thai
citizen id, UK NHS (mod 11), Belgian national number, South African id (Luhn), Hong Kong HKID;
IBANs per ISO 13616 mod 97 with valid national BBAN keys where the country has one (FR RIB key,
ES DC, BE, PT NIB, NO, CZ); e-mails with unicode local parts and obfuscation ("(at)", "[at]",
"dot"); and ~80 PII-free look-alikes (order numbers, versions, hashes, UUIDs, ISBNs, DOIs, dates that
are not birth dates, product codes, coordinates in science text, math, code). All values are
synthetic (reserved test ranges where they exist: 555-01xx, 07700 900xxx, example.* domains,
192.0.2.0/24, 2001:db8::/32).

Markup: ⟦TYPE|value⟧ marks a gold span; TYPE is EMAIL, PHONE, CREDIT_CARD, IBAN, PERSON, LOCATION,
ID (any national or sector identifier, or a bank account number), DATE (a date of birth), IP.
A personal home / delivery address is LOCATION; a city or landmark named in passing is not gold
(a prediction there counts as a false positive, as for every type).
Offsets are code points. «key» is replaced by the computed identifier `key` of IDS before parsing.
After the first run, before any rule was changed, one gold error was corrected (`山田さんの携帯は...`: the
engine's PERSON on 山田 was right, the author had left the name unlabelled); nothing else was changed.
Check digits were checked with python-stdnum 1.18 (Debian python3-stdnum) where it has the scheme (all
but TW, HK, SG, JP, SA, which were checked against their published examples: A123456789,
A123456(3), S1234567D, 123456789018).
Run: python3 tests/data/pii/gen_probe11.py > tests/data/pii/probe11.jsonl
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from probegen import grp, iban_compact, luhn, luhn_digit, verhoeff_digit, write_cases  # noqa: E402


# ---------------------------------------------------------------- check digits
def cn_rid(body17):
    """GB 11643-1999: ISO 7064 MOD 11-2 over 17 digits."""
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * x for c, x in zip(body17, w))
    return body17 + "10X98765432"[s % 11]


TW_LETTER = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36)))


def tw_id(letter, body8):
    """Taiwan national id (中華民國國民身分證): letter value n (A=10 ... O=35), n//10*1 + n%10*9 +
    digits*8..1 + check = 0 mod 10."""
    n = TW_LETTER[letter]
    s = n // 10 + (n % 10) * 9 + sum(int(c) * w for c, w in zip(body8, range(8, 0, -1)))
    return letter + body8 + str((10 - s % 10) % 10)


def es_dni(num8):
    """Spanish DNI (Real Decreto 1553/2005): number mod 23 indexes TRWAGMYFPDXBNJZSQVHLCKE."""
    return num8 + "TRWAGMYFPDXBNJZSQVHLCKE"[int(num8) % 23]


def es_nie(prefix, num7):
    return prefix + num7 + "TRWAGMYFPDXBNJZSQVHLCKE"[int("XYZ".index(prefix).__str__() + num7) % 23]


def br_cpf(body9):
    """Brazilian CPF: two mod-11 digits, weights 10..2 then 11..2."""
    d = [int(c) for c in body9]
    for n in (9, 10):
        s = sum(x * w for x, w in zip(d, range(n + 1, 1, -1)))
        d.append((s * 10) % 11 % 10)
    t = "".join(map(str, d))
    return f"{t[:3]}.{t[3:6]}.{t[6:9]}-{t[9:]}"


def kr_rrn(body12):
    """Korean resident registration number: weights 2..9,2..5, check (11 - s mod 11) mod 10."""
    w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    s = sum(int(c) * x for c, x in zip(body12, w))
    t = body12 + str((11 - s % 11) % 10)
    return t[:6] + "-" + t[6:]


def jp_mynumber(body11):
    """Japanese Individual Number: Pn weights Qn = n+1 (n<=6) else n-5 from the right; r = s mod 11;
    check 0 if r <= 1 else 11 - r."""
    s = 0
    for n, ch in enumerate(reversed(body11), start=1):
        s += int(ch) * (n + 1 if n <= 6 else n - 5)
    r = s % 11
    return body11 + str(0 if r <= 1 else 11 - r)


def nl_bsn(body8):
    """Dutch BSN eleven-test: weights 9..2 and -1, sum divisible by 11 (search the last digit)."""
    for last in range(10):
        t = body8 + str(last)
        s = sum(int(c) * w for c, w in zip(t, [9, 8, 7, 6, 5, 4, 3, 2, -1]))
        if s % 11 == 0:
            return t
    raise ValueError(body8)


def se_pnr(yymmdd, nnn):
    """Swedish personnummer: Luhn over YYMMDDNNN."""
    return f"{yymmdd}-{nnn}{luhn_digit(yymmdd + nnn)}"


def pl_pesel(body10):
    w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
    s = sum(int(c) * x for c, x in zip(body10, w))
    return body10 + str((10 - s % 10) % 10)


def fi_hetu(ddmmyy, sep, zzz):
    return ddmmyy + sep + zzz + "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(ddmmyy + zzz) % 31]


def no_fnr(body9):
    """Norwegian fodselsnummer: two mod-11 check digits (search a body whose digits are not 10)."""
    w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2]
    w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    k1 = 11 - sum(int(c) * w for c, w in zip(body9, w1)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10:
        raise ValueError(body9)
    t = body9 + str(k1)
    k2 = 11 - sum(int(c) * w for c, w in zip(t, w2)) % 11
    k2 = 0 if k2 == 11 else k2
    if k2 == 10:
        raise ValueError(body9)
    return t + str(k2)


def tr_tckn(body9):
    d = [int(c) for c in body9]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d.append(d10)
    d.append(sum(d) % 10)
    return "".join(map(str, d))


def aadhaar(body11):
    """Aadhaar (UIDAI): Verhoeff check digit."""
    t = body11 + verhoeff_digit(body11)
    return f"{t[:4]} {t[4:8]} {t[8:]}"


def fr_nir(body13):
    return f"{body13} {97 - int(body13) % 97:02d}"


def gr_amka(ddmmyy, four):
    return luhn(ddmmyy + four)


def ro_cnp(body12):
    w = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]
    r = sum(int(c) * x for c, x in zip(body12, w)) % 11
    return body12 + str(1 if r == 10 else r)


def il_id(body8):
    """Israeli Teudat Zehut: Luhn-style, weights 1,2 from the left."""
    for last in range(10):
        t = body8 + str(last)
        s = 0
        for i, ch in enumerate(t):
            d = int(ch) * (1 + i % 2)
            s += d - 9 if d > 9 else d
        if s % 10 == 0:
            return t
    raise ValueError(body8)


def cl_rut(num):
    s, m = 0, 2
    for ch in reversed(num):
        s += int(ch) * m
        m = 2 if m == 7 else m + 1
    v = 11 - s % 11
    dv = "0" if v == 11 else "K" if v == 10 else str(v)
    return f"{int(num):,}".replace(",", ".") + "-" + dv


def sg_nric(prefix, body7):
    s = sum(int(c) * w for c, w in zip(body7, [2, 7, 6, 5, 4, 3, 2])) + (4 if prefix in "TG" else 0)
    table = "JZIHGFEDCBA" if prefix in "ST" else "XWUTRQPNMLK"
    return prefix + body7 + table[s % 11]


def th_id(body12):
    s = sum(int(c) * w for c, w in zip(body12, range(13, 1, -1)))
    t = body12 + str((11 - s % 11) % 10)
    return f"{t[0]}-{t[1:5]}-{t[5:10]}-{t[10:12]}-{t[12]}"


def nhs(body9):
    s = sum(int(c) * w for c, w in zip(body9, range(10, 1, -1)))
    k = 11 - s % 11
    k = 0 if k == 11 else k
    if k == 10:
        raise ValueError(body9)
    t = body9 + str(k)
    return f"{t[:3]} {t[3:6]} {t[6:]}"


def be_nn(body9):
    t = body9 + f"{97 - int(body9) % 97:02d}"
    return f"{t[:2]}.{t[2:4]}.{t[4:6]}-{t[6:9]}.{t[9:]}"


def za_id(body12):
    return luhn(body12)


def hk_id(letter, body6):
    s = 9 * 36 + 8 * (ord(letter) - 55) + sum(int(c) * w for c, w in zip(body6, range(7, 1, -1)))
    k = (11 - s % 11) % 11
    return f"{letter}{body6}({'A' if k == 10 else k})"


def iban(cc, bban, group=True):
    t = iban_compact(cc, bban)
    return grp(t) if group else t


def fr_rib(bank, branch, acct):
    k = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97
    return f"{bank}{branch}{acct}{k:02d}"


def es_ccc(bank, branch, acct):
    w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

    def dc(ten):
        v = 11 - sum(int(c) * x for c, x in zip(ten, w)) % 11
        return 0 if v == 11 else 1 if v == 10 else v
    return f"{bank}{branch}{dc('00' + bank + branch)}{dc(acct)}{acct}"


def be_bban(body10):
    k = int(body10) % 97
    return body10 + f"{k if k else 97:02d}"


def pt_nib(body19):
    return body19 + f"{98 - int(body19) * 100 % 97:02d}"


def no_bban(body10):
    k = 11 - sum(int(c) * w for c, w in zip(body10, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])) % 11
    if k == 10:
        raise ValueError(body10)
    return body10 + str(0 if k == 11 else k)


def cz_bban(bank, acct10):
    w = [6, 3, 7, 9, 10, 5, 8, 4, 2, 1]
    assert sum(int(c) * x for c, x in zip(acct10, w)) % 11 == 0, acct10
    return bank + "000000" + acct10


def cz_acct(body9):
    w = [6, 3, 7, 9, 10, 5, 8, 4, 2]
    for last in range(10):
        if (sum(int(c) * x for c, x in zip(body9, w)) + last) % 11 == 0:
            return body9 + str(last)
    raise ValueError(body9)


IDS = {
    # cards (Luhn)
    "visa1": grp(luhn("453201511283036")),
    "visa2": grp(luhn("491761234567890"), 4, "-"),
    "mc1": grp(luhn("522233334444555")),
    "mc2": luhn("545762389012345"),
    "amex1": (lambda t: f"{t[:4]} {t[4:10]} {t[10:]}")(luhn("37828224631000")),
    "jcb1": grp(luhn("353011133330000")),
    "up1": grp(luhn("621483123456789"), 4, " "),
    "disc1": grp(luhn("601100099990001"), 4, "-"),
    "mir1": grp(luhn("220070123456789")),
    # national identifiers
    "cn1": cn_rid("32010219880315421"),
    "cn2": cn_rid("51010719951122003"),
    "tw1": tw_id("F", "12345678"),
    "tw2": tw_id("B", "22034567"),
    "dni1": es_dni("48273156"),
    "nie1": es_nie("X", "3456789"),
    "cpf1": br_cpf("529982247"),
    "rrn1": kr_rrn("850412267123"),
    "myn1": jp_mynumber("49230187556"),
    "bsn1": nl_bsn("30512846"),
    "pnr1": se_pnr("850709", "238"),
    "pesel1": pl_pesel("9205141234"),
    "hetu1": fi_hetu("131052", "-", "308"),
    "fnr1": no_fnr("150389412"),
    "tckn1": tr_tckn("384751926"),
    "aad1": aadhaar("49182736450"),
    "nir1": fr_nir("1870675123456"),
    "amka1": gr_amka("120380", "1234"),
    "cnp1": ro_cnp("196031512345"),
    "il1": il_id("31415926"),
    "rut1": cl_rut("16789432"),
    "nric1": sg_nric("S", "8712345"),
    "thid1": th_id("110370012345"),
    "nhs1": nhs("943476591"),
    "benn1": be_nn("850730123"),
    "za1": za_id("880412512308"),
    "hk1": hk_id("K", "528341"),
    "sa1": luhn("101234567"),
    # IBANs
    "ib_de": iban("DE", "500105175407324931"),
    "ib_fr": iban("FR", fr_rib("30006", "00001", "12345678901")),
    "ib_es": iban("ES", es_ccc("2100", "0418", "0200051332")),
    "ib_gb": iban("GB", "NWBK60161331926819", group=False),
    "ib_nl": iban("NL", "RABO0300065264"),
    "ib_pl": iban("PL", "109010140000071219812874"),
    "ib_tr": iban("TR", "0006100519786457841326"),
    "ib_sa": iban("SA", "80000000608010167519"),
    "ib_ae": iban("AE", "0331234567890123456"),
    "ib_ch": iban("CH", "0076201162385295"[:5] + "000" + "762011623", group=True),
    "ib_be": iban("BE", be_bban("5390075470")),
    "ib_pt": iban("PT", pt_nib("0002012312345678901")),
    "ib_no": iban("NO", no_bban("8601111794")),
    "ib_cz": iban("CZ", cz_bban("0800", cz_acct("190123456"))),
    "ib_it": iban("IT", "X0542811101000000123456"),
    "ib_ua": iban("UA", "3223130000026007233566001"),
    "ib_gr": iban("GR", "01101250000000012300695"),
    "ib_ro": iban("RO", "AAAA1B31007593840000"),
    "ib_il": iban("IL", "0108000000099999999"),
    "ib_br": iban("BR", "00360305000010009795493P1"),
}

CASES = r"""
en	Hi, I'm ⟦PERSON|Siobhan O'Connor⟧ and my order never arrived. You can reach me at ⟦PHONE|+353 87 123 4567⟧.
en	Please update the shipping address to ⟦LOCATION|221 Baker Street, Apt 4B, Springfield, IL 62704⟧
en	Patient: ⟦PERSON|Marcus T. Whitfield⟧, DOB ⟦DATE|03/14/1979⟧, SSN ⟦ID|536-22-1948⟧, complains of chest pain
en	Can you write a reference letter for ⟦PERSON|Dr. Priya Raghunathan⟧? She was my supervisor.
en	My card ⟦CREDIT_CARD|«visa1»⟧ keeps getting declined on your checkout page
en	Call me back on ⟦PHONE|(415) 555-0132⟧ after 5pm, ask for ⟦PERSON|Tyrone⟧
en	email me: ⟦EMAIL|jane.doe (at) example (dot) com⟧ — don't want bots scraping it
en	Our new hire ⟦PERSON|Kwame Mensah-Bonsu⟧ needs a laptop; his NI number is ⟦ID|SP 42 77 15 D⟧
en	Text from ⟦PHONE|07700 900481⟧: "running late, sorry — ⟦PERSON|Becky⟧"
en	NHS number ⟦ID|«nhs1»⟧, please attach to the referral for ⟦PERSON|Mrs Eleanor Pritchard⟧
en	Refund to IBAN ⟦IBAN|«ib_gb»⟧, account holder ⟦PERSON|Oliver Hughes⟧
en	caption this photo: ⟦PERSON|Grandma Rosa⟧ blowing out candles at her house on ⟦LOCATION|48 Elm Grove, Leeds LS6 2AB⟧
en	Phone: ⟦PHONE|14155550147⟧ — whatsapp only (customer ⟦PERSON|Dana Whitaker⟧)
en	Aadhaar ⟦ID|«aad1»⟧ linked to mobile ⟦PHONE|+91 98765 43210⟧
en	Ship to: ⟦PERSON|Mei Ling Tan⟧, ⟦LOCATION|Blk 123 Ang Mo Kio Ave 3, #05-67, Singapore 560123⟧
en	My NRIC is ⟦ID|«nric1»⟧, can you fill the form for me?
en	Server logs show repeated logins from ⟦IP|198.51.100.23⟧ for user ⟦EMAIL|ops-admin@example.net⟧
en	Dear Mr. ⟦PERSON|van der Merwe⟧, your ID ⟦ID|«za1»⟧ has been verified.
en	SIGNATURE:\n⟦PERSON|Rajesh Kumar Iyer⟧\nSenior Engineer\n⟦PHONE|+1 (646) 555-0178⟧
en	Write a poem for my daughter ⟦PERSON|Aaliyah⟧ who was born on ⟦DATE|June 3, 2015⟧
en	Amex ⟦CREDIT_CARD|«amex1»⟧ exp 09/27 cvv 1234, name ⟦PERSON|Jonathan Blake⟧
en	Contact ⟦EMAIL|josé.niño@example.com⟧ for the Spanish version
en	reach out to ⟦EMAIL|h.tanaka[at]example.org⟧ if the build fails
en	HKID ⟦ID|«hk1»⟧ — applicant ⟦PERSON|Chan Tai Man⟧
de	Sehr geehrte Frau ⟦PERSON|Schneider-Lindqvist⟧, anbei meine Rechnung. IBAN: ⟦IBAN|«ib_de»⟧
de	Ich heiße ⟦PERSON|Jürgen Weiß⟧ und wohne in der ⟦LOCATION|Hauptstraße 17a, 80331 München⟧
de	Bitte rufen Sie mich unter ⟦PHONE|0171 / 234 56 78⟧ zurück
de	Lebenslauf – ⟦PERSON|Dr. med. Annika Böhm⟧, geb. ⟦DATE|12.08.1987⟧ in Kassel
de	Meine Kontonummer ist ⟦ID|0532013000⟧, BLZ 370 400 44
de	Schreib eine Mail an ⟦EMAIL|k.müller@beispiel.de⟧ wegen des Termins
fr	Bonjour, je m'appelle ⟦PERSON|Élodie Lefèvre⟧, mon numéro est le ⟦PHONE|06 12 34 56 78⟧
fr	Adresse de livraison : ⟦LOCATION|12 rue des Lilas, 69003 Lyon⟧
fr	Mon numéro de sécurité sociale : ⟦ID|«nir1»⟧
fr	Virement sur ⟦IBAN|«ib_fr»⟧ au nom de ⟦PERSON|M. Jean-Baptiste Moreau⟧
fr	Merci de contacter ⟦PERSON|Mme Nadia Benali⟧ au ⟦PHONE|+33 1 42 68 53 00⟧
es	Me llamo ⟦PERSON|María José García-Pérez⟧, DNI ⟦ID|«dni1»⟧, y quiero cancelar mi suscripción
es	Mi NIE es ⟦ID|«nie1»⟧ y vivo en ⟦LOCATION|Calle de Alcalá 123, 3º B, 28009 Madrid⟧
es	Transfiere a ⟦IBAN|«ib_es»⟧, concepto: alquiler de marzo
es	Llámame al ⟦PHONE|612 34 56 78⟧ o escríbeme a ⟦EMAIL|mjgarcia@example.es⟧
es	RUT ⟦ID|«rut1»⟧, titular ⟦PERSON|Camila Fuentes⟧, Santiago
pt	Boa tarde! Sou o ⟦PERSON|João Pedro Albuquerque⟧, CPF ⟦ID|«cpf1»⟧
pt	Endereço: ⟦LOCATION|Rua das Flores, 245, apto 32, 01310-100 São Paulo - SP⟧
pt	Meu IBAN é ⟦IBAN|«ib_pt»⟧ (Caixa Geral)
pt	Me liga no ⟦PHONE|(11) 98765-4321⟧ depois do almoço
pt	Pagamento via PIX para ⟦EMAIL|financeiro.ana@example.com.br⟧ — ⟦PERSON|Ana Beatriz⟧
it	Buongiorno, sono ⟦PERSON|Giulia Ferrandi⟧, il mio cellulare è ⟦PHONE|347 123 4567⟧
it	Spedire a ⟦LOCATION|Via Garibaldi 15, 10122 Torino⟧, c/o ⟦PERSON|Dott. Marco Esposito⟧
it	IBAN ⟦IBAN|«ib_it»⟧ intestato a ⟦PERSON|Lucia Romano⟧
nl	Hoi, ik ben ⟦PERSON|Sanne de Vries⟧, mijn BSN is ⟦ID|«bsn1»⟧
nl	Mijn adres is ⟦LOCATION|Keizersgracht 452-III, 1016 GD Amsterdam⟧
nl	Graag terugbellen op ⟦PHONE|06-12345678⟧, groet ⟦PERSON|Pieter⟧
nl	Betaling naar ⟦IBAN|«ib_nl»⟧ t.n.v. ⟦PERSON|J. Bakker⟧
pl	Dzień dobry, nazywam się ⟦PERSON|Łukasz Wiśniewski⟧, PESEL ⟦ID|«pesel1»⟧
pl	Proszę o kontakt pod numerem ⟦PHONE|+48 601 234 567⟧
pl	Przelew na konto ⟦IBAN|«ib_pl»⟧, adres: ⟦LOCATION|ul. Marszałkowska 84/92 m. 15, 00-514 Warszawa⟧
sv	Hej! Jag heter ⟦PERSON|Linnea Johansson⟧ och mitt personnummer är ⟦ID|«pnr1»⟧
sv	Ring mig på ⟦PHONE|070-123 45 67⟧, bor på ⟦LOCATION|Drottninggatan 53, 111 21 Stockholm⟧
fi	Terve, olen ⟦PERSON|Matti Virtanen⟧, henkilötunnukseni on ⟦ID|«hetu1»⟧
fi	Soita numeroon ⟦PHONE|040 123 4567⟧ tai lähetä postia osoitteeseen ⟦LOCATION|Mannerheimintie 12 B 7, 00100 Helsinki⟧
no	Fødselsnummeret mitt er ⟦ID|«fnr1»⟧ og kontonummer ⟦IBAN|«ib_no»⟧
no	Hilsen ⟦PERSON|Ingrid Bakken⟧, tlf ⟦PHONE|412 34 567⟧
da	Med venlig hilsen ⟦PERSON|Søren Østergaard⟧, ⟦PHONE|+45 20 12 34 56⟧
da	Send pakken til ⟦LOCATION|Nørrebrogade 44, 2. tv, 2200 København N⟧
cs	Dobrý den, jmenuji se ⟦PERSON|Jiří Dvořák⟧, telefon ⟦PHONE|+420 603 123 456⟧
cs	Číslo účtu: ⟦IBAN|«ib_cz»⟧, adresa ⟦LOCATION|Vinohradská 1511/230, 100 00 Praha 10⟧
ro	Bună ziua, sunt ⟦PERSON|Ioana Popescu⟧, CNP ⟦ID|«cnp1»⟧
ro	Vă rog să transferați în contul ⟦IBAN|«ib_ro»⟧
hu	Üdvözlettel: ⟦PERSON|Nagy Katalin⟧, tel.: ⟦PHONE|+36 30 123 4567⟧
hu	Szállítási cím: ⟦LOCATION|1052 Budapest, Váci utca 19. 3/12⟧
tr	Merhaba, ben ⟦PERSON|Ayşe Yılmaz⟧, TC kimlik numaram ⟦ID|«tckn1»⟧
tr	Adresim: ⟦LOCATION|Atatürk Cad. No: 45 D: 7, 34710 Kadıköy/İstanbul⟧
tr	IBAN: ⟦IBAN|«ib_tr»⟧ — alıcı ⟦PERSON|Mehmet Öztürk⟧
tr	Beni ⟦PHONE|0532 123 45 67⟧ numarasından arayabilirsiniz
el	Καλησπέρα, είμαι ο ⟦PERSON|Γιώργος Παπαδόπουλος⟧, τηλ. ⟦PHONE|694 123 4567⟧
el	ΑΜΚΑ: ⟦ID|«amka1»⟧, διεύθυνση ⟦LOCATION|Οδός Ερμού 25, 105 63 Αθήνα⟧
el	Κατάθεση στο ⟦IBAN|«ib_gr»⟧, δικαιούχος ⟦PERSON|Ελένη Κωνσταντίνου⟧
ru	Здравствуйте, меня зовут ⟦PERSON|Иванов Сергей Петрович⟧, телефон ⟦PHONE|+7 (916) 123-45-67⟧
ru	Адрес доставки: ⟦LOCATION|Санкт-Петербург, Лиговский проспект, д. 30, кв. 12⟧
ru	Отправьте документы на ⟦EMAIL|s.ivanov@example.ru⟧, спасибо
ru	Моя карта ⟦CREDIT_CARD|«mir1»⟧, почему не проходит оплата?
ru	Перезвоните ⟦PERSON|Анне Кузнецовой⟧ по номеру ⟦PHONE|8 800 555-35-35⟧
ru	Дата рождения: ⟦DATE|07.11.1990⟧, ФИО: ⟦PERSON|Смирнова Ольга Андреевна⟧
ru	Напиши поздравление для ⟦PERSON|Дмитрия Александровича⟧ от коллег
uk	Добрий день, я ⟦PERSON|Олександр Коваленко⟧, мій номер ⟦PHONE|+380 67 123 4567⟧
uk	Адреса: ⟦LOCATION|вул. Хрещатик, 22, кв. 5, Київ, 01001⟧
uk	Рахунок ⟦IBAN|«ib_ua»⟧, отримувач ⟦PERSON|Марія Шевченко⟧
ar	مرحباً، أنا ⟦PERSON|أحمد بن خالد المنصوري⟧ ورقم جوالي ⟦PHONE|+966 50 123 4567⟧
ar	بريدي الإلكتروني ⟦EMAIL|ahmed.m@example.sa⟧ والآيبان ⟦IBAN|«ib_sa»⟧
ar	العنوان: ⟦LOCATION|شارع الملك فهد، حي العليا، الرياض 12214⟧
ar	يرجى التواصل مع السيدة ⟦PERSON|فاطمة الزهراء⟧ على الرقم ⟦PHONE|٠٥٠١٢٣٤٥٦٧⟧
ar	اسم المريض: ⟦PERSON|يوسف حداد⟧، تاريخ الميلاد: ⟦DATE|١٥/٠٣/١٩٨٢⟧
ar	حوّل المبلغ إلى ⟦IBAN|«ib_ae»⟧ باسم ⟦PERSON|سارة الهاشمي⟧
fa	سلام، من ⟦PERSON|علی رضایی⟧ هستم، شماره‌ام ⟦PHONE|۰۹۱۲ ۳۴۵ ۶۷۸۹⟧
fa	آدرس: ⟦LOCATION|تهران، خیابان ولیعصر، کوچه نسترن، پلاک ۱۲⟧
fa	لطفاً به ⟦EMAIL|ali.rezaei@example.ir⟧ ایمیل بزنید
he	שלום, שמי ⟦PERSON|דוד כהן⟧ ומספר תעודת הזהות שלי ⟦ID|«il1»⟧
he	אפשר להתקשר אליי ל-⟦PHONE|052-123-4567⟧
he	נא לפנות אל ⟦PERSON|מיכל לוי⟧ בכתובת ⟦EMAIL|michal.levi@example.co.il⟧
he	הכתובת שלי: ⟦LOCATION|רחוב הרצל 15, דירה 4, תל אביב⟧
he	העברה לחשבון ⟦IBAN|«ib_il»⟧ על שם ⟦PERSON|יעל אברהם⟧
hi	नमस्ते, मेरा नाम ⟦PERSON|राहुल शर्मा⟧ है और मेरा फ़ोन नंबर ⟦PHONE|98765 43210⟧ है
hi	मेरा आधार नंबर ⟦ID|«aad1»⟧ है, कृपया सत्यापित करें
hi	पता: ⟦LOCATION|मकान नं. 45, सेक्टर 15, नोएडा, उत्तर प्रदेश 201301⟧
hi	श्रीमती ⟦PERSON|सुनीता वर्मा⟧ को ईमेल भेजें: ⟦EMAIL|sunita.verma@example.in⟧
hi	मेरी जन्मतिथि ⟦DATE|१२/०५/१९९२⟧ है
hi	डॉ. ⟦PERSON|अनिल गुप्ता⟧ से मिलने का समय ⟦PHONE|०११-२३४५६७८९⟧ पर बुक करें
bn	আমার নাম ⟦PERSON|সুমন দাস⟧, মোবাইল ⟦PHONE|০১৭১২-৩৪৫৬৭৮⟧
bn	ঠিকানা: ⟦LOCATION|বাড়ি ১২, রোড ৫, ধানমন্ডি, ঢাকা ১২০৫⟧
ta	என் பெயர் ⟦PERSON|முருகன் செல்வம்⟧, தொலைபேசி ⟦PHONE|+91 94440 12345⟧
ta	மின்னஞ்சல்: ⟦EMAIL|murugan.s@example.in⟧
ur	میرا نام ⟦PERSON|عمران خان⟧ ہے، شناختی کارڈ نمبر ⟦ID|35202-1234567-1⟧
ur	مجھے ⟦PHONE|0300 1234567⟧ پر کال کریں
th	สวัสดีครับ ผม⟦PERSON|สมชาย ใจดี⟧ เบอร์โทร ⟦PHONE|081-234-5678⟧
th	เลขบัตรประชาชน ⟦ID|«thid1»⟧ ครับ
th	ที่อยู่: ⟦LOCATION|99/1 ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพฯ 10110⟧
th	ติดต่อคุณ⟦PERSON|วิภาวดี⟧ได้ที่ ⟦EMAIL|wipawadee@example.co.th⟧
vi	Xin chào, tôi là ⟦PERSON|Nguyễn Thị Minh Anh⟧, số điện thoại ⟦PHONE|0912 345 678⟧
vi	Địa chỉ giao hàng: ⟦LOCATION|Số 12 ngõ 34 phố Huế, quận Hai Bà Trưng, Hà Nội⟧
vi	Số CCCD của tôi là ⟦ID|001092012345⟧
vi	Chuyển khoản cho anh ⟦PERSON|Trần Văn Hùng⟧, số tài khoản ⟦ID|0071000123456⟧ Vietcombank
id	Halo, saya ⟦PERSON|Budi Santoso⟧, nomor HP ⟦PHONE|0812-3456-7890⟧
id	NIK saya ⟦ID|3174051203850002⟧, alamat ⟦LOCATION|Jl. Merdeka No. 10, RT 03/RW 05, Jakarta Pusat 10110⟧
id	Tolong kirim invoice ke ⟦EMAIL|budi.santoso@example.co.id⟧
ms	Nama saya ⟦PERSON|Nurul Aisyah binti Ahmad⟧, telefon ⟦PHONE|012-345 6789⟧
ms	Alamat: ⟦LOCATION|No. 8, Jalan Ampang, 50450 Kuala Lumpur⟧
tl	Ako si ⟦PERSON|Maria Clara Dela Cruz⟧, ang numero ko ay ⟦PHONE|0917 123 4567⟧
tl	Pakipadala sa ⟦LOCATION|123 Rizal Avenue, Barangay San Isidro, Quezon City⟧
sw	Habari, naitwa ⟦PERSON|Amina Wanjiru⟧, namba yangu ni ⟦PHONE|+254 712 345 678⟧
sw	Tuma pesa kwa ⟦PERSON|Baraka Mwangi⟧ kupitia ⟦PHONE|0722 123 456⟧
zh	⟦PERSON|王总⟧您好，我是财务部的⟦PERSON|周敏⟧，报销单已提交
zh	请⟦PERSON|刘经理⟧明天上午回电话⟦PHONE|021-6234 5678⟧
zh	我的身份证号是⟦ID|«cn1»⟧，出生于⟦DATE|1988年3月15日⟧
zh	寄到⟦LOCATION|江苏省南京市鼓楼区中山路321号2栋1单元502室⟧，收件人⟦PERSON|吴晓红⟧
zh	银联卡⟦CREDIT_CARD|«up1»⟧绑定失败怎么办
zh	患者⟦PERSON|欧阳娜娜⟧，女，身份证⟦ID|«cn2»⟧
zh	技术部的⟦PERSON|马超⟧说服务器IP是⟦IP|192.0.2.88⟧
zh	联系邮箱：⟦EMAIL|xiaohong.wu＠example.cn⟧
zht	我的身分證是⟦ID|«tw1»⟧，手機⟦PHONE|0933-123-456⟧
zht	負責人：⟦PERSON|張淑芬⟧ 統一編號 12345675
zht	身分證字號 ⟦ID|«tw2»⟧（⟦PERSON|李建宏⟧）
zht	寄送地址：⟦LOCATION|高雄市苓雅區四維三路2號5樓⟧
ja	⟦PERSON|山本⟧です。明日の会議の件でご連絡しました
ja	担当：⟦PERSON|中村 美咲⟧（営業部）、直通 ⟦PHONE|06-6123-4567⟧
ja	マイナンバー ⟦ID|«myn1»⟧ を登録してください
ja	〒⟦LOCATION|060-0001 北海道札幌市中央区北1条西2丁目⟧ ⟦PERSON|小林 翔太⟧ 様
ja	メール：⟦EMAIL|m.nakamura@example.co.jp⟧（⟦PERSON|中村⟧）
ja	患者名：⟦PERSON|渡辺 恵子⟧、生年月日：⟦DATE|昭和55年4月3日⟧
ja	カード番号 ⟦CREDIT_CARD|«jcb1»⟧ の有効期限は来月です
ja	お問い合わせは⟦PERSON|伊藤⟧まで：⟦PHONE|080-1234-9876⟧
ko	저는 ⟦PERSON|박지훈⟧이고 주민번호는 ⟦ID|«rrn1»⟧입니다
ko	배송지: ⟦LOCATION|부산광역시 해운대구 우동 1408, 101동 1203호⟧
ko	⟦PERSON|최수진⟧ 과장님께 ⟦PHONE|02-3456-7890⟧으로 연락 부탁드립니다
ko	계좌번호 ⟦ID|110-234-567890⟧ (신한은행) 예금주 ⟦PERSON|정우성⟧
ko	이메일 ⟦EMAIL|jihoon.park@example.kr⟧ 로 보내주세요
nl	Rijksregisternummer ⟦ID|«benn1»⟧, rekening ⟦IBAN|«ib_be»⟧
de	Bitte überweisen Sie auf ⟦IBAN|«ib_ch»⟧, Grüsse ⟦PERSON|Reto Brunner⟧
pt	Transferência para ⟦IBAN|«ib_br»⟧
en	git config user.email "⟦EMAIL|dev.kowalski@example.com⟧" && git config user.name "⟦PERSON|Tomasz Kowalski⟧"
en	DATABASE_URL=postgres://app:s3cret@db.internal:5432/prod\nADMIN_EMAIL=⟦EMAIL|root-alerts@example.io⟧\nSUPPORT_PHONE=⟦PHONE|+44 20 7946 0958⟧
en	{"customer": {"name": "⟦PERSON|Fatima Zahra Benjelloun⟧", "phone": "⟦PHONE|+212 6 12 34 56 78⟧", "card": "⟦CREDIT_CARD|«mc2»⟧"}}
en	Invoice #INV-2024-00871\nBill to: ⟦PERSON|Hannah Schmidt⟧\n⟦LOCATION|1600 Market St Suite 300, Philadelphia, PA 19103⟧\nTotal: $1,249.00
en	Generate an image of a birthday cake with the text "Happy 40th ⟦PERSON|Gerald⟧!"
en	Translate to Japanese: "My name is ⟦PERSON|Chloe Anderson⟧ and my passport number is ⟦ID|X12345678⟧"
en	Passenger: ⟦PERSON|MR AHMED/KHALID⟧ PNR QX7T2L seat 14C, contact ⟦PHONE|+971 50 123 4567⟧
en	Discover card ⟦CREDIT_CARD|«disc1»⟧ was charged twice
en	Hello this is ⟦PERSON|Li Wei⟧ from accounting, my extension is 4417 and mobile ⟦PHONE|+86 139 1234 5678⟧
en	Mastercard ending in 4444? No, the full number is ⟦CREDIT_CARD|«mc1»⟧
en	please forward to ⟦EMAIL|ÿvonne.émond@example.fr⟧ and ⟦EMAIL|support@例え.jp⟧
en	My IPv6 at home is ⟦IP|2001:db8:3c4d:15::1a2f⟧, the router blocks it
en	PESEL ⟦ID|«pesel1»⟧ belongs to ⟦PERSON|Agnieszka Nowak⟧
de	Kunde ⟦PERSON|Herr Yilmaz⟧ bittet um Rückruf: ⟦PHONE|+49 (0)30 901820⟧
de	Mein Name ist ⟦PERSON|Anna-Lena Krüger⟧, E-Mail ⟦EMAIL|anna-lena.krueger(at)example.de⟧
fr	Carte bancaire ⟦CREDIT_CARD|«visa2»⟧, titulaire ⟦PERSON|Camille Durand⟧
ru	Паспорт ⟦ID|4510 123456⟧ выдан ОВД Тверского района, ⟦PERSON|Петров А. В.⟧
ar	رقم الهوية الوطنية ⟦ID|«sa1»⟧ الخاص بـ ⟦PERSON|خالد العتيبي⟧
hi	पैन कार्ड ⟦ID|ABCPE1234F⟧ और मोबाइल ⟦PHONE|+91-99887-76655⟧
es	Paciente ⟦PERSON|Sra. Guadalupe Ortiz⟧, fecha de nacimiento ⟦DATE|2 de febrero de 1964⟧
tr	Doğum tarihim ⟦DATE|23.04.1995⟧, annemin adı ⟦PERSON|Fatma⟧
vi	Anh ⟦PERSON|Lê Quốc Bảo⟧ sinh ngày ⟦DATE|20/11/1989⟧, CMND ⟦ID|025123456⟧
id	Atas nama ⟦PERSON|Siti Rahmawati⟧, rekening BCA ⟦ID|1234567890⟧
ko	생년월일 ⟦DATE|1992.03.17⟧, 이름 ⟦PERSON|한소희⟧
ja	⟦PERSON|山田⟧さんの携帯は⟦PHONE|090 1122 3344⟧です
ja	⟦PERSON|佐々木 健⟧です。よろしくお願いします
zh	请转告市场部的⟦PERSON|孙婷婷⟧，客户⟦PERSON|李强⟧的电话是⟦PHONE|0755-8765 4321⟧
zh	⟦PERSON|陈老师⟧，我的邮箱是⟦EMAIL|student2024(at)example.cn⟧
th	คุณ⟦PERSON|ปิยะนุช⟧ โทร ⟦PHONE|02-123-4567⟧
he	צרו קשר עם ⟦PERSON|אורי שמש⟧ במספר ⟦PHONE|054-765-4321⟧
hi	कृपया ⟦PERSON|प्रिया सिंह⟧ को यह संदेश भेजें
ru	Доставка: ⟦LOCATION|Москва, Тверская улица, 7, кв. 15⟧
uk	Телефонуйте ⟦PHONE|067 123 45 67⟧, питайте ⟦PERSON|Наталію⟧
fa	کد ملی ⟦ID|0012345679⟧ متعلق به ⟦PERSON|مریم احمدی⟧
el	Τηλέφωνο επικοινωνίας ⟦PHONE|+30 210 123 4567⟧, κ. ⟦PERSON|Νικολάου⟧
nl	Stuur de factuur naar ⟦EMAIL|finance@example.nl⟧ t.a.v. ⟦PERSON|mevrouw Van den Berg⟧
pt	Nascido em ⟦DATE|03/09/1977⟧, ⟦PERSON|Carlos Eduardo Souza⟧, RG 12.345.678-9
en	Medical intake — Name: ⟦PERSON|Ngozi Adeyemi⟧; Address: ⟦LOCATION|14 Admiralty Way, Lekki Phase 1, Lagos⟧; Phone: ⟦PHONE|0803 123 4567⟧
en	Resume\n⟦PERSON|SARAH J. MITCHELL⟧\n⟦LOCATION|742 Evergreen Terrace, Portland, OR 97201⟧ | ⟦EMAIL|sarah.mitchell@example.com⟧ | ⟦PHONE|503.555.0199⟧
en	WhatsApp ⟦PHONE|+55 11 91234 5678⟧ (Bruno)
en	card: ⟦CREDIT_CARD|«visa1»⟧ / holder ⟦PERSON|Émile Zola-Martin⟧
zh	不好意思，我叫⟦PERSON|郭靖⟧，是新来的实习生
en	The man in the photo is my neighbour ⟦PERSON|Mr. Okonkwo⟧, please blur his face
ko	⟦PERSON|김서연⟧ 씨, 내일 회의실 예약 확인 부탁해요
ja	昨日、⟦PERSON|高田⟧部長から連絡がありました
zh	请帮我给⟦PERSON|张丽华⟧女士写一封感谢信
ar	السيد ⟦PERSON|عمر الفاروق⟧ يسكن في ⟦LOCATION|شارع التحرير 12، الدقي، الجيزة⟧
en	The ISBN of the book is 978-0-306-40615-7 and it costs $24.99
en	Commit 3f9a2c1e7b4d8a6f0e5c9b2a1d7f4e3c8b6a9d0e fixed the race condition
en	Upgrade from v1.24.3 to v2.0.0-rc.1 before Friday
en	Request id 550e8400-e29b-41d4-a716-446655440000 failed with 503
en	Order #A-2024-118833 shipped via UPS tracking 1Z999AA10123456784
en	The meeting is on 14 March 2025 at 10:00 in room 4.12
en	Solve for x: 3x^2 - 12x + 9 = 0, then compute 1234567 * 89
en	The sample was collected at 46.5197° N, 6.6323° E at 372 m altitude
en	doi:10.1038/s41586-020-2649-2 reports a 12.5% increase
en	SKU 4006381333931 is out of stock; reorder 250 units
en	Error 0x80070005: access denied while writing C:\Program Files\App\config.ini
en	Use port 8443 and timeout 30000 ms; retry 3 times with backoff 1.5
en	Draw a cat sitting on a red sofa, 4k, aspect ratio 16:9, seed 884421
en	The function returns 4111 if the cache is cold and 1111 otherwise
en	Matrix [[1, 2], [3, 4]] has determinant -2 and trace 5
en	sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
en	Flight BA287 departs 2025-06-01 18:35 from gate B42
en	Chemical CAS 7732-18-5 is water; molar mass 18.015 g/mol
en	Population grew from 7,951,000 in 2010 to 8,402,000 in 2020
en	Plan a 3-day itinerary in Kyoto with temples and a tea ceremony
en	const MAX_RETRIES = 5; const API_VERSION = "2024-06-01";
en	Build 20240517.3 passed 1,284 tests in 92.4 s
en	Lot number L2309-0457, expiry 2026-11, store below 25 °C
en	Invoice total: 1.234,56 EUR, VAT 19 %, due in 30 days
en	Wavelength 532 nm, power 150 mW, spot 2.5 mm
en	The unix timestamp 1717243200 corresponds to June 1, 2024
en	Write a haiku about Mount Fuji at dawn
en	Convert 98.6 °F to Celsius and 5280 feet to meters
de	Die Bestellnummer lautet 4711-0815-2024, Lieferung in KW 23
de	Version 3.11.4 behebt den Fehler aus 3.11.3
de	Am 3. Oktober 1990 wurde Deutschland wiedervereinigt
fr	La facture n° FA-2024-05-0192 est à régler avant le 15 juin
fr	Le théorème de Pythagore : a² + b² = c², avec a = 3 et b = 4
es	El código postal de la oficina central es irrelevante; el pedido 20240611-7788 ya salió
es	La temperatura media fue de 23,4 °C en 2023
pt	O pedido 2024051800123 foi entregue; nota fiscal 000.123.456
it	Il volo AZ610 parte alle 21:55 dal terminal 1
nl	Ordernummer 2024-118-4477, levering dinsdag
pl	Numer zamówienia: ZAM/2024/05/1193
sv	Artikelnummer 702.614.50 finns i lager
fi	Tilausnumero 8841-2207, toimitus viikolla 24
tr	Sipariş numarası 1000456789, kargo takip 7300012345678
ru	Номер заказа 82736451, версия прошивки 4.2.1
ru	Интеграл от 0 до 1 x^2 dx равен 1/3
uk	Замовлення № 2024-7781 буде доставлено завтра
ar	رقم الطلب 20240612-55 وسيصل خلال ٣ أيام
ar	درجة الحرارة اليوم ٣٥ درجة مئوية
fa	شماره سفارش ۱۴۰۳۰۵۱۲۷۷ ثبت شد
he	מספר הזמנה 4471-2209, המשלוח יגיע ביום ראשון
hi	ऑर्डर संख्या 408-1234567-8901234 है, डिलीवरी कल होगी
hi	संस्करण 2.4.1 में बग ठीक किया गया
bn	অর্ডার নম্বর ২০২৪০৫১২৩৪, ডেলিভারি আগামীকাল
th	หมายเลขคำสั่งซื้อ 240512ABCD789 จัดส่งพรุ่งนี้
th	ราคา 1,290 บาท ลดเหลือ 990 บาท
vi	Mã đơn hàng DH20240512001, giao trong 3 ngày
id	Nomor pesanan INV/20240512/MPL/3412345678
zh	快递单号 YT7412589630145，预计明天送达
zh	公式 E=mc²，其中 c 约为 299792458 米每秒
zh	会议定于2025年3月14日上午十点召开
zh	产品型号 RTX-4090-24G，库存 120 台
zht	發票號碼 AB-12345678，金額 NT$1,250
ja	注文番号：250-4471982-1133045、お届け予定は明日です
ja	北緯35度39分、東経139度44分の地点で観測しました
ja	東京タワーの高さは333メートルです
ko	주문번호 20240512-000123, 내일 도착 예정
ko	버전 3.2.0 업데이트 안내
el	Αριθμός παραγγελίας 2024-55123, παράδοση αύριο
cs	Číslo objednávky 2024001234, doručení zítra
ro	Comanda nr. 88412 a fost livrată
hu	Rendelésszám: 2024/0512/77
sw	Namba ya oda ni 2024-8871, itafika kesho
ms	Nombor pesanan 1122334455 telah dihantar
tl	Ang order number mo ay 7788-1122-3344
en	import numpy as np\nx = np.linspace(0, 10, 1000)\nprint(x.mean())
en	uuid4 = "f47ac10b-58cc-4372-a567-0e02b2c3d479"; crc32 = 0xCBF43926
en	Coordinates of the crater: 18.4° S, 77.6° E (lunar farside)
en	ISBN-10 0-306-40615-2; ISSN 0317-8471
en	The product code is GTIN 00012345600012 and the batch is 7733
en	Base64 "SGVsbG8gV29ybGQ=" decodes to "Hello World"
en	Tracking: 9400 1000 0000 0000 0000 00 (USPS)
en	My favourite number is 3.14159 and my lucky number is 42
en	The API key rotation happens every 90 days (policy POL-0042)
en	Table 3 shows p < 0.001 for n = 1204 participants aged 18-65
""".strip("\n")



def main():
    write_cases(CASES, IDS)


if __name__ == "__main__":
    main()
