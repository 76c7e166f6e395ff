"""Bronze and silver read in batches (`pipeline --batch-bytes N`) give the tables one pass over
each whole file gives (`--batch-bytes 0`): the same bronze, silver, quarantine and quality rows
in the same order, whatever the batch size; silver's typed columns equal an independent DuckDB
SQL over the CSV (the expectations as a WHERE clause, the first row per txn_id kept); a bad row
in a late batch is quarantined as before and counts toward the run-wide quality gate; and a run
that fails after early batches were written leaves every table as it was, with no staged file
left behind."""
import csv
import shutil

import deltalake  # noqa: F401  (import before pyarrow, see ANCHORS.md)
import duckdb
import pyarrow as pa
import pytest

TABLES = ["bronze/entities", "bronze/transactions", "bronze/dedupe", "silver/entities", "silver/transactions", "silver/dedupe",
          "silver/entities_quarantine", "silver/transactions_quarantine", "silver/dedupe_quarantine", "silver/quality_metrics"]
CLOCK = {"_ingest_ts", "run_ts"}
SMALL = "16384"  # bytes per batch: the 20,000-payment file is read in about 100 batches


def rows(path):
    t = deltalake.DeltaTable(str(path)).to_pyarrow_table()
    names = [n for n in t.column_names if n not in CLOCK]
    return names, [tuple(r[n] for n in names) for r in t.select(names).to_pylist()]


def parquet_files(lake):
    """Data files of the bronze and silver tables (the `runs` table records every run, failed ones too)."""
    return sorted(p.relative_to(lake) for layer in ["bronze", "silver"] for p in (lake / layer).rglob("*.parquet"))


