"""V2 checkpoints (issue 17): the `v2Checkpoint` table feature, read through the amlgraph binary.

The tables are built here by a small encoder written from PROTOCOL.md's text ("V2 Checkpoint
Table Feature", "Checkpoint Specs", "Sidecar Files", "Checkpoint Metadata"): data files by
pyarrow, JSON commits by hand, then a V2-spec checkpoint (UUID-named JSON or Parquet, or a
classic name) whose add and remove actions live in `_delta_log/_sidecars/*.parquet`. The
commits the checkpoint covers are then deleted, as metadata cleanup does, so a reader can only
get the table right by following the checkpoint and its sidecars. The expected rows come from
replaying the JSON commits in plain Python before they were deleted; delta-rs reads the same
tables while their commits are still there and must agree.
"""
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

PY = sys.executable

PROTOCOL = {"minReaderVersion": 3, "minWriterVersion": 7,
            "readerFeatures": ["v2Checkpoint"], "writerFeatures": ["v2Checkpoint", "appendOnly", "invariants"]}
SCHEMA = json.dumps({"type": "struct", "fields": [
    {"name": "id", "type": "long", "nullable": True, "metadata": {}},
    {"name": "name", "type": "string", "nullable": True, "metadata": {}}]})


# ---- encoder written from the protocol text ------------------------------------------------

def write_data(lake, name, ids):
    import pyarrow as pa
    import pyarrow.parquet as pq
    t = pa.table({"id": pa.array(ids, pa.int64()), "name": pa.array([f"n{i}" for i in ids], pa.string())})
    pq.write_table(t, lake / name)
    return {"add": {"path": name, "partitionValues": {}, "size": (lake / name).stat().st_size,
                    "modificationTime": 1700000000000, "dataChange": True,
                    "stats": json.dumps({"numRecords": len(ids)})}}


def write_commit(lake, version, actions):
    log = lake / "_delta_log"
    log.mkdir(parents=True, exist_ok=True)
    info = {"commitInfo": {"timestamp": 1700000000000 + version, "operation": "WRITE"}}
    (log / f"{version:020d}.json").write_text("".join(json.dumps(a) + "\n" for a in [info] + actions))


def replay(lake, upto):
    """Action reconciliation over the JSON commits 0..upto: protocol, metaData, txn, live adds
    and tombstones (plain Python, independent of amlgraph)."""
    state = {"protocol": None, "metaData": None, "txn": {}, "add": {}, "remove": {}}
    for v in range(upto + 1):
        for line in (lake / "_delta_log" / f"{v:020d}.json").read_text().splitlines():
            a = json.loads(line)
            (kind, body), = a.items()
            if kind in ("protocol", "metaData"):
                state[kind] = body
            elif kind == "txn":
                state["txn"][body["appId"]] = body
            elif kind == "add":
                state["add"][body["path"]] = body
                state["remove"].pop(body["path"], None)
            elif kind == "remove":
                state["add"].pop(body["path"], None)
                state["remove"][body["path"]] = body
    return state


def expected_rows(lake, state):
    import pyarrow.parquet as pq
    rows = []
    for path in state["add"]:
        rows += [[r["id"], r["name"]] for r in pq.read_table(lake / path).to_pylist()]
    return sorted(rows)


STR_MAP = None


def arrow_types():
    import pyarrow as pa
    smap = pa.map_(pa.string(), pa.string())
    add = pa.struct([("path", pa.string()), ("partitionValues", smap), ("size", pa.int64()),
                     ("modificationTime", pa.int64()), ("dataChange", pa.bool_()), ("stats", pa.string()),
                     ("tags", smap)])
    remove = pa.struct([("path", pa.string()), ("deletionTimestamp", pa.int64()), ("dataChange", pa.bool_()),
                        ("extendedFileMetadata", pa.bool_()), ("partitionValues", smap), ("size", pa.int64())])
    protocol = pa.struct([("minReaderVersion", pa.int32()), ("minWriterVersion", pa.int32()),
                          ("readerFeatures", pa.list_(pa.string())), ("writerFeatures", pa.list_(pa.string()))])
    metadata = pa.struct([("id", pa.string()), ("name", pa.string()), ("description", pa.string()),
                          ("format", pa.struct([("provider", pa.string()), ("options", smap)])),
                          ("schemaString", pa.string()), ("partitionColumns", pa.list_(pa.string())),
                          ("configuration", smap), ("createdTime", pa.int64())])
    txn = pa.struct([("appId", pa.string()), ("version", pa.int64()), ("lastUpdated", pa.int64())])
    cpmeta = pa.struct([("version", pa.int64()), ("tags", smap)])
    sidecar = pa.struct([("path", pa.string()), ("sizeInBytes", pa.int64()), ("modificationTime", pa.int64()),
                         ("tags", smap)])
    return {"add": add, "remove": remove, "protocol": protocol, "metaData": metadata, "txn": txn,
            "checkpointMetadata": cpmeta, "sidecar": sidecar}


