#!/usr/bin/env python3
"""make bench, second part: the standalone benches (Parquet, Delta, motif, matrix), each script
measuring amlgraph beside its peers in one run.

Each script in bench/extra/ (see extra/shape.py for why these are not harness workloads) runs
once as a fresh process and prints one JSON object; its rows (what was compared, the agreement
check, the target) are stored with that JSON in bench/results/extras_<UTC timestamp>.json and
extras_latest.json, and rendered to extras_latest.md, which bench/update_readme.py copies into
the README between the bench-extras markers. With --only, the extras not run keep their entries
from the previous extras_latest.json, marked with the time they were measured.

    bench/extras.py [--quick] [--only parquet,motif] [--bin PATH] [--out DIR] [--data DIR]
                    [--accel5-cap SECONDS | --skip-accel5] [--swift-log FILE | --no-swift] [--list]

--quick (or BENCH_QUICK=1 in the environment) runs tiny sizes, skips the Swift matrix tests and
writes to bench/results/quick/ unless --out is given: a smoke test whose figures are not quoted.
A script that fails, or a failed agreement check, fails the run after the results are written.
"""
import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from extra import EXTRAS  # noqa: E402
from extra.shape import Settings  # noqa: E402
from extras_report import markdown  # noqa: E402

DEFAULT_ACCEL5_CAP = 60.0


def quick_from_env():
    """BENCH_QUICK set to anything but empty or 0."""
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


def _shown(path):
    p = Path(os.path.abspath(path))
    return str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(path)


def last_json(stdout):
    """The JSON object a script printed last (its output may be preceded by other lines)."""
    start = stdout.rfind("\n{")
    start = 0 if start < 0 else start + 1
    return json.JSONDecoder().raw_decode(stdout[start:].lstrip())[0]


