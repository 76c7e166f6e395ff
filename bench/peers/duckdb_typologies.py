#!/usr/bin/env python3
"""The typology definitions of the README's "Detection" section written as DuckDB SQL, over
the same transactions CSV `amlgraph typologies` reads (bench workload `typologies`).

    duckdb_typologies.py transactions.csv OUTDIR

Prints one JSON line: load_s (CSV into a DuckDB table), build_s (the payment view: amount floor,
self-payments out, times in microseconds, counterparty novelty), algo_s (the queries), one
`<query>_s` per query, and each query's result count. Writes OUTDIR/<query>.json for the
workload's agreement check.

What is exact and what is a superset (SQL has no greedy or sequential state):

- `cycle` is exact: the README's definition (2..8 distinct accounts, payments in time order,
  ≤ 7 days per hop, ≤ 30 days overall, each ≥ 1,000 and 85–100 % of the previous hop,
  reported once from its earliest (time, txn id) payment, two-account loops returning
  ≥ 99.5 % are repayments) as a recursive CTE. amlgraph bounds its depth-first search per
  starting payment (1,024 payments looked at); the SQL has no such bound, so a cycle missed
  through the budget shows up as a disagreement.
- `fan_in`, `fan_out`, `structuring_deposits`, `structuring_withdrawals` are the candidate
  windows: accounts with some window (30 days; 7 days for structuring) holding ≥ 3 novel
  payments (distinct counterparties for fans) of ≥ 1,000 (in [7,000, 10,000) and together
  over 10,000 for structuring). The burst significance scan (a Poisson scan statistic over
  the account's own rate, windows chosen greedily), the 20-counterparty hub bound and the
  specificity order are not expressed, so every account amlgraph reports must be a
  candidate, not the reverse.
- `rapid_pass_through` is the candidate superset too: receipts ≥ 1,000 whose account pays
  others (not the payer, not itself) at least 85 % of the receipt within 24 h, on accounts
  with at least two such receipts (payments out of any amount count, as in amlgraph). amlgraph's greedy matching (payments out in time order,
  each used once, at most 100 %) is not expressed.
- scatter-gather, gather-scatter, bipartite and stack are left out: their definitions are
  greedy (bicliques grown greedily, payees taken in time order until they reach 85 %).
"""
import json
import sys
import time
from pathlib import Path

import duckdb

HOUR = 3_600_000_000          # microseconds
MIN_AMOUNT = 1_000.0
RECURRING_US = 600 * HOUR     # 25 days: a pair whose payments span this much is established

CYCLE = f"""
WITH RECURSIVE walk(start, e0, t0, a0, last_id, last_dst, last_t, last_a, accounts, ids) AS (
    SELECT src, id, t, amt, id, dst, t, amt, [src, dst], [id] FROM pay
  UNION ALL
    SELECT w.start, w.e0, w.t0, w.a0, x.id, x.dst, x.t, x.amt, list_append(w.accounts, x.dst), list_append(w.ids, x.id)
    FROM walk w JOIN allpay x ON x.src = w.last_dst
    WHERE w.last_dst <> w.start
      AND x.t >= w.last_t AND x.t - w.last_t <= {168 * HOUR} AND x.t - w.t0 <= {720 * HOUR}
      AND x.amt >= 0.85 * w.last_a AND x.amt <= 1.0 * w.last_a
      AND (x.t > w.t0 OR x.id > w.e0)
      AND (x.dst = w.start OR (NOT list_contains(w.accounts, x.dst) AND len(w.accounts) < 8))
)
SELECT ids FROM walk
WHERE last_dst = start AND len(ids) >= 2   -- a closed walk of n payments visits n accounts
  AND NOT (len(ids) = 2 AND last_a >= 0.995 * a0)
"""

# Windows are anchored at each candidate payment: [t, t + window] (inclusive, as amlgraph's
# `te - t > window` break).
FAN = """
WITH c AS (SELECT {hub} AS hub, {cp} AS cp, t FROM pay WHERE NOT recurring)
SELECT DISTINCT a.hub FROM c a JOIN c b ON b.hub = a.hub AND b.t >= a.t AND b.t - a.t <= {window}
GROUP BY a.hub, a.t, a.cp HAVING count(DISTINCT b.cp) >= 3
"""

STRUCTURING = """
WITH c AS (SELECT {hub} AS hub, id, t, amt FROM pay WHERE NOT recurring AND amt >= 7000 AND amt < 10000)
SELECT DISTINCT a.hub FROM c a JOIN c b ON b.hub = a.hub AND b.t >= a.t AND b.t - a.t <= {window}
GROUP BY a.hub, a.id HAVING count(*) >= 3 AND sum(b.amt) > 10000
"""

PASS_THROUGH = f"""
WITH r AS (
    SELECT i.id, i.dst AS hub
    FROM pay i JOIN allpay o ON o.src = i.dst AND o.t >= i.t AND o.t - i.t <= {24 * HOUR}
                          AND o.dst <> i.src AND o.id <> i.id
    GROUP BY i.id, i.dst, i.amt HAVING sum(o.amt) >= 0.85 * i.amt
)
SELECT DISTINCT hub FROM r
"""


def main():
    csv, out = sys.argv[1], Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    t = time.perf_counter()
    con.execute(f"CREATE TABLE txn AS SELECT txn_id, originator_id, beneficiary_id, txn_amount, txn_ts "
                f"FROM read_csv('{csv}', header = true)")
    load = time.perf_counter() - t
    t = time.perf_counter()
    # Novelty is a property of the pair over all its payments (amount floor applied after).
    con.execute(f"""
        CREATE TABLE allpay AS
        WITH x AS (SELECT txn_id AS id, originator_id AS src, beneficiary_id AS dst, txn_amount AS amt,
                          epoch_us(txn_ts) AS t FROM txn WHERE originator_id <> beneficiary_id),
             pairs AS (SELECT src, dst, max(t) - min(t) >= {RECURRING_US} AS recurring FROM x GROUP BY src, dst)
        SELECT x.*, pairs.recurring FROM x JOIN pairs USING (src, dst)""")
    con.execute(f"CREATE TABLE pay AS SELECT * FROM allpay WHERE amt >= {MIN_AMOUNT}")
    build = time.perf_counter() - t
    queries = {
        "cycle": CYCLE,
        "fan_in": FAN.format(hub="dst", cp="src", window=720 * HOUR),
        "fan_out": FAN.format(hub="src", cp="dst", window=720 * HOUR),
        "structuring_deposits": STRUCTURING.format(hub="dst", window=168 * HOUR),
        "structuring_withdrawals": STRUCTURING.format(hub="src", window=168 * HOUR),
        "rapid_pass_through": PASS_THROUGH,
    }
    sample = dict(load_s=load, build_s=build)
    algo = 0.0
    for name, sql in queries.items():
        t = time.perf_counter()
        rows = con.execute(sql).fetchall()
        sec = time.perf_counter() - t
        algo += sec
        sample[f"{name}_s"] = sec
        sample[name] = len(rows)
        (out / f"{name}.json").write_text(json.dumps([r[0] for r in rows]))
    sample["algo_s"] = algo
    print(json.dumps(sample))


if __name__ == "__main__":
    main()
