#!/usr/bin/env python3
"""Writes tests/data/pii/probe13.jsonl: the session-13 blind probe, a fifth holdout for
tests/unit/policy/test_pii_probe10.c (which scores probe10 .. probe13 with one scorer).

Source: written in session 13 (2026-12-07) by an engineer of the project (helper pii6) BEFORE any recognizer was
changed and without reading the recognizers' rules or word lists; gen_probe10.py .. gen_probe12.py and
gen_multilingual.py were read only for their format and their language lists, to pick what they lack. The first
score of the untouched engine is the blind figure (docs/internals/pii.md "Quality", session 13). Emphasis:
- languages the earlier probes hold only a few prompts of: Polish, Czech, Hungarian, Romanian, Ukrainian, Greek,
  Hebrew, Persian, Urdu, Thai, Vietnamese, Indonesian, Turkish, Dutch, Brazilian Portuguese, Korean and Japanese;
- business layouts: customer-support chats, HR forms, medical intake, invoices, shipping labels, travel bookings,
  school records, chat exports with timestamps, OCR'd text with odd spacing and line breaks, code comments, SQL dumps;
- the identifiers listed as gaps (HKID with its check in parentheses, Sri Lanka NIC, Myanmar NRC, Vietnam CCCD,
  a passport after "passport number is") and national identifiers with a published check rule, computed below;
- ~22 % PII-free look-alikes (order and invoice numbers, SKUs, versions, hashes, timestamps, coordinates of places,
  flight and train numbers, statute and standard numbers, prices, counts).
Values are drawn with a fixed seed (random.Random(13)). Check digits computed here (each function names its rule) and
re-checked with python-stdnum 1.18 where it knows the scheme (`/usr/bin/python3 tests/data/pii/gen_probe13.py
--check`): PL PESEL and NIP, CZ birth number, RO CNP, UA RNOKPP, GR AMKA, IL Teudat Zehut, TH citizen id, TR TC
Kimlik, NL BSN, BR CPF, KR RRN, PK CNIC (format), IBANs, Luhn cards. Not in stdnum 1.18 and checked by the rule
cited in their function: HU TAJ, IR national code (کد ملی), JP My Number, HKID. Phone numbers were checked with
libphonenumber (`g++ -o /tmp/check_phones tests/data/pii/check_phones.cc -lphonenumber && python3
tests/data/pii/gen_probe13.py --phones | /tmp/check_phones`) before the first score.
All values are synthetic (reserved ranges where they exist: example.* domains, 192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24, 2001:db8::/32).

Markup and matching as in gen_probe12.py (tests/data/pii/probegen.py): ⟦TYPE|value⟧ marks a gold span; ID is any
national or sector identifier (passport, tax, health insurance number); DATE is a date of birth (other dates are not
gold); a personal home or delivery address is LOCATION, a city named in passing is not; a speaker name in a chat
export is PERSON.
After the first run, before any rule was changed, two markup errors of this file were corrected (a gold LOCATION
written over a line break, which the markup cannot span, left the raw markup in the text; a SQL COPY line held `\\t`
where tabs were meant); no value or label was changed. The first run scored micro F1 0.847, the corrected file 0.849
(both the untouched engine, 6c875dc; docs/internals/pii.md).
Run: python3 tests/data/pii/gen_probe13.py > tests/data/pii/probe13.jsonl
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probegen  # noqa: E402
from probegen import cz_rc, hkid, iban, luhn  # noqa: E402

R = random.Random(13)
dig, pat, card = probegen.drawers(R)


# ---------------------------------------------------------------- check digits
def pl_pesel(body10):
    """PESEL (Polish Act of 24 Sep 2010 on population registration): weights 1,3,7,9,1,3,7,9,1,3, check (10 - s) mod 10."""
    s = sum(int(c) * w for c, w in zip(body10, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]))
    return body10 + str((10 - s % 10) % 10)


def pl_nip(body9):
    """NIP: weights 6,5,7,2,3,4,5,6,7 mod 11; a remainder of 10 is not issued."""
    s = sum(int(c) * w for c, w in zip(body9, [6, 5, 7, 2, 3, 4, 5, 6, 7])) % 11
    if s == 10:
        raise ValueError(body9)
    t = body9 + str(s)
    return f"{t[:3]}-{t[3:6]}-{t[6:8]}-{t[8:]}"


def hu_taj(body8):
    """Hungarian TAJ (social security) number, 1996. évi XX. törvény: digits 1..8 weighted 3,7,3,7,... sum mod 10."""
    s = sum(int(c) * (3 if i % 2 == 0 else 7) for i, c in enumerate(body8)) % 10
    t = body8 + str(s)
    return f"{t[:3]} {t[3:6]} {t[6:]}"


def ro_cnp(body12):
    """Romanian CNP: weights 2,7,9,1,4,6,3,5,8,2,7,9 mod 11, 10 -> 1."""
    s = sum(int(c) * w for c, w in zip(body12, [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9])) % 11
    return body12 + str(1 if s == 10 else s)


def ua_rnokpp(body9):
    """Ukrainian RNOKPP (ІПН): weights -1,5,7,9,4,6,10,5,7 mod 11 mod 10."""
    s = sum(int(c) * w for c, w in zip(body9, [-1, 5, 7, 9, 4, 6, 10, 5, 7]))
    return body9 + str(s % 11 % 10)


def gr_amka(body10):
    """Greek AMKA: DDMMYY + 4 digits + a Luhn check digit."""
    return luhn(body10)


def il_tz(body8):
    """Israeli Teudat Zehut: weights 1,2,1,2,... on 9 digits, products' digits summed, total divisible by 10."""
    for d in range(10):
        t = body8 + str(d)
        s = 0
        for i, c in enumerate(t):
            p = int(c) * (1 if i % 2 == 0 else 2)
            s += p - 9 if p > 9 else p
        if s % 10 == 0:
            return t
    raise ValueError(body8)


def ir_melli(body9):
    """Iranian national code (کد ملی): r = sum(d_i * (10 - i)) mod 11 over the first 9 digits; check r if r < 2 else 11 - r."""
    s = sum(int(c) * (10 - i) for i, c in enumerate(body9)) % 11
    return body9 + str(s if s < 2 else 11 - s)


def th_pin(body12):
    """Thai citizen id: weights 13..2 mod 11, check (11 - s) mod 10."""
    s = sum(int(c) * (13 - i) for i, c in enumerate(body12)) % 11
    t = body12 + str((11 - s) % 10)
    return f"{t[0]}-{t[1:5]}-{t[5:10]}-{t[10:12]}-{t[12]}"


def tr_tckn(body9):
    """TC Kimlik No: d10 = (7*(d1+d3+d5+d7+d9) - (d2+d4+d6+d8)) mod 10, d11 = sum(d1..d10) mod 10."""
    d = [int(c) for c in body9]
    d10 = (7 * sum(d[0:9:2]) - sum(d[1:8:2])) % 10
    d11 = (sum(d) + d10) % 10
    return body9 + str(d10) + str(d11)


def nl_bsn(body8):
    """Dutch BSN eleven-test: weights 9..2 and -1, sum divisible by 11."""
    for d in range(10):
        t = body8 + str(d)
        if sum(int(c) * w for c, w in zip(t, [9, 8, 7, 6, 5, 4, 3, 2, -1])) % 11 == 0:
            return t
    raise ValueError(body8)


def br_cpf(body9):
    """Brazilian CPF: two mod-11 check digits (weights 10..2, then 11..2; r < 2 -> 0)."""
    d = [int(c) for c in body9]
    for n in (10, 11):
        s = sum(x * w for x, w in zip(d, range(n, 1, -1))) % 11
        d.append(0 if s < 2 else 11 - s)
    t = "".join(map(str, d))
    return f"{t[:3]}.{t[3:6]}.{t[6:9]}-{t[9:]}"


def kr_rrn(body12):
    """Korean RRN: weights 2,3,4,5,6,7,8,9,2,3,4,5 mod 11, check (11 - s) mod 10."""
    s = sum(int(c) * w for c, w in zip(body12, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5])) % 11
    t = body12 + str((11 - s) % 10)
    return f"{t[:6]}-{t[6:]}"


