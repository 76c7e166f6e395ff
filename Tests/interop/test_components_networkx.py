"""Connected components cross-checked against networkx (an independent implementation).

GraphFrames semantics: weak components ignore direction; each vertex is labelled with the
smallest id in its component (integer order for integers, byte order for strings).
"""
import csv
import random

import networkx as nx
import pytest


def read_labels(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {row["id"]: row["component"] for row in csv.DictReader(f)}


def expected_labels(edges, strong=False, key=lambda x: x):
    g = nx.MultiDiGraph()
    g.add_edges_from(edges)
    comps = nx.strongly_connected_components(g) if strong else nx.weakly_connected_components(g)
    labels = {}
    for comp in comps:
        smallest = min(comp, key=key)
        for v in comp:
            labels[str(v)] = str(smallest)
    return labels


def write_edges(path, edges, header=("src", "dst")):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(edges)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("strong", [False, True])
def test_random_multigraphs_with_integer_ids(tmp_path, amlgraph, seed, strong):
    rng = random.Random(seed)
    n = rng.randint(20, 400)
    ids = rng.sample(range(-10**6, 10**6), n)
    edges = [(rng.choice(ids), rng.choice(ids)) for _ in range(rng.randint(n // 2, 2 * n))]
    edges += edges[:5]  # parallel edges
    edges.append((ids[0], ids[0]))  # a self-loop
    write_edges(tmp_path / "e.csv", edges)
    args = ["components", "--edges", tmp_path / "e.csv", "--out", tmp_path / "c.csv"]
    amlgraph(*(args + (["--strong"] if strong else [])))
    assert read_labels(tmp_path / "c.csv") == expected_labels(edges, strong)


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_random_multigraphs_with_string_ids(tmp_path, amlgraph, seed):
    rng = random.Random(seed)
    names = ["acct-" + "".join(rng.choice("abcXYZ019é,\"") for _ in range(rng.randint(1, 6))) for _ in range(150)]
    names = sorted(set(names))
    edges = [(rng.choice(names), rng.choice(names)) for _ in range(120)]
    write_edges(tmp_path / "e.csv", edges)
    amlgraph("components", "--edges", tmp_path / "e.csv", "--out", tmp_path / "c.csv")
    byte_order = lambda s: s.encode("utf-8")
    assert read_labels(tmp_path / "c.csv") == expected_labels(edges, key=byte_order)


def test_committed_dataset_matches_networkx(tmp_path, amlgraph, dataset):
    tx = dataset / "transactions.csv"
    amlgraph("components", "--edges", tx, "--src-col", "originator_id", "--dst-col", "beneficiary_id", "--out", tmp_path / "c.csv")
    with open(tx, newline="", encoding="utf-8") as f:
        edges = [(int(r["originator_id"]), int(r["beneficiary_id"])) for r in csv.DictReader(f)]
    assert read_labels(tmp_path / "c.csv") == expected_labels(edges)
