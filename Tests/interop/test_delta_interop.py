"""Delta Lake interop: tables written by amlgraph are read identically by delta-rs, DuckDB's
delta extension and pyarrow; tables written by delta-rs are read identically by amlgraph.
Also crash safety (SIGKILLed writers) and concurrency (4 processes appending at once).

Oracles run in subprocesses: delta-rs, DuckDB and pyarrow in one process can abort at exit
(see ANCHORS.md), which must not fail the test run.
"""
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PY = sys.executable

ORACLE = r'''
import sys, json, glob, os, base64, datetime, decimal
import deltalake  # before pyarrow.parquet (import-order abort otherwise)
import pyarrow as pa
import pyarrow.parquet as pq

def norm(v):
    if v is None: return None
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None: v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return "ts:" + v.isoformat()
    if isinstance(v, datetime.date): return "date:" + v.isoformat()
    if isinstance(v, decimal.Decimal): return "dec:" + str(v)
    if isinstance(v, bytes): return "bin:" + v.hex()
    if isinstance(v, float): return repr(v)
    return v

def rows(table):
    cols = table.column_names
    out = [[norm(r[c]) for c in cols] for r in table.to_pylist()]
    out.sort(key=lambda r: json.dumps(r))
    return {"columns": cols, "rows": out}

def replay(path, version=None):
    # Independent JSON log replay (pyarrow reads the files): newest add/remove per path wins.
    live, meta = {}, None
    logs = sorted(glob.glob(os.path.join(path, "_delta_log", "*.json")))
    for f in logs:
        v = int(os.path.basename(f)[:20])
        if version is not None and v > version: break
        for line in open(f):
            if not line.strip(): continue
            a = json.loads(line)
            if "add" in a: live[a["add"]["path"]] = a["add"]
            elif "remove" in a: live.pop(a["remove"]["path"], None)
            elif "metaData" in a: meta = a["metaData"]
    return live, meta

tool, path = sys.argv[1], sys.argv[2]
version = int(sys.argv[3]) if tool != "write" and len(sys.argv) > 3 and sys.argv[3] != "-" else None
if tool == "deltars":
    dt = deltalake.DeltaTable(path, version=version)
    t = dt.to_pyarrow_dataset().to_table()
    res = rows(t)
    res["types"] = {f.name: str(f.type) for f in dt.schema().fields}
    res["version"] = dt.version()
elif tool == "duckdb":
    import duckdb
    ext = glob.glob(os.path.join(os.path.dirname(duckdb.__file__), "..", "duckdb_extension_delta", "extensions", "*", "delta.duckdb_extension"))[0]
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{ext}'")
    t = con.execute(f"SELECT * FROM delta_scan('{path}')").fetch_arrow_table()
    res = rows(t)
elif tool == "pyarrow":
    import urllib.parse
    live, meta = replay(path, version)
    schema = json.loads(meta["schemaString"])
    names = [f["name"] for f in schema["fields"]]
    parts = []
    for p, add in live.items():
        t = pq.read_table(os.path.join(path, urllib.parse.unquote(p)))
        for c in meta["partitionColumns"]:
            t = t.append_column(c, pa.array([add["partitionValues"].get(c)] * t.num_rows, pa.string()))
        parts.append(t.select(names))
    res = rows(pa.concat_tables(parts, promote_options="permissive")) if parts else {"columns": names, "rows": []}
elif tool == "parquet":
    res = rows(pq.read_table(path))
elif tool == "write":
    # write <path> <json spec>: delta-rs writes tables for amlgraph to read.
    spec = json.loads(sys.argv[3])
    exec(spec["code"])
    res = {}
print(json.dumps(res))
sys.stdout.flush()
os._exit(0)
'''


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    script = tmp_path_factory.mktemp("oracle") / "oracle.py"
    script.write_text(ORACLE)

    def run(tool, path, version=None, code=None):
        args = [PY, str(script), tool, str(path), "-" if version is None else str(version)]
        if code is not None:
            args[-1] = json.dumps({"code": code})
        p = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout.strip().splitlines()[-1])

    return run


def amlgraph_rows(amlgraph, oracle, path, tmp, *extra):
    out = tmp / f"read-{random.randrange(1 << 30)}.parquet"
    amlgraph("delta", "read", path, "--out", out, *extra)
    return oracle("parquet", out)


