"""Typology detection against DuckDB (issue 13 part 5): `amlgraph typologies` on the bank
world's transactions.csv, and the same definitions written as DuckDB SQL over the same CSV
(bench/peers/duckdb_typologies.py), in one run.

amlgraph runs every detector (cycle, stack, scatter-gather, gather-scatter, bipartite,
structuring, fan-in, fan-out, rapid pass-through); the SQL expresses what SQL can express
exactly: cycles exactly (recursive CTE), and for fan-in, fan-out, structuring and rapid
pass-through the candidate windows the definition starts from (no burst significance scan,
no greedy matching). Scatter-gather, gather-scatter, bipartite and stack (greedy bicliques,
payees taken in time order) are not in the SQL. The times are therefore not the same work:
amlgraph's `algo_s` covers all nine detectors, DuckDB's its six queries; the
`amlgraph-subset` row runs only the five detectors the SQL has queries for
(`--only cycle,structuring,fan_in,fan_out,rapid_pass_through`; structuring includes the
mule chains).

Timings: amlgraph's load_s (reading the CSV), build_s (`prepare_s`: the payment view, time-sorted
per-account lists, counterparty novelty) and algo_s (the detectors and their tables:
detect_s - prepare_s); DuckDB's load_s (read_csv into a table), build_s (the payment view with
novelty) and algo_s (its queries). Per-detector / per-query seconds are kept in the samples.

The check: the same cycles (as ordered txn-id lists) in both; every fan-in / fan-out hub,
structuring (deposits / withdrawals) hub and pass-through account amlgraph reports is among
the SQL's candidates for that definition.
"""
import csv
import json

from harness import PEERS, PY, Context, Tool, Workload
from workloads.bank import BANK_SIZES, SMALL_BANK, bank_files


def amlgraph(ctx: Context):
    return [ctx.binary, "typologies", "--transactions", ctx.files["transactions"], "--out", ctx.tmp / "amlgraph_out",
            "--timings-json", ctx.tmp / "amlgraph.timings.json", "--quiet"]


def amlgraph_subset(ctx: Context):
    """The five detectors the SQL has a query for, alone (a closer like-for-like time; with fewer
    detectors the specificity order drops less, so its output is not the one checked)."""
    return [ctx.binary, "typologies", "--transactions", ctx.files["transactions"], "--only", SQL_DETECTORS,
            "--out", ctx.tmp / "amlgraph_subset_out", "--timings-json", ctx.tmp / "amlgraph-subset.timings.json", "--quiet"]


def duckdb(ctx: Context):
    return [PY, PEERS / "duckdb_typologies.py", ctx.files["transactions"], ctx.tmp / "duckdb_out"]


SQL_DETECTORS = "cycle,structuring,fan_in,fan_out,rapid_pass_through"

# amlgraph typology -> (role of the account the definition is about, SQL result, optional variant)
SUPERSETS = [("fan_in", "hub", "fan_in", None), ("fan_out", "hub", "fan_out", None),
             ("structuring", "hub", "structuring_deposits", "deposits"),
             ("structuring", "hub", "structuring_withdrawals", "withdrawals"),
             ("rapid_pass_through", "pass_through", "rapid_pass_through", None)]


def check(ctx: Context, samples: dict) -> list:
    ours, theirs = ctx.tmp / "amlgraph_out", ctx.tmp / "duckdb_out"
    for name in ("amlgraph", "amlgraph-subset"):
        if name in samples:   # the report's columns: build = payment view, algo = detectors and tables
            x = samples[name]
            x["build_s"] = x.get("prepare_s", 0.0)
            x["algo_s"] = x.get("detect_s", 0.0) - x["build_s"]
    a = samples.get("amlgraph")
    if a is None or "duckdb" not in samples or not (ours / "typologies.csv").exists():
        return []
    with open(ours / "typologies.csv", newline="") as f:
        instances = list(csv.DictReader(f))
    with open(ours / "typology_accounts.csv", newline="") as f:
        members = list(csv.DictReader(f))
    variant = {r["instance_id"]: r["variant"] for r in instances}
    problems, said = [], []

    cycles = {tuple(int(x) for x in r["txn_ids"].split("|")) for r in instances if r["typology"] == "cycle"}
    sql_cycles = {tuple(c) for c in json.loads((theirs / "cycle.json").read_text())}
    a["cycle"] = len(cycles)
    if cycles != sql_cycles:
        problems.append(f"cycle: amlgraph {len(cycles):,}, SQL {len(sql_cycles):,}; only amlgraph "
                        f"{sorted(cycles - sql_cycles)[:3]}, only SQL {sorted(sql_cycles - cycles)[:3]}")
    said.append(f"the same {len(cycles):,} cycles (txn ids in order)")

    for typology, role, query, var in SUPERSETS:
        found = {int(r["account_id"]) for r in members
                 if r["typology"] == typology and r["role"] == role and (var is None or variant[r["instance_id"]] == var)}
        candidates = set(json.loads((theirs / f"{query}.json").read_text()))
        a[query] = len(found)
        if found - candidates:
            problems.append(f"{query}: {len(found - candidates):,} of amlgraph's {len(found):,} accounts are not SQL "
                            f"candidates, e.g. {sorted(found - candidates)[:5]}")
        said.append(f"{query} {len(found):,} ⊆ {len(candidates):,}")
    ctx.agreement = ("; ".join(said[:1]) + "; amlgraph's accounts within the SQL candidate windows (no burst scan or "
                     "greedy matching in SQL): " + ", ".join(said[1:]) +
                     "; scatter_gather, gather_scatter, bipartite, stack not in SQL (greedy)")
    return problems


WORKLOAD = Workload(
    name="typologies",
    title="Typology detection on the bank world vs the same definitions in DuckDB SQL",
    sizes={**SMALL_BANK, **BANK_SIZES},
    default_sizes=list(BANK_SIZES),
    prepare=bank_files,
    tools=[
        Tool("amlgraph", amlgraph, timings_file=True, total_of=("load_s", "detect_s")),
        Tool("amlgraph-subset", amlgraph_subset, timings_file=True, total_of=("load_s", "detect_s")),
        Tool("duckdb", duckdb),
    ],
    reference="duckdb",
    check=check,
)
