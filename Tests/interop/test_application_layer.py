"""The application layer every command shares: one filter language (`--where` and
`--edge-filter` are the expression language of `select --where`), standard input and
`--delimiter` on every table reader. Each result is checked against pyarrow, deltalake or
networkx computing the same thing."""
import csv
import io
import random
import subprocess

import networkx as nx
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake import DeltaTable, write_deltalake

from conftest import amlgraph_bin


def table(n=400, seed=5):
    rng = random.Random(seed)
    return pa.table({
        "id": pa.array(range(n), pa.int64()),
        "region": pa.array([rng.choice(["EU", "US", "APAC"]) for _ in range(n)]),
        "amount": pa.array([round(rng.uniform(0, 100), 2) for _ in range(n)], pa.float64()),
    })


def read_csv_text(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_delta_read_where_is_the_expression_language(amlgraph, tmp_path):
    t = table()
    root = tmp_path / "t.delta"
    write_deltalake(str(root), t, partition_by=["region"])
    where = "region = 'EU' and amount >= 40 or (id between 10 and 12)"
    rows = read_csv_text(amlgraph("delta", "read", root, "--columns", "id", "--where", where, "--out", "-").stdout)
    got = sorted(int(r["id"]) for r in rows)
    data = DeltaTable(str(root)).to_pyarrow_table()
    mask = pc.or_(pc.and_(pc.equal(data["region"], "EU"), pc.greater_equal(data["amount"], 40)),
                  pc.and_(pc.greater_equal(data["id"], 10), pc.less_equal(data["id"], 12)))
    assert got == sorted(data.filter(mask)["id"].to_pylist())
    # Repeated --where terms must all hold.
    rows = read_csv_text(amlgraph("delta", "read", root, "--where", "region = 'US'", "--where", "amount < 10", "--out", "-").stdout)
    expected = data.filter(pc.and_(pc.equal(data["region"], "US"), pc.less(data["amount"], 10)))
    assert sorted(int(r["id"]) for r in rows) == sorted(expected["id"].to_pylist())
    # A type error names the expression, exit 1.
    p = amlgraph("delta", "read", root, "--where", "amount + 1", check=False)
    assert p.returncode == 1 and "--where" in p.stderr


def test_convert_where_matches_select_where(amlgraph, tmp_path):
    t = table(seed=9)
    src = tmp_path / "t.parquet"
    pq.write_table(t, src, row_group_size=50)
    where = "amount < 20 and region != 'APAC'"
    via_convert = amlgraph("convert", src, "-", "--where", where).stdout
    csv_src = tmp_path / "t.csv"
    amlgraph("convert", src, csv_src)
    via_select = amlgraph("select", "--input", csv_src, "--where", where, "--out", "-").stdout
    assert read_csv_text(via_convert) == read_csv_text(via_select)
    expected = t.filter(pc.and_(pc.less(t["amount"], 20), pc.not_equal(t["region"], "APAC")))["id"].to_pylist()
    assert [int(r["id"]) for r in read_csv_text(via_convert)] == expected


def test_stdin_and_delimiter_for_graph_commands(tmp_path):
    rng = random.Random(3)
    edges = [(rng.randrange(60), rng.randrange(60), rng.randrange(100)) for _ in range(150)]
    text = "src;dst;amount\r\n" + "".join(f"{a};{b};{w}\r\n" for a, b, w in edges)
    p = subprocess.run([amlgraph_bin(), "components", "--edges", "-", "--delimiter", ";", "--out", "-", "--quiet"],
                       input=text, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    got = {int(r["id"]): int(r["component"]) for r in read_csv_text(p.stdout)}
    g = nx.Graph()
    g.add_edges_from((a, b) for a, b, _ in edges)
    expected = {v: min(c) for c in nx.connected_components(g) for v in c}
    assert got == expected
    # --edge-filter is the expression language too: two terms and an arithmetic expression.
    p = subprocess.run([amlgraph_bin(), "algo", "shortest-paths", "--edges", "-", "--delimiter", "semicolon", "--landmarks", str(edges[0][1]),
                        "--edge-filter", "amount * 2 >= 60 and amount < 90", "--long", "--out", "-", "--quiet"],
                       input=text, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    kept = nx.MultiDiGraph()
    kept.add_nodes_from(v for e in edges for v in e[:2])
    kept.add_edges_from((a, b) for a, b, w in edges if w * 2 >= 60 and w < 90)
    expected = {(v, edges[0][1], d) for v, d in nx.single_source_shortest_path_length(kept.reverse(copy=True), edges[0][1]).items()}
    assert {(int(r["id"]), int(r["landmark"]), int(r["distance"])) for r in read_csv_text(p.stdout)} == expected
