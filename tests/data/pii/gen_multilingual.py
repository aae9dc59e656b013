#!/usr/bin/env python3
"""Generates tests/data/pii/multilingual.jsonl: a labelled multilingual PII corpus for
tests/unit/policy/test_pii_multilingual.c. Deterministic (seed 2026): rerun to regenerate,
`python3 tests/data/pii/gen_multilingual.py > tests/data/pii/multilingual.jsonl`.

13 languages (en, zh, ja, ko, ru, ar, hi, de, fr, es, it, nl, pt). For each, prompts in that
language are built from several templates per entity type (chat messages, form fields, business
cards, image prompts), with values drawn at random in the formats of the country: phone numbers
in national and international notation (grouped with spaces, hyphens, no-break and thin spaces,
full-width digits for zh/ja, Arabic-Indic digits for ar, Devanagari digits for hi), e-mails,
Luhn-valid card numbers, mod-97-valid IBANs, names (a trigger or an honorific comes with each:
names must need context), whole postal addresses in the country's order (house number, street,
unit, postcode, city, region as ONE span). Negatives carry no entity: look-alikes that must not
fire (order and tracking numbers, ISBNs, prices, timestamps, seeds, image resolutions and aspect
ratios, versions, hashes) inside prose of the same language, and plain prompts.

Each line: {"lang", "split", "text", "entities": [{"type", "start", "end"}]}, split "main" or "holdout", offsets in Unicode code
points, types EMAIL, PHONE, CREDIT_CARD, IBAN, PERSON, LOCATION. The values are synthetic. The
generator is written by the same author as the recognizers: the corpus is a regression net for
the scripts and formats listed, not an independent accuracy measure.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from probegen import iban_compact, jsonl, luhn_digit  # noqa: E402

R = random.Random(2026)
NBSP, THIN, NNBSP = "\u00a0", "\u2009", "\u202f"


def digits(n, first="0123456789"):
    return R.choice(first) + "".join(R.choice("0123456789") for _ in range(n - 1))


def fullwidth(s):
    return "".join(chr(ord(c) - 0x30 + 0xFF10) if c.isdigit() else ("\u3000" if c == " " else ("\uff0d" if c == "-" else c)) for c in s)


def arabic_digits(s):
    return "".join(chr(ord(c) - 0x30 + 0x0660) if c.isdigit() else c for c in s)


def deva_digits(s):
    return "".join(chr(ord(c) - 0x30 + 0x0966) if c.isdigit() else c for c in s)


def luhn_complete(prefix, length):
    d = prefix + "".join(R.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return d + luhn_digit(d)


def card():
    num = luhn_complete(R.choice(["4", "51", "52", "53", "54", "55", "2221"]), 16)
    sep = R.choice([" ", "-", " ", NBSP, THIN, ""])
    return sep.join(num[i:i + 4] for i in range(0, 16, 4))


IBAN_LEN = {"DE": 22, "FR": 27, "ES": 24, "IT": 27, "NL": 18, "GB": 22, "PT": 25, "BR": 29, "AE": 23, "SA": 24}


def iban(cc):
    n = IBAN_LEN[cc]
    if cc == "NL":
        bban = "".join(R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + digits(10)
    elif cc == "GB":
        bban = "".join(R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + digits(14)
    elif cc == "IT":
        bban = R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + digits(22)
    else:
        bban = digits(n - 4)
    s = iban_compact(cc, bban)
    if R.random() < 0.6:
        s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return s


def mail(local):
    dom = R.choice(["example.com", "mail.example.org", "example.net", "corp.example.de", "example.co.jp", "qq.com", "163.com",
                    "naver.com", "mail.ru", "yandex.ru", "gmail.com", "outlook.fr", "libero.it", "uol.com.br", "ziggo.nl"])
    return local + (R.choice(["", ".", "_"]) + str(R.randint(1, 99)) if R.random() < 0.4 else "") + "@" + dom


LATIN = {
    "en": (["James", "Mary", "Robert", "Jennifer", "Michael", "Linda", "David", "Emily", "Daniel", "Olivia", "Chris", "Sarah"],
           ["Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Taylor", "Anderson", "Clarke", "Walker", "Hughes", "Wright"]),
    "de": (["Lukas", "Anna", "Felix", "Lea", "Jonas", "Marie", "Paul", "Sophie", "Leon", "Hannah", "Jürgen", "Käthe"],
           ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Krüger", "Schäfer"]),
    "fr": (["Pierre", "Camille", "Louis", "Chloé", "Hugo", "Manon", "Jules", "Léa", "Gabriel", "Inès", "Théo", "Zoé"],
           ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Girard"]),
    "es": (["Javier", "Lucía", "Alejandro", "Sofía", "Pablo", "María", "Diego", "Carmen", "Álvaro", "Paula", "Sergio", "Elena"],
           ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno"]),
    "it": (["Marco", "Giulia", "Luca", "Francesca", "Matteo", "Chiara", "Alessandro", "Sara", "Lorenzo", "Elena", "Davide", "Martina"],
           ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo"]),
    "nl": (["Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Milan", "Sophie", "Thijs", "Anna", "Ruben", "Fleur"],
           ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer",
            "Mulder"]),
    "pt": (["João", "Maria", "Pedro", "Ana", "Lucas", "Juliana", "Gabriel", "Beatriz", "Rafael", "Larissa", "Mateus", "Camila"],
           ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes", "Costa", "Ribeiro"]),
}
ZH_SUR = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋")
ZH_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "小明", "建国",
            "晓东", "雪梅", "志强", "海燕", "文博", "子涵"]
JA_SUR = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田"]
JA_GIVEN = ["太郎", "花子", "健", "翔太", "美咲", "大輔", "陽菜", "蓮", "結衣", "拓也"]
KO_SUR = list("김이박최정강조윤장임")
KO_GIVEN = ["민수", "지은", "서연", "민준", "하은", "도윤", "지훈", "수빈", "예린", "현우"]
RU_FIRST = ["Иван", "Анна", "Дмитрий", "Мария", "Сергей", "Елена", "Алексей", "Ольга", "Михаил", "Наталья"]
RU_LAST = ["Петров", "Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Лебедев", "Новикова", "Козлов", "Морозова"]
AR_FIRST = ["أحمد", "محمد", "فاطمة", "علي", "مريم", "خالد", "نور", "يوسف", "سارة", "عمر"]
AR_LAST = ["العلي", "الحسن", "منصور", "الخطيب", "حداد", "السيد", "النجار", "عبد الله", "الشامي", "يوسف"]
HI_FIRST = ["राहुल", "प्रिया", "अमित", "सुनीता", "विकास", "अंजलि", "रोहित", "पूजा", "संजय", "नेहा"]
HI_LAST = ["शर्मा", "वर्मा", "गुप्ता", "सिंह", "कुमार", "पटेल", "जोशी", "मेहता", "रेड्डी", "यादव"]
ROMAN = ["zhang.wei", "li.na", "wang.fang", "tanaka", "yamada.taro", "kim.minsu", "park.jieun", "ivan.petrov", "ahmed.ali",
         "rahul.sharma", "j.smith", "lukas.mueller", "p.martin", "javier.garcia", "giulia.rossi", "daan.jansen", "joao.silva"]


def name(lang):
    if lang in LATIN:
        f, l = LATIN[lang]
        first, last = R.choice(f), R.choice(l)
        if R.random() < 0.2 and lang in ("en", "de", "fr"):
            last = last + "-" + R.choice(l)  # hyphenated surname
        return first + " " + last
    if lang == "zh":
        return R.choice(ZH_SUR) + R.choice(ZH_GIVEN)
    if lang == "ja":
        return R.choice(JA_SUR) + R.choice(JA_GIVEN)
    if lang == "ko":
        return R.choice(KO_SUR) + R.choice(KO_GIVEN)
    if lang == "ru":
        return R.choice(RU_FIRST) + " " + R.choice(RU_LAST)
    if lang == "ar":
        return R.choice(AR_FIRST) + " " + R.choice(AR_LAST)
    return R.choice(HI_FIRST) + " " + R.choice(HI_LAST)


def phone(lang):
    if lang == "en":
        a, b, c = digits(3, "23456789"), digits(3, "23456789"), digits(4)
        return R.choice(["(%s) %s-%s" % (a, b, c), "%s-%s-%s" % (a, b, c), "+1 %s %s %s" % (a, b, c), "+44 7%s %s" % (digits(3), digits(6))])
    if lang == "zh":
        m = "1" + R.choice("3456789") + digits(9)
        f = R.choice(["%s %s %s" % (m[:3], m[3:7], m[7:]), m, "+86 %s-%s-%s" % (m[:3], m[3:7], m[7:]), "+86 " + m,
                      "0%s-%s" % (R.choice(["10", "21", "755", "571"]), digits(8, "2345678"))])
        return fullwidth(f) if R.random() < 0.25 else f
    if lang == "ja":
        f = R.choice(["0%s0-%s-%s" % (R.choice("789"), digits(4), digits(4)), "03-%s-%s" % (digits(4), digits(4)),
                      "+81 %s0-%s-%s" % (R.choice("789"), digits(4), digits(4)), "06-%s-%s" % (digits(4), digits(4))])
        return fullwidth(f) if R.random() < 0.25 else f
    if lang == "ko":
        return R.choice(["010-%s-%s" % (digits(4), digits(4)), "+82 10-%s-%s" % (digits(4), digits(4)),
                         "02-%s-%s" % (digits(3, "2345678"), digits(4)), "010 %s %s" % (digits(4), digits(4))])
    if lang == "ru":
        a = "9" + digits(2)
        return R.choice(["+7 %s %s-%s-%s" % (a, digits(3), digits(2), digits(2)), "8 (%s) %s-%s-%s" % (a, digits(3), digits(2), digits(2)),
                         "+7 (%s) %s-%s-%s" % (a, digits(3), digits(2), digits(2))])
    if lang == "ar":
        f = R.choice(["+971 5%s %s %s" % (R.choice("0256"), digits(3), digits(4)), "05%s %s %s" % (R.choice("0256"), digits(3), digits(4)),
                      "+966 5%s %s %s" % (R.choice("0345"), digits(3), digits(4))])
        return arabic_digits(f) if R.random() < 0.3 else f
    if lang == "hi":
        f = R.choice(["+91 %s %s" % (digits(5, "6789"), digits(5)), "%s %s" % (digits(5, "6789"), digits(5)),
                      "+91-%s" % digits(10, "6789")])
        return deva_digits(f) if R.random() < 0.3 else f
    if lang == "de":
        return R.choice(["+49 30 %s" % digits(8), "030 %s" % digits(8), "0171 %s" % digits(7), "+49 171 %s" % digits(7),
                         "089/%s" % digits(7)])
    if lang == "fr":
        g = ["0" + R.choice("67"), digits(2), digits(2), digits(2), digits(2)]
        sep = R.choice([" ", ".", NBSP, NNBSP])
        return R.choice([sep.join(g), "+33 " + g[0][1] + " " + " ".join(g[1:])])
    if lang == "es":
        return R.choice(["6%s %s %s" % (digits(2), digits(3), digits(3)), "+34 6%s %s %s %s" % (digits(2), digits(2), digits(2), digits(2)),
                         "91 %s %s %s" % (digits(3), digits(2), digits(2))])
    if lang == "it":
        return R.choice(["3%s %s %s" % (digits(2), digits(3), digits(4)), "+39 3%s %s %s" % (digits(2), digits(3), digits(4)),
                         "+39 06 %s %s" % (digits(4), digits(4))])
    if lang == "nl":
        return R.choice(["06 %s" % digits(8), "06-%s" % digits(8), "+31 6 %s" % digits(8), "020 %s %s" % (digits(3), digits(4))])
    return R.choice(["(11) 9%s-%s" % (digits(4), digits(4)), "+55 11 9%s-%s" % (digits(4), digits(4)),
                     "(21) 9%s-%s" % (digits(4), digits(4))])


def address(lang):
    n = str(R.randint(1, 299))
    if lang == "en":
        if R.random() < 0.5:
            st = R.choice(["Main Street", "Oak Avenue", "Maple Drive", "Elm Street", "Sunset Boulevard", "Cedar Lane", "Park Road"])
            unit = R.choice(["", ", Apt 4B", ", Suite 200", ", Unit 12", ""])
            city, state = R.choice([("Springfield", "IL"), ("Austin", "TX"), ("Portland", "OR"), ("Denver", "CO"), ("Seattle", "WA")])
            return "%s %s%s, %s, %s %s" % (n, st, unit, city, state, digits(5, "123456789"))
        st = R.choice(["Baker Street", "High Street", "Station Road", "Church Lane", "Victoria Road"])
        city, pc = R.choice([("London", "NW1 6XE"), ("Manchester", "M1 1AE"), ("Leeds", "LS1 4DY"), ("Bristol", "BS1 5TR")])
        return R.choice(["%s %s, %s %s" % (n, st, city, pc), "Flat %d, %s %s, %s %s" % (R.randint(1, 9), n, st, city, pc)])
    if lang == "de":
        st = R.choice(["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schillerstraße", "Marktplatz"])
        city = R.choice(["10115 Berlin", "80331 München", "20095 Hamburg", "50667 Köln", "60311 Frankfurt am Main"])
        return "%s %s, %s" % (st, n, city)
    if lang == "fr":
        st = R.choice(["rue de la Paix", "avenue des Champs-Élysées", "boulevard Saint-Germain", "rue Victor Hugo", "place Bellecour"])
        city = R.choice(["75002 Paris", "69002 Lyon", "13001 Marseille", "31000 Toulouse"])
        return "%s %s, %s" % (n, st, city)
    if lang == "es":
        st = R.choice(["Calle Mayor", "Calle de Alcalá", "Avenida de la Constitución", "Plaza Mayor", "Paseo de Gracia"])
        city = R.choice(["28013 Madrid", "08007 Barcelona", "41001 Sevilla", "46002 Valencia"])
        return "%s %s, %s" % (st, n, city)
    if lang == "it":
        st = R.choice(["Via Roma", "Via Garibaldi", "Corso Vittorio Emanuele", "Piazza Navona", "Viale Mazzini"])
        city = R.choice(["00184 Roma", "20121 Milano", "50123 Firenze", "80133 Napoli"])
        return "%s %s, %s" % (st, n, city)
    if lang == "nl":
        st = R.choice(["Keizersgracht", "Damstraat", "Kerkstraat", "Stationsweg", "Prinsengracht"])
        city = R.choice(["1015 CJ Amsterdam", "3011 AB Rotterdam", "2511 BT Den Haag", "3511 LX Utrecht"])
        return "%s %s, %s" % (st, n, city)
    if lang == "pt":
        st = R.choice(["Rua Augusta", "Avenida Paulista", "Rua das Flores", "Avenida Atlântica", "Rua Oscar Freire"])
        city = R.choice(["São Paulo - SP", "Rio de Janeiro - RJ", "Belo Horizonte - MG"])
        return "%s, %s - %s, %s, %s-%s" % (st, n, R.choice(["Centro", "Bela Vista", "Copacabana"]), city, digits(5, "0123"), digits(3))
    if lang == "zh":
        city = R.choice(["北京市朝阳区", "上海市浦东新区", "广东省深圳市南山区", "浙江省杭州市西湖区", "四川省成都市武侯区"])
        road = R.choice(["建国路", "世纪大道", "科技园路", "文三路", "人民南路"])
        tail = R.choice(["%s号" % n, "%s号院%d号楼%d室" % (n, R.randint(1, 9), R.randint(101, 2503)), "%s号%d栋%d单元%d室" % (n, R.randint(1, 20), R.randint(1, 4), R.randint(101, 2503))])
        return city + road + tail
    if lang == "ja":
        pref = R.choice(["東京都千代田区千代田", "東京都港区六本木", "大阪府大阪市北区梅田", "神奈川県横浜市中区山下町", "北海道札幌市中央区北1条西"])
        num = R.choice(["%d-%d-%d" % (R.randint(1, 9), R.randint(1, 20), R.randint(1, 30)), "%d丁目%d番%d号" % (R.randint(1, 9), R.randint(1, 20), R.randint(1, 30))])
        pc = R.choice(["", "〒%s-%s " % (digits(3, "123456789"), digits(4))])
        return pc + pref + num
    if lang == "ko":
        return R.choice(["서울특별시 강남구 테헤란로 %s" % n, "서울시 마포구 월드컵로 %s" % n, "부산광역시 해운대구 해운대로 %s" % n,
                         "경기도 성남시 분당구 판교역로 %s" % n, "서울특별시 종로구 세종대로 %s" % n])
    return None


# templates per language: {N} name, {P} phone, {E} e-mail, {A} address, {C} card, {I} IBAN
T = {
    "en": ["Send the invoice to {N} at {E}.", "Name: {N}\nPhone: {P}\nAddress: {A}", "I'm {N}, reach me on {P}.", "Deliver to: {A}", "My name is {N} and my phone is {P}.", "Please email {E} or call {P} before Friday.", "Ship it to {A}. Thanks!",
           "Dear {N},\nyour card {C} was charged.", "Wire the refund to IBAN {I}, account holder {N}.",
           "Contact: {N}, {E}, {P}", "Write a polite reply to {N} who lives at {A}.", "Hi {N}, call me at {P} when you land.",
           "Best regards,\n{N}\n{P}", "my name is {n} and i need help with my order"],
    "zh": ["请在周五前联系{N}（电话{P}）", "寄件人：{N}，地址：{A}", "客户{N}的邮箱是{E}", "我叫{N}，我的银行卡号是{C}", "尊敬的{N}女士：您好！", "请联系{E}谢谢", "我的手机号是{P}，有事打给我。", "联系人：{N}，电话：{P}", "收货地址：{A}，收件人：{N}", "请把文件发给{N}。",
           "{N}先生您好，您的银行卡{C}已绑定。", "名片\n姓名：{N}\n手机：{P}\n邮箱：{E}\n地址：{A}", "我住在{A}，电话{P}。",
           "帮我给{N}写一封感谢信，她的邮箱是{E}", "退款请转到{I}，户主{N}"],
    "ja": ["担当：{N}（{E}）", "私は{N}です。電話は{P}。", "{N}さんの住所は{A}です。", "お名前：{N}", "氏名：{N}\n電話：{P}", "{N}様、お問い合わせありがとうございます。", "連絡先は{E}です。", "住所：{A}", "電話番号は{P}です。",
           "{N}さんに{E}からメールを送ってください。", "カード番号{C}で支払いました。", "お届け先：{A}　{N}様"],
    "ko": ["성명: {N}, 연락처 {P}", "{N}님, 주문하신 상품은 {A}로 배송됩니다.", "이름: {N}", "제 이름은 {N}입니다. 전화번호는 {P}예요.", "{N} 씨에게 {E}로 연락하세요.", "주소는 {A}입니다.", "연락처: {P}",
           "배송지: {A}, 받는 사람 {N}님", "카드 번호 {C}로 결제했어요.", "이메일 {E} 로 보내 주세요."],
    "ru": ["ФИО: {N}\nТелефон: {P}\nEmail: {E}", "Здравствуйте, {N}! Ваш заказ передан в доставку.", "Получатель: {N}, карта {C}", "Меня зовут {N}, мой телефон {P}.", "Напишите мне на {E}, пожалуйста.", "Уважаемый {N}, ваша карта {C} заблокирована.",
           "Позвоните мне: {P}", "Переведите деньги на IBAN {I}.", "С уважением,\n{N}\n{E}"],
    "ar": ["عزيزي {N}، شكرا لتواصلك", "الاسم: {N}\nالهاتف: {P}", "اسمي {N} ورقم هاتفي {P}", "راسلني على {E} من فضلك", "اتصل بي على {P}", "رقم البطاقة {C}", "حوّل المبلغ إلى {I}",
           "السيد {N}، نرجو التواصل عبر {E}"],
    "hi": ["नाम: {N}, फ़ोन: {P}", "प्रिय {N}, आपका कार्ड {C} सक्रिय है।", "मेरा नाम {N} है और मेरा फ़ोन {P} है।", "कृपया {E} पर ईमेल करें।", "मुझे {P} पर कॉल करें।", "कार्ड नंबर {C} है।",
           "श्री {N} को {E} पर लिखें।"],
    "de": ["Sehr geehrter Herr {N},\nIhre Bestellung ist unterwegs.", "Lieferadresse: {A}", "Name: {N}, IBAN: {I}", "Ich heiße {N} und meine Nummer ist {P}.", "Bitte schicken Sie die Rechnung an {A}.", "Mein Name ist {N}, E-Mail {E}.",
           "Überweisen Sie auf {I}.", "Hallo {N}, ruf mich unter {P} an.", "Kontakt: {N}, {A}, Tel. {P}",
           "Mit freundlichen Grüßen\n{N}"],
    "fr": ["Mme {N} habite au {A}.", "Nom : {N}\nTél : {P}", "Je m'appelle {N}, mon numéro est le {P}.", "Envoyez le colis au {A}.", "Bonjour {N}, votre carte {C} expire bientôt.",
           "Mon IBAN : {I}", "Écrivez-moi à {E}.", "Adresse : «{A}»", "Cordialement,\n{N}\n{P}"],
    "es": ["Sr. {N}, su pedido llegará a {A}.", "Nombre: {N}, correo {E}", "Me llamo {N} y mi teléfono es {P}.", "Mi dirección es {A}.", "Escríbeme a {E}, por favor.", "Hola {N}, tu tarjeta {C} fue aceptada.",
           "Transfiere a la cuenta {I}.", "Envíalo a {A}, a nombre de {N}."],
    "it": ["Sig. {N}, residente in {A}", "Nome: {N}, email {E}", "Mi chiamo {N}, il mio numero è {P}.", "Spedire a {A}.", "Scrivimi a {E}.", "Ciao {N}, la tua carta {C} è scaduta.",
           "IBAN: {I}", "Gentile {N}, la contatteremo al {P}."],
    "nl": ["Naam: {N}\nAdres: {A}", "Beste {N}, bel me op {P}.", "Mijn naam is {N} en mijn nummer is {P}.", "Stuur het pakket naar {A}.", "Mail me op {E}.", "Hallo {N}, je kaart {C} is geblokkeerd.",
           "Rekeningnummer {I}", "Met vriendelijke groet,\n{N}\n{P}"],
    "pt": ["Sr. {N}, seu pedido será entregue em {A}.", "Nome: {N}, e-mail {E}", "Meu nome é {N} e meu celular é {P}.", "Entregar em {A}.", "Me mande um e-mail em {E}.", "Olá {N}, seu cartão {C} foi aprovado.",
           "Transfira para o IBAN {I}.", "Atenciosamente,\n{N}\n{P}"],
}
# held-out templates: written once, after the recognizers of this round, and never tuned against;
# the test reports them as their own split ("holdout") so the table shows how the rules carry
# over to phrasings they were not written for
HOLD = {
    "en": ["Hey, it's {N} here. New number: {P}", "Could you update my shipping address to {A}? Thanks, {N}",
           "Forward this to {E} and cc {N}.", "Pay with {C} please, billing name {N}."],
    "zh": ["麻烦你把合同寄到{A}，收件人{N}，手机{P}。", "我是{N}，邮箱{E}，有问题随时联系。", "这是我的新号码{P}，请保存。",
           "帮我查一下{N}的订单，TA的手机号是{P}"],
    "ja": ["{N}です。携帯は{P}、メールは{E}です。", "請求書は{A}まで郵送してください。", "担当者：{N}　電話：{P}"],
    "ko": ["안녕하세요, {N}입니다. 제 번호는 {P}이에요.", "택배는 {A}로 보내 주세요.", "메일 주소: {E}"],
    "ru": ["Это {N}, мой новый номер {P}.", "Пришлите счёт на {E}, пожалуйста. С уважением, {N}", "Номер карты: {C}"],
    "ar": ["أنا {N}، هاتفي {P}", "بريدي الإلكتروني هو {E}", "يرجى الدفع بالبطاقة {C}"],
    "hi": ["मैं {N} हूँ, मेरा नंबर {P} है।", "मेरा ईमेल {E} है।", "बिल {E} पर भेज दीजिए।"],
    "de": ["Hier ist {N}, meine neue Handynummer lautet {P}.", "Bitte liefern Sie an {A}.", "Rückfragen gerne an {E}, Gruß {N}"],
    "fr": ["C'est {N}, mon nouveau portable : {P}.", "Livraison au {A}, merci.", "Pour toute question : {E}"],
    "es": ["Soy {N}, mi nuevo móvil es {P}.", "Mándalo a {A}, gracias.", "Cualquier duda a {E}."],
    "it": ["Sono {N}, il mio nuovo cellulare è {P}.", "Consegnare a {A}, grazie.", "Per domande: {E}"],
    "nl": ["Met {N}, mijn nieuwe nummer is {P}.", "Graag bezorgen op {A}.", "Vragen? Mail naar {E}."],
    "pt": ["Aqui é {N}, meu novo número é {P}.", "Pode entregar em {A}?", "Dúvidas: {E}"],
}

IBAN_CC = {"en": "GB", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL", "pt": "BR", "zh": "DE", "ru": "DE", "ar": "AE",
           "ja": "GB", "ko": "GB", "hi": "GB"}

# negatives: look-alikes inside prose of each language
NEG = {
    "en": ["Meet me at Central Park at 5 pm.", "The Jordan River flows south.", "Port 8080 is blocked; retry in 30 s.", "Flight LH 400 departs at 10:45 from gate 22.", "Dear customer, your ticket {ORD} is open.", "Hi team, the Q3 report is ready.", "Via the API you can list 1000 items.", "Grace under pressure: a portrait in oil, 50x70 cm.", "Order #{ORD} shipped on {DATE}; total ${PRICE}.", "Render at {RES}, --ar 16:9, --seed {SEED}.", "ISBN {ISBN}, 3rd edition.",
           "Upgrade to v{VER} before {DATE} {TIME}.", "Commit {HASH} fixed build {BUILD}.", "A watercolor cat in a garden, soft light."],
    "zh": ["王者荣耀新赛季攻略", "马上给我写一首诗", "高速公路上的夜景，8K", "北京烤鸭的做法", "第3号方案更好", "叫我起床的闹钟设为7点", "给他一个惊喜", "市场部和技术部的区别", "二号线地铁站的海报", "画一个白发老人坐在路边", "订单号：{ORD}，金额¥{PRICE}。", "画一只猫，分辨率{RES}，种子{SEED}。", "版本{VER}于{DATE} {TIME}发布。", "这个城市的区别很大。",
           "给黄色的猫加一顶帽子，白色背景。", "ISBN {ISBN}，第三版。", "快递单号{TRACK}，预计明天送达。", "生成一张上海夜景图，4K，{RES}。"],
    "ja": ["東京の夜景を描いてください", "皆さん、お疲れ様でした", "様々な色のバラ", "1丁目の夕日のような風景", "田んぼの中の一本道", "注文番号{ORD}、合計¥{PRICE}。", "解像度{RES}、シード{SEED}で生成。", "バージョン{VER}を{DATE}に公開しました。", "お客様各位、皆様のご協力に感謝します。",
           "ISBN {ISBN} の本を探しています。"],
    "ko": ["다시 한번 말해 주세요", "서울 야경을 그려 줘", "선생님, 숙제를 3시까지 낼게요", "고객님 감사합니다", "운동 123회 완료", "주문번호 {ORD}, 금액 {PRICE}원.", "해상도 {RES}, 시드 {SEED}로 생성해 주세요.", "버전 {VER} 출시일은 {DATE}입니다.",
           "친구 집으로 3시에 가요.", "고객님, 선생님께 감사드립니다."],
    "ru": ["Москва — столица России.", "Привет, как дела?", "Уважаемые коллеги, отчёт готов.", "Здравствуйте, подскажите рецепт борща.", "Заказ № {ORD} от {DATE}, сумма {PRICE} ₽.", "Разрешение {RES}, seed {SEED}.", "Версия {VER} вышла {DATE}.", "ISBN {ISBN}."],
    "ar": ["مرحبا، كيف حالك؟", "ارسم قطة بيضاء", "السلام عليكم ورحمة الله", "رقم الطلب {ORD} بتاريخ {DATE}", "الدقة {RES} والبذرة {SEED}", "السعر {PRICE} درهم", "الإصدار {VER}"],
    "hi": ["नमस्ते, आप कैसे हैं?", "एक बिल्ली का चित्र बनाओ", "नाम बदलने का तरीका बताओ", "ऑर्डर नंबर {ORD}, कुल ₹{PRICE}।", "रिज़ॉल्यूशन {RES}, सीड {SEED}।", "संस्करण {VER} {DATE} को जारी हुआ।"],
    "de": ["Ich heiße Sie herzlich willkommen.", "Hallo Welt in Python", "Die Hauptstraße ist gesperrt.", "Liebe Grüße aus dem Urlaub!", "Bestellnummer {ORD} vom {DATE}, Summe {PRICE} €.", "Auflösung {RES}, Seed {SEED}.", "Version {VER} erscheint am {DATE}.",
           "ISBN {ISBN}, 2. Auflage."],
    "fr": ["Bonjour tout le monde", "Cher ami, merci.", "Rendez-vous place de la Concorde.", "Commande n° {ORD} du {DATE}, total {PRICE} €.", "Résolution {RES}, graine {SEED}.", "Version {VER} publiée le {DATE}.",
           "ISBN {ISBN}."],
    "es": ["Hola a todos", "Calle 13 en concierto", "Vía Láctea de noche", "Pedido {ORD} del {DATE}, total {PRICE} €.", "Resolución {RES}, semilla {SEED}.", "Versión {VER} publicada el {DATE}."],
    "it": ["Ciao a tutti", "Via email ti mando il file", "Piazza piena di gente", "Ordine n. {ORD} del {DATE}, totale {PRICE} €.", "Risoluzione {RES}, seed {SEED}.", "Versione {VER} del {DATE}."],
    "nl": ["Hallo allemaal", "De Keizersgracht is mooi", "Bestelling {ORD} van {DATE}, totaal € {PRICE}.", "Resolutie {RES}, seed {SEED}.", "Versie {VER} verschijnt op {DATE}."],
    "pt": ["Olá a todos", "Rua sem saída", "Bom dia, tudo bem?", "Pedido nº {ORD} de {DATE}, total R$ {PRICE}.", "Resolução {RES}, seed {SEED}.", "Versão {VER} lançada em {DATE}."],
}


def neg_value(k):
    if k == "ORD":
        return R.choice(["20%02d%02d%02d%04d" % (R.randint(20, 25), R.randint(1, 12), R.randint(1, 28), R.randint(0, 9999)),
                         str(R.randint(10000, 99999)), "A" + digits(9)])
    if k == "DATE":
        return "20%02d-%02d-%02d" % (R.randint(18, 26), R.randint(1, 12), R.randint(1, 28))
    if k == "TIME":
        return "%02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))
    if k == "PRICE":
        return R.choice(["%d.%02d" % (R.randint(1, 9999), R.randint(0, 99)), "1,299.00", "%d,%02d" % (R.randint(1, 999), R.randint(0, 99))])
    if k == "RES":
        return R.choice(["1920x1080", "3840×2160", "1024x1024", "2048 x 1152", "768×1344"])
    if k == "SEED":
        return str(R.randint(10**8, 4 * 10**9))
    if k == "ISBN":
        return R.choice(["978-3-16-148410-0", "978-0-306-40615-7", "978-7-111-12345-6", "9784101010014"])
    if k == "VER":
        return "%d.%d.%d" % (R.randint(0, 9), R.randint(0, 20), R.randint(0, 99))
    if k == "HASH":
        return "".join(R.choice("0123456789abcdef") for _ in range(12))
    if k == "BUILD":
        return str(R.randint(1000, 99999))
    if k == "TRACK":
        return "SF" + digits(12)
    raise KeyError(k)


def fill(lang, tpl, split="main"):
    text, ents = "", []
    i = 0
    while i < len(tpl):
        if tpl[i] == "{":
            j = tpl.index("}", i)
            key = tpl[i + 1:j]
            typ = None
            if key == "N":
                v, typ = name(lang), "PERSON"
            elif key == "n":
                v, typ = name(lang).lower(), "PERSON"
            elif key == "P":
                v, typ = phone(lang), "PHONE"
            elif key == "E":
                v, typ = mail(R.choice(ROMAN)), "EMAIL"
            elif key == "A":
                v, typ = address(lang), "LOCATION"
            elif key == "C":
                v, typ = card(), "CREDIT_CARD"
            elif key == "I":
                v, typ = iban(IBAN_CC[lang]), "IBAN"
            else:
                v = neg_value(key)
            if typ:
                ents.append({"type": typ, "start": len(text), "end": len(text) + len(v)})
            text += v
            i = j + 1
        else:
            text += tpl[i]
            i += 1
    return {"lang": lang, "split": split, "text": text, "entities": ents}


def main():
    out = sys.stdout
    for lang in sorted(T):
        for k in range(160):
            out.write(jsonl(fill(lang, T[lang][k % len(T[lang])])))
        for k in range(80):
            out.write(jsonl(fill(lang, NEG[lang][k % len(NEG[lang])])))
        for k in range(40):
            out.write(jsonl(fill(lang, HOLD[lang][k % len(HOLD[lang])], "holdout")))


if __name__ == "__main__":
    main()
