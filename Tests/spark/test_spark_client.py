"""The Spark Connect client itself: Arrow batches of every supported type (with nulls) decode
to the values Python computes for the same query, AnalyzePlan schemas, and Spark's errors."""
import csv
import datetime as dt
import io

import pyarrow.parquet as pq


def test_arrow_types_and_nulls_round_trip(amlgraph, spark_remote):
    query = """
        SELECT CAST(id AS INT) AS i32, id * 3000000000 AS i64, id / 4.0D AS f64,
               CASE WHEN id % 3 = 0 THEN NULL ELSE concat('név-', CAST(id AS STRING)) END AS s,
               id % 2 = 0 AS b,
               CASE WHEN id % 4 = 1 THEN NULL ELSE timestamp_micros(id * 1000001) END AS ts,
               date_add(DATE'2024-02-27', CAST(id AS INT)) AS d
        FROM range(0, 5000)
    """
    proc = amlgraph("spark-sql", query, "--spark-remote", spark_remote, "--out", "-")
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 5000  # several Arrow batches' worth of rows arrive in order
    for n, r in enumerate(rows):
        assert int(r["i32"]) == n and int(r["i64"]) == n * 3000000000
        assert float(r["f64"]) == n / 4.0
        assert r["s"] == ("" if n % 3 == 0 else f"név-{n}")
        assert r["b"] == ("true" if n % 2 == 0 else "false")
        if n % 4 == 1:
            assert r["ts"] == ""
        else:
            want = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=n * 1000001)
            assert dt.datetime.fromisoformat(r["ts"].replace("Z", "+00:00")) == want
        assert r["d"] == (dt.date(2024, 2, 27) + dt.timedelta(days=n)).isoformat()


def test_parquet_output_keeps_types(tmp_path, amlgraph, spark_remote):
    amlgraph("spark-sql", "SELECT id, CAST(id AS DOUBLE) AS x, CAST(NULL AS STRING) AS s FROM range(3)",
             "--spark-remote", spark_remote, "--out", tmp_path / "o.parquet")
    t = pq.read_table(tmp_path / "o.parquet")
    assert t.column("id").to_pylist() == [0, 1, 2]
    assert str(t.schema.field("id").type) == "int64" and str(t.schema.field("x").type) == "double"
    assert t.column("s").to_pylist() == [None, None, None]


def test_empty_result_and_schema(amlgraph, spark_remote):
    proc = amlgraph("spark-sql", "SELECT id, 'x' AS s FROM range(10) WHERE id < 0", "--spark-remote", spark_remote, "--out", "-")
    assert proc.stdout.strip() == "id,s"
    proc = amlgraph("spark-sql", "SELECT CAST(1 AS INT) AS a, 2L AS b, 'c' AS c, true AS d, 1.5D AS e",
                    "--schema", "--spark-remote", spark_remote)
    assert proc.stdout.split() == ["a:int32", "b:int64", "c:string", "d:bool", "e:double"]


def test_spark_errors_are_one_line_user_errors(amlgraph, spark_remote):
    proc = amlgraph("spark-sql", "SELECT no_such_column FROM range(1)", "--spark-remote", spark_remote, check=False)
    assert proc.returncode == 1
    assert "no_such_column" in proc.stderr and proc.stderr.startswith("error: Spark:")
