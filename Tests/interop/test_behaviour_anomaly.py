"""Behavioural anomaly scores (`amlgraph anomaly`, gold table behaviour_anomaly).

1. Every feature is recomputed independently in Python from the CSVs and must agree.
2. The score is recomputed with numpy/scipy from the tool's own features: median/MAD
   standardisation, upper-tail clip, MCD-lite concentration steps with a shrunk covariance,
   Mahalanobis distance via numpy's Cholesky and a triangular solve.
3. Detection quality against the generator's planted patterns (truth_pattern_entities.csv):
   ROC AUC of the score for the launderers (structuring, round-trip, cycle and stack members
   and every hub) against background must be at least 0.8. The AUC over all planted entities
   is printed: members of fan-in/fan-out/scatter-gather/gather-scatter/bipartite patterns
   make one ordinary-sized transfer among their background traffic and are not separable
   from per-entity behaviour alone.
"""
import csv
import datetime
from collections import defaultdict

import numpy as np
import pytest
from scipy.linalg import solve_triangular
from scipy.stats import rankdata

NAMES = ["in_degree", "out_degree", "in_amount_sum", "in_amount_mean", "in_amount_max",
         "out_amount_sum", "out_amount_mean", "out_amount_max", "in_counterparties", "out_counterparties",
         "near_threshold_share", "velocity", "active_days", "rapid_forwards"]
WINDOW = 72 * 3600.0


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def seconds(ts):
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def features(entities, txns):
    ids = [int(e["entity_id"]) for e in entities]
    ix = {v: i for i, v in enumerate(ids)}
    n = len(ids)
    F = {k: np.zeros(n) for k in NAMES}
    cps = {"in": [set() for _ in range(n)], "out": [set() for _ in range(n)]}
    days = [set() for _ in range(n)]
    flows = {"in": defaultdict(list), "out": defaultdict(list)}
    near = np.zeros(n)
    for t in txns:
        o, b, a = int(t["originator_id"]), int(t["beneficiary_id"]), float(t["txn_amount"])
        s = seconds(t["txn_ts"])
        for side, me, other in (("out", o, b), ("in", b, o)):
            i = ix.get(me)
            if i is None:
                continue
            F[side + "_degree"][i] += 1
            F[side + "_amount_sum"][i] += a
            F[side + "_amount_max"][i] = max(F[side + "_amount_max"][i], a)
            cps[side][i].add(other)
            days[i].add(t["txn_ts"][:10])
            near[i] += 8000 <= a < 10000
            flows[side][i].append((s, a))
    for side in ("in", "out"):
        deg = F[side + "_degree"]
        F[side + "_amount_mean"] = np.where(deg > 0, F[side + "_amount_sum"] / np.maximum(deg, 1), 0)
        F[side + "_counterparties"] = np.array([len(c) for c in cps[side]], float)
    total = F["in_degree"] + F["out_degree"]
    F["near_threshold_share"] = np.where(total > 0, near / np.maximum(total, 1), 0)
    F["active_days"] = np.array([len(d) for d in days], float)
    F["velocity"] = np.where(F["active_days"] > 0, total / np.maximum(F["active_days"], 1), 0)
    for i in range(n):
        F["rapid_forwards"][i] = sum(
            any(si <= so <= si + WINDOW and 0.5 * ai <= ao <= 5 * ai for si, ai in flows["in"][i])
            for so, ao in flows["out"][i])
    return ids, np.column_stack([F[k] for k in NAMES])


def robust_scores(Z, support=0.75, shrinkage=0.2, steps=3):
    med = np.median(Z, 0)
    mad = np.median(np.abs(Z - med), 0) * 1.4826
    mean_abs = np.mean(np.abs(Z - med), 0) * 1.2533
    scale = np.where(mad > 0, mad, mean_abs)
    const = scale == 0
    Z = np.maximum((Z - med) / np.where(const, 1, scale), 0)
    Z[:, const] = 0
    n, p = Z.shape
    h = min(n, max(min(n, p + 1), int(np.ceil(support * n))))
    d2 = (Z ** 2).sum(1)
    for _ in range(steps):
        H = np.argsort(d2, kind="stable")[:h]
        mu = Z[H].mean(0)
        D = Z[H] - mu
        C = (1 - shrinkage) * (D.T @ D) / max(h - 1, 1) + shrinkage * np.eye(p)
        L = np.linalg.cholesky(C)
        W = solve_triangular(L, (Z - mu).T, lower=True)
        d2 = (W ** 2).sum(0)
    return np.sqrt(d2)


