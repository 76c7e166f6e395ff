"""Errors a user can act on: each bad input exits 1 with one message that names what to fix
(file, line, column, key, value), and a failed pipeline run leaves the lake as it was."""
import csv
import json
import shutil

import pytest
from deltalake import DeltaTable

from conftest import ROOT

SMALL = ROOT / "datasets" / "small"


def error_of(p):
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert p.stderr.startswith("error: "), p.stderr
    assert "NSCocoaErrorDomain" not in p.stderr and "Fatal error" not in p.stderr
    return p.stderr


def small_copy(tmp_path, edit_tx=None, edit_ent=None):
    data = tmp_path / "data"
    data.mkdir()
    for name, edit in (("transactions.csv", edit_tx), ("entities.csv", edit_ent)):
        with open(SMALL / name, newline="") as f:
            rows = list(csv.DictReader(f))
        if edit:
            edit(rows)
        with open(data / name, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)
    return data


def test_type_error_names_file_line_column_and_value(amlgraph, tmp_path):
    def bad(rows):
        rows[41]["txn_amount"] = "12,50"
    data = small_copy(tmp_path, edit_tx=bad)
    msg = error_of(amlgraph("anomaly", "--transactions", data / "transactions.csv", "--entities", data / "entities.csv",
                            "--out", tmp_path / "a.csv", check=False))
    assert "transactions.csv" in msg and "43" in msg and "txn_amount" in msg and "12,50" in msg


def test_too_many_quarantined_rows_stop_before_gold(amlgraph, tmp_path):
    def bad(rows):
        for r in rows[:2000]:          # 10% of the rows
            r["txn_amount"] = "-5"
    data = small_copy(tmp_path, edit_tx=bad)
    lake = tmp_path / "lake"
    msg = error_of(amlgraph("pipeline", "--data", data, "--lake", lake, check=False))
    assert "2000 of 20000" in msg and "amount_positive 2000" in msg and "max_quarantine_share" in msg
    assert "txn_id=1" in msg                                   # an example row
    # Nothing was committed but the failed run's row.
    assert not (lake / "gold").exists() and not (lake / "silver").exists() and not (lake / "bronze").exists()
    runs = DeltaTable(str(lake / "runs")).to_pyarrow_table().to_pylist()
    assert [r["status"] for r in runs] == ["failed"] and "amount_positive" in runs[0]["error"]


