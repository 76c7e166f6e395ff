"""The `amlgraph algo` library cross-checked against networkx (independent implementations).

Semantics (see the headers of Sources/GraphAlgorithms/*):
- scc: labels are the smallest id of each strongly connected component;
- pagerank: GraphX arithmetic rescaled to sum V, so rank / V == networkx.pagerank at
  convergence (personalised: sums to 1 and equals networkx with a personalization vector);
- lpa: GraphFrames' synchronous rule, ties to the smallest label (networkx's LPA is
  asynchronous, so the reference is a direct Python transcription of the synchronous rule);
- shortest-paths: hops from each vertex TO each landmark along edge direction;
- triangles / kcore: the undirected simple graph (no self-loops, parallel edges once);
- cycles: networkx.simple_cycles(length_bound=L) rotated to start at the smallest id; the
  temporal mode against a brute-force enumeration of time-increasing edge sequences.
"""
import csv
import json
import random
from collections import Counter

import networkx as nx
import pytest


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def random_edges(seed, n_lo=20, n_hi=200, density=(1, 3), extras=True):
    rng = random.Random(seed)
    n = rng.randint(n_lo, n_hi)
    ids = rng.sample(range(-10**5, 10**5), n)
    m = rng.randint(density[0] * n, density[1] * n)
    edges = [(rng.choice(ids), rng.choice(ids)) for _ in range(m)]
    if extras:
        edges += edges[:4]  # parallel edges
        edges.append((ids[0], ids[0]))  # a self-loop
    return edges


def run_algo(amlgraph, tmp_path, name, edges, *args, header=("src", "dst"), extra_cols=None):
    rows = edges if extra_cols is None else [e + c for e, c in zip(edges, extra_cols)]
    write_csv(tmp_path / "e.csv", header, rows)
    amlgraph("algo", name, "--edges", tmp_path / "e.csv", "--out", tmp_path / "out.csv", "--quiet", *args)
    return read_rows(tmp_path / "out.csv")


def multidigraph(edges):
    g = nx.MultiDiGraph()
    g.add_edges_from(edges)
    return g


def simple_undirected(edges):
    g = nx.Graph()
    g.add_nodes_from(v for e in edges for v in e)
    g.add_edges_from((a, b) for a, b in edges if a != b)
    return g


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scc_matches_networkx(tmp_path, amlgraph, seed):
    edges = random_edges(seed)
    rows = run_algo(amlgraph, tmp_path, "scc", edges)
    expected = {}
    for comp in nx.strongly_connected_components(multidigraph(edges)):
        for v in comp:
            expected[str(v)] = str(min(comp))
    assert {r["id"]: r["component"] for r in rows} == expected


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_pagerank_matches_networkx(tmp_path, amlgraph, seed):
    edges = random_edges(seed)  # has dangling vertices, parallel edges and a self-loop
    rows = run_algo(amlgraph, tmp_path, "pagerank", edges, "--tol", "1e-13", "--max-iter", "10000")
    n = len(rows)
    ranks = {int(r["id"]): float(r["pagerank"]) for r in rows}
    assert sum(ranks.values()) == pytest.approx(n, rel=1e-12)
    expected = nx.pagerank(multidigraph(edges), alpha=0.85, tol=1e-15, max_iter=100000)
    for v, p in expected.items():
        assert ranks[v] / n == pytest.approx(p, abs=1e-11)


def test_pagerank_reset_probability_and_fixed_iterations(tmp_path, amlgraph):
    edges = random_edges(11)
    rows = run_algo(amlgraph, tmp_path, "pagerank", edges, "--reset-probability", "0.3", "--tol", "1e-13", "--max-iter", "10000")
    n = len(rows)
    expected = nx.pagerank(multidigraph(edges), alpha=0.7, tol=1e-15, max_iter=100000)
    for r in rows:
        assert float(r["pagerank"]) / n == pytest.approx(expected[int(r["id"])], abs=1e-11)


