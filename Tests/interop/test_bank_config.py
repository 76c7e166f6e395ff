"""A bank's files as they are: the same data as datasets/small, written the way a bank exports
it (semicolons, a UTF-8 BOM, latin-1, CRLF, dd/mm/yyyy local times, renamed and extra
columns, string ids, Individual/Business), goes through `pipeline --config` and gives the
same gold tables as the canonical files through `pipeline --data`, once the bank's ids are
mapped back. The bank copy is built here with plain Python; the gold tables are read with
deltalake."""
import csv
import datetime as dt
import math
import re
import shutil

import pytest
from deltalake import DeltaTable

from conftest import ROOT

SMALL = ROOT / "datasets" / "small"
TX_COLUMNS = {"txn_id": "PaymentRef", "originator_id": "DebtorAccount", "beneficiary_id": "CreditorAccount",
              "txn_amount": "Amount", "txn_ts": "BookingDate", "rptd_originator_address": "DebtorAddress",
              "rptd_originator_name": "DebtorName"}
ENT_COLUMNS = {"entity_id": "CustomerRef", "name": "FullName", "address": "PostalAddress", "email_addr": "Email",
               "phone_number": "Mobile", "ssn": "TaxId", "entity_type": "Segment", "risk_score": "KycRisk"}
ACC = "ACC-{:07d}"
PAY = "PAY-{:09d}"
OFFSET = dt.timezone(dt.timedelta(hours=1))


def read(name):
    with open(SMALL / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(path, header, rows, encoding, bom=False):
    with open(path, "w", encoding=encoding, newline="") as f:
        if bom:
            f.write("\ufeff")
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


def bank_copy(folder):
    """The canonical small dataset as a bank would export it."""
    raw = folder / "raw"
    raw.mkdir()
    tx_header = [TX_COLUMNS[c] for c in TX_COLUMNS] + ["Currency"]
    tx_rows = []
    for r in read("transactions.csv"):
        ts = dt.datetime.fromisoformat(r["txn_ts"].replace("Z", "+00:00")).astimezone(OFFSET)
        tx_rows.append([PAY.format(int(r["txn_id"])), ACC.format(int(r["originator_id"])), ACC.format(int(r["beneficiary_id"])),
                        r["txn_amount"], ts.strftime("%d/%m/%Y %H:%M:%S.%f"), r["rptd_originator_address"],
                        r["rptd_originator_name"], "EUR"])
    write(raw / "payments.csv", tx_header, tx_rows, "utf-8", bom=True)
    segments = {"Person": ["Individual", "INDIVIDUAL", "individual"], "Company": ["Business", "business"]}
    ent_header = [ENT_COLUMNS[c] for c in ENT_COLUMNS] + ["Branch"]
    ent_rows = []
    for i, r in enumerate(read("entities.csv")):
        seg = segments[r["entity_type"]][i % len(segments[r["entity_type"]])] if r["entity_type"] in segments else r["entity_type"]
        ent_rows.append([ACC.format(int(r["entity_id"])), r["name"], r["address"], r["email_addr"], r["phone_number"], r["ssn"],
                         seg, r["risk_score"], "Zürich"])
    write(raw / "customers.csv", ent_header, ent_rows, "latin-1")
    shutil.copy(SMALL / "dedupe.csv", raw / "dedupe.csv")
    columns = lambda m: "\n".join(f"      {k}: {v}" for k, v in m.items())
    (folder / "bank.yaml").write_text(f"""\
inputs:
  transactions:
    path: raw/payments.csv
    delimiter: ";"
    timestamp_format: "%d/%m/%Y %H:%M:%S.%f"
    timezone: "+01:00"
    columns:
{columns(TX_COLUMNS)}
  entities:
    path: raw/customers.csv
    delimiter: ";"
    encoding: latin-1
    columns:
{columns(ENT_COLUMNS)}
    values:
      entity_type: {{Individual: Person, Business: Company}}
  dedupe:
    path: raw/dedupe.csv
""")
    return folder / "bank.yaml"


def unmap(value):
    """A bank id (or a text holding bank ids) with the canonical integers back."""
    if isinstance(value, str):
        return re.sub(r"(?:ACC|PAY)-0*(\d+)", r"\1", value)
    return value


def normal(value):
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 9)
    if isinstance(value, str):
        value = unmap(value)
        if re.fullmatch(r"-?\d+", value):
            return int(value)
        # Evidence lists are sorted as text: compare them as sets.
        if " || " in value or ":" in value and "," in value:
            return tuple(sorted(re.split(r" \|\| |,", value)))
    return value


