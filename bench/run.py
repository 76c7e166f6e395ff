#!/usr/bin/env python3
"""make bench: amlgraph and its peers side by side, in one run.

Each tool runs as a fresh process, --runs times per size; the per-field median is reported
with the process's peak RSS. The tools' answers are cross-checked (a fast wrong answer fails
the run). Results go to bench/results/<UTC timestamp>.json, latest.json and latest.md;
bench/update_readme.py copies latest.md into the README. With --only, the workloads not run
keep their entries from the previous latest.json, marked with the time they were measured, so
latest.md stays the whole table.

    bench/run.py [--runs 3] [--only cc,risk] [--sizes 1M/5M,1M/10M] [--bin PATH] [--quick] [--list]

--quick (or BENCH_QUICK=1 in the environment) runs each workload's smallest size once and writes
to bench/results/quick/ unless --out is given: a smoke test whose figures are not quoted.
bench/extras.py measures the standalone benches (Parquet, Delta, motif, matrix) the same way.

The workloads are listed in bench/workloads/__init__.py (one module each).
"""
import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from harness import Context, median_sample, run_tool  # noqa: E402
from report import markdown  # noqa: E402
from workloads import WORKLOADS  # noqa: E402


def _shown(path):
    p = Path(path).resolve()
    return str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p)


def run_workload(w, args, sizes_wanted):
    """Runs every tool of w on each wanted size; returns the workload's results entry."""
    entry = dict(name=w.name, title=w.title, reference=w.reference, sizes=[],
                 quoted=[vars(q) for q in w.quoted], capability_peers=[vars(cp) for cp in w.capability_peers])
    for size, params in w.sizes.items():
        if sizes_wanted is not None:
            if size not in sizes_wanted:
                continue
        elif w.default_sizes is not None and size not in w.default_sizes:
            continue
        files = w.prepare(params)
        samples = {}
        with tempfile.TemporaryDirectory(prefix=f"bench-{w.name}-") as tmp:
            ctx = Context(binary=args.bin, size=size, params=params, files=files, tmp=Path(tmp))
            for tool in w.tools:
                if not tool.only_if(ctx):
                    continue
                runs = [run_tool(tool, ctx) for _ in range(args.runs)]
                samples[tool.name] = median_sample(runs)
                samples[tool.name]["loadavg_after"] = os.getloadavg()[0]  # the machine may be shared: context for the figures
                x = samples[tool.name]
                parts = " ".join(f"{k.removesuffix('_s')} {x.get(k, 0):.3f}" for k in tool.total_of)
                print(f"{w.name} {size} {tool.name}: {parts} total {x['total_s']:.3f} wall {x['wall_s']:.2f} s, "
                      f"{x['rss_mb']:.0f} MB", flush=True)
            disagreements = w.check(ctx, samples)
        targets = [r for r in (t.evaluate(samples) for t in w.targets.get(size, [])) if r is not None]
        for d in disagreements:
            print(f"DISAGREEMENT {w.name} {size}: {d}", file=sys.stderr, flush=True)
        entry["sizes"].append(dict(size=size, params=params, files={k: _shown(v) for k, v in files.items()},
                                   samples=samples, targets=targets, disagreements=disagreements, agreement=ctx.agreement))
    return entry


def carry_over(workloads, previous):
    """`workloads` (this run's entries, in WORKLOADS order) plus the entries of `previous` (a
    results dict, or None) for workloads this run did not measure, each with `measured` set to
    the start of the run that did."""
    ran = {e["name"] for e in workloads}
    kept = {e["name"]: dict(e, measured=e.get("measured", previous["started"]))
            for e in (previous or {}).get("workloads", []) if e["name"] not in ran}
    order = [w.name for w in WORKLOADS]
    merged = workloads + list(kept.values())
    return sorted(merged, key=lambda e: order.index(e["name"]) if e["name"] in order else len(order))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, help="fresh-process runs per tool and size (median reported; default 3, quick 1)")
    ap.add_argument("--only", default="", help="comma-separated workload names (default: all)")
    ap.add_argument("--sizes", default="", help="comma-separated size labels, e.g. 1M/5M (default: each workload's)")
    ap.add_argument("--bin", default=str(ROOT / ".build" / "release" / "amlgraph"), help="amlgraph binary")
    ap.add_argument("--out", help="results directory (default bench/results, or bench/results/quick when quick)")
    ap.add_argument("--quick", action="store_true", help="each workload's smallest size, one run (also BENCH_QUICK=1)")
    ap.add_argument("--list", action="store_true", help="list the workloads and their sizes, then exit")
    args = ap.parse_args()

    if args.list:
        for w in WORKLOADS:
            default = w.default_sizes or list(w.sizes)
            print(f"{w.name}: {w.title}; sizes {', '.join(w.sizes)} (default {', '.join(default)}); "
                  f"tools {', '.join(t.name for t in w.tools)}")
        return
    quick = args.quick or os.environ.get("BENCH_QUICK", "") not in ("", "0")
    if args.runs is None:
        args.runs = 1 if quick else 3
    if args.out is None:
        args.out = str(HERE / "results" / ("quick" if quick else ""))
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    only = set(filter(None, args.only.split(",")))
    unknown = only - {w.name for w in WORKLOADS}
    if unknown:
        ap.error(f"unknown workload(s) {', '.join(sorted(unknown))}; known: {', '.join(w.name for w in WORKLOADS)}")
    sizes_wanted = set(filter(None, args.sizes.split(","))) or None
    if sizes_wanted:
        known = {s for w in WORKLOADS for s in w.sizes}
        if sizes_wanted - known:
            ap.error(f"unknown size(s) {', '.join(sorted(sizes_wanted - known))}; known: {', '.join(sorted(known))}")
    if not Path(args.bin).exists():
        ap.error(f"{args.bin} not found: build it with `swift build -c release --product amlgraph` (make bench does)")

    started = dt.datetime.now(dt.timezone.utc)
    results = dict(started=started.isoformat(timespec="seconds"),
                   machine=dict(cpus=os.cpu_count(), platform=platform.platform(), python=platform.python_version(),
                                loadavg_at_start=os.getloadavg()[0]),
                   runs=args.runs, binary=args.bin, quick=quick, workloads=[])
    for w in WORKLOADS:
        if not only or w.name in only:
            smallest = {next(iter(w.sizes))} if quick and sizes_wanted is None else None
            results["workloads"].append(run_workload(w, args, sizes_wanted or smallest))
    results["elapsed_s"] = (dt.datetime.now(dt.timezone.utc) - started).total_seconds()
    results["machine"]["loadavg_at_end"] = os.getloadavg()[0]

    out = Path(args.out)
    if only and (out / "latest.json").exists():
        results["workloads"] = carry_over(results["workloads"], json.loads((out / "latest.json").read_text()))
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, default=str) + "\n"
    md = markdown(results)
    (out / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json").write_text(text)
    for name, content in (("latest.json", text), ("latest.md", md)):
        tmp = out / f"{name}.tmp"
        tmp.write_text(content)
        tmp.replace(out / name)
    print(md)
    if any(s["disagreements"] for w in results["workloads"] if "measured" not in w for s in w["sizes"]):
        print("bench: the tools disagree (see DISAGREEMENT above); results written but the run fails", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
