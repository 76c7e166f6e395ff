"""Parquet throughput: amlgraph against pyarrow (read, single-threaded) and delta-rs (write),
on a 10M-row, 7-column transactions table with zstd. Usage:
    .venv/bin/python bench/parquet_bench.py .build/release/amlgraph [rows] [--data DIR]
Data goes to bench/data/parquet/ (gitignored) or DIR. Prints one JSON object; CPU seconds are
reported too because wall times on a shared machine are noisy. `tables_equal` is the agreement
check: pyarrow reads amlgraph's file back as the same table it wrote."""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time

import deltalake  # noqa: F401  (import before pyarrow.parquet, see ANCHORS.md)
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("bin")
ap.add_argument("rows", type=int, nargs="?", default=10_000_000)
ap.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "parquet"))
args = ap.parse_args()
BIN, N, DATA = args.bin, args.rows, args.data
os.makedirs(DATA, exist_ok=True)
src = os.path.join(DATA, f"tx-{N}.parquet")


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


if not os.path.exists(src):
    rng = np.random.default_rng(42)
    cur = np.array(["USD", "EUR", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK"])
    chan = np.array([f"channel-{i:03d}" for i in range(300)])
    t = pa.table({
        "txn_id": pa.array(np.arange(N, dtype=np.int64) + 10**9),
        "originator_id": pa.array(rng.integers(0, 2_000_000, N, dtype=np.int64)),
        "beneficiary_id": pa.array(rng.integers(0, 2_000_000, N, dtype=np.int64)),
        "amount": pa.array(np.round(rng.lognormal(6, 2, N), 2)),
        "ts": pa.array(1_600_000_000_000_000 + np.sort(rng.integers(0, 3 * 365 * 86400 * 10**6, N)), pa.timestamp("us", tz="UTC")),
        "currency": pa.array(cur[rng.integers(0, len(cur), N)]),
        "channel": pa.array(chan[rng.integers(0, len(chan), N)]),
    })
    pq.write_table(t, src, compression="zstd")

out = {"rows": N}
c0, t0 = cpu(), time.perf_counter()
table = pq.read_table(src, use_threads=False)
out["pyarrow_read_1thread_s"], out["pyarrow_read_cpu_s"] = time.perf_counter() - t0, cpu() - c0

delta_dir = os.path.join(DATA, "delta")
shutil.rmtree(delta_dir, ignore_errors=True)
c0, t0 = cpu(), time.perf_counter()
deltalake.write_deltalake(delta_dir, table, writer_properties=deltalake.WriterProperties(compression="ZSTD"))
out["deltars_write_s"], out["deltars_write_cpu_s"] = time.perf_counter() - t0, cpu() - c0
out["deltars_bytes"] = sum(os.path.getsize(os.path.join(delta_dir, f)) for f in os.listdir(delta_dir) if f.endswith(".parquet"))

ours = os.path.join(DATA, "amlgraph.parquet")
timings = os.path.join(DATA, "timings.json")
subprocess.run([BIN, "convert", src, ours, "--codec", "zstd", "--timings-json", timings], check=True, stdout=sys.stderr)
t = json.load(open(timings))
out.update(amlgraph_read_s=t["read_s"], amlgraph_read_cpu_s=t["read_cpu_s"],
           amlgraph_write_s=t["write_s"], amlgraph_write_cpu_s=t["write_cpu_s"], amlgraph_bytes=os.path.getsize(ours))
out["tables_equal"] = pq.read_table(ours).equals(table)
print(json.dumps(out, indent=1))
