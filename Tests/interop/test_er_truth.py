"""Organisation dedupe measured against the generator's ground truth
(datasets/small/truth_dedupe.csv: record_id -> org_id). amlgraph trains and resolves with
datasets/small/dedupe_settings.json; precision, recall and F1 of the pairs at match
probability >= 0.9, and of the pairs within the clusters at 0.9, are computed here in Python
from the written CSVs and must equal the counts stored in datasets/small/golden_er_quality.json.

Independent check: Splink 5 (DuckDB) loads the same settings (minus amlgraph's "training"
object), runs the same training steps, predicts, and its pairwise F1 at 0.9 is computed the
same way; amlgraph's F1 must be no lower than Splink's minus 0.01. The golden file also records
Splink's counts, which must still hold."""
import csv
import itertools
import json
from collections import defaultdict

import pytest

duckdb = pytest.importorskip("duckdb")
splink = pytest.importorskip("splink")

THRESHOLD = 0.9


def _truth_pairs(dataset):
    groups = defaultdict(list)
    for r in csv.DictReader(open(dataset / "truth_dedupe.csv")):
        groups[r["org_id"]].append(int(r["record_id"]))
    return {tuple(sorted(p)) for g in groups.values() for p in itertools.combinations(g, 2)}


def _quality(predicted, truth):
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(truth) if truth else 1.0
    return {"true_positives": tp, "predicted_pairs": len(predicted), "true_pairs": len(truth),
            "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _cluster_pairs(path):
    members = defaultdict(list)
    for r in csv.DictReader(open(path)):
        members[r["cluster_id"]].append(int(r["record_id"]))
    return {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(m, 2)}


def _splink_pairs(dataset):
    from splink import DuckDBAPI, Linker

    settings = json.loads((dataset / "dedupe_settings.json").read_text())
    training = settings.pop("training")
    con = duckdb.connect()
    linker = Linker(DuckDBAPI(connection=con).register(con.read_csv(str(dataset / "dedupe.csv"))), settings)
    linker.training.estimate_probability_two_random_records_match(training["deterministic_rules"], recall=training["recall"])
    # Exhaustive u, as amlgraph's: 264 records give fewer pairs than max_pairs (see test_splink_training.py).
    linker.training.estimate_u_using_random_sampling(max_pairs=training["max_pairs"], seed=training["seed"],
                                                     min_count_per_level=None)
    for rule in training["em_blocking_rules"]:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    rel = linker.inference.predict(threshold_match_probability=THRESHOLD).as_duckdbpyrelation()
    cols = rel.columns
    rows = [dict(zip(cols, r)) for r in rel.fetchall()]
    return {tuple(sorted((int(d["record_id_l"]), int(d["record_id_r"])))) for d in rows if d["match_probability"] >= THRESHOLD}


@pytest.fixture(scope="module")
def amlgraph_run(amlgraph, dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("er")
    amlgraph("resolve", "--input", str(dataset / "dedupe.csv"), "--settings", str(dataset / "dedupe_settings.json"), "--train",
             "--threshold", str(THRESHOLD), "--out", str(out / "pairs.csv"), "--clusters", str(out / "clusters.csv"), "--quiet")
    pairs = {tuple(sorted((int(r["record_id_l"]), int(r["record_id_r"])))) for r in csv.DictReader(open(out / "pairs.csv"))}
    assert all(float(r["match_probability"]) >= THRESHOLD for r in csv.DictReader(open(out / "pairs.csv")))
    return pairs, _cluster_pairs(out / "clusters.csv")


COUNTS = ("true_positives", "predicted_pairs", "true_pairs")


def _check(measured, stored, where):
    for k in COUNTS:
        assert measured[k] == stored[k], (where, k, measured[k], stored[k])
    for k in ("precision", "recall", "f1"):
        assert measured[k] == pytest.approx(stored[k], abs=5e-4), (where, k, measured[k], stored[k])


def test_amlgraph_quality_matches_golden(dataset, amlgraph_run):
    golden = json.loads((dataset / "golden_er_quality.json").read_text())
    truth = _truth_pairs(dataset)
    pairs, clustered = amlgraph_run
    _check(_quality(pairs, truth), golden["amlgraph"]["pairs"], "amlgraph pairs")
    _check(_quality(clustered, truth), golden["amlgraph"]["clusters"], "amlgraph clusters")


def test_amlgraph_f1_no_lower_than_splink(dataset, amlgraph_run):
    golden = json.loads((dataset / "golden_er_quality.json").read_text())
    truth = _truth_pairs(dataset)
    theirs = _quality(_splink_pairs(dataset), truth)
    _check(theirs, golden["splink"]["pairs"], "splink pairs")
    ours = _quality(amlgraph_run[0], truth)
    assert ours["f1"] >= theirs["f1"] - 0.01, (ours, theirs)
