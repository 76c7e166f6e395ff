#!/usr/bin/env python3
"""Deterministic bench-only graph generator: power-law edge list plus a vertex table.

    gen_edges.py --vertices N --edges M [--seed S] --out DIR

Writes DIR/edges_N_M.csv (src,dst,amount) and DIR/vertices_N.csv (id,risk; 1% of vertices
carry a base risk of 10). Endpoints are drawn as N·u^a (a = 3 for sources, 2.5 for
destinations) through a fixed random permutation, so degrees are heavy-tailed and hubs of
sending and receiving differ. Files already present are reused.
"""
import argparse
from pathlib import Path

import numpy as np


def edges_path(out, n, m):
    return Path(out) / f"edges_{n}_{m}.csv"


def vertices_path(out, n):
    return Path(out) / f"vertices_{n}.csv"


def generate(n, m, seed, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    e, v = edges_path(out, n, m), vertices_path(out, n)
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    if not e.exists():
        src = perm[np.minimum((n * rng.random(m) ** 3.0).astype(np.int64), n - 1)]
        dst = perm[np.minimum((n * rng.random(m) ** 2.5).astype(np.int64), n - 1)]
        amount = np.round(np.exp(np.log(1800) + 1.1 * rng.standard_normal(m)), 2)
        tmp = e.with_suffix(".tmp")
        with open(tmp, "w") as f:
            f.write("src,dst,amount\n")
            for lo in range(0, m, 1_000_000):
                hi = min(m, lo + 1_000_000)
                block = np.char.add(np.char.add(np.char.add(np.char.add(src[lo:hi].astype(str), ","), dst[lo:hi].astype(str)), ","), amount[lo:hi].astype(str))
                f.write("\n".join(block.tolist()))
                f.write("\n")
        tmp.rename(e)
    if not v.exists():
        rng2 = np.random.default_rng(seed + 1)
        risk = np.where(rng2.random(n) < 0.01, 10.0, 0.0)
        tmp = v.with_suffix(".tmp")
        with open(tmp, "w") as f:
            f.write("id,risk\n")
            f.write("\n".join(f"{i},{r}" for i, r in enumerate(risk.tolist())))
            f.write("\n")
        tmp.rename(v)
    return e, v


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vertices", type=int, required=True)
    ap.add_argument("--edges", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(Path(__file__).parent / "data"))
    a = ap.parse_args()
    print(*generate(a.vertices, a.edges, a.seed, a.out))
