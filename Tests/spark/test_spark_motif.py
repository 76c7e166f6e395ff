"""motif with --engine spark: the local engine's rows and columns exactly, and the matches a
plain-Python enumeration finds from the definitions (homomorphic matching, distinct
vertices, time order along the pattern, window, negation with distinct rows)."""
import csv
import datetime as dt
import random
from itertools import product

import pytest

T0 = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    """40 accounts, 160 payments (parallel edges and self-loops included), over 20 days."""
    rng = random.Random(15)
    d = tmp_path_factory.mktemp("motif")
    vertices = [{"id": i, "country": rng.choice(["DE", "FR", "NL"]), "risk": round(rng.random(), 3)} for i in range(1, 41)]
    edges = []
    for k in range(160):
        s = rng.randint(1, 40)
        t = s if k % 37 == 0 else rng.randint(1, 40)
        ts = T0 + dt.timedelta(seconds=rng.randint(0, 20 * 86400))
        edges.append({"txn_id": f"T{k:04d}", "src": s, "dst": t, "amount": round(rng.uniform(10, 20000), 2),
                      "txn_ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ")})
    for name, rows in [("vertices.csv", vertices), ("edges.csv", edges)]:
        with open(d / name, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    for e in edges:
        e["t"] = int(dt.datetime.fromisoformat(e["txn_ts"].replace("Z", "+00:00")).timestamp() * 1_000_000)
    return d, vertices, edges


def both(amlgraph, spark_remote, tmp_path, *args):
    amlgraph("motif", *args, "--out", tmp_path / "local.csv")
    amlgraph("motif", *args, "--engine", "spark", "--spark-remote", spark_remote, "--out", tmp_path / "spark.csv")
    local, spark = read(tmp_path / "local.csv"), read(tmp_path / "spark.csv")
    assert list(spark[0]) == list(local[0]) if local else True
    assert spark == local
    assert len(spark) > 0  # not vacuous
    return spark


def test_two_hop_with_where(tmp_path, amlgraph, spark_remote, graph):
    d, vertices, edges = graph
    country = {v["id"]: v["country"] for v in vertices}
    rows = both(amlgraph, spark_remote, tmp_path, "(a)-[e]->(b); (b)-[f]->(c)", "--edges", d / "edges.csv",
                "--vertices", d / "vertices.csv", "--where", "e.amount > 5000 and a.id != c.id and c.country = 'DE'")
    expected = sorted((e["txn_id"], f["txn_id"]) for e, f in product(edges, edges)
                      if e["dst"] == f["src"] and e["amount"] > 5000 and e["src"] != f["dst"] and country[f["dst"]] == "DE")
    assert sorted((r["e.txn_id"], r["f.txn_id"]) for r in rows) == expected


def test_triangle_time_order_window(tmp_path, amlgraph, spark_remote, graph):
    d, _, edges = graph
    week = 7 * 86_400_000_000
    rows = both(amlgraph, spark_remote, tmp_path, "(a)-[e1]->(b); (b)-[e2]->(c); (c)-[e3]->(a)", "--edges", d / "edges.csv",
                "--distinct-vertices", "--time-order", "--within", "7d")
    expected = sorted((x["txn_id"], y["txn_id"], z["txn_id"]) for x, y, z in product(edges, edges, edges)
                      if x["dst"] == y["src"] and y["dst"] == z["src"] and z["dst"] == x["src"]
                      and len({x["src"], y["src"], z["src"]}) == 3 and x["t"] < y["t"] < z["t"]
                      and max(x["t"], y["t"], z["t"]) - min(x["t"], y["t"], z["t"]) <= week)
    assert sorted((r["e1.txn_id"], r["e2.txn_id"], r["e3.txn_id"]) for r in rows) == expected


def test_negation_distinct_rows_and_count(tmp_path, amlgraph, spark_remote, graph):
    d, _, edges = graph
    pattern = "(a)-[]->(b); (b)-[]->(c); !(a)-[]->(c)"
    rows = both(amlgraph, spark_remote, tmp_path, pattern, "--edges", d / "edges.csv", "--vertices", d / "vertices.csv")
    pairs = {(e["src"], e["dst"]) for e in edges}
    expected = sorted({(a, b, c) for (a, b) in pairs for (b2, c) in pairs if b2 == b and (a, c) not in pairs})
    assert [(int(r["a.id"]), int(r["b.id"]), int(r["c.id"])) for r in rows] == expected  # sorted by ids
    counts = [amlgraph("motif", pattern, "--edges", d / "edges.csv", "--count", *extra).stdout.strip()
              for extra in ([], ["--engine", "spark", "--spark-remote", spark_remote])]
    assert counts == [str(len(expected))] * 2


def test_fixed_chain_reversed_edge_and_limit(tmp_path, amlgraph, spark_remote, graph):
    d, _, _ = graph
    both(amlgraph, spark_remote, tmp_path, "(a)-[e*2]->(b); (b)<-[g]-(c)", "--edges", d / "edges.csv",
         "--where", "abs(g.amount - _e1.amount) < 3000 and _e2.amount between 100 and 9000", "--limit", "25")


def test_refusals_are_clear(tmp_path, amlgraph, spark_remote, graph):
    d, _, _ = graph
    base = ["--edges", d / "edges.csv", "--engine", "spark", "--spark-remote", spark_remote, "--out", tmp_path / "x.csv"]
    p = amlgraph("motif", "(a)-[e*1..2]->(b)", *base, check=False)
    assert p.returncode == 1 and "variable-length" in p.stderr
    p = amlgraph("motif", "(a)-[e]->(b)", *base, "--where", "e.txn_ts - e.txn_ts > 5", check=False)
    assert p.returncode == 1 and "date or timestamp" in p.stderr and "Traceback" not in p.stderr
