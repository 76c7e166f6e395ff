"""The medallion pipeline end to end: gold tables read back by delta-rs and checked against
the scenario commands, exactly-once ingest, incremental runs with time travel, bad inputs
handled by the declared policies with nothing lost, and a kill during the run."""
import csv
import itertools
import shutil
import signal
import subprocess
import time

import deltalake  # noqa: F401  (import before pyarrow, see ANCHORS.md)
import pyarrow.csv as pacsv
import pytest

from conftest import amlgraph_bin

GOLD = ["synthetic_identity", "structuring", "structuring_levels", "roundtrips", "typologies", "typology_accounts", "risk_propagation",
        "transaction_dedupe", "entity_dedupe", "address_flags", "behaviour_anomaly", "alerts"]


def read_delta(path, version=None):
    t = deltalake.DeltaTable(str(path), version=version) if version is not None else deltalake.DeltaTable(str(path))
    return t.to_pyarrow_dataset().to_table()


def rows(table, sort_keys):
    data = table.to_pylist()
    return sorted(data, key=lambda r: tuple(str(r[k]) for k in sort_keys))


def copy_inputs(dataset, folder):
    folder.mkdir()
    for name in ["entities.csv", "transactions.csv", "dedupe.csv"]:
        shutil.copy(dataset / name, folder / name)
    return folder


