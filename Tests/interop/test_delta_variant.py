"""Tables with the `variantType` reader feature (issue 17), read through the amlgraph binary.

PROTOCOL.md "Variant Data Type": a `variant` column is stored in Parquet as a struct of two
binary fields, `value` and `metadata`. The table here is built by pyarrow and a hand-written
log; delta-rs (its DataFusion scan) reads it and must agree with amlgraph on every column,
the variant column included (as struct<metadata: binary, value: binary>).
"""
import json
import subprocess
import sys
import uuid

import pytest

PY = sys.executable


def variant_table(tmp_path, feature):
    import pyarrow as pa
    import pyarrow.parquet as pq
    lake = tmp_path / feature
    (lake / "_delta_log").mkdir(parents=True)
    ids = list(range(12))
    # Variant binary encoding of small integers (basic type 0 primitive, type id 3 int8) with
    # the one-byte empty metadata dictionary (version 1, no keys) of the Variant spec.
    values = [bytes([3 << 2, i]) for i in ids]
    metadata = [bytes([1, 0, 0]) for _ in ids]
    v = pa.StructArray.from_arrays([pa.array(values, pa.binary()), pa.array(metadata, pa.binary())],
                                   fields=[pa.field("value", pa.binary(), nullable=False),
                                           pa.field("metadata", pa.binary(), nullable=False)])
    t = pa.table({"id": pa.array(ids, pa.int64()), "v": v, "name": [f"n{i}" for i in ids]})
    pq.write_table(t, lake / "part-0.parquet")
    schema = {"type": "struct", "fields": [
        {"name": "id", "type": "long", "nullable": True, "metadata": {}},
        {"name": "v", "type": "variant", "nullable": True, "metadata": {}},
        {"name": "name", "type": "string", "nullable": True, "metadata": {}}]}
    actions = [
        {"protocol": {"minReaderVersion": 3, "minWriterVersion": 7, "readerFeatures": [feature],
                      "writerFeatures": [feature]}},
        {"metaData": {"id": str(uuid.uuid4()), "format": {"provider": "parquet", "options": {}},
                      "schemaString": json.dumps(schema), "partitionColumns": [], "configuration": {},
                      "createdTime": 1700000000000}},
        {"add": {"path": "part-0.parquet", "partitionValues": {}, "size": (lake / "part-0.parquet").stat().st_size,
                 "modificationTime": 1700000000000, "dataChange": True, "stats": json.dumps({"numRecords": 12})}},
    ]
    (lake / "_delta_log" / f"{0:020d}.json").write_text("".join(json.dumps(a) + "\n" for a in actions))
    return lake, [[i, f"n{i}"] for i in ids], values, metadata


DELTARS = r'''
import sys, json
import deltalake, pyarrow as pa
dt = deltalake.DeltaTable(sys.argv[1])
t = pa.table(deltalake.QueryBuilder().register("t", dt).execute("select * from t").read_all())
print(json.dumps({"rows": sorted([r["id"], r["name"]] for r in t.to_pylist()),
                  "v": [[r["id"], r["v"]["value"].hex(), r["v"]["metadata"].hex()] for r in sorted(t.to_pylist(), key=lambda r: r["id"])]}))
import os
sys.stdout.flush()
os._exit(0)
'''


@pytest.mark.parametrize("feature", ["variantType", "variantType-preview"])
def test_variant_columns_read_as_delta_rs_reads_them(amlgraph, tmp_path, feature):
    import pyarrow.parquet as pq
    lake, expected, values, metadata = variant_table(tmp_path, feature)
    p = subprocess.run([PY, "-c", DELTARS, str(lake)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    rs = json.loads(p.stdout.strip().splitlines()[-1])
    # delta-rs reads the variant column as the struct the protocol stores.
    assert rs["rows"] == expected
    assert rs["v"] == [[i, values[i].hex(), metadata[i].hex()] for i in range(12)]
    out = tmp_path / "o.parquet"
    amlgraph("delta", "read", lake, "--columns", "id,name", "--where", "id >= 0", "--out", out)
    assert sorted([r["id"], r["name"]] for r in pq.read_table(out).to_pylist()) == rs["rows"]
    show = amlgraph("delta", "show", lake).stdout
    assert "rows: 12" in show
    # The variant column reads as the struct delta-rs returns: the same bytes, field by field.
    amlgraph("delta", "read", lake, "--out", tmp_path / "all.parquet")
    t = pq.read_table(tmp_path / "all.parquet")
    got = sorted([r["id"], r["v"]["value"].hex(), r["v"]["metadata"].hex()] for r in t.to_pylist())
    assert got == rs["v"]
    assert [f.name for f in t.schema.field("v").type] == ["metadata", "value"]


def test_variant_tables_are_not_written(amlgraph, tmp_path):
    lake, _, _, _ = variant_table(tmp_path, "variantType")
    csv = tmp_path / "more.csv"
    csv.write_text("id,name\n99,n99\n")
    p = amlgraph("delta", "write", csv, lake, check=False)
    assert p.returncode == 1 and "variantType" in p.stderr
    assert not (lake / "_delta_log" / f"{1:020d}.json").exists()
