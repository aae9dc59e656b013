#!/usr/bin/env python3
"""Proves that the build enforces the layers (house rule 31; CMakeLists.txt "Layers").

  check_layers.py probe SRC BUILD TARGET HEADER ok|forbidden
      builds the probe object library TARGET (tests/layers/probe.c including HEADER with one
      layer's include directories): `ok` must compile, `forbidden` must fail *because HEADER is
      not found* (any other failure, or success, fails the test).
  check_layers.py static SRC
      every project include in common/, policy/, providers/, gateway/ (and its store/) names a
      header of its own layer or of a layer below, with a layer-rooted path ("policy/json.h",
      never "../" or a bare "json.h"), so nothing reaches around the include directories.
  check_layers.py atomics SRC
      threads share data through C11 <stdatomic.h> only: no `volatile` and no GCC __sync_* /
      __atomic_* builtins in the sources (house rule: one way to share data across threads).
  check_layers.py link BUILD NM
      every symbol a layer library (build/libaigw_<layer>.a) takes from another layer library is
      defined in a layer below it.
  check_layers.py diagnostics SRC
      diagnostics go through gw_log (common/log.h): no printf / fprintf(stderr|stdout) / fputs /
      puts / perror in the sources outside the CLI's user-facing output (gateway/main.c,
      gateway/cli.c, gateway/cmd_*.c) and the lines listed in DIAG_ALLOWED.
  check_layers.py provider-names SRC
      nothing in gateway/ (its store/ included) names a provider in code (issue 15: provider knowledge lives in
      providers/): no identifier has an adapter's name (the `.name = "..."` of providers/*.c) as one of its words
      (snake_case or camelCase), e.g. `fal_target`, `gw_async_rewrite_replicate`. Comments and string literals may
      name providers (config defaults, messages); "OpenAI compatible" is the unified API's wire format, not a provider.
  check_layers.py cycles BUILD NM
      the files of the store (build/libaigw_store.a, one object per gateway/store/*.c) call each other
      one way: no file calls, through its global symbols, a file that calls it back, directly or
      around a longer loop (issue 15: store.c <-> store_ledger.c, the journal <-> the ledger).
  check_layers.py selftest
      the atomics, diagnostics and provider-names lints fail on a tree that breaks them, and the cycles
      check on an archive whose files call each other in a loop (so they can fail).
"""
import os
import re
import subprocess
import sys

# layer -> (source directory prefix, layers it may use besides itself), lowest first
LAYERS = [
    ("common", "common/", []),
    ("policy", "policy/", ["common"]),
    ("providers", "providers/", ["policy", "common"]),
    ("store", "gateway/store/", ["policy", "common"]),
    ("gateway", "gateway/", ["store", "providers", "policy", "common"]),
]


def layer_of(path):
    """Layer of a repository-relative path (gateway/store/ before gateway/), or None."""
    for name, prefix, _ in sorted(LAYERS, key=lambda l: -len(l[1])):
        if path.startswith(prefix):
            return name
    return None


