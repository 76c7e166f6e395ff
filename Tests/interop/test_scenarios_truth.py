"""Structuring and round-trip detectors measured against the planted truth of datasets/small.

Reports precision and recall (pattern level and transaction level) and asserts the targets
(recall >= 0.95, precision >= 0.9). The motif stage of the structuring detector is also
cross-checked against the same query written as SQL joins in DuckDB.
"""
import csv
from collections import defaultdict

import duckdb
import pytest


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def truth(dataset):
    patterns = defaultdict(set)
    types = {}
    for r in rows(dataset / "truth_patterns.csv"):
        patterns[r["pattern_id"]].add(r["txn_id"])
        types[r["pattern_id"]] = r["pattern_type"]
    roles = defaultdict(lambda: defaultdict(set))
    for r in rows(dataset / "truth_pattern_entities.csv"):
        roles[r["pattern_id"]][r["role"]].add(r["entity_id"])
    return patterns, types, roles


def test_structuring_precision_recall(amlgraph, dataset, tmp_path, truth):
    patterns, types, roles = truth
    out = tmp_path / "structuring.csv"
    amlgraph("structuring", "--transactions", dataset / "transactions.csv", "--entities", dataset / "entities.csv",
             "--out", out, "--levels-out", tmp_path / "levels.csv", "--quiet")
    detected = rows(out)
    planted = {pid: (next(iter(r["collector"])), next(iter(r["beneficiary"])))
               for pid, r in roles.items() if types[pid] == "structuring"}
    planted_pairs = set(planted.values())
    hits = [d for d in detected if (d["collector_id"], d["beneficiary_id"]) in planted_pairs]
    recall = len({(d["collector_id"], d["beneficiary_id"]) for d in hits}) / len(planted_pairs)
    precision = len(hits) / max(1, len(detected))
    planted_txns = set().union(*(patterns[p] for p in planted))
    found_txns = set()
    for d in detected:
        found_txns |= set(d["txn_ids"].split("|"))
    txn_recall = len(found_txns & planted_txns) / len(planted_txns)
    txn_precision = len(found_txns & planted_txns) / max(1, len(found_txns))
    print(f"\nstructuring: {len(detected)} detected, {len(planted_pairs)} planted; "
          f"pattern precision {precision:.3f} recall {recall:.3f}; "
          f"transaction precision {txn_precision:.3f} recall {txn_recall:.3f}")
    assert recall >= 0.95 and precision >= 0.9
    # Every row carries the names along the path, one l0/l1 name per chain.
    for d in detected:
        assert len(d["l0"].split("|")) == int(d["chains"]) == len(d["l1"].split("|"))
        assert d["l2"] and d["l3"]
        assert float(d["total_amount"]) > 10000
    assert len(rows(tmp_path / "levels.csv")) == sum(int(d["chains"]) for d in detected)


def test_roundtrip_precision_recall(amlgraph, dataset, tmp_path, truth):
    patterns, types, roles = truth
    out = tmp_path / "roundtrips.csv"
    amlgraph("roundtrips", "--transactions", dataset / "transactions.csv", "--entities", dataset / "entities.csv",
             "--out", out, "--quiet")
    detected = rows(out)
    planted = {p for p, t in types.items() if t == "roundtrip"}
    matched, other_cycles = set(), 0
    true_pos = 0
    for d in detected:
        txns = set(d["txn_ids"].split("|"))
        owner = [p for p, s in patterns.items() if txns <= s]
        if any(types[p] == "roundtrip" for p in owner):
            true_pos += 1
            matched |= {p for p in owner if types[p] == "roundtrip"}
            p = next(p for p in owner if types[p] == "roundtrip")
            assert {d["origin_id"]} == roles[p]["origin"]
            assert set(d["intermediary_ids"].split("|")) == roles[p]["intermediary"]
        elif any(types[p] == "cycle" for p in owner):
            other_cycles += 1  # an AMLSim-style 4-cycle: a genuine round trip planted under another type
    recall = len(matched) / len(planted)
    precision = true_pos / max(1, len(detected))
    print(f"\nroundtrips: {len(detected)} detected, {len(planted)} planted; precision {precision:.3f} "
          f"(strict; {other_cycles} more are planted 4-hop 'cycle' patterns) recall {recall:.3f}")
    assert recall >= 0.95 and precision >= 0.9


STRUCTURING_SQL = """
WITH t AS (SELECT txn_id, originator_id s, beneficiary_id d, txn_amount amt, epoch_us(txn_ts) ts FROM T)
SELECT count(*) FROM t e1 JOIN t e2 ON e2.s = e1.d JOIN t e6 ON e6.s = e2.d
WHERE e1.amt < 10000 AND e2.amt < 10000 AND e1.ts < e2.ts AND e2.ts < e6.ts
  AND e6.ts - e1.ts <= 7 * 86400000000
  AND e1.s <> e1.d AND e1.s <> e2.d AND e1.s <> e6.d AND e1.d <> e2.d AND e1.d <> e6.d AND e2.d <> e6.d
"""


def test_structuring_motif_stage_matches_duckdb(amlgraph, dataset):
    """The chain motif with every filter inside the search counts what the SQL join counts."""
    ours = amlgraph("motif", "(a)-[e1]->(b); (b)-[e2]->(c); (c)-[e6]->(g)", "--edges", dataset / "transactions.csv",
                    "--src-col", "originator_id", "--dst-col", "beneficiary_id",
                    "--where", "e1.txn_amount < 10000 and e2.txn_amount < 10000",
                    "--distinct-vertices", "--time-order", "--within", "7d", "--count", "--quiet").stdout.strip()
    con = duckdb.connect()
    con.execute(f"CREATE TABLE T AS SELECT * FROM read_csv('{dataset / 'transactions.csv'}', header=true)")
    ref = con.execute(STRUCTURING_SQL).fetchone()[0]
    assert int(ours) == ref


def test_accelerator_rule_counts_match_duckdb(amlgraph, dataset, tmp_path):
    """The accelerator's motif + self-join, counted analytically, equals DuckDB's join count
    on a small prefix of the data (the full join is astronomically large)."""
    con = duckdb.connect()
    con.execute(f"CREATE TABLE T AS SELECT originator_id src, beneficiary_id dst, txn_amount, txn_id, txn_ts "
                f"FROM read_csv('{dataset / 'transactions.csv'}', header=true) WHERE txn_id <= 2500")
    edges = tmp_path / "t.csv"
    con.execute(f"COPY T TO '{edges}' (HEADER)")
    out = tmp_path / "acc.csv"
    amlgraph("structuring", "--transactions", edges, "--src-col", "src", "--dst-col", "dst",
             "--accelerator-compatible", "--out", out, "--quiet")
    ours = sum(float(r["selfjoin_pairs"]) for r in rows(out))
    ref = con.execute("""
        WITH m AS (
          SELECT e6.dst g, e6.txn_amount a6, count(*) n FROM T e1 JOIN T e2 ON e2.src = e1.dst
          JOIN T e5 ON e5.dst = e2.dst JOIN T e3 ON e3.dst = e5.src JOIN T e6 ON e6.src = e2.dst
          GROUP BY e6.txn_id, e6.dst, e6.txn_amount)
        SELECT coalesce(sum(x.n * y.n), 0) FROM m x JOIN m y ON x.g = y.g WHERE x.a6 + y.a6 > 10000
    """).fetchone()[0]
    assert ours == float(ref)