def test_failed_run_leaves_the_last_complete_run(amlgraph, tmp_path):
    data = small_copy(tmp_path)
    lake = tmp_path / "lake"
    amlgraph("pipeline", "--data", data, "--lake", lake, "--quiet")
    versions = {p.name: DeltaTable(str(p)).version() for layer in ("bronze", "silver", "gold") for p in (lake / layer).iterdir()}
    # A second file that quarantines more than 5% of the transactions.
    with open(SMALL / "transactions.csv", newline="") as f:
        rows = list(csv.DictReader(f))[:3000]
    for i, r in enumerate(rows):
        r["txn_id"] = str(100000 + i)
        r["txn_amount"] = "nan"
    with open(data / "transactions_day2.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    msg = error_of(amlgraph("pipeline", "--data", data, "--lake", lake, check=False))
    assert "amount_finite" in msg or "amount_positive" in msg
    after = {p.name: DeltaTable(str(p)).version() for layer in ("bronze", "silver", "gold") for p in (lake / layer).iterdir()}
    assert after == versions
    runs = sorted(DeltaTable(str(lake / "runs")).to_pyarrow_table().to_pylist(), key=lambda r: r["started_ts"])
    assert [r["status"] for r in runs] == ["complete", "failed"]


def test_non_finite_amounts_and_risk_scores_fail_an_expectation(amlgraph, tmp_path):
    bad_tx = {5: "nan", 6: "Infinity", 7: "1e309", 8: "-inf"}
    bad_risk = {3: "NaN", 4: "inf"}
    def tx(rows):
        for i, v in bad_tx.items():
            rows[i]["txn_amount"] = v
    def ent(rows):
        for i, v in bad_risk.items():
            rows[i]["risk_score"] = v
    data = small_copy(tmp_path, edit_tx=tx, edit_ent=ent)
    lake = tmp_path / "lake"
    amlgraph("pipeline", "--data", data, "--lake", lake, "--quiet")
    q = DeltaTable(str(lake / "silver" / "transactions_quarantine")).to_pyarrow_table().to_pylist()
    failed = {r["txn_id"]: r["_failed_expectations"] for r in q}
    assert set(failed) == {i + 1 for i in bad_tx}
    assert all("amount_finite" in failed[i + 1] or "amount_positive" in failed[i + 1] for i in bad_tx)
    assert "amount_finite" in failed[7] and "amount_finite" in failed[8]
    qe = DeltaTable(str(lake / "silver" / "entities_quarantine")).to_pyarrow_table().to_pylist()
    assert {r["entity_id"] for r in qe} == {i + 1 for i in bad_risk}
    assert all("risk_score_finite" in r["_failed_expectations"] for r in qe)


CONFIG = """\
inputs:
  transactions: {path: DATA/transactions.csv}
  entities: {path: DATA/entities.csv}
scenarios:
  structuring:
    SETTING
"""


@pytest.mark.parametrize("setting,key,hint", [
    ("treshold: 5000", "scenarios.structuring.treshold", "did you mean 'scenarios.structuring.threshold'"),
    ("window: 7", "scenarios.structuring.window", "no unit"),
    ("forward_share: 1.5", "scenarios.structuring.forward_share", "[0, 1]"),
    ("threshold: -10", "scenarios.structuring.threshold", "≥ 0"),
    ("threshold: ten", "scenarios.structuring.threshold", "expected"),
])
def test_config_key_and_value_errors_name_the_key(amlgraph, tmp_path, setting, key, hint):
    path = tmp_path / "c.yaml"
    path.write_text(CONFIG.replace("DATA", str(SMALL)).replace("SETTING", setting))
    msg = error_of(amlgraph("pipeline", "--config", path, "--lake", tmp_path / "lake", check=False))
    assert key in msg and hint in msg and f"{path}:6:" in msg, msg
    assert not (tmp_path / "lake").exists() or not (tmp_path / "lake" / "gold").exists()


def test_unknown_config_keys_suggest_the_nearest(amlgraph, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(CONFIG.replace("DATA", str(SMALL)).replace("SETTING", "threshold: 1").replace("scenarios:", "scenarioz:"))
    assert "did you mean 'scenarios'" in error_of(amlgraph("config", "check", "--config", path, check=False))
    path.write_text(CONFIG.replace("DATA", str(SMALL)).replace("SETTING", "threshold: 1").replace("structuring:", "structring:"))
    assert "did you mean 'scenarios.structuring'" in error_of(amlgraph("config", "check", "--config", path, check=False))
    path.write_text(CONFIG.replace("{path: DATA/entities.csv}", "{path: DATA/entities.csv, columns: {entity_di: id}}").replace("DATA", str(SMALL)).replace("SETTING", "threshold: 1"))
    assert "did you mean 'inputs.entities.columns.entity_id'" in error_of(amlgraph("config", "check", "--config", path, check=False))


@pytest.mark.parametrize("text,where", [
    ("inputs:\n  transactions: {path: x.csv\n", ":3:"),       # unclosed flow mapping
    ("inputs:\n  - a\n   b: [\n", ":"),
])
def test_malformed_yaml_names_line_and_column(amlgraph, tmp_path, text, where):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    msg = error_of(amlgraph("pipeline", "--config", path, "--lake", tmp_path / "lake", check=False))
    assert str(path) + where in msg


def test_missing_or_malformed_settings_json(amlgraph, tmp_path):
    msg = error_of(amlgraph("pipeline", "--config", tmp_path / "nope.yaml", "--lake", tmp_path / "lake", check=False))
    assert "nope.yaml: no such file" in msg
    settings = tmp_path / "s.json"
    full = (SMALL / "dedupe_settings.json").read_text()
    settings.write_text(full[: len(full) // 2])                     # truncated
    msg = error_of(amlgraph("resolve", "--input", SMALL / "dedupe.csv", "--settings", settings, "--out", tmp_path / "p.csv", check=False))
    assert "s.json:" in msg and "not valid JSON" in msg
    line = msg.split("s.json:")[1].split(":")[0]
    assert line.isdigit() and int(line) > 1
    msg = error_of(amlgraph("resolve", "--input", SMALL / "dedupe.csv", "--settings", tmp_path / "none.json", "--out", tmp_path / "p.csv", check=False))
    assert "none.json: no such file" in msg


def test_er_settings_typos_suggest_the_key(amlgraph, tmp_path):
    settings = json.loads((SMALL / "dedupe_settings.json").read_text())
    settings["trainng"] = settings.pop("training", {})
    path = tmp_path / "s.json"
    path.write_text(json.dumps(settings))
    msg = error_of(amlgraph("resolve", "--input", SMALL / "dedupe.csv", "--settings", path, "--train", "--out", tmp_path / "p.csv", check=False))
    assert "trainng" in msg and "did you mean 'training'" in msg


def test_cli_window_without_unit_negative_threshold_and_mistyped_column(amlgraph, tmp_path):
    tx, ents = SMALL / "transactions.csv", SMALL / "entities.csv"
    msg = error_of(amlgraph("structuring", "--transactions", tx, "--window", "7", "--out", tmp_path / "s.csv", check=False))
    assert "--window" in msg and "unit" in msg
    msg = error_of(amlgraph("structuring", "--transactions", tx, "--threshold=-1", "--out", tmp_path / "s.csv", check=False))
    assert "--threshold" in msg
    msg = error_of(amlgraph("synthetic-ids", "--entities", ents, "--ssn-col", "snn", "--out", tmp_path / "s.csv", check=False))
    assert "--ssn-col snn" in msg and "did you mean 'ssn'" in msg


def test_config_init_is_a_valid_config_with_every_key(amlgraph, tmp_path):
    text = amlgraph("config", "init").stdout
    for key in ("inputs:", "timestamp_format", "timezone", "columns:", "values:", "scenarios:", "structuring:", "forward_share",
                "risk_propagation:", "behaviour_anomaly:", "alerts:", "risk_threshold", "quality:", "max_quarantine_share"):
        assert key in text, key
    # With the paths pointed at real files it validates and checks against the data.
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in ("transactions", "entities", "dedupe"):
        shutil.copy(SMALL / f"{n}.csv", raw / f"{n}.csv")
    path = tmp_path / "c.yaml"
    path.write_text(text)
    out = amlgraph("config", "check", "--config", path).stdout
    assert "txn_id" in out and "<- txn_id" in out and "first 5 of 20000 rows" in out


def test_missing_canonical_columns_are_null_and_said_once(amlgraph, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    with open(SMALL / "entities.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(raw / "entities.csv", "w", newline="") as f:       # no ssn, no email
        w = csv.DictWriter(f, fieldnames=[k for k in rows[0] if k not in ("ssn", "email_addr")], extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    path = tmp_path / "c.yaml"
    path.write_text(f"inputs:\n  transactions: {{path: {SMALL}/transactions.csv}}\n  entities: {{path: raw/entities.csv}}\n")
    p = amlgraph("pipeline", "--config", path, "--lake", tmp_path / "lake")
    notes = [l for l in p.stderr.splitlines() if l.startswith("note: ")]
    assert len(notes) == 2 and all("synthetic_identity" in n for n in notes)
    assert any("ssn" in n for n in notes) and any("email_addr" in n for n in notes)
    ents = DeltaTable(str(tmp_path / "lake" / "silver" / "entities")).to_pyarrow_table()
    assert ents.column("ssn").null_count == ents.num_rows == 2000


def test_anomaly_takes_string_ids_and_column_names(amlgraph, tmp_path):
    """A bank's column names and string ids give the canonical scores, ids written back."""
    with open(SMALL / "transactions.csv", newline="") as f:
        tx = list(csv.DictReader(f))
    with open(tmp_path / "t.csv", "w", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["From", "To", "Amt", "When"])
        w.writerows([f"C{int(r['originator_id']):05d}", f"C{int(r['beneficiary_id']):05d}", r["txn_amount"], r["txn_ts"]] for r in tx)
    with open(SMALL / "entities.csv", newline="") as f:
        ids = [int(r["entity_id"]) for r in csv.DictReader(f)]
    (tmp_path / "e.csv").write_text("Ref\n" + "".join(f"C{i:05d}\n" for i in ids))
    got = amlgraph("anomaly", "--transactions", tmp_path / "t.csv", "--entities", tmp_path / "e.csv", "--delimiter", ";",
                   "--src-col", "From", "--dst-col", "To", "--amount-col", "Amt", "--time-col", "When", "--id-col", "Ref", "--out", "-").stdout
    want = amlgraph("anomaly", "--transactions", SMALL / "transactions.csv", "--entities", SMALL / "entities.csv", "--out", "-").stdout
    got_rows = {r["entity_id"]: float(r["score"]) for r in csv.DictReader(got.splitlines())}
    want_rows = {f"C{int(r['entity_id']):05d}": float(r["score"]) for r in csv.DictReader(want.splitlines())}
    assert got_rows.keys() == want_rows.keys()
    assert all(abs(got_rows[k] - want_rows[k]) <= 1e-9 * max(1.0, abs(want_rows[k])) for k in want_rows)


def test_synthetic_ids_takes_string_ids(amlgraph, tmp_path):
    """String ids give the canonical rings, components named by the smallest id as given."""
    with open(SMALL / "entities.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["entity_id"] = f"C{int(r['entity_id']):05d}"
    with open(tmp_path / "e.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    got = list(csv.DictReader(amlgraph("synthetic-ids", "--entities", tmp_path / "e.csv", "--out", "-").stdout.splitlines()))
    want = list(csv.DictReader(amlgraph("synthetic-ids", "--entities", SMALL / "entities.csv", "--out", "-").stdout.splitlines()))
    for r in want:
        r["entity_id"] = f"C{int(r['entity_id']):05d}"
        r["component"] = f"C{int(r['component']):05d}"
    assert sorted(map(tuple, (d.items() for d in got))) == sorted(map(tuple, (d.items() for d in want)))


def test_alerts_take_the_entity_column_names(amlgraph, tmp_path):
    si = tmp_path / "si.csv"
    amlgraph("synthetic-ids", "--entities", SMALL / "entities.csv", "--out", si)
    with open(SMALL / "entities.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(tmp_path / "e.csv", "w", newline="") as f:
        w = csv.writer(f, delimiter="|")
        w.writerow(["CustomerRef", "FullName"])
        w.writerows([r["entity_id"], r["name"]] for r in rows)
    got = amlgraph("alerts", "--entities", tmp_path / "e.csv", "--delimiter", "pipe", "--id-col", "CustomerRef", "--name-col", "FullName",
                   "--synthetic-identity", si, "--out", "-").stdout
    want = amlgraph("alerts", "--entities", SMALL / "entities.csv", "--synthetic-identity", si, "--out", "-").stdout
    assert got == want and len(got.splitlines()) > 10
    msg = error_of(amlgraph("alerts", "--entities", tmp_path / "e.csv", "--delimiter", "pipe", "--id-col", "CustomerRf",
                            "--synthetic-identity", si, "--out", "-", check=False))
    assert "CustomerRf" in msg


def test_report_reads_the_last_complete_run(amlgraph, tmp_path):
    """A table moved outside a complete run (a run killed half-way through its commits) is
    read by the report at the version the last complete run recorded in lake/runs."""
    lake = tmp_path / "lake"
    amlgraph("pipeline", "--data", SMALL, "--lake", lake, "--quiet")
    alerts = DeltaTable(str(lake / "gold" / "alerts")).to_pyarrow_table()
    top = alerts.column("name").to_pylist()[0]
    (tmp_path / "junk.csv").write_text("rank,entity_id,name,score,reason_count,reasons,evidence\n1,999999,Nobody Atall,1.0,1,x,y\n")
    amlgraph("delta", "write", tmp_path / "junk.csv", lake / "gold" / "alerts", "--mode", "overwrite")
    html = tmp_path / "r.html"
    amlgraph("report", "--lake", lake, "--out", html, "--quiet")
    text = html.read_text()
    assert top in text and "Nobody Atall" not in text
