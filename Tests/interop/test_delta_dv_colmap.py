"""Deletion vectors and column mapping (issue 17), read through the amlgraph binary.

delta-rs 1.6 writes neither, so the tables are built here: data files by pyarrow, the log by
hand, and deletion vectors by an encoder written from PROTOCOL.md's text (Z85, the
RoaringBitmapArray portable format, the DV file framing with its CRC-32) independently of
amlgraph's decoder. Each table is read by amlgraph and by delta-rs (its DataFusion scan,
which applies DVs and column mapping) and both must equal the rows computed here.
"""
import json
import struct
import subprocess
import sys
import uuid
import zlib
from pathlib import Path

import pytest

PY = sys.executable

# ---- encoder written from the protocol text ------------------------------------------------

Z85_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"


def z85(data: bytes) -> str:
    assert len(data) % 4 == 0
    out = []
    for i in range(0, len(data), 4):
        v = int.from_bytes(data[i:i + 4], "big")
        chunk = []
        for _ in range(5):
            v, r = divmod(v, 85)
            chunk.append(Z85_CHARS[r])
        out.extend(reversed(chunk))
    return "".join(out)


def roaring32(values, runs=False):
    """Portable 32-bit RoaringBitmap: arrays for <= 4096 values per 16-bit block, bitmaps
    above; with runs=True every block of consecutive values becomes a run container."""
    blocks = {}
    for v in sorted(set(values)):
        blocks.setdefault(v >> 16, []).append(v & 0xFFFF)
    keys = sorted(blocks)
    bodies, kinds = [], []
    for k in keys:
        lows = blocks[k]
        consecutive = lows == list(range(lows[0], lows[0] + len(lows)))
        if runs and consecutive and len(lows) > 1:
            bodies.append(struct.pack("<HHH", 1, lows[0], len(lows) - 1)); kinds.append("run")
        elif len(lows) <= 4096:
            bodies.append(struct.pack(f"<{len(lows)}H", *lows)); kinds.append("array")
        else:
            bits = bytearray(8192)
            for x in lows:
                bits[x >> 3] |= 1 << (x & 7)
            bodies.append(bytes(bits)); kinds.append("bitmap")
    n = len(keys)
    header = bytearray()
    has_runs = "run" in kinds
    if has_runs:
        header += struct.pack("<I", 12347 | ((n - 1) << 16))
        flags = bytearray((n + 7) // 8)
        for i, kind in enumerate(kinds):
            if kind == "run":
                flags[i // 8] |= 1 << (i % 8)
        header += flags
    else:
        header += struct.pack("<II", 12346, n)
    for k in keys:
        header += struct.pack("<HH", k, len(blocks[k]) - 1)
    if not has_runs or n >= 4:
        offset = len(header) + 4 * n
        for b in bodies:
            header += struct.pack("<I", offset)
            offset += len(b)
    return bytes(header) + b"".join(bodies)


def bitmap_array(values, runs=False):
    """Delta's RoaringBitmapArray: magic, then the 64-bit portable format (bucket count, then
    per bucket its high 32 bits and a 32-bit RoaringBitmap)."""
    buckets = {}
    for v in values:
        buckets.setdefault(v >> 32, []).append(v & 0xFFFFFFFF)
    out = struct.pack("<IQ", 1681511377, len(buckets))
    for k in sorted(buckets):
        out += struct.pack("<I", k) + roaring32(buckets[k], runs)
    return out


def dv_file(bitmaps):
    """A DV file holding several bitmaps; returns (bytes, [offset of each])."""
    data, offsets = bytearray([1]), []
    for b in bitmaps:
        offsets.append(len(data))
        data += struct.pack(">I", len(b)) + b + struct.pack(">I", zlib.crc32(b))
    return bytes(data), offsets


def uuid_z85(u: uuid.UUID) -> str:
    return z85(u.bytes)


def test_encoder_reproduces_the_protocol_example():
    # PROTOCOL.md "JSON Example 1": prefix 'ab' plus the Z85 UUID d2c639aa-8816-431a-aaf6-d3fe2512ff61.
    # (Its inline Example 3 is in an older big-endian framing, magic 1681511376, not the
    # portable format the text specifies and Spark writes, so it is not reproduced here.)
    assert uuid_z85(uuid.UUID("d2c639aa-8816-431a-aaf6-d3fe2512ff61")) == "^-aqEH.-t@S}K{vb[*k^"
    # Its 32-bit RoaringBitmap part is the standard format, byte for byte: cookie 12346, one
    # container, key 0, cardinality-1 = 5, its offset, then the six 16-bit values.
    assert roaring32([3, 4, 7, 11, 18, 29]).hex() == "3a300000" "01000000" "00000500" "10000000" "030004000700" "0b0012001d00"


# ---- tables --------------------------------------------------------------------------------

def write_log(lake, version, actions):
    log = Path(lake) / "_delta_log"
    log.mkdir(parents=True, exist_ok=True)
    (log / f"{version:020d}.json").write_text("".join(json.dumps(a) + "\n" for a in actions))


def schema_string(fields):
    return json.dumps({"type": "struct", "fields": fields})


def write_parquet(path, columns, field_ids=None):
    import pyarrow as pa
    import pyarrow.parquet as pq
    fields = []
    for name, arr in columns.items():
        md = {b"PARQUET:field_id": str(field_ids[name]).encode()} if field_ids else None
        fields.append(pa.field(name, arr.type, metadata=md))
    t = pa.Table.from_arrays(list(columns.values()), schema=pa.schema(fields))
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(t, path)
    return path.stat().st_size


DELTARS = r'''
import sys, json
import deltalake, pyarrow as pa
dt = deltalake.DeltaTable(sys.argv[1])
t = pa.table(deltalake.QueryBuilder().register("t", dt).execute(sys.argv[2]).read_all())
cols = sorted(t.column_names)
print(json.dumps({"columns": cols, "rows": sorted([r[c] for c in cols] for r in t.to_pylist())}))
import os
sys.stdout.flush()
os._exit(0)
'''


def deltars(lake, sql="select * from t"):
    p = subprocess.run([PY, "-c", DELTARS, str(lake), sql], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


def ours(amlgraph, lake, *args):
    import pyarrow.parquet as pq
    out = Path(lake).parent / f"out{abs(hash((str(lake),) + args))}.parquet"
    amlgraph("delta", "read", lake, "--out", out, *args)
    t = pq.read_table(out)
    cols = sorted(t.column_names)
    return {"columns": cols, "rows": sorted([r[c] for c in cols] for r in t.to_pylist())}


DV_PROTOCOL = {"protocol": {"minReaderVersion": 3, "minWriterVersion": 7,
                            "readerFeatures": ["deletionVectors"], "writerFeatures": ["deletionVectors"]}}


def dv_table(tmp_path):
    """Three files, each with a DV of another storage type; returns (lake, expected rows)."""
    import pyarrow as pa
    lake = tmp_path / "dv"
    sizes = {"a": 150_000, "b": 1000, "c": 500}
    adds, expected = [], []
    deleted = {
        # array container, a bitmap container (6,000 values in one block), a run container
        "a": [3, 4, 7, 11, 18, 29] + list(range(65536, 65536 + 12000, 2)) + list(range(131172, 136172)),
        "b": [0, 5, 999],
        "c": list(range(0, 500, 7)),
    }
    bitmaps = {k: bitmap_array(v, runs=(k == "a")) for k, v in deleted.items()}
    # "a" and "c" share one DV file under the random prefix "ab"; "c" refers to it by absolute path.
    u = uuid.uuid4()
    data, offsets = dv_file([bitmaps["a"], bitmaps["c"]])
    (lake / "ab").mkdir(parents=True)
    dv_path = lake / "ab" / f"deletion_vector_{u}.bin"
    dv_path.write_bytes(data)
    dvs = {
        "a": {"storageType": "u", "pathOrInlineDv": "ab" + uuid_z85(u), "offset": offsets[0],
              "sizeInBytes": len(bitmaps["a"]), "cardinality": len(deleted["a"])},
        "b": {"storageType": "i", "pathOrInlineDv": z85(bitmaps["b"] + b"\0" * (-len(bitmaps["b"]) % 4)),
              "sizeInBytes": len(bitmaps["b"]), "cardinality": len(deleted["b"])},
        "c": {"storageType": "p", "pathOrInlineDv": "file://" + str(dv_path.resolve()), "offset": offsets[1],
              "sizeInBytes": len(bitmaps["c"]), "cardinality": len(deleted["c"])},
    }
    for k, n in sizes.items():
        ids = pa.array(range(n), pa.int64())
        names = pa.array([f"{k}{i}" for i in range(n)])
        name = f"part-{k}.parquet"
        size = write_parquet(lake / name, {"id": ids, "name": names})
        adds.append({"add": {"path": name, "partitionValues": {}, "size": size, "modificationTime": 1700000000000,
                             "dataChange": True, "stats": json.dumps({"numRecords": n, "minValues": {"id": 0}, "maxValues": {"id": n - 1},
                                                                      "nullCount": {"id": 0}}),
                             "deletionVector": dvs[k]}})
        gone = set(deleted[k])
        expected += [[i, f"{k}{i}"] for i in range(n) if i not in gone]
    fields = [{"name": "id", "type": "long", "nullable": True, "metadata": {}},
              {"name": "name", "type": "string", "nullable": True, "metadata": {}}]
    write_log(lake, 0, [DV_PROTOCOL, {"metaData": {"id": "dv-test", "format": {"provider": "parquet", "options": {}},
                                                   "schemaString": schema_string(fields), "partitionColumns": [],
                                                   "configuration": {"delta.enableDeletionVectors": "true"}, "createdTime": 1700000000000}}] + adds)
    return lake, sorted(expected)


def test_deletion_vectors_of_every_storage_type_are_applied(amlgraph, tmp_path):
    lake, expected = dv_table(tmp_path)
    got = ours(amlgraph, lake)
    assert got["rows"] == expected
    assert deltars(lake)["rows"] == expected
    # Row filters and projection after the DV: a filter on id skips nothing wrongly.
    got = ours(amlgraph, lake, "--where", "id >= 65530 and id < 65560", "--columns", "id,name")
    assert got["rows"] == [r for r in expected if 65530 <= r[0] < 65560]
    show = amlgraph("delta", "show", lake).stdout
    assert f"rows: {len(expected)}" in show


def test_a_file_replaced_with_a_new_deletion_vector_is_one_logical_file(amlgraph, tmp_path):
    """remove(path, dv1) and add(path, dv2) in one commit, the add first: log replay keys
    files by path and DV id, so the file stays live with the new DV."""
    lake, _ = dv_table(tmp_path)
    commit0 = [json.loads(l) for l in (lake / "_delta_log" / f"{0:020d}.json").read_text().splitlines()]
    b = next(a["add"] for a in commit0 if "add" in a and a["add"]["path"] == "part-b.parquet")
    newer = bitmap_array([0, 1, 2, 5, 999])
    add = dict(b, deletionVector={"storageType": "i", "pathOrInlineDv": z85(newer + b"\0" * (-len(newer) % 4)),
                                  "sizeInBytes": len(newer), "cardinality": 5})
    remove = {"path": b["path"], "deletionTimestamp": 1700000001000, "dataChange": True, "deletionVector": b["deletionVector"]}
    write_log(lake, 1, [{"add": add}, {"remove": remove}])
    rows = ours(amlgraph, lake, "--where", "id < 10 and name like 'b%'")["rows"]
    assert [r[0] for r in rows] == [3, 4, 6, 7, 8, 9]
    assert [r for r in deltars(lake)["rows"] if r[1].startswith("b") and r[0] < 10] == rows


@pytest.mark.parametrize("damage,message", [
    ("checksum", "CRC-32"),
    ("size", "says"),
    ("cardinality", "cardinality"),
    ("past-end", "past the file"),
    ("huge", "impossible"),
    ("offset", "does not fit"),
])
def test_damaged_deletion_vectors_are_clear_errors(amlgraph, tmp_path, damage, message):
    lake, _ = dv_table(tmp_path)
    log = lake / "_delta_log" / f"{0:020d}.json"
    actions = [json.loads(l) for l in log.read_text().splitlines()]
    a = next(x["add"] for x in actions if "add" in x and x["add"]["path"] == "part-a.parquet")
    dv = a["deletionVector"]
    dv_file_path = next((lake / "ab").glob("*.bin"))
    if damage == "checksum":
        raw = bytearray(dv_file_path.read_bytes())
        raw[dv["offset"] + 4 + 20] ^= 0xFF
        dv_file_path.write_bytes(bytes(raw))
    elif damage == "size":
        dv["sizeInBytes"] -= 4
    elif damage == "cardinality":
        dv["cardinality"] += 1
    elif damage == "past-end":
        c = next(x["add"] for x in actions if "add" in x and x["add"]["path"] == "part-c.parquet")
        c["deletionVector"] = dict(a["deletionVector"])  # bitmap of a 150k-row file on a 500-row file
        c["deletionVector"]["cardinality"] = 400
    elif damage == "huge":
        dv["sizeInBytes"] = 2**40
    elif damage == "offset":
        dv["offset"] = 10**12
    log.write_text("".join(json.dumps(x) + "\n" for x in actions))
    p = amlgraph("delta", "read", lake, "--out", tmp_path / "x.csv", check=False)
    assert p.returncode == 1, p.stderr
    assert message in p.stderr and "Traceback" not in p.stderr and "Fatal" not in p.stderr


def test_tables_with_deletion_vectors_are_not_written(amlgraph, tmp_path):
    lake, expected = dv_table(tmp_path)
    p = amlgraph("delta", "delete", lake, "--where", "id = 3", check=False)
    assert p.returncode == 1 and "deletionVectors" in p.stderr
    assert ours(amlgraph, lake)["rows"] == expected


def mapped_table(tmp_path, mode, scramble=False):
    """Logical columns id, amount, region (partition) stored under physical names; in id mode
    with scramble=True the file's column names are unrelated and only field ids match."""
    import pyarrow as pa
    lake = tmp_path / f"cm-{mode}{'-scrambled' if scramble else ''}"
    phys = {"id": "col-5f422f40-de70-45b2-88ab-1d5c90e94db1", "amount": "col-a7f4159c-53be-4cb0-b81a-f7e5240cfc49",
            "region": "col-0c2f0a1e-9d1b-4bde-9e5a-2f2b9b7a9c11"}
    ids = {"id": 1, "amount": 2, "region": 3}
    in_file = {"id": "x1", "amount": "x2"} if scramble else phys
    fields = [{"name": n, "type": t, "nullable": True,
               "metadata": {"delta.columnMapping.id": ids[n], "delta.columnMapping.physicalName": phys[n]}}
              for n, t in [("id", "long"), ("amount", "double"), ("region", "string")]]
    adds, expected = [], []
    for region, lo in [("EU", 0), ("US", 100)]:
        n = 50
        id_vals = list(range(lo, lo + n))
        amounts = [i * 1.5 for i in id_vals]
        rel = f"{phys['region']}={region}/part-{region}.parquet"
        size = write_parquet(lake / rel, {in_file["id"]: pa.array(id_vals, pa.int64()), in_file["amount"]: pa.array(amounts)},
                             field_ids={in_file["id"]: 1, in_file["amount"]: 2})
        stats = {"numRecords": n, "minValues": {phys["id"]: lo, phys["amount"]: amounts[0]},
                 "maxValues": {phys["id"]: lo + n - 1, phys["amount"]: amounts[-1]}, "nullCount": {phys["id"]: 0, phys["amount"]: 0}}
        adds.append({"add": {"path": rel, "partitionValues": {phys["region"]: region}, "size": size,
                             "modificationTime": 1700000000000, "dataChange": True, "stats": json.dumps(stats)}})
        expected += [[a, i, region] for i, a in zip(id_vals, amounts)]  # sorted column order: amount, id, region
    write_log(lake, 0, [{"protocol": {"minReaderVersion": 2, "minWriterVersion": 5}},
                        {"metaData": {"id": "cm", "format": {"provider": "parquet", "options": {}}, "schemaString": schema_string(fields),
                                      "partitionColumns": ["region"], "createdTime": 1700000000000,
                                      "configuration": {"delta.columnMapping.mode": mode, "delta.columnMapping.maxColumnId": "3"}}}] + adds)
    return lake, sorted(expected)


@pytest.mark.parametrize("mode", ["name", "id"])
def test_column_mapping_reads_by_logical_name(amlgraph, tmp_path, mode):
    lake, expected = mapped_table(tmp_path, mode)
    got = ours(amlgraph, lake)
    assert got["columns"] == ["amount", "id", "region"]
    assert got["rows"] == expected
    assert deltars(lake)["rows"] == expected
    # Filters use logical names; partition values and stats are found by physical name.
    got = ours(amlgraph, lake, "--where", "region = 'US' and id >= 140")
    assert got["rows"] == [r for r in expected if r[2] == "US" and r[1] >= 140]
    assert got["rows"] == deltars(lake, "select * from t where region = 'US' and id >= 140")["rows"]


def test_id_mode_resolves_columns_by_field_id(amlgraph, tmp_path):
    lake, expected = mapped_table(tmp_path, "id", scramble=True)
    assert ours(amlgraph, lake)["rows"] == expected


def test_column_mapped_tables_are_not_written(amlgraph, tmp_path):
    lake, expected = mapped_table(tmp_path, "name")
    csv = tmp_path / "more.csv"
    csv.write_text("id,amount,region\n999,1.0,EU\n")
    p = amlgraph("delta", "write", csv, lake, check=False)
    assert p.returncode == 1 and "column mapping" in p.stderr
    assert ours(amlgraph, lake)["rows"] == expected
