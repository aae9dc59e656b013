"""Shared parts of the labelled-corpus generators in tests/data/pii (gen_multilingual.py, gen_probe10.py ..
gen_probe14.py): the JSON-lines writer, the gold-span markup parser, the seeded value drawers, the check digits that more
than one generator computes and the command-line entry point of the blind probes. Factored out in sessions 12 and 14
without changing any generator's output (the regenerated .jsonl files are byte-identical).

Markup of the hand-written probes: ⟦TYPE|value⟧ marks a gold span (TYPE one of EMAIL, PHONE, CREDIT_CARD, IBAN, PERSON,
LOCATION, ID, DATE, IP); offsets are Unicode code points, as test_pii_probe10.c and test_pii_multilingual.c count them.
"""
import json
import re
import sys


def jsonl(obj):
    """One JSON line as every corpus in this directory is written: UTF-8 kept, keys in insertion order."""
    return json.dumps(obj, ensure_ascii=False) + "\n"


def parse(line, ids=None):
    """Parses one case line `lang<TAB>text` into {"lang", "text", "entities"}: `\\n` written as two characters is a line
    break, «key» is replaced by ids[key] before the markup is read, and each ⟦TYPE|value⟧ becomes the value in the text
    and an entity {"type", "start", "end"} over it."""
    lang, src = line.split("\t", 1)
    src = src.replace("\\n", "\n")
    if ids is not None:
        src = re.sub(r"«(\w+)»", lambda m: ids[m.group(1)], src)
    text, ents, pos = "", [], 0
    for m in re.finditer(r"⟦([A-Z_]+)\|(.*?)⟧", src):
        text += src[pos:m.start()]
        start = len(text)
        text += m.group(2)
        ents.append({"type": m.group(1), "start": start, "end": len(text)})
        pos = m.end()
    text += src[pos:]
    return {"lang": lang, "text": text, "entities": ents}


def write_cases(cases, ids=None, out=None):
    """Writes every non-empty line of `cases` that does not start with `#` as one parsed case."""
    out = out or sys.stdout
    for line in cases.split("\n"):
        if line.strip() and not line.startswith("#"):
            out.write(jsonl(parse(line, ids)))


def luhn_digit(body):
    """ISO/IEC 7812-1 Annex B: the digit that makes body+digit pass the Luhn test."""
    s = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return str((10 - s % 10) % 10)


def luhn(body):
    return body + luhn_digit(body)


_VD = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
       [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
       [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
       [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_VP = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]]
for _i in range(2, 8):
    _VP.append([_VP[_i - 1][_VP[1][j]] for j in range(10)])
_VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_digit(body):
    """Verhoeff's dihedral-group check digit (Aadhaar, UIDAI)."""
    c = 0
    for i, ch in enumerate(reversed(body)):
        c = _VD[c][_VP[(i + 1) % 8][int(ch)]]
    return str(_VINV[c])


def iban_compact(cc, bban):
    """ISO 13616: country code, check digits 98 - (BBAN + CC + 00, letters as 10..35) mod 97, BBAN."""
    num = "".join(str(int(ch, 36)) for ch in bban + cc + "00")
    return f"{cc}{98 - int(num) % 97:02d}{bban}"


def grp(s, n=4, sep=" "):
    """s in groups of n characters joined by sep (the last group may be shorter)."""
    return sep.join(s[i:i + n] for i in range(0, len(s), n))


def mod11_10(body):
    """ISO 7064 MOD 11,10 (HR OIB, DE Steuer-IdNr)."""
    p = 10
    for c in body:
        s = (int(c) + p) % 10
        s = 10 if s == 0 else s
        p = (2 * s) % 11
    return body + str((11 - p) % 10)


def ean13(body12):
    """GS1 EAN-13 check digit: weights 1,3,1,3,... from the left over 12 digits, (10 - s mod 10) mod 10."""
    s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body12))
    return body12 + str((10 - s % 10) % 10)


def ee_ik(body10):
    """Estonian isikukood (also LT asmens kodas): weights 1..9,1 then 3..9,1,2,3 mod 11."""
    d = [int(c) for c in body10]
    s = sum(x * w for x, w in zip(d, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1])) % 11
    if s == 10:
        s = sum(x * w for x, w in zip(d, [3, 4, 5, 6, 7, 8, 9, 1, 2, 3])) % 11
        s = 0 if s == 10 else s
    return body10 + str(s)


def bg_egn(body9):
    """Bulgarian EGN (ЕГН): weights 2,4,8,5,10,9,7,3,6 mod 11, 10 -> 0."""
    s = sum(int(c) * w for c, w in zip(body9, [2, 4, 8, 5, 10, 9, 7, 3, 6])) % 11
    return body9 + str(0 if s == 10 else s)


def mx_curp(body17):
    """Mexican CURP (RENAPO instructivo): the 18th character, (10 - sum(value * (18 - i)) mod 10) mod 10 over the
    alphabet 0-9 A-N & O-Z."""
    al = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"
    s = sum(al.index(c) * (18 - i) for i, c in enumerate(body17))
    return body17 + str((10 - s % 10) % 10)


def ar_cuit(body10):
    """Argentine CUIT/CUIL (AFIP RG 10/97): weights 5,4,3,2,7,6,5,4,3,2; check 11 - s mod 11, 11 -> 0, 10 not issued."""
    s = sum(int(c) * w for c, w in zip(body10, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]))
    k = 11 - s % 11
    if k == 10:
        raise ValueError(body10)
    t = body10 + str(0 if k == 11 else k)
    return f"{t[:2]}-{t[2:10]}-{t[10]}"


