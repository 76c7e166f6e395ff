"""Parquet interop: files written by amlgraph are read identically by pyarrow and DuckDB, and
files written by pyarrow (every encoding, page version and codec amlgraph reads) are read
identically by amlgraph. amlgraph's side goes through `amlgraph convert`: Parquet -> Parquet
exercises both its reader and its writer, and the result is compared with pyarrow's table."""
import datetime
import decimal
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

N = 3000


def source_table(n=N):
    """Every flat type amlgraph supports, with nulls in every column and repeated values so
    dictionaries are exercised."""
    rows = range(n)

    def nullable(f):
        return [None if i % 7 == 3 else f(i) for i in rows]

    utc = datetime.timezone.utc
    base = datetime.datetime(2023, 5, 17, 12, 30, tzinfo=utc)
    return pa.table({
        "i32": pa.array(nullable(lambda i: (i * 37) % 1000 - 500), pa.int32()),
        "i64": pa.array(nullable(lambda i: i * 1_000_003 - 7 * 10**12), pa.int64()),
        "f32": pa.array(nullable(lambda i: (i % 50) / 4.0), pa.float32()),
        "f64": pa.array(nullable(lambda i: i * 0.1 - 33.3), pa.float64()),
        "flag": pa.array(nullable(lambda i: i % 3 == 0), pa.bool_()),
        "name": pa.array(nullable(lambda i: f"name-{i % 97}-é"), pa.string()),
        "blob": pa.array(nullable(lambda i: bytes([i % 256, (i * 7) % 256])), pa.binary()),
        "day": pa.array(nullable(lambda i: datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 900)), pa.date32()),
        "ts": pa.array(nullable(lambda i: base + datetime.timedelta(seconds=i * 61, microseconds=i)), pa.timestamp("us", tz="UTC")),
        "dec_small": pa.array(nullable(lambda i: decimal.Decimal(i * 13 - 9000) / 100), pa.decimal128(7, 2)),
        "dec_big": pa.array(nullable(lambda i: decimal.Decimal(i * 1_000_000_007 - 5 * 10**11) / 1000), pa.decimal128(18, 3)),
        "dense": pa.array([f"u{i}" for i in rows], pa.string()),
    })


def convert(amlgraph, src, dst, *args):
    amlgraph("convert", src, dst, *args)


def assert_same(actual: pa.Table, expected: pa.Table):
    assert actual.column_names == expected.column_names
    for name in expected.column_names:
        a, e = actual.column(name), expected.column(name)
        assert a.type == e.type, f"{name}: {a.type} != {e.type}"
        assert a.to_pylist() == e.to_pylist(), name


# --- amlgraph writes, pyarrow and DuckDB read ------------------------------------------

@pytest.mark.parametrize("codec", ["zstd", "snappy", "gzip", "none", "lz4_raw"])
@pytest.mark.parametrize("dictionary", [True, False])
def test_amlgraph_written_files_read_by_pyarrow(amlgraph, tmp_path, codec, dictionary):
    src = tmp_path / "src.parquet"
    expected = source_table()
    pq.write_table(expected, src, use_dictionary=False, compression="none")
    out = tmp_path / "out.parquet"
    args = ["--codec", codec, "--row-group-size", "1000"] + ([] if dictionary else ["--no-dictionary"])
    convert(amlgraph, src, out, *args)

    meta = pq.ParquetFile(out).metadata
    assert meta.num_row_groups == 3
    col = meta.row_group(0).column(expected.column_names.index("name"))
    assert col.compression.lower() == {"none": "uncompressed", "lz4_raw": "lz4"}.get(codec, codec)
    assert ("RLE_DICTIONARY" in col.encodings) == dictionary
    assert_same(pq.read_table(out), expected)


