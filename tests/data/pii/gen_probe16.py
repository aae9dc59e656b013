#!/usr/bin/env python3
"""Writes tests/data/pii/probe16.jsonl: the session-16 blind probe, an eighth holdout for
tests/unit/policy/test_pii_probe10.c (which scores probe10 .. probe16 with one scorer).

Source: written in session 16 (2026-12-08) by an engineer of the project (helper pii9) BEFORE any recognizer was
changed and without reading the recognizers' sources (policy/pii/*.c); gen_probe13.py .. gen_probe15.py were read only
for their docstrings (their focus) and their format, test_pii_probe10.c for its scorer. The first score of the untouched
engine is the blind figure (docs/internals/pii.md "Quality", session 16). Emphasis, ground the earlier probes cover
least:
- realistic chat-app prompts: support tickets, résumés, medical intake, travel bookings, customer e-mails, code with
  personal data in string literals and comments, JSON tool-call arguments, log lines;
- labels written in lower case (`name: john smith`, `my address is 12 baker st`, `phone no 98...`), names in lower case
  after such a label;
- names with particles and honorifics glued to them (様, さん, 先生, 씨, 님, 선생님, 先生/女士/小姐, जी, Bapak/Ibu, Bw.),
  Korean and Japanese transcript speakers (`김민준: ...`, `田中：...`), personal data glued to CJK text without spaces;
- addresses: Indian (Flat / H.No. / Sector / Plot, landmark-relative `near ...`, `opp. ...`), Korean road-name and
  Japanese 丁目 addresses, Chinese 路/号, Vietnamese, Thai, Turkish (Mah. / Cad. / Sk. / No:), Indonesian (Jl. / RT/RW),
  Swahili (Mtaa / S.L.P.), Brazilian, Hebrew and Arabic, and US street lines in capitals (`742 MAPLE STREET`);
- phones with full-width and mixed-width digits, Korean, Japanese, Chinese, Indian, Gulf, Israeli, Thai, Vietnamese,
  Turkish, Indonesian, Kenyan/Tanzanian and Brazilian numbers;
- ~30 % PII-free look-alikes in the same layouts (ticket, order, booking and flight numbers, SKUs, versions, hashes,
  log ids, prices, landmarks and public institutions named in passing, role speakers `상담원:` / `係員：` / `Agent:`,
  labels with no personal value, lower-case words after `name:` that are no names).
National identifiers with a published check rule (each function names its rule): KR RRN, TR TC Kimlik, TH citizen id,
IL Teudat Zehut, IN Aadhaar, CN resident id, BR CPF, JP My Number; IBANs per ISO 13616; cards per ISO/IEC 7812-1 (Luhn).
Values are drawn with a fixed seed (random.Random(16)). Check digits were re-checked with python-stdnum 1.18
(`/usr/bin/python3 tests/data/pii/gen_probe16.py --check`); phone numbers were checked with libphonenumber (`g++ -o
/tmp/check_phones tests/data/pii/check_phones.cc -lphonenumber && python3 tests/data/pii/gen_probe16.py --phones |
/tmp/check_phones`) before the first score. All values are synthetic (reserved ranges where they exist: example.*
domains, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).

Markup and matching as in gen_probe15.py (tests/data/pii/probegen.py): ⟦TYPE|value⟧ marks a gold span; ID is any
national or sector identifier (passport, tax, insurance, patient number) or a bank account number that is not an IBAN;
DATE is a date of birth (other dates are not gold); a personal home or delivery address is LOCATION (the whole address),
a city or landmark named in passing is not; a speaker name in a transcript is PERSON (each occurrence); an honorific or
particle glued to a name is not part of the gold span; a company, hospital, hotel or airline name is not gold.
Run: python3 tests/data/pii/gen_probe16.py > tests/data/pii/probe16.jsonl
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probegen  # noqa: E402
from probegen import br_cpf, iban, luhn, verhoeff_digit  # noqa: E402

R = random.Random(16)
dig, pat, card = probegen.drawers(R)


# ---------------------------------------------------------------- check digits
def kr_rrn(body12):
    """Korean resident registration number (주민등록법 시행규칙): weights 2..9,2..5 over 12 digits, check
    (11 - s mod 11) mod 10; printed YYMMDD-NNNNNNN."""
    s = sum(int(c) * w for c, w in zip(body12, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]))
    t = body12 + str((11 - s % 11) % 10)
    return f"{t[:6]}-{t[6:]}"


def tr_tckn(body9):
    """Turkish TC Kimlik No (Nüfus Hizmetleri): d10 = ((d1+d3+d5+d7+d9)*7 - (d2+d4+d6+d8)) mod 10, d11 = sum(d1..d10)
    mod 10; the first digit is not 0."""
    d = [int(c) for c in body9]
    d.append((sum(d[0:9:2]) * 7 - sum(d[1:8:2])) % 10)
    d.append(sum(d) % 10)
    return "".join(map(str, d))


def th_pin(body12):
    """Thai citizen identification number (Department of Provincial Administration): weights 13..2, check
    (11 - s mod 11) mod 10; printed N-NNNN-NNNNN-NN-N."""
    s = sum(int(c) * w for c, w in zip(body12, range(13, 1, -1)))
    t = body12 + str((11 - s % 11) % 10)
    return f"{t[0]}-{t[1:5]}-{t[5:10]}-{t[10:12]}-{t[12]}"


def il_idnr(body8):
    """Israeli Teudat Zehut (מספר זהות): 9 digits, Luhn-like with weights 1,2,1,2,... from the left, digit sums."""
    s = 0
    for i, c in enumerate(body8):
        v = int(c) * (1 if i % 2 == 0 else 2)
        s += v - 9 if v > 9 else v
    return body8 + str((10 - s % 10) % 10)


def aadhaar(body11):
    """Indian Aadhaar (UIDAI): 12 digits, the first not 0 or 1, the last a Verhoeff digit; printed NNNN NNNN NNNN."""
    t = body11 + verhoeff_digit(body11)
    return f"{t[:4]} {t[4:8]} {t[8:]}"


def cn_ric(body17):
    """Chinese resident identity number (GB 11643-1999): ISO 7064 MOD 11-2 over 17 digits, 10 -> X."""
    s = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(body17))
    return body17 + "10X98765432"[s % 11]


def jp_mynumber(body11):
    """Japanese individual number (マイナンバー, 行政手続における特定の個人を識別するための番号の利用等に関する法律 施行令
    第8条): weights 6,5,4,3,2,7,6,5,4,3,2 from the left; r = s mod 11, check 0 if r <= 1 else 11 - r."""
    s = sum(int(c) * w for c, w in zip(body11, [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]))
    r = s % 11
    t = body11 + str(0 if r <= 1 else 11 - r)
    return f"{t[:4]} {t[4:8]} {t[8:]}"


FW = str.maketrans("0123456789-", "０１２３４５６７８９－")
DEVA = str.maketrans("0123456789", "०१२३४५६७८९")
ARAB = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

IDS = {
    "c_visa": card("4539"), "c_mc": card("5425", sep="-"), "c_amex": card("3714", 15), "c_visa2": card("4111", sep=""),
    "c_jcb": card("3530"), "c_union": card("6212"),
    "rrn1": kr_rrn("900512" + "1" + dig(5)), "rrn2": kr_rrn("880923" + "2" + dig(5)),
    "tc1": tr_tckn("3" + dig(8)), "tc2": tr_tckn("5" + dig(8)),
    "th1": th_pin("1" + dig(11)), "il1": il_idnr("0" + dig(7)), "il2": il_idnr("3" + dig(7)),
    "aad1": aadhaar("4" + dig(10)), "aad2": aadhaar("7" + dig(10)),
    "cn1": cn_ric("310104" + "19880517" + dig(3)), "cn2": cn_ric("510107" + "19950821" + dig(3)),
    "cpf1": br_cpf(dig(9)), "cpf2": br_cpf(dig(9)),
    "myn1": jp_mynumber(dig(11)),
    "ib_tr": iban("TR", "00062" + "0" + dig(16)), "ib_sa": iban("SA", "80" + dig(18)),
    "ib_ae": iban("AE", "033" + dig(16)), "ib_il": iban("IL", "010800" + dig(13)),
    "ib_br": iban("BR", "00000000" + "01234" + dig(10) + "C1"), "ib_de": iban("DE", "50010517" + dig(10), group=False),
    "ib_gb": iban("GB", "NWBK" + "601613" + dig(8)),
}
PH = {
    "kr1": pat("010-####-####"), "kr2": pat("02-5##-####"), "kr3": pat("010 #### ####"), "kr4": pat("+82 10-####-####"),
    "jp1": pat("090-####-####"), "jp2": pat("03-####-####"), "jp3": pat("080-####-####"), "jp4": pat("+81 90-3###-####"),
    "cn1": pat("139 #### ####"), "cn2": pat("186########"), "cn3": pat("+86 21 5### ####"),
    "in1": pat("98### #####"), "in2": pat("+91 70### #####"), "in3": pat("+91-99###-#####"), "in4": pat("011 2### ####"),
    "ae1": pat("+971 55 ### ####"), "sa1": pat("05# ### ####"), "il1": pat("05#-###-####"), "il2": pat("+972 3-###-####"),
    "th1": pat("08#-###-####"), "th2": pat("+66 2 ### ####"), "vn1": pat("09## ### ###"), "vn2": pat("+84 28 3### ####"),
    "tr1": pat("0532 ### ## ##"), "tr2": pat("+90 212 ### ## ##"), "id1": pat("0812-####-####"),
    "id2": pat("+62 21 ### ####"), "ke1": pat("+254 7## ### ###"), "tz1": pat("+255 75# ### ###"),
    "ke2": pat("07## ######"), "br1": pat("(11) 9####-####"), "br2": pat("+55 21 9####-####"),
    "us1": pat("(415) 555-01##"), "us2": pat("212-555-01##"), "us3": pat("+1 646 555 01##"),
    "gb1": pat("07911 ######"), "gb2": pat("+44 20 7946 0###"), "de1": pat("+49 30 ### ### ##"),
    "fr1": pat("06 ## ## ## ##"), "es1": pat("+34 6## ### ###"),
}
IDS.update({"p_" + k: v for k, v in PH.items()})
IDS["p_jp_fw"] = pat("090-####-####").translate(FW)
IDS["p_jp_mix"] = "０９０-" + pat("####").translate(FW) + "-" + pat("####")
IDS["p_kr_fw"] = pat("010-####-####").translate(FW)
IDS["p_cn_fw"] = pat("138########").translate(FW)
IDS["p_in_deva"] = pat("98### #####").translate(DEVA)
IDS["p_sa_arab"] = pat("05# ### ####").translate(ARAB)
IDS["p_th_thai"] = pat("08#-###-####").translate(THAI)
IDS["sha1"] = "".join(R.choice("0123456789abcdef") for _ in range(40))
IDS["uuid1"] = "".join(R.choice("0123456789abcdef") for _ in range(8)) + "-7d1e-4c2a-9b3f-" + "".join(
    R.choice("0123456789abcdef") for _ in range(12))
IDS["ord1"] = dig(10)
IDS["ord2"] = dig(9)
IDS["trace1"] = "".join(R.choice("0123456789abcdef") for _ in range(32))

CASES = r"""
# ---------------------------------------------------------------- support tickets and customer e-mails (lower-case labels)
en	name: ⟦PERSON|john smith⟧\nemail: ⟦EMAIL|jsmith88@example.com⟧\nissue: can't log in since yesterday
en	hi, my name is ⟦PERSON|priya raman⟧ and my order never arrived. my address is ⟦LOCATION|12 baker st, leeds ls1 4ap⟧
en	customer name - ⟦PERSON|aaron mitchell⟧, contact no - ⟦PHONE|«p_us2»⟧, wants a refund for order «ord1»
en	Ticket #48213\nFrom: ⟦PERSON|Laura Jimenez⟧ <⟦EMAIL|laura.jimenez@example.org⟧>\nSubject: Wrong item delivered\n\nHi, I got a blue kettle instead of the red one.
en	please update my details. new phone: ⟦PHONE|«p_gb1»⟧, new address: ⟦LOCATION|flat 3, 27 elm grove, bristol bs7 8ha⟧
en	I am writing on behalf of my mother, ⟦PERSON|Margaret O'Neill⟧, whose card ending 4417 was charged twice.
en	Dear Support,\n\nMy account is under ⟦EMAIL|k.tanaka@example.jp⟧. Please call me back on ⟦PHONE|«p_us3»⟧.\n\nRegards,\n⟦PERSON|Kenji Tanaka⟧
en	my name is ⟦PERSON|david o'brien⟧ and i live at ⟦LOCATION|44 harbour view road, cork⟧
en	contact person: ⟦PERSON|mrs. helen carter⟧ / tel ⟦PHONE|«p_us1»⟧
en	Refund to card ⟦CREDIT_CARD|«c_visa»⟧ please, name on card ⟦PERSON|SAMUEL OKAFOR⟧
en	Hello, this is ⟦PERSON|Fatima Zahra Benali⟧ — the courier left my parcel at the wrong door. I'm at ⟦LOCATION|18 Rue des Lilas, 69003 Lyon⟧.
en	Please cancel the subscription for ⟦EMAIL|m.rossi@example.it⟧ (account holder ⟦PERSON|Marco Rossi⟧).
en	ship to:\n⟦PERSON|alex chen⟧\n⟦LOCATION|1600 pine street apt 4b, san francisco, ca 94109⟧
en	SHIP TO:\n⟦PERSON|MARIA GONZALEZ⟧\n⟦LOCATION|742 MAPLE STREET, SPRINGFIELD, IL 62704⟧
en	BILL TO: ⟦PERSON|ROBERT HAYES⟧, ⟦LOCATION|1208 OAK AVENUE APT 12, DENVER, CO 80203⟧
en	Return address: ⟦LOCATION|55 WEST 14TH STREET, NEW YORK, NY 10011⟧
en	The tenant at ⟦LOCATION|9 LINCOLN ROAD, PORTSMOUTH PO1 2EG⟧ is ⟦PERSON|GARY WHITFIELD⟧
en	hey its ⟦PERSON|tom⟧ again, my number changed to ⟦PHONE|«p_gb1»⟧ pls update
en	name : ⟦PERSON|olivia brown⟧ | dob : ⟦DATE|14/02/1991⟧ | ssn : ⟦ID|536-22-8194⟧
en	Can you draft a polite reply to ⟦PERSON|Mr. Ahmed Khalil⟧ (⟦EMAIL|ahmed.khalil@example.com⟧) saying the invoice is attached?
en	Summarize this complaint: "I, ⟦PERSON|Jennifer Walsh⟧, have been waiting 3 weeks for my refund. Call ⟦PHONE|«p_us1»⟧."
en	Account holder: ⟦PERSON|Nguyen Thi Lan⟧\nIBAN: ⟦IBAN|«ib_gb»⟧\nReason: duplicate payment
en	my email is ⟦EMAIL|lucas.martin@example.fr⟧ and my phone is ⟦PHONE|«p_fr1»⟧
en	the delivery guy should ring ⟦PERSON|sophie⟧ at ⟦LOCATION|apartment 12, 3 kings road, brighton bn1 2fl⟧
# ---------------------------------------------------------------- résumés
en	CURRICULUM VITAE\n⟦PERSON|Ananya Krishnan⟧\n⟦LOCATION|H.No. 12-2-417, Road No. 3, Banjara Hills, Hyderabad 500034⟧\n⟦PHONE|«p_in2»⟧ | ⟦EMAIL|ananya.k@example.in⟧\n\nEXPERIENCE\nSenior Data Analyst, 2019-present
en	Résumé – ⟦PERSON|Tomás Herrera⟧\nDate of birth: ⟦DATE|3 March 1994⟧\nAddress: ⟦LOCATION|Calle de Alcalá 145, 4º B, 28009 Madrid⟧\nMobile: ⟦PHONE|«p_es1»⟧
en	Please improve my resume summary: "⟦PERSON|Chinedu Eze⟧ is a backend engineer with 7 years of Go and Kubernetes experience."
en	References available on request. Contact: ⟦PERSON|Dr. Rebecca Lindqvist⟧, ⟦EMAIL|r.lindqvist@example.se⟧
pt-BR	Currículo\nNome: ⟦PERSON|Juliana Ferreira da Costa⟧\nCPF: ⟦ID|«cpf1»⟧\nEndereço: ⟦LOCATION|Rua Augusta, 1508, apto 42, Consolação, São Paulo - SP, 01304-001⟧\nCelular: ⟦PHONE|«p_br1»⟧
de	Lebenslauf\n⟦PERSON|Jonas Becker⟧\n⟦LOCATION|Schillerstraße 12, 10625 Berlin⟧\nTel.: ⟦PHONE|«p_de1»⟧\ngeboren am ⟦DATE|07.11.1989⟧ in Potsdam
tr	Özgeçmiş\nAd Soyad: ⟦PERSON|Elif Yıldız⟧\nDoğum tarihi: ⟦DATE|12.06.1995⟧\nAdres: ⟦LOCATION|Bağdat Cad. No: 214 D: 7, Kadıköy/İstanbul⟧\nTel: ⟦PHONE|«p_tr1»⟧
id	Daftar Riwayat Hidup\nNama: ⟦PERSON|Rizky Pratama⟧\nAlamat: ⟦LOCATION|Jl. Kebon Jeruk Raya No. 27, RT 003/RW 005, Jakarta Barat 11530⟧\nHP: ⟦PHONE|«p_id1»⟧
ko	이력서\n성명: ⟦PERSON|박지훈⟧\n생년월일: ⟦DATE|1992년 4월 17일⟧\n주소: ⟦LOCATION|서울특별시 마포구 월드컵북로 396, 101동 1203호⟧\n연락처: ⟦PHONE|«p_kr1»⟧
ja	履歴書\n氏名：⟦PERSON|佐藤 美咲⟧\n生年月日：⟦DATE|1996年8月3日⟧\n現住所：⟦LOCATION|〒150-0002 東京都渋谷区渋谷2丁目21-1⟧\n電話：⟦PHONE|«p_jp1»⟧
zh	个人简历\n姓名：⟦PERSON|王晓明⟧\n出生日期：⟦DATE|1990年7月15日⟧\n住址：⟦LOCATION|上海市徐汇区漕溪北路88号3栋502室⟧\n手机：⟦PHONE|«p_cn1»⟧
hi	बायोडाटा\nनाम: ⟦PERSON|राहुल शर्मा⟧\nपता: ⟦LOCATION|मकान नं. 45, सेक्टर 15, नोएडा, उत्तर प्रदेश 201301⟧\nमोबाइल: ⟦PHONE|«p_in1»⟧
vi	Sơ yếu lý lịch\nHọ và tên: ⟦PERSON|Trần Thị Mai⟧\nNgày sinh: ⟦DATE|22/09/1997⟧\nĐịa chỉ: ⟦LOCATION|Số 18 ngõ 45 phố Hào Nam, quận Đống Đa, Hà Nội⟧\nĐiện thoại: ⟦PHONE|«p_vn1»⟧
# ---------------------------------------------------------------- medical intake
en	Patient intake\nname: ⟦PERSON|george papadopoulos⟧\ndob: ⟦DATE|1958-01-30⟧\nallergies: penicillin\nemergency contact: ⟦PERSON|eleni papadopoulos⟧ ⟦PHONE|«p_us2»⟧
en	Pt. ⟦PERSON|Mrs. Joyce Nakamura⟧, 67F, presented with chest pain. NHS no. ⟦ID|943 476 5919⟧
en	Write a discharge summary for ⟦PERSON|Mohammed Al-Rashid⟧ (MRN ⟦ID|00482913⟧), admitted for pneumonia.
ja	問診票\nお名前：⟦PERSON|高橋 健一⟧ 様\nご住所：⟦LOCATION|大阪府大阪市北区梅田3-1-3⟧\nお電話：⟦PHONE|«p_jp_fw»⟧\n症状：頭痛と発熱
ko	진료 접수\n환자명: ⟦PERSON|이서연⟧\n주민등록번호: ⟦ID|«rrn2»⟧\n보호자: ⟦PERSON|이정호⟧ (⟦PHONE|«p_kr3»⟧)
zh	就诊登记：患者⟦PERSON|李娜⟧，女，身份证号⟦ID|«cn2»⟧，联系电话⟦PHONE|«p_cn2»⟧，主诉咳嗽三天。
hi	रोगी का नाम: ⟦PERSON|सुनीता देवी⟧, उम्र 54, आधार: ⟦ID|«aad1»⟧, फ़ोन ⟦PHONE|«p_in_deva»⟧
th	ผู้ป่วย ⟦PERSON|นายสมชาย ใจดี⟧ เลขประจำตัวประชาชน ⟦ID|«th1»⟧ โทร ⟦PHONE|«p_th1»⟧
he	טופס קבלה: שם המטופל ⟦PERSON|יוסי כהן⟧, ת.ז. ⟦ID|«il1»⟧, טלפון ⟦PHONE|«p_il1»⟧
ar	استمارة المريض: الاسم ⟦PERSON|خالد عبد الله العتيبي⟧، الجوال ⟦PHONE|«p_sa_arab»⟧، العنوان ⟦LOCATION|حي الملقا، شارع أنس بن مالك، الرياض 13521⟧
sw	Jina la mgonjwa: ⟦PERSON|Amina Juma Mwakyusa⟧, simu ⟦PHONE|«p_tz1»⟧, anaishi ⟦LOCATION|Mtaa wa Uhuru, Kariakoo, Dar es Salaam⟧
tr	Hasta: ⟦PERSON|Mehmet Kaya⟧, T.C. Kimlik No: ⟦ID|«tc1»⟧, doğum tarihi ⟦DATE|03.04.1971⟧
pt-BR	Ficha de atendimento – paciente ⟦PERSON|Carlos Eduardo Souza⟧, nascido em ⟦DATE|09/10/1983⟧, CPF ⟦ID|«cpf2»⟧
id	Pasien atas nama ⟦PERSON|Ibu Siti Nurhaliza⟧, tanggal lahir ⟦DATE|17-08-1979⟧, no. HP ⟦PHONE|«p_id1»⟧
# ---------------------------------------------------------------- travel bookings
en	Book a table for 4 under the name ⟦PERSON|Schneider⟧ tonight at 8.
en	Passenger: ⟦PERSON|MR JAMES ALLEN PARKER⟧\nPassport: ⟦ID|533380006⟧\nFlight BA 287 LHR-SFO, seat 32A
en	Hotel reservation for ⟦PERSON|Ms. Ingrid Solberg⟧, check-in 14 May, 2 nights, contact ⟦EMAIL|ingrid.s@example.no⟧
en	Can you translate this for the taxi driver: please take me to ⟦LOCATION|Flat 502, Tower B, Prestige Shantiniketan, Whitefield, Bengaluru 560048⟧
en	pick me up from ⟦LOCATION|house 14, street 9, sector F-7/2, islamabad⟧ at 6 am, my name is ⟦PERSON|bilal⟧
ja	予約確認：⟦PERSON|鈴木一郎⟧様、2名様、12月24日 19:00、ご連絡先 ⟦PHONE|«p_jp3»⟧
ko	예약자: ⟦PERSON|최유나⟧님, 인원 2명, 체크인 12월 20일, 연락처 ⟦PHONE|«p_kr_fw»⟧
zh	订票人⟦PERSON|张伟⟧先生，手机⟦PHONE|«p_cn_fw»⟧，北京南站至上海虹桥G7次列车
th	จองห้องพักในนาม ⟦PERSON|คุณวิภาวรรณ ศรีสุข⟧ เข้าพัก 2 คืน โทร ⟦PHONE|«p_th_thai»⟧
vi	Đặt vé cho ông ⟦PERSON|Nguyễn Văn Hùng⟧, số điện thoại ⟦PHONE|«p_vn1»⟧, chuyến VN213 Hà Nội – TP.HCM
tr	Rezervasyon ⟦PERSON|Ayşe Demir⟧ Hanım adına, 3 gece, tel ⟦PHONE|«p_tr2»⟧
id	Pesan tiket atas nama ⟦PERSON|Bapak Agus Setiawan⟧, email ⟦EMAIL|agus.setiawan@example.co.id⟧
sw	Tiketi ya ⟦PERSON|Baraka Otieno⟧, namba ya simu ⟦PHONE|«p_ke1»⟧, safari ya Nairobi kwenda Mombasa
pt-BR	Reserva em nome de ⟦PERSON|Fernanda Lima⟧, hóspede, e-mail ⟦EMAIL|fernanda.lima@example.com.br⟧, fone ⟦PHONE|«p_br2»⟧
ar	حجز باسم ⟦PERSON|السيد عمر الحسيني⟧، رقم الجوال ⟦PHONE|«p_ae1»⟧، الوصول 5 يناير
he	הזמנה על שם ⟦PERSON|נועה לוי⟧, טלפון ⟦PHONE|«p_il2»⟧, 2 לילות
# ---------------------------------------------------------------- code with personal data in literals and comments
en	Why does this test fail?\n```python\ndef test_signup():\n    user = create_user(name="⟦PERSON|Hannah Fischer⟧", email="⟦EMAIL|hannah.f@example.de⟧")\n    assert user.id\n```
en	```js\n// contact ⟦PERSON|Maria Lopez⟧ before release\nconst ADMIN_PHONE = "⟦PHONE|«p_us1»⟧";\n```
en	Fix the SQL: INSERT INTO customers (full_name, phone, city) VALUES ('⟦PERSON|Oluwaseun Adeyemi⟧', '⟦PHONE|«p_gb2»⟧', 'Lagos');
en	const testCard = "⟦CREDIT_CARD|«c_visa2»⟧"; // stripe test? no, this is my real card lol
en	# author: ⟦PERSON|Rajesh Kumar⟧ <⟦EMAIL|rajesh.kumar@example.in⟧>\n# created 2024-03-02\nimport os
en	git log shows: Author: ⟦PERSON|Sven Olofsson⟧ <⟦EMAIL|sven@example.se⟧>  Date: Tue Mar 5 10:12:44 2024
en	public static final String OWNER = "⟦PERSON|김민수⟧"; // 담당자 연락처 ⟦PHONE|«p_kr2»⟧
en	seed.rb: User.create!(name: "⟦PERSON|田中 花子⟧", email: "⟦EMAIL|hanako.tanaka@example.jp⟧", tel: "⟦PHONE|«p_jp2»⟧")
en	Refactor this Go struct literal: Customer{Name: "⟦PERSON|Lucía Fernández⟧", IBAN: "⟦IBAN|«ib_de»⟧"}
en	curl -X POST https://api.example.com/v1/users -d '{"email":"⟦EMAIL|qa.tester@example.net⟧","phone":"⟦PHONE|«p_de1»⟧"}'
# ---------------------------------------------------------------- JSON tool-call arguments
en	{"tool": "send_email", "arguments": {"to": "⟦EMAIL|wei.zhang@example.cn⟧", "subject": "Your visa letter", "body": "Dear ⟦PERSON|Wei Zhang⟧, please find attached..."}}
en	{"name": "create_contact", "arguments": {"first_name": "⟦PERSON|Aisha⟧", "last_name": "⟦PERSON|Mensah⟧", "phone": "⟦PHONE|«p_ke1»⟧"}}
en	{"function": "book_ride", "args": {"pickup": "⟦LOCATION|221 King St W, Toronto, ON M5H 1K5⟧", "passenger": "⟦PERSON|Ethan Roy⟧"}}
en	{"tool_call": {"name": "lookup_customer", "arguments": "{\"customer_name\": \"⟦PERSON|Pedro Alves⟧\", \"cpf\": \"⟦ID|«cpf1»⟧\"}"}}
en	{"action": "update_address", "user": {"fullName": "⟦PERSON|Hiroshi Yamamoto⟧", "address": "⟦LOCATION|2-11-3 Meguro, Meguro-ku, Tokyo 153-0063⟧"}}
en	{"recipient": {"name": "⟦PERSON|Zeynep Arslan⟧", "iban": "⟦IBAN|«ib_tr»⟧"}, "amount": 1250.00, "currency": "TRY"}
en	{"patient": {"name": "⟦PERSON|Rohan Mehta⟧", "dob": "⟦DATE|1987-12-05⟧", "aadhaar": "⟦ID|«aad2»⟧"}}
en	{"method": "sms.send", "params": {"to": "⟦PHONE|«p_in3»⟧", "text": "Your OTP is 482913"}}
ko	{"이름": "⟦PERSON|정하늘⟧", "전화": "⟦PHONE|«p_kr4»⟧", "주소": "⟦LOCATION|부산광역시 해운대구 센텀중앙로 79⟧"}
ja	{"氏名": "⟦PERSON|中村 翔太⟧", "メール": "⟦EMAIL|shota.nakamura@example.co.jp⟧", "携帯": "⟦PHONE|«p_jp4»⟧"}
zh	{"收件人": "⟦PERSON|陈静⟧", "电话": "⟦PHONE|«p_cn3»⟧", "地址": "⟦LOCATION|广州市天河区天河路385号⟧"}
# ---------------------------------------------------------------- log lines
en	2024-05-11T09:14:03Z INFO auth login ok user=⟦EMAIL|n.petrova@example.ru⟧ ip=⟦IP|203.0.113.45⟧
en	[WARN] payment declined for card=⟦CREDIT_CARD|«c_mc»⟧ customer="⟦PERSON|Daniel Kim⟧"
en	May 11 10:02:17 web01 sshd[2213]: Failed password for invalid user admin from ⟦IP|198.51.100.23⟧ port 51234 ssh2
en	level=error msg="sms delivery failed" to=⟦PHONE|«p_ke1»⟧ attempt=3
en	127.0.0.1 - - [11/May/2024:10:12:01 +0000] "GET /profile?email=⟦EMAIL|omar.haddad@example.com⟧ HTTP/1.1" 200 512
en	DEBUG user_lookup name='⟦PERSON|Anna Kowalczyk⟧' result=found latency_ms=12
en	ERROR 2024-05-11 11:20:45 address validation failed: "⟦LOCATION|1450 N STATE PKWY APT 6C, CHICAGO IL 60610⟧"
en	audit: deleted record of ⟦PERSON|Li Wei⟧ (⟦EMAIL|li.wei@example.com⟧) by operator ops-17
en	conn from ⟦IP|2001:db8:85a3::8a2e:370:7334⟧ rejected: rate limit
# ---------------------------------------------------------------- Korean: honorifics, glued text, transcripts
ko	⟦PERSON|김민준⟧ 씨에게 내일 회의 일정 알려주세요
ko	⟦PERSON|한지민⟧님께서 주문하신 상품이 발송되었습니다. 배송지: ⟦LOCATION|경기도 성남시 분당구 판교역로 235, 에이치스퀘어 N동 7층⟧
ko	⟦PERSON|오세훈⟧ 선생님 연락처는 ⟦PHONE|«p_kr1»⟧입니다
ko	상담원: 안녕하세요, 무엇을 도와드릴까요?\n⟦PERSON|윤서준⟧: 주소를 바꾸고 싶어요. ⟦LOCATION|대전광역시 유성구 대학로 99⟧로요.\n상담원: 네, 변경해 드리겠습니다.
ko	⟦PERSON|강민호⟧: 오늘 회의록 공유드립니다\n⟦PERSON|송다은⟧: 감사합니다!\n⟦PERSON|강민호⟧: 다음 주 화요일에 다시 봬요
ko	제 이름은 ⟦PERSON|임채원⟧이고 전화번호는 ⟦PHONE|«p_kr3»⟧이에요
ko	주민번호 ⟦ID|«rrn1»⟧로 본인 확인 부탁드립니다
ko	받는 분 ⟦PERSON|조현우⟧, 주소 ⟦LOCATION|서울시 강남구 테헤란로 152, 강남파이낸스센터 18층⟧
# ---------------------------------------------------------------- Japanese: honorifics, glued text, transcripts
ja	⟦PERSON|山田太郎⟧様、いつもお世話になっております。
ja	⟦PERSON|伊藤⟧さんに資料を送ってください。メールは⟦EMAIL|ito.k@example.jp⟧です。
ja	担当：⟦PERSON|小林 直樹⟧先生（内線 2204）
ja	係員：お名前をお願いします。\n⟦PERSON|渡辺⟧：⟦PERSON|渡辺 結衣⟧です。\n係員：ご住所は？\n⟦PERSON|渡辺⟧：⟦LOCATION|神奈川県横浜市中区山下町1-2⟧です。
ja	⟦PERSON|加藤⟧：明日の打ち合わせは10時からです\n⟦PERSON|吉田⟧：了解しました
ja	お届け先：⟦LOCATION|〒060-0001 北海道札幌市中央区北1条西2丁目1番地⟧ ⟦PERSON|松本 陽子⟧様 電話⟦PHONE|«p_jp_mix»⟧
ja	マイナンバー：⟦ID|«myn1»⟧（本人確認のため）
ja	私の名前は⟦PERSON|森川あかり⟧です。電話番号は⟦PHONE|«p_jp1»⟧です。
# ---------------------------------------------------------------- Chinese: glued text, honorifics
zh	请把合同寄给⟦PERSON|刘洋⟧女士，地址是⟦LOCATION|北京市朝阳区建国路93号万达广场B座1201⟧，电话⟦PHONE|«p_cn1»⟧。
zh	客服：您好，请问有什么可以帮您？\n⟦PERSON|赵磊⟧：我的快递一直没到。\n客服：请提供手机号。\n⟦PERSON|赵磊⟧：⟦PHONE|«p_cn2»⟧
zh	身份证号码⟦ID|«cn1»⟧，姓名⟦PERSON|周杰⟧，请核实
zh	我叫⟦PERSON|黄思琪⟧，邮箱⟦EMAIL|siqi.huang@example.cn⟧，住在⟦LOCATION|深圳市南山区科技园南区深南大道9988号⟧
zh	麻烦通知⟦PERSON|孙⟧老师明天的课取消了
zh	收款人：⟦PERSON|吴海燕⟧ 银行卡号：⟦CREDIT_CARD|«c_union»⟧
# ---------------------------------------------------------------- Indian addresses (Flat / H.No. / Sector / landmark-relative)
en	Deliver to ⟦LOCATION|Flat No. 304, Sai Residency, Plot 18, Sector 21, Kharghar, Navi Mumbai 410210⟧
en	My address: ⟦LOCATION|H.No. 1-8-702, Nallakunta, near Shankar Mutt, Hyderabad 500044⟧
en	address is ⟦LOCATION|flat 7b, green park apartments, opp. city mall, andheri west, mumbai 400053⟧
en	Courier for ⟦PERSON|Vikram Singh⟧: ⟦LOCATION|House No. 2341, Sector 44-C, Chandigarh 160047⟧, mob ⟦PHONE|«p_in1»⟧
en	send it to ⟦LOCATION|B-42, Lajpat Nagar II, behind Central Market, New Delhi 110024⟧
en	Address: ⟦LOCATION|#14, 2nd Cross, 5th Main, Indiranagar, Bengaluru 560038⟧, landmark: near BDA complex
en	I stay at ⟦LOCATION|Plot 56, Road No. 12, Jubilee Hills, Hyderabad⟧ — call ⟦PHONE|«p_in2»⟧ when you reach
en	Pls deliver at ⟦LOCATION|D-1102, Lodha Palava, Dombivli East, Thane 421204⟧ after 6pm
hi	डिलीवरी पता: ⟦LOCATION|फ्लैट नं. 12, गली नं. 4, शास्त्री नगर, जयपुर 302016⟧
hi	मेरा नाम ⟦PERSON|अमित वर्मा⟧ है और मेरा नंबर ⟦PHONE|«p_in1»⟧ है
hi	कृपया ⟦PERSON|प्रिया गुप्ता⟧ जी को सूचित करें, उनका ईमेल ⟦EMAIL|priya.gupta@example.in⟧ है
hi	⟦PERSON|संजय⟧: नमस्ते, मेरा पार्सल नहीं आया\nएजेंट: कृपया ऑर्डर नंबर बताइए
hi	आधार नंबर ⟦ID|«aad2»⟧ और जन्मतिथि ⟦DATE|15/08/1985⟧
# ---------------------------------------------------------------- Arabic and Hebrew
ar	اسمي ⟦PERSON|يوسف منصور⟧ وعنواني ⟦LOCATION|شارع الملك فهد، عمارة 12، شقة 4، جدة⟧
ar	يرجى التواصل مع ⟦PERSON|الدكتورة ليلى حسن⟧ على ⟦EMAIL|layla.hassan@example.ae⟧
ar	رقم الآيبان ⟦IBAN|«ib_sa»⟧ باسم ⟦PERSON|فيصل القحطاني⟧
ar	Please transfer to IBAN ⟦IBAN|«ib_ae»⟧, beneficiary ⟦PERSON|Hamad Al Mansoori⟧
ar	المرسل إليه: ⟦PERSON|مريم سعيد⟧، ⟦LOCATION|فيلا 7، شارع 15، الخوانيج 2، دبي⟧، هاتف ⟦PHONE|«p_ae1»⟧
he	שלום, קוראים לי ⟦PERSON|דניאל אברהם⟧ ואני גר ב⟦LOCATION|רחוב הרצל 15, תל אביב⟧
he	מספר חשבון ⟦IBAN|«ib_il»⟧, שם המוטב ⟦PERSON|מיכל פרץ⟧
he	ת"ז ⟦ID|«il2»⟧, נייד ⟦PHONE|«p_il1»⟧
# ---------------------------------------------------------------- Thai and Vietnamese
th	ชื่อ ⟦PERSON|นางสาวพิมพ์ชนก แก้วมณี⟧ ที่อยู่ ⟦LOCATION|99/12 หมู่ 5 ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพมหานคร 10110⟧
th	ส่งของให้ ⟦PERSON|คุณธนากร⟧ เบอร์ ⟦PHONE|«p_th1»⟧
th	ติดต่อ ⟦PERSON|อาจารย์สุรชัย วงศ์ใหญ่⟧ ที่ ⟦EMAIL|surachai.w@example.ac.th⟧
vi	Tôi tên là ⟦PERSON|Lê Minh Tuấn⟧, nhà ở ⟦LOCATION|123 Nguyễn Huệ, phường Bến Nghé, Quận 1, TP. Hồ Chí Minh⟧
vi	Giao hàng cho chị ⟦PERSON|Phạm Thu Hà⟧, SĐT ⟦PHONE|«p_vn2»⟧
vi	anh ⟦PERSON|Đỗ Quang Vinh⟧ ơi, gửi em email ⟦EMAIL|vinh.do@example.vn⟧ nhé
vi	Số CCCD: ⟦ID|001097012345⟧, họ tên: ⟦PERSON|Võ Thị Hồng⟧
# ---------------------------------------------------------------- Turkish, Indonesian, Swahili
tr	Merhaba, ben ⟦PERSON|Can Öztürk⟧. Adresim ⟦LOCATION|Atatürk Mah. Cumhuriyet Cad. No: 45 D: 3, 06420 Çankaya/Ankara⟧
tr	IBAN: ⟦IBAN|«ib_tr»⟧ – Alıcı: ⟦PERSON|Burak Şahin⟧
tr	⟦PERSON|Selin⟧ Hanım'a ulaşmak için ⟦PHONE|«p_tr1»⟧ numarasını arayın
tr	kimlik no ⟦ID|«tc2»⟧, ad soyad ⟦PERSON|Emre Aydın⟧
id	Halo, nama saya ⟦PERSON|Dewi Lestari⟧, alamat saya ⟦LOCATION|Jl. Dago No. 112, Coblong, Bandung 40135⟧
id	Tolong hubungi ⟦PERSON|Pak Budi Santoso⟧ di ⟦PHONE|«p_id2»⟧
id	Kirim ke ⟦LOCATION|Perumahan Griya Asri Blok C3 No. 8, RT 02/RW 07, Bekasi⟧ a.n. ⟦PERSON|Rina Wati⟧
id	NIK ⟦ID|3174051203910002⟧ atas nama ⟦PERSON|Yusuf Hidayat⟧
sw	Jina langu ni ⟦PERSON|Grace Wanjiru⟧, nambari yangu ni ⟦PHONE|«p_ke2»⟧
sw	Tuma kifurushi kwa ⟦PERSON|Juma Hamisi⟧, ⟦LOCATION|S.L.P. 4521, Arusha⟧
sw	Mpigie ⟦PERSON|Bi. Halima Said⟧ kwa ⟦PHONE|«p_tz1»⟧ au barua pepe ⟦EMAIL|halima.said@example.co.tz⟧
# ---------------------------------------------------------------- Portuguese (BR)
pt-BR	meu nome é ⟦PERSON|ana paula ribeiro⟧ e meu endereço é ⟦LOCATION|rua das flores, 250, bairro jardim, curitiba - pr⟧
pt-BR	Enviar para ⟦LOCATION|Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200⟧, aos cuidados de ⟦PERSON|Rodrigo Alves⟧
pt-BR	Chave Pix: ⟦EMAIL|bruno.castro@example.com.br⟧ (⟦PERSON|Bruno Castro⟧)
pt-BR	IBAN ⟦IBAN|«ib_br»⟧, titular ⟦PERSON|Patrícia Gomes⟧
pt-BR	Olá, aqui é a ⟦PERSON|Camila⟧, meu zap é ⟦PHONE|«p_br1»⟧
# ---------------------------------------------------------------- full-width and mixed-width phones, other layouts
ja	連絡先：⟦PHONE|«p_jp_fw»⟧（平日のみ）
ja	TEL⟦PHONE|«p_jp_mix»⟧までお電話ください
ko	전화번호：⟦PHONE|«p_kr_fw»⟧
zh	手机号：⟦PHONE|«p_cn_fw»⟧，请尽快回电
en	call me at ⟦PHONE|«p_us2»⟧ or text ⟦PHONE|«p_us3»⟧
en	phone no ⟦PHONE|«p_in1»⟧, email id ⟦EMAIL|suresh.nair@example.in⟧
en	my dob is ⟦DATE|05/09/1993⟧ and my passport number is ⟦ID|K8264071⟧
en	I'm ⟦PERSON|Kwame Asante⟧ from Accra, reach me on ⟦EMAIL|kwame.asante@example.com.gh⟧
en	Translate into French: "⟦PERSON|Dr. Priyanka Bose⟧ will see you at 3 pm."
en	What's a good birthday message for my colleague ⟦PERSON|Natasha Ivanova⟧?
en	Card: ⟦CREDIT_CARD|«c_amex»⟧ exp 09/27 cvv 1234 name ⟦PERSON|LINDA PARK⟧
en	JCB ⟦CREDIT_CARD|«c_jcb»⟧ を使いました
en	address: ⟦LOCATION|3/45 george street, parramatta nsw 2150⟧
en	Please forward to my new address: ⟦LOCATION|Unit 9, 120 Collins Street, Melbourne VIC 3000⟧
en	Sender: ⟦PERSON|Ivan Horvat⟧, ⟦LOCATION|Ilica 42, 10000 Zagreb⟧
en	Interview transcript\nInterviewer: Please state your name.\n⟦PERSON|Farah Siddiqui⟧: My name is ⟦PERSON|Farah Siddiqui⟧, I live in ⟦LOCATION|House 27, Street 4, DHA Phase 6, Lahore⟧.
en	Meeting transcript 10:02 ⟦PERSON|Olumide⟧: can everyone hear me?\n10:03 ⟦PERSON|Grace⟧: yes
# ---------------------------------------------------------------- PII-free look-alikes: tickets, orders, layouts with no personal value
en	Ticket #48213 status changed from open to pending, priority: high
en	order id: «ord1», status: shipped, carrier: DHL, eta: 2 days
en	name: build\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest
en	name: unknown\nemail: n/a\nphone: not provided
en	customer name: (left blank)\naddress: (not given)
en	name: string (required) – the display name of the project
en	{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}
en	{"tool": "search_flights", "arguments": {"from": "LHR", "to": "JFK", "date": "2024-06-01", "passengers": 2}}
en	{"function": "create_invoice", "args": {"amount": 249.99, "currency": "USD", "sku": "KB-2024-BLK"}}
en	{"name": "Standard Plan", "price": 9.99, "features": ["sso", "audit log"]}
en	{"user_id": 48213, "role": "admin", "created_at": "2024-05-11T09:14:03Z"}
en	Flight BA 287 departs LHR Terminal 5 at 11:25, gate B42
en	Booking ref ZX4K9P, 2 adults, economy, total 812.40 EUR
en	Your table for 4 is confirmed for 20:00 at Gate 7 restaurant
en	Hotel check-in from 15:00, check-out by 11:00, breakfast 7-10
en	Train ICE 1537 from Berlin Hbf to München Hbf, platform 12
en	Invoice INV-2024-00931 due 30 days net, total 1,204.50
en	SKU 4006381333931 is out of stock in warehouse 12
en	version: 3.12.4\nbuild: 20240511.3\ncommit: «sha1»
en	request_id=«uuid1» trace=«trace1» status=200 latency_ms=42
en	2024-05-11T09:14:03Z INFO scheduler job=cleanup deleted=4213 took=1.3s
en	May 11 10:02:17 web01 systemd[1]: Started Daily apt upgrade and clean activities.
en	[WARN] disk usage 91% on /dev/sda1, threshold 90%
en	level=error msg="timeout" service=billing retry=3 backoff_ms=800
en	GET /api/v2/orders?page=3&limit=50 HTTP/1.1 200 1532
en	ERROR: relation "customers" does not exist at character 15
en	def full_name(first, last):\n    return f"{first} {last}".strip()
en	const name = user?.profile?.name ?? "Anonymous";
en	SELECT name, email, phone FROM customers WHERE created_at > now() - interval '7 days';
en	# TODO: validate address field before saving
en	class Address { street: string; city: string; zip: string }
en	assert parse_phone("") is None
en	Patient education leaflet: take 500 mg paracetamol every 6 hours, max 4 g per day
en	Ward 7B, bed 12, visiting hours 14:00-20:00
en	Dose: 2 x 250 mg, batch LOT 23B417, expiry 2026-08
en	Clinic opening hours: Mon-Fri 8:00-18:00, Sat 9:00-13:00
en	Resume tips: use action verbs, quantify results, keep it to 2 pages
en	Skills: Python, SQL, Kubernetes, Terraform, AWS (5 years)
en	Education: B.Tech Computer Science, 2015-2019, CGPA 8.4/10
en	Ship to the address on file. Do not leave at the door.
en	ship to: same as billing\nbill to: company account
en	SHIP VIA GROUND. HANDLE WITH CARE. THIS SIDE UP.
en	742 MB free of 2 GB, 37 files remaining
en	MAPLE STREET ELEMENTARY SCHOOL SPRING CONCERT – MAY 20
en	The Empire State Building is at the corner of Fifth Avenue and 34th Street
en	Flat rate shipping 4.99, orders over 50 ship free
en	Sector 5 of the dashboard shows 12 alerts
en	House No. 10 is the name of the band's second album
en	Near the Taj Mahal there are many hotels and restaurants
en	Plot 3 of the report shows revenue by region
en	Agent: Thanks for waiting. Your refund was issued.\nCustomer: great, thanks!
en	Interviewer: What is your greatest strength?\nCandidate: Problem solving.
en	User: summarize this article\nAssistant: The article argues that...
en	Moderator: Welcome to the panel.\nSpeaker 1: Thank you.
en	call me when you are free, not urgent
en	my name is on the list, can you check?
en	my address changed last month, how do I update it in the app?
en	what is the phone number format in Germany?
en	order 4821 3911 ready for pickup at counter 3
en	Error code 0x80070005, access denied
en	The meeting is at 10:30 in room 4B, floor 12
en	OTP 482913 expires in 5 minutes. Do not share it.
en	Coordinates of the Eiffel Tower: 48.8584, 2.2945
en	Price: ¥12,800 (tax incl.), item no. 4521-88
en	Score 3-2 after extra time, attendance 54,231
en	ISBN 978-3-16-148410-0, 3rd edition, 412 pages
en	Version 2.0.1 (build 4521) released on 2024-05-11
# ---------------------------------------------------------------- PII-free look-alikes in other scripts
ko	상담원: 안녕하세요, 고객센터입니다.\n고객: 배송 조회 부탁드려요.\n상담원: 주문번호를 알려주세요.
ko	사회자: 오늘 회의를 시작하겠습니다.\n참석자: 네.
ko	주문번호 2024051112345, 배송 예정일 5월 14일
ko	서울역에서 부산역까지 KTX 요금은 59,800원입니다
ko	경복궁은 화요일에 휴관합니다
ko	회의실 3층 302호에서 오후 2시에 만나요
ja	係員：次の方どうぞ。\n客：はい。
ja	司会：それでは始めます。\n参加者：よろしくお願いします。
ja	注文番号：4821-3391-0021　合計：¥3,980（税込）
ja	東京駅から新大阪駅まで新幹線で約2時間30分です
ja	会議は3階の第2会議室で午後2時からです
ja	富士山の標高は3776メートルです
zh	客服：您好，请问有什么可以帮您？\n用户：我想查一下订单。
zh	订单号：202405111234567，预计三天内送达
zh	北京故宫每周一闭馆，门票60元
zh	版本 v3.2.1 已发布，修复了 12 个问题
zh	会议室在5楼501，下午三点开会
hi	एजेंट: नमस्ते, मैं आपकी क्या मदद कर सकता हूँ?\nग्राहक: मेरा ऑर्डर कहाँ है?
hi	ऑर्डर नंबर 4821391 कल तक पहुँच जाएगा
hi	ताजमहल सुबह 6 बजे खुलता है
ar	موظف الخدمة: مرحبا، كيف يمكنني مساعدتك؟\nالعميل: أريد تتبع طلبي.
ar	رقم الطلب 48213911، التوصيل خلال 3 أيام
ar	برج خليفة يقع في وسط مدينة دبي
he	נציג: שלום, איך אפשר לעזור?\nלקוח: אני רוצה לבטל הזמנה.
he	מספר הזמנה 4821391, משלוח תוך 3 ימים
th	พนักงาน: สวัสดีค่ะ มีอะไรให้ช่วยคะ\nลูกค้า: ขอเช็กสถานะคำสั่งซื้อค่ะ
th	วัดพระแก้วเปิดทุกวัน 8:30-15:30 น.
vi	Nhân viên: Xin chào, tôi có thể giúp gì?\nKhách hàng: Tôi muốn đổi hàng.
vi	Mã đơn hàng 4821391, giao trong 3 ngày
vi	Hồ Gươm nằm ở trung tâm Hà Nội
tr	Müşteri temsilcisi: Merhaba, nasıl yardımcı olabilirim?\nMüşteri: Siparişim gelmedi.
tr	Sipariş no: 4821391, kargo takip: TR48213911
tr	Ayasofya Sultanahmet Meydanı'nda bulunur
id	Petugas: Selamat pagi, ada yang bisa dibantu?\nPelanggan: Paket saya belum sampai.
id	Nomor pesanan 4821391, estimasi tiba 2 hari
id	Monas terletak di Jalan Medan Merdeka, Jakarta Pusat
sw	Mhudumu: Habari, nikusaidie nini?\nMteja: Nataka kufuatilia oda yangu.
sw	Mlima Kilimanjaro una urefu wa mita 5,895
pt-BR	Atendente: Olá, em que posso ajudar?\nCliente: Meu pedido atrasou.
pt-BR	Pedido nº 4821391, prazo de entrega 5 dias úteis, frete R$ 19,90
pt-BR	O Cristo Redentor fica no morro do Corcovado
pt-BR	nome: produto\npreço: 49,90\nestoque: 120
de	Name: Testprojekt\nVersion: 1.4.2\nLizenz: MIT
en	name: rollout-canary\nreplicas: 3\nimage: nginx:1.25
en	the name field is required and must be under 64 characters
en	Address line 1 / Address line 2 / City / Postcode
en	TEL: +00 (placeholder) – replace with the customer number
""".strip("\n")


def check_with_stdnum():
    """Re-checks the computed identifiers, cards and IBANs with python-stdnum (Debian python3-stdnum 1.18)."""
    from stdnum.br import cpf
    from stdnum.cn import ric
    from stdnum.il import idnr
    from stdnum.in_ import aadhaar as s_aadhaar
    from stdnum.kr import rrn
    from stdnum.th import pin
    from stdnum.tr import tckimlik
    from stdnum.gb import nhs
    from stdnum import luhn as s_luhn
    probegen.check_ibans_cards(IDS)
    for k, mod in (("cpf1", cpf), ("cpf2", cpf), ("cn1", ric), ("cn2", ric), ("il1", idnr), ("il2", idnr),
                   ("aad1", s_aadhaar), ("aad2", s_aadhaar), ("rrn1", rrn), ("rrn2", rrn), ("th1", pin),
                   ("tc1", tckimlik), ("tc2", tckimlik)):
        mod.validate(IDS[k])
    nhs.validate("943 476 5919")
    # My Number (not in stdnum 1.18): re-computed from the rule of jp_mynumber
    d = IDS["myn1"].replace(" ", "")
    assert jp_mynumber(d[:11]).replace(" ", "") == d
    # the look-alike numbers are no card: each is too short or fails Luhn
    for v in (IDS["ord1"], IDS["ord2"], "2024051112345", "202405111234567", "4006381333931"):
        assert len(v) < 13 or not s_luhn.is_valid(v), v
    sys.stderr.write("stdnum: all identifiers valid\n")


def phone_lines():
    """`REGION<TAB>number` of every gold phone number, for check_phones.cc (libphonenumber's IsValidNumber); native and
    full-width digits are folded to ASCII first."""
    native = str.maketrans("０１２３４５６７８９－०१२३४५६७८९٠١٢٣٤٥٦٧٨٩๐๑๒๓๔๕๖๗๘๙", "0123456789-" + "0123456789" * 3)
    extra = ["JP\t" + IDS["p_jp_fw"].translate(native), "JP\t" + IDS["p_jp_mix"].translate(native),
             "KR\t" + IDS["p_kr_fw"].translate(native), "CN\t" + IDS["p_cn_fw"].translate(native),
             "IN\t" + IDS["p_in_deva"].translate(native), "SA\t" + IDS["p_sa_arab"].translate(native),
             "TH\t" + IDS["p_th_thai"].translate(native)]
    return probegen.phone_lines(PH, extra)


if __name__ == "__main__":
    probegen.main(CASES, IDS, check_with_stdnum, phone_lines)
