"""Entity resolution: train, predict and cluster a generated organisation dedupe (issue 6),
amlgraph against Splink 5 on DuckDB with the same settings and the same training steps.

Input: `amlgraph generate --dedupe-records N` (seed 1): org_name, address, country, amount,
about 2.4 noisy records per organisation, and truth_dedupe.csv. The vocabulary is small, so
at 1M records many organisations share a name or a street: blocking has to combine columns.

Settings (one JSON file, read by both tools; Splink's keys plus amlgraph's "training" object):
- comparisons: org_name Jaro-Winkler ≥ 0.9 / 0.7 with TF, address Levenshtein ≤ 1 / 3 with
  TF, country exact, amount |Δ| ≤ 1,000 / ≤ 10,000 (copies never repeat an amount exactly).
  They compare the raw, case-sensitive text (amlgraph's levels take plain columns), so the
  upper-cased copies the generator writes score low: both tools recall about half of the
  true pairs at 0.9, with precision near 1;
- prediction blocking, OR-ed: the first 5 letters of the name and 8 of the address
  (house number and street), the whole name and the first 4 of the address, the whole
  address, and the first 12 of the address (a postcode-like street key), all lower-cased.
  76k pairs at 50k records and 12.4M at 1M, which hold about 97% of the true pairs;
- training: λ from "same name and same address" with recall 0.3 (those rules find about 29%
  of the true pairs), u from 10M random pairs (seed 1; at 1M records a sample of 1M pairs may not see one exact address match, and an unobserved level falls back to Splink's default u, so the two tools' models would differ by sampling luck), EM under "same address" (estimates name, country, amount) and under "same name,
  same country and amount in the same band of e^0.2" (estimates address).

Timings, per tool: load = read the CSV; build = train (λ, u, both EM sessions);
algo = predict (block and score every pair) + cluster at 0.9. Both also report train_s,
predict_s, cluster_s, pairs and pairs_per_s (pairs / predict_s). amlgraph's come from
`resolve --timings-json`; Splink's from bench/peers/splink_dedupe.py.

The check scores each tool's clusters against truth_dedupe.csv with pairwise precision,
recall and F1 (record pairs in one cluster versus pairs of one organisation) and fails when
amlgraph's F1 is more than 0.01 below Splink's, or when the tools block different numbers
of pairs (both implement Splink's OR-ed rules exactly).
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv

from harness import HERE, PEERS, PY, Context, Target, Tool, Workload

THRESHOLD = 0.9

SIZES = {
    "50k": dict(records=50_000),
    "1M": dict(records=1_000_000),
}


def _level(sql, label, **extra):
    return dict(sql_condition=sql, label_for_charts=label, **extra)


def _null(c):
    return _level(f'"{c}_l" IS NULL OR "{c}_r" IS NULL', f"{c} is NULL", is_null_level=True)


def _exact(c, tf=False):
    extra = dict(tf_adjustment_column=c, tf_adjustment_weight=1.0) if tf else {}
    return _level(f'"{c}_l" = "{c}_r"', f"Exact match on {c}", **extra)


ELSE = _level("ELSE", "All other comparisons")

SETTINGS = {
    "link_type": "dedupe_only",
    "unique_id_column_name": "record_id",
    "blocking_rules_to_generate_predictions": [
        "substr(lower(l.org_name),1,5) = substr(lower(r.org_name),1,5) and substr(lower(l.address),1,8) = substr(lower(r.address),1,8)",
        "lower(l.org_name) = lower(r.org_name) and substr(l.address,1,4) = substr(r.address,1,4)",
        "lower(l.address) = lower(r.address)",
        "substr(lower(l.address),1,12) = substr(lower(r.address),1,12)",
    ],
    "comparisons": [
        dict(output_column_name="org_name", comparison_description="JaroWinklerAtThresholds", comparison_levels=[
            _null("org_name"), _exact("org_name", tf=True),
            _level('jaro_winkler_similarity("org_name_l", "org_name_r") >= 0.9', "Jaro-Winkler of org_name >= 0.9"),
            _level('jaro_winkler_similarity("org_name_l", "org_name_r") >= 0.7', "Jaro-Winkler of org_name >= 0.7"),
            ELSE]),
        dict(output_column_name="address", comparison_description="LevenshteinAtThresholds", comparison_levels=[
            _null("address"), _exact("address", tf=True),
            _level('levenshtein("address_l", "address_r") <= 1', "Levenshtein of address <= 1"),
            _level('levenshtein("address_l", "address_r") <= 3', "Levenshtein of address <= 3"),
            ELSE]),
        dict(output_column_name="country", comparison_description="ExactMatch", comparison_levels=[
            _null("country"), _exact("country"), ELSE]),
        dict(output_column_name="amount", comparison_description="AbsoluteDifference", comparison_levels=[
            _null("amount"),
            _level('ABS("amount_l" - "amount_r") <= 1000', "Absolute difference of amount <= 1000"),
            _level('ABS("amount_l" - "amount_r") <= 10000', "Absolute difference of amount <= 10000"),
            ELSE]),
    ],
    "training": {
        "deterministic_rules": ["lower(l.org_name) = lower(r.org_name) and lower(l.address) = lower(r.address)"],
        "recall": 0.3,
        "max_pairs": 10_000_000,
        "seed": 1,
        "em_blocking_rules": [
            "lower(l.address) = lower(r.address)",
            "l.org_name = r.org_name and l.country = r.country and floor(ln(l.amount)*5) = floor(ln(r.amount)*5)",
        ],
    },
}


def _binary(params):
    return params.get("binary") or os.environ.get("AMLGRAPH_BIN") or str(HERE.parent / ".build" / "release" / "amlgraph")


def er_files(params):
    """{dedupe, truth, settings}: `amlgraph generate --dedupe-records N --seed 1`, cached in
    bench/data/er_<N>/ (or params["dir"]); the settings JSON is rewritten every run."""
    out = Path(params.get("dir", HERE / "data")) / f"er_{params['records']}"
    dedupe, truth = out / "dedupe.csv", out / "truth_dedupe.csv"
    if not (dedupe.exists() and truth.exists()):
        # Generated into a scratch directory and renamed, so an interrupted run leaves no
        # partial files that a later run would reuse.
        tmp = out.with_name(out.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run([_binary(params), "generate", "--entities", "1000", "--transactions", "20000",
                        "--dedupe-records", str(params["records"]), "--seed", "1", "--out", str(tmp), "--quiet"],
                       check=True, capture_output=True)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("dedupe.csv", "truth_dedupe.csv"):
            (tmp / name).rename(out / name)
        shutil.rmtree(tmp, ignore_errors=True)
    settings = out / "settings.json"
    settings.write_text(json.dumps(SETTINGS, indent=1) + "\n")
    return dict(dedupe=dedupe, truth=truth, settings=settings)


def amlgraph(ctx: Context):
    return [ctx.binary, "resolve", "--input", ctx.files["dedupe"], "--settings", ctx.files["settings"], "--train",
            "--threshold", THRESHOLD, "--out", ctx.tmp / "amlgraph_pairs.csv", "--clusters", ctx.tmp / "amlgraph_clusters.csv",
            "--timings-json", ctx.tmp / "amlgraph.timings.json", "--quiet"]


def splink(ctx: Context):
    return [PY, PEERS / "splink_dedupe.py", ctx.files["dedupe"], ctx.files["settings"], THRESHOLD,
            ctx.tmp / "splink_clusters.csv"]


def _labels(path, ids_column, cluster_column):
    t = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(include_columns=[ids_column, cluster_column]))
    ids = t.column(ids_column).to_numpy()
    _, cluster = np.unique(t.column(cluster_column).to_numpy(), return_inverse=True)
    return ids, cluster


def _pairs_within(groups):
    counts = np.unique(groups, return_counts=True)[1].astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pairwise_scores(truth_path, clusters_path):
    """(precision, recall, F1) of the record pairs sharing a cluster against those sharing an
    organisation, from the contingency of (cluster, organisation): O(records log records)."""
    tid, org = _labels(truth_path, "record_id", "org_id")
    cid, cluster = _labels(clusters_path, "record_id", "cluster_id")
    if len(tid) != len(cid) or set(tid.tolist()) != set(cid.tolist()):
        raise ValueError(f"{clusters_path}: clusters {len(cid)} records, {truth_path} has {len(tid)}: expected the same record ids")
    org_of = np.empty(int(tid.max()) + 1, dtype=np.int64)
    org_of[tid] = org
    org = org_of[cid]
    predicted, true = _pairs_within(cluster), _pairs_within(org)
    both = _pairs_within(cluster.astype(np.int64) * (int(org.max()) + 1) + org)
    p = both / predicted if predicted else 1.0
    r = both / true if true else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def check(ctx: Context, samples: dict) -> list:
    scored = {}
    for tool, path in (("amlgraph", "amlgraph_clusters.csv"), ("splink", "splink_clusters.csv")):
        if tool in samples and (ctx.tmp / path).exists():
            p, r, f1 = pairwise_scores(ctx.files["truth"], ctx.tmp / path)
            samples[tool].update(precision=p, recall=r, f1=f1)
            scored[tool] = (p, r, f1)
    if not scored:
        return []
    ctx.agreement = "pairwise P/R/F1 at p ≥ 0.9 against truth_dedupe.csv: " + ", ".join(
        f"{t} {p:.4f}/{r:.4f}/{f:.4f} ({samples[t].get('pairs', 0):,} pairs)" for t, (p, r, f) in scored.items())
    problems = []
    if "amlgraph" in scored and "splink" in scored:
        if scored["amlgraph"][2] < scored["splink"][2] - 0.01:
            problems.append(f"amlgraph F1 {scored['amlgraph'][2]:.4f} is more than 0.01 below Splink's {scored['splink'][2]:.4f}")
        if samples["amlgraph"].get("pairs") != samples["splink"].get("pairs"):
            problems.append(f"amlgraph blocked {samples['amlgraph'].get('pairs')} pairs, Splink {samples['splink'].get('pairs')}")
    return problems


def _targets():
    return [
        Target("train + predict + cluster ≥3× Splink", "total_s", peer="splink", factor=3.0),
        Target("predict ≥ 2M pairs/s", "pairs_per_s", limit=2e6, higher_is_better=True),
        Target("F1 ≥ Splink's", "f1", peer="splink", higher_is_better=True),
    ]


WORKLOAD = Workload(
    name="er",
    title="Entity resolution: train, predict and cluster an organisation dedupe",
    sizes=SIZES,
    default_sizes=["50k"],
    prepare=er_files,
    tools=[
        Tool("amlgraph", amlgraph, timings_file=True),
        Tool("splink", splink),
    ],
    reference="splink",
    targets={size: _targets() for size in SIZES},
    check=check,
)