def test_gold_tables_match_the_scenario_commands(tmp_path, amlgraph, dataset):
    lake = tmp_path / "lake"
    amlgraph("pipeline", "--data", dataset, "--lake", lake)
    for name in GOLD:
        assert (lake / "gold" / name / "_delta_log").exists(), name
    e, t = dataset / "entities.csv", dataset / "transactions.csv"
    amlgraph("structuring", "--transactions", t, "--entities", e, "--out", tmp_path / "s.csv")
    amlgraph("roundtrips", "--transactions", t, "--entities", e, "--out", tmp_path / "r.csv")
    amlgraph("synthetic-ids", "--entities", e, "--out", tmp_path / "si.csv")
    for name, csv_path, keys in [("structuring", "s.csv", ["collector_id", "beneficiary_id"]),
                                 ("roundtrips", "r.csv", ["origin_id", "txn_ids"]),
                                 ("synthetic_identity", "si.csv", ["entity_id"])]:
        gold = read_delta(lake / "gold" / name)
        cli = pacsv.read_csv(tmp_path / csv_path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
        assert gold.num_rows == cli.num_rows, name
        g, c = rows(gold, keys), rows(cli, keys)
        for a, b in zip(g, c):
            for k in keys:
                assert str(a[k]) == str(b[k]), (name, k)
    alerts = read_delta(lake / "gold" / "alerts")
    assert alerts.column("rank").to_pylist() == list(range(1, alerts.num_rows + 1))


def test_rerun_is_a_noop_and_new_files_are_incremental(tmp_path, amlgraph, dataset):
    data = copy_inputs(dataset, tmp_path / "data")
    lake = tmp_path / "lake"
    amlgraph("pipeline", "--data", data, "--lake", lake)
    versions = {n: deltalake.DeltaTable(str(lake / "gold" / n)).version() for n in GOLD}
    second = amlgraph("pipeline", "--data", data, "--lake", lake)
    assert "nothing to commit" in second.stderr
    assert {n: deltalake.DeltaTable(str(lake / "gold" / n)).version() for n in GOLD} == versions

    # A second transactions file: only it is ingested, gold moves to a new version, and the
    # first version stays readable.
    with open(data / "transactions_2.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["txn_id", "originator_id", "beneficiary_id", "txn_amount", "txn_ts", "rptd_originator_address", "rptd_originator_name"])
        w.writerow([900001, 1, 2, 123.45, "2025-06-01T10:00:00Z", "x", "y"])
        w.writerow([900002, 2, 3, 67.0, "2025-06-02T10:00:00Z", "x", "y"])
    third = amlgraph("pipeline", "--data", data, "--lake", lake)
    assert "ingested transactions_2.csv" in third.stdout
    assert read_delta(lake / "silver" / "transactions").num_rows == 20002
    assert read_delta(lake / "bronze" / "transactions").num_rows == 20002
    assert deltalake.DeltaTable(str(lake / "gold" / "alerts")).version() == versions["alerts"] + 1
    assert read_delta(lake / "gold" / "risk_propagation", version=versions["risk_propagation"]).num_rows == 2000


def test_bad_inputs_follow_the_declared_policies_and_nothing_is_lost(tmp_path, amlgraph, dataset):
    data = copy_inputs(dataset, tmp_path / "data")
    with open(data / "transactions_bad.csv", "w", newline="") as f:
        f.write("txn_id,originator_id,beneficiary_id,txn_amount,txn_ts,rptd_originator_address,rptd_originator_name,channel\n")
        f.write("900001,1,2,abc,2025-06-01T10:00:00Z,x,y,web\n")      # unparseable amount: rescued, quarantined
        f.write("900002,1,2,10.0,2025-06-01T10:00:00Z,x,y\n")        # one field short: kept whole as a corrupt record
        f.write("1,3,4,55.0,2025-06-01T10:00:00Z,x,y,\n")            # duplicate txn_id 1
        f.write("900003,5,5,10.0,2025-06-01T10:00:00Z,x,y,\n")       # self-payment
        f.write("900004,6,7,-3.0,2025-06-01T10:00:00Z,x,y,\n")       # negative amount
        f.write("900005,6,7,30.0,2025-06-01T10:00:00Z,x,y,\n")       # good
    (data / "transactions_empty.csv").write_text("")
    lake = tmp_path / "lake"
    proc = amlgraph("pipeline", "--data", data, "--lake", lake, check=False)
    assert proc.returncode == 1 and "transactions_empty.csv" in proc.stderr, proc.stderr
    assert not (lake / "gold").exists(), "a failed run commits no gold table"
    (data / "transactions_empty.csv").unlink()
    amlgraph("pipeline", "--data", data, "--lake", lake)
    bronze = read_delta(lake / "bronze" / "transactions").num_rows
    silver = read_delta(lake / "silver" / "transactions").num_rows
    quarantine = read_delta(lake / "silver" / "transactions_quarantine")
    assert bronze == 20000 + 6
    assert silver == 20000 + 1
    assert bronze == silver + quarantine.num_rows, "dropped rows would be counted here; transactions drop none"
    reasons = "|".join(quarantine.column("_failed_expectations").to_pylist())
    for expected in ["amount_positive", "no_rescued_data", "unique_txn_id", "not_self_payment", "txn_id_not_null"]:
        assert expected in reasons
    metrics = read_delta(lake / "silver" / "quality_metrics").to_pylist()
    by_name = {(m["table_name"], m["expectation"]): m for m in metrics}
    # The self-payment, and the corrupt record whose ids are null (null fails, as in a SQL where).
    assert by_name[("transactions", "not_self_payment")]["failed"] == 2
    assert by_name[("transactions", "amount_positive")]["failed"] == 3  # abc (nulled), corrupt, -3.0
    assert all(m["passed"] + m["failed"] == bronze for m in metrics if m["table_name"] == "transactions")


@pytest.fixture(scope="module")
def clean_lake(tmp_path_factory, amlgraph, dataset):
    lake = tmp_path_factory.mktemp("clean") / "lake"
    amlgraph("pipeline", "--data", dataset, "--lake", lake)
    return lake


@pytest.mark.parametrize("stage,delay", [("silver", 0.0), ("gold", 0.0), ("gold", 0.02), ("gold", 0.1)])
def test_a_killed_run_converges_to_the_clean_result(tmp_path, amlgraph, dataset, clean_lake, stage, delay):
    """Killed as the first table of a layer appears on disk (plus a delay), so the kill lands
    during that layer's writes whatever the machine's speed; the re-run must converge."""
    clean = clean_lake
    lake = tmp_path / "lake"
    proc = subprocess.Popen([amlgraph_bin(), "pipeline", "--data", str(dataset), "--lake", str(lake), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while proc.poll() is None and not any((lake / stage).glob("*")) and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Every table with a commit is readable at some committed version (a table whose first
    # commit never happened has data files but no log entry, and is not a table yet).
    for layer in ["bronze", "silver", "gold"]:
        for t in (lake / layer).glob("*") if (lake / layer).exists() else []:
            if list((t / "_delta_log").glob("*.json")):
                read_delta(t)
    amlgraph("pipeline", "--data", dataset, "--lake", lake)
    for name in GOLD:
        a, b = read_delta(lake / "gold" / name), read_delta(clean / "gold" / name)
        assert a.num_rows == b.num_rows, name
        assert sorted(map(str, a.to_pylist())) == sorted(map(str, b.to_pylist())), name


def _cluster_pairs(rows, id_col):
    clusters = {}
    for r in rows:
        clusters.setdefault(r["cluster_id"], []).append(r[id_col])
    return {tuple(sorted(p)) for members in clusters.values() for p in itertools.combinations(members, 2)}


def _precision_recall(predicted, true):
    tp = len(predicted & true)
    return tp / max(len(predicted), 1), tp / max(len(true), 1)


def test_dedupe_gold_tables_against_the_planted_truth(clean_lake, dataset):
    """entity_dedupe against truth_dedupe.csv (record -> organisation), and transaction_dedupe
    against the originator: two same-amount transactions match when one party paid both.
    Pairs are compared within clusters, computed here from the raw CSVs."""
    entity = read_delta(clean_lake / "gold" / "entity_dedupe").to_pylist()
    truth = {}
    for r in csv.DictReader(open(dataset / "truth_dedupe.csv")):
        truth.setdefault(r["org_id"], []).append(int(r["record_id"]))
    true_pairs = {tuple(sorted(p)) for members in truth.values() for p in itertools.combinations(members, 2)}
    assert len({r["record_id"] for r in entity}) == sum(len(m) for m in truth.values())  # every record, once
    p, r = _precision_recall(_cluster_pairs(entity, "record_id"), true_pairs)
    assert p >= 0.95 and r >= 0.95, (p, r)

    by_amount = {}
    for t in csv.DictReader(open(dataset / "transactions.csv")):
        by_amount.setdefault(t["txn_amount"], []).append(t)
    true_pairs = {tuple(sorted((int(a["txn_id"]), int(b["txn_id"]))))
                  for group in by_amount.values() for a, b in itertools.combinations(group, 2)
                  if a["originator_id"] == b["originator_id"]}
    txn = read_delta(clean_lake / "gold" / "transaction_dedupe").to_pylist()
    assert all(r["cluster_size"] >= 2 for r in txn)
    p, r = _precision_recall(_cluster_pairs(txn, "txn_id"), true_pairs)
    assert p >= 0.95 and r >= 0.95, (p, r)
