"""Nested columns (lists, structs, maps) stay nested through amlgraph: pyarrow writes a file
with every shape, amlgraph reads and rewrites it (`convert` to Parquet, to CSV, `delta write`
then `delta read --out`), and pyarrow and delta-rs see the same types and values as the
source. Values are compared as Python objects from pyarrow's own `to_pylist`; types are
compared after normalising only what Parquet does not record (a list's element name,
string vs large_string from delta-rs)."""
import csv
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

deltalake = pytest.importorskip("deltalake")

N = 40


def nested_table(n=N):
    """One column per nested shape, with nulls at every level and empty lists."""
    ids = list(range(n))

    def ints(i):
        if i % 9 == 4:
            return None
        return [] if i % 5 == 0 else [i * 10 + k for k in range(i % 4 + 1)]

    def strs(i):
        if i % 7 == 2:
            return None
        return [None if k == 1 else f"s{i}-{k}é" for k in range(i % 3)]

    def point(i):
        if i % 6 == 5:
            return None
        return {"a": None if i % 4 == 1 else i - 20, "b": None if i % 3 == 0 else f"b{i}"}

    def mapping(i):
        if i % 8 == 7:
            return None
        return [(f"k{k}", None if (i + k) % 5 == 0 else i * k) for k in range(i % 3)]

    def points(i):
        if i % 10 == 3:
            return None
        return [None if k == 2 else {"x": i + k, "y": None if k == 1 else f"y{k}"} for k in range(i % 4)]

    def tagged(i):
        if i % 11 == 6:
            return None
        return {"tags": None if i % 5 == 2 else [f"t{k}" for k in range(i % 3)], "n": i}

    point_t = pa.struct([pa.field("a", pa.int32()), pa.field("b", pa.string())])
    return pa.table({
        "id": pa.array(ids, pa.int64()),
        "ints": pa.array([ints(i) for i in ids], pa.list_(pa.int64())),
        "strs": pa.array([strs(i) for i in ids], pa.list_(pa.string())),
        "point": pa.array([point(i) for i in ids], point_t),
        "attrs": pa.array([mapping(i) for i in ids], pa.map_(pa.string(), pa.int64())),
        "points": pa.array([points(i) for i in ids], pa.list_(pa.struct([pa.field("x", pa.int64()), pa.field("y", pa.string())]))),
        "tagged": pa.array([tagged(i) for i in ids], pa.struct([pa.field("tags", pa.list_(pa.string())), pa.field("n", pa.int64())])),
    })


def shape(t: pa.DataType) -> str:
    """The type with list element names and string widths normalised away."""
    if pa.types.is_map(t):
        return f"map<{shape(t.key_type)},{shape(t.item_type)}>"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return f"list<{shape(t.value_type)}>"
    if pa.types.is_struct(t):
        return "struct<" + ",".join(f"{t.field(i).name}:{shape(t.field(i).type)}" for i in range(t.num_fields)) + ">"
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string"
    return str(t)


def assert_same(actual: pa.Table, expected: pa.Table):
    assert actual.column_names == expected.column_names
    for name in expected.column_names:
        a, e = actual.column(name), expected.column(name)
        assert shape(a.type) == shape(e.type), f"{name}: {a.type} != {e.type}"
        assert a.to_pylist() == e.to_pylist(), name


@pytest.fixture()
def source(tmp_path):
    path = tmp_path / "nested.parquet"
    pq.write_table(nested_table(), path)
    return path