def arrow_row(kind, body):
    """A log action's body shaped for its checkpoint struct column (maps as key/value lists)."""
    types = arrow_types()
    out = {}
    for f in types[kind]:
        v = body.get(f.name)
        if isinstance(v, dict):
            if f.name == "format":
                v = {"provider": v.get("provider", "parquet"), "options": list(v.get("options", {}).items())}
            else:
                v = list(v.items())
        out[f.name] = v
    return out


def write_rows_parquet(path, actions, columns):
    """One row per action, one nullable struct column per action kind (PROTOCOL.md
    "Checkpoint Schema")."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    types = arrow_types()
    data = {c: [] for c in columns}
    for a in actions:
        (kind, body), = a.items()
        for c in columns:
            data[c].append(arrow_row(kind, body) if c == kind else None)
    t = pa.table({c: pa.array(data[c], types[c]) for c in columns})
    pq.write_table(t, path)


def write_v2_checkpoint(lake, version, form, sidecar_count=2, sidecar_path=None, classic=False):
    """A V2-spec checkpoint of `version` built from the JSON commits: checkpointMetadata, the
    non-file actions, and the add/remove actions split over `sidecar_count` sidecar files in
    `_delta_log/_sidecars/` (inline when 0). `form` is 'json' or 'parquet'. Returns its path."""
    log = lake / "_delta_log"
    state = replay(lake, version)
    files = [{"add": a} for a in state["add"].values()]
    files += [{"remove": {k: v for k, v in r.items() if k not in ("stats", "tags")}} for r in state["remove"].values()]
    top = [{"checkpointMetadata": {"version": version, "tags": {}}},
           {"protocol": state["protocol"]}, {"metaData": state["metaData"]}]
    top += [{"txn": t} for t in state["txn"].values()]
    if sidecar_count == 0:
        top += files
    else:
        (log / "_sidecars").mkdir(exist_ok=True)
        for i in range(sidecar_count):
            name = f"{uuid.uuid4()}.parquet"
            p = log / "_sidecars" / name
            write_rows_parquet(p, files[i::sidecar_count], ["add", "remove"])
            path = sidecar_path(name) if sidecar_path else name
            top.append({"sidecar": {"path": path, "sizeInBytes": p.stat().st_size,
                                    "modificationTime": 1700000000000, "tags": {}}})
    name = f"{version:020d}.checkpoint.parquet" if classic else f"{version:020d}.checkpoint.{uuid.uuid4()}.{form}"
    out = log / name
    if form == "json":
        out.write_text("".join(json.dumps(a) + "\n" for a in top))
    else:
        write_rows_parquet(out, top, ["checkpointMetadata", "protocol", "metaData", "txn", "add", "remove", "sidecar"])
    (log / "_last_checkpoint").write_text(json.dumps({
        "version": version, "size": len(top), "sizeInBytes": out.stat().st_size,
        "v2Checkpoint": {"path": name, "sizeInBytes": out.stat().st_size, "modificationTime": 1700000000000,
                         "nonFileActions": top[:3], "sidecarFiles": [a["sidecar"] for a in top if "sidecar" in a]}}))
    return out


def base_table(tmp_path, name="t"):
    """Versions 0-3: create (v2Checkpoint protocol), two appends with a txn, a delete of one file.
    Version 4 (after the checkpoint) adds a file and removes one that only a sidecar knows."""
    lake = tmp_path / name
    lake.mkdir()
    f = [write_data(lake, f"part-{i}.parquet", list(range(i * 100, i * 100 + 20 + i))) for i in range(6)]
    meta = {"id": str(uuid.uuid4()), "format": {"provider": "parquet", "options": {}}, "schemaString": SCHEMA,
            "partitionColumns": [], "configuration": {"delta.checkpointPolicy": "v2"}, "createdTime": 1700000000000}
    write_commit(lake, 0, [{"protocol": PROTOCOL}, {"metaData": meta}, f[0]])
    write_commit(lake, 1, [f[1], f[2], {"txn": {"appId": "loader", "version": 7, "lastUpdated": 1}}])
    write_commit(lake, 2, [f[3], {"remove": {"path": "part-0.parquet", "deletionTimestamp": 1700000000002,
                                             "dataChange": True, "size": f[0]["add"]["size"]}}])
    write_commit(lake, 3, [f[4]])
    return lake, f


def add_tail(lake, f):
    write_commit(lake, 4, [f[5], {"remove": {"path": "part-3.parquet", "deletionTimestamp": 1700000000004,
                                             "dataChange": True}}])


DELTARS = r'''
import sys, json
import deltalake, pyarrow as pa
dt = deltalake.DeltaTable(sys.argv[1])
t = pa.table(deltalake.QueryBuilder().register("t", dt).execute("select id, name from t").read_all())
print(json.dumps(sorted([r["id"], r["name"]] for r in t.to_pylist())))
import os
sys.stdout.flush()
os._exit(0)
'''


def deltars_rows(lake):
    p = subprocess.run([PY, "-c", DELTARS, str(lake)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


def ours(amlgraph, lake, *args):
    import pyarrow.parquet as pq
    out = lake.parent / f"out-{uuid.uuid4()}.parquet"
    amlgraph("delta", "read", lake, "--out", out, *args)
    return sorted([r["id"], r["name"]] for r in pq.read_table(out).to_pylist())


def clean_up_log(lake, upto):
    """Metadata cleanup: the commits the checkpoint covers are deleted."""
    for v in range(upto + 1):
        (lake / "_delta_log" / f"{v:020d}.json").unlink()


# ---- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("form,sidecars,classic", [
    ("json", 2, False), ("parquet", 2, False), ("parquet", 0, False), ("json", 0, False), ("parquet", 3, True)])
def test_v2_checkpoints_are_followed_through_their_sidecars(amlgraph, tmp_path, form, sidecars, classic):
    lake, f = base_table(tmp_path)
    write_v2_checkpoint(lake, 3, form, sidecar_count=sidecars, classic=classic)
    add_tail(lake, f)
    expected = expected_rows(lake, replay(lake, 4))
    assert len(expected) == 21 + 22 + 24 + 25
    # delta-rs reads it while the JSON commits are still there.
    assert deltars_rows(lake) == expected
    assert ours(amlgraph, lake) == expected
    clean_up_log(lake, 3)
    assert ours(amlgraph, lake) == expected
    # The checkpoint's version itself, and its txn and tombstones, come from it too.
    assert ours(amlgraph, lake, "--version", "3") == expected_rows_at(f, [1, 2, 3, 4])
    show = amlgraph("delta", "show", lake).stdout
    assert "txn: loader = 7" in show and "rows: 92" in show and "version: 4" in show


def expected_rows_at(f, parts):
    rows = []
    for i in parts:
        n = 20 + i
        rows += [[x, f"n{x}"] for x in range(i * 100, i * 100 + n)]
    return sorted(rows)


def test_the_checkpoint_alone_gives_the_table(amlgraph, tmp_path):
    """No JSON commit left at all: the newest version is the checkpoint's."""
    lake, f = base_table(tmp_path)
    write_v2_checkpoint(lake, 3, "json")
    expected = expected_rows(lake, replay(lake, 3))
    clean_up_log(lake, 3)
    assert ours(amlgraph, lake) == expected