def test_amlgraph_statistics_match_pyarrow(amlgraph, tmp_path):
    src = tmp_path / "src.parquet"
    expected = source_table()
    pq.write_table(expected, src)
    out = tmp_path / "out.parquet"
    convert(amlgraph, src, out, "--row-group-size", "1000")
    meta = pq.ParquetFile(out).metadata
    for g in range(meta.num_row_groups):
        part = expected.slice(g * 1000, 1000)
        for k, name in enumerate(expected.column_names):
            stats = meta.row_group(g).column(k).statistics
            values = [v for v in part.column(name).to_pylist() if v is not None]
            assert stats.null_count == part.column(name).null_count, name
            assert stats.has_min_max, name
            if name in ("blob",):
                assert stats.min == min(values) and stats.max == max(values)
            elif name == "name" or name == "dense":
                key = lambda s: s.encode()
                assert stats.min == min(values, key=key) and stats.max == max(values, key=key), name
            else:
                assert stats.min == min(values), name
                assert stats.max == max(values), name


def test_amlgraph_written_files_read_by_duckdb(amlgraph, tmp_path):
    import duckdb

    src = tmp_path / "src.parquet"
    expected = source_table()
    pq.write_table(expected, src)
    for codec in ["zstd", "snappy", "gzip", "none"]:
        out = tmp_path / f"out-{codec}.parquet"
        convert(amlgraph, src, out, "--codec", codec, "--row-group-size", "700")
        got = duckdb.sql(f"select * from read_parquet('{out}')").arrow()
        if hasattr(got, "read_all"):
            got = got.read_all()
        want = duckdb.sql(f"select * from read_parquet('{src}')").arrow()
        if hasattr(want, "read_all"):
            want = want.read_all()
        assert got.column_names == want.column_names
        for name in want.column_names:
            assert got.column(name).type == want.column(name).type, name
            assert got.column(name).to_pylist() == want.column(name).to_pylist(), (codec, name)


def test_csv_to_parquet_read_by_pyarrow(amlgraph, tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("id,name,amount\n1,a,1.5\n2,,2.5\n3,c,\n")
    out = tmp_path / "t.parquet"
    convert(amlgraph, csv, out)
    assert pq.read_table(out).to_pylist() == [
        {"id": 1, "name": "a", "amount": 1.5},
        {"id": 2, "name": None, "amount": 2.5},
        {"id": 3, "name": "c", "amount": None},
    ]
    back = amlgraph("convert", out, "-").stdout
    assert back == csv.read_text()


# --- pyarrow writes, amlgraph reads ------------------------------------------------------

PYARROW_VARIANTS = {
    "plain-v1": dict(use_dictionary=False),
    "dict-v1": dict(use_dictionary=True),
    "dict-v2": dict(use_dictionary=True, data_page_version="2.0"),
    "plain-v2": dict(use_dictionary=False, data_page_version="2.0"),
    "byte-stream-split": dict(use_dictionary=False, use_byte_stream_split=["f32", "f64"]),
    "delta": dict(use_dictionary=False, column_encoding={
        "i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "day": "DELTA_BINARY_PACKED",
        "ts": "DELTA_BINARY_PACKED", "name": "DELTA_LENGTH_BYTE_ARRAY", "blob": "DELTA_BYTE_ARRAY",
        "dense": "DELTA_BYTE_ARRAY", "flag": "RLE", "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT",
    }),
    "delta-v2": dict(use_dictionary=False, data_page_version="2.0", column_encoding={
        "i64": "DELTA_BINARY_PACKED", "name": "DELTA_BYTE_ARRAY", "flag": "RLE", "dense": "DELTA_LENGTH_BYTE_ARRAY",
    }),
    "small-pages": dict(use_dictionary=True, data_page_size=512, row_group_size=700),
    "bss-fixed": dict(use_dictionary=False, column_encoding={"dec_big": "BYTE_STREAM_SPLIT", "i64": "BYTE_STREAM_SPLIT"}),
}


@pytest.mark.parametrize("variant", sorted(PYARROW_VARIANTS))
@pytest.mark.parametrize("codec", ["none", "snappy", "gzip", "zstd", "lz4"])
def test_pyarrow_written_files_read_by_amlgraph(amlgraph, tmp_path, variant, codec):
    expected = source_table()
    src = tmp_path / "src.parquet"
    try:
        pq.write_table(expected, src, compression=codec, **PYARROW_VARIANTS[variant])
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid) as e:  # encoding not offered for a type
        pytest.skip(str(e))
    out = tmp_path / "out.parquet"
    convert(amlgraph, src, out, "--codec", "none")
    assert_same(pq.read_table(out), expected)


