#!/usr/bin/env bash
# make demo: run every finished scenario on the committed dataset and print what it found.
# Usage: scripts/demo.sh BIN DATA_DIR OUT_DIR
set -euo pipefail
BIN="${1:-.build/release/amlgraph}"
DATA="${2:-datasets/small}"
OUT="${3:-out/demo}"
mkdir -p "$OUT"

section() { printf '\n== %s\n' "$1"; }
show() { head -n "${2:-8}" "$1" | column -s, -t; }

section "Connected components of the payment graph"
"$BIN" components --edges "$DATA/transactions.csv" --src-col originator_id --dst-col beneficiary_id \
  --out "$OUT/components.csv" --quiet

section "Synthetic identities (shared address / email / phone / SSN)"
"$BIN" synthetic-ids --entities "$DATA/entities.csv" --out "$OUT/synthetic_identity.csv" --quiet
show "$OUT/synthetic_identity.csv" 10

section "Risk propagation (accelerator rule, 3 supersteps)"
"$BIN" risk --transactions "$DATA/transactions.csv" --entities "$DATA/entities.csv" --max-iter 3 \
  --out "$OUT/risk_propagation.csv" --quiet
{ head -n 1 "$OUT/risk_propagation.csv"; tail -n +2 "$OUT/risk_propagation.csv" | sort -t, -k3,3gr | head -n 8 || true; } | column -s, -t

for extra in scripts/demo.d/*.sh; do
  [ -e "$extra" ] && . "$extra"
done

printf '\nOutputs are in %s/\n' "$OUT"
