#!/usr/bin/env bash
# Idempotent machine setup for amlgraph: Debian packages and the pinned Python venv (.venv).
# Safe to run repeatedly; it only installs what is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libopenblas-dev liblapacke-dev libzstd-dev libsnappy-dev zlib1g-dev liblz4-dev chromium)
APT_PACKAGES+=(libbrotli-dev)  # Parquet brotli pages (Sources/CCodecs)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Java 17+ for the local Spark Connect server of the --engine spark tests (Tests/spark).
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ] 2>/dev/null || [ -z "$(java_major)" ]; then
  echo "setup: installing Java 17 (openjdk-17-jre-headless) for the Spark Connect tests"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi

PYTHON="${PYTHON:-python3}"
stamp=".venv/.requirements-lock.sha256"
want="$(sha256sum requirements-lock.txt | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: creating the Python venv at .venv from requirements-lock.txt"
  "$PYTHON" -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-lock.txt
  echo "$want" > "$stamp"
fi
echo "setup: ok"
