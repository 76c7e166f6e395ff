"""scripts/amlsim_convert.py on a tiny hand-made AMLSim-style archive: the canonical files carry
exactly the archive's nodes and payments (checked row by row against the hand-written
values), steps become days in file order, the truth is the fraud accounts, the pipeline
accepts the result, and bad archives are user errors naming file, line and column."""
import csv
import importlib.util
import io
import subprocess
import sys
import tarfile

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "amlsim_convert.py"

NODES = [(0, 0), (1, 1), (2, 1), (3, 1), (4, 0), (5, 0)]
#         source, target, value, step
PAYMENTS = [(4, 5, "120.50", 1), (1, 2, "500.00", 3), (2, 3, "480.00", 3), (0, 4, "99.99", 3),
            (3, 1, "460.00", 4), (5, 5, "10.00", 4), (0, 4, "99.99", 5), (5, 0, "75.25", 6)]


def make_archive(path, folder="tiny_cycle3", nodes=NODES, payments=PAYMENTS, skip=()):
    files = {
        "nodes.csv": "nodeid,isFraud,init_balance,fraudStep\n" + "".join(f"{n},{f},100.0,{3 if f else -1}\n" for n, f in nodes),
        "transactions.csv": "sourceNodeId,targetNodeId,value,time\n" + "".join(f"{s},{t},{v},{step}\n" for s, t, v, step in payments),
        "metadata.txt": "nodes: 6 (3 fraud nodes)\n",
        "deg.png": "not really a png",
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            if name in skip:
                continue
            data = text.encode()
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def convert(archive, out, *extra):
    return subprocess.run([sys.executable, str(SCRIPT), str(archive), str(out), *extra], capture_output=True, text=True)


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_converts_nodes_payments_and_truth(tmp_path):
    archive = make_archive(tmp_path / "tiny_cycle3.tgz")
    proc = convert(archive, tmp_path / "out", "--start", "2025-03-01")
    assert proc.returncode == 0, proc.stderr
    entities = read(tmp_path / "out" / "entities.csv")
    assert [int(e["entity_id"]) for e in entities] == [n for n, _ in NODES]
    assert all(e["name"] == f"Account {e['entity_id']}" and e["entity_type"] == "Person" and e["risk_score"] == "" for e in entities)

    txns = read(tmp_path / "out" / "transactions.csv")
    assert [(int(t["originator_id"]), int(t["beneficiary_id"]), t["txn_amount"]) for t in txns] == [(s, t, v) for s, t, v, _ in PAYMENTS]
    assert [int(t["txn_id"]) for t in txns] == list(range(1, len(PAYMENTS) + 1))
    # Step s is day s after the start; a step's payments are spread over its day in file order.
    assert [t["txn_ts"] for t in txns] == [
        "2025-03-02T00:00:00.000000Z",
        "2025-03-04T00:00:00.000000Z", "2025-03-04T08:00:00.000000Z", "2025-03-04T16:00:00.000000Z",
        "2025-03-05T00:00:00.000000Z", "2025-03-05T12:00:00.000000Z",
        "2025-03-06T00:00:00.000000Z", "2025-03-07T00:00:00.000000Z",
    ]

    truth = read(tmp_path / "out" / "truth_pattern_entities.csv")
    assert sorted(int(r["entity_id"]) for r in truth) == [n for n, f in NODES if f]
    assert {r["pattern_type"] for r in truth} == {"cycle"} and {r["role"] for r in truth} == {"fraud"}
    assert len({r["pattern_id"] for r in truth}) == len(truth), "one instance per fraud account"
    assert read(tmp_path / "out" / "truth_patterns.csv") == []


def test_the_pipeline_and_evaluate_accept_the_converted_files(tmp_path, amlgraph):
    convert(make_archive(tmp_path / "tiny_cycle3.tgz"), tmp_path / "data")
    summary = amlgraph("pipeline", "--data", tmp_path / "data", "--lake", tmp_path / "lake", "--quiet").stdout
    assert "quarantined: entities 0, transactions 1;" in summary, "only the self-payment is quarantined"
    printed = amlgraph("evaluate", "--lake", tmp_path / "lake", "--truth", tmp_path / "data").stdout
    assert "of 3 planted accounts" in printed


def test_pattern_type_follows_the_archive_name():
    spec = importlib.util.spec_from_file_location("amlsim_convert", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.pattern_type_for("/x/20K_cycle200.tgz") == "cycle"
    assert module.pattern_type_for("20K_fanin200.tgz") == "fan_in"
    assert module.pattern_type_for("20K_fanin200cycle200.tgz") == "amlsim_fraud"
    assert module.pattern_type_for("100K_random.tgz") == "amlsim_fraud"


def test_bad_archives_are_user_errors(tmp_path):
    proc = convert(make_archive(tmp_path / "a.tgz", skip=("transactions.csv",)), tmp_path / "o1")
    assert proc.returncode == 1 and "no transactions.csv inside" in proc.stderr
    proc = convert(make_archive(tmp_path / "b.tgz", payments=PAYMENTS + [(1, 2, "5.0", "x")]), tmp_path / "o2")
    assert proc.returncode == 1 and "transactions.csv: line 10, column time: 'x' is not an integer" in proc.stderr
    proc = convert(make_archive(tmp_path / "c.tgz", payments=[(1, 9, "5.0", 1)]), tmp_path / "o3")
    assert proc.returncode == 1 and "column targetNodeId: 9 is not a node" in proc.stderr
    (tmp_path / "d.tgz").write_text("plain text")
    proc = convert(tmp_path / "d.tgz", tmp_path / "o4")
    assert proc.returncode == 1 and "not a readable tar archive" in proc.stderr