def transform(X):
    Z = X.copy()
    logs = [k != "near_threshold_share" for k in NAMES]
    Z[:, logs] = np.log1p(Z[:, logs])
    return Z


def roc_auc(scores, labels):
    r = rankdata(scores)
    pos = labels.sum()
    neg = len(labels) - pos
    return (r[labels].sum() - pos * (pos + 1) / 2) / (pos * neg)


@pytest.fixture(scope="module")
def result(tmp_path_factory, amlgraph, dataset):
    out = tmp_path_factory.mktemp("anomaly") / "ba.csv"
    amlgraph("anomaly", "--transactions", dataset / "transactions.csv", "--entities", dataset / "entities.csv",
             "--out", out, "--quiet")
    rows = read(out)
    return rows


def test_columns_and_ranks(result):
    assert list(result[0].keys()) == ["entity_id", *NAMES, "score", "rank"]
    assert [int(r["rank"]) for r in result] == list(range(1, len(result) + 1))
    scores = [float(r["score"]) for r in result]
    assert scores == sorted(scores, reverse=True)


def test_features_match_python(result, dataset):
    ids, X = features(read(dataset / "entities.csv"), read(dataset / "transactions.csv"))
    got = {int(r["entity_id"]): r for r in result}
    G = np.array([[float(got[i][k]) for k in NAMES] for i in ids])
    np.testing.assert_allclose(G, X, rtol=1e-9, atol=1e-9)


def test_scores_match_numpy(result):
    G = np.array([[float(r[k]) for k in NAMES] for r in result])
    want = robust_scores(transform(G))
    got = np.array([float(r["score"]) for r in result])
    np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-8)


def test_planted_launderers_rank_above_background(result, dataset):
    truth = read(dataset / "truth_pattern_entities.csv")
    planted = {int(r["entity_id"]) for r in truth}
    launderers = {int(r["entity_id"]) for r in truth
                  if r["pattern_type"] in ("structuring", "roundtrip", "cycle", "stack") or r["role"] == "hub"}
    ids = np.array([int(r["entity_id"]) for r in result])
    scores = np.array([float(r["score"]) for r in result])
    is_planted = np.array([i in planted for i in ids])
    is_launderer = np.array([i in launderers for i in ids])
    keep = ~is_planted | is_launderer
    auc_launderers = roc_auc(scores[keep], is_launderer[keep])
    auc_all = roc_auc(scores, is_planted)
    print(f"ROC AUC launderers vs background {auc_launderers:.3f} ({is_launderer.sum()} launderers); "
          f"all planted vs background {auc_all:.3f} ({is_planted.sum()} planted)")
    assert auc_launderers >= 0.8


def test_patterns_are_not_an_input(amlgraph, dataset, tmp_path):
    """The profile is behaviour only: detector findings are alert reasons of their own."""
    proc = amlgraph("anomaly", "--transactions", dataset / "transactions.csv", "--entities", dataset / "entities.csv",
                    "--patterns", tmp_path / "p.csv", "--out", tmp_path / "ba.csv", "--quiet", check=False)
    assert proc.returncode != 0 and "--patterns" in proc.stderr


def test_features_mode_matches_numpy(tmp_path, amlgraph):
    rng = np.random.default_rng(7)
    X = rng.lognormal(size=(3000, 6))
    X[:, 5] = (rng.random(3000) < 0.05).astype(float)  # MAD 0: mean-absolute-deviation fallback
    path = tmp_path / "f.csv"
    with open(path, "w") as f:
        f.write("entity_id," + ",".join(f"f{j}" for j in range(6)) + "\n")
        for i, row in enumerate(X):
            f.write(f"{i}," + ",".join(repr(float(v)) for v in row) + "\n")
    amlgraph("anomaly", "--features", path, "--out", tmp_path / "s.csv", "--quiet")
    got = {int(r["entity_id"]): float(r["score"]) for r in read(tmp_path / "s.csv")}
    np.testing.assert_allclose([got[i] for i in range(3000)], robust_scores(X), rtol=1e-8, atol=1e-8)
