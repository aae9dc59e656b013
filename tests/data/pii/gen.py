#!/usr/bin/env python3
"""Generates tests/data/pii/corpus.jsonl: a labelled PII corpus for aigw's unit test
(tests/unit/policy/test_pii_corpus.c) and for score.py. Deterministic (seed 1337): rerun to
regenerate, `python3 tests/data/pii/gen.py > tests/data/pii/corpus.jsonl`.

Each line: {"text", "entities": [{"type", "start", "end"}]} with score.py's canonical type names
(EMAIL, PHONE, IBAN, API_KEY, DATE, CRYPTO_WALLET, OTHER = US_PASSPORT/UK_NHS, ...) and offsets in
Unicode code points. Values are synthetic: card numbers get a valid Luhn digit, IBANs a
valid mod-97 check, SSNs follow the SSA rules; hard negatives (UUIDs, order numbers, versions,
log timestamps, hashes, prices, Luhn-failing 16-digit numbers, tracking numbers) carry no entity.
hand.jsonl (hand-written cases) is appended as is.
"""
import json
import os
import random
import string

R = random.Random(1337)

FIRST = ["James", "Maria", "Robert", "Linda", "Michael", "Sarah", "David", "Emma", "Thomas", "Anna", "Daniel", "Laura",
         "Lukas", "Sophie", "Pierre", "Camille", "Javier", "Lucia", "Giulia", "Marco", "Priya", "Rahul", "Jan", "Eva"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Moore", "Martin",
        "Schmidt", "Fischer", "Weber", "Dubois", "Lefebvre", "Garcia", "Fernandez", "Rossi", "Bianchi", "Sharma", "Patel"]
DOMAINS = ["example.com", "mail.example.org", "corp.example.net", "uni-example.edu", "example.co.uk", "beispiel.de"]


def luhn_complete(prefix, length):
    d = [int(c) for c in prefix]
    while len(d) < length - 1:
        d.append(R.randrange(10))
    s = 0
    for i, x in enumerate(reversed(d)):
        if i % 2 == 0:
            x *= 2
            if x > 9:
                x -= 9
        s += x
    d.append((10 - s % 10) % 10)
    return "".join(map(str, d))


def luhn_ok(num):
    s = 0
    for i, c in enumerate(reversed(num)):
        x = int(c)
        if i % 2:
            x *= 2
            if x > 9:
                x -= 9
        s += x
    return s % 10 == 0


def card():
    kind = R.choice(["visa", "mc", "amex", "disc"])
    if kind == "visa":
        n = luhn_complete("4" + str(R.randrange(10)), 16)
    elif kind == "mc":
        n = luhn_complete(str(R.randrange(51, 56)), 16)
    elif kind == "amex":
        n = luhn_complete(R.choice(["34", "37"]), 15)
        return R.choice([n, f"{n[:4]} {n[4:10]} {n[10:]}", f"{n[:4]}-{n[4:10]}-{n[10:]}"])
    else:
        n = luhn_complete("6011", 16)
    sep = R.choice(["", " ", "-"])
    return sep.join(n[i:i + 4] for i in range(0, 16, 4)) if sep else n


IBAN_SPECS = {"DE": 18, "GB": 18, "FR": 23, "ES": 20, "IT": 23, "NL": 14, "BE": 12, "CH": 17, "AT": 16, "PL": 24}


def iban():
    cc = R.choice(list(IBAN_SPECS))
    if cc == "GB":
        bban = "".join(R.choice(string.ascii_uppercase) for _ in range(4)) + "".join(R.choice(string.digits) for _ in range(14))
    elif cc == "NL":
        bban = "".join(R.choice(string.ascii_uppercase) for _ in range(4)) + "".join(R.choice(string.digits) for _ in range(10))
    else:
        bban = "".join(R.choice(string.digits) for _ in range(IBAN_SPECS[cc]))
    num = int("".join(str(int(c, 36)) for c in bban + cc + "00"))
    full = f"{cc}{98 - num % 97:02d}{bban}"
    return R.choice([full, " ".join(full[i:i + 4] for i in range(0, len(full), 4))])


def ssn():
    while True:
        a = R.randrange(1, 900)
        if a != 666:
            break
    g, s = R.randrange(1, 100), R.randrange(1, 10000)
    return R.choice([f"{a:03d}-{g:02d}-{s:04d}", f"{a:03d} {g:02d} {s:04d}"])


