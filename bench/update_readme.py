#!/usr/bin/env python3
"""Copies the bench tables into README.md between their markers.

    update_readme.py [README.md [latest.md [extras_latest.md]]]

`<!-- bench:start -->` ... `<!-- bench:end -->` gets bench/results/latest.md (bench/run.py) and
`<!-- bench-extras:start -->` ... `<!-- bench-extras:end -->` gets bench/results/extras_latest.md
(bench/extras.py). Only those blocks change; a table file that does not exist leaves its block
as it is. A README without a block's markers gets them, under a heading at its end. With
BENCH_QUICK set (a smoke run of make bench), the README is left as it is.
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
EXTRAS_START, EXTRAS_END = "<!-- bench-extras:start -->", "<!-- bench-extras:end -->"


def update(readme_path: Path, table_path: Path, start: str = START, end: str = END, heading: str = "## Benchmarks") -> None:
    """Replaces the block between `start` and `end` in readme_path with the table's text."""
    readme = readme_path.read_text(encoding="utf-8") if readme_path.exists() else ""
    table = table_path.read_text(encoding="utf-8").strip()
    if readme.count(start) != 1 or readme.count(end) != 1 or readme.index(start) > readme.index(end):
        if start in readme or end in readme:
            sys.exit(f"error: {readme_path} has misplaced {start} / {end} markers; fix them by hand")
        readme = readme.rstrip() + f"\n\n{heading}\n\n{start}\n{end}\n"
    head, rest = readme.split(start, 1)
    _, tail = rest.split(end, 1)
    tmp = readme_path.with_name(readme_path.name + ".tmp")
    tmp.write_text(f"{head}{start}\n{table}\n{end}{tail}", encoding="utf-8")
    tmp.replace(readme_path)


def update_all(readme: Path, table: Path, extras: Path) -> list:
    """Both blocks, each from its table when that exists; returns the tables copied."""
    done = []
    for path, start, end, heading in ((table, START, END, "## Benchmarks"),
                                      (extras, EXTRAS_START, EXTRAS_END, "### Storage, motif and matrix benches")):
        if path.exists():
            update(readme, path, start, end, heading)
            done.append(path)
    return done


if __name__ == "__main__":
    if os.environ.get("BENCH_QUICK", "") not in ("", "0"):
        print("BENCH_QUICK: a quick run's figures are not quoted; README.md left as it is")
        sys.exit(0)
    results = ROOT / "bench" / "results"
    readme = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "README.md"
    table = Path(sys.argv[2]) if len(sys.argv) > 2 else results / "latest.md"
    extras = Path(sys.argv[3]) if len(sys.argv) > 3 else results / "extras_latest.md"
    done = update_all(readme, table, extras)
    print(f"{readme.name}: updated from {', '.join(map(str, done)) or 'nothing (no tables yet)'}")
