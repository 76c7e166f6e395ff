"""Ingest (issue 14's first target): the generator's transactions CSV into silver, amlgraph's
`pipeline --until silver` (bronze Delta, then silver Delta with expectations, quarantine,
de-duplication and the matching keys entity resolution uses) against DuckDB's
`COPY (SELECT ... FROM read_csv(...)) TO '....parquet'` with the declared types and silver's row
expectations as a WHERE clause (bench/peers/duckdb_ingest.py), on the same file in the same run.

amlgraph does more than the peer (two Delta tables, lineage columns, a quarantine, the key
check, three normalised text columns): the row is the whole of what a user waits for.
The check: silver plus quarantine hold every row of the file, and silver has as many rows as
DuckDB kept.
"""
import os
import shutil
from pathlib import Path

import deltalake  # noqa: F401  (import before pyarrow, see ANCHORS.md)

from harness import PY, PEERS, Context, Target, Tool, Workload
from workloads.pipeline import pipeline_files


def ingest_files(params):
    """{data: a folder holding only the pipeline size's transactions.csv (a hard link),
    transactions: that file}."""
    source = pipeline_files(params)["data"] / "transactions.csv"
    folder = source.parent.with_name(source.parent.name + "_ingest")
    target = folder / "transactions.csv"
    if not target.exists():
        folder.mkdir(exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy(source, target)
    return dict(data=folder, transactions=target)


def amlgraph(ctx: Context):
    lake = ctx.tmp / "lake"
    shutil.rmtree(lake, ignore_errors=True)
    return [ctx.binary, "pipeline", "--data", ctx.files["data"], "--lake", lake, "--until", "silver",
            "--timings-json", ctx.tmp / "amlgraph.timings.json", "--quiet"]


def duckdb_copy(ctx: Context):
    return [PY, PEERS / "duckdb_ingest.py", ctx.files["transactions"], ctx.tmp / "duckdb.parquet"]


def check(ctx: Context, samples: dict) -> list:
    lake = ctx.tmp / "lake"
    if "amlgraph" not in samples or not lake.exists():
        return []

    def rows(name):
        return deltalake.DeltaTable(str(lake / "silver" / name)).to_pyarrow_dataset().count_rows()
    silver, quarantine = rows("transactions"), rows("transactions_quarantine")
    problems = []
    if silver + quarantine != ctx.params["transactions"]:
        problems.append(f"silver {silver:,} + quarantine {quarantine:,} rows, the file has {ctx.params['transactions']:,}")
    kept = samples.get("duckdb", {}).get("rows")
    if kept is not None and kept != silver:
        problems.append(f"silver has {silver:,} rows, DuckDB kept {kept:,}")
    ctx.agreement = f"silver {silver:,} rows (+ {quarantine:,} quarantined) = the rows DuckDB's WHERE kept"
    return problems


WORKLOAD = Workload(
    name="ingest",
    title="Ingest: transactions CSV -> bronze -> silver Delta (pipeline --until silver) vs DuckDB COPY to Parquet",
    sizes={
        "1M": dict(entities=100_000, transactions=1_000_000),
        "10M": dict(entities=1_000_000, transactions=10_000_000),
    },
    default_sizes=["10M"],
    prepare=ingest_files,
    tools=[Tool("amlgraph", amlgraph, timings_file=True, total_of=("bronze_s", "silver_s", "write_s")),
           Tool("duckdb", duckdb_copy)],
    reference="duckdb",
    targets={"10M": [Target("faster than DuckDB's COPY", "total_s", peer="duckdb")]},
    check=check,
)
