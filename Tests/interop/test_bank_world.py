"""`amlgraph generate --world bank`: the world's shape, checked with DuckDB and networkx over the
written CSVs (not with the generator's own code): exact sizes, determinism, every typology
planted with parameters inside the documented ranges, truth consistent with the payments,
and the legitimate look-alikes actually present."""
import csv
import filecmp

import duckdb
import networkx as nx
import pytest

TYPOLOGIES = ["fan_in", "fan_out", "cycle", "scatter_gather", "gather_scatter", "bipartite", "stack",
              "structuring", "rapid_pass_through"]
ACCOUNTS, PAYMENTS, DAYS, INSTANCES = 1500, 40000, 120, 4


@pytest.fixture(scope="module")
def world(tmp_path_factory, amlgraph):
    out = tmp_path_factory.mktemp("bank")
    amlgraph("generate", "--world", "bank", "--entities", ACCOUNTS, "--transactions", PAYMENTS, "--days", DAYS,
             "--instances", INSTANCES, "--seed", 7, "--out", out, "--quiet")
    con = duckdb.connect()
    con.sql(f"create view t as select * from read_csv('{out}/transactions.csv', header=true, auto_detect=true)")
    con.sql(f"create view e as select * from read_csv('{out}/entities.csv', header=true, auto_detect=true)")
    con.sql(f"create view tp as select * from read_csv('{out}/truth_patterns.csv', header=true, auto_detect=true)")
    con.sql(f"create view te as select * from read_csv('{out}/truth_pattern_entities.csv', header=true, auto_detect=true)")
    return out, con


def test_sizes_ids_and_span(world):
    out, con = world
    n, ids, lo, hi, self_pay, bad = con.sql(f"""
        select count(*), count(distinct txn_id), min(txn_id), max(txn_id),
               sum((originator_id = beneficiary_id)::int),
               sum((originator_id not in (select entity_id from e) or beneficiary_id not in (select entity_id from e))::int)
        from t""").fetchone()
    assert (n, ids, lo, hi, self_pay, bad) == (PAYMENTS, PAYMENTS, 1, PAYMENTS, 0, 0)
    starts_on_time, days = con.sql("select min(txn_ts) >= '2025-01-01T00:00:00Z'::timestamptz, epoch(max(txn_ts)) - epoch(min(txn_ts)) from t").fetchone()
    assert starts_on_time and days < DAYS * 86400
    assert con.sql("select count(*), count(distinct entity_id) from e").fetchone() == (ACCOUNTS, ACCOUNTS)


def test_same_seed_is_byte_identical_and_another_seed_differs(world, tmp_path, amlgraph):
    out, _ = world
    args = ["generate", "--world", "bank", "--entities", ACCOUNTS, "--transactions", PAYMENTS, "--days", DAYS,
            "--instances", INSTANCES, "--quiet"]
    amlgraph(*args, "--seed", 7, "--out", tmp_path / "again")
    names = ["entities.csv", "transactions.csv", "truth_patterns.csv", "truth_pattern_entities.csv", "truth_pattern_parameters.csv"]
    match, mismatch, errors = filecmp.cmpfiles(out, tmp_path / "again", names, shallow=False)
    assert mismatch == [] and errors == []
    amlgraph(*args, "--seed", 8, "--out", tmp_path / "other")
    assert not filecmp.cmp(out / "transactions.csv", tmp_path / "other" / "transactions.csv", shallow=False)


def test_every_typology_planted_with_truth_matching_the_payments(world):
    _, con = world
    counts = dict(con.sql("select pattern_type, count(distinct pattern_id) from te group by 1").fetchall())
    assert counts == {t: INSTANCES for t in TYPOLOGIES}
    # Every planted payment's two ends are members of its instance, and every member takes part.
    outside = con.sql("""
        select count(*) from tp join t using (txn_id)
        where originator_id not in (select entity_id from te where te.pattern_id = tp.pattern_id)
           or beneficiary_id not in (select entity_id from te where te.pattern_id = tp.pattern_id)""").fetchone()[0]
    assert outside == 0
    idle = con.sql("""
        select count(*) from te where not exists (
            select 1 from tp join t using (txn_id)
            where tp.pattern_id = te.pattern_id and te.entity_id in (t.originator_id, t.beneficiary_id))""").fetchone()[0]
    assert idle == 0
    # Instances do not share accounts.
    assert con.sql("select count(*) from (select entity_id from te group by 1 having count(distinct pattern_id) > 1)").fetchone()[0] == 0


def edges(con, pattern_id):
    return con.sql(f"""select originator_id, beneficiary_id, txn_amount, epoch(txn_ts) from tp join t using (txn_id)
                       where pattern_id = {pattern_id} order by txn_ts""").fetchall()


