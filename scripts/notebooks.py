#!/usr/bin/env python3
"""Executes the Markdown notebooks in notebooks-md/ and checks their outputs.

A notebook is ordinary Markdown. Each fenced ```sh block is run with bash from the repository
root, with the amlgraph binary first on PATH and $NB set to a scratch directory shared by the
notebook's blocks. Each fenced ```swift block is a complete script: it is compiled with swiftc
against the library modules of the same build as the binary (so it uses the public API
exactly as an investigation script would), then run from the repository root with $NB set.
The fenced ```output block that follows a block is its expected stdout, compared exactly
(trailing whitespace on lines ignored). A block without an output block must simply succeed.

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


def swift_command(build_dir, source, exe):
    """swiftc invocation linking a script against every library module of the build."""
    build_dir = Path(build_dir)
    # The Spark modules are left out: they need the gRPC/NIO/protobuf packages, which scripts
    # never import (notebooks reach Spark through the CLI's --engine spark).
    skipped = {"amlgraph", "SparkConnect", "SparkEngine"}
    libraries = [d.name for d in sorted((ROOT / "Sources").iterdir()) if d.is_dir() and d.name not in skipped]
    # Package dependencies the library modules import (YAML configs).
    libraries += [name for name in ("CYaml", "Yams") if (build_dir / f"{name}.build").is_dir()]
    objects, maps = [], []
    for name in libraries:
        objects += sorted(str(o) for o in (build_dir / f"{name}.build").rglob("*.o"))
        mm = build_dir / f"{name}.build" / "module.modulemap"
        if mm.exists():
            maps += ["-Xcc", f"-fmodule-map-file={mm}"]
        src_mm = ROOT / "Sources" / name / "module.modulemap"
        if src_mm.exists():
            maps += ["-Xcc", f"-fmodule-map-file={src_mm}"]
    # C modules of package dependencies (Yams' CYaml) are found through their module maps.
    for mm in sorted((ROOT / ".build" / "checkouts").glob("*/Sources/*/include/module.modulemap")):
        maps += ["-Xcc", f"-fmodule-map-file={mm}", "-Xcc", f"-I{mm.parent}"]
    system = ["-lzstd", "-lsnappy", "-lz", "-llz4", "-lbrotlidec", "-lbrotlienc", "-lopenblas", "-llapacke"]
    return ["swiftc", "-swift-version", "5", "-I", str(build_dir / "Modules"), *maps, str(source), *objects, *system, "-o", str(exe)]


def run_block(lang, lines, env, scratch, index, binary):
    """Runs one code block; returns the CompletedProcess."""
    if lang == "sh":
        return subprocess.run(["bash", "-c", "set -eu\n" + "\n".join(lines)], cwd=ROOT, env=env, capture_output=True, text=True)
    source = Path(scratch) / f"snippet{index}.swift"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    exe = Path(scratch) / f"snippet{index}"
    build = subprocess.run(swift_command(Path(binary).resolve().parent, source, exe), cwd=ROOT, capture_output=True, text=True)
    if build.returncode != 0:
        return build
    return subprocess.run([str(exe)], cwd=ROOT, env=env, capture_output=True, text=True)


def run_notebook(path, binary, update):
    segments = parse(path.read_text(encoding="utf-8"))
    failures = []
    env = dict(os.environ)
    env["PATH"] = str(Path(binary).resolve().parent) + os.pathsep + env["PATH"]
    with tempfile.TemporaryDirectory(prefix="amlgraph-nb-") as scratch:
        env["NB"] = scratch
        for k, seg in enumerate(segments):
            if seg[0] != "code" or seg[1] not in ("sh", "swift"):
                continue
            proc = run_block(seg[1], seg[2], env, scratch, k, binary)
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
