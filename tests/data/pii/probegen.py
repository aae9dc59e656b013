"""Shared parts of the labelled-corpus generators in tests/data/pii (gen_multilingual.py, gen_probe10.py,
gen_probe11.py, gen_probe12.py): the JSON-lines writer, the gold-span markup parser and the check digits that more than
one generator computes. Factored out in session 12 without changing any generator's output (the regenerated .jsonl
files are byte-identical).

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