def phone():
    f = R.choice(["us1", "us2", "us3", "e164us", "uk", "ukmob", "de", "fr", "es", "it", "nl", "in", "cn", "jp", "br",
                  "e164de", "e164fr"])
    a, b, c = R.randrange(201, 990), R.randrange(200, 999), R.randrange(0, 10000)
    return {
        "us1": f"({a}) {b}-{c:04d}", "us2": f"{a}-{b}-{c:04d}", "us3": f"{a}.{b}.{c:04d}",
        "e164us": f"+1 {a} {b} {c:04d}", "uk": f"020 7946 {R.randrange(1000):04d}",
        "ukmob": f"07700 900{R.randrange(1000):03d}", "de": f"030 {R.randrange(1000000, 99999999)}",
        "fr": "0" + str(R.randrange(1, 8)) + " " + " ".join(f"{R.randrange(100):02d}" for _ in range(4)),
        "es": f"6{R.randrange(10, 99)} {R.randrange(100, 999)} {R.randrange(100, 999)}",
        "it": f"3{R.randrange(10, 99)} {R.randrange(100, 999)} {R.randrange(1000, 9999)}",
        "nl": f"06-{R.randrange(10000000, 99999999)}", "in": f"+91 {R.randrange(70000, 99999)} {R.randrange(10000, 99999)}",
        "cn": f"+86 138 {R.randrange(1000, 9999)} {R.randrange(1000, 9999)}",
        "jp": f"03-{R.randrange(1000, 9999)}-{R.randrange(1000, 9999)}", "br": f"(11) 9{R.randrange(1000, 9999)}-{R.randrange(1000, 9999)}",
        "e164de": f"+49 30 {R.randrange(1000000, 9999999)}", "e164fr": f"+33 6 {R.randrange(10, 99)} {R.randrange(10, 99)} {R.randrange(10, 99)} {R.randrange(10, 99)}",
    }[f]


def email():
    fn, ln = R.choice(FIRST).lower(), R.choice(LAST).lower()
    return R.choice([f"{fn}.{ln}", f"{fn[0]}{ln}", f"{fn}_{ln}{R.randrange(99)}", f"{fn}+news"]) + "@" + R.choice(DOMAINS)


def ipv4():
    return ".".join(str(R.randrange(1, 255)) for _ in range(4))


def ipv6():
    return R.choice(["2001:db8::", "fe80::", "2a02:1810::"]) + ":".join(f"{R.randrange(65536):x}" for _ in range(R.randrange(1, 4)))


def secret():
    alnum = string.ascii_letters + string.digits
    rnd = lambda n, a=alnum: "".join(R.choice(a) for _ in range(n))
    return R.choice([
        "sk-proj-" + rnd(40), "sk-ant-api03-" + rnd(60), "AKIA" + rnd(16, string.ascii_uppercase + string.digits),
        "ghp_" + rnd(36), "xoxb-" + rnd(11, string.digits) + "-" + rnd(24), "AIza" + rnd(35),
        "sk_live_" + rnd(24), "github_pat_" + rnd(60),
    ])


def person():
    return R.choice(FIRST) + " " + R.choice(LAST)


class Case:
    def __init__(self):
        self.parts = []
        self.ents = []

    def t(self, s):
        self.parts.append(s)
        return self

    def e(self, typ, s):
        start = sum(len(p) for p in self.parts)
        self.parts.append(s)
        self.ents.append({"type": typ, "start": start, "end": start + len(s)})
        return self

    def done(self):
        return {"text": "".join(self.parts), "entities": self.ents}