def rows(root, drop=()):
    t = DeltaTable(str(root)).to_pyarrow_table()
    names = [n for n in t.column_names if n not in drop and not n.startswith("_")]
    return sorted((tuple(normal(v) for v in row) for row in zip(*(t.column(n).to_pylist() for n in names))), key=repr), names


@pytest.fixture(scope="module")
def lakes(tmp_path_factory):
    import subprocess
    from conftest import amlgraph_bin
    tmp = tmp_path_factory.mktemp("bank")
    config = bank_copy(tmp)
    bank = subprocess.run([amlgraph_bin(), "pipeline", "--config", config, "--lake", tmp / "bank_lake", "--quiet"], capture_output=True, text=True)
    assert bank.returncode == 0, bank.stderr
    canonical = subprocess.run([amlgraph_bin(), "pipeline", "--data", SMALL, "--lake", tmp / "lake", "--quiet"], capture_output=True, text=True)
    assert canonical.returncode == 0, canonical.stderr
    return tmp / "bank_lake", tmp / "lake", bank.stdout


GOLD = ["synthetic_identity", "structuring", "structuring_levels", "roundtrips", "risk_propagation", "transaction_dedupe",
        "entity_dedupe", "address_flags", "behaviour_anomaly", "alerts"]


@pytest.mark.parametrize("table", GOLD)
def test_bank_files_give_the_canonical_gold_tables(lakes, table):
    bank, canonical, _ = lakes
    got, got_names = rows(bank / "gold" / table)
    want, want_names = rows(canonical / "gold" / table)
    assert got_names == want_names
    assert len(got) == len(want)
    assert got == want


def test_ids_and_extra_columns_are_kept_as_given(lakes):
    bank, _, _ = lakes
    ents = DeltaTable(str(bank / "silver" / "entities")).to_pyarrow_table()
    assert ents.column("entity_id").to_pylist()[:2] == [ACC.format(1), ACC.format(2)]
    assert set(ents.column("Branch").to_pylist()) == {"Zürich"}          # latin-1 decoded, carried into silver
    assert set(ents.column("entity_type").to_pylist()) <= {"Person", "Company"}
    tx = DeltaTable(str(bank / "silver" / "transactions")).to_pyarrow_table()
    assert set(tx.column("Currency").to_pylist()) == {"EUR"}
    # Nothing quarantined: the bank's spellings and formats are all understood.
    for name in ("entities_quarantine", "transactions_quarantine"):
        assert DeltaTable(str(bank / "silver" / name)).to_pyarrow_table().num_rows == 0
    # dd/mm/yyyy local times at +01:00 are the canonical UTC instants.
    canonical = {int(r["txn_id"]): dt.datetime.fromisoformat(r["txn_ts"].replace("Z", "+00:00")) for r in read("transactions.csv")}
    for pid, ts in zip(tx.column("txn_id").to_pylist()[:50], tx.column("txn_ts").to_pylist()[:50]):
        assert ts.replace(tzinfo=dt.timezone.utc) == canonical[int(pid[4:])]
    alerts = DeltaTable(str(bank / "gold" / "alerts")).to_pyarrow_table().column("entity_id").to_pylist()
    assert all(a.startswith("ACC-") for a in alerts)


def test_runs_table_records_the_run(lakes):
    bank, _, _ = lakes
    runs = DeltaTable(str(bank / "runs")).to_pyarrow_table().to_pylist()
    assert len(runs) == 1 and runs[0]["status"] == "complete"
    assert "payments.csv" in runs[0]["input_files"] and "gold/alerts" in runs[0]["table_versions"]
