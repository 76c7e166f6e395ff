"""The bench harness (bench/): deterministic cached inputs, agreement checks that catch a
wrong answer, target evaluation, the Markdown report and the README block update."""
import dataclasses
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from conftest import ROOT, amlgraph_bin

sys.path.insert(0, str(ROOT / "bench"))
import gen_edges  # noqa: E402
import run as bench_run  # noqa: E402
import update_readme  # noqa: E402
from harness import Context, Target, measure, median_sample, run_tool  # noqa: E402
from report import markdown  # noqa: E402
from workloads import cc, er, pipeline, risk  # noqa: E402


def test_generator_is_deterministic_and_cached(tmp_path):
    e1, v1 = gen_edges.generate(2000, 9000, seed=3, out=tmp_path / "a")
    e2, v2 = gen_edges.generate(2000, 9000, seed=3, out=tmp_path / "b")
    assert e1.read_bytes() == e2.read_bytes() and v1.read_bytes() == v2.read_bytes()
    lines = e1.read_text().splitlines()
    assert lines[0] == "src,dst,amount" and len(lines) == 9001
    ids = [int(x) for line in lines[1:] for x in line.split(",")[:2]]
    assert min(ids) >= 0 and max(ids) < 2000
    before = e1.stat().st_mtime_ns
    gen_edges.generate(2000, 9000, seed=3, out=tmp_path / "a")
    assert e1.stat().st_mtime_ns == before  # reused, not rewritten
    assert gen_edges.generate(2000, 9000, seed=4, out=tmp_path / "c")[0].read_bytes() != e1.read_bytes()


def test_measure_reports_the_child_peak_rss():
    wall, rss, out = measure([sys.executable, "-c", "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); print('ok')"])
    assert out.strip() == "ok" and rss >= 200 and wall > 0
    with pytest.raises(RuntimeError, match="exited with 3"):
        measure([sys.executable, "-c", "import sys; sys.exit(3)"])


def test_targets_and_medians():
    samples = {"amlgraph": {"algo_s": 0.1, "rss_mb": 300}, "networkit": {"algo_s": 0.31, "rss_mb": 290}}
    assert Target("3x", "algo_s", peer="networkit", factor=3).evaluate(samples)["met"]
    assert not Target("4x", "algo_s", peer="networkit", factor=4).evaluate(samples)["met"]
    assert not Target("limit", "algo_s", limit=0.05).evaluate(samples)["met"]
    assert not Target("rss", "rss_mb", peer="networkit").evaluate(samples)["met"]
    assert Target("absent peer", "algo_s", peer="scipy").evaluate(samples) is None
    m = median_sample([{"a": 3.0, "n": "x"}, {"a": 1.0, "n": "y"}, {"a": 2.0, "n": "z"}])
    assert m["a"] == 2.0 and m["n"] == "x" and m["runs"] == 3


def tiny(workload, tmp_path, tools):
    sizes = {"tiny": dict(vertices=3000, edges=12000, dir=str(tmp_path / "data"))}
    return dataclasses.replace(workload, sizes=sizes, default_sizes=None, targets={},
                               tools=[t for t in workload.tools if t.name in tools])


@pytest.mark.parametrize("workload,tools", [(cc.WORKLOAD, {"amlgraph", "networkit", "scipy", "networkx"}),
                                            (risk.WORKLOAD, {"amlgraph", "scipy-matvec"})])
def test_workloads_agree_on_a_tiny_graph(workload, tools, tmp_path):
    args = Namespace(bin=amlgraph_bin(), runs=1)
    entry = bench_run.run_workload(tiny(workload, tmp_path, tools), args, None)
    size = entry["sizes"][0]
    assert set(size["samples"]) == tools
    assert size["disagreements"] == [] and size["agreement"]
    for s in size["samples"].values():
        assert s["total_s"] == pytest.approx(s["load_s"] + s["build_s"] + s["algo_s"]) and s["rss_mb"] > 0


