"""Parquet read and write (bench/parquet_bench.py): amlgraph `convert` against pyarrow's
single-threaded reader and delta-rs's writer, zstd, on a 7-column transactions table."""
from extra.shape import Extra, Row, faster


def rows(raw):
    same = raw.get("tables_equal")
    check = ("pyarrow reads amlgraph's file back equal to the source table" if same
             else "**pyarrow reads amlgraph's file back DIFFERENT from the source table**")
    ratio = raw["amlgraph_bytes"] / raw["deltars_bytes"]
    return [
        Row("Parquet read (`convert`, read_s)", raw["amlgraph_read_s"], "pyarrow `read_table`, 1 thread",
            raw["pyarrow_read_1thread_s"], ours_note=f"{raw['amlgraph_read_cpu_s']:.2f} s CPU",
            theirs_note=f"{raw['pyarrow_read_cpu_s']:.2f} s CPU", agreement=check, agrees=same,
            target="read ≥ pyarrow single-thread speed", met=faster(raw["amlgraph_read_s"], raw["pyarrow_read_1thread_s"])),
        Row("Parquet write (`convert`, write_s)", raw["amlgraph_write_s"], "delta-rs `write_deltalake`",
            raw["deltars_write_s"], ours_note=f"{raw['amlgraph_write_cpu_s']:.2f} s CPU, {raw['amlgraph_bytes'] / 1e6:.1f} MB",
            theirs_note=f"{raw['deltars_write_cpu_s']:.2f} s CPU, {raw['deltars_bytes'] / 1e6:.1f} MB",
            agreement=f"{check}; file {ratio:.3f}× delta-rs's size", agrees=same),
    ]


EXTRA = Extra(
    name="parquet",
    title="Parquet read/write, 7 columns, zstd",
    script="parquet_bench.py",
    args=lambda s, prepared: [s.binary, 20_000 if s.quick else 10_000_000, "--data", s.data],
    size=lambda s: "20k rows" if s.quick else "10M rows",
    rows=rows,
)