ALL_TYPES = r'''
import pyarrow as pa, pyarrow.parquet as pq, datetime, decimal
n = 40
def maybe(i, v): return None if i % 7 == 3 else v
t = pa.table({
    "id": pa.array(range(n), pa.int64()),
    "i32": pa.array([maybe(i, i * 3 - 50) for i in range(n)], pa.int32()),
    "f32": pa.array([maybe(i, i / 4) for i in range(n)], pa.float32()),
    "f64": pa.array([maybe(i, i * 1.1 - 7) for i in range(n)], pa.float64()),
    "s": pa.array([maybe(i, "val %d é/%%" % i) for i in range(n)], pa.string()),
    "b": pa.array([maybe(i, bytes([i, 255 - i])) for i in range(n)], pa.binary()),
    "flag": pa.array([maybe(i, i % 2 == 0) for i in range(n)], pa.bool_()),
    "d": pa.array([maybe(i, datetime.date(2020, 1, 1) + datetime.timedelta(days=i * 11)) for i in range(n)], pa.date32()),
    "ts": pa.array([maybe(i, datetime.datetime(2021, 5, 1, 12, 0, 0, i * 1001, tzinfo=datetime.timezone.utc)) for i in range(n)], pa.timestamp("us", tz="UTC")),
    "dec": pa.array([maybe(i, decimal.Decimal(i * 12345 - 99999) / 100) for i in range(n)], pa.decimal128(10, 2)),
    "region": pa.array([None if i % 5 == 0 else ["EU", "US", "a b/c"][i % 3] for i in range(n)], pa.string()),
})
pq.write_table(t, spec["out"])
'''


def make_all_types(oracle, tmp):
    out = tmp / "all_types.parquet"
    oracle("write", tmp, code=f"spec = {{'out': {str(out)!r}}}\n" + ALL_TYPES)
    return out


def test_amlgraph_tables_read_identically_by_deltars_duckdb_pyarrow(amlgraph, oracle, tmp_path):
    src = make_all_types(oracle, tmp_path)
    lake = tmp_path / "lake"
    amlgraph("delta", "write", src, lake, "--partition-by", "region", "--checkpoint-interval", "5")
    for _ in range(6):  # many versions; a checkpoint at version 5
        amlgraph("delta", "write", src, lake)
    assert (lake / "_delta_log" / "00000000000000000005.checkpoint.parquet").exists()
    expected = oracle("parquet", src)
    expected_rows = sorted(expected["rows"] * 7, key=json.dumps)
    ours = amlgraph_rows(amlgraph, oracle, lake, tmp_path)
    assert ours["rows"] == expected_rows
    rs = oracle("deltars", lake)
    assert rs["version"] == 6
    assert rs["types"] == {"id": "PrimitiveType(\"long\")", "i32": "PrimitiveType(\"integer\")", "f32": "PrimitiveType(\"float\")",
                           "f64": "PrimitiveType(\"double\")", "s": "PrimitiveType(\"string\")", "b": "PrimitiveType(\"binary\")",
                           "flag": "PrimitiveType(\"boolean\")", "d": "PrimitiveType(\"date\")", "ts": "PrimitiveType(\"timestamp\")",
                           "dec": "PrimitiveType(\"decimal(10,2)\")", "region": "PrimitiveType(\"string\")"}
    cols = expected["columns"]

    def reorder(res):
        idx = [res["columns"].index(c) for c in cols]
        return sorted(([r[i] for i in idx] for r in res["rows"]), key=json.dumps)

    assert reorder(rs) == expected_rows
    assert reorder(oracle("duckdb", lake)) == expected_rows
    assert reorder(oracle("pyarrow", lake)) == expected_rows
    # Time travel agrees with delta-rs.
    assert reorder(oracle("deltars", lake, version=2)) == reorder(amlgraph_rows(amlgraph, oracle, lake, tmp_path, "--version", "2"))


