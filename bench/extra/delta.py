"""Delta write and read (bench/delta_bench.py): amlgraph `delta write` / `delta read` against
delta-rs `write_deltalake` and pyarrow's single-threaded reader, zstd transactions table."""
from extra.shape import Extra, Row, faster


def rows(raw):
    n = raw["rows"]
    ok = raw.get("rows_agree")
    check = (f"pyarrow, delta-rs and amlgraph each count {n:,} rows in both tables" if ok
             else "**row counts differ: " + "; ".join(raw.get("row_count_mismatches", [])) + "**")
    out = [Row("Delta write (`delta write`, write_s)", raw["amlgraph_write_s"], "delta-rs `write_deltalake`",
               raw["deltars_write_s"],
               ours_note=f"{raw['amlgraph_bytes'] / 1e6:.1f} MB; process {raw['amlgraph_write_total_s']:.2f} s with input read",
               theirs_note=f"{raw['deltars_bytes'] / 1e6:.1f} MB", agreement=check, agrees=ok,
               target="faster than delta-rs", met=faster(raw["amlgraph_write_s"], raw["deltars_write_s"]))]
    for table, label in (("amlgraph_table", "amlgraph's"), ("deltars_table", "delta-rs's")):
        ours, theirs = raw[f"amlgraph_read_{table}_s"], raw[f"pyarrow_1thread_read_{table}_s"]
        out.append(Row(f"Delta read of {label} table (`delta read --count-only`, read_s)", ours,
                       "pyarrow `read_table` of each data file, 1 thread", theirs,
                       ours_note=f"process {raw[f'amlgraph_read_{table}_total_s']:.2f} s",
                       theirs_note=f"delta-rs dataset read {raw[f'deltars_read_{table}_s']:.2f} s",
                       agreement=check, agrees=ok, target="read ≥ pyarrow single-thread speed", met=faster(ours, theirs)))
    return out


EXTRA = Extra(
    name="delta",
    title="Delta Lake write/read, 7 columns, zstd",
    script="delta_bench.py",
    args=lambda s, prepared: [s.binary, 20_000 if s.quick else 10_000_000, "--data", s.data],
    size=lambda s: "20k rows" if s.quick else "10M rows",
    rows=rows,
)