def test_timestamp_units_and_int96(amlgraph, tmp_path):
    utc = datetime.timezone.utc
    values = [datetime.datetime(1999, 12, 31, 23, 59, 58, 123000, tzinfo=utc), None,
              datetime.datetime(1900, 1, 1, tzinfo=utc), datetime.datetime(2262, 1, 1, tzinfo=utc)]
    expected = pa.table({"t": pa.array(values, pa.timestamp("us", tz="UTC"))})
    cases = [
        dict(coerce_timestamps="ms"),
        dict(coerce_timestamps="us"),
        dict(use_deprecated_int96_timestamps=True),
    ]
    for k, kwargs in enumerate(cases):
        src = tmp_path / f"ts{k}.parquet"
        pq.write_table(expected, src, **kwargs)
        out = tmp_path / f"out{k}.parquet"
        convert(amlgraph, src, out)
        assert pq.read_table(out).column("t").to_pylist() == values, kwargs
    # nanoseconds (parquet format 2.6) are truncated to microseconds
    ns = pa.table({"t": pa.array([1_000_000_000_123_000, None], pa.timestamp("ns", tz="UTC"))})
    src = tmp_path / "ns.parquet"
    pq.write_table(ns, src, version="2.6")
    out = tmp_path / "ns-out.parquet"
    convert(amlgraph, src, out)
    assert pq.read_table(out).column("t").cast(pa.int64()).to_pylist() == [1_000_000_000_123, None]


def test_decimals_in_fixed_len_and_int_storage(amlgraph, tmp_path):
    vals = [decimal.Decimal("123.45"), None, decimal.Decimal("-0.01"), decimal.Decimal("99999.99")]
    expected = pa.table({"d": pa.array(vals, pa.decimal128(7, 2)), "e": pa.array(vals, pa.decimal128(18, 2))})
    for store in [False, True]:
        src = tmp_path / f"dec{store}.parquet"
        pq.write_table(expected, src, store_decimal_as_integer=store)
        out = tmp_path / f"dec-out{store}.parquet"
        convert(amlgraph, src, out)
        assert_same(pq.read_table(out), expected)


def nested_table():
    kv = pa.map_(pa.string(), pa.string())
    add = pa.struct([("path", pa.string()), ("partitionValues", kv), ("size", pa.int64()),
                     ("dataChange", pa.bool_()), ("tags", pa.list_(pa.string()))])
    rows = []
    for i in range(50):
        if i % 5 == 0:
            rows.append(None)
        else:
            rows.append({"path": f"part-{i}.parquet",
                         "partitionValues": [("date", f"2024-01-{i % 28 + 1:02d}"), ("region", None if i % 3 else "eu")],
                         "size": 1000 + i, "dataChange": i % 2 == 0,
                         "tags": None if i % 4 == 1 else [f"t{j}" for j in range(i % 3)]})
    proto = pa.struct([("minReaderVersion", pa.int32()), ("minWriterVersion", pa.int32())])
    return pa.table({
        "add": pa.array(rows, add),
        "protocol": pa.array([{"minReaderVersion": 1, "minWriterVersion": 2} if i == 0 else None for i in range(50)], proto),
        "ids": pa.array([[i, None, i + 1] if i % 2 else [] for i in range(50)], pa.list_(pa.int64())),
        "plain": pa.array(range(50), pa.int64()),
    })


@pytest.mark.parametrize("dictionary", [True, False])
def test_nested_struct_list_map_round_trip(amlgraph, tmp_path, dictionary):
    expected = nested_table()
    src = tmp_path / "nested.parquet"
    pq.write_table(expected, src, use_dictionary=dictionary)
    out = tmp_path / "nested-out.parquet"
    convert(amlgraph, src, out)
    got = pq.read_table(out)
    assert got.column_names == expected.column_names
    for name in expected.column_names:
        assert got.column(name).to_pylist() == expected.column(name).to_pylist(), name
    import duckdb
    assert duckdb.sql(f"select count(*), sum(add.size) from read_parquet('{out}')").fetchall() == \
        duckdb.sql(f"select count(*), sum(add.size) from read_parquet('{src}')").fetchall()