def test_deltars_tables_read_identically_by_amlgraph(amlgraph, oracle, tmp_path):
    lake = tmp_path / "rs"
    code = r'''
import pyarrow as pa, datetime, decimal, json, glob, os
from deltalake import write_deltalake, DeltaTable
p = spec["path"]
def batch(lo, hi, extra=False):
    n = hi - lo
    cols = {
        "id": pa.array(range(lo, hi), pa.int64()),
        "i32": pa.array([None if i % 4 == 0 else i for i in range(lo, hi)], pa.int32()),
        "f64": pa.array([None if i % 6 == 1 else i * 0.5 for i in range(lo, hi)], pa.float64()),
        "s": pa.array([None if i % 5 == 2 else "s%d" % i for i in range(lo, hi)], pa.string()),
        "flag": pa.array([i % 3 == 0 for i in range(lo, hi)], pa.bool_()),
        "d": pa.array([datetime.date(2022, 3, 1) + datetime.timedelta(days=i) for i in range(lo, hi)], pa.date32()),
        "ts": pa.array([datetime.datetime(2022, 3, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=i * 7, microseconds=i) for i in range(lo, hi)], pa.timestamp("us", tz="UTC")),
        "dec": pa.array([decimal.Decimal(i) / 10 for i in range(lo, hi)], pa.decimal128(9, 1)),
        "part": pa.array([None if i % 7 == 0 else ["x", "y z"][i % 2] for i in range(lo, hi)], pa.string()),
    }
    if extra:
        cols["added"] = pa.array(["new%d" % i for i in range(lo, hi)], pa.string())
    return pa.table(cols)
write_deltalake(p, batch(0, 30), partition_by=["part"])
for k in range(1, 12):
    write_deltalake(p, batch(k * 30, k * 30 + 30), mode="append")
write_deltalake(p, batch(1000, 1040), mode="append", schema_mode="merge") if False else None
write_deltalake(p, batch(1000, 1040, extra=True), mode="append", schema_mode="merge")
DeltaTable(p).create_checkpoint()
write_deltalake(p, batch(2000, 2010, extra=True), mode="append")
'''
    oracle("write", lake, code=f"spec = {{'path': {str(lake)!r}}}\n" + code)
    rs = oracle("deltars", lake)
    ours = amlgraph_rows(amlgraph, oracle, lake, tmp_path)

    def reorder(res, cols):
        idx = [res["columns"].index(c) for c in cols]
        return sorted(([r[i] for i in idx] for r in res["rows"]), key=json.dumps)

    assert sorted(ours["columns"]) == sorted(rs["columns"])
    assert reorder(ours, rs["columns"]) == reorder(rs, rs["columns"])
    assert len(ours["rows"]) == 12 * 30 + 40 + 10
    # Remove the JSON commits the checkpoint covers: amlgraph must use the delta-rs checkpoint.
    log = lake / "_delta_log"
    cps = sorted(log.glob("*.checkpoint.parquet"))
    assert cps, "delta-rs wrote a checkpoint"
    cp_version = int(cps[-1].name[:20])
    for v in range(cp_version + 1):
        (log / f"{v:020d}.json").unlink()
    again = amlgraph_rows(amlgraph, oracle, lake, tmp_path)
    assert reorder(again, rs["columns"]) == reorder(rs, rs["columns"])
    # Overwrite, then time travel back across it; partition filter on a null partition.
    oracle("write", lake, code=f"spec = {{'path': {str(lake)!r}}}\n" + code.split("write_deltalake(p, batch(0, 30)")[0]
           + "write_deltalake(p, batch(5000, 5005, extra=True), mode='overwrite')\n")
    assert len(amlgraph_rows(amlgraph, oracle, lake, tmp_path)["rows"]) == 5
    assert len(amlgraph_rows(amlgraph, oracle, lake, tmp_path, "--version", str(cp_version + 1))["rows"]) == 12 * 30 + 40 + 10
    show = amlgraph("delta", "show", lake).stdout
    assert "partition columns: part" in show