def probe(src, build, target, header, expect):
    r = subprocess.run(["cmake", "--build", build, "--target", target], cwd=build,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = r.stdout
    if expect == "ok":
        if r.returncode != 0:
            print(out)
            print(f"FAIL: {target}: including {header} should compile")
            return 1
        print(f"ok: {target}: {header} compiles")
        return 0
    missing = (f"{header}: No such file or directory" in out) or (f"'{header}' file not found" in out)
    if r.returncode == 0 or not missing:
        print(out)
        print(f"FAIL: {target}: including {header} must fail with 'not found' (exit {r.returncode})")
        return 1
    print(f"ok: {target}: {header} is not reachable")
    return 0


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def static(src):
    bad = 0
    for name, prefix, below in LAYERS:
        allowed = {name, *below}
        for root, _, files in os.walk(os.path.join(src, prefix)):
            for f in files:
                if not f.endswith((".c", ".h", ".cc")):
                    continue
                path = os.path.relpath(os.path.join(root, f), src)
                if layer_of(path) != name:
                    continue  # gateway/store/ files are checked as the store layer
                text = open(os.path.join(src, path), encoding="utf-8", errors="replace").read()
                for inc in INCLUDE.findall(text):
                    target = layer_of(inc)
                    if ".." in inc.split("/") or target is None:
                        print(f"{path}: #include \"{inc}\": use a layer-rooted path (common/, policy/, ...)")
                        bad += 1
                    elif target not in allowed:
                        print(f"{path}: #include \"{inc}\": layer {name} may not use {target}")
                        bad += 1
    if bad:
        print(f"FAIL: {bad} include(s) break the layer rules")
        return 1
    print("ok: every include follows the layer rules")
    return 0


def layer_sources(src):
    """Every C/C++ source of a layer, once each (relative to src), for the line lints below."""
    for name, prefix, _ in LAYERS:
        for root, _, files in os.walk(os.path.join(src, prefix)):
            for f in files:
                path = os.path.relpath(os.path.join(root, f), src)
                if f.endswith((".c", ".h", ".cc")) and layer_of(path) == name:
                    yield path


BANNED_SYNC = re.compile(r'\bvolatile\b|\b__sync_[a-z_]+\s*\(|\b__atomic_[a-z_]+\s*\(')


def atomics(src):
    bad = 0
    for path in layer_sources(src):
        for n, line in enumerate(open(os.path.join(src, path), encoding="utf-8", errors="replace"), 1):
            code = line.split("//")[0]
            if BANNED_SYNC.search(code) and not code.lstrip().startswith(("*", "/*")):
                print(f"{path}:{n}: use C11 atomics (<stdatomic.h>): {line.strip()}")
                bad += 1
    if bad:
        print(f"FAIL: {bad} line(s) share data without C11 atomics")
        return 1
    print("ok: C11 atomics only")
    return 0


# A diagnostic printed by hand instead of gw_log (house rule 28): printf-family calls on stdout or
# stderr, puts, perror.
BARE_PRINT = re.compile(r'\b(?:v?printf|puts|perror|putchar)\s*\(|'
                        r'\b(?:v?fprintf|fputs|fputc|fwrite)\s*\((?:[^;]*,)?\s*std(?:err|out)\b')
# The CLI's user-facing output: usage, results and errors of a command the user ran.
DIAG_CLI = re.compile(r'^gateway/(main|cli|cmd_[a-z_]+)\.c$')
# Other lines that are a command's answer, not a diagnostic (path, text the line contains).
DIAG_ALLOWED = [
    # `aigw serve`'s error answer to whoever ran it, in the words of `aigw check` (server.c says why)
    ("gateway/server.c", 'fprintf(stderr, "aigw: %s\\n", err);'),
]


def diagnostics(src):
    bad = 0
    for path in layer_sources(src):
        if DIAG_CLI.match(path):
            continue
        for n, line in enumerate(open(os.path.join(src, path), encoding="utf-8", errors="replace"), 1):
            code = line.split("//")[0]
            if code.lstrip().startswith(("*", "/*")) or not BARE_PRINT.search(code):
                continue
            if any(path == p and text in line for p, text in DIAG_ALLOWED):
                continue
            print(f"{path}:{n}: log with gw_log (common/log.h), not a bare print: {line.strip()}")
            bad += 1
    if bad:
        print(f"FAIL: {bad} bare print(s) outside the CLI's user-facing output")
        return 1
    print("ok: diagnostics go through gw_log")
    return 0


# An adapter's name as declared in its file (providers/<name>.c: `.name = "openai",`).
ADAPTER_NAME = re.compile(r'^\s*\.name\s*=\s*"([A-Za-z0-9_]+)"', re.M)
IDENT = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')
IDENT_WORD = re.compile(r'[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+')
# Word pairs that name a wire format, not a provider: the unified /v1/ API speaks "OpenAI compatible".
NAME_PHRASES = {("openai", "compatible")}


def code_only(text):
    """`text` with comments, string and character literals blanked (newlines kept, so line numbers hold)."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif text[i] in "\"'":
            j = i + 1
            while j < n and text[j] not in (text[i], "\n"):
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
        else:
            out.append(text[i])
            i += 1
            continue
        out.append(re.sub(r"[^\n]", " ", text[i:j]))
        i = j
    return "".join(out)


def adapter_names(src):
    names = set()
    for f in sorted(os.listdir(os.path.join(src, "providers"))) if os.path.isdir(os.path.join(src, "providers")) else []:
        if f.endswith(".c"):
            names.update(n.lower() for n in ADAPTER_NAME.findall(open(os.path.join(src, "providers", f), encoding="utf-8",
                                                                        errors="replace").read()))
    return names


def named_provider(ident, names):
    """The provider an identifier names as one of its words, or None."""
    words = [w.lower() for w in IDENT_WORD.findall(ident)]
    for k, w in enumerate(words):
        if w in names and not (k + 1 < len(words) and (w, words[k + 1]) in NAME_PHRASES):
            return w
    return None


def provider_names(src):
    names = adapter_names(src)
    if not names:
        print("FAIL: no adapter names found in providers/*.c (.name = \"...\"): nothing to check against")
        return 1
    bad = 0
    for path in layer_sources(src):
        if not path.startswith("gateway/"):
            continue
        text = code_only(open(os.path.join(src, path), encoding="utf-8", errors="replace").read())
        for n, line in enumerate(text.split("\n"), 1):
            for ident in IDENT.findall(line):
                p = named_provider(ident, names)
                if p is not None:
                    print(f"{path}:{n}: `{ident}` names provider {p}: declare it in providers/ (provider.h) and keep "
                          f"gateway/ generic")
                    bad += 1
    if bad:
        print(f"FAIL: {bad} identifier(s) in gateway/ name a provider")
        return 1
    print(f"ok: no identifier in gateway/ names a provider ({', '.join(sorted(names))})")
    return 0


def selftest_provider_names():
    """provider-names: passes names in comments, strings and the wire format's name; fails on identifiers."""
    import tempfile
    good = ('/* acme\'s queue, "acme_x" */\n// acme_path\nstatic const char *h = "x-acme-target", q = \'"\';\n'
            'int GW_ERR_NOT_OPENAI_COMPATIBLE, facme, acmes, named_target;\n')
    bad = ["int acme_path;\n", "void gw_async_rewrite_acme(void);\n", "int acmeTarget;\n", "int OPENAI_X;\n",
           'const char *s = "a\\"b /*"; int acme;\n', "char c = '\\''; int call_acme_x;\n"]
    failed = 0
    for text, want, adapters in [(good, 0, True)] + [(b, 1, True) for b in bad] + [(good, 1, False)]:
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "gateway", "pipeline"))
            os.makedirs(os.path.join(d, "providers"))
            if adapters:
                for name in ("acme", "openai"):
                    with open(os.path.join(d, "providers", f"{name}.c"), "w") as fp:
                        fp.write(f'const prov_adapter_t prov_{name} = {{\n    .name = "{name}",\n}};\n')
            with open(os.path.join(d, "gateway", "pipeline", "probe.c"), "w") as fp:
                fp.write(text)
            got = provider_names(d)
        if got != want:
            print(f"FAIL: provider_names returned {got}, expected {want}, on: {text.strip()}"
                  f"{'' if adapters else ' (no adapters declared)'}")
            failed += 1
    return failed


