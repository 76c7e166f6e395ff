"""The standalone benches under make bench (bench/extras.py): a quick run of every script at tiny
sizes writes the results files and the README block, and each extra's rows carry the comparison,
the agreement check and the target, with a wrong answer or a capped peer shown as such."""
import json
import subprocess
import sys

from conftest import ROOT, amlgraph_bin

sys.path.insert(0, str(ROOT / "bench"))
import extras as bench_extras  # noqa: E402
import update_readme  # noqa: E402
from extra import EXTRAS, delta, matrix, motif, parquet  # noqa: E402

SWIFT_LOG = """Test Suite 'Selected tests' started
MATRIX_BENCH {"name": "dgemm", "gflops": 1.5, "n": 150, "seconds": 0.004, "threads": 2}
MATRIX_BENCH {"name": "syevr_all", "n": 150, "seconds": 0.02}
MATRIX_BENCH {"name": "syevr_10_smallest", "n": 150, "seconds": 0.01}
MATRIX_BENCH {"name": "onehot", "encode_gemv_s": 2e-06, "gemv_s": 7e-07, "mstep_gemm_s": 2.4e-06, "mstep_scalar_s": 4.8e-06, "pairs": 100, "scalar_s": 8.5e-07}
Test Suite 'Selected tests' passed
"""