def test_deltars_without_stats_and_nested_columns(amlgraph, oracle, tmp_path):
    lake = tmp_path / "nostats"
    code = r'''
import pyarrow as pa, json, glob
from deltalake import write_deltalake
p = spec["path"]
t = pa.table({"id": pa.array([1, 2, 3], pa.int64()),
              "nested": pa.array([{"a": 1, "b": "x"}, None, {"a": 3, "b": None}], pa.struct([("a", pa.int64()), ("b", pa.string())])),
              "tags": pa.array([["p", "q"], [], None], pa.list_(pa.string()))})
write_deltalake(p, t)
# Strip stats from the log: readers must not depend on them.
for f in glob.glob(p + "/_delta_log/*.json"):
    lines = [json.loads(l) for l in open(f) if l.strip()]
    for a in lines:
        if "add" in a: a["add"].pop("stats", None)
    open(f, "w").write("".join(json.dumps(a) + "\n" for a in lines))
'''
    oracle("write", lake, code=f"spec = {{'path': {str(lake)!r}}}\n" + code)
    assert amlgraph_rows(amlgraph, oracle, lake, tmp_path, "--columns", "id")["rows"] == [[1], [2], [3]]
    assert amlgraph_rows(amlgraph, oracle, lake, tmp_path, "--columns", "id", "--where", "id>=2")["rows"] == [[2], [3]]
    # Nested columns come back as nested values (a struct, a list).
    full = amlgraph_rows(amlgraph, oracle, lake, tmp_path)
    assert full["columns"] == ["id", "nested", "tags"]
    by_id = {r[0]: r for r in full["rows"]}
    assert by_id[1][1] == {"a": 1, "b": "x"} and by_id[2][1] is None
    assert by_id[1][2] == ["p", "q"] and by_id[2][2] == [] and by_id[3][2] is None


def test_sigkilled_writers_never_leave_an_unreadable_table(amlgraph, oracle, tmp_path):
    from conftest import amlgraph_bin
    lake = tmp_path / "crash"
    batches = tmp_path / "batches"
    batches.mkdir()
    rows_per = 20
    rng = random.Random(7)
    events = []  # (batch, mode, finished normally)
    t0 = time.time()
    amlgraph("delta", "write", _batch_csv(batches, 0, rows_per), lake, "--checkpoint-interval", "3")
    events.append((0, "append", True))
    one = time.time() - t0
    for b in range(1, 56):
        path = _batch_csv(batches, b, rows_per)
        mode = "overwrite" if b % 17 == 0 else "append"
        proc = subprocess.Popen([amlgraph_bin(), "delta", "write", str(path), str(lake), "--mode", mode, "--checkpoint-interval", "3"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, one * 1.2))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            events.append((b, mode, False))
        else:
            assert proc.returncode == 0
            events.append((b, mode, True))
        if b % 3 and b != 55:
            continue
        # Every read succeeds and returns whole batches only: exactly some committed version.
        csv = amlgraph("delta", "read", lake, "--columns", "batch").stdout.split()[1:]
        counts = {}
        for batch in map(int, csv):
            counts[batch] = counts.get(batch, 0) + 1
        assert all(c == rows_per for c in counts.values()), counts
        # The newest overwrite that landed (finished, or killed after its commit) starts the
        # table; every write after it that finished must be present, nothing before it may be.
        start = max(i for i, (bb, m, ok) in enumerate(events) if i == 0 or (m == "overwrite" and (ok or bb in counts)))
        required = {bb for bb, _, ok in events[start:] if ok}
        allowed = {bb for bb, _, _ in events[start:]}
        assert required <= set(counts) <= allowed, (required, counts, allowed)
    killed = [e for e in events if not e[2]]
    assert len(killed) >= 10, f"only {len(killed)} writers were killed mid-run"
    final = amlgraph_rows(amlgraph, oracle, lake, tmp_path, "--columns", "batch,row")
    rs = oracle("deltars", lake)
    assert sorted(r[:2] for r in final["rows"]) == sorted([r[rs["columns"].index("batch")], r[rs["columns"].index("row")]] for r in rs["rows"])


def _batch_csv(directory, b, n):
    p = directory / f"b{b}.csv"
    p.write_text("batch,row,payload\n" + "".join(f"{b},{i},{'x' * 40}{b}-{i}\n" for i in range(n)))
    return p


