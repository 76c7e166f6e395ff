"""The matrix layer (bench/matrix/measure.py): amlgraph's dgemm and syevr (OpenBLAS/LAPACK through
Sources/Matrix, timed by the env-gated MatrixBenchTests) against numpy/scipy on their own bundled
OpenBLAS, and `amlgraph anomaly` against the numpy implementation of the same scoring.

The Swift side runs as `MATRIX_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter
MatrixBenchTests` (this builds the test targets in release first) and its MATRIX_BENCH lines are
passed to measure.py; with --swift-log an earlier log is read instead, and in quick mode the
Swift side (fixed at n = 2000) is not run."""
import os
import subprocess
import time
from pathlib import Path

from extra.shape import Extra, Row, faster

ROOT = Path(__file__).resolve().parents[2]
COMPARABLE = 1.5   # "comparable to numpy": at most this many times numpy's time
TOLERANCE = 1e-9   # anomaly scores: largest absolute difference accepted


def swift_tests(s):
    """{swift_log, swift_test_s}: the log given, the MatrixBenchTests run now, or nothing."""
    if s.swift_log:
        return dict(swift_log=str(s.swift_log))
    if not s.run_swift or s.quick:
        return {}
    s.data.mkdir(parents=True, exist_ok=True)
    log = s.data / "matrix_bench_tests.log"
    cmd = [os.environ.get("SWIFT", "swift"), "test", "-c", "release", "-Xswiftc", "-enable-testing",
           "--filter", "MatrixBenchTests"]
    t = time.perf_counter()
    with open(log, "w") as f:
        subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, MATRIX_BENCH="1"), stdout=f, stderr=subprocess.STDOUT, check=True)
    return dict(swift_log=str(log), swift_test_s=time.perf_counter() - t, swift_command="MATRIX_BENCH=1 " + " ".join(cmd))


def _args(s, prepared):
    out = ["--bin", s.binary]
    if s.quick:
        out += ["--n", 150, "--entities", 3_000]
    return out + (["--swift-log", prepared["swift_log"]] if prepared.get("swift_log") else [])


def swift_records(raw, name):
    return [rec[name] for rec in raw.get("swift", []) if name in rec]


def rows(raw):
    n = raw["n"]
    out = []
    for name, op, peer, key in (("dgemm", "dgemm", "numpy `a @ b`", "numpy_dgemm_s"),
                                ("syevr_all", "syevr, all pairs", 'scipy `eigh(driver="evr")`', "scipy_syevr_all_s"),
                                ("syevr_10_smallest", "syevr, 10 smallest pairs", 'scipy `eigh(driver="evr", subset_by_index)`',
                                 "scipy_syevr_10_smallest_s")):
        recs = [r for r in swift_records(raw, name) if r.get("n") == n]
        ours = recs[-1]["seconds"] if recs else None
        note = (f"{recs[-1]['gflops']:.0f} GFLOP/s, {recs[-1]['threads']} threads" if recs and "gflops" in recs[-1]
                else "" if recs else f"Swift side not run: MatrixBenchTests measure n = 2000, not {n}"
                if swift_records(raw, name) else "Swift side not run")
        out.append(Row(f"{op} {n}×{n} (MatrixBenchTests)", ours, peer, raw[key], ours_note=note,
                       target=f"comparable to numpy (≤{COMPARABLE:g}× its time)",
                       met=faster(ours, raw[key] * COMPARABLE if ours is not None else None),
                       speedup_note="" if recs else "—"))
    diff = raw["max_abs_score_diff"]
    ok = diff <= TOLERANCE
    out.append(Row(f"anomaly scoring {raw['entities']:,} × 16 (`anomaly`, score_s incl. rank sort)",
                   raw["amlgraph_anomaly_score_s"], "numpy, same algorithm incl. rank sort", raw["numpy_anomaly_s"],
                   agreement=(f"scores agree within {diff:.0e}" if ok else f"**scores differ by {diff:.1e} (tolerance {TOLERANCE:g})**"),
                   agrees=ok, target="faster than numpy", met=faster(raw["amlgraph_anomaly_score_s"], raw["numpy_anomaly_s"])))
    return out


def _us(x):
    return f"{x * 1e6:.0f} µs" if x < 1e-3 else f"{x * 1e3:.1f} ms"


def notes(raw):
    out = [f"- matrix: numpy/scipy on {raw.get('numpy_blas', 'their bundled BLAS')}; amlgraph on the system OpenBLAS it links"]
    onehot = swift_records(raw, "onehot")
    if onehot:
        out += ["", "Entity-resolution scoring (6 comparisons, 21 levels), scalar lookups against the one-hot matrix "
                    "(`OneHotScorer`, MatrixBenchTests; amlgraph only, no peer):", "",
                "| pairs | scalar weights | gemv (X built) | build X + gemv | M step scalar | M step gemm |",
                "|---:|---:|---:|---:|---:|---:|"]
        out += [f"| {r['pairs']:,} | {_us(r['scalar_s'])} | {_us(r['gemv_s'])} | {_us(r['encode_gemv_s'])} | "
                f"{_us(r['mstep_scalar_s'])} | {_us(r['mstep_gemm_s'])} |" for r in onehot]
    return out


EXTRA = Extra(
    name="matrix",
    title="Matrix layer: BLAS/LAPACK and anomaly scoring vs numpy/scipy",
    script="matrix/measure.py",
    args=_args,
    size=lambda s: "n 150; 3k × 16 (quick)" if s.quick else "n 2000; 1M × 16",
    rows=rows,
    prepare=swift_tests,
    notes=notes,
)