@pytest.mark.parametrize("seeds", [[0], [0, 3, 7]])
def test_personalised_pagerank_matches_networkx(tmp_path, amlgraph, seeds):
    edges = random_edges(21)
    ids = sorted({v for e in edges for v in e})
    seed_ids = [ids[i] for i in seeds]
    (tmp_path / "seeds.txt").write_text("\n".join(map(str, seed_ids)) + "\n")
    rows = run_algo(amlgraph, tmp_path, "pagerank", edges, "--seeds", tmp_path / "seeds.txt", "--tol", "1e-14", "--max-iter", "10000")
    ranks = {int(r["id"]): float(r["pagerank"]) for r in rows}
    assert sum(ranks.values()) == pytest.approx(1, rel=1e-12)
    expected = nx.pagerank(multidigraph(edges), alpha=0.85, personalization={s: 1 for s in seed_ids}, tol=1e-15, max_iter=100000)
    for v, p in expected.items():
        assert ranks[v] == pytest.approx(p, abs=1e-11)
    # The comma-separated form gives the same answer.
    rows2 = run_algo(amlgraph, tmp_path, "pagerank", edges, "--seeds=" + ",".join(map(str, seed_ids)), "--tol", "1e-14", "--max-iter", "10000")
    assert rows2 == rows


def synchronous_lpa(edges, steps):
    """GraphFrames' rule, transcribed: count neighbour labels over both directions (parallel
    edges per copy, a self-loop twice), take the most frequent, ties to the smallest."""
    nodes = sorted({v for e in edges for v in e})
    label = {v: v for v in nodes}
    for _ in range(steps):
        heard = {v: Counter() for v in nodes}
        for a, b in edges:
            heard[b][label[a]] += 1
            heard[a][label[b]] += 1
        new = {}
        for v in nodes:
            if not heard[v]:
                new[v] = label[v]
            else:
                top = max(heard[v].values())
                new[v] = min(l for l, c in heard[v].items() if c == top)
        label = new
    return label


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("steps", [1, 5])
def test_label_propagation_matches_synchronous_rule(tmp_path, amlgraph, seed, steps):
    edges = random_edges(seed, density=(1, 2))
    rows = run_algo(amlgraph, tmp_path, "lpa", edges, "--max-iter", str(steps))
    assert {int(r["id"]): int(r["label"]) for r in rows} == synchronous_lpa(edges, steps)


