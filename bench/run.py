#!/usr/bin/env python3
"""make bench: amlgraph and its peers side by side, in one run.

Each measurement runs in a fresh process, --runs times; the median is reported, with peak
RSS from /usr/bin/time. Results go to bench/results/<UTC timestamp>.json, latest.json and
latest.md; bench/update_readme.py copies latest.md into the README.

    bench/run.py [--runs 3] [--only cc,risk] [--sizes 1M/5M,1M/10M] [--bin PATH]

Workloads are plain entries in WORKLOADS: a name, the sizes, and the commands per tool.
"""
import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from gen_edges import generate  # noqa: E402

PY = sys.executable
DATA = HERE / "data"
SIZES = {"100k/500k": (100_000, 500_000), "1M/5M": (1_000_000, 5_000_000), "1M/10M": (1_000_000, 10_000_000)}


def timed(cmd, timings_file=None):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS MB, stdout)."""
    with tempfile.NamedTemporaryFile(suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name, *map(str, cmd)]
        proc = subprocess.run(full, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        wall, rss_kb = open(tf.name).read().split()[-2:]
    return float(wall), int(rss_kb) / 1024, proc.stdout


def amlgraph_cc(binary, edges, tmp):
    t = Path(tmp) / "t.json"
    wall, rss, _ = timed([binary, "components", "--edges", edges, "--out", Path(tmp) / "c.csv", "--timings-json", t, "--quiet"])
    j = json.load(open(t))
    return dict(load_s=j["load_s"], build_s=j["build_s"], algo_s=j["algo_s"], total_s=j["total_s"], wall_s=wall, rss_mb=rss,
                components=j["components"], largest=j["largest"])


def peer(script, *args):
    def run(binary, edges, tmp, vertices=None):
        wall, rss, out = timed([PY, HERE / "peers" / script, *args_for(edges, vertices, tmp)])
        j = json.loads(out.strip().splitlines()[-1])
        j.update(wall_s=wall, rss_mb=rss)
        return j
    args_for = args[0] if args else (lambda e, v, t: [e])
    return run


def amlgraph_risk(binary, edges, tmp, vertices=None):
    t = Path(tmp) / "t.json"
    out = Path(tmp) / "risk.csv"
    wall, rss, _ = timed([binary, "risk", "--transactions", edges, "--entities", vertices, "--src-col", "src", "--dst-col", "dst",
                          "--id-col", "id", "--risk-col", "risk", "--max-iter", 3, "--out", out, "--timings-json", t, "--quiet"])
    j = json.load(open(t))
    return dict(load_s=j["load_s"], build_s=j["build_s"], algo_s=j["algo_s"], total_s=j["total_s"], wall_s=wall, rss_mb=rss)


WORKLOADS = [
    dict(name="cc", title="Weakly connected components (CSV in, labels out)",
         sizes=["100k/500k", "1M/5M", "1M/10M"], reference="networkit",
         tools={
             "amlgraph": amlgraph_cc,
             "networkit": peer("networkit_cc.py"),
             "scipy": peer("scipy_cc.py"),
             "igraph": peer("igraph_cc.py"),
             "networkx": peer("networkx_cc.py"),
         },
         only_small={"networkx"},
         targets={"1M/5M": [("algo_s", "networkit", 3.0), ("total_s", "networkit", 2.0), ("rss_mb", "networkit", 1.0)]}),
    dict(name="risk", title="Risk propagation, accelerator rule, 3 supersteps",
         sizes=["1M/5M"], reference="scipy-matvec",
         tools={
             "amlgraph": amlgraph_risk,
             "scipy-matvec": peer("scipy_risk.py", lambda e, v, t: [e, v, 3, Path(t) / "scipy_risk.npy"]),
         },
         only_small=set(),
         targets={"1M/5M": [("algo_s", "scipy-matvec", 1 / 1.5)]},
         quoted=[("GraphX Pregel, local[2], 5 supersteps (ANCHORS.md, not measured in this run)", 3.9)]),
]


def check_agreement(workload, size, samples, tmp):
    """Cross-checks the tools' answers so a fast wrong answer cannot win."""
    notes = []
    if workload == "cc":
        ref = samples.get("scipy")
        if ref:
            for tool, s in samples.items():
                if tool in ("networkit",):  # counts ids never used as isolated components
                    if s["largest"] != ref["largest"]:
                        notes.append(f"{tool} largest {s['largest']} != scipy {ref['largest']}")
                    continue
                if (s["components"], s["largest"]) != (ref["components"], ref["largest"]):
                    notes.append(f"{tool} components/largest {s['components']}/{s['largest']} != scipy {ref['components']}/{ref['largest']}")
    if workload == "risk":
        import numpy as np
        import pyarrow.csv as pacsv
        ours = pacsv.read_csv(Path(tmp) / "risk.csv").column("risk_score").to_numpy()
        theirs = np.load(Path(tmp) / "scipy_risk.npy")
        err = float(np.max(np.abs(ours - theirs) / np.maximum(1.0, np.abs(theirs))))
        if err > 1e-9:
            notes.append(f"risk scores differ from scipy by {err:.2e} (relative)")
    return notes


