"""A daily increment (issue 14): a lake holding the first 99% of the generator's payments (by
timestamp) takes the last 1% as a new file: `amlgraph pipeline` on a folder holding only that
file. Bronze ingests it once, silver appends it (validated on its own, keys checked against
the kept silver), gold is recomputed from silver. The row beside it is the full run on the same
size (the `pipeline` workload); the target is 10% of that.

Inputs: the `pipeline` size's CSVs, split with DuckDB (rows kept as text, in file order) into
bench/data/<size>_increment/{base,day}/, and the base lake, built once by one pipeline run and
copied afresh before every measured run (the copy is outside the timings: total_s is the sum
of the run's stages). `amlgraph-saved-model` runs the same day against a base lake built with a
saved transaction-dedupe model (trained by that base run: `--transaction-dedupe-model`), so the
day extends the dedupe table instead of training and scoring over all payments.
The check: silver plus quarantine hold every payment of both files.
"""
import shutil
import subprocess

import deltalake  # noqa: F401  (import before pyarrow, see ANCHORS.md)
import duckdb

from harness import Context, Tool, Workload
from workloads.pipeline import pipeline_files

SHARE = 0.01


def increment_files(params):
    """{base: folder of entities.csv, dedupe.csv and transactions_1.csv (payments before the
    99th percentile of txn_ts), day: folder of transactions_2.csv (the rest), lake: the base
    lake after one run over base}."""
    data = pipeline_files(params)["data"]
    root = data.with_name(data.name + "_increment")
    base, day, lake = root / "base", root / "day", root / "lake"
    if not (root / "done").exists():
        shutil.rmtree(root, ignore_errors=True)
        base.mkdir(parents=True)
        day.mkdir()
        for name in ["entities.csv", "dedupe.csv"]:
            shutil.copy(data / name, base / name)
        con = duckdb.connect()
        src = f"read_csv('{data / 'transactions.csv'}', header = true, all_varchar = true)"
        cut = con.execute(f"SELECT quantile_disc(txn_ts, {1 - SHARE}) FROM {src}").fetchone()[0]
        con.execute(f"COPY (SELECT * FROM {src} WHERE txn_ts < '{cut}') TO '{base / 'transactions_1.csv'}' (HEADER, FORMAT csv)")
        con.execute(f"COPY (SELECT * FROM {src} WHERE txn_ts >= '{cut}') TO '{day / 'transactions_2.csv'}' (HEADER, FORMAT csv)")
        binary = params.get("bin", str(data.parent.parent.parent / ".build" / "release" / "amlgraph"))
        subprocess.run([binary, "pipeline", "--data", str(base), "--lake", str(lake), "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        (root / "done").write_text("")
    model, lake_model = root / "transaction_dedupe_model.json", root / "lake_model"
    if not (root / "done_model").exists():
        shutil.rmtree(lake_model, ignore_errors=True)
        model.unlink(missing_ok=True)
        binary = params.get("bin", str(data.parent.parent.parent / ".build" / "release" / "amlgraph"))
        subprocess.run([binary, "pipeline", "--data", str(base), "--lake", str(lake_model), "--transaction-dedupe-model", str(model),
                        "--quiet"], check=True, stdout=subprocess.DEVNULL)
        (root / "done_model").write_text("")
    return dict(base=base, day=day, lake=lake, lake_model=lake_model, model=model)


def amlgraph(ctx: Context):
    lake = ctx.tmp / "lake"
    command = (f'rm -rf "{lake}" && cp -r "{ctx.files["lake"]}" "{lake}" && exec "{ctx.binary}" pipeline '
               f'--data "{ctx.files["day"]}" --lake "{lake}" --timings-json "{ctx.tmp / "amlgraph.timings.json"}" --quiet')
    return ["sh", "-c", command]


def amlgraph_saved_model(ctx: Context):
    lake = ctx.tmp / "lake"
    command = (f'rm -rf "{lake}" && cp -r "{ctx.files["lake_model"]}" "{lake}" && exec "{ctx.binary}" pipeline '
               f'--data "{ctx.files["day"]}" --lake "{lake}" --transaction-dedupe-model "{ctx.files["model"]}" '
               f'--timings-json "{ctx.tmp / "amlgraph-saved-model.timings.json"}" --quiet')
    return ["sh", "-c", command]


def check(ctx: Context, samples: dict) -> list:
    lake = ctx.tmp / "lake"
    if "amlgraph" not in samples or not lake.exists():
        return []

    def rows(name):
        return deltalake.DeltaTable(str(lake / "silver" / name)).to_pyarrow_dataset().count_rows()
    got = rows("transactions") + rows("transactions_quarantine")
    ctx.agreement = f"silver plus quarantine hold all {got:,} payments after the increment"
    if got != ctx.params["transactions"]:
        return [f"silver plus quarantine hold {got:,} payments, generated {ctx.params['transactions']:,}"]
    return []


WORKLOAD = Workload(
    name="increment",
    title="Daily increment: 1% new payments (the last by time) into a lake holding the other 99%",
    sizes={
        "1% of 1M": dict(entities=100_000, transactions=1_000_000),
        "1% of 10M": dict(entities=1_000_000, transactions=10_000_000),
    },
    default_sizes=["1% of 10M"],
    prepare=increment_files,
    tools=[Tool("amlgraph", amlgraph, timings_file=True, total_of=("bronze_s", "silver_s", "gold_s")),
           Tool("amlgraph-saved-model", amlgraph_saved_model, timings_file=True, total_of=("bronze_s", "silver_s", "gold_s"))],
    reference=None,
    check=check,
)