@pytest.mark.parametrize("bad,message", [
    (lambda name: "../../part-1.parquet", "_sidecars"),
    (lambda name: "sub/" + name, "_sidecars"),
    (lambda name: "/tmp/" + name, "_sidecars"),
    (lambda name: "file:///etc/" + name, "_sidecars"),
    (lambda name: "s3://bucket/" + name, "remote"),
])
def test_sidecar_paths_never_leave_the_sidecars_directory(amlgraph, tmp_path, bad, message):
    lake, f = base_table(tmp_path)
    write_v2_checkpoint(lake, 3, "json", sidecar_path=bad)
    clean_up_log(lake, 3)
    p = amlgraph("delta", "read", lake, "--out", tmp_path / "x.csv", check=False)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "unsafe path" in p.stderr and message in p.stderr
    assert "Traceback" not in p.stderr and "Fatal error" not in p.stderr


def test_sidecar_paths_inside_the_directory_may_be_absolute(amlgraph, tmp_path):
    lake, f = base_table(tmp_path)
    write_v2_checkpoint(lake, 3, "parquet",
                        sidecar_path=lambda name: "file://" + str((lake / "_delta_log" / "_sidecars" / name).resolve()))
    expected = expected_rows(lake, replay(lake, 3))
    clean_up_log(lake, 3)
    assert ours(amlgraph, lake) == expected


