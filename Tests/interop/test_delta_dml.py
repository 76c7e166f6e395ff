"""DELETE and conditional MERGE (issue 17), through the amlgraph binary, each checked against
delta-rs running the same statement on a copy of the same table."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PY = sys.executable

# delta-rs side: apply one operation given as JSON, then print the table's rows.
DELTARS_OP = r'''
import sys, json
import deltalake  # before pyarrow (import-order abort otherwise)
import pyarrow as pa, pyarrow.csv as pacsv
path, op = sys.argv[1], json.loads(sys.argv[2])
dt = deltalake.DeltaTable(path)
if op["kind"] == "delete":
    m = dt.delete(op["predicate"])
elif op["kind"] == "merge":
    src = pacsv.read_csv(op["source"], convert_options=pacsv.ConvertOptions(column_types={
        "id": pa.int64(), "region": pa.string(), "amount": pa.float64(), "closed": pa.bool_()}))
    b = dt.merge(src, predicate=" AND ".join(f"target.{k} = source.{k}" for k in op["keys"]),
                 source_alias="source", target_alias="target")
    for action, cond in op["matched"]:
        if action == "update": b = b.when_matched_update_all(predicate=cond)
        else: b = b.when_matched_delete(predicate=cond)
    for cond in op["not_matched"]:
        b = b.when_not_matched_insert_all(predicate=cond)
    m = b.execute()
import os
sys.stdout.flush()
os._exit(0)
'''

READ = r'''
import sys, json
import deltalake
dt = deltalake.DeltaTable(sys.argv[1])
t = dt.to_pyarrow_table()
cols = sorted(t.column_names)
rows = sorted(json.dumps([r[c] for c in cols]) for r in t.to_pylist())
print(json.dumps({"version": dt.version(), "columns": cols, "rows": rows}))
import os
sys.stdout.flush()
os._exit(0)
'''


def deltars_apply(path, op):
    p = subprocess.run([PY, "-c", DELTARS_OP, str(path), json.dumps(op)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr


def deltars_rows(path):
    p = subprocess.run([PY, "-c", READ, str(path)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


def amlgraph_rows(amlgraph, path, tmp_path):
    out = tmp_path / f"read{len(list(tmp_path.iterdir()))}.parquet"
    amlgraph("delta", "read", path, "--out", out)
    import pyarrow.parquet as pq
    t = pq.read_table(out)
    cols = sorted(t.column_names)
    return sorted(json.dumps([r[c] for c in cols]) for r in t.to_pylist())


def last_commit(path):
    log = sorted((Path(path) / "_delta_log").glob("*.json"))[-1]
    return [json.loads(l) for l in log.read_text().splitlines() if l.strip()]


REGIONS = ["EU", "US", "APAC"]


def base_rows(lo, hi):
    out = []
    for i in range(lo, hi):
        amount = "" if i % 17 == 0 else f"{(i * 37) % 200 - 50}.5"
        out.append(f"{i},{REGIONS[i % 3]},{amount},{'true' if i % 5 == 0 else 'false'}\n")
    return out


@pytest.fixture
def table(amlgraph, tmp_path):
    """A table of three appends (so several files), partitioned by region, with null amounts."""
    lake = tmp_path / "t"
    for k, (lo, hi) in enumerate([(0, 120), (120, 240), (240, 300)]):
        csv = tmp_path / f"base{k}.csv"
        csv.write_text("id,region,amount,closed\n" + "".join(base_rows(lo, hi)))
        amlgraph("delta", "write", csv, lake, *(["--partition-by", "region"] if k == 0 else []))
    return lake


def twins(table, tmp_path):
    a, b = tmp_path / "ours", tmp_path / "theirs"
    shutil.copytree(table, a)
    shutil.copytree(table, b)
    return a, b


@pytest.mark.parametrize("predicate", [
    "amount < 0",                              # rows in every file: rewrites
    "region = 'EU'",                           # whole partition files: removed, not rewritten
    "region = 'US' and amount > 100",
    "amount is null or id >= 250",
    "id = 100000",                             # nothing matches
])
def test_delete_matches_delta_rs(amlgraph, tmp_path, table, predicate):
    ours, theirs = twins(table, tmp_path)
    before = deltars_rows(table)
    amlgraph("delta", "delete", ours, "--where", predicate)
    deltars_apply(theirs, {"kind": "delete", "predicate": predicate})
    got = deltars_rows(ours)
    want = deltars_rows(theirs)
    assert got["rows"] == want["rows"]
    assert amlgraph_rows(amlgraph, ours, tmp_path) == want["rows"]
    deleted = len(before["rows"]) - len(want["rows"])
    if deleted == 0:
        assert got["version"] == before["version"]  # nothing committed
        return
    assert got["version"] == before["version"] + 1
    actions = last_commit(ours)
    info = actions[0]["commitInfo"]
    assert info["operation"] == "DELETE"
    assert info["isolationLevel"] == "Serializable"
    assert info["operationMetrics"]["numDeletedRows"] == str(deleted)
    removes = [a["remove"] for a in actions if "remove" in a]
    adds = [a["add"] for a in actions if "add" in a]
    assert removes and all(r["dataChange"] for r in removes)
    if predicate == "region = 'EU'":
        assert adds == []  # every EU file matched whole: removed without a rewrite


def test_delete_on_append_only_table_is_refused(amlgraph, tmp_path):
    lake = tmp_path / "ao"
    csv = tmp_path / "a.csv"
    csv.write_text("id,region,amount,closed\n" + "".join(base_rows(0, 10)))
    amlgraph("delta", "write", csv, lake)
    log = lake / "_delta_log" / f"{0:020d}.json"
    lines = [json.loads(l) for l in log.read_text().splitlines()]
    for a in lines:
        if "metaData" in a: a["metaData"]["configuration"]["delta.appendOnly"] = "true"
    log.write_text("".join(json.dumps(a) + "\n" for a in lines))
    p = amlgraph("delta", "delete", lake, "--where", "id < 3", check=False)
    assert p.returncode == 1 and "append-only" in p.stderr
    assert len(deltars_rows(lake)["rows"]) == 10


def test_delete_where_names_an_unknown_column(amlgraph, tmp_path, table):
    p = amlgraph("delta", "delete", table, "--where", "amout < 0", check=False)
    assert p.returncode == 1 and "amout" in p.stderr


def merge_source(tmp_path):
    """Source rows: some keys in the table (matched), some new; closed flags and amounts
    chosen so each clause's condition splits them."""
    rows = []
    for i in list(range(0, 60, 3)) + list(range(290, 320)):
        amount = f"{(i * 13) % 90 - 30}.25" if i % 11 else ""
        rows.append(f"{i},{REGIONS[(i + 1) % 3]},{amount},{'true' if i % 4 == 0 else 'false'}\n")
    src = tmp_path / "source.csv"
    src.write_text("id,region,amount,closed\n" + "".join(rows))
    return src


