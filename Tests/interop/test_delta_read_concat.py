"""Reads that decode straight into the output columns (several row groups, several data files,
nulls in some chunks only, dictionary pages falling back to plain, required and optional
columns mixed across files) give the rows delta-rs and pyarrow read.

Tables are written by delta-rs (appends of differently shaped batches) and pyarrow; amlgraph
reads them back (`delta read`, `convert`) to Parquet, and pyarrow compares that file with the
source in a subprocess (delta-rs and pyarrow in one process can abort at exit, see ANCHORS.md).
"""
import json
import subprocess
import sys

PY = sys.executable

WRITE = r'''
import sys
import deltalake  # before pyarrow.parquet (import-order abort otherwise)
from deltalake import WriterProperties, write_deltalake
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

root, kind = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(7)

def batch(start, n, null_every, schema):
    ids = np.arange(start, start + n, dtype=np.int64)
    amount = np.round(rng.lognormal(3, 2, n), 2)
    # Few distinct values (dictionary pages) in `cur`; many (dictionary falls back to plain) in `note`.
    cur = np.array(["USD", "EUR", "GBP", "", "CHF"])[rng.integers(0, 5, n)]
    note = np.array([f"note-{v}-" + "x" * int(v % 23) for v in rng.integers(0, 10**9, n)])
    small = rng.integers(-1000, 1000, n).astype(np.int32)
    flag = rng.integers(0, 2, n).astype(bool)
    ts = 1_700_000_000_000_000 + np.sort(rng.integers(0, 10**12, n))
    mask = (np.arange(n) % null_every == 3) if null_every else np.zeros(n, dtype=bool)
    cols = {
        "id": pa.array(ids),
        "amount": pa.array(amount, mask=mask),
        "cur": pa.array(cur, mask=mask[::-1].copy()),
        "note": pa.array(note, mask=mask),
        "small": pa.array(small, mask=mask),
        "flag": pa.array(flag, mask=mask),
        "ts": pa.array(ts, pa.timestamp("us", tz="UTC"), mask=mask),
    }
    return pa.table(cols, schema=schema)

fields = [pa.field("id", pa.int64()), pa.field("amount", pa.float64()), pa.field("cur", pa.string()),
          pa.field("note", pa.string()), pa.field("small", pa.int32()), pa.field("flag", pa.bool_()),
          pa.field("ts", pa.timestamp("us", tz="UTC"))]
schema = pa.schema(fields)
if kind == "delta":
    props = WriterProperties(max_row_group_size=700, data_page_row_count_limit=128, dictionary_page_size_limit=4096,
                             compression="SNAPPY")
    write_deltalake(root, batch(0, 3000, 7, schema), writer_properties=props)
    write_deltalake(root, batch(3000, 1500, 0, schema), mode="append", writer_properties=props)
    write_deltalake(root, batch(4500, 2100, 2, schema), mode="append",
                    writer_properties=WriterProperties(max_row_group_size=1000, compression="ZSTD"))
    write_deltalake(root, batch(6600, 5, 1, schema), mode="append")
else:
    t = pa.concat_tables([batch(0, 2500, 5, schema), batch(2500, 2500, 0, schema)])
    pq.write_table(t, root, row_group_size=900, data_page_size=2000, dictionary_pagesize_limit=3000,
                   compression="zstd", data_page_version=kind)
'''

COMPARE = r'''
import sys, json
import deltalake  # before pyarrow.parquet
import pyarrow.parquet as pq

src, ours, kind = sys.argv[1], sys.argv[2], sys.argv[3]
expected = deltalake.DeltaTable(src).to_pyarrow_table() if kind == "delta" else pq.read_table(src)
got = pq.read_table(ours)
expected = expected.sort_by("id")
got = got.sort_by("id").select(expected.column_names)
report = {"rows": [got.num_rows, expected.num_rows], "differ": []}
for name in expected.column_names:
    a, b = got.column(name).to_pylist(), expected.column(name).to_pylist()
    if a != b:
        report["differ"].append(name)
    report[name + "_nulls"] = [got.column(name).null_count, expected.column(name).null_count]
print(json.dumps(report))
'''


def _py(script, *args):
    proc = subprocess.run([PY, "-c", script, *map(str, args)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _check(report):
    assert report["rows"][0] == report["rows"][1]
    assert report["differ"] == [], report
    for k, v in report.items():
        if k.endswith("_nulls"):
            assert v[0] == v[1], (k, v)


def test_delta_read_of_several_files_with_nulls_in_some_chunks(amlgraph, tmp_path):
    table = tmp_path / "t"
    _py(WRITE, table, "delta")
    out = tmp_path / "out.parquet"
    amlgraph("delta", "read", table, "--out", out)
    report = json.loads(_py(COMPARE, table, out, "delta"))
    _check(report)
    assert report["rows"][0] == 6605
    assert report["amount_nulls"][1] > 0


def test_delta_read_projection_keeps_requested_order(amlgraph, tmp_path):
    table = tmp_path / "t"
    _py(WRITE, table, "delta")
    out = tmp_path / "out.parquet"
    amlgraph("delta", "read", table, "--columns", "note,id,flag", "--out", out)
    report = json.loads(_py(COMPARE.replace('expected = expected.sort_by("id")',
                                            'expected = expected.select(["note", "id", "flag"]).sort_by("id")'), table, out, "delta"))
    _check(report)


def test_parquet_read_row_groups_with_nulls_v1_and_v2_pages(amlgraph, tmp_path):
    for version in ("1.0", "2.0"):
        src = tmp_path / f"in-{version}.parquet"
        _py(WRITE, src, version)
        out = tmp_path / f"out-{version}.parquet"
        amlgraph("convert", src, out)
        _check(json.loads(_py(COMPARE, src, out, "parquet")))