def test_damaged_v2_checkpoints_are_clear_errors(amlgraph, tmp_path):
    # A sidecar whose size differs from the one recorded, a missing sidecar, and a UUID-named
    # checkpoint without checkpointMetadata: each refused with the file named, never misread.
    cases = []
    lake, _ = base_table(tmp_path, "size")
    write_v2_checkpoint(lake, 3, "json")
    side = sorted((lake / "_delta_log" / "_sidecars").iterdir())[0]
    side.write_bytes(side.read_bytes() + b"\0")
    cases.append((lake, "bytes, the checkpoint records"))
    lake, _ = base_table(tmp_path, "missing")
    write_v2_checkpoint(lake, 3, "json")
    sorted((lake / "_delta_log" / "_sidecars").iterdir())[0].unlink()
    cases.append((lake, "is missing"))
    lake, _ = base_table(tmp_path, "nometa")
    cp = write_v2_checkpoint(lake, 3, "json")
    cp.write_text("".join(l + "\n" for l in cp.read_text().splitlines() if "checkpointMetadata" not in l))
    cases.append((lake, "checkpointMetadata"))
    lake, _ = base_table(tmp_path, "wrongversion")
    cp = write_v2_checkpoint(lake, 3, "json")
    cp.write_text(cp.read_text().replace('"checkpointMetadata": {"version": 3', '"checkpointMetadata": {"version": 2'))
    cases.append((lake, "checkpointMetadata says version 2"))
    for lake, message in cases:
        clean_up_log(lake, 3)
        p = amlgraph("delta", "read", lake, "--out", tmp_path / "x.csv", check=False)
        assert p.returncode == 1, (lake, p.stdout, p.stderr)
        assert message in p.stderr and "_delta_log" in p.stderr, (lake, p.stderr)


def test_a_damaged_v2_checkpoint_falls_back_to_the_json_log(amlgraph, tmp_path):
    lake, f = base_table(tmp_path)
    write_v2_checkpoint(lake, 3, "parquet")
    for s in (lake / "_delta_log" / "_sidecars").iterdir():
        s.unlink()
    add_tail(lake, f)
    assert ours(amlgraph, lake) == expected_rows(lake, replay(lake, 4))


def test_appends_and_checkpoints_keep_a_v2_checkpoint_table_readable(amlgraph, tmp_path):
    """The feature only governs checkpoints: appends and merges work, and `delta checkpoint`
    writes a classic V1-spec checkpoint, which PROTOCOL.md always allows."""
    import pyarrow.parquet as pq
    lake, f = base_table(tmp_path)
    write_v2_checkpoint(lake, 3, "json")
    clean_up_log(lake, 3)
    csv = tmp_path / "more.csv"
    csv.write_text("id,name\n900,n900\n901,n901\n")
    amlgraph("delta", "write", csv, lake, "--checkpoint-interval", "0")
    upsert = tmp_path / "upsert.csv"
    upsert.write_text("id,name\n900,changed\n902,n902\n")
    amlgraph("delta", "write", upsert, lake, "--merge-on", "id", "--checkpoint-interval", "0")
    expected = sorted(expected_rows_at(f, [1, 2, 3, 4]) + [[900, "changed"], [901, "n901"], [902, "n902"]])
    assert ours(amlgraph, lake) == expected
    amlgraph("delta", "checkpoint", lake)
    log = lake / "_delta_log"
    classic = sorted(log.glob("*.checkpoint.parquet"))
    assert [p.name for p in classic] == [f"{5:020d}.checkpoint.parquet"]
    cp = pq.read_table(classic[0]).to_pylist()
    protocols = [r["protocol"] for r in cp if r["protocol"]]
    assert "v2Checkpoint" in protocols[0]["readerFeatures"]
    # Every live file is in it: reading from it alone (commits deleted) gives the same rows.
    for v in (4, 5):
        (log / f"{v:020d}.json").unlink()
    assert ours(amlgraph, lake) == expected
    assert not list(log.glob("*.checkpoint.*.*.parquet")), "multi-part checkpoints are forbidden with v2Checkpoint"


GOLDEN = os.environ.get("DELTA_GOLDEN_DIR")


@pytest.mark.skipif(not GOLDEN, reason="DELTA_GOLDEN_DIR (delta-io/delta golden tables) not set")
@pytest.mark.parametrize("table", ["v2-checkpoint-json", "v2-checkpoint-parquet"])
def test_delta_golden_v2_checkpoint_tables(amlgraph, tmp_path, table):
    import shutil
    lake = tmp_path / table
    shutil.copytree(Path(GOLDEN) / table, lake)
    expected = deltars_rows_any(lake)
    assert ours_any(amlgraph, lake) == expected
    clean_up_log(lake, 2)  # only the checkpoint and its sidecars are left
    assert ours_any(amlgraph, lake) == expected


def deltars_rows_any(lake):
    import deltalake
    import pyarrow as pa
    t = pa.table(deltalake.QueryBuilder().register("t", deltalake.DeltaTable(str(lake))).execute("select * from t").read_all())
    return sorted(json.dumps(r, sort_keys=True) for r in t.to_pylist())


def ours_any(amlgraph, lake):
    import pyarrow.parquet as pq
    out = lake.parent / f"out-{uuid.uuid4()}.parquet"
    amlgraph("delta", "read", lake, "--out", out)
    return sorted(json.dumps(r, sort_keys=True) for r in pq.read_table(out).to_pylist())