def jp_mynumber(body11):
    """Japanese Individual Number (ordinance of the Number Act, art. 5): P_n the n-th digit from the right of the body,
    Q_n = n + 1 (n <= 6) or n - 5; r = sum(P_n * Q_n) mod 11; check 0 if r <= 1 else 11 - r."""
    s = 0
    for n, c in enumerate(reversed(body11), 1):
        s += int(c) * (n + 1 if n <= 6 else n - 5)
    r = s % 11
    t = body11 + str(0 if r <= 1 else 11 - r)
    return f"{t[:4]} {t[4:8]} {t[8:]}"


IDS = {
    "c_visa": card("4532"), "c_visa2": card("4485", sep="-"), "c_mc": card("5168"), "c_mc2": card("5312", sep=""),
    "c_elo": card("6363"), "c_hiper": card("6062"), "c_troy": card("9792"), "c_bc": card("9410"),
    "c_jcb": card("3528"), "c_visa3": card("4024"), "c_mc3": card("2720", sep="-"), "c_visa4": card("4929", sep=""),
    "pesel1": pl_pesel("8503121234"), "pesel2": pl_pesel("0227150456"), "nip1": pl_nip("725183049"),
    "rc1": cz_rc("905623" + "128"), "rc2": cz_rc("780412" + "339"),
    "taj1": hu_taj("04512938"), "taj2": hu_taj("11872634"),
    "cnp1": ro_cnp("1850721410021"[:12]), "cnp2": ro_cnp("296011240013"),
    "ua1": ua_rnokpp("312457896"), "ua2": ua_rnokpp("287613409"),
    "amka1": gr_amka("1204851234"), "amka2": gr_amka("0309920045"),
    "il1": il_tz("03456781"), "il2": il_tz("20318745"),
    "ir1": ir_melli("007236451"), "ir2": ir_melli("492615387"),
    "th1": th_pin("110170012345"), "th2": th_pin("310990045612"),
    "tr1": tr_tckn("283746519"), "tr2": tr_tckn("102938475"),
    "bsn1": nl_bsn("23456781"[:8]), "bsn2": nl_bsn("18273645"),
    "cpf1": br_cpf("529982247"), "cpf2": br_cpf("318765902"),
    "rrn1": kr_rrn("850314" + "123456"), "rrn2": kr_rrn("920827" + "234567"),
    "jp1": jp_mynumber("12345678901"), "jp2": jp_mynumber("48213069570"),
    "hk1": hkid("K", "528341"), "hk2": hkid("P", "103625"),
    "ib_pl": iban("PL", "10902590" + dig(16)), "ib_cz": iban("CZ", "0800" + dig(16)),
    "ib_hu": iban("HU", dig(24)), "ib_ro": iban("RO", "BTRL" + dig(16)), "ib_ua": iban("UA", "322001" + dig(19)),
    "ib_gr": iban("GR", "011" + dig(4) + dig(16)), "ib_il": iban("IL", "010800" + dig(13)),
    "ib_tr": iban("TR", "00062" + "0" + dig(16)), "ib_nl": iban("NL", "RABO" + dig(10)),
    "ib_br": iban("BR", dig(23) + "C1"), "ib_pl2": iban("PL", "10501012" + dig(16), group=False),
    "ib_nl2": iban("NL", "ABNA" + dig(10), group=False),
}

PH = {
    "pl1": pat("+48 512 ### ###"), "pl2": pat("22 ### ## ##"), "pl3": pat("601-###-###"),
    "cz1": pat("+420 603 ### ###"), "cz2": pat("724 ### ###"),
    "hu1": pat("+36 30 ### ####"), "hu2": pat("06 20 ### ####"), "hu3": pat("06-1-###-####"),
    "ro1": pat("+40 721 ### ###"), "ro2": pat("0744.###.###"),
    "ua1": pat("+380 67 ### ## ##"), "ua2": pat("(050) ###-##-##"), "ua3": pat("044 ### ## ##"),
    "gr1": pat("+30 694 ### ####"), "gr2": pat("210 ### ####"),
    "il1": pat("+972 52-###-####"), "il2": pat("054-#######"), "il3": pat("03-###-####"),
    "ir1": pat("+98 912 ### ####"), "ir2": pat("0935 ### ####"),
    "pk1": pat("+92 300 #######"), "pk2": pat("0321-#######"),
    "th1": pat("+66 81 ### ####"), "th2": pat("089-###-####"), "th3": pat("02 ### ####"),
    "vn1": pat("+84 912 ### ###"), "vn2": pat("0987 ### ###"), "vn3": pat("028 3### ####"),
    "id1": pat("+62 812-####-####"), "id2": pat("0857 #### ####"), "id3": pat("(021) 5### ####"),
    "tr1": pat("+90 532 ### ## ##"), "tr2": pat("0 (542) ### ## ##"), "tr3": pat("0212 ### ## ##"),
    "nl1": pat("+31 6 ########"), "nl2": pat("06-1#######"), "nl3": pat("020 ### ####"),
    "br1": pat("+55 11 9####-####"), "br2": pat("(21) 9####-####"), "br3": pat("(11) 3###-####"),
    "kr1": pat("010-4###-####"), "kr2": pat("+82 10 #### ####"), "kr3": pat("02-###-####"),
    "jp1": pat("090-5###-####"), "jp2": pat("03-####-####"), "jp3": pat("+81 80 #### ####"),
    "de1": pat("0171 / ### ## ##"), "hk1": pat("+852 9### ####"), "lk1": pat("+94 71 ### ####"),
    "gb1": pat("+44 20 7946 0###"), "us1": pat("(415) 555-01##"),
}
IDS.update({"p_" + k: v for k, v in PH.items()})
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
IDS["p_ir_native"] = pat("0912 ### ####").translate(PERSIAN)
IDS["ir1_native"] = IDS["ir1"].translate(PERSIAN)
IDS["p_th_native"] = pat("08# ### ####").translate(THAI)
IDS["p_pl_ocr"] = " ".join(IDS["p_pl1"].replace(" ", ""))  # OCR: a space between every character
IDS["pesel_ocr"] = " ".join(IDS["pesel1"])