@pytest.mark.parametrize("seed", [1, 2])
def test_shortest_paths_match_networkx(tmp_path, amlgraph, seed):
    rng = random.Random(seed)
    edges = random_edges(seed, density=(1, 2))
    amounts = [(rng.randint(0, 100),) for _ in edges]
    ids = sorted({v for e in edges for v in e})
    landmarks = [ids[0], ids[len(ids) // 2], ids[-1]]
    args = ["--landmarks=" + ",".join(map(str, landmarks)), "--edge-filter", "amount >= 30", "--long"]
    rows = run_algo(amlgraph, tmp_path, "shortest-paths", edges, *args, header=("src", "dst", "amount"), extra_cols=amounts)
    kept = [e for e, (a,) in zip(edges, amounts) if a >= 30]
    g = nx.MultiDiGraph()
    g.add_nodes_from(ids)
    g.add_edges_from(kept)
    expected = set()
    for l in landmarks:
        for v, d in nx.single_source_shortest_path_length(g.reverse(copy=True), l).items():
            expected.add((v, l, d))
    assert {(int(r["id"]), int(r["landmark"]), int(r["distance"])) for r in rows} == expected
    # The wide form holds the same pairs as a JSON map per vertex.
    write_csv(tmp_path / "e.csv", ("src", "dst", "amount"), [e + a for e, a in zip(edges, amounts)])
    amlgraph("algo", "shortest-paths", "--edges", tmp_path / "e.csv", "--out", tmp_path / "w.csv", "--quiet", *args[:-1])
    wide = {(int(r["id"]), int(l), d) for r in read_rows(tmp_path / "w.csv") for l, d in json.loads(r["distances"]).items()}
    assert wide == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_triangles_match_networkx(tmp_path, amlgraph, seed):
    edges = random_edges(seed, n_hi=80, density=(3, 6))
    rows = run_algo(amlgraph, tmp_path, "triangles", edges)
    expected = nx.triangles(simple_undirected(edges))
    assert {int(r["id"]): int(r["count"]) for r in rows} == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_core_numbers_match_networkx(tmp_path, amlgraph, seed):
    edges = random_edges(seed, n_hi=150, density=(2, 5))
    rows = run_algo(amlgraph, tmp_path, "kcore", edges)
    expected = nx.core_number(simple_undirected(edges))
    assert {int(r["id"]): int(r["core"]) for r in rows} == expected


def canonical(cycle):
    i = cycle.index(min(cycle))
    return tuple(cycle[i:] + cycle[:i])


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("bound", [1, 3, 5])
def test_cycles_match_networkx_simple_cycles(tmp_path, amlgraph, seed, bound):
    edges = random_edges(seed, n_lo=15, n_hi=40, density=(2, 3))
    rows = run_algo(amlgraph, tmp_path, "cycles", edges, "--max-length", str(bound))
    got = [tuple(json.loads(r["path"])) for r in rows]
    assert len(got) == len(set(got)), "each cycle once"
    assert all(c[0] == min(c) for c in got), "rotation starts at the smallest id"
    assert all(int(r["length"]) == len(json.loads(r["path"])) for r in rows)
    g = nx.DiGraph()
    g.add_edges_from(edges)
    expected = {canonical(c) for c in nx.simple_cycles(g, length_bound=bound)}
    assert set(got) == expected
    assert got == sorted(got)


def temporal_cycles(edges, times, bound, span=None):
    out = {}
    for i, (a, b) in enumerate(edges):
        out.setdefault(a, []).append(i)
    found = set()

    def grow(path, verts):
        last = path[-1]
        for e in out.get(edges[last][1], []):
            if times[e] <= times[last] or (span is not None and times[e] - times[path[0]] > span):
                continue
            if edges[e][1] == verts[0]:
                found.add(tuple(path + [e]))
            elif edges[e][1] not in verts and len(path) + 1 < bound:
                grow(path + [e], verts + [edges[e][1]])

    for i, (a, b) in enumerate(edges):
        if a == b:
            found.add((i,))
        elif bound > 1:
            grow([i], [a, b])
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("bound,span", [(3, None), (5, None), (4, 15)])
def test_time_respecting_cycles_match_brute_force(tmp_path, amlgraph, seed, bound, span):
    rng = random.Random(seed)
    edges = random_edges(seed, n_lo=8, n_hi=15, density=(3, 4))
    times = [rng.randint(0, 60) for _ in edges]
    args = ["--max-length", str(bound), "--time-col", "t"] + (["--max-span", str(span)] if span is not None else [])
    rows = run_algo(amlgraph, tmp_path, "cycles", edges, *args, header=("src", "dst", "t"), extra_cols=[(t,) for t in times])
    got = [tuple(json.loads(r["edge_rows"])) for r in rows]
    assert len(got) == len(set(got))
    assert set(got) == temporal_cycles(edges, times, bound, span)
    for r in rows:
        rows_ = json.loads(r["edge_rows"])
        assert json.loads(r["path"]) == [edges[e][0] for e in rows_]
        assert int(r["first_time"]) == times[rows_[0]] and int(r["last_time"]) == times[rows_[-1]]


def test_string_ids_and_committed_dataset(tmp_path, amlgraph, dataset):
    tx = dataset / "transactions.csv"
    if not tx.exists():
        pytest.skip("datasets/small not present in this checkout")
    with open(tx, newline="", encoding="utf-8") as f:
        edges = [(int(r["originator_id"]), int(r["beneficiary_id"])) for r in csv.DictReader(f)]
    common = ["--edges", tx, "--src-col", "originator_id", "--dst-col", "beneficiary_id", "--quiet"]
    amlgraph("algo", "kcore", *common, "--out", tmp_path / "k.csv")
    assert {int(r["id"]): int(r["core"]) for r in read_rows(tmp_path / "k.csv")} == nx.core_number(simple_undirected(edges))
    amlgraph("algo", "pagerank", *common, "--tol", "1e-12", "--max-iter", "10000", "--out", tmp_path / "p.csv")
    rows = read_rows(tmp_path / "p.csv")
    expected = nx.pagerank(multidigraph(edges), tol=1e-14, max_iter=100000)
    for r in rows:
        assert float(r["pagerank"]) / len(rows) == pytest.approx(expected[int(r["id"])], abs=1e-10)


def test_string_vertex_ids(tmp_path, amlgraph):
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "a")]
    rows = run_algo(amlgraph, tmp_path, "cycles", edges, "--max-length", "4")
    assert [json.loads(r["path"]) for r in rows] == [["a", "b", "c"], ["a", "b", "c", "d"]]
    rows = run_algo(amlgraph, tmp_path, "shortest-paths", edges, "--landmarks", "a", "--long")
    assert {r["id"]: int(r["distance"]) for r in rows} == {"a": 0, "b": 2, "c": 1, "d": 1}
