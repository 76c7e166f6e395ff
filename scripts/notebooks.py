#!/usr/bin/env python3
"""Executes the Markdown notebooks in notebooks-md/ and checks their outputs.

A notebook is ordinary Markdown. Each fenced ```sh block is run with bash from the repository
root, with the amlgraph binary first on PATH and $NB set to a scratch directory shared by the
notebook's blocks. The fenced ```output block that follows a ```sh block is the expected
stdout, compared exactly (trailing whitespace on lines ignored). A ```sh block without an
output block must simply succeed.

    scripts/notebooks.py [--bin PATH] [--update] [NOTEBOOK ...]

--update rewrites the output blocks from a run (review the diff before committing: the
outputs document behaviour that other tests check independently).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w*)\s*$")


def parse(text):
    """Splits a notebook into segments: ('text', lines) and ('code', lang, lines)."""
    segments, lines, i = [], text.split("\n"), 0
    prose = []
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            lang = m.group(1)
            j = i + 1
            while j < len(lines) and lines[j].rstrip() != "```":
                j += 1
            if j == len(lines):
                raise SystemExit(f"unterminated code block starting at line {i + 1}")
            if prose:
                segments.append(["text", prose])
                prose = []
            segments.append(["code", lang, lines[i + 1:j], i + 1])
            i = j + 1
        else:
            prose.append(lines[i])
            i += 1
    if prose:
        segments.append(["text", prose])
    return segments


def render(segments):
    out = []
    for s in segments:
        if s[0] == "text":
            out.extend(s[1])
        else:
            out.append("```" + s[1])
            out.extend(s[2])
            out.append("```")
    return "\n".join(out)


def normalise(text):
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


def run_notebook(path, binary, update):
    segments = parse(path.read_text(encoding="utf-8"))
    failures = []
    env = dict(os.environ)
    env["PATH"] = str(Path(binary).resolve().parent) + os.pathsep + env["PATH"]
    with tempfile.TemporaryDirectory(prefix="amlgraph-nb-") as scratch:
        env["NB"] = scratch
        for k, seg in enumerate(segments):
            if seg[0] != "code" or seg[1] != "sh":
                continue
            script = "set -eu\n" + "\n".join(seg[2])
            proc = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
            where = f"{path.name}:{seg[3]}"
            if proc.returncode != 0:
                failures.append(f"{where}: exited {proc.returncode}\n{proc.stderr.strip()}")
                continue
            nxt = segments[k + 1] if k + 1 < len(segments) else None
            if nxt is not None and nxt[0] == "text" and all(not l.strip() for l in nxt[1]) and k + 2 < len(segments):
                nxt = segments[k + 2]
            if nxt is None or nxt[0] != "code" or nxt[1] != "output":
                continue
            got, want = normalise(proc.stdout), normalise("\n".join(nxt[2]))
            if got != want:
                if update:
                    nxt[2] = got.split("\n")
                else:
                    failures.append(f"{where}: output differs\n--- expected\n{want}\n--- got\n{got}")
    if update:
        path.write_text(render(segments), encoding="utf-8")
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.environ.get("AMLGRAPH_BIN", str(ROOT / ".build/debug/amlgraph")))
    ap.add_argument("--update", action="store_true")
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args()
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "notebooks-md").glob("*.md"))
    failed = False
    for p in paths:
        failures = run_notebook(p, args.bin, args.update)
        print(f"{p.name}: {'ok' if not failures else f'{len(failures)} failure(s)'}")
        for f in failures:
            print(f, file=sys.stderr)
        failed |= bool(failures)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