CASES = r"""
# ---------------------------------------------------------------- Polish
pl	Dzień dobry, nazywam się ⟦PERSON|Agnieszka Wróblewska⟧ i mam problem z zamówieniem. Mój numer telefonu to ⟦PHONE|«p_pl1»⟧.
pl	PESEL: ⟦ID|«pesel1»⟧, data urodzenia: ⟦DATE|12.03.1985⟧
pl	Proszę o fakturę na firmę: NIP ⟦ID|«nip1»⟧, adres ⟦LOCATION|ul. Piotrkowska 104/12, 90-926 Łódź⟧
pl	Numer konta do zwrotu: ⟦IBAN|«ib_pl»⟧ (właściciel: ⟦PERSON|Tomasz Zieliński⟧)
pl	Kwestionariusz osobowy pracownika\nImię i nazwisko: ⟦PERSON|Katarzyna Nowicka⟧\nPESEL: ⟦ID|«pesel2»⟧\nAdres zamieszkania: ⟦LOCATION|al. Jerozolimskie 65/79 m. 14, 00-697 Warszawa⟧
pl	Pacjent ⟦PERSON|Jan Kowalczyk⟧, ur. ⟦DATE|3 maja 1958⟧, tel. ⟦PHONE|«p_pl2»⟧, uczulenie na penicylinę
pl	Paczka dla: ⟦PERSON|Marek Dąbrowski⟧, ⟦LOCATION|os. Tysiąclecia 12/5, 31-610 Kraków⟧, tel ⟦PHONE|«p_pl3»⟧
pl	Napisz mi na ⟦EMAIL|ewa.kaminska@example.pl⟧ albo zadzwoń wieczorem
pl	Skan dowodu (OCR):\nNAZWISKO / SURNAME\n⟦PERSON|LEWANDOWSKA⟧\nPESEL ⟦ID|«pesel_ocr»⟧
pl	Tel. kom.: ⟦PHONE|«p_pl_ocr»⟧ (odczytane ze skanu)
pl	Przelew z karty ⟦CREDIT_CARD|«c_visa»⟧ nie przeszedł, co robić?
pl	Uczeń: ⟦PERSON|Szymon Wójcik⟧, klasa 4b, rodzic: ⟦PERSON|Anna Wójcik⟧, kontakt ⟦EMAIL|anna.wojcik@example.com.pl⟧
pl	Numer zamówienia 2024/05/118733, status: wysłane, kurier InPost
pl	Wersja 3.11.2 aplikacji mObywatel, kompilacja 20240418
pl	Art. 233 § 1 k.k. przewiduje karę od 6 miesięcy do 8 lat
pl	Faktura VAT nr FV/2024/0412, kwota 1 230,00 zł brutto, termin 14 dni
# ---------------------------------------------------------------- Czech
cs	Dobrý den, jmenuji se ⟦PERSON|Lucie Svobodová⟧ a volám kvůli reklamaci, tel. ⟦PHONE|«p_cz1»⟧
cs	Rodné číslo: ⟦ID|«rc1»⟧, datum narození ⟦DATE|23. 6. 1990⟧
cs	Doručovací adresa: ⟦LOCATION|Na Příkopě 859/22, 110 00 Praha 1⟧
cs	Číslo účtu pro vrácení peněz: ⟦IBAN|«ib_cz»⟧
cs	Pacient: ⟦PERSON|Petr Dvořák⟧, r. č. ⟦ID|«rc2»⟧, pojišťovna 111
cs	Kontaktujte paní ⟦PERSON|Novákovou⟧ na ⟦EMAIL|jana.novakova@example.cz⟧ nebo ⟦PHONE|«p_cz2»⟧
cs	Objednávka č. 240512-0087, sledovací číslo balíku DR1234567890CZ
cs	Vlak R 671 odjíždí z Brna v 14:32 z 3. koleje
# ---------------------------------------------------------------- Hungarian
hu	Jó napot, ⟦PERSON|Kovács Eszter⟧ vagyok, a rendelésemről érdeklődnék. Telefonszámom: ⟦PHONE|«p_hu1»⟧
hu	TAJ szám: ⟦ID|«taj1»⟧, születési dátum: ⟦DATE|1984. április 9.⟧
hu	Szállítási cím: ⟦LOCATION|1052 Budapest, Váci utca 47/B, 3. emelet 12.⟧
hu	Bankszámlaszám: ⟦IBAN|«ib_hu»⟧, kedvezményezett: ⟦PERSON|Nagy Gábor⟧
hu	Beteg neve: ⟦PERSON|Szabó Zsófia⟧, TAJ ⟦ID|«taj2»⟧, mobil ⟦PHONE|«p_hu2»⟧
hu	Írjon a ⟦EMAIL|toth.balazs@example.hu⟧ címre, vagy hívja az irodát: ⟦PHONE|«p_hu3»⟧
hu	Rendelésszám: HU-2024-558812, összeg 12 990 Ft, várható szállítás 3-5 munkanap
hu	A Balaton területe 594 km², legnagyobb mélysége 12,5 m
# ---------------------------------------------------------------- Romanian
ro	Bună ziua, sunt ⟦PERSON|Andreea Popescu⟧, telefon ⟦PHONE|«p_ro1»⟧, vă scriu în legătură cu comanda
ro	CNP: ⟦ID|«cnp1»⟧
ro	Adresa de livrare: ⟦LOCATION|Str. Mihai Eminescu nr. 14, bl. A2, sc. 1, ap. 7, Cluj-Napoca 400001⟧
ro	Vă rog să returnați banii în contul ⟦IBAN|«ib_ro»⟧, titular ⟦PERSON|Ionuț Dumitrescu⟧
ro	Fișa pacientului: ⟦PERSON|Elena Stan⟧, CNP ⟦ID|«cnp2»⟧, data nașterii ⟦DATE|12.01.1996⟧, tel. ⟦PHONE|«p_ro2»⟧
ro	Trimiteți factura pe ⟦EMAIL|mihai.ionescu@example.ro⟧
ro	Comanda nr. 7781203 a fost expediată prin Fan Courier, AWB 2405118877
ro	Versiunea 2.8.0 a aplicației, build 5521, lansată pe 12 martie
# ---------------------------------------------------------------- Ukrainian
uk	Доброго дня! Мене звати ⟦PERSON|Оксана Коваленко⟧, мій номер ⟦PHONE|«p_ua1»⟧
uk	РНОКПП (ІПН): ⟦ID|«ua1»⟧, дата народження ⟦DATE|14.07.1983⟧
uk	Адреса доставки: ⟦LOCATION|м. Київ, вул. Хрещатик, 22, кв. 15, 01001⟧
uk	Поверніть кошти на рахунок ⟦IBAN|«ib_ua»⟧, отримувач ⟦PERSON|Дмитро Шевчук⟧
uk	Відділення Нової Пошти №12, одержувач ⟦PERSON|Ірина Бондаренко⟧, тел. ⟦PHONE|«p_ua2»⟧
uk	Пишіть на ⟦EMAIL|andriy.melnyk@example.com.ua⟧, або дзвоніть у офіс ⟦PHONE|«p_ua3»⟧
uk	Податковий номер ⟦ID|«ua2»⟧ вказано у договорі
uk	Замовлення № 1184057 відправлено, ТТН 20450012345678
uk	Версія 5.2.1 вийшла 3 березня, виправлено 14 помилок
# ---------------------------------------------------------------- Greek
el	Καλησπέρα, ονομάζομαι ⟦PERSON|Γιώργος Παπαδόπουλος⟧, κινητό ⟦PHONE|«p_gr1»⟧
el	ΑΜΚΑ: ⟦ID|«amka1»⟧, ημερομηνία γέννησης ⟦DATE|12/04/1985⟧
el	Διεύθυνση αποστολής: ⟦LOCATION|Οδός Ερμού 25, 105 63 Αθήνα⟧
el	Αριθμός λογαριασμού (IBAN): ⟦IBAN|«ib_gr»⟧, δικαιούχος ⟦PERSON|Μαρία Κωνσταντίνου⟧
el	Ασθενής: ⟦PERSON|Δημήτρης Νικολάου⟧, ΑΜΚΑ ⟦ID|«amka2»⟧, τηλ. ⟦PHONE|«p_gr2»⟧
el	Στείλτε μου email στο ⟦EMAIL|eleni.georgiou@example.gr⟧
el	Κωδικός παραγγελίας 5510298, αριθμός αποστολής ACS 7401234567
el	Ο Παρθενώνας χτίστηκε μεταξύ 447 και 432 π.Χ.
# ---------------------------------------------------------------- Hebrew
he	שלום, קוראים לי ⟦PERSON|נועה כהן⟧ ואני מחכה להחזר. הטלפון שלי ⟦PHONE|«p_il1»⟧
he	תעודת זהות: ⟦ID|«il1»⟧, תאריך לידה: ⟦DATE|15.08.1990⟧
he	כתובת למשלוח: ⟦LOCATION|רחוב הרצל 45 דירה 8, תל אביב⟧
he	נא להעביר לחשבון ⟦IBAN|«ib_il»⟧ על שם ⟦PERSON|יוסי לוי⟧
he	מטופל: ⟦PERSON|אבי מזרחי⟧, ת.ז. ⟦ID|«il2»⟧, נייד ⟦PHONE|«p_il2»⟧
he	אפשר לכתוב לי ל-⟦EMAIL|dana.friedman@example.co.il⟧ או להתקשר למשרד ⟦PHONE|«p_il3»⟧
he	מספר הזמנה 4471209, משלוח צפוי תוך 5 ימי עסקים
he	גרסה 7.4.2 שוחררה היום עם תיקוני אבטחה
# ---------------------------------------------------------------- Persian
fa	سلام، من ⟦PERSON|مریم احمدی⟧ هستم، شماره تماس ⟦PHONE|«p_ir1»⟧
fa	کد ملی: ⟦ID|«ir1»⟧، تاریخ تولد: ⟦DATE|۱۳۶۹/۰۵/۲۱⟧
fa	کد ملی ⟦ID|«ir1_native»⟧ را در فرم وارد کنید
fa	آدرس: ⟦LOCATION|تهران، خیابان ولیعصر، کوچه نهم، پلاک ۱۲، واحد ۳⟧
fa	بیمار: ⟦PERSON|علی رضایی⟧، کد ملی ⟦ID|«ir2»⟧، موبایل ⟦PHONE|«p_ir_native»⟧
fa	لطفاً به ایمیل ⟦EMAIL|reza.karimi@example.ir⟧ پاسخ دهید
fa	شماره سفارش ۸۸۲۱۰۴۵ ثبت شد، مبلغ ۲۵۰٬۰۰۰ تومان
fa	نسخه ۴.۱.۰ برنامه منتشر شد
# ---------------------------------------------------------------- Urdu
ur	السلام علیکم، میرا نام ⟦PERSON|عمران خان⟧ ہے اور میرا نمبر ⟦PHONE|«p_pk2»⟧ ہے
ur	شناختی کارڈ نمبر: ⟦ID|35201-4567891-3⟧
ur	پتہ: ⟦LOCATION|مکان نمبر 24، گلی نمبر 7، جی-9/2، اسلام آباد⟧
ur	براہ کرم ای میل کریں: ⟦EMAIL|ayesha.siddiqui@example.pk⟧
ur	مریض: ⟦PERSON|فاطمہ بی بی⟧، تاریخ پیدائش ⟦DATE|12-06-1975⟧، فون ⟦PHONE|«p_pk1»⟧
ur	آرڈر نمبر 66120934، قیمت 4,500 روپے
# ---------------------------------------------------------------- Thai
th	สวัสดีค่ะ ดิฉันชื่อ ⟦PERSON|สมศรี ใจดี⟧ เบอร์โทร ⟦PHONE|«p_th2»⟧
th	เลขประจำตัวประชาชน ⟦ID|«th1»⟧ วันเกิด ⟦DATE|12 มีนาคม 2528⟧
th	ที่อยู่จัดส่ง: ⟦LOCATION|99/12 ซอยสุขุมวิท 24 แขวงคลองตัน เขตคลองเตย กรุงเทพฯ 10110⟧
th	ติดต่อ ⟦PERSON|คุณวิชัย⟧ ได้ที่ ⟦PHONE|«p_th_native»⟧
th	อีเมลของผม ⟦EMAIL|somchai.k@example.co.th⟧ ครับ
th	ผู้ป่วย: ⟦PERSON|นายประเสริฐ สุขสวัสดิ์⟧ เลขบัตร ⟦ID|«th2»⟧ โทร ⟦PHONE|«p_th3»⟧
th	Booking for ⟦PERSON|Ms. Pimchanok Srisuk⟧, mobile ⟦PHONE|«p_th1»⟧, check-in 14 Dec
th	หมายเลขคำสั่งซื้อ 240512889 จัดส่งแล้ว เลขพัสดุ TH0123456789
th	ราคา 1,290 บาท รุ่น X-200 เวอร์ชัน 2.1
# ---------------------------------------------------------------- Vietnamese
vi	Chào shop, mình là ⟦PERSON|Nguyễn Thị Mai⟧, sđt ⟦PHONE|«p_vn2»⟧, đơn hàng của mình chưa tới
vi	Số CCCD: ⟦ID|001192004567⟧, ngày sinh ⟦DATE|15/08/1992⟧
vi	CCCD ⟦ID|079085012345⟧ cấp tại Cục Cảnh sát QLHC
vi	Địa chỉ nhận hàng: ⟦LOCATION|Số 12 Ngõ 34 Phố Huế, Phường Phạm Đình Hổ, Quận Hai Bà Trưng, Hà Nội⟧
vi	Bệnh nhân: ⟦PERSON|Trần Văn Hùng⟧, năm sinh ⟦DATE|1968⟧, điện thoại ⟦PHONE|«p_vn1»⟧
vi	Gửi hóa đơn về ⟦EMAIL|le.thanh.huong@example.vn⟧ giúp em
vi	Văn phòng: ⟦PHONE|«p_vn3»⟧, người liên hệ ⟦PERSON|Phạm Minh Tuấn⟧
vi	Mã đơn hàng 2405XK8812, phí vận chuyển 30.000đ
vi	Phiên bản 1.4.7 cập nhật ngày 12/03/2024
# ---------------------------------------------------------------- Indonesian
id	Halo kak, saya ⟦PERSON|Dewi Lestari⟧, nomor WA ⟦PHONE|«p_id1»⟧, pesanan saya belum sampai
id	NIK: ⟦ID|3273015208900002⟧, tanggal lahir ⟦DATE|12 Agustus 1990⟧
id	Alamat pengiriman: ⟦LOCATION|Jl. Merdeka No. 45, RT 02/RW 05, Kel. Citarum, Kec. Bandung Wetan, Bandung 40115⟧
id	Transfer ke rekening BCA ⟦ID|1234567890⟧ a.n. ⟦PERSON|Budi Santoso⟧
id	Pasien: ⟦PERSON|Siti Rahmawati⟧, HP ⟦PHONE|«p_id2»⟧, alergi amoksisilin
id	Kirim email ke ⟦EMAIL|agus.pratama@example.co.id⟧ ya kak
id	Kantor pusat: ⟦PHONE|«p_id3»⟧ (jam kerja)
id	No. resi JNE 0123456789012, total Rp 150.000, kode voucher HEMAT20
id	Versi aplikasi 6.12.0, ukuran 84 MB
# ---------------------------------------------------------------- Turkish
tr	Merhaba, ben ⟦PERSON|Elif Yılmaz⟧, siparişim hakkında yazıyorum. Telefon: ⟦PHONE|«p_tr1»⟧
tr	T.C. Kimlik No: ⟦ID|«tr1»⟧, doğum tarihi ⟦DATE|05.11.1988⟧
tr	Teslimat adresi: ⟦LOCATION|Bağdat Caddesi No: 214 Daire: 6, 34728 Kadıköy/İstanbul⟧
tr	İade için IBAN: ⟦IBAN|«ib_tr»⟧, alıcı ⟦PERSON|Mehmet Demir⟧
tr	Hasta: ⟦PERSON|Ayşe Kaya⟧, TCKN ⟦ID|«tr2»⟧, cep ⟦PHONE|«p_tr2»⟧
tr	E-posta adresim ⟦EMAIL|burak.celik@example.com.tr⟧, ofis ⟦PHONE|«p_tr3»⟧
tr	Troy kartım ⟦CREDIT_CARD|«c_troy»⟧ ile ödeme yapamıyorum
tr	Sipariş no 1205887412, kargo takip 7301234567, tutar 1.249,90 TL
tr	Sürüm 8.0.3 yayınlandı; 1071 Malazgirt, 1453 İstanbul'un fethi
# ---------------------------------------------------------------- Dutch
nl	Hoi, ik ben ⟦PERSON|Sanne de Vries⟧ en mijn pakket is niet aangekomen. Bel me op ⟦PHONE|«p_nl2»⟧
nl	BSN: ⟦ID|«bsn1»⟧, geboortedatum ⟦DATE|14-02-1987⟧
nl	Bezorgadres: ⟦LOCATION|Prinsengracht 263-1, 1016 GV Amsterdam⟧
nl	Graag terugstorten op ⟦IBAN|«ib_nl»⟧ t.n.v. ⟦PERSON|J. van den Berg⟧
nl	Personeelsformulier\nNaam: ⟦PERSON|Pieter Jansen⟧\nBSN: ⟦ID|«bsn2»⟧\nIBAN: ⟦IBAN|«ib_nl2»⟧\nAdres: ⟦LOCATION|Oudegracht 140, 3511 AZ Utrecht⟧
nl	Mail me op ⟦EMAIL|lotte.bakker@example.nl⟧ of bel kantoor ⟦PHONE|«p_nl3»⟧
nl	Mobiel: ⟦PHONE|«p_nl1»⟧ (alleen na 17:00)
nl	Bestelnummer 1045-8821-33, track & trace 3SABCD1234567
nl	Versie 2.14.0, artikelnummer 8712345678906, prijs € 24,95
# ---------------------------------------------------------------- Portuguese (Brazil)
pt	Oi, meu nome é ⟦PERSON|Juliana Ferreira⟧ e meu pedido atrasou. Meu celular é ⟦PHONE|«p_br2»⟧
pt	CPF: ⟦ID|«cpf1»⟧, data de nascimento ⟦DATE|23/09/1991⟧
pt	Endereço de entrega: ⟦LOCATION|Rua Augusta, 1508, apto 42, Consolação, São Paulo - SP, 01304-001⟧
pt	Reembolso na conta ⟦IBAN|«ib_br»⟧, titular ⟦PERSON|Rafael Oliveira⟧
pt	Ficha do paciente: ⟦PERSON|Carlos Eduardo Souza⟧, CPF ⟦ID|«cpf2»⟧, WhatsApp ⟦PHONE|«p_br1»⟧
pt	Manda um e-mail pra ⟦EMAIL|beatriz.almeida@example.com.br⟧ que eu respondo
pt	Paguei com o cartão Elo ⟦CREDIT_CARD|«c_elo»⟧ e cobrou duas vezes
pt	Hipercard ⟦CREDIT_CARD|«c_hiper»⟧ recusado
pt	Escritório: ⟦PHONE|«p_br3»⟧, falar com ⟦PERSON|Dona Marlene⟧
pt	Pedido nº 1002-384756, código de rastreio OJ123456789BR, NF-e 35240512345678000199550010000012341000012345
pt	Versão 4.3.2 do app, lançada em 15/03/2024
# ---------------------------------------------------------------- Korean
ko	안녕하세요, ⟦PERSON|김지은⟧입니다. 주문 관련 문의드려요. 연락처 ⟦PHONE|«p_kr1»⟧
ko	주민등록번호: ⟦ID|«rrn1»⟧
ko	배송지: ⟦LOCATION|서울특별시 강남구 테헤란로 152, 12층 1203호⟧
ko	환불 계좌: 국민은행 ⟦ID|123401-04-567890⟧ 예금주 ⟦PERSON|박서준⟧
ko	환자명: ⟦PERSON|이민호⟧, 생년월일 ⟦DATE|1985년 3월 14일⟧, 휴대폰 ⟦PHONE|«p_kr2»⟧
ko	이메일 ⟦EMAIL|minji.choi@example.co.kr⟧로 견적서 보내주세요
ko	사무실 전화 ⟦PHONE|«p_kr3»⟧, 담당자 ⟦PERSON|정우성⟧ 과장
ko	BC카드 ⟦CREDIT_CARD|«c_bc»⟧ 결제 오류가 났어요
ko	주문번호 20240512-0008812, 운송장 번호 6012345678901
ko	버전 3.2.1 업데이트, 빌드 번호 20240418
# ---------------------------------------------------------------- Japanese (business)
ja	お世話になっております。株式会社サンプルの⟦PERSON|佐藤健一⟧です。携帯：⟦PHONE|«p_jp1»⟧
ja	マイナンバー：⟦ID|«jp1»⟧
ja	お届け先：⟦LOCATION|〒150-0002 東京都渋谷区渋谷2-21-1 ヒカリエ12F⟧
ja	振込先：みずほ銀行 渋谷支店 普通 ⟦ID|1234567⟧ 名義 ⟦PERSON|ヤマダ タロウ⟧
ja	患者氏名：⟦PERSON|鈴木花子⟧、生年月日：⟦DATE|1978年11月3日⟧、電話：⟦PHONE|«p_jp2»⟧
ja	メールは⟦EMAIL|k.tanaka@example.co.jp⟧までお願いいたします
ja	営業担当の⟦PERSON|高橋⟧様にお伝えください。直通 ⟦PHONE|«p_jp3»⟧
ja	JCBカード ⟦CREDIT_CARD|«c_jcb»⟧ で決済しました
ja	注文番号 250-1234567-8901234、品番 ABC-12345-JP、税込 3,980円
ja	バージョン 2.0.1 を 2024年4月1日 にリリースしました
# ---------------------------------------------------------------- gap identifiers (HK, LK, MM, VN, passports)
en	HKID: ⟦ID|«hk1»⟧, please verify before check-in
en	Applicant's Hong Kong identity card number ⟦ID|«hk2»⟧, mobile ⟦PHONE|«p_hk1»⟧
en	NIC No: ⟦ID|852314567V⟧, name ⟦PERSON|Nuwan Perera⟧, mobile ⟦PHONE|«p_lk1»⟧
en	New NIC ⟦ID|199023401234⟧ issued in 2019
en	NRC: ⟦ID|9/MaHtaLa(N)045123⟧, Mandalay
en	My passport number is ⟦ID|X1234567⟧, expiring 2031
en	passport no. ⟦ID|K12345678⟧, nationality: Korean
en	Guest ⟦PERSON|Dang Thi Thu⟧, CCCD ⟦ID|038192003456⟧, room 512
en	Anrufen bitte unter ⟦PHONE|«p_de1»⟧, ⟦PERSON|Herr Schröder⟧
# ---------------------------------------------------------------- layouts: shipping labels, OCR, chat exports, SQL, code
en	SHIP TO:\n⟦PERSON|MARIA GONZALEZ⟧\n⟦LOCATION|1420 OAK STREET APT 3B, SPRINGFIELD IL 62704⟧\nTEL ⟦PHONE|«p_us1»⟧
en	DELIVER TO: ⟦PERSON|KOWALSKI JAN⟧, ⟦LOCATION|UL. DŁUGA 5, 80-827 GDAŃSK⟧
en	FROM: ⟦PERSON|T. NGUYEN⟧ ⟦LOCATION|88 CHURCH ROAD, LONDON SW19 5AE⟧ ⟦PHONE|«p_gb1»⟧
en	[2024-05-02 09:14] ⟦PERSON|Joanna Mazur⟧: hi, can you change my number to ⟦PHONE|«p_pl1»⟧?\n[2024-05-02 09:15] Support: done
en	12/03/2024, 21:47 - ⟦PERSON|Rafael Costa⟧: meu cpf é ⟦ID|«cpf1»⟧\n12/03/2024, 21:48 - ⟦PERSON|Ana Lima⟧: ok obrigado
en	[오후 3:12] ⟦PERSON|김민수⟧ : 제 번호는 ⟦PHONE|«p_kr1»⟧ 입니다
en	INSERT INTO patients (id, name, dob, phone) VALUES (1041, '⟦PERSON|Zeynep Arslan⟧', '⟦DATE|1990-02-17⟧', '⟦PHONE|«p_tr1»⟧');
en	INSERT INTO `klienci` VALUES (7,'⟦PERSON|Paweł Lis⟧','⟦EMAIL|pawel.lis@example.pl⟧','⟦ID|«pesel1»⟧');
en	COPY employees (id, full_name, bsn, iban) FROM stdin;\n17	⟦PERSON|Daan Visser⟧	⟦ID|«bsn1»⟧	⟦IBAN|«ib_nl2»⟧\n\.
en	-- owner: ⟦PERSON|Tran Quoc Bao⟧ (⟦EMAIL|bao.tran@example.vn⟧), do not drop this table
en	// FIXME(⟦EMAIL|h.ozturk@example.com.tr⟧): hard-coded test card ⟦CREDIT_CARD|«c_visa4»⟧, remove before release
en	# contact ⟦PERSON|Kateryna Lysenko⟧ ⟦PHONE|«p_ua2»⟧ if the cron fails
en	OCR:  N a m e :  ⟦PERSON|A n n a  K o w a l s k a⟧   T e l :  ⟦PHONE|«p_pl_ocr»⟧
en	OCR of a form: Surname: ⟦PERSON|NOWAK⟧  Given names: ⟦PERSON|PIOTR ADAM⟧  Date of birth: ⟦DATE|07 . 11 . 1979⟧  ID no. ⟦ID|«pesel1»⟧
en	Enrollment record\nStudent: ⟦PERSON|Hana Kimura⟧\nDOB: ⟦DATE|2011-05-09⟧\nGuardian: ⟦PERSON|Kenji Kimura⟧, ⟦PHONE|«p_jp3»⟧
en	Report card for ⟦PERSON|Mateus Rocha⟧, grade 7B, date of birth ⟦DATE|March 2, 2012⟧
en	Booking ref QX7P2L: passenger ⟦PERSON|KAYA/AHMET MR⟧, passport ⟦ID|U12345678⟧, mobile ⟦PHONE|«p_tr2»⟧
en	Hotel reservation for ⟦PERSON|Ms. Tal Ben-David⟧, arriving 14 Jun, card on file ⟦CREDIT_CARD|«c_mc»⟧
en	Invoice to: ⟦PERSON|Ionela Vasilescu⟧, ⟦LOCATION|Bd. Unirii 23, ap. 12, București 030828⟧, CNP ⟦ID|«cnp1»⟧
en	Medical intake: name ⟦PERSON|Ahmad Farhadi⟧, born ⟦DATE|21 June 1990⟧, insurance no. ⟦ID|«taj1»⟧ (Hungarian TAJ)
en	Emergency contact: ⟦PERSON|Yael Shapiro⟧, ⟦PHONE|«p_il2»⟧
en	HR: new hire ⟦PERSON|Lukas Horváth⟧, start 1 June, personal email ⟦EMAIL|lukas.horvath@example.sk⟧
en	Refund to card ⟦CREDIT_CARD|«c_mc2»⟧ for ⟦PERSON|Somsak Chaiyaporn⟧
en	Payroll: ⟦PERSON|Olga Petrenko⟧ — IBAN ⟦IBAN|«ib_ua»⟧, RNOKPP ⟦ID|«ua1»⟧
en	Wire to ⟦IBAN|«ib_pl2»⟧, title: rent May
en	Customer said her email is ⟦EMAIL|n.yamamoto@example.jp⟧ and her card ⟦CREDIT_CARD|«c_visa2»⟧
en	user 4412 logged in from ⟦IP|203.0.113.54⟧ (session 9f2c), then from ⟦IP|2001:db8:1c::4⟧
en	The caller, ⟦PERSON|Mrs. Wiśniewska⟧, asked us to call back on ⟦PHONE|«p_pl2»⟧
en	Dear ⟦PERSON|Mr. Al-Rashid⟧, your appointment is confirmed.
en	Please update the record: ⟦PERSON|Nikos Georgiou⟧ moved to ⟦LOCATION|Leoforos Kifisias 120, 115 26 Athens⟧
en	Visa ⟦CREDIT_CARD|«c_visa3»⟧ exp 04/27 — cardholder ⟦PERSON|Dilnoza Yusupova⟧
en	charge ⟦CREDIT_CARD|«c_mc3»⟧ the remaining balance
mix	Merhaba, my name is ⟦PERSON|Can Öztürk⟧, benim numaram ⟦PHONE|«p_tr3»⟧
mix	Hi shop, em tên ⟦PERSON|Lan⟧, số điện thoại ⟦PHONE|«p_vn2»⟧ nha
mix	Kak, tolong kirim ke ⟦EMAIL|rina.wijaya@example.id⟧ ya, thanks!
mix	สวัสดีครับ my name is ⟦PERSON|Anan Wongsakul⟧, tel ⟦PHONE|«p_th2»⟧
mix	Привіт, I'm ⟦PERSON|Taras Hnatyuk⟧, my number ⟦PHONE|«p_ua1»⟧
mix	Oi! My CPF is ⟦ID|«cpf2»⟧ and email ⟦EMAIL|thiago.s@example.com.br⟧
mix	Dzięki! Tu ⟦PERSON|Michał⟧, mój mail ⟦EMAIL|michal.k@example.pl⟧
mix	Hallo, ik ben ⟦PERSON|Youssef El Amrani⟧, bel me: ⟦PHONE|«p_nl1»⟧
mix	Szia, ⟦PERSON|Balázs⟧ vagyok, my phone is ⟦PHONE|«p_hu1»⟧
mix	Γεια, είμαι η ⟦PERSON|Κατερίνα⟧, my email is ⟦EMAIL|katerina.p@example.gr⟧
mix	本日の担当は⟦PERSON|中村⟧です。連絡先 ⟦EMAIL|nakamura@example.jp⟧
mix	배송 문의: ⟦PERSON|최유진⟧ 님, ⟦PHONE|«p_kr2»⟧
# ---------------------------------------------------------------- more positives per language (second pass, same session, before the first score)
pl	Zgłoszenie reklamacyjne: klient ⟦PERSON|Grzegorz Pawlak⟧, e-mail ⟦EMAIL|g.pawlak@example.pl⟧, paragon nr 4471
pl	Rezerwacja hotelu na nazwisko ⟦PERSON|Kozłowska⟧, tel. ⟦PHONE|«p_pl3»⟧, przyjazd 14.06
pl	Świadectwo szkolne: ⟦PERSON|Julia Mazurek⟧, urodzona ⟦DATE|14 lutego 2009⟧ w Poznaniu
pl	Mieszkam przy ⟦LOCATION|ul. Kwiatowej 7, 05-500 Piaseczno⟧, proszę o kuriera po 16
pl	Karta ⟦CREDIT_CARD|«c_mc»⟧ została obciążona dwa razy
cs	Přihláška zaměstnance: ⟦PERSON|Tomáš Procházka⟧, bydliště ⟦LOCATION|Masarykova 12, 602 00 Brno⟧, e-mail ⟦EMAIL|tomas.prochazka@example.cz⟧
cs	Vysvědčení: žák ⟦PERSON|Jakub Černý⟧, narozen ⟦DATE|4. 9. 2010⟧
cs	Zavolejte mi prosím na ⟦PHONE|«p_cz1»⟧, ⟦PERSON|Martina Veselá⟧
cs	Platba kartou ⟦CREDIT_CARD|«c_visa2»⟧ byla zamítnuta
hu	Munkavállalói adatlap\nNév: ⟦PERSON|Horváth Péter⟧\nLakcím: ⟦LOCATION|6720 Szeged, Kárász utca 9.⟧\nTelefon: ⟦PHONE|«p_hu2»⟧
hu	Foglalás ⟦PERSON|Varga Anna⟧ nevére, e-mail: ⟦EMAIL|varga.anna@example.hu⟧
hu	A kártyám (⟦CREDIT_CARD|«c_visa3»⟧) letiltását kérem
hu	Született: ⟦DATE|1979. november 23.⟧, anyja neve: ⟦PERSON|Molnár Katalin⟧
ro	Rezervare pe numele ⟦PERSON|Alexandru Georgescu⟧, telefon ⟦PHONE|«p_ro2»⟧, 2 nopți
ro	Elev: ⟦PERSON|Ioana Marin⟧, născută la ⟦DATE|3 aprilie 2011⟧, clasa a VII-a
ro	Locuiesc pe ⟦LOCATION|Calea Victoriei 155, sector 1, București⟧, vă rog livrare după ora 18
ro	Plata cu cardul ⟦CREDIT_CARD|«c_mc3»⟧ a eșuat
uk	Анкета працівника\nПІБ: ⟦PERSON|Шевченко Олена Петрівна⟧\nДата народження: ⟦DATE|02.02.1991⟧\nТелефон: ⟦PHONE|«p_ua3»⟧
uk	Бронювання на ім'я ⟦PERSON|Максим Ткаченко⟧, e-mail ⟦EMAIL|m.tkachenko@example.ua⟧
uk	Я мешкаю за адресою ⟦LOCATION|вул. Городоцька, 45, кв. 3, Львів⟧
uk	Картка ⟦CREDIT_CARD|«c_visa»⟧ заблокована, допоможіть
el	Κράτηση στο όνομα ⟦PERSON|Ελένη Βασιλείου⟧, τηλ. ⟦PHONE|«p_gr1»⟧
el	Μαθητής: ⟦PERSON|Νίκος Αλεξίου⟧, γεννήθηκε στις ⟦DATE|5 Μαΐου 2010⟧
el	Μένω στην ⟦LOCATION|Λεωφόρο Βασιλίσσης Σοφίας 42, 115 28 Αθήνα⟧
el	Η κάρτα μου ⟦CREDIT_CARD|«c_mc2»⟧ χρεώθηκε δύο φορές
he	הזמנה על שם ⟦PERSON|רונית אברהם⟧, טלפון ⟦PHONE|«p_il3»⟧
he	תלמיד: ⟦PERSON|איתי גולן⟧, נולד ב-⟦DATE|12.3.2011⟧
he	אני גר ב⟦LOCATION|רחוב בן יהודה 120, ירושלים⟧
he	הכרטיס שלי ⟦CREDIT_CARD|«c_visa2»⟧ נחסם
fa	رزرو هتل به نام ⟦PERSON|سارا محمدی⟧، تلفن ⟦PHONE|«p_ir2»⟧
fa	دانش‌آموز: ⟦PERSON|امیر حسینی⟧، متولد ⟦DATE|۱۳۹۰/۰۲/۱۵⟧
fa	ایمیل من ⟦EMAIL|sara.mohammadi@example.com⟧ است
ur	ہوٹل بکنگ ⟦PERSON|زینب علی⟧ کے نام پر، ای میل ⟦EMAIL|zainab.ali@example.com⟧
ur	طالب علم: ⟦PERSON|حمزہ احمد⟧، تاریخ پیدائش ⟦DATE|2010-03-14⟧
ur	میرا کارڈ ⟦CREDIT_CARD|«c_visa4»⟧ بلاک ہو گیا ہے
th	จองห้องพักในนาม ⟦PERSON|นางสาวกมลชนก ศรีสุข⟧ อีเมล ⟦EMAIL|kamonchanok@example.co.th⟧
th	นักเรียน: ⟦PERSON|เด็กชายธนากร มีสุข⟧ เกิดวันที่ ⟦DATE|5 พฤษภาคม 2555⟧
th	บัตรเครดิต ⟦CREDIT_CARD|«c_visa3»⟧ ถูกตัดเงินสองครั้ง
vi	Đặt phòng cho ⟦PERSON|Lê Hoàng Nam⟧, email ⟦EMAIL|hoangnam.le@example.vn⟧
vi	Học sinh: ⟦PERSON|Võ Ngọc Anh⟧, sinh ngày ⟦DATE|20/11/2012⟧, lớp 6A
vi	Em ở ⟦LOCATION|123 Đường Nguyễn Trãi, Phường 2, Quận 5, TP.HCM⟧ ạ
vi	Thẻ ⟦CREDIT_CARD|«c_mc»⟧ bị trừ tiền 2 lần
id	Pemesanan hotel atas nama ⟦PERSON|Rizky Ramadhan⟧, email ⟦EMAIL|rizky.r@example.id⟧
id	Siswa: ⟦PERSON|Putri Ayu Lestari⟧, lahir ⟦DATE|5 Mei 2010⟧
id	Kartu kredit saya ⟦CREDIT_CARD|«c_visa»⟧ terpotong dua kali
id	Saya tinggal di ⟦LOCATION|Jl. Kaliurang Km 5 No. 12, Sleman, Yogyakarta 55281⟧
tr	Otel rezervasyonu ⟦PERSON|Zeynep Şahin⟧ adına, e-posta ⟦EMAIL|zeynep.sahin@example.com⟧
tr	Öğrenci: ⟦PERSON|Emre Aydın⟧, doğum tarihi ⟦DATE|14 Mart 2011⟧
tr	Adresim: ⟦LOCATION|Atatürk Bulvarı No: 45 D: 3, Çankaya/Ankara⟧
tr	Kartım ⟦CREDIT_CARD|«c_mc3»⟧ iki kez çekildi
nl	Reservering op naam van ⟦PERSON|Daan Smit⟧, tel. ⟦PHONE|«p_nl2»⟧
nl	Leerling: ⟦PERSON|Emma Visser⟧, geboren op ⟦DATE|3 maart 2012⟧
nl	Ik woon op ⟦LOCATION|Kerkstraat 12, 5611 GJ Eindhoven⟧
nl	Mijn creditcard ⟦CREDIT_CARD|«c_mc2»⟧ is twee keer belast
pt	Reserva em nome de ⟦PERSON|Gabriel Santos⟧, e-mail ⟦EMAIL|gabriel.santos@example.com.br⟧
pt	Aluno: ⟦PERSON|Lucas Pereira⟧, nascido em ⟦DATE|7 de junho de 2011⟧, turma 6ºB
pt	Moro na ⟦LOCATION|Av. Atlântica, 2000, ap. 801, Copacabana, Rio de Janeiro - RJ⟧
pt	Ficha de RH: ⟦PERSON|Fernanda Lima⟧, CPF ⟦ID|«cpf1»⟧, admissão 01/03/2024
ko	호텔 예약자: ⟦PERSON|한소희⟧, 이메일 ⟦EMAIL|sohee.han@example.co.kr⟧
ko	학생: ⟦PERSON|윤도현⟧, 생년월일 ⟦DATE|2011.05.09⟧
ko	주민번호 ⟦ID|«rrn2»⟧ 확인 부탁드립니다
ko	저희 집 주소는 ⟦LOCATION|부산광역시 해운대구 센텀중앙로 97, 101동 1502호⟧입니다
ja	ご予約者様：⟦PERSON|渡辺美咲⟧様、メール ⟦EMAIL|misaki.w@example.jp⟧
ja	生徒氏名：⟦PERSON|小林大翔⟧、生年月日：⟦DATE|2011年5月9日⟧
ja	マイナンバー ⟦ID|«jp2»⟧ をご提出ください
ja	住所：⟦LOCATION|大阪府大阪市北区梅田3-1-3 グランフロント5階⟧
en	HR form\nEmployee: ⟦PERSON|Aleksandra Nowak⟧\nPersonal email: ⟦EMAIL|ola.nowak@example.com⟧\nHome address: ⟦LOCATION|ul. Mokotowska 15 m. 4, 00-640 Warszawa⟧
en	Patient: ⟦PERSON|Kim Min-jun⟧, DOB ⟦DATE|1985-03-14⟧, RRN ⟦ID|«rrn1»⟧, tel ⟦PHONE|«p_kr3»⟧
en	Traveller: ⟦PERSON|Mr. Hiroshi Sato⟧, My Number ⟦ID|«jp1»⟧, contact ⟦PHONE|«p_jp1»⟧
en	Bill to: ⟦PERSON|Nguyễn Văn An⟧, ⟦LOCATION|45 Lê Lợi, Quận 1, TP. Hồ Chí Minh⟧, tax code on file
en	Guardian: ⟦PERSON|Farah Naz⟧, CNIC ⟦ID|35201-4567891-3⟧, phone ⟦PHONE|«p_pk1»⟧
en	Student record: ⟦PERSON|Noa Levi⟧, Teudat Zehut ⟦ID|«il1»⟧, born ⟦DATE|2010-09-01⟧
en	Claim form: insured ⟦PERSON|Panagiotis Karras⟧, AMKA ⟦ID|«amka1»⟧
en	Shipping label: ⟦PERSON|PUTU WIRAWAN⟧, ⟦LOCATION|JL. RAYA UBUD NO. 8, GIANYAR, BALI 80571⟧, ⟦PHONE|«p_id1»⟧
en	Consignee: ⟦PERSON|SOMCHAI RATTANA⟧ / ⟦PHONE|«p_th1»⟧ / ⟦LOCATION|55/8 MOO 3, NONG PRUE, BANG LAMUNG, CHONBURI 20150⟧
en	Thai ID ⟦ID|«th2»⟧ belongs to the tenant ⟦PERSON|Ratana Boonmee⟧
en	TCKN ⟦ID|«tr1»⟧ on the rental contract of ⟦PERSON|Hakan Koç⟧
en	BSN ⟦ID|«bsn2»⟧ and CPF ⟦ID|«cpf2»⟧ were pasted into the ticket by mistake
en	RNOKPP ⟦ID|«ua2»⟧ and PESEL ⟦ID|«pesel2»⟧ need masking in the export
en	National code ⟦ID|«ir2»⟧, holder ⟦PERSON|Reza Tehrani⟧
# ---------------------------------------------------------------- PII-free look-alikes
pl	Zamówienie ZK/2024/000871 z dnia 12.03.2024, SKU 5901234123457
pl	Szczyt Rysy ma 2499 m n.p.m., współrzędne 49.1794° N, 20.0881° E
pl	Wersja 1.0.15 sterownika, suma kontrolna SHA-1 a94a8fe5ccb19ba61c4c0873d391e987982fbbd3
cs	Faktura č. 2024-0815, variabilní symbol 20240815, splatnost 14 dní
cs	Sněžka (1603 m) leží na 50.7360° N, 15.7399° E
hu	Számla sorszáma: SZLA-2024/00412, nettó 48 000 Ft, ÁFA 27 %
hu	A 2024. évi LXXIII. törvény 12. §-a szerint
ro	Factura seria B nr. 00458812, TVA 19 %, total 1.249,00 lei
ro	Vârful Moldoveanu: 2544 m, coordonate 45.6033° N, 24.7386° E
uk	Рахунок-фактура № 245-12 від 02.05.2024, сума 12 450,00 грн
uk	Говерла, 2061 м, 48.1602° N, 24.5002° E
el	Τιμολόγιο 2024/000315, ΦΠΑ 24 %, σύνολο 1.240,00 €
el	Όλυμπος: 2918 μέτρα, 40.0859° N, 22.3583° E
he	חשבונית מס 30045871, סה״כ 1,170 ₪ כולל מע״מ
he	הר החרמון מתנשא לגובה 2,814 מטרים
fa	فاکتور شماره ۱۴۰۳-۰۲۱۵، جمع کل ۳٬۵۰۰٬۰۰۰ ریال
fa	قله دماوند ۵۶۰۹ متر ارتفاع دارد
ur	انوائس نمبر INV-2024-0091، کل رقم 12,500 روپے
th	ใบแจ้งหนี้เลขที่ INV6705-0123 ยอดรวม 4,580.00 บาท
th	ดอยอินทนนท์สูง 2,565 เมตร พิกัด 18.5883° N, 98.4867° E
vi	Hóa đơn số 0001234, mã số thuế người bán 0101234567, tổng 2.450.000đ
vi	Đỉnh Fansipan cao 3.143 m, tọa độ 22.3033° N, 103.7750° E
id	Invoice INV/20240512/MPL/3344556677, total Rp 1.250.000
id	Gunung Rinjani 3.726 mdpl, koordinat 8.4113° S, 116.4573° E
tr	Fatura no: GIB2024000001234, KDV %20, toplam 2.400,00 TL
tr	Ağrı Dağı 5137 m, koordinatlar 39.7016° N, 44.2983° E
nl	Factuurnummer 2024-00317, KvK 12345678 (company), btw 21 %
nl	De Vaalserberg is 322,4 meter hoog, 50.7548° N, 6.0207° E
pt	Nota fiscal 000.123.456, série 1, valor R$ 1.299,90 em 10x sem juros
pt	Pico da Neblina: 2.995 m, coordenadas 0.8044° N, 66.0069° W
pt	Lei nº 13.709, de 14 de agosto de 2018 (LGPD), art. 7º
ko	인보이스 번호 INV-2024-05-0042, 합계 1,250,000원 (부가세 포함)
ko	한라산 높이 1,947m, 좌표 33.3617° N, 126.5292° E
ja	請求書番号 INV-20240512-001、合計 ¥128,000（税込）
ja	富士山 3,776 m、北緯35度21分 東経138度43分
ja	JIS X 0208:1997、ISO 8601:2004 に準拠
en	SKU 4006381333931-BLK-XL, lot 24A-1187, exp 2026-09
en	git tag v2.31.4 (commit 7d3f1a9), docker image sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
en	2024-05-02T14:11:09.883+02:00 WARN [pool-3-thread-7] retry 3/5 after 1500 ms
en	Flight TK 1986 IST-WAW departs 07:25, gate F4, seat 23A
en	Train ICE 1003 from Hamburg 06:13, car 21, seat 95
en	Order 7712-4410-0093-2281 placed on 2024-03-14 at 10:42
en	Invoice total 1,234,567.89 USD, PO 4500012345, cost centre 4711
en	[2024-05-02 09:14] build #5521 passed in 12m 41s (312 tests)
en	ISO 3166-1 numeric 616, ISO 4217 PLN 985, HS code 8471.30.00
en	Boeing 787-9 reg TC-LLA, MSN 64512, first flight 2019-06-12
en	The station sits at 52.2297° N, 21.0122° E, 113 m above sea level
en	Case No. 2023/CV/004512, hearing on 12 May 2024 at 10:30
en	SELECT sku, qty FROM stock WHERE warehouse_id = 4401 AND updated_at > '2024-05-01 00:00:00';
en	INSERT INTO products (id, sku, price) VALUES (88213, 'PL-5901234123457', 49.99);
en	// TODO(#4411): bump timeout from 30000 to 45000 ms, see RFC 9110 section 15.6.4
en	Coupon SAVE-2024-XMAS valid until 31/12; min. basket 99.00 EUR
en	Room 1204, floor 12, wing B; Wi-Fi channel 36, 5180 MHz
en	Results: p = 0.0312, n = 1204, CI 95 % [1.12, 2.48], r = 0.61
en	Container MSCU 123456-7, seal 0045821, B/L MEDU4512345678
mix	Pedido 556677 saiu pra entrega, version 2.0.1 do app
mix	Đơn hàng #VN2405-8812 đã giao, tracking SPXVN012345678901
""".strip("\n")


