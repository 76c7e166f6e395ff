#!/usr/bin/env python3
"""make bench, Spark rows: connected components and risk propagation (Pregel, 5 supersteps)
with --engine spark on a local Spark Connect server (local[2], pyspark's jars), beside the local
engine on the same bench graph; and entity resolution (`resolve`, a model trained locally on
datasets/small/dedupe_settings.json, then blocking, scoring and clustering) on a generated
organisation dataset of --resolve-records records. The answers are cross-checked (components
and clusters exactly, scores within 1e-9 relative) before any figure is reported.

    bench/spark_bench.py [--sizes 100k/500k,1M/5M] [--resolve-records 3000] [--quick] [--bin PATH] [--out bench/results] [--data-dir DIR]

Writes bench/results/spark_latest.json and spark_latest.md. GraphFrames is not installable
here (its JVM jar is not on this machine), so its figures (ANCHORS.md: CC 42 s two-phase,
Pregel 28 s for 5 supersteps, 1M/5M, local[2]) are quoted, not re-run.
"""
import argparse
import csv
import datetime as dt
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from workloads.graphs import GRAPH_SIZES, graph_files  # noqa: E402

SERVER = ROOT / "scripts" / "spark_connect_server.sh"
QUOTED = {"cc": "GraphFrames two_phase 42 s", "risk": "GraphFrames Pregel 28 s", "resolve": ""}


def timed(argv):
    start = time.perf_counter()
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, argv))}\n{proc.stderr}")
    return wall


def labels(path):
    with open(path, newline="") as f:
        return sorted((r["id"], r["component"]) for r in csv.DictReader(f))


def scores(path):
    with open(path, newline="") as f:
        return {r["entity_id"]: float(r["risk_score"]) for r in csv.DictReader(f)}


def pairs(path):
    with open(path, newline="") as f:
        return {(r["record_id_l"], r["record_id_r"]): float(r["match_probability"]) for r in csv.DictReader(f)}