@pytest.mark.parametrize("matched,not_matched", [
    ([], []),  # the default upsert
    ([("delete", "source.closed"), ("update", "source.amount <> target.amount")], [("insert", "source.amount > 0")]),
    ([("update", "target.region = 'EU'")], [("none", None)]),
    ([("none", None)], [("insert", None)]),           # insert-only merge
    ([("delete", None)], [("none", None)]),           # delete every matched row
    ([("update", "source.amount > target.amount"), ("delete", "target.closed = false")], [("insert", "source.region <> 'US'")]),
])
def test_conditional_merge_matches_delta_rs(amlgraph, tmp_path, table, matched, not_matched):
    ours, theirs = twins(table, tmp_path)
    src = merge_source(tmp_path)
    args = []
    for action, cond in matched:
        args += ["--when-matched", action + (f" if {cond}" if cond else "")]
    for action, cond in not_matched:
        args += ["--when-not-matched", action + (f" if {cond}" if cond else "")]
    amlgraph("delta", "write", src, ours, "--merge-on", "id", *args)
    op = {"kind": "merge", "source": str(src), "keys": ["id"],
          "matched": [(a, c) for a, c in matched if a != "none"] or ([] if matched else [("update", None)]),
          "not_matched": [c for a, c in not_matched if a != "none"] if not_matched else [None]}
    deltars_apply(theirs, op)
    want = deltars_rows(theirs)["rows"]
    assert deltars_rows(ours)["rows"] == want
    assert amlgraph_rows(amlgraph, ours, tmp_path) == want
    info = last_commit(ours)[0]["commitInfo"]
    assert info["operation"] == "MERGE" and info["isolationLevel"] == "Serializable"


def test_merge_clause_errors_are_clear(amlgraph, tmp_path, table):
    src = merge_source(tmp_path)
    p = amlgraph("delta", "write", src, table, "--merge-on", "id", "--when-matched", "update", "--when-matched", "delete", check=False)
    assert p.returncode == 1 and "only the last may omit" in p.stderr
    p = amlgraph("delta", "write", src, table, "--merge-on", "id", "--when-not-matched", "insert if target.amount > 0", check=False)
    assert p.returncode == 1 and "target" in p.stderr
    p = amlgraph("delta", "write", src, table, "--merge-on", "id", "--when-matched", "upsert", check=False)
    assert p.returncode == 1 and "expected 'update', 'delete' or 'none'" in p.stderr
    p = amlgraph("delta", "write", src, table, "--when-matched", "delete", check=False)
    assert p.returncode == 1 and "--merge-on" in p.stderr


def test_merge_updates_every_target_row_with_the_key(amlgraph, tmp_path):
    """Delta's UPDATE SET * changes each matched target row; two target rows sharing a key
    stay two rows (the former upsert collapsed them into one)."""
    lake = tmp_path / "dup"
    a = tmp_path / "a.csv"
    a.write_text("id,region,amount,closed\n1,EU,1.5,false\n1,US,2.5,false\n2,EU,3.5,true\n")
    amlgraph("delta", "write", a, lake)
    theirs = tmp_path / "dup2"
    shutil.copytree(lake, theirs)
    src = tmp_path / "s.csv"
    src.write_text("id,region,amount,closed\n1,APAC,9.5,true\n3,EU,4.5,false\n")
    amlgraph("delta", "write", src, lake, "--merge-on", "id")
    deltars_apply(theirs, {"kind": "merge", "source": str(src), "keys": ["id"], "matched": [("update", None)], "not_matched": [None]})
    want = deltars_rows(theirs)["rows"]
    assert len(want) == 4
    assert deltars_rows(lake)["rows"] == want
