#!/usr/bin/env python3
"""The ingest peer of the `ingest` workload: DuckDB reads the transactions CSV with the
declared types, keeps the rows that pass silver's row expectations (ids present, not a
self-payment, amount positive and finite, timestamp present) and writes Parquet, in one
`COPY (SELECT ... FROM read_csv(...)) TO '....parquet'` statement, on every core.

    duckdb_ingest.py transactions.csv OUT.parquet

Prints one JSON line: load_s 0, build_s 0, algo_s (the COPY), rows (written).
"""
import sys

import duckdb
from common import Stopwatch, report

COLUMNS = {"txn_id": "BIGINT", "originator_id": "BIGINT", "beneficiary_id": "BIGINT", "txn_amount": "DOUBLE",
           "txn_ts": "TIMESTAMPTZ", "rptd_originator_address": "VARCHAR", "rptd_originator_name": "VARCHAR"}


def main():
    source, out = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in COLUMNS.items()) + "}"
    sw = Stopwatch()
    con.execute(f"""
        COPY (SELECT * FROM read_csv('{source}', header = true, columns = {columns})
              WHERE txn_id IS NOT NULL AND originator_id IS NOT NULL AND beneficiary_id IS NOT NULL
                AND beneficiary_id <> originator_id AND txn_amount > 0 AND isfinite(txn_amount)
                AND txn_ts IS NOT NULL)
        TO '{out}' (FORMAT parquet)""")
    algo = sw.lap()
    rows = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
    report(load_s=0.0, build_s=0.0, algo_s=algo, rows=rows)


if __name__ == "__main__":
    main()
