#!/usr/bin/env python3
"""Lints docker/ against the repository (issue 14: no Docker engine on the team's machines, and
hadolint is not packaged). Run by `make test` (ctest lint/docker); by hand:

    python3 scripts/lint-docker.py --aigw build/aigw

Checks, each failure printed with the file and what was expected:
  - docker/compose.yml and docker/compose.lb.yml are valid YAML (Compose's `!reset` tag
    understood), every service they name exists, every bind-mounted file or directory exists,
    every named volume is declared, the build context and Dockerfile exist;
  - compose.yml publishes aigw on a fixed host port (what README's curl uses), compose.lb.yml
    takes that port for nginx and removes aigw's;
  - the Dockerfile's COPY sources exist in the repository (the build context is the root),
    COPY --from names a stage, ENTRYPOINT is the binary the build stage copies, EXPOSE matches
    the port docker/aigw.json listens on;
  - nginx.conf needs no file the repository does not have (certificates only in tls.d/);
  - docker/aigw.json passes `aigw check` (the same validation as `aigw serve`) with the
    variables of docker/env.example, and configures every provider with metering on;
  - every ${VAR} without a default in aigw.json is in env.example or the compose environment.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCKER = os.path.join(ROOT, "docker")
PROVIDERS = ["openai", "gemini", "anthropic", "replicate", "openrouter", "deepseek", "fireworks", "fal"]
errors = []


def fail(where, msg):
    errors.append(f"{os.path.relpath(where, ROOT)}: {msg}")


class Reset(list):
    """Compose's `!reset` tag: the value replaces (rather than merges into) the base file's."""


def _reset(loader, node):
    return Reset(loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [])


yaml.SafeLoader.add_constructor("!reset", _reset)


def load_yaml(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        fail(path, f"not valid YAML: {e}")
        return {}
    if not isinstance(doc, dict) or not isinstance(doc.get("services"), dict):
        fail(path, "expected a mapping with a `services` mapping")
        return {}
    return doc


def host_path(compose_file, p):
    return os.path.normpath(os.path.join(os.path.dirname(compose_file), p))


def check_compose(path, doc, all_services, declared_volumes):
    for name, svc in (doc.get("services") or {}).items():
        where = f"services.{name}"
        build = svc.get("build")
        if isinstance(build, dict):
            ctx = host_path(path, build.get("context", "."))
            if not os.path.isdir(ctx):
                fail(path, f"{where}.build.context {build.get('context')} is not a directory")
            df = os.path.join(ctx, build.get("dockerfile", "Dockerfile"))
            if not os.path.isfile(df):
                fail(path, f"{where}.build.dockerfile {build.get('dockerfile')} does not exist")
        for vol in svc.get("volumes") or []:
            src = vol.split(":")[0] if isinstance(vol, str) else vol.get("source", "")
            if src.startswith((".", "/")):
                if not os.path.exists(host_path(path, src)):
                    fail(path, f"{where}.volumes: {src} does not exist in the repository")
            elif src and src not in declared_volumes:
                fail(path, f"{where}.volumes: named volume {src} is not declared under `volumes:`")
        env_file = svc.get("env_file")
        for ef in [env_file] if isinstance(env_file, str) else env_file or []:
            if not os.path.exists(host_path(path, ef)) and not os.path.exists(host_path(path, "env.example")):
                fail(path, f"{where}.env_file {ef}: neither it nor a template env.example exists")
        deps = svc.get("depends_on") or {}
        for dep in deps if isinstance(deps, (list, dict)) else []:
            if dep not in all_services:
                fail(path, f"{where}.depends_on: no service {dep}")


def published_host_ports(svc):
    out = []
    for p in svc.get("ports") or []:
        parts = str(p).split(":")
        if len(parts) >= 2 and parts[-2] != "":
            out.append(parts[-2])
    return out


def check_dockerfile(path):
    stages, copies, entry, exposed = set(), [], None, []
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"\\\n", " ", f.read())
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "FROM":
            m = re.search(r"\bAS\s+(\S+)", rest, re.I)
            if m:
                stages.add(m.group(1))
        elif word == "COPY":
            args = rest.split()
            frm = next((a.split("=", 1)[1] for a in args if a.startswith("--from=")), None)
            paths = [a for a in args if not a.startswith("--")]
            copies.append((frm, paths[:-1], paths[-1] if paths else None))
        elif word == "ENTRYPOINT":
            entry = json.loads(rest)[0] if rest.startswith("[") else rest.split()[0]
        elif word == "EXPOSE":
            exposed += rest.split()
    for frm, srcs, dest in copies:
        if frm is not None:
            if frm not in stages:
                fail(path, f"COPY --from={frm}: no stage named {frm}")
            continue
        for s in srcs:
            if not glob.glob(os.path.join(ROOT, s)):
                fail(path, f"COPY {s}: not in the repository (the build context is the repository root)")
    if entry is None or not any(dest == entry for _, _, dest in copies):
        fail(path, f"ENTRYPOINT {entry}: no COPY puts the binary there")
    if not os.path.isfile(path + ".dockerignore"):
        fail(path, "Dockerfile.dockerignore is missing (the build context would include build/ and .git)")
    return exposed


def env_example():
    env = {}
    with open(os.path.join(DOCKER, "env.example"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                env[k] = v
    return env


def check_config(aigw, exposed, compose_env):
    path = os.path.join(DOCKER, "aigw.json")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        cfg = json.loads(text)
    except (OSError, ValueError) as e:
        fail(path, f"not valid JSON: {e}")
        return
    ports = [str(l.get("port")) for l in cfg.get("listen", [])]
    if any(l.get("host") != "0.0.0.0" for l in cfg.get("listen", [])):
        fail(path, "listen: a container must listen on 0.0.0.0")
    if not set(ports) & set(exposed):
        fail(path, f"listen port {ports} is not the Dockerfile's EXPOSE {exposed}")
    missing = [p for p in PROVIDERS if p not in cfg.get("providers", {})]
    if missing:
        fail(path, f"providers: not configured: {', '.join(missing)}")
    if "credits" not in cfg:
        fail(path, "credits: metering is off (issue 14 wants it on)")
    env = env_example()
    for var in sorted(set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", text))):
        if var not in env and var not in compose_env:
            fail(path, f"${{{var}}} has no default and is in neither env.example nor the compose environment")
    if aigw is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        key = os.path.join(tmp, "master.key")
        r = subprocess.run([aigw, "keygen", key], capture_output=True, text=True)
        if r.returncode != 0:
            fail(path, f"aigw keygen failed: {r.stderr.strip()}")
            return
        cfg["master_key_file"] = key  # the container's path does not exist here
        copy = os.path.join(tmp, "aigw.json")
        with open(copy, "w", encoding="utf-8") as f:
            json.dump(cfg, f)
        run_env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_API_TOKEN")) and k != "FAL_KEY"}
        run_env.update({k: (v if len(v) >= 16 else (v + "-lint-placeholder-value")) for k, v in env.items()})
        run_env.update(compose_env)
        r = subprocess.run([aigw, "check", "--config", copy], capture_output=True, text=True, env=run_env)
        if r.returncode != 0:
            fail(path, f"aigw check refuses it: {r.stderr.strip()}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aigw", help="the aigw binary, for `aigw check` of docker/aigw.json")
    args = ap.parse_args()
    base_path, lb_path = os.path.join(DOCKER, "compose.yml"), os.path.join(DOCKER, "compose.lb.yml")
    base, lb = load_yaml(base_path), load_yaml(lb_path)
    services = set(base.get("services", {})) | set(lb.get("services", {}))
    volumes = set((base.get("volumes") or {}).keys()) | set((lb.get("volumes") or {}).keys())
    check_compose(base_path, base, services, volumes)
    check_compose(lb_path, lb, services, volumes)
    aigw_svc = base.get("services", {}).get("aigw", {})
    if not published_host_ports(aigw_svc):
        fail(base_path, "services.aigw.ports: no fixed host port is published (README's `curl 127.0.0.1:8080` would fail)")
    lb_aigw = lb.get("services", {}).get("aigw", {})
    if published_host_ports(base.get("services", {}).get("aigw", {})) and not isinstance(lb_aigw.get("ports"), Reset):
        fail(lb_path, "services.aigw.ports: must be `!reset []` (nginx takes the host port; replicas publish none)")
    if not published_host_ports(lb.get("services", {}).get("lb", {})):
        fail(lb_path, "services.lb.ports: no host port published")
    exposed = check_dockerfile(os.path.join(DOCKER, "Dockerfile"))
    nginx = os.path.join(DOCKER, "nginx.conf")
    with open(nginx, encoding="utf-8") as f:
        ntext = f.read()
    for m in re.finditer(r"^\s*(ssl_certificate(?:_key)?|include)\s+(\S+);", ntext, re.M):
        target = m.group(2)
        if m.group(1).startswith("ssl_"):
            fail(nginx, f"{m.group(1)} {target}: certificates belong in docker/tls.d/ (optional), not in nginx.conf")
        elif target.startswith("/etc/nginx/tls.d/") and not os.path.isdir(os.path.join(DOCKER, "tls.d")):
            fail(nginx, f"include {target}: docker/tls.d/ is missing")
    compose_env = {k: str(v) for k, v in (aigw_svc.get("environment") or {}).items()}
    check_config(args.aigw, exposed, compose_env)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"lint-docker: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print("lint-docker: docker/ is consistent with the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
