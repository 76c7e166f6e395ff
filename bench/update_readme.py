#!/usr/bin/env python3
"""Copies bench/results/latest.md into README.md between the bench markers.

    update_readme.py [README.md [latest.md]]

Only the block between `<!-- bench:start -->` and `<!-- bench:end -->` changes. A README
without the markers gets them, under a "Benchmarks" heading at its end.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def update(readme_path: Path, table_path: Path) -> None:
    readme = readme_path.read_text(encoding="utf-8") if readme_path.exists() else ""
    table = table_path.read_text(encoding="utf-8").strip()
    if readme.count(START) != 1 or readme.count(END) != 1 or readme.index(START) > readme.index(END):
        if START in readme or END in readme:
            sys.exit(f"error: {readme_path} has misplaced bench markers; fix them by hand")
        readme = readme.rstrip() + f"\n\n## Benchmarks\n\n{START}\n{END}\n"
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    tmp = readme_path.with_name(readme_path.name + ".tmp")
    tmp.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
    tmp.replace(readme_path)


if __name__ == "__main__":
    readme = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "README.md"
    table = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "bench" / "results" / "latest.md"
    update(readme, table)
    print(f"{readme.name}: bench table updated from {table}")
