"""Spectral columns of the synthetic-identity output (`community`, `bridge_score`).

An entities file with larger, loosely knit identity components is generated here (small pools
of addresses, emails and phones, so values are shared along chains). Independently:
- the entity graph is built with networkx (entities joined when they share a trimmed,
  case-folded-for-email value held by two or more entities, weight = number of shared values);
- bridge scores come from networkx articulation points and the components of G − v;
- the Fiedler vector comes from numpy's eigh of the normalised Laplacian I − D^{-1/2} W D^{-1/2};
  entities split by its sign and each side is named by its smallest entity id.
Components whose second and third eigenvalues are within 1e-6 (Fiedler vector not unique),
or with an entry within 1e-8 of zero, are skipped for the split comparison.
"""
import csv
import random
from collections import defaultdict

import networkx as nx
import numpy as np

COLS = [("address", "address"), ("email", "email_addr"), ("phone", "phone_number"), ("ssn", "ssn")]


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def make_entities(path, n=600, seed=11):
    rng = random.Random(seed)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["entity_id", "name", "address", "email_addr", "phone_number", "ssn"])
        for i in range(1, n + 1):
            def pick(prefix, pool, p):
                return f"{prefix}{rng.randrange(pool)}" if rng.random() < p else f"{prefix}-own-{i}"
            w.writerow([i, f"P{i}", pick("addr", 350, 0.6), pick("mail", 500, 0.4), pick("tel", 500, 0.4), pick("ssn", 3000, 0.3)])


def entity_graph(entities):
    holders = defaultdict(set)
    for e in entities:
        for t, col in COLS:
            v = e[col].strip()
            if not v:
                continue
            if t == "email":
                v = v.lower()
            holders[(t, v)].add(int(e["entity_id"]))
    g = nx.Graph()
    for ids in holders.values():
        if len(ids) < 2:
            continue
        ids = sorted(ids)
        for a in ids:
            g.add_node(a)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    return g


def bridge_scores(g):
    out = {}
    for comp in nx.connected_components(g):
        sub = g.subgraph(comp)
        for v in comp:
            out[v] = 0.0
        for v in nx.articulation_points(sub):
            rest = sub.copy()
            rest.remove_node(v)
            sizes = [len(c) for c in nx.connected_components(rest)]
            out[v] = (len(comp) - 1 - max(sizes)) / (len(comp) - 1)
    return out


def test_bridge_scores_match_networkx(tmp_path, amlgraph):
    make_entities(tmp_path / "e.csv")
    amlgraph("synthetic-ids", "--entities", tmp_path / "e.csv", "--out", tmp_path / "si.csv", "--quiet", "--spectral")
    got = {int(r["entity_id"]): float(r["bridge_score"]) for r in read(tmp_path / "si.csv")}
    want = bridge_scores(entity_graph(read(tmp_path / "e.csv")))
    assert set(got) == set(want)
    assert sum(1 for v in want.values() if v > 0) >= 20, "the fixture should have articulation points"
    for eid, w in want.items():
        assert abs(got[eid] - w) < 1e-12, eid


def test_fiedler_split_matches_numpy(tmp_path, amlgraph):
    make_entities(tmp_path / "e.csv")
    amlgraph("synthetic-ids", "--entities", tmp_path / "e.csv", "--out", tmp_path / "si.csv", "--quiet",
             "--spectral", "--spectral-min-size", 4)
    rows = {int(r["entity_id"]): r for r in read(tmp_path / "si.csv")}
    g = entity_graph(read(tmp_path / "e.csv"))
    checked = split = 0
    for comp in nx.connected_components(g):
        nodes = sorted(comp)
        if len(nodes) < 4:
            for v in nodes:
                assert int(rows[v]["community"]) == int(rows[v]["component"])
            continue
        W = nx.to_numpy_array(g, nodelist=nodes, weight="weight")
        s = 1 / np.sqrt(W.sum(1))
        L = np.eye(len(nodes)) - s[:, None] * W * s[None, :]
        vals, vecs = np.linalg.eigh(L)
        f = vecs[:, 1]
        if vals[2] - vals[1] < 1e-6 or np.min(np.abs(f)) < 1e-8:
            continue
        side = f >= 0
        names = {True: min(n for n, sd in zip(nodes, side) if sd) if side.any() else None,
                 False: min(n for n, sd in zip(nodes, side) if not sd) if (~side).any() else None}
        for v, sd in zip(nodes, side):
            assert int(rows[v]["community"]) == names[bool(sd)], (v, nodes[:5])
        checked += 1
        split += len(set(int(rows[v]["community"]) for v in nodes)) == 2
    print(f"Fiedler splits checked in {checked} components ({split} split in two)")
    assert checked >= 5