@pytest.fixture(scope="module")
def data(tmp_path_factory, dataset):
    """The committed dataset with bad rows early, in the middle and in the last batch: an
    unparseable amount, a record with a field missing, a repeated txn_id from far earlier
    in the file, a self-payment, a negative amount; and an extra column."""
    folder = tmp_path_factory.mktemp("data")
    for name in ["entities.csv", "dedupe.csv"]:
        shutil.copy(dataset / name, folder / name)
    with open(dataset / "transactions.csv", newline="") as f:
        body = list(csv.reader(f))
    header, body = body[0], body[1:]
    first_id = body[0][0]
    bad = {
        5: ["900001", "1", "2", "abc", "2025-06-01T10:00:00Z", "x", "y"],
        10_000: ["900002", "1", "2", "10.0", "2025-06-01T10:00:00Z", "x"],
        len(body) - 3: [first_id, "3", "4", "55.0", "2025-06-01T10:00:00Z", "x", "y"],
        len(body) - 2: ["900003", "5", "5", "10.0", "2025-06-01T10:00:00Z", "O'Brien, Ann", "P.O. Box 7, Leeds"],
        len(body) - 1: ["900004", "6", "7", "-3.0", "2025-06-01T10:00:00Z", "Müller, Jörg", "Straße 1"],
    }
    with open(folder / "transactions.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i, r in enumerate(body):
            w.writerow(r)
            if i in bad:
                w.writerow(bad[i])
    return folder


@pytest.fixture(scope="module")
def lakes(tmp_path_factory, amlgraph, data):
    out = {}
    for size in ["0", SMALL]:
        lake = tmp_path_factory.mktemp(f"lake{size}") / "lake"
        amlgraph("pipeline", "--data", data, "--lake", lake, "--until", "silver", "--batch-bytes", size)
        out[size] = lake
    return out


@pytest.mark.parametrize("table", TABLES)
def test_batches_give_the_whole_file_tables(lakes, table):
    whole, batched = rows(lakes["0"] / table), rows(lakes[SMALL] / table)
    assert whole[0] == batched[0]
    assert len(whole[1]) == len(batched[1])
    assert whole[1] == batched[1], "same rows in the same order"


def test_many_batches_were_written_and_committed_once(lakes):
    silver = deltalake.DeltaTable(str(lakes[SMALL] / "silver" / "transactions"))
    assert len(silver.file_uris()) > 50
    assert silver.version() == 0
    assert len(silver.history()) == 1


def test_silver_types_match_duckdb_over_the_csv(lakes, data):
    """Silver's typed columns against DuckDB reading the CSV itself: rows passing the row
    expectations, the first row of each txn_id kept (file order)."""
    # The corrupt record (a field short) reads with a null last field here; the file has no
    # other empty name, so a null name marks it.
    sql = f"""
        select try_cast(txn_id as bigint), try_cast(originator_id as bigint), try_cast(beneficiary_id as bigint),
               try_cast(txn_amount as double), epoch_us(try_cast(txn_ts as timestamptz))
        from read_csv('{data / "transactions.csv"}', header = true, all_varchar = true, null_padding = true)
        where try_cast(txn_id as bigint) is not null and try_cast(originator_id as bigint) is not null
          and try_cast(beneficiary_id as bigint) is not null
          and try_cast(beneficiary_id as bigint) != try_cast(originator_id as bigint)
          and try_cast(txn_amount as double) > 0 and try_cast(txn_ts as timestamptz) is not null
          and rptd_originator_name is not null
    """
    duckdb.sql("set preserve_insertion_order = true")
    seen, expected = set(), []
    for r in duckdb.sql(sql).fetchall():  # file order; the first row of each txn_id stays
        if r[0] not in seen:
            seen.add(r[0])
            expected.append(r)
    t = deltalake.DeltaTable(str(lakes[SMALL] / "silver" / "transactions")).to_pyarrow_table()
    cols = [t.column(c).to_pylist() for c in ["txn_id", "originator_id", "beneficiary_id", "txn_amount"]]
    cols.append(t.column("txn_ts").cast(pa.int64()).to_pylist())
    got = list(zip(*cols))
    assert len(got) == len(expected)
    assert got == expected


def test_late_bad_rows_are_quarantined(lakes, data):
    q = deltalake.DeltaTable(str(lakes[SMALL] / "silver" / "transactions_quarantine")).to_pyarrow_table().to_pylist()
    reasons = {r["txn_id"]: r["_failed_expectations"] for r in q if r["txn_id"] is not None}
    assert "unique_txn_id" in reasons.values(), "a txn_id repeated in the last batch from the first batch"
    assert reasons[900003] == "not_self_payment" and reasons[900004] == "amount_positive"
    assert len(q) == 5


def test_a_failure_in_a_late_batch_leaves_every_table_as_it_was(tmp_path, amlgraph, data):
    """Day 2's file has its bad rows (more than the 5% gate allows over both days) only in
    its last batches: the run stops, no table moves, and the staged files are removed."""
    days = tmp_path / "day"
    shutil.copytree(data, days)
    lake = tmp_path / "lake"
    amlgraph("pipeline", "--data", days, "--lake", lake, "--until", "silver", "--batch-bytes", SMALL)
    before = {t: rows(lake / t) for t in TABLES}
    versions = {t: deltalake.DeltaTable(str(lake / t)).version() for t in TABLES}
    files = parquet_files(lake)
    with open(days / "transactions_2.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["txn_id", "originator_id", "beneficiary_id", "txn_amount", "txn_ts", "rptd_originator_address", "rptd_originator_name"])
        for i in range(3_000):
            w.writerow([2_000_000 + i, 1, 2, 10.0, "2025-07-01T10:00:00Z", "x", "y"])
        for i in range(3_000):  # self-payments at the end: 3,000 of 26,000 rows is over 5%
            w.writerow([3_000_000 + i, 5, 5, 10.0, "2025-07-01T10:00:00Z", "x", "y"])
    proc = amlgraph("pipeline", "--data", days, "--lake", lake, "--until", "silver", "--batch-bytes", SMALL, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "quarantined" in proc.stderr and "not_self_payment" in proc.stderr
    assert {t: deltalake.DeltaTable(str(lake / t)).version() for t in TABLES} == versions
    assert {t: rows(lake / t) for t in TABLES} == before
    assert parquet_files(lake) == files, "no staged file is left behind"

    # The same rows with the bad ones in the whole-file path stop the same way.
    whole = tmp_path / "whole"
    amlgraph("pipeline", "--data", data, "--lake", whole, "--until", "silver", "--batch-bytes", "0")
    shutil.copy(days / "transactions_2.csv", tmp_path / "t2.csv")
    proc0 = amlgraph("pipeline", "--data", days, "--lake", whole, "--until", "silver", "--batch-bytes", "0", check=False)
    assert proc0.returncode == 1
    assert proc0.stderr.split("Examples:")[0].split("quarantined (")[0] == proc.stderr.split("Examples:")[0].split("quarantined (")[0]


def test_a_read_error_after_staged_batches_removes_them(tmp_path, amlgraph, data):
    """An empty second file fails after the first file's batches were written: nothing stays."""
    folder = tmp_path / "data"
    shutil.copytree(data, folder)
    (folder / "transactions_z.csv").write_text("")
    lake = tmp_path / "lake"
    proc = amlgraph("pipeline", "--data", folder, "--lake", lake, "--batch-bytes", SMALL, check=False)
    assert proc.returncode == 1 and "transactions_z.csv" in proc.stderr, proc.stderr
    assert not lake.exists() or parquet_files(lake) == []
