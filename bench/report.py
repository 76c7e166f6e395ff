"""Renders a bench results dict (bench/run.py) as the Markdown quoted in the README.

    report.py [results.json]   re-renders a saved run (default bench/results/latest.json) to stdout
"""
import json
import sys
from pathlib import Path


def _s(x, digits=3):
    return "—" if x is None else f"{x:.{digits}f}"


def _ratio(theirs, ours):
    if theirs is None or ours is None or ours <= 0:
        return "—"
    r = theirs / ours
    return f"{r:.1f}×" if r >= 1 else f"{r:.2f}×"


def _figure(x, metric):
    """A target's figure with its unit: seconds for *_s metrics, plain (thousands separated
    when large) for rates and scores such as pairs_per_s or f1."""
    if metric.endswith("_s") and not metric.endswith("_per_s"):
        return f"{x:.3f} s"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4f}"


def _target_text(t):
    ours = _figure(t["ours"], t["metric"])
    if t["theirs"] is not None:
        return f"{t['label']}: {ours} vs {_figure(t['theirs'], t['metric'])}"
    return f"{t['label']}: {ours}"


def markdown(results):
    m = results["machine"]
    lines = [
        f"Measured {results['started']} on {m['cpus']} cores (1-minute load average {m['loadavg_at_start']:.1f} at the start"
        + (f", {m['loadavg_at_end']:.1f} at the end" if "loadavg_at_end" in m else "")
        + f"; the machine is shared, so absolute times vary between runs); median of {results['runs']} runs, each tool in a fresh process.",
        "",
        "| workload | size | tool | load s | build s | algo s | total s | peak RSS MB | speedup vs peer (algo / total) | target | met? |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    notes = []
    for w in results["workloads"]:
        for s in w["sizes"]:
            ref = s["samples"].get(w["reference"], {})
            targets = s["targets"]
            for tool, x in s["samples"].items():
                if tool == w["reference"]:
                    speed = f"(reference: {tool})"
                else:
                    speed = f"{_ratio(ref.get('algo_s'), x['algo_s'])} / {_ratio(ref.get('total_s'), x['total_s'])} vs {w['reference']}" if ref else "—"
                tgt = met = ""
                if tool == "amlgraph" and targets:
                    tgt = "<br>".join(t["label"] for t in targets)
                    met = "<br>".join("met" if t["met"] else "**missed**" for t in targets)
                lines.append(f"| {w['name']} | {s['size']} | {tool} | {_s(x.get('load_s'))} | {_s(x.get('build_s'))} | "
                             f"{_s(x.get('algo_s'))} | {_s(x.get('total_s'))} | {_s(x.get('rss_mb'), 0)} | {speed} | {tgt} | {met} |")
            for q in w["quoted"]:
                if q["size"] == s["size"]:
                    lines.append(f"| {w['name']} | {q['size']} | *{q['tool']}* (quoted) | — | — | {_s(q['algo_s'], 1)} | "
                                 f"{_s(q['total_s'], 1)} | — | — | *{q['note']}* | |")
            for t in targets:
                notes.append(f"- {w['name']} {s['size']}, {_target_text(t)} → {'met' if t['met'] else 'MISSED'}"
                             if t["metric"] != "rss_mb" else
                             f"- {w['name']} {s['size']}, {t['label']}: {t['ours']:.0f} vs {t['theirs']:.0f} MB → {'met' if t['met'] else 'MISSED'}")
            if s["disagreements"]:
                notes += [f"- {w['name']} {s['size']}: **DISAGREEMENT** {d}" for d in s["disagreements"]]
            elif s.get("agreement"):
                notes.append(f"- {w['name']} {s['size']}: {s['agreement']}")
    lines += [
        "",
        "load = reading the CSV; build = graph or matrix construction; algo = the algorithm alone; "
        "total = load + build + algo, input file to result in memory (amlgraph's output write and the peers' "
        "interpreter start-up are excluded here and included in `wall_s` in latest.json). "
        "Peak RSS is the whole process's (for peers, Python and its libraries included).",
        "",
        *notes,
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "results" / "latest.json"
    sys.stdout.write(markdown(json.loads(path.read_text())))