def test_cc_check_catches_a_wrong_answer(tmp_path):
    ctx = bench_run.Context(binary="", size="tiny", params={}, files={}, tmp=tmp_path)
    samples = {"scipy": {"components": 3, "largest": 90}, "amlgraph": {"components": 3, "largest": 90},
               "networkit": {"components": 4, "largest": 90}}
    assert cc.check(ctx, samples) == ["networkit: components/largest 4/90 but scipy 3/90"]


def test_report_and_readme_block(tmp_path):
    results = dict(started="t", runs=1, machine=dict(cpus=2, loadavg_at_start=1.0), workloads=[dict(
        name="cc", title="CC", reference="networkit", quoted=[dict(tool="GraphX", size="1M/5M", algo_s=12.0, total_s=25.0, note="quoted")],
        sizes=[dict(size="1M/5M", samples={
            "amlgraph": dict(load_s=1, build_s=0.5, algo_s=0.1, total_s=1.6, rss_mb=300),
            "networkit": dict(load_s=1.5, build_s=3, algo_s=0.8, total_s=5.3, rss_mb=700)},
            targets=[Target("CC ≥3× networkit", "algo_s", peer="networkit", factor=3).evaluate(
                {"amlgraph": dict(algo_s=0.1), "networkit": dict(algo_s=0.8)})],
            disagreements=[], agreement="agree")])])
    md = markdown(results)
    assert "| cc | 1M/5M | amlgraph | 1.000 | 0.500 | 0.100 | 1.600 | 300 | 8.0× / 3.3× vs networkit | CC ≥3× networkit | met |" in md
    assert "*GraphX* (quoted)" in md
    rate = dict(results, workloads=[dict(results["workloads"][0], sizes=[dict(results["workloads"][0]["sizes"][0], targets=[
        Target("≥ 2M pairs/s", "pairs_per_s", limit=2e6, higher_is_better=True).evaluate({"amlgraph": dict(pairs_per_s=2.5e6)}),
        Target("F1 ≥ peer", "f1", peer="networkit", higher_is_better=True).evaluate({"amlgraph": dict(f1=0.9), "networkit": dict(f1=0.8)})])])])
    notes = markdown(rate)
    assert "≥ 2M pairs/s: 2,500,000 → met" in notes and "F1 ≥ peer: 0.9000 vs 0.8000 → met" in notes
    table = tmp_path / "latest.md"
    table.write_text(md)
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nintro\n")
    update_readme.update(readme, table)
    update_readme.update(readme, table)  # idempotent: one block, replaced in place
    text = readme.read_text()
    assert text.startswith("# Title\n\nintro\n") and text.count("<!-- bench:start -->") == 1 and md.strip() in text
    readme.write_text("a\n<!-- bench:start -->\nold\n<!-- bench:end -->\nz\n")
    update_readme.update(readme, table)
    assert readme.read_text() == f"a\n<!-- bench:start -->\n{md.strip()}\n<!-- bench:end -->\nz\n"


def test_pipeline_workload_reports_each_stage_and_checks_the_lake(tmp_path):
    params = dict(entities=600, transactions=6000, dir=str(tmp_path / "data"), bin=amlgraph_bin())
    files = pipeline.pipeline_files(params)
    assert (files["data"] / "transactions.csv").exists() and pipeline.pipeline_files(params) == files  # cached
    ctx = Context(binary=amlgraph_bin(), size="tiny", params=params, files=files, tmp=tmp_path)
    tool = pipeline.WORKLOAD.tools[0]
    runs = [run_tool(tool, ctx) for _ in range(2)]   # the second run gets a fresh lake, not a no-op
    for x in runs:
        stages = [k.removesuffix("_peak_rss_mb") for k in x if k.endswith("_peak_rss_mb") and k != "peak_rss_mb"]
        assert stages[:3] == ["bronze", "silver", "gold"] and "gold.synthetic_identity" in stages and stages[-1] == "gold.write"
        assert all(x[f"{st}_s"] >= 0 and x[f"{st}_peak_rss_mb"] > 0 for st in stages)
        assert x["total_s"] == pytest.approx(x["bronze_s"] + x["silver_s"] + x["gold_s"])
        assert x["peak_rss_method"] in ("clear_refs", "getrusage_maxrss")
        assert x["rss_mb"] == max(x["wait4_rss_mb"], x["peak_rss_mb"]) and x["peak_rss_mb"] >= x["silver_peak_rss_mb"]
        assert sum(x[f"gold.{g}_s"] for g in pipeline.GOLD if g not in ("structuring_levels", "typology_accounts")) <= x["gold_s"]
    samples = {"amlgraph": median_sample(runs)}
    assert pipeline.check(ctx, samples) == [] and "planted synthetic-identity members found" in ctx.agreement
    wrong = dataclasses.replace(ctx, params=dict(params, transactions=6001))
    assert pipeline.check(wrong, samples) == ["silver/transactions plus its quarantine hold 6,000 rows, generated 6,001"]


