"""Parquet logical types beyond 64 bits and the codecs pyarrow writes (issue 17, item 7),
cross-checked against pyarrow: pyarrow writes each file, amlgraph reads it (and writes it
back), pyarrow reads what amlgraph wrote."""
import csv
import decimal
import io
import uuid

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

D = decimal.Decimal


def csv_rows(text):
    return list(csv.reader(io.StringIO(text)))


def wide_decimal_table():
    big = "9" * 28 + "." + "9" * 10  # the largest decimal(38,10); D(...) keeps every digit
    d38 = [D(big), D("-" + big), D("0"), None, D("12345678901234567890.0123456789"), D("-0.0000000001")]
    d20 = [D("123456789012345678.91"), D("-999999999999999999.99"), D("0.01"), None, D("1"), D("-1")]
    return pa.table({
        "id": pa.array(range(6), pa.int64()),
        "d38": pa.array(d38, pa.decimal128(38, 10)),
        "d20": pa.array(d20, pa.decimal128(20, 2)),
        "d9": pa.array([D("1234567.89"), None, D("-0.5"), D("0"), D("9999999.99"), D("1")], pa.decimal128(9, 2)),
    })


@pytest.mark.parametrize("codec", ["none", "zstd"])
def test_decimals_up_to_precision_38_read_and_written_back(amlgraph, tmp_path, codec):
    expected = wide_decimal_table()
    src = tmp_path / "wide.parquet"
    pq.write_table(expected, src, compression=codec, row_group_size=4)
    # As CSV: the exact decimal digits pyarrow holds.
    rows = csv_rows(amlgraph("convert", src, "-").stdout)
    assert rows[0] == expected.column_names
    for r, want in zip(rows[1:], expected.to_pylist()):
        for name, cell in zip(rows[0], r):
            w = want[name]
            assert (cell == "" if w is None else D(cell) == w), (name, cell, w)
    # Written back: same Parquet types (FIXED_LEN_BYTE_ARRAY decimal(38,10)) and values.
    out = tmp_path / "back.parquet"
    amlgraph("convert", src, out)
    got = pq.read_table(out)
    assert got.schema.field("d38").type == pa.decimal128(38, 10)
    assert got.schema.field("d20").type == pa.decimal128(20, 2)
    assert got.equals(expected)
    # Statistics amlgraph wrote are what pyarrow computes over the values.
    meta = pq.ParquetFile(out).metadata
    col = [meta.row_group(0).column(i) for i in range(meta.num_columns) if meta.row_group(0).column(i).path_in_schema == "d38"][0]
    vals = [v for v in expected.column("d38").to_pylist() if v is not None]
    assert col.statistics.min == min(vals) and col.statistics.max == max(vals)


def test_wide_decimal_projected_away_and_filtered(amlgraph, tmp_path):
    src = tmp_path / "wide.parquet"
    pq.write_table(wide_decimal_table(), src, row_group_size=2)
    rows = csv_rows(amlgraph("convert", src, "-", "--columns", "id").stdout)
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(6)]
    # A predicate on the wide decimal skips row groups by its statistics and keeps the rows
    # pyarrow keeps.
    rows = csv_rows(amlgraph("convert", src, "-", "--columns", "id", "--where", "d20 > 0").stdout)
    want = pq.read_table(src, filters=[("d20", ">", D("0"))]).column("id").to_pylist()
    assert [int(r[0]) for r in rows[1:]] == want


def test_wide_decimal_delta_round_trip(amlgraph, tmp_path):
    deltalake = pytest.importorskip("deltalake")
    src = tmp_path / "wide.parquet"
    pq.write_table(wide_decimal_table(), src)
    lake = tmp_path / "lake"
    amlgraph("convert", src, lake, "--format", "delta")
    dt = deltalake.DeltaTable(str(lake))
    fields = {f.name: f.type.type for f in dt.schema().fields}
    assert fields["d38"] == "decimal(38,10)" and fields["d20"] == "decimal(20,2)"
    got = pa.table(dt.to_pyarrow_dataset().to_table()).sort_by("id")
    assert got.column("d38").to_pylist() == wide_decimal_table().column("d38").to_pylist()
    # A table delta-rs wrote with decimal(38,x) reads back exactly through amlgraph.
    theirs = tmp_path / "theirs"
    deltalake.write_deltalake(str(theirs), wide_decimal_table())
    rows = csv_rows(amlgraph("convert", theirs, "-").stdout)
    got = {int(r[0]): r[1] for r in rows[1:]}
    for row in wide_decimal_table().to_pylist():
        assert (got[row["id"]] == "" if row["d38"] is None else D(got[row["id"]]) == row["d38"])


