"""Risk propagation with --engine spark: the local engine's table (scores within 1e-9
relative, hops and contributors identical up to float formatting), and both rules checked
against a plain-Python superstep loop."""
import csv
import math
from collections import defaultdict

import pytest


def read_rows(path):
    with open(path, newline="") as f:
        return {r["entity_id"]: r for r in csv.DictReader(f)}


def python_scores(tx_path, ent_path, rule, rounds, decay=0.5, cap=0.0, threshold=0.0):
    """The propagation written out directly from the rule's definition (RiskCommand --help)."""
    with open(ent_path, newline="") as f:
        base = {r["entity_id"]: float(r["risk_score"] or 0) for r in csv.DictReader(f)}
    with open(tx_path, newline="") as f:
        edges = [(r["originator_id"], r["beneficiary_id"], float(r["txn_amount"] or 0)) for r in csv.DictReader(f)]
    seed = {v: (b if b > 0 and b >= threshold else 0.0) for v, b in base.items()}
    outflow = defaultdict(float)
    for s, _, a in edges:
        outflow[s] += max(0.0, a)
    share = [0.5 if rule == "accelerator" else (decay * max(0.0, a) / outflow[s] if outflow[s] > 0 else 0.0) for s, _, a in edges]
    bound = cap if cap > 0 else max(base.values())
    state = dict(seed)
    for _ in range(rounds):
        msg = {}
        for (s, d, _), w in zip(edges, share):
            msg[d] = msg.get(d, 0.0) + state[s] * w
        new = {}
        for v in state:
            if v not in msg:
                new[v] = state[v]
            elif rule == "accelerator":
                new[v] = msg[v] + seed[v]
            else:
                new[v] = min(max(bound, seed[v]), max(0.0, msg[v] + seed[v]))
        state = new
    return {v: max(state[v], base[v]) for v in state}


def parse_contributors(text):
    if not text:
        return []
    return [(p.rsplit(":", 1)[0], float(p.rsplit(":", 1)[1])) for p in text.split("|")]


@pytest.fixture(scope="module")
def generated(tmp_path_factory, amlgraph):
    out = tmp_path_factory.mktemp("gen")
    amlgraph("generate", "--entities", 500, "--transactions", 2500, "--seed", 3, "--out", out)
    return out


@pytest.mark.parametrize("rule,extra", [("accelerator", []), ("weighted", ["--decay", "0.6", "--seed-threshold", "0.5"])])
def test_spark_matches_local_engine_and_python(tmp_path, amlgraph, spark_remote, generated, rule, extra):
    tx, ent = generated / "transactions.csv", generated / "entities.csv"
    args = ["risk", "--transactions", tx, "--entities", ent, "--rule", rule, "--max-iter", 4, "--history", *extra]
    amlgraph(*args, "--out", tmp_path / "local.csv")
    amlgraph(*args, "--engine", "spark", "--spark-remote", spark_remote, "--out", tmp_path / "spark.csv")
    local, spark = read_rows(tmp_path / "local.csv"), read_rows(tmp_path / "spark.csv")
    assert list(spark) == list(local)  # same entities, same order
    with open(tmp_path / "spark.csv", newline="") as f:
        assert csv.DictReader(f).fieldnames == ["entity_id", "base_risk", "risk_score", "hops_from_seed", "top_contributors",
                                                "risk_score_0", "risk_score_1", "risk_score_2", "risk_score_3", "risk_score_4"]
    threshold = 0.5 if rule == "weighted" else 0.0
    decay = 0.6 if rule == "weighted" else 0.5
    expected = python_scores(tx, ent, rule, 4, decay=decay, threshold=threshold)
    reached = 0
    for v, row in spark.items():
        ref = local[v]
        for col in ["base_risk", "risk_score"] + [f"risk_score_{k}" for k in range(5)]:
            assert math.isclose(float(row[col]), float(ref[col]), rel_tol=1e-9, abs_tol=1e-12), (v, col)
        assert math.isclose(float(row["risk_score"]), expected[v], rel_tol=1e-9, abs_tol=1e-12), v
        assert row["hops_from_seed"] == ref["hops_from_seed"], v
        got, want = parse_contributors(row["top_contributors"]), parse_contributors(ref["top_contributors"])
        assert [p for p, _ in got] == [p for p, _ in want], v
        for (_, a), (_, b) in zip(got, want):
            assert math.isclose(a, b, rel_tol=1e-9), v
        reached += row["hops_from_seed"] not in ("", "0")
    assert reached > 0  # the propagation reached someone: the comparison is not vacuous
