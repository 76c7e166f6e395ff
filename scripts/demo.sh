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
  --out "$OUT/risk_accelerator.csv" --quiet
{ head -n 1 "$OUT/risk_accelerator.csv"; tail -n +2 "$OUT/risk_accelerator.csv" | sort -t, -k3,3gr | head -n 5 || true; } | column -s, -t

section "Risk propagation (weighted rule: amount share, decay 0.5, bounded to [0, 10]; feeds the alerts)"
"$BIN" risk --transactions "$DATA/transactions.csv" --entities "$DATA/entities.csv" --rule weighted --max-iter 10 \
  --out "$OUT/risk_propagation.csv" --quiet
{ head -n 1 "$OUT/risk_propagation.csv"; tail -n +2 "$OUT/risk_propagation.csv" | sort -t, -k3,3gr | head -n 5 || true; } | column -s, -t

section "Structuring: sub-threshold chains converging on a collector"
"$BIN" structuring --transactions "$DATA/transactions.csv" --entities "$DATA/entities.csv" \
  --levels-out "$OUT/structuring_levels.csv" --out "$OUT/structuring.csv" --quiet
head -n 6 "$OUT/structuring.csv" | cut -d, -f1-5 | column -s, -t

section "Round trips: money that comes back through distinct intermediaries"
"$BIN" roundtrips --transactions "$DATA/transactions.csv" --entities "$DATA/entities.csv" \
  --out "$OUT/roundtrips.csv" --quiet
head -n 6 "$OUT/roundtrips.csv" | cut -d, -f1,3,5,9 | column -s, -t

section "Addresses that are not plausible homes"
"$BIN" address-flags --entities "$DATA/entities.csv" --out "$OUT/address_flags.csv" --quiet

section "Alerts: every entity any scenario raised, ranked"
"$BIN" alerts --entities "$DATA/entities.csv" --synthetic-identity "$OUT/synthetic_identity.csv" \
  --risk "$OUT/risk_propagation.csv" --address-flags "$OUT/address_flags.csv" \
  --structuring "$OUT/structuring.csv" --roundtrips "$OUT/roundtrips.csv" --out "$OUT/alerts.csv" --quiet
head -n 8 "$OUT/alerts.csv" | cut -d, -f1-6 | column -s, -t

for extra in scripts/demo.d/*.sh; do
  [ -e "$extra" ] && . "$extra"
done

section "HTML report"
cp "$DATA/entities.csv" "$DATA/transactions.csv" "$OUT/"
"$BIN" report --lake "$OUT" --out "$OUT/report.html" --quiet

printf '\nOutputs are in %s/ (open %s/report.html in a browser)\n' "$OUT" "$OUT"