def run_extra(extra, settings):
    """Runs one extra's script; returns its results entry (with `error` set when it failed)."""
    entry = dict(name=extra.name, title=extra.title, script=f"bench/{extra.script}", size=extra.size(settings),
                 rows=[], disagreements=[], notes=[], error=None)
    started = time.perf_counter()
    try:
        prepared = extra.prepare(settings)
        entry["prepared"] = prepared
        argv = [sys.executable, HERE / extra.script, *extra.args(settings, prepared)]
        entry["command"] = " ".join(_shown(a) if isinstance(a, Path) or (isinstance(a, str) and "/" in a) else str(a)
                                    for a in argv[1:])
        entry["command"] = f".venv/bin/python {entry['command']}"
        proc = subprocess.run([str(a) for a in argv], stdout=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{extra.script} exited with {proc.returncode}")
        raw = last_json(proc.stdout)
        entry["raw"] = raw
        rows = extra.rows(raw)
        entry["rows"] = [asdict(r) for r in rows]
        entry["disagreements"] = [f"{r.operation}: {r.agreement}" for r in rows if r.agrees is False]
        entry["notes"] = extra.notes(raw)
    except Exception as exc:   # a failed script is reported in the table, and fails the run at the end
        entry["error"] = f"{type(exc).__name__}: {exc}"
    entry["elapsed_s"] = time.perf_counter() - started
    return entry


def carry_over(entries, previous):
    """`entries` (this run's) plus the entries of `previous` for extras not run now, each with
    `measured` set to the start of the run that did, in EXTRAS order."""
    ran = {e["name"] for e in entries}
    kept = [dict(e, measured=e.get("measured", previous["started"]))
            for e in (previous or {}).get("extras", []) if e["name"] not in ran]
    order = [x.name for x in EXTRAS]
    return sorted(entries + kept, key=lambda e: order.index(e["name"]) if e["name"] in order else len(order))


def write_results(results, out):
    """extras_<timestamp>.json, extras_latest.json and extras_latest.md in `out` (each replaced atomically)."""
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, default=str) + "\n"
    md = markdown(results)
    stamp = dt.datetime.fromisoformat(results["started"]).strftime("%Y%m%dT%H%M%SZ")
    (out / f"extras_{stamp}.json").write_text(text)
    for name, content in (("extras_latest.json", text), ("extras_latest.md", md)):
        tmp = out / f"{name}.tmp"
        tmp.write_text(content)
        tmp.replace(out / name)
    return md


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="tiny sizes (also BENCH_QUICK=1): a smoke test")
    ap.add_argument("--only", default="", help="comma-separated extra names (default: all)")
    ap.add_argument("--bin", default=str(ROOT / ".build" / "release" / "amlgraph"), help="amlgraph binary")
    ap.add_argument("--out", help="results directory (default bench/results, or bench/results/quick when quick)")
    ap.add_argument("--data", help="data directory, one folder per extra (default bench/data/extras, or .../quick)")
    ap.add_argument("--accel5-cap", type=float, default=DEFAULT_ACCEL5_CAP,
                    help="motif: interrupt DuckDB's 5-edge accelerator query after this many seconds; 0 = no cap "
                         f"(default {DEFAULT_ACCEL5_CAP:g}; it took 226 s at 1M/5M)")
    ap.add_argument("--skip-accel5", action="store_true", help="motif: run the 5-edge accelerator motif on neither side")
    ap.add_argument("--swift-log", type=Path, help="matrix: read this MatrixBenchTests log instead of running the tests")
    ap.add_argument("--no-swift", action="store_true", help="matrix: do not run MatrixBenchTests (numpy/scipy side only)")
    ap.add_argument("--list", action="store_true", help="list the extras, then exit")
    args = ap.parse_args(argv)

    if args.list:
        for x in EXTRAS:
            print(f"{x.name}: {x.title} (bench/{x.script})")
        return 0
    only = set(filter(None, args.only.split(",")))
    unknown = only - {x.name for x in EXTRAS}
    if unknown:
        ap.error(f"unknown extra(s) {', '.join(sorted(unknown))}; known: {', '.join(x.name for x in EXTRAS)}")
    if not Path(args.bin).exists():
        ap.error(f"{args.bin} not found: build it with `swift build -c release --product amlgraph` (make bench does)")
    quick = args.quick or quick_from_env()
    out = Path(args.out) if args.out else HERE / "results" / ("quick" if quick else "")
    data = Path(args.data) if args.data else HERE / "data" / "extras" / ("quick" if quick else "full")

    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    results = dict(started=started.isoformat(), quick=quick, binary=args.bin,
                   machine=dict(cpus=os.cpu_count(), platform=platform.platform(), python=platform.python_version(),
                                loadavg_at_start=os.getloadavg()[0]), extras=[])
    for x in EXTRAS:
        if only and x.name not in only:
            continue
        settings = Settings(binary=args.bin, quick=quick, data=data / x.name, accel5_cap=args.accel5_cap or None,
                            skip_accel5=args.skip_accel5, swift_log=args.swift_log, run_swift=not args.no_swift)
        print(f"extras: {x.name} ({x.size(settings)})", flush=True)
        entry = run_extra(x, settings)
        results["extras"].append(entry)
        for d in entry["disagreements"]:
            print(f"DISAGREEMENT {x.name}: {d}", file=sys.stderr, flush=True)
        if entry["error"]:
            print(f"FAILED {x.name}: {entry['error']}", file=sys.stderr, flush=True)
    results["elapsed_s"] = (dt.datetime.now(dt.timezone.utc) - started).total_seconds()
    results["machine"]["loadavg_at_end"] = os.getloadavg()[0]
    if only and (out / "extras_latest.json").exists():
        results["extras"] = carry_over(results["extras"], json.loads((out / "extras_latest.json").read_text()))
    print(write_results(results, out))
    failed = [e["name"] for e in results["extras"] if "measured" not in e and (e["error"] or e["disagreements"])]
    if failed:
        print(f"extras: {', '.join(failed)} failed or disagreed (see above); results written but the run fails", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