def br_cpf(body9):
    """Brazilian CPF (Receita Federal, IN RFB 1548/2015): two mod-11 digits, weights 10..2 then 11..2, r = s*10 mod 11,
    10 -> 0; printed ddd.ddd.ddd-dd."""
    d = [int(c) for c in body9]
    for n in (10, 11):
        r = sum(x * w for x, w in zip(d, range(n, 1, -1))) * 10 % 11
        d.append(0 if r == 10 else r)
    t = "".join(map(str, d))
    return f"{t[:3]}.{t[3:6]}.{t[6:9]}-{t[9:]}"


def hkid(letter, body6):
    """HKID (Registration of Persons Regulations, Cap. 177A): a leading space counts 36, letters A..Z 10..35; weights
    9..2 over [space] letter digits; check = 11 - s mod 11, 10 -> A, 11 -> 0."""
    vals = [36, ord(letter) - 55] + [int(c) for c in body6]
    s = sum(v * w for v, w in zip(vals, range(9, 1, -1))) % 11
    c = (11 - s) % 11
    return f"{letter}{body6}({'A' if c == 10 else c})"


# ---------------------------------------------------------------- seeded drawers (each generator passes its own Random)
def dig(rng, n):
    """n random decimal digits drawn from rng (one rng.choice per digit, so the draw order is part of the output)."""
    return "".join(rng.choice("0123456789") for _ in range(n))


def pat(rng, p):
    """p with every `#` replaced by a random digit drawn from rng."""
    return "".join(rng.choice("0123456789") if c == "#" else c for c in p)


def card(rng, prefix, length=16, sep=" "):
    """A Luhn-valid card number (ISO/IEC 7812-1): prefix, random digits from rng, check digit; grouped 4-4-4-4 (15
    digits: 4-6-5, as American Express prints them) with sep, or compact when sep is empty."""
    t = luhn(prefix + dig(rng, length - len(prefix) - 1))
    if length == 15:
        return f"{t[:4]}{sep}{t[4:10]}{sep}{t[10:]}" if sep else t
    return grp(t, 4, sep) if sep else t


def iban(cc, bban, group=True):
    """An ISO 13616 IBAN, in groups of four (the paper form) or compact (the electronic form)."""
    t = iban_compact(cc, bban)
    return grp(t) if group else t


def cz_rc(body9):
    """Czech/Slovak birth number since 1954: the 10-digit number is divisible by 11 (check 10 -> 0)."""
    k = int(body9) % 11
    return f"{body9[:6]}/{body9[6:]}{0 if k == 10 else k}"


def se_pnr(body9, sep="-"):
    """Swedish personnummer (Folkbokföringslagen; Skatteverket SKV 704): YYMMDD-NNN + a Luhn digit over the 9 digits."""
    t = luhn(body9)
    return f"{t[:6]}{sep}{t[6:]}"


def dk_cpr(body9):
    """Danish CPR (CPR-loven): DDMMYY-SSSS; numbers issued before 2007 satisfy weights 4,3,2,7,6,5,4,3,2,1 mod 11 == 0."""
    for d in range(10):
        t = body9 + str(d)
        if sum(int(c) * w for c, w in zip(t, [4, 3, 2, 7, 6, 5, 4, 3, 2, 1])) % 11 == 0:
            return f"{t[:6]}-{t[6:]}"
    raise ValueError(body9)


def fi_hetu(ddmmyy, sep, nnn):
    """Finnish henkilötunnus (Väestötietojärjestelmä): DDMMYY, century sign, NNN, then DDMMYYNNN mod 31 over
    0-9 A-Y without G I O Q Z."""
    return f"{ddmmyy}{sep}{nnn}" + "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(ddmmyy + nnn) % 31]


def drawers(rng):
    """dig, pat and card bound to rng, for a generator that draws every value from one seeded Random."""
    return (lambda n: dig(rng, n)), (lambda p: pat(rng, p)), (lambda *a, **k: card(rng, *a, **k))


# ---------------------------------------------------------------- the probes' command line
def check_ibans_cards(ids):
    """Validates with python-stdnum every ids value whose key starts with ib_ (IBAN) or c_ (Luhn card number)."""
    from stdnum import iban as s_iban, luhn as s_luhn
    for k, v in ids.items():
        if k.startswith("ib_"):
            s_iban.validate(v)
        elif k.startswith("c_"):
            s_luhn.validate(v.replace(" ", "").replace("-", ""))


def phone_lines(ph, extra=()):
    """`REGION<TAB>number` lines for check_phones.cc (libphonenumber's IsValidNumber): each ph entry's region is the
    first two letters of its key; extra lines are added as they are."""
    out = [k[:2].upper() + "\t" + v for k, v in ph.items()]
    out += list(extra)
    return "\n".join(out) + "\n"


def main(cases, ids, check, phones):
    """A probe generator's entry point: `--phones` prints phones() (a string), `--check` runs check(), otherwise the
    cases are written to standard output."""
    if "--phones" in sys.argv:
        sys.stdout.write(phones())
    elif "--check" in sys.argv:
        check()
    else:
        write_cases(cases, ids)
