#!/usr/bin/env python3
"""Copies bench/results/latest.md into README.md between the bench markers."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

readme = (ROOT / "README.md").read_text(encoding="utf-8")
table = (ROOT / "bench" / "results" / "latest.md").read_text(encoding="utf-8").strip()
if START not in readme or END not in readme:
    readme = readme.rstrip() + f"\n\n## Benchmarks\n\n{START}\n{END}\n"
head, rest = readme.split(START, 1)
_, tail = rest.split(END, 1)
(ROOT / "README.md").write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
print("README.md bench table updated")