def test_unsigned_64_bit_values_and_row_group_skipping(amlgraph, tmp_path):
    values = [0, 1, 2**63 - 2**20, 2**63 + 2**20, 2**63 + 2**40, 2**64 - 1, None, 17, 2**63 - 1, 2**63]
    t = pa.table({"u64": pa.array(values, pa.uint64()), "id": pa.array(range(len(values)), pa.int32())})
    src = tmp_path / "u.parquet"
    pq.write_table(t, src, row_group_size=2)
    rows = csv_rows(amlgraph("convert", src, "-").stdout)
    assert [(int(r[0]) if r[0] else None) for r in rows[1:]] == values
    # Row groups whose unsigned statistics are above 2^63 must not be skipped.
    # (The expression language compares decimals as doubles: literals here are exact doubles
    # and lie far from the values, so double and exact comparisons agree.)
    for op, lit in [(">", 2**62), (">", 2**63 + 2**30), ("<", 2**63 + 2**30), (">", 2**64 - 2**20)]:
        text = f"u64 {op} {lit}" if lit < 2**63 else f"u64 {op} {float(lit)!r}"
        field, scalar = pc.field("u64"), pa.scalar(lit, pa.uint64())
        expr = {">": field > scalar, ">=": field >= scalar, "<": field < scalar}[op]
        want = pq.read_table(src, filters=expr).column("id").to_pylist()
        got = [int(r[1]) for r in csv_rows(amlgraph("convert", src, "-", "--where", text).stdout)[1:]]
        assert got == want, (text, got, want)
    # Written back: every value survives (as decimal(20,0), which Delta and Spark can hold).
    out = tmp_path / "back.parquet"
    amlgraph("convert", src, out)
    back = pq.read_table(out).column("u64")
    assert back.type == pa.decimal128(20, 0)
    assert [None if v is None else int(v) for v in back.to_pylist()] == values


def test_float16_and_uuid(amlgraph, tmp_path):
    halves = [1.0, -2.5, 65504.0, 6.103515625e-05, 5.960464477539063e-08, None, float("inf"), 0.0]
    ids = [uuid.UUID(int=(i * 0x0123456789ABCDEF0123456789ABCDEF) % 2**128) for i in range(7)] + [None]
    t = pa.table({"h": pa.array(halves, pa.float16()),
                  "u": pa.array([x.bytes if x else None for x in ids], pa.uuid())})
    src = tmp_path / "hu.parquet"
    pq.write_table(t, src)
    schema = pq.ParquetFile(src).schema
    assert "Float16" in str(schema.column(0).logical_type) and "UUID" in str(schema.column(1).logical_type)
    rows = csv_rows(amlgraph("convert", src, "-").stdout)
    want_h = [None if v is None else float(v) for v in pq.read_table(src).column("h").to_pylist()]
    assert [None if r[0] == "" else float(r[0]) for r in rows[1:]] == want_h
    assert [r[1] or None for r in rows[1:]] == [str(x) if x else None for x in ids]


@pytest.mark.parametrize("codec", ["brotli", "gzip", "lz4", "zstd", "snappy"])
def test_codecs_pyarrow_writes(amlgraph, tmp_path, codec):
    t = pa.table({"k": pa.array(range(20000), pa.int64()),
                  "s": pa.array([f"value {i % 97} " * (i % 5) for i in range(20000)])})
    src = tmp_path / f"{codec}.parquet"
    pq.write_table(t, src, compression=codec, row_group_size=7000)
    assert pq.ParquetFile(src).metadata.row_group(0).column(0).compression.lower().startswith(codec[:3])
    out = tmp_path / "out.parquet"
    amlgraph("convert", src, out, "--codec", "none")
    assert pq.read_table(out).equals(t)


def test_brotli_written_by_amlgraph_read_by_pyarrow(amlgraph, tmp_path):
    t = pa.table({"k": pa.array(range(5000), pa.int64()), "s": pa.array([f"s{i % 13}" for i in range(5000)])})
    src = tmp_path / "src.parquet"
    pq.write_table(t, src)
    out = tmp_path / "br.parquet"
    amlgraph("convert", src, out, "--codec", "brotli")
    assert pq.ParquetFile(out).metadata.row_group(0).column(0).compression == "BROTLI"
    assert pq.read_table(out).equals(t)
