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


def _stages(sample):
    """[(stage, seconds, peak MB)] in the order the tool reported them (`<stage>_peak_rss_mb`)."""
    suffix = "_peak_rss_mb"
    return [(k[:-len(suffix)], sample.get(k[:-len(suffix)] + "_s"), v) for k, v in sample.items()
            if k.endswith(suffix) and k != "peak_rss_mb"]


def _peer_figures(cp, results):
    """`cc 1M/5M: amlgraph 0.207 s vs networkit 1.290 s` for each size of the pointed-to workload."""
    w = next((w for w in results["workloads"] if w["name"] == cp["workload"]), None)
    if w is None or not w["sizes"]:
        return f"{cp['workload']} (not in this results file)"
    figs = []
    for s in w["sizes"]:
        ours, ref = s["samples"].get("amlgraph", {}), s["samples"].get(w["reference"], {})
        if cp["metric"] in ours and cp["metric"] in ref:
            figs.append(f"{s['size']} {ours[cp['metric']]:.3f} vs {ref[cp['metric']]:.3f} s")
    label = cp["metric"].removesuffix("_s")
    return f"{cp['workload']} rows, {label} amlgraph vs {w['reference']}: " + ("; ".join(figs) or "—")


def _stage_tables(w, results):
    """The per-stage table of a peerless workload, with its capability peers beside the stages."""
    peers = {}
    for cp in w.get("capability_peers", []):
        peers.setdefault(cp["stage"], []).append(cp)
    out = ["", f"**{w['name']}: {w['title']}**, amlgraph per stage (no tool runs the whole pipeline; "
               "where a stage's capability has a peer, that workload's figures are quoted beside it).", "",
           "| size | stage | s | share of total | peak RSS MB | capability measured against a peer |",
           "|---|---|---:|---:|---:|---|"]
    methods = set()
    for s in w["sizes"]:
        x = s["samples"].get("amlgraph")
        if not x:
            continue
        methods.add(x.get("peak_rss_method", "unknown"))
        for stage, sec, peak in _stages(x):
            share = f"{100 * sec / x['total_s']:.0f}%" if sec is not None and x.get("total_s") else "—"
            name = f"· {stage.split('.', 1)[1]}" if "." in stage else f"**{stage}**"
            pointer = "<br>".join(f"{cp['capability']}: {_peer_figures(cp, results)}" + (f" ({cp['note']})" if cp["note"] else "")
                                  for cp in peers.get(stage, []))
            out.append(f"| {s['size']} | {name} | {_s(sec)} | {share} | {_s(peak, 0)} | {pointer} |")
        out.append(f"| {s['size']} | **whole pipeline** | {_s(x.get('total_s'))} | 100% | {_s(x.get('rss_mb'), 0)} | "
                   f"no peer; process wall {_s(x.get('wall_s'), 2)} s |")
    how = {"clear_refs": "each stage's own peak (the kernel's high-water mark reset through /proc/self/clear_refs "
                         "at the stage's start; memory still held from earlier stages counts)",
           "getrusage_maxrss": "the process's peak so far (getrusage; /proc/self/clear_refs was unavailable), "
                               "so a stage's own peak may be lower"}
    out += ["", "Peak RSS per stage: " + "; ".join(how.get(m, m) for m in sorted(methods)) +
            ". The whole pipeline's peak is the largest stage peak (wait4 cannot give it: it reports the high-water "
            "mark at exit, which the per-stage resets lowered). Gold's sub-stages (·) are its scenarios "
            "in order and `write`, the Delta commits of the gold tables."]
    return out


def markdown(results):
    m = results["machine"]
    lines = [
        f"Measured {results['started']} on {m['cpus']} cores (1-minute load average {m['loadavg_at_start']:.1f} at the start"
        + (f", {m['loadavg_at_end']:.1f} at the end" if "loadavg_at_end" in m else "")
        + f"; the machine is shared, so absolute times vary between runs); " + (f"median of {results['runs']} runs" if results['runs'] != 1 else "one run") + ", each tool in a fresh process.",
        "",
        "| workload | size | tool | load s | build s | algo s | total s | peak RSS MB | speedup vs peer (algo / total) | target | met? |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    if results.get("quick"):
        lines[1:1] = ["", "**Quick run (BENCH_QUICK): each workload's smallest size, one run; a smoke test, not figures to quote.**"]
    notes = []
    for w in results["workloads"]:
        for s in w["sizes"]:
            ref = s["samples"].get(w["reference"], {})
            targets = s["targets"]
            wname = f"{w['name']}†" if "measured" in w else w["name"]
            for tool, x in s["samples"].items():
                if w["reference"] is None:
                    speed = "no peer runs the whole pipeline: per stage below"
                elif tool == w["reference"]:
                    speed = f"(reference: {tool})"
                else:
                    speed = f"{_ratio(ref.get('algo_s'), x.get('algo_s'))} / {_ratio(ref.get('total_s'), x['total_s'])} vs {w['reference']}" if ref else "—"
                tgt = met = ""
                if tool == "amlgraph" and targets:
                    tgt = "<br>".join(t["label"] for t in targets)
                    met = "<br>".join("met" if t["met"] else "**missed**" for t in targets)
                lines.append(f"| {wname} | {s['size']} | {tool} | {_s(x.get('load_s'))} | {_s(x.get('build_s'))} | "
                             f"{_s(x.get('algo_s'))} | {_s(x.get('total_s'))} | {_s(x.get('rss_mb'), 0)} | {speed} | {tgt} | {met} |")
            for q in w["quoted"]:
                if q["size"] == s["size"]:
                    lines.append(f"| {wname} | {q['size']} | *{q['tool']}* (quoted) | — | — | {_s(q['algo_s'], 1)} | "
                                 f"{_s(q['total_s'], 1)} | — | — | *{q['note']}* | |")
            for t in targets:
                notes.append(f"- {wname} {s['size']}, {_target_text(t)} → {'met' if t['met'] else 'MISSED'}"
                             if t["metric"] != "rss_mb" else
                             f"- {wname} {s['size']}, {t['label']}: {t['ours']:.0f}"
                             + (f" vs {t['theirs']:.0f}" if t["theirs"] is not None else "") + f" MB → {'met' if t['met'] else 'MISSED'}")
            if s["disagreements"]:
                notes += [f"- {wname} {s['size']}: **DISAGREEMENT** {d}" for d in s["disagreements"]]
            elif s.get("agreement"):
                notes.append(f"- {wname} {s['size']}: {s['agreement']}")
    carried = sorted({w["measured"] for w in results["workloads"] if "measured" in w})
    if carried:
        lines += ["", f"† measured in an earlier run ({', '.join(carried)}), not re-run this time; kept so the table stays whole."]
    lines += [line for w in results["workloads"] if w["reference"] is None for line in _stage_tables(w, results)]
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
