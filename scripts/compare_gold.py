"""Compare every gold table of two lakes row by row (same rows, same order, same values).

Usage: .venv/bin/python scripts/compare_gold.py LAKE_BEFORE LAKE_AFTER

For checking that a change to how gold is computed (memory layout, shared inputs, speed)
leaves the gold tables unchanged: run the pipeline on the same input with the old and the new
build into two lakes, then compare. Floats must be equal exactly (NaN equals NaN). The `runs`
bookkeeping table and the silver/bronze layers are not compared. Exit 0 when every gold table
matches, 1 otherwise.
"""
import sys
from pathlib import Path

import deltalake  # noqa: F401  (import before pyarrow)
import pyarrow as pa


def read(path: Path) -> pa.Table:
    return deltalake.DeltaTable(str(path)).to_pyarrow_table()


def main(before: str, after: str) -> int:
    a_root, b_root = Path(before) / "gold", Path(after) / "gold"
    names = sorted(p.name for p in a_root.iterdir() if (p / "_delta_log").is_dir())
    other = sorted(p.name for p in b_root.iterdir() if (p / "_delta_log").is_dir())
    failed = False
    if names != other:
        print(f"different gold tables: {names} vs {other}")
        failed = True
    for name in names:
        if name not in other:
            continue
        a, b = read(a_root / name), read(b_root / name)
        if a.schema != b.schema:
            print(f"{name}: schemas differ\n{a.schema}\n--\n{b.schema}")
            failed = True
            continue
        if a.num_rows != b.num_rows:
            print(f"{name}: {a.num_rows:,} rows vs {b.num_rows:,}")
            failed = True
            continue
        bad = []
        for col in a.column_names:
            x, y = a.column(col).to_pylist(), b.column(col).to_pylist()
            for i, (u, v) in enumerate(zip(x, y)):
                if u != v and not (isinstance(u, float) and isinstance(v, float) and u != u and v != v):
                    bad.append((col, i, u, v))
                    break
        if bad:
            failed = True
            for col, i, u, v in bad:
                print(f"{name}: column {col} first differs at row {i}: {u!r} vs {v!r}")
        else:
            print(f"{name}: {a.num_rows:,} rows identical")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