def test_report_shows_a_peerless_workload_per_stage_beside_its_capability_peers():
    cc_entry = dict(name="cc", title="CC", reference="networkit", quoted=[], measured="earlier", sizes=[dict(
        size="1M/5M", samples={"amlgraph": dict(load_s=1, build_s=0.5, algo_s=0.1, total_s=1.6, rss_mb=300),
                               "networkit": dict(load_s=1.5, build_s=3, algo_s=0.8, total_s=5.3, rss_mb=700)},
        targets=[], disagreements=[], agreement="agree")])
    stages = {"bronze_s": 2.0, "bronze_peak_rss_mb": 400.0, "silver_s": 5.0, "silver_peak_rss_mb": 500.0,
              "gold_s": 3.0, "gold_peak_rss_mb": 450.0, "gold.synthetic_identity_s": 0.5,
              "gold.synthetic_identity_peak_rss_mb": 420.0,
              "gold.risk_propagation_s": 0.25, "gold.risk_propagation_peak_rss_mb": 430.0, "total_s": 10.0, "peak_rss_mb": 500.0,
              "peak_rss_method": "clear_refs", "rss_mb": 510.0, "wall_s": 10.4}
    pipe_entry = dict(name="pipeline", title="Whole pipeline", reference=None, quoted=[],
                      capability_peers=[vars(cp) for cp in pipeline.WORKLOAD.capability_peers],
                      sizes=[dict(size="100k/1M", samples={"amlgraph": stages}, targets=[], disagreements=[], agreement="ok")])
    md = markdown(dict(started="now", runs=1, machine=dict(cpus=2, loadavg_at_start=1.0), workloads=[cc_entry, pipe_entry]))
    assert "| pipeline | 100k/1M | amlgraph | — | — | — | 10.000 | 510 | no peer runs the whole pipeline: per stage below |  |  |" in md
    assert "| 100k/1M | **silver** | 5.000 | 50% | 500 |  |" in md
    assert ("| 100k/1M | · synthetic_identity | 0.500 | 5% | 420 | connected components: cc rows, algo amlgraph vs networkit: "
            "1M/5M 0.100 vs 0.800 s") in md
    assert "| 100k/1M | **whole pipeline** | 10.000 | 100% | 510 | no peer; process wall 10.40 s |" in md
    assert "risk (not in this results file)" in md and "each stage's own peak" in md
    assert "| cc† | 1M/5M | amlgraph |" in md and "† measured in an earlier run (earlier)" in md


def test_a_partial_run_keeps_the_other_workloads_from_the_previous_results():
    previous = dict(started="T0", workloads=[dict(name="cc", sizes=[]), dict(name="risk", sizes=[], measured="T-1"),
                                             dict(name="pipeline", sizes=["old"])])
    merged = bench_run.carry_over([dict(name="pipeline", sizes=["new"])], previous)
    assert [(e["name"], e.get("measured"), e["sizes"]) for e in merged] == [
        ("cc", "T0", []), ("risk", "T-1", []), ("pipeline", None, ["new"])]
    assert bench_run.carry_over([dict(name="cc", sizes=[])], None) == [dict(name="cc", sizes=[])]


