"""Incremental days: the pipeline run over day 1 and then day 2 (split by timestamp) leaves the
same silver and gold tables as one run over both days, and running again with the same files
ingests nothing. Tables are read back with delta-rs and compared as multisets of rows (floats
to a relative 1e-9), so neither row order nor the run clock matters."""
import csv
import math
import shutil

import deltalake  # noqa: F401  (import before pyarrow, see ANCHORS.md)
import pytest

GOLD = ["synthetic_identity", "structuring", "structuring_levels", "roundtrips", "typologies", "typology_accounts", "risk_propagation",
        "transaction_dedupe", "entity_dedupe", "address_flags", "behaviour_anomaly", "alerts"]
# Lineage columns carry the run's clock, not data.
LINEAGE = {"_ingest_ts"}


def _norm(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return float(f"{v:.9g}")
    if isinstance(v, list):
        return tuple(_norm(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _norm(x)) for k, x in v.items()))
    return v


def table_rows(path):
    t = deltalake.DeltaTable(str(path)).to_pyarrow_table()
    names = [n for n in t.column_names if n not in LINEAGE]
    rows = [tuple(_norm(r[n]) for n in names) for r in t.select(names).to_pylist()]
    return names, sorted(rows, key=repr)


def split_by_day(source, day1, day2):
    """Writes the rows of `source` before the median date to day1, the rest to day2 (file
    order kept). Returns the two row counts."""
    with open(source, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    ts = header.index("txn_ts")
    days = sorted(r[ts][:10] for r in body)
    cut = days[len(days) // 2]
    first = [r for r in body if r[ts][:10] < cut]
    second = [r for r in body if r[ts][:10] >= cut]
    for path, part in [(day1, first), (day2, second)]:
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(part)
    return len(first), len(second)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory, dataset):
    """The committed small dataset and a small bank world (typologies with look-alikes)."""
    from conftest import amlgraph_bin
    import subprocess
    bank = tmp_path_factory.mktemp("bank")
    subprocess.run([amlgraph_bin(), "generate", "--world", "bank", "--entities", "1500", "--transactions", "40000",
                    "--seed", "3", "--out", str(bank), "--quiet"], check=True)
    return {"small": dataset, "bank": bank}


@pytest.mark.parametrize("world", ["small", "bank"])
def test_day_by_day_equals_one_run_over_both_days(tmp_path, amlgraph, worlds, world):
    source = worlds[world]
    full, daily = tmp_path / "full", tmp_path / "daily"
    full.mkdir()
    daily.mkdir()
    n1, n2 = split_by_day(source / "transactions.csv", full / "transactions_1.csv", full / "transactions_2.csv")
    assert n1 > 0 and n2 > 0
    for name in ["entities.csv", "dedupe.csv"]:
        if (source / name).exists():
            shutil.copy(source / name, full / name)
            shutil.copy(source / name, daily / name)
    amlgraph("pipeline", "--data", full, "--lake", tmp_path / "lake_full", "--quiet")

    lake = tmp_path / "lake_daily"
    shutil.copy(full / "transactions_1.csv", daily / "transactions_1.csv")
    amlgraph("pipeline", "--data", daily, "--lake", lake, "--quiet")
    bronze_v1 = deltalake.DeltaTable(str(lake / "bronze" / "transactions")).version()
    silver_v1 = deltalake.DeltaTable(str(lake / "silver" / "transactions")).version()
    shutil.copy(full / "transactions_2.csv", daily / "transactions_2.csv")
    day2 = amlgraph("pipeline", "--data", daily, "--lake", lake)
    assert "ingested transactions_2.csv" in day2.stdout
    assert "ingested transactions_1.csv" not in day2.stdout
    # A transaction-only day reuses the entity-only gold tables (compared with the full run below).
    reused = [line for line in day2.stderr.splitlines() if "gold: reused" in line]
    assert len(reused) == 1, day2.stderr
    for name in ["synthetic_identity", "entity_dedupe", "address_flags"]:
        assert name in reused[0]
    # Day 2 appended one bronze file and one silver version (no rewrite of day 1's rows).
    assert deltalake.DeltaTable(str(lake / "bronze" / "transactions")).version() == bronze_v1 + 1
    silver = deltalake.DeltaTable(str(lake / "silver" / "transactions"))
    assert silver.version() == silver_v1 + 1
    assert len(silver.file_uris()) == len(deltalake.DeltaTable(str(lake / "silver" / "transactions"), version=silver_v1).file_uris()) + 1

    for table in ["bronze/transactions", "silver/transactions", "silver/transactions_quarantine", "silver/entities"] + [f"gold/{g}" for g in GOLD]:
        names_full, rows_full = table_rows(tmp_path / "lake_full" / table)
        names_daily, rows_daily = table_rows(lake / table)
        assert names_daily == names_full, table
        assert len(rows_daily) == len(rows_full), table
        assert rows_daily == rows_full, table

    # The same files again: nothing is ingested and no table moves.
    versions = {g: deltalake.DeltaTable(str(lake / "gold" / g)).version() for g in GOLD}
    again = amlgraph("pipeline", "--data", daily, "--lake", lake)
    assert "nothing to commit" in again.stderr
    assert "ingested" not in again.stdout.replace("already ingested", "")
    assert deltalake.DeltaTable(str(lake / "bronze" / "transactions")).version() == bronze_v1 + 1
    assert {g: deltalake.DeltaTable(str(lake / "gold" / g)).version() for g in GOLD} == versions


def test_a_key_repeated_on_a_later_day_is_quarantined_as_in_one_run(tmp_path, amlgraph, dataset):
    """Day 2 repeats a txn_id of day 1: the incremental run quarantines it as unique_txn_id,
    as the single run does (the first row in ingest order stays)."""
    full, daily = tmp_path / "full", tmp_path / "daily"
    full.mkdir()
    daily.mkdir()
    split_by_day(dataset / "transactions.csv", full / "transactions_1.csv", full / "transactions_2.csv")
    with open(full / "transactions_1.csv", newline="") as f:
        first = list(csv.reader(f))[1]
    with open(full / "transactions_2.csv", "a", newline="") as f:
        csv.writer(f).writerow(first)
    for name in ["entities.csv", "dedupe.csv"]:
        shutil.copy(dataset / name, full / name)
        shutil.copy(dataset / name, daily / name)
    amlgraph("pipeline", "--data", full, "--lake", tmp_path / "lake_full", "--quiet")
    shutil.copy(full / "transactions_1.csv", daily)
    amlgraph("pipeline", "--data", daily, "--lake", tmp_path / "lake_daily", "--quiet")
    shutil.copy(full / "transactions_2.csv", daily)
    amlgraph("pipeline", "--data", daily, "--lake", tmp_path / "lake_daily", "--quiet")
    q = deltalake.DeltaTable(str(tmp_path / "lake_daily" / "silver" / "transactions_quarantine")).to_pyarrow_table().to_pylist()
    assert [r["_failed_expectations"] for r in q if str(r["txn_id"]) == first[0]] == ["unique_txn_id"]
    for table in ["silver/transactions", "silver/transactions_quarantine"]:
        assert table_rows(tmp_path / "lake_daily" / table) == table_rows(tmp_path / "lake_full" / table), table


def test_until_silver_ingests_only_and_a_later_run_adds_gold(tmp_path, amlgraph, dataset):
    """`--until silver` commits bronze and silver and no gold; the next full run on the same
    files ingests nothing and writes the gold a single full run writes."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(dataset / "transactions.csv", data / "transactions.csv")
    lake = tmp_path / "lake"
    amlgraph("pipeline", "--data", data, "--lake", lake, "--until", "silver", "--quiet")
    assert not (lake / "gold").exists()
    import duckdb
    expected = duckdb.sql(f"SELECT count(*) FROM read_csv('{dataset / 'transactions.csv'}', header = true)").fetchone()[0]
    silver = deltalake.DeltaTable(str(lake / "silver" / "transactions")).to_pyarrow_table().num_rows
    quarantine = deltalake.DeltaTable(str(lake / "silver" / "transactions_quarantine")).to_pyarrow_table().num_rows
    assert silver + quarantine == expected
    for name in ["entities.csv", "dedupe.csv"]:
        shutil.copy(dataset / name, data / name)
    run = amlgraph("pipeline", "--data", data, "--lake", lake)
    assert "ingested transactions.csv" not in run.stdout
    amlgraph("pipeline", "--data", data, "--lake", tmp_path / "lake_full", "--quiet")
    for g in GOLD:
        assert table_rows(lake / "gold" / g) == table_rows(tmp_path / "lake_full" / "gold" / g), g
    bad = amlgraph("pipeline", "--data", data, "--lake", lake, "--until", "bronze", check=False)
    assert bad.returncode == 1 and "--until must be gold or silver" in bad.stderr


def _config(folder, transactions, min_shared=None):
    text = f"inputs:\n  transactions:\n    path: {transactions}\n  entities:\n    path: entities.csv\n  dedupe:\n    path: dedupe.csv\n"
    if min_shared is not None:
        text += f"scenarios:\n  address_flags:\n    min_shared: {min_shared}\n"
    path = folder / f"run_{transactions}_{min_shared}.yaml"
    path.write_text(text)
    return path


def test_a_changed_entity_setting_recomputes_the_entity_tables(tmp_path, amlgraph, dataset):
    """Day 2 brings payments only but changes address_flags.min_shared: address_flags (and the
    alerts) are recomputed and equal one run over both days with that setting, while the
    synthetic identity and entity dedupe tables, whose settings did not change, are reused."""
    data = tmp_path / "data"
    data.mkdir()
    split_by_day(dataset / "transactions.csv", data / "transactions_1.csv", data / "transactions_2.csv")
    for name in ["entities.csv", "dedupe.csv"]:
        shutil.copy(dataset / name, data / name)
    # Both days in one file, in ingest order (day 1's rows, then day 2's).
    with open(data / "transactions.csv", "w") as out:
        out.write((data / "transactions_1.csv").read_text())
        out.write("".join((data / "transactions_2.csv").read_text().splitlines(keepends=True)[1:]))
    lake, full = tmp_path / "lake", tmp_path / "full"
    amlgraph("pipeline", "--config", _config(data, "transactions_1.csv"), "--lake", lake, "--quiet")
    _, flags_day1 = table_rows(lake / "gold" / "address_flags")
    day2 = amlgraph("pipeline", "--config", _config(data, "transactions_2.csv", min_shared=2), "--lake", lake)
    reused = [line for line in day2.stderr.splitlines() if "gold: reused" in line]
    assert len(reused) == 1 and "synthetic_identity" in reused[0] and "entity_dedupe" in reused[0], day2.stderr
    assert "address_flags" not in reused[0]
    amlgraph("pipeline", "--config", _config(data, "transactions.csv", min_shared=2), "--lake", full, "--quiet")
    for table in ["gold/address_flags", "gold/alerts", "gold/synthetic_identity", "gold/entity_dedupe"]:
        assert table_rows(lake / table) == table_rows(full / table), table
    # The setting matters on this data (addresses shared by two or three entities exist), so
    # equality above is not a table left as it was.
    assert table_rows(lake / "gold" / "address_flags")[1] != flags_day1


def _bad_day(path, rows):
    """A day's file of self-payments (each fails not_self_payment), txn ids after the dataset's."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["txn_id", "originator_id", "beneficiary_id", "txn_amount", "txn_ts", "rptd_originator_address", "rptd_originator_name"])
        for i in range(rows):
            w.writerow([9_000_000 + i, 7, 7, "100.0", "2026-01-02T10:00:00Z", "", ""])


@pytest.mark.parametrize("bad_rows", [3, 1200])
def test_the_quality_gate_on_a_new_day_counts_as_one_run_would(tmp_path, amlgraph, dataset, bad_rows):
    """The 5% quarantine gate over day 1 then a day of bad rows decides as one run over both
    files does: 3 bad rows (all of the day, 0.015% of everything) pass; 1,200 (5.7% of
    everything) stop both, and the daily lake keeps its day-1 silver."""
    total = sum(1 for _ in open(dataset / "transactions.csv")) - 1
    full, daily = tmp_path / "full", tmp_path / "daily"
    for folder in (full, daily):
        folder.mkdir()
        for name in ["entities.csv", "dedupe.csv"]:
            shutil.copy(dataset / name, folder / name)
    shutil.copy(dataset / "transactions.csv", full / "transactions_1.csv")
    _bad_day(full / "transactions_2.csv", bad_rows)
    stops = bad_rows > 0.05 * (total + bad_rows)
    one = amlgraph("pipeline", "--data", full, "--lake", tmp_path / "lake_full", "--quiet", check=False)
    assert one.returncode == (1 if stops else 0), one.stderr
    shutil.copy(full / "transactions_1.csv", daily)
    amlgraph("pipeline", "--data", daily, "--lake", tmp_path / "lake_daily", "--quiet")
    shutil.copy(full / "transactions_2.csv", daily)
    two = amlgraph("pipeline", "--data", daily, "--lake", tmp_path / "lake_daily", "--quiet", check=False)
    assert two.returncode == one.returncode, two.stderr
    silver = tmp_path / "lake_daily" / "silver" / "transactions"
    if stops:
        assert "quality.max_quarantine_share" in two.stderr
        assert deltalake.DeltaTable(str(silver)).version() == 0
        assert deltalake.DeltaTable(str(silver)).to_pyarrow_table().num_rows == total
    else:
        for table in ["silver/transactions", "silver/transactions_quarantine"]:
            assert table_rows(tmp_path / "lake_daily" / table) == table_rows(tmp_path / "lake_full" / table), table