def check_with_stdnum():
    """Re-checks the computed identifiers and IBANs with python-stdnum (Debian python3-stdnum 1.18) where it has the
    scheme; the others are re-computed from their rule."""
    from stdnum.br import cpf
    from stdnum.cz import rc
    from stdnum.gr import amka
    from stdnum.il import idnr
    from stdnum.kr import rrn
    from stdnum.nl import bsn
    from stdnum.pk import cnic
    from stdnum.pl import nip, pesel
    from stdnum.ro import cnp
    from stdnum.th import pin
    from stdnum.tr import tckimlik
    from stdnum.ua import rntrc
    probegen.check_ibans_cards(IDS)
    for k, mod in (("pesel1", pesel), ("pesel2", pesel), ("nip1", nip), ("rc1", rc), ("rc2", rc), ("cnp1", cnp),
                   ("cnp2", cnp), ("ua1", rntrc), ("ua2", rntrc), ("amka1", amka), ("amka2", amka), ("il1", idnr),
                   ("il2", idnr), ("th1", pin), ("th2", pin), ("tr1", tckimlik), ("tr2", tckimlik), ("bsn1", bsn),
                   ("bsn2", bsn), ("cpf1", cpf), ("cpf2", cpf), ("rrn1", rrn), ("rrn2", rrn)):
        mod.validate(IDS[k])
    cnic.validate("35201-4567891-3")
    # not in stdnum 1.18: published examples of the rules above
    assert hkid("A", "123456") == "A123456(3)", hkid("A", "123456")
    assert jp_mynumber("12345678901") == "1234 5678 9018", jp_mynumber("12345678901")
    for v in (IDS["taj1"], IDS["taj2"]):
        d = v.replace(" ", "")
        assert hu_taj(d[:8]).replace(" ", "") == d
    sys.stderr.write("stdnum: all identifiers valid\n")


def phone_lines():
    """`REGION<TAB>number` of every gold phone number, for check_phones.cc (libphonenumber's IsValidNumber)."""
    native = str.maketrans("۰۱۲۳۴۵۶۷۸۹๐๑๒๓๔๕๖๗๘๙", "01234567890123456789")
    return probegen.phone_lines(PH, ["IR\t" + IDS["p_ir_native"].translate(native),
                                     "TH\t" + IDS["p_th_native"].translate(native)])


if __name__ == "__main__":
    probegen.main(CASES, IDS, check_with_stdnum, phone_lines)
