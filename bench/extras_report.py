"""Renders an extras results dict (bench/extras.py) as the Markdown quoted in the README between
`<!-- bench-extras:start -->` and `<!-- bench-extras:end -->`.

    extras_report.py [extras.json]   re-renders a saved run (default bench/results/extras_latest.json) to stdout
"""
import json
import sys
from pathlib import Path


def _s(x, digits=3):
    return "—" if x is None else f"{x:.{digits}f}"


def _ratio(row):
    if row.get("speedup_note"):
        return row["speedup_note"]
    ours, theirs = row["ours"], row["theirs"]
    if ours is None or theirs is None or ours <= 0:
        return "—"
    r = theirs / ours
    return f"{r:.1f}×" if r >= 1 else f"{r:.2f}×"


def _cell(seconds, note):
    return _s(seconds) + (f" ({note})" if note else "")


def _met(row):
    return "" if row["met"] is None else "met" if row["met"] else "**missed**"


def markdown(results):
    m = results["machine"]
    lines = [
        f"Measured {results['started']} on {m['cpus']} cores (1-minute load average {m['loadavg_at_start']:.1f} at the start"
        + (f", {m['loadavg_at_end']:.1f} at the end" if "loadavg_at_end" in m else "")
        + "; the machine is shared, so absolute times vary between runs). Each script ran once (not a median), "
          "amlgraph and the peer side by side in the same run; seconds are the operation alone unless noted.",
    ]
    if results.get("quick"):
        lines += ["", "**Quick run (BENCH_QUICK): tiny sizes for a smoke test, not figures to quote.**"]
    lines += [
        "",
        "| bench | size | amlgraph operation | amlgraph s | peer | peer s | speedup vs peer | agreement check | target | met? |",
        "|---|---|---|---:|---|---:|---|---|---|---|",
    ]
    notes, extra_notes = [], []
    for e in results["extras"]:
        name = f"{e['name']}†" if "measured" in e else e["name"]
        if e.get("error"):
            lines.append(f"| {name} | {e['size']} | **failed**: see notes | — | — | — | — | — | | |")
            notes.append(f"- {name}: **failed**: {e['error'].splitlines()[-1] if e['error'] else ''}")
            continue
        for r in e["rows"]:
            lines.append(f"| {name} | {e['size']} | {r['operation']} | {_cell(r['ours'], r['ours_note'])} | {r['peer']} | "
                         f"{_cell(r['theirs'], r['theirs_note'])} | {_ratio(r)} | {r['agreement']} | {r['target']} | {_met(r)} |")
        swift = f"; MatrixBenchTests {e['prepared']['swift_test_s']:.0f} s including its release build" \
            if e.get("prepared", {}).get("swift_test_s") else ""
        notes.append(f"- {name}: `{e['command']}`, {e['elapsed_s']:.{0 if e['elapsed_s'] >= 10 else 1}f} s{swift}")
        extra_notes += e.get("notes", [])
    carried = sorted({e["measured"] for e in results["extras"] if "measured" in e})
    if carried:
        lines += ["", f"† measured in an earlier run ({', '.join(carried)}), not re-run this time; kept so the table stays whole."]
    return "\n".join(lines + ["", *notes, *extra_notes]) + "\n"


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "results" / "extras_latest.json"
    sys.stdout.write(markdown(json.loads(path.read_text())))