def test_cycles_are_time_ordered_simple_cycles_with_bounded_retention(world):
    _, con = world
    lengths = []
    for (pid,) in con.sql("select distinct pattern_id from te where pattern_type = 'cycle'").fetchall():
        rows = edges(con, pid)
        g = nx.DiGraph([(a, b) for a, b, _, _ in rows])
        cycles = list(nx.simple_cycles(g))
        assert len(cycles) == 1 and len(cycles[0]) == len(rows) == g.number_of_nodes()
        lengths.append(len(rows))
        for (a, b, x, _), (c, d, y, _) in zip(rows, rows[1:]):
            assert b == c, "each hop starts where the previous one ended"
            assert 0.85 * x - 0.01 <= y <= x + 0.01
    assert all(2 <= n <= 10 for n in lengths)


def test_fan_sizes_windows_and_amount_bands(world):
    _, con = world
    for typology, role in [("fan_in", "source"), ("fan_out", "destination"), ("scatter_gather", "intermediary")]:
        sizes = [n for (n,) in con.sql(f"select count(*) from te where pattern_type = '{typology}' and role = '{role}' group by pattern_id").fetchall()]
        assert sizes and all(3 <= n <= 20 for n in sizes), (typology, sizes)
    spans = con.sql("""select max(txn_ts) - min(txn_ts) from tp join t using (txn_id) group by pattern_id""").fetchall()
    assert all(s.total_seconds() <= 31 * 86400 for (s,) in spans)
    # Structuring's repeated payments sit from 70% of the 10,000 threshold up to it.
    sub = con.sql("""select min(txn_amount), max(txn_amount) from tp join t using (txn_id) join te on te.pattern_id = tp.pattern_id
                     and te.entity_id = t.beneficiary_id where tp.pattern_type = 'structuring' and te.role in ('collector', 'mule', 'recipient')
                     and not (te.role = 'collector' and exists (select 1 from te x where x.pattern_id = tp.pattern_id and x.role = 'mule'))
                  """).fetchone()
    assert 7000 <= sub[0] and sub[1] < 10000
    lo, hi = con.sql("""select min(txn_amount), max(txn_amount) from tp join t using (txn_id)
                        where pattern_type in ('bipartite', 'cycle', 'scatter_gather')""").fetchone()
    assert lo >= 0.85 ** 9 * 1000 - 1 and hi <= 500000


def test_legitimate_look_alikes_are_there(world):
    _, con = world
    con.sql("create or replace temp view bg as select * from t where txn_id not in (select txn_id from tp)")
    # Payroll: one employer paying the same amount to the same employee every month, to many employees.
    payroll = con.sql("""select originator_id, count(*) employees from (
                           select originator_id, beneficiary_id from bg group by 1, 2, txn_amount having count(*) >= 3)
                         group by 1 order by 2 desc limit 1""").fetchone()
    assert payroll[1] >= 20
    # A merchant receiving small payments from many distinct customers.
    assert con.sql("select max(n) from (select beneficiary_id, count(distinct originator_id) n from bg where txn_amount < 500 group by 1)").fetchone()[0] >= 100
    # Friends paying each other back (legitimate 2-cycles).
    assert con.sql("""select count(*) from (select distinct a.originator_id, a.beneficiary_id from bg a join bg b
                      on a.originator_id = b.beneficiary_id and a.beneficiary_id = b.originator_id and b.txn_ts > a.txn_ts
                      where a.txn_amount < 2000)""").fetchone()[0] >= 50
    # Genuine payments from 70% of the threshold up to it, outside any planted instance.
    assert con.sql("select count(*) from bg where txn_amount >= 7000 and txn_amount < 10000").fetchone()[0] >= 20


def test_kyc_scores_are_mostly_low_and_mostly_present(world):
    _, con = world
    n, present, median, lo, hi = con.sql("select count(*), count(risk_score), median(risk_score), min(risk_score), max(risk_score) from e").fetchone()
    assert 0.85 <= present / n < 1
    assert median < 30 and lo >= 0 and hi <= 100


def test_string_ids_write_the_same_world_with_text_ids(world, tmp_path, amlgraph):
    out, _ = world
    amlgraph("generate", "--world", "bank", "--entities", ACCOUNTS, "--transactions", PAYMENTS, "--days", DAYS,
             "--instances", INSTANCES, "--seed", 7, "--string-ids", "--out", tmp_path, "--quiet")
    for name, columns in [("transactions.csv", ["originator_id", "beneficiary_id"]), ("entities.csv", ["entity_id"]),
                          ("truth_pattern_entities.csv", ["entity_id"])]:
        with open(out / name, newline="") as f:
            ints = list(csv.DictReader(f))
        with open(tmp_path / name, newline="") as f:
            texts = list(csv.DictReader(f))
        assert len(ints) == len(texts)
        for a, b in zip(ints, texts):
            for c in columns:
                assert b[c] == f"ACC-{int(a[c]):06d}"
                b[c] = a[c]
            assert a == b


def test_too_few_payments_is_a_user_error(tmp_path, amlgraph):
    proc = amlgraph("generate", "--world", "bank", "--entities", 1000, "--transactions", 100, "--out", tmp_path / "x", check=False)
    assert proc.returncode == 1 and proc.stderr.startswith("error: --transactions must be at least")
    proc = amlgraph("generate", "--world", "moon", "--entities", 1000, "--transactions", 100, "--out", tmp_path / "y", check=False)
    assert proc.returncode == 1 and "expected default or bank" in proc.stderr
