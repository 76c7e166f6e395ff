"""Delta write/read of a 10M-row transactions table (zstd): amlgraph against delta-rs
`write_deltalake` and pyarrow's single-threaded reader, in one run.

Usage: .venv/bin/python bench/delta_bench.py [AMLGRAPH_BIN] [ROWS] [--data DIR]
Prints one JSON object with the figures. Data goes under bench/data/delta/ (gitignored) or DIR.
The agreement check: every reader (pyarrow, delta-rs, amlgraph) counts ROWS rows in both
tables (`rows_agree`; the mismatches, if any, in `row_count_mismatches`).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import deltalake  # before pyarrow.parquet
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import WriterProperties, write_deltalake

ROOT = Path(__file__).resolve().parent.parent
_ap = argparse.ArgumentParser(description=__doc__)
_ap.add_argument("bin", nargs="?", default=str(ROOT / ".build" / "release" / "amlgraph"))
_ap.add_argument("rows", type=int, nargs="?", default=10_000_000)
_ap.add_argument("--data", type=Path, default=ROOT / "bench" / "data" / "delta")
_args = _ap.parse_args()
BIN, ROWS, DATA = _args.bin, _args.rows, _args.data


def transactions(n):
    rng = np.random.default_rng(42)
    currencies = np.array(["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK"])
    channels = np.array(["wire", "card", "ach", "cash", "crypto"])
    return pa.table({
        "txn_id": pa.array(np.arange(n, dtype=np.int64)),
        "originator_id": pa.array(rng.integers(0, 1_000_000, n, dtype=np.int64)),
        "beneficiary_id": pa.array(rng.integers(0, 1_000_000, n, dtype=np.int64)),
        "amount": pa.array(np.round(rng.lognormal(5, 2, n), 2)),
        "currency": pa.array(currencies[rng.integers(0, len(currencies), n)]),
        "channel": pa.array(channels[rng.integers(0, len(channels), n)]),
        "ts": pa.array(1_700_000_000_000_000 + np.sort(rng.integers(0, 86_400_000_000 * 365, n)), pa.timestamp("us", tz="UTC")),
    })


def size_of(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*.parquet") if "_delta_log" not in str(p))


def main():
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    table = transactions(ROWS)
    src = DATA / "input.parquet"
    pq.write_table(table, src, compression="none")
    res = {"rows": ROWS}
    mismatches = []

    def counted(reader, n):
        if n != ROWS:
            mismatches.append(f"{reader} counted {n:,} rows, wrote {ROWS:,}")

    rs_path = DATA / "deltars"
    t = time.perf_counter()
    write_deltalake(str(rs_path), table, writer_properties=WriterProperties(compression="ZSTD"))
    res["deltars_write_s"] = time.perf_counter() - t
    res["deltars_bytes"] = size_of(rs_path)

    ours = DATA / "amlgraph"
    timings = DATA / "write.json"
    t = time.perf_counter()
    subprocess.run([BIN, "delta", "write", str(src), str(ours), "--codec", "zstd", "--timings-json", str(timings)], check=True,
                   stdout=sys.stderr)
    res["amlgraph_write_total_s"] = time.perf_counter() - t
    w = json.loads(timings.read_text())
    res["amlgraph_input_read_s"] = w["read_s"]
    res["amlgraph_write_s"] = w["write_s"]
    res["amlgraph_bytes"] = size_of(ours)
    res["size_ratio_amlgraph_over_deltars"] = res["amlgraph_bytes"] / res["deltars_bytes"]

    for name, path in [("deltars_table", rs_path), ("amlgraph_table", ours)]:
        files = [str(p) for p in Path(path).rglob("*.parquet") if "_delta_log" not in str(p)]
        t = time.perf_counter()
        n = sum(pq.read_table(f, use_threads=False).num_rows for f in files)
        res[f"pyarrow_1thread_read_{name}_s"] = time.perf_counter() - t
        counted(f"pyarrow on {name}", n)
        t = time.perf_counter()
        n = deltalake.DeltaTable(str(path)).to_pyarrow_dataset().to_table().num_rows
        res[f"deltars_read_{name}_s"] = time.perf_counter() - t
        counted(f"delta-rs on {name}", n)
        timings = DATA / f"read-{name}.json"
        t = time.perf_counter()
        out = subprocess.run([BIN, "delta", "read", str(path), "--count-only", "--timings-json", str(timings)], check=True, capture_output=True, text=True)
        res[f"amlgraph_read_{name}_total_s"] = time.perf_counter() - t
        res[f"amlgraph_read_{name}_s"] = json.loads(timings.read_text())["read_s"]
        counted(f"amlgraph on {name}", int(out.stdout.strip()))
    res["rows_agree"] = not mismatches
    res["row_count_mismatches"] = mismatches
    print(json.dumps(res, indent=2))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
