"""Incremental gold (issue 14): with a saved transaction-dedupe model, day 2's run extends day 1's
`transaction_dedupe` table (scoring only the pairs with a new payment) instead of recomputing
it, and every gold table still equals one run over both days, row by row. Day 2 holds late
payments dated inside day 1's span, so new payments land among the old ones. The clusters are
cross-checked against Splink predicting with the same model file on all of silver (DuckDB),
clustered with networkx."""
import csv
import shutil

import deltalake  # noqa: F401  (import before pyarrow, see ANCHORS.md)
import pytest

from test_incremental_days import GOLD, table_rows

THRESHOLD = 0.9


def split_with_late_payments(source, day1, day2):
    """Day 1: the rows before the median date, except every 7th of them; day 2: the rest plus
    those (late arrivals dated inside day 1). File order kept."""
    with open(source, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    ts = header.index("txn_ts")
    cut = sorted(r[ts][:10] for r in body)[len(body) // 2]
    early = [r for r in body if r[ts][:10] < cut]
    first = [r for i, r in enumerate(early) if i % 7 != 3]
    late = [r for i, r in enumerate(early) if i % 7 == 3]
    second = late + [r for r in body if r[ts][:10] >= cut]
    for path, part in [(day1, first), (day2, second)]:
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(part)
    return len(first), len(second), len(late)


def splink_clusters(lake, model):
    """Clusters (frozensets of txn_id) of Splink's prediction with `model` on silver
    transactions, pairs at or above THRESHOLD, connected components by networkx; and each
    clustered txn_id's best pair probability."""
    import duckdb
    import networkx as nx
    from splink import DuckDBAPI, Linker
    t = deltalake.DeltaTable(str(lake / "silver" / "transactions")).to_pyarrow_table()
    t = t.select(["txn_id", "txn_amount", "rptd_originator_name_tokens", "rptd_originator_address_norm"])
    con = duckdb.connect()
    con.register("tx", t)
    rel = con.sql("SELECT * FROM tx")
    linker = Linker(DuckDBAPI(connection=con).register(rel), str(model))
    pred = linker.inference.predict(threshold_match_probability=THRESHOLD).as_duckdbpyrelation()
    pairs = pred.select("txn_id_l, txn_id_r, match_probability").fetchall()
    g = nx.Graph()
    best = {}
    for l, r, p in pairs:
        g.add_edge(str(l), str(r))
        for x in (str(l), str(r)):
            best[x] = max(best.get(x, 0.0), p)
    return {frozenset(c) for c in nx.connected_components(g)}, best


def test_day_two_extends_the_transaction_dedupe_with_a_saved_model(tmp_path, amlgraph, dataset):
    full, daily = tmp_path / "full", tmp_path / "daily"
    full.mkdir()
    daily.mkdir()
    n1, n2, late = split_with_late_payments(dataset / "transactions.csv", full / "transactions_1.csv", full / "transactions_2.csv")
    assert n1 > 0 and n2 > 0 and late > 0
    for name in ["entities.csv", "dedupe.csv"]:
        shutil.copy(dataset / name, full / name)
        shutil.copy(dataset / name, daily / name)
    model = tmp_path / "transaction_dedupe_model.json"
    lake = tmp_path / "lake_daily"

    # Day 1 trains the model (no file yet) and writes it; every later run uses it as is.
    shutil.copy(full / "transactions_1.csv", daily / "transactions_1.csv")
    amlgraph("pipeline", "--data", daily, "--lake", lake, "--transaction-dedupe-model", model, "--quiet")
    assert model.exists()
    trained = model.read_bytes()
    day1_dedupe = table_rows(lake / "gold" / "transaction_dedupe")[1]
    day1_silver = deltalake.DeltaTable(str(lake / "silver" / "transactions")).to_pyarrow_dataset().count_rows()

    full_run = amlgraph("pipeline", "--data", full, "--lake", tmp_path / "lake_full", "--transaction-dedupe-model", model)
    assert "transaction_dedupe updated" not in full_run.stderr
    shutil.copy(full / "transactions_2.csv", daily / "transactions_2.csv")
    day2 = amlgraph("pipeline", "--data", daily, "--lake", lake, "--transaction-dedupe-model", model)
    assert model.read_bytes() == trained
    notes = [line for line in day2.stderr.splitlines() if "transaction_dedupe updated" in line]
    assert len(notes) == 1, day2.stderr
    new = deltalake.DeltaTable(str(lake / "silver" / "transactions")).to_pyarrow_dataset().count_rows() - day1_silver
    assert new > 0 and f"({new} new payments" in notes[0]

    for table in ["silver/transactions"] + [f"gold/{g}" for g in GOLD]:
        names_full, rows_full = table_rows(tmp_path / "lake_full" / table)
        names_daily, rows_daily = table_rows(lake / table)
        assert names_daily == names_full, table
        assert rows_daily == rows_full, table

    # The day changed the table: new payments joined clusters (some with day-1 payments).
    names, rows = table_rows(lake / "gold" / "transaction_dedupe")
    assert rows and rows != day1_dedupe
    ids1 = {r[0] for r in csv.reader(open(full / "transactions_1.csv"))}
    clusters = {}
    for row in rows:
        d = dict(zip(names, row))
        clusters.setdefault(d["cluster_id"], set()).add(str(d["txn_id"]))
    assert any(c & ids1 and c - ids1 for c in clusters.values())

    # Splink, predicting with the same model file on all of silver, gives the same clusters.
    expected, best = splink_clusters(lake, model)
    assert {frozenset(c) for c in clusters.values()} == expected
    for row in rows:
        d = dict(zip(names, row))
        assert d["match_probability"] == pytest.approx(best[str(d["txn_id"])], rel=1e-9, abs=1e-12)


def test_a_changed_threshold_recomputes_the_transaction_dedupe(tmp_path, amlgraph, dataset):
    """Config runs (`scenarios.transaction_dedupe.model`, relative to the config file): day 2
    with day 1's settings extends the table; day 2 with another threshold recomputes it over
    all payments (the threshold is part of the recorded settings), and each equals one run
    over both days' payments with the same settings."""
    split_with_late_payments(dataset / "transactions.csv", tmp_path / "transactions_1.csv", tmp_path / "transactions_2.csv")
    with open(tmp_path / "transactions_3.csv", "w") as out:
        out.write(open(tmp_path / "transactions_1.csv").read())
        out.write("".join(open(tmp_path / "transactions_2.csv").readlines()[1:]))
    shutil.copy(dataset / "entities.csv", tmp_path / "entities.csv")

    def run(lake, transactions, threshold):
        config = tmp_path / f"{lake}_{transactions}.yaml"
        config.write_text(f"""inputs:
  entities: {{path: entities.csv}}
  transactions: {{path: {transactions}}}
scenarios:
  transaction_dedupe: {{threshold: {threshold}, model: model.json}}
""")
        return amlgraph("pipeline", "--config", config, "--lake", tmp_path / lake)

    run("daily", "transactions_1.csv", 0.9)
    assert (tmp_path / "model.json").exists()
    shutil.copytree(tmp_path / "daily", tmp_path / "lower")
    day2 = run("daily", "transactions_2.csv", 0.9)
    assert "transaction_dedupe updated" in day2.stderr
    run("full", "transactions_3.csv", 0.9)
    dedupe = "gold/transaction_dedupe"
    assert table_rows(tmp_path / "daily" / dedupe) == table_rows(tmp_path / "full" / dedupe)
    # Day 2 on a copy of day 1's lake with a lower threshold: recomputed, not extended.
    lower = run("lower", "transactions_2.csv", 0.5)
    assert "transaction_dedupe updated" not in lower.stderr
    run("full_lower", "transactions_3.csv", 0.5)
    assert table_rows(tmp_path / "lower" / dedupe) == table_rows(tmp_path / "full_lower" / dedupe)
    assert table_rows(tmp_path / "lower" / dedupe) != table_rows(tmp_path / "full" / dedupe)


def test_a_failed_run_removes_the_model_file_it_trained(tmp_path, amlgraph, dataset):
    """The model file a first run trains is one of the run's outputs: when the run fails after
    gold computed it (here a gold table's path is taken by a regular file, so its write fails),
    the file is gone again, and the next run trains afresh on what the lake then holds."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ["transactions.csv", "entities.csv"]:
        shutil.copy(dataset / name, data / name)
    lake, model = tmp_path / "lake", tmp_path / "model.json"
    (lake / "gold").mkdir(parents=True)
    (lake / "gold" / "alerts").write_text("not a table\n")
    failed = amlgraph("pipeline", "--data", data, "--lake", lake, "--transaction-dedupe-model", model, check=False)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert not model.exists(), failed.stderr
    assert (lake / "gold" / "alerts").read_text() == "not a table\n"
    # A model file that was there before a failed run (here an unreadable one) stays as it was.
    model.write_text("{}")
    broken = amlgraph("pipeline", "--data", data, "--lake", tmp_path / "lake2", "--transaction-dedupe-model", model, check=False)
    assert broken.returncode != 0 and "Traceback" not in broken.stderr
    assert model.read_text() == "{}"
