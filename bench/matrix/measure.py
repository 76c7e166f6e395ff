"""Matrix-layer bench (issue 7): numpy/scipy side and the amlgraph anomaly scorer.

Usage: .venv/bin/python bench/matrix/measure.py [--bin .build/release/amlgraph] [--swift-log FILE]
                                                [--n 2000] [--entities 1000000]

- dgemm n x n and syevr n x n (scipy.linalg.eigh driver="evr", all pairs and the 10
  smallest) with numpy's own OpenBLAS; the Swift side is MatrixBenchTests (MATRIX_BENCH=1, release,
  n = 2000), whose MATRIX_BENCH lines are read from --swift-log when given.
- Anomaly scoring of 1M entities x 16 features (--entities): the numpy implementation of the same algorithm
  (Tests/interop/test_behaviour_anomaly.py: robust_scores, plus the rank sort) against
  `amlgraph anomaly --features` (its score_s timing, which includes the rank sort).
Prints one JSON object with every figure; `max_abs_score_diff` is the agreement check (amlgraph's
scores against numpy's, entity by entity).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.linalg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "interop"))
from test_behaviour_anomaly import robust_scores  # noqa: E402


def best(fn, repeats=3):
    b = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        b = min(b, time.perf_counter() - t0)
    return b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / ".build" / "release" / "amlgraph"))
    ap.add_argument("--swift-log")
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--n", type=int, default=2000, help="matrix order for numpy's dgemm and scipy's syevr")
    args = ap.parse_args()
    n = args.n
    out = {"n": n, "entities": args.entities}
    rng = np.random.default_rng(1)
    a, b = rng.uniform(-1, 1, (n, n)), rng.uniform(-1, 1, (n, n))
    out["numpy_dgemm_s"] = best(lambda: a @ b)
    s = a + a.T
    out["scipy_syevr_all_s"] = best(lambda: scipy.linalg.eigh(s, driver="evr"), 2)
    out["scipy_syevr_10_smallest_s"] = best(lambda: scipy.linalg.eigh(s, driver="evr", subset_by_index=[0, 9]), 2)
    cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    out["numpy_blas"] = f'{cfg.get("name")} {cfg.get("version")}'

    X = rng.lognormal(size=(args.entities, 16))
    X[:, 10] = (rng.random(args.entities) < 0.03) * rng.random(args.entities)
    t0 = time.perf_counter()
    scores = robust_scores(X)
    np.lexsort((np.arange(args.entities), -scores))
    out["numpy_anomaly_s"] = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "features.csv"
        header = "entity_id," + ",".join(f"f{j}" for j in range(16))
        np.savetxt(path, np.column_stack([np.arange(args.entities), X]), delimiter=",", header=header, comments="",
                   fmt=["%d"] + ["%.17g"] * 16)
        subprocess.run([args.bin, "anomaly", "--features", path, "--out", Path(tmp) / "s.csv", "--quiet",
                        "--timings-json", Path(tmp) / "t.json"], check=True)
        timings = json.loads((Path(tmp) / "t.json").read_text())
        out["amlgraph_anomaly_score_s"] = timings["score_s"]
        got = np.loadtxt(Path(tmp) / "s.csv", delimiter=",", skiprows=1, usecols=(0, 17))
        order = got[:, 0].astype(int)
        out["max_abs_score_diff"] = float(np.max(np.abs(got[:, 1] - scores[order])))
    if args.swift_log:
        for line in open(args.swift_log):
            if "MATRIX_BENCH " in line:
                rec = json.loads(line.split("MATRIX_BENCH ", 1)[1])
                key = rec.pop("name")
                out.setdefault("swift", []).append({key: rec})
    out["cores"] = os.cpu_count()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
