#!/usr/bin/env python3
"""Deterministic bench-only graph generator: a power-law edge list plus a vertex table.

    gen_edges.py --vertices N --edges M [--seed S] [--out DIR]

Writes DIR/edges_N_M.csv (`src,dst,amount`) and DIR/vertices_N.csv (`id,risk`; 1% of the
vertices carry a base risk of 10, the seeds of the risk workload). Endpoints are drawn as
N·u^a (a = 3 for sources, 2.5 for destinations) through one fixed random permutation of the
ids, so degrees are heavy-tailed, hubs are spread over the id range, and the busiest senders
and receivers differ. Amounts are log-normal (median 1,800) for weighted workloads.

The same (N, M, seed) always gives the same bytes. Files already present are reused, so a
size is generated once per checkout (bench/data/ is not committed); delete them to redo.
"""
import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv


def edges_path(out, n, m):
    return Path(out) / f"edges_{n}_{m}.csv"


def vertices_path(out, n):
    return Path(out) / f"vertices_{n}.csv"


def _write_atomically(table, path):
    # A run killed mid-write must not leave a truncated file that later runs would reuse.
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.write((",".join(table.column_names) + "\n").encode())
        pacsv.write_csv(table, f, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    tmp.rename(path)


def generate(n, m, seed=1, out=Path(__file__).resolve().parent / "data"):
    """Returns (edges CSV, vertices CSV) for n vertices and m edges, writing what is missing."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    e, v = edges_path(out, n, m), vertices_path(out, n)
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    if not e.exists():
        src = perm[np.minimum((n * rng.random(m) ** 3.0).astype(np.int64), n - 1)]
        dst = perm[np.minimum((n * rng.random(m) ** 2.5).astype(np.int64), n - 1)]
        amount = np.round(np.exp(np.log(1800) + 1.1 * rng.standard_normal(m)), 2)
        _write_atomically(pa.table({"src": src, "dst": dst, "amount": amount}), e)
    if not v.exists():
        rng2 = np.random.default_rng(seed + 1)
        risk = np.where(rng2.random(n) < 0.01, 10.0, 0.0)
        _write_atomically(pa.table({"id": np.arange(n, dtype=np.int64), "risk": risk}), v)
    return e, v


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vertices", type=int, required=True)
    ap.add_argument("--edges", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "data"))
    a = ap.parse_args()
    print(*generate(a.vertices, a.edges, a.seed, a.out))