POS = [
    lambda: Case().t("Please email ").e("EMAIL_ADDRESS", email()).t(" about the refund."),
    lambda: Case().t("Kontakt: ").e("EMAIL_ADDRESS", email()).t(", Tel. ").e("PHONE_NUMBER", phone()),
    lambda: Case().t("You can reach me at ").e("PHONE_NUMBER", phone()).t(" after 5pm."),
    lambda: Case().t("Mon numéro est le ").e("PHONE_NUMBER", phone()).t(", merci."),
    lambda: Case().t("Llámame al ").e("PHONE_NUMBER", phone()),
    lambda: Case().t("My card number is ").e("CREDIT_CARD", card()).t(" exp 04/27"),
    lambda: Case().t("Charge it to ").e("CREDIT_CARD", card()).t(" please"),
    lambda: Case().t("Überweisung an IBAN ").e("IBAN_CODE", iban()).t(" bis Freitag."),
    lambda: Case().t("Bank details: ").e("IBAN_CODE", iban()),
    lambda: Case().t("SSN: ").e("US_SSN", ssn()),
    lambda: Case().t("my social security number is ").e("US_SSN", ssn()).t(" and I need help"),
    lambda: Case().t("The server at ").e("IP_ADDRESS", ipv4()).t(" keeps timing out"),
    lambda: Case().t("ssh admin@").e("IP_ADDRESS", ipv4()).t(" -p 2222"),
    lambda: Case().t("client connected from ").e("IP_ADDRESS", ipv6()),
    lambda: Case().t("OPENAI_API_KEY=").e("SECRET", secret()).t("\nDEBUG=1"),
    lambda: Case().t('client = OpenAI(api_key="').e("SECRET", secret()).t('")'),
    lambda: Case().t("export GITHUB_TOKEN=").e("SECRET", secret()),
    lambda: Case().t("db:\n  host: db.internal\n  password: ").e("SECRET", "Tr0ub4dor&" + str(R.randrange(1000))).t("\n"),
    lambda: Case().t("Dear ").e("PERSON", R.choice(FIRST)).t(",\nthank you for your letter."),
    lambda: Case().t("My name is ").e("PERSON", person()).t(" and I live in Berlin."),
    lambda: Case().t("Please forward this to ").e("PERSON", person()).t(" in accounting."),
    lambda: Case().t("Best regards,\n").e("PERSON", person()),
    lambda: Case().t("Patient: ").e("PERSON", person()).t(", DOB: ").e("DATE_TIME", f"{R.randrange(1, 28):02d}/{R.randrange(1, 13):02d}/19{R.randrange(40, 99)}"),
    lambda: Case().t("I was born on ").e("DATE_TIME", R.choice(["March", "July", "October"]) + f" {R.randrange(1, 28)}, 19{R.randrange(50, 99)}").t("."),
    lambda: Case().t("Ship to ").e("LOCATION", f"{R.randrange(1, 999)} {R.choice(['Maple', 'Oak', 'Cedar'])} Street").t(", apt 4"),
    lambda: Case().t("Our office moved to ").e("LOCATION", R.choice(["SW1A 1AA", "EC1A 1BB", "M1 1AE", "B33 8TH"])).t("."),
    lambda: Case().t("Send BTC to ").e("CRYPTO", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT").t(" today"),
    lambda: Case().t("passport no. ").e("US_PASSPORT", f"{R.randrange(100000000, 999999999)}"),
    lambda: Case().t("NHS number ").e("UK_NHS", "943 476 5919"),
    lambda: Case().t("Callback URL: https://api.example.com/cb?token=").e("SECRET", "".join(R.choice(string.hexdigits) for _ in range(24))),
    lambda: Case().t("curl https://").e("URL", "").t(""),  # placeholder replaced below
]
POS = POS[:-1]
POS.append(lambda: Case().t("Connect with ").e("URL", f"postgres://app:{R.randrange(10**6, 10**7)}pw@db.example.com:5432/app").t(" now"))


def neg():
    h = lambda n: "".join(R.choice("0123456789abcdef") for _ in range(n))
    bad16 = luhn_complete("4" + str(R.randrange(10)), 16)
    bad16 = bad16[:-1] + str((int(bad16[-1]) + 1) % 10)
    return R.choice([
        f"request id {h(8)}-{h(4)}-{h(4)}-{h(4)}-{h(12)} failed",
        f"Order #{R.randrange(10**7, 10**9)} has shipped",
        f"Invoice INV-{R.randrange(10**5, 10**7)} is due",
        f"upgrade to version {R.randrange(1, 20)}.{R.randrange(30)}.{R.randrange(50)}",
        f"2024-0{R.randrange(1, 9)}-1{R.randrange(9)}T12:{R.randrange(10, 59)}:07.123Z INFO worker started pid={R.randrange(100, 99999)}",
        f"commit {h(40)}",
        f"sha256: {h(64)}",
        f"The total is ${R.randrange(10, 9999)}.{R.randrange(100):02d} incl. VAT",
        f"reference number {bad16}",
        f"Tracking: 1Z{''.join(R.choice(string.ascii_uppercase + string.digits) for _ in range(16))}",
        f"tracking number {R.randrange(10**11, 10**12)}",
        "Summarize the attached meeting notes in three bullet points.",
        "Write a Python function that parses ISO 8601 timestamps.",
        "std::vector<int> v; v.push_back(1); std::cout << v[0];",
        f"The population grew by {R.randrange(1, 99)}.{R.randrange(9)}% in 2023.",
        f"Use temperature {R.random():.2f} and max_tokens {R.randrange(100, 4000)}",
        "Compare May and June sales for the Paris and London stores.",
        "Will Python 3.12 support this? Grace periods apply.",
        f"Room {R.randrange(100, 999)}, floor {R.randrange(1, 30)}",
        f"ISBN 978-{R.randrange(10)}-{R.randrange(1000, 9999)}-{R.randrange(1000, 9999)}-{R.randrange(10)}",
        f"password = os.environ['DB_PASSWORD']",
        "Set the api_key to <YOUR_API_KEY> before running.",
        f"Model gpt-4o-2024-08-06 returned {R.randrange(100, 9999)} tokens",
        "Jordan and Victoria are countries? No: Jordan is, Victoria is a state.",
        f"Build {R.randrange(1000, 9999)} passed on node 20.{R.randrange(10)}.{R.randrange(10)}",
    ])


def main():
    out = []
    for i in range(3000):
        if i % 3 == 0:
            out.append({"text": neg(), "entities": []})
        else:
            out.append(R.choice(POS)().done())
    hand = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hand.jsonl")
    if os.path.exists(hand):
        with open(hand, encoding="utf-8") as f:
            out.extend(json.loads(l) for l in f if l.strip())
    canon = {"EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE", "IBAN_CODE": "IBAN", "CRYPTO": "CRYPTO_WALLET",
             "DATE_TIME": "DATE", "SECRET": "API_KEY", "US_PASSPORT": "OTHER", "UK_NHS": "OTHER", "US_DRIVER_LICENSE": "OTHER"}
    for o in out:
        for e in o["entities"]:
            e["type"] = canon.get(e["type"], e["type"])
        print(json.dumps(o, ensure_ascii=False))


if __name__ == "__main__":
    main()