def test_a_quick_run_writes_the_results_and_the_readme_block(tmp_path):
    log = tmp_path / "swift.log"
    log.write_text(SWIFT_LOG)
    out = tmp_path / "results"
    proc = subprocess.run([sys.executable, ROOT / "bench" / "extras.py", "--quick", "--bin", amlgraph_bin(), "--out", out,
                           "--data", tmp_path / "data", "--swift-log", log, "--accel5-cap", "30"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stamped = list(out.glob("extras_2*.json"))
    assert len(stamped) == 1 and (out / "extras_latest.json").read_text() == stamped[0].read_text()
    results = json.loads((out / "extras_latest.json").read_text())
    assert results["quick"] and [e["name"] for e in results["extras"]] == [x.name for x in EXTRAS]
    for e in results["extras"]:
        assert e["error"] is None and e["disagreements"] == [] and e["rows"] and e["raw"]
        for r in e["rows"]:
            assert r["operation"] and r["peer"] and r["theirs"] is not None
    rows = {r["operation"]: r for e in results["extras"] for r in e["rows"]}
    assert rows["2-hop chain `--count`"]["agreement"].startswith("counts equal Σ indeg·outdeg")
    assert rows["dgemm 150×150 (MatrixBenchTests)"]["ours"] == 0.004    # the Swift side, read from the log
    targets = {r["target"] for r in rows.values() if r["met"] is not None}
    assert targets == {"read ≥ pyarrow single-thread speed", "faster than delta-rs", "≥10× DuckDB",
                       "comparable to numpy (≤1.5× its time)", "faster than numpy"}

    md = (out / "extras_latest.md").read_text()
    assert "**Quick run (BENCH_QUICK)" in md and "| parquet | 20k rows | Parquet read (`convert`, read_s) |" in md
    assert "| 100 | 1 µs | 1 µs | 2 µs | 5 µs | 2 µs |" in md     # the one-hot table from the Swift log
    readme = tmp_path / "README.md"
    graph_block = "<!-- bench:start -->\ngraph table\n<!-- bench:end -->"
    readme.write_text(f"# T\n\n{graph_block}\n\nprose\n\n<!-- bench-extras:start -->\nold\n<!-- bench-extras:end -->\n\nmore\n")
    done = update_readme.update_all(readme, tmp_path / "no-latest.md", out / "extras_latest.md")
    assert done == [out / "extras_latest.md"]
    assert readme.read_text() == (f"# T\n\n{graph_block}\n\nprose\n\n<!-- bench-extras:start -->\n{md.strip()}\n"
                                  "<!-- bench-extras:end -->\n\nmore\n")


def test_only_keeps_the_other_extras_from_the_previous_run():
    previous = dict(started="T0", extras=[dict(name="parquet"), dict(name="motif", measured="T-1"), dict(name="matrix")])
    merged = bench_extras.carry_over([dict(name="matrix", fresh=True)], previous)
    assert [(e["name"], e.get("measured")) for e in merged] == [("parquet", "T0"), ("motif", "T-1"), ("matrix", None)]


def _motif_raw(**changes):
    raw = dict(vertices=10, edges=20, max_degree=4, duckdb_load_s=0.1, load_average_start="1", load_average_end="1",
               sum_indeg_outdeg=50, duckdb_2hop=50, duckdb_2hop_s=1.0, ours_2hop=50, ours_2hop_search_s=0.1,
               ours_load_build_s=0.2, duckdb_triangles=3, duckdb_triangles_s=1.0, ours_triangles=3, ours_triangles_search_s=0.5,
               duckdb_structuring_stage=7, duckdb_structuring_stage_s=2.0, ours_structuring_stage=7,
               ours_structuring_stage_search_s=0.5, accel5_skipped=False, duckdb_accel5_cap_s=60.0,
               duckdb_accel5_filtered=None, duckdb_accel5_filtered_s=None, duckdb_accel5_capped=True,
               ours_accel5_filtered=5, ours_accel5_filtered_search_s=2.0, duckdb_structuring_detector_rows=2,
               duckdb_structuring_detector_s=18.0, ours_structuring_detector_algo_s=2.0, ours_structuring_detector_rows=2)
    return dict(raw, **changes)


def test_motif_rows_show_a_capped_peer_and_catch_differing_counts():
    rows = {r.operation: r for r in motif.rows(_motif_raw())}
    accel = rows["accelerator 5-edge structuring motif"]
    assert accel.theirs is None and accel.agrees is None and accel.speedup_note == "> 30× (DuckDB capped)"
    assert "interrupted after 60 s" in accel.theirs_note
    detector = rows["structuring detector end to end (`structuring`, algo_s)"]
    assert detector.met is False and detector.agrees is True      # 9×: the 10× target is missed
    wrong = {r.operation: r for r in motif.rows(_motif_raw(ours_triangles=4, ours_2hop=49))}
    assert wrong["directed triangle `--count`"].agrees is False and wrong["2-hop chain `--count`"].agrees is False
    assert [r.agreement for r in motif.rows(_motif_raw(accel5_skipped=True)) if "5-edge" in r.operation] == ["not run (--skip-accel5)"]


def test_storage_and_matrix_rows_catch_a_wrong_answer():
    pq = dict(rows=10, pyarrow_read_1thread_s=2.0, pyarrow_read_cpu_s=2.0, deltars_write_s=3.0, deltars_write_cpu_s=3.0,
              deltars_bytes=100, amlgraph_read_s=1.0, amlgraph_read_cpu_s=1.0, amlgraph_write_s=1.0, amlgraph_write_cpu_s=1.0,
              amlgraph_bytes=98, tables_equal=False)
    assert [r.agrees for r in parquet.rows(pq)] == [False, False] and parquet.rows(pq)[0].met is True
    d = dict(rows=10, deltars_write_s=1.0, deltars_bytes=100, amlgraph_write_total_s=2.0, amlgraph_write_s=1.5,
             amlgraph_bytes=100, rows_agree=False, row_count_mismatches=["amlgraph on amlgraph_table counted 9 rows, wrote 10"])
    for t in ("amlgraph_table", "deltars_table"):
        d |= {f"amlgraph_read_{t}_s": 1.0, f"pyarrow_1thread_read_{t}_s": 0.9, f"amlgraph_read_{t}_total_s": 1.1,
              f"deltars_read_{t}_s": 1.0}
    rows = delta.rows(d)
    assert all(r.agrees is False for r in rows) and "counted 9 rows" in rows[0].agreement
    assert [r.met for r in rows] == [False, False, False]
    m = dict(n=2000, entities=10, numpy_dgemm_s=1.0, scipy_syevr_all_s=1.0, scipy_syevr_10_smallest_s=1.0,
             numpy_anomaly_s=1.0, amlgraph_anomaly_score_s=0.5, max_abs_score_diff=1e-3,
             swift=[{"dgemm": dict(n=2000, seconds=1.4, gflops=11.0, threads=2)}, {"syevr_all": dict(n=2000, seconds=1.6)}])
    rows = matrix.rows(m)
    assert [r.met for r in rows] == [True, False, None, True]      # syevr_10_smallest: no Swift figure, no verdict
    assert rows[2].ours_note == "Swift side not run" and rows[3].agrees is False