def selftest():
    """Each lint passes a clean tree and fails one that breaks it."""
    import tempfile
    cases = [
        (atomics, "int f(void) { return 0; }\n", "static volatile int stop;\n"),
        (atomics, "#include <stdatomic.h>\n", "void f(int *p) { __atomic_store_n(p, 1, 0); }\n"),
        (diagnostics, 'void f(void) { gw_log(GW_LOG_WARN, "x"); }\n', 'void f(void) { fprintf(stderr, "x\\n"); }\n'),
        (diagnostics, "int f(char *b) { return snprintf(b, 4, \"%d\", 1); }\n", 'void f(void) { perror("open"); }\n'),
        (diagnostics, "void f(void) {}\n", 'void f(void) { printf("%d\\n", 1); }\n'),
    ]
    failed = 0
    for lint, good, bad in cases:
        for text, want in ((good, 0), (bad, 1)):
            with tempfile.TemporaryDirectory() as d:
                os.makedirs(os.path.join(d, "policy"))
                with open(os.path.join(d, "policy", "probe.c"), "w") as fp:
                    fp.write(text)
                got = lint(d)
            if got != want:
                print(f"FAIL: {lint.__name__} returned {got}, expected {want}, on: {text.strip()}")
                failed += 1
    with tempfile.TemporaryDirectory() as d:  # the CLI may print
        os.makedirs(os.path.join(d, "gateway"))
        with open(os.path.join(d, "gateway", "cmd_probe.c"), "w") as fp:
            fp.write('void f(void) { fprintf(stderr, "usage\\n"); }\n')
        if diagnostics(d) != 0:
            print("FAIL: diagnostics refused the CLI's output")
            failed += 1
    failed += selftest_provider_names()
    failed += selftest_cycles()
    if failed:
        return 1
    print("ok: the lints fail on broken trees")
    return 0


def symbols(nm, lib, flag):
    out = subprocess.run([nm, flag, lib], stdout=subprocess.PIPE, text=True, check=True).stdout
    return {l.split()[-1] for l in out.splitlines() if l.strip() and not l.endswith(":")}


def link(build, nm):
    defined = {}
    for name, _, _ in LAYERS:
        lib = os.path.join(build, f"libaigw_{name}.a")
        for s in symbols(nm, lib, "--defined-only"):
            defined.setdefault(s, name)
    bad = 0
    for name, _, below in LAYERS:
        lib = os.path.join(build, f"libaigw_{name}.a")
        for s in sorted(symbols(nm, lib, "--undefined-only")):
            owner = defined.get(s)
            if owner is not None and owner != name and owner not in below:
                print(f"libaigw_{name}.a uses {s} from layer {owner}")
                bad += 1
    if bad:
        print(f"FAIL: {bad} symbol(s) taken from a layer above")
        return 1
    print("ok: every layer library links only downwards")
    return 0


