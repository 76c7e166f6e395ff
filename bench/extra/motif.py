"""Motif counts and the structuring detector (bench/motif/measure.py) against the same queries as
DuckDB SQL joins, on a power-law graph with a degree cap. Both sides have the graph in memory:
amlgraph's figure is plan + match (the detector's algo_s), DuckDB's the query on a loaded table.

DuckDB needed 226 s for the 5-edge accelerator motif at 1M/5M, so make bench interrupts that
query after a cap (60 s by default; `bench/extras.py --accel5-cap 0` runs it to the end) and
reports the cap as a lower bound."""
from extra.shape import Extra, Row, faster

QUICK = dict(vertices=2_000, edges=8_000, cap=200)
FULL = dict(vertices=1_000_000, edges=5_000_000, cap=2_500)


def _args(s, prepared):
    p = QUICK if s.quick else FULL
    out = [s.binary, s.data, "--vertices", p["vertices"], "--edges", p["edges"], "--cap", p["cap"]]
    if s.skip_accel5:
        return out + ["--skip-accel5"]
    return out + (["--accel5-cap", f"{s.accel5_cap:g}"] if s.accel5_cap else [])


def _size(s):
    p = QUICK if s.quick else FULL
    return f"{p['vertices']:,}/{p['edges']:,}, degree cap {p['cap']:,}"


def _counted(ours, theirs, what="count"):
    if theirs is None:
        return f"{what} {ours:,} (DuckDB's not known: interrupted)", None
    if ours == theirs:
        return f"{what}s equal: {ours:,}", True
    return f"**{what}s differ: amlgraph {ours:,}, DuckDB {theirs:,}**", False


def rows(raw):
    out = []
    two = raw["ours_2hop"] == raw["duckdb_2hop"] == raw["sum_indeg_outdeg"]
    out.append(Row("2-hop chain `--count`", raw["ours_2hop_search_s"], "DuckDB SQL self-join", raw["duckdb_2hop_s"],
                   ours_note=f"+{raw['ours_load_build_s']:.2f} s load and build",
                   theirs_note=f"+{raw['duckdb_load_s']:.2f} s CSV load",
                   agreement=(f"counts equal Σ indeg·outdeg: {raw['ours_2hop']:,}" if two else
                              f"**counts differ: amlgraph {raw['ours_2hop']:,}, DuckDB {raw['duckdb_2hop']:,}, "
                              f"Σ indeg·outdeg {raw['sum_indeg_outdeg']:,}**"), agrees=two))
    for key, op, peer in (("triangles", "directed triangle `--count`", "DuckDB SQL 3-way join"),
                          ("structuring_stage", "structuring motif stage (amount, distinct vertices, time order, 30 d)",
                           "DuckDB SQL join, same filters")):
        text, ok = _counted(raw[f"ours_{key}"], raw[f"duckdb_{key}"])
        out.append(Row(op, raw[f"ours_{key}_search_s"], peer, raw[f"duckdb_{key}_s"], agreement=text, agrees=ok))
    if raw.get("accel5_skipped"):
        out.append(Row("accelerator 5-edge structuring motif", None, "DuckDB SQL 5-way join", None,
                       agreement="not run (--skip-accel5)", speedup_note="skipped"))
    else:
        ours, theirs = raw["ours_accel5_filtered_search_s"], raw["duckdb_accel5_filtered_s"]
        text, ok = _counted(raw["ours_accel5_filtered"], raw["duckdb_accel5_filtered"])
        capped = raw.get("duckdb_accel5_capped")
        cap = raw.get("duckdb_accel5_cap_s")
        out.append(Row("accelerator 5-edge structuring motif", ours, "DuckDB SQL 5-way join", theirs,
                       theirs_note=f"interrupted after {cap:g} s (the cap)" if capped else "",
                       agreement=text, agrees=ok,
                       speedup_note=f"> {cap / ours:.0f}× (DuckDB capped)" if capped and ours else ""))
    text, ok = _counted(raw["ours_structuring_detector_rows"], raw["duckdb_structuring_detector_rows"], "flagged pair")
    out.append(Row("structuring detector end to end (`structuring`, algo_s)", raw["ours_structuring_detector_algo_s"],
                   "DuckDB SQL: chains, per-e6 aggregates, rules", raw["duckdb_structuring_detector_s"],
                   agreement=text, agrees=ok, target="≥10× DuckDB",
                   met=faster(raw["ours_structuring_detector_algo_s"], raw["duckdb_structuring_detector_s"], 10)))
    return out


def notes(raw):
    return [f"- motif graph: {raw['edges']:,} edges after the degree cap, max degree {raw['max_degree']:,}; "
            f"load average {raw['load_average_start']} at the start, {raw['load_average_end']} at the end"]


EXTRA = Extra(
    name="motif",
    title="Motif counts and the structuring detector vs DuckDB",
    script="motif/measure.py",
    args=_args,
    size=_size,
    rows=rows,
    notes=notes,
)