def test_convert_keeps_nested_types_filters_rows_and_writes_csv_json(amlgraph, source, tmp_path):
    """`convert` reads nested columns as nested columns: `--where` filters their rows, Parquet
    output keeps their types (standard LIST and MAP annotations), CSV output holds each
    nested cell as JSON text."""
    src = pq.read_table(source)
    keep = [i for i in range(src.num_rows) if src["id"][i].as_py() % 3 == 1]
    expected = src.take(keep)
    out = tmp_path / "part.parquet"
    amlgraph("convert", source, out, "--where", "id % 3 = 1")
    assert_same(pq.read_table(out), expected)
    text = str(pq.ParquetFile(out).schema)
    assert "(List)" in text and "(Map)" in text
    whole = tmp_path / "whole.parquet"
    amlgraph("convert", source, whole)
    assert_same(pq.read_table(whole), src)

    csv_out = tmp_path / "part.csv"
    amlgraph("convert", source, csv_out, "--where", "id % 3 = 1")
    with open(csv_out, newline="") as f:
        rows = list(csv.DictReader(f))
    want_rows = expected.to_pylist()
    assert len(rows) == len(want_rows)
    for got, want in zip(rows, want_rows):
        for name in ["ints", "strs", "point", "points", "tagged"]:
            cell = got[name]
            assert (json.loads(cell) if cell != "" else None) == want[name], name
        cell = got["attrs"]
        assert (json.loads(cell) if cell != "" else None) == (None if want["attrs"] is None else dict(want["attrs"]))


def test_delta_write_is_read_nested_by_delta_rs_and_amlgraph(amlgraph, source, tmp_path):
    lake = tmp_path / "lake"
    amlgraph("delta", "write", source, lake)
    expected = pq.read_table(source)
    dt = deltalake.DeltaTable(str(lake))
    got = dt.to_pyarrow_table().sort_by("id")
    assert_same(got, expected)
    # The Delta schema records the nesting (array/struct/map with nullability).
    fields = {f["name"]: f for f in json.loads(dt.schema().to_json())["fields"]}
    assert fields["ints"]["type"]["type"] == "array" and fields["ints"]["type"]["containsNull"] is True
    assert fields["attrs"]["type"]["type"] == "map" and fields["attrs"]["type"]["valueContainsNull"] is True
    assert [f["name"] for f in fields["point"]["type"]["fields"]] == ["a", "b"]
    # amlgraph reads it back nested.
    out = tmp_path / "back.parquet"
    amlgraph("delta", "read", lake, "--out", out)
    assert_same(pq.read_table(out).sort_by("id"), expected)
    # An append keeps the types: delta-rs sees both batches.
    amlgraph("delta", "write", source, lake)
    both = deltalake.DeltaTable(str(lake)).to_pyarrow_table().sort_by("id")
    assert_same(both, pa.concat_tables([expected, expected]).sort_by("id"))


def test_delta_rs_table_with_nested_columns_read_and_appended(amlgraph, tmp_path):
    lake = tmp_path / "rs"
    data = nested_table()
    deltalake.write_deltalake(str(lake), data)
    out = tmp_path / "back.parquet"
    amlgraph("delta", "read", lake, "--out", out)
    assert_same(pq.read_table(out).sort_by("id"), data)
    amlgraph("delta", "write", out, lake)
    both = deltalake.DeltaTable(str(lake)).to_pyarrow_table().sort_by("id")
    assert_same(both, pa.concat_tables([data, data]).sort_by("id"))


def test_delta_merge_keeps_nested_columns(amlgraph, source, tmp_path):
    lake = tmp_path / "lake"
    amlgraph("delta", "write", source, lake)
    src = pq.read_table(source)
    # Rows 0..9 take the nested values of rows 10..19; id 1000 is new.
    changed = src.slice(10, 10).set_column(0, "id", pa.array(range(10), pa.int64()))
    new = src.slice(20, 1).set_column(0, "id", pa.array([1000], pa.int64()))
    changes = tmp_path / "changes.parquet"
    pq.write_table(pa.concat_tables([changed, new]), changes)
    amlgraph("delta", "write", changes, lake, "--merge-on", "id")
    got = deltalake.DeltaTable(str(lake)).to_pyarrow_table().sort_by("id")
    assert_same(got, pa.concat_tables([changed, src.slice(10), new]))