# One line of `nm -A ARCHIVE`: "ARCHIVE:member.o:<address> T symbol" or "ARCHIVE:member.o:  U symbol".
NM_LINE = re.compile(r'^.*:([^:/]+\.o):\s*(?:[0-9a-fA-F]+\s+)?([A-Za-z])\s+(\S+)$')


def file_graph(nm_text):
    """{object: {object it calls: [symbols]}} from `nm -A` of an archive (global symbols only)."""
    defined, used = {}, {}
    for line in nm_text.splitlines():
        m = NM_LINE.match(line)
        if not m:
            continue
        obj, kind, sym = m.groups()
        used.setdefault(obj, set())
        if kind == "U":
            used[obj].add(sym)
        elif kind.isupper():
            defined[sym] = obj
    graph = {obj: {} for obj in used}
    for obj, syms in used.items():
        for sym in sorted(syms):
            owner = defined.get(sym)
            if owner is not None and owner != obj:
                graph[obj].setdefault(owner, []).append(sym)
    return graph


def find_cycles(graph):
    """The strongly connected components of more than one file (Tarjan), each as a sorted list."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def cycle_path(graph, comp):
    """One loop inside a component: [a, b, ..., a] (breadth-first from its first file back to it)."""
    start, members = comp[0], set(comp)
    prev, todo = {start: None}, [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(graph.get(v, {})):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return [start] + path[::-1][1:] + [start] if len(path) > 1 else [start, v, start]
            if w in members and w not in prev:
                prev[w] = v
                todo.append(w)
    return comp + [start]


def check_cycles(nm_text, what):
    graph = file_graph(nm_text)
    nedges = sum(len(v) for v in graph.values())
    if len(graph) < 2 or nedges == 0:
        print(f"FAIL: {what}: {len(graph)} object(s), {nedges} call(s) between them: nothing to check (nm output not understood?)")
        return 1
    comps = find_cycles(graph)
    for comp in comps:
        path = cycle_path(graph, comp)
        print(f"{what}: files that call each other in a loop: {', '.join(c.replace('.c.o', '.c') for c in comp)}")
        for a, b in zip(path, path[1:]):
            print(f"  {a.replace('.c.o', '.c')} -> {b.replace('.c.o', '.c')}: {', '.join(graph[a][b][:4])}")
    if comps:
        print(f"FAIL: {len(comps)} call cycle(s) between files (make the dependency one-way: docs/internals/store.md \"Files\")")
        return 1
    print(f"ok: {what}: {len(graph)} files, {nedges} file-to-file call edges, no cycle")
    return 0


def cycles(build, nm):
    lib = os.path.join(build, "libaigw_store.a")
    out = subprocess.run([nm, "-A", lib], stdout=subprocess.PIPE, text=True, check=True).stdout
    return check_cycles(out, "libaigw_store.a")


def selftest_cycles():
    """cycles: an archive's nm listing with a loop of two or three files fails, a one-way one passes."""
    def listing(calls):
        lines = []
        for obj, (defs, uses) in calls.items():
            lines += [f"x.a:{obj}:0000000000000000 T {d}" for d in defs]
            lines += [f"x.a:{obj}:0000000000000010 t local_{obj[0]}"]
            lines += [f"x.a:{obj}:                 U {u}" for u in uses]
        return "\n".join(lines) + "\n"
    one_way = {"a.c.o": (["a1"], ["b1", "malloc"]), "b.c.o": (["b1"], ["c1"]), "c.c.o": (["c1"], [])}
    two = {"a.c.o": (["a1"], ["b1"]), "b.c.o": (["b1"], ["a1"])}
    three = {"a.c.o": (["a1"], ["b1"]), "b.c.o": (["b1"], ["c1"]), "c.c.o": (["c1"], ["a1"]), "d.c.o": (["d1"], ["a1"])}
    failed = 0
    for calls, want in ((one_way, 0), (two, 1), (three, 1), ({}, 1)):
        got = check_cycles(listing(calls), "selftest")
        if got != want:
            print(f"FAIL: cycles returned {got}, expected {want}, on {sorted(calls)}")
            failed += 1
    return failed


def main(argv):
    if len(argv) == 7 and argv[1] == "probe":
        return probe(*argv[2:])
    if len(argv) == 3 and argv[1] == "static":
        return static(argv[2])
    if len(argv) == 3 and argv[1] == "atomics":
        return atomics(argv[2])
    if len(argv) == 3 and argv[1] == "diagnostics":
        return diagnostics(argv[2])
    if len(argv) == 3 and argv[1] == "provider-names":
        return provider_names(argv[2])
    if len(argv) == 2 and argv[1] == "selftest":
        return selftest()
    if len(argv) == 4 and argv[1] == "cycles":
        return cycles(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "link":
        return link(argv[2], argv[3])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