def test_four_concurrent_writers_lose_and_duplicate_nothing(oracle, tmp_path):
    from conftest import amlgraph_bin
    lake = tmp_path / "conc"
    batches = tmp_path / "cb"
    batches.mkdir()
    paths = {(w, k): _batch_csv(batches, w * 100 + k, 5) for w in range(4) for k in range(25)}
    script = "for k in $(seq 0 24); do \"$BIN\" delta write \"$DIR/b$((W*100+k)).csv\" \"$LAKE\" || exit 1; done"
    procs = [subprocess.Popen(["bash", "-c", script], env={**os.environ, "BIN": amlgraph_bin(), "DIR": str(batches), "LAKE": str(lake), "W": str(w)},
                              stderr=subprocess.PIPE, text=True) for w in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    rs = oracle("deltars", lake)
    assert rs["version"] == 99
    bi = rs["columns"].index("batch")
    counts = {}
    for r in rs["rows"]:
        counts[r[bi]] = counts.get(r[bi], 0) + 1
    assert counts == {w * 100 + k: 5 for w in range(4) for k in range(25)}


def test_cli_reads_and_writes_delta_everywhere(amlgraph, oracle, tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("id,name,amount\n1,a,1.5\n2,,2.5\n3,c,\n")
    # Output format by what --out looks like, or by --format.
    amlgraph("convert", csv, tmp_path / "t.delta")
    assert (tmp_path / "t.delta" / "_delta_log" / "00000000000000000000.json").exists()
    amlgraph("convert", csv, tmp_path / "plain", "--format", "delta")
    assert (tmp_path / "plain" / "_delta_log").is_dir()
    # Reading a Delta directory wherever a table is read.
    amlgraph("convert", tmp_path / "t.delta", tmp_path / "back.csv")
    assert (tmp_path / "back.csv").read_text() == csv.read_text()
    back = oracle("parquet", _to_parquet(amlgraph, tmp_path / "t.delta", tmp_path))
    assert back["rows"] == [[1, "a", "1.5"], [2, None, "2.5"], [3, "c", None]]
    # Writing the same path again is a new version; the old one stays readable.
    amlgraph("convert", csv, tmp_path / "t.delta")
    hist = amlgraph("delta", "history", tmp_path / "t.delta").stdout.splitlines()
    assert len(hist) == 3 and hist[0].startswith("version,timestamp,operation")
    # Errors are one line, exit 1.
    for args in (["delta", "read", tmp_path / "nope"], ["delta", "read", tmp_path / "t.delta", "--version", "9"],
                 ["delta", "read", tmp_path / "t.delta", "--where", "zz=1"], ["delta", "vacuum", tmp_path / "t.delta", "--retention-hours", "1"]):
        p = amlgraph(*args, check=False)
        assert p.returncode == 1, (args, p.stderr)
        assert p.stderr.startswith("error: ") and p.stderr.count("\n") == 1, p.stderr
    for sub in ("history", "show", "read", "write", "vacuum", "checkpoint"):
        assert "Examples:" in amlgraph("delta", sub, "--help").stdout


def _to_parquet(amlgraph, path, tmp):
    out = tmp / f"conv-{random.randrange(1 << 30)}.parquet"
    amlgraph("convert", path, out)
    return out


def test_typed_partition_values_agree_with_deltars_and_duckdb(amlgraph, oracle, tmp_path):
    code = r'''
import pyarrow as pa, pyarrow.parquet as pq, datetime
t = pa.table({
    "id": pa.array(range(6), pa.int64()),
    "k": pa.array([1, 1, None, 2, 2, 3], pa.int32()),
    "day": pa.array([datetime.date(2024, 2, 29), None, datetime.date(1999, 12, 31)] * 2, pa.date32()),
    "flag": pa.array([True, False, None, True, False, None], pa.bool_()),
})
pq.write_table(t, spec["out"])
'''
    src = tmp_path / "typed.parquet"
    oracle("write", tmp_path, code=f"spec = {{'out': {str(src)!r}}}\n" + code)
    lake = tmp_path / "typed"
    amlgraph("delta", "write", src, lake, "--partition-by", "k,day,flag")
    expected = oracle("parquet", src)["rows"]
    cols = ["id", "k", "day", "flag"]

    def reorder(res):
        idx = [res["columns"].index(c) for c in cols]
        return sorted(([r[i] for i in idx] for r in res["rows"]), key=json.dumps)

    assert reorder(oracle("deltars", lake)) == sorted(expected, key=json.dumps)
    assert reorder(oracle("duckdb", lake)) == sorted(expected, key=json.dumps)
    assert reorder(amlgraph_rows(amlgraph, oracle, lake, tmp_path)) == sorted(expected, key=json.dumps)