def test_er_inputs_are_deterministic_and_sized(tmp_path):
    a = er.er_files(dict(records=1500, dir=str(tmp_path / "a"), binary=amlgraph_bin()))
    b = er.er_files(dict(records=1500, dir=str(tmp_path / "b"), binary=amlgraph_bin()))
    assert a["dedupe"].read_bytes() == b["dedupe"].read_bytes() and a["truth"].read_bytes() == b["truth"].read_bytes()
    assert len(a["dedupe"].read_text().splitlines()) == 1501 and len(a["truth"].read_text().splitlines()) == 1501
    before = a["dedupe"].stat().st_mtime_ns
    er.er_files(dict(records=1500, dir=str(tmp_path / "a"), binary=amlgraph_bin()))
    assert a["dedupe"].stat().st_mtime_ns == before  # reused, not regenerated


def test_er_pairwise_scores(tmp_path):
    truth = tmp_path / "truth.csv"
    truth.write_text("record_id,org_id\n1,1\n2,1\n3,1\n4,2\n5,3\n")
    clusters = tmp_path / "clusters.csv"
    # {1,2} and {3,4}: one true pair of three found, one false pair.
    clusters.write_text("record_id,cluster_id\n1,1\n2,1\n3,3\n4,3\n5,5\n")
    p, r, f1 = er.pairwise_scores(truth, clusters)
    assert (p, r) == (0.5, 1 / 3) and f1 == pytest.approx(0.4)
    clusters.write_text("record_id,cluster_id\n1,1\n2,1\n3,1\n4,4\n5,5\n")
    assert er.pairwise_scores(truth, clusters) == (1.0, 1.0, 1.0)


def test_er_workload_agrees_with_splink_on_a_tiny_dedupe(tmp_path):
    pytest.importorskip("splink")
    sizes = {"tiny": dict(records=3000, dir=str(tmp_path / "data"), binary=amlgraph_bin())}
    w = dataclasses.replace(er.WORKLOAD, sizes=sizes, default_sizes=None, targets={})
    entry = bench_run.run_workload(w, Namespace(bin=amlgraph_bin(), runs=1), None)
    size = entry["sizes"][0]
    assert set(size["samples"]) == {"amlgraph", "splink"}
    assert size["disagreements"] == [] and "pairwise P/R/F1" in size["agreement"]
    ours, theirs = size["samples"]["amlgraph"], size["samples"]["splink"]
    assert ours["pairs"] == theirs["pairs"] > 0
    for s in (ours, theirs):
        assert s["algo_s"] == pytest.approx(s["predict_s"] + s["cluster_s"], rel=1e-3, abs=1e-5)
        assert s["build_s"] == pytest.approx(s["train_s"], rel=1e-3, abs=1e-5)
        assert 0.5 < s["f1"] <= 1


def test_er_check_fails_on_a_lower_f1(tmp_path):
    files = er.er_files(dict(records=600, dir=str(tmp_path / "data"), binary=amlgraph_bin()))
    ctx = bench_run.Context(binary="", size="tiny", params={}, files=files, tmp=tmp_path)
    truth = files["truth"].read_text().splitlines()
    (tmp_path / "splink_clusters.csv").write_text("record_id,cluster_id\n" + "\n".join(truth[1:]) + "\n")
    (tmp_path / "amlgraph_clusters.csv").write_text("record_id,cluster_id\n" + "\n".join(f"{line.split(',')[0]},{line.split(',')[0]}" for line in truth[1:]) + "\n")
    samples = {"amlgraph": {"pairs": 10}, "splink": {"pairs": 10}}
    problems = er.check(ctx, samples)
    assert len(problems) == 1 and "amlgraph F1 0.0000 is more than 0.01 below Splink's 1.0000" in problems[0]