def test_nested_to_csv_as_json(amlgraph, tmp_path):
    src = tmp_path / "nested.parquet"
    pq.write_table(nested_table(), src)
    text = amlgraph("convert", src, "-", "--columns", "ids,plain").stdout.splitlines()
    assert text[0] == "ids,plain"
    import csv
    rows = list(csv.reader(text[1:]))
    assert json.loads(rows[1][0]) == [1, None, 2]
    assert json.loads(rows[0][0]) == []


def test_projection_and_row_group_skipping(amlgraph, tmp_path):
    t = pa.table({"k": pa.array(range(10000), pa.int64()), "v": pa.array([f"x{i}" for i in range(10000)])})
    src = tmp_path / "k.parquet"
    pq.write_table(t, src, row_group_size=1000)
    # --where is the expression language: row groups are skipped by statistics, then rows are
    # filtered exactly, as pyarrow's own filter does.
    out = amlgraph("convert", src, "-", "--columns", "k", "--where", "k>=8500").stdout.splitlines()
    assert out[0] == "k"
    expected = pq.read_table(src, columns=["k"], filters=[("k", ">=", 8500)]).column("k").to_pylist()
    assert [int(x) for x in out[1:]] == expected
    # A filter on a column that is not output, with and / or: the same rows pyarrow keeps.
    out = amlgraph("convert", src, "-", "--columns", "k", "--where", "v = 'x42' or (k between 9990 and 9992)").stdout.splitlines()
    assert [int(x) for x in out[1:]] == [42, 9990, 9991, 9992]


def test_corrupt_file_is_a_clean_error(amlgraph, tmp_path):
    src = tmp_path / "good.parquet"
    pq.write_table(source_table(200), src)
    data = src.read_bytes()
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(data[: len(data) // 2])
    proc = amlgraph("convert", bad, "-", check=False)
    assert proc.returncode == 1
    assert "bad.parquet" in proc.stderr and "corrupt" in proc.stderr


def test_delta_rs_checkpoint_read_and_rewritten(amlgraph, tmp_path):
    """A delta-rs checkpoint (struct actions, maps, lists, nulls) is read by amlgraph; rewritten
    by amlgraph's nested writer in its place, delta-rs still reads the table identically."""
    import os
    import subprocess
    import sys

    table_dir = tmp_path / "dt"
    script = f"""
import deltalake, pyarrow as pa
t = pa.table({{"id": [1, 2, 3], "d": ["2024-01-01", "2024-01-02", None], "v": [1.5, None, 3.0]}})
deltalake.write_deltalake("{table_dir}", t, partition_by=["d"])
deltalake.write_deltalake("{table_dir}", t, mode="append", partition_by=["d"])
deltalake.DeltaTable("{table_dir}").create_checkpoint()
"""
    def run_py(code):
        # delta-rs can abort at interpreter exit after finishing its work (ANCHORS.md); only a
        # missing result counts as failure.
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert proc.returncode in (0, -6, 134), proc.stderr
        return proc.stdout

    run_py(script)
    log = table_dir / "_delta_log"
    checkpoint = log / "00000000000000000001.checkpoint.parquet"
    rewritten = tmp_path / "cp.parquet"
    convert(amlgraph, checkpoint, rewritten)
    assert pq.read_table(rewritten).to_pylist() == pq.read_table(checkpoint).to_pylist()

    read = f"""
import deltalake, json
dt = deltalake.DeltaTable("{table_dir}")
rows = dt.to_pyarrow_dataset().to_table().sort_by([("id", "ascending"), ("d", "ascending")]).to_pylist()
print(json.dumps(rows, sort_keys=True))
"""
    before = run_py(read)
    # JSON commits after the checkpoint are replayed on top; drop them so the checkpoint must be used.
    os.replace(rewritten, checkpoint)
    for name in ("00000000000000000000.json", "00000000000000000001.json"):
        os.remove(log / name)
    after = run_py(read)
    assert json.loads(after) == json.loads(before)
    assert len(json.loads(after)) == 6
