"""pregel with --engine spark: the local engine's table (exact ids and integer states, doubles
within a tolerance: Spark sums in its own order) and independent computations (networkx BFS
levels and reachability, degrees, a numpy risk propagation)."""
import csv
import math
import random

import networkx as nx
import pytest


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    rng = random.Random(1515)
    d = tmp_path_factory.mktemp("pregel")
    n = 60
    vertices = [{"id": i, "risk": round(rng.random(), 4) if i % 7 == 0 else 0.0, "seed": int(i % 13 == 0)} for i in range(1, n + 1)]
    edges = [{"src": rng.randint(1, n), "dst": rng.randint(1, n), "w": round(rng.uniform(1, 100), 2)} for _ in range(150)]
    for name, rows in [("v.csv", vertices), ("e.csv", edges)]:
        with open(d / name, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    g = nx.MultiDiGraph()
    g.add_nodes_from(v["id"] for v in vertices)
    g.add_edges_from((e["src"], e["dst"]) for e in edges)
    return d, vertices, edges, g


def both(amlgraph, spark_remote, tmp_path, d, *args):
    base = ["pregel", "--edges", d / "e.csv", "--vertices", d / "v.csv", *args]
    amlgraph(*base, "--out", tmp_path / "local.csv")
    p = amlgraph(*base, "--engine", "spark", "--spark-remote", spark_remote, "--out", tmp_path / "spark.csv")
    local, spark = read(tmp_path / "local.csv"), read(tmp_path / "spark.csv")
    assert list(spark[0]) == list(local[0])
    assert [r["id"] for r in spark] == [r["id"] for r in local]
    return local, spark, p.stderr


def close(a, b):
    if a == "" or b == "":
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def test_risk_sum_with_history(tmp_path, amlgraph, spark_remote, graph):
    d, vertices, edges, _ = graph
    local, spark, _ = both(amlgraph, spark_remote, tmp_path, d, "--column", "score", "--init", "risk",
                           "--update", "coalesce(msg + risk, score)", "--send-to-dst", "src.score / 2",
                           "--agg", "sum", "--max-iter", "3", "--history")
    for l, s in zip(local, spark):
        assert all(close(l[k], s[k]) for k in l), (l, s)
    # Python: score_{k+1}(v) = risk(v) + sum over in-edges of score_k(u)/2, unchanged without in-edges.
    score = {v["id"]: v["risk"] for v in vertices}
    has_in = {e["dst"] for e in edges}
    for _ in range(3):
        inc = {}
        for e in edges:
            inc[e["dst"]] = inc.get(e["dst"], 0.0) + score[e["src"]] / 2
        score = {v: (vertices[v - 1]["risk"] + inc[v]) if v in has_in else score[v] for v in score}
    assert all(math.isclose(float(r["score"]), score[int(r["id"])], rel_tol=1e-9, abs_tol=1e-12) for r in spark)
    assert any(float(r["score_3"]) != float(r["score_0"]) for r in spark)


def test_bfs_levels_early_stopping(tmp_path, amlgraph, spark_remote, graph):
    d, _, _, g = graph
    local, spark, err = both(amlgraph, spark_remote, tmp_path, d, "--column", "lvl",
                             "--init", "case when seed = 1 then 0 else null end",
                             "--send-to-dst", "if(src.lvl is not null and dst.lvl is null, src.lvl + 1, null)",
                             "--agg", "min", "--update", "coalesce(lvl, msg)", "--max-iter", "50", "--early-stopping")
    assert spark == local
    seeds = [n for n in g if n % 13 == 0]
    dist = nx.multi_source_dijkstra_path_length(nx.DiGraph(g), seeds, weight=lambda *_: 1)
    assert {int(r["id"]): r["lvl"] for r in spark} == {n: str(dist[n]) if n in dist else "" for n in g}
    assert "superstep(s)" in err and int(err.split("pregel (spark): ")[1].split()[0]) == max(dist.values())


def test_count_to_src_and_int_max(tmp_path, amlgraph, spark_remote, graph):
    d, _, edges, _ = graph
    local, spark, _ = both(amlgraph, spark_remote, tmp_path, d, "--column", "k", "--init", "0",
                           "--send-to-src", "e.w", "--send-to-dst", "e.w", "--agg", "count",
                           "--update", "coalesce(msg, 0)", "--max-iter", "1")
    assert spark == local
    degree = {}
    for e in edges:
        degree[e["src"]] = degree.get(e["src"], 0) + 1
        degree[e["dst"]] = degree.get(e["dst"], 0) + 1
    assert {int(r["id"]): int(r["k"]) for r in spark} == {int(r["id"]): degree.get(int(r["id"]), 0) for r in spark}


def test_untranslatable_expression_is_refused(tmp_path, amlgraph, spark_remote, graph):
    d, _, _, _ = graph
    p = amlgraph("pregel", "--edges", d / "e.csv", "--vertices", d / "v.csv", "--column", "x", "--init", "risk",
                 "--update", "coalesce(msg, x)", "--send-to-dst", "sqrt(src.x)", "--engine", "spark",
                 "--spark-remote", spark_remote, "--out", tmp_path / "x.csv", check=False)
    assert p.returncode == 1 and "sqrt" in p.stderr and "cannot run on Spark" in p.stderr
