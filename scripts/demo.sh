#!/usr/bin/env bash
# make demo: the daily AML job on the committed dataset — the medallion pipeline into a Delta
# lake, the HTML report, and a summary of every gold table.
# Usage: scripts/demo.sh BIN DATA_DIR LAKE_DIR
set -euo pipefail
BIN="${1:-.build/release/amlgraph}"
DATA="${2:-datasets/small}"
LAKE="${3:-lake}"

section() { printf '\n== %s\n' "$1"; }
gold() {  # gold TABLE COLUMNS ROWS: the first rows of a gold table, as an aligned table
  "$BIN" delta read "$LAKE/gold/$1" --columns "$2" --out - | head -n "$3" | column -s, -t || true
}

section "Pipeline: bronze -> silver -> gold ($DATA -> $LAKE)"
"$BIN" pipeline --data "$DATA" --lake "$LAKE" --quiet

section "alerts: every entity any scenario raised, ranked (first 8)"
gold alerts rank,entity_id,name,score,reasons 9

section "structuring: sub-threshold chains converging on a collector"
gold structuring collector_id,beneficiary_id,chains,total_amount,span_hours 6

section "roundtrips: money that comes back through distinct intermediaries"
gold roundtrips origin_id,intermediary_ids,agg_amount,span_hours 6

section "synthetic_identity: shared addresses, emails, phones and SSNs"
gold synthetic_identity entity_id,component,synth_score,shared_types,tier 6

section "address_flags: addresses that are not plausible homes"
gold address_flags reasons,entity_count,normalized_address 6

section "entity_dedupe: organisation records resolved (largest clusters first)"
"$BIN" delta read "$LAKE/gold/entity_dedupe" --columns cluster_id,cluster_size,record_id,org_name,country --out - \
  | { read -r header; echo "$header"; sort -t, -k2,2nr -k1,1n | head -n 6; } | column -s, -t || true

section "transaction_dedupe: same-amount payments from one reported originator"
gold transaction_dedupe cluster_id,cluster_size,txn_id,originator_id,txn_amount,match_probability 6

section "risk_propagation: highest scores (weighted rule)"
"$BIN" delta read "$LAKE/gold/risk_propagation" --columns entity_id,base_risk,risk_score,hops_from_seed --out - \
  | { read -r header; echo "$header"; sort -t, -k3,3gr | head -n 5; } | column -s, -t || true

section "HTML report"
"$BIN" report --lake "$LAKE" --out "$LAKE/report.html" --quiet
printf 'Open %s/report.html in a browser. Tables are Delta: try\n  %s delta history %s/gold/alerts\n' "$LAKE" "$BIN" "$LAKE"
