"""Delta Lake write safety (issue 17), through the amlgraph binary, cross-checked with delta-rs.

Each test reproduces one finding: concurrent merges, vacuum with absolute paths, schemas
rewritten on write, constraints, append-only merges, checkpoint/vacuum protocol checks.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PY = sys.executable

DELTARS = r'''
import sys, json, datetime, decimal
import deltalake  # before pyarrow.parquet (import-order abort otherwise)
def norm(v):
    if isinstance(v, datetime.datetime):
        return ("ts-utc:" if v.tzinfo else "ts-naive:") + v.replace(tzinfo=None).isoformat()
    if isinstance(v, decimal.Decimal): return "dec:" + str(v)
    return v
dt = deltalake.DeltaTable(sys.argv[1])
t = dt.to_pyarrow_table()
schema = json.loads(dt.schema().to_json())
print(json.dumps({"version": dt.version(), "schema": schema, "columns": t.column_names,
                  "arrow_types": [str(f.type) for f in t.schema],
                  "rows": [[norm(r[c]) for c in t.column_names] for r in t.to_pylist()]}))
# delta-rs' runtime can abort while the interpreter tears down ("terminate called without an
# active exception") after the answer is printed; leave without the teardown.
import os
sys.stdout.flush()
os._exit(0)
'''


def deltars(path):
    p = subprocess.run([PY, "-c", DELTARS, str(path)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


def commit_files(lake):
    return sorted((Path(lake) / "_delta_log").glob("*.json"))


def write_log(lake, version, actions):
    log = Path(lake) / "_delta_log"
    log.mkdir(parents=True, exist_ok=True)
    (log / f"{version:020d}.json").write_text("".join(json.dumps(a) + "\n" for a in actions))


def metadata(fields, configuration=None):
    return {"metaData": {"id": "0f0e0d0c-0000-4000-8000-000000000001", "format": {"provider": "parquet", "options": {}},
                         "schemaString": json.dumps({"type": "struct", "fields": fields}),
                         "partitionColumns": [], "configuration": configuration or {}, "createdTime": 1700000000000}}


def field(name, type_, nullable=True, meta=None):
    return {"name": name, "type": type_, "nullable": nullable, "metadata": meta or {}}


# 1. Concurrent MERGEs on the same keys ------------------------------------------------------

def test_concurrent_merges_on_the_same_keys_never_duplicate_a_key(amlgraph, tmp_path):
    from conftest import amlgraph_bin
    lake = tmp_path / "m"
    base = tmp_path / "base.csv"
    base.write_text("id,who\n" + "".join(f"{i},base\n" for i in range(10)))
    amlgraph("delta", "write", base, lake)
    n = 150_000
    rounds = 3
    outcomes = []
    for rnd in range(rounds):
        lo = 10 + rnd * n
        srcs = []
        for w in range(2):
            p = tmp_path / f"src{rnd}{w}.csv"
            # Both writers upsert the same new ids, as in the report: neither rewrites a file,
            # so only the read predicate (the keys' range) can reveal the conflict.
            p.write_text("id,who\n" + "".join(f"{i},w{w}r{rnd}\n" for i in range(lo, lo + n)))
            srcs.append(p)
        procs = [subprocess.Popen([amlgraph_bin(), "delta", "write", str(s), str(lake), "--merge-on", "id"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for s in srcs]
        for w, p in enumerate(procs):
            _, err = p.communicate(timeout=600)
            assert p.returncode in (0, 1), err
            if p.returncode == 1:
                assert "concurrent modification" in err, err
                assert "Traceback" not in err and "Fatal" not in err
            outcomes.append((rnd, w, p.returncode))
        assert any(rc == 0 for r, _, rc in outcomes if r == rnd), f"round {rnd}: both merges failed"
    rs = deltars(lake)
    ids = [r[rs["columns"].index("id")] for r in rs["rows"]]
    assert len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} duplicate keys"
    assert sorted(ids) == list(range(10 + rounds * n)), "rows lost or invented"
    # Every row holds the values of a merge that committed.
    ok = {f"w{w}r{r}" for r, w, rc in outcomes if rc == 0}
    who = {r[rs["columns"].index("id")]: r[rs["columns"].index("who")] for r in rs["rows"]}
    for rnd in range(rounds):
        assert who[10 + rnd * n] in ok
    # The level stated in every commitInfo is one amlgraph gives.
    for f in commit_files(lake):
        for line in f.read_text().splitlines():
            a = json.loads(line)
            if "commitInfo" in a:
                assert a["commitInfo"]["isolationLevel"] in ("Serializable", "WriteSerializable")


# 2. Vacuum with absolute add paths, table opened by a relative path ------------------------

def test_vacuum_keeps_live_files_logged_as_absolute_uris(amlgraph, tmp_path):
    lake = tmp_path / "abs"
    csv = tmp_path / "a.csv"
    csv.write_text("id,v\n1,a\n2,b\n")
    amlgraph("delta", "write", csv, lake)
    log = commit_files(lake)[0]
    lines = []
    for line in log.read_text().splitlines():
        a = json.loads(line)
        if "add" in a:
            a["add"]["path"] = "file://" + str(lake.resolve() / a["add"]["path"])
        lines.append(json.dumps(a))
    log.write_text("\n".join(lines) + "\n")
    live = [json.loads(l)["add"]["path"][len("file://"):] for l in lines if "add" in json.loads(l)]
    r = amlgraph("delta", "vacuum", "abs", "--retention-hours", "0", "--force", cwd=tmp_path)
    assert "deleted 0 file(s)" in r.stderr, r.stderr
    # delta-rs 1.6 does not resolve file:// add paths, so pyarrow reads the live files directly.
    code = "import sys, pyarrow.parquet as pq; print(sorted(r['id'] for p in sys.argv[1:] for r in pq.read_table(p).to_pylist()))"
    p = subprocess.run([PY, "-c", code, *live], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.strip() == "[1, 2]", p.stderr
    out = tmp_path / "after.csv"
    amlgraph("delta", "read", "abs", "--out", out, cwd=tmp_path)
    assert sorted(out.read_text().splitlines()[1:]) == ["1,a", "2,b"]


# 3. Schemas are never silently changed -----------------------------------------------------

TYPED_FIELDS = [
    field("id", "long", nullable=False, meta={"comment": "customer key"}),
    field("b", "byte"),
    field("s", "short"),
    field("i", "integer"),
    field("ts", "timestamp_ntz", meta={"comment": "wall clock", "source": "core-banking"}),
    field("amount", "decimal(10,2)"),
]


def typed_table(lake, configuration=None, fields=None):
    write_log(lake, 0, [
        {"protocol": {"minReaderVersion": 3, "minWriterVersion": 7, "readerFeatures": ["timestampNtz"],
                      "writerFeatures": ["timestampNtz", "invariants", "checkConstraints", "appendOnly"]}},
        metadata(fields or TYPED_FIELDS, configuration),
    ])


def test_append_and_merge_schema_keep_delta_types_nullability_and_metadata(amlgraph, tmp_path):
    lake = tmp_path / "typed"
    typed_table(lake)
    original = deltars(lake)["schema"]
    csv = tmp_path / "x.csv"
    csv.write_text("id,b,s,i,ts,amount,extra\n1,-128,32767,7,2024-01-02 03:04:05,12.5,e1\n2,127,-5,,2024-06-30 23:59:59,,e2\n")
    amlgraph("delta", "write", csv, lake, "--merge-schema")
    rs = deltars(lake)
    assert rs["schema"]["fields"][: len(original["fields"])] == original["fields"]
    assert rs["schema"]["fields"][-1]["name"] == "extra"
    assert rs["arrow_types"][:6] == ["int64", "int8", "int16", "int32", "timestamp[us]", "decimal128(10, 2)"]
    rows = sorted(rs["rows"], key=lambda r: r[0])
    # Zone-less timestamps land as the same wall-clock time, not shifted to UTC.
    assert rows[0][:6] == [1, -128, 32767, 7, "ts-naive:2024-01-02T03:04:05", "dec:12.50"]
    assert rows[1][:6] == [2, 127, -5, None, "ts-naive:2024-06-30T23:59:59", None]
    # And a second append (no schema change) leaves the schema alone too.
    csv2 = tmp_path / "y.csv"
    csv2.write_text("id,b,s,i,ts,amount,extra\n3,1,2,3,2024-01-01 00:00:00,1.25,e3\n")
    amlgraph("delta", "write", csv2, lake)
    assert deltars(lake)["schema"] == rs["schema"]


@pytest.mark.parametrize("csv_text,column,row", [
    ("id,b\n1,5\n2,300\n", "b", 2),                 # does not fit byte
    ("id,s\n1,40000\n", "s", 1),                    # does not fit short
    ("id,i\n1,1\n2,2\n3,3000000000\n", "i", 3),     # does not fit integer
    ("id,b\n1,1\n,2\n", "id", 2),                   # null in a non-nullable column
])
def test_values_that_do_not_fit_are_errors_naming_column_and_row(amlgraph, tmp_path, csv_text, column, row):
    lake = tmp_path / "fit"
    typed_table(lake)
    csv = tmp_path / "bad.csv"
    csv.write_text(csv_text)
    r = amlgraph("delta", "write", csv, lake, "--merge-schema", check=False)
    assert r.returncode == 1, r.stderr
    assert f"'{column}'" in r.stderr and f"row {row}" in r.stderr, r.stderr
    assert len(commit_files(lake)) == 1, "nothing may be committed"
    assert deltars(lake)["rows"] == []


# 4. Constraints ---------------------------------------------------------------------------

def test_check_constraints_and_invariants_are_enforced(amlgraph, tmp_path):
    lake = tmp_path / "cc"
    fields = [field("id", "long"), field("amount", "double", meta={"delta.invariants": json.dumps({"expression": {"expression": "amount < 1000000"}})})]
    write_log(lake, 0, [
        {"protocol": {"minReaderVersion": 1, "minWriterVersion": 3}},
        metadata(fields, {"delta.constraints.positive": "amount > 0"}),
    ])
    good = tmp_path / "good.csv"
    good.write_text("id,amount\n1,10.5\n2,20\n")
    amlgraph("delta", "write", good, lake)
    for text, needle in [("id,amount\n3,5\n4,-1\n", "positive"), ("id,amount\n5,2000000\n", "invariant"), ("id,amount\n7,5\n6,\n", "data row 2")]:
        bad = tmp_path / "bad.csv"
        bad.write_text(text)
        r = amlgraph("delta", "write", bad, lake, check=False)
        assert r.returncode == 1 and needle in r.stderr and "row" in r.stderr, r.stderr
        r = amlgraph("delta", "write", bad, lake, "--merge-on", "id", check=False)
        assert r.returncode == 1 and needle in r.stderr, r.stderr
    assert sorted(r[0] for r in deltars(lake)["rows"]) == [1, 2]


# 5. appendOnly, checkpoint and vacuum protocol checks -------------------------------------

def test_merge_honours_append_only(amlgraph, tmp_path):
    lake = tmp_path / "ao"
    write_log(lake, 0, [{"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}},
                        metadata([field("id", "long"), field("v", "string")], {"delta.appendOnly": "true"})])
    a = tmp_path / "a.csv"
    a.write_text("id,v\n1,a\n2,b\n")
    amlgraph("delta", "write", a, lake, "--merge-on", "id")  # inserts only: allowed
    upd = tmp_path / "u.csv"
    upd.write_text("id,v\n2,changed\n3,c\n")
    r = amlgraph("delta", "write", upd, lake, "--merge-on", "id", check=False)
    assert r.returncode == 1 and "append-only" in r.stderr, r.stderr
    assert sorted(deltars(lake)["rows"]) == [[1, "a"], [2, "b"]]


def test_checkpoint_refuses_unsupported_writer_features_and_keeps_domain_metadata(amlgraph, tmp_path):
    lake = tmp_path / "dm"
    write_log(lake, 0, [{"protocol": {"minReaderVersion": 1, "minWriterVersion": 7, "writerFeatures": ["domainMetadata"]}},
                        metadata([field("id", "long")]),
                        {"domainMetadata": {"domain": "app.settings", "configuration": "{\"k\":1}", "removed": False}}])
    r = amlgraph("delta", "checkpoint", lake, check=False)
    assert r.returncode == 1 and "domainMetadata" in r.stderr, r.stderr
    assert not list((lake / "_delta_log").glob("*.checkpoint.parquet"))
    r = amlgraph("delta", "vacuum", lake, check=False)
    assert r.returncode == 1 and "domainMetadata" in r.stderr, r.stderr


def test_vacuum_runs_the_writer_protocol_check(amlgraph, tmp_path):
    lake = tmp_path / "vp"
    write_log(lake, 0, [{"protocol": {"minReaderVersion": 3, "minWriterVersion": 7, "readerFeatures": ["vacuumProtocolCheck"],
                                      "writerFeatures": ["vacuumProtocolCheck", "rowTracking"]}},
                        metadata([field("id", "long")])])
    orphan = lake / "orphan.parquet"
    orphan.write_bytes(b"x")
    os.utime(orphan, (1, 1))
    r = amlgraph("delta", "vacuum", lake, "--retention-hours", "0", "--force", check=False)
    assert r.returncode == 1 and "rowTracking" in r.stderr, r.stderr
    assert orphan.exists()


# 7. Output paths --------------------------------------------------------------------------

@pytest.fixture
def small_lake(amlgraph, tmp_path):
    lake = tmp_path / "small"
    csv = tmp_path / "small.csv"
    csv.write_text("id,v\n1,a\n2,b\n")
    amlgraph("delta", "write", csv, lake)
    return lake


def test_output_to_a_device_fifo_symlink_or_stdout_writes_through(amlgraph, tmp_path, small_lake):
    import stat
    import threading
    # A character device node of our own (the null device), never the system's /dev/null.
    dev = tmp_path / "null-device"
    try:
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        dev = None
    if dev is not None:
        amlgraph("delta", "read", small_lake, "--out", dev, "--format", "csv")
        assert stat.S_ISCHR(os.lstat(dev).st_mode), "the device node was replaced"
    # A FIFO receives the rows and stays a FIFO.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()), daemon=True)
    reader.start()
    amlgraph("delta", "read", small_lake, "--out", fifo, "--format", "csv")
    reader.join(timeout=60)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(got[0].splitlines()[1:]) == ["1,a", "2,b"]
    # A symlink stays a link; its target gets the rows.
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    amlgraph("delta", "read", small_lake, "--out", link)
    assert link.is_symlink() and sorted(real.read_text().splitlines()[1:]) == ["1,a", "2,b"]
    # /dev/stdout is standard output.
    r = amlgraph("delta", "read", small_lake, "--out", "/dev/stdout", "--format", "csv")
    assert sorted(r.stdout.splitlines()[1:]) == ["1,a", "2,b"]


def test_output_over_a_directory_is_an_error(amlgraph, tmp_path, small_lake):
    d = tmp_path / "x.csv"
    d.mkdir()
    (d / "keep.txt").write_text("mine")
    r = amlgraph("delta", "read", small_lake, "--out", d, check=False)
    assert r.returncode == 1 and "x.csv" in r.stderr, r.stderr
    r = amlgraph("delta", "read", small_lake, "--out", d, "--format", "csv", check=False)
    assert r.returncode == 1 and "directory" in r.stderr, r.stderr
    assert sorted(p.name for p in d.iterdir()) == ["keep.txt"]


# Who can read the lake ---------------------------------------------------------------------

def test_lake_is_owner_only_by_default_and_can_be_widened(amlgraph, tmp_path):
    import stat
    csv = tmp_path / "p.csv"
    csv.write_text("id,region\n1,EU\n2,US\n")
    lake = tmp_path / "private"
    amlgraph("delta", "write", csv, lake, "--partition-by", "region", "--checkpoint-interval", "1")
    amlgraph("delta", "write", csv, lake)
    for dirpath, dirnames, filenames in os.walk(lake):
        assert stat.S_IMODE(os.stat(dirpath).st_mode) == 0o700, dirpath
        for f in filenames:
            assert stat.S_IMODE(os.stat(os.path.join(dirpath, f)).st_mode) == 0o600, f
    shared = tmp_path / "shared"
    amlgraph("delta", "write", csv, shared, "--partition-by", "region", "--permissions", "750")
    amlgraph("delta", "write", csv, shared)
    for dirpath, dirnames, filenames in os.walk(shared):
        assert stat.S_IMODE(os.stat(dirpath).st_mode) == 0o750, dirpath
        for f in filenames:
            assert stat.S_IMODE(os.stat(os.path.join(dirpath, f)).st_mode) == 0o640, f
    assert sorted(r[0] for r in deltars(shared)["rows"]) == [1, 1, 2, 2]


# Valid files: a decimal(38, x) column projected away ----------------------------------------

def test_wide_decimal_column_projected_away_does_not_stop_the_read(amlgraph, tmp_path):
    lake = tmp_path / "dec38"
    code = ("import deltalake, pyarrow as pa, decimal, sys; "
            "deltalake.write_deltalake(sys.argv[1], pa.table({'id': pa.array([1, 2], pa.int64()), "
            "'m': pa.array([decimal.Decimal('1.25'), None], pa.decimal128(38, 2))}))")
    p = subprocess.run([PY, "-c", code, str(lake)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    r = amlgraph("delta", "read", lake, "--columns", "id", "--out", "-")
    assert sorted(r.stdout.splitlines()[1:]) == ["1", "2"]
    # decimal(38,x) is now read exactly (128-bit values), not refused.
    r = amlgraph("delta", "read", lake, "--out", "-")
    assert sorted(r.stdout.splitlines()[1:]) == ["1,1.25", "2,"]


def test_concurrent_merges_with_retries_both_land_once(amlgraph, tmp_path):
    from conftest import amlgraph_bin
    lake = tmp_path / "mr"
    base = tmp_path / "base.csv"
    base.write_text("id,who\n" + "".join(f"{i},base\n" for i in range(10)))
    amlgraph("delta", "write", base, lake)
    n = 150_000
    srcs = []
    for w in range(2):
        p = tmp_path / f"r{w}.csv"
        p.write_text("id,who\n" + "".join(f"{i},w{w}\n" for i in range(10, 10 + n)) + f"3,w{w}\n")
        srcs.append(p)
    procs = [subprocess.Popen([amlgraph_bin(), "delta", "write", str(s), str(lake), "--merge-on", "id", "--retries", "5"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for s in srcs]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    rs = deltars(lake)
    ids = [r[rs["columns"].index("id")] for r in rs["rows"]]
    assert sorted(ids) == list(range(10 + n)), "duplicate or lost keys"
    # Both merges committed; the later one's values win for every key it upserted.
    history = [json.loads(l)["commitInfo"] for f in commit_files(lake) for l in f.read_text().splitlines() if "commitInfo" in l]
    assert [h["operation"] for h in history] == ["CREATE TABLE AS SELECT", "MERGE", "MERGE"]
    who = {r[rs["columns"].index("id")]: r[rs["columns"].index("who")] for r in rs["rows"]}
    assert len({who[i] for i in range(10, 10 + n)} | {who[3]}) == 1


def test_partition_key_that_does_not_name_the_column_is_an_error(amlgraph, tmp_path):
    """An add whose partitionValues lack the partition column (here its key holds a NUL byte)
    is not read as a null partition value."""
    import pyarrow as pa, pyarrow.parquet as pq
    lake = tmp_path / "nul"
    (lake / "region=EU").mkdir(parents=True)
    pq.write_table(pa.table({"id": [1, 2]}), lake / "region=EU" / "part-0.parquet")
    size = (lake / "region=EU" / "part-0.parquet").stat().st_size
    meta = metadata([field("id", "long"), field("region", "string")])
    meta["metaData"]["partitionColumns"] = ["region"]
    add = {"add": {"path": "region=EU/part-0.parquet", "partitionValues": {"reg\u0000ion": "EU"}, "size": size,
                   "modificationTime": 0, "dataChange": True}}
    write_log(lake, 0, [{"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}}, meta, add])
    p = amlgraph("delta", "read", lake, "--out", tmp_path / "x.csv", check=False)
    assert p.returncode == 1
    assert "lack partition column 'region'" in p.stderr and "reg\\u{0}ion" in p.stderr
    # Spelt right, it reads.
    add["add"]["partitionValues"] = {"region": "EU"}
    write_log(lake, 0, [{"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}}, meta, add])
    amlgraph("delta", "read", lake, "--out", tmp_path / "y.csv")
    assert sorted((tmp_path / "y.csv").read_text().split()[1:]) == ["1,EU", "2,EU"]
