#!/usr/bin/env python3
"""Reads every Delta table under a directory with amlgraph and with delta-rs and compares rows.

Usage: scripts/delta_golden_compare.py DIR [--bin PATH] [--json OUT]

DIR is searched for directories holding `_delta_log` (for example delta-io/delta's
connectors/golden-tables/src/main/resources/golden, fetched separately; nothing fetched is
committed). For each table: delta-rs's `to_pyarrow_table()` and `amlgraph delta read --out
x.parquet` read back by pyarrow are compared (delta-rs through its DataFusion scan, which
applies deletion vectors and column mapping) as multisets of rows (timestamps as UTC ISO text,
decimals as text, floats to 1e-9 relative; nested lists, structs and maps as nested values),
and their Arrow types after `shape` (list element names, string/binary widths, timestamp
units normalised). Prints one line per table: match, mismatch (with
the first difference), or which reader refused it and why.
"""
import argparse
import datetime
import decimal
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DELTARS = r'''
import sys, json
import deltalake
sys.path.insert(0, sys.argv[2])
from delta_golden_compare import normalise_table
import pyarrow as pa
try:
    # DataFusion's scan (QueryBuilder) applies deletion vectors and column mapping; the
    # pyarrow dataset path of delta-rs 1.6 refuses both.
    dt = deltalake.DeltaTable(sys.argv[1])
    t = pa.table(deltalake.QueryBuilder().register("t", dt).execute("select * from t").read_all())
    print(json.dumps({"ok": True, **normalise_table(t)}))
except Exception as e:
    print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))
import os
sys.stdout.flush()
os._exit(0)
'''


def norm(v):
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return "ts:" + v.isoformat()
    if isinstance(v, datetime.date):
        return "date:" + v.isoformat()
    if isinstance(v, decimal.Decimal):
        return "dec:" + format(v.normalize(), "f") if v == v else "dec:nan"
    if isinstance(v, bytes):
        return "bin:" + v.hex()
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return float(f"{v:.12g}")
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    return v


def shape(t):
    """An Arrow type with what differs only in representation normalised away: list element
    names, large/view string and binary variants, dictionary encoding, timestamp units and
    zone names (values are compared as UTC instants). Nested types stay nested."""
    import pyarrow as pa
    if pa.types.is_dictionary(t):
        return shape(t.value_type)
    if pa.types.is_map(t):
        return f"map<{shape(t.key_type)},{shape(t.item_type)}>"
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t) or pa.types.is_fixed_size_list(t):
        return f"list<{shape(t.value_type)}>"
    if pa.types.is_struct(t):
        return "struct<" + ",".join(f"{t.field(i).name}:{shape(t.field(i).type)}" for i in range(t.num_fields)) + ">"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string"
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        return "binary"
    if pa.types.is_timestamp(t):
        return "timestamp" + ("[tz]" if t.tz else "")
    return str(t)


def normalise_table(t):
    cols = sorted(t.column_names)
    rows = sorted(json.dumps([norm(r[c]) for c in cols], sort_keys=True) for r in t.to_pylist())
    types = {f.name: shape(f.type) for f in t.schema}
    return {"columns": cols, "rows": rows, "types": types}


def read_deltars(path):
    p = subprocess.run([sys.executable, "-c", DELTARS, str(path), str(Path(__file__).resolve().parent)],
                       capture_output=True, text=True, timeout=120)
    lines = p.stdout.strip().splitlines()
    if not lines:
        return {"ok": False, "error": (p.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(lines[-1])


def read_amlgraph(bin_, path):
    import pyarrow.parquet as pq
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "t.parquet"
        p = subprocess.run([bin_, "delta", "read", str(path), "--out", str(out)], capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            return {"ok": False, "error": (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[0]}
        return {"ok": True, **normalise_table(pq.read_table(out))}


def tables_under(root):
    for dirpath, dirnames, _ in os.walk(root):
        if "_delta_log" in dirnames:
            yield Path(dirpath)
        dirnames[:] = [d for d in dirnames if d != "_delta_log"]


def compare(bin_, path):
    ours, theirs = read_amlgraph(bin_, path), read_deltars(path)
    if not theirs["ok"] and not ours["ok"]:
        return "both-refuse", f"delta-rs: {theirs['error'][:120]} | amlgraph: {ours['error'][:120]}"
    if not theirs["ok"]:
        return "delta-rs-refuses", theirs["error"][:200]
    if not ours["ok"]:
        return "amlgraph-refuses", ours["error"][:200]
    if ours["columns"] != theirs["columns"]:
        return "mismatch", f"columns {ours['columns']} vs {theirs['columns']}"
    if ours["rows"] != theirs["rows"]:
        a, b = set(ours["rows"]), set(theirs["rows"])
        extra, missing = sorted(a - b)[:1], sorted(b - a)[:1]
        return "mismatch", f"{len(ours['rows'])} vs {len(theirs['rows'])} rows; amlgraph only {extra}, delta-rs only {missing}"
    differing = {c: (ours["types"][c], theirs["types"][c]) for c in ours["columns"] if ours["types"][c] != theirs["types"][c]}
    return "match", (f"{len(ours['rows'])} rows" + (f"; arrow types differ: {differing}" if differing else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--bin", default=os.environ.get("AMLGRAPH_BIN", str(ROOT / ".build" / "release" / "amlgraph")))
    ap.add_argument("--json", help="also write the results here as JSON")
    args = ap.parse_args()
    results = []
    for path in sorted(tables_under(args.dir)):
        status, detail = compare(args.bin, path)
        name = str(path.relative_to(args.dir))
        results.append({"table": name, "status": status, "detail": detail})
        print(f"{status:17} {name}: {detail}", flush=True)
    counts = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print("summary:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
