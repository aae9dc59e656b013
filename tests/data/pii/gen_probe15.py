#!/usr/bin/env python3
"""Writes tests/data/pii/probe15.jsonl: the session-15 blind probe, a seventh holdout for
tests/unit/policy/test_pii_probe10.c (which scores probe10 .. probe15 with one scorer).

Source: written in session 15 (2026-12-07) by an engineer of the project (helper pii8) BEFORE any recognizer was
changed and without reading the recognizers' sources (policy/pii/*.c); docs/internals/pii.md was read for the engine's
policy (what DATE_TIME means, what counts as a finding) and for the misses earlier sessions left, gen_probe14.py for the
format. The first score of the untouched engine is the blind figure (docs/internals/pii.md "Quality", session 15).
Emphasis, the classes the earlier probes hold few prompts of or left as misses:
- addresses in national formats: Nordic (sv, da, nb, fi, is: `lgh`, `st. tv.`, `A 7`), Baltic (`mnt`, `iela`, `pr.`),
  Balkan (sr, hr, bs, sl, mk, bg, sq in Latin and Cyrillic), Mexican (`Col.`, `C.P.`, `Alc.`), Québec (`4500, avenue
  Papineau, Montréal (Québec) H2H 1V6`), Gulf (villa / building / road / block / zone numbers, in English and Arabic),
  Japanese, Korean and Chinese addresses in their own script, Indian addresses ending in a PIN, Brazilian addresses with
  a CEP; addresses and names written in capitals (shipping labels, forms, legal captions);
- names in layouts: CSV columns, YAML `name:` and `author:`, JSON `name` / `fullName` / `firstName`+`lastName`, chat
  speaker prefixes (`Maria: ...`, `[10:02] Tomasz: ...`, WhatsApp exports `12/03/24, 09:15 - Fatima Zahra: ...`, IRC
  `<Priya>`);
- phones: German and Austrian area codes set off by a spaced slash (`0171 / 101 80 00`, `030 / 2345 6789`), Warsaw
  landlines (`22 628 12 34`, `(22) ...`, `+48 22 ...`), Gulf, Japanese, Korean, Chinese, Indian, Brazilian numbers;
- mixed-script text: personal data in Latin letters and digits glued to or next to Chinese, Japanese, Arabic,
  Devanagari, Thai, Cyrillic and Hebrew prose;
- ~28 % PII-free look-alikes: order, invoice, ticket and tracking numbers, versions, build numbers, UUIDs, hashes, docker
  digests, prices, scores, coordinates, ISBN/DOI/patent numbers, release dates and log timestamps (DATE gold is a date of
  birth only; the engine also reports dates a word announces, `date:`, `deadline`, `appointment`, as DATE_TIME by
  design, so the look-alikes hold no such word), postcodes and business addresses of public institutions named in
  passing, capitalised phrases that are no names (`Golden Gate Bridge`, `WARNING: DISK FULL`), YAML `name:` of jobs and
  CSV columns of products, chat speakers that are no persons (`Bot:`, `System:`, `Assistant:`).
National identifiers with a published check rule (each function names its rule): BR CPF, PL PESEL, NL BSN, ES DNI, CN
resident ID, SE personnummer, DK CPR, FI HETU, MX CURP; IBANs per ISO 13616; cards per ISO/IEC 7812-1 (Luhn).
Values are drawn with a fixed seed (random.Random(15)). Check digits were re-checked with python-stdnum 1.18
(`/usr/bin/python3 tests/data/pii/gen_probe15.py --check`); phone numbers were checked with libphonenumber (`g++ -o
/tmp/check_phones tests/data/pii/check_phones.cc -lphonenumber && python3 tests/data/pii/gen_probe15.py --phones |
/tmp/check_phones`) before the first score. All values are synthetic (reserved ranges where they exist: example.*
domains, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).

Markup and matching as in gen_probe14.py (tests/data/pii/probegen.py): ⟦TYPE|value⟧ marks a gold span; ID is any
national or sector identifier or a bank account number that is not an IBAN; DATE is a date of birth (other dates are
not gold); a personal home or delivery address is LOCATION (the whole address, postcode and city included), a city
named in passing is not; a speaker name in a chat export is PERSON (each occurrence); a company, court or shop name is
not gold.
Run: python3 tests/data/pii/gen_probe15.py > tests/data/pii/probe15.jsonl
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probegen  # noqa: E402
from probegen import br_cpf, dk_cpr, fi_hetu, iban, luhn, mx_curp, se_pnr  # noqa: E402

R = random.Random(15)
dig, pat, card = probegen.drawers(R)


# ---------------------------------------------------------------- check digits


def pl_pesel(body10):
    """Polish PESEL (ustawa o ewidencji ludności): weights 1,3,7,9,1,3,7,9,1,3, check (10 - s mod 10) mod 10."""
    s = sum(int(c) * w for c, w in zip(body10, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]))
    return body10 + str((10 - s % 10) % 10)


def nl_bsn(body8):
    """Dutch BSN (Wet algemene bepalingen burgerservicenummer): the 11-proof, 9*d1 + 8*d2 + ... + 2*d8 - d9 = 0 mod 11."""
    s = sum(int(c) * w for c, w in zip(body8, range(9, 1, -1))) % 11
    if s == 10:
        raise ValueError(body8)
    return body8 + str(s)


def es_dni(num8):
    """Spanish DNI (Real Decreto 1553/2005): 8 digits and the letter TRWAGMYFPDXBNJZSQVHLCKE[n mod 23]."""
    return num8 + "TRWAGMYFPDXBNJZSQVHLCKE"[int(num8) % 23]


def cn_ric(body17):
    """Chinese resident identity number (GB 11643-1999): ISO 7064 MOD 11-2 over 17 digits, 10 -> X."""
    s = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(body17))
    return body17 + "10X98765432"[s % 11]


def no_konto(body10):
    """Norwegian bank account number (kontonummer, 11 digits): the last digit is 11 - s mod 11 with weights
    5,4,3,2,7,6,5,4,3,2 (11 -> 0, 10 not issued)."""
    k = 11 - sum(int(c) * w for c, w in zip(body10, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])) % 11
    if k == 10:
        raise ValueError(body10)
    return body10 + str(0 if k == 11 else k)


IDS = {
    "c_visa": card("4024"), "c_mc": card("5412", sep="-"), "c_amex": card("3787", 15), "c_elo": card("4389"),
    "c_jcb": card("3566", sep=""), "c_visa2": card("4929"),
    "cpf1": br_cpf("529" + "982" + "247"), "cpf2": br_cpf("318" + "407" + "965"),
    "pesel1": pl_pesel("8407" + "12" + "3461"), "pesel2": pl_pesel("9211" + "03" + "0725"),
    "bsn1": nl_bsn("12345" + "672"), "dni1": es_dni("48213576"),
    "cn1": cn_ric("110105" + "19850712" + "301"), "cn2": cn_ric("440305" + "19920304" + "472"),
    "se1": se_pnr("790412" + "326"), "dk1": dk_cpr("030384" + "218"), "fi1": fi_hetu("210889", "-", "412"),
    "curp1": mx_curp("ROMA900315HNLDRN0"),
    "ib_pl": iban("PL", "1090" + "1014" + dig(16)), "ib_br": iban("BR", "00360305" + "00001" + dig(10) + "P1"),
    "ib_pt": iban("PT", "0035" + "0651" + dig(13)), "ib_de": iban("DE", "37040044" + dig(10)),
    "ib_no": iban("NO", no_konto("1503" + "430781")), "ib_qa": iban("QA", "DOHB" + dig(21)),
    "ib_bh": iban("BH", "NBOB" + dig(14)), "ib_kw": iban("KW", "CBKU" + dig(22)),
}

PH = {
    "de1": "0171 / 101 80 00", "de2": pat("030 / 2### ####"), "de3": pat("089 / 2# ## ## ##"),
    "de4": pat("0221 / 9## ## ##"), "de5": pat("0151 / 2## ### ##"), "de6": pat("040 / 3## ### ##"),
    "at1": pat("0664 / 3## ## ##"), "at2": pat("0316 / 8# ## ##"), "ch1": pat("044 / 2## ## ##"),
    "pl1": pat("22 628 ## ##"), "pl2": pat("(22) 5## ## ##"), "pl3": pat("+48 22 8## ## ##"),
    "pl4": pat("22 6##-##-##"), "pl5": pat("22 8## ## ##"), "pl6": pat("22 5## ## ##"),
    "pl7": pat("601 ### ###"), "pl8": pat("(22) 6## ## ##"), "de7": pat("06221 / 5# ## ##"),
    "se1": pat("+46 70 ### ## ##"), "dk1": pat("+45 2# ## ## ##"), "no1": pat("+47 4## ## ###"),
    "fi1": pat("050 ### ####"), "ee1": pat("+372 5### ####"), "lv1": pat("+371 2### ####"),
    "lt1": pat("+370 6## #####"), "rs1": pat("+381 64 ### ####"), "hr1": pat("+385 91 ### ####"),
    "ba1": pat("+387 61 ### ###"), "mk1": pat("+389 70 ### ###"), "bg1": pat("+359 88 ### ####"),
    "al1": pat("+355 69 ### ####"), "si1": pat("+386 41 ### ###"),
    "mx1": pat("+52 55 #### ####"), "mx2": pat("81 8### ####"), "ca1": pat("(514) 555-01##"),
    "ca2": pat("+1 819 555 01##"),
    "ae1": pat("+971 50 ### ####"), "qa1": pat("+974 5### ####"), "bh1": pat("+973 36## ####"),
    "kw1": pat("+965 99## ####"), "om1": pat("+968 9### ####"), "sa1": pat("+966 5# ### ####"),
    "jp1": pat("03-5###-####"), "jp2": pat("090-####-####"), "kr1": pat("010-####-####"),
    "kr2": pat("02-3##-####"), "cn1": pat("138########"), "cn2": pat("+86 10 6### ####"),
    "in1": pat("+91 98### #####"), "in2": pat("080 2### ####"), "br1": pat("(11) 9####-####"),
    "br2": pat("+55 21 9####-####"), "us1": pat("+1 415 555 01##"), "gb1": pat("+44 20 7946 0###"),
    "il1": pat("+972 54-###-####"), "th1": pat("+66 81 ### ####"), "ru1": pat("+7 916 ###-##-##"),
}
IDS.update({"p_" + k: v for k, v in PH.items()})
DEVA = str.maketrans("0123456789", "०१२३४५६७८९")
ARAB = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
IDS["p_ae_arab"] = pat("050 ### ####").translate(ARAB)
IDS["p_in_deva"] = pat("98### #####").translate(DEVA)
IDS["uuid1"] = "3f2b8c1e-9d4a-4e7b-8a65-" + "".join(R.choice("0123456789abcdef") for _ in range(12))
IDS["uuid2"] = "".join(R.choice("0123456789abcdef") for _ in range(8)) + "-4c1d-4b2e-9f03-8e7d6c5b4a39"
IDS["sha1"] = "".join(R.choice("0123456789abcdef") for _ in range(40))
IDS["md5"] = "".join(R.choice("0123456789abcdef") for _ in range(32))
IDS["sha256"] = "".join(R.choice("0123456789abcdef") for _ in range(64))
IDS["ord1"] = dig(10)
IDS["ord2"] = dig(12)
IDS["trk1"] = dig(12)

CASES = r"""
# ---------------------------------------------------------------- Nordic addresses
sv	Skicka paketet till ⟦PERSON|Annika Wallin⟧, ⟦LOCATION|Storgatan 12 B lgh 1203, 852 30 Sundsvall⟧
sv	Min nya adress är ⟦LOCATION|Sankt Eriksgatan 64, 3 tr, 113 32 Stockholm⟧ från och med 1 juni
sv	c/o ⟦PERSON|Björn Ekström⟧\n⟦LOCATION|Vasagatan 7, 411 24 Göteborg⟧
da	Adresse: ⟦LOCATION|Hovedgaden 3, st. tv., 4000 Roskilde⟧, tlf. ⟦PHONE|«p_dk1»⟧
da	Jeg er flyttet til ⟦LOCATION|Jægersborggade 21, 4. th., 2200 København N⟧
da	Levering: ⟦PERSON|Karoline Bech⟧, ⟦LOCATION|Søndergade 88, 8000 Aarhus C⟧
nb	Ny adresse: ⟦LOCATION|Kirkeveien 64 A, 0364 Oslo⟧ – gjelder fra neste måned
nb	Fakturaadresse: ⟦LOCATION|Olav Tryggvasons gate 24, 7011 Trondheim⟧, kontakt ⟦PERSON|Eirik Solberg⟧
fi	Toimitusosoite: ⟦LOCATION|Aleksanterinkatu 15 A 7, 00100 Helsinki⟧
fi	Asun osoitteessa ⟦LOCATION|Puistokatu 4 B 12, 20100 Turku⟧, soita ⟦PHONE|«p_fi1»⟧
is	Sendið á ⟦LOCATION|Hverfisgötu 41, 101 Reykjavík⟧, viðtakandi ⟦PERSON|Sigríður Helgadóttir⟧
# ---------------------------------------------------------------- Baltic addresses
et	Kohaletoimetamine: ⟦LOCATION|Tartu mnt 25-4, 10115 Tallinn⟧, tel ⟦PHONE|«p_ee1»⟧
et	Elan aadressil ⟦LOCATION|Riia 142-8, 50411 Tartu⟧
lv	Piegādes adrese: ⟦LOCATION|Elizabetes iela 21-3, Rīga, LV-1010⟧
lv	Dzīvoju ⟦LOCATION|Lāčplēša ielā 87-14, Rīgā, LV-1011⟧, tālr. ⟦PHONE|«p_lv1»⟧
lt	Pristatymo adresas: ⟦LOCATION|Konstitucijos pr. 7-12, LT-09308 Vilnius⟧
lt	Gyvenu ⟦LOCATION|Savanorių pr. 255-31, LT-50183 Kaunas⟧, tel. ⟦PHONE|«p_lt1»⟧
# ---------------------------------------------------------------- Balkan addresses (Latin and Cyrillic)
sr	Adresa: ⟦LOCATION|Knez Mihailova 5/3, 11000 Beograd⟧, kontakt ⟦PHONE|«p_rs1»⟧
sr	Достава на адресу ⟦LOCATION|Булевар краља Александра 156/7, 11000 Београд⟧
hr	Moja adresa je ⟦LOCATION|Ulica grada Vukovara 271, 10000 Zagreb⟧
hr	Dostava: ⟦LOCATION|Put Firula 14, 21000 Split⟧, primatelj ⟦PERSON|Mate Radić⟧, mob. ⟦PHONE|«p_hr1»⟧
bs	Stanujem u ⟦LOCATION|Ulica Maršala Tita 12, 71000 Sarajevo⟧, broj ⟦PHONE|«p_ba1»⟧
sl	Naslov za dostavo: ⟦LOCATION|Trubarjeva cesta 23, 1000 Ljubljana⟧
mk	Адреса за достава: ⟦LOCATION|бул. Илинден 45, 1000 Скопје⟧, тел. ⟦PHONE|«p_mk1»⟧
bg	Адрес за доставка: ⟦LOCATION|ул. Граф Игнатиев 10, ет. 2, 1000 София⟧
bg	Живея на ⟦LOCATION|бул. Мария Луиза 41, 4000 Пловдив⟧, тел. ⟦PHONE|«p_bg1»⟧
sq	Adresa ime: ⟦LOCATION|Rruga Myslym Shyri 22, Ap. 5, 1001 Tiranë⟧
# ---------------------------------------------------------------- Mexican addresses
es-MX	Dirección de entrega: ⟦LOCATION|Calle Río Lerma 222, Col. Cuauhtémoc, Alc. Cuauhtémoc, C.P. 06500, CDMX⟧
es-MX	Vivo en ⟦LOCATION|Av. Vallarta 3040, Col. Vallarta Poniente, 44110 Guadalajara, Jal.⟧
es-MX	Envíen la factura a ⟦PERSON|Ricardo Domínguez⟧, ⟦LOCATION|Privada de los Pinos 17, Fracc. Las Arboledas, C.P. 76140, Querétaro, Qro.⟧
es-MX	Domicilio: ⟦LOCATION|Calle 60 No. 491-A x 57 y 59, Col. Centro, 97000 Mérida, Yuc.⟧, cel. ⟦PHONE|«p_mx2»⟧
# ---------------------------------------------------------------- Québec addresses
fr-CA	Mon adresse : ⟦LOCATION|4500, avenue Papineau, Montréal (Québec) H2H 1V6⟧
fr-CA	Livrer au ⟦LOCATION|2250, boul. Laurier, app. 302, Québec (QC) G1V 2L1⟧, tél. ⟦PHONE|«p_ca1»⟧
fr-CA	Nouvelle adresse de ⟦PERSON|Mathieu Bélanger⟧ : ⟦LOCATION|12-345, rue Principale, Gatineau QC J8P 1A1⟧
# ---------------------------------------------------------------- Gulf addresses (English and Arabic)
ar-AE	Deliver to: ⟦LOCATION|Apartment 1204, Marina Heights Tower, Dubai Marina, Dubai⟧, mobile ⟦PHONE|«p_ae1»⟧
ar-AE	My address is ⟦LOCATION|Villa 12, Street 7, Al Nahyan, Abu Dhabi⟧
ar-AE	العنوان: ⟦LOCATION|فيلا 18، شارع 23، البرشاء 3، دبي⟧، هاتف ⟦PHONE|«p_ae_arab»⟧
ar-QA	Address: ⟦LOCATION|Zone 61, Street 860, Building 12, Doha⟧, tel ⟦PHONE|«p_qa1»⟧
ar-BH	⟦LOCATION|Flat 21, Building 45, Road 3803, Block 338, Manama⟧ – please call ⟦PHONE|«p_bh1»⟧ on arrival
ar-KW	Address: ⟦LOCATION|Block 4, Street 12, House 23, Salmiya⟧, Kuwait, mobile ⟦PHONE|«p_kw1»⟧
ar-SA	العنوان الوطني: ⟦LOCATION|الرياض، حي النخيل، شارع الأمير سلطان، مبنى 3321، 12382⟧
ar-OM	Deliver to ⟦PERSON|Salim Al Habsi⟧, ⟦LOCATION|Way 2718, House 1042, Al Khuwair, Muscat⟧
# ---------------------------------------------------------------- Japanese, Korean, Chinese addresses in their own script
ja	住所：⟦LOCATION|〒150-0002 東京都渋谷区渋谷2丁目21-1⟧
ja	お届け先は⟦LOCATION|大阪府大阪市北区梅田3-1-3 ノースゲートビル12階⟧です。電話 ⟦PHONE|«p_jp1»⟧
ja	⟦LOCATION|〒460-0008 愛知県名古屋市中区栄3丁目5番12号⟧ ⟦PERSON|鈴木一郎⟧様
ja	現住所：⟦LOCATION|北海道札幌市中央区北1条西2丁目1番地⟧、携帯 ⟦PHONE|«p_jp2»⟧
ko	주소: ⟦LOCATION|서울특별시 강남구 테헤란로 152, 12층⟧
ko	배송지: ⟦LOCATION|부산광역시 해운대구 해운대로 570, 101동 1203호⟧, 연락처 ⟦PHONE|«p_kr1»⟧
ko	저희 집 주소는 ⟦LOCATION|경기도 성남시 분당구 판교역로 235⟧입니다
zh	收货地址：⟦LOCATION|北京市朝阳区建国路88号SOHO现代城A座1201室⟧
zh	我家住在⟦LOCATION|上海市浦东新区世纪大道100号环球金融中心45楼⟧，电话⟦PHONE|«p_cn1»⟧
zh	寄到⟦LOCATION|广东省深圳市南山区科技园南区深南大道10000号⟧，收件人⟦PERSON|刘洋⟧
zh	请把发票寄到⟦LOCATION|浙江省杭州市西湖区文三路478号华星时代广场B座8楼⟧
# ---------------------------------------------------------------- Indian addresses with a PIN
en-IN	Deliver to ⟦LOCATION|Flat 302, Sai Residency, MG Road, Bengaluru 560001⟧, call ⟦PHONE|«p_in1»⟧
en-IN	Address: ⟦LOCATION|H.No. 12-2-417, Gudimalkapur, Hyderabad - 500028⟧
en-IN	Please courier it to ⟦LOCATION|B-45, Sector 62, Noida, Uttar Pradesh 201309⟧
en-IN	Permanent address: ⟦LOCATION|House No. 221, Ward 5, Civil Lines, Jaipur, Rajasthan - 302006⟧
en-IN	Office address of ⟦PERSON|Karthik Subramanian⟧: ⟦LOCATION|No. 14, 2nd Cross, Indiranagar, Bangalore 560038⟧, landline ⟦PHONE|«p_in2»⟧
hi	मेरा पता: ⟦LOCATION|मकान नं. 45, गली नं. 3, लाजपत नगर, नई दिल्ली 110024⟧
# ---------------------------------------------------------------- Brazilian addresses with a CEP
pt-BR	Endereço: ⟦LOCATION|Rua Augusta, 1500, apto 42, Consolação, São Paulo - SP, 01304-001⟧
pt-BR	Entregar na ⟦LOCATION|Av. Atlântica, 1702, Copacabana, Rio de Janeiro/RJ, CEP 22021-001⟧
pt-BR	Moro no ⟦LOCATION|SQN 308 Bloco C apto 204, Asa Norte, Brasília - DF, 70747-030⟧
pt-BR	Meu endereço é ⟦LOCATION|Rua das Flores, 87, casa 2, Jardim América, 13500-110 Rio Claro/SP⟧, cel ⟦PHONE|«p_br1»⟧
pt-BR	Dados do cliente: ⟦PERSON|Thiago Albuquerque⟧, CPF ⟦ID|«cpf1»⟧, ⟦LOCATION|Rua Padre Chagas, 342, Moinhos de Vento, Porto Alegre - RS, CEP 90570-080⟧
# ---------------------------------------------------------------- addresses and names in capitals
en	SHIP TO:\n⟦PERSON|PRIYA RAMAN⟧\n⟦LOCATION|221 KINGSWAY, MANCHESTER M19 2LL⟧\nUNITED KINGDOM
en	ATTN: ⟦PERSON|JOHANNES KLEIN⟧, ⟦LOCATION|LINDENSTRASSE 12, 10969 BERLIN⟧, GERMANY
en	RECIPIENT: ⟦PERSON|OLUWAKEMI ADEYEMI⟧\n⟦LOCATION|14 ADEOLA ODEKU STREET, VICTORIA ISLAND, LAGOS⟧\nTEL ⟦PHONE|«p_gb1»⟧
en	DELIVER TO ⟦PERSON|KAROLINA WIŚNIEWSKA⟧, ⟦LOCATION|UL. MARSZAŁKOWSKA 84/92 M. 15, 00-514 WARSZAWA⟧
en	PASSENGER: ⟦PERSON|NGUYEN THI HOA⟧  SEAT 23A  GATE B12  BOARDING 07:35
en	NAME OF INSURED: ⟦PERSON|ROBERTO CARLOS FERREIRA⟧\nADDRESS: ⟦LOCATION|RUA DOS ANDRADAS 1234, PORTO ALEGRE RS 90020-008⟧
en	BILL TO: ⟦PERSON|MEHMET YILMAZ⟧, ⟦LOCATION|742 MAPLE STREET, SPRINGFIELD, IL 62704⟧
en	REMITTER: ⟦PERSON|CHEN WEI⟧ BENEFICIARY: ⟦PERSON|FATIMA ZAHRA BENALI⟧ AMOUNT: EUR 2,400.00
es-MX	DESTINATARIO: ⟦PERSON|JOSÉ ANTONIO RAMÍREZ⟧\n⟦LOCATION|AV. CONSTITUCIÓN 2050, COL. OBISPADO, 64060 MONTERREY, N.L.⟧
sv	MOTTAGARE: ⟦PERSON|INGRID LUNDGREN⟧, ⟦LOCATION|STORGATAN 44, 972 31 LULEÅ⟧
de	EMPFÄNGER: ⟦PERSON|HANS-PETER SCHNEIDER⟧, ⟦LOCATION|HAUPTSTRASSE 17, 69117 HEIDELBERG⟧
fr-CA	À L'ATTENTION DE ⟦PERSON|MARIE-CLAUDE GAUTHIER⟧, ⟦LOCATION|1010, RUE SHERBROOKE OUEST, MONTRÉAL QC H3A 2R7⟧
en	In re the Estate of ⟦PERSON|ELEANOR MARGARET HUGHES⟧, deceased
en	PLAINTIFF: ⟦PERSON|DANIEL OKONKWO⟧ v. DEFENDANT: SUNRISE LOGISTICS LLC
# ---------------------------------------------------------------- names in CSV columns
en	full_name,email,city\n⟦PERSON|Henrietta Oyelaran⟧,⟦EMAIL|h.oyelaran@example.com⟧,Ibadan\n⟦PERSON|Teodor Vasile⟧,⟦EMAIL|t.vasile@example.ro⟧,Cluj
en	first_name,last_name,phone\n⟦PERSON|Agnieszka⟧,⟦PERSON|Wróbel⟧,⟦PHONE|«p_pl7»⟧\n⟦PERSON|Bartosz⟧,⟦PERSON|Kaczmarek⟧,⟦PHONE|«p_pl1»⟧
en	id;name;department\n17;⟦PERSON|Ngozi Eze⟧;Finance\n18;⟦PERSON|Rafael Quispe⟧;Logistics\n19;⟦PERSON|Aiko Tanabe⟧;Legal
en	"customer","address","zip"\n"⟦PERSON|Pedro Saldanha⟧","⟦LOCATION|Rua do Ouro 130, 1100-063 Lisboa⟧","1100-063"
en	employee,manager,start\n⟦PERSON|Svetlana Orlova⟧,⟦PERSON|Dmitri Volkov⟧,2021-09-01
sv	Namn;Personnummer;Telefon\n⟦PERSON|Lovisa Engström⟧;⟦ID|«se1»⟧;⟦PHONE|«p_se1»⟧
pl	imię i nazwisko,PESEL,telefon\n⟦PERSON|Krzysztof Zieliński⟧,⟦ID|«pesel1»⟧,⟦PHONE|«p_pl2»⟧
pt-BR	nome,cpf,celular\n⟦PERSON|Larissa Bittencourt⟧,⟦ID|«cpf2»⟧,⟦PHONE|«p_br2»⟧
en	| Name | Role | Phone |\n|---|---|---|\n| ⟦PERSON|Yusuf Demir⟧ | Driver | ⟦PHONE|«p_us1»⟧ |
# ---------------------------------------------------------------- names in YAML, JSON, config
en	author:\n  name: ⟦PERSON|Leocadia Brzezińska⟧\n  email: ⟦EMAIL|leocadia@example.pl⟧
en	contacts:\n  - name: ⟦PERSON|Oskar Lindahl⟧\n    phone: "⟦PHONE|«p_se1»⟧"\n  - name: ⟦PERSON|Fiona Gallagher⟧\n    phone: "⟦PHONE|«p_gb1»⟧"
en	maintainer: ⟦PERSON|Bogdan Ciobanu⟧ <⟦EMAIL|bogdan@example.ro⟧>
en	{"fullName": "⟦PERSON|Ayşe Korkmaz⟧", "dob": "⟦DATE|1990-02-17⟧", "city": "Izmir"}
en	{"firstName": "⟦PERSON|Wanjiru⟧", "lastName": "⟦PERSON|Kamau⟧", "mobile": "⟦PHONE|+254 712 345 678⟧"}
en	{"customer_name":"⟦PERSON|Radek Dvořák⟧","shipping_address":"⟦LOCATION|Vinohradská 1511/230, 100 00 Praha 10⟧"}
en	{"patient": {"name": "⟦PERSON|Hemi Walker⟧", "bed": "12", "ward": "4B"}}
en	[user]\n    name = ⟦PERSON|Tomasz Wójcik⟧\n    email = ⟦EMAIL|tomasz.wojcik@example.pl⟧
en	<customer><name>⟦PERSON|Ingeborg Haugland⟧</name><iban>⟦IBAN|«ib_no»⟧</iban></customer>
en	name: ⟦PERSON|Mariana Kowalczyk⟧\nrole: reviewer\nteam: payments
en	{"name": "⟦PERSON|Darius Mohammadi⟧", "iban": "⟦IBAN|«ib_de»⟧"}
nl	{"naam": "⟦PERSON|Joost van der Linden⟧", "bsn": "⟦ID|«bsn1»⟧"}
es	{"nombre": "⟦PERSON|Itziar Etxeberria⟧", "dni": "⟦ID|«dni1»⟧", "domicilio": "⟦LOCATION|Calle Mayor 14, 3º B, 31001 Pamplona⟧"}
# ---------------------------------------------------------------- chat speaker prefixes
en	⟦PERSON|Maria⟧: can you send me the contract?\n⟦PERSON|Joao⟧: sure, it's in your inbox
en	[10:02] ⟦PERSON|Tomasz⟧: the call is at 3\n[10:03] ⟦PERSON|Aigerim⟧: ok, see you
en	12/03/24, 09:15 - ⟦PERSON|Fatima Zahra⟧: did you get my number? ⟦PHONE|«p_ae1»⟧\n12/03/24, 09:16 - ⟦PERSON|Omar⟧: yes thanks
en	<⟦PERSON|Priya⟧> anyone tried the new build?\n<⟦PERSON|Sebastián⟧> yes, works for me
en	⟦PERSON|Kenji Watanabe⟧: I'll forward the invoice to ⟦EMAIL|kenji.w@example.jp⟧
en	Transcript\nAgent ⟦PERSON|Lucía⟧: How can I help?\n⟦PERSON|Cornelius⟧: my card ⟦CREDIT_CARD|«c_visa»⟧ was declined
en	⟦PERSON|Dorota⟧ (11:42): jestem już na miejscu\n⟦PERSON|Kamil⟧ (11:43): ok, wychodzę
sv	⟦PERSON|Elsa⟧: ringer du mig på ⟦PHONE|«p_se1»⟧?\n⟦PERSON|Hugo⟧: japp, om fem
ja	⟦PERSON|田中⟧：明日の会議は10時からです\n⟦PERSON|佐藤⟧：了解しました
ko	⟦PERSON|민준⟧: 내일 몇 시에 만나?\n⟦PERSON|서연⟧: 3시 어때?
ar-AE	⟦PERSON|Khalid⟧: send me the location\n⟦PERSON|Noura⟧: ⟦LOCATION|Villa 7, Street 15, Jumeirah 1, Dubai⟧
en	[2024-05-02 14:01] ⟦PERSON|Olamide Bankole⟧: refund to ⟦IBAN|«ib_pt»⟧ please
pl	⟦PERSON|Ewa⟧: zadzwoń do mnie na ⟦PHONE|«p_pl5»⟧\n⟦PERSON|Jacek⟧: ok
# ---------------------------------------------------------------- German / Austrian / Swiss phones with a spaced slash
de	Mobil: ⟦PHONE|«p_de1»⟧
de	Rufen Sie mich unter ⟦PHONE|«p_de2»⟧ an, ⟦PERSON|Gerda Hoffmann⟧
de	Tel. ⟦PHONE|«p_de3»⟧ (Praxis Dr. ⟦PERSON|Wolfgang Brandt⟧)
de	Telefon: ⟦PHONE|«p_de4»⟧ (Zentrale), ⟦PERSON|Monika Vogt⟧
de	Handy ⟦PHONE|«p_de5»⟧ – bitte nur abends
de	Kontakt: ⟦PERSON|Jens Petersen⟧, ⟦PHONE|«p_de6»⟧, ⟦EMAIL|j.petersen@example.de⟧
de-AT	Erreichbar unter ⟦PHONE|«p_at1»⟧ oder im Büro ⟦PHONE|«p_at2»⟧
de-CH	Tel. ⟦PHONE|«p_ch1»⟧, ⟦PERSON|Ursula Bachmann⟧
# ---------------------------------------------------------------- Warsaw landlines and Polish prompts
pl	Proszę dzwonić pod ⟦PHONE|«p_pl1»⟧ w godzinach 8–16
pl	Sekretariat: tel. ⟦PHONE|«p_pl2»⟧, fax ⟦PHONE|«p_pl4»⟧
pl	Kontakt do biura: ⟦PHONE|«p_pl3»⟧
pl	Nazywam się ⟦PERSON|Małgorzata Lewandowska⟧, tel. ⟦PHONE|«p_pl6»⟧, PESEL ⟦ID|«pesel2»⟧
pl	Adres: ⟦LOCATION|ul. Puławska 145 m. 12, 02-715 Warszawa⟧, telefon stacjonarny ⟦PHONE|«p_pl5»⟧
pl	Przelew na konto ⟦IBAN|«ib_pl»⟧, odbiorca ⟦PERSON|Grzegorz Nowicki⟧
# ---------------------------------------------------------------- mixed-script text
mix	请联系我们的顾问⟦PERSON|Anna Kowalska⟧，邮箱⟦EMAIL|anna.kowalska@example.pl⟧，电话⟦PHONE|«p_pl3»⟧
mix	客户⟦PERSON|John Whitfield⟧的护照号码已经过期了，请通知他
mix	我的身份证号是⟦ID|«cn1»⟧，名字叫⟦PERSON|王建国⟧
mix	订单备注：送到⟦LOCATION|Hauptstraße 5, 10827 Berlin⟧，收件人⟦PERSON|Lena Fischer⟧
mix	⟦PERSON|田中⟧さんのメールは⟦EMAIL|tanaka.h@example.co.jp⟧、電話は⟦PHONE|«p_jp2»⟧です
mix	お客様の⟦PERSON|Michael Braun⟧様から、カード番号⟦CREDIT_CARD|«c_jcb»⟧について問い合わせがありました
mix	اتصل بي على ⟦PHONE|«p_gb1»⟧ أو راسلني على ⟦EMAIL|yousef.haddad@example.com⟧
mix	العميل ⟦PERSON|Sarah Mitchell⟧ طلبت استرداد المبلغ إلى ⟦IBAN|«ib_kw»⟧
mix	عنواني ⟦LOCATION|Flat 3, 18 Queensway, London W2 3RX⟧ وشكرا
mix	कृपया मुझे ⟦EMAIL|maria.garcia@example.es⟧ पर मेल करें, धन्यवाद
mix	मेरा नंबर ⟦PHONE|«p_in_deva»⟧ है और मेरा नाम ⟦PERSON|राजेश कुमार⟧ है
mix	ग्राहक ⟦PERSON|Anita Desai⟧ का पता ⟦LOCATION|Flat 9B, Sea View Apartments, Bandra West, Mumbai 400050⟧ है
mix	ติดต่อคุณ⟦PERSON|David Miller⟧ได้ที่ ⟦PHONE|«p_th1»⟧ ค่ะ
mix	Пожалуйста, отправьте договор ⟦PERSON|Hans Gruber⟧ на ⟦EMAIL|hans.gruber@example.at⟧
mix	Мой номер ⟦PHONE|«p_ru1»⟧, пишите в любое время — ⟦PERSON|Ольга Смирнова⟧
mix	תתקשרו ל⟦PERSON|Daniel Cohen⟧ במספר ⟦PHONE|«p_il1»⟧
mix	고객 ⟦PERSON|Emily Carter⟧님의 연락처는 ⟦PHONE|«p_us1»⟧입니다
mix	카드번호 ⟦CREDIT_CARD|«c_mc»⟧로 결제했는데 환불 부탁드려요
mix	地址是⟦LOCATION|Calle de Alcalá 42, 28014 Madrid⟧，谢谢
mix	請把報價單寄給⟦PERSON|Sophie Laurent⟧（⟦EMAIL|sophie.laurent@example.fr⟧）
mix	IP⟦IP|203.0.113.77⟧から不正ログインがありました
mix	السيد ⟦PERSON|محمد العتيبي⟧ يسكن في ⟦LOCATION|Building 12, Road 2403, Block 324, Juffair⟧
mix	Tài khoản của ⟦PERSON|Nguyễn Thị Lan⟧ ở Đà Nẵng, liên hệ ⟦EMAIL|lan.nguyen@example.vn⟧ 谢谢
# ---------------------------------------------------------------- more personal data across the same countries
sv	Hej, jag heter ⟦PERSON|Ebba Strand⟧ och min nya adress är ⟦LOCATION|Drottninggatan 88, 753 09 Uppsala⟧
da	Jeg hedder ⟦PERSON|Frederik Juhl⟧, CPR ⟦ID|«dk1»⟧, født ⟦DATE|3. marts 1984⟧
fi	Nimeni on ⟦PERSON|Sanni Hämäläinen⟧, henkilötunnus ⟦ID|«fi1»⟧
nb	Mvh\n⟦PERSON|Ragnhild Aasen⟧\n⟦PHONE|«p_no1»⟧
lv	Saņēmējs: ⟦PERSON|Dace Ozoliņa⟧, ⟦LOCATION|Miera iela 45-7, Rīga, LV-1001⟧
lt	Gavėjas: ⟦PERSON|Lukas Stankevičius⟧, tel. ⟦PHONE|«p_lt1»⟧
hr	Primatelj: ⟦PERSON|Josipa Kovač⟧, ⟦LOCATION|Vukovarska 58, 31000 Osijek⟧
sr	Primalac: ⟦PERSON|Vuk Marinković⟧, tel. ⟦PHONE|«p_rs1»⟧
sl	Prejemnik: ⟦PERSON|Tina Kralj⟧, ⟦LOCATION|Prešernova ulica 7, 4000 Kranj⟧, tel. ⟦PHONE|«p_si1»⟧
sq	Marrësi: ⟦PERSON|Ilir Gashi⟧, tel. ⟦PHONE|«p_al1»⟧
es-MX	Me llamo ⟦PERSON|Ximena Aguilar⟧, mi CURP es ⟦ID|«curp1»⟧ y mi cel ⟦PHONE|«p_mx1»⟧
fr-CA	Bonjour, je m'appelle ⟦PERSON|Étienne Lapointe⟧, mon numéro est le ⟦PHONE|«p_ca2»⟧
ar-QA	Hi, I'm ⟦PERSON|Hamad Al Thani⟧, IBAN ⟦IBAN|«ib_qa»⟧
ar-BH	الاسم: ⟦PERSON|مريم الخليفة⟧، الآيبان ⟦IBAN|«ib_bh»⟧
ar-OM	Call ⟦PHONE|«p_om1»⟧ and ask for ⟦PERSON|Aisha Al Balushi⟧
ar-SA	My Saudi number is ⟦PHONE|«p_sa1»⟧, ⟦PERSON|Faisal Al Harbi⟧
ja	氏名：⟦PERSON|山本美咲⟧、電話：⟦PHONE|«p_jp1»⟧
ko	성명: ⟦PERSON|김지훈⟧, 전화: ⟦PHONE|«p_kr2»⟧
zh	联系人：⟦PERSON|陈晓明⟧，电话：⟦PHONE|«p_cn2»⟧，身份证号：⟦ID|«cn2»⟧
en-IN	Name: ⟦PERSON|Ananya Iyer⟧, Mobile: ⟦PHONE|«p_in1»⟧
pt-BR	Oi, aqui é a ⟦PERSON|Gabriela Nogueira⟧, meu Pix é o celular ⟦PHONE|«p_br1»⟧
pt-BR	Transferir para ⟦IBAN|«ib_br»⟧, titular ⟦PERSON|Rodrigo Tavares⟧
en	Card ⟦CREDIT_CARD|«c_amex»⟧ belongs to ⟦PERSON|Ingrid Solheim⟧
en	Paid with ⟦CREDIT_CARD|«c_elo»⟧, billing address ⟦LOCATION|Rua Oscar Freire, 900, Jardins, São Paulo - SP, 01426-001⟧
en	Visa ⟦CREDIT_CARD|«c_visa2»⟧ exp 08/28, cardholder ⟦PERSON|Akosua Mensah⟧
en	Login from ⟦IP|198.51.100.142⟧ and ⟦IP|2001:db8:4f2::17⟧ for ⟦EMAIL|r.lindqvist@example.se⟧
# ---------------------------------------------------------------- more addresses, layouts and birth dates
nb	Jeg bor i ⟦LOCATION|Nedre Slottsgate 8, 4. etasje, 0157 Oslo⟧
fi	Osoite: ⟦LOCATION|Kauppakatu 9 as. 3, 40100 Jyväskylä⟧
et	Aadress: ⟦LOCATION|Pärnu mnt 10-22, 10148 Tallinn⟧
bs	Adresa: ⟦LOCATION|Zmaja od Bosne 8, 71000 Sarajevo⟧
sr	Живим у ⟦LOCATION|улици Николе Пашића 14, стан 9, 21000 Нови Сад⟧
es-MX	Mi domicilio es ⟦LOCATION|Calle Hidalgo 45, Barrio de San Juan, C.P. 68000, Oaxaca de Juárez, Oax.⟧
fr-CA	Adresse de livraison : ⟦LOCATION|3460, chemin Queen-Mary, app. 210, Montréal QC H3V 1A2⟧
ja	送付先：⟦LOCATION|福岡県福岡市博多区博多駅前2-1-1⟧ ⟦PERSON|中村⟧様
ko	주소는 ⟦LOCATION|대구광역시 수성구 동대구로 364⟧이고 이름은 ⟦PERSON|이수진⟧입니다
zh	住址：⟦LOCATION|四川省成都市武侯区人民南路四段12号3栋2单元501⟧
zh	收件地址：⟦LOCATION|台中市西屯區台灣大道三段99號8樓⟧
en-IN	Ship to ⟦PERSON|Meera Nair⟧, ⟦LOCATION|TC 25/1234, Vazhuthacaud, Thiruvananthapuram, Kerala 695014⟧
en-IN	Address: ⟦LOCATION|Plot No. 7, Salt Lake Sector V, Kolkata 700091⟧
pt-BR	Endereço de entrega: ⟦LOCATION|Rua XV de Novembro, 512, Centro, Curitiba - PR, 80020-310⟧
en	CARDHOLDER NAME: ⟦PERSON|SIOBHAN O'REILLY⟧
en	TO: MR. ⟦PERSON|ABDULLAH AL-FARSI⟧\n⟦LOCATION|P.O. BOX 1145, RUWI 112, MUSCAT⟧
en	name,dob,city\n⟦PERSON|Chiara Lombardi⟧,⟦DATE|1987-11-23⟧,Torino
en	owner: ⟦PERSON|Veronika Hrubá⟧\nrepo: payments-api
en	{"user": {"display_name": "⟦PERSON|Keanu Akana⟧", "locale": "en-US"}}
en	⟦PERSON|Grace⟧: running late, 10 min\n⟦PERSON|Will⟧: np
de	⟦PERSON|Jonas⟧: Bin gleich da\n⟦PERSON|Lea⟧: Super, bis gleich
fr-CA	⟦PERSON|Gabrielle⟧ : t'es où?\n⟦PERSON|Samuel⟧ : au dépanneur
de	Tel.: ⟦PHONE|«p_de7»⟧ (⟦PERSON|Sabine Wolf⟧)
pl	Centrala ⟦PHONE|«p_pl8»⟧ wew. 214
sv	⟦PERSON|Nils Håkansson⟧, född ⟦DATE|1979-04-12⟧
pl	Pacjent: ⟦PERSON|Wiesław Mazur⟧, data urodzenia: ⟦DATE|12.07.1984⟧
pt-BR	Data de nascimento: ⟦DATE|15/03/1990⟧, nome ⟦PERSON|Renata Figueiredo⟧
es-MX	Fecha de nacimiento: ⟦DATE|15 de marzo de 1990⟧, nombre: ⟦PERSON|Ximena Aguilar⟧
ar-AE	تاريخ الميلاد: ⟦DATE|12/04/1986⟧
# ---------------------------------------------------------------- PII-free look-alikes: numbers
en	Order #«ord1» shipped, 3 items, EUR 149.90
en	Your order number is «ord2»; keep it for returns
en	Tracking number «trk1» — out for delivery
en	Release v2.14.3 (build 20240517.4) fixes the memory leak in the parser
en	Upgraded node from 18.19.1 to 20.12.2 and npm to 10.5.0
en	Request id «uuid1» failed with status 503
en	job_id=«uuid2» state=done duration_ms=4412
en	commit «sha1»
en	md5sum: «md5»  release.tar.gz
en	sha256:«sha256»
en	docker pull ghcr.io/example/api@sha256:«sha256»
en	Price: 1,299.00 USD (was 1,499.00), save 13 %
en	Total 4 511,20 zł brutto, w tym VAT 843,60 zł
en	Final score 3-2 after extra time; attendance 61,482
en	The Golden Gate Bridge is 2,737 m long and opened in 1937
en	Flight LH 2416 MUC–WAW departs 14:35 from gate G27
en	ISBN 978-3-16-148410-0, 2nd edition, 412 pages
en	DOI 10.1038/s41586-023-06291-2, published 2023-07-19
en	Patent US 10,123,456 B2 was granted on 2018-11-06
en	CAS 7732-18-5 is water; CAS 64-17-5 is ethanol
en	Part number 0451-103-334, torque 25 Nm
en	Room 4.112, Building 7, Campus North — seminar at 10:15
en	Invoice INV-2024-004512 for 12 licences, net 30
en	Ticket INC0098123 resolved in 2 h 14 min
en	Stock: AAPL 189.84 (+1.2 %), MSFT 415.50 (-0.3 %)
en	Coordinates 48.8584° N, 2.2945° E (Eiffel Tower)
en	Serial no. SN-4G7K-22X9-0031, firmware 5.2.0-1142
en	2024-05-17T09:14:22.481Z INFO worker-7 processed 4412 events in 118 ms
en	[2024-05-17 09:14:22,481] WARN pool size 32 exceeded, queue 1024
en	Container 7f3c9a1b2d4e restarted 3 times, exit code 137
en	Batch 20240517-0042 quality check passed, 1,200 units
en	Lot 2301-88-417, expiry 2026-03, store below 25 °C
en	The 2024 budget is 12,450,000 EUR, up 4.2 % on 2023
en	Version 3.11.9 of Python was released on 2024-04-02
en	Use port 8443 and timeout 30000 ms; max body 10485760 bytes
en	Table 4.2 lists 1,024 samples with p < 0.001
en	Line 1182 in src/main.c: expected ';' before '}' token
en	Account tier: Gold, points 48 210, valid through 2025
en	EAN 4006381333931 Stabilo pen, pack of 10
en	Population of Lagos: about 15.4 million (2023 estimate)
en	Meeting room booked for 12:30–13:15, capacity 8
de	Bestellnummer 4401-2287-9931, Lieferung in 2–3 Werktagen
de	Rechnung Nr. 2024/05/1182, Betrag 1.249,00 €
de	Sendungsnummer 00340434161234567890 wird zugestellt
de	Die Postleitzahl 10115 gehört zu Berlin-Mitte
de	Das Brandenburger Tor wurde 1791 fertiggestellt
pl	Numer zamówienia 2024/05/118233, kwota 349,99 zł
pl	Kod pocztowy 00-950 to Warszawa, skrytka pocztowa 12
pl	Zamówienie nr 88 412 331 zostało wysłane
sv	Ordernummer 7731-2204-99, leverans tisdag
da	Fakturanummer 2024-0883, beløb 4.250,00 kr.
fi	Tilausnumero 8820 1134 55 on toimitettu
fr-CA	Numéro de commande 4512-8830-117, livraison prévue lundi
es-MX	Folio de la factura A-88213, total $4,512.00 MXN
pt-BR	Pedido nº 4512883011, frete grátis, entrega em 5 dias úteis
pt-BR	O CEP 01310-100 é da Avenida Paulista
ar-AE	رقم الطلب 884120331، المبلغ 349 درهم
ja	注文番号：4512-8830-1172、お届けは3日後です
ja	バージョン 2.14.3 をリリースしました（ビルド 20240517）
ko	주문번호 20240517-0042, 배송 예정일은 금요일입니다
zh	订单号：202405170042881，金额￥349.00
zh	版本号 3.2.1，构建号 20240517.4
hi	ऑर्डर नंबर ४५१२८८३०११, कीमत ₹१,२४९
# ---------------------------------------------------------------- PII-free look-alikes: capitalised words, layouts, speakers
en	WARNING: DISK FULL ON HOST DB-07, FREE SPACE 0.4 GB
en	TERMS AND CONDITIONS APPLY. OFFER VALID WHILE STOCKS LAST.
en	NEW YORK STOCK EXCHANGE CLOSED 2 PCT HIGHER
en	name: Build and Test\non: [push, pull_request]\njobs:\n  build:\n    runs-on: ubuntu-latest
en	- name: Install dependencies\n  run: npm ci
en	product,price,stock\nStandard Widget,4.99,120\nDeluxe Widget,9.99,35
en	{"name": "Premium Plan", "price": 19.99, "currency": "EUR"}
en	{"firstName": "", "lastName": "", "error": "missing fields"}
en	Bot: Hello! How can I help you today?\nUser: what's the weather in Oslo?
en	System: You are a helpful assistant.\nAssistant: Sure, here is the summary.
en	Q: What is the capital of Australia?\nA: Canberra
en	Note: Customer Service hours are Monday to Friday, 9 to 5
en	Status: Pending Review\nPriority: High\nComponent: Billing
en	Mount Kilimanjaro rises 5,895 m above sea level in Tanzania
en	The Royal Albert Hall seats 5,272 people
en	Welcome to Santa Monica Pier, open daily until 23:00
en	Visit the British Museum, Great Russell Street, free entry
sv	Kungliga Operan ligger vid Gustav Adolfs torg i Stockholm
da	Tivoli åbner 5. april, og billetter koster 155 kr.
lv	Brīvības piemineklis atrodas Rīgas centrā
hr	Dioklecijanova palača u Splitu izgrađena je oko 305. godine
es-MX	El Palacio de Bellas Artes abre de martes a domingo
fr-CA	Le Château Frontenac a ouvert ses portes en 1893
ar-AE	برج خليفة يبلغ ارتفاعه 828 مترا
ja	東京タワーの高さは333メートルです
ko	서울역에서 부산역까지 KTX로 2시간 30분 걸립니다
zh	故宫博物院每周一闭馆
hi	ताजमहल आगरा में यमुना नदी के किनारे स्थित है
pt-BR	O Cristo Redentor fica no morro do Corcovado
mix	Meeting notes 会议纪要: Q3 revenue up 12 %, headcount 418
mix	版本 v4.2.0 发布，修复了 17 个 bug
mix	سعر السهم 45.80 ريال، حجم التداول 1,204,331
mix	Build हुआ successfully, 412 tests passed
""".strip("\n")


def check_with_stdnum():
    """Re-checks the computed identifiers, cards and IBANs with python-stdnum (Debian python3-stdnum 1.18)."""
    from stdnum.br import cpf
    from stdnum.cn import ric
    from stdnum.dk import cpr
    from stdnum.es import dni
    from stdnum.fi import hetu
    from stdnum.mx import curp
    from stdnum.nl import bsn
    from stdnum.pl import pesel
    from stdnum.se import personnummer
    from stdnum import ean, luhn as s_luhn
    probegen.check_ibans_cards(IDS)
    for k, mod in (("cpf1", cpf), ("cpf2", cpf), ("pesel1", pesel), ("pesel2", pesel), ("bsn1", bsn), ("dni1", dni),
                   ("cn1", ric), ("cn2", ric), ("se1", personnummer), ("dk1", cpr), ("fi1", hetu), ("curp1", curp)):
        mod.validate(IDS[k])
    ean.validate("4006381333931")
    # the look-alike numbers of 10-12 digits are no card: a short one cannot be, the others are checked not to pass Luhn
    for k in ("ord2", "trk1"):
        assert not s_luhn.is_valid(IDS[k]) or len(IDS[k]) < 13, k
    sys.stderr.write("stdnum: all identifiers valid\n")


def phone_lines():
    """`REGION<TAB>number` of every gold phone number, for check_phones.cc (libphonenumber's IsValidNumber)."""
    native = str.maketrans("०१२३४५६७८९٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
    extra = ["AE\t" + IDS["p_ae_arab"].translate(native), "IN\t" + IDS["p_in_deva"].translate(native),
             "KE\t+254 712 345 678"]
    return probegen.phone_lines(PH, extra)


if __name__ == "__main__":
    probegen.main(CASES, IDS, check_with_stdnum, phone_lines)
