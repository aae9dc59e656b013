#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of aigw from Debian packages.
# Idempotent: re-running only installs what is missing. Needs root (or sudo).
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config clang clang-format llvm lld libclang-rt-14-dev
  libh2o-dev libuv1-dev libssl-dev libcurl4-openssl-dev libjansson-dev libsodium-dev
  libcmocka-dev libvectorscan-dev libsqlite3-dev sqlite3 libpq-dev libphonenumber-dev
  postgresql
  nghttp2-client wrk nginx-light openssl curl ca-certificates
  python3 python3-yaml libimage-exiftool-perl
  chromium fonts-dejavu-core
)

# Node.js (>= 18) runs the official provider SDKs in the integration tests. Use the one on
# the machine if there is one (Debian's npm conflicts with NodeSource builds of nodejs).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PKGS+=(nodejs npm)
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