def resolve_row(args, remote):
    """resolve on both engines from one locally trained model; same pairs and clusters required."""
    with tempfile.TemporaryDirectory(prefix="spark-bench-er-") as tmp:
        tmp = Path(tmp)
        n = args.resolve_records
        timed([args.bin, "generate", "--entities", max(2000, n * 8), "--transactions", max(2000, n * 8) // 10,
               "--dedupe-records", n, "--seed", 3, "--out", tmp / "gen"])
        records, model = tmp / "gen" / "dedupe.csv", tmp / "model.json"
        timed([args.bin, "resolve", "--input", records, "--settings", ROOT / "datasets" / "small" / "dedupe_settings.json",
               "--train", "--model", model, "--out", tmp / "trained.csv", "--quiet"])
        er = [args.bin, "resolve", "--input", records, "--settings", model, "--quiet"]
        local_s = timed(er + ["--out", tmp / "er_local.csv", "--clusters", tmp / "cl_local.csv"])
        spark_s = timed(er + ["--engine", "spark", "--spark-remote", remote, "--spark-staging", tmp, "--out", tmp / "er_spark.csv",
                              "--clusters", tmp / "cl_spark.csv", "--timings-json", tmp / "er.json"])
        t = json.loads((tmp / "er.json").read_text())
        a, b = pairs(tmp / "er_local.csv"), pairs(tmp / "er_spark.csv")
        if a.keys() != b.keys() or any(not math.isclose(a[k], b[k], rel_tol=1e-9, abs_tol=1e-12) for k in a):
            raise SystemExit("resolve: pairs differ between engines")
        if (tmp / "cl_local.csv").read_text() != (tmp / "cl_spark.csv").read_text():
            raise SystemExit("resolve: clusters differ between engines")
        return dict(workload="resolve", size=f"{n} records", local_s=local_s, spark_s=spark_s, spark_algo_s=t["algo_s"], pairs=t["pairs"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100k/500k")
    ap.add_argument("--quick", action="store_true", help="smallest size into bench/results/quick/ (also BENCH_QUICK=1)")
    ap.add_argument("--bin", default=str(ROOT / ".build" / "release" / "amlgraph"))
    ap.add_argument("--out", help="results directory (default bench/results, or bench/results/quick when quick)")
    ap.add_argument("--data-dir", help="where the bench graphs are cached (default bench/data)")
    ap.add_argument("--resolve-records", type=int, default=3000, help="records of the resolve row (0: no resolve row)")
    ap.add_argument("--skip-graphs", action="store_true", help="only the resolve row")
    args = ap.parse_args()
    quick = args.quick or os.environ.get("BENCH_QUICK") == "1"
    if quick:
        args.sizes = "100k/500k"
    args.out = args.out or str(HERE / "results" / ("quick" if quick else ""))
    state = tempfile.mkdtemp(prefix="amlgraph-spark-bench-")
    env = dict(os.environ, SPARK_DRIVER_MEMORY=os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
    remote = subprocess.run([str(SERVER), "start", state], capture_output=True, text=True, env=env)
    if remote.returncode != 0:
        raise SystemExit(remote.stderr)
    remote = remote.stdout.strip().splitlines()[-1]
    rows = []
    try:
        for size in ([] if args.skip_graphs else args.sizes.split(",")):
            params = dict(GRAPH_SIZES[size], **({"dir": args.data_dir} if args.data_dir else {}))
            files = graph_files(params)
            with tempfile.TemporaryDirectory(prefix="spark-bench-") as tmp:
                tmp = Path(tmp)
                cc = [args.bin, "components", "--edges", files["edges"], "--quiet"]
                local_s = timed(cc + ["--out", tmp / "cc_local.csv"])
                spark_s = timed(cc + ["--engine", "spark", "--spark-remote", remote, "--spark-staging", tmp, "--out", tmp / "cc_spark.csv",
                                      "--timings-json", tmp / "cc.json"])
                cc_t = json.loads((tmp / "cc.json").read_text())
                if labels(tmp / "cc_local.csv") != labels(tmp / "cc_spark.csv"):
                    raise SystemExit(f"{size}: components differ between engines")
                rows.append(dict(workload="cc", size=size, local_s=local_s, spark_s=spark_s, spark_algo_s=cc_t["algo_s"], rounds=cc_t["rounds"]))
                risk = [args.bin, "risk", "--transactions", files["edges"], "--entities", files["vertices"], "--src-col", "src",
                        "--dst-col", "dst", "--id-col", "id", "--risk-col", "risk", "--max-iter", 5, "--quiet"]
                local_s = timed(risk + ["--out", tmp / "risk_local.csv"])
                spark_s = timed(risk + ["--engine", "spark", "--spark-remote", remote, "--spark-staging", tmp, "--out", tmp / "risk_spark.csv",
                                        "--timings-json", tmp / "risk.json"])
                risk_t = json.loads((tmp / "risk.json").read_text())
                a, b = scores(tmp / "risk_local.csv"), scores(tmp / "risk_spark.csv")
                if a.keys() != b.keys() or any(not math.isclose(a[k], b[k], rel_tol=1e-9, abs_tol=1e-12) for k in a):
                    raise SystemExit(f"{size}: risk scores differ between engines")
                rows.append(dict(workload="risk", size=size, local_s=local_s, spark_s=spark_s, spark_algo_s=risk_t["algo_s"]))
                print(rows[-2], rows[-1], flush=True)
        if args.resolve_records > 0:
            rows.append(resolve_row(args, remote))
            print(rows[-1], flush=True)
    finally:
        subprocess.run([str(SERVER), "stop", state], capture_output=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    doc = dict(measured=stamp, server="local[2], driver 4g, pyspark 4.3.0", loadavg=os.getloadavg()[0], rows=rows)
    (out / "spark_latest.json").write_text(json.dumps(doc, indent=1) + "\n")
    lines = ["| workload | graph | local engine (CSV to result) | --engine spark, local[2]: algorithm | --engine spark: CSV to result | quoted (1M/5M, local[2], ANCHORS.md) |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        label = {"cc": f"connected components ({r.get('rounds')} rounds)", "risk": "risk (Pregel, 5 supersteps)",
                 "resolve": f"resolve ({r.get('pairs')} pairs scored, clusters)"}[r["workload"]]
        lines.append(f"| {label} | {r['size']} | {r['local_s']:.2f} s | {r['spark_algo_s']:.1f} s | {r['spark_s']:.1f} s | {QUOTED[r['workload']]} |")
    (out / "spark_latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
