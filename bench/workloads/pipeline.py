"""The whole medallion pipeline (issue 8's bench): `amlgraph pipeline` from the generator's CSVs
to the Delta lake, bronze -> silver -> gold, with seconds and peak RSS per stage and per gold
scenario (`--timings-json`; each stage's own peak through /proc/self/clear_refs).

No other tool runs the whole pipeline, so there is no peer row: the report shows amlgraph's
stages, and beside the stages whose capability is benchmarked elsewhere, that workload's
amlgraph-versus-peer figures (synthetic identity -> cc, risk propagation -> risk and pagerank).

Inputs come from `amlgraph generate` (seed 42), cached in bench/data/pipeline_<E>_<T>_seed42/;
the `bank 50k/1.4M` size (issue 13's measurement: 560 s before, target 30 s) from
`amlgraph generate --world bank` (bench/workloads/bank.py), with no dedupe or identity truth.
Each run starts from an empty lake: a second run on the same lake would commit nothing.

The check reads the last run's lake with delta-rs: silver plus quarantine hold every generated
row, every gold table exists, and (generator world) every planted synthetic-identity ring member
is in gold/synthetic_identity.
"""
import os
import shutil
import subprocess
from pathlib import Path

import deltalake  # noqa: F401  (import before pyarrow, see ANCHORS.md)
import pyarrow.csv as pacsv

from harness import HERE, CapabilityPeer, Context, Target, Tool, Workload
from workloads.bank import BANK_SIZES, bank_files

SEED = 42
GOLD = ["synthetic_identity", "structuring", "structuring_levels", "roundtrips", "typologies", "typology_accounts", "risk_propagation",
        "transaction_dedupe", "entity_dedupe", "address_flags",
        "behaviour_anomaly", "alerts"]


def pipeline_files(params):
    """{data: folder of entities.csv, transactions.csv, dedupe.csv and truth_*.csv}, generated
    once per size by `amlgraph generate` (params["bin"], default the release build) into
    bench/data/ (or params["dir"]). The folder appears only once complete. A bank-world size
    (params["world"] == "bank") comes from bank_files."""
    if params.get("world") == "bank":
        return bank_files(params)
    base = Path(params.get("dir", HERE / "data"))
    folder = base / f"pipeline_{params['entities']}_{params['transactions']}_seed{SEED}"
    if not folder.exists():
        binary = params.get("bin", str(HERE.parent / ".build" / "release" / "amlgraph"))
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run([binary, "generate", "--entities", str(params["entities"]), "--transactions",
                        str(params["transactions"]), "--seed", str(SEED), "--out", str(partial), "--quiet"], check=True)
        partial.rename(folder)
    return dict(data=folder)


def amlgraph(ctx: Context):
    lake = ctx.tmp / "lake"
    shutil.rmtree(lake, ignore_errors=True)   # a fresh lake per run, or the second run would be a no-op
    return [ctx.binary, "pipeline", "--data", ctx.files["data"], "--lake", lake,
            "--timings-json", ctx.tmp / "amlgraph.timings.json", "--quiet"]


def _rows(path):
    return deltalake.DeltaTable(str(path)).to_pyarrow_dataset().count_rows()


def check(ctx: Context, samples: dict) -> list:
    lake = ctx.tmp / "lake"
    if "amlgraph" not in samples or not lake.exists():
        return []
    problems = []
    for kind, expected in [("entities", ctx.params["entities"]), ("transactions", ctx.params["transactions"])]:
        got = _rows(lake / "silver" / kind) + _rows(lake / "silver" / f"{kind}_quarantine")
        if got != expected:
            problems.append(f"silver/{kind} plus its quarantine hold {got:,} rows, generated {expected:,}")
    missing = [g for g in GOLD if not (lake / "gold" / g / "_delta_log").is_dir()]
    if missing:
        return problems + [f"gold tables missing: {', '.join(missing)}"]
    alerts = _rows(lake / "gold" / "alerts")
    samples["amlgraph"]["alerts"] = alerts
    if ctx.params.get("world") == "bank":
        ctx.agreement = (f"silver keeps all {ctx.params['transactions']:,} transactions and {ctx.params['entities']:,} "
                         f"entities (quarantine included), all {len(GOLD)} gold tables written, {alerts:,} alerts")
        return problems
    found = set(deltalake.DeltaTable(str(lake / "gold" / "synthetic_identity")).to_pyarrow_dataset()
                .to_table(columns=["entity_id"]).column("entity_id").to_pylist())
    planted = set(pacsv.read_csv(ctx.files["data"] / "truth_synthetic_identity.csv").column("entity_id").to_pylist())
    if planted - found:
        problems.append(f"{len(planted - found):,} of {len(planted):,} planted synthetic-identity members "
                        "are missing from gold/synthetic_identity")
    ctx.agreement = (f"silver keeps all {ctx.params['transactions']:,} transactions and {ctx.params['entities']:,} entities "
                     f"(quarantine included), all {len(GOLD)} gold tables written, {len(planted & found):,}/{len(planted):,} "
                     f"planted synthetic-identity members found, {alerts:,} alerts")
    return problems


WORKLOAD = Workload(
    name="pipeline",
    title="Whole pipeline: generated CSVs -> bronze -> silver -> gold Delta tables",
    sizes={
        "100k/1M": dict(entities=100_000, transactions=1_000_000),
        "1M/10M": dict(entities=1_000_000, transactions=10_000_000),
        **BANK_SIZES,
        # On request (make bench-100m): the generator writes about 12 GB of CSV.
        "10M/100M": dict(entities=10_000_000, transactions=100_000_000),
    },
    default_sizes=["100k/1M", "1M/10M", *BANK_SIZES],
    prepare=pipeline_files,
    tools=[Tool("amlgraph", amlgraph, timings_file=True, total_of=("bronze_s", "silver_s", "gold_s"))],
    reference=None,
    targets={"1M/10M": [Target("whole pipeline ≤ 60 s", "total_s", limit=60.0), Target("peak ≤ 4 GB", "rss_mb", limit=4096.0)],
             "10M/100M": [Target("whole pipeline ≤ 15 min", "total_s", limit=900.0), Target("peak ≤ 16 GB", "rss_mb", limit=16384.0)]},
    check=check,
    capability_peers=[
        CapabilityPeer("gold.synthetic_identity", "cc", "connected components",
                       note="the cc graph is the bench edge list, not the identity graph"),
        CapabilityPeer("gold.payment_graph", "cc", "graph build from columns", metric="build_s",
                       note="cc builds from a CSV edge list; the pipeline from silver's columns"),
        CapabilityPeer("gold.risk_propagation", "risk", "Pregel risk propagation",
                       note="risk runs the accelerator rule for 3 supersteps; the pipeline the weighted rule for up to 10"),
        CapabilityPeer("gold.risk_propagation", "pagerank", "iterative propagation over the payment graph",
                       note="PageRank, 20 iterations"),
    ],
)
