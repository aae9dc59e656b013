#!/usr/bin/env python3
"""Writes MB megabytes of ~2 KB `{"text": ...}` JSON lines for the `aigw scrub` benchmark
(docs/BENCHMARKS.md "aigw scrub"), built from the texts of tests/data/pii/corpus.jsonl in a fixed
pseudo-random order (seed 7):
  mixed (default): PII-free texts (prose, code, logs in several languages) with one PII text per
                   line, about the density of bench_pii's mixed prompt text;
  --dense:         any corpus texts (about 30 findings per line).
Usage: scrub_lines.py [--dense] [MB] > lines.jsonl
"""
import json
import os
import random
import sys

args = [a for a in sys.argv[1:] if a != "--dense"]
dense = "--dense" in sys.argv[1:]
mb = int(args[0]) if args else 32
here = os.path.dirname(os.path.abspath(__file__))
rows = [json.loads(l) for l in open(os.path.join(here, "..", "tests", "data", "pii", "corpus.jsonl"), encoding="utf-8")]
clean = [r["text"] for r in rows if not r.get("entities")]
pii = [r["text"] for r in rows if r.get("entities")]
rng = random.Random(7)
out = sys.stdout
total = 0
while total < mb << 20:
    parts, n = [], 0
    if not dense:
        parts.append(rng.choice(pii))
        n = len(parts[0].encode("utf-8")) + 1
    while n < 2048:
        t = rng.choice(clean + pii if dense else clean)
        parts.append(t)
        n += len(t.encode("utf-8")) + 1
    rng.shuffle(parts)
    line = json.dumps({"text": " ".join(parts)}, ensure_ascii=False) + "\n"
    out.write(line)
    total += len(line.encode("utf-8"))