def median_sample(runs):
    keys = [k for k in runs[0] if isinstance(runs[0][k], (int, float))]
    out = {k: statistics.median(r[k] for r in runs) for k in keys}
    for k in runs[0]:
        if k not in out:
            out[k] = runs[0][k]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="")
    ap.add_argument("--sizes", default="")
    ap.add_argument("--bin", default=str(ROOT / ".build" / "release" / "amlgraph"))
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    sizes_wanted = set(filter(None, args.sizes.split(",")))

    results = dict(started=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                   machine=dict(cpus=os.cpu_count(), platform=platform.platform(), python=platform.python_version()),
                   runs=args.runs, workloads=[])
    for w in WORKLOADS:
        if only and w["name"] not in only:
            continue
        entry = dict(name=w["name"], title=w["title"], reference=w["reference"], sizes=[], quoted=w.get("quoted", []))
        for size in w["sizes"]:
            if sizes_wanted and size not in sizes_wanted:
                continue
            n, m = SIZES[size]
            edges, vertices = generate(n, m, 1, DATA)
            samples = {}
            with tempfile.TemporaryDirectory() as tmp:
                for tool, fn in w["tools"].items():
                    if tool in w["only_small"] and m > 1_000_000:
                        continue
                    runs = []
                    for _ in range(args.runs if not (tool in w["only_small"]) else 1):
                        runs.append(fn(args.bin, edges, tmp, vertices) if w["name"] != "cc" else fn(args.bin, edges, tmp))
                    samples[tool] = median_sample(runs)
                    print(f"{w['name']} {size} {tool}: " + ", ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in samples[tool].items()), flush=True)
                notes = check_agreement(w["name"], size, samples, tmp)
            targets = []
            for metric, peer_name, factor in w.get("targets", {}).get(size, []):
                if peer_name in samples and "amlgraph" in samples:
                    ours, theirs = samples["amlgraph"][metric], samples[peer_name][metric]
                    met = ours * factor <= theirs
                    targets.append(dict(metric=metric, peer=peer_name, factor=factor, ours=ours, theirs=theirs, met=met))
            entry["sizes"].append(dict(size=size, vertices=n, edges=m, samples=samples, targets=targets, disagreements=notes))
        results["workloads"].append(entry)

    out = HERE / "results"
    out.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(results, indent=2)
    (out / f"{stamp}.json").write_text(text)
    (out / "latest.json").write_text(text)
    (out / "latest.md").write_text(markdown(results))
    print(markdown(results))
    bad = [d for w in results["workloads"] for s in w["sizes"] for d in s["disagreements"]]
    if bad:
        print("DISAGREEMENTS:\n" + "\n".join(bad), file=sys.stderr)
        sys.exit(1)


def markdown(results):
    lines = [f"Measured {results['started']} on {results['machine']['cpus']} cores; median of {results['runs']} runs, each in a fresh process.", ""]
    for w in results["workloads"]:
        lines += [f"**{w['title']}**", "", "| size | tool | load s | build s | algo s | total s | wall s | peak RSS MB | algo speedup vs " + w["reference"] + " |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for s in w["sizes"]:
            ref = s["samples"].get(w["reference"])
            for tool, x in s["samples"].items():
                r = ref["algo_s"] / x["algo_s"] if ref and x["algo_s"] > 0 else None
                speed = "" if r is None else (f"{r:.1f}x" if r >= 1 else f"{r:.2f}x")
                lines.append(f"| {s['size']} | {tool} | {x['load_s']:.3f} | {x.get('build_s', 0):.3f} | {x['algo_s']:.3f} | {x['total_s']:.3f} | {x['wall_s']:.2f} | {x['rss_mb']:.0f} | {speed} |")
        for label, seconds in w.get("quoted", []):
            lines.append(f"| 1M/5M | {label} | | | {seconds:.1f} | | | | |")
        targets = [t for s in w["sizes"] for t in s["targets"]]
        if targets:
            lines += ["", "Targets: " + "; ".join(
                f"{t['metric']} {'≤' if t['factor'] >= 1 else 'within'} "
                + (f"1/{t['factor']:.0f} of {t['peer']}" if t['factor'] > 1 else (f"{t['peer']}'s" if t['factor'] == 1 else f"{1 / t['factor']:.1f}x of {t['peer']}"))
                + f": {t['ours']:.3f} vs {t['theirs']:.3f}, {'met' if t['met'] else 'MISSED'}" for t in targets)]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
