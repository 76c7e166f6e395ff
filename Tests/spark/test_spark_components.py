"""Connected components with --engine spark: the same labels as the local engine and as
networkx, on a generated dataset and on random string-id graphs, from CSV, Parquet and Delta."""
import csv
import random
import socket

import networkx as nx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable, write_deltalake


def read_csv_labels(path):
    with open(path, newline="") as f:
        return [(r["id"], r["component"]) for r in csv.DictReader(f)]


def networkx_labels(edges, vertices=(), key=lambda x: x):
    g = nx.Graph()
    g.add_nodes_from(vertices)
    g.add_edges_from(edges)
    out = {}
    for comp in nx.connected_components(g):
        smallest = min(comp, key=key)
        for v in comp:
            out[v] = smallest
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory, amlgraph):
    out = tmp_path_factory.mktemp("gen")
    amlgraph("generate", "--entities", 600, "--transactions", 2500, "--seed", 11, "--out", out)
    return out


def test_generated_dataset_matches_local_engine_and_networkx(tmp_path, amlgraph, spark_remote, generated):
    tx = generated / "transactions.csv"
    args = ["components", "--edges", tx, "--src-col", "originator_id", "--dst-col", "beneficiary_id"]
    amlgraph(*args, "--out", tmp_path / "local.csv")
    proc = amlgraph(*args, "--engine", "spark", "--spark-remote", spark_remote, "--out", tmp_path / "spark.csv")
    assert "rounds" in proc.stderr
    local, spark = read_csv_labels(tmp_path / "local.csv"), read_csv_labels(tmp_path / "spark.csv")
    assert sorted(spark) == sorted(local)
    with open(tx, newline="") as f:
        edges = [(int(r["originator_id"]), int(r["beneficiary_id"])) for r in csv.DictReader(f)]
    expected = networkx_labels(edges)
    assert {int(i): int(c) for i, c in spark} == expected
    # Ordered by id, as the local engine's table is.
    assert [int(i) for i, _ in spark] == sorted(int(i) for i, _ in spark)


@pytest.mark.parametrize("seed", [1, 2])
def test_string_ids_with_isolated_vertices_and_self_loops(tmp_path, amlgraph, spark_remote, seed):
    rng = random.Random(seed)
    names = [f"acct-{rng.randrange(10**6):06d}" for _ in range(120)]
    edges = [(rng.choice(names), rng.choice(names)) for _ in range(90)]
    edges += [(names[0], names[0]), (names[1], names[2]), (names[2], names[1])]
    vertices = sorted(set(names))
    with open(tmp_path / "e.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["src", "dst"])
        w.writerows(edges)
    with open(tmp_path / "v.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id"])
        w.writerows([[v] for v in vertices])
    args = ["components", "--edges", tmp_path / "e.csv", "--vertices", tmp_path / "v.csv"]
    amlgraph(*args, "--out", tmp_path / "local.csv")
    amlgraph(*args, "--engine", "spark", "--spark-remote", spark_remote, "--out", tmp_path / "spark.csv")
    spark = read_csv_labels(tmp_path / "spark.csv")
    assert sorted(spark) == sorted(read_csv_labels(tmp_path / "local.csv"))
    assert dict(spark) == networkx_labels(edges, vertices, key=lambda s: s.encode())


def test_parquet_and_delta_inputs_and_delta_output(tmp_path, amlgraph, spark_remote):
    rng = random.Random(5)
    src = [rng.randrange(400) for _ in range(700)]
    dst = [rng.randrange(400) for _ in range(700)]
    table = pa.table({"src": pa.array(src, pa.int64()), "dst": pa.array(dst, pa.int64()), "amount": [1.0] * 700})
    pq.write_table(table, tmp_path / "e.parquet")
    # A Delta table written in two commits: amlgraph replays the log and hands Spark the files.
    write_deltalake(str(tmp_path / "e_delta"), table.slice(0, 350))
    write_deltalake(str(tmp_path / "e_delta"), table.slice(350), mode="append")
    expected = networkx_labels(list(zip(src, dst)))
    for source in ["e.parquet", "e_delta"]:
        out = tmp_path / f"{source}.out"
        amlgraph("components", "--edges", tmp_path / source, "--engine", "spark", "--spark-remote", spark_remote,
                 "--out", out, "--format", "delta")
        got = DeltaTable(str(out)).to_pyarrow_table().to_pydict()
        assert dict(zip(got["id"], got["component"])) == expected, source


def test_dangling_edges_fail_or_are_dropped_like_the_local_engine(tmp_path, amlgraph, spark_remote):
    (tmp_path / "e.csv").write_text("src,dst\n1,2\n2,3\n3,99\n")
    (tmp_path / "v.csv").write_text("id\n1\n2\n3\n4\n")
    base = ["components", "--edges", tmp_path / "e.csv", "--vertices", tmp_path / "v.csv"]
    spark = ["--engine", "spark", "--spark-remote", spark_remote]
    proc = amlgraph(*base, *spark, "--out", tmp_path / "x.csv", check=False)
    assert proc.returncode == 1 and "99" in proc.stderr and "--drop-dangling" in proc.stderr
    assert not (tmp_path / "x.csv").exists()
    amlgraph(*base, "--drop-dangling", "--out", tmp_path / "local.csv")
    amlgraph(*base, *spark, "--drop-dangling", "--out", tmp_path / "spark.csv")
    assert read_csv_labels(tmp_path / "spark.csv") == read_csv_labels(tmp_path / "local.csv")
    assert dict(read_csv_labels(tmp_path / "spark.csv")) == {"1": "1", "2": "1", "3": "1", "4": "4"}


def test_unreachable_server_is_a_user_error_naming_the_address(tmp_path, amlgraph):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    (tmp_path / "e.csv").write_text("src,dst\n1,2\n")
    proc = amlgraph("components", "--edges", tmp_path / "e.csv", "--engine", "spark",
                    "--spark-remote", f"sc://127.0.0.1:{port}", "--out", tmp_path / "o.csv", check=False)
    assert proc.returncode == 1, proc.stderr
    assert f"127.0.0.1:{port}" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
    proc = amlgraph("components", "--edges", tmp_path / "e.csv", "--engine", "spark", "--spark-remote", "http://x",
                    "--out", tmp_path / "o.csv", check=False)
    assert proc.returncode == 1 and "sc://" in proc.stderr
