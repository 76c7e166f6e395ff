#!/usr/bin/env bash
# make amlsim: the external check on IBM AMLSim's public samples. Per archive: convert it
# (scripts/amlsim_convert.py), run `amlgraph pipeline` into a fresh lake, then `amlgraph
# evaluate` against the fraud accounts. Nothing is tuned on this data.
# Usage: scripts/amlsim_eval.sh [BIN] [ARCHIVE_DIR] [WORK_DIR]
# Writes WORK_DIR/<sample>/evaluation.json per sample (WORK_DIR defaults to a temporary
# folder, removed at the end unless given).
set -euo pipefail
BIN="${1:-.build/release/amlgraph}"
ARCHIVES="${2:-/work/shared/data/amlsim}"
WORK="${3:-}"
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
[ -x "$BIN" ] || { echo "error: $BIN: no amlgraph binary (run make build)" >&2; exit 1; }
shopt -s nullglob
archives=("$ARCHIVES"/*.tgz)
[ ${#archives[@]} -gt 0 ] || { echo "error: $ARCHIVES: no .tgz archives" >&2; exit 1; }
if [ -z "$WORK" ]; then
  WORK="$(mktemp -d -t amlsim-eval.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
fi
SCRIPTS="$(cd "$(dirname "$0")" && pwd)"
for archive in "${archives[@]}"; do
  name="$(basename "$archive" .tgz)"
  dir="$WORK/$name"
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '\n== %s\n' "$name"
  "$PY" "$SCRIPTS/amlsim_convert.py" "$archive" "$dir/data"
  start=$(date +%s%N)
  "$BIN" pipeline --data "$dir/data" --lake "$dir/lake" --quiet > "$dir/pipeline.txt"
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  printf 'pipeline: %d.%03d s\n' $(( ms / 1000 )) $(( ms % 1000 ))
  "$BIN" evaluate --lake "$dir/lake" --truth "$dir/data" --k 50,100,500 --json "$dir/evaluation.json"
done
